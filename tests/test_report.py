"""jyyz report: the statistics workbook, its charts, the roll-up and the summary paper.

Figures are checked against counts made here from the ledger's raw cells
(openpyxl, not calc) or against the results `jyyz fill` writes — never against
numbers copied from a previous run.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from calc import stats
from calc.errors import InputError
from xl_addin import jobs
from xl_addin.cli import main
from xl_addin.report import report

SAMPLE = Path(__file__).resolve().parent.parent / "workbooks" / "台账样例_SX-2008.xlsx"
Q3 = stats.quarter("2026Q3")


def _raw_rows(path: Path) -> tuple[list[str], list[tuple]]:
    """(headers, data rows) of the ledger sheet, read with openpyxl."""
    ws = openpyxl.load_workbook(path, read_only=True)["台账"]
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h) if h is not None else "" for h in rows[2]]
    sub = rows[3]
    header = [h or (str(s) if s else "") for h, s in zip(header, sub, strict=False)]
    name, ident = header.index("姓名"), header.index("身份证号码")
    data = [r for r in rows[4:] if r and (r[name] or r[ident])]  # a person has a name or an ID
    return header, data


def _summary(path: Path) -> dict[tuple[str, str], list[int]]:
    ws = openpyxl.load_workbook(path, read_only=True)["汇总"]
    out = {}
    rows = list(ws.iter_rows(values_only=True))
    head = rows[3]
    for r in rows[4:]:
        if r[0]:
            out[(r[0], r[1])] = dict(zip(head[2:], r[2:], strict=False))
    return out


def _value(summary, item, unit=stats.TOTAL):
    return next(v[unit] for (_, it), v in summary.items() if it == item)


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "统计报表.xlsx"
    r = report([SAMPLE], out, quarter="2026Q3", paper=True)
    return r


def test_quarter_and_month_periods():
    assert stats.quarter("2026Q4") == stats.Period(dt.date(2026, 10, 1), dt.date(2026, 12, 31), "2026年第四季度")  # fmt: skip
    assert stats.quarter("2026年第一季度").end == dt.date(2026, 3, 31)
    assert stats.month("2026-02").end == dt.date(2026, 2, 28)
    assert stats.month("2024年2月").end == dt.date(2024, 2, 29)
    with pytest.raises(InputError, match="季度“2026Q5”无法识别"):
        stats.quarter("2026Q5")


def test_employment_by_way_counted_from_raw_cells(sample_report):
    header, data = _raw_rows(SAMPLE)
    status, way, day = header.index("就业状态"), header.index("就业形式"), header.index("就业日期")
    expected = Counter()
    for row in data:
        d = row[day]
        if row[status] in ("已就业", "就业") and isinstance(d, dt.datetime):
            if Q3.start <= d.date() <= Q3.end:
                expected[row[way] or "未填就业形式"] += 1
    assert sum(expected.values()) > 0, "the sample must have people employed in the quarter"
    summary = _summary(sample_report.output)
    assert _value(summary, "本期实现就业合计") == sum(expected.values())
    for w in stats.WAYS:
        assert _value(summary, w) == expected.get(w, 0), w


def test_new_certifications_and_streets_from_raw_cells(sample_report):
    header, data = _raw_rows(SAMPLE)
    cert, street = header.index("认定日期"), header.index("所属街道")
    summary = _summary(sample_report.output)
    by_street = Counter(r[street] for r in data)
    assert _value(summary, "台账人数") == len(data)
    for name, count in by_street.items():
        assert _value(summary, "台账人数", name) == count
    new = sum(
        1 for r in data if isinstance(r[cert], dt.datetime) and Q3.start <= r[cert].date() <= Q3.end
    )
    assert _value(summary, "本期新认定") == new


def test_conclusions_equal_what_fill_writes(sample_report):
    a = jobs.assess_workbook(SAMPLE, as_of=Q3.end)
    counts = Counter(a.run.results["status"])
    summary = _summary(sample_report.output)
    for status in stats.STATUSES:
        assert _value(summary, f"认定结论：{status}") == counts.get(status, 0)
    causes = openpyxl.load_workbook(sample_report.output, read_only=True)["待核实原因"]
    rows = {r[0]: r[1] for r in causes.iter_rows(min_row=3, values_only=True) if r[0] and r[1]}
    assert rows == a.summary().uncertain_causes


def _split(src: Path, folder: Path, key: str) -> list[Path]:
    """One ledger per value of column ``key`` (rows kept with their layout)."""
    header, data = _raw_rows(src)
    col, ident = header.index(key), header.index("身份证号码")
    paths = []
    for value in sorted({r[col] for r in data}):
        wb = openpyxl.load_workbook(src)
        ws = wb["台账"]
        for r in range(ws.max_row, 4, -1):
            person = ws.cell(r, 2).value or ws.cell(r, ident + 1).value
            if person and ws.cell(r, col + 1).value != value:
                ws.delete_rows(r)
        p = folder / f"台账_{value}.xlsx"
        wb.save(p)
        paths.append(p)
    return paths


def test_roll_up_of_streets_equals_the_sum_and_counts_a_person_once(tmp_path):
    folder, outs = tmp_path / "各街道台账", tmp_path / "报表"
    folder.mkdir()
    outs.mkdir()
    parts = _split(SAMPLE, folder, "所属街道")
    assert len(parts) >= 2
    singles = [report([p], outs / f"r{k}.xlsx", quarter="2026Q3", paper=False, workers=1) for k, p in enumerate(parts)]  # fmt: skip
    rolled = report([folder], outs / "合并.xlsx", quarter="2026Q3", paper=False, workers=2)
    assert not rolled.failed
    assert len(rolled.ledgers) == len(parts)
    total = rolled.report.figures[stats.TOTAL]
    summed = sum(s.report.figures[stats.TOTAL] for s in singles)
    assert (total == summed).all(), total[total != summed]
    # The same person on a second ledger is counted once and listed.
    first = parts[0]
    wb = openpyxl.load_workbook(parts[1])
    ws = wb["台账"]
    src = openpyxl.load_workbook(first)["台账"]
    ws.insert_rows(5)
    for c in range(1, src.max_column + 1):
        ws.cell(5, c).value = src.cell(5, c).value
    wb.save(parts[1])
    again = report(parts, outs / "重复.xlsx", quarter="2026Q3", paper=False, workers=1)
    assert again.persons == rolled.persons
    assert again.duplicates == 1
    dup = openpyxl.load_workbook(outs / "重复.xlsx", read_only=True)["重复人员"]
    rows = [r for r in dup.iter_rows(min_row=3, values_only=True) if r[0]]
    assert len(rows) == 1 and rows[0][0] == src.cell(5, 2).value
    assert "*" in rows[0][1] and rows[0][5] == first.name  # masked ID, counted where first met


def test_charts_reference_the_right_ranges(sample_report):
    from openpyxl.utils.cell import range_boundaries

    z = zipfile.ZipFile(sample_report.output)
    charts = sorted(n for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n))
    assert len(charts) == 4
    book = openpyxl.load_workbook(sample_report.output)

    def cells(ref: str) -> list:
        sheet, rng = ref.rsplit("!", 1)
        c1, r1, c2, r2 = range_boundaries(rng.replace("$", ""))
        ws = book[sheet.strip("'")]
        return [v for row in ws.iter_rows(r1, r2, c1, c2, values_only=True) for v in row]

    def series(xml: str) -> list[tuple[str, list, list]]:
        """(name, categories, values) of every series of a chart, read through its refs."""
        out = []
        for ser in re.findall(r"<c:ser>(.*?)</c:ser>", xml, re.S):
            tx = re.search(r"<c:tx>(.*?)</c:tx>", ser, re.S).group(1)
            ref = re.search(r"<c:f>([^<]+)</c:f>", tx)
            name = cells(ref.group(1))[0] if ref else re.search(r"<c:v>([^<]+)</c:v>", tx).group(1)
            cat = re.search(r"<c:cat>.*?<c:f>([^<]+)</c:f>", ser, re.S).group(1)
            val = re.search(r"<c:val>.*?<c:f>([^<]+)</c:f>", ser, re.S).group(1)
            out.append((name, cells(cat), cells(val)))
        return out

    found = {}
    for n in charts:
        for name, cats, vals in series(z.read(n).decode()):
            found[name] = (cats, vals)
    trend = sample_report.report.trend
    for name in ("新认定", "实现就业", "达到退休年龄"):
        assert found[name] == (list(trend["月份"]), list(trend[name])), name
    fig = sample_report.report.figures[stats.TOTAL]
    cats = [(it, int(v)) for (sec, it), v in fig.items() if sec.startswith("二、")]
    assert found["符合条件人员类别构成"] == ([c for c, _ in cats], [v for _, v in cats])
    ways = [
        (it, int(v)) for (sec, it), v in fig.items() if sec.startswith("三、") and it in stats.WAYS
    ]
    assert found["本期实现就业（按就业形式）"] == ([w for w, _ in ways], [v for _, v in ways])
    units = sample_report.report.units
    persons = [int(sample_report.report.figures[f"{s}/{c}"].loc[("一、人员情况", "台账人数")]) for s, c in units]  # fmt: skip
    assert found["台账人数"] == ([c for _, c in units], persons)


def test_notes_sheet_says_how_each_section_is_counted(sample_report):
    ws = openpyxl.load_workbook(sample_report.output, read_only=True)["说明"]
    text = "\n".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c)
    sections = {sec for sec, _ in sample_report.report.figures.index}
    for sec in sections:
        if sec.startswith(("二、", "三、", "五、", "六、", "七、")):
            assert sec in text
    for limit in stats.LIMITS:
        assert limit in text


def test_paper_states_the_figures(sample_report):
    import docx

    text = "\n".join(p.text for p in docx.Document(sample_report.paper).paragraphs)
    fig = sample_report.report.figures[stats.TOTAL]
    value = {item: int(v) for (_, item), v in fig.items()}
    assert f"共在册{value['台账人数']}人" in text
    assert f"本期实现就业{value['本期实现就业合计']}人" in text
    assert "2026年第三季度" in text


def test_command_line_report_and_refusals(tmp_path, capsys):
    out = tmp_path / "报表.xlsx"
    assert main(["report", str(SAMPLE), "--month", "2026-09", "-o", str(out), "--no-paper"]) == 0
    printed = capsys.readouterr().out
    assert "2026年9月" in printed and out.exists()
    assert main(["report", str(SAMPLE), "--quarter", "2026Q9", "-o", str(out)]) != 0
    assert "季度“2026Q9”无法识别" in capsys.readouterr().err
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    assert main(["report", str(empty)]) != 0
    assert "没有台账工作簿" in capsys.readouterr().err


def test_ledgers_of_different_policies_are_not_mixed(tmp_path):
    other = SAMPLE.with_name("台账样例_AH-2011.xlsx")
    with pytest.raises(InputError, match="适用不同的政策"):
        report([SAMPLE, other], tmp_path / "x.xlsx", quarter="2026Q3", paper=False, workers=1)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice 未安装")
def test_libreoffice_renders_the_charts_and_a_one_page_paper(tmp_path, sample_report):
    from PIL import Image

    from doc_templates.pdf import to_pdf

    book_pdf = to_pdf([sample_report.output], tmp_path)[0]
    paper_pdf = to_pdf([sample_report.paper], tmp_path)[0]
    pages = subprocess.run(["pdfinfo", str(paper_pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+1\n", pages), "the 通报 must fit one page"
    text = subprocess.run(["pdftotext", str(book_pdf), "-"], capture_output=True, text=True).stdout
    assert "就业援助工作统计报表（2026年第三季度）" in text
    # The charts are drawn (LibreOffice exports them as graphics, not text): the 图表
    # page carries coloured chart ink.
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(book_pdf), str(tmp_path / "p")], check=True)
    coloured = 0
    for png in sorted(tmp_path.glob("p-*.png")):
        px = np.asarray(Image.open(png).convert("RGB")).astype(int)
        ink = (abs(px[..., 0] - px[..., 2]) > 60) | (abs(px[..., 1] - px[..., 2]) > 60)
        coloured = max(coloured, int(ink.sum()))
    assert coloured > 500
