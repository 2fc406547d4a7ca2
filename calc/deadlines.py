"""Dates the office must meet or watch (JY_DEADLINE and the 时限 column): one function each.

The rules live in the packs (DeadlineRule, with their clause and, where the
clause writes a number — 7日, 一个月, 半年 — the parameter holding it).
:func:`deadline_series` is the only place a deadline is decided; the ledger
run (:func:`ledger_deadlines`), JY_DEADLINE and the documents call it.

- "N日内"/"N个月内" deadlines (``rest_day_rolls``): a last day that is a rest
  day moves to the next working day — 民法典第二百零三条“期间的最后一日是法定
  休假日的，以法定休假日结束的次日为期间的最后一日” — and the note says so;
  after the last official holiday schedule the working days are an estimate
  (calc.workdays.estimate_note).
- A rule without a fallback (JS-2002 三 counts from 求职登记日期 only) leaves
  the deadline unknown when the ledger lacks its date, and says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from calc import workdays
from calc.params import resolve
from calc.policies import get_policy

ROLL_CLAUSE = "民法典第二百零三条"


@dataclass
class LedgerDeadline:
    """One deadline rule over a ledger: date per row (NaT when none), note, problem."""

    dates: pd.Series
    notes: pd.Series
    problems: pd.Series
    mask: np.ndarray  # rows the rule applies to (eligible, in its categories)


def _raw(rule, pack, day: dt.date, params, defaults=None) -> dt.date:
    """The clause's date before any roll-forward."""
    if rule.param is not None:
        # Before the text's own version of the number, the text as issued applies
        # (as calc.context.Context.param_on): an event before the policy is no error.
        defaults = pack.parameters if defaults is None else defaults
        versions = defaults.get(rule.param) or []
        earliest = min((p.effective_from for p in versions), default=day)
        n = resolve(defaults, pack.code, rule.param, max(day, earliest), params).value
        return rule.compute(day, int(n))
    return rule.compute(day)


def _roll_note(raw: dt.date, rolled: dt.date) -> str:
    note = ""
    if rolled != raw:
        note = f"{raw.isoformat()}为休息日，依{ROLL_CLAUSE}顺延至{rolled.isoformat()}"
    estimate = workdays.estimate_note(raw, rolled)
    if estimate:
        note = f"{note}，{estimate}" if note else estimate
    return note


def _one(rule, pack, day: dt.date, params, defaults=None) -> tuple[dt.date, str]:
    raw = _raw(rule, pack, day, params, defaults)
    if not rule.rest_day_rolls:
        return raw, ""
    rolled = workdays.next_workday(raw)
    return rolled, _roll_note(raw, rolled)


def deadline_series(rule, dates: pd.Series, pack=None, params=None) -> pd.Series:
    """Apply a rule to a date column, once per distinct date (datetime64)."""
    return deadline_series_noted(rule, dates, pack, params)[0]


def deadline_series_noted(rule, dates: pd.Series, pack=None, params=None):
    """(dates, notes) of a rule over a date column, once per distinct date; the
    rest days of all of them rolled forward at once (calc.workdays.next_workdays)."""
    pack = pack if pack is not None else _pack_of(rule)
    days = pd.to_datetime(dates)
    defaults = pack.parameters  # built once, not per date
    codes, distinct = pd.factorize(days)  # NaT: code -1
    starts = distinct.to_numpy().astype("datetime64[D]").tolist()  # datetime.date each
    raws = [_raw(rule, pack, d, params, defaults) for d in starts]
    if rule.rest_day_rolls:
        rolled = workdays.next_workdays(raws)
        texts = [_roll_note(r, w) for r, w in zip(raws, rolled, strict=True)]
    else:
        rolled, texts = raws, [""] * len(raws)
    when = np.array([*rolled, None], dtype="datetime64[ns]")  # the last one for code -1
    notes = np.array([*texts, ""], dtype=object)
    out = pd.Series(when[codes], index=days.index, name=days.name)
    text = pd.Series(notes[codes], index=days.index, name=days.name, dtype=object)
    return out, text


def _pack_of(rule):
    from calc.policies import PACKS

    for pack in PACKS.values():
        if rule in pack.own_deadlines:
            return pack
    raise LookupError(rule.event)


def deadline(policy: str, event: str, day: dt.date, params=None) -> tuple[dt.date, str]:
    """The deadline of ``event`` under ``policy`` from ``day``, with its clause."""
    pack = get_policy(policy)
    rule = pack.deadline_rule(event)
    when, note = _one(rule, pack, day, params)
    text = f"{rule.event}：{rule.explanation}（{rule.clause}）"
    return when, text + (f"；{note}" if note else "")


def ledger_deadlines(ctx, eligible: np.ndarray, matched: dict[str, np.ndarray]):
    """Every deadline tied to a ledger date, for the eligible rows (event → LedgerDeadline)."""
    out: dict[str, LedgerDeadline] = {}
    n = len(ctx.index)
    for rule in ctx.pack.deadlines:
        if rule.source_field is None:
            continue
        source = ctx.f[rule.source_field]
        if rule.fallback_field is not None:
            source = source.fillna(ctx.f[rule.fallback_field])
        mask = eligible.copy()
        if rule.categories is not None:
            hit = np.zeros(n, dtype=bool)
            for code in rule.categories:
                if code in matched:
                    hit |= matched[code]
            mask &= hit
        if rule.source_field == "employment_date":
            mask &= ctx.employed.fillna(False).to_numpy(dtype=bool)
        problems = pd.Series("", index=ctx.index, dtype=object)
        missing = mask & source.isna().to_numpy()
        if rule.fallback_field is None and missing.any():
            why = ctx.unknown_phrase(rule.source_field)
            problems[missing] = (
                f"{rule.event}：" + why[missing] + f"，时限无法计算（{rule.clause}）"
            )
        mask &= source.notna().to_numpy()
        if not mask.any() and not missing.any():
            continue
        when, notes = deadline_series_noted(rule, source.where(mask), ctx.pack, ctx.table)
        out[rule.event] = LedgerDeadline(when, notes.where(mask, ""), problems, mask)
    return out


def events(policy: str) -> list[str]:
    return [d.event for d in get_policy(policy).deadlines]
