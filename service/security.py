"""Optional API token: when ``KIEMDIEM_API_TOKEN`` is set, every ``/v1`` call must carry it.

The token travels as ``Authorization: Bearer <token>`` and is compared in constant time
(:func:`hmac.compare_digest`). The page, its assets and the API docs stay public: they hold no data.
"""

from __future__ import annotations

import hmac

from starlette.types import ASGIApp, Receive, Scope, Send

from service.errors import UnauthorizedError, error_response

PROTECTED_PREFIX = "/v1"


def token_matches(header_value: str | None, token: str) -> bool:
    """True when ``header_value`` is ``Bearer <token>`` (scheme case-insensitive, constant-time compare)."""
    if not header_value:
        return False
    scheme, _, given = header_value.strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8"))


class TokenAuthMiddleware:
    """Answer 401 to a ``/v1`` request without the right bearer token (pure ASGI, before the body is read)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _protected(scope.get("path", "")) and scope.get("method") != "OPTIONS":
            header = None
            for name, value in scope.get("headers", []):
                if name == b"authorization":
                    header = value.decode("latin-1")
                    break
            if not token_matches(header, self.token):
                await error_response(UnauthorizedError())(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _protected(path: str) -> bool:
    return path == PROTECTED_PREFIX or path.startswith(PROTECTED_PREFIX + "/")
