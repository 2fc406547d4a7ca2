"""Target responsibility letters: targets that are goals, computed from the ledger.

For each receiving unit (community or street) the targets are what the unit
must achieve this year, each with the formula in its 说明:

- 帮助就业 — every person of the unit assessed 符合 and still unemployed is
  helped into work (SX-2008 二(三) "确保在一定期限内帮助就业困难人员实现就业");
- 零就业家庭 / 家庭就业目标 — every household of the unit in the category
  resolved within the text's deadline from its certification (SX-2008 四(一):
  one month; JS-2002 三: 7 days from registration); a household without a
  date counts from the letter date, and one whose deadline has passed is due
  within the deadline from the letter date (never a date already past);
  texts without a deadline (AH-2011) set the year end;
- 公益性岗位 — the subsidies of every person in a public-welfare post;
- 拟认定 — every person assessed 符合 but not certified: notice and certification.

A figure of 0 is never printed: the item is left out and named in the
sentence "本年度不设目标的项目：…".  The 目标 sheet overrides any figure by
目标项目 and adds its own lines.  GS-2003 一(一)'s five work targets are
always listed, numbered, with figures from the 目标 sheet (a ruled blank and
a warning where the sheet has none).  考核与奖惩, the work targets of a street
and whether households are paired with a cadre come from each text's pack
(its ``documents``, read through :mod:`doc_templates.clauses`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd

from calc.errors import InputError
from calc.policies.base import WorkTarget
from doc_templates.batches import Skipped
from doc_templates.clauses import assessment_terms, cited_basis
from doc_templates.contexts import LetterContext, Obligation, Office, PairingLine, TargetLine
from doc_templates.formatting import cn_number, fmt_date
from doc_templates.from_assessment import (
    ELIGIBLE,
    _text,
    certification_date,
    certified_mask,
    policy_refs,
)
from doc_templates.templates import KIND_LETTER, KIND_NOTICE

UNIT_FIELDS = {"community": "社区", "street": "街道"}
PUBLIC_WELFARE = "public_welfare"
ZERO = "zero_employment"
HELP_INTO_WORK = "帮助尚未就业的援助对象实现就业"
SHEET_NOTE = "目标数由甲方核定下达"


def _households(sub: pd.DataFrame) -> pd.Series:
    return sub["household_id"].fillna(sub["id_number"]).astype(str)


def _household_target(run, in_unit, rule, made_on: dt.date, year_end: dt.date):
    """(TargetLine or None) for a household rule with a deadline (SX-2008 四(一) …)."""
    frame = run.persons.frame
    codes = rule.categories or ()
    hit = in_unit.copy()
    member = pd.Series(False, index=frame.index)
    for code in codes:
        member |= run.matched(code).to_numpy()
    hit &= member.to_numpy()
    if not hit.any():
        return None
    sub = frame[hit]
    dues, undated, overdue = [], 0, 0
    for _hh, rows in sub.groupby(_households(sub)):
        events = rows[rule.source_field].dropna() if rule.source_field in rows else pd.Series()
        event = min(pd.Timestamp(e).date() for e in events) if len(events) else None
        if event is None:
            undated += 1
            due = rule.compute(made_on)
        else:
            due = rule.compute(event)
            if due < made_on:
                overdue += 1
                due = rule.compute(made_on)
        dues.append(due)
    n = len(dues)
    since = "认定" if rule.source_field == "first_approval_date" else "登记"
    note = f"目标数＝本单位该类家庭户数；每户自{since}之日起{rule.explanation}"
    if undated:
        note += f"；其中{undated}户{since}日期待核实，自本责任书签订之日起计"
    if overdue:
        note += f"；{overdue}户已超过时限，自本责任书签订之日起计"
    latest = max(dues)
    return TargetLine(
        rule.event,
        n,
        "户",
        deadline=latest,
        deadline_text=f"{fmt_date(latest)}前" if latest <= year_end else f"{fmt_date(latest)}前",
        note=note,
        source=rule.clause,
    )


def _zero_target_without_deadline(run, pack, in_unit, year_end):
    """Zero-employment households under a text that sets no deadline (AH-2011)."""
    if not any(c.code == ZERO for c in pack.categories):
        return None
    frame = run.persons.frame
    hit = in_unit & run.matched(ZERO).to_numpy()
    if not hit.any():
        return None
    n = _households(frame[hit]).nunique()
    clause = pack.category(ZERO).clause
    return TargetLine(
        "零就业家庭至少一人实现就业",
        int(n),
        "户",
        deadline=year_end,
        note="目标数＝本单位零就业家庭户数，每户至少一名家庭成员实现就业（文件未规定时限，按年度）",
        source=clause,
    )


def computed_targets(run, in_unit, *, made_on: dt.date, year_end: dt.date) -> list[TargetLine]:
    """The unit's targets from the ledger (figures may be 0; see :func:`finish`)."""
    pack = run.pack
    frame = run.persons.frame
    sub = frame[in_unit]
    letter_clause = cited_basis(KIND_LETTER, pack)
    targets = [
        TargetLine(
            HELP_INTO_WORK,
            int((sub["status"] == "unemployed").sum()),
            "人",
            note="目标数＝本单位尚未就业的援助对象人数",
            source=letter_clause,
        )
    ]
    household_rules = [
        r for r in pack.deadlines if r.categories is not None and r.source_field is not None
    ]
    found = [_household_target(run, in_unit, r, made_on, year_end) for r in household_rules]
    if not any(r.categories and ZERO in r.categories for r in household_rules):
        found.append(_zero_target_without_deadline(run, pack, in_unit, year_end))
    targets += [t for t in found if t is not None]
    welfare_clause = next(
        (b.clause for b in pack.benefits if b.situations and PUBLIC_WELFARE in b.situations), None
    )
    targets.append(
        TargetLine(
            "为公益性岗位上的援助对象落实岗位补贴和社会保险补贴",
            int((sub["etype"] == PUBLIC_WELFARE).sum()),
            "人",
            note="目标数＝本单位在公益性岗位就业的援助对象人数",
            source=welfare_clause,
        )
    )
    pending = int((~certified_mask(sub)).sum())
    targets.append(
        TargetLine(
            "完成拟认定人员的公示和认定",
            pending,
            "人",
            note="目标数＝本单位已申请、尚待公示和认定的人数",
            source=cited_basis(KIND_NOTICE, pack),
        )
    )
    return targets


def _same(a: str, b: str) -> bool:
    a, b = a.strip(), b.strip()
    return bool(a and b) and (a == b or a in b or b in a)


def apply_sheet(targets: list[TargetLine], sheet: Sequence[TargetLine]) -> list[TargetLine]:
    """The 目标 sheet overrides figures by 目标项目 and adds its other lines."""
    out = list(targets)
    for line in sheet:
        k = next((i for i, t in enumerate(out) if _same(t.name, line.name)), None)
        if k is None:
            out.append(line)
            continue
        t = out[k]
        out[k] = TargetLine(
            t.name,
            line.value,
            line.unit or t.unit,
            deadline=line.deadline or t.deadline,
            deadline_text="" if line.deadline else t.deadline_text,
            note="；".join(x for x in (line.note or t.note, SHEET_NOTE) if x),
            source=line.source or t.source,
        )
    return out


def street_work_targets(
    targets: list[TargetLine], work_targets: Sequence[WorkTarget]
) -> list[TargetLine]:
    """The text's work targets (GS-2003 一(一): five) first, numbered, figures from
    the 目标 sheet; the one marked ``helped_into_work`` (帮助困难群体就业) is the
    ledger's help-into-work figure unless the sheet sets it.  A target the sheet
    leaves empty stays blank (to fill in by hand)."""
    out, rest = [], list(targets)
    for work in work_targets:
        name = work.name
        names = (name, HELP_INTO_WORK) if work.helped_into_work else (name,)
        k = next((i for i, t in enumerate(rest) if any(_same(t.name, n) for n in names)), None)
        t = rest.pop(k) if k is not None else TargetLine(name, "", note="目标数由甲方核定后填写")
        out.append(
            TargetLine(
                name, t.value, t.unit or work.unit, t.deadline, t.note, work.clause, t.deadline_text
            )
        )
    return out + rest


def finish(targets: list[TargetLine]) -> tuple[list[TargetLine], list[str]]:
    """Leave out 0 figures (named as 不设), keep blanks and sheet figures."""
    kept, not_set = [], []
    for t in targets:
        text = str(t.value).strip()
        if text in ("0", "0.0") and SHEET_NOTE not in (t.note or ""):
            not_set.append(t.name)
        elif text in ("0", "0.0"):
            kept.append(
                TargetLine(t.name, "不设", "", t.deadline, t.note, t.source, t.deadline_text)
            )
        else:
            kept.append(t)
    return kept, not_set


def letters_from_run(
    run,
    *,
    issuer: Office,
    year: int,
    made_on: dt.date | None = None,
    unit: str = "community",
    receivers: Mapping[str, Office] | None = None,
    with_pairings: bool | None = None,
    assessment: Sequence[Obligation] | None = None,
    sheet_targets: Mapping[str, Sequence[TargetLine]] | None = None,
    issuers: Mapping[str, str] | None = None,
) -> tuple[list[LetterContext], list[Skipped], list[str]]:
    """One LetterContext per receiving unit; returns (letters, skipped, warnings).

    ``made_on`` (default today) is the letter date; a letter for ``year`` is
    never dated before it is made, and its term starts on 1 January or on
    ``made_on`` when that is later.  ``sheet_targets`` maps a unit (as named
    in the 目标 sheet) to its lines; ``issuers`` a unit to the 下达单位 that
    set its targets (层层签订: that unit signs).
    """
    if unit not in UNIT_FIELDS:
        raise InputError(f"责任书的接收单位只能按社区或街道划分，不能按“{unit}”")
    made_on = made_on or dt.date.today()
    pack = run.pack
    frame = run.persons.frame
    eligible = (run.results["status"] == ELIGIBLE).to_numpy()
    units = frame[unit].astype(object).where(frame[unit].notna(), "")
    names = sorted({u for u, e in zip(units, eligible, strict=True) if e and u})
    skipped: list[Skipped] = []
    missing_unit = int(((units == "").to_numpy() & eligible).sum())
    if missing_unit:
        skipped.append(
            Skipped(f"{missing_unit}人", None, f"台账中没有{UNIT_FIELDS[unit]}，未计入任何责任书")
        )
    if not names:
        raise InputError(f"没有可签订责任书的{UNIT_FIELDS[unit]}（台账中没有认定为“符合”的人员）")
    if with_pairings is None:
        with_pairings = pack.asks_pairing
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if made_on > year_end:
        raise InputError(
            f"{year}年度已过，不能再签订该年度的目标责任书（今天是{made_on:%Y-%m-%d}）"
        )
    start = max(year_start, made_on)
    terms = list(assessment) if assessment is not None else assessment_terms(pack, unit)
    duties = [
        Obligation(f"{d.heading}：{d.text}", d.clause) for d in pack.duties if unit in d.units
    ]
    # Work targets of governments and street offices (GS-2003 一(一): 岗位、资金投入):
    # a street's letter lists them, a 居委会's does not, nor takes a government
    # target from the 目标 sheet.
    street_work = bool(pack.street_targets) and unit == "street"
    government = (
        [w.name for w in pack.street_targets if w.government] if unit == "community" else []
    )
    sheet_targets = sheet_targets or {}
    blanks: dict[tuple[str, ...], list[str]] = {}
    dropped: dict[tuple[str, ...], list[str]] = {}
    letters = []
    for name in names:
        in_unit = (units == name).to_numpy() & eligible
        match = next((u for u in sheet_targets if u == name or u.endswith(name)), None)
        targets = computed_targets(run, in_unit, made_on=made_on, year_end=year_end)
        if match:
            targets = apply_sheet(targets, sheet_targets[match])
        if government:
            own = tuple(t.name for t in targets if any(_same(t.name, g) for g in government))
            if own:
                dropped.setdefault(own, []).append(match or name)
                targets = [t for t in targets if t.name not in own]
        if street_work:
            targets = street_work_targets(targets, pack.street_targets)
            blank = tuple(t.name for t in targets if not str(t.value).strip())
            if blank:
                blanks.setdefault(blank, []).append(name)
        targets, not_set = finish(targets)
        pairings = []
        if with_pairings:
            sub = frame[in_unit]
            seen = set()
            for _, f in sub.iterrows():
                key = _text(f.get("household_id")) or _text(f.get("id_number"))
                if key in seen:
                    continue
                seen.add(key)
                pairings.append(
                    PairingLine(
                        f"{_text(f.get('name'))}户",
                        _text(f.get("community")),
                        _text(f.get("officer")) or "＿＿＿",
                    )
                )
        if callable(issuer):  # the office of the unit's own street (doc_templates.office)
            rows = frame[in_unit]
            streets = rows["street"].dropna() if "street" in rows else pd.Series(dtype=object)
            street = _text(streets.mode().iloc[0]) if len(streets) else ""
            letter_issuer = issuer(
                street if unit == "community" else name, name if unit == "community" else ""
            )
        else:
            letter_issuer = issuer
        if match and issuers and issuers.get(match) and issuers[match] != letter_issuer.name:
            letter_issuer = Office(issuers[match])  # 层层签订: the unit that set the targets
        letters.append(
            LetterContext(
                issuer=letter_issuer,
                receiver=(receivers or {}).get(name) or Office(match or name),
                year=year,
                policies=policy_refs(pack, KIND_LETTER),
                targets=targets,
                duties=duties,
                pairings=pairings,
                assessment=terms,
                start=start,
                end=year_end,
                sign_date=made_on,
                not_set=not_set,
            )
        )
    warnings = [
        f"{cn_number(len(pack.street_targets))}项工作目标中“{'、'.join(items)}”"
        "在“目标”表中没有数值，责任书中留空待填"
        f"（{'、'.join(units)}）；请在“目标”表填写后重新生成"
        for items, units in blanks.items()
    ]
    warnings += [
        f"“目标”表中的“{'、'.join(items)}”是政府和街道一级的工作目标，未列入社区居委会的"
        f"责任书（{'、'.join(units)}）"
        for items, units in dropped.items()
    ]
    return letters, skipped, warnings


__all__ = ["certification_date", "computed_targets", "letters_from_run"]
