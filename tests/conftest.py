"""Fixtures shared by several test modules, and shared test set-up."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# xlwings decides at import whether its server mode (used by the protocol tests) is
# allowed: the key must be set before any test module imports xlwings, in any order.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")


@pytest.fixture
def open_tmp():
    """A temporary folder every user can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="jyyz-perm-"))
    os.chmod(folder, 0o755)
    yield folder
    for p in folder.rglob("*"):
        with contextlib.suppress(OSError):
            os.chmod(p, 0o755)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _register_key_in_tmp(tmp_path_factory, monkeypatch):
    """The documents' register key and number counter (doc_templates.register)
    live in the user's profile; each test keeps its own in a temporary folder
    (numbers are unique per office and year across folders, so a shared
    counter would make one test's numbers depend on the others)."""
    monkeypatch.setenv("JYYZ_HOME", str(tmp_path_factory.mktemp("jyyz-home")))


def pytest_make_parametrize_id(config, val, argname):
    """Policy cases keep their Chinese ids (“SX-2008 一(一) 女40周岁当日”) as written."""
    case_id = getattr(val, "policy_case_id", None)
    return case_id if isinstance(case_id, str) else None
