"""Converting what Excel sends to the worksheet functions, and what goes back.

What arrives, by host:

- classic xlwings (Windows, COM): dates as ``datetime``, numbers as ``float``,
  empty cells as ``None``, a multi-cell range as a list (2-D with ``ndim=2``);
- xlwings Lite and xlwings Server (Office.js): dates as serial numbers
  (``float``), empty cells as ``None`` (xlwings turns ``""`` into ``None``),
  ranges as 2-D lists, a 1×1 range as a scalar;
- clerks also type dates as text ("2026-11-22", "2026年11月22日") and
  numbers as text; integers arrive as floats ("3.0").

What goes back: a scalar for a one-cell input, a 2-D list of the input's shape
for a range (Excel spills it); dates as ``datetime`` (xlwings Server/Lite
serialise them as Excel serials with a date number format, classic xlwings as
COM dates); errors as Chinese text "错误：…" in the cell, never a traceback;
empty results as "" (never NaN, which Office.js would show as #NUM!).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import sys
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from calc.errors import InputError

logger = logging.getLogger("jyyz.functions")

ERROR_PREFIX = "错误："


# ---------------------------------------------------------------------------
# scalars


def is_blank(value: Any) -> bool:
    """Empty cell: None, "", whitespace-only text, NaN/NaT, Pyodide's JsNull."""
    if value is None:
        return True
    kind = type(value)
    if kind is str:
        return not value.strip()
    if kind is float:
        return value != value
    if kind is int or kind is bool or kind is dt.datetime:
        return False
    if value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    if isinstance(value, str):
        return not value.strip()
    return kind.__name__ == "JsNull"  # Pyodide >= 0.28


def speed_up_xlwings_outside_pyodide() -> None:
    """Work around an xlwings slowness on CPython (xlwings Server, tests, bench).

    ``xlwings.utils.is_jsnull`` runs ``from pyodide.ffi import JsNull`` for every
    cell Office.js sends; outside Pyodide the import fails each time after a
    full ``sys.path`` search (about 0.3 ms per cell: 3 s for a 10,000-cell
    column).  Outside Pyodide no value can be a JsNull, so the answer is always
    False; this replaces the function with one that says so at once.  Under
    Pyodide (xlwings Lite) nothing is changed.
    """
    if sys.platform == "emscripten":
        return
    try:
        from xlwings import utils
    except ImportError:  # pragma: no cover
        return
    if getattr(utils.is_jsnull, "__jyyz__", False):
        return
    try:
        import pyodide.ffi  # noqa: F401
    except ImportError:

        def is_jsnull(value: Any) -> bool:
            return False

        is_jsnull.__jyyz__ = True  # type: ignore[attr-defined]
        utils.is_jsnull = is_jsnull
        _speed_up_officejs_cells()


def _speed_up_officejs_cells() -> None:
    """The per-cell conversions of the Office.js engine, answered at once for the
    cells that need no conversion (CPython only: xlwings Server, tests, bench).

    Every cell of a range argument goes through ``Engine.clean_value_data`` and
    every cell of a result through ``Engine.prepare_xl_data_element`` — a chain of
    ``isinstance`` and ``pd.isna`` tests, about 2 s for JY_ASSESS on 100,000 rows.
    Most cells are plain text, numbers or booleans that both leave unchanged; those
    are returned as they are, every other cell goes to xlwings' own function, so the
    values sent and received are the same.
    """
    try:
        from xlwings.pro._xlofficejs import Engine
    except Exception:  # noqa: BLE001 - no Office.js engine here (classic xlwings, no licence key)
        return
    if getattr(Engine.prepare_xl_data_element, "__jyyz__", False):
        return
    clean_slow = Engine.clean_value_data
    prepare_slow = Engine.prepare_xl_data_element

    def clean_value_data(data, datetime_builder, empty_as, number_builder, err_to_str):
        if number_builder is not None:
            return clean_slow(data, datetime_builder, empty_as, number_builder, err_to_str)
        out = []
        for row in data:
            # As xlwings: "" → empty_as; a dict (data type, error) as xlwings reads it;
            # anything else as it is.  Most rows hold neither: copied whole.
            if any(issubclass(t, dict) for t in set(map(type, row))):
                out.append(clean_slow([row], datetime_builder, empty_as, None, err_to_str)[0])
            elif "" in row:
                out.append([empty_as if c == "" else c for c in row])
            else:
                out.append(list(row))
        return out

    def prepare_xl_data_element(x, options):
        kind = x.__class__
        if kind is str:
            return x if not x.startswith("#") else prepare_slow(x, options)
        if kind is bool or kind is int or (kind is float and x == x):
            return x
        return prepare_slow(x, options)

    prepare_xl_data_element.__jyyz__ = True  # type: ignore[attr-defined]
    Engine.clean_value_data = staticmethod(clean_value_data)
    Engine.prepare_xl_data_element = staticmethod(prepare_xl_data_element)


def error_text(message: str) -> str:
    return ERROR_PREFIX + message


def as_text(value: Any) -> str:
    """A cell as text for codes and names (SX-2008, 补贴期限（年）); 3.0 → "3"."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def as_int(value: Any, what: str) -> int:
    """A whole number from a cell: 3, 3.0, "3" → 3; anything else → InputError."""
    if isinstance(value, bool) or is_blank(value):
        raise InputError(f"{what}为空" if is_blank(value) else f"{what}应为整数，实为“{value}”")
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            f = float(value.strip())
        except ValueError:
            f = math.nan
        if f.is_integer():
            return int(f)
    raise InputError(f"{what}应为整数，实为“{value}”")


def scalar(value: Any) -> Any:
    """A one-cell argument: unwrap [[x]] / [x]; a larger range is an error."""
    while isinstance(value, list | tuple):
        if len(value) != 1:
            raise InputError("此参数应为单个单元格，实为多个单元格的区域")
        value = value[0]
    return None if is_blank(value) else value


def out_date(value: Any) -> Any:
    """A date for a cell (``datetime`` at midnight), "" for missing."""
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp | np.datetime64):
        ts = pd.Timestamp(value)
        if pd.isna(ts):
            return ""
        return dt.datetime(ts.year, ts.month, ts.day)
    if isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value


def out_cell(value: Any) -> Any:
    """Any engine value made safe for a cell: numpy → Python, NaN/NA/None → ""."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp | np.datetime64 | dt.date):
        return out_date(value)
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return "" if math.isnan(f) else f
    return value


# ---------------------------------------------------------------------------
# ranges


class Grid:
    """A range argument flattened row by row, remembering its shape.

    ``scalar`` is True when a single cell was passed (so a single value goes
    back, not a 1×1 list).
    """

    def __init__(self, value: Any):
        if isinstance(value, np.ndarray):
            value = value.tolist()
        if isinstance(value, pd.Series):
            value = value.tolist()
        if isinstance(value, list | tuple):
            rows = [list(r) if isinstance(r, list | tuple) else [r] for r in value]
            if not rows:
                rows = [[None]]
            width = max(len(r) for r in rows) or 1
            rows = [r + [None] * (width - len(r)) for r in rows]
            self.scalar = len(rows) == 1 and width == 1
            self.shape = (len(rows), width)
            self.values = [None if is_blank(v) else v for r in rows for v in r]
        else:
            self.scalar = True
            self.shape = (1, 1)
            self.values = [None if is_blank(value) else value]

    def __len__(self) -> int:
        return len(self.values)

    def series(self) -> pd.Series:
        return pd.Series(self.values, dtype=object)

    @property
    def blank(self) -> np.ndarray:
        return np.array([v is None for v in self.values], dtype=bool)

    def shape_back(self, values: Sequence[Any]) -> Any:
        """Values in flat order → a scalar or a 2-D list of this grid's shape."""
        cells = [out_cell(v) for v in values]
        if self.scalar:
            return cells[0]
        rows, width = self.shape
        return [cells[r * width : (r + 1) * width] for r in range(rows)]

    def broadcast(self, other: Any, what: str) -> pd.Series:
        """``other`` (a cell or a range of this shape, or one value per row) per cell."""
        g = other if isinstance(other, Grid) else Grid(other)
        if g.scalar:
            return pd.Series([g.values[0]] * len(self), dtype=object)
        if g.shape == self.shape:
            return g.series()
        if g.shape[1] == 1 and g.shape[0] == self.shape[0]:  # one value per row
            return pd.Series(
                [g.values[r] for r in range(self.shape[0]) for _ in range(self.shape[1])],
                dtype=object,
            )
        raise InputError(
            f"参数“{what}”的区域大小（{g.shape[0]}行×{g.shape[1]}列）与第一个参数的区域"
            f"（{self.shape[0]}行×{self.shape[1]}列）不一致"
        )


def rows_2d(value: Any, what: str) -> list[list[Any]]:
    """A range argument as a list of rows (a single cell is one row of one cell)."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, pd.DataFrame):
        return [list(value.columns), *value.astype(object).values.tolist()]
    if not isinstance(value, list | tuple):
        if is_blank(value):
            raise InputError(f"“{what}”为空")
        return [[value]]
    if not value:
        raise InputError(f"“{what}”为空")
    if not isinstance(value[0], list | tuple):
        return [list(value)]  # a 1-D list is one row (classic xlwings without ndim=2)
    # Office.js hosts hand fresh lists already: no copy (100,000 rows of a JY_ASSESS call).
    return [r if r.__class__ is list else list(r) for r in value]


def strip_blank_rows(rows: list[list[Any]]) -> tuple[list[list[Any]], np.ndarray]:
    """Rows with at least one non-blank cell, and the mask of those rows."""
    keep = np.array([any(not is_blank(v) for v in r) for r in rows], dtype=bool)
    return [r for r, k in zip(rows, keep, strict=True) if k], keep


# ---------------------------------------------------------------------------
# errors


def cell_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every failure into Chinese text in the cell.

    InputError (and PolicyError) → "错误：" + the message (with its location);
    anything else → "错误：内部错误（…）" with the exception text, logged with
    the traceback for the developer.  The wrapper keeps the signature and the
    docstring (xlwings reads both).
    """

    @functools.wraps(func)
    def wrapper(*args: Any) -> Any:
        try:
            return func(*args)
        except InputError as err:
            return error_text(err.describe())
        except Exception as err:  # noqa: BLE001 - a cell must never show a traceback
            logger.exception("worksheet function %s failed", func.__name__)
            return error_text(f"内部错误（{type(err).__name__}: {err}）")

    return wrapper
