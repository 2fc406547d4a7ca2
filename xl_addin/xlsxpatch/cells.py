"""One ``<c>`` element per value: text, number, bool, date, formula, styled cell, mark."""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Callable, Mapping
from typing import Any

from .errors import TextTooLong
from .styles import _Styles
from .values import LEFT, Cell, Formula, Mark
from .xmltext import MAX_TEXT, _b, _esc, _space_attr

_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


def _serial(value: dt.date | dt.datetime, date1904: bool) -> float | int:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        d = value
    else:
        d = dt.datetime(value.year, value.month, value.day)
    delta = d - (_EPOCH_1904 if date1904 else _EPOCH_1900)
    serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    if not date1904 and d < dt.datetime(1900, 3, 1):
        serial -= 1  # Excel's fictitious 1900-02-29
    if serial == int(serial):
        return int(serial)
    return serial


def _num_text(value: Any) -> str | None:
    """Text of a number for <v>, None for NaN (meaning: clear)."""
    if isinstance(value, numbers.Integral):
        return str(int(value))
    f = float(value)
    if math.isnan(f):
        return None
    if math.isinf(f):
        raise ValueError("Excel cannot store infinity")
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    return repr(f)


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool) or type(value).__name__ == "bool_"  # numpy.bool_


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    # pandas NaT / NA without importing pandas
    return type(value).__name__ in ("NaTType", "NAType")


class _Encoder:
    def __init__(self, styles_getter: Callable[[], _Styles], date1904: bool):
        self._styles_getter = styles_getter
        self.date1904 = date1904
        self.had_styles = False
        self.wrote_formulas = False

    @property
    def styles(self) -> _Styles:
        self.had_styles = True
        return self._styles_getter()

    def cell(self, ref: str, value: Any, base_style: int | None) -> bytes:
        """The <c> element for ``value`` (b"" when clearing an unstyled cell)."""
        style = base_style
        t = type(value)
        # Fast paths for the common exact types (hundreds of thousands of cells).
        if t is str:
            return self._text(ref, value, style)
        if t is int:
            return _b(f'<c r="{ref}"{_s(style)}><v>{value}</v></c>')
        if t is float and value == value and abs(value) != math.inf:
            v = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
            return _b(f'<c r="{ref}"{_s(style)}><v>{v}</v></c>')
        if t is bool:
            return _b(f'<c r="{ref}"{_s(style)} t="b"><v>{int(value)}</v></c>')
        if t is dt.date:
            style = self.styles.date_style(style)
            return _b(f'<c r="{ref}"{_s(style)}><v>{_serial(value, self.date1904)}</v></c>')
        return self._general(ref, value, style)

    def _text(self, ref: str, text: str, style: int | None) -> bytes:
        if len(text) > MAX_TEXT:
            raise TextTooLong(ref, len(text), MAX_TEXT)
        sp = _space_attr(text)
        return _b(f'<c r="{ref}"{_s(style)} t="inlineStr"><is><t{sp}>{_esc(text)}</t></is></c>')

    def _general(self, ref: str, value: Any, style: int | None) -> bytes:
        if type(value) is Mark:  # a marked cell that does not exist yet: empty, filled
            return _b(f'<c r="{ref}" s="{self.styles.fill_style(style, value.rgb)}"/>')
        if isinstance(value, Cell):
            value = value.value
        if isinstance(value, Formula):
            return self._formula(ref, value, style)
        if _is_missing(value):
            return _b(f'<c r="{ref}" s="{style}"/>') if style else b""
        if _is_bool(value):
            return _b(f'<c r="{ref}"{_s(style)} t="b"><v>{int(value)}</v></c>')
        if isinstance(value, (dt.date, dt.datetime)):
            style = self.styles.date_style(style)
            return _b(f'<c r="{ref}"{_s(style)}><v>{_serial(value, self.date1904)}</v></c>')
        if isinstance(value, numbers.Real):
            t = _num_text(value)
            if t is None:
                return _b(f'<c r="{ref}" s="{style}"/>') if style else b""
            return _b(f'<c r="{ref}"{_s(style)}><v>{t}</v></c>')
        if isinstance(value, dt.time):
            raise TypeError("time-of-day values are not supported")
        return self._text(ref, str(value), style)

    def _formula(self, ref: str, value: Formula, style: int | None) -> bytes:
        self.wrote_formulas = True  # see patch._keep_cached_values
        text = value.text[1:] if value.text.startswith("=") else value.text
        if value.ref:
            f = f'<f t="array" ref="{value.ref}">{_esc(text)}</f>'
        else:
            f = f"<f>{_esc(text)}</f>"
        c = value.cached
        if _is_missing(c):
            return _b(f'<c r="{ref}"{_s(style)}>{f}</c>')
        if _is_bool(c):
            return _b(f'<c r="{ref}"{_s(style)} t="b">{f}<v>{int(c)}</v></c>')
        if isinstance(c, (dt.date, dt.datetime)):
            style = self.styles.date_style(style)
            return _b(f'<c r="{ref}"{_s(style)}>{f}<v>{_serial(c, self.date1904)}</v></c>')
        if isinstance(c, numbers.Real):
            t = _num_text(c)
            if t is None:
                return _b(f'<c r="{ref}"{_s(style)}>{f}</c>')
            return _b(f'<c r="{ref}"{_s(style)}>{f}<v>{t}</v></c>')
        return _b(f'<c r="{ref}"{_s(style)} t="str">{f}<v>{_esc(str(c))}</v></c>')


def _has_value(cell_xml: bytes, prefix: bytes = b"") -> bool:
    return b"<" + prefix + b"v" in cell_xml or b"<" + prefix + b"is" in cell_xml


def _wants_left(cells: Mapping[int, Any]) -> bool:
    return any(type(v) is Cell and v.style == LEFT for v in cells.values())


def _s(style: int | None) -> str:
    return f' s="{style}"' if style else ""


# --------------------------------------------------------------------------- sheet streaming
