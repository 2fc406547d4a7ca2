"""GB/T 9704 7.3.5: no page holds only the signature — checked through LibreOffice.

Every kind of paper is rendered to PDF for the five sample ledgers and for
generated ledgers of several sizes; on the last page of each PDF the end of
the last body paragraph must stand together with the whole signature block
(seal line and date).  Each check looks at the text LibreOffice laid out
(pdftotext), not at the .docx.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from calc.assess import run_ledger
from calc.synthetic import ledger
from doc_templates.batches import write_agreements, write_letters, write_notice
from doc_templates.contexts import Office
from doc_templates.from_assessment import agreements_from_run, letters_from_run, notice_from_run
from doc_templates.pdf import find_soffice, to_pdf
from workbooks import SAMPLE_POLICIES, sample_path
from xl_addin import jobs

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        find_soffice() is None or shutil.which("pdftotext") is None,
        reason="LibreOffice and pdftotext are needed",
    ),
]

# The last body paragraph of each kind, as the templates word it (its end must
# share the last page with the signature block).
LAST_BODY = {
    "协议书": "备案。",
    "公示": "认定。",
    "责任书": "甲乙双方各执一份",
}
SIGNATURE = {
    "协议书": ("甲方（盖章）：", "乙方（签字）：", "援助责任人（签字）：", "日期："),
    "公示": ("年", "月", "日"),
    "责任书": ("甲方（盖章）：", "乙方（盖章）：", "负责人（签字）：", "日期："),
}


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def _page_text(pdf: Path, page: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
    ).stdout
    return re.sub(r"\s+", "", out)


def last_page_problem(pdf: Path, kind: str) -> str | None:
    """Why the last page of ``pdf`` is not fit to sign, or None."""
    n = _pages(pdf)
    last = _page_text(pdf, n)
    if LAST_BODY[kind] not in last:
        return f"{pdf.name}: 第{n}页（末页）没有正文末段，只有落款"
    tail = last.split(LAST_BODY[kind], 1)[1]
    missing = [s for s in SIGNATURE[kind] if s not in tail]
    if missing:
        return f"{pdf.name}: 落款不完整（缺{'、'.join(missing)}），被分到了别的页"
    if kind == "公示" and not re.search(r"\d{4}年\d{1,2}月\d{1,2}日—\d+—$", tail):
        return f"{pdf.name}: 公示落款日期不在末页末尾"
    return None


#: A page's first line that is only (the tail of) a citation of a clause's basis.
LONE_CITATION = re.compile(r"（《.*|[^。；：，]{0,40}?[条项款]）")


def page_top_problem(pdf: Path) -> str | None:
    """A page that starts with a lone citation line parted from its clause, or None."""
    for page in range(2, _pages(pdf) + 1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
        ).stdout
        lines = [x.strip() for x in text.splitlines() if x.strip()]
        if lines and LONE_CITATION.fullmatch(re.sub(r"\s+", "", lines[0])):
            return f"{pdf.name}: 第{page}页以孤立的依据行开头（{lines[0]}），与所属条款分离"
    return None


def _kind(pdf: Path) -> str:
    return pdf.name.split("_")[0]


def _check(pdfs: list[Path]) -> None:
    problems = [p for p in (last_page_problem(pdf, _kind(pdf)) for pdf in pdfs) if p]
    problems += [p for p in map(page_top_problem, pdfs) if p]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", SAMPLE_POLICIES)
def test_no_lonely_signature_page_on_the_samples(code, tmp_path):
    src = tmp_path / "台账.xlsx"
    shutil.copyfile(sample_path(code), src)
    files = []
    for kind, rows in (("协议书", "1-60"), ("公示", None), ("责任书", None)):
        files += jobs.docs(src, kind, tmp_path / kind, rows=rows).files
    assert {_kind(f) for f in files} == {"协议书", "公示", "责任书"}
    _check(to_pdf(files, tmp_path / "pdf"))


@pytest.mark.parametrize("size", [60, 300, 1500])
def test_no_lonely_signature_page_on_generated_ledgers(size, tmp_path):
    df = ledger(size, seed=size)
    df["registered_place"] = "山西省太原市"  # an SX-2008 office: 我省户籍 (SX-2008 一)
    df.loc[df.index[::2], "first_approval_date"] = None  # half are new applicants
    on = dt.date.today()
    run = run_ledger("SX-2008", df, on)
    office = Office("太原市迎泽区柳巷街道劳动保障事务所", "柳巷南路18号", "0351-4123456")
    contexts, _ = agreements_from_run(run, party_a=office, start=on)
    notice, _, _ = notice_from_run(
        run, start=on, office=office, certifier="迎泽区人力资源和社会保障局"
    )
    letters, _, _ = letters_from_run(run, issuer=office, year=on.year, made_on=on)
    files = list(write_agreements(contexts[:12], tmp_path))
    if size >= 300:
        assert notice is not None and len(notice.rows) > size // 40
    if notice is not None:
        files += list(write_notice(notice, tmp_path))
    files += list(write_letters(letters[:6], tmp_path))
    assert len(files) >= 2
    _check(to_pdf(files, tmp_path / "pdf"))


def test_duplex_print_file_starts_every_paper_on_an_odd_page(tmp_path):
    src = tmp_path / "台账.xlsx"
    shutil.copyfile(sample_path("SX-2008"), src)
    r = jobs.docs(src, "协议书", tmp_path / "a", rows="1-30", duplex=True)
    assert r.merged.name == "合并打印_协议书_双面.docx"
    pdf = to_pdf([r.merged, *r.files], tmp_path / "pdf", keep_blank_pages=True)
    merged, singles = pdf[0], pdf[1:]
    starts = [
        p for p in range(1, _pages(merged) + 1) if "接受就业援助协议书" in _page_text(merged, p)
    ]
    assert len(starts) == len(singles) >= 2
    assert all(p % 2 == 1 for p in starts), starts
    # each paper keeps its own length; blank pages only where a paper ends on an odd page
    lengths = [_pages(s) for s in singles]
    expected, page = [], 1
    for n in lengths:
        expected.append(page)
        page += n + (n % 2)
    assert starts == expected


def _layout_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True
    ).stdout


def test_dates_and_four_digit_numbers_stay_on_one_line(tmp_path):
    """Target deadlines and 4-digit 序号 are not broken inside a table cell."""
    from docx import Document

    from doc_templates.contexts import NoticeRow
    from doc_templates.samples import sample_notice

    src = tmp_path / "台账.xlsx"
    shutil.copyfile(sample_path("LYG-2003"), src)
    letters = jobs.docs(src, "责任书", tmp_path / "l").files
    ctx = sample_notice(3)
    proto = ctx.rows
    ctx.rows = [
        NoticeRow(
            proto[i % 3].name, proto[i % 3].sex, 45, proto[i % 3].community, proto[i % 3].category
        )  # fmt: skip
        for i in range(1010)
    ]
    notice = write_notice(ctx, tmp_path, register=False).paths[0]
    pdfs = to_pdf([*letters, notice], tmp_path / "pdf")
    for docx_path, pdf in zip(letters, pdfs, strict=False):
        cells = [r.cells[3].text for r in Document(docx_path).tables[0].rows[1:]]
        laid_out = re.sub(r"[ \t]+", "", _layout_text(pdf))
        assert sum(laid_out.count(c) for c in set(cells)) >= len(cells), pdf.name
    numbers = set(re.findall(r"(?<!\d)\d{4}(?!\d)", _layout_text(pdfs[-1])))
    assert {str(n) for n in range(1000, 1011)} <= numbers
