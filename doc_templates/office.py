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
        )

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


def _pairs_from_rows(rows: Sequence[Sequence[Any]] | None) -> list[tuple[Any, Any]]:
    out = []
    for row in rows or []:
        cells = [c for c in row if c not in (None, "")]
        if len(cells) >= 2:
            out.append((cells[0], cells[1]))
    return out


def read_office_file(path: str | os.PathLike[str]) -> OfficeDetails:
    """An office file (see module doc); a Chinese error when it cannot be read."""
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
        return OfficeDetails.from_pairs(_pairs_from_rows(rows))
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
        return OfficeDetails.from_pairs(_pairs_from_rows(list(csv.reader(io.StringIO(text)))))
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
    return OfficeDetails.from_pairs(pairs)


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
    ``given`` (keyword values), the office file, the 设置 sheet, the 参数 sheet."""
    found = OfficeDetails(**dict(given or {}))
    if office_file:
        found = found.over(read_office_file(office_file))
    found = found.over(OfficeDetails.from_pairs(_pairs_from_rows(settings_rows)))
    return found.over(details_from_parameters(parameters))
