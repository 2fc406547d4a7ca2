"""How long a subsidy runs (entitlement periods): the one place an entitlement end is decided.

:func:`entitlement_ends` answers "until when" for every entry point — the
ledger run (calc.assess → fill, JY_ASSESS, assess_person), JY_PERIOD_END,
JY_SUBSIDY (calc.subsidy) and the documents (doc_templates.from_assessment).
Rules (``Benefit.period``), each number a dated parameter of its pack
(docs/parameters.md):

- ``local``: the text sets no period; 补贴期限（年） from the parameters.
- ``sx_public_welfare`` — SX-2008 三(四): a person in a public-welfare post
  who is *less than* 5 years (不足5年) from statutory retirement keeps the post
  and social-insurance subsidies until retirement; otherwise the local period.
- ``ah_subsidy`` — AH-2011 (八): at most 3 years, except that a person within
  5 years *inclusive* (不足5年（含5年）) of retirement receives them until
  retirement, judged by the age at the first approval (以初次核定其享受补贴年龄为准).
- ``ah_insurance_subsidy`` — as ``ah_subsidy``, plus the special case of (八):
  a state/collective-enterprise 下岗失业人员 holding 《再就业优惠证》, certified
  "4050" on or before 2008-12-31, who has had 3 years of the flexible-employment
  social-insurance subsidy and still pays contributions as an individual in
  flexible employment: until retirement at the ages the text names (男60周岁、女50周岁).
- ``loan_term`` — LYG-2003 四(一): loans run at most 2 years.

Dates: every parameter is taken as in force on the first approval (the period
is fixed then).  Spans use the Civil Code month-end rule (民法典第二百零二条,
:func:`calc.dates.span_end_series`); the entitlement includes the first-approval
day, so it ends the day before the corresponding day.  "Until retirement" ends
on the day before the statutory retirement date.

Which retirement law (ruling of issue 10 §3): the five-year test uses the law
in force on the approval date (before 2025-01-01: men 60, women 50/55); "至退休"
ends on the statutory retirement date in force now (the 2025 reform), and the
explanation says both.  A woman without 原退休年龄 for whom 50 and 55 give
different ends gets no end (the explanation asks for 原退休年龄).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from calc.dates import iso_dates, span_end_series, span_reached_series
from calc.errors import InputError
from calc.retirement import retirement_dates

REFORM_START = dt.date(2025, 1, 1)
ONE_DAY = pd.Timedelta(days=1)

# Parameter names (declared, with clause and date, in the packs).
LOCAL_YEARS = "补贴期限（年）"
NEAR_RETIREMENT_YEARS = "延长至退休距退休年限（年）"
AH_MAX_YEARS = "补贴最长期限（年）"
AH_4050_CUTOFF = "“4050”认定截止日期"
AH_FLEXIBLE_YEARS = "灵活就业社会保险补贴已享受年限（年）"
AH_SPECIAL_AGE_MEN = "延长至退休年龄（男）"
AH_SPECIAL_AGE_WOMEN = "延长至退休年龄（女）"
LOAN_YEARS = "贷款期限（年）"


@dataclass(frozen=True)
class PeriodRule:
    name: str
    clause: str
    description: str


RULES = {
    "local": PeriodRule("local", "参数“补贴期限（年）”", "文件未规定期限，按当地参数"),
    "sx_public_welfare": PeriodRule(
        "sx_public_welfare", "SX-2008 三(四)", "距法定退休年龄不足5年的延长至退休"
    ),
    "ah_subsidy": PeriodRule(
        "ah_subsidy", "AH-2011 (八)", "最长3年；距法定退休年龄不足5年（含5年）的延长至退休"
    ),
    "ah_insurance_subsidy": PeriodRule(
        "ah_insurance_subsidy",
        "AH-2011 (八)",
        "最长3年；距法定退休年龄不足5年（含5年）的延长至退休；2008年底前认定的“4050”灵活就业人员延长至退休",
    ),
    "loan_term": PeriodRule("loan_term", "LYG-2003 四(一)", "贷款期限最长不超过2年"),
}


def _text(values, index) -> pd.Series:
    return pd.Series(values, index=index, dtype=object)


def _years(ctx, name: str, first: pd.Series) -> tuple[pd.Series, pd.Series]:
    values, problems = ctx.param_on(name, first)
    years = pd.to_numeric(values, errors="coerce").astype("Float64")
    return years, problems


def _years_text(years: pd.Series) -> pd.Series:
    return years.astype("Int64").astype("string").fillna("").astype(object)


def _fixed_span(first, years) -> pd.Series:
    return span_end_series(first, (years * 12).astype("Int64")) - ONE_DAY


def _near_retirement(ctx, rule: str, first: pd.Series, explain: bool, rows=None):
    """(end, text) for sx_public_welfare / ah_subsidy (one retirement assumption each).

    ``first`` holds the rows asked for (all, or those ``rows`` selects).  The
    55-year variant of a woman without 原退休年龄 is computed only for the rows
    where it could change the end (the woman's end is known under 50).
    """
    idx = first.index
    cut = (lambda s: s) if rows is None else (lambda s: s[rows])
    horizon_years, hp = _years(ctx, NEAR_RETIREMENT_YEARS, first)
    if rule == "sx_public_welfare":
        normal_years, np_ = _years(ctx, LOCAL_YEARS, first)
        clause, normal_label = "SX-2008 三(四)", "按当地参数补贴期限"
    else:
        normal_years, np_ = _years(ctx, AH_MAX_YEARS, first)
        clause, normal_label = "AH-2011 (八)", "最长"
    horizon = span_end_series(first, (horizon_years * 12).astype("Int64"))
    before = (first < pd.Timestamp(REFORM_START)).fillna(False)

    def one(old, now, sel=None):
        f, h, b, years = first, horizon, before, normal_years
        if sel is not None:
            f, h, b, years = f[sel], h[sel], b[sel], years[sel]
        test = old.where(b, now)  # the law in force on the approval date
        near = test < h if rule == "sx_public_welfare" else test <= h
        near = near.fillna(False)
        end = (now - ONE_DAY).where(near, _fixed_span(f, years))
        return end.where(f.notna() & test.notna() & now.notna()), near, test

    retire_now = cut(ctx.retirement_date)
    end, near, test = one(cut(ctx.retirement_date_old), retire_now)
    open_ = cut(ctx.original_age_open)
    undecided = pd.Series(False, index=idx)
    sel = (open_ & end.notna()).to_numpy(dtype=bool)
    if sel.any():
        f = cut(ctx.f)
        births, sexes = f["birth_date"][sel], f["sex"][sel]
        cadre = pd.Series(55.0, index=births.index, dtype="Float64")
        end55, _, _ = one(
            retirement_dates(births, sexes, cadre, reform=False),
            retirement_dates(births, sexes, cadre),
            sel,
        )
        undecided[sel] = (end[sel] != end55).fillna(False).to_numpy(dtype=bool)
        end = end.where(~undecided)
    problem = hp.where(hp != "", np_)
    end = end.where(problem == "")
    if not explain:
        return end, None, near
    within = "不足" if rule == "sx_public_welfare" else "不足（含）"
    n = _years_text(horizon_years)
    now_text = iso_dates(retire_now)
    test_text = iso_dates(test)
    law_then = _text("2025年前法定退休年龄", idx).where(before, "2025年渐进式延迟退休办法")
    near_text = (
        "初次核定时距法定退休年龄"
        + within
        + n
        + "年，延长至退休（按"
        + law_then
        + "判断：退休日期"
        + test_text
        + "；至退休按现行2025年渐进式延迟退休办法：退休日期"
        + now_text
        + "）；"
        + clause
    )
    far_text = (
        "距法定退休年龄超过"
        + n
        + "年，"
        + normal_label
        + _years_text(normal_years)
        + "年（退休日期"
        + test_text
        + "，按"
        + law_then
        + "）；"
        + clause
    )
    text = near_text.where(near, far_text)
    text = text.where(first.notna(), "缺“初次核定日期”，无法计算补贴期限")
    text = text.where(~(first.notna() & retire_now.isna()), "缺出生日期或性别，无法计算补贴期限")
    text[undecided.to_numpy()] = (
        "台账未填“原退休年龄”：女职工原法定退休年龄50或55周岁得出的补贴期限不同，请补填；" + clause
    )
    text = text.where(problem == "", problem)
    return end, text, near


def ah_special_case(ctx) -> tuple[pd.Series, pd.Series]:
    """AH-2011 (八) 其中…: which rows the 2008 "4050" extension applies to, and why not.

    Judged on the assessment date ("目前仍未实现稳定就业处于灵活就业状态").
    A missing fact means the extension is not shown (the regular period stands).
    """
    f = ctx.f
    cutoff = pd.Timestamp(_as_date(ctx.param(AH_4050_CUTOFF)))
    years = int(ctx.param(AH_FLEXIBLE_YEARS))
    checks = [
        (
            (f["certified_4050_date"] <= cutoff).fillna(False),
            f"{cutoff:%Y年%m月%d日}前认定为“4050”人员",
        ),
        (f["holds_reemployment_card"].fillna(False).astype(bool), "持《再就业优惠证》"),
        (f["employer_kind"].isin(("state", "collective")).fillna(False), "国有集体企业"),
        (f["separation"].isin(("laid_off", "unemployed")).fillna(False), "下岗失业人员"),
        (
            span_reached_series(f["flexible_si_subsidy_start"], years * 12, ctx.as_of).fillna(
                False
            ),
            f"灵活就业社会保险补贴已满{years}年",
        ),
        ((f["etype"] == "flexible").fillna(False), "处于灵活就业状态"),
        (f["pays_si_individually"].fillna(False).astype(bool), "以个人身份缴纳社会保险费"),
    ]
    applies = pd.Series(True, index=ctx.index)
    for mask, _ in checks:
        applies &= mask.astype(bool)
    text = "适用 AH-2011 (八) 特例：" + "、".join(label for _, label in checks)
    return applies, _text(text, ctx.index)


def _as_date(value) -> dt.date:
    from calc.dates import to_date

    return to_date(value)


def entitlement_ends(
    ctx, benefit, *, explain: bool = True, rows: np.ndarray | None = None
) -> tuple[pd.Series, pd.Series | None]:
    """Last day of entitlement of ``benefit`` per row of ``ctx``, and the explanation.

    NaT where a needed value is missing (the explanation says which).  The
    only function that decides an entitlement end (see module docstring).
    ``rows`` (a boolean mask): decide only those rows (e.g. the ones granted
    the benefit); the others get NaT and an empty text.
    """
    rule = benefit.period
    if rule not in RULES:
        raise InputError(f"未知的期限规则“{rule}”")
    end, text = _entitlement_ends(ctx, rule, explain, rows)
    if rows is None:
        return end, text
    full_end = pd.Series(pd.NaT, index=ctx.index, dtype="datetime64[ns]")
    full_end[rows] = end.to_numpy()
    if text is None:
        return full_end, None
    full_text = np.full(len(ctx.index), "", dtype=object)
    full_text[rows] = text.to_numpy(dtype=object)
    return full_end, pd.Series(full_text, index=ctx.index, dtype=object)


def _entitlement_ends(ctx, rule: str, explain: bool, rows) -> tuple[pd.Series, pd.Series | None]:
    cut = (lambda s: s) if rows is None else (lambda s: s[rows])
    first = pd.to_datetime(cut(ctx.f["first_approval_date"]))
    if rule in ("local", "loan_term"):
        name = LOCAL_YEARS if rule == "local" else LOAN_YEARS
        years, problem = _years(ctx, name, first)
        end = _fixed_span(first, years).where(problem == "")
        if not explain:
            return end, None
        label = "按当地参数补贴期限" if rule == "local" else "贷款期限最长"
        suffix = "" if rule == "local" else "（LYG-2003 四(一)）"
        text = (label + _years_text(years) + "年" + suffix).where(
            first.notna(), "缺“初次核定日期”，无法计算期限"
        )
        return end, text.where(problem == "", problem)
    base = "sx_public_welfare" if rule == "sx_public_welfare" else "ah_subsidy"
    end, text, _ = _near_retirement(ctx, base, first, explain, rows)
    if rule == "ah_insurance_subsidy":
        special, why = ah_special_case(ctx)
        special, why = cut(special), cut(why)
        if special.any():
            men, women = int(ctx.param(AH_SPECIAL_AGE_MEN)), int(ctx.param(AH_SPECIAL_AGE_WOMEN))
            f = cut(ctx.f)
            ages = f["sex"].map({"男": men * 12, "女": women * 12})
            until = span_end_series(f["birth_date"], ages) - ONE_DAY
            take = (special & until.notna() & ((until > end) | end.isna())).fillna(False)
            end = end.where(~take, until)
            if explain:
                shown = iso_dates(until)
                text = text.where(
                    ~take,
                    why
                    + f"，社会保险补贴延长至退休（男{men}周岁、女{women}周岁，至"
                    + shown
                    + "）",
                )
    return end, text


def entitlement_ends_of(pack, benefit, frame: pd.DataFrame, as_of: dt.date, params=None):
    """:func:`entitlement_ends` for a canonical-column frame (JY_PERIOD_END)."""
    from calc.context import Context
    from calc.normalize import normalise

    return entitlement_ends(Context(pack, normalise(frame), as_of, params), benefit)


_RULE_PACK = {
    "local": "JS-2002",
    "sx_public_welfare": "SX-2008",
    "ah_subsidy": "AH-2011",
    "ah_insurance_subsidy": "AH-2011",
    "loan_term": "LYG-2003",
}


def period_end(
    rule: str,
    first: dt.date,
    birth: dt.date,
    sex: str,
    original_age: int | None = None,
    *,
    local_years: int | None = None,
    as_of: dt.date | None = None,
) -> tuple[dt.date, str]:
    """One person's last day of entitlement under ``rule`` and the explanation
    (the rule's own pack and parameters; ``local_years`` as a 参数 row)."""
    from calc.params import ParameterTable
    from calc.policies import get_policy
    from calc.policies.base import Benefit

    if rule not in RULES:
        raise InputError(f"未知的期限规则“{rule}”")
    pack = get_policy(_RULE_PACK[rule])
    params = None
    if local_years is not None:
        params = ParameterTable.from_rows([(LOCAL_YEARS, local_years, "1900-01-01", "调用参数")])
    frame = pd.DataFrame(
        {
            "first_approval_date": [first],
            "birth_date": [birth],
            "sex": [sex],
            "original_retirement_age": [original_age],
        },
        dtype=object,
    )
    ben = Benefit("period", "补贴", RULES[rule].clause, "monthly", period=rule)
    end, text = entitlement_ends_of(pack, ben, frame, as_of or dt.date.today(), params)
    if pd.isna(end.iloc[0]):
        raise InputError(text.iloc[0])
    return end.iloc[0].date(), text.iloc[0]


__all__ = [
    "RULES",
    "ah_special_case",
    "entitlement_ends",
    "entitlement_ends_of",
    "period_end",
]
