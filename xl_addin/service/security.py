"""What keeps the local service the clerk's own: it holds ID numbers.

- :class:`Guard` (ASGI middleware) refuses, before any route runs:
  a ``Host`` that is not ``127.0.0.1``/``localhost``/``[::1]`` with the
  service's port (DNS rebinding: a foreign site's name resolving to
  127.0.0.1); a state-changing request (POST, PUT, PATCH, DELETE) whose
  ``Origin`` — or, without one, ``Referer`` — is not the service itself
  (a page the clerk visits cannot post to it); any ``/api/v1`` call but
  ``GET /api/v1/health`` without the per-start token (header
  ``X-JYYZ-Token``) and any page but the sign-in without the token cookie;
  a body larger than :data:`MAX_UPLOAD` (counted while it arrives, also
  without ``Content-Length``).
- :func:`check_workbook_zip` refuses an upload the ledger reader would refuse as a
  resource bomb (the same checks and words as ``jyyz fill``:
  :func:`xl_addin.zip_guard.guard_workbook`), and one whose members would unpack
  beyond :data:`MAX_UNCOMPRESSED` together (the service's own, lower limit).
- :func:`safe_display_name` makes the client's file name a bare name for
  display and the download's name; it is never a path on this machine.

Refusals answer in Chinese (JSON for ``/api``, a short page otherwise) and
are logged without the request's query or body.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from calc.errors import InputError
from xl_addin import zip_guard

logger = logging.getLogger("jyyz.service")

TOKEN_HEADER = "x-jyyz-token"
#: The largest request body (an uploaded workbook), bytes.
MAX_UPLOAD = 100 * 1024 * 1024
#: The most ledgers one upload may carry (a report rolling up a street's or a district's
#: community ledgers); together they stay within :data:`MAX_UPLOAD`.
MAX_LEDGERS = 300
#: The most an uploaded workbook may unpack to, bytes (a 100,000-row ledger is ~150 MB).
#: Lower than the reader's own limit (xl_addin.xlsxpatch.zipguard): one request of the
#: service holds at most this much, whatever the PC.
MAX_UNCOMPRESSED = 1024 * 1024 * 1024
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
OPEN_PATHS = frozenset({"/api/v1/health", "/signin", "/static/style.css", "/favicon.ico"})


def cookie_name(port: int) -> str:
    """The token cookie (cookies are not kept per port, so the port is in the name)."""
    return f"jyyz_{port}"


def same(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def allowed_hosts(port: int) -> frozenset[str]:
    return frozenset(f"{h}:{port}" for h in ("127.0.0.1", "localhost", "[::1]"))


def allowed_origins(port: int, extra: Iterable[str] = ()) -> frozenset[str]:
    return frozenset({f"http://{h}" for h in allowed_hosts(port)} | set(extra))


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else "null"


class Guard:
    """ASGI middleware: Host, Origin, token and body-size checks (see module doc)."""

    def __init__(self, app, *, port: int, token: str, extra_origins: Iterable[str] = ()):
        self.app = app
        self.port = port
        self.token = token
        self.hosts = allowed_hosts(port)
        self.origins = allowed_origins(port, extra_origins)
        self.cookie = cookie_name(port)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        path = scope.get("path", "")
        method = scope.get("method", "GET")
        refusal = self.refusal(method, path, headers)
        if refusal is not None:
            status, message = refusal
            logger.warning("拒绝请求 %s %s：%s", method, path.split("?")[0][:80], message)
            return await _refuse(scope, send, status, message)
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > MAX_UPLOAD:
            return await _refuse(scope, send, 413, too_large())
        try:
            return await self.app(scope, _limited(receive), send)
        except Exception as err:  # noqa: BLE001 - the 500 page is sent; no traceback in the log
            # (a traceback's messages may quote a ledger's cells)
            logger.error("内部错误 %s %s：%s", method, path[:80], type(err).__name__)

    def refusal(self, method: str, path: str, headers: dict[str, str]) -> tuple[int, str] | None:
        if headers.get("host", "").lower() not in self.hosts:
            return 403, "请求的主机名不是本机（127.0.0.1 或 localhost），已拒绝"
        if method in STATE_CHANGING:
            origin = headers.get("origin")
            if origin is None and headers.get("referer"):
                origin = _origin_of(headers["referer"])
            if origin is not None and origin.lower() not in self.origins:
                return 403, "请求来自其他网站（来源不是本机的 jyyz 服务），已拒绝"
        if path in OPEN_PATHS or path.startswith(("/static/", "/wps/")):
            return None
        if same(headers.get(TOKEN_HEADER), self.token):
            return None
        if same(_cookies(headers.get("cookie", "")).get(self.cookie), self.token):
            return None
        if path.startswith("/api/"):
            return 401, "缺少或错误的访问令牌（X-JYYZ-Token）"
        return 401, "请从桌面快捷方式或命令“jyyz serve”打开本页面（缺少访问令牌）"


def _cookies(text: str) -> dict[str, str]:
    out = {}
    for part in text.split(";"):
        if "=" in part:
            k, v = part.split("=", 1)
            out[k.strip()] = v.strip()
    return out


def too_large() -> str:
    return f"上传的文件太大：不能超过 {MAX_UPLOAD // (1024 * 1024)} MB"


class BodyTooLarge(Exception):
    """The request body grew beyond :data:`MAX_UPLOAD` while arriving."""


class UploadTooLarge(InputError):
    """An upload refused for its size (:func:`too_large`): answered with HTTP 413."""


def _limited(receive):
    seen = 0

    async def wrapped():
        nonlocal seen
        message = await receive()
        if message.get("type") == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_UPLOAD:
                raise BodyTooLarge(too_large())
        return message

    return wrapped


async def _refuse(scope, send, status: int, message: str) -> None:
    if scope.get("path", "").startswith("/api/"):
        body = json.dumps({"detail": message}, ensure_ascii=False).encode("utf-8")
        ctype = b"application/json"
    else:
        body = (
            '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>jyyz</title>'
            f"<p>{message}</p></html>"
        ).encode()
        ctype = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def safe_display_name(name: str | None, default: str = "台账.xlsx") -> str:
    """The bare file name of an upload (no folders, no control or reserved characters)."""
    text = (name or "").replace("\\", "/").split("/")[-1]
    text = re.sub(r'[\x00-\x1f<>:"|?*]', "", text).strip().strip(".")
    if not text:
        return default
    stem, dot, ext = text.rpartition(".")
    if not dot:
        stem, ext = text, ""
    return (stem[:80] or "台账") + (f".{ext[:8]}" if ext else "")


def check_workbook_zip(path: Path, display: str) -> None:
    """Refuse a workbook (a zip) that unpacks too far or too steeply: a zip bomb.

    The reader's own checks first, so an upload is refused exactly when ``jyyz fill``
    would refuse the same file, in the same words; then the service's limit on the
    total.  Anything that is not a zip is left to the ledger reader, so a corrupt or
    foreign file gets the very message ``jyyz fill`` prints for it.
    """
    zip_guard.guard_workbook(path)
    try:
        with zipfile.ZipFile(path) as z:
            total = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, OSError):
        return
    if total > MAX_UNCOMPRESSED:
        raise InputError(
            f"文件“{display}”解压后共 {total // (1024 * 1024)} MB，超过上限 "
            f"{MAX_UNCOMPRESSED // (1024 * 1024)} MB，已拒绝"
        )
