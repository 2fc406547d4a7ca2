"""``jyyz install``: set up the classic xlwings Excel add-in on Windows.

Steps on Windows:

1. ``xlwings addin install`` — xlwings' own command line (the ``xlwings``
   console script next to this Python, else ``python -m xlwings.cli``; there is
   no ``python -m xlwings``): it copies xlwings.xlam into Excel's XLSTART
   folder, so the xlwings ribbon tab appears;
2. write the UDF module and the interpreter into the user's xlwings config
   ``%USERPROFILE%\\.xlwings\\xlwings.conf`` (one ``"KEY","VALUE"`` line per
   setting; other lines are kept): ``UDF MODULES`` = ``xl_addin.functions;
   xl_addin.scripts`` and ``INTERPRETER_WIN`` = this Python.  The file is
   written in the encoding xlwings' VBA reads it with: ``GetConfigFromFile``
   in xlwings.bas uses ``Open … For Input`` / ``Input #``, which decode the
   system ANSI code page (GBK/cp936 on a Chinese Windows), with CRLF lines,
   the way VBA's own ``Write #`` writes them.  A UTF-8 file would garble a
   Chinese user-profile path in the interpreter setting;
3. tell the clerk, in Chinese, the clicks that remain (trust access to the VBA
   project, Import Functions).

Elsewhere the classic add-in cannot work (it needs Windows and desktop Excel
via COM); the command explains that and points to the xlwings Lite set-up
(docs/excel-addin.md).
"""

from __future__ import annotations

import argparse
import locale
import os
import shutil
import subprocess
import sys
from pathlib import Path

from calc.safe_files import write_bytes_safely

UDF_MODULES = "xl_addin.functions;xl_addin.scripts"
CONFIG_KEYS = ("UDF MODULES", "INTERPRETER_WIN")
#: What xlwings' ``addin install`` prints when it worked (it exits 0 on failure too).
ADDIN_OK = "Successfully installed the xlwings add-in"

NOT_WINDOWS = """\
经典 xlwings 加载项需要 Windows 系统和桌面版 Excel（通过 COM 调用本机 Python），
当前系统（{platform}）无法安装。

可选做法：
  1. 在装有 Excel 的 Windows 电脑上安装本软件后运行 jyyz install；
  2. 使用 xlwings Lite（Excel 内运行 Python，Windows、Mac、网页版 Excel 均可）：
     在 Excel 中“开始 → 加载项”搜索并添加“xlwings Lite”，
     按 docs/excel-addin.md 的“xlwings Lite”一节粘贴 xl_addin/lite/ 中的 main.py 和 requirements.txt；
  3. 不用加载项，直接在命令行处理台账：jyyz --help。
"""

NEXT_STEPS = """\
已完成：
  - xlwings 加载项：{addin}
  - 配置文件：{config}（{encoding} 编码）
      UDF Modules     = {modules}
      Interpreter_Win = {interpreter}

请在 Excel 中完成以下几步（只需做一次）：
  1. 关闭并重新打开 Excel，功能区出现“xlwings”选项卡；
  2. 文件 → 选项 → 信任中心 → 信任中心设置 → 宏设置，
     勾选“信任对 VBA 工程对象模型的访问”；
  3. 打开台账工作簿（另存为 .xlsm 启用宏的工作簿），
     点击“xlwings”选项卡上的“Import Functions”（导入函数）；
  4. 在单元格中输入 =JY_POLICIES() 检查是否成功，输入 =JY_ 可看到全部函数及中文说明；
  5. 一键操作：按 Alt+F8 打开“宏”对话框，选择 jy_fill_columns（填写计算列）、
     jy_check_ledger（检查台账）、jy_make_agreements（生成协议书）、jy_make_notice（生成公示）、
     jy_make_letters（生成责任书）后点“执行”；也可插入按钮并指定这些宏。
"""


def config_path(home: str | os.PathLike[str] | None = None) -> Path:
    base = Path(home) if home is not None else Path.home()
    return base / ".xlwings" / "xlwings.conf"


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
    """Set UDF MODULES and INTERPRETER_WIN in the xlwings user config; keep other lines.

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
    """Lines of an existing config: strict UTF-8 first (files of earlier jyyz versions;
    GBK text is almost never valid UTF-8), else the ANSI code page."""
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


def addin_command() -> list[str]:
    """xlwings' real command line for ``addin install``.

    The ``xlwings`` console script installed beside this Python (``Scripts\\xlwings.exe``
    on Windows), else ``python -m xlwings.cli`` (xlwings.cli runs ``main()`` as
    ``__main__``).
    """
    exe = Path(sys.executable)
    for name in ("xlwings.exe", "xlwings"):
        script = exe.with_name(name)
        if script.exists():
            return [str(script), "addin", "install"]
    found = shutil.which("xlwings", path=str(exe.parent))
    if found:
        return [found, "addin", "install"]
    return [sys.executable, "-m", "xlwings.cli", "addin", "install"]


def install_addin() -> str:
    """Run ``xlwings addin install``; its output, or RuntimeError with the reason."""
    result = subprocess.run(
        addin_command(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
    output = "\n".join(s.strip() for s in (result.stdout, result.stderr) if s and s.strip())
    if result.returncode != 0 or ADDIN_OK not in output:
        last = output.strip().splitlines()[-1] if output.strip() else f"退出码 {result.returncode}"
        raise RuntimeError(last)
    return output.splitlines()[0]


def install(argv: list[str] | None = None) -> int:
    """Entry point of ``jyyz install``; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="jyyz install", description="安装经典 xlwings Excel 加载项（仅 Windows）"
    )
    parser.add_argument(
        "--config-only", action="store_true", help="只写 xlwings 配置，不安装加载项"
    )
    args = parser.parse_args(argv)
    if not sys.platform.startswith("win"):
        print(NOT_WINDOWS.format(platform=sys.platform))
        return 1
    addin = "（已跳过）"
    if not args.config_only:
        try:
            addin = install_addin()
        except (OSError, RuntimeError) as err:
            print(f"错误：xlwings 加载项安装失败：{err}\n请确认 Excel 已关闭后重试。")
            return 1
    try:
        config = write_config()
    except (OSError, ValueError) as err:
        print(f"错误：无法写入 xlwings 配置：{err}")
        return 1
    print(
        NEXT_STEPS.format(
            addin=addin,
            config=config,
            encoding=ansi_encoding(),
            modules=UDF_MODULES,
            interpreter=read_config().get("INTERPRETER_WIN", ""),
        )
    )
    return 0
