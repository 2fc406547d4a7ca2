"""Tests for xl_addin.ledger_read: header detection on real layouts, rows, errors."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
import xlsx_fixtures as fx

from calc.errors import InputError
from xl_addin import ledger_read
from xl_addin.ledger_read import (
    column_index,
    column_letter,
    read_ledger,
    read_parameter_sheet,
    read_targets_sheet,
    workbook_sheet_names,
)


@pytest.fixture(scope="module")
def clerk(tmp_path_factory):
    return fx.clerk_workbook(tmp_path_factory.mktemp("read") / "台账.xlsx")


@pytest.fixture(scope="module")
def clerk_xlsm(tmp_path_factory):
    return fx.clerk_workbook(tmp_path_factory.mktemp("readm") / "台账.xlsm")


def test_column_letters_round_trip():
    assert [column_letter(i) for i in (1, 26, 27, 52, 703, 16384)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "AAA",
        "XFD",
    ]
    for i in range(1, 2000):
        assert column_index(column_letter(i)) == i


def test_realistic_layout_sheet_and_header(clerk):
    led = read_ledger(clerk)
    # “说明” comes first and mentions one header word; it must not be taken.
    assert led.sheet_name == fx.LEDGER_SHEET
    assert led.sheet_names == ["说明", fx.LEDGER_SHEET, "参数"]
    assert led.header_rows == (3, 4)
    assert led.header_row == 4
    assert led.first_data_row == 5
    assert led.columns == {
        "name": "B",
        "id_number": "C",
        "sex": "D",
        "birth_date": "E",
        "household_size": "F",
        "household_income": "G",
        "phone": "H",
        "household_registration": "I",
        "unemployment_registration_date": "J",
        "minimum_allowance": "K",
        "address": "L",
    }
    assert led.unknown_columns == [("A", "序号"), ("M", "备注")]
    assert led.raw_headers[5:7] == ["家庭人口", "家庭月收入（元）"]
    assert led.n_columns == fx.N_COLS


def test_rows_keep_excel_numbers_and_drop_footer(clerk):
    led = read_ledger(clerk)
    assert list(led.data.index) == fx.PEOPLE_ROWS  # empty row 8, 合计, 填表人 dropped
    assert fx.TOTAL_ROW in led.skipped_rows and fx.SIGN_ROW in led.skipped_rows
    assert list(led.data["name"]) == [p[0] for p in fx.PEOPLE]


def test_values_stay_raw(clerk):
    led = read_ledger(clerk)
    d = led.data
    assert all(str(dtype) == "object" for dtype in d.dtypes)
    ids = list(d["id_number"])
    assert ids == [p[1] for p in fx.PEOPLE]
    assert all(isinstance(i, str) for i in ids)
    assert ids[2] == "110101750302121"  # 15 digits, still text
    assert ids[4].endswith("X")
    assert d.loc[5, "birth_date"] == dt.date(1972, 5, 3)
    assert d.loc[7, "birth_date"] == "1975.03.02"  # typed as text: left for calc
    assert d.loc[6, "unemployment_registration_date"] == "2023.04.15"
    assert d.loc[7, "household_income"] is None  # blank cell
    assert d.loc[7, "phone"] is None
    assert d.loc[6, "household_income"] == 2500.5
    assert d.loc[9, "phone"] == "010-66668888"


def test_cell_ref_missing_and_describe(clerk):
    led = read_ledger(clerk)
    assert led.cell_ref("id_number", 7) == "C7"
    assert led.column_index("address") == 12
    assert led.missing(["name", "officer", "id_number", "street"]) == ["officer", "street"]
    text = led.describe_columns()
    assert text.startswith("已识别 11 列：")
    assert "姓名(B)" in text and "公民身份号码(C)" in text and "家庭月收入(G)" in text
    assert "未识别：序号(A)、备注(M)" in text
    assert led.where("id_number", 7) == "台账.xlsx 工作表“台账” 单元格C7"
    with pytest.raises(KeyError):
        led.cell_ref("officer", 5)


def test_xlsm(clerk_xlsm):
    led = read_ledger(clerk_xlsm)
    assert led.sheet_name == fx.LEDGER_SHEET
    assert list(led.data.index) == fx.PEOPLE_ROWS
    with zipfile.ZipFile(clerk_xlsm) as z:
        assert z.read("xl/vbaProject.bin") == fx.VBA_BYTES


def test_named_sheet(clerk):
    assert read_ledger(clerk, sheet=fx.LEDGER_SHEET).header_row == 4
    with pytest.raises(InputError) as e:
        read_ledger(clerk, sheet="花名册")
    assert "花名册" in str(e.value) and "“台账”" in str(e.value) and "“说明”" in str(e.value)
    with pytest.raises(InputError) as e:
        read_ledger(clerk, sheet="说明")
    assert "台账.xlsx 工作表“说明”" in str(e.value) and "姓名" in str(e.value)


def test_single_row_header_synonyms_and_stop_rows(tmp_path):
    rows = [
        [
            "人员姓名",
            "公民身份证号码",
            "性别",
            "出生年月日",
            "户籍所在地",
            "帮扶责任人",
            "手机号码",
        ],
        [1, 2, 3, 4, 5, 6, 7],  # column-number row under the header
        ["甲", "110101198001010011", "男", dt.date(1980, 1, 1), "北京", "赵", "13800000000"],
        [None] * 7,
        ["乙", 110101198001010022, "女", None, None, None, None],
        ["合计", None, None, None, None, None, None],
        ["制表人：赵敏", "审核：孙丽", None, None, None, None, None],
        ["2024年1月", None, None, None, None, None, None],
    ]
    p = fx.simple_workbook(tmp_path / "s.xlsx", rows)
    led = read_ledger(p)
    assert led.header_rows == (1,)
    assert led.columns["name"] == "A" and led.columns["officer"] == "F"
    assert led.columns["registered_place"] == "E"
    assert list(led.data.index) == [3, 5]
    assert led.skipped_rows == [2, 6, 7, 8]
    # a numeric ID is left as Excel stored it; calc decides what to do with it
    assert isinstance(led.data.loc[5, "id_number"], float)


def test_title_rows_and_vertical_merge(tmp_path):
    rows = [
        ["某社区台账", None, None, None, None],
        [None, None, None, None, None],
        ["姓名", "身份证号", "出生日期", "家庭情况", None],
        [None, None, None, "家庭人数", "人均收入"],
        ["甲", "110101198001010011", dt.date(1980, 1, 1), 3, 500],
    ]
    p = fx.simple_workbook(
        tmp_path / "m.xlsx", rows, merges=["A1:E1", "A3:A4", "B3:B4", "C3:C4", "D3:E3"]
    )
    led = read_ledger(p)
    assert led.header_rows == (3, 4)
    assert led.columns == {
        "name": "A",
        "id_number": "B",
        "birth_date": "C",
        "household_size": "D",
        "income_per_head": "E",
    }
    assert list(led.data.index) == [5]


def test_group_label_concatenated(tmp_path):
    # Upper “家庭” + lower “人口” only maps when combined.
    rows = [
        ["姓名", "身份证号", "性别", "家庭", None],
        [None, None, None, "人口", "月收入"],
        ["甲", "110101198001010011", "男", 3, 500],
    ]
    p = fx.simple_workbook(tmp_path / "g.xlsx", rows, merges=["A1:A2", "B1:B2", "C1:C2", "D1:E1"])
    led = read_ledger(p)
    assert led.header_rows == (1, 2)
    assert led.columns["household_size"] == "D"
    assert led.columns["household_income"] == "E"


def test_data_row_is_not_taken_as_second_header_row(tmp_path):
    rows = [
        ["姓名", "身份证号", "人员类别", "性别"],
        ["甲", "110101198001010011", "低保", "男"],  # “低保” is also a header synonym
    ]
    p = fx.simple_workbook(tmp_path / "d.xlsx", rows)
    led = read_ledger(p)
    assert led.header_rows == (1,)
    assert list(led.data.index) == [2]


def test_duplicates_reported(tmp_path):
    rows = [["姓名", "身份证号", "身份证号码", "性别"], ["甲", "1", "2", "男"]]
    led = read_ledger(fx.simple_workbook(tmp_path / "dup.xlsx", rows))
    assert led.columns["id_number"] == "B"
    assert led.duplicates == [("C", "身份证号码")]
    assert "重复" in led.describe_columns()


def test_no_header(tmp_path):
    p = fx.simple_workbook(
        tmp_path / "n.xlsx", [["a", "b"], [1, 2]], extra_sheets={"其他": [["x"]]}
    )
    with pytest.raises(InputError) as e:
        read_ledger(p)
    s = str(e.value)
    assert "n.xlsx" in s and "“Sheet1”" in s and "“其他”" in s and "“姓名”" in s


def test_bad_files(tmp_path):
    missing = tmp_path / "无.xlsx"
    with pytest.raises(InputError, match="找不到文件"):
        read_ledger(missing)
    corrupt = tmp_path / "坏.xlsx"
    corrupt.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    with pytest.raises(InputError) as e:
        read_ledger(corrupt)
    assert str(e.value) == "无法读取工作簿“坏.xlsx”：文件已损坏或不是 Excel 文件"
    text = tmp_path / "文本.xlsx"
    text.write_text("姓名,身份证号\n", encoding="utf-8")
    with pytest.raises(InputError, match="文件已损坏或不是 Excel 文件"):
        read_ledger(text)
    xls = tmp_path / "旧.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(InputError, match="另存为"):
        read_ledger(xls)
    ole_named_xlsx = tmp_path / "伪.xlsx"
    ole_named_xlsx.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(InputError, match="另存为"):
        read_ledger(ole_named_xlsx)
    # a zip that is not a workbook
    notwb = tmp_path / "压缩包.xlsx"
    with zipfile.ZipFile(notwb, "w") as z:
        z.writestr("a.txt", "hello")
    with pytest.raises(InputError, match="文件已损坏或不是 Excel 文件"):
        read_ledger(notwb)


def test_locked_file(tmp_path, monkeypatch, clerk):
    """Only a Windows sharing violation is "in use"; plain no-permission says so."""

    def in_use(*args, **kwargs):
        exc = PermissionError(13, "The process cannot access the file")
        exc.winerror = 32  # ERROR_SHARING_VIOLATION: Excel has the workbook open
        raise exc

    monkeypatch.setattr(ledger_read.opening, "open", in_use, raising=False)
    with pytest.raises(InputError) as e:
        read_ledger(clerk)
    assert "正被其他程序（如 Excel）占用，请关闭后重试" in str(e.value)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(ledger_read.opening, "open", denied, raising=False)
    with pytest.raises(InputError) as e:
        read_ledger(clerk)
    assert "没有权限读取" in str(e.value) and "占用" not in str(e.value)


def test_sheet_names_parameters_and_targets(clerk, tmp_path):
    assert workbook_sheet_names(clerk) == ["说明", "台账", "参数"]
    params = read_parameter_sheet(clerk)
    assert [p["name"] for p in params] == ["最低工资", "低保标准", "公益性岗位补贴"]
    assert params[0]["value"] == 2420
    assert params[0]["effective_from"] == dt.date(2023, 9, 1)
    assert params[0]["source"] == "京人社发〔2023〕"
    assert params[0]["policy"] is None
    assert params[2]["row"] == 5 and params[2]["source"] is None
    assert read_parameter_sheet(clerk, "不存在") == []
    targets = read_targets_sheet(clerk, "参数")
    assert targets[0]["参数名称"] == "最低工资" and targets[0]["_row"] == 2
    assert read_targets_sheet(clerk) == []

    bad = fx.simple_workbook(
        tmp_path / "p.xlsx", [["x"]], extra_sheets={"参数": [["名字", "数"], ["a", 1]]}
    )
    with pytest.raises(InputError) as e:
        read_parameter_sheet(bad)
    assert "工作表“参数” 第1行" in str(e.value) and "参数名称" in str(e.value)
