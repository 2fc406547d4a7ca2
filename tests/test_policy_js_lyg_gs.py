"""JS-2002, LYG-2003 (extends JS-2002) and GS-2003 beyond their clause cases
(calc/policies/<text>/cases.yaml): duties, obligations, amounts, pack structure."""

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from person_factory import person

from calc.assess import assess_ledger, assess_person
from calc.policies import get_policy, list_policies
from calc.subsidy import subsidy_amount

ON = dt.date(2026, 11, 22)


def codes(result):
    return {c.code for c in result.categories}


def benefits(result):
    return {b.code for b in result.benefits}


# --- JS-2002 --------------------------------------------------------------------


def test_js_pairing_duty_named_cadre():
    """四(四) and 四(一) in the target letter duties."""
    duties = {str(d.clause): d.text for d in get_policy("JS-2002").duties}
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
    """四(一): ≤ 20,000 yuan (the term: calc/policies/lyg_2003/cases.yaml)."""
    pack = get_policy("LYG-2003")
    ceiling = pack.parameters["小额担保贷款最高额度"][-1]
    assert ceiling.value == 20000 and ceiling.source.startswith("LYG-2003 四(一)")


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


def test_gs_allowance_recipients_must_join_public_welfare_labour():
    """五(十一)."""
    r = assess_person("GS-2003", person(age=30, on=ON, minimum_allowance="是"), ON)
    assert "allowance_able" in codes(r)
    assert any(
        "公益性劳动" in o.text and str(o.clause) == "GS-2003 五(十一)" for o in r.obligations
    )


def test_every_pack_has_document_metadata_and_no_label_contains_the_list_separator():
    for pack in list_policies():
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
