"""Columns of text in which rows that read alike hold one string object.

numpy copies a text per row when it turns a ``str`` into an object array —
``np.full(n, "台账未填…", dtype=object)`` and ``np.where(mask, "男", "女")
.astype(object)`` make n separate strings (about 100 bytes each for a short
Chinese text). On a ledger of a million rows that is 100 MB per column of one
repeated phrase. These build the same columns with the text stored once.
"""

from __future__ import annotations

import numpy as np


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
