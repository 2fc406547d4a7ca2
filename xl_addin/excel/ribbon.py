"""The Python side of two buttons of the 就业援助 ribbon tab (``vba/RibbonJyyz.bas``).

- 设置 (:func:`jy_settings`, through xlwings' RunPython): the sheet 设置 of the active
  workbook with a row for every option the buttons read — the command line's options
  (:func:`xl_addin.scripts.read_settings`: 政策代码, 认定基准日期, 工作表, 输出目录) and the
  office details the papers print (:mod:`doc_templates.office`: 发文机关, 地址, 电话, 上级单位,
  用印单位, 编号前缀).  Rows the clerk already has (under any name those readers accept) are
  kept as they are; missing ones are appended with an empty value, their hint in a note on
  the name (not in a third column: the office-details reader takes the first two filled
  cells of a row, so a hint beside an empty value would be read as the value).
- 打开 jyyz 页面 (:func:`open_page`, ``python -m xl_addin.excel.ribbon --open-page``, started
  by the add-in without waiting): runs ``jyyz serve``, which opens the page of the running
  local service or starts it.  Nothing here talks to the service itself.
"""

from __future__ import annotations

import sys
from typing import Any

from xl_addin.excel_values import as_text

SETTINGS_SHEET = "设置"
HEADER = ["项目", "内容"]


def _policy_codes() -> str:
    from calc.policies import PACKS

    return "、".join(PACKS)


def setting_rows() -> list[tuple[str, tuple[str, ...], str]]:
    """(name written, names the readers accept, hint) of every setting, in sheet order."""
    from doc_templates.office import DETAILS

    rows = [
        ("政策代码", ("政策代码",), f"空白时用“参数”工作表中的政策代码；可填 {_policy_codes()}"),
        ("认定基准日期", ("认定基准日期",), "空白时为今天"),
        ("工作表", ("工作表",), "台账所在的工作表名称；空白时自动识别"),
        ("输出目录", ("输出目录",), "文书保存的文件夹；空白时为工作簿所在文件夹下的“就业援助文书”"),
    ]
    hints = {
        "issuer": "文书落款、协议书甲方、公示发布单位",
        "address": "协议书和公示上的地址（异议受理地址）",
        "phone": "协议书和公示上的联系电话",
        "superior": "公示后审核认定的上级部门",
        "seal_holder": "加盖印章的单位；空白时为发文机关",
        "number_prefix": "文书编号前缀，如“柳巷”",
    }
    for field, hint in hints.items():
        label, names = DETAILS[field]
        rows.append((label, names, hint))
    return rows


def _key(text: Any) -> str:
    return as_text(text).replace(" ", "").replace("　", "").rstrip("：:")


def _as_rows(values: Any) -> list[list[Any]]:
    if values is None:
        return []
    if not isinstance(values, list):
        return [[values]]
    if values and not isinstance(values[0], list):
        return [values]
    return values


def settings_sheet(book) -> tuple[Any, list[str]]:
    """Add the 设置 sheet, or the missing rows of it, to ``book``; returns the sheet and the
    names of the rows added."""
    names = [s.name for s in book.sheets]
    if SETTINGS_SHEET in names:
        sheet = book.sheets[SETTINGS_SHEET]
        # from A1, as the readers read it (the used range may start further down)
        last = sheet.used_range.last_cell
        rows = _as_rows(sheet.range((1, 1), (last.row, last.column)).value)
        while rows and all(_is_blank(c) for c in rows[-1]):
            rows.pop()
    else:
        sheet = book.sheets.add(SETTINGS_SHEET, after=book.sheets[len(names) - 1])
        rows = []
    present = {_key(r[0]) for r in rows if r and not _is_blank(r[0])}
    new: list[list[Any]] = []
    hints: list[tuple[int, str]] = []
    if not rows:
        new.append(HEADER)
    added = []
    for name, accepted, hint in setting_rows():
        if present & {_key(a) for a in accepted}:
            continue
        new.append([name, None])
        hints.append((len(rows) + len(new), hint))
        added.append(name)
    if new:
        sheet.range((len(rows) + 1, 1)).value = new
        for row, hint in hints:
            _note(sheet.range((row, 1)), hint)
    sheet.activate()
    return sheet, added


def _note(cell, text: str) -> None:
    """A note on the cell, where the host has notes (as scripts._annotate does)."""
    try:
        note = cell.note
        if note is not None:
            note.text = text
        else:
            cell.add_note(text)
    except Exception:  # noqa: BLE001 - a host without notes: the hint is a nicety
        pass


def _is_blank(value: Any) -> bool:
    return value is None or as_text(value) == ""


def jy_settings(book=None) -> list[str]:
    """设置 button: the 设置 sheet of the active workbook (see module doc)."""
    import xlwings as xw

    book = book if book is not None else xw.Book.caller()
    _, added = settings_sheet(book)
    return added


# ---------------------------------------------------------------------------
# 打开 jyyz 页面


def serve_available() -> bool:
    """Whether this jyyz has the ``serve`` command (the local service and its page)."""
    import argparse

    from xl_addin.cli import build_parser

    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return "serve" in action.choices
    return False


def tell(text: str) -> None:
    """A message the clerk sees: a message box on Windows (the add-in starts this program
    with pythonw, without a console), else the console."""
    if sys.platform.startswith("win"):
        import ctypes

        ctypes.windll.user32.MessageBoxW(None, text, "就业援助 jyyz", 0x40)
    else:
        print(text)


def open_page() -> int:
    """``jyyz serve`` in this process; a Chinese message when it cannot run."""
    if not serve_available():
        tell(
            "这个版本的 jyyz 还没有本机服务（jyyz serve），打不开 jyyz 页面。请安装新版本的 jyyz。"
        )
        return 1
    from xl_addin.cli import main

    try:
        code = main(["serve"])
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    if code:
        tell(
            f"jyyz 页面没有打开（jyyz serve 退出码 {code}）。请在命令提示符中运行 jyyz serve 查看原因。"
        )
    return int(code or 0)


if __name__ == "__main__":
    if sys.argv[1:] == ["--open-page"]:
        sys.exit(open_page())
    print("用法：python -m xl_addin.excel.ribbon --open-page")
    sys.exit(2)
