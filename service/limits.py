"""Request size limit, enforced while the body streams in (pure ASGI, no buffering).

FastAPI has no upload size cap (fastapi/fastapi#362), and a ``Content-Length`` header can lie or be missing
(chunked transfer). :class:`BodySizeLimitMiddleware` therefore

- refuses at once, before reading a byte, a declared ``Content-Length`` over the limit (413) or one that is
  not a number (400);
- counts the bytes as the application reads them and stops at the first chunk past the limit (413),
  whatever was declared;
- refuses a body longer or shorter than its declared ``Content-Length`` (400): the header lied.

When the limit trips, whatever the application was about to answer is dropped and the error is sent instead.
"""

from __future__ import annotations

import contextlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import ApiError, MalformedRequestError, RequestTooLargeError, error_response


class _BodyRefused(Exception):
    """Raised inside ``receive`` to unwind the application when the body breaks a rule."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(error.code)
        self.error = error


class BodySizeLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` as early as possible (see the module docstring)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            declared = _declared_length(scope)
        except ApiError as error:
            await error_response(error)(scope, receive, send)
            return
        if declared is not None and declared > self.max_bytes:
            await error_response(RequestTooLargeError(f"Content-Length {declared} > {self.max_bytes} bytes"))(
                scope, receive, send
            )
            return

        received = 0
        refused: ApiError | None = None

        async def counting_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] != "http.request" or refused is not None:
                return message
            received += len(message.get("body", b""))
            more = message.get("more_body", False)
            if received > self.max_bytes:
                refused = RequestTooLargeError(f"body > {self.max_bytes} bytes")
            elif declared is not None and (received > declared or (not more and received < declared)):
                refused = MalformedRequestError("the body length does not match Content-Length")
            if refused is not None:
                raise _BodyRefused(refused)
            return message

        started = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused is not None:  # the app answered after the refusal (it caught the error): drop its answer
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        with contextlib.suppress(_BodyRefused):
            await self.app(scope, counting_receive, guarded_send)
        if refused is not None and not started:
            await error_response(refused)(scope, receive, send)


def _declared_length(scope: Scope) -> int | None:
    values = [value for name, value in scope.get("headers", []) if name == b"content-length"]
    if not values:
        return None
    if len(set(values)) > 1:
        raise MalformedRequestError("several different Content-Length headers")
    raw = values[0].strip()
    if not raw.isdigit() or len(raw) > 18:
        raise MalformedRequestError("Content-Length is not a number")
    return int(raw)
