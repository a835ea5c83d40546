"""Request body limits, enforced while the body streams in (pure ASGI, no buffering): size and time.

FastAPI has no upload size cap (fastapi/fastapi#362), and a ``Content-Length`` header can lie or be missing
(chunked transfer). :class:`BodyLimitMiddleware` therefore

- refuses at once, before reading a byte, a declared ``Content-Length`` over the limit (413) or one that is
  not a number (400);
- counts the bytes as the application reads them and stops at the first chunk past the limit (413),
  whatever was declared;
- refuses a body longer or shorter than its declared ``Content-Length`` (400): the header lied;
- gives the whole body ``timeout_s`` seconds from the start of the request, and, once ``grace_s`` seconds have
  passed, requires it to average at least ``min_rate`` bytes per second (a body that stops short of its
  ``Content-Length``, or trickles in, is cut): 408 ``KD-A010`` with ``Connection: close``.

When a limit trips, whatever the application was about to answer is dropped and the error is sent instead. Any
answer sent before the whole body was read (a refusal, a 401, a route that ignores the body) carries
``Connection: close``, so that a client cannot keep the connection by trickling the rest of its body.
"""

from __future__ import annotations

import contextlib
import math

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import ApiError, BodyTimeoutError, MalformedRequestError, RequestTooLargeError, error_response


class _BodyRefused(Exception):
    """Raised inside ``receive`` to unwind the application when the body breaks a rule."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(error.code)
        self.error = error


class BodyLimitMiddleware:
    """Refuse request bodies that are too big or too slow as early as possible (see the module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        *,
        timeout_s: float | None = None,
        min_rate: int = 0,
        grace_s: float = 0.0,
        scaled: dict[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        #: path → how many times ``max_bytes`` a request to it may send (``/v1/compare`` takes up to three files)
        self.scaled = scaled or {}
        self.timeout_s = timeout_s
        self.min_rate = min_rate
        self.grace_s = grace_s

    def allowance(self, received: int) -> float:
        """Seconds from the start of the request by which the body must be complete, given ``received`` bytes.

        Without more bytes, the average rate falls below ``min_rate`` at ``received / min_rate`` seconds; the
        first ``grace_s`` seconds are always allowed, and never more than ``timeout_s`` in all.
        """
        if self.timeout_s is None:
            return math.inf
        if self.min_rate <= 0:
            return self.timeout_s
        return min(self.timeout_s, max(self.grace_s, received / self.min_rate))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = anyio.current_time()
        closing = _closing(send)
        max_bytes = self.max_bytes * self.scaled.get(scope.get("path", ""), 1)
        try:
            declared = _declared_length(scope)
        except ApiError as error:
            await error_response(error)(scope, receive, closing)
            return
        if declared is not None and declared > max_bytes:
            await error_response(RequestTooLargeError(f"Content-Length {declared} > {max_bytes} bytes"))(
                scope, receive, closing
            )
            return
        complete = declared == 0 or (declared is None and not _chunked(scope))

        received = 0
        refused: ApiError | None = None

        async def timed_receive() -> Message:
            if complete or self.timeout_s is None:
                return await receive()
            left = began + self.allowance(received) - anyio.current_time()
            with anyio.move_on_after(max(0.0, left)):
                return await receive()
            elapsed = anyio.current_time() - began
            of = f" of {declared}" if declared is not None else ""
            raise _BodyRefused(BodyTimeoutError(f"{received}{of} bytes received in {elapsed:.1f} s"))

        async def counting_receive() -> Message:
            nonlocal received, complete, refused
            if refused is not None:
                raise _BodyRefused(refused)
            try:
                message = await timed_receive()
            except _BodyRefused as error:
                refused = error.error
                raise
            if message["type"] != "http.request":
                return message
            received += len(message.get("body", b""))
            more = message.get("more_body", False)
            complete = not more
            if received > max_bytes:
                refused = RequestTooLargeError(f"body > {max_bytes} bytes")
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
            await (send if complete else closing)(message)

        with contextlib.suppress(_BodyRefused):
            await self.app(scope, counting_receive, guarded_send)
        if refused is not None and not started:
            await error_response(refused)(scope, receive, closing)


def _closing(send: Send) -> Send:
    """``send``, with ``Connection: close`` added to the response's headers."""

    async def closing_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"]
            message = {**message, "headers": [*headers, (b"connection", b"close")]}
        await send(message)

    return closing_send


def _chunked(scope: Scope) -> bool:
    return any(name == b"transfer-encoding" for name, _ in scope.get("headers", []))


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
