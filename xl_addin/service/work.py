"""What the service's doors do — each a call of the same jobs as ``jyyz`` and the buttons.

- file jobs (the page, ``POST /api/v1/jobs``): :func:`xl_addin.jobs.fill`,
  :func:`xl_addin.jobs.check` and :func:`xl_addin.jobs.docs` on the uploaded
  workbook, writing into the job's private folder;
- sheet calls (the add-ins, ``/api/v1/sheet/…``): the values of the open
  workbook as :class:`xl_addin.ledger_read.WorkbookValues`, read with the
  one-click scripts' :func:`xl_addin.scripts.read_settings` and handed to
  :func:`xl_addin.jobs.assess_workbook` + :func:`xl_addin.jobs.result_columns`
  (填写计算列), :func:`xl_addin.jobs.check_report` (检查台账),
  :func:`xl_addin.jobs.docs` (生成文书) and
  :func:`xl_addin.report.report_of_values` (统计报表) — exactly the buttons'
  path, only the cells travel back as JSON for the add-in to write;
- worksheet functions (``/api/v1/functions``): the ``jy_…`` functions of
  :mod:`xl_addin.functions`, called with the values the host's ``Value2``
  gives (dates as Excel serials), as xlwings Lite calls them.
"""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import math
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from calc.errors import InputError
from xl_addin import jobs, ledger_read
from xl_addin.service.runner import Job

#: The API's document kinds and the jobs' names for them.
DOC_KINDS = {"agreement": "协议书", "notice": "公示", "letter": "责任书"}
EXCEL_EPOCH = dt.date(1899, 12, 30)
DATE_FORMAT = "yyyy-mm-dd"


def doc_kind(value: str | None) -> str:
    text = str(value or "").strip()
    kind = DOC_KINDS.get(text.lower(), text)
    if kind not in jobs.DOC_KINDS:
        raise InputError(
            f"文书种类“{text}”不对：可选 agreement（协议书）、notice（公示）、letter（责任书）"
        )
    return kind


# --------------------------------------------------------------------------- JSON values


def serial(day: dt.date | dt.datetime) -> float:
    """An Excel serial number (the 1900 system, as Value2 gives it)."""
    if isinstance(day, dt.datetime):
        midnight = dt.datetime(day.year, day.month, day.day)
        frac = (day - midnight).total_seconds() / 86400
        return float((day.date() - EXCEL_EPOCH).days) + frac
    return float((day - EXCEL_EPOCH).days)


def cell_json(v: Any) -> Any:
    """A cell value for JSON: dates as Excel serials, numpy as Python, NaN/blank as None."""
    if v is None or v is pd.NaT or v is pd.NA:
        return None
    if isinstance(v, pd.Timestamp):
        return None if pd.isna(v) else serial(v.to_pydatetime())
    if isinstance(v, dt.date):
        return serial(v)
    if isinstance(v, np.bool_ | bool):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else (int(f) if f.is_integer() else f)
    if isinstance(v, np.datetime64):
        return cell_json(pd.Timestamp(v))
    return v


def _has_date(value: Any) -> bool:
    if isinstance(value, list):
        return any(_has_date(v) for v in value)
    return isinstance(value, dt.date | pd.Timestamp)


_PLAIN = (str, int, bool, type(None))


def values_json(value: Any) -> Any:
    """A scalar, a row or a 2-D list for JSON (plain cells pass as they are: fast on 10⁶ cells)."""
    if isinstance(value, list | tuple):
        if value and isinstance(value[0], list | tuple):
            return [_row_json(r) for r in value]
        return _row_json(value)
    return cell_json(value)


def _row_json(row: Any) -> list:
    if not isinstance(row, list | tuple):
        return cell_json(row)
    plain = _PLAIN
    return [v if type(v) in plain else cell_json(v) for v in row]


# --------------------------------------------------------------------------- functions


def _functions_module():
    from xl_addin import functions

    return functions


def _literal(node: ast.AST, namespace: dict[str, Any]) -> Any:
    """A decorator's ``doc=`` value: a constant, a module constant or a sum of them."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return namespace.get(node.id, "")
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return str(_literal(node.left, namespace)) + str(_literal(node.right, namespace))
    return ""


def _arg_docs(node: ast.AST, namespace: dict[str, Any]) -> dict[str, str]:
    """``arg("name", …, doc=…)`` calls anywhere under ``node``: name → help."""
    out: dict[str, str] = {}
    for call in ast.walk(node):
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id == "arg"
            and call.args
            and isinstance(call.args[0], ast.Constant)
        ):
            for kw in call.keywords:
                if kw.arg == "doc":
                    out[str(call.args[0].value)] = str(_literal(kw.value, namespace))
    return out


_CATALOGUE: list[dict[str, Any]] | None = None


def catalogue() -> list[dict[str, Any]]:
    """Every worksheet function with its arguments and their help (as Excel's wizard shows).

    The help texts are the ``doc=`` of the functions' xlwings declarations; outside
    Office.js hosts those decorators keep no metadata, so they are read from the
    module's source once.
    """
    global _CATALOGUE
    if _CATALOGUE is not None:
        return _CATALOGUE
    fm = _functions_module()
    namespace = vars(fm)
    tree = ast.parse(inspect.getsource(fm))
    defs = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    out = []
    for name in fm.__all__:
        node = defs.get(name)
        docs: dict[str, str] = {}
        if node is not None:
            for dec in node.decorator_list:
                target = dec.func if isinstance(dec, ast.Call) else dec
                if isinstance(target, ast.Name) and target.id in defs and target.id != "arg":
                    docs.update(_arg_docs(defs[target.id], namespace))
                docs.update(_arg_docs(dec, namespace))
        f = getattr(fm, name)
        params = inspect.signature(inspect.unwrap(f)).parameters
        out.append(
            {
                "name": name.upper(),
                "args": [
                    {
                        "name": p,
                        "help": docs.get(p, ""),
                        "optional": params[p].default is not inspect.Parameter.empty,
                    }
                    for p in params
                ],
                "help": inspect.cleandoc(inspect.unwrap(f).__doc__ or ""),
            }
        )
    _CATALOGUE = out
    return out


def call_function(name: str, args: Sequence[Any]) -> dict[str, Any]:
    """``=NAME(args…)`` as the worksheet computes it: ``{"value": …}`` (errors as "错误：…")."""
    fm = _functions_module()
    key = str(name).strip().lower()
    if key not in fm.__all__:
        raise LookupError(f"没有名为“{name}”的 jyyz 工作表函数")
    f = getattr(fm, key)
    params = list(inspect.signature(inspect.unwrap(f)).parameters.values())
    required = sum(1 for p in params if p.default is inspect.Parameter.empty)
    if not required <= len(args) <= len(params):
        raise InputError(
            f"{key.upper()} 需要 {required}–{len(params)} 个参数，实为 {len(args)} 个"
            if required != len(params)
            else f"{key.upper()} 需要 {required} 个参数，实为 {len(args)} 个"
        )
    value = f(*args)
    return {
        "value": values_json(value),
        "number_format": DATE_FORMAT if _has_date(value) else None,
    }


# --------------------------------------------------------------------------- sheet values


def workbook_values(body: dict[str, Any]) -> ledger_read.WorkbookValues:
    sheets = body.get("sheets")
    if not isinstance(sheets, dict) or not sheets:
        raise InputError("请求中没有工作表数据（sheets）")
    tidy: dict[str, list[list[Any]]] = {}
    for name, rows in sheets.items():
        if not isinstance(rows, list) or any(not isinstance(r, list) for r in rows):
            raise InputError(f"工作表“{name}”的数据应为二维数组（按行）")
        tidy[str(name)] = rows
    merges: dict[str, list] = {}
    for name, ranges in (body.get("merges") or {}).items():
        try:
            merges[str(name)] = [((int(a), int(b)), (int(c), int(d))) for a, b, c, d in ranges]
        except (TypeError, ValueError):
            raise InputError(
                f"工作表“{name}”的合并单元格（merges）应为 [首行, 首列, 末行, 末列] 的列表（从0起）"
            ) from None
    return ledger_read.WorkbookValues(str(body.get("name") or "工作簿"), tidy, merges)


def _settings(values: ledger_read.WorkbookValues, body: dict[str, Any]):
    """The one-click scripts' 设置 sheet, overridden by the request's policy / as_of."""
    from xl_addin.scripts import read_settings

    s = read_settings(values)
    if body.get("policy"):
        s.policy = str(body["policy"])
    if body.get("as_of"):
        s.as_of = str(body["as_of"])
    return s


def problem_json(p: jobs.Problem, sheet: str) -> dict[str, Any]:
    return {
        "sheet": sheet,
        "cell": p.cell or None,
        "row": p.row,
        "field": p.header or None,
        "level": p.level,
        "message": p.message,
    }


def summary_json(s: jobs.Summary) -> dict[str, Any]:
    from xl_addin.cli import summary_rows

    out = asdict(s)
    out["rows"] = [[label, value] for label, value in summary_rows(s)]
    return out


def sheet_fill(body: dict[str, Any]) -> dict[str, Any]:
    """填写计算列 on the add-in's workbook values: the cells the button would write."""
    values = workbook_values(body)
    settings = _settings(values, body)
    a = jobs.assess_workbook(values, settings.policy, settings.as_of, settings.sheet, slim=True)
    rows = [int(r) for r in a.ledger.data.index]
    if not rows:
        from xl_addin import messages as msg

        raise InputError(f"{msg.where(values, a.ledger.sheet_name)}：表头下没有数据行")
    positions, new_headers, _, columns = jobs.result_columns(a)
    fields = list(jobs.RESULT_FIELDS)
    cols = [positions[n] for n in fields]
    # the formats jyyz fill writes and the button applies (jobs.result_formats)
    look = jobs.result_formats(a, positions, columns)
    per_column = [look["columns"][ledger_read.column_letter(c)] for c in cols]
    fills = {r["text"]: "#" + r["fill"][-6:] for r in look["rules"]}
    fonts = {r["text"]: "#" + r["font"][-6:] for r in look["rules"] if r.get("font")}
    table = [columns[n] for n in fields]
    out_rows = [[cell_json(col[i]) for col in table] for i in range(len(rows))]
    problems = [problem_json(p, a.ledger.sheet_name) for r in rows for p in a.problems.get(r, ())]
    first = next((p["cell"] for p in problems if p["cell"] and p["level"] == jobs.ERROR), None)
    return {
        "sheet": a.ledger.sheet_name,
        "header_row": a.ledger.header_row,
        "first_col": min(cols),
        "column_numbers": cols,
        "contiguous": cols == list(range(min(cols), min(cols) + len(cols))),
        "columns": [jobs.RESULT_HEADERS[n] for n in fields],
        "new_headers": {str(c): h for c, h in new_headers.items()},
        "row_numbers": rows,
        "values": out_rows,
        "formats": {
            "widths": [f["width"] for f in per_column],  # Excel character units
            "wrap": any(f["wrap"] for f in per_column),
            "wraps": [bool(f["wrap"]) for f in per_column],
            "number_formats": [DATE_FORMAT if n == "period_end" else None for n in fields],
            "fills": fills,
            "fonts": fonts,
            "status_column": fields.index("status"),
        },
        "policy": a.pack.code,
        "policy_source": a.policy_source,
        "as_of": a.as_of.isoformat(),
        "summary": summary_json(a.summary()),
        "problems": problems,
        "first_problem_cell": first,
    }


def recognised_json(ledger: ledger_read.Ledger, report: jobs.CheckReport) -> dict[str, Any]:
    from calc import fields as calc_fields

    return {
        "sheet": ledger.sheet_name,
        "header_row": ledger.header_row,
        "people": report.people,
        "columns": {calc_fields.header_of(f): letter for f, letter in ledger.columns.items()},
        "unknown": [{"column": c, "header": h} for c, h in ledger.unknown_columns],
        "text": report.columns_text,
        "field_map": report.field_map_rows,
    }


def sheet_check(body: dict[str, Any]) -> dict[str, Any]:
    """检查台账 on the add-in's workbook values: problems, marks and what was recognised."""
    from xl_addin.scripts import MARK_FILLS

    values = workbook_values(body)
    settings = _settings(values, body)
    ledger = ledger_read.read_ledger(values, settings.sheet)
    report = jobs.check_report(values, ledger)
    problems = [problem_json(p, ledger.sheet_name) for p in report.errors + report.notices]
    marks = jobs.check_marks(report)
    return {
        "problems": problems,
        "marks": [
            {"cell": c, "level": m.level, "message": m.message, "fill": MARK_FILLS.get(m.level)}
            for c, m in marks.items()
        ],
        "recognised": recognised_json(ledger, report),
        "summary": {
            "people": report.people,
            "errors": len(report.errors),
            "notices": len(report.notices),
        },
        "result_sheet": {
            "name": jobs.CHECK_SHEET,
            "rows": values_json(jobs.check_rows(values.name, ledger, report)),
        },
    }


def sheet_docs(job: Job, body: dict[str, Any]) -> None:
    """生成文书 on the add-in's workbook values (rows: the selection, "3-20")."""
    kind = doc_kind(body.get("kind"))
    values = workbook_values(body)
    settings = _settings(values, body)
    job.progress(0, 1, "读取台账")
    a = jobs.assess_workbook(values, settings.policy, settings.as_of, settings.sheet, job.progress)
    rows = body.get("rows") or None
    where = [str(w) for w in (body.get("where") or [])]
    out = job.folder / "out"
    report = jobs.docs(
        values, kind, out / kind, rows=rows, where=where, assessed=a, pdf=bool(body.get("pdf"))
    )
    _papers_done(job, report, Path(values.name).stem or "工作簿")


# --------------------------------------------------------------------------- file jobs


def people_table(a: jobs.Assessed) -> list[tuple]:
    """Per person: Excel row, name, community, 认定结论, 认定类别, 补贴期限截止 (the page's table)."""
    res = a.results
    data = a.ledger.data  # after fill's assessment: name, ID number and community only
    names = data["name"] if "name" in data else pd.Series("", index=res.index)
    community = data["community"] if "community" in data else pd.Series("", index=res.index)
    ends = res["period_end"]
    out = []
    for r, name, comm, status, cats, end in zip(
        res.index.tolist(),
        names.tolist(),
        community.tolist(),
        res["status"].tolist(),
        res["categories"].tolist(),
        ends.tolist(),
        strict=True,
    ):
        end_text = "" if end is None or pd.isna(end) else pd.Timestamp(end).strftime("%Y-%m-%d")
        comm_text = "" if comm is None or (isinstance(comm, float) and math.isnan(comm)) else comm
        out.append((int(r), str(name or ""), str(comm_text), status, cats or "", end_text))
    return out


def fill_job(job: Job, options: dict[str, Any], *, with_check: bool) -> None:
    """``jyyz fill`` on the upload (and ``jyyz check`` for the page), into the job's folder."""
    src = job.source
    assert src is not None
    stem = Path(job.display).stem
    out = job.folder / "out"
    out.mkdir(exist_ok=True)
    seen: dict[str, jobs.Assessed] = {}
    # the page's job fills, then checks: one bar, the check taking its last fifth
    progress = _share(job, 0.0, 0.8) if with_check else job.progress
    report = jobs.fill(
        src,
        out=out / f"{stem}{jobs.FILLED_SUFFIX}.xlsx",
        policy=options.get("policy") or None,
        as_of=options.get("as_of") or None,
        sheet=options.get("sheet") or None,
        progress=progress,
        on_assessed=lambda a: seen.setdefault("a", a),
    )
    job.files.append((report.output.name, report.output))
    a = seen["a"]
    job.result.update(
        {
            "policy": report.policy,
            "policy_source": report.policy_source,
            "as_of": report.as_of.isoformat(),
            "sheet": report.sheet,
            "first_row": report.first_row,
            "last_row": report.last_row,
            "columns_text": report.columns_text,
            "example_parameters": report.example_parameters,
            "summary": report.summary,
            "problems": [p for p in report.problems if p.level == jobs.ERROR],
            "people": people_table(a),
        }
    )
    seen.clear()  # the assessment is not kept beyond the table
    if with_check:
        check = jobs.check(
            src,
            out=out / f"{stem}{jobs.CHECKED_SUFFIX}.xlsx",
            sheet=options.get("sheet") or None,
            progress=_share(job, 0.8, 1.0, "检查台账："),
        )
        job.result["check"] = check
        if check.output is not None:
            job.files.append((check.output.name, check.output))


def _share(job: Job, lo: float, hi: float, prefix: str = ""):
    """A progress callback reporting ``done/total`` as the part [lo, hi] of the job's bar."""

    def report(done: float, total: float, label: str = "") -> None:
        frac = 0.0 if not total else max(0.0, min(1.0, done / total))
        job.progress(lo + (hi - lo) * frac, 1.0, prefix + label if label else "")

    return report


def check_job(job: Job, options: dict[str, Any]) -> None:
    src = job.source
    assert src is not None
    out = job.folder / "out"
    out.mkdir(exist_ok=True)
    check = jobs.check(
        src,
        out=out / f"{Path(job.display).stem}{jobs.CHECKED_SUFFIX}.xlsx",
        sheet=options.get("sheet") or None,
        progress=job.progress,
    )
    if check.write_error:
        raise InputError(check.write_error)
    job.result["check"] = check
    if check.output is not None:
        job.files.append((check.output.name, check.output))


def docs_job(job: Job, options: dict[str, Any]) -> None:
    """``jyyz docs`` on the upload; the papers come back as one zip (print file and PDFs incl.)."""
    src = job.source
    if src is None or not src.exists():
        raise InputError("上传的台账已过期删除，请重新上传后再生成文书")
    kind = doc_kind(options.get("kind"))
    where = [w for w in options.get("where") or [] if w]
    office = office_file(job, options.get("office") or {})
    report = jobs.docs(
        src,
        kind,
        job.folder / "out" / kind,
        rows=options.get("rows") or None,
        where=where,
        pdf=bool(options.get("pdf")),
        policy=options.get("policy") or None,
        as_of=options.get("as_of") or None,
        sheet=options.get("sheet") or None,
        progress=job.progress,
        office=office,
    )
    _papers_done(job, report, Path(job.display).stem)


def report_job(job: Job, options: dict[str, Any], sources: Sequence[Path] = ()) -> None:
    """``jyyz report`` on the upload — one ledger, or several rolled up as
    ``jyyz report a.xlsx b.xlsx`` does (a person on two counted once): the
    statistics workbook and the one-page 通报."""
    from xl_addin.report import report

    ledgers = list(sources) or ([job.source] if job.source is not None else [])
    if not ledgers or not all(p.exists() for p in ledgers):
        raise InputError("上传的台账已过期删除，请重新上传后再生成统计报表")
    out = job.folder / "out"
    out.mkdir(exist_ok=True)
    period = options.get("period") or {}
    result = report(
        ledgers,
        None,
        policy=options.get("policy") or None,
        quarter=period.get("quarter") or None,
        month=period.get("month") or None,
        year=period.get("year") or None,
        pdf=bool(options.get("pdf")),
        workers=1,
        progress=job.progress,
        out_dir=out,
    )
    _report_done(job, result)


def sheet_report(job: Job, body: dict[str, Any]) -> None:
    """统计报表 on the add-in's workbook values (the Excel button's
    :func:`xl_addin.report.report_of_values`): the period of ``body`` (quarter,
    month or year; the current quarter if none) and the policy of its 设置 sheet."""
    from xl_addin.report import report_of_values

    values = workbook_values(body)
    settings = _settings(values, body)
    out = job.folder / "out"
    out.mkdir(exist_ok=True)
    result = report_of_values(
        values,
        out,
        policy=settings.policy or None,
        quarter=str(body.get("quarter") or "").strip() or None,
        month=str(body.get("month") or "").strip() or None,
        year=str(body.get("year") or "").strip() or None,
        pdf=bool(body.get("pdf")),
        progress=job.progress,
    )
    _report_done(job, result)


def _report_done(job: Job, result) -> None:
    """The report's files for download and its figures for the page and the API."""
    for path in (result.output, result.paper, result.pdf):
        if path is not None:
            job.files.append((path.name, path))
    figures = result.report.figures if result.report is not None else None
    job.result["report"] = {
        "period": result.period.label,
        "policy": result.policy,
        "persons": result.persons,
        "ledgers": len(result.ledgers) - len(result.failed),
        "duplicates": result.duplicates,
        "failed": [f"{f.path.name}：{f.message}" for f in result.failed],
        "figures": []
        if figures is None
        else [(sec, item, int(v)) for (sec, item), v in figures[figures.columns[0]].items()],
    }


#: The office details the page asks for where the workbook lacks them (doc_templates.office).
OFFICE_FIELDS = {"issuer": "发文机关", "address": "地址", "phone": "电话", "superior": "上级单位"}


def office_file(job: Job, given: dict[str, str]) -> Path | None:
    """The details typed on the page as an office file (``jyyz docs --office``), or None.

    They come before the workbook's 设置/参数 sheets, as ``--office`` does.
    """
    lines = []
    for key, label in OFFICE_FIELDS.items():
        value = " ".join(str(given.get(key) or "").split())  # one line, no line breaks
        if value:
            lines.append(f"{label}：{value}")
    if not lines:
        return None
    path = job.folder / "单位信息.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _papers_done(job: Job, report: jobs.DocsReport, stem: str) -> None:
    folder = report.out_dir
    archive = job.folder / f"{stem}_{report.kind}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                z.write(p, f"{report.kind}/{p.relative_to(folder).as_posix()}")
    job.files.append((archive.name, archive))
    if report.merged is not None:
        job.files.append((report.merged.name, report.merged))
    job.result["docs"] = report


def save_folder(job: Job, base: Path | None = None) -> Path:
    """Copy the job's files into ~/Documents/jyyz/<kind>_<time>/ (a folder the clerk sees)."""
    home = Path.home()
    docs = home / "Documents"
    if not docs.is_dir() and (home / "文档").is_dir():
        docs = home / "文档"
    base = base or docs / "jyyz"
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = base / f"{job.kind}_{stamp}"
    k = 1
    while target.exists():
        k += 1
        target = base / f"{job.kind}_{stamp}-{k}"
    target.mkdir(parents=True)
    for name, path in job.files:
        shutil.copy2(path, target / name)
    return target
