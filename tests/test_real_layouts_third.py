"""Real ledgers, third reading (tests/real_layouts.py THIRD_READING): what reading
still guessed — columns that only look like a field, rows that are not people,
one person twice, certified without a date, categories under other headers,
month-precision values, labels under the title."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from real_layouts import AS_OF, guangdong_subsidy_export, neimenggu_category_roster

from calc.normalize import normalise, split_period
from xl_addin import jobs
from xl_addin import ledger_read as LR


def _filled(path, sheet):
    ws = openpyxl.load_workbook(path)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if "认定结论" in r)
    head = list(rows[at])
    return {i + 1: dict(zip(head, r, strict=False)) for i, r in enumerate(rows) if i > at}


@pytest.fixture
def guangdong(tmp_path):
    return guangdong_subsidy_export(tmp_path)


@pytest.fixture
def neimenggu(tmp_path):
    return neimenggu_category_roster(tmp_path)


# 1. value-domain check -------------------------------------------------------


def test_a_column_of_needs_is_not_the_certified_category(guangdong, tmp_path):
    ledger = LR.read_ledger(guangdong.path)
    # 困难类型 (F) lists needs (生活,医疗): not the category; 认定情形 (G) is, by its values
    assert [(c, h, n) for c, h, n, _ in ledger.rejected] == [
        ("F", "困难类型", "certified_category")
    ]
    assert ledger.columns["certified_category"] == "G"
    assert "内容不符、未使用：困难类型(F)" in ledger.describe_columns()
    report = jobs.check(guangdong.path, out=tmp_path / "c.xlsx")
    said = [p.message for p in report.notices if p.cell == "F1"]
    assert said and "不是“就业困难人员类型”的值" in said[0]
    fm = {r[0]: r for r in report.field_map_rows[1:]}
    assert fm["困难类型"][1] == "不使用" and "内容不是它的值" in fm["困难类型"][4]


def test_needs_alone_never_make_anyone_certified(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "公民身份号码", "困难类型", "失业登记日期", "户籍性质"])
    from real_layouts import _id

    for i, need in enumerate(["生活,医疗", "住房", "就学,就业", "其他,生活"]):
        ws.append([f"赵{'一二三四'[i]}", _id(1990, 1, i + 1, "男", 40 + i), need, None, "城镇"])
    path = tmp_path / "needs.xlsx"
    wb.save(path)
    filled = jobs.fill(path, out=tmp_path / "f.xlsx", policy="AH-2011", as_of=AS_OF)
    for row in _filled(filled.output, filled.sheet).values():
        assert row["认定结论"] != "符合" and "已认定" not in (row["认定依据"] or "")


# 2. rows that are not people -------------------------------------------------


def test_pager_line_and_nameless_rows_are_not_people(guangdong, tmp_path):
    ledger = LR.read_ledger(guangdong.path)
    assert ledger.data.index.tolist() == [2, 3, 4, 5, 6]
    assert guangdong.expect["pager_row"] in ledger.skipped_rows
    assert ledger.non_person_rows == guangdong.expect["stray_rows"]
    filled = jobs.fill(guangdong.path, out=tmp_path / "f.xlsx", policy="AH-2011", as_of=AS_OF)
    assert filled.summary.people == 5
    rows = _filled(filled.output, filled.sheet)
    assert rows[7]["认定结论"] is None and rows[8]["认定结论"] is None
    report = jobs.check(guangdong.path, write=False)
    assert any("第7行没有姓名和身份证号码" in p.message for p in report.notices)


def test_pager_texts():
    for text in ("共 21 条记录", "第 1 页/共 3 页", "每页显示 20 条", "共3页"):
        assert LR._is_stop_row([text, "", ""], 3, [1, 2]), text


# 3. one person twice ---------------------------------------------------------


def test_the_same_id_twice_is_flagged_on_both_rows_and_papered_once(guangdong, tmp_path):
    name, first, second = guangdong.expect["duplicate"]
    report = jobs.check(guangdong.path, write=False)
    cells = {p.cell: p.message for p in report.errors}
    assert f"第{second}行" in cells[f"D{first}"] and f"第{first}行" in cells[f"D{second}"]
    filled = jobs.fill(guangdong.path, out=tmp_path / "f.xlsx", policy="AH-2011", as_of=AS_OF)
    rows = _filled(filled.output, filled.sheet)
    assert "身份证号码与第6行相同" in rows[first]["数据问题"]
    assert "身份证号码与第2行相同" in rows[second]["数据问题"]
    docs = jobs.docs(
        guangdong.path, "协议书", out_dir=tmp_path / "x", policy="AH-2011", as_of=AS_OF
    )
    made = [f.name for f in docs.files if name in f.name]
    assert len(made) == 1, docs.files
    assert any("未重复生成" in w for w in docs.warnings)


# 4. certified without a date -------------------------------------------------


def test_certified_without_a_date_is_certified_with_the_date_open(neimenggu, tmp_path):
    filled = jobs.fill(neimenggu.path, out=tmp_path / "f.xlsx", policy="AH-2011", as_of=AS_OF)
    rows = _filled(filled.output, filled.sheet)
    people = [r for r in rows.values() if r.get("认定结论")]
    assert len(people) == 4
    assert all("认定日期待核实" in r["认定依据"] for r in people)
    notice = jobs.docs(
        neimenggu.path, "公示", out_dir=tmp_path / "n", policy="AH-2011", as_of=AS_OF
    )
    assert not notice.files  # certified people are never announced as newcomers
    assert "记载已认定" in notice.note
    agreements = jobs.docs(
        neimenggu.path, "协议书", out_dir=tmp_path / "a", policy="AH-2011", as_of=AS_OF
    )
    assert len([f for f in agreements.files if f.suffix == ".docx"]) >= 4
    assert not agreements.skipped


# 5. category words under other headers ---------------------------------------


def test_category_words_under_person_type_are_the_certified_category(neimenggu):
    ledger = LR.read_ledger(neimenggu.path)
    assert ledger.columns["certified_category"] == "H"
    assert ledger.reassigned == [("H", "人员类别", "separation_type", "certified_category")]


def test_a_tick_column_is_never_suggested_as_a_date(neimenggu):
    report = jobs.check(neimenggu.path, write=False)
    fm = {r[0]: r for r in report.field_map_rows[1:]}
    row = fm["“4050”人员"]
    assert row[1] != "4050认定日期" and "4050认定日期" not in row[4]


# 6. month precision ----------------------------------------------------------


def test_month_values_are_read_with_the_assumption_said(guangdong):
    ledger = LR.read_ledger(guangdong.path)
    persons = normalise(ledger.data, as_of=AS_OF)
    first = persons.frame["first_approval_date"]
    assert first.loc[2] == pd.Timestamp(2023, 5, 1)
    assert "只写到月，按该月1日计" in persons.problems.loc[2]
    assert persons.frame["subsidy_start_month"].loc[3] == pd.Timestamp(2023, 7, 1)
    assert persons.frame["subsidy_end_month"].loc[2] == pd.Timestamp(2023, 12, 1)
    report = jobs.check(guangdong.path, write=False)
    assert not [p for p in report.errors if p.cell.startswith("H")]  # a notice, not an error
    assert not [p for p in report.errors if p.cell.startswith("K")]  # “—” and “1,305.60元”


def test_split_period_forms():
    assert split_period("2022.03-2022.12") == ("2022.03", "2022.12")
    assert split_period("2023年7月至2023年12月") == ("2023年7月", "2023年12月")
    assert split_period("202401—202412") == ("202401", "202412")
    assert split_period("2023.07") == (None, None)


# 10. labels on the line under the title --------------------------------------


def test_community_on_the_line_under_the_title(neimenggu):
    ledger = LR.read_ledger(neimenggu.path)
    assert set(ledger.data["community"]) == {"南华社区"}
    assert "社区：南华社区" in ledger.sources["community"]
