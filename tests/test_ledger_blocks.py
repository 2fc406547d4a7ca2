"""A very big sheet read in blocks of rows reads exactly as the whole sheet.

The block reader (xl_addin/ledger_read/blocks.py) is used for sheets whose XML
inflates past hundreds of megabytes; here it is forced onto small workbooks
(every sheet, a few rows per block) and compared, field by field, with the
whole-sheet reading: values, Excel row numbers, the used width (where results
are written), skipped and footer rows, notes, merged ranges and error cells.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import python_calamine

from workbooks import sample_path
from xl_addin import bad_cells, ledger_read
from xl_addin.ledger_read import blocks, opening, reading
from xl_addin.ledger_read.blocks import block_plan


def _reading(path: Path) -> dict:
    ledger = ledger_read.read_ledger(path)
    return {
        "data": ledger.data,
        "n_columns": ledger.n_columns,
        "max_row": ledger.max_row,
        "header_rows": ledger.header_rows,
        "columns": ledger.columns,
        "skipped": ledger.skipped_rows,
        "strays": ledger.non_person_rows,
        "notes": ledger.notes,
        "merges": ledger.merges,
        "bad_cells": ledger.bad_cells,
        "samples": ledger.unknown_samples,
    }


def _in_blocks(monkeypatch, path: Path, rows: int) -> dict:
    made: list[int] = []
    write = blocks.BlockSheet._write_blocks

    def counted(self):
        for block in write(self):
            made.append(1)
            yield block

    with monkeypatch.context() as m:
        m.setattr(blocks, "BIG_SHEET_BYTES", 0)
        m.setattr(blocks, "BLOCK_ROWS", rows)
        m.setattr(blocks, "FIRST_BLOCK_ROWS", 24)
        m.setattr(blocks.BlockSheet, "_write_blocks", counted)
        out = _reading(path)
    assert len(made) > 2, "the sheet was not read in blocks"
    return out


def _assert_same(whole: dict, in_blocks: dict) -> None:
    pd.testing.assert_frame_equal(in_blocks["data"], whole["data"])
    for key in whole:
        if key != "data":
            assert in_blocks[key] == whole[key], key


@pytest.mark.parametrize("code", ["SX-2008", "JS-2002", "AH-2011"])
def test_sample_ledgers_read_alike_in_blocks(monkeypatch, code):
    path = sample_path(code)
    _assert_same(_reading(path), _in_blocks(monkeypatch, path, 7))


def _awkward_ledger(path: Path) -> None:
    """A title, a merged two-row header starting in column C, gaps of empty rows
    across block edges, a later row wider than the header (a note far right), an
    error value, a formula without its value and a date in later blocks, a 合计
    footer and a signature row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws["C1"] = "某街道就业困难人员台账"
    ws.merge_cells("C1:J1")
    heads = ["序号", "姓名", "公民身份号码", "性别", "就业状态", "失业登记日期", "社区"]
    for i, h in enumerate(heads):
        col = 3 + i
        ws.cell(row=2, column=col, value=h)
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    ws.cell(row=2, column=10, value="备注")
    ws.merge_cells(start_row=2, start_column=10, end_row=3, end_column=10)
    ids = [
        "140105197002150012",
        "14010519780311002X",
        "140105196512010035",
        "140105198006200048",
    ]
    r = 4
    for n in range(60):
        if n in (9, 10, 31):
            r += 3  # empty rows inside the table
        ws.cell(row=r, column=3, value=n + 1)
        ws.cell(row=r, column=4, value=f"人员{n}")
        ws.cell(row=r, column=5, value=ids[n % 4])
        ws.cell(row=r, column=6, value="女" if n % 2 else "男")
        ws.cell(row=r, column=7, value="失业")
        ws.cell(row=r, column=8, value=dt.date(2025, 1 + n % 12, 1 + n % 27))
        ws.cell(row=r, column=9, value="双塔社区")
        if n == 40:
            ws.cell(row=r, column=8, value="#N/A")
            ws.cell(row=r, column=8).data_type = "e"
        if n == 47:
            ws.cell(row=r, column=15, value="补登")  # wider than the header
        if n == 52:
            ws.cell(row=r, column=8, value="=DATE(2025,3,1)")  # saved without its value
        r += 1
    ws.cell(row=r, column=3, value="合计")
    ws.cell(row=r, column=4, value="60人")
    ws.cell(row=r + 2, column=3, value="制表人：李静    审核人：王军")
    wb.save(path)


def test_an_awkward_ledger_reads_alike_in_blocks(monkeypatch, tmp_path):
    path = tmp_path / "台账.xlsx"
    _awkward_ledger(path)
    whole = _reading(path)
    assert whole["n_columns"] == 15 and whole["bad_cells"]  # the fixture has what it claims
    for rows in (3, 5, 11):
        _assert_same(whole, _in_blocks(monkeypatch, path, rows))


def test_the_bad_cells_are_found_as_the_blocks_are_cut(monkeypatch, tmp_path):
    """The sheet's XML is inflated once for its rows and for the search for error
    values and formulas without a value: read in blocks, it is not scanned again."""
    path = tmp_path / "台账.xlsx"
    _awkward_ledger(path)
    whole = _reading(path)
    assert sorted(whole["bad_cells"].values()) == ["#N/A", "=DATE(2025,3,1)"]

    def scanned_again(*args, **kwargs):
        raise AssertionError("the sheet was inflated again for its bad cells")

    with monkeypatch.context() as m:
        m.setattr(reading, "scan_bad_cells", scanned_again)
        m.setattr(blocks, "scan_bad_cells", scanned_again)
        for rows in (3, 5, 11):
            assert _in_blocks(monkeypatch, path, rows)["bad_cells"] == whole["bad_cells"]
    # rows not read to the end: the sheet is scanned as a whole instead
    monkeypatch.setattr(blocks, "BIG_SHEET_BYTES", 0)
    monkeypatch.setattr(blocks, "BLOCK_ROWS", 4)
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        rows, _, found = opening._rows_and_merges(wb, str(path), "台账")
        next(rows)
        assert found() == bad_cells.scan_bad_cells(str(path), "台账") != {}
        rows.close()
    finally:
        wb.close()


def _rewrite_sheet(path: Path, change) -> None:
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = change(parts[name])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for part, data in parts.items():
            zf.writestr(part, data)


def test_rows_without_numbers_or_out_of_order_are_read_whole(monkeypatch, tmp_path):
    monkeypatch.setattr(blocks, "BIG_SHEET_BYTES", 0)
    numbered = tmp_path / "有行号.xlsx"
    _awkward_ledger(numbered)
    assert block_plan(numbered, "台账") is not None
    unnumbered = tmp_path / "无行号.xlsx"
    _awkward_ledger(unnumbered)
    _rewrite_sheet(unnumbered, lambda x: re.sub(rb'(<row\b[^>]*?) r="\d+"', rb"\1", x))
    assert block_plan(unnumbered, "台账") is None
    swapped = tmp_path / "乱序.xlsx"
    _awkward_ledger(swapped)

    def swap(xml: bytes) -> bytes:
        rows = re.findall(rb"<row\b.*?</row>", xml, re.S)
        a, b = rows[5], rows[6]
        return xml.replace(a + b, b + a)

    _rewrite_sheet(swapped, swap)
    assert block_plan(swapped, "台账") is None


def test_the_blocks_live_in_a_private_folder_that_goes(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    path = tmp_path / "台账.xlsx"
    _awkward_ledger(path)
    seen: list[tuple[int, str]] = []
    opened = blocks.BlockSheet.__init__

    def watch(self, *args, **kwargs):
        opened(self, *args, **kwargs)
        seen.append((stat.S_IMODE(os.stat(self._tmp).st_mode), self._tmp))

    monkeypatch.setattr(blocks.BlockSheet, "__init__", watch)
    _in_blocks(monkeypatch, path, 4)
    assert seen and all(mode == 0o700 for mode, _ in seen)
    assert list((tmp_path / "tmp").iterdir()) == []
    # a sheet given up half-way (no header found in a named sheet) leaves nothing either
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("说明").append(["本表无人员"])
    for i in range(100):
        wb["说明"].append([f"第{i}行"])
    wb.save(path)
    monkeypatch.setattr(blocks, "BIG_SHEET_BYTES", 0)
    monkeypatch.setattr(blocks, "BLOCK_ROWS", 4)
    with pytest.raises(Exception, match="未找到台账表头"):
        ledger_read.read_ledger(path, "说明")
    assert list((tmp_path / "tmp").iterdir()) == []
