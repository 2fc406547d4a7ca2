"""Writing files without ever losing what was there: the one write-safely path.

Every file jyyz writes — a filled ledger, a checked copy, a document, a
register, a print file — goes through :func:`safe_replace` (or
:func:`write_bytes_safely`, which uses it):

* the new content is written to a fresh temporary file in the target's own
  folder and moved over the target with :func:`os.replace` (atomic on one
  file system), so a reader never sees a half-written file;
* when the target already exists it is either **kept** (``existing="refuse"``:
  nothing is written, :class:`TargetExists` is raised) or **backed up** first
  (``existing="backup"``, the default): a timestamped copy beside it
  (``台账.备份-20261201-153000.xlsx``), read back and compared byte for byte
  before the replace goes ahead; new content identical to the target's is a
  no-op (no replace, no backup);
* on any failure — disk full, no permission, read-only folder, a name too
  long, Ctrl-C — the temporary file and a half-made backup are removed, the
  target is unchanged, and the error is an :class:`calc.errors.InputError`
  whose Chinese message names the path and says what to do.

This module knows no file format; callers that can check a format (a zip
test for .xlsx/.docx) pass ``verify``.  It lives in ``calc`` because both
edges (``xl_addin`` and ``doc_templates``) write files and ``calc`` is the
layer both depend on; it does no Excel or Word work.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

from calc.errors import InputError

Existing = Literal["backup", "refuse", "replace"]

#: The name of every temporary file this module makes: ``~jyyz-`` + 8
#: random characters + the target's suffix + ``.tmp``.
TEMP_PREFIX = "~jyyz-"
TEMP_PATTERN = re.compile(r"~jyyz-[A-Za-z0-9_]{8}(\.[^.\\/]{1,16})?\.tmp")
#: A temporary file older than this is left over from a run that was killed
#: (a run of jyyz writes one file in minutes, not hours).
STALE_AFTER_SECONDS = 6 * 3600
_swept: set[str] = set()

__all__ = [
    "TargetExists",
    "backup_path_for",
    "describe_os_error",
    "make_backup",
    "os_errors_in_chinese",
    "remove_stale_temps",
    "safe_replace",
    "write_bytes_safely",
]


class TargetExists(InputError):
    """The target file exists and the caller asked to keep it."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        super().__init__(
            f"文件“{self.path}”已存在，未覆盖。请换一个输出文件名，或先移走该文件。",
            value=str(self.path),
        )


def describe_os_error(
    exc: OSError, path: str | os.PathLike[str] | None = None, *, action: str = "写入"
) -> str:
    """A Chinese sentence for an operating-system failure on ``path``: what and what to do.

    ``action`` names what was being done where the error does not say it
    ("写入", or "读写" when the caller does not know).
    """
    where = f"“{path if path is not None else (exc.filename or '')}”"
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return f"磁盘空间不足，无法写入{where}。请清理磁盘或换一个有空间的文件夹后重试。"
    if code == errno.EROFS:
        return f"{where}所在的位置是只读的（如光盘或写保护的U盘），无法写入。请换一个文件夹。"
    if (code in (errno.EACCES, errno.EPERM) or isinstance(exc, PermissionError)) and (
        path is not None and os.path.isdir(path)
    ):
        return f"没有权限在文件夹{where}中{action}文件（文件夹只读或无写入权限）。请换一个文件夹。"
    if code in (errno.EACCES, errno.EPERM) or isinstance(exc, PermissionError):
        return (
            f"没有权限{action}{where}。请确认该文件没有在 Excel/WPS 中打开、文件不是只读，"
            f"并且有该文件夹的{action}权限；或换一个文件夹。"
        )
    if code == errno.ENAMETOOLONG:
        return f"路径{where}太长，系统无法处理。请把文件放到路径较短的文件夹，或缩短文件名。"
    if code == errno.ENOENT or isinstance(exc, FileNotFoundError):
        return f"找不到{where}（文件或文件夹不存在，或已被移走、删除）。请检查路径。"
    if code == errno.ENOTDIR:
        return f"{where}的上级路径不是文件夹。请检查路径。"
    if code == errno.EISDIR or isinstance(exc, IsADirectoryError):
        return f"{where}是一个文件夹，不是文件。请给出文件名。"
    if code == errno.EBUSY:
        return f"{where}正被其他程序占用。请关闭占用它的程序后重试。"
    reason = exc.strerror or type(exc).__name__
    return f"{action}{where}时出错（系统提示：{reason}）。请检查该位置后重试。"


@contextlib.contextmanager
def os_errors_in_chinese(path: str | os.PathLike[str]) -> Iterator[None]:
    """Turn an :class:`OSError` raised inside the block into an :class:`InputError`."""
    try:
        yield
    except InputError:
        raise
    except OSError as exc:
        raise InputError(describe_os_error(exc, path), value=os.fspath(path)) from exc


def backup_path_for(path: str | os.PathLike[str], when: dt.datetime | None = None) -> Path:
    """``台账.xlsx`` → ``台账.备份-20261201-153000.xlsx``: a free name beside it."""
    p = Path(path)
    when = when or dt.datetime.now()
    base = f"{p.stem}.备份-{when:%Y%m%d-%H%M%S}"
    candidate = p.with_name(base + p.suffix)
    n = 2
    while candidate.exists():
        candidate = p.with_name(f"{base}-{n}{p.suffix}")
        n += 1
    return candidate


def _digest(path: Path) -> tuple[int, str]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            size += len(chunk)
            h.update(chunk)
    return size, h.hexdigest()


def make_backup(
    path: str | os.PathLike[str], *, verify: Callable[[Path], None] | None = None
) -> Path:
    """Copy ``path`` to a timestamped backup beside it, check it, and return its path.

    The copy is made under a temporary name, read back and compared with the
    original (size and SHA-256) — and with ``verify`` when given — and only
    then renamed to the backup name, so a backup that did not fit (disk full)
    never lies beside the file looking valid.
    """
    src = Path(path)
    dst = backup_path_for(src)
    made: list[Path] = []
    try:
        tmp = make_temp_file(dst.parent, dst.name, made)
        with os_errors_in_chinese(dst):
            shutil.copyfile(src, tmp)
            with contextlib.suppress(OSError):
                shutil.copystat(src, tmp)
            if _digest(src) != _digest(tmp):
                raise InputError(
                    f"备份“{dst}”与原文件不一致（可能磁盘已满或文件正被修改），已放弃写入。"
                )
            if verify is not None:
                verify(tmp)
            _fsync_file(tmp)
            os.replace(tmp, dst)
    except BaseException:
        _remove_temps(made)
        raise
    return dst


def remove_stale_temps(
    directory: str | os.PathLike[str], *, older_than: float = STALE_AFTER_SECONDS
) -> list[Path]:
    """Remove this module's own temporary files (:data:`TEMP_PATTERN`) older
    than ``older_than`` seconds from ``directory``; return what was removed.

    A run killed outright (power cut, kill -9, a closed console) cannot remove
    its temporary copy, which may hold a ledger's personal data; the next write
    into the folder does.  Only names this module makes are touched, and only
    old ones (a parallel run's temporary file is young).
    """
    folder = Path(directory)
    now = time.time()
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX) or not TEMP_PATTERN.fullmatch(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if now - entry.stat(follow_symlinks=False).st_mtime < older_than:
                continue
            os.remove(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


_TEMP_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"


def make_temp_file(directory: Path, like: str, made: list[Path]) -> Path:
    """Make an empty temporary file (owner-only) in ``directory``; return its path.

    The name is put in ``made`` *before* the file is created, so a Ctrl-C at
    any moment leaves the caller's clean-up (which removes what ``made`` lists)
    knowing every file that may exist.  Masking SIGINT is not enough for that:
    while another thread of the process runs (a reading worker, a zip
    stream), the signal may be taken by that thread and the interrupt raised
    in the main thread all the same.
    """
    suffix = Path(like).suffix
    if len(suffix) > 17 or not re.fullmatch(r"(\.[^.\\/]{1,16})?", suffix):
        suffix = ""
    with os_errors_in_chinese(directory):
        if not directory.is_dir():
            raise FileNotFoundError(errno.ENOENT, "not a folder", str(directory))
        key = os.path.abspath(directory)
        if key not in _swept:  # once per folder and process: a folder of papers is big
            _swept.add(key)
            remove_stale_temps(directory)
        flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        for _attempt in range(100):
            stem = "".join(secrets.choice(_TEMP_LETTERS) for _ in range(8))
            path = directory / f"{TEMP_PREFIX}{stem}{suffix}.tmp"
            made.append(path)
            try:
                os.close(os.open(path, flags, 0o600))
            except FileExistsError:
                made.pop()  # another file's name: never ours to remove
                continue
            return path
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(directory))


def _remove_temps(made: list[Path]) -> None:
    for path in made:
        with contextlib.suppress(OSError):
            os.remove(path)


def _fsync_file(path: Path) -> None:
    """Flush ``path``'s content to the disk (before it is renamed over a target)."""
    flags = os.O_RDWR | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def safe_replace(
    path: str | os.PathLike[str],
    *,
    existing: Existing = "backup",
    verify: Callable[[Path], None] | None = None,
    backups: list[Path] | None = None,
    mode: int | None = None,
) -> Iterator[Path]:
    """Yield a temporary path to write; on success move it over ``path``.

    ``existing`` says what happens when ``path`` already exists: ``"backup"``
    (a verified timestamped copy first, appended to ``backups`` when given),
    ``"refuse"`` (:class:`TargetExists`, checked before anything is written)
    or ``"replace"`` (no backup: for the program's own state files).
    ``mode`` gives the new file's permissions (e.g. ``0o600`` for a secret);
    they are set on the temporary file, which is made
    readable by the owner only, *before* it takes the target's name, so there
    is no moment in which others can read it.  The content is flushed to the
    disk (fsync) before the rename, so a power cut after the rename never
    leaves an empty or half-written file under the target's name.
    ``verify(tmp)`` may raise to reject the new content before it replaces
    anything.  Whatever fails, nothing half-written is left behind.
    """
    target = Path(path)
    if target.is_dir():
        raise InputError(f"“{target}”是一个文件夹，不是文件。请给出文件名。", value=str(target))
    if existing == "refuse" and target.exists():
        raise TargetExists(target)
    made: list[Path] = []
    made_backup: Path | None = None
    try:
        tmp = make_temp_file(target.parent if str(target.parent) else Path("."), target.name, made)
        with os_errors_in_chinese(target):
            yield tmp
            if verify is not None:
                verify(tmp)
            if target.exists():
                if existing == "refuse":
                    raise TargetExists(target)
                if _digest(target) == _digest(tmp):
                    os.remove(tmp)  # unchanged: nothing to replace, nothing to back up
                    return
                if existing == "backup":
                    made_backup = make_backup(target)
            with contextlib.suppress(OSError):
                os.chmod(tmp, _mode_for(target) if mode is None else mode)
            _fsync_file(tmp)
            if existing == "refuse" and _link_exclusively(tmp, target):
                os.remove(tmp)
                return
            os.replace(tmp, target)
    except BaseException:
        _remove_temps(made)
        if made_backup is not None and target.exists():
            # the target was not replaced: the backup equals it and is not needed
            with contextlib.suppress(OSError):
                if _digest(made_backup) == _digest(target):
                    os.remove(made_backup)
        raise
    if made_backup is not None and backups is not None:
        backups.append(made_backup)


def _link_exclusively(tmp: Path, target: Path) -> bool:
    """Put ``tmp`` at ``target`` only if no file is there, atomically (a hard
    link fails when the name exists, so two runs creating the same file at the
    same moment cannot both win).  False where the file system has no hard
    links (the caller then replaces, after the existence check above)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise TargetExists(target) from None
    except NotImplementedError:
        return False
    except OSError as exc:
        if exc.errno in _NO_LINKS:
            return False
        raise
    return True


_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, None}


def write_bytes_safely(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    existing: Existing = "backup",
    backups: list[Path] | None = None,
    mode: int | None = None,
) -> Path:
    """Write ``data`` to ``path`` through :func:`safe_replace`; return ``path``."""
    target = Path(path)
    with (
        safe_replace(target, existing=existing, backups=backups, mode=mode) as tmp,
        open(tmp, "wb") as fh,
    ):
        fh.write(data)
    return target
