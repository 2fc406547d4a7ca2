"""The xlsx patcher on its own: no jyyz imports, typed errors, atomic output, lose nothing.

Uses only :mod:`xl_addin.xlsxpatch` (and openpyxl to build and read back
workbooks); the Chinese messages and backups of jyyz's layer are tested in
test_ledger_write.py and test_no_lost_outputs.py.
"""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xl_addin import xlsxpatch as xp

ROOT = Path(__file__).resolve().parents[1]


def _book(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    ws.append(["姓名", "日期", "数"])
    ws.append(["甲", dt.date(2020, 1, 2), 1])
    ws.append(["乙", dt.date(2021, 3, 4), 2])
    wb.create_sheet("其他")["A1"] = "别动"
    wb.save(path)
    return path


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("~"))


def test_imports_nothing_of_jyyz():
    code = (
        "import sys, xl_addin.xlsxpatch as xp\n"
        "bad = sorted(m for m in sys.modules if m == 'calc' or m.startswith('calc.')"
        " or (m.startswith('xl_addin.') and not m.startswith('xl_addin.xlsxpatch'))"
        " or m in ('pandas', 'numpy', 'openpyxl'))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    for path in (ROOT / "xl_addin" / "xlsxpatch").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.level <= 1, (path.name, node.module)  # nothing above the package
                assert node.level == 1 or not (node.module or "").startswith(("calc", "xl_addin"))
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith(("calc", "xl_addin")) for a in node.names)


def test_write_keeps_everything_else(tmp_path):
    src = _book(tmp_path / "a.xlsx")
    res = xp.write_cells(
        src, tmp_path / "b.xlsx", "表", {(2, 4): "新", (3, 4): dt.date(2026, 1, 1)}
    )
    assert res.cells_written == 2 and res.dst_path == str(tmp_path / "b.xlsx")
    before, after = _members(src), _members(tmp_path / "b.xlsx")
    assert before.keys() == after.keys()
    changed = {n for n in before if before[n] != after[n]}
    assert changed <= {"xl/worksheets/sheet1.xml", "xl/styles.xml"}
    ws = openpyxl.load_workbook(tmp_path / "b.xlsx")["表"]
    assert ws["D2"].value == "新" and ws["D3"].value == dt.datetime(2026, 1, 1)
    assert ws["A2"].value == "甲"
    assert _leftovers(tmp_path) == []


def test_in_place_replaces_atomically_without_backup(tmp_path):
    src = _book(tmp_path / "a.xlsx")
    xp.write_columns(src, None, "表", [2, 3], {4: ["x", "y"]}, in_place=True)
    assert openpyxl.load_workbook(src)["表"]["D3"].value == "y"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]  # backups are the caller's


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda d: d / "无.xlsx", xp.WorkbookNotFound),
        (
            lambda d: (d / "旧.xls").write_bytes(b"\xd0\xcf\x11\xe0") and d / "旧.xls",
            xp.OldXlsFormat,
        ),
        (lambda d: (d / "坏.xlsx").write_bytes(b"not a zip") and d / "坏.xlsx", xp.CorruptWorkbook),
    ],
)
def test_source_problems_are_typed(tmp_path, make, error):
    src = make(tmp_path)
    with pytest.raises(error) as info:
        xp.write_cells(src, tmp_path / "out.xlsx", "表", {(1, 1): 1})
    assert info.value.path == str(src)
    assert not (tmp_path / "out.xlsx").exists() and _leftovers(tmp_path) == []


def test_unreadable_source_carries_the_os_error(tmp_path, monkeypatch):
    src = _book(tmp_path / "a.xlsx")

    def denied(*a, **k):
        raise PermissionError(13, "denied")

    monkeypatch.setattr(xp.package.zipfile, "ZipFile", denied)
    with pytest.raises(xp.WorkbookUnreadable) as info:
        xp.write_cells(src, tmp_path / "out.xlsx", "表", {(1, 1): 1})
    assert isinstance(info.value.cause, PermissionError)


def test_usage_problems_are_typed(tmp_path):
    src = _book(tmp_path / "a.xlsx")
    with pytest.raises(xp.SheetNotFound) as info:
        xp.write_cells(src, tmp_path / "o.xlsx", "无此表", {(1, 1): 1})
    assert info.value.sheet == "无此表" and info.value.available == ["表", "其他"]
    with pytest.raises(xp.SameFile):
        xp.write_cells(src, src, "表", {(1, 1): 1})
    with pytest.raises(xp.NoOutput):
        xp.write_cells(src, None, "表", {(1, 1): 1})
    with pytest.raises(xp.TextTooLong) as info:
        xp.write_cells(src, tmp_path / "o.xlsx", "表", {(2, 4): "长" * (xp.MAX_TEXT + 1)})
    assert info.value.ref == "D2" and info.value.limit == xp.MAX_TEXT
    with pytest.raises(xp.TextTooLong):
        xp.Mark("长" * (xp.MAX_TEXT + 1))
    with pytest.raises(xp.InvalidSheetName):
        xp.add_sheet(src, tmp_path / "o.xlsx", "a/b", [["x"]])
    with pytest.raises(xp.SheetExists):
        xp.add_sheet(src, tmp_path / "o.xlsx", "其他", [["x"]], replace=False)
    assert not (tmp_path / "o.xlsx").exists() and _leftovers(tmp_path) == []
    for cls in (xp.SheetNotFound, xp.SameFile, xp.TextTooLong, xp.WorkbookNotFound):
        assert issubclass(cls, xp.XlsxPatchError)


def test_failure_while_writing_leaves_the_destination(tmp_path, monkeypatch):
    src = _book(tmp_path / "a.xlsx")
    dst = tmp_path / "b.xlsx"
    dst.write_bytes(b"old output")

    def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xp.patch, "_copy_member", full)
    with pytest.raises(OSError) as info:  # write failures stay OSError for the caller
        xp.write_cells(src, dst, "表", {(2, 4): 1})
    assert info.value.errno == 28
    assert dst.read_bytes() == b"old output" and _leftovers(tmp_path) == []


def test_interrupt_leaves_no_temporary_file(tmp_path, monkeypatch):
    src = _book(tmp_path / "a.xlsx")

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(xp.patch, "_copy_member", interrupted)
    with pytest.raises(KeyboardInterrupt):
        xp.mark_cells(src, tmp_path / "b.xlsx", "表", {"A2": "问题"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]


def test_marks_and_sheets(tmp_path):
    src = _book(tmp_path / "a.xlsx")
    res = xp.mark_cells(src, tmp_path / "m.xlsx", "表", {"B2": xp.Mark("日期有误", "warning")})
    assert res.comments_written == 1
    res = xp.add_sheet(tmp_path / "m.xlsx", tmp_path / "s.xlsx", "结果", [["甲", 1]])
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    assert wb.sheetnames == ["表", "其他", "结果"]
    assert wb["表"]["B2"].comment.text == "日期有误"
    assert wb["其他"]["A1"].value == "别动"


def test_untouched_members_are_byte_identical(tmp_path):
    src = _book(tmp_path / "a.xlsx")
    xp.write_cells(src, tmp_path / "b.xlsx", "表", {(5, 1): 7})
    a, b = _members(src), _members(tmp_path / "b.xlsx")
    for name in a:
        if name != "xl/worksheets/sheet1.xml":
            assert hashlib.sha256(a[name]).digest() == hashlib.sha256(b[name]).digest(), name


def test_formulas_drop_full_calc_on_load_only(tmp_path):
    src = _book(tmp_path / "a.xlsx")
    with zipfile.ZipFile(src) as zf:
        wb_xml = zf.read("xl/workbook.xml")
    forced = wb_xml.replace(b"<calcPr ", b'<calcPr fullCalcOnLoad="1" ')
    if forced == wb_xml:
        pytest.skip("openpyxl wrote no <calcPr>")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(tmp_path / "f.xlsx", "w") as zout:
        for info in zin.infolist():
            data = forced if info.filename == "xl/workbook.xml" else zin.read(info)
            zout.writestr(info, data)
    xp.write_cells(tmp_path / "f.xlsx", tmp_path / "v.xlsx", "表", {(2, 4): 1})
    assert b"fullCalcOnLoad" in _members(tmp_path / "v.xlsx")["xl/workbook.xml"]  # values only
    xp.write_cells(tmp_path / "f.xlsx", tmp_path / "g.xlsx", "表", {(2, 4): xp.Formula("=C2+1", 2)})
    assert _members(tmp_path / "g.xlsx")["xl/workbook.xml"] == wb_xml


def _awkward_rows(path: Path) -> Path:
    """A sheet whose rows take every way of :mod:`xl_addin.xlsxpatch.rows`: plain rows
    (new cells after the last one), a cell right of the new ones (merged in), a row
    style (customFormat), a row with only a height (``<row …/>``), a missing row, white
    space inside a row and a row without its ``r``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    ws.append(["姓名", "日期", "数"])
    for r in range(2, 41):
        ws.append([f"人{r}", dt.date(2020, 1, r % 28 + 1), r])
    ws["F9"] = "右边"
    ws["F20"] = 5
    bold = openpyxl.styles.NamedStyle(name="行样式", font=openpyxl.styles.Font(bold=True))
    ws.row_dimensions[11].font = bold.font  # row 11: customFormat="1" s="…"
    ws.delete_rows(30)  # rows 30–40 move up one
    ws.row_dimensions[45].height = 30  # <row r="45" … customHeight="1"/>
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    assert b'customFormat="1"' in sheet and b'<row r="45"' in sheet
    spaced = sheet.replace(b'<c r="C7"', b'\n  <c r="C7"').replace(
        b'</c></row><row r="8"', b'</c>\n </row><row r="8"'
    )
    unnumbered = spaced.replace(b'<row r="14"', b"<row", 1)
    assert sheet != spaced != unnumbered
    sheet = unnumbered
    members["xl/worksheets/sheet1.xml"] = sheet
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_whole_columns_are_written_as_cell_by_cell(tmp_path):
    """``write_columns`` encodes a column's values once each and appends them to a row in
    one piece; it must write exactly what ``write_cells`` writes a cell at a time."""
    src = _awkward_rows(tmp_path / "a.xlsx")
    rows = list(range(2, 47))  # 30 is gone, 41–46 never existed, 45 has only a height
    long = "说明" * 150  # a long text: escaped a block of rows at a time
    texts = ["符合", None, "不符合", " 前后有空格 ", "甲&乙<丙>", long, long + "。", None]
    others = [True, 1, 1.0, 2.5, 0, False, None, float("nan"), xp.Cell("有样式", 1)]
    columns = {
        4: [texts[i % len(texts)] for i in range(len(rows))],
        5: [dt.date(2027, 1, i % 5 + 1) if i % 3 else None for i in range(len(rows))],
        7: [others[i % len(others)] for i in range(len(rows))],
    }
    headers = {4: "结论", 5: "截止", 7: "其他"}
    by_columns = xp.write_columns(
        src, tmp_path / "cols.xlsx", "表", rows, columns, headers=headers, header_row=1
    )
    cells = {(1, c): xp.Cell(t, xp.LEFT) for c, t in headers.items()}
    for c, values in columns.items():
        cells.update({(r, c): v for r, v in zip(rows, values, strict=True)})
    by_cells = xp.write_cells(src, tmp_path / "cells.xlsx", "表", cells)

    assert by_columns.cells_written == by_cells.cells_written == len(cells)
    a, b = _members(tmp_path / "cols.xlsx"), _members(tmp_path / "cells.xlsx")
    assert a.keys() == b.keys()
    for name in a:
        assert a[name] == b[name], name
    ws = openpyxl.load_workbook(tmp_path / "cols.xlsx")["表"]
    for r in (2, 3, 5, 7, 8, 9, 11, 14, 20, 30, 42, 45):
        i = rows.index(r)
        assert ws.cell(r, 4).value == columns[4][i], r
        date = ws.cell(r, 5).value
        assert (date and date.date()) == columns[5][i], r
    assert ws["F9"].value == "右边" and ws["A14"].value == "人14" and ws["G2"].value is True
    assert ws.row_dimensions[45].height == 30 and ws["D1"].value == "结论"
