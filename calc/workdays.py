"""Working days (工作日) under the national holiday schedule with make-up days (调休).

Sources
-------
- 《全国年节及纪念日放假办法》(国务院令第798号修订, 2025-01-01) and the State
  Council General Office's yearly notice on the holiday schedule (国务院办公厅关于
  某年部分节假日安排的通知), which fixes the days off and the weekend days that
  are working days (调休上班).
- Data: the ``holidays`` package (``holidays.China``), which carries the notices
  year by year (``ChinaStaticHolidays.special_public_holidays``; make-up
  working days in ``weekend_workdays``).  For years after the last notice it
  knows (:data:`OFFICIAL_SCHEDULE_YEARS`) it computes holidays by rule and has no
  make-up days: such dates are estimates — pass ``corrections`` once the notice
  is out, or update the package.

A working day is (Monday–Friday and not a public holiday) or a make-up working
day; a local correction table (``corrections``: date → True for working day,
False for day off) overrides both.

Counting follows Excel: :func:`add_workdays` = WORKDAY (the start day is not
counted, ``n`` may be negative, ``n`` = 0 returns the start day unchanged);
:func:`workdays_between` = NETWORKDAYS (both ends counted, negative when end <
start).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from calc import dates
from calc.errors import InputError

MIN_YEAR = 1950
MAX_YEAR = 2100


@lru_cache(maxsize=1)
def _official_schedule_years() -> frozenset[int]:
    """The years for which the package holds the State Council's notice (the
    holidays data is loaded on first use, not when jyyz starts)."""
    try:
        from holidays.countries.china import ChinaStaticHolidays as _Static

        return frozenset(_Static.special_public_holidays)
    except Exception:  # pragma: no cover - package layout changed
        return frozenset()


def __getattr__(name: str):
    if name == "OFFICIAL_SCHEDULE_YEARS":
        return _official_schedule_years()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_TRUE_WORDS = {"上班", "工作", "工作日", "班", "是", "true", "1", "y", "yes", "√"}
_FALSE_WORDS = {"休息", "休", "休息日", "放假", "节假日", "假", "否", "false", "0", "n", "no", "×"}

Corrections = Mapping[_dt.date, bool]


def has_official_schedule(year: int) -> bool:
    """True if the holiday data for ``year`` comes from the State Council's notice."""
    return year in _official_schedule_years()


#: Working-day flags per year already computed (:func:`_year_flags`).
_FLAGS: dict[int, np.ndarray] = {}


def _year_flags(year: int) -> np.ndarray:
    """Boolean array, one per day of ``year``: working day by the national schedule."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InputError(f"工作日只能计算{MIN_YEAR}–{MAX_YEAR}年的日期，实为{year}年", value=year)
    flags = _FLAGS.get(year)
    if flags is None:
        _load_years([year])
        flags = _FLAGS[year]
    return flags


def _load_years(years) -> None:
    """Compute the flags of those of ``years`` not known yet, from one holidays
    calendar for all of them (a calendar per year costs several times more: the
    package's set-up is per call)."""
    wanted = sorted({y for y in years if MIN_YEAR <= y <= MAX_YEAR and y not in _FLAGS})
    if not wanted:
        return
    import holidays

    cn = holidays.China(years=wanted)
    flags: dict[int, np.ndarray] = {}
    for year in wanted:
        start = _dt.date(year, 1, 1)
        n = _dt.date(year, 12, 31).toordinal() - start.toordinal() + 1
        flags[year] = (np.arange(n) + start.weekday()) % 7 < 5  # Monday to Friday
    for days, working in ((cn, False), (getattr(cn, "weekend_workdays", ()), True)):
        # public holidays incl. substituted days off; then the make-up working days
        for d in days:
            if d.year in flags:
                flags[d.year][d.timetuple().tm_yday - 1] = working
    for year, f in flags.items():
        f.setflags(write=False)
        _FLAGS[year] = f


class _Calendar:
    """Sorted ordinals of working days over a span of years, grown on demand."""

    def __init__(self, corrections: Corrections | None):
        self.corr = {dates.to_date(k): bool(v) for k, v in (corrections or {}).items()}
        self.y0 = self.y1 = None
        self.ordinals = np.zeros(0, dtype=np.int64)

    def ensure(self, y0: int, y1: int) -> None:
        y0, y1 = max(y0, MIN_YEAR), min(y1, MAX_YEAR)
        if self.y0 is not None and self.y0 <= y0 and y1 <= self.y1:
            return
        if self.y0 is not None:
            y0, y1 = min(y0, self.y0), max(y1, self.y1)
        parts = []
        _load_years(range(y0, y1 + 1))
        for y in range(y0, y1 + 1):
            f = _year_flags(y).copy()
            base = _dt.date(y, 1, 1).toordinal()
            for d, w in self.corr.items():
                if d.year == y:
                    f[d.toordinal() - base] = w
            parts.append(np.flatnonzero(f) + base)
        self.ordinals = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        self.y0, self.y1 = y0, y1

    def is_workday(self, d: _dt.date) -> bool:
        if d in self.corr:
            return self.corr[d]
        return bool(_year_flags(d.year)[d.toordinal() - _dt.date(d.year, 1, 1).toordinal()])

    def add(self, start: np.ndarray, n: np.ndarray) -> np.ndarray:
        """start ordinals + n working days (vectorised WORKDAY); -1 when out of range."""
        if len(start) == 0:
            return start
        days = np.abs(n).max() * 7 // 5 + 60  # generous: long holidays
        lo = (
            _dt.date.fromordinal(int(start.min()) - int(days)).year
            if start.min() - days > 0
            else MIN_YEAR
        )
        hi_ord = int(start.max()) + int(days)
        hi = _dt.date.fromordinal(min(hi_ord, _dt.date(9999, 12, 31).toordinal())).year
        self.ensure(lo, hi)
        w = self.ordinals
        fwd = np.searchsorted(w, start, side="right") + n - 1
        back = np.searchsorted(w, start, side="left") + n
        idx = np.where(n > 0, fwd, back)
        inside = (idx >= 0) & (idx < len(w))
        out = np.where(inside, w[np.clip(idx, 0, max(len(w) - 1, 0))], -1)
        return np.where(n == 0, start, out)


#: The national calendar (no local corrections), shared by every call: it depends on
#: nothing but the holiday data, and only grows (ordinals are replaced, never edited).
_NATIONAL: _Calendar | None = None


def _calendar(corrections: Corrections | None) -> _Calendar:
    global _NATIONAL
    if corrections:
        return _Calendar(corrections)
    if _NATIONAL is None:
        _NATIONAL = _Calendar(None)
    return _NATIONAL


def is_workday(d: Any, corrections: Corrections | None = None) -> bool:
    """True if ``d`` is a working day (see module docstring)."""
    day = dates.to_date(d)
    return _calendar(corrections).is_workday(day)


def add_workdays(start: Any, n: int, corrections: Corrections | None = None) -> _dt.date:
    """Excel WORKDAY: the ``n``-th working day after (``n`` < 0: before) ``start``.

    ``start`` itself is not counted; ``n`` = 0 returns ``start`` even if it is a
    day off.  E.g. 2025-01-24 (Friday) + 1 → 2025-01-26 (Sunday, 调休上班).
    """
    s = dates.to_date(start)
    k = dates._as_int(n, "工作日天数")
    if k == 0:
        return s
    res = _calendar(corrections).add(np.array([s.toordinal()]), np.array([k]))[0]
    if res < 0:
        raise InputError(
            f"{dates.format_date_cn(s)}加{k}个工作日超出可计算范围（{MIN_YEAR}–{MAX_YEAR}年）",
            value=(start, n),
        )
    return _dt.date.fromordinal(int(res))


def workdays_between(start: Any, end: Any, corrections: Corrections | None = None) -> int:
    """Excel NETWORKDAYS: working days in [start, end], both ends counted;
    negative (−count of [end, start]) when ``end`` < ``start``."""
    s, e = dates.to_date(start), dates.to_date(end)
    sign = 1
    if e < s:
        s, e, sign = e, s, -1
    _year_flags(s.year), _year_flags(e.year)  # raise outside 1950–2100
    cal = _calendar(corrections)
    cal.ensure(s.year, e.year)
    w = cal.ordinals
    count = np.searchsorted(w, e.toordinal(), side="right") - np.searchsorted(
        w, s.toordinal(), side="left"
    )
    return sign * int(count)


# ---------------------------------------------------------------------------
# vectorised


def is_workday_series(series: pd.Series, corrections: Corrections | None = None) -> pd.Series:
    """Vectorised :func:`is_workday` (``boolean`` dtype; <NA> for missing dates
    or years outside 1950–2100)."""
    d = dates._as_datetime_series(series)
    vals = d.to_numpy()
    nat = np.isnat(vals)
    years = d.dt.year.to_numpy(dtype=np.float64, na_value=np.nan)
    usable = ~nat & (years >= MIN_YEAR) & (years <= MAX_YEAR)
    out = pd.array(np.zeros(len(d), dtype=bool), dtype="boolean")
    if usable.any():
        ords = (
            vals[usable].astype("datetime64[D]").astype(np.int64) + _dt.date(1970, 1, 1).toordinal()
        )
        cal = _calendar(corrections)
        cal.ensure(int(years[usable].min()), int(years[usable].max()))
        pos = np.searchsorted(cal.ordinals, ords)
        hit = (pos < len(cal.ordinals)) & (
            cal.ordinals[np.clip(pos, 0, len(cal.ordinals) - 1)] == ords
        )
        out[np.flatnonzero(usable)] = hit
    out[~usable] = pd.NA
    return pd.Series(out, index=d.index)


def add_workdays_series(
    series: pd.Series, n: int | pd.Series, corrections: Corrections | None = None
) -> pd.Series:
    """Vectorised :func:`add_workdays` (datetime64[ns]; NaT for missing input or
    results outside 1950–2100)."""
    d = dates._as_datetime_series(series)
    vals = d.to_numpy()
    if isinstance(n, pd.Series):
        nn = pd.to_numeric(n, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        nn = np.full(len(d), float(dates._as_int(n, "工作日天数")))
    years = d.dt.year.to_numpy(dtype=np.float64, na_value=np.nan)
    usable = ~np.isnat(vals) & np.isfinite(nn) & (years >= MIN_YEAR) & (years <= MAX_YEAR)
    out = np.full(len(d), np.datetime64("NaT"), dtype="datetime64[ns]")
    if usable.any():
        epoch = _dt.date(1970, 1, 1).toordinal()
        ords = vals[usable].astype("datetime64[D]").astype(np.int64) + epoch
        res = _calendar(corrections).add(ords, nn[usable].astype(np.int64))
        ok = res >= 0
        r = np.full(len(res), np.datetime64("NaT"), dtype="datetime64[ns]")
        r[ok] = (res[ok] - epoch).astype("datetime64[D]").astype("datetime64[ns]")
        out[usable] = r
    return pd.Series(out, index=d.index)


# ---------------------------------------------------------------------------
# correction table from the workbook


def _parse_flag(value: Any, row_no: int) -> bool:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower() if value is not None else ""
    if text in _TRUE_WORDS:
        return True
    if text in _FALSE_WORDS:
        return False
    if not text:
        raise InputError(
            f"工作日调整表第{row_no}行：“是否工作日”为空（应填上班或休息）", value=value
        )
    raise InputError(
        f"工作日调整表第{row_no}行：“是否工作日”应为上班/休息（或是/否），实为“{value}”",
        value=value,
    )


def corrections_from_rows(
    rows: Iterable[Sequence[Any]], *, date1904: bool = False
) -> dict[_dt.date, bool]:
    """Parse a 2-column range (日期, 是否工作日) into a correction table.

    The second column takes 上班/工作日/是/TRUE/1 (working day) or
    休息/放假/否/FALSE/0 (day off).  Rows that are entirely empty are skipped; a
    first row whose first cell is text containing "日期" is taken as a header.
    A date listed twice with different values is an error.  Errors name the
    row (1-based, counting the header).
    """
    out: dict[_dt.date, bool] = {}
    for i, row in enumerate(rows, start=1):
        cells = list(row) if row is not None else []
        cells += [None] * (2 - len(cells))
        a, b = cells[0], cells[1]
        blank_a = (
            a is None or (isinstance(a, float) and a != a) or (isinstance(a, str) and not a.strip())
        )
        blank_b = (
            b is None or (isinstance(b, float) and b != b) or (isinstance(b, str) and not b.strip())
        )
        if blank_a and blank_b:
            continue
        if i == 1 and isinstance(a, str) and "日期" in a:
            continue
        try:
            d = dates.to_date(a, date1904=date1904)
        except InputError as e:
            raise InputError(f"工作日调整表第{i}行：{e.message}", value=a) from None
        flag = _parse_flag(b, i)
        if d in out and out[d] != flag:
            raise InputError(
                f"工作日调整表第{i}行：{dates.format_date_cn(d)}重复出现且取值矛盾", value=row
            )
        out[d] = flag
    return out


# ---------------------------------------------------------------------------
# rest-day roll-forward and estimates


def next_workday(d: Any, corrections: Corrections | None = None) -> _dt.date:
    """``d`` if it is a working day, else the next working day (民法典第二百零三条)."""
    day = dates.to_date(d)
    if is_workday(day, corrections):
        return day
    return add_workdays(day, 1, corrections)


def next_workdays(days: Sequence[_dt.date], corrections: Corrections | None = None) -> list:
    """:func:`next_workday` of many dates at once (the same answers and errors): the
    first working day on or after each, looked up in one sorted array."""
    if not len(days):
        return []
    days = [d if type(d) is _dt.date else dates.to_date(d) for d in days]
    ords = np.array([d.toordinal() for d in days], dtype=np.int64)
    years = np.array([d.year for d in days], dtype=np.int64)
    inside = (years >= MIN_YEAR) & (years <= MAX_YEAR)
    out: list = [None] * len(days)
    if inside.any():
        cal = _calendar(corrections)
        cal.ensure(int(years[inside].min()), int(years[inside].max()) + 1)
        w = cal.ordinals
        pos = np.searchsorted(w, ords, side="left")
        found = inside & (pos < len(w))
        hit = w[np.minimum(pos, len(w) - 1)] if len(w) else ords
        for i in np.flatnonzero(found).tolist():
            d = days[i]
            o = int(hit[i])
            out[i] = d if o == ords[i] else _dt.date.fromordinal(o)
    for i, value in enumerate(out):
        if value is None:  # out of the calendar's years: the scalar function says why
            out[i] = next_workday(days[i], corrections)
    return out


def estimated_years(*days: Any, corrections: Corrections | None = None) -> list[int]:
    """Years among ``days`` (and the years between them) after the last official
    schedule, unless the correction table lists dates of that year."""
    present = [dates.to_date(d) for d in days if d is not None and not pd.isna(d)]
    official = _official_schedule_years()
    if not present or not official:
        return []
    last = max(official)
    lo, hi = min(x.year for x in present), max(x.year for x in present)
    corrected = {d.year for d in (corrections or {})}
    return [y for y in range(max(lo, last + 1), hi + 1) if y not in corrected]


def estimate_note(*days: Any, corrections: Corrections | None = None) -> str:
    """ "2027年放假安排尚未公布，按规则推算" when a result depends on working days of a
    year whose State Council notice the holiday data does not hold yet; else ""."""
    if not corrections and all(isinstance(d, _dt.date) for d in days):
        return _national_estimate_note(tuple(sorted({d.year for d in days})))
    return _note(estimated_years(*days, corrections=corrections))


@lru_cache(maxsize=1024)
def _national_estimate_note(years: tuple[int, ...]) -> str:
    """:func:`estimate_note` without corrections: it depends on the days' years alone."""
    return _note(estimated_years(*(_dt.date(y, 1, 1) for y in years)))


def _note(years: list[int]) -> str:
    if not years:
        return ""
    shown = "、".join(f"{y}年" for y in years)
    return f"{shown}放假安排尚未公布，按规则推算"
