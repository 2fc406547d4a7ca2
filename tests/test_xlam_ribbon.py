"""The Python side of the 设置 and 打开 jyyz 页面 buttons (xl_addin.excel.ribbon), run on
xlwings' own Book (the JSON workbook of xlwings Server, the same API as classic xlwings)."""

from __future__ import annotations

import subprocess
import sys

import xlwings_helpers
from xlwings_helpers import xw

from doc_templates.office import office_details
from xl_addin import ledger_read, scripts
from xl_addin.excel import ribbon


def actions(book) -> list[dict]:
    return book.json()["actions"]


def written_rows(book) -> list[list]:
    (values,) = [a for a in actions(book) if a["func"] == "setValues"]
    return values["values"]


def test_new_settings_sheet_lists_every_setting_the_readers_take():
    book = xw.Book(json=xlwings_helpers.book_json([("台账", [xlwings_helpers.HEADERS])]))
    added = ribbon.jy_settings(book)
    funcs = [a["func"] for a in actions(book)]
    assert funcs[:2] == ["addSheet", "setValues"] and funcs[-1] == "activateSheet"
    rows = written_rows(book)
    assert rows[0] == ribbon.HEADER
    assert [r[0] for r in rows[1:]] == added
    for needed in (
        "政策代码",
        "认定基准日期",
        "工作表",
        "输出目录",
        "发文机关",
        "地址",
        "电话",
        "上级单位",
    ):
        assert needed in added
    assert all(r[1] in ("", None) for r in rows[1:])  # values are the clerk's
    notes = [a for a in actions(book) if a["func"] == "addNote"]
    assert len(notes) == len(added)
    assert notes[0]["args"][0] == "$A$2" and "SX-2008" in notes[0]["args"][1]  # 政策代码


def test_the_sheet_it_writes_reads_back_as_unset():
    book = xw.Book(json=xlwings_helpers.book_json([("台账", [xlwings_helpers.HEADERS])]))
    ribbon.jy_settings(book)
    rows = written_rows(book)
    values = ledger_read.WorkbookValues(name="台账.xlsx", sheets={"设置": rows})
    settings = scripts.read_settings(values)
    assert settings.policy is None and settings.as_of is None and settings.out_dir == ""
    details = office_details(office_file=None, settings_rows=rows, parameters=None)
    assert set(details.missing()) == {"发文机关", "地址", "电话", "上级单位"}


def test_existing_settings_are_kept_and_only_missing_rows_added():
    sheet = [["政策代码", "SX-2008"], ["单位名称", "柳巷街道劳动保障事务所"], [None, None]]
    book = xw.Book(
        json=xlwings_helpers.book_json([("台账", [xlwings_helpers.HEADERS]), ("设置", sheet)])
    )
    added = ribbon.jy_settings(book)
    assert "政策代码" not in added
    assert "发文机关" not in added  # 单位名称 is a name doc_templates.office reads for it
    (write,) = [a for a in actions(book) if a["func"] == "setValues"]
    assert write["start_row"] == 2  # below the clerk's rows, blank row dropped: nothing overwritten
    assert [r[0] for r in write["values"]] == added


def test_complete_settings_sheet_is_left_alone():
    rows = [[name, "x"] for name, _, _ in ribbon.setting_rows()]
    book = xw.Book(
        json=xlwings_helpers.book_json([("台账", [xlwings_helpers.HEADERS]), ("设置", rows)])
    )
    assert ribbon.jy_settings(book) == []
    assert [a["func"] for a in actions(book)] == ["activateSheet"]


def test_a_clerk_value_in_every_row_is_read_back():
    book = xw.Book(json=xlwings_helpers.book_json([("台账", [xlwings_helpers.HEADERS])]))
    ribbon.jy_settings(book)
    rows = [r if r[0] == "项目" else [r[0], f"{r[0]}的值"] for r in written_rows(book)]
    details = office_details(office_file=None, settings_rows=rows, parameters=None)
    assert details.missing() == [] and details.issuer == "发文机关的值"


def test_open_page_without_serve_says_so_in_chinese(monkeypatch, capsys):
    monkeypatch.setattr(ribbon, "serve_available", lambda: False)
    assert ribbon.open_page() == 1
    assert "打不开 jyyz 页面" in capsys.readouterr().out


def test_serve_available_reads_the_real_command_line():
    from xl_addin.cli import build_parser

    assert ribbon.serve_available() == ("serve" in build_parser().format_help())


def test_module_entry_point_rejects_other_arguments():
    result = subprocess.run(
        [sys.executable, "-m", "xl_addin.excel.ribbon", "--what"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "--open-page" in result.stdout


def test_open_page_starts_the_service_and_a_second_press_reuses_it(tmp_path):
    """What the button starts (``python -m xl_addin.excel.ribbon --open-page``), for real:
    the service comes up, writes its discovery file and answers on its URL; a second press
    opens the running one and returns.  Runs where this jyyz has ``jyyz serve``."""
    import http.cookiejar
    import json
    import os
    import signal
    import time
    import urllib.request

    import pytest

    if not ribbon.serve_available():
        pytest.skip("这个版本的 jyyz 没有 jyyz serve（上面的测试检查了按钮给出的说明）")
    home = tmp_path / "home"
    # BROWSER=true: Python's webbrowser runs `true` instead of a real browser
    env = dict(os.environ, JYYZ_HOME=str(home), BROWSER="true")
    env.pop("XLWINGS_ON_SERVER", None)
    command = [sys.executable, "-m", "xl_addin.excel.ribbon", "--open-page"]
    first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        found = home / "service.json"
        deadline = time.monotonic() + 60
        while not found.exists() and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert found.exists(), first.communicate(timeout=10) if first.poll() is not None else ""
        info = json.loads(found.read_text(encoding="utf-8"))
        assert info["url"].startswith("http://127.0.0.1:")
        # what the browser the service opens does: sign in with the token, keep the cookie
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        with browser.open(f"{info['url']}signin?token={info['token']}", timeout=10) as page:
            assert page.status == 200 and "jyyz" in page.read().decode("utf-8")
        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 0, second.stdout + second.stderr
        assert first.poll() is None  # the first service still serves
    finally:
        first.send_signal(signal.SIGTERM)
        try:
            first.wait(timeout=30)
        except subprocess.TimeoutExpired:
            first.kill()
