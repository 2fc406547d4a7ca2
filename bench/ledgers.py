"""Ledgers the benchmarks share: realistic, and the same for every tree compared.

``make_ledger`` writes an N-row ledger workbook (calc.synthetic people: eligible
people, households of 1–4, every column the packs read, dates in the forms
clerks type; title row, header row, xlsxwriter constant_memory).  ``sparse=True``
is the ledger of an office that records less: a few columns missing and about a
third of the optional cells blank, so many answers are 待核实.

``table_rows`` gives the same people as a 2-D list (header row first) the way
an Excel host hands a range to a worksheet function: ISO dates as Excel serials.
The caller puts the tree to use (its ``calc``) on ``sys.path``.
"""

from __future__ import annotations

import datetime as dt
import os

#: Columns an office that records less does not keep at all (sparse variant).
SPARSE_DROPPED = ("marital_status", "other_stable_income", "last_report_date", "street")
#: Columns never blanked in the sparse variant (a ledger row always has them).
KEPT = ("name", "id_number", "household_id")
SPARSE_BLANK_SHARE = 0.35
EPOCH = dt.date(1899, 12, 30)
AS_OF = "2026-11-22"


def frame(rows: int, *, sparse: bool = False, seed: int = 5):
    """The synthetic ledger as a DataFrame of canonical columns (object cells)."""
    import numpy as np
    import pandas as pd

    from calc.synthetic import ledger

    out = ledger(rows, seed=seed)
    # An office's current ledger under the benchmarks' policy (SX-2008): most people
    # registered in the province, reporting on time and not refusing posts, so that
    # many are 符合 and every explanation path runs (calc.synthetic alone: ~2 %).
    rng = np.random.default_rng(seed + 2)
    local = rng.random(rows) < 0.9
    out["registered_place"] = np.where(local, "山西省太原市", out["registered_place"].to_numpy())
    out["refused_posts"] = np.where(rng.random(rows) < 0.95, 0.0, out["refused_posts"].to_numpy())
    recent = (
        pd.Timestamp(AS_OF) - pd.to_timedelta(rng.integers(0, 150, size=rows), unit="D")
    ).strftime("%Y-%m-%d")
    on_time = rng.random(rows) < 0.9
    out["last_report_date"] = np.where(on_time, recent, out["last_report_date"].to_numpy())
    out = out.astype(object)
    if sparse:
        out = out.drop(columns=list(SPARSE_DROPPED))
        rng = np.random.default_rng(seed + 1)
        for col in out.columns:
            if col in KEPT:
                continue
            blank = rng.random(rows) < SPARSE_BLANK_SHARE
            out.loc[blank, col] = None
    return out


def make_ledger(path: str, rows: int, *, sparse: bool = False, seed: int = 5) -> None:
    """Write the ledger workbook (sheet 台账: title row, header row, ``rows`` people)."""
    import xlsxwriter

    from calc.fields import header_of

    data = frame(rows, sparse=sparse, seed=seed)
    columns = list(data.columns)
    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    ws = wb.add_worksheet("台账")
    head = wb.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7"})
    kind = "稀疏" if sparse else "完整"
    ws.write_string(0, 0, f"就业援助对象台账（基准测试，{rows}人，{kind}）")
    ws.write_string(1, 0, "序号", head)
    for c, name in enumerate(columns, start=1):
        ws.write_string(1, c, header_of(name), head)
    values = [data[c].tolist() for c in columns]
    for i in range(rows):
        r = i + 2
        ws.write_number(r, 0, i + 1)
        for c, col in enumerate(values, start=1):
            v = col[i]
            if v is None or v == "" or v != v:  # None, blank, NaN
                continue
            if isinstance(v, float | int):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, str(v))
    wb.close()


def _serial(v):
    if isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[7] == "-":
        try:
            return float((dt.date.fromisoformat(v) - EPOCH).days)
        except ValueError:
            return v
    return v


def table_rows(rows: int, *, sparse: bool = False, seed: int = 5) -> list[list]:
    """Header row + data rows as a host passes a range (ISO dates → Excel serials)."""
    from calc.fields import header_of

    data = frame(rows, sparse=sparse, seed=seed)
    columns = list(data.columns)
    dated = [c.endswith("_date") for c in columns]
    body = []
    for row in data.itertuples(index=False, name=None):
        out = []
        for v, is_date in zip(row, dated, strict=True):
            if v is None or (isinstance(v, float) and v != v):
                out.append(None)
            else:
                out.append(_serial(v) if is_date else v)
        body.append(out)
    return [[header_of(c) for c in columns], *body]


def ledger_file(directory: str, rows: int, *, sparse: bool = False) -> str:
    """Path of the ledger in ``directory``, generated when not there yet."""
    name = f"台账_{rows}{'_稀疏' if sparse else ''}.xlsx"
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        make_ledger(path, rows, sparse=sparse)
    return path
