"""``jyyz install``: install the classic Excel add-in ``jyyz.xlam`` for the current user.

``jyyz.xlam`` (built by :mod:`xl_addin.excel.build`, shipped in the package) carries xlwings'
VBA, the 21 worksheet functions and the 就业援助 ribbon tab, so nothing has to be imported
into a ledger and no VBA reference has to be set: the functions and buttons work in every
workbook, plain .xlsx included.

Steps on Windows:

1. ``xlwings addin install --file <jyyz.xlam>`` — xlwings' own command line (the ``xlwings``
   console script next to this Python, else ``python -m xlwings.cli``), which is what
   xlwings does for its own add-in: it copies the file into the user's XLSTART folder
   (``Application.StartupPath``, ``%APPDATA%\\Microsoft\\Excel\\XLSTART``; Excel opens it
   at every start, whatever the Excel version) and loads it into a running Excel.  XLSTART
   needs no registry ``OPEN`` key (those live under a version-numbered key per Excel
   version) and no administrator, and it is one of Excel's default trusted locations, so
   the add-in's macros run without the "enable content" bar;
2. write the interpreter and the UDF modules into the add-in's user config
   ``%USERPROFILE%\\.jyyz\\jyyz.conf`` (xlwings' custom add-in reads
   ``%USERPROFILE%\\.<PROJECT_NAME>\\<PROJECT_NAME>.conf``; other lines are kept).  The file
   is written in the encoding xlwings' VBA reads it with: ``GetConfigFromFile`` uses
   ``Open … For Input`` / ``Input #``, which decode the system ANSI code page (GBK/cp936 on a
   Chinese Windows), with CRLF lines, the way VBA's own ``Write #`` writes them;
3. tell the clerk, in Chinese, what to do next (restart Excel, the 就业援助 tab).

``jyyz install --uninstall`` runs ``xlwings addin remove --file jyyz.xlam`` and deletes the
config file.  Elsewhere than Windows the command finds the add-in file, then stops where
Windows and desktop Excel are needed and says so.
"""

from __future__ import annotations

import argparse
import locale
import os
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

from calc.safe_files import write_bytes_safely

UDF_MODULES = "xl_addin.functions;xl_addin.scripts"
PROJECT_NAME = "jyyz"
ADDIN_NAME = "jyyz.xlam"
CONFIG_KEYS = ("UDF MODULES", "INTERPRETER_WIN")
#: What xlwings' ``addin install`` / ``addin remove`` print when they worked (they exit 0
#: on failure too).
ADDIN_OK = "Successfully installed the xlwings add-in"
REMOVE_OK = "Successfully removed the add-in"

NOT_WINDOWS = """\
已找到 Excel 加载项：{addin}
下一步（把它复制到 Excel 的启动文件夹 XLSTART 并写入 Python 路径）需要 Windows 系统和
桌面版 Excel（加载项通过 COM 调用本机 Python），当前系统（{platform}）无法完成。

可选做法：
  1. 在装有 Excel 的 Windows 电脑上安装本软件后运行 jyyz install
     （没有网络的电脑用离线安装包：make windows-wheelhouse，见 docs/excel-addin.md）；
  2. 不用加载项，直接在命令行处理台账：jyyz --help。
"""

NEXT_STEPS = """\
已完成：
  - Excel 加载项：{addin}
  - 配置文件：{config}（{encoding} 编码）
      UDF Modules     = {modules}
      Interpreter_Win = {interpreter}

接下来：
  1. 关闭所有 Excel 窗口，再重新打开 Excel，功能区出现“就业援助”选项卡；
  2. 打开台账（.xlsx 即可，无需另存为 .xlsm，也不用导入函数），点“就业援助”选项卡上的按钮：
     填写计算列、检查台账、生成协议书、生成公示、生成责任书、打开 jyyz 页面、设置；
  3. 在单元格中输入 =JY_POLICIES() 检查函数是否可用，输入 =JY_ 可看到全部函数及中文说明。
卸载：jyyz install --uninstall
"""

REMOVED = """\
已卸载：
  - Excel 加载项：{addin}
  - 配置文件：{config}
请重新打开 Excel。
"""


def addin_path() -> Path:
    """The add-in file shipped in this package."""
    return Path(str(resources.files("xl_addin.excel").joinpath(ADDIN_NAME)))


def xlwings_mismatch() -> str:
    """A Chinese message when the installed xlwings is not the release inside the add-in."""
    import xlwings

    from xl_addin.excel import XLWINGS_VERSION

    if xlwings.__version__ == XLWINGS_VERSION:
        return ""
    return (
        f"加载项 jyyz.xlam 需要 xlwings {XLWINGS_VERSION}，这台电脑上是 {xlwings.__version__}"
        f"（加载项按版本号加载 xlwings 的 DLL）。请用离线安装包重新安装，"
        f"或运行 pip install xlwings=={XLWINGS_VERSION}"
    )


def config_path(home: str | os.PathLike[str] | None = None) -> Path:
    """``%USERPROFILE%\\.jyyz\\jyyz.conf``: the user config of the add-in's xlwings module."""
    base = Path(home) if home is not None else Path.home()
    return base / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf"


def ansi_encoding() -> str:
    """The Windows ANSI code page VBA's ``Open … For Input`` decodes (cp936 on Chinese Windows).

    ``locale.getencoding()`` is that code page on Windows whatever Python's UTF-8 mode.
    """
    return locale.getencoding()


def default_interpreter() -> str:
    """pythonw.exe next to this Python when present (no console window), else this Python."""
    exe = Path(sys.executable)
    windowless = exe.with_name("pythonw.exe")
    return str(windowless if windowless.exists() else exe)


def _parse_line(line: str) -> tuple[str, str] | None:
    """``"KEY","VALUE"`` (VBA ``Write #`` form) → (KEY upper-cased, VALUE)."""
    if "," not in line:
        return None
    key, value = line.split(",", 1)
    return key.strip().strip('"').upper(), value.strip().strip('"')


def write_config(
    home: str | os.PathLike[str] | None = None,
    *,
    interpreter: str | None = None,
    modules: str = UDF_MODULES,
    encoding: str | None = None,
) -> Path:
    """Set UDF MODULES and INTERPRETER_WIN in the add-in's user config; keep other lines.

    Raises :class:`ValueError` with a Chinese message when a value cannot be
    written in the ANSI code page (VBA could not read it back).
    """
    enc = encoding or ansi_encoding()
    path = config_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    values = {"UDF MODULES": modules, "INTERPRETER_WIN": interpreter or default_interpreter()}
    for key, value in values.items():
        try:
            value.encode(enc)
        except UnicodeEncodeError:
            raise ValueError(
                f"“{value}”中有 {enc} 编码无法表示的字符，xlwings 读不出这项设置（{key}）。"
                "请把 Python 安装到只含中英文字符的路径后重试"
            ) from None
    kept: list[str] = []
    if path.exists():
        for line in _read_lines(path, enc):
            parsed = _parse_line(line)
            if parsed and parsed[0] and parsed[0] not in values:
                kept.append(line)
    lines = kept + [f'"{k}","{v}"' for k, v in values.items()]
    # atomically, and an earlier different config is kept as a timestamped backup
    write_bytes_safely(path, ("\r\n".join(lines) + "\r\n").encode(enc))
    return path


def _read_lines(path: Path, encoding: str) -> list[str]:
    """Lines of an existing config: strict UTF-8 first (GBK text is almost never valid
    UTF-8), else the ANSI code page."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
    return text.splitlines()


def read_config(
    home: str | os.PathLike[str] | None = None, *, encoding: str | None = None
) -> dict[str, str]:
    path = config_path(home)
    out: dict[str, str] = {}
    if not path.exists():
        return out
    for line in _read_lines(path, encoding or ansi_encoding()):
        parsed = _parse_line(line)
        if parsed:
            out[parsed[0]] = parsed[1]
    return out


def remove_config(home: str | os.PathLike[str] | None = None) -> Path:
    """Delete the add-in's user config (and its folder when nothing else is left there)."""
    path = config_path(home)
    path.unlink(missing_ok=True)
    try:
        path.parent.rmdir()
    except OSError:
        pass  # backups or other files of the user stay
    return path


def xlwings_command() -> list[str]:
    """xlwings' real command line: the ``xlwings`` console script installed beside this
    Python (``Scripts\\xlwings.exe`` on Windows), else ``python -m xlwings.cli`` (xlwings.cli
    runs ``main()`` as ``__main__``)."""
    exe = Path(sys.executable)
    for name in ("xlwings.exe", "xlwings"):
        script = exe.with_name(name)
        if script.exists():
            return [str(script)]
    found = shutil.which("xlwings", path=str(exe.parent))
    if found:
        return [found]
    return [sys.executable, "-m", "xlwings.cli"]


def addin_command(action: str = "install") -> list[str]:
    """``xlwings addin install|remove --file <jyyz.xlam>``."""
    return [*xlwings_command(), "addin", action, "--file", str(addin_path())]


def _run_xlwings(action: str, ok: str) -> str:
    result = subprocess.run(
        addin_command(action),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
    output = "\n".join(s.strip() for s in (result.stdout, result.stderr) if s and s.strip())
    if result.returncode != 0 or ok not in output:
        last = output.strip().splitlines()[-1] if output.strip() else f"退出码 {result.returncode}"
        raise RuntimeError(last)
    return output.splitlines()[0]


def install_addin() -> str:
    """Run ``xlwings addin install --file jyyz.xlam``; its output, or RuntimeError."""
    return _run_xlwings("install", ADDIN_OK)


def remove_addin() -> str:
    """Run ``xlwings addin remove --file jyyz.xlam``; its output, or RuntimeError."""
    return _run_xlwings("remove", REMOVE_OK)


def install(argv: list[str] | None = None) -> int:
    """Entry point of ``jyyz install``; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="jyyz install",
        description="为当前用户安装 Excel 加载项 jyyz.xlam（“就业援助”选项卡和 =JY_… 函数，仅 Windows）",
    )
    parser.add_argument(
        "--uninstall", action="store_true", help="卸载：从 Excel 启动文件夹删除加载项和配置文件"
    )
    parser.add_argument(
        "--config-only", action="store_true", help="只写配置文件（Python 路径），不复制加载项"
    )
    args = parser.parse_args(argv)
    addin = addin_path()
    if not addin.is_file():
        print(f"错误：安装包中缺少加载项文件 {addin}，请重新安装 jyyz。")
        return 1
    mismatch = xlwings_mismatch()
    if mismatch:
        print(f"错误：{mismatch}")
        return 1
    if not sys.platform.startswith("win"):
        print(NOT_WINDOWS.format(addin=addin, platform=sys.platform))
        return 1
    if args.uninstall:
        try:
            removed = remove_addin()
        except (OSError, RuntimeError) as err:
            print(f"错误：加载项卸载失败：{err}\n请关闭所有 Excel 窗口后重试。")
            return 1
        print(REMOVED.format(addin=removed, config=remove_config()))
        return 0
    done = "（已跳过）"
    if not args.config_only:
        try:
            done = install_addin()
        except (OSError, RuntimeError) as err:
            print(f"错误：加载项安装失败：{err}\n请关闭所有 Excel 窗口后重试。")
            return 1
    try:
        config = write_config()
    except (OSError, ValueError) as err:
        print(f"错误：无法写入配置文件：{err}")
        return 1
    print(
        NEXT_STEPS.format(
            addin=done,
            config=config,
            encoding=ansi_encoding(),
            modules=UDF_MODULES,
            interpreter=read_config().get("INTERPRETER_WIN", ""),
        )
    )
    return 0
