"""The comment half of marking cells: comments part, legacy VML note boxes, rels, content types."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from html import unescape as _xml_unescape

from .errors import CorruptWorkbook
from .package import (
    CT_COMMENTS,
    CT_VML,
    NS_MAIN,
    NS_PKG_REL,
    NS_REL,
    RT_COMMENTS,
    RT_VML,
    _next_name,
    _Package,
    _parse_rels,
    _rels_path,
    _resolve,
)
from .values import MARK_AUTHOR, Mark
from .xmltext import _b, _esc, _esc_attr, _ref_rc, _t_element, column_letter

NS_VML = "urn:schemas-microsoft-com:vml"
NS_OFFICE = "urn:schemas-microsoft-com:office:office"
NS_EXCEL = "urn:schemas-microsoft-com:office:excel"

#: CT_Worksheet children that come after <legacyDrawing> (mc:AlternateContent at
#: the top level only ever wraps <oleObjects>/<controls>, which do too).
_AFTER_LEGACY = {
    b"legacyDrawingHF",
    b"drawingHF",
    b"picture",
    b"oleObjects",
    b"controls",
    b"webPublishItems",
    b"tableParts",
    b"extLst",
    b"AlternateContent",
}
_TAG_RE = re.compile(
    rb"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>"
    rb"|<(/?)(?:[\w.-]+:)?([\w.-]+)((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>",
    re.S,
)
_COMMENT_RE = re.compile(
    rb"<(?:\w+:)?comment\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(?:/>|>(.*?)</(?:\w+:)?comment>)", re.S
)
_VML_SHAPE_RE = re.compile(
    rb"<(?:\w+:)?shape\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(?:/>|>.*?</(?:\w+:)?shape>)", re.S
)
_VML_SHAPETYPE_202 = (
    '<v:shapetype{ns} id="_x0000_t202" coordsize="21600,21600" o:spt="202"'
    ' path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
    '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
)
_VML_NS = f' xmlns:v="{NS_VML}" xmlns:o="{NS_OFFICE}" xmlns:x="{NS_EXCEL}"'


def _vml_note_shape(shape_id: int, row: int, col: int, z: int, ns: str) -> bytes:
    """A hidden comment box for the cell (row, col) — both 1-based — as Excel writes it."""
    r0, c0 = row - 1, col - 1
    top = max(r0 - 1, 0)
    anchor = f"{c0 + 1}, 15, {top}, 10, {c0 + 3}, 15, {top + 4}, 4"
    return _b(
        f'<v:shape{ns} id="_x0000_s{shape_id}" type="#_x0000_t202"'
        ' style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:108pt;'
        f'height:59.25pt;z-index:{z};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">'
        '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
        '<v:path o:connecttype="none"/>'
        '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
        '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
        f"<x:Anchor>{anchor}</x:Anchor><x:AutoFill>False</x:AutoFill>"
        f"<x:Row>{r0}</x:Row><x:Column>{c0}</x:Column></x:ClientData></v:shape>"
    )


def _vml_notes(vml: bytes) -> set[tuple[int, int]]:
    """(row, col), 1-based, of the comment boxes (ObjectType="Note") in a VML drawing."""
    out = set()
    for m in _VML_SHAPE_RE.finditer(vml):
        shape = m.group()
        if not re.search(rb"ObjectType\s*=\s*[\"']Note[\"']", shape):
            continue
        r = re.search(rb"<(?:\w+:)?Row>\s*(\d+)\s*</", shape)
        c = re.search(rb"<(?:\w+:)?Column>\s*(\d+)\s*</", shape)
        if r and c:
            out.add((int(r.group(1)) + 1, int(c.group(1)) + 1))
    return out


def _insert_rels(rels: bytes | None, entries: list[tuple[str, str, str]]) -> bytes:
    """``rels`` (or a new .rels part) with (Id, Type, Target) relationships added."""
    if rels is None:
        rels = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{NS_PKG_REL}"></Relationships>'
        ).encode()
    m = re.search(rb"<(\w+:)?Relationships\b[^>]*?(/?)>", rels)
    if m is None:
        raise CorruptWorkbook(None, "worksheet .rels has no <Relationships>")
    p = m.group(1) or b""
    new = b"".join(
        b"<" + p + _b(f'Relationship Id="{i}" Type="{t}" Target="{_esc_attr(target)}"/>')
        for i, t, target in entries
    )
    if m.group(2):  # <Relationships/>
        tag = m.group()[:-2].rstrip() + b">"
        return rels[: m.start()] + tag + new + b"</" + p + b"Relationships>" + rels[m.end() :]
    close = rels.rfind(b"</" + p + b"Relationships>")
    return rels[:close] + new + rels[close:]


class _CommentMarks:
    """The comment half of :func:`mark_cells`: comments part, VML boxes, rels, content types."""

    def __init__(self, marks: Mapping[tuple[int, int], Mark]):
        self.marks = dict(marks)
        self.comments_written = 0

    # -- before streaming the sheet --------------------------------------------
    def prepare(self, pkg: _Package, part: str) -> None:
        self.pkg, self.part = pkg, part
        self.sheet_dir = part.rpartition("/")[0]
        self.rels_name = _rels_path(part)
        self.rels_xml = pkg.read(self.rels_name) if self.rels_name in pkg.names else None
        rels = _parse_rels(self.rels_xml) if self.rels_xml is not None else []
        self.rels = {r.get("Id", ""): r for r in rels}
        self.comments_part: str | None = None
        for r in rels:
            if r.get("Type") == RT_COMMENTS and r.get("TargetMode") != "External":
                self.comments_part = _resolve(self.sheet_dir, r.get("Target", ""))
                if self.comments_part not in pkg.names:
                    raise CorruptWorkbook(pkg.path, "comments or content types part is malformed")
                break
        taken = set(self.rels)
        fresh = (f"rId{n}" for n in range(1, 1 << 20) if f"rId{n}" not in taken)
        self.comments_rid = next(fresh)
        self.vml_rid = next(fresh)
        self.vml_part: str | None = None  # set by tail() when the sheet has a legacyDrawing

    # -- the end of the sheet XML ----------------------------------------------
    def tail(self, data: bytes, prefix: bytes) -> bytes:
        """Find the sheet's <legacyDrawing>, or insert one at its schema position."""
        start = 0
        lead = re.match(rb"\s*</" + re.escape(prefix) + rb"sheetData\s*>", data)
        if lead:
            start = lead.end()
        depth = 0
        insert_at = None
        for m in _TAG_RE.finditer(data, start):
            if m.group(2) is None:  # comment, processing instruction, CDATA
                continue
            closing, local, attrs, empty = m.group(1), m.group(2), m.group(3), m.group(4)
            if closing:
                depth -= 1
                if depth < 0:  # </worksheet>
                    insert_at = m.start()
                    break
                continue
            if depth == 0:
                if local == b"legacyDrawing":
                    rid = re.search(rb"(?:[\w.-]+:)?id\s*=\s*[\"']([^\"']*)[\"']", attrs)
                    rel = self.rels.get(_xml_unescape(rid.group(1).decode())) if rid else None
                    if rel is None:
                        raise CorruptWorkbook(
                            self.pkg.path, "comments, VML or legacy drawing part is malformed"
                        )
                    self.vml_part = _resolve(self.sheet_dir, rel.get("Target", ""))
                    if self.vml_part not in self.pkg.names:
                        raise CorruptWorkbook(
                            self.pkg.path, "comments, VML or legacy drawing part is malformed"
                        )
                    return data
                if local in _AFTER_LEGACY:
                    insert_at = m.start()
                    break
            if not empty:
                depth += 1
        if insert_at is None:
            raise CorruptWorkbook(None, "worksheet is not closed (</worksheet>)")
        el = _b(f'legacyDrawing xmlns:r="{NS_REL}" r:id="{self.vml_rid}"/>')
        return data[:insert_at] + b"<" + prefix + el + data[insert_at:]

    # -- after streaming: the other parts ---------------------------------------
    def finish(self, replaced: dict[str, bytes]) -> list[tuple[str, bytes]]:
        pkg = self.pkg
        added: list[tuple[str, bytes]] = []
        new_rels: list[tuple[str, str, str]] = []
        overrides: list[str] = []
        by_ref = {f"{column_letter(c)}{r}": m for (r, c), m in sorted(self.marks.items())}

        if self.comments_part is not None:
            comments = self._merge_comments(pkg.read(self.comments_part), by_ref)
            replaced[self.comments_part] = comments
        else:
            name = _next_name(pkg.names, "xl/comments{}.xml")
            comments = self._merge_comments(
                (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<comments xmlns="{NS_MAIN}"><authors/><commentList/></comments>'
                ).encode(),
                by_ref,
            )
            added.append((name, comments))
            new_rels.append((self.comments_rid, RT_COMMENTS, self._target(name)))
            overrides.append(name)
        refs = [
            _ref_rc(m.group(1))
            for c in _COMMENT_RE.finditer(comments)
            if (m := re.search(rb"\sref\s*=\s*[\"']([^\"']*)[\"']", c.group(1)))
        ]

        new_vml = self.vml_part is None
        if new_vml:
            name = _next_name(pkg.names, "xl/drawings/vmlDrawing{}.vml")
            vml = self._new_vml(refs)
            added.append((name, vml))
            new_rels.append((self.vml_rid, RT_VML, self._target(name)))
        else:
            assert self.vml_part is not None
            old = pkg.read(self.vml_part)
            vml = self._add_vml_shapes(old, refs)
            if vml != old:
                replaced[self.vml_part] = vml

        if new_rels:
            rels = _insert_rels(self.rels_xml, new_rels)
            if self.rels_xml is None:
                added.append((self.rels_name, rels))
            else:
                replaced[self.rels_name] = rels
        if new_vml or overrides:
            ct_name = "[Content_Types].xml"
            ct = replaced.get(ct_name, pkg.read(ct_name))
            m = re.search(rb"<(\w+:)?Types\b", ct)
            p = (m.group(1) or b"") if m else b""
            add = b""
            if new_vml and not re.search(
                rb"<(?:\w+:)?Default\b[^>]*\sExtension\s*=\s*\"vml\"", ct, re.I
            ):
                add += b"<" + p + _b(f'Default Extension="vml" ContentType="{CT_VML}"/>')
            for name in overrides:
                add += b"<" + p + _b(f'Override PartName="/{name}" ContentType="{CT_COMMENTS}"/>')
            if add:
                close = ct.rfind(b"</" + p + b"Types>")
                if close < 0:
                    raise CorruptWorkbook(pkg.path, "comments or content types part is malformed")
                replaced[ct_name] = ct[:close] + add + ct[close:]
        return added

    def _target(self, part: str) -> str:
        return posixpath.relpath(part, self.sheet_dir or ".")

    def _merge_comments(self, xml: bytes, by_ref: dict[str, Mark]) -> bytes:
        root = re.search(rb"<(\w+:)?comments\b[^>]*>", xml)
        if root is None:
            raise CorruptWorkbook(
                self.pkg.path, "comments, VML or legacy drawing part is malformed"
            )
        p = root.group(1) or b""
        pe = re.escape(p)
        # the author
        am = re.search(rb"<" + pe + rb"authors\b[^>]*?(/?)>", xml)
        if am is None:
            xml = xml[: root.end()] + b"<" + p + b"authors/>" + xml[root.end() :]
            am = re.search(rb"<" + pe + rb"authors\b[^>]*?(/?)>", xml)
            assert am is not None
        if am.group(1):
            xml = xml[: am.start()] + b"<" + p + b"authors></" + p + b"authors>" + xml[am.end() :]
            am = re.search(rb"<" + pe + rb"authors\b[^>]*?>", xml)
            assert am is not None
        a_close = xml.find(b"</" + p + b"authors>", am.end())
        authors = [
            _xml_unescape(a.decode("utf-8"))
            for a in re.findall(
                rb"<(?:\w+:)?author\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?author>)",
                xml[am.end() : a_close],
                re.S,
            )
        ]
        if MARK_AUTHOR in authors:
            author_id = authors.index(MARK_AUTHOR)
        else:
            author_id = len(authors)
            author = b"<" + p + b"author>" + _b(_esc(MARK_AUTHOR)) + b"</" + p + b"author>"
            xml = xml[:a_close] + author + xml[a_close:]
        aid = str(author_id).encode()

        def text(mark: Mark) -> bytes:
            return b"<" + p + b"text>" + _t_element(mark.message, p) + b"</" + p + b"text>"

        # replace the text of comments already on marked cells
        done: set[str] = set()

        def fix(m: re.Match) -> bytes:
            attrs = m.group(1)
            rm = re.search(rb"\sref\s*=\s*[\"']([^\"']*)[\"']", attrs)
            ref = rm.group(1).decode().replace("$", "").upper() if rm else ""
            if ref not in by_ref or ref in done:
                return m.group()
            done.add(ref)
            self.comments_written += 1
            attrs, n_aid = re.subn(
                rb'(\sauthorId\s*=\s*")[^"]*(")', rb"\g<1>" + aid + rb"\g<2>", attrs
            )
            if not n_aid:
                attrs += b' authorId="' + aid + b'"'
            body = m.group(2) or b""
            body, n = re.subn(
                rb"<(?:\w+:)?text\b[^>]*?(?:/>|>.*?</(?:\w+:)?text>)",
                lambda _: text(by_ref[ref]),
                body,
                count=1,
                flags=re.S,
            )
            if not n:
                body = text(by_ref[ref]) + body
            return b"<" + p + b"comment" + attrs + b">" + body + b"</" + p + b"comment>"

        xml = _COMMENT_RE.sub(fix, xml)
        # add the others
        new = b"".join(
            b"<"
            + p
            + _b(f'comment ref="{ref}" authorId="{author_id}">')
            + text(mark)
            + b"</"
            + p
            + b"comment>"
            for ref, mark in by_ref.items()
            if ref not in done
        )
        self.comments_written += len(by_ref) - len(done)
        lm = re.search(rb"<" + pe + rb"commentList\b[^>]*?(/?)>", xml)
        listed = b"<" + p + b"commentList>" + new + b"</" + p + b"commentList>"
        if lm is None:
            a_end = xml.find(b"</" + p + b"authors>") + len(b"</" + p + b"authors>")
            return xml[:a_end] + listed + xml[a_end:]
        if lm.group(1):  # an empty <commentList/>
            return xml[: lm.start()] + listed + xml[lm.end() :]
        close = xml.find(b"</" + p + b"commentList>", lm.end())
        return xml[:close] + new + xml[close:]

    def _vml_blocks(self) -> set[int]:
        used: set[int] = set()
        for name in self.pkg.names:
            if name.lower().endswith(".vml"):
                for d in re.findall(
                    rb"<(?:\w+:)?idmap\b[^>]*?\sdata\s*=\s*\"([^\"]*)\"", self.pkg.read(name)
                ):
                    used.update(int(x) for x in re.findall(rb"\d+", d))
        return used

    def _new_vml(self, cells: list[tuple[int, int]]) -> bytes:
        block = max(self._vml_blocks(), default=0) + 1
        shapes = b"".join(
            _vml_note_shape(block * 1024 + i + 1, r, c, i + 1, "")
            for i, (r, c) in enumerate(sorted(set(cells)))
        )
        return (
            _b(
                f"<xml{_VML_NS}>"
                f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/></o:shapelayout>'
                + _VML_SHAPETYPE_202.format(ns="")
            )
            + shapes
            + b"</xml>"
        )

    def _add_vml_shapes(self, vml: bytes, cells: list[tuple[int, int]]) -> bytes:
        have = _vml_notes(vml)
        missing = sorted(set(cells) - have)
        if not missing:
            return vml
        close = vml.rfind(b"</xml>")
        if close < 0:
            raise CorruptWorkbook(
                self.pkg.path, "comments, VML or legacy drawing part is malformed"
            )
        ids = [int(x) for x in re.findall(rb"_x0000_s(\d+)", vml)]
        if ids:
            next_id = max(ids) + 1
        else:
            own = re.search(rb"<(?:\w+:)?idmap\b[^>]*?\sdata\s*=\s*\"(\d+)", vml)
            block = int(own.group(1)) if own else max(self._vml_blocks(), default=0) + 1
            next_id = block * 1024 + 1
        z = len(_VML_SHAPE_RE.findall(vml))
        add = b""
        if not re.search(rb"id\s*=\s*[\"']_x0000_t202[\"']", vml):
            add += _b(_VML_SHAPETYPE_202.format(ns=_VML_NS))
        for i, (r, c) in enumerate(missing):
            add += _vml_note_shape(next_id + i, r, c, z + i + 1, _VML_NS)
        return vml[:close] + add + vml[close:]
