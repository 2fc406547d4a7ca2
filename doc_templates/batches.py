"""Batches: many papers of one kind, numbered through the register, written safely.

    write_agreements(contexts, out_dir) -> Batch    # one 协议书 per person
    write_letters(contexts, out_dir) -> Batch       # one 责任书 per receiving unit
    write_notice(ctx, out_dir) -> Batch             # one 公示

A batch never dies of one row: a person or unit that cannot get a paper
(no 援助责任人, no ID number, the same person twice …) is skipped and listed
in ``Batch.skipped`` (姓名、行号、原因); the rest are written.  Every file goes
through :func:`calc.safe_files.write_bytes_safely`.  Numbers come from the
register (:mod:`doc_templates.register`): an unchanged re-run writes nothing
new, a changed paper gets a new number and file while the old one is marked
被替代 — a numbered file is never rewritten.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from calc.csv_safe import csv_bytes
from calc.errors import InputError
from calc.safe_files import write_bytes_safely
from doc_templates import naming
from doc_templates.contexts import AgreementContext, LetterContext, NoticeContext
from doc_templates.fastrender import CompiledTemplate, compiled
from doc_templates.formatting import fmt_date, value_text
from doc_templates.merge import write_merged
from doc_templates.register import (
    NEW,
    REGISTER_NAME,
    REISSUED,
    SAME,
    DocNumber,
    Register,
    RegisterWriteError,
)
from doc_templates.templates import (
    AGREEMENT_TEMPLATE,
    KIND_AGREEMENT,
    KIND_LETTER,
    KIND_NOTICE,
    LETTER_TEMPLATE,
    NOTICE_TEMPLATE,
)
from doc_templates.views import agreement_view, letter_view, notice_end_date, notice_view

NOT_MADE_NAME = "未生成_{kind}.csv"
#: View keys that say when a paper was made, not what it says (a re-run on
#: another day is the same paper).
DATE_KEYS = ("number", "sign_date", "issue_date")


@dataclass
class Skipped:
    """A row that got no paper, and why (for the 未生成 list)."""

    name: str
    row: int | None
    reason: str


@dataclass
class Batch:
    """What a batch wrote; iterating gives the paper paths (input order)."""

    kind: str
    paths: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    merged: Path | None = None
    pdfs: list[Path] = field(default_factory=list)
    actions: Counter = field(default_factory=Counter)
    replaced: list[str] = field(default_factory=list)  # "旧编号→新编号"
    not_made: Path | None = None

    def __iter__(self):
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, i):
        return self.paths[i]


# ---------------------------------------------------------------- per kind


@dataclass(frozen=True)
class _Kind:
    kind: str
    default_template: Path
    view_of: Callable[[Any], dict]
    filename_of: Callable[..., str]  # (context, number the register gave or None)
    name_of: Callable[[Any], str]
    subject_of: Callable[[Register, Any], str]
    legacy_of: Callable[[Any], str]
    target_of: Callable[[Any], str]
    date_of: Callable[[Any], date]
    summary_of: Callable[[Any, dict], str]


def _agreement_summary(ctx: AgreementContext, view: dict) -> str:
    subs = "；".join(f"{s['name']}{s['standard']}{s['period']}" for s in view["subsidies"])
    summary = f"认定类别：{ctx.person.category}；援助责任人：{ctx.officer}"
    if ctx.pending:
        summary += "；待认定"
    return summary + (f"；补贴：{subs}" if subs else "")


def _agreement_legacy(ctx: AgreementContext) -> str:
    from doc_templates.register import _legacy_person_key

    return _legacy_person_key(ctx.person.id_number) if ctx.person.id_number else ""


AGREEMENT = _Kind(
    KIND_AGREEMENT,
    AGREEMENT_TEMPLATE,
    agreement_view,
    naming.agreement_filename,
    lambda c: c.person.name,
    lambda reg, c: reg.person_key(c.person.id_number),
    _agreement_legacy,
    # the person by name and community: nothing derived from the ID number
    lambda c: f"{c.person.name}（{c.person.community or c.person.street or '未填社区'}）",
    lambda c: c.sign_date or c.start,
    _agreement_summary,
)
LETTER = _Kind(
    KIND_LETTER,
    LETTER_TEMPLATE,
    letter_view,
    naming.letter_filename,
    lambda c: c.receiver.name,
    lambda reg, c: f"{c.issuer.name}→{c.receiver.name}",
    lambda c: "",
    lambda c: c.receiver.name,
    lambda c: c.sign_date or c.start or date(c.year, 1, 1),
    lambda c, v: "；".join(f"{t.name}{value_text(t.value, t.unit)}" for t in c.targets),
)


def _notice_summary(c) -> str:
    """The register's line for a notice: its period, with "；2027年放假安排尚未公布，按规则推算"
    when the period runs into a year without an official holiday schedule
    (calc.workdays.estimate_note)."""
    from calc.workdays import estimate_note

    end = notice_end_date(c)
    note = estimate_note(c.start, end, corrections=c.workday_corrections)
    return (
        f"公示期：{fmt_date(c.start)}至{fmt_date(end)}（{c.workdays}个工作日）；人数：{len(c.rows)}"
        + (f"；{note}" if note else "")
    )


NOTICE = _Kind(
    KIND_NOTICE,
    NOTICE_TEMPLATE,
    notice_view,
    naming.notice_filename,
    lambda c: c.subject,
    lambda reg, c: f"{c.office.name}|{c.subject}|{c.start.isoformat()}",
    lambda c: "",
    lambda c: f"{c.subject}（{len(c.rows)}人）",
    lambda c: c.issue_date or c.start,
    lambda c, v: _notice_summary(c),
)


def _open_register(register, out_dir: Path, prefixes=None) -> Register | None:
    if register is False or register is None:
        return None
    if isinstance(register, Register):
        return register
    path = out_dir / REGISTER_NAME if register is True else Path(register)
    return Register(path, prefixes=prefixes, load=False)  # read in its session, under the lock


def _office_prefixes(ctx) -> dict[str, str]:
    """The number prefixes of the office that issues ``ctx``."""
    office = getattr(ctx, "party_a", None) or getattr(ctx, "issuer", None)
    office = office or getattr(ctx, "office", None)
    return dict(getattr(office, "prefixes", None) or {})


def _row_of(ctx) -> int | None:
    return getattr(ctx, "row", None)


def _write_batch(
    spec: _Kind,
    contexts: Iterable,
    out_dir,
    *,
    register: Any = True,
    prefixes: dict[str, str] | None = None,
    merged: bool = False,
    duplex: bool = False,
    pdf: bool = False,
    template: Path | None = None,
    skipped: Sequence[Skipped] = (),
) -> Batch:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tpl: CompiledTemplate = compiled(template or spec.default_template)
    reg = _open_register(register, out, prefixes)
    if reg is not None:
        reg.papers_dir = out
    batch = Batch(spec.kind, skipped=list(skipped))
    views: list[dict] = []
    if reg is None:
        _write_papers(spec, contexts, out, tpl, None, batch, views)
    else:
        with reg.session():
            try:
                _write_papers(spec, contexts, out, tpl, reg, batch, views)
            except BaseException:
                # Ctrl-C, a full disk …: the papers written so far keep their lines
                with contextlib.suppress(Exception):
                    reg.save()
                raise
            reg.save()
    if merged:
        batch.merged = write_merged(tpl, views, out, spec.kind, duplex=duplex)
    batch.not_made = write_not_made(batch.skipped, out, spec.kind)
    if pdf and batch.paths:
        from doc_templates.pdf import to_pdf

        papers = batch.paths + ([batch.merged] if batch.merged else [])
        pdfs = [p.with_suffix(".pdf") for p in papers]
        # a paper not rewritten keeps its PDF (no new conversion, no backup of an equal PDF)
        todo = [p for p, f in zip(papers, pdfs, strict=True) if not _current(f, p)]
        if todo:
            to_pdf(todo, out, keep_blank_pages=duplex)
        batch.pdfs = pdfs
    return batch


def _write_papers(
    spec: _Kind,
    contexts: Iterable,
    out: Path,
    tpl: CompiledTemplate,
    reg: Register | None,
    batch: Batch,
    views: list[dict],
) -> None:
    """Number and write each paper: its register line is on the disk before
    the paper is (:meth:`Register.journal`), and taken back if the paper fails."""
    seen: dict[str, Any] = {}
    pending: list[tuple[Any, Path, dict, int | None]] = []
    base_prefixes = dict(reg.prefixes) if reg is not None else {}
    for ctx in contexts:
        name = spec.name_of(ctx) or "（无姓名）"
        try:
            view = spec.view_of(ctx)  # validate before numbering
            if reg is not None:
                subject = spec.subject_of(reg, ctx)
                if subject in seen:
                    first = seen[subject]
                    where = f"第{first}行" if first else "前面"
                    raise InputError(f"与{where}为同一对象，本批只出一份")
                seen[subject] = _row_of(ctx)
                fp = reg.fingerprint(view, DATE_KEYS)
                # each office numbers with its own prefix (doc_templates.office)
                reg.prefixes = {**base_prefixes, **_office_prefixes(ctx)}

                def file_for(number: DocNumber, ctx=ctx) -> str:
                    ctx.number = number.text
                    return spec.filename_of(ctx, number)

                issued = reg.issue(
                    spec.kind,
                    subject,
                    ctx.doc_year,
                    target=spec.target_of(ctx),
                    date=spec.date_of(ctx).isoformat(),
                    summary=spec.summary_of(ctx, view),
                    fingerprint=fp,
                    file_for=file_for,
                    number=ctx.number,
                    legacy_key=spec.legacy_of(ctx),
                )
                entry = issued.entry
                ctx.number = entry.number
                file_name = entry.file
                batch.actions[issued.action] += 1
                if issued.action == SAME:
                    made = _made_on(entry.date)
                    for k in ("sign_date", "issue_date"):
                        if k in view:
                            view[k] = fmt_date(made)
                elif issued.action == REISSUED and issued.old is not None:
                    batch.replaced.append(f"{issued.old.number}→{entry.number}")
            else:
                if not ctx.number and spec.kind != KIND_NOTICE:
                    raise InputError("没有文书编号，且未使用文书登记簿")
                file_name = spec.filename_of(ctx)
                issued = None
        except RegisterWriteError:
            raise  # the register or the counter cannot be written: the run stops
        except InputError as err:
            batch.skipped.append(Skipped(name, _row_of(ctx), err.message))
            continue
        view["number"] = ctx.number
        path = out / file_name
        if issued is None or issued.action != SAME or not path.exists():
            level = 1 if spec.kind == KIND_NOTICE and len(getattr(ctx, "rows", ())) > 2000 else None
            numbered = reg is not None and issued is not None and issued.action != SAME
            pending.append((issued if numbered else None, path, view, level))
            if len(pending) >= JOURNAL_GROUP:
                _flush(pending, tpl, reg)
        views.append(view)
        batch.paths.append(path)
    _flush(pending, tpl, reg)


#: Papers numbered together: their register lines reach the disk in one flush
#: (a group commit), each before its paper is written.
JOURNAL_GROUP = 16


def _flush(pending: list, tpl: CompiledTemplate, reg: Register | None) -> None:
    """Write ahead the register lines of ``pending`` papers, then the papers.

    A paper that is not written (Ctrl-C, a full disk …) loses its line when
    the register is saved (:meth:`Register.save`), and its number goes back.
    """
    if reg is not None:
        entries = [issued.entry for issued, *_ in pending if issued is not None]
        if entries:
            reg.journal(*entries)  # on the disk before any of these papers exists
    for _issued, path, view, level in pending:
        write_bytes_safely(path, tpl.render_bytes(view, compresslevel=level))
    pending.clear()


def _made_on(text: str) -> date:
    """The date of a register line (ISO as written; Excel may have re-saved it as 2026/1/5)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        from calc.dates import to_date

        return to_date(text)


def _current(pdf: Path, docx: Path) -> bool:
    return pdf.exists() and pdf.stat().st_mtime_ns >= docx.stat().st_mtime_ns


def not_made_csv(skipped: Sequence[Skipped]) -> bytes:
    """The 未生成 list as CSV bytes (UTF-8 with BOM for Excel): 姓名, 行号, 原因."""
    rows = ([s.name, "" if s.row is None else s.row, s.reason] for s in skipped)
    return csv_bytes(["姓名", "行号", "原因"], rows)


def write_not_made(skipped: Sequence[Skipped], out_dir: Path, kind: str) -> Path | None:
    """Write ``未生成_{kind}.csv`` when rows were skipped (an old list is emptied)."""
    path = Path(out_dir) / NOT_MADE_NAME.format(kind=kind)
    if not skipped and not path.exists():
        return None
    write_bytes_safely(path, not_made_csv(skipped))
    return path if skipped else None


# ---------------------------------------------------------------- public


def write_agreements(
    contexts: Iterable[AgreementContext], out_dir: str | Path, **options: Any
) -> Batch:
    """Write one 协议书 per person (see module doc).

    Options: ``register`` (True → ``out_dir/文书登记簿.csv``, a path, a
    :class:`Register`, or False: every context must carry a number),
    ``prefixes`` (number prefixes per kind), ``merged`` (also
    ``合并打印_协议书.docx``), ``duplex`` (each paper of the print file on an
    odd page), ``pdf`` (convert papers and print file), ``template`` (a
    template file), ``skipped`` (rows refused while building the contexts,
    carried into the 未生成 list).
    """
    return _write_batch(AGREEMENT, contexts, out_dir, **options)


def write_letters(contexts: Iterable[LetterContext], out_dir: str | Path, **options: Any) -> Batch:
    """Write one 目标责任书 per receiving unit (options as :func:`write_agreements`)."""
    return _write_batch(LETTER, contexts, out_dir, **options)


OFFICE_COPY = "_存档件"


def write_notice(ctx: NoticeContext, out_dir: str | Path, **options: Any) -> Batch:
    """Write one 公示 for the batch (options as :func:`write_agreements`; no print file).

    The public notice prints the neutral label; when the rows' detailed
    categories differ, the office's own copy (``…_存档件.docx``: same number,
    the detailed 认定类别, marked 不张贴) is written beside it."""
    batch = _write_batch(NOTICE, [ctx], out_dir, **{**options, "merged": False, "duplex": False})
    if batch.paths and ctx.office_categories and len(ctx.office_categories) == len(ctx.rows):
        import dataclasses

        rows = [
            dataclasses.replace(r, category=c)
            for r, c in zip(ctx.rows, ctx.office_categories, strict=True)
        ]
        if any(a.category != b.category for a, b in zip(rows, ctx.rows, strict=True)):
            view = notice_view(dataclasses.replace(ctx, rows=rows))
            view["number"] = f"{ctx.number}（存档件，含认定类别，不张贴）"
            tpl = compiled(options.get("template") or NOTICE.default_template)
            public = batch.paths[0]
            copy = public.with_name(public.stem + OFFICE_COPY + public.suffix)
            write_bytes_safely(copy, tpl.render_bytes(view))
            batch.paths.append(copy)
    return batch


__all__ = [
    "NEW",
    "REISSUED",
    "SAME",
    "Batch",
    "Skipped",
    "not_made_csv",
    "write_agreements",
    "write_letters",
    "write_not_made",
    "write_notice",
]
