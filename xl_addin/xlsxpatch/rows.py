"""Stream a worksheet's XML row by row, rewriting only the rows that receive cells.

Rows without new cells are copied byte for byte; planned rows get their new
``<c>`` elements in column order; missing rows are created in row order;
``<dimension>`` and row ``spans`` are widened; a shared formula whose anchor
is overwritten is written out into the cells that used it.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from html import unescape as _xml_unescape
from typing import Any, BinaryIO

from .cells import _Encoder, _has_value, _s, _wants_left
from .errors import CorruptWorkbook
from .values import LEFT, Cell, Mark
from .xmltext import (
    MAX_COL,
    MAX_ROW,
    MAX_TEXT,
    _b,
    _esc,
    _parse_range,
    _space_attr,
    column_index,
    column_letter,
    escaped_utf8,
)

_CHUNK = 4 << 20

_CACHEABLE = frozenset({str, int, float, bool, dt.date, type(None)})
_CACHE_TEXT = 200  # longer texts are mostly unique (explanations): not cached
_CACHE_SIZE = 200_000
_COL_LETTERS: dict[int, str] = {}
_LETTERS: dict[bytes, int] = {}
_SPANS = re.compile(rb'(\sspans\s*=\s*")(\d+):(\d+)(")')
_CUSTOM_FORMAT = re.compile(rb'customFormat\s*=\s*"(1|true)"')
_WHITESPACE = frozenset(b" \t\n\r\x0b\x0c")  # what bytes.rstrip() strips
_PRESERVE = b' xml:space="preserve"'  # _space_attr's attribute, encoded


def _col_of(letters: bytes) -> int:
    n = _LETTERS.get(letters)
    if n is None:
        n = column_index(letters.decode())
        _LETTERS[letters] = n
    return n


class _Plan:
    """Which rows receive which cells, sorted by row.

    A plan of whole columns (:func:`xl_addin.xlsxpatch.patch.write_columns`)
    also tells each row's position in its columns (``index_of``), gives the
    columns themselves (``columns``: the column numbers ascending and their
    values, row by row in the order of ``index_of``) and the columns of long
    texts (``long_texts``, column → :class:`_LongTexts`), whose cells are then
    escaped a block of rows at a time; ``left_rows``, when known, the rows where
    a value may ask for the style of the cell to its left.
    """

    def __init__(
        self,
        rows: Sequence[int],
        get: Callable[[int], dict[int, Any]],
        bounds,
        *,
        index_of: Callable[[int], int | None] | None = None,
        long_texts: Mapping[int, _LongTexts] | None = None,
        left_rows: frozenset[int] | None = None,
        columns: tuple[Sequence[int], Sequence[Sequence[Any]]] | None = None,
    ):
        self.rows = rows  # sorted ascending, unique
        self.get = get
        self.bounds = bounds  # (min_row, min_col, max_row, max_col) or None
        self.index_of = index_of
        self.columns = columns if index_of is not None else None
        self.long_texts = dict(long_texts or {}) if index_of is not None else {}
        self.left_rows = left_rows


class _LongTexts:
    """A column's texts too long to share an encoding (an explanation per row), escaped
    and encoded a block of rows at a time (:func:`escaped_utf8`): the element of such
    a cell after its reference is assembled from them without encoding it alone."""

    BLOCK = 1024

    def __init__(self, values: Sequence[Any]):
        self.values = values
        self.lo = self.hi = 0
        self._block: list[bytes | None] = []

    @staticmethod
    def wanted(value: Any) -> bool:
        return type(value) is str and _CACHE_TEXT < len(value) <= MAX_TEXT

    def tail(self, i: int) -> bytes | None:
        """``" t="inlineStr"><is><t…>text</t></is></c>`` of row ``i`` (None: not a long text)."""
        if not self.lo <= i < self.hi:
            lo = i - i % self.BLOCK
            hi = min(len(self.values), lo + self.BLOCK)
            self.lo, self.hi, self._block = lo, hi, self.tails(lo, hi)
        return self._block[i - self.lo]

    def tails(self, lo: int, hi: int, head: bytes = b"") -> list[bytes | None]:
        """The tails of rows ``lo`` to ``hi`` (as :meth:`tail`), each after ``head``."""
        block = self.values[lo:hi]
        wanted = self.wanted
        at = [k for k, v in enumerate(block) if wanted(v)]
        texts = [block[k] for k in at]
        tails: list[bytes | None] = [None] * len(block)
        open_t = head + b' t="inlineStr"><is><t'
        for k, text, esc in zip(at, texts, escaped_utf8(texts), strict=True):
            # as _Encoder._text writes the element after its reference
            space = _PRESERVE if _space_attr(text) else b""
            tails[k] = b"".join((open_t, space, b">", esc, b"</t></is></c>"))
        return tails


#: Types whose values a dict keeps apart (a text never equals a date): a column of
#: these is encoded once per distinct value.  Numbers and booleans (``True == 1``)
#: are looked up one by one instead.
_DISTINCT_SAFE = frozenset({str, dt.date, type(None)})


class _ColumnCells:
    """The new cells of a plan of whole columns, encoded a block of rows at a time.

    Each distinct value of a column is encoded once (by
    :meth:`_SheetRewriter.cell_tail`, for the column's style) and the rows take their
    column's encodings by position; a row's cells are then its columns' element
    heads (``<c r="AB``), its row number and these tails.  A row holding a value
    that has no shared encoding (a styled :class:`Cell`, a formula, NaN) gets
    ``None``: it is written the general way.
    """

    BLOCK = 4096

    def __init__(self, rewriter: _SheetRewriter, cols: Sequence[int], values, long_texts):
        self.rw = rewriter
        self.cols = list(cols)
        self.values = values
        self.long_texts = long_texts
        self.heads = [rewriter._c_open + column_letter(c).encode() for c in self.cols]
        self.lo = self.hi = 0
        self.block: list[tuple | None] = []

    def row(self, i: int) -> tuple | None:
        """The tails of row ``i``'s cells, column by column (``b""``: no cell)."""
        if not self.lo <= i < self.hi:
            self._load(i - i % self.BLOCK)
        return self.block[i - self.lo]

    def _load(self, lo: int) -> None:
        n = len(self.values[0]) if self.values else 0
        hi = min(n, lo + self.BLOCK)
        tails = [
            self._tails(c, vals[lo:hi], lo) for c, vals in zip(self.cols, self.values, strict=True)
        ]
        block: list[tuple | None] = list(zip(*tails, strict=True))
        for k, row in enumerate(block):
            if None in row:  # a value without a shared encoding: the general way
                block[k] = None
        self.lo, self.hi, self.block = lo, hi, block

    def _tails(self, c: int, block: Sequence[Any], lo: int) -> list[bytes | None]:
        rw = self.rw
        style = rw.col_styles.get(c)
        long = self.long_texts.get(c)
        if long is not None:
            tails = long.tails(lo, lo + len(block), b'"' + _s(style).encode())
            return [
                tail if tail is not None else rw.cell_tail(c, v, style)
                for tail, v in zip(tails, block, strict=True)
            ]
        if set(map(type, block)) <= _DISTINCT_SAFE:
            table = {v: rw.cell_tail(c, v, style) for v in dict.fromkeys(block)}
            return list(map(table.__getitem__, block))
        return [rw.cell_tail(c, v, style) for v in block]


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
        self._c_close = b"</" + prefix + b"c>"
        self._c_space = b"<" + prefix + b"c "
        self._columns: _ColumnCells | None = None  # made once the column styles are known
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

    def cell_tail(self, c: int, value: Any, style: int | None) -> bytes | None:
        """What follows the cell reference in the element of ``value`` in column ``c``
        with ``style`` — the same bytes :meth:`_encode` writes; ``b""``: no element;
        None: a value without a shared encoding."""
        t = type(value)
        if not (t in _CACHEABLE and (t is not str or len(value) <= _CACHE_TEXT) and value == value):
            return None
        # A column holds few distinct short values: each is encoded once per style and
        # only the cell reference is put in front (the rest of the element is the same).
        key = (t, value, style)
        tail = self._tails.get(key)
        if tail is None:
            ref = (_COL_LETTERS.get(c) or _COL_LETTERS.setdefault(c, column_letter(c))) + "1"
            xml = self._element(ref, value, style)
            head = self._c_open + ref.encode()
            if not xml:
                tail = b""
            elif xml.startswith(head) and xml[len(head) : len(head) + 1] == b'"':
                tail = xml[len(head) :]
            else:
                return None
            if len(self._tails) >= _CACHE_SIZE:
                self._tails.clear()
            self._tails[key] = tail
        return tail

    def _element(self, ref: str, value: Any, style: int | None) -> bytes:
        xml = self.enc.cell(ref, value, style)
        if self.p and xml:
            # Sheets whose elements carry a prefix (<x:row>, OpenXML SDK) get it on ours too.
            xml = re.sub(
                rb"<(/?)(c|f|v|is|t)\b", lambda m: b"<" + m.group(1) + self.p + m.group(2), xml
            )
        return xml

    def _append_to_row(self, rowb: bytes, gt: int, r: int) -> bytes | None:
        """Row ``r`` of a plan of whole columns with its new cells after its last one —
        the common case, from the columns' shared encodings (:class:`_ColumnCells`);
        None when the row needs the general way (:meth:`_rewrite_row`)."""
        i = self.plan.index_of(r)
        if i is None or rowb[gt - 1 : gt] == b"/":
            return None
        open_tag = rowb[:gt]
        if self._row_style(open_tag) is not None:
            return None
        columns = self._columns
        if columns is None:
            cols, values = self.plan.columns
            columns = self._columns = _ColumnCells(self, cols, values, self.plan.long_texts)
        tails = columns.row(i)
        if tails is None:
            return None
        cols = columns.cols
        k, _last, last_col = self._last_cell(rowb, gt + 1, len(rowb) - len(self._row_close))
        if last_col is None or last_col >= cols[0]:
            return None
        rb = str(r).encode()
        parts = [self._widen_spans(open_tag, cols[0], cols[-1]), b">", rowb[gt + 1 : k]]
        for head, tail in zip(columns.heads, tails, strict=True):
            if tail:
                parts += (head, rb, tail)
        parts.append(rowb[k:])
        self.cells_written += len(cols)
        return b"".join(parts)

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
        tail = self.cell_tail(c, value, base)
        if tail is not None:
            return self._c_open + f"{letters}{r}".encode() + tail if tail else b""
        return self._element(f"{letters}{r}", value, base)

    def rows(self, chunk: bytes, hi: int | None = None) -> bytes:
        """Process a run of complete rows (plus whitespace between them): ``chunk``, or
        its first ``hi`` bytes (a buffer is not copied to cut it there)."""
        hi = len(chunk) if hi is None else hi
        out: list[bytes] = []
        pos = 0
        plan_rows = self.plan.rows
        n_plan = len(plan_rows)
        for start, end in self._row_spans(chunk, hi):
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
                    new = None
                    if self.plan.columns is not None and not self.p and rm is not None:
                        new = self._append_to_row(rowb, gt, r)
                    rowb = (
                        new if new is not None else self._rewrite_row(rowb, gt, r, rm is not None)
                    )
                    self.next_i += 1
            if self.broken_shared and b"shared" in rowb:
                rowb = self._expand_shared(rowb, r)
            out.append(rowb)
            pos = end
        if pos < hi:
            out.append(chunk[pos:hi])
        return b"".join(out)

    def _row_spans(self, chunk: bytes, hi: int | None = None) -> Iterator[tuple[int, int]]:
        """(start, end) of each ``<row>`` element in ``chunk[:hi]``, as ``row_re`` matches
        them, found with ``bytes.find`` (several times faster than the regex)."""
        hi = len(chunk) if hi is None else hi
        find = chunk.find
        row_open, row_close = self._row_open, self._row_close
        n_open, n_close = len(row_open), len(row_close)
        pos = 0
        while True:
            start = find(row_open, pos, hi)
            if start < 0:
                return
            nxt = chunk[start + n_open : min(start + n_open + 1, hi)]
            if nxt and (nxt.isalnum() or nxt == b"_"):  # <rowBreaks…: not a row (\b)
                pos = start + n_open
                continue
            gt = find(b">", start + n_open, hi)
            if gt < 0:
                return
            if chunk[gt - 1 : gt] == b"/":
                end = gt + 1
            else:
                close = find(row_close, gt + 1, hi)
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
        close = self._row_close
        body = b"" if self_closing else rowb[gt + 1 : len(rowb) - len(close)]
        row_style = self._row_style(open_tag)
        if not has_r:
            open_tag += b' r="' + str(r).encode() + b'"'
        open_tag = self._widen_spans(open_tag, targets[0], targets[-1])

        new_body = None
        end, last, last_col = self._last_cell(body, 0, len(body))
        if end == 0:  # nothing but white space
            new_body = self._cells(r, cells, targets, row_style, None) + body
        elif last_col is not None and last_col < targets[0]:
            left = (
                self._left_style(body, body[last:])
                if (self.plan.left_rows is None or r in self.plan.left_rows) and _wants_left(cells)
                else None
            )
            new_body = body[:end] + self._cells(r, cells, targets, row_style, left) + body[end:]
        if new_body is None:
            new_body = self._merge_row(r, body, cells, targets, row_style)
        return open_tag + b">" + new_body + close

    def _row_style(self, open_tag: bytes) -> int | None:
        """The style of a row formatted as a whole (``customFormat``), else None."""
        if b"customFormat" in open_tag and _CUSTOM_FORMAT.search(open_tag):
            sm = self.cell_s_re.search(open_tag)
            return int(sm.group(1)) if sm else None
        return None

    def _last_cell(self, row: bytes, lo: int, hi: int) -> tuple[int, int, int | None]:
        """Of the cells in ``row[lo:hi]``: where they end without trailing white space
        (as ``bytes.rstrip``), where the last cell starts and its column (None when the
        text does not end with a cell)."""
        end = hi
        while end > lo and row[end - 1] in _WHITESPACE:
            end -= 1
        if end == lo or not (row.endswith(self._c_close, lo, end) or row.endswith(b"/>", lo, end)):
            return end, -1, None
        last = row.rfind(self._c_space, lo, hi)
        cm = self.cell_r_re.search(row, last, row.find(b">", last, hi)) if last >= 0 else None
        return end, last, _col_of(cm.group(1)) if cm else None

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
        long_texts = self.plan.long_texts if not self.p else None
        i = self.plan.index_of(r) if long_texts else None
        for c in targets:
            v = cells[c]
            t = type(v)
            if i is not None and c in long_texts:
                tail = long_texts[c].tail(i)
                if tail is not None:
                    self.cells_written += 1
                    if rb is None:
                        rb = str(r).encode()
                    letters = _COL_LETTERS.get(c) or _COL_LETTERS.setdefault(c, column_letter(c))
                    s_attr = _s(col_styles.get(c, row_style)).encode()
                    parts.append(c_open + letters.encode() + rb + b'"' + s_attr + tail)
                    continue
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
        m = _SPANS.search(open_tag)
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
        raise CorruptWorkbook(None, "worksheet has no <sheetData>")
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
                dst.write(rw.rows(buf, end))
                dst.write(rw.pending_before(None))
                buf = buf[end:]
                break
            cut = buf.rfind(end_row)
            if cut >= 0:
                cut += len(end_row)
                dst.write(rw.rows(buf, cut))
                buf = buf[cut:]
            chunk = src.read(_CHUNK)
            if not chunk:
                raise CorruptWorkbook(None, "<sheetData> is not closed")
            buf += chunk
    if tail is None:
        dst.write(buf)
        shutil.copyfileobj(src, dst, _CHUNK)
    else:
        dst.write(tail(buf + src.read(), prefix))
    return rw
