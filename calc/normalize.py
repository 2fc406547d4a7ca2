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
from dataclasses import dataclass

import numpy as np
import pandas as pd

from calc import fields as F
from calc.dates import parse_dates
from calc.identity import parse_ids

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


@dataclass
class Persons:
    """Typed facts, one row per person, same index as the ledger."""

    frame: pd.DataFrame
    problems: pd.Series  # Chinese, "" when the row is clean
    #: the same problems as data: one row per problem — row (index label), field
    #: (canonical name), code (kind of problem), message (Chinese, with its header)
    records: pd.DataFrame | None = None

    def __len__(self) -> int:
        return len(self.frame)


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
    t = text.strip().upper()
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


def _status(text: str):
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
    """Sparse per-row problem messages: only rows with a problem cost anything."""

    def __init__(self, n: int):
        self.n = n
        self.parts: list[tuple[np.ndarray, np.ndarray]] = []
        self.tags: list[tuple[str | None, str]] = []

    def add(self, mask, messages, field: str | None = None, code: str = "") -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        rows = np.flatnonzero(mask)
        if isinstance(messages, str):
            msgs = np.full(len(rows), messages, dtype=object)
        else:
            msgs = np.asarray(messages, dtype=object)
            msgs = msgs[rows] if len(msgs) == self.n else msgs
        self.parts.append((rows, msgs))
        self.tags.append((field, code))

    def records(self, index: pd.Index) -> pd.DataFrame:
        """(row, field, code, message) per problem, in row order."""
        frames = [
            pd.DataFrame(
                {"pos": rows, "field": field, "code": code, "message": msgs},
            )
            for (rows, msgs), (field, code) in zip(self.parts, self.tags, strict=True)
        ]
        if not frames:
            return pd.DataFrame(columns=["row", "field", "code", "message"])
        out = pd.concat(frames, ignore_index=True).sort_values("pos", kind="stable")
        out.insert(0, "row", index[out["pos"].to_numpy()])
        return out.drop(columns="pos").reset_index(drop=True)

    def joined(self, index: pd.Index) -> pd.Series:
        out = np.full(self.n, "", dtype=object)
        for rows, msgs in self.parts:
            for r, m in zip(rows.tolist(), msgs.tolist(), strict=True):
                out[r] = m if not out[r] else out[r] + "；" + m
        return pd.Series(out, index=index, dtype=object)


def _quoted(field: str, raw: pd.Series, mask: np.ndarray, what: str) -> np.ndarray:
    values = raw.to_numpy(dtype=object)[mask]
    return np.array([f"{F.header_of(field)}“{v}”{what}" for v in values.tolist()], dtype=object)


def normalise(raw: pd.DataFrame, *, date1904: bool = False) -> Persons:
    """Typed person facts from canonical raw columns (missing columns → unknown)."""
    idx = raw.index
    n = len(raw)
    out: dict[str, pd.Series] = {}
    problems = _Problems(n)
    nothing = pd.Series([None] * n, index=idx, dtype=object)

    def dated(name: str) -> pd.Series:
        """Parse a date column; problems for filled cells that are not dates."""
        values, prob = parse_dates(raw[name], date1904=date1904)
        values.index = idx
        bad = (prob.to_numpy(dtype=object) != "") & ~_blank(raw[name]).to_numpy()
        if bad.any():
            problems.add(
                bad,
                F.header_of(name)
                + "："
                + prob.to_numpy(dtype=object)[bad].astype(str).astype(object),
                name,
                "date_unreadable",
            )
        return values.where(~bad)

    # Identity: ID number first; sex and birth date come from it when their columns are missing.
    if "id_number" in raw.columns:
        ids = parse_ids(raw["id_number"])
        ids.index = idx
        out["id_number"] = ids["id_number"].astype(object)
        id_birth = pd.to_datetime(ids["birth_date"])
        id_sex = ids["sex"].astype(object)
        bad = (ids["problem"].to_numpy(dtype=object) != "") & ~_blank(raw["id_number"]).to_numpy()
        if bad.any():
            problems.add(
                bad,
                F.header_of("id_number")
                + "："
                + ids["problem"].to_numpy(dtype=object)[bad].astype(str).astype(object),
                "id_number",
                "id_invalid",
            )
    else:
        out["id_number"] = nothing
        id_birth = pd.Series(pd.NaT, index=idx, dtype="datetime64[ns]")
        id_sex = nothing

    # A sex column, if any, must agree with the ID number.
    if "sex" in raw.columns:
        sex_col = _map_unique(raw["sex"], _to_sex)
        unreadable = (sex_col == "?").to_numpy(dtype=bool)
        problems.add(
            unreadable,
            _quoted("sex", raw["sex"], unreadable, "无法识别（应为男或女）"),
            "sex",
            "unreadable",
        )
        sex_col = sex_col.where(~unreadable)
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
        conflict = (birth_col.notna() & id_birth.notna() & (birth_col != id_birth)).to_numpy(
            dtype=bool
        )
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
        birth = birth_col.fillna(id_birth).where(~conflict, id_birth)
    else:
        birth = id_birth
    out["birth_date"] = birth

    for name, spec in F.FIELDS.items():
        if name in ("id_number", "sex", "birth_date"):
            continue
        present = name in raw.columns
        if spec.kind == F.DATE:
            out[name] = (
                dated(name) if present else pd.Series(pd.NaT, index=idx, dtype="datetime64[ns]")
            )
        elif spec.kind == F.BOOL:
            if present:
                mapped = _map_unique(raw[name], _to_bool)
                bad = (mapped == "?").to_numpy(dtype=bool)
                problems.add(
                    bad, _quoted(name, raw[name], bad, "无法识别（应为是或否）"), name, "unreadable"
                )
                out[name] = mapped.where(~bad).astype("boolean")
            else:
                out[name] = pd.Series(pd.NA, index=idx, dtype="boolean")
        elif spec.kind in (F.INT, F.MONEY):
            if present:
                numbers = _map_unique(raw[name], _to_number)
                bad = (numbers == "?").to_numpy(dtype=bool)
                problems.add(bad, _quoted(name, raw[name], bad, "不是数字"), name, "not_a_number")
                numeric = pd.to_numeric(numbers.where(~bad), errors="coerce").astype("Float64")
                negative = (numeric < 0).fillna(False).to_numpy(dtype=bool)
                problems.add(
                    negative, _quoted(name, raw[name], negative, "不能为负数"), name, "negative"
                )
                out[name] = numeric.where(~negative)
            else:
                out[name] = pd.Series(pd.NA, index=idx, dtype="Float64")
        else:
            out[name] = _text(raw[name]) if present else nothing

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
        frame["status"] = status.where(~bad)
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

    return Persons(frame, problems.joined(idx), problems.records(idx))


def today() -> dt.date:
    return dt.date.today()
