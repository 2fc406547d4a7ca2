"""Reading a ledger and assessing every person with its policy pack."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from calc import assess, fields
from calc.errors import InputError
from calc.memory import release_memory
from calc.missing import count_causes
from calc.normalize import normalise
from calc.params import ParameterTable
from calc.policies import get_policy
from calc.policies.base import PolicyPack
from xl_addin import ledger_read
from xl_addin import messages as msg
from xl_addin.jobs.common import (
    ERROR,
    NOTICE,
    PARAM_SHEET,
    POLICY_PARAM,
    REQUIRED_FIELDS,
    RESULT_HEADERS,
    Progress,
    _noop,
)
from xl_addin.jobs.inputs import parse_as_of
from xl_addin.jobs.reports import Problem, Summary

# --------------------------------------------------------------------------- assessment


@dataclass
class Assessed:
    """A read and assessed ledger (shared by fill, docs and demo)."""

    path: Path
    ledger: ledger_read.Ledger
    pack: PolicyPack
    policy_source: str
    as_of: dt.date
    params: ParameterTable | None
    param_rows: list[dict]
    run: assess.LedgerRun
    problems: dict[int, list[Problem]]  # Excel row -> problems

    @property
    def results(self) -> pd.DataFrame:
        return self.run.results

    def problem_texts(self) -> list[str]:
        get = self.problems.get
        return [
            "；".join(p.text() for p in found) if (found := get(r)) else ""
            for r in self.ledger.data.index
        ]

    def summary(self) -> Summary:
        return summarise(self.run, self.problems)


def summarise(run: assess.LedgerRun, problems: dict[int, list[Problem]]) -> Summary:
    res = run.results
    eligible = res["eligible"].to_numpy(dtype=bool)
    by_category = {
        cat.label: int((run.category_masks[cat.code] & eligible).sum())
        for cat in run.pack.categories
    }
    return Summary(
        people=len(res),
        eligible=int(eligible.sum()),
        by_status=dict(Counter(res["status"].tolist())),
        by_category=by_category,
        rows_with_problems=sum(1 for v in problems.values() if any(p.level == ERROR for p in v)),
        problems=sum(1 for v in problems.values() for p in v if p.level == ERROR),
        uncertain_causes=count_causes(run.causes, res["status"].to_numpy(), assess.UNCERTAIN),
    )


def _policy_from_params(rows: list[dict]) -> str | None:
    for row in rows:
        name = str(row.get("name") or "").strip()
        if name in (POLICY_PARAM, "政策", "适用政策"):
            value = row.get("value")
            if value not in (None, ""):
                return str(value).strip()
    codes = {str(r["policy"]).strip().upper() for r in rows if r.get("policy") not in (None, "")}
    if len(codes) == 1:
        return codes.pop()
    return None


def _parameter_table(path: Path, rows: list[dict]) -> ParameterTable | None:
    usable = [r for r in rows if str(r.get("name") or "").strip() != POLICY_PARAM]
    if not usable:
        return None
    try:
        return ParameterTable.from_rows(usable)
    except InputError as err:
        raise InputError(
            f"{msg.file_label(path)} 工作表“{PARAM_SHEET}”：{err.describe()}"
        ) from None


#: Headers of columns every ledger may have that carry no person data.
PLAIN_HEADERS = ("序号", "编号", "备注", "说明")


def _ignorable(header: str) -> bool:
    key = fields.normalise_header(header)
    results = {fields.normalise_header(h) for h in RESULT_HEADERS.values()}
    return key in results or key in PLAIN_HEADERS


def columns_text(ledger: ledger_read.Ledger) -> str:
    """``已识别 18 列：姓名(B)…；未识别：…`` without jyyz's own result columns."""
    known = sorted(ledger.columns.items(), key=lambda kv: ledger_read.column_index(kv[1]))
    text = f"已识别 {len(known)} 列：" + (
        "、".join(f"{fields.header_of(n)}({c})" for n, c in known) if known else "无"
    )
    unknown = [(c, h) for c, h in ledger.unknown_columns if not _ignorable(h)]
    if unknown:
        text += "；未识别：" + "、".join(f"{h}({c})" for c, h in unknown)
    if ledger.sources:
        text += "；另取自：" + "、".join(
            f"{fields.header_of(n)}←{where}" for n, where in ledger.sources.items()
        )
    text += ledger.members_text()  # a 家属信息 sheet's members (household tests only)
    if ledger.sheet_reason:
        text = ledger.sheet_reason + "。" + text
    return text


def _check_required(ledger: ledger_read.Ledger) -> None:
    missing = ledger.missing(REQUIRED_FIELDS)
    if missing:
        names = "、".join(f"“{fields.header_of(m)}”" for m in missing)
        raise InputError(
            f"{msg.where(ledger.path, ledger.sheet_name)} 缺少必需的列：{names}"
            f"（表头在第{ledger.header_row}行）。{columns_text(ledger)}"
        )


#: Engine problem codes that state an assumption made on a readable value (a date
#: written to the month): a 提示 in the check report, not an error.
ASSUMPTION_CODES = frozenset({"month_precision"})


def cell_problems(ledger: ledger_read.Ledger, engine_problems) -> dict[int, list[Problem]]:
    """Per Excel row: the engine's problems tied to their cells, plus blank
    required fields ("B15：姓名为空").

    ``engine_problems`` is the normaliser's records (calc.normalize.Persons.records:
    row, field, code, header, detail, message — the field and the header travel as
    data): a problem about a cell of the ledger shows its detail at that cell.
    """
    out: dict[int, list[Problem]] = {}
    data = ledger.data
    for name in REQUIRED_FIELDS:
        if name not in data.columns:
            continue
        col = data[name]
        blank = col.isna().to_numpy() | np.fromiter(
            (not str(v).strip() for v in col.tolist()), dtype=bool, count=len(col)
        )
        label = "姓名为空" if name == "name" else "身份证号码为空"
        for r in data.index[blank]:
            out.setdefault(int(r), []).append(
                Problem(
                    label,
                    ledger.cell_ref(name, int(r)),
                    int(r),
                    name,
                    column=ledger.column_index(name),
                )
            )
    for r, problem in duplicate_id_problems(ledger).items():
        out.setdefault(r, []).append(problem)
    records = engine_problems if engine_problems is not None else pd.DataFrame()
    if len(records):
        for r, fname, code, header, detail, message in zip(
            records["row"].tolist(),
            records["field"].tolist(),
            records["code"].tolist(),
            records["header"].tolist(),
            records["detail"].tolist(),
            records["message"].tolist(),
            strict=True,
        ):
            cell, column = "", None
            if fname is not None and fname in ledger.columns:
                if header:  # the cell names its column: the detail alone
                    message = detail
                cell, column = ledger.cell_ref(fname, int(r)), ledger.column_index(fname)
            level = NOTICE if code in ASSUMPTION_CODES else ERROR
            out.setdefault(int(r), []).append(Problem(message, cell, int(r), fname, level, column))
    for r in out:  # left to right, by the column of the problem's cell
        out[r].sort(key=lambda p: p.column or 0)
    return out


def _id_key(value: Any) -> str:
    if type(value) is str and value.isalnum():  # most cells: nothing to take out
        return value.upper()
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    return re.sub(r"[\s\u3000\-]", "", text).upper()


def duplicate_ids(ledger: ledger_read.Ledger) -> dict[int, list[int]]:
    """Excel row → the other rows holding the same ID number (only rows that share one)."""
    if "id_number" not in ledger.data.columns:
        return {}
    col = ledger.data["id_number"]
    filled = col[col.notna()]
    keys = filled.map(_id_key)
    keys = keys[keys != ""]
    dup = keys[keys.duplicated(keep=False)]
    out: dict[int, list[int]] = {}
    for _, group in dup.groupby(dup, sort=False):
        rows = [int(r) for r in group.index]
        for r in rows:
            out[r] = [o for o in rows if o != r]
    return out


def duplicate_id_problems(ledger: ledger_read.Ledger) -> dict[int, Problem]:
    """Both (every) rows of one ID number flagged at their ID cell: the same person twice
    (two applications) or two people typed with one number — the clerk decides which."""
    out = {}
    for r, others in duplicate_ids(ledger).items():
        where = "、".join(f"第{o}行" for o in others)
        out[r] = Problem(
            f"身份证号码与{where}相同（同一人登记了两次，或录入有误），请核对后只保留一行；"
            "文书只按第一行生成一份",
            ledger.cell_ref("id_number", r),
            r,
            "id_number",
            column=ledger.column_index("id_number"),
        )
    return out


def assess_workbook(
    path: str | os.PathLike[str],
    policy: str | None = None,
    as_of: object = None,
    sheet: str | None = None,
    progress: Progress | None = None,
    *,
    slim: bool = False,
) -> Assessed:
    """Read a ledger workbook and assess every row (policy from ``policy`` or the 参数 sheet).

    ``slim`` (for :func:`fill`): once the rows are normalised, ``ledger.data``
    keeps only the required columns (name, ID number), which frees most of a
    big ledger's memory before the explanations are built; once assessed, the
    run keeps only its results (:meth:`calc.assess.LedgerRun.drop_details`).
    """
    progress = progress or _noop
    p = workbook_source(path)
    day = parse_as_of(as_of)
    if policy is not None and str(policy).strip():
        get_policy(policy)  # unknown code → Chinese error before reading anything
    progress(0, 4, "读取台账")
    ledger = ledger_read.read_ledger(p, sheet)
    _check_required(ledger)
    progress(1, 4, "读取参数表")
    param_rows = ledger_read.read_parameter_sheet(p, PARAM_SHEET)
    source = "命令行"
    if policy is None or not str(policy).strip():
        policy = _policy_from_params(param_rows)
        source = f"工作簿“{PARAM_SHEET}”表"
        if policy is None:
            raise InputError(
                f"未指定政策代码：请用 --policy 指定（可用：{'、'.join(_policy_codes())}），"
                f"或在工作簿“{PARAM_SHEET}”表中加一行“{POLICY_PARAM}”（数值填政策代码，如 SX-2008）"
            )
    pack = get_policy(policy)
    declare_facts(p, ledger, pack.chain()[0].region)
    params = _parameter_table(p, param_rows)
    progress(2, 4, f"认定资格（{len(ledger.data)}人，{pack.code}）")
    members = {  # a 家属信息 sheet's members who are not in the ledger (household tests only)
        "members": ledger.household_members,
        "members_source": ledger.household_members_source,
    }
    if slim:
        persons = normalise(ledger.data, as_of=day, **members)
        kept = (*REQUIRED_FIELDS, "community")  # the community: the service's per-person table
        ledger.data = ledger.data[[c for c in kept if c in ledger.data.columns]].copy()
        release_memory()
        run = assess.run_ledger(pack, persons, day, params, details=False)
        del persons
    else:
        run = assess.run_ledger(pack, normalise(ledger.data, as_of=day, **members), day, params)
    problems = cell_problems(ledger, run.persons.records)
    if slim:
        run.drop_details()  # fill writes from the results alone
        release_memory()
    progress(3, 4, "整理结果")
    return Assessed(p, ledger, pack, source, day, params, param_rows, run, problems)


SETTINGS_SHEET = "设置"
#: 设置 rows by which an office declares that every person's hukou is in the province
#: of its policy (户籍均在本省), instead of adding a 户籍地 column.
#: Fields an office may declare for every person in 设置 (facts of the place, not of
#: a person: the office's own 电话 or 地址 rows must not become each person's).
DECLARABLE_FIELDS = (
    "household_registration",
    "registered_place",
    "community",
    "street",
    "officer",
    "officer_phone",
)
HOME_PROVINCE_WORDS = ("户籍均在本省", "均为本省户籍", "户籍均为本省", "本省户籍", "户籍均在本市")


def declare_facts(path: Any, ledger: ledger_read.Ledger, region: str | None = None) -> None:
    """Facts the office declares in the 设置 sheet for every row of the ledger.

    A row whose name is a field's header (户籍性质 | 城镇, 社区 | 南华社区) gives that
    field to every person when the ledger has no column for it; “户籍均在本省 | 是”
    gives 户籍地 the policy's province (``region``).  Each is cited where it is
    used: the recognition report names the 设置 row, and the explanation reads the
    value, which names the declaration (“山西省（设置声明：户籍均在本省）”).
    """
    rows = ledger_read.read_sheet_rows(path, SETTINGS_SHEET) or []
    for row in rows:
        if len(row) < 2 or row[0] in (None, "") or row[1] in (None, ""):
            continue
        name, value = str(row[0]).strip(), row[1]
        shown = str(value).strip()
        said = f"工作表“{SETTINGS_SHEET}”声明“{name}：{shown}”"
        key = fields.normalise_header(name)
        if any(fields.normalise_header(w) == key for w in HOME_PROVINCE_WORDS):
            if (
                region
                and shown in ("是", "√", "1", "true", "TRUE", "均是")
                and ("registered_place" not in ledger.data.columns)
            ):
                ledger.data["registered_place"] = f"{region}（设置声明：{name}）"
                ledger.sources["registered_place"] = said
            continue
        field_name = fields.match_header(name)
        if (
            field_name not in DECLARABLE_FIELDS
            or field_name in ledger.data.columns
            or field_name in ledger.sources
        ):
            continue
        ledger.data[field_name] = value
        ledger.sources[field_name] = said


def workbook_source(path: Any) -> Any:
    """A file path as a :class:`~pathlib.Path`; the values of an open workbook
    (:class:`xl_addin.ledger_read.WorkbookValues`, the xlwings scripts) as they are."""
    return path if isinstance(path, ledger_read.WorkbookValues) else Path(path)


def _policy_codes() -> list[str]:
    from calc.policies import PACKS

    return list(PACKS)
