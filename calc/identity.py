"""公民身份号码 (citizen identity numbers), GB 11643-1999.

Structure (GB 11643-1999 §4–§8): 6-digit address code (GB/T 2260), 8-digit
birth date yyyymmdd, 3-digit sequence code (odd for men, even for women), and
one check digit computed with ISO 7064:1983 MOD 11-2 ('X' stands for 10).
First-generation cards carry 15 digits: address code, 2-digit year (19xx),
month, day and sequence, no check digit; :func:`normalize_id` converts them
to 18 digits by inserting "19" before the year and appending the check digit.

The address code is deliberately *not* checked against a code table:
GB/T 2260 codes are created and abolished over the years, a card keeps the
code of the place where it was first issued, cards of people born before
1984 carry codes created after their birth, and published tables (including
python-stdnum's, whose ``cn.ric.validate`` rejects such cards) miss codes.
Only the first two digits are checked against the province-level codes
(:data:`PROVINCE_CODES`: 11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81–83 —
83 appears on Taiwan residents' residence permits, which share the format);
these have not changed since Chongqing (50) was created in 1997, and a code
outside this set is a typing error.

python-stdnum (``stdnum.cn.ric.calc_check_digit``) computes the check digit of
single numbers; :func:`parse_ids` computes the same MOD 11-2 sum with numpy over
a whole column (the tests check both against an independent implementation).
"""

from __future__ import annotations

import calendar
import datetime as _dt
from typing import Any

import numpy as np
import pandas as pd
from stdnum.cn import ric as _ric

from calc.errors import InputError
from calc.text_columns import either

PROVINCE_CODES = frozenset(
    [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46]
    + [50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83]
)
MIN_BIRTH_YEAR = 1900

EMPTY_ID = "身份证号码为空"
_TEXT_FORMAT_HINT = "身份证号码被Excel存成了数字（科学计数法），末几位已丢失，请将该列单元格设为“文本”格式后重新录入"

# spaces (incl. U+3000, NBSP, tabs) and hyphens/dashes are dropped; full-width
# digits and x/ｘ/Ｘ become ASCII digits and 'X'.
_DROP = (
    " \t\r\n\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff-\u2010\u2011\u2012\u2013\u2014\uff0d\u2212"
)
_TRANSLATE = str.maketrans(
    {
        **{c: None for c in _DROP},
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "x": "X",
        "ｘ": "X",
        "Ｘ": "X",
    }
)
_WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
_CHECK_CHARS = np.array(list("10X98765432"))  # value of (sum mod 11) -> check character
_CHECK_CODES = np.frombuffer(b"10X98765432", dtype=np.uint8)


def check_remainders(digits: np.ndarray) -> np.ndarray:
    """GB 11643-1999 (ISO 7064 MOD 11-2): the weighted sum mod 11 of each row of
    17 body digits (an ``(n, 17)`` integer array); ``_CHECK_CHARS[r]`` is the check character."""
    return (np.asarray(digits, dtype=np.int64) @ _WEIGHTS) % 11


def check_characters(bodies: Any) -> np.ndarray:
    """The check character of each 17-digit body (strings; vectorised)."""
    bodies = np.asarray(bodies, dtype=object)
    if not len(bodies):
        return np.array([], dtype=object)
    joined = "".join(bodies.tolist()).encode("ascii")
    digits = np.frombuffer(joined, dtype=np.uint8).reshape(-1, 17).astype(np.int64) - 48
    return _CHECK_CHARS[check_remainders(digits)].astype(object)


def check_character(body: str) -> str:
    """The check character of one 17-digit body."""
    return str(check_characters([body])[0])


def _today(today: _dt.date | None) -> _dt.date:
    return today if today is not None else _dt.date.today()


def _clean(raw: Any) -> str:
    """Cell value -> compact upper-case text, or raise for empty/float cells."""
    if raw is None or raw is pd.NA or raw is pd.NaT:
        raise InputError(EMPTY_ID, value=raw)
    if isinstance(raw, bool | np.bool_):
        raise InputError(f"身份证号码含非法字符“{raw}”", value=raw)
    if isinstance(raw, int | np.integer):
        return str(int(raw))
    if isinstance(raw, float | np.floating):
        f = float(raw)
        if f != f:
            raise InputError(EMPTY_ID, value=raw)
        # 15 digits fit exactly in a double (< 2**53); 18 digits do not.
        if f.is_integer() and 0 < f < 1e15:
            return str(int(f))
        raise InputError(_TEXT_FORMAT_HINT, value=raw)
    if not isinstance(raw, str):
        raise InputError(f"身份证号码应为文本，实为“{raw}”", value=raw)
    return raw.translate(_TRANSLATE)


def _check_body(s: str, raw: Any, today: _dt.date) -> str:
    """Compact text -> valid 18-digit number, or raise with the precise reason."""
    if not s:
        raise InputError(EMPTY_ID, value=raw)
    n = len(s)
    if n not in (15, 18):
        raise InputError(f"身份证号码应为18位或15位，实为{n}位", value=raw)
    for i, ch in enumerate(s):
        if ch.isascii() and ch.isdigit():
            continue
        if ch == "X":
            if n == 18 and i == 17:
                continue
            raise InputError(
                f"身份证号码含非法字符“X”（X只能出现在18位号码的最后一位，实为第{i + 1}位）",
                value=raw,
            )
        raise InputError(f"身份证号码含非法字符“{ch}”", value=raw)
    if n == 15:
        s = s[:6] + "19" + s[6:] + "0"
        s = s[:17] + _ric.calc_check_digit(s)
        given = None
    else:
        given = s[17]
    prov = s[:2]
    if int(prov) not in PROVINCE_CODES:
        raise InputError(f"身份证号码前两位“{prov}”不是省级行政区划代码", value=raw)
    birth = s[6:14]
    y, m, d = int(birth[:4]), int(birth[4:6]), int(birth[6:])
    if not (1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]) or y == 0:
        raise InputError(f"身份证号码中的出生日期{birth}不存在", value=raw)
    if y < MIN_BIRTH_YEAR:
        raise InputError(f"身份证号码中的出生日期{birth}早于{MIN_BIRTH_YEAR}年", value=raw)
    if _dt.date(y, m, d) > today:
        raise InputError(f"身份证号码中的出生日期{birth}晚于今天", value=raw)
    if given is not None:
        expected = _ric.calc_check_digit(s)
        if expected != given:
            raise InputError(f"身份证号码第18位应为{expected}，实为{given}", value=raw)
    return s


def normalize_id(raw: Any, *, today: _dt.date | None = None) -> str:
    """Return the 18-digit 公民身份号码 for a cell value, or raise InputError.

    Accepts text (spaces incl. U+3000 and hyphens dropped; full-width digits and
    'x'/'ｘ' converted), ``int``, and ``float`` up to 15 digits.  A float of 16+
    digits (Excel shows 1.10101E+17) has lost its last digits: rejected with a
    hint to format the column as text.  15-digit first-generation numbers are
    converted to 18 digits (GB 11643-1999 replaced GB 11643-1989).  Checks, in
    this order: length, characters, province code, birth date (exists, not
    before 1900, not after ``today``), check digit (GB 11643-1999 §8.2,
    ISO 7064 MOD 11-2).
    """
    return _check_body(_clean(raw), raw, _today(today))


def id_problem(raw: Any, *, today: _dt.date | None = None) -> str:
    """The Chinese reason ``raw`` is not a valid number, "" when valid."""
    try:
        normalize_id(raw, today=today)
    except InputError as e:
        return e.message
    return ""


def birth_date_from_id(raw: Any, *, today: _dt.date | None = None) -> _dt.date:
    """Birth date encoded in positions 7–14 (GB 11643-1999 §7.2)."""
    s = normalize_id(raw, today=today)
    return _dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))


def sex_from_id(raw: Any, *, today: _dt.date | None = None) -> str:
    """ "男" if the 17th digit (last of the sequence code) is odd, else "女" (GB 11643-1999 §7.3)."""
    s = normalize_id(raw, today=today)
    return "男" if int(s[16]) % 2 else "女"


# ---------------------------------------------------------------------------
# vectorised


def parse_ids(series: pd.Series | Any, *, today: _dt.date | None = None) -> pd.DataFrame:
    """Vectorised :func:`normalize_id` for a whole column.

    Returns a DataFrame on the same index with columns ``id_number`` (18-digit
    text or None), ``birth_date`` (datetime64[ns] or NaT), ``sex`` ("男"/"女"/None)
    and ``problem`` ("" when fine, the :func:`normalize_id` message otherwise;
    "身份证号码为空" for empty cells).  Never raises for a bad cell.

    Text cleaning, length, characters, province, birth date and check digit are
    computed with pandas/numpy; only rows found bad (and non-text cells) go
    through the scalar :func:`normalize_id` to get the exact message.
    """
    today_ = _today(today)
    s = series if isinstance(series, pd.Series) else pd.Series(series, dtype=object)
    index = s.index
    n = len(s)
    obj = s.astype(object)
    na = obj.isna().to_numpy()
    is_str = np.zeros(n, dtype=bool)
    if n:
        kind = pd.api.types.infer_dtype(obj, skipna=True)
        if kind in ("string", "empty"):
            is_str = ~na
        else:
            is_str = obj.map(lambda v: type(v) is str).to_numpy()

    ids = np.full(n, None, dtype=object)
    problems = np.full(n, "", dtype=object)
    problems[na] = EMPTY_ID
    good = np.zeros(n, dtype=bool)
    slow = ~na & ~is_str  # numbers, odd objects: scalar path

    pos = np.flatnonzero(is_str)
    if len(pos):
        txt = obj.iloc[pos].str.translate(_TRANSLATE)
        length = txt.str.len().to_numpy()
        fmt = txt.str.fullmatch(r"\d{17}[\dX]|\d{15}").fillna(False).to_numpy(dtype=bool)
        ok18 = fmt & (length == 18)
        ok15 = fmt & (length == 15)
        t = txt.to_numpy(dtype=object, copy=True)
        # 15 -> 18 (placeholder check digit, filled below)
        if ok15.any():
            t15 = txt[ok15]
            t[ok15] = (t15.str[:6] + "19" + t15.str[6:] + "?").to_numpy(dtype=object)
        fmt_ok = ok18 | ok15
        cand = np.flatnonzero(fmt_ok)
        if len(cand):
            joined = "".join(t[cand].tolist()).encode("ascii")
            mat = np.frombuffer(joined, dtype=np.uint8).reshape(-1, 18)
            dig = mat[:, :17].astype(np.int64) - 48
            rem = check_remainders(dig)
            check_ok_18 = mat[:, 17] == _CHECK_CODES[rem]
            prov = dig[:, 0] * 10 + dig[:, 1]
            y = dig[:, 6] * 1000 + dig[:, 7] * 100 + dig[:, 8] * 10 + dig[:, 9]
            mo = dig[:, 10] * 10 + dig[:, 11]
            d = dig[:, 12] * 10 + dig[:, 13]
            prov_ok = np.isin(prov, list(PROVINCE_CODES))
            date_ok = (y >= MIN_BIRTH_YEAR) & (mo >= 1) & (mo <= 12) & (d >= 1)
            mi = np.where(date_ok, (y - 1970) * 12 + mo - 1, 0)
            ms = mi.astype("datetime64[M]")
            dim = ((ms + 1).astype("datetime64[D]") - ms.astype("datetime64[D]")).astype(np.int64)
            date_ok &= d <= dim
            bdays = ms.astype("datetime64[D]") + (d - 1)
            date_ok &= bdays <= np.datetime64(today_, "D")
            was15 = ok15[cand]
            check_ok = was15 | check_ok_18
            all_ok = prov_ok & date_ok & check_ok
            final = t[cand].copy()
            for k in np.flatnonzero(was15):
                final[k] = final[k][:17] + _CHECK_CHARS[rem[k]]
            okpos = pos[cand[all_ok]]
            ids[okpos] = final[all_ok]
            good[okpos] = True
        slow[pos[~good[pos]]] = True

    for i in np.flatnonzero(slow):
        raw = obj.iat[i]
        try:
            ids[i] = normalize_id(raw, today=today_)
            good[i] = True
        except InputError as e:
            problems[i] = e.message

    births = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    sexes = np.full(n, None, dtype=object)
    gpos = np.flatnonzero(good)
    if len(gpos):
        mat = np.frombuffer("".join(ids[gpos].tolist()).encode("ascii"), dtype=np.uint8).reshape(
            -1, 18
        )
        dig = mat[:, :17].astype(np.int64) - 48
        y = dig[:, 6] * 1000 + dig[:, 7] * 100 + dig[:, 8] * 10 + dig[:, 9]
        mo = dig[:, 10] * 10 + dig[:, 11]
        d = dig[:, 12] * 10 + dig[:, 13]
        births[gpos] = (
            ((y - 1970) * 12 + mo - 1).astype("datetime64[M]").astype("datetime64[D]") + (d - 1)
        ).astype("datetime64[ns]")
        sexes[gpos] = either(dig[:, 16] % 2 == 1, "男", "女")
    return pd.DataFrame(
        {
            "id_number": pd.Series(ids, index=index, dtype=object),
            "birth_date": pd.Series(births, index=index),
            "sex": pd.Series(sexes, index=index, dtype=object),
            "problem": pd.Series(problems, index=index, dtype=object),
        }
    )
