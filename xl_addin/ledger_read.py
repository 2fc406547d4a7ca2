"""Read a clerk's ledger (台账) from an .xlsx/.xlsm workbook, fast.

Real ledgers are not tidy tables: a title row and notes sit above the header,
header cells are merged, and a header may take two rows (a merged “家庭情况”
above “家庭人口 | 家庭月收入”, or “出生日期” merged over both rows).  Below the
data there may be a “合计” or “填表人：” row.  :func:`read_ledger` finds the
header among the first rows, maps it to canonical fields with
:func:`calc.fields.map_headers` and returns the data rows keyed by their Excel
row numbers, with values left raw (IDs stay text, dates stay dates; ``""``
becomes ``None``).  Converting values is the job of ``calc``.

Reading uses python-calamine (about 2 s for 100,000 rows × 20 columns).
Every failure a clerk can cause raises :class:`calc.errors.InputError` with a
Chinese message naming the file, sheet and row.
"""

from __future__ import annotations

import itertools
import os
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

try:
    import python_calamine as pc
except ImportError:  # pragma: no cover - xlwings Lite without calamine: only find_table is used
    pc = None

from calc import legends
from calc.errors import InputError
from calc.fields import (
    FIELDS,
    HeaderMap,
    header_keys,
    map_headers,
    match_header,
    normalise_header,
)
from calc.memory import release_memory
from calc.normalize import BAD_TEXTS_ATTR

from . import field_map as FM
from . import messages as msg
from .bad_cells import scan_bad_cells
from .xlsxpatch import column_index, column_letter

__all__ = [
    "HEADER_SCAN_ROWS",
    "MIN_FIELDS_AUTO",
    "Ledger",
    "column_index",
    "column_letter",
    "read_ledger",
    "read_parameter_sheet",
    "read_sheet_rows",
    "read_targets_sheet",
    "workbook_sheet_names",
]

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
            magic = fh.read(8)
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
        raise msg.corrupt_workbook(p)
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


def _sheet_rows(wb: pc.CalamineWorkbook, path: str, name: str) -> tuple[list[list[Any]], list]:
    """All rows of a sheet from A1 (index 0 = Excel row 1) and its merged ranges."""
    try:
        sheet = wb.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        merges = list(getattr(sheet, "merged_cell_ranges", None) or [])
    except PermissionError as exc:
        raise msg.locked_file(path) from exc
    except (pc.CalamineError, OSError, ValueError) as exc:
        raise InputError(
            f"无法读取工作簿“{msg.file_label(path)}”的工作表“{name}”：文件已损坏或格式不受支持"
        ) from exc
    return rows, merges


def _open_sheet(wb: pc.CalamineWorkbook, path: str, name: str) -> tuple[Any, list]:
    """The calamine sheet (parsed, not yet converted to Python) and its merged ranges."""
    try:
        sheet = wb.get_sheet_by_name(name)
        merges = list(getattr(sheet, "merged_cell_ranges", None) or [])
    except PermissionError as exc:
        raise msg.locked_file(path) from exc
    except (pc.CalamineError, OSError, ValueError) as exc:
        raise InputError(
            f"无法读取工作簿“{msg.file_label(path)}”的工作表“{name}”：文件已损坏或格式不受支持"
        ) from exc
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


# --------------------------------------------------------------------------- header detection


@dataclass
class _HeaderGuess:
    score: int
    rows: tuple[int, ...]  # 0-based row indexes
    texts: list[str]
    hmap: HeaderMap


def _fill_merges(
    grid: dict[int, list[Any]], merges: Iterable, top: int, width: int
) -> dict[int, list[Any]]:
    """Fill the non-anchor cells of merges anchored at or above ``top``.

    calamine gives ``""`` for the hidden cells of a merge.  In a two-row header
    a group label in the upper row spans several columns and a single-row
    label (“出生日期”) spans both rows; both must reach every column/row they
    cover.  Merges anchored in the lower row are not spread sideways, so one
    header merged across two columns does not become two columns.
    """
    out = {r: list(v) for r, v in grid.items()}
    for (r0, c0), (r1, c1) in merges:
        if r0 > top:
            continue
        anchor_row = grid.get(r0)
        if anchor_row is None or c0 >= len(anchor_row):
            continue
        value = anchor_row[c0]
        if _is_blank(value):
            continue
        for r in out:
            if r0 <= r <= r1:
                row = out[r]
                for c in range(c0, min(c1, width - 1) + 1):
                    if _is_blank(row[c]):
                        row[c] = value
    return out


def _looks_like_header_row(row: Sequence[Any]) -> bool:
    """A row that could be the lower row of a two-row header: text only, no data values."""
    for v in row:
        if _is_blank(v):
            continue
        if not isinstance(v, str):
            return False
        s = v.strip()
        if s.isdigit() and len(s) >= 6:
            return False
    return True


def _combine(
    upper: Sequence[Any], lower: Sequence[Any], aliases: dict[str, str] | None = None
) -> list[str]:
    texts = []
    for up, lo in zip(upper, lower, strict=True):
        u, lw = _text(up), _text(lo)
        if lw and match_header(lw, aliases):
            texts.append(lw)
        elif u and match_header(u, aliases):
            texts.append(u)
        elif u and lw and u != lw:
            if match_header(u + lw, aliases):
                texts.append(u + lw)
            elif match_header(lw + u, aliases):
                texts.append(lw + u)
            else:
                texts.append(f"{u}{lw}")
        else:
            texts.append(lw or u)
    return texts


def _guess_header(
    rows: list[list[Any]], merges: list, aliases: dict[str, str] | None = None
) -> _HeaderGuess | None:
    n = min(len(rows), HEADER_SCAN_ROWS)
    if n == 0:
        return None
    width = len(rows[0])
    candidates: list[_HeaderGuess] = []
    for i in range(n):
        texts = [_text(v) for v in rows[i]]
        hmap = map_headers(texts, aliases)
        candidates.append(_HeaderGuess(len(hmap.columns), (i,), texts, hmap))
    for i in range(n - 1):
        if i + 1 >= len(rows) or not _looks_like_header_row(rows[i + 1]):
            continue
        if all(_is_blank(v) for v in rows[i]) or all(_is_blank(v) for v in rows[i + 1]):
            continue
        grid = _fill_merges({i: rows[i], i + 1: rows[i + 1]}, merges, i, width)
        texts = _combine(grid[i], grid[i + 1], aliases)
        hmap = map_headers(texts, aliases)
        candidates.append(_HeaderGuess(len(hmap.columns), (i, i + 1), texts, hmap))
    # Most fields first; on a tie the single row, then the earlier one.
    best = max(candidates, key=lambda g: (g.score, -len(g.rows), -g.rows[0]))
    if best.score == 0:
        return None
    if len(best.rows) == 1:
        best = _merged_from_above(best, rows, merges, aliases)
    return best


def _merged_from_above(
    guess: _HeaderGuess, rows: list[list[Any]], merges: list, aliases: dict[str, str] | None
) -> _HeaderGuess:
    """Header cells left empty because a header above is merged down over them
    (序号 or 备注 merged over a two-row header): their text is the merge's."""
    i = guess.rows[0]
    texts = list(guess.texts)
    changed = False
    for (r0, c0), (r1, c1) in merges:
        if not r0 < i <= r1 or r0 >= len(rows):
            continue
        value = _text(rows[r0][c0]) if c0 < len(rows[r0]) else ""
        for c in range(c0, min(c1, len(texts) - 1) + 1):
            if value and not texts[c]:
                texts[c] = value
                changed = True
    if not changed:
        return guess
    hmap = map_headers(texts, aliases)
    return _HeaderGuess(len(hmap.columns), guess.rows, texts, hmap)


# --------------------------------------------------------------------------- the ledger


@dataclass
class Ledger:
    """One ledger sheet: canonical columns, raw values and where they live."""

    path: str
    sheet_name: str
    sheet_names: list[str]
    header_row: int  # 1-based Excel row of the (last) header row
    header_rows: tuple[int, ...]  # 1-based Excel rows of the header
    data: pd.DataFrame  # canonical fields as columns, object dtype, index = Excel row
    raw_headers: list[str]  # header text by column position (0-based)
    columns: dict[str, str]  # field name -> column letter
    unknown_columns: list[tuple[str, str]]  # (letter, header text) not recognised
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (letter, header text)
    n_columns: int = 0  # used width of the sheet (columns A..)
    max_row: int = 0  # last Excel row calamine saw (incl. footer rows)
    skipped_rows: list[int] = field(default_factory=list)  # footer/column-number rows
    #: Rows below the header with neither a name nor an ID number (stray values beside
    #: the table): not persons, not filled, named in the check report.
    non_person_rows: list[int] = field(default_factory=list)
    #: The first filled values of each unrecognised column (letter → values).
    unknown_samples: dict[str, list[Any]] = field(default_factory=dict)
    #: Columns whose header names a field but whose values are not values of it:
    #: (letter, header, field, example values) — not used for that field.
    rejected: list[tuple[str, str, str, list[str]]] = field(default_factory=list)
    #: Columns read as another field than their header suggests, by their values:
    #: (letter, header, field read before, field now).
    reassigned: list[tuple[str, str, str | None, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # texts of footer and 填表说明 rows
    sub_header_row: int | None = None  # lower header row with unknown labels (not data)
    #: Where a field's values came from when not from its own column of this sheet:
    #: field -> Chinese description ("标题行“机构名称：…”", "工作表“失业登记信息”D列").
    sources: dict[str, str] = field(default_factory=dict)
    #: Cells holding an error value or an uncalculated formula: (excel_row, field) -> text.
    bad_cells: dict[tuple[int, str], str] = field(default_factory=dict)
    #: Coded columns decoded with a legend: field -> {code: label}.
    legends: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Coded columns without a legend: (header, codes the ledger does not explain).
    undecoded: list[tuple[str, list[str]]] = field(default_factory=list)
    #: The clerk's 字段对照 sheet as read (empty when the workbook has none).
    field_map: FM.FieldMap = field(default_factory=FM.FieldMap)
    #: Why this sheet was taken for the ledger (several candidate sheets).
    sheet_reason: str = ""
    #: Household members listed only on a family-members sheet (家属信息, keyed by
    #: 户主公民身份号码): canonical raw columns, index = that sheet's Excel rows.
    #: Context for the household tests only — not persons of the ledger.
    household_members: pd.DataFrame | None = None
    #: Where :attr:`household_members` came from (``工作表“家属信息”``).
    household_members_source: str = ""
    #: The workbook is only a family-members export (家属信息): its rows are the persons.
    family_only: bool = False

    #: Merged ranges of the sheet as 1-based (row0, col0, row1, col1).
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)

    # -- lookups ------------------------------------------------------------
    def merge_anchor(self, cell: str) -> str:
        """The top-left cell of the merged range covering ``cell`` (else ``cell``):
        a comment on a covered cell of a merge is not shown by Excel, WPS or LibreOffice."""
        m = re.fullmatch(r"([A-Z]+)(\d+)", cell)
        if not m:
            return cell
        r, c = int(m.group(2)), column_index(m.group(1))
        for r0, c0, r1, c1 in self.merges:
            if r0 <= r <= r1 and c0 <= c <= c1:
                return f"{column_letter(c0)}{r0}"
        return cell

    def missing(self, required: Iterable[str]) -> list[str]:
        """Canonical fields of ``required`` that have no column (nor values from elsewhere)."""
        return [name for name in required if name not in self.columns and name not in self.sources]

    def column_index(self, name: str) -> int:
        """1-based column index of a canonical field."""
        return column_index(self.columns[name])

    def cell_ref(self, name: str, excel_row: int) -> str:
        """``cell_ref("id_number", 5) -> "C5"``."""
        try:
            letter = self.columns[name]
        except KeyError:
            raise KeyError(f"field {name!r} has no column in this ledger") from None
        return f"{letter}{excel_row}"

    def where(self, name: str | None = None, excel_row: int | None = None) -> str:
        """Chinese location: ``台账.xlsx 工作表“台账” 单元格C5`` (or ``第5行``)."""
        if name is not None and excel_row is not None and name in self.columns:
            return msg.where(self.path, self.sheet_name, cell=self.cell_ref(name, excel_row))
        return msg.where(self.path, self.sheet_name, row=excel_row)

    @property
    def next_free_column(self) -> int:
        """1-based index of the first column right of everything used."""
        return self.n_columns + 1

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1

    def header_column(self, header_text: str) -> int | None:
        """1-based column whose header reads ``header_text`` (normalised), if any."""
        key = normalise_header(header_text)
        for pos, text in enumerate(self.raw_headers):
            if text and normalise_header(text) == key:
                return pos + 1
        return None

    def describe_columns(self) -> str:
        """``已识别 18 列：姓名(B)、公民身份号码(C)…；未识别：序号(A)、备注(T)``."""
        known = sorted(self.columns.items(), key=lambda kv: column_index(kv[1]))
        parts = [f"{FIELDS[name].header}({letter})" for name, letter in known]
        text = f"已识别 {len(parts)} 列：" + ("、".join(parts) if parts else "无")
        if self.unknown_columns:
            text += "；未识别：" + "、".join(f"{h}({letter})" for letter, h in self.unknown_columns)
        if self.sources:
            text += "；另取自：" + "、".join(
                f"{FIELDS[n].header}←{where}" for n, where in self.sources.items()
            )
        if self.reassigned:
            text += "；按内容识别：" + "、".join(
                f"{h}({letter})→{FIELDS[to].header}" for letter, h, _, to in self.reassigned
            )
        if self.rejected:
            text += "；内容不符、未使用：" + "、".join(
                f"{h}({letter})" for letter, h, _, _ in self.rejected
            )
        text += self.members_text()
        if self.duplicates:
            text += "；重复（已忽略）：" + "、".join(
                f"{h}({letter})" for letter, h in self.duplicates
            )
        return text

    def members_text(self) -> str:
        """``；家庭成员另取自工作表“家属信息”（5人，…）`` or "" (no family sheet)."""
        if self.household_members is None:
            return ""
        return (
            f"；家庭成员另取自{self.household_members_source}"
            f"（{len(self.household_members)}人，不在本台账，只用于家庭条件）"
        )


def _merge_boxes(merges: list) -> list[tuple[int, int, int, int]]:
    """calamine's ``((r0, c0), (r1, c1))`` (0-based) as 1-based (row0, col0, row1, col1)."""
    out = []
    for m in merges or ():
        try:
            (r0, c0), (r1, c1) = m
        except (TypeError, ValueError):
            continue
        out.append((r0 + 1, c0 + 1, r1 + 1, c1 + 1))
    return out


def _squeeze(v: Any) -> str:
    return str(v).strip().replace(" ", "").replace("\u3000", "")


def _is_stop_row(
    row: Sequence[Any], width: int, key_cols: Sequence[int], id_col: int | None = None
) -> bool:
    """A footer, total, signature or note row (合计, 填表人：…, 填表说明：…).

    The first filled cell — in any column, since footers are often merged
    across the table — starts with a stop word, and no key column (姓名,
    身份证号码) holds what a person row holds: a 合计 row's "30人" under
    姓名 is a count, "审核人：孙丽" a label.
    """
    first = None
    for c in range(width):
        if not _is_blank(row[c]):
            first = c
            break
    if first is None:
        return False
    v = row[first]
    if not isinstance(v, str):
        return False
    s = _squeeze(v)
    if _PAGER.match(s):
        return True
    if not s.startswith(_STOP_WORDS):
        return False
    # A signature row names people after labels ("制表人： 李静  审核人： 王军") but
    # never holds an ID number; a person row always has one where the ledger keeps them.
    if id_col is not None:
        return id_col == first or not _ID_LIKE.match(_squeeze(_text(row[id_col])))
    return all(c == first or not _holds_person_value(row[c]) for c in key_cols)


def _holds_person_value(v: Any) -> bool:
    """A name or an ID number, not blank, a label, a count or a stop word."""
    if _is_blank(v) or _is_label(v):
        return False
    s = _squeeze(v) if isinstance(v, str) else _text(v)
    return not _COUNT.match(s)


def _is_label(v: Any) -> bool:
    if not isinstance(v, str):
        return False
    s = _squeeze(v)
    return s.startswith(_STOP_WORDS) or "：" in s or ":" in s


def _is_sub_header(row: Sequence[Any], hmap: HeaderMap, aliases: dict | None) -> bool:
    """The lower row of a two-row header whose labels are unknown ("人数 | 月收入").

    Text only, no ID number, nothing under 姓名 that looks like a name, and
    at least two of its texts are not values of their column (the header
    texts of their own or another column, or short labels where the header
    above names a group).
    """
    if not _looks_like_header_row(row):
        return False
    fields = hmap.fields
    id_col = fields.get("id_number")
    if id_col is not None and id_col < len(row) and not _is_blank(row[id_col]):
        return False
    name_col = fields.get("name")
    if name_col is not None and name_col < len(row):
        v = row[name_col]
        if not _is_blank(v) and _NAME.match(_squeeze(v)) and not match_header(v, aliases):
            return False
    texts = [_text(v) for v in row if not _is_blank(v)]
    if not texts:
        return False
    return all(not any(ch.isdigit() for ch in t) for t in texts)


def _looks_like_person(row: Sequence[Any], id_col: int | None) -> bool:
    if id_col is not None and not _is_blank(row[id_col]):
        return True
    return sum(1 for v in row if not _is_blank(v)) >= 3


def _is_column_number_row(row: Sequence[Any]) -> bool:
    """The “1 2 3 …” row some forms put right under the header."""
    nums = []
    for v in row:
        if _is_blank(v):
            continue
        if isinstance(v, bool):
            return False
        if isinstance(v, (int, float)):
            if not float(v).is_integer():
                return False
            nums.append(int(v))
        elif isinstance(v, str) and _COLUMN_NUMBER.match(v.strip()):
            nums.append(int(re.sub(r"\D", "", v)))
        else:
            return False
    return len(nums) >= 3 and all(a < b for a, b in zip(nums, nums[1:], strict=False))


#: Rows converted to columns at a time while reading a ledger.
_CHUNK_ROWS = 20_000


def _column(values: np.ndarray) -> np.ndarray:
    """One column of a chunk: ``""`` → None, repeated texts sharing one object.

    A ledger column mostly repeats a few texts (城镇, 是, dates, community names);
    calamine gives a new object for every cell.  Keeping one object per distinct
    text per chunk saves most of the memory of a million-row ledger.  Only
    texts are merged (``True == 1.0`` must stay apart); values are unchanged.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    n = len(values)
    if len(uniques) * 2 > n:  # mostly distinct (names, ID numbers): nothing to share
        out = values.copy()
        out[values == ""] = None
        return out
    texts = np.fromiter((type(u) is str for u in uniques), dtype=bool, count=len(uniques))
    table = uniques.astype(object, copy=True)
    table[table == ""] = None
    out = table[codes]
    keep = codes < 0  # None / NaN: as they were
    if not texts.all():
        keep |= ~texts[codes]  # numbers, dates, booleans: the cell's own object
    if keep.any():
        out[keep] = values[keep]
    return out


@dataclass
class _Rows:
    """The data rows of a ledger sheet, column-wise (see :func:`_collect`)."""

    width: int
    excel_rows: list[int]
    columns: dict[str, np.ndarray]
    skipped: list[int]
    max_row: int
    notes: list[str] = field(default_factory=list)  # texts of footer/note rows
    sub_header: int | None = None  # Excel row of an unrecognised lower header row
    strays: list[int] = field(default_factory=list)  # rows without name or ID: not persons
    samples: dict[int, list[Any]] = field(default_factory=dict)  # unknown column → first values


#: Filled values kept per unrecognised column, to judge what the column holds.
_SAMPLE = 300
#: Rows read for those samples (a big ledger is not sampled to its end).
_SAMPLE_ROWS = 3000


#: Words of a code table's or a note's own header row, never a person's name.
_TABLE_WORDS = frozenset({"代码", "编码", "名称", "说明", "含义", "代号", "类别", "备注", "序号"})
_LOOSE_ID = re.compile(r"^\d{6,17}[\dXx]?$")


def _no_person(
    row: Sequence[Any], key_cols: Sequence[int], positions: Sequence[int], id_col: int | None
) -> bool:
    """No name and no ID number — nothing under 姓名 that reads as a name, nothing under
    the ID column that reads as a number — and fewer than three of the ledger's
    columns filled (a code table's “DS01 | 大龄失业人员”, a sum typed under the table)."""
    for c in key_cols:
        v = row[c]
        if _is_blank(v):
            continue
        s = _squeeze(_text(v))
        if c == id_col:
            if _LOOSE_ID.match(s):
                return False
        elif _NAME.match(s) and s not in _TABLE_WORDS and not match_header(s):
            return False
        elif not _NAME.match(s) and not re.search(r"[A-Za-z]\d", s):
            return False  # a name in another script, with spaces: still a person
    return sum(1 for c in positions if not _is_blank(row[c])) < 3


def _build(
    path: str,
    sheet: str,
    names: list[str],
    head: list[list[Any]],
    rest: Iterable[list[Any]],
    guess: _HeaderGuess,
) -> Ledger:
    """The ledger from the first rows ``head`` (header scan) and the rows after them."""
    return _make_ledger(path, sheet, names, _collect(head, rest, guess), guess)


def _collect(
    head: list[list[Any]],
    rest: Iterable[list[Any]],
    guess: _HeaderGuess,
    aliases: dict[str, str] | None = None,
) -> _Rows:
    """Data rows below the header, skipping blank, column-number and footer rows.

    Rows are streamed: only the recognised columns are kept, a chunk of rows at
    a time, so the whole sheet never exists as Python lists.
    """
    width = len(head[0]) if head else 0
    hmap = guess.hmap
    last_header = guess.rows[-1]
    field_pos = sorted(hmap.columns.items())  # (pos, name)
    key_cols = [hmap.fields[n] for n in ("name", "id_number") if n in hmap.fields]
    id_col = hmap.fields.get("id_number")
    positions = [pos for pos, _ in field_pos]

    excel_rows: list[int] = []
    parts: list[list[np.ndarray]] = [[] for _ in field_pos]
    kept: list[list[Any]] = []
    skipped: list[int] = []
    notes: list[str] = []
    sub_header: int | None = None
    strays: list[int] = []
    samples: dict[int, list[Any]] = {pos: [] for pos, _ in hmap.unknown if pos < width}
    footer = False
    first = True

    def flush() -> None:
        if not kept:
            return
        block = np.empty((len(kept), width), dtype=object)
        block[:] = kept
        kept.clear()
        for k, pos in enumerate(positions):
            parts[k].append(_column(block[:, pos]))

    idx = last_header
    for row in itertools.chain(head[last_header + 1 :], rest):
        idx += 1
        if row.count("") == width:
            continue
        if _is_blank(row[0]) and all(_is_blank(v) for v in row):
            continue
        if first:
            first = False
            if _is_column_number_row(row):
                skipped.append(idx + 1)
                continue
            if _is_sub_header(row, hmap, aliases):
                sub_header = idx + 1
                skipped.append(idx + 1)
                first = True  # a column-number row may follow
                continue
        if _is_stop_row(row, width, key_cols, id_col):
            footer = True
            skipped.append(idx + 1)
            notes.append(" ".join(_text(v) for v in row if not _is_blank(v)))
            continue
        if footer and not _looks_like_person(row, id_col):
            # Below a footer only rows that clearly hold a person are data.
            skipped.append(idx + 1)
            notes.append(" ".join(_text(v) for v in row if not _is_blank(v)))
            continue
        if key_cols and _no_person(row, key_cols, positions, id_col):
            # Neither a name nor an ID number, and (almost) nothing in the ledger's
            # columns: stray numbers beside the table, a pasted total, a code table
            # under the data — not a person (its text may be a legend: kept as a note).
            strays.append(idx + 1)
            notes.append(" ".join(_text(v) for v in row if not _is_blank(v)))
            continue
        excel_rows.append(idx + 1)
        kept.append(row)
        if samples and len(excel_rows) <= _SAMPLE_ROWS:  # the first rows tell the column
            for pos, bucket in samples.items():
                if len(bucket) < _SAMPLE and not _is_blank(row[pos]):
                    bucket.append(row[pos])
        if len(kept) >= _CHUNK_ROWS:
            flush()
    flush()
    max_row = max(idx + 1, len(head))

    columns_data: dict[str, np.ndarray] = {}
    for (_, name), chunks in zip(field_pos, parts, strict=True):
        if len(chunks) == 1:
            columns_data[name] = chunks[0]
        else:
            columns_data[name] = np.concatenate(chunks) if chunks else np.empty(0, dtype=object)
        chunks.clear()
    return _Rows(
        width, excel_rows, columns_data, skipped, max_row, notes, sub_header, strays, samples
    )


def _make_ledger(
    path: str, sheet: str, names: list[str], rows: _Rows, guess: _HeaderGuess
) -> Ledger:
    hmap = guess.hmap
    last_header = guess.rows[-1]
    field_pos = sorted(hmap.columns.items())  # (pos, name)
    index = pd.Index(rows.excel_rows, name="excel_row", dtype="int64")
    columns_data = rows.columns
    rows.columns = {}
    data = pd.DataFrame(columns_data, index=index, dtype=object, columns=[n for _, n in field_pos])
    del columns_data

    return Ledger(
        path=path,
        sheet_name=sheet,
        sheet_names=names,
        header_row=last_header + 1,
        header_rows=tuple(r + 1 for r in guess.rows),
        data=data,
        raw_headers=list(guess.texts),
        columns={name: column_letter(pos + 1) for pos, name in field_pos},
        unknown_columns=[(column_letter(pos + 1), t) for pos, t in hmap.unknown],
        duplicates=[(column_letter(pos + 1), t) for pos, t in hmap.duplicates],
        n_columns=rows.width,  # calamine pads every row to the used width
        max_row=rows.max_row,
        skipped_rows=rows.skipped,
        non_person_rows=rows.strays,
        unknown_samples={column_letter(pos + 1): v for pos, v in rows.samples.items()},
        notes=rows.notes,
        sub_header_row=rows.sub_header,
    )


def _expected_headers() -> str:
    keys = ("name", "id_number", "sex", "birth_date", "phone", "address")
    return "、".join(f"“{FIELDS[k].header}”" for k in keys)


@dataclass
class TableLayout:
    """Where the header is and which rows hold people (see :func:`find_table`)."""

    header_index: int  # 0-based index of the (last) header row in the rows given
    header_rows: tuple[int, ...]  # 0-based indexes of all header rows
    headers: list[str]  # header text per column (two-row headers combined)
    person_rows: set[int]  # 0-based indexes of the rows that hold people
    skipped: list[int]  # 0-based indexes of footer, note, sub-header and column-number rows


def find_table(
    rows: list[list[Any]], merges: list | None = None, aliases: dict[str, str] | None = None
) -> TableLayout | None:
    """The header/footer detector of :func:`read_ledger` for rows already in memory.

    The Excel buttons (xl_addin.scripts) read the sheet through xlwings and
    use this, so the command line and the buttons agree on what a header, a
    合计 row or a 填表说明 row is.  Blank cells may be ``None`` or ``""``.
    """
    if not rows:
        return None
    width = max(len(r) for r in rows)
    grid = [list(r) + [""] * (width - len(r)) for r in rows]
    head = grid[:HEADER_SCAN_ROWS]
    guess = _guess_header(head, list(merges or []), aliases)
    if guess is None or guess.score < MIN_FIELDS_NAMED:
        return None
    collected = _collect(head, iter(grid[HEADER_SCAN_ROWS:]), guess, aliases)
    return TableLayout(
        header_index=guess.rows[-1],
        header_rows=guess.rows,
        headers=list(guess.texts),
        person_rows={r - 1 for r in collected.excel_rows},
        skipped=[r - 1 for r in collected.skipped],
    )


#: Sheets jyyz itself reads or writes: never the ledger.
_OWN_SHEETS = ("参数", "目标", FM.SHEET, "检查结果")
#: Text fields whose values templates often write as codes (①… or 1…).
_CODED_FIELDS = (
    "certified_category",
    "employment_status",
    "employment_type",
    "separation_type",
    "household_registration",
    "former_employer_type",
    "marital_status",
)


def _sheet_score(guess: _HeaderGuess) -> tuple[int, int]:
    """Person sheets first: ID number and name, then the number of recognised fields."""
    have = guess.hmap.fields
    return (int("id_number" in have) + int("name" in have), guess.score)


def _clearly_better(score: tuple[int, int], than: tuple[int, int]) -> bool:
    """A later sheet replaces an earlier candidate only if it holds clearly more:
    ID and name where the other lacks one, or half as many fields again (and 3 more).
    Two ledgers of the same kind (this year's, last year's) keep the first."""
    if score[0] != than[0]:
        return score[0] > than[0]
    return score[1] >= max(than[1] + 3, than[1] * 1.5)


def _read_field_map(wb: pc.CalamineWorkbook, path: str, worksheets: list[str]) -> FM.FieldMap:
    if FM.SHEET not in worksheets:
        return FM.FieldMap()
    rows, _ = _sheet_rows(wb, path, FM.SHEET)
    return FM.parse_field_map(rows, msg.where(path, FM.SHEET))


def read_ledger(path: str | os.PathLike[str], sheet: str | None = None) -> Ledger:
    """Read the ledger sheet of a workbook.

    ``sheet`` names the sheet; without it the worksheet that holds persons
    (ID numbers and names, then the most recognised fields, at least
    :data:`MIN_FIELDS_AUTO`) is taken, and fields it lacks are joined by ID
    number from the workbook's other person-keyed sheets.  A 字段对照 sheet
    (:mod:`xl_addin.field_map`) adds the clerk's own header and value mappings.
    """
    p = _source(path)
    wb = _open(p)
    try:
        all_names = list(wb.sheet_names)
        worksheets = _worksheet_names(wb)
        fm = _read_field_map(wb, p, worksheets)
        aliases = fm.aliases or None
        if sheet is not None:
            if sheet not in all_names:
                raise msg.unknown_sheet(p, sheet, all_names)
            if sheet not in worksheets:
                raise InputError(f"{msg.file_label(p)} 的“{sheet}”是图表工作表，不是台账")
            found, merges = _open_sheet(wb, p, sheet)
            rows = _iter_sheet_rows(found, p)
            head = list(itertools.islice(rows, HEADER_SCAN_ROWS))
            guess = _guess_header(head, merges, aliases)
            if guess is None or guess.score < MIN_FIELDS_NAMED:
                raise InputError(
                    f"{msg.where(p, sheet)}：前{HEADER_SCAN_ROWS}行中未找到台账表头。"
                    f"表头应包含{_expected_headers()}等列名（可用常见同义写法）"
                )
            scan = _scan_in_background(p, sheet)
            data = _collect(head, rows, guess, aliases)
            title = head[: guess.rows[0]]
            del found, rows, head  # free calamine's copy of the sheet before the frame is made
            release_memory()
            ledger = _make_ledger(p, sheet, all_names, data, guess)
            ledger.merges = _merge_boxes(merges)
            return _finish(ledger, fm, title, wb, [], scan)

        best = None  # (score, name, guess, found, rows, head)
        others: list[tuple[str, _HeaderGuess]] = []
        weak: tuple[int, str] | None = None
        for name in worksheets:
            if name in _OWN_SHEETS:
                continue
            found, merges = _open_sheet(wb, p, name)
            rows = _iter_sheet_rows(found, p)
            head = list(itertools.islice(rows, HEADER_SCAN_ROWS))
            guess = _guess_header(head, merges, aliases)
            if guess is None:
                continue
            if guess.score < MIN_FIELDS_AUTO:
                if weak is None or guess.score > weak[0]:
                    weak = (guess.score, name)
                if "id_number" in guess.hmap.fields and guess.score >= 2:
                    others.append((name, guess))
                continue
            score = _sheet_score(guess)
            if best is None or _clearly_better(score, best[0]):
                if best is not None:
                    others.append((best[1], best[2]))
                best = (score, name, guess, found, rows, head, merges)
            else:
                others.append((name, guess))
                del found, rows, head
        if best is None:
            hint = ""
            if weak is not None and weak[0] > 0:
                hint = f"（工作表“{weak[1]}”只识别出 {weak[0]} 列）"
            raise InputError(
                f"{msg.file_label(p)}：在各工作表（{msg.join_names(all_names)}）的前{HEADER_SCAN_ROWS}行中"
                f"都未找到台账表头{hint}。表头应包含{_expected_headers()}等列名"
                f"（至少 {MIN_FIELDS_AUTO} 列）；也可以指定工作表名称"
            )
        _, name, guess, found, rows, head, merges = best
        best = None
        scan = _scan_in_background(p, name)
        data = _collect(head, rows, guess, aliases)
        title = head[: guess.rows[0]]
        del found, rows, head
        release_memory()
        ledger = _make_ledger(p, name, all_names, data, guess)
        ledger.merges = _merge_boxes(merges)
        if _is_family_sheet(guess):
            # Only a 家属信息 export: each row a household member, households by the
            # head's ID number; the household tests are what it can answer.
            ledger.family_only = True
            ledger.sheet_reason = (
                f"工作表“{name}”是家属信息表（每行一名家庭成员，按户主身份证号码成户），"
                "工作簿中没有另外的人员台账：按家庭成员逐人认定，家庭条件按同户成员判断"
            )
        joinable = [(n, g) for n, g in others if "id_number" in g.hmap.fields]
        if joinable:
            ledger.sheet_reason = (
                f"人员信息取自工作表“{name}”（含身份证号码和姓名，识别 {guess.score} 列）"
            )
        return _finish(ledger, fm, title, wb, joinable, scan)
    finally:
        wb.close()
        release_memory()


def _finish(
    ledger: Ledger,
    fm: FM.FieldMap,
    title: list[list[Any]],
    wb: pc.CalamineWorkbook,
    joinable: list[tuple[str, _HeaderGuess]],
    scan: Future | None = None,
) -> Ledger:
    """Everything after the rows are read: bad cells, value maps, legends, title, joins."""
    ledger.field_map = fm
    _mark_bad_cells(ledger, scan.result() if scan is not None else None)
    _apply_value_maps(ledger, fm)
    _apply_legends(ledger)
    _check_value_domains(ledger)
    _side_by_side_family(ledger)
    _place_from_title(ledger, title)
    for name, guess in joinable:
        other = _join_sheet(ledger, wb, name, guess, fm)
        if other is not None and _is_family_sheet(guess) and ledger.household_members is None:
            _household_members(ledger, name, other)  # the first family sheet (one is usual)
    return ledger


def _scan_in_background(path: Any, sheet: str) -> Future | None:
    """:func:`scan_bad_cells` in a thread: zlib releases the GIL, so the scan of a
    big sheet overlaps the reading of its rows instead of adding to it.  The open
    workbook's values (:class:`WorkbookValues`) carry error values as text already:
    there is no file to scan."""
    if isinstance(path, WorkbookValues):
        return None
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(scan_bad_cells, path, sheet)
    finally:
        pool.shutdown(wait=False)


def _mark_bad_cells(ledger: Ledger, bad: dict | None = None) -> None:
    """Put the error value or the formula text where calamine gave ``""``."""
    if isinstance(ledger.path, WorkbookValues):
        return
    if bad is None:
        bad = scan_bad_cells(ledger.path, ledger.sheet_name)
    if not bad:
        return
    by_col = {column_index(letter): name for name, letter in ledger.columns.items()}
    rows = set(ledger.data.index.tolist())
    for (r, c), text in bad.items():
        name = by_col.get(c)
        if name is None or r not in rows:
            continue
        ledger.data.at[r, name] = text
        ledger.bad_cells[(r, name)] = text
    texts = set(ledger.data.attrs.get(BAD_TEXTS_ATTR, ())) | set(ledger.bad_cells.values())
    ledger.data.attrs[BAD_TEXTS_ATTR] = sorted(texts)


def _map_column(values: pd.Series, mapping: dict[str, Any]) -> pd.Series:
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    table = np.array(
        [mapping.get(_text(u), u) if _text(u) in mapping else u for u in uniques] + [None],
        dtype=object,
    )
    return pd.Series(table[codes], index=values.index, dtype=object)


def _apply_value_maps(ledger: Ledger, fm: FM.FieldMap) -> None:
    if not fm.values:
        return
    for name, letter in ledger.columns.items():
        header = ledger.raw_headers[column_index(letter) - 1]
        mapping = fm.value_map_for(header)
        if mapping and name in ledger.data.columns:
            ledger.data[name] = _map_column(ledger.data[name], mapping)


def _apply_legends(ledger: Ledger) -> None:
    """Decode coded columns with the legend of the 填表说明 rows (see calc.legends)."""
    coded = []
    for name in _CODED_FIELDS:
        if name in ledger.data.columns:
            sample = ledger.data[name].dropna().unique().tolist()[:200]
            if legends.is_coded(sample):
                coded.append(name)
    if not coded:
        return
    headers = {n: ledger.raw_headers[column_index(ledger.columns[n]) - 1] for n in coded}
    found = legends.legends_in_notes(ledger.notes, headers)
    for name in coded:
        legend = found.get(name) or (found.get("") if len(coded) == 1 else None)
        values = ledger.data[name]
        distinct = values.dropna().unique().tolist()
        if not legend:
            ledger.undecoded.append((headers[name], legends.unknown_codes(distinct, {})))
            continue
        mapping = dict(zip(map(_text, distinct), legends.decode(distinct, legend), strict=True))
        ledger.data[name] = _map_column(values, mapping)
        ledger.legends[name] = legend
        left = legends.unknown_codes(distinct, legend)
        if left:
            ledger.undecoded.append((headers[name], left))


#: Below this share of filled cells that are values of its field, a column is not that field.
DOMAIN_SHARE = 0.5
#: Only columns with at least this many filled cells are judged by their values.
DOMAIN_MIN_CELLS = 2
_KEY_FIELDS = ("name", "id_number")
#: Headers of columns that may hold a category (人员类别, 困难类别, 人员类型 …).
_CATEGORY_HEADER = re.compile(r"类别|类型|身份|群体|对象|情形")


def _examples(values: list[Any], limit: int = 3) -> list[str]:
    out: list[str] = []
    for v in values:
        t = _text(v)
        if t and t not in out:
            out.append(t[:20])
        if len(out) >= limit:
            break
    return out


def _check_value_domains(ledger: Ledger) -> None:
    """Each recognised column must hold values of its field (calc.normalize.value_fits).

    A column whose filled cells are mostly not values of the field its header names
    (a 困难类型 of needs — 生活、医疗 — under a category header; a √ under a date
    header) is not that field: it is taken out (never concluded from), and named in
    the recognition report and the 字段对照 suggestion.  Where its values are
    hardship categories and the ledger has no category column, it is read as
    就业困难人员类型 instead (人员类别 “大龄失业人员”) — also for an unrecognised column
    whose header says 类别/类型.
    """
    from calc.normalize import domain_share, is_hardship_category

    def hardship_share(values: list[Any]) -> float:
        filled = [v for v in values if not _is_blank(v)]
        return sum(1 for v in filled if is_hardship_category(v)) / len(filled) if filled else 0.0

    for name, letter in list(ledger.columns.items()):
        if name not in ledger.data.columns or name in ledger.sources or name in _KEY_FIELDS:
            continue  # name and ID number: their cells are checked one by one
        values = ledger.data[name].dropna().tolist()[:_SAMPLE]
        if name in ledger.legends or (
            legends.is_coded(values)
            and any(h == _header_of(ledger, letter) for h, _ in ledger.undecoded)
        ):
            continue  # codes: judged after decoding, or unknown codes (reported apart)
        header = _header_of(ledger, letter)
        if any(k in ledger.field_map.aliases for k in header_keys(header)):
            continue  # the clerk's 字段对照 says what this column is
        if (
            name != "certified_category"
            and "certified_category" not in ledger.columns
            and FIELDS[name].kind == "text"
            and len(values) >= DOMAIN_MIN_CELLS
            and hardship_share(values) >= DOMAIN_SHARE
        ):
            ledger.data = ledger.data.rename(columns={name: "certified_category"})
            del ledger.columns[name]
            ledger.columns["certified_category"] = letter
            ledger.reassigned.append((letter, header, name, "certified_category"))
            continue
        share = domain_share(name, values)
        if share is None or share[1] < DOMAIN_MIN_CELLS or share[0] >= DOMAIN_SHARE:
            continue
        ledger.data = ledger.data.drop(columns=[name])
        del ledger.columns[name]
        ledger.rejected.append((letter, header, name, _examples(values)))
    if "certified_category" in ledger.columns:
        return
    from calc.assess import RESULT_HEADERS

    own = {normalise_header(h) for h in RESULT_HEADERS.values()}
    for letter, header in list(ledger.unknown_columns):
        values = ledger.unknown_samples.get(letter, [])
        if normalise_header(header) in own:
            continue  # jyyz's own 认定类别 of an earlier fill: a result, not the office's record
        if (
            _CATEGORY_HEADER.search(header)
            and len(values) >= DOMAIN_MIN_CELLS
            and hardship_share(values) >= DOMAIN_SHARE
        ):
            pos = column_index(letter) - 1
            ledger.data["certified_category"] = _unknown_column(ledger, pos)
            ledger.columns["certified_category"] = letter
            ledger.unknown_columns.remove((letter, header))
            ledger.reassigned.append((letter, header, None, "certified_category"))
            return


#: Prefixes of columns that hold one household member's facts beside the applicant's:
#: “配偶姓名 | 配偶身份证号码 | 配偶就业状态 | 子女1姓名 …”.
_ROLE = re.compile(
    r"^(?P<role>(?:配偶|妻子|丈夫|子女|儿子|女儿|父亲|母亲|家庭成员|成员|家属|其他成员)\d{0,2}"
    r"|(?:子|女|父|母)\d{1,2})[（(]?(?P<rest>.+?)[）)]?$"
)
#: Prefixes of the applicant's own columns (申请人身份证号 is the person's ID number).
_SELF = re.compile(r"^(?:申请人|本人|户主)(?P<rest>.+)$")


def _side_by_side_family(ledger: Ledger) -> None:
    """Applicant, 配偶 and 子女 columns side by side on one row (a 申请表 export): the
    applicant's own columns (申请人身份证号) are the person's; each role's columns
    (配偶姓名, 配偶身份证号码, 配偶就业状态 …) make one household member per row,
    in the applicant's household (headed by the applicant's ID number) — read as
    household members, not ignored as unknown columns."""
    groups: dict[str, dict[str, str]] = {}  # role -> field -> letter
    own: dict[str, str] = {}
    for letter, header in ledger.unknown_columns:
        text = re.sub(r"\s", "", header)
        m = _ROLE.match(text)
        if m:
            name = match_header(m.group("rest"))
            if name in ("name", "id_number", "sex", "birth_date", "employment_status",
                        "employment_type", "in_school", "disabled", "able_to_work",
                        "registered_unemployed_flag", "unemployment_registration_date",
                        "wants_work", "relation"):  # fmt: skip
                groups.setdefault(m.group("role"), {}).setdefault(name, letter)
            continue
        m = _SELF.match(text)
        if m:
            name = match_header(m.group("rest"))
            if name is not None and name not in ledger.columns and name not in own:
                own[name] = letter
    groups = {r: g for r, g in groups.items() if "name" in g or "id_number" in g}
    if not groups and not own:
        return
    rows = read_sheet_rows(ledger.path, ledger.sheet_name) or []
    index = ledger.data.index.tolist()

    def column(letter: str) -> np.ndarray:
        pos = column_index(letter) - 1
        out = np.full(len(index), None, dtype=object)
        for i, r in enumerate(index):
            if r - 1 < len(rows) and pos < len(rows[r - 1]) and not _is_blank(rows[r - 1][pos]):
                out[i] = rows[r - 1][pos]
        return out

    used = set()
    for name, letter in own.items():
        ledger.data[name] = column(letter)
        ledger.columns[name] = letter
        used.add(letter)
    if groups and "id_number" in ledger.data.columns and ledger.household_members is None:
        heads = ledger.data["id_number"].to_numpy(dtype=object)
        frames = []
        for role, fields_ in groups.items():
            values = {f: column(letter) for f, letter in fields_.items()}
            filled = np.zeros(len(index), dtype=bool)
            for v in values.values():
                filled |= np.array([not _is_blank(x) for x in v], dtype=bool)
            filled &= np.array([not _is_blank(h) for h in heads], dtype=bool)
            if "id_number" in values:  # a member who is a person of the ledger is theirs
                ids = {_id_key(v) for v in heads} - {""}
                filled &= np.array([_id_key(v) not in ids for v in values["id_number"]], dtype=bool)
            if not filled.any():
                continue
            part = {f: v[filled] for f, v in values.items()}
            part["household_head_id"] = heads[filled]
            if "relation" not in part:
                part["relation"] = np.full(int(filled.sum()), role, dtype=object)
            # one row holds several members: labelled by row and role (“3（配偶）”)
            labels = [f"{r}（{role}）" for r in np.asarray(index)[filled].tolist()]
            frames.append(
                pd.DataFrame(part, index=pd.Index(labels, name="excel_row"), dtype=object)
            )

            used.update(fields_.values())
        if frames:
            ledger.household_members = pd.concat(frames)
            ledger.household_members_source = "本行的" + "、".join(f"“{r}”" for r in groups) + "列"
            if (
                "household_head_id" not in ledger.data.columns
                and "household_id" not in ledger.data.columns
            ):
                ledger.data["household_head_id"] = ledger.data["id_number"]
                ledger.sources["household_head_id"] = "申请人本人（与同一行的家庭成员列成户）"
    ledger.unknown_columns = [(c, h) for c, h in ledger.unknown_columns if c not in used]


def _header_of(ledger: Ledger, letter: str) -> str:
    pos = column_index(letter) - 1
    return ledger.raw_headers[pos] if pos < len(ledger.raw_headers) else ""


def _unknown_column(ledger: Ledger, pos: int) -> np.ndarray:
    """All values of an unrecognised column for the ledger's rows (read again: only a
    sample was kept while streaming)."""
    rows = read_sheet_rows(ledger.path, ledger.sheet_name) or []
    out = np.full(len(ledger.data), None, dtype=object)
    for i, r in enumerate(ledger.data.index.tolist()):
        if r - 1 < len(rows) and pos < len(rows[r - 1]) and not _is_blank(rows[r - 1][pos]):
            out[i] = rows[r - 1][pos]
    return out


_TITLE_END = re.compile(r"(台帐|台账|名册|信息表|登记表|档案表|统计表|明细表|汇总表|一览表)$")
_ORG = re.compile(r"(机构名称|填报单位|单位名称|填表单位|所属机构)\s*[：:]\s*(?P<org>\S+)")
_STREET = re.compile(r"(?P<street>[^省市区县旗：:\s]{1,12}?(?:街道办事处|街道|镇|乡))")
_COMMUNITY = re.compile(
    r"(?P<community>[^省市区县旗镇乡道：:\s]{1,12}?(?:社区居委会|社区|村委会|村))"
)


_LABEL_VALUE = re.compile(r"(?P<label>[^：:\s]{1,12})\s*[：:]\s*(?P<value>[^：:\s]+?)(?=\s|$)")


def _labelled_places(text: str, want: list[str]) -> dict[str, str]:
    """“社区：南华社区  街道：新城街道” (the line under a title): each label that names
    a wanted field (街道, 社区 and their synonyms) with the value after it."""
    out: dict[str, str] = {}
    for m in _LABEL_VALUE.finditer(text):
        name = match_header(m.group("label"))
        value = m.group("value").strip("_＿ ")
        if name in want and value and name not in out:
            out[name] = value
    return out


def _place_from_title(ledger: Ledger, title: list[list[Any]]) -> None:
    """街道 and 社区 from a title or 机构名称 row when the ledger has no such columns."""
    want = [n for n in ("street", "community") if n not in ledger.data.columns]
    if not want or not title:
        return
    for row in title:
        for v in row:
            if not isinstance(v, str) or not v.strip():
                continue
            text = v.strip()
            labelled = _labelled_places(text, want)
            for name, value in labelled.items():
                if name not in ledger.data.columns:
                    ledger.data[name] = value
                    ledger.sources[name] = f"表头上方“{text}”"
            if labelled:
                continue
            m = _ORG.search(text)
            org = m.group("org") if m else None
            if org is None and not _TITLE_END.search(text):
                continue
            org = org or text
            org = re.sub(r"^.*?[省市](?=.)", "", org)
            org = re.sub(r"^.*?[区县旗](?=.)", "", org)
            found = {}
            st = _STREET.search(org)
            if st:
                found["street"] = st.group("street")
                rest = org[st.end() :]
            else:
                rest = org
            cm = _COMMUNITY.search(rest)
            if cm:
                found["community"] = cm.group("community")
            for name in want:
                if name in found and name not in ledger.data.columns:
                    ledger.data[name] = found[name]
                    ledger.sources[name] = f"标题行“{text}”"


def _id_key(v: Any) -> str:
    return re.sub(r"[\s\u3000]", "", _text(v)).upper()


def _join_sheet(
    ledger: Ledger, wb: pc.CalamineWorkbook, name: str, guess: _HeaderGuess, fm: FM.FieldMap
) -> _Rows | None:
    """Fields the person sheet lacks, from another sheet of the workbook, by ID number.

    Returns the other sheet's rows when it was read (None when it was not needed)."""
    family = _is_family_sheet(guess)
    new = [
        (pos, f)
        for pos, f in sorted(guess.hmap.columns.items())
        if f not in ledger.data.columns and f not in ("name", "id_number")
    ]
    if "id_number" not in ledger.data.columns or not (new or family):
        return None
    shared = set(guess.hmap.columns.values()) & set(ledger.data.columns) - {"name", "id_number"}
    if not family and "name" in guess.hmap.fields and len(shared) >= max(3, len(new)):
        return None  # another ledger of the same people (last year's sheet, a copy)
    found, _ = _open_sheet(wb, ledger.path, name)
    rows = _iter_sheet_rows(found, ledger.path)
    head = list(itertools.islice(rows, HEADER_SCAN_ROWS))
    other = _collect(head, rows, guess, fm.aliases or None)
    del found, rows, head
    ids = other.columns.get("id_number")
    if ids is None or not new:
        return other
    position: dict[str, int] = {}
    for i, v in enumerate(ids.tolist()):
        key = _id_key(v)
        if key and key not in position:
            position[key] = i  # the first row of a person wins
    take = np.array(
        [position.get(_id_key(v), -1) for v in ledger.data["id_number"].tolist()], dtype=np.int64
    )
    if not (take >= 0).any():
        return other
    for pos, f in new:
        values = other.columns[f]
        out = np.full(len(take), None, dtype=object)
        hit = take >= 0
        out[hit] = values[take[hit]]
        ledger.data[f] = out
        ledger.sources[f] = (
            f"工作表“{name}”{column_letter(pos + 1)}列“{guess.texts[pos]}”（按身份证号码合并）"
        )
    return other


def _is_family_sheet(guess: _HeaderGuess) -> bool:
    """A family-members sheet (家属信息, 家庭成员信息): each row a member with their own
    ID number and the ID number of the household's head (户主公民身份号码)."""
    have = guess.hmap.fields
    return "household_head_id" in have and "id_number" in have


def _household_members(ledger: Ledger, sheet: str, other: _Rows) -> None:
    """The rows of a family-members sheet that are not persons of the ledger.

    Issue 8 §4: “a family-members sheet keyed by the head's ID forms households”.
    A member listed only there (a spouse in work, a child at school) still decides
    the household tests (SX-2008 一(二), JS-2002 二(一), AH-2011 零就业家庭成员), so
    the rows are kept as :attr:`Ledger.household_members` with their canonical raw
    columns.  Rows of people the ledger itself holds (by ID number) and rows without
    a head's ID number are left out; of a member listed twice, the first row counts.
    """
    heads = other.columns.get("household_head_id")
    ids = other.columns.get("id_number")
    if heads is None or ids is None or not other.excel_rows:
        return
    in_ledger = {_id_key(v) for v in ledger.data["id_number"].tolist()} - {""}
    keep = []
    seen: set[str] = set()
    for i, (head, own) in enumerate(zip(heads.tolist(), ids.tolist(), strict=True)):
        key = _id_key(own)
        if not _id_key(head) or key in in_ledger or (key and key in seen):
            continue
        if key:
            seen.add(key)
        keep.append(i)
    if not keep:
        return
    take = np.asarray(keep, dtype=np.int64)
    index = pd.Index(np.asarray(other.excel_rows, dtype=np.int64)[take], name="excel_row")
    ledger.household_members = pd.DataFrame(
        {f: values[take] for f, values in other.columns.items()}, index=index, dtype=object
    )
    ledger.household_members_source = f"工作表“{sheet}”"


# --------------------------------------------------------------------------- small sheets


def read_sheet_rows(path: str | os.PathLike[str], sheet_name: str) -> list[list[Any]] | None:
    """All rows of a sheet from A1 (``""`` for empty cells), or None if it does not exist."""
    p = _source(path)
    wb = _open(p)
    try:
        if sheet_name not in _worksheet_names(wb):
            return None
        rows, _ = _sheet_rows(wb, p, sheet_name)
        return rows
    finally:
        wb.close()


def _table(
    path: str, sheet_name: str, rows: list[list[Any]]
) -> tuple[int, list[str], list[tuple[int, list[Any]]]]:
    """Header row index (first non-empty row), header texts, and (excel_row, row) data."""
    for i, row in enumerate(rows):
        if any(not _is_blank(v) for v in row):
            headers = [_text(v) for v in row]
            data = [
                (j + 1, r)
                for j, r in enumerate(rows[i + 1 :], start=i + 1)
                if any(not _is_blank(v) for v in r)
            ]
            return i, headers, data
    return -1, [], []


_PARAM_KEYS = {
    "name": ("参数名称", "名称", "参数", "参数名"),
    "value": ("参数值", "数值", "值", "取值", "标准"),
    "effective_from": ("生效日期", "起始日期", "执行日期", "开始日期", "生效时间"),
    "source": ("依据", "来源", "文件依据", "政策依据", "出处"),
    "policy": ("政策", "政策代码", "适用政策"),
}


def read_parameter_sheet(path: str | os.PathLike[str], sheet_name: str = "参数") -> list[dict]:
    """Rows of the parameter sheet as dicts name/value/effective_from/source/policy.

    Returns ``[]`` if the sheet does not exist.  Values are raw; rows without
    a name are skipped.  Each dict also carries ``row`` (its Excel row) and ``cells``
    ({key: "B5"}, where each value sits).
    """
    p = _source(path)
    rows = read_sheet_rows(p, sheet_name)
    if rows is None:
        return []
    hi, headers, data = _table(p, sheet_name, rows)
    if hi < 0:
        return []
    norm = [normalise_header(h) for h in headers]
    pos: dict[str, int] = {}
    for key, names in _PARAM_KEYS.items():
        for cand in names:
            c = normalise_header(cand)
            if c in norm:
                pos[key] = norm.index(c)
                break
    for key in ("name", "value"):
        if key not in pos:
            raise InputError(
                f"{msg.where(p, sheet_name, row=hi + 1)}：未找到表头“{_PARAM_KEYS[key][0]}”"
                f"（参数表应有“参数名称”“参数值”“生效日期”“依据”列）"
            )
    out = []
    for excel_row, r in data:
        name = r[pos["name"]]
        if _is_blank(name):
            continue
        item: dict[str, Any] = {"row": excel_row}
        item["cells"] = {k: f"{column_letter(c + 1)}{excel_row}" for k, c in pos.items()}
        for key in _PARAM_KEYS:
            if key in pos:
                v = r[pos[key]]
                item[key] = None if _is_blank(v) else (v.strip() if isinstance(v, str) else v)
            else:
                item[key] = None
        out.append(item)
    return out


def read_targets_sheet(path: str | os.PathLike[str], sheet_name: str = "目标") -> list[dict]:
    """Rows of a simple table sheet as dicts keyed by header text (``[]`` if absent).

    Empty cells become ``None``; each dict also carries ``"_row"`` (Excel row).
    """
    p = _source(path)
    rows = read_sheet_rows(p, sheet_name)
    if rows is None:
        return []
    hi, headers, data = _table(p, sheet_name, rows)
    out = []
    for excel_row, r in data:
        item: dict[str, Any] = {}
        for h, v in zip(headers, r, strict=False):
            if h:
                item[h] = None if _is_blank(v) else v
        item["_row"] = excel_row
        out.append(item)
    return out


# --------------------------------------------------------------------------- in-memory workbooks


def _source(path: Any) -> Any:
    """A :class:`WorkbookValues` as it is, any other path as a string."""
    return path if isinstance(path, WorkbookValues) else os.fspath(path)


@dataclass
class _SheetMeta:
    name: str
    typ: str = "WorkSheet"


class _ValuesSheet:
    """One sheet of a :class:`WorkbookValues` with the calamine sheet interface used above."""

    def __init__(self, name: str, rows: list[list[Any]], merges: list) -> None:
        self.name = name
        self._rows = rows
        self.merged_cell_ranges = merges
        self.start = (0, 0) if rows else None

    def to_python(self, skip_empty_area: bool = False) -> list[list[Any]]:
        return [list(r) for r in self._rows]

    def iter_rows(self) -> Iterator[list[Any]]:
        for row in self._rows:
            yield list(row)


@dataclass
class WorkbookValues:
    """An open workbook's sheets as values, read like a file by every reader here.

    The xlwings one-click scripts (:mod:`xl_addin.scripts`) hand the values of
    the workbook open in Excel to the same readers and jobs as ``jyyz``, so a
    button and the command line read a ledger the same way.  ``sheets`` maps
    each sheet name (workbook order) to its rows from A1; ``merges`` optionally
    gives a sheet's merged ranges as ``((row0, col0), (row1, col1))``, 0-based.
    Empty cells may be ``None`` or ``""``; rows are padded to one width, as
    calamine gives them.
    """

    name: str
    sheets: dict[str, list[list[Any]]]
    merges: dict[str, list] = field(default_factory=dict)

    def __post_init__(self) -> None:
        tidy: dict[str, list[list[Any]]] = {}
        for sheet, rows in self.sheets.items():
            rows = [["" if v is None else v for v in (r or [])] for r in (rows or [])]
            width = max((len(r) for r in rows), default=0)
            tidy[sheet] = [r + [""] * (width - len(r)) for r in rows]
        self.sheets = tidy

    def __fspath__(self) -> str:  # the file name messages show
        return self.name

    # -- the calamine workbook interface used by the readers above ----------
    @property
    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    @property
    def sheets_metadata(self) -> list[_SheetMeta]:
        return [_SheetMeta(n) for n in self.sheets]

    def get_sheet_by_name(self, name: str) -> _ValuesSheet:
        return _ValuesSheet(name, self.sheets[name], list(self.merges.get(name, ())))

    def close(self) -> None:
        pass
