"""文书登记簿: the register of issued documents.

A CSV file (UTF-8 with BOM, so Excel opens it with Chinese intact) with one
line per issued document:

    编号, 类别, 对象, 日期, 文件, 关键字段摘要, 年度, 序号, 登记键

- 编号: "协议〔2026〕0001号" — ``number_format`` with a per-kind prefix
  (``prefixes``: 协议书 → "协议", 公示 → "公示", 责任书 → "责任"; configurable,
  e.g. {"协议书": "柳巷援协"}).  Sequence numbers run per kind and year.
- 类别: 协议书 / 公示 / 责任书.
- 对象: the person (name and masked ID), the notice subject or the receiving
  unit.
- 日期: the document date (ISO, sortable).
- 文件: the file name, relative to the register's folder.
- 关键字段摘要: the fields a reviewer checks (category, officer, subsidies;
  targets; notice period).
- 年度, 序号: the year and running number behind 编号.
- 登记键: what makes a document "the same" on a re-run: (kind, person ID or
  unit, year).  The person's ID is stored as a SHA-256 digest, not in clear.

A re-run with the same key gets the same number and the same file name, and
the register line is updated in place rather than duplicated.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path

from calc.errors import InputError

REGISTER_NAME = "文书登记簿.csv"
COLUMNS = ["编号", "类别", "对象", "日期", "文件", "关键字段摘要", "年度", "序号", "登记键"]
DEFAULT_PREFIXES = {"协议书": "协议", "公示": "公示", "责任书": "责任"}
DEFAULT_FORMAT = "{prefix}〔{year}〕{seq:04d}号"


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
        ]


def _workday_estimate(ctx, end) -> str:
    """ "；2027年放假安排尚未公布，按规则推算" when the notice period runs into a year
    without an official holiday schedule (calc.workdays.estimate_note)."""
    from calc.workdays import estimate_note

    note = estimate_note(ctx.start, end, corrections=ctx.workday_corrections)
    return f"；{note}" if note else ""


def person_key(id_number: str) -> str:
    """Stable key for a person: SHA-256 of the normalised ID (upper-case X)."""
    norm = str(id_number or "").strip().upper()
    if not norm:
        raise InputError("登记文书需要身份证号码以识别同一人")
    return hashlib.sha256(norm.encode("ascii", "replace")).hexdigest()[:20]


class Register:
    """The register file; load on construction, :meth:`save` to write."""

    def __init__(
        self,
        path: str | Path,
        *,
        prefixes: dict[str, str] | None = None,
        number_format: str = DEFAULT_FORMAT,
    ):
        self.path = Path(path)
        self.prefixes = {**DEFAULT_PREFIXES, **(prefixes or {})}
        self.number_format = number_format
        self.entries: list[Entry] = []
        self._by_key: dict[str, Entry] = {}
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
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise InputError(f"文书登记簿 {self.path.name} 缺少列：{'、'.join(missing)}")
            idx = {c: header.index(c) for c in COLUMNS}
            for n, row in enumerate(reader, 2):
                if not any(row):
                    continue
                try:
                    e = Entry(
                        number=row[idx["编号"]],
                        kind=row[idx["类别"]],
                        target=row[idx["对象"]],
                        date=row[idx["日期"]],
                        file=row[idx["文件"]],
                        summary=row[idx["关键字段摘要"]],
                        year=int(row[idx["年度"]]),
                        seq=int(row[idx["序号"]]),
                        key=row[idx["登记键"]],
                    )
                except (ValueError, IndexError):
                    raise InputError(f"文书登记簿第{n}行格式不对（年度、序号应为数字）") from None
                self._add(e)

    def save(self) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(COLUMNS)
            for e in self.entries:
                w.writerow(e.row())
        tmp.replace(self.path)
        return self.path

    # ---------------------------------------------------------- numbering
    def _add(self, e: Entry) -> None:
        self.entries.append(e)
        self._by_key[e.key] = e
        k = (e.kind, e.year)
        self._max_seq[k] = max(self._max_seq.get(k, 0), e.seq)
        self._numbers.add(e.number)

    def lookup(self, kind: str, subject_key: str, year: int) -> Entry | None:
        return self._by_key.get(self.key(kind, subject_key, year))

    @staticmethod
    def key(kind: str, subject_key: str, year: int) -> str:
        return f"{kind}|{subject_key}|{year}"

    def format_number(self, kind: str, year: int, seq: int) -> str:
        prefix = self.prefixes.get(kind, kind)
        return self.number_format.format(prefix=prefix, year=year, seq=seq)

    def issue(
        self,
        kind: str,
        subject_key: str,
        year: int,
        *,
        target: str,
        date: str,
        summary: str,
        file_for: Callable[[str], str],
        number: str = "",
    ) -> Entry:
        """Number and record one document; an existing key keeps its number
        and file, and its line is updated (target, date, summary)."""
        key = self.key(kind, subject_key, year)
        existing = self._by_key.get(key)
        if existing is not None:
            if number and number != existing.number:
                raise InputError(
                    f"{target}：登记簿中已有编号 {existing.number}，与指定编号 {number} 不一致"
                )
            existing.target, existing.date, existing.summary = target, date, summary
            return existing
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
        e = Entry(number, kind, target, date, file_for(number), summary, year, seq, key)
        self._add(e)
        return e

    # ---------------------------------------------------------- per kind
    def issue_agreement(self, ctx, *, file_for: Callable) -> Entry:
        from calc.masking import mask_id
        from doc_templates.render import KIND_AGREEMENT, subsidy_view

        p = ctx.person
        try:
            masked = mask_id(p.id_number)
        except InputError:
            masked = "身份证号码待核"
        subs = "；".join(
            f"{v['name']}{v['standard']}{v['period']}"
            for v in (subsidy_view(s, i) for i, s in enumerate(ctx.subsidies, 1))
        )
        summary = f"认定类别：{p.category}；援助责任人：{ctx.officer}"
        if subs:
            summary += f"；补贴：{subs}"

        def file_name(number: str) -> str:
            ctx.number = number
            return file_for(ctx)

        return self.issue(
            KIND_AGREEMENT,
            person_key(p.id_number),
            ctx.doc_year,
            target=f"{p.name}（{masked}）",
            date=(ctx.sign_date or ctx.start).isoformat(),
            summary=summary,
            file_for=file_name,
            number=ctx.number,
        )

    def issue_letter(self, ctx, *, file_for: Callable) -> Entry:
        from doc_templates.render import KIND_LETTER, _value

        summary = "；".join(f"{t.name}{_value(t.value, t.unit)}" for t in ctx.targets)

        def file_name(number: str) -> str:
            ctx.number = number
            return file_for(ctx)

        return self.issue(
            KIND_LETTER,
            f"{ctx.issuer.name}→{ctx.receiver.name}",
            ctx.doc_year,
            target=ctx.receiver.name,
            date=(ctx.sign_date or ctx.start or _date(ctx.year, 1, 1)).isoformat(),
            summary=summary,
            file_for=file_name,
            number=ctx.number,
        )

    def issue_notice(self, ctx, *, file_for: Callable) -> Entry:
        from doc_templates.render import KIND_NOTICE, fmt_date, notice_end_date

        summary = (
            f"公示期：{fmt_date(ctx.start)}至{fmt_date(notice_end_date(ctx))}"
            f"（{ctx.workdays}个工作日）；人数：{len(ctx.rows)}"
        ) + _workday_estimate(ctx, notice_end_date(ctx))

        def file_name(number: str) -> str:
            ctx.number = number
            return file_for(ctx)

        return self.issue(
            KIND_NOTICE,
            f"{ctx.office.name}|{ctx.subject}|{ctx.start.isoformat()}",
            ctx.doc_year,
            target=f"{ctx.subject}（{len(ctx.rows)}人）",
            date=(ctx.issue_date or ctx.start).isoformat(),
            summary=summary,
            file_for=file_name,
            number=ctx.number,
        )
