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

    def __len__(self) -> int:
        return len(self.frame)


def _blank(series: pd.Series) -> pd.Series:
    as_text = series.astype("string").str.strip()
    return series.isna() | as_text.isna() | (as_text == "")


def _map_unique(series: pd.Series, convert) -> pd.Series:
    """Apply ``convert`` once per distinct value (the column's vocabulary is small)."""
    keys = series.astype("string").str.strip()
    uniques = keys.dropna().unique()
    table = {k: convert(k) for k in uniques}
    return keys.map(table)


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


def _bad(field: str, values: pd.Series, mask: pd.Series, what: str) -> pd.Series:
    header = F.header_of(field)
    msg = pd.Series("", index=values.index, dtype=object)
    if mask.any():
        msg[mask] = header + "“" + values[mask].astype(str) + "”" + what
    return msg


def normalise(raw: pd.DataFrame, *, date1904: bool = False) -> Persons:
    """Typed person facts from canonical raw columns (missing columns → unknown)."""
    idx = raw.index
    n = len(raw)
    out: dict[str, pd.Series] = {}
    problems: list[pd.Series] = []

    def col(name: str) -> pd.Series:
        if name in raw.columns:
            return raw[name]
        return pd.Series([None] * n, index=idx, dtype=object)

    # Identity: ID number first; sex and birth date come from it when their columns are missing.
    if "id_number" in raw.columns:
        ids = parse_ids(raw["id_number"])
        ids.index = idx
        id_blank = _blank(raw["id_number"])
        out["id_number"] = ids["id_number"]
        id_birth = pd.to_datetime(ids["birth_date"])
        id_sex = ids["sex"]
        bad = (ids["problem"] != "") & ~id_blank
        msg = pd.Series("", index=idx, dtype=object)
        msg[bad] = F.header_of("id_number") + "：" + ids["problem"][bad]
        problems.append(msg)
    else:
        out["id_number"] = pd.Series([None] * n, index=idx, dtype=object)
        id_birth = pd.Series(pd.NaT, index=idx, dtype="datetime64[ns]")
        id_sex = pd.Series([None] * n, index=idx, dtype=object)

    # Sex column (if any) must agree with the ID number.
    if "sex" in raw.columns:
        sex_col = _map_unique(raw["sex"], _to_sex)
        unreadable = sex_col == "?"
        problems.append(_bad("sex", raw["sex"], unreadable.fillna(False), "无法识别（应为男或女）"))
        sex_col = sex_col.where(~unreadable.fillna(False))
        conflict = sex_col.notna() & id_sex.notna() & (sex_col != id_sex)
        msg = pd.Series("", index=idx, dtype=object)
        msg[conflict] = (
            "性别“"
            + sex_col[conflict].astype(str)
            + "”与身份证号码（"
            + id_sex[conflict].astype(str)
            + "）不一致"
        )
        problems.append(msg)
        sex = sex_col.fillna(id_sex).where(~conflict, id_sex)
    else:
        sex = id_sex
    out["sex"] = sex.astype(object).where(sex.notna(), None)

    if "birth_date" in raw.columns:
        birth_col, birth_problem = parse_dates(raw["birth_date"], date1904=date1904)
        birth_col.index = idx
        birth_problem.index = idx
        blank = _blank(raw["birth_date"])
        msg = pd.Series("", index=idx, dtype=object)
        bad = (birth_problem != "") & ~blank
        msg[bad] = F.header_of("birth_date") + "：" + birth_problem[bad]
        problems.append(msg)
        conflict = birth_col.notna() & id_birth.notna() & (birth_col != id_birth)
        msg = pd.Series("", index=idx, dtype=object)
        msg[conflict] = (
            "出生日期"
            + birth_col[conflict].dt.strftime("%Y-%m-%d")
            + "与身份证号码（"
            + id_birth[conflict].dt.strftime("%Y-%m-%d")
            + "）不一致"
        )
        problems.append(msg)
        birth = birth_col.fillna(id_birth).where(~conflict, id_birth)
    else:
        birth = id_birth
    out["birth_date"] = birth

    for name, spec in F.FIELDS.items():
        if name in ("id_number", "sex", "birth_date"):
            continue
        series = col(name)
        present = name in raw.columns
        if spec.kind == F.DATE:
            if present:
                values, prob = parse_dates(series, date1904=date1904)
                values.index = idx
                prob.index = idx
                blank = _blank(series)
                msg = pd.Series("", index=idx, dtype=object)
                bad = (prob != "") & ~blank
                msg[bad] = spec.header + "：" + prob[bad]
                problems.append(msg)
                out[name] = values.where(~bad)
            else:
                out[name] = pd.Series(pd.NaT, index=idx, dtype="datetime64[ns]")
        elif spec.kind == F.BOOL:
            if present:
                mapped = _map_unique(series, _to_bool)
                bad = (mapped == "?").fillna(False)
                problems.append(_bad(name, series, bad, "无法识别（应为是或否）"))
                out[name] = mapped.where(~bad).astype("boolean")
            else:
                out[name] = pd.Series(pd.NA, index=idx, dtype="boolean")
        elif spec.kind in (F.INT, F.MONEY):
            if present:
                numeric = pd.to_numeric(series, errors="coerce")
                rest = numeric.isna() & ~_blank(series)
                if rest.any():
                    parsed = _map_unique(series[rest], _to_number)
                    bad = parsed == "?"
                    numeric[rest] = pd.to_numeric(parsed.where(~bad), errors="coerce")
                    problems.append(
                        _bad(
                            name,
                            series,
                            (rest & (parsed == "?").reindex(idx, fill_value=False)),
                            "不是数字",
                        )
                    )
                neg = numeric < 0
                problems.append(_bad(name, series, neg.fillna(False), "不能为负数"))
                out[name] = numeric.where(~neg.fillna(False)).astype("Float64")
            else:
                out[name] = pd.Series(pd.NA, index=idx, dtype="Float64")
        else:
            text = series.astype("string").str.strip()
            out[name] = text.where(text != "")

    frame = pd.DataFrame(out, index=idx)
    # Derived codes.
    frame["status"] = (
        _map_unique(frame["employment_status"], _status)
        if "employment_status" in raw.columns
        else pd.Series(pd.NA, index=idx, dtype="string")
    )
    if "employment_status" in raw.columns:
        bad = (frame["status"] == "?").fillna(False)
        problems.append(
            _bad(
                "employment_status",
                raw["employment_status"],
                bad,
                "无法识别（应为失业/未就业或已就业等）",
            )
        )
        frame["status"] = frame["status"].where(~bad)
    etype_from_status = _map_unique(frame["employment_status"], _employment_type)
    etype = _map_unique(frame["employment_type"], _employment_type)
    etype = etype.where(etype != "?").fillna(etype_from_status.where(etype_from_status != "?"))
    frame["etype"] = etype.where(frame["status"] == EMPLOYED)
    frame["employer_kind"] = _map_unique(frame["former_employer_type"], _employer_type)
    hukou = _map_unique(frame["household_registration"], _hukou)
    if "household_registration" in raw.columns:
        bad = (hukou == "?").fillna(False)
        problems.append(
            _bad(
                "household_registration",
                raw["household_registration"],
                bad,
                "无法判断城镇或农村户籍",
            )
        )
    frame["hukou"] = hukou.where(hukou != "?")
    sep = _map_unique(frame["separation_type"], _separation)
    frame["separation"] = sep.where(sep != "?")
    marital = frame["marital_status"].astype("string")
    frame["single_parent"] = (marital.str.contains("离") | marital.str.contains("丧偶")).astype(
        "boolean"
    )
    if "income_per_head" not in raw.columns or frame["income_per_head"].isna().all():
        size = frame["household_size"].where(frame["household_size"] > 0)
        frame["income_per_head"] = (frame["household_income"] / size).astype("Float64")

    joined = _join_problems(problems, idx)
    return Persons(frame, joined)


def _join_problems(parts: list[pd.Series], idx: pd.Index) -> pd.Series:
    if not parts:
        return pd.Series("", index=idx, dtype=object)
    stacked = np.column_stack(
        [p.reindex(idx, fill_value="").astype(object).to_numpy() for p in parts]
    )
    result = pd.Series("", index=idx, dtype=object)
    rows = np.flatnonzero((stacked != "").any(axis=1))
    for r in rows:
        result.iat[r] = "；".join(x for x in stacked[r] if x)
    return result


def today() -> dt.date:
    return dt.date.today()
