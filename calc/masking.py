"""Masking personal information for publication (公示).

Sources
-------
- 《个人信息保护法》第二十五条 (personal information processors shall not publish
  personal information unless separately consented or otherwise provided by
  law) and 第七十三条第(三)(四)项 (去标识化 / 匿名化): lists posted for public
  notice (公示) show only masked identity numbers, names and phone numbers.
- 公民身份号码 structure: GB 11643-1999 (see :mod:`calc.identity`).

ID patterns are 18-character templates: "#" keeps the digit at that position,
any other character is written instead.  The default "######********####"
keeps the address code and the last four characters and hides the whole birth
date.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from calc import identity
from calc.columns import per_distinct_value
from calc.errors import InputError

DEFAULT_ID_PATTERN = "######********####"

# 复姓 (compound surnames) kept whole by mask_name when the name has 3+ characters.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木 西门 "
    "南宫 独孤 百里 呼延 澹台 公冶 太史 申屠 闻人 万俟 钟离 赫连 拓跋 左丘 东郭 濮阳 单于 "
    "司空 仲孙 闾丘 公羊 微生 羊舌 梁丘 谷梁 宰父 子车 巫马 公西 漆雕 乐正 壤驷 公良 "
    "拓拔 夹谷 段干 第五 鲜于 丌官 司寇 亓官 颛孙 东门".split()
)


def _check_pattern(pattern: str | None) -> str:
    p = DEFAULT_ID_PATTERN if pattern is None else pattern
    if not isinstance(p, str):
        raise InputError(f"身份证号码遮蔽格式应为文本，实为“{p}”", value=p)
    if len(p) != 18:
        raise InputError(
            f"身份证号码遮蔽格式应为18个字符（“#”保留该位，其他字符代替该位），实为{len(p)}个：“{p}”",
            value=p,
        )
    return p


def _apply(id18: str, p: str) -> str:
    return "".join(c if k == "#" else k for c, k in zip(id18, p, strict=True))


def mask_id(raw: Any, pattern: str | None = None) -> str:
    """Masked 公民身份号码 for publication: "110105********002X" with the default pattern.

    The number is normalised first (:func:`calc.identity.normalize_id`; a
    15-digit number is masked in its 18-digit form); an invalid number or
    pattern → InputError.
    """
    p = _check_pattern(pattern)
    return _apply(identity.normalize_id(raw), p)


def mask_ids(
    series: pd.Series, pattern: str | None = None, *, with_problems: bool = False
) -> pd.Series | tuple[pd.Series, pd.Series]:
    """Vectorised :func:`mask_id`: masked texts, None where the number is empty or
    invalid.  ``with_problems=True`` returns ``(masked, problems)``.  An invalid
    pattern raises (it is one value for the whole column)."""
    p = _check_pattern(pattern)
    parsed = identity.parse_ids(series)
    ids = parsed["id_number"]
    ok = ids.notna()
    out = pd.Series(np.full(len(ids), None, dtype=object), index=ids.index)
    if ok.any():
        v = ids[ok]
        pieces = []
        i = 0
        while i < 18:  # runs of kept positions and literal runs
            j = i
            keep = p[i] == "#"
            while j < 18 and (p[j] == "#") == keep:
                j += 1
            pieces.append(v.str.slice(i, j) if keep else p[i:j])
            i = j
        res = pieces[0] if isinstance(pieces[0], pd.Series) else pd.Series(pieces[0], index=v.index)
        for piece in pieces[1:]:
            res = res + piece
        out[ok] = res
    if with_problems:
        return out, parsed["problem"]
    return out


def mask_name(name: Any) -> str:
    """Keep the surname, replace each other character with "*": "张三" → "张*",
    "欧阳娜娜" → "欧阳**" (compound surname kept when the name has 3+ characters),
    "阿依古丽·买买提" → "阿***·***" ("·" kept)."""
    if not isinstance(name, str) or not name.strip():
        raise InputError("姓名为空", value=name)
    n = "".join(name.split()).replace("\u3000", "")
    if len(n) == 1:
        return n
    keep = 2 if len(n) >= 3 and n[:2] in COMPOUND_SURNAMES else 1
    return n[:keep] + "".join(c if c in "·•." else "*" for c in n[keep:])


def mask_phone(phone: Any) -> str:
    """Mobile "13812345678" → "138****5678"; landline "0571-88881234" →
    "0571-****1234"; other numbers of 7+ digits: all but the last 4 digits hidden."""
    if phone is None or (isinstance(phone, float) and phone != phone):
        raise InputError("电话号码为空", value=phone)
    if isinstance(phone, float) and phone.is_integer():
        phone = int(phone)
    text = str(phone).strip().replace(" ", "").replace("\u3000", "")
    text = text.translate({0xFF10 + i: str(i) for i in range(10)} | {0xFF0D: "-"})
    if text.startswith("+86"):
        text = text[3:].lstrip("-")
    digits = text.replace("-", "")
    if not digits:
        raise InputError("电话号码为空", value=phone)
    if not digits.isdigit() or not digits.isascii():
        raise InputError(f"电话号码含非法字符：“{phone}”", value=phone)
    if len(digits) == 11 and digits[0] == "1":
        return digits[:3] + "****" + digits[7:]
    if "-" in text:
        area, _, local = text.partition("-")
        local = local.replace("-", "")
        if len(local) >= 5:
            return f"{area}-" + "*" * (len(local) - 4) + local[-4:]
    if len(digits) >= 7:
        return "*" * (len(digits) - 4) + digits[-4:]
    raise InputError(f"电话号码位数不对：“{phone}”", value=phone)


def mask_names(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Vectorised :func:`mask_name`: ``(masked, problems)``, once per distinct name."""
    return per_distinct_value(series, mask_name)


def mask_phones(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Vectorised :func:`mask_phone`: ``(masked, problems)``, once per distinct number."""
    return per_distinct_value(series, mask_phone)
