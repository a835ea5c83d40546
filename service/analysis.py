"""Run analyses off the event loop: in a pool of warm worker processes, each analysis under a time limit.

:class:`ProcessRunner` (the default, ``KIEMDIEM_ANALYSIS_WORKERS`` ≥ 1) sends each :class:`~service.worker.Job`
to a ``pebble.ProcessPool``. Every process loads the models once (the forkserver they are forked from has
already loaded them, see :mod:`service.preload`), so an analysis starts warm; analyses in separate processes run
on separate cores (no GIL between them). An analysis that runs longer than ``timeout_s`` is answered 504
(``KD-A011``) and its process is killed and replaced; the server, its other analyses and health checks go on.

:class:`ThreadRunner` (``KIEMDIEM_ANALYSIS_WORKERS=0``) runs them in threads of the server process: no second
copy of the models, but no isolation either — past the time limit the request is answered 504 while the thread
runs to its end.

Both admit at most ``max_pending`` analyses, running or waiting; one more is refused with 503 (``KD-A008``).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import sys
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool

import anyio
import anyio.to_thread

from nlp.config import Configuration
from service.errors import AnalysisTimeoutError, BusyError, PartRefusal
from service.worker import WARMUP_TEXT, Job, Outcome, perform, start_process, warm_up

log = logging.getLogger("kiemdiem.analysis")

Perform = Callable[[Job], Outcome]


class AnalysisFailure(Exception):
    """An unexpected failure of an analysis; ``type_name`` is the exception's type (its message is never kept)."""

    def __init__(self, type_name: str) -> None:
        super().__init__(type_name)
        self.type_name = type_name


class Runner:
    """What both runners share: admission (``max_pending``) and turning an :class:`Outcome` into an answer."""

    def __init__(
        self, max_pending: int, timeout_s: float, perform: Perform = perform, config: Configuration | None = None
    ) -> None:
        self.max_pending = max_pending
        self.timeout_s = timeout_s
        self.perform = perform
        self.pending = 0
        #: the server's configuration, warmed up with the models (a configuration's lexicons compile once)
        self.config = config or Configuration()

    async def start(self, warm: bool) -> None:
        """Get ready to analyse (start processes, load models when ``warm``)."""

    async def stop(self) -> None:
        """Release processes and threads."""

    async def run(self, job: Job) -> str:
        """The body of the answer to ``job``; raise the refusal, 503 when too many are admitted, 504 past the limit."""
        if self.pending >= self.max_pending:
            raise BusyError(f"{self.pending} analyses running or waiting")
        self.pending += 1
        try:
            outcome = await self._run(job)
        finally:
            self.pending -= 1
        if outcome.refusal is not None:
            if outcome.part is not None:  # one file of a comparison: say which
                raise PartRefusal(outcome.part, outcome.refusal_error())
            raise outcome.refusal_error()
        if outcome.failure is not None:
            raise AnalysisFailure(outcome.failure)
        return outcome.body

    async def _run(self, job: Job) -> Outcome:
        raise NotImplementedError


class ThreadRunner(Runner):
    """Analyses in threads of the server process, at most ``threads`` at once (see the module docstring)."""

    def __init__(
        self,
        threads: int,
        max_pending: int,
        timeout_s: float,
        perform: Perform = perform,
        config: Configuration | None = None,
    ) -> None:
        super().__init__(max_pending, timeout_s, perform, config)
        self.threads = threads
        self._limiter: anyio.CapacityLimiter | None = None

    async def start(self, warm: bool) -> None:
        self._limiter = anyio.CapacityLimiter(self.threads)
        if warm:
            await anyio.to_thread.run_sync(warm_up, self.config)

    async def _run(self, job: Job) -> Outcome:
        if self._limiter is None:  # started lazily when the app runs without its lifespan
            self._limiter = anyio.CapacityLimiter(self.threads)
        try:
            with anyio.fail_after(self.timeout_s):
                return await anyio.to_thread.run_sync(self.perform, job, limiter=self._limiter, abandon_on_cancel=True)
        except TimeoutError:
            log.warning("analysis over its time limit (%g s): answered 504, its thread runs on", self.timeout_s)
            raise AnalysisTimeoutError(f"> {self.timeout_s:g} s") from None


class ProcessRunner(Runner):
    """Analyses in ``workers`` warm processes, each under ``timeout_s`` (see the module docstring)."""

    def __init__(
        self,
        workers: int,
        max_pending: int,
        timeout_s: float,
        perform: Perform = perform,
        config: Configuration | None = None,
    ) -> None:
        super().__init__(max_pending, timeout_s, perform, config)
        self.workers = workers
        self._pool = None
        self._warm = True
        self._lock: anyio.Lock | None = None

    async def start(self, warm: bool) -> None:
        self._warm = warm
        await anyio.to_thread.run_sync(self._new_pool)  # forking and warming block: not on the event loop
        if warm:  # one warm-up per process, so that the first reviewers do not wait
            try:
                warmup = Job(text=WARMUP_TEXT, config=self.config, reviews=False)
                await asyncio.gather(*(self._submit(warmup) for _ in range(self.workers)))
            except Exception as error:  # e.g. a process killed while starting: the first request restarts the pool
                log.warning("warm-up of the analysis processes failed (%s)", type(error).__name__)

    async def stop(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop()
            await anyio.to_thread.run_sync(pool.join)

    def _new_pool(self) -> None:
        """Start a pool (stopping a broken one first); blocking: call it from a thread."""
        from pebble import ProcessPool

        if self._pool is not None:
            self._pool.stop()
            self._pool.join(timeout=10)
        pool = ProcessPool(
            max_workers=self.workers, initializer=start_process, initargs=(self._warm,), context=_context(self._warm)
        )
        pool.schedule(len, args=((),))  # starts the pool's threads and processes now
        self._pool = pool

    async def _run(self, job: Job) -> Outcome:
        await self._ensure_pool()
        try:
            try:
                return await self._submit(job)
            except BrokenProcessPool:  # an idle process died, which stops the whole pool: one retry in a new one
                log.warning("the analysis pool broke (a process died while idle); it is restarted")
                await self._ensure_pool()
                return await self._submit(job)
        except TimeoutError:
            log.warning("analysis over its time limit (%g s): its process was stopped and replaced", self.timeout_s)
            raise AnalysisTimeoutError(f"> {self.timeout_s:g} s") from None
        except BrokenProcessPool:
            log.error("the analysis processes cannot start")
            raise AnalysisFailure("BrokenProcessPool") from None
        except Exception as error:  # pebble's ProcessExpired: the process died (a crash, the OOM killer)
            log.error("an analysis process died (%s); it is replaced", type(error).__name__)
            raise AnalysisFailure(type(error).__name__) from None

    async def _ensure_pool(self) -> None:
        """Start the pool if the lifespan did not, or start a new one if it broke (one request does it)."""
        if self._lock is None:
            self._lock = anyio.Lock()
        async with self._lock:
            if self._pool is None or not self._pool.active:
                await anyio.to_thread.run_sync(self._new_pool)

    async def _submit(self, job: Job) -> Outcome:
        future = self._pool.schedule(self.perform, args=(job,), timeout=self.timeout_s)
        return await asyncio.wrap_future(future)  # cancelling the request cancels (and kills) the analysis


def make_runner(
    workers: int,
    threads: int,
    max_pending: int,
    timeout_s: float,
    perform: Perform = perform,
    config: Configuration | None = None,
) -> Runner:
    """A :class:`ProcessRunner` of ``workers`` processes, or a :class:`ThreadRunner` when ``workers`` is 0; both
    warm up with ``config`` (the server's configuration)."""
    if workers <= 0:
        return ThreadRunner(threads, max_pending, timeout_s, perform, config)
    return ProcessRunner(workers, max_pending, timeout_s, perform, config)


def _context(warm: bool):
    """forkserver on POSIX (safe from a server with threads; with ``warm``, its preload holds the models, so a
    process replaced after a timeout starts warm at once); spawn elsewhere."""
    if sys.platform != "win32" and "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["service.preload" if warm else "service.worker"])
        return context
    return multiprocessing.get_context("spawn")
