"""AH-2011 clauses (三)–(十) of policy-notes.md."""

import datetime as dt
from decimal import Decimal

import pytest
from person_factory import person

from calc.assess import LAPSED, NOT_ELIGIBLE, UNCERTAIN, assess_person
from calc.deadlines import deadline
from calc.errors import InputError
from calc.params import ParameterTable
from calc.periods import period_end
from calc.policies import get_policy
from calc.subsidy import subsidy_amount

ON = dt.date(2026, 11, 22)
AH = "AH-2011"


def codes(result):
    return {c.code for c in result.categories}


def benefits(result):
    return {b.code for b in result.benefits}


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"former_employer_type": "国有", "separation_type": "下岗"}, "soe_laid_off"),
        ({"former_employer_type": "国有", "separation_type": "失业"}, "soe_laid_off"),
        ({"former_employer_type": "国有", "separation_type": "关闭破产安置"}, "soe_closure"),
        ({"former_employer_type": "集体", "separation_type": "下岗"}, "collective_laid_off"),
        ({"minimum_allowance": "是", "unemployment_date": "2025-11-22"}, "allowance_long_term"),
        ({"disabled": "是"}, "disabled"),
        ({"zero_employment_household": "是"}, "zero_employment"),
        ({"landless": "是"}, "landless"),
        ({"poor_graduate": "是"}, "poor_graduate"),
        ({"locally_designated": "是"}, "designated"),
    ],
)
def test_each_assistance_group_of_clause_3(fields, code):
    """(三): the ten groups of 就业援助对象."""
    r = assess_person(AH, person(age=30, sex="男", on=ON, **fields), ON)
    assert code in codes(r) and r.eligible


def test_collective_unemployed_who_were_not_laid_off_are_not_collective_laid_off():
    r = assess_person(
        AH, person(age=30, on=ON, former_employer_type="集体", separation_type="失业"), ON
    )
    assert "collective_laid_off" not in codes(r)


def test_long_term_unemployment_months_is_a_parameter():
    p = person(age=30, on=ON, minimum_allowance="是", unemployment_date="2026-03-01")  # 8 months
    assert "allowance_long_term" not in codes(assess_person(AH, p, ON))
    table = ParameterTable.from_rows([("长期失业认定月数", 6, "2011-08-02", "某市人社局文件")])
    assert "allowance_long_term" in codes(assess_person(AH, p, ON, table))


def test_older_persons_ages_are_parameters():
    """(三) 大龄就业困难人员: ages from the 参数 sheet (defaults women 40, men 50)."""
    p = person(age=42, sex="女", on=ON)
    assert "older" in codes(assess_person(AH, p, ON))
    table = ParameterTable.from_rows([("大龄女性年龄", 45, "2020-01-01", "某市文件")])
    r = assess_person(AH, p, ON, table)
    assert "older" not in codes(r)
    assert "参数：女45" in r.explanation


def test_unemployment_registration_comes_first():
    """(四): 未进行失业登记的，要首先进行失业登记."""
    p = person(age=45, on=ON)
    p["unemployment_registration_date"] = None
    p["是否登记失业人员"] = "否"
    assert assess_person(AH, p, ON).status == NOT_ELIGIBLE
    # A blank date alone does not show that the person never registered: unknown.
    blank = person(age=45, on=ON)
    blank["unemployment_registration_date"] = None
    r = assess_person(AH, blank, ON)
    assert r.status == UNCERTAIN and "台账未填“失业登记日期”" in r.explanation


def test_refusing_services_cancels_status():
    """(五)."""
    assert assess_person(AH, person(age=45, on=ON, gave_up="是"), ON).status == LAPSED


def test_annual_review_in_first_quarter():
    """(六): 年审 in Q1; not attended → cancelled."""
    reviewed = person(
        age=45, on=ON, first_approval_date="2025-05-01", annual_review_date="2026-02-10"
    )
    assert assess_person(AH, reviewed, ON).status != LAPSED
    missed = dict(reviewed, annual_review_date="2025-12-01")
    r = assess_person(AH, missed, ON)
    assert r.status == LAPSED and "AH-2011 (六)" in r.explanation
    # During Q1 nobody is late yet.
    assert assess_person(AH, missed, dt.date(2026, 3, 31)).status != LAPSED
    # Approved this year: first review due next year.
    assert assess_person(AH, dict(missed, first_approval_date="2026-06-01"), ON).status != LAPSED
    assert deadline(AH, "年度审验", dt.date(2026, 6, 1))[0] == dt.date(2027, 3, 31)


def test_employer_tax_relief_groups():
    """(七)1: only for SOE laid-off/closure, collective laid-off, allowance long-term — hired by an enterprise."""
    soe = person(
        age=45,
        on=ON,
        former_employer_type="国有",
        separation_type="下岗",
        employment_status="已就业",
        employment_type="企业吸纳",
    )
    assert "enterprise_tax" in benefits(assess_person(AH, soe, ON))
    older = person(age=45, on=ON, employment_status="已就业", employment_type="企业吸纳")
    assert "enterprise_tax" not in benefits(assess_person(AH, older, ON))


def test_self_employed_tax_relief_needs_half_a_year_of_registered_unemployment():
    """(七)2."""
    base = dict(
        age=45,
        on=ON,
        employment_status="已就业",
        employment_type="个体经营",
        employment_date="2026-11-22",
    )
    long_ago = person(**base, unemployment_registration_date="2026-05-22")
    assert "self_employed_tax" in benefits(assess_person(AH, long_ago, ON))
    recent = person(**base, unemployment_registration_date="2026-05-23")
    assert "self_employed_tax" not in benefits(assess_person(AH, recent, ON))


def test_insurance_and_post_subsidies_by_situation():
    """(七)3: enterprise/flexible → insurance subsidy; public-welfare post → both."""
    flexible = person(age=45, on=ON, employment_status="灵活就业", first_approval_date="2026-01-01")
    assert benefits(assess_person(AH, flexible, ON)) >= {"insurance_subsidy"}
    assert "post_subsidy" not in benefits(assess_person(AH, flexible, ON))
    post = dict(flexible, employment_status="公益性岗位")
    assert benefits(assess_person(AH, post, ON)) >= {"insurance_subsidy", "post_subsidy"}
    # SOE laid-off person who is not in a (七)3 group: no subsidy.
    soe_young = person(
        age=30,
        sex="男",
        on=ON,
        former_employer_type="国有",
        separation_type="下岗",
        employment_status="公益性岗位",
    )
    assert "post_subsidy" not in benefits(assess_person(AH, soe_young, ON))


def test_zero_employment_hire_award_1000_needs_a_contract_of_a_year():
    """(七)4: 签订1年以上劳动合同 → 一次性1000元就业奖励."""
    hired = person(
        age=30,
        on=ON,
        zero_employment_household="是",
        employment_status="已就业",
        employment_type="企业吸纳",
        contract_years=1,
        employment_date="2026-06-01",
        first_approval_date="2026-01-10",
    )
    assert "zero_hire_award" in benefits(assess_person(AH, hired, ON))
    r = subsidy_amount(
        AH, "吸纳零就业家庭成员一次性就业奖励", hired, dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    )
    assert r.amount == Decimal(1000)
    no_contract = dict(hired, contract_years=0)
    assert "zero_hire_award" not in benefits(assess_person(AH, no_contract, ON))


def test_technical_school_grant_1000_per_school_year():
    """(七)4: 每学年1000元."""
    p = person(age=45, on=ON, zero_employment_household="是", child_in_technical_school="是")
    r = subsidy_amount(
        AH, "零就业家庭子女技工院校学习补贴", p, dt.date(2025, 1, 1), dt.date(2026, 12, 31)
    )
    assert r.amount == Decimal(2000)  # school years starting 2025-09-01 and 2026-09-01


def test_subsidy_period_three_years_or_until_retirement_inclusive():
    """(八): 最长3年；距法定退休年龄不足5年（含5年）的延长至退休."""
    # Man born 1970-03-10: 62 birth-months after 1965-01 → 62//4+1 = 16 months of delay
    # (official table: 61岁4个月) → retires 2031-07-10.
    end, text = period_end(
        "AH-2011", "公益性岗位补贴", dt.date(2026, 7, 10), dt.date(1970, 3, 10), "男"
    )
    assert end == dt.date(2031, 7, 9) and "延长至退休" in text  # exactly 5 years: inclusive
    end, _ = period_end(
        "AH-2011", "公益性岗位补贴", dt.date(2026, 7, 9), dt.date(1970, 3, 10), "男"
    )
    assert end == dt.date(2029, 7, 8)  # 5 years and a day: 3 years


def test_period_fixed_before_2025_tests_old_ages_and_ends_on_the_reformed_date():
    """Ruling of issue 10 §3: the 5-year test under the law of the approval date,
    "至退休" on the retirement date in force now."""
    # Woman (50) born 1975-06-01: old law retires 2025-06-01, reform 50岁3个月 → 2025-09-01.
    old, text = period_end(
        "AH-2011", "公益性岗位补贴", dt.date(2024, 1, 1), dt.date(1975, 6, 1), "女", 50
    )
    assert old == dt.date(2025, 8, 31) and "2025年前" in text and "渐进式" in text
    new, _ = period_end(
        "AH-2011", "公益性岗位补贴", dt.date(2025, 1, 1), dt.date(1975, 6, 1), "女", 50
    )
    assert new == dt.date(2025, 8, 31)


def test_period_of_a_woman_without_original_age_when_it_decides():
    # 50: within 5 years → until 2025-08-31; 55: far → 3 years. Undecided → ask for 原退休年龄.
    with pytest.raises(InputError, match="原退休年龄"):
        period_end("AH-2011", "公益性岗位补贴", dt.date(2024, 1, 1), dt.date(1975, 6, 1), "女")


@pytest.mark.parametrize(
    ("change", "extended"),
    [
        ({}, True),
        ({"certified_4050_date": "2009-01-01"}, False),
        ({"flexible_si_subsidy_start": "2011-01-01"}, False),
        ({"pays_si_individually": "否"}, False),
        ({"holds_reemployment_card": None}, False),
    ],
)
def test_4050_special_case_extends_insurance_subsidy(change, extended):
    """(八) special case: certified "4050" by 2008-12-31, 3 years of subsidy, still
    flexible, paying individually — read from the ledger, judged on the assessment date."""
    row = person(
        on=dt.date(2013, 6, 1),
        birth=dt.date(1955, 3, 1),
        sex="男",
        former_employer_type="集体",
        separation_type="失业",
        employment_status="已就业",
        employment_type="灵活就业",
        employment_date="2009-07-01",
        unemployment_registration_date="2008-05-01",
        first_approval_date="2009-07-01",
        holds_reemployment_card="是",
        certified_4050_date="2008-12-31",
        flexible_si_subsidy_start="2009-07-01",
        pays_si_individually="是",
        annual_review_date="2013-02-01",
    )
    row = {k: v for k, v in {**row, **change}.items() if v is not None}
    got = assess_person("AH-2011", row, dt.date(2013, 6, 1))
    end, text = got.periods["insurance_subsidy"]
    # extended: until 60 (男60周岁, the text's age) → 2015-02-28; else 3 years from 2009-07-01
    assert end == (dt.date(2015, 2, 28) if extended else dt.date(2012, 6, 30))
    assert ("适用 AH-2011 (八) 特例：2008年12月31日前认定为“4050”人员" in text) is extended


def test_rural_zero_transfer_household_one_off_post_subsidy():
    """(九): 享受农村低保的零转移就业农户成员，1年以上合同 → 1000元/人."""
    p = person(
        age=40,
        on=ON,
        household_registration="农村",
        rural_zero_transfer="是",
        rural_allowance="是",
        employment_status="已就业",
        employment_type="企业吸纳",
        contract_years=2,
        employment_date="2026-05-01",
    )
    r = assess_person(AH, p, ON)
    assert "rural_post_subsidy" in benefits(r)
    amount = subsidy_amount(
        AH, "招用零转移就业农户成员一次性岗位补贴", p, dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    )
    assert amount.amount == Decimal(1000)
    assert "rural_post_subsidy" not in benefits(
        assess_person(AH, dict(p, rural_allowance="否"), ON)
    )


def test_one_person_one_plan_and_named_cadre():
    """(十) 一人一策, 包保; (十二) minimum wage; (十七) quarterly statistics."""
    pack = get_policy(AH)
    measures = " ".join(m.text for m in pack.measures)
    assert "一人一策" in measures and "一对一" in measures and "最低工资" in measures
    assert any("按季" in d.text for d in pack.duties)


def test_fixed_amounts_are_the_texts():
    pack = get_policy(AH)
    for code, clause in (
        ("zero_hire_award", "(七)4"),
        ("technical_school_grant", "(七)4"),
        ("rural_post_subsidy", "(九)"),
    ):
        (name,) = pack.benefit(code).amount_params
        (p,) = pack.parameters[name]
        assert p.value == 1000 and p.source.startswith(f"AH-2011 {clause}") and not p.example
