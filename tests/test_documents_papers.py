"""Papers fit to sign and post: the office's own details, the procedure
in order, citations in words, batches that survive bad rows, a register that
keeps secrets, re-issue numbering, targets that are goals, local templates.

Expected texts are written from the policy texts and the issue, not copied
from the code's output.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from calc.clauses import clause, clause_number, clauses, read_typed
from calc.errors import InputError
from doc_templates.citations import Citer, clause_in_words
from doc_templates.contexts import PolicyRef
from doc_templates.formatting import BLANK, fullwidth
from workbooks import SAMPLE_POLICIES, sample_path
from xl_addin import jobs

TODAY = dt.date.today()
POLICY_KEY = re.compile(r"[A-Z]{2,3}-20\d\d")
OFFICE_PARAMS = ("发文机关", "上级单位", "异议受理电话", "异议受理地址")


def paper_text(path: Path) -> str:
    doc = Document(path)
    text = [p.text for p in doc.paragraphs]
    text += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(text)


def copy_sample(tmp_path: Path, code: str = "SX-2008") -> Path:
    dst = tmp_path / f"台账_{code}.xlsx"
    shutil.copyfile(sample_path(code), dst)
    return dst


def drop_office_parameters(path: Path) -> None:
    """The ledger without office details (参数 rows and the 设置 sheet of offices)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["参数"]
    for r in range(ws.max_row, 1, -1):
        if ws.cell(r, 1).value in OFFICE_PARAMS:
            ws.delete_rows(r)
    if "设置" in wb.sheetnames:
        del wb["设置"]
    wb.save(path)


#: The 柳巷街道 community of the SX sample (an office that names its street serves it).
LIUXIANG = [("街道", "柳巷街道")]


def register_rows(folder: Path) -> list[dict]:
    with (folder / "文书登记簿.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# ---------------------------------------------------------------- 1. office details


def test_without_office_settings_no_paper_invents_an_office(tmp_path):
    ledger = copy_sample(tmp_path)
    drop_office_parameters(ledger)
    reports = [
        jobs.docs(ledger, "协议书", tmp_path / "a", rows="1-40"),
        jobs.docs(ledger, "公示", tmp_path / "n"),
        jobs.docs(ledger, "责任书", tmp_path / "l"),
    ]
    for r in reports:
        assert r.files, r.kind
        # one warning naming every missing detail
        assert len(r.warnings) >= 1
        assert all(w in r.warnings[0] for w in ("发文机关", "地址", "电话", "上级单位"))
    for r in reports[:2]:
        for f in r.files:
            text = paper_text(f)
            assert "示例" not in text and "0000-0000000" not in text
            assert BLANK in text
    notice = paper_text(reports[1].files[0])
    assert f"按程序报{BLANK}认定" in notice and f"（联系电话：{BLANK}；地址：{BLANK}）" in notice
    agreement = paper_text(reports[0].files[0])
    assert f"甲方（援助方）：{BLANK}" in agreement and f"联系电话：{BLANK}" in agreement


def test_office_file_and_settings_sheet_are_the_clerks_data(tmp_path):
    ledger = copy_sample(tmp_path)
    drop_office_parameters(ledger)
    office = tmp_path / "单位信息.txt"
    office.write_text(
        "发文机关：太原市迎泽区柳巷街道劳动保障事务所\n地址：柳巷南路18号\n"
        "电话：0351-4123456\n上级单位：迎泽区人力资源和社会保障局\n"
        "用印单位：太原市迎泽区柳巷街道办事处\n编号前缀：柳巷\n",
        encoding="utf-8",
    )
    r = jobs.docs(ledger, "协议书", tmp_path / "a", where=LIUXIANG, office=office)
    assert r.warnings == []
    text = paper_text(r.files[0])
    assert "甲方（援助方）：太原市迎泽区柳巷街道劳动保障事务所" in text
    assert "地址：柳巷南路18号" in text and "联系电话：0351-4123456" in text
    assert "甲方（盖章）：太原市迎泽区柳巷街道办事处" in text  # the seal holder
    assert text.startswith("编号：柳巷协议〔")
    # the same details from the workbook's 设置 sheet
    wb = openpyxl.load_workbook(ledger)
    ws = wb.create_sheet("设置")
    ws.append(["项目", "内容"])
    ws.append(["发文机关", "设置表里的事务所"])
    ws.append(["电话", "0351-7654321"])
    wb.save(ledger)
    r = jobs.docs(ledger, "公示", tmp_path / "n", where=LIUXIANG)
    text = paper_text(r.files[0])
    assert "设置表里的事务所" in text and "0351-7654321" in text
    assert "地址" in r.warnings[0] and "上级单位" in r.warnings[0]
    assert "发文机关" not in r.warnings[0].split("：")[1].split("。")[0]


# ---------------------------------------------------------------- 3. procedure


def test_certified_get_agreements_new_applicants_the_notice(tmp_path):
    ledger = copy_sample(tmp_path)
    a = jobs.assess_workbook(ledger)
    frame = a.run.persons.frame
    eligible = a.results["eligible"].to_numpy(dtype=bool)
    certified = frame["first_approval_date"].notna().to_numpy()
    assert (eligible & ~certified).sum() > 0  # the samples hold new applicants
    agreements = jobs.docs(ledger, "协议书", tmp_path / "a")
    notice = jobs.docs(ledger, "公示", tmp_path / "n")
    named = {p.name.split("_")[2] for p in agreements.files}
    waiting = set(frame.loc[eligible & ~certified, "name"])
    assert not named & waiting
    listed = "\n".join(paper_text(f) for f in notice.files)
    for name in waiting:
        assert name in listed
    for name in frame.loc[eligible & certified, "name"]:
        assert f"\n{name}\n" not in listed
    reasons = {s.name: s.reason for s in agreements.skipped}
    assert all("尚未认定" in reasons[n] for n in waiting)
    # asked for: agreements for the waiting too, marked 待认定
    pending = jobs.docs(ledger, "协议书", tmp_path / "p", pending=True)
    marked = [f for f in pending.files if "待认定" in paper_text(f)]
    assert len(marked) == len(waiting)
    assert "接受就业援助协议书（待认定）" in paper_text(marked[0])


def test_each_office_numbers_from_1_and_its_files_carry_its_prefix(tmp_path):
    """Several offices in one folder: each numbers its papers from 1 with its own
    prefix (GB/T 9704 7.2.4: the 发文字号 is the issuing office's), and their papers
    never share a file name — every notice, agreement and register line keeps its
    own paper."""
    ledger = copy_sample(tmp_path)  # three offices, each with its 编号前缀
    out = tmp_path / "文书"
    made = []
    for kind in ("公示", "协议书", "责任书"):
        r = jobs.docs(ledger, kind, out, pending=kind == "协议书")
        assert len({f.name for f in r.files}) == len(r.files)
        made += r.files
    assert len({f.name for f in made}) == len(made) and all(f.exists() for f in made)
    rows = register_rows(out)
    registered = [
        f.name for f in made if "存档件" not in f.name
    ]  # the office copy: no number of its own
    assert sorted(x["文件"] for x in rows) == sorted(registered)
    by_office: dict[tuple[str, str], list[int]] = {}
    for x in rows:
        head = x["编号"].split("〔")[0]
        by_office.setdefault((x["类别"], head), []).append(int(x["序号"]))
        assert head[:-2] and head[:-2] in x["文件"], x  # the office's prefix in its file name
        assert paper_text(out / x["文件"]).count(x["编号"]) >= 1
    notices = [k for k in by_office if k[0] == "公示"]
    assert len(notices) > 1  # one notice per office
    for seqs in by_office.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), by_office


def test_papers_are_dated_when_made_never_before(tmp_path):
    ledger = copy_sample(tmp_path)
    today = f"{TODAY.year}年{TODAY.month}月{TODAY.day}日"
    letters = jobs.docs(ledger, "责任书", tmp_path / "l", as_of="2026-01-01")
    for f in letters.files:
        text = paper_text(f)
        assert f"日期：{today}" in text
        assert "日期：2026年1月1日" not in text or today == "2026年1月1日"
    with pytest.raises(InputError, match="不能倒签"):
        jobs.docs(ledger, "协议书", tmp_path / "x", date=TODAY - dt.timedelta(days=1))
    later = TODAY + dt.timedelta(days=30)
    r = jobs.docs(ledger, "协议书", tmp_path / "a", rows="1-30", date=later)
    assert f"日期：{later.year}年{later.month}月{later.day}日" in paper_text(r.files[0])


# ---------------------------------------------------------------- 4. targets


def test_gs_letters_have_the_five_numbered_work_targets(tmp_path):
    """GS-2003 一(一)'s work targets bind street offices: a street's letter (a roster
    without a 社区 column) lists them; a 居委会's letter does not."""
    ledger = copy_sample(tmp_path, "GS-2003")
    community = jobs.docs(ledger, "责任书", tmp_path / "c")
    for f in community.files:
        assert "加大再就业资金投入" not in [r.cells[1].text for r in Document(f).tables[0].rows]
    wb = openpyxl.load_workbook(ledger)
    ws = wb.worksheets[0]
    col = next(c.column for r in ws.iter_rows(max_row=4) for c in r if c.value == "社区名称")
    ws.delete_cols(col)
    wb.save(ledger)
    r = jobs.docs(ledger, "责任书", tmp_path / "l")
    doc = Document(r.files[0])
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows][1:]
    five = ["净增就业岗位", "落实再就业政策", "强化再就业服务", "加大再就业资金投入", "帮助困难群体就业"]  # fmt: skip
    assert [row[1] for row in rows[:5]] == five
    assert [row[0] for row in rows[:5]] == ["1", "2", "3", "4", "5"]
    assert all(row[2] not in ("0", "0人", "0个") for row in rows)
    text = paper_text(r.files[0])
    assert "作为考核乙方工作是否落实的重要内容" in text  # 考核与奖惩 from GS-2003 一(一)
    assert "按月、按季落实目标完成进度" in text


def test_gs_community_letters_carry_only_what_a_community_owns(tmp_path):
    """GS-2003 一(一) assesses 净增就业岗位 and 加大再就业资金投入 on governments and
    departments: a 社区居委会 neither creates the economy's jobs nor puts in money.
    Its letter carries what the text gives streets and communities: the “4050”
    roster (四(九)), small-loan intake and first review (二(五)), 低保 recipients'
    public-welfare labour and training (五(十一)).  A government target the
    目标 sheet sets for a community is left out, and the output says so."""
    ledger = copy_sample(tmp_path, "GS-2003")
    wb = openpyxl.load_workbook(ledger)
    ws = wb["目标"]
    community, issuer = ws.cell(2, 1).value, ws.cell(2, 2).value
    ws.append([community, issuer, None, "加大再就业资金投入", 5, "万元", None, None, "GS-2003"])
    wb.save(ledger)
    r = jobs.docs(ledger, "责任书", tmp_path / "c")
    assert r.files and all("社区" in f.name for f in r.files)
    for f in r.files:
        text = paper_text(f)
        for word in ("资金投入", "万元", "净增就业岗位", "五项工作目标"):
            assert word not in text, (word, f.name)
        assert "小额担保贷款申请受理、初审" in text, f.name
        assert "“4050”人员底数" in text, f.name
        assert "公益性劳动和就业培训" in text, f.name
        assert "作为考核乙方工作是否落实的重要内容" in text, f.name  # 一(一): still assessed
    assert [w for w in r.warnings if "加大再就业资金投入" in w and community in w], r.warnings


def test_ah_letters_keep_the_zero_employment_target(tmp_path):
    ledger = copy_sample(tmp_path, "AH-2011")
    a = jobs.assess_workbook(ledger)
    zero = a.run.matched("zero_employment").to_numpy() & a.results["eligible"].to_numpy(bool)
    units = set(a.run.persons.frame.loc[zero, "community"])
    assert units
    r = jobs.docs(ledger, "责任书", tmp_path / "l")
    with_target = [f for f in r.files if "零就业家庭至少一人实现就业" in paper_text(f)]
    assert len(with_target) == len(units)
    text = paper_text(with_target[0])
    assert "对乙方实施就业援助工作专项绩效考核" in text  # AH-2011 (十六)
    assert "创建充分就业社区的重点工作指标" in text


def test_household_deadline_is_never_already_past(tmp_path):
    r = jobs.docs(copy_sample(tmp_path), "责任书", tmp_path / "l")
    for f in r.files:
        doc = Document(f)
        for row in doc.tables[0].rows[1:]:
            m = re.match(r"(\d{4})年(\d{1,2})月(\d{1,2})日前", row.cells[3].text)
            assert m, row.cells[3].text
            assert dt.date(*map(int, m.groups())) >= TODAY


# ---------------------------------------------------------------- 5. citations


def test_clauses_in_words():
    assert clause_in_words(clause_number("四(一)")) == "第四条第（一）项"
    assert clause_in_words(clause_number("二(一)、(二)")) == "第二条第（一）项、第（二）项"
    assert clause_in_words(clause_number("(七)3、(八)")) == "第（七）项第3点、第（八）项"
    assert clause_in_words(clause_number("二、三")) == "第二条、第三条"
    assert clause_in_words(clause_number("(十六)")) == "第（十六）项"
    # a 依据 a clerk typed in the 目标 sheet may repeat the article
    (typed,) = read_typed("一(一)、一(二)、二")
    assert clause_in_words(typed) == "第一条第（一）项、第（二）项、第二条"
    # two clauses of one text are cited together
    assert (
        Citer([])
        .words(clauses(["SX-2008 一(一)", "SX-2008 一(三)"]))
        .endswith("第一条第（一）项、第（三）项")
    )
    sx = PolicyRef("SX-2008", "山西省人民政府办公厅关于做好就业困难人员就业援助工作的意见", clause="四(一)")  # fmt: skip
    c = Citer([sx])
    assert c.basis("") == "《山西省人民政府办公厅关于做好就业困难人员就业援助工作的意见》第四条第（一）项"  # fmt: skip
    assert c.cite(clause("SX-2008 四(一)")) == "（第四条第（一）项）"
    assert c.cite(clause("SX-2008")) == ""  # the text as a whole: nothing to find
    js = PolicyRef(
        "JS-2002", "江苏省政府办公厅关于…的通知", doc_no="苏政办发〔2002〕44号", level="省级"
    )
    lyg = PolicyRef("LYG-2003", "关于推进社区就业再就业工作的意见", doc_no="连政发〔2003〕97号", level="市级")  # fmt: skip
    two = Citer([js, lyg])
    assert "（苏政办发〔2002〕44号）（以下简称《省通知》）" in two.basis("")
    assert two.cite(clause("LYG-2003 四(一)")) == "（《市意见》第四条第（一）项）"
    assert fullwidth("SX (一), 1,000.00; 12:30") == "SX （一）， 1,000.00； 12:30"


@pytest.mark.parametrize("code", SAMPLE_POLICIES)
def test_no_policy_key_and_full_width_brackets_in_any_paper(code, tmp_path):
    ledger = copy_sample(tmp_path, code)
    files = []
    for kind, rows in (("协议书", "1-30"), ("公示", None), ("责任书", None)):
        files += jobs.docs(ledger, kind, tmp_path / kind, rows=rows).files
    assert files
    for f in files:
        text = paper_text(f)
        assert not POLICY_KEY.search(text), (f.name, POLICY_KEY.search(text))
        assert "(" not in text and ")" not in text, f.name
        assert ";" not in text and not re.search(r"(?<!\d),|,(?!\d)|(?<!\d):|:(?!\d)", text), f.name
        assert "示例" not in text


# ---------------------------------------------------------------- 6. batches


def test_one_bad_row_never_stops_the_batch(tmp_path):
    ledger = copy_sample(tmp_path)
    a = jobs.assess_workbook(ledger)
    frame = a.run.persons.frame
    ok = a.results["eligible"].to_numpy(bool) & frame["first_approval_date"].notna().to_numpy()
    row = int(frame.index[ok][0])
    name = frame.loc[row, "name"]
    wb = openpyxl.load_workbook(ledger)
    ws = wb.worksheets[0]
    col = next(c.column for r in ws.iter_rows(max_row=4) for c in r if c.value == "援助责任人")
    ws.cell(row, col).value = None
    wb.save(ledger)
    r = jobs.docs(ledger, "协议书", tmp_path / "a")
    assert len(r.files) == int(ok.sum()) - 1 - sum(1 for s in r.skipped if "身份证" in s.reason)
    bad = [s for s in r.skipped if s.name == name]
    assert bad and bad[0].row == row and "援助责任人" in bad[0].reason
    listed = list(csv.DictReader(r.not_made.open(encoding="utf-8-sig")))
    assert {"姓名": name, "行号": str(row)} == {
        k: v for k, v in listed[0].items() if k != "原因"
    } or any(  # fmt: skip
        x["姓名"] == name and x["行号"] == str(row) and "援助责任人" in x["原因"] for x in listed
    )


# ---------------------------------------------------------------- 7. register


def _ids(ledger: Path) -> list[str]:
    a = jobs.assess_workbook(ledger)
    return [str(x).upper() for x in a.run.persons.frame["id_number"].dropna()]


def test_register_holds_nothing_an_id_can_be_recovered_from(tmp_path):
    ledger = copy_sample(tmp_path)
    out = tmp_path / "a"
    jobs.docs(ledger, "协议书", out)
    blob = (out / "文书登记簿.csv").read_text(encoding="utf-8-sig")
    from calc.masking import mask_id

    for id_number in _ids(ledger):
        assert id_number not in blob and id_number[6:14] not in blob  # no ID, no birth date
        assert mask_id(id_number) not in blob
        for digest in (hashlib.sha256, hashlib.md5, hashlib.sha1):
            assert digest(id_number.encode()).hexdigest()[:8] not in blob
    # the key lives in the user's profile, not beside the papers
    assert not list(out.rglob("*.key"))
    rows = register_rows(out)
    assert all(r["登记键"].startswith("协议书|p") for r in rows)


def test_an_old_register_is_rekeyed_and_its_id_hashes_cleared(tmp_path):
    ledger = copy_sample(tmp_path)
    out = tmp_path / "a"
    jobs.docs(ledger, "协议书", out, rows="1-30")
    rows = register_rows(out)
    names, id_list = _names_ids(ledger)
    ids = {n: i for n, i in zip(names, id_list, strict=True) if names.count(n) == 1}
    rows = [r for r in rows if r["对象"].split("（")[0] in ids]  # names that say who it is
    # rewrite it as a register of the old format: 登记键 = SHA-256 prefix of the ID
    old = out / "文书登记簿.csv"
    with old.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["编号", "类别", "对象", "日期", "文件", "关键字段摘要", "年度", "序号", "登记键"]
        )
        for r in rows:
            name = r["对象"].split("（")[0]
            key = hashlib.sha256(ids[name].encode()).hexdigest()[:20]
            w.writerow([r["编号"], r["类别"], r["对象"], r["日期"], r["文件"], r["关键字段摘要"], r["年度"], r["序号"], f"协议书|{key}|{r['年度']}"])  # fmt: skip
        w.writerow(["协议〔2025〕0009号", "协议书", "某人", "2025-01-02", "x.docx", "", "2025", "9", "协议书|" + hashlib.sha256(b"140106197001011234").hexdigest()[:20] + "|2025"])  # fmt: skip
    again = jobs.docs(ledger, "协议书", out, rows="1-30")
    kept = {out / r["文件"] for r in rows}
    assert len(kept) >= 5 and kept <= set(again.files) and again.unchanged >= len(kept)
    blob = old.read_text(encoding="utf-8-sig")
    for id_number in [*ids.values(), "140106197001011234"]:
        assert hashlib.sha256(id_number.encode()).hexdigest()[:20] not in blob
    assert "（旧版登记键已清除）" in blob


def _names_ids(ledger: Path):
    a = jobs.assess_workbook(ledger)
    f = a.run.persons.frame.dropna(subset=["id_number"])
    return f["name"].tolist(), [str(x).upper() for x in f["id_number"]]


def test_unchanged_rerun_is_a_noop_and_a_change_gets_a_new_number(tmp_path):
    ledger = copy_sample(tmp_path)
    out = tmp_path / "a"
    first = jobs.docs(ledger, "协议书", out, rows="1-60")
    before = {p: p.read_bytes() for p in first.files}
    again = jobs.docs(ledger, "协议书", out, rows="1-60")
    assert again.files == first.files and again.unchanged == len(first.files)
    assert {p: p.read_bytes() for p in again.files} == before
    assert len(register_rows(out)) == len(first.files)
    # a changed paper: the officer's phone of the first person
    victim = first.files[0]
    name = victim.name.split("_")[2]
    wb = openpyxl.load_workbook(ledger)
    ws = wb.worksheets[0]
    col = next(c.column for r in ws.iter_rows(max_row=4) for c in r if c.value == "责任人电话")
    name_col = next(c.column for r in ws.iter_rows(max_row=4) for c in r if c.value == "姓名")
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, name_col).value == name)
    ws.cell(row, col).value = "13900000000"
    wb.save(ledger)
    third = jobs.docs(ledger, "协议书", out, rows="1-60")
    assert len(third.replaced) == 1
    old_no, new_no = third.replaced[0].split("→")
    assert victim.read_bytes() == before[victim]  # the numbered paper is not rewritten
    new_file = next(p for p in third.files if name in p.name)
    assert new_file != victim and "13900000000" in paper_text(new_file)
    rows = {r["编号"]: r for r in register_rows(out)}
    assert rows[old_no]["状态"] == "被替代" and new_no in rows[old_no]["替代"]
    assert rows[new_no]["状态"] == "有效" and old_no in rows[new_no]["替代"]


def test_another_policy_into_the_same_folder_overwrites_nothing(tmp_path):
    ledger = copy_sample(tmp_path)
    out = tmp_path / "a"
    first = jobs.docs(ledger, "协议书", out, rows="1-40")
    before = {p: p.read_bytes() for p in first.files}
    second = jobs.docs(ledger, "协议书", out, rows="1-40", policy="AH-2011")
    assert {p: p.read_bytes() for p in before} == before
    assert not set(second.files) & set(first.files)


# ---------------------------------------------------------------- 10. templates


def _edited_template(folder: Path, old: str, new: str) -> Path:
    from doc_templates.templates import AGREEMENT_TEMPLATE

    folder.mkdir(parents=True, exist_ok=True)
    dst = folder / "协议书.docx"
    with zipfile.ZipFile(AGREEMENT_TEMPLATE) as src, zipfile.ZipFile(dst, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode()
                assert old in text
                data = text.replace(old, new, 1).encode()
            out.writestr(item, data)
    return dst


def test_a_local_template_replaces_the_shipped_one(tmp_path):
    folder = tmp_path / "我的模板"
    _edited_template(folder, "接受就业援助协议书", "接受就业援助协议书（柳巷版）")
    r = jobs.docs(copy_sample(tmp_path), "协议书", tmp_path / "a", rows="1-20", templates=folder)
    assert "接受就业援助协议书（柳巷版）" in paper_text(r.files[0])


def test_an_unknown_placeholder_is_named_in_chinese(tmp_path):
    folder = tmp_path / "我的模板"
    _edited_template(folder, "{{ officer }}", "{{ officer }}{{ officer_mobile }}")
    with pytest.raises(InputError, match=r"不认识的占位符：\{\{ officer_mobile \}\}"):
        jobs.docs(copy_sample(tmp_path), "协议书", tmp_path / "a", templates=folder)


def test_template_folder_from_the_settings_sheet(tmp_path):
    ledger = copy_sample(tmp_path)
    _edited_template(tmp_path / "模板", "接受就业援助协议书", "接受就业援助协议书（设置表模板）")
    wb = openpyxl.load_workbook(ledger)
    del wb["设置"]
    ws = wb.create_sheet("设置")
    ws.append(["模板文件夹", "模板"])  # relative to the workbook's folder
    wb.save(ledger)
    r = jobs.docs(ledger, "协议书", tmp_path / "a", rows="1-20")
    assert "（设置表模板）" in paper_text(r.files[0])


def test_register_csv_is_written_through_safe_files(tmp_path, monkeypatch):
    """A failing write leaves the old register untouched (calc.safe_files)."""
    from calc import safe_files

    ledger = copy_sample(tmp_path)
    out = tmp_path / "a"
    jobs.docs(ledger, "协议书", out, rows="1-20")
    before = (out / "文书登记簿.csv").read_bytes()
    calls = []
    real = safe_files.write_bytes_safely

    def spy(path, data, **kw):
        calls.append(Path(path).name)
        return real(path, data, **kw)

    from doc_templates import batches, register

    monkeypatch.setattr(register, "write_bytes_safely", spy)
    monkeypatch.setattr(batches, "write_bytes_safely", spy)
    jobs.docs(ledger, "协议书", out, rows="1-40")
    assert "文书登记簿.csv" in calls and any(c.startswith("协议书_") for c in calls)
    assert (out / "文书登记簿.csv").read_bytes() != before
    assert io.BytesIO(before).read(3) == b"\xef\xbb\xbf"


# ---------------------------------------------------------------- CLI


def test_docs_command_office_duplex_and_the_not_made_list(tmp_path, capsys):
    from xl_addin import cli

    ledger = copy_sample(tmp_path)
    drop_office_parameters(ledger)
    out = tmp_path / "文书"
    code = cli.main(["docs", str(ledger), "--kind", "协议书", "-o", str(out), "--duplex"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "没有对应的单位信息（发文机关、地址、电话、上级单位）" in printed
    assert "未生成" in printed and "尚未认定" in printed and "第" in printed
    assert (out / "合并打印_协议书_双面.docx").exists()
    assert (out / "未生成_协议书.csv").exists()
    office = tmp_path / "office.csv"
    office.write_text("发文机关,柳巷事务所\n地址,柳巷南路18号\n电话,0351-4123456\n上级单位,迎泽区人社局\n", encoding="utf-8")  # fmt: skip
    code = cli.main(["docs", str(ledger), "--kind", "公示", "-o", str(tmp_path / "n"), "--office", str(office), "--where", "街道=柳巷街道"])  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0 and "单位信息" not in printed
    code = cli.main(["docs", str(ledger), "--kind", "公示", "--date", "2020-01-01"])
    assert code == 2 and "不能倒签" in capsys.readouterr().err


def test_register_key_problems_are_chinese_errors(tmp_path, monkeypatch):
    from doc_templates.register import register_key

    monkeypatch.setenv("JYYZ_HOME", str(tmp_path / "home"))
    key = register_key()
    assert len(key) == 32 and register_key() == key  # made once, then reused
    assert (tmp_path / "home" / "register.key").stat().st_mode & 0o077 == 0
    (tmp_path / "home" / "register.key").write_text("zz", encoding="ascii")
    with pytest.raises(InputError, match="已损坏"):
        register_key()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("JYYZ_HOME", str(blocker / "sub"))
    with pytest.raises(InputError):
        register_key()


def test_office_details_from_an_xlsx_file(tmp_path):
    from doc_templates.office import read_office_file

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "设置"
    for row in (
        ["项目", "内容"],
        ["发文单位", "柳巷事务所"],
        ["办公电话", "0351-1"],
        ["编号前缀", "柳巷"],
    ):
        ws.append(row)
    wb.save(tmp_path / "单位.xlsx")
    d = read_office_file(tmp_path / "单位.xlsx")
    assert (d.issuer, d.phone, d.number_prefix) == ("柳巷事务所", "0351-1", "柳巷")
    assert d.missing() == ["地址", "上级单位"]
    with pytest.raises(InputError, match="找不到单位信息文件"):
        read_office_file(tmp_path / "无.txt")


@pytest.mark.slow
def test_pdf_rerun_converts_only_changed_papers(tmp_path):
    from doc_templates.pdf import find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice is needed")
    ledger = copy_sample(tmp_path)
    out = tmp_path / "a"
    first = jobs.docs(ledger, "协议书", out, rows="1-20", pdf=True)
    assert first.pdfs and all(p.exists() for p in first.pdfs)
    stamps = {p: p.stat().st_mtime_ns for p in first.pdfs}
    again = jobs.docs(ledger, "协议书", out, rows="1-20", pdf=True)
    assert {p: p.stat().st_mtime_ns for p in again.pdfs} == stamps
    assert not list(out.glob("*备份*"))


#: The citation of a clause's basis at the end of its paragraph: （《市意见》第四条第（一）项）.
CITATION_AT_END = re.compile(r"（(《[^》]+》)?第[^（）]*(（[^（）]+）[^（）]*)*[条项款]）$")


@pytest.mark.parametrize(("code", "kind"), [("SX-2008", "协议书"), ("LYG-2003", "责任书")])
def test_a_clause_and_its_citation_stay_on_one_page(code, kind, tmp_path):
    """Every paragraph ending in the citation of its basis keeps its lines together, so
    no page starts with a lone citation line parted from its clause (the PDF check of
    the same is in test_documents_layout)."""
    src = tmp_path / "台账.xlsx"
    shutil.copyfile(sample_path(code), src)
    rows = "1-40" if kind == "协议书" else None
    paper = jobs.docs(src, kind, tmp_path / "out", rows=rows).files[0]
    cited = [p for p in Document(paper).paragraphs if CITATION_AT_END.search(p.text.strip())]
    assert len(cited) >= 3, paper.name
    loose = [p.text for p in cited if not p.paragraph_format.keep_together]
    assert not loose, loose


def test_a_two_line_notice_title_breaks_after_the_year_it_was_composed_with():
    from doc_templates.views import title_subject

    assert title_subject("2026年度就业困难人员", "2026年度") == "2026年度就业困难人员"  # one line
    two = str(title_subject("2026年度再就业援助重点对象", "2026年度"))
    assert two.startswith("2026年度</w:t><w:br/>") and two.endswith("再就业援助重点对象")
    whole = str(title_subject("某某街道再就业援助重点对象人员名单"))  # given whole: the middle
    assert whole.startswith("某某街道再就业援</w:t><w:br/>")
