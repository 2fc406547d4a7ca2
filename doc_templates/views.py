"""Views: a document context → the flat mapping of display strings its template places.

``agreement_view``, ``notice_view`` and ``letter_view`` check what a paper
cannot do without (an InputError in Chinese names the person or unit), turn
clause keys into words (:mod:`doc_templates.citations`), print missing values
as a ruled blank, and never print a policy key, an invented office or a 0
target.  ``doc_templates/README.md`` lists every key.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from calc.errors import InputError
from doc_templates.citations import Citer
from doc_templates.contexts import (
    AgreementContext,
    LetterContext,
    NoticeContext,
    Obligation,
    SubsidyLine,
)
from doc_templates.formatting import (
    BLANK,
    clean,
    cn_number,
    copies_text,
    fmt_date,
    money,
    or_blank,
    value_text,
)

#: Rows of one notice table: a table never grows past a page or two, so
#: LibreOffice and Word lay it out in linear time.
NOTICE_TABLE_ROWS = 25

PENDING = "待认定"


def items(entries: Sequence[Obligation], citer: Citer) -> list[dict[str, str]]:
    """Numbered duties/obligations with their clause in words."""
    return [
        {"no": f"{i}.", "text": clean(o.text), "cite": citer.cite(o.clause)}
        for i, o in enumerate(entries, 1)
    ]


def _period(s: SubsidyLine) -> str:
    """The period part of a subsidy line; never nothing for a monthly subsidy."""
    if s.start and s.end:
        if s.end < s.start:
            raise InputError(f"{s.name}的期限结束日早于开始日")
        text = f"，自{fmt_date(s.start)}起至{fmt_date(s.end)}止"
        return text + (f"，共{int(s.months)}个月" if s.months else "")
    if s.start:
        return f"，自{fmt_date(s.start)}起" + (f"，期限{s.length_text}" if s.length_text else "")
    if s.length_text:
        return f"，自认定之日起，期限{s.length_text}"
    return "，自认定之日起按规定期限享受"


def subsidy_view(s: SubsidyLine, i: int, citer: Citer | None = None) -> dict[str, str]:
    """The display pieces of one subsidy line."""
    citer = citer or Citer([])
    figures, capital = money(s.amount)
    unit = (s.unit or "月").strip()
    one_off = unit in ("次", "一次性")
    standard = f"一次性{figures}元（{capital}）" if one_off else f"每{unit}{figures}元（{capital}）"
    if one_off:
        period = f"，于{fmt_date(s.start)}后按规定申领" if s.start else ""
    elif unit == "月":
        period = _period(s)
    else:
        period = ""
    if s.until_retirement:
        ret = f"（{fmt_date(s.retirement_date)}）" if s.retirement_date else ""
        period += f"。乙方初次核定享受补贴时距法定退休年龄不足5年，补贴期限延长至退休{ret}"
    payee = f"，由{s.payee}申领" if s.payee else ""
    note = f"；{clean(s.note)}" if s.note else ""
    return {
        "no": f"（{cn_number(i)}）",
        "name": clean(s.name),
        "standard": standard,
        "figures": figures,
        "capital": capital,
        "period": period,
        "text": f"{standard}{period}{payee}{note}。",
        "cite": citer.cite(s.source),
    }


def _measure_view(m, i: int, citer: Citer) -> dict[str, str]:
    no = f"（{cn_number(i)}）"
    title = clean(m.title)
    return {
        "no": no,
        "title": title,
        "head": f"{no}{title}。" if title else no,
        "text": clean(m.text),
        "cite": citer.cite(m.source),
    }


def agreement_view(ctx: AgreementContext) -> dict[str, Any]:
    """Flat mapping of display strings for 协议书.docx."""
    p = ctx.person
    who = p.name or "（无姓名）"
    if not ctx.officer.strip():
        raise InputError(f"{who}：台账中没有援助责任人，协议书必须写明援助责任人")
    if not ctx.measures:
        raise InputError(f"{who}：协议书没有援助内容和措施")
    if not ctx.obligations:
        raise InputError(f"{who}：协议书没有乙方义务条款（应来自政策包）")
    if ctx.end is not None and ctx.end < ctx.start:
        raise InputError(f"{who}：协议期限结束日早于开始日")
    citer = Citer(ctx.policies)
    sections = iter(cn_number(i) for i in range(2, 12))
    h_subsidy = next(sections) if ctx.subsidies else ""
    h_obligations = next(sections)
    h_duties = next(sections) if ctx.duties else ""
    h_term = next(sections)
    h_rights = next(sections)
    h_change = next(sections)
    h_other = next(sections)
    end = ctx.end or _one_year_from(ctx.start)
    # one rule for when it starts (signature), one end date
    term = (
        f"本协议自双方签字（盖章）之日起生效，至{fmt_date(end)}止。期满乙方仍符合援助条件的，"
        "双方可以续签；乙方在期满前实现稳定就业或者依照规定不再作为援助对象的，本协议提前终止。"
    )
    if ctx.pending:
        term += "乙方经认定为就业困难人员之前，本协议中的扶持政策和补贴不予享受；经认定不符合条件的，本协议终止。"
    category = clean(p.category) or BLANK
    category += citer.cite(p.category_basis)
    if ctx.pending:
        category += f"，{PENDING}（尚未经认定）"
    elif p.certified_date:
        category += f"，认定日期{fmt_date(p.certified_date)}"
    else:
        category += "，认定日期待核实（请补记）"
    community = "".join(x for x in (p.street, p.community) if x)
    return {
        "number": ctx.number,
        "title_mark": f"（{PENDING}）" if ctx.pending else "",
        "a_name": or_blank(ctx.party_a.name),
        "a_address": or_blank(ctx.party_a.address),
        "a_phone": or_blank(ctx.party_a.phone),
        "a_seal": or_blank(ctx.party_a.seal_name),
        "b_name": p.name,
        "b_sex": or_blank(p.sex),
        "b_id": p.id_number,
        "b_address": or_blank(p.address),
        "b_phone": or_blank(p.phone),
        "b_community": or_blank(community),
        "b_category": category,
        "officer": ctx.officer,
        "officer_phone": or_blank(ctx.officer_phone),
        "basis": citer.basis("国家和本省就业援助有关规定"),
        "measures": [_measure_view(m, i, citer) for i, m in enumerate(ctx.measures, 1)],
        "subsidies": [subsidy_view(s, i, citer) for i, s in enumerate(ctx.subsidies, 1)],
        "obligations": items(ctx.obligations, citer),
        "duties": items(ctx.duties, citer),
        "h_subsidy": h_subsidy,
        "h_obligations": h_obligations,
        "h_duties": h_duties,
        "h_term": h_term,
        "h_rights": h_rights,
        "h_change": h_change,
        "h_other": h_other,
        "term": term,
        "copies": copies_text(ctx.copies),
        "copies_extra": cn_number(ctx.copies - 2) if ctx.copies > 2 else "",
        "filing": clean(ctx.party_a.superior) or "上级劳动保障部门",
        "sign_date": fmt_date(ctx.sign_date or ctx.start),
        "purpose": "帮助乙方稳定就业" if ctx.employed else "帮助乙方尽快实现就业",
        "complaint_phone": clean(ctx.party_a.complaint_phone) or HOTLINE,
        "a_head": clean(ctx.party_a.contact),
    }


def _one_year_from(start: date) -> date:
    """The last day of a one-year term starting on ``start``."""
    from datetime import timedelta

    from calc.dates import add_months

    return add_months(start, 12) - timedelta(days=1)


#: The national 人力资源社会保障 service hotline, when the office names no other.
HOTLINE = "12333"


def notice_end_date(ctx: NoticeContext) -> date:
    """Last day of the notice period (N working days after the start)."""
    from calc.workdays import add_workdays, is_workday

    n = int(ctx.workdays)
    if ctx.count_start_day and is_workday(ctx.start, ctx.workday_corrections):
        n -= 1
    return add_workdays(ctx.start, n, ctx.workday_corrections)


#: A line break inside a table cell (between two categories of one person).
_CELL_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'


def cell_lines(category: str | tuple[str, ...]):
    """A row's categories, each label on a line of its own (a cell wraps between
    categories, never inside the first word of the next one); one text as it is."""
    from markupsafe import Markup, escape

    if not isinstance(category, tuple):
        return category
    labels = [c for c in category if c]
    if len(labels) < 2:
        return labels[0] if labels else ""
    return Markup(_CELL_BREAK).join(escape(c) for c in labels)


class _Row:
    """A NoticeRow with its running number, for the template (no copying of dicts)."""

    __slots__ = ("seq", "name", "sex", "age", "community", "category", "masked_id")

    def __init__(self, seq, r):
        self.seq = seq
        self.name = r.name
        self.sex = r.sex
        self.age = r.age
        self.community = r.community
        self.category = cell_lines(r.category)
        self.masked_id = r.masked_id


def notice_groups(rows, per_table: int = NOTICE_TABLE_ROWS) -> list[dict[str, Any]]:
    """The notice's rows as short tables: by community (a heading when there
    are several), each community cut into tables of ``per_table`` rows."""
    by_community: dict[str, list] = {}
    for r in rows:
        by_community.setdefault(r.community, []).append(r)
    several = len(by_community) > 1
    groups = []
    seq = 0
    for community, people in by_community.items():
        members = []
        for r in people:  # numbered in the order printed
            seq += 1
            members.append(_Row(seq, r))
        for k in range(0, len(members), per_table):
            head = ""
            if several and k == 0:
                head = f"{community or '未填社区'}（{len(members)}人）"
            groups.append({"head": head, "rows": members[k : k + per_table]})
    return groups


#: Characters of a 2号 title line (156 mm of 22 pt characters).
TITLE_CHARS = 20


def title_subject(subject: str, year: str = ""):
    """The subject for the title “关于拟认定…的公示”: when the title takes two
    lines, broken after the year the subject opens with (``year``, “2026年度”, as
    the notice was composed: :attr:`NoticeContext.subject_year`) or else in the
    middle, so that “公示” never stands alone on a line and the lines are balanced
    (GB/T 9704 7.3.1)."""
    from markupsafe import Markup, escape

    if len(f"关于拟认定{subject}的公示") <= TITLE_CHARS:
        return subject
    cut = len(year) if year and len(year) < len(subject) else len(subject) // 2
    return Markup(escape(subject[:cut]) + Markup(_CELL_BREAK) + escape(subject[cut:]))


def notice_view(ctx: NoticeContext) -> dict[str, Any]:
    """Flat mapping of display strings for 公示.docx."""
    if not ctx.rows:
        raise InputError("公示名单为空")
    if ctx.show_masked_id and any(not r.masked_id for r in ctx.rows):
        raise InputError("已选择显示隐去部分的身份证号码，但有人员缺少该号码")
    obj = ctx.objection_office or ctx.office
    citer = Citer(ctx.policies)
    return {
        "number": ctx.number,
        "subject": ctx.subject,
        "basis": citer.basis("就业援助有关规定"),
        "count": len(ctx.rows),
        "groups": notice_groups(ctx.rows),
        "show_masked_id": bool(ctx.show_masked_id),
        "workdays": int(ctx.workdays),
        "start": fmt_date(ctx.start),
        "end": fmt_date(notice_end_date(ctx)),
        "obj_name": or_blank(obj.name),
        "obj_phone": or_blank(obj.phone),
        "obj_address": or_blank(obj.address),
        "certifier": or_blank(ctx.certifier),
        "handler": or_blank(ctx.office.handler),
        "title_subject": title_subject(ctx.subject, ctx.subject_year),
        "issuer": or_blank(ctx.office.seal_name),
        "issue_date": fmt_date(ctx.issue_date or ctx.start),
    }


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
    citer = Citer(ctx.policies)
    sections = iter(cn_number(i) for i in range(3, 10))
    if ctx.pairings:
        next(sections)
    h_assess = next(sections) if ctx.assessment else ""
    h_term = next(sections)
    targets = []
    for i, t in enumerate(ctx.targets, 1):
        note = clean(t.note)
        cite = citer.cite(t.source)
        value = value_text(t.value, t.unit) if str(t.value).strip() else BLANK[:3] + (t.unit or "")
        if t.deadline_text:
            deadline = t.deadline_text
        elif t.deadline:
            deadline = fmt_date(t.deadline) + "前"
        else:
            deadline = fmt_date(end) + "前"
        targets.append(
            {
                "seq": i,
                "name": clean(t.name),
                "value": value,
                "deadline": deadline,
                "note": f"{note}{cite}" if note else cite.strip("（）"),
            }
        )
    notes = [clean(n) + "。" for n in ctx.notes if clean(n)]
    if ctx.not_set:
        notes.append("乙方无此类援助对象、本年度不设目标的项目：" + "、".join(ctx.not_set) + "。")
    return {
        "number": ctx.number,
        "year": ctx.year,
        "issuer_name": or_blank(ctx.issuer.name),
        "issuer_seal": or_blank(ctx.issuer.seal_name),
        "receiver_name": or_blank(ctx.receiver.name),
        "basis": citer.basis("国家和本省就业援助有关规定"),
        "targets": targets,
        "target_notes": notes,
        "duties": items(ctx.duties, citer),
        "pairings": [
            {
                "seq": i,
                "household": x.household,
                "community": x.community,
                "cadre": f"{x.cadre}（{x.cadre_post}）" if x.cadre_post else x.cadre,
            }
            for i, x in enumerate(ctx.pairings, 1)
        ],
        "assessment": items(ctx.assessment, citer),
        "next_year": ctx.year + 1,
        "h_assess": h_assess,
        "h_term": h_term,
        "start": fmt_date(start),
        "end": fmt_date(end),
        "copies": copies_text(ctx.copies),
        "copies_extra": cn_number(ctx.copies - 2) if ctx.copies > 2 else "",
        "sign_date": fmt_date(ctx.sign_date or start),
    }
