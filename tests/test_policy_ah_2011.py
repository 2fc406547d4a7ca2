"""AH-2011 beyond its clause cases (calc/policies/ah_2011/cases.yaml): amounts
(JY_SUBSIDY), period explanations and errors, the documents' measures."""

import datetime as dt
from decimal import Decimal

import pytest
from person_factory import person

from calc.assess import assess_person
from calc.errors import InputError
from calc.periods import period_end
from calc.policies import get_policy
from calc.subsidy import subsidy_amount

ON = dt.date(2026, 11, 22)
AH = "AH-2011"


def codes(result):
    return {c.code for c in result.categories}


def benefits(result):
    return {b.code for b in result.benefits}


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


def test_period_fixed_before_2025_tests_old_ages_and_ends_on_the_reformed_date():
    """The 5-year test under the law of the approval date,
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
