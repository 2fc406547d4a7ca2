"""Run every benchmark in bench/ with small defaults (``make bench``).

Each ``bench/bench_*.py`` is run in its own process with ``--rows`` set to a
small size (``--rows N`` here overrides it) and ``--baseline`` when the
script offers it, so the whole suite takes a minute or two; run a script by
itself for the full-size figures (e.g. ``python bench/bench_fill.py``).
"""

from __future__ import annotations

import argparse
import glob
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def _accepts(script: str, option: str) -> bool:
    with open(script, encoding="utf-8") as fh:
        return f'"{option}"' in fh.read()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="运行全部基准测试（小规模）")
    ap.add_argument("--rows", type=int, default=10_000, help="每个基准的行数（默认 10000）")
    args = ap.parse_args(argv)
    failed = []
    for script in sorted(glob.glob(os.path.join(HERE, "bench_*.py"))):
        cmd = [sys.executable, script]
        if _accepts(script, "--rows"):
            cmd += ["--rows", str(args.rows)]
        if _accepts(script, "--ratio-rows"):
            cmd += ["--ratio-rows", str(min(args.rows, 1000))]
        if _accepts(script, "--baseline"):
            cmd.append("--baseline")
        print(f"== {os.path.basename(script)} {' '.join(cmd[2:])}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call(cmd)
        print(
            f"== {os.path.basename(script)}: exit {rc}, {time.perf_counter() - t0:.1f} s\n",
            flush=True,
        )
        if rc:
            failed.append(os.path.basename(script))
    if failed:
        print("失败：" + "、".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
