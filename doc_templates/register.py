"""文书登记簿: the register of issued papers, and what makes two papers "the same".

A CSV file (UTF-8 with BOM, so Excel opens it with Chinese intact) beside the
papers, one line per numbered paper:

    编号, 类别, 对象, 日期, 文件, 关键字段摘要, 年度, 序号, 登记键, 内容指纹, 状态, 替代, 密钥标识

- 编号: ``协议〔2026〕1号`` — ``number_format`` with a per-kind prefix
  (协议书 → 协议, 公示 → 公示, 责任书 → 责任; the office's 编号前缀 goes in front).
- 对象: the person's name and community (no ID number, not even masked), the
  notice subject or the receiving unit.
- 登记键: which paper this is — (kind, person, year) for an agreement,
  (kind, issuer → receiver, year) for a letter, (kind, office, subject,
  start) for a notice.  The person is **not** stored by ID number nor by a
  plain hash of it (a hash of an 18-digit ID is reversed by trying every
  birth date in under a second): it is an HMAC-SHA256 with a random key kept
  in the user's profile (:func:`register_key`), outside the output folder.
- 内容指纹: HMAC of what the paper says (its view without number and date).
- 状态: 有效, or 被替代 when a changed paper was issued again for the same 登记键;
  替代 names the number that replaced it (or that it replaces).

A numbered paper is never rewritten.  An unchanged re-run (same 登记键, same
内容指纹) is a no-op: same number, same file, same date.  A changed re-issue
gets the next number and a new file, and the old line is marked 被替代.

Numbering is an official act, so a paper never exists without its line and
no number is given twice:

- a run holds the folder's lock file (``~jyyz-文书登记簿.lock``, the
  :mod:`filelock` library: ``fcntl`` locks on Linux/macOS, ``msvcrt`` on
  Windows) from reading the register to its last write, so two runs into one
  folder take turns;
- a new number is taken from the per-office counter in the user's profile
  (:class:`NumberCounter`, ``编号计数.json`` beside the register key, under its
  own lock, reserved durably before use) — so numbers are unique per office and year
  across every output folder, and a number once taken is never taken again,
  even when its paper could not be written (a disk full, Ctrl-C);
- its line is appended to the register and flushed to the disk (state
  ``制作中``) *before* the paper is written (:meth:`Register.journal`); a paper
  that then fails is rolled back (:meth:`Register.rollback`) and the register
  is rewritten at the end with every line ``有效``/``被替代``.  A run killed
  outright leaves ``制作中`` lines; the next run keeps those whose paper exists
  and drops the others (their numbers stay used in the counter).

A register saved again by Excel on a Chinese PC (GBK) is read and written
back as UTF-8.

Registers written by earlier versions (登记键 holding a SHA-256 prefix of the
ID) are read; a person matched again is re-keyed, and every old ID-derived key
left is blanked when the register is saved.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import hmac
import io
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calc.csv_safe import restore, strip_invisible
from calc.errors import InputError
from calc.safe_files import (
    TargetExists,
    describe_os_error,
    make_backup,
    os_errors_in_chinese,
    write_bytes_safely,
)

REGISTER_NAME = "文书登记簿.csv"
COLUMNS = [
    "编号",
    "类别",
    "对象",
    "日期",
    "文件",
    "关键字段摘要",
    "年度",
    "序号",
    "登记键",
    "内容指纹",
    "状态",
    "替代",
    "密钥标识",
]
OLD_COLUMNS = COLUMNS[:9]
DEFAULT_PREFIXES = {"协议书": "协议", "公示": "公示", "责任书": "责任"}
DEFAULT_FORMAT = "{prefix}〔{year}〕{seq}号"  # GB/T 9704 7.2.4: 不编虚位
VALID = "有效"
REPLACED = "被替代"
#: A line written ahead of its paper (see the module doc).
MAKING = "制作中"
KEY_FILE = "register.key"
COUNTER_FILE = "编号计数.json"
LOCK_NAME = "~jyyz-文书登记簿.lock"
#: How long a run waits for another run holding the same register or counter.
LOCK_WAIT_SECONDS = 600.0
_CLEARED = "（旧版登记键已清除）"

# ---------------------------------------------------------------- the key


def key_folder() -> Path:
    """Where the register key lives: ``JYYZ_HOME``, else the user's profile
    (``%APPDATA%\\jyyz`` on Windows, ``~/.config/jyyz`` elsewhere)."""
    env = os.environ.get("JYYZ_HOME")
    if env:
        return Path(env)
    if os.name == "nt" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "jyyz"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "jyyz"


def register_key() -> bytes:
    """The user's register key (32 random bytes), made on first use."""
    folder = key_folder()
    path = folder / KEY_FILE
    with os_errors_in_chinese(path):
        if not path.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            try:
                key = secrets.token_hex(32).encode("ascii")
                write_bytes_safely(path, key, existing="refuse", mode=0o600)
            except TargetExists:
                pass  # made by a parallel run a moment ago
        try:
            data = bytes.fromhex(path.read_text(encoding="ascii").strip())
        except (ValueError, UnicodeDecodeError):
            data = b""
    if len(data) < 16:
        raise InputError(
            f"登记簿密钥文件“{path}”已损坏；请从备份恢复该文件（或用原电脑上的该文件替换）"
        )
    return data


def number_text(prefix: str, year: int, seq: int, number_format: str = DEFAULT_FORMAT) -> str:
    """A document number: ``协议〔2026〕1号`` (the one place a number is formatted)."""
    return number_format.format(prefix=prefix, year=year, seq=seq)


@dataclass(frozen=True)
class DocNumber:
    """A paper's number as printed and, when the register gave it, its parts — the
    office's prefix for the kind, the year and the sequence number — so that what is
    made from a number (the file name) is made from the parts, not read back from the
    text.  A number a clerk typed has its text only (``year`` None)."""

    text: str
    prefix: str = ""
    year: int | None = None
    seq: int = 0


class RegisterWriteError(InputError):
    """The register or the number counter could not be written: the run stops
    (it is never one row's problem)."""


def _lock(path: Path, what: str):
    """A cross-process lock file (:mod:`filelock`), entered with ``with``."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(path), timeout=LOCK_WAIT_SECONDS)

    class _Held:
        def __enter__(self):
            try:
                try:
                    lock.acquire()
                except Timeout:
                    raise
                except OSError as exc:
                    raise InputError(describe_os_error(exc, path)) from None
            except Timeout:
                raise RegisterWriteError(
                    f"{what}正被另一个生成文书的程序使用（已等待 {LOCK_WAIT_SECONDS:.0f} 秒）。"
                    "请等它完成后重试。"
                ) from None
            except InputError as err:
                raise RegisterWriteError(err.message) from None
            return self

        def __exit__(self, *exc):
            lock.release()
            return False

    return _Held()


class NumberCounter:
    """The per-office counter (``编号计数.json`` beside the register key): the last
    sequence number taken per number stem (an office's prefix and year, e.g.
    ``柳巷协议|2026``), so numbers are unique per office and year whatever
    folder the papers go to.

    Held (its lock file) for a whole run.  Numbers are reserved on the disk in
    blocks of :data:`BLOCK` before they are given (one write per block, not per
    paper); at the end the file is set back to the last number actually given.
    A run killed outright therefore leaves at most a gap, never a number that
    could be given twice.
    """

    BLOCK = 32

    def __init__(self) -> None:
        folder = key_folder()
        self.path = folder / COUNTER_FILE
        with os_errors_in_chinese(self.path):
            folder.mkdir(parents=True, exist_ok=True)
        self._lock = _lock(folder / (COUNTER_FILE + ".lock"), f"编号计数文件“{self.path}”")
        self._lock.__enter__()
        try:
            self.taken = self._read()
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise
        self.reserved = dict(self.taken)
        self.start = dict(self.taken)

    def _read(self) -> dict[str, int]:
        if not self.path.exists():
            return {}
        try:
            with os_errors_in_chinese(self.path):
                raw = self.path.read_bytes()
            return {str(k): int(v) for k, v in json.loads(raw.decode("utf-8")).items()}
        except (ValueError, AttributeError, TypeError, UnicodeDecodeError):
            raise RegisterWriteError(
                f"编号计数文件“{self.path}”已损坏，无法确定下一个文书编号。"
                "请从备份恢复该文件后重试（不要删除它，否则编号会从头开始、与已发文书重复）。"
            ) from None

    def _write(self, counts: dict[str, int]) -> None:
        data = json.dumps(counts, ensure_ascii=False, indent=0, sort_keys=True).encode("utf-8")
        try:
            write_bytes_safely(self.path, data, existing="replace", mode=0o600)
        except InputError as err:
            raise RegisterWriteError(err.message) from None

    def take(self, stem: str, floor: int, used: Callable[[int], bool]) -> int:
        """The next number of ``stem``: above every number taken and ``floor``
        (the highest the register shows), not ``used``; reserved on the disk."""
        seq = max(self.taken.get(stem, 0), floor) + 1
        while used(seq):
            seq += 1
        if seq > self.reserved.get(stem, 0):
            self.reserved = {**self.reserved, stem: seq + self.BLOCK - 1}
            self._write(self.reserved)
        self.taken[stem] = seq
        return seq

    def close(self, given: dict[str, int] | None = None) -> None:
        """Set the counter to the last number each stem gave a paper (``given``;
        numbers whose paper was never written go back) and release the lock."""
        try:
            if given is not None:
                for stem in list(self.taken):
                    self.taken[stem] = max(self.start.get(stem, 0), given.get(stem, 0))
            if self.reserved != self.taken:
                with contextlib.suppress(InputError):  # the reservation stays: a gap at most
                    self._write(self.taken)
        finally:
            self._lock.__exit__(None, None, None)


def counter_value(stem: str) -> int:
    """The last sequence number taken for ``stem`` (0 when none)."""
    path = key_folder() / COUNTER_FILE
    if not path.exists():
        return 0
    return int(json.loads(path.read_text(encoding="utf-8")).get(stem, 0))


def _decode(data: bytes, path: Path) -> str:
    """The register's text: UTF-8 (with or without BOM), else GBK/GB18030 as
    Excel saves a CSV on a Chinese PC."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(
            f"文书登记簿“{path}”的编码无法识别（既不是 UTF-8 也不是 GBK），无法读取。"
            "请用 Excel 打开后“另存为”→“CSV UTF-8（逗号分隔）”，或从备份恢复后重试。"
        ) from None


def _mac(key: bytes, text: str, n: int = 24) -> str:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:n]


def _legacy_person_key(id_number: str) -> str:
    """How older registers keyed a person (for re-keying only, never written)."""
    norm = str(id_number or "").strip().upper()
    return hashlib.sha256(norm.encode("ascii", "replace")).hexdigest()[:20]


def fingerprint_of(view: dict[str, Any], key: bytes, ignore: tuple[str, ...]) -> str:
    """HMAC of what a paper says (its view minus number and making date)."""
    data = {k: v for k, v in view.items() if k not in ignore}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=_plain)
    return _mac(key, text, 32)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _plain(obj: Any) -> Any:
    slots = getattr(type(obj), "__slots__", None)
    if slots:
        return {s: getattr(obj, s) for s in slots}
    return str(obj)


# ---------------------------------------------------------------- entries


@dataclass
class Entry:
    number: str
    kind: str
    target: str
    date: str
    file: str
    summary: str
    year: int
    seq: int
    key: str
    fingerprint: str = ""
    status: str = VALID
    replaced: str = ""
    key_id: str = ""

    def row(self) -> list[str]:
        return [
            self.number,
            self.kind,
            self.target,
            self.date,
            self.file,
            self.summary,
            str(self.year),
            str(self.seq),
            self.key,
            self.fingerprint,
            self.status,
            self.replaced,
            self.key_id,
        ]


@dataclass
class Issued:
    """What :meth:`Register.issue` did: ``action`` is 新编号 / 未变 / 重新编号."""

    entry: Entry
    action: str
    old: Entry | None = None


NEW, SAME, REISSUED = "新编号", "未变", "重新编号"


class Register:
    """The register file; load on construction, :meth:`save` to write."""

    def __init__(
        self,
        path: str | Path,
        *,
        prefixes: dict[str, str] | None = None,
        number_format: str = DEFAULT_FORMAT,
        key: bytes | None = None,
        load: bool = True,
    ):
        self.path = Path(path)
        self.prefixes = {**DEFAULT_PREFIXES, **(prefixes or {})}
        self.number_format = number_format
        self.papers_dir = self.path.parent  # where the papers of its lines are
        self.secret = key or register_key()
        self.key_id = _mac(self.secret, "jyyz-register-key-id", 8)
        self._reset()
        self._held = 0
        self._backed_up = False
        self._counter: NumberCounter | None = None
        if load and self.path.exists():
            self._load()

    def _reset(self) -> None:
        self.entries: list[Entry] = []
        self._current: dict[str, Entry] = {}
        self._max_seq: dict[str, int] = {}  # counter stem (office prefix|year) → highest seq
        self._numbers: set[str] = set()
        self._stale = False  # the file on disk differs from what save() writes
        # numbered in this session: entry → the entry it replaces (None for a new one)
        self._new: dict[int, tuple[Entry, Entry | None]] = {}
        # the counter stem (office prefix and year) each of those numbers was taken from:
        # the prefixes change from paper to paper when one run serves several offices
        self._stems: dict[int, str] = {}

    # ---------------------------------------------------------- file
    def session(self):
        """Hold the folder's lock and re-read the register (use with ``with``).

        Everything between — numbering, the write-ahead lines, the papers, the
        final :meth:`save` — happens while no other run can touch the register.
        Lines a killed run left ``制作中`` are settled on entry.
        """
        reg = self

        class _Session:
            def __enter__(self_inner):
                reg.path.parent.mkdir(parents=True, exist_ok=True)
                self_inner.lock = _lock(
                    reg.path.with_name(LOCK_NAME), f"文书登记簿“{reg.path}”"
                ).__enter__()
                reg._held += 1
                reg._backed_up = False
                try:
                    reg._reset()
                    if reg.path.exists():
                        reg._load()
                    if reg._stale:  # GBK, or lines of a killed run: written back settled
                        reg.save()
                    reg._counter = NumberCounter()
                except BaseException:
                    reg._held -= 1
                    self_inner.lock.__exit__(None, None, None)
                    raise
                return reg

            def __exit__(self_inner, *exc):
                reg._held -= 1
                try:
                    if reg._counter is not None:
                        reg._counter.close(reg._given())
                finally:
                    reg._counter = None
                    self_inner.lock.__exit__(*exc)
                return False

        return _Session()

    def _load(self) -> None:
        with os_errors_in_chinese(self.path):
            data = self.path.read_bytes()
        text = _decode(data, self.path)
        if not _is_utf8(data):
            self._stale = True  # re-saved by Excel in GBK: written back as UTF-8
        with io.StringIO(text, newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                return
            missing = [c for c in OLD_COLUMNS if c not in header]
            if missing:
                raise InputError(f"文书登记簿 {self.path.name} 缺少列：{'、'.join(missing)}")
            idx = {c: header.index(c) for c in COLUMNS if c in header}

            def cell(row: list[str], name: str) -> str:
                i = idx.get(name)
                return restore(row[i]) if i is not None and i < len(row) else ""

            rows = list(reader)
            torn = not text.endswith(("\n", "\r"))  # a line cut short by a killed run
            for n, row in enumerate(rows, 2):
                if not any(row):
                    continue
                if torn and n == len(rows) + 1 and len(row) < len(header):
                    self._stale = True  # the write-ahead line of a paper never written
                    continue
                try:
                    e = Entry(
                        number=cell(row, "编号"),
                        kind=cell(row, "类别"),
                        target=cell(row, "对象"),
                        date=cell(row, "日期"),
                        file=cell(row, "文件"),
                        summary=cell(row, "关键字段摘要"),
                        year=int(cell(row, "年度")),
                        seq=int(cell(row, "序号")),
                        key=cell(row, "登记键"),
                        fingerprint=cell(row, "内容指纹"),
                        status=cell(row, "状态") or VALID,
                        replaced=cell(row, "替代"),
                        key_id=cell(row, "密钥标识"),
                    )
                except ValueError:
                    raise InputError(f"文书登记簿第{n}行格式不对（年度、序号应为数字）") from None
                if e.key_id and e.key_id != self.key_id:
                    raise InputError(
                        f"文书登记簿 {self.path.name} 第{n}行由另一把登记簿密钥生成"
                        f"（本机密钥在 {key_folder() / KEY_FILE}）。请把原电脑上 jyyz 文件夹中的"
                        f"密钥文件 {KEY_FILE} 和编号计数文件 {COUNTER_FILE} 复制到 {key_folder()}"
                        "（替换本机的），再重试。不要换一个输出文件夹重新生成：那样编号会从头开始，"
                        "与已发出的文书重复。"
                    )
                if e.status == MAKING:
                    self._stale = True
                    if not (self.papers_dir / e.file).exists():
                        # written ahead by a run that was killed before its paper
                        continue
                    e.status = VALID
                self._add(e)
        self._settle_replacements()

    def _settle_replacements(self) -> None:
        """A line ``替代X`` that is in force makes X 被替代 (lines appended ahead
        say so only on the new line)."""
        by_number = {e.number: e for e in self.entries}
        for e in self.entries:
            if e.replaced.startswith("替代"):
                old = by_number.get(e.replaced[2:])
                if old is not None and old.status == VALID:
                    old.status = REPLACED
                    old.replaced = f"被{e.number}替代"
                    if self._current.get(old.key) is old:
                        self._current[old.key] = e
                    self._stale = True

    def save(self) -> Path:
        """Write the whole register (atomic; the register as it was before this
        run's first change is kept as a verified backup)."""
        from calc.csv_safe import csv_bytes

        for e, _old in list(self._new.values()):
            if not (self.papers_dir / e.file).exists():
                # numbered, but its paper was never written (Ctrl-C, a full disk …)
                self._undo(e)
        for e in self.entries:
            if not e.key_id and e.kind == "协议书" and e.key and e.key != _CLEARED:
                e.key = _CLEARED  # an old ID-derived key: never written again
            e.key_id = e.key_id or self.key_id
        data = csv_bytes(COLUMNS, (e.row() for e in self.entries))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with os_errors_in_chinese(self.path):
                if self.path.exists() and self.path.read_bytes() == data:
                    self._stale = False
                    return self.path
            self._backup_once()
            write_bytes_safely(self.path, data, existing="replace")
        except InputError as err:
            raise RegisterWriteError(err.message) from None
        self._stale = False
        return self.path

    def _backup_once(self) -> None:
        """Keep the register as it was before this run's first change (a
        register this run made needs none)."""
        if not self._backed_up and self.path.exists():
            make_backup(self.path)
        self._backed_up = True

    def journal(self, *entries: Entry) -> None:
        """Append the lines of ``entries`` (state 制作中) and flush them to the
        disk — before their papers are written."""
        from calc.csv_safe import csv_bytes

        if not self._held:
            raise RuntimeError("Register.journal outside Register.session()")
        rows = []
        for e in entries:
            row = e.row()
            row[COLUMNS.index("状态")] = MAKING
            row[COLUMNS.index("密钥标识")] = self.key_id
            rows.append(row)
        try:
            with os_errors_in_chinese(self.path):
                self._backup_once()
                with open(self.path, "ab") as fh:
                    if fh.tell() == 0:
                        fh.write(csv_bytes(COLUMNS, rows))
                    else:
                        fh.write(csv_bytes(None, rows, bom=False))
                    fh.flush()
                    os.fsync(fh.fileno())
        except InputError as err:
            raise RegisterWriteError(err.message) from None
        self._stale = True  # the lines on disk say 制作中 until save()

    def _given(self) -> dict[str, int]:
        """Per number stem, the highest number of this session whose paper exists
        (a line left on the disk for a paper that does not exist is dropped when
        the register is next read, so its number may go back)."""
        given: dict[str, int] = {}
        for e, _old in self._new.values():
            if e.seq and (self.papers_dir / e.file).exists():
                stem = self._stems.get(id(e)) or self._stem(e.kind, e.year)
                given[stem] = max(given.get(stem, 0), e.seq)
        return given

    def rollback(self, issued: Issued) -> None:
        """Take back a number whose paper was not written (the counter keeps it
        used).  :meth:`save` does this for every such number in any case."""
        self._undo(issued.entry)

    def _undo(self, e: Entry) -> None:
        _e, old = self._new.pop(id(e), (e, None))
        self._stems.pop(id(e), None)
        if e in self.entries:
            self.entries.remove(e)
        self._stale = True
        if self._current.get(e.key) is e:
            del self._current[e.key]
        if old is not None and old.status == REPLACED:
            old.status, old.replaced = VALID, ""
            self._current[old.key] = old

    # ---------------------------------------------------------- numbering
    def _add(self, e: Entry) -> None:
        self.entries.append(e)
        if e.status == VALID:
            self._current[e.key] = e
        k = self._stems.get(id(e)) or self._stem_of(e)
        self._max_seq[k] = max(self._max_seq.get(k, 0), e.seq)
        self._numbers.add(e.number)

    def _stem(self, kind: str, year: int) -> str:
        """The counter stem of a new number: the office's prefix for ``kind`` and the year
        (each office numbers on its own, so one office's numbers never push another's on)."""
        return f"{self.prefixes.get(kind, kind)}|{year}"

    def _stem_of(self, e: Entry) -> str:
        """The counter stem an existing number was taken from, read back from the number
        itself (its prefix is the office's); the current prefix when the format changed."""
        if e.seq:
            head, sep, tail = self.number_format.format(
                prefix="\0", year=e.year, seq=e.seq
            ).partition("\0")
            n = e.number
            if sep and "\0" not in tail and n.startswith(head) and n.endswith(tail):
                prefix = n[len(head) : len(n) - len(tail)]
                if prefix:
                    return f"{prefix}|{e.year}"
        return self._stem(e.kind, e.year)

    @staticmethod
    def key(kind: str, subject_key: str, year: int) -> str:
        return f"{kind}|{strip_invisible(subject_key)}|{year}"

    def person_key(self, id_number: str) -> str:
        """The person's part of a 登记键: a keyed hash of the normalised ID."""
        norm = str(id_number or "").strip().upper()
        if not norm:
            raise InputError("台账中没有身份证号码，无法登记文书（无法识别同一人）")
        return "p" + _mac(self.secret, norm)

    def lookup(self, kind: str, subject_key: str, year: int) -> Entry | None:
        return self._current.get(self.key(kind, subject_key, year))

    def format_number(self, kind: str, year: int, seq: int) -> str:
        return self.doc_number(kind, year, seq).text

    def doc_number(self, kind: str, year: int, seq: int) -> DocNumber:
        """The number this register gives: its text and the parts it is made of."""
        prefix = self.prefixes.get(kind, kind)
        return DocNumber(number_text(prefix, year, seq, self.number_format), prefix, year, seq)

    def fingerprint(self, view: dict[str, Any], ignore: tuple[str, ...]) -> str:
        return fingerprint_of(view, self.secret, ignore)

    def issue(
        self,
        kind: str,
        subject_key: str,
        year: int,
        *,
        target: str,
        date: str,
        summary: str,
        fingerprint: str,
        file_for: Callable[[DocNumber], str],
        number: str = "",
        legacy_key: str = "",
    ) -> Issued:
        """Number and record one paper (see module doc for same / changed)."""
        key = self.key(kind, subject_key, year)
        current = self._current.get(key)
        if current is None and legacy_key:
            old = self._current.pop(self.key(kind, legacy_key, year), None)
            if old is not None:
                old.key, old.key_id = key, self.key_id
                self._current[key] = current = old
        if current is not None and (
            current.fingerprint == fingerprint or (not current.fingerprint and not number)
        ):
            if not current.fingerprint:  # an entry from an older register: adopt it
                current.fingerprint = fingerprint
            return Issued(current, SAME)
        if number:
            if number in self._numbers:
                raise InputError(f"编号 {number} 已在文书登记簿中使用")
            seq = 0
            given = DocNumber(number)
        else:
            stem = self._stem(kind, year)
            floor = self._max_seq.get(stem, 0)
            if self._counter is not None:
                seq = self._counter.take(
                    stem, floor, lambda n: self.format_number(kind, year, n) in self._numbers
                )
            else:  # numbering without the lock: nothing is written (a preview)
                seq = floor + 1
                while self.format_number(kind, year, seq) in self._numbers:
                    seq += 1
            given = self.doc_number(kind, year, seq)
            number = given.text
        e = Entry(
            number,
            kind,
            strip_invisible(target),
            date,
            file_for(given),
            strip_invisible(summary),
            year,
            seq,
            key,
            fingerprint,
            VALID,
            f"替代{current.number}" if current else "",
            self.key_id,
        )
        if current is not None:
            current.status = REPLACED
            current.replaced = f"被{number}替代"
        self._stems[id(e)] = self._stem(kind, year)
        self._add(e)
        self._new[id(e)] = (e, current)
        return Issued(e, REISSUED if current else NEW, current)
