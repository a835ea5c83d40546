"""uvicorn's HTTP/1.1 protocol (h11) with two changes for clients that break HTTP or never finish a request.

- **Malformed HTTP is answered in JSON.** A request h11 cannot parse (``Content-Length: abc``, a bad request
  line, a header without a colon, a request head still incomplete past h11's 16 KiB buffer...) never reaches
  the app: uvicorn answers it itself with a plain-text 400. Here that answer is the API's ``400 KD-A002`` JSON, with
  ``Connection: close``.
- **A time limit on the request head.** uvicorn limits only how long an idle keep-alive connection stays open
  (5 s after an answer); a client that sends its request line and headers a byte at a time would hold its
  connection for ever. The connection is closed when the head is not complete ``KIEMDIEM_HEADER_TIMEOUT``
  seconds (10) after the connection opened or the last answer ended. (Nothing can be answered then: there is
  no request yet.)

``kiemdiem serve`` passes this class as uvicorn's ``http`` protocol. It relies on two methods of uvicorn's
``H11Protocol`` (``send_400_response``, ``on_response_complete``); ``tests/service/test_service_live.py`` checks
both behaviours on a real server, so an uvicorn upgrade that changes them fails the tests.
"""

from __future__ import annotations

import asyncio
import json
from functools import cache

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from service.config import Settings
from service.errors import MalformedRequestError


@cache
def head_timeout_s() -> float:
    """``KIEMDIEM_HEADER_TIMEOUT``, read once per process."""
    return Settings.from_env().header_timeout_s


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with JSON answers to malformed requests and a request-head time limit."""

    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._watch_head()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch_head()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        error = MalformedRequestError("malformed HTTP request")
        body = json.dumps(error.to_dict(), ensure_ascii=False, separators=(",", ":")).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
            (b"connection", b"close"),
        ]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"), h11.Data(data=body)):
            self.transport.write(self.conn.send(event))
        self.transport.write(self.conn.send(h11.EndOfMessage()) or b"")
        self.transport.close()

    def _watch_head(self) -> None:
        """Arm the timer while a request head is awaited, stop it once one has arrived."""
        awaiting = self.conn.their_state is h11.IDLE and not self.transport.is_closing()
        if awaiting and self._head_timer is None:
            self._head_timer = self.loop.call_later(head_timeout_s(), self._head_timed_out)
        elif not awaiting:
            self._stop_head_timer()

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()
