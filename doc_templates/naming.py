"""File names of the papers: valid on Windows, stable, carrying the document number.

``协议书_社区_姓名_2026-0001.docx``, ``责任书_单位_2027-0001.docx``,
``公示_主题_2026-0001.docx``.  An office with its own 编号前缀 numbers from 1 on its
own, so its files carry the prefix before the number (``公示_主题_柳巷2026-0001.docx``,
``公示_主题_坞城2026-0001.docx``): two offices' papers in one folder never share a name.
"""

from __future__ import annotations

import re

from calc.csv_safe import strip_invisible
from doc_templates.contexts import AgreementContext, LetterContext, NoticeContext
from doc_templates.register import DocNumber
from doc_templates.templates import KIND_AGREEMENT, KIND_LETTER, KIND_NOTICE

_INVALID = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = (
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)


def safe_name(text: str, max_len: int = 60) -> str:
    """A file-name component valid on Windows: no <>:"/\\|?*, no control or
    bidi/format characters (a name ``王\u202efdp.exe`` shows as ``王exe.pdf``),
    no trailing dots or spaces, not a reserved device name."""
    s = _INVALID.sub("_", strip_invisible(str(text or "")).strip())
    s = re.sub(r"\s+", "", s)
    s = s[:max_len].rstrip(". ")
    if not s:
        s = "未命名"
    if s.split(".")[0].upper() in _RESERVED:
        s = "_" + s
    return s


#: The kind's own word at the end of a number's prefix (柳巷公示 → 柳巷): the file name
#: begins with the kind already (doc_templates.register.DEFAULT_PREFIXES).
_KIND_WORD = re.compile(r"(协议|公示|责任)$")


def number_in_name(typed: str, given: DocNumber | None = None) -> str:
    """The number's part of a file name: the office's prefix (without the kind's word,
    the name begins with the kind), the year and the number on four digits, so files
    sort by number — ``柳巷公示〔2026〕1号`` → ``柳巷2026-0001``.

    ``given``: the number as the register gave it, made from its parts.  Otherwise
    ``typed`` is a number a clerk typed in the ledger (input): read as
    ``前缀〔年〕号`` when it is written so, else kept as typed (made safe for a name).
    """
    if given is not None and given.year is not None:
        return f"{_office(given.prefix)}{given.year}-{given.seq:04d}"
    m = re.search(r"^(.*?)[〔\[(（](\d{4})[〕\])）]\s*(\d+)", typed or "")
    if m:
        return f"{_office(m.group(1))}{m.group(2)}-{int(m.group(3)):04d}"
    return safe_name(typed)


def _office(prefix: str) -> str:
    return _KIND_WORD.sub("", safe_name(prefix, 20)) if prefix.strip() else ""


def agreement_filename(ctx: AgreementContext, given: DocNumber | None = None) -> str:
    p = ctx.person
    return (
        f"{KIND_AGREEMENT}_{safe_name(p.community or p.street or '未填社区')}_"
        f"{safe_name(p.name)}_{number_in_name(ctx.number, given)}.docx"
    )


def letter_filename(ctx: LetterContext, given: DocNumber | None = None) -> str:
    return f"{KIND_LETTER}_{safe_name(ctx.receiver.name)}_{number_in_name(ctx.number, given)}.docx"


def notice_filename(ctx: NoticeContext, given: DocNumber | None = None) -> str:
    if not ctx.number:
        return f"{KIND_NOTICE}_{safe_name(ctx.subject, 30)}_{ctx.start.isoformat()}.docx"
    return f"{KIND_NOTICE}_{safe_name(ctx.subject, 30)}_{number_in_name(ctx.number, given)}.docx"


FILENAMES = {
    KIND_AGREEMENT: agreement_filename,
    KIND_NOTICE: notice_filename,
    KIND_LETTER: letter_filename,
}
