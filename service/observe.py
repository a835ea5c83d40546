"""Logging without report text, security headers, and the last line of defence against tracebacks.

uvicorn's own access log is switched off (``access_log=False``): its request line carries the query string,
and its logger bypasses application filters (curie-eng/curie#2536). :class:`GuardMiddleware` writes its own
access line instead, with only the method, the matched route *template* (never the raw path), the status,
the size and the time. A client that goes away before its answer (a closed tab, a dropped upload) is a client
event, logged at INFO on ``kiemdiem.client``: not an error, no answer, no traceback. An unexpected exception is logged by its type only (its message might quote the
report) and answered with ``KD-A009``; it is not re-raised, so the server does not print the traceback.
"""

from __future__ import annotations

import logging
import time

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import InternalError, error_response

access_log = logging.getLogger("kiemdiem.access")
error_log = logging.getLogger("kiemdiem.error")
client_log = logging.getLogger("kiemdiem.client")

_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
_CSP_PAGE = (
    "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
# Swagger UI sets inline styles on its elements.
_CSP_DOCS = _CSP_PAGE + "; style-src 'self' 'unsafe-inline'"

#: ``logging.config.dictConfig`` for ``uvicorn.run(log_config=...)``: server messages and our access line.
LOG_CONFIG: dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s", "datefmt": "%Y-%m-%d %H:%M:%S"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"},
    },
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "kiemdiem": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}


def route_template(scope: Scope) -> str:
    """The path template of the route that handled the request (``/v1/analyze``, ``/static``), or ``-``."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else ("/" if scope.get("path") == "/" else "-")


def _method(scope: Scope) -> str:
    method = scope.get("method", "")
    return method if method in _METHODS else "OTHER"


class GuardMiddleware:
    """Outermost app layer: security headers, a text-free access log line, and no tracebacks."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 0
        size = 0
        started = False
        path = scope.get("path", "")
        api = path.startswith("/v1")
        csp = _CSP_DOCS if path == "/docs" else _CSP_PAGE

        async def send_with_headers(message: Message) -> None:
            nonlocal status, size, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control" or not api]
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"content-security-policy", csp.encode()),
                ]
                if api:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except ClientDisconnect:  # nobody is left to answer
            client_log.info("client disconnected before the answer: %s %s", _method(scope), route_template(scope))
        except Exception as error:  # the message may quote the report: log the type only
            kind = getattr(error, "type_name", type(error).__name__)  # an analysis' failure: its own type
            error_log.error("internal error %s on %s", kind, route_template(scope))
            if not started:
                await error_response(InternalError())(scope, receive, send_with_headers)
        finally:
            access_log.info(
                "%s %s %s %dB %.0fms",
                _method(scope),
                route_template(scope),
                status or "-",
                size,
                (time.perf_counter() - began) * 1000,
            )
