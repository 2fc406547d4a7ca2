"""Worksheet functions through the xlwings Office.js protocol (no Excel needed).

1. JY_ASSESS over a whole ledger (default 100,000 rows) in one call:
   ``xlwings.server.custom_functions_call`` with the ledger as a 2-D list,
   dates as Excel serials — what xlwings Lite / Server receive.  The ledger is
   bench/ledgers.py's (eligible people, households, every column the packs
   read; ``--sparse`` for the sparse one).  Goal: < 5 s CPU at 100,000 rows.
   Then one JY_CATEGORY call for one row (a clerk editing one cell), median
   of 30 calls; goal ≤ 20 ms.
2. One whole-column call against one call per row (default 10,000 rows), for
   JY_AGE and JY_ID_CHECK (every row called) and JY_ELIGIBLE (per-row time
   measured on a sample of rows and scaled, marked "估算"); goal ≥ 50×.

    python bench/bench_functions.py                 # 100,000 / 10,000 rows
    python bench/bench_functions.py --rows 500 --ratio-rows 500
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import time
from pathlib import Path

os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import xlwings as xw  # noqa: E402
import xlwings.server as xs  # noqa: E402
from ledgers import table_rows  # noqa: E402

from xl_addin import functions as fn  # noqa: E402

if not hasattr(fn.jy_id, "__xlfunc__"):  # imported earlier without server mode
    import importlib

    fn = importlib.reload(fn)

EPOCH = dt.date(1899, 12, 30)


def serial(d: dt.date) -> float:
    return float((d - EPOCH).days)


def payload(name: str, *args) -> dict:
    return {
        "func_name": name,
        "args": list(args),
        "caller_address": "Sheet1!A1",
        "version": xw.__version__,
        "runtime": "1.4",
        "client": "Office.js",
        "date_format": "yyyy-mm-dd",
    }


async def call(name: str, *args):
    return await xs.custom_functions_call(payload(name, *args), fn)


def timed(coro_factory, repeat: int = 1) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = asyncio.run(coro_factory())
        best = min(best, time.perf_counter() - t0)
    return best, result


def _cpu() -> float:
    return time.process_time()


def bench_assess(n: int, as_of: float, sparse: bool = False) -> None:
    table = table_rows(n, sparse=sparse)
    t0 = _cpu()
    seconds, out = timed(lambda: call("jy_assess", "SX-2008", table, as_of, None))
    cpu = _cpu() - t0
    assert len(out) == n + 1 and out[0][0] == "认定类别", out[:2]
    eligible = sum(1 for r in out[1:] if r[2] is True)
    goal = 5.0 * n / 100_000
    print(
        f"JY_ASSESS 整本台账 {n:,} 行，一次调用（xlwings 协议）：{seconds:.2f} 秒（CPU {cpu:.2f} 秒），"
        f"{n / seconds:,.0f} 行/秒；符合 {eligible:,} 人；"
        + (
            f"目标 CPU < 5 秒：{'达到' if cpu < goal else '未达到'}"
            if n >= 100_000
            else f"目标按 10 万行 5 秒计（本次行数少，起步开销占比大，仅供参考：{cpu:.2f}/{goal:.2f} 秒）"
        )
    )
    head = table[:1]
    asyncio.run(call("jy_category", "SX-2008", head, [table[1]], as_of, None))  # warm
    singles = []
    for row in table[2:32]:
        t0 = _cpu()
        asyncio.run(call("jy_category", "SX-2008", head, [row], as_of, None))
        singles.append(_cpu() - t0)
    ms = sorted(singles)[len(singles) // 2] * 1000
    print(
        f"JY_CATEGORY 一行一次（中位数）：{ms:.1f} 毫秒 CPU；目标 ≤ 20 毫秒：{'达到' if ms <= 20 else '未达到'}"
    )


def bench_ratio(n: int, as_of: float, sample: int) -> list[float]:
    table = table_rows(n, seed=11)
    rows = table[1:]
    ids = [[r[1]] for r in rows]
    ratios = []

    for name, args_for in (
        ("jy_age", lambda col: (col, as_of)),
        ("jy_id_check", lambda col: (col,)),
    ):
        whole, out = timed(lambda name=name, args_for=args_for: call(name, *args_for(ids)), 3)
        assert len(out) == n

        async def per_row(name=name, args_for=args_for):
            return [await call(name, *args_for([cell])) for cell in ids]

        single, out_rows = timed(per_row)
        assert [r[0] for r in out_rows] == out, f"{name}: per-row and column answers differ"
        ratios.append(single / whole)
        print(
            f"{name.upper()} {n:,} 行：整列一次 {whole * 1000:.1f} 毫秒；逐行 {n:,} 次 "
            f"{single:.2f} 秒；倍数 {single / whole:,.0f}×"
        )

    head = table[:1]
    whole, out = timed(lambda: call("jy_eligible", "SX-2008", head, rows, as_of, None), 3)
    assert len(out) == n
    k = min(sample, n)

    async def per_row_sample():
        return [await call("jy_eligible", "SX-2008", head, [r], as_of, None) for r in rows[:k]]

    part, _ = timed(per_row_sample)
    single = part / k * n
    ratios.append(single / whole)
    print(
        f"JY_ELIGIBLE {n:,} 行：整列一次 {whole:.2f} 秒；逐行 {n:,} 次约 {single:.1f} 秒"
        f"（按 {k} 行实测估算）；倍数约 {single / whole:,.0f}×"
    )
    return ratios


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="工作表函数基准（xlwings Office.js 协议）")
    parser.add_argument("--rows", type=int, default=100_000, help="JY_ASSESS 的台账行数")
    parser.add_argument("--ratio-rows", type=int, default=10_000, help="整列与逐行对比的行数")
    parser.add_argument("--sample", type=int, default=200, help="JY_ELIGIBLE 逐行实测的行数")
    parser.add_argument("--sparse", action="store_true", help="稀疏台账（少列、约三分之一空格）")
    args = parser.parse_args(argv)
    as_of = serial(dt.date(2026, 11, 22))
    bench_assess(args.rows, as_of, args.sparse)
    ratios = bench_ratio(args.ratio_rows, as_of, args.sample)
    goal = 50
    verdict = "达到" if min(ratios) >= goal else "未达到"
    print(f"整列/逐行最小倍数 {min(ratios):,.0f}×（目标 ≥ {goal}×）：{verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
