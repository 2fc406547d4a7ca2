"""Benchmark of the rules engine (calc/): whole-ledger path vs the one-person entry point.

Generates a synthetic ledger of N people (default 1,000,000), normalises it
once, assesses it under each policy, and prints rows per second — without
and with the explanation texts.  Then times ``assess_person`` in a loop on a
sample and prints the ratio (goal: the vectorised path ≥ 50× faster).

    python bench/bench_calc.py [--rows 1000000] [--sample 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calc.assess import assess_person, run_ledger  # noqa: E402
from calc.normalize import normalise  # noqa: E402
from calc.policies import PACKS  # noqa: E402
from calc.synthetic import ledger  # noqa: E402

ON = dt.date(2026, 11, 22)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=200, help="people assessed one by one")
    parser.add_argument(
        "--explain-rows", type=int, default=None, help="rows for the run with explanations"
    )
    args = parser.parse_args(argv)

    t = time.perf_counter()
    raw = ledger(args.rows, seed=1)
    print(f"生成台账 {args.rows:,} 行：{time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    persons = normalise(raw)
    t_norm = time.perf_counter() - t
    print(f"数据规范化（身份证、日期等，一次）：{t_norm:.2f} s，{args.rows / t_norm:,.0f} 行/秒")

    for code in PACKS:
        t = time.perf_counter()
        run_ledger(code, persons, ON, explain=False)
        t_rules = time.perf_counter() - t
        total = t_norm + t_rules
        print(
            f"{code}: 规则 {t_rules:.2f} s；含规范化 {total:.2f} s，{args.rows / total:,.0f} 行/秒"
        )

    explain_rows = args.explain_rows or min(args.rows, 200_000)
    small = raw.iloc[:explain_rows]
    t = time.perf_counter()
    run_ledger("AH-2011", small, ON, explain=True)
    t_explain = time.perf_counter() - t
    print(
        f"AH-2011 含逐条依据说明 {explain_rows:,} 行：{t_explain:.2f} s，{explain_rows / t_explain:,.0f} 行/秒"
    )

    sample = raw.iloc[: args.sample]
    people = [
        {k: v for k, v in row.items() if v is not None} for row in sample.to_dict(orient="records")
    ]
    t = time.perf_counter()
    for p in people:
        assess_person("AH-2011", p, ON)
    per_person = (time.perf_counter() - t) / len(people)
    t = time.perf_counter()
    run_ledger("AH-2011", sample, ON, explain=True)
    vector_same = (time.perf_counter() - t) / len(people)
    vector_big = t_explain / explain_rows
    print(f"逐人调用：{per_person * 1000:.1f} ms/人")
    print(
        f"整表调用（同 {len(people)} 人）：{vector_same * 1000:.3f} ms/人，倍数 {per_person / vector_same:,.0f}×"
    )
    print(
        f"整表调用（{explain_rows:,} 行含说明）：{vector_big * 1000:.4f} ms/人，倍数 {per_person / vector_big:,.0f}×（目标 ≥ 50×）"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"峰值内存：{peak:,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
