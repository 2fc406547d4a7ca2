"""Issue 12: no file replaced without a backup, every OS failure in Chinese, honest messages.

Each test is one failure a new user met (listed at the top of the issue), run
through the ``jyyz`` command line as the clerk runs it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from workbooks import sample_path
from xl_addin import cli, jobs, ledger_write

ROOT = Path(__file__).resolve().parents[1]


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _backups(folder: Path, stem: str) -> list[Path]:
    return sorted(folder.glob(f"{stem}.备份-*"))


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("~"))


@pytest.fixture
def ledger(tmp_path) -> Path:
    dst = tmp_path / "台账.xlsx"
    shutil.copyfile(sample_path("SX-2008"), dst)
    return dst


def _other_workbook(path: Path, note: str) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "花名册"
    wb.active["A1"] = note
    wb.save(path)
    return path


def _note_in(path: Path, sheet: str, cell: str) -> object:
    wb = openpyxl.load_workbook(path)
    try:
        return wb[sheet][cell].value
    finally:
        wb.close()


# --------------------------------------------------------------------------- 1. backups


def test_fill_onto_an_unrelated_existing_workbook_backs_it_up(ledger, capsys):
    other = _other_workbook(ledger.with_name("花名册.xlsx"), "别人的花名册")
    before = _sha(other)
    code, out, err = run(capsys, "fill", str(ledger), "-o", str(other))
    assert code == 0, err
    backups = _backups(other.parent, "花名册")
    assert len(backups) == 1 and _sha(backups[0]) == before
    assert "原有内容已备份为" in out and backups[0].name in out
    assert "台账" in openpyxl.load_workbook(other).sheetnames  # the output replaced it
    assert _leftovers(ledger.parent) == []


def test_check_output_onto_an_existing_file_backs_it_up(ledger, capsys):
    target = _other_workbook(ledger.with_name("x.xlsx"), "上次的检查记录")
    before = _sha(target)
    code, out, err = run(capsys, "check", str(ledger), "-o", str(target))
    assert code == 0, err
    backups = _backups(target.parent, "x")
    assert len(backups) == 1 and _sha(backups[0]) == before
    assert _note_in(backups[0], "花名册", "A1") == "上次的检查记录"
    assert jobs.CHECK_SHEET in openpyxl.load_workbook(target).sheetnames
    assert "原有内容已备份为" in out


def test_second_fill_keeps_the_clerks_note_in_a_backup(ledger, capsys):
    assert run(capsys, "fill", str(ledger), "--as-of", "2026-11-01")[0] == 0
    first = jobs.default_output(ledger, jobs.FILLED_SUFFIX)
    wb = openpyxl.load_workbook(first)
    wb["台账"]["AS5"] = "王科员：第12行已电话核实"
    wb.save(first)
    noted = _sha(first)
    code, out, err = run(capsys, "fill", str(ledger), "--as-of", "2026-11-01")
    assert code == 0, err
    backups = _backups(ledger.parent, first.stem)
    assert len(backups) == 1 and _sha(backups[0]) == noted
    assert _note_in(backups[0], "台账", "AS5") == "王科员：第12行已电话核实"
    assert _sha(first) != noted


def test_same_output_twice_makes_no_backup(ledger, capsys):
    for _ in range(2):
        assert run(capsys, "fill", str(ledger), "--as-of", "2026-11-01")[0] == 0
    assert _backups(ledger.parent, ledger.stem + jobs.FILLED_SUFFIX) == []


def test_in_place_backs_up_the_ledger(ledger, capsys):
    before = _sha(ledger)
    code, out, err = run(capsys, "fill", str(ledger), "--in-place")
    assert code == 0, err
    backups = _backups(ledger.parent, ledger.stem)
    assert len(backups) == 1 and _sha(backups[0]) == before
    assert _sha(ledger) != before


def test_demo_keeps_an_edited_copy(tmp_path, capsys):
    out_dir = tmp_path / "演示"
    assert run(capsys, "demo", "-o", str(out_dir), "--as-of", "2026-11-01")[0] == 0
    copy = out_dir / sample_path("SX-2008").name
    wb = openpyxl.load_workbook(copy)
    wb["台账"]["AS5"] = "改过的样例"
    wb.save(copy)
    edited = _sha(copy)
    assert run(capsys, "demo", "-o", str(out_dir), "--as-of", "2026-11-01")[0] == 0
    assert any(_sha(b) == edited for b in _backups(out_dir, copy.stem))


# --------------------------------------------------------------------------- 2. OS failures


@contextlib.contextmanager
def tiny_filesystem(folder: Path, size: int):
    """A tmpfs of ``size`` bytes mounted on ``folder`` (root and mount needed, else skip)."""
    folder.mkdir()
    pages = -(-size // 4096) * 4096
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={pages}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        pytest.skip("无法挂载小容量 tmpfs（需要 root 且允许 mount）：" + r.stderr[:200])
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_disk_full_output_is_chinese_and_leaves_nothing(ledger, tmp_path, capsys):
    with tiny_filesystem(tmp_path / "小U盘", 16 * 1024) as small:
        code, out, err = run(capsys, "fill", str(ledger), "-o", str(small / "输出.xlsx"))
        assert code == 2
        assert "磁盘空间不足" in err and "输出.xlsx" in err
        assert "OSError" not in err and "程序内部错误" not in err and "Traceback" not in err
        assert list(small.iterdir()) == []


def test_in_place_whose_backup_does_not_fit_leaves_no_corrupt_backup(ledger, tmp_path, capsys):
    filled = tmp_path / "参照.xlsx"
    assert run(capsys, "fill", str(ledger), "-o", str(filled))[0] == 0
    # room for the ledger and the new version, not for a backup as well
    size = ledger.stat().st_size + filled.stat().st_size + 8 * 1024
    with tiny_filesystem(tmp_path / "小盘", size) as small:
        target = small / "台账.xlsx"
        shutil.copyfile(ledger, target)
        before = _sha(target)
        code, out, err = run(capsys, "fill", str(target), "--in-place")
        assert code == 2, out
        assert "磁盘空间不足" in err and "Traceback" not in err
        assert _sha(target) == before
        assert sorted(p.name for p in small.iterdir()) == ["台账.xlsx"]


def _as_nobody(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("需要 root 与 setpriv 才能以普通用户身份测试权限")
    cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(cwd)}
    probe = subprocess.run([*cmd, "-c", "import xl_addin.cli"], capture_output=True, env=env)
    if probe.returncode != 0:
        pytest.skip("普通用户无法运行本项目的 Python：" + probe.stderr.decode()[-200:])
    return subprocess.run(
        [*cmd, "-m", "xl_addin.cli", *args], capture_output=True, text=True, cwd=cwd, env=env
    )


def test_read_only_output_folder_as_a_normal_user(open_tmp):
    ledger = open_tmp / "台账.xlsx"
    shutil.copyfile(sample_path("SX-2008"), ledger)
    os.chmod(ledger, 0o644)
    folder = open_tmp / "只读文件夹"
    folder.mkdir()
    os.chmod(folder, 0o555)
    r = _as_nobody(["fill", str(ledger), "-o", str(folder / "输出.xlsx")], open_tmp)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "没有权限在文件夹" in r.stderr and "只读文件夹" in r.stderr
    for english in ("PermissionError", "~jyyz", ".tmp", "Traceback", "Errno"):
        assert english not in r.stderr
    assert list(folder.iterdir()) == []


def test_unreadable_file_is_not_called_in_use(open_tmp):
    ledger = open_tmp / "台账.xlsx"
    shutil.copyfile(sample_path("SX-2008"), ledger)
    os.chmod(ledger, 0o600)  # root's: nobody may not read it
    r = _as_nobody(["check", str(ledger)], open_tmp)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "没有权限读取" in r.stderr
    assert "占用" not in r.stderr and "Traceback" not in r.stderr


def test_any_os_error_is_chinese_with_exit_2(ledger, capsys, monkeypatch):
    def vanished(*a, **k):
        raise FileNotFoundError(2, "No such file or directory", str(ledger))

    monkeypatch.setattr(jobs, "fill", vanished)
    code, out, err = run(capsys, "fill", str(ledger))
    assert code == 2 and "找不到" in err and str(ledger) in err
    assert "程序内部错误" not in err and "Errno" not in err


def test_check_that_cannot_save_its_result_exits_2(ledger, tmp_path, capsys):
    code, out, err = run(capsys, "check", str(ledger), "-o", str(tmp_path / "无此目录" / "x.xlsx"))
    assert code == 2
    assert "找不到" in err and "Traceback" not in err


# --------------------------------------------------------------------------- 6. honest messages


def test_lock_file_beside_the_workbook_refuses_in_place(ledger, capsys):
    lock = ledger.with_name("~$" + ledger.name)
    lock.write_bytes(b"\x06owner")
    before = _sha(ledger)
    code, out, err = run(capsys, "fill", str(ledger), "--in-place")
    assert code == 2
    assert "请先在 Excel 中关闭该工作簿" in err
    assert _sha(ledger) == before and _backups(ledger.parent, ledger.stem) == []


@pytest.mark.parametrize("ext", [".et", ".ett"])
def test_wps_formats_are_handled_alike(ledger, capsys, ext):
    wps = ledger.with_suffix(ext)
    shutil.copyfile(ledger, wps)
    for command in ("fill", "check"):
        code, out, err = run(capsys, command, str(wps))
        assert code == 2, (command, out)
        assert "WPS" in err and "另存为" in err and ".xlsx" in err


@pytest.mark.parametrize("mode", [[], ["--formulas"]])
def test_a_32000_character_input_does_not_abort_the_fill(ledger, tmp_path, capsys, mode):
    wb = openpyxl.load_workbook(ledger)
    ws = wb["台账"]
    for row in (6, 7):
        ws.cell(row=row, column=17).value = "无法识别的日期" + "长" * 32_000  # 失业登记日期
        ws.cell(row=row, column=5).value = "出生" + "久" * 32_000  # 出生日期
    wb.save(ledger)
    out_path = tmp_path / "out.xlsx"
    code, out, err = run(capsys, "fill", str(ledger), "-o", str(out_path), *mode)
    assert code == 0, err
    res = openpyxl.load_workbook(out_path)["台账"]
    header = {res.cell(row=4, column=c).value: c for c in range(1, res.max_column + 1)}
    text = res.cell(row=6, column=header["数据问题"]).value
    assert len(text) <= ledger_write.MAX_TEXT
    assert "以下" in text and "省略" in text


def test_fit_cell_text():
    assert ledger_write.fit_cell_text("短") == "短"
    assert ledger_write.fit_cell_text(5) == 5
    long = "字" * 40_000
    cut = ledger_write.fit_cell_text(long)
    assert ledger_write.MAX_TEXT - 5 <= len(cut) <= ledger_write.MAX_TEXT
    assert cut.startswith("字" * 100) and "省略" in cut


# --------------------------------------------------------------------------- Ctrl-C


def _jyyz(*args: str) -> list[str]:
    exe = Path(sys.executable).with_name("jyyz")
    return [str(exe), *args] if exe.exists() else [sys.executable, "-m", "xl_addin.cli", *args]


def _interrupt(args: list[str], after: float, cwd: Path) -> subprocess.CompletedProcess:
    proc = subprocess.Popen(
        _jyyz(*args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    time.sleep(after)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.parametrize("after", [0.15, 0.4, 0.8])
def test_ctrl_c_early_ends_quietly(ledger, after):
    r = _interrupt(["fill", str(ledger)], after, ledger.parent)
    assert "Traceback" not in r.stderr, r.stderr
    assert _leftovers(ledger.parent) == []
    if r.returncode == 0:
        pytest.skip("这台机器上命令在 SIGINT 之前已运行完")
    if r.returncode == -signal.SIGINT:
        # Python's own start-up or shutdown (no jyyz code running): killed silently
        pytest.skip("SIGINT 落在解释器启动或退出阶段")
    assert r.returncode == cli.EXIT_CANCELLED and "已取消。" in r.stderr
    assert _leftovers(ledger.parent) == []


def test_ctrl_c_mid_run_ends_quietly_and_cleans_up(tmp_path):
    big = tmp_path / "大台账.xlsx"
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_fill import make_ledger
    finally:
        sys.path.remove(str(ROOT / "bench"))
    make_ledger(str(big), 20_000)
    before = _sha(big)
    proc = subprocess.Popen(
        _jyyz("fill", str(big), "--policy", "SX-2008", "--in-place"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(
        p.name.startswith("~") for p in tmp_path.iterdir()
    ):
        time.sleep(0.01)  # until the workbook is being written
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    if proc.returncode == 0:
        pytest.skip("写入在 SIGINT 之前已完成")
    assert proc.returncode == cli.EXIT_CANCELLED and "已取消。" in err
    assert _sha(big) == before
    assert _leftovers(tmp_path) == []
    assert _backups(tmp_path, big.stem) == []
    with zipfile.ZipFile(big) as zf:
        assert zf.testzip() is None


def test_doc_kinds_match_the_jobs():
    assert cli.DOC_KINDS == jobs.DOC_KINDS


def test_path_too_long_is_chinese(ledger, tmp_path, capsys):
    code, out, err = run(capsys, "fill", str(ledger), "-o", str(tmp_path / ("长" * 120 + ".xlsx")))
    assert code == 2
    assert "太长" in err and "Traceback" not in err and "Errno" not in err
    assert _leftovers(tmp_path) == []


def test_output_open_in_excel_is_not_replaced(ledger, capsys):
    other = _other_workbook(ledger.with_name("输出.xlsx"), "正在编辑")
    ledger.with_name("~$输出.xlsx").write_bytes(b"\x06owner")
    before = _sha(other)
    code, out, err = run(capsys, "fill", str(ledger), "-o", str(other))
    assert code == 2 and "请先在 Excel 中关闭该工作簿" in err
    assert _sha(other) == before and _backups(other.parent, "输出") == []


def test_jobs_raise_chinese_for_a_path_too_long(ledger, tmp_path):
    """The buttons call the jobs directly: they get an InputError, not an OSError."""
    from calc.errors import InputError

    with pytest.raises(InputError, match="太长"):
        jobs.fill(ledger, out=tmp_path / ("长" * 120 + ".xlsx"))
    with pytest.raises(InputError, match="太长"):
        ledger_write.write_cells(ledger, tmp_path / ("长" * 120 + ".xlsx"), "台账", {(5, 40): 1})
    report = jobs.check(ledger, out=tmp_path / ("长" * 120 + ".xlsx"))
    assert "太长" in report.write_error and report.output is None


def test_in_place_backup_cut_short_is_removed(ledger, capsys, monkeypatch):
    """As on a full disk, without needing mount: the backup copy stops half-way."""
    import errno

    from calc import safe_files

    real_copy = shutil.copyfile

    def half_copy(src, dst, *a, **k):
        real_copy(src, dst)
        with open(dst, "r+b") as fh:
            fh.truncate(os.path.getsize(src) // 2)
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(safe_files.shutil, "copyfile", half_copy)
    before = _sha(ledger)
    code, out, err = run(capsys, "fill", str(ledger), "--in-place")
    assert code == 2 and "磁盘空间不足" in err
    assert _sha(ledger) == before
    assert sorted(p.name for p in ledger.parent.iterdir()) == [ledger.name]
