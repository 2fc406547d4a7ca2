"""How long a subsidy runs (entitlement periods).

- ``local``: the text sets no period; 补贴期限（年） from the parameters.
- ``sx_public_welfare`` — SX-2008 三(四): a person in a public-welfare post
  who is *less than* 5 years (不足5年) from statutory retirement keeps the post
  and social-insurance subsidies until retirement; otherwise the local period.
- ``ah_subsidy`` — AH-2011 (八): at most 3 years, except that a person within
  5 years *inclusive* (不足5年（含5年）) of retirement receives them until
  retirement, judged by the age at the first approval (以初次核定其享受补贴年龄为准).
- ``loan_term`` — LYG-2003 四(一): loans run at most 2 years.

"Until retirement" ends on the day before the statutory retirement date.
Which retirement law: a period is fixed at the first approval, so a first
approval before 2025-01-01 uses the ages in force then (men 60, women 50/55);
from 2025-01-01 the gradual reform applies (calc.retirement).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from calc.dates import add_months_series, add_years
from calc.errors import InputError
from calc.retirement import retirement_dates

REFORM_START = dt.date(2025, 1, 1)
AH_YEARS = 3  # AH-2011 (八)：最长不超过3年
NEAR_RETIREMENT_YEARS = 5  # SX-2008 三(四)、AH-2011 (八)
LOAN_YEARS = 2  # LYG-2003 四(一)
# AH-2011 (八) special case: "4050" certified on or before this date (2008年12月31日前).
AH_4050_CUTOFF = dt.date(2008, 12, 31)

ONE_DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class PeriodRule:
    name: str
    clause: str
    description: str


RULES = {
    "local": PeriodRule("local", "参数“补贴期限（年）”", "文件未规定期限，按当地参数"),
    "sx_public_welfare": PeriodRule(
        "sx_public_welfare", "SX-2008 三(四)", "距法定退休年龄不足5年的延长至退休"
    ),
    "ah_subsidy": PeriodRule(
        "ah_subsidy", "AH-2011 (八)", "最长3年；距法定退休年龄不足5年（含5年）的延长至退休"
    ),
    "loan_term": PeriodRule("loan_term", "LYG-2003 四(一)", "贷款期限最长不超过2年"),
}


def _retirement(births, sexes, original_ages, first: pd.Series, known=None) -> pd.Series:
    """Retirement date under the law in force at each first approval.

    ``known`` = (reformed, old) retirement dates already computed by the caller.
    """
    if known is not None:
        reformed, old = known
    else:
        reformed = retirement_dates(births, sexes, original_ages, reform=True)
        old = retirement_dates(births, sexes, original_ages, reform=False)
    before = first < pd.Timestamp(REFORM_START)
    return old.where(before, reformed)


def period_ends(
    rule: str,
    first: pd.Series,
    births: pd.Series,
    sexes: pd.Series,
    original_ages: pd.Series | None = None,
    *,
    local_years: int = 3,
    retirement: tuple[pd.Series, pd.Series] | None = None,
    explain: bool = True,
) -> tuple[pd.Series, pd.Series | None]:
    """Last day of entitlement per row, and a Chinese explanation per row.

    ``first`` is the first approval date (or the loan date for ``loan_term``).
    NaT where a needed value is missing (the explanation says which).
    """
    first = pd.to_datetime(first)
    if rule == "loan_term":
        end = add_months_series(first, 12 * LOAN_YEARS) - ONE_DAY
        text = pd.Series(
            f"贷款期限最长{LOAN_YEARS}年（LYG-2003 四(一)）", index=first.index, dtype=object
        )
        return end, text.where(first.notna(), "缺放贷日期")
    if rule not in RULES:
        raise InputError(f"未知的期限规则“{rule}”")
    if rule == "local":
        end = add_months_series(first, 12 * local_years) - ONE_DAY
        text = pd.Series(f"按当地参数补贴期限{local_years}年", index=first.index, dtype=object)
        return end, text.where(first.notna(), "缺初次核定日期，无法计算补贴期限")

    retire = _retirement(births, sexes, original_ages, first, retirement)
    horizon = add_months_series(first, 12 * NEAR_RETIREMENT_YEARS)
    law = pd.Series("2025年渐进式延迟退休办法", index=first.index, dtype=object).where(
        first >= pd.Timestamp(REFORM_START), "2025年前法定退休年龄"
    )
    if rule == "sx_public_welfare":
        near = retire < horizon  # 不足5年
        normal_end = add_months_series(first, 12 * local_years) - ONE_DAY
        normal_text = f"按当地参数补贴期限{local_years}年"
        clause = "SX-2008 三(四)"
        near_label = "距法定退休年龄不足5年"
    else:
        near = retire <= horizon  # 不足5年（含5年）
        normal_end = add_months_series(first, 12 * AH_YEARS) - ONE_DAY
        normal_text = f"最长{AH_YEARS}年"
        clause = "AH-2011 (八)"
        near_label = "初次核定时距法定退休年龄不足5年（含5年）"
    until_retirement = retire - ONE_DAY
    end = until_retirement.where(near, normal_end)
    missing = first.isna() | retire.isna()
    if not explain:
        return end.where(~missing), None
    retire_text = retire.dt.strftime("%Y-%m-%d").astype(object)
    text = (
        near_label + "，延长至退休（退休日期" + retire_text + "，按" + law + "）；" + clause
    ).where(
        near, "距法定退休年龄超过5年，" + normal_text + "（退休日期" + retire_text + "）；" + clause
    )
    text = text.where(~missing, "缺初次核定日期、出生日期或性别，无法计算补贴期限")
    return end.where(~missing), text


def period_end(
    rule: str,
    first: dt.date,
    birth: dt.date,
    sex: str,
    original_age: int | None = None,
    *,
    local_years: int = 3,
) -> tuple[dt.date, str]:
    """One person's last day of entitlement and the explanation."""
    ages = None if original_age is None else pd.Series([original_age])
    end, text = period_ends(
        rule,
        pd.Series([pd.Timestamp(first)]),
        pd.Series([pd.Timestamp(birth)]),
        pd.Series([sex], dtype=object),
        ages,
        local_years=local_years,
    )
    if pd.isna(end.iloc[0]):
        raise InputError(text.iloc[0])
    return end.iloc[0].date(), text.iloc[0]


def ah_4050_extension(
    *,
    certified_4050: dt.date | None,
    holds_card: bool | None,
    state_or_collective: bool | None,
    flexible_subsidy_start: dt.date | None,
    flexibly_employed: bool | None,
    pays_individually: bool | None,
    as_of: dt.date,
) -> tuple[bool, str]:
    """AH-2011 (八) special case: social-insurance subsidy extended until retirement.

    A state/collective-enterprise laid-off or unemployed person holding
    《再就业优惠证》, certified "4050" on or before 2008-12-31, who has had 3
    years of the flexible-employment social-insurance subsidy and is still in
    flexible employment paying contributions as an individual.  The text names
    the retirement ages of the time (男60周岁、女50周岁); the end date is
    computed with the law in force (see module docstring).
    """
    checks = [
        (
            certified_4050 is not None and certified_4050 <= AH_4050_CUTOFF,
            "2008年12月31日前认定为“4050”人员",
        ),
        (bool(holds_card), "持《再就业优惠证》"),
        (bool(state_or_collective), "国有集体企业下岗失业人员"),
        (
            flexible_subsidy_start is not None
            and add_years(flexible_subsidy_start, AH_YEARS) <= as_of,
            "灵活就业社会保险补贴已满3年",
        ),
        (bool(flexibly_employed), "仍处于灵活就业状态"),
        (bool(pays_individually), "以个人身份缴纳社会保险费"),
    ]
    failed = [label for ok, label in checks if not ok]
    if failed:
        return False, "不适用 AH-2011 (八) “4050”延长条款：不满足" + "、".join(failed)
    return True, "适用 AH-2011 (八)：" + "、".join(
        label for _, label in checks
    ) + "，社会保险补贴延长至退休"
