"""The API under load against one analysis alone, measured in one run with alternating rounds.

    python bench/bench_service.py [--rounds 5] [--per-round 40] [--concurrency 4] [--pool 2] [--workers 1]

Starts ``kiemdiem serve`` on a free loopback port (127.0.0.1 only) with ``--pool`` analysis processes
(``KIEMDIEM_ANALYSIS_WORKERS``; 0 = the former threads in the server process) and ``--workers`` uvicorn
processes, waits until it is ready and sends a few warm-up requests. Then, ``--rounds`` times, in turn:

1. **alone**: ``nlp.analyze`` of the report in this process, warm, one call at a time (the server idle);
2. **service, 1 client**: ``POST /v1/analyze`` (JSON) one at a time;
3. **service, N clients**: ``--per-round`` requests from ``--concurrency`` clients at once (one keep-alive
   connection each);
4. unless ``--no-threads``: the same N clients against a second server started with
   ``KIEMDIEM_ANALYSIS_WORKERS=0`` (analyses in threads of the server process, as before issue 12).

Alternating them keeps a change in the machine's load (other work on the same cores) from favouring one.
Prints the mean and percentiles of each, the ratios, and the goal of issue 12: mean latency at 4 clients
≤ 2.5 × one analysis alone, with zero errors. On Linux it also prints the CPU time each server's process tree
(uvicorn, forkserver, analysis processes) spent per request at N clients: a figure that other work on the
machine does not inflate, unlike wall times; and how much two analyses at once in two plain processes slow each
other (1.0 when the machine has two free cores: the floor for any pool of two). Nothing leaves the machine; the figures go to
docs/BENCHMARKS.md ("Service") with the machine described.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REPORT = ROOT / "examples" / "02a-ngan-hang-yeu.txt"
GOAL = 2.5


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int, pool: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIEMDIEM_")}
    env["KIEMDIEM_ANALYSIS_WORKERS"] = str(pool)
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


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of ``pid`` and all its descendants, from /proc (0 where there is none)."""
    parents: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry.name))
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += times.get(current, 0.0)
        todo += parents.get(current, [])
    return total


def _analyse_many(text: str, calls: int) -> float:
    return statistics.fmean(alone(text, calls))


def two_at_once(text: str, calls: int) -> float:
    """Mean time of one analysis while two processes analyse at the same time (fork of this warm process)."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(2) as pool:
        return statistics.fmean(pool.starmap(_analyse_many, [(text, calls)] * 2))


def alone(text: str, calls: int) -> list[float]:
    """Wall times of ``calls`` warm in-process analyses, one at a time."""
    import nlp

    times = []
    for _ in range(calls):
        began = time.perf_counter()
        nlp.analyze(text)
        times.append(time.perf_counter() - began)
    return times


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


def summary(name: str, values: list[float]) -> str:
    return (
        f"{name:<26} mean {statistics.fmean(values) * 1000:7.1f} ms   p50 {statistics.median(values) * 1000:7.1f}"
        f"   p95 {percentile(values, 0.95) * 1000:7.1f}   n={len(values)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-round", type=int, default=40, help="requests per round at full concurrency")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--pool", type=int, default=2, help="analysis processes (KIEMDIEM_ANALYSIS_WORKERS)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--report", type=Path, default=DEFAULT_REPORT)
    parser.add_argument("--no-threads", action="store_true", help="skip the server with analyses in threads")
    args = parser.parse_args()

    text = args.report.read_text(encoding="utf-8")
    body = json.dumps({"text": text}, ensure_ascii=False).encode("utf-8")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(f"report: {args.report.name} ({len(text)} characters)")
    print(
        f"server: {args.workers} uvicorn worker(s), {args.pool} analysis process(es); {args.rounds} rounds of "
        f"{args.per_round} requests at concurrency {args.concurrency}, loopback"
    )
    alone(text, 3)  # warm this process
    solo_calls = max(4, args.per_round // args.concurrency)
    servers: dict[int, subprocess.Popen] = {}
    in_process: list[float] = []
    one_client: list[float] = []
    many: list[float] = []
    threaded: list[float] = []
    cpu = {"pool": 0.0, "threads": 0.0}
    pairs: list[float] = []
    errors = 0
    try:
        port = free_port()
        servers[port] = start_server(port, args.workers, args.pool)
        thread_port = None
        if not args.no_threads:
            thread_port = free_port()
            servers[thread_port] = start_server(thread_port, args.workers, 0)
        for warm in servers:
            load(warm, body, 2 * args.concurrency, args.concurrency)  # warm-up, not counted
        for _ in range(args.rounds):
            in_process += alone(text, solo_calls)
            pairs.append(two_at_once(text, solo_calls))
            latencies, failed, _ = load(port, body, solo_calls, 1)
            one_client += latencies
            errors += failed
            began = tree_cpu(servers[port].pid)
            latencies, failed, _ = load(port, body, args.per_round, args.concurrency)
            cpu["pool"] += tree_cpu(servers[port].pid) - began
            many += latencies
            errors += failed
            if thread_port is not None:
                began = tree_cpu(servers[thread_port].pid)
                latencies, failed, _ = load(thread_port, body, args.per_round, args.concurrency)
                cpu["threads"] += tree_cpu(servers[thread_port].pid) - began
                threaded += latencies
                errors += failed
    finally:
        for server in servers.values():
            server.terminate()
        for server in servers.values():
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()

    base = statistics.fmean(in_process)
    print(summary("alone (in-process):", in_process))
    print(summary("service, 1 client:", one_client))
    print(summary(f"service, {args.concurrency} clients:", many))
    if threaded:
        print(summary(f"threads, {args.concurrency} clients:", threaded))
    print(f"errors: {errors}/{len(one_client) + len(many) + len(threaded)}")
    print(f"ratio service 1 client / alone:           {statistics.fmean(one_client) / base:5.2f}")
    ratio = statistics.fmean(many) / base
    print(f"ratio service {args.concurrency} clients / alone:         {ratio:5.2f}")
    if threaded:
        print(f"ratio threads {args.concurrency} clients / alone:         {statistics.fmean(threaded) / base:5.2f}")
    print(f"two analyses at once in two processes: each {statistics.fmean(pairs) / base:4.2f} x alone")
    if cpu["pool"] > 0:
        print(f"CPU per request at {args.concurrency} clients, server's process tree:")
        print(f"  {args.pool} analysis processes:   {cpu['pool'] / len(many) * 1000:6.1f} ms")
        if threaded:
            print(f"  threads (before):        {cpu['threads'] / len(threaded) * 1000:6.1f} ms")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    verdict = "met" if errors == 0 and ratio <= GOAL else "NOT met"
    print(f"goal: zero errors and mean at {args.concurrency} clients <= {GOAL} x alone: {verdict}")


if __name__ == "__main__":
    main()
