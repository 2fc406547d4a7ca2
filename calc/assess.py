"""Assess people under a policy: categories, eligibility, benefits, periods, deadlines.

Two entry points with identical answers:

- :func:`assess_ledger` — a whole ledger (DataFrame with canonical field
  columns, see calc.fields), vectorised and household-aware;
- :func:`assess_person` — one person given as a mapping of fields (canonical
  names or Chinese headers), optionally with the other members of the
  household.  It runs the very same rules on a one-household frame.

Every row carries an explanation citing the clauses that matched or failed
and the values used, e.g. "符合 SX-2008 一(一)“4050”人员：女，45周岁
（2026-11-22），原单位国有".  Status is one of 符合 / 不符合 / 待核实 (the
ledger lacks a value a clause needs) / 资格终止 (a lapse clause applies).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas._libs import lib

from calc import certified, fields, missing
from calc.context import Context, kleene_and
from calc.dates import iso_dates
from calc.deadlines import LedgerDeadline, ledger_deadlines
from calc.errors import InputError
from calc.memory import release_memory
from calc.normalize import Persons, normalise
from calc.params import ParameterTable
from calc.periods import PeriodResult, entitlement_period
from calc.policies import get_policy
from calc.policies.base import Benefit, Category, DeadlineRule, Measure, Obligation, PolicyPack
from calc.rules import resolve_text
from calc.text_columns import shared

ELIGIBLE, NOT_ELIGIBLE, UNCERTAIN, LAPSED = "符合", "不符合", "待核实", "资格终止"
SEP = "；"

RESULT_HEADERS = {
    "categories": "认定类别",
    "status": "认定结论",
    "eligible": "是否符合",
    "benefits": "可享受政策",
    "period_end": "补贴期限截止",
    "deadlines": "时限提醒",
    "explanation": "认定依据",
    "problems": "数据问题",
}


@dataclass
class LedgerRun:
    """Everything one assessment produced, for the layers above — as data.

    Masks, dates and amounts per row; texts are joined into the Chinese
    columns of ``results`` only for display.  ``periods``: benefit code →
    :class:`calc.periods.PeriodResult` (end dates, until-retirement flags,
    reasons) of the granted benefits with a period;
    ``deadlines``: event → :class:`calc.deadlines.LedgerDeadline`;
    ``causes``: per :class:`calc.missing.Cause` (a field missing, blank or
    unreadable) the rows whose explanation names it — what the 待核实 counts
    count (empty when the run built no explanations).
    """

    pack: PolicyPack
    as_of: dt.date
    persons: Persons
    results: pd.DataFrame
    context: Context
    benefit_masks: dict[str, np.ndarray] = field(default_factory=dict)
    deadline_dates: dict[str, pd.Series] = field(default_factory=dict)
    category_masks: dict[str, np.ndarray] = field(default_factory=dict)
    lapse_masks: dict[str, np.ndarray] = field(default_factory=dict)
    periods: dict[str, PeriodResult] = field(default_factory=dict)
    deadlines: dict[str, LedgerDeadline] = field(default_factory=dict)
    causes: dict[missing.Cause, np.ndarray] = field(default_factory=dict)

    def matched(self, code: str) -> pd.Series:
        return pd.Series(self.category_masks[code], index=self.results.index)

    def drop_details(self) -> None:
        """Let go of what only per-person views and documents read — the context
        with its derived columns, the normalised persons, the periods and the
        deadlines — keeping the results and masks.  The fill path writes from the
        results alone; on a big ledger these hold hundreds of MB through the write.
        """
        self.context = None  # type: ignore[assignment]
        self.persons = None  # type: ignore[assignment]
        self.periods = {}
        self.deadlines = {}
        self.deadline_dates = {}


@dataclass
class PersonPeriod:
    """One person's entitlement period of one benefit: last day (None: unknown),
    the reason shown to the clerk, and whether the period runs until retirement.
    Unpacks as ``(end, reason)``."""

    end: dt.date | None
    reason: str
    until_retirement: bool

    def __iter__(self):
        return iter((self.end, self.reason))


@dataclass
class Assessment:
    """One person's result (see module docstring)."""

    policy: str
    status: str
    eligible: bool
    categories: list[Category]
    benefits: list[Benefit]
    period_end: dt.date | None
    period_explanation: str
    deadlines: list[tuple[DeadlineRule, dt.date]]
    explanation: str
    problems: str
    obligations: list[Obligation] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)
    #: benefit code → its entitlement period
    periods: dict[str, PersonPeriod] = field(default_factory=dict)
    #: event → the note of a deadline (e.g. rolled forward by 民法典第二百零三条)
    deadline_texts: dict[str, str] = field(default_factory=dict)
    #: event → why a deadline could not be computed
    deadline_problems: dict[str, str] = field(default_factory=dict)
    #: the data problems of the row as (field, code, message)
    problem_records: list[tuple[str | None, str, str]] = field(default_factory=list)

    @property
    def category_labels(self) -> str:
        return "、".join(c.label for c in self.categories)


def _as_text(values: np.ndarray) -> np.ndarray:
    """``values.astype(str).astype(object)`` without the round trip through a
    fixed-width array when every value is a ``str`` already."""
    if values.dtype == object and lib.is_string_array(values, skipna=False):
        return values
    return values.astype(str).astype(object)


def _evaluate(
    requirements,
    ctx: Context,
    heads: tuple[str, str, str],
    explain: bool,
    with_body: bool = False,
):
    """Kleene AND of requirements, and when ``explain`` the explanation per row,
    (``with_body``) the same without its head (the requirement and its values),
    and the fields the explanation names as unknown (field → rows).

    Text is built only where it is shown: the first failing requirement for a
    "no", the first unknown one for "待核实", all values for a "yes"; the
    unknown fields follow the same choice.
    """
    head_ok, head_no, head_na = heads
    n = len(ctx.index)
    results = [(req, *req.test(ctx)) for req in requirements]
    verdicts = [v.astype("boolean") for _, v, _ in results]
    combined = (
        kleene_and(verdicts) if verdicts else pd.Series(True, index=ctx.index, dtype="boolean")
    )
    if not explain:
        return combined, None, None, None
    explanation = np.full(n, "", dtype=object)
    named: missing.Unknown = {}
    body = np.full(n, "", dtype=object) if with_body else None
    decided = np.zeros(n, dtype=bool)
    trues, texts, unknowns = [], [], []
    for (req, _, text), verdict in zip(results, verdicts, strict=True):
        true = verdict.fillna(False).to_numpy(dtype=bool)
        false = (~verdict).fillna(False).to_numpy(dtype=bool)
        said = resolve_text(text)
        txt = said.text.to_numpy(dtype=object)
        trues.append(true)
        texts.append(txt)
        unknowns.append(said.unknown)
        take = false & ~decided
        if take.any():
            _put(explanation, body, take, head_no, req.label + "——", [txt])
            missing.merge(named, said.unknown, take)
        decided |= false
    for (req, _, _), true, txt, unknown in zip(results, trues, texts, unknowns, strict=True):
        take = ~true & ~decided
        if take.any():
            _put(explanation, body, take, head_na, req.label + "——", [txt])
            missing.merge(named, unknown, take)
        decided |= take
    all_true = ~decided
    if all_true.any() and texts:
        _put(explanation, body, all_true, head_ok, "", texts)
        for unknown in unknowns:
            missing.merge(named, unknown, all_true)
    return combined, explanation, body, named


def _put(
    explanation: np.ndarray,
    body: np.ndarray | None,
    rows: np.ndarray,
    head: str,
    prefix: str,
    texts: list[np.ndarray],
) -> None:
    """``explanation[rows] = head + prefix + texts joined by "，"`` (and ``body`` the
    same without ``head``), each distinct combination of texts built once: rows that
    read alike share one string, so a big ledger holds each text once, not per row."""
    columns = [_as_text(txt[rows]) for txt in texts]
    key = None
    for col in columns:
        codes, uniques = pd.factorize(col)
        key = codes if key is None else pd.factorize(key * len(uniques) + codes)[0]
    _, first = np.unique(key, return_index=True)  # codes 0..m-1: the first row of each
    shown = np.empty(len(first), dtype=object)
    # each combination's texts side by side (a tuple per combination, not a generator)
    combos = zip(*(c[first].tolist() for c in columns), strict=True)
    if body is None:  # no text without the head to keep: built whole, in one piece
        shown[:] = [head + prefix + "，".join(texts) for texts in combos]
        explanation[rows] = shown[key]
        return
    own = np.empty(len(first), dtype=object)
    own[:] = [prefix + "，".join(texts) for texts in combos]
    shown[:] = [head + t for t in own.tolist()]
    explanation[rows] = shown[key]
    body[rows] = own[key]


#: Rows joined at a time by :func:`_join` (bounds the temporary lists of a big ledger).
_JOIN_ROWS = 100_000


def _join(columns: list[np.ndarray], n: int, sep: str, *, consume: bool = False) -> np.ndarray:
    """Join the non-empty strings of each row (only rows with something to join).

    ``consume``: the caller gives the object arrays of ``columns`` up — each
    block of rows is emptied once joined, so a big ledger's parts are let go
    of while their joined texts are made, instead of both being held whole.
    """
    out = np.full(n, "", dtype=object)
    if not columns:
        return out
    arrays = [np.asarray(c, dtype=object) for c in columns]
    for lo in range(0, n, _JOIN_ROWS):
        hi = min(n, lo + _JOIN_ROWS)
        stacked = np.column_stack([a[lo:hi] for a in arrays])
        rows = np.flatnonzero((stacked != "").any(axis=1))
        if len(rows):
            out[lo + rows] = [sep.join(filter(None, r)) for r in stacked[rows].tolist()]
        if consume:
            del stacked
            for a in arrays:
                a[lo:hi] = ""
    return out


def _shared(texts: np.ndarray) -> np.ndarray:
    """The same texts with equal ones as one object.

    A category's explanation repeats a few hundred distinct texts over a
    million rows; sharing them keeps a big ledger's explanations in memory once.
    """
    if len(texts) < 2 * _JOIN_ROWS:
        return texts
    codes, uniques = pd.factorize(texts)
    if (codes < 0).any() or len(uniques) * 4 > len(texts):
        return texts
    return np.asarray(uniques, dtype=object)[codes]


def _labels(
    masks: list[np.ndarray], labels: list[str], n: int, sep: str, head: str = ""
) -> np.ndarray:
    """Row-wise joined labels through a bitmask: one string per distinct combination
    (after ``head`` when there is any label)."""
    code = np.zeros(n, dtype=np.int64)
    for bit, mask in enumerate(masks):
        code |= mask.astype(np.int64) << bit
    uniques, inverse = np.unique(code, return_inverse=True)
    table = np.array(
        [
            (head if u else "") + sep.join(lab for bit, lab in enumerate(labels) if u >> bit & 1)
            for u in uniques.tolist()
        ],
        dtype=object,
    )
    return table[inverse.reshape(-1)] if n else np.array([], dtype=object)


def _context(policy, raw, as_of, params, date1904) -> Context:
    pack = policy if isinstance(policy, PolicyPack) else get_policy(policy)
    day = dt.date.today() if as_of is None else as_of
    if isinstance(params, Sequence) and not isinstance(params, ParameterTable):
        params = ParameterTable.from_rows(params)
    persons = raw if isinstance(raw, Persons) else normalise(raw, date1904=date1904, as_of=day)
    return Context(pack, persons, day, params)


def _any(masks: dict[str, np.ndarray], codes, n: int) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    for code in codes:
        if code in masks:
            out |= masks[code]
    return out


def benefit_periods(
    ctx: Context,
    benefit_masks: Mapping[str, np.ndarray],
    *,
    explain: bool = True,
    granted_only: bool = False,
) -> dict[str, PeriodResult]:
    """Entitlement end (and explanation) per row for each granted benefit with a
    period — the monthly subsidies; loans are left out.  Each benefit's end comes
    from its :class:`calc.periods.PeriodRule`, the one place it is decided.
    ``granted_only``: decided only on the rows granted the benefit (NaT and ""
    elsewhere) — all a ledger run shows."""
    out: dict[str, PeriodResult] = {}
    for ben in ctx.pack.benefits:
        mask = benefit_masks.get(ben.code)
        if ben.period is None or ben.kind == "loan" or mask is None or not mask.any():
            continue
        rows = np.asarray(mask, dtype=bool) if granted_only else None
        out[ben.code] = entitlement_period(ctx, ben, explain=explain, rows=rows)
    return out


def benefit_masks_of(ctx: Context, eligible: np.ndarray, matched: Mapping[str, np.ndarray]):
    """Per benefit, the rows granted it (eligible, in its categories and
    situations, meeting its extra requirement, not superseded).

    Superseded (e.g. AH-2011 (七)3 社会保险补贴 by (七)4 吸纳零就业家庭成员社会保险补贴):
    withheld where the other benefit is granted *or may be* — its situation or
    extra condition unknown — so that less data never adds a benefit.
    """
    n = len(ctx.index)
    masks: dict[str, np.ndarray] = {}
    possible: dict[str, np.ndarray] = {}
    for ben in ctx.pack.benefits:
        situation = ctx.situation_mask(ben.situations)
        mask = eligible & situation
        maybe = eligible.copy()
        if ben.situations is not None:
            maybe &= situation | ctx.situation_unknown(ben.situations)
        if ben.categories is not None:
            cats = _any(matched, ben.categories, n)
            mask &= cats
            maybe &= cats
        if ben.extra is not None and maybe.any():
            verdict, _ = ben.extra.test(ctx)
            mask &= verdict.fillna(False).to_numpy(dtype=bool)
            maybe &= verdict.fillna(True).to_numpy(dtype=bool)
        masks[ben.code] = mask
        possible[ben.code] = maybe
    for ben in ctx.pack.benefits:
        for other in ben.superseded_by:
            if other in possible:
                masks[ben.code] = masks[ben.code] & ~possible[other]
    return masks


def run_ledger(
    policy: str | PolicyPack,
    raw: pd.DataFrame | Persons,
    as_of: dt.date | None = None,
    params: ParameterTable | None = None,
    *,
    date1904: bool = False,
    explain: bool = True,
    dates: bool = True,
    details: bool = True,
) -> LedgerRun:
    """Assess every row of a ledger; see :func:`assess_ledger` for the columns.

    ``raw`` may be an already normalised :class:`~calc.normalize.Persons`
    (calc.normalize.normalise), to assess one ledger under several policies.

    ``explain=False`` skips the explanation texts (the column is then empty):
    the decisions are the same, only faster for very large ledgers.
    ``dates=False`` (only with ``explain=False``) skips the entitlement periods and
    the deadlines: ``period_end`` is then NaT and ``deadlines`` empty, for callers
    that show only categories, status and benefits (the one-cell worksheet functions).

    ``details=False`` (a caller that writes the results only, like ``fill``):
    the periods and deadlines are let go of as soon as their columns are made,
    before the explanations are joined, and the run holds none
    (:meth:`LedgerRun.drop_details` drops the rest afterwards); the persons' typed
    facts go too before the join (:meth:`Context.forget_facts`) — a
    :class:`~calc.normalize.Persons` given as ``raw`` keeps only its index, problems
    and the masks of absent and unreadable fields.
    """
    if not dates and explain:
        raise ValueError("dates=False leaves out what the explanation cites: use explain=False")
    ctx = _context(policy, raw, as_of, params, date1904)
    pack = ctx.pack
    n = len(ctx.index)
    empty = np.full(n, "", dtype=object)

    # Preconditions of the base document (e.g. SX-2008 一 preamble).
    clause = pack.all_preconditions[0][0] or "" if pack.all_preconditions else ""
    pre_ok, pre_text, _, pre_named = _evaluate(
        [r for _, r in pack.all_preconditions],
        ctx,
        (f"{clause} 前提：", f"不符合 {clause} 前提：", f"待核实 {clause} 前提："),
        explain,
    )
    pre_true = pre_ok.fillna(False).to_numpy(dtype=bool)
    pre_false = (~pre_ok).fillna(False).to_numpy(dtype=bool)

    # Categories.
    matched: dict[str, np.ndarray] = {}
    cat_true: list[np.ndarray] = []
    cat_text: list[np.ndarray] = []
    cat_body: list[np.ndarray] = []
    cat_named: list[missing.Unknown] = []
    has_certified = certified.recorded(ctx)
    any_na = np.zeros(n, dtype=bool)
    for cat in pack.categories:
        verdict, text, body, named = _evaluate(
            cat.requirements,
            ctx,
            (
                f"符合 {cat.clause}{cat.label}：",
                f"不符合 {cat.clause}{cat.label}：",
                f"待核实 {cat.clause}{cat.label}：",
            ),
            explain,
            with_body=has_certified,
        )
        true = verdict.fillna(False).to_numpy(dtype=bool)
        na = verdict.isna().to_numpy()
        matched[cat.code] = true & pre_true
        any_na |= na | (true & ~pre_true & ~pre_false)
        cat_true.append(true)
        cat_text.append(text if explain else empty)  # equal texts share one string (_put)
        cat_body.append(body if body is not None else empty)
        cat_named.append(named or {})
    cats = list(pack.categories)
    category_codes = _labels(list(matched.values()), [c.code for c in cats], n, ",")
    category_labels = _labels(list(matched.values()), [c.label for c in cats], n, "、")
    in_category = _any(matched, matched, n)
    cert = certified.apply(
        ctx,
        matched,
        cat_true,
        cat_body,
        pre_true,
        category_codes,
        category_labels,
        in_category,
        explain,
    )  # the office's recorded certification is a fact

    # The fields the explanation names as unknown, per row (what the 待核实 counts count).
    named: missing.Unknown = {}
    missing.merge(named, pre_named or {})

    # An unreadable recorded certification may be one: unknown, not "not certified".
    bad_cert = ctx.persons.unreadable.get("certified_category")
    if bad_cert is not None:
        open_cert = bad_cert & ~in_category
        any_na |= open_cert
        if explain and open_cert.any():
            phrase = ctx.unknown_phrase("certified_category")[open_cert]
            cert.note[open_cert] = "待核实：是否已认定——" + phrase
            missing.merge(named, {"certified_category": open_cert})

    # Lapses (loss of status): a known lapse ends the status; an unknown one (its
    # inputs unknown: no column, blank or unreadable cell) never cancels it.
    lapsed = np.zeros(n, dtype=bool)
    lapse_open = np.zeros(n, dtype=bool)
    lapse_cols = []
    lapse_masks: dict[str, np.ndarray] = {}
    lapse_results = []
    for lapse in pack.lapses:
        verdict, text = lapse.test(ctx)
        hit = verdict.fillna(False).to_numpy(dtype=bool)
        lapse_masks[lapse.key] = hit
        lapsed |= hit
        open_ = verdict.isna().to_numpy()
        lapse_open |= open_
        lapse_results.append((lapse, hit, open_, text))
    lapse_open &= ~lapsed
    if explain:
        for lapse, hit, open_, text in lapse_results:
            shown_open = open_ & lapse_open & in_category
            if not (hit.any() or shown_open.any()):
                continue
            col = empty.copy()
            said = resolve_text(text)
            txt = said.text.to_numpy(dtype=object)
            col[hit] = f"资格终止 {lapse.clause}：{lapse.label}（" + _as_text(txt[hit]) + "）"
            col[shown_open] = f"待核实 {lapse.clause}：是否{lapse.label}——" + _as_text(
                txt[shown_open]
            )
            lapse_cols.append(_shared(col))
            missing.merge(named, said.unknown, hit | shown_open)
            del said, txt  # a text per row: only its column is kept
    lapse_results.clear()

    # A lapse the ledger cannot decide does not cancel the status: the person stays
    # 符合 and the explanation says "待核实 AH-2011 (六)：是否未参加年审——台账无“年审日期”列".
    status = np.where(  # one object per status (a column of a million rows)
        lapsed & in_category,
        LAPSED,
        np.where(
            in_category,
            ELIGIBLE,
            np.where(pre_false, NOT_ELIGIBLE, np.where(any_na, UNCERTAIN, NOT_ELIGIBLE)),
        ),
    )
    status = shared(status.astype(object))
    eligible = status == ELIGIBLE

    # Benefits.
    benefit_masks = benefit_masks_of(ctx, eligible, matched)
    bens = list(pack.benefits)
    benefits = _labels(
        [benefit_masks[b.code] for b in bens],
        [b.shown_label for b in bens],
        n,
        "、",
    )

    # Entitlement period of the monthly subsidies.
    period_end = pd.Series(pd.NaT, index=ctx.index, dtype="datetime64[ns]")
    period_text = empty.copy()
    periods = (
        benefit_periods(ctx, benefit_masks, explain=explain, granted_only=True) if dates else {}
    )
    for code, (ends, texts) in periods.items():
        ben = pack.benefit(code)
        take = benefit_masks[code] & period_end.isna().to_numpy()
        period_end[take] = ends[take]
        if explain:
            period_text[take] = shared(
                f"{ben.label}期限：" + texts.to_numpy(dtype=object)[take].astype(str).astype(object)
            )
            missing.merge(named, periods[code].unknown, take)
    if not details:
        periods = {}  # their reasons are in period_text now

    # Deadlines tied to a ledger date (calc.deadlines, the one place they are decided).
    deadline_cols = []
    ledger_dl = ledger_deadlines(ctx, eligible, matched) if dates else {}
    for event, dl in ledger_dl.items():
        rule = pack.deadline_rule(event)
        col = empty.copy()
        mask = dl.mask
        if mask.any():
            notes = dl.notes.to_numpy(dtype=object)[mask].astype(str)
            col[mask] = (
                f"{event}："
                + iso_dates(dl.dates[mask]).to_numpy(dtype=object)
                + f"（{rule.clause}"
                + np.where(notes != "", "；" + notes.astype(object), "")
                + "）"
            )
        unknown = (dl.problems != "").to_numpy()
        col[unknown] = dl.problems.to_numpy(dtype=object)[unknown]
        deadline_cols.append(col)
    deadlines = _join(deadline_cols, n, SEP, consume=True)
    del deadline_cols
    if not details:
        ledger_dl = {}  # their dates and notes are in deadlines now

    explanation = empty
    if explain:
        # Matched categories' reasons; when none matched, every category's reason.
        shown = [
            np.where(in_category, np.where(m, t, ""), t)
            for m, t in zip(matched.values(), cat_text, strict=True)
        ]
        hidden = cert.rows
        for m, cat_unknown in zip(matched.values(), cat_named, strict=True):
            missing.merge(named, cat_unknown, (~in_category | m) & ~hidden)
        benefit_text = _labels(  # one text per combination of benefits
            [benefit_masks[b.code] for b in bens],
            [f"{b.shown_label}（{b.clause}）" for b in bens],
            n,
            "、",
            head="可享受：",
        )
        conclusion = shared("结论：" + status)
        unsure = missing.uncertain_benefits(ctx, matched, eligible, benefit_masks)
        missing.merge(named, unsure.unknown)
        members_notes = ctx.household_members_notes()  # 家属信息
        parts = [
            conclusion,
            cert.note,
            pre_text,
            *certified.hide(cert.rows, shown),
            *lapse_cols,
            benefit_text,
            period_text,
            np.array(unsure.text.to_numpy(dtype=object), copy=True),
        ]
        if members_notes is not None:
            parts.append(members_notes)
        # Each part holds a text per row: only the list keeps them from here on,
        # and it goes as soon as they are joined (a big ledger's peak is here).
        del conclusion, cert, pre_text, shown, lapse_cols, benefit_text, period_text
        del unsure, members_notes
        cat_text.clear()
        cat_body.clear()
        if not details:
            ctx.forget_facts()  # nothing reads a fact or a derived column from here on
        if n >= 2 * _JOIN_ROWS:
            release_memory()  # the texts above left the heap fragmented; the join needs room
        explanation = _join(parts, n, SEP, consume=True)
        del parts

    results = pd.DataFrame(
        {
            "category_codes": category_codes,
            "categories": category_labels,
            "status": status,
            "eligible": eligible,
            "benefits": benefits,
            "period_end": period_end.to_numpy(),
            "deadlines": deadlines,
            "explanation": explanation,
            "problems": ctx.persons.problems.to_numpy(),
        },
        index=ctx.index,
    )
    return LedgerRun(
        pack,
        ctx.as_of,
        ctx.persons,
        results,
        ctx,
        benefit_masks,
        {e: d.dates for e, d in ledger_dl.items() if d.mask.any()},
        category_masks=matched,
        lapse_masks=lapse_masks,
        periods=periods,
        deadlines=ledger_dl,
        causes=missing.causes_of(named, ctx.persons) if explain else {},
    )


def assess_ledger(
    policy: str | PolicyPack,
    raw: pd.DataFrame,
    as_of: dt.date | None = None,
    params: ParameterTable | None = None,
    *,
    date1904: bool = False,
    explain: bool = True,
) -> pd.DataFrame:
    """Results per row: category_codes, categories, status, eligible, benefits,
    period_end, deadlines, explanation, problems (same index as ``raw``)."""
    return run_ledger(policy, raw, as_of, params, date1904=date1904, explain=explain).results


def canonical_person(person: Mapping[str, object]) -> dict[str, object]:
    """Accept canonical names or Chinese headers (and synonyms) as keys."""
    out: dict[str, object] = {}
    for key, value in person.items():
        name = key if key in fields.FIELDS else fields.match_header(key)
        if name is None:
            raise InputError(f"不认识的字段“{key}”")
        out.setdefault(name, value)
    return out


def person_frame(
    person: Mapping[str, object], household: Sequence[Mapping[str, object]] | None = None
) -> pd.DataFrame:
    """A one-household raw frame: the person first, then the other members
    (``household`` None: the household is unknown, see :func:`assess_person`)."""
    me = canonical_person(person)
    if household is None:
        me.pop("household_id", None)
        household = ()
    members = [canonical_person(m) for m in household]
    rows = [me, *members]
    columns = sorted({k for r in rows for k in r})
    return pd.DataFrame([[r.get(c) for c in columns] for r in rows], columns=columns, dtype=object)


def assess_person(
    policy: str | PolicyPack,
    person: Mapping[str, object],
    as_of: dt.date | None = None,
    params: ParameterTable | None = None,
    *,
    household: Sequence[Mapping[str, object]] | None = None,
    date1904: bool = False,
) -> Assessment:
    """One person's assessment.

    ``household`` lists the other members of the person's household (for the
    zero-employment and two-unemployed tests); ``[]`` says the person lives
    alone.  Left as None, the household is unknown: the household tests then
    use the 零就业家庭 / 家庭失业人数 fields if given, else answer 待核实 —
    one row alone never proves that a household has no one in work.
    """
    raw = person_frame(person, household)
    run = run_ledger(policy, raw, as_of, params, date1904=date1904)
    return person_result(run, 0)


def person_result(run: LedgerRun, i: int) -> Assessment:
    """Row ``i`` of a run as an :class:`Assessment`, read from the run's data."""
    row = run.results.iloc[i]
    pack = run.pack
    codes = [c.code for c in pack.categories if run.category_masks[c.code][i]]
    cats = [pack.category(c) for c in codes]
    bens = [b for b in pack.benefits if run.benefit_masks[b.code][i]]
    deadlines, notes, unknown_deadlines = [], {}, {}
    for event, dl in run.deadlines.items():
        if dl.mask[i]:
            deadlines.append((pack.deadline_rule(event), dl.dates.iloc[i].date()))
            if dl.notes.iloc[i]:
                notes[event] = dl.notes.iloc[i]
        elif dl.problems.iloc[i]:
            unknown_deadlines[event] = dl.problems.iloc[i]
    periods: dict[str, PersonPeriod] = {}
    period_text = ""
    for code, result in run.periods.items():
        if not run.benefit_masks[code][i]:
            continue
        end = result.end.iloc[i]
        text = "" if result.reason is None else str(result.reason.iloc[i])
        periods[code] = PersonPeriod(
            None if pd.isna(end) else pd.Timestamp(end).date(),
            text,
            bool(result.until_retirement.iloc[i]),
        )
        if not period_text:
            period_text = f"{pack.benefit(code).label}期限：{text}"
    facts = run.persons.frame.iloc[i].to_dict()
    records = run.persons.records
    mine = [] if records is None else records[records["row"] == run.results.index[i]]
    problem_records = (
        [(f, c, m) for f, c, m in zip(mine["field"], mine["code"], mine["message"], strict=True)]
        if len(mine)
        else []
    )
    period_end = None if pd.isna(row["period_end"]) else pd.Timestamp(row["period_end"]).date()
    return Assessment(
        policy=pack.code,
        status=row["status"],
        eligible=bool(row["eligible"]),
        categories=cats,
        benefits=bens,
        period_end=period_end,
        period_explanation=period_text,
        deadlines=deadlines,
        explanation=row["explanation"],
        problems=row["problems"],
        obligations=obligations_for(pack, codes),
        measures=measures_for(
            pack, codes, run.context.f["etype"].iloc[i], run.context.f["status"].iloc[i]
        ),
        facts=facts,
        periods=periods,
        deadline_texts=notes,
        deadline_problems=unknown_deadlines,
        problem_records=problem_records,
    )


def obligations_for(pack: PolicyPack, category_codes: Sequence[str]) -> list[Obligation]:
    """Party B's obligations under the pack (general ones plus those of the person's categories)."""
    return [
        o
        for o in pack.obligations
        if o.categories is None or set(o.categories) & set(category_codes)
    ]


def measures_for(
    pack: PolicyPack, category_codes: Sequence[str], etype=None, status=None
) -> list[Measure]:
    """The office's assistance measures for the person's categories and situation."""
    situation = (
        etype if isinstance(etype, str) else ("unemployed" if status == "unemployed" else None)
    )
    out = []
    for m in pack.measures:
        if m.categories is not None and not set(m.categories) & set(category_codes):
            continue
        if m.situations is not None and situation not in m.situations:
            continue
        out.append(m)
    return out
