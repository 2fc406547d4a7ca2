"""Tests for calc.money (会计基础工作规范 第五十二条)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from calc.errors import InputError
from calc.money import format_amount, format_amounts, rmb_capital, rmb_capitals, to_amount


@pytest.mark.parametrize(
    "amount, expected",
    [
        (1000, "人民币壹仟元整"),
        (20000, "人民币贰万元整"),
        (1234.5, "人民币壹仟贰佰叁拾肆元伍角整"),
        (0.05, "人民币伍分"),
        (1001, "人民币壹仟零壹元整"),
        (1000.05, "人民币壹仟元零伍分"),
        (1010.01, "人民币壹仟零壹拾元零壹分"),
        (10, "人民币壹拾元整"),
        (100010, "人民币壹拾万零壹拾元整"),
        (101000, "人民币壹拾万壹仟元整"),
        (1680.32, "人民币壹仟陆佰捌拾元叁角贰分"),
        (Decimal("507.4"), "人民币伍佰零柒元肆角整"),
        ("1,500.00", "人民币壹仟伍佰元整"),
        ("￥ 900", "人民币玖佰元整"),
        (2.675, "人民币贰元陆角捌分"),  # ROUND_HALF_UP on the decimal value
        (0.004, "人民币零元整"),
        (100000000, "人民币壹亿元整"),
    ],
)
def test_rmb_capital(amount, expected):
    assert rmb_capital(amount) == expected


def test_no_prefix():
    assert rmb_capital(1000, prefix=False) == "壹仟元整"


@pytest.mark.parametrize(
    "bad, msg",
    [
        (-1, "金额不能为负数，实为-1.00"),
        (float("nan"), "金额为空"),
        (None, "金额为空"),
        ("abc", "金额应为数字，实为“abc”"),
        (True, "金额应为数字，实为“True”"),
        (float("inf"), "金额应为有限数字，实为“inf”"),
        (1e13, "金额10,000,000,000,000.00超出可大写的范围（不足1万亿元）"),
    ],
)
def test_errors(bad, msg):
    with pytest.raises(InputError) as ei:
        rmb_capital(bad)
    assert ei.value.message == msg


def test_format_amount():
    assert format_amount(1000) == "1,000.00"
    assert format_amount(1234567.891) == "1,234,567.89"
    assert format_amount(0.005) == "0.01"
    assert to_amount("1,000.455") == Decimal("1000.46")


def test_vectorised():
    texts, probs = rmb_capitals(pd.Series([1000, None, -5, 1000, 0.05]))
    assert texts.tolist() == ["人民币壹仟元整", None, None, "人民币壹仟元整", "人民币伍分"]
    assert probs.tolist() == ["", "金额为空", "金额不能为负数，实为-5.00", "", ""]
    f, p = format_amounts(pd.Series([1000, "x"]))
    assert f.tolist() == ["1,000.00", None] and p[1] == "金额应为数字，实为“x”"
