"""An offline installation folder for Windows (``make windows-wheelhouse``).

``python -m xl_addin.excel.wheelhouse -o DIR [--python-version 3.12]`` writes::

    DIR/wheels/      jyyz's wheel and the win_amd64 wheels of every runtime dependency
    DIR/jyyz.xlam    the Excel add-in (also inside jyyz's wheel; here for IT to look at)
    DIR/安装.bat     installs all of it for the current user without the internet
    DIR/说明.txt     what the PC needs and what the script does

The dependency wheels come from ``pip download --only-binary=:all: --platform win_amd64
--python-version X.Y --implementation cp``.  pip evaluates environment markers for the
machine it runs on, not for the target, so a requirement that only Windows has (xlwings'
``pywin32; platform_system == "Windows"``, and any other such marker anywhere in the
dependency tree) would be left out: pywin32 is named explicitly, and every downloaded wheel's
requirements are evaluated again for Windows x64 until nothing is missing.
"""

from __future__ import annotations

import argparse
import email.parser
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADDIN = Path(__file__).resolve().with_name("jyyz.xlam")
PLATFORM = "win_amd64"
#: Named explicitly: xlwings needs it on Windows (COM), behind a marker pip evaluates here.
EXPLICIT = ("pywin32",)
BAT_NAME = "安装.bat"


# packaging (pip's and setuptools' marker library) is a build-time tool here, imported where
# used: the installed jyyz does not need it.


def windows_environment(python_version: str) -> dict[str, str]:
    """PEP 508 marker values of CPython ``python_version`` on 64-bit Windows."""
    from packaging.markers import default_environment

    env = dict(default_environment())
    env.update(
        os_name="nt",
        sys_platform="win32",
        platform_system="Windows",
        platform_machine="AMD64",
        platform_release="10",
        implementation_name="cpython",
        platform_python_implementation="CPython",
        python_version=python_version,
        python_full_version=python_version + ".0",
        implementation_version=python_version + ".0",
    )
    return env


def wheel_requirements(wheel: Path, env: dict[str, str]) -> list:
    """The Requires-Dist of ``wheel`` that apply in ``env`` (extras not requested)."""
    from packaging.requirements import Requirement

    with zipfile.ZipFile(wheel) as z:
        meta_name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.parser.Parser().parsestr(z.read(meta_name).decode("utf-8"))
    out = []
    for line in meta.get_all("Requires-Dist") or []:
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate({**env, "extra": ""}):
            out.append(req)
    return out


def wheel_names(folder: Path) -> set[str]:
    from packaging.utils import canonicalize_name, parse_wheel_filename

    return {canonicalize_name(parse_wheel_filename(w.name)[0]) for w in folder.glob("*.whl")}


def missing_requirements(folder: Path, env: dict[str, str]) -> list:
    """Requirements (for ``env``) of the wheels in ``folder`` that no wheel there provides."""
    from packaging.utils import canonicalize_name

    have = wheel_names(folder)
    missing: dict = {}
    for wheel in sorted(folder.glob("*.whl")):
        for req in wheel_requirements(wheel, env):
            if canonicalize_name(req.name) not in have:
                missing.setdefault(canonicalize_name(req.name), req)
    return list(missing.values())


def _bare(req) -> str:
    """A requirement without its marker (already evaluated for Windows; pip would evaluate it
    again for this machine and drop it)."""
    extras = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
    return f"{req.name}{extras}{req.specifier}"


def _pip(*args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "pip", *args], text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"pip {' '.join(args[:1])} 失败（退出码 {result.returncode}）")


def download(requirements: list[str], dest: Path, python_version: str) -> None:
    _pip(
        "download",
        "--disable-pip-version-check",
        "--quiet",
        "--only-binary=:all:",
        "--platform",
        PLATFORM,
        "--python-version",
        python_version,
        "--implementation",
        "cp",
        "--dest",
        str(dest),
        *requirements,
    )


def jyyz_wheel(dest: Path) -> Path:
    """jyyz's own wheel built from the source tree."""
    if not (ROOT / "pyproject.toml").is_file():
        raise RuntimeError(f"{ROOT} 不是 jyyz 的源代码目录（缺少 pyproject.toml）")
    with tempfile.TemporaryDirectory(prefix="jyyz-wheel-") as tmp:
        _pip("wheel", "--disable-pip-version-check", "--quiet", "--no-deps", "-w", tmp, str(ROOT))
        (built,) = Path(tmp).glob("jyyz-*.whl")
        return Path(shutil.copy2(built, dest / built.name))


def install_bat(python_version: str, wheel: Path) -> str:
    """安装.bat: a per-user virtual environment under %LOCALAPPDATA%\\jyyz, filled from the
    wheels folder with --no-index, then ``jyyz install``.  Written in GBK (code page 936),
    the code page cmd.exe reads batch files in on a Chinese Windows."""
    from packaging.utils import parse_wheel_filename

    short = python_version.replace(".", "")
    name = parse_wheel_filename(wheel.name)
    return f"""@echo off
setlocal
rem 就业援助 jyyz 离线安装：为当前用户安装，无需管理员权限，无需联网。
pushd "%~dp0"
set "TARGET=%LOCALAPPDATA%\\jyyz\\venv"
set PY=
where py >nul 2>nul && py -{python_version}-64 -c "import sys" >nul 2>nul && set PY=py -{python_version}-64
if not defined PY if exist "%LOCALAPPDATA%\\Programs\\Python\\Python{short}\\python.exe" set PY="%LOCALAPPDATA%\\Programs\\Python\\Python{short}\\python.exe"
if not defined PY if exist "%ProgramFiles%\\Python{short}\\python.exe" set PY="%ProgramFiles%\\Python{short}\\python.exe"
if not defined PY goto nopython
echo 正在安装到 %TARGET% ……
%PY% -m venv "%TARGET%"
if errorlevel 1 goto failed
"%TARGET%\\Scripts\\python.exe" -m pip install --disable-pip-version-check --no-index --find-links "%~dp0wheels" {name[0]}=={name[1]} {" ".join(EXPLICIT)}
if errorlevel 1 goto failed
"%TARGET%\\Scripts\\jyyz.exe" install
if errorlevel 1 goto failed
echo.
echo 安装完成。请重新打开 Excel，功能区会出现“就业援助”选项卡。
pause
exit /b 0

:nopython
echo 没有找到 64 位的 Python {python_version}。
echo 请先安装 python-{python_version}.x-amd64.exe（选“为当前用户安装”即可），再双击运行本文件。
pause
exit /b 1

:failed
echo.
echo 安装没有完成，请把本窗口中的信息截图发给管理员。
pause
exit /b 1
"""


README = """\
就业援助 jyyz 离线安装包（Windows 64 位，Python {python_version}）

电脑需要：Windows 10 或更新版本（64 位）；桌面版 Excel 2016 / 2019 / 2021 / Microsoft 365；
64 位 Python {python_version}（python.org 的 python-{python_version}.x-amd64.exe，为当前用户安装即可，
不需要管理员权限，也不需要勾选“Add python.exe to PATH”）。

安装：关闭 Excel，双击“安装.bat”。它会：
  1. 在 %LOCALAPPDATA%\\jyyz\\venv 建立本软件专用的 Python 环境；
  2. 从 wheels 文件夹安装 jyyz 和全部依赖（--no-index，不联网）；
  3. 运行 jyyz install：把 jyyz.xlam 复制到 Excel 启动文件夹（XLSTART），写入 Python 路径。
重新打开 Excel，功能区出现“就业援助”选项卡。

卸载：%LOCALAPPDATA%\\jyyz\\venv\\Scripts\\jyyz.exe install --uninstall，再删除 %LOCALAPPDATA%\\jyyz。

本文件夹由 make windows-wheelhouse 生成，内容：
{listing}
"""


def build(out: Path, python_version: str) -> Path:
    """Write the offline installation folder ``out`` (replaced if it exists)."""
    if out.exists():
        ours = {"wheels", ADDIN.name, BAT_NAME, "说明.txt"}
        if not {p.name for p in out.iterdir()} <= ours:
            raise RuntimeError(f"{out} 已存在且不是离线安装包文件夹，不覆盖")
        shutil.rmtree(out)
    wheels = out / "wheels"
    wheels.mkdir(parents=True)
    env = windows_environment(python_version)
    wheel = jyyz_wheel(wheels)
    first = [_bare(r) for r in wheel_requirements(wheel, env)] + list(EXPLICIT)
    download(first, wheels, python_version)
    for _ in range(10):  # requirements only Windows has, anywhere in the tree
        missing = missing_requirements(wheels, env)
        if not missing:
            break
        download([_bare(r) for r in missing], wheels, python_version)
    else:
        raise RuntimeError("依赖没有收齐：" + "、".join(str(r) for r in missing))
    shutil.copy2(ADDIN, out / ADDIN.name)
    (out / BAT_NAME).write_bytes(
        install_bat(python_version, wheel).replace("\n", "\r\n").encode("cp936")
    )
    listing = "\n".join(f"  wheels/{w.name}" for w in sorted(wheels.glob("*.whl")))
    text = README.format(python_version=python_version, listing=listing)
    (out / "说明.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-8-sig"))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="生成 Windows 离线安装包（wheels、jyyz.xlam、安装.bat）"
    )
    ap.add_argument("-o", "--output", required=True, help="输出文件夹（已存在时整个替换）")
    ap.add_argument("--python-version", default="3.12", help="目标 Python 版本（默认 3.12）")
    args = ap.parse_args(argv)
    try:
        out = build(Path(args.output), args.python_version)
    except RuntimeError as err:
        print(f"错误：{err}")
        return 1
    count = len(list((out / "wheels").glob("*.whl")))
    print(f"已生成 {out}：{count} 个安装包、{ADDIN.name}、{BAT_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
