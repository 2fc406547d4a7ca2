"""AH-2011's law for the papers: the clause each paper rests on, the 考核与奖惩 and 包保.

- 协议书: (十) (以援助协议的方式实施“一人一策”);
- 公示: (四) (按照规定程序及时予以公示认定);
- 责任书: (十六), whose words give the 考核与奖惩;
- (十) 建立就业援助“包保”责任制: the letter names a cadre per household.
"""

from __future__ import annotations

from calc.policies.base import Documents, Obligation

DOCUMENTS = Documents(
    agreement="(十)",
    notice="(四)",
    letter="(十六)",
    assessment=(
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
    pairing=True,
)
