"""Render a docxtpl template many times without paying docxtpl's per-call cost.

docxtpl re-parses the .docx, re-runs its regex pre-processing (``patch_xml``)
and re-builds the lxml tree on every ``render`` (≈42 ms for one page).  The
templates in this package only use plain Jinja placeholders, ``{%p … %}``
paragraph tags and ``{%tr … %}`` row tags in ``word/document.xml``, so the
work can be split:

1. once per template: read the zip, run docxtpl's own ``patch_xml`` on
   ``word/document.xml`` (so the tag syntax is exactly docxtpl's) and compile
   the result into a Jinja template with XML autoescaping;
2. per document: render that compiled template to a string and write a new
   zip in which every other part is copied unchanged.

Step 2 takes about a millisecond for a one-page agreement, and a
``{%tr for %}`` loop over 10,000 rows is a plain Jinja loop (no lxml tree).
The output is the same document docxtpl would produce for these templates
(a test renders both and compares the text).

Headers, footers and other parts must not contain Jinja tags (the footers
only hold the PAGE field); :class:`CompiledTemplate` refuses a template where
they do.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate

from calc.errors import InputError

DOCUMENT_PART = "word/document.xml"
FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
_TAG = re.compile(r"\{\{|\{%|\{#")
_BODY_OPEN = "<w:body>"
_SECT_START = re.compile(r"<w:sectPr[ >]")


def _patch(xml: str) -> str:
    """docxtpl's pre-processing of the document XML (tags split across runs,
    ``{%p``/``{%tr`` tags replacing their paragraph/row …)."""
    patcher = DocxTemplate.__new__(DocxTemplate)
    return DocxTemplate.patch_xml(patcher, xml)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env


class CompiledTemplate:
    """A .docx template compiled once and rendered many times.

    ``render_bytes(context)`` returns a complete .docx as bytes;
    ``render_xml(context)`` returns the rendered ``word/document.xml``;
    ``merge_bytes(contexts)`` returns one .docx holding every rendered
    document, each in its own section (page numbers restart at 1).
    """

    def __init__(self, source: str | Path | bytes, *, compresslevel: int = 6):
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        self.compresslevel = compresslevel
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.names = z.namelist()
            self.parts = {n: z.read(n) for n in self.names}
        if DOCUMENT_PART not in self.parts:
            raise InputError("模板不是有效的 Word 文档（缺少 word/document.xml）")
        for name, blob in self.parts.items():
            if (
                name != DOCUMENT_PART
                and name.endswith(".xml")
                and _TAG.search(blob.decode("utf-8", "replace"))
            ):
                raise InputError(f"模板的 {name} 含有占位符；占位符只能放在正文中")
        self.source_xml = self.parts[DOCUMENT_PART].decode("utf-8")
        self.patched_xml = _patch(self.source_xml)
        self.env = _environment()
        try:
            self.template = self.env.from_string(self.patched_xml)
        except jinja2.TemplateSyntaxError as exc:
            raise InputError(f"模板占位符语法错误：{exc.message}") from exc
        self._static = [n for n in self.names if n != DOCUMENT_PART]

    # ------------------------------------------------------------ rendering
    def render_xml(self, context: Mapping[str, Any]) -> str:
        try:
            return self.template.render(context)
        except jinja2.UndefinedError as exc:
            raise InputError(f"模板占位符没有对应的数据：{exc.message}") from exc

    def package(self, document_xml: str | bytes, *, compresslevel: int | None = None) -> bytes:
        """A .docx with ``document_xml`` as its main part and every other part copied."""
        if isinstance(document_xml, str):
            document_xml = document_xml.encode("utf-8")
        level = self.compresslevel if compresslevel is None else compresslevel
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
            for name in self.names:
                info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                z.writestr(
                    info,
                    document_xml if name == DOCUMENT_PART else self.parts[name],
                    compresslevel=level,
                )
        return out.getvalue()

    def render_bytes(
        self, context: Mapping[str, Any], *, compresslevel: int | None = None
    ) -> bytes:
        return self.package(self.render_xml(context), compresslevel=compresslevel)

    # ------------------------------------------------------------ merging
    @staticmethod
    def split_body(xml: str) -> tuple[str, str, str, str]:
        """(head up to and including <w:body>, body content, final sectPr, tail)."""
        i = xml.index(_BODY_OPEN) + len(_BODY_OPEN)
        starts = [m.start() for m in _SECT_START.finditer(xml, i)]
        if not starts:
            raise InputError("模板缺少分节信息（w:sectPr）")
        j = starts[-1]
        k = xml.index("</w:sectPr>", j) + len("</w:sectPr>")
        return xml[:i], xml[i:j], xml[j:k], xml[k:]

    def merge_xml(self, contexts: Iterable[Mapping[str, Any]], *, odd_page: bool = False) -> str:
        """One document.xml holding every rendered context, one section each.

        Every section keeps the template's page set-up, footers (same
        relationship ids: all documents come from this template) and
        ``pgNumType start=1``, so each document is numbered from 1.  With
        ``odd_page`` each document starts on an odd page (duplex printing).
        """
        pieces: list[str] = []
        head = tail = ""
        last_sect = ""
        for i, ctx in enumerate(contexts):
            head, body, sect, tail = self.split_body(self.render_xml(ctx))
            if odd_page and i > 0:
                sect = _with_section_type(sect, "oddPage")
            if last_sect:
                pieces.append(f"<w:p><w:pPr>{last_sect}</w:pPr></w:p>")
            pieces.append(body)
            last_sect = sect
        if not pieces:
            raise InputError("没有可合并的文书")
        sect = last_sect
        return head + "".join(pieces) + sect + tail

    def merge_bytes(
        self, contexts: Iterable[Mapping[str, Any]], *, odd_page: bool = False
    ) -> bytes:
        return self.package(self.merge_xml(contexts, odd_page=odd_page), compresslevel=1)


def _with_section_type(xml: str, kind: str) -> str:
    """Insert ``<w:type w:val=kind/>`` into the first sectPr of ``xml``."""
    m = re.search(r"<w:sectPr[^>]*>((?:<w:(?:headerReference|footerReference)[^>]*/>)*)", xml)
    if not m:
        return xml
    return xml[: m.end()] + f'<w:type w:val="{kind}"/>' + xml[m.end() :]


@lru_cache(maxsize=16)
def _cached(path: str, mtime_ns: int, size: int) -> CompiledTemplate:
    return CompiledTemplate(Path(path))


def compiled(path: str | Path) -> CompiledTemplate:
    """The compiled template for ``path``, re-read when the file changes."""
    p = Path(path).resolve()
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError(f"找不到文书模板：{p}") from None
    return _cached(str(p), st.st_mtime_ns, st.st_size)
