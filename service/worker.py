"""One analysis as it runs in an analysis process (or, with ``KIEMDIEM_ANALYSIS_WORKERS=0``, in a thread).

:func:`perform` takes a picklable :class:`Job` and returns a picklable :class:`Outcome`: the answer's body (the
result's JSON or the standalone HTML page, serialised where the analysis ran, so the bytes are the same in both
modes), or the code and detail of a refusal, or only the *type* of an unexpected exception (its message may quote
the report, and it must cross a process boundary intact).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Literal

from nlp.errors import INPUT_ERRORS, InputError
from nlp.ingest import IngestLimits

WARMUP_TEXT = (
    "BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm 2024\nI. ƯU ĐIỂM\nTôi hoàn thành 12 hồ sơ trước 30/6/2024.\n"
    "II. HẠN CHẾ, KHUYẾT ĐIỂM\nĐôi lúc còn chậm.\n"
)


@dataclass(frozen=True)
class Job:
    """One report to analyse: pasted ``text`` or a file's ``data`` (with its extension ``hint``), and options."""

    text: str | None = None
    data: bytes | None = None
    hint: str | None = None
    lang: Literal["vi", "en"] = "vi"
    output: Literal["json", "html"] = "json"
    limits: IngestLimits = field(default_factory=IngestLimits)


@dataclass(frozen=True)
class Outcome:
    """What came of a :class:`Job`: ``body`` on success, else ``refusal`` (code, detail) or ``failure`` (a type)."""

    body: str = ""
    refusal: tuple[str, str] | None = None
    failure: str | None = None

    def refusal_error(self) -> InputError:
        """The pipeline's refusal, rebuilt from its code (its class decides the HTTP status and messages)."""
        code, detail = self.refusal or ("", "")
        cls = next((error for error in INPUT_ERRORS if error.code == code), InputError)
        return cls(detail)


def perform(job: Job) -> Outcome:
    """Analyse ``job`` and serialise the answer; never raises for a bad input or a pipeline bug."""
    try:
        result = _analyse(job)
        if job.output == "html":
            from nlp.render import render_html

            return Outcome(body=render_html(result, lang=job.lang))
        return Outcome(body=result.model_dump_json())
    except InputError as error:
        return Outcome(refusal=(error.code, error.detail))
    except Exception as error:  # the message may quote the report: keep the type only
        return Outcome(failure=type(error).__name__)


def _analyse(job: Job):
    import nlp  # looked up at call time: the tests of the thread mode replace nlp.analyze

    if job.data is not None:
        return nlp.analyze_bytes(job.data, job.hint, lang=job.lang, limits=job.limits)
    return nlp.analyze(job.text or "", lang=job.lang, max_chars=job.limits.max_text_chars)


def warm_up() -> None:
    """Load the models and data once (the first analysis of a process costs a second or more)."""
    import nlp

    with contextlib.suppress(Exception):  # a failing warm-up must not stop the process: the real job will say
        nlp.analyze(WARMUP_TEXT)


def start_process(warm: bool) -> None:
    """Initializer of each analysis process: load the models before the first report when ``warm``."""
    if warm:
        warm_up()
