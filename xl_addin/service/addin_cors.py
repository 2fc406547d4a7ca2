"""Cross-origin access for the WPS add-in installed as local files.

``jyyz install --wps`` copies the add-in into WPS's ``jsaddons`` folder, so its
page is not served by the service: its requests to ``http://127.0.0.1:PORT/api/v1``
come from an opaque origin (``Origin: null``, a ``file://`` page).  Such a
request carries the ``X-JYYZ-Token`` header, which makes the browser ask first
(a CORS preflight, ``OPTIONS`` without the token) and then accept the answer
only if it names that origin.

:class:`AddinCors` (outside :class:`security.Guard`) answers those preflights
for ``/api/v1`` and adds ``Access-Control-Allow-Origin`` to the answers, for
:data:`ADDIN_ORIGINS` only; ``serve`` also lets the Guard accept them as
request origins.  This opens nothing without the token: every ``/api/v1``
call but the health check still needs it, and only the clerk's account can
read it (the discovery file is 0600).  Pages stay closed to them: a page
needs the token cookie, which is ``SameSite=Strict`` and so never sent with a
request from another origin.  No ``Access-Control-Allow-Credentials``.
"""

from __future__ import annotations

from xl_addin.service import security

#: Origins of the WPS add-in's page when WPS loads it from local files.
ADDIN_ORIGINS = ("null", "file://")
API_PREFIX = "/api/v1/"
ALLOW_HEADERS = "X-JYYZ-Token, Content-Type"
ALLOW_METHODS = "GET, POST, DELETE"


class AddinCors:
    """ASGI middleware: CORS for :data:`ADDIN_ORIGINS` on ``/api/v1`` (see module doc)."""

    def __init__(self, app, *, port: int):
        self.app = app
        self.hosts = security.allowed_hosts(port)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope.get("path", "").startswith(API_PREFIX):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        origin = headers.get("origin")
        if origin not in ADDIN_ORIGINS or headers.get("host", "").lower() not in self.hosts:
            return await self.app(scope, receive, send)
        cors = [
            (b"access-control-allow-origin", origin.encode("latin-1")),
            (b"vary", b"Origin"),
        ]
        if scope.get("method") == "OPTIONS" and "access-control-request-method" in headers:
            await send(
                {
                    "type": "http.response.start",
                    "status": 204,
                    "headers": [
                        *cors,
                        (b"access-control-allow-methods", ALLOW_METHODS.encode()),
                        (b"access-control-allow-headers", ALLOW_HEADERS.encode()),
                        (b"access-control-max-age", b"600"),
                        (b"content-length", b"0"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return None

        async def with_cors(message):
            if message["type"] == "http.response.start":
                message = dict(message, headers=[*message.get("headers", []), *cors])
            await send(message)

        return await self.app(scope, receive, with_cors)
