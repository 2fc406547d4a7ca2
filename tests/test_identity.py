"""Tests for calc.identity (GB 11643-1999)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from person_factory import check_char

from calc.errors import InputError
from calc.identity import (
    birth_date_from_id,
    id_problem,
    normalize_id,
    parse_ids,
    sex_from_id,
)

TODAY = dt.date(2026, 11, 22)

# The example printed in GB 11643-1999 (北京市朝阳区, 1949-12-31, 女/男 by 002 even)
EXAMPLE = "11010519491231002X"


def test_independent_check_function_matches_standard_example():
    assert check_char(EXAMPLE[:17]) == "X"


@pytest.mark.parametrize(
    "raw",
    [
        EXAMPLE,
        "11010519491231002x",
        " 110105 1949 1231 002X ",
        "110105-19491231-002X",
        "\u3000１１０１０５１９４９１２３１００２ｘ",
        "110105491231002",  # 15-digit first-generation number
        110105491231002,
        110105491231002.0,
    ],
)
def test_normalize_variants(raw):
    assert normalize_id(raw, today=TODAY) == EXAMPLE


def test_fifteen_digits_gets_19_and_check_digit():
    # 15-digit: 320102 800101 123 -> 320102 19800101 123 + check
    body = "32010219800101123"
    assert normalize_id("320102800101123", today=TODAY) == body + check_char(body)


@pytest.mark.parametrize(
    "raw, message",
    [
        ("11010519491231002", "身份证号码应为18位或15位，实为17位"),
        ("1101051949123100", "身份证号码应为18位或15位，实为16位"),
        ("11010519491231002A", "身份证号码含非法字符“A”"),
        ("110105194912310０2X", None),  # full-width zero is fine
        ("11010519900230002X", "身份证号码中的出生日期19900230不存在"),
        ("11010519901301002X", "身份证号码中的出生日期19901301不存在"),
        ("110105203001010021", "身份证号码中的出生日期20300101晚于今天"),
        ("110105189912310021", "身份证号码中的出生日期18991231早于1900年"),
        ("110105194912310023", "身份证号码第18位应为X，实为3"),
        ("", "身份证号码为空"),
        ("   ", "身份证号码为空"),
        (None, "身份证号码为空"),
        (float("nan"), "身份证号码为空"),
        ("99010519491231002X", "身份证号码前两位“99”不是省级行政区划代码"),
    ],
)
def test_problems(raw, message):
    if message is None:
        assert id_problem(raw, today=TODAY) == ""
        return
    assert id_problem(raw, today=TODAY) == message
    with pytest.raises(InputError) as ei:
        normalize_id(raw, today=TODAY)
    assert ei.value.message == message


def test_x_only_last():
    msg = id_problem("1101051949X231002X", today=TODAY)
    assert msg.startswith("身份证号码含非法字符“X”")
    assert "最后一位" in msg


def test_float_with_18_digits_rejected_with_text_format_hint():
    msg = id_problem(1.1010119900307e17)
    assert "文本" in msg and "科学计数法" in msg


def test_abolished_or_late_region_code_accepted():
    # 513701 (四川达川地区) was abolished; 500101 (重庆万州, created 1997) on a card of
    # someone born 1960 — both must be accepted (no region table).
    for body in ("51370119650315001", "50010119600101001", "23990119550101001"):
        assert normalize_id(body + check_char(body), today=TODAY) == body + check_char(body)


def test_birth_and_sex():
    assert birth_date_from_id(EXAMPLE, today=TODAY) == dt.date(1949, 12, 31)
    assert sex_from_id(EXAMPLE, today=TODAY) == "女"  # 17th digit 2 is even
    body = "44030419850607001"
    assert sex_from_id(body + check_char(body), today=TODAY) == "男"


def test_today_default_rejects_future():
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    body = f"110105{tomorrow:%Y%m%d}001"
    assert "晚于今天" in id_problem(body + check_char(body))


def test_parse_ids_mixed_column():
    body_m = "44030419850607001"
    s = pd.Series(
        [
            EXAMPLE,
            "110105491231002",
            None,
            1.1010119900307e17,
            "110105194912310023",
            "11010519900230002X",
            body_m + check_char(body_m),
            "",
            "1101051949123100",
        ],
        index=list("abcdefghi"),
    )
    df = parse_ids(s, today=TODAY)
    assert list(df.columns) == ["id_number", "birth_date", "sex", "problem"]
    assert list(df.index) == list("abcdefghi")
    assert df.id_number.tolist() == [
        EXAMPLE,
        EXAMPLE,
        None,
        None,
        None,
        None,
        body_m + check_char(body_m),
        None,
        None,
    ]
    assert df.sex.tolist() == ["女", "女", None, None, None, None, "男", None, None]
    assert df.birth_date.dtype == "datetime64[ns]"
    assert df.birth_date["a"] == pd.Timestamp("1949-12-31")
    assert df.birth_date["g"] == pd.Timestamp("1985-06-07")
    assert pd.isna(df.birth_date["c"])
    p = df.problem
    assert p["a"] == "" and p["b"] == "" and p["g"] == ""
    assert p["c"] == "身份证号码为空" and p["h"] == "身份证号码为空"
    assert "文本" in p["d"]
    assert p["e"] == "身份证号码第18位应为X，实为3"
    assert p["f"] == "身份证号码中的出生日期19900230不存在"
    assert p["i"] == "身份证号码应为18位或15位，实为16位"


def test_parse_ids_empty_series():
    df = parse_ids(pd.Series([], dtype=object))
    assert len(df) == 0


PROVINCES = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46]
PROVINCES += [50, 51, 52, 53, 54, 61, 62, 63, 64, 65]


@st.composite
def id_parts(draw):
    prov = draw(st.sampled_from(PROVINCES))
    rest = draw(st.integers(0, 9999))
    birth = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY))
    seq = draw(st.integers(0, 999))
    body = f"{prov:02d}{rest:04d}{birth:%Y%m%d}{seq:03d}"
    return body, birth, seq


@settings(max_examples=300, deadline=None)
@given(id_parts(), st.booleans(), st.booleans())
def test_roundtrip_property(parts, lower_x, spaced):
    body, birth, seq = parts
    number = body + check_char(body)
    raw = number.lower() if lower_x else number
    if spaced:
        raw = f" {raw[:6]} {raw[6:14]}\u3000{raw[14:]} "
    assert normalize_id(raw, today=TODAY) == number
    assert birth_date_from_id(raw, today=TODAY) == birth
    assert sex_from_id(raw, today=TODAY) == ("男" if seq % 2 else "女")
    # any other last character is rejected with the expected one named
    wrong = "0" if number[17] != "0" else "1"
    assert id_problem(number[:17] + wrong, today=TODAY) == (
        f"身份证号码第18位应为{number[17]}，实为{wrong}"
    )


@settings(max_examples=50, deadline=None)
@given(st.lists(id_parts(), min_size=1, max_size=30))
def test_vectorised_agrees_with_independent_values(parts_list):
    numbers = [b + check_char(b) for b, _, _ in parts_list]
    # corrupt every third one's check digit
    raw = [n if i % 3 else n[:17] + ("0" if n[17] != "0" else "1") for i, n in enumerate(numbers)]
    df = parse_ids(pd.Series(raw), today=TODAY)
    for i, ((_, birth, seq), n) in enumerate(zip(parts_list, numbers, strict=True)):
        if i % 3:
            assert df.id_number[i] == n
            assert df.birth_date[i] == pd.Timestamp(birth)
            assert df.sex[i] == ("男" if seq % 2 else "女")
            assert df.problem[i] == ""
        else:
            assert df.id_number[i] is None
            assert df.problem[i].startswith(f"身份证号码第18位应为{n[17]}")


@settings(max_examples=100, deadline=None)
@given(id_parts())
def test_fifteen_digit_roundtrip(parts):
    body, birth, seq = parts
    if not 1900 <= birth.year <= 1999:
        return
    fifteen = body[:6] + body[8:]
    assert normalize_id(fifteen, today=TODAY) == body + check_char(body)
    df = parse_ids(pd.Series([fifteen]), today=TODAY)
    assert df.id_number[0] == body + check_char(body)


def test_parse_ids_speed_smoke():
    rng = np.random.default_rng(1)
    n = 20_000
    bodies = [
        f"3201{rng.integers(0, 100):02d}{1950 + rng.integers(0, 50)}{rng.integers(1, 13):02d}"
        f"{rng.integers(1, 29):02d}{rng.integers(0, 1000):03d}"
        for _ in range(n)
    ]
    s = pd.Series([b + check_char(b) for b in bodies])
    df = parse_ids(s, today=TODAY)
    assert (df.problem == "").all()
    assert df.id_number.tolist() == s.tolist()
