"""Atomic output: write beside the destination, then one :func:`os.replace`.

A reader never sees a half-written workbook, and whatever fails (an error, a
full disk, Ctrl-C) the temporary file is removed and the destination is as it
was.  Whether an existing destination may be replaced at all, and whether it
is backed up first, is the caller's policy (jyyz: :mod:`calc.safe_files`,
which hands the patcher a fresh temporary file of its own as destination).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator


def _mode_for(dst: str) -> int:
    try:
        return os.stat(dst).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_output(dst: str) -> Iterator[str]:
    """Yield a temporary path beside ``dst``; on success it replaces ``dst``.

    :class:`OSError` (no folder, no permission, disk full) propagates unchanged.
    """
    folder = os.path.dirname(os.path.abspath(dst))
    tmp = ""
    try:
        # named before it is made, so an interrupt at any moment is cleaned up below
        while True:
            tmp = os.path.join(folder, f"~xlsxpatch-{secrets.token_hex(4)}.tmp")
            try:
                os.close(os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
                break
            except FileExistsError:
                tmp = ""  # another file's name
        yield tmp
        with contextlib.suppress(OSError):
            os.chmod(tmp, _mode_for(dst))  # the temporary file was made 0600
        os.replace(tmp, dst)
    except BaseException:
        if tmp:
            with contextlib.suppress(OSError):
                os.remove(tmp)
        raise
