"""The ledger read from a workbook, and the tests that tell data rows from the rest."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

try:
    import python_calamine as pc
except ImportError:  # pragma: no cover - xlwings Lite without calamine: only find_table is used
    pc = None

from calc.fields import (
    FIELDS,
    HeaderMap,
    match_header,
    normalise_header,
)
from xl_addin import field_map as xl_addin_field_map
from xl_addin import messages as msg
from xl_addin.ledger_read.header import _looks_like_header_row
from xl_addin.ledger_read.opening import (
    _COLUMN_NUMBER,
    _COUNT,
    _ID_LIKE,
    _NAME,
    _PAGER,
    _STOP_WORDS,
    _is_blank,
    _text,
)
from xl_addin.xlsxpatch import column_index, column_letter

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
    field_map: xl_addin_field_map.FieldMap = field(default_factory=xl_addin_field_map.FieldMap)
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
    def merge_anchor(self, row: int | None, column: int | None) -> str | None:
        """The top-left cell of the merged range covering the cell at ``row`` and
        ``column`` (1-based), None when no merge covers it: a comment on a covered
        cell of a merge is not shown by Excel, WPS or LibreOffice."""
        if row is None or column is None:
            return None
        for r0, c0, r1, c1 in self.merges:
            if r0 <= row <= r1 and c0 <= column <= c1:
                return f"{column_letter(c0)}{r0}"
        return None

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
