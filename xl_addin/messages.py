"""Chinese message helpers for the workbook input/output layer.

Everything a clerk reads names the file, the sheet and, where known, the row
or cell: ``台账.xlsx 工作表“台账” 第3行：未找到表头“姓名”``.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterable

from calc.errors import InputError


def file_label(path: str | os.PathLike[str]) -> str:
    """The file name a clerk recognises (no directory)."""
    return os.path.basename(os.fspath(path)) or os.fspath(path)


def where(
    path: str | os.PathLike[str] | None = None,
    sheet: str | None = None,
    row: int | None = None,
    cell: str | None = None,
) -> str:
    """A location such as ``台账.xlsx 工作表“台账” 第3行`` or ``… 单元格C5``."""
    parts: list[str] = []
    if path is not None:
        parts.append(file_label(path))
    if sheet is not None:
        parts.append(f"工作表“{sheet}”")
    if cell is not None:
        parts.append(f"单元格{cell}")
    elif row is not None:
        parts.append(f"第{row}行")
    return " ".join(parts)


def input_error(
    message: str,
    *,
    path: str | os.PathLike[str] | None = None,
    sheet: str | None = None,
    row: int | None = None,
    cell: str | None = None,
    value: object = None,
) -> InputError:
    """An :class:`InputError` whose location names file, sheet and row/cell."""
    loc = where(path, sheet, row, cell)
    return InputError(message, value=value, where=loc or None)


def join_names(names: Iterable[str], quote: bool = True) -> str:
    """``“甲”、“乙”`` — a Chinese enumeration."""
    if quote:
        return "、".join(f"“{n}”" for n in names)
    return "、".join(names)


def corrupt_workbook(path: str | os.PathLike[str]) -> InputError:
    return InputError(f"无法读取工作簿“{file_label(path)}”：文件已损坏或不是 Excel 文件")


_WEB_STARTS = (b"<!doctype", b"<html", b"<table", b"<meta", b"<head", b"mime-version")


def looks_like_web_page(head: bytes) -> bool:
    """Whether a file's first bytes are a web page (HTML/MHT), as systems export
    "Excel" files and clerks rename them ``.xlsx``."""
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff \t\r\n").replace(b"\x00", b"").lower()
    return text.startswith(_WEB_STARTS) or b"<html" in text or b"<table" in text


def not_a_zip_workbook(path: str | os.PathLike[str], head: bytes) -> InputError:
    """A ``.xlsx`` that is no zip package: a web page says so, anything else is damaged."""
    if not looks_like_web_page(head):
        return corrupt_workbook(path)
    return InputError(
        f"无法读取工作簿“{file_label(path)}”：它其实是网页文件（HTML，常见于系统导出的“Excel”），"
        "只是扩展名改成了 .xlsx。请在 Excel 或 WPS 中打开它，"
        "再“另存为”→“Excel 工作簿（*.xlsx）”，用另存的文件重试"
    )


#: Windows "sharing violation" / "lock violation": another program holds the file open.
_WINDOWS_IN_USE = (32, 33)


def is_in_use(exc: BaseException | None) -> bool:
    """Whether an OS error says another program has the file open (not merely "no permission")."""
    if not isinstance(exc, OSError):
        return False
    return getattr(exc, "winerror", None) in _WINDOWS_IN_USE or exc.errno == errno.EBUSY


def unreadable_file(path: str | os.PathLike[str], exc: OSError | None = None) -> InputError:
    """An input the operating system would not let us read, saying truly why."""
    label = file_label(path)
    if is_in_use(exc):
        return InputError(f"文件“{label}”正被其他程序（如 Excel）占用，请关闭后重试")
    if isinstance(exc, PermissionError) or (
        exc is not None and exc.errno in (errno.EACCES, errno.EPERM)
    ):
        return InputError(
            f"没有权限读取文件“{label}”。请检查该文件的权限（Windows：右键 → 属性 → 安全），"
            "或把它复制到自己的文件夹后再试"
        )
    if exc is not None and exc.errno == errno.EISDIR:
        return InputError(f"“{label}”是一个文件夹，不是工作簿")
    if isinstance(exc, FileNotFoundError):
        return missing_file(path)
    reason = (exc.strerror if exc is not None else None) or "未知原因"
    return InputError(f"无法读取文件“{label}”（系统提示：{reason}）。请检查该文件后重试")


def locked_file(path: str | os.PathLike[str], exc: BaseException | None = None) -> InputError:
    """Called inside ``except OSError``: "in use" only when the error says so, else the real reason."""
    if exc is None:
        exc = sys.exc_info()[1]
    return unreadable_file(path, exc if isinstance(exc, OSError) else None)


def missing_file(path: str | os.PathLike[str]) -> InputError:
    return InputError(f"找不到文件“{os.fspath(path)}”")


def old_xls(path: str | os.PathLike[str]) -> InputError:
    return InputError(
        f"“{file_label(path)}”是旧版 Excel 97-2003 格式（.xls），本工具不能直接读取。"
        "请在 Excel 中打开后用“文件 → 另存为”保存为“Excel 工作簿（*.xlsx）”再试"
    )


#: WPS Spreadsheets' own formats (workbook, template): not Office Open XML.
WPS_EXTENSIONS = (".et", ".ett")


def wps_format(path: str | os.PathLike[str]) -> InputError:
    return InputError(
        f"“{file_label(path)}”是 WPS 表格格式（{os.path.splitext(os.fspath(path))[1]}），本工具不能直接读取。"
        "请在 WPS 中打开后用“文件 → 另存为”保存为“Excel 工作簿（*.xlsx）”再试"
    )


def unsupported_format(path: str | os.PathLike[str]) -> InputError:
    if os.path.splitext(os.fspath(path))[1].lower() in WPS_EXTENSIONS:
        return wps_format(path)
    return InputError(
        f"不支持的文件类型“{file_label(path)}”：请使用 Excel 工作簿（.xlsx）或启用宏的工作簿（.xlsm）"
    )


def unknown_sheet(path: str | os.PathLike[str], sheet: str, names: Iterable[str]) -> InputError:
    return InputError(
        f"{file_label(path)} 中没有名为“{sheet}”的工作表；现有工作表：{join_names(names)}"
    )
