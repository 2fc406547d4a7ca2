"""Tests for calc.retirement against the official 对照表 (2024-09-13 decision)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from calc.errors import InputError
from calc.retirement import (
    is_retired_on,
    months_to_retirement,
    retirement_age_months,
    retirement_age_text,
    retirement_date,
    retirement_dates,
    retirement_table,
)

D = dt.date

# (birth year, birth month, sex, original age, expected text) — rows of 对照表 1–3
BOUNDARIES = [
    # 男职工 (原60岁): 每4个月延迟1个月，至63岁
    (1964, 12, "男", 60, "60岁"),
    (1965, 1, "男", 60, "60岁1个月"),
    (1965, 4, "男", 60, "60岁1个月"),
    (1965, 5, "男", 60, "60岁2个月"),
    (1969, 12, "男", 60, "61岁3个月"),  # 59 birth months after 1965-01: 59 // 4 + 1 = 15
    (1970, 1, "男", 60, "61岁4个月"),  # 60 // 4 + 1 = 16
    (1976, 8, "男", 60, "62岁11个月"),
    (1976, 9, "男", 60, "63岁"),
    (1980, 1, "男", 60, "63岁"),
    # 原55岁女职工: 每4个月延迟1个月，至58岁
    (1969, 12, "女", 55, "55岁"),
    (1970, 1, "女", 55, "55岁1个月"),
    (1970, 4, "女", 55, "55岁1个月"),
    (1970, 5, "女", 55, "55岁2个月"),
    (1981, 8, "女", 55, "57岁11个月"),
    (1981, 9, "女", 55, "58岁"),
    (1990, 1, "女", 55, "58岁"),
    # 原50岁女职工: 每2个月延迟1个月，至55岁
    (1974, 12, "女", 50, "50岁"),
    (1975, 1, "女", 50, "50岁1个月"),
    (1975, 2, "女", 50, "50岁1个月"),
    (1975, 3, "女", 50, "50岁2个月"),
    (1984, 10, "女", 50, "54岁11个月"),
    (1984, 11, "女", 50, "55岁"),
    (1995, 6, "女", 50, "55岁"),
]


@pytest.mark.parametrize("row", BOUNDARIES)
def test_official_table_boundaries(row):
    y, m, sex, orig, text = row
    months = retirement_age_months(D(y, m, 15), sex, orig)
    assert retirement_age_text(months) == text


def test_defaults_and_pre_reform():
    assert retirement_age_months(D(1975, 1, 1), "女") == 601  # default 50 for women
    assert retirement_age_months(D(1965, 1, 1), "男") == 721
    assert retirement_age_months(D(1980, 1, 1), "男", reform=False) == 720
    assert retirement_age_months(D(1980, 1, 1), "女", 55, reform=False) == 660
    assert retirement_age_months(D(1980, 1, 1), "女", reform=False) == 600
    assert retirement_date(D(1980, 6, 30), "女", reform=False) == D(2030, 6, 30)


def test_hand_computed_dates():
    # 1965-03-10, man: 60岁1个月 -> 2025-04-10
    assert retirement_date(D(1965, 3, 10), "男") == D(2025, 4, 10)
    # 1965-01-31, man: 60岁1个月 -> 2025-02-31 does not exist -> 2025-02-28
    assert retirement_date(D(1965, 1, 31), "男") == D(2025, 2, 28)
    # 1976-05-31: k = 16 birth months -> 16//2 + 1 = 9 months -> 50岁9个月 -> 2027-02-28
    assert retirement_age_text(retirement_age_months(D(1976, 5, 31), "女")) == "50岁9个月"
    assert retirement_date(D(1976, 5, 31), "女") == D(2027, 2, 28)
    # 1972-08-01 woman cadre: k = 31 -> 31//4 + 1 = 8 -> 55岁8个月 -> 2028-04-01
    assert retirement_date("1972-08-01", "女", 55) == D(2028, 4, 1)


def test_leap_day_births():
    # man born 1968-02-29: k = 37 -> 37//4+1 = 10 -> 60岁10个月 -> 2028-12-29
    assert retirement_date(D(1968, 2, 29), "男") == D(2028, 12, 29)
    # woman worker born 1976-02-29: k = 13 -> 13//2+1 = 7 -> 50岁7个月 -> 2026-09-29
    assert retirement_date(D(1976, 2, 29), "女") == D(2026, 9, 29)
    # pre-reform: 50 years after 1972-02-29 -> 2022-02-28 (no 29 Feb in 2022)
    assert retirement_date(D(1972, 2, 29), "女", reform=False) == D(2022, 2, 28)


@pytest.mark.parametrize(
    "sex, orig, msg",
    [
        ("男", 55, "男职工的原法定退休年龄应为60周岁，实为55"),
        ("女", 60, "女职工的原法定退休年龄应为50或55周岁，实为60"),
        ("女", 45, "女职工的原法定退休年龄应为50或55周岁，实为45"),
        ("其他", None, "性别应为“男”或“女”，实为“其他”"),
        ("", None, "性别为空"),
        ("男", 60.5, "原法定退休年龄应为整数，实为“60.5”"),
    ],
)
def test_invalid(sex, orig, msg):
    with pytest.raises(InputError) as ei:
        retirement_age_months(D(1970, 1, 1), sex, orig)
    assert ei.value.message == msg


def test_text():
    assert retirement_age_text(723) == "60岁3个月"
    assert retirement_age_text(756) == "63岁"
    with pytest.raises(InputError):
        retirement_age_text(-1)


def test_months_to_retirement_and_retired():
    assert months_to_retirement(D(1965, 3, 10), "男", D(2025, 1, 10)) == 3
    assert months_to_retirement(D(1965, 3, 10), "男", D(2025, 5, 1)) == 0
    assert is_retired_on(D(1965, 3, 10), "男", D(2025, 4, 10))
    assert not is_retired_on(D(1965, 3, 10), "男", D(2025, 4, 9))


def test_vectorised():
    births = pd.Series(
        ["1965-01-31", "1976-05-31", "1972-08-01", "1980-06-30", "bad", "1970-01-01", "1984-11-01"],
        index=list("abcdefg"),
    )
    sexes = pd.Series(["男", "女", "女性", "男", "男", "男", "女"], index=list("abcdefg"))
    orig = pd.Series([None, None, 55, 60, None, 55, 50], index=list("abcdefg"))
    r = retirement_dates(births, sexes, orig)
    assert r["a"] == pd.Timestamp("2025-02-28")
    assert r["b"] == pd.Timestamp("2027-02-28")
    assert r["c"] == pd.Timestamp("2028-04-01")
    assert r["d"] == pd.Timestamp("2043-06-30")
    assert pd.isna(r["e"]) and pd.isna(r["f"])
    assert r["g"] == pd.Timestamp("2039-11-01")
    t = retirement_table(births, sexes, orig)
    assert t.age_months.tolist()[:4] == [721, 609, 668, 756]
    assert t.problem["e"] == "“bad”无法识别为日期"
    assert t.problem["f"] == "男职工的原法定退休年龄应为60周岁，实为55"
    old = retirement_dates(births, sexes, orig, reform=False)
    assert old["a"] == pd.Timestamp("2025-01-31") and old["c"] == pd.Timestamp("2027-08-01")


def test_vectorised_matches_scalar_over_all_birth_months():
    births = pd.Series(pd.date_range("1960-01-31", "1995-12-31", freq="ME"))
    for sex, orig in (("男", 60), ("女", 55), ("女", 50)):
        got = retirement_dates(
            births, pd.Series([sex] * len(births)), pd.Series([orig] * len(births))
        )
        expected = [pd.Timestamp(retirement_date(b.date(), sex, orig)) for b in births]
        assert got.tolist() == expected
