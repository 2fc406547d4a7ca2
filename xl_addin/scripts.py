"""One-click scripts (一键脚本) on the open ledger workbook: a thin adapter over ``jyyz``.

Every script reads the values of the open workbook into a
:class:`xl_addin.ledger_read.WorkbookValues` and hands it to the same readers
and jobs as the command line (:mod:`xl_addin.jobs`): the same header
detection (title rows, two-row headers, footers such as 合计), the same
checks, the same policy source (the 参数 sheet's 政策代码 row), the same
documents (the 目标 sheet, 下达单位).  Only the last step differs: results go
into the open workbook instead of a new file.

- ``jy_fill_columns`` 填写计算列 — :func:`jobs.assess_workbook` +
  :func:`jobs.result_columns` (``jyyz fill``): the result columns 认定类别 …
  数据问题 right of the ledger (or over same-named columns of an earlier run);
- ``jy_check_ledger`` 检查台账 — :func:`jobs.check_report` (``jyyz check``): a
  note and a fill on each cell with a problem (red errors, yellow notices) and
  the sheet 检查结果;
- ``jy_make_agreements`` / ``jy_make_notice`` / ``jy_make_letters`` —
  :func:`jobs.docs` (``jyyz docs --rows``): agreements for the selected rows,
  the notice for the selected rows (all rows when nothing in the ledger is
  selected) and the target letters; the file paths are listed on the sheet
  运行结果.

An optional sheet 设置 (A: name, B: value) holds what the command line takes
as options: 政策代码 (``--policy``, else the 参数 sheet), 认定基准日期
(``--as-of``, else today), 工作表 (``--sheet``) and 输出目录 (``-o``).

Hosts: in xlwings Lite and xlwings Server the workbook arrives as the ``book``
argument (``xlwings.server.script``).  In classic xlwings each script is a
VBA ``Sub`` without parameters (``xw.arg("book", vba="Nothing")``): Alt+F8
lists it and a button can run it; the book is ``xw.Book.caller()``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlwings as xw

from calc.dates import to_date
from calc.errors import InputError
from xl_addin import jobs, ledger_read
from xl_addin import messages as msg
from xl_addin.excel_values import as_text, is_blank
from xl_addin.functions import arg, on_office_js, script

SETTINGS_SHEET = "设置"
CHECK_SHEET = jobs.CHECK_SHEET
RESULT_SHEET = "运行结果"
#: Excel's light red "bad" and light yellow "neutral" fills.
MARK_FILLS = {"error": "#FFC7CE", "warning": "#FFEB9C"}
MAX_NOTES = 5000  # beyond this only the summary sheet lists the problems
#: What the Word documents need; xlwings Lite builds may lack lxml.
DOCUMENT_MODULES = ("lxml", "docx", "docxtpl", "doc_templates.render")


# ---------------------------------------------------------------------------
# the open workbook as values


def _sheet_values(sheet) -> list[list[Any]]:
    """The sheet's values from A1 to its last used cell."""
    last = sheet.used_range.last_cell
    values = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value
    return [list(r) for r in values or []]


def workbook_values(book) -> ledger_read.WorkbookValues:
    """Every sheet of ``book`` as values, for the readers of :mod:`xl_addin.ledger_read`."""
    return ledger_read.WorkbookValues(
        str(getattr(book, "name", "") or "工作簿"),
        {sheet.name: _sheet_values(sheet) for sheet in book.sheets},
    )


@dataclass
class Settings:
    """The 设置 sheet: the command line's options for the buttons."""

    policy: str | None = None
    as_of: Any = None
    sheet: str | None = None
    out_dir: str = ""


def read_settings(values: ledger_read.WorkbookValues) -> Settings:
    rows = values.sheets.get(SETTINGS_SHEET) or []
    found: dict[str, Any] = {}
    for row in rows:
        if len(row) >= 2 and as_text(row[0]):
            found[as_text(row[0])] = row[1]
    policy = as_text(found.get("政策代码")) or None
    as_of = found.get("认定基准日期")
    if is_blank(as_of):
        as_of = None
    elif isinstance(as_of, int | float) and not isinstance(as_of, bool):
        # a date cell arrives as its Excel serial from xlwings Lite / Server
        try:
            as_of = to_date(as_of)
        except InputError as err:
            raise err.with_location(f"“{SETTINGS_SHEET}”工作表的认定基准日期") from None
    sheet = as_text(found.get("工作表")) or None
    return Settings(policy, as_of, sheet, as_text(found.get("输出目录")))


# ---------------------------------------------------------------------------
# writing back


def _result_sheet(book, name: str):
    for sheet in book.sheets:
        if sheet.name == name:
            sheet.clear_contents()
            return sheet
    return book.sheets.add(name=name, after=book.sheets[len(book.sheets) - 1])


def _write_table(sheet, rows: list[list[Any]]) -> None:
    width = max((len(r) for r in rows), default=1)
    sheet["A1"].value = [list(r) + [""] * (width - len(r)) for r in rows]


def _report(book, title: str, lines: list[list[Any]]) -> None:
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    _write_table(_result_sheet(book, RESULT_SHEET), [[title, stamp], *lines])


#: The command line's options as the buttons take them (messages of :mod:`xl_addin.jobs`).
BUTTON_WORDS = (
    ("请用 --policy 指定", "请在“设置”工作表A列填“政策代码”、B列填政策代码"),
    ("请检查 --rows / --where 条件", "请检查选中的行"),
)


def _fail(book, title: str, err: Exception) -> None:
    message = err.describe() if isinstance(err, InputError) else f"内部错误（{err}）"
    for option, words in BUTTON_WORDS:
        message = message.replace(option, words)
    _report(book, title, [["错误：" + message]])


def _book(book):
    return book if book is not None else xw.Book.caller()


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive Excel rows as (first row, position of that row in ``rows``)."""
    out: list[tuple[int, int]] = []
    for k, r in enumerate(rows):
        if k == 0 or r != rows[k - 1] + 1:
            out.append((r, k))
    return out


# ---------------------------------------------------------------------------
# the jobs


def fill_columns(book) -> jobs.Assessed:
    """``jyyz fill`` into the open workbook; returns the assessment."""
    values = workbook_values(book)
    settings = read_settings(values)
    a = jobs.assess_workbook(values, settings.policy, settings.as_of, settings.sheet, slim=True)
    rows = [int(r) for r in a.ledger.data.index]
    if not rows:
        raise InputError(f"{msg.where(values, a.ledger.sheet_name)}：表头下没有数据行")
    positions, new_headers, _, columns = jobs.result_columns(a)
    sheet = book.sheets[a.ledger.sheet_name]
    runs = _runs(rows)
    ends = [k for _, k in runs[1:]] + [len(rows)]
    for name in jobs.RESULT_FIELDS:
        col = positions[name]
        if col in new_headers:
            sheet.range((a.ledger.header_row, col)).value = new_headers[col]
        cells = columns[name]
        for (first, k), end in zip(runs, ends, strict=True):
            sheet.range((first, col)).value = [[v] for v in cells[k:end]]
    apply_result_formats(book, sheet, jobs.result_formats(a, positions, columns), columns, rows)
    return a


#: Excel's character unit in points (Calibri 11): Office.js takes widths in points.
_POINTS_PER_CHARACTER = 7.0


#: Beyond this many persons the button leaves the conclusions uncoloured (one colour
#: action per cell); ``jyyz fill`` colours any size by conditional formatting.
MAX_COLOURED = 5000


def apply_result_formats(book, sheet, formats: dict, columns: dict, rows: list[int]) -> None:
    """The formats ``jyyz fill`` writes (jobs.result_formats), through xlwings: column
    widths, wrap, and the 认定结论 cells coloured by their value (a button cannot add
    conditional formatting: the colours are the cells' own and follow a new fill).
    Each is a courtesy — a host that refuses one keeps the values."""
    officejs = (
        isinstance(getattr(book, "api", None), dict) and book.api.get("client") == "Office.js"
    )
    first, last = int(formats["first_row"]), int(formats["last_row"])
    for letter, f in formats["columns"].items():
        width = float(f["width"]) * (_POINTS_PER_CHARACTER if officejs else 1.0)
        try:
            sheet.range(f"{letter}:{letter}").column_width = width
            if f.get("wrap"):
                sheet.range(f"{letter}{first}:{letter}{last}").wrap_text = True
        except Exception:  # noqa: BLE001 - formatting is a courtesy
            pass
    colours = {r["text"]: "#" + r["fill"][-6:] for r in formats.get("rules", ())}
    status = columns.get("status")
    if status is None or not colours or len(rows) > MAX_COLOURED:
        return
    letter = formats["rules"][0]["column"]
    try:
        for r, text in zip(rows, status, strict=True):
            sheet.range(f"{letter}{r}").color = colours.get(text)
    except Exception:  # noqa: BLE001 - formatting is a courtesy
        pass


def _cell_order(cell: str) -> tuple[int, int]:
    letters = "".join(c for c in cell if c.isalpha())
    return int(cell[len(letters) :]), ledger_read.column_index(letters)


def check_ledger(book) -> jobs.CheckReport:
    """``jyyz check`` on the open workbook: marks and the sheet 检查结果."""
    values = workbook_values(book)
    settings = read_settings(values)
    ledger = ledger_read.read_ledger(values, settings.sheet)
    report = jobs.check_report(values, ledger)
    sheet = book.sheets[ledger.sheet_name]
    notes_ok = True
    marks = jobs.check_marks(report)
    for n, cell in enumerate(sorted(marks, key=_cell_order)):
        mark = marks[cell]
        rng = sheet[cell]
        try:
            rng.color = MARK_FILLS.get(mark.level, MARK_FILLS["error"])
        except Exception:  # noqa: BLE001 - colouring is a courtesy
            pass
        if n < MAX_NOTES:
            notes_ok = _annotate(rng, mark.message, notes_ok)
    _write_table(_result_sheet(book, CHECK_SHEET), jobs.check_rows(values.name, ledger, report))
    return report


def _annotate(cell, text: str, notes_ok: bool) -> bool:
    """A note on the cell (a threaded comment where notes are not available); the note of
    an earlier check on that cell is replaced."""
    if notes_ok:
        try:
            note = cell.note
            if note is not None:
                note.text = text
            else:
                cell.add_note(text)
            return True
        except Exception:  # noqa: BLE001 - older Excel: fall back to comments
            pass
    try:
        cell.add_comment(text)
    except Exception:  # noqa: BLE001
        pass
    return False


def _document_runtime(kind: str) -> None:
    """A Chinese message when this runtime (xlwings Lite) lacks what Word documents need."""
    missing = []
    for name in DOCUMENT_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        where = "当前 xlwings Lite 环境" if sys.platform == "emscripten" else "当前 Python 环境"
        raise InputError(
            f"{where}缺少生成 Word 文书所需的模块（{'、'.join(missing)}），无法生成{kind}。"
            "工作表函数、填写计算列和检查台账不受影响；生成文书请在电脑上用经典 xlwings 加载项，"
            f"或命令行 jyyz docs 台账.xlsx --kind {kind}"
        )


def selected_rows(book, ledger: ledger_read.Ledger) -> tuple[int, int] | None:
    """Excel rows (first, last) of the selection on the ledger sheet, if it covers data rows."""
    try:
        sel = book.selection
    except Exception:  # noqa: BLE001 - no selection info (e.g. a shape is selected)
        return None
    if sel is None or sel.sheet.name != ledger.sheet_name:
        return None
    first, last = sel.row, sel.row + sel.shape[0] - 1
    index = ledger.data.index
    inside = index[(index >= first) & (index <= last)]
    if not len(inside):
        return None
    return int(inside.min()), int(inside.max())


def _output_dir(book, settings: Settings) -> Path:
    configured = settings.out_dir or os.environ.get("JYYZ_OUTPUT_DIR", "")
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
    if sys.platform.startswith("win") and not on_office_js():
        try:
            os.startfile(path)  # type: ignore[attr-defined]  # noqa: S606
        except OSError:
            pass


def make_documents(book, kind: str, *, need_selection: bool) -> jobs.DocsReport:
    """``jyyz docs --kind KIND --rows (selection)`` on the open workbook."""
    _document_runtime(kind)
    values = workbook_values(book)
    settings = read_settings(values)
    a = jobs.assess_workbook(values, settings.policy, settings.as_of, settings.sheet)
    span = selected_rows(book, a.ledger) if kind != "责任书" else None
    if span is None and need_selection:
        raise InputError("请先在台账中选中要生成文书的人员所在行（可多选连续行）")
    out = _output_dir(book, settings) / kind
    report = jobs.docs(values, kind, out, rows=span, assessed=a)
    _reveal(out)
    return report


def _document_script(book, kind: str, *, need_selection: bool) -> None:
    title = f"生成{kind}"
    try:
        report = make_documents(book, kind, need_selection=need_selection)
    except Exception as err:  # noqa: BLE001 - report in the workbook, never a traceback
        _fail(book, title, err)
        return
    extra = [p for p in (report.merged, report.register) if p is not None]
    lines = [[str(p)] for p in [*report.files, *extra]]
    note = [[report.note]] if report.note else []
    if sys.platform == "emscripten":
        note.append(["注意：xlwings Lite 在浏览器中运行，以上文件在其虚拟文件系统中，关闭后即丢失"])
    _report(book, f"{title}：{report.people}人，已生成{len(report.files)}个文件", lines + note)


# ---------------------------------------------------------------------------
# the scripts (one per button)


def one_click(f):
    """A script in every host: ``book`` comes from Lite/Server; in classic xlwings the
    VBA ``Sub`` has no parameter (VBA passes ``Nothing``), so Alt+F8 lists it."""
    f = script(f)
    if not on_office_js():
        f = arg("book", vba="Nothing")(f)
    return f


@one_click
def jy_fill_columns(book: xw.Book = None):
    """填写计算列：对台账逐行认定，在右侧写入认定类别、认定结论、可享受政策、补贴期限、时限提醒、认定依据和数据问题。"""
    book = _book(book)
    try:
        a = fill_columns(book)
    except Exception as err:  # noqa: BLE001
        _fail(book, "填写计算列", err)
        return
    s = a.summary()
    _report(
        book,
        f"填写计算列：已认定{s.people}人，符合{s.eligible}人",
        [[f"政策 {a.pack.code}（来源：{a.policy_source}），认定基准日期 {a.as_of.isoformat()}"]],
    )


@one_click
def jy_check_ledger(book: xw.Book = None):
    """检查台账：标出错误的身份证号码、日期和缺少的必填项（批注并标红），并写入“检查结果”工作表。"""
    book = _book(book)
    try:
        check_ledger(book)
    except Exception as err:  # noqa: BLE001
        _fail(book, "检查台账", err)


@one_click
def jy_make_agreements(book: xw.Book = None):
    """为选中行中认定“符合”的人员各生成一份《接受就业援助协议书》，文件路径列在“运行结果”工作表。"""
    _document_script(_book(book), "协议书", need_selection=True)


@one_click
def jy_make_notice(book: xw.Book = None):
    """为选中行（未选中台账行时为全部）中认定“符合”的人员生成公示，身份证号码等个人信息按规定隐去。"""
    _document_script(_book(book), "公示", need_selection=False)


@one_click
def jy_make_letters(book: xw.Book = None):
    """按接收单位生成《就业援助工作目标责任书》（目标取自“目标”工作表），文件路径列在“运行结果”工作表。"""
    _document_script(_book(book), "责任书", need_selection=False)


def make_report(book):
    """``jyyz report`` on the open workbook (its current values, saved or not): the
    统计报表 of the current quarter and its 通报 paper in the output folder, as a
    :class:`xl_addin.report.ReportResult`."""
    from xl_addin.report import report_of_values

    values = workbook_values(book)
    settings = read_settings(values)
    out = _output_dir(book, settings)
    result = report_of_values(values, out, policy=settings.policy or None)
    _reveal(out)
    return result


@one_click
def jy_make_report(book: xw.Book = None):
    """统计报表：按当前台账统计本季度的就业援助情况，生成带图表的统计报表和一页通报，路径列在“运行结果”工作表。"""
    book = _book(book)
    title = "生成统计报表"
    try:
        r = make_report(book)
    except Exception as err:  # noqa: BLE001 - report in the workbook, never a traceback
        _fail(book, title, err)
        return
    lines = [[str(p)] for p in (r.output, r.paper, r.pdf) if p is not None]
    lines += [[f"未能统计：{f.message}"] for f in r.failed]
    if sys.platform == "emscripten":
        lines.append(
            ["注意：xlwings Lite 在浏览器中运行，以上文件在其虚拟文件系统中，关闭后即丢失"]
        )
    _report(book, f"{title}：{r.persons}人（{r.period.label}）", lines)


#: The one-click actions: macro name → the name the clerk reads.
ACTIONS = {
    "jy_fill_columns": "填写计算列",
    "jy_check_ledger": "检查台账",
    "jy_make_agreements": "生成协议书",
    "jy_make_notice": "生成公示",
    "jy_make_letters": "生成责任书",
    "jy_make_report": "生成统计报表",
}

__all__ = [
    "ACTIONS",
    "check_ledger",
    "fill_columns",
    "jy_check_ledger",
    "jy_fill_columns",
    "jy_make_agreements",
    "jy_make_letters",
    "jy_make_notice",
    "jy_make_report",
    "make_documents",
    "make_report",
    "read_settings",
    "workbook_values",
]
