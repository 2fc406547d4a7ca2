"""The whole-workbook jobs behind ``jyyz`` (fill, check, docs, demo).

Excel-agnostic: every job takes file paths and returns a report dataclass;
nothing here prints (the command line in :mod:`xl_addin.cli` does) and
nothing needs Excel, so the xlwings one-click scripts reuse the same jobs.
Long jobs call ``progress(done, total, label)`` when given one.

- :func:`fill` — read the ledger (:mod:`xl_addin.ledger_read`), assess every
  person with the policy pack (:func:`calc.assess.run_ledger`, household-aware)
  and write the result columns 认定类别 … 数据问题 to the right of the ledger
  (or over columns with exactly those headers from an earlier run), touching
  only those cells (:mod:`xl_addin.ledger_write`).  Never overwrites the input
  unless ``in_place``; any existing file it replaces (the input with
  ``in_place``, an earlier output, a file named as ``out``) is first kept as a
  verified timestamped backup beside it (:mod:`calc.safe_files`).
- :func:`check` — the problems a clerk must fix, each with its cell ("C15")
  and a Chinese description; writes ``NAME.检查结果.xlsx`` beside the input
  (a copy with a 检查结果 sheet), never modifies the input.
- :func:`docs` — agreements (协议书), a public notice (公示) or target
  responsibility letters (责任书) for selected rows, via :mod:`doc_templates`.
- :func:`demo` — all of the above on the bundled sample ledger.

Errors a clerk can cause raise :class:`calc.errors.InputError` with a Chinese
message.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from calc import assess as A
from calc import fields as F
from calc import missing as MISSING
from calc.dates import to_date
from calc.errors import InputError
from calc.memory import release_memory
from calc.normalize import domain_share, normalise
from calc.params import ParameterTable
from calc.policies import get_policy
from calc.policies.base import PolicyPack
from calc.safe_files import os_errors_in_chinese, write_bytes_safely
from xl_addin import field_map as FM
from xl_addin import ledger_read as LR
from xl_addin import ledger_write as LW
from xl_addin import messages as msg

Progress = Callable[[float, float, str], None]

#: The result columns in ledger order: engine field -> header.
RESULT_FIELDS: tuple[str, ...] = tuple(A.RESULT_HEADERS)
RESULT_HEADERS: dict[str, str] = dict(A.RESULT_HEADERS)
#: Columns a ledger must have.
REQUIRED_FIELDS = ("name", "id_number")
#: Columns the policies read often; a missing one is reported as a notice by ``check``.
RECOMMENDED_FIELDS = (
    "household_registration",
    "household_id",
    "employment_status",
    "unemployment_registration_date",
    "community",
    "officer",
)
#: A recommended column another one stands in for.
SUBSTITUTES = {
    "household_id": "household_head_id",
    "employment_status": "employment_type",
    "unemployment_registration_date": "registered_unemployed_flag",
}
#: Result columns that are written as ``=JY_…`` formulas with ``formulas=True``
#: (the others have no row-wise worksheet function and are written as values).
FORMULA_FUNCTIONS = {
    "categories": "JY_CATEGORY",
    "eligible": "JY_ELIGIBLE",
    "benefits": "JY_BENEFITS",
    "explanation": "JY_WHY",
}
PARAM_SHEET = "参数"
TARGET_SHEET = "目标"
POLICY_PARAM = "政策代码"
CHECK_SHEET = "检查结果"
ERROR, NOTICE = "错误", "提示"
FILLED_SUFFIX = ".已填写"
CHECKED_SUFFIX = ".检查结果"
DOC_KINDS = ("协议书", "公示", "责任书")


def _noop(done: float, total: float, label: str = "") -> None:
    pass


# --------------------------------------------------------------------------- reports


@dataclass
class Problem:
    """One problem of the ledger, at a cell when known."""

    message: str  # Chinese, without the cell: "身份证号码第18位应为X"
    cell: str = ""  # "C15"
    row: int | None = None  # Excel row
    field: str | None = None  # canonical field
    level: str = ERROR  # 错误 / 提示

    @property
    def header(self) -> str:
        return F.header_of(self.field) if self.field in F.FIELDS else ""

    def text(self) -> str:
        return f"{self.cell}：{self.message}" if self.cell else self.message


@dataclass
class Summary:
    """Counts for the end-of-run table."""

    people: int = 0
    eligible: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)  # eligible people per category
    rows_with_problems: int = 0
    problems: int = 0
    #: 待核实 people per cause: "缺少列“失业登记日期”" -> 30 (see calc.missing.count_causes).
    uncertain_causes: dict[str, int] = field(default_factory=dict)


@dataclass
class FillReport:
    input: Path
    output: Path
    policy: str
    policy_source: str  # "命令行" / "工作簿参数表"
    as_of: dt.date
    sheet: str
    header_row: int
    first_row: int
    last_row: int
    columns_text: str  # recognised / unrecognised columns
    written: dict[str, str]  # header -> column letter
    formulas: bool
    summary: Summary
    problems: list[Problem]
    backup: Path | None = None
    seconds: float = 0.0
    #: Parameters of the policy the 参数 sheet does not set: their example defaults were used.
    example_parameters: list[str] = field(default_factory=list)


@dataclass
class CheckReport:
    input: Path
    sheet: str
    people: int
    columns_text: str
    errors: list[Problem]
    notices: list[Problem]
    output: Path | None = None
    marked: bool = False
    write_error: str = ""
    backup: Path | None = None  # an earlier file at ``output``, kept before replacing it
    #: Rows of the pre-filled 字段对照 sheet written with the check result (header row incl.).
    field_map_rows: list[list[Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class DocsReport:
    kind: str
    out_dir: Path
    files: list[Path]
    people: int
    merged: Path | None = None
    register: Path | None = None
    pdfs: list[Path] = field(default_factory=list)
    note: str = ""
    # documents: who got no paper and why, what the clerk must know
    skipped: list = field(default_factory=list)  # doc_templates.batches.Skipped
    not_made: Path | None = None
    warnings: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: int = 0
    font_notes: list[str] = field(default_factory=list)  # which fonts the PDFs print in


@dataclass
class DemoReport:
    out_dir: Path
    fills: list[FillReport]
    docs: list[DocsReport]
    check: CheckReport | None = None
    seconds: float = 0.0

    @property
    def documents(self) -> int:
        return sum(len(d.files) for d in self.docs)


# --------------------------------------------------------------------------- inputs


def parse_as_of(value: object) -> dt.date:
    """``--as-of`` (2026-11-01, 2026.11.1, 2026年11月1日, 20261101, a date) → date."""
    if value is None or value == "":
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return to_date(str(value).strip())
    except InputError as err:
        raise InputError(
            f"认定基准日期“{value}”无法识别：{err.message}。请写成 2026-11-01 或 2026年11月1日"
        ) from None


def parse_rows(spec: str | None) -> tuple[int, int] | None:
    """``--rows 3-20`` (Excel row numbers, inclusive; "5" is one row) → (3, 20)."""
    if spec is None or not str(spec).strip():
        return None
    text = (
        str(spec).strip().replace("－", "-").replace("—", "-").replace("～", "-").replace("~", "-")
    )
    m = re.fullmatch(r"(\d+)\s*(?:-\s*(\d+))?", text)
    if not m:
        raise InputError(f"行号范围“{spec}”格式不对：应写成 3-20（Excel 行号，含首尾）或单个行号")
    lo = int(m.group(1))
    hi = int(m.group(2)) if m.group(2) else lo
    if lo < 1 or hi < lo:
        raise InputError(f"行号范围“{spec}”不对：起始行应不小于1且不大于结束行")
    return lo, hi


def parse_where(items: Iterable[str] | None) -> list[tuple[str, str]]:
    """``--where 社区=幸福社区`` (several allowed, all must hold) → [(header, value)]."""
    out = []
    for item in items or ():
        text = str(item).replace("＝", "=")
        if "=" not in text:
            raise InputError(f"筛选条件“{item}”格式不对：应写成 列名=值，例如 社区=幸福社区")
        header, value = (s.strip() for s in text.split("=", 1))
        if not header:
            raise InputError(f"筛选条件“{item}”缺少列名")
        out.append((header, value))
    return out


def default_output(path: Path, suffix: str) -> Path:
    """``台账.xlsx`` → ``台账.已填写.xlsx`` beside the input."""
    return path.with_name(path.stem + suffix + path.suffix)


# --------------------------------------------------------------------------- assessment


@dataclass
class Assessed:
    """A read and assessed ledger (shared by fill, docs and demo)."""

    path: Path
    ledger: LR.Ledger
    pack: PolicyPack
    policy_source: str
    as_of: dt.date
    params: ParameterTable | None
    param_rows: list[dict]
    run: A.LedgerRun
    problems: dict[int, list[Problem]]  # Excel row -> problems

    @property
    def results(self) -> pd.DataFrame:
        return self.run.results

    def problem_texts(self) -> list[str]:
        return [
            "；".join(p.text() for p in self.problems.get(r, ())) for r in self.ledger.data.index
        ]

    def summary(self) -> Summary:
        return summarise(self.run, self.problems)


def summarise(run: A.LedgerRun, problems: dict[int, list[Problem]]) -> Summary:
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
        uncertain_causes=MISSING.count_causes(
            res["explanation"].tolist(), res["status"].tolist(), A.UNCERTAIN
        ),
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
    key = F.normalise_header(header)
    results = {F.normalise_header(h) for h in RESULT_HEADERS.values()}
    return key in results or key in PLAIN_HEADERS


def columns_text(ledger: LR.Ledger) -> str:
    """``已识别 18 列：姓名(B)…；未识别：…`` without jyyz's own result columns."""
    known = sorted(ledger.columns.items(), key=lambda kv: LR.column_index(kv[1]))
    text = f"已识别 {len(known)} 列：" + (
        "、".join(f"{F.header_of(n)}({c})" for n, c in known) if known else "无"
    )
    unknown = [(c, h) for c, h in ledger.unknown_columns if not _ignorable(h)]
    if unknown:
        text += "；未识别：" + "、".join(f"{h}({c})" for c, h in unknown)
    if ledger.sources:
        text += "；另取自：" + "、".join(
            f"{F.header_of(n)}←{where}" for n, where in ledger.sources.items()
        )
    text += ledger.members_text()  # a 家属信息 sheet's members (household tests only)
    if ledger.sheet_reason:
        text = ledger.sheet_reason + "。" + text
    return text


def _check_required(ledger: LR.Ledger) -> None:
    missing = ledger.missing(REQUIRED_FIELDS)
    if missing:
        names = "、".join(f"“{F.header_of(m)}”" for m in missing)
        raise InputError(
            f"{msg.where(ledger.path, ledger.sheet_name)} 缺少必需的列：{names}"
            f"（表头在第{ledger.header_row}行）。{columns_text(ledger)}"
        )


#: Engine problem codes that state an assumption made on a readable value (a date
#: written to the month): a 提示 in the check report, not an error.
ASSUMPTION_CODES = frozenset({"month_precision"})


def cell_problems(ledger: LR.Ledger, engine_problems) -> dict[int, list[Problem]]:
    """Per Excel row: the engine's problems tied to their cells, plus blank
    required fields ("B15：姓名为空").

    ``engine_problems`` is the normaliser's records (calc.normalize.Persons.records:
    row, field, code, message — the field travels as data), or for older callers
    the joined texts per row (fields then recovered from the header prefixes).
    """
    out: dict[int, list[Problem]] = {}
    data = ledger.data
    for name in REQUIRED_FIELDS:
        if name not in data.columns:
            continue
        col = data[name]
        blank = col.isna() | (col.astype(str).str.strip() == "")
        label = "姓名为空" if name == "name" else "身份证号码为空"
        for r in data.index[blank.to_numpy()]:
            out.setdefault(int(r), []).append(
                Problem(label, ledger.cell_ref(name, int(r)), int(r), name)
            )
    for r, problem in duplicate_id_problems(ledger).items():
        out.setdefault(r, []).append(problem)
    if isinstance(engine_problems, pd.DataFrame):
        codes = (
            engine_problems["code"].tolist()
            if "code" in engine_problems.columns
            else [""] * len(engine_problems)
        )
        for r, fname, message, code in zip(
            engine_problems["row"].tolist(),
            engine_problems["field"].tolist(),
            engine_problems["message"].tolist(),
            codes,
            strict=True,
        ):
            cell = ""
            if fname is not None and fname in ledger.columns:
                head = F.header_of(fname)
                if message.startswith(head + "："):
                    message = message[len(head) + 1 :]
                cell = ledger.cell_ref(fname, int(r))
            level = NOTICE if code in ASSUMPTION_CODES else ERROR
            out.setdefault(int(r), []).append(Problem(message, cell, int(r), fname, level))
    else:
        _problems_from_texts(ledger, engine_problems, out)
    for r in out:
        out[r].sort(key=lambda p: LR.column_index(re.sub(r"\d", "", p.cell)) if p.cell else 0)
    return out


def _id_key(value: Any) -> str:
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    return re.sub(r"[\s\u3000\-]", "", text).upper()


def duplicate_ids(ledger: LR.Ledger) -> dict[int, list[int]]:
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


def duplicate_id_problems(ledger: LR.Ledger) -> dict[int, Problem]:
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
        )
    return out


def _records_or_texts(persons):
    return persons.records if persons.records is not None else persons.problems


def _problems_from_texts(ledger: LR.Ledger, engine_problems: pd.Series, out) -> None:
    prefixes = sorted(
        ((F.header_of(f), f) for f in ledger.columns), key=lambda hf: len(hf[0]), reverse=True
    )
    bad = engine_problems[engine_problems.astype(str) != ""]
    for r, text in bad.items():
        for part in str(text).split("；"):
            part = part.strip()
            if not part:
                continue
            fname = next((f for h, f in prefixes if part.startswith(h)), None)
            message = part
            cell = ""
            if fname is not None:
                head = F.header_of(fname)
                if part.startswith(head + "："):
                    message = part[len(head) + 1 :]
                cell = ledger.cell_ref(fname, int(r))
            out.setdefault(int(r), []).append(Problem(message, cell, int(r), fname))


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
    ledger = LR.read_ledger(p, sheet)
    _check_required(ledger)
    progress(1, 4, "读取参数表")
    param_rows = LR.read_parameter_sheet(p, PARAM_SHEET)
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
        run = A.run_ledger(pack, persons, day, params)
        del persons
    else:
        run = A.run_ledger(pack, normalise(ledger.data, as_of=day, **members), day, params)
    problems = cell_problems(ledger, _records_or_texts(run.persons))
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


def declare_facts(path: Any, ledger: LR.Ledger, region: str | None = None) -> None:
    """Facts the office declares in the 设置 sheet for every row of the ledger.

    A row whose name is a field's header (户籍性质 | 城镇, 社区 | 南华社区) gives that
    field to every person when the ledger has no column for it; “户籍均在本省 | 是”
    gives 户籍地 the policy's province (``region``).  Each is cited where it is
    used: the recognition report names the 设置 row, and the explanation reads the
    value, which names the declaration (“山西省（设置声明：户籍均在本省）”).
    """
    rows = LR.read_sheet_rows(path, SETTINGS_SHEET) or []
    for row in rows:
        if len(row) < 2 or row[0] in (None, "") or row[1] in (None, ""):
            continue
        name, value = str(row[0]).strip(), row[1]
        shown = str(value).strip()
        said = f"工作表“{SETTINGS_SHEET}”声明“{name}：{shown}”"
        key = F.normalise_header(name)
        if any(F.normalise_header(w) == key for w in HOME_PROVINCE_WORDS):
            if (
                region
                and shown in ("是", "√", "1", "true", "TRUE", "均是")
                and ("registered_place" not in ledger.data.columns)
            ):
                ledger.data["registered_place"] = f"{region}（设置声明：{name}）"
                ledger.sources["registered_place"] = said
            continue
        field_name = F.match_header(name)
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
    return path if isinstance(path, LR.WorkbookValues) else Path(path)


def _policy_codes() -> list[str]:
    from calc.policies import PACKS

    return list(PACKS)


# --------------------------------------------------------------------------- fill


def _dates(series: pd.Series) -> np.ndarray:
    out = np.full(len(series), None, dtype=object)
    ok = series.notna().to_numpy()
    if ok.any():
        out[ok] = pd.to_datetime(series[ok]).dt.date.to_numpy()
    return out


def _xl_string(text: str) -> str:
    return '"' + str(text).replace('"', '""') + '"'


def _param_range(path: Path) -> str | None:
    """``'参数'!$A$1:$E$17`` when the 参数 sheet has the fixed layout JY_… functions read."""
    rows = LR.read_sheet_rows(path, PARAM_SHEET)
    if not rows:
        return None
    head = [str(v).strip() if v not in (None, "") else "" for v in rows[0][:5]]
    if len(head) < 4 or head[0] not in ("名称", "参数名称") or head[2] != "生效日期":
        return None
    last = max((i for i, r in enumerate(rows) if any(v not in (None, "") for v in r)), default=0)
    width = 5 if len(head) >= 5 and head[4] in ("政策", "政策代码", "适用政策") else 4
    return f"'{PARAM_SHEET}'!$A$1:${LR.column_letter(width)}${last + 1}"


def _formula_parts(a: Assessed, data_last_col: int, explicit_as_of: bool) -> tuple[str, str, str]:
    """(headers argument, row range template pieces, trailing arguments) of the formulas."""
    ledger = a.ledger
    last_letter = LR.column_letter(data_last_col)
    header_cells_ok = len(ledger.header_rows) == 1
    if header_cells_ok:
        headers = f"$A${ledger.header_row}:${last_letter}${ledger.header_row}"
    else:
        # Two-row header: the row under a merged header cell is empty, so the
        # formulas get the combined header texts as an array constant.
        texts = list(ledger.raw_headers[:data_last_col])
        texts += [""] * (data_last_col - len(texts))
        headers = "{" + ",".join(_xl_string(t) for t in texts) + "}"
    params = _param_range(a.path)
    if explicit_as_of:
        day = a.as_of
        tail = f",DATE({day.year},{day.month},{day.day})"
    else:
        tail = ",TODAY()" if params else ""
    if params:
        tail += "," + params
    return headers, last_letter, tail


#: The last column of an Excel worksheet (XFD).
EXCEL_MAX_COLUMN = 16_384


def result_columns(
    a: Assessed,
) -> tuple[dict[str, int], dict[int, str], int, dict[str, Sequence[Any]]]:
    """What ``fill`` writes (and the 填写计算列 button writes into the open workbook).

    Returns the 1-based column of each result field (over same-named columns of
    an earlier run, else appended right of the ledger), the headers of the new
    columns, the last data column, and the cell values per field (one per row of
    ``a.ledger.data``; ``None`` leaves the cell empty).
    """
    ledger = a.ledger
    res = a.results
    positions: dict[str, int] = {}
    new_headers: dict[int, str] = {}
    nxt = ledger.next_free_column
    for name in RESULT_FIELDS:
        header = RESULT_HEADERS[name]
        col = ledger.header_column(header)
        if col is None:
            col = nxt
            nxt += 1
            new_headers[col] = header
        positions[name] = col
    if new_headers and max(new_headers) > EXCEL_MAX_COLUMN:
        raise InputError(
            f"{ledger.where()}：右侧已用到 Excel 的最后一列（XFD），没有空列写入"
            f"{len(new_headers)} 列认定结果。请删除不用的列（或把台账复制到新工作表）后重试"
        )
    data_last_col = min(positions.values()) - 1
    known = [LR.column_index(letter) for letter in ledger.columns.values()]
    data_last_col = max(min(data_last_col, ledger.n_columns), max(known))

    texts = a.problem_texts()
    values: dict[str, Sequence[Any]] = {
        "categories": res["categories"].tolist(),
        "status": res["status"].tolist(),
        "eligible": np.where(res["eligible"].to_numpy(dtype=bool), "是", "否").tolist(),
        "benefits": res["benefits"].tolist(),
        "period_end": _dates(res["period_end"]).tolist(),
        "deadlines": res["deadlines"].tolist(),
        "explanation": res["explanation"].tolist(),
        "problems": texts,
    }
    for name in ("categories", "benefits", "deadlines", "explanation", "problems"):
        values[name] = _cell_texts(values[name])
    return positions, new_headers, data_last_col, values


#: Conclusion colours (fill, font): Excel's own “good / bad / neutral” cell styles,
#: so a ledger printed in grey still tells them apart by the words.
CONCLUSION_COLOURS = {
    A.ELIGIBLE: ("FFC6EFCE", "FF006100"),
    A.NOT_ELIGIBLE: ("FFFFC7CE", "FF9C0006"),
    A.UNCERTAIN: ("FFFFEB9C", "FF9C5700"),
    A.LAPSED: ("FFD9D9D9", "FF404040"),
}
#: Widest a result column gets (Excel character units); longer texts wrap.
RESULT_WIDTH_CAP = {"explanation": 60, "problems": 40, "benefits": 30, "deadlines": 36}
#: Result columns whose long texts wrap.
WRAPPED = ("categories", "benefits", "deadlines", "explanation", "problems")


def _display_width(value: Any) -> float:
    """Excel character units a value needs: a CJK character takes two."""
    if value is None:
        return 0
    if isinstance(value, (dt.date, dt.datetime)):
        return 10
    text = str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def result_formats(
    a: Assessed, positions: dict[str, int], values: dict[str, Sequence[Any]]
) -> dict[str, Any]:
    """How the result columns look, as data (column letters, widths, colours): the same
    for ``fill``, ``fill --formulas``, the buttons and the service/WPS add-in.

    Widths fit the header and the values (a CJK character counts two), capped per
    column; long texts wrap; 认定结论 is coloured by its value, over every row from
    the first data row down, so rows added later are coloured too; the ledger's
    filter is widened over the new columns; the name and ID columns are repeated
    on every printed page beside the results.
    """
    ledger = a.ledger
    rows = [int(r) for r in ledger.data.index]
    cols: dict[str, dict[str, Any]] = {}
    for name, col in positions.items():
        vals = values.get(name, ())
        need = max(
            [_display_width(RESULT_HEADERS[name])] + [_display_width(v) for v in vals[:2000]]
        )
        cap = RESULT_WIDTH_CAP.get(name, 24)
        cols[LR.column_letter(col)] = {
            "width": float(min(cap, max(8, need + 2))),
            "wrap": name in WRAPPED and need + 2 > cap,
        }
    status = LR.column_letter(positions["status"])
    rules = [
        {"column": status, "text": text, "fill": fill, "font": font}
        for text, (fill, font) in CONCLUSION_COLOURS.items()
    ]
    keys = [
        LR.column_index(ledger.columns[n]) for n in ("name", "id_number") if n in ledger.columns
    ]
    return {
        "columns": cols,
        "rules": rules,
        "first_row": rows[0] if rows else ledger.header_row + 1,
        "last_row": rows[-1] if rows else ledger.header_row + 1,
        "filter_to": LR.column_letter(max(positions.values())),
        "title_columns": [LR.column_letter(1), LR.column_letter(max(keys))] if keys else None,
        "title_rows": [ledger.header_rows[0], ledger.header_rows[-1]],
        "like": LR.column_letter(min(positions.values()) - 1)
        if min(positions.values()) > 1
        else None,
    }


#: Rows below the last person that ``--formulas`` covers when nothing follows the data:
#: people the clerk adds there are assessed on recalculation (blank rows give "").
FORMULA_SPARE_ROWS = 500


def formula_last_row(ledger: LR.Ledger) -> int:
    """The last row the =JY_ array formulas cover: the last person's, plus
    :data:`FORMULA_SPARE_ROWS` when no footer, note or other row follows the data
    (rows inserted above a footer widen the formulas' ranges in Excel by themselves)."""
    last = int(ledger.data.index[-1])
    if ledger.max_row > last:
        return last
    return min(last + FORMULA_SPARE_ROWS, LW.xp.MAX_ROW)


def fill(
    path: str | os.PathLike[str],
    out: str | os.PathLike[str] | None = None,
    policy: str | None = None,
    as_of: object = None,
    sheet: str | None = None,
    formulas: bool = False,
    in_place: bool = False,
    progress: Progress | None = None,
    on_assessed: Callable[[Assessed], None] | None = None,
) -> FillReport:
    """Assess the ledger and write the result columns into a new workbook (see module doc).

    ``on_assessed`` sees the assessment before the workbook is written (the
    local service shows its per-person table from it).
    """
    started = time.monotonic()
    progress = progress or _noop
    src = Path(path)
    if in_place and out is not None and Path(out).resolve() != src.resolve():
        raise InputError("“覆盖原文件”与“输出文件”不能同时指定")
    if in_place:
        LW.refuse_if_open(src)  # before the work: Excel has it open (checked again on writing)
    a = assess_workbook(src, policy, as_of, sheet, progress, slim=True)
    if on_assessed is not None:
        on_assessed(a)
    ledger = a.ledger
    res = a.results
    rows = [int(r) for r in ledger.data.index]
    if not rows:
        raise InputError(f"{msg.where(src, ledger.sheet_name)}：表头下没有数据行")
    positions, new_headers, data_last_col, values = result_columns(a)
    if formulas and ledger.household_members is not None:
        raise InputError(  # a JY_ formula sees the ledger's rows only, not the family sheet's
            f"台账的家庭成员还取自{ledger.household_members_source}，"
            "而工作表公式只能看到台账本身的行，重新计算后家庭条件会算错；"
            "请不用公式方式（去掉“--formulas”）填写"
        )
    if formulas:
        headers_arg, last_letter, tail = _formula_parts(a, data_last_col, as_of not in (None, ""))
        code = _xl_string(a.pack.code)
        eligible = res["eligible"].to_numpy(dtype=bool).tolist()
        engine_problems = res["problems"].tolist()
        cached = {
            "categories": values["categories"],
            "eligible": eligible,
            "benefits": values["benefits"],
            "explanation": [
                e + (f"；数据问题：{p}" if p else "")
                for e, p in zip(res["explanation"].tolist(), engine_problems, strict=True)
            ],
        }
        # One array formula per column over all data rows: one call per column, and
        # the household tests see every member (a formula per row could not).
        first, last = rows[0], formula_last_row(ledger)
        cached["eligible"] = values["eligible"]  # 是/否 in both files
        for name, fn in FORMULA_FUNCTIONS.items():
            letter = LR.column_letter(positions[name])
            call = f"{fn}({code},{headers_arg},$A${first}:${last_letter}${last}{tail})"
            text = "=" + call
            if name == "eligible":  # the same 是/否 as the values file, not TRUE/FALSE;
                # a blank row's "" stays "" (rows the clerk adds below get their answers)
                text = f'=IF(ISLOGICAL({call}),IF({call},"是","否"),{call})'
            column = [LW.fit_cell_text(v) for v in cached[name]]
            column[0] = LW.Formula(text, column[0], ref=f"{letter}{first}:{letter}{last}")
            values[name] = column

    if in_place:
        dst = None
    else:
        dst = Path(out) if out is not None else default_output(src, FILLED_SUFFIX)
        with os_errors_in_chinese(dst):  # a name too long, a folder not reachable
            clash = dst.exists() and dst.resolve() == src.resolve()
        if clash:
            raise InputError(
                f"输出文件不能与输入文件“{src.name}”相同；如需直接修改原文件请加 --in-place（会先自动备份）"
            )
        if not dst.parent.is_dir():
            raise InputError(f"输出目录“{dst.parent}”不存在")
    # An existing output (an earlier fill the clerk may have typed into, or any
    # file named with -o) and the input with --in-place are backed up first.
    progress(3.5, 4, "写入工作簿")
    formats = result_formats(a, positions, values)
    result = LW.write_formatted_columns(
        src,
        dst,
        ledger.sheet_name,
        rows,
        {positions[n]: values[n] for n in RESULT_FIELDS},
        formats,
        headers=new_headers or None,
        header_row=ledger.header_row if new_headers else None,
        in_place=in_place,
    )
    progress(4, 4, "完成")
    problems = [p for r in rows for p in a.problems.get(r, ())]
    return FillReport(
        input=src,
        output=Path(result.dst_path),
        policy=a.pack.code,
        policy_source=a.policy_source,
        as_of=a.as_of,
        sheet=ledger.sheet_name,
        header_row=ledger.header_row,
        first_row=rows[0],
        last_row=rows[-1],
        columns_text=columns_text(ledger),
        written={RESULT_HEADERS[n]: LR.column_letter(positions[n]) for n in RESULT_FIELDS},
        formulas=formulas,
        summary=a.summary(),
        problems=problems,
        backup=Path(result.backup_path) if result.backup_path else None,
        seconds=time.monotonic() - started,
        example_parameters=example_parameters(a),
    )


def example_parameters(a: Assessed) -> list[str]:
    """Names of the policy's parameters the workbook does not set (example defaults apply)."""
    own = {p.name for p in a.params.rows} if a.params is not None else set()
    return [name for name in a.pack.parameters if name not in own]


# --------------------------------------------------------------------------- check


def _old_ids(ledger: LR.Ledger) -> list[Problem]:
    if "id_number" not in ledger.data.columns:
        return []
    col = ledger.data["id_number"]
    out = []
    for r, v in col.items():
        if v is None:
            continue
        text = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
        text = re.sub(r"[\s\u3000\-]", "", text)
        if len(text) == 15 and text.isdigit():
            out.append(
                Problem(
                    "15位旧身份证号码，已按规则换算为18位计算；建议核对后改录为18位号码",
                    ledger.cell_ref("id_number", int(r)),
                    int(r),
                    "id_number",
                    NOTICE,
                )
            )
    return out


def check(
    path: str | os.PathLike[str],
    out: str | os.PathLike[str] | None = None,
    sheet: str | None = None,
    write: bool = True,
    progress: Progress | None = None,
) -> CheckReport:
    """Find the problems of a ledger (see module doc); the input is never modified."""
    progress = progress or _noop
    src = Path(path)
    progress(0, 3, "读取台账")
    ledger = LR.read_ledger(src, sheet)
    progress(1, 3, "检查数据")
    report = check_report(src, ledger)
    if write:
        progress(2, 3, "写入检查结果")
        dst = Path(out) if out is not None else default_output(src, CHECKED_SUFFIX)
        try:
            _write_check(src, dst, ledger, report)
            report.output = dst
        except InputError as err:
            report.write_error = err.describe()
        except OSError as err:
            report.write_error = f"无法写入检查结果文件：{err.strerror or err}"
    progress(3, 3, "完成")
    return report


def check_report(src: Any, ledger: LR.Ledger) -> CheckReport:
    """The problems of a read ledger (``check`` and the 检查台账 button); writes nothing."""
    errors: list[Problem] = []
    notices: list[Problem] = []
    declare_facts(src, ledger)
    for name in ledger.missing(REQUIRED_FIELDS):
        errors.append(
            Problem(
                f"缺少必需的列“{F.header_of(name)}”（表头在第{ledger.header_row}行）", field=name
            )
        )
    for name in ledger.missing(RECOMMENDED_FIELDS):
        if not ledger.missing([SUBSTITUTES.get(name, name)]):
            continue  # another column says it (户主公民身份号码 forms households, …)
        notices.append(
            Problem(
                f"没有“{F.header_of(name)}”列，相关认定条件将无法判断", field=name, level=NOTICE
            )
        )
    for letter, header in ledger.unknown_columns:
        if _ignorable(header):
            continue
        notices.append(
            Problem(
                f"未识别的列“{header}”（不参与计算）",
                f"{letter}{ledger.header_row}",
                ledger.header_row,
                level=NOTICE,
            )
        )
    notices.extend(_layout_notices(ledger))
    for letter, header in ledger.duplicates:
        notices.append(
            Problem(
                f"重复的列“{header}”（已忽略，以左侧同名列为准）",
                f"{letter}{ledger.header_row}",
                ledger.header_row,
                level=NOTICE,
            )
        )
    persons = normalise(
        ledger.data,
        members=ledger.household_members,
        members_source=ledger.household_members_source,
    )
    by_row = cell_problems(ledger, _records_or_texts(persons))
    for r in sorted(by_row):
        errors.extend(p for p in by_row[r] if p.level == ERROR)
        notices.extend(p for p in by_row[r] if p.level != ERROR)
    notices.extend(_old_ids(ledger))
    notices.extend(_member_notices(persons))
    report = CheckReport(
        input=src,
        sheet=ledger.sheet_name,
        people=len(ledger.data),
        columns_text=columns_text(ledger),
        errors=errors,
        notices=notices,
        field_map_rows=_field_map_rows(ledger),
    )
    return report


def _row_label(r: Any) -> str:
    return str(int(r)) if isinstance(r, (int, np.integer, float)) else str(r)


def _member_notices(persons) -> list[Problem]:
    """Data problems of the household members listed only on a 家属信息 sheet: they
    decide household tests, so the clerk sees them, by that sheet's row."""
    m = persons.members
    if m is None or m.records is None or not len(m.records):
        return []
    where = persons.members_source or "家属信息表"
    return [
        Problem(f"{where}第{_row_label(r)}行（家庭成员，不在本台账）：{text}", level=NOTICE)
        for r, text in zip(m.records["row"].tolist(), m.records["message"].tolist(), strict=True)
    ]


def _layout_notices(ledger: LR.Ledger) -> list[Problem]:
    """What the reader made of the layout: rows that are not people, codes, joins."""
    out = []
    if ledger.sub_header_row:
        r = ledger.sub_header_row
        out.append(Problem("此行是表头的第二行（不作为人员）", f"A{r}", r, level=NOTICE))
    footer = [r for r in ledger.skipped_rows if r != ledger.sub_header_row]
    if footer:
        rows = "、".join(str(r) for r in footer[:10]) + ("……" if len(footer) > 10 else "")
        out.append(Problem(f"第{rows}行是合计、落款、编号或说明行，不作为人员", level=NOTICE))
    for letter, header, name, examples in ledger.rejected:
        shown = "、".join(f"“{e}”" for e in examples)
        out.append(
            Problem(
                f"“{header}”列的内容（如{shown}）不是“{F.header_of(name)}”的值，"
                f"未作“{F.header_of(name)}”使用，相关条件按缺少该列处理"
                f"（如确是此字段，请在“{FM.SHEET}”表中改正内容或指定对应字段）",
                f"{letter}{ledger.header_row}",
                ledger.header_row,
                level=NOTICE,
            )
        )
    for letter, header, _, to in ledger.reassigned:
        out.append(
            Problem(
                f"“{header}”列的内容是就业困难人员类别，按“{F.header_of(to)}”（已认定类别）读取",
                f"{letter}{ledger.header_row}",
                ledger.header_row,
                to,
                NOTICE,
            )
        )
    strays = ledger.non_person_rows
    if strays:
        rows = "、".join(str(r) for r in strays[:10]) + ("……" if len(strays) > 10 else "")
        out.append(
            Problem(f"第{rows}行没有姓名和身份证号码，不作为人员（未计入、未填写）", level=NOTICE)
        )
    for name, legend in ledger.legends.items():
        codes = "、".join(f"{k}={v}" for k, v in legend.items())
        out.append(
            Problem(
                f"“{F.header_of(name)}”列按填表说明中的编码解读：{codes}", field=name, level=NOTICE
            )
        )
    for header, codes in ledger.undecoded:
        if codes:
            out.append(
                Problem(
                    f"“{header}”列的编码{'、'.join(codes)}没有说明，按未知处理"
                    f"（请在“{FM.SHEET}”表中写明含义，或在表下填表说明中列出编码）",
                    level=NOTICE,
                )
            )
    for name, where in ledger.sources.items():
        out.append(Problem(f"“{F.header_of(name)}”取自{where}", field=name, level=NOTICE))
    return out


def _field_map_rows(ledger: LR.Ledger) -> list[list[Any]]:
    """The 字段对照 sheet to write: the clerk's mappings plus guesses (empty if nothing to map)."""
    unknown = [(c, h) for c, h in ledger.unknown_columns if not _ignorable(h)]
    undecoded = [(h, codes) for h, codes in ledger.undecoded if codes]
    rejected = [(c, h, n) for c, h, n, _ in ledger.rejected]
    if not unknown and not undecoded and not rejected and not ledger.field_map.rows:
        return []

    def fits(letter: str, name: str) -> bool:
        """A guess is only suggested when the column's values are values of it."""
        share = domain_share(name, ledger.unknown_samples.get(letter, []))
        return share is None or share[0] >= LR.DOMAIN_SHARE

    return FM.prefilled_rows(ledger.field_map, unknown, undecoded, rejected=rejected, fits=fits)


def _write_check(src: Path, dst: Path, ledger: LR.Ledger, report: CheckReport) -> None:
    with os_errors_in_chinese(dst):
        same = dst.exists() and dst.resolve() == src.resolve()
    if same:
        raise InputError("检查结果不能写入原文件")
    # A marked copy of the ledger plus the summary sheet, written safely to ``dst``
    # (an earlier file there is backed up first); the clerk's file is only read.
    marks = anchored_marks(check_marks(report), ledger)
    rows = check_rows(src.name, ledger, report)
    more = [(FM.SHEET, report.field_map_rows)] if report.field_map_rows else []
    result = LW.marked_copy_with_sheet(
        src, dst, ledger.sheet_name, marks, CHECK_SHEET, rows, more_sheets=more
    )
    report.marked = bool(marks)
    report.backup = Path(result.backup_path) if result.backup_path else None


def check_marks(report: CheckReport) -> dict[str, LW.Mark]:
    """One mark per cell with problems (texts joined; "error" wins over "warning")."""
    marks: dict[str, LW.Mark] = {}
    for level, problems in (("warning", report.notices), ("error", report.errors)):
        for p in problems:
            if not p.cell:
                continue
            old = marks.get(p.cell)
            text = p.message if old is None else f"{old.message}；{p.message}"
            marks[p.cell] = LW.Mark(
                LW.fit_cell_text(text),  # a comment has Excel's cell limit too
                "error" if level == "error" or (old and old.level == "error") else level,
            )
    return marks


def anchored_marks(marks: dict[str, LW.Mark], ledger: LR.Ledger) -> dict[str, LW.Mark]:
    """Marks on the covered cells of a merged range (the lower half of a header merged
    over two rows) moved to the range's top-left cell, where a comment is shown."""
    out: dict[str, LW.Mark] = {}
    for cell, mark in marks.items():
        at = ledger.merge_anchor(cell)
        old = out.get(at)
        if old is None:
            out[at] = mark
            continue
        level = "error" if "error" in (old.level, mark.level) else mark.level
        out[at] = LW.Mark(LW.fit_cell_text(f"{old.message}；{mark.message}"), level)
    return out


def check_rows(name: str, ledger: LR.Ledger, report: CheckReport) -> list[list[Any]]:
    """The rows of the 检查结果 sheet."""
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    rows: list[list[Any]] = [
        [f"台账检查结果：{name} 工作表“{ledger.sheet_name}”（检查时间 {now}）"],
        [f"共 {report.people} 人；错误 {len(report.errors)} 处，提示 {len(report.notices)} 处"],
        [report.columns_text],
        [],
        ["序号", "单元格", "行号", "列名", "级别", "问题"],
    ]
    for n, p in enumerate(report.errors + report.notices, start=1):
        rows.append([n, p.cell, p.row, p.header, p.level, LW.fit_cell_text(p.message)])
    if report.field_map_rows:
        rows += [
            [],
            [
                f"已预填“{FM.SHEET}”工作表：核对“标准字段”（可填 docs/fields.md 中的标准表头，或“不使用”），"
                "再把这张表复制到台账工作簿（或直接用本文件作台账），重新运行即按它识别各列"
            ],
        ]
    return rows


def _cell_texts(values: Sequence[Any]) -> list[Any]:
    """Result texts for cells: no cell for an empty text, long ones cut to Excel's limit."""
    limit = LW.MAX_TEXT
    return [
        (LW.fit_cell_text(v) if len(v) > limit else v)
        if type(v) is str and v
        else (v if v else None)
        for v in values
    ]


# --------------------------------------------------------------------------- docs


def select_rows(
    a: Assessed, rows: tuple[int, int] | None = None, where: Sequence[tuple[str, str]] = ()
) -> pd.Index:
    """Excel rows of the ledger within ``rows`` whose columns match every ``where``."""
    ledger = a.ledger
    index = ledger.data.index
    mask = np.ones(len(index), dtype=bool)
    if rows is not None:
        lo, hi = rows
        mask &= (index >= lo) & (index <= hi)
    if where:
        raw = None
        for header, value in where:
            fname = F.match_header(header)
            if fname is not None and fname in ledger.data.columns:
                col = ledger.data[fname]
            elif F.normalise_header(header) in {
                F.normalise_header(h) for h in RESULT_HEADERS.values()
            }:
                key = next(k for k, h in RESULT_HEADERS.items() if F.normalise_header(h) == F.normalise_header(header))  # fmt: skip
                col = (
                    a.results[key]
                    if key != "eligible"
                    else a.results[key].map({True: "是", False: "否"})
                )
            else:
                if raw is None:
                    raw = _raw_columns(a)
                pos = ledger.header_column(header)
                if pos is None or pos not in raw:
                    known = "、".join(
                        sorted({F.header_of(f) for f in ledger.columns}, key=len)[:12]
                    )
                    raise InputError(f"筛选条件中的列“{header}”在台账中不存在；可用的列如：{known}")
                col = raw[pos]
            text = col.astype(object).where(col.notna(), "").astype(str).str.strip()
            mask &= (text == value).to_numpy()
    return index[mask]


def _raw_columns(a: Assessed) -> dict[int, pd.Series]:
    """Unrecognised columns (by 1-based position) as Series indexed by Excel row."""
    rows = LR.read_sheet_rows(a.path, a.ledger.sheet_name) or []
    out: dict[int, pd.Series] = {}
    index = a.ledger.data.index
    for letter, _ in a.ledger.unknown_columns:
        c = LR.column_index(letter) - 1
        out[c + 1] = pd.Series(
            [rows[r - 1][c] if r - 1 < len(rows) and c < len(rows[r - 1]) else None for r in index],
            index=index,
            dtype=object,
        )
    return out


def docs(
    path: str | os.PathLike[str],
    kind: str,
    out_dir: str | os.PathLike[str] | None = None,
    rows: str | tuple[int, int] | None = None,
    where: Sequence[str] | Sequence[tuple[str, str]] = (),
    pdf: bool = False,
    policy: str | None = None,
    as_of: object = None,
    sheet: str | None = None,
    progress: Progress | None = None,
    assessed: Assessed | None = None,
    *,
    office: str | os.PathLike[str] | None = None,
    templates: str | os.PathLike[str] | None = None,
    duplex: bool = False,
    pending: bool = False,
    date: object = None,
    period: object = None,
) -> DocsReport:
    """Write documents of ``kind`` (协议书 / 公示 / 责任书) for the selected rows.

    ``office``: an office-details file (else the 设置/参数 sheets);
    ``templates``: a folder of edited templates; ``duplex``: the print file
    starts each paper on an odd page; ``pending``: agreements also for
    persons not yet certified (marked 待认定); ``date``: the date the papers
    are made (default today; never earlier than today).
    """
    kind = str(kind).strip()
    if kind not in DOC_KINDS:
        raise InputError(f"文书种类“{kind}”不对：可选 {'、'.join(DOC_KINDS)}")
    src = workbook_source(path)
    span = parse_rows(rows) if isinstance(rows, str) or rows is None else rows
    conds = [w if isinstance(w, tuple) else None for w in where]
    conds = parse_where([w for w in where if not isinstance(w, tuple)]) + [c for c in conds if c]
    a = assessed or assess_workbook(src, policy, as_of, sheet, progress)
    selected = select_rows(a, span, conds)
    target = Path(out_dir) if out_dir is not None else src.parent / f"{src.stem}_文书"
    options = DocOptions(
        office=office,
        templates=templates,
        duplex=duplex,
        pending=pending,
        made=made_on(date),
        period=period,
    )
    return _write_docs(a, kind, selected, target, pdf=pdf, progress=progress or _noop, opts=options)


@dataclass
class DocOptions:
    """The clerk's choices for a documents run (see :func:`docs`)."""

    office: str | os.PathLike[str] | None = None
    templates: str | os.PathLike[str] | None = None
    duplex: bool = False
    pending: bool = False
    made: dt.date = field(default_factory=dt.date.today)
    period: object = None


#: A 责任书 made after this day of the year is for the next year (unless a year is named).
NEXT_YEAR_AFTER = (10, 1)


def letter_year(named: object, made: dt.date, period: object = None) -> tuple[int, str]:
    """The year of a 目标责任书: the year ``period`` (--period) or the 目标 sheet names;
    otherwise the year it is made in — or the next year when made after 1 October,
    so a letter never runs for less than a year unless the clerk named the year.
    Returns (year, a sentence for the command output or "")."""
    if period not in (None, ""):
        text = str(period).strip().removesuffix("年度").removesuffix("年")
        if not re.fullmatch(r"\d{4}", text):
            raise InputError(f"--period 应为年度，如 {made.year + 1}，而不是“{period}”")
        return int(text), ""
    if named:
        return int(named), ""
    if (made.month, made.day) > NEXT_YEAR_AFTER:
        year = made.year + 1
        return year, (
            f"{made.month}月{made.day}日制作的目标责任书按{year}年度（{year}年1月1日至12月31日）"
            f"生成；如确需{made.year}年度的，请加 --period {made.year}"
        )
    return made.year, ""


def made_on(value: object) -> dt.date:
    """The date papers are made: today, or the clerk's date — never before today."""
    today = dt.date.today()
    if value in (None, ""):
        return today
    day = parse_as_of(value)
    if day < today:
        raise InputError(
            f"文书日期 {day:%Y-%m-%d} 早于今天（{today:%Y-%m-%d}）：文书按制作当日或以后的日期落款，不能倒签"
        )
    return day


def _subset_run(a: Assessed, selected: pd.Index) -> A.LedgerRun:
    """The run with every row outside ``selected`` marked “未选中” (households stay intact)."""
    import dataclasses

    results = a.results.copy()
    chosen = a.ledger.data.index.isin(selected)
    status = results["status"].to_numpy(dtype=object).copy()
    status[~chosen] = "未选中"
    results["status"] = status
    return dataclasses.replace(a.run, results=results)


def _target_lines(a: Assessed) -> tuple[dict[str, list], int | None, dict[str, str]]:
    """Targets per receiving unit from the workbook's 目标 sheet, its year, and
    the issuing unit (下达单位) of each receiving unit."""
    from doc_templates.contexts import TargetLine

    rows = LR.read_targets_sheet(a.path, TARGET_SHEET)
    out: dict[str, list] = {}
    issuers: dict[str, str] = {}
    years = set()
    for row in rows:
        unit = str(row.get("责任单位") or row.get("接收单位") or row.get("单位") or "").strip()
        item = str(row.get("目标项目") or row.get("目标") or "").strip()
        if not unit or not item:
            continue
        value = row.get("目标值")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        deadline = row.get("完成时限")
        try:
            deadline = to_date(deadline) if deadline not in (None, "") else None
        except InputError as err:
            where = f"工作簿“{TARGET_SHEET}”表第{row.get('_row', '?')}行“完成时限”"
            raise err.with_location(where) from None
        issuer = str(row.get("下达单位") or "").strip()
        if issuer:
            issuers.setdefault(unit, issuer)
        year = row.get("年度")
        if isinstance(year, int | float):
            years.add(int(year))
        out.setdefault(unit, []).append(
            TargetLine(
                item,
                "" if value is None else value,
                str(row.get("计量单位") or ""),
                deadline=deadline,
                note=str(row.get("说明") or ""),
                source=str(row.get("依据") or ""),
            )
        )
    return out, (years.pop() if len(years) == 1 else None), issuers


#: What an agreement shows for the officer when the ledger keeps no 援助责任人 column:
#: a line to sign on, as printed forms have.
OFFICER_LINE = "＿＿＿＿＿＿"


def _officer_line(run: A.LedgerRun) -> tuple[A.LedgerRun, str]:
    """The run with a signing line as 援助责任人 when the ledger has no such column.

    Real ledgers (system exports, import templates) seldom name the officer;
    the agreement is then printed with a line for the officer's name.  A
    ledger that has the column but leaves a cell blank still fails: that is
    a gap the clerk must fill.
    """
    import dataclasses

    if "officer" not in run.persons.absent:
        return run, ""
    frame = run.persons.frame.copy()
    frame["officer"] = OFFICER_LINE
    persons = dataclasses.replace(run.persons, frame=frame)
    note = "台账没有“援助责任人”列：协议书中援助责任人留有横线，请手写填写（或在台账中加“援助责任人”列）"
    return dataclasses.replace(run, persons=persons), note


def _office_details(a: Assessed, opts: DocOptions):
    """The office details from --office, the 设置 sheet and the 参数 sheet (doc_templates.office)."""
    from doc_templates.office import SETTINGS_SHEET, office_details

    settings = LR.read_sheet_rows(a.path, SETTINGS_SHEET)
    _guard_office_file(opts)
    return office_details(office_file=opts.office, settings_rows=settings, parameters=a.params)


def _guard_office_file(opts: DocOptions) -> None:
    """An office .xlsx is inflated too: the same bomb guard as a ledger, first."""
    if opts.office:
        from xl_addin.zip_guard import guard_workbook

        guard_workbook(opts.office)


def _office_book(a: Assessed, opts: DocOptions):
    """Every office from --office, the 设置 sheet and the 参数 sheet (doc_templates.office)."""
    from doc_templates.office import SETTINGS_SHEET, office_book

    settings = LR.read_sheet_rows(a.path, SETTINGS_SHEET)
    _guard_office_file(opts)
    return office_book(office_file=opts.office, settings_rows=settings, parameters=a.params)


def _place_of(facts) -> tuple[str, str]:
    """(街道, 社区) of a ledger row."""
    from doc_templates.from_assessment import _text

    return _text(facts.get("street")), _text(facts.get("community"))


def _write_notices(a: Assessed, run, selected, offices, target: Path, day, options):
    """One 拟认定 notice per office: each person's notice comes from their own
    street's office and sends objections there (persons without an office: one
    notice with ruled blanks)."""
    from doc_templates import batches as B
    from doc_templates import from_assessment as FA

    frame = run.persons.frame
    groups: dict[str, list] = {}
    places: dict[str, tuple[str, str]] = {}
    for label in selected:
        if label not in frame.index:
            continue
        place = _place_of(frame.loc[label].to_dict())
        details = offices.book.for_person(*place, offices.streets)
        groups.setdefault(details.issuer, []).append(label)
        places.setdefault(details.issuer, place)
    batch = B.Batch("公示")
    already_n = 0
    made = 0
    estimates: list[str] = []
    for issuer, labels in groups.items():
        part = _subset_run(a, pd.Index(labels))
        part_frame = part.persons.frame
        eligible = (part.results["status"] == A.ELIGIBLE).to_numpy()
        if not eligible.any():
            continue
        for label in part_frame.index[eligible]:
            offices.details(*_place_of(part_frame.loc[label].to_dict()))
        details = offices.book.for_person(*places[issuer], offices.streets)
        office = details.office()
        ctx, skipped, already = FA.notice_from_run(
            part, start=day, office=office, certifier=details.certifier
        )
        already_n += len(already)
        batch.skipped += skipped
        if ctx is None:
            continue
        made += 1
        estimate = _holiday_estimate(ctx)
        if estimate and estimate not in estimates:
            estimates.append(estimate)
        one = B.write_notice(ctx, target, **options)
        batch.paths += one.paths
        batch.pdfs += one.pdfs
        batch.replaced += one.replaced
        batch.actions.update(one.actions)
    target.mkdir(parents=True, exist_ok=True)
    batch.not_made = B.write_not_made(batch.skipped, target, "公示")
    note = f"{already_n} 人台账中已有认定日期或记载已认定，不列入拟认定公示" if already_n else ""
    if not made:
        note = "选中的“符合”人员台账中都已有认定日期或记载已认定，没有需要公示的拟认定人员"
    if estimates:
        note = "；".join([note, *estimates]) if note else "；".join(estimates)
    return batch, note


def _holiday_estimate(ctx) -> str:
    """“公示期止日按推算的放假安排计算…” when the period runs into a year whose
    official holiday schedule is not yet published (calc.workdays.estimate_note)."""
    from calc.workdays import estimate_note
    from doc_templates.views import notice_end_date

    note = estimate_note(ctx.start, notice_end_date(ctx), corrections=ctx.workday_corrections)
    return f"{note}公示期止日，放假安排公布后请核对" if note else ""


def _template_folder(a: Assessed, opts: DocOptions, details) -> Path | None:
    folder = opts.templates or details.templates
    if not folder:
        return None
    p = Path(folder)
    return p if p.is_absolute() or opts.templates else a.path.parent / p


def _one_row_per_person(a: Assessed, selected: pd.Index) -> tuple[pd.Index, str]:
    """The selected rows with each ID number once (its first row), and what was left out.

    One person is one line of a notice and one agreement, however often the
    ledger lists them (the duplicate is flagged in 数据问题 and by ``check``)."""
    dups = duplicate_ids(a.ledger)
    if not dups:
        return selected, ""
    keep, dropped = [], []
    chosen = {int(r) for r in selected}
    for r in map(int, selected):
        first = min([r, *(o for o in dups.get(r, []) if o in chosen)])
        if first != r:
            dropped.append((r, first))
        else:
            keep.append(r)
    if not dropped:
        return selected, ""
    text = "、".join(f"第{r}行（同第{f}行）" for r, f in dropped[:10])
    more = "等" if len(dropped) > 10 else ""
    return (
        pd.Index(keep, name=selected.name, dtype=selected.dtype),
        f"{text}{more}与前面的行身份证号码相同，只按前一行生成，未重复生成",
    )


def _write_docs(
    a: Assessed,
    kind: str,
    selected: pd.Index,
    target: Path,
    *,
    pdf: bool,
    progress: Progress,
    opts: DocOptions | None = None,
) -> DocsReport:
    from doc_templates import batches as B
    from doc_templates import from_assessment as FA
    from doc_templates.office import OfficeAssigner
    from doc_templates.templates import template_for

    opts = opts or DocOptions()
    selected, twice = _one_row_per_person(a, selected)
    run = _subset_run(a, selected)
    chosen = int((run.results["status"] == A.ELIGIBLE).sum())
    if chosen == 0:
        raise InputError(
            f"选中的 {len(selected)} 人中没有认定结论为“符合”的人员，未生成{kind}"
            "（请检查 --rows / --where 条件）"
        )
    book = _office_book(a, opts)
    details = book.general()
    frame = run.persons.frame
    # the streets of the persons chosen: one office that names no street serves them
    # only when they all live in one street
    chosen_rows = frame.loc[frame.index.isin(selected)]
    streets = chosen_rows["street"].dropna().astype(str).str.strip() if "street" in frame else []
    offices = OfficeAssigner(book, set(streets))
    warnings: list[str] = [twice] if twice else []
    template = template_for(kind, _template_folder(a, opts, details))
    day = opts.made
    options = {"pdf": pdf, "template": template}
    printed = {"merged": True, "duplex": opts.duplex, **options}
    progress(0, 1, f"生成{kind}（{chosen}人）")
    note = ""
    if kind == "协议书":
        run, officer_note = _officer_line(run)
        if officer_note:
            warnings.append(officer_note)

        def party_a(facts):
            return offices.office(*_place_of(facts))

        contexts, skipped = FA.agreements_from_run(
            run, party_a=party_a, start=day, allow_pending=opts.pending
        )
        batch = B.write_agreements(contexts, target, skipped=skipped, **printed)
        pending = sum(1 for c in contexts if c.pending)
        if pending:
            note = f"{pending} 份协议书的乙方尚未认定，已注明“待认定”"
    elif kind == "公示":
        batch, note = _write_notices(a, run, selected, offices, target, day, options)
    else:
        sheet_targets, year, issuers = _target_lines(a)
        year, year_note = letter_year(year, day, opts.period)
        if year_note:
            warnings.append(year_note)
        # A ledger with a 街道 but no 社区 (a street office's roster): one letter per street.
        absent = run.persons.absent
        unit = "street" if "community" in absent and "street" not in absent else "community"

        def issuer(street, community):
            return offices.office(street, community)

        letters, skipped, more = FA.letters_from_run(
            run,
            issuer=issuer,
            year=year,
            made_on=day,
            unit=unit,
            sheet_targets=sheet_targets,
            issuers=issuers,
        )
        warnings += more
        used = sum(1 for u in sheet_targets if any(x.receiver.name == u for x in letters))
        if used:
            note = f"{used} 份责任书的目标数参照了工作簿“{TARGET_SHEET}”表"
        batch = B.write_letters(letters, target, skipped=skipped, **printed)
    warnings = offices.warnings() + warnings
    font_notes = []
    if batch.pdfs:
        from doc_templates.pdf import font_note

        font_notes = [n for n in (font_note(batch.pdfs),) if n]
    progress(1, 1, "完成")
    register = target / "文书登记簿.csv"
    return DocsReport(
        kind=kind,
        out_dir=target,
        files=list(batch.paths),
        people=chosen,
        merged=batch.merged,
        register=register if register.exists() else None,
        pdfs=list(batch.pdfs),
        note=note,
        skipped=list(batch.skipped),
        not_made=batch.not_made,
        warnings=warnings,
        replaced=list(batch.replaced),
        unchanged=int(batch.actions.get(B.SAME, 0)),
        font_notes=font_notes,
    )


# --------------------------------------------------------------------------- demo


def demo(
    out_dir: str | os.PathLike[str] = "demo_output",
    policies: Sequence[str] | None = None,
    as_of: object = None,
    progress: Progress | None = None,
) -> DemoReport:
    """Fill the bundled sample ledger(s) and write all three kinds of document."""
    from workbooks import DEMO_POLICY, sample_path

    started = time.monotonic()
    progress = progress or _noop
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    fills: list[FillReport] = []
    reports: list[DocsReport] = []
    check_report = None
    codes = list(policies or [DEMO_POLICY])
    for k, code in enumerate(codes):
        sample = sample_path(code)
        if not sample.exists():
            raise InputError(f"找不到样例台账“{sample}”；请先运行 python -m workbooks.generate")
        copy = out / sample.name
        write_bytes_safely(copy, sample.read_bytes())  # an edited earlier copy is backed up
        report = fill(copy, out=default_output(copy, FILLED_SUFFIX), as_of=as_of)
        fills.append(report)
        if k == 0:
            check_report = check(copy, write=True)
            a = assess_workbook(report.output, None, as_of)
            eligible = a.results["eligible"].to_numpy(dtype=bool)
            communities = a.ledger.data.get("community")
            first_comm = None
            if communities is not None:
                counts = Counter(communities[eligible].dropna().tolist())
                first_comm = counts.most_common(1)[0][0] if counts else None
            doc_dir = out / "文书"
            where = [(F.header_of("community"), first_comm)] if first_comm else []
            reports.append(
                docs(report.output, "协议书", doc_dir / "协议书", where=where, assessed=a)
            )
            reports.append(docs(report.output, "公示", doc_dir / "公示", where=where, assessed=a))
            reports.append(docs(report.output, "责任书", doc_dir / "责任书", assessed=a))
        progress(k + 1, len(codes), f"样例 {code}")
    return DemoReport(out, fills, reports, check_report, time.monotonic() - started)
