"""SX-2008's law for the papers: the clause each paper rests on and the 考核与奖惩.

- 协议书: 四(一) (签订《接受就业援助协议书》，明确援助责任人、援助内容和援助措施);
- 公示: 二(一) (经社区登记公示);
- 责任书: 二(三) (层层签订《目标责任书》), whose words give the 考核与奖惩.
"""

from __future__ import annotations

from calc.policies.base import Documents, Obligation

DOCUMENTS = Documents(
    agreement="四(一)",
    notice="二(一)",
    letter="二(三)",
    assessment=(
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
)
