"""One application behind every door: on every bundled sample ledger, the one-click
scripts (run through xlwings.server on the workbook's values, as Lite/Server send them)
give exactly what ``jyyz fill`` / ``jyyz check`` / ``jyyz docs`` give on the file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlwings_helpers
from python_calamine import CalamineWorkbook

import workbooks
from xl_addin import jobs, ledger_read

sc = xlwings_helpers.load("xl_addin.scripts")
AS_OF = dt.date(2026, 11, 1)
SAMPLES = sorted(workbooks.sample_paths().items())


def office_js_value(v):
    """A cell as the xlwings Office.js client sends it: dates as Excel serials, empty ""."""
    if isinstance(v, dt.datetime):
        midnight = dt.datetime(v.year, v.month, v.day)
        return xlwings_helpers.serial(v.date()) + (v - midnight).total_seconds() / 86400
    if isinstance(v, dt.date):
        return xlwings_helpers.serial(v)
    return "" if v is None else v


def sheets_of(path: Path) -> list[tuple[str, list[list]]]:
    wb = CalamineWorkbook.from_path(str(path))
    try:
        return [
            (
                name,
                [
                    [office_js_value(v) for v in row]
                    for row in wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
                ],
            )
            for name in wb.sheet_names
        ]
    finally:
        wb.close()


def book_of(path: Path, selection: str = "A1") -> dict:
    settings = ("设置", [["认定基准日期", AS_OF.isoformat()]])
    data = xlwings_helpers.book_json([*sheets_of(path), settings], selection=selection)
    data["book"]["name"] = path.name
    return data


def plain(v):
    """Cell values compared across both doors (Lite writes dates as ISO text)."""
    if isinstance(v, dt.datetime):
        v = v.date()
    if isinstance(v, dt.date):
        return v.isoformat()
    return "" if v is None else v


def written_cells(result, sheet_position: int) -> dict[tuple[int, int], object]:
    """(Excel row, column) → value of every setValues action on a sheet (later wins)."""
    cells = {}
    for a in result.json()["actions"]:
        if a["func"] != "setValues" or a["sheet_position"] != sheet_position:
            continue
        for i, row in enumerate(a["values"]):
            for j, v in enumerate(row):
                cells[(a["start_row"] + i + 1, a["start_column"] + j + 1)] = v
    return cells


@pytest.mark.parametrize("policy,path", SAMPLES, ids=[p for p, _ in SAMPLES])
def test_fill_button_writes_what_jyyz_fill_writes(policy, path, tmp_path):
    out = tmp_path / "filled.xlsx"
    report = jobs.fill(path, out=out, as_of=AS_OF)
    names = [n for n, _ in sheets_of(path)]
    result = xlwings_helpers.run_script(sc, "jy_fill_columns", book_of(path))
    by_button = written_cells(result, names.index(report.sheet))
    filled = dict(sheets_of(out))[report.sheet]
    original = dict(sheets_of(path))[report.sheet]
    columns = [ledger_read.column_index(letter) for letter in report.written.values()]
    compared = 0
    for row in [report.header_row, *range(report.first_row, report.last_row + 1)]:
        for col in columns:
            by_command = filled[row - 1][col - 1]
            if (row, col) in by_button:
                # the command writes Excel dates; office_js_value made them serials
                command = plain(by_command)
                if (
                    isinstance(by_command, float)
                    and jobs.RESULT_HEADERS["period_end"]
                    == (filled[report.header_row - 1][col - 1])
                ):
                    command = (dt.date(1899, 12, 30) + dt.timedelta(days=by_command)).isoformat()
                assert plain(by_button[(row, col)]) == command, (policy, row, col)
                compared += 1
            else:  # a footer, a blank row, an existing header: neither door writes there
                before = original[row - 1][col - 1] if col <= len(original[row - 1]) else ""
                assert plain(by_command) == plain(before), (policy, row, col, by_command)
    assert compared >= len(columns) * report.summary.people
    report_rows = written_cells(result, len(names) + 1)  # 运行结果 is added after 设置
    assert report_rows[(1, 1)] == (
        f"填写计算列：已认定{report.summary.people}人，符合{report.summary.eligible}人"
    )


@pytest.mark.parametrize("policy,path", SAMPLES, ids=[p for p, _ in SAMPLES])
def test_check_button_finds_what_jyyz_check_finds(policy, path):
    command = jobs.check(path, write=False)
    result = xlwings_helpers.run_script(sc, "jy_check_ledger", book_of(path))
    acts = result.json()["actions"]
    names = [n for n, _ in sheets_of(path)]
    summary = written_cells(result, len(names) + 1)  # 检查结果 after 设置
    width = 6
    rows = max(r for r, _ in summary)
    table = [[summary.get((r, c), "") for c in range(1, width + 1)] for r in range(1, rows + 1)]
    assert table[1][0] == (
        f"共 {command.people} 人；错误 {len(command.errors)} 处，提示 {len(command.notices)} 处"
    )
    listed = [(r[1], r[4], r[5]) for r in table[5:] if r[0] != ""]
    expected = [(p.cell, p.level, p.message) for p in command.errors + command.notices]
    assert listed == expected
    # every cell the command marks gets a note from the button
    marked = {p.cell for p in command.errors + command.notices if p.cell}
    noted = {a["args"][0].replace("$", "") for a in acts if a["func"] == "addNote"}
    assert noted == marked


def test_documents_button_makes_what_jyyz_docs_makes(tmp_path, monkeypatch):
    path = workbooks.sample_path("SX-2008")
    a = jobs.assess_workbook(path, None, AS_OF)
    eligible = a.ledger.data.index[a.results["eligible"].to_numpy(dtype=bool)]
    lo, hi = int(eligible[0]), int(eligible[0]) + 9
    command = jobs.docs(path, "公示", tmp_path / "cli", rows=f"{lo}-{hi}", as_of=AS_OF)
    monkeypatch.setenv("JYYZ_OUTPUT_DIR", str(tmp_path / "button"))
    result = xlwings_helpers.run_script(
        sc, "jy_make_notice", book_of(path, selection=f"B{lo}:D{hi}")
    )
    names = [n for n, _ in sheets_of(path)]
    report = written_cells(result, len(names) + 1)
    assert report[(1, 1)] == f"生成公示：{command.people}人，已生成{len(command.files)}个文件"
    from docx import Document

    def text(p):
        return "\n".join(c.text for t in Document(p).tables for r in t.rows for c in r.cells)

    button_file = Path(report[(2, 1)])
    assert button_file.parent == tmp_path / "button" / "公示"
    assert text(button_file) == text(command.files[0])
