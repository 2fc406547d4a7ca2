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
