"""Benchmark ``jyyz fill`` on a generated ledger.

Generates an N-row ledger (calc.synthetic people, ~30 columns with Chinese
headers under a title row, xlsxwriter constant_memory), then runs
:func:`xl_addin.jobs.fill` in a child process and prints seconds, rows/s and
peak RSS (``ru_maxrss`` of the child, and of this process).  ``--baseline``
also times the openpyxl round trip (load, write 8 columns, save) in another
child process and prints the speed ratio (CPU time of each child: the machine
is shared).  Goals: 100,000 rows at least 8× faster than the openpyxl round
trip (load, 8 columns, save) in ≤ 1 GB; 1,000,000 rows in ≤ 2.5 GB peak RSS
(an 8 GB office PC with Excel open) and ≤ 90 s.  ``--sparse``: the sparse
ledger (bench/ledgers.py).  Per-phase figures against an earlier commit:
bench/bench_regress.py.

    python bench/bench_fill.py                     # 100,000 rows
    python bench/bench_fill.py --rows 2000 --baseline
    python bench/bench_fill.py --rows 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))

AS_OF = "2026-11-22"
GOAL_RATIO = 8.0
GOAL_MB_100K = 1024
GOAL_MB_1M = 2560
GOAL_S_1M = 90


def _rss_mb(who: int) -> float:
    ru = resource.getrusage(who).ru_maxrss
    return ru / 1024 if sys.platform != "darwin" else ru / (1024 * 1024)


def make_ledger(path: str, rows: int, seed: int = 5, *, sparse: bool = False) -> None:
    """The shared realistic ledger (bench/ledgers.py; ``sparse``: the sparse variant)."""
    from ledgers import make_ledger as make

    make(path, rows, sparse=sparse, seed=seed)


_FILL_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
from xl_addin import jobs
r = jobs.fill({src!r}, out={dst!r}, policy="SX-2008", as_of={as_of!r})
secs = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_SELF)
cpu = ru.ru_utime + ru.ru_stime
# Worker threads count in RUSAGE_SELF; a subprocess of fill (there is none today) would not.
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
          resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({{"seconds": secs, "cpu": cpu, "maxrss_kb": rss, "people": r.summary.people,
                  "eligible": r.summary.eligible}}))
"""

_BASELINE_CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
import openpyxl
wb = openpyxl.load_workbook({src!r})
ws = wb["台账"]
first = ws.max_column + 1
for r in range(3, ws.max_row + 1):
    for k in range(8):
        ws.cell(row=r, column=first + k, value="符合" if (r + k) % 3 else "不符合")
wb.save({dst!r})
secs = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({{"seconds": secs, "cpu": ru.ru_utime + ru.ru_stime, "maxrss_kb": ru.ru_maxrss}}))
"""


def _child(code: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    if out.returncode != 0:
        raise SystemExit(f"child failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _mb(kb: float) -> float:
    return kb / 1024 if sys.platform != "darwin" else kb / (1024 * 1024)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="jyyz fill 基准测试")
    ap.add_argument("--rows", type=int, default=100_000, help="台账行数（默认 100000）")
    ap.add_argument("--baseline", action="store_true", help="同时测 openpyxl 读写往返并给出倍数")
    ap.add_argument("--keep", help="保留生成文件的目录")
    ap.add_argument("--sparse", action="store_true", help="稀疏台账（少列、约三分之一空格）")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        d = args.keep or tmp
        src = os.path.join(d, f"台账_{args.rows}.xlsx")
        dst = os.path.join(d, f"台账_{args.rows}.已填写.xlsx")
        t0 = time.perf_counter()
        make_ledger(src, args.rows, sparse=args.sparse)
        gen = time.perf_counter() - t0
        size = os.path.getsize(src) / 1e6
        print(f"generated {args.rows:,} rows ({size:.1f} MB) in {gen:.1f} s")

        r = _child(_FILL_CHILD.format(root=ROOT, src=src, dst=dst, as_of=AS_OF))
        fill_s, fill_mb, fill_cpu = r["seconds"], _mb(r["maxrss_kb"]), r["cpu"]
        print(
            f"jyyz fill:   {fill_s:8.2f} s ({fill_cpu:.2f} s CPU)  {args.rows / fill_s:10,.0f} rows/s  "
            f"peak RSS {fill_mb:7.0f} MB  ({r['people']:,} people, {r['eligible']:,} eligible)"
        )
        if args.rows >= 1_000_000:
            ok = fill_s <= GOAL_S_1M and fill_mb <= GOAL_MB_1M
            print(f"goal 1M rows ≤ {GOAL_S_1M} s, ≤ {GOAL_MB_1M} MB: {'met' if ok else 'NOT met'}")
        elif args.rows >= 100_000:
            ok = fill_mb <= GOAL_MB_100K
            print(f"goal ≤ {GOAL_MB_100K} MB: {'met' if ok else 'NOT met'}")
        if args.baseline:
            b = _child(_BASELINE_CHILD.format(src=src, dst=dst + ".openpyxl.xlsx"))
            base_s, base_mb = b["seconds"], _mb(b["maxrss_kb"])
            ratio = b["cpu"] / fill_cpu if fill_cpu else float("inf")
            print(
                f"openpyxl:    {base_s:8.2f} s ({b['cpu']:.2f} s CPU)  {args.rows / base_s:10,.0f} rows/s  "
                f"peak RSS {base_mb:7.0f} MB  (load + 8 columns + save)"
            )
            verdict = "met" if ratio >= GOAL_RATIO else "NOT met"
            print(f"ratio (CPU): {ratio:.1f}x faster (goal ≥ {GOAL_RATIO:.0f}x): {verdict}")
        print(
            f"peak RSS: this process {_rss_mb(resource.RUSAGE_SELF):.0f} MB, "
            f"children {_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
