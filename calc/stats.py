"""Statistics of assessed ledgers for a reporting period (就业援助工作统计报表).

The texts ask offices to report, not only to decide: AH-2011 (十七) “按季上报就业援助
工作统计报表”; SX-2008 二(二) “建立就业困难人员就业失业状况的统计制度”, 四(一) monthly
follow-up visits (“按月……跟踪随访”, ending after half a year of stable work);
GS-2003 六(十二) progress “按月汇总”, main targets “按季汇总”; JS-2002 四(一)
“建卡造册，逐级上报”.

This module turns one assessed ledger (:class:`calc.assess.LedgerRun`) into a
compact *person table* (one row per person, typed columns, no explanation text)
and counts figures over any number of such tables, per community, per street
and in total.  Everything is data (counts keyed by item); Chinese labels are the
item names the report prints.  Nothing here reads or writes a file.

What one snapshot cannot tell is said in :data:`LIMITS` and printed in the
report's 说明 sheet: a lapse (资格终止) carries no date in a ledger, so exits are
counted as of the assessment day, not per month; a person who left the ledger
before it was saved is not in it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from calc.clauses import Clause
from calc.errors import InputError
from calc.missing import causes_per_row
from calc.text_columns import repeated

# ----------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    """A reporting period: first and last day (inclusive) and its label."""

    start: dt.date
    end: dt.date
    label: str

    def months(self) -> list[dt.date]:
        """The first day of every month of the period."""
        out, m = [], dt.date(self.start.year, self.start.month, 1)
        while m <= self.end:
            out.append(m)
            m = _next_month(m)
        return out


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _month_end(day: dt.date) -> dt.date:
    return _next_month(day) - dt.timedelta(days=1)


_QUARTER = re.compile(r"^\s*(\d{4})\s*(?:[Qq]|年第?)\s*([1-4一二三四])\s*(?:季度?)?\s*$")
_MONTH = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*年?\s*$")
_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4}


def quarter(text: str) -> Period:
    """``2026Q4`` / ``2026年第四季度`` → 2026-10-01 … 2026-12-31."""
    m = _QUARTER.match(str(text))
    if not m:
        raise InputError(f"季度“{text}”无法识别，请写成 2026Q4 或 2026年第四季度")
    year = int(m.group(1))
    q = _CN_DIGIT.get(m.group(2)) or int(m.group(2))
    start = dt.date(year, 3 * q - 2, 1)
    end = _month_end(dt.date(year, 3 * q, 1))
    return Period(start, end, f"{year}年第{'一二三四'[q - 1]}季度")


def month(text: str) -> Period:
    """``2026-11`` / ``2026年11月`` → 2026-11-01 … 2026-11-30."""
    m = _MONTH.match(str(text))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise InputError(f"月份“{text}”无法识别，请写成 2026-11 或 2026年11月")
    start = dt.date(int(m.group(1)), int(m.group(2)), 1)
    return Period(start, _month_end(start), f"{start.year}年{start.month}月")


def year(text: str) -> Period:
    m = _YEAR.match(str(text))
    if not m:
        raise InputError(f"年度“{text}”无法识别，请写成 2026")
    y = int(m.group(1))
    return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), f"{y}年")


def current_quarter(today: dt.date) -> Period:
    return quarter(f"{today.year}Q{(today.month - 1) // 3 + 1}")


# ----------------------------------------------------------------------------- ways


#: How a person found work, as the report groups it (the ledger's 就业形式).
WAYS = ("企业吸纳", "灵活就业", "公益性岗位", "自主创业")
OTHER_WAY, UNKNOWN_WAY = "其他形式", "未填就业形式"
#: Words of a 就业形式 cell → the group.  组织起来就业 and 非全日制 are forms of flexible
#: employment; 个体经营 is self-employment (自主创业).
WAY_WORDS = (
    ("公益性岗位", ("公益", "托底")),
    ("自主创业", ("创业", "个体", "自谋", "自主经营", "开店")),
    ("灵活就业", ("灵活", "非全日", "组织起来", "临时", "零工", "钟点")),
    ("企业吸纳", ("企业", "单位", "吸纳", "招用", "合同", "用人")),
)


def way_of(values: pd.Series) -> pd.Series:
    """The group of each 就业形式 cell (one look-up per distinct value)."""
    distinct = pd.unique(values.dropna())
    table = {}
    for v in distinct:
        text = str(v).strip()
        table[v] = next(
            (way for way, words in WAY_WORDS if any(w in text for w in words)),
            OTHER_WAY if text else UNKNOWN_WAY,
        )
    return values.map(table).fillna(UNKNOWN_WAY)


# ----------------------------------------------------------------------------- follow-up

#: The deadline events of a pack that schedule follow-up visits (SX-2008 四(一)
#: “按月对就业困难人员进行跟踪随访……对稳定就业在半年以上的人员，可以结束跟踪随访”):
#: the next visit, and the day from which visits may end.  The dates are the engine's
#: (calc.deadlines), the same as the 时限提醒 column of a filled ledger.
NEXT_VISIT, VISITS_END = "下次跟踪随访", "可结束跟踪随访"


# ----------------------------------------------------------------------------- person table

STATUSES = ("符合", "不符合", "待核实", "资格终止")


def person_table(run, source: str, *, targets: list[dict] | None = None) -> pd.DataFrame:
    """One row per person of ``run`` with what the figures count (no explanation text).

    Columns: source, street, community, id, name, status, cat:<code> (bool, the
    categories matched), ben:<code> (granted), period_end, certified (认定日期),
    employed (known employed), employment_date, way, lapse (key of the first
    lapse that applies, ""), retirement (statutory retirement date), household,
    zero_household (boolean, NA unknown), last_visit, causes (the labels of
    the row's 待核实 causes, a tuple, from the run's data: calc.missing).
    """
    f = run.persons.frame
    res = run.results
    n = len(res)
    ctx = run.context
    table = pd.DataFrame(index=res.index)
    table["source"] = source
    table["street"] = _unit(f, "street", "（未填街道）")
    table["community"] = _unit(f, "community", "（未填社区）")
    table["id"] = f["id_number"].fillna("").astype(str) if "id_number" in f else ""
    table["name"] = f["name"].fillna("").astype(str) if "name" in f else ""
    table["status"] = res["status"].to_numpy()
    for code, mask in run.category_masks.items():
        table[f"cat:{code}"] = np.asarray(mask, dtype=bool)
    for code, mask in run.benefit_masks.items():
        table[f"ben:{code}"] = np.asarray(mask, dtype=bool)
    table["period_end"] = pd.to_datetime(res["period_end"])
    table["certified"] = _date(f, "first_approval_date")
    table["subsidy_start"] = _date(f, "subsidy_start_month")
    employed = ctx.employed if "status" in f else pd.Series(pd.NA, index=res.index)
    table["employed"] = employed.fillna(False).astype(bool).to_numpy()
    table["employment_date"] = _date(f, "employment_date")
    table["way"] = way_of(f["employment_type"]) if "employment_type" in f else UNKNOWN_WAY
    lapse = np.full(n, "", dtype=object)
    ended = res["status"].to_numpy() == "资格终止"  # a lapse ends only a status held
    for key, mask in run.lapse_masks.items():
        lapse[(lapse == "") & ended & np.asarray(mask, dtype=bool)] = key
    table["lapse"] = lapse
    try:
        table["retirement"] = pd.to_datetime(ctx.retirement_date).to_numpy()
    except (KeyError, AttributeError):
        table["retirement"] = pd.NaT
    hh = f["household_id"] if "household_id" in f else pd.Series(None, index=res.index)
    table["household"] = hh.fillna(table["id"]).astype(str).to_numpy()
    try:
        table["zero_household"] = ctx.zero_employment_household.to_numpy()
    except (KeyError, AttributeError):
        table["zero_household"] = pd.array([pd.NA] * n, dtype="boolean")
    for event, column in ((NEXT_VISIT, "next_visit"), (VISITS_END, "visits_end")):
        dl = run.deadlines.get(event)
        if dl is None:
            table[column] = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
            table[column + "_due"] = False
        else:
            table[column] = pd.to_datetime(dl.dates).to_numpy()
            table[column + "_due"] = np.asarray(dl.mask, dtype=bool)
    table["causes"] = causes_per_row(run.causes, res["status"].to_numpy())
    return table.reset_index(drop=True)


def _unit(f: pd.DataFrame, name: str, blank: str) -> np.ndarray:
    if name not in f:
        return repeated(blank, len(f))
    col = f[name].astype("string").str.strip()
    return col.mask(col.fillna("") == "", blank).fillna(blank).to_numpy(dtype=object)


def _date(f: pd.DataFrame, name: str) -> np.ndarray:
    if name not in f:
        return np.full(len(f), np.datetime64("NaT"), dtype="datetime64[ns]")
    return pd.to_datetime(f[name]).to_numpy()


# ----------------------------------------------------------------------------- duplicates


DUPLICATE_COLUMNS = ("id", "name", "source", "street", "community")


def drop_duplicates(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(persons counted once, the duplicates) — a person on two ledgers (same ID
    number) is counted where first met, in the order the ledgers were given."""
    has_id = table["id"] != ""
    dup = has_id & table.duplicated("id", keep="first")
    if not dup.any():
        return table, pd.DataFrame(columns=[*DUPLICATE_COLUMNS, "counted_in"])
    first = table.loc[has_id & ~dup].drop_duplicates("id").set_index("id")["source"]
    dups = table.loc[dup, list(DUPLICATE_COLUMNS)].copy()
    dups["counted_in"] = dups["id"].map(first).to_numpy()
    return table.loc[~dup].reset_index(drop=True), dups.reset_index(drop=True)


# ----------------------------------------------------------------------------- figures

TOTAL = "合计"


@dataclass
class Report:
    """Counted figures: ``figures`` is a frame indexed by (section, item) with one
    column per unit (合计, each street, each street/community); ``trend`` has one
    row per month; ``causes`` and ``subsidies`` are their own tables."""

    period: Period
    units: list[tuple[str, str]]  # (street, community) in order
    figures: pd.DataFrame
    trend: pd.DataFrame
    causes: pd.DataFrame
    subsidies: pd.DataFrame
    duplicates: pd.DataFrame
    #: the clause of the pack's 下次跟踪随访 rule (None: the texts ask for no follow-up)
    follow_up_clause: Clause | None
    persons: int


def _in(dates: pd.Series, start: dt.date, end: dt.date) -> pd.Series:
    d = pd.to_datetime(dates)
    return (d >= pd.Timestamp(start)) & (d <= pd.Timestamp(end))


#: The sections of the figures, in the report's order (the report finds its charts' rows by them).
PERSONS = "一、人员情况"
BY_CATEGORY = "二、符合条件人员按类别"
EMPLOYED = "三、本期实现就业"
EXITS = "四、退出"
ZERO_HOUSEHOLDS = "五、零就业家庭"
FOLLOW_UP = "六、跟踪随访"
SUBSIDIES = "七、补贴"


def person_flags(
    t: pd.DataFrame, pack, period: Period, as_of: dt.date
) -> tuple[pd.DataFrame, list[tuple[str, str, str]]]:
    """Per person 0/1 flags of every counted item and the item list
    [(section, item, flag column)].  Summing a flag over a unit gives its figure."""
    items: list[tuple[str, str, str]] = []
    cols: dict[str, np.ndarray] = {}

    def add(section: str, item: str, values) -> None:
        key = f"f{len(items)}"
        cols[key] = np.asarray(values, dtype=np.int64)
        items.append((section, item, key))

    s = PERSONS
    add(s, "台账人数", np.ones(len(t)))
    for status in STATUSES:
        add(s, f"认定结论：{status}", t["status"] == status)
    certified = t["certified"].notna() & (
        pd.to_datetime(t["certified"]) <= pd.Timestamp(period.end)
    )
    add(s, "已认定（台账有认定日期）", certified)
    add(s, "本期新认定", _in(t["certified"], period.start, period.end))
    s = BY_CATEGORY
    for cat in pack.categories:
        col = f"cat:{cat.code}"
        values = t[col].fillna(False) if col in t else np.zeros(len(t))
        add(s, cat.label, values)
    s = EMPLOYED
    in_period = t["employed"] & _in(t["employment_date"], period.start, period.end)
    add(s, "本期实现就业合计", in_period)
    for way in (*WAYS, OTHER_WAY, UNKNOWN_WAY):
        add(s, way, in_period & (t["way"] == way))
    s = EXITS
    for lapse in pack.lapses:
        add(s, f"资格终止：{lapse.label}", t["lapse"] == lapse.key)
    add(s, "本期达到法定退休年龄", _in(t["retirement"], period.start, period.end))
    s = ZERO_HOUSEHOLDS
    zero = t["zero_household"].fillna(False).astype(bool)
    # A household counts once: at its first row in the unit (the flags sum per unit).
    first_row = ~t.duplicated(["street", "community", "household"])
    hh_employed = t["employed"] & (pd.to_datetime(t["employment_date"]) <= pd.Timestamp(period.end))
    hh_first_job = (
        pd.to_datetime(t["employment_date"])
        .where(t["employed"])
        .groupby(t["household"])
        .transform("min")
    )
    resolved = zero & hh_employed.groupby(t["household"]).transform("any")
    add(s, "零就业家庭（户）", zero & first_row)
    add(s, "已实现至少一人就业（户）", resolved & first_row)
    add(
        s,
        "本期动态清零（户）",
        resolved & first_row & _in(hh_first_job, period.start, period.end),
    )
    add(s, "尚未清零（户）", zero & ~resolved & first_row)
    rule = next((d for d in pack.deadlines if d.event == NEXT_VISIT), None)
    if rule is not None:
        s = FOLLOW_UP
        ended = t["visits_end_due"] & (pd.to_datetime(t["visits_end"]) <= pd.Timestamp(period.end))
        due = t["next_visit_due"] & ~ended
        nxt = pd.to_datetime(t["next_visit"])
        add(s, "应跟踪随访人数", due)
        add(s, "本期应随访", due & _in(nxt, period.start, period.end))
        add(s, "逾期未随访", due & (nxt < pd.Timestamp(min(as_of, period.end))))
        add(s, "随访日期无法计算", due & nxt.isna())
        add(s, "稳定就业半年以上可结束随访", t["next_visit_due"] & ended)
    s = SUBSIDIES
    for ben in pack.benefits:
        col = f"ben:{ben.code}"
        if ben.kind != "monthly" or col not in t:
            continue
        add(s, f"{ben.label}（人）", _running(t, col, period) > 0)
    return pd.DataFrame(cols, index=t.index), items


def _spans(t: pd.DataFrame, col: str, period: Period) -> tuple[np.ndarray, pd.Series, pd.Series]:
    """(granted, first day, last day) of each person's subsidy within the period.

    Runs from the later of 补贴开始年月 (or 认定日期) and the period start to the
    earlier of the entitlement end and the period end; a person granted the
    subsidy with no start date is counted from the period start."""
    granted = t[col].fillna(False).to_numpy(dtype=bool)
    start = pd.to_datetime(t["subsidy_start"]).fillna(pd.to_datetime(t["certified"]))
    start = start.fillna(pd.Timestamp(period.start)).clip(lower=pd.Timestamp(period.start))
    end = pd.to_datetime(t["period_end"]).fillna(pd.Timestamp(period.end))
    end = end.clip(upper=pd.Timestamp(period.end))
    return granted, start, end


def _running(t: pd.DataFrame, col: str, period: Period) -> np.ndarray:
    """Months of the period in which each person's subsidy runs (0 if none)."""
    granted, start, end = _spans(t, col, period)
    months = (end.dt.year - start.dt.year) * 12 + (end.dt.month - start.dt.month) + 1
    months = months.where(end >= start, 0).fillna(0).astype(int).to_numpy()
    return np.where(granted, months, 0)


def _running_in(t: pd.DataFrame, col: str, period: Period, first: dt.date) -> int:
    """Persons whose subsidy runs in the month beginning ``first``."""
    granted, start, end = _spans(t, col, period)
    on = (start <= pd.Timestamp(_month_end(first))) & (end >= pd.Timestamp(first))
    return int((granted & on.to_numpy()).sum())


def figures(
    tables: list[pd.DataFrame], pack, period: Period, as_of: dt.date, params=None
) -> Report:
    """Count the figures of ``period`` over the person tables of one or more ledgers."""
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    if table.empty:
        raise InputError("台账中没有可统计的人员")
    table, dups = drop_duplicates(table)
    flags, items = person_flags(table, pack, period, as_of)
    units = list(dict.fromkeys(zip(table["street"], table["community"], strict=True)))
    streets = list(dict.fromkeys(s for s, _ in units))
    by_unit = flags.groupby([table["street"], table["community"]], sort=False).sum()
    by_street = flags.groupby(table["street"], sort=False).sum()
    total = flags.sum()
    columns = {TOTAL: total}
    for s in streets:
        columns[s] = by_street.loc[s]
    for s, c in units:
        columns[f"{s}/{c}"] = by_unit.loc[(s, c)]
    frame = pd.DataFrame(
        {name: col.to_numpy() for name, col in columns.items()},
        index=pd.MultiIndex.from_tuples([(sec, item) for sec, item, _ in items]),
    ).astype(np.int64)
    return Report(
        period=period,
        units=units,
        figures=frame,
        trend=trend(table, period),
        causes=_cause_table(table, streets),
        subsidies=_subsidy_table(table, pack, period, params),
        duplicates=dups,
        follow_up_clause=next((d.clause for d in pack.deadlines if d.event == NEXT_VISIT), None),
        persons=len(table),
    )


def trend(t: pd.DataFrame, period: Period, months: int = 12) -> pd.DataFrame:
    """Per month of the 12 ending with the period: newly certified, employed (by
    way), reached retirement — from the dates on the ledger."""
    last = dt.date(period.end.year, period.end.month, 1)
    firsts = []
    m = last
    for _ in range(months):
        firsts.append(m)
        m = dt.date(m.year - (m.month == 1), (m.month - 2) % 12 + 1, 1)
    firsts.reverse()
    rows = []
    cert = pd.to_datetime(t["certified"])
    emp = pd.to_datetime(t["employment_date"]).where(t["employed"])
    ret = pd.to_datetime(t["retirement"])
    for first in firsts:
        end = _month_end(first)
        row = {"月份": f"{first.year}-{first.month:02d}"}
        row["新认定"] = int(_in(cert, first, end).sum())
        in_month = _in(emp, first, end)
        row["实现就业"] = int(in_month.sum())
        for way in WAYS:
            row[way] = int((in_month & (t["way"] == way)).sum())
        row["达到退休年龄"] = int(_in(ret, first, end).sum())
        rows.append(row)
    return pd.DataFrame(rows)


def _cause_table(t: pd.DataFrame, streets: list[str]) -> pd.DataFrame:
    """待核实 persons per cause (a person counts once per cause), per street and in total."""
    rows = t.loc[t["causes"].map(len) > 0, ["street", "causes"]]
    if rows.empty:
        return pd.DataFrame(columns=["原因", TOTAL, *streets])
    exploded = rows.assign(cause=rows["causes"]).explode("cause")
    counts = exploded.groupby(["cause", "street"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=streets, fill_value=0)
    counts.insert(0, TOTAL, counts.sum(axis=1))
    counts = counts.sort_values(TOTAL, ascending=False)
    return counts.rename_axis("原因").reset_index()


def _subsidy_table(t: pd.DataFrame, pack, period: Period, params) -> pd.DataFrame:
    """Per monthly subsidy: persons, months and the amount (Σ persons of a month ×
    the monthly amount in force that month, calc.subsidy.monthly_amount)."""
    from calc.subsidy import amount_formed

    rows = []
    for ben in pack.benefits:
        col = f"ben:{ben.code}"
        if ben.kind != "monthly" or col not in t:
            continue
        months = _running(t, col, period)
        amount, how, example = Decimal(0), "", False
        try:
            for first in period.months():
                each, how, is_example = amount_formed(pack, ben, first, params)
                example |= is_example
                amount += each * _running_in(t, col, period, first)
            shown = float(amount)
        except InputError as err:
            shown, how = None, f"无法计算：{err}"
        rows.append(
            {
                "补贴": ben.label,
                "依据": str(ben.clause),
                "享受人数": int((months > 0).sum()),
                "享受月数": int(months.sum()),
                "金额（元）": shown,
                "计算方法": ("每月人数×" + how) if shown is not None else how,
                "含示例参数": "是" if example else "",
            }
        )
    return pd.DataFrame(
        rows,
        columns=["补贴", "依据", "享受人数", "享受月数", "金额（元）", "计算方法", "含示例参数"],
    )


# ----------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class TargetProgress:
    unit: str
    item: str
    target: object
    reached: int | None
    how: str


#: A 目标项目's words → the year-to-date figure that measures it, and how it is counted.
TARGET_MEASURES = (
    ("零就业", "本年零就业家庭清零（户）"),
    ("公益性岗位", "本年公益性岗位安置（人）"),
    ("认定", "本年新认定（人）"),
    ("就业", "本年实现就业（人）"),
)


def target_progress(t: pd.DataFrame, rows: list[dict], period: Period) -> list[TargetProgress]:
    """The 目标 sheet's lines against what the ledger shows from 1 January to the
    end of the period (a line whose item the ledger cannot measure says so)."""
    ytd = Period(dt.date(period.end.year, 1, 1), period.end, f"{period.end.year}年")
    table, _ = drop_duplicates(t)
    emp = table["employed"] & _in(table["employment_date"], ytd.start, ytd.end)
    zero = table["zero_household"].fillna(False).astype(bool)
    first_job = (
        pd.to_datetime(table["employment_date"])
        .where(table["employed"])
        .groupby(table["household"])
        .transform("min")
    )
    cleared = zero & _in(first_job, ytd.start, ytd.end) & ~table.duplicated("household")
    measures = {
        "本年零就业家庭清零（户）": cleared,
        "本年公益性岗位安置（人）": emp & (table["way"] == "公益性岗位"),
        "本年新认定（人）": _in(table["certified"], ytd.start, ytd.end),
        "本年实现就业（人）": emp,
    }
    out = []
    for row in rows:
        unit = str(row.get("责任单位") or row.get("接收单位") or row.get("单位") or "").strip()
        item = str(row.get("目标项目") or row.get("目标") or "").strip()
        if not unit or not item:
            continue
        how = next((m for words, m in TARGET_MEASURES if words in item), None)
        in_unit = (table["community"] == unit) | (table["street"] == unit)
        if how is None:
            out.append(TargetProgress(unit, item, row.get("目标值"), None, "台账无法计算"))
            continue
        reached = int((measures[how] & in_unit).sum())
        out.append(TargetProgress(unit, item, row.get("目标值"), reached, how))
    return out


#: What one ledger snapshot cannot tell (printed in the 说明 sheet).
LIMITS = (
    "资格终止没有日期：按认定基准日的台账状态统计，不能分月。",
    "台账是某一时点的名册：期间内已从台账删除的人员无法统计。",
    "就业、认定、退休按台账所记日期归入各月；日期空白的人员不计入分月数字。",
    "补贴按认定结论和补贴期限推算享受月数，实际发放以财务记录为准。",
)
