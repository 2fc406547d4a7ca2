"""Change cells of one worksheet: :func:`write_cells`, :func:`write_columns`, :func:`mark_cells`."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from .atomic import atomic_output
from .cells import _Encoder
from .comments import _CommentMarks
from .errors import (
    CorruptWorkbook,
    InvalidSheetName,
    NoOutput,
    SameFile,
    StylesMissing,
    TextTooLong,
    XlsxPatchError,
)
from .package import RT_CALCCHAIN, _open_package, _Package, _rels_path
from .rows import _CHUNK, _LongTexts, _Plan, _plan_from_cells, _stream_sheet
from .styles import _Styles
from .values import LEFT, Cell, CellValue, Mark, WriteResult
from .xmltext import MAX_COL, MAX_ROW, _ref_rc
from .zipio import (
    _BIG_LEVEL,
    _BIG_SHEET,
    _copy_member,
    _DeflateSink,
    _fast_deflate,
    _Prefetch,
    open_member,
)


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
    open: an Excel without the add-in that defines a formula's functions, or
    WPS, replaces each cached value with #NAME?.  Without it Excel keeps the
    cached values until the user recalculates.
    """
    data = replaced.get(pkg.workbook_part, pkg.read(pkg.workbook_part))
    new = re.sub(rb'(<(?:\w+:)?calcPr\b[^>]*?)\s+fullCalcOnLoad\s*=\s*"(?:1|true)"', rb"\1", data)
    if new != data:
        replaced[pkg.workbook_part] = new


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def _destination(src_path: str, dst_path: str | None, in_place: bool) -> str:
    if dst_path is None:
        if not in_place:
            raise NoOutput(src_path, "no output path and in_place is False")
        return src_path
    if not in_place and os.path.exists(dst_path) and _same_file(src_path, dst_path):
        raise SameFile(src_path, "output is the source; pass in_place=True")
    return dst_path


@contextlib.contextmanager
def _located(src_path: str) -> Iterator[None]:
    """Name the source on structural errors raised where the path is not known."""
    try:
        yield
    except XlsxPatchError as exc:
        if exc.path is None and not isinstance(exc, (TextTooLong, InvalidSheetName)):
            exc.path = src_path
        raise
    except zipfile.BadZipFile as exc:
        raise CorruptWorkbook(src_path, str(exc)) from exc


def _rewrite_package(
    src_path: str | os.PathLike[str],
    dst_path: str | os.PathLike[str] | None,
    sheet_name: str,
    plan: _Plan,
    *,
    in_place: bool,
    extra: _CommentMarks | None = None,
    formats: Any = None,
) -> WriteResult:
    src_path = os.fspath(src_path)
    dst_path = _destination(src_path, None if dst_path is None else os.fspath(dst_path), in_place)
    return _patched(
        src_path,
        dst_path,
        lambda pkg, tmp: _rewrite_open(pkg, tmp, sheet_name, plan, extra, formats),
    )


def _patched(
    src_path: str, dst_path: str, work: Callable[[_Package, str], WriteResult]
) -> WriteResult:
    """Open the source, let ``work(pkg, tmp)`` write the new package, move it to ``dst_path``."""
    with _located(src_path), atomic_output(dst_path) as tmp:
        pkg = _open_package(src_path)
        try:  # the source is closed before the output replaces anything (Windows)
            result = work(pkg, tmp)
        finally:
            pkg.zf.close()
    result.dst_path = dst_path
    return result


def _rewrite_open(
    pkg: _Package,
    tmp: str,
    sheet_name: str,
    plan: _Plan,
    extra: _CommentMarks | None,
    formats: Any = None,
) -> WriteResult:
    """Rewrite the sheet's rows by ``plan`` into a new package at ``tmp``.

    ``formats`` (a :class:`xl_addin.xlsxpatch.formats.SheetFormat`) formats the
    written columns in the same pass: the rewritten sheet is kept undeflated, the
    format edits applied to it (and to the styles and workbook parts), and it is
    deflated once — the result equals :func:`format_columns` run on the output."""
    part = pkg.sheet_part(sheet_name)
    if part not in pkg.names:
        raise CorruptWorkbook(pkg.path, f"worksheet part {part} is missing")
    if extra is not None:
        extra.prepare(pkg, part)
    styles_box: list[_Styles] = []

    def get_styles() -> _Styles:
        if not styles_box:
            if pkg.styles_part is None or pkg.styles_part not in pkg.names:
                raise StylesMissing(pkg.path, "date")
            styles_box.append(_Styles(pkg.read(pkg.styles_part)))
        return styles_box[0]

    enc = _Encoder(get_styles, pkg.date1904)
    out_dir = os.path.dirname(os.path.abspath(tmp))
    src_info = pkg.zf.getinfo(part)
    # A big sheet is inflated and deflated in worker threads (zlib lets go of the
    # GIL) while this thread rewrites the rows: the three overlap on two cores.
    big = src_info.file_size > _BIG_SHEET and src_info.compress_type == zipfile.ZIP_DEFLATED
    sink: _DeflateSink | None = None
    sheet_data: bytes | None = None  # the formatted sheet, when held whole
    style_xml: bytes | None = None
    with tempfile.TemporaryFile(dir=out_dir) as sheet_tmp:
        with open_member(pkg.zf, src_info) as fin:
            if formats is not None:
                from .formats import FormattingWriter

                def open_stream() -> Any:
                    nonlocal sink
                    if src_info.compress_type != zipfile.ZIP_DEFLATED:
                        return sheet_tmp
                    sink = _DeflateSink(sheet_tmp, _BIG_LEVEL)
                    return sink

                def styles_now() -> bytes | None:
                    if styles_box and styles_box[0].changed:
                        return styles_box[0].data
                    sp = pkg.styles_part
                    return pkg.read(sp) if sp and sp in pkg.names else None

                hold = tempfile.TemporaryFile(dir=out_dir)
                fw = FormattingWriter(formats, styles_now, open_stream, hold)
                try:
                    if big:
                        with _Prefetch(fin) as ahead:
                            rw = _stream_sheet(ahead, fw, plan, enc, extra.tail if extra else None)
                    else:
                        rw = _stream_sheet(fin, fw, plan, enc, extra.tail if extra else None)
                    sheet_data, style_xml, _stream = fw.finish(styles_now())
                finally:
                    hold.close()
                    if sink is not None:
                        sink.close()
            elif big:
                sink = _DeflateSink(sheet_tmp, _BIG_LEVEL)
                with _Prefetch(fin) as ahead:
                    try:
                        rw = _stream_sheet(ahead, sink, plan, enc, extra.tail if extra else None)
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
        if enc.wrote_formulas:
            _keep_cached_values(pkg, replaced)
        sheet_size = sink.size if sink is not None else sheet_tmp.tell()
        sheet_tmp.seek(0)
        if formats is not None:
            if style_xml is not None:
                replaced[pkg.styles_part] = style_xml
            wb = replaced.get(pkg.workbook_part) or pkg.read(pkg.workbook_part)
            new_wb = formats.workbook(wb, pkg, sheet_name)
            if new_wb != wb:
                replaced[pkg.workbook_part] = new_wb
            if sheet_data is not None:
                sheet_size = len(sheet_data)
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
                    if sheet_data is not None:
                        out.writestr(zi, sheet_data)
                        continue
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
    return WriteResult(
        dst_path=tmp,
        sheet_part=part,
        cells_written=rw.cells_written,
        rows_created=rw.rows_created,
        styles_changed=bool(styles and styles.changed),
        new_styles=list(styles.new) if styles else [],
        calc_chain_removed=bool(dropped),
        shared_formulas_expanded=rw.shared_expanded,
        comments_written=extra.comments_written if extra is not None else 0,
        parts_added=[name for name, _ in added],
    )


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
    ``in_place=True``.  The output is written atomically (:mod:`.atomic`);
    an existing ``dst_path`` is replaced — keeping or backing it up is the
    caller's policy.
    """
    plan = _plan_from_cells(cells)
    return _rewrite_package(
        src_path,
        dst_path,
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
    formats: Any = None,
) -> WriteResult:
    """Column-oriented :func:`write_cells` for whole computed columns.

    ``rows`` are the Excel rows (e.g. ``ledger.data.index``) and
    ``columns[col]`` the values for those rows, same length.  Optional
    ``headers`` ({col: text}) go into ``header_row``, styled like the header
    cell to their left when ``header_style``.  Uses far less memory than a
    cell mapping for a million rows.  ``formats`` (a
    :class:`xl_addin.xlsxpatch.formats.SheetFormat`) formats the columns in the
    same rewrite of the package (see :func:`_rewrite_open`).
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
    long_texts = {
        c: _LongTexts(vals)
        for c, vals in zip(cols, values, strict=True)
        # a sample decides (a column missed is only written the slower way)
        if any(map(_LongTexts.wanted, vals[:1000]))
        or any(map(_LongTexts.wanted, vals[:: max(1, len(vals) // 1000)]))
    }
    left_rows = None  # a styled value in the columns: any row may ask for its left style
    if not any(Cell in set(map(type, vals)) for vals in values):
        left_rows = frozenset({header_row} if head else ())
    plan = _Plan(
        all_rows if all_cols else [],
        get,
        bounds,
        index_of=pos.get,
        long_texts=long_texts,
        left_rows=left_rows,
        columns=(cols, values),
    )
    return _rewrite_package(
        src_path,
        dst_path,
        sheet_name,
        plan,
        in_place=in_place,
        formats=formats,
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
    for :func:`write_cells` (temporary file + :func:`os.replace`).  An empty
    ``marks`` copies the workbook.
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
        src_path,
        dst_path,
        sheet_name,
        plan,
        in_place=in_place,
        extra=_CommentMarks(cells) if cells else None,
    )


# --------------------------------------------------------------------------- new sheets
