"""A very big sheet read a block of rows at a time.

python-calamine parses a whole sheet before giving its first row, and while it
builds its grid it holds the sheet twice: a 1,000,000-row ledger of 32 columns
took about 3 GB, more than an office PC with Excel open can give.  It has no
streaming reader (python-calamine issue #42: calamine's cell reader is not
exposed to Python), so a sheet whose XML inflates past :data:`BIG_SHEET_BYTES`
is cut, at row boundaries, into small workbooks of :data:`BLOCK_ROWS` rows
each, written one at a time (stored, not deflated) into a private temporary
folder, and calamine reads them in turn.  Each block workbook has the source's
workbook, styles and shared strings (so dates, numbers and shared texts read
exactly as in the whole sheet), the sheet's opening elements, its rows with
their own row numbers, and — in the first block — the sheet's merged ranges.

The rows come out as :func:`~xl_addin.ledger_read.opening._iter_sheet_rows`
gives them for a whole sheet: from row 1, empty rows included, each starting
at column A.  A row is as wide as its block's used area (the whole sheet's
rows share one width): readers take the width of each row they are given.

A sheet whose rows are not numbered in ascending order (``<row r="…">`` is
optional in the file format) is read whole, as before.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import weakref
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from xl_addin.bad_cells import scan_bad_cells, scan_rows, sheet_part
from xl_addin.xlsxpatch.zipio import open_member

#: Sheets whose XML inflates past this are read in blocks (about 250,000 rows of 30 columns).
BIG_SHEET_BYTES = 400 << 20
#: Rows per block.  On a 1,000,000-row ledger of 32 columns, blocks of 50,000 rows
#: read in 52.7 s CPU with a 1.24 GB peak (200,000: 55.9 s, 1.74 GB; the whole sheet
#: at once: 52.0 s, 3.0 GB): small blocks also leave the heap less fragmented.
BLOCK_ROWS = 50_000
#: The first block holds at least this many rows: the header is searched in the top 20
#: rows, which so come from one block, as wide as each other.
FIRST_BLOCK_ROWS = 64

_CHUNK = 4 << 20
_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData\b[^>]*?(/?)>")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*/>")
_MERGES = re.compile(rb"<(?:\w+:)?mergeCells\b.*?</(?:\w+:)?mergeCells>", re.S)
#: Parts a block workbook leaves out: other sheets and what only they use.
_LEFT_OUT = (
    "xl/worksheets/",
    "xl/chartsheets/",
    "xl/dialogsheets/",
    "xl/macrosheets/",
    "xl/drawings/",
    "xl/media/",
    "xl/charts/",
    "xl/embeddings/",
    "xl/pivotTables/",
    "xl/pivotCache/",
    "xl/externalLinks/",
    "xl/printerSettings/",
    "xl/tables/",
    "xl/vbaProject.bin",
)


@dataclass
class _Plan:
    """What the first pass over a big sheet found."""

    part: str  # the sheet's part in the package
    opening: bytes  # the worksheet up to <sheetData>, without <dimension>
    sheet_data_tag: bytes
    prefix: bytes  # the namespace prefix of the sheet's elements ("" or "x:")
    closing: bytes  # </worksheet> (and its namespace prefix, if any)
    merges: bytes  # the <mergeCells> element, or b""


def block_plan(path: str | os.PathLike[str], name: str) -> _Plan | None:
    """The plan for reading sheet ``name`` in blocks, or ``None`` to read it whole: a
    sheet under :data:`BIG_SHEET_BYTES`, one without numbered ascending rows, or
    a package this cannot follow (the whole-sheet reader then says what is wrong)."""
    try:
        with zipfile.ZipFile(path) as zf:
            part = sheet_part(zf, name)
            if part is None:
                return None
            info = zf.getinfo(part)
            if info.file_size < BIG_SHEET_BYTES:
                return None
            with open_member(zf, info) as fh:
                return _first_pass(fh, part)
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return None


def _first_pass(fh: Any, part: str) -> _Plan | None:
    """Read the sheet once: its opening, whether its rows are numbered in order, its tail."""
    data = b""
    while True:  # the opening: up to <sheetData>
        chunk = fh.read(_CHUNK)
        data += chunk
        m = _SHEET_DATA.search(data)
        if m:
            break
        if not chunk or len(data) > 64 << 20:
            return None
    if m.group(2):  # <sheetData/>: no rows at all
        return None
    opening = _DIMENSION.sub(b"", data[: m.start()])
    tag = m.group(0)
    prefix = m.group(1) or b""
    sheet_end = _end_tag(prefix, b"sheetData")
    row_open = b"<" + prefix + b"row"
    numbered = re.compile(re.escape(row_open) + rb'\b[^>]*?\br="(\d+)"')
    carry = data[m.end() :]
    last: int | None = 0
    tail = None
    while True:
        end = carry.find(sheet_end)
        if end >= 0:
            body, tail = carry[:end], carry[end + len(sheet_end) :]
        else:
            cut = carry.rfind(b">") + 1
            body, carry = carry[:cut], carry[cut:]
        last = _check_rows(body, last, row_open, numbered)
        if last is None:
            return None
        if tail is not None:
            break
        chunk = fh.read(_CHUNK)
        if not chunk:
            return None  # no </sheetData>: not a sheet calamine could read either
        carry += chunk
    tail += fh.read()
    merges = _MERGES.search(tail)
    close = re.search(rb"</(?:\w+:)?worksheet>", tail)
    if close is None:
        return None
    return _Plan(part, opening, tag, prefix, close.group(0), merges.group(0) if merges else b"")


def _end_tag(prefix: bytes, element: bytes) -> bytes:
    return b"</" + prefix + element + b">"


def _check_rows(body: bytes, last: int | None, row_open: bytes, numbered: re.Pattern) -> int | None:
    """The last row number in ``body`` when every row tag has one and they ascend from
    ``last``; ``None`` otherwise.  (Row tags are whole: ``body`` ends after a ``>``.)"""
    if last is None:
        return None
    numbers = numbered.findall(body)
    if len(numbers) != body.count(row_open):
        return None
    if not numbers:
        return last
    rows = np.array(numbers).astype(np.int64)
    if rows[0] <= last or (len(rows) > 1 and (np.diff(rows) <= 0).any()):
        return None
    return int(rows[-1])


class BlockSheet:
    """A big sheet's rows through block workbooks in a private temporary folder.

    ``merges`` are the sheet's merged ranges (calamine's, from the first block);
    :meth:`rows` yields every row from row 1.  The folder goes with :meth:`close`
    (also when the rows are not read to the end).  The rows are searched for error
    values and formulas without a value as they are cut (:meth:`bad_cells`): the
    sheet is inflated once for both, not again by :func:`scan_bad_cells`.
    """

    def __init__(self, path: str, name: str, plan: _Plan, opener: Any) -> None:
        self._path = path
        self._name = name
        self._plan = plan
        self._open = opener  # (block path) -> (calamine sheet, workbook) under the clerk's messages
        self._tmp = tempfile.mkdtemp(prefix="jyyz-read-")  # mode 0700: the rows hold ID numbers
        self._gone = weakref.finalize(self, shutil.rmtree, self._tmp, ignore_errors=True)
        self._bad: dict[tuple[int, int], str] = {}
        self._all_cut = False  # every row has passed the search for bad cells
        try:
            self._base = self._base_workbook()
            self._blocks = self._write_blocks()
            first = next(self._blocks, None)
            self._first = self._open(first) if first is not None else None
            self.merges = (
                list(getattr(self._first[0], "merged_cell_ranges", None) or [])
                if self._first
                else []
            )
        except BaseException:
            self.close()
            raise

    def _base_workbook(self) -> str:
        """Every part a block needs but its sheet, stored uncompressed (written once)."""
        base = os.path.join(self._tmp, "base.xlsx")
        with zipfile.ZipFile(self._path) as src, zipfile.ZipFile(base, "w") as out:
            for info in src.infolist():
                if info.is_dir() or info.filename.startswith(_LEFT_OUT):
                    continue
                with src.open(info) as fin, out.open(info.filename, "w") as fout:
                    shutil.copyfileobj(fin, fout, _CHUNK)
        return base

    def _write_blocks(self) -> Iterator[str]:
        """Block workbooks, one at a time (the previous one is removed first)."""
        plan = self._plan
        sheet_end = _end_tag(plan.prefix, b"sheetData")
        row_close = _end_tag(plan.prefix, b"row")  # blocks end after a row with cells
        number = 0
        made: str | None = None
        with zipfile.ZipFile(self._path) as src, open_member(src, plan.part) as fh:
            carry = b""
            while True:  # skip to the rows
                chunk = fh.read(_CHUNK)
                carry += chunk
                m = _SHEET_DATA.search(carry)
                if m:
                    carry = carry[m.end() :]
                    break
                if not chunk:
                    return
            finished = False
            while not finished:
                if made is not None:
                    os.remove(made)
                made = os.path.join(self._tmp, f"block{number}.xlsx")
                shutil.copyfile(self._base, made)
                rows = 0
                size = max(BLOCK_ROWS, FIRST_BLOCK_ROWS) if number == 0 else BLOCK_ROWS
                with zipfile.ZipFile(made, "a") as out:
                    with out.open(plan.part, "w", force_zip64=True) as sink:
                        sink.write(plan.opening + plan.sheet_data_tag)
                        while rows < size:
                            end = carry.find(sheet_end)
                            limit = end if end >= 0 else len(carry)
                            ends = carry.count(row_close, 0, limit)
                            room = size - rows
                            if ends >= room:  # this block is full
                                take = -1
                                for _ in range(room):
                                    take = carry.find(row_close, take + 1)
                                take += len(row_close)
                                rows = size
                            elif end >= 0:  # the sheet's last rows
                                take = limit
                                finished = True
                            else:
                                last = carry.rfind(row_close, 0, limit)
                                take = last + len(row_close) if last >= 0 else 0
                                rows += ends
                            piece = carry[:take]  # whole rows
                            sink.write(piece)
                            scan_rows(piece, self._bad)
                            del piece
                            carry = carry[take:]
                            if finished or rows >= size:
                                break
                            chunk = fh.read(_CHUNK)
                            if not chunk:  # the first pass saw </sheetData>: not reached
                                finished = True
                                break
                            carry += chunk
                        sink.write(sheet_end)
                        if number == 0:
                            sink.write(plan.merges)
                        sink.write(plan.closing)
                number += 1
                yield made
        self._all_cut = True
        if made is not None:
            os.remove(made)

    def bad_cells(self) -> dict[tuple[int, int], str]:
        """What :func:`scan_bad_cells` gives for the sheet: found while the blocks were
        cut, or — when the rows were not read to the end — by scanning the sheet."""
        if self._all_cut:
            return self._bad
        return scan_bad_cells(self._path, self._name)

    def rows(self) -> Iterator[list[Any]]:
        """Every row of the sheet from row 1, block after block."""
        done = 0  # rows given so far: the next row is Excel row done + 1
        current, self._first = self._first, None
        try:
            while current is not None:
                sheet, wb = current
                current = None
                try:
                    for row in self._rows_of(sheet, done):
                        done += 1
                        yield row
                finally:
                    del sheet
                    with contextlib.suppress(Exception):
                        wb.close()
                block = next(self._blocks, None)
                current = self._open(block) if block is not None else None
        finally:
            self.close()

    def _rows_of(self, sheet: Any, done: int) -> Iterator[list[Any]]:
        """A block's rows from Excel row ``done + 1``: the empty rows before its first
        one, then its own, each starting at column A."""
        from xl_addin.ledger_read.opening import _reading_sheet

        if sheet.start is None:  # no cells in this block
            return
        (top, left), width = sheet.start, sheet.end[1] + 1
        for _ in range(top - done):
            yield [""] * width
        with _reading_sheet(self._path, self._name):
            rows = sheet.to_python(skip_empty_area=True)
        lead = [""] * left
        for i in range(len(rows)):
            row, rows[i] = rows[i], None  # each row goes once given
            yield lead + row if lead else row

    def close(self) -> None:
        blocks = getattr(self, "_blocks", None)
        if blocks is not None:
            blocks.close()
        self._first = None
        self._gone()
