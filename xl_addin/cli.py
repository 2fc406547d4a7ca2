"""``jyyz`` — the command line over whole workbooks (就业援助台账命令行工具).

    jyyz demo [-o DIR]
    jyyz fill LEDGER [-o OUT] [--policy CODE] [--as-of DATE] [--sheet NAME] [--formulas] [--in-place]
    jyyz docs LEDGER --kind 协议书|公示|责任书 [-o DIR] [--rows 3-20] [--where 社区=…] [--pdf]
              [--office FILE] [--templates DIR] [--duplex] [--pending] [--date 日期]
    jyyz check LEDGER
    jyyz install
    jyyz serve [--port N] [--no-browser]

Every error a clerk can cause (:class:`calc.errors.InputError`) and every
operating-system failure (disk full, no permission, a path too long, a file
that vanished) is printed in Chinese on stderr with exit code 2 and no
traceback; an unexpected error gets a short Chinese message and exit code 1,
and ``--debug`` shows the traceback.  Ctrl-C at any moment — also while the
libraries are still being imported — ends with "已取消。" (exit code 130),
after the write in progress has cleaned up its temporary files.  The work
itself is in :mod:`xl_addin.jobs`, imported only once Ctrl-C is guarded.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
import traceback
import unicodedata
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, TextIO

from calc.errors import InputError
from xl_addin.progress import TextBar

if TYPE_CHECKING:
    from xl_addin import jobs

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_CANCELLED = 0, 1, 2, 130
CANCELLED = "已取消。"
#: The document kinds of ``jyyz docs`` (as :data:`xl_addin.jobs.DOC_KINDS`, checked by a test).
DOC_KINDS = ("协议书", "公示", "责任书")

_ARGPARSE_CN = (
    ("the following arguments are required:", "缺少参数："),
    ("unrecognized arguments:", "不认识的参数："),
    ("invalid choice:", "无效的选项："),
    ("choose from", "可选"),
    ("expected one argument", "需要一个值"),
    ("not allowed with argument", "不能与以下参数同时使用："),
    ("argument", "参数"),
)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示帮助信息并退出")

    def error(self, message: str):  # noqa: D401 - argparse API
        for en, cn in _ARGPARSE_CN:
            message = message.replace(en, cn)
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"错误：{message}\n（用 {self.prog} -h 查看帮助）\n")


def _debug_option(p: argparse.ArgumentParser, default) -> None:
    p.add_argument("--debug", action="store_true", default=default, help="出错时显示详细的程序信息")


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(
        prog="jyyz",
        description="就业援助台账工具：资格认定、填写计算列、检查台账、生成协议书/公示/责任书。",
        epilog=(
            "示例：\n"
            "  jyyz demo -o demo_output\n"
            "  jyyz fill 台账.xlsx --policy SX-2008\n"
            "  jyyz check 台账.xlsx\n"
            "  jyyz docs 台账.已填写.xlsx --kind 协议书 --where 社区=桥头社区\n"
        ),
    )
    _debug_option(ap, False)
    sub = ap.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser(
        "demo",
        help="用自带的样例台账演示全部功能",
        description="填写样例台账并生成三种文书，最后打印汇总。",
    )
    p.add_argument(
        "-o", "--out", default="demo_output", metavar="目录", help="输出目录（默认 demo_output）"
    )
    p.add_argument("--all", action="store_true", help="五个政策的样例台账都填写")
    p.add_argument("--as-of", metavar="日期", help="认定基准日期（默认今天）")
    _debug_option(p, argparse.SUPPRESS)

    p = sub.add_parser("fill", help="认定资格并把结果写入台账右侧", description="认定资格，把认定类别、认定结论、是否符合、可享受政策、补贴期限截止、时限提醒、认定依据、数据问题写入台账右侧（默认另存为“原名.已填写.xlsx”，原文件不动）。")  # fmt: skip
    p.add_argument("ledger", metavar="台账", help="台账工作簿（.xlsx 或 .xlsm）")
    p.add_argument("-o", "--out", metavar="输出文件", help="输出工作簿（默认：原名.已填写.xlsx）")
    p.add_argument("--policy", metavar="政策代码", help="JS-2002、SX-2008、GS-2003、LYG-2003、AH-2011（默认取工作簿“参数”表的“政策代码”）")  # fmt: skip
    p.add_argument("--as-of", metavar="日期", help="认定基准日期，如 2026-11-01（默认今天）")
    p.add_argument("--sheet", metavar="工作表", help="台账所在工作表（默认自动查找）")
    p.add_argument("--formulas", action="store_true", help="写入 =JY_… 公式（附计算结果），装有加载项时可自动重算")  # fmt: skip
    p.add_argument("--in-place", action="store_true", help="直接写回原文件（先自动备份为“原名.备份-日期时间.xlsx”）")  # fmt: skip
    _debug_option(p, argparse.SUPPRESS)

    p = sub.add_parser("docs", help="生成协议书、公示或责任书", description="按台账生成文书：协议书（每人一份）、公示（一份名单）、责任书（每个社区一份）。")  # fmt: skip
    p.add_argument("ledger", metavar="台账", help="台账工作簿（.xlsx 或 .xlsm）")
    p.add_argument("--kind", required=True, choices=DOC_KINDS, metavar="种类", help="协议书、公示 或 责任书")  # fmt: skip
    p.add_argument("-o", "--out", metavar="目录", help="输出目录（默认：台账旁的“原名_文书”目录）")
    p.add_argument("--rows", metavar="行号", help="只处理这些 Excel 行，如 3-20")
    p.add_argument("--where", action="append", default=[], metavar="列名=值", help="只处理满足条件的人，如 社区=幸福社区（可多次使用，须同时满足）")  # fmt: skip
    p.add_argument("--pdf", action="store_true", help="同时转换为 PDF（需要 LibreOffice）")
    p.add_argument("--policy", metavar="政策代码", help="政策代码（默认取工作簿“参数”表）")
    p.add_argument("--as-of", metavar="日期", help="认定基准日期（默认今天）")
    p.add_argument("--sheet", metavar="工作表", help="台账所在工作表（默认自动查找）")
    _docs_options(p)
    _debug_option(p, argparse.SUPPRESS)

    p = sub.add_parser("check", help="检查台账：身份证号码、日期、必填项、列名", description="检查台账中的错误（身份证号码、日期、必填项、无法识别的取值和列名），结果另存为“原名.检查结果.xlsx”，原文件不动。")  # fmt: skip
    p.add_argument("ledger", metavar="台账", help="台账工作簿（.xlsx 或 .xlsm）")
    p.add_argument("--sheet", metavar="工作表", help="台账所在工作表（默认自动查找）")
    p.add_argument(
        "-o", "--out", metavar="输出文件", help="检查结果工作簿（默认：原名.检查结果.xlsx）"
    )
    _debug_option(p, argparse.SUPPRESS)

    p = sub.add_parser("report", help="统计报表：按季度或月份汇总一本或多本台账", description="按季度（或月份、年度）统计台账：人数、认定、新认定、实现就业（按就业形式）、退出、待核实原因、补贴、零就业家庭、跟踪随访、目标完成，写成带图表的统计报表工作簿和一页通报（Word）。可给多本台账或一个文件夹，同一人只计一次。")  # fmt: skip
    p.add_argument(
        "ledgers", nargs="+", metavar="台账", help="台账工作簿或存放台账的文件夹（可多个）"
    )
    p.add_argument("--quarter", metavar="季度", help="统计季度，如 2026Q4（默认本季度）")
    p.add_argument("--month", metavar="月份", help="统计月份，如 2026-11")
    p.add_argument("--year", metavar="年度", help="统计年度，如 2026")
    p.add_argument("--policy", metavar="政策代码", help="政策代码（默认取各台账“参数”表）")
    p.add_argument("--as-of", metavar="日期", help="认定基准日期（默认统计期末或今天中较早者）")
    p.add_argument("-o", "--out", metavar="输出文件", help="报表工作簿（默认：第一本台账旁的“统计报表_期间.xlsx”）")  # fmt: skip
    p.add_argument("--pdf", action="store_true", help="通报同时转换为 PDF（需要 LibreOffice）")
    p.add_argument("--no-paper", action="store_true", help="不生成一页通报")
    p.add_argument("--workers", type=int, metavar="进程数", help="同时读取台账的进程数（默认 CPU 核数）")  # fmt: skip
    _debug_option(p, argparse.SUPPRESS)

    p = sub.add_parser("serve", help="启动本机服务，在浏览器中使用（也供 WPS/Excel 加载项调用）", description="在本机 127.0.0.1 上启动 jyyz 服务并打开浏览器页面：上传台账即可填写、检查、生成文书。已在运行时直接打开它。")  # fmt: skip
    p.add_argument("--port", type=int, metavar="端口", help="使用指定端口（默认自动选择空闲端口）")
    p.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")
    p.add_argument("--allow-origin", action="append", default=[], metavar="来源", help="另外允许提交请求的网页来源（如加载项所在的 http://localhost:3889；可多次使用）")  # fmt: skip
    _debug_option(p, argparse.SUPPRESS)

    p = sub.add_parser("install", help="安装 Excel 或 WPS 加载项", description="为当前用户安装 Excel 加载项 jyyz.xlam（“就业援助”选项卡和 =JY_… 工作表函数）；加 --wps 安装 WPS 表格加载项。")  # fmt: skip
    p.add_argument("--uninstall", action="store_true", help="卸载：删除加载项和配置文件（与 --wps 同用时卸载 WPS 加载项）")  # fmt: skip
    p.add_argument("--config-only", action="store_true", help="只写配置文件（Python 路径），不复制加载项")  # fmt: skip
    p.add_argument("--wps", action="store_true", help="安装 WPS 表格加载项（就业援助选项卡和 JYYZ.JY_… 函数）")  # fmt: skip
    p.add_argument("--dir", metavar="目录", help="与 --wps 同用：WPS 的 jsaddons 目录（默认本账户的）")  # fmt: skip
    p.add_argument("--url", metavar="网址", help=argparse.SUPPRESS)
    p.add_argument("args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    _debug_option(p, argparse.SUPPRESS)
    return ap


# --------------------------------------------------------------------------- output


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def table(rows: Sequence[tuple[str, object]], title: str = "") -> str:
    """A two-column text table with CJK-aware alignment."""
    items = [(str(a), str(b)) for a, b in rows]
    w1 = max((_width(a) for a, _ in items), default=4)
    w2 = max((_width(b) for _, b in items), default=4)
    line = "+" + "-" * (w1 + 2) + "+" + "-" * (w2 + 2) + "+"
    out = [title] if title else []
    out.append(line)
    for a, b in items:
        out.append(f"| {_pad(a, w1)} | {' ' * (w2 - _width(b))}{b} |")
    out.append(line)
    return "\n".join(out)


def summary_rows(s: jobs.Summary, documents: int | None = None) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = [("台账人数", s.people), ("符合认定条件", s.eligible)]
    for label, n in s.by_category.items():
        rows.append((f"  其中 {label}", n))
    for status in ("待核实", "资格终止", "不符合"):
        if s.by_status.get(status):
            rows.append((status, s.by_status[status]))
            if status == "待核实":  # by cause, so a clerk sees the one column to add
                rows.extend((f"  {cause}", k) for cause, k in list(s.uncertain_causes.items())[:8])
    if documents is not None:
        rows.append(("生成文书（份）", documents))
    rows.append(("数据问题（处）", s.problems))
    return rows


def _print_fill(r: jobs.FillReport, out: TextIO) -> None:
    mode = "公式（附计算结果）" if r.formulas else "数值"
    print(f"已写入：{r.output}", file=out)
    _print_backup(r.output, r.backup, out)
    print(
        f"政策 {r.policy}（来自{r.policy_source}），认定基准日期 {r.as_of.isoformat()}，"
        f"工作表“{r.sheet}”第{r.first_row}–{r.last_row}行，用时 {r.seconds:.1f} 秒",
        file=out,
    )
    print(r.columns_text, file=out)
    if r.example_parameters:
        print(
            f"注意：“参数”表未填写以下 {len(r.example_parameters)} 项参数，使用了程序自带的示例默认值"
            f"（非政策规定，请按当地文件在“参数”表中填写）：{'、'.join(r.example_parameters)}",
            file=out,
        )
    cols = "、".join(f"{h}({c})" for h, c in r.written.items())
    print(f"写入列（{mode}）：{cols}", file=out)
    _print_problems(r.problems, out)
    print(table(summary_rows(r.summary), "汇总："), file=out)


def _print_backup(output: object, backup: object, out: TextIO) -> None:
    if backup:
        print(f"“{os.path.basename(str(output))}”原有内容已备份为：{backup}", file=out)


def _print_problems(problems: Sequence[jobs.Problem], out: TextIO, limit: int = 20) -> None:
    from xl_addin.jobs import ERROR

    errors = [p for p in problems if p.level == ERROR]
    if not errors:
        return
    print(f"发现数据问题 {len(errors)} 处（已写入“数据问题”列）：", file=out)
    for p in errors[:limit]:
        print(f"  {p.text()}", file=out)
    if len(errors) > limit:
        print(f"  ……另有 {len(errors) - limit} 处", file=out)


def _print_check(r: jobs.CheckReport, out: TextIO) -> None:
    print(f"检查：{r.input.name} 工作表“{r.sheet}”，共 {r.people} 人", file=out)
    print(r.columns_text, file=out)
    if r.errors:
        print(f"错误 {len(r.errors)} 处：", file=out)
        for p in r.errors:
            print(f"  {p.text()}", file=out)
    else:
        print("未发现错误。", file=out)
    if r.notices:
        print(f"提示 {len(r.notices)} 处：", file=out)
        for p in r.notices:
            print(f"  {p.text()}", file=out)
    if r.output:
        from xl_addin.jobs import CHECK_SHEET

        marked = "，并在台账中标出问题单元格" if r.marked else ""
        print(f"检查结果已另存为：{r.output}（“{CHECK_SHEET}”工作表{marked}）", file=out)
        _print_backup(r.output, r.backup, out)
        if r.field_map_rows:  # the clerk confirms the guesses, then re-runs
            print(f"  并预填了“字段对照”工作表（{len(r.field_map_rows) - 1} 行）：核对“标准字段”后复制到台账，重新运行即按它识别各列", file=out)  # fmt: skip
    elif r.write_error:
        print(f"（未能保存检查结果文件：{r.write_error}）", file=out)
    print(table([("台账人数", r.people), ("错误（处）", len(r.errors)), ("提示（处）", len(r.notices))], "汇总："), file=out)  # fmt: skip


def _docs_options(p: argparse.ArgumentParser) -> None:
    """Options of ``docs`` for the office's own details, templates and printing."""
    p.add_argument("--office", metavar="文件", help="单位信息文件（发文机关、地址、电话、上级单位、用印单位、编号前缀；默认取工作簿“设置”或“参数”表）")  # fmt: skip
    p.add_argument("--templates", metavar="目录", help="自改模板所在文件夹（其中的 协议书.docx/公示.docx/责任书.docx 替代自带模板）")  # fmt: skip
    p.add_argument("--duplex", action="store_true", help="合并打印文件中每份文书从奇数页开始（双面打印）")  # fmt: skip
    p.add_argument("--pending", action="store_true", help="为尚未认定的“符合”人员也生成协议书（注明待认定）")  # fmt: skip
    p.add_argument("--date", metavar="日期", help="文书落款日期（默认今天，不能早于今天）")
    p.add_argument(
        "--period", metavar="年度", help="责任书年度（默认：10月1日以后制作的按下一年度）"
    )


def _print_not_made(r: jobs.DocsReport, out: TextIO) -> None:
    """Who got no paper and why (姓名、行号、原因), and the 未生成 list file."""
    for w in r.warnings:
        print(f"提示：{w}", file=out)
    if r.replaced:
        print(f"  已重新编号（原编号登记为被替代）：{'、'.join(r.replaced)}", file=out)
    if r.unchanged:
        print(f"  {r.unchanged} 份与登记簿中的文书相同，未重写", file=out)
    if not r.skipped:
        return
    print(f"未生成 {len(r.skipped)} 份（姓名、行号、原因）：", file=out)
    for s in r.skipped[:20]:
        row = f"第{s.row}行" if s.row else "—"
        print(f"  {s.name}　{row}　{s.reason}", file=out)
    if len(r.skipped) > 20:
        print(f"  ……共 {len(r.skipped)} 人，完整名单见下列文件", file=out)
    if r.not_made:
        print(f"  未生成名单：{r.not_made}", file=out)


def _print_docs(r: jobs.DocsReport, out: TextIO) -> None:
    print(f"{r.kind}：{len(r.files)} 份，写入 {r.out_dir}", file=out)
    if r.merged:
        print(f"  合并打印文件：{r.merged}", file=out)
    if r.register:
        print(f"  文书登记簿：{r.register}", file=out)
    if r.pdfs:
        print(f"  PDF：{len(r.pdfs)} 份", file=out)
        for note in getattr(r, "font_notes", []):
            print(f"  {note}", file=out)
    if r.note:
        print(f"  {r.note}", file=out)
    _print_not_made(r, out)


# --------------------------------------------------------------------------- commands


def _print_report(r, out: TextIO) -> None:
    print(f"统计报表：{r.output}（{r.period.label}，政策 {r.policy}）", file=out)
    if r.paper:
        print(f"一页通报：{r.paper}" + (f"（PDF：{r.pdf}）" if r.pdf else ""), file=out)
    rows = [("统计台账（本）", len(r.ledgers) - len(r.failed)), ("统计人数", r.persons)]
    rows.append(("多本台账重复的人员（只计一次）", r.duplicates))
    if r.report is not None:
        for (_sec, item), values in r.report.figures.iterrows():
            if item in ("认定结论：符合", "认定结论：待核实", "本期新认定", "本期实现就业合计"):
                rows.append((item, int(values.iloc[0])))
    print(table(rows, "汇总："), file=out)
    for f in r.failed:
        print(f"未统计：{f.path.name}——{f.message}", file=out)
    _print_backup(r.output, r.backups[0] if r.backups else None, out)


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from xl_addin import jobs

    bar = TextBar(err)
    try:
        if args.command == "fill":
            r = jobs.fill(
                args.ledger,
                out=args.out,
                policy=args.policy,
                as_of=args.as_of,
                sheet=args.sheet,
                formulas=args.formulas,
                in_place=args.in_place,
                progress=bar,
            )
            bar.close()
            _print_fill(r, out)
            return EXIT_OK
        if args.command == "check":
            r = jobs.check(args.ledger, out=args.out, sheet=args.sheet, progress=bar)
            bar.close()
            _print_check(r, out)
            if r.write_error:  # the check ran, but its result file could not be saved
                print(f"错误：{r.write_error}", file=err)
                return EXIT_INPUT
            return EXIT_OK
        if args.command == "docs":
            r = jobs.docs(
                args.ledger,
                args.kind,
                args.out,
                rows=args.rows,
                where=args.where,
                pdf=args.pdf,
                policy=args.policy,
                as_of=args.as_of,
                sheet=args.sheet,
                progress=bar,
                office=args.office,
                templates=args.templates,
                duplex=args.duplex,
                pending=args.pending,
                period=args.period,
                date=args.date,
            )
            bar.close()
            _print_docs(r, out)
            rows = [("选中人数", r.people), ("生成文书（份）", len(r.files))]
            rows.append(("未生成（份）", len(r.skipped)))
            print(table(rows, "汇总："), file=out)
            return EXIT_OK
        if args.command == "demo":
            from workbooks import SAMPLE_POLICIES

            r = jobs.demo(args.out, SAMPLE_POLICIES if args.all else None, args.as_of, bar)
            bar.close()
            for f in r.fills:
                print(f"已填写：{f.output}（政策 {f.policy}，{f.summary.people}人，符合 {f.summary.eligible}人，数据问题 {f.summary.problems}处）", file=out)  # fmt: skip
            if r.check:
                print(
                    f"检查：错误 {len(r.check.errors)} 处，提示 {len(r.check.notices)} 处"
                    + (f"，结果见 {r.check.output}" if r.check.output else ""),
                    file=out,
                )
            for d in r.docs:
                _print_docs(d, out)
            first = r.fills[0].summary
            print(
                table(summary_rows(first, r.documents), f"演示汇总（{r.fills[0].policy}）："),
                file=out,
            )
            print(f"全部输出在：{r.out_dir}（用时 {r.seconds:.1f} 秒）", file=out)
            return EXIT_OK
        if args.command == "report":
            from xl_addin.report import report

            r = report(
                args.ledgers,
                args.out,
                policy=args.policy,
                quarter=args.quarter,
                month=args.month,
                year=args.year,
                as_of=args.as_of,
                paper=not args.no_paper,
                pdf=args.pdf,
                workers=args.workers,
                progress=bar,
            )
            bar.close()
            _print_report(r, out)
            return EXIT_OK
        if args.command == "serve":
            from xl_addin.service.server import serve  # FastAPI/uvicorn only when serving

            return serve(
                args.port,
                open_browser=not args.no_browser,
                out=out,
                extra_origins=tuple(args.allow_origin),
            )
        if args.command == "install" and not args.wps and (args.dir or args.url):
            raise InputError("--dir 只用于安装 WPS 加载项，请与 --wps 一起使用")
        if args.command == "install" and args.wps:
            from xl_addin.wps_install import main as install_wps

            extra = (["--dir", args.dir] if args.dir else []) + (["--url", args.url] if args.url else [])  # fmt: skip
            return install_wps(extra + (["--uninstall"] if args.uninstall else []))
        if args.command == "install":
            from xl_addin.install import install

            flags = [f for f, on in (("--uninstall", args.uninstall), ("--config-only", args.config_only)) if on]  # fmt: skip
            return int(install(flags + list(args.args or [])) or 0)
        raise InputError(f"未知命令“{args.command}”")
    finally:
        bar.close()


def _cancel_quietly(signum: int, frame: object) -> None:
    """Ctrl-C before any work began (the libraries are still loading): nothing to clean."""
    with contextlib.suppress(Exception):
        sys.stderr.write(CANCELLED + "\n")
        sys.stderr.flush()
    os._exit(EXIT_CANCELLED)


@contextlib.contextmanager
def _sigint(handler: object) -> Iterator[None]:
    """Use ``handler`` for Ctrl-C inside the block (main thread only), then put back the old one."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is signal.SIG_IGN  # started to ignore Ctrl-C
    ):
        yield
        return
    old = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jyyz`` console script; returns the exit code."""
    try:
        with _sigint(_cancel_quietly):
            _reconfigure_streams()
            # --help, --version and argument errors answer before the heavy imports.
            parsed = _parse(argv)
            if isinstance(parsed, int):
                return parsed
            # Nothing is written until the imports are done: Ctrl-C just ends here.
            import xl_addin.jobs  # noqa: F401 - the heavy imports (pandas, numpy, calc)
        with _sigint(signal.default_int_handler):
            return _main(argv, parsed)
    except KeyboardInterrupt:
        with contextlib.suppress(Exception), _sigint(signal.SIG_IGN):
            print(CANCELLED, file=sys.stderr)
        return EXIT_CANCELLED


def _reconfigure_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


def _parse(argv: Sequence[str] | None) -> argparse.Namespace | int:
    """The parsed arguments, or the exit code when argparse answered (help, error)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        return build_parser().parse_args(args_list)
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_INPUT


def _main(argv: Sequence[str] | None, args: argparse.Namespace | None = None) -> int:
    out, err = sys.stdout, sys.stderr
    if args is None:
        _reconfigure_streams()
        parsed = _parse(argv)
        if isinstance(parsed, int):
            return parsed
        args = parsed
    debug = bool(getattr(args, "debug", False))
    try:
        return _run(args, out, err)
    except InputError as exc:
        print(f"错误：{exc.describe()}", file=err)
        if debug:
            traceback.print_exc(file=err)
        return EXIT_INPUT
    except OSError as exc:  # a failure outside the safe writers: still the clerk's to fix
        from calc.safe_files import describe_os_error

        print(f"错误：{describe_os_error(exc, action='读写')}", file=err)
        if debug:
            traceback.print_exc(file=err)
        return EXIT_INPUT
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # noqa: BLE001 - last resort for the clerk
        print(
            f"程序内部错误（{type(exc).__name__}）：{exc}\n"
            "请加 --debug 重新运行以显示详细信息，并将其发给技术支持。",
            file=err,
        )
        if debug:
            traceback.print_exc(file=err)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
