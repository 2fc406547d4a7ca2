"""Why a condition is 待核实: a missing column, a blank cell or an unreadable one.

The rules say "台账未填“失业登记日期”" when a value they need is unknown.  That
is true for a blank cell, but misleading when the ledger has no such column
(the clerk should add or map one) or when the cell holds something
unreadable (#N/A, an uncalculated formula, a date after the assessment date:
the clerk should correct it).  :func:`explain_causes` rewrites those phrases
from :class:`calc.normalize.Persons`' availability map, and
:func:`count_causes` counts the 待核实 rows by cause for the run summary
("缺少列“失业登记日期”：30人").
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from calc import fields
from calc.normalize import Persons

UNFILLED = re.compile(r"台账未填“([^”]+)”")
NO_COLUMN = "台账无“{h}”列（可在“字段对照”中指定）"
BAD_CELL = "“{h}”单元格有误（见数据问题）"
_NO_COLUMN_RE = re.compile(r"台账无“([^”]+)”列")
_BAD_CELL_RE = re.compile(r"“([^”]+)”单元格有误")

_BY_HEADER = {f.header: name for name, f in fields.FIELDS.items()}


def explain_causes(explanation: np.ndarray, persons: Persons) -> np.ndarray:
    """The explanations with "台账未填“X”" made exact where X is absent or unreadable."""
    if len(explanation) == 0:
        return explanation
    absent = persons.absent
    unreadable = persons.unreadable
    if not absent and not unreadable:
        return explanation
    texts = explanation.astype(object)
    has = np.fromiter(
        ("台账未填" in t if isinstance(t, str) else False for t in texts.tolist()),
        dtype=bool,
        count=len(texts),
    )
    if not has.any():
        return explanation
    out = texts.copy()
    cache: dict[tuple[str, frozenset], str] = {}
    bad_fields = [(h, unreadable[f]) for h, f in _BY_HEADER.items() if f in unreadable]
    for i in np.flatnonzero(has):
        bad_here = frozenset(h for h, mask in bad_fields if mask[i])
        key = (texts[i], bad_here)
        if key not in cache:

            def repl(m: re.Match, bad_here=bad_here) -> str:
                header = m.group(1)
                name = _BY_HEADER.get(header)
                if name in absent:
                    return NO_COLUMN.format(h=header)
                if header in bad_here:
                    return BAD_CELL.format(h=header)
                return m.group(0)

            cache[key] = UNFILLED.sub(repl, texts[i])
        out[i] = cache[key]
    return out


def count_causes(explanations, statuses, uncertain: str = "待核实") -> dict[str, int]:
    """People per cause among the 待核实 rows, most frequent first.

    Causes: "缺少列“X”", "“X”有误" (unreadable or impossible), "未填“X”".  A row counts once per cause.
    """
    counts: Counter[str] = Counter()
    for text, status in zip(explanations, statuses, strict=True):
        if status != uncertain or not isinstance(text, str):
            continue
        causes = {f"缺少列“{h}”" for h in _NO_COLUMN_RE.findall(text)}
        causes |= {f"“{h}”有误" for h in _BAD_CELL_RE.findall(text)}
        causes |= {f"未填“{h}”" for h in UNFILLED.findall(text)}
        counts.update(causes)
    return dict(counts.most_common())


def situation_unknown(ctx, situations) -> np.ndarray:
    """Rows where the ledger cannot tell whether the person is in one of ``situations``."""
    status = ctx.f["status"]
    etype = ctx.f["etype"]
    etypes = [s for s in situations if s != "unemployed"]
    unknown = status.isna().to_numpy().copy()
    if etypes:
        unknown |= ((status == "employed") & etype.isna()).fillna(False).to_numpy(dtype=bool)
    return unknown


def uncertain_benefits(ctx, matched, eligible: np.ndarray, granted) -> np.ndarray:
    """Per row: the benefits an eligible person may have but the ledger cannot confirm.

    A benefit is left out of 可享受 when its employment situation (就业状态 /
    就业形式) or its extra condition is unknown; unknown is not "no", so the
    explanation says "待核实的政策：公益性岗位补贴（台账未填“就业形式”）" and
    :func:`explain_causes` turns that into the missing column where it is one.
    """
    n = len(ctx.index)
    out = np.full(n, "", dtype=object)
    if not eligible.any():
        return out
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
            known_yes = ctx.situation_mask(ben.situations).to_numpy(dtype=bool)
            sit = situation_unknown(ctx, ben.situations) & ~known_yes
            status_known = ctx.f["status"].notna().to_numpy()
            why[sit & ~status_known] = "台账未填“就业状态”"
            why[sit & status_known] = "台账未填“就业形式”"
            ok = known_yes | sit
        else:
            ok = np.ones(n, dtype=bool)
        if ben.extra is not None:
            verdict, _ = ben.extra.test(ctx)
            na = verdict.isna().to_numpy()
            why[na & (why == "")] = f"{ben.extra.label}不明"
            ok &= ~(~verdict).fillna(False).to_numpy(dtype=bool)
        take = rows & ok & (why != "")
        uncertain[ben.code] = take
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
    return out
