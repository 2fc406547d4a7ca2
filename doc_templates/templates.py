"""Which template file a paper is rendered from, and checking a clerk's edited one.

The shipped templates sit beside this file.  A clerk may keep edited copies
in a folder of their own (``jyyz docs --templates DIR`` or the 设置 entry
模板文件夹): a file there named like a shipped one (``协议书.docx``,
``公示.docx``, ``责任书.docx``) replaces it.  Before use, an edited template is
checked with docxtpl's ``get_undeclared_template_variables``: a placeholder
the paper has no data for is named in Chinese, with the placeholders that
are available, instead of failing half-way through a batch.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from calc.errors import InputError
from doc_templates import build_templates as _bt

TEMPLATE_DIR = Path(__file__).resolve().parent
KIND_AGREEMENT = "协议书"
KIND_NOTICE = "公示"
KIND_LETTER = "责任书"
FILES = {
    KIND_AGREEMENT: _bt.AGREEMENT_FILE,
    KIND_NOTICE: _bt.NOTICE_FILE,
    KIND_LETTER: _bt.LETTER_FILE,
}
AGREEMENT_TEMPLATE = TEMPLATE_DIR / _bt.AGREEMENT_FILE
NOTICE_TEMPLATE = TEMPLATE_DIR / _bt.NOTICE_FILE
LETTER_TEMPLATE = TEMPLATE_DIR / _bt.LETTER_FILE


@lru_cache(maxsize=1)
def _sample_views() -> dict[str, dict]:
    from doc_templates import samples
    from doc_templates.views import agreement_view, letter_view, notice_view

    return {
        KIND_AGREEMENT: agreement_view(samples.sample_agreement()),
        KIND_NOTICE: notice_view(samples.sample_notice(3)),
        KIND_LETTER: letter_view(samples.sample_letter()),
    }


def placeholders(kind: str) -> list[str]:
    """The top-level placeholders a template of ``kind`` may use."""
    return sorted(_sample_views()[kind])


def check_template(path: str | os.PathLike[str], kind: str) -> None:
    """Raise a Chinese InputError naming each placeholder of ``path`` that ``kind`` has no data for."""
    from docxtpl import DocxTemplate

    p = Path(path)
    try:
        unknown = DocxTemplate(str(p)).get_undeclared_template_variables(
            context=_sample_views()[kind]
        )
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"文书模板“{p}”打不开或占位符写法有误：{exc}") from None
    if unknown:
        names = "、".join(f"{{{{ {n} }}}}" for n in sorted(unknown))
        raise InputError(
            f"文书模板“{p.name}”（{p.parent}）中有不认识的占位符：{names}。"
            f"{kind}可用的占位符：{'、'.join(placeholders(kind))}（含义见 doc_templates/README.md）"
        )
    # Attribute placeholders ({{ m.titel }}) show only when rendering: try the sample.
    from doc_templates.fastrender import compiled

    try:
        compiled(p).render_xml(_sample_views()[kind])
    except InputError as err:
        raise InputError(f"文书模板“{p.name}”（{p.parent}）：{err.message}") from None


def template_for(kind: str, folder: str | os.PathLike[str] | None = None) -> Path:
    """The template file of ``kind``: the clerk's copy in ``folder`` if there is
    one (checked), else the shipped one."""
    if kind not in FILES:
        raise InputError(f"文书种类“{kind}”不对：可选 {'、'.join(FILES)}")
    if folder:
        d = Path(folder)
        if not d.is_dir():
            raise InputError(f"模板文件夹“{d}”不存在（--templates 或“设置”表的模板文件夹）")
        local = d / FILES[kind]
        if local.is_file():
            check_template(local, kind)
            return local
    return TEMPLATE_DIR / FILES[kind]
