"""Display strings for the documents: numbers, dates, amounts, punctuation, blanks.

Everything a paper prints passes through here, so the rules live in one
place: Chinese numerals for headings (一、二、…), dates in Arabic numerals
(``2026年11月22日``, GB/T 9704 7.3.5.1), amounts in figures and in RMB
capitals, full-width punctuation in Chinese text, and the ruled blank
``＿＿＿＿＿＿`` wherever a value is missing (the clerk writes it in by hand;
nothing is ever invented).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from calc.errors import InputError

#: A ruled blank to fill in by hand (six full-width low lines, about 3 cm).
BLANK = "＿＿＿＿＿＿"

_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (for numbering)."""
    if n <= 0:
        raise ValueError(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n - 10] if n > 10 else "")
    if n < 100:
        tens, ones = divmod(n, 10)
        return _CN_DIGITS[tens] + "十" + (_CN_DIGITS[ones] if ones else "")
    import cn2an

    return cn2an.an2cn(n)


def copies_text(n: int) -> str:
    """Number of originals: 2 → 两, 3 → 三."""
    n = int(n)
    if n < 2:
        raise InputError("文书至少一式两份（双方各执一份）")
    return "两" if n == 2 else cn_number(n)


def fmt_date(d: date | None) -> str:
    """``2026年11月22日``; ``""`` for None."""
    from calc.dates import format_date_cn

    if d is None:
        return ""
    return format_date_cn(d)


def or_blank(value: Any) -> str:
    """The value as text, or the ruled blank when it is empty."""
    text = "" if value is None else str(value).strip()
    return text or BLANK


def money(amount: Any) -> tuple[str, str]:
    """(``1,000.00``, ``人民币壹仟元整``) for an amount in yuan."""
    from calc.money import format_amount, rmb_capital

    if isinstance(amount, float):
        amount = Decimal(str(amount))
    try:
        value = Decimal(str(amount).replace(",", ""))
    except Exception:
        raise InputError(f"补贴金额“{amount}”不是数字") from None
    if value < 0:
        raise InputError(f"补贴金额不能为负数：{amount}")
    return format_amount(value), rmb_capital(value)


def value_text(v: Any, unit: str = "") -> str:
    """A target figure with its unit: 3 → ``3户``; 2.0 → ``2``."""
    if isinstance(v, float):
        v = Decimal(str(v))
    if isinstance(v, Decimal) and v == v.to_integral_value():
        v = int(v)
    return f"{v}{unit or ''}"


_END_PUNCT = "。；;，,.　 "

# Half-width punctuation inside Chinese text → full width (GB/T 15834).
# Commas, colons and semicolons between two digits stay (1,000.00; 12:30).
_PAIRS = str.maketrans({"(": "（", ")": "）", ";": "；", "!": "！", "?": "？"})
_COMMA = re.compile(r"(?<!\d),|,(?!\d)")
_COLON = re.compile(r"(?<!\d):|:(?!\d)")


def fullwidth(text: str) -> str:
    """Full-width brackets, commas, colons and semicolons in Chinese text."""
    text = str(text or "").translate(_PAIRS)
    text = _COMMA.sub("，", text)
    return _COLON.sub("：", text)


def clean(text: str) -> str:
    """One line, full-width punctuation, no final punctuation (the template adds it)."""
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    return fullwidth(text).rstrip(_END_PUNCT + "；，")
