"""How long a subsidy runs (entitlement periods): the one place an entitlement end is decided.

:func:`entitlement_ends` answers "until when" for every entry point — the
ledger run (calc.assess → fill, JY_ASSESS, assess_person), JY_PERIOD_END,
JY_SUBSIDY (calc.subsidy) and the documents (doc_templates.from_assessment).

A benefit names its period rule as an object (``Benefit.period``): a
:class:`PeriodRule` returns data — a :class:`PeriodResult` with the last day,
whether that day is the retirement, and the reason shown to the clerk.  The
generic rules live here; a text's own rules live in its folder
(``calc/policies/sx_2008/periods.py`` for SX-2008 三(四), ``ah_2011`` for
AH-2011 (八), ``lyg_2003`` for the loan term of LYG-2003 四(一)).  Each number
is a dated parameter of its pack (docs/parameters.md).

- :data:`LOCAL_PERIOD`: the text sets no period; 补贴期限（年） from the parameters.
- :class:`NearRetirementPeriod`: the local or maximum period, except that a
  person near statutory retirement at the first approval keeps the subsidy
  until retirement (SX-2008 三(四) “不足5年”; AH-2011 (八) “不足5年（含5年）”,
  judged by the age at the first approval).
- :class:`FixedTerm`: a term of N years that ends on the corresponding date
  (民法典第二百零一条、第二百零二条: a 2-year loan from 2025-06-15 matures on
  2027-06-15; from 29 February on 28 February).

Dates: every parameter is taken as in force on the first approval (the period
is fixed then).  Spans use the Civil Code month-end rule (民法典第二百零二条,
:func:`calc.dates.span_end_series`); a subsidy's entitlement includes the
first-approval day, so it ends the day before the corresponding day.  "Until
retirement" ends on the day before the statutory retirement date.

Which retirement law: the five-year test uses the law in force on the approval
date (before 2025-01-01: men 60, women 50/55); "至退休" ends on the statutory
retirement date in force now (the 2025 reform), and the explanation says both.
A woman without 原退休年龄 for whom 50 and 55 give different ends gets no end
(the explanation asks for 原退休年龄).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from calc.clauses import Clause, clause
from calc.dates import iso_dates, span_end_series
from calc.errors import InputError
from calc.retirement import retirement_dates

REFORM_START = dt.date(2025, 1, 1)
ONE_DAY = pd.Timedelta(days=1)

# Parameter names shared by several texts (declared, with clause and date, in the packs).
LOCAL_YEARS = "补贴期限（年）"
NEAR_RETIREMENT_YEARS = "延长至退休距退休年限（年）"


@dataclass
class PeriodResult:
    """What a period rule decided, per row: data, rendered only where shown.

    ``end``: last day (NaT where a needed value is unknown); ``until_retirement``:
    rows whose end is the day before retirement; ``reason``: the explanation
    (None when the run asked for no texts); ``unknown``: the fields the reason
    names as unknown (field → rows, calc.missing).  Unpacks as ``(end, reason)``.
    """

    end: pd.Series
    until_retirement: pd.Series
    reason: pd.Series | None
    unknown: dict[str, np.ndarray] = field(default_factory=dict)

    def __iter__(self) -> Iterator:
        return iter((self.end, self.reason))


class PeriodRule:
    """A clause deciding how long a benefit runs (see module docstring).

    ``clause``: the clause, written "SX-2008 三(四)" and read once
    (calc.clauses); None where no text sets the length (:data:`LOCAL_PERIOD`).
    """

    clause: Clause | None = None
    description: str = ""
    #: parameter giving the ordinary length in years
    years_param: str = LOCAL_YEARS
    #: the ordinary length is a maximum (“最长3年”), not a fixed term
    at_most: bool = False
    #: parameter giving the distance to retirement that extends it, or None
    near_retirement_param: str | None = None
    #: “不足N年（含N年）” (True) or “不足N年” (False)
    near_inclusive: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.clause, str):
            object.__setattr__(self, "clause", clause(self.clause) if self.clause else None)

    def ends(self, ctx, first: pd.Series, explain: bool, rows=None) -> PeriodResult:
        """The period of the rows of ``first`` (all rows of ``ctx``, or those the
        boolean mask ``rows`` selects; the result has ``first``'s index)."""
        raise NotImplementedError  # pragma: no cover


def cut(series, rows):
    """``series`` on the rows a boolean mask selects (all when ``rows`` is None)."""
    return series if rows is None else series[rows]


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


def _never(index) -> pd.Series:
    return pd.Series(False, index=index, dtype=bool)


@dataclass(frozen=True, eq=False, kw_only=True)
class FixedTerm(PeriodRule):
    """N years from the first approval, N a parameter.

    ``corresponding_day``: the term ends on the corresponding date (a loan: 民法典
    第二百零一条、第二百零二条); otherwise on the day before (an entitlement that
    includes its first day).
    """

    clause: Clause | None
    description: str
    years_param: str
    label: str
    suffix: str = ""
    corresponding_day: bool = False

    def ends(self, ctx, first, explain, rows=None):
        years, problem = _years(ctx, self.years_param, first)
        end = span_end_series(first, (years * 12).astype("Int64"))
        if not self.corresponding_day:
            end = end - ONE_DAY
        end = end.where(problem == "")
        if not explain:
            return PeriodResult(end, _never(first.index), None)
        text = (self.label + _years_text(years) + "年" + self.suffix).where(
            first.notna(), "缺“初次核定日期”，无法计算期限"
        )
        return PeriodResult(end, _never(first.index), text.where(problem == "", problem))


#: No text sets the length: 补贴期限（年） of the parameters (no clause to cite).
LOCAL_PERIOD = FixedTerm(
    clause=None,
    description="文件未规定期限，按当地参数",
    years_param=LOCAL_YEARS,
    label="按当地参数补贴期限",
)


@dataclass(frozen=True, eq=False, kw_only=True)
class NearRetirementPeriod(PeriodRule):
    """The ordinary length, or until retirement for a person near it at the first approval.

    ``near_inclusive``: “不足N年（含N年）” (AH-2011 (八)) rather than “不足N年”
    (SX-2008 三(四)).
    """

    clause: Clause
    description: str
    years_param: str
    normal_label: str
    near_inclusive: bool
    at_most: bool = False
    near_retirement_param: str = NEAR_RETIREMENT_YEARS

    def ends(self, ctx, first, explain, rows=None):
        end, text, near, unknown = self._near_retirement(ctx, first, explain, rows)
        return PeriodResult(end, (near & end.notna()).astype(bool), text, unknown)

    def _near_retirement(self, ctx, first: pd.Series, explain: bool, rows=None):
        """(end, text, near): one retirement assumption each.

        The 55-year variant of a woman without 原退休年龄 is computed only for
        the rows where it could change the end (her end is known under 50).
        """
        idx = first.index
        horizon_years, hp = _years(ctx, self.near_retirement_param, first)
        normal_years, np_ = _years(ctx, self.years_param, first)
        clause, normal_label = str(self.clause), self.normal_label
        horizon = span_end_series(first, (horizon_years * 12).astype("Int64"))
        before = (first < pd.Timestamp(REFORM_START)).fillna(False)
        inclusive = self.near_inclusive

        def one(old, now, sel=None):
            f, h, b, years = first, horizon, before, normal_years
            if sel is not None:
                f, h, b, years = f[sel], h[sel], b[sel], years[sel]
            test = old.where(b, now)  # the law in force on the approval date
            near = test <= h if inclusive else test < h
            near = near.fillna(False)
            end = (now - ONE_DAY).where(near, _fixed_span(f, years))
            return end.where(f.notna() & test.notna() & now.notna()), near, test

        retire_now = cut(ctx.retirement_date, rows)
        end, near, test = one(cut(ctx.retirement_date_old, rows), retire_now)
        open_ = cut(ctx.original_age_open, rows)
        undecided = pd.Series(False, index=idx)
        sel = (open_ & end.notna()).to_numpy(dtype=bool)
        if sel.any():
            facts = cut(ctx.f, rows)
            births, sexes = facts["birth_date"][sel], facts["sex"][sel]
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
            return end, None, near, {}
        within = "不足（含）" if inclusive else "不足"
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
        text = text.where(
            ~(first.notna() & retire_now.isna()), "缺出生日期或性别，无法计算补贴期限"
        )
        named = undecided.to_numpy(dtype=bool)
        phrase = cut(
            pd.Series(ctx.unknown_phrase("original_retirement_age"), index=ctx.index), rows
        )
        text[named] = (
            phrase.to_numpy(dtype=object)[named]
            + "：女职工原法定退休年龄50或55周岁得出的补贴期限不同，请补填；"
            + clause
        )
        text = text.where(problem == "", problem)
        return end, text, near, {"original_retirement_age": named & (problem == "").to_numpy()}


def entitlement_period(
    ctx, benefit, *, explain: bool = True, rows: np.ndarray | None = None
) -> PeriodResult:
    """The :class:`PeriodResult` of ``benefit`` per row of ``ctx`` (its pack's rule).

    ``rows`` (a boolean mask): decide only those rows (e.g. the ones granted the
    benefit); the others get NaT, no retirement and an empty text.
    """
    rule = benefit.period
    if not isinstance(rule, PeriodRule):
        raise InputError(f"“{benefit.label}”没有期限规则")
    first = pd.to_datetime(cut(ctx.f["first_approval_date"], rows))
    result = rule.ends(ctx, first, explain, rows)
    if rows is None:
        return result
    end = pd.Series(pd.NaT, index=ctx.index, dtype="datetime64[ns]")
    end[rows] = result.end.to_numpy()
    until = np.zeros(len(ctx.index), dtype=bool)
    until[rows] = result.until_retirement.to_numpy(dtype=bool)
    reason = None
    if result.reason is not None:
        texts = np.full(len(ctx.index), "", dtype=object)
        texts[rows] = result.reason.to_numpy(dtype=object)
        reason = pd.Series(texts, index=ctx.index, dtype=object)
    unknown = {}
    for name, part in result.unknown.items():
        unknown[name] = np.zeros(len(ctx.index), dtype=bool)
        unknown[name][rows] = part
    return PeriodResult(end, pd.Series(until, index=ctx.index), reason, unknown)


def entitlement_ends(
    ctx, benefit, *, explain: bool = True, rows: np.ndarray | None = None
) -> PeriodResult:
    """Last day of entitlement of ``benefit`` per row of ``ctx``, and the explanation.

    NaT where a needed value is missing (the explanation says which).  The
    only function that decides an entitlement end (see module docstring).
    """
    return entitlement_period(ctx, benefit, explain=explain, rows=rows)


def entitlement_ends_of(pack, benefit, frame: pd.DataFrame, as_of: dt.date, params=None):
    """:func:`entitlement_ends` for a canonical-column frame (JY_PERIOD_END)."""
    from calc.context import Context
    from calc.normalize import normalise

    return entitlement_ends(Context(pack, normalise(frame), as_of, params), benefit)


def period_end(
    policy: str,
    benefit: str,
    first: dt.date,
    birth: dt.date,
    sex: str,
    original_age: int | None = None,
    *,
    local_years: int | None = None,
    as_of: dt.date | None = None,
) -> tuple[dt.date, str]:
    """One person's last day of entitlement of ``benefit`` under ``policy`` and the
    explanation (``local_years`` as a 参数 row)."""
    from calc.params import ParameterTable
    from calc.policies import get_policy

    pack = get_policy(policy)
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
    end, text = entitlement_ends_of(
        pack, pack.benefit(benefit), frame, as_of or dt.date.today(), params
    )
    if pd.isna(end.iloc[0]):
        raise InputError(text.iloc[0])
    return end.iloc[0].date(), text.iloc[0]


__all__ = [
    "LOCAL_PERIOD",
    "FixedTerm",
    "NearRetirementPeriod",
    "PeriodResult",
    "PeriodRule",
    "entitlement_ends",
    "entitlement_ends_of",
    "entitlement_period",
    "period_end",
]
