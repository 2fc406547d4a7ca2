"""Benchmark the ledger input/output layer.

Generates a 20-column ledger of N rows (xlsxwriter, constant_memory), then
times :func:`xl_addin.ledger_read.read_ledger` and
:func:`xl_addin.ledger_write.write_columns` of 6 computed columns (a date, a
formula with cached value, numbers, text, a boolean), and prints seconds and
peak RSS.  ``--baseline`` also runs the openpyxl load/modify/save round trip
of the same change and prints the speed ratio (slow: ≈84 s at 100k rows).

    python bench/bench_ledger_io.py --rows 2000
    python bench/bench_ledger_io.py --rows 100000 --baseline
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import xlsxwriter  # noqa: E402

from xl_addin.ledger_read import read_ledger  # noqa: E402
from xl_addin.ledger_write import Formula, write_columns  # noqa: E402

HEADERS = [
    "序号", "姓名", "公民身份号码", "性别", "出生日期", "户籍性质", "家庭编号", "与户主关系",
    "失业登记日期", "原单位性质", "人员身份", "享受低保", "婚姻状况", "家庭人口", "家庭月收入",
    "联系电话", "家庭住址", "就业状态", "社区", "援助责任人",
]  # fmt: skip
NEW_HEADERS = ["年龄", "4050人员", "认定日期", "补贴月数", "核查结果", "年龄（公式）"]


def peak_rss_mb() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return ru / 1024 if sys.platform != "darwin" else ru / (1024 * 1024)


def make_ledger(path: str, rows: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    ws = wb.add_worksheet("台账")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    head_fmt = wb.add_format({"bold": True, "border": 1})
    ws.write(0, 0, "光明社区就业困难人员援助台账")
    for c, h in enumerate(HEADERS):
        ws.write_string(1, c, h, head_fmt)
    base = dt.date(1960, 1, 1)
    for i in range(rows):
        r = i + 2
        birth = base + dt.timedelta(days=rnd.randrange(0, 14000))
        ws.write_number(r, 0, i + 1)
        ws.write_string(r, 1, "张" + "伟秀英强芳静敏丽"[i % 8] + str(i % 97))
        ws.write_string(
            r,
            2,
            f"1101{rnd.randrange(10, 99)}{birth:%Y%m%d}{rnd.randrange(100, 999)}{rnd.choice('0123456789X')}",
        )
        ws.write_string(r, 3, "男" if i % 2 else "女")
        ws.write_datetime(r, 4, dt.datetime(birth.year, birth.month, birth.day), date_fmt)
        ws.write_string(r, 5, "城镇" if i % 3 else "农业")
        ws.write_string(r, 6, f"H{i // 3:07d}")
        ws.write_string(r, 7, "户主" if i % 3 == 0 else "配偶")
        ws.write_datetime(r, 8, dt.datetime(2023, 1 + i % 12, 1 + i % 28), date_fmt)
        ws.write_string(r, 9, "国有" if i % 4 else "集体")
        ws.write_string(r, 10, "失业")
        ws.write_string(r, 11, "是" if i % 5 == 0 else "否")
        ws.write_string(r, 12, "已婚")
        ws.write_number(r, 13, 1 + i % 6)
        ws.write_number(r, 14, round(rnd.uniform(0, 9000), 2))
        ws.write_string(r, 15, f"13{rnd.randrange(100000000, 999999999)}")
        ws.write_string(r, 16, f"幸福里{i % 500}号楼{i % 30}单元")
        ws.write_string(r, 17, "失业")
        ws.write_string(r, 18, "光明社区")
        ws.write_string(r, 19, "赵敏")
    wb.close()


def computed_columns(ledger, first_col: int) -> dict[int, list]:
    idx = list(ledger.data.index)
    n = len(idx)
    ages = [30 + (i % 30) for i in range(n)]
    return {
        first_col: ages,
        first_col + 1: [a >= 40 for a in ages],
        first_col + 2: [dt.date(2024, 1, 1 + i % 28) for i in range(n)],
        first_col + 3: [float(i % 36) for i in range(n)],
        first_col + 4: ["符合" if i % 7 else "身份证号码校验位错误" for i in range(n)],
        first_col + 5: [
            Formula(f'=DATEDIF(E{r},DATE(2024,1,1),"Y")', a) for r, a in zip(idx, ages, strict=True)
        ],
    }


def openpyxl_round_trip(src: str, dst: str, cols: dict[int, list], rows: list[int]) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(src)
    ws = wb["台账"]
    for c, values in cols.items():
        for r, v in zip(rows, values, strict=True):
            ws.cell(row=r, column=c, value=v.text if isinstance(v, Formula) else v)
    wb.save(dst)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--baseline", action="store_true", help="also time openpyxl load/modify/save")
    ap.add_argument("--keep", help="directory to keep the generated files in")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmpdir:
        d = args.keep or tmpdir
        src = os.path.join(d, f"台账_{args.rows}.xlsx")
        dst = os.path.join(d, f"台账_{args.rows}_结果.xlsx")
        t0 = time.perf_counter()
        make_ledger(src, args.rows)
        t_gen = time.perf_counter() - t0
        size = os.path.getsize(src) / 1e6

        t0 = time.perf_counter()
        ledger = read_ledger(src)
        t_read = time.perf_counter() - t0
        assert len(ledger.data) == args.rows, (len(ledger.data), args.rows)
        rss_read = peak_rss_mb()

        first = ledger.next_free_column
        cols = computed_columns(ledger, first)
        headers = {first + i: h for i, h in enumerate(NEW_HEADERS)}
        t0 = time.perf_counter()
        res = write_columns(
            src, dst, ledger.sheet_name, list(ledger.data.index), cols,
            headers=headers, header_row=ledger.header_row,
        )  # fmt: skip
        t_write = time.perf_counter() - t0
        rss = peak_rss_mb()

        total = t_read + t_write
        print(f"rows={args.rows} cols=20 file={size:.1f} MB (generated in {t_gen:.1f} s)")
        print(f"read_ledger      {t_read:7.2f} s")
        print(
            f"write_columns    {t_write:7.2f} s  ({res.cells_written} cells, styles changed: {res.styles_changed})"
        )
        print(f"fill total       {total:7.2f} s")
        print(f"peak RSS         {rss:7.0f} MB (after read {rss_read:.0f} MB)")
        if args.baseline:
            t0 = time.perf_counter()
            openpyxl_round_trip(
                src, os.path.join(d, "openpyxl.xlsx"), cols, list(ledger.data.index)
            )
            t_base = time.perf_counter() - t0
            print(f"openpyxl round trip {t_base:7.2f} s  (peak RSS now {peak_rss_mb():.0f} MB)")
            print(f"ratio            {t_base / total:7.1f}x faster than openpyxl")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
