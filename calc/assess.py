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

from calc import fields as F
from calc.context import Context, kleene_and
from calc.deadlines import deadline_series
from calc.errors import InputError
from calc.normalize import Persons, normalise
from calc.params import ParameterTable
from calc.periods import period_ends
from calc.policies import get_policy
from calc.policies.base import Benefit, Category, DeadlineRule, Measure, Obligation, PolicyPack

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
    """Everything one assessment produced, for the layers above."""

    pack: PolicyPack
    as_of: dt.date
    persons: Persons
    results: pd.DataFrame
    context: Context
    benefit_masks: dict[str, np.ndarray] = field(default_factory=dict)
    deadline_dates: dict[str, pd.Series] = field(default_factory=dict)

    def matched(self, code: str) -> pd.Series:
        return self.results["category_codes"].str.split(",").apply(lambda xs: code in xs)


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

    @property
    def category_labels(self) -> str:
        return "、".join(c.label for c in self.categories)


def _texts(verdict: pd.Series, text: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    v = verdict.astype("boolean")
    true = v.fillna(False).to_numpy(dtype=bool)
    false = (~v).fillna(False).to_numpy(dtype=bool)
    return true, false, text.astype(object).to_numpy()


def _evaluate(requirements, ctx: Context, head_ok: str, head_no: str, head_na: str):
    """Kleene AND of requirements plus the explanation of the outcome per row."""
    n = len(ctx.index)
    verdicts, ok_parts = [], []
    reason = np.full(n, "", dtype=object)
    reason_na = np.full(n, "", dtype=object)
    has_false = np.zeros(n, dtype=bool)
    has_na = np.zeros(n, dtype=bool)
    for req in requirements:
        verdict, text = req.test(ctx)
        verdicts.append(verdict)
        true, false, txt = _texts(verdict, text)
        detail = req.label + "——" + txt.astype(str).astype(object)
        first_false = false & ~has_false
        reason[first_false] = detail[first_false]
        has_false |= false
        na = ~true & ~false
        first_na = na & ~has_na
        reason_na[first_na] = detail[first_na]
        has_na |= na
        ok_parts.append(txt)
    combined = (
        kleene_and(verdicts) if verdicts else pd.Series(True, index=ctx.index, dtype="boolean")
    )
    ok_text = ok_parts[0].astype(str).astype(object) if ok_parts else np.full(n, "", dtype=object)
    for part in ok_parts[1:]:
        ok_text = ok_text + "，" + part.astype(str).astype(object)
    explanation = np.where(
        has_false, head_no + reason, np.where(has_na, head_na + reason_na, head_ok + ok_text)
    )
    return combined, explanation


def _join(columns: list[np.ndarray], n: int, sep: str) -> np.ndarray:
    """Join non-empty strings row-wise."""
    out = np.full(n, "", dtype=object)
    for col in columns:
        nonempty = col != ""
        both = nonempty & (out != "")
        out = np.where(both, out + sep + col, np.where(nonempty, col, out))
    return out


def _context(policy, raw: pd.DataFrame, as_of, params, date1904) -> Context:
    pack = policy if isinstance(policy, PolicyPack) else get_policy(policy)
    day = dt.date.today() if as_of is None else as_of
    if isinstance(params, Sequence) and not isinstance(params, ParameterTable):
        params = ParameterTable.from_rows(params)
    persons = normalise(raw, date1904=date1904)
    return Context(pack, persons, day, params)


def run_ledger(
    policy: str | PolicyPack,
    raw: pd.DataFrame,
    as_of: dt.date | None = None,
    params: ParameterTable | None = None,
    *,
    date1904: bool = False,
) -> LedgerRun:
    """Assess every row of a ledger; see :func:`assess_ledger` for the columns."""
    ctx = _context(policy, raw, as_of, params, date1904)
    pack = ctx.pack
    n = len(ctx.index)

    # Preconditions of the base document (e.g. SX-2008 一 preamble).
    clause = pack.all_preconditions[0][0] if pack.all_preconditions else ""
    pre_ok, pre_text = _evaluate(
        [r for _, r in pack.all_preconditions],
        ctx,
        f"{clause} 前提：",
        f"不符合 {clause} 前提：",
        f"待核实 {clause} 前提：",
    )
    pre_true = pre_ok.fillna(False).to_numpy(dtype=bool)
    pre_false = (~pre_ok).fillna(False).to_numpy(dtype=bool)

    # Categories.
    codes_cols, label_cols, yes_cols, no_cols = [], [], [], []
    matched: dict[str, np.ndarray] = {}
    any_na = np.zeros(n, dtype=bool)
    for cat in pack.categories:
        verdict, text = _evaluate(
            cat.requirements,
            ctx,
            f"符合 {cat.clause}{cat.label}：",
            f"不符合 {cat.clause}{cat.label}：",
            f"待核实 {cat.clause}{cat.label}：",
        )
        true = verdict.fillna(False).to_numpy(dtype=bool)
        na = verdict.isna().to_numpy()
        hit = true & pre_true
        matched[cat.code] = hit
        any_na |= na | (true & ~pre_true & ~pre_false)
        codes_cols.append(np.where(hit, cat.code, ""))
        label_cols.append(np.where(hit, cat.label, ""))
        yes_cols.append(np.where(true, text, ""))
        no_cols.append(np.where(~true, text, ""))
    category_codes = _join(codes_cols, n, ",")
    category_labels = _join(label_cols, n, "、")
    in_category = category_codes != ""

    # Lapses (loss of status).
    lapse_cols = []
    lapsed = np.zeros(n, dtype=bool)
    for lapse in pack.lapses:
        verdict, text = lapse.test(ctx)
        hit = verdict.fillna(False).to_numpy(dtype=bool)
        lapsed |= hit
        lapse_cols.append(
            np.where(
                hit,
                f"资格终止 {lapse.clause}：{lapse.label}（"
                + text.astype(str).to_numpy(dtype=object)
                + "）",
                "",
            )
        )
    lapse_text = _join(lapse_cols, n, SEP)

    status = np.where(
        lapsed & in_category,
        LAPSED,
        np.where(
            in_category,
            ELIGIBLE,
            np.where(pre_false, NOT_ELIGIBLE, np.where(any_na, UNCERTAIN, NOT_ELIGIBLE)),
        ),
    )
    eligible = status == ELIGIBLE

    # Benefits.
    benefit_cols, benefit_why = [], []
    benefit_masks: dict[str, np.ndarray] = {}
    for ben in pack.benefits:
        mask = eligible & ctx.situation_mask(ben.situations).to_numpy(dtype=bool)
        if ben.categories is not None:
            in_any = np.zeros(n, dtype=bool)
            for code in ben.categories:
                if code in matched:
                    in_any |= matched[code]
            mask &= in_any
        if ben.extra is not None and mask.any():
            verdict, _ = ben.extra.test(ctx)
            mask &= verdict.fillna(False).to_numpy(dtype=bool)
        benefit_masks[ben.code] = mask
        label = ben.label if ben.recipient == "本人" else f"{ben.label}（{ben.recipient}）"
        benefit_cols.append(np.where(mask, label, ""))
        benefit_why.append(np.where(mask, f"{ben.label}（{ben.clause}）", ""))
    benefits = _join(benefit_cols, n, "、")

    # Entitlement period of the monthly subsidies.
    period_end = pd.Series(pd.NaT, index=ctx.index, dtype="datetime64[ns]")
    period_text = np.full(n, "", dtype=object)
    local_years = None
    for ben in pack.benefits:
        if ben.period is None or ben.kind == "loan" or not benefit_masks[ben.code].any():
            continue
        if ben.period == "local" and local_years is None:
            local_years = int(ctx.param("补贴期限（年）"))
        start = ctx.f["first_approval_date"]
        ends, texts = period_ends(
            ben.period,
            start,
            ctx.f["birth_date"],
            ctx.f["sex"],
            ctx.original_retirement_age if ctx.original_retirement_age.notna().any() else None,
            local_years=local_years or 3,
        )
        take = benefit_masks[ben.code] & period_end.isna().to_numpy()
        period_end[take] = ends[take]
        period_text[take] = f"{ben.label}期限：" + texts.astype(str).to_numpy(dtype=object)[take]

    # Deadlines tied to a ledger date.
    deadline_cols = []
    deadline_dates: dict[str, pd.Series] = {}
    for rule in pack.deadlines:
        if rule.source_field is None:
            continue
        source = ctx.f[rule.source_field].fillna(ctx.f["first_approval_date"])
        mask = eligible.copy()
        if rule.categories is not None:
            in_any = np.zeros(n, dtype=bool)
            for code in rule.categories:
                in_any |= matched.get(code, np.zeros(n, dtype=bool))
            mask &= in_any
        if rule.source_field == "employment_date":
            mask &= ctx.employed.fillna(False).to_numpy(dtype=bool)
        mask &= source.notna().to_numpy()
        if not mask.any():
            continue
        when = deadline_series(rule, source.where(mask))
        deadline_dates[rule.event] = when
        deadline_cols.append(
            np.where(
                mask,
                f"{rule.event}："
                + when.dt.strftime("%Y-%m-%d").fillna("").to_numpy(dtype=object)
                + f"（{rule.clause}）",
                "",
            )
        )
    deadlines = _join(deadline_cols, n, SEP)

    # Explanation: preconditions, categories (matched first, else all reasons), lapses, benefits, period.
    matched_text = _join(
        [np.where(m, y, "") for m, y in zip(matched.values(), yes_cols, strict=True)], n, SEP
    )
    unmatched_text = _join(
        [
            np.where(~m, np.where(y != "", y, no), "")
            for m, y, no in zip(matched.values(), yes_cols, no_cols, strict=True)
        ],
        n,
        SEP,
    )
    category_text = np.where(in_category, matched_text, unmatched_text)
    benefit_text = _join(benefit_why, n, "、")
    benefit_text = np.where(benefit_text != "", "可享受：" + benefit_text, "")
    conclusion = (
        np.array(["结论：" + s for s in status], dtype=object) if n else np.array([], dtype=object)
    )
    explanation = _join(
        [conclusion, pre_text, category_text, lapse_text, benefit_text, period_text], n, SEP
    )

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
    return LedgerRun(pack, ctx.as_of, ctx.persons, results, ctx, benefit_masks, deadline_dates)


def assess_ledger(
    policy: str | PolicyPack,
    raw: pd.DataFrame,
    as_of: dt.date | None = None,
    params: ParameterTable | None = None,
    *,
    date1904: bool = False,
) -> pd.DataFrame:
    """Results per row: category_codes, categories, status, eligible, benefits,
    period_end, deadlines, explanation, problems (same index as ``raw``)."""
    return run_ledger(policy, raw, as_of, params, date1904=date1904).results


def canonical_person(person: Mapping[str, object]) -> dict[str, object]:
    """Accept canonical names or Chinese headers (and synonyms) as keys."""
    out: dict[str, object] = {}
    for key, value in person.items():
        name = key if key in F.FIELDS else F.match_header(key)
        if name is None:
            raise InputError(f"不认识的字段“{key}”")
        out.setdefault(name, value)
    return out


def assess_person(
    policy: str | PolicyPack,
    person: Mapping[str, object],
    as_of: dt.date | None = None,
    params: ParameterTable | None = None,
    *,
    household: Sequence[Mapping[str, object]] = (),
    date1904: bool = False,
) -> Assessment:
    """One person's assessment; ``household`` lists the other members (for
    zero-employment and two-unemployed tests when 家庭编号 is used)."""
    me = canonical_person(person)
    members = [canonical_person(m) for m in household]
    rows = [me, *members]
    columns = sorted({k for r in rows for k in r})
    raw = pd.DataFrame([[r.get(c) for c in columns] for r in rows], columns=columns, dtype=object)
    run = run_ledger(policy, raw, as_of, params, date1904=date1904)
    row = run.results.iloc[0]
    pack = run.pack
    codes = [c for c in row["category_codes"].split(",") if c]
    cats = [pack.category(c) for c in codes]
    labels = set(filter(None, row["benefits"].split("、")))
    bens = [
        b
        for b in pack.benefits
        if (b.label if b.recipient == "本人" else f"{b.label}（{b.recipient}）") in labels
    ]
    deadlines = []
    for part in filter(None, row["deadlines"].split(SEP)):
        event, rest = part.split("：", 1)
        deadlines.append((pack.deadline_rule(event), dt.date.fromisoformat(rest[:10])))
    facts = run.persons.frame.iloc[0].to_dict()
    period_end = None if pd.isna(row["period_end"]) else pd.Timestamp(row["period_end"]).date()
    period_text = ""
    for part in row["explanation"].split(SEP):
        if "期限：" in part:
            period_text = part
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
            pack, codes, run.context.f["etype"].iloc[0], run.context.f["status"].iloc[0]
        ),
        facts=facts,
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
