"""Amounts of money: upper-case Chinese (大写金额) and figures.

Sources
-------
- 《会计基础工作规范》(财政部, 2019 修改) 第五十二条：大写金额数字到元或者角为止的，
  在“元”或者“角”字之后应当写“整”字或者“正”字；大写金额数字有分的，分字后面不写
  “整”或者“正”字。……阿拉伯金额数字中间有“0”时，汉字大写金额要写“零”字。
  This module writes "整" after 元 *and* after 角 (1234.5 → 壹仟贰佰叁拾肆元伍角整):
  that satisfies 第五十二条 ("应当") and also 中国人民银行《支付结算办法》附件一
  "正确填写票据和结算凭证的基本规定" (在“角”之后可以不写“整”字), which only permits
  leaving it out.
- Upper-case digits from ``cn2an`` (``an2cn(x, "rmb")``); "人民币" in front as
  official documents and receipts write it.
- Rounding to the fen (分) with ``Decimal`` ROUND_HALF_UP (四舍五入).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd

from calc.columns import per_distinct_value
from calc.errors import InputError

MAX_AMOUNT = Decimal("999999999999.99")  # below 1万亿元
_FEN = Decimal("0.01")


def to_amount(amount: Any) -> Decimal:
    """A cell value as a non-negative ``Decimal`` rounded to the fen (ROUND_HALF_UP).

    Accepts int, float, Decimal and text such as "1,000.00", "￥1000", "1000元".
    Floats are read through their shortest repr (``str``), so 2.675 rounds to 2.68.
    """
    if amount is None or amount is pd.NA:
        raise InputError("金额为空", value=amount)
    if isinstance(amount, bool | np.bool_):
        raise InputError(f"金额应为数字，实为“{amount}”", value=amount)
    if isinstance(amount, Decimal):
        d = amount
    elif isinstance(amount, int | np.integer):
        d = Decimal(int(amount))
    elif isinstance(amount, float | np.floating):
        f = float(amount)
        if f != f:
            raise InputError("金额为空", value=amount)
        d = Decimal(repr(f))
    elif isinstance(amount, str):
        t = amount.strip().replace(",", "").replace("，", "").replace(" ", "").replace("\u3000", "")
        t = t.lstrip("￥¥").removeprefix("人民币").removesuffix("元")
        if not t:
            raise InputError("金额为空", value=amount)
        try:
            d = Decimal(t)
        except InvalidOperation:
            raise InputError(f"金额应为数字，实为“{amount.strip()}”", value=amount) from None
    else:
        raise InputError(f"金额应为数字，实为“{amount}”", value=amount)
    if not d.is_finite():
        raise InputError(f"金额应为有限数字，实为“{amount}”", value=amount)
    d = d.quantize(_FEN, rounding=ROUND_HALF_UP)
    if d < 0:
        raise InputError(f"金额不能为负数，实为{format_amount_decimal(-d, sign='-')}", value=amount)
    if d > MAX_AMOUNT:
        raise InputError(
            f"金额{format_amount_decimal(d)}超出可大写的范围（不足1万亿元）", value=amount
        )
    return d


def format_amount_decimal(d: Decimal, sign: str = "") -> str:
    return f"{sign}{d:,.2f}"


def rmb_capital(amount: Any, *, prefix: bool = True) -> str:
    """Upper-case RMB amount: 1000 → "人民币壹仟元整", 1001 → "人民币壹仟零壹元整",
    1234.5 → "人民币壹仟贰佰叁拾肆元伍角整", 0.05 → "人民币伍分".

    ``prefix=False`` leaves out "人民币".  Negative, NaN or non-numeric → InputError.
    """
    d = to_amount(amount)
    import cn2an  # loaded on first use: it takes a while to import

    text = cn2an.an2cn(f"{d:.2f}", "rmb")
    if text.endswith("角"):
        text += "整"
    return ("人民币" + text) if prefix else text


def format_amount(amount: Any) -> str:
    """Figures with thousands separators and 2 decimals: 1000 → "1,000.00"."""
    return format_amount_decimal(to_amount(amount))


def rmb_capitals(series: pd.Series, *, prefix: bool = True) -> tuple[pd.Series, pd.Series]:
    """Vectorised :func:`rmb_capital`: ``(texts, problems)``; computed once per distinct value."""
    return per_distinct_value(
        series, lambda v: rmb_capital(v, prefix=prefix), empty_problem="金额为空"
    )


def format_amounts(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Vectorised :func:`format_amount`: ``(texts, problems)``."""
    return per_distinct_value(series, format_amount, empty_problem="金额为空")
