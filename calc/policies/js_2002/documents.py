"""JS-2002's law for the papers: the clause each paper rests on, the 考核与奖惩 and 帮扶到户.

JS-2002 prescribes no agreement: an agreement cites the text only.
- 公示: 五(一) (张榜公示，确定援助人员名单);
- 责任书: 四(四) (帮扶工作明确到户，责任到人), which also asks for a named
  cadre per household; the 考核与奖惩 is 五(四)'s.
"""

from __future__ import annotations

from calc.policies.base import Documents, Obligation

DOCUMENTS = Documents(
    notice="五(一)",
    letter="四(四)",
    assessment=(
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
    pairing=True,
)
