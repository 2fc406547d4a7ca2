"""Helpers of the service tests: a guarded app on a fake port, jobs awaited, workbook cells."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from python_calamine import CalamineWorkbook

from xl_addin.bad_cells import scan_bad_cells
from xl_addin.service.app import create_app, guarded
from xl_addin.service.runner import Runner

PORT = 48765
TOKEN = "test-token-0123456789"
BASE = f"http://127.0.0.1:{PORT}"
AUTH = {"X-JYYZ-Token": TOKEN}
EPOCH = dt.date(1899, 12, 30)


def client(runner: Runner | None = None) -> TestClient:
    runner = runner or Runner()
    app = create_app(port=PORT, token=TOKEN, runner=runner)
    return TestClient(guarded(app, port=PORT, token=TOKEN), base_url=BASE)


def wait(c: TestClient, job: str, timeout: float = 300.0) -> dict[str, Any]:
    end = time.monotonic() + timeout
    while True:
        s = c.get(f"/api/v1/jobs/{job}", headers=AUTH).json()
        if s["state"] != "running":
            return s
        if time.monotonic() > end:
            raise TimeoutError(s)
        time.sleep(0.05)


def serial_of(v: Any) -> Any:
    """A cell as Value2 gives it: dates as Excel serials, empty as None."""
    if isinstance(v, dt.datetime):
        midnight = dt.datetime(v.year, v.month, v.day)
        return float((v.date() - EPOCH).days) + (v - midnight).total_seconds() / 86400
    if isinstance(v, dt.date):
        return float((v - EPOCH).days)
    if isinstance(v, dt.time):
        return (v.hour * 3600 + v.minute * 60 + v.second) / 86400
    if isinstance(v, dt.timedelta):
        return v.total_seconds() / 86400
    return None if v == "" else v


def norm(v: Any) -> Any:
    """Cells compared across doors: dates as serials, 3.0 as 3, "" as None."""
    v = serial_of(v)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def sheets_of(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's values from A1 as a host sends them: dates as Excel serials, error
    cells as their text ("#N/A", as Office.js gives them), empty as None."""
    wb = CalamineWorkbook.from_path(str(path))
    try:
        out = {}
        for name in wb.sheet_names:
            rows = [
                [serial_of(v) for v in row]
                for row in wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            ]
            for (r, c), text in scan_bad_cells(str(path), name).items():
                if r <= len(rows) and c <= len(rows[r - 1]):
                    rows[r - 1][c - 1] = text
            out[name] = rows
        return out
    finally:
        wb.close()


def cells(path: Path) -> dict[tuple[str, int, int], Any]:
    """(sheet, row, col) → value of every non-empty cell (1-based)."""
    out = {}
    for name, rows in sheets_of(path).items():
        for i, row in enumerate(rows, start=1):
            for j, v in enumerate(row, start=1):
                if norm(v) is not None:
                    out[(name, i, j)] = norm(v)
    return out
