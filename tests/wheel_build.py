"""Build the project's wheel once per test session, from a copy of the source tree.

The copy leaves out ``build/``, ``.venv`` and other local leftovers, so a stale
``build/lib`` cannot smuggle old modules into the wheel: what is built is what a
clean checkout builds.  ``pip wheel`` builds in its usual isolated environment
(setuptools from the package index, as a user's ``pip wheel .`` would).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("calc", "xl_addin", "doc_templates", "workbooks")
_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
    ".ruff_cache", ".hypothesis", "demo_output", "out", "node_modules",
)  # fmt: skip


@functools.cache
def project_wheel() -> Path:
    """Path of ``jyyz-*.whl`` built from the current source tree."""
    work = Path(tempfile.mkdtemp(prefix="jyyz-wheel-"))
    src = work / "src"
    shutil.copytree(ROOT, src, ignore=_IGNORE)
    dist = work / "dist"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"pip wheel failed:\n{result.stdout}\n{result.stderr}")
    (wheel,) = dist.glob("jyyz-*.whl")
    return wheel


def source_packages() -> set[str]:
    """Every package (folder with ``__init__.py``) of the source tree, dotted."""
    out = set()
    for top in PACKAGES:
        for init in (ROOT / top).rglob("__init__.py"):
            if "__pycache__" in init.parts:
                continue
            out.add(".".join(init.parent.relative_to(ROOT).parts))
    return out


def source_modules() -> set[str]:
    """Every module of the source packages, dotted."""
    out = set()
    for pkg in source_packages():
        folder = ROOT.joinpath(*pkg.split("."))
        for py in folder.glob("*.py"):
            out.add(pkg if py.name == "__init__.py" else f"{pkg}.{py.stem}")
    return out
