"""Which clause of each text a paper rests on, and the 考核与奖惩 each text sets.

Drawn from the five policy texts (each pack's ``text.txt``; quoted where a paper prints
them).  Keys are the packs' policy keys; no paper prints a key (see
:mod:`doc_templates.citations`).

- 协议书: SX-2008 四(一) (签订《接受就业援助协议书》，明确援助责任人、援助内容和
  援助措施); AH-2011 (十) (以援助协议的方式实施"一人一策").  JS-2002, LYG-2003
  and GS-2003 prescribe no agreement; their papers cite the text only.
- 公示: SX-2008 二(一) (经社区登记公示); AH-2011 (四); JS-2002 五(一) (张榜公示).
- 责任书: SX-2008 二(三) (层层签订《目标责任书》); GS-2003 一(一) (五项具体工作
  目标……层层分解); JS-2002 四(四) (帮扶到户，责任到人); AH-2011 (十六); LYG-2003
  三(八) (建立工作目标责任制).
"""

from __future__ import annotations

from calc.policies.base import Obligation

DOCUMENT_BASIS: dict[str, dict[str, str]] = {
    "协议书": {"SX-2008": "四(一)", "AH-2011": "(十)"},
    "公示": {"SX-2008": "二(一)", "AH-2011": "(四)", "JS-2002": "五(一)"},
    "责任书": {
        "SX-2008": "二(三)",
        "GS-2003": "一(一)",
        "JS-2002": "四(四)",
        "AH-2011": "(十六)",
        "LYG-2003": "三(八)",
    },
}

#: 考核与奖惩 of a target responsibility letter, per text (its own words, as duties of the parties).
ASSESSMENT: dict[str, tuple[Obligation, ...]] = {
    "SX-2008": (
        Obligation(
            "乙方将就业困难人员就业列入年度工作考核目标，甲方按照就业援助考核办法和"
            "就业援助监督考核制度对乙方进行考核",
            "SX-2008 二(三)",
        ),
        Obligation(
            "甲方对乙方就业困难人员就业情况进行定期通报和跟踪检查，及时掌握动态情况",
            "SX-2008 二(三)",
        ),
        Obligation(
            "乙方确保在一定期限内帮助就业困难人员实现就业，落实好各项就业扶持政策，"
            "确保就业援助工作措施落实到位",
            "SX-2008 二(三)",
        ),
    ),
    "AH-2011": (
        Obligation(
            "甲方按照就业援助工作绩效考核指标体系和考核办法，对乙方实施就业援助工作专项绩效考核",
            "AH-2011 (十六)",
        ),
        Obligation("就业援助作为创建充分就业社区的重点工作指标进行考核", "AH-2011 (十六)"),
        Obligation(
            "考核结果与奖励挂钩，按照就业援助工作成效实行激励",
            "AH-2011 (十六)",
        ),
    ),
    "GS-2003": (
        Obligation(
            "净增就业岗位、落实再就业政策、强化再就业服务、加大再就业资金投入和帮助困难群体"
            "就业五项工作目标的完成情况，作为考核乙方工作是否落实的重要内容",
            "GS-2003 一(一)",
        ),
        Obligation(
            "乙方按月、按季落实目标完成进度；甲方按月汇总工作进展情况，按季汇总主要目标的"
            "完成情况并予通报",
            "GS-2003 一(一)、六(十二)",
        ),
        Obligation("甲方对乙方工作进行督办、督促和检查评估", "GS-2003 六(十二)"),
    ),
    "JS-2002": (
        Obligation(
            "甲方建立年度考核制度，对乙方援助帮扶任务完成情况进行检查考核", "JS-2002 五(四)"
        ),
        Obligation(
            "援助帮扶工作不到位、援助帮扶措施不得力、援助帮扶任务未完成的，对口挂钩援助"
            "不脱钩，并限期完成援助帮扶任务",
            "JS-2002 五(四)",
        ),
        Obligation(
            "乙方于下一年度元月中旬前将年度工作进展情况向甲方报告；工作不深入细致、失职渎职、"
            "造成严重后果的，严肃追究有关领导人员的责任",
            "JS-2002 五(四)",
        ),
    ),
    "LYG-2003": (
        Obligation(
            "建立工作目标责任制，制定工作标准，对街道、社区劳动保障工作人员实行业绩考核",
            "LYG-2003 三(八)",
        ),
    ),
}

#: 考核与奖惩 a text words otherwise on a 社区居委会's letter.  GS-2003 一(一) assesses
#: governments and departments on its five work targets, split down level by level
#: (层层分解); a 居委会 answers for the targets of its own letter.
COMMUNITY_ASSESSMENT: dict[str, tuple[Obligation, ...]] = {
    "GS-2003": (
        Obligation(
            "本责任书所列目标任务的完成情况，作为考核乙方工作是否落实的重要内容",
            "GS-2003 一(一)",
        ),
        *ASSESSMENT["GS-2003"][1:],
    ),
}

#: GS-2003 一(一): the five numbered work targets (name, unit); figures from the 目标 sheet.
GS_WORK_TARGETS: tuple[tuple[str, str], ...] = (
    ("净增就业岗位", "个"),
    ("落实再就业政策", "人"),
    ("强化再就业服务", "人次"),
    ("加大再就业资金投入", "万元"),
    ("帮助困难群体就业", "人"),
)
#: Of those, the targets only a government or street office can own (new jobs in the
#: economy, money put in): never on a 社区居委会's letter.
GS_GOVERNMENT_TARGETS: tuple[str, ...] = ("净增就业岗位", "加大再就业资金投入")


def basis_clause(kind: str, code: str) -> str:
    return DOCUMENT_BASIS.get(kind, {}).get(code, "")


def assessment_terms(codes, unit: str = "community") -> list[Obligation]:
    """The 考核与奖惩 clauses of every text in ``codes`` (province first) for a
    letter to a ``unit`` (``community`` or ``street``)."""
    out: list[Obligation] = []
    for code in codes:
        own = COMMUNITY_ASSESSMENT.get(code) if unit == "community" else None
        out.extend(own or ASSESSMENT.get(code, ()))
    return out
