"""A task function for the time-limit tests: the real analysis, except for one marked file that hangs.

It lives in a module of its own (not in a test file) so that worker processes and Dask children can import
it by name. It exists only under tests/: no input can make the shipped analysis slow on purpose.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from nlp.batch.worker import Outcome, Task, analyse

MARKER = b"KIEMDIEM-TEST-HANG:"  # followed by the path where the hanging process writes its pid
HANG_S = 60  # long past any limit the tests set; a file not cut by then comes back as a normal result


def hanging_file(pid_file: Path) -> bytes:
    """The bytes of a file that makes :func:`analyse_or_hang` hang (and record its process id)."""
    return MARKER + str(pid_file).encode("utf-8")


def analyse_or_hang(task: Task) -> Outcome:
    """Hang (deaf to SIGTERM, as a stuck parser would be) on a marked file; analyse the others."""
    if not task.data.startswith(MARKER):
        return analyse(task)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # only SIGKILL can stop it
    Path(task.data[len(MARKER) :].decode("utf-8")).write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(HANG_S)
    return Outcome(task.sha256, True, {"name": "not cut"})


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie waiting to be reaped counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in {"Z", "X"}
