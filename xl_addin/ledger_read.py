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
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

try:
    import python_calamine as pc
except ImportError:  # xlwings Lite before Pyodide 0.29: only in-memory workbooks are read
    pc = None

from calc.errors import InputError
from calc.fields import FIELDS, HeaderMap, map_headers, match_header, normalise_header
from calc.memory import release_memory

from . import messages as msg
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
    "填表",
    "制表",
    "审核",
    "备注",
    "说明",
    "注：",
    "注:",
    "负责人",
)
_COLUMN_NUMBER = re.compile(r"^[（(]?\d{1,3}[）)]?$")


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


def _combine(upper: Sequence[Any], lower: Sequence[Any]) -> list[str]:
    texts = []
    for up, lo in zip(upper, lower, strict=True):
        u, lw = _text(up), _text(lo)
        if lw and match_header(lw):
            texts.append(lw)
        elif u and match_header(u):
            texts.append(u)
        elif u and lw and u != lw:
            if match_header(u + lw):
                texts.append(u + lw)
            elif match_header(lw + u):
                texts.append(lw + u)
            else:
                texts.append(f"{u}{lw}")
        else:
            texts.append(lw or u)
    return texts


def _guess_header(rows: list[list[Any]], merges: list) -> _HeaderGuess | None:
    n = min(len(rows), HEADER_SCAN_ROWS)
    if n == 0:
        return None
    width = len(rows[0])
    candidates: list[_HeaderGuess] = []
    for i in range(n):
        texts = [_text(v) for v in rows[i]]
        hmap = map_headers(texts)
        candidates.append(_HeaderGuess(len(hmap.columns), (i,), texts, hmap))
    for i in range(n - 1):
        if i + 1 >= len(rows) or not _looks_like_header_row(rows[i + 1]):
            continue
        if all(_is_blank(v) for v in rows[i]) or all(_is_blank(v) for v in rows[i + 1]):
            continue
        grid = _fill_merges({i: rows[i], i + 1: rows[i + 1]}, merges, i, width)
        texts = _combine(grid[i], grid[i + 1])
        hmap = map_headers(texts)
        candidates.append(_HeaderGuess(len(hmap.columns), (i, i + 1), texts, hmap))
    # Most fields first; on a tie the single row, then the earlier one.
    best = max(candidates, key=lambda g: (g.score, -len(g.rows), -g.rows[0]))
    if best.score == 0:
        return None
    return best


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

    # -- lookups ------------------------------------------------------------
    def missing(self, required: Iterable[str]) -> list[str]:
        """Canonical fields of ``required`` that have no column."""
        return [name for name in required if name not in self.columns]

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
        if self.duplicates:
            text += "；重复（已忽略）：" + "、".join(
                f"{h}({letter})" for letter, h in self.duplicates
            )
        return text


def _is_stop_row(row: Sequence[Any], width: int, key_cols: Sequence[int]) -> bool:
    first = None
    for c in range(min(2, width)):
        if not _is_blank(row[c]):
            first = c
            break
    if first is None:
        return False
    v = row[first]
    if not isinstance(v, str):
        return False
    s = v.strip().replace(" ", "").replace("\u3000", "")
    if not s.startswith(_STOP_WORDS):
        return False
    # A person row always has a name or an ID; a footer has neither, only labels
    # such as “审核人：孙丽” (a real name or ID never starts with a stop word or has a colon).
    return all(c == first or _is_blank(row[c]) or _is_label(row[c]) for c in key_cols)


def _is_label(v: Any) -> bool:
    if not isinstance(v, str):
        return False
    s = v.strip().replace(" ", "").replace("\u3000", "")
    return s.startswith(_STOP_WORDS) or "：" in s or ":" in s


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


def _collect(head: list[list[Any]], rest: Iterable[list[Any]], guess: _HeaderGuess) -> _Rows:
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
        if _is_stop_row(row, width, key_cols):
            footer = True
            skipped.append(idx + 1)
            continue
        if footer and not _looks_like_person(row, id_col):
            # Below a footer only rows that clearly hold a person are data.
            skipped.append(idx + 1)
            continue
        excel_rows.append(idx + 1)
        kept.append(row)
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
    return _Rows(width, excel_rows, columns_data, skipped, max_row)


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
    )


def _expected_headers() -> str:
    keys = ("name", "id_number", "sex", "birth_date", "phone", "address")
    return "、".join(f"“{FIELDS[k].header}”" for k in keys)


def read_ledger(path: str | os.PathLike[str], sheet: str | None = None) -> Ledger:
    """Read the ledger sheet of a workbook.

    ``sheet`` names the sheet; without it the first worksheet whose header
    maps at least :data:`MIN_FIELDS_AUTO` canonical fields is taken.
    """
    p = _source(path)
    wb = _open(p)
    try:
        all_names = list(wb.sheet_names)
        worksheets = _worksheet_names(wb)
        if sheet is not None:
            if sheet not in all_names:
                raise msg.unknown_sheet(p, sheet, all_names)
            if sheet not in worksheets:
                raise InputError(f"{msg.file_label(p)} 的“{sheet}”是图表工作表，不是台账")
            found, merges = _open_sheet(wb, p, sheet)
            rows = _iter_sheet_rows(found, p)
            head = list(itertools.islice(rows, HEADER_SCAN_ROWS))
            guess = _guess_header(head, merges)
            if guess is None or guess.score < MIN_FIELDS_NAMED:
                raise InputError(
                    f"{msg.where(p, sheet)}：前{HEADER_SCAN_ROWS}行中未找到台账表头。"
                    f"表头应包含{_expected_headers()}等列名（可用常见同义写法）"
                )
            data = _collect(head, rows, guess)
            del found, rows, head  # free calamine's copy of the sheet before the frame is made
            release_memory()
            return _make_ledger(p, sheet, all_names, data, guess)

        best: tuple[int, str] | None = None
        for name in worksheets:
            found, merges = _open_sheet(wb, p, name)
            rows = _iter_sheet_rows(found, p)
            head = list(itertools.islice(rows, HEADER_SCAN_ROWS))
            guess = _guess_header(head, merges)
            if guess is None:
                continue
            if guess.score >= MIN_FIELDS_AUTO:
                data = _collect(head, rows, guess)
                del found, rows, head  # free calamine's copy of the sheet before the frame
                release_memory()
                return _make_ledger(p, name, all_names, data, guess)
            if best is None or guess.score > best[0]:
                best = (guess.score, name)
            del found, rows, head
        hint = ""
        if best is not None and best[0] > 0:
            hint = f"（工作表“{best[1]}”只识别出 {best[0]} 列）"
        raise InputError(
            f"{msg.file_label(p)}：在各工作表（{msg.join_names(all_names)}）的前{HEADER_SCAN_ROWS}行中"
            f"都未找到台账表头{hint}。表头应包含{_expected_headers()}等列名"
            f"（至少 {MIN_FIELDS_AUTO} 列）；也可以指定工作表名称"
        )
    finally:
        wb.close()
        release_memory()


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
