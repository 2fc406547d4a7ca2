"""Local parameters: every amount or age the policy texts leave to local government.

The texts fix categories, periods and a few amounts; they leave the monthly
post subsidy, the social-insurance subsidy base and rates, the minimum living
standard, the minimum wage, some ages and the notice period to the city or
county (see policy-notes.md, "What the texts leave to local parameters").
Each such value is a :class:`Parameter` with an effective-from date and a
source.  The packs ship *example* defaults, marked as such in their source;
a clerk overrides them with rows in the workbook's 参数 sheet (名称, 数值,
生效日期, 依据[, 政策]), passed in as a :class:`ParameterTable`.

Lookup rule (documented for the clerk): when the workbook has any row for a
parameter, only the workbook's rows count for it; the one with the latest
生效日期 on or before the date asked is used.  Otherwise the pack's default
applies.  A date before every 生效日期 is an error, never a guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from calc.errors import InputError, PolicyError

EXAMPLE_SOURCE = "示例默认值（非政策规定，请按当地文件在“参数”表中修改）"


@dataclass(frozen=True)
class Parameter:
    """One value in force from ``effective_from`` on."""

    name: str
    value: object
    effective_from: dt.date
    source: str
    unit: str = ""
    policy: str | None = None  # None: applies to every policy
    example: bool = False

    def cite(self) -> str:
        mark = "（示例值）" if self.example else ""
        return f"{self.name}={self.value}{self.unit}{mark}，{self.effective_from.isoformat()}起，依据：{self.source}"


def example(name: str, value: object, unit: str, since: dt.date, note: str = "") -> Parameter:
    """A clearly-marked example default shipped with a pack."""
    source = EXAMPLE_SOURCE + (f"；{note}" if note else "")
    return Parameter(name, value, since, source, unit, example=True)


def _parse_value(raw: object, where: str) -> object:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise InputError("参数值为空", where=where)
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float):
        return int(raw) if float(raw).is_integer() else float(raw)
    text = str(raw).strip().replace(",", "").replace("，", "")
    for suffix in ("元/月", "元", "%", "个工作日", "工作日", "周岁", "岁", "年", "个月", "月"):
        if text.endswith(suffix) and text[: -len(suffix)].strip():
            number = text[: -len(suffix)].strip()
            try:
                value = float(number)
            except ValueError:
                break
            if suffix == "%":
                value /= 100
            return int(value) if value.is_integer() else value
    try:
        value = float(text)
        return int(value) if value.is_integer() else value
    except ValueError:
        return str(raw).strip()


@dataclass
class ParameterTable:
    """The clerk's parameter rows (the workbook's 参数 sheet)."""

    rows: list[Parameter] = field(default_factory=list)

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[object] | Mapping[str, object]]) -> ParameterTable:
        """Build from 参数 rows: (名称, 数值, 生效日期, 依据[, 政策]) or dicts.

        A header row (first cell "名称"/"参数名称") is skipped; fully empty
        rows are ignored; every row is checked first (:mod:`calc.param_checks`:
        known name, sane value, date, source) and all problems are raised at
        once as one Chinese error naming each cell.
        """
        from calc.dates import to_date
        from calc.param_checks import POLICY_NAMES, raise_problems

        rows = list(rows)
        raise_problems(rows)  # every problem at once, each with its cell (calc.param_checks)
        params: list[Parameter] = []
        for number, row in enumerate(rows, start=1):
            if isinstance(row, Mapping):
                cells = [
                    row.get(k) for k in ("name", "value", "effective_from", "source", "policy")
                ]
            else:
                cells = list(row) + [None] * (5 - len(row))
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            name = "" if cells[0] is None else str(cells[0]).strip()
            if (
                number == 1 and name in {"名称", "参数名称", "参数", "name"}
            ) or name in POLICY_NAMES:
                continue  # the header; the row choosing the policy is not a parameter
            where = f"参数表第{number}行"
            if not name:
                raise InputError("参数名称为空", where=where)
            value = _parse_value(cells[1], f"{where}（{name}）")
            if cells[2] is None or (isinstance(cells[2], str) and not cells[2].strip()):
                raise InputError(f"参数“{name}”缺少生效日期", where=where)
            try:
                since = to_date(cells[2])
            except InputError as err:
                raise err.with_location(f"{where}（{name}）生效日期") from None
            source = "" if cells[3] is None else str(cells[3]).strip()
            if not source:
                raise InputError(f"参数“{name}”缺少依据（文件名称或文号）", where=where)
            policy = None if cells[4] in (None, "") else str(cells[4]).strip().upper()
            params.append(Parameter(name, value, since, source, policy=policy))
        return cls(params)

    def lookup(self, policy: str, name: str, on: dt.date) -> Parameter | None:
        """The clerk's row in force, or None when the workbook has none for ``name``."""
        candidates = [p for p in self.rows if p.name == name and p.policy in (None, policy)]
        if not candidates:
            return None
        # A row restricted to this policy wins over an unrestricted one of the same date.
        in_force = [p for p in candidates if p.effective_from <= on]
        if not in_force:
            first = min(p.effective_from for p in candidates)
            raise InputError(
                f"参数“{name}”在{on.isoformat()}尚未生效：参数表中此参数最早的生效日期为"
                f"{first.isoformat()}，请在“参数”表补充此前适用的标准"
                "（参数表写了某参数后，该参数不再使用程序自带的示例值）"
            )
        return max(in_force, key=lambda p: (p.effective_from, p.policy is not None))


def resolve(
    defaults: Mapping[str, Sequence[Parameter]],
    policy: str,
    name: str,
    on: dt.date,
    table: ParameterTable | None,
) -> Parameter:
    """The parameter ``name`` of ``policy`` in force on ``on`` (workbook first)."""
    if table is not None:
        found = table.lookup(policy, name, on)
        if found is not None:
            return found
    versions = defaults.get(name)
    if not versions:
        known = "、".join(sorted(defaults))
        raise PolicyError(f"{policy} 没有参数“{name}”；可用参数：{known}")
    in_force = [p for p in versions if p.effective_from <= on]
    if not in_force:
        first = min(p.effective_from for p in versions)
        raise InputError(f"参数“{name}”在{on.isoformat()}尚未生效（最早{first.isoformat()}）")
    return max(in_force, key=lambda p: p.effective_from)
