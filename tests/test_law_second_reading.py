"""Issue 10 §2–§3: the rules a second reading of the five texts found wrong.

Each test states the clause and the case; each failed on the engine before
the correction (see the commit that introduced it).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from calc import workdays as calc_workdays
from calc.assess import assess_person
from calc.params import ParameterTable
from calc.subsidy import subsidy_amount
from tests.person_factory import birth_for_age, make_id, person

ON = dt.date(2026, 11, 22)


def _member(age, sex="女", status="失业", seq=30, **fields):
    birth = birth_for_age(age, ON)
    row = {
        "name": f"成员{seq}",
        "id_number": make_id(birth, sex, seq=seq),
        "employment_status": status,
        "household_id": "H1",
    }
    row.update(fields)
    return row


def _params(*rows):
    return ParameterTable.from_rows([("名称", "数值", "生效日期", "依据"), *rows])


# --------------------------------------------------------------- JS-2002 二(一)


def test_js_two_unemployed_counts_only_members_within_working_age():
    """二(一)“两人以上下岗或失业”: a 70-year-old parent and a 15-year-old child
    with 就业状态 无业 are not 下岗/失业 persons."""
    me = person(age=45, on=ON, household_id="H1", other_stable_income="否")
    mates = [_member(70, status="无业", seq=31), _member(15, status="无业", seq=32)]
    got = assess_person("JS-2002", me, ON, household=mates)
    assert "household_two_unemployed" not in [c.code for c in got.categories]


def test_js_in_school_student_is_not_an_unemployed_member():
    """Ruling §3: a student of working age is not an unemployed household member."""
    me = person(age=45, on=ON, household_id="H1", other_stable_income="否")
    mates = [_member(19, status="无业", seq=33, in_school="是")]
    got = assess_person("JS-2002", me, ON, household=mates)
    assert "household_two_unemployed" not in [c.code for c in got.categories]
    # the same member out of school counts
    mates = [_member(19, status="无业", seq=33, in_school="否")]
    got = assess_person("JS-2002", me, ON, household=mates)
    assert "household_two_unemployed" in [c.code for c in got.categories]


# --------------------------------------------------------------- SX-2008 一


def test_sx_zero_employment_employed_member_of_unknown_age_is_uncertain():
    """一(二): an employed member whose age is unknown does not prove a zero-employment household."""
    me = person(age=35, on=ON, household_id="H1", registered_place="山西省太原市")
    mate = {"name": "配偶", "employment_status": "已就业", "household_id": "H1"}
    got = assess_person("SX-2008", me, ON, household=[mate])
    assert got.status == "待核实"
    assert "零就业" in got.explanation


def test_sx_zero_employment_student_does_not_break_it():
    me = person(age=35, on=ON, household_id="H1", registered_place="山西省太原市")
    got = assess_person(
        "SX-2008", me, ON, household=[_member(19, status="无业", seq=34, in_school="是")]
    )
    assert got.status == "符合" and "zero_employment" in [c.code for c in got.categories]


def test_sx_one_member_household_as_zero_employment_is_a_parameter():
    me = person(age=35, on=ON, household_id="H1", registered_place="山西省太原市")
    assert assess_person("SX-2008", me, ON, household=[]).status == "符合"
    no = _params(("单人户认定零就业家庭", "否", "2008-05-28", "市人社局口径"))
    assert assess_person("SX-2008", me, ON, no, household=[]).status == "不符合"


def test_sx_hukou_of_another_province_fails_and_missing_is_unknown():
    """一“具有我省城市户口”."""
    base = {"former_employer_type": "国有", "household_registration": "城镇"}
    here = person(age=45, on=ON, registered_place="山西省太原市小店区", **base)
    assert assess_person("SX-2008", here, ON).status == "符合"
    other = person(age=45, on=ON, registered_place="河北省石家庄市", **base)
    got = assess_person("SX-2008", other, ON)
    assert got.status == "不符合" and "户籍地" in got.explanation
    missing = person(age=45, on=ON, **base)
    missing.pop("registered_place")
    got = assess_person("SX-2008", missing, ON)
    assert got.status == "待核实" and "户籍地" in got.explanation


def test_sx_one_year_of_unemployment_uses_the_month_end_rule():
    """民法典第二百零二条: from 2024-02-29, one year ends on 2025-02-28."""
    me = person(
        age=35,
        on=ON,
        registered_place="山西省太原市",
        unemployment_date="2024-02-29",
        unemployment_registration_date="2024-02-29",
        minimum_allowance="是",
    )
    got = assess_person("SX-2008", me, dt.date(2025, 2, 28))
    assert "long_term" in [c.code for c in got.categories]


# --------------------------------------------------------------- retirement-age ruling


def test_womans_original_retirement_age_missing_and_decisive_is_uncertain():
    """Ruling §3: 52-year-old woman born 1974: retired at 50, of working age at 55."""
    me = person(
        on=ON,
        birth=dt.date(1974, 6, 1),
        registered_place="山西省太原市",
        former_employer_type="国有",
    )
    got = assess_person("SX-2008", me, ON)
    assert got.status == "待核实" and "原退休年龄" in got.explanation
    assert assess_person("SX-2008", {**me, "original_retirement_age": 55}, ON).status == "符合"
    assert assess_person("SX-2008", {**me, "original_retirement_age": 50}, ON).status == "不符合"


# --------------------------------------------------------------- AH-2011


# AH-2011 (八) 2008 special case: tests/test_policy_ah_2011.py::test_4050_special_case_extends_insurance_subsidy


def test_ah_near_retirement_before_2025_tests_old_law_and_ends_on_reformed_date():
    """Ruling §3: approved 2022-03-01, man born 1966-10-01: within 5 years of 60
    (old law, 2026-10-01), so until retirement — which is now 60岁6个月 (2027-04-01)."""
    me = person(
        on=ON,
        birth=dt.date(1966, 10, 1),
        sex="男",
        employment_status="已就业",
        employment_type="公益性岗位",
        employment_date="2022-03-01",
        first_approval_date="2022-03-01",
        annual_review_date="2026-02-01",
    )
    got = assess_person("AH-2011", me, dt.date(2026, 6, 1))
    end, text = got.periods["post_subsidy"]
    assert end == dt.date(2027, 3, 31)
    assert "2025年前" in text and "渐进式" in text


def test_ah_missed_review_last_year_stays_cancelled_in_next_first_quarter():
    """(六): missed the 2026 first-quarter review → still cancelled in February 2027."""
    me = person(age=45, on=ON, first_approval_date="2024-05-01", annual_review_date="2025-02-01")
    assert assess_person("AH-2011", me, dt.date(2027, 2, 10)).status == "资格终止"
    reviewed = {**me, "annual_review_date": "2026-03-02"}
    assert assess_person("AH-2011", reviewed, dt.date(2027, 2, 10)).status == "符合"


def test_ah_self_employed_tax_needs_half_a_year_registered_before_the_business():
    """(七)2 登记失业半年以上…从事个体经营: from 失业登记日期 to the start of the business."""
    me = person(
        age=45,
        on=ON,
        employment_status="已就业",
        employment_type="个体经营",
        unemployment_date="2020-01-01",
        unemployment_registration_date="2026-03-01",
        employment_date="2026-05-01",
        first_approval_date="2026-03-20",
    )
    got = assess_person("AH-2011", me, ON)
    assert "self_employed_tax" not in [b.code for b in got.benefits]
    earlier = {**me, "unemployment_registration_date": "2025-10-01"}
    got = assess_person("AH-2011", earlier, ON)
    assert "self_employed_tax" in [b.code for b in got.benefits]


def test_ah_insurance_subsidy_for_hiring_zero_employment_member_is_the_employers():
    """(七)4: 用人单位吸纳零就业家庭成员…给予用人单位…社会保险补贴."""
    me = person(
        age=35,
        on=ON,
        household_id="H1",
        employment_status="已就业",
        employment_type="企业吸纳",
        employment_date="2026-05-01",
        first_approval_date="2026-04-01",
        contract_years=2,
        zero_employment_household="是",
    )
    got = assess_person("AH-2011", me, ON)
    codes = [b.code for b in got.benefits]
    assert "zero_hire_insurance_subsidy" in codes
    assert "insurance_subsidy" not in codes
    assert got.benefits[codes.index("zero_hire_insurance_subsidy")].recipient == "用人单位"


# --------------------------------------------------------------- JS-2002 二(二)、二(四)、三


def test_js_remarried_after_divorce_is_married():
    me = person(
        age=35,
        on=ON,
        marital_status="离异后再婚",
        supports_dependants="是",
        other_stable_income="否",
    )
    assert "single_parent" not in [c.code for c in assess_person("JS-2002", me, ON).categories]
    me["marital_status"] = "离异"
    assert "single_parent" in [c.code for c in assess_person("JS-2002", me, ON).categories]


def test_js_income_equal_to_the_standard_counts_to_the_fen():
    """二(四)“低于或只能达到”: 2100.03 元 ÷ 3 人 = 700.01 元 = the standard."""
    me = person(age=35, on=ON, household_income=2100.03, household_size=3)
    params = _params(("城市居民最低生活保障标准", 700.01, "2002-05-08", "市民政局"))
    got = assess_person("JS-2002", me, ON, params)
    assert "low_income" in [c.code for c in got.categories]


def test_js_income_per_head_derived_row_by_row():
    me = person(age=35, on=ON, household_id="H1", household_income=1400, household_size=2)
    mate = _member(40, seq=35, income_per_head=500)
    got = assess_person("JS-2002", me, ON, household=[mate])
    assert "low_income" in [c.code for c in got.categories]


def _js_household(**over):
    me = person(age=45, on=ON, household_id="H1", other_stable_income="否")
    me.update(over)
    return me, [_member(44, sex="男", seq=36)]


def test_js_seven_days_run_from_jobseeking_registration_only():
    """三“自求职登记之日起7日内”: without 求职登记日期 the deadline is unknown."""
    me, mates = _js_household(first_approval_date="2026-09-01")
    got = assess_person("JS-2002", me, ON, household=mates)
    assert "家庭就业目标" not in [rule.event for rule, _ in got.deadlines]
    assert "求职登记日期" in got.deadline_problems.get("家庭就业目标", "")


def test_js_seven_days_ending_on_a_rest_day_move_to_the_next_working_day():
    """民法典第二百零三条: 2026-09-24 + 7 days = 2026-10-01 (国庆) → 2026-10-08."""
    me, mates = _js_household(jobseeking_date="2026-09-24", first_approval_date="2026-09-01")
    got = assess_person("JS-2002", me, dt.date(2026, 9, 25), household=mates)
    when = dict((rule.event, day) for rule, day in got.deadlines)["家庭就业目标"]
    assert when == dt.date(2026, 10, 8)
    assert calc_workdays.is_workday(when)
    assert "第二百零三条" in got.deadline_texts["家庭就业目标"]


# --------------------------------------------------------------- JY_SUBSIDY month by month


def test_subsidy_months_before_a_later_lapse_stay_payable():
    """SX-2008 二(一) lapse on 2026-06-21 (超过半年未申报): January–May are paid."""
    me = person(
        age=45,
        on=ON,
        registered_place="山西省太原市",
        former_employer_type="国有",
        employment_status="已就业",
        employment_type="公益性岗位",
        employment_date="2025-06-01",
        first_approval_date="2025-06-01",
        last_report_date="2025-12-20",
    )
    got = subsidy_amount("SX-2008", "公益性岗位补贴", me, dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert got.months == 5
    assert got.amount == Decimal("4000.00")


# --------------------------------------------------------------- working days after the schedule


def test_workday_after_the_last_official_schedule_is_an_estimate():
    from tests import xlwings_helpers

    fn = xlwings_helpers.load("xl_addin.functions")
    last = max(calc_workdays.OFFICIAL_SCHEDULE_YEARS)
    got = fn.jy_workday(f"{last + 1}-03-02", 5)
    assert isinstance(got, str) and f"{last + 1}年放假安排尚未公布，按规则推算" in got
    assert isinstance(fn.jy_workday(f"{last}-03-02", 5), dt.datetime | dt.date)


def test_notice_period_after_the_last_official_schedule_is_marked_in_the_register(tmp_path):
    import csv

    from doc_templates.batches import write_notice
    from doc_templates.contexts import NoticeContext, NoticeRow, Office, PolicyRef

    year = max(calc_workdays.OFFICIAL_SCHEDULE_YEARS) + 1
    ctx = NoticeContext(
        office=Office("坞城街道劳动保障事务所"),
        subject="就业困难人员",
        rows=[NoticeRow("张秀英", "女", 46, "坞城社区", "“4050”人员")],
        start=dt.date(year, 3, 2),
        workdays=5,
        policies=[
            PolicyRef("SX-2008", "山西省人民政府办公厅关于做好就业困难人员就业援助工作的意见")
        ],
    )
    write_notice(ctx, tmp_path)
    with (tmp_path / "文书登记簿.csv").open(encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert f"{year}年放假安排尚未公布，按规则推算" in row["关键字段摘要"]
