"""Benchmark the roll-up of many ledgers (``jyyz report``) against filling the same rows.

Generates ``--ledgers`` ledgers (calc.synthetic people, as bench_fill makes
them) holding ``--rows`` people in all, runs ``jyyz report`` over the folder
in a child process, and ``jyyz fill`` over one ledger of the same number of
rows in another; prints wall and CPU seconds of both and the peak memory of
the report's whole process tree (main process and reading workers, sampled
from /proc).  Goal: the roll-up of 1,000 ledgers / 1,000,000 persons in at most
2× the time of filling the same rows, within 2.5 GB.

    python bench/bench_report.py                          # 100 ledgers, 100,000 persons
    python bench/bench_report.py --rows 1000000           # 1,000 ledgers
    python bench/bench_report.py --rows 20000 --ledgers 20

Beyond :data:`FILL_ROWS_MAX` rows (``--fill-rows`` lowers it) the fill side is
timed on that many rows and scaled.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

GOAL_RATIO = 2.0
GOAL_MB = 2560
#: One sheet holds at most Excel's last row: beyond it the fill is timed on this many
#: rows and scaled by the row count (fill's time is linear in the rows), and says so.
FILL_ROWS_MAX = 1_048_576


def _tree_rss_mb(pid: int) -> float:
    """RSS of ``pid`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def run(cmd: list[str]) -> tuple[float, float, float]:
    """(wall s, CPU s, peak tree RSS MB) of a child command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0.0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_mb(proc.pid))
            time.sleep(0.2)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    _, err = proc.communicate()
    watcher.join()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} 失败：{err.decode(errors='replace')[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, peak[0]


def main(argv: list[str] | None = None) -> int:
    from bench.bench_fill import make_ledger

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=100_000, help="人数合计（默认 100000）")
    ap.add_argument("--ledgers", type=int, help="台账本数（默认 人数/1000，至多 1000）")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument(
        "--fill-rows",
        type=int,
        help="jyyz fill 只测这么多行、按行数线性推算（默认 人数与 FILL_ROWS_MAX 中较小者）",
    )
    args = ap.parse_args(argv)
    ledgers = args.ledgers or max(2, min(1000, args.rows // 1000))
    per = max(1, args.rows // ledgers)
    fill_rows = min(args.fill_rows or per * ledgers, FILL_ROWS_MAX, per * ledgers)
    with tempfile.TemporaryDirectory(prefix="jyyz-bench-report-") as tmp:
        folder = os.path.join(tmp, "台账")
        os.mkdir(folder)
        t0 = time.perf_counter()
        for k in range(ledgers):
            make_ledger(os.path.join(folder, f"台账{k:04d}.xlsx"), per, seed=k + 1)
        one = os.path.join(tmp, "一本.xlsx")
        make_ledger(one, fill_rows, seed=7)
        made = time.perf_counter() - t0
        py = sys.executable
        report = [py, "-m", "xl_addin.cli", "report", folder, "--policy", "SX-2008", "--quarter", "2026Q3"]  # fmt: skip
        report += ["-o", os.path.join(tmp, "统计报表.xlsx"), "--no-paper", "--workers", str(args.workers)]  # fmt: skip
        fill = [py, "-m", "xl_addin.cli", "fill", one, "--policy", "SX-2008", "--as-of", "2026-09-30"]  # fmt: skip
        fill += ["-o", os.path.join(tmp, "已填写.xlsx")]
        print(f"台账 {ledgers} 本 × {per} 人 = {ledgers * per} 人（生成用时 {made:.0f} 秒）")
        r_wall, r_cpu, r_mb = run(report)
        print(f"jyyz report：{r_wall:.1f} 秒（CPU {r_cpu:.1f} 秒，{args.workers} 个进程），峰值内存 {r_mb:.0f} MB")  # fmt: skip
        print(
            f"  每本台账 CPU {1000 * r_cpu / ledgers:.0f} 毫秒（读取、认定、汇总合计）", flush=True
        )
        f_wall, f_cpu, f_mb = run(fill)
    scale = per * ledgers / fill_rows
    f_wall, f_cpu = f_wall * scale, f_cpu * scale
    ratio = r_wall / f_wall
    how = "同样行数" if scale == 1 else f"{fill_rows} 行实测、按 {per * ledgers} 行推算"
    print(f"jyyz fill（{how}）：{f_wall:.1f} 秒（CPU {f_cpu:.1f} 秒），峰值内存 {f_mb:.0f} MB")
    held = ratio <= GOAL_RATIO and r_mb <= GOAL_MB
    print(
        f"报表/填写 用时比 {ratio:.2f}（目标 ≤ {GOAL_RATIO}），内存目标 ≤ {GOAL_MB} MB："
        + ("达到" if held else "未达到")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
