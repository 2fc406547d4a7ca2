"""Statutory retirement age and date (法定退休年龄).

Sources
-------
- 《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》
  (2024-09-13, in force 2025-01-01) and its 附件《国务院关于渐进式延迟法定退休年龄的
  办法》第一条 with 附件 对照表 1–3:

  ======================  ==============  ===========================  ========================
  group                   original age    first delayed birth month    cap (birth month from)
  ======================  ==============  ===========================  ========================
  男职工                   60              1965-01: +1 month per 4      63岁 (1976-09)
  原55周岁女职工 (干部)     55              1970-01: +1 month per 4      58岁 (1981-09)
  原50周岁女职工 (工人)     50              1975-01: +1 month per 2      55岁 (1984-11)
  ======================  ==============  ===========================  ========================

  e.g. men born 1965-01..1965-04 retire at 60岁1个月, 1965-05..08 at 60岁2个月.
- Before the reform (``reform=False``): 《国务院关于工人退休、退职的暂行办法》
  (国发〔1978〕104号) and 《国务院关于安置老弱病残干部的暂行办法》: men 60, women
  cadres 55, women workers 50.  Use it for periods fixed before 2025-01-01.

Flexible early/late retirement (弹性提前/延迟退休, 办法第二条) and special types of
work (特殊工种) are not modelled: the ledger has no data for them.

Default original age: the people in employment-assistance ledgers are mostly
laid-off enterprise workers, so a woman's original age defaults to 50; the
clerk passes ``original_age=55`` for women who held cadre or management posts
(管理、技术岗位).

Retirement date convention: birth date + retirement age in months, by
民法典第二百零一条 (no corresponding day → last day of that month): born
1965-01-31, 60岁1个月 → 2025-02-28.  Pensions start in the month after this
date; that is for the pension office, not computed here.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np
import pandas as pd

from calc import dates
from calc.errors import InputError

# (sex, original age) -> (first delayed birth month as (year, month), birth months per 1 month, cap in months)
_SCHEDULES: dict[tuple[str, int], tuple[tuple[int, int], int, int]] = {
    ("男", 60): ((1965, 1), 4, 36),
    ("女", 55): ((1970, 1), 4, 36),
    ("女", 50): ((1975, 1), 2, 60),
}
_DEFAULT_AGE = {"男": 60, "女": 50}
_SEX_WORDS = {"男": "男", "女": "女", "男性": "男", "女性": "女"}


def _sex(sex: Any) -> str:
    if isinstance(sex, str):
        k = sex.strip().replace("\u3000", "")
        if k in _SEX_WORDS:
            return _SEX_WORDS[k]
    if (
        sex is None
        or (isinstance(sex, float) and sex != sex)
        or (isinstance(sex, str) and not sex.strip())
    ):
        raise InputError("性别为空", value=sex)
    raise InputError(f"性别应为“男”或“女”，实为“{sex}”", value=sex)


def _original_age(sex: str, original_age: Any) -> int:
    if original_age is None or (isinstance(original_age, float) and original_age != original_age):
        return _DEFAULT_AGE[sex]
    try:
        f = float(original_age.strip() if isinstance(original_age, str) else original_age)
        if isinstance(original_age, bool) or not f.is_integer():
            raise ValueError
        age = int(f)
    except (TypeError, ValueError):
        raise InputError(
            f"原法定退休年龄应为整数，实为“{original_age}”", value=original_age
        ) from None
    if (sex, age) not in _SCHEDULES:
        allowed = "60" if sex == "男" else "50或55"
        raise InputError(
            f"{sex}职工的原法定退休年龄应为{allowed}周岁，实为{age}", value=original_age
        )
    return age


def _delay_months(year: Any, month: Any, start: tuple[int, int], per: int, cap: int) -> Any:
    """Delay in months for birth (year, month); works on ints and numpy arrays alike."""
    k = (year - start[0]) * 12 + (month - start[1])  # birth months since the first delayed one
    return np.clip(k // per + 1, 0, cap)


def retirement_age_months(
    birth: Any, sex: Any, original_age: int | None = None, *, reform: bool = True
) -> int:
    """Statutory retirement age in months (e.g. 60岁3个月 → 723).

    ``sex`` is "男"/"女"; ``original_age`` 60 (men), 50 or 55 (women), default
    60 for men and 50 for women (see module docstring).  Any other combination →
    InputError.  ``reform=False`` gives the age before 2025-01-01.
    """
    s = _sex(sex)
    age = _original_age(s, original_age)
    b = dates.to_date(birth)
    if not reform:
        return age * 12
    start, per, cap = _SCHEDULES[(s, age)]
    return age * 12 + int(_delay_months(b.year, b.month, start, per, cap))


def retirement_date(
    birth: Any, sex: Any, original_age: int | None = None, *, reform: bool = True
) -> _dt.date:
    """Date the statutory retirement age is reached: birth + age in months
    (民法典第二百零一条 month-end rule; see module docstring)."""
    months = retirement_age_months(birth, sex, original_age, reform=reform)
    return dates.add_months(birth, months)


def retirement_age_text(months: int) -> str:
    """723 → "60岁3个月"; 756 → "63岁"."""
    if isinstance(months, bool) or not isinstance(months, int | np.integer) or months < 0:
        raise InputError(f"退休年龄月数应为非负整数，实为“{months}”", value=months)
    y, m = divmod(int(months), 12)
    return f"{y}岁{m}个月" if m else f"{y}岁"


def months_to_retirement(
    birth: Any, sex: Any, on: Any, original_age: int | None = None, *, reform: bool = True
) -> int:
    """Whole months from ``on`` until the retirement date (:func:`calc.dates.months_between`);
    0 if already reached."""
    r = retirement_date(birth, sex, original_age, reform=reform)
    d = dates.to_date(on)
    if d >= r:
        return 0
    return dates.months_between(d, r)


def is_retired_on(
    birth: Any, sex: Any, on: Any, original_age: int | None = None, *, reform: bool = True
) -> bool:
    """True when ``on`` is on or after the retirement date."""
    return dates.to_date(on) >= retirement_date(birth, sex, original_age, reform=reform)


# ---------------------------------------------------------------------------
# vectorised


def retirement_table(
    births: pd.Series,
    sexes: pd.Series,
    original_ages: pd.Series | None = None,
    *,
    reform: bool = True,
    dates_only: bool = False,
) -> pd.DataFrame:
    """Vectorised :func:`retirement_age_months` and :func:`retirement_date`.

    Returns a DataFrame on ``births``' index with ``age_months`` (Int64),
    ``retirement_date`` (datetime64[ns]) and ``problem`` ("" when fine).
    ``original_ages`` may be None or contain NA (→ default per sex).
    Pure integer arithmetic on year/month columns.  ``dates_only``: just the
    ``retirement_date`` column, as a Series (what :func:`retirement_dates` gives).
    """
    b, bprob = dates.parse_dates(births)
    index = b.index
    sx = pd.Series(sexes).astype(object)
    sx.index = index
    codes, uniques = pd.factorize(sx.to_numpy(dtype=object), use_na_sentinel=True)
    table = np.array(
        [_SEX_WORDS.get(u.strip()) if isinstance(u, str) else None for u in uniques] + [None],
        dtype=object,
    )
    sx_norm = pd.Series(table[codes], index=index, dtype=object)
    problems = bprob.copy()
    bad_sex = sx_norm.isna() & (problems == "")
    if bad_sex.any():
        problems[bad_sex] = [_problem(lambda v=v: _sex(v)) for v in sx[bad_sex]]
    if original_ages is None:
        oa = pd.Series(np.nan, index=index)
    else:
        oa = pd.to_numeric(pd.Series(original_ages).set_axis(index), errors="coerce")
        raw_bad = oa.isna() & pd.Series(original_ages).set_axis(index).notna()
        oa[raw_bad] = -1.0
    is_m = (sx_norm == "男").to_numpy()
    is_f = (sx_norm == "女").to_numpy()
    oav = oa.to_numpy(dtype=np.float64)
    oav = np.where(np.isnan(oav), np.where(is_m, 60, 50), oav)
    (y, mo, _), nat = dates._ymd(b.to_numpy())
    y, mo = np.where(nat, 0, y), np.where(nat, 1, mo)
    months = np.full(len(b), -1, dtype=np.int64)
    for (sex, age), (start, per, cap) in _SCHEDULES.items():
        sel = (is_m if sex == "男" else is_f) & (oav == age)
        delay = _delay_months(y[sel], mo[sel], start, per, cap) if reform else 0
        months[sel] = age * 12 + delay
    bad_age = (months < 0) & (is_m | is_f) & (problems == "").to_numpy()
    for i in np.flatnonzero(bad_age):
        raw = None if original_ages is None else pd.Series(original_ages).iloc[i]
        problems.iloc[i] = _problem(lambda s=sx_norm.iloc[i], r=raw: _original_age(s, r))
    ok = (months >= 0) & (problems == "").to_numpy()
    age_months = pd.Series(pd.arrays.IntegerArray(np.where(ok, months, 0), ~ok), index=index)
    rdate = dates.add_months_series(b, pd.Series(np.where(ok, months, np.nan), index=index))
    rdate.name = "retirement_date"
    if dates_only:
        return rdate
    return pd.DataFrame({"age_months": age_months, "retirement_date": rdate, "problem": problems})


def retirement_dates(
    births: pd.Series,
    sexes: pd.Series,
    original_ages: pd.Series | None = None,
    *,
    reform: bool = True,
) -> pd.Series:
    """Vectorised :func:`retirement_date` (datetime64[ns]; NaT where the row has a
    problem — see :func:`retirement_table` for the reasons)."""
    return retirement_table(births, sexes, original_ages, reform=reform, dates_only=True)


def _problem(fn: Any) -> str:
    try:
        fn()
    except InputError as e:
        return e.message
    return "无法计算退休年龄"
