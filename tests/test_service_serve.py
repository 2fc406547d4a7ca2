"""``jyyz serve`` as a clerk starts it: the URL first, loopback only, one service per
user (a second start opens the first), a clean stop on Ctrl-C / SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from xl_addin import cli


def start(home: Path, tmp: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "JYYZ_HOME": str(home), "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "xl_addin.cli", "serve", "--no-browser", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )


def get_json(url: str, token: str | None = None) -> dict:
    req = urllib.request.Request(url, headers={"X-JYYZ-Token": token} if token else {})
    with urllib.request.urlopen(req, timeout=10) as r:  # noqa: S310
        return json.loads(r.read().decode("utf-8"))


def listening(port: int) -> set[str]:
    """Local addresses (hex, /proc/net/tcp) listening on ``port``."""
    out = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            parts = line.split()
            addr, port_hex = parts[1].rsplit(":", 1)
            if int(port_hex, 16) == port and parts[3] == "0A":  # LISTEN
                out.add(addr)
    return out


@pytest.fixture
def served(tmp_path):
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    tmp.mkdir()
    proc = start(home, tmp)
    first = proc.stdout.readline().strip()
    yield proc, first, home, tmp
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def test_serve_prints_its_url_first_and_listens_on_loopback_only(served):
    proc, first, home, tmp = served
    assert first.startswith("http://127.0.0.1:") and first.endswith("/")
    port = int(first.rsplit(":", 1)[1].strip("/"))
    assert get_json(f"{first}api/v1/health")["app"] == "jyyz"
    assert listening(port) == {"0100007F"}  # 127.0.0.1, never 0.0.0.0 or ::
    info = json.loads((home / "service.json").read_text())
    assert info["url"] == first and info["port"] == port and info["pid"] == proc.pid
    assert (home / "service.json").stat().st_mode & 0o077 == 0
    assert get_json(f"{first}api/v1/functions", info["token"])
    try:
        other = socket.gethostbyname(socket.gethostname())
    except OSError:
        other = "127.0.0.1"
    if not other.startswith("127."):
        with pytest.raises(OSError):
            socket.create_connection((other, port), timeout=2).close()


def test_a_second_start_opens_the_running_service(served):
    proc, first, home, tmp = served
    second = start(home, tmp)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    assert out.splitlines()[0] == first
    assert "已在运行" in out
    assert proc.poll() is None  # the first one still serves


def test_a_port_in_use_is_refused_in_chinese(served):
    proc, first, home, tmp = served
    port = first.rsplit(":", 1)[1].strip("/")
    second = start(home / "other", tmp, "--port", port)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 2
    assert f"无法使用端口 {port}" in err and "Traceback" not in err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_ends_cleanly(served, sig):
    proc, first, home, tmp = served
    info = json.loads((home / "service.json").read_text())
    assert get_json(f"{first}api/v1/functions", info["token"])
    assert any(tmp.iterdir())  # the jobs' private root
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "jyyz 服务已停止。" in out
    assert "Traceback" not in err
    assert not (home / "service.json").exists()
    assert not any(tmp.iterdir())  # every job folder removed
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{first}api/v1/health", timeout=2)  # noqa: S310


def test_help_lists_serve_without_loading_the_service(capsys):
    code = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, xl_addin.cli as c\n"
            "try:\n    c.build_parser().parse_args(['serve', '--help'])\n"
            "except SystemExit:\n    pass\n"
            "assert 'fastapi' not in sys.modules and 'uvicorn' not in sys.modules",
        ],
        capture_output=True,
        text=True,
    )
    assert code.returncode == 0, code.stderr
    assert "--no-browser" in code.stdout
    assert "serve" in cli.build_parser().format_help()


@pytest.mark.slow
def test_the_installed_wheel_serves_the_page(tmp_path):
    """The wheel carries the templates and static files: installed (here into a folder put
    first on the path, the dependencies from this environment), it serves the page."""
    import http.cookiejar
    import zipfile

    from wheel_build import project_wheel

    wheel = project_wheel()
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    for name in ("index.html", "result.html", "progress.html", "base.html"):
        assert f"xl_addin/service/templates/{name}" in names
    assert {"xl_addin/service/static/style.css", "xl_addin/service/static/progress.js"} <= names
    target = tmp_path / "site"
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert pip.returncode == 0, pip.stderr
    home, tmp, elsewhere = tmp_path / "home", tmp_path / "tmp", tmp_path / "elsewhere"
    tmp.mkdir()
    elsewhere.mkdir()
    env = {**os.environ, "JYYZ_HOME": str(home), "TMPDIR": str(tmp), "PYTHONPATH": str(target)}
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys, xl_addin.service.app as a, xl_addin.cli as c;"
         f"assert a.__file__.startswith({str(target)!r}), a.__file__;"
         "sys.exit(c.main(['serve', '--no-browser']))"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        env=env, cwd=elsewhere,
    )  # fmt: skip
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), proc.stderr.read()
        token = json.loads((home / "service.json").read_text())["token"]
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = opener.open(f"{url}signin?token={token}", timeout=30).read().decode("utf-8")
        assert 'name="ledger"' in page and "开始处理" in page
        css = opener.open(f"{url}static/style.css", timeout=30).read().decode("utf-8")
        assert "Noto Sans CJK SC" in css
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    assert proc.returncode == 0
