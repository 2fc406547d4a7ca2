"""The print file: every paper of a batch in one .docx, each restarting its page numbers.

``duplex=True`` starts each paper on an odd page (a section of type
``oddPage``; Word and LibreOffice insert the blank page), so a double-sided
print run splits cleanly into separate papers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from calc.errors import InputError
from calc.safe_files import write_bytes_safely
from doc_templates.fastrender import CompiledTemplate

MERGED_NAME = "合并打印_{kind}.docx"


def merged_name(kind: str, duplex: bool = False) -> str:
    name = MERGED_NAME.format(kind=kind)
    return name.replace(".docx", "_双面.docx") if duplex else name


def write_merged(
    template: CompiledTemplate,
    views: Sequence[dict[str, Any]],
    out_dir: Path,
    kind: str,
    *,
    duplex: bool = False,
) -> Path | None:
    """Write the print file of ``views`` (None when there is nothing to print)."""
    if not views:
        return None
    path = Path(out_dir) / merged_name(kind, duplex)
    write_bytes_safely(path, template.merge_bytes(views, odd_page=duplex))
    return path


def merge_docx(paths: Sequence[str | Path], out_path: str | Path, *, duplex: bool = False) -> Path:
    """Merge arbitrary .docx files (e.g. ones a clerk edited) with docxcompose.

    Slower than :func:`write_merged` (which concatenates freshly rendered
    bodies); use it for files that no longer come from one template.
    """
    import io

    from docx import Document
    from docx.enum.section import WD_SECTION
    from docxcompose.composer import Composer

    paths = [Path(p) for p in paths]
    if not paths:
        raise InputError("没有可合并的文书")
    master = Document(str(paths[0]))
    composer = Composer(master)
    for p in paths[1:]:
        if duplex:
            composer.doc.add_section(WD_SECTION.ODD_PAGE)
        else:
            composer.doc.add_page_break()
        composer.append(Document(str(p)))
    buf = io.BytesIO()
    composer.save(buf)
    out = Path(out_path)
    write_bytes_safely(out, buf.getvalue())
    return out
