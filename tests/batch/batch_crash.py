"""A task function for the crash test: the worker process dies (like a segfault) on one marked file."""

from __future__ import annotations

import os

from nlp.batch.worker import Outcome, Task


def crash_on_marker(task: Task) -> Outcome:
    """Kill the worker process for the file whose bytes are ``CRASH``; succeed for the others."""
    if task.data == b"CRASH":
        os._exit(70)
    return Outcome(task.sha256, True, {"name": task.name})
