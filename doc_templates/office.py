"""The office's own details: data the clerk owns, never invented.

Six details go on the papers: the issuing office (发文机关, party A of an
agreement, the notice's issuer), its address and phone (agreement header,
where objections go), the superior department that certifies after a notice
(上级单位), the unit whose seal goes on the paper (用印单位; the issuer when
not given) and the prefix of document numbers (编号前缀).

They come, in this order of precedence, from an office file (``jyyz docs
--office FILE``), the workbook's 设置 sheet and its 参数 sheet — only rows the
clerk wrote, never the packs' example defaults.  A detail found nowhere
prints as a ruled blank ``＿＿＿＿＿＿`` to fill in by hand, and
:meth:`OfficeDetails.warning` gives one Chinese sentence listing what is
missing.

An office file is a two-column table (``.xlsx``/``.csv``: 项目, 内容) or a
text file of ``项目：内容`` / ``项目=内容`` lines, e.g.::

    发文机关：太原市迎泽区柳巷街道劳动保障事务所
    地址：太原市迎泽区柳巷南路18号
    电话：0351-4123456
    上级单位：太原市迎泽区人力资源和社会保障局
    编号前缀：柳巷
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from calc.errors import InputError
from doc_templates.contexts import Office
from doc_templates.formatting import BLANK

#: Sheet of the workbook holding the office details (besides 参数).
SETTINGS_SHEET = "设置"

# field → (label printed in the warning, names a clerk may write)
DETAILS: dict[str, tuple[str, tuple[str, ...]]] = {
    "issuer": ("发文机关", ("发文机关", "发文单位", "甲方单位", "单位名称", "落款单位")),
    "address": ("地址", ("地址", "单位地址", "办公地址", "异议受理地址", "联系地址")),
    "phone": ("电话", ("电话", "联系电话", "办公电话", "异议受理电话")),
    "superior": ("上级单位", ("上级单位", "认定部门", "上级主管部门", "主管部门")),
    "seal_holder": ("用印单位", ("用印单位", "盖章单位", "印章单位")),
    "number_prefix": ("编号前缀", ("编号前缀", "文号前缀", "文书编号前缀")),
    "templates": ("模板文件夹", ("模板文件夹", "文书模板文件夹", "模板目录")),
    "street": ("街道", ("街道", "所属街道", "街道（乡镇）", "乡镇街道")),
    "community": ("社区", ("社区", "所属社区", "社区（村）")),
    "head": ("负责人", ("负责人", "单位负责人", "甲方负责人")),
    "complaint_phone": ("监督电话", ("监督电话", "投诉电话", "监督投诉电话")),
    "handler": ("经办人", ("经办人", "公示经办人")),
}
#: Details a paper cannot do without (missing → blank + warning).
REQUIRED = ("issuer", "address", "phone", "superior")


def _key(text: Any) -> str:
    return str(text or "").strip().replace(" ", "").replace("　", "").rstrip("：:")


_LOOKUP = {_key(name): f for f, (_label, names) in DETAILS.items() for name in names}


@dataclass
class OfficeDetails:
    """What the clerk gave; empty strings where nothing was given."""

    issuer: str = ""
    address: str = ""
    phone: str = ""
    superior: str = ""
    seal_holder: str = ""
    number_prefix: str = ""
    templates: str = ""
    street: str = ""
    community: str = ""
    head: str = ""
    complaint_phone: str = ""
    handler: str = ""

    # ------------------------------------------------------------ reading
    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[Any, Any]]) -> OfficeDetails:
        """From (name, value) pairs; names the module does not know are ignored."""
        found: dict[str, str] = {}
        for name, value in pairs:
            f = _LOOKUP.get(_key(name))
            text = "" if value is None else str(value).strip()
            if f and text and f not in found:
                found[f] = text
        return cls(**found)

    def over(self, other: OfficeDetails) -> OfficeDetails:
        """These details, completed from ``other`` where empty."""
        return OfficeDetails(
            **{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)}
        )

    # ------------------------------------------------------------ use
    def missing(self) -> list[str]:
        return [DETAILS[f][0] for f in REQUIRED if not getattr(self, f)]

    def warning(self) -> str:
        """One Chinese sentence naming what is missing, or ``""``."""
        missing = self.missing()
        if not missing:
            return ""
        return (
            f"未设置单位信息：{'、'.join(missing)}。文书中这些位置留有横线“{BLANK}”，"
            "请手工填写；或在工作簿“设置”表（项目、内容两列）或 --office 文件中填写后重新生成。"
        )

    def office(self) -> Office:
        """The issuing office for a paper (blanks where missing)."""
        return Office(
            name=self.issuer or BLANK,
            address=self.address or BLANK,
            phone=self.phone or BLANK,
            contact=self.head,
            seal=self.seal_holder,
            complaint_phone=self.complaint_phone,
            handler=self.handler,
            superior=self.superior,
            prefixes=self.prefixes(),
        )

    @property
    def scoped(self) -> bool:
        """Names the street or community it serves."""
        return bool(self.street or self.community)

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    @property
    def certifier(self) -> str:
        return self.superior or BLANK

    @property
    def seal(self) -> str:
        return self.seal_holder or self.issuer or BLANK

    def prefixes(self) -> dict[str, str]:
        """Register prefixes: ``柳巷`` → 协议书 ``柳巷协议``, 公示 ``柳巷公示`` …"""
        if not self.number_prefix:
            return {}
        from doc_templates.register import DEFAULT_PREFIXES

        return {k: self.number_prefix + v for k, v in DEFAULT_PREFIXES.items()}


def records_from_pairs(pairs: Iterable[tuple[Any, Any]]) -> list[OfficeDetails]:
    """Several offices from (name, value) pairs: an item already given (a second
    “街道”, “发文机关” …) starts the next office."""
    records: list[list[tuple[Any, Any]]] = [[]]
    seen: set[str] = set()
    for name, value in pairs:
        f = _LOOKUP.get(_key(name))
        if f is None or value is None or not str(value).strip():
            continue
        if f in seen:
            records.append([])
            seen = set()
        seen.add(f)
        records[-1].append((name, value))
    return [r for r in (OfficeDetails.from_pairs(p) for p in records) if not r.is_empty()]


def records_from_rows(rows: Sequence[Sequence[Any]] | None) -> list[OfficeDetails]:
    """Offices from a sheet: a table with a header row (街道, 社区, 发文机关, 地址 …;
    one office a row), or two columns 项目, 内容 (see :func:`records_from_pairs`)."""
    rows = [list(r) for r in rows or []]
    for k, row in enumerate(rows[:10]):
        heads = [_LOOKUP.get(_key(c)) for c in row]
        known = [h for h in heads if h]
        if len(known) >= 2 and ("issuer" in known or "street" in known):
            out = []
            for data in rows[k + 1 :]:
                pairs = [(row[i], data[i]) for i, h in enumerate(heads) if h and i < len(data)]
                rec = OfficeDetails.from_pairs(pairs)
                if not rec.is_empty():
                    out.append(rec)
            return out
    return records_from_pairs(_pairs_from_rows(rows))


def _pairs_from_rows(rows: Sequence[Sequence[Any]] | None) -> list[tuple[Any, Any]]:
    out = []
    for row in rows or []:
        cells = [c for c in row if c not in (None, "")]
        if len(cells) >= 2:
            out.append((cells[0], cells[1]))
    return out


def read_office_records(path: str | os.PathLike[str]) -> list[OfficeDetails]:
    """The offices of an office file (see module doc); a Chinese error when it
    cannot be read."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"找不到单位信息文件“{p}”（--office）")
    if p.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        from python_calamine import CalamineWorkbook

        try:
            wb = CalamineWorkbook.from_path(str(p))
            names = wb.sheet_names
            sheet = SETTINGS_SHEET if SETTINGS_SHEET in names else names[0]
            rows = wb.get_sheet_by_name(sheet).to_python()
        except Exception as exc:
            raise InputError(f"读不了单位信息文件“{p.name}”：{exc}") from None
        return records_from_rows(rows)
    raw = p.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(f"单位信息文件“{p.name}”不是 UTF-8 或 GBK 编码的文本")
    if p.suffix.lower() == ".csv":
        return records_from_rows(list(csv.reader(io.StringIO(text))))
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        for sep in ("：", ":", "=", "＝", "\t"):
            if sep in line:
                name, value = line.split(sep, 1)
                pairs.append((name, value))
                break
    return records_from_pairs(pairs)


def read_office_file(path: str | os.PathLike[str]) -> OfficeDetails:
    """The first office of an office file (files of one office)."""
    records = read_office_records(path)
    return records[0] if records else OfficeDetails()


def details_from_parameters(table: Any) -> OfficeDetails:
    """The clerk's own 参数 rows (a :class:`calc.params.ParameterTable`), no pack defaults."""
    rows = getattr(table, "rows", None) or []
    return OfficeDetails.from_pairs((p.name, p.value) for p in rows)


def office_details(
    *,
    office_file: str | os.PathLike[str] | None = None,
    settings_rows: Sequence[Sequence[Any]] | None = None,
    parameters: Any = None,
    given: Mapping[str, str] | None = None,
) -> OfficeDetails:
    """The office details from every source, first found wins:
    ``given`` (keyword values), the office file, the 设置 sheet, the 参数 sheet.
    For ledgers of several streets use :func:`office_book`."""
    found = OfficeDetails(**dict(given or {}))
    if office_file:
        found = found.over(read_office_file(office_file))
    found = found.over(OfficeDetails.from_pairs(_pairs_from_rows(settings_rows)))
    return found.over(details_from_parameters(parameters))


def _place(text: str) -> str:
    return _key(text)


def _same_place(a: str, b: str) -> bool:
    a, b = _place(a), _place(b)
    return bool(a and b) and (a == b or a in b or b in a)


@dataclass
class OfficeBook:
    """Every office the clerk described, in order of precedence (office file,
    设置 sheet, 参数 sheet).  Each person's papers take the office of their own
    street or community (:meth:`for_person`); an office that names no street
    serves a ledger of one street, or the street its name contains."""

    records: list[OfficeDetails]

    def general(self) -> OfficeDetails:
        """Settings that are not about one office (模板文件夹), merged."""
        found = OfficeDetails()
        for r in self.records:
            found = found.over(OfficeDetails(templates=r.templates))
        return found

    def _score(self, rec: OfficeDetails, street: str, community: str, streets) -> int:
        if rec.community:
            if not _same_place(rec.community, community):
                return 0
            if rec.street and street and not _same_place(rec.street, street):
                return 0
            return 3
        if rec.street:
            return 2 if _same_place(rec.street, street) else 0
        named = [s for s in streets if s and _place(s) in _place(rec.issuer + rec.seal_holder)]
        if named:
            return 1 if any(_same_place(s, street) for s in named) else 0
        return 1 if len(streets) <= 1 else 0

    def for_person(
        self, street: str = "", community: str = "", streets: Iterable[str] = ()
    ) -> OfficeDetails:
        """The details of the office serving ``street``/``community`` (``streets``:
        the streets of the ledger); empty fields where nothing applies."""
        streets = {s for s in streets if s}
        ranked = sorted(
            (
                (-self._score(r, street, community, streets), i, r)
                for i, r in enumerate(self.records)
            ),
            key=lambda t: t[:2],
        )
        found = OfficeDetails()
        for score, _i, rec in ranked:
            if score < 0:
                if found.issuer and rec.issuer and rec.issuer != found.issuer:
                    continue  # another office: complete nothing from it
                found = found.over(rec)
        return found


def office_book(
    *,
    office_file: str | os.PathLike[str] | None = None,
    settings_rows: Sequence[Sequence[Any]] | None = None,
    parameters: Any = None,
) -> OfficeBook:
    """All offices from the office file, the 设置 sheet and the 参数 sheet."""
    records: list[OfficeDetails] = []
    if office_file:
        records += read_office_records(office_file)
    records += records_from_rows(settings_rows)
    params = details_from_parameters(parameters)
    if not params.is_empty():
        records.append(params)
    return OfficeBook(records)


class OfficeAssigner:
    """Hands each person (street, community) the office that serves them and
    keeps what the clerk must hear: places without an office (one warning) and
    offices missing a detail."""

    def __init__(self, book: OfficeBook, streets: Iterable[str] = ()):
        self.book = book
        self.streets = {s for s in streets if s}
        self._cache: dict[tuple[str, str], OfficeDetails] = {}
        self.unknown: dict[str, int] = {}
        self.used: dict[str, OfficeDetails] = {}

    def details(self, street: str = "", community: str = "") -> OfficeDetails:
        key = (street or "", community or "")
        if key not in self._cache:
            self._cache[key] = self.book.for_person(street, community, self.streets)
        found = self._cache[key]
        if found.issuer:
            self.used.setdefault(found.issuer, found)
        else:
            place = "".join(x for x in key if x) or "未填街道、社区"
            self.unknown[place] = self.unknown.get(place, 0) + 1
        return found

    def office(self, street: str = "", community: str = "") -> Office:
        return self.details(street, community).office()

    def warnings(self) -> list[str]:
        out = []
        if self.unknown:
            places = "、".join(f"{p}（{n}人）" for p, n in self.unknown.items())
            out.append(
                f"以下街道、社区没有对应的单位信息（{'、'.join(DETAILS[f][0] for f in REQUIRED)}）："
                f"{places}。这些人员的文书中这些位置留有横线“{BLANK}”，请手工填写；或在工作簿“设置”表（街道、社区、发文机关、"
                "地址、电话、上级单位……每个单位一行）或 --office 文件中为其填写后重新生成。"
            )
        missing: dict[str, list[str]] = {}
        for issuer, d in self.used.items():
            for label in d.missing():
                missing.setdefault(label, []).append(issuer)
        if missing:
            what = "；".join(f"{label}（{'、'.join(who)}）" for label, who in missing.items())
            out.append(
                f"单位信息不全：{what}。文书中这些位置留有横线“{BLANK}”，请手工填写；"
                "或在工作簿“设置”表或 --office 文件中填写后重新生成。"
            )
        return out
