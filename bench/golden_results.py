"""Digests of the result columns on fixed ledgers: the golden that says "no result changed".

For each case — the bundled sample workbooks (what ``jyyz fill`` writes into
them: ``xl_addin.jobs.result_columns``) and synthetic ledgers (bench/ledgers.py,
complete, sparse, and with 原退休年龄 for some women) under every policy —
the cell values of every result column are hashed: a SHA-256 per column and
a short hash per row (so a difference names its first row).

The golden in tests/golden/result_digests.json was made by running the base
commit's code (the commit named in the file) through this script:

    git archive d7e03b2 | tar -x -C /tmp/base
    python bench/golden_results.py --tree /tmp/base > tests/golden/result_digests.json

tests/test_results_unchanged.py recomputes the digests with the current code.
A sample workbook whose input changed (regenerated) is compared only when its
input digest still matches; the synthetic ledgers always are.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

AS_OF = dt.date(2026, 11, 22)
ROWS = 1500
POLICIES = ("JS-2002", "SX-2008", "GS-2003", "LYG-2003", "AH-2011")
VARIANTS = ("complete", "sparse", "original_age")


def _cell(v) -> str:
    """A value's text with its type, so 1 and "1", None and "" differ."""
    import pandas as pd

    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return "None"
    if isinstance(v, dt.datetime | pd.Timestamp):
        return "ts:" + pd.Timestamp(v).isoformat()
    if isinstance(v, dt.date):
        return "date:" + v.isoformat()
    return f"{type(v).__name__}:{v}"


def digest(columns: dict[str, list]) -> dict:
    names = sorted(columns)
    n = len(columns[names[0]]) if names else 0
    per_column = {
        name: hashlib.sha256("\x1f".join(_cell(v) for v in columns[name]).encode()).hexdigest()
        for name in names
    }
    rows = [
        hashlib.sha256("\x1f".join(_cell(columns[c][i]) for c in names).encode()).hexdigest()[:10]
        for i in range(n)
    ]
    return {"columns": per_column, "rows": rows}


def synthetic_frame(variant: str, rows: int = ROWS):
    import numpy as np

    sys.path.insert(0, HERE)
    from ledgers import frame

    out = frame(rows, sparse=variant == "sparse", seed=3)
    if variant == "original_age":
        rng = np.random.default_rng(4)
        pick = rng.random(rows)
        out["original_retirement_age"] = np.where(
            pick < 0.3, 50.0, np.where(pick < 0.6, 55.0, None)
        )
        out["original_retirement_age"] = out["original_retirement_age"].astype(object)
    return out


def synthetic_cases() -> dict[str, dict]:
    from calc.assess import run_ledger

    out = {}
    for variant in VARIANTS:
        raw = synthetic_frame(variant)
        for policy in POLICIES:
            res = run_ledger(policy, raw, AS_OF).results
            out[f"synthetic/{variant}/{policy}"] = digest({c: res[c].tolist() for c in res.columns})
    return out


def sample_cases() -> dict[str, dict]:
    from workbooks import SAMPLE_POLICIES, sample_path
    from xl_addin import jobs

    out = {}
    for policy in SAMPLE_POLICIES:
        path = sample_path(policy)
        if not path.exists():
            continue
        with open(path, "rb") as fh:
            source = hashlib.sha256(fh.read()).hexdigest()
        a = jobs.assess_workbook(path, policy, AS_OF.isoformat())
        _, _, _, values = jobs.result_columns(a)
        out[f"sample/{path.name}"] = {"input": source, **digest(dict(values))}
    return out


def all_cases() -> dict[str, dict]:
    return {**synthetic_cases(), **sample_cases()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tree", default=ROOT, help="源码目录（默认当前工作树）")
    ap.add_argument("--rev", default="d7e03b2", help="写入结果的提交说明")
    args = ap.parse_args(argv)
    tree = os.path.abspath(args.tree)
    while ROOT in sys.path:
        sys.path.remove(ROOT)
    sys.path.insert(0, tree)
    import calc

    assert calc.__file__.startswith(tree), calc.__file__
    cases = all_cases()
    json.dump(
        {"made_by": args.rev, "as_of": AS_OF.isoformat(), "rows": ROWS, "cases": cases},
        sys.stdout,
        ensure_ascii=False,
        indent=0,
        sort_keys=True,
    )
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
