"""Where a running ``jyyz serve`` says how to reach it (the discovery file).

The add-ins (WPS, the Excel ribbon) and a second ``jyyz serve`` read
``<state dir>/service.json``::

    {"url": "http://127.0.0.1:PORT/", "port": PORT, "token": "…", "pid": N, "version": "…"}

The state dir is ``$JYYZ_HOME`` when set, else ``%LOCALAPPDATA%\\jyyz`` on
Windows, else ``$XDG_STATE_HOME/jyyz`` or ``~/.local/state/jyyz``.  The folder
is created with mode 0700 and the file with 0600 (only the clerk's own account
can read the token); the file is removed when the service stops cleanly.

Standard library only, so a client can import this module without the
service's dependencies.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

FILE_NAME = "service.json"
TOKEN_HEADER = "X-JYYZ-Token"
API = "/api/v1"


def state_dir() -> Path:
    """The folder of the discovery file (see module doc)."""
    env = os.environ.get("JYYZ_HOME")
    if env:
        return Path(env)
    if sys.platform.startswith("win"):
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "jyyz"
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "jyyz"


def discovery_path() -> Path:
    return state_dir() / FILE_NAME


def write(info: dict[str, Any]) -> Path:
    """Write the discovery file readable by the owner only (0600 in a 0700 folder)."""
    folder = state_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)
    path = folder / FILE_NAME
    tmp = folder / f".{FILE_NAME}.{os.getpid()}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o600)
    try:
        os.write(fd, json.dumps(info, ensure_ascii=False).encode("utf-8"))
    finally:
        os.close(fd)
    with contextlib.suppress(OSError):
        os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


def read() -> dict[str, Any] | None:
    """The discovery file's content, or None when there is none (or it is unreadable)."""
    try:
        data = json.loads(discovery_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("port"), int):
        return None
    return data


def remove(pid: int | None = None) -> None:
    """Remove the discovery file (only if it is this process's, when ``pid`` is given)."""
    path = discovery_path()
    if pid is not None:
        data = read()
        if data is None or data.get("pid") != pid:
            return
    with contextlib.suppress(OSError):
        path.unlink()


def answers(info: dict[str, Any], timeout: float = 1.5) -> bool:
    """True when the service of ``info`` answers its health check as jyyz and knows the token."""
    port = info.get("port")
    if not isinstance(port, int):
        return False
    base = f"http://127.0.0.1:{port}{API}"
    try:
        with urllib.request.urlopen(f"{base}/health", timeout=timeout) as r:  # noqa: S310
            health = json.loads(r.read().decode("utf-8"))
        if health.get("app") != "jyyz":
            return False
        req = urllib.request.Request(
            f"{base}/functions", headers={TOKEN_HEADER: str(info.get("token", ""))}
        )
        with urllib.request.urlopen(req, timeout=timeout) as r:  # noqa: S310
            return r.status == 200
    except (OSError, ValueError, urllib.error.URLError):
        return False


def running() -> dict[str, Any] | None:
    """The running service's discovery info, or None (a stale file is left for the next start)."""
    info = read()
    if info is not None and answers(info):
        return info
    return None
