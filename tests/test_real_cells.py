"""Bad cells, rows that are not people, headers as real ledgers spell them, 字段对照.

Each test fails on the earlier behaviour: #N/A read as
empty, a 合计 row assessed as a person, "（必填）" headers unrecognised…
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from person_factory import make_id, person

from calc import fields, legends
from calc.assess import NOT_ELIGIBLE, UNCERTAIN, assess_ledger, assess_person
from calc.normalize import normalise
from xl_addin import field_map, jobs, ledger_read

ON = dt.date(2026, 11, 1)
HEAD = ["序号", "姓名", "公民身份号码", "户籍性质", "就业状态", "失业登记日期", "享受低保"]


def _person_row(n: int, reg: object = dt.date(2024, 1, 10), sex: str = "女", year: int = 1980):
    return [n, f"测试{n}", make_id(dt.date(year, 5, 5), sex, seq=n), "城镇", "失业", reg, "否"]


def _save(rows: list[list[object]], path: Path, sheet: str = "台账") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _patch_cell(path: Path, ref: str, xml: str) -> None:
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                pattern = re.compile(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', re.S)
                assert pattern.search(text), ref
                data = pattern.sub(xml, text, count=1).encode()
            zout.writestr(item, data)
    shutil.move(tmp, path)


# --------------------------------------------------------------------------- bad cells


@pytest.mark.parametrize(
    "xml",
    [
        '<c r="F3" t="e"><f>VLOOKUP(C3,登记!A:B,2,0)</f><v>#N/A</v></c>',
        '<c r="F3" t="e"><v>#VALUE!</v></c>',
        '<c r="F3"><f>VLOOKUP(C3,登记!A:B,2,0)</f></c>',  # a formula saved without its value
    ],
    ids=["na", "value", "uncalculated"],
)
def test_an_error_or_uncalculated_registration_date_is_unknown_and_a_problem(tmp_path, xml):
    path = _save([HEAD, _person_row(1), _person_row(2, reg="placeholder")], tmp_path / "t.xlsx")
    _patch_cell(path, "F3", xml)
    a = jobs.assess_workbook(path, "SX-2008", ON)
    res = a.results.loc[3]
    assert res["status"] == UNCERTAIN, res["explanation"]
    assert "未失业登记" not in res["explanation"] and "为空" not in res["explanation"]
    problems = [p.text() for p in a.problems[3]]
    assert any(t.startswith("F3：") and ("错误值" in t or "公式" in t) for t in problems), problems
    check = jobs.check(path, write=False)
    assert any(p.cell == "F3" for p in check.errors)


def test_na_in_an_id_cell_is_an_error_value_not_an_empty_id(tmp_path):
    path = _save([HEAD, _person_row(1), _person_row(2)], tmp_path / "t.xlsx")
    _patch_cell(path, "C3", '<c r="C3" t="e"><f>VLOOKUP(B3,人员!A:B,2,0)</f><v>#N/A</v></c>')
    report = jobs.check(path, write=False)
    texts = [p.text() for p in report.errors if p.cell == "C3"]
    assert texts and "#N/A" in texts[0] and "为空" not in texts[0], texts


@pytest.mark.parametrize(
    ("reg", "what"),
    [
        (dt.date(2027, 5, 1), "晚于认定基准日期"),
        (dt.date(1979, 1, 1), "早于出生日期"),
        (dt.date(1994, 1, 1), "未满16周岁"),
    ],
)
def test_impossible_registration_dates_are_problems_not_facts(reg, what):
    row = person(birth=dt.date(1980, 5, 5), on=ON, unemployment_registration_date=reg)
    r = assess_person("SX-2008", row, ON)
    assert what in r.problems
    assert "已失业登记" not in r.explanation
    assert r.status != "符合"


def test_a_subsidy_ending_before_it_starts_is_a_problem():
    frame = pd.DataFrame(
        {
            "id_number": [make_id(dt.date(1980, 5, 5), "女")],
            "subsidy_start_month": ["2025年6月"],
            "subsidy_end_month": ["202412"],
        }
    )
    p = normalise(frame, as_of=ON)
    assert "补贴结束年月" in p.problems.iloc[0] and "早于补贴开始年月" in p.problems.iloc[0]
    assert p.frame["subsidy_start_month"].iloc[0] == pd.Timestamp(2025, 6, 1)


def test_a_time_in_a_date_cell_says_what_it_is(tmp_path):
    path = _save([HEAD, _person_row(1)], tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active["F2"] = 0  # 1900-01-00: what Excel keeps of a date before 1900
    wb.active["F2"].number_format = "yyyy-mm-dd"
    wb.save(path)
    report = jobs.check(path, write=False)
    text = next(p.message for p in report.errors if p.cell == "F2")
    assert "无法识别" not in text and "1900年以前" in text


# --------------------------------------------------------------------------- rows that are not people


def test_total_signature_and_note_rows_are_not_people(tmp_path):
    rows = [HEAD, _person_row(1), _person_row(2)]
    rows += [["合计", "30人"], [None, "合 计", None, None, None, None, "2人"]]
    rows += [["制表人：", "李静", "审核人：", "王军"], ["填表说明：日期写成2024-01-01"]]
    path = _save(rows, tmp_path / "t.xlsx")
    ledger = ledger_read.read_ledger(path)
    assert ledger.data.index.tolist() == [2, 3]
    filled = jobs.fill(path, out=tmp_path / "out.xlsx", policy="SX-2008", as_of=ON)
    ws = openpyxl.load_workbook(filled.output).active
    status_col = openpyxl.utils.column_index_from_string(filled.written["认定结论"])
    assert [ws.cell(r, status_col).value for r in range(4, 9)] == [None] * 5


def test_the_lower_row_of_a_header_with_unknown_group_labels_is_not_a_person(tmp_path):
    upper = ["序号", "姓名", "公民身份号码", "户籍性质", "就业状态", "失业登记日期", "家庭情况"]
    lower = [None, None, None, None, None, None, "人数"]
    path = _save([upper, lower, _person_row(1), _person_row(2)], tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    for col in "ABCDEF":
        wb.active.merge_cells(f"{col}1:{col}2")
    wb.save(path)
    ledger = ledger_read.read_ledger(path)
    assert ledger.data.index.tolist() == [3, 4]
    assert ledger.sub_header_row == 2


# --------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("公民身份号码（必填）", "id_number"),
        ("身份证号码\n(18位)", "id_number"),
        ("社会保障号码", "id_number"),
        ("*姓名：", "name"),
        ("个人姓名", "name"),
        ("性别\n（男/女）", "sex"),
        ("出生日期(年/月/日)", "birth_date"),
        ("失业登记日期\n格式：2024-01-01", "unemployment_registration_date"),
        ("是否享受低保（是/否）", "minimum_allowance"),
        ("认定时间", "first_approval_date"),
        ("就业援助对象认定时间", "first_approval_date"),
        ("再就业时间", "employment_date"),
        ("登记就业时间", "employment_date"),
        ("就业去向", "employment_status"),
        ("就业方式", "employment_type"),
        ("失业时间", "unemployment_date"),
        ("户主公民身份号码", "household_head_id"),
        ("是否登记失业人员", "registered_unemployed_flag"),
        ("援助对象类型", "certified_category"),
        ("困难人员类别", "certified_category"),
        ("补贴开始年月", "subsidy_start_month"),
        ("劳动合同期限（年）", "contract_years"),
    ],
)
def test_headers_as_real_ledgers_spell_them(header, field):
    assert fields.match_header(header) == field


def test_our_own_result_column_is_not_taken_for_a_certified_category():
    assert fields.match_header("认定类别") is None


@pytest.mark.parametrize(
    ("raw", "years"),
    [("3年", 3.0), ("36个月", 3.0), ("无固定期限", 99.0), ("无", 0.0), (2, 2.0)],
)
def test_contract_period_forms(raw, years):
    p = normalise(pd.DataFrame({"contract_years": [raw]}))
    assert p.frame["contract_years"].iloc[0] == years and p.problems.iloc[0] == ""


@pytest.mark.parametrize(("raw", "sex"), [(1, "男"), (2.0, "女"), ("1", "男"), ("女", "女")])
def test_sex_as_codes(raw, sex):
    assert normalise(pd.DataFrame({"sex": [raw]})).frame["sex"].iloc[0] == sex


@pytest.mark.parametrize(
    ("raw", "value"),
    [("√", True), ("×", False), ("有", True), ("无", False), (1, True), (0, False)],
)
def test_yes_no_forms(raw, value):
    assert (
        normalise(pd.DataFrame({"minimum_allowance": [raw]})).frame["minimum_allowance"].iloc[0]
        == value
    )


def test_legend_of_circled_and_numbered_codes():
    note = "填表说明：1.困难类别：①大龄失业人员 ②残疾失业人员 ③低保人员；2.人员状态：1.失业 2.就业"
    got = legends.legends_in_notes([note], {"certified_category": "困难类别", "employment_status": "人员状态"})  # fmt: skip
    assert got["certified_category"] == {"1": "大龄失业人员", "2": "残疾失业人员", "3": "低保人员"}
    assert got["employment_status"] == {"1": "失业", "2": "就业"}
    assert legends.decode(["①", "3", 2.0, "①③"], got["certified_category"]) == [
        "大龄失业人员",
        "低保人员",
        "残疾失业人员",
        "大龄失业人员、低保人员",
    ]


def test_codes_without_a_legend_are_named(tmp_path):
    head = [*HEAD, "就业困难人员类型"]
    rows = [head, [*_person_row(1), "①"], [*_person_row(2), "⑤"]]
    path = _save(rows, tmp_path / "t.xlsx")
    report = jobs.check(path, out=tmp_path / "c.xlsx")
    assert any("编码①、⑤没有说明" in p.message for p in report.notices), report.notices
    assert any(r[2] == "⑤" for r in report.field_map_rows)


# --------------------------------------------------------------------------- 字段对照


def test_field_map_round_trip(tmp_path):
    """check pre-fills 字段对照; the clerk confirms one row; the next run uses the column."""
    head = [*HEAD, "困难认定批次日期", "人员分类"]
    rows = [head, [*_person_row(1), dt.date(2024, 3, 1), "A"], [*_person_row(2), None, "B"]]
    path = _save(rows, tmp_path / "台账.xlsx")
    before = ledger_read.read_ledger(path)
    assert "first_approval_date" not in before.columns
    report = jobs.check(path, out=tmp_path / "台账.检查结果.xlsx")
    sheet = report.field_map_rows
    assert sheet[0] == list(field_map.HEADERS)
    unknown = {r[0]: r for r in sheet[1:]}
    assert set(unknown) == {"困难认定批次日期", "人员分类"}
    # The clerk maps the two headers and the values of one, in the check result file.
    wb = openpyxl.load_workbook(report.output)
    ws = wb[field_map.SHEET]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == "困难认定批次日期":
            ws.cell(r, 2, "初次核定日期")
        if ws.cell(r, 1).value == "人员分类":
            ws.cell(r, 2, "就业困难人员类型")
    ws.append(["人员分类", None, "A", "大龄失业人员"])
    ws.append([None, None, "B", "长期失业人员"])
    del wb[jobs.CHECK_SHEET]
    wb.save(tmp_path / "台账2.xlsx")
    after = ledger_read.read_ledger(tmp_path / "台账2.xlsx")
    assert after.columns["first_approval_date"] == "H"
    assert after.columns["certified_category"] == "I"
    assert after.data["certified_category"].tolist() == ["大龄失业人员", "长期失业人员"]
    a = jobs.assess_workbook(tmp_path / "台账2.xlsx", "SX-2008", ON)
    assert "已认定：“4050”人员" in a.results.loc[2, "explanation"]


def test_field_map_with_an_unknown_standard_field_names_the_cell():
    rows = [list(field_map.HEADERS), ["批次日期", "认定的日子"]]
    with pytest.raises(Exception, match=r"B2.*认定的日子"):
        field_map.parse_field_map(rows)


def test_field_map_can_ignore_a_column():
    fm = field_map.parse_field_map([list(field_map.HEADERS), ["身份证", "不使用"]])
    hmap = fields.map_headers(["姓名", "身份证", "证件号码"], fm.aliases)
    assert hmap.columns == {0: "name", 2: "id_number"}


# --------------------------------------------------------------------------- unknown is not false


#: Per policy: a column a category or precondition needs, and a value that fails it.
_PER_POLICY = [
    ("SX-2008", "household_registration", "户籍性质", "农村"),
    ("AH-2011", "unemployment_registration_date", "失业登记日期", None),
    ("GS-2003", "employment_status", "就业状态", "已就业"),
    ("JS-2002", "employment_status", "就业状态", "已就业"),
    ("LYG-2003", "employment_status", "就业状态", "已就业"),
]


@pytest.mark.parametrize(("policy", "field", "header", "contrary"), _PER_POLICY)
def test_a_missing_column_is_uncertain_and_named_contrary_data_is_not_eligible(
    policy, field, header, contrary
):
    row = person(age=52, sex="男", on=ON, former_employer_type="国有", separation_type="下岗")
    row.update(minimum_allowance="是", household_id="H1")
    if field == "employment_status":  # no other record of unemployment to go by
        row.update(unemployment_date=None, unemployment_registration_date=None)
    frame = pd.DataFrame([row])
    missing = assess_ledger(policy, frame.drop(columns=[field]), ON).iloc[0]
    assert missing["status"] == UNCERTAIN, missing["explanation"]
    assert f"台账无“{header}”列（可在“字段对照”中指定）" in missing["explanation"]
    contrary_row = dict(row)
    if contrary is None:  # the ledger says: not registered
        contrary_row[field] = None
        contrary_row["registered_unemployed_flag"] = "否"
    else:
        contrary_row[field] = contrary
    if field == "employment_status":
        # In work with no 失业日期 or 失业登记日期 on record: may have been laid off,
        # unknown; what the ledger shows is not met is a known age past retirement.
        assert (
            assess_ledger(policy, pd.DataFrame([contrary_row]), ON).iloc[0]["status"] == UNCERTAIN
        )
        contrary_row["id_number"] = person(age=70, sex="男", on=ON)["id_number"]
    shown = assess_ledger(policy, pd.DataFrame([contrary_row]), ON).iloc[0]
    assert shown["status"] == NOT_ELIGIBLE, shown["explanation"]


def test_a_birth_month_agrees_with_the_id_number():
    """出生年月 "1975.03" is a month: no conflict with an ID born 1975-03-17, and the ID's day is kept."""
    i = make_id(dt.date(1975, 3, 17), "女")
    p = normalise(pd.DataFrame({"id_number": [i, i], "birth_date": ["1975.03", "1975.04"]}))
    assert p.problems.iloc[0] == "" and p.frame["birth_date"].iloc[0] == pd.Timestamp(1975, 3, 17)
    assert "不一致" in p.problems.iloc[1]


def test_a_loose_guess_is_only_suggested():
    """“困难类别” (低保户 / 低保边缘户) resembles 就业困难类别 but is not one: suggested, not filled."""
    rows = field_map.prefilled_rows(
        field_map.FieldMap(), [("B", "*困难类别"), ("C", "失业登记时间点")]
    )
    by_header = {r[0]: r for r in rows[1:]}
    assert by_header["*困难类别"][1] == "" and "就业困难人员类型" in by_header["*困难类别"][4]
    assert by_header["失业登记时间点"][1] == "失业登记日期"


def test_a_second_ledger_sheet_is_not_joined_into_the_first(tmp_path):
    """Last year's sheet of the same people is another ledger, not a detail sheet to merge."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2026年"
    for r in [HEAD, _person_row(1), _person_row(2)]:
        ws.append(r)
    old = wb.create_sheet("2025年")
    for r in [[*HEAD, "就业日期"], [*_person_row(1), dt.date(2025, 3, 1)]]:
        old.append(r)
    wb.save(tmp_path / "t.xlsx")
    ledger = ledger_read.read_ledger(tmp_path / "t.xlsx")
    assert ledger.sheet_name == "2026年"  # the first of two ledgers of the same kind
    assert "employment_date" not in ledger.sources and "employment_date" not in ledger.data


def test_a_benefit_whose_situation_is_unknown_is_named_not_dropped():
    """SX-2008 公益性岗位补贴 needs the form of work: without a 就业形式 column it is 待核实."""
    base = person(age=52, sex="男", on=ON, former_employer_type="国有", employment_status="已就业")
    base.update(employment_date="2025-01-01", unemployment_date="2024-01-01")
    known = assess_ledger("SX-2008", pd.DataFrame([dict(base, employment_type="公益性岗位")]), ON)
    assert "公益性岗位补贴" in known.iloc[0]["benefits"]
    unknown = assess_ledger("SX-2008", pd.DataFrame([base]), ON).iloc[0]
    assert "公益性岗位补贴" not in unknown["benefits"]
    assert "待核实的政策：" in unknown["explanation"] and "公益性岗位补贴" in unknown["explanation"]
    assert "台账无“就业形式”列（可在“字段对照”中指定）" in unknown["explanation"]
