"""From the rules engine's results to the paper contexts, in the order of the procedure.

The procedure (SX-2008 二(一), 四(一); AH-2011 (四), (十)):

1. a person assessed 符合 who is **not yet certified** (no 认定日期/初次核定日期
   in the ledger) goes into the 拟认定 notice (:func:`notice_from_run`);
2. once certified, the person gets an agreement (:func:`agreements_from_run`),
   dated the day it is made;
3. a person assessed 符合 without a certification gets an agreement only
   when the clerk asks (``allow_pending=True``, ``jyyz docs --pending``); the
   paper then says 待认定 and its subsidies run "自认定之日起";
4. target letters (:func:`letters_from_run`, :mod:`doc_templates.targets`).

Every builder returns the contexts **and** the rows it could not make a paper
for (:class:`doc_templates.batches.Skipped`: 姓名、行号、原因) — one bad row never
stops a batch.

What comes from the policy pack: categories and clauses, obligations
(``obligations_for``), measures (``measures_for``), benefits and amounts
(``calc.subsidy.monthly_amount``) and entitlement periods
(``calc.assess.benefit_periods``).  What comes from the ledger: the person,
援助责任人, community and street.  What comes from the clerk: the office
details (:mod:`doc_templates.office`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from calc.assess import PersonPeriod
from calc.clauses import Clause
from calc.errors import InputError
from calc.policies.local_parameters import NOTICE_MIN_WORKDAYS
from doc_templates.batches import Skipped
from doc_templates.clauses import basis_clause
from doc_templates.contexts import (
    AgreementContext,
    Measure,
    NoticeContext,
    NoticeRow,
    Obligation,
    Office,
    PersonParty,
    PolicyRef,
    SubsidyLine,
)
from doc_templates.templates import KIND_AGREEMENT, KIND_NOTICE

ELIGIBLE = "符合"
AMOUNT_KINDS = ("monthly", "one_off", "per_school_year")
#: Ledger fields that say a person is certified, first found wins.
CERTIFICATION_FIELDS = ("certified_date", "first_approval_date")
#: Why a row without a name gets no paper (a paper for nobody cannot be signed).
NO_NAME = "台账中没有姓名（或姓名是公式），不能生成文书；请补填姓名后重新生成"
#: The certified category the ledger records (已认定, see calc.certified).
CATEGORY_FIELD = "certified_category"
NOT_CERTIFIED = (
    "尚未认定（台账中没有认定日期）：应先列入拟认定公示，认定后再签协议；"
    "确需先签的，请加 --pending（协议书将注明待认定）"
)


# ---------------------------------------------------------------- small helpers


def _blank(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _text(v: Any) -> str:
    return "" if _blank(v) else str(v).strip()


def has_name(v: Any) -> bool:
    """A person's name as a paper needs it: not blank, not a formula."""
    text = _text(v).replace("\u3000", "")
    return bool(text) and not text.startswith("=")


def _unnamed(row: int | None) -> str:
    return f"第{row}行" if row is not None else "（无姓名）"


def _date(v: Any) -> dt.date | None:
    if _blank(v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return pd.Timestamp(v).date()


def _pack(policy):
    from calc.policies import get_policy
    from calc.policies.base import PolicyPack

    return policy if isinstance(policy, PolicyPack) else get_policy(policy)


def policy_refs(pack, kind: str = "") -> list[PolicyRef]:
    """The pack and the packs it extends, province first (a Lianyungang
    paper cites JS-2002 and LYG-2003), each with the clause ``kind`` rests on."""
    return [
        PolicyRef(
            p.code,
            p.title,
            doc_no=p.doc_number,
            clause=basis_clause(kind, p) if kind else None,
            level=p.level,
        )
        for p in pack.chain()
    ]


def _param(pack, name: str, on: dt.date, params) -> Any:
    from calc.params import resolve

    try:
        return resolve(pack.parameters, pack.code, name, on, params).value
    except InputError:
        return None


def certification_date(facts: Mapping[str, Any]) -> dt.date | None:
    """The person's certification date from the ledger row, or None (not certified)."""
    for name in CERTIFICATION_FIELDS:
        d = _date(facts.get(name))
        if d is not None:
            return d
    return None


def certified_mask(frame: pd.DataFrame) -> pd.Series:
    """Per row: the ledger shows a certification — a date, or a certified category
    (就业困难人员类型 recorded without a date is certified, the date 待核实)."""
    mask = pd.Series(False, index=frame.index)
    for name in (*CERTIFICATION_FIELDS, CATEGORY_FIELD):
        if name in frame.columns:
            mask |= frame[name].notna()
    return mask


def certified_by_category(facts: Mapping[str, Any]) -> bool:
    """The ledger records a certified category for the person (with or without a date)."""
    v = facts.get(CATEGORY_FIELD)
    return v is not None and not (isinstance(v, float) and v != v) and str(v).strip() != ""


def _row_label(frame: pd.DataFrame, i: int) -> int | None:
    label = frame.index[i]
    try:
        return int(label)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------- periods


def _months_exact(start: dt.date, end: dt.date) -> int | None:
    """Length in whole months when [start, end] is exactly N months, else None."""
    from calc.dates import add_months

    months = (end.year - start.year) * 12 + end.month - start.month + 1
    for n in (months - 1, months):
        if n > 0 and add_months(start, n) - dt.timedelta(days=1) == end:
            return n
    return None


def period_length_text(pack, ben, on: dt.date, params, retires: dt.date | None = None) -> str:
    """How long a monthly subsidy runs, for a paper whose start date is not known yet
    (``自认定之日起`` + this): the length the text or the parameter in force gives
    (calc.periods' parameter names, so a clerk's 参数 row changes the paper too)."""
    from calc.periods import LOCAL_PERIOD

    rule = ben.period or LOCAL_PERIOD
    years = _param(pack, rule.years_param, on, params)
    if not years:
        return ""
    years = int(years)
    near = rule.near_retirement_param and _param(pack, rule.near_retirement_param, on, params)
    text = f"{'最长' if rule.at_most else ''}{years}年（{years * 12}个月）"
    if near:
        within = (
            f"不足{int(near)}年（含{int(near)}年）" if rule.near_inclusive else f"不足{int(near)}年"
        )
        # the person's own retirement date, so “延长至退休” has an end date
        until = (
            f"（乙方达到法定退休年龄之日为{retires:%Y}年{retires.month}月{retires.day}日）"
            if retires
            else ""
        )
        text += f"，距法定退休年龄{within}的延长至退休{until}"
    return text


def _retires(facts: Mapping[str, Any]) -> dt.date | None:
    """The person's statutory retirement date (calc.retirement), or None when unknown."""
    from calc.retirement import retirement_date

    birth = _date(facts.get("birth_date"))
    if birth is None or not _text(facts.get("sex")):
        return None
    try:
        return retirement_date(birth, facts.get("sex"))
    except (InputError, ValueError, TypeError):
        return None


def subsidy_period(
    pack,
    ben,
    begin: dt.date | None,
    end: dt.date | None,
    on: dt.date,
    params,
    *,
    until_retirement: bool,
    retires: dt.date | None = None,
) -> dict[str, Any]:
    """The period fields of one monthly SubsidyLine — the one place a paper's
    period is decided (calc.periods supplies ``end`` and ``until_retirement``)."""
    return {
        "start": begin,
        "end": end if begin else None,
        "months": None if until_retirement or not (begin and end) else _months_exact(begin, end),
        "until_retirement": bool(until_retirement and begin and end),
        "retirement_date": end + dt.timedelta(days=1) if until_retirement and end else None,
        "length_text": "" if begin and end else period_length_text(pack, ben, on, params, retires),
    }


def _subsidy_lines(
    pack,
    benefits,
    facts: Mapping[str, Any],
    periods: Mapping[str, PersonPeriod],
    params,
    on: dt.date,
    measure_clauses: frozenset[Clause] = frozenset(),
) -> tuple[list[SubsidyLine], list[Measure]]:
    """SubsidyLines for benefits with an amount; loans and tax relief as measures."""
    from calc.subsidy import monthly_amount

    lines: list[SubsidyLine] = []
    extra: list[Measure] = []
    first = certification_date(facts)
    employed = _date(facts.get("employment_date"))
    begin = max(d for d in (first, employed) if d) if first else None
    for ben in benefits:
        payee = "" if ben.recipient == "本人" else ben.recipient
        if ben.kind == "loan" and ben.clause in measure_clauses:
            continue  # the pack's measure already offers it (LYG-2003 四(一))
        if ben.kind == "loan":
            cap = (
                _param(pack, ben.amount_params[0], begin or on, params)
                if ben.amount_params
                else ben.amount
            )
            text = f"符合条件的，协助申请{ben.label}"
            if cap:
                from calc.money import format_amount

                text += f"，最高{format_amount(cap)}元"
            extra.append(Measure(ben.label, text, ben.clause))
            continue
        if ben.kind == "tax":
            extra.append(Measure(ben.label, f"符合条件的，按规定享受{ben.label}", ben.clause))
            continue
        if ben.kind not in AMOUNT_KINDS:
            continue  # services: covered by the pack's measures
        when = begin or on
        if ben.amount is not None:
            amount = Decimal(str(ben.amount))
        else:
            amount, _how = monthly_amount(pack, ben, when, params)
        if ben.kind == "one_off":
            lines.append(
                SubsidyLine(
                    ben.label, amount, unit="次", start=employed, payee=payee, source=ben.clause
                )
            )
            continue
        if ben.kind == "per_school_year":
            lines.append(
                SubsidyLine(ben.label, amount, unit="学年", payee=payee, source=ben.clause)
            )
            continue
        period = periods.get(ben.code) or PersonPeriod(None, "", False)
        if begin and period.end and period.end < on:
            continue  # the period is over: nothing left to promise
        lines.append(
            SubsidyLine(
                ben.label,
                amount,
                unit="月",
                payee=payee,
                source=ben.clause,
                **subsidy_period(
                    pack,
                    ben,
                    begin,
                    period.end,
                    on,
                    params,
                    until_retirement=period.until_retirement,
                    retires=_retires(facts),
                ),
            )
        )
    return lines, extra


def _agreement(
    pack,
    facts: Mapping[str, Any],
    categories,
    benefits,
    obligations,
    measures,
    periods,
    *,
    party_a: Office,
    made_on: dt.date,
    end: dt.date | None,
    params,
    officer: str | None,
    officer_phone: str | None,
    duties: Sequence[Obligation] | None,
    row: int | None = None,
) -> AgreementContext:
    subsidies, extra_measures = _subsidy_lines(
        pack, benefits, facts, periods, params, made_on, frozenset(m.clause for m in measures)
    )
    certified = certification_date(facts)
    person = PersonParty(
        name=_text(facts.get("name")),
        sex=_text(facts.get("sex")),
        id_number=_text(facts.get("id_number")),
        address=_text(facts.get("address")),
        phone=_text(facts.get("phone")),
        community=_text(facts.get("community")),
        street=_text(facts.get("street")),
        category="、".join(c.label for c in categories),
        category_basis=tuple(dict.fromkeys(c.clause for c in categories)),
        certified_date=certified,
    )
    if not person.id_number:
        raise InputError("台账中没有身份证号码，协议书必须写明乙方公民身份号码")
    measures, obligations = _past_deadlines(pack, facts, categories, measures, obligations, made_on)
    return AgreementContext(
        party_a=party_a,
        person=person,
        officer=officer if officer is not None else _text(facts.get("officer")),
        officer_phone=officer_phone
        if officer_phone is not None
        else _text(facts.get("officer_phone")),
        policies=policy_refs(pack, KIND_AGREEMENT),
        measures=[Measure("", m.text, m.clause) for m in measures] + extra_measures,
        subsidies=subsidies,
        obligations=list(obligations),
        duties=list(duties or []),
        start=made_on,
        end=end,
        sign_date=made_on,
        pending=certified is None and not certified_by_category(facts),
        row=row,
        copies=3,  # 甲方、乙方各一份，一份报上级备案
        employed=_text(facts.get("status")) == "employed",
    )


def _past_deadlines(pack, facts, categories, measures, obligations, made_on: dt.date):
    """Measures and obligations with a deadline counted from an event already past
    (SX-2008 四(一) one month from certification; JS-2002 三 7 days from
    registration) say that the deadline now runs from the agreement: the paper never
    promises a time already over.  Rules and their clauses come from the pack."""
    codes = {c.code for c in categories}
    late: set[str] = set()  # events of the deadlines already past
    for rule in pack.deadlines:
        if not (rule.categories and rule.source_field and codes & set(rule.categories)):
            continue
        event = _date(facts.get(rule.source_field))
        if event is not None and rule.compute(event) < made_on:
            late.add(rule.event)
    if not late:
        return list(measures), list(obligations)
    note = "（自本协议签订之日起计）"

    def dated(text: str) -> str:
        return text.rstrip("。") + note

    import dataclasses

    def due(item) -> bool:
        return item.deadline in late

    new_measures = [dataclasses.replace(m, text=dated(m.text)) if due(m) else m for m in measures]
    new_obligations = [
        dataclasses.replace(o, text=dated(o.text)) if due(o) else o for o in obligations
    ]
    return new_measures, new_obligations


# ---------------------------------------------------------------- one person


def agreement_from_assessment(
    assessment,
    *,
    party_a: Office,
    start: dt.date,
    end: dt.date | None = None,
    params=None,
    officer: str | None = None,
    officer_phone: str | None = None,
    duties: Sequence[Obligation] | None = None,
    allow_pending: bool = False,
) -> AgreementContext:
    """AgreementContext for one :class:`calc.assess.Assessment`, made on ``start``.

    Raises InputError when the person is not 符合, or not certified and
    ``allow_pending`` is False (see module doc).
    """
    facts = assessment.facts
    name = _text(facts.get("name"))
    if assessment.status != ELIGIBLE:
        raise InputError(f"{name}：认定结论为“{assessment.status}”，不能签订援助协议")
    first = certification_date(facts)
    if first is None and not allow_pending:
        raise InputError(f"{name}：{NOT_CERTIFIED}")
    pack = _pack(assessment.policy)
    # Entitlement ends as the assessment decided them (calc.periods.entitlement_ends);
    # without a certification date the paper gives the length "自认定之日起…" instead.
    periods = (
        {
            code: period
            for code, period in assessment.periods.items()
            if pack.benefit(code).kind == "monthly"
        }
        if first is not None
        else {}
    )
    return _agreement(
        pack,
        facts,
        assessment.categories,
        assessment.benefits,
        assessment.obligations,
        assessment.measures,
        periods,
        party_a=party_a,
        made_on=start,
        end=end,
        params=params,
        officer=officer,
        officer_phone=officer_phone,
        duties=duties,
    )


# ---------------------------------------------------------------- whole ledger


def eligible_positions(run, statuses: Iterable[str] = (ELIGIBLE,)) -> list[int]:
    status = run.results["status"].to_numpy()
    wanted = set(statuses)
    return [i for i, s in enumerate(status) if s in wanted]


def _run_periods(run) -> dict[str, tuple[pd.Series, pd.Series]]:
    """Entitlement end per row for every granted monthly benefit (calc.assess.benefit_periods)."""
    from calc.assess import benefit_periods

    periods = benefit_periods(run.context, run.benefit_masks)
    return {code: p for code, p in periods.items() if run.pack.benefit(code).kind == "monthly"}


def bad_id_reason(persons, label) -> str:
    """Why a person whose ID cell is filled but wrong gets no agreement (with the check's words)."""
    rec = persons.records
    detail = ""
    if rec is not None and len(rec):
        hit = rec[(rec["row"] == label) & (rec["field"] == "id_number")]
        if len(hit):
            detail = str(hit["message"].iloc[0])
    why = f"（{detail}）" if detail else ""
    return f"身份证号码有误{why}：请先在台账中改正，协议书必须写明乙方正确的公民身份号码"


def agreements_from_run(
    run,
    *,
    party_a: Office | Mapping[str, Office],
    start: dt.date,
    end: dt.date | None = None,
    duties: Sequence[Obligation] | None = None,
    allow_pending: bool = False,
) -> tuple[list[AgreementContext], list[Skipped]]:
    """One AgreementContext per certified 符合 person of a ledger run, made on ``start``.

    Returns (contexts, skipped).  ``party_a`` is one office, or a mapping
    community → office.  Persons 符合 but not certified are skipped (they
    belong in the notice) unless ``allow_pending``.
    """
    from calc.assess import measures_for, obligations_for

    pack = run.pack
    frame = run.persons.frame
    periods = _run_periods(run)
    params = run.context.table
    certified = certified_mask(frame).to_numpy()
    out: list[AgreementContext] = []
    skipped: list[Skipped] = []
    masks = run.benefit_masks
    id_cause = run.persons.cause("id_number")
    for i in eligible_positions(run):
        facts = frame.iloc[i].to_dict()
        row = _row_label(frame, i)
        if not has_name(facts.get("name")):
            skipped.append(Skipped(_unnamed(row), row, NO_NAME))
            continue
        name = _text(facts.get("name"))
        if not certified[i] and not allow_pending:
            skipped.append(Skipped(name, row, NOT_CERTIFIED))
            continue
        if id_cause[i] == "unreadable":  # a number is there, but wrong: say so
            skipped.append(Skipped(name, row, bad_id_reason(run.persons, frame.index[i])))
            continue
        try:
            cats = [c for c in pack.categories if run.category_masks[c.code][i]]
            codes = [c.code for c in cats]
            bens = [b for b in pack.benefits if b.code in masks and masks[b.code][i]]
            per = {}
            for code, period in periods.items():
                e = period.end.iloc[i]
                per[code] = PersonPeriod(
                    None if pd.isna(e) else pd.Timestamp(e).date(),
                    str(period.reason.iloc[i]),
                    bool(period.until_retirement.iloc[i]),
                )
            if isinstance(party_a, Office):
                office = party_a
            elif callable(party_a):  # the office serving the person's street (doc_templates.office)
                office = party_a(facts)
            else:
                community = _text(facts.get("community"))
                if community not in party_a:
                    raise InputError(f"没有为“{community}”指定甲方单位")
                office = party_a[community]
            ctx = _agreement(
                pack,
                facts,
                cats,
                bens,
                obligations_for(pack, codes),
                measures_for(pack, codes, facts.get("etype"), facts.get("status")),
                per,
                party_a=office,
                made_on=start,
                end=end,
                params=params,
                officer=None,
                officer_phone=None,
                duties=duties,
                row=row,
            )
        except InputError as err:
            skipped.append(Skipped(name, row, err.message))
            continue
        out.append(ctx)
    return out, skipped


def notice_from_run(
    run,
    *,
    start: dt.date,
    office: Office,
    certifier: str,
    subject: str | None = None,
    workdays: int | None = None,
    statuses: Iterable[str] = (ELIGIBLE,),
    show_masked_id: bool = False,
    id_pattern: str | None = None,
    year_in_subject: bool = True,
    issue_date: dt.date | None = None,
) -> tuple[NoticeContext | None, list[Skipped], list[Skipped]]:
    """The 拟认定 notice for the persons of ``run`` assessed 符合 and not yet certified.

    Returns (context or None when nobody is left, skipped, certified): the
    persons the ledger shows certified are returned apart (已认定), never
    listed as 拟认定; ``skipped`` are rows that could not be listed.
    Only name, sex, age (on ``start``), community and category are copied;
    the masked ID column only when ``show_masked_id``.  ``office`` and
    ``certifier`` come from the clerk (:mod:`doc_templates.office`).
    """
    from calc.dates import ages_on
    from calc.masking import mask_id

    pack = run.pack
    params = run.context.table
    frame = run.persons.frame
    certified = certified_mask(frame).to_numpy()
    ages = ages_on(frame["birth_date"], start)
    categories = list(pack.categories)
    masks = [run.category_masks[c.code] for c in categories]
    rows, skipped, already, detailed = [], [], [], []
    neutral = pack.notice_subject  # the policy's own neutral wording
    for i in eligible_positions(run, statuses):
        f = frame.iloc[i]
        if not has_name(f["name"]):
            row = _row_label(frame, i)
            skipped.append(Skipped(_unnamed(row), row, NO_NAME))
            continue
        name = _text(f["name"])
        if certified[i]:
            when = certification_date(f.to_dict())
            said = f"已于{when:%Y-%m-%d}认定" if when else "台账记载已认定（认定日期待核实）"
            already.append(Skipped(name, _row_label(frame, i), f"{said}，不再列入拟认定公示"))
            continue
        try:
            age = ages.iloc[i]
            rows.append(
                NoticeRow(
                    name=_text(f["name"]),
                    sex=_text(f["sex"]),
                    age="" if _blank(age) else int(age),
                    community=_text(f["community"]),
                    category=neutral,
                    masked_id=mask_id(f["id_number"], id_pattern) if show_masked_id else "",
                )
            )
            detailed.append(tuple(c.label for c, m in zip(categories, masks, strict=True) if m[i]))
        except InputError as err:
            skipped.append(Skipped(name, _row_label(frame, i), err.message))
    if not rows:
        return None, skipped, already
    subject_year = ""
    if not subject:  # composed: the year kept apart for the title's line break
        subject_year = f"{start.year}年度" if year_in_subject else ""
        subject = subject_year + pack.notice_subject
    if workdays is None:
        # the parameter is the single truth; calc.param_checks refuses one below the floor
        workdays = int(_param(pack, "公示期（工作日）", start, params) or NOTICE_MIN_WORKDAYS)
    return (
        NoticeContext(
            office=office,
            subject=subject,
            subject_year=subject_year,
            rows=rows,
            start=start,
            workdays=workdays,
            policies=policy_refs(pack, KIND_NOTICE),
            show_masked_id=show_masked_id,
            certifier=certifier,
            issue_date=issue_date,
            office_categories=detailed,
        ),
        skipped,
        already,
    )


def letters_from_run(run, **kwargs):
    """See :func:`doc_templates.targets.letters_from_run`."""
    from doc_templates.targets import letters_from_run as build

    return build(run, **kwargs)
