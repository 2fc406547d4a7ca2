"""The one-page summary of a statistics report, for the 通报 (GB/T 9704-2012 layout).

Same page, margins and fonts as the other papers (doc_templates.build_templates):
A4, 天头 37 mm, 订口 28 mm; title 2号 方正小标宋简体, body 3号 仿宋_GB2312 at a fixed
line pitch; a table of the key figures and one chart image (matplotlib, drawn
with an installed CJK font).  The counting itself is :mod:`calc.stats`; this
module only says the figures in words.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from calc import stats
from calc.safe_files import safe_replace
from doc_templates.build_templates import (
    BOTTOM_MM,
    FANGSONG,
    HEITI,
    LATIN,
    LEFT_MM,
    PAGE_H_MM,
    PAGE_W_MM,
    RIGHT_MM,
    TOP_MM,
    XBS,
)
from doc_templates.formatting import fmt_date

#: Key figures of the paper: (item of calc.stats figures, how the sentence names it).
KEY_ITEMS = (
    ("台账人数", "台账在册"),
    ("认定结论：符合", "符合就业援助条件"),
    ("本期新认定", "本期新认定"),
    ("本期实现就业合计", "本期实现就业"),
    ("零就业家庭（户）", "零就业家庭（户）"),
    ("本期动态清零（户）", "本期动态清零（户）"),
    ("认定结论：待核实", "待核实"),
)


def _font(run, east: str, size_pt: float, bold: bool = False) -> None:
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    run.font.name = LATIN
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east)


def _para(
    doc, text: str, east: str = FANGSONG, size: float = 16, *, center=False, bold=False, indent=True
):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(28.95)
    fmt.space_before = fmt.space_after = Pt(0)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        fmt.first_line_indent = Pt(size * 2)
    _font(p.add_run(text), east, size, bold)
    return p


def _value(rep: stats.Report, item: str) -> int:
    for (_sec, it), row in rep.figures.iterrows():
        if it == item:
            return int(row[stats.TOTAL])
    return 0


def chart_png(rep: stats.Report) -> bytes:
    """A bar chart of the period's employment by way (or, with none, the monthly trend)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    names = {f.name for f in font_manager.fontManager.ttflist}
    cjk = [n for n in ("Noto Sans CJK SC", "Noto Serif CJK SC", "AR PL UMing CN", "SimHei", "Microsoft YaHei") if n in names]  # fmt: skip
    plt.rcParams["font.sans-serif"] = [*cjk, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    fig, ax = plt.subplots(figsize=(6.0, 2.5), dpi=150)
    t = rep.trend
    ax.plot(t["月份"], t["新认定"], marker="o", label="新认定")
    ax.plot(t["月份"], t["实现就业"], marker="s", label="实现就业")
    ax.set_title("近12个月新认定与实现就业人数")
    ax.set_ylabel("人数")
    ax.set_ylim(bottom=0)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    ax.legend(fontsize=8)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue()


def build(
    rep: stats.Report, pack, *, ledgers: int, as_of: dt.date, made_on: dt.date
) -> docx.Document:
    doc = docx.Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
    sec.top_margin, sec.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    sec.left_margin, sec.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    _para(doc, f"{rep.period.label}就业援助工作情况", XBS, 22, center=True)
    _para(doc, "", indent=False)
    figures = {item: _value(rep, item) for item, _ in KEY_ITEMS}
    ways = "、".join(f"{way}{_value(rep, way)}人" for way in stats.WAYS if _value(rep, way))
    text = (
        f"截至{fmt_date(as_of)}，{ledgers}本台账共在册{figures['台账人数']}人，"
        f"按《{pack.title}》认定符合就业援助条件{figures['认定结论：符合']}人，"
        f"本期新认定{figures['本期新认定']}人。"
        f"本期实现就业{figures['本期实现就业合计']}人" + (f"，其中{ways}。" if ways else "。")
    )
    _para(doc, text)
    zero = figures["零就业家庭（户）"]
    if zero:
        _para(
            doc,
            f"零就业家庭{zero}户，本期动态清零{figures['本期动态清零（户）']}户，"
            f"尚未清零{_value(rep, '尚未清零（户）')}户。",
        )
    if figures["认定结论：待核实"]:
        _para(
            doc,
            f"另有{figures['认定结论：待核实']}人因台账信息不全待核实，正在补充核实。",
        )
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0].cells
    for cell, text in zip(head, ("项目", "数量"), strict=True):
        _font(cell.paragraphs[0].add_run(text), HEITI, 14)
    for item, words in KEY_ITEMS:
        cells = table.add_row().cells
        _font(cells[0].paragraphs[0].add_run(words), FANGSONG, 14)
        _font(cells[1].paragraphs[0].add_run(str(figures[item])), FANGSONG, 14)
        cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_picture(io.BytesIO(chart_png(rep)), width=Mm(145))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = _para(doc, fmt_date(made_on), indent=False)
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return doc


def write_paper(
    path: Path,
    rep: stats.Report,
    pack,
    *,
    ledgers: int,
    as_of: dt.date,
    pdf: bool = False,
    backups: list[Path] | None = None,
    made_on: dt.date | None = None,
) -> tuple[Path, Path | None]:
    """Write the summary .docx (and its PDF when asked); returns both paths."""
    doc = build(rep, pack, ledgers=ledgers, as_of=as_of, made_on=made_on or dt.date.today())
    with safe_replace(path, backups=backups) as tmp:
        doc.save(str(tmp))
    pdf_path = None
    if pdf:
        from doc_templates.pdf import to_pdf

        pdf_path = to_pdf([path], path.parent)[0]
    return path, pdf_path
