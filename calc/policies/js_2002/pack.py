"""JS-2002 苏政办发〔2002〕44号 江苏省政府办公厅关于对生活困难的下岗职工、失业人员开展再就业援助的通知."""

from __future__ import annotations

import datetime as dt

from calc import rules
from calc.dates import add_years
from calc.normalize import ENTERPRISE, FLEXIBLE, PUBLIC_WELFARE, SELF_EMPLOYED
from calc.periods import LOCAL_PERIOD
from calc.policies.base import (
    Benefit,
    Category,
    DeadlineRule,
    Duty,
    Measure,
    Obligation,
    PolicyPack,
    Requirement,
)
from calc.policies.local_parameters import common_local_parameters, written

from .documents import DOCUMENTS
from .sample import SAMPLE

ISSUED = dt.date(2002, 5, 8)
HOUSEHOLD = "household_two_unemployed"


HOUSEHOLD_DAYS = "家庭就业时限（日）"
HOUSEHOLD_TARGET = "家庭就业目标"  # the deadline of 三 (event)


def household_target(registered: dt.date, days: int = 7) -> dt.date:
    """三：自求职登记之日起7日内每户至少1人就业 — the 7th day after registration.

    Periods in days start on the day after the event (民法典第二百零一条); a
    last day that is a rest day moves to the next working day (第二百零三条,
    applied by calc.deadlines).
    """
    return registered + dt.timedelta(days=days)


def survey_deadline(day: dt.date) -> dt.date:
    """五(一)：调查摸底、张榜公示 — 5月底前 in 2002, 3月底前 in later years."""
    return dt.date(2002, 5, 31) if day.year == 2002 else dt.date(day.year, 3, 31)


def plan_deadline(day: dt.date) -> dt.date:
    """五(二)：制定年度实施方案 — 6月底前 in 2002, 4月底前 in later years."""
    return dt.date(2002, 6, 30) if day.year == 2002 else dt.date(day.year, 4, 30)


def report_deadline(day: dt.date) -> dt.date:
    """五(四)：下一年度元月中旬前报告 — read as 15 January of the next year."""
    return dt.date(day.year + 1, 1, 15)


def check_deadline(day: dt.date) -> dt.date:
    """五(四)：元月底前省政府检查考核 — 31 January of the next year."""
    return dt.date(day.year + 1, 1, 31)


def next_registration_review(day: dt.date) -> dt.date:
    """四(一)：每年登记审核一次 — one year after the last review or first approval."""
    return add_years(day, 1)


PACK = PolicyPack(
    position=0,
    sample=SAMPLE,
    documents=DOCUMENTS,
    code="JS-2002",
    title="江苏省政府办公厅关于对生活困难的下岗职工、失业人员开展再就业援助的通知",
    doc_number="苏政办发〔2002〕44号",
    issuer="江苏省人民政府办公厅",
    issued=ISSUED,
    level="省级",
    region="江苏省",
    notice_subject="再就业援助重点对象",
    precondition_clause="JS-2002 二",
    preconditions=(
        Requirement("able", "有劳动能力", rules.able_to_work),
        Requirement("wants", "有就业愿望", rules.wants_work),
        Requirement("accepts", "不挑剔就业岗位", rules.accepts_any_post),
        Requirement("unemployed", "下岗职工或失业人员", rules.laid_off_or_unemployed),
        Requirement("working_age", "在法定劳动年龄内（三）", rules.within_working_age),
    ),
    own_categories=(
        Category(
            HOUSEHOLD,
            "夫妻双方或一户两人以上下岗失业家庭成员",
            "JS-2002 二(一)",
            (
                Requirement(
                    "two",
                    "夫妻双方均下岗失业或一户两人以上下岗失业",
                    rules.two_or_more_unemployed_in_household,
                ),
                Requirement("no_income", "无其他稳定经济来源", rules.no_other_stable_income),
            ),
        ),
        Category(
            "single_parent",
            "离异丧偶抚养赡养人员",
            "JS-2002 二(二)",
            (
                Requirement(
                    "single",
                    "离异或丧偶，抚养未成年子女或赡养老人",
                    rules.single_parent_with_dependants,
                ),
                Requirement(
                    "no_income", "没有稳定的就业岗位或经济来源", rules.no_other_stable_income
                ),
            ),
        ),
        Category(
            "older_low_skill",
            "年龄偏大技能偏低人员",
            "JS-2002 二(三)",
            (
                Requirement(
                    "age", "男年满50周岁、女年满40周岁", rules.age_at_least(women=40, men=50)
                ),
                Requirement("skill", "技能偏低", rules.low_skill),
            ),
        ),
        Category(
            "low_income",
            "家庭人均收入不高于低保标准人员",
            "JS-2002 二(四)",
            (
                Requirement(
                    "income",
                    "家庭人均收入低于或只能达到当地城市居民最低生活保障标准",
                    rules.income_per_head_at_most_allowance,
                ),
            ),
        ),
    ),
    own_benefits=(
        Benefit(
            "post_subsidy",
            "公益性岗位补贴",
            "JS-2002 四(三)",
            "monthly",
            situations=(PUBLIC_WELFARE,),
            amount_params=("公益性岗位补贴月标准",),
            period=LOCAL_PERIOD,
        ),
        Benefit(
            "placement_subsidy",
            "用人单位安置补贴",
            "JS-2002 四(三)",
            "one_off",
            situations=(ENTERPRISE,),
            amount_params=("用人单位安置补贴标准",),
            recipient="用人单位",
        ),
        Benefit("free_guidance", "免费职业指导和职业介绍", "JS-2002 四(六)", "service"),
        Benefit(
            "training",
            "技能培训和创业培训",
            "JS-2002 四(三)",
            "service",
            situations=("unemployed",),
        ),
        Benefit("card_policies", "再就业优惠证扶持政策", "JS-2002 四(五)", "service"),
        Benefit(
            "insurance_continuation",
            "社会保险关系接续服务",
            "JS-2002 四(六)",
            "service",
            situations=(FLEXIBLE, ENTERPRISE, PUBLIC_WELFARE, SELF_EMPLOYED),
        ),
        Benefit(
            "loan_interest",
            "自主创业贷款贴息",
            "JS-2002 四(七)",
            "service",
            situations=(SELF_EMPLOYED,),
        ),
    ),
    own_obligations=(
        Obligation("不挑不拣，服从岗位安排，及时上岗。", "JS-2002 二、三"),
        Obligation(
            "每年参加登记审核一次，如实提供职业技能、就业愿望和家庭生活情况。", "JS-2002 四(一)"
        ),
        Obligation(
            "自求职登记之日起7日内，配合实现本户至少1人就业。",
            "JS-2002 三",
            categories=(HOUSEHOLD,),
            deadline=HOUSEHOLD_TARGET,
        ),
    ),
    own_measures=(
        Measure("确定帮扶责任人，帮扶到户、责任到人，经常上门走访。", "JS-2002 四(四)"),
        Measure("提供免费职业指导和职业介绍。", "JS-2002 四(六)"),
        Measure("组织实用技能培训；有创业能力的，提供创业培训和信息咨询。", "JS-2002 四(三)"),
        Measure("优先推荐政府差额补贴的公益性岗位。", "JS-2002 四(三)"),
        Measure("帮助接续各项社会保险关系。", "JS-2002 四(六)"),
        Measure(
            "指导按规定申领城市居民最低生活保障金。", "JS-2002 四(二)", categories=("low_income",)
        ),
        Measure(
            "自求职登记之日起7日内帮助本户至少1人实现就业。",
            "JS-2002 三",
            categories=(HOUSEHOLD,),
            deadline=HOUSEHOLD_TARGET,
        ),
    ),
    own_duties=(
        Duty(
            "调查登记",
            "每年登记审核一次，通过上门调查、公示等方式审核确认，建卡造册，逐级上报，动态跟踪。",
            "JS-2002 四(一)",
        ),
        Duty(
            "结对帮扶",
            "将援助重点对象分解到部门、单位和个人，每户明确一名帮扶责任干部，帮扶到户、责任到人、落实到位。",
            "JS-2002 四(四)",
        ),
        Duty(
            "工作目标",
            "对夫妻双方或一户两人以上下岗失业的家庭，自求职登记之日起7日内实现每户至少1人就业。",
            "JS-2002 三",
        ),
        Duty(
            "实施步骤",
            "3月底前完成调查登记并张榜公示；4月底前制定年度实施方案；年底前完成年度计划；次年元月中旬前报告工作进展。",
            "JS-2002 五",
        ),
    ),
    own_deadlines=(
        DeadlineRule(
            HOUSEHOLD_TARGET,
            "JS-2002 三",
            household_target,
            "jobseeking_date",
            (HOUSEHOLD,),
            "自求职登记之日起7日内每户至少1人就业",
            fallback_field=None,
            param=HOUSEHOLD_DAYS,
            rest_day_rolls=True,
        ),
        DeadlineRule(
            "下次登记审核",
            "JS-2002 四(一)",
            next_registration_review,
            "annual_review_date",
            None,
            "每年登记审核一次",
        ),
        DeadlineRule(
            "年度调查公示",
            "JS-2002 五(一)",
            survey_deadline,
            None,
            None,
            "当年3月底前（2002年为5月底前）",
        ),
        DeadlineRule(
            "年度实施方案",
            "JS-2002 五(二)",
            plan_deadline,
            None,
            None,
            "当年4月底前（2002年为6月底前）",
        ),
        DeadlineRule(
            "年度工作报告", "JS-2002 五(四)", report_deadline, None, None, "次年元月中旬前"
        ),
        DeadlineRule("省级检查考核", "JS-2002 五(四)", check_deadline, None, None, "次年元月底前"),
    ),
    own_parameters=(
        *common_local_parameters(ISSUED),
        written(HOUSEHOLD_DAYS, 7, "日", ISSUED, "JS-2002 三“自求职登记之日起7日内”"),
    ),
)
