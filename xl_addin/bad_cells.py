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

_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_TYPE = re.compile(rb'\bt="(\w+)"')
_VALUE = re.compile(rb"<v>(.*?)</v>", re.S)
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
_CHUNK = 1 << 22


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
                tail = b""
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    data = tail + chunk
                    cut = data.rfind(b"</row>")
                    if cut < 0:
                        tail = data
                        continue
                    body, tail = data[: cut + 6], data[cut + 6 :]
                    if b't="e"' in body or b"<f" in body:
                        _scan(body, out)
                if tail and (b't="e"' in tail or b"<f" in tail):
                    _scan(tail, out)
    except (OSError, zipfile.BadZipFile, KeyError, RuntimeError):
        return {}
    return out


def _scan(body: bytes, out: dict[tuple[int, int], str]) -> None:
    for m in _CELL.finditer(body):
        attrs, inner = m.group(1), m.group(2) or b""
        typ = _TYPE.search(attrs)
        is_error = typ is not None and typ.group(1) == b"e"
        has_formula = b"<f" in inner
        if not is_error and not has_formula:
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
            f = _FORMULA.search(inner)
            formula = f.group(1).decode("utf-8", "replace") if f and f.group(1) else ""
            out[key] = FORMULA_PREFIX + html.unescape(formula)
