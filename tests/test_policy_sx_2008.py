"""SX-2008 clauses, one test (at least) per computable clause of policy-notes.md."""

import datetime as dt

import pytest
from person_factory import birth_for_age, person

from calc.assess import LAPSED, NOT_ELIGIBLE, assess_ledger, assess_person
from calc.deadlines import deadline
from calc.policies import get_policy

ON = dt.date(2026, 11, 22)
SX = "SX-2008"


def codes(result):
    return {c.code for c in result.categories}


def test_4050_woman_40_from_state_enterprise():
    """一(一): 女性满40周岁 of a state or collective enterprise."""
    r = assess_person(SX, person(age=40, sex="女", on=ON, former_employer_type="国有企业"), ON)
    assert "4050" in codes(r) and r.eligible
    assert "SX-2008 一(一)" in r.explanation and "40周岁" in r.explanation


def test_4050_woman_one_day_before_40th_birthday_is_not():
    birth = ON.replace(year=ON.year - 40) + dt.timedelta(days=1)
    r = assess_person(SX, person(birth=birth, sex="女", on=ON, former_employer_type="集体"), ON)
    assert "4050" not in codes(r)


def test_4050_needs_state_or_collective_employer():
    r = assess_person(SX, person(age=45, sex="女", on=ON, former_employer_type="私营"), ON)
    assert "4050" not in codes(r)
    assert "原单位私营" in r.explanation


def test_4050_man_needs_50():
    assert "4050" not in codes(
        assess_person(SX, person(age=49, sex="男", on=ON, former_employer_type="国有"), ON)
    )
    assert "4050" in codes(
        assess_person(SX, person(age=50, sex="男", on=ON, former_employer_type="国有"), ON)
    )


def test_preconditions_urban_registration_and_working_age():
    """一 preamble: 城市户口, 已失业登记, 法定劳动年龄内."""
    base = dict(age=45, sex="女", on=ON, former_employer_type="国有")
    assert (
        assess_person(SX, person(**base, household_registration="农村"), ON).status == NOT_ELIGIBLE
    )
    unregistered = person(**base)
    unregistered["unemployment_registration_date"] = None
    unregistered["是否登记失业人员"] = "否"
    assert assess_person(SX, unregistered, ON).status == NOT_ELIGIBLE
    # A woman (original age 50) born in 1974 reached retirement at 50 in 2024: past working age.
    retired = assess_person(
        SX,
        person(
            birth=dt.date(1974, 3, 1),
            sex="女",
            on=ON,
            former_employer_type="国有",
            original_retirement_age=50,
        ),
        ON,
    )
    assert retired.status == NOT_ELIGIBLE and "法定劳动年龄" in retired.explanation


def test_zero_employment_household_from_household_members():
    """一(二): every working-age member of the household unemployed."""
    me = person(age=30, sex="男", on=ON, household_id="H9")
    spouse = person(age=31, sex="女", on=ON, household_id="H9", seq=40)
    assert "zero_employment" in codes(assess_person(SX, me, ON, household=[spouse]))
    spouse_working = dict(spouse, employment_status="已就业")
    assert "zero_employment" not in codes(assess_person(SX, me, ON, household=[spouse_working]))


def test_one_row_without_its_household_is_not_taken_for_a_zero_employment_household():
    me = person(age=30, sex="男", on=ON, household_id="H9")
    r = assess_person(SX, me, ON)  # household unknown
    assert "zero_employment" not in codes(r)
    assert "无法判断是否零就业家庭" in r.explanation
    assert "zero_employment" in codes(
        assess_person(SX, dict(me, zero_employment_household="是"), ON)
    )


def test_zero_employment_ignores_members_past_working_age():
    me = person(age=30, sex="男", on=ON, household_id="H9")
    grandfather = person(
        age=70, sex="男", on=ON, household_id="H9", seq=41, employment_status="已就业"
    )
    assert "zero_employment" in codes(assess_person(SX, me, ON, household=[grandfather]))


def test_long_term_unemployed_on_allowance_one_year():
    """一(三): 享受低保且失业一年以上."""
    one_year = person(
        age=30,
        on=ON,
        minimum_allowance="是",
        unemployment_date=(ON.replace(year=ON.year - 1)).isoformat(),
    )
    assert "long_term" in codes(assess_person(SX, one_year, ON))
    eleven_months = dict(one_year, unemployment_date="2026-01-01")
    assert "long_term" not in codes(assess_person(SX, eleven_months, ON))
    no_allowance = dict(one_year, minimum_allowance="否")
    assert "long_term" not in codes(assess_person(SX, no_allowance, ON))


def test_designated_by_city():
    """一(四)."""
    assert "designated" in codes(
        assess_person(SX, person(age=30, on=ON, locally_designated="是"), ON)
    )


@pytest.mark.parametrize(("refused", "lapsed"), [(3, False), (4, True)])
def test_status_lost_after_more_than_three_refused_posts(refused, lapsed):
    """二(一): 无正当理由超过3次未上岗."""
    r = assess_person(
        SX, person(age=45, on=ON, former_employer_type="国有", refused_posts=refused), ON
    )
    assert (r.status == LAPSED) is lapsed


def test_status_lost_after_more_than_half_a_year_without_report():
    """二(一): 超过半年未申报."""
    exactly = person(age=45, on=ON, former_employer_type="国有", last_report_date="2026-05-22")
    assert assess_person(SX, exactly, ON).status != LAPSED
    late = dict(exactly, last_report_date="2026-05-21")
    r = assess_person(SX, late, ON)
    assert r.status == LAPSED and "SX-2008 二(一)" in r.explanation
    assert deadline(SX, "就业失业状况申报期限", dt.date(2026, 5, 21))[0] == dt.date(2026, 11, 21)


def test_status_lost_when_giving_up():
    r = assess_person(SX, person(age=45, on=ON, former_employer_type="国有", gave_up="是"), ON)
    assert r.status == LAPSED


def test_public_welfare_post_subsidies_until_retirement_when_under_five_years():
    """三(四): 距法定退休年龄不足5年的，延长至退休."""
    # Woman, original age 50, born 1979-06-15: reform schedule 50→ +27 months (born 1979-06:
    # (1979-1975)*12+5 = 53 months after 1975-01, 53//2+1 = 27) → 52岁3个月 → 2031-09-15.
    birth = dt.date(1979, 6, 15)
    approved = dt.date(2026, 10, 1)  # 4 years 11.5 months before retirement
    p = person(
        birth=birth,
        sex="女",
        on=ON,
        former_employer_type="国有",
        employment_status="公益性岗位",
        first_approval_date=approved.isoformat(),
        original_retirement_age=50,
    )
    r = assess_person(SX, p, ON)
    assert {b.code for b in r.benefits} >= {"post_subsidy", "insurance_subsidy"}
    assert r.period_end == dt.date(2031, 9, 14)


def test_public_welfare_post_subsidies_local_period_when_five_years_or_more():
    birth = dt.date(1979, 6, 15)  # retires 2031-09-15
    approved = dt.date(2026, 9, 15)  # exactly 5 years before: not 不足5年
    p = person(
        birth=birth,
        sex="女",
        on=ON,
        former_employer_type="国有",
        employment_status="公益性岗位",
        first_approval_date=approved.isoformat(),
    )
    r = assess_person(SX, p, ON)
    assert r.period_end == dt.date(2029, 9, 14)  # example local period 3 years


def test_zero_employment_target_one_month_with_month_end_rule():
    """四(一): 一个月内 — 民法典第二百零一条 for the 31st."""
    assert deadline(SX, "零就业家庭就业目标", dt.date(2026, 1, 31))[0] == dt.date(2026, 2, 28)
    me = person(age=30, on=ON, household_id="H1", first_approval_date="2026-11-10")
    r = assess_person(SX, me, ON, household=[])
    assert ("零就业家庭就业目标", dt.date(2026, 12, 10)) in [
        (d.event, when) for d, when in r.deadlines
    ]


def test_follow_up_monthly_and_may_end_after_half_a_year():
    assert deadline(SX, "下次跟踪随访", dt.date(2026, 3, 31))[0] == dt.date(2026, 4, 30)
    # 四(一)“稳定就业在半年以上”: half a year itself counts (policy-notes, 民法典第一千二百五十九条)
    assert deadline(SX, "可结束跟踪随访", dt.date(2026, 1, 10))[0] == dt.date(2026, 7, 10)


def test_agreement_obligations_and_duties_cite_clauses():
    """四(一) agreement contents, 二(三) level-by-level letters."""
    pack = get_policy(SX)
    r = assess_person(SX, person(age=30, on=ON, household_id="H1"), ON, household=[])
    texts = " ".join(o.text for o in r.obligations)
    assert "超过3次" in texts and "超过半年" in texts and "一个月内" in texts
    assert any("目标责任书" in d.text and d.clause == "SX-2008 二(三)" for d in pack.duties)
    assert any("援助责任人" in m.text for m in r.measures)


def test_free_first_skill_appraisal():
    """四(三)."""
    r = assess_person(SX, person(age=45, on=ON, former_employer_type="国有"), ON)
    assert "free_appraisal" in {b.code for b in r.benefits}


def test_ledger_and_person_agree_on_household():
    import pandas as pd

    rows = [
        person(age=30, sex="男", on=ON, household_id="H1"),
        person(age=31, sex="女", on=ON, household_id="H1", seq=30),
        person(age=45, sex="女", on=ON, household_id="H2", former_employer_type="国有", seq=31),
        person(age=20, sex="男", on=ON, household_id="H2", seq=32, employment_status="已就业"),
    ]
    ledger = assess_ledger(SX, pd.DataFrame(rows, dtype=object), ON)
    for i, row in enumerate(rows):
        others = [
            r for j, r in enumerate(rows) if j != i and r["household_id"] == row["household_id"]
        ]
        single = assess_person(SX, row, ON, household=others)
        assert ledger["status"].iloc[i] == single.status
        assert ledger["explanation"].iloc[i] == single.explanation


def test_birth_for_age_helper_is_consistent():
    assert birth_for_age(40, ON) == dt.date(1986, 11, 12)
