"""Helpers for the documents tests: sample ledgers with new applicants."""

from __future__ import annotations

from pathlib import Path

import openpyxl

CERT_HEADERS = ("初次核定日期", "认定日期", "首次认定日期", "初次认定日期")


def with_new_applicants(path: Path, every: int = 4) -> list[int]:
    """Blank the certification date of every ``every``-th person who has one
    (new applicants awaiting certification); return their Excel rows."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    col = header_row = None
    for row in ws.iter_rows(min_row=1, max_row=6):
        for cell in row:
            if str(cell.value or "").strip() in CERT_HEADERS:
                col, header_row = cell.column, cell.row
    assert col is not None, "no certification column"
    rows = [
        r
        for r in range(header_row + 2, ws.max_row + 1)
        if ws.cell(r, col).value not in (None, "") and ws.cell(r, 2).value
    ][::every]
    for r in rows:
        ws.cell(r, col).value = None
    wb.save(path)
    return rows
