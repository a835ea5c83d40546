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
