"""Worksheet functions through the xlwings Office.js protocol (no Excel needed).

1. JY_ASSESS over a whole ledger (default 100,000 rows) in one call:
   ``xlwings.server.custom_functions_call`` with the ledger as a 2-D list,
   dates as Excel serials — what xlwings Lite / Server receive.
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
import random
import sys
import time
from pathlib import Path

os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import xlwings as xw  # noqa: E402
import xlwings.server as xs  # noqa: E402

from xl_addin import functions as fn  # noqa: E402

if not hasattr(fn.jy_id, "__xlfunc__"):  # imported earlier without server mode
    import importlib

    fn = importlib.reload(fn)

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
HEADERS = [
    "姓名",
    "公民身份号码",
    "性别",
    "户籍性质",
    "原单位性质",
    "就业状态",
    "就业形式",
    "失业登记日期",
    "初次核定日期",
    "劳动能力",
    "就业愿望",
    "家庭编号",
    "最近申报日期",
    "就业日期",
    "享受低保",
    "地方确定其他",
    "社区",
]
EPOCH = dt.date(1899, 12, 30)


def serial(d: dt.date) -> float:
    return float((d - EPOCH).days)


def make_id(rng: random.Random) -> tuple[str, str, dt.date]:
    birth = dt.date(1966, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 38))
    seq = rng.randrange(0, 1000)
    body = f"140105{birth:%Y%m%d}{seq:03d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]
    return body + check, ("男" if seq % 2 else "女"), birth


def ledger(n: int, seed: int = 7) -> list[list]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        id_number, sex, _ = make_id(rng)
        employed = rng.random() < 0.3
        reg = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(0, 900))
        rows.append(
            [
                f"人员{i}",
                id_number,
                sex,
                "城镇" if rng.random() < 0.9 else "农村",
                rng.choice(["国有企业", "集体企业", "私营企业"]),
                "已就业" if employed else "失业",
                rng.choice(["公益性岗位", "灵活就业", "企业吸纳"]) if employed else None,
                serial(reg),
                serial(reg + dt.timedelta(days=20)),
                "是",
                "是",
                f"H{i // 2:06d}",
                serial(dt.date(2026, 5, 1)),
                serial(reg + dt.timedelta(days=100)) if employed else None,
                rng.choice(["是", "否"]),
                "否",
                rng.choice(["桥头社区", "新建社区", "柳巷社区"]),
            ]
        )
    return rows


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


def bench_assess(n: int, as_of: float) -> None:
    table = [HEADERS, *ledger(n)]
    seconds, out = timed(lambda: call("jy_assess", "SX-2008", table, as_of, None))
    assert len(out) == n + 1 and out[0][0] == "认定类别", out[:2]
    eligible = sum(1 for r in out[1:] if r[2] is True)
    print(
        f"JY_ASSESS 整本台账 {n:,} 行，一次调用（xlwings 协议）：{seconds:.2f} 秒，"
        f"{n / seconds:,.0f} 行/秒；符合 {eligible:,} 人"
    )


def bench_ratio(n: int, as_of: float, sample: int) -> list[float]:
    rows = ledger(n, seed=11)
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

    head = [HEADERS]
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
    args = parser.parse_args(argv)
    as_of = serial(dt.date(2026, 6, 30))
    bench_assess(args.rows, as_of)
    ratios = bench_ratio(args.ratio_rows, as_of, args.sample)
    goal = 50
    verdict = "达到" if min(ratios) >= goal else "未达到"
    print(f"整列/逐行最小倍数 {min(ratios):,.0f}×（目标 ≥ {goal}×）：{verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
