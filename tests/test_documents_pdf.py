"""PDF through LibreOffice: one process for the whole batch, page counts, text.

Skipped (with the reason) only when LibreOffice or poppler is not installed;
``make system-deps`` installs both.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_documents import agreement, id_with_check, letter, notice, person

from doc_templates.batches import write_agreements, write_letters, write_notice
from doc_templates.pdf import MISSING_MESSAGE, PdfError, find_soffice, to_pdf

needs_soffice = pytest.mark.skipif(
    find_soffice() is None or shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None,
    reason="未安装 LibreOffice 或 poppler-utils（pdfinfo/pdftotext），跳过 PDF 测试；运行 make system-deps 安装",
)


def pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def page_size(pdf: Path) -> tuple[float, float]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", out)
    return float(m.group(1)), float(m.group(2))


def text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    cmd = ["pdftotext", "-layout"]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    out = subprocess.run([*cmd, str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def compact(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.mark.slow
@needs_soffice
def test_batch_to_pdf_in_one_call(tmp_path):
    people = [
        person(name="王秀兰"),
        person(name="李明", id_number=id_with_check("14010619700101151")),
    ]
    docs = write_agreements([agreement(person=p) for p in people], tmp_path, merged=True).paths
    merged = tmp_path / "合并打印_协议书.docx"
    notice_path = write_notice(notice(), tmp_path).paths[0]
    letter_path = write_letters([letter()], tmp_path)[0]
    pdfs = to_pdf([*docs, merged, notice_path, letter_path], tmp_path / "pdf")
    assert [p.name for p in pdfs] == [
        p.with_suffix(".pdf").name for p in [*docs, merged, notice_path, letter_path]
    ]

    a_pdf, b_pdf, m_pdf, n_pdf, l_pdf = pdfs
    assert page_size(a_pdf) == pytest.approx((595.3, 841.9), abs=1)  # A4
    n_agreement = pages(a_pdf)
    # about 60 body lines at 22 lines a page: 3 to 5 pages
    assert 3 <= n_agreement <= 5
    # the merged file holds both agreements, each numbered from page 1
    assert pages(m_pdf) == pages(a_pdf) + pages(b_pdf)
    t = compact(text(a_pdf))
    for expected in (
        "接受就业援助协议书",
        "乙方（受援助方）：王秀兰",
        "1,000.00元（人民币壹仟元整）",
        "人民币壹仟贰佰叁拾肆元伍角陆分",
        "2029年11月30日",
        "援助责任人：李红梅",
        "（第二条第（一）项）",
    ):
        assert compact(expected) in t, expected
    assert "—1—" in compact(text(a_pdf, 1, 1))
    assert "—2—" in compact(text(a_pdf, 2, 2))
    merged_p = pages(a_pdf) + 1
    assert "—1—" in compact(text(m_pdf, merged_p, merged_p))  # second agreement restarts at 1

    assert 1 <= pages(n_pdf) <= 2  # 12 rows and the closing paragraphs
    nt = compact(text(n_pdf))
    assert "关于拟认定2025年度就业困难人员的公示" in nt
    assert "自2025年9月26日起至2025年10月10日止" in nt
    assert "测试12号" in nt
    assert not re.search(r"\d{17}[\dX]", nt)

    assert 2 <= pages(l_pdf) <= 4
    lt = compact(text(l_pdf))
    assert "2027年度就业援助工作目标责任书" in lt and "24人" in lt


@pytest.mark.slow
@needs_soffice
def test_twenty_eight_characters_a_line_and_22_lines_a_page(tmp_path):
    long = "就" * 200
    ctx = agreement(duties=[], subsidies=[])
    ctx.measures[0].text = long
    ctx.number = "协议〔2026〕0099号"
    path = write_agreements([ctx], tmp_path, register=False)[0]
    pdf = to_pdf([path], tmp_path)[0]
    lines = [compact(x) for x in text(pdf).splitlines()]
    full = [x for x in lines if x and set(x) == {"就"}]
    assert full, "no full line of the test character"
    assert max(len(x) for x in full) == 28
    # page 2 starts with the continuation: count body lines on page 1
    page1 = [x for x in text(pdf, 1, 1).splitlines() if x.strip()]
    # 22 text lines plus the page-number line (blank lines are not printed by pdftotext)
    assert 19 <= len(page1) <= 23


def test_missing_libreoffice_gives_a_chinese_message(tmp_path, monkeypatch):
    f = tmp_path / "a.docx"
    f.write_bytes(b"x")
    with pytest.raises(PdfError) as err:
        to_pdf([f], tmp_path, soffice=str(tmp_path / "no-soffice"))
    assert (
        str(err.value)
        == MISSING_MESSAGE
        == "未找到 LibreOffice，无法生成 PDF；请安装 LibreOffice 后重试"
    )
    monkeypatch.setenv("JYYZ_SOFFICE", str(tmp_path / "no-soffice"))
    assert find_soffice() is None
    with pytest.raises(PdfError, match="未找到 LibreOffice"):
        to_pdf([f], tmp_path)
