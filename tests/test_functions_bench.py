"""bench/bench_functions.py runs small and reports its figures."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import xlwings_helpers  # noqa: F401  (server mode before xlwings is imported)


def test_bench_runs_small(capsys):
    path = Path(__file__).resolve().parents[1] / "bench" / "bench_functions.py"
    spec = importlib.util.spec_from_file_location("bench_functions", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--rows", "300", "--ratio-rows", "150", "--sample", "10"]) == 0
    out = capsys.readouterr().out
    assert "JY_ASSESS 整本台账 300 行" in out
    assert "JY_AGE 150 行" in out and "倍数" in out
