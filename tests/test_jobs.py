"""The whole-workbook jobs: fill, check, docs (xl_addin.jobs)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest
import python_calamine as pc

from calc.errors import InputError
from workbooks import SAMPLE_POLICIES, sample_path
from workbooks.generate import REFERENCE_DATE, SPECS, write_raw
from xl_addin import jobs

AS_OF = REFERENCE_DATE


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _values(path: Path) -> dict[str, list[list]]:
    wb = pc.CalamineWorkbook.from_path(str(path))
    return {n: wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names}


@pytest.fixture
def sample(tmp_path) -> Path:
    dst = tmp_path / "台账.xlsx"
    shutil.copyfile(sample_path("SX-2008"), dst)
    return dst


@pytest.fixture(scope="module")
def raw_samples(tmp_path_factory):
    d = tmp_path_factory.mktemp("raw")
    return {code: write_raw(SPECS[code], d / f"{code}.xlsx") for code in SAMPLE_POLICIES}


def _plain_workbook(path: Path, headers: list[str], rows: list[list], params=None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(headers)
    for r in rows:
        ws.append(r)
    if params is not None:
        ps = wb.create_sheet("参数")
        for r in params:
            ps.append(r)
    wb.save(path)
    return path


# --------------------------------------------------------------------------- check


@pytest.mark.parametrize("policy", SAMPLE_POLICIES)
def test_check_finds_exactly_the_planted_problems(raw_samples, policy):
    sample = raw_samples[policy]
    before = _sha(sample.path)
    report = jobs.check(sample.path, write=False)
    assert _sha(sample.path) == before
    found = sorted((p.cell, p.field) for p in report.errors)
    planted = sorted((p.cell, p.field) for p in sample.planted_errors)
    assert found == planted
    kinds = {p.cell: p.message for p in report.errors}
    for p in sample.planted_errors:
        text = kinds[p.cell]
        if p.kind == "身份证号码校验位错误":
            assert "第18位应为" in text
        elif p.kind == "身份证号码为空":
            assert text == "身份证号码为空"
        elif p.kind == "姓名为空":
            assert text == "姓名为空"
        elif p.kind == "日期无效":
            assert "不是有效日期" in text
        elif p.kind == "性别与身份证号码不一致":
            assert "不一致" in text
    old = sorted(p.cell for p in report.notices if "15位" in p.message)
    assert old == sorted(p.cell for p in sample.planted if p.kind == "15位旧身份证号码")


def test_check_writes_a_copy_with_a_result_sheet(sample):
    before = _sha(sample)
    report = jobs.check(sample)
    assert _sha(sample) == before
    assert report.output == sample.with_name("台账.检查结果.xlsx")
    sheets = _values(report.output)
    assert list(sheets)[-1] == "检查结果"
    cells = {row[1] for row in sheets["检查结果"][5:]}
    assert {p.cell for p in report.errors} <= cells
    assert sheets["台账"] == _values(sample)["台账"]


def test_check_marks_each_bad_cell_with_a_colour_and_a_comment(raw_samples):
    import openpyxl

    sample = raw_samples["SX-2008"]
    report = jobs.check(sample.path)
    assert report.marked
    ws = openpyxl.load_workbook(report.output)[report.sheet]
    for p in sample.planted_errors:
        cell = ws[p.cell]
        assert cell.comment is not None and cell.comment.text, p.cell
        assert cell.fill.fgColor.rgb.endswith("FFC7CE"), p.cell
    for p in report.notices:
        if p.cell and p.cell not in {e.cell for e in report.errors}:
            assert ws[p.cell].fill.fgColor.rgb.endswith("FFEB9C"), p.cell
    assert not list(report.output.parent.glob("*备份*")) and not list(
        report.output.parent.glob(".*标注中*")
    )


def test_check_reports_missing_required_columns(tmp_path):
    path = _plain_workbook(
        tmp_path / "缺列.xlsx",
        ["姓名", "性别", "出生日期", "社区"],
        [["张三", "男", "1970-01-01", "甲"]],
    )
    report = jobs.check(path, write=False)
    assert any("公民身份号码" in p.message for p in report.errors)


# --------------------------------------------------------------------------- fill


def test_fill_writes_the_result_columns_beside_the_input(sample):
    before = _sha(sample)
    report = jobs.fill(sample, as_of=AS_OF)
    assert _sha(sample) == before
    assert report.output == sample.with_name("台账.已填写.xlsx")
    assert report.policy == "SX-2008" and "参数" in report.policy_source
    assert list(report.written) == list(jobs.RESULT_HEADERS.values())
    ws = openpyxl.load_workbook(report.output)["台账"]
    header_row = report.header_row
    letters = report.written
    assert ws[f"{letters['认定类别']}{header_row}"].value == "认定类别"
    # styled like the neighbouring header
    new = ws[f"{letters['认定类别']}{header_row}"]
    clerk = ws["B3"]  # the clerk's header cell (anchor of a merged header)
    assert (new.font.b, new.fill.fgColor.rgb) == (clerk.font.b, clerk.fill.fgColor.rgb)
    problems = [ws[f"{letters['数据问题']}{r}"].value for r in range(5, report.last_row + 1)]
    texts = [t for t in problems if t]
    assert any(t.startswith("D") and "第18位应为" in t for t in texts)
    assert report.summary.problems == 10


def test_fill_is_idempotent(sample, tmp_path):
    first = jobs.fill(sample, out=tmp_path / "一.xlsx", as_of=AS_OF)
    second = jobs.fill(first.output, out=tmp_path / "二.xlsx", as_of=AS_OF)
    assert second.written == first.written
    assert _values(first.output) == _values(second.output)


def test_fill_in_place_keeps_a_backup(sample):
    original = sample.read_bytes()
    report = jobs.fill(sample, in_place=True, as_of=AS_OF)
    assert report.output == sample
    assert report.backup is not None and report.backup.read_bytes() == original
    assert "备份" in report.backup.name
    assert sample.read_bytes() != original


def test_fill_with_formulas_writes_cached_values(sample, tmp_path):
    report = jobs.fill(sample, out=tmp_path / "公式.xlsx", as_of=AS_OF, formulas=True)
    ws = openpyxl.load_workbook(report.output)["台账"]
    cell = f"{report.written['认定类别']}{report.first_row}"
    anchor = ws[cell].value
    assert anchor.text.startswith('=JY_CATEGORY("SX-2008",')
    assert anchor.ref.startswith(cell + ":")  # one array formula for the column
    values = openpyxl.load_workbook(report.output, data_only=True)["台账"]
    # 是否符合 reads 是/否 as in the values file (an IF around JY_ELIGIBLE), not TRUE/FALSE
    assert values[f"{report.written['是否符合']}{report.first_row}"].value in ("是", "否")


def test_policy_option_overrides_the_workbook(sample, tmp_path):
    report = jobs.fill(sample, out=tmp_path / "o.xlsx", policy="AH-2011", as_of=AS_OF)
    assert report.policy == "AH-2011" and report.policy_source == "命令行"


def test_policy_is_required_without_a_parameter_sheet(tmp_path):
    path = _plain_workbook(
        tmp_path / "无参数.xlsx",
        ["姓名", "公民身份号码", "性别", "社区"],
        [["张三", "140106197001010019", "男", "甲"]],
    )
    with pytest.raises(InputError, match="未指定政策代码"):
        jobs.fill(path)
    report = jobs.fill(path, policy="SX-2008")
    assert report.summary.people == 1


def test_missing_required_header_lists_what_was_recognised(tmp_path):
    path = _plain_workbook(
        tmp_path / "缺列.xlsx",
        ["姓名", "性别", "出生日期", "社区"],
        [["张三", "男", "1970-01-01", "甲"]],
    )
    with pytest.raises(InputError) as err:
        jobs.fill(path, policy="SX-2008")
    text = str(err.value)
    assert "缺少必需的列" in text and "公民身份号码" in text and "已识别" in text


def test_bad_parameter_row_is_a_chinese_error(tmp_path):
    path = _plain_workbook(
        tmp_path / "坏参数.xlsx",
        ["姓名", "公民身份号码", "性别", "社区"],
        [["张三", "140106197001010019", "男", "甲"]],
        params=[
            ["名称", "数值", "生效日期", "依据"],
            ["政策代码", "SX-2008", "2008-05-28", "文件"],
            ["最低工资标准", 1800, None, "x"],
        ],  # fmt: skip
    )
    with pytest.raises(InputError, match="生效日期"):
        jobs.fill(path)


def test_parse_helpers():
    assert jobs.parse_rows("3-20") == (3, 20)
    assert jobs.parse_rows("7") == (7, 7)
    with pytest.raises(InputError):
        jobs.parse_rows("a-b")
    assert jobs.parse_where(["社区=幸福社区", "街道＝东街"]) == [
        ("社区", "幸福社区"),
        ("街道", "东街"),
    ]
    with pytest.raises(InputError):
        jobs.parse_where(["社区"])
    assert jobs.parse_as_of("2026年11月1日") == dt.date(2026, 11, 1)
    with pytest.raises(InputError, match="认定基准日期"):
        jobs.parse_as_of("明天")


# --------------------------------------------------------------------------- docs


def test_docs_for_selected_rows(sample, tmp_path):
    a = jobs.assess_workbook(sample, as_of=AS_OF)
    community = a.ledger.data["community"].iloc[0]
    sel = jobs.select_rows(a, (5, 60), [("社区", community)])
    assert len(sel) and all(5 <= r <= 60 for r in sel)
    assert (a.ledger.data.loc[sel, "community"] == community).all()
    report = jobs.docs(sample, "协议书", tmp_path / "协议书", rows="5-60", where=[f"社区={community}"], as_of=AS_OF)  # fmt: skip
    eligible = int(a.results.loc[sel, "eligible"].sum())
    assert len(report.files) == eligible == report.people
    assert all(f.exists() and f.suffix == ".docx" for f in report.files)
    assert report.merged is not None and report.merged.exists()
    # the notice lists only persons without a certification date (new applicants)
    from doc_helpers import with_new_applicants

    new = with_new_applicants(sample)
    notice = jobs.docs(sample, "公示", tmp_path / "公示", as_of=AS_OF)
    assert len(notice.files) == 1
    already = int(notice.note.split(" ")[0])
    assert "人台账中已有认定日期" in notice.note and 0 < already < eligible_all(sample)
    from docx import Document

    doc = Document(notice.files[0])
    listed = [r for t in doc.tables for r in t.rows if r.cells[0].text.isdigit()]
    assert len(listed) == eligible_all(sample) - already and len(listed) <= len(new)
    letters = jobs.docs(sample, "责任书", tmp_path / "责任书", as_of=AS_OF)
    assert len(letters.files) == a.ledger.data["community"].nunique()
    assert "目标" in letters.note


def eligible_all(path) -> int:
    return int(jobs.assess_workbook(path, as_of=AS_OF).results["eligible"].sum())


def test_docs_unknown_column_in_where(sample, tmp_path):
    with pytest.raises(InputError, match="不存在"):
        jobs.docs(sample, "公示", tmp_path, where=["无此列=1"], as_of=AS_OF)


def test_letters_are_signed_by_the_unit_that_set_the_targets(sample, tmp_path):
    from docx import Document

    from xl_addin.ledger_read import read_targets_sheet

    report = jobs.docs(sample, "责任书", tmp_path / "责任书", as_of=AS_OF)
    targets = read_targets_sheet(sample)
    issuer_of = {r["责任单位"]: r["下达单位"] for r in targets}
    checked = 0
    for path in report.files:
        if "合并打印" in path.name:
            continue
        doc = Document(path)
        text = "\n".join(p.text for p in doc.paragraphs)
        text += "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
        unit = next(u for u in issuer_of if f"乙方：{u}" in text)
        assert f"甲方：{issuer_of[unit]}" in text
        assert "户" in text and "第四条第（一）项" in text  # the zero-employment household target
        assert "SX-2008" not in text
        checked += 1
    assert checked == len(issuer_of)


def test_unreadable_deadline_in_the_targets_sheet_is_reported(sample, tmp_path):
    wb = openpyxl.load_workbook(sample)
    wb["目标"]["G3"] = "明年年底"
    wb.save(sample)
    with pytest.raises(InputError, match=r"“目标”表第3行“完成时限”"):
        jobs.docs(sample, "责任书", tmp_path / "责任书", as_of=AS_OF)
