"""Household members on a separate family sheet, joined to the ledger."""

from __future__ import annotations

import itertools
import re
from typing import Any

import numpy as np
import pandas as pd

try:
    import python_calamine as pc
except ImportError:  # pragma: no cover - xlwings Lite without calamine: only find_table is used
    pc = None


from xl_addin import field_map
from xl_addin.ledger_read.collect import _collect, _Rows
from xl_addin.ledger_read.header import _HeaderGuess
from xl_addin.ledger_read.ledger import Ledger
from xl_addin.ledger_read.opening import HEADER_SCAN_ROWS, _iter_sheet_rows, _open_sheet, _text
from xl_addin.xlsxpatch import column_letter


def _id_key(v: Any) -> str:
    return re.sub(r"[\s\u3000]", "", _text(v)).upper()


def _join_sheet(
    ledger: Ledger, wb: pc.CalamineWorkbook, name: str, guess: _HeaderGuess, fm: field_map.FieldMap
) -> _Rows | None:
    """Fields the person sheet lacks, from another sheet of the workbook, by ID number.

    Returns the other sheet's rows when it was read (None when it was not needed)."""
    family = _is_family_sheet(guess)
    new = [
        (pos, f)
        for pos, f in sorted(guess.hmap.columns.items())
        if f not in ledger.data.columns and f not in ("name", "id_number")
    ]
    if "id_number" not in ledger.data.columns or not (new or family):
        return None
    shared = set(guess.hmap.columns.values()) & set(ledger.data.columns) - {"name", "id_number"}
    if not family and "name" in guess.hmap.fields and len(shared) >= max(3, len(new)):
        return None  # another ledger of the same people (last year's sheet, a copy)
    found, _ = _open_sheet(wb, ledger.path, name)
    rows = _iter_sheet_rows(found, ledger.path)
    head = list(itertools.islice(rows, HEADER_SCAN_ROWS))
    other = _collect(head, rows, guess, fm.aliases or None)
    del found, rows, head
    ids = other.columns.get("id_number")
    if ids is None or not new:
        return other
    position: dict[str, int] = {}
    for i, v in enumerate(ids.tolist()):
        key = _id_key(v)
        if key and key not in position:
            position[key] = i  # the first row of a person wins
    take = np.array(
        [position.get(_id_key(v), -1) for v in ledger.data["id_number"].tolist()], dtype=np.int64
    )
    if not (take >= 0).any():
        return other
    for pos, f in new:
        values = other.columns[f]
        out = np.full(len(take), None, dtype=object)
        hit = take >= 0
        out[hit] = values[take[hit]]
        ledger.data[f] = out
        ledger.sources[f] = (
            f"工作表“{name}”{column_letter(pos + 1)}列“{guess.texts[pos]}”（按身份证号码合并）"
        )
    return other


def _is_family_sheet(guess: _HeaderGuess) -> bool:
    """A family-members sheet (家属信息, 家庭成员信息): each row a member with their own
    ID number and the ID number of the household's head (户主公民身份号码)."""
    have = guess.hmap.fields
    return "household_head_id" in have and "id_number" in have


def _household_members(ledger: Ledger, sheet: str, other: _Rows) -> None:
    """The rows of a family-members sheet that are not persons of the ledger.

    Issue 8 §4: “a family-members sheet keyed by the head's ID forms households”.
    A member listed only there (a spouse in work, a child at school) still decides
    the household tests (SX-2008 一(二), JS-2002 二(一), AH-2011 零就业家庭成员), so
    the rows are kept as :attr:`Ledger.household_members` with their canonical raw
    columns.  Rows of people the ledger itself holds (by ID number) and rows without
    a head's ID number are left out; of a member listed twice, the first row counts.
    """
    heads = other.columns.get("household_head_id")
    ids = other.columns.get("id_number")
    if heads is None or ids is None or not other.excel_rows:
        return
    in_ledger = {_id_key(v) for v in ledger.data["id_number"].tolist()} - {""}
    keep = []
    seen: set[str] = set()
    for i, (head, own) in enumerate(zip(heads.tolist(), ids.tolist(), strict=True)):
        key = _id_key(own)
        if not _id_key(head) or key in in_ledger or (key and key in seen):
            continue
        if key:
            seen.add(key)
        keep.append(i)
    if not keep:
        return
    take = np.asarray(keep, dtype=np.int64)
    index = pd.Index(np.asarray(other.excel_rows, dtype=np.int64)[take], name="excel_row")
    ledger.household_members = pd.DataFrame(
        {f: values[take] for f, values in other.columns.items()}, index=index, dtype=object
    )
    ledger.household_members_source = f"工作表“{sheet}”"
