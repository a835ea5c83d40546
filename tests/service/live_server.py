"""A real ``kiemdiem serve`` on a free loopback port, for the tests that talk raw HTTP over a socket."""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class LiveServer:
    """The server's port and the file its log (stderr) goes to."""

    port: int
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def connect(self, timeout: float = 10.0) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        sock.settimeout(timeout)
        return sock

    def wait_for_log(self, text: str, seconds: float = 10.0) -> bool:
        """True once ``text`` is in the log (polled; the server writes it asynchronously)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in self.log():
                return True
            time.sleep(0.05)
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def live_server(log_dir: Path, env: dict[str, str]) -> Iterator[LiveServer]:
    """Start ``python -m nlp.cli serve`` with ``env`` added to a clean ``KIEMDIEM_*`` environment; stop it after."""
    port = free_port()
    log_path = log_dir / "server.log"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KIEMDIEM_")} | env
    command = [sys.executable, "-m", "nlp.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_ready(process, port)
        yield LiveServer(port, log_path)
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _wait_ready(process: subprocess.Popen, port: int, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited while starting (code {process.returncode})")
        with contextlib.suppress(OSError):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/v1/health")
            if b'"ready":true' in connection.getresponse().read():
                return
        time.sleep(0.1)
    raise RuntimeError("the server did not become ready")


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """Read one HTTP response to its end (the server closes the connection or sends Content-Length bytes)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before a response head")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "-1"))
    while length < 0 or len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, headers, body


def closed_by_server(sock: socket.socket) -> bool:
    """True when the server has closed its side (a read returns end of file or the connection is reset)."""
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
