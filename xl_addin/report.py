"""`jyyz report`: the quarterly (or monthly) 统计报表 of one ledger or many.

Each ledger is read and assessed by the same job as ``jyyz fill``
(:func:`xl_addin.jobs.assess_workbook`), turned into a compact person table
(:func:`calc.stats.person_table`) and the tables of all ledgers are counted
together (:func:`calc.stats.figures`): a person on two ledgers (same ID number)
is counted once, where first met, and listed in the 重复人员 sheet.  Many
ledgers are read in worker processes (reading and assessing is the cost; the
sums are pandas group-bys over a few integer columns).

The workbook is written with xlsxwriter, whose charts are the spreadsheet's own
(they print and can be edited in Excel, WPS and LibreOffice); the one-page
summary paper for the 通报 is :mod:`doc_templates.report_paper`.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from calc import stats
from calc.errors import InputError
from calc.safe_files import safe_replace

Progress = Callable[..., None]

#: Files in a folder that are jyyz's own outputs or Excel's lock files, not ledgers.
_NOT_LEDGERS = (".已填写.", ".检查结果.", "统计报表", ".备份-", "~$")
LEDGER_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class LedgerFailure:
    path: Path
    message: str


@dataclass
class ReportResult:
    output: Path
    paper: Path | None
    pdf: Path | None
    period: stats.Period
    policy: str
    ledgers: list[Path]
    persons: int
    duplicates: int
    failed: list[LedgerFailure] = field(default_factory=list)
    report: stats.Report | None = None
    backups: list[Path] = field(default_factory=list)


def ledger_paths(items: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """The ledgers named, a folder standing for the ledgers in it (sorted by name)."""
    out: list[Path] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            found = sorted(
                c
                for c in p.iterdir()
                if c.is_file()
                and c.suffix.lower() in LEDGER_SUFFIXES
                and not any(mark in c.name for mark in _NOT_LEDGERS)
            )
            if not found:
                raise InputError(f"文件夹“{p}”中没有台账工作簿（.xlsx 或 .xlsm）")
            out.extend(found)
        elif p.is_file():
            out.append(p)
        else:
            raise InputError(f"找不到台账文件“{p}”")
    seen: set[Path] = set()
    return [p for p in out if not (p.resolve() in seen or seen.add(p.resolve()))]


def period_of(
    quarter: str | None, month: str | None, year: str | None, today: dt.date
) -> stats.Period:
    given = [x for x in (quarter, month, year) if x]
    if len(given) > 1:
        raise InputError("--quarter、--month、--year 只能给一个")
    if quarter:
        return stats.quarter(quarter)
    if month:
        return stats.month(month)
    if year:
        return stats.year(year)
    return stats.current_quarter(today)


def _assess_one(path: str, policy: str | None, as_of: dt.date) -> tuple:
    """Worker: (person table, policy code, 目标 rows, parameter table) or (None, message)."""
    from xl_addin import jobs
    from xl_addin import ledger_read as reader

    try:
        a = jobs.assess_workbook(path, policy, as_of)
        table = stats.person_table(a.run, Path(path).name)
        targets = reader.read_targets_sheet(a.path, jobs.TARGET_SHEET)
        return table, a.pack.code, targets, a.params, None
    except InputError as err:
        return None, None, None, None, str(err)
    except Exception as err:  # one unreadable ledger must not stop the roll-up
        return None, None, None, None, f"无法读取（{type(err).__name__}）"


def report(
    ledgers: Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str] | None = None,
    *,
    policy: str | None = None,
    quarter: str | None = None,
    month: str | None = None,
    year: str | None = None,
    as_of: object = None,
    paper: bool = True,
    pdf: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
    out_dir: str | os.PathLike[str] | None = None,
) -> ReportResult:
    """Count the figures of the period over ``ledgers`` and write the report workbook
    (``out``, or 统计报表_<period>.xlsx in ``out_dir`` or beside the first ledger) and
    the summary paper beside it."""
    from calc.policies import get_policy
    from xl_addin.jobs import parse_as_of

    progress = progress or (lambda *a, **k: None)
    today = dt.date.today()
    period = period_of(quarter, month, year, today)
    # Figures of a period are as the ledger stands at its end (or today, if sooner).
    day = parse_as_of(as_of) if as_of not in (None, "") else min(period.end, today)
    paths = ledger_paths(ledgers)
    if policy:
        get_policy(policy)
    tables, codes, target_rows, params, failed = [], {}, [], None, []
    total = len(paths)
    progress(0, total, "读取台账")
    jobs_ = max(1, min(workers or (os.cpu_count() or 1), total))
    if jobs_ == 1:
        results = (_assess_one(str(p), policy, day) for p in paths)
        params = _collect(results, paths, tables, codes, target_rows, failed, progress, total)
    else:
        with ProcessPoolExecutor(max_workers=jobs_) as pool:
            results = pool.map(
                _assess_one, [str(p) for p in paths], [policy] * total, [day] * total
            )
            params = _collect(results, paths, tables, codes, target_rows, failed, progress, total)
    if not tables:
        detail = "；".join(f"{f.path.name}：{f.message}" for f in failed[:5])
        raise InputError(f"没有能统计的台账。{detail}")
    used = sorted(set(codes.values()))
    if len(used) > 1:
        listing = "；".join(f"{name}：{code}" for name, code in codes.items())
        raise InputError(
            f"这些台账适用不同的政策（{listing}），不能合在一张报表里。"
            "请按政策分开统计，或用 --policy 指定一个政策"
        )
    pack = get_policy(used[0])
    progress(total, total, "汇总")
    rep = stats.figures(tables, pack, period, day, params)
    progress_targets = stats.target_progress(
        pd.concat(tables, ignore_index=True), target_rows, period
    )
    target = Path(out) if out else _default_output(paths, period, out_dir)
    backups: list[Path] = []
    with safe_replace(target, backups=backups) as tmp:
        write_workbook(tmp, rep, pack, progress_targets, paths, failed, day)
    paper_path = pdf_path = None
    if paper:
        from doc_templates.report_paper import write_paper

        paper_path, pdf_path = write_paper(
            target.with_name(target.stem + "_通报.docx"),
            rep,
            pack,
            ledgers=len(paths) - len(failed),
            as_of=day,
            pdf=pdf,
            backups=backups,
        )
    return ReportResult(
        target,
        paper_path,
        pdf_path,
        period,
        pack.code,
        paths,
        rep.persons,
        len(rep.duplicates),
        failed,
        rep,
        backups,
    )


def values_to_xlsx(values, path: Path) -> None:
    """An open workbook's sheets (:class:`xl_addin.ledger_read.WorkbookValues`) as a
    plain .xlsx of their values, for the report's readers."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in values.sheets.items():
        ws = wb.create_sheet(name[:31])
        for row in rows:
            ws.append([None if v == "" else v for v in row])
    wb.save(path)


def report_of_values(values, out_dir: str | os.PathLike[str], **options) -> ReportResult:
    """:func:`report` of an open workbook's values (unsaved edits included): the
    ribbon buttons of Excel and WPS.  The readers take files, so the values go
    through a private temporary copy named like the workbook; ``options`` are
    :func:`report`'s (policy, quarter, month, year, pdf, progress)."""
    stem = Path(values.name).stem or "台账"
    with tempfile.TemporaryDirectory(prefix="jyyz-") as tmp:
        copy = Path(tmp) / f"{stem}.xlsx"
        values_to_xlsx(values, copy)
        return report([copy], workers=1, out_dir=out_dir, **options)


def _collect(results, paths, tables, codes, target_rows, failed, progress, total):
    params = None
    for k, (path, (table, code, targets, par, message)) in enumerate(
        zip(paths, results, strict=True), 1
    ):
        if table is None:
            failed.append(LedgerFailure(path, message))
        else:
            tables.append(table)
            codes[path.name] = code
            target_rows.extend(targets or [])
            params = params if params is not None else par
        progress(k, total, "读取台账")
    return params


def _default_output(paths: list[Path], period: stats.Period, folder=None) -> Path:
    return Path(folder or paths[0].parent) / f"统计报表_{period.label}.xlsx"


# ----------------------------------------------------------------------------- workbook

HEAD_FMT = {"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}  # fmt: skip
CELL_FMT = {"border": 1}
TITLE_FMT = {"bold": True, "font_size": 16, "align": "center"}

#: How each figure is counted: the item's words → (ledger columns, clause or rule).
HOW = (
    ("台账人数", "台账中每一行人员（同一公民身份号码在多本台账中只计一次）", ""),
    ("认定结论", "按认定结论列（与 jyyz fill 的“认定结论”相同）", "各政策认定条款"),
    ("已认定（台账有认定日期）", "“认定日期”不晚于统计期末", ""),
    ("本期新认定", "“认定日期”在统计期内", ""),
    (
        stats.BY_CATEGORY,
        "认定结论为符合且符合该类别条件（一人可属多个类别）",
        "各政策对象范围条款",
    ),
    (
        stats.EMPLOYED,
        "“就业状态”为已就业且“就业日期”在统计期内，按“就业形式”归类（组织起来、非全日制计入灵活就业；个体经营计入自主创业）",
        "",
    ),
    (
        "资格终止",
        "认定结论为资格终止，按所适用的终止条款（台账无终止日期，按认定基准日统计）",
        "各政策退出条款",
    ),
    (
        "本期达到法定退休年龄",
        "按出生日期、性别（及原退休年龄）计算的法定退休日期在统计期内",
        "2025年渐进式延迟法定退休年龄办法",
    ),
    (
        stats.ZERO_HOUSEHOLDS,
        "“零就业家庭”列或按“家庭编号”与家庭成员就业状态判定；每户计一次；有成员“就业日期”不晚于期末即为已就业，首次就业日期在期内为本期清零",
        "",
    ),
    (
        stats.FOLLOW_UP,
        "按“时限提醒”的“下次跟踪随访”日期（自“最近申报日期”起按月）：在统计期内为本期应随访，早于认定基准日为逾期；“可结束跟踪随访”日期（“就业日期”起稳定就业半年）不晚于期末的不再随访",
        "跟踪随访条款（见各项时限提醒的依据）",
    ),
    (
        stats.SUBSIDIES,
        "可享受该补贴、且补贴期间（自“补贴开始年月”或认定日期至补贴期限截止）与统计期有重叠的人数",
        "各政策补贴条款",
    ),
)


def write_workbook(
    path: Path,
    rep: stats.Report,
    pack,
    targets: list[stats.TargetProgress],
    ledgers: list[Path],
    failed: list[LedgerFailure],
    as_of: dt.date,
) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True})
    fmt = {
        "head": wb.add_format(HEAD_FMT),
        "cell": wb.add_format(CELL_FMT),
        "title": wb.add_format(TITLE_FMT),
        "section": wb.add_format({"bold": True, "border": 1, "bg_color": "#F2F2F2"}),
        "money": wb.add_format({"border": 1, "num_format": "#,##0.00"}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top", "border": 1}),
    }
    title = f"就业援助工作统计报表（{rep.period.label}）"
    scope = (
        f"统计期：{rep.period.start:%Y-%m-%d} 至 {rep.period.end:%Y-%m-%d}；认定基准日 {as_of:%Y-%m-%d}；"
        f"政策：{pack.title}；台账 {len(ledgers) - len(failed)} 本，{rep.persons} 人"
        + (f"（{len(rep.duplicates)} 人在多本台账中，只计一次）" if len(rep.duplicates) else "")
    )
    summary_pos = _summary_sheet(wb, fmt, rep, title, scope)
    charts = wb.add_worksheet("图表")
    charts.set_landscape()
    charts.fit_to_pages(1, 1)
    units_pos = _units_sheet(wb, fmt, rep)
    trend_pos = _trend_sheet(wb, fmt, rep)
    _table_sheet(wb, fmt, "待核实原因", rep.causes, "待核实人员按原因（一人可有多个原因）")
    _table_sheet(wb, fmt, "补贴", rep.subsidies, "本期享受补贴情况")
    _targets_sheet(wb, fmt, targets)
    _duplicates_sheet(wb, fmt, rep.duplicates)
    _notes_sheet(wb, fmt, rep, ledgers, failed)
    _charts(wb, charts, rep, summary_pos, units_pos, trend_pos)
    wb.close()


def _summary_sheet(wb, fmt, rep, title, scope):
    ws = wb.add_worksheet("汇总")
    cols = list(rep.figures.columns)
    ws.merge_range(0, 0, 0, 1 + len(cols), title, fmt["title"])
    ws.merge_range(1, 0, 1, 1 + len(cols), scope)
    ws.write_row(3, 0, ["类别", "项目", *cols], fmt["head"])
    rows: dict[tuple[str, str], int] = {}
    r = 4
    for (section, item), values in rep.figures.iterrows():
        ws.write(r, 0, section, fmt["section"])
        ws.write(r, 1, item, fmt["cell"])
        ws.write_row(r, 2, [int(v) for v in values], fmt["cell"])
        rows[(section, item)] = r
        r += 1
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 34)
    ws.set_column(2, 1 + len(cols), 12)
    ws.freeze_panes(4, 2)
    ws.repeat_rows(3)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    return rows


UNIT_ITEMS = (
    "台账人数",
    "认定结论：符合",
    "认定结论：待核实",
    "本期新认定",
    "本期实现就业合计",
    "零就业家庭（户）",
    "尚未清零（户）",
    "本期应随访",
    "逾期未随访",
)


def _units_sheet(wb, fmt, rep):
    ws = wb.add_worksheet("分社区")
    fig = rep.figures
    items = [(sec, it) for sec, it in fig.index if it in UNIT_ITEMS]
    ws.write_row(0, 0, ["街道", "社区", *[it for _, it in items]], fmt["head"])
    unit_cols = [f"{s}/{c}" for s, c in rep.units]
    for r, ((street, community), col) in enumerate(zip(rep.units, unit_cols, strict=True), 1):
        ws.write(r, 0, street, fmt["cell"])
        ws.write(r, 1, community, fmt["cell"])
        ws.write_row(r, 2, [int(fig.at[key, col]) for key in items], fmt["cell"])
    last = len(rep.units)
    ws.write(last + 1, 0, stats.TOTAL, fmt["section"])
    ws.write(last + 1, 1, "", fmt["section"])
    ws.write_row(last + 1, 2, [int(fig.at[key, stats.TOTAL]) for key in items], fmt["section"])
    ws.set_column(0, 1, 14)
    ws.set_column(2, 1 + len(items), 11)
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, last, 1 + len(items))
    return {it: 2 + k for k, (_, it) in enumerate(items)}, last


def _trend_sheet(wb, fmt, rep):
    ws = wb.add_worksheet("月度趋势")
    t = rep.trend
    ws.write_row(0, 0, list(t.columns), fmt["head"])
    for r, row in enumerate(t.itertuples(index=False), 1):
        ws.write(r, 0, row[0], fmt["cell"])
        ws.write_row(r, 1, [int(v) for v in row[1:]], fmt["cell"])
    ws.set_column(0, len(t.columns) - 1, 11)
    return {name: k for k, name in enumerate(t.columns)}, len(t)


def _table_sheet(wb, fmt, name, frame: pd.DataFrame, caption: str):
    ws = wb.add_worksheet(name)
    ws.write(0, 0, caption, wb.add_format({"bold": True}))
    ws.write_row(1, 0, list(frame.columns), fmt["head"])
    for r, row in enumerate(frame.itertuples(index=False), 2):
        for c, v in enumerate(row):
            if v is None or (isinstance(v, float) and pd.isna(v)):
                ws.write_blank(r, c, None, fmt["cell"])
            elif isinstance(v, float):
                ws.write_number(r, c, v, fmt["money"])
            elif isinstance(v, int):
                ws.write_number(r, c, v, fmt["cell"])
            else:
                ws.write_string(r, c, str(v), fmt["cell"])
    if frame.empty:
        ws.write(2, 0, "（无）")
    ws.set_column(0, 0, 28)
    ws.set_column(1, max(1, len(frame.columns) - 1), 14)
    return ws


def _targets_sheet(wb, fmt, targets):
    frame = pd.DataFrame(
        [
            {
                "责任单位": t.unit,
                "目标项目": t.item,
                "目标值": "" if t.target is None else str(t.target),
                "截至期末完成": "" if t.reached is None else t.reached,
                "完成情况按": t.how,
            }
            for t in targets
        ],
        columns=["责任单位", "目标项目", "目标值", "截至期末完成", "完成情况按"],
    )
    _table_sheet(
        wb, fmt, "目标完成", frame, "“目标”表所列目标与台账反映的完成情况（本年1月1日至统计期末）"
    )


def _duplicates_sheet(wb, fmt, dups: pd.DataFrame):
    from calc.masking import mask_id

    def masked(v):
        try:
            return mask_id(v)
        except InputError:
            return "（号码有误）"

    frame = pd.DataFrame(
        {
            "姓名": dups["name"],
            "公民身份号码": [masked(v) for v in dups["id"]],
            "所在台账": dups["source"],
            "街道": dups["street"],
            "社区": dups["community"],
            "已计入的台账": dups["counted_in"],
        }
    )
    _table_sheet(wb, fmt, "重复人员", frame, "在多本台账中出现的人员（按公民身份号码，只计一次）")


def _notes_sheet(wb, fmt, rep, ledgers, failed):
    ws = wb.add_worksheet("说明")
    ws.write_row(0, 0, ["项目", "怎样统计", "依据"], fmt["head"])
    r = 1
    for item, how, clause in HOW:
        if item == stats.FOLLOW_UP and not rep.follow_up_clause:
            continue
        ws.write(r, 0, item, fmt["wrap"])
        ws.write(r, 1, how, fmt["wrap"])
        ws.write(r, 2, clause, fmt["wrap"])
        r += 1
    r += 1
    ws.write(r, 0, "一个时点的台账不能说明的", wb.add_format({"bold": True}))
    for text in stats.LIMITS:
        r += 1
        ws.write(r, 0, "·")
        ws.write(r, 1, text)
    r += 2
    ws.write(r, 0, "统计的台账", wb.add_format({"bold": True}))
    bad = {f.path for f in failed}
    for p in ledgers:
        r += 1
        ws.write(r, 0, p.name)
        ws.write(
            r,
            1,
            "已统计"
            if p not in bad
            else "未统计：" + next(f.message for f in failed if f.path == p),
        )
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 80, wb.add_format({"text_wrap": True, "valign": "top"}))
    ws.set_column(2, 2, 26)


def _charts(wb, ws, rep, summary_rows, units_pos, trend_pos):
    """Native charts on the 图表 sheet, over the data of the other sheets: monthly
    trend, category mix, employment by way, per-community bars."""
    trend_cols, months = trend_pos
    line = wb.add_chart({"type": "line"})
    for name in ("新认定", "实现就业", "达到退休年龄"):
        c = trend_cols[name]
        line.add_series(
            {
                "name": ["月度趋势", 0, c],
                "categories": ["月度趋势", 1, 0, months, 0],
                "values": ["月度趋势", 1, c, months, c],
                "marker": {"type": "circle"},
            }
        )
    line.set_title({"name": "近12个月新认定与实现就业"})
    line.set_y_axis({"name": "人数", "min": 0})
    line.set_size({"width": 620, "height": 320})
    ws.insert_chart(0, 0, line)
    cats = [r for (sec, _), r in summary_rows.items() if sec == stats.BY_CATEGORY]
    if cats:
        pie = wb.add_chart({"type": "pie"})
        pie.add_series(
            {
                "name": "符合条件人员类别构成",
                "categories": ["汇总", min(cats), 1, max(cats), 1],
                "values": ["汇总", min(cats), 2, max(cats), 2],
                "data_labels": {"value": True, "percentage": True},
            }
        )
        pie.set_title({"name": "符合条件人员类别构成"})
        pie.set_size({"width": 520, "height": 320})
        ws.insert_chart(0, 10, pie)
    ways = [
        r for (sec, item), r in summary_rows.items() if sec == stats.EMPLOYED and item in stats.WAYS
    ]
    if ways:
        bar = wb.add_chart({"type": "column"})
        bar.add_series(
            {
                "name": "本期实现就业（按就业形式）",
                "categories": ["汇总", min(ways), 1, max(ways), 1],
                "values": ["汇总", min(ways), 2, max(ways), 2],
                "data_labels": {"value": True},
            }
        )
        bar.set_title({"name": "本期实现就业按就业形式"})
        bar.set_legend({"none": True})
        bar.set_size({"width": 620, "height": 320})
        ws.insert_chart(17, 0, bar)
    cols, last = units_pos
    units = wb.add_chart({"type": "bar"})
    for name in ("台账人数", "认定结论：符合", "本期实现就业合计"):
        if name in cols:
            c = cols[name]
            units.add_series(
                {
                    "name": ["分社区", 0, c],
                    "categories": ["分社区", 1, 1, last, 1],
                    "values": ["分社区", 1, c, last, c],
                }
            )
    units.set_title({"name": "各社区人数"})
    units.set_size({"width": 520, "height": min(900, max(320, 22 * last + 120))})
    ws.insert_chart(17, 10, units)
