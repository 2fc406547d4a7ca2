"""Household members listed only on a 家属信息 sheet: they decide the
household tests — SX-2008 一(二), JS-2002 二(一), AH-2011 零就业家庭成员 — but are not
persons of the ledger: nothing is written for them, they are not counted, they get no
documents.  Fixture: tests/real_layouts.py ``family_members_export``."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from person_factory import make_id
from real_layouts import AS_OF, family_members_export
from test_button_vs_command import book_of, sc, sheets_of, written_cells
from xlwings_helpers import run_script

from calc.assess import run_ledger
from calc.errors import InputError
from calc.normalize import normalise
from xl_addin import jobs, ledger_read

FAMILY = "家属信息"


@pytest.fixture
def layout(tmp_path):
    return family_members_export(tmp_path)


def _family_rows(path: Path) -> dict[str, tuple[int, str]]:
    """家属姓名 → (Excel row, 家属公民身份号码) as the sheet holds them."""
    ws = openpyxl.load_workbook(path)[FAMILY]
    head = [c.value for c in ws[1]]
    name, own = head.index("家属姓名"), head.index("家属公民身份号码")
    return {
        r[name].value: (r[name].row, r[own].value) for r in ws.iter_rows(min_row=2) if r[name].value
    }


def _by_name(a, values) -> dict[str, object]:
    return dict(zip(a.ledger.data["name"].tolist(), pd.Series(values).tolist(), strict=True))


def _part(path: Path, sheet: str) -> bytes:
    """The XML part of one worksheet, byte for byte."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'<sheet [^>]*name="{sheet}"[^>]*r:id="([^"]+)"', book).group(1)
        target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels)
        if target is None:  # attribute order differs between writers
            target = re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
        name = target.group(1).lstrip("/")
        return z.read(name if name.startswith("xl/") else "xl/" + name)


def _with_parameter(path: Path, out: Path, name: str, value: str, policy: str) -> Path:
    shutil.copy(path, out)
    wb = openpyxl.load_workbook(out)
    ws = wb.create_sheet("参数")
    ws.append(["参数名称", "参数值", "生效日期", "依据", "政策"])
    ws.append([name, value, "2008-05-28", "本地规定", policy])
    wb.save(out)
    return out


def test_members_only_on_the_family_sheet_are_context_not_persons(layout):
    ledger = ledger_read.read_ledger(layout.path)
    assert len(ledger.data) == layout.people
    rows = _family_rows(layout.path)
    members = ledger.household_members
    expected = {rows[n][1] for n in layout.expect["members_only"]}
    assert set(members["id_number"]) == expected  # not 潘春燕 nor the head's own row
    assert sorted(members.index) == sorted(rows[n][0] for n in layout.expect["members_only"])
    assert ledger.household_members_source == "工作表“家属信息”"


def test_sx2008_zero_employment_household_counts_family_sheet_members(layout):
    a = jobs.assess_workbook(layout.path, "SX-2008", AS_OF)
    zero = _by_name(a, a.run.context.zero_employment_household)
    assert zero["韩建军"] is True  # wife on 家属信息 also unemployed
    assert zero["冯德明"] is False  # wife on 家属信息 在岗: an employed member decides it
    assert zero["邱志强"] is pd.NA  # son's 就业状态 blank: cannot tell, never true
    assert zero["谢国华"] is True  # the student son is not counted either way
    why = _by_name(a, a.results["explanation"])
    rows = _family_rows(layout.path)
    assert "不符合 SX-2008 一(二)" in why["冯德明"]
    assert "家庭中有劳动年龄内成员已就业" in why["冯德明"]
    assert "家庭成员取自工作表“家属信息”（2人）" in why["冯德明"]
    assert "待核实 SX-2008 一(二)" in why["邱志强"]
    assert f"其中第{rows['邱雨'][0]}行就业状态不明" in why["邱志强"]
    assert "家庭成员取自工作表“家属信息”（1人）" in why["韩建军"]
    # the persons and the summary count the ledger's six people, not the members
    assert len(a.results) == layout.people
    assert a.summary().people == layout.people


def test_zero_employment_only_because_of_the_family_sheet(layout, tmp_path):
    """With 单人户认定零就业家庭 = 否, 韩建军 alone is no zero-employment household;
    his unemployed wife, listed only on 家属信息, makes it one."""
    path = _with_parameter(
        layout.path, tmp_path / "参数.xlsx", "单人户认定零就业家庭", "否", "SX-2008"
    )
    a = jobs.assess_workbook(path, "SX-2008", AS_OF)
    assert _by_name(a, a.run.context.zero_employment_household)["韩建军"] is True
    wb = openpyxl.load_workbook(path)
    wb[FAMILY].delete_rows(_family_rows(path)["曹丽萍"][0])  # the wife's row only
    alone = tmp_path / "无配偶.xlsx"
    wb.save(alone)
    b = jobs.assess_workbook(alone, "SX-2008", AS_OF)
    assert _by_name(b, b.run.context.zero_employment_household)["韩建军"] is False


def test_js2002_counts_unemployed_family_members_of_working_age(layout):
    a = jobs.assess_workbook(layout.path, "JS-2002", AS_OF)
    low, high = (_by_name(a, b) for b in a.run.context.household_unemployed_bounds)
    assert low["韩建军"] == high["韩建军"] == 2  # himself and his wife on 家属信息
    assert low["谢国华"] == high["谢国华"] == 1  # the student son is not counted
    # wife in work; the daughter's status “见附件” could make it 2: unknown, not false
    assert (low["冯德明"], high["冯德明"]) == (1, 2)
    from calc.rules import two_or_more_unemployed_in_household

    verdict = _by_name(a, two_or_more_unemployed_in_household(a.run.context)[0])
    assert (verdict["韩建军"], verdict["谢国华"], verdict["冯德明"]) == (True, False, pd.NA)
    why = _by_name(a, a.results["explanation"])
    # the household condition is met; 二(一) waits only for 其他稳定收入 (no such column)
    assert "待核实 JS-2002 二(一)" in why["韩建军"] and "户内下岗失业1人" not in why["韩建军"]
    assert "户内下岗失业1人" in why["谢国华"]
    assert "户内下岗失业1人" in why["冯德明"] and "另有成员就业状态或年龄不明" in why["冯德明"]


def test_ah2011_zero_employment_member_counts_family_sheet_members(layout):
    a = jobs.assess_workbook(layout.path, "AH-2011", AS_OF)
    zero = _by_name(a, a.run.context.zero_employment_household)
    assert (zero["韩建军"], zero["冯德明"], zero["邱志强"]) == (True, False, pd.NA)
    cats = _by_name(a, a.results["categories"])
    assert "零就业家庭成员" in cats["韩建军"]
    assert "零就业家庭成员" not in cats["冯德明"]  # 大龄 still: his wife's job takes only this
    why = _by_name(a, a.results["explanation"])
    assert "待核实 AH-2011 (三)零就业家庭成员" in why["邱志强"]


def test_fill_and_documents_leave_the_members_alone(layout, tmp_path):
    out = tmp_path / "已填写.xlsx"
    filled = jobs.fill(layout.path, out=out, policy="SX-2008", as_of=AS_OF)
    assert filled.summary.people == layout.people
    assert _part(out, FAMILY) == _part(layout.path, FAMILY)  # nothing written there
    names = layout.expect["members_only"]
    for kind in jobs.DOC_KINDS:
        docs = jobs.docs(layout.path, kind, out_dir=tmp_path / kind, policy="SX-2008", as_of=AS_OF)
        for f in docs.files:
            with zipfile.ZipFile(f) as z:
                text = "".join(
                    z.read(n).decode("utf-8", "ignore") for n in z.namelist() if n.endswith(".xml")
                )
            assert not any(n in text for n in names), (kind, f.name)


def test_the_fill_button_gives_the_same_household_answers(layout, tmp_path):
    out = tmp_path / "已填写.xlsx"
    report = jobs.fill(layout.path, out=out, policy="SX-2008", as_of=AS_OF)
    book = book_of(layout.path)
    book["book"]["name"] = layout.path.name
    # the button takes the policy from the workbook: give it the command's
    settings = next(s for s in book["sheets"] if s["name"] == "设置")
    settings["values"].append(["政策代码", "SX-2008"])
    result = run_script(sc, "jy_fill_columns", book)
    names = [n for n, _ in sheets_of(layout.path)]
    assert not written_cells(result, names.index(FAMILY))  # nothing for the family sheet
    by_button = written_cells(result, names.index(report.sheet))
    filled = dict(sheets_of(out))[report.sheet]
    col = ledger_read.column_index(report.written[jobs.RESULT_HEADERS["explanation"]])
    rows = range(report.first_row, report.last_row + 1)
    button = [by_button[(r, col)] for r in rows]
    command = [filled[r - 1][col - 1] for r in rows]
    assert button == command
    assert sum("家庭成员取自工作表“家属信息”" in t for t in button) == 4


def test_check_says_where_the_household_members_came_from(layout):
    report = jobs.check(layout.path, write=False)
    assert report.people == layout.people
    assert (
        "家庭成员另取自工作表“家属信息”（5人，不在本台账，只用于家庭条件）" in report.columns_text
    )


def test_formulas_are_refused_when_the_family_sheet_decides_households(layout, tmp_path):
    """A JY_ formula recalculated in Excel sees the ledger's rows only: it would
    drop the 家属信息 members, so fill with formulas says so instead."""
    with pytest.raises(InputError, match="家属信息"):
        jobs.fill(
            layout.path, out=tmp_path / "f.xlsx", policy="SX-2008", as_of=AS_OF, formulas=True
        )
    assert not (tmp_path / "f.xlsx").exists()


def test_members_join_the_head_household_number_and_students_are_not_unreadable():
    """calc level: a member joins the 家庭编号 of the ledger person who heads the
    household; “在校学生” as 就业状态 is a student, not an unreadable status."""
    head = make_id(dt.date(1980, 1, 1), "男", region="140105", seq=11)
    raw = pd.DataFrame(
        {
            "name": ["甲"],
            "id_number": [head],
            "household_id": ["H001"],
            "employment_status": ["失业"],
            "household_registration": ["城镇"],
        },
        dtype=object,
    )
    members = pd.DataFrame(
        {
            "household_head_id": [head, head],
            "id_number": [
                make_id(dt.date(2007, 1, 1), "女", region="140105", seq=12),
                make_id(dt.date(1982, 1, 1), "女", region="140105", seq=13),
            ],
            "employment_status": ["在校学生", "灵活就业"],
        },
        index=pd.Index([2, 3], name="excel_row"),
        dtype=object,
    )
    persons = normalise(raw, as_of=AS_OF, members=members, members_source="工作表“家属信息”")
    m = persons.members.frame
    assert m["household_id"].tolist() == ["H001", "H001"]
    assert m["in_school"].tolist() == [True, pd.NA]
    assert persons.members.problems.tolist() == ["", ""]  # 在校学生 is no problem
    run = run_ledger("SX-2008", persons, AS_OF)
    assert len(run.results) == 1
    # the wife in flexible work is employed: no zero-employment household
    assert run.context.zero_employment_household.tolist() == [False]
    assert "家庭成员取自工作表“家属信息”（2人）" in run.results["explanation"].iloc[0]


def test_check_lists_the_family_members_data_problems_by_their_row(layout):
    rows = _family_rows(layout.path)
    report = jobs.check(layout.path, write=False)
    texts = [p.message for p in report.notices]
    row = rows["冯佳"][0]
    assert any(
        t.startswith(f"工作表“家属信息”第{row}行（家庭成员，不在本台账）：") and "见附件" in t
        for t in texts
    ), texts
    assert not any("谢小军" in t or f"第{rows['谢小军'][0]}行（家庭成员" in t for t in texts)


def test_the_check_button_lists_what_jyyz_check_lists(layout):
    command = jobs.check(layout.path, write=False)
    result = run_script(sc, "jy_check_ledger", book_of(layout.path))
    names = [n for n, _ in sheets_of(layout.path)]
    summary = written_cells(result, len(names) + 1)  # 检查结果 after 设置
    rows = max(r for r, _ in summary)
    table = [[summary.get((r, c), "") for c in range(1, 7)] for r in range(1, rows + 1)]
    listed = [(r[1], r[4], r[5]) for r in table[5:] if r[0] != ""]
    assert listed == [(p.cell, p.level, p.message) for p in command.errors + command.notices]
    assert any("（家庭成员，不在本台账）" in m for _, _, m in listed)
