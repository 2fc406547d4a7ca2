"""The fill job: result columns written beside the ledger."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from calc import assess
from calc.errors import InputError
from calc.safe_files import os_errors_in_chinese
from xl_addin import ledger_read, ledger_write
from xl_addin import messages as msg
from xl_addin.jobs.assessment import (
    Assessed,
    assess_workbook,
    columns_text,
)
from xl_addin.jobs.common import (
    FILLED_SUFFIX,
    FORMULA_FUNCTIONS,
    PARAM_SHEET,
    RESULT_FIELDS,
    RESULT_HEADERS,
    Progress,
    _noop,
)
from xl_addin.jobs.inputs import default_output
from xl_addin.jobs.reports import FillReport

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
    rows = ledger_read.read_sheet_rows(path, PARAM_SHEET)
    if not rows:
        return None
    head = [str(v).strip() if v not in (None, "") else "" for v in rows[0][:5]]
    if len(head) < 4 or head[0] not in ("名称", "参数名称") or head[2] != "生效日期":
        return None
    last = max((i for i, r in enumerate(rows) if any(v not in (None, "") for v in r)), default=0)
    width = 5 if len(head) >= 5 and head[4] in ("政策", "政策代码", "适用政策") else 4
    return f"'{PARAM_SHEET}'!$A$1:${ledger_read.column_letter(width)}${last + 1}"


def _formula_parts(a: Assessed, data_last_col: int, explicit_as_of: bool) -> tuple[str, str, str]:
    """(headers argument, row range template pieces, trailing arguments) of the formulas."""
    ledger = a.ledger
    last_letter = ledger_read.column_letter(data_last_col)
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
    known = [ledger_read.column_index(letter) for letter in ledger.columns.values()]
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
    assess.ELIGIBLE: ("FFC6EFCE", "FF006100"),
    assess.NOT_ELIGIBLE: ("FFFFC7CE", "FF9C0006"),
    assess.UNCERTAIN: ("FFFFEB9C", "FF9C5700"),
    assess.LAPSED: ("FFD9D9D9", "FF404040"),
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
        cap = RESULT_WIDTH_CAP.get(name, 24)
        need = _display_width(RESULT_HEADERS[name])
        for v in dict.fromkeys(values.get(name, ())[:2000]):
            need = max(need, _display_width(v))
            if need + 2 > cap:  # capped and wrapped: wider values change nothing
                break
        cols[ledger_read.column_letter(col)] = {
            "width": float(min(cap, max(8, need + 2))),
            "wrap": name in WRAPPED and need + 2 > cap,
        }
    status = ledger_read.column_letter(positions["status"])
    rules = [
        {"column": status, "text": text, "fill": fill, "font": font}
        for text, (fill, font) in CONCLUSION_COLOURS.items()
    ]
    keys = [
        ledger_read.column_index(ledger.columns[n])
        for n in ("name", "id_number")
        if n in ledger.columns
    ]
    return {
        "columns": cols,
        "rules": rules,
        "first_row": rows[0] if rows else ledger.header_row + 1,
        "last_row": rows[-1] if rows else ledger.header_row + 1,
        "filter_to": ledger_read.column_letter(max(positions.values())),
        "title_columns": [ledger_read.column_letter(1), ledger_read.column_letter(max(keys))]
        if keys
        else None,
        "title_rows": [ledger.header_rows[0], ledger.header_rows[-1]],
        "like": ledger_read.column_letter(min(positions.values()) - 1)
        if min(positions.values()) > 1
        else None,
    }


#: Rows below the last person that ``--formulas`` covers when nothing follows the data:
#: people the clerk adds there are assessed on recalculation (blank rows give "").
FORMULA_SPARE_ROWS = 500


def formula_last_row(ledger: ledger_read.Ledger) -> int:
    """The last row the =JY_ array formulas cover: the last person's, plus
    :data:`FORMULA_SPARE_ROWS` when no footer, note or other row follows the data
    (rows inserted above a footer widen the formulas' ranges in Excel by themselves)."""
    last = int(ledger.data.index[-1])
    if ledger.max_row > last:
        return last
    return min(last + FORMULA_SPARE_ROWS, ledger_write.xp.MAX_ROW)


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
        ledger_write.refuse_if_open(
            src
        )  # before the work: Excel has it open (checked again on writing)
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
            letter = ledger_read.column_letter(positions[name])
            call = f"{fn}({code},{headers_arg},$A${first}:${last_letter}${last}{tail})"
            text = "=" + call
            if name == "eligible":  # the same 是/否 as the values file, not TRUE/FALSE;
                # a blank row's "" stays "" (rows the clerk adds below get their answers)
                text = f'=IF(ISLOGICAL({call}),IF({call},"是","否"),{call})'
            column = [ledger_write.fit_cell_text(v) for v in cached[name]]
            column[0] = ledger_write.Formula(text, column[0], ref=f"{letter}{first}:{letter}{last}")
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
    result = ledger_write.write_formatted_columns(
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
        written={RESULT_HEADERS[n]: ledger_read.column_letter(positions[n]) for n in RESULT_FIELDS},
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


def _cell_texts(values: Sequence[Any]) -> list[Any]:
    """Result texts for cells: no cell for an empty text, long ones cut to Excel's limit."""
    limit = ledger_write.MAX_TEXT
    return [
        (ledger_write.fit_cell_text(v) if len(v) > limit else v)
        if type(v) is str and v
        else (v if v else None)
        for v in values
    ]
