"""Add a plain worksheet (:func:`add_sheet`), e.g. a report sheet beside the clerk's data."""

from __future__ import annotations

import os
import re
import time
import zipfile
from collections.abc import Sequence
from typing import Any

from .cells import _Encoder, _is_missing
from .errors import CorruptWorkbook, InvalidSheetName, SheetExists, StylesMissing
from .package import (
    CT_WORKSHEET,
    NS_MAIN,
    NS_REL,
    RT_WORKSHEET,
    _next_name,
    _Package,
    _rels_path,
)
from .patch import _destination, _patched
from .styles import _Styles
from .values import Formula, WriteResult
from .xmltext import _esc_attr, column_letter
from .zipio import _copy_member


def _display_width(value: Any) -> float:
    text = value if isinstance(value, str) else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def add_sheet(
    src_path: str | os.PathLike[str],
    dst_path: str | os.PathLike[str] | None,
    sheet_name: str,
    rows: Sequence[Sequence[Any]],
    *,
    replace: bool = True,
    in_place: bool = False,
) -> WriteResult:
    """Add (or with ``replace`` overwrite) a plain worksheet holding ``rows``.

    The sheet is appended after the existing sheets (sheet indexes used by
    defined names do not move).  Its part, relationship, content-type
    override and ``<sheet>`` entry are added by editing those small XML parts
    textually; all other members are copied unchanged.  An existing sheet of
    that name is rewritten in place (its own relationships are dropped).
    ``docProps/app.xml`` is left as is (Excel does not require it to list
    every sheet).
    """
    src_path = os.fspath(src_path)
    dst_final = _destination(src_path, None if dst_path is None else os.fspath(dst_path), in_place)
    if len(sheet_name) > 31 or re.search(r"[\[\]:*?/\\]", sheet_name) or not sheet_name.strip():
        raise InvalidSheetName(sheet_name)
    return _patched(
        src_path, dst_final, lambda pkg, tmp: _add_sheet_open(pkg, tmp, sheet_name, rows, replace)
    )


def _add_sheet_open(
    pkg: _Package, tmp: str, sheet_name: str, rows: Sequence[Sequence[Any]], replace: bool
) -> WriteResult:
    src_path = pkg.path
    existing = {n.lower(): (n, rid, p) for n, rid, p in pkg.sheets}
    replaced: dict[str, bytes] = {}
    dropped: set[str] = set()
    if sheet_name.lower() in existing:
        if not replace:
            raise SheetExists(src_path, sheet_name)
        part = existing[sheet_name.lower()][2]
        rels = _rels_path(part)
        if rels in pkg.names:
            dropped.add(rels)
    else:
        part = _next_name(pkg.names, "xl/worksheets/sheet{}.xml")
        wb_rels_name = _rels_path(pkg.workbook_part)
        wb_rels = pkg.read(wb_rels_name)
        ids = set(re.findall(rb'\sId\s*=\s*"([^"]*)"', wb_rels))
        n = 1
        while f"rId{n}".encode() in ids:
            n += 1
        rid = f"rId{n}"
        wb_dir = pkg.workbook_part.rpartition("/")[0]
        target = part[len(wb_dir) + 1 :] if wb_dir and part.startswith(wb_dir + "/") else "/" + part
        rel = f'<Relationship Id="{rid}" Type="{RT_WORKSHEET}" Target="{target}"/>'.encode()
        replaced[wb_rels_name] = re.sub(
            rb"</(\w+:)?Relationships>", lambda m: rel + m.group(0), wb_rels, count=1
        )
        ct = pkg.read("[Content_Types].xml")
        ov = f'<Override PartName="/{part}" ContentType="{CT_WORKSHEET}"/>'.encode()
        replaced["[Content_Types].xml"] = re.sub(
            rb"</(\w+:)?Types>", lambda m: ov + m.group(0), ct, count=1
        )
        wb_xml = pkg.read(pkg.workbook_part)
        sheet_ids = [
            int(x) for x in re.findall(rb'<(?:\w+:)?sheet\b[^>]*?\ssheetId\s*=\s*"(\d+)"', wb_xml)
        ]
        sid = max(sheet_ids, default=0) + 1
        rprefix = _rel_prefix(wb_xml)
        decl = "" if rprefix else f' xmlns:r="{NS_REL}"'
        rprefix = rprefix or "r"
        el = (
            f'<sheet name="{_esc_attr(sheet_name)}" sheetId="{sid}" {rprefix}:id="{rid}"{decl}/>'
        ).encode()
        m = re.search(rb"<(\w+:)?sheets\b[^>]*>(.*?)</(?:\w+:)?sheets>", wb_xml, re.S)
        if not m:
            raise CorruptWorkbook(src_path, "workbook.xml has no <sheets>")
        pre = m.group(1) or b""
        el = el.replace(b"<sheet ", b"<" + pre + b"sheet ")
        insert_at = m.end() - len(b"</" + pre + b"sheets>")
        replaced[pkg.workbook_part] = wb_xml[:insert_at] + el + wb_xml[insert_at:]

    styles_box: list[_Styles] = []

    def get_styles() -> _Styles:
        if not styles_box:
            if pkg.styles_part is None:
                raise StylesMissing(src_path, "date")
            styles_box.append(_Styles(pkg.read(pkg.styles_part)))
        return styles_box[0]

    enc = _Encoder(get_styles, pkg.date1904)
    body = []
    width = 0
    widths: dict[int, float] = {}
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, v in enumerate(row, start=1):
            if _is_missing(v):
                continue
            cells.append(enc.cell(f"{column_letter(c)}{r}", v, None))
            widths[c] = max(
                widths.get(c, 0),
                min(_display_width(v if not isinstance(v, Formula) else v.cached or ""), 60),
            )
        width = max(width, len(row))
        body.append(f'<row r="{r}">'.encode() + b"".join(cells) + b"</row>")
    dim = f"A1:{column_letter(max(width, 1))}{max(len(rows), 1)}"
    cols = "".join(
        f'<col min="{c}" max="{c}" width="{max(w, 6) + 2:.1f}" customWidth="1"/>'
        for c, w in sorted(widths.items())
    )
    xml = (
        (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">'
            f'<dimension ref="{dim}"/>'
            '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{cols}</cols>" if cols else "")
        ).encode()
        + b"<sheetData>"
        + b"".join(body)
        + b"</sheetData></worksheet>"
    )
    if styles_box and styles_box[0].changed:
        replaced[pkg.styles_part] = styles_box[0].data

    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as out:
        wrote_part = False
        for info in pkg.zf.infolist():
            if info.filename in dropped:
                continue
            if info.filename == part:
                _copy_member(pkg.zf, info, out, xml)
                wrote_part = True
            elif info.filename in replaced:
                _copy_member(pkg.zf, info, out, replaced[info.filename])
            else:
                _copy_member(pkg.zf, info, out)
        if not wrote_part:
            zi = zipfile.ZipInfo(part, time.localtime()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(zi, xml)
    st = styles_box[0] if styles_box else None
    return WriteResult(
        dst_path=tmp,
        sheet_part=part,
        cells_written=sum(len(r) for r in rows),
        styles_changed=bool(st and st.changed),
        new_styles=list(st.new) if st else [],
    )


def _rel_prefix(wb_xml: bytes) -> str | None:
    """The prefix the workbook's root element binds to the relationships namespace."""
    root = re.search(rb"<(?:\w+:)?workbook\b[^>]*>", wb_xml)
    if not root:
        return None
    m = re.search(rb'xmlns:(\w+)\s*=\s*"' + re.escape(NS_REL.encode()) + rb'"', root.group())
    return m.group(1).decode() if m else None
