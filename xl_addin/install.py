"""``jyyz install``: set up the classic xlwings Excel add-in on Windows.

Steps on Windows:

1. ``python -m xlwings addin install`` (copies xlwings.xlam into Excel's
   XLSTART folder, so the xlwings ribbon tab appears);
2. write the UDF module and the interpreter into the user's xlwings config
   ``%USERPROFILE%\\.xlwings\\xlwings.conf`` (one ``"KEY","VALUE"`` line per
   setting; other lines are kept): ``UDF MODULES`` = ``xl_addin.functions;
   xl_addin.scripts`` and ``INTERPRETER_WIN`` = this Python;
3. tell the clerk, in Chinese, the clicks that remain (trust access to the VBA
   project, Import Functions).

Elsewhere the classic add-in cannot work (it needs Windows and desktop Excel
via COM); the command explains that and points to the xlwings Lite set-up
(docs/excel-addin.md).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from calc.safe_files import write_bytes_safely

UDF_MODULES = "xl_addin.functions;xl_addin.scripts"
CONFIG_KEYS = ("UDF MODULES", "INTERPRETER_WIN")

NOT_WINDOWS = """\
经典 xlwings 加载项需要 Windows 系统和桌面版 Excel（通过 COM 调用本机 Python），
当前系统（{platform}）无法安装。

可选做法：
  1. 在装有 Excel 的 Windows 电脑上安装本软件后运行 jyyz install；
  2. 使用 xlwings Lite（Excel 内运行 Python，Windows、Mac、网页版 Excel 均可）：
     在 Excel 中“开始 → 加载项”搜索并添加“xlwings Lite”，
     按 docs/excel-addin.md 的“xlwings Lite 设置”一节粘贴 main.py 和 requirements.txt；
  3. 不用加载项，直接在命令行处理台账：jyyz --help。
"""

NEXT_STEPS = """\
已完成：
  - xlwings 加载项：{addin}
  - 配置文件：{config}
      UDF Modules     = {modules}
      Interpreter_Win = {interpreter}

请在 Excel 中完成以下几步（只需做一次）：
  1. 关闭并重新打开 Excel，功能区出现“xlwings”选项卡；
  2. 文件 → 选项 → 信任中心 → 信任中心设置 → 宏设置，
     勾选“信任对 VBA 工程对象模型的访问”；
  3. 打开台账工作簿（另存为 .xlsm 启用宏的工作簿），
     点击“xlwings”选项卡上的“Import Functions”（导入函数）；
  4. 在单元格中输入 =JY_POLICIES() 检查是否成功，输入 =JY_ 可看到全部函数及中文说明；
  5. 一键脚本（填写计算列、检查台账、生成协议书/公示/责任书）在“开发工具 → 宏”中运行，
     或插入按钮并指定宏 jy_fill_columns、jy_check_ledger 等。
"""


def config_path(home: str | os.PathLike[str] | None = None) -> Path:
    base = Path(home) if home is not None else Path.home()
    return base / ".xlwings" / "xlwings.conf"


def default_interpreter() -> str:
    """pythonw.exe next to this Python when present (no console window), else this Python."""
    exe = Path(sys.executable)
    windowless = exe.with_name("pythonw.exe")
    return str(windowless if windowless.exists() else exe)


def write_config(
    home: str | os.PathLike[str] | None = None,
    *,
    interpreter: str | None = None,
    modules: str = UDF_MODULES,
) -> Path:
    """Set UDF MODULES and INTERPRETER_WIN in the xlwings user config; keep other lines."""
    path = config_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    values = {"UDF MODULES": modules, "INTERPRETER_WIN": interpreter or default_interpreter()}
    kept: list[str] = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            key = line.split(",", 1)[0].strip().strip('"').upper()
            if key and key not in values:
                kept.append(line)
    lines = kept + [f'"{k}","{v}"' for k, v in values.items()]
    # atomically, and an earlier different config is kept as a timestamped backup
    write_bytes_safely(path, ("\n".join(lines) + "\n").encode("utf-8"))
    return path


def read_config(home: str | os.PathLike[str] | None = None) -> dict[str, str]:
    path = config_path(home)
    out: dict[str, str] = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if "," not in line:
            continue
        key, value = line.split(",", 1)
        out[key.strip().strip('"').upper()] = value.strip().strip('"')
    return out


def _install_addin() -> str:
    result = subprocess.run(
        [sys.executable, "-m", "xlwings", "addin", "install"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError((result.stderr or result.stdout).strip())
    return (result.stdout or "").strip() or "已安装"


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
            addin = _install_addin()
        except (OSError, RuntimeError) as err:
            print(f"错误：xlwings 加载项安装失败：{err}\n请确认 Excel 已关闭后重试。")
            return 1
    config = write_config()
    print(
        NEXT_STEPS.format(
            addin=addin,
            config=config,
            modules=UDF_MODULES,
            interpreter=read_config().get("INTERPRETER_WIN", ""),
        )
    )
    return 0
