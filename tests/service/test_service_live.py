"""Slow, lying and vanishing clients against a real ``kiemdiem serve`` over raw sockets on 127.0.0.1.

The server runs with small limits (a 2 s body limit, 1,000 bytes/s after 0.5 s, a 1 s request-head limit) and one
analysis process; every answer the tests wait for comes well inside the sockets' 10 s timeout.
"""

from __future__ import annotations

import http.client
import json
import select
import time

import pytest
from live_server import closed_by_server, live_server, read_response
from service_support import WEAK_REPORT

import nlp

ENV = {
    "KIEMDIEM_BODY_TIMEOUT": "2",
    "KIEMDIEM_BODY_GRACE": "0.5",
    "KIEMDIEM_BODY_MIN_RATE": "1000",
    "KIEMDIEM_HEADER_TIMEOUT": "1",
    "KIEMDIEM_ANALYSIS_WORKERS": "1",
}
TEN_MB = 10 * 1024 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("live"), ENV) as running:
        yield running


def upload_head(length: int = TEN_MB) -> bytes:
    return (
        "POST /v1/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()


def feed_until_answered(sock, chunk: bytes, pause: float, seconds: float = 10.0) -> None:
    """Send ``chunk`` every ``pause`` seconds until the server answers (or closes), at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        readable, _, _ = select.select([sock], [], [], pause)
        if readable:
            return
        try:
            sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            return
    raise AssertionError("no answer while the body was still coming")


def assert_body_timeout(sock) -> None:
    status, headers, body = read_response(sock)
    assert status == 408
    assert headers["content-type"] == "application/json"
    assert headers["connection"] == "close"
    error = json.loads(body)["error"]
    assert error["code"] == "KD-A010" and error["status"] == 408
    assert closed_by_server(sock)


def test_body_shorter_than_its_length_is_answered_and_closed(server):
    with server.connect() as sock:
        sock.sendall(upload_head() + b'{"text": "' + b"x" * 90)  # 100 bytes of 10 MB, then nothing
        assert_body_timeout(sock)


def test_trickling_body_is_cut_by_the_minimum_rate(server):
    with server.connect() as sock:
        sock.sendall(upload_head())
        feed_until_answered(sock, b"xxxxx", pause=0.2)  # 25 bytes per second
        assert_body_timeout(sock)


def test_steady_but_endless_body_is_cut_by_the_total_limit(server):
    with server.connect() as sock:
        sock.sendall(upload_head())
        feed_until_answered(sock, b"x" * 4096, pause=0.1)  # about 40 KB/s: over the rate, never done
        assert_body_timeout(sock)


def test_answer_before_the_body_is_read_closes_the_connection(server):
    with server.connect() as sock:  # the route does not read the body: the rest must not hold the connection
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n\r\nxxxx")
        status, headers, _ = read_response(sock)
        assert status == 200 and headers["connection"] == "close"
        assert closed_by_server(sock)
    with server.connect() as sock:  # declared over the size limit: refused before a byte is read, and closed
        sock.sendall(upload_head(10**12))
        status, headers, body = read_response(sock)
        assert status == 413 and headers["connection"] == "close"
        assert json.loads(body)["error"]["code"] == "KD-A001"
        assert closed_by_server(sock)


def test_disconnect_mid_upload_is_a_client_event_not_an_error(server):
    with server.connect() as sock:
        sock.sendall(upload_head() + b'{"text": "' + b"x" * 90)
    assert server.wait_for_log("client disconnected before the answer")
    line = next(line for line in server.log().splitlines() if "client disconnected" in line)
    assert " INFO kiemdiem.client: " in line


def test_content_length_not_a_number_gets_json(server):
    with server.connect() as sock:
        sock.sendall(b"POST /v1/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n{}")
        status, headers, body = read_response(sock)
        assert status == 400
        assert headers["content-type"] == "application/json"
        assert json.loads(body)["error"]["code"] == "KD-A002"
        assert closed_by_server(sock)


def test_request_head_that_never_ends_is_closed(server):
    with server.connect() as sock:
        sock.sendall(b"POST /v1/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        assert closed_by_server(sock)  # within the 1 s head limit (the socket's own timeout is 10 s)


def test_server_keeps_serving_and_results_are_the_library_s(server):
    body = json.dumps({"text": WEAK_REPORT}, ensure_ascii=False).encode()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.request("POST", "/v1/analyze", body=body, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    assert response.status == 200
    assert json.loads(response.read()) == json.loads(nlp.analyze(WEAK_REPORT).model_dump_json())


def test_log_holds_no_error_and_no_500(server):
    """Run last in this module: after all the clients above, nothing was logged as a server error."""
    log = server.log()
    assert "client disconnected" in log and "KD-A" not in log
    assert " ERROR " not in log and "Traceback" not in log
    assert " 500 " not in log
