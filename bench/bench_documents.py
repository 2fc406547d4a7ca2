"""Speed of document generation.

    python bench/bench_documents.py                       # 1,000 agreements, 10,000-row notice
    python bench/bench_documents.py --agreements 20 --notice-rows 200
    python bench/bench_documents.py --docxtpl 20          # also time plain docxtpl per document

Goals (issue): 1,000 agreements in ≤ 10 s; a notice with 10,000 rows in ≤ 1 s.
The machine is shared and noisy: compare the ratios printed in one run.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from doc_templates import batches, render, templates, views  # noqa: E402
from doc_templates.contexts import NoticeRow  # noqa: E402
from doc_templates.samples import sample_agreement, sample_letter, sample_notice  # noqa: E402


def _t(fn):
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agreements", type=int, default=1000)
    ap.add_argument("--notice-rows", type=int, default=10000)
    ap.add_argument("--letters", type=int, default=50)
    ap.add_argument("--docxtpl", type=int, default=0, help="也用 docxtpl 逐份渲染 N 份作对照")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="jyyz-bench-") as tmp:
        out = Path(tmp)
        render.render_agreement(sample_agreement(0))  # compile the template once

        n = args.agreements
        ctxs = [sample_agreement(i) for i in range(n)]
        secs, paths = _t(lambda: batches.write_agreements(ctxs, out / "a"))
        print(
            f"{n} 份协议书（含文书登记簿）：{secs:.2f} 秒，"
            f"每份 {secs / max(n, 1) * 1000:.1f} 毫秒（目标：1000 份 ≤ 10 秒）"
        )
        again = [sample_agreement(i) for i in range(n)]
        secs, _ = _t(lambda: batches.write_agreements(again, out / "a"))
        print(f"{n} 份协议书重复生成（编号不变）：{secs:.2f} 秒")
        merged = [sample_agreement(i) for i in range(n)]
        secs, _ = _t(lambda: batches.write_agreements(merged, out / "m", merged=True))
        print(f"{n} 份协议书 + 合并打印文件：{secs:.2f} 秒")

        rows = args.notice_rows
        proto = sample_notice(min(rows, 50))
        records = [
            {
                "name": proto.rows[i % len(proto.rows)].name,
                "sex": proto.rows[i % len(proto.rows)].sex,
                "age": 40 + i % 20,
                "community": proto.rows[i % len(proto.rows)].community,
                "category": proto.rows[i % len(proto.rows)].category,
                "id_number": "140106197001011234",
                "phone": "13900000000",
            }
            for i in range(rows)
        ]
        secs_rows, built = _t(lambda: [NoticeRow.from_record(r) for r in records])
        proto.rows = built
        secs, data = _t(lambda: render.render_notice(proto))
        print(
            f"{rows} 行公示：渲染 {secs:.2f} 秒（另：从台账记录建行并做隐私检查 {secs_rows:.2f} 秒；"
            f"文件 {len(data) / 1024:.0f} KB；目标 10000 行 ≤ 1 秒）"
        )

        k = args.letters
        secs, _ = _t(lambda: batches.write_letters([sample_letter(i) for i in range(k)], out / "l"))
        print(f"{k} 份目标责任书：{secs:.2f} 秒")

        if args.docxtpl:
            from docxtpl import DocxTemplate

            contexts = [views.agreement_view(sample_agreement(i)) for i in range(args.docxtpl)]

            def plain():
                for v in contexts:
                    tpl = DocxTemplate(str(templates.AGREEMENT_TEMPLATE))
                    tpl.render(v, autoescape=True)
                    tpl.save(io.BytesIO())

            secs, _ = _t(plain)
            print(
                f"对照：docxtpl 逐份渲染 {args.docxtpl} 份：每份 {secs / args.docxtpl * 1000:.1f} 毫秒"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
