"""The built package is complete: the wheel holds every subpackage and data file, and a
non-editable install into a fresh virtual environment imports every module and runs
``jyyz demo`` from another folder (an editable install hides a missing subpackage)."""

from __future__ import annotations

import fnmatch
import os
import subprocess
import venv
import zipfile

import pytest
from wheel_build import ROOT, project_wheel, source_modules, source_packages

DATA_PATTERNS = ("*.docx", "*.xlsx", "*.xlsm", "*.md", "*.txt", "*.yaml")


def wheel_names() -> set[str]:
    with zipfile.ZipFile(project_wheel()) as z:
        return set(z.namelist())


def test_wheel_holds_every_subpackage():
    names = wheel_names()
    packages = source_packages()
    assert {"calc.policies", "xl_addin.lite"} <= packages
    missing = [p for p in sorted(packages) if "/".join(p.split(".")) + "/__init__.py" not in names]
    assert missing == []
    modules = {
        n[:-3].replace("/", ".").removesuffix(".__init__") for n in names if n.endswith(".py")
    }
    assert source_modules() <= modules


def test_wheel_holds_every_data_file():
    names = wheel_names()
    expected = []
    for pkg in source_packages():
        folder = ROOT.joinpath(*pkg.split("."))
        for f in folder.iterdir():
            if f.is_file() and any(fnmatch.fnmatch(f.name, p) for p in DATA_PATTERNS):
                expected.append(f.relative_to(ROOT).as_posix())
    assert "doc_templates/协议书.docx" in expected and "xl_addin/lite/requirements.txt" in expected
    assert any(e.startswith("workbooks/台账样例_") for e in expected)
    assert [e for e in sorted(expected) if e not in names] == []


def test_wheel_metadata_spares_pyodide_the_native_packages():
    with zipfile.ZipFile(project_wheel()) as z:
        meta = next(z.read(n).decode() for n in z.namelist() if n.endswith("/METADATA"))
    requires = [line.split(":", 1)[1].strip() for line in meta.splitlines() if line.startswith("Requires-Dist:")]  # fmt: skip
    by_name = {r.split(";")[0].split(">")[0].split("=")[0].strip().lower(): r for r in requires}
    for native in ("python-calamine", "lxml", "python-docx", "docxtpl"):
        assert 'sys_platform != "emscripten"' in by_name[native].replace("'", '"'), native
    for core in ("pandas", "numpy", "xlwings", "python-stdnum", "holidays", "cn2an"):
        assert ";" not in by_name[core], core


@pytest.mark.slow
def test_fresh_install_imports_everything_and_runs_demo(tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, clear=True)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    pip = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(project_wheel())],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert pip.returncode == 0, pip.stdout + pip.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "XLWINGS_ON_SERVER")}
    modules = sorted(source_modules())
    code = (
        "import importlib, sys\n"
        f"mods = {modules!r}\n"
        "for m in mods:\n"
        "    mod = importlib.import_module(m)\n"
        "    assert 'site-packages' in (mod.__file__ or ''), (m, mod.__file__)\n"
        "print(len(mods))\n"
    )
    imported = subprocess.run(
        [str(python), "-c", code], cwd=elsewhere, capture_output=True, text=True, env=env
    )
    assert imported.returncode == 0, imported.stderr
    assert int(imported.stdout.strip()) == len(modules)
    demo = subprocess.run(
        [str(bindir / "jyyz"), "demo", "-o", "演示"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
    )
    assert demo.returncode == 0, demo.stdout + demo.stderr
    out = elsewhere / "演示"
    assert list(out.glob("*.已填写.xlsx"))
    assert list((out / "文书").rglob("*.docx"))
