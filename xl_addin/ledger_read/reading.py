"""Reading a ledger: :func:`read_ledger` and the steps that finish it."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

try:
    import python_calamine as pc
except ImportError:  # pragma: no cover - xlwings Lite without calamine: only find_table is used
    pc = None

from calc.errors import InputError
from calc.memory import release_memory
from calc.normalize import BAD_TEXTS_ATTR
from xl_addin import field_map
from xl_addin import messages as msg
from xl_addin.bad_cells import scan_bad_cells
from xl_addin.ledger_read.collect import (
    _OWN_SHEETS,
    _clearly_better,
    _collect,
    _expected_headers,
    _make_ledger,
    _read_field_map,
    _Rows,
    _sheet_score,
)
from xl_addin.ledger_read.family import _side_by_side_family
from xl_addin.ledger_read.header import _guess_header, _HeaderGuess
from xl_addin.ledger_read.households import (
    _household_members,
    _is_family_sheet,
    _join_sheet,
)
from xl_addin.ledger_read.in_memory import WorkbookValues, _source
from xl_addin.ledger_read.ledger import Ledger, _merge_boxes
from xl_addin.ledger_read.opening import (
    HEADER_SCAN_ROWS,
    MIN_FIELDS_AUTO,
    MIN_FIELDS_NAMED,
    _open,
    _rows_and_merges,
    _worksheet_names,
)
from xl_addin.ledger_read.places import _place_from_title
from xl_addin.ledger_read.values import _apply_legends, _apply_value_maps, _check_value_domains
from xl_addin.xlsxpatch import column_index


def read_ledger(path: str | os.PathLike[str], sheet: str | None = None) -> Ledger:
    """Read the ledger sheet of a workbook.

    ``sheet`` names the sheet; without it the worksheet that holds persons
    (ID numbers and names, then the most recognised fields, at least
    :data:`MIN_FIELDS_AUTO`) is taken, and fields it lacks are joined by ID
    number from the workbook's other person-keyed sheets.  A 字段对照 sheet
    (:mod:`xl_addin.field_map`) adds the clerk's own header and value mappings.
    """
    p = _source(path)
    wb = _open(p)
    big = False
    try:
        all_names = list(wb.sheet_names)
        worksheets = _worksheet_names(wb)
        fm = _read_field_map(wb, p, worksheets)
        aliases = fm.aliases or None
        if sheet is not None:
            if sheet not in all_names:
                raise msg.unknown_sheet(p, sheet, all_names)
            if sheet not in worksheets:
                raise InputError(f"{msg.file_label(p)} 的“{sheet}”是图表工作表，不是台账")
            rows, merges, found = _rows_and_merges(wb, p, sheet)
            head = list(itertools.islice(rows, HEADER_SCAN_ROWS))
            guess = _guess_header(head, merges, aliases)
            if guess is None or guess.score < MIN_FIELDS_NAMED:
                raise InputError(
                    f"{msg.where(p, sheet)}：前{HEADER_SCAN_ROWS}行中未找到台账表头。"
                    f"表头应包含{_expected_headers()}等列名（可用常见同义写法）"
                )
            scan = found or _scan_in_background(p, sheet)
            data = _collect(head, rows, guess, aliases)
            title = head[: guess.rows[0]]
            del rows, head  # free calamine's copy of the sheet before the frame is made
            big = _release_if_big(data)
            ledger = _make_ledger(p, sheet, all_names, data, guess)
            ledger.merges = _merge_boxes(merges)
            return _finish(ledger, fm, title, wb, [], scan)

        best = None  # (score, name, guess, rows, head, merges)
        others: list[tuple[str, _HeaderGuess]] = []
        weak: tuple[int, str] | None = None
        for name in worksheets:
            if name in _OWN_SHEETS:
                continue
            rows, merges, found = _rows_and_merges(wb, p, name)
            head = list(itertools.islice(rows, HEADER_SCAN_ROWS))
            guess = _guess_header(head, merges, aliases)
            if guess is None:
                continue
            if guess.score < MIN_FIELDS_AUTO:
                if weak is None or guess.score > weak[0]:
                    weak = (guess.score, name)
                if "id_number" in guess.hmap.fields and guess.score >= 2:
                    others.append((name, guess))
                continue
            score = _sheet_score(guess)
            if best is None or _clearly_better(score, best[0]):
                if best is not None:
                    others.append((best[1], best[2]))
                best = (score, name, guess, rows, head, merges, found)
            else:
                others.append((name, guess))
                del rows, head
        if best is None:
            hint = ""
            if weak is not None and weak[0] > 0:
                hint = f"（工作表“{weak[1]}”只识别出 {weak[0]} 列）"
            raise InputError(
                f"{msg.file_label(p)}：在各工作表（{msg.join_names(all_names)}）的前{HEADER_SCAN_ROWS}行中"
                f"都未找到台账表头{hint}。表头应包含{_expected_headers()}等列名"
                f"（至少 {MIN_FIELDS_AUTO} 列）；也可以指定工作表名称"
            )
        _, name, guess, rows, head, merges, found = best
        best = None
        scan = found or _scan_in_background(p, name)
        data = _collect(head, rows, guess, aliases)
        title = head[: guess.rows[0]]
        del rows, head
        big = _release_if_big(data)
        ledger = _make_ledger(p, name, all_names, data, guess)
        ledger.merges = _merge_boxes(merges)
        if _is_family_sheet(guess):
            # Only a 家属信息 export: each row a household member, households by the
            # head's ID number; the household tests are what it can answer.
            ledger.family_only = True
            ledger.sheet_reason = (
                f"工作表“{name}”是家属信息表（每行一名家庭成员，按户主身份证号码成户），"
                "工作簿中没有另外的人员台账：按家庭成员逐人认定，家庭条件按同户成员判断"
            )
        joinable = [(n, g) for n, g in others if "id_number" in g.hmap.fields]
        if joinable:
            ledger.sheet_reason = (
                f"人员信息取自工作表“{name}”（含身份证号码和姓名，识别 {guess.score} 列）"
            )
        return _finish(ledger, fm, title, wb, joinable, scan)
    finally:
        wb.close()
        if big:
            release_memory()


#: Rows from which handing the sheet's freed memory back is worth a full garbage
#: collection (tens of milliseconds in a process that has loaded pandas: the bulk of
#: a small ledger's reading, of which a roll-up reads hundreds).
RELEASE_ROWS = 20_000


def _release_if_big(data: _Rows) -> bool:
    """:func:`release_memory` after a big sheet's rows are collected; whether it was big."""
    if len(data.excel_rows) < RELEASE_ROWS:
        return False
    release_memory()
    return True


def _finish(
    ledger: Ledger,
    fm: field_map.FieldMap,
    title: list[list[Any]],
    wb: pc.CalamineWorkbook,
    joinable: list[tuple[str, _HeaderGuess]],
    scan: Callable[[], dict] | None = None,
) -> Ledger:
    """Everything after the rows are read: bad cells, value maps, legends, title, joins."""
    ledger.field_map = fm
    _mark_bad_cells(ledger, scan() if scan is not None else None)
    _apply_value_maps(ledger, fm)
    _apply_legends(ledger)
    _check_value_domains(ledger)
    _side_by_side_family(ledger)
    _place_from_title(ledger, title)
    for name, guess in joinable:
        other = _join_sheet(ledger, wb, name, guess, fm)
        if other is not None and _is_family_sheet(guess) and ledger.household_members is None:
            _household_members(ledger, name, other)  # the first family sheet (one is usual)
    return ledger


def _scan_in_background(path: Any, sheet: str) -> Callable[[], dict] | None:
    """:func:`scan_bad_cells` in a thread (what to call for its result): zlib releases
    the GIL, so the scan of a big sheet overlaps the reading of its rows instead of
    adding to it.  The open workbook's values (:class:`WorkbookValues`) carry error
    values as text already: there is no file to scan."""
    if isinstance(path, WorkbookValues):
        return None
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(scan_bad_cells, path, sheet).result
    finally:
        pool.shutdown(wait=False)


def _mark_bad_cells(ledger: Ledger, bad: dict | None = None) -> None:
    """Put the error value or the formula text where calamine gave ``""``."""
    if isinstance(ledger.path, WorkbookValues):
        return
    if bad is None:
        bad = scan_bad_cells(ledger.path, ledger.sheet_name)
    if not bad:
        return
    by_col = {column_index(letter): name for name, letter in ledger.columns.items()}
    rows = set(ledger.data.index.tolist())
    for (r, c), text in bad.items():
        name = by_col.get(c)
        if name is None or r not in rows:
            continue
        ledger.data.at[r, name] = text
        ledger.bad_cells[(r, name)] = text
    texts = set(ledger.data.attrs.get(BAD_TEXTS_ATTR, ())) | set(ledger.bad_cells.values())
    ledger.data.attrs[BAD_TEXTS_ATTR] = sorted(texts)
