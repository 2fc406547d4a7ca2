"""Papers read as the office's seal-holder and the person signing would read them.

Every check runs over what jyyz writes for the bundled sample ledgers: the
agreements (协议书), the public notice (公示) and the target letters (责任书).
Expected texts come from the policy texts, GB/T 9704-2012 and the rules the
papers must keep (the right 甲方, a paper for somebody, a whole year, nothing
sensitive in public), not from the code's output.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from doc_templates.formatting import BLANK
from workbooks import SAMPLE_POLICIES, sample_path
from xl_addin import jobs

TODAY = dt.date.today()
OFFICE_PARAMS = ("发文机关", "上级单位", "异议受理电话", "异议受理地址")

#: Words of software, not of an office (the clerk's explanations go to the output).
SOFTWARE_WORDS = (
    "工作簿",
    "“目标”表",
    "台账中没有对应人员",
    "认定结论为",
    "尚无认定日期",
    "目标数待定",
    "已公示或待公示",
    "未命名",
    "（无姓名）",
)
#: Category words a public notice must never print (health, income, family status).
SENSITIVE = ("残疾", "低保", "最低生活保障", "收入", "离异", "丧偶", "特困", "破产", "下岗")


def paper_text(path: Path) -> str:
    doc = Document(path)
    text = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for r in t.rows:
            seen = []
            for c in r.cells:
                if c._tc not in seen:
                    seen.append(c._tc)
                    text.append(c.text)
    return "\n".join(text)


def copy_sample(tmp_path: Path, code: str = "SX-2008") -> Path:
    dst = tmp_path / f"台账_{code}.xlsx"
    shutil.copyfile(sample_path(code), dst)
    return dst


def drop_office_details(path: Path) -> None:
    """The ledger without any office detail (参数 rows and 设置 sheet)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["参数"]
    for r in range(ws.max_row, 1, -1):
        if ws.cell(r, 1).value in OFFICE_PARAMS:
            ws.delete_rows(r)
    if "设置" in wb.sheetnames:
        del wb["设置"]
    wb.save(path)


def street_of_agreement(text: str) -> str:
    return re.search(r"所在社区：(\S+?(?:街道|镇))", text).group(1)


KINDS = ("协议书", "公示", "责任书")


@pytest.fixture(scope="module", params=SAMPLE_POLICIES)
def sample_papers(request, tmp_path_factory):
    """Every paper of one sample ledger as shipped: (code, ledger, {kind: DocsReport}).

    Agreements also for the applicants not yet certified (``pending``), so every
    paper the office can print is read once by all the checks below."""
    code = request.param
    tmp = tmp_path_factory.mktemp(code)
    ledger = copy_sample(tmp, code)
    reports = {
        kind: jobs.docs(ledger, kind, tmp / kind, pending=kind == "协议书") for kind in KINDS
    }
    return code, ledger, reports


def all_papers(sample_papers) -> list[Path]:
    return [f for r in sample_papers[2].values() for f in r.files]


def public_notices(reports) -> list[Path]:
    return [f for f in reports["公示"].files if "存档" not in f.name]


# ---------------------------------------------------------------- 1. the right 甲方

TWO_OFFICES = """\
# 每个街道一段；“街道”一行开始新的一段
街道：柳巷街道
发文机关：太原市迎泽区柳巷街道劳动保障事务所
地址：太原市迎泽区柳巷南路18号
电话：0351-4123456
上级单位：太原市迎泽区人力资源和社会保障局
编号前缀：柳巷

街道：坞城街道
发文机关：太原市小店区坞城街道劳动保障事务所
地址：太原市小店区坞城路66号
电话：0351-7012345
上级单位：太原市小店区人力资源和社会保障局
编号前缀：坞城
"""


def test_each_person_gets_the_office_of_their_own_street(tmp_path):
    ledger = copy_sample(tmp_path)
    drop_office_details(ledger)
    office = tmp_path / "单位信息.txt"
    office.write_text(TWO_OFFICES, encoding="utf-8")
    r = jobs.docs(ledger, "协议书", tmp_path / "a", office=office)
    streets = set()
    for f in r.files:
        text = paper_text(f)
        street = street_of_agreement(text)
        streets.add(street)
        if street == "柳巷街道":
            assert "甲方（援助方）：太原市迎泽区柳巷街道劳动保障事务所" in text
            assert "坞城" not in text.split("乙方")[0]
            assert text.startswith("编号：柳巷协议〔")
        elif street == "坞城街道":
            assert "甲方（援助方）：太原市小店区坞城街道劳动保障事务所" in text
            assert text.startswith("编号：坞城协议〔")
        else:  # 巨轮街道: no office given → ruled blanks, never another office's name
            assert f"甲方（援助方）：{BLANK}" in text
            assert "柳巷街道劳动保障" not in text and "坞城街道劳动保障" not in text
    assert {"柳巷街道", "坞城街道", "巨轮街道"} <= streets
    unknown = [w for w in r.warnings if "巨轮街道" in w]
    assert len(unknown) == 1
    # the notice: one per office, each sending objections to its own office and bureau
    n = jobs.docs(ledger, "公示", tmp_path / "n", office=office)
    seen = {"柳巷": 0, "坞城": 0}
    for f in n.files:
        text = paper_text(f)
        if "柳巷街道劳动保障事务所" in text:
            seen["柳巷"] += 1
            assert "小店区" not in text and "坞城" not in text
            assert "报太原市迎泽区人力资源和社会保障局认定" in text
        if "坞城街道劳动保障事务所" in text:
            seen["坞城"] += 1
            assert "迎泽区" not in text and "柳巷" not in text
            assert "报太原市小店区人力资源和社会保障局认定" in text
    assert all(seen.values()), seen
    # the letters: a community's letter comes from its own street office
    letters = jobs.docs(ledger, "责任书", tmp_path / "l", office=office)
    shuangta = [f for f in letters.files if "双塔社区" in f.name]
    assert shuangta
    for f in shuangta:
        assert "甲方：太原市小店区坞城街道劳动保障事务所" in paper_text(f)


def test_one_office_for_a_ledger_of_several_streets_is_not_everyones(tmp_path):
    ledger = copy_sample(tmp_path)
    drop_office_details(ledger)
    office = tmp_path / "单位信息.txt"
    office.write_text(TWO_OFFICES.split("\n\n")[0].split("\n", 1)[1], encoding="utf-8")
    r = jobs.docs(ledger, "协议书", tmp_path / "a", office=office)
    others = [f for f in r.files if street_of_agreement(paper_text(f)) != "柳巷街道"]
    assert others and len(others) < len(r.files)
    for f in others:
        assert "柳巷" not in paper_text(f).split("乙方")[0], f.name


def test_settings_sheet_holds_one_office_per_street(tmp_path):
    ledger = copy_sample(tmp_path)
    drop_office_details(ledger)
    wb = openpyxl.load_workbook(ledger)
    ws = wb.create_sheet("设置")
    ws.append(["街道", "社区", "发文机关", "地址", "电话", "上级单位"])
    ws.append(["柳巷街道", None, "柳巷所", "柳巷南路18号", "0351-4123456", "迎泽区人社局"])
    ws.append(["坞城街道", None, "坞城所", "坞城路66号", "0351-7012345", "小店区人社局"])
    ws.append(["坞城街道", "双塔社区", "双塔社区工作站", "双塔西街1号", "0351-7000001", None])
    wb.save(ledger)
    r = jobs.docs(ledger, "协议书", tmp_path / "a")
    seen = {"双塔社区": 0, "坞城街道": 0}
    for f in r.files:
        text = paper_text(f)
        if "双塔社区" in text:
            seen["双塔社区"] += 1
            assert "甲方（援助方）：双塔社区工作站" in text
        elif street_of_agreement(text) == "坞城街道":
            seen["坞城街道"] += 1
            assert "甲方（援助方）：坞城所" in text
    assert all(seen.values()), seen


# ---------------------------------------------------------------- 2. papers for somebody


def test_a_row_without_a_name_gets_no_paper(tmp_path):
    ledger = copy_sample(tmp_path)
    a = jobs.assess_workbook(ledger)
    frame = a.run.persons.frame
    eligible = a.results["eligible"].to_numpy(bool)
    certified = frame["first_approval_date"].notna().to_numpy()
    rows = [int(frame.index[eligible & certified][0]), int(frame.index[eligible & ~certified][0])]
    wb = openpyxl.load_workbook(ledger)
    ws = wb.worksheets[0]
    col = next(c.column for r in ws.iter_rows(max_row=4) for c in r if c.value == "姓名")
    ws.cell(rows[0], col).value = None
    ws.cell(rows[1], col).value = "   "
    wb.save(ledger)
    r = jobs.docs(ledger, "协议书", tmp_path / "a")
    assert not [f for f in r.files if "未命名" in f.name]
    for f in r.files:
        assert "乙方（受援助方）：　" not in paper_text(f)
    assert any(s.row == rows[0] and "姓名" in s.reason for s in r.skipped)
    n = jobs.docs(ledger, "公示", tmp_path / "n")
    doc = Document(n.files[0])
    names = [row.cells[1].text for t in doc.tables for row in t.rows[1:]]
    assert all(x.strip() for x in names)
    assert any(s.row == rows[1] and "姓名" in s.reason for s in n.skipped)


# ---------------------------------------------------------------- 3. a letter is for a year


def test_a_letter_made_after_1_october_is_for_the_next_year(tmp_path):
    ledger = copy_sample(tmp_path)
    made = dt.date(TODAY.year, 10, 2) if TODAY <= dt.date(TODAY.year, 10, 2) else TODAY
    r = jobs.docs(ledger, "责任书", tmp_path / "l", date=made)
    year = made.year + 1
    for f in r.files:
        text = paper_text(f)
        assert f"{year}年度就业援助工作目标责任书" in text
        assert f"本责任书期限自{year}年1月1日起至{year}年12月31日止" in text
        for d in re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日前", text):
            assert dt.date(*map(int, d)) <= dt.date(year, 12, 31)
        # one rule for when it takes effect: the year's start, or a later signing —
        # never a term from 1 January beside a second "生效 on signing" rule
        assert "生效" not in text
        assert text.count("签字盖章之日") == 1
        assert f"双方签字盖章晚于{year}年1月1日的，自签字盖章之日起至{year}年12月31日止" in text


# ---------------------------------------------------------------- 5. nothing sensitive in public


def test_the_notice_publishes_no_sensitive_category(sample_papers):
    """The posted notice prints a neutral label in its table (health, income and
    family status stay in the office's copy, 存档件); its sentences name nobody's
    category either.  The cited policy title is left out of the check: a text may be
    titled “…下岗职工…” (JS-2002)."""
    code, _ledger, reports = sample_papers
    public = public_notices(reports)
    assert public
    for f in public:
        doc = Document(f)
        cells = [c.text for t in doc.tables for row in t.rows[1:] for c in row.cells]
        assert cells, f.name
        sentences = re.sub(r"《[^》]*》", "", "\n".join(p.text for p in doc.paragraphs))
        for word in SENSITIVE:
            assert not [c for c in cells if word in c], (word, f.name)
            assert word not in sentences, (word, f.name)
    office_copies = [f for f in reports["公示"].files if "存档" in f.name]
    assert len(office_copies) == len(public)  # the detailed categories are kept for the office
    detailed = [
        c.text
        for f in office_copies
        for t in Document(f).tables
        for r in t.rows[1:]
        for c in r.cells
    ]
    if code != "SX-2008":  # the samples hold people whose category is sensitive
        assert [c for c in detailed if any(w in c for w in SENSITIVE)], code


# ---------------------------------------------------------------- 8. the office's words only


def test_papers_speak_as_the_office_does(sample_papers):
    files = all_papers(sample_papers)
    assert {f.name.split("_")[0] for f in files} == set(KINDS)
    for f in files:
        text = paper_text(f)
        for word in SOFTWARE_WORDS:
            assert word not in text, (word, f.name)


# ---------------------------------------------------------------- 9. sample office data


NUMBER = re.compile(r"([^\s：]*?)(协议|公示|责任)〔(\d{4})〕(\d+)号")
DISTRICT = re.compile(r"市(\S+?[区县])")


def settings_offices(ledger: Path) -> list[dict[str, str]]:
    ws = openpyxl.load_workbook(ledger, read_only=True)["设置"]
    rows = [[str(v or "") for v in r] for r in ws.iter_rows(values_only=True)]
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:] if any(r)]


def test_sample_office_data_is_consistent(sample_papers):
    """Each sample office's address, phone and bureau lie in its own district, and
    every paper names one office and only that office's details: its numbering
    prefix, its objection address and phone, its bureau — never another office's
    (GB/T 9704 7.2.4: the 发文字号 is the issuing office's own)."""
    _code, ledger, reports = sample_papers
    offices = settings_offices(ledger)
    assert len(offices) > 1
    for o in offices:
        assert "0000-" not in o["电话"] and o["编号前缀"], o
        district = DISTRICT.search(o["发文机关"]).group(1)
        for key in ("地址", "上级单位"):
            assert DISTRICT.search(o[key]).group(1) == district, (key, o)
    for kind, r in reports.items():
        assert not [w for w in r.warnings if "单位信息" in w], r.warnings
        for f in r.files:
            text = paper_text(f)
            assert "0000-" not in text, f.name
            own = [o for o in offices if o["发文机关"] in text]
            assert len(own) == 1, (f.name, [o["发文机关"] for o in own])
            number = NUMBER.search(text)
            assert number and number.group(2) == kind[:2], f.name
            assert number.group(1) == own[0]["编号前缀"], (f.name, number.group(0))
            for other in offices:
                if other is not own[0]:
                    for key in ("发文机关", "地址", "电话", "上级单位"):
                        assert other[key] not in text, (f.name, key, other[key])
            if kind == "协议书":
                street = street_of_agreement(text)
                assert street in text.split("乙方")[0], (f.name, street)


# ---------------------------------------------------------------- finish


def test_numbers_have_no_padding_zeros(sample_papers):
    """GB/T 9704-2012 7.2.4: 发文字号 序号不加“第”字，不编虚位 — 〔2026〕1号, never 0001号."""
    files = all_papers(sample_papers)
    for f in files:
        number = NUMBER.search(paper_text(f))
        assert number, f.name
        assert re.fullmatch(r"[1-9]\d*", number.group(4)), (f.name, number.group(0))


def test_each_side_signs_and_dates_on_its_own_lines(sample_papers):
    """The office's seal, its 负责人 and the date it signs; the person (or the receiving
    unit) signs and writes its own date: a blank 年 月 日, never a pre-printed day."""
    reports = sample_papers[2]
    for f in reports["协议书"].files:
        text = paper_text(f)
        assert re.search(r"甲方（盖章）：\S+\n负责人（签字）：\n", text), f.name
        assert re.search(r"\n日期：\d{4}年\d{1,2}月\d{1,2}日\n", text), f.name
        assert text.endswith("乙方（签字）：\n日期：　　　　年　　月　　日"), f.name
    for f in reports["责任书"].files:
        text = paper_text(f)
        assert re.search(r"甲方（盖章）：\S+\n负责人（签字）：\n日期：\d{4}年", text), f.name
        assert re.search(r"乙方（盖章）：\S+\n负责人（签字）：\n日期：　　　　年　　月　　日", text)


def test_one_effective_date_rule_in_every_paper(sample_papers):
    """An agreement takes effect on signing (one sentence); a letter's term is the year,
    or from a later signing — one rule each, never two."""
    reports = sample_papers[2]
    for f in reports["协议书"].files:
        text = paper_text(f)
        assert text.count("生效") == 1, f.name
        assert re.search(r"本协议自双方签字（盖章）之日起生效，至\d{4}年\d{1,2}月\d{1,2}日止", text)
    for f in reports["责任书"].files:
        text = paper_text(f)
        assert "生效" not in text and text.count("签字盖章之日") == 1, f.name


def test_a_short_title_always_cites_a_clause(sample_papers):
    """A paper citing two texts names each in full once (以下简称《市意见》); every later
    《市意见》/《省通知》 is followed by the clause (第…条), never alone."""
    code, _ledger, _reports = sample_papers
    shortened = 0
    for f in all_papers(sample_papers):
        text = paper_text(f)
        shorts = set(re.findall(r"以下简称《([^》]+)》", text))
        shortened += bool(shorts)
        for short in shorts:
            for m in re.finditer(f"《{short}》", text):
                if text[: m.start()].endswith("以下简称"):
                    continue
                assert text[m.end() : m.end() + 1] == "第", (
                    f.name,
                    text[m.start() - 20 : m.end() + 5],
                )
    if code == "LYG-2003":  # the city's text beside the province's
        assert shortened


# ---------------------------------------------------------------- 10. the CSV files beside the papers

#: Names a spreadsheet would run as formulas (CWE-1236), as a clerk might paste them.
FORMULA_NAMES = (
    '=HYPERLINK("http://example.com/x","点我")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
)
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("code", SAMPLE_POLICIES)
def test_csv_files_beside_the_papers_run_no_formula(code, tmp_path):
    """文书登记簿.csv and 未生成_*.csv of every sample hold no cell Excel or WPS would
    run as a formula, whatever the ledger's names hold."""
    import csv

    ledger = copy_sample(tmp_path, code)
    a = jobs.assess_workbook(ledger)
    eligible = a.results["eligible"].to_numpy(bool)
    rows = [int(r) for r in a.run.persons.frame.index[eligible]]
    certified = a.run.persons.frame["first_approval_date"].notna().to_numpy()[eligible]
    waiting = [r for r, c in zip(rows, certified, strict=True) if not c]
    picked = rows[: len(FORMULA_NAMES)] + waiting[:2]
    wb = openpyxl.load_workbook(ledger)
    ws = wb.worksheets[0]
    col = next(c.column for r in ws.iter_rows(max_row=4) for c in r if c.value == "姓名")
    for i, row in enumerate(picked):
        cell = ws.cell(row, col)
        cell.value = FORMULA_NAMES[i % len(FORMULA_NAMES)] + str(i)
        cell.data_type = "s"  # text as the clerk typed it
    wb.save(ledger)
    out = tmp_path / "文书"
    jobs.docs(ledger, "协议书", out, pending=True)
    jobs.docs(ledger, "公示", out)
    files = sorted(out.glob("*.csv"))
    assert {"文书登记簿.csv", "未生成_协议书.csv"} <= {f.name for f in files}
    cells = []
    for f in files:
        with f.open(encoding="utf-8-sig", newline="") as fh:
            cells += [(f.name, c) for r in csv.reader(fh) for c in r]
    assert not [x for x in cells if x[1].startswith(DANGEROUS)], code
    assert [x for x in cells if x[1].startswith(("'+1+1", "'@SUM"))]  # the names did reach them


# ---------------------------------------------------------------- 6, 7. PDFs


def _pdf_tools() -> bool:
    from doc_templates.pdf import find_soffice

    return bool(find_soffice() and shutil.which("pdftotext") and shutil.which("pdffonts"))


def _pdf_text(path: Path) -> str:
    import subprocess

    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


@pytest.mark.skipif(not _pdf_tools(), reason="LibreOffice / poppler-utils 未安装")
@pytest.mark.parametrize("code", SAMPLE_POLICIES)
def test_pdfs_keep_every_character_and_name_their_fonts(code, tmp_path):
    """Every character of every paper's .docx is in its PDF (LibreOffice once
    dropped punctuation at line ends), and the PDFs use 仿宋/宋/黑/楷-shaped fonts
    where installed (Fandol), named in the output."""
    import subprocess
    from collections import Counter

    from doc_templates.pdf import substitute_fonts_available

    ledger = copy_sample(tmp_path, code)
    lost: dict[str, str] = {}
    broken: dict[str, list[str]] = {}
    fonts: set[str] = set()
    for kind in ("协议书", "公示", "责任书"):
        r = jobs.docs(ledger, kind, tmp_path / kind, pdf=True)
        assert r.pdfs and len(r.pdfs) >= len([f for f in r.files if "存档" not in f.name])
        if substitute_fonts_available():
            assert any("Fandol" in w for w in r.font_notes), r.font_notes
        for pdf in r.pdfs:
            docx = pdf.with_suffix(".docx")
            want = Counter(re.sub(r"\s", "", paper_text(docx)))
            got = Counter(re.sub(r"\s", "", _pdf_text(pdf)))
            missing = want - got
            if missing:
                lost[pdf.name] = "".join(missing.elements())
            # names are never broken inside a word (“劳动保\n障事务所”, “社\n区”)
            raw = _pdf_text(pdf)
            names = re.findall(r"（盖章）：(\S+)", paper_text(docx))
            names += re.findall(r"所在社区：\S+?(?:街道|镇)(\S+)", paper_text(docx))
            for t in Document(docx).tables:
                head = [c.text for c in t.rows[0].cells]
                if "社区" in head and "姓名" in head:
                    k = head.index("社区")
                    names += [row.cells[k].text for row in t.rows[1:]]
            for name in set(names):
                if name.strip() and name not in raw:
                    broken.setdefault(pdf.name, []).append(name)
            listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True)
            fonts |= {line.split()[0].split("+")[-1] for line in listing.stdout.splitlines()[2:]}
    assert not lost, dict(list(lost.items())[:5])
    assert not broken, dict(list(broken.items())[:5])
    if substitute_fonts_available():
        # body 仿宋, title 小标宋 (a serif Song shape, never a sans fallback), headings 黑体
        assert {"FandolFang-Regular", "FandolSong-Regular", "FandolHei-Regular"} <= fonts, fonts
        assert not [f for f in fonts if not f.startswith("Fandol")], fonts
        assert not [f for f in fonts if "CJKjp" in f], fonts  # never Japanese glyph forms


# ---------------------------------------------------------------- 4. promises true for the person


def _agreements(tmp_path, code, **kw):
    ledger = copy_sample(tmp_path, code)
    a = jobs.assess_workbook(ledger)
    return a, jobs.docs(ledger, "协议书", tmp_path / f"a_{code}", assessed=a, **kw)


@pytest.mark.parametrize("code", SAMPLE_POLICIES)
def test_agreements_promise_only_what_is_still_true(code, tmp_path):
    a, r = _agreements(tmp_path, code)
    frame = a.run.persons.frame
    employed = set(frame.loc[frame["status"] == "employed", "name"])
    read = {"employed": 0, "unemployed": 0, "periods": 0}
    for f in r.files:
        text = paper_text(f)
        name = re.search(r"乙方（受援助方）：(\S+)　", text).group(1)
        if name in employed:
            read["employed"] += 1
            assert "为帮助乙方尽快实现就业" not in text, f.name
            assert "为帮助乙方稳定就业" in text, f.name
        else:
            read["unemployed"] += 1
            assert "为帮助乙方尽快实现就业" in text, f.name
        # no subsidy period that is already over is promised
        for y, m, d in re.findall(r"起至(\d{4})年(\d{1,2})月(\d{1,2})日止，共", text):
            read["periods"] += 1
            assert dt.date(int(y), int(m), int(d)) >= TODAY, f.name
        # the small loan is offered once (LYG-2003 四(一) is both a measure and a benefit)
        assert text.count("小额担保贷款") <= 2, f.name  # the measure and its clause name at most
    # the samples' agreements are all for people out of work, without a subsidy period
    # (test_documents_from_assessment reads synthetic ledgers that have both)
    assert read["unemployed"], read


def test_lyg_offers_the_small_loan_once(tmp_path):
    _a, r = _agreements(tmp_path, "LYG-2003")
    texts = [paper_text(f) for f in r.files]
    offered = [t for t in texts if "协助申请小额担保贷款" in t]
    assert offered
    for t in offered:
        assert t.count("协助申请小额担保贷款") == 1


# ---------------------------------------------------------------- elements of real forms


def test_agreement_has_the_elements_of_real_forms(sample_papers):
    files = sample_papers[2]["协议书"].files
    assert files
    for f in files:
        text = paper_text(f)
        assert re.search(r"至\d{4}年\d{1,2}月\d{1,2}日止", text), f.name  # an end date
        assert "双方权利" in text and "甲方有权" in text and "乙方有权" in text, f.name
        assert "以书面形式变更" in text and "书面通知" in text and "本协议终止" in text, f.name
        assert "监督电话" in text, f.name
        assert "备案" in text and "一式三份" in text, f.name
        assert re.search(r"甲方（盖章）：\S+劳动保障事务所\n", text), f.name  # the seal on one line


def test_notice_has_handler_seven_days_and_no_lone_title_word(sample_papers):
    files = sample_papers[2]["公示"].files
    assert files
    for f in files:
        doc = Document(f)
        title = next(p for p in doc.paragraphs if p.text.startswith("关于拟认定"))
        lines = title.text.split("\n")
        assert all(len(line) <= 20 for line in lines), lines  # 2号 title: 20 characters a line
        assert lines[-1] != "公示" and not lines[-1].startswith("的公示"), lines
        text = paper_text(f)
        assert re.search(r"经办人：\S+　　联系电话：\S+", text), f.name
        days = int(re.search(r"公示期为(\d+)个工作日", text).group(1))
        assert days >= 7


def test_notice_near_new_year_says_the_holidays_are_estimated(tmp_path):
    """A 公示 period running into a year whose State Council holiday notice is not out
    yet ends on an estimated date, and the output says so (never silently).  The
    notice is dated 28 December of the last year with an official schedule (or later,
    never before today), so the check runs whatever year the data reaches."""
    from calc.workdays import _official_schedule_years

    start = max(dt.date(max(_official_schedule_years()), 12, 28), TODAY)
    n = jobs.docs(copy_sample(tmp_path), "公示", tmp_path / "n", date=start)
    end = re.search(r"至(\d{4})年(\d{1,2})月(\d{1,2})日止", paper_text(n.files[0]))
    assert int(end.group(1)) > max(_official_schedule_years())  # the period runs into it
    assert f"{end.group(1)}年放假安排尚未公布" in n.note, n.note


def test_a_deadline_already_past_runs_from_the_agreement(tmp_path):
    """SX-2008 四(一): one month from certification; a household certified years ago
    is not promised a month that is over."""
    a, r = _agreements(tmp_path, "SX-2008")
    old = [f for f in r.files if re.search(r"认定日期20(1\d|2[0-4])年", paper_text(f))]
    zero = [f for f in old if "“零就业”家庭成员" in paper_text(f)]
    assert zero
    for f in zero:
        text = paper_text(f)
        for line in text.split("\n"):
            if "一个月内" in line:
                assert "自本协议签订之日起计" in line, line


def test_seven_days_from_a_registration_long_past_run_from_the_agreement(tmp_path):
    """JS-2002 三: a household of two unemployed finds work within 7 days of
    registering; a household registered long ago is not promised 7 days that are over."""
    a, r = _agreements(tmp_path, "JS-2002")
    registered = a.run.persons.frame["unemployment_registration_date"].dropna()
    assert registered.map(
        lambda d: d.date() if hasattr(d, "date") else d
    ).max() < TODAY - dt.timedelta(7)
    lines = [x for f in r.files for x in paper_text(f).split("\n") if "7日内" in x]
    assert lines
    for line in lines:
        assert "自本协议签订之日起计" in line, line


def test_letter_says_when_it_is_assessed_and_how_results_are_used(sample_papers):
    code, _ledger, reports = sample_papers
    pairings = 0
    for f in reports["责任书"].files:
        text = paper_text(f)
        assert "考核结果" in text and re.search(r"\d{4}年1月对全年目标完成情况进行考核", text)
        for t in Document(f).tables:
            head = [c.text for c in t.rows[0].cells]
            if "帮扶责任人" in head:  # no column that is always empty (单位或职务 was)
                pairings += 1
                for col in range(len(head)):
                    assert any(row.cells[col].text.strip() for row in t.rows[1:]), head[col]
    if code in ("JS-2002", "AH-2011", "LYG-2003"):  # texts that name a cadre per household
        assert pairings, code


def test_until_retirement_names_the_date():
    """“不足5年的延长至退休” says when that is for this person (AH-2011 (八))."""
    from calc.policies import get_policy
    from doc_templates.from_assessment import _retires, period_length_text

    pack = get_policy("AH-2011")
    ben = next(b for b in pack.benefits if getattr(b.period, "near_retirement_param", None))
    retires = _retires({"birth_date": dt.date(1968, 5, 10), "sex": "男"})
    assert retires is not None and retires.year >= 2028
    text = period_length_text(pack, ben, dt.date(2026, 12, 4), None, retires)
    assert "延长至退休" in text
    assert f"{retires.year}年{retires.month}月{retires.day}日" in text
