"""One analysis as it runs in an analysis process (or, with ``KIEMDIEM_ANALYSIS_WORKERS=0``, in a thread).

:func:`perform` takes a picklable :class:`Job` and returns a picklable :class:`Outcome`: the answer's body (the
result's JSON or the standalone HTML page, serialised where the analysis ran, so the bytes are the same in both
modes), or the code and detail of a refusal, or only the *type* of an unexpected exception (its message may quote
the report, and it must cross a process boundary intact).

Every job carries the server's :class:`~nlp.config.Configuration` (``KIEMDIEM_CONFIG``): the analysis applies it,
and, when it names a feedback store, the reviewers' earlier decisions on the same report are marked on the findings
(:func:`nlp.feedback.apply.apply_store`). The result names the configuration file by its name only: the server's
folders are not the clients' business (the hash identifies the configuration).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from nlp.config import Configuration
from nlp.errors import INPUT_ERRORS, FeedbackStoreError, InputError
from nlp.ingest import IngestLimits
from nlp.schema import AnalysisResult, ConfigInfo

WARMUP_TEXT = (
    "BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm 2024\nI. ƯU ĐIỂM\nTôi hoàn thành 12 hồ sơ trước 30/6/2024.\n"
    "II. HẠN CHẾ, KHUYẾT ĐIỂM\nĐôi lúc còn chậm.\n"
)


@dataclass(frozen=True)
class Other:
    """A second report of a comparison (``POST /v1/compare``): its ``role``, the ``name`` its quotes carry in the
    evidence, and its pasted ``text`` or file ``data`` (with its extension ``hint``)."""

    role: Literal["collective", "previous"]
    name: str
    text: str | None = None
    data: bytes | None = None
    hint: str | None = None


@dataclass(frozen=True)
class Job:
    """One report to analyse: pasted ``text`` or a file's ``data`` (with its extension ``hint``), and options
    (``reviews``: mark the reviewers' decisions kept in the configuration's feedback store). With ``others`` the
    report (named ``name``) is checked against them as well (:mod:`service.compare`), in the same job."""

    text: str | None = None
    data: bytes | None = None
    hint: str | None = None
    lang: Literal["vi", "en"] = "vi"
    output: Literal["json", "html"] = "json"
    limits: IngestLimits = field(default_factory=IngestLimits)
    config: Configuration = field(default_factory=Configuration)
    reviews: bool = True
    name: str = "report"
    others: tuple[Other, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What came of a :class:`Job`: ``body`` on success, else ``refusal`` (code, detail) or ``failure`` (a type);
    ``part`` names the refused file of a comparison ("report", "collective" or "previous")."""

    body: str = ""
    refusal: tuple[str, str] | None = None
    failure: str | None = None
    part: str | None = None

    def refusal_error(self) -> InputError:
        """The pipeline's refusal, rebuilt from its code (its class decides the HTTP status and messages)."""
        code, detail = self.refusal or ("", "")
        cls = next((error for error in INPUT_ERRORS if error.code == code), InputError)
        return cls(detail)


def perform(job: Job) -> Outcome:
    """Analyse ``job`` and serialise the answer; never raises for a bad input or a pipeline bug."""
    if job.others:
        from service.compare import perform_compare

        return perform_compare(job)
    try:
        result = analyse_job(job)
        if job.output == "html":
            from nlp.render import render_html

            return Outcome(body=render_html(result, lang=job.lang))
        return Outcome(body=result.model_dump_json())
    except InputError as error:
        return Outcome(refusal=(error.code, error.detail))
    except Exception as error:  # the message may quote the report: keep the type only
        return Outcome(failure=type(error).__name__)


def analyse_job(job: Job) -> AnalysisResult:
    """The result of ``job``'s one report (its ``others`` are not looked at), with the configuration named and, when
    ``reviews``, the reviewers' decisions marked; raises the pipeline's :class:`InputError`."""
    import nlp  # looked up at call time: the tests of the thread mode replace nlp.analyze

    config = job.config
    if job.data is not None:
        result = nlp.analyze_bytes(job.data, job.hint, lang=job.lang, limits=job.limits, config=config)
    else:
        result = nlp.analyze(job.text or "", lang=job.lang, max_chars=job.limits.max_text_chars, config=config)
    if config.path is not None:
        result = result.model_copy(update={"config": ConfigInfo(hash=config.config_hash, file=config.path.name)})
    if job.reviews and config.feedback_store is not None:
        result = with_reviews(result, config.feedback_store)
    return result


def with_reviews(result: AnalysisResult, store: Path) -> AnalysisResult:
    """The result with the decisions kept for it; a store that cannot be read is refused (``KD-E014``) with the
    store named by its file name only."""
    from nlp.feedback.apply import apply_store

    try:
        return apply_store(result, store)
    except FeedbackStoreError as error:
        raise FeedbackStoreError(hide_path(error.detail, store)) from None


def hide_path(detail: str, path: Path) -> str:
    """``detail`` with the server's path of ``path`` replaced by its file name."""
    return detail.replace(str(path), path.name)


def warm_up(config: Configuration | None = None) -> None:
    """Load the models and data once (the first analysis of a process costs a second or more), and compile the
    lexicons of ``config`` when it changes them."""
    import nlp

    with contextlib.suppress(Exception):  # a failing warm-up must not stop the process: the real job will say
        nlp.analyze(WARMUP_TEXT, config=config)


def start_process(warm: bool) -> None:
    """Initializer of each analysis process: load the models before the first report when ``warm``."""
    if warm:
        warm_up()
