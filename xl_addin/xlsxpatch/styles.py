"""Just enough of ``xl/styles.xml`` to find or add date styles and fill styles, textually."""

from __future__ import annotations

import re
from html import unescape as _xml_unescape

from .errors import CorruptWorkbook, StylesMissing

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
            raise StylesMissing(None, "date")
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
            raise StylesMissing(None, "date")
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
            raise StylesMissing(None, "mark")
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
                    raise StylesMissing(None, "mark")
                start = end = at.start()
            self.data = self.data[:start] + block + self.data[end:]
            idx = 2
        else:
            close = self.data.find(b"</" + p + b"fills>", m.end())
            if close < 0:
                raise CorruptWorkbook(None, "styles.xml: <fills> not closed")
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
