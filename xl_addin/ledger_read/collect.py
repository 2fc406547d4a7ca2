"""Collecting the person rows below the header in chunks; choosing the ledger sheet."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

try:
    import python_calamine as pc
except ImportError:  # pragma: no cover - xlwings Lite without calamine: only find_table is used
    pc = None

from calc.fields import (
    FIELDS,
    match_header,
)
from calc.memory import no_cycle_collection
from xl_addin import field_map
from xl_addin import messages as msg
from xl_addin.ledger_read.header import _guess_header, _HeaderGuess
from xl_addin.ledger_read.ledger import (
    Ledger,
    _is_column_number_row,
    _is_stop_row,
    _is_sub_header,
    _looks_like_person,
    _squeeze,
)
from xl_addin.ledger_read.opening import (
    _NAME,
    HEADER_SCAN_ROWS,
    MIN_FIELDS_NAMED,
    _is_blank,
    _sheet_rows,
    _text,
)
from xl_addin.xlsxpatch import column_letter

_CHUNK_ROWS = 20_000
#: The head of a column looked at first: all but distinct there, the column is taken
#: as mostly distinct without factorising it (sharing objects only saves memory).
_DISTINCT_HEAD = 300


def _distinct_column(values: np.ndarray) -> np.ndarray:
    out = values.copy()
    out[values == ""] = None
    return out


def _column(values: np.ndarray) -> np.ndarray:
    """One column of a chunk: ``""`` → None, repeated texts sharing one object.

    A ledger column mostly repeats a few texts (城镇, 是, dates, community names);
    calamine gives a new object for every cell.  Keeping one object per distinct
    text per chunk saves most of the memory of a million-row ledger.  Only
    texts are merged (``True == 1.0`` must stay apart); values are unchanged.
    """
    n = len(values)
    head = values[:_DISTINCT_HEAD].tolist()
    if len(head) == _DISTINCT_HEAD and len(set(head)) > _DISTINCT_HEAD * 0.95:
        return _distinct_column(values)  # names, ID numbers: not worth factorising
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if len(uniques) * 2 > n:  # mostly distinct: nothing to share
        return _distinct_column(values)
    texts = np.fromiter((type(u) is str for u in uniques), dtype=bool, count=len(uniques))
    table = uniques.astype(object, copy=True)
    table[table == ""] = None
    out = table[codes]
    keep = codes < 0  # None / NaN: as they were
    if not texts.all():
        keep |= ~texts[codes]  # numbers, dates, booleans: the cell's own object
    if keep.any():
        out[keep] = values[keep]
    return out


@dataclass
class _Rows:
    """The data rows of a ledger sheet, column-wise (see :func:`_collect`)."""

    width: int
    excel_rows: list[int]
    columns: dict[str, np.ndarray]
    skipped: list[int]
    max_row: int
    notes: list[str] = field(default_factory=list)  # texts of footer/note rows
    sub_header: int | None = None  # Excel row of an unrecognised lower header row
    strays: list[int] = field(default_factory=list)  # rows without name or ID: not persons
    samples: dict[int, list[Any]] = field(default_factory=dict)  # unknown column → first values


#: Filled values kept per unrecognised column, to judge what the column holds.
_SAMPLE = 300
#: Rows read for those samples (a big ledger is not sampled to its end).
_SAMPLE_ROWS = 3000


#: Words of a code table's or a note's own header row, never a person's name.
_TABLE_WORDS = frozenset({"代码", "编码", "名称", "说明", "含义", "代号", "类别", "备注", "序号"})
_LOOSE_ID = re.compile(r"^\d{6,17}[\dXx]?$")


def _no_person(
    row: Sequence[Any], key_cols: Sequence[int], positions: Sequence[int], id_col: int | None
) -> bool:
    """No name and no ID number — nothing under 姓名 that reads as a name, nothing under
    the ID column that reads as a number — and fewer than three of the ledger's
    columns filled (a code table's “DS01 | 大龄失业人员”, a sum typed under the table)."""
    if id_col is not None:  # most rows: an ID number as text, no space to squeeze
        v = row[id_col]
        if v.__class__ is str and _LOOSE_ID.match(v):
            return False
    for c in key_cols:
        v = row[c]
        if _is_blank(v):
            continue
        s = _squeeze(_text(v))
        if c == id_col:
            if _LOOSE_ID.match(s):
                return False
        elif _NAME.match(s) and s not in _TABLE_WORDS and not match_header(s):
            return False
        elif not _NAME.match(s) and not re.search(r"[A-Za-z]\d", s):
            return False  # a name in another script, with spaces: still a person
    return sum(1 for c in positions if not _is_blank(row[c])) < 3


def _build(
    path: str,
    sheet: str,
    names: list[str],
    head: list[list[Any]],
    rest: Iterable[list[Any]],
    guess: _HeaderGuess,
) -> Ledger:
    """The ledger from the first rows ``head`` (header scan) and the rows after them."""
    return _make_ledger(path, sheet, names, _collect(head, rest, guess), guess)


def _collect(
    head: list[list[Any]],
    rest: Iterable[list[Any]],
    guess: _HeaderGuess,
    aliases: dict[str, str] | None = None,
) -> _Rows:
    """Data rows below the header, skipping blank, column-number and footer rows.

    Rows are streamed: only the recognised columns are kept, a chunk of rows at
    a time, so the whole sheet never exists as Python lists.  The rows are lists
    of plain values, made and dropped by the hundred thousand: the cyclic
    collector is paused meanwhile (:func:`calc.memory.no_cycle_collection`).
    """
    with no_cycle_collection():
        return _collect_rows(head, rest, guess, aliases)


def _collect_rows(
    head: list[list[Any]],
    rest: Iterable[list[Any]],
    guess: _HeaderGuess,
    aliases: dict[str, str] | None,
) -> _Rows:
    width = len(head[0]) if head else 0
    widest = width  # a sheet read in blocks gives rows as wide as their block
    hmap = guess.hmap
    last_header = guess.rows[-1]
    field_pos = sorted(hmap.columns.items())  # (pos, name)
    key_cols = [hmap.fields[n] for n in ("name", "id_number") if n in hmap.fields]
    id_col = hmap.fields.get("id_number")
    positions = [pos for pos, _ in field_pos]

    excel_rows: list[int] = []
    parts: list[list[np.ndarray]] = [[] for _ in field_pos]
    kept: list[list[Any]] = []
    skipped: list[int] = []
    notes: list[str] = []
    sub_header: int | None = None
    strays: list[int] = []
    samples: dict[int, list[Any]] = {pos: [] for pos, _ in hmap.unknown if pos < width}
    footer = False
    first = True

    def flush() -> None:
        if not kept:
            return
        block = np.empty((len(kept), width), dtype=object)
        block[:] = kept
        kept.clear()
        for k, pos in enumerate(positions):
            parts[k].append(_column(block[:, pos]))

    idx = last_header
    for row in itertools.chain(head[last_header + 1 :], rest):
        idx += 1
        if len(row) != width:
            widest = max(widest, len(row))
            if len(row) < width:
                row = row + [""] * (width - len(row))
        if row.count("") == len(row):
            continue
        if _is_blank(row[0]) and all(_is_blank(v) for v in row):
            continue
        if first:
            first = False
            if _is_column_number_row(row):
                skipped.append(idx + 1)
                continue
            if _is_sub_header(row, hmap, aliases):
                sub_header = idx + 1
                skipped.append(idx + 1)
                first = True  # a column-number row may follow
                continue
        if _is_stop_row(row, len(row), key_cols, id_col):
            footer = True
            skipped.append(idx + 1)
            notes.append(" ".join(_text(v) for v in row if not _is_blank(v)))
            continue
        if footer and not _looks_like_person(row, id_col):
            # Below a footer only rows that clearly hold a person are data.
            skipped.append(idx + 1)
            notes.append(" ".join(_text(v) for v in row if not _is_blank(v)))
            continue
        if key_cols and _no_person(row, key_cols, positions, id_col):
            # Neither a name nor an ID number, and (almost) nothing in the ledger's
            # columns: stray numbers beside the table, a pasted total, a code table
            # under the data — not a person (its text may be a legend: kept as a note).
            strays.append(idx + 1)
            notes.append(" ".join(_text(v) for v in row if not _is_blank(v)))
            continue
        excel_rows.append(idx + 1)
        if len(row) > width:  # the recognised columns are all within the header's width
            row = row[:width]
        kept.append(row)
        if samples and len(excel_rows) <= _SAMPLE_ROWS:  # the first rows tell the column
            for pos, bucket in samples.items():
                if len(bucket) < _SAMPLE and not _is_blank(row[pos]):
                    bucket.append(row[pos])
        if len(kept) >= _CHUNK_ROWS:
            flush()
    flush()
    max_row = max(idx + 1, len(head))

    columns_data: dict[str, np.ndarray] = {}
    for (_, name), chunks in zip(field_pos, parts, strict=True):
        if len(chunks) == 1:
            columns_data[name] = chunks[0]
        else:
            columns_data[name] = np.concatenate(chunks) if chunks else np.empty(0, dtype=object)
        chunks.clear()
    return _Rows(
        widest, excel_rows, columns_data, skipped, max_row, notes, sub_header, strays, samples
    )


def _make_ledger(
    path: str, sheet: str, names: list[str], rows: _Rows, guess: _HeaderGuess
) -> Ledger:
    hmap = guess.hmap
    last_header = guess.rows[-1]
    field_pos = sorted(hmap.columns.items())  # (pos, name)
    index = pd.Index(rows.excel_rows, name="excel_row", dtype="int64")
    columns_data = rows.columns
    rows.columns = {}
    data = pd.DataFrame(columns_data, index=index, dtype=object, columns=[n for _, n in field_pos])
    del columns_data

    return Ledger(
        path=path,
        sheet_name=sheet,
        sheet_names=names,
        header_row=last_header + 1,
        header_rows=tuple(r + 1 for r in guess.rows),
        data=data,
        raw_headers=list(guess.texts),
        columns={name: column_letter(pos + 1) for pos, name in field_pos},
        unknown_columns=[(column_letter(pos + 1), t) for pos, t in hmap.unknown],
        duplicates=[(column_letter(pos + 1), t) for pos, t in hmap.duplicates],
        n_columns=rows.width,  # calamine pads every row to the used width
        max_row=rows.max_row,
        skipped_rows=rows.skipped,
        non_person_rows=rows.strays,
        unknown_samples={column_letter(pos + 1): v for pos, v in rows.samples.items()},
        notes=rows.notes,
        sub_header_row=rows.sub_header,
    )


def _expected_headers() -> str:
    keys = ("name", "id_number", "sex", "birth_date", "phone", "address")
    return "、".join(f"“{FIELDS[k].header}”" for k in keys)


@dataclass
class TableLayout:
    """Where the header is and which rows hold people (see :func:`find_table`)."""

    header_index: int  # 0-based index of the (last) header row in the rows given
    header_rows: tuple[int, ...]  # 0-based indexes of all header rows
    headers: list[str]  # header text per column (two-row headers combined)
    person_rows: set[int]  # 0-based indexes of the rows that hold people
    skipped: list[int]  # 0-based indexes of footer, note, sub-header and column-number rows


def find_table(
    rows: list[list[Any]], merges: list | None = None, aliases: dict[str, str] | None = None
) -> TableLayout | None:
    """The header/footer detector of :func:`read_ledger` for rows already in memory.

    The Excel buttons (xl_addin.scripts) read the sheet through xlwings and
    use this, so the command line and the buttons agree on what a header, a
    合计 row or a 填表说明 row is.  Blank cells may be ``None`` or ``""``.
    """
    if not rows:
        return None
    width = max(len(r) for r in rows)
    grid = [list(r) + [""] * (width - len(r)) for r in rows]
    head = grid[:HEADER_SCAN_ROWS]
    guess = _guess_header(head, list(merges or []), aliases)
    if guess is None or guess.score < MIN_FIELDS_NAMED:
        return None
    collected = _collect(head, iter(grid[HEADER_SCAN_ROWS:]), guess, aliases)
    return TableLayout(
        header_index=guess.rows[-1],
        header_rows=guess.rows,
        headers=list(guess.texts),
        person_rows={r - 1 for r in collected.excel_rows},
        skipped=[r - 1 for r in collected.skipped],
    )


#: Sheets jyyz itself reads or writes: never the ledger.
_OWN_SHEETS = ("参数", "目标", field_map.SHEET, "检查结果")
#: Text fields whose values templates often write as codes (①… or 1…).
_CODED_FIELDS = (
    "certified_category",
    "employment_status",
    "employment_type",
    "separation_type",
    "household_registration",
    "former_employer_type",
    "marital_status",
)


def _sheet_score(guess: _HeaderGuess) -> tuple[int, int]:
    """Person sheets first: ID number and name, then the number of recognised fields."""
    have = guess.hmap.fields
    return (int("id_number" in have) + int("name" in have), guess.score)


def _clearly_better(score: tuple[int, int], than: tuple[int, int]) -> bool:
    """A later sheet replaces an earlier candidate only if it holds clearly more:
    ID and name where the other lacks one, or half as many fields again (and 3 more).
    Two ledgers of the same kind (this year's, last year's) keep the first."""
    if score[0] != than[0]:
        return score[0] > than[0]
    return score[1] >= max(than[1] + 3, than[1] * 1.5)


def _read_field_map(
    wb: pc.CalamineWorkbook, path: str, worksheets: list[str]
) -> field_map.FieldMap:
    if field_map.SHEET not in worksheets:
        return field_map.FieldMap()
    rows, _ = _sheet_rows(wb, path, field_map.SHEET)
    return field_map.parse_field_map(rows, msg.where(path, field_map.SHEET))
