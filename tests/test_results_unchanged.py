"""No result changes: the result columns, digested cell by cell, as the base commit wrote them.

tests/golden/result_digests.json was made by running the base commit's code
(bench/golden_results.py --tree <git archive of the commit>); here the
current code digests the same ledgers.  Synthetic ledgers (complete, sparse,
with 原退休年龄 for some women; every policy) are always compared; a bundled
sample only while its input file is the one the golden was made from.  The
100,000-row comparison of written workbooks is bench/bench_regress.py's.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import golden_results  # noqa: E402

GOLDEN = json.loads((ROOT / "tests" / "golden" / "result_digests.json").read_text("utf-8"))


def _first_difference(want: dict, got: dict, case: str) -> str:
    columns = [c for c in want["columns"] if want["columns"][c] != got["columns"].get(c)]
    rows = [i for i, (a, b) in enumerate(zip(want["rows"], got["rows"], strict=False)) if a != b]
    return (
        f"{case}: result columns {columns} differ from {GOLDEN['made_by']}"
        f" (first differing row {rows[0] if rows else '-'}, {len(rows)} rows)"
    )


@pytest.fixture(scope="module")
def synthetic():
    return golden_results.synthetic_cases()


@pytest.mark.parametrize(
    "case", sorted(k for k in GOLDEN["cases"] if k.startswith("synthetic/")), ids=str
)
def test_synthetic_ledger_results_unchanged(synthetic, case):
    want = GOLDEN["cases"][case]
    got = synthetic[case]
    assert got == want, _first_difference(want, got, case)


def test_samples_results_unchanged():
    got = golden_results.sample_cases()
    compared = 0
    for case, want in GOLDEN["cases"].items():
        if not case.startswith("sample/") or case not in got:
            continue
        if got[case]["input"] != want["input"]:
            continue  # the sample was regenerated: its golden no longer applies
        compared += 1
        assert got[case] == want, _first_difference(want, got[case], case)
    if not compared:
        pytest.skip("样例台账已重新生成，其结果摘要需按 bench/golden_results.py 重做")


def test_golden_covers_every_policy_and_variant():
    cases = GOLDEN["cases"]
    for variant in golden_results.VARIANTS:
        for policy in golden_results.POLICIES:
            digest = cases[f"synthetic/{variant}/{policy}"]
            assert len(digest["rows"]) == golden_results.ROWS
    # the ledgers are not trivial: some people are 符合 under SX-2008 (the digest
    # would pass on an engine that answers nothing otherwise)
    frame = golden_results.synthetic_frame("complete")
    from calc.assess import run_ledger

    status = run_ledger("SX-2008", frame, golden_results.AS_OF).results["status"]
    assert (status == "符合").sum() > golden_results.ROWS // 5
    assert (status == "待核实").any() and (status == "不符合").any()


def test_without_explanations_the_decisions_are_the_same():
    """JY_CATEGORY/JY_ELIGIBLE/JY_BENEFITS run without explanation texts: same answers."""
    from calc.assess import run_ledger

    for variant in golden_results.VARIANTS:
        frame = golden_results.synthetic_frame(variant, 400)
        for policy in golden_results.POLICIES:
            full = run_ledger(policy, frame, golden_results.AS_OF).results
            bare = run_ledger(policy, frame, golden_results.AS_OF, explain=False).results
            for col in ("category_codes", "categories", "status", "eligible", "benefits"):
                assert full[col].tolist() == bare[col].tolist(), (variant, policy, col)
            assert (bare["explanation"] == "").all()
