"""The demo job: every job on the bundled sample ledger."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from calc import fields
from calc.errors import InputError
from calc.safe_files import write_bytes_safely
from xl_addin.jobs.assessment import (
    assess_workbook,
)
from xl_addin.jobs.checking import (
    check,
)
from xl_addin.jobs.common import (
    FILLED_SUFFIX,
    Progress,
    _noop,
)
from xl_addin.jobs.filling import (
    fill,
)
from xl_addin.jobs.inputs import default_output
from xl_addin.jobs.papers import (
    docs,
)
from xl_addin.jobs.reports import DemoReport, DocsReport, FillReport

# --------------------------------------------------------------------------- demo


def demo(
    out_dir: str | os.PathLike[str] = "demo_output",
    policies: Sequence[str] | None = None,
    as_of: object = None,
    progress: Progress | None = None,
) -> DemoReport:
    """Fill the bundled sample ledger(s) and write all three kinds of document."""
    from workbooks import DEMO_POLICY, sample_path

    started = time.monotonic()
    progress = progress or _noop
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    fills: list[FillReport] = []
    reports: list[DocsReport] = []
    check_report = None
    codes = list(policies or [DEMO_POLICY])
    for k, code in enumerate(codes):
        sample = sample_path(code)
        if not sample.exists():
            raise InputError(f"找不到样例台账“{sample}”；请先运行 python -m workbooks.generate")
        copy = out / sample.name
        write_bytes_safely(copy, sample.read_bytes())  # an edited earlier copy is backed up
        report = fill(copy, out=default_output(copy, FILLED_SUFFIX), as_of=as_of)
        fills.append(report)
        if k == 0:
            check_report = check(copy, write=True)
            a = assess_workbook(report.output, None, as_of)
            eligible = a.results["eligible"].to_numpy(dtype=bool)
            communities = a.ledger.data.get("community")
            first_comm = None
            if communities is not None:
                counts = Counter(communities[eligible].dropna().tolist())
                first_comm = counts.most_common(1)[0][0] if counts else None
            doc_dir = out / "文书"
            where = [(fields.header_of("community"), first_comm)] if first_comm else []
            reports.append(
                docs(report.output, "协议书", doc_dir / "协议书", where=where, assessed=a)
            )
            reports.append(docs(report.output, "公示", doc_dir / "公示", where=where, assessed=a))
            reports.append(docs(report.output, "责任书", doc_dir / "责任书", assessed=a))
        progress(k + 1, len(codes), f"样例 {code}")
    return DemoReport(out, fills, reports, check_report, time.monotonic() - started)
