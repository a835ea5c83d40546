"""Where the tasks run: in this process, in a local process pool, or on a Dask cluster.

Every engine has the same small interface: :meth:`submit` a task, :meth:`next_done` to wait for any
outcome, ``in_flight`` and ``capacity`` to keep the number of tasks (and their bytes) in memory bounded.

The per-file time limit (``Task.timeout_s``) is enforced by killing the process that analyses the file,
never by abandoning it: the local pool is a pebble ``ProcessPool`` (a task over its limit has its worker
terminated and replaced), and on Dask each worker thread analyses in a child process that is killed past
the limit (:mod:`nlp.batch.child`). Only the in-process :class:`SerialEngine` has no limit; it is used for
``--jobs 1`` with the limit off.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool

from nlp.batch import child, worker
from nlp.batch.worker import Outcome, Task, error_row, timeout_row, warm_up

_MAX_POOL_BREAKS = 3  # a pool that breaks this many times in a row without a finished task: give up


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
        self._done.append(worker.analyse(task))

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
    """A local pool of worker processes (pebble). A file over its time limit has its worker killed and
    replaced (a "timeout" row); a worker that dies on a file (a crash, the OOM killer) costs only that file
    (a "crash" row). The other files in flight go on."""

    def __init__(
        self, jobs: int, model: str | None = None, per_job: int = 4, function: Callable[[Task], Outcome] | None = None
    ) -> None:
        self.workers = jobs
        # the task function, looked up now (tests replace worker.analyse with a module-level function)
        self._function = function or worker.analyse
        self.capacity = jobs * per_job
        self._model = model
        self._pool = self._new_pool()
        self._futures: dict[Future, Task] = {}
        self._done: deque[Outcome] = deque()
        self._worked = False  # some task has finished in a worker
        self._crashes = 0
        self._breaks = 0  # pool breaks since the last finished task

    def _new_pool(self):
        from pebble import ProcessPool

        return ProcessPool(
            max_workers=self.workers, initializer=_pool_initializer, initargs=(self._model,), context=_context()
        )

    @property
    def in_flight(self) -> int:
        return len(self._futures) + len(self._done)

    def submit(self, task: Task) -> None:
        future = self._pool.schedule(self._function, args=(task,), timeout=task.timeout_s or None)
        self._futures[future] = task

    def next_done(self) -> Outcome:
        while not self._done:
            finished, _ = wait(list(self._futures), return_when=FIRST_COMPLETED)
            lost: list[Task] = []
            for future in finished:
                task = self._futures.pop(future)
                outcome = self._outcome(future, task)
                if outcome is None:
                    lost.append(task)
                else:
                    self._done.append(outcome)
            if lost:  # the pool broke: every task still in it is lost, run them again in a new pool
                lost.extend(self._futures.values())
                self._futures.clear()
                self._restart()
                for task in lost:
                    self.submit(task)
        return self._done.popleft()

    def _outcome(self, future: Future, task: Task) -> Outcome | None:
        """The task's outcome; None when the whole pool broke and the task must run again."""
        from pebble import ProcessExpired

        try:
            outcome = future.result()
        except TimeoutError:  # pebble has already killed and replaced the worker
            return Outcome(task.sha256, False, timeout_row(task.timeout_s))
        except ProcessExpired:
            self._crashes += 1
            if not self._worked and self._crashes >= _MAX_POOL_BREAKS:
                raise RuntimeError("the worker processes cannot start") from None
            return Outcome(task.sha256, False, error_row("crash"))
        except BrokenProcessPool:  # every worker died with no task running: they cannot start
            self._breaks += 1
            if self._breaks >= _MAX_POOL_BREAKS:
                raise RuntimeError("the worker processes cannot start") from None
            return None
        except Exception as error:  # the task function raised (analyse never does): the type only
            return Outcome(task.sha256, False, error_row("internal", type(error).__name__))
        self._worked = True
        self._breaks = 0
        return outcome

    def _restart(self) -> None:
        self._pool.stop()
        self._pool.join()
        self._pool = self._new_pool()

    def close(self, cancel: bool = False) -> None:
        if cancel:
            self._pool.stop()
        else:
            self._pool.close()
        self._pool.join()


class DaskEngine(Engine):
    """Tasks on Dask distributed: a scheduler address (``tcp://host:8786``), a ``Client``, or a local cluster.

    Workers may not share the driver's disk, so they return the per-report files and the driver writes them.
    Workers need kiemdiem installed (same version), see docs/BATCH.md. Each worker thread analyses in a child
    process of its own (:mod:`nlp.batch.child`), killed when a file passes its time limit or replaced when
    it dies, so that neither a stuck file nor a crash takes the Dask worker down.
    """

    writes_files = False

    def __init__(
        self,
        scheduler: object | None = None,
        jobs: int = 2,
        model: str | None = None,
        per_job: int = 4,
        function: Callable[[Task], Outcome] | None = None,
    ):
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
        self._function = function or worker.analyse  # looked up now (tests replace it)
        self.client.run(child.prestart, model)  # the children load the models while the folders are walked
        self._completed = as_completed()
        self._tasks: dict[str, tuple[object, Task]] = {}

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    def submit(self, task: Task) -> None:
        future = self.client.submit(child.analyse_in_child, task, self._function, pure=False)
        self._tasks[future.key] = (future, task)
        self._completed.add(future)

    def next_done(self) -> Outcome:
        future = next(self._completed)
        _, task = self._tasks.pop(future.key)
        try:
            return future.result()
        except child.ChildStartError:
            raise RuntimeError("the worker processes cannot start") from None
        except Exception as error:  # KilledWorker after retries, a lost worker...
            code = "crash" if type(error).__name__ == "KilledWorker" else "internal"
            return Outcome(task.sha256, False, error_row(code, type(error).__name__))
        finally:
            future.release()

    def close(self, cancel: bool = False) -> None:
        if cancel and self._tasks:
            self.client.cancel([future for future, _ in self._tasks.values()])
            self._tasks.clear()
        with contextlib.suppress(Exception):  # the children hold models in memory on every worker
            self.client.run(child.stop_all)
        if self._own_client:
            self.client.close()
        if self._own_cluster is not None:
            self._own_cluster.close()


def make_engine(
    engine: str,
    jobs: int,
    model: str | None,
    scheduler: object | None = None,
    per_job: int = 4,
    timeout_s: float | None = None,
) -> Engine:
    """The engine named ``engine`` (``local`` or ``dask``) with ``jobs`` workers.

    With one job and a time limit the file still runs in a worker process: only a process can be killed.
    """
    if engine == "dask":
        return DaskEngine(scheduler, jobs, model, per_job)
    if jobs <= 1 and not timeout_s:
        return SerialEngine(model)
    return PoolEngine(jobs, model, per_job)


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
