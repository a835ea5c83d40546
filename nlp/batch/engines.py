"""Where the tasks run: in this process, in a local process pool, or on a Dask cluster.

Every engine has the same small interface: :meth:`submit` a task, :meth:`next_done` to wait for any
outcome, ``in_flight`` and ``capacity`` to keep the number of tasks (and their bytes) in memory bounded.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from nlp.batch.worker import Outcome, Task, analyse, error_row, warm_up


class Engine:
    """Base: the bookkeeping every engine shares."""

    capacity: int = 1
    writes_files: bool = True  # the worker writes per-report files itself (shared disk)
    workers: int = 1

    @property
    def in_flight(self) -> int:
        raise NotImplementedError

    def submit(self, task: Task) -> None:
        raise NotImplementedError

    def next_done(self) -> Outcome:
        raise NotImplementedError

    def close(self, cancel: bool = False) -> None:
        """Release the workers (``cancel``: drop what has not started)."""


class SerialEngine(Engine):
    """Runs each task at once in this process (``--jobs 1``)."""

    def __init__(self, model: str | None = None) -> None:
        warm_up(model)
        self._done: deque[Outcome] = deque()

    @property
    def in_flight(self) -> int:
        return len(self._done)

    def submit(self, task: Task) -> None:
        self._done.append(analyse(task))

    def next_done(self) -> Outcome:
        return self._done.popleft()


def _pool_initializer(model: str | None) -> None:
    """Workers leave Ctrl-C to the driver (which stops cleanly) and load the models before the first file."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up(model)


def _context():
    """forkserver on POSIX (safe with the driver's progress thread, cheap to start), spawn elsewhere."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform != "win32" and "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["nlp.batch.preload"])
        return context
    return multiprocessing.get_context("spawn")


class PoolEngine(Engine):
    """A local process pool. A worker that dies (a crash, the OOM killer) costs only the file it was reading:
    the tasks that were in flight are re-run one at a time in a fresh pool, and the one that kills it again
    becomes an error row ("crash")."""

    def __init__(self, jobs: int, model: str | None = None, per_job: int = 4, function=analyse) -> None:
        self.workers = jobs
        self._function = function  # the task function (tests pass one that crashes)
        self.capacity = jobs * per_job
        self._model = model
        self._pool = self._new_pool()
        self._futures: dict[Future, Task] = {}
        self._done: deque[Outcome] = deque()
        self._worked = False  # some task has finished in a worker
        self._crashes = 0

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers, mp_context=_context(), initializer=_pool_initializer, initargs=(self._model,)
        )

    @property
    def in_flight(self) -> int:
        return len(self._futures) + len(self._done)

    def submit(self, task: Task) -> None:
        self._futures[self._pool.submit(self._function, task)] = task

    def next_done(self) -> Outcome:
        while not self._done:
            finished, _ = wait(list(self._futures), return_when=FIRST_COMPLETED)
            suspects: list[Task] = []
            for future in finished:
                task = self._futures.pop(future)
                try:
                    self._done.append(future.result())
                    self._worked = True
                except BrokenProcessPool:
                    suspects.append(task)
            if suspects:
                suspects.extend(self._futures.values())  # every task of a broken pool is lost
                self._futures.clear()
                self._restart()
                self._isolate(suspects)
        return self._done.popleft()

    def _restart(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()

    def _isolate(self, tasks: list[Task]) -> None:
        """Re-run tasks one by one; the one that breaks the pool again is an error row.

        If no worker has ever finished a task and several die in a row, the workers cannot start at all
        (a broken installation, a script without ``if __name__ == "__main__":``): stop instead of turning
        every file into a "crash" row.
        """
        for task in tasks:
            try:
                self._done.append(self._pool.submit(self._function, task).result())
                self._worked = True
            except BrokenProcessPool:
                self._crashes += 1
                if not self._worked and self._crashes >= 3:
                    raise RuntimeError("the worker processes cannot start") from None
                self._done.append(Outcome(task.sha256, False, error_row("crash")))
                self._restart()

    def close(self, cancel: bool = False) -> None:
        self._pool.shutdown(wait=True, cancel_futures=cancel)


class DaskEngine(Engine):
    """Tasks on Dask distributed: a scheduler address (``tcp://host:8786``), a ``Client``, or a local cluster.

    Workers may not share the driver's disk, so they return the per-report files and the driver writes them.
    Workers need kiemdiem installed (same version), see docs/BATCH.md.
    """

    writes_files = False

    def __init__(self, scheduler: object | None = None, jobs: int = 2, model: str | None = None, per_job: int = 4):
        from distributed import Client, LocalCluster, as_completed

        self._own_cluster = None
        self._own_client = False
        if scheduler is not None and not isinstance(scheduler, str):
            self.client = scheduler  # a Client given by the caller (tests)
        else:
            if scheduler is None:
                self._own_cluster = LocalCluster(
                    n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None
                )
                scheduler = self._own_cluster
            self.client = Client(scheduler)
            self._own_client = True
        self.workers = max(1, sum(self.client.nthreads().values()))
        self.capacity = self.workers * per_job
        self.client.run(warm_up, model)
        self._completed = as_completed()
        self._tasks: dict[str, tuple[object, Task]] = {}

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    def submit(self, task: Task) -> None:
        future = self.client.submit(analyse, task, pure=False)
        self._tasks[future.key] = (future, task)
        self._completed.add(future)

    def next_done(self) -> Outcome:
        future = next(self._completed)
        _, task = self._tasks.pop(future.key)
        try:
            return future.result()
        except Exception as error:  # KilledWorker after retries, a lost worker...
            code = "crash" if type(error).__name__ == "KilledWorker" else "internal"
            return Outcome(task.sha256, False, error_row(code, type(error).__name__))
        finally:
            future.release()

    def close(self, cancel: bool = False) -> None:
        if cancel and self._tasks:
            self.client.cancel([future for future, _ in self._tasks.values()])
            self._tasks.clear()
        if self._own_client:
            self.client.close()
        if self._own_cluster is not None:
            self._own_cluster.close()


def make_engine(engine: str, jobs: int, model: str | None, scheduler: object | None = None, per_job: int = 4) -> Engine:
    """The engine named ``engine`` (``local`` or ``dask``) with ``jobs`` workers."""
    if engine == "dask":
        return DaskEngine(scheduler, jobs, model, per_job)
    if jobs <= 1:
        return SerialEngine(model)
    return PoolEngine(jobs, model, per_job)


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
