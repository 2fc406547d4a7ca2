"""Local parameters: example defaults, the clerk's 参数 rows, effective dates."""

import datetime as dt

import pytest

from calc.errors import InputError, PolicyError
from calc.params import EXAMPLE_SOURCE, ParameterTable, resolve
from calc.policies import get_policy


def value(code, name, on, table=None):
    pack = get_policy(code)
    return resolve(pack.parameters, code, name, on, table).value


def test_defaults_are_marked_as_examples():
    pack = get_policy("SX-2008")
    for versions in pack.parameters.values():
        for p in versions:
            # a local amount is an example; a number of the text cites its clause
            assert (p.example and p.source.startswith(EXAMPLE_SOURCE)) or (
                not p.example and p.source.startswith("SX-2008 ")
            )


def test_clerk_rows_replace_defaults_and_follow_effective_dates():
    table = ParameterTable.from_rows(
        [
            ("名称", "数值", "生效日期", "依据"),
            ("公益性岗位补贴月标准", "900元", "2024-01-01", "并人社发〔2024〕1号"),
            ("公益性岗位补贴月标准", 1000, dt.date(2026, 7, 1), "并人社发〔2026〕5号"),
        ]
    )
    assert value("SX-2008", "公益性岗位补贴月标准", dt.date(2026, 6, 30), table) == 900
    assert value("SX-2008", "公益性岗位补贴月标准", dt.date(2026, 7, 1), table) == 1000
    with pytest.raises(InputError, match="尚未生效"):
        value("SX-2008", "公益性岗位补贴月标准", dt.date(2023, 12, 31), table)


def test_policy_column_restricts_a_row():
    table = ParameterTable.from_rows(
        [("最低工资标准", 2000, "2025-01-01", "皖政〔2025〕示例", "AH-2011")]
    )
    assert value("AH-2011", "最低工资标准", dt.date(2026, 1, 1), table) == 2000
    assert value("SX-2008", "最低工资标准", dt.date(2026, 1, 1), table) == 1800  # example default


def test_percentages_and_units_are_read():
    table = ParameterTable.from_rows([("养老保险单位缴费比例", "16%", "2025-01-01", "示例文件")])
    assert value("AH-2011", "养老保险单位缴费比例", dt.date(2026, 1, 1), table) == pytest.approx(
        0.16
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("", 1, "2025-01-01", "x"), "参数名称为空"),
        (("最低工资标准", None, "2025-01-01", "x"), "参数值为空"),
        (("最低工资标准", 1, None, "x"), "缺少生效日期"),
        (("最低工资标准", 1, "2025-13-01", "x"), "生效日期"),
        (("最低工资标准", 1, "2025-01-01", ""), "缺少依据"),
    ],
)
def test_bad_rows_name_the_row(row, message):
    with pytest.raises(InputError, match=message) as err:
        ParameterTable.from_rows([row])
    assert "参数表第1行" in str(err.value)


def test_unknown_parameter_lists_the_known_ones():
    with pytest.raises(PolicyError, match="没有参数“月薪”"):
        value("JS-2002", "月薪", dt.date(2026, 1, 1))
