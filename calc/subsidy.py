"""Amounts payable for a benefit over a span of months (JY_SUBSIDY): the one place an amount is decided.

Monthly subsidies are counted by calendar month: a month of [from, to]
counts once when the person holds the benefit on the last day of that month
inside [from, to] (eligibility is judged month by month, so months before a
later lapse stay payable) and the month lies inside the entitlement — from
the first approval (初次核定日期), or the employment date when that is later,
to the end decided by :func:`calc.periods.entitlement_ends`.  The monthly
amount is the product of its parameters in force on the first day counted in
that month, so a mid-year change of the standard is honoured.  The
social-insurance subsidy is 缴费基数 × (养老 + 医疗 + 失业 单位缴费比例).

One-off amounts are due when the employment date (else the first approval)
falls in [from, to] and the person holds the benefit on ``to``; the AH-2011
(七)4 school grant once per school year starting (1 September) in [from, to].
Amounts written into a clause (1,000元, 500元) are parameters of the pack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from calc.errors import InputError
from calc.params import ParameterTable, resolve
from calc.policies import get_policy

INSURANCE_RATE = "社会保险补贴费率"
INSURANCE_RATE_PARTS = ("养老保险单位缴费比例", "医疗保险单位缴费比例", "失业保险单位缴费比例")


@dataclass
class SubsidyResult:
    amount: Decimal
    months: int
    explanation: str
    lines: list[tuple[dt.date, Decimal]] = field(default_factory=list)


def _value(pack, name: str, on: dt.date, table: ParameterTable | None) -> tuple[Decimal, str, bool]:
    """A parameter's value, its text and whether the text marks it as the program's example."""
    if name == INSURANCE_RATE:
        parts = [resolve(pack.parameters, pack.code, p, on, table) for p in INSURANCE_RATE_PARTS]
        total = sum(Decimal(str(p.value)) for p in parts)
        return total, "+".join(f"{p.name}{p.value}" for p in parts), False
    p = resolve(pack.parameters, pack.code, name, on, table)
    try:
        return (
            Decimal(str(p.value)),
            f"{p.name}{p.value}{p.unit}" + ("（示例值）" if p.example else ""),
            bool(p.example),
        )
    except ArithmeticError:
        raise InputError(f"参数“{name}”的值“{p.value}”不是数字") from None


def amount_formed(
    pack, benefit, on: dt.date, table: ParameterTable | None
) -> tuple[Decimal, str, bool]:
    """The amount of a benefit in force on ``on`` (per month, or per payment), how it
    was formed, and whether that text names one of the program's example values."""
    if benefit.amount is not None and not benefit.amount_params:
        return (
            Decimal(str(benefit.amount)).quantize(Decimal("0.01")),
            f"文件规定{benefit.amount:g}元",
            False,
        )
    amount = Decimal(1)
    parts = []
    example = False
    for name in benefit.amount_params:
        value, text, is_example = _value(pack, name, on, table)
        amount *= value
        parts.append(text)
        example |= is_example
    return amount.quantize(Decimal("0.01"), ROUND_HALF_UP), "×".join(parts), example


def monthly_amount(pack, benefit, on: dt.date, table: ParameterTable | None) -> tuple[Decimal, str]:
    """The amount of a benefit in force on ``on`` (per month, or per payment) and how it was formed."""
    amount, how, _ = amount_formed(pack, benefit, on, table)
    return amount, how


def _months(start: dt.date, end: dt.date):
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        yield dt.date(y, m, 1)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _month_last(month: dt.date) -> dt.date:
    nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _day(value) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return value.date() if hasattr(value, "date") else value


def subsidy_amounts(
    policy,
    benefit: str,
    raw: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    params: ParameterTable | None = None,
    *,
    date1904: bool = False,
) -> list[SubsidyResult | InputError]:
    """Amount of ``benefit`` for every row of a ledger frame over the months of [start, end].

    Household-aware (the frame is assessed as a ledger).  A row whose amount
    cannot be computed gets the :class:`InputError` saying why.
    """
    from calc.assess import run_ledger

    if end < start:
        raise InputError(f"起始日期{start.isoformat()}晚于截止日期{end.isoformat()}")
    pack = policy if not isinstance(policy, str) else get_policy(policy)
    ben = pack.benefit(benefit)
    if ben.kind in ("service", "tax", "loan"):
        raise InputError(f"“{ben.label}”不是按金额计发的补贴（{ben.clause}）")
    final = run_ledger(pack, raw, end, params, date1904=date1904)
    n = len(final.results)
    granted_end = final.benefit_masks[ben.code]
    frame = final.persons.frame
    out: list[SubsidyResult | InputError] = []
    if ben.kind in ("one_off", "per_school_year"):
        for i in range(n):
            if not granted_end[i]:
                out.append(_not_granted(ben, final, i))
                continue
            out.append(_one_off(pack, ben, frame.iloc[i], start, end, params))
        return out

    # Monthly: eligibility judged on the last day of each month inside [start, end].
    months = list(_months(start, end))
    runs = {}
    for month in months:
        day = min(_month_last(month), end)
        runs[month] = (
            final if day == end else run_ledger(pack, final.persons, day, params, explain=False)
        )
    for i in range(n):
        facts = frame.iloc[i]
        first = _day(facts.get("first_approval_date"))
        if not any(runs[m].benefit_masks[ben.code][i] for m in months):
            out.append(_not_granted(ben, final, i))
            continue
        if first is None:
            out.append(InputError(f"缺“初次核定日期”，无法计算“{ben.label}”"))
            continue
        employed_on = _day(facts.get("employment_date"))
        begin = max(first, employed_on) if employed_on else first
        lines, how, last, period_text, skipped = [], "", None, "", 0
        for month in months:
            run = runs[month]
            day = min(_month_last(month), end)
            ends, texts = run.periods.get(ben.code, (None, None))
            if not run.benefit_masks[ben.code][i]:
                skipped += 1
                continue
            last_ts = None if ends is None else ends.iloc[i]
            if last_ts is None or pd.isna(last_ts):
                why = "" if texts is None else str(texts.iloc[i])
                lines = None
                break
            last = last_ts.date()
            period_text = "" if texts is None else str(texts.iloc[i])
            lo, hi = max(month, start, begin), min(day, last)
            if lo > hi:
                continue
            value, how = monthly_amount(pack, ben, lo, params)
            lines.append((month, value))
        if lines is None:
            out.append(InputError(why or f"无法计算“{ben.label}”的享受期限"))
            continue
        total = sum((v for _, v in lines), Decimal(0))
        if not lines:
            shown = f"{begin.isoformat()}至{last.isoformat()}" if last else begin.isoformat()
            out.append(
                SubsidyResult(Decimal(0), 0, f"所查区间不在享受期内（{shown}；{period_text}）")
            )
            continue
        lapse = f"；其中{skipped}个月月末不符合享受条件，不计发" if skipped else ""
        explanation = (
            f"{ben.label}：{lines[0][0].isoformat()}起共{len(lines)}个月，"
            f"月标准{lines[-1][1]}元（{how}），合计{total}元；享受期{begin.isoformat()}至"
            f"{last.isoformat()}（{period_text}）{lapse}"
        )
        out.append(SubsidyResult(total, len(lines), explanation, lines))
    return out


def _not_granted(ben, run, i) -> SubsidyResult:
    row = run.results.iloc[i]
    return SubsidyResult(
        Decimal(0),
        0,
        f"不享受“{ben.label}”（{ben.clause}）：{row['status']}。{row['explanation']}",
    )


def _one_off(pack, ben, facts, start, end, params) -> SubsidyResult | InputError:
    first = _day(facts.get("first_approval_date"))
    employed_on = _day(facts.get("employment_date"))
    if ben.kind == "per_school_year":
        years = [
            dt.date(y, 9, 1)
            for y in range(start.year, end.year + 1)
            if start <= dt.date(y, 9, 1) <= end
        ]
        total = Decimal(0)
        how = ""
        for day in years:
            value, how = monthly_amount(pack, ben, day, params)
            total += value
        per = how or ben.describe_amount()
        return SubsidyResult(total, 0, f"{ben.label}：{per}/学年×{len(years)}学年（{ben.clause}）")
    day = employed_on or first
    if day is None:
        return InputError(f"缺就业日期或初次核定日期，无法判断“{ben.label}”的发放时间")
    if not (start <= day <= end):
        return SubsidyResult(
            Decimal(0), 0, f"“{ben.label}”应于{day.isoformat()}发放，不在所查区间内（{ben.clause}）"
        )
    value, how = monthly_amount(pack, ben, day, params)
    return SubsidyResult(
        value, 0, f"{ben.label}：{how}，一次性发放（{ben.clause}）", [(day, value)]
    )


def subsidy_amount(
    policy: str,
    benefit: str,
    person: Mapping[str, object],
    start: dt.date,
    end: dt.date,
    params: ParameterTable | None = None,
    *,
    household=None,
) -> SubsidyResult:
    """Amount of ``benefit`` payable to ``person`` for the months of [start, end]."""
    from calc.assess import person_frame

    result = subsidy_amounts(policy, benefit, person_frame(person, household), start, end, params)[
        0
    ]
    if isinstance(result, InputError):
        raise result
    return result
