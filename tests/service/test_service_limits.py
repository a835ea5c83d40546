"""The size limit works on the ASGI stream itself: it stops pulling the body at the first chunk too many."""

from __future__ import annotations

import json

import anyio
import pytest

from service.limits import BodyLimitMiddleware

LIMIT = 10_000
CHUNK = 1_000


class Stream:
    """An ASGI ``receive`` that hands out ``chunks`` body chunks and counts how many were pulled."""

    def __init__(self, chunks: int) -> None:
        self.chunks = chunks
        self.pulled = 0

    async def __call__(self):
        if self.pulled >= self.chunks:
            return {"type": "http.disconnect"}
        self.pulled += 1
        return {"type": "http.request", "body": b"x" * CHUNK, "more_body": self.pulled < self.chunks}


async def reading_app(scope, receive, send):
    """An app that reads the whole body, then answers 200 with its length."""
    size = 0
    while True:
        message = await receive()
        size += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": str(size).encode()})


async def catching_app(scope, receive, send):
    """An app that swallows errors while reading and answers 400 itself (like a framework would)."""
    try:
        await reading_app(scope, receive, lambda message: None)
    except Exception:
        await send({"type": "http.response.start", "status": 400, "headers": []})
        await send({"type": "http.response.body", "body": b"framework error"})


def run(app, chunks: int, content_length: int | None):
    headers = [(b"content-type", b"application/json")]
    if content_length is not None:
        headers.append((b"content-length", str(content_length).encode()))
    scope = {"type": "http", "method": "POST", "path": "/v1/analyze", "headers": headers}
    stream = Stream(chunks)
    sent = []

    async def send(message):
        sent.append(message)

    anyio.run(BodyLimitMiddleware(app, LIMIT), scope, stream, send)
    status = sent[0]["status"]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return status, body, stream.pulled


@pytest.mark.parametrize("app", [reading_app, catching_app])
def test_chunked_body_without_length_stops_at_the_limit(app):
    status, body, pulled = run(app, chunks=1_000, content_length=None)
    assert status == 413
    assert json.loads(body)["error"]["code"] == "KD-A001"
    assert pulled == LIMIT // CHUNK + 1  # one chunk past the limit, not the 1,000 on offer


def test_declared_length_over_the_limit_pulls_nothing():
    status, _body, pulled = run(reading_app, chunks=1_000, content_length=10**9)
    assert status == 413
    assert pulled == 0


def test_length_that_lies_small_is_caught_at_the_first_chunk():
    status, body, pulled = run(reading_app, chunks=1_000, content_length=500)
    assert status == 400
    assert json.loads(body)["error"]["code"] == "KD-A002"
    assert pulled == 1


def test_length_that_lies_big_is_caught_at_the_end():
    status, _body, pulled = run(reading_app, chunks=3, content_length=5_000)
    assert status == 400
    assert pulled == 3


def test_honest_body_under_the_limit_passes():
    status, body, pulled = run(reading_app, chunks=5, content_length=5 * CHUNK)
    assert (status, body, pulled) == (200, b"5000", 5)


def test_time_allowance_grows_with_the_bytes_received_up_to_the_total():
    middleware = BodyLimitMiddleware(reading_app, LIMIT, timeout_s=30.0, min_rate=1000, grace_s=5.0)
    assert middleware.allowance(0) == 5.0  # the grace period
    assert middleware.allowance(12_000) == 12.0  # 1,000 bytes a second on average
    assert middleware.allowance(10**9) == 30.0  # never past the total
    assert BodyLimitMiddleware(reading_app, LIMIT, timeout_s=2.0).allowance(10**9) == 2.0
    assert BodyLimitMiddleware(reading_app, LIMIT).allowance(0) == float("inf")


def test_body_that_stops_coming_is_answered_408_with_connection_close():
    pulled = 0

    async def stalling():
        nonlocal pulled
        pulled += 1
        if pulled == 1:
            return {"type": "http.request", "body": b"x" * 100, "more_body": True}
        await anyio.sleep_forever()

    headers = [(b"content-type", b"application/json"), (b"content-length", b"10000")]
    scope = {"type": "http", "method": "POST", "path": "/v1/analyze", "headers": headers}
    sent = []

    async def send(message):
        sent.append(message)

    middleware = BodyLimitMiddleware(reading_app, LIMIT, timeout_s=0.2, min_rate=1000, grace_s=0.1)
    anyio.run(middleware, scope, stalling, send)
    assert sent[0]["status"] == 408
    assert (b"connection", b"close") in sent[0]["headers"]
    error = json.loads(b"".join(m.get("body", b"") for m in sent[1:]))["error"]
    assert error["code"] == "KD-A010" and error["detail"].startswith("100 of 10000 bytes received in")
