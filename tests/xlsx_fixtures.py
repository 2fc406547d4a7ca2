"""Builders for realistic clerk's workbooks used by the ledger I/O tests.

:func:`clerk_workbook` makes what a community office really keeps: a notes
sheet first, then the ledger with a title row and a notes row above a
two-row merged header (synonym headers, “家庭情况” over two columns), IDs as
18-digit text and one 15-digit ID, dates as real dates and some typed as
text, blank cells, an empty row in the middle and “合计”/“填表人” rows at the
bottom — plus everything that must survive a write: other sheets, styles,
number formats, data validation, conditional formatting, merged cells, a
frozen pane, defined names, an autofilter, a comment, column widths, a chart,
an image (injected into the chart's drawing; Pillow is not needed), an extra
custom part with a relationship, and for .xlsm a vbaProject.bin.

Everything is built with openpyxl and then patched at zip level where
openpyxl cannot produce the part.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from person_factory import check_char


def id18(region: str, birth: dt.date, seq: str) -> str:
    """A valid 18-digit ID (GB 11643 check character)."""
    body = f"{region}{birth:%Y%m%d}{seq}"
    return body + check_char(body)


def tiny_png(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A valid PNG made with zlib/struct only."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _id_ending_x(region: str, birth: dt.date) -> str:
    for n in range(1000):
        cand = id18(region, birth, f"{n:03d}")
        if cand.endswith("X"):
            return cand
    raise AssertionError("unreachable")


# Ledger rows (Excel rows 5..): (name, id, sex, birth, household size, income, phone,
# registration, unemployment reg. date, minimum allowance, address, note)
PEOPLE = [
    ("张伟", id18("110101", dt.date(1972, 5, 3), "123"), "男", dt.date(1972, 5, 3), 3, 1800.0,
     "13800138000", "城镇", dt.date(2023, 3, 1), "是", "幸福里1号", ""),
    ("李秀英", id18("110102", dt.date(1978, 11, 20), "246"), "女", dt.date(1978, 11, 20), 4, 2500.5,
     "13900139000", "城镇", "2023.04.15", "否", "幸福里2号", "复查"),
    ("王强", "110101750302121", "男", "1975.03.02", 2, None,
     "", "农业", dt.date(2022, 12, 30), "否", "", ""),
    # an empty row follows in the sheet (row 8)
    ("刘芳", id18("110105", dt.date(1985, 1, 9), "048"), "女", dt.date(1985, 1, 9), 1, 0.0,
     "010-66668888", "城镇", dt.date(2024, 1, 2), "是", "光明路8号", ""),
    ("陈静", _id_ending_x("440305", dt.date(1969, 8, 31)), "女", dt.date(1969, 8, 31), 5, 3200.0,
     "13700137000", "农业", dt.date(2021, 6, 18), "否", "光明路9号", "身份证末位X"),
]  # fmt: skip

LEDGER_SHEET = "台账"
FIRST_DATA_ROW = 5
EMPTY_ROW = 8
# Excel row of each PEOPLE entry
PEOPLE_ROWS = [5, 6, 7, 9, 10]
TOTAL_ROW = 11
SIGN_ROW = 12
HEADER_TOP = (
    "序号", "姓名", "身份证号码", "性别", "出生年月", "家庭情况", None, "联系电话",
    "户口性质", "登记失业时间", "是否享受低保", "家庭住址", "备注",
)  # fmt: skip
HEADER_LOW = {6: "家庭人口", 7: "家庭月收入（元）"}
N_COLS = len(HEADER_TOP)  # A..M

VBA_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8  # dummy OLE-looking blob
EXTRA_PART = "customXml/item1.xml"


def _ledger_sheet(ws) -> None:
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_font = Font(name="宋体", bold=True, size=11)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    ws["A1"] = "幸福街道光明社区就业困难人员援助台账"
    ws["A1"].font = Font(name="黑体", size=16, bold=True)
    ws["A1"].alignment = center
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=N_COLS)
    ws["A2"] = "填报单位：光明社区劳动保障站    填报日期：2024年1月    说明：带*为必填项"
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=N_COLS)

    for c, text in enumerate(HEADER_TOP, start=1):
        cell = ws.cell(row=3, column=c, value=text)
        cell.font, cell.fill, cell.border, cell.alignment = head_font, head_fill, border, center
        low = ws.cell(row=4, column=c, value=HEADER_LOW.get(c))
        low.font, low.fill, low.border, low.alignment = head_font, head_fill, border, center
        if c not in HEADER_LOW and text is not None:
            ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.merge_cells("F3:G3")

    for i, (person, r) in enumerate(zip(PEOPLE, PEOPLE_ROWS, strict=True), start=1):
        ws.cell(row=r, column=1, value=i)
        for c, v in enumerate(person, start=2):
            cell = ws.cell(row=r, column=c, value=None if v == "" else v)
            cell.border = border
        ws.cell(row=r, column=3).number_format = "@"
        ws.cell(row=r, column=5).number_format = "yyyy-mm-dd"
        ws.cell(row=r, column=7).number_format = "#,##0.00"
        ws.cell(row=r, column=10).number_format = "yyyy年m月d日"
    ws.cell(row=TOTAL_ROW, column=1, value="合计")
    ws.cell(row=TOTAL_ROW, column=6, value="=SUM(F5:F10)")
    ws.cell(row=SIGN_ROW, column=1, value="填表人：赵敏")
    ws.cell(row=SIGN_ROW, column=2, value="审核人：孙丽")

    widths = {"A": 6, "B": 10, "C": 22, "D": 6, "E": 12, "F": 9, "G": 12, "H": 14, "L": 24, "M": 16}
    for letter, w in widths.items():
        ws.column_dimensions[letter].width = w
    ws.row_dimensions[3].height = 24
    ws.freeze_panes = "C5"
    ws.auto_filter.ref = f"A4:M{PEOPLE_ROWS[-1]}"

    dv = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    dv.error = "请选择是或否"
    ws.add_data_validation(dv)
    dv.add("K5:K200")
    ws.conditional_formatting.add(
        "G5:G200",
        CellIsRule(
            operator="lessThan", formula=["1000"], fill=PatternFill("solid", fgColor="FFC7CE")
        ),
    )
    ws["B5"].comment = Comment("2024年1月新增", "赵敏")

    chart = BarChart()
    chart.title = "家庭人口"
    chart.add_data(Reference(ws, min_col=6, min_row=4, max_row=10), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, min_row=5, max_row=10))
    ws.add_chart(chart, "P3")


def _build(path: Path) -> None:
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "说明"
    notes["A1"] = "本工作簿为光明社区就业援助台账。"
    notes["A2"] = "姓名、身份证号码为必填项；参数表见“参数”工作表。"
    notes["A3"] = "家庭人口"  # a lone header-looking word must not make this sheet the ledger
    ledger = wb.create_sheet(LEDGER_SHEET)
    _ledger_sheet(ledger)
    params = wb.create_sheet("参数")
    params.append(["参数名称", "参数值", "生效日期", "依据"])
    params.append(["最低工资", 2420, dt.date(2023, 9, 1), "京人社发〔2023〕"])
    params.append(["低保标准", 1395, dt.date(2023, 9, 1), "京民发"])
    params.append([None, None, None, None])
    params.append(["公益性岗位补贴", 3000.5, "2024-01-01", None])
    params["B2"].number_format = "0.00"
    wb.defined_names["台账数据"] = DefinedName("台账数据", attr_text=f"'{LEDGER_SHEET}'!$A$4:$M$10")
    wb.save(path)


def _patch(path: Path, *, macro: bool) -> None:
    """Add what openpyxl cannot write: an image, an extra part, a VBA project."""
    with zipfile.ZipFile(path) as z:
        members = [(i, z.read(i.filename)) for i in z.infolist()]
    out: list[tuple[str, bytes]] = []
    names = {i.filename for i, _ in members}
    drawing = next(n for n in names if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n))
    drawing_rels = drawing.replace("drawings/", "drawings/_rels/") + ".rels"
    for info, data in members:
        name = info.filename
        if name == "[Content_Types].xml":
            if b'Extension="png"' not in data:
                data = data.replace(
                    b"<Default ", b'<Default Extension="png" ContentType="image/png"/><Default ', 1
                )
            if macro:
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
                data = data.replace(
                    b"<Default ",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default ',
                    1,
                )
        elif name == drawing:
            pic = (
                "<xdr:twoCellAnchor><xdr:from><xdr:col>16</xdr:col><xdr:colOff>0</xdr:colOff>"
                "<xdr:row>20</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>18</xdr:col>"
                "<xdr:colOff>0</xdr:colOff><xdr:row>24</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
                '<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="99" name="社区印章"/><xdr:cNvPicPr/></xdr:nvPicPr>'
                '<xdr:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:embed="rIdImg1"/>'
                "<a:stretch><a:fillRect/></a:stretch></xdr:blipFill>"
                '<xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic>'
                "<xdr:clientData/></xdr:twoCellAnchor>"
            ).encode()
            if b"xmlns:a=" not in data:
                data = data.replace(
                    b"<xdr:wsDr ",
                    b'<xdr:wsDr xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ',
                    1,
                )
            data = data.replace(b"</xdr:wsDr>", pic + b"</xdr:wsDr>")
        elif name == drawing_rels:
            data = data.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdImg1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="../media/image1.png"/></Relationships>',
            )
        elif name == "xl/_rels/workbook.xml.rels":
            extra = b'<Relationship Id="rIdCx1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml" Target="../customXml/item1.xml"/>'
            if macro:
                extra += b'<Relationship Id="rIdVba1" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
            data = data.replace(b"</Relationships>", extra + b"</Relationships>")
        out.append((name, data))
    out.append(("xl/media/image1.png", tiny_png()))
    out.append((EXTRA_PART, '<?xml version="1.0"?><jyyz 备注="额外部件"/>'.encode()))
    if macro:
        out.append(("xl/vbaProject.bin", VBA_BYTES))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in out:
            z.writestr(name, data)


def clerk_workbook(path: str | Path, *, macro: bool | None = None) -> Path:
    """Build the realistic clerk's workbook at ``path`` (.xlsx or .xlsm)."""
    path = Path(path)
    if macro is None:
        macro = path.suffix.lower() == ".xlsm"
    _build(path)
    _patch(path, macro=macro)
    return path


def simple_workbook(
    path: str | Path,
    rows: list[list[object]],
    *,
    sheet: str = "Sheet1",
    extra_sheets: dict[str, list[list[object]]] | None = None,
    merges: list[str] | None = None,
) -> Path:
    """A plain workbook whose first sheet holds ``rows`` from A1 (None = empty)."""
    path = Path(path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            if v is not None:
                ws.cell(row=r, column=c, value=v)
    for m in merges or []:
        ws.merge_cells(m)
    for name, srows in (extra_sheets or {}).items():
        s = wb.create_sheet(name)
        for row in srows:
            s.append(row)
    wb.save(path)
    return path


def zip_members(path: str | Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}
