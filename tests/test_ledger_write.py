"""Tests for xl_addin.ledger_write: lose nothing, write the right cells, be safe."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine as pc
import xlsx_fixtures as fx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from calc.errors import InputError
from xl_addin import xlsxpatch as xp
from xl_addin.ledger_read import read_ledger
from xl_addin.ledger_write import (
    Formula,
    add_header_cells,
    add_sheet,
    write_cells,
    write_columns,
)

ROOT = Path(__file__).resolve().parents[1]
SHEET_PART = "xl/worksheets/sheet2.xml"  # 台账 is the second sheet of the fixture
CELL_RE = re.compile(rb"<c\b[^>]*?\sr=\"([A-Z]+\d+)\"[^>]*?(?:/>|>.*?</c>)", re.S)


def digest(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def cells_by_ref(sheet_xml: bytes) -> dict[str, bytes]:
    return {m.group(1).decode(): m.group(0) for m in CELL_RE.finditer(sheet_xml)}


def sheet_grid(path, sheet) -> list[list]:
    wb = pc.CalamineWorkbook.from_path(str(path))
    return wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


@pytest.fixture(params=[".xlsx", ".xlsm"])
def clerk(request, tmp_path):
    return fx.clerk_workbook(tmp_path / f"台账{request.param}")


def computed_cells(ledger) -> dict:
    first = ledger.next_free_column  # N
    cells: dict = {
        (ledger.header_row, first + i): h
        for i, h in enumerate(["年龄", "认定日期", "4050", "公式", "检查"])
    }
    for r in ledger.data.index:
        cells[(r, first)] = 40 + r
        cells[(r, first + 1)] = dt.date(2024, 1, r)
        cells[(r, first + 2)] = r % 2 == 0
        cells[(r, first + 3)] = Formula(f"=A{r}*2", r * 2.0)
        cells[(r, first + 4)] = f"第{r}行 <ok> & “好”"
    cells[(6, 13)] = "已复核"  # overwrite an existing cell (M6 备注)
    cells[(5, 12)] = None  # clear an existing value (L5 住址), keep its style
    cells[(14, 2)] = "新行"  # a row that does not exist yet, below the footer
    cells[(8, 3)] = "空行中写入"  # the empty row 8 in the middle
    return cells


def test_lose_nothing(clerk, tmp_path):
    before = digest(clerk)
    led = read_ledger(clerk)
    cells = computed_cells(led)
    out = tmp_path / f"结果{clerk.suffix}"
    res = write_cells(clerk, out, led.sheet_name, cells)
    assert digest(clerk) == before, "input must never change"
    assert res.sheet_part == SHEET_PART
    assert res.cells_written == len(cells)

    old, new = fx.zip_members(clerk), fx.zip_members(out)
    with zipfile.ZipFile(clerk) as a, zipfile.ZipFile(out) as b:
        assert a.namelist() == b.namelist()
    changed = {n for n in old if old[n] != new[n]}
    allowed = {SHEET_PART} | ({"xl/styles.xml"} if res.styles_changed else set())
    if "xl/workbook.xml" in changed:  # formulas written: only fullCalcOnLoad goes
        assert new["xl/workbook.xml"] == old["xl/workbook.xml"].replace(b' fullCalcOnLoad="1"', b"")
        allowed.add("xl/workbook.xml")
    assert changed <= allowed and SHEET_PART in changed
    for must in (
        "xl/drawings/drawing1.xml",
        "xl/media/image1.png",
        "xl/charts/chart1.xml",
        fx.EXTRA_PART,
    ):
        assert new[must] == old[must]
    if clerk.suffix == ".xlsm":
        assert new["xl/vbaProject.bin"] == fx.VBA_BYTES

    # Every original cell not written keeps its exact bytes; head and tail of the sheet too.
    o_cells, n_cells = cells_by_ref(old[SHEET_PART]), cells_by_ref(new[SHEET_PART])
    written = {f"{openpyxl.utils.get_column_letter(c)}{r}" for r, c in cells}
    for ref, xml in o_cells.items():
        if ref not in written:
            assert n_cells.get(ref) == xml, ref
    o_head, o_tail = (
        old[SHEET_PART].split(b"<sheetData>")[0],
        old[SHEET_PART].split(b"</sheetData>")[1],
    )
    n_head, n_tail = (
        new[SHEET_PART].split(b"<sheetData>")[0],
        new[SHEET_PART].split(b"</sheetData>")[1],
    )
    assert n_tail == o_tail  # merges, validation, conditional formats, drawing, comments
    assert re.sub(rb'<dimension ref="[^"]*"/>', b"", n_head) == re.sub(
        rb'<dimension ref="[^"]*"/>', b"", o_head
    )
    assert b'<dimension ref="A1:R14"/>' in n_head
    rows = [int(x) for x in re.findall(rb'<row r="(\d+)"', new[SHEET_PART])]
    assert rows == sorted(rows) and len(rows) == len(set(rows))

    # Every XML part parses.
    for name, data in new.items():
        if name.endswith((".xml", ".rels", ".vml")):
            etree.fromstring(data)


def test_values_read_back(clerk, tmp_path):
    led = read_ledger(clerk)
    cells = computed_cells(led)
    out = tmp_path / f"结果{clerk.suffix}"
    write_cells(clerk, out, led.sheet_name, cells)

    wb = openpyxl.load_workbook(out)
    ws = wb[fx.LEDGER_SHEET]
    assert [ws.cell(4, c).value for c in range(14, 19)] == [
        "年龄",
        "认定日期",
        "4050",
        "公式",
        "检查",
    ]
    assert ws["N5"].value == 45 and ws["N10"].value == 50
    assert ws["O6"].is_date and ws["O6"].value == dt.datetime(2024, 1, 6)
    assert ws["P6"].value is True and ws["P5"].value is False
    assert ws["Q7"].value == "=A7*2"
    assert ws["R9"].value == "第9行 <ok> & “好”"
    assert ws["M6"].value == "已复核"
    assert ws["L5"].value is None and ws["L5"].border.left.style == "thin"  # cleared, style kept
    assert ws["B14"].value == "新行" and ws["C8"].value == "空行中写入"
    assert ws["C5"].value == fx.PEOPLE[0][1]  # untouched neighbours
    assert ws.freeze_panes == "C5"
    assert ws.merged_cells.ranges and "F3:G3" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.data_validations.dataValidation[0].sqref
    assert len(ws.conditional_formatting) == 1
    assert ws["B5"].comment.text == "2024年1月新增"
    assert ws.column_dimensions["C"].width == 22
    assert "台账数据" in wb.defined_names
    cached = openpyxl.load_workbook(out, data_only=True)[fx.LEDGER_SHEET]
    assert cached["Q7"].value == 14

    grid = sheet_grid(out, fx.LEDGER_SHEET)
    assert grid[4][13] == 45.0
    assert grid[5][14] == dt.date(2024, 1, 6)  # a date, not a serial number
    assert grid[5][15] is True
    assert grid[6][16] == 14.0
    assert grid[2][2] == "身份证号码"

    # and the ledger still reads the same way, with the new columns as unknown columns
    led2 = read_ledger(out)
    assert led2.header_rows == (3, 4)
    assert ("N", "年龄") in led2.unknown_columns


def test_date_style_reused_or_added_once(tmp_path):
    src = fx.clerk_workbook(tmp_path / "台账.xlsx")
    old_styles = fx.zip_members(src)["xl/styles.xml"]
    count = lambda x: int(re.search(rb'<cellXfs count="(\d+)"', x).group(1))  # noqa: E731

    # H is 联系电话 (thin border, no number format); the workbook already has a
    # date style with the same border (column E), so it is reused: styles.xml untouched.
    res = write_cells(
        src,
        tmp_path / "o1.xlsx",
        fx.LEDGER_SHEET,
        {(5, 8): dt.date(2024, 2, 1), (6, 8): dt.date(2024, 2, 2)},
    )
    assert not res.styles_changed
    assert fx.zip_members(tmp_path / "o1.xlsx")["xl/styles.xml"] == old_styles
    ws = openpyxl.load_workbook(tmp_path / "o1.xlsx")[fx.LEDGER_SHEET]
    assert ws["H5"].is_date and ws["H6"].value == dt.datetime(2024, 2, 2)
    assert ws["H5"].border.left.style == "thin"

    # The title cell A1 (黑体 16pt, centred) has no date twin: ONE xf is cloned, for both cells.
    out = tmp_path / "o2.xlsx"
    res = write_cells(
        src,
        out,
        fx.LEDGER_SHEET,
        {(1, 1): dt.date(2024, 2, 1), (2, 1): Formula("=A1", dt.date(2024, 2, 1))},
    )
    new_styles = fx.zip_members(out)["xl/styles.xml"]
    assert res.styles_changed and len(res.new_styles) == 1
    assert count(new_styles) == count(old_styles) + 1
    new_xf = re.findall(rb"<xf\b[^>]*?(?:/>|>.*?</xf>)", new_styles.split(b"<cellXfs")[1])[-1]
    assert b'numFmtId="14"' in new_xf and b"<alignment" in new_xf
    # removing exactly that xf and restoring the count gives the old file back
    restored = new_styles.replace(new_xf + b"</cellXfs>", b"</cellXfs>")
    restored = restored.replace(
        f'<cellXfs count="{count(new_styles)}"'.encode(),
        f'<cellXfs count="{count(old_styles)}"'.encode(),
    )
    assert restored == old_styles
    ws = openpyxl.load_workbook(out)[fx.LEDGER_SHEET]
    assert ws["A1"].is_date and ws["A1"].value == dt.datetime(2024, 2, 1)
    assert ws["A1"].font.sz == 16  # the clerk's look is kept
    grid = sheet_grid(out, fx.LEDGER_SHEET)
    assert grid[0][0] == dt.date(2024, 2, 1) and grid[1][0] == dt.date(2024, 2, 1)

    # a date into a column already formatted as date keeps that style
    res2 = write_cells(src, tmp_path / "o3.xlsx", fx.LEDGER_SHEET, {(5, 5): dt.date(1999, 9, 9)})
    assert not res2.styles_changed


def test_header_cells_copy_neighbour_style(tmp_path):
    src = fx.clerk_workbook(tmp_path / "台账.xlsx")
    out = tmp_path / "h.xlsx"
    add_header_cells(src, out, fx.LEDGER_SHEET, 4, {14: "年龄", 15: "是否4050"})
    ws = openpyxl.load_workbook(out)[fx.LEDGER_SHEET]
    assert ws["N4"].value == "年龄" and ws["O4"].value == "是否4050"
    # M4 is the empty lower half of the merged “备注”; the nearest header with text is G4
    assert ws["N4"].font.b and ws["N4"].fill.fgColor.rgb == ws["G4"].fill.fgColor.rgb
    new = cells_by_ref(fx.zip_members(out)[SHEET_PART])
    s_of = lambda x: re.search(rb'\ss="(\d+)"', x).group(1)  # noqa: E731
    assert s_of(new["N4"]) == s_of(new["O4"]) == s_of(new["G4"])


def test_write_columns_matches_write_cells(tmp_path):
    src = fx.clerk_workbook(tmp_path / "台账.xlsx")
    led = read_ledger(src)
    rows = list(led.data.index)
    cols = {14: [1.5 * r for r in rows], 15: [f"t{r}" for r in rows]}
    write_columns(
        src,
        tmp_path / "a.xlsx",
        fx.LEDGER_SHEET,
        rows,
        cols,
        headers={14: "甲", 15: "乙"},
        header_row=4,
    )
    cells = {(r, c): v[i] for c, v in cols.items() for i, r in enumerate(rows)}
    cells.update({(4, 14): "甲", (4, 15): "乙"})
    write_cells(src, tmp_path / "b.xlsx", fx.LEDGER_SHEET, cells)
    a = sheet_grid(tmp_path / "a.xlsx", fx.LEDGER_SHEET)
    b = sheet_grid(tmp_path / "b.xlsx", fx.LEDGER_SHEET)
    assert a == b
    assert a[4][13] == 7.5 and a[9][14] == "t10" and a[3][13] == "甲"
    with pytest.raises(ValueError):
        write_columns(src, tmp_path / "c.xlsx", fx.LEDGER_SHEET, rows, {14: [1]})


_TRICKY = [" ", "\n", "\t", "<", ">", "&", "_", "x", "0", "4", "1", "F", "\x00", "\x01", "\x1f",
           "\ufffe", "\ud800", "字", "，", "a"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(_TRICKY), max_size=30), min_size=1, max_size=12))
def test_texts_escaped_together_as_one_by_one(texts):
    """A block of long texts is escaped in one string: the same bytes as each alone
    (escapes next to where they are joined, control characters, a text with a NUL)."""
    from xl_addin.xlsxpatch.xmltext import _b, _esc, escaped_utf8

    assert escaped_utf8(texts) == [_b(_esc(t)) for t in texts]


def test_long_texts_written_as_cell_by_cell(tmp_path, monkeypatch):
    """A column of long texts (explanations) written in blocks gives the very same sheet
    as writing its cells one by one: spaces kept, escapes, styled columns, a header."""
    from xl_addin.xlsxpatch import rows as rows_module

    monkeypatch.setattr(rows_module._LongTexts, "BLOCK", 3)  # several blocks, edges inside
    src = fx.clerk_workbook(tmp_path / "台账.xlsx")
    led = read_ledger(src)
    rows = list(led.data.index)
    body = "认定依据：" + "年龄、户籍、失业登记<满足>&" * 20
    long = [
        (" " if i % 4 == 0 else "") + body + f"第{r}行" + ("\n" if i % 3 == 0 else "")
        + ("_x0041_\x01" if i % 5 == 0 else "")
        for i, r in enumerate(rows)
    ]  # fmt: skip
    long[1] = "短"
    long[2] = None
    cols = {14: long, 15: [xp.Cell(t, 3) if i % 2 else t for i, t in enumerate(long)]}
    headers = {14: "认定依据", 15: "乙"}
    write_columns(src, tmp_path / "a.xlsx", fx.LEDGER_SHEET, rows, cols, headers=headers,
                  header_row=4)  # fmt: skip
    cells = {(r, c): v[i] for c, v in cols.items() for i, r in enumerate(rows)}
    cells.update({(4, c): xp.Cell(h, xp.LEFT) for c, h in headers.items()})
    write_cells(src, tmp_path / "b.xlsx", fx.LEDGER_SHEET, cells)
    a, b = fx.zip_members(tmp_path / "a.xlsx"), fx.zip_members(tmp_path / "b.xlsx")
    assert a == b
    grid = sheet_grid(tmp_path / "a.xlsx", fx.LEDGER_SHEET)
    assert [grid[r - 1][13] for r in rows[:4]] == [long[0], "短", "", long[3]]
    too_long = [body * 200] + [""] * (len(rows) - 1)
    with pytest.raises(InputError, match="N5.*32767"):
        write_columns(src, tmp_path / "c.xlsx", fx.LEDGER_SHEET, rows, {14: too_long})


def test_text_escaping_round_trip(tmp_path):
    src = fx.simple_workbook(tmp_path / "t.xlsx", [["姓名", "x"], ["a", 1]])
    texts = [" 前导空格", "两行\n文本", "a<b>&c", "_x0041_", "制表\t符", "控制\x01字符", "引号\"'"]
    cells = {(r, 3): t for r, t in enumerate(texts, start=1)}
    write_cells(src, tmp_path / "o.xlsx", "Sheet1", cells)
    grid = sheet_grid(tmp_path / "o.xlsx", "Sheet1")
    got = [grid[r - 1][2] for r in range(1, len(texts) + 1)]
    assert got == texts  # calamine decodes _xHHHH_ escapes as Excel does
    ws = openpyxl.load_workbook(tmp_path / "o.xlsx")["Sheet1"]
    assert (
        ws["C3"].value == "a<b>&c"
        and ws["C1"].value == " 前导空格"
        and ws["C2"].value == "两行\n文本"
    )


def _with_formulas(tmp_path, shared: bool) -> Path:
    """A workbook whose sheet has formulas in C2:C5 and a calcChain part."""
    src = fx.simple_workbook(
        tmp_path / "f.xlsx",
        [["a", "b", "c"], [1, 2, None], [3, 4, None], [5, 6, None], [7, 8, None]],
    )
    members = fx.zip_members(src)
    sheet = members["xl/worksheets/sheet1.xml"]
    for r in range(2, 6):
        if shared:
            f = (
                b'<f t="shared" ref="C2:C5" si="0">A2+B2</f>'
                if r == 2
                else b'<f t="shared" si="0"/>'
            )
        else:
            f = f"<f>A{r}+B{r}</f>".encode()
        cached = str(2 * r * 2 - 1).encode()
        sheet = sheet.replace(f'<c r="B{r}" t="n"><v>'.encode(), b"@@", 1)
        sheet = re.sub(
            rb"(@@[^<]*</v></c>)",
            lambda m, f=f, r=r, cached=cached: (
                m.group(1) + f'<c r="C{r}">'.encode() + f + b"<v>" + cached + b"</v></c>"
            ),
            sheet,
            count=1,
        )
        sheet = sheet.replace(b"@@", f'<c r="B{r}" t="n"><v>'.encode(), 1)
    members["xl/worksheets/sheet1.xml"] = sheet
    members["xl/calcChain.xml"] = (
        b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"".join(f'<c r="C{r}" i="1"/>'.encode() for r in range(2, 6))
        + b"</calcChain>"
    )
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>',
    )
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdCC" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>',
    )
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in members.items():
            z.writestr(n, d)
    assert openpyxl.load_workbook(src)["Sheet1"]["C3"].value in ("=A3+B3", "=")
    return src


def test_calc_chain_dropped_only_when_a_formula_is_overwritten(tmp_path):
    src = _with_formulas(tmp_path, shared=False)
    keep = write_cells(src, tmp_path / "k.xlsx", "Sheet1", {(2, 4): 1})
    assert not keep.calc_chain_removed
    assert "xl/calcChain.xml" in fx.zip_members(tmp_path / "k.xlsx")
    res = write_cells(src, tmp_path / "d.xlsx", "Sheet1", {(3, 3): 99})
    assert res.calc_chain_removed
    m = fx.zip_members(tmp_path / "d.xlsx")
    assert "xl/calcChain.xml" not in m
    assert (
        b"calcChain" not in m["[Content_Types].xml"]
        and b"calcChain" not in m["xl/_rels/workbook.xml.rels"]
    )
    ws = openpyxl.load_workbook(tmp_path / "d.xlsx")["Sheet1"]
    assert ws["C3"].value == 99 and ws["C4"].value == "=A4+B4"


def test_shared_formula_anchor_overwritten(tmp_path):
    src = _with_formulas(tmp_path, shared=True)
    res = write_cells(src, tmp_path / "s.xlsx", "Sheet1", {(2, 3): "覆盖"})
    assert res.shared_formulas_expanded == 3
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["Sheet1"]
    assert ws["C2"].value == "覆盖"
    assert [ws[f"C{r}"].value for r in (3, 4, 5)] == ["=A3+B3", "=A4+B4", "=A5+B5"]
    cached = sheet_grid(tmp_path / "s.xlsx", "Sheet1")
    assert [cached[r - 1][2] for r in (3, 4, 5)] == [11.0, 15.0, 19.0]  # cached values kept


def test_safety(tmp_path):
    src = fx.clerk_workbook(tmp_path / "台账.xlsx")
    before = digest(src)
    with pytest.raises(InputError, match="不能与输入文件"):
        write_cells(src, src, fx.LEDGER_SHEET, {(5, 14): 1})
    with pytest.raises(InputError, match="没有名为“花名册”的工作表"):
        write_cells(src, tmp_path / "x.xlsx", "花名册", {(5, 14): 1})
    with pytest.raises(InputError, match="找不到文件"):
        write_cells(tmp_path / "无.xlsx", tmp_path / "x.xlsx", "台账", {(1, 1): 1})
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="文件已损坏或不是 Excel 文件"):
        write_cells(bad, tmp_path / "x.xlsx", "台账", {(1, 1): 1})
    assert digest(src) == before
    assert not list(tmp_path.glob("~jyyz-*")), "no temporary files left behind"

    res = write_cells(src, None, fx.LEDGER_SHEET, {(5, 14): 1}, in_place=True)
    assert res.backup_path and os.path.exists(res.backup_path)
    assert re.fullmatch(r"台账\.备份-\d{8}-\d{6}\.xlsx", os.path.basename(res.backup_path))
    assert digest(res.backup_path) == before and digest(src) != before
    assert sheet_grid(src, fx.LEDGER_SHEET)[4][13] == 1.0

    # a failure while writing in place leaves the file and no extra backup or temp file
    backups_before = sorted(tmp_path.glob("台账.备份-*"))
    after_first = digest(src)
    with pytest.raises(InputError, match="超过 Excel 的上限"):
        write_cells(src, None, fx.LEDGER_SHEET, {(5, 14): "长" * 40_000}, in_place=True)
    assert digest(src) == after_first
    assert sorted(tmp_path.glob("台账.备份-*")) == backups_before
    assert not list(tmp_path.glob("~*"))


def test_refused_replace_is_explained_and_cleaned(tmp_path, monkeypatch):
    src = fx.clerk_workbook(tmp_path / "台账.xlsx")
    import calc.safe_files as sf

    def denied(a, b):
        raise PermissionError(13, "denied")

    monkeypatch.setattr(sf.os, "replace", denied)
    with pytest.raises(InputError, match="没有权限写入") as info:
        write_cells(src, tmp_path / "o.xlsx", fx.LEDGER_SHEET, {(5, 14): 1})
    assert "o.xlsx" in info.value.message and "Excel/WPS 中打开" in info.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]


def test_add_sheet(tmp_path):
    src = fx.clerk_workbook(tmp_path / "台账.xlsx")
    out = tmp_path / "a.xlsx"
    rows = [
        ["行号", "问题", "日期"],
        [5, "身份证号码校验位错误", dt.date(2024, 3, 1)],
        [7, None, 1.5],
    ]
    add_sheet(src, out, "检查结果", rows)
    old, new = fx.zip_members(src), fx.zip_members(out)
    changed = {n for n in old if old[n] != new.get(n)}
    assert changed <= {
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml",
        "xl/styles.xml",
    }
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["说明", "台账", "参数", "检查结果"]
    ws = wb["检查结果"]
    assert ws["B2"].value == "身份证号码校验位错误" and ws["C2"].is_date and ws["C3"].value == 1.5
    # replacing keeps one sheet of that name
    add_sheet(out, tmp_path / "b.xlsx", "检查结果", [["无问题"]])
    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert wb.sheetnames.count("检查结果") == 1 and wb["检查结果"]["A1"].value == "无问题"
    assert wb["检查结果"]["B2"].value is None
    with pytest.raises(InputError):
        add_sheet(out, tmp_path / "c.xlsx", "检查结果", [["x"]], replace=False)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.tuples(st.integers(1, 12), st.integers(1, 8)),
        st.one_of(
            st.text(alphabet="甲乙 ab<&>", min_size=1, max_size=6).filter(lambda s: s.strip() == s),
            st.integers(-1000, 10**6),
            st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 3)),
            st.booleans(),
            st.dates(dt.date(1950, 1, 1), dt.date(2040, 12, 31)),
        ),
        max_size=20,
    )
)
def test_random_writes_read_back(tmp_path_factory, cells):
    d = tmp_path_factory.mktemp("h")
    base = [
        ["姓名", "身份证号", None, "性别"],
        [None, "1", "x", None],
        ["甲", None, None, "男"],
        [None] * 4,
        ["乙", "2", 3.5, None],
    ]
    src = fx.simple_workbook(d / "r.xlsx", base)
    out = d / "o.xlsx"
    write_cells(src, out, "Sheet1", cells)
    expected: dict[tuple[int, int], object] = {}
    for r, row in enumerate(base, start=1):
        for c, v in enumerate(row, start=1):
            if v is not None:
                expected[(r, c)] = v
    expected.update(cells)
    grid = sheet_grid(out, "Sheet1")
    for (r, c), v in expected.items():
        got = grid[r - 1][c - 1]
        if isinstance(v, bool):
            assert got is v
        elif isinstance(v, (int, float)):
            assert got == pytest.approx(float(v))
        else:
            assert got == v, (r, c)
    filled = {(r + 1, c + 1) for r, row in enumerate(grid) for c, v in enumerate(row) if v != ""}
    assert filled == set(expected)


def test_bench_runs_small():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_ledger_io.py"), "--rows", "2000"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "read_ledger" in proc.stdout and "write_columns" in proc.stdout


def test_prefixed_sheet_xml(tmp_path):
    """Sheets written by the OpenXML SDK use a namespace prefix (<x:row>)."""
    p = fx.simple_workbook(tmp_path / "pre.xlsx", [["姓名", "身份证号", "性别"], ["甲", "1", "男"]])
    m = fx.zip_members(p)
    s = m["xl/worksheets/sheet1.xml"].replace(b"<worksheet xmlns=", b"<x:worksheet xmlns:x=")
    m["xl/worksheets/sheet1.xml"] = re.sub(rb"<(/?)(?!x:)(\w+)", rb"<\1x:\2", s)
    with zipfile.ZipFile(p, "w") as z:
        for n, d in m.items():
            z.writestr(n, d)
    out = tmp_path / "o.xlsx"
    write_cells(p, out, "Sheet1", {(2, 4): "新", (2, 2): "覆盖", (3, 1): dt.date(2020, 1, 1)})
    xml = fx.zip_members(out)["xl/worksheets/sheet1.xml"]
    etree.fromstring(xml)
    assert b"<c " not in xml and b'<x:row r="3">' in xml
    grid = sheet_grid(out, "Sheet1")
    assert grid[1] == ["甲", "覆盖", "男", "新"] and grid[2][0] == dt.date(2020, 1, 1)


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (lambda p: xp.WorkbookNotFound(p), "找不到文件"),
        (lambda p: xp.OldXlsFormat(p), ".xls"),
        (lambda p: xp.CorruptWorkbook(p), "已损坏"),
        (
            lambda p: xp.WorkbookUnreadable(p, PermissionError(13, "denied")),
            "没有权限读取",
        ),
        (
            lambda p: xp.SheetNotFound(p, "甲", ["乙"]),
            "没有名为“甲”的工作表",
        ),
        (lambda p: xp.SheetExists(p, "甲"), "已有工作表"),
        (lambda p: xp.InvalidSheetName("a/b"), "不合法"),
        (lambda p: xp.StylesMissing(p, "date"), "样式表"),
        (
            lambda p: xp.TextTooLong("C5", 40000, 32767),
            "单元格C5",
        ),
        (lambda p: xp.SameFile(p), "不能与输入文件"),
        (lambda p: xp.NoOutput(p), "未指定输出文件"),
    ],
)
def test_every_engine_error_has_a_chinese_message(error, words):
    from xl_addin.ledger_write import chinese_error

    message = chinese_error(error("D:/台账/台账.xlsx"), "D:/台账/台账.xlsx").describe()
    assert words in message
    assert not any(w in message for w in ("Error", "Errno", "Traceback"))
