"""Dates the office must meet or watch (JY_DEADLINE and the 时限 column).

The rules live in the packs (DeadlineRule, with their clause); this module
finds a rule by its Chinese event name and applies it, for one date or for a
ledger column.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from calc.policies import get_policy


def deadline(policy: str, event: str, day: dt.date) -> tuple[dt.date, str]:
    """The deadline of ``event`` under ``policy`` from ``day``, with its clause."""
    pack = get_policy(policy)
    rule = pack.deadline_rule(event)
    return rule.compute(day), f"{rule.event}：{rule.explanation}（{rule.clause}）"


def deadline_series(rule, dates: pd.Series) -> pd.Series:
    """Apply a rule to a date column, once per distinct date."""
    days = pd.to_datetime(dates)
    uniques = days.dropna().unique()
    table = {d: pd.Timestamp(rule.compute(pd.Timestamp(d).date())) for d in uniques}
    return days.map(table).astype("datetime64[ns]")


def events(policy: str) -> list[str]:
    return [d.event for d in get_policy(policy).deadlines]
