"""SX-2008 山西省人民政府办公厅关于做好就业困难人员就业援助工作的意见（2008年5月28日）."""

from __future__ import annotations

import datetime as dt

from calc import rules
from calc.dates import add_months
from calc.normalize import ENTERPRISE, PUBLIC_WELFARE, SELF_EMPLOYED
from calc.periods import LOCAL_PERIOD
from calc.policies.base import (
    Benefit,
    Category,
    DeadlineRule,
    Duty,
    LapseRule,
    Measure,
    Obligation,
    PolicyPack,
    Requirement,
)
from calc.policies.local_parameters import common_local_parameters, written

from .documents import DOCUMENTS
from .periods import PUBLIC_WELFARE_PERIOD
from .sample import SAMPLE

ISSUED = dt.date(2008, 5, 28)
ZERO = "zero_employment"
ZERO_TARGET = "零就业家庭就业目标"  # the deadline of 四(一) (event)

# Numbers written into the clauses: parameters of the pack (docs/parameters.md).
REFUSED_POSTS_LIMIT = "拒绝岗位次数上限"  # 二(一)：超过3次未上岗 → 不再作为就业困难人员
REPORT_MONTHS = "未申报就业失业状况期限（月）"  # 二(一)：超过半年未申报
ZERO_TARGET_MONTHS = "零就业家庭就业时限（月）"  # 四(一)：一个月内
FOLLOW_UP_MONTHS = "结束跟踪随访稳定就业期限（月）"  # 四(一)：稳定就业半年以上
LONG_TERM_MONTHS = "长期失业认定月数"  # 一(三)：失业一年以上
SINGLE_MEMBER_ZERO = "单人户认定零就业家庭"  # 一(二) as the text reads


def zero_employment_target(day: dt.date, months: int = 1) -> dt.date:
    """四(一)：零就业家庭一个月内至少一名成员就业 (month-end rule of 民法典第二百零二条;
    a rest day moves to the next working day, 第二百零三条)."""
    return add_months(day, months)


def report_deadline(last_report: dt.date, months: int = 6) -> dt.date:
    """二(一)：超过半年未申报就业失业状况即不再作为就业困难人员 — last day to report."""
    return add_months(last_report, months)


def next_follow_up(last: dt.date) -> dt.date:
    """四(一)：按月跟踪随访."""
    return add_months(last, 1)


def follow_up_may_end(employed_on: dt.date, months: int = 6) -> dt.date:
    """四(一)：稳定就业半年以上的，可以结束跟踪随访 — half a year itself counts
    (“以上”含本数，民法典第一千二百五十九条): the day half a year is complete."""
    return add_months(employed_on, months)


PACK = PolicyPack(
    position=1,
    sample=SAMPLE,
    documents=DOCUMENTS,
    demo=True,
    code="SX-2008",
    title="山西省人民政府办公厅关于做好就业困难人员就业援助工作的意见",
    doc_number="",
    issuer="山西省人民政府办公厅",
    issued=ISSUED,
    level="省级",
    region="山西省",
    notice_subject="就业困难人员",
    precondition_clause="SX-2008 一",
    preconditions=(
        Requirement("urban", "城市户口", rules.urban_hukou),
        Requirement("province", "我省户籍（户籍地在山西省）", rules.hukou_in_province),
        Requirement("working_age", "在法定劳动年龄内", rules.within_working_age),
        Requirement("able", "有就业能力", rules.able_to_work),
        Requirement("wants", "有就业要求", rules.wants_work),
        Requirement("registered", "已进行失业登记", rules.registered_unemployed),
    ),
    own_categories=(
        Category(
            "4050",
            "“4050”人员",
            "SX-2008 一(一)",
            (
                Requirement(
                    "age",
                    "女性满40周岁及以上、男性满50周岁及以上",
                    rules.age_at_least(women=40, men=50),
                ),
                Requirement("employer", "国有、集体企业失业人员", rules.former_state_or_collective),
            ),
        ),
        Category(
            ZERO,
            "“零就业”家庭成员",
            "SX-2008 一(二)",
            (
                Requirement(
                    "zero",
                    "城市居民家庭中法定劳动年龄内成员均处于失业状态",
                    rules.zero_employment_household,
                ),
            ),
        ),
        Category(
            "long_term",
            "长期失业人员",
            "SX-2008 一(三)",
            (
                Requirement("allowance", "享受城市居民最低生活保障", rules.on_minimum_allowance),
                Requirement(
                    "months",
                    "失业一年以上",
                    rules.unemployed_months_at_least(param=LONG_TERM_MONTHS),
                ),
            ),
        ),
        Category(
            "designated",
            "市人民政府确定的其他就业困难人员",
            "SX-2008 一(四)",
            (
                Requirement(
                    "designated",
                    "经市人民政府确定",
                    rules.flag("locally_designated", "经市政府确定", "未经市政府确定"),
                ),
            ),
        ),
    ),
    own_lapses=(
        LapseRule(
            "refused",
            "无正当理由超过3次未在提供的就业岗位上岗",
            "SX-2008 二(一)",
            rules.refused_posts_more_than(REFUSED_POSTS_LIMIT),
        ),
        LapseRule(
            "no_report",
            "超过半年未申报就业或失业状况",
            "SX-2008 二(一)",
            rules.no_report_for_more_than_months(REPORT_MONTHS),
        ),
        LapseRule("gave_up", "本人自愿放弃就业要求", "SX-2008 二(一)", rules.gave_up),
    ),
    own_benefits=(
        Benefit(
            "post_subsidy",
            "公益性岗位补贴",
            "SX-2008 三(四)",
            "monthly",
            situations=(PUBLIC_WELFARE,),
            amount_params=("公益性岗位补贴月标准",),
            period=PUBLIC_WELFARE_PERIOD,
        ),
        Benefit(
            "insurance_subsidy",
            "社会保险补贴",
            "SX-2008 三(四)",
            "monthly",
            situations=(PUBLIC_WELFARE,),
            amount_params=("社会保险补贴缴费基数", "社会保险补贴费率"),
            period=PUBLIC_WELFARE_PERIOD,
        ),
        Benefit(
            "enterprise_insurance_subsidy",
            "企业吸纳社会保险补贴",
            "SX-2008 三(三)",
            "monthly",
            situations=(ENTERPRISE,),
            amount_params=("社会保险补贴缴费基数", "社会保险补贴费率"),
            period=LOCAL_PERIOD,
            recipient="用人单位",
        ),
        Benefit(
            "enterprise_post_subsidy",
            "企业吸纳岗位补贴",
            "SX-2008 三(三)（晋政发〔2006〕4号）",
            "monthly",
            situations=(ENTERPRISE,),
            amount_params=("企业吸纳岗位补贴月标准",),
            period=LOCAL_PERIOD,
            recipient="用人单位",
        ),
        Benefit(
            "start_up",
            "创业扶持和小额担保贷款",
            "SX-2008 三(二)",
            "loan",
            situations=(SELF_EMPLOYED,),
            amount_params=("小额担保贷款最高额度",),
        ),
        Benefit(
            "free_services",
            "免费公共就业服务",
            "SX-2008 四(二)",
            "service",
        ),
        Benefit("free_appraisal", "首次职业技能鉴定免费（特殊工种）", "SX-2008 四(三)", "service"),
    ),
    own_obligations=(
        Obligation("积极参加街道、社区劳动保障工作机构组织的培训和招聘活动。", "SX-2008 二(一)"),
        Obligation(
            "按要求定期（至少每半年一次）到社区劳动保障工作机构申报就业或失业状况；超过半年未申报的，不再作为就业困难人员。",
            "SX-2008 二(一)",
        ),
        Obligation(
            "无正当理由超过3次未在劳动保障行政部门提供的就业岗位上岗的，不再作为就业困难人员。",
            "SX-2008 二(一)",
        ),
        Obligation("接受社区按月跟踪随访，及时告知就业、失业变化情况。", "SX-2008 四(一)"),
        Obligation("实现就业后再次失业的，按规定程序重新申请认定。", "SX-2008 二(一)"),
        Obligation(
            "配合“一对一”援助服务，争取一个月内本家庭至少一名成员实现就业。",
            "SX-2008 四(一)",
            categories=(ZERO,),
            deadline=ZERO_TARGET,
        ),
    ),
    own_measures=(
        Measure("明确援助责任人，制订就业援助计划和帮扶措施。", "SX-2008 四(一)"),
        Measure(
            "实行“一对一”就业援助服务，一个月内帮助至少一名家庭成员实现就业。",
            "SX-2008 四(一)",
            categories=(ZERO,),
            deadline=ZERO_TARGET,
        ),
        Measure("免费提供劳动保障政策咨询、职业指导、技能培训和职业介绍。", "SX-2008 四(二)"),
        Measure(
            "推荐公益性岗位，落实岗位补贴和社会保险补贴。",
            "SX-2008 三(四)",
            situations=("unemployed", PUBLIC_WELFARE),
        ),
        Measure("提供创业培训、开业指导、税费减免、小额担保贷款等“一条龙”服务。", "SX-2008 三(二)"),
        Measure("按月跟踪随访；稳定就业半年以上的，可结束跟踪随访。", "SX-2008 四(一)"),
        Measure("初次参加职业技能鉴定（特殊工种）免费。", "SX-2008 四(三)"),
    ),
    own_duties=(
        Duty(
            "目标责任",
            "市、县（市、区）、街道、社区层层签订《目标责任书》，将就业困难人员就业列入年度工作考核目标。",
            "SX-2008 二(三)",
        ),
        Duty(
            "认定管理",
            "对辖区内新产生的就业困难人员及时登记、公示、审核，报县级劳动保障行政部门认定；不再具备条件或已就业的及时调整。",
            "SX-2008 二(一)、(二)",
        ),
        Duty(
            "基础台账",
            "为辖区内所有就业困难人员建立基础台账和资源数据库，记载年龄、技能、接受服务、就业愿望、就业情况和享受政策情况。",
            "SX-2008 二(二)",
        ),
        Duty(
            "援助协议",
            "与每名就业困难人员签订《接受就业援助协议书》，明确援助责任人、援助内容和援助措施。",
            "SX-2008 四(一)",
        ),
        Duty(
            "零就业家庭",
            "对零就业家庭实行“一对一”援助，一个月内帮助至少一名家庭成员实现就业。",
            "SX-2008 四(一)",
        ),
        Duty("跟踪随访", "按月对就业困难人员跟踪随访，及时掌握就业、失业动态。", "SX-2008 四(一)"),
    ),
    own_deadlines=(
        DeadlineRule(
            ZERO_TARGET,
            "SX-2008 四(一)",
            zero_employment_target,
            "first_approval_date",
            (ZERO,),
            "一个月内至少一名家庭成员就业",
            param=ZERO_TARGET_MONTHS,
            rest_day_rolls=True,
        ),
        DeadlineRule(
            "就业失业状况申报期限",
            "SX-2008 二(一)",
            report_deadline,
            "last_report_date",
            None,
            "超过半年未申报即不再作为就业困难人员",
            param=REPORT_MONTHS,
        ),
        DeadlineRule(
            "下次跟踪随访",
            "SX-2008 四(一)",
            next_follow_up,
            "last_report_date",
            None,
            "按月跟踪随访",
        ),
        DeadlineRule(
            "可结束跟踪随访",
            "SX-2008 四(一)",
            follow_up_may_end,
            "employment_date",
            None,
            "稳定就业半年以上可结束随访",
            param=FOLLOW_UP_MONTHS,
        ),
    ),
    own_parameters=(
        *common_local_parameters(ISSUED),
        written(LONG_TERM_MONTHS, 12, "个月", ISSUED, "SX-2008 一(三)“失业一年以上”"),
        written(REFUSED_POSTS_LIMIT, 3, "次", ISSUED, "SX-2008 二(一)“无正当理由超过3次未…上岗”"),
        written(REPORT_MONTHS, 6, "个月", ISSUED, "SX-2008 二(一)“超过半年未…申报”"),
        written(
            "延长至退休距退休年限（年）", 5, "年", ISSUED, "SX-2008 三(四)“距法定退休年龄不足5年的”"
        ),
        written(
            ZERO_TARGET_MONTHS,
            1,
            "个月",
            ISSUED,
            "SX-2008 四(一)“在一个月内帮助至少一名家庭成员实现就业”",
        ),
        written(FOLLOW_UP_MONTHS, 6, "个月", ISSUED, "SX-2008 四(一)“稳定就业在半年以上”"),
        written(
            SINGLE_MEMBER_ZERO,
            "是",
            "",
            ISSUED,
            "SX-2008 一(二)“城市居民家庭中，法定劳动年龄内均处于失业状态的家庭成员”（文件未排除单人户）",
        ),
    ),
)
