"""Tests for calc.masking."""

from __future__ import annotations

import pandas as pd
import pytest

from calc.errors import InputError
from calc.masking import mask_id, mask_ids, mask_name, mask_names, mask_phone, mask_phones

EXAMPLE = "11010519491231002X"  # GB 11643-1999 example


def test_mask_id_default_hides_birth_date():
    assert mask_id(EXAMPLE) == "110105********002X"
    assert mask_id("110105491231002") == "110105********002X"  # 15 -> 18 first
    assert mask_id(" 11010519491231002x ") == "110105********002X"


def test_mask_id_custom_pattern():
    assert mask_id(EXAMPLE, "###***##########**") == "110***1949123100**"
    assert mask_id(EXAMPLE, "##################") == EXAMPLE
    assert mask_id(EXAMPLE, "**************####") == "**************002X"
    assert mask_id(EXAMPLE, "######xxxxxxxx####") == "110105xxxxxxxx002X"


def test_pattern_and_number_errors():
    with pytest.raises(InputError) as ei:
        mask_id(EXAMPLE, "######****####")
    assert "18个字符" in ei.value.message and "实为14个" in ei.value.message
    with pytest.raises(InputError) as ei:
        mask_id("110105194912310023")
    assert ei.value.message == "身份证号码第18位应为X，实为3"


def test_mask_ids_vectorised():
    s = pd.Series([EXAMPLE, "110105491231002", None, "110105194912310023"], index=list("abcd"))
    m = mask_ids(s)
    assert m.tolist() == ["110105********002X", "110105********002X", None, None]
    assert list(m.index) == list("abcd")
    m2, p = mask_ids(s, "#***************##", with_problems=True)
    assert m2["a"] == "1***************2X"
    assert p.tolist() == ["", "", "身份证号码为空", "身份证号码第18位应为X，实为3"]
    with pytest.raises(InputError):
        mask_ids(s, "#")


@pytest.mark.parametrize(
    "name, expected",
    [
        ("张三", "张*"),
        ("李小明", "李**"),
        ("欧阳娜娜", "欧阳**"),
        ("欧阳娜", "欧阳*"),
        ("欧阳", "欧*"),
        ("司马相如", "司马**"),
        ("阿依古丽·买买提", "阿***·***"),
        (" 王 五 ", "王*"),
        ("王", "王"),
    ],
)
def test_mask_name(name, expected):
    assert mask_name(name) == expected


@pytest.mark.parametrize(
    "phone, expected",
    [
        ("13812345678", "138****5678"),
        (13812345678, "138****5678"),
        (13812345678.0, "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("+86 13812345678", "138****5678"),
        ("0571-88881234", "0571-****1234"),
        ("88881234", "****1234"),
    ],
)
def test_mask_phone(phone, expected):
    assert mask_phone(phone) == expected


def test_mask_errors_and_vectorised():
    with pytest.raises(InputError):
        mask_name("")
    with pytest.raises(InputError):
        mask_phone("12a45")
    with pytest.raises(InputError):
        mask_phone("12345")
    n, p = mask_names(pd.Series(["张三", None, "张三"]))
    assert n.tolist() == ["张*", None, "张*"] and p.tolist() == ["", "姓名为空", ""]
    ph, pp = mask_phones(pd.Series(["13812345678", "abc"]))
    assert ph[0] == "138****5678" and ph[1] is None and "非法字符" in pp[1]
