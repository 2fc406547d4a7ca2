"""文书登记簿: the register of issued papers, and what makes two papers "the same".

A CSV file (UTF-8 with BOM, so Excel opens it with Chinese intact) beside the
papers, one line per numbered paper:

    编号, 类别, 对象, 日期, 文件, 关键字段摘要, 年度, 序号, 登记键, 内容指纹, 状态, 替代, 密钥标识

- 编号: ``协议〔2026〕0001号`` — ``number_format`` with a per-kind prefix
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

Registers written by earlier versions (登记键 holding a SHA-256 prefix of the
ID) are read; a person matched again is re-keyed, and every old ID-derived key
left is blanked when the register is saved.
"""

from __future__ import annotations

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

from calc.errors import InputError
from calc.safe_files import TargetExists, os_errors_in_chinese, write_bytes_safely

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
DEFAULT_FORMAT = "{prefix}〔{year}〕{seq:04d}号"
VALID = "有效"
REPLACED = "被替代"
KEY_FILE = "register.key"
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
                write_bytes_safely(path, secrets.token_hex(32).encode("ascii"), existing="refuse")
                os.chmod(path, 0o600)
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
    ):
        self.path = Path(path)
        self.prefixes = {**DEFAULT_PREFIXES, **(prefixes or {})}
        self.number_format = number_format
        self.secret = key or register_key()
        self.key_id = _mac(self.secret, "jyyz-register-key-id", 8)
        self.entries: list[Entry] = []
        self._current: dict[str, Entry] = {}
        self._max_seq: dict[tuple[str, int], int] = {}
        self._numbers: set[str] = set()
        if self.path.exists():
            self._load()

    # ---------------------------------------------------------- file
    def _load(self) -> None:
        with self.path.open(encoding="utf-8-sig", newline="") as fh:
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
                return row[i] if i is not None and i < len(row) else ""

            for n, row in enumerate(reader, 2):
                if not any(row):
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
                        f"（本机密钥在 {key_folder() / KEY_FILE}）。请把原电脑上的密钥文件复制到"
                        "该位置，或换一个输出文件夹，以免同一人的文书重复编号。"
                    )
                self._add(e)

    def save(self) -> Path:
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(COLUMNS)
        for e in self.entries:
            if not e.key_id and e.kind == "协议书" and e.key and e.key != _CLEARED:
                e.key = _CLEARED  # an old ID-derived key: never written again
            e.key_id = e.key_id or self.key_id
            w.writerow(e.row())
        data = out.getvalue().encode("utf-8-sig")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_safely(self.path, data)
        return self.path

    # ---------------------------------------------------------- numbering
    def _add(self, e: Entry) -> None:
        self.entries.append(e)
        if e.status == VALID:
            self._current[e.key] = e
        k = (e.kind, e.year)
        self._max_seq[k] = max(self._max_seq.get(k, 0), e.seq)
        self._numbers.add(e.number)

    @staticmethod
    def key(kind: str, subject_key: str, year: int) -> str:
        return f"{kind}|{subject_key}|{year}"

    def person_key(self, id_number: str) -> str:
        """The person's part of a 登记键: a keyed hash of the normalised ID."""
        norm = str(id_number or "").strip().upper()
        if not norm:
            raise InputError("台账中没有身份证号码，无法登记文书（无法识别同一人）")
        return "p" + _mac(self.secret, norm)

    def lookup(self, kind: str, subject_key: str, year: int) -> Entry | None:
        return self._current.get(self.key(kind, subject_key, year))

    def format_number(self, kind: str, year: int, seq: int) -> str:
        prefix = self.prefixes.get(kind, kind)
        return self.number_format.format(prefix=prefix, year=year, seq=seq)

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
        file_for: Callable[[str], str],
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
        seq = self._max_seq.get((kind, year), 0) + 1
        if number:
            if number in self._numbers:
                raise InputError(f"编号 {number} 已在文书登记簿中使用")
            seq = 0
        else:
            number = self.format_number(kind, year, seq)
            while number in self._numbers:
                seq += 1
                number = self.format_number(kind, year, seq)
        e = Entry(
            number,
            kind,
            target,
            date,
            file_for(number),
            summary,
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
        self._add(e)
        return Issued(e, REISSUED if current else NEW, current)
