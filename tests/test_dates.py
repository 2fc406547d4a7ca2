"""Tests for calc.dates."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.dates import (
    add_months,
    add_months_series,
    add_years,
    age_on,
    ages_on,
    format_date_cn,
    format_date_iso,
    month_span,
    month_spans,
    months_between,
    parse_dates,
    to_date,
)
from calc.errors import InputError

D = dt.date


# Excel 1900 system values checked in Excel (=DATE(...) shown as number)
@pytest.mark.parametrize(
    "serial, expected",
    [
        (1, D(1900, 1, 1)),
        (59, D(1900, 2, 28)),
        (61, D(1900, 3, 1)),
        (45000, D(2023, 3, 15)),
        (25569, D(1970, 1, 1)),
        (36526, D(2000, 1, 1)),
        (45658, D(2025, 1, 1)),
        (45000.99, D(2023, 3, 15)),
        (np.int64(45658), D(2025, 1, 1)),
    ],
)
def test_excel_1900_serials(serial, expected):
    assert to_date(serial) == expected


def test_serial_60_is_lotus_fiction():
    with pytest.raises(InputError) as ei:
        to_date(60)
    assert "1900年2月29日" in ei.value.message


def test_excel_1904_serials():
    assert to_date(0, date1904=True) == D(1904, 1, 1)
    assert to_date(1, date1904=True) == D(1904, 1, 2)
    # 1904 serial = 1900 serial - 1462
    assert to_date(45000 - 1462, date1904=True) == D(2023, 3, 15)


@pytest.mark.parametrize("bad", [0, -5, 10**7 - 1])
def test_bad_serials(bad):
    with pytest.raises(InputError) as ei:
        to_date(bad)
    assert "序列号" in ei.value.message


@pytest.mark.parametrize(
    "text",
    [
        "1970-05-03",
        "1970/5/3",
        "1970.5.3",
        "19700503",
        "1970年5月3日",
        "1970年5月3号",
        "1970年5月3",
        " 1970-05-03 ",
        "\u30001970-05-03\u3000",
        "１９７０－０５－０３",
        "１９７０年５月３日",
        "1970-05-03 00:00:00",
        "1970-05-03 13:45",
        "1970 年 5 月 3 日",
        19700503,
        19700503.0,
        D(1970, 5, 3),
        dt.datetime(1970, 5, 3, 23, 59),
        pd.Timestamp("1970-05-03 08:00"),
        np.datetime64("1970-05-03"),
        25691,  # serial: 25569 (1970-01-01) + 122
    ],
)
def test_accepted_forms(text):
    assert to_date(text) == D(1970, 5, 3)


@pytest.mark.parametrize(
    "raw, message",
    [
        ("1970-13-03", "“1970-13-03”不是有效日期（月份应为1–12）"),
        ("abc", "“abc”无法识别为日期"),
        ("", "日期为空"),
        ("  ", "日期为空"),
        (None, "日期为空"),
        (float("nan"), "日期为空"),
        (pd.NaT, "日期为空"),
        ("1990-02-30", "“1990-02-30”不是有效日期（1990年2月只有28天）"),
        ("2000年2月30日", "“2000年2月30日”不是有效日期（2000年2月只有29天）"),
        ("1900-02-29", "“1900-02-29”不是有效日期（1900年2月只有28天）"),
        ("1970-05-00", "“1970-05-00”不是有效日期（日不能为0）"),
        ("1970/5-3", "“1970/5-3”无法识别为日期"),
        ("45000", "“45000”无法识别为日期"),
        ("1970年5月", "“1970年5月”只有年月，缺少日"),
        ("1970-05", "“1970-05”只有年月，缺少日"),
        ("1899-12-31", "“1899-12-31”不是有效日期（年份应在1900–2199之间）"),
        (True, "“True”无法识别为日期"),
    ],
)
def test_errors(raw, message):
    with pytest.raises(InputError) as ei:
        to_date(raw)
    assert ei.value.message == message


@pytest.mark.parametrize("text", ["1970年5月", "1970-05", "1970.05", "1970/5", "197005"])
def test_allow_month(text):
    assert to_date(text, allow_month=True) == D(1970, 5, 1)


def test_parse_dates_mixed_object_column():
    s = pd.Series(
        [
            "1970-05-03",
            "1970/5/3",
            D(2020, 1, 1),
            45000.0,
            None,
            "",
            "abc",
            "1990-02-30",
            60,
            "１９８０年１月２日",
        ],
        index=range(10, 20),
    )
    d, p = parse_dates(s)
    assert list(d.index) == list(range(10, 20))
    assert d.dtype == "datetime64[ns]"
    expected = [
        "1970-05-03",
        "1970-05-03",
        "2020-01-01",
        "2023-03-15",
        None,
        None,
        None,
        None,
        None,
        "1980-01-02",
    ]
    assert [None if pd.isna(x) else x.strftime("%Y-%m-%d") for x in d] == expected
    assert p.tolist()[:7] == ["", "", "", "", "日期为空", "日期为空", "“abc”无法识别为日期"]
    assert p.iloc[7] == "“1990-02-30”不是有效日期（1990年2月只有28天）"
    assert "1900年2月29日" in p.iloc[8]
    assert p.iloc[9] == ""


def test_parse_dates_numeric_and_datetime_columns():
    d, p = parse_dates(pd.Series([1, 59, 60, 61, 45000, np.nan, 19700503]))
    assert d[0] == pd.Timestamp("1900-01-01") and d[1] == pd.Timestamp("1900-02-28")
    assert pd.isna(d[2]) and "1900年2月29日" in p[2]
    assert d[3] == pd.Timestamp("1900-03-01") and d[4] == pd.Timestamp("2023-03-15")
    assert p[5] == "日期为空" and d[6] == pd.Timestamp("1970-05-03")
    d2, _ = parse_dates(pd.Series([0, 1]), date1904=True)
    assert d2.tolist() == [pd.Timestamp("1904-01-01"), pd.Timestamp("1904-01-02")]
    d3, p3 = parse_dates(pd.Series(pd.to_datetime(["2020-01-01 15:00", None])))
    assert d3[0] == pd.Timestamp("2020-01-01") and p3.tolist() == ["", "日期为空"]


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=D(1900, 3, 1), max_value=D(2199, 12, 31)),
    st.sampled_from(
        ["iso", "slash", "dot", "compact", "cn", "cn_hao", "fullwidth", "time", "serial"]
    ),
    st.booleans(),
)
def test_roundtrip_formats(day, fmt, pad):
    y, m, d = day.year, day.month, day.day
    text = {
        "iso": f"{y}-{m:02d}-{d:02d}",
        "slash": f"{y}/{m}/{d}",
        "dot": f"{y}.{m}.{d}",
        "compact": f"{y}{m:02d}{d:02d}",
        "cn": f"{y}年{m}月{d}日",
        "cn_hao": f"{y}年{m}月{d}号",
        "fullwidth": "".join(
            chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in f"{y}年{m}月{d}日"
        ),
        "time": f"{y}-{m:02d}-{d:02d} 00:00:00",
        # serial computed independently: days since 1899-12-30 (valid from 1900-03-01)
        "serial": (day - D(1899, 12, 30)).days,
    }[fmt]
    if pad and isinstance(text, str):
        text = f"  {text}\u3000"
    assert to_date(text) == day
    dd, pp = parse_dates(pd.Series([text, text, None]))
    assert dd[0] == pd.Timestamp(day) and pp[0] == "" and pp[2] == "日期为空"


@settings(max_examples=200, deadline=None)
@given(st.integers(1900, 2199), st.integers(1, 12), st.integers(1, 31))
def test_invalid_day_message_property(y, m, d):
    import calendar

    last = calendar.monthrange(y, m)[1]
    text = f"{y}-{m:02d}-{d:02d}"
    if d <= last:
        assert to_date(text) == D(y, m, d)
    else:
        with pytest.raises(InputError) as ei:
            to_date(text)
        assert ei.value.message == f"“{text}”不是有效日期（{y}年{m}月只有{last}天）"


def test_age_on_basic():
    assert age_on(D(1970, 5, 3), D(2020, 5, 2)) == 49
    assert age_on(D(1970, 5, 3), D(2020, 5, 3)) == 50
    assert age_on("1970-05-03", "2025-12-31") == 55
    with pytest.raises(InputError):
        age_on(D(2020, 1, 2), D(2020, 1, 1))


def test_age_on_leap_day_birth():
    b = D(2000, 2, 29)
    assert age_on(b, D(2023, 2, 28)) == 22
    assert age_on(b, D(2023, 3, 1)) == 23
    assert age_on(b, D(2024, 2, 28)) == 23
    assert age_on(b, D(2024, 2, 29)) == 24


def test_ages_on_vectorised():
    births = pd.Series(
        pd.to_datetime(["1970-05-03", "2000-02-29", None, "2030-01-01", "2000-02-29"])
    )
    ages = ages_on(births, D(2023, 3, 1))
    assert str(ages.dtype) == "Int64"
    assert ages[0] == 52 and ages[1] == 23 and pd.isna(ages[2]) and pd.isna(ages[3])
    on = pd.Series(
        pd.to_datetime(["2020-05-02", "2023-02-28", "2020-01-01", "2031-01-01", "2024-02-29"])
    )
    ages2 = ages_on(births, on)
    assert (
        ages2[0] == 49 and ages2[1] == 22 and pd.isna(ages2[2]) and ages2[3] == 1 and ages2[4] == 24
    )
    # text column goes through parse_dates
    assert ages_on(pd.Series(["1970年5月3日"]), "2020-05-03")[0] == 50


@pytest.mark.parametrize(
    "start, n, expected",
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
        (D(2025, 1, 15), 12, D(2026, 1, 15)),
        (D(2025, 8, 31), 1, D(2025, 9, 30)),
        (D(2025, 12, 10), 1, D(2026, 1, 10)),
        (D(2025, 1, 10), -1, D(2024, 12, 10)),
        (D(2025, 5, 5), 0, D(2025, 5, 5)),
    ],
)
def test_add_months(start, n, expected):
    assert add_months(start, n) == expected


def test_add_years_leap():
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)
    with pytest.raises(InputError):
        add_months(D(2025, 1, 1), 1.5)


def test_add_months_series():
    s = pd.Series(pd.to_datetime(["2025-01-31", "2024-01-31", None, "2025-03-31"]))
    r = add_months_series(s, 1)
    assert r.tolist()[:2] == [pd.Timestamp("2025-02-28"), pd.Timestamp("2024-02-29")]
    assert pd.isna(r[2]) and r[3] == pd.Timestamp("2025-04-30")
    r2 = add_months_series(s, pd.Series([1, -1, 3, -1]))
    assert r2[0] == pd.Timestamp("2025-02-28") and r2[1] == pd.Timestamp("2023-12-31")
    assert r2[3] == pd.Timestamp("2025-02-28")


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2100, 12, 31)), st.integers(-600, 600))
def test_add_months_series_agrees_with_calendar(day, n):
    import calendar

    total = day.year * 12 + day.month - 1 + n
    y, m = total // 12, total % 12 + 1
    expected = D(y, m, min(day.day, calendar.monthrange(y, m)[1]))
    assert add_months(day, n) == expected
    assert add_months_series(pd.Series([pd.Timestamp(day)]), n)[0] == pd.Timestamp(expected)


def test_months_between_and_span():
    assert months_between(D(2025, 1, 15), D(2025, 3, 14)) == 1
    assert months_between(D(2025, 1, 15), D(2025, 3, 15)) == 2
    assert months_between(D(2025, 1, 31), D(2025, 2, 28)) == 1
    assert months_between(D(2025, 1, 1), D(2025, 1, 1)) == 0
    assert month_span(D(2025, 1, 31), D(2025, 2, 1)) == 2
    assert month_span(D(2025, 3, 5), D(2025, 3, 20)) == 1
    assert month_span(D(2024, 11, 1), D(2025, 10, 31)) == 12
    with pytest.raises(InputError):
        month_span(D(2025, 2, 1), D(2025, 1, 31))
    sp = month_spans(
        pd.Series(pd.to_datetime(["2025-01-31", "2025-02-01", None])),
        pd.Series(pd.to_datetime(["2025-02-01", "2025-01-01", "2025-01-01"])),
    )
    assert sp[0] == 2 and pd.isna(sp[1]) and pd.isna(sp[2])


def test_formatting():
    assert format_date_cn(D(2026, 11, 22)) == "2026年11月22日"
    assert format_date_cn(D(2026, 1, 5)) == "2026年1月5日"
    assert format_date_cn("2026-01-05") == "2026年1月5日"
    assert format_date_iso(D(2026, 1, 5)) == "2026-01-05"


def test_parse_dates_speed_smoke():
    days = pd.date_range("1940-01-01", periods=20000, freq="D")
    texts = pd.Series(np.tile(days.strftime("%Y-%m-%d").to_numpy(), 10))
    d, p = parse_dates(texts)
    assert (p == "").all()
    assert (d.iloc[:20000].to_numpy() == days.to_numpy()).all()
