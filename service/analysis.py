"""Run analyses off the event loop, a bounded number at a time.

The pipeline is synchronous CPU work; it runs in worker threads (``anyio.to_thread``) with its own capacity
limiter, so a long report never stalls the event loop: health checks, the page and other reports keep being
served while it runs. Threads share one process (and one copy of the loaded models); use ``--workers`` to use
more cores. When ``max_pending`` analyses are already running or waiting, a new one is refused with 503
(``KD-A008``) rather than queued without bound.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread

from service.errors import BusyError

T = TypeVar("T")

WARMUP_TEXT = (
    "BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm 2024\nI. ƯU ĐIỂM\nTôi hoàn thành 12 hồ sơ trước 30/6/2024.\n"
    "II. HẠN CHẾ, KHUYẾT ĐIỂM\nĐôi lúc còn chậm.\n"
)


class AnalysisRunner:
    """Runs blocking jobs in threads: at most ``threads`` at once, at most ``max_pending`` admitted."""

    def __init__(self, threads: int, max_pending: int) -> None:
        self.threads = threads
        self.max_pending = max_pending
        self.pending = 0
        self._limiter: anyio.CapacityLimiter | None = None

    @property
    def limiter(self) -> anyio.CapacityLimiter:
        if self._limiter is None:  # created lazily, inside the running event loop
            self._limiter = anyio.CapacityLimiter(self.threads)
        return self._limiter

    async def run(self, job: Callable[[], T]) -> T:
        """Run ``job()`` in a worker thread; raise :class:`BusyError` when too many are admitted already."""
        if self.pending >= self.max_pending:
            raise BusyError(f"{self.pending} analyses running or waiting")
        self.pending += 1
        try:
            return await anyio.to_thread.run_sync(job, limiter=self.limiter)
        finally:
            self.pending -= 1


def warm_up() -> None:
    """Load the models and data once (the first analysis of a process costs several hundred ms more)."""
    from nlp import analyze

    analyze(WARMUP_TEXT)
