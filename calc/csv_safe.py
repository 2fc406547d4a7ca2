"""The one CSV writer: every text cell neutralised against formula injection.

Every CSV jyyz writes (文书登记簿.csv, 未生成_*.csv) is opened by clerks in
Excel or WPS, which run a cell that begins with ``=``, ``+``, ``-`` or ``@``
(or a TAB / carriage return before one) as a formula — a name such as
``=HYPERLINK("http://…")`` or ``-2+3`` in a ledger would become a live
formula, and a name ending in ``&"`` even absorbs the text written after it.
Following the OWASP advice on CSV injection, such a text cell is written with
a leading apostrophe (``'=HYPERLINK(…)``), which Excel and WPS show as text.
Numbers (``int``/``float``) are written as they are.

The rule is reversible for the program's own reading (:func:`restore`): a
cell that begins with an apostrophe is given one more, so ``'x`` survives a
round trip. The ledger and the papers are not CSV and keep such names as text.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence

#: The first characters that make Excel/WPS read a CSV cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"


def strip_invisible(text: str, keep: str = "") -> str:
    """``text`` without control characters (category Cc, except those in ``keep``) and
    format characters (Cf: the bidi overrides U+202A–U+202E and U+2066–U+2069,
    zero-width marks …), which make ``王\u202efdp.exe`` display as ``王exe.pdf``."""
    if text.isprintable() and not any(unicodedata.category(c) == "Cf" for c in text):
        return text
    return "".join(
        c for c in text if c in keep or unicodedata.category(c) not in ("Cc", "Cf", "Cs")
    )


def neutralise(value: object) -> object:
    """``value`` safe for a CSV cell: a text cell that could start a formula
    gets a leading apostrophe; numbers and ``None`` stay as they are."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    if text and (text.startswith(FORMULA_STARTS) or text.startswith(_QUOTE)):
        return _QUOTE + text
    return text


def restore(text: str) -> str:
    """The text :func:`neutralise` was given (for reading our own CSV back)."""
    if len(text) > 1 and text[0] == _QUOTE and (text[1] in FORMULA_STARTS or text[1] == _QUOTE):
        return text[1:]
    return text


def csv_bytes(
    header: Sequence[object] | None, rows: Iterable[Sequence[object]], *, bom: bool = True
) -> bytes:
    """CSV bytes in UTF-8 (with a BOM so Excel shows Chinese), every cell neutralised."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if header is not None:
        w.writerow([neutralise(c) for c in header])
    for row in rows:
        w.writerow([neutralise(c) for c in row])
    return buf.getvalue().encode("utf-8-sig" if bom else "utf-8")
