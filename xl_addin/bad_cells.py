"""Find the cells whose value calamine cannot give: error values and uncalculated formulas.

python-calamine returns ``""`` both for an error value (``#N/A`` of a failed
VLOOKUP, ``#VALUE!``) and for a formula saved without its cached result (a
workbook written by a program, never opened in Excel).  Read as empty, such a
cell turns into "未失业登记（为空）" or "身份证号码为空": a wrong fact.  This
module scans the sheet's XML for them, so the reader can hand the engine the
error text (``#N/A``) or the formula (``=VLOOKUP(…)``) instead, which
:mod:`calc.normalize` reports as an unreadable cell and treats as unknown.

The scan is cheap: a sheet without ``t="e"`` and ``<f`` (the usual ledger) is
only decompressed and searched for those two byte strings.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile

from xl_addin import zip_guard
from xl_addin.xlsxpatch.zipio import open_member

#: Marker put in front of a formula that has no cached value (see calc.normalize).
FORMULA_PREFIX = "="

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_TYPE = re.compile(rb'\bt="(\w+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
#: ``t="e"`` found by the regex engine: its literal search is faster than ``in`` on a
#: sheet full of ``t="…"`` (0.05 against 0.07 s over a 100k-row sheet).
_ERROR_TYPE = re.compile(rb't="e"')
_CHUNK = 1 << 22
#: Bytes either side of a seam between reads looked at for a marker cut in two
#: (``t="e"``; ``<f`` and the character after it; with a prefix ``:f``).
_SEAM = 8
#: Letters ``f`` looked at one by one in a chunk before the plain search for ``<f``.
_LETTER_CHECKS = 64


def sheet_part(zf: zipfile.ZipFile, sheet_name: str) -> str | None:
    try:
        wb = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return None
    rid = None
    for m in re.finditer(r"<(?:\w+:)?sheet\b([^>]*)/?>", wb):
        attrs = m.group(1)
        name = re.search(r'\bname="([^"]*)"', attrs)
        if name and html.unescape(name.group(1)) == sheet_name:
            r = re.search(r'\br:id="([^"]*)"', attrs) or re.search(r'\bid="([^"]*)"', attrs)
            rid = r.group(1) if r else None
            break
    if rid is None:
        return None
    for m in re.finditer(r"<Relationship\b([^>]*)/?>", rels):
        attrs = m.group(1)
        if re.search(rf'\bId="{re.escape(rid)}"', attrs):
            target = re.search(r'\bTarget="([^"]*)"', attrs)
            if not target:
                return None
            t = target.group(1)
            return t.lstrip("/") if t.startswith("/") else posixpath.normpath("xl/" + t)
    return None


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def scan_bad_cells(path: str, sheet_name: str) -> dict[tuple[int, int], str]:
    """``{(excel_row, column_1based): text}`` for error cells and formulas without a value.

    ``text`` is the error value (``"#N/A"``) or ``"=" + formula``.  Returns
    ``{}`` when the workbook cannot be scanned (the normal reader reports that).
    """
    out: dict[tuple[int, int], str] = {}
    zip_guard.guard_workbook(path)  # no sheet inflated past the size guard
    try:
        with zipfile.ZipFile(path) as zf:
            part = sheet_part(zf, sheet_name)
            if part is None or part not in zf.namelist():
                return out
            with open_member(zf, part) as fh:
                _scan_stream(fh, out)
    except (OSError, zipfile.BadZipFile, KeyError, RuntimeError):
        return {}
    return out


def _scan_stream(fh, out: dict[tuple[int, int], str]) -> None:
    """Scan a sheet's XML read from ``fh`` a chunk at a time, whole rows at a time.

    The rows ending in a chunk are joined to the part of a row carried over from the
    one before (a copy) only when there is something to find in them: a bad cell's
    marker lies within one row, so it is in the carried part, in the chunk, or across
    the seam between them (:data:`_SEAM` bytes either side)."""
    tail = b""
    while chunk := fh.read(_CHUNK):
        cut = _after_last_row(chunk)
        if cut < 0:  # no row ends here
            tail += chunk
            continue
        if (
            _may_hold_bad_cells(chunk)
            or _may_hold_bad_cells(tail)
            or _may_hold_bad_cells(tail[-_SEAM:] + chunk[:_SEAM])
        ):
            scan_rows(tail + chunk[:cut], out)
        tail = chunk[cut:]
    if tail:
        scan_rows(tail, out)


def scan_rows(body: bytes, out: dict[tuple[int, int], str]) -> None:
    """Add the error cells and formulas without a value of ``body`` (whole rows of a
    sheet's XML) to ``out``, as :func:`scan_bad_cells` gives them."""
    if _may_hold_bad_cells(body):
        _scan(body, out)


def _after_last_row(data: bytes) -> int:
    """The end of the last ``</row>`` (or ``</x:row>``) in ``data``; -1 when none."""
    i = data.rfind(b"row>")
    while i >= 0:
        lt = data.rfind(b"<", 0, i)
        if data[lt + 1 : lt + 2] == b"/" and (lt + 2 == i or data[i - 1 : i] == b":"):
            return i + 4
        i = data.rfind(b"row>", 0, i)
    return -1


def _may_hold_bad_cells(body: bytes) -> bool:
    """Whether ``body`` has an error cell (``t="e"``) or a formula (``<f``, ``<x:f``).

    A formula is looked for by its letter ``f`` first: the byte search for one
    character is several times faster than for ``<f`` (``<`` begins every tag), and
    a sheet without formulas seldom has an ``f`` (texts are in the shared strings).
    """
    if _ERROR_TYPE.search(body):
        return True
    find = body.find
    i = find(b"f")
    seen = 0
    while i >= 0:
        if body[i - 1 : i] in (b"<", b":") and not body[i + 1 : i + 2].isalnum():
            return True
        seen += 1
        if seen > _LETTER_CHECKS:  # a sheet of inline texts: the plain search
            return b"<f" in body or b":f" in body
        i = find(b"f", i + 1)
    return False


def _scan(body: bytes, out: dict[tuple[int, int], str]) -> None:
    for m in _CELL.finditer(body):
        attrs, inner = m.group(1), m.group(2) or b""
        typ = _TYPE.search(attrs)
        is_error = typ is not None and typ.group(1) == b"e"
        formula = _FORMULA.search(inner) if (b"f" in inner) else None
        if not is_error and formula is None:
            continue
        ref = _REF.search(attrs)
        if ref is None:
            continue
        key = (int(ref.group(2)), _column_number(ref.group(1)))
        value = _VALUE.search(inner)
        text = value.group(1).decode("utf-8", "replace").strip() if value else ""
        if is_error:
            out[key] = html.unescape(text) or "#错误"
        elif not text:
            text = formula.group(1).decode("utf-8", "replace") if formula.group(1) else ""
            out[key] = FORMULA_PREFIX + html.unescape(text)
