"""Repeated texts of a column are one object, not one copy per row.

numpy copies a ``str`` per row when it fills an object array from it; on a
ledger of a million rows every such column costs ~100 MB. These check the
columns a run keeps for its whole length (the unknown-field phrases, the
availability causes, the date problems, sexes read from ID numbers) hold
each distinct text once.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from calc import synthetic
from calc.context import Context
from calc.dates import parse_dates
from calc.identity import parse_ids
from calc.normalize import normalise
from calc.policies import get_policy
from calc.text_columns import either, repeated

AS_OF = dt.date(2026, 11, 22)


def _objects(values) -> int:
    return len({id(v) for v in values})


def test_repeated_and_either_hold_each_text_once():
    assert _objects(repeated("台账未填“户籍地”", 1000)) == 1
    mask = np.arange(1000) % 3 == 0
    both = either(mask, "男", "女")
    assert list(both[:4]) == ["男", "女", "女", "男"]
    assert _objects(both) == 2


def _context(n: int = 600) -> Context:
    raw = synthetic.ledger(n, seed=3).drop(columns=["household_registration"])
    raw.loc[raw.index[::4], "unemployment_registration_date"] = None
    persons = normalise(raw, as_of=AS_OF)
    return Context(get_policy("SX-2008"), persons, AS_OF, None)


def test_unknown_phrases_and_causes_share_their_texts():
    ctx = _context()
    for name in ("household_registration", "unemployment_registration_date", "marital_status"):
        phrases = ctx.unknown_phrase(name)
        assert len(phrases) == len(ctx.index)
        assert _objects(phrases) <= 3, name  # no column / blank / unreadable
        assert _objects(ctx.persons.cause(name)) <= 4, name


def test_date_problems_and_sexes_share_their_texts():
    blanks = pd.Series([None] * 500 + ["2020-01-01"] * 500, dtype=object)
    _dates, problems = parse_dates(blanks)
    assert _objects(problems[:500]) == 1
    ids = pd.Series(synthetic.ledger(400, seed=1)["id_number"].tolist(), dtype=object)
    sexes = parse_ids(ids, today=AS_OF)["sex"].dropna()
    assert len(sexes) == 400 and _objects(sexes) == 2
