"""LYG-2003 連政發〔2003〕97號 连云港市关于推进社区就业再就业工作的意见（2003年6月3日）.

A city pack inside Jiangsu: it extends JS-2002, so a Lianyungang ledger is
assessed under both documents at once.
"""

from __future__ import annotations

import datetime as dt

from calc import rules
from calc.context import kleene_and
from calc.dates import add_years
from calc.normalize import ENTERPRISE, SELF_EMPLOYED
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
from calc.policies.local_parameters import written

from .documents import DOCUMENTS
from .periods import LOAN_TERM, LOAN_YEARS
from .sample import SAMPLE

ISSUED = dt.date(2003, 6, 3)
HARDSHIP = "special_hardship"

# Numbers written into the clauses: parameters of the pack (docs/parameters.md).
LOAN_CEILING = "小额担保贷款最高额度"  # 四(一)：最高不超过2万元
PLACEMENT_SUBSIDY = "社区就业岗位开发补贴标准"  # 四(二)：每安置一人补贴投资主体500元
PLACEMENT_CONTRACT_YEARS = 3  # 四(二)：签定三年以上劳动合同


def loan_term_end(loan_date: dt.date, years: int = 2) -> dt.date:
    """四(一)：期限最长不超过2年 — the loan matures on the corresponding date
    (民法典第二百零一条、第二百零二条: from 2025-06-15, on 2027-06-15; from
    29 February, on 28 February)."""
    return add_years(loan_date, years)


def _community_placement(ctx):
    """四(二): hired into a new community service project, contract ≥ 3 years, insurance paid on time."""
    parts = [
        rules.flag("community_project", "社区新项目安置", "非社区新项目安置")(ctx),
        rules.contract_years_at_least(PLACEMENT_CONTRACT_YEARS)(ctx),
        rules.flag("si_paid_on_time", "按时缴纳社会保险费", "未按时缴纳社会保险费")(ctx),
    ]
    return kleene_and([p[0] for p in parts]), lambda: rules.joined([p[1] for p in parts], "，")


PACK = PolicyPack(
    position=3,
    sample=SAMPLE,
    documents=DOCUMENTS,
    code="LYG-2003",
    title="关于推进社区就业再就业工作的意见",
    doc_number="连政发〔2003〕97号",
    issuer="连云港市人民政府",
    issued=ISSUED,
    level="市级",
    region="江苏省连云港市",
    extends="JS-2002",
    notice_subject="再就业援助对象",
    own_categories=(
        Category(
            HARDSHIP,
            "特困群体",
            "LYG-2003 三(七)",
            (
                Requirement(
                    "hardship",
                    "经社区、街道审核确认为特困群体（连政办发〔2002〕132号）",
                    rules.flag("special_hardship", "已确认特困群体", "非特困群体"),
                ),
            ),
        ),
    ),
    own_benefits=(
        Benefit(
            "small_loan",
            "小额担保贷款",
            "LYG-2003 四(一)",
            "loan",
            situations=(SELF_EMPLOYED, "unemployed"),
            amount_params=(LOAN_CEILING,),
            period=LOAN_TERM,
        ),
        Benefit(
            "community_placement_subsidy",
            "社区就业岗位开发补贴",
            "LYG-2003 四(二)",
            "one_off",
            situations=(ENTERPRISE,),
            extra=Requirement(
                "placement",
                "社区新项目吸纳，签订三年以上劳动合同并按时缴纳社会保险费",
                _community_placement,
            ),
            amount_params=(PLACEMENT_SUBSIDY,),
            recipient="投资主体",
        ),
        Benefit(
            "community_services",
            "社区就业服务和劳动保障事务代理",
            "LYG-2003 三(四)",
            "service",
        ),
    ),
    own_obligations=(
        Obligation(
            "接受街道、社区劳动保障工作机构定期家访和跟踪服务。",
            "LYG-2003 三(七)",
            categories=(HARDSHIP,),
        ),
    ),
    own_measures=(
        Measure(
            "登记造册、定期家访、跟踪服务，适时开展职业指导，及时提供社区就业援助。",
            "LYG-2003 三(七)",
            categories=(HARDSHIP,),
        ),
        Measure(
            "提供政策咨询、职业指导、技能培训、职业介绍和劳动保障事务代理。", "LYG-2003 三(四)"
        ),
        Measure("自谋职业的，协助申请小额担保贷款（最高2万元，期限最长2年）。", "LYG-2003 四(一)"),
    ),
    own_duties=(
        Duty(
            "社区就业目标",
            "全市每年实现社区就业再就业8000人，本单位按分解任务完成。",
            "LYG-2003 二(一)",
        ),
        Duty(
            "机构人员",
            "街道劳动保障事务所配备2—3名专职工作人员，社区劳动保障事务站聘用1—2名专门人员。",
            "LYG-2003 三(一)",
        ),
        Duty("特困群体", "对确认的特困群体登记造册、定期家访、跟踪服务。", "LYG-2003 三(七)"),
        Duty(
            "先进评比",
            "每年评选先进街道劳动保障事务所、先进社区劳动保障事务站和先进个人，年底由市政府表彰。",
            "LYG-2003 四(三)",
        ),
    ),
    own_deadlines=(
        DeadlineRule(
            "小额贷款到期",
            "LYG-2003 四(一)",
            loan_term_end,
            None,
            None,
            "贷款期限最长不超过2年",
            param=LOAN_YEARS,
        ),
    ),
    own_parameters=(
        written(LOAN_CEILING, 20000, "元", ISSUED, "LYG-2003 四(一)“贷款额度最高不超过2万元”"),
        written(LOAN_YEARS, 2, "年", ISSUED, "LYG-2003 四(一)“期限最长不超过2年”"),
        written(
            PLACEMENT_SUBSIDY, 500, "元", ISSUED, "LYG-2003 四(二)“每安置一人补贴投资主体500元”"
        ),
    ),
)
