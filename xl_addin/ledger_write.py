"""Write computed cells back into a clerk's workbook, losing nothing.

The clerk's workbook is the office's record.  openpyxl's load/save drops
images, charts, pivot tables, form controls and extensions, so this module
never loads the workbook as an object model.  It treats the .xlsx/.xlsm as
the zip package it is:

* every zip member is copied unchanged (same bytes after decompression),
  except the one worksheet part being written;
* the worksheet XML is streamed row by row (byte level, chunks of a few MB):
  rows that receive no cell are copied byte-for-byte; rows that do are
  rewritten with the new ``<c>`` elements put in column order; missing rows
  are created in row order; ``<dimension ref>`` is widened if needed; all
  other cells in a rewritten row keep their exact bytes;
* strings are written as inline strings (``t="inlineStr"``) so
  ``xl/sharedStrings.xml`` is never touched;
* ``xl/styles.xml`` changes only when a date has to go into a cell whose
  style is not a date format and no equivalent date style exists: then one
  ``<xf>`` (a clone of the cell's style with ``numFmtId="14"``) is appended
  to ``cellXfs`` and its ``count`` bumped — nothing else in the file moves;
* ``xl/calcChain.xml`` is dropped (with its relationship and content-type
  entry) only when an existing *formula* cell was overwritten or cleared;
  Excel rebuilds the chain silently, whereas a chain naming a cell that no
  longer holds a formula makes Excel "repair" the file.  New formulas do not
  need a chain entry.  ``fullCalcOnLoad`` is never set: cached values stay.
* when an overwritten cell was the anchor of a shared formula whose range
  reaches cells not overwritten, those cells get the formula written out
  (translated to their position) — the only edit outside the written cells.

:func:`mark_cells` (fill colour + comment on cells) also edits the sheet's
comments part, its legacy VML drawing, its ``_rels`` and
``[Content_Types].xml``, or adds them; its docstring lists every change.

Output goes to a temporary file in the destination directory and is moved
into place with :func:`os.replace`; in-place writing first makes a
timestamped backup next to the file (``台账.备份-20261122-153000.xlsx``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import numbers
import os
import posixpath
import queue
import re
import shutil
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html import unescape as _xml_unescape
from typing import Any, BinaryIO, Literal

from calc.errors import InputError

from . import messages as msg
from .ledger_read import column_index, column_letter

__all__ = [
    "LEFT",
    "Cell",
    "CellValue",
    "Formula",
    "Mark",
    "WriteResult",
    "add_header_cells",
    "add_sheet",
    "backup_path_for",
    "make_backup",
    "mark_cells",
    "safe_in_place",
    "write_cells",
    "write_columns",
]

MAX_ROW = 1_048_576
MAX_COL = 16_384
MAX_TEXT = 32_767
_CHUNK = 4 << 20

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
RT_WORKSHEET = NS_REL + "/worksheet"
RT_STYLES = NS_REL + "/styles"
RT_CALCCHAIN = NS_REL + "/calcChain"
RT_COMMENTS = NS_REL + "/comments"
RT_VML = NS_REL + "/vmlDrawing"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Formula:
    """A formula (with or without leading ``=``) and the value Excel last computed.

    ``cached`` is written as the cell's ``<v>`` so viewers that do not
    recalculate (and Excel before recalculation) show the right value: text
    as ``t="str"``, booleans as ``t="b"``, numbers plain, dates as serials in
    a date style.  ``None`` writes no cached value.
    """

    text: str
    cached: Any = None
    #: An array (CSE) formula: the range it fills, e.g. "U5:U265", with this
    #: cell as its top-left anchor; the other cells of the range are written as
    #: plain cached values by the caller.
    ref: str | None = None


#: Style marker: copy the ``s=`` of the nearest existing cell left of the target in its row.
LEFT = "left"


@dataclass(frozen=True)
class Cell:
    """A value with an explicit style: an ``s=`` index, :data:`LEFT`, or None (automatic)."""

    value: Any
    style: int | str | None = None


CellValue = str | int | float | bool | dt.date | dt.datetime | Formula | Cell | None

#: Fill colour (ARGB) of each :class:`Mark` level: Excel's "light red" and "light yellow".
MARK_FILLS = {"error": "FFFFC7CE", "warning": "FFFFEB9C"}
#: Author of the comments :func:`mark_cells` writes.
MARK_AUTHOR = "jyyz"


@dataclass(frozen=True)
class Mark:
    """A finding to show on a cell: a fill colour by ``level`` and a comment (批注) with ``message``.

    ``level`` "error" fills light red (``FFC7CE``), "warning" light yellow (``FFEB9C``).
    """

    message: str
    level: Literal["error", "warning"] = "error"

    def __post_init__(self) -> None:
        if self.level not in MARK_FILLS:
            raise ValueError(f"Mark level must be 'error' or 'warning', not {self.level!r}")
        if not isinstance(self.message, str):
            raise TypeError("Mark message must be a str")
        if len(self.message) > MAX_TEXT:
            raise InputError(f"批注文本超过 Excel 上限 {MAX_TEXT} 个字符")

    @property
    def rgb(self) -> str:
        return MARK_FILLS[self.level]


@dataclass
class WriteResult:
    dst_path: str
    sheet_part: str
    cells_written: int = 0
    rows_created: int = 0
    styles_changed: bool = False
    new_styles: list[int] = field(default_factory=list)
    calc_chain_removed: bool = False
    shared_formulas_expanded: int = 0
    backup_path: str | None = None
    comments_written: int = 0  # mark_cells: comments added or replaced
    parts_added: list[str] = field(default_factory=list)  # mark_cells: new zip members


# --------------------------------------------------------------------------- XML text helpers

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPED_X = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def _esc(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "_x" in text:
        text = _ESCAPED_X.sub(r"_x005F_\1", text)
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text


def _esc_attr(text: str) -> str:
    return _esc(text).replace('"', "&quot;")


def _b(text: str) -> bytes:
    return text.encode("utf-8", "replace")


# --------------------------------------------------------------------------- package parts


def _resolve(base_dir: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = [p for p in base_dir.split("/") if p] if base_dir else []
    for seg in target.split("/"):
        if seg == "..":
            if parts:
                parts.pop()
        elif seg and seg != ".":
            parts.append(seg)
    return "/".join(parts)


def _rels_path(part: str) -> str:
    d, _, name = part.rpartition("/")
    return f"{d}/_rels/{name}.rels" if d else f"_rels/{name}.rels"


def _parse_rels(data: bytes) -> list[dict[str, str]]:
    out = []
    for m in re.finditer(rb"<(?:\w+:)?Relationship\b([^>]*?)/?>", data):
        attrs = dict(
            (k.decode(), _xml_unescape(v.decode("utf-8")))
            for k, v in re.findall(rb'(\w+)\s*=\s*["\']([^"\']*)["\']', m.group(1))
        )
        out.append(attrs)
    return out


@dataclass
class _Package:
    path: str
    zf: zipfile.ZipFile
    names: set[str]
    workbook_part: str
    sheets: list[tuple[str, str, str]]  # (name, r:id, part path)
    date1904: bool
    styles_part: str | None
    calc_chain_part: str | None

    def sheet_part(self, sheet_name: str) -> str:
        for name, _rid, part in self.sheets:
            if name == sheet_name:
                return part
        raise msg.unknown_sheet(self.path, sheet_name, [n for n, _, _ in self.sheets])

    def read(self, name: str) -> bytes:
        return self.zf.read(name)


def _open_package(path: str) -> _Package:
    if not os.path.exists(path):
        raise msg.missing_file(path)
    ext = os.path.splitext(path)[1].lower()
    if ext == ".xls":
        raise msg.old_xls(path)
    try:
        zf = zipfile.ZipFile(path)
    except PermissionError as exc:
        raise msg.locked_file(path) from exc
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise msg.corrupt_workbook(path) from exc
    try:
        names = set(zf.namelist())
        root_rels = _parse_rels(zf.read("_rels/.rels"))
        wb_part = next(
            (
                _resolve("", r["Target"])
                for r in root_rels
                if r.get("Type", "").endswith("/officeDocument")
            ),
            "xl/workbook.xml",
        )
        wb_xml = zf.read(wb_part)
        wb_dir = wb_part.rpartition("/")[0]
        rels = _parse_rels(zf.read(_rels_path(wb_part)))
    except (KeyError, zipfile.BadZipFile, OSError, ValueError) as exc:
        zf.close()
        raise msg.corrupt_workbook(path) from exc
    by_id = {r.get("Id"): r for r in rels}
    sheets = []
    for m in re.finditer(rb"<(?:\w+:)?sheet\b([^>]*?)/?>", wb_xml):
        attrs = {}
        for k, v in re.findall(rb'([\w:]+)\s*=\s*"([^"]*)"', m.group(1)):
            attrs[k.decode()] = _xml_unescape(v.decode("utf-8"))
        rid = next((v for k, v in attrs.items() if k.endswith(":id") or k == "id"), None)
        rel = by_id.get(rid)
        if rel is None or not rel.get("Type", "").endswith("/worksheet"):
            continue  # chart sheets, dialog sheets
        sheets.append((attrs.get("name", ""), rid, _resolve(wb_dir, rel["Target"])))
    date1904 = bool(re.search(rb'date1904\s*=\s*"(1|true)"', wb_xml))
    styles = next((_resolve(wb_dir, r["Target"]) for r in rels if r.get("Type") == RT_STYLES), None)
    chain = next(
        (_resolve(wb_dir, r["Target"]) for r in rels if r.get("Type") == RT_CALCCHAIN), None
    )
    return _Package(path, zf, names, wb_part, sheets, date1904, styles, chain)


# --------------------------------------------------------------------------- styles

_BUILTIN_DATE_FMTS = (
    set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
)
_FMT_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _is_date_format(code: str) -> bool:
    stripped = _FMT_QUOTED.sub("", code)
    return bool(re.search(r"[ymdhsYMDHSe]", stripped.replace("General", "")))


class _Styles:
    """Just enough of styles.xml to find/make date styles, edited textually."""

    def __init__(self, data: bytes):
        self.data = data
        self.changed = False
        self.new: list[int] = []
        m = re.search(rb"<(\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", data, re.S)
        self.prefix = (m.group(1) or b"") if m else b""
        self.xfs: list[bytes] = []
        if m:
            self.xfs = re.findall(
                rb"<(?:\w+:)?xf\b[^>]*?(?:/>|>.*?</(?:\w+:)?xf>)", m.group(2), re.S
            )
        self.custom: dict[int, str] = {}
        for nm in re.finditer(rb"<(?:\w+:)?numFmt\b([^>]*?)/?>", data):
            a = dict(re.findall(rb'(\w+)\s*=\s*"([^"]*)"', nm.group(1)))
            if b"numFmtId" in a:
                self.custom[int(a[b"numFmtId"])] = _xml_unescape(
                    a.get(b"formatCode", b"").decode("utf-8")
                )
        self._date_cache: dict[int, int] = {}
        self._fill_xf_cache: dict[tuple[int, str], int] = {}
        self._fill_ids: dict[str, int] = {}

    @staticmethod
    def _attr(xf: bytes, name: bytes) -> bytes | None:
        m = re.search(rb"\s" + name + rb'\s*=\s*"([^"]*)"', xf)
        return m.group(1) if m else None

    def num_fmt(self, idx: int) -> int:
        if 0 <= idx < len(self.xfs):
            v = self._attr(self.xfs[idx], b"numFmtId")
            return int(v) if v else 0
        return 0

    def is_date(self, idx: int | None) -> bool:
        if idx is None:
            return False
        fid = self.num_fmt(idx)
        if fid in self.custom:
            return _is_date_format(self.custom[fid])
        return fid in _BUILTIN_DATE_FMTS

    @staticmethod
    def _set_attr(xf: bytes, name: bytes, value: bytes) -> bytes:
        pat = re.compile(rb"(\s" + name + rb'\s*=\s*")[^"]*(")')
        if pat.search(xf):
            return pat.sub(lambda m: m.group(1) + value + m.group(2), xf, count=1)
        m = re.match(rb"<(?:\w+:)?xf\b", xf)
        end = m.end() if m else 3
        return xf[:end] + b" " + name + b'="' + value + b'"' + xf[end:]

    def _key(self, xf: bytes) -> bytes:
        x = re.sub(rb'\s(numFmtId|applyNumberFormat)\s*=\s*"[^"]*"', b"", xf)
        return re.sub(rb"\s+", b" ", x)

    def date_style(self, base: int | None) -> int:
        """A cellXfs index that looks like ``base`` but shows a date."""
        if base is not None and self.is_date(base):
            return base
        b = base if base is not None and 0 <= base < len(self.xfs) else 0
        if b in self._date_cache:
            return self._date_cache[b]
        if not self.xfs:
            raise InputError("工作簿的样式表（styles.xml）缺少单元格格式，无法写入日期")
        key = self._key(self.xfs[b])
        for i, xf in enumerate(self.xfs):
            if self.is_date(i) and self._key(xf) == key:
                self._date_cache[b] = i
                return i
        new = self._set_attr(self.xfs[b], b"numFmtId", b"14")
        new = self._set_attr(new, b"applyNumberFormat", b"1")
        idx = self.append_xf(new)
        self._date_cache[b] = idx
        return idx

    def append_xf(self, xf: bytes) -> int:
        close = re.search(rb"</(?:\w+:)?cellXfs>", self.data)
        if close is None:
            raise InputError("工作簿的样式表（styles.xml）缺少单元格格式，无法写入日期")
        self.data = self.data[: close.start()] + xf + self.data[close.start() :]
        self.xfs.append(xf)
        idx = len(self.xfs) - 1
        self.data = re.sub(
            rb'(<(?:\w+:)?cellXfs\b[^>]*?\scount\s*=\s*")\d+(")',
            lambda m: m.group(1) + str(len(self.xfs)).encode() + m.group(2),
            self.data,
            count=1,
        )
        self.changed = True
        self.new.append(idx)
        return idx

    def fill_style(self, base: int | None, rgb: str) -> int:
        """A cellXfs index that looks like ``base`` but has a solid ``rgb`` fill.

        The clone of ``base`` gets ``fillId`` of a solid fill of that colour
        (an identical existing ``<fill>`` is reused, else one is appended to
        ``<fills>``) and ``applyFill="1"``; an identical existing ``<xf>`` (for
        instance from an earlier marking) is reused, else the clone is appended.
        """
        b = base if base is not None and 0 <= base < len(self.xfs) else 0
        key = (b, rgb)
        if key in self._fill_xf_cache:
            return self._fill_xf_cache[key]
        if not self.xfs:
            raise InputError("工作簿的样式表（styles.xml）缺少单元格格式，无法标记单元格")
        fill_id = str(self._fill_id(rgb)).encode()
        new = self._set_attr(self.xfs[b], b"fillId", fill_id)
        new = self._set_attr(new, b"applyFill", b"1")
        idx = self.xfs.index(new) if new in self.xfs else self.append_xf(new)
        self._fill_xf_cache[key] = idx
        return idx

    def _fill_id(self, rgb: str) -> int:
        if rgb in self._fill_ids:
            return self._fill_ids[rgb]
        m = re.search(rb"<(\w+:)?fills\b[^>]*?(/?)>", self.data)
        p = (m.group(1) or b"") if m else self.prefix
        fill = (
            b'<%(p)sfill><%(p)spatternFill patternType="solid"><%(p)sfgColor rgb="%(rgb)s"/>'
            b'<%(p)sbgColor indexed="64"/></%(p)spatternFill></%(p)sfill>'
        ) % {b"p": p, b"rgb": rgb.encode()}
        if m is None or m.group(2):
            # No (or an empty) <fills>: Excel reserves fills 0 (none) and 1 (gray125).
            block = (
                (
                    b'<%(p)sfills count="3"><%(p)sfill><%(p)spatternFill patternType="none"/></%(p)sfill>'
                    b'<%(p)sfill><%(p)spatternFill patternType="gray125"/></%(p)sfill>'
                )
                % {b"p": p}
                + fill
                + b"</"
                + p
                + b"fills>"
            )
            if m is not None:
                start, end = m.start(), m.end()
            else:
                at = re.search(rb"<(?:\w+:)?(?:borders|cellStyleXfs|cellXfs)\b", self.data)
                if at is None:
                    raise InputError("工作簿的样式表（styles.xml）缺少单元格格式，无法标记单元格")
                start = end = at.start()
            self.data = self.data[:start] + block + self.data[end:]
            idx = 2
        else:
            close = self.data.find(b"</" + p + b"fills>", m.end())
            if close < 0:
                raise InputError("工作簿的样式表（styles.xml）已损坏，无法标记单元格")
            body = self.data[m.end() : close]
            fills = re.findall(rb"<(?:\w+:)?fill\b[^>]*?(?:/>|>.*?</(?:\w+:)?fill>)", body, re.S)
            if fill in fills:
                self._fill_ids[rgb] = fills.index(fill)
                return self._fill_ids[rgb]
            idx = len(fills)
            open_tag = re.sub(
                rb'(\scount\s*=\s*")\d+(")',
                lambda c: c.group(1) + str(idx + 1).encode() + c.group(2),
                self.data[m.start() : m.end()],
                count=1,
            )
            self.data = self.data[: m.start()] + open_tag + body + fill + self.data[close:]
        self.changed = True
        self._fill_ids[rgb] = idx
        return idx


# --------------------------------------------------------------------------- cell encoding

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
            raise InputError(f"单元格{ref}：文本超过 Excel 单元格上限 {MAX_TEXT} 个字符")
        sp = (
            ' xml:space="preserve"'
            if text[:1].isspace() or text[-1:].isspace() or "\n" in text
            else ""
        )
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
        self.wrote_formulas = True  # see _keep_cached_values
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

_LETTERS: dict[bytes, int] = {}
#: Value types whose encoded cell (after the reference) is cached per style.
_CACHEABLE = frozenset({str, int, float, bool, dt.date, type(None)})
_CACHE_TEXT = 200  # longer texts are mostly unique (explanations): not cached
_CACHE_SIZE = 200_000
_COL_LETTERS: dict[int, str] = {}


def _col_of(letters: bytes) -> int:
    n = _LETTERS.get(letters)
    if n is None:
        n = column_index(letters.decode())
        _LETTERS[letters] = n
    return n


def _parse_range(ref: str) -> tuple[int, int, int, int] | None:
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?", ref.strip())
    if not m:
        return None
    c0, r0 = column_index(m.group(1)), int(m.group(2))
    if m.group(3):
        c1, r1 = column_index(m.group(3)), int(m.group(4))
    else:
        c1, r1 = c0, r0
    return r0, c0, r1, c1


class _Plan:
    """Which rows receive which cells, sorted by row."""

    def __init__(self, rows: Sequence[int], get: Callable[[int], dict[int, Any]], bounds):
        self.rows = rows  # sorted ascending, unique
        self.get = get
        self.bounds = bounds  # (min_row, min_col, max_row, max_col) or None


def _plan_from_cells(cells: Mapping[tuple[int, int], Any]) -> _Plan:
    by_row: dict[int, dict[int, Any]] = {}
    min_r = min_c = 1 << 30
    max_r = max_c = 0
    for key, value in cells.items():
        r, c = key
        r, c = int(r), int(c)
        if not (1 <= r <= MAX_ROW and 1 <= c <= MAX_COL):
            raise ValueError(f"cell ({r}, {c}) is outside Excel's grid")
        by_row.setdefault(r, {})[c] = value
        min_r, max_r = min(min_r, r), max(max_r, r)
        min_c, max_c = min(min_c, c), max(max_c, c)
    rows = sorted(by_row)
    bounds = (min_r, min_c, max_r, max_c) if rows else None
    return _Plan(rows, by_row.__getitem__, bounds)


class _SheetRewriter:
    def __init__(self, prefix: bytes, plan: _Plan, enc: _Encoder):
        self.p = prefix
        self.plan = plan
        self.enc = enc
        p = re.escape(prefix)
        self.row_re = re.compile(rb"<" + p + rb"row\b[^>]*?(?:/>|>.*?</" + p + rb"row>)", re.S)
        self.row_r_re = re.compile(rb"\sr\s*=\s*[\"'](\d+)[\"']")
        self.cell_re = re.compile(rb"<" + p + rb"c\b[^>]*?(?:/>|>.*?</" + p + rb"c>)", re.S)
        self.cell_r_re = re.compile(rb"\sr\s*=\s*[\"']([A-Z]+)(\d+)[\"']")
        self.cell_s_re = re.compile(rb"\ss\s*=\s*[\"'](\d+)[\"']")
        self.shared_re = re.compile(
            rb"<" + p + rb"f\b([^>]*\bt\s*=\s*\"shared\"[^>]*?)(?:/>|>(.*?)</" + p + rb"f>)", re.S
        )
        self.col_styles: dict[int, int] = {}
        self.next_i = 0
        self.last_row = 0
        self.cells_written = 0
        self.rows_created = 0
        self.formula_replaced = False
        self.broken_shared: dict[bytes, tuple[str, str]] = {}  # si -> (formula, anchor ref)
        self.shared_expanded = 0
        self._tails: dict[tuple, bytes] = {}  # (type, value, style) -> element after the ref
        self._c_open = b"<" + prefix + b'c r="'
        self._row_open = b"<" + prefix + b"row"
        self._row_close = b"</" + prefix + b"row>"

    # -- head -------------------------------------------------------------
    def head(self, head: bytes) -> bytes:
        p = re.escape(self.p)
        for m in re.finditer(rb"<" + p + rb"col\b([^>]*?)/?>", head):
            a = dict(re.findall(rb'(\w+)\s*=\s*"([^"]*)"', m.group(1)))
            if b"style" in a and b"min" in a and b"max" in a:
                lo, hi, st = int(a[b"min"]), int(a[b"max"]), int(a[b"style"])
                if st and hi - lo < 20000:
                    for c in range(lo, hi + 1):
                        self.col_styles[c] = st
        b = self.plan.bounds
        if b is None:
            return head

        def widen(m: re.Match) -> bytes:
            old = _parse_range(m.group(2).decode())
            r0, c0, r1, c1 = b
            if old is not None:
                r0, c0 = min(r0, old[0]), min(c0, old[1])
                r1, c1 = max(r1, old[2]), max(c1, old[3])
            ref = f"{column_letter(c0)}{r0}:{column_letter(c1)}{r1}"
            if old is not None and (r0, c0, r1, c1) == old:
                return m.group(0)
            return m.group(1) + ref.encode() + m.group(3)

        return re.sub(
            rb"(<" + p + rb'dimension\b[^>]*?\sref\s*=\s*")([^"]*)(")', widen, head, count=1
        )

    # -- rows -------------------------------------------------------------
    def _new_row(self, r: int) -> bytes:
        cells = self.plan.get(r)
        parts = []
        for c in sorted(cells):
            parts.append(self._encode(r, c, cells[c], None, None, None))
        self.rows_created += 1
        body = b"".join(parts)
        if not body:
            return b""
        pr = self.p
        return b"<" + pr + b'row r="' + str(r).encode() + b'">' + body + b"</" + pr + b"row>"

    def pending_before(self, limit: int | None) -> bytes:
        """New rows for all planned rows < limit (all remaining when limit is None)."""
        rows = self.plan.rows
        out = []
        while self.next_i < len(rows) and (limit is None or rows[self.next_i] < limit):
            out.append(self._new_row(rows[self.next_i]))
            self.next_i += 1
        return b"".join(out)

    def _encode(self, r, c, value, existing_style, row_style, left_style) -> bytes:
        explicit = value.style if type(value) is Cell else None
        if explicit is None:
            base = (
                existing_style if existing_style is not None else self.col_styles.get(c, row_style)
            )
        elif explicit == LEFT:
            base = left_style if left_style is not None else existing_style
        elif isinstance(explicit, int):
            base = explicit
        elif existing_style is not None:
            base = existing_style
        else:
            base = self.col_styles.get(c, row_style)
        self.cells_written += 1
        letters = _COL_LETTERS.get(c) or _COL_LETTERS.setdefault(c, column_letter(c))
        t = type(value)
        key = None
        if t in _CACHEABLE and (t is not str or len(value) <= _CACHE_TEXT) and value == value:
            # A column holds few distinct short values: encode each once per style and
            # only put the cell reference in front (the rest of the element is the same).
            key = (t, value, base)
            tail = self._tails.get(key)
            if tail is not None:
                if not tail:
                    return b""
                return self._c_open + f"{letters}{r}".encode() + tail
        ref = f"{letters}{r}"
        xml = self.enc.cell(ref, value, base)
        if self.p and xml:
            # Sheets whose elements carry a prefix (<x:row>, OpenXML SDK) get it on ours too.
            xml = re.sub(
                rb"<(/?)(c|f|v|is|t)\b", lambda m: b"<" + m.group(1) + self.p + m.group(2), xml
            )
        if key is not None:
            head = self._c_open + ref.encode()
            if not xml:
                self._tails[key] = b""
            elif xml.startswith(head) and xml[len(head) : len(head) + 1] == b'"':
                if len(self._tails) >= _CACHE_SIZE:
                    self._tails.clear()
                self._tails[key] = xml[len(head) :]
        return xml

    def rows(self, chunk: bytes) -> bytes:
        """Process a run of complete rows (plus whitespace between them)."""
        out: list[bytes] = []
        pos = 0
        plan_rows = self.plan.rows
        n_plan = len(plan_rows)
        for start, end in self._row_spans(chunk):
            if start > pos:
                out.append(chunk[pos:start])
            rowb = chunk[start:end]
            gt = rowb.find(b">")
            rm = self.row_r_re.search(rowb, 0, gt)
            r = int(rm.group(1)) if rm else self.last_row + 1
            self.last_row = r
            if self.next_i < n_plan and plan_rows[self.next_i] <= r:
                while self.next_i < n_plan and plan_rows[self.next_i] < r:
                    out.append(self._new_row(plan_rows[self.next_i]))
                    self.next_i += 1
                if self.next_i < n_plan and plan_rows[self.next_i] == r:
                    rowb = self._rewrite_row(rowb, gt, r, rm is not None)
                    self.next_i += 1
            if self.broken_shared and b"shared" in rowb:
                rowb = self._expand_shared(rowb, r)
            out.append(rowb)
            pos = end
        if pos < len(chunk):
            out.append(chunk[pos:])
        return b"".join(out)

    def _row_spans(self, chunk: bytes) -> Iterator[tuple[int, int]]:
        """(start, end) of each ``<row>`` element, as ``row_re`` matches them, found with
        ``bytes.find`` (several times faster than the regex on a big sheet)."""
        find = chunk.find
        row_open, row_close = self._row_open, self._row_close
        n_open, n_close = len(row_open), len(row_close)
        pos = 0
        while True:
            start = find(row_open, pos)
            if start < 0:
                return
            nxt = chunk[start + n_open : start + n_open + 1]
            if nxt and (nxt.isalnum() or nxt == b"_"):  # <rowBreaks…: not a row (\b)
                pos = start + n_open
                continue
            gt = find(b">", start + n_open)
            if gt < 0:
                return
            if chunk[gt - 1 : gt] == b"/":
                end = gt + 1
            else:
                close = find(row_close, gt + 1)
                if close < 0:
                    return
                end = close + n_close
            yield start, end
            pos = end

    def _rewrite_row(self, rowb: bytes, gt: int, r: int, has_r: bool) -> bytes:
        cells = self.plan.get(r)
        targets = sorted(cells)
        self_closing = rowb[gt - 1 : gt] == b"/"
        open_tag = rowb[: gt - 1] if self_closing else rowb[:gt]
        close = b"</" + self.p + b"row>"
        body = b"" if self_closing else rowb[gt + 1 : len(rowb) - len(close)]
        row_style = None
        if b"customFormat" in open_tag and re.search(rb'customFormat\s*=\s*"(1|true)"', open_tag):
            sm = self.cell_s_re.search(open_tag)
            row_style = int(sm.group(1)) if sm else None
        if not has_r:
            open_tag += b' r="' + str(r).encode() + b'"'
        open_tag = self._widen_spans(open_tag, targets[0], targets[-1])

        new_body = None
        stripped = body.rstrip()
        if not body.strip():
            new_body = self._cells(r, cells, targets, row_style, None) + body
        elif stripped.endswith((b"</" + self.p + b"c>", b"/>")):
            i = body.rfind(b"<" + self.p + b"c ")
            cm = self.cell_r_re.search(body, i, body.find(b">", i)) if i >= 0 else None
            if cm is not None and _col_of(cm.group(1)) < targets[0]:
                left = self._left_style(body, body[i:]) if _wants_left(cells) else None
                new_body = (
                    stripped
                    + self._cells(r, cells, targets, row_style, left)
                    + body[len(stripped) :]
                )
        if new_body is None:
            new_body = self._merge_row(r, body, cells, targets, row_style)
        return open_tag + b">" + new_body + close

    def _left_style(self, body: bytes, last_cell: bytes) -> int | None:
        """Style of the nearest cell that shows something (else of the last cell)."""
        sm = self.cell_s_re.search(last_cell, 0, last_cell.find(b">"))
        if sm and _has_value(last_cell, self.p):
            return int(sm.group(1))
        best = int(sm.group(1)) if sm else None
        for m in self.cell_re.finditer(body):
            cb = m.group()
            s2 = self.cell_s_re.search(cb, 0, cb.find(b">"))
            if s2 and _has_value(cb, self.p):
                best = int(s2.group(1))
        return best

    def _cells(self, r, cells, targets, row_style, left_style) -> bytes:
        # Inline fast path of _encode for cached values (style from column or row).
        parts = []
        tails = self._tails
        col_styles = self.col_styles
        c_open = self._c_open
        rb = None
        for c in targets:
            v = cells[c]
            t = type(v)
            if t in _CACHEABLE and (t is not str or len(v) <= _CACHE_TEXT) and v == v:
                tail = tails.get((t, v, col_styles.get(c, row_style)))
                if tail is not None:
                    self.cells_written += 1
                    if tail:
                        if rb is None:
                            rb = str(r).encode()
                        letters = _COL_LETTERS.get(c) or _COL_LETTERS.setdefault(
                            c, column_letter(c)
                        )
                        parts.append(c_open + letters.encode() + rb + tail)
                    continue
            parts.append(self._encode(r, c, v, None, row_style, left_style))
        return b"".join(parts)

    def _widen_spans(self, open_tag: bytes, c0: int, c1: int) -> bytes:
        m = re.search(rb'(\sspans\s*=\s*")(\d+):(\d+)(")', open_tag)
        if not m:
            return open_tag
        lo, hi = int(m.group(2)), int(m.group(3))
        nlo, nhi = min(lo, c0), max(hi, c1)
        if (nlo, nhi) == (lo, hi):
            return open_tag
        return (
            open_tag[: m.start()]
            + m.group(1)
            + f"{nlo}:{nhi}".encode()
            + m.group(4)
            + open_tag[m.end() :]
        )

    def _merge_row(self, r, body, cells, targets, row_style) -> bytes:
        out: list[bytes] = []
        ti = 0
        nt = len(targets)
        last = 0
        prev_col = 0
        left_style = None
        for m in self.cell_re.finditer(body):
            if m.start() > last:
                out.append(body[last : m.start()])
            cb = m.group()
            gt = cb.find(b">")
            rm = self.cell_r_re.search(cb, 0, gt)
            if rm:
                col = _col_of(rm.group(1))
            else:
                col = prev_col + 1
                cb = (
                    cb[: 2 + len(self.p)]
                    + f' r="{column_letter(col)}{r}"'.encode()
                    + cb[2 + len(self.p) :]
                )
                gt = cb.find(b">")
            sm = self.cell_s_re.search(cb, 0, gt)
            style = int(sm.group(1)) if sm else None
            while ti < nt and targets[ti] < col:
                c = targets[ti]
                out.append(self._encode(r, c, cells[c], None, row_style, left_style))
                ti += 1
            if ti < nt and targets[ti] == col:
                if type(cells[col]) is Mark:
                    out.append(self._restyle(cb, gt, style, cells[col]))
                else:
                    self._note_replaced(cb, f"{column_letter(col)}{r}")
                    out.append(self._encode(r, col, cells[col], style, row_style, left_style))
                ti += 1
            else:
                out.append(cb)
            if style is not None and (left_style is None or _has_value(cb, self.p)):
                left_style = style
            prev_col = col
            last = m.end()
        while ti < nt:
            c = targets[ti]
            out.append(self._encode(r, c, cells[c], None, row_style, left_style))
            ti += 1
        out.append(body[last:])
        return b"".join(out)

    def _restyle(self, cb: bytes, gt: int, style: int | None, mark: Mark) -> bytes:
        """``cb`` with only its ``s=`` changed to the filled twin of its style."""
        self.cells_written += 1
        new = str(self.enc.styles.fill_style(style, mark.rgb)).encode()
        sm = self.cell_s_re.search(cb, 0, gt)
        if sm:
            return cb[: sm.start(1)] + new + cb[sm.end(1) :]
        n = 2 + len(self.p)  # after "<c" / "<x:c"
        return cb[:n] + b' s="' + new + b'"' + cb[n:]

    def _note_replaced(self, cb: bytes, ref: str) -> None:
        if b"<" + self.p + b"f" not in cb:
            return
        self.formula_replaced = True
        m = self.shared_re.search(cb)
        if m and m.group(2) and b"ref" in m.group(1):
            si = re.search(rb'\ssi\s*=\s*"(\d+)"', b" " + m.group(1))
            if si:
                formula = _xml_unescape(m.group(2).decode("utf-8"))
                self.broken_shared[si.group(1)] = (formula, ref)

    def _expand_shared(self, rowb: bytes, r: int) -> bytes:
        from openpyxl.formula.translate import Translator

        def fix_cell(cm: re.Match) -> bytes:
            cb = cm.group()
            fm = self.shared_re.search(cb)
            if not fm or fm.group(2):
                return cb
            si = re.search(rb'\ssi\s*=\s*"(\d+)"', b" " + fm.group(1))
            if not si or si.group(1) not in self.broken_shared:
                return cb
            rm = self.cell_r_re.search(cb, 0, cb.find(b">"))
            if not rm:
                return cb
            formula, origin = self.broken_shared[si.group(1)]
            ref = (rm.group(1) + rm.group(2)).decode()
            text = Translator("=" + formula, origin=origin).translate_formula(ref)[1:]
            self.shared_expanded += 1
            new_f = b"<" + self.p + b"f>" + _b(_esc(text)) + b"</" + self.p + b"f>"
            return cb[: fm.start()] + new_f + cb[fm.end() :]

        return self.cell_re.sub(fix_cell, rowb)


def _stream_sheet(
    src: BinaryIO,
    dst: BinaryIO,
    plan: _Plan,
    enc: _Encoder,
    tail: Callable[[bytes, bytes], bytes] | None = None,
) -> _SheetRewriter:
    """Stream the sheet, rewriting planned rows; ``tail(rest, prefix)`` may edit what
    follows ``<sheetData>`` (read whole: merges, validations, drawings... not rows)."""
    buf = b""
    eof = False
    # Head: everything up to and including the <sheetData> start tag.
    while True:
        m = re.search(rb"<(\w+:)?sheetData\b[^>]*?(/?)>", buf)
        if m or eof:
            break
        chunk = src.read(_CHUNK)
        if not chunk:
            eof = True
        buf += chunk
    if not m:
        raise InputError("工作表内容不完整（缺少 sheetData），文件可能已损坏")
    prefix = m.group(1) or b""
    rw = _SheetRewriter(prefix, plan, enc)
    dst.write(rw.head(buf[: m.start()]))
    close_tag = b"</" + prefix + b"sheetData>"
    if m.group(2):  # <sheetData/>
        dst.write(b"<" + prefix + b"sheetData>" + rw.pending_before(None) + close_tag)
        buf = buf[m.end() :]
    else:
        dst.write(buf[m.start() : m.end()])
        buf = buf[m.end() :]
        end_row = b"</" + prefix + b"row>"
        while True:
            end = buf.find(close_tag)
            if end >= 0:
                dst.write(rw.rows(buf[:end]))
                dst.write(rw.pending_before(None))
                buf = buf[end:]
                break
            cut = buf.rfind(end_row)
            if cut >= 0:
                cut += len(end_row)
                dst.write(rw.rows(buf[:cut]))
                buf = buf[cut:]
            chunk = src.read(_CHUNK)
            if not chunk:
                raise InputError("工作表内容不完整（sheetData 未结束），文件可能已损坏")
            buf += chunk
    if tail is None:
        dst.write(buf)
        shutil.copyfileobj(src, dst, _CHUNK)
    else:
        dst.write(tail(buf + src.read(), prefix))
    return rw


# --------------------------------------------------------------------------- package writing


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def backup_path_for(path: str, when: dt.datetime | None = None) -> str:
    """``台账.xlsx`` → ``台账.备份-20261122-153000.xlsx`` (free name next to it)."""
    when = when or dt.datetime.now()
    stem, ext = os.path.splitext(path)
    base = f"{stem}.备份-{when:%Y%m%d-%H%M%S}"
    cand = base + ext
    n = 2
    while os.path.exists(cand):
        cand = f"{base}-{n}{ext}"
        n += 1
    return cand


def make_backup(path: str | os.PathLike[str]) -> str:
    """Copy ``path`` to a timestamped backup next to it; return the backup's path."""
    p = os.fspath(path)
    dst = backup_path_for(p)
    try:
        shutil.copy2(p, dst)
    except PermissionError as exc:
        raise InputError(
            f"无法在“{os.path.dirname(os.path.abspath(p))}”中创建备份文件：没有写入权限，"
            f"或“{msg.file_label(p)}”正被其他程序（如 Excel）占用"
        ) from exc
    return dst


def _replace(tmp: str, dst: str) -> None:
    # mkstemp makes 0600 files; give the result the mode the file had (or the usual one).
    try:
        mode = os.stat(dst).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with contextlib.suppress(OSError):
        os.chmod(tmp, mode)
    try:
        os.replace(tmp, dst)
    except PermissionError as exc:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise msg.locked_file(dst) from exc


@contextlib.contextmanager
def safe_in_place(path: str | os.PathLike[str]) -> Iterator[str]:
    """Write a new version of ``path`` safely.

    Makes the timestamped backup first, yields a temporary path in the same
    directory to write to, and on success moves it over ``path`` atomically.
    On failure the temporary file is removed and ``path`` is unchanged (the
    backup is removed too, as it equals ``path``).  The write functions do
    the same by themselves with ``in_place=True``.
    """
    p = os.fspath(path)
    if not os.path.exists(p):
        raise msg.missing_file(p)
    backup = make_backup(p)
    tmp = _temp_in(os.path.dirname(os.path.abspath(p)), p)
    try:
        yield tmp
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        with contextlib.suppress(OSError):
            os.remove(backup)
        raise
    _replace(tmp, p)


def _temp_in(directory: str, like: str) -> str:
    ext = os.path.splitext(like)[1]
    try:
        fd, tmp = tempfile.mkstemp(prefix="~jyyz-", suffix=ext + ".tmp", dir=directory)
    except PermissionError as exc:
        raise InputError(f"无法在“{directory}”中写入文件：没有写入权限") from exc
    except FileNotFoundError as exc:
        raise InputError(f"输出目录“{directory}”不存在") from exc
    os.close(fd)
    return tmp


def _copy_member(
    src: zipfile.ZipFile, info: zipfile.ZipInfo, out: zipfile.ZipFile, data: bytes | None = None
) -> None:
    zi = zipfile.ZipInfo(info.filename, info.date_time)
    zi.compress_type = info.compress_type
    zi.external_attr = info.external_attr
    zi.create_system = info.create_system
    zi.comment = info.comment
    zi.extra = b""
    if data is not None:
        out.writestr(zi, data)
        return
    if info.is_dir():
        out.writestr(zi, b"")
        return
    with src.open(info) as fin, out.open(zi, "w", force_zip64=info.file_size > (1 << 31)) as fout:
        shutil.copyfileobj(fin, fout, _CHUNK)


def _fast_deflate(zi: zipfile.ZipInfo, size: int) -> None:
    """Deflate a big rewritten sheet at level 3: twice as fast as 6, about 11% larger."""
    if size > (8 << 20) and zi.compress_type == zipfile.ZIP_DEFLATED:
        try:
            zi.compress_level = 3  # Python 3.13+
        except AttributeError:
            zi._compresslevel = 3  # Python 3.11/3.12


#: Sheets larger than this (uncompressed) are inflated/deflated in worker threads.
_BIG_SHEET = 8 << 20
_BIG_LEVEL = 3  # as _fast_deflate: the rewritten sheet of a big ledger is > 8 MB too


class _Prefetch:
    """Read-ahead of a (decompressing) stream in a worker thread, ``_CHUNK`` at a time."""

    def __init__(self, src: BinaryIO, depth: int = 3):
        self._q: queue.Queue = queue.Queue(maxsize=depth)
        self._buf = b""
        self._eof = False
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._t = threading.Thread(target=self._run, args=(src,), daemon=True)
        self._t.start()

    def _run(self, src: BinaryIO) -> None:
        try:
            while not self._stop.is_set():
                chunk = src.read(_CHUNK)
                self._put(chunk)
                if not chunk:
                    return
        except BaseException as exc:  # handed to the reading thread
            self._error = exc
            self._put(b"")

    def _put(self, chunk: bytes) -> None:
        while not self._stop.is_set():
            try:
                self._q.put(chunk, timeout=0.1)
                return
            except queue.Full:
                continue

    def _next(self) -> bytes:
        if self._eof:
            return b""
        chunk = self._q.get()
        if not chunk:
            self._eof = True
            if self._error is not None:
                raise self._error
        return chunk

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            parts = [self._buf]
            self._buf = b""
            while chunk := self._next():
                parts.append(chunk)
            return b"".join(parts)
        while len(self._buf) < size:
            chunk = self._next()
            if not chunk:
                break
            self._buf += chunk
        out, self._buf = self._buf[:size], self._buf[size:]
        return out

    def __enter__(self) -> _Prefetch:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()


class _DeflateSink:
    """Write target that deflates (raw, zip's method 8) into ``fh`` in a worker thread.

    Keeps the CRC-32 and size of the data written; :meth:`copy_into` then puts
    the compressed bytes into a zip member opened for writing, unchanged.
    """

    def __init__(self, fh: BinaryIO, level: int, depth: int = 4):
        self.fh = fh
        self.size = 0
        self.crc = 0
        self._comp = zlib.compressobj(level, zlib.DEFLATED, -15)
        self._q: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._closed = False
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self) -> None:
        while True:
            data = self._q.get()
            if data is None:
                break
            if self._error is not None:
                continue  # drain after a failure
            try:
                self.size += len(data)
                self.crc = zlib.crc32(data, self.crc)
                self.fh.write(self._comp.compress(data))
            except BaseException as exc:
                self._error = exc
        if self._error is None:
            try:
                self.fh.write(self._comp.flush())
            except BaseException as exc:
                self._error = exc

    def write(self, data: bytes) -> int:
        if self._error is not None:
            raise self._error
        if data:
            self._q.put(bytes(data))
        return len(data)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._q.put(None)
        self._t.join()
        if self._error is not None:
            raise self._error

    def copy_into(self, fout: Any) -> None:
        """Copy the deflated bytes into ``fout`` (``ZipFile.open(zi, "w")``, deflate)."""
        self.fh.seek(0)
        fout._compressor = _Passthrough()  # the data is deflated already
        shutil.copyfileobj(self.fh, fout, _CHUNK)
        fout._file_size = self.size  # header and zip64 checks: the inflated size and CRC
        fout._crc = self.crc


class _Passthrough:
    def compress(self, data: bytes) -> bytes:
        return data

    def flush(self) -> bytes:
        return b""


def _drop_calc_chain(pkg: _Package, replaced: dict[str, bytes]) -> None:
    part = pkg.calc_chain_part
    if not part:
        return
    ct = replaced.get("[Content_Types].xml", pkg.read("[Content_Types].xml"))
    ct = re.sub(
        rb'<(?:\w+:)?Override\b[^>]*PartName\s*=\s*"/' + re.escape(part.encode()) + rb'"[^>]*/>',
        b"",
        ct,
    )
    replaced["[Content_Types].xml"] = ct
    rels_name = _rels_path(pkg.workbook_part)
    rels = replaced.get(rels_name, pkg.read(rels_name))
    rels = re.sub(
        rb"<(?:\w+:)?Relationship\b[^>]*" + re.escape(RT_CALCCHAIN.encode()) + rb'"[^>]*/>',
        b"",
        rels,
    )
    replaced[rels_name] = rels


def _keep_cached_values(pkg: _Package, replaced: dict[str, bytes]) -> None:
    """Remove ``fullCalcOnLoad`` from the workbook's ``<calcPr>`` when formulas were written.

    With it (xlsxwriter, for one, always sets it) every host recalculates on
    open: an Excel without the jyyz add-in, or WPS, replaces each cached =JY_…
    value with #NAME?.  Without it Excel keeps the cached values until the
    clerk recalculates, and the add-in recalculates the JY_ formulas as usual.
    """
    data = replaced.get(pkg.workbook_part, pkg.read(pkg.workbook_part))
    new = re.sub(rb'(<(?:\w+:)?calcPr\b[^>]*?)\s+fullCalcOnLoad\s*=\s*"(?:1|true)"', rb"\1", data)
    if new != data:
        replaced[pkg.workbook_part] = new


def _rewrite_package(
    src_path: str,
    dst_path: str | None,
    sheet_name: str,
    plan: _Plan,
    *,
    in_place: bool,
    extra: _CommentMarks | None = None,
) -> WriteResult:
    src_path = os.fspath(src_path)
    if dst_path is None:
        if not in_place:
            raise InputError("未指定输出文件；如需直接修改原文件，请选择“覆盖原文件（自动备份）”")
        dst_path = src_path
    dst_path = os.fspath(dst_path)
    same = os.path.exists(dst_path) and _same_file(src_path, dst_path)
    if same and not in_place:
        raise InputError(
            f"输出文件不能与输入文件“{msg.file_label(src_path)}”相同；"
            "请另选输出文件名，或选择“覆盖原文件（自动备份）”"
        )
    if os.path.splitext(dst_path)[1].lower() != os.path.splitext(src_path)[1].lower():
        raise InputError(
            f"输出文件“{msg.file_label(dst_path)}”的扩展名应与输入文件“{msg.file_label(src_path)}”相同"
        )

    pkg = _open_package(src_path)
    try:
        part = pkg.sheet_part(sheet_name)
        if part not in pkg.names:
            raise msg.corrupt_workbook(src_path)
        if extra is not None:
            extra.prepare(pkg, part)
        styles_box: list[_Styles] = []

        def get_styles() -> _Styles:
            if not styles_box:
                if pkg.styles_part is None or pkg.styles_part not in pkg.names:
                    raise InputError(
                        f"工作簿“{msg.file_label(src_path)}”缺少样式表，无法写入日期；请用 Excel 打开并保存一次后重试"
                    )
                styles_box.append(_Styles(pkg.read(pkg.styles_part)))
            return styles_box[0]

        enc = _Encoder(get_styles, pkg.date1904)
        out_dir = os.path.dirname(os.path.abspath(dst_path))
        backup = make_backup(src_path) if same else None
        sheet_tmp = tempfile.TemporaryFile(dir=out_dir)
        tmp = _temp_in(out_dir, dst_path)
        src_info = pkg.zf.getinfo(part)
        # A big sheet is inflated and deflated in worker threads (zlib lets go of the
        # GIL) while this thread rewrites the rows: the three overlap on two cores.
        big = src_info.file_size > _BIG_SHEET and src_info.compress_type == zipfile.ZIP_DEFLATED
        sink: _DeflateSink | None = None
        try:
            with pkg.zf.open(part) as fin:
                if big:
                    sink = _DeflateSink(sheet_tmp, _BIG_LEVEL)
                    with _Prefetch(fin) as ahead:
                        try:
                            rw = _stream_sheet(
                                ahead, sink, plan, enc, extra.tail if extra else None
                            )
                        finally:
                            sink.close()
                else:
                    rw = _stream_sheet(fin, sheet_tmp, plan, enc, extra.tail if extra else None)
            replaced: dict[str, bytes] = {}
            styles = styles_box[0] if styles_box else None
            if styles is not None and styles.changed:
                replaced[pkg.styles_part] = styles.data
            dropped: set[str] = set()
            if rw.formula_replaced and pkg.calc_chain_part in pkg.names:
                _drop_calc_chain(pkg, replaced)
                dropped.add(pkg.calc_chain_part)
            added = extra.finish(replaced) if extra is not None else []
            if getattr(enc, "wrote_formulas", False):
                _keep_cached_values(pkg, replaced)
            sheet_size = sink.size if sink is not None else sheet_tmp.tell()
            sheet_tmp.seek(0)
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as out:
                for info in pkg.zf.infolist():
                    name = info.filename
                    if name in dropped:
                        continue
                    if name == part:
                        zi = zipfile.ZipInfo(name, info.date_time)
                        zi.compress_type = info.compress_type
                        zi.external_attr = info.external_attr
                        _fast_deflate(zi, sheet_size)
                        with out.open(zi, "w", force_zip64=sheet_size > (1 << 31)) as fout:
                            if sink is not None:
                                sink.copy_into(fout)
                            else:
                                shutil.copyfileobj(sheet_tmp, fout, _CHUNK)
                    elif name in replaced:
                        _copy_member(pkg.zf, info, out, replaced[name])
                    else:
                        _copy_member(pkg.zf, info, out)
                for name, data in added:
                    zi = zipfile.ZipInfo(name, time.localtime()[:6])
                    zi.compress_type = zipfile.ZIP_DEFLATED
                    out.writestr(zi, data)
        except BaseException:
            with contextlib.suppress(OSError):
                os.remove(tmp)
            if backup:
                with contextlib.suppress(OSError):
                    os.remove(backup)
            raise
        finally:
            sheet_tmp.close()
    except zipfile.BadZipFile as exc:
        raise msg.corrupt_workbook(src_path) from exc
    finally:
        pkg.zf.close()
    _replace(tmp, dst_path)
    return WriteResult(
        dst_path=dst_path,
        sheet_part=part,
        cells_written=rw.cells_written,
        rows_created=rw.rows_created,
        styles_changed=bool(styles and styles.changed),
        new_styles=list(styles.new) if styles else [],
        calc_chain_removed=bool(dropped),
        shared_formulas_expanded=rw.shared_expanded,
        backup_path=backup,
        comments_written=extra.comments_written if extra is not None else 0,
        parts_added=[name for name, _ in added],
    )


# --------------------------------------------------------------------------- public API


def write_cells(
    src_path: str | os.PathLike[str],
    dst_path: str | os.PathLike[str] | None,
    sheet_name: str,
    cells: Mapping[tuple[int, int], CellValue],
    *,
    in_place: bool = False,
) -> WriteResult:
    """Write ``cells`` ({(excel_row, column 1-based): value}) into one sheet.

    Values: str, int, float, bool, date/datetime, :class:`Formula`,
    :class:`Cell` (value with explicit style), or None/NaN/NaT (clear the
    value, keep the cell's formatting).  Everything else in the workbook is
    kept.  ``dst_path`` may be None (or equal ``src_path``) only with
    ``in_place=True``; then a timestamped backup is made first.
    """
    plan = _plan_from_cells(cells)
    return _rewrite_package(
        os.fspath(src_path),
        None if dst_path is None else os.fspath(dst_path),
        sheet_name,
        plan,
        in_place=in_place,
    )


def write_columns(
    src_path: str | os.PathLike[str],
    dst_path: str | os.PathLike[str] | None,
    sheet_name: str,
    rows: Sequence[int],
    columns: Mapping[int, Sequence[CellValue]],
    *,
    headers: Mapping[int, CellValue] | None = None,
    header_row: int | None = None,
    header_style: bool = True,
    in_place: bool = False,
) -> WriteResult:
    """Column-oriented :func:`write_cells` for whole computed columns.

    ``rows`` are the Excel rows (e.g. ``ledger.data.index``) and
    ``columns[col]`` the values for those rows, same length.  Optional
    ``headers`` ({col: text}) go into ``header_row``, styled like the header
    cell to their left when ``header_style``.  Uses far less memory than a
    cell mapping for a million rows.
    """
    row_list = [int(r) for r in rows]
    cols = sorted(int(c) for c in columns)
    values = [list(columns[c]) for c in cols]
    for c, vals in zip(cols, values, strict=True):
        if len(vals) != len(row_list):
            raise ValueError(f"column {c}: {len(vals)} values for {len(row_list)} rows")
        if not 1 <= c <= MAX_COL:
            raise ValueError(f"column {c} is outside Excel's grid")
    pos = {r: i for i, r in enumerate(row_list)}
    if len(pos) != len(row_list):
        raise ValueError("rows must be unique")
    head: dict[int, Any] = {}
    if headers:
        if header_row is None:
            raise ValueError("header_row is required with headers")
        head = {
            int(c): (Cell(v, LEFT) if header_style and not isinstance(v, Cell) else v)
            for c, v in headers.items()
        }
        if header_row in pos:
            raise ValueError("header_row is also a data row")
    all_rows = sorted(set(row_list) | ({header_row} if head else set()))
    if all_rows and not (1 <= all_rows[0] and all_rows[-1] <= MAX_ROW):
        raise ValueError("row outside Excel's grid")

    def get(r: int) -> dict[int, Any]:
        if head and r == header_row:
            return head
        i = pos[r]
        return {c: vals[i] for c, vals in zip(cols, values, strict=True)}

    all_cols = cols + sorted(head)
    bounds = (
        (all_rows[0], min(all_cols), all_rows[-1], max(all_cols)) if all_rows and all_cols else None
    )
    plan = _Plan(all_rows if all_cols else [], get, bounds)
    return _rewrite_package(
        os.fspath(src_path),
        None if dst_path is None else os.fspath(dst_path),
        sheet_name,
        plan,
        in_place=in_place,
    )


def add_header_cells(
    src_path: str | os.PathLike[str],
    dst_path: str | os.PathLike[str] | None,
    sheet_name: str,
    header_row: int,
    headers: Mapping[int, str],
    *,
    header_style: bool = True,
    in_place: bool = False,
) -> WriteResult:
    """Write header texts ({column: text}) into ``header_row``.

    With ``header_style`` each new header copies the style (``s=``) of the
    nearest existing header cell to its left, so it looks like the clerk's.
    """
    cells = {
        (header_row, int(c)): (Cell(t, LEFT) if header_style else t) for c, t in headers.items()
    }
    return write_cells(src_path, dst_path, sheet_name, cells, in_place=in_place)


# --------------------------------------------------------------------------- marks (fill + comment)

NS_VML = "urn:schemas-microsoft-com:vml"
NS_OFFICE = "urn:schemas-microsoft-com:office:office"
NS_EXCEL = "urn:schemas-microsoft-com:office:excel"

#: CT_Worksheet children that come after <legacyDrawing> (mc:AlternateContent at
#: the top level only ever wraps <oleObjects>/<controls>, which do too).
_AFTER_LEGACY = {
    b"legacyDrawingHF",
    b"drawingHF",
    b"picture",
    b"oleObjects",
    b"controls",
    b"webPublishItems",
    b"tableParts",
    b"extLst",
    b"AlternateContent",
}
_TAG_RE = re.compile(
    rb"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>"
    rb"|<(/?)(?:[\w.-]+:)?([\w.-]+)((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>",
    re.S,
)
_COMMENT_RE = re.compile(
    rb"<(?:\w+:)?comment\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(?:/>|>(.*?)</(?:\w+:)?comment>)", re.S
)
_VML_SHAPE_RE = re.compile(
    rb"<(?:\w+:)?shape\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(?:/>|>.*?</(?:\w+:)?shape>)", re.S
)
_VML_SHAPETYPE_202 = (
    '<v:shapetype{ns} id="_x0000_t202" coordsize="21600,21600" o:spt="202"'
    ' path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
    '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
)
_VML_NS = f' xmlns:v="{NS_VML}" xmlns:o="{NS_OFFICE}" xmlns:x="{NS_EXCEL}"'


def _ref_rc(ref: bytes | str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Za-z]+)\$?(\d+)", ref.decode() if isinstance(ref, bytes) else ref)
    if not m:
        raise ValueError(ref)
    return int(m.group(2)), column_index(m.group(1).upper())


def _t_element(text: str, p: bytes) -> bytes:
    sp = (
        ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() or "\n" in text else ""
    )
    return b"<" + p + b"t" + _b(sp) + b">" + _b(_esc(text)) + b"</" + p + b"t>"


def _vml_note_shape(shape_id: int, row: int, col: int, z: int, ns: str) -> bytes:
    """A hidden comment box for the cell (row, col) — both 1-based — as Excel writes it."""
    r0, c0 = row - 1, col - 1
    top = max(r0 - 1, 0)
    anchor = f"{c0 + 1}, 15, {top}, 10, {c0 + 3}, 15, {top + 4}, 4"
    return _b(
        f'<v:shape{ns} id="_x0000_s{shape_id}" type="#_x0000_t202"'
        ' style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:108pt;'
        f'height:59.25pt;z-index:{z};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">'
        '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
        '<v:path o:connecttype="none"/>'
        '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
        '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
        f"<x:Anchor>{anchor}</x:Anchor><x:AutoFill>False</x:AutoFill>"
        f"<x:Row>{r0}</x:Row><x:Column>{c0}</x:Column></x:ClientData></v:shape>"
    )


def _vml_notes(vml: bytes) -> set[tuple[int, int]]:
    """(row, col), 1-based, of the comment boxes (ObjectType="Note") in a VML drawing."""
    out = set()
    for m in _VML_SHAPE_RE.finditer(vml):
        shape = m.group()
        if not re.search(rb"ObjectType\s*=\s*[\"']Note[\"']", shape):
            continue
        r = re.search(rb"<(?:\w+:)?Row>\s*(\d+)\s*</", shape)
        c = re.search(rb"<(?:\w+:)?Column>\s*(\d+)\s*</", shape)
        if r and c:
            out.add((int(r.group(1)) + 1, int(c.group(1)) + 1))
    return out


def _insert_rels(rels: bytes | None, entries: list[tuple[str, str, str]]) -> bytes:
    """``rels`` (or a new .rels part) with (Id, Type, Target) relationships added."""
    if rels is None:
        rels = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{NS_PKG_REL}"></Relationships>'
        ).encode()
    m = re.search(rb"<(\w+:)?Relationships\b[^>]*?(/?)>", rels)
    if m is None:
        raise InputError("工作表的关系部件（.rels）已损坏")
    p = m.group(1) or b""
    new = b"".join(
        b"<" + p + _b(f'Relationship Id="{i}" Type="{t}" Target="{_esc_attr(target)}"/>')
        for i, t, target in entries
    )
    if m.group(2):  # <Relationships/>
        tag = m.group()[:-2].rstrip() + b">"
        return rels[: m.start()] + tag + new + b"</" + p + b"Relationships>" + rels[m.end() :]
    close = rels.rfind(b"</" + p + b"Relationships>")
    return rels[:close] + new + rels[close:]


class _CommentMarks:
    """The comment half of :func:`mark_cells`: comments part, VML boxes, rels, content types."""

    def __init__(self, marks: Mapping[tuple[int, int], Mark]):
        self.marks = dict(marks)
        self.comments_written = 0

    # -- before streaming the sheet --------------------------------------------
    def prepare(self, pkg: _Package, part: str) -> None:
        self.pkg, self.part = pkg, part
        self.sheet_dir = part.rpartition("/")[0]
        self.rels_name = _rels_path(part)
        self.rels_xml = pkg.read(self.rels_name) if self.rels_name in pkg.names else None
        rels = _parse_rels(self.rels_xml) if self.rels_xml is not None else []
        self.rels = {r.get("Id", ""): r for r in rels}
        self.comments_part: str | None = None
        for r in rels:
            if r.get("Type") == RT_COMMENTS and r.get("TargetMode") != "External":
                self.comments_part = _resolve(self.sheet_dir, r.get("Target", ""))
                if self.comments_part not in pkg.names:
                    raise msg.corrupt_workbook(pkg.path)
                break
        taken = set(self.rels)
        fresh = (f"rId{n}" for n in range(1, 1 << 20) if f"rId{n}" not in taken)
        self.comments_rid = next(fresh)
        self.vml_rid = next(fresh)
        self.vml_part: str | None = None  # set by tail() when the sheet has a legacyDrawing

    # -- the end of the sheet XML ----------------------------------------------
    def tail(self, data: bytes, prefix: bytes) -> bytes:
        """Find the sheet's <legacyDrawing>, or insert one at its schema position."""
        start = 0
        lead = re.match(rb"\s*</" + re.escape(prefix) + rb"sheetData\s*>", data)
        if lead:
            start = lead.end()
        depth = 0
        insert_at = None
        for m in _TAG_RE.finditer(data, start):
            if m.group(2) is None:  # comment, processing instruction, CDATA
                continue
            closing, local, attrs, empty = m.group(1), m.group(2), m.group(3), m.group(4)
            if closing:
                depth -= 1
                if depth < 0:  # </worksheet>
                    insert_at = m.start()
                    break
                continue
            if depth == 0:
                if local == b"legacyDrawing":
                    rid = re.search(rb"(?:[\w.-]+:)?id\s*=\s*[\"']([^\"']*)[\"']", attrs)
                    rel = self.rels.get(_xml_unescape(rid.group(1).decode())) if rid else None
                    if rel is None:
                        raise msg.corrupt_workbook(self.pkg.path)
                    self.vml_part = _resolve(self.sheet_dir, rel.get("Target", ""))
                    if self.vml_part not in self.pkg.names:
                        raise msg.corrupt_workbook(self.pkg.path)
                    return data
                if local in _AFTER_LEGACY:
                    insert_at = m.start()
                    break
            if not empty:
                depth += 1
        if insert_at is None:
            raise InputError("工作表内容不完整（缺少 </worksheet>），文件可能已损坏")
        el = _b(f'legacyDrawing xmlns:r="{NS_REL}" r:id="{self.vml_rid}"/>')
        return data[:insert_at] + b"<" + prefix + el + data[insert_at:]

    # -- after streaming: the other parts ---------------------------------------
    def finish(self, replaced: dict[str, bytes]) -> list[tuple[str, bytes]]:
        pkg = self.pkg
        added: list[tuple[str, bytes]] = []
        new_rels: list[tuple[str, str, str]] = []
        overrides: list[str] = []
        by_ref = {f"{column_letter(c)}{r}": m for (r, c), m in sorted(self.marks.items())}

        if self.comments_part is not None:
            comments = self._merge_comments(pkg.read(self.comments_part), by_ref)
            replaced[self.comments_part] = comments
        else:
            name = _next_name(pkg.names, "xl/comments{}.xml")
            comments = self._merge_comments(
                (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<comments xmlns="{NS_MAIN}"><authors/><commentList/></comments>'
                ).encode(),
                by_ref,
            )
            added.append((name, comments))
            new_rels.append((self.comments_rid, RT_COMMENTS, self._target(name)))
            overrides.append(name)
        refs = [
            _ref_rc(m.group(1))
            for c in _COMMENT_RE.finditer(comments)
            if (m := re.search(rb"\sref\s*=\s*[\"']([^\"']*)[\"']", c.group(1)))
        ]

        new_vml = self.vml_part is None
        if new_vml:
            name = _next_name(pkg.names, "xl/drawings/vmlDrawing{}.vml")
            vml = self._new_vml(refs)
            added.append((name, vml))
            new_rels.append((self.vml_rid, RT_VML, self._target(name)))
        else:
            assert self.vml_part is not None
            old = pkg.read(self.vml_part)
            vml = self._add_vml_shapes(old, refs)
            if vml != old:
                replaced[self.vml_part] = vml

        if new_rels:
            rels = _insert_rels(self.rels_xml, new_rels)
            if self.rels_xml is None:
                added.append((self.rels_name, rels))
            else:
                replaced[self.rels_name] = rels
        if new_vml or overrides:
            ct_name = "[Content_Types].xml"
            ct = replaced.get(ct_name, pkg.read(ct_name))
            m = re.search(rb"<(\w+:)?Types\b", ct)
            p = (m.group(1) or b"") if m else b""
            add = b""
            if new_vml and not re.search(
                rb"<(?:\w+:)?Default\b[^>]*\sExtension\s*=\s*\"vml\"", ct, re.I
            ):
                add += b"<" + p + _b(f'Default Extension="vml" ContentType="{CT_VML}"/>')
            for name in overrides:
                add += b"<" + p + _b(f'Override PartName="/{name}" ContentType="{CT_COMMENTS}"/>')
            if add:
                close = ct.rfind(b"</" + p + b"Types>")
                if close < 0:
                    raise msg.corrupt_workbook(pkg.path)
                replaced[ct_name] = ct[:close] + add + ct[close:]
        return added

    def _target(self, part: str) -> str:
        return posixpath.relpath(part, self.sheet_dir or ".")

    def _merge_comments(self, xml: bytes, by_ref: dict[str, Mark]) -> bytes:
        root = re.search(rb"<(\w+:)?comments\b[^>]*>", xml)
        if root is None:
            raise msg.corrupt_workbook(self.pkg.path)
        p = root.group(1) or b""
        pe = re.escape(p)
        # the author
        am = re.search(rb"<" + pe + rb"authors\b[^>]*?(/?)>", xml)
        if am is None:
            xml = xml[: root.end()] + b"<" + p + b"authors/>" + xml[root.end() :]
            am = re.search(rb"<" + pe + rb"authors\b[^>]*?(/?)>", xml)
            assert am is not None
        if am.group(1):
            xml = xml[: am.start()] + b"<" + p + b"authors></" + p + b"authors>" + xml[am.end() :]
            am = re.search(rb"<" + pe + rb"authors\b[^>]*?>", xml)
            assert am is not None
        a_close = xml.find(b"</" + p + b"authors>", am.end())
        authors = [
            _xml_unescape(a.decode("utf-8"))
            for a in re.findall(
                rb"<(?:\w+:)?author\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?author>)",
                xml[am.end() : a_close],
                re.S,
            )
        ]
        if MARK_AUTHOR in authors:
            author_id = authors.index(MARK_AUTHOR)
        else:
            author_id = len(authors)
            author = b"<" + p + b"author>" + _b(_esc(MARK_AUTHOR)) + b"</" + p + b"author>"
            xml = xml[:a_close] + author + xml[a_close:]
        aid = str(author_id).encode()

        def text(mark: Mark) -> bytes:
            return b"<" + p + b"text>" + _t_element(mark.message, p) + b"</" + p + b"text>"

        # replace the text of comments already on marked cells
        done: set[str] = set()

        def fix(m: re.Match) -> bytes:
            attrs = m.group(1)
            rm = re.search(rb"\sref\s*=\s*[\"']([^\"']*)[\"']", attrs)
            ref = rm.group(1).decode().replace("$", "").upper() if rm else ""
            if ref not in by_ref or ref in done:
                return m.group()
            done.add(ref)
            self.comments_written += 1
            attrs, n_aid = re.subn(
                rb'(\sauthorId\s*=\s*")[^"]*(")', rb"\g<1>" + aid + rb"\g<2>", attrs
            )
            if not n_aid:
                attrs += b' authorId="' + aid + b'"'
            body = m.group(2) or b""
            body, n = re.subn(
                rb"<(?:\w+:)?text\b[^>]*?(?:/>|>.*?</(?:\w+:)?text>)",
                lambda _: text(by_ref[ref]),
                body,
                count=1,
                flags=re.S,
            )
            if not n:
                body = text(by_ref[ref]) + body
            return b"<" + p + b"comment" + attrs + b">" + body + b"</" + p + b"comment>"

        xml = _COMMENT_RE.sub(fix, xml)
        # add the others
        new = b"".join(
            b"<"
            + p
            + _b(f'comment ref="{ref}" authorId="{author_id}">')
            + text(mark)
            + b"</"
            + p
            + b"comment>"
            for ref, mark in by_ref.items()
            if ref not in done
        )
        self.comments_written += len(by_ref) - len(done)
        lm = re.search(rb"<" + pe + rb"commentList\b[^>]*?(/?)>", xml)
        if lm is None:
            a_end = xml.find(b"</" + p + b"authors>") + len(b"</" + p + b"authors>")
            return (
                xml[:a_end]
                + b"<"
                + p
                + b"commentList>"
                + new
                + b"</"
                + p
                + b"commentList>"
                + xml[a_end:]
            )
        if lm.group(1):
            return (
                xml[: lm.start()]
                + b"<"
                + p
                + b"commentList>"
                + new
                + b"</"
                + p
                + b"commentList>"
                + xml[lm.end() :]
            )
        close = xml.find(b"</" + p + b"commentList>", lm.end())
        return xml[:close] + new + xml[close:]

    def _vml_blocks(self) -> set[int]:
        used: set[int] = set()
        for name in self.pkg.names:
            if name.lower().endswith(".vml"):
                for d in re.findall(
                    rb"<(?:\w+:)?idmap\b[^>]*?\sdata\s*=\s*\"([^\"]*)\"", self.pkg.read(name)
                ):
                    used.update(int(x) for x in re.findall(rb"\d+", d))
        return used

    def _new_vml(self, cells: list[tuple[int, int]]) -> bytes:
        block = max(self._vml_blocks(), default=0) + 1
        shapes = b"".join(
            _vml_note_shape(block * 1024 + i + 1, r, c, i + 1, "")
            for i, (r, c) in enumerate(sorted(set(cells)))
        )
        return (
            _b(
                f"<xml{_VML_NS}>"
                f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/></o:shapelayout>'
                + _VML_SHAPETYPE_202.format(ns="")
            )
            + shapes
            + b"</xml>"
        )

    def _add_vml_shapes(self, vml: bytes, cells: list[tuple[int, int]]) -> bytes:
        have = _vml_notes(vml)
        missing = sorted(set(cells) - have)
        if not missing:
            return vml
        close = vml.rfind(b"</xml>")
        if close < 0:
            raise msg.corrupt_workbook(self.pkg.path)
        ids = [int(x) for x in re.findall(rb"_x0000_s(\d+)", vml)]
        if ids:
            next_id = max(ids) + 1
        else:
            own = re.search(rb"<(?:\w+:)?idmap\b[^>]*?\sdata\s*=\s*\"(\d+)", vml)
            block = int(own.group(1)) if own else max(self._vml_blocks(), default=0) + 1
            next_id = block * 1024 + 1
        z = len(_VML_SHAPE_RE.findall(vml))
        add = b""
        if not re.search(rb"id\s*=\s*[\"']_x0000_t202[\"']", vml):
            add += _b(_VML_SHAPETYPE_202.format(ns=_VML_NS))
        for i, (r, c) in enumerate(missing):
            add += _vml_note_shape(next_id + i, r, c, z + i + 1, _VML_NS)
        return vml[:close] + add + vml[close:]


def mark_cells(
    src_path: str | os.PathLike[str],
    dst_path: str | os.PathLike[str] | None,
    sheet_name: str,
    marks: Mapping[tuple[int, int], Mark] | Mapping[str, Mark | str],
    *,
    in_place: bool = False,
) -> WriteResult:
    """Show findings on cells: a fill colour and a comment (批注) each.

    ``marks`` is {(excel_row, column 1-based): :class:`Mark`}; a key may also
    be an A1 reference ("C6") and a value a plain ``str`` (= level "error").  Cell values,
    formulas and every other zip member stay byte-identical; what changes:

    * the worksheet XML: each marked cell's ``s=`` points at the filled twin of
      its style (nothing else of the ``<c>`` changes); a marked cell that does
      not exist is created empty (``<c r=".." s=".."/>``, based on the column or
      row style like :func:`write_cells`), in column order, in a new ``<row>``
      if needed (``<dimension>``/``spans`` widened as for any write); when the
      sheet has no ``<legacyDrawing>`` one is inserted at its CT_Worksheet
      position (after ``drawing``, before ``legacyDrawingHF``/``picture``/
      ``oleObjects``/``controls``/``tableParts``/``extLst``);
    * ``xl/styles.xml``: one solid ``<fill>`` per level appended to ``<fills>``
      and one ``<xf>`` per (original style, level) appended to ``<cellXfs>``
      (a clone with ``fillId`` and ``applyFill="1"``), counts bumped — exact
      twins already in the file (e.g. from an earlier marking) are reused, so
      marking again adds nothing;
    * the sheet's comments part: created as ``xl/commentsN.xml`` when the
      sheet has none, else edited: author "jyyz" added to ``<authors>`` if
      absent, a comment already on a marked cell gets the message as its text
      (and "jyyz" as author; its ``commentPr`` etc. are kept), other marks are
      appended to ``<commentList>``;
    * the sheet's legacy VML drawing: created as
      ``xl/drawings/vmlDrawingN.vml`` (with a fresh ``o:idmap`` block) when the
      sheet has none, else a hidden note box (``v:shape``, ``ObjectType="Note"``)
      is appended for every comment that has none yet;
    * the sheet's ``_rels`` part (created if missing): relationships to a new
      comments part / VML drawing;
    * ``[Content_Types].xml``: an ``Override`` for a new comments part and a
      ``Default Extension="vml"`` if a VML part is new and there is none.

    Threaded comments (Excel 365 "comments" with replies) are not touched: a
    marked cell that has one keeps showing it in Excel.  Output handling is as
    for :func:`write_cells` (temporary file + :func:`os.replace`; ``in_place``
    makes a timestamped backup first).  An empty ``marks`` copies the workbook.
    """
    cells: dict[tuple[int, int], Mark] = {}
    for key, mark in marks.items():
        if isinstance(key, str):
            try:
                r, c = _ref_rc(key.strip())
            except ValueError:
                raise ValueError(f"not a cell reference: {key!r}") from None
        else:
            r, c = key
        if isinstance(mark, str):
            mark = Mark(mark)
        elif not isinstance(mark, Mark):
            raise TypeError(f"cell {key!r}: expected a Mark, got {type(mark).__name__}")
        cells[(int(r), int(c))] = mark
    plan = _plan_from_cells(cells)
    return _rewrite_package(
        os.fspath(src_path),
        None if dst_path is None else os.fspath(dst_path),
        sheet_name,
        plan,
        in_place=in_place,
        extra=_CommentMarks(cells) if cells else None,
    )


# --------------------------------------------------------------------------- new sheets


def _display_width(value: Any) -> float:
    text = value if isinstance(value, str) else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _next_name(names: set[str], pattern: str) -> str:
    n = 1
    while pattern.format(n) in names:
        n += 1
    return pattern.format(n)


def add_sheet(
    src_path: str | os.PathLike[str],
    dst_path: str | os.PathLike[str] | None,
    sheet_name: str,
    rows: Sequence[Sequence[Any]],
    *,
    replace: bool = True,
    in_place: bool = False,
) -> WriteResult:
    """Add (or with ``replace`` overwrite) a plain worksheet holding ``rows``.

    The sheet is appended after the existing sheets (sheet indexes used by
    defined names do not move).  Its part, relationship, content-type
    override and ``<sheet>`` entry are added by editing those small XML parts
    textually; all other members are copied unchanged.  An existing sheet of
    that name is rewritten in place (its own relationships are dropped).
    ``docProps/app.xml`` is left as is (Excel does not require it to list
    every sheet).
    """
    src_path = os.fspath(src_path)
    dst = None if dst_path is None else os.fspath(dst_path)
    if len(sheet_name) > 31 or re.search(r"[\[\]:*?/\\]", sheet_name) or not sheet_name.strip():
        raise InputError(f"工作表名称“{sheet_name}”不合法：不超过31个字符，且不能含 [ ] : * ? / \\")
    pkg = _open_package(src_path)
    try:
        existing = {n.lower(): (n, rid, p) for n, rid, p in pkg.sheets}
        replaced: dict[str, bytes] = {}
        dropped: set[str] = set()
        if sheet_name.lower() in existing:
            if not replace:
                raise InputError(f"{msg.file_label(src_path)} 中已有工作表“{sheet_name}”")
            part = existing[sheet_name.lower()][2]
            rels = _rels_path(part)
            if rels in pkg.names:
                dropped.add(rels)
        else:
            part = _next_name(pkg.names, "xl/worksheets/sheet{}.xml")
            wb_rels_name = _rels_path(pkg.workbook_part)
            wb_rels = pkg.read(wb_rels_name)
            ids = set(re.findall(rb'\sId\s*=\s*"([^"]*)"', wb_rels))
            n = 1
            while f"rId{n}".encode() in ids:
                n += 1
            rid = f"rId{n}"
            wb_dir = pkg.workbook_part.rpartition("/")[0]
            target = (
                part[len(wb_dir) + 1 :] if wb_dir and part.startswith(wb_dir + "/") else "/" + part
            )
            rel = f'<Relationship Id="{rid}" Type="{RT_WORKSHEET}" Target="{target}"/>'.encode()
            replaced[wb_rels_name] = re.sub(
                rb"</(\w+:)?Relationships>", lambda m: rel + m.group(0), wb_rels, count=1
            )
            ct = pkg.read("[Content_Types].xml")
            ov = f'<Override PartName="/{part}" ContentType="{CT_WORKSHEET}"/>'.encode()
            replaced["[Content_Types].xml"] = re.sub(
                rb"</(\w+:)?Types>", lambda m: ov + m.group(0), ct, count=1
            )
            wb_xml = pkg.read(pkg.workbook_part)
            sheet_ids = [
                int(x)
                for x in re.findall(rb'<(?:\w+:)?sheet\b[^>]*?\ssheetId\s*=\s*"(\d+)"', wb_xml)
            ]
            sid = max(sheet_ids, default=0) + 1
            rprefix = _rel_prefix(wb_xml)
            decl = "" if rprefix else f' xmlns:r="{NS_REL}"'
            rprefix = rprefix or "r"
            el = (
                f'<sheet name="{_esc_attr(sheet_name)}" sheetId="{sid}" {rprefix}:id="{rid}"{decl}/>'
            ).encode()
            m = re.search(rb"<(\w+:)?sheets\b[^>]*>(.*?)</(?:\w+:)?sheets>", wb_xml, re.S)
            if not m:
                raise msg.corrupt_workbook(src_path)
            pre = m.group(1) or b""
            el = el.replace(b"<sheet ", b"<" + pre + b"sheet ")
            insert_at = m.end() - len(b"</" + pre + b"sheets>")
            replaced[pkg.workbook_part] = wb_xml[:insert_at] + el + wb_xml[insert_at:]

        styles_box: list[_Styles] = []

        def get_styles() -> _Styles:
            if not styles_box:
                if pkg.styles_part is None:
                    raise InputError("工作簿缺少样式表，无法写入日期")
                styles_box.append(_Styles(pkg.read(pkg.styles_part)))
            return styles_box[0]

        enc = _Encoder(get_styles, pkg.date1904)
        body = []
        width = 0
        widths: dict[int, float] = {}
        for r, row in enumerate(rows, start=1):
            cells = []
            for c, v in enumerate(row, start=1):
                if _is_missing(v):
                    continue
                cells.append(enc.cell(f"{column_letter(c)}{r}", v, None))
                widths[c] = max(
                    widths.get(c, 0),
                    min(_display_width(v if not isinstance(v, Formula) else v.cached or ""), 60),
                )
            width = max(width, len(row))
            body.append(f'<row r="{r}">'.encode() + b"".join(cells) + b"</row>")
        dim = f"A1:{column_letter(max(width, 1))}{max(len(rows), 1)}"
        cols = "".join(
            f'<col min="{c}" max="{c}" width="{max(w, 6) + 2:.1f}" customWidth="1"/>'
            for c, w in sorted(widths.items())
        )
        xml = (
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">'
                f'<dimension ref="{dim}"/>'
                '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
                '<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{cols}</cols>" if cols else "")
            ).encode()
            + b"<sheetData>"
            + b"".join(body)
            + b"</sheetData></worksheet>"
        )
        if styles_box and styles_box[0].changed:
            replaced[pkg.styles_part] = styles_box[0].data

        dst_final = dst if dst is not None else (src_path if in_place else None)
        if dst_final is None:
            raise InputError("未指定输出文件")
        same = os.path.exists(dst_final) and _same_file(src_path, dst_final)
        if same and not in_place:
            raise InputError(f"输出文件不能与输入文件“{msg.file_label(src_path)}”相同")
        out_dir = os.path.dirname(os.path.abspath(dst_final))
        backup = make_backup(src_path) if same else None
        tmp = _temp_in(out_dir, dst_final)
        try:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as out:
                wrote_part = False
                for info in pkg.zf.infolist():
                    if info.filename in dropped:
                        continue
                    if info.filename == part:
                        _copy_member(pkg.zf, info, out, xml)
                        wrote_part = True
                    elif info.filename in replaced:
                        _copy_member(pkg.zf, info, out, replaced[info.filename])
                    else:
                        _copy_member(pkg.zf, info, out)
                if not wrote_part:
                    zi = zipfile.ZipInfo(part, time.localtime()[:6])
                    zi.compress_type = zipfile.ZIP_DEFLATED
                    out.writestr(zi, xml)
        except BaseException:
            with contextlib.suppress(OSError):
                os.remove(tmp)
            raise
    finally:
        pkg.zf.close()
    _replace(tmp, dst_final)
    st = styles_box[0] if styles_box else None
    return WriteResult(
        dst_path=dst_final,
        sheet_part=part,
        cells_written=sum(len(r) for r in rows),
        styles_changed=bool(st and st.changed),
        new_styles=list(st.new) if st else [],
        backup_path=backup,
    )


def _rel_prefix(wb_xml: bytes) -> str | None:
    """The prefix the workbook's root element binds to the relationships namespace."""
    root = re.search(rb"<(?:\w+:)?workbook\b[^>]*>", wb_xml)
    if not root:
        return None
    m = re.search(rb'xmlns:(\w+)\s*=\s*"' + re.escape(NS_REL.encode()) + rb'"', root.group())
    return m.group(1).decode() if m else None
