"""From the rules engine's results to the document contexts.

- :func:`agreement_from_assessment` — one person's :class:`calc.assess.Assessment`
  (``assess_person``) → :class:`AgreementContext`;
- :func:`agreements_from_run` — a whole ledger's :class:`calc.assess.LedgerRun`
  (``run_ledger``) → one AgreementContext per eligible person, without
  re-assessing anyone (entitlement periods computed vectorised);
- :func:`notice_from_run` — the persons proposed for certification →
  :class:`NoticeContext` (only name, sex, age, community and category leave
  the ledger);
- :func:`letters_from_run` — one :class:`LetterContext` per receiving unit
  (community or street) with targets counted from the ledger.

What comes from the policy pack (never written once for all): the
categories and their clauses, party B's obligations (``obligations_for``),
the office's measures (``measures_for``), the benefits with their amounts
(parameters in force, ``calc.subsidy.monthly_amount``) and periods
(``calc.periods``, including the extension to retirement), the duties of a
target responsibility letter (``pack.duties``), and the deadlines
(``pack.deadlines``).  What comes from the ledger: the person's data, the
assistance officer (援助责任人), the community and street.  Local settings
(issuing office, objection phone and address, notice period) come from the
parameter table when not given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from calc.errors import InputError
from doc_templates.contexts import (
    AgreementContext,
    LetterContext,
    Measure,
    NoticeContext,
    NoticeRow,
    Obligation,
    Office,
    PairingLine,
    PersonParty,
    PolicyRef,
    SubsidyLine,
    TargetLine,
)

ELIGIBLE = "符合"
AMOUNT_KINDS = ("monthly", "one_off", "per_school_year")
PUBLIC_WELFARE = "public_welfare"
UNIT_FIELDS = {"community": "社区", "street": "街道"}
# Packs whose text asks for a named cadre per household (JS-2002 四(四); AH-2011 (十) 包保).
PAIRING_PACKS = ("JS-2002", "AH-2011")


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


def policy_refs(pack) -> list[PolicyRef]:
    """The pack and the packs it extends, province first (a Lianyungang
    agreement cites JS-2002 and LYG-2003)."""
    return [PolicyRef(p.code, p.title, doc_no=p.doc_number) for p in pack.chain()]


def _param(pack, name: str, on: dt.date, params) -> Any:
    from calc.params import resolve

    try:
        return resolve(pack.parameters, pack.code, name, on, params).value
    except InputError:
        return None


def office_from_params(pack, on: dt.date, params=None) -> Office:
    """The issuing office from the parameter table (发文机关, 异议受理电话/地址)."""
    return Office(
        name=_text(_param(pack, "发文机关", on, params)),
        phone=_text(_param(pack, "异议受理电话", on, params)),
        address=_text(_param(pack, "异议受理地址", on, params)),
    )


def _months_exact(start: dt.date, end: dt.date) -> int | None:
    """Length in whole months when [start, end] is exactly N months, else None."""
    from calc.dates import add_months

    months = (end.year - start.year) * 12 + end.month - start.month + 1
    for n in (months - 1, months):
        if n > 0 and add_months(start, n) - dt.timedelta(days=1) == end:
            return n
    return None


def _subsidy_lines(
    pack,
    benefits,
    facts: Mapping[str, Any],
    periods: Mapping[str, tuple[dt.date | None, str]],
    params,
) -> tuple[list[SubsidyLine], list[Measure]]:
    """SubsidyLines for benefits with an amount; loans and tax relief as measures."""
    from calc.subsidy import monthly_amount

    lines: list[SubsidyLine] = []
    extra: list[Measure] = []
    first = _date(facts.get("first_approval_date"))
    employed = _date(facts.get("employment_date"))
    begin = max(d for d in (first, employed) if d) if (first or employed) else None
    for ben in benefits:
        payee = "" if ben.recipient == "本人" else ben.recipient
        if ben.kind == "loan":
            cap = (
                _param(pack, ben.amount_params[0], begin or dt.date.today(), params)
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
        on = begin or dt.date.today()
        if ben.amount is not None:
            amount = Decimal(str(ben.amount))
        else:
            amount, _how = monthly_amount(pack, ben, on, params)
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
        end, text = periods.get(ben.code, (None, ""))
        until_retirement = "延长至退休" in text
        lines.append(
            SubsidyLine(
                ben.label,
                amount,
                unit="月",
                start=begin,
                end=end,
                months=None
                if until_retirement or not (begin and end)
                else _months_exact(begin, end),
                until_retirement=until_retirement,
                retirement_date=end + dt.timedelta(days=1) if until_retirement and end else None,
                payee=payee,
                source=ben.clause,
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
    start: dt.date,
    end: dt.date | None,
    params,
    officer: str | None,
    officer_phone: str | None,
    duties: Sequence[Obligation] | None,
    sign_date: dt.date | None,
) -> AgreementContext:
    subsidies, extra_measures = _subsidy_lines(pack, benefits, facts, periods, params)
    person = PersonParty(
        name=_text(facts.get("name")),
        sex=_text(facts.get("sex")),
        id_number=_text(facts.get("id_number")),
        address=_text(facts.get("address")),
        phone=_text(facts.get("phone")),
        community=_text(facts.get("community")),
        street=_text(facts.get("street")),
        category="、".join(c.label for c in categories),
        category_basis="、".join(dict.fromkeys(c.clause for c in categories)),
        certified_date=_date(facts.get("first_approval_date")),
    )
    return AgreementContext(
        party_a=party_a,
        person=person,
        officer=officer if officer is not None else _text(facts.get("officer")),
        officer_phone=officer_phone
        if officer_phone is not None
        else _text(facts.get("officer_phone")),
        policies=policy_refs(pack),
        measures=[Measure("", m.text, m.clause) for m in measures] + extra_measures,
        subsidies=subsidies,
        obligations=[Obligation(o.text, o.clause) for o in obligations],
        duties=list(duties or []),
        start=start,
        end=end,
        sign_date=sign_date,
    )


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
    sign_date: dt.date | None = None,
) -> AgreementContext:
    """AgreementContext for one :class:`calc.assess.Assessment`.

    The person's data, officer and community come from ``assessment.facts``
    (the normalised ledger row); ``officer``/``officer_phone`` override the
    ledger.  Raises InputError when the person is not eligible (符合).
    """
    if assessment.status != ELIGIBLE:
        raise InputError(
            f"{_text(assessment.facts.get('name'))}：认定结论为“{assessment.status}”，不能签订援助协议"
        )
    pack = _pack(assessment.policy)
    facts = assessment.facts
    # Entitlement ends as the assessment decided them (calc.periods.entitlement_ends).
    periods = {
        code: period
        for code, period in assessment.periods.items()
        if pack.benefit(code).kind == "monthly"
    }
    return _agreement(
        pack,
        facts,
        assessment.categories,
        assessment.benefits,
        assessment.obligations,
        assessment.measures,
        periods,
        party_a=party_a,
        start=start,
        end=end,
        params=params,
        officer=officer,
        officer_phone=officer_phone,
        duties=duties,
        sign_date=sign_date,
    )


# ---------------------------------------------------------------- whole ledger


def _eligible_positions(run, statuses: Iterable[str] = (ELIGIBLE,)) -> list[int]:
    status = run.results["status"].to_numpy()
    wanted = set(statuses)
    return [i for i, s in enumerate(status) if s in wanted]


def _run_periods(run) -> dict[str, tuple[pd.Series, pd.Series]]:
    """Entitlement end per row for every granted monthly benefit (calc.assess.benefit_periods)."""
    from calc.assess import benefit_periods

    periods = benefit_periods(run.context, run.benefit_masks)
    return {code: p for code, p in periods.items() if run.pack.benefit(code).kind == "monthly"}


def agreements_from_run(
    run,
    *,
    party_a: Office | Mapping[str, Office],
    start: dt.date,
    end: dt.date | None = None,
    duties: Sequence[Obligation] | None = None,
    sign_date: dt.date | None = None,
) -> list[AgreementContext]:
    """One AgreementContext per eligible (符合) person of a ledger run.

    ``party_a`` is one office, or a mapping community → office (the
    community labour-security station signs for its own residents).
    """
    from calc.assess import measures_for, obligations_for

    pack = run.pack
    frame = run.persons.frame
    results = run.results
    periods = _run_periods(run)
    params = run.context.table
    out = []
    codes_col = results["category_codes"].to_numpy()
    for i in _eligible_positions(run):
        facts = frame.iloc[i].to_dict()
        codes = [c for c in str(codes_col[i]).split(",") if c]
        cats = [pack.category(c) for c in codes]
        masks = run.benefit_masks
        bens = [b for b in pack.benefits if b.code in masks and masks[b.code][i]]
        per = {}
        for code, (ends, texts) in periods.items():
            e = ends.iloc[i]
            per[code] = (None if pd.isna(e) else pd.Timestamp(e).date(), str(texts.iloc[i]))
        if isinstance(party_a, Office):
            office = party_a
        else:
            community = _text(facts.get("community"))
            if community not in party_a:
                raise InputError(f"{_text(facts.get('name'))}：没有为“{community}”指定甲方单位")
            office = party_a[community]
        out.append(
            _agreement(
                pack,
                facts,
                cats,
                bens,
                obligations_for(pack, codes),
                measures_for(pack, codes, facts.get("etype"), facts.get("status")),
                per,
                party_a=office,
                start=start,
                end=end,
                params=params,
                officer=None,
                officer_phone=None,
                duties=duties,
                sign_date=sign_date,
            )
        )
    return out


def notice_from_run(
    run,
    *,
    start: dt.date,
    office: Office | None = None,
    subject: str | None = None,
    workdays: int | None = None,
    statuses: Iterable[str] = (ELIGIBLE,),
    show_masked_id: bool = False,
    id_pattern: str | None = None,
    certifier: str | None = None,
    year_in_subject: bool = True,
) -> NoticeContext:
    """The public notice for the persons of ``run`` proposed for certification.

    Only name, sex, age (on ``start``), community and category are copied;
    the masked ID column is filled only when ``show_masked_id``.  Office,
    objection phone and address, notice period and certifying department
    default to the parameters 发文机关, 异议受理电话, 异议受理地址,
    公示期（工作日）, 上级单位.
    """
    from calc.dates import ages_on
    from calc.masking import mask_id

    pack = run.pack
    params = run.context.table
    frame = run.persons.frame
    positions = _eligible_positions(run, statuses)
    if not positions:
        raise InputError("没有需要公示的人员（认定结论为“符合”的人员为0）")
    ages = ages_on(frame["birth_date"], start)
    cats = run.results["categories"].to_numpy()
    rows = []
    for i in positions:
        f = frame.iloc[i]
        age = ages.iloc[i]
        rows.append(
            NoticeRow(
                name=_text(f["name"]),
                sex=_text(f["sex"]),
                age="" if _blank(age) else int(age),
                community=_text(f["community"]),
                category=str(cats[i]),
                masked_id=mask_id(f["id_number"], id_pattern) if show_masked_id else "",
            )
        )
    subject = subject or (
        f"{start.year}年度{pack.notice_subject}" if year_in_subject else pack.notice_subject
    )
    if workdays is None:
        workdays = int(_param(pack, "公示期（工作日）", start, params) or 5)
    kwargs = {}
    cert = certifier or _text(_param(pack, "上级单位", start, params))
    if cert:
        kwargs["certifier"] = cert
    return NoticeContext(
        office=office or office_from_params(pack, start, params),
        subject=subject,
        rows=rows,
        start=start,
        workdays=workdays,
        policies=policy_refs(pack),
        show_masked_id=show_masked_id,
        **kwargs,
    )


def _duty_obligations(pack) -> list[Obligation]:
    return [Obligation(f"{d.heading}：{d.text}", d.clause) for d in pack.duties]


def letters_from_run(
    run,
    *,
    issuer: Office,
    year: int,
    unit: str = "community",
    receivers: Mapping[str, Office] | None = None,
    with_pairings: bool | None = None,
    assessment: Sequence[Obligation] | None = None,
    sign_date: dt.date | None = None,
) -> list[LetterContext]:
    """One LetterContext per receiving unit (``unit``: "community" or "street").

    Targets counted from the ledger (editable in the returned contexts
    before printing):

    - persons certified (status 符合) — to register and keep in the ledger;
    - households behind each household-level deadline of the pack (e.g.
      SX-2008 四(一) zero-employment households: one member employed within
      a month; JS-2002 三: within 7 days), with the latest deadline date;
    - persons in public-welfare posts;
    - eligible persons still unemployed — the re-employment target.

    Duties are the pack's ``duties`` (GS-2003's five work targets, SX-2008's
    level-by-level letters …); pairings (household → officer) are added for
    JS-2002/AH-2011 packs, or when ``with_pairings`` is True.  ``receivers``
    maps a unit name to its full office (default: an Office with that name).
    """
    if unit not in UNIT_FIELDS:
        raise InputError(f"责任书的接收单位只能按社区或街道划分，不能按“{unit}”")
    pack = run.pack
    frame = run.persons.frame
    results = run.results
    eligible = (results["status"] == ELIGIBLE).to_numpy()
    units = frame[unit].astype(object).where(frame[unit].notna(), "")
    names = sorted({u for u, e in zip(units, eligible, strict=True) if e and u})
    if not names:
        raise InputError(f"没有可签订责任书的{UNIT_FIELDS[unit]}（台账中没有认定为“符合”的人员）")
    if with_pairings is None:
        with_pairings = any(code in PAIRING_PACKS for code in pack.codes)
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    welfare_clause = next(
        (b.clause for b in pack.benefits if b.situations and PUBLIC_WELFARE in b.situations), ""
    )
    household_rules = [
        r for r in pack.deadlines if r.categories is not None and r.source_field is not None
    ]
    letters = []
    for name in names:
        in_unit = (units == name).to_numpy() & eligible
        sub = frame[in_unit]
        targets = [
            TargetLine(
                f"认定{pack.notice_subject}并建立台账",
                int(in_unit.sum()),
                "人",
                note="按台账核定",
                source=pack.precondition_clause or pack.code,
            )
        ]
        for rule in household_rules:
            when = run.deadline_dates.get(rule.event)
            if when is None:
                continue
            hit = in_unit & when.notna().to_numpy()
            if not hit.any():
                continue
            households = (
                frame.loc[hit, "household_id"].fillna(frame.loc[hit, "id_number"]).nunique()
            )
            dates = [d.date() for d in when[hit] if year_start <= d.date() <= year_end]
            targets.append(
                TargetLine(
                    rule.event,
                    int(households),
                    "户",
                    deadline=max(dates) if dates else None,
                    note=rule.explanation,
                    source=rule.clause,
                )
            )
        welfare = int((sub["etype"] == PUBLIC_WELFARE).sum())
        targets.append(
            TargetLine(
                "公益性岗位安置就业困难人员",
                welfare,
                "人",
                note="现有在岗人数",
                source=welfare_clause,
            )
        )
        unemployed = int((sub["status"] == "unemployed").sum())
        targets.append(
            TargetLine("帮助援助对象实现就业", unemployed, "人", note="台账中尚未就业的援助对象")
        )
        pairings = []
        if with_pairings:
            seen = set()
            for _, f in sub.iterrows():
                key = _text(f.get("household_id")) or _text(f.get("id_number"))
                if key in seen:
                    continue
                seen.add(key)
                label = f"{_text(f.get('name'))}户"
                pairings.append(
                    PairingLine(label, _text(f.get("community")), _text(f.get("officer")) or "待定")
                )
        letters.append(
            LetterContext(
                issuer=issuer,
                receiver=(receivers or {}).get(name) or Office(name),
                year=year,
                policies=policy_refs(pack),
                targets=targets,
                duties=_duty_obligations(pack),
                pairings=pairings,
                assessment=list(assessment)
                if assessment is not None
                else [
                    Obligation(f"{r.event}：{r.explanation}", r.clause)
                    for r in pack.deadlines
                    if r.source_field is None
                ]
                + [
                    Obligation(
                        "甲方对照本责任书对乙方年度目标完成情况进行考核，考核结果列入乙方年度工作考核"
                    )
                ],
                sign_date=sign_date,
            )
        )
    return letters
