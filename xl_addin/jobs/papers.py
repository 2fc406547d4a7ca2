"""The docs job: agreements, public notices and responsibility letters."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from calc import assess, fields
from calc.dates import to_date
from calc.errors import InputError
from xl_addin import ledger_read
from xl_addin.jobs.assessment import (
    Assessed,
    assess_workbook,
    duplicate_ids,
    workbook_source,
)
from xl_addin.jobs.common import (
    DOC_KINDS,
    RESULT_HEADERS,
    TARGET_SHEET,
    Progress,
    _noop,
)
from xl_addin.jobs.inputs import parse_as_of, parse_rows, parse_where
from xl_addin.jobs.reports import DocsReport

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
            fname = fields.match_header(header)
            if fname is not None and fname in ledger.data.columns:
                col = ledger.data[fname]
            elif fields.normalise_header(header) in {
                fields.normalise_header(h) for h in RESULT_HEADERS.values()
            }:
                key = next(k for k, h in RESULT_HEADERS.items() if fields.normalise_header(h) == fields.normalise_header(header))  # fmt: skip
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
                        sorted({fields.header_of(f) for f in ledger.columns}, key=len)[:12]
                    )
                    raise InputError(f"筛选条件中的列“{header}”在台账中不存在；可用的列如：{known}")
                col = raw[pos]
            text = col.astype(object).where(col.notna(), "").astype(str).str.strip()
            mask &= (text == value).to_numpy()
    return index[mask]


def _raw_columns(a: Assessed) -> dict[int, pd.Series]:
    """Unrecognised columns (by 1-based position) as Series indexed by Excel row."""
    rows = ledger_read.read_sheet_rows(a.path, a.ledger.sheet_name) or []
    out: dict[int, pd.Series] = {}
    index = a.ledger.data.index
    for letter, _ in a.ledger.unknown_columns:
        c = ledger_read.column_index(letter) - 1
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


def _subset_run(a: Assessed, selected: pd.Index) -> assess.LedgerRun:
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
    from calc.clauses import read_typed
    from doc_templates.contexts import TargetLine

    rows = ledger_read.read_targets_sheet(a.path, TARGET_SHEET)
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
                source=read_typed(row.get("依据")),
            )
        )
    return out, (years.pop() if len(years) == 1 else None), issuers


#: What an agreement shows for the officer when the ledger keeps no 援助责任人 column:
#: a line to sign on, as printed forms have.
OFFICER_LINE = "＿＿＿＿＿＿"


def _officer_line(run: assess.LedgerRun) -> tuple[assess.LedgerRun, str]:
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

    settings = ledger_read.read_sheet_rows(a.path, SETTINGS_SHEET)
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

    settings = ledger_read.read_sheet_rows(a.path, SETTINGS_SHEET)
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
    from doc_templates import batches, from_assessment

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
    batch = batches.Batch("公示")
    already_n = 0
    made = 0
    estimates: list[str] = []
    for issuer, labels in groups.items():
        part = _subset_run(a, pd.Index(labels))
        part_frame = part.persons.frame
        eligible = (part.results["status"] == assess.ELIGIBLE).to_numpy()
        if not eligible.any():
            continue
        for label in part_frame.index[eligible]:
            offices.details(*_place_of(part_frame.loc[label].to_dict()))
        details = offices.book.for_person(*places[issuer], offices.streets)
        office = details.office()
        ctx, skipped, already = from_assessment.notice_from_run(
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
        one = batches.write_notice(ctx, target, **options)
        batch.paths += one.paths
        batch.pdfs += one.pdfs
        batch.replaced += one.replaced
        batch.actions.update(one.actions)
    target.mkdir(parents=True, exist_ok=True)
    batch.not_made = batches.write_not_made(batch.skipped, target, "公示")
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
    from doc_templates import batches, from_assessment
    from doc_templates.office import OfficeAssigner
    from doc_templates.templates import template_for

    opts = opts or DocOptions()
    selected, twice = _one_row_per_person(a, selected)
    run = _subset_run(a, selected)
    chosen = int((run.results["status"] == assess.ELIGIBLE).sum())
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

        contexts, skipped = from_assessment.agreements_from_run(
            run, party_a=party_a, start=day, allow_pending=opts.pending
        )
        batch = batches.write_agreements(contexts, target, skipped=skipped, **printed)
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

        letters, skipped, more = from_assessment.letters_from_run(
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
        batch = batches.write_letters(letters, target, skipped=skipped, **printed)
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
        unchanged=int(batch.actions.get(batches.SAME, 0)),
        font_notes=font_notes,
    )
