"""The =JY_… worksheet functions (就业援助工作表函数).

One module, three hosts
-----------------------
The functions are decorated with the decorators that ``import xlwings as xw``
exposes, resolved once at import time:

- classic xlwings (Windows, local Python, COM add-in): ``xw.func``/``xw.arg``/
  ``xw.ret`` are ``xlwings.udfs`` (Import Python UDFs writes VBA wrappers);
- xlwings Lite (Pyodide in Excel) and xlwings Server: ``xlwings`` sets
  ``xw.func`` … to ``xlwings.server.func`` … when ``XLWINGS_ON_SERVER=true``
  (Lite sets it); the metadata comes from ``custom_functions_meta`` and the
  calls from ``custom_functions_call``.

:func:`_decorators` picks ``xlwings.server``'s decorators also when
``XLWINGS_ON_SERVER`` was set after ``xlwings`` had been imported (tests) or
when running under Pyodide; otherwise it returns exactly ``xw.func`` … .  The
same decorator arguments are valid in every host: ``doc=`` for every argument
(Excel's function wizard shows it), ``ndim=2`` for ranges, and
``date_format`` for date results (Office.js only; ignored by classic).

Conventions (for the clerk, see docs/excel-addin.md)
----------------------------------------------------
- Every input is an argument, the parameter table too: Excel's dependency
  tracking recalculates when a cell changes; nothing reads other sheets.
- Row-wise functions accept one cell or a whole column (any range) and return
  the same shape, so a 100,000-row ledger needs one call per column; the
  column is computed with calc's vectorised functions.
- Errors appear in the cell as "错误：…" in Chinese; an empty input cell gives
  an empty result ("").
- Dates come back as real dates; tables (JY_POLICIES, JY_ASSESS) and columns
  are 2-D arrays: Office.js hosts spill them; classic xlwings resizes them
  with ``expand="table"`` (Excel 2016/2019 have no dynamic arrays, see
  :data:`RESIZING`).
- Argument names are VBA identifiers that are not reserved (classic "Import
  Functions" copies them into VBA): ``day``, not ``date``; ``item``, not ``event``.

This layer only converts (xl_addin.excel_values) and calls calc.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import xlwings as xw

from calc import assess, fields, identity, masking, money, retirement, workdays
from calc import dates as calc_dates
from calc import params as calc_params
from calc.deadlines import deadline_series_noted
from calc.errors import InputError
from calc.periods import entitlement_ends_of
from calc.policies import get_policy, list_policies
from calc.subsidy import subsidy_amounts
from xl_addin.excel_values import (
    Grid,
    as_int,
    as_text,
    cell_errors,
    rows_2d,
    scalar,
    speed_up_xlwings_outside_pyodide,
    strip_blank_rows,
)


def on_office_js() -> bool:
    """True in xlwings Lite (Pyodide) and xlwings Server; False in classic (COM) xlwings."""
    return os.environ.get("XLWINGS_ON_SERVER") == "true" or sys.platform == "emscripten"


def _decorators():
    if on_office_js():
        from xlwings import server

        return server.func, server.arg, server.ret, server.script
    return xw.func, xw.arg, xw.ret, xw.script


func, arg, ret, script = _decorators()
speed_up_xlwings_outside_pyodide()

DATE_FORMAT = "yyyy-mm-dd"  # number format of returned dates (xlwings Lite / Server)

# Argument help shared by several functions.
_POLICY = "政策代码：JS-2002、SX-2008、GS-2003、LYG-2003、AH-2011"
_HEADERS = "台账的表头行（如 $A$1:$T$1），按表头名称识别各列，列的顺序不限"
_ROW = "本人所在的数据行（如 A2:T2）；也可选多行（如 A2:T500），一次算出整列"
_AS_OF = "认定基准日期（可省略，省略为今天）"
_PARAMS = "参数表区域（名称、数值、生效日期、依据[、政策]），可省略，省略时用政策包的示例默认值"
_ID = "公民身份号码（单元格或整列区域），18位或15位"
_BIRTH_OR_ID = "出生日期或公民身份号码（单元格或整列区域）"

_ID_LIKE = re.compile(r"^[0-9０-９]{15}$|^[0-9０-９]{17}[0-9０-９xXｘＸ]$")
_ID_STRIP = re.compile(r"[\s\u3000\-－—]")


# ---------------------------------------------------------------------------
# helpers


def _date_arg(value: Any, what: str, default: dt.date | None = None) -> dt.date:
    """A one-cell date argument (serial, datetime or text)."""
    v = scalar(value)
    if v is None:
        if default is not None:
            return default
        raise InputError(f"{what}为空")
    try:
        return calc_dates.to_date(v)
    except InputError as err:
        raise err.with_location(what) from None


def _param_table(value: Any) -> calc_params.ParameterTable | None:
    if value is None:
        return None
    rows, _ = strip_blank_rows(rows_2d(value, "参数表"))
    if not rows:
        return None
    if any(len(r) < 4 for r in rows):
        raise InputError("参数表区域应至少有4列：名称、数值、生效日期、依据（可加第5列：政策）")
    return calc_params.ParameterTable.from_rows(rows)


def _is_id_like(v: Any) -> bool:
    if isinstance(v, str):
        return bool(_ID_LIKE.match(_ID_STRIP.sub("", v)))
    if isinstance(v, bool):
        return False
    if isinstance(v, int | float | np.integer | np.floating):
        # a date serial has at most 6 digits and yyyymmdd 8; 15-digit IDs are numbers ≥ 1e14
        return float(v) >= 1e9
    return False


def _births(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Birth dates from cells holding a birth date or an ID number (mixed is fine).

    Returns (births datetime64, sex from the ID or None, problem text).
    """
    n = len(values)
    births = pd.Series(np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"))
    sexes = pd.Series([None] * n, dtype=object)
    problems = pd.Series([""] * n, dtype=object)
    blank = values.isna().to_numpy()
    id_mask = np.array([_is_id_like(v) for v in values], dtype=bool) & ~blank
    if id_mask.any():
        parsed = identity.parse_ids(values[id_mask].reset_index(drop=True))
        pos = np.flatnonzero(id_mask)
        births.iloc[pos] = parsed["birth_date"].to_numpy()
        sexes.iloc[pos] = parsed["sex"].to_numpy()
        problems.iloc[pos] = parsed["problem"].to_numpy()
    date_mask = ~id_mask & ~blank
    if date_mask.any():
        parsed, probs = calc_dates.parse_dates(values[date_mask].reset_index(drop=True))
        pos = np.flatnonzero(date_mask)
        births.iloc[pos] = parsed.to_numpy()
        problems.iloc[pos] = probs.to_numpy()
    return births, sexes, problems


def _with_errors(values: Sequence[Any], problems: Sequence[str], blank: np.ndarray) -> list:
    """Per cell: "" when the input was blank, "错误：…" when it had a problem, else the value."""
    out = []
    for v, p, b in zip(values, problems, blank, strict=True):
        if b:
            out.append("")
        elif p:
            out.append("错误：" + p)
        else:
            out.append(v)
    return out


def _dates_list(series: pd.Series) -> list:
    return [None if pd.isna(x) else x for x in series.tolist()]


def _column_out(values: Sequence[Any], keep: np.ndarray, single: bool) -> Any:
    """One value per kept row → a scalar (one row given) or a column, "" for blank rows."""
    it = iter(values)
    out = [next(it) if k else "" for k in keep]
    if single:
        return Grid(None).shape_back(out)
    return Grid([[None]] * len(out)).shape_back(out)


def _frozen(value: Any) -> Any:
    """A range argument as nested tuples, usable as a dictionary key."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


#: The last few ledger-row assessments, by (policy, headers, rows, as-of date, parameter
#: table, explain).  A clerk's row usually carries JY_CATEGORY, JY_ELIGIBLE and
#: JY_BENEFITS side by side; when one cell of the row changes Excel recalculates all of
#: them with the same arguments, and only the first has to run the rules.
_RUNS: dict[tuple, pd.DataFrame] = {}
_RUNS_KEPT = 64


def _remember(key: tuple, results: pd.DataFrame) -> None:
    if len(_RUNS) >= _RUNS_KEPT:
        del _RUNS[next(iter(_RUNS))]
    _RUNS[key] = results


class _Rows:
    """headers + one or more data rows, assessed once (household-aware)."""

    def __init__(self, policy, headers, row, as_of, param_table, *, explain: bool = False):
        self.pack = get_policy(scalar(policy))
        head_rows = rows_2d(headers, "表头")
        if len(head_rows) != 1:
            raise InputError(f"表头应为一行，实为{len(head_rows)}行")
        self.headers = head_rows[0]
        hmap = fields.map_headers(self.headers)
        if not hmap.columns:
            raise InputError("表头中没有可识别的台账字段（如“姓名”“公民身份号码”“性别”）")
        rows = rows_2d(row, "数据行")
        if any(len(r) > len(self.headers) for r in rows):
            raise InputError(
                f"数据行有{max(len(r) for r in rows)}列，多于表头的{len(self.headers)}列，请选择同样宽度的区域"
            )
        self.single = len(rows) == 1
        data, self.keep = strip_blank_rows(rows)
        self.as_of = _date_arg(as_of, "认定基准日期", dt.date.today())
        self.params = _param_table(param_table)
        self.data = data
        self.hmap = hmap
        if data:
            key = (
                scalar(policy),
                _frozen(self.headers),
                _frozen(data),
                self.as_of,
                _frozen(param_table),
                explain,
            )
            self.results = _RUNS.get(key)
            if self.results is None:
                self.results = self._assess(data, explain)
                _remember(key, self.results)
        else:
            self.results = None

    def _assess(self, data: list[list[Any]], explain: bool) -> pd.DataFrame:
        frame, _ = fields.frame_from_table(self.headers, data)
        if len(data) == 1:
            # One row alone cannot show its household: the household tests use the
            # 零就业家庭 / 家庭失业人数 columns or answer 待核实 (calc.assess.assess_person).
            frame = frame.drop(columns=["household_id"], errors="ignore")
        # Explanation texts only for the function that shows them (JY_WHY); the others
        # show categories, eligibility or benefits, none of which needs the entitlement
        # periods or the deadlines.
        return assess.run_ledger(
            self.pack, frame, self.as_of, self.params, explain=explain, dates=explain
        ).results

    def column(self, values: Sequence[Any]) -> Any:
        return _column_out(values, self.keep, self.single)

    def field(self, name: str) -> list:
        if self.results is None:
            return []
        return self.results[name].tolist()


def _ret_dates(f):
    return ret(date_format=DATE_FORMAT)(f)


# ---------------------------------------------------------------------------
# identity numbers


@func
@arg("id", ndim=2, doc=_ID)
@cell_errors
def jy_id(id):
    """规范化公民身份号码：去掉空格和连字符、全角转半角、15位转18位，返回18位号码；号码有误时返回“错误：原因”。"""
    g = Grid(id)
    parsed = identity.parse_ids(g.series())
    return g.shape_back(_with_errors(parsed["id_number"], parsed["problem"], g.blank))


@func
@arg("id", ndim=2, doc=_ID)
@cell_errors
def jy_id_check(id):
    """校验公民身份号码（GB 11643-1999：位数、字符、省份代码、出生日期、第18位校验码）：正确返回空文本，错误返回原因。"""
    g = Grid(id)
    parsed = identity.parse_ids(g.series())
    return g.shape_back(parsed["problem"].tolist())


@func
@_ret_dates
@arg("id", ndim=2, doc=_ID)
@cell_errors
def jy_id_birth(id):
    """从公民身份号码取出生日期（第7–14位），返回日期。"""
    g = Grid(id)
    parsed = identity.parse_ids(g.series())
    return g.shape_back(_with_errors(_dates_list(parsed["birth_date"]), parsed["problem"], g.blank))


@func
@arg("id", ndim=2, doc=_ID)
@cell_errors
def jy_id_sex(id):
    """从公民身份号码取性别（第17位奇数为男、偶数为女），返回“男”或“女”。"""
    g = Grid(id)
    parsed = identity.parse_ids(g.series())
    return g.shape_back(_with_errors(parsed["sex"], parsed["problem"], g.blank))


@func
@arg("id", ndim=2, doc=_ID)
@arg(
    "pattern",
    doc="遮蔽格式（可省略）：18个字符，“#”保留该位，其他字符代替该位；默认 ######********####",
)
@cell_errors
def jy_mask_id(id, pattern=None):
    """公示用的遮蔽身份证号码（依据《个人信息保护法》），默认隐藏出生日期：110105********002X。"""
    g = Grid(id)
    p = scalar(pattern)
    masked, problems = masking.mask_ids(
        g.series(), None if p is None else str(p), with_problems=True
    )
    return g.shape_back(_with_errors(masked, problems, g.blank))


# ---------------------------------------------------------------------------
# ages and retirement


@func
@arg("birth_or_id", ndim=2, doc=_BIRTH_OR_ID)
@arg(
    "as_of",
    ndim=2,
    doc="计算年龄的日期（可省略，省略为今天；可为单个日期或与第一个参数同样大小的区域）",
)
@cell_errors
def jy_age(birth_or_id, as_of=None):
    """周岁年龄：按公历年月日计算，生日当天满周岁；可填出生日期或身份证号码。"""
    g = Grid(birth_or_id)
    births, _, problems = _births(g.series())
    on_raw = g.broadcast(as_of, "as_of")
    on_blank = on_raw.isna()
    on_raw = on_raw.where(~on_blank, dt.date.today())
    on, on_prob = calc_dates.parse_dates(on_raw)
    ages = calc_dates.ages_on(births, on)
    out_prob = []
    for b, p, op, a in zip(births, problems, on_prob, ages, strict=True):
        if p:
            out_prob.append(p)
        elif op:
            out_prob.append("计算年龄的日期：" + op)
        elif pd.isna(a) and not pd.isna(b):
            out_prob.append("计算年龄的日期早于出生日期")
        else:
            out_prob.append("")
    values = [None if pd.isna(a) else int(a) for a in ages]
    return g.shape_back(_with_errors(values, out_prob, g.blank))


def _retirement(birth_or_id, sex, original_age) -> tuple[Grid, pd.DataFrame, list[str]]:
    g = Grid(birth_or_id)
    births, id_sex, problems = _births(g.series())
    given = g.broadcast(sex, "sex")
    sexes = given.where(given.notna(), id_sex)
    ages = g.broadcast(original_age, "original_age")
    table = retirement.retirement_table(births, sexes, ages)
    out = []
    for i in range(len(g)):
        p = problems.iat[i]
        if not p and given.iat[i] is not None and id_sex.iat[i] is not None:
            s = retirement._SEX_WORDS.get(str(given.iat[i]).strip())
            if s is not None and s != id_sex.iat[i]:
                p = f"性别“{given.iat[i]}”与身份证号码（{id_sex.iat[i]}）不一致"
        if not p and sexes.iat[i] is None and not pd.isna(births.iat[i]):
            p = "性别为空（填出生日期时须同时填性别）"
        out.append(p or table["problem"].iat[i])
    return g, table, out


@func
@_ret_dates
@arg("birth_or_id", ndim=2, doc=_BIRTH_OR_ID)
@arg("sex", ndim=2, doc="性别“男”或“女”（填身份证号码时可省略）")
@arg("original_age", ndim=2, doc="原法定退休年龄（可省略）：男60；女50（工人，默认）或55（干部）")
@cell_errors
def jy_retire_date(birth_or_id, sex=None, original_age=None):
    """法定退休日期：按2025年起施行的渐进式延迟法定退休年龄办法（对照表1–3）计算。"""
    g, table, problems = _retirement(birth_or_id, sex, original_age)
    return g.shape_back(_with_errors(_dates_list(table["retirement_date"]), problems, g.blank))


@func
@arg("birth_or_id", ndim=2, doc=_BIRTH_OR_ID)
@arg("sex", ndim=2, doc="性别“男”或“女”（填身份证号码时可省略）")
@arg("original_age", ndim=2, doc="原法定退休年龄（可省略）：男60；女50（工人，默认）或55（干部）")
@cell_errors
def jy_retire_age(birth_or_id, sex=None, original_age=None):
    """法定退休年龄（2025年渐进式延迟退休办法），如“60岁3个月”。"""
    g, table, problems = _retirement(birth_or_id, sex, original_age)
    texts = [
        None if pd.isna(m) else retirement.retirement_age_text(int(m)) for m in table["age_months"]
    ]
    return g.shape_back(_with_errors(texts, problems, g.blank))


# ---------------------------------------------------------------------------
# working days, dates, money


@func
@_ret_dates
@arg("start", ndim=2, doc="起始日期（单元格或整列区域），起始日不计入")
@arg("days", ndim=2, doc="工作日天数，可为负数（向前推算）；单个数或与起始日期同样大小的区域")
@arg(
    "holiday_table",
    ndim=2,
    doc="工作日调整表（可省略）：两列“日期、是否工作日（上班/休息）”，覆盖国家放假安排",
)
@cell_errors
def jy_workday(start, days, holiday_table=None):
    """与 Excel 的 WORKDAY 相同，但按国务院办公厅节假日安排计算法定节假日和调休上班日。"""
    g = Grid(start)
    corrections = None
    if holiday_table is not None:
        rows, _ = strip_blank_rows(rows_2d(holiday_table, "工作日调整表"))
        corrections = workdays.corrections_from_rows(rows) if rows else None
    starts, problems = calc_dates.parse_dates(g.series())
    raw_days = g.broadcast(days, "days")
    n_prob, n_vals = [], []
    for v in raw_days:
        try:
            n_vals.append(float(as_int(v, "工作日天数")))
            n_prob.append("")
        except InputError as err:
            n_vals.append(np.nan)
            n_prob.append(err.message)
    n = pd.Series(n_vals, dtype="float64")
    result = workdays.add_workdays_series(starts, n, corrections)
    out_prob = []
    for i in range(len(g)):
        p = problems.iat[i] or n_prob[i]
        if not p and pd.isna(result.iat[i]) and not pd.isna(starts.iat[i]):
            try:  # the scalar function names the exact problem (years out of range)
                workdays.add_workdays(starts.iat[i].date(), int(n.iat[i]), corrections)
            except InputError as err:
                p = err.message
            else:
                p = "无法计算工作日"
        out_prob.append(p)
    return g.shape_back(_with_errors(_estimated(starts, result, corrections), out_prob, g.blank))


def _estimated(starts: pd.Series, results: pd.Series, corrections=None) -> list:
    """Dates; a result resting on a year without an official holiday schedule
    becomes text saying so ("2027-03-09（2027年放假安排尚未公布，按规则推算）")."""
    out = []
    for s, r in zip(starts.tolist(), results.tolist(), strict=True):
        if pd.isna(r):
            out.append(None)
            continue
        note = workdays.estimate_note(s, r, corrections=corrections)
        out.append(f"{r:%Y-%m-%d}（{note}）" if note else r)
    return out


@func
@arg("day", ndim=2, doc="日期（单元格或整列区域）：日期、Excel序列号或文本日期")
@cell_errors
def jy_date_cn(day):
    """公文格式日期（GB/T 9704-2012：年份写全，月、日不编虚位），如“2026年11月22日”。"""
    g = Grid(day)
    parsed, problems = calc_dates.parse_dates(g.series())
    texts = (
        parsed.dt.year.astype("Int64").astype(str)
        + "年"
        + parsed.dt.month.astype("Int64").astype(str)
        + "月"
        + parsed.dt.day.astype("Int64").astype(str)
        + "日"
    )
    return g.shape_back(_with_errors(texts.tolist(), problems, g.blank))


@func
@arg("amount", ndim=2, doc="金额（元），数字或“1,000.00”之类的文本；单元格或整列区域")
@cell_errors
def jy_rmb(amount):
    """人民币大写金额（《会计基础工作规范》第五十二条），如“人民币壹仟元整”。"""
    g = Grid(amount)
    texts, problems = money.rmb_capitals(g.series())
    return g.shape_back(_with_errors(texts, problems, g.blank))


# ---------------------------------------------------------------------------
# policies and parameters


@func
@_ret_dates
@cell_errors
def jy_policies():
    """列出可用的政策文件（溢出为表格）：政策代码、文件名称、文号、发布日期。"""
    table = [["政策代码", "文件名称", "文号", "发布日期"]]
    for pack in list_policies():
        table.append([pack.code, pack.title, pack.doc_number, pack.issued])
    return Grid(table).shape_back([c for r in table for c in r])


@func
@arg("policy", doc=_POLICY)
@arg("name", doc="参数名称，如“公益性岗位补贴标准”“补贴期限（年）”")
@arg("on_date", doc="在哪一天有效（可省略，省略为今天）")
@arg("param_table", ndim=2, doc=_PARAMS)
@cell_errors
def jy_param(policy, name, on_date=None, param_table=None):
    """某政策在某日有效的参数值：参数表中有该参数时以参数表为准（取生效日期不晚于该日的最新一行），否则用政策包的示例默认值。"""
    pack = get_policy(scalar(policy))
    key = as_text(scalar(name))
    if not key:
        raise InputError("参数名称为空")
    on = _date_arg(on_date, "有效日期", dt.date.today())
    found = calc_params.resolve(pack.parameters, pack.code, key, on, _param_table(param_table))
    value = found.value
    if isinstance(value, Decimal):
        value = float(value)
    return value


# ---------------------------------------------------------------------------
# assessment of ledger rows


def _ledger_row_function(f):
    """The declarations shared by the functions taking (policy, headers, row, [as_of], [param_table])."""
    f = cell_errors(f)
    f = arg("param_table", ndim=2, doc=_PARAMS)(f)
    f = arg("as_of", doc=_AS_OF)(f)
    f = arg("row", ndim=2, doc=_ROW)(f)
    f = arg("headers", ndim=2, doc=_HEADERS)(f)
    f = arg("policy", doc=_POLICY)(f)
    return func(f)


@_ledger_row_function
def jy_category(policy, headers, row, as_of=None, param_table=None):
    """认定类别（如“4050”人员、零就业家庭成员），多个用“、”连接；不属于任何类别时为空。"""
    rows = _Rows(policy, headers, row, as_of, param_table)
    return rows.column(rows.field("categories"))


@_ledger_row_function
def jy_eligible(policy, headers, row, as_of=None, param_table=None):
    """是否符合就业援助对象认定条件：TRUE 或 FALSE（待核实、资格终止均为 FALSE，原因见 JY_WHY）。"""
    rows = _Rows(policy, headers, row, as_of, param_table)
    return rows.column([bool(x) for x in rows.field("eligible")])


@_ledger_row_function
def jy_why(policy, headers, row, as_of=None, param_table=None):
    """认定依据：结论及所依据的政策条款和数值（如“符合 SX-2008 一(一)“4050”人员：女，45周岁…”），有数据问题时一并列出。"""
    rows = _Rows(policy, headers, row, as_of, param_table, explain=True)
    texts = [
        e + (f"；数据问题：{p}" if p else "")
        for e, p in zip(rows.field("explanation"), rows.field("problems"), strict=True)
    ]
    return rows.column(texts)


@_ledger_row_function
def jy_benefits(policy, headers, row, as_of=None, param_table=None):
    """本人可享受的扶持政策（如公益性岗位补贴、社会保险补贴），多个用“、”连接。"""
    rows = _Rows(policy, headers, row, as_of, param_table)
    return rows.column(rows.field("benefits"))


@func
@_ret_dates
@arg("policy", doc=_POLICY)
@arg("benefit", doc="待遇名称，如“公益性岗位补贴”“社会保险补贴”")
@arg("first_approved", ndim=2, doc="初次核定日期（单元格或整列区域）")
@arg("birth_or_id", ndim=2, doc=_BIRTH_OR_ID)
@arg("sex", ndim=2, doc="性别（填身份证号码时可省略）")
@arg("original_age", ndim=2, doc="原法定退休年龄（可省略）：男60；女50或55")
@arg("param_table", ndim=2, doc=_PARAMS + "；用于“补贴期限（年）”")
@cell_errors
def jy_period_end(
    policy, benefit, first_approved, birth_or_id, sex=None, original_age=None, param_table=None
):
    """补贴享受期限的最后一天：按政策条款（如 SX-2008 三(四)、AH-2011 (八) 距退休不足5年延长至退休）或当地参数“补贴期限（年）”。"""
    pack = get_policy(scalar(policy))
    ben = pack.benefit(as_text(scalar(benefit)))
    if ben.period is None:
        raise InputError(f"“{ben.label}”没有享受期限（{ben.clause}）")
    table = _param_table(param_table)
    g = Grid(first_approved)
    firsts, f_prob = calc_dates.parse_dates(g.series())
    births, id_sex, b_prob = _births(g.broadcast(birth_or_id, "birth_or_id"))
    given = g.broadcast(sex, "sex")
    sexes = given.where(given.notna(), id_sex)
    ages = g.broadcast(original_age, "original_age")
    frame = pd.DataFrame(
        {
            "first_approval_date": firsts,
            "birth_date": births,
            "sex": sexes.astype(object),
            "original_retirement_age": ages.astype(object),
        }
    )
    # The one place an entitlement end is decided (calc.periods).
    ends, texts = entitlement_ends_of(pack, ben, frame, dt.date.today(), table)
    problems = []
    for i in range(len(g)):
        p = f_prob.iat[i] and "初次核定日期：" + f_prob.iat[i]
        p = p or b_prob.iat[i]
        if not p and pd.isna(ends.iat[i]):
            p = texts.iat[i] or "无法计算补贴期限"
        problems.append(p)
    return g.shape_back(_with_errors(_dates_list(ends), problems, g.blank))


@func
@arg("policy", doc=_POLICY)
@arg("benefit", doc="待遇名称，如“公益性岗位补贴”“社会保险补贴”")
@arg("headers", ndim=2, doc=_HEADERS)
@arg("row", ndim=2, doc=_ROW)
@arg("from_date", ndim=2, doc="所查区间的起始日期（含）")
@arg("to_date", ndim=2, doc="所查区间的截止日期（含）")
@arg("param_table", ndim=2, doc=_PARAMS)
@cell_errors
def jy_subsidy(policy, benefit, headers, row, from_date, to_date, param_table=None):
    """[起始日期, 截止日期] 内、在享受期内的各自然月应发补贴金额（元），按每月有效的参数标准计算；不享受时为0。"""
    pack = get_policy(scalar(policy))
    ben = pack.benefit(as_text(scalar(benefit)))
    head_rows = rows_2d(headers, "表头")
    if len(head_rows) != 1:
        raise InputError(f"表头应为一行，实为{len(head_rows)}行")
    heads = head_rows[0]
    if not fields.map_headers(heads).columns:
        raise InputError("表头中没有可识别的台账字段（如“姓名”“公民身份号码”“性别”）")
    data_rows = rows_2d(row, "数据行")
    single = len(data_rows) == 1
    data, keep = strip_blank_rows(data_rows)
    start = _date_arg(from_date, "起始日期")
    end = _date_arg(to_date, "截止日期")
    table = _param_table(param_table)
    if not data:
        return _column_out([], keep, single)
    frame, _ = fields.frame_from_table(heads, data)
    if len(data) == 1:
        # One row alone cannot show its household (calc.assess.assess_person).
        frame = frame.drop(columns=["household_id"], errors="ignore")
    # The one place an amount is decided (calc.subsidy), household-aware, month by month.
    results = subsidy_amounts(pack, ben.code, frame, start, end, table)
    amounts = [
        "错误：" + r.describe() if isinstance(r, InputError) else float(r.amount) for r in results
    ]
    return _column_out(amounts, keep, single)


@func
@_ret_dates
@arg("policy", doc=_POLICY)
@arg("item", doc="时限事项名称，如“零就业家庭援助时限”“年审”（可用事项见错误提示）")
@arg("start_date", ndim=2, doc="起算日期（单元格或整列区域）")
@arg("param_table", ndim=2, doc=_PARAMS + "；用于条款中的天数、月数（如“7日”“一个月”）")
@cell_errors
def jy_deadline(policy, item, start_date, param_table=None):
    """政策规定的时限日期：如零就业家庭实现就业的目标日期、下次年审日期、资格失效日期。"""
    pack = get_policy(scalar(policy))
    rule = pack.deadline_rule(as_text(scalar(item)))
    g = Grid(start_date)
    days, problems = calc_dates.parse_dates(g.series())
    when, notes = deadline_series_noted(rule, days, pack, _param_table(param_table))
    values = [
        None if pd.isna(w) else (f"{w:%Y-%m-%d}（{n}）" if n else w)
        for w, n in zip(when.tolist(), notes.tolist(), strict=True)
    ]
    return g.shape_back(_with_errors(values, problems.tolist(), g.blank))


#: The result columns, in the one order every door shows them (calc.assess.RESULT_HEADERS).
ASSESS_COLUMNS = tuple(assess.RESULT_HEADERS)


def assess_table(policy, table, as_of=None, param_table=None) -> list[list[Any]]:
    """JY_ASSESS without the error wrapper: header row + one result row per ledger row."""
    pack = get_policy(scalar(policy))
    rows = rows_2d(table, "台账")
    headers, body = rows[0], rows[1:]
    if not fields.map_headers(headers).columns:
        raise InputError("台账第一行应为表头，但没有可识别的字段（如“姓名”“公民身份号码”）")
    day = _date_arg(as_of, "认定基准日期", dt.date.today())
    params = _param_table(param_table)
    out: list[list[Any]] = [[assess.RESULT_HEADERS[c] for c in ASSESS_COLUMNS]]
    data, keep = strip_blank_rows(body)
    blank_row = [""] * len(ASSESS_COLUMNS)
    if not data:
        return out + [blank_row[:] for _ in body]
    frame, _ = fields.frame_from_table(headers, data)
    res = assess.run_ledger(pack, frame, day, params).results
    ends = res["period_end"]
    period = [
        "" if pd.isna(x) else dt.datetime(x.year, x.month, x.day)
        for x in pd.to_datetime(ends).tolist()
    ]
    cols = [
        res["categories"].tolist(),
        res["status"].tolist(),
        [bool(x) for x in res["eligible"].tolist()],
        res["benefits"].tolist(),
        period,
        res["deadlines"].tolist(),
        res["explanation"].tolist(),
        res["problems"].tolist(),
    ]
    result_rows = [list(r) for r in zip(*cols, strict=True)]
    if keep.all():
        return out + result_rows
    it = iter(result_rows)
    return out + [next(it) if k else blank_row[:] for k in keep]


@func
@_ret_dates
@arg("policy", doc=_POLICY)
@arg("table", ndim=2, doc="整个台账区域，第一行为表头（如 A1:T5000）；空行输出空行，与台账逐行对齐")
@arg("as_of", doc=_AS_OF)
@arg("param_table", ndim=2, doc=_PARAMS)
@cell_errors
def jy_assess(policy, table, as_of=None, param_table=None):
    """整本台账一次认定（按家庭编号识别同户人员），溢出为表格：认定类别、认定结论、是否符合、可享受政策、补贴期限截止、时限提醒、认定依据、数据问题。"""
    return assess_table(policy, table, as_of, param_table)


__all__ = [
    "jy_age",
    "jy_assess",
    "jy_benefits",
    "jy_category",
    "jy_date_cn",
    "jy_deadline",
    "jy_eligible",
    "jy_id",
    "jy_id_birth",
    "jy_id_check",
    "jy_id_sex",
    "jy_mask_id",
    "jy_param",
    "jy_period_end",
    "jy_policies",
    "jy_retire_age",
    "jy_retire_date",
    "jy_rmb",
    "jy_subsidy",
    "jy_why",
    "jy_workday",
]

# Classic xlwings on Excel 2016/2019 (no dynamic arrays): a formula entered in one cell
# would show only the first value of a column or table.  xlwings' ``expand="table"``
# resizes the formula to the result (a {=…} array formula); one-cell results stay one
# cell.  Office.js hosts (Lite, Server) only run in Excel versions that spill by
# themselves, and xlwings.server has no such option.
RESIZING = tuple(name for name in __all__ if name != "jy_param")
if not on_office_js():
    for _name in RESIZING:
        ret(expand="table")(globals()[_name])
