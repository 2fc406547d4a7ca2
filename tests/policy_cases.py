"""Policy cases kept beside the law they test: ``calc/policies/<text>/cases.yaml``.

A cases file holds ``defaults`` (facts shared by its cases, usually an urban
registered unemployed person) and ``cases``, each with

- ``name``: what the case shows (“女40周岁当日”); its test id is
  “<code> <clause> <name>”;
- ``clause``: the clause (or clauses) it cites — “一(一)” is read as the
  pack's own (“SX-2008 一(一)”);
- one of
  - ``person`` (ledger headers → values, merged over ``defaults.person``),
    optional ``household`` (the other members; ``[]`` = lives alone), ``as_of``
    and ``params`` (rows of the 参数 sheet: 名称, 数值, 生效日期, 依据);
  - ``deadline``: ``{event, from}`` — the deadline of an event date (JY_DEADLINE);
  - ``period``: ``{benefit, first_approval, birth, sex[, original_age]}`` — the
    last day of a benefit's period (JY_PERIOD_END);
- ``expect``: ``status``; ``categories`` (exact codes) or
  ``categories_include``/``categories_exclude``; ``benefits`` (exact) or
  ``benefits_include``/``benefits_exclude``; ``lapses`` (exact keys);
  ``period_end`` (the run's 补贴期限截止, ``null`` for none); ``periods``
  (benefit code → ``{end, until_retirement}``); ``deadlines`` (event → date);
  ``explanation_contains`` (phrases); ``problems`` (the 数据问题 text); for a
  ``deadline`` case ``date``; for a ``period`` case ``end``.

The runner is here, in the tests, so that the engine needs no YAML reader.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from calc.assess import person_frame, person_result, run_ledger
from calc.clauses import Clause, clause, clause_number
from calc.deadlines import deadline
from calc.params import ParameterTable
from calc.periods import period_end
from calc.policies import FOLDERS, PolicyPack, get_policy

CASES_FILE = "cases.yaml"


@dataclass
class Case:
    pack: PolicyPack
    name: str
    clauses: tuple[Clause, ...]
    data: dict[str, Any]

    @property
    def id(self) -> str:
        own = [
            str(Clause("", c.points)) if c.policy == self.pack.code else str(c)
            for c in self.clauses
        ]
        return f"{self.pack.code} {'、'.join(own)} {self.name}"

    #: the test id (tests/conftest.py shows it as written, not \u-escaped)
    policy_case_id = id


def _full_clause(pack: PolicyPack, written: object) -> Clause:
    """A case's ``clause:`` as the pack writes it: with the code of a text of the
    chain (“JS-2002 二(一)”), or without (a clause of the pack's own text)."""
    written = str(written).strip()
    if written.partition(" ")[0] in pack.codes:
        return clause(written)
    return clause_number(written).of(pack.code)


def load_cases(pack: PolicyPack, folder: Path | None = None) -> list[Case]:
    """The cases of a pack's folder (none when it has no cases.yaml)."""
    folder = folder or FOLDERS[pack.code]
    path = folder / CASES_FILE
    if not path.is_file():
        return []
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    defaults = doc.get("defaults") or {}
    out = []
    for raw in doc.get("cases") or []:
        clauses = raw["clause"] if isinstance(raw["clause"], list) else [raw["clause"]]
        data = dict(raw)
        if "person" in raw:
            data["person"] = {**(defaults.get("person") or {}), **(raw["person"] or {})}
        data.setdefault("as_of", defaults.get("as_of"))
        data.setdefault("params", defaults.get("params"))
        out.append(Case(pack, raw["name"], tuple(_full_clause(pack, c) for c in clauses), data))
    return out


def computable_clauses(pack: PolicyPack) -> set[Clause]:
    """Every clause of the pack's own text a rule decides something by: preconditions,
    categories, lapses, benefits, periods and deadlines."""
    found = {pack.precondition_clause}
    found |= {c.clause for c in pack.own_categories}
    found |= {lapse.clause for lapse in pack.own_lapses}
    found |= {b.clause for b in pack.own_benefits}
    found |= {b.period.clause for b in pack.own_benefits if b.period is not None}
    found |= {d.clause for d in pack.own_deadlines}
    return {c for c in found if c is not None and c.policy == pack.code and c.points}


def _day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _params(rows) -> ParameterTable | None:
    if not rows:
        return None
    return ParameterTable.from_rows([tuple(str(v) for v in row) for row in rows])


def _check_set(errors: list[str], what: str, got: set[str], expect: dict, key: str) -> None:
    if key in expect and got != set(expect[key] or []):
        errors.append(f"{what}: got {sorted(got)}, expected {sorted(expect[key] or [])}")
    if f"{key}_include" in expect and not set(expect[f"{key}_include"]) <= got:
        errors.append(f"{what}: got {sorted(got)}, expected to include {expect[f'{key}_include']}")
    if f"{key}_exclude" in expect and set(expect[f"{key}_exclude"]) & got:
        errors.append(f"{what}: got {sorted(got)}, expected none of {expect[f'{key}_exclude']}")


def run_case(case: Case) -> list[str]:
    """The ways the engine's answer differs from the case's expectation (empty: it agrees)."""
    data, expect, code = case.data, case.data.get("expect") or {}, case.pack.code
    errors: list[str] = []
    if "period" in data:
        spec = data["period"]
        end, reason = period_end(
            code,
            spec["benefit"],
            _day(spec["first_approval"]),
            _day(spec["birth"]),
            spec["sex"],
            spec.get("original_age"),
            as_of=_day(data.get("as_of")),
        )
        if end != _day(expect["end"]):
            errors.append(f"period: got {end}, expected {expect['end']} ({reason})")
        return errors
    if "deadline" in data:
        spec = data["deadline"]
        when, _ = deadline(code, spec["event"], _day(spec["from"]), _params(data.get("params")))
        if when != _day(expect["date"]):
            errors.append(f"deadline: got {when}, expected {expect['date']}")
        return errors
    as_of = _day(data.get("as_of"))
    person = {
        k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data["person"].items()
    }
    household = data.get("household")
    if household is not None:
        household = [
            {**{k: v for k, v in data["person"].items() if k != "姓名"}, **m} for m in household
        ]
    run = run_ledger(
        get_policy(code), person_frame(person, household), as_of, _params(data.get("params"))
    )
    result = person_result(run, 0)
    if "status" in expect and result.status != expect["status"]:
        errors.append(
            f"status: got {result.status}, expected {expect['status']} ({result.explanation})"
        )
    _check_set(errors, "categories", {c.code for c in result.categories}, expect, "categories")
    _check_set(errors, "benefits", {b.code for b in result.benefits}, expect, "benefits")
    lapses = {key for key, mask in run.lapse_masks.items() if mask[0]}
    _check_set(errors, "lapses", lapses, expect, "lapses")
    if "period_end" in expect and result.period_end != _day(expect["period_end"]):
        errors.append(f"period_end: got {result.period_end}, expected {expect['period_end']}")
    for ben, want in (expect.get("periods") or {}).items():
        got = result.periods.get(ben)
        if got is None:
            errors.append(f"periods[{ben}]: no period")
            continue
        if "end" in want and got.end != _day(want["end"]):
            errors.append(
                f"periods[{ben}].end: got {got.end}, expected {want['end']} ({got.reason})"
            )
        if "until_retirement" in want and got.until_retirement != want["until_retirement"]:
            errors.append(f"periods[{ben}].until_retirement: got {got.until_retirement}")
    dates = {rule.event: when for rule, when in result.deadlines}
    for event, want in (expect.get("deadlines") or {}).items():
        if dates.get(event) != _day(want):
            errors.append(f"deadlines[{event}]: got {dates.get(event)}, expected {want}")
    for phrase in expect.get("explanation_contains") or []:
        if phrase not in result.explanation:
            errors.append(f"explanation lacks “{phrase}”: {result.explanation}")
    if "problems" in expect and (result.problems or "") != (expect["problems"] or ""):
        errors.append(f"problems: got “{result.problems}”, expected “{expect['problems']}”")
    return errors


def all_cases() -> list[Case]:
    from calc.policies import list_policies

    return [case for pack in list_policies() for case in load_cases(pack)]


__all__ = ["Case", "all_cases", "computable_clauses", "load_cases", "run_case"]
