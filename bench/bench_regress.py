"""A previous commit beside the current tree on the same ledger (``make bench-regress``).

The previous commit (``--rev``, default ``d7e03b2``) is extracted with ``git
archive`` into a temporary folder; both trees run ``jyyz fill`` on the same
generated ledger in child processes (this venv's libraries, each tree's own
code), alternating old/new, ``--pairs`` times.  Printed per phase: the CPU
seconds of the process (all threads) spent in it, medians, and the ratio
new/old — so a regression shows before it lands.  Peak RSS per tree too.

Then the result columns of both outputs are compared cell by cell (every
value, type included); any difference is listed and the exit code is 1.

``--table`` adds the issue's whole table: the openpyxl round trip (load, 8
columns, save) and the floor (calamine reading every cell + deflating the
output sheet at jyyz's level, with the deflater jyyz uses) as denominators, JY_ASSESS over the ledger and
one JY_CATEGORY call through the xlwings protocol, and ``jyyz --help``.

    python bench/bench_regress.py --rev d7e03b2 --rows 100000
    python bench/bench_regress.py --rows 20000 --sparse --pairs 3
    python bench/bench_regress.py --rows 100000 --table
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, ROOT)

from ledgers import ledger_file, table_rows  # noqa: E402

AS_OF = "2026-11-22"
POLICY = "SX-2008"

#: (label, (module, attribute), …) wrapped in the child; indented labels are parts of the
#: one above.  A phase's function is found under any of its names (the modules were split
#: and renamed between commits) and every module of the tree that holds it is given the
#: timed one; a phase entered again from inside itself is counted once.
PHASES = [
    ("read ledger", ("xl_addin.ledger_read", "read_ledger")),
    ("normalise", ("calc.normalize", "normalise")),
    ("run_ledger", ("calc.assess", "run_ledger")),
    ("  requirements+texts", ("calc.assess", "_evaluate")),
    ("  periods", ("calc.assess", "benefit_periods")),
    ("  deadlines", ("calc.assess", "ledger_deadlines")),
    ("  causes", ("calc.missing", "causes_of")),
    (
        "cell problems",
        ("xl_addin.jobs.assessment", "cell_problems"),
        ("xl_addin.jobs", "cell_problems"),
    ),
    (
        "result columns",
        ("xl_addin.jobs.filling", "result_columns"),
        ("xl_addin.jobs", "result_columns"),
    ),
    (
        "write",
        ("xl_addin.ledger_write", "write_formatted_columns"),
        ("xl_addin.ledger_write", "write_columns"),
    ),
]

_FILL_CHILD = r"""
import importlib, importlib.util, json, resource, sys, time
sys.path.insert(0, {tree!r})
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
spent = {{}}
depth = {{}}
def timed_version(label, f):
    def timed(*a, **k):
        depth[label] = depth.get(label, 0) + 1
        t0 = cpu()
        try:
            return f(*a, **k)
        finally:
            depth[label] -= 1
            if not depth[label]:
                spent[label] = spent.get(label, 0.0) + cpu() - t0
    return timed
def wrap(label, *names):
    # a phase module the tree lacks is skipped: the venv's editable install would
    # otherwise supply the current tree's module to the old one
    for mod, attr in names:
        try:
            spec = importlib.util.find_spec(mod)
        except ImportError:
            spec = None
        if spec is None or not (spec.origin or "").startswith({tree!r}):
            continue
        f = getattr(importlib.import_module(mod), attr, None)
        if f is None or hasattr(f, "__wrapped_phase__"):
            continue
        timed = timed_version(label, f)
        timed.__wrapped_phase__ = label
        for m in list(sys.modules.values()):
            if not (getattr(m, "__file__", None) or "").startswith({tree!r}):
                continue
            for name, value in list(vars(m).items()):
                if value is f:
                    setattr(m, name, timed)
from xl_addin import jobs
assert jobs.__file__.startswith({tree!r}), jobs.__file__
start = cpu()
for label, *names in {phases!r}:
    wrap(label, *names)
t0 = cpu()
r = jobs.fill({src!r}, out={dst!r}, policy={policy!r}, as_of={as_of!r})
total = cpu()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"phases": spent, "start": start, "fill": total - t0, "total": total,
                  "maxrss_mb": rss / 1024, "people": r.summary.people,
                  "eligible": r.summary.eligible}}))
"""

_FUNCTIONS_CHILD = r"""
import asyncio, json, os, pickle, resource, statistics, sys, time
os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
sys.path.insert(0, {tree!r})
import xlwings as xw
import xlwings.server as xs
from xl_addin import functions as fn
assert fn.__file__.startswith({tree!r}), fn.__file__
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
def payload(name, *args):
    return {{"func_name": name, "args": list(args), "caller_address": "Sheet1!A1",
             "version": xw.__version__, "runtime": "1.4", "client": "Office.js",
             "date_format": "yyyy-mm-dd"}}
def call(name, *args):
    return asyncio.run(xs.custom_functions_call(payload(name, *args), fn))
with open({table!r}, "rb") as fh:
    table = pickle.load(fh)
as_of = 46348.0  # 2026-11-22
head, rows = [table[0]], table[1:]
singles = []
call("jy_category", "SX-2008", head, [rows[0]], as_of, None)  # warm
for i in range(1, 31):
    t0 = cpu()
    call("jy_category", "SX-2008", head, [rows[i]], as_of, None)
    singles.append(cpu() - t0)
t0 = cpu()
out = call("jy_assess", "SX-2008", table, as_of, None)
assess = cpu() - t0
print(json.dumps({{"assess": assess, "category_ms": statistics.median(singles) * 1000,
                  "eligible": sum(1 for r in out[1:] if r[2] is True)}}))
"""

_OPENPYXL_CHILD = r"""
import resource, json, openpyxl
wb = openpyxl.load_workbook({src!r})
ws = wb["台账"]
first = ws.max_column + 1
for r in range(3, ws.max_row + 1):
    for k in range(8):
        ws.cell(row=r, column=first + k, value="符合" if (r + k) % 3 else "不符合")
wb.save({dst!r})
r = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({{"cpu": r.ru_utime + r.ru_stime, "maxrss_mb": r.ru_maxrss / 1024}}))
"""

_FLOOR_CHILD = r"""
import json, resource, sys, zipfile, zlib
sys.path.insert(0, {root!r})
import python_calamine as pc
from xl_addin.xlsxpatch.patch import _BIG_LEVEL
try:  # the deflater jyyz writes with (zlib-ng where installed), at jyyz's level
    from xl_addin.xlsxpatch.zipio import fast_zlib as deflater
except ImportError:
    deflater = zlib
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
t0 = cpu()
wb = pc.CalamineWorkbook.from_path({src!r})
n = sum(len(row) for row in wb.get_sheet_by_name("台账").iter_rows())
read = cpu() - t0
with zipfile.ZipFile({out!r}) as z:
    name = next(i.filename for i in z.infolist() if i.filename.startswith("xl/worksheets/sheet"))
    data = z.read(name)
t0 = cpu()
c = deflater.compressobj(_BIG_LEVEL, zlib.DEFLATED, -15)
size = 0
for i in range(0, len(data), 1 << 20):
    size += len(c.compress(data[i:i + (1 << 20)]))
size += len(c.flush())
deflate = cpu() - t0
print(json.dumps({{"cpu": read + deflate, "read": read, "deflate": deflate}}))
"""


#: Children run as an installed program runs: with its modules' bytecode cached (a
#: machine with PYTHONDONTWRITEBYTECODE set would otherwise compile every module the
#: fill imports, in every run — more modules for the newer tree).  The caches go to
#: a folder of their own (PYTHONPYCACHEPREFIX), filled by :func:`compile_tree` first.
_ENV: dict[str, str] = dict(os.environ)


def compile_tree(tree: str, cache: str) -> None:
    """Write the bytecode of ``tree``'s packages into ``cache`` (see :data:`_ENV`)."""
    _ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    _ENV["PYTHONPYCACHEPREFIX"] = cache
    dirs = [os.path.join(tree, d) for d in ("calc", "xl_addin", "doc_templates", "workbooks")]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *[d for d in dirs if os.path.isdir(d)]],
        check=True,
        env=_ENV,
        stdout=subprocess.DEVNULL,
    )


def _run(code: str, cwd: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=cwd, env=_ENV
    )
    if out.returncode != 0:
        raise SystemExit(f"child failed in {cwd}:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def extract(rev: str, into: str) -> str:
    """``git archive rev`` unpacked into ``into``/tree; returns the tree's path."""
    tree = os.path.join(into, f"tree-{rev}")
    os.makedirs(tree, exist_ok=True)
    tar = os.path.join(into, f"{rev}.tar")
    subprocess.run(["git", "-C", ROOT, "archive", "-o", tar, rev], check=True)
    with tarfile.open(tar) as tf:
        tf.extractall(tree, filter="data")
    os.remove(tar)
    return tree


def result_cells(path: str) -> dict[str, list]:
    """The result columns of a filled ledger (header → values below it), read back."""
    import python_calamine as pc

    sys.path.insert(0, ROOT)
    from calc.assess import RESULT_HEADERS

    wanted = set(RESULT_HEADERS.values())
    rows = pc.CalamineWorkbook.from_path(path).get_sheet_by_name("台账").to_python()
    for h, row in enumerate(rows[:20]):
        cols = {str(v): i for i, v in enumerate(row) if str(v) in wanted}
        if len(cols) >= 4:
            return {
                name: [r[i] if i < len(r) else "" for r in rows[h + 1 :]]
                for name, i in cols.items()
            }
    raise SystemExit(f"no result columns in {path}")


def compare(old: str, new: str) -> list[str]:
    a, b = result_cells(old), result_cells(new)
    diffs = []
    if sorted(a) != sorted(b):
        diffs.append(f"columns differ: {sorted(a)} vs {sorted(b)}")
    for name in a:
        if name not in b:
            continue
        for i, (x, y) in enumerate(zip(a[name], b[name], strict=False)):
            if x != y or type(x) is not type(y):
                diffs.append(f"{name} row {i + 1}: {x!r} → {y!r}")
                if len(diffs) > 20:
                    return diffs
        if len(a[name]) != len(b[name]):
            diffs.append(f"{name}: {len(a[name])} vs {len(b[name])} rows")
    return diffs


def _median(runs: list[dict], key: str) -> float:
    vals = [r[key] for r in runs if key in r]
    return statistics.median(vals) if vals else float("nan")


def _ratio(new: float, old: float) -> str:
    return f"{new / old:5.2f}" if old else "   - "


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="与旧提交同账对比（CPU 时间，按阶段）")
    ap.add_argument("--rev", default=os.environ.get("REV") or "d7e03b2", help="旧提交")
    ap.add_argument("--rows", type=int, default=100_000, help="台账行数（默认 100000）")
    ap.add_argument("--pairs", type=int, default=3, help="旧/新交替运行的对数（取中位数）")
    ap.add_argument("--sparse", action="store_true", help="稀疏台账（少列、约三分之一空格）")
    ap.add_argument("--table", action="store_true", help="另测问题单的整张表（分母、函数、启动）")
    ap.add_argument("--keep", help="保留台账与输出的目录（再次运行时复用台账）")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="jyyz-regress-") as tmp:
        work = args.keep or tmp
        os.makedirs(work, exist_ok=True)
        src = ledger_file(work, args.rows, sparse=args.sparse)
        trees = {"old": extract(args.rev, tmp), "new": ROOT}
        warm = ledger_file(work, 200)
        for k, tree in trees.items():
            compile_tree(tree, os.path.join(tmp, "pycache"))
            # one small fill first: the libraries' bytecode goes into the same private
            # cache, so neither tree's first measured run pays for compiling them
            _run(
                _FILL_CHILD.format(
                    tree=tree,
                    phases=PHASES,
                    src=warm,
                    dst=os.path.join(work, f"warm_{k}.xlsx"),
                    policy=POLICY,
                    as_of=AS_OF,
                ),
                tree,
            )
        label = {"old": args.rev, "new": "当前工作树"}
        runs: dict[str, list[dict]] = {"old": [], "new": []}
        outs = {k: os.path.join(work, f"out_{k}.xlsx") for k in trees}
        extra: dict[str, list[dict]] = {"old": [], "new": [], "openpyxl": [], "floor": []}
        for pair in range(args.pairs):
            order = ("old", "new") if pair % 2 == 0 else ("new", "old")
            for k in order:
                code = _FILL_CHILD.format(
                    tree=trees[k], phases=PHASES, src=src, dst=outs[k], policy=POLICY, as_of=AS_OF
                )
                r = _run(code, trees[k])
                runs[k].append(r)
                print(
                    f"  {k} #{pair + 1}: fill {r['fill']:.2f} s CPU, {r['maxrss_mb']:.0f} MB",
                    flush=True,
                )
            if args.table:
                _table_pair(args, trees, order, src, outs, work, extra)

        print(
            f"\n{args.rows:,} 行{'（稀疏）' if args.sparse else ''}，CPU 秒（中位数，{args.pairs} 对）"
        )
        print(f"{'phase':24} {label['old']:>10} {'new':>10}  new/old")
        rows = [(lab, lab) for lab, *_ in PHASES]
        rows += [
            ("start-up (imports)", "start"),
            ("fill total", "fill"),
            ("process total", "total"),
        ]
        for lab, key in rows:
            if key in ("start", "fill", "total"):
                o, n = _median(runs["old"], key), _median(runs["new"], key)
            else:
                o = statistics.median(r["phases"].get(key, 0.0) for r in runs["old"])
                n = statistics.median(r["phases"].get(key, 0.0) for r in runs["new"])
            print(f"{lab:24} {o:10.2f} {n:10.2f}  {_ratio(n, o)}")
        o, n = _median(runs["old"], "maxrss_mb"), _median(runs["new"], "maxrss_mb")
        print(f"{'peak RSS (MB)':24} {o:10.0f} {n:10.0f}  {_ratio(n, o)}")
        print(f"people {runs['new'][0]['people']:,}, eligible {runs['new'][0]['eligible']:,}")
        if args.table:
            _print_table(args, runs, extra, label)

        diffs = compare(outs["old"], outs["new"])
        if diffs:
            print("结果列不一致：")
            for d in diffs:
                print("  " + d)
            return 1
        print(f"结果列逐格一致（{args.rows:,} 行，与 {args.rev} 比较）")
    return 0


def _table_pair(args, trees, order, src, outs, work, extra) -> None:
    import pickle

    table_path = os.path.join(work, f"table_{args.rows}_{int(args.sparse)}.pickle")
    if not os.path.exists(table_path):
        with open(table_path, "wb") as fh:
            pickle.dump(table_rows(args.rows, sparse=args.sparse), fh)
    for k in order:
        r = _run(_FUNCTIONS_CHILD.format(tree=trees[k], table=table_path), trees[k])
        help_cpu = _help_cpu(trees[k])
        extra[k].append({**r, "help": help_cpu})
    extra["openpyxl"].append(
        _run(_OPENPYXL_CHILD.format(src=src, dst=os.path.join(work, "openpyxl.xlsx")), ROOT)
    )
    extra["floor"].append(_run(_FLOOR_CHILD.format(root=ROOT, src=src, out=outs["new"]), ROOT))


def _help_cpu(tree: str) -> float:
    code = (
        f"import sys, resource; sys.path.insert(0, {tree!r}); sys.argv = ['jyyz', '--help'];\n"
        "import contextlib, io\n"
        "from xl_addin import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    cli.main(['--help'])\n"
        "r = resource.getrusage(resource.RUSAGE_SELF); print(r.ru_utime + r.ru_stime)"
    )
    vals = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            cwd=tree,
            check=True,
            env=_ENV,
        )
        vals.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(vals)


def _print_table(args, runs, extra, label) -> None:
    op = _median(extra["openpyxl"], "cpu")
    fl = _median(extra["floor"], "cpu")
    print(f"\n问题单的表（CPU，中位数；openpyxl {op:.1f} s，floor {fl:.1f} s）")
    print(f"{'work':44} {label['old']:>12} {'now':>12}  goal")

    def line(name, o, n, goal, ok):
        print(f"{name:44} {o:>12} {n:>12}  {goal} {'达到' if ok else '未达到'}")

    fo, fn_ = _median(runs["old"], "total"), _median(runs["new"], "total")
    line(
        f"fill {args.rows:,} vs openpyxl load+8 columns+save",
        f"{op / fo:.1f}×",
        f"{op / fn_:.1f}×",
        "≥ 8×",
        op / fn_ >= 8,
    )
    line(
        f"fill {args.rows:,} vs floor",
        f"{fo / fl:.1f}×",
        f"{fn_ / fl:.1f}×",
        "≤ 1.5×",
        fn_ / fl <= 1.5,
    )
    mo, mn = _median(runs["old"], "maxrss_mb"), _median(runs["new"], "maxrss_mb")
    line(f"fill {args.rows:,} peak memory", f"{mo:.0f} MB", f"{mn:.0f} MB", "(1M ≤ 2.5 GB)", True)
    ao, an = _median(extra["old"], "assess"), _median(extra["new"], "assess")
    line(
        f"JY_ASSESS {args.rows:,} rows (xlwings protocol)",
        f"{ao:.2f} s",
        f"{an:.2f} s",
        "< 5 s at 100k",
        an * 100_000 / args.rows < 5,
    )
    co, cn = _median(extra["old"], "category_ms"), _median(extra["new"], "category_ms")
    line("one JY_CATEGORY call", f"{co:.1f} ms", f"{cn:.1f} ms", "≤ 20 ms", cn <= 20)
    ho, hn = _median(extra["old"], "help"), _median(extra["new"], "help")
    line("jyyz --help start-up (CPU)", f"{ho:.2f} s", f"{hn:.2f} s", "≤ 0.3 s", hn <= 0.3)
    print(
        f"符合（JY_ASSESS）：{label['old']} {extra['old'][0]['eligible']:,}，"
        f"now {extra['new'][0]['eligible']:,}"
    )


if __name__ == "__main__":
    sys.exit(main())
