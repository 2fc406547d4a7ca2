"""LYG-2003's law for the papers, on top of JS-2002's (the pack extends it).

LYG-2003 prescribes no agreement and no notice of its own: a Lianyungang
notice rests on JS-2002 五(一), and the letter's pairing of a cadre per
household comes from JS-2002 四(四).  责任书: 三(八) (建立工作目标责任制),
whose words add to JS-2002's 考核与奖惩.
"""

from __future__ import annotations

from calc.policies.base import Documents, Obligation

DOCUMENTS = Documents(
    letter="三(八)",
    assessment=(
        Obligation(
            "建立工作目标责任制，制定工作标准，对街道、社区劳动保障工作人员实行业绩考核",
            "LYG-2003 三(八)",
        ),
    ),
)
