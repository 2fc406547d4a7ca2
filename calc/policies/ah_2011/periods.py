"""AH-2011 (八): how long the social-insurance and post subsidies run.

At most 3 years, except that a person within 5 years (inclusive) of statutory
retirement receives them until retirement, judged by the age at the first
approval (以初次核定其享受补贴年龄为准).  The social-insurance subsidy has a
special case: a state/collective-enterprise 下岗失业人员 holding 《再就业优惠证》,
certified "4050" on or before 2008-12-31, who has had 3 years of the
flexible-employment social-insurance subsidy and still pays contributions as
an individual in flexible employment: until retirement at the ages the text
names (男60周岁、女50周岁).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from calc.dates import iso_dates, span_end_series, span_reached_series, to_date
from calc.periods import ONE_DAY, NearRetirementPeriod, PeriodResult, cut

MAX_YEARS = "补贴最长期限（年）"
CUTOFF_4050 = "“4050”认定截止日期"
FLEXIBLE_YEARS = "灵活就业社会保险补贴已享受年限（年）"
SPECIAL_AGE_MEN = "延长至退休年龄（男）"
SPECIAL_AGE_WOMEN = "延长至退休年龄（女）"

#: (八)：最长3年；距法定退休年龄不足5年（含5年）的延长至退休
SUBSIDY_PERIOD = NearRetirementPeriod(
    clause="AH-2011 (八)",
    description="最长3年；距法定退休年龄不足5年（含5年）的延长至退休",
    years_param=MAX_YEARS,
    normal_label="最长",
    near_inclusive=True,
    at_most=True,
)


def special_case(ctx) -> tuple[pd.Series, pd.Series]:
    """(八) 其中…: which rows the 2008 "4050" extension applies to, and why.

    Judged on the assessment date ("目前仍未实现稳定就业处于灵活就业状态").
    A missing fact means the extension is not shown (the regular period stands).
    """
    facts = ctx.f
    cutoff = pd.Timestamp(to_date(ctx.param(CUTOFF_4050)))
    years = int(ctx.param(FLEXIBLE_YEARS))
    checks = [
        (
            (facts["certified_4050_date"] <= cutoff).fillna(False),
            f"{cutoff:%Y年%m月%d日}前认定为“4050”人员",
        ),
        (facts["holds_reemployment_card"].fillna(False).astype(bool), "持《再就业优惠证》"),
        (facts["employer_kind"].isin(("state", "collective")).fillna(False), "国有集体企业"),
        (facts["separation"].isin(("laid_off", "unemployed")).fillna(False), "下岗失业人员"),
        (
            span_reached_series(facts["flexible_si_subsidy_start"], years * 12, ctx.as_of).fillna(
                False
            ),
            f"灵活就业社会保险补贴已满{years}年",
        ),
        ((facts["etype"] == "flexible").fillna(False), "处于灵活就业状态"),
        (facts["pays_si_individually"].fillna(False).astype(bool), "以个人身份缴纳社会保险费"),
    ]
    applies = pd.Series(True, index=ctx.index)
    for mask, _ in checks:
        applies &= mask.astype(bool)
    text = "适用 AH-2011 (八) 特例：" + "、".join(label for _, label in checks)
    return applies, pd.Series(text, index=ctx.index, dtype=object)


@dataclass(frozen=True, eq=False, kw_only=True)
class InsuranceSubsidyPeriod(NearRetirementPeriod):
    """(八) for the social-insurance subsidy: :data:`SUBSIDY_PERIOD` plus the 2008 special case."""

    def ends(self, ctx, first, explain, rows=None) -> PeriodResult:
        result = super().ends(ctx, first, explain, rows)
        end, text, until = result.end, result.reason, result.until_retirement
        special, why = special_case(ctx)
        special, why = cut(special, rows), cut(why, rows)
        if not special.any():
            return result
        men, women = int(ctx.param(SPECIAL_AGE_MEN)), int(ctx.param(SPECIAL_AGE_WOMEN))
        facts = cut(ctx.f, rows)
        ages = facts["sex"].map({"男": men * 12, "女": women * 12})
        retire = span_end_series(facts["birth_date"], ages) - ONE_DAY
        take = (special & retire.notna() & ((retire > end) | end.isna())).fillna(False)
        end = end.where(~take, retire)
        until = until | take
        if explain:
            shown = iso_dates(retire)
            text = text.where(
                ~take,
                why + f"，社会保险补贴延长至退休（男{men}周岁、女{women}周岁，至" + shown + "）",
            )
        return PeriodResult(end, until.astype(bool), text)


INSURANCE_SUBSIDY_PERIOD = InsuranceSubsidyPeriod(
    clause="AH-2011 (八)",
    description=(
        "最长3年；距法定退休年龄不足5年（含5年）的延长至退休；"
        "2008年底前认定的“4050”灵活就业人员延长至退休"
    ),
    years_param=MAX_YEARS,
    normal_label="最长",
    near_inclusive=True,
    at_most=True,
)

__all__ = ["INSURANCE_SUBSIDY_PERIOD", "SUBSIDY_PERIOD", "special_case"]
