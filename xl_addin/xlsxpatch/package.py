"""The workbook as a zip package: its parts, relationships and worksheets."""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from html import unescape as _xml_unescape

from .errors import (
    CorruptWorkbook,
    OldXlsFormat,
    SheetNotFound,
    WorkbookNotFound,
    WorkbookUnreadable,
)
from .zipguard import PackageTooLarge, check_sizes

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
RT_WORKSHEET = NS_REL + "/worksheet"
RT_STYLES = NS_REL + "/styles"
RT_CALCCHAIN = NS_REL + "/calcChain"
RT_COMMENTS = NS_REL + "/comments"
RT_VML = NS_REL + "/vmlDrawing"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"


def _resolve(base_dir: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = [p for p in base_dir.split("/") if p] if base_dir else []
    for seg in target.split("/"):
        if seg == "..":
            if parts:
                parts.pop()
        elif seg and seg != ".":
            parts.append(seg)
    return "/".join(parts)


def _rels_path(part: str) -> str:
    d, _, name = part.rpartition("/")
    return f"{d}/_rels/{name}.rels" if d else f"_rels/{name}.rels"


def _parse_rels(data: bytes) -> list[dict[str, str]]:
    out = []
    for m in re.finditer(rb"<(?:\w+:)?Relationship\b([^>]*?)/?>", data):
        attrs = dict(
            (k.decode(), _xml_unescape(v.decode("utf-8")))
            for k, v in re.findall(rb'(\w+)\s*=\s*["\']([^"\']*)["\']', m.group(1))
        )
        out.append(attrs)
    return out


@dataclass
class _Package:
    path: str
    zf: zipfile.ZipFile
    names: set[str]
    workbook_part: str
    sheets: list[tuple[str, str, str]]  # (name, r:id, part path)
    date1904: bool
    styles_part: str | None
    calc_chain_part: str | None

    def sheet_part(self, sheet_name: str) -> str:
        for name, _rid, part in self.sheets:
            if name == sheet_name:
                return part
        raise SheetNotFound(self.path, sheet_name, [n for n, _, _ in self.sheets])

    def read(self, name: str) -> bytes:
        return self.zf.read(name)


def _open_package(path: str) -> _Package:
    if not os.path.exists(path):
        raise WorkbookNotFound(path)
    ext = os.path.splitext(path)[1].lower()
    if ext == ".xls":
        raise OldXlsFormat(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, ValueError) as exc:
        raise CorruptWorkbook(path, str(exc)) from exc
    except OSError as exc:
        raise WorkbookUnreadable(path, exc) from exc
    try:
        check_sizes(zf, path)  # nothing inflated past the size guard
        names = set(zf.namelist())
        root_rels = _parse_rels(zf.read("_rels/.rels"))
        wb_part = next(
            (
                _resolve("", r["Target"])
                for r in root_rels
                if r.get("Type", "").endswith("/officeDocument")
            ),
            "xl/workbook.xml",
        )
        wb_xml = zf.read(wb_part)
        wb_dir = wb_part.rpartition("/")[0]
        rels = _parse_rels(zf.read(_rels_path(wb_part)))
    except PackageTooLarge:
        zf.close()
        raise
    except (KeyError, zipfile.BadZipFile, ValueError) as exc:
        zf.close()
        raise CorruptWorkbook(path, str(exc)) from exc
    except OSError as exc:
        zf.close()
        raise WorkbookUnreadable(path, exc) from exc
    by_id = {r.get("Id"): r for r in rels}
    sheets = []
    for m in re.finditer(rb"<(?:\w+:)?sheet\b([^>]*?)/?>", wb_xml):
        attrs = {}
        for k, v in re.findall(rb'([\w:]+)\s*=\s*"([^"]*)"', m.group(1)):
            attrs[k.decode()] = _xml_unescape(v.decode("utf-8"))
        rid = next((v for k, v in attrs.items() if k.endswith(":id") or k == "id"), None)
        rel = by_id.get(rid)
        if rel is None or not rel.get("Type", "").endswith("/worksheet"):
            continue  # chart sheets, dialog sheets
        sheets.append((attrs.get("name", ""), rid, _resolve(wb_dir, rel["Target"])))
    date1904 = bool(re.search(rb'date1904\s*=\s*"(1|true)"', wb_xml))
    styles = next((_resolve(wb_dir, r["Target"]) for r in rels if r.get("Type") == RT_STYLES), None)
    chain = next(
        (_resolve(wb_dir, r["Target"]) for r in rels if r.get("Type") == RT_CALCCHAIN), None
    )
    return _Package(path, zf, names, wb_part, sheets, date1904, styles, chain)


def _next_name(names: set[str], pattern: str) -> str:
    n = 1
    while pattern.format(n) in names:
        n += 1
    return pattern.format(n)
