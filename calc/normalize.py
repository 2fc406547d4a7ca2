"""Turn raw ledger cells into typed person facts, column by column.

Input: a DataFrame whose columns are canonical field names (calc.fields) and
whose cells are whatever Excel gave (text, floats, dates, None).  Output: a
:class:`Persons` frame of typed columns plus one Chinese problem text per row.
Conversion works on the distinct values of a column, so a 1,000,000-row
ledger costs a few dictionary look-ups per row, and one bad cell never stops
the ledger: it becomes a problem text and an unknown (NA) value.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from calc import fields
from calc.dates import parse_dates
from calc.identity import parse_ids
from calc.text_columns import repeated

TRUE_WORDS = {
    "是",
    "有",
    "√",
    "✓",
    "y",
    "yes",
    "true",
    "1",
    "1.0",
    "t",
    "对",
    "享受",
    "已享受",
    "持有",
    "符合",
}
FALSE_WORDS = {
    "否",
    "无",
    "×",
    "✗",
    "n",
    "no",
    "false",
    "0",
    "0.0",
    "f",
    "不",
    "不是",
    "没有",
    "未享受",
    "不符合",
}

# Employment situation codes used by the packs.
UNEMPLOYED, EMPLOYED = "unemployed", "employed"
#: 已退休 / 领取养老金: a known status, neither unemployed nor in work
RETIRED = "retired"
ENTERPRISE, FLEXIBLE, PUBLIC_WELFARE, SELF_EMPLOYED, ORGANISED = (
    "enterprise",
    "flexible",
    "public_welfare",
    "self_employed",
    "organised",
)
EMPLOYMENT_TYPE_LABEL = {
    ENTERPRISE: "企业吸纳",
    FLEXIBLE: "灵活就业",
    PUBLIC_WELFARE: "公益性岗位",
    SELF_EMPLOYED: "自主创业/个体经营",
    ORGANISED: "组织起来就业",
}

_STATUS_WORDS = (
    ("未就业", UNEMPLOYED),
    ("失业", UNEMPLOYED),
    ("下岗", UNEMPLOYED),
    ("待业", UNEMPLOYED),
    ("无业", UNEMPLOYED),
    ("就业", EMPLOYED),
    ("在岗", EMPLOYED),
    ("上岗", EMPLOYED),
    ("创业", EMPLOYED),
    ("个体", EMPLOYED),
    ("公益", EMPLOYED),
    ("吸纳", EMPLOYED),
    ("退休", RETIRED),
    ("离休", RETIRED),
    ("养老金", RETIRED),
)
_TYPE_WORDS = (
    ("公益", PUBLIC_WELFARE),
    ("灵活", FLEXIBLE),
    ("非全日制", FLEXIBLE),
    ("临时", FLEXIBLE),
    ("组织起来", ORGANISED),
    ("创业", SELF_EMPLOYED),
    ("个体", SELF_EMPLOYED),
    ("自谋职业", SELF_EMPLOYED),
    ("企业", ENTERPRISE),
    ("单位", ENTERPRISE),
    ("吸纳", ENTERPRISE),
)


#: Excel's error values: a cell holding one is unreadable, not empty.
ERROR_VALUES = frozenset(
    {
        "#N/A",
        "#VALUE!",
        "#REF!",
        "#DIV/0!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#GETTING_DATA",
        "#FIELD!",
        "#BLOCKED!",
        "#UNKNOWN!",
        "#BUSY!",
        "#CONNECT!",
        "#错误",
    }
)
#: Why a value is unknown, per field (see :attr:`Persons.unreadable`).
ABSENT, BLANK, UNREADABLE = "absent", "blank", "unreadable"


@dataclass
class Persons:
    """Typed facts, one row per person, same index as the ledger.

    ``absent`` names the fields the ledger has no column for; ``unreadable``
    marks, per field, the rows whose cell held something that is not a value
    of that field (an error value, an uncalculated formula, text that is no
    date, a date after the assessment date…).  Both are unknown to the rules
    (NA), and :mod:`calc.missing` uses them to say *why* a condition is
    待核实: a missing column, a blank cell or an unreadable one.
    """

    frame: pd.DataFrame
    problems: pd.Series  # Chinese, "" when the row is clean
    #: the same problems as data: one row per problem — row (index label), field
    #: (canonical name), code (kind of problem), message (Chinese, with its header)
    records: pd.DataFrame | None = None
    absent: frozenset[str] = frozenset()
    unreadable: dict[str, np.ndarray] = field(default_factory=dict)
    #: Household members who are not persons of the ledger (a 家属信息 sheet's other
    #: rows), typed the same way; only the household tests read them (calc.context).
    members: Persons | None = None
    #: Where :attr:`members` came from, for the explanation (``工作表“家属信息”``).
    members_source: str = ""

    def __len__(self) -> int:
        return len(self.frame)

    def cause(self, name: str) -> np.ndarray:
        """Per row: ABSENT, UNREADABLE, BLANK (value unknown) or "" (known)."""
        n = len(self.frame)
        if name in self.absent:
            return repeated(ABSENT, n)
        out = np.full(n, "", dtype=object)
        col = self.frame[name] if name in self.frame.columns else None
        if col is not None:
            out[col.isna().to_numpy()] = BLANK
        bad = self.unreadable.get(name)
        if bad is not None:
            out[bad] = UNREADABLE
        return out


def _factorize(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes per row and the stripped text of each distinct value (None/NaN → code -1)."""
    codes, uniques = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=True)
    texts = [str(u).strip() for u in uniques]
    return codes, texts


def _blank(series: pd.Series) -> pd.Series:
    codes, texts = _factorize(series)
    blank_of = np.array([t == "" or t.lower() == "nan" for t in texts] + [True], dtype=bool)
    return pd.Series(blank_of[codes], index=series.index)


def _map_unique(series: pd.Series, convert) -> pd.Series:
    """Apply ``convert`` once per distinct value (the column's vocabulary is small)."""
    codes, texts = _factorize(series)
    table = np.array([convert(t) if t else None for t in texts] + [None], dtype=object)
    return pd.Series(table[codes], index=series.index, dtype=object)


def _text(series: pd.Series) -> pd.Series:
    codes, texts = _factorize(series)
    table = np.array([t if t else None for t in texts] + [None], dtype=object)
    return pd.Series(table[codes], index=series.index, dtype=object)


def _to_bool(text: str):
    t = text.strip().lower()
    if t in TRUE_WORDS:
        return True
    if t in FALSE_WORDS:
        return False
    return "?"


def _to_sex(text: str):
    t = text.strip().upper().removesuffix(".0")
    if t in {"男", "M", "MALE", "男性", "1"}:
        return "男"
    if t in {"女", "F", "FEMALE", "女性", "2"}:
        return "女"
    return "?"


def _to_number(text: str):
    t = (
        text.replace(",", "")
        .replace("，", "")
        .replace("元", "")
        .replace("人", "")
        .replace("次", "")
    )
    t = t.replace("年", "").strip()
    try:
        return float(t)
    except ValueError:
        return "?"


def _to_contract_years(text: str):
    """合同期限 as written: "3", "3年", "36个月", "三年" is not read; "无固定期限" → 99, "无" → 0."""
    t = text.strip().replace(" ", "")
    if t in ("无固定期限", "无固定", "长期", "无期限"):
        return 99.0
    if t in ("无", "未签", "未签订", "没有"):
        return 0.0
    if t.endswith("个月") or t.endswith("月"):
        number = _to_number(t.removesuffix("个月").removesuffix("月"))
        return number / 12 if number != "?" else "?"
    return _to_number(t)


def _month_numbers_as_text(series: pd.Series) -> pd.Series:
    """202401 (a number) in a month field is a month, not an Excel serial: as text "202401"."""

    def conv(v):
        if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer():
            n = int(v)
            if 190001 <= n <= 219912 and 1 <= n % 100 <= 12:
                return str(n)
        return v

    codes, uniques = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=True)
    if not any(isinstance(u, (int, float)) for u in uniques):
        return series
    table = np.array([conv(u) for u in uniques] + [None], dtype=object)
    return pd.Series(table[codes], index=series.index, dtype=object)


def _status(text: str):
    text = re.sub(r"[(（][^)）]*[)）]", "", text)  # "下(待)岗" → "下岗", "失(无)业" → "失业"
    for word, code in _STATUS_WORDS:
        if word in text:
            return code
    return "?"


def _employment_type(text: str):
    for word, code in _TYPE_WORDS:
        if word in text:
            return code
    return "?"


def _employer_type(text: str):
    if any(w in text for w in ("国有", "国营", "国企", "全民", "央企", "省属", "市属")):
        return "state"
    if "集体" in text:
        return "collective"
    return "other"


def _hukou(text: str):
    if any(w in text for w in ("城镇", "城市", "非农")):
        return "urban"
    if any(w in text for w in ("农村", "农业")):
        return "rural"
    return "?"


def _separation(text: str):
    if "关闭" in text or "破产" in text:
        return "closure"
    if "下岗" in text:
        return "laid_off"
    if "失业" in text:
        return "unemployed"
    return "?"


class _Problems:
    """Sparse per-row problem messages: only rows with a problem cost anything.

    A message about one field's cell may be *headed*: given without its header,
    which the joined text puts in front ("出生日期：…") and the records keep
    apart (``header``, ``detail``), so a cell note shows the detail alone.
    """

    def __init__(self, n: int):
        self.n = n
        self.parts: list[tuple[np.ndarray, np.ndarray]] = []
        self.tags: list[tuple[str | None, str, str]] = []

    def add(
        self, mask, messages, field: str | None = None, code: str = "", *, headed: bool = False
    ) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        rows = np.flatnonzero(mask)
        if isinstance(messages, str):
            msgs = repeated(messages, len(rows))
        else:
            msgs = np.asarray(messages, dtype=object)
            msgs = msgs[rows] if len(msgs) == self.n else msgs
        self.parts.append((rows, msgs))
        self.tags.append((field, code, fields.header_of(field) if headed and field else ""))

    def records(self, index: pd.Index) -> pd.DataFrame:
        """(row, field, code, header, detail, message) per problem, in row order:
        ``message`` is ``header：detail`` when headed, else ``detail``."""
        frames = [
            pd.DataFrame(
                {
                    "pos": rows,
                    "field": field,
                    "code": code,
                    "header": header,
                    "detail": msgs,
                    "message": _headed(header, msgs),
                },
            )
            for (rows, msgs), (field, code, header) in zip(self.parts, self.tags, strict=True)
        ]
        if not frames:
            return pd.DataFrame(columns=["row", "field", "code", "header", "detail", "message"])
        out = pd.concat(frames, ignore_index=True).sort_values("pos", kind="stable")
        out.insert(0, "row", index[out["pos"].to_numpy()])
        return out.drop(columns="pos").reset_index(drop=True)

    def joined(self, index: pd.Index) -> pd.Series:
        out = np.full(self.n, "", dtype=object)
        for (rows, msgs), (_, _, header) in zip(self.parts, self.tags, strict=True):
            for r, m in zip(rows.tolist(), _headed(header, msgs).tolist(), strict=True):
                out[r] = m if not out[r] else out[r] + "；" + m
        return pd.Series(out, index=index, dtype=object)


def _headed(header: str, details: np.ndarray) -> np.ndarray:
    return header + "：" + details if header else details


def _quoted(field: str, raw: pd.Series, mask: np.ndarray, what: str) -> np.ndarray:
    values = raw.to_numpy(dtype=object)[mask]
    return np.array(
        [f"{fields.header_of(field)}“{v}”{what}" for v in values.tolist()], dtype=object
    )


#: ``raw.attrs`` key under which a reader lists the texts it put in place of cells
#: calamine could not give (uncalculated formulas, see xl_addin.bad_cells).
BAD_TEXTS_ATTR = "jyyz_bad_cell_texts"
#: What a date cell shows when Excel keeps a time of day in it (the value 0, a negative
#: number or a date before 1900): “00:00:00”.
_TIME_SHOWN = re.compile(r"\d{1,2}:\d{2}:\d{2}")


def _bad_cell_message(text: str) -> str:
    t = text.strip()
    if t.upper() in ERROR_VALUES:
        return f"单元格为错误值“{t}”（公式出错，如查找不到），按未知处理"
    shown = f"“{t[:40]}”" if len(t) > 1 else ""
    return (
        f"单元格是没有计算结果的公式{shown}，按未知处理（请在 Excel 中打开、重新计算并保存后再试）"
    )


#: Up to this many rows (the one-row worksheet functions) a column is scanned in Python.
_FEW_ROWS = 16


def _bad_cell_texts(
    series: pd.Series, known: frozenset[str]
) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Error values and uncalculated formulas taken out of a column.

    Returns the cleaned column, the mask of such cells and their messages.
    One hash look-up per cell (``isin``): a clean column costs almost nothing.
    """
    if len(series) <= _FEW_ROWS:  # a few cells: set look-ups cost less than isin's set-up
        bad = np.array([v in known for v in series.tolist()], dtype=bool)
    else:
        bad = series.isin(known).to_numpy(dtype=bool)
    if not bad.any():
        return series, bad, np.empty(0, dtype=object)
    msgs = np.full(len(series), "", dtype=object)
    values = series.to_numpy(dtype=object)
    cache: dict[str, str] = {}
    for i in np.flatnonzero(bad):
        v = str(values[i])
        if v not in cache:
            cache[v] = _bad_cell_message(v)
        msgs[i] = cache[v]
    clean = series.copy()
    clean[bad] = None
    return clean, bad, msgs


def _time_message(value: object, problem: str) -> str:
    """The problem of an unreadable date cell, said plainly when the cell holds a time
    of day (“00:00:00”): Excel shows a time for 0, negatives and pre-1900 dates.  Told
    from the cell's value, not from the problem's words."""
    shown = value.strip() if isinstance(value, str) else str(value)
    if not _TIME_SHOWN.fullmatch(shown):
        return problem
    return (
        f"单元格中是时刻“{shown}”而不是日期（值为0、负数，或是1900年以前的日期——"
        "Excel 不能存1900年以前的日期），请核对"
    )


def normalise(
    raw: pd.DataFrame,
    *,
    date1904: bool = False,
    as_of: dt.date | None = None,
    members: pd.DataFrame | None = None,
    members_source: str = "",
) -> Persons:
    """Typed person facts from canonical raw columns (missing columns → unknown).

    ``as_of`` (the assessment date, default today) bounds the dates: a date
    after it, a date before the person's birth, or a registration before the
    age of 16 is a data problem and unknown, never a fact.

    ``members`` (canonical raw columns, e.g. the rows of a 家属信息 sheet that
    are not in the ledger) are household members who are not persons of the
    ledger: typed the same way and kept as :attr:`Persons.members`, for the
    household tests only (see :func:`household_members`).
    """
    persons = _normalise(raw, date1904=date1904, as_of=as_of)
    if members is not None and len(members):
        persons.members = household_members(persons, members, date1904=date1904, as_of=as_of)
        persons.members_source = members_source
    return persons


# The columns a ledger does not have, as arrays: only the frame built from them reads them.


def _no_dates(n: int) -> np.ndarray:
    """A date column the ledger does not have: every date unknown (NaT)."""
    return np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")


def _no_booleans(n: int) -> pd.arrays.BooleanArray:
    """A yes/no column the ledger does not have: every answer unknown (<NA>)."""
    return pd.arrays.BooleanArray(np.zeros(n, dtype=bool), np.ones(n, dtype=bool))


def _no_numbers(n: int) -> pd.arrays.FloatingArray:
    """A number column the ledger does not have: every number unknown (<NA>)."""
    return pd.arrays.FloatingArray(np.zeros(n), np.ones(n, dtype=bool))


def _normalise(
    raw: pd.DataFrame, *, date1904: bool, as_of: dt.date | None, members: bool = False
) -> Persons:
    idx = raw.index
    n = len(raw)
    out: dict[str, pd.Series] = {}
    problems = _Problems(n)
    nothing = pd.Series([None] * n, index=idx, dtype=object)
    unreadable: dict[str, np.ndarray] = {}

    def unreadable_add(name: str, mask: np.ndarray) -> None:
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            prev = unreadable.get(name)
            unreadable[name] = mask.copy() if prev is None else (prev | mask)

    raw = _periods_split(_dashes_blank(raw))
    idx = raw.index
    cleaned = {}
    known = ERROR_VALUES | frozenset(raw.attrs.get(BAD_TEXTS_ATTR, ()))
    for name in raw.columns:
        if name not in fields.FIELDS:
            continue
        col, bad, msgs = _bad_cell_texts(raw[name], known)
        if bad.any():
            problems.add(
                bad, msgs[bad].astype(str).astype(object), name, "error_value", headed=True
            )
            unreadable_add(name, bad)
            cleaned[name] = col
    if cleaned:
        raw = raw.assign(**cleaned)

    def dated(name: str) -> pd.Series:
        """Parse a date column; problems for filled cells that are not dates."""
        # 出生年月 is often a month ("1975.03"): taken as the 1st, checked against the ID by month.
        month = fields.FIELDS[name].kind == fields.MONTH or name == "birth_date"
        column = _month_numbers_as_text(raw[name]) if month else raw[name]
        values, prob = parse_dates(column, date1904=date1904, allow_month=month)
        values.index = idx
        if not month:
            values, prob = _month_precision(name, column, values, prob, problems, date1904)
        bad = prob.to_numpy(dtype=object) != ""
        if bad.any():  # a problem of a blank cell is no problem (it is just unknown)
            bad &= ~_blank(raw[name]).to_numpy()
        if not bad.any():
            return values
        texts = [
            _time_message(v, str(t))
            for v, t in zip(
                column.to_numpy(dtype=object)[bad].tolist(),
                prob.to_numpy(dtype=object)[bad].tolist(),
                strict=True,
            )
        ]
        problems.add(bad, np.array(texts, dtype=object), name, "date_unreadable", headed=True)
        unreadable_add(name, bad)
        return values.where(~bad)

    # Identity: ID number first; sex and birth date come from it when their columns are missing.
    if "id_number" in raw.columns:
        ids = parse_ids(raw["id_number"])
        ids.index = idx
        out["id_number"] = ids["id_number"].astype(object)
        id_birth = pd.to_datetime(ids["birth_date"])
        id_sex = ids["sex"].astype(object)
        bad = (ids["problem"].to_numpy(dtype=object) != "") & ~_blank(raw["id_number"]).to_numpy()
        unreadable_add("id_number", bad)
        if bad.any():
            problems.add(
                bad,
                ids["problem"].to_numpy(dtype=object)[bad].astype(str).astype(object),
                "id_number",
                "id_invalid",
                headed=True,
            )
    else:
        out["id_number"] = nothing
        id_birth = pd.Series(pd.NaT, index=idx, dtype="datetime64[ns]")
        id_sex = nothing

    # A sex column, if any, must agree with the ID number.
    if "sex" in raw.columns:
        sex_col = _map_unique(raw["sex"], _to_sex)
        odd = (sex_col == "?").to_numpy(dtype=bool)
        problems.add(
            odd, _quoted("sex", raw["sex"], odd, "无法识别（应为男或女）"), "sex", "unreadable"
        )
        unreadable_add("sex", odd)
        sex_col = sex_col.where(~odd)
        conflict = (sex_col.notna() & id_sex.notna() & (sex_col != id_sex)).to_numpy(dtype=bool)
        if conflict.any():
            problems.add(
                conflict,
                "性别“"
                + sex_col[conflict].astype(str)
                + "”与身份证号码（"
                + id_sex[conflict].astype(str)
                + "）不一致",
                "sex",
                "conflicts_with_id",
            )
        sex = sex_col.where(sex_col.notna(), id_sex).where(~conflict, id_sex)
    else:
        sex = id_sex
    out["sex"] = sex.astype(object).where(sex.notna(), None)

    if "birth_date" in raw.columns:
        birth_col = dated("birth_date")
        same_month = (birth_col.dt.day == 1) & (
            birth_col.dt.to_period("M") == id_birth.dt.to_period("M")
        )
        conflict = (
            birth_col.notna() & id_birth.notna() & (birth_col != id_birth) & ~same_month
        ).to_numpy(dtype=bool)
        if conflict.any():
            problems.add(
                conflict,
                "出生日期"
                + birth_col[conflict].dt.strftime("%Y-%m-%d")
                + "与身份证号码（"
                + id_birth[conflict].dt.strftime("%Y-%m-%d")
                + "）不一致",
                "birth_date",
                "conflicts_with_id",
            )
        birth_col = birth_col.where(~same_month.fillna(False).to_numpy(dtype=bool), id_birth)
        birth = birth_col.fillna(id_birth).where(~conflict, id_birth)
    else:
        birth = id_birth
    out["birth_date"] = birth

    for name, spec in fields.FIELDS.items():
        if name in ("id_number", "sex", "birth_date"):
            continue
        present = name in raw.columns
        if spec.kind in (fields.DATE, fields.MONTH):
            out[name] = dated(name) if present else _no_dates(n)
        elif spec.kind == fields.BOOL:
            if present:
                codes, texts = _factorize(raw[name])
                table = [_to_bool(t) if t else None for t in texts] + [None]
                bad = np.array([v == "?" for v in table], dtype=bool)[codes]
                problems.add(
                    bad, _quoted(name, raw[name], bad, "无法识别（应为是或否）"), name, "unreadable"
                )
                unreadable_add(name, bad)
                # True / False where the cell says so; unknown (blank, unreadable) elsewhere
                yes = np.array([v is True for v in table], dtype=bool)[codes]
                known = np.array([v is True or v is False for v in table], dtype=bool)[codes]
                out[name] = pd.Series(pd.arrays.BooleanArray(yes, ~known), index=idx)
            else:
                out[name] = _no_booleans(n)
        elif spec.kind in (fields.INT, fields.MONEY):
            if present:
                numbers = _map_unique(
                    raw[name], _to_contract_years if name == "contract_years" else _to_number
                )
                bad = (numbers == "?").to_numpy(dtype=bool)
                problems.add(bad, _quoted(name, raw[name], bad, "不是数字"), name, "not_a_number")
                unreadable_add(name, bad)
                numeric = pd.to_numeric(numbers.where(~bad), errors="coerce").astype("Float64")
                negative = (numeric < 0).fillna(False).to_numpy(dtype=bool)
                problems.add(
                    negative, _quoted(name, raw[name], negative, "不能为负数"), name, "negative"
                )
                out[name] = numeric.where(~negative)
            else:
                out[name] = _no_numbers(n)
        else:
            out[name] = _text(raw[name]) if present else nothing

    _check_dates(out, raw, problems, unreadable_add, as_of or today())
    _household_from_head(out, raw)
    frame = pd.DataFrame(out, index=idx)
    # Derived codes.
    if "employment_status" in raw.columns:
        status = _map_unique(frame["employment_status"], _status)
        bad = (status == "?").to_numpy(dtype=bool)
        problems.add(
            bad,
            _quoted(
                "employment_status",
                raw["employment_status"],
                bad,
                "无法识别（应为失业/未就业或已就业等）",
            ),
            "employment_status",
            "unreadable",
        )
        unreadable_add("employment_status", bad)
        frame["status"] = status.where(~bad)
        if members and bad.any():  # a family sheet's 目前状况 “在校学生”
            _students_from_status(frame, problems, unreadable, bad)
    elif "employment_type" in raw.columns:
        # 就业方式 alone (灵活就业 / 公益性岗位 / 失业): a recognised form of work is "employed".
        status = _map_unique(frame["employment_type"], _status_from_type)
        frame["status"] = status.where(status != "?")
    else:
        frame["status"] = nothing
    etype_from_status = _map_unique(frame["employment_status"], _employment_type)
    etype = _map_unique(frame["employment_type"], _employment_type)
    known = etype.notna() & (etype != "?")
    etype = etype.where(known, etype_from_status.where(etype_from_status != "?"))
    frame["etype"] = etype.where(frame["status"] == EMPLOYED)
    frame["employer_kind"] = _map_unique(frame["former_employer_type"], _employer_type)
    hukou = _map_unique(frame["household_registration"], _hukou)
    if "household_registration" in raw.columns:
        bad = (hukou == "?").to_numpy(dtype=bool)
        problems.add(
            bad,
            _quoted(
                "household_registration",
                raw["household_registration"],
                bad,
                "无法判断城镇或农村户籍",
            ),
            "household_registration",
            "unreadable",
        )
    frame["hukou"] = hukou.where(hukou != "?")
    sep = _map_unique(frame["separation_type"], _separation)
    frame["separation"] = sep.where(sep != "?")
    marital = _map_unique(frame["marital_status"], lambda t: ("离" in t) or ("丧偶" in t))
    frame["single_parent"] = marital.astype("boolean")
    if frame["income_per_head"].isna().all():
        size = frame["household_size"].where(frame["household_size"] > 0)
        frame["income_per_head"] = (frame["household_income"] / size).astype("Float64")

    absent = frozenset(name for name in fields.FIELDS if name not in raw.columns)
    if "id_number" in absent or "birth_date" not in absent:
        pass
    else:  # birth date and sex come from the ID number
        absent = absent - {"birth_date", "sex"}
    if "sex" in absent and "id_number" not in absent:
        absent = absent - {"sex"}
    return Persons(frame, problems.joined(idx), problems.records(idx), absent, unreadable)


#: What ledgers write for "none" in a date, number or month cell: a blank, not a value.
NONE_MARKS = frozenset({"—", "——", "-", "--", "－", "―", "/", "／", "\\", "无", "空", "暂无"})
#: Of them, the marks that are no word: in a number column “无” may mean 0 (合同期限 无).
DASH_MARKS = frozenset(m for m in NONE_MARKS if m not in ("无", "空", "暂无"))


def _dashes_blank(raw: pd.DataFrame) -> pd.DataFrame:
    """“—”, “/”, “无” in a date, month, number or amount column: no value (blank)."""
    changed = {}
    for name in raw.columns:
        spec = fields.FIELDS.get(name)
        if spec is None or spec.kind not in (
            fields.DATE,
            fields.MONTH,
            fields.INT,
            fields.MONEY,
            fields.PERIOD,
        ):
            continue
        col = raw[name]
        codes, uniques = pd.factorize(col.to_numpy(dtype=object), use_na_sentinel=True)
        marks = NONE_MARKS if spec.kind not in (fields.INT, fields.MONEY) else DASH_MARKS
        hit = [isinstance(u, str) and u.strip() in marks for u in uniques]
        if any(hit):
            table = np.array(
                [None if h else u for u, h in zip(uniques, hit, strict=True)] + [None], dtype=object
            )
            changed[name] = pd.Series(table[codes], index=col.index, dtype=object)
    return raw.assign(**changed) if changed else raw


_PERIOD = re.compile(
    r"^\s*(?P<a>\d{4}\s*(?:[-/.]|年)\s*\d{1,2}\s*月?|\d{6})\s*(?:至|到|~|～|—|－|-{1,2}|－{1,2})\s*"
    r"(?P<b>\d{4}\s*(?:[-/.]|年)\s*\d{1,2}\s*月?|\d{6})\s*$"
)


def split_period(value: object) -> tuple[object, object]:
    """“2022.03-2022.12”, “2023年7月至2023年12月”, “202401—202412” → (start, end) as
    written, or (None, None) when the cell is no period of two months."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None, None
    m = _PERIOD.match(unicodedata.normalize("NFKC", str(value)).replace("～", "~"))
    if not m:
        return None, None
    return m.group("a").strip(), m.group("b").strip()


def _periods_split(raw: pd.DataFrame) -> pd.DataFrame:
    """A 补贴起止年月 cell (one period) gives 补贴开始年月 and 补贴结束年月 when the
    ledger has no columns of their own; a cell that is no period stays unknown."""
    if "subsidy_period" not in raw.columns:
        return raw
    add = {}
    pairs = [split_period(v) for v in raw["subsidy_period"].tolist()]
    if "subsidy_start_month" not in raw.columns:
        add["subsidy_start_month"] = pd.Series([a for a, _ in pairs], index=raw.index, dtype=object)
    if "subsidy_end_month" not in raw.columns:
        add["subsidy_end_month"] = pd.Series([b for _, b in pairs], index=raw.index, dtype=object)
    return raw.assign(**add) if add else raw


def _month_precision(name, column, values, prob, problems: _Problems, date1904: bool):
    """A date field written to the month (“2023.05”, “2023年5月”): the 1st of that month,
    said in the row's 数据问题 as an assumption (code ``month_precision``), not an error."""
    p = prob.to_numpy(dtype=object)
    month_only = np.array(["只有年月" in str(t) for t in p], dtype=bool)
    if not month_only.any():
        return values, prob
    again, prob2 = parse_dates(column[month_only], date1904=date1904, allow_month=True)
    values = values.copy()
    prob = prob.copy()
    ok = prob2.to_numpy(dtype=object) == ""
    rows = np.flatnonzero(month_only)[ok]
    values.iloc[rows] = again.to_numpy()[ok]
    prob.iloc[rows] = ""
    mask = np.zeros(len(values), dtype=bool)
    mask[rows] = True
    shown = column.to_numpy(dtype=object)[mask]
    problems.add(
        mask,
        np.array(
            [f"“{v}”只写到月，按该月1日计" for v in shown.tolist()],
            dtype=object,
        ),
        name,
        "month_precision",
        headed=True,
    )
    return values, prob


def _status_from_type(text: str):
    if any(w in text for w in ("未就业", "失业", "待业", "无业", "下岗")):
        return UNEMPLOYED
    if any(w in text for w in ("退休", "离休", "养老金")):
        return RETIRED
    return EMPLOYED if _employment_type(text) != "?" else "?"


#: Dates that record something the person did: not before the age of 16.
_ADULT_DATES = ("unemployment_registration_date", "jobseeking_date", "first_approval_date")
#: Dates that may lie after the assessment date (a subsidy's planned last month).
_FUTURE_OK = ("subsidy_end_month",)
#: (start, end) pairs whose end may not come before the start.
_ORDERED = (("subsidy_start_month", "subsidy_end_month"),)


def _check_dates(out, raw, problems, unreadable_add, as_of: dt.date) -> None:
    """Dates the ledger cannot mean: after the assessment date, before birth,
    an act before 16, an end before its start.  Each is a problem naming the
    value and becomes unknown (NaT)."""
    limit = pd.Timestamp(as_of)
    birth = out["birth_date"]
    sixteen = birth + pd.DateOffset(years=16) if birth.notna().any() else birth

    def flag(name: str, mask: np.ndarray, what) -> None:
        if not mask.any():
            return
        values = out[name][mask].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
        texts = np.asarray(what if not isinstance(what, str) else [what] * len(values))
        if len(texts) != len(values):
            texts = texts[mask]
        msgs = [
            f"“{v}”{t}，按未知处理" for v, t in zip(values.tolist(), texts.tolist(), strict=True)
        ]
        problems.add(mask, np.array(msgs, dtype=object), name, "implausible_date", headed=True)
        unreadable_add(name, mask)
        out[name] = out[name].where(~mask)

    for name, spec in fields.FIELDS.items():
        if (
            spec.kind not in (fields.DATE, fields.MONTH)
            or name == "birth_date"
            or name not in raw.columns
        ):
            continue
        d = out[name]
        if name not in _FUTURE_OK:
            flag(
                name,
                (d > limit).fillna(False).to_numpy(dtype=bool),
                f"晚于认定基准日期（{as_of.isoformat()}）",
            )
        d = out[name]
        before = (d < birth).fillna(False).to_numpy(dtype=bool)
        if before.any():
            flag(
                name,
                before,
                ("早于出生日期（" + birth.dt.strftime("%Y-%m-%d") + "）").to_numpy(dtype=object),
            )
        if name in _ADULT_DATES:
            d = out[name]
            young = (d < sixteen).fillna(False).to_numpy(dtype=bool)
            flag(name, young, "时本人未满16周岁")
    for start, end in _ORDERED:
        if start in raw.columns and end in raw.columns:
            s, e = out[start], out[end]
            wrong = (e < s).fillna(False).to_numpy(dtype=bool)
            if wrong.any():
                flag(
                    end,
                    wrong,
                    (
                        "早于" + fields.header_of(start) + "（" + s.dt.strftime("%Y-%m") + "）"
                    ).to_numpy(dtype=object),
                )


def _household_from_head(out, raw) -> None:
    """Households from 户主公民身份号码 (家属信息 exports) when there is no 家庭编号.

    A member's household is the head's ID number; a head (whose own number
    is some row's 户主公民身份号码, or whose 与户主关系 is 户主/本人) heads
    their own household.
    """
    if "household_head_id" not in raw.columns:
        return
    head = out["household_head_id"].map(
        lambda v: None if v is None else str(v).strip().upper().replace(" ", "") or None
    )
    own = out["id_number"]
    heads = set(head.dropna().tolist())
    is_head = own.isin(heads)
    if "relation" in raw.columns:
        is_head |= out["relation"].fillna("").astype(str).str.contains("户主|本人").to_numpy()
    key = head.where(head.notna(), own.where(is_head))
    current = out.get("household_id")
    if current is None or current.isna().all():
        out["household_id"] = key.astype(object)
    else:
        out["household_id"] = current.where(current.notna(), key).astype(object)


_STUDENT = re.compile(r"在校|在读|学生|上学")


def _students_from_status(frame, problems: _Problems, unreadable: dict, bad: np.ndarray) -> None:
    """就业状态 “在校学生” of a household member (a 家属信息 sheet's 目前状况): an
    in-school student, neither employed nor unemployed — not an unreadable status.
    Sets 在校学生 where it is blank (the household tests leave students out).
    A ledger person's status stays as read: their own rules need it."""
    student = _map_unique(frame["employment_status"], lambda t: bool(_STUDENT.search(t)))
    student = (student == True).to_numpy(dtype=bool) & bad  # noqa: E712
    if not student.any():
        return
    keep = [
        i
        for i, ((rows, _), (name, _, _)) in enumerate(
            zip(problems.parts, problems.tags, strict=True)
        )
        if name == "employment_status"
    ]
    for i in keep:  # the status problem added just above: not a problem for a student
        rows, msgs = problems.parts[i]
        ok = ~student[rows]
        problems.parts[i] = (rows[ok], msgs[ok])
    unreadable["employment_status"] = unreadable["employment_status"] & ~student
    school = frame["in_school"]
    frame["in_school"] = school.mask(school.isna() & student, True).astype("boolean")


def household_members(
    persons: Persons,
    members: pd.DataFrame,
    *,
    date1904: bool = False,
    as_of: dt.date | None = None,
) -> Persons:
    """Typed facts of household members who are not persons of the ledger.

    A member's household is the head's ID number (户主公民身份号码); where the
    head is a person of the ledger, the member joins that person's household
    (their 家庭编号 when the ledger keeps one).  Members without a head stay
    out of every household.
    """
    m = _normalise(members, date1904=date1904, as_of=as_of, members=True)
    key = m.frame["household_id"]
    own = persons.frame[["id_number", "household_id"]].dropna()
    own = own[~own["id_number"].duplicated()]
    if len(own) and key.notna().any():
        by_head = pd.Series(own["household_id"].to_numpy(), index=own["id_number"].to_numpy())
        mapped = key.map(by_head)
        m.frame["household_id"] = mapped.where(mapped.notna(), key).astype(object)
    return m


def today() -> dt.date:
    return dt.date.today()


# --------------------------------------------------------------------------- value domains

#: Words a certified hardship category is written with (SX-2008 一, JS-2002 二, AH-2011 (三)
#: and the categories of later local rules: 大龄失业人员, 城镇零就业家庭成员, 4050人员 …).
CATEGORY_WORDS = (
    "大龄", "4050", "40、50", "四五零", "残疾", "低保", "零就业", "零转移", "失地", "被征地",
    "失林", "毕业生", "单亲", "离异", "特困", "长期失业", "连续失业", "关闭破产", "下岗",
    "就业困难", "援助对象", "退役", "戒毒", "刑满", "脱贫", "建档立卡", "困难家庭", "其他",
)  # fmt: skip
#: Of them, the words that say a hardship category rather than how a job was lost.
HARDSHIP_WORDS = tuple(w for w in CATEGORY_WORDS if w not in ("下岗", "关闭破产", "其他"))
_NUMBERISH = re.compile(r"^[\d.,，\s]+$")


def _is_date_value(v: object) -> bool:
    if isinstance(v, (dt.date, dt.datetime, pd.Timestamp)):
        return True
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        n = float(v)
        return 190001 <= n <= 219912 or 1 <= n <= 110000  # a month number or an Excel serial
    from calc.dates import to_date

    try:
        to_date(str(v), allow_month=True)
        return True
    except Exception:  # noqa: BLE001 - any failure means: not a date
        return split_period(v) != (None, None)


def _is_category_value(v: object) -> bool:
    t = str(v)
    return any(w in t for w in CATEGORY_WORDS)


def value_fits(name: str, value: object) -> bool | None:
    """Whether one filled cell is a value of the field ``name`` (None: no check for it).

    The value-domain check of a recognised column: a 困难类型 column listing needs
    (生活、医疗、住房) is no 就业困难人员类型, a √ column no date."""
    spec = fields.FIELDS.get(name)
    if spec is None:
        return None
    if name == "certified_category":
        return _is_category_value(value)
    if name == "separation_type":
        return _separation(str(value)) != "?" and not is_hardship_category(value)
    kind = spec.kind
    text = str(value).strip()
    if kind in (fields.DATE, fields.MONTH):
        return _is_date_value(value)
    if kind == fields.PERIOD:
        return split_period(value) != (None, None) or _is_date_value(value)
    if kind == fields.BOOL:
        return _to_bool(text) != "?"
    if kind in (fields.INT, fields.MONEY):
        return isinstance(value, (int, float)) or _to_number(text) != "?"
    if kind == fields.SEX:
        return _to_sex(text) != "?"
    if kind == fields.ID:
        t = re.sub(r"[\s\u3000]", "", text)
        return bool(re.fullmatch(r"\d{15}|\d{17}[\dXx]", t)) or (
            isinstance(value, (int, float)) and len(str(int(value))) in (15, 18)
        )
    return None


def is_hardship_category(value: object) -> bool:
    """The text names a hardship category (大龄失业人员, 城镇零就业家庭成员), not a way
    of losing a job (下岗, 失业, 关闭破产)."""
    t = str(value)
    return any(w in t for w in HARDSHIP_WORDS)


def domain_share(name: str, values: list[object]) -> tuple[float, int] | None:
    """(share of the filled cells that are values of ``name``, filled cells), or None
    when the field has no value domain to check or nothing is filled."""
    filled = [v for v in values if v is not None and str(v).strip() not in ("", "nan")]
    filled = [v for v in filled if not (isinstance(v, str) and v.strip() in NONE_MARKS)]
    if not filled:
        return None
    verdicts = [value_fits(name, v) for v in filled]
    if verdicts[0] is None:
        return None
    return sum(1 for x in verdicts if x) / len(filled), len(filled)
