"""jyyz's side of writing workbooks: the :mod:`xl_addin.xlsxpatch` engine, safely and in Chinese.

The engine (:mod:`xl_addin.xlsxpatch`) changes cells of an .xlsx/.xlsm while
keeping everything else; it knows nothing of jyyz.  This layer adds jyyz's
policy and language:

* every output goes through :func:`calc.safe_files.safe_replace`: the engine
  writes into a fresh temporary file beside the target, which then replaces
  the target atomically; an existing target (the input with ``in_place``, an
  earlier output, any file named with ``-o``) is first copied to a verified,
  timestamped backup beside it (``台账.备份-20261122-153000.xlsx``) — or kept
  with ``existing="refuse"``; nothing half-written is left on failure;
* a workbook that Excel (or WPS/LibreOffice) has open — its lock file
  ``~$台账.xlsx`` lies beside it — is never replaced;
* the engine's typed errors and operating-system failures become
  :class:`calc.errors.InputError` with a Chinese message naming the file;
* :func:`fit_cell_text` shortens jyyz's own long texts to Excel's cell limit
  with a note, so a long input never aborts a fill.
"""

from __future__ import annotations

import contextlib
import os
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from calc.errors import InputError
from calc.safe_files import Existing, make_temp_file, os_errors_in_chinese, safe_replace
from xl_addin import xlsxpatch as xp
from xl_addin.xlsxpatch import (
    LEFT,
    MAX_TEXT,
    Cell,
    CellValue,
    Formula,
    Mark,
    WriteResult,
)

from . import messages as msg
from .xlsxpatch.zipguard import PackageTooLarge
from .zip_guard import too_large

__all__ = [
    "LEFT",
    "MAX_TEXT",
    "Cell",
    "CellValue",
    "Formula",
    "Mark",
    "WriteResult",
    "add_header_cells",
    "add_sheet",
    "excel_lock_file",
    "fit_cell_text",
    "in_chinese",
    "mark_cells",
    "marked_copy_with_sheet",
    "refuse_if_open",
    "write_cells",
    "write_columns",
    "write_formatted_columns",
]


# --------------------------------------------------------------------------- messages


def chinese_error(exc: xp.XlsxPatchError, src: str | os.PathLike[str]) -> InputError:
    """The clerk's message for an engine error about ``src`` (or its output)."""
    path = exc.path or os.fspath(src)
    label = msg.file_label(path)
    if isinstance(exc, xp.WorkbookNotFound):
        return msg.missing_file(path)
    if isinstance(exc, xp.OldXlsFormat):
        return msg.old_xls(path)
    if isinstance(exc, xp.WorkbookUnreadable):
        return msg.unreadable_file(path, exc.cause)
    if isinstance(exc, xp.SheetNotFound):
        return msg.unknown_sheet(path, exc.sheet, exc.available)
    if isinstance(exc, xp.SheetExists):
        return InputError(f"{label} 中已有工作表“{exc.sheet}”")
    if isinstance(exc, xp.InvalidSheetName):
        return InputError(f"工作表名称“{exc.sheet}”不合法：不超过31个字符，且不能含 [ ] : * ? / \\")
    if isinstance(exc, xp.StylesMissing):
        what = "写入日期" if exc.purpose == "date" else "标记单元格"
        return InputError(f"工作簿“{label}”缺少样式表，无法{what}；请用 Excel 打开并保存一次后重试")
    if isinstance(exc, xp.TextTooLong):
        where = "批注" if exc.ref == "comment" else f"单元格{exc.ref}"
        return InputError(
            f"{where}的文本有 {exc.length} 个字符，超过 Excel 的上限 {exc.limit} 个字符"
        )
    if isinstance(exc, xp.SameFile):
        return InputError(
            f"输出文件不能与输入文件“{label}”相同；请另选输出文件名，或选择“覆盖原文件（自动备份）”"
        )
    if isinstance(exc, PackageTooLarge):
        return too_large(exc, path)
    if isinstance(exc, xp.NoOutput):
        return InputError("未指定输出文件；如需直接修改原文件，请选择“覆盖原文件（自动备份）”")
    return msg.corrupt_workbook(path)


@contextlib.contextmanager
def in_chinese(src: str | os.PathLike[str]) -> Iterator[None]:
    """Engine errors inside the block become Chinese :class:`InputError` about ``src``."""
    try:
        yield
    except xp.XlsxPatchError as exc:
        raise chinese_error(exc, src) from exc
    except OSError as exc:  # reading the source outside the engine
        raise msg.unreadable_file(os.fspath(src), exc) from exc


#: Note put at the end of a text cut to Excel's cell limit.
_CUT_NOTE = "……（超出 Excel 单元格上限 {limit} 字，以下 {rest} 字省略）"


def fit_cell_text(text: Any, limit: int = MAX_TEXT) -> Any:
    """``text`` cut to ``limit`` characters with a note saying so; other values unchanged."""
    if type(text) is not str or len(text) <= limit:
        return text
    keep = limit - len(_CUT_NOTE.format(limit=limit, rest=len(text)))
    return text[:keep] + _CUT_NOTE.format(limit=limit, rest=len(text) - keep)


# --------------------------------------------------------------------------- targets

_LOCK_NAMES = ("~${}", ".~lock.{}#")  # Excel and WPS; LibreOffice


def excel_lock_file(path: str | os.PathLike[str]) -> Path | None:
    """The lock file Excel/WPS (``~$台账.xlsx``) or LibreOffice keeps beside an open workbook."""
    p = Path(path)
    for pattern in _LOCK_NAMES:
        lock = p.with_name(pattern.format(p.name))
        if lock.exists():
            return lock
    return None


def refuse_if_open(path: str | os.PathLike[str]) -> None:
    """Refuse to replace a workbook that is open in Excel (its lock file lies beside it)."""
    lock = excel_lock_file(path)
    if lock is not None and Path(path).exists():
        raise InputError(
            f"工作簿“{msg.file_label(path)}”正在 Excel（或 WPS）中打开（旁边有锁定文件“{lock.name}”）。"
            "请先在 Excel 中关闭该工作簿，再重试",
            value=os.fspath(path),
        )


def _target(src: Path, dst: str | os.PathLike[str] | None, in_place: bool) -> Path:
    if dst is None:
        if not in_place:
            raise chinese_error(xp.NoOutput(src), src)
        target = src
    else:
        target = Path(dst)
        if target.exists() and not in_place and _same_file(src, target):
            raise chinese_error(xp.SameFile(src), src)
    if not src.exists():
        raise msg.missing_file(src)
    if target.suffix.lower() != src.suffix.lower():
        raise InputError(
            f"输出文件“{msg.file_label(target)}”的扩展名应与输入文件“{msg.file_label(src)}”相同"
        )
    refuse_if_open(target)
    return target


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _looks_like_workbook(path: Path) -> None:
    """The new output is a complete zip package (its central directory reads)."""
    try:
        with zipfile.ZipFile(path) as zf:
            if "[Content_Types].xml" not in zf.NameToInfo:
                raise zipfile.BadZipFile("no [Content_Types].xml")
    except zipfile.BadZipFile as exc:
        raise InputError(f"新生成的工作簿“{path}”不完整，已放弃写入（原文件未改动）") from exc


def _safely(
    fn: Callable[..., WriteResult],
    src_path: str | os.PathLike[str],
    dst_path: str | os.PathLike[str] | None,
    in_place: bool,
    existing: Existing,
    *args: Any,
    **kwargs: Any,
) -> WriteResult:
    src = Path(src_path)
    with os_errors_in_chinese(dst_path if dst_path is not None else src):
        target = _target(src, dst_path, in_place)  # a name too long, a folder not reachable
    backups: list[Path] = []
    with (
        in_chinese(src),
        safe_replace(
            target, existing=existing, verify=_looks_like_workbook, backups=backups
        ) as tmp,
    ):
        result = fn(os.fspath(src), os.fspath(tmp), *args, **kwargs)
    result.dst_path = os.fspath(target)
    result.backup_path = os.fspath(backups[0]) if backups else None
    return result


# --------------------------------------------------------------------------- operations


def write_cells(
    src_path: str | os.PathLike[str],
    dst_path: str | os.PathLike[str] | None,
    sheet_name: str,
    cells: Mapping[tuple[int, int], CellValue],
    *,
    in_place: bool = False,
    existing: Existing = "backup",
) -> WriteResult:
    """:func:`xl_addin.xlsxpatch.write_cells`, written safely (see module doc).

    ``dst_path`` may be None (or the input) only with ``in_place=True``; an
    existing output is backed up first (``existing="backup"``) or kept
    (``"refuse"``).
    """
    return _safely(xp.write_cells, src_path, dst_path, in_place, existing, sheet_name, cells)


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
    existing: Existing = "backup",
) -> WriteResult:
    """:func:`xl_addin.xlsxpatch.write_columns`, written safely (see module doc)."""
    return _safely(
        xp.write_columns,
        src_path,
        dst_path,
        in_place,
        existing,
        sheet_name,
        rows,
        columns,
        headers=headers,
        header_row=header_row,
        header_style=header_style,
    )


def _column_formats(formats: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of :func:`xl_addin.xlsxpatch.formats.format_columns` from
    formats as data (see ``xl_addin.jobs.result_formats``: letters, widths, colours)."""
    from xl_addin.xlsxpatch.formats import ColourRule, ColumnFormat

    cols = {
        xp.column_index(letter): ColumnFormat(float(f["width"]), bool(f.get("wrap")))
        for letter, f in formats["columns"].items()
    }
    rules = [
        ColourRule(xp.column_index(r["column"]), r["text"], r["fill"], r.get("font", ""))
        for r in formats.get("rules", ())
    ]
    titles = formats.get("title_columns")
    title_rows = formats.get("title_rows")
    return {
        "columns": cols,
        "rows": (int(formats["first_row"]), int(formats["last_row"])),
        "rules": rules,
        "filter_to": xp.column_index(formats["filter_to"]) if formats.get("filter_to") else None,
        "title_columns": (xp.column_index(titles[0]), xp.column_index(titles[1]))
        if titles
        else None,
        "title_rows": (int(title_rows[0]), int(title_rows[1])) if title_rows else None,
        "like": xp.column_index(formats["like"]) if formats.get("like") else None,
    }


def write_formatted_columns(
    src_path: str | os.PathLike[str],
    dst_path: str | os.PathLike[str] | None,
    sheet_name: str,
    rows: Sequence[int],
    columns: Mapping[int, Sequence[CellValue]],
    formats: Mapping[str, Any],
    *,
    headers: Mapping[int, CellValue] | None = None,
    header_row: int | None = None,
    in_place: bool = False,
    existing: Existing = "backup",
) -> WriteResult:
    """:func:`write_columns` with the columns formatted like the ledger
    (:func:`xl_addin.xlsxpatch.formats.format_columns`), in one safe write and one
    rewrite of the package."""
    from xl_addin.xlsxpatch.formats import SheetFormat

    fmt = SheetFormat(**_column_formats(formats))

    def steps(src: str, tmp: str) -> WriteResult:
        return xp.write_columns(
            src,
            tmp,
            sheet_name,
            rows,
            columns,
            headers=headers,
            header_row=header_row,
            formats=fmt,
        )

    return _safely(steps, src_path, dst_path, in_place, existing)


def add_header_cells(
    src_path: str | os.PathLike[str],
    dst_path: str | os.PathLike[str] | None,
    sheet_name: str,
    header_row: int,
    headers: Mapping[int, str],
    *,
    header_style: bool = True,
    in_place: bool = False,
    existing: Existing = "backup",
) -> WriteResult:
    """:func:`xl_addin.xlsxpatch.add_header_cells`, written safely (see module doc)."""
    return _safely(
        xp.add_header_cells,
        src_path,
        dst_path,
        in_place,
        existing,
        sheet_name,
        header_row,
        headers,
        header_style=header_style,
    )


def mark_cells(
    src_path: str | os.PathLike[str],
    dst_path: str | os.PathLike[str] | None,
    sheet_name: str,
    marks: Mapping[tuple[int, int], Mark] | Mapping[str, Mark | str],
    *,
    in_place: bool = False,
    existing: Existing = "backup",
) -> WriteResult:
    """:func:`xl_addin.xlsxpatch.mark_cells`, written safely (see module doc)."""
    return _safely(xp.mark_cells, src_path, dst_path, in_place, existing, sheet_name, marks)


def add_sheet(
    src_path: str | os.PathLike[str],
    dst_path: str | os.PathLike[str] | None,
    sheet_name: str,
    rows: Sequence[Sequence[Any]],
    *,
    replace: bool = True,
    in_place: bool = False,
    existing: Existing = "backup",
) -> WriteResult:
    """:func:`xl_addin.xlsxpatch.add_sheet`, written safely (see module doc)."""
    return _safely(
        xp.add_sheet, src_path, dst_path, in_place, existing, sheet_name, rows, replace=replace
    )


def marked_copy_with_sheet(
    src_path: str | os.PathLike[str],
    dst_path: str | os.PathLike[str],
    sheet_name: str,
    marks: Mapping[str, Mark],
    new_sheet: str,
    rows: Sequence[Sequence[Any]],
    *,
    more_sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]] = (),
    existing: Existing = "backup",
) -> WriteResult:
    """A copy of the workbook with ``marks`` on ``sheet_name`` and a sheet ``new_sheet`` of
    ``rows`` (then each of ``more_sheets``, e.g. a pre-filled 字段对照).

    All steps happen inside one safe write: intermediate copies are scratch
    files beside the output, removed afterwards; the clerk's file is only read.
    """
    sheets = [(new_sheet, rows), *more_sheets]

    def steps(src: str, tmp: str) -> WriteResult:
        folder = Path(tmp).parent
        scratch: list[Path] = []

        def scratch_file() -> str:
            return str(make_temp_file(folder, src, scratch))

        try:
            current, marked = src, None
            if marks:
                marked = xp.mark_cells(src, scratch_file(), sheet_name, marks)
                current = str(scratch[-1])
            for i, (name, body) in enumerate(sheets):
                out = tmp if i == len(sheets) - 1 else scratch_file()
                result = xp.add_sheet(current, out, name, body, replace=True)
                current = out
        finally:
            for path in scratch:
                with contextlib.suppress(OSError):
                    os.remove(path)
        if marked is not None:
            result.comments_written = marked.comments_written
            result.cells_written += marked.cells_written
        return result

    return _safely(steps, src_path, dst_path, False, existing)
