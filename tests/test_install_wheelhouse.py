"""``make windows-wheelhouse`` run for real: it downloads from the package index (the
pip cache makes a second run quick).  What it must hold for an office PC without internet:
win_amd64 wheels of pywin32 and xlwings, every Windows requirement of every wheel, jyyz's
own wheel with the add-in, the add-in itself, and an 安装.bat that installs offline."""

from __future__ import annotations

import email.parser
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

from xl_addin.excel import wheelhouse

ROOT = Path(__file__).resolve().parents[1]
PY = "3.12"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def house(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheelhouse") / "jyyz-windows"
    venv = Path(sys.executable).parents[1]
    # -o: this environment is set up already; make must not reinstall it from a test
    result = subprocess.run(
        ["make", "-s", "-o", f"{venv}/.installed", "windows-wheelhouse", f"WHEELHOUSE={out}",
         f"WIN_PYTHON={PY}", f"PYTHON={sys.executable}", f"VENV={venv}"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def wheels(house: Path) -> dict[str, Path]:
    return {
        canonicalize_name(parse_wheel_filename(w.name)[0]): w
        for w in (house / "wheels").glob("*.whl")
    }


def tags(wheel: Path) -> set[str]:
    return {t.platform for t in parse_wheel_filename(wheel.name)[3]}


def test_pywin32_and_xlwings_for_windows_x64(house):
    found = wheels(house)
    for name in ("pywin32", "xlwings"):
        assert tags(found[name]) == {"win_amd64"}, found[name].name
        assert f"cp{PY.replace('.', '')}" in found[name].name
    for name in ("numpy", "pandas", "lxml", "python-calamine"):
        assert tags(found[name]) == {"win_amd64"} or tags(found[name]) == {"any"}, name


def test_every_windows_requirement_is_there(house):
    env = wheelhouse.windows_environment(PY)
    found = wheels(house)
    for wheel in found.values():
        with zipfile.ZipFile(wheel) as z:
            meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
            info = email.parser.Parser().parsestr(z.read(meta).decode())
        for line in info.get_all("Requires-Dist") or []:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({**env, "extra": ""}):
                assert canonicalize_name(req.name) in found, f"{wheel.name} needs {req}"
    assert "tzdata" in found  # pandas' sys_platform == "win32" requirement


def test_pip_resolves_the_install_offline_for_windows(house, tmp_path):
    report = tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed",
         "--no-index", "--find-links", str(house / "wheels"), "--only-binary=:all:",
         "--platform", "win_amd64", "--python-version", PY, "--implementation", "cp",
         "--target", str(tmp_path / "t"), "--report", str(report), "jyyz", "pywin32"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    chosen = {canonicalize_name(i["metadata"]["name"]) for i in json.loads(report.read_text())["install"]}  # fmt: skip
    assert {"jyyz", "xlwings", "pywin32", "pandas", "numpy"} <= chosen


def test_the_addin_travels_in_the_folder_and_in_the_wheel(house):
    committed = (ROOT / "xl_addin" / "excel" / "jyyz.xlam").read_bytes()
    assert (house / "jyyz.xlam").read_bytes() == committed
    with zipfile.ZipFile(wheels(house)["jyyz"]) as z:
        assert z.read("xl_addin/excel/jyyz.xlam") == committed


def test_install_bat_installs_offline_for_the_current_user(house):
    data = (house / "安装.bat").read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF lines, as cmd.exe expects
    # the code page cmd.exe reads it in on a Chinese Windows
    text = data.decode("cp936").replace("\r\n", "\n")
    assert "%LOCALAPPDATA%\\jyyz\\venv" in text  # per user, no administrator
    assert f"py -{PY}-64" in text
    (pip_line,) = [line for line in text.splitlines() if " -m pip install " in line]
    assert "--no-index" in pip_line and '--find-links "%~dp0wheels"' in pip_line
    jyyz_wheel = wheels(house)["jyyz"]
    name, version = parse_wheel_filename(jyyz_wheel.name)[:2]
    assert f"{name}=={version}" in pip_line and "pywin32" in pip_line
    assert '"%TARGET%\\Scripts\\jyyz.exe" install' in text
    labels = set(re.findall(r"^:(\w+)$", text, re.M))
    assert set(re.findall(r"goto (\w+)", text)) <= labels
    assert "安装完成" in text and "没有找到 64 位的 Python" in text


def test_an_unrelated_folder_is_never_replaced(tmp_path):
    (tmp_path / "台账.xlsx").write_bytes(b"x")
    assert wheelhouse.main(["-o", str(tmp_path)]) == 1
    assert (tmp_path / "台账.xlsx").exists()
