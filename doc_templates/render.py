"""Render the three official documents from their contexts.

Single documents::

    render_agreement(ctx) -> bytes      # 接受就业援助协议书 (.docx bytes)
    render_notice(ctx) -> bytes         # 公示
    render_letter(ctx) -> bytes         # 目标责任书

Batches (one file per person / per receiving unit, stable names, numbers and
the register of issued documents kept in ``out_dir/文书登记簿.csv``)::

    write_agreements(contexts, out_dir) -> list[Path]   # 协议书_社区_姓名_2026-0001.docx
    write_letters(contexts, out_dir) -> list[Path]      # 责任书_单位_2026-0001.docx
    write_notice(ctx, out_dir) -> Path                  # 公示_主题_2026-0001.docx

``merged=True`` also writes a print file (``合并打印_协议书.docx``) holding
every document of the batch, one section each, page numbers restarting at 1.
``pdf=True`` converts the batch with LibreOffice in one process
(:func:`doc_templates.pdf.to_pdf`).

The ``*_view`` functions turn a context into the flat mapping of display
strings the templates use; ``doc_templates/README.md`` lists every key.
All dates are printed with Arabic numerals (``2026年11月22日``), amounts in
figures (``1,000.00元``) and in RMB capitals (``人民币壹仟元整``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from calc.errors import InputError
from doc_templates import build_templates as _bt
from doc_templates.contexts import (
    AgreementContext,
    LetterContext,
    NoticeContext,
    Obligation,
    PolicyRef,
    SubsidyLine,
)
from doc_templates.fastrender import CompiledTemplate, compiled

TEMPLATE_DIR = Path(__file__).resolve().parent
AGREEMENT_TEMPLATE = TEMPLATE_DIR / _bt.AGREEMENT_FILE
NOTICE_TEMPLATE = TEMPLATE_DIR / _bt.NOTICE_FILE
LETTER_TEMPLATE = TEMPLATE_DIR / _bt.LETTER_FILE

KIND_AGREEMENT = "协议书"
KIND_NOTICE = "公示"
KIND_LETTER = "责任书"

MERGED_NAME = "合并打印_{kind}.docx"

# ---------------------------------------------------------------- formatting

_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (for numbering)."""
    if n <= 0:
        raise ValueError(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n - 10] if n > 10 else "")
    if n < 100:
        tens, ones = divmod(n, 10)
        return _CN_DIGITS[tens] + "十" + (_CN_DIGITS[ones] if ones else "")
    import cn2an

    return cn2an.an2cn(n)


def copies_text(n: int) -> str:
    """Number of originals: 2 → 两, 3 → 三."""
    n = int(n)
    if n < 2:
        raise InputError("文书至少一式两份（双方各执一份）")
    return "两" if n == 2 else cn_number(n)


def fmt_date(d: date | None) -> str:
    from calc.dates import format_date_cn

    if d is None:
        return ""
    return format_date_cn(d)


def _money(amount: Any) -> tuple[str, str]:
    from calc.money import format_amount, rmb_capital

    if isinstance(amount, float):
        amount = Decimal(str(amount))
    try:
        value = Decimal(str(amount).replace(",", ""))
    except Exception:
        raise InputError(f"补贴金额“{amount}”不是数字") from None
    if value < 0:
        raise InputError(f"补贴金额不能为负数：{amount}")
    return format_amount(value), rmb_capital(value)


_END_PUNCT = "。；;，,.　 "


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    return text.rstrip(_END_PUNCT)


def _cite(source: str) -> str:
    source = (source or "").strip()
    return f"（{source}）" if source else ""


def basis_text(policies: Sequence[PolicyRef], default: str) -> str:
    """ "《标题》（文号）条款、《…》" for the opening sentence."""
    out = []
    for p in policies:
        s = f"《{p.title.strip('《》')}》"
        if p.doc_no:
            s += f"（{p.doc_no}）"
        if p.clause:
            s += p.clause
        out.append(s)
    return "、".join(out) if out else default


def _items(items: Sequence[Obligation], style: str = "arabic") -> list[dict[str, str]]:
    out = []
    for i, o in enumerate(items, 1):
        no = f"{i}." if style == "arabic" else f"（{cn_number(i)}）"
        out.append({"no": no, "text": _clean(o.text), "cite": _cite(o.source)})
    return out


def subsidy_view(s: SubsidyLine, i: int) -> dict[str, str]:
    """The display pieces of one subsidy line."""
    figures, capital = _money(s.amount)
    unit = (s.unit or "月").strip()
    if unit in ("次", "一次性"):
        standard = f"一次性{figures}元（{capital}）"
        one_off = True
    else:
        standard = f"每{unit}{figures}元（{capital}）"
        one_off = False
    period = ""
    if not one_off and s.start and s.end:
        if s.end < s.start:
            raise InputError(f"{s.name}的期限结束日早于开始日")
        period = f"，自{fmt_date(s.start)}起至{fmt_date(s.end)}止"
        if s.months:
            period += f"，共{int(s.months)}个月"
    elif not one_off and s.start:
        period = f"，自{fmt_date(s.start)}起享受"
    elif one_off and s.start:
        period = f"，于{fmt_date(s.start)}后按规定申领"
    if s.until_retirement:
        ret = f"（{fmt_date(s.retirement_date)}）" if s.retirement_date else ""
        period += f"。乙方初次核定享受补贴时距法定退休年龄不足5年，补贴期限延长至退休{ret}"
    payee = f"，由{s.payee}申领" if s.payee else ""
    note = f"；{_clean(s.note)}" if s.note else ""
    return {
        "no": f"（{cn_number(i)}）",
        "name": _clean(s.name),
        "standard": standard,
        "figures": figures,
        "capital": capital,
        "period": period,
        "text": f"{standard}{period}{payee}{note}。",
        "cite": _cite(s.source),
    }


def _measure_view(m, i: int) -> dict[str, str]:
    no = f"（{cn_number(i)}）"
    title = _clean(m.title)
    return {
        "no": no,
        "title": title,
        "head": f"{no}{title}。" if title else no,
        "text": _clean(m.text),
        "cite": _cite(m.source),
    }


# ---------------------------------------------------------------- views


def agreement_view(ctx: AgreementContext) -> dict[str, Any]:
    """Flat mapping of display strings for 协议书.docx."""
    if not ctx.officer.strip():
        raise InputError(f"{ctx.person.name}：协议书必须写明援助责任人")
    if not ctx.measures:
        raise InputError(f"{ctx.person.name}：协议书没有援助内容和措施")
    if not ctx.obligations:
        raise InputError(f"{ctx.person.name}：协议书没有乙方义务条款（应来自政策包）")
    if ctx.end is not None and ctx.end < ctx.start:
        raise InputError(f"{ctx.person.name}：协议期限结束日早于开始日")
    p = ctx.person
    sections = iter(cn_number(i) for i in range(2, 10))
    h_subsidy = next(sections) if ctx.subsidies else ""
    h_obligations = next(sections)
    h_duties = next(sections) if ctx.duties else ""
    h_term = next(sections)
    h_other = next(sections)
    if ctx.end:
        term = (
            f"本协议期限自{fmt_date(ctx.start)}起至{fmt_date(ctx.end)}止。"
            "期满乙方仍符合援助条件的，双方可以续签。"
        )
    else:
        term = (
            f"本协议自{fmt_date(ctx.start)}起生效，至乙方实现稳定就业或者依照规定"
            "不再作为援助对象时终止。"
        )
    category = p.category or ""
    if p.category_basis:
        category += f"（{p.category_basis}）"
    if p.certified_date:
        category += f"，认定日期{fmt_date(p.certified_date)}"
    community = "".join(x for x in (p.street, p.community) if x)
    return {
        "number": ctx.number,
        "a_name": ctx.party_a.name,
        "a_address": ctx.party_a.address,
        "a_phone": ctx.party_a.phone,
        "b_name": p.name,
        "b_sex": p.sex,
        "b_id": p.id_number,
        "b_address": p.address,
        "b_phone": p.phone,
        "b_community": community,
        "b_category": category,
        "officer": ctx.officer,
        "officer_phone": ctx.officer_phone,
        "basis": basis_text(ctx.policies, "国家和本省就业援助有关规定"),
        "measures": [_measure_view(m, i) for i, m in enumerate(ctx.measures, 1)],
        "subsidies": [subsidy_view(s, i) for i, s in enumerate(ctx.subsidies, 1)],
        "obligations": _items(ctx.obligations),
        "duties": _items(ctx.duties),
        "h_subsidy": h_subsidy,
        "h_obligations": h_obligations,
        "h_duties": h_duties,
        "h_term": h_term,
        "h_other": h_other,
        "term": term,
        "copies": copies_text(ctx.copies),
        "copies_extra": cn_number(ctx.copies - 2) if ctx.copies > 2 else "",
        "sign_date": fmt_date(ctx.sign_date or ctx.start),
    }


def notice_end_date(ctx: NoticeContext) -> date:
    """Last day of the notice period (N working days after the start)."""
    from calc.workdays import add_workdays, is_workday

    n = int(ctx.workdays)
    if ctx.count_start_day and is_workday(ctx.start, ctx.workday_corrections):
        n -= 1
    return add_workdays(ctx.start, n, ctx.workday_corrections)


class _Row:
    """A NoticeRow with its running number, for the template (no copying of dicts)."""

    __slots__ = ("seq", "name", "sex", "age", "community", "category", "masked_id")

    def __init__(self, seq, r):
        self.seq = seq
        self.name = r.name
        self.sex = r.sex
        self.age = r.age
        self.community = r.community
        self.category = r.category
        self.masked_id = r.masked_id


def notice_view(ctx: NoticeContext) -> dict[str, Any]:
    """Flat mapping of display strings for 公示.docx."""
    if not ctx.rows:
        raise InputError("公示名单为空")
    if ctx.show_masked_id and any(not r.masked_id for r in ctx.rows):
        raise InputError("已选择显示隐去部分的身份证号码，但有人员缺少该号码")
    obj = ctx.objection_office or ctx.office
    return {
        "number": ctx.number,
        "subject": ctx.subject,
        "basis": basis_text(ctx.policies, "就业援助有关规定"),
        "count": len(ctx.rows),
        "rows": [_Row(i, r) for i, r in enumerate(ctx.rows, 1)],
        "show_masked_id": bool(ctx.show_masked_id),
        "workdays": int(ctx.workdays),
        "start": fmt_date(ctx.start),
        "end": fmt_date(notice_end_date(ctx)),
        "obj_name": obj.name,
        "obj_phone": obj.phone,
        "obj_address": obj.address,
        "certifier": ctx.certifier,
        "issuer": ctx.office.name,
        "issue_date": fmt_date(ctx.issue_date or ctx.start),
    }


def _value(v: Any, unit: str) -> str:
    if isinstance(v, float):
        v = Decimal(str(v))
    if isinstance(v, Decimal) and v == v.to_integral_value():
        v = int(v)
    return f"{v}{unit or ''}"


def letter_view(ctx: LetterContext) -> dict[str, Any]:
    """Flat mapping of display strings for 责任书.docx."""
    if not ctx.targets:
        raise InputError(f"{ctx.receiver.name}：目标责任书没有目标任务")
    if not ctx.duties:
        raise InputError(f"{ctx.receiver.name}：目标责任书没有工作职责条款（应来自政策包）")
    start = ctx.start or date(ctx.year, 1, 1)
    end = ctx.end or date(ctx.year, 12, 31)
    if end < start:
        raise InputError(f"{ctx.receiver.name}：责任期限结束日早于开始日")
    sections = iter(cn_number(i) for i in range(3, 10))
    if ctx.pairings:
        next(sections)
    h_assess = next(sections) if ctx.assessment else ""
    h_term = next(sections)
    targets = []
    for i, t in enumerate(ctx.targets, 1):
        note = _clean(t.note)
        if t.source:
            note = f"{note}（{t.source}）" if note else t.source
        targets.append(
            {
                "seq": i,
                "name": _clean(t.name),
                "value": _value(t.value, t.unit),
                "deadline": fmt_date(t.deadline) + "前" if t.deadline else fmt_date(end) + "前",
                "note": note,
            }
        )
    return {
        "number": ctx.number,
        "year": ctx.year,
        "issuer_name": ctx.issuer.name,
        "receiver_name": ctx.receiver.name,
        "basis": basis_text(ctx.policies, "国家和本省就业援助有关规定"),
        "targets": targets,
        "duties": _items(ctx.duties),
        "pairings": [
            {
                "seq": i,
                "household": x.household,
                "community": x.community,
                "cadre": x.cadre,
                "post": x.cadre_post,
            }
            for i, x in enumerate(ctx.pairings, 1)
        ],
        "assessment": _items(ctx.assessment),
        "h_assess": h_assess,
        "h_term": h_term,
        "start": fmt_date(start),
        "end": fmt_date(end),
        "copies": copies_text(ctx.copies),
        "copies_extra": cn_number(ctx.copies - 2) if ctx.copies > 2 else "",
        "sign_date": fmt_date(ctx.sign_date or start),
    }


# ---------------------------------------------------------------- single documents


def _template(path: Path | None, default: Path) -> CompiledTemplate:
    return compiled(path or default)


def render_agreement(ctx: AgreementContext, *, template: Path | None = None) -> bytes:
    """One 接受就业援助协议书 as .docx bytes."""
    return _template(template, AGREEMENT_TEMPLATE).render_bytes(agreement_view(ctx))


def render_notice(ctx: NoticeContext, *, template: Path | None = None) -> bytes:
    """One 公示 as .docx bytes (fast path: a compiled Jinja row loop)."""
    tpl = _template(template, NOTICE_TEMPLATE)
    level = 1 if len(ctx.rows) > 2000 else None
    return tpl.render_bytes(notice_view(ctx), compresslevel=level)


def render_letter(ctx: LetterContext, *, template: Path | None = None) -> bytes:
    """One 目标责任书 as .docx bytes."""
    return _template(template, LETTER_TEMPLATE).render_bytes(letter_view(ctx))


# ---------------------------------------------------------------- file names

_INVALID = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = (
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)


def safe_name(text: str, max_len: int = 60) -> str:
    """A file-name component valid on Windows: no <>:"/\\|?* or control
    characters, no trailing dots or spaces, not a reserved device name."""
    s = _INVALID.sub("_", str(text or "").strip())
    s = re.sub(r"\s+", "", s)
    s = s[:max_len].rstrip(". ")
    if not s:
        s = "未命名"
    if s.split(".")[0].upper() in _RESERVED:
        s = "_" + s
    return s


def short_number(number: str) -> str:
    """ "协议〔2026〕0001号" → "2026-0001" (file names); other numbers sanitised."""
    m = re.search(r"[〔\[(（](\d{4})[〕\])）]\s*(\d+)", number or "")
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    return safe_name(number)


def agreement_filename(ctx: AgreementContext) -> str:
    p = ctx.person
    return (
        f"{KIND_AGREEMENT}_{safe_name(p.community or p.street or '未填社区')}_"
        f"{safe_name(p.name)}_{short_number(ctx.number)}.docx"
    )


def letter_filename(ctx: LetterContext) -> str:
    return f"{KIND_LETTER}_{safe_name(ctx.receiver.name)}_{short_number(ctx.number)}.docx"


def notice_filename(ctx: NoticeContext) -> str:
    return f"{KIND_NOTICE}_{safe_name(ctx.subject, 30)}_{short_number(ctx.number)}.docx"


# ---------------------------------------------------------------- batches


def _open_register(register, out_dir: Path, prefixes=None):
    from doc_templates.register import REGISTER_NAME, Register

    if register is False or register is None:
        return None
    if isinstance(register, Register):
        return register
    path = out_dir / REGISTER_NAME if register is True else Path(register)
    return Register(path, prefixes=prefixes)


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _unique(names: list[str]) -> None:
    seen: dict[str, int] = {}
    for i, n in enumerate(names):
        if n in seen:
            raise InputError(
                f"同一批中有两份文书的文件名相同：{n}（同一人或同一单位每年只出一份，请检查是否重复）"
            )
        seen[n] = i


def write_agreements(
    contexts: Iterable[AgreementContext],
    out_dir: str | Path,
    *,
    register: Any = True,
    prefixes: dict[str, str] | None = None,
    merged: bool = False,
    odd_page: bool = False,
    pdf: bool = False,
    template: Path | None = None,
) -> list[Path]:
    """Write one 协议书 per person; return the paths in input order.

    Numbers come from ``ctx.number`` or, when empty, from the register
    (``register=True``: ``out_dir/文书登记簿.csv``; or a path or a
    :class:`~doc_templates.register.Register`; ``False``: no register, every
    context must carry a number).  A re-run for the same person and year
    gets the same number and file and updates the register line instead of
    adding one.  ``merged`` also writes ``合并打印_协议书.docx``
    (``odd_page``: each agreement starts on an odd page, for duplex
    printing); ``pdf`` converts the files (and the merged file) to PDF.
    """
    return _write_batch(
        contexts,
        out_dir,
        template=_template(template, AGREEMENT_TEMPLATE),
        view_of=agreement_view,
        issue=lambda reg: reg.issue_agreement,
        filename_of=agreement_filename,
        who=lambda ctx: f"{ctx.person.name}：没有协议编号",
        kind=KIND_AGREEMENT,
        register=register,
        prefixes=prefixes,
        merged=merged,
        odd_page=odd_page,
        pdf=pdf,
    )


def _write_batch(
    contexts,
    out_dir,
    *,
    template,
    view_of,
    issue,
    filename_of,
    who,
    kind: str,
    register: Any,
    prefixes: dict[str, str] | None,
    merged: bool,
    odd_page: bool,
    pdf: bool,
) -> list[Path]:
    """One document per context: validate, number through the register, render, merge, PDF."""
    contexts = list(contexts)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    reg = _open_register(register, out, prefixes)
    views, names = [], []
    for ctx in contexts:
        view = view_of(ctx)  # validate before numbering
        if reg is not None:
            entry = issue(reg)(ctx, file_for=filename_of)
            ctx.number = entry.number
            name = entry.file
        else:
            if not ctx.number:
                raise InputError(f"{who(ctx)}，且未使用文书登记簿")
            name = filename_of(ctx)
        view["number"] = ctx.number
        views.append(view)
        names.append(name)
    _unique(names)
    paths = []
    for view, name in zip(views, names, strict=True):
        path = out / name
        _write(path, template.render_bytes(view))
        paths.append(path)
    if reg is not None:
        reg.save()
    extra = []
    if merged and views:
        mpath = out / MERGED_NAME.format(kind=kind)
        _write(mpath, template.merge_bytes(views, odd_page=odd_page))
        extra.append(mpath)
    if pdf:
        from doc_templates.pdf import to_pdf

        to_pdf(paths + extra, out)
    return paths


def write_letters(
    contexts: Iterable[LetterContext],
    out_dir: str | Path,
    *,
    register: Any = True,
    prefixes: dict[str, str] | None = None,
    merged: bool = False,
    pdf: bool = False,
    template: Path | None = None,
) -> list[Path]:
    """Write one 目标责任书 per receiving unit (see :func:`write_agreements`)."""
    return _write_batch(
        contexts,
        out_dir,
        template=_template(template, LETTER_TEMPLATE),
        view_of=letter_view,
        issue=lambda reg: reg.issue_letter,
        filename_of=letter_filename,
        who=lambda ctx: f"{ctx.receiver.name}：没有责任书编号",
        kind=KIND_LETTER,
        register=register,
        prefixes=prefixes,
        merged=merged,
        odd_page=False,
        pdf=pdf,
    )


def write_notice(
    ctx: NoticeContext,
    out_dir: str | Path,
    *,
    register: Any = True,
    prefixes: dict[str, str] | None = None,
    pdf: bool = False,
    template: Path | None = None,
) -> Path:
    """Write one 公示 for the batch; return its path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    reg = _open_register(register, out, prefixes)
    if reg is not None:
        entry = reg.issue_notice(ctx, file_for=notice_filename)
        ctx.number = entry.number
        name = entry.file
    else:
        name = (
            notice_filename(ctx)
            if ctx.number
            else (f"{KIND_NOTICE}_{safe_name(ctx.subject, 30)}_{ctx.start.isoformat()}.docx")
        )
    path = out / name
    _write(path, render_notice(ctx, template=template))
    if reg is not None:
        reg.save()
    if pdf:
        from doc_templates.pdf import to_pdf

        to_pdf([path], out)
    return path


def merge_docx(paths: Sequence[str | Path], out_path: str | Path) -> Path:
    """Merge arbitrary .docx files (e.g. ones a clerk edited) with docxcompose.

    Slower than the ``merged=True`` fast path of the batch writers (which
    concatenates freshly rendered bodies); use it for files that no longer
    come from one template.
    """
    from docx import Document
    from docxcompose.composer import Composer

    paths = [Path(p) for p in paths]
    if not paths:
        raise InputError("没有可合并的文书")
    master = Document(str(paths[0]))
    composer = Composer(master)
    for p in paths[1:]:
        composer.doc.add_page_break()
        composer.append(Document(str(p)))
    out = Path(out_path)
    composer.save(str(out))
    return out
