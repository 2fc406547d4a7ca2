"""GS-2003 甘肃省人民政府关于加快推进再就业工作的实施意见（2003年6月10日）."""

from __future__ import annotations

import calendar
import datetime as dt

from calc import rules
from calc.normalize import PUBLIC_WELFARE, SELF_EMPLOYED
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
from calc.policies.local_parameters import common_local_parameters, older_age_parameters

from .documents import DOCUMENTS
from .sample import SAMPLE

ISSUED = dt.date(2003, 6, 10)
ALLOWANCE = "allowance_able"
#: the receiving units a letter's duty binds (:class:`calc.policies.base.Duty`)
STREET, COMMUNITY = ("street",), ("community",)


def month_end(day: dt.date) -> dt.date:
    """六(十二)：按月汇总进展 — the last day of the month."""
    return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def quarter_end(day: dt.date) -> dt.date:
    """六(十二)：按季汇总主要目标完成情况 — the last day of the quarter."""
    month = (day.month - 1) // 3 * 3 + 3
    return dt.date(day.year, month, calendar.monthrange(day.year, month)[1])


PACK = PolicyPack(
    position=2,
    sample=SAMPLE,
    documents=DOCUMENTS,
    code="GS-2003",
    title="甘肃省人民政府关于加快推进再就业工作的实施意见",
    doc_number="",
    issuer="甘肃省人民政府",
    issued=ISSUED,
    level="省级",
    region="甘肃省",
    notice_subject="再就业援助对象",
    precondition_clause="GS-2003 二(三)",
    preconditions=(
        Requirement("unemployed", "下岗失业人员", rules.laid_off_or_unemployed),
        Requirement("working_age", "在法定劳动年龄内", rules.within_working_age),
    ),
    own_categories=(
        Category(
            "4050",
            "“4050”人员",
            "GS-2003 四(九)",
            (
                Requirement(
                    "age",
                    "大龄就业困难人员（年龄按参数）",
                    rules.age_at_least_params("大龄女性年龄", "大龄男性年龄"),
                ),
            ),
        ),
        Category(
            ALLOWANCE,
            "享受低保有劳动能力的未就业人员",
            "GS-2003 五(十一)",
            (
                Requirement("allowance", "享受城市居民最低生活保障", rules.on_minimum_allowance),
                Requirement("able", "有劳动能力", rules.able_to_work),
                Requirement("wants", "有就业愿望", rules.wants_work),
            ),
        ),
    ),
    own_benefits=(
        Benefit("card", "再就业优惠证（应发尽发）", "GS-2003 二(三)", "service"),
        Benefit(
            "priority_post",
            "政府投资公益性岗位优先安排",
            "GS-2003 四(九)",
            "service",
            categories=("4050",),
            situations=("unemployed",),
        ),
        Benefit(
            "post_subsidy",
            "公益性岗位补贴",
            "GS-2003 二(三)",
            "monthly",
            situations=(PUBLIC_WELFARE,),
            amount_params=("公益性岗位补贴月标准",),
            period=LOCAL_PERIOD,
        ),
        Benefit(
            "insurance_subsidy",
            "社会保险补贴",
            "GS-2003 二(三)",
            "monthly",
            situations=(PUBLIC_WELFARE,),
            amount_params=("社会保险补贴缴费基数", "社会保险补贴费率"),
            period=LOCAL_PERIOD,
        ),
        Benefit(
            "loan",
            "小额担保贷款",
            "GS-2003 二(五)",
            "loan",
            situations=(SELF_EMPLOYED,),
            amount_params=("小额担保贷款最高额度",),
        ),
        Benefit("free_services", "免费再就业培训和职业介绍", "GS-2003 四(八)", "service"),
    ),
    own_obligations=(
        Obligation("如实提供基本情况，配合街道、社区调查摸底和台账登记。", "GS-2003 四(九)"),
        Obligation(
            "在享受城市居民最低生活保障待遇期间，参加社区组织的公益性劳动和就业培训活动。",
            "GS-2003 五(十一)",
            categories=(ALLOWANCE,),
        ),
    ),
    own_measures=(
        Measure(
            "为“4050”人员逐一建立台账，提供专门帮助和便捷服务。",
            "GS-2003 四(九)",
            categories=("4050",),
        ),
        Measure(
            "政府投资建成的公益性岗位优先安排“4050”人员。", "GS-2003 四(九)", categories=("4050",)
        ),
        Measure("免费再就业培训和免费职业介绍。", "GS-2003 四(八)"),
        Measure("受理小额担保贷款申请并初审、推荐。", "GS-2003 二(五)"),
        Measure("组织参加社区公益性劳动和就业培训。", "GS-2003 五(十一)", categories=(ALLOWANCE,)),
    ),
    # 一(一): the five work targets are assessed on governments and departments and
    # bind the street offices; a 居委会's letter carries what the text gives
    # 社区 (二(三) 社区平台、二(五) 小额贷款初审、四(九) “4050”台账、五(十一)).
    own_duties=(
        Duty(
            "净增就业岗位",
            "完成年度净增就业岗位目标，开发社区服务和公益性就业岗位。",
            "GS-2003 一(一)",
            units=STREET,
        ),
        Duty(
            "落实再就业政策",
            "落实税费减免、社保补贴、岗位补贴、小额贷款等扶持政策；再就业优惠证做到应发尽发。",
            "GS-2003 一(一)、二(三)",
            units=STREET,
        ),
        Duty(
            "强化再就业服务",
            "全面落实免费再就业培训和免费职业介绍，推行上门、即时和承诺服务。",
            "GS-2003 一(一)、四(八)",
            units=STREET,
        ),
        Duty(
            "加大再就业资金投入",
            "按目标任务需要落实再就业资金，及时拨付，加强管理。",
            "GS-2003 一(一)、二(四)",
            units=STREET,
        ),
        Duty(
            "帮助困难群体就业",
            "摸清“4050”人员底数并逐一建立台账；政府投资公益性岗位优先安排“4050”人员。",
            "GS-2003 一(一)、四(九)",
            units=STREET,
        ),
        Duty(
            "政策公开",
            "依托社区劳动保障工作平台宣传再就业扶持政策，做到政策、程序、标准、结果“四公开”；"
            "做好下岗失业人员调查摸底和统计工作。",
            "GS-2003 二(三)",
            units=COMMUNITY,
        ),
        Duty(
            "帮扶大龄就业困难人员",
            "摸清“4050”人员底数，逐一建立台账，为其提供专门的帮助和便捷的服务，"
            "帮扶大龄就业困难人员实现再就业。",
            "GS-2003 一(一)、四(九)",
            units=COMMUNITY,
        ),
        Duty(
            "小额担保贷款",
            "做好小额担保贷款申请受理、初审和向上级劳动保障部门推荐工作。",
            "GS-2003 二(五)",
            units=COMMUNITY,
        ),
        Duty(
            "公益性劳动",
            "组织有劳动能力和就业愿望但尚未就业的低保对象参加社区公益性劳动和就业培训活动。",
            "GS-2003 五(十一)",
            units=COMMUNITY,
        ),
        Duty(
            "进度报告", "按月落实工作进度，按季汇总主要目标完成情况。", "GS-2003 一(一)、六(十二)"
        ),
    ),
    own_deadlines=(
        DeadlineRule(
            "月度进度汇总", "GS-2003 六(十二)", month_end, None, None, "按月汇总再就业工作进展"
        ),
        DeadlineRule(
            "季度目标汇总", "GS-2003 六(十二)", quarter_end, None, None, "按季汇总主要目标完成情况"
        ),
    ),
    own_parameters=tuple(
        common_local_parameters(ISSUED)
        + older_age_parameters(ISSUED, "GS-2003 四(九)未规定“4050”年龄，通常理解为女40、男50周岁")
    ),
)
