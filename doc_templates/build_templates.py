"""Build the three Word templates from code, so every change is a reviewable diff.

    python -m doc_templates.build_templates            # rewrite the .docx files
    python -m doc_templates.build_templates --check    # exit 1 if they are stale

Writes, next to this file:

- ``协议书.docx`` — 接受就业援助协议书 (one per person);
- ``公示.docx``  — 关于拟认定……的公示 (one per batch);
- ``责任书.docx`` — 目标责任书 (one per receiving unit).

The templates are ordinary Word documents with docxtpl/Jinja tags
(``{{ … }}``, ``{%p … %}`` paragraph tags, ``{%tr … %}`` table-row tags); a
clerk may open and restyle them in Word.  Every placeholder is listed in
``doc_templates/README.md``.

Layout follows GB/T 9704-2012 (党政机关公文格式): A4; margins top 37 mm,
left (binding) 28 mm, right 26 mm, bottom 35 mm, i.e. a 156 × 225 mm text
block; body 3号 (16 pt) 仿宋_GB2312, 22 lines of 28 characters (exact line
spacing 28.95 pt on a 22-line document grid, body condensed 0.25 pt a
character so 28 fit a line); title 2号 (22 pt)
方正小标宋简体; headings "一、" 黑体 and "（一）" 楷体_GB2312; page numbers
"— 1 —" in 4号 宋体, odd pages right and even pages left.  Chinese fonts are
set as East Asian fonts (``w:rFonts w:eastAsia``); the font table names the
fallbacks Word should look for (``w:altName``: 仿宋, 宋体, 楷体 …) when an
office machine lacks the GB2312 fonts.

The build is deterministic: fixed core properties and fixed zip timestamps,
so rebuilding an unchanged template gives the same parts.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

HERE = Path(__file__).resolve().parent

AGREEMENT_FILE = "协议书.docx"
NOTICE_FILE = "公示.docx"
LETTER_FILE = "责任书.docx"

# ---------------------------------------------------------------- layout
PAGE_W_MM, PAGE_H_MM = 210, 297
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
FOOTER_MM = 24.7  # bottom edge of the page number ≈ 7 mm under the text block
HEADER_MM = 15
LINE_PITCH = 579  # twips = 28.95 pt; 22 lines in 225 mm
CHARS_PER_LINE = 28
BODY_HALF_PT = 32  # 3号 = 16 pt
TITLE_HALF_PT = 44  # 2号 = 22 pt
PAGE_NUM_HALF_PT = 28  # 4号 = 14 pt
TABLE_HALF_PT = 28  # 4号 in tables
TWIPS_PER_MM = 1440 / 25.4


def _twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


TEXT_WIDTH_TWIPS = _twips(PAGE_W_MM) - _twips(LEFT_MM) - _twips(RIGHT_MM)
# 28 characters of 16 pt (448 pt) do not fit a 156 mm (442.2 pt) line: the
# body is condensed by 0.25 pt a character (w:spacing in twentieths of a
# point) so that exactly 28 fit, in Word and in LibreOffice alike.  A
# ``linesAndChars`` character grid would do the same in Word, but LibreOffice
# lays such a grid out with double-width cells and taller lines (14 characters
# × 15 lines a page), so the grid is a line grid only (22 lines a page).
CHAR_SPACING = -5
# Body paragraphs are aligned left, not justified: LibreOffice, justifying a line of
# 28 condensed characters, does not paint the punctuation that hangs at its end
# (“各执一份，” printed as “各执一份”).  Chinese text of equal-width characters
# looks the same either way; Word and LibreOffice both let “，。、” hang.
BODY_ALIGN = "left"
assert CHARS_PER_LINE * (BODY_HALF_PT / 2 + CHAR_SPACING / 20) * 20 <= TEXT_WIDTH_TWIPS

# ---------------------------------------------------------------- fonts
# East Asian font names Word looks for, with the fallbacks it may use.
FANGSONG = "仿宋_GB2312"
XBS = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
LATIN = "Times New Roman"

FONT_TABLE = (
    # name, altName (comma-separated fallbacks), panose, family, pitch
    (FANGSONG, "仿宋,FangSong,FangSong_GB2312", "02010609030101010101", "modern", "fixed"),
    ("仿宋", "FangSong", "02010609060101010101", "modern", "fixed"),
    (XBS, "宋体,SimSun,FZXiaoBiaoSong-B05S", "02000000000000000000", "auto", "variable"),
    (HEITI, "SimHei", "02010609060101010101", "modern", "fixed"),
    (KAITI, "楷体,KaiTi,KaiTi_GB2312", "02010609030101010101", "modern", "fixed"),
    ("楷体", "KaiTi", "02010609060101010101", "modern", "fixed"),
    (SONGTI, "SimSun", "02010600030101010101", "auto", "variable"),
)


def _rfonts(east: str, west: str = LATIN) -> str:
    return (
        f'<w:rFonts w:ascii="{west}" w:hAnsi="{west}" w:eastAsia="{east}" '
        f'w:cs="{west}" w:hint="eastAsia"/>'
    )


def _rpr(east: str, half_pt: int, west: str = LATIN, bold: bool = False, spacing: int = 0) -> str:
    b = "<w:b/><w:bCs/>" if bold else ""
    sp = f'<w:spacing w:val="{spacing}"/>'
    return (
        f'<w:rPr>{_rfonts(east, west)}{b}{sp}<w:kern w:val="2"/>'
        f'<w:sz w:val="{half_pt}"/><w:szCs w:val="{half_pt}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr>'
    )


_BODY_SPACING = f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>'
_TABLE_SPACING = '<w:spacing w:before="0" w:after="0" w:line="400" w:lineRule="exact"/>'
_INDENT_2 = '<w:ind w:firstLineChars="200" w:firstLine="640"/>'
_NO_INDENT = '<w:ind w:firstLineChars="0" w:firstLine="0"/>'


def _pstyle(style_id, name, ppr, rpr, based_on="Normal", next_id="Normal", outline=None):
    outline_xml = f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else ""
    return (
        f'<w:style {nsdecls("w")} w:type="paragraph" w:customStyle="1" w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="{based_on}"/><w:next w:val="{next_id}"/>'
        f"<w:qFormat/><w:pPr>{ppr}{outline_xml}</w:pPr>{rpr}</w:style>"
    )


# (styleId, Chinese name, pPr, rPr, outline level)
PARAGRAPH_STYLES = (
    (
        "GWTitle",
        "公文标题",
        f'<w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" '
        f'w:line="{LINE_PITCH}" w:lineRule="exact"/>{_NO_INDENT}<w:jc w:val="center"/>',
        _rpr(XBS, TITLE_HALF_PT, west=XBS),
        None,
    ),
    (
        "GWH1",
        "一级标题",
        f"<w:keepNext/>{_INDENT_2}",
        _rpr(HEITI, BODY_HALF_PT, spacing=CHAR_SPACING),
        0,
    ),
    (
        "GWH2",
        "二级标题",
        f"<w:keepNext/>{_INDENT_2}",
        _rpr(KAITI, BODY_HALF_PT, spacing=CHAR_SPACING),
        1,
    ),
    ("GWNoIndent", "顶格正文", f'{_NO_INDENT}<w:jc w:val="left"/>', "", None),
    ("GWNumber", "文书编号", f'{_NO_INDENT}<w:jc w:val="right"/>', "", None),
    (
        "GWSignOff",
        "落款",
        '<w:ind w:firstLineChars="0" w:firstLine="0" w:rightChars="400" w:right="1280"/>'
        '<w:jc w:val="right"/>',
        "",
        None,
    ),
    (
        "GWTable",
        "表格文字",
        f'<w:snapToGrid w:val="0"/>{_TABLE_SPACING}{_NO_INDENT}<w:jc w:val="center"/>',
        _rpr(FANGSONG, TABLE_HALF_PT),
        None,
    ),
    (
        "GWTableLeft",
        "表格文字左对齐",
        f'<w:snapToGrid w:val="0"/>{_TABLE_SPACING}{_NO_INDENT}<w:jc w:val="left"/>',
        _rpr(FANGSONG, TABLE_HALF_PT),
        None,
    ),
    (
        "GWTableSmall",
        "表格文字小四",
        f'<w:snapToGrid w:val="0"/>{_TABLE_SPACING}{_NO_INDENT}<w:jc w:val="center"/>',
        _rpr(FANGSONG, 24),
        None,
    ),
    (
        "GWTableSmallLeft",
        "表格文字小四左对齐",
        f'<w:snapToGrid w:val="0"/>{_TABLE_SPACING}{_NO_INDENT}<w:jc w:val="left"/>',
        _rpr(FANGSONG, 24),
        None,
    ),
    (
        "GWGap",
        "表间空行",
        '<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="120" '
        f'w:lineRule="exact"/>{_NO_INDENT}',
        _rpr(FANGSONG, 8),
        None,
    ),
    (
        "GWTableHead",
        "表头",
        f'<w:snapToGrid w:val="0"/>{_TABLE_SPACING}{_NO_INDENT}<w:jc w:val="center"/>',
        _rpr(HEITI, TABLE_HALF_PT),
        None,
    ),
    ("GWSign", "签署栏", f'{_NO_INDENT}<w:jc w:val="left"/>', "", None),
)

CHARACTER_STYLES = (("GWKai", "楷体字符", _rpr(KAITI, BODY_HALF_PT, spacing=CHAR_SPACING)),)

PAGE_NUMBER_STYLE = (
    f'<w:style {nsdecls("w")} w:type="paragraph" w:customStyle="1" w:styleId="GWPageNum">'
    '<w:name w:val="页码"/><w:basedOn w:val="Normal"/><w:qFormat/>'
    '<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" '
    f'w:lineRule="auto"/>{_NO_INDENT}</w:pPr>'
    f"{_rpr(SONGTI, PAGE_NUM_HALF_PT, west=SONGTI)}</w:style>"
)

KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "TableGrid", "NoList"}


def _setup_styles(document) -> None:
    styles = document.styles.element
    # Document defaults: explicit East Asian font, no theme fonts (a theme
    # attribute would win over the explicit name).
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    for child in list(rpr_default):
        rpr_default.remove(child)
    rpr_default.append(
        parse_xml(_rpr(FANGSONG, BODY_HALF_PT).replace("<w:rPr>", f"<w:rPr {nsdecls('w')}>", 1))
    )
    ppr_default = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault"))
    if ppr_default is not None:
        for child in list(ppr_default):
            ppr_default.remove(child)
        ppr_default.append(parse_xml(f"<w:pPr {nsdecls('w')}>{_BODY_SPACING}</w:pPr>"))
    # Drop latent styles and every style we do not use (smaller, faster files).
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    for st in list(styles.findall(qn("w:style"))):
        if st.get(qn("w:styleId")) not in KEEP_STYLES:
            styles.remove(st)
    normal = next(s for s in styles.findall(qn("w:style")) if s.get(qn("w:styleId")) == "Normal")
    for child in list(normal):
        if child.tag in (qn("w:pPr"), qn("w:rPr")):
            normal.remove(child)
    normal.append(
        parse_xml(
            f"<w:pPr {nsdecls('w')}><w:widowControl/>{_BODY_SPACING}"
            f'{_INDENT_2}<w:jc w:val="{BODY_ALIGN}"/></w:pPr>'
        )
    )
    normal.append(
        parse_xml(
            _rpr(FANGSONG, BODY_HALF_PT, spacing=CHAR_SPACING).replace(
                "<w:rPr>", f"<w:rPr {nsdecls('w')}>", 1
            )
        )
    )
    for st in styles.findall(qn("w:style")):
        for ref in ("w:link", "w:next", "w:basedOn"):
            el = st.find(qn(ref))
            if el is not None and el.get(qn("w:val")) not in KEEP_STYLES:
                st.remove(el)
    for style_id, name, ppr, rpr, outline in PARAGRAPH_STYLES:
        styles.append(parse_xml(_pstyle(style_id, name, ppr, rpr, outline=outline)))
    styles.append(parse_xml(PAGE_NUMBER_STYLE))
    for style_id, name, rpr in CHARACTER_STYLES:
        styles.append(
            parse_xml(
                f'<w:style {nsdecls("w")} w:type="character" w:customStyle="1" '
                f'w:styleId="{style_id}"><w:name w:val="{name}"/>'
                f'<w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/>{rpr}</w:style>'
            )
        )


def _font_table_xml() -> bytes:
    fonts = [
        f'<w:font w:name="{LATIN}"><w:panose1 w:val="02020603050405020304"/>'
        '<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
    ]
    for name, alt, panose, family, pitch in FONT_TABLE:
        fonts.append(
            f'<w:font w:name="{name}"><w:altName w:val="{alt}"/>'
            f'<w:panose1 w:val="{panose}"/><w:charset w:val="86"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        )
    xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f"<w:fonts {nsdecls('w', 'r')}>{''.join(fonts)}</w:fonts>"
    )
    return xml.encode("utf-8")


def _setup_package(document) -> None:
    part = document.part
    for rid, rel in list(part.rels.items()):
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind in ("stylesWithEffects", "customXml", "webSettings", "numbering"):
            part.drop_rel(rid)
        elif kind == "fontTable":
            rel.target_part._blob = _font_table_xml()
    pkg_rels = part.package.rels
    for rid, rel in list(pkg_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del pkg_rels[rid]
    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    for tag in ("w:rsids", "w:proofState", "w:attachedTemplate"):
        el = settings.find(qn(tag))
        if el is not None:
            settings.remove(el)
    document.settings.odd_and_even_pages_header_footer = True
    # No doc id: it would differ between builds in Word, and is not needed.
    for el in settings.findall("{http://schemas.microsoft.com/office/word/2010/wordml}docId"):
        settings.remove(el)


# ---------------------------------------------------------------- section
def _page_number_paragraph(odd: bool) -> str:
    if odd:
        ppr = '<w:pStyle w:val="GWPageNum"/><w:ind w:right="320"/><w:jc w:val="right"/>'
    else:
        ppr = '<w:pStyle w:val="GWPageNum"/><w:ind w:left="320"/><w:jc w:val="left"/>'
    rpr = f'<w:rPr>{_rfonts(SONGTI, SONGTI)}<w:sz w:val="{PAGE_NUM_HALF_PT}"/><w:szCs w:val="{PAGE_NUM_HALF_PT}"/></w:rPr>'
    return (
        f"<w:p {nsdecls('w')}><w:pPr>{ppr}</w:pPr>"
        f'<w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{rpr}<w:t>1</w:t></w:r>"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r></w:p>'
    )


def _setup_section(document) -> None:
    section = document.sections[0]
    section.page_width = Mm(PAGE_W_MM)
    section.page_height = Mm(PAGE_H_MM)
    section.top_margin = Mm(TOP_MM)
    section.bottom_margin = Mm(BOTTOM_MM)
    section.left_margin = Mm(LEFT_MM)
    section.right_margin = Mm(RIGHT_MM)
    section.header_distance = Mm(HEADER_MM)
    section.footer_distance = Mm(FOOTER_MM)
    section.gutter = Mm(0)
    sect = section._sectPr
    for attr in ("w:rsidR", "w:rsidRPr", "w:rsidSect"):
        sect.attrib.pop(qn(attr), None)
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        ftr = footer._element
        for child in list(ftr):
            ftr.remove(child)
        ftr.append(parse_xml(_page_number_paragraph(odd)))
    # Page numbers restart at 1 in every section (one section per document
    # in a merged print file).
    pg_num = parse_xml(f'<w:pgNumType {nsdecls("w")} w:fmt="decimal" w:start="1"/>')
    cols = sect.find(qn("w:cols"))
    cols.addprevious(pg_num)
    grid = sect.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))


TBLPR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription"
).split()


def _schema_order(el, order) -> None:
    """Sort children of ``el`` into the order the OOXML schema requires."""
    rank = {qn(f"w:{n}"): i for i, n in enumerate(order)}
    children = list(el)
    children.sort(key=lambda c: rank.get(c.tag, len(rank)))
    for c in children:
        el.append(c)


# ---------------------------------------------------------------- content helpers
class Builder:
    """Thin helpers over python-docx for the three templates."""

    def __init__(self, title: str):
        self.doc = docx.Document()
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        _setup_styles(self.doc)
        _setup_package(self.doc)
        _setup_section(self.doc)
        self.title = title

    def p(self, *parts, style: str | None = None):
        """A paragraph; ``parts`` are strings or (text, character-style-id)."""
        para = self.doc.add_paragraph()
        if style:
            para.style = self.doc.styles.get_by_id(style, WD_STYLE_TYPE.PARAGRAPH)
        for part in parts:
            if isinstance(part, tuple):
                text, cstyle = part
                run = para.add_run(text)
                run.style = self.doc.styles.get_by_id(cstyle, WD_STYLE_TYPE.CHARACTER)
            else:
                para.add_run(part)
        return para

    def tag(self, text: str):
        """A paragraph holding only a docxtpl ``{%p … %}`` tag (removed when rendered)."""
        return self.p(text, style="GWNoIndent")

    def blank(self):
        return self.p("", style="GWNoIndent")

    def table(self, widths_mm, rows, *, header_rows=1, borders=True, styles=None):
        """A table; ``rows`` are lists of cell texts; widths in mm (sum 156)."""
        ncols = len(widths_mm)
        tbl = self.doc.add_table(rows=len(rows), cols=ncols)
        if borders:
            tbl.style = self.doc.styles.get_by_id("TableGrid", WD_STYLE_TYPE.TABLE)
        tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
        tbl.autofit = False
        widths = [_twips(w) for w in widths_mm]
        tbl_pr = tbl._tbl.tblPr
        if tbl_pr.find(qn("w:tblLayout")) is None:
            tbl_pr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
        tbl_pr.append(
            parse_xml(
                f'<w:tblCellMar {nsdecls("w")}><w:left w:w="57" w:type="dxa"/>'
                '<w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
            )
        )
        tblw = tbl_pr.find(qn("w:tblW"))
        if tblw is None:
            tblw = parse_xml(f"<w:tblW {nsdecls('w')}/>")
            tbl_pr.append(tblw)
        tblw.set(qn("w:w"), str(sum(widths)))
        tblw.set(qn("w:type"), "dxa")
        _schema_order(tbl_pr, TBLPR_ORDER)
        for col, w in zip(tbl._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
            col.set(qn("w:w"), str(w))
        for r, (row, values) in enumerate(zip(tbl.rows, rows, strict=True)):
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
            if r < header_rows:
                tr_pr.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
            for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                tc_pr = cell._tc.get_or_add_tcPr()
                tcw = tc_pr.find(qn("w:tcW"))
                if tcw is None:
                    tcw = parse_xml(f"<w:tcW {nsdecls('w')}/>")
                    tc_pr.append(tcw)
                tcw.set(qn("w:w"), str(widths[c]))
                tcw.set(qn("w:type"), "dxa")
                tc_pr.append(parse_xml(f'<w:vAlign {nsdecls("w")} w:val="center"/>'))
                para = cell.paragraphs[0]
                if styles is not None:
                    style = styles[r][c] if isinstance(styles[r], list | tuple) else styles[r]
                else:
                    style = "GWTableHead" if r < header_rows else "GWTable"
                para.style = self.doc.styles.get_by_id(style, WD_STYLE_TYPE.PARAGRAPH)
                if value:
                    para.add_run(value)
        return tbl

    @staticmethod
    def keep(para, lines: bool = True):
        """Keep ``para`` on the page of what follows (GB/T 9704 7.3.5: no page
        holding only the signature), and its lines together."""
        para.paragraph_format.keep_with_next = True
        if lines:
            para.paragraph_format.keep_together = True
        return para

    @staticmethod
    def together(para):
        """Keep the lines of ``para`` on one page: a clause and the citation of its
        basis at its end are never parted (no page starts with a lone 依据 line)."""
        para.paragraph_format.keep_together = True
        return para

    def signature_table(self, left: list[str], right: list[str]):
        """The signature/seal/date block: a table whose rows cannot split
        (``cantSplit``) and are kept together, each party's lines as paragraphs
        of its cell, so the block is never divided between pages; the paragraphs
        before it are kept with it (:meth:`keep`).  The last line of each party
        (the date) is a row of its own, so both dates stand on one line however
        many lines a party's name takes."""
        tbl = self.table(
            [78, 78],
            [["", ""], ["", ""]],
            header_rows=0,
            borders=False,
            styles=["GWSign", "GWSign"],
        )
        for r, part in enumerate((slice(None, -1), slice(-1, None))):
            for cell, lines in zip(tbl.rows[r].cells, (left[part], right[part]), strict=True):
                cell._tc.tcPr.find(qn("w:vAlign")).set(qn("w:val"), "top")  # both parties line up
                first = cell.paragraphs[0]
                first.add_run(lines[0])
                for line in lines[1:]:
                    para = cell.add_paragraph(line)
                    para.style = self.doc.styles.get_by_id("GWSign", WD_STYLE_TYPE.PARAGRAPH)
                # every line but the very last keeps with the next: the rows stay together
                for para in cell.paragraphs[: -1 if r == 1 else None]:
                    para.paragraph_format.keep_with_next = True
        return tbl

    def sign_block(self, lines: list[str]):
        """The signature block as one column: a borderless one-cell table whose row
        cannot split, each line a paragraph kept with the next (GB/T 9704 7.3.5)."""
        tbl = self.table([156], [[""]], header_rows=0, borders=False, styles=["GWSign"])
        cell = tbl.rows[0].cells[0]
        cell.paragraphs[0].add_run(lines[0])
        for line in lines[1:]:
            para = cell.add_paragraph(line)
            para.style = self.doc.styles.get_by_id("GWSign", WD_STYLE_TYPE.PARAGRAPH)
        for para in cell.paragraphs[:-1]:
            para.paragraph_format.keep_with_next = True
        return tbl

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return normalise_zip(buf.getvalue(), {"docProps/core.xml": _core_xml(self.title)})


def _core_xml(title: str) -> bytes:
    """Fixed document properties, written directly: python-docx's own writer
    produces a wrong namespace once docxcompose (imported by docxtpl) has
    overwritten ``docx.oxml.ns.nsmap["cp"]``."""
    from xml.sax.saxutils import escape

    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>jyyz</dc:creator>"
        "<cp:keywords>就业援助</cp:keywords>"
        "<dc:description>由 doc_templates/build_templates.py 生成；修改版式请改脚本后重新生成。</dc:description>"
        "<cp:lastModifiedBy>jyyz</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:modified>'
        "<cp:category>公文模板</cp:category></cp:coreProperties>"
    ).encode()


FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def normalise_zip(data: bytes, replace: dict[str, bytes] | None = None) -> bytes:
    """Rewrite a .docx with fixed timestamps and order so builds are reproducible
    (``replace``: parts to substitute)."""
    replace = replace or {}
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        first = ["[Content_Types].xml"] if "[Content_Types].xml" in names else []
        for name in first + sorted(n for n in names if n not in first):
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, replace[name] if name in replace else src.read(name))
    return out.getvalue()


def _n(h: str) -> str:
    """A heading numeral placeholder."""
    return "{{ " + h + " }}、"


# ---------------------------------------------------------------- 协议书
def build_agreement() -> bytes:
    b = Builder("接受就业援助协议书")
    b.p("编号：{{ number }}", style="GWNumber")
    b.p("接受就业援助协议书{{ title_mark }}", style="GWTitle")
    b.blank()
    b.p("甲方（援助方）：{{ a_name }}", style="GWNoIndent")
    b.p("地址：{{ a_address }}", style="GWNoIndent")
    b.p("联系电话：{{ a_phone }}", style="GWNoIndent")
    b.p("乙方（受援助方）：{{ b_name }}　　性别：{{ b_sex }}", style="GWNoIndent")
    b.p("公民身份号码：{{ b_id }}", style="GWNoIndent")
    b.p("家庭住址：{{ b_address }}", style="GWNoIndent")
    b.p("联系电话：{{ b_phone }}", style="GWNoIndent")
    b.p("所在社区：{{ b_community }}", style="GWNoIndent")
    b.p("认定类别：{{ b_category }}", style="GWNoIndent")
    b.p("援助责任人：{{ officer }}", style="GWNoIndent")
    b.p("援助责任人联系电话：{{ officer_phone }}", style="GWNoIndent")
    b.p(
        "为{{ purpose }}，根据{{ basis }}的规定，甲乙双方本着自愿、平等、"
        "诚信的原则，就甲方向乙方提供就业援助事宜，签订本协议。"
    )
    b.p("一、援助内容和措施", style="GWH1")
    b.p(
        "甲方根据乙方的认定类别、技能状况和就业意愿，为乙方制订就业援助计划，"
        "由援助责任人负责落实以下援助内容和措施："
    )
    b.tag("{%p for m in measures %}")
    b.together(b.p(("{{ m.head }}", "GWKai"), "{{ m.text }}。{{ m.cite }}"))
    b.tag("{%p endfor %}")
    b.tag("{%p if subsidies %}")
    b.p(_n("h_subsidy") + "扶持政策和补贴", style="GWH1")
    b.p("乙方符合条件的，按规定享受下列扶持政策和补贴，补贴金额和期限以经办机构审核确认为准：")
    b.tag("{%p for s in subsidies %}")
    b.together(b.p(("{{ s.no }}{{ s.name }}。", "GWKai"), "{{ s.text }}{{ s.cite }}"))
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.p(_n("h_obligations") + "乙方义务", style="GWH1")
    b.tag("{%p for o in obligations %}")
    b.together(b.p("{{ o.no }}{{ o.text }}。{{ o.cite }}"))
    b.tag("{%p endfor %}")
    b.tag("{%p if duties %}")
    b.p(_n("h_duties") + "甲方责任", style="GWH1")
    b.tag("{%p for o in duties %}")
    b.together(b.p("{{ o.no }}{{ o.text }}。{{ o.cite }}"))
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.p(_n("h_term") + "协议期限", style="GWH1")
    b.p("{{ term }}")
    # Clauses of real agreement forms (rights, change and termination in writing,
    # supervision): plain template text the office may edit in Word.
    b.p(_n("h_rights") + "双方权利", style="GWH1")
    b.p(
        "甲方有权了解乙方的就业、失业状况和参加援助活动的情况；乙方无正当理由不履行本协议"
        "义务的，甲方可以按规定停止提供相应援助。"
    )
    b.p(
        "乙方有权按本协议享受援助措施和扶持政策，了解援助工作的进展，对甲方的援助工作"
        "提出意见和建议。"
    )
    b.p(_n("h_change") + "协议的变更、解除和终止", style="GWH1")
    b.p(
        "本协议内容需要变更的，经双方协商一致，以书面形式变更。乙方不再符合援助条件或者"
        "无正当理由不履行义务的，甲方可以书面通知乙方解除本协议；乙方可以书面通知甲方解除"
        "本协议。协议期满或者乙方依照规定不再作为援助对象的，本协议终止。"
    )
    b.p(_n("h_other") + "其他", style="GWH1")
    b.keep(
        b.p(
            "本协议未尽事宜，由甲乙双方协商解决；国家和省、市出台新规定的，按新规定执行。"
            "乙方对援助工作有意见的，可以向甲方反映，也可以拨打监督电话{{ complaint_phone }}。"
            "本协议一式{{ copies }}份，甲乙双方各执一份{% if copies_extra %}，"
            "其余{{ copies_extra }}份报{{ filing }}备案{% endif %}。"
        )
    )
    b.keep(b.blank())
    # One column: the seal holder's name on one line with its label (never broken
    # inside a word); the person's date left blank for the person to write.
    b.sign_block(
        [
            "甲方（盖章）：{{ a_seal }}",
            "负责人（签字）：{{ a_head }}",
            "援助责任人（签字）：",
            "日期：{{ sign_date }}",
            "",
            "乙方（签字）：",
            "日期：　　　　年　　月　　日",
        ]
    )
    return b.to_bytes()


# ---------------------------------------------------------------- 公示
def _notice_table(b: Builder, with_id: bool):
    if with_id:
        widths = [14, 20, 10, 10, 34, 30, 38]
        head = ["序号", "姓名", "性别", "年龄", "社区", "认定类别", "公民身份号码（部分隐去）"]
        row = [
            "{{ r.seq }}",
            "{{ r.name }}",
            "{{ r.sex }}",
            "{{ r.age }}",
            "{{ r.community }}",
            "{{ r.category }}",
            "{{ r.masked_id }}",
        ]
    else:
        # 社区 wide enough for a six-character name on one line (“东七里站社区”)
        widths = [17, 27, 12, 12, 40, 48]
        head = ["序号", "姓名", "性别", "年龄", "社区", "认定类别"]
        row = [
            "{{ r.seq }}",
            "{{ r.name }}",
            "{{ r.sex }}",
            "{{ r.age }}",
            "{{ r.community }}",
            "{{ r.category }}",
        ]
    n = len(widths)
    data_styles = ["GWTable"] * n
    if with_id:
        data_styles[-1] = "GWTableSmall"  # 18 digits in 小四 fit the column
    b.table(
        widths,
        [
            head,
            ["{%tr for r in g.rows %}"] + [""] * (n - 1),
            row,
            ["{%tr endfor %}"] + [""] * (n - 1),
        ],
        styles=["GWTableHead", "GWTable", data_styles, "GWTable"],
    )


def build_notice() -> bytes:
    b = Builder("公示")
    b.tag("{%p if number %}")
    b.p("{{ number }}", style="GWNumber")
    b.tag("{%p endif %}")
    b.p("关于拟认定{{ title_subject }}的公示", style="GWTitle")
    b.blank()
    b.p(
        "根据{{ basis }}的规定，经本人申请、社区登记和审核，现将拟认定为{{ subject }}的"
        "{{ count }}名人员名单予以公示（见下表）。"
    )
    # Short tables (a community each, cut every 25 rows; header rows repeat):
    # one huge table lays out superlinearly in LibreOffice.
    b.tag("{%p for g in groups %}")
    b.tag("{%p if g.head %}")
    b.keep(b.p("{{ g.head }}", style="GWH2"))
    b.tag("{%p endif %}")
    b.tag("{%p if show_masked_id %}")
    _notice_table(b, with_id=True)
    b.tag("{%p else %}")
    _notice_table(b, with_id=False)
    b.tag("{%p endif %}")
    b.p("", style="GWGap")
    b.tag("{%p endfor %}")
    b.p("公示期为{{ workdays }}个工作日，自{{ start }}起至{{ end }}止。")
    b.p(
        "公示期间，任何单位和个人对公示人员有异议的，可以书面、电话或当面向"
        "{{ obj_name }}反映（联系电话：{{ obj_phone }}；地址：{{ obj_address }}）。"
        "反映情况应当实事求是；以个人名义反映的，请提供本人真实姓名和联系方式，"
        "我们将为反映人保密。"
    )
    b.keep(b.p("公示期满无异议或者异议经核查不成立的，按程序报{{ certifier }}认定。"))
    b.keep(b.p("经办人：{{ handler }}　　联系电话：{{ obj_phone }}"))
    b.keep(b.blank())
    b.keep(b.blank())
    b.keep(b.p("{{ issuer }}", style="GWSignOff"))
    b.p("{{ issue_date }}", style="GWSignOff")
    return b.to_bytes()


# ---------------------------------------------------------------- 责任书
def build_letter() -> bytes:
    b = Builder("就业援助工作目标责任书")
    b.p("编号：{{ number }}", style="GWNumber")
    b.p("{{ year }}年度就业援助工作目标责任书", style="GWTitle")
    b.blank()
    b.p("甲方：{{ issuer_name }}", style="GWNoIndent")
    b.p("乙方：{{ receiver_name }}", style="GWNoIndent")
    b.p(
        "为贯彻落实{{ basis }}，明确{{ year }}年度就业援助工作目标和责任，"
        "确保各项援助措施落实到位，经甲乙双方商定，签订本责任书。"
    )
    b.p("一、目标任务", style="GWH1")
    b.p("{{ year }}年度，乙方完成以下目标任务。目标数根据乙方就业援助台账核定：")
    # 小四 in the rows; 完成时限 fits "2027年12月31日前" on one line.
    widths = [12, 36, 18, 46, 44]
    b.table(
        widths,
        [
            ["序号", "目标项目", "目标数", "完成时限", "说明"],
            ["{%tr for t in targets %}", "", "", "", ""],
            ["{{ t.seq }}", "{{ t.name }}", "{{ t.value }}", "{{ t.deadline }}", "{{ t.note }}"],
            ["{%tr endfor %}", "", "", "", ""],
        ],
        styles=[
            "GWTableHead",
            "GWTable",
            [
                "GWTableSmall",
                "GWTableSmallLeft",
                "GWTableSmall",
                "GWTableSmall",
                "GWTableSmallLeft",
            ],
            "GWTable",
        ],
    )
    b.tag("{%p for n in target_notes %}")
    b.p("{{ n }}")
    b.tag("{%p endfor %}")
    b.p("二、工作职责", style="GWH1")
    b.tag("{%p for d in duties %}")
    b.together(b.p("{{ d.no }}{{ d.text }}。{{ d.cite }}"))
    b.tag("{%p endfor %}")
    b.tag("{%p if pairings %}")
    b.p("三、结对帮扶", style="GWH1")
    b.p("乙方将援助对象落实到户、责任到人，帮扶责任人名单如下：")
    b.table(
        [16, 52, 44, 44],
        [
            ["序号", "帮扶家庭", "社区", "帮扶责任人"],
            ["{%tr for x in pairings %}", "", "", ""],
            ["{{ x.seq }}", "{{ x.household }}", "{{ x.community }}", "{{ x.cadre }}"],
            ["{%tr endfor %}", "", "", ""],
        ],
    )
    b.tag("{%p endif %}")
    b.tag("{%p if assessment %}")
    b.p(_n("h_assess") + "考核与奖惩", style="GWH1")
    b.tag("{%p for d in assessment %}")
    b.together(b.p("{{ d.no }}{{ d.text }}。{{ d.cite }}"))
    b.tag("{%p endfor %}")
    b.p(
        "甲方于{{ year }}年7月上旬对乙方上半年目标完成情况进行检查，{{ next_year }}年1月"
        "对全年目标完成情况进行考核。考核结果予以通报，作为评先评优和安排下一年度工作经费"
        "的依据；未完成目标任务的，由甲方督促整改。"
    )
    b.tag("{%p endif %}")
    b.p(_n("h_term") + "责任期限", style="GWH1")
    b.keep(
        b.p(
            # one rule for when it takes effect: the year's first day, or the day
            # both sides sign and seal when that is later
            "本责任书期限自{{ start }}起至{{ end }}止，双方签字盖章晚于{{ start }}的，"
            "自签字盖章之日起至{{ end }}止。本责任书一式{{ copies }}份，"
            "甲乙双方各执一份{% if copies_extra %}，其余{{ copies_extra }}份报上级"
            "劳动保障部门备案{% endif %}。"
        )
    )
    b.keep(b.blank())
    b.sign_block(
        [
            "甲方（盖章）：{{ issuer_seal }}",
            "负责人（签字）：",
            "日期：{{ sign_date }}",
            "",
            "乙方（盖章）：{{ receiver_name }}",
            "负责人（签字）：",
            "日期：　　　　年　　月　　日",
        ]
    )
    return b.to_bytes()


BUILDERS = {
    AGREEMENT_FILE: build_agreement,
    NOTICE_FILE: build_notice,
    LETTER_FILE: build_letter,
}


def parts_of(data: bytes) -> dict[str, bytes]:
    """Uncompressed parts of a .docx, for comparing builds."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def build_all(out_dir: Path = HERE) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, fn in BUILDERS.items():
        path = out_dir / name
        path.write_bytes(fn())
        paths.append(path)
    return paths


def stale_templates(directory: Path = HERE) -> list[str]:
    """Names of committed templates whose parts differ from a fresh build."""
    stale = []
    for name, fn in BUILDERS.items():
        path = Path(directory) / name
        if not path.exists() or parts_of(path.read_bytes()) != parts_of(fn()):
            stale.append(name)
    return stale


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="生成协议书、公示、责任书三个 Word 模板")
    ap.add_argument("--check", action="store_true", help="只检查已提交的模板是否与脚本一致")
    ap.add_argument("--out", type=Path, default=HERE, help="输出目录（默认本目录）")
    args = ap.parse_args(argv)
    if args.check:
        stale = stale_templates(args.out)
        if stale:
            print("以下模板与 build_templates.py 不一致，请重新生成：" + "、".join(stale))
            return 1
        print("模板与脚本一致。")
        return 0
    for path in build_all(args.out):
        print(f"已生成 {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
