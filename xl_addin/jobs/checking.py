"""The check job: problems a clerk must fix, each with its cell."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from calc import fields
from calc.errors import InputError
from calc.normalize import domain_share, normalise
from calc.safe_files import os_errors_in_chinese
from xl_addin import field_map, ledger_read, ledger_write
from xl_addin.jobs.assessment import (
    _ignorable,
    cell_problems,
    columns_text,
    declare_facts,
)
from xl_addin.jobs.common import (
    CHECK_SHEET,
    CHECKED_SUFFIX,
    ERROR,
    NOTICE,
    RECOMMENDED_FIELDS,
    REQUIRED_FIELDS,
    SUBSTITUTES,
    Progress,
    _noop,
)
from xl_addin.jobs.inputs import default_output
from xl_addin.jobs.reports import CheckReport, Problem

# --------------------------------------------------------------------------- check


def _old_ids(ledger: ledger_read.Ledger) -> list[Problem]:
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
                    ledger.column_index("id_number"),
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
    ledger = ledger_read.read_ledger(src, sheet)
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


def check_report(src: Any, ledger: ledger_read.Ledger) -> CheckReport:
    """The problems of a read ledger (``check`` and the 检查台账 button); writes nothing."""
    errors: list[Problem] = []
    notices: list[Problem] = []
    declare_facts(src, ledger)
    for name in ledger.missing(REQUIRED_FIELDS):
        errors.append(
            Problem(
                f"缺少必需的列“{fields.header_of(name)}”（表头在第{ledger.header_row}行）",
                field=name,
            )
        )
    for name in ledger.missing(RECOMMENDED_FIELDS):
        if not ledger.missing([SUBSTITUTES.get(name, name)]):
            continue  # another column says it (户主公民身份号码 forms households, …)
        notices.append(
            Problem(
                f"没有“{fields.header_of(name)}”列，相关认定条件将无法判断",
                field=name,
                level=NOTICE,
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
                column=ledger_read.column_index(letter),
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
                column=ledger_read.column_index(letter),
            )
        )
    persons = normalise(
        ledger.data,
        members=ledger.household_members,
        members_source=ledger.household_members_source,
    )
    by_row = cell_problems(ledger, persons.records)
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


def _layout_notices(ledger: ledger_read.Ledger) -> list[Problem]:
    """What the reader made of the layout: rows that are not people, codes, joins."""
    out = []
    if ledger.sub_header_row:
        r = ledger.sub_header_row
        out.append(Problem("此行是表头的第二行（不作为人员）", f"A{r}", r, level=NOTICE, column=1))
    footer = [r for r in ledger.skipped_rows if r != ledger.sub_header_row]
    if footer:
        rows = "、".join(str(r) for r in footer[:10]) + ("……" if len(footer) > 10 else "")
        out.append(Problem(f"第{rows}行是合计、落款、编号或说明行，不作为人员", level=NOTICE))
    for letter, header, name, examples in ledger.rejected:
        shown = "、".join(f"“{e}”" for e in examples)
        out.append(
            Problem(
                f"“{header}”列的内容（如{shown}）不是“{fields.header_of(name)}”的值，"
                f"未作“{fields.header_of(name)}”使用，相关条件按缺少该列处理"
                f"（如确是此字段，请在“{field_map.SHEET}”表中改正内容或指定对应字段）",
                f"{letter}{ledger.header_row}",
                ledger.header_row,
                level=NOTICE,
                column=ledger_read.column_index(letter),
            )
        )
    for letter, header, _, to in ledger.reassigned:
        out.append(
            Problem(
                f"“{header}”列的内容是就业困难人员类别，按“{fields.header_of(to)}”（已认定类别）读取",
                f"{letter}{ledger.header_row}",
                ledger.header_row,
                to,
                NOTICE,
                ledger_read.column_index(letter),
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
                f"“{fields.header_of(name)}”列按填表说明中的编码解读：{codes}",
                field=name,
                level=NOTICE,
            )
        )
    for header, codes in ledger.undecoded:
        if codes:
            out.append(
                Problem(
                    f"“{header}”列的编码{'、'.join(codes)}没有说明，按未知处理"
                    f"（请在“{field_map.SHEET}”表中写明含义，或在表下填表说明中列出编码）",
                    level=NOTICE,
                )
            )
    for name, where in ledger.sources.items():
        out.append(Problem(f"“{fields.header_of(name)}”取自{where}", field=name, level=NOTICE))
    return out


def _field_map_rows(ledger: ledger_read.Ledger) -> list[list[Any]]:
    """The 字段对照 sheet to write: the clerk's mappings plus guesses (empty if nothing to map)."""
    unknown = [(c, h) for c, h in ledger.unknown_columns if not _ignorable(h)]
    undecoded = [(h, codes) for h, codes in ledger.undecoded if codes]
    rejected = [(c, h, n) for c, h, n, _ in ledger.rejected]
    if not unknown and not undecoded and not rejected and not ledger.field_map.rows:
        return []

    def fits(letter: str, name: str) -> bool:
        """A guess is only suggested when the column's values are values of it."""
        share = domain_share(name, ledger.unknown_samples.get(letter, []))
        return share is None or share[0] >= ledger_read.DOMAIN_SHARE

    return field_map.prefilled_rows(
        ledger.field_map, unknown, undecoded, rejected=rejected, fits=fits
    )


def _write_check(src: Path, dst: Path, ledger: ledger_read.Ledger, report: CheckReport) -> None:
    with os_errors_in_chinese(dst):
        same = dst.exists() and dst.resolve() == src.resolve()
    if same:
        raise InputError("检查结果不能写入原文件")
    # A marked copy of the ledger plus the summary sheet, written safely to ``dst``
    # (an earlier file there is backed up first); the clerk's file is only read.
    marks = anchored_marks(check_marks(report), ledger, report)
    rows = check_rows(src.name, ledger, report)
    more = [(field_map.SHEET, report.field_map_rows)] if report.field_map_rows else []
    result = ledger_write.marked_copy_with_sheet(
        src, dst, ledger.sheet_name, marks, CHECK_SHEET, rows, more_sheets=more
    )
    report.marked = bool(marks)
    report.backup = Path(result.backup_path) if result.backup_path else None


def check_marks(report: CheckReport) -> dict[str, ledger_write.Mark]:
    """One mark per cell with problems (texts joined; "error" wins over "warning")."""
    marks: dict[str, ledger_write.Mark] = {}
    for level, problems in (("warning", report.notices), ("error", report.errors)):
        for p in problems:
            if not p.cell:
                continue
            old = marks.get(p.cell)
            text = p.message if old is None else f"{old.message}；{p.message}"
            marks[p.cell] = ledger_write.Mark(
                ledger_write.fit_cell_text(text),  # a comment has Excel's cell limit too
                "error" if level == "error" or (old and old.level == "error") else level,
            )
    return marks


def anchored_marks(
    marks: dict[str, ledger_write.Mark], ledger: ledger_read.Ledger, report: CheckReport
) -> dict[str, ledger_write.Mark]:
    """Marks on the covered cells of a merged range (the lower half of a header merged
    over two rows) moved to the range's top-left cell, where a comment is shown.  Where
    a cell is comes from the report's problems (their row and column)."""
    where = {p.cell: (p.row, p.column) for p in (*report.notices, *report.errors) if p.cell}
    out: dict[str, ledger_write.Mark] = {}
    for cell, mark in marks.items():
        row, column = where.get(cell, (None, None))
        at = ledger.merge_anchor(row, column) or cell
        old = out.get(at)
        if old is None:
            out[at] = mark
            continue
        level = "error" if "error" in (old.level, mark.level) else mark.level
        out[at] = ledger_write.Mark(
            ledger_write.fit_cell_text(f"{old.message}；{mark.message}"), level
        )
    return out


def check_rows(name: str, ledger: ledger_read.Ledger, report: CheckReport) -> list[list[Any]]:
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
        rows.append([n, p.cell, p.row, p.header, p.level, ledger_write.fit_cell_text(p.message)])
    if report.field_map_rows:
        rows += [
            [],
            [
                f"已预填“{field_map.SHEET}”工作表：核对“标准字段”（可填 docs/fields.md 中的标准表头，或“不使用”），"
                "再把这张表复制到台账工作簿（或直接用本文件作台账），重新运行即按它识别各列"
            ],
        ]
    return rows
