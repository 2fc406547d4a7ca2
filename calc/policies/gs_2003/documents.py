"""GS-2003's law for the papers: the letter's basis, its 考核与奖惩 and the five work targets.

GS-2003 prescribes no agreement and no notice: those papers cite the text
only.  责任书: 一(一) (五项具体工作目标……层层分解，落实到位).  The five targets
bind the governments and street offices (岗位、资金投入): a street's letter
lists them, a 居委会's does not.
"""

from __future__ import annotations

from calc.policies.base import Documents, Obligation, WorkTarget

FIVE_TARGETS = "GS-2003 一(一)"

#: 一(一)、六(十二): progress by month and quarter, supervision (every letter)
FOLLOW_UP = (
    Obligation(
        "乙方按月、按季落实目标完成进度；甲方按月汇总工作进展情况，按季汇总主要目标的"
        "完成情况并予通报",
        "GS-2003 一(一)、六(十二)",
    ),
    Obligation("甲方对乙方工作进行督办、督促和检查评估", "GS-2003 六(十二)"),
)

DOCUMENTS = Documents(
    letter="一(一)",
    assessment=(
        Obligation(
            "净增就业岗位、落实再就业政策、强化再就业服务、加大再就业资金投入和帮助困难群体"
            "就业五项工作目标的完成情况，作为考核乙方工作是否落实的重要内容",
            "GS-2003 一(一)",
        ),
        *FOLLOW_UP,
    ),
    # 一(一) assesses governments and departments on the five targets, split down level
    # by level (层层分解); a 居委会 answers for the targets of its own letter.
    community_assessment=(
        Obligation(
            "本责任书所列目标任务的完成情况，作为考核乙方工作是否落实的重要内容",
            "GS-2003 一(一)",
        ),
        *FOLLOW_UP,
    ),
    street_targets=(
        WorkTarget("净增就业岗位", "个", FIVE_TARGETS, government=True),
        WorkTarget("落实再就业政策", "人", FIVE_TARGETS),
        WorkTarget("强化再就业服务", "人次", FIVE_TARGETS),
        WorkTarget("加大再就业资金投入", "万元", FIVE_TARGETS, government=True),
        WorkTarget("帮助困难群体就业", "人", FIVE_TARGETS, helped_into_work=True),
    ),
)
