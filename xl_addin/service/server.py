"""``jyyz serve``: start the service on 127.0.0.1 (or open the one already running).

The first line printed is the service's URL (flushed at once, for scripts
reading the output).  The browser is opened on ``/signin?token=…``, which sets
the per-start token as an HttpOnly cookie and redirects to the page, so the
token leaves the address bar at once.  Ctrl-C, SIGTERM (and Ctrl-Break on
Windows) stop the service cleanly: running requests end, the discovery file
and every job's temporary folder are removed.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import socket
import sys
import threading
import webbrowser
from typing import TextIO

from xl_addin.service import discovery

logger = logging.getLogger("jyyz.service")
HOST = "127.0.0.1"


class _Stop(Exception):
    """A stop signal arrived (raised by the handlers installed while serving)."""


def _stop(signum, frame) -> None:
    raise _Stop


def signin_url(info: dict) -> str:
    return f"{info['url']}signin?token={info['token']}"


def listen(port: int | None) -> socket.socket:
    """A listening socket on 127.0.0.1 (port 0: a free one chosen by the system)."""
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted connections only for sockets
    # that say they are TCP; without it a keep-alive reply waits 40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    if sys.platform.startswith("win"):
        # no other program may bind the same port while we hold it
        sock.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_EXCLUSIVEADDRUSE", 0), 1)
    try:
        sock.bind((HOST, port or 0))
    except OSError as err:
        sock.close()
        from calc.errors import InputError

        raise InputError(f"无法使用端口 {port}：{err.strerror or err}（可能已被其他程序占用，换一个端口或不指定端口）") from None  # fmt: skip
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _open_browser(url: str) -> None:
    def go() -> None:
        try:
            webbrowser.open(url)
        except Exception:  # noqa: BLE001 - the URL is printed; the clerk can open it by hand
            pass

    threading.Timer(0.3, go).start()


def serve(
    port: int | None = None,
    *,
    open_browser: bool = True,
    out: TextIO | None = None,
    extra_origins: tuple[str, ...] = (),
) -> int:
    """Run the service until stopped; returns the exit code (0 on a clean stop)."""
    out = out or sys.stdout
    # origins an office allows for good (an add-in served elsewhere), e.g. in the shortcut
    env = os.environ.get("JYYZ_ALLOWED_ORIGINS", "")
    extra_origins = tuple(extra_origins) + tuple(o for o in env.replace(",", " ").split() if o)
    if port is None:
        info = discovery.running()
        if info is not None:
            print(info["url"], file=out, flush=True)
            print(f"jyyz 服务已在运行（进程 {info.get('pid')}），已在浏览器中打开。", file=out, flush=True)  # fmt: skip
            if open_browser:
                _open_browser(signin_url(info))
            return 0
    import uvicorn

    from xl_addin.service.app import VERSION, create_app, guarded
    from xl_addin.service.runner import Runner

    sock = listen(port)
    port = sock.getsockname()[1]
    token = secrets.token_urlsafe(24)
    url = f"http://{HOST}:{port}/"
    info = {"url": url, "port": port, "token": token, "pid": os.getpid(), "version": VERSION}
    runner = Runner()
    app = create_app(port=port, token=token, runner=runner, extra_origins=extra_origins)
    config = uvicorn.Config(
        guarded(app, port=port, token=token, extra_origins=extra_origins),
        log_level="warning",
        access_log=False,  # URLs carry a job number at most, but the sign-in carries the token
        lifespan="off",
        timeout_keep_alive=30,
        server_header=False,
    )
    server = uvicorn.Server(config)
    handled = [signal.SIGINT, signal.SIGTERM] + (
        [signal.SIGBREAK] if hasattr(signal, "SIGBREAK") else []
    )
    old = {}
    if threading.current_thread() is threading.main_thread():
        old = {s: signal.signal(s, _stop) for s in handled}
    try:
        discovery.write(info)  # before the URL is printed: whoever sees the URL finds the file
        print(url, file=out, flush=True)
        print(f"如浏览器没有自动打开，请在浏览器中打开：{signin_url(info)}", file=out, flush=True)
        print("按 Ctrl+C 停止服务（关闭本窗口也会停止）。", file=out, flush=True)
        if open_browser:
            _open_browser(signin_url(info))
        server.run(sockets=[sock])
    except (_Stop, KeyboardInterrupt):
        pass
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        discovery.remove(pid=os.getpid())
        runner.close()
        sock.close()
    print("jyyz 服务已停止。", file=out, flush=True)
    return 0
