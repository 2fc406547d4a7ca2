"""Finding the header row of a ledger, merged and two-row headers included."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

try:
    import python_calamine as pc
except ImportError:  # pragma: no cover - xlwings Lite without calamine: only find_table is used
    pc = None

from calc.fields import (
    HeaderMap,
    map_headers,
    match_header,
)
from xl_addin.ledger_read.opening import HEADER_SCAN_ROWS, _is_blank, _text

# --------------------------------------------------------------------------- header detection


@dataclass
class _HeaderGuess:
    score: int
    rows: tuple[int, ...]  # 0-based row indexes
    texts: list[str]
    hmap: HeaderMap


def _fill_merges(
    grid: dict[int, list[Any]], merges: Iterable, top: int, width: int
) -> dict[int, list[Any]]:
    """Fill the non-anchor cells of merges anchored at or above ``top``.

    calamine gives ``""`` for the hidden cells of a merge.  In a two-row header
    a group label in the upper row spans several columns and a single-row
    label (“出生日期”) spans both rows; both must reach every column/row they
    cover.  Merges anchored in the lower row are not spread sideways, so one
    header merged across two columns does not become two columns.
    """
    out = {r: list(v) for r, v in grid.items()}
    for (r0, c0), (r1, c1) in merges:
        if r0 > top:
            continue
        anchor_row = grid.get(r0)
        if anchor_row is None or c0 >= len(anchor_row):
            continue
        value = anchor_row[c0]
        if _is_blank(value):
            continue
        for r in out:
            if r0 <= r <= r1:
                row = out[r]
                for c in range(c0, min(c1, width - 1) + 1):
                    if _is_blank(row[c]):
                        row[c] = value
    return out


def _looks_like_header_row(row: Sequence[Any]) -> bool:
    """A row that could be the lower row of a two-row header: text only, no data values."""
    for v in row:
        if _is_blank(v):
            continue
        if not isinstance(v, str):
            return False
        s = v.strip()
        if s.isdigit() and len(s) >= 6:
            return False
    return True


def _combine(
    upper: Sequence[Any], lower: Sequence[Any], aliases: dict[str, str] | None = None
) -> list[str]:
    texts = []
    for up, lo in zip(upper, lower, strict=True):
        u, lw = _text(up), _text(lo)
        if lw and match_header(lw, aliases):
            texts.append(lw)
        elif u and match_header(u, aliases):
            texts.append(u)
        elif u and lw and u != lw:
            if match_header(u + lw, aliases):
                texts.append(u + lw)
            elif match_header(lw + u, aliases):
                texts.append(lw + u)
            else:
                texts.append(f"{u}{lw}")
        else:
            texts.append(lw or u)
    return texts


def _guess_header(
    rows: list[list[Any]], merges: list, aliases: dict[str, str] | None = None
) -> _HeaderGuess | None:
    n = min(len(rows), HEADER_SCAN_ROWS)
    if n == 0:
        return None
    width = len(rows[0])
    candidates: list[_HeaderGuess] = []
    for i in range(n):
        texts = [_text(v) for v in rows[i]]
        hmap = map_headers(texts, aliases)
        candidates.append(_HeaderGuess(len(hmap.columns), (i,), texts, hmap))
    for i in range(n - 1):
        if i + 1 >= len(rows) or not _looks_like_header_row(rows[i + 1]):
            continue
        if all(_is_blank(v) for v in rows[i]) or all(_is_blank(v) for v in rows[i + 1]):
            continue
        grid = _fill_merges({i: rows[i], i + 1: rows[i + 1]}, merges, i, width)
        texts = _combine(grid[i], grid[i + 1], aliases)
        hmap = map_headers(texts, aliases)
        candidates.append(_HeaderGuess(len(hmap.columns), (i, i + 1), texts, hmap))
    # Most fields first; on a tie the single row, then the earlier one.
    best = max(candidates, key=lambda g: (g.score, -len(g.rows), -g.rows[0]))
    if best.score == 0:
        return None
    if len(best.rows) == 1:
        best = _merged_from_above(best, rows, merges, aliases)
    return best


def _merged_from_above(
    guess: _HeaderGuess, rows: list[list[Any]], merges: list, aliases: dict[str, str] | None
) -> _HeaderGuess:
    """Header cells left empty because a header above is merged down over them
    (序号 or 备注 merged over a two-row header): their text is the merge's."""
    i = guess.rows[0]
    texts = list(guess.texts)
    changed = False
    for (r0, c0), (r1, c1) in merges:
        if not r0 < i <= r1 or r0 >= len(rows):
            continue
        value = _text(rows[r0][c0]) if c0 < len(rows[r0]) else ""
        for c in range(c0, min(c1, len(texts) - 1) + 1):
            if value and not texts[c]:
                texts[c] = value
                changed = True
    if not changed:
        return guess
    hmap = map_headers(texts, aliases)
    return _HeaderGuess(len(hmap.columns), guess.rows, texts, hmap)
