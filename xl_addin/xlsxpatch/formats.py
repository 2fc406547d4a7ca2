"""Formats of whole columns: widths, wrap, conditional colours, the filter, print titles.

:func:`format_columns` makes columns written into a ledger look like the ledger:
it edits, textually, only what it names —

* the worksheet: ``s=`` of the cells of the given columns (in the given rows)
  points at a twin of their style with ``wrapText`` and top alignment, where
  asked; ``<col>`` widths of those columns; ``<autoFilter ref>`` widened to the
  last column; one ``<conditionalFormatting>`` per rule (inserted at its
  CT_Worksheet position); nothing else of the sheet moves;
* ``xl/styles.xml``: the wrapped twins appended to ``cellXfs``, one ``<dxf>`` per
  colour appended to ``dxfs`` (created when missing);
* ``xl/workbook.xml``: the sheet's ``_xlnm._FilterDatabase`` and ``_xlnm.Print_Area``
  widened like the filter; ``_xlnm.Print_Titles`` given the columns to repeat on
  every printed page (kept rows; the header rows when it had none).

Freeze panes (``<sheetViews>``) and every other part stay byte-identical.
"""

from __future__ import annotations

import functools
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from .package import _Package
from .patch import _destination, _patched
from .values import WriteResult
from .xmltext import MAX_ROW, _ref_rc, column_index, column_letter
from .zipio import _copy_member


@dataclass(frozen=True)
class ColumnFormat:
    """Width (Excel character units) and whether long texts wrap."""

    width: float
    wrap: bool = False


@dataclass(frozen=True)
class ColourRule:
    """Cells of ``column`` equal to ``text`` shown in ``fill`` (and ``font``) colours."""

    column: int
    text: str
    fill: str  # ARGB, "FFC6EFCE"
    font: str = ""


#: Elements that come after <conditionalFormatting> in CT_Worksheet.
_AFTER_CF = (
    "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
    "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
    "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects",
    "controls", "webPublishItems", "tableParts", "extLst",
)  # fmt: skip


def format_columns(
    src_path: str | os.PathLike[str],
    dst_path: str | os.PathLike[str] | None,
    sheet_name: str,
    columns: Mapping[int, ColumnFormat],
    *,
    rows: tuple[int, int],
    rules: Sequence[ColourRule] = (),
    filter_to: int | None = None,
    title_columns: tuple[int, int] | None = None,
    title_rows: tuple[int, int] | None = None,
    like: int | None = None,
    in_place: bool = False,
) -> WriteResult:
    """Format ``columns`` ({1-based column: ColumnFormat}) of one sheet (see module doc).

    ``rows`` (first, last) are the rows whose cells get the wrap; colour rules
    cover from ``rows[0]`` to the last row of the grid, so rows added later are
    coloured too.  ``filter_to`` widens an existing autofilter (and print area)
    to that column; ``title_columns``/``title_rows`` are repeated on printed pages;
    ``like`` is the column whose cells lend the columns their font and borders.
    """
    src_path = os.fspath(src_path)
    dst_path = _destination(src_path, None if dst_path is None else os.fspath(dst_path), in_place)
    plan = SheetFormat(columns, rows, rules, filter_to, title_columns, title_rows, like)

    def work(pkg: _Package, tmp: str) -> WriteResult:
        part = pkg.sheet_part(sheet_name)
        info = pkg.zf.getinfo(part)
        big = info.file_size > BIG_SHEET
        styles_part = pkg.styles_part
        styles = pkg.read(styles_part) if styles_part and styles_part in pkg.names else None
        sheet, styles, edit = plan.apply(None if big else pkg.read(part), styles)
        replaced: dict[str, bytes] = {}
        if not big:
            replaced[part] = sheet
        if styles is not None:
            replaced[styles_part] = styles
        wb = pkg.read(pkg.workbook_part)
        new_wb = plan.workbook(wb, pkg, sheet_name)
        if new_wb != wb:
            replaced[pkg.workbook_part] = new_wb
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as out:
            for info in pkg.zf.infolist():
                if big and info.filename == part:
                    _stream_big_sheet(pkg.zf, info, out, edit)
                    continue
                _copy_member(pkg.zf, info, out, replaced.get(info.filename))
        return WriteResult(dst_path=tmp, sheet_part=part, styles_changed=styles is not None)

    return _patched(src_path, dst_path, work)


@dataclass(frozen=True)
class SheetFormat:
    """The edits of :func:`format_columns` as an object, so that a writer that
    rewrites the sheet anyway (:func:`xl_addin.xlsxpatch.patch.write_columns` with
    ``formats=``) applies them in the same pass instead of a second rewrite."""

    columns: Mapping[int, ColumnFormat]
    rows: tuple[int, int]
    rules: Sequence[ColourRule] = ()
    filter_to: int | None = None
    title_columns: tuple[int, int] | None = None
    title_rows: tuple[int, int] | None = None
    like: int | None = None

    def apply(self, sheet: bytes | None, styles: bytes | None):
        """``(sheet, styles, edit)``: the cells of a whole ``sheet`` restyled (None for
        a sheet too big to hold: it is streamed through ``edit`` alone), the styles
        part with the twins and colours, and ``edit`` — the head/tail edits (widths,
        filter, colours) still to apply to the sheet; ``sheet`` is returned edited."""
        if styles is not None and self.columns and sheet is not None:
            wraps = {c: f.wrap for c, f in self.columns.items()}
            sheet, styles = _wrap_cells(sheet, styles, wraps, self.rows, self.like)
        ids: list[int] = []
        if self.rules and styles is not None:
            styles, ids = _add_dxfs(styles, self.rules)

        def edit(xml: bytes) -> bytes:
            xml = _set_widths(xml, self.columns)
            if self.filter_to is not None:
                xml = _widen_ref(xml, rb"autoFilter", self.filter_to)
            if ids:
                xml = _add_rules(xml, self.rules, ids, self.rows[0])
            return xml

        return (None if sheet is None else edit(sheet)), styles, edit

    def workbook(self, wb: bytes, pkg: _Package, sheet_name: str) -> bytes:
        """The workbook part with the sheet's defined names widened / titled."""
        index = [n for n, _r, _p in pkg.sheets].index(sheet_name)
        return _defined_names(
            wb, sheet_name, index, self.filter_to, self.title_columns, self.title_rows
        )


#: A sheet part larger than this (uncompressed) is streamed: its head (widths) and tail
#: (filter, colours) are edited, its rows copied as they are — the cells of the new
#: columns then keep the style they were written with (no wrap, no ledger font).
BIG_SHEET = 48 << 20
_CHUNK = 4 << 20


def _stream_big_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo, out: zipfile.ZipFile, edit):
    """Copy a big sheet part with ``edit`` applied to everything but its rows: the
    text before ``<sheetData>`` and after ``</sheetData>`` joined around a marker."""
    zi = zipfile.ZipInfo(info.filename, info.date_time)
    zi.compress_type = info.compress_type
    zi.external_attr = info.external_attr
    with zf.open(info) as fin, out.open(zi, "w", force_zip64=True) as fout:
        stream_edited(fin, fout, edit)


def stream_edited(fin, fout, edit) -> None:
    """Copy a sheet from ``fin`` to ``fout`` with ``edit`` applied to everything but its
    rows (see :func:`_stream_big_sheet`)."""
    open_rx = re.compile(rb"<(\w+:)?sheetData\b[^>]*?(/?)>")
    buf = b""
    while True:
        m = open_rx.search(buf)
        chunk = b"" if m else fin.read(_CHUNK)
        if m or not chunk:
            break
        buf += chunk
    if not m or m.group(2):  # no rows to stream: edit the whole part
        fout.write(edit(buf + fin.read()))
        return
    close = b"</" + (m.group(1) or b"") + b"sheetData>"
    marker = b"<!--jyyz-rows-->"
    head = buf[: m.end()]
    body = buf[m.end() :]
    # the rows: copied, keeping the last bytes back until </sheetData> is seen
    while True:
        at = body.find(close)
        if at >= 0:
            tail = body[at:] + fin.read()
            body = body[:at]
            break
        keep = len(close)
        fout_part = body[:-keep] if len(body) > keep else b""
        body = body[len(fout_part) :]
        if head is not None:
            edited = edit(head + marker + close)  # widths go into the head
            pre, _, _ = edited.partition(marker)
            fout.write(pre)
            head = None
        fout.write(fout_part)
        chunk = fin.read(_CHUNK)
        if not chunk:
            raise zipfile.BadZipFile("worksheet <sheetData> is not closed")
        body += chunk
    if head is not None:
        edited = edit(head + marker + tail)
        pre, _, post = edited.partition(marker)
        fout.write(pre + body + post)
        return
    edited = edit(b"<sheetData>" + marker + tail)
    _, _, post = edited.partition(marker)
    fout.write(body + post)


class FormattingWriter:
    """Write target for a rewritten sheet that :class:`SheetFormat` formats on the fly.

    The sheet goes into ``hold`` (a scratch file) up to :data:`BIG_SHEET` bytes; a
    sheet that ends within that is formatted whole (:meth:`finish` returns it).  A
    longer one is passed on to ``open_stream()`` as it comes, its head (widths)
    edited before the rows and its tail (filter, colours) at :meth:`finish` —
    exactly :func:`format_columns` on the written sheet, without deflating,
    inflating and deflating it again."""

    _OPEN = re.compile(rb"<(\w+:)?sheetData\b[^>]*?(/?)>")
    _MARK = b"<!--jyyz-rows-->"

    def __init__(self, fmt: SheetFormat, styles, open_stream, hold):
        self.fmt = fmt
        self._styles = styles  # () -> the styles part as it is now
        self._open_stream = open_stream
        self._hold = hold
        self._size = 0
        self._down = None
        self._close = b""
        self._pending = b""
        self._tail: list[bytes] | None = None

    def write(self, data: bytes) -> int:
        if self._down is None:
            self._hold.write(data)
            self._size += len(data)
            if self._size > BIG_SHEET:
                self._start()
        elif self._tail is not None:
            self._tail.append(bytes(data))
        else:
            self._pass(bytes(data))
        return len(data)

    def _start(self) -> None:
        self._hold.seek(0)
        head = b""
        while True:
            m = self._OPEN.search(head)
            chunk = b"" if m else self._hold.read(_CHUNK)
            if m or not chunk:
                break
            head += chunk
        if not m or m.group(2):
            self._hold.seek(0, os.SEEK_END)
            return  # no rows to stream: the whole part is edited at the end
        self._down = self._open_stream()
        self._close = b"</" + (m.group(1) or b"") + b"sheetData>"
        _sheet, _styles, edit = self.fmt.apply(None, self._styles())
        pre, _, _ = edit(head[: m.end()] + self._MARK + self._close).partition(self._MARK)
        self._down.write(pre)
        self._pass(head[m.end() :])
        while chunk := self._hold.read(_CHUNK):
            self._pass(chunk)
        self._hold.seek(0)
        self._hold.truncate()

    def _pass(self, data: bytes) -> None:
        """Pass the rows in ``data`` on and keep what follows ``</sheetData>``.

        The last bytes of a piece may begin the closing tag: they wait in
        ``_pending`` for the next piece.  The rows go on as slices of ``data``
        (memoryviews), not as copies joined to what was pending."""
        if self._tail is not None:
            self._tail.append(data)
            return
        close, pending = self._close, self._pending
        keep = len(close)
        if len(data) < keep:  # a short piece: joined to what was pending (a few bytes)
            data, pending = pending + data, b""
        self._pending = b""
        at = (pending + data[:keep]).find(close) if pending else -1
        if 0 <= at < len(pending):  # the closing tag began in what was pending
            self._down.write(pending[:at])
            self._tail = [pending[at:] + data]
            return
        if pending:
            self._down.write(pending)
        at = data.find(close)
        if at >= 0:
            self._down.write(memoryview(data)[:at])
            self._tail = [data[at:]]
            return
        cut = len(data) - keep if len(data) > keep else 0
        if cut:
            self._down.write(memoryview(data)[:cut])
        self._pending = data[cut:]

    def finish(self, styles: bytes | None):
        """``(sheet, styles, stream)``: the formatted sheet (None when streamed into
        ``stream``, which then still needs closing) and the formatted styles part."""
        if self._down is None:
            self._hold.seek(0)
            whole = self._hold.read()
            self._hold.seek(0)
            self._hold.truncate()
            if self._size > BIG_SHEET:  # too big to restyle, without rows to stream
                _sheet, styles, edit = self.fmt.apply(None, styles)
                stream = self._open_stream()
                stream.write(edit(whole))
                return None, styles, stream
            sheet, styles, _edit = self.fmt.apply(whole, styles)
            return sheet, styles, None
        if self._tail is None:
            raise zipfile.BadZipFile("worksheet <sheetData> is not closed")
        _sheet, styles, edit = self.fmt.apply(None, styles)
        tail = b"".join(self._tail)
        _, _, post = edit(b"<sheetData>" + self._MARK + tail).partition(self._MARK)
        self._down.write(post)
        return None, styles, self._down


# --------------------------------------------------------------------------- cells


_CELL_OPEN = re.compile(rb"<(\w+:)?c\b([^>]*?)(/?)>")
_ATTR_R = re.compile(rb'\sr\s*=\s*"([A-Z]+)(\d+)"')
_ATTR_S = re.compile(rb'\ss\s*=\s*"(\d+)"')


def _wrap_cells(
    sheet: bytes,
    styles: bytes,
    cols: Mapping[int, bool],
    rows: tuple[int, int],
    like: int | None = None,
) -> tuple[bytes, bytes]:
    """Cells of ``cols`` ({column: wrap}) in ``rows`` restyled: the font, fill and
    borders of the row's cell in column ``like`` (the ledger's last column), their
    own number format, and wrap + top alignment where asked."""
    xfs_m = re.search(rb"<(\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", styles, re.S)
    if not xfs_m:
        return sheet, styles
    xfs = re.findall(rb"<(?:\w+:)?xf\b[^>]*?(?:/>|>.*?</(?:\w+:)?xf>)", xfs_m.group(2), re.S)
    prefix = xfs_m.group(1) or b""
    twins: dict[tuple[int, int, bool], int] = {}
    added: list[bytes] = []
    letters = {column_letter(c).encode(): w for c, w in cols.items()}
    like_letters = column_letter(like).encode() if like else None
    like_index = like or None
    lo, hi = rows
    state = {"row": None, "like": None}

    def attr(xf: bytes, name: bytes) -> bytes | None:
        m = re.search(rb"\s" + name + rb'\s*=\s*"([^"]*)"', xf)
        return m.group(1) if m else None

    def set_attr(xf: bytes, name: bytes, value: bytes) -> bytes:
        if attr(xf, name) is not None:
            return re.sub(
                rb"(\s" + name + rb'\s*=\s*")[^"]*(")', rb"\g<1>" + value + rb"\2", xf, count=1
            )
        return re.sub(rb"^<((?:\w+:)?xf)\b", rb"<\1 " + name + b'="' + value + b'"', xf, count=1)

    def twin(base: int, own: int, wrap: bool) -> int:
        key = (base, own, wrap)
        if key in twins:
            return twins[key]
        body = xfs[base] if 0 <= base < len(xfs) else xfs[0]
        own_xf = xfs[own] if 0 <= own < len(xfs) else xfs[0]
        fmt = attr(own_xf, b"numFmtId") or b"0"
        body = set_attr(body, b"numFmtId", fmt)
        if fmt != b"0":
            body = set_attr(body, b"applyNumberFormat", b"1")
        if wrap:
            body = re.sub(rb"<(?:\w+:)?alignment\b[^>]*?/>", b"", body)
            align = b"<" + prefix + b'alignment vertical="top" wrapText="1"/>'
            if body.endswith(b"/>"):
                body = body[:-2] + b">" + align + b"</" + prefix + b"xf>"
            else:
                inner = re.search(rb"^(<[^>]*>)(.*)(</(?:\w+:)?xf>)$", body, re.S)
                body = inner.group(1) + align + inner.group(2) + inner.group(3)
            body = set_attr(body, b"applyAlignment", b"1")
        if body in xfs:
            twins[key] = xfs.index(body)
        else:
            xfs.append(body)
            added.append(body)
            twins[key] = len(xfs) - 1
        return twins[key]

    def fix(m: re.Match) -> bytes:
        attrs = m.group(2)
        r = _ATTR_R.search(attrs)
        if not r:
            return m.group(0)
        row = int(r.group(2))
        s = _ATTR_S.search(attrs)
        own = int(s.group(1)) if s else 0
        if row != state["row"]:
            state["row"], state["like"] = row, None
        if like_index is not None and _col(r.group(1)) <= like_index:
            state["like"] = own  # the row's rightmost cell of the ledger lends its style
            return m.group(0)
        if r.group(1) not in letters or not lo <= row <= hi:
            return m.group(0)
        base = state["like"] if state["like"] is not None else own
        new = twin(base, own, letters[r.group(1)])
        if s:
            attrs = attrs[: s.start(1)] + str(new).encode() + attrs[s.end(1) :]
        else:
            attrs += b' s="' + str(new).encode() + b'"'
        return b"<" + (m.group(1) or b"") + b"c" + attrs + m.group(3) + b">"

    sheet = _CELL_OPEN.sub(fix, sheet)
    if like_letters is not None:
        sheet = _fill_gaps(sheet, cols, rows, like_letters, twin)
    if added:
        close = xfs_m.end(2)
        styles = styles[:close] + b"".join(added) + styles[close:]
        styles = re.sub(
            rb'(<(?:\w+:)?cellXfs\b[^>]*?\scount\s*=\s*")\d+(")',
            lambda m: m.group(1) + str(len(xfs)).encode() + m.group(2),
            styles,
            count=1,
        )
    return sheet, styles


@functools.lru_cache(maxsize=4096)
def _col(letters: bytes) -> int:
    return column_index(letters.decode())


_ROW = re.compile(rb"<((?:\w+:)?)row\b([^>]*?)(/?)>")


def _fill_gaps(sheet: bytes, cols: Mapping[int, bool], rows: tuple[int, int], like: bytes, twin):
    """Empty cells of the columns (no result for that row) created with the row's
    style, so the grid's borders run through every row (only where the columns are
    right of the row's last cell — the usual place of appended columns)."""
    lo, hi = rows
    like_index = _col(like)
    out: list[bytes] = []
    pos = 0
    for m in _ROW.finditer(sheet):
        r = re.search(rb'\sr\s*=\s*"(\d+)"', m.group(2))
        if not r or not lo <= int(r.group(1)) <= hi or m.group(3):
            continue
        row = int(r.group(1))
        p = m.group(1)
        close = sheet.find(b"</" + p + b"row>", m.end())
        if close < 0:
            break
        body = sheet[m.end() : close]
        refs = [
            (c.group(1), c)
            for c in re.finditer(rb'<(?:\w+:)?c\b[^>]*?\sr\s*=\s*"([A-Z]+)\d+"', body)
        ]
        have = {_col(x) for x, _ in refs}
        missing = [c for c in sorted(cols) if c not in have]
        if not missing:
            continue
        like_s = None
        for x, c in refs:
            if _col(x) <= like_index:
                cell = body[c.start() : body.find(b">", c.start())]
                sm = _ATTR_S.search(cell)
                like_s = int(sm.group(1)) if sm else 0
        if like_s is None:
            continue
        # each missing cell goes before the first cell right of it (column order)
        starts = [(_col(x), m.end() + c.start()) for x, c in refs]
        inserts: dict[int, list[bytes]] = {}
        for c in missing:
            at = next((off for col, off in starts if col > c), close)
            inserts.setdefault(at, []).append(
                b"<" + p + b'c r="' + f"{column_letter(c)}{row}".encode() + b'" s="'
                + str(twin(like_s, 0, cols[c])).encode() + b'"/>'
            )  # fmt: skip
        for at in sorted(inserts):
            out.append(sheet[pos:at] + b"".join(inserts[at]))
            pos = at
    out.append(sheet[pos:])
    return b"".join(out)


# --------------------------------------------------------------------------- widths


def _set_widths(sheet: bytes, columns: Mapping[int, ColumnFormat]) -> bytes:
    m = re.search(rb"<(\w+:)?sheetData\b", sheet)
    if not m or not columns:
        return sheet
    p = m.group(1) or b""
    new_cols = b"".join(
        b"<" + p + b'col min="%d" max="%d" width="%.2f" customWidth="1"/>' % (c, c, f.width)
        for c, f in sorted(columns.items())
    )
    cols_m = re.search(rb"<(?:\w+:)?cols\b[^>]*>(.*?)</(?:\w+:)?cols>", sheet[: m.start()], re.S)
    if cols_m is None:
        block = b"<" + p + b"cols>" + new_cols + b"</" + p + b"cols>"
        return sheet[: m.start()] + block + sheet[m.start() :]
    kept = []
    for cm in re.finditer(rb"<(?:\w+:)?col\b[^>]*?/>", cols_m.group(1)):
        a = dict(re.findall(rb'(\w+)\s*=\s*"([^"]*)"', cm.group(0)))
        lo, hi = int(a.get(b"min", 0)), int(a.get(b"max", 0))
        if all(c in columns for c in range(lo, hi + 1)):
            continue  # an earlier run's widths for these columns
        if lo <= max(columns) and hi >= min(columns):
            cut = min(columns) - 1  # a range reaching into the new columns stops before them
            if cut < lo:
                continue
            kept.append(re.sub(rb'max\s*=\s*"\d+"', b'max="%d"' % cut, cm.group(0)))
            continue
        kept.append(cm.group(0))
    body = b"".join(sorted(kept, key=_col_min)) + new_cols
    return sheet[: cols_m.start(1)] + body + sheet[cols_m.end(1) :]


def _col_min(col: bytes) -> int:
    m = re.search(rb'min\s*=\s*"(\d+)"', col)
    return int(m.group(1)) if m else 0


# --------------------------------------------------------------------------- filter, rules


def _widen_ref(sheet: bytes, tag: bytes, to_col: int) -> bytes:
    def widen(m: re.Match) -> bytes:
        ref = m.group(2).decode()
        if ":" not in ref:
            return m.group(0)
        a, b = ref.split(":")
        r1, c1 = _ref_rc(b)
        if c1 >= to_col:
            return m.group(0)
        return m.group(1) + f"{a}:{column_letter(to_col)}{r1}".encode() + m.group(3)

    return re.sub(
        rb"(<(?:\w+:)?" + tag + rb'\b[^>]*?\sref\s*=\s*")([^"]*)(")', widen, sheet, count=1
    )


def _add_dxfs(styles: bytes, rules: Sequence[ColourRule]) -> tuple[bytes, list[int]]:
    m = re.search(rb"<(\w+:)?dxfs\b([^>]*?)(/?)>", styles)
    p = b""
    pm = re.search(rb"<(\w+:)?styleSheet\b", styles)
    if pm:
        p = pm.group(1) or b""
    dxfs = []
    for r in rules:
        font = (
            b"<" + p + b"font><" + p + b'color rgb="' + r.font.encode() + b'"/></' + p + b"font>"
            if r.font
            else b""
        )
        dxfs.append(
            b"<" + p + b"dxf>" + font + b"<" + p + b"fill><" + p + b'patternFill><' + p
            + b'bgColor rgb="' + r.fill.encode() + b'"/></' + p + b"patternFill></" + p
            + b"fill></" + p + b"dxf>"
        )  # fmt: skip
    if m is None or m.group(3):
        start = 0
        block = b"<" + p + b'dxfs count="%d">' % len(dxfs) + b"".join(dxfs) + b"</" + p + b"dxfs>"
        if m is not None:
            styles = styles[: m.start()] + block + styles[m.end() :]
        else:
            at = re.search(
                rb"<(?:\w+:)?(?:tableStyles|colors|extLst)\b|</(?:\w+:)?styleSheet>", styles
            )
            styles = styles[: at.start()] + block + styles[at.start() :]
        return styles, list(range(start, len(dxfs)))
    close = styles.find(b"</" + p + b"dxfs>", m.end())
    body = styles[m.end() : close]
    have = len(re.findall(rb"<(?:\w+:)?dxf\b", body))
    open_tag = re.sub(
        rb'(\scount\s*=\s*")\d+(")',
        lambda c: c.group(1) + str(have + len(dxfs)).encode() + c.group(2),
        styles[m.start() : m.end()],
        count=1,
    )
    styles = styles[: m.start()] + open_tag + body + b"".join(dxfs) + styles[close:]
    return styles, list(range(have, have + len(dxfs)))


def _add_rules(sheet: bytes, rules: Sequence[ColourRule], ids: list[int], first_row: int) -> bytes:
    pm = re.search(rb"<(\w+:)?sheetData\b", sheet)
    p = (pm.group(1) or b"") if pm else b""
    top = max((int(x) for x in re.findall(rb'priority\s*=\s*"(\d+)"', sheet)), default=0)
    by_col: dict[int, list[bytes]] = {}
    for k, (rule, dxf) in enumerate(zip(rules, ids, strict=True)):
        text = escape(rule.text.replace('"', '""'), quote=False).encode()
        by_col.setdefault(rule.column, []).append(
            b"<"
            + p
            + b'cfRule type="cellIs" dxfId="%d" priority="%d" operator="equal">'
            % (dxf, top + k + 1)
            + b"<"
            + p
            + b'formula>"'
            + text
            + b'"</'
            + p
            + b"formula></"
            + p
            + b"cfRule>"
        )
    blocks = b"".join(
        b"<" + p + b'conditionalFormatting sqref="'
        + f"{column_letter(c)}{first_row}:{column_letter(c)}{MAX_ROW}".encode() + b'">'
        + b"".join(parts) + b"</" + p + b"conditionalFormatting>"
        for c, parts in sorted(by_col.items())
    )  # fmt: skip
    end = sheet.find(b"</" + p + b"sheetData>")
    end = end + len(b"</" + p + b"sheetData>") if end >= 0 else 0
    at = None
    for name in _AFTER_CF:
        m = re.compile(rb"<(?:\w+:)?" + name.encode() + rb"\b").search(sheet, end)
        if m and (at is None or m.start() < at):
            at = m.start()
    if at is None:
        at = sheet.rfind(b"</")
    return sheet[:at] + blocks + sheet[at:]


# --------------------------------------------------------------------------- defined names


def _defined_names(
    wb: bytes,
    sheet: str,
    index: int,
    filter_to: int | None,
    title_columns: tuple[int, int] | None,
    title_rows: tuple[int, int] | None,
) -> bytes:
    quoted = "'" + sheet.replace("'", "''") + "'"

    def edit(m: re.Match) -> bytes:
        attrs, value = m.group(2), m.group(3)
        name = re.search(rb'name\s*=\s*"([^"]*)"', attrs)
        local = re.search(rb'localSheetId\s*=\s*"(\d+)"', attrs)
        if not name or not local or int(local.group(1)) != index:
            return m.group(0)
        n = name.group(1)
        if n in (b"_xlnm._FilterDatabase", b"_xlnm.Print_Area") and filter_to is not None:
            value = re.sub(
                rb"(\$?)([A-Z]{1,3})(\$?\d+)$",
                lambda v: v.group(1) + _max_col(v.group(2), filter_to) + v.group(3),
                value,
            )
        return m.group(1) + attrs + b">" + value + m.group(4)

    rx = re.compile(rb"(<(?:\w+:)?definedName\b)([^>]*)>([^<]*)(</(?:\w+:)?definedName>)")
    wb = rx.sub(edit, wb)
    if title_columns is None:
        return wb
    cols = f"{quoted}!${column_letter(title_columns[0])}:${column_letter(title_columns[1])}"
    existing = None
    for m in rx.finditer(wb):
        if b'name="_xlnm.Print_Titles"' in m.group(2) and re.search(
            rb'localSheetId\s*=\s*"' + str(index).encode() + b'"', m.group(2)
        ):
            existing = m
    if existing is not None:
        value = existing.group(3).decode()
        if re.search(r"\$[A-Z]+:\$[A-Z]+", value):
            return wb  # the clerk chose columns already
        rows_part = value
        new = (cols + "," + rows_part).encode()
        return wb[: existing.start(3)] + new + wb[existing.end(3) :]
    rows_ref = f",{quoted}!${title_rows[0]}:${title_rows[1]}" if title_rows else ""
    node = (
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">'
        f"{escape(cols + rows_ref, quote=False)}</definedName>"
    ).encode()
    dn = re.search(rb"<(\w+:)?definedNames\b[^>]*>", wb)
    if dn is not None:
        p = dn.group(1) or b""
        node = node.replace(b"<definedName", b"<" + p + b"definedName").replace(
            b"</definedName>", b"</" + p + b"definedName>"
        )
        return wb[: dn.end()] + node + wb[dn.end() :]
    pm = re.search(rb"<(\w+:)?sheets\b", wb)
    p = (pm.group(1) or b"") if pm else b""
    node = node.replace(b"<definedName", b"<" + p + b"definedName").replace(
        b"</definedName>", b"</" + p + b"definedName>"
    )
    close = re.search(rb"</(?:\w+:)?sheets>", wb)
    block = b"<" + p + b"definedNames>" + node + b"</" + p + b"definedNames>"
    return wb[: close.end()] + block + wb[close.end() :]


def _max_col(letters: bytes, to_col: int) -> bytes:
    return max(letters.decode(), column_letter(to_col), key=column_index).encode()
