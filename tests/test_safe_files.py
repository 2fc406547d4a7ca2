"""The one write-safely path: kept, backed up, atomic, cleaned on failure, errors in Chinese."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from calc import safe_files
from calc.errors import InputError
from calc.safe_files import TargetExists, safe_replace, write_bytes_safely


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("~jyyz-"))


def test_new_file_is_written_without_backup(tmp_path):
    backups: list[Path] = []
    target = write_bytes_safely(tmp_path / "新.docx", b"abc", backups=backups)
    assert target.read_bytes() == b"abc"
    assert backups == []
    assert _leftovers(tmp_path) == []


def test_existing_file_is_backed_up_before_replace(tmp_path):
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"clerk's note")
    backups: list[Path] = []
    write_bytes_safely(target, b"new", backups=backups)
    assert target.read_bytes() == b"new"
    assert len(backups) == 1
    assert backups[0].parent == tmp_path
    assert backups[0].name.startswith("台账.备份-") and backups[0].suffix == ".xlsx"
    assert backups[0].read_bytes() == b"clerk's note"


def test_two_backups_in_the_same_second_get_distinct_names(tmp_path):
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"1")
    backups: list[Path] = []
    write_bytes_safely(target, b"2", backups=backups)
    write_bytes_safely(target, b"3", backups=backups)
    assert len({b.name for b in backups}) == 2
    assert sorted(b.read_bytes() for b in backups) == [b"1", b"2"]


def test_unchanged_content_is_a_no_op(tmp_path):
    target = tmp_path / "a.docx"
    target.write_bytes(b"same")
    before = target.stat().st_mtime_ns
    backups: list[Path] = []
    write_bytes_safely(target, b"same", backups=backups)
    assert backups == [] and target.stat().st_mtime_ns == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx"]


def test_refuse_keeps_the_existing_file(tmp_path):
    target = tmp_path / "other.xlsx"
    target.write_bytes(b"unrelated workbook")
    with pytest.raises(TargetExists) as info:
        write_bytes_safely(target, b"x", existing="refuse")
    assert "已存在" in info.value.message and "other.xlsx" in info.value.message
    assert target.read_bytes() == b"unrelated workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.xlsx"]


def test_refuse_keeps_a_file_made_by_another_run_at_the_last_moment(tmp_path, monkeypatch):
    """Two runs creating the same file (the register key on first use): the
    one that comes second must not replace the first one's file, even when the
    first one writes it after the second checked that the name was free."""
    target = tmp_path / "register.key"
    flush = safe_files._fsync_file

    def other_run_wins(path):
        flush(path)
        target.write_bytes(b"the other run's key")

    monkeypatch.setattr(safe_files, "_fsync_file", other_run_wins)
    with pytest.raises(TargetExists):
        write_bytes_safely(target, b"my key", existing="refuse")
    assert target.read_bytes() == b"the other run's key"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.key"]


def test_ctrl_c_just_after_the_temporary_file_is_made_leaves_nothing(tmp_path, monkeypatch):
    """Ctrl-C the instant the temporary file exists (SIGINT masking does not
    hold it back while another thread of the process runs): the clean-up knows
    the file and removes it; the target is untouched."""
    target = tmp_path / "协议书.docx"
    target.write_bytes(b"old paper")
    real_open = os.open

    def open_then_interrupt(path, flags, mode=0o777, *args, **kwargs):
        fd = real_open(path, flags, mode, *args, **kwargs)
        if os.path.basename(os.fspath(path)).startswith("~jyyz-"):
            monkeypatch.setattr(os, "open", real_open)
            os.close(fd)
            raise KeyboardInterrupt
        return fd

    monkeypatch.setattr(os, "open", open_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_bytes_safely(target, b"new paper")
    assert target.read_bytes() == b"old paper"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["协议书.docx"]


def test_failure_while_writing_leaves_target_and_no_temp(tmp_path):
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), safe_replace(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]


def test_interrupt_cleans_up(tmp_path):
    target = tmp_path / "a.xlsx"
    with pytest.raises(KeyboardInterrupt), safe_replace(target) as tmp:
        tmp.write_bytes(b"half")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_verify_rejects_new_content(tmp_path):
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"old")

    def verify(p: Path) -> None:
        raise InputError("新文件无法读取")

    with pytest.raises(InputError, match="无法读取"), safe_replace(target, verify=verify) as tmp:
        tmp.write_bytes(b"bad")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]


def test_disk_full_during_backup_leaves_no_backup_looking_valid(tmp_path, monkeypatch):
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"x" * 1000)
    real_copy = shutil.copyfile

    def copy_truncated(src, dst, *a, **k):
        real_copy(src, dst)
        with open(dst, "r+b") as fh:
            fh.truncate(10)
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(safe_files.shutil, "copyfile", copy_truncated)
    with pytest.raises(InputError) as info:
        write_bytes_safely(target, b"new")
    assert "磁盘空间不足" in info.value.message and "台账" in info.value.message
    assert target.read_bytes() == b"x" * 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]


def test_backup_that_differs_from_the_original_is_removed(tmp_path, monkeypatch):
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"x" * 1000)
    real_copy = shutil.copyfile

    def copy_short(src, dst, *a, **k):
        real_copy(src, dst)
        with open(dst, "r+b") as fh:
            fh.truncate(10)

    monkeypatch.setattr(safe_files.shutil, "copyfile", copy_short)
    with pytest.raises(InputError, match="备份"):
        write_bytes_safely(target, b"new")
    assert target.read_bytes() == b"x" * 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "磁盘空间不足"),
        (errno.EACCES, "没有权限"),
        (errno.EROFS, "只读"),
        (errno.ENAMETOOLONG, "路径"),
        (errno.ENOENT, "找不到"),
        (errno.EIO, "系统提示"),
    ],
)
def test_os_errors_are_chinese_and_name_the_path(code, words):
    text = safe_files.describe_os_error(OSError(code, os.strerror(code)), "D:/台账/输出.xlsx")
    assert words in text and "D:/台账/输出.xlsx" in text
    assert "Errno" not in text


def test_missing_folder_is_a_chinese_error(tmp_path):
    with pytest.raises(InputError, match="找不到"):
        write_bytes_safely(tmp_path / "没有这个文件夹" / "a.docx", b"x")


def test_target_that_is_a_folder(tmp_path):
    (tmp_path / "a.docx").mkdir()
    with pytest.raises(InputError, match="文件夹"):
        write_bytes_safely(tmp_path / "a.docx", b"x")


def _tiny_fs(tmp_path: Path) -> Path:
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], capture_output=True
    )
    if r.returncode != 0:
        pytest.skip("无法挂载小容量 tmpfs（需要 root 且允许 mount）：" + r.stderr.decode()[:200])
    return mnt


def test_real_disk_full_on_a_tiny_filesystem(tmp_path):
    mnt = _tiny_fs(tmp_path)
    try:
        target = mnt / "台账.xlsx"
        target.write_bytes(b"k" * 40_000)  # the backup of this cannot fit beside it
        with pytest.raises(InputError) as info:
            write_bytes_safely(target, b"n" * 10_000)
        assert "磁盘空间不足" in info.value.message
        assert target.read_bytes() == b"k" * 40_000
        assert sorted(p.name for p in mnt.iterdir()) == ["台账.xlsx"]
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_read_only_folder_as_a_normal_user(open_tmp):
    """Root ignores permissions: run the write as 'nobody' against a folder it cannot write."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("需要 root 与 setpriv 才能以普通用户身份测试权限")
    folder = open_tmp / "只读"
    folder.mkdir()
    (folder / "a.docx").write_bytes(b"old")
    os.chmod(folder, 0o555)
    code = (
        "import sys; from calc.safe_files import write_bytes_safely\n"
        "from calc.errors import InputError\n"
        "try:\n"
        f"    write_bytes_safely({str(folder / 'a.docx')!r}, b'new')\n"
        "except InputError as e:\n"
        "    print(e.message); sys.exit(2)\n"
    )
    root = Path(__file__).resolve().parents[1]

    def as_nobody(source: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            + [sys.executable, "-c", source],
            capture_output=True,
            text=True,
            cwd=open_tmp,
            env={**os.environ, "PYTHONPATH": str(root)},
        )

    probe = as_nobody("import calc.safe_files")
    if probe.returncode != 0:
        pytest.skip("普通用户无法读取本项目或其 Python：" + probe.stderr[-200:])
    r = as_nobody(code)
    assert r.returncode == 2, r.stderr
    assert "没有权限" in r.stdout
    assert (folder / "a.docx").read_bytes() == b"old"
    assert sorted(p.name for p in folder.iterdir()) == ["a.docx"]


def test_permission_on_a_folder_says_folder(tmp_path):
    text = safe_files.describe_os_error(PermissionError(errno.EACCES, "denied"), tmp_path)
    assert "没有权限在文件夹" in text and str(tmp_path) in text and "Excel" not in text
    text = safe_files.describe_os_error(
        PermissionError(errno.EACCES, "denied"), tmp_path / "a.xlsx", action="读写"
    )
    assert "没有权限读写" in text
