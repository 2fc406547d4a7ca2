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
from xl_addin import jobs, ledger_read


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
    ledger = ledger_read.read_ledger(guangdong.path)
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
    ledger = ledger_read.read_ledger(guangdong.path)
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
        assert ledger_read._is_stop_row([text, "", ""], 3, [1, 2]), text


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
    ledger = ledger_read.read_ledger(neimenggu.path)
    assert ledger.columns["certified_category"] == "H"
    assert ledger.reassigned == [("H", "人员类别", "separation_type", "certified_category")]


def test_a_tick_column_is_never_suggested_as_a_date(neimenggu):
    report = jobs.check(neimenggu.path, write=False)
    fm = {r[0]: r for r in report.field_map_rows[1:]}
    row = fm["“4050”人员"]
    assert row[1] != "4050认定日期" and "4050认定日期" not in row[4]


# 6. month precision ----------------------------------------------------------


def test_month_values_are_read_with_the_assumption_said(guangdong):
    ledger = ledger_read.read_ledger(guangdong.path)
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
    ledger = ledger_read.read_ledger(neimenggu.path)
    assert set(ledger.data["community"]) == {"南华社区"}
    assert "社区：南华社区" in ledger.sources["community"]


# 7. letter codes with a code table -------------------------------------------


def test_letter_codes_are_decoded_with_the_code_table_under_the_data(tmp_path):
    from real_layouts import neimenggu_coded_export

    layout = neimenggu_coded_export(tmp_path)
    ledger = ledger_read.read_ledger(layout.path)
    assert ledger.data.index.tolist() == [2, 3, 4]  # the code table is no person
    assert ledger.legends["certified_category"]["DS03"] == "城镇零就业家庭成员"
    filled = jobs.fill(layout.path, out=tmp_path / "f.xlsx", policy=layout.policy, as_of=AS_OF)
    by_name = {r["姓名"]: r for r in _filled(filled.output, filled.sheet).values() if r["认定结论"]}
    for name, word in layout.expect["categories"].items():
        assert by_name[name]["认定结论"] == "符合" and word in by_name[name]["认定类别"]


def test_letter_legend_forms():
    from calc import legends

    table = "代码 名称\nDS01 大龄失业人员\nDS02 残疾人员\nDS08 其他"
    assert legends.parse_letter_legend(table) == {
        "DS01": "大龄失业人员",
        "DS02": "残疾人员",
        "DS08": "其他",
    }
    assert legends.parse_letter_legend("A1：低保人员；A2：残疾人员") == {
        "A1": "低保人员",
        "A2": "残疾人员",
    }
    assert legends.decode(["ds01", "DS01、DS02"], {"DS01": "大龄", "DS02": "残疾"}) == [
        "大龄",
        "大龄、残疾",
    ]


# 8. 户籍地 without the province; facts declared in 设置 -------------------------


def test_hukou_place_without_province_is_resolved_from_the_division_table(tmp_path):
    from real_layouts import shanxi_without_province

    from calc.places import province_of_place

    assert province_of_place("太原市小店区") == "山西"
    assert province_of_place("杏花岭区") == "山西"
    assert province_of_place("朝阳区") is None  # 北京 and 长春: no answer from it alone
    assert province_of_place("长春市朝阳区") == "吉林"
    layout = shanxi_without_province(tmp_path)
    filled = jobs.fill(layout.path, out=tmp_path / "f.xlsx", policy="SX-2008", as_of=AS_OF)
    rows = [r for r in _filled(filled.output, filled.sheet).values() if r["认定结论"]]
    assert len(rows) == 3
    for r in rows:
        assert "按行政区划属山西" in r["认定依据"] and "未写明省份" not in r["认定依据"]
        assert r["认定结论"] == "符合"


def test_an_office_declares_every_hukou_in_the_province(tmp_path):
    from real_layouts import shanxi_without_province

    layout = shanxi_without_province(tmp_path, declared=True)
    filled = jobs.fill(layout.path, out=tmp_path / "f.xlsx", policy="SX-2008", as_of=AS_OF)
    rows = [r for r in _filled(filled.output, filled.sheet).values() if r["认定结论"]]
    assert rows and all("设置声明：户籍均在本省" in r["认定依据"] for r in rows)
    assert all(r["认定结论"] == "符合" for r in rows)
    # the office's own telephone is no person's telephone
    a = jobs.assess_workbook(layout.path, "SX-2008", AS_OF)
    assert "phone" not in a.ledger.data.columns
    assert "户籍均在本省" in a.ledger.sources["registered_place"]


# 9. a family-members-only workbook -------------------------------------------


def test_a_family_members_export_alone_is_read_and_its_households_tested(tmp_path):
    from real_layouts import family_only_export

    layout = family_only_export(tmp_path)
    ledger = ledger_read.read_ledger(layout.path)
    assert ledger.family_only and "家属信息表" in ledger.sheet_reason
    filled = jobs.fill(layout.path, out=tmp_path / "f.xlsx", policy="SX-2008", as_of=AS_OF)
    rows = {r["家属姓名"]: r for r in _filled(filled.output, filled.sheet).values()}
    assert "符合 SX-2008 一(二)" in rows["田志刚"]["认定依据"]  # both spouses out of work
    assert "不符合 SX-2008 一(二)" in rows["谢国华"]["认定依据"]  # his wife is in work


# 10. merged header comments; applicant, 配偶 and 子女 side by side ---------------


def test_check_comments_on_a_merged_header_sit_on_its_anchor(tmp_path):
    from real_layouts import shandong_application_with_family

    layout = shandong_application_with_family(tmp_path)
    report = jobs.check(layout.path, out=tmp_path / "c.xlsx")
    assert any(p.cell == "M2" and "特长" in p.message for p in report.notices)
    ws = openpyxl.load_workbook(tmp_path / "c.xlsx")[report.sheet]
    assert ws["M1"].comment is not None and "特长" in ws["M1"].comment.text
    assert ws["M2"].comment is None  # a covered cell's comment is never shown


def test_spouse_and_child_columns_are_household_members(tmp_path):
    from real_layouts import shandong_application_with_family

    layout = shandong_application_with_family(tmp_path)
    ledger = ledger_read.read_ledger(layout.path)
    members = ledger.household_members
    assert sorted(members["name"]) == ["刘桂芝", "吴秀兰", "孙磊"]
    assert not [h for _, h in ledger.unknown_columns if h.startswith(("配偶", "子女"))]
    filled = jobs.fill(layout.path, out=tmp_path / "f.xlsx", policy="SX-2008", as_of=AS_OF)
    rows = {r["申请人姓名"]: r for r in _filled(filled.output, filled.sheet).values()}
    assert "符合 SX-2008 一(二)" in rows["孙建华"]["认定依据"]  # wife and son out of work too
    assert "不符合 SX-2008 一(二)" in rows["周国庆"]["认定依据"]  # his wife is in work
