"""Dates as clerks type them, Excel serial numbers, ages and periods.

Sources
-------
- 《中华人民共和国民法典》第二百零一条：按照年、月、日、小时计算期间的，开始的
  当日不计入……；第二百零三条……。按照年、月计算期间的，到期月的对应日为期间的
  最后一日；没有对应日的，月末日为期间的最后一日。  -> :func:`add_months`.
- 周岁 (full years of age): 《最高人民法院关于审理未成年人刑事案件具体应用法律若干
  问题的解释》第二条 — "周岁，按照公历的年、月、日计算，从周岁生日的第二天起算";
  for civil and labour purposes (and here) a person is N full years old *on* the
  N-th birthday.  See :func:`age_on` for 29 February.
- GB/T 9704-2012《党政机关公文格式》7.3.5.3：成文日期用阿拉伯数字将年、月、日标全，
  年份应标全称，月、日不编虚位（即 1 不编为 01）。 -> :func:`format_date_cn`.
- Excel date serials: 1900 date system (serial 1 = 1900-01-01, with Lotus 1-2-3's
  fictitious 1900-02-29 as serial 60) and 1904 date system (serial 0 =
  1904-01-01), ECMA-376 Part 1 §18.17.4.

Only years 1900–2199 are accepted (:data:`MIN_YEAR`, :data:`MAX_YEAR`): earlier or
later years in a ledger are typing errors, and pandas' ``datetime64[ns]`` cannot
represent years after 2262 anyway.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from calc.errors import InputError
from calc.text_columns import repeated

MIN_YEAR = 1900
MAX_YEAR = 2199

_EPOCH_1900_LOW = _dt.date(1899, 12, 31)  # serials 1..59
_EPOCH_1900 = _dt.date(1899, 12, 30)  # serials 61..
_EPOCH_1904 = _dt.date(1904, 1, 1)
_MAX_SERIAL_1900 = (_dt.date(MAX_YEAR, 12, 31) - _EPOCH_1900).days
_MAX_SERIAL_1904 = (_dt.date(MAX_YEAR, 12, 31) - _EPOCH_1904).days

_EMPTY = "日期为空"

# ---------------------------------------------------------------------------
# text patterns (applied after NFKC normalisation, which turns full-width
# digits, "／", "－", "．" and U+3000 into their ASCII forms)
_TIME = r"(?:(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_RE_SEP = re.compile(r"(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})" + _TIME)
_RE_CN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_RE_8 = re.compile(r"(\d{4})(\d{2})(\d{2})" + _TIME)
_RE_MONTH = re.compile(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?|(\d{4})(\d{2})")

# the same, as pandas str.extract patterns (each yields year, month, day)
_VEC_PATTERNS = (
    ("^" + _RE_SEP.pattern + "$", (0, 2, 3)),
    ("^" + _RE_CN.pattern + "$", (0, 1, 2)),
    ("^" + _RE_8.pattern + "$", (0, 1, 2)),
)


def _quote(value: Any) -> str:
    return f"“{value}”"


def _check_ymd(y: int, m: int, d: int, shown: str) -> _dt.date:
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise InputError(
            f"{_quote(shown)}不是有效日期（年份应在{MIN_YEAR}–{MAX_YEAR}之间）", value=shown
        )
    if not 1 <= m <= 12:
        raise InputError(f"{_quote(shown)}不是有效日期（月份应为1–12）", value=shown)
    last = calendar.monthrange(y, m)[1]
    if d < 1:
        raise InputError(f"{_quote(shown)}不是有效日期（日不能为0）", value=shown)
    if d > last:
        raise InputError(f"{_quote(shown)}不是有效日期（{y}年{m}月只有{last}天）", value=shown)
    return _dt.date(y, m, d)


def _from_serial(serial: float, date1904: bool, shown: Any) -> _dt.date:
    if serial != serial:  # NaN
        raise InputError(_EMPTY, value=shown)
    if serial in (float("inf"), float("-inf")):
        raise InputError(f"{_quote(shown)}无法识别为日期", value=shown)
    n = int(np.floor(serial))  # a fractional serial is a time of day: drop it
    if date1904:
        if not 0 <= n <= _MAX_SERIAL_1904:
            raise InputError(
                f"数字{_quote(shown)}不是有效的Excel日期序列号（1904日期系统应为0–{_MAX_SERIAL_1904}）",
                value=shown,
            )
        return _EPOCH_1904 + _dt.timedelta(days=n)
    if n == 60:
        raise InputError(
            "Excel日期序列号60对应不存在的1900年2月29日（Excel沿用Lotus 1-2-3的错误），请改为实际日期",
            value=shown,
        )
    if not 1 <= n <= _MAX_SERIAL_1900:
        raise InputError(
            f"数字{_quote(shown)}不是有效的Excel日期序列号（应为1–{_MAX_SERIAL_1900}）", value=shown
        )
    if n < 60:
        return _EPOCH_1900_LOW + _dt.timedelta(days=n)
    return _EPOCH_1900 + _dt.timedelta(days=n)


def _from_text(text: str, allow_month: bool) -> _dt.date:
    shown = text.strip().strip("\u3000")
    s = unicodedata.normalize("NFKC", text).strip()
    if not s:
        raise InputError(_EMPTY, value=text)
    for rx in (_RE_SEP, _RE_CN, _RE_8):
        m = rx.fullmatch(s)
        if m:
            g = [x for x in m.groups() if x is not None and x not in "-/."]
            return _check_ymd(int(g[0]), int(g[1]), int(g[2]), shown)
    m = _RE_MONTH.fullmatch(s)
    if m:
        y, mo = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if not allow_month:
            raise InputError(f"{_quote(shown)}只有年月，缺少日", value=text)
        return _check_ymd(int(y), int(mo), 1, shown)
    raise InputError(f"{_quote(shown)}无法识别为日期", value=text)


def to_date(value: Any, *, date1904: bool = False, allow_month: bool = False) -> _dt.date:
    """Convert one cell value to a :class:`datetime.date`.

    Accepted:

    - ``date``, ``datetime`` (time dropped), ``pandas.Timestamp``, ``numpy.datetime64``;
    - numbers: Excel date serials.  1900 system (default): serial 1 = 1900-01-01,
      59 = 1900-02-28, 60 = the non-existent 1900-02-29 (rejected), 61 = 1900-03-01,
      45000 = 2023-03-15.  1904 system (``date1904=True``): serial 0 = 1904-01-01.
      A fraction (time of day) is dropped.  An integer of 8 digits (``19700503``,
      as Excel stores a date typed without separators) cannot be a serial (the
      largest serial for 2199-12-31 has 6 digits) and is read as yyyymmdd;
    - text: "1970-05-03", "1970/5/3", "1970.5.3", "19700503", "1970年5月3日",
      "1970年5月3号", "1970-05-03 00:00:00" (time dropped), with spaces and
      full-width digits.  Numeric text that is not 8 digits (e.g. "45000") is not
      a serial and is rejected.
    - year and month only ("1970年5月", "1970-05", "1970.05", "197005"): rejected
      unless ``allow_month=True``, then the first day of the month.

    Raises :class:`~calc.errors.InputError` with a Chinese message naming the value.
    """
    if value is None or value is pd.NaT or value is pd.NA:
        raise InputError(_EMPTY, value=value)
    if isinstance(value, pd.Timestamp):
        d = value.date()
        return _check_ymd(d.year, d.month, d.day, str(d))
    if isinstance(value, _dt.datetime):
        d = value.date()
        return _check_ymd(d.year, d.month, d.day, str(d))
    if isinstance(value, _dt.date):
        return _check_ymd(value.year, value.month, value.day, str(value))
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise InputError(_EMPTY, value=value)
        d = pd.Timestamp(value).date()
        return _check_ymd(d.year, d.month, d.day, str(d))
    if value is pd.NaT:
        raise InputError(_EMPTY, value=value)
    if isinstance(value, bool | np.bool_):
        raise InputError(f"{_quote(value)}无法识别为日期", value=value)
    if isinstance(value, int | np.integer):
        n = int(value)
        if 10_000_000 <= n <= 99_999_999:
            return _check_ymd(n // 10000, n // 100 % 100, n % 100, str(n))
        return _from_serial(float(n), date1904, value)
    if isinstance(value, float | np.floating):
        f = float(value)
        if f == f and f.is_integer() and 10_000_000 <= f <= 99_999_999:
            n = int(f)
            return _check_ymd(n // 10000, n // 100 % 100, n % 100, str(n))
        shown = int(f) if f == f and f.is_integer() else value
        return _from_serial(f, date1904, shown)
    if isinstance(value, str):
        return _from_text(value, allow_month)
    raise InputError(f"{_quote(value)}无法识别为日期", value=value)


# ---------------------------------------------------------------------------
# vectorised


def _days_in_month(month_index: np.ndarray) -> np.ndarray:
    """Days in month for months counted from 1970-01 (numpy datetime64[M] ints)."""
    ms = month_index.astype("datetime64[M]")
    return ((ms + 1).astype("datetime64[D]") - ms.astype("datetime64[D]")).astype(np.int64)


def _ymd_to_datetime64(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Already valid int arrays -> datetime64[ns]."""
    mi = (y - 1970) * 12 + (m - 1)
    return (mi.astype("datetime64[M]").astype("datetime64[D]") + (d - 1)).astype("datetime64[ns]")


def _serials_vec(values: np.ndarray, date1904: bool) -> tuple[np.ndarray, np.ndarray]:
    """float array -> (datetime64[ns] array, ok mask).  Rows not ok need the scalar path."""
    v = values.astype(np.float64)
    finite = np.isfinite(v)
    n = np.floor(np.where(finite, v, 0)).astype(np.int64)
    eight = finite & (v == n) & (n >= 10_000_000) & (n <= 99_999_999)
    if date1904:
        ok = finite & (n >= 0) & (n <= _MAX_SERIAL_1904) & ~eight
        days = n + (_EPOCH_1904 - _dt.date(1970, 1, 1)).days
    else:
        ok = finite & (n >= 1) & (n <= _MAX_SERIAL_1900) & (n != 60) & ~eight
        base = np.where(n < 60, _EPOCH_1900_LOW.toordinal(), _EPOCH_1900.toordinal())
        days = n + base - _dt.date(1970, 1, 1).toordinal()
    out = np.where(ok, days, 0).astype("datetime64[D]").astype("datetime64[ns]")
    out[~ok] = np.datetime64("NaT")
    # 8-digit integers are yyyymmdd
    if eight.any():
        y, m, d = n // 10000, n // 100 % 100, n % 100
        valid = eight & _valid_ymd(y, m, d)
        if valid.any():
            out[valid] = _ymd_to_datetime64(y[valid], m[valid], d[valid])
        ok = ok | valid
    return out, ok


def _valid_ymd(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    ok = (y >= MIN_YEAR) & (y <= MAX_YEAR) & (m >= 1) & (m <= 12) & (d >= 1)
    mi = np.where(ok, (y - 1970) * 12 + (m - 1), 0)
    return ok & (d <= _days_in_month(mi))


def _strings_vec(strings: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """object Series of str -> (datetime64[ns], ok).  Only the common full-date forms."""
    s = strings.str.normalize("NFKC").str.strip()
    n = len(s)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    ok = np.zeros(n, dtype=bool)
    for pat, cols in _VEC_PATTERNS:
        todo = ~ok
        if not todo.any():
            break
        parts = s[todo].str.extract(pat)
        hit = parts[0].notna().to_numpy()
        if not hit.any():
            continue
        p = parts[hit]
        y, m, d = (p[c].astype(np.int64).to_numpy() for c in cols)
        good = _valid_ymd(y, m, d)
        pos = np.flatnonzero(todo)[hit][good]
        out[pos] = _ymd_to_datetime64(y[good], m[good], d[good])
        ok[pos] = True
    return out, ok


def parse_dates(
    series: pd.Series | Any, *, date1904: bool = False, allow_month: bool = False
) -> tuple[pd.Series, pd.Series]:
    """Vectorised :func:`to_date` over a column.

    Returns ``(dates, problems)``: ``dates`` is ``datetime64[ns]`` (NaT where the
    cell is empty or wrong), ``problems`` the Chinese message of :func:`to_date`
    for that row, "" when fine.  Never raises for a bad cell.

    Datetime and numeric columns are converted with numpy; an object column is
    factorised first, the common text forms of its distinct values are parsed
    with pandas string operations, and only the rest (date objects, rare forms,
    errors) go through :func:`to_date` once per distinct value.
    """
    s = series if isinstance(series, pd.Series) else pd.Series(series)
    index = s.index
    n = len(s)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        v = pd.Series(_days_ns(s), index=index)
        out = v.to_numpy().copy()
        years = out.astype("datetime64[Y]").astype(np.int64) + 1970  # NaT rows: masked below
        problems = np.full(n, "", dtype=object)
        nat = np.isnat(out)
        problems[nat] = _EMPTY
        bad = ~nat & ((years < MIN_YEAR) | (years > MAX_YEAR))
        for i in np.flatnonzero(bad):
            problems[i] = (
                f"{_quote(str(v.iloc[i].date()))}不是有效日期（年份应在{MIN_YEAR}–{MAX_YEAR}之间）"
            )
            out[i] = np.datetime64("NaT")
        return pd.Series(out, index=index), pd.Series(problems, index=index, dtype=object)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        values = s.to_numpy(dtype=np.float64, na_value=np.nan)
        out, ok = _serials_vec(values, date1904)
        problems = np.full(n, "", dtype=object)
        rest = np.flatnonzero(~ok)
        if len(rest):
            sub = pd.Series(values[rest])
            codes, uniques = pd.factorize(sub, use_na_sentinel=True)
            msgs = [_scalar_problem(u, date1904, allow_month)[1] for u in uniques]
            for j, i in enumerate(rest):
                problems[i] = _EMPTY if codes[j] < 0 else msgs[codes[j]]
        return pd.Series(out, index=index), pd.Series(problems, index=index, dtype=object)

    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    u = pd.Series(uniques, dtype=object)
    u_out = np.full(len(u), np.datetime64("NaT"), dtype="datetime64[ns]")
    u_prob = np.full(len(u), "", dtype=object)
    is_str = np.fromiter((type(x) is str for x in uniques), dtype=bool, count=len(uniques))
    done = np.zeros(len(u), dtype=bool)
    if is_str.any():
        sv_out, sv_ok = _strings_vec(u[is_str])
        pos = np.flatnonzero(is_str)
        u_out[pos[sv_ok]] = sv_out[sv_ok]
        done[pos[sv_ok]] = True
    for i in np.flatnonzero(~done):
        val, msg = _scalar_problem(uniques[i], date1904, allow_month)
        u_out[i] = val
        u_prob[i] = msg
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    problems = repeated(_EMPTY, n)
    has = codes >= 0
    out[has] = u_out[codes[has]]
    problems[has] = u_prob[codes[has]]
    return pd.Series(out, index=index), pd.Series(problems, index=index, dtype=object)


def _scalar_problem(value: Any, date1904: bool, allow_month: bool) -> tuple[np.datetime64, str]:
    try:
        d = to_date(value, date1904=date1904, allow_month=allow_month)
    except InputError as e:
        return np.datetime64("NaT"), e.message
    return np.datetime64(d, "ns"), ""


def _days_ns(s: pd.Series) -> np.ndarray:
    """A datetime column as day-precision ``datetime64[ns]`` values (time of day dropped,
    a time zone's local date kept), with numpy: the same values as
    ``s.dt.floor("D")`` at a fraction of its cost on short columns."""
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_localize(None)
    return s.to_numpy().astype("datetime64[D]").astype("datetime64[ns]")


def _as_datetime_series(values: pd.Series | Any) -> pd.Series:
    s = values if isinstance(values, pd.Series) else pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return pd.Series(_days_ns(s), index=s.index, name=s.name)
    return parse_dates(s)[0]


# ---------------------------------------------------------------------------
# ages


def age_on(birth: Any, on: Any) -> int:
    """Age in full years (周岁) of a person born on ``birth`` on the day ``on``.

    A person is N full years old from the N-th birthday on.  Someone born on
    29 February has, in a common year, no birthday of that date; the birthday is
    reached on 1 March (not on 28 February) — the same result as 民法典第二百零一条
    applied to "N years after birth": the period ends with the last day of February,
    and the new age begins the next day.  So born 2000-02-29: on 2023-02-28 aged 22,
    on 2023-03-01 aged 23, on 2024-02-29 aged 24.

    ``birth`` and ``on`` go through :func:`to_date`.  ``on`` before ``birth`` →
    :class:`~calc.errors.InputError`.
    """
    b = to_date(birth)
    d = to_date(on)
    if d < b:
        raise InputError(
            f"计算年龄的日期{format_date_cn(d)}早于出生日期{format_date_cn(b)}", value=(birth, on)
        )
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


def ages_on(births: pd.Series, on: Any) -> pd.Series:
    """Vectorised :func:`age_on`: full years as ``Int64``.

    ``on`` is one date or a Series aligned with ``births``.  <NA> where the birth
    date or ``on`` is missing/unreadable or ``on`` is before the birth date (use
    :func:`parse_dates` to get the reasons).
    """
    b = _as_datetime_series(births)
    (by, bm, bd), unknown = _ymd(b.to_numpy())
    name = b.name
    if isinstance(on, pd.Series):
        o = _as_datetime_series(on)
        (oy, om, od), o_unknown = _ymd(o.to_numpy())
        unknown = unknown | o_unknown
        name = name if o.name == name else None
    else:
        od_ = to_date(on)
        oy, om, od = od_.year, od_.month, od_.day
    age = oy - by - ((om * 100 + od) < (bm * 100 + bd))
    unknown = unknown | (age < 0)
    values = np.where(unknown, 0, age).astype(np.int64)
    return pd.Series(pd.arrays.IntegerArray(values, unknown), index=b.index, name=name)


def _ymd(values: np.ndarray) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], np.ndarray]:
    """(year, month, day) integer arrays of ``datetime64`` values, and the NaT mask
    (whose rows hold 2000-01-01)."""
    nat = np.isnat(values)
    safe = np.where(nat, np.datetime64("2000-01-01", "ns"), values)
    months = safe.astype("datetime64[M]")
    year = months.astype(np.int64) // 12 + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (safe.astype("datetime64[D]") - months.astype("datetime64[D]")).astype(np.int64) + 1
    return (year, month, day), nat


# ---------------------------------------------------------------------------
# months and years (民法典第二百零一条)


def add_months(d: Any, n: int) -> _dt.date:
    """The date ``n`` calendar months after (``n`` < 0: before) ``d``.

    民法典第二百零一条第二款: the corresponding day of the final month; if that
    month has no such day, its last day.  2025-01-31 + 1 month = 2025-02-28;
    2024-01-31 + 1 = 2024-02-29; 2025-03-31 − 1 = 2025-02-28.
    """
    base = to_date(d)
    n = _as_int(n, "月数")
    total = base.year * 12 + (base.month - 1) + n
    y, m = divmod(total, 12)
    m += 1
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise InputError(
            f"{format_date_cn(base)}加{n}个月超出可用年份（{MIN_YEAR}–{MAX_YEAR}）", value=d
        )
    return _dt.date(y, m, min(base.day, calendar.monthrange(y, m)[1]))


def add_years(d: Any, n: int) -> _dt.date:
    """The date ``n`` years after ``d`` (民法典第二百零一条: 29 February + 1 year = 28 February)."""
    return add_months(d, _as_int(n, "年数") * 12)


def add_months_series(series: pd.Series, n: int | pd.Series) -> pd.Series:
    """Vectorised :func:`add_months` (same month-end rule); NaT stays NaT.

    ``n`` is one integer or an integer Series aligned with ``series`` (NA → NaT).
    Results outside 1900–2199 become NaT.
    """
    s = _as_datetime_series(series)
    vals = s.to_numpy()
    nat = np.isnat(vals)
    if isinstance(n, pd.Series):
        nn = pd.to_numeric(n, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        nat = nat | ~np.isfinite(nn)
        nn = np.where(np.isfinite(nn), nn, 0).astype(np.int64)
    else:
        nn = np.int64(_as_int(n, "月数"))
    safe = np.where(nat, np.datetime64("2000-01-01", "ns"), vals)
    mi = safe.astype("datetime64[M]").astype(np.int64)
    day = (
        safe.astype("datetime64[D]") - safe.astype("datetime64[M]").astype("datetime64[D]")
    ).astype(np.int64) + 1
    new_mi = mi + nn
    year = new_mi // 12 + 1970
    nat = nat | (year < MIN_YEAR) | (year > MAX_YEAR)
    new_mi = np.where(nat, 0, new_mi)
    nd = np.minimum(day, _days_in_month(new_mi))
    out = (new_mi.astype("datetime64[M]").astype("datetime64[D]") + (nd - 1)).astype(
        "datetime64[ns]"
    )
    out[nat] = np.datetime64("NaT")
    return pd.Series(out, index=s.index)


def span_end_series(starts: pd.Series, months: int | pd.Series) -> pd.Series:
    """The last day of a period of ``months`` months begun on ``starts`` (民法典第二百零二条).

    The one span function of the engine: "N个月" / "N年" (N×12 months) ends on
    the corresponding day of the final month, or that month's last day when it
    has no such day.  Every "失业一年以上", "半年", "3年", loan term and
    entitlement period is measured with it (or with :func:`months_completed_series`,
    its inverse).
    """
    return add_months_series(starts, months)


def span_reached_series(starts: pd.Series, months: int | pd.Series, on: Any) -> pd.Series:
    """``months`` months have run from ``starts`` by ``on`` (boolean; NA where a date is missing)."""
    end = span_end_series(starts, months)
    when = (
        _as_datetime_series(on).set_axis(end.index)
        if isinstance(on, pd.Series)
        else (pd.Timestamp(to_date(on)))
    )
    return (end <= when).astype("boolean").where(end.notna())


def months_completed_series(starts: pd.Series, on: Any) -> pd.Series:
    """Vectorised :func:`months_between` (``Int64``; NA when a date is missing or ``on`` is earlier)."""
    s = _as_datetime_series(starts)
    (sy, sm, _), unknown = _ymd(s.to_numpy())
    if isinstance(on, pd.Series):
        o = _as_datetime_series(on).to_numpy()
        (oy, om, _), o_unknown = _ymd(o)
        unknown = unknown | o_unknown
    else:
        day = to_date(on)
        o = np.datetime64(day, "ns")
        oy, om = day.year, day.month
    n = np.where(unknown, 0, (oy - sy) * 12 + (om - sm))
    # One month fewer where the last month has not run to its day yet (NaT compares False).
    reached = add_months_series(s, pd.Series(pd.arrays.IntegerArray(n, unknown), index=s.index))
    n = n - (reached.to_numpy() > o)
    unknown = unknown | (n < 0)
    return pd.Series(pd.arrays.IntegerArray(np.where(unknown, 0, n), unknown), index=s.index)


def months_between(start: Any, end: Any) -> int:
    """Whole months from ``start`` to ``end``: the largest n with
    ``add_months(start, n) <= end`` (民法典第二百零一条 month-end rule).

    2025-01-15 → 2025-03-14: 1; → 2025-03-15: 2.  2025-01-31 → 2025-02-28: 1
    (Excel's DATEDIF gives 0 there; the Civil Code counts the month as complete).
    ``end`` before ``start`` → InputError.
    """
    s, e = to_date(start), to_date(end)
    if e < s:
        raise InputError(
            f"结束日期{format_date_cn(e)}早于开始日期{format_date_cn(s)}", value=(start, end)
        )
    n = (e.year - s.year) * 12 + (e.month - s.month)
    if add_months(s, n) > e:
        n -= 1
    return n


def month_span(start: Any, end: Any) -> int:
    """Number of calendar months touched by the closed interval [start, end].

    Used for subsidy months counted per calendar month: 2025-01-31 → 2025-02-01
    spans 2 months; 2025-03-05 → 2025-03-20 spans 1.  ``end`` before ``start`` →
    InputError.
    """
    s, e = to_date(start), to_date(end)
    if e < s:
        raise InputError(
            f"结束日期{format_date_cn(e)}早于开始日期{format_date_cn(s)}", value=(start, end)
        )
    return (e.year - s.year) * 12 + (e.month - s.month) + 1


def month_spans(starts: pd.Series, ends: pd.Series) -> pd.Series:
    """Vectorised :func:`month_span` (``Int64``; <NA> when a date is missing or end < start)."""
    s = _as_datetime_series(starts)
    e = _as_datetime_series(ends)
    e.index = s.index
    span = (e.dt.year - s.dt.year) * 12 + (e.dt.month - s.dt.month) + 1
    span = span.astype("Int64")
    return span.mask(e < s)


# ---------------------------------------------------------------------------
# formatting


def format_date_cn(d: Any) -> str:
    """ "2026年11月22日": GB/T 9704-2012 7.3.5.3 (Arabic numerals, no leading zeros)."""
    x = to_date(d)
    return f"{x.year}年{x.month}月{x.day}日"


def format_date_iso(d: Any) -> str:
    """ "2026-11-22" (GB/T 7408 / ISO 8601 extended format)."""
    return to_date(d).isoformat()


def _as_int(n: Any, what: str) -> int:
    if isinstance(n, bool):
        raise InputError(f"{what}应为整数，实为{_quote(n)}", value=n)
    if isinstance(n, int | np.integer):
        return int(n)
    if isinstance(n, float | np.floating) and float(n).is_integer():
        return int(n)
    raise InputError(f"{what}应为整数，实为{_quote(n)}", value=n)


def iso_dates(values: pd.Series) -> pd.Series:
    """``values.dt.strftime("%Y-%m-%d")`` as object texts (NaN where NaT), each
    distinct date formatted once: a ledger repeats a few thousand dates over
    many rows."""
    days = pd.to_datetime(values)
    codes, uniques = pd.factorize(days)
    out = np.full(len(days), np.nan, dtype=object)
    ok = codes >= 0
    if ok.any():
        table = np.asarray(pd.DatetimeIndex(uniques).strftime("%Y-%m-%d"), dtype=object)
        out[ok] = table[codes[ok]]
    return pd.Series(out, index=values.index, dtype=object)
