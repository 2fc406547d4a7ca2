"""Tests for xl_addin.ledger_write.mark_cells: fill + comment on cells, losing nothing."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine as pc
import xlsx_fixtures as fx
from lxml import etree
from openpyxl.worksheet.table import Table

from calc.errors import InputError
from xl_addin.ledger_write import Mark, mark_cells

SHEET_PART = "xl/worksheets/sheet2.xml"  # 台账 in the clerk fixture
COMMENTS = "xl/comments/comment1.xml"  # openpyxl's names for the fixture's B5 comment
VML = "xl/drawings/commentsDrawing1.vml"
CELL_RE = re.compile(rb"<c\b[^>]*?\sr=\"([A-Z]+\d+)\"[^>]*?(?:/>|>.*?</c>)", re.S)
S_ATTR = re.compile(rb'\ss="\d+"')

# CT_Worksheet child order (ECMA-376 Part 1, 18.3.1.99)
WORKSHEET_ORDER = (
    "sheetPr dimension sheetViews sheetFormatPr cols sheetData sheetCalcPr sheetProtection "
    "protectedRanges scenarios autoFilter sortState dataConsolidate customSheetViews mergeCells "
    "phoneticPr conditionalFormatting dataValidations hyperlinks printOptions pageMargins "
    "pageSetup headerFooter rowBreaks colBreaks customProperties cellWatches ignoredErrors "
    "smartTags drawing legacyDrawing legacyDrawingHF drawingHF picture oleObjects controls "
    "webPublishItems tableParts extLst"
).split()

MARKS = {
    (5, 2): Mark("姓名与身份证不符（原有批注被替换）", "error"),  # B5 already has a comment
    (6, 3): Mark("身份证号校验位错误 <核对> & 重填", "warning"),  # C6 text ID, format "@"
    (5, 7): Mark("家庭月收入为空", "error"),  # G5 number format #,##0.00
    (9, 5): Mark("出生日期与身份证不一致", "warning"),  # E9 date format
    (8, 4): Mark("空行中的单元格", "error"),  # D8: row 8 does not exist in the XML
    (14, 2): Mark(" 前后空格\n两行 ", "warning"),  # B14: a row below the footer
    (6, 14): Mark("新列", "error"),  # N6: a new cell right of the last one in its row
}


def ref(r: int, c: int) -> str:
    return f"{openpyxl.utils.get_column_letter(c)}{r}"


def cells_by_ref(sheet_xml: bytes) -> dict[str, bytes]:
    return {m.group(1).decode(): m.group(0) for m in CELL_RE.finditer(sheet_xml)}


def all_values(path) -> dict[str, list[list]]:
    wb = pc.CalamineWorkbook.from_path(str(path))
    return {
        name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names
    }


def look(cell) -> tuple:
    """Font, border, alignment, protection of a cell (StyleProxy objects do not compare)."""
    return tuple(copy.copy(getattr(cell, a)) for a in ("font", "border", "alignment", "protection"))


def worksheet_children(sheet_xml: bytes) -> list[str]:
    return [etree.QName(el).localname for el in etree.fromstring(sheet_xml)]


def assert_schema_order(sheet_xml: bytes) -> None:
    kids = worksheet_children(sheet_xml)
    pos = [WORKSHEET_ORDER.index(k) for k in kids]
    assert pos == sorted(pos), kids
    assert kids.count("legacyDrawing") == 1


@pytest.fixture(params=[".xlsx", ".xlsm"])
def clerk(request, tmp_path):
    return fx.clerk_workbook(tmp_path / f"台账{request.param}")


def test_mark_clerk_workbook(clerk, tmp_path):
    before = fx.zip_members(clerk)
    out = tmp_path / f"标记{clerk.suffix}"
    res = mark_cells(clerk, out, fx.LEDGER_SHEET, MARKS)
    assert fx.zip_members(clerk) == before, "input must never change"
    assert res.cells_written == len(MARKS) and res.comments_written == len(MARKS)
    assert res.rows_created == 2 and res.parts_added == []  # rows 8 and 14

    # -- zip members: only the sheet, styles, comments and VML change; nothing added
    after = fx.zip_members(out)
    with zipfile.ZipFile(clerk) as a, zipfile.ZipFile(out) as b:
        assert a.namelist() == b.namelist()
    changed = {n for n in before if before[n] != after[n]}
    assert changed == {SHEET_PART, "xl/styles.xml", COMMENTS, VML}
    may_change = changed | {"[Content_Types].xml", "xl/worksheets/_rels/sheet2.xml.rels"}
    for name in before.keys() - may_change:
        assert after[name] == before[name], name
    if clerk.suffix == ".xlsm":
        assert after["xl/vbaProject.bin"] == fx.VBA_BYTES
    for name, data in after.items():
        if name.endswith((".xml", ".rels", ".vml")):
            etree.fromstring(data)

    # -- the sheet: unmarked cells keep their bytes, marked ones differ only in s=
    old_cells, new_cells = cells_by_ref(before[SHEET_PART]), cells_by_ref(after[SHEET_PART])
    marked = {ref(r, c) for r, c in MARKS}
    assert set(new_cells) == set(old_cells) | marked
    for r_, xml in old_cells.items():
        if r_ in marked:
            assert S_ATTR.sub(b"", new_cells[r_]) == S_ATTR.sub(b"", xml), r_
            assert new_cells[r_] != xml
        else:
            assert new_cells[r_] == xml, r_
    for r_ in marked - set(old_cells):
        assert re.fullmatch(rf'<c r="{r_}" s="\d+"/>'.encode(), new_cells[r_]), new_cells[r_]
    rows = [int(x) for x in re.findall(rb'<row r="(\d+)"', after[SHEET_PART])]
    assert rows == sorted(rows) and {8, 14} <= set(rows)
    head = after[SHEET_PART].split(b"<sheetData>")[0]
    assert b'<dimension ref="A1:N14"/>' in head
    # the tail (merges, validation, drawing, the existing legacyDrawing) is untouched
    assert (
        after[SHEET_PART].split(b"</sheetData>")[1] == before[SHEET_PART].split(b"</sheetData>")[1]
    )
    assert_schema_order(after[SHEET_PART])

    # -- values of every cell of every sheet unchanged
    assert all_values(out) == all_values(clerk)

    # -- what Excel shows: fill, comment, original look
    src_ws = openpyxl.load_workbook(clerk)[fx.LEDGER_SHEET]
    wb = openpyxl.load_workbook(out)
    ws = wb[fx.LEDGER_SHEET]
    for (r, c), mark in MARKS.items():
        cell, orig = ws.cell(r, c), src_ws.cell(r, c)
        assert cell.comment is not None and cell.comment.text == mark.message, ref(r, c)
        assert cell.comment.author == "jyyz"
        assert cell.fill.fill_type == "solid"
        assert cell.fill.fgColor.rgb.endswith("FFC7CE" if mark.level == "error" else "FFEB9C")
        assert cell.number_format == orig.number_format, ref(r, c)
        assert look(cell) == look(orig), ref(r, c)
    assert ws["C6"].number_format == "@" and ws["G5"].number_format == "#,##0.00"
    assert ws["E9"].is_date and ws["E9"].number_format == "yyyy-mm-dd"
    assert ws["B5"].border.left.style == "thin"
    # unmarked neighbours keep their look and have no comment
    assert ws["C5"].fill.fill_type is None and ws["C5"].comment is None
    assert ws["A3"].fill.fgColor.rgb == src_ws["A3"].fill.fgColor.rgb
    # the comment part keeps the clerk's author and gains ours
    authors = re.findall(rb"<author>(.*?)</author>", after[COMMENTS])
    assert [a.decode() for a in authors] == ["赵敏", "jyyz"]
    assert after[COMMENTS].count(b"<comment ") == len(MARKS)
    # a VML note box per comment, each cell once
    boxes = re.findall(rb"<(?:\w+:)?Row>(\d+)</(?:\w+:)?Row><(?:\w+:)?Column>(\d+)<", after[VML])
    assert sorted((int(r) + 1, int(c) + 1) for r, c in boxes) == sorted(MARKS)
    shape_ids = re.findall(rb'id="_x0000_s(\d+)"', after[VML])
    assert len(shape_ids) == len(set(shape_ids)) == len(MARKS)


def test_styles_add_one_fill_per_level_and_one_xf_per_pair(tmp_path):
    src = fx.clerk_workbook(tmp_path / "台账.xlsx")
    old = fx.zip_members(src)["xl/styles.xml"]
    out = tmp_path / "o.xlsx"
    # B5, C5 and H5 share the bordered style; B6 likewise. A1 is the title style.
    marks = {
        (5, 2): Mark("a", "error"),
        (6, 2): Mark("b", "error"),  # same (style, level) as B5: same new xf
        (5, 8): Mark("c", "warning"),
        (1, 1): Mark("d", "warning"),
    }
    res = mark_cells(src, out, fx.LEDGER_SHEET, marks)
    new = fx.zip_members(out)["xl/styles.xml"]

    def count(tag: bytes, xml: bytes) -> int:
        return int(re.search(rb"<" + tag + rb' count="(\d+)"', xml).group(1))

    def elements(tag: bytes, xml: bytes) -> list:
        ns = openpyxl.xml.constants.SHEET_MAIN_NS
        return list(etree.fromstring(xml).find(f"{{{ns}}}{tag.decode()}"))

    assert count(b"fills", new) == count(b"fills", old) + 2 == len(elements(b"fills", new))
    sheet_cells = cells_by_ref(fx.zip_members(out)[SHEET_PART])
    s = {
        r_: int(re.search(rb'\ss="(\d+)"', sheet_cells[r_]).group(1))
        for r_ in ("A1", "B5", "B6", "H5")
    }
    assert s["B5"] == s["B6"]
    assert len({s["B5"], s["H5"], s["A1"]}) == 3
    assert count(b"cellXfs", new) == count(b"cellXfs", old) + 3 == len(elements(b"cellXfs", new))
    assert res.new_styles == sorted({s["B5"], s["H5"], s["A1"]})
    # outside <fills> and <cellXfs> nothing in styles.xml moved
    strip = lambda x: re.sub(rb"<(fills|cellXfs) .*?</\1>", b"", x, flags=re.S)  # noqa: E731
    assert strip(new) == strip(old)
    ws = openpyxl.load_workbook(out)[fx.LEDGER_SHEET]
    assert ws["A1"].font.sz == 16 and ws["A1"].alignment.horizontal == "center"
    assert ws["A1"].fill.fgColor.rgb.endswith("FFEB9C")


def test_marking_again_adds_nothing(tmp_path):
    src = fx.clerk_workbook(tmp_path / "台账.xlsx")
    once, twice = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    mark_cells(src, once, fx.LEDGER_SHEET, MARKS)
    mark_cells(once, twice, fx.LEDGER_SHEET, MARKS)
    a, b = fx.zip_members(once), fx.zip_members(twice)
    assert a == b  # same fills/xfs reused, comments replaced by the same text, no new boxes


def test_new_comment_parts_and_schema_position(tmp_path):
    """A sheet without comments gets comments + VML parts, rels and content types."""
    src = tmp_path / "简表.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(["姓名", "人数", "收入"])
    for i in range(1, 5):
        ws.append([f"人员{i}", i, i * 1000.5])
    ws["C2"].number_format = "0.00"
    ws.add_table(Table(displayName="名单表", ref="A1:C5"))
    ws.page_setup.orientation = "landscape"
    ws.oddHeader.center.text = "页眉"
    wb.create_sheet("其他")["A1"] = "x"
    wb.save(src)
    before = fx.zip_members(src)
    assert not any(n.endswith(".vml") or "comment" in n for n in before)

    out = tmp_path / "o.xlsx"
    marks = {(2, 3): Mark("收入异常", "error"), (3, 5): Mark("新单元格", "warning")}
    res = mark_cells(src, out, "名单", marks)
    after = fx.zip_members(out)
    assert res.parts_added == ["xl/comments1.xml", "xl/drawings/vmlDrawing1.vml"]
    with zipfile.ZipFile(out) as z:
        assert z.namelist()[-2:] == res.parts_added  # new members go last
    changed = {n for n in before if before[n] != after[n]}
    assert changed == {
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/_rels/sheet1.xml.rels",
        "xl/styles.xml",
        "[Content_Types].xml",
    }
    sheet = after["xl/worksheets/sheet1.xml"]
    assert_schema_order(sheet)
    kids = worksheet_children(sheet)
    assert kids.index("headerFooter") < kids.index("legacyDrawing") < kids.index("tableParts")

    rels = {
        el.get("Id"): el for el in etree.fromstring(after["xl/worksheets/_rels/sheet1.xml.rels"])
    }
    rid = etree.fromstring(sheet).find(f"{{{openpyxl.xml.constants.SHEET_MAIN_NS}}}legacyDrawing")
    rid = rid.get(f"{{{openpyxl.xml.constants.REL_NS}}}id")
    assert rels[rid].get("Target") == "../drawings/vmlDrawing1.vml"
    assert rels[rid].get("Type").endswith("/vmlDrawing")
    assert any(
        r.get("Type").endswith("/comments") and r.get("Target") == "../comments1.xml"
        for r in rels.values()
    )
    ct = after["[Content_Types].xml"]
    assert (
        b'<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>'
        in ct
    )
    assert (
        b'<Override PartName="/xl/comments1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/>'
        in ct
    )
    vml = etree.fromstring(after["xl/drawings/vmlDrawing1.vml"])
    assert vml.find(".//{urn:schemas-microsoft-com:office:office}idmap").get("data") == "1"
    for name in after:
        if name.endswith((".xml", ".rels", ".vml")):
            etree.fromstring(after[name])

    ws = openpyxl.load_workbook(out)["名单"]
    assert ws["C2"].comment.text == "收入异常" and ws["C2"].number_format == "0.00"
    assert ws["C2"].fill.fgColor.rgb.endswith("FFC7CE") and ws["C2"].value == 1000.5
    assert ws["E3"].comment.text == "新单元格" and ws["E3"].fill.fgColor.rgb.endswith("FFEB9C")
    assert ws.tables["名单表"].ref == "A1:C5"
    assert all_values(out) == all_values(src)

    # marking the other sheet too: a second comments part and a second idmap block
    out2 = tmp_path / "o2.xlsx"
    res2 = mark_cells(out, out2, "其他", {(1, 1): Mark("再来", "warning")})
    assert res2.parts_added == [  # that sheet had no .rels part either
        "xl/comments2.xml",
        "xl/drawings/vmlDrawing2.vml",
        "xl/worksheets/_rels/sheet2.xml.rels",
    ]
    vml2 = etree.fromstring(fx.zip_members(out2)["xl/drawings/vmlDrawing2.vml"])
    assert vml2.find(".//{urn:schemas-microsoft-com:office:office}idmap").get("data") == "2"
    assert vml2.find(".//{urn:schemas-microsoft-com:vml}shape").get("id") == "_x0000_s2049"
    wb2 = openpyxl.load_workbook(out2)
    assert wb2["其他"]["A1"].comment.text == "再来"
    assert wb2["名单"]["C2"].comment.text == "收入异常"


def test_existing_vml_without_comments(tmp_path):
    """A legacyDrawing (with one note box for C2) but no comments part: the VML is reused."""
    src = fx.simple_workbook(tmp_path / "s.xlsx", [["a", "b", "c"], [1, 2, 3]])
    first = tmp_path / "first.xlsx"
    mark_cells(src, first, "Sheet1", {(2, 3): Mark("x")})
    broken = tmp_path / "nocomments.xlsx"
    with zipfile.ZipFile(first) as z, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as o:
        for name in z.namelist():
            data = z.read(name)
            if name == "xl/comments1.xml":
                continue
            data = re.sub(rb"<Relationship [^>]*/comments\"[^>]*/>", b"", data)
            data = re.sub(rb"<Override PartName=\"/xl/comments1.xml\"[^>]*/>", b"", data)
            o.writestr(name, data)
    out = tmp_path / "o.xlsx"
    res = mark_cells(broken, out, "Sheet1", {(2, 3): Mark("收入"), (1, 1): Mark("表头", "warning")})
    assert res.parts_added == ["xl/comments1.xml"]
    after, before = fx.zip_members(out), fx.zip_members(broken)
    vml = after["xl/drawings/vmlDrawing1.vml"]
    assert vml.count(b'ObjectType="Note"') == 2  # C2's box kept, A1's added
    assert after["xl/worksheets/sheet1.xml"].count(b"legacyDrawing") == 1
    assert (
        before["xl/worksheets/sheet1.xml"].split(b"</sheetData>")[1]
        == after["xl/worksheets/sheet1.xml"].split(b"</sheetData>")[1]
    )
    ws = openpyxl.load_workbook(out)["Sheet1"]
    assert ws["C2"].comment.text == "收入" and ws["A1"].comment.text == "表头"


def test_safety(tmp_path):
    src = fx.clerk_workbook(tmp_path / "台账.xlsx")
    original = src.read_bytes()
    with pytest.raises(InputError):
        mark_cells(src, src, fx.LEDGER_SHEET, MARKS)
    with pytest.raises(InputError):
        mark_cells(src, None, fx.LEDGER_SHEET, MARKS)
    with pytest.raises(ValueError):
        Mark("x", "info")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        mark_cells(src, tmp_path / "o.xlsx", fx.LEDGER_SHEET, {(1, 1): 123})  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        mark_cells(src, tmp_path / "o.xlsx", fx.LEDGER_SHEET, {(0, 1): Mark("x")})
    assert src.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]  # no temp files left

    res = mark_cells(src, None, fx.LEDGER_SHEET, MARKS, in_place=True)
    assert res.backup_path and Path(res.backup_path).read_bytes() == original
    assert openpyxl.load_workbook(src)[fx.LEDGER_SHEET]["C6"].comment.text == MARKS[(6, 3)].message

    # A1 references and plain messages (level "error") are accepted too
    a1 = mark_cells(
        res.backup_path, tmp_path / "a1.xlsx", fx.LEDGER_SHEET, {"C6": "错", "$D$5": "x"}
    )
    ws = openpyxl.load_workbook(tmp_path / "a1.xlsx")[fx.LEDGER_SHEET]
    assert a1.cells_written == 2 and ws["C6"].comment.text == "错" and ws["D5"].comment.text == "x"
    assert ws["C6"].fill.fgColor.rgb.endswith("FFC7CE")
    with pytest.raises(ValueError):
        mark_cells(src, tmp_path / "o.xlsx", fx.LEDGER_SHEET, {"第6行": "x"})

    # no marks: a copy with every member unchanged
    copy_res = mark_cells(res.backup_path, tmp_path / "copy.xlsx", fx.LEDGER_SHEET, {})
    assert copy_res.cells_written == 0 and copy_res.parts_added == []
    assert fx.zip_members(tmp_path / "copy.xlsx") == fx.zip_members(res.backup_path)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_marked_files(tmp_path):
    (tmp_path / "src").mkdir()
    src_x = fx.clerk_workbook(tmp_path / "src" / "台账.xlsx")
    marked = tmp_path / "marked"
    marked.mkdir()
    out_x = marked / "标记.xlsx"
    mark_cells(src_x, out_x, fx.LEDGER_SHEET, MARKS)
    plain = fx.simple_workbook(tmp_path / "src" / "plain.xlsx", [["姓名", "收入"], ["甲", 1.5]])
    out_p = marked / "新批注.xlsx"
    mark_cells(plain, out_p, "Sheet1", {(2, 2): Mark("收入偏低", "warning"), (3, 1): Mark("新行")})

    profile = (tmp_path / "lo-profile").as_uri()
    files = [str(src_x), str(out_x), str(out_p)]

    def convert(fmt: str, outdir: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt,
             "--outdir", str(outdir), *files],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    csv_dir = tmp_path / "csv"
    proc = convert("csv:Text - txt - csv (StarCalc):44,34,76", csv_dir)  # 76: UTF-8
    assert proc.returncode == 0, proc.stderr
    if not (csv_dir / "台账.csv").exists():
        pytest.skip(f"this LibreOffice cannot open .xlsx (Calc missing?): {proc.stderr[-300:]}")
    for stem in ("标记", "新批注"):
        assert (csv_dir / f"{stem}.csv").stat().st_size > 0, proc.stdout + proc.stderr
    assert "甲" in (csv_dir / "新批注.csv").read_text(encoding="utf-8", errors="replace")

    # LibreOffice's own re-save keeps what it understood: the comments and fills.
    back = tmp_path / "back"
    files[:] = [str(out_x), str(out_p)]
    proc = convert("xlsx", back)
    assert proc.returncode == 0, proc.stderr
    ws = openpyxl.load_workbook(back / "标记.xlsx")[fx.LEDGER_SHEET]
    for (r, c), mark in MARKS.items():
        assert ws.cell(r, c).comment is not None, ref(r, c)
        assert ws.cell(r, c).comment.text.strip() == mark.message.strip(), ref(r, c)
        want = "FFC7CE" if mark.level == "error" else "FFEB9C"
        assert ws.cell(r, c).fill.fgColor.rgb.upper().endswith(want), ref(r, c)
    ws = openpyxl.load_workbook(back / "新批注.xlsx")["Sheet1"]
    assert ws["B2"].comment.text == "收入偏低" and ws["A3"].comment.text == "新行"
