"""The WPS 表格 add-in (xl_addin/wps/), tested up to WPS's boundary without WPS.

There is no WPS in Debian.  The add-in's own files — index.html and its scripts,
unchanged — run in jsdom (tests/wps/run_addin.js: WPS's embedded Chromium
stand-in, with real synchronous XMLHttpRequest and CORS) over a small fake of
the ET object model (tests/wps/fake_et.js, recording every write), installed by
the real ``jyyz install --wps`` and talking to a real ``jyyz serve``.  Checked:

- the cells 填写计算列 writes equal ``jyyz fill``'s on every sample ledger and
  every real-layout fixture, in one block, with the service's formats;
- each ``JYYZ.JY_…`` function returns what the Python function returns;
- with no service the cells and buttons say so in Chinese, never a JS error;
- every JS file is ES5 (acorn ``--ecma5``); every ribbon callback exists;
- the publish file and what it points at; uninstall; the CORS door's refusals.

Node packages (jsdom, acorn) are pinned in tests/wps/package-lock.json and
installed with ``npm ci`` (the Makefile does it; so does this module when
they are missing).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
import real_layouts
import xlwings_helpers
from python_calamine import CalamineWorkbook

import workbooks
from xl_addin import functions, jobs, wps_install
from xl_addin.bad_cells import scan_bad_cells
from xl_addin.service import work

ROOT = Path(__file__).resolve().parents[1]
HARNESS = ROOT / "tests" / "wps"
ADDIN = ROOT / "xl_addin" / "wps"
AS_OF = dt.date(2026, 11, 1)
NOT_RUNNING = "jyyz 服务未启动"
SAMPLES = sorted(workbooks.sample_paths().items())
LAYOUTS = [
    real_layouts.shanxi_difficulty_ledger,
    real_layouts.jilin_unemployed_ledger,
    real_layouts.anhui_import_template,
    real_layouts.anhui_flexible_export,
    real_layouts.hardship_worker_roster,
    real_layouts.jiangsu_query_export,
    real_layouts.public_post_export,
    real_layouts.family_members_export,
]


# --------------------------------------------------------------------------- fixtures


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "未找到 node：WPS 加载项的测试需要 Node.js（make test 会用 apt-get 安装 nodejs）"
        )
    return node


@pytest.fixture(scope="session")
def harness() -> Path:
    _node()
    if not (HARNESS / "node_modules" / "jsdom").is_dir():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("未找到 npm：无法安装 tests/wps 的 Node 依赖")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HARNESS, check=True)
    return HARNESS


def _jyyz() -> str:
    exe = Path(sys.executable).with_name("jyyz")
    return str(exe) if exe.exists() else shutil.which("jyyz") or "jyyz"


class Service:
    def __init__(self, root: Path):
        self.root = root
        self.state = root / "state"
        self.home = root / "home"
        self.home.mkdir(parents=True)
        self.env = dict(os.environ, JYYZ_HOME=str(self.state), HOME=str(self.home))
        self.proc = subprocess.Popen(
            [_jyyz(), "serve", "--no-browser"],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            path = self.state / "service.json"
            if path.exists():
                try:
                    self.info = json.loads(path.read_text(encoding="utf-8"))
                    break
                except ValueError:
                    pass
            if self.proc.poll() is not None:
                raise RuntimeError(self.proc.stdout.read().decode())
            time.sleep(0.1)
        else:
            self.stop()
            raise RuntimeError("jyyz serve did not start")
        self.base = f"http://127.0.0.1:{self.info['port']}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    s = Service(tmp_path_factory.mktemp("wps-service"))
    yield s
    s.stop()


def install(env: dict, folder: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_jyyz(), "install", "--wps", "--dir", str(folder), *extra],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def installed(service) -> Path:
    """The add-in as ``jyyz install --wps`` lays it out for the service's account."""
    folder = service.root / "jsaddons"
    r = install(service.env, folder)
    assert r.returncode == 0, r.stdout + r.stderr
    return folder / wps_install.folder_name()


def run_addin(scenario: dict, tmp_path: Path) -> dict:
    path = tmp_path / f"scenario-{time.monotonic_ns()}.json"
    path.write_text(json.dumps(scenario, ensure_ascii=False), encoding="utf-8")
    r = subprocess.run(
        [_node(), str(HARNESS / "run_addin.js"), str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout)
    assert out["errors"] == [], out["errors"]
    return out


def scenario(service: Service, addin: Path | str, **kw) -> dict:
    url = addin if isinstance(addin, str) else (addin / "index.html").as_uri()
    return {"url": url, "home": str(service.home), **kw}


# --------------------------------------------------------------------------- workbooks


def value2(v):
    """A cell as WPS's Value2 gives it: dates as serials, empty as null."""
    if isinstance(v, dt.datetime):
        midnight = dt.datetime(v.year, v.month, v.day)
        return xlwings_helpers.serial(v.date()) + (v - midnight).total_seconds() / 86400
    if isinstance(v, dt.date):
        return xlwings_helpers.serial(v)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return None if v in ("", None) else v


#: Value2 of an error cell in the VBA-like object model: its CVErr number.
VBA_ERRORS = {"#NULL!": 2000, "#DIV/0!": 2007, "#VALUE!": 2015, "#REF!": 2023, "#NAME?": 2029, "#NUM!": 2036, "#N/A": 2042}  # fmt: skip


def sheets_of(path: Path) -> list[dict]:
    """Every sheet as the fake ET holds it: values as Value2 gives them, error cells as their
    CVErr numbers, and formulas saved without a value as the file reader gives them."""
    wb = CalamineWorkbook.from_path(str(path))
    try:
        out = []
        for name in wb.sheet_names:
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            rows = [[value2(v) for v in row] for row in rows]
            formulas = {}
            for (r, c), text in scan_bad_cells(str(path), name).items():
                if r - 1 < len(rows) and c - 1 < len(rows[r - 1]):
                    if text in VBA_ERRORS:
                        rows[r - 1][c - 1] = -2146828288 + VBA_ERRORS[text]
                    else:
                        rows[r - 1][c - 1] = text
                        formulas[f"{_letter(c)}{r}"] = text
            out.append({"name": name, "rows": rows, "formulas": formulas})
        return out
    finally:
        wb.close()


def file_values(path: Path) -> list[dict]:
    """Every sheet's values as ``jyyz`` reads the file (error cells as their text)."""
    out = []
    for s in sheets_of(path):
        rows = [[_error_text(v) for v in row] for row in s["rows"]]
        out.append({"name": s["name"], "rows": rows})
    return out


def body_of(path: Path, sheets: list[dict]) -> dict:
    """The request the add-in sends for these sheets (error cells as their text)."""
    return {"name": path.name, "sheets": {s["name"]: [[_error_text(v) for v in r] for r in s["rows"]] for s in sheets}}  # fmt: skip


def _error_text(v):
    for text, code in VBA_ERRORS.items():
        if v == -2146828288 + code:
            return text
    return v


def settings_sheet(policy: str | None) -> dict:
    rows = [["认定基准日期", AS_OF.isoformat()]]
    if policy:
        rows.append(["政策代码", policy])
    return {"name": "设置", "rows": rows}


def grid(rows: list[list]) -> dict[tuple[int, int], object]:
    """Non-empty cells by (row, column), numbers as floats."""
    out = {}
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row, start=1):
            v = value2(v)
            if v is not None:
                out[(i, j)] = float(v) if isinstance(v, int | float) and v is not True and v is not False else v  # fmt: skip
    return out


LEDGERS = [f"sample-{p}" for p, _ in SAMPLES] + [f"layout-{b.__name__}" for b in LAYOUTS]


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory) -> dict[str, tuple[Path, str | None]]:
    out = {f"sample-{p}": (path, None) for p, path in SAMPLES}
    folder = tmp_path_factory.mktemp("layouts")
    for build in LAYOUTS:
        layout = build(folder)
        out[f"layout-{build.__name__}"] = (layout.path, layout.policy)
    return out


# --------------------------------------------------------------------------- 填写计算列


@pytest.mark.parametrize("key", LEDGERS)
def test_fill_button_writes_what_jyyz_fill_writes(key, ledgers, service, installed, tmp_path):
    path, policy = ledgers[key]
    filled = jobs.fill(path, tmp_path / "filled.xlsx", policy=policy, as_of=AS_OF)
    sheets = sheets_of(path) + [settings_sheet(policy)]
    out = run_addin(
        scenario(
            service,
            installed,
            workbook={"name": path.name, "sheets": sheets, "active": filled.sheet},
            steps=[{"button": "btnFill"}],
        ),
        tmp_path,
    )
    step = out["results"][0]
    assert step["threw"] is None and step["returned"] is True
    assert step["alerts"] and step["alerts"][0].startswith("填写计算列："), step["alerts"]

    # every cell of every sheet equals the command's output workbook
    got = {s["name"]: s for s in out["sheets"]}
    expected = {s["name"]: s["rows"] for s in file_values(filled.output)}
    assert [s["name"] for s in out["sheets"]] == [s["name"] for s in sheets]
    for k, (s, after) in enumerate(zip(sheets, out["sheets"], strict=True)):
        name = s["name"]
        # the last 设置 is the harness's own (a sample may carry its office table in another)
        added = k == len(sheets) - 1
        want = grid(s["rows"] if added or name not in expected else expected[name])
        assert grid([[_error_text(v) for v in r] for r in after["rows"]]) == want, name

    # one write of values on the ledger (one undo step), none elsewhere
    value_writes = [e for e in out["log"] if e["op"] == "Value2"]
    assert [e["sheet"] for e in value_writes] == [filled.sheet]

    # the service's widths, wrapping, date format and 认定结论 colours on the result columns
    body = body_of(path, sheets)
    answer = work.sheet_fill(body)
    formats = got[filled.sheet]["formats"]
    widths = {f["range"]: f["value"] for f in formats if f["what"] == "ColumnWidth"}
    for col, width in zip(answer["column_numbers"], answer["formats"]["widths"], strict=True):
        letter = _letter(col)
        assert widths[f"{letter}1:{letter}1048576"] == width
    rows = answer["row_numbers"]
    status_col = _letter(answer["column_numbers"][answer["formats"]["status_column"]])
    coloured = [f for f in formats if f["what"] == "Interior.Color"]
    assert coloured and all(f["range"].startswith(status_col) for f in coloured)
    fonts = [f for f in formats if f["what"] == "Font.Color"]
    assert fonts and all(f["range"].startswith(status_col) for f in fonts)
    # widths and wrapping as jyyz fill writes them into its output
    book = openpyxl.load_workbook(filled.output)
    ws = book[filled.sheet]
    wrapped = {f["range"].split(":")[0].rstrip("0123456789") for f in formats if f["what"] == "WrapText"}  # fmt: skip
    for letter in filled.written.values():
        assert widths[f"{letter}1:{letter}1048576"] == ws.column_dimensions[letter].width, letter
        assert (letter in wrapped) == bool(ws[f"{letter}{filled.first_row}"].alignment.wrap_text)
    book.close()
    end_col = _letter(answer["column_numbers"][jobs.RESULT_FIELDS.index("period_end")])
    assert {"what": "NumberFormat", "range": f"{end_col}{rows[0]}:{end_col}{rows[-1]}", "value": work.DATE_FORMAT} in formats  # fmt: skip
    # the first data problem is selected
    first = answer["first_problem_cell"]
    if first:
        assert out["selection"] == {"sheet": filled.sheet, "range": first}


def _letter(n: int) -> str:
    s = ""
    while n:
        n, m = divmod(n - 1, 26)
        s = chr(65 + m) + s
    return s


def test_fill_keeps_formulas_between_data_rows(service, installed, tmp_path):
    """A 小计 row inside the block with a formula in a result column keeps its formula:
    the data rows are then written run by run instead of in one block."""
    path = workbooks.sample_path()
    sheets = sheets_of(path) + [settings_sheet(None)]
    a = jobs.assess_workbook(path, None, AS_OF, None)
    rows = [int(r) for r in a.ledger.data.index]
    positions, *_ = jobs.result_columns(a)
    col = positions["status"]
    gap = rows[-1]  # a 小计 row inserted before the last person
    main = next(s for s in sheets if s["name"] == a.ledger.sheet_name)
    width = len(main["rows"][0])
    blank = [None] * width
    blank[0], blank[col - 1] = "小计", 1
    main["rows"].insert(gap - 1, blank)
    main["formulas"] = {f"{_letter(col)}{gap}": f"=COUNTA({_letter(col)}5:{_letter(col)}{gap - 1})"}
    out = run_addin(
        scenario(
            service,
            installed,
            workbook={"name": path.name, "sheets": sheets, "active": a.ledger.sheet_name},
            steps=[{"button": "btnFill"}],
        ),
        tmp_path,
    )
    assert out["results"][0]["alerts"][0].startswith("填写计算列：")
    writes = [e["range"] for e in out["log"] if e["op"] == "Value2"]
    first, last = _letter(min(positions.values())), _letter(max(positions.values()))
    assert f"{first}{rows[0]}:{last}{gap - 1}" in writes
    assert f"{first}{gap + 1}:{last}{gap + 1}" in writes  # the last person, after the gap
    assert not any(w.split(":")[0][len(first) :] == str(gap) for w in writes)
    ledger = next(s for s in out["sheets"] if s["name"] == a.ledger.sheet_name)
    assert ledger["rows"][gap - 1][col - 1] == 1  # the formula's cell was not written


# --------------------------------------------------------------------------- functions


def _function_cases() -> list[tuple[str, list]]:
    path = workbooks.sample_path("SX-2008")
    book = {s["name"]: s["rows"] for s in sheets_of(path)}
    ledger = jobs.assess_workbook(path, None, AS_OF, None).ledger
    rows = book[ledger.sheet_name]
    hr = ledger.header_row
    head = [rows[hr - 1]]
    data = rows[hr : hr + 4]
    id_col = _col_of(ledger, "id_number")
    ids = [[r[id_col]] for r in data]
    one = ids[0][0]
    day = xlwings_helpers.serial(dt.date(2025, 1, 31))
    asof = xlwings_helpers.serial(AS_OF)
    table = [rows[hr - 1]] + data
    return [
        ("JY_ID", [ids]),
        ("JY_ID_CHECK", [ids]),
        ("JY_ID_BIRTH", [ids]),
        ("JY_ID_SEX", [one]),
        ("JY_MASK_ID", [ids]),
        ("JY_AGE", [ids, asof]),
        ("JY_RETIRE_DATE", [ids]),
        ("JY_RETIRE_AGE", [one]),
        ("JY_WORKDAY", [day, 10]),
        ("JY_DATE_CN", [day]),
        ("JY_RMB", [1234.5]),
        ("JY_POLICIES", []),
        ("JY_PARAM", ["SX-2008", "补贴期限（年）", day]),
        ("JY_CATEGORY", ["SX-2008", head, data, asof]),
        ("JY_ELIGIBLE", ["SX-2008", head, data, asof]),
        ("JY_WHY", ["SX-2008", head, data[:1], asof]),
        ("JY_BENEFITS", ["SX-2008", head, data, asof]),
        (
            "JY_PERIOD_END",
            ["SX-2008", "公益性岗位补贴", xlwings_helpers.serial(dt.date(2024, 11, 1)), one],
        ),
        (
            "JY_SUBSIDY",
            [
                "SX-2008",
                "公益性岗位补贴",
                head,
                data[:1],
                xlwings_helpers.serial(dt.date(2026, 1, 1)),
                xlwings_helpers.serial(dt.date(2026, 3, 31)),
            ],
        ),  # fmt: skip
        ("JY_DEADLINE", ["SX-2008", "零就业家庭就业目标", day]),
        ("JY_ASSESS", ["SX-2008", table, asof]),
    ]


def _col_of(ledger, field: str) -> int:
    from xl_addin import ledger_read

    return ledger_read.column_index(ledger.columns[field]) - 1


def as_cell(value):
    """What the add-in hands WPS for a service answer: one value, or a 2-D array; "" for empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        if len(value) == 1 and isinstance(value[0], list) and len(value[0]) == 1:
            return as_cell(value[0][0])
        return [[("" if v is None else v) for v in (r if isinstance(r, list) else [r])] for r in value]  # fmt: skip
    return value


def test_every_function_returns_what_python_returns(service, installed, tmp_path):
    cases = _function_cases()
    assert sorted(n for n, _ in cases) == sorted(n.upper() for n in functions.__all__)
    out = run_addin(
        scenario(service, installed, steps=[{"call": n, "args": a} for n, a in cases]),
        tmp_path,
    )
    assert sorted((f["namespace"], f["name"]) for f in out["registered"]) == sorted(
        ("JYYZ", n.upper()) for n in functions.__all__
    )
    for (name, args), got in zip(cases, out["results"], strict=True):
        assert got["threw"] is None, (name, got)
        python = work.values_json(getattr(functions, name.lower())(*args))
        assert got["value"] == as_cell(python), name
        assert not (isinstance(got["value"], str) and got["value"].startswith(NOT_RUNNING))


def test_a_date_object_argument_is_its_serial(service, installed, tmp_path):
    out = run_addin(
        scenario(
            service,
            installed,
            steps=[
                {"call": "JY_AGE", "args": [xlwings_helpers.ID_ZHANG, {"$date": AS_OF.isoformat()}]}
            ],
        ),
        tmp_path,
    )
    assert out["results"][0]["value"] == functions.jy_age(
        xlwings_helpers.ID_ZHANG, xlwings_helpers.serial(AS_OF)
    )


def test_function_errors_are_cell_texts(service, installed, tmp_path):
    out = run_addin(
        scenario(
            service,
            installed,
            steps=[
                {"call": "JY_ID", "args": ["123"]},
                {"call": "JY_PARAM", "args": ["XX-1", "补贴期限（年）"]},
            ],
        ),
        tmp_path,
    )
    bad_id, bad_policy = (r["value"] for r in out["results"])
    assert bad_id == functions.jy_id("123") and bad_id.startswith("错误：")
    assert bad_policy == functions.jy_param("XX-1", "补贴期限（年）")


# --------------------------------------------------------------------------- no service


def test_without_the_service_cells_and_buttons_say_so(tmp_path, harness):
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, JYYZ_HOME=str(tmp_path / "state"), HOME=str(home))
    r = install(env, tmp_path / "jsaddons")
    assert r.returncode == 0, r.stdout + r.stderr
    addin = tmp_path / "jsaddons" / wps_install.folder_name()
    path = workbooks.sample_path()
    book = {"name": path.name, "sheets": sheets_of(path), "active": None, "selection": "A5:A9"}
    buttons = ["btnFill", "btnCheck", "btnAgreements", "btnNotice", "btnLetters", "btnReport", "btnPage"]  # fmt: skip
    steps = [{"call": "JY_ID", "args": ["110105194912310021"]}, {"call": "JY_POLICIES"}]
    fake = type("S", (), {"home": home})()
    for state in ("missing", "stale"):
        if state == "stale":  # a discovery file left behind by a service that is gone
            (tmp_path / "state").mkdir()
            info = {"url": "http://127.0.0.1:9/", "port": 9, "token": "x", "pid": 1}
            (tmp_path / "state" / "service.json").write_text(json.dumps(info), encoding="utf-8")
        out = run_addin(
            scenario(fake, addin, workbook=book, steps=steps + [{"button": b} for b in buttons]),
            tmp_path,
        )
        for res in out["results"]:
            assert res["threw"] is None, res
            text = res["value"] if "call" in res else res["alerts"][0]
            assert text.startswith(NOT_RUNNING), (state, res)
        assert not [e for e in out["log"] if e["op"] in ("Value2", "AddComment")]


# --------------------------------------------------------------------------- 检查台账, 文书, 页面


def test_check_button_marks_what_jyyz_check_marks(service, installed, tmp_path):
    path = workbooks.sample_path()
    sheets = sheets_of(path) + [settings_sheet(None)]
    body = body_of(path, sheets)
    answer = work.sheet_check(body)
    out = run_addin(
        scenario(
            service,
            installed,
            workbook={"name": path.name, "sheets": sheets, "active": answer["recognised"]["sheet"]},
            steps=[{"button": "btnCheck"}],
        ),
        tmp_path,
    )
    assert out["results"][0]["alerts"][0].startswith("检查台账：")
    got = {s["name"]: s for s in out["sheets"]}
    ledger = got[answer["recognised"]["sheet"]]
    assert ledger["comments"] == {m["cell"]: m["message"] for m in answer["marks"]}
    fills = {f["range"]: f["value"] for f in ledger["formats"] if f["what"] == "Interior.Color"}
    # the object model's colours are BGR longs, as in VBA
    for m in answer["marks"]:
        rgb = int(m["fill"].lstrip("#"), 16)
        bgr = (rgb >> 16) + (rgb & 0xFF00) + ((rgb & 0xFF) << 16)
        assert fills[m["cell"]] == bgr

    def untimed(rows):  # the title carries the minute of the check
        return {k: re.sub(r"检查时间 [\d\- :]+", "检查时间", v) if isinstance(v, str) else v for k, v in grid(rows).items()}  # fmt: skip

    assert untimed(got[jobs.CHECK_SHEET]["rows"]) == untimed(answer["result_sheet"]["rows"])
    # the cells of the ledger are untouched
    original = next(s for s in sheets if s["name"] == answer["recognised"]["sheet"])
    assert grid(ledger["rows"]) == grid(original["rows"])


def test_notice_button_saves_papers_where_the_clerk_sees_them(service, installed, tmp_path):
    path = workbooks.sample_path()
    sheets = sheets_of(path) + [settings_sheet(None)]
    ledger = jobs.assess_workbook(path, None, AS_OF, None).ledger
    out = run_addin(
        scenario(
            service,
            installed,
            workbook={
                "name": path.name,
                "sheets": sheets,
                "active": ledger.sheet_name,
                "selection": "A5:A40",
            },
            steps=[{"button": "btnNotice"}, {"button": "btnAgreements"}],
        ),
        tmp_path,
    )
    for step, label in zip(out["results"], ("公示", "协议书"), strict=True):
        assert step["threw"] is None and not step["busy"]
        message = step["alerts"][-1]
        assert message.startswith(f"已生成{label}，保存在文件夹："), message
        folder = Path(message.split("\n", 1)[1])
        assert folder.is_dir() and str(folder).startswith(str(service.home))
        assert any(folder.iterdir())
    assert len(out["hyperlinks"]) == 2 and all(u.startswith("file:///") for u in out["hyperlinks"])


def _report_figures(path: Path) -> list[tuple]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [r for r in book["汇总"].iter_rows(min_row=4, values_only=True)]
    finally:
        book.close()


def test_report_button_saves_what_jyyz_report_writes(service, installed, tmp_path):
    """统计报表 on the open workbook: the quarter's report and its 通报 in a folder the
    clerk sees, with the figures ``jyyz report`` counts from the saved file."""
    from xl_addin.report import report

    path = workbooks.sample_path()
    command = report([path], tmp_path / "命令.xlsx", paper=False, workers=1)
    out = run_addin(
        scenario(
            service,
            installed,
            workbook={"name": path.name, "sheets": sheets_of(path)},
            steps=[{"button": "btnReport"}],
        ),
        tmp_path,
    )
    step = out["results"][0]
    assert step["threw"] is None and not step["busy"]
    message = step["alerts"][-1]
    head = f"已生成统计报表（{command.period.label}，{command.persons}人），保存在文件夹："
    assert message.startswith(head), message
    folder = Path(message.split("\n")[1])
    assert folder.is_dir() and str(folder).startswith(str(service.home))
    book = f"统计报表_{command.period.label}.xlsx"
    paper = f"统计报表_{command.period.label}_通报.docx"
    assert sorted(p.name for p in folder.iterdir()) == sorted([book, paper])
    assert message.split("\n")[2] == f"文件：{book}、{paper}"
    assert _report_figures(folder / book) == _report_figures(command.output)
    assert out["hyperlinks"] == [folder.as_uri()]
    # the open workbook is only read
    assert not [e for e in out["log"] if e["op"] in ("Value2", "AddComment")]


def test_report_button_without_a_ledger_says_why(service, installed, tmp_path):
    sheets = [{"name": "Sheet1", "rows": [["会议记录"], ["无人员名单"]]}]
    out = run_addin(
        scenario(
            service,
            installed,
            workbook={"name": "记录.xlsx", "sheets": sheets},
            steps=[{"button": "btnReport"}],
        ),
        tmp_path,
    )
    step = out["results"][0]
    assert step["threw"] is None and not step["busy"]
    assert step["alerts"][-1].startswith("生成统计报表失败："), step["alerts"]
    assert out["hyperlinks"] == []


def test_agreements_need_a_selection(service, installed, tmp_path):
    path = workbooks.sample_path()
    out = run_addin(
        scenario(
            service,
            installed,
            workbook={"name": path.name, "sheets": sheets_of(path), "selection": "A1"},
            steps=[{"button": "btnAgreements"}],
        ),
        tmp_path,
    )
    assert out["results"][0]["alerts"] == [
        "请先在台账中选中要生成协议书的人员所在行（可多选连续行）"
    ]


def test_page_button_opens_the_signin_link(service, installed, tmp_path):
    path = workbooks.sample_path()
    out = run_addin(
        scenario(
            service,
            installed,
            workbook={"name": path.name, "sheets": sheets_of(path)},
            steps=[{"button": "btnPage"}],
        ),
        tmp_path,
    )
    assert out["hyperlinks"] == [f"{service.base}/signin?token={service.info['token']}"]


def test_addin_served_by_the_service(service, harness, tmp_path):
    """The same files at http://127.0.0.1:PORT/wps/ (the online install) work too."""
    out = run_addin(
        scenario(
            service,
            f"{service.base}/wps/index.html",
            steps=[{"call": "JY_ID_SEX", "args": [xlwings_helpers.ID_ZHANG]}],
        ),
        tmp_path,
    )
    assert out["results"][0]["value"] == functions.jy_id_sex(xlwings_helpers.ID_ZHANG)


# --------------------------------------------------------------------------- the files


def test_every_js_file_is_es5(harness):
    acorn = harness / "node_modules" / "acorn" / "bin" / "acorn"
    files = sorted(ADDIN.rglob("*.js"))
    assert {f.relative_to(ADDIN).as_posix() for f in files} >= {"main.js", "js/functions.js"}
    for f in files:
        r = subprocess.run(
            [_node(), str(acorn), "--ecma5", "--silent", str(f)], capture_output=True, text=True
        )
        assert r.returncode == 0, f"{f}: {r.stderr}"
    # the check can fail: ES2015 is refused
    r = subprocess.run(
        [_node(), str(acorn), "--ecma5", "--silent"],
        input="let x = () => 1;",
        capture_output=True,
        text=True,
    )
    assert r.returncode != 0


RIBBON_CALLBACKS = ("onLoad", "onAction", "getImage", "getLabel", "getEnabled", "getVisible")


def test_ribbon_callbacks_exist_and_every_button_acts(harness, tmp_path):
    ns = "{http://schemas.microsoft.com/office/2006/01/customui}"
    text = (ADDIN / "ribbon.xml").read_text(encoding="utf-8")
    assert text.startswith("<customUI")  # WPS's publish page rejects an XML declaration here
    root = ET.fromstring(text)
    named = {el.get(a) for el in root.iter() for a in RIBBON_CALLBACKS if el.get(a)}
    buttons = [b.get("id") for b in root.iter(f"{ns}button")]
    labels = [b.get("label") for b in root.iter(f"{ns}button")]
    assert labels == [
        "填写计算列",
        "检查台账",
        "生成协议书",
        "生成公示",
        "生成责任书",
        "统计报表",
        "打开 jyyz 页面",
    ]
    groups = [g.get("label") for g in root.iter(f"{ns}group")]
    assert groups == ["台账", "文书", "统计", "jyyz"]
    assert [t.get("label") for t in root.iter(f"{ns}tab")] == ["就业援助"]
    home = tmp_path / "home"
    home.mkdir()
    fake = type("S", (), {"home": home})()
    path = workbooks.sample_path()
    out = run_addin(
        scenario(
            fake,
            ADDIN,
            workbook={"name": path.name, "sheets": sheets_of(path)},
            steps=[{"button": b} for b in buttons],
        ),
        tmp_path,
    )
    assert named <= set(out["globals"]), named - set(out["globals"])
    for b, step in zip(buttons, out["results"], strict=True):
        assert step["alerts"], b  # every button does something the clerk sees
        assert (ADDIN / step["image"]).is_file(), step["image"]


def test_generated_function_files_are_current():
    for rel, text in wps_install.generated_files().items():
        assert (ADDIN / rel).read_text(encoding="utf-8") == text, (
            f"{rel} 已过期：请运行 python -m xl_addin.wps_install --regenerate"
        )
    data = json.loads((ADDIN / "functions.json").read_text(encoding="utf-8"))
    cat = {f["name"]: f for f in work.catalogue()}
    assert [f["name"] for f in data["functions"]] == list(cat)
    for f in data["functions"]:
        assert f["description"] == cat[f["name"]]["help"]
        assert [p["description"] for p in f["parameters"]] == [a["help"] for a in cat[f["name"]]["args"]]  # fmt: skip
        assert all(p["description"] for p in f["parameters"]), f["name"]


def test_manifest_and_index_point_at_existing_files():
    manifest = ET.fromstring((ADDIN / "manifest.xml").read_bytes())
    assert manifest.findtext("Functions/Namespace") == wps_install.NAMESPACE
    assert (ADDIN / manifest.findtext("Functions/Uri").lstrip("/")).is_file()
    html = (ADDIN / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'src="\./([^"]+)"', html)
    assert scripts and all((ADDIN / s).is_file() for s in scripts)
    assert scripts[-1] == "js/functions.js"  # registered after Jyyz is defined


def test_install_writes_a_publish_file_whose_files_exist(tmp_path):
    folder = tmp_path / "jsaddons"
    folder.mkdir()
    other = '<jsplugins><jspluginonline name="其他加载项" url="http://10.0.0.1/a/" type="wps" enable="enable_dev"/></jsplugins>'  # fmt: skip
    (folder / "publish.xml").write_text(other, encoding="utf-8")
    env = dict(os.environ, JYYZ_HOME=str(tmp_path / "state"), HOME=str(tmp_path))
    for _ in range(2):  # installing again replaces the entry and the copy
        r = install(env, folder)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "已安装 WPS 加载项" in r.stdout
    root = ET.parse(folder / "publish.xml").getroot()
    ours = [e for e in root if e.get("name") == "jyyz"]
    assert len(ours) == 1 and ours[0].tag == "jsplugin"
    assert ours[0].get("type") == "et" and ours[0].get("enable") == "enable_dev"
    assert [e.get("name") for e in root if e.get("name") != "jyyz"] == ["其他加载项"]
    target = folder / ours[0].get("url")
    for name in ("ribbon.xml", "index.html", "main.js", "manifest.xml", "functions.json"):
        assert (target / name).is_file(), name
    for rel in wps_install.addin_files():
        assert (target / rel).is_file(), rel
    config = (target / "js" / "config.js").read_text(encoding="utf-8")
    assert json.dumps(str(tmp_path / "state" / "service.json")) in config

    r = install(env, folder, "--uninstall")
    assert r.returncode == 0 and "已卸载" in r.stdout
    root = ET.parse(folder / "publish.xml").getroot()
    assert [e.get("name") for e in root] == ["其他加载项"]
    assert not target.exists()


def test_install_options_need_wps(tmp_path):
    r = subprocess.run([_jyyz(), "install", "--dir", str(tmp_path)], capture_output=True, text=True)
    assert r.returncode != 0 and "请与 --wps 一起使用" in r.stdout + r.stderr
    assert not any(tmp_path.iterdir())


def test_install_online_entry(tmp_path):
    env = dict(os.environ, JYYZ_HOME=str(tmp_path / "state"), HOME=str(tmp_path))
    r = install(env, tmp_path / "j", "--url", "http://127.0.0.1:8765/wps/")
    assert r.returncode == 0, r.stdout + r.stderr
    entry = ET.parse(tmp_path / "j" / "publish.xml").getroot()[0]
    assert entry.tag == "jspluginonline" and entry.get("url") == "http://127.0.0.1:8765/wps/"


def test_broken_publish_file_is_left_alone(tmp_path):
    folder = tmp_path / "j"
    folder.mkdir()
    (folder / "publish.xml").write_text("<jsplugins><oops>", encoding="utf-8")
    env = dict(os.environ, JYYZ_HOME=str(tmp_path / "state"), HOME=str(tmp_path))
    r = install(env, folder)
    assert r.returncode == 1 and "不是有效的 XML" in r.stdout
    assert (folder / "publish.xml").read_text(encoding="utf-8") == "<jsplugins><oops>"


# --------------------------------------------------------------------------- the CORS door


def _http(method, url, headers=None, body=None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_cors_only_for_the_addin_origins_and_never_without_the_token(service):
    api = f"{service.base}/api/v1/functions/JY_ID"
    ask = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-jyyz-token,content-type"}  # fmt: skip
    status, headers, _ = _http("OPTIONS", api, {"Origin": "null", **ask})
    assert status == 204 and headers["access-control-allow-origin"] == "null"
    assert "X-JYYZ-Token" in headers["access-control-allow-headers"]
    status, headers, _ = _http("OPTIONS", api, {"Origin": "http://evil.example", **ask})
    assert "access-control-allow-origin" not in {k.lower() for k in headers}
    body = json.dumps({"args": ["x"]}).encode()
    json_h = {"Origin": "null", "Content-Type": "application/json"}
    status, _, _ = _http("POST", api, json_h, body)
    assert status == 401
    status, headers, data = _http("POST", api, {**json_h, "X-JYYZ-Token": service.info["token"]}, body)  # fmt: skip
    assert status == 200 and headers["access-control-allow-origin"] == "null"
    status, _, _ = _http("POST", api, {**json_h, "Origin": "http://evil.example", "X-JYYZ-Token": service.info["token"]}, body)  # fmt: skip
    assert status == 403
    # a page of the service needs its cookie, whatever the origin
    status, _, _ = _http("GET", f"{service.base}/", {"Origin": "null"})
    assert status == 401


def test_a_selection_without_people_is_told_in_the_buttons_words(service, installed, tmp_path):
    path = workbooks.sample_path()
    out = run_addin(
        scenario(
            service,
            installed,
            workbook={"name": path.name, "sheets": sheets_of(path), "selection": "A2:A3"},
            steps=[{"button": "btnNotice"}],
        ),
        tmp_path,
    )
    message = out["results"][0]["alerts"][-1]
    assert message.startswith("生成公示失败：") and "请检查选中的行" in message, message
    assert "--rows" not in message
