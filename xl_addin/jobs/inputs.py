"""Parsing the jobs' command-line style inputs (dates, row ranges, filters)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

from calc.dates import to_date
from calc.errors import InputError

# --------------------------------------------------------------------------- inputs


def parse_as_of(value: object) -> dt.date:
    """``--as-of`` (2026-11-01, 2026.11.1, 2026年11月1日, 20261101, a date) → date."""
    if value is None or value == "":
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return to_date(str(value).strip())
    except InputError as err:
        raise InputError(
            f"认定基准日期“{value}”无法识别：{err.message}。请写成 2026-11-01 或 2026年11月1日"
        ) from None


def parse_rows(spec: str | None) -> tuple[int, int] | None:
    """``--rows 3-20`` (Excel row numbers, inclusive; "5" is one row) → (3, 20)."""
    if spec is None or not str(spec).strip():
        return None
    text = (
        str(spec).strip().replace("－", "-").replace("—", "-").replace("～", "-").replace("~", "-")
    )
    m = re.fullmatch(r"(\d+)\s*(?:-\s*(\d+))?", text)
    if not m:
        raise InputError(f"行号范围“{spec}”格式不对：应写成 3-20（Excel 行号，含首尾）或单个行号")
    lo = int(m.group(1))
    hi = int(m.group(2)) if m.group(2) else lo
    if lo < 1 or hi < lo:
        raise InputError(f"行号范围“{spec}”不对：起始行应不小于1且不大于结束行")
    return lo, hi


def parse_where(items: Iterable[str] | None) -> list[tuple[str, str]]:
    """``--where 社区=幸福社区`` (several allowed, all must hold) → [(header, value)]."""
    out = []
    for item in items or ():
        text = str(item).replace("＝", "=")
        if "=" not in text:
            raise InputError(f"筛选条件“{item}”格式不对：应写成 列名=值，例如 社区=幸福社区")
        header, value = (s.strip() for s in text.split("=", 1))
        if not header:
            raise InputError(f"筛选条件“{item}”缺少列名")
        out.append((header, value))
    return out


def default_output(path: Path, suffix: str) -> Path:
    """``台账.xlsx`` → ``台账.已填写.xlsx`` beside the input."""
    return path.with_name(path.stem + suffix + path.suffix)
