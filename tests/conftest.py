"""Fixtures shared by several test modules, and shared test set-up."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest


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
    """The documents' register key (doc_templates.register) lives in the user's
    profile; tests keep theirs in a temporary folder."""
    monkeypatch.setenv("JYYZ_HOME", str(tmp_path_factory.getbasetemp() / "jyyz-home"))


def pytest_make_parametrize_id(config, val, argname):
    """Policy cases keep their Chinese ids (“SX-2008 一(一) 女40周岁当日”) as written."""
    case_id = getattr(val, "policy_case_id", None)
    return case_id if isinstance(case_id, str) else None
