"""Why a condition is 待核实: a missing column, a blank cell or an unreadable one — as data.

A rule that needs a value the ledger does not give names the field, per row,
in :class:`Said`'s ``unknown`` (canonical field → rows): that is the reason as
data.  Its text is rendered from the same data by :func:`unknown_phrases`,
which says *why* the value is unknown — a blank cell ("台账未填“失业登记日期”"),
a missing column (the clerk should add or map one) or an unreadable cell
(#N/A, an uncalculated formula, a date after the assessment date: the clerk
should correct it), from :class:`calc.normalize.Persons`' availability map.
:func:`causes_of` turns the fields an explanation names into causes
(:class:`Cause`), and :func:`count_causes` counts the 待核实 rows by cause for
the run summary ("缺少列“失业登记日期”：30人").  Nothing reads a text back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from calc import fields
from calc.normalize import ABSENT, BLANK, UNREADABLE, Persons
from calc.text_columns import repeated

UNFILLED = "台账未填“{h}”"
NO_COLUMN = "台账无“{h}”列（可在“字段对照”中指定）"
BAD_CELL = "“{h}”单元格有误（见数据问题）"

#: How a cause is named in the summary and the statistics report, per kind.
CAUSE_LABELS = {ABSENT: "缺少列“{h}”", UNREADABLE: "“{h}”有误", BLANK: "未填“{h}”"}
#: Fallback of the statistics report for a 待核实 person whose explanation names no field.
OTHER_CAUSE = "其他原因"

Unknown = dict[str, np.ndarray]
"""Canonical field name → the rows (boolean mask) whose text names the field as unknown."""


@dataclass
class Said:
    """What a test says per row: its text, and the fields the text names as unknown."""

    text: pd.Series
    unknown: Unknown = field(default_factory=dict)


def merge(into: Unknown, other: Mapping[str, np.ndarray], rows: np.ndarray | None = None) -> None:
    """Add ``other``'s named fields to ``into`` (only on ``rows`` when given)."""
    for name, mask in other.items():
        hit = mask if rows is None else (mask & rows)
        if not hit.any():
            continue
        into[name] = into[name] | hit if name in into else hit.copy()


def unknown_phrases(persons: Persons, name: str) -> np.ndarray:
    """Per row, how a text names ``name`` as unknown: its column missing
    (:data:`NO_COLUMN`), its cell unreadable (:data:`BAD_CELL`), else blank
    (:data:`UNFILLED`)."""
    header = fields.header_of(name)
    n = len(persons)
    if name in persons.absent:
        return repeated(NO_COLUMN.format(h=header), n)
    out = repeated(UNFILLED.format(h=header), n)
    bad = persons.unreadable.get(name)
    if bad is not None and bad.any():
        out[bad] = BAD_CELL.format(h=header)
    return out


@dataclass(frozen=True)
class Cause:
    """One reason a row is 待核实: ``kind`` (ABSENT, UNREADABLE, BLANK) of ``field``."""

    kind: str
    field: str

    @property
    def label(self) -> str:
        return CAUSE_LABELS[self.kind].format(h=fields.header_of(self.field))


_KIND_ORDER = {ABSENT: 0, UNREADABLE: 1, BLANK: 2}


def causes_of(named: Mapping[str, np.ndarray], persons: Persons) -> dict[Cause, np.ndarray]:
    """The causes behind the fields an explanation names, with their rows."""
    out: dict[Cause, np.ndarray] = {}
    for name, rows in named.items():
        if name in persons.absent:
            parts = {ABSENT: rows}
        else:
            bad = persons.unreadable.get(name)
            bad = rows & bad if bad is not None else np.zeros_like(rows)
            parts = {UNREADABLE: bad, BLANK: rows & ~bad}
        for kind, mask in parts.items():
            if mask.any():
                out[Cause(kind, name)] = mask
    order = {name: i for i, name in enumerate(fields.FIELDS)}
    return dict(
        sorted(out.items(), key=lambda kv: (order.get(kv[0].field, 0), _KIND_ORDER[kv[0].kind]))
    )


def count_causes(
    causes: Mapping[Cause, np.ndarray], statuses, uncertain: str = "待核实"
) -> dict[str, int]:
    """People per cause among the 待核实 rows, most frequent first (a row counts once per cause)."""
    among = np.asarray(statuses, dtype=object) == uncertain
    counts = Counter({c.label: int((rows & among).sum()) for c, rows in causes.items()})
    return {label: k for label, k in counts.most_common() if k}


def causes_per_row(
    causes: Mapping[Cause, np.ndarray], statuses, uncertain: str = "待核实"
) -> np.ndarray:
    """Per row, the labels of its causes (a tuple; :data:`OTHER_CAUSE` for a
    待核实 row naming none; empty for the other rows)."""
    among = np.asarray(statuses, dtype=object) == uncertain
    out = np.empty(len(among), dtype=object)
    out.fill(())
    rows = np.flatnonzero(among)
    if not len(rows):
        return out
    labels = [c.label for c in causes]
    hits = (
        np.column_stack([np.asarray(m, dtype=bool)[rows] for m in causes.values()])
        if labels
        else np.zeros((len(rows), 0), dtype=bool)
    )
    combos, inverse = np.unique(hits, axis=0, return_inverse=True)
    table = [
        tuple(lab for lab, on in zip(labels, combo, strict=True) if on) or (OTHER_CAUSE,)
        for combo in combos.tolist()
    ]
    chosen = np.empty(len(table), dtype=object)
    for k, labels_here in enumerate(table):
        chosen[k] = labels_here
    out[rows] = chosen[inverse.reshape(-1)]
    return out


def uncertain_benefits(ctx, matched, eligible: np.ndarray, granted) -> Said:
    """Per row: the benefits an eligible person may have but the ledger cannot confirm.

    A benefit is left out of 可享受 when its employment situation (就业状态 /
    就业形式) or its extra condition is unknown; unknown is not "no", so the
    explanation says "待核实的政策：公益性岗位补贴（台账未填“就业形式”）" (or the
    missing column, :func:`unknown_phrases`).  Returns the texts and the fields
    they name as unknown.
    """
    n = len(ctx.index)
    out = np.full(n, "", dtype=object)
    named: Unknown = {}
    if not eligible.any():
        return Said(pd.Series(out, index=ctx.index, dtype=object), named)
    parts: list[tuple[np.ndarray, str, np.ndarray]] = []
    uncertain: dict[str, np.ndarray] = {}
    # Benefits that supersede others are decided first.
    superseding = {o for b in ctx.pack.benefits for o in b.superseded_by}
    order = sorted(ctx.pack.benefits, key=lambda b: b.code not in superseding)
    for ben in order:
        rows = eligible & ~granted[ben.code]
        if ben.categories is not None:
            in_cat = np.zeros(n, dtype=bool)
            for code in ben.categories:
                if code in matched:
                    in_cat |= matched[code]
            rows &= in_cat
        if not rows.any():
            continue
        why = np.full(n, "", dtype=object)
        if ben.situations is not None:
            known_yes = ctx.situation_mask(ben.situations)
            sit = ctx.situation_unknown(ben.situations) & ~known_yes
            status_known = ctx.f["status"].notna().to_numpy()
            no_status, no_type = sit & ~status_known, sit & status_known
            why[no_status] = ctx.unknown_phrase("employment_status")[no_status]
            why[no_type] = ctx.unknown_phrase("employment_type")[no_type]
            ok = known_yes | sit
        else:
            no_status = no_type = np.zeros(n, dtype=bool)
            ok = np.ones(n, dtype=bool)
        if ben.extra is not None:
            verdict, _ = ben.extra.test(ctx)
            na = verdict.isna().to_numpy()
            why[na & (why == "")] = f"{ben.extra.label}不明"
            ok &= ~(~verdict).fillna(False).to_numpy(dtype=bool)
        take = rows & ok & (why != "")
        uncertain[ben.code] = take
        merge(named, {"employment_status": no_status & take, "employment_type": no_type & take})
        for other in ben.superseded_by:  # withheld while the benefit taking its place is unknown
            instead = rows & ok & (why == "") & uncertain.get(other, np.zeros(n, dtype=bool))
            if instead.any():
                why[instead] = f"与“{ctx.pack.benefit(other).label}”择一"
                take = take | instead
        if take.any():
            parts.append((take, ben.label, why))
    grouped: dict[int, dict[str, list[str]]] = {}
    for take, label, why in parts:
        for i in np.flatnonzero(take):
            grouped.setdefault(int(i), {}).setdefault(str(why[i]), []).append(label)
    for i, by_cause in grouped.items():
        out[i] = "待核实的政策：" + "；".join(
            f"{'、'.join(labels)}（{cause}）" for cause, labels in by_cause.items()
        )
    return Said(pd.Series(out, index=ctx.index, dtype=object), named)
