"""A county-wide 拟认定 notice through LibreOffice: seconds per hundred pages.

    python bench/bench_notice_pdf.py                 # 2,000 rows
    python bench/bench_notice_pdf.py --rows 500 --communities 20

Before it was cut into short tables, the notice was one huge table: 2,000 rows took 24.5 s in
LibreOffice and 10,000 rows did not finish in 11 minutes (the layout of one
table is superlinear).  The notice is now short tables (a community each, cut
every 25 rows, header repeated), so the time grows with the page count.
Goal: a few seconds per hundred pages.  A benchmark, not a timed test: the
machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from doc_templates.batches import write_notice  # noqa: E402
from doc_templates.contexts import NoticeRow  # noqa: E402
from doc_templates.pdf import find_soffice, to_pdf  # noqa: E402
from doc_templates.samples import sample_notice  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--communities", type=int, default=40)
    args = ap.parse_args(argv)
    if find_soffice() is None:
        print("未找到 LibreOffice，跳过")
        return 0
    ctx = sample_notice(3)
    proto = ctx.rows
    ctx.rows = [
        NoticeRow(
            name=proto[i % 3].name,
            sex=proto[i % 3].sex,
            age=40 + i % 20,
            community=f"第{i % args.communities + 1}社区",
            category=proto[i % 3].category,
        )
        for i in range(args.rows)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        path = write_notice(ctx, tmp, register=False).paths[0]
        t1 = time.perf_counter()
        (pdf,) = to_pdf([path], Path(tmp) / "pdf", timeout=1800)
        t2 = time.perf_counter()
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        pages = int(
            next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages"))
        )
    per100 = (t2 - t1) / pages * 100
    print(
        f"{args.rows} 行公示（{args.communities} 个社区）：生成 .docx {t1 - t0:.2f} 秒；"
        f"LibreOffice 转 PDF {t2 - t1:.1f} 秒，{pages} 页，每百页 {per100:.1f} 秒"
        "（原来一张大表：2000 行 24.5 秒，10000 行超过 11 分钟）"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
