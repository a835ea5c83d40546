"""Analyses in a child process with a hard time limit, for engines whose workers cannot use multiprocessing.

A Dask worker runs under a nanny as a *daemonic* process, and a daemonic process may not start
``multiprocessing`` children (so neither ``concurrent.futures`` nor pebble can be used there). Each Dask
worker thread therefore keeps one long-lived child started with :mod:`subprocess` (``python -m
nlp.batch.child``) that loads the models once and analyses one file at a time. The parent waits for the
answer with a deadline; past it, the child is killed (SIGKILL: a stuck analysis cannot ignore it) and the
next file gets a fresh child. A child that dies on a file costs only that file ("crash").

Protocol over the child's stdin/stdout: frames of an 8-byte length and a pickle. The parent sends
``{"sys_path", "model"}`` once, then ``(function, task)`` per file; the child answers ``"ready"`` once its
models are loaded (the time limit starts after that), then one :class:`~nlp.batch.worker.Outcome` per task.
The child's own stdout is sent to /dev/null, so nothing a library prints can break the protocol; report text
is never written anywhere but the pipe.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import BinaryIO

from nlp.batch.worker import Outcome, Task, error_row, timeout_row

_LENGTH = struct.Struct(">Q")
_READY = "ready"


class ChildStartError(RuntimeError):
    """The child process exited before it was ready (a broken installation): no file can be analysed."""


def _send(stream: BinaryIO, obj: object) -> None:
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(payload)) + payload)
    stream.flush()


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes | None:
    """``size`` bytes from ``fd``; None at end of file; raise :class:`TimeoutError` past ``deadline``."""
    chunks, missing = [], size
    while missing:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _receive(fd: int, deadline: float | None = None) -> object | None:
    """The next frame's object; None when the other side has gone."""
    header = _read_exact(fd, _LENGTH.size, deadline)
    if header is None:
        return None
    payload = _read_exact(fd, _LENGTH.unpack(header)[0], deadline)
    return None if payload is None else pickle.loads(payload)


class ChildProcess:
    """One long-lived analysing child; started on first use, replaced after a timeout or a crash."""

    def __init__(self, model: str | None = None) -> None:
        self.model = model
        self._process: subprocess.Popen | None = None
        self._ready = False

    @property
    def pid(self) -> int | None:
        """The child's process id (None when none is running)."""
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        """Start the child (it loads the models in the background of the caller)."""
        if self._process is not None:
            return
        self._process = subprocess.Popen(
            [sys.executable, "-m", "nlp.batch.child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
        )
        self._ready = False
        _send(self._process.stdin, {"sys_path": list(sys.path), "model": self.model})

    def run(self, task: Task, function: Callable[[Task], Outcome], timeout_s: float | None) -> Outcome:
        """Analyse ``task`` with ``function`` in the child; a timeout or a crash becomes an error row."""
        self.start()
        process = self._process
        assert process is not None and process.stdin is not None and process.stdout is not None
        if not self._ready:
            if _receive(process.stdout.fileno()) != _READY:
                self.stop()
                raise ChildStartError("the analysing process could not start")
            self._ready = True
        started = time.perf_counter()
        try:
            _send(process.stdin, (function, task))
            deadline = time.monotonic() + timeout_s if timeout_s else None
            outcome = _receive(process.stdout.fileno(), deadline)
        except TimeoutError:
            self.stop()
            outcome = Outcome(task.sha256, False, timeout_row(timeout_s))
        except (BrokenPipeError, OSError, EOFError, pickle.UnpicklingError):
            outcome = None
        if not isinstance(outcome, Outcome):  # the child died on this file
            self.stop()
            outcome = Outcome(task.sha256, False, error_row("crash"))
        outcome.seconds = outcome.seconds or time.perf_counter() - started
        return outcome

    def stop(self) -> None:
        """Kill the child (whatever it is doing) and reap it."""
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError):
            process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            with contextlib.suppress(OSError):
                stream.close()


# ---------------------------------------------------------------------------------------------- per worker

_lock = threading.Lock()
_idle: list[ChildProcess] = []
_all: set[ChildProcess] = set()


def _take(model: str | None) -> ChildProcess:
    with _lock:
        if _idle:
            return _idle.pop()
        child = ChildProcess(model)
        _all.add(child)
        return child


def _give_back(child: ChildProcess) -> None:
    with _lock:
        _idle.append(child)


def analyse_in_child(task: Task, function: Callable[[Task], Outcome] | None = None) -> Outcome:
    """Analyse ``task`` in one of this process's children, under ``task.timeout_s`` (the Dask task)."""
    from nlp.batch.worker import analyse

    child = _take(task.model)
    try:
        return child.run(task, function or analyse, task.timeout_s)
    finally:
        _give_back(child)


def prestart(model: str | None = None, dask_worker: object | None = None) -> int:
    """Start one child per worker thread now, so that their models load while the batch starts."""
    wanted = int(getattr(dask_worker, "nthreads", 1) or 1)
    with _lock:
        missing = max(0, wanted - len(_idle))
    for _ in range(missing):
        child = ChildProcess(model)
        child.start()
        with _lock:
            _all.add(child)
            _idle.append(child)
    return missing


def stop_all() -> int:
    """Kill every child of this process (the batch is over, or cancelled)."""
    with _lock:
        children = list(_all)
        _all.clear()
        _idle.clear()
    for child in children:
        child.stop()
    return len(children)


# ---------------------------------------------------------------------------------------------- the child


def main() -> None:
    """The child's loop: load the models, then analyse one task per frame until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C belongs to the driver
    requests = os.dup(0)
    answers = os.fdopen(os.dup(1), "wb")
    quiet = os.open(os.devnull, os.O_RDWR)
    os.dup2(quiet, 0)
    os.dup2(quiet, 1)  # what a library prints goes nowhere, never into the protocol
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    settings = _receive(requests)
    if not isinstance(settings, dict):
        return
    sys.path[:] = [*settings["sys_path"], *(p for p in sys.path if p not in settings["sys_path"])]
    from nlp.batch.worker import warm_up

    warm_up(settings.get("model"))
    _send(answers, _READY)
    while (request := _receive(requests)) is not None:
        function, task = request
        _send(answers, function(task))


if __name__ == "__main__":
    main()
