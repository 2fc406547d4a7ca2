"""Opening a workbook safely and reading its rows; the layout scan's word lists."""

from __future__ import annotations

import contextlib
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

try:
    import python_calamine as pc
except ImportError:  # pragma: no cover - xlwings Lite without calamine: only find_table is used
    pc = None

from calc.errors import InputError
from xl_addin import messages as msg
from xl_addin import zip_guard
from xl_addin.ledger_read import blocks
from xl_addin.ledger_read.in_memory import WorkbookValues

#: How many rows from the top are searched for the header.
HEADER_SCAN_ROWS = 20
#: A sheet is taken for the ledger (when no sheet is named) if its header maps this many fields.
MIN_FIELDS_AUTO = 3
#: With an explicitly named sheet, this many mapped fields suffice.
MIN_FIELDS_NAMED = 2

_SUPPORTED = (".xlsx", ".xlsm", ".xltx", ".xltm")
_STOP_WORDS = (
    "合计",
    "小计",
    "总计",
    "共计",
    "总人数",
    "填表",
    "填报",
    "制表",
    "审核",
    "审批",
    "复核",
    "经办人",
    "备注",
    "说明",
    "注：",
    "注:",
    "注1",
    "注意",
    "负责人",
    "签字",
    "签名",
    "盖章",
    "单位盖章",
    "联系人",
    "统计人",
    "日期：",
    "日期:",
)
#: A cell that is a count ("30人", "共30人", "30") — what a 合计 row puts under 姓名.
_COUNT = re.compile(r"^(共|合计)?\s*\d+\s*(人|户|名|个)?$")
#: A plausible Chinese personal name: 2–6 CJK characters (a middle dot allowed).
_ID_LIKE = re.compile(r"^\d{14,17}[\dXx]$")
_NAME = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff·•]{1,5}$")
_COLUMN_NUMBER = re.compile(r"^[（(]?\d{1,3}[）)]?$")
#: A pager line pasted from a web system's list page: “共 21 条记录”, “第 1 页/共 3 页”,
#: “每页显示 20 条”, “显示第 1 至 20 项结果”, “上一页 1 2 下一页”.
_PAGER = re.compile(
    r"^(共\d+(条|项|行|人|页|条记录|条数据)|第\d+页|每页(显示)?\d+|显示第\d+|当前第?\d+页"
    r"|上一页|下一页|首页|尾页|\d+条/页|总(记录|条)数)"
)


# --------------------------------------------------------------------------- helpers


def _check_path(path: str | os.PathLike[str]) -> str:
    p = os.fspath(path)
    ext = os.path.splitext(p)[1].lower()
    if ext == ".xls":
        raise msg.old_xls(p)
    if ext in (*msg.WPS_EXTENSIONS, ".ods", ".xlsb", ".csv", ".wps"):
        raise msg.unsupported_format(p)
    if not os.path.exists(p):
        raise msg.missing_file(p)
    if os.path.isdir(p):
        raise msg.unsupported_format(p)
    return p


def _open(path: str | os.PathLike[str]) -> pc.CalamineWorkbook:
    if isinstance(path, WorkbookValues):
        return path  # the open workbook's values (xlwings scripts), read like a file
    if pc is None:
        raise InputError(
            "当前环境没有安装 python-calamine，无法读取工作簿文件；"
            "请在 Excel 中用一键脚本处理当前工作簿，或在电脑上用命令行 jyyz"
        )
    p = _check_path(path)
    try:
        with open(p, "rb") as fh:
            magic = fh.read(1024)
    except PermissionError as exc:
        raise msg.locked_file(p) from exc
    except OSError as exc:
        raise msg.corrupt_workbook(p) from exc
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        # OLE2: a real .xls saved under an .xlsx name, or an encrypted workbook.
        raise InputError(
            f"无法读取工作簿“{msg.file_label(p)}”：这是旧版 .xls 文件或设置了打开密码的工作簿。"
            "请在 Excel 中取消密码，并另存为“Excel 工作簿（*.xlsx）”后再试"
        )
    if not magic.startswith(b"PK"):
        raise msg.not_a_zip_workbook(p, magic)
    zip_guard.guard_workbook(p)  # resource bombs and a missing workbook part, before inflating
    try:
        return pc.CalamineWorkbook.from_path(p)
    except PermissionError as exc:
        raise msg.locked_file(p) from exc
    except (pc.CalamineError, OSError, ValueError, zipfile.BadZipFile) as exc:
        raise msg.corrupt_workbook(p) from exc


def _worksheet_names(wb: pc.CalamineWorkbook) -> list[str]:
    names = []
    for meta in wb.sheets_metadata:
        if "WorkSheet" in str(meta.typ):
            names.append(meta.name)
    return names


@contextlib.contextmanager
def _reading_sheet(path: str, name: str) -> Iterator[None]:
    """A locked file or a sheet calamine cannot parse, as the clerk's message."""
    try:
        yield
    except PermissionError as exc:
        raise msg.locked_file(path) from exc
    except (pc.CalamineError, OSError, ValueError) as exc:
        raise InputError(
            f"无法读取工作簿“{msg.file_label(path)}”的工作表“{name}”：文件已损坏或格式不受支持"
        ) from exc


def _sheet_rows(wb: pc.CalamineWorkbook, path: str, name: str) -> tuple[list[list[Any]], list]:
    """All rows of a sheet from A1 (index 0 = Excel row 1) and its merged ranges."""
    sheet, merges = _open_sheet(wb, path, name)
    with _reading_sheet(path, name):
        rows = sheet.to_python(skip_empty_area=False)
    return rows, merges


def _rows_and_merges(
    wb: pc.CalamineWorkbook, path: Any, name: str
) -> tuple[Iterator[list[Any]], list, Callable[[], dict] | None]:
    """The rows of a sheet from A1 (as :func:`_iter_sheet_rows` gives them), its
    merged ranges, and — for a very big sheet, read a block of rows at a time
    (:mod:`xl_addin.ledger_read.blocks`) so that it is never held whole — where to
    get the error cells found while its rows were cut (``None``: the sheet was read
    whole, its XML is still to be scanned)."""
    plan = None if isinstance(path, WorkbookValues) else blocks.block_plan(path, name)
    if plan is None:
        sheet, merges = _open_sheet(wb, path, name)
        return _iter_sheet_rows(sheet, path), merges, None

    def open_block(block: str) -> tuple[Any, Any]:
        with _reading_sheet(path, name):
            block_wb = pc.CalamineWorkbook.from_path(block)
            try:
                return block_wb.get_sheet_by_name(name), block_wb
            except BaseException:
                block_wb.close()
                raise

    reader = blocks.BlockSheet(path, name, plan, open_block)
    return reader.rows(), reader.merges, reader.bad_cells


def _open_sheet(wb: pc.CalamineWorkbook, path: str, name: str) -> tuple[Any, list]:
    """The calamine sheet (parsed, not yet converted to Python) and its merged ranges."""
    with _reading_sheet(path, name):
        sheet = wb.get_sheet_by_name(name)
        merges = list(getattr(sheet, "merged_cell_ranges", None) or [])
    return sheet, merges


def _iter_sheet_rows(sheet: Any, path: str) -> Iterator[list[Any]]:
    """The rows of ``to_python(skip_empty_area=False)`` one at a time (from A1).

    ``iter_rows`` already starts at row 1 but at the first used column: the
    columns left of it are put back as ``""``.
    """
    start = sheet.start
    if start is None:
        return
    lead = [""] * start[1]
    try:
        if lead:
            for row in sheet.iter_rows():
                yield lead + row
        else:
            yield from sheet.iter_rows()
    except (pc.CalamineError, OSError, ValueError) as exc:
        raise InputError(
            f"无法读取工作簿“{msg.file_label(path)}”的工作表“{sheet.name}”：文件已损坏或格式不受支持"
        ) from exc


def workbook_sheet_names(path: str | os.PathLike[str]) -> list[str]:
    """Names of all sheets (worksheets and chart sheets) in workbook order."""
    wb = _open(path)
    try:
        return list(wb.sheet_names)
    finally:
        wb.close()


def _is_blank(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, str) and not v.strip())


def _text(v: Any) -> str:
    if _is_blank(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()
