"""Fixtures shared by several test modules."""

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
