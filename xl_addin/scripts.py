"""One-click scripts (一键脚本) on the open ledger workbook.

- ``jy_fill_columns``: 填写计算列 — assess the ledger and write the result
  columns (认定类别 … 数据问题) to the right of the ledger (or into existing
  columns with those headers);
- ``jy_check_ledger``: 检查台账 — mark each bad ID number, bad date and missing
  required field with a note (a threaded comment where notes are unavailable)
  and a red fill, and write the sheet 检查结果;
- ``jy_make_agreements`` / ``jy_make_notice`` / ``jy_make_letters``: generate
  the assistance agreements for the selected rows, the public notice for the
  selected rows (all eligible rows when nothing in the ledger is selected) and
  the target responsibility letters; the documents are written by
  ``doc_templates`` into the output folder, and the paths are listed on the
  sheet 运行结果.

Hosts: the decorators are those of :mod:`xl_addin.functions` (``xw.script``
resolved for classic xlwings, xlwings Lite or xlwings Server).  In Lite and
Server the workbook arrives as the ``book`` argument; in classic xlwings the
script runs as a VBA macro and ``book`` is ``xw.Book.caller()``.

Workbook conventions (docs/excel-addin.md): the ledger is the sheet 台账 (else
the active sheet) with its header row among the first 10 rows; an optional
sheet 设置 holds two-column settings (政策代码, 认定基准日期, 输出目录); an
optional sheet 参数 holds the parameter rows (名称, 数值, 生效日期, 依据[, 政策]).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import xlwings as xw

from calc import assess as A
from calc import dates as D
from calc import fields as F
from calc import identity as ID
from calc.errors import InputError
from calc.policies import get_policy
from xl_addin import field_map as FM
from xl_addin import ledger_read as LR
from xl_addin.excel_values import as_text, is_blank, strip_blank_rows
from xl_addin.functions import ASSESS_COLUMNS, _param_table, script

LEDGER_SHEET = "台账"
SETTINGS_SHEET = "设置"
PARAMS_SHEET = "参数"
CHECK_SHEET = "检查结果"
RESULT_SHEET = "运行结果"
BAD_FILL = "#FFC7CE"  # Excel's light red "bad" fill
REQUIRED = ("name", "id_number", "household_registration", "employment_status")
MAX_NOTES = 5000  # beyond this only the summary sheet lists the problems

DOCUMENTS_MODULE = "doc_templates.from_assessment"


# ---------------------------------------------------------------------------
# reading the workbook


def _col_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _sheet(book, name: str):
    for sheet in book.sheets:
        if sheet.name == name:
            return sheet
    return None


def _values(sheet) -> tuple[list[list[Any]], int, int]:
    """All used values as rows, with the 1-based row and column of the first cell."""
    used = sheet.used_range
    values = used.options(ndim=2).value
    return [list(r) for r in values], used.row, used.column


@dataclass
class Ledger:
    sheet: Any
    header_row: int  # 1-based sheet row of the header
    first_col: int  # 1-based sheet column of the first used column
    headers: list[Any]
    rows: list[list[Any]]  # data rows below the header (blank rows included)
    settings: dict[str, Any] = field(default_factory=dict)
    param_rows: list[list[Any]] | None = None

    @property
    def policy(self) -> str:
        code = as_text(self.settings.get("政策代码"))
        if not code:
            raise InputError(
                "未设置政策代码：请在“设置”工作表A列填“政策代码”、B列填 SX-2008 等代码"
            )
        return get_policy(code).code

    @property
    def as_of(self) -> dt.date:
        value = self.settings.get("认定基准日期")
        if is_blank(value):
            return dt.date.today()
        return D.to_date(value)

    def sheet_row(self, k: int) -> int:
        """Sheet row number of data row ``k`` (0-based)."""
        return self.header_row + 1 + k

    def cell(self, k: int, pos: int) -> str:
        return f"{_col_letter(self.first_col + pos)}{self.sheet_row(k)}"


def read_ledger(book) -> Ledger:
    sheet = _sheet(book, LEDGER_SHEET) or book.sheets.active
    values, row0, col0 = _values(sheet)
    # One header/footer detector for the command line and the buttons (issue 12 §4),
    # with the clerk's 字段对照 sheet if the workbook has one.
    mapping = _sheet(book, FM.SHEET)
    aliases = FM.parse_field_map(_values(mapping)[0], FM.SHEET).aliases if mapping else {}
    layout = LR.find_table(values, aliases=aliases or None)
    header_at = None if layout is None else layout.header_index
    if header_at is None:
        raise InputError(
            f"工作表“{sheet.name}”前10行中找不到台账表头（如“姓名”“公民身份号码”所在的行）"
        )
    settings: dict[str, Any] = {}
    s = _sheet(book, SETTINGS_SHEET)
    if s is not None:
        for row in _values(s)[0]:
            if len(row) >= 2 and as_text(row[0]):
                settings[as_text(row[0])] = row[1]
    p = _sheet(book, PARAMS_SHEET)
    param_rows = _values(p)[0] if p is not None else None
    # Footer, note and sub-header rows are blanked: every script skips blank rows.
    rows = [
        row if i in layout.person_rows else [None] * len(row)
        for i, row in enumerate(values[header_at + 1 :], start=header_at + 1)
    ]
    headers = [_standard_header(h, aliases) for h in layout.headers]
    return Ledger(sheet, row0 + header_at, col0, headers, rows, settings, param_rows)


def _standard_header(header: str, aliases: dict[str, str]) -> str:
    """A header the 字段对照 sheet maps, as its standard header (what the engine reads)."""
    if not aliases:
        return header
    name = F.match_header(header, aliases)
    if name == "":
        return ""  # 不使用
    return F.header_of(name) if name and F.match_header(header) != name else header


def _selected_rows(book, ledger: Ledger) -> list[int]:
    """0-based data rows covered by the selection on the ledger sheet."""
    try:
        sel = book.selection
    except Exception:  # noqa: BLE001 - no selection info (e.g. a shape is selected)
        return []
    if sel is None or sel.sheet.name != ledger.sheet.name:
        return []
    first, count = sel.row, sel.shape[0]
    out = []
    for r in range(first, first + count):
        k = r - ledger.header_row - 1
        if 0 <= k < len(ledger.rows) and any(not is_blank(v) for v in ledger.rows[k]):
            out.append(k)
    return out


def _assess(ledger: Ledger, rows: list[int] | None = None) -> A.LedgerRun:
    data = ledger.rows if rows is None else [ledger.rows[k] for k in rows]
    frame, _ = F.frame_from_table(ledger.headers, data)
    params = _param_table(ledger.param_rows) if ledger.param_rows else None
    return A.run_ledger(ledger.policy, frame, ledger.as_of, params)


# ---------------------------------------------------------------------------
# writing back


def _result_sheet(book, name: str):
    sheet = _sheet(book, name)
    if sheet is not None:
        sheet.clear_contents()
        return sheet
    return book.sheets.add(name=name, after=book.sheets[len(book.sheets) - 1])


def _report(book, title: str, lines: list[list[Any]]) -> None:
    sheet = _result_sheet(book, RESULT_SHEET)
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    block = [[title, stamp], *lines]
    width = max(len(r) for r in block)
    sheet["A1"].value = [r + [""] * (width - len(r)) for r in block]


def _fail(book, title: str, err: Exception) -> None:
    message = err.describe() if isinstance(err, InputError) else f"内部错误（{err}）"
    _report(book, title, [["错误：" + message]])


def _book(book):
    return book if book is not None else xw.Book.caller()


def _output_dir(book, ledger: Ledger) -> Path:
    configured = as_text(ledger.settings.get("输出目录")) or os.environ.get("JYYZ_OUTPUT_DIR", "")
    if configured:
        path = Path(configured)
    else:
        full = Path(getattr(book, "fullname", "") or "")
        base = full.parent if full.is_absolute() else Path.cwd()
        path = base / "就业援助文书"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _reveal(path: Path) -> None:
    """Open the folder in Explorer (classic xlwings on the clerk's own PC only)."""
    if sys.platform.startswith("win") and os.environ.get("XLWINGS_ON_SERVER") != "true":
        try:
            os.startfile(path)  # type: ignore[attr-defined]  # noqa: S606
        except OSError:
            pass


# ---------------------------------------------------------------------------
# scripts


def fill_columns(book) -> int:
    """Write the result columns; returns the number of ledger rows assessed."""
    ledger = read_ledger(book)
    data, keep = strip_blank_rows(ledger.rows)
    frame, _ = F.frame_from_table(ledger.headers, data)
    params = _param_table(ledger.param_rows) if ledger.param_rows else None
    res = A.run_ledger(ledger.policy, frame, ledger.as_of, params).results
    titles = [A.RESULT_HEADERS[c] for c in ASSESS_COLUMNS]
    existing = {as_text(h): i for i, h in enumerate(ledger.headers)}
    next_free = len(ledger.headers)
    for name, title in zip(ASSESS_COLUMNS, titles, strict=True):
        if title in existing:
            pos = existing[title]
        else:
            pos, next_free = next_free, next_free + 1
        values = res[name].tolist()
        if name == "period_end":
            values = ["" if pd.isna(v) else pd.Timestamp(v).date() for v in values]
        elif name == "eligible":
            values = ["是" if v else "否" for v in values]
        it = iter(values)
        column = [[title]] + [[next(it) if k else ""] for k in keep]
        ledger.sheet.range((ledger.header_row, ledger.first_col + pos)).value = column
    return int(keep.sum())


def check_ledger(book) -> list[list[Any]]:
    """Mark the problems; returns the rows of the summary sheet (without its header)."""
    ledger = read_ledger(book)
    hmap = F.map_headers(ledger.headers)
    fields = hmap.fields  # name -> position
    problems: list[tuple[int, int, str, str]] = []  # data row, position, header, text
    nonblank = [k for k, r in enumerate(ledger.rows) if any(not is_blank(v) for v in r)]

    def column(pos: int) -> pd.Series:
        return pd.Series(
            [ledger.rows[k][pos] if pos < len(ledger.rows[k]) else None for k in nonblank],
            dtype=object,
        )

    for name in REQUIRED:
        if name not in fields:
            continue
        pos = fields[name]
        for k, v in zip(nonblank, column(pos), strict=True):
            if is_blank(v):
                problems.append((k, pos, F.header_of(name), f"缺少必填项“{F.header_of(name)}”"))
    if "id_number" in fields:
        pos = fields["id_number"]
        values = column(pos)
        parsed = ID.parse_ids(values)
        for k, v, p in zip(nonblank, values, parsed["problem"], strict=True):
            if p and not is_blank(v):
                problems.append((k, pos, as_text(ledger.headers[pos]), p))
    for name, pos in fields.items():
        if F.FIELDS[name].kind != F.DATE:
            continue
        values = column(pos)
        _, probs = D.parse_dates(values)
        for k, v, p in zip(nonblank, values, probs, strict=True):
            if p and not is_blank(v):
                problems.append((k, pos, as_text(ledger.headers[pos]), p))
    problems.sort(key=lambda x: (x[0], x[1]))

    notes_ok = True
    for n, (k, pos, header, text) in enumerate(problems):
        cell = ledger.sheet[ledger.cell(k, pos)]
        try:
            cell.color = BAD_FILL
        except Exception:  # noqa: BLE001 - colouring is a courtesy
            pass
        if n >= MAX_NOTES:
            continue
        notes_ok = _annotate(cell, f"{header}：{text}", notes_ok)

    missing = [F.header_of(n) for n in REQUIRED if n not in fields]
    summary = [
        [ledger.sheet_row(k), ledger.cell(k, pos), header, text]
        for k, pos, header, text in problems
    ]
    sheet = _result_sheet(book, CHECK_SHEET)
    head = [
        [f"检查“{ledger.sheet.name}”共{len(nonblank)}行，发现{len(problems)}处问题", "", "", ""],
        ["台账缺少必填列：" + "、".join(missing) if missing else "", "", "", ""],
        ["行号", "单元格", "字段", "问题"],
    ]
    sheet["A1"].value = head + summary
    return summary


def _annotate(cell, text: str, notes_ok: bool) -> bool:
    """A note on the cell (a threaded comment where notes are not available)."""
    if notes_ok:
        try:
            cell.add_note(text)
            return True
        except Exception:  # noqa: BLE001 - older Excel: fall back to comments
            pass
    try:
        cell.add_comment(text)
    except Exception:  # noqa: BLE001
        pass
    return False


def _documents():
    try:
        from_assessment = importlib.import_module(DOCUMENTS_MODULE)
        render = importlib.import_module("doc_templates.render")
    except ImportError:
        raise InputError(
            "文书生成模块（doc_templates.from_assessment）尚未安装，无法生成文书"
        ) from None
    return from_assessment, render


def selection_for_documents(book, *, all_eligible_if_none: bool) -> tuple[Ledger, list[int]]:
    """The ledger and the 0-based data rows the documents are for."""
    ledger = read_ledger(book)
    rows = _selected_rows(book, ledger)
    if not rows:
        if not all_eligible_if_none:
            raise InputError("请先在台账中选中要生成文书的人员所在行（可多选连续行）")
        rows = [k for k, r in enumerate(ledger.rows) if any(not is_blank(v) for v in r)]
    if not rows:
        raise InputError("台账中没有数据行")
    return ledger, rows


def with_households(ledger: Ledger, rows: list[int]) -> list[int]:
    """``rows`` followed by the other members of their households (same 家庭编号),
    so that household tests (zero-employment …) see the whole household."""
    pos = F.map_headers(ledger.headers).fields.get("household_id")
    if pos is None:
        return list(rows)

    def key(k: int) -> str:
        r = ledger.rows[k]
        return as_text(r[pos]) if pos < len(r) else ""

    wanted = {key(k) for k in rows} - {""}
    chosen = set(rows)
    extra = [k for k in range(len(ledger.rows)) if k not in chosen and key(k) in wanted]
    return list(rows) + extra


def _generate(book, kind: str, *, all_eligible_if_none: bool) -> list[Path]:
    ledger, rows = selection_for_documents(book, all_eligible_if_none=all_eligible_if_none)
    docs, render = _documents()
    out_dir = _output_dir(book, ledger)
    day = ledger.as_of
    if kind == "letters":
        run = _assess(
            ledger, [k for k, r in enumerate(ledger.rows) if any(not is_blank(v) for v in r)]
        )
        office = docs.office_from_params(run.pack, day, run.context.table)
        contexts = docs.letters_from_run(run, issuer=office, year=day.year)
        paths = render.write_letters(contexts, out_dir)
    else:
        members = with_households(ledger, rows)
        run = _assess(ledger, members)
        selected = len(rows)  # the selected rows come first in the run
        if kind == "agreements":
            office = docs.office_from_params(run.pack, day, run.context.table)
            ids = set(run.persons.frame["id_number"].iloc[:selected].dropna())
            contexts = [
                c
                for c in docs.agreements_from_run(run, party_a=office, start=day)
                if c.person.id_number in ids
            ]
            if not contexts:
                raise InputError("选中的人员中没有认定结论为“符合”的，未生成协议书")
            paths = render.write_agreements(contexts, out_dir)
        else:
            ctx = docs.notice_from_run(run, start=day)
            status = run.results["status"].to_numpy()
            listed = [i for i in range(len(status)) if status[i] == "符合"]
            keep = [row for row, i in zip(ctx.rows, listed, strict=True) if i < selected]
            if not keep:
                raise InputError("选中的人员中没有认定结论为“符合”的，未生成公示")
            paths = [render.write_notice(dataclasses.replace(ctx, rows=keep), out_dir)]
    paths = [Path(p) for p in paths]
    _reveal(out_dir)
    return paths


def _document_script(book, kind: str, title: str, *, all_eligible_if_none: bool) -> None:
    try:
        paths = _generate(book, kind, all_eligible_if_none=all_eligible_if_none)
    except Exception as err:  # noqa: BLE001 - report in the workbook, never a traceback
        _fail(book, title, err)
        return
    _report(book, f"{title}：已生成{len(paths)}个文件", [[str(p)] for p in paths])


@script
def jy_fill_columns(book: xw.Book = None):
    """填写计算列：对台账逐行认定，在右侧写入认定类别、认定结论、可享受政策、补贴期限、时限提醒、认定依据和数据问题。"""
    book = _book(book)
    try:
        n = fill_columns(book)
    except Exception as err:  # noqa: BLE001
        _fail(book, "填写计算列", err)
        return
    _report(book, f"填写计算列：已认定{n}行", [])


@script
def jy_check_ledger(book: xw.Book = None):
    """检查台账：标出错误的身份证号码、日期和缺少的必填项（批注并标红），并写入“检查结果”工作表。"""
    book = _book(book)
    try:
        check_ledger(book)
    except Exception as err:  # noqa: BLE001
        _fail(book, "检查台账", err)


@script
def jy_make_agreements(book: xw.Book = None):
    """为选中行的人员生成《接受就业援助协议书》（每人一份），文件路径列在“运行结果”工作表。"""
    book = _book(book)
    _document_script(book, "agreements", "生成协议书", all_eligible_if_none=False)


@script
def jy_make_notice(book: xw.Book = None):
    """为选中行（未选中台账行时为全部符合条件的人员）生成公示，身份证号码等个人信息按规定隐去。"""
    book = _book(book)
    _document_script(book, "notice", "生成公示", all_eligible_if_none=True)


@script
def jy_make_letters(book: xw.Book = None):
    """按台账中的接收单位生成《就业援助工作目标责任书》，文件路径列在“运行结果”工作表。"""
    book = _book(book)
    _document_script(book, "letters", "生成目标责任书", all_eligible_if_none=True)


__all__ = [
    "check_ledger",
    "fill_columns",
    "jy_check_ledger",
    "jy_fill_columns",
    "jy_make_agreements",
    "jy_make_letters",
    "jy_make_notice",
    "read_ledger",
    "selection_for_documents",
]
