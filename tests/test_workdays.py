"""Tests for calc.workdays with the State Council's 2025 and 2026 holiday notices.

2025 (国办发明电〔2024〕12号): 春节 1月28日–2月4日 休, 1月26日(周日)、2月8日(周六)上班;
劳动节 5月1日–5日 休, 4月27日(周日)上班; 国庆中秋 10月1日–8日 休, 9月28日(周日)、
10月11日(周六)上班.  2026: 元旦 1月1日–3日 休, 1月4日(周日)上班; 春节 2月15日–23日
休, 2月14日(周六)、2月28日(周六)上班; 劳动节 5月1日–5日 休, 5月9日(周六)上班;
国庆 10月1日–7日 休, 9月20日(周日)、10月10日(周六)上班.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from calc.errors import InputError
from calc.workdays import (
    add_workdays,
    add_workdays_series,
    corrections_from_rows,
    has_official_schedule,
    is_workday,
    is_workday_series,
    workdays_between,
)

D = dt.date


@pytest.mark.parametrize(
    "day, expected",
    [
        (D(2025, 1, 26), True),  # Sunday, make-up working day
        (D(2025, 2, 8), True),  # Saturday, make-up working day
        (D(2025, 1, 25), False),  # ordinary Saturday
        (D(2025, 1, 28), False),  # 除夕
        (D(2025, 2, 4), False),  # Tuesday off (调休)
        (D(2025, 2, 5), True),
        (D(2025, 4, 27), True),  # Sunday make-up
        (D(2025, 5, 5), False),
        (D(2025, 9, 28), True),  # Sunday make-up
        (D(2025, 10, 8), False),
        (D(2025, 10, 9), True),
        (D(2025, 10, 11), True),  # Saturday make-up
        (D(2026, 1, 4), True),
        (D(2026, 1, 2), False),
        (D(2026, 2, 14), True),
        (D(2026, 2, 23), False),
        (D(2026, 2, 28), True),
        (D(2026, 5, 9), True),
        (D(2026, 9, 20), True),
        (D(2026, 10, 7), False),
        (D(2026, 10, 10), True),
        (D(2026, 11, 23), True),  # ordinary Monday
    ],
)
def test_is_workday_official(day, expected):
    assert is_workday(day) is expected


def test_add_workdays_excel_semantics():
    # Friday 2025-01-24 + 1 -> Sunday 2025-01-26 (make-up day counted)
    assert add_workdays(D(2025, 1, 24), 1) == D(2025, 1, 26)
    # Monday 2025-01-27 + 1 -> holiday until 2-4 -> Wednesday 2025-02-05
    assert add_workdays(D(2025, 1, 27), 1) == D(2025, 2, 5)
    # 2025-02-07 (Fri) + 1 -> Saturday 2025-02-08 (make-up)
    assert add_workdays(D(2025, 2, 7), 1) == D(2025, 2, 8)
    # National Day: 2025-09-30 + 1 -> 2025-10-09; + 3 -> 10-11 (Sat make-up) is the 3rd
    assert add_workdays(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert add_workdays(D(2025, 9, 30), 3) == D(2025, 10, 11)
    # negative
    assert add_workdays(D(2025, 10, 9), -1) == D(2025, 9, 30)
    assert add_workdays(D(2025, 10, 9), -2) == D(2025, 9, 29)
    assert add_workdays(D(2025, 9, 29), -1) == D(2025, 9, 28)  # Sunday make-up
    # n = 0 returns the start even on a day off
    assert add_workdays(D(2025, 10, 1), 0) == D(2025, 10, 1)
    # start on a holiday
    assert add_workdays(D(2025, 10, 1), 1) == D(2025, 10, 9)


def test_workdays_between():
    # October 2025: 23 weekdays − 6 weekday holidays (1,2,3,6,7,8) + 10-11 make-up = 18
    assert workdays_between(D(2025, 10, 1), D(2025, 10, 31)) == 18
    assert workdays_between(D(2025, 10, 31), D(2025, 10, 1)) == -18
    # whole of 2025: 261 weekdays − 18 weekday days off + 5 make-up days = 248
    assert workdays_between(D(2025, 1, 1), D(2025, 12, 31)) == 248
    assert workdays_between(D(2025, 10, 9), D(2025, 10, 9)) == 1
    assert workdays_between(D(2025, 10, 4), D(2025, 10, 4)) == 0


def test_corrections_override():
    rows = [
        ("日期", "是否工作日"),
        ("2025-10-09", "休息"),
        (None, None),
        (D(2025, 10, 12), "上班"),
        ("2025/10/13", False),
        (45945.0, "是"),  # serial of 2025-10-15 (independently: 45658 = 2025-01-01, +287)
    ]
    corr = corrections_from_rows(rows)
    assert corr == {
        D(2025, 10, 9): False,
        D(2025, 10, 12): True,
        D(2025, 10, 13): False,
        D(2025, 10, 15): True,
    }
    assert not is_workday(D(2025, 10, 9), corr)
    assert is_workday(D(2025, 10, 12), corr)
    assert add_workdays(D(2025, 9, 30), 1, corr) == D(2025, 10, 10)
    assert add_workdays(D(2025, 10, 11), 1, corr) == D(2025, 10, 12)
    assert workdays_between(D(2025, 10, 1), D(2025, 10, 31), corr) == 18 - 1 + 1 - 1


def test_corrections_errors_name_the_row():
    with pytest.raises(InputError) as ei:
        corrections_from_rows(
            [("日期", "是否工作日"), ("2025-10-09", "休息"), ("2025-13-01", "上班")]
        )
    assert ei.value.message.startswith("工作日调整表第3行：")
    with pytest.raises(InputError) as ei:
        corrections_from_rows([("2025-10-09", "也许")])
    assert ei.value.message == "工作日调整表第1行：“是否工作日”应为上班/休息（或是/否），实为“也许”"
    with pytest.raises(InputError) as ei:
        corrections_from_rows([("2025-10-09", "上班"), ("2025-10-09", "休息")])
    assert "第2行" in ei.value.message and "矛盾" in ei.value.message


def test_vectorised():
    s = pd.Series(pd.to_datetime(["2025-01-24", "2025-09-30", None, "2025-10-12", "2025-02-07"]))
    r = add_workdays_series(s, 1)
    assert r[0] == pd.Timestamp("2025-01-26") and r[1] == pd.Timestamp("2025-10-09")
    assert (
        pd.isna(r[2]) and r[3] == pd.Timestamp("2025-10-13") and r[4] == pd.Timestamp("2025-02-08")
    )
    r2 = add_workdays_series(s, pd.Series([1, -1, 1, 0, 2]))
    assert r2[1] == pd.Timestamp("2025-09-29") and r2[3] == pd.Timestamp("2025-10-12")
    assert r2[4] == pd.Timestamp("2025-02-10")
    w = is_workday_series(pd.Series(["2025-01-26", "2025-01-25", None, "2025-10-08"]))
    assert w[0] == True and w[1] == False and pd.isna(w[2]) and w[3] == False  # noqa: E712


def test_vectorised_matches_scalar_over_two_years():
    days = pd.Series(pd.date_range("2025-01-01", "2026-12-31"))
    for n in (1, 5, -3, 22):
        got = add_workdays_series(days, n)
        exp = [pd.Timestamp(add_workdays(d.date(), n)) for d in days]
        assert got.tolist() == exp
    flags = is_workday_series(days)
    assert flags.tolist() == [is_workday(d.date()) for d in days]


def test_official_schedule_years():
    assert has_official_schedule(2025) and has_official_schedule(2026)
    assert not has_official_schedule(2090)


def test_out_of_range():
    with pytest.raises(InputError):
        is_workday(D(1949, 1, 3))
