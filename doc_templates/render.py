"""Render one paper: a context → .docx bytes.

    render_agreement(ctx) -> bytes      # 接受就业援助协议书
    render_notice(ctx) -> bytes         # 公示
    render_letter(ctx) -> bytes         # 目标责任书

``template`` is a template file (default: the shipped one, see
:mod:`doc_templates.templates`).  Views live in :mod:`doc_templates.views`,
batches in :mod:`doc_templates.batches`, file names in
:mod:`doc_templates.naming`, the register in :mod:`doc_templates.register`,
the print file in :mod:`doc_templates.merge`, PDF in :mod:`doc_templates.pdf`.
"""

from __future__ import annotations

from pathlib import Path

from doc_templates.contexts import AgreementContext, LetterContext, NoticeContext
from doc_templates.fastrender import CompiledTemplate, compiled
from doc_templates.templates import AGREEMENT_TEMPLATE, LETTER_TEMPLATE, NOTICE_TEMPLATE
from doc_templates.views import agreement_view, letter_view, notice_view

__all__ = ["render_agreement", "render_letter", "render_notice", "template_of"]


def template_of(path: Path | None, default: Path) -> CompiledTemplate:
    return compiled(path or default)


def render_agreement(ctx: AgreementContext, *, template: Path | None = None) -> bytes:
    """One 接受就业援助协议书 as .docx bytes."""
    return template_of(template, AGREEMENT_TEMPLATE).render_bytes(agreement_view(ctx))


def render_notice(ctx: NoticeContext, *, template: Path | None = None) -> bytes:
    """One 公示 as .docx bytes (fast path: a compiled Jinja row loop)."""
    tpl = template_of(template, NOTICE_TEMPLATE)
    level = 1 if len(ctx.rows) > 2000 else None
    return tpl.render_bytes(notice_view(ctx), compresslevel=level)


def render_letter(ctx: LetterContext, *, template: Path | None = None) -> bytes:
    """One 目标责任书 as .docx bytes."""
    return template_of(template, LETTER_TEMPLATE).render_bytes(letter_view(ctx))
