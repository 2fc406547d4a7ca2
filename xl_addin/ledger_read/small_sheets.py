"""The small sheets beside a ledger: 参数 and 目标."""

from __future__ import annotations

import os
from typing import Any

try:
    import python_calamine as pc
except ImportError:  # pragma: no cover - xlwings Lite without calamine: only find_table is used
    pc = None

from calc.errors import InputError
from calc.fields import (
    normalise_header,
)
from xl_addin import messages as msg
from xl_addin.ledger_read.in_memory import _source
from xl_addin.ledger_read.opening import _is_blank, _open, _sheet_rows, _text, _worksheet_names
from xl_addin.xlsxpatch import column_letter

# --------------------------------------------------------------------------- small sheets


def read_sheet_rows(path: str | os.PathLike[str], sheet_name: str) -> list[list[Any]] | None:
    """All rows of a sheet from A1 (``""`` for empty cells), or None if it does not exist."""
    p = _source(path)
    wb = _open(p)
    try:
        if sheet_name not in _worksheet_names(wb):
            return None
        rows, _ = _sheet_rows(wb, p, sheet_name)
        return rows
    finally:
        wb.close()


def _table(
    path: str, sheet_name: str, rows: list[list[Any]]
) -> tuple[int, list[str], list[tuple[int, list[Any]]]]:
    """Header row index (first non-empty row), header texts, and (excel_row, row) data."""
    for i, row in enumerate(rows):
        if any(not _is_blank(v) for v in row):
            headers = [_text(v) for v in row]
            data = [
                (j + 1, r)
                for j, r in enumerate(rows[i + 1 :], start=i + 1)
                if any(not _is_blank(v) for v in r)
            ]
            return i, headers, data
    return -1, [], []


_PARAM_KEYS = {
    "name": ("参数名称", "名称", "参数", "参数名"),
    "value": ("参数值", "数值", "值", "取值", "标准"),
    "effective_from": ("生效日期", "起始日期", "执行日期", "开始日期", "生效时间"),
    "source": ("依据", "来源", "文件依据", "政策依据", "出处"),
    "policy": ("政策", "政策代码", "适用政策"),
}


def read_parameter_sheet(path: str | os.PathLike[str], sheet_name: str = "参数") -> list[dict]:
    """Rows of the parameter sheet as dicts name/value/effective_from/source/policy.

    Returns ``[]`` if the sheet does not exist.  Values are raw; rows without
    a name are skipped.  Each dict also carries ``row`` (its Excel row) and ``cells``
    ({key: "B5"}, where each value sits).
    """
    p = _source(path)
    rows = read_sheet_rows(p, sheet_name)
    if rows is None:
        return []
    hi, headers, data = _table(p, sheet_name, rows)
    if hi < 0:
        return []
    norm = [normalise_header(h) for h in headers]
    pos: dict[str, int] = {}
    for key, names in _PARAM_KEYS.items():
        for cand in names:
            c = normalise_header(cand)
            if c in norm:
                pos[key] = norm.index(c)
                break
    for key in ("name", "value"):
        if key not in pos:
            raise InputError(
                f"{msg.where(p, sheet_name, row=hi + 1)}：未找到表头“{_PARAM_KEYS[key][0]}”"
                f"（参数表应有“参数名称”“参数值”“生效日期”“依据”列）"
            )
    out = []
    for excel_row, r in data:
        name = r[pos["name"]]
        if _is_blank(name):
            continue
        item: dict[str, Any] = {"row": excel_row}
        item["cells"] = {k: f"{column_letter(c + 1)}{excel_row}" for k, c in pos.items()}
        for key in _PARAM_KEYS:
            if key in pos:
                v = r[pos[key]]
                item[key] = None if _is_blank(v) else (v.strip() if isinstance(v, str) else v)
            else:
                item[key] = None
        out.append(item)
    return out


def read_targets_sheet(path: str | os.PathLike[str], sheet_name: str = "目标") -> list[dict]:
    """Rows of a simple table sheet as dicts keyed by header text (``[]`` if absent).

    Empty cells become ``None``; each dict also carries ``"_row"`` (Excel row).
    """
    p = _source(path)
    rows = read_sheet_rows(p, sheet_name)
    if rows is None:
        return []
    hi, headers, data = _table(p, sheet_name, rows)
    out = []
    for excel_row, r in data:
        item: dict[str, Any] = {}
        for h, v in zip(headers, r, strict=False):
            if h:
                item[h] = None if _is_blank(v) else v
        item["_row"] = excel_row
        out.append(item)
    return out
