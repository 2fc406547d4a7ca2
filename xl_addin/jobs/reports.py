"""The report dataclasses each job returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from calc import fields
from xl_addin.jobs.common import (
    ERROR,
)

# --------------------------------------------------------------------------- reports


@dataclass
class Problem:
    """One problem of the ledger, at a cell when known."""

    message: str  # Chinese, without the cell: "身份证号码第18位应为X"
    cell: str = ""  # "C15"
    row: int | None = None  # Excel row
    field: str | None = None  # canonical field
    level: str = ERROR  # 错误 / 提示
    #: 1-based ledger column of ``cell`` (with ``row``, where the problem is; ``cell``
    #: is only its display form)
    column: int | None = None

    @property
    def header(self) -> str:
        return fields.header_of(self.field) if self.field in fields.FIELDS else ""

    def text(self) -> str:
        return f"{self.cell}：{self.message}" if self.cell else self.message


@dataclass
class Summary:
    """Counts for the end-of-run table."""

    people: int = 0
    eligible: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)  # eligible people per category
    rows_with_problems: int = 0
    problems: int = 0
    #: 待核实 people per cause: "缺少列“失业登记日期”" -> 30 (see calc.missing.count_causes).
    uncertain_causes: dict[str, int] = field(default_factory=dict)


@dataclass
class FillReport:
    input: Path
    output: Path
    policy: str
    policy_source: str  # "命令行" / "工作簿参数表"
    as_of: dt.date
    sheet: str
    header_row: int
    first_row: int
    last_row: int
    columns_text: str  # recognised / unrecognised columns
    written: dict[str, str]  # header -> column letter
    formulas: bool
    summary: Summary
    problems: list[Problem]
    backup: Path | None = None
    seconds: float = 0.0
    #: Parameters of the policy the 参数 sheet does not set: their example defaults were used.
    example_parameters: list[str] = field(default_factory=list)


@dataclass
class CheckReport:
    input: Path
    sheet: str
    people: int
    columns_text: str
    errors: list[Problem]
    notices: list[Problem]
    output: Path | None = None
    marked: bool = False
    write_error: str = ""
    backup: Path | None = None  # an earlier file at ``output``, kept before replacing it
    #: Rows of the pre-filled 字段对照 sheet written with the check result (header row incl.).
    field_map_rows: list[list[Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class DocsReport:
    kind: str
    out_dir: Path
    files: list[Path]
    people: int
    merged: Path | None = None
    register: Path | None = None
    pdfs: list[Path] = field(default_factory=list)
    note: str = ""
    # documents: who got no paper and why, what the clerk must know
    skipped: list = field(default_factory=list)  # doc_templates.batches.Skipped
    not_made: Path | None = None
    warnings: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: int = 0
    font_notes: list[str] = field(default_factory=list)  # which fonts the PDFs print in


@dataclass
class DemoReport:
    out_dir: Path
    fills: list[FillReport]
    docs: list[DocsReport]
    check: CheckReport | None = None
    seconds: float = 0.0

    @property
    def documents(self) -> int:
        return sum(len(d.files) for d in self.docs)
