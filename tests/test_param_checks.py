"""Issue 12 item 5: the 参数 sheet is checked when read — names, numbers, ranges, dates, cells."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil

import openpyxl
import pytest

from calc import param_checks
from calc.errors import InputError
from calc.params import Parameter, ParameterTable
from workbooks import sample_path
from xl_addin import cli

ROW = ("补贴期限（年）", 3, "2024-01-01", "示例文件")


def _problems(*rows):
    return param_checks.check_rows(rows)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (-3, "负数"),
        (0, "至少为 1年"),
        (2.5, "不是整数"),
        ("三年", "不是数字"),
        ("2.5年", "不是整数"),
    ],
)
def test_subsidy_years_must_be_a_whole_positive_number(value, words):
    problems = _problems(("补贴期限（年）", value, "2024-01-01", "示例文件"))
    assert len(problems) == 1 and words in problems[0].message
    assert problems[0].column == "value"
    with pytest.raises(InputError, match=words) as info:
        ParameterTable.from_rows([("补贴期限（年）", value, "2024-01-01", "示例文件")])
    assert "ValueError" not in str(info.value)


def test_chinese_numeral_gets_the_arabic_suggestion():
    (p,) = _problems(("补贴期限（年）", "三年", "2024-01-01", "x"))
    assert "“三年”不是数字" in p.message and "“3”" in p.message


def test_misspelt_name_suggests_the_nearest_known_one():
    (p,) = _problems(("公益性岗位补帖月标准", 900, "2024-01-01", "x"))
    assert p.message == "未知参数“公益性岗位补帖月标准”，是否为“公益性岗位补贴月标准”？"


def test_unknown_name_without_a_near_one_lists_the_known():
    (p,) = _problems(("月薪", 900, "2024-01-01", "x"))
    assert p.message.startswith("未知参数“月薪”；可用的参数：") and "最低工资标准" in p.message


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("公益性岗位补贴月标准", -900, "负数：金额不能为负"),
        ("最低工资标准", 0, "金额应大于 0"),
        ("养老保险单位缴费比例", 16, "不是比例"),
        ("养老保险单位缴费比例", "-5%", "负数"),
        ("大龄女性年龄", 140, "不是合理的年龄"),
        ("公示期（工作日）", 0, "至少为 1个工作日"),
        ("最低工资标准", True, "不是数字"),
    ],
)
def test_values_outside_a_sane_range(name, value, words):
    (p,) = _problems((name, value, "2024-01-01", "x"))
    assert words in p.message


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("补贴期限（年）", "3年"),
        ("公益性岗位补贴月标准", "900元/月"),
        ("养老保险单位缴费比例", "16%"),
        ("养老保险单位缴费比例", 0.16),
        ("大龄女性年龄", 40),
        ("发文机关", "某某街道劳动保障事务所"),
        ("异议受理电话", "0351-12333"),
        ("政策代码", "SX-2008"),
    ],
)
def test_good_values_pass(name, value):
    assert _problems((name, value, "2024-01-01", "x")) == []


def test_dates_sources_and_policy_codes():
    problems = _problems(
        ("最低工资标准", 1800, "2024-13-01", "x"),
        ("最低工资标准", 1800, "2024-01-01", ""),
        ("最低工资标准", 1800, "2024-01-01", "x", "XX-1"),
        ("政策代码", "YY-2", None, None),
    )
    texts = [p.message for p in problems]
    assert any("生效日期" in t for t in texts)
    assert any("缺少依据" in t for t in texts)
    assert any("政策代码“XX-1”不存在" in t for t in texts)
    assert any("政策代码“YY-2”不存在" in t for t in texts)
    assert [p.row for p in problems] == [1, 2, 3, 4]


def test_all_problems_at_once_each_naming_the_cell():
    rows = [
        {
            "row": 7,
            "name": "补贴期限（年）",
            "value": -3,
            "effective_from": "2024-01-01",
            "source": "x",
            "cells": {"name": "A7", "value": "B7", "effective_from": "C7", "source": "D7"},
        },
        {
            "row": 9,
            "name": "公益性岗位补帖月标准",
            "value": 900,
            "effective_from": "2024-01-01",
            "source": "x",
            "cells": {"name": "A9", "value": "B9"},
        },
    ]
    with pytest.raises(InputError) as info:
        ParameterTable.from_rows(rows)
    text = str(info.value)
    assert "2 处问题" in text and "不会改用示例默认值" in text
    assert "参数表第7行（单元格B7）" in text and "参数表第9行（单元格A9）" in text


def test_known_names_come_from_the_packs(monkeypatch):
    """A parameter a pack adds (e.g. a clause number) is known and kind-checked automatically."""
    from calc.policies import PACKS

    pack = PACKS["SX-2008"]
    extra = Parameter("条款编号示例", "第三条", dt.date(2008, 1, 1), "示例", example=True)
    years = Parameter("试点期限（年）", 2, dt.date(2008, 1, 1), "示例", "年", example=True)
    patched = dataclasses.replace(pack) if dataclasses.is_dataclass(pack) else pack
    original = type(patched).parameters

    def parameters(self):
        table = original.fget(self)
        if self.code == "SX-2008":
            table = {**table, extra.name: [extra], years.name: [years]}
        return table

    monkeypatch.setattr(type(patched), "parameters", property(parameters))
    known = param_checks.known_parameters()
    assert "条款编号示例" in known
    assert param_checks.check_rows([("条款编号示例", "第五条", "2024-01-01", "x")]) == []
    (p,) = param_checks.check_rows([("试点期限（年）", 1.5, "2024-01-01", "x")])
    assert "不是整数" in p.message


# --------------------------------------------------------------------------- through jyyz fill


def _ledger_with_param(tmp_path, name, value):
    dst = tmp_path / "台账.xlsx"
    shutil.copyfile(sample_path("SX-2008"), dst)
    wb = openpyxl.load_workbook(dst)
    ws = wb["参数"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == name:
            row[1].value = value
            ref = row[1].coordinate
            break
    else:
        ws.append([name, value, dt.date(2024, 1, 1), "测试", None])
        ref = f"B{ws.max_row}"
    wb.save(dst)
    return dst, ref


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("补贴期限（年）", -3, "负数"),
        ("补贴期限（年）", 0, "至少为 1年"),
        ("补贴期限（年）", 2.5, "不是整数"),
        ("补贴期限（年）", "三年", "不是数字"),
        ("公益性岗位补贴月标准", -1000, "金额不能为负"),
    ],
)
def test_fill_refuses_a_bad_parameter_naming_its_cell(tmp_path, capsys, name, value, words):
    ledger, ref = _ledger_with_param(tmp_path, name, value)
    code = cli.main(["fill", str(ledger)])
    out, err = capsys.readouterr()
    assert code == 2, out
    assert words in err and f"单元格{ref}" in err and "工作表“参数”" in err
    assert "Traceback" not in err and "ValueError" not in err
    assert not (tmp_path / "台账.已填写.xlsx").exists()


def test_fill_refuses_a_misspelt_parameter_instead_of_the_example_default(tmp_path, capsys):
    ledger, ref = _ledger_with_param(tmp_path, "公益性岗位补帖月标准", 900)
    code = cli.main(["fill", str(ledger)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "未知参数“公益性岗位补帖月标准”，是否为“公益性岗位补贴月标准”？" in err
    assert f"单元格A{ref[1:]}" in err


@pytest.mark.parametrize("value", [1, 5, 6])
def test_a_notice_period_under_seven_working_days_is_refused_at_its_cell(value):
    """The 公示期 floor is checked where parameters are checked, not hidden in the papers."""
    (p,) = _problems(("公示期（工作日）", value, "2024-01-01", "x"))
    assert f"数值为 {value}：应至少为 7个工作日" in p.message
    assert p.text().startswith("参数表第1行（“数值”列）")


def test_a_notice_period_of_seven_or_more_passes_and_is_the_default():
    assert not _problems(("公示期（工作日）", 7, "2024-01-01", "x"))
    assert not _problems(("公示期（工作日）", 10, "2024-01-01", "x"))
    default = param_checks.known_parameters()["公示期（工作日）"]
    assert default.value == 7 and "7个工作日" in default.source
