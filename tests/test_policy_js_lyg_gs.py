"""JS-2002, LYG-2003 (extends JS-2002) and GS-2003 clauses of policy-notes.md."""

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from person_factory import person

from calc.assess import NOT_ELIGIBLE, assess_ledger, assess_person
from calc.deadlines import deadline
from calc.params import ParameterTable
from calc.periods import period_end
from calc.policies import get_policy
from calc.subsidy import subsidy_amount

ON = dt.date(2026, 11, 22)


def codes(result):
    return {c.code for c in result.categories}


def benefits(result):
    return {b.code for b in result.benefits}


# --- JS-2002 --------------------------------------------------------------------


def test_js_preconditions_able_willing_not_picky():
    """二: 有劳动能力、就业愿望，不挑剔就业岗位."""
    base = dict(age=45, on=ON, low_skill="是")
    assert assess_person("JS-2002", person(**base), ON).eligible
    for field in ("able_to_work", "wants_work", "accepts_any_post"):
        r = assess_person("JS-2002", person(**base, **{field: "否"}), ON)
        assert r.status == NOT_ELIGIBLE and "JS-2002 二" in r.explanation


def test_js_presumes_declarations_missing_from_the_ledger_and_says_so():
    p = person(age=45, on=ON, low_skill="是")
    del p["able_to_work"]
    r = assess_person("JS-2002", p, ON)
    assert r.eligible and "按求职登记推定" in r.explanation


def test_js_household_with_two_unemployed_and_no_other_income():
    """二(一) and 三 (7 days)."""
    a = person(
        age=40,
        sex="男",
        on=ON,
        household_id="H1",
        other_stable_income="否",
        jobseeking_date="2026-11-01",
    )
    b = person(age=38, sex="女", on=ON, household_id="H1", other_stable_income="否", seq=20)
    r = assess_person("JS-2002", a, ON, household=[b])
    assert "household_two_unemployed" in codes(r)
    # 2026-11-01 + 7 days = Sunday 2026-11-08 → Monday 2026-11-09 (民法典第二百零三条)
    assert ("家庭就业目标", dt.date(2026, 11, 9)) in [(d.event, when) for d, when in r.deadlines]
    assert "household_two_unemployed" not in codes(
        assess_person("JS-2002", a, ON, household=[dict(b, employment_status="已就业")])
    )
    assert "household_two_unemployed" not in codes(
        assess_person("JS-2002", dict(a, other_stable_income="是"), ON, household=[b])
    )


def test_js_divorced_or_widowed_raising_children():
    """二(二)."""
    p = person(
        age=35, on=ON, marital_status="离异", supports_dependants="是", other_stable_income="否"
    )
    assert "single_parent" in codes(assess_person("JS-2002", p, ON))
    assert "single_parent" not in codes(
        assess_person("JS-2002", dict(p, marital_status="已婚"), ON)
    )
    assert "single_parent" in codes(assess_person("JS-2002", dict(p, marital_status="丧偶"), ON))


@pytest.mark.parametrize(
    ("age", "sex", "expected"),
    [(40, "女", True), (39, "女", False), (50, "男", True), (49, "男", False)],
)
def test_js_older_low_skill(age, sex, expected):
    """二(三): 男年满50周岁、女年满40周岁，技能偏低."""
    r = assess_person("JS-2002", person(age=age, sex=sex, on=ON, low_skill="是"), ON)
    assert ("older_low_skill" in codes(r)) is expected


def test_js_income_per_head_up_to_the_local_minimum_standard():
    """二(四): 低于或只能达到 — the standard is a parameter."""
    table = ParameterTable.from_rows(
        [("城市居民最低生活保障标准", "800元", "2024-01-01", "宁民发〔2024〕示例")]
    )
    equal = person(age=30, on=ON, household_income=2400, household_size=3)
    assert "low_income" in codes(assess_person("JS-2002", equal, ON, table))
    above = dict(equal, household_income=2401)
    assert "low_income" not in codes(assess_person("JS-2002", above, ON, table))
    r = assess_person("JS-2002", equal, ON, table)
    assert "低保标准800元" in r.explanation


def test_js_yearly_calendar():
    """五: survey by end of May (2002) / March; plan June / April; report mid-January; check end of January."""
    assert deadline("JS-2002", "年度调查公示", dt.date(2002, 5, 8))[0] == dt.date(2002, 5, 31)
    assert deadline("JS-2002", "年度调查公示", dt.date(2026, 1, 5))[0] == dt.date(2026, 3, 31)
    assert deadline("JS-2002", "年度实施方案", dt.date(2002, 5, 8))[0] == dt.date(2002, 6, 30)
    assert deadline("JS-2002", "年度实施方案", dt.date(2026, 1, 5))[0] == dt.date(2026, 4, 30)
    assert deadline("JS-2002", "年度工作报告", dt.date(2026, 6, 1))[0] == dt.date(2027, 1, 15)
    assert deadline("JS-2002", "省级检查考核", dt.date(2026, 6, 1))[0] == dt.date(2027, 1, 31)
    assert deadline("JS-2002", "下次登记审核", dt.date(2024, 2, 29))[0] == dt.date(2025, 2, 28)


def test_js_public_welfare_post_subsidy_and_employer_placement_subsidy():
    """四(三)."""
    post = person(
        age=45,
        on=ON,
        low_skill="是",
        employment_status="公益性岗位",
        first_approval_date="2026-01-01",
    )
    assert "post_subsidy" in benefits(assess_person("JS-2002", post, ON))
    hired = dict(post, employment_status="已就业", employment_type="企业吸纳")
    r = assess_person("JS-2002", hired, ON)
    assert "placement_subsidy" in benefits(r) and "post_subsidy" not in benefits(r)


def test_js_pairing_duty_named_cadre():
    """四(四) and 四(一) in the target letter duties."""
    duties = {d.clause: d.text for d in get_policy("JS-2002").duties}
    assert "责任到人" in duties["JS-2002 四(四)"]
    assert "每年登记审核一次" in duties["JS-2002 四(一)"]


def test_unknown_policy_code_is_a_chinese_error():
    from calc.errors import PolicyError

    with pytest.raises(PolicyError, match="未知的政策代码"):
        get_policy("ZJ-2010")


# --- LYG-2003 --------------------------------------------------------------------


def test_lyg_extends_js():
    """A Lianyungang ledger obeys JS-2002 and LYG-2003."""
    lyg, js = get_policy("LYG-2003"), get_policy("JS-2002")
    assert lyg.codes == ("JS-2002", "LYG-2003")
    assert {c.code for c in js.categories} < {c.code for c in lyg.categories}
    r = assess_person("LYG-2003", person(age=45, on=ON, low_skill="是"), ON)
    assert "older_low_skill" in codes(r) and "JS-2002 二(三)" in r.explanation


def test_lyg_special_hardship_group():
    """三(七)."""
    r = assess_person("LYG-2003", person(age=30, on=ON, special_hardship="是"), ON)
    assert "special_hardship" in codes(r)
    assert any("定期家访" in o.text for o in r.obligations)


def test_lyg_small_loan_ceiling_and_term():
    """四(一): ≤ 20,000 yuan, ≤ 2 years — a term of years ends on the corresponding
    date (民法典第二百零一条、第二百零二条), from 29 February on 28 February."""
    pack = get_policy("LYG-2003")
    ceiling = pack.parameters["小额担保贷款最高额度"][-1]
    assert ceiling.value == 20000 and ceiling.source.startswith("LYG-2003 四(一)")
    assert deadline("LYG-2003", "小额贷款到期", dt.date(2026, 3, 1))[0] == dt.date(2028, 3, 1)
    assert deadline("LYG-2003", "小额贷款到期", dt.date(2025, 6, 15))[0] == dt.date(2027, 6, 15)
    end, _ = period_end("LYG-2003", "小额担保贷款", dt.date(2024, 2, 29), dt.date(1980, 1, 1), "男")
    assert end == dt.date(2026, 2, 28)


def test_lyg_500_per_placement_needs_three_year_contract_and_insurance():
    """四(二)."""
    p = person(
        age=45,
        on=ON,
        low_skill="是",
        employment_status="已就业",
        employment_type="企业吸纳",
        community_project="是",
        contract_years=3,
        si_paid_on_time="是",
        employment_date="2026-04-01",
    )
    assert "community_placement_subsidy" in benefits(assess_person("LYG-2003", p, ON))
    r = subsidy_amount(
        "LYG-2003", "社区就业岗位开发补贴", p, dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    )
    assert r.amount == Decimal(500)
    assert "community_placement_subsidy" not in benefits(
        assess_person("LYG-2003", dict(p, contract_years=2), ON)
    )
    assert "community_placement_subsidy" not in benefits(
        assess_person("LYG-2003", dict(p, si_paid_on_time="否"), ON)
    )


def test_lyg_duties_targets_staffing_models():
    """二(一) 8000/year, 三(一) staffing, 四(三) model units."""
    text = " ".join(d.text for d in get_policy("LYG-2003").duties)
    assert "8000" in text and "2—3名" in text and "先进" in text


# --- GS-2003 --------------------------------------------------------------------


def test_gs_five_work_targets_are_letter_headings():
    """一(一)."""
    headings = [d.heading for d in get_policy("GS-2003").duties]
    for h in (
        "净增就业岗位",
        "落实再就业政策",
        "强化再就业服务",
        "加大再就业资金投入",
        "帮助困难群体就业",
    ):
        assert h in headings


def test_gs_4050_ages_are_parameters_and_get_priority_posts():
    """四(九)."""
    p = person(age=42, sex="女", on=ON)
    r = assess_person("GS-2003", p, ON)
    assert "4050" in codes(r) and "priority_post" in benefits(r)
    table = ParameterTable.from_rows([("大龄女性年龄", 45, "2003-06-10", "兰州市文件（示例）")])
    assert "4050" not in codes(assess_person("GS-2003", p, ON, table))


def test_gs_allowance_recipients_must_join_public_welfare_labour():
    """五(十一)."""
    r = assess_person("GS-2003", person(age=30, on=ON, minimum_allowance="是"), ON)
    assert "allowance_able" in codes(r)
    assert any("公益性劳动" in o.text and o.clause == "GS-2003 五(十一)" for o in r.obligations)


def test_gs_card_and_loans():
    """二(三) 应发尽发; 二(五) small loans for the self-employed."""
    r = assess_person(
        "GS-2003", person(age=45, on=ON, employment_status="已就业", employment_type="自主创业"), ON
    )
    assert {"card", "loan"} <= benefits(r)


def test_gs_monthly_and_quarterly_reports():
    """六(十二)."""
    assert deadline("GS-2003", "月度进度汇总", dt.date(2026, 2, 3))[0] == dt.date(2026, 2, 28)
    assert deadline("GS-2003", "季度目标汇总", dt.date(2026, 11, 22))[0] == dt.date(2026, 12, 31)


def test_every_pack_has_document_metadata_and_no_label_contains_the_list_separator():
    for code in ("JS-2002", "SX-2008", "GS-2003", "LYG-2003", "AH-2011"):
        pack = get_policy(code)
        assert pack.title and pack.issuer and pack.issued
        for item in (*pack.categories, *pack.benefits):
            assert "、" not in item.label, item.label


def test_ledger_columns():
    frame = pd.DataFrame([person(age=45, on=ON, low_skill="是")], dtype=object)
    out = assess_ledger("JS-2002", frame, ON)
    assert list(out.columns) == [
        "category_codes",
        "categories",
        "status",
        "eligible",
        "benefits",
        "period_end",
        "deadlines",
        "explanation",
        "problems",
    ]
