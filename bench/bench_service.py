"""Bounded local load test of the API, compared with in-process analysis of the same report in the same run.

    python bench/bench_service.py [--requests 200] [--concurrency 4] [--workers 1] [--report examples/...]

1. In-process: ``nlp.analyze`` of the report, warm, called one at a time (median) and by ``concurrency`` threads
   at once in one process (p50/p95 per call): what the same machine does without HTTP.
2. Starts ``kiemdiem serve`` on a free loopback port (127.0.0.1 only), waits until it is ready, sends a few
   warm-up requests, then exactly ``--requests`` ``POST /v1/analyze`` from ``--concurrency`` clients (one
   keep-alive connection each), and stops the server.
3. Prints p50/p95/max latency, throughput and errors, and the goal check:
   service p50 <= 1.3 x in-process p50 at the same concurrency + 20 ms, with zero errors.

Nothing leaves the machine; the figures go to docs/BENCHMARKS.md ("Service") with the machine described.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REPORT = ROOT / "examples" / "02a-ngan-hang-yeu.txt"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def in_process(text: str, requests: int, concurrency: int) -> tuple[float, list[float]]:
    """Median of one-at-a-time calls, and the per-call times of ``concurrency`` threads at once."""
    import nlp

    for _ in range(3):
        nlp.analyze(text)
    single = []
    for _ in range(max(20, requests // 4)):
        began = time.perf_counter()
        nlp.analyze(text)
        single.append(time.perf_counter() - began)

    def timed(_: int) -> float:
        began = time.perf_counter()
        nlp.analyze(text)
        return time.perf_counter() - began

    with ThreadPoolExecutor(concurrency) as pool:
        parallel = list(pool.map(timed, range(requests)))
    return statistics.median(single), parallel


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIEMDIEM_")}
    command = [sys.executable, "-m", "nlp.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server exited while starting")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/v1/health")
            ready = json.loads(connection.getresponse().read()).get("ready")
            connection.close()
            if ready:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise SystemExit("the server did not start in 120 s")


def load(port: int, body: bytes, requests: int, concurrency: int) -> tuple[list[float], int, float]:
    """Send exactly ``requests`` analyses from ``concurrency`` clients; per-request latencies, errors, wall time."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    remaining = iter(range(requests))

    def client() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Content-Type": "application/json"}
        while True:
            with lock:
                if next(remaining, None) is None:
                    break
            began = time.perf_counter()
            try:
                connection.request("POST", "/v1/analyze", body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                ok = response.status == 200 and payload.startswith(b'{"schema_version":1')
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
                errors += 0 if ok else 1
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--report", type=Path, default=DEFAULT_REPORT)
    args = parser.parse_args()

    text = args.report.read_text(encoding="utf-8")
    body = json.dumps({"text": text}, ensure_ascii=False).encode("utf-8")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"report: {args.report.name} ({len(text)} characters)")
    print(f"load: {args.requests} requests, concurrency {args.concurrency}, {args.workers} worker(s), loopback")

    single, parallel = in_process(text, args.requests, args.concurrency)
    in_p50 = statistics.median(parallel)
    print(f"in-process, one at a time:      median {single * 1000:7.1f} ms")
    print(
        f"in-process, {args.concurrency} threads at once: p50    {in_p50 * 1000:7.1f} ms"
        f"   p95 {percentile(parallel, 0.95) * 1000:7.1f} ms"
    )

    port = free_port()
    server = start_server(port, args.workers)
    try:
        load(port, body, 2 * args.concurrency, args.concurrency)  # warm-up, not counted
        latencies, errors, wall = load(port, body, args.requests, args.concurrency)
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()

    p50 = statistics.median(latencies)
    print(
        f"service, {args.concurrency} clients:            p50    {p50 * 1000:7.1f} ms"
        f"   p95 {percentile(latencies, 0.95) * 1000:7.1f} ms   max {max(latencies) * 1000:7.1f} ms"
    )
    print(f"service throughput: {len(latencies) / wall:5.1f} reports/s   errors: {errors}/{len(latencies)}")
    goal = 1.3 * in_p50 + 0.020
    print(f"ratio service p50 / in-process p50 (same concurrency): {p50 / in_p50:4.2f}")
    print(f"ratio service p50 / in-process one at a time:          {p50 / single:4.2f}")
    verdict = "met" if errors == 0 and p50 <= goal else "NOT met"
    print(f"goal: zero errors and p50 <= 1.3 x {in_p50 * 1000:.1f} ms + 20 ms = {goal * 1000:.1f} ms: {verdict}")


if __name__ == "__main__":
    main()
