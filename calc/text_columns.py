"""Columns of text in which rows that read alike hold one string object.

numpy copies a text per row when it turns a ``str`` into an object array —
``np.full(n, "台账未填…", dtype=object)`` and ``np.where(mask, "男", "女")
.astype(object)`` make n separate strings (about 100 bytes each for a short
Chinese text). On a ledger of a million rows that is 100 MB per column of one
repeated phrase. These build the same columns with the text stored once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def repeated(text: object, n: int) -> np.ndarray:
    """An object array of ``n`` times the same ``text`` (one object, not n copies)."""
    out = np.empty(n, dtype=object)
    out[:] = text
    return out


def either(condition: np.ndarray, yes: object, no: object) -> np.ndarray:
    """Per row ``yes`` where ``condition`` holds, else ``no`` — each stored once."""
    condition = np.asarray(condition, dtype=bool)
    out = repeated(no, len(condition))
    out[condition] = yes
    return out


def shared(texts: pd.Series | np.ndarray) -> pd.Series | np.ndarray:
    """The same texts with equal ones as one object (a Series stays a Series).

    For a text built row by row that many rows read alike — an age and sex, a
    retirement date, a list of benefits — kept for the whole run.
    """
    values = texts.to_numpy(dtype=object) if isinstance(texts, pd.Series) else texts
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    out = np.asarray(uniques, dtype=object)[codes]
    if isinstance(texts, pd.Series):
        return pd.Series(out, index=texts.index, dtype=object, name=texts.name)
    return out
