"""``jyyz`` end to end: exit codes, outputs, untouched inputs, Chinese errors."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbooks import SAMPLE_POLICIES, sample_path
from xl_addin import cli, jobs

ROOT = Path(__file__).resolve().parent.parent


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ledger(tmp_path) -> Path:
    dst = tmp_path / "台账.xlsx"
    shutil.copyfile(sample_path("SX-2008"), dst)
    return dst


def test_demo_end_to_end(tmp_path, capsys):
    hashes = {p: _sha(sample_path(p)) for p in SAMPLE_POLICIES}
    started = time.monotonic()
    code, out, err = run(capsys, "demo", "-o", str(tmp_path / "demo"))
    assert code == 0, err
    assert time.monotonic() - started < 30
    demo = tmp_path / "demo"
    assert (demo / "台账样例_SX-2008.已填写.xlsx").exists()
    assert (demo / "台账样例_SX-2008.检查结果.xlsx").exists()
    for kind in ("协议书", "公示", "责任书"):
        assert list((demo / "文书" / kind).glob(f"{kind}_*.docx")), kind
    assert "演示汇总" in out and "台账人数" in out and "生成文书" in out and "数据问题" in out
    assert {p: _sha(sample_path(p)) for p in SAMPLE_POLICIES} == hashes


def test_fill_command(ledger, capsys):
    before = _sha(ledger)
    code, out, err = run(capsys, "fill", str(ledger), "--as-of", "2026-11-01")
    assert code == 0, err
    assert _sha(ledger) == before
    assert ledger.with_name("台账.已填写.xlsx").exists()
    assert "SX-2008" in out and "认定类别" in out and "汇总" in out
    assert "D" in out and "第18位应为" in out  # problems with their cells


def test_fill_in_place_and_formulas(ledger, capsys):
    code, out, err = run(capsys, "fill", str(ledger), "--in-place", "--formulas")
    assert code == 0, err
    backups = list(ledger.parent.glob("台账.备份-*.xlsx"))
    assert len(backups) == 1 and _sha(backups[0]) == _sha(sample_path("SX-2008"))
    assert "备份" in out and "公式" in out


def test_check_command(ledger, capsys):
    before = _sha(ledger)
    code, out, err = run(capsys, "check", str(ledger))
    assert code == 0, err
    assert _sha(ledger) == before
    assert "错误 10 处" in out and "15位" in out
    assert ledger.with_name("台账.检查结果.xlsx").exists()


def test_docs_command(ledger, tmp_path, capsys):
    code, out, err = run(
        capsys, "docs", str(ledger), "--kind", "协议书", "-o", str(tmp_path / "d"),
        "--rows", "5-80", "--where", "社区=桥头社区",
    )  # fmt: skip
    assert code == 0, err
    files = list((tmp_path / "d").glob("协议书_桥头社区_*.docx"))
    assert files and f"协议书：{len(files)} 份" in out


def _no_traceback(err: str) -> None:
    assert "Traceback" not in err
    assert err.startswith("错误：") or "错误：" in err


@pytest.mark.parametrize(
    "make, extra, words",
    [
        (lambda d: d / "不存在.xlsx", [], "找不到文件"),
        (lambda d: (d / "坏.xlsx").write_bytes(b"not a zip") and d / "坏.xlsx", [], "损坏"),
        (lambda d: (d / "旧.xls").write_bytes(b"\xd0\xcf\x11\xe0") and d / "旧.xls", [], ".xls"),
        (None, ["--policy", "XX-9"], "未知的政策代码"),
        (None, ["--as-of", "2026-02-30"], "认定基准日期"),
        (None, ["--sheet", "无此表"], "没有名为"),
    ],
)
def test_bad_inputs_give_chinese_errors(tmp_path, ledger, capsys, make, extra, words):
    path = make(tmp_path) if make else ledger
    code, out, err = run(capsys, "fill", str(path), *extra)
    assert code == 2
    _no_traceback(err)
    assert words in err


def test_missing_header(tmp_path, capsys):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["甲", "乙", "丙"])
    ws.append([1, 2, 3])
    wb.save(tmp_path / "无表头.xlsx")
    code, out, err = run(capsys, "fill", str(tmp_path / "无表头.xlsx"), "--policy", "SX-2008")
    assert code == 2
    _no_traceback(err)
    assert "表头" in err


def test_usage_errors_exit_2_in_chinese(capsys):
    code, out, err = run(capsys, "fill")
    assert code == 2 and "缺少参数" in err
    code, out, err = run(capsys, "docs", "x.xlsx", "--kind", "通知")
    assert code == 2 and "无效的选项" in err


def test_unexpected_errors_hint_at_debug(ledger, capsys, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("意外")

    monkeypatch.setattr(jobs, "fill", boom)
    code, out, err = run(capsys, "fill", str(ledger))
    assert code == 1 and "--debug" in err and "Traceback" not in err
    code, out, err = run(capsys, "fill", str(ledger), "--debug")
    assert code == 1 and "Traceback" in err


def test_console_script_runs():
    exe = Path(sys.executable).with_name("jyyz")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "xl_addin.cli"]
    out = subprocess.run([*cmd, "--help"], capture_output=True, text=True, check=False)
    assert out.returncode == 0 and "fill" in out.stdout and "用法" in out.stdout


#: Libraries the work needs and the help does not: loading them costs most of a second.
HEAVY_MODULES = ("pandas", "numpy", "holidays", "cn2an", "openpyxl", "xlwings", "docxtpl")


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["fill", "--help"],
        ["docs", "--help"],
        ["report", "--help"],
        ["fill"],  # an argument error: 缺少参数
        ["docs", "x.xlsx", "--kind", "通知"],
        ["bogus"],
    ],
)
def test_help_and_argument_errors_load_no_heavy_library(argv):
    """``jyyz --help`` and a mistyped command answer at once: nothing of pandas, numpy,
    the holiday data or cn2an is imported before the arguments are known to be good."""
    code = (
        "import sys\n"
        "from xl_addin.cli import main\n"
        "try:\n    rc = main(sys.argv[1:])\n"
        "except SystemExit as e:\n    rc = e.code\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY_MODULES!r})\n"
        "print('HEAVY', heavy, rc, file=sys.stderr)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False
    )
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("HEAVY [] "), last
    assert last.endswith(" 0" if argv[-1] == "--help" else " 2"), out.stderr


def test_bench_fill_small():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_fill.py"), "--rows", "300", "--baseline"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "rows/s" in out.stdout and "peak RSS" in out.stdout and "ratio" in out.stdout
