"""Checking the 参数 sheet: each row names a known parameter and holds a sane value.

The clerk's 参数 rows override the packs' example defaults, so a wrong row is
a wrong number in every result: a misspelt name would silently leave the
example default in force, "三年" is no number, −3 years or a negative monthly
standard give wrong periods and subsidies.  :func:`check_rows` finds every
such problem at once, each naming its 参数 cell; :func:`raise_problems` turns
them into one :class:`calc.errors.InputError`.

What is *known* and what kind of value each name takes comes from the packs
themselves (:data:`calc.policies.PACKS`), so a parameter a pack adds is
checked without touching this module:

========================  ==============================================
the example default        the clerk's value must be
========================  ==============================================
text (发文机关 …)           any text
unit 元 / 元/月             a number > 0 (an amount)
a fraction in (0, 1)       a rate: 16% or 0.16, from 0 to 1
unit 年 / 个月 / 个工作日   a whole number ≥ 1 (the texts count years)
unit 周岁                  a whole number from 16 to 75
any other number           a number ≥ 0
========================  ==============================================

Dates must parse (:func:`calc.dates.to_date`); the 依据 must be given; a
政策 column must name a known policy code.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from calc.errors import InputError
from calc.params import Parameter, _parse_value
from calc.policies.local_parameters import NOTICE_MIN_SOURCE, NOTICE_MIN_WORKDAYS

#: Row names that choose the policy rather than set a parameter (read by the jobs).
POLICY_NAMES = ("政策代码", "政策", "适用政策")
#: Header names of the 参数 sheet's first row.
HEADER_NAMES = {"名称", "参数名称", "参数", "name"}
#: The columns of a 参数 row, in the order of a plain row (名称, 数值, 生效日期, 依据, 政策).
COLUMNS = ("name", "value", "effective_from", "source", "policy")
COLUMN_TITLES = {
    "name": "名称",
    "value": "数值",
    "effective_from": "生效日期",
    "source": "依据",
    "policy": "政策",
}
_YEARS_UNITS = ("年", "个月", "个工作日")
_AGE_RANGE = (16, 75)


@dataclass(frozen=True)
class ParamProblem:
    """One problem of a 参数 row: the message and where (row, and the cell when known)."""

    message: str
    row: int
    column: str  # one of COLUMNS
    cell: str = ""  # "B5" when the sheet position is known

    def where(self) -> str:
        if self.cell:
            return f"参数表第{self.row}行（单元格{self.cell}）"
        return f"参数表第{self.row}行（“{COLUMN_TITLES[self.column]}”列）"

    def text(self) -> str:
        return f"{self.where()}：{self.message}"


def known_parameters() -> dict[str, Parameter]:
    """Every parameter name any pack knows, with one of its defaults (for its kind)."""
    from calc.policies import PACKS

    known: dict[str, Parameter] = {}
    for pack in PACKS.values():
        for name, versions in pack.parameters.items():
            if versions:
                known.setdefault(name, versions[0])
    return known


def kind_of(default: Parameter) -> str:
    """The kind of value: text, amount, rate, whole (years, months, days), age or number."""
    value, unit = default.value, default.unit
    if isinstance(value, str):
        return "text"
    if unit in ("元", "元/月"):
        return "amount"
    if unit in _YEARS_UNITS:
        return "whole"
    if unit == "周岁":
        return "age"
    if isinstance(value, float) and 0 < value < 1:
        return "rate"
    return "number"


def _chinese_number(text: str) -> int | None:
    """3 for "三" / "三年": a suggestion for a number written in Chinese characters."""
    try:
        import cn2an
    except ImportError:  # pragma: no cover - cn2an is a dependency
        return None
    core = text.strip()
    for unit in ("个工作日", "工作日", "周岁", "个月", "元/月", "年", "岁", "月", "元"):
        if core.endswith(unit):
            core = core[: -len(unit)]
            break
    try:
        number = cn2an.cn2an(core, "smart")
    except (ValueError, KeyError, TypeError):
        return None
    return int(number) if float(number).is_integer() else None


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def check_value(name: str, raw: object, default: Parameter) -> str | None:
    """The problem with ``raw`` as the value of parameter ``name``, or None when it is fine."""
    kind = kind_of(default)
    if kind == "text":
        return None
    value = _parse_value(raw, name)
    unit = default.unit
    if isinstance(value, bool) or not isinstance(value, int | float):
        hint = _chinese_number(str(raw))
        example = hint if hint is not None else default.value
        return (
            f"参数“{name}”的数值“{raw}”不是数字，请写成阿拉伯数字"
            f"（如“{_shown(example)}”{'' if unit in ('', None) else '，单位' + unit + '可省略'}）"
        )
    if not math.isfinite(value):
        return f"参数“{name}”的数值“{raw}”不是有效的数字（不能是 NaN 或无穷大），请写成阿拉伯数字"
    shown = _shown(value)
    top = _upper_bound(kind, unit)
    if top is not None and abs(value) > top:
        return (
            f"参数“{name}”的数值 {_big(value)} 大得不合理：{_what(kind)}应不超过 "
            f"{_shown(top)}{unit or ''}，请检查是否多写了位数"
        )
    if value < 0:
        return f"参数“{name}”的数值 {shown} 是负数：{_what(kind)}不能为负"
    if kind == "amount" and value == 0:
        return f"参数“{name}”的数值为 0：金额应大于 0"
    if kind == "rate" and value > 1:
        return f"参数“{name}”的数值 {shown} 不是比例：请写成百分数或小数，如“16%”或“0.16”"
    if kind in ("whole", "age") and not float(value).is_integer():
        return f"参数“{name}”的数值 {shown} 不是整数：应为整{unit.lstrip('个')}数（如“{_shown(default.value)}”）"
    if kind == "whole" and value < 1:
        return f"参数“{name}”的数值为 {shown}：应至少为 1{unit}"
    least = _MINIMUM.get(name)
    if least is not None and value < least[0]:
        return f"参数“{name}”的数值为 {shown}：应至少为 {least[0]}{unit or ''}（依据：{least[1]}）"
    if kind == "age" and not _AGE_RANGE[0] <= value <= _AGE_RANGE[1]:
        lo, hi = _AGE_RANGE
        return f"参数“{name}”的数值 {shown} 不是合理的年龄：应在 {lo} 到 {hi} 周岁之间"
    return None


#: Parameters with a floor set outside the texts: name → (least value, its source).
_MINIMUM = {"公示期（工作日）": (NOTICE_MIN_WORKDAYS, NOTICE_MIN_SOURCE)}

#: The largest sane value per kind (and unit): far above any figure in the texts
#: (the largest amount there is a 20,000 元 loan ceiling), far below a typing slip.
_UPPER = {"amount": 10_000_000.0, "number": 10_000_000.0}
_UPPER_BY_UNIT = {"年": 50, "个月": 600, "个工作日": 366, "日": 3660, "次": 1000}


def _upper_bound(kind: str, unit: str | None) -> float | None:
    if kind in ("rate", "age", "text"):
        return None  # bounded by their own rules
    return _UPPER_BY_UNIT.get(unit or "", _UPPER.get(kind, 10_000_000.0))


def _big(value: float) -> str:
    return f"{value:.3g}" if abs(value) >= 1e9 else _shown(value)


def _what(kind: str) -> str:
    return {
        "amount": "金额",
        "rate": "比例",
        "whole": "期限或天数",
        "age": "年龄",
    }.get(kind, "该参数")


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def suggest(name: str, known: Iterable[str]) -> str | None:
    """The known name closest to a misspelt one (difflib), if any is close enough."""
    found = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
    return found[0] if found else None


def _cells_of(row: Sequence[object] | Mapping[str, object]) -> tuple[list[object], dict]:
    if isinstance(row, Mapping):
        cells = [row.get(k) for k in COLUMNS]
        refs = row.get("cells") if isinstance(row.get("cells"), Mapping) else {}
        return cells, dict(refs)
    cells = list(row)[: len(COLUMNS)]
    return cells + [None] * (len(COLUMNS) - len(cells)), {}


def check_rows(
    rows: Iterable[Sequence[object] | Mapping[str, object]],
    known: Mapping[str, Parameter] | None = None,
) -> list[ParamProblem]:
    """Every problem of the 参数 rows (plain rows or dicts as read from the sheet).

    A dict may carry ``row`` (its Excel row) and ``cells`` ({column: "B5"}) so
    that each problem names its cell; a plain row is numbered from 1.
    """
    from calc.dates import to_date
    from calc.policies import PACKS

    known = known_parameters() if known is None else known
    problems: list[ParamProblem] = []
    # (name, policy, effective date) → (value, where) of the first row seen
    firsts: dict[tuple, tuple[object, str]] = {}
    for number, row in enumerate(rows, start=1):
        cells, refs = _cells_of(row)
        excel_row = row.get("row", number) if isinstance(row, Mapping) else number
        if all(_blank(c) for c in cells):
            continue
        name = "" if cells[0] is None else str(cells[0]).strip()
        if number == 1 and name in HEADER_NAMES:
            continue

        def add(message: str, column: str, excel_row: int = excel_row, refs: dict = refs) -> None:
            problems.append(ParamProblem(message, excel_row, column, refs.get(column, "")))

        if not name:
            add("参数名称为空", "name")
            continue
        value, since, source, policy = cells[1], cells[2], cells[3], cells[4]
        if name in POLICY_NAMES:
            if _blank(value):
                add(f"“{name}”的数值为空：请填写政策代码（{'、'.join(PACKS)}）", "value")
            elif str(value).strip().upper() not in PACKS:
                add(f"政策代码“{value}”不存在；可用：{'、'.join(PACKS)}", "value")
            continue
        default = known.get(name)
        if default is None:
            close = suggest(name, known)
            if close:
                add(f"未知参数“{name}”，是否为“{close}”？", "name")
            else:
                add(f"未知参数“{name}”；可用的参数：{'、'.join(known)}", "name")
        if _blank(value):
            add("参数值为空", "value")
        elif default is not None:
            problem = check_value(name, value, default)
            if problem:
                add(problem, "value")
        if _blank(since):
            add(f"参数“{name}”缺少生效日期", "effective_from")
        else:
            try:
                day = to_date(since)
            except InputError as err:
                add(f"参数“{name}”的生效日期{err.message}", "effective_from")
            else:
                if not _blank(value):
                    here = ParamProblem("", excel_row, "value", refs.get("value", "")).where()
                    key = (name, "" if _blank(policy) else str(policy).strip().upper(), day)
                    parsed = _parse_value(value, name) if default is not None else value
                    if key not in firsts:
                        firsts[key] = (parsed, here)
                    elif firsts[key][0] != parsed:
                        first_value, first_where = firsts[key]
                        add(
                            f"参数“{name}”在同一生效日期 {day:%Y-%m-%d} 有两个不同的数值："
                            f"{first_where}为“{_shown(first_value)}”，{here}为“{_shown(parsed)}”。"
                            "程序无法判断以哪一个为准，请删去或改正其中一行",
                            "value",
                        )
        if _blank(source):
            add(f"参数“{name}”缺少依据（文件名称或文号）", "source")
        if not _blank(policy) and str(policy).strip().upper() not in PACKS:
            add(f"政策代码“{policy}”不存在；可用：{'、'.join(PACKS)}", "policy")
    return problems


def raise_problems(
    rows: Iterable[Sequence[object] | Mapping[str, object]],
    known: Mapping[str, Parameter] | None = None,
) -> None:
    """Raise one :class:`InputError` listing every problem of the 参数 rows (if any)."""
    problems = check_rows(rows, known)
    if not problems:
        return
    if len(problems) == 1:
        p = problems[0]
        raise InputError(p.message, where=p.where())
    listed = "\n".join(f"  {p.text()}" for p in problems)
    raise InputError(
        f"参数表有 {len(problems)} 处问题，请改正后重试（程序不会改用示例默认值）：\n{listed}"
    )
