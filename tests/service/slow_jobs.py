"""Test-only analysis functions, passed as ``Settings(perform=...)``: no input or variable reaches them in
production. They live in a module of their own so that the analysis processes can import them by name."""

from __future__ import annotations

import os
import time

from service.worker import Job, Outcome, perform

SLOW = "CHẬM"
CRASH = "SẬP"


def perform_slowly(job: Job) -> Outcome:
    """A text starting with ``CHẬM`` takes 60 s; a text starting with ``SẬP`` kills its process; else analyse."""
    text = job.text or ""
    if text.startswith(SLOW):
        time.sleep(60)
    if text.startswith(CRASH):
        os._exit(3)
    return perform(job)
