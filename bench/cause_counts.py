"""The 待核实 cause counts of every bundled sample and synthetic ledger, as JSON.

The run summary ("缺少列“失业登记日期”：30人") and the statistics report count
the 待核实 rows by cause.  Moving those counts from the explanation text to
structured reasons must not change them: run this on the tree before and on
the tree after, and compare the two outputs::

    git archive <base> | tar -x -C /tmp/base
    python bench/cause_counts.py --tree /tmp/base > before.json
    python bench/cause_counts.py > after.json
    diff before.json after.json

For each sample: the summary's counts (``summary``) and the statistics
report's cause per 待核实 person tallied (``stats``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def _labels(causes) -> tuple[str, ...]:
    """A person's cause labels: a tuple, or (trees before causes travelled as data)
    the "；"-joined text the statistics table held."""
    if isinstance(causes, str):
        return tuple(c for c in causes.split("；") if c)
    return tuple(causes)


def counts() -> dict[str, dict]:
    import golden_results

    from calc import stats
    from calc.assess import run_ledger
    from xl_addin import jobs

    out: dict[str, dict] = {}
    for policy in golden_results.POLICIES:
        path = Path(ROOT) / "workbooks" / f"台账样例_{policy}.xlsx"
        if not path.exists():
            continue
        a = jobs.assess_workbook(path, policy, golden_results.AS_OF.isoformat())
        run = a.run
        by_person = Counter(
            c for causes in stats.person_table(run, path.name)["causes"] for c in _labels(causes)
        )
        out[f"sample/{path.name}"] = {
            "summary": a.summary().uncertain_causes,
            "stats": dict(sorted(by_person.items())),
        }
    for variant in golden_results.VARIANTS:
        raw = golden_results.synthetic_frame(variant)
        for policy in golden_results.POLICIES:
            run = run_ledger(policy, raw, golden_results.AS_OF)
            res = run.results
            summary = jobs.summarise(run, {})
            out[f"synthetic/{variant}/{policy}"] = {"summary": summary.uncertain_causes}
            del res
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tree", default=ROOT, help="源码目录（默认当前工作树）")
    args = ap.parse_args(argv)
    tree = os.path.abspath(args.tree)
    while ROOT in sys.path:
        sys.path.remove(ROOT)
    sys.path.insert(0, tree)
    sys.path.insert(0, HERE)
    import calc

    assert calc.__file__.startswith(tree), calc.__file__
    json.dump(counts(), sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
