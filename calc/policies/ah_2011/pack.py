"""AH-2011 皖人社发〔2011〕44号 安徽省人社厅、财政厅关于进一步加强就业援助工作的实施意见."""

from __future__ import annotations

import datetime as dt

from calc import rules
from calc.context import kleene_and, kleene_or
from calc.normalize import ENTERPRISE, FLEXIBLE, ORGANISED, PUBLIC_WELFARE, SELF_EMPLOYED
from calc.params import example
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
from calc.policies.local_parameters import common_local_parameters, older_age_parameters, written

from .documents import DOCUMENTS
from .periods import INSURANCE_SUBSIDY_PERIOD, SUBSIDY_PERIOD
from .sample import SAMPLE

ISSUED = dt.date(2011, 8, 2)
ZERO = "zero_employment"
SUBSIDY_GROUPS = ("allowance_long_term", "older", ZERO, "landless", "poor_graduate")  # (七)3

# Numbers written into the clauses: parameters of the pack (docs/parameters.md).
ZERO_HIRE_AWARD = "吸纳零就业家庭成员就业奖励标准"  # (七)4：一次性1000元
TECHNICAL_SCHOOL_GRANT = "零就业家庭子女技工院校学习补贴标准"  # (七)4：每学年1000元
RURAL_POST_SUBSIDY = "招用零转移就业农户成员岗位补贴标准"  # (九)：1000元/人
SELF_EMPLOYED_MONTHS = "个体经营登记失业月数"  # (七)2：登记失业半年以上


def annual_review_deadline(day: dt.date) -> dt.date:
    """(六)：年审时间为每年第一季度 — the next review closes on 31 March of the following year."""
    return dt.date(day.year + 1, 3, 31)


def _self_employed_tax_group(ctx):
    """(七)2: registered unemployed half a year or more, zero-employment member,
    registered unemployed on the urban allowance, or graduate in the graduation year."""
    half_year = rules.registered_months_before_employment(SELF_EMPLOYED_MONTHS)(ctx)
    zero = rules.zero_employment_household(ctx)
    allowance = rules.on_minimum_allowance(ctx)
    graduate = rules.flag("graduate_this_year", "毕业年度内高校毕业生", "非毕业年度高校毕业生")(ctx)
    # Kleene OR: one group known → yes; all four known not → no; else unknown.
    verdict = kleene_or([half_year[0], zero[0], allowance[0], graduate[0]])

    return verdict, lambda: rules.joined([half_year[1], zero[1], allowance[1]], "；")


def _zero_hire(ctx):
    verdict, text = rules.contract_years_at_least(1)(ctx)
    return verdict, text


def _rural_hire(ctx):
    parts = [
        rules.flag("rural_allowance", "享受农村低保", "未享受农村低保")(ctx),
        rules.contract_years_at_least(1)(ctx),
    ]
    return kleene_and([p[0] for p in parts]), lambda: rules.joined([p[1] for p in parts], "，")


def _technical_school(ctx):
    return rules.flag(
        "child_in_technical_school", "子女就读技工学校或技师学院", "无子女就读技工院校"
    )(ctx)


PACK = PolicyPack(
    position=4,
    sample=SAMPLE,
    documents=DOCUMENTS,
    code="AH-2011",
    title="关于进一步加强就业援助工作的实施意见",
    doc_number="皖人社发〔2011〕44号",
    issuer="安徽省人力资源和社会保障厅、安徽省财政厅",
    issued=ISSUED,
    level="省级",
    region="安徽省",
    notice_subject="就业援助对象",
    precondition_clause="AH-2011 (四)",
    preconditions=(
        Requirement("registered", "已进行失业登记（先登记后认定）", rules.registered_unemployed),
        Requirement("working_age", "在法定劳动年龄内", rules.within_working_age),
    ),
    own_categories=(
        Category(
            "soe_laid_off",
            "国有企业下岗失业人员",
            "AH-2011 (三)",
            (
                Requirement("employer", "原单位为国有企业", rules.former_state),
                Requirement(
                    "separation", "下岗或失业", rules.separation_is("laid_off", "unemployed")
                ),
            ),
        ),
        Category(
            "soe_closure",
            "国有企业关闭破产安置人员",
            "AH-2011 (三)",
            (
                Requirement("employer", "原单位为国有企业", rules.former_state),
                Requirement("separation", "关闭破产安置", rules.separation_is("closure")),
            ),
        ),
        Category(
            "collective_laid_off",
            "集体企业下岗职工",
            "AH-2011 (三)",
            (
                Requirement("employer", "原单位为集体企业", rules.former_collective),
                Requirement("separation", "下岗", rules.separation_is("laid_off")),
            ),
        ),
        Category(
            "allowance_long_term",
            "享受低保的长期失业人员",
            "AH-2011 (三)",
            (
                Requirement("allowance", "享受城市居民最低生活保障", rules.on_minimum_allowance),
                Requirement(
                    "months",
                    "长期失业（月数按参数）",
                    rules.unemployed_months_at_least(param="长期失业认定月数"),
                ),
            ),
        ),
        Category(
            "older",
            "大龄就业困难人员",
            "AH-2011 (三)",
            (
                Requirement(
                    "age",
                    "大龄（年龄按参数）",
                    rules.age_at_least_params("大龄女性年龄", "大龄男性年龄"),
                ),
            ),
        ),
        Category(
            "disabled",
            "符合相关规定的残疾人员",
            "AH-2011 (三)",
            (
                Requirement(
                    "disabled", "残疾人员", rules.flag("disabled", "残疾人员", "非残疾人员")
                ),
            ),
        ),
        Category(
            ZERO,
            "零就业家庭成员",
            "AH-2011 (三)",
            (Requirement("zero", "零就业家庭成员", rules.zero_employment_household),),
        ),
        Category(
            "landless",
            "就业困难失地（失林）人员",
            "AH-2011 (三)",
            (
                Requirement(
                    "landless",
                    "失地（失林）",
                    rules.flag("landless", "失地（失林）人员", "非失地人员"),
                ),
            ),
        ),
        Category(
            "poor_graduate",
            "家庭经济困难高校毕业生",
            "AH-2011 (三)",
            (
                Requirement(
                    "graduate",
                    "家庭经济困难高校毕业生",
                    rules.flag("poor_graduate", "困难家庭高校毕业生", "非困难家庭高校毕业生"),
                ),
            ),
        ),
        Category(
            "designated",
            "县级以上人民政府及省人社厅确定的其他就业援助对象",
            "AH-2011 (三)",
            (
                Requirement(
                    "designated",
                    "经县级以上人民政府或省人社厅确定",
                    rules.flag("locally_designated", "经政府确定", "未经政府确定"),
                ),
            ),
        ),
        Category(
            "rural_zero_transfer",
            "零转移就业农户成员",
            "AH-2011 (九)",
            (
                Requirement(
                    "rural",
                    "农村困难家庭零转移就业农户",
                    rules.flag("rural_zero_transfer", "零转移就业农户", "非零转移就业农户"),
                ),
            ),
        ),
    ),
    own_lapses=(
        LapseRule("review", "未参加年审或年审不合格", "AH-2011 (六)", rules.annual_review_missed),
        LapseRule("refuses", "无正当理由不接受就业援助服务", "AH-2011 (五)", rules.gave_up),
    ),
    own_benefits=(
        Benefit("public_services", "免费职业指导职业介绍和创业服务", "AH-2011 (七)", "service"),
        Benefit(
            "training_subsidies",
            "职业介绍及培训鉴定补贴",
            "AH-2011 (七)",
            "service",
        ),
        Benefit(
            "enterprise_tax",
            "吸纳就业企业税收优惠",
            "AH-2011 (七)1",
            "tax",
            categories=(
                "soe_laid_off",
                "soe_closure",
                "collective_laid_off",
                "allowance_long_term",
            ),
            situations=(ENTERPRISE,),
            recipient="用人单位",
        ),
        Benefit(
            "self_employed_tax",
            "个体经营税收优惠",
            "AH-2011 (七)2",
            "tax",
            situations=(SELF_EMPLOYED,),
            extra=Requirement(
                "group",
                "登记失业半年以上、零就业家庭成员、享受城市低保的登记失业人员或毕业年度内高校毕业生",
                _self_employed_tax_group,
            ),
        ),
        Benefit(
            "insurance_subsidy",
            "社会保险补贴",
            "AH-2011 (七)3",
            "monthly",
            categories=SUBSIDY_GROUPS,
            situations=(ENTERPRISE, FLEXIBLE, PUBLIC_WELFARE),
            amount_params=("社会保险补贴缴费基数", "社会保险补贴费率"),
            period=INSURANCE_SUBSIDY_PERIOD,
            superseded_by=("zero_hire_insurance_subsidy",),
        ),
        Benefit(
            "post_subsidy",
            "公益性岗位补贴",
            "AH-2011 (七)3",
            "monthly",
            categories=SUBSIDY_GROUPS,
            situations=(PUBLIC_WELFARE,),
            amount_params=("公益性岗位补贴月标准",),
            period=SUBSIDY_PERIOD,
        ),
        Benefit(
            "zero_hire_post_subsidy",
            "吸纳零就业家庭成员岗位补贴",
            "AH-2011 (七)4",
            "monthly",
            categories=(ZERO,),
            situations=(ENTERPRISE,),
            extra=Requirement("contract", "签订1年以上劳动合同", _zero_hire),
            amount_params=("公益性岗位补贴月标准",),
            period=SUBSIDY_PERIOD,
            recipient="用人单位",
        ),
        Benefit(
            "zero_hire_insurance_subsidy",
            "吸纳零就业家庭成员社会保险补贴",
            "AH-2011 (七)4",
            "monthly",
            categories=(ZERO,),
            situations=(ENTERPRISE,),
            extra=Requirement("contract", "签订1年以上劳动合同", _zero_hire),
            amount_params=("社会保险补贴缴费基数", "社会保险补贴费率"),
            period=SUBSIDY_PERIOD,
            recipient="用人单位",
        ),
        Benefit(
            "zero_hire_award",
            "吸纳零就业家庭成员一次性就业奖励",
            "AH-2011 (七)4",
            "one_off",
            categories=(ZERO,),
            situations=(ENTERPRISE,),
            extra=Requirement("contract", "签订1年以上劳动合同", _zero_hire),
            amount_params=(ZERO_HIRE_AWARD,),
            recipient="用人单位",
        ),
        Benefit(
            "organised_grant",
            "组织起来就业补助",
            "AH-2011 (七)4",
            "one_off",
            categories=(ZERO,),
            situations=(SELF_EMPLOYED, ORGANISED),
            amount_params=("组织起来就业补助标准",),
        ),
        Benefit(
            "technical_school_grant",
            "零就业家庭子女技工院校学习补贴",
            "AH-2011 (七)4",
            "per_school_year",
            categories=(ZERO,),
            extra=Requirement("school", "子女考入技工学校、技师学院", _technical_school),
            amount_params=(TECHNICAL_SCHOOL_GRANT,),
        ),
        Benefit(
            "rural_post_subsidy",
            "招用零转移就业农户成员一次性岗位补贴",
            "AH-2011 (九)",
            "one_off",
            categories=("rural_zero_transfer",),
            situations=(ENTERPRISE,),
            extra=Requirement("rural", "享受农村低保，签订1年以上劳动合同", _rural_hire),
            amount_params=(RURAL_POST_SUBSIDY,),
            recipient="省内用人企业",
        ),
    ),
    own_obligations=(
        Obligation(
            "每年第一季度参加年度审验；未参加年审或年审不合格的，注销就业援助对象资格，停止享受就业扶持政策。",
            "AH-2011 (六)",
        ),
        Obligation(
            "无正当理由不接受就业援助服务、已实现就业或不再符合条件的，取消援助对象资格。",
            "AH-2011 (五)",
        ),
        Obligation("不得转借、转让、出租、伪造、涂改《就业失业登记证》。", "AH-2011 (六)"),
        Obligation("配合“一人一策”援助方案，接受帮扶责任人登门走访。", "AH-2011 (十)"),
    ),
    own_measures=(
        Measure(
            "按“一人一策”制定个性化援助方案，确定一名领导干部为帮扶责任人，实行“一对一”结对帮扶。",
            "AH-2011 (十)",
        ),
        Measure("免费提供职业指导、职业介绍和创业服务。", "AH-2011 (七)"),
        Measure(
            "短期内未就业的，组织参加职业培训并落实职业培训补贴。",
            "AH-2011 (十三)",
            situations=("unemployed",),
        ),
        Measure(
            "推荐公益性岗位，岗位劳动报酬不低于当地最低工资标准。",
            "AH-2011 (十二)",
            categories=SUBSIDY_GROUPS,
        ),
        Measure("落实社会保险补贴和公益性岗位补贴。", "AH-2011 (七)3", categories=SUBSIDY_GROUPS),
        Measure("对已就业的援助对象上门跟踪服务。", "AH-2011 (十三)"),
    ),
    own_duties=(
        Duty(
            "实名管理",
            "将所有符合条件人员纳入就业援助范围，实行实名管理、动态服务，做到家庭情况、人员底数、技能状况、培训意愿、就业意向“五清”。",
            "AH-2011 (二)、(四)",
        ),
        Duty(
            "年度审验",
            "每年第一季度组织援助对象年审，年审合格的签注，未年审或不合格的注销资格。",
            "AH-2011 (六)",
        ),
        Duty(
            "包保责任",
            "对重点帮扶对象确定一名领导干部为帮扶责任人，实施“一对一”结对帮扶。",
            "AH-2011 (十)",
        ),
        Duty(
            "公益性岗位", "开发公益性岗位，确保劳动报酬不低于当地最低工资标准。", "AH-2011 (十二)"
        ),
        Duty("统计报告", "按季上报就业援助工作统计报表。", "AH-2011 (十七)"),
    ),
    own_deadlines=(
        DeadlineRule(
            "年度审验",
            "AH-2011 (六)",
            annual_review_deadline,
            "annual_review_date",
            None,
            "每年第一季度年审",
        ),
    ),
    own_parameters=tuple(
        common_local_parameters(ISSUED)
        + older_age_parameters(
            ISSUED, "AH-2011 (三)“大龄就业困难人员”未规定年龄，通常理解为女40、男50周岁"
        )
        + [example("长期失业认定月数", 12, "个月", ISSUED, "AH-2011 (三)未规定“长期失业”的月数")]
        + [
            written("补贴最长期限（年）", 3, "年", ISSUED, "AH-2011 (八)“其余人员最长不超过3年”"),
            written(
                "延长至退休距退休年限（年）",
                5,
                "年",
                ISSUED,
                "AH-2011 (八)“距法定退休年龄不足5年（含5年）的可延长至退休”",
            ),
            written(
                "“4050”认定截止日期",
                "2008-12-31",
                "",
                ISSUED,
                "AH-2011 (八)“2008年12月31日前被认定为‘4050’人员”",
            ),
            written(
                "灵活就业社会保险补贴已享受年限（年）",
                3,
                "年",
                ISSUED,
                "AH-2011 (八)“其享受的灵活就业人员社会保险补贴已满3年”",
            ),
            written(
                "延长至退休年龄（男）",
                60,
                "周岁",
                ISSUED,
                "AH-2011 (八)“延长至退休（男60周岁、女50周岁）”",
            ),
            written(
                "延长至退休年龄（女）",
                50,
                "周岁",
                ISSUED,
                "AH-2011 (八)“延长至退休（男60周岁、女50周岁）”",
            ),
            written(
                SELF_EMPLOYED_MONTHS, 6, "个月", ISSUED, "AH-2011 (七)2“登记失业半年以上的人员”"
            ),
            written(ZERO_HIRE_AWARD, 1000, "元", ISSUED, "AH-2011 (七)4“一次性1000元就业奖励”"),
            written(
                TECHNICAL_SCHOOL_GRANT,
                1000,
                "元/学年",
                ISSUED,
                "AH-2011 (七)4“每学年给予1000元补贴”",
            ),
            written(RURAL_POST_SUBSIDY, 1000, "元", ISSUED, "AH-2011 (九)“按照1000元/人的标准”"),
            written(
                "单人户认定零就业家庭",
                "是",
                "",
                ISSUED,
                "AH-2011 (三)“零就业家庭成员”（文件未排除单人户）",
            ),
        ]
    ),
)
