"""Apply a one-value function to a whole column, once per distinct value.

Ledger columns repeat their values (amounts, phone formats, names), so a
function that raises :class:`calc.errors.InputError` for a bad value is run
once per distinct value and its answers are spread back by position.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from calc.errors import InputError


def per_distinct_value(
    series: pd.Series | Any, fn: Callable[[Any], Any], *, empty_problem: str | None = None
) -> tuple[pd.Series, pd.Series]:
    """``(results, problems)``: ``fn`` per row, with the Chinese problem ("" when fine).

    Empty cells get ``empty_problem``, or what ``fn(None)`` says when it is not given.
    """
    s = series if isinstance(series, pd.Series) else pd.Series(series, dtype=object)
    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    results = np.empty(len(uniques), dtype=object)
    problems = np.empty(len(uniques), dtype=object)
    for i, value in enumerate(uniques):
        try:
            results[i], problems[i] = fn(value), ""
        except InputError as err:
            results[i], problems[i] = None, err.message
    if empty_problem is None and (codes < 0).any():
        try:
            fn(None)
            empty_problem = ""
        except InputError as err:
            empty_problem = err.message
    out_r = np.full(len(s), None, dtype=object)
    out_p = np.full(len(s), empty_problem or "", dtype=object)
    has = codes >= 0
    out_r[has] = results[codes[has]]
    out_p[has] = problems[codes[has]]
    return pd.Series(out_r, index=s.index, dtype=object), pd.Series(
        out_p, index=s.index, dtype=object
    )
