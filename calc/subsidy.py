"""Amounts payable for a benefit over a span of months (JY_SUBSIDY).

Monthly subsidies are counted by calendar month: every month of [from, to]
that lies inside the entitlement counts once, whatever day it starts (the
usual 按月发放 practice; say so to the clerk).  The monthly amount is the
product of its parameters in force on the first day counted in that month, so
a mid-year change of the standard is honoured.  The social-insurance subsidy
is 缴费基数 × (养老 + 医疗 + 失业 单位缴费比例).

Entitlement: from the first approval (初次核定日期), or the employment date
when that is later, to the period end of calc.periods.  One-off amounts are
due when the employment date (else the first approval) falls in [from, to];
the AH-2011 (七)4 school grant is due once per school year starting
(1 September) in [from, to].
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from calc.assess import assess_person
from calc.errors import InputError
from calc.params import ParameterTable, resolve
from calc.periods import period_end
from calc.policies import get_policy

INSURANCE_RATE = "社会保险补贴费率"
INSURANCE_RATE_PARTS = ("养老保险单位缴费比例", "医疗保险单位缴费比例", "失业保险单位缴费比例")


@dataclass
class SubsidyResult:
    amount: Decimal
    months: int
    explanation: str
    lines: list[tuple[dt.date, Decimal]] = field(default_factory=list)


def _value(pack, name: str, on: dt.date, table: ParameterTable | None) -> tuple[Decimal, str]:
    if name == INSURANCE_RATE:
        parts = [resolve(pack.parameters, pack.code, p, on, table) for p in INSURANCE_RATE_PARTS]
        total = sum(Decimal(str(p.value)) for p in parts)
        return total, "+".join(f"{p.name}{p.value}" for p in parts)
    p = resolve(pack.parameters, pack.code, name, on, table)
    try:
        return Decimal(str(p.value)), f"{p.name}{p.value}{p.unit}" + (
            "（示例值）" if p.example else ""
        )
    except ArithmeticError:
        raise InputError(f"参数“{name}”的值“{p.value}”不是数字") from None


def monthly_amount(pack, benefit, on: dt.date, table: ParameterTable | None) -> tuple[Decimal, str]:
    """The monthly amount of a benefit in force on ``on`` and how it was formed."""
    amount = Decimal(1)
    parts = []
    for name in benefit.amount_params:
        value, text = _value(pack, name, on, table)
        amount *= value
        parts.append(text)
    return amount.quantize(Decimal("0.01"), ROUND_HALF_UP), "×".join(parts)


def _months(start: dt.date, end: dt.date):
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        yield dt.date(y, m, 1)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


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
    if end < start:
        raise InputError(f"起始日期{start.isoformat()}晚于截止日期{end.isoformat()}")
    pack = get_policy(policy)
    ben = pack.benefit(benefit)
    if ben.kind in ("service", "tax", "loan"):
        raise InputError(f"“{ben.label}”不是按金额计发的补贴（{ben.clause}）")
    result = assess_person(pack, person, end, params, household=household)
    if ben not in result.benefits:
        return SubsidyResult(
            Decimal(0),
            0,
            f"不享受“{ben.label}”（{ben.clause}）：{result.status}。{result.explanation}",
        )
    facts = result.facts
    first = facts.get("first_approval_date")
    employed_on = facts.get("employment_date")
    if ben.kind == "one_off":
        event = employed_on if employed_on is not None and str(employed_on) != "NaT" else first
        if event is None or str(event) == "NaT":
            raise InputError(f"缺就业日期或初次核定日期，无法判断“{ben.label}”的发放时间")
        day = event.date() if hasattr(event, "date") else event
        if not (start <= day <= end):
            return SubsidyResult(
                Decimal(0),
                0,
                f"“{ben.label}”应于{day.isoformat()}发放，不在所查区间内（{ben.clause}）",
            )
        if ben.amount is not None:
            value, how = Decimal(str(ben.amount)), f"文件规定{ben.amount:g}元"
        else:
            value, how = monthly_amount(pack, ben, day, params)
        return SubsidyResult(
            value, 0, f"{ben.label}：{how}，一次性发放（{ben.clause}）", [(day, value)]
        )
    if ben.kind == "per_school_year":
        years = [
            dt.date(y, 9, 1)
            for y in range(start.year, end.year + 1)
            if start <= dt.date(y, 9, 1) <= end
        ]
        value = Decimal(str(ben.amount)) * len(years)
        return SubsidyResult(
            value, 0, f"{ben.label}：{ben.amount:g}元/学年×{len(years)}学年（{ben.clause}）"
        )

    if first is None or str(first) == "NaT":
        raise InputError(f"缺“初次核定日期”，无法计算“{ben.label}”")
    first_day = first.date()
    begin = first_day
    if employed_on is not None and str(employed_on) != "NaT" and employed_on.date() > begin:
        begin = employed_on.date()
    local_years = int(
        resolve(pack.parameters, pack.code, "补贴期限（年）", first_day, params).value
    )
    orig = facts.get("original_retirement_age")
    orig_age = None if orig is None or str(orig) in ("<NA>", "nan") else int(orig)
    last, period_text = period_end(
        ben.period or "local",
        first_day,
        facts["birth_date"].date(),
        facts["sex"],
        orig_age,
        local_years=local_years,
    )
    lo, hi = max(start, begin), min(end, last)
    if lo > hi:
        return SubsidyResult(
            Decimal(0),
            0,
            f"所查区间不在享受期内（{begin.isoformat()}至{last.isoformat()}；{period_text}）",
        )
    lines = []
    how = ""
    for month in _months(lo, hi):
        on = max(month, lo)
        value, how = monthly_amount(pack, ben, on, params)
        lines.append((month, value))
    total = sum((v for _, v in lines), Decimal(0))
    explanation = (
        f"{ben.label}：{lo.isoformat()}至{hi.isoformat()}共{len(lines)}个月，"
        f"月标准{lines[-1][1]}元（{how}），合计{total}元；享受期{begin.isoformat()}至{last.isoformat()}（{period_text}）"
    )
    return SubsidyResult(total, len(lines), explanation, lines)
