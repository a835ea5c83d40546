"""Reviewers' feedback through the API: ``POST /v1/feedback`` and what ``GET /v1/config`` says about it.

A client sends the analysed text (the result's ``text``), the finding (rule, start, end), the decision (confirm |
dismiss) and an optional note. The server never trusts a result sent by the client: it analyses the text again with
its own configuration (in the analysis pool, under the same limits as ``/v1/analyze``), finds the finding there with
:func:`nlp.feedback.model.decision_for` — which takes the sentence from that result — and keeps the decision with
:func:`nlp.feedback.store.record` in the store the configuration names. With no store configured, the request is
refused (``KD-A012``) before anything is read or analysed, and nothing is written anywhere.

A ``cross_report`` finding exists only in a comparison: the client sends the other reports it was computed with
(``collective`` and/or ``previous``, texts or, in a multipart form, files), and the server compares again exactly
as ``POST /v1/compare`` does (the same job, :func:`service.compare.perform_compare`) and looks the finding up in
that result, by its evidence's offsets too. Sent without them, the decision is refused (``KD-E013``) with a detail
that names the report to send (:func:`nlp.feedback.cross.missing_reports_detail`). The other reports are never
stored: the decision keeps what it keeps for any finding, plus the evidence's offsets.

Nothing here logs; the sentence and the note are never in a log line or an error's detail, and a store that cannot
be written is named by its file name only in the answer (its full path goes to the server's log).
"""

from __future__ import annotations

import logging
from copy import deepcopy
from dataclasses import replace
from typing import Any, Literal

import anyio.to_thread
from pydantic import BaseModel, ConfigDict, Field

from nlp.config import Configuration
from nlp.errors import FeedbackDecisionError, FeedbackStoreError
from nlp.feedback.cross import missing_reports_detail
from nlp.feedback.model import MAX_NOTE_CHARS, FeedbackDecision, FindingRef, Verdict, decision_for
from nlp.feedback.store import record
from nlp.ingest import IngestLimits
from nlp.schema import AnalysisResult
from service.analysis import Runner
from service.errors import FeedbackOffError
from service.worker import Job, hide_path

log = logging.getLogger("kiemdiem.error")

REVIEW: dict[str, Literal["confirmed", "dismissed"]] = {"confirm": "confirmed", "dismiss": "dismissed"}


class FeedbackRequest(BaseModel):
    """JSON body of ``POST /v1/feedback``."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the analysed report: the result's `text` (or the text sent to /v1/analyze)")
    finding: FindingRef = Field(description="the finding decided on: its `rule`, `start` and `end` in the result")
    decision: Verdict = Field(description="confirm (“Đúng”) or dismiss (“Không đúng”)")
    note: str | None = Field(None, max_length=MAX_NOTE_CHARS, description="the reviewer's note (optional)")
    collective: str | None = Field(
        None, description="cross_report findings: the unit's collective report the finding was compared with"
    )
    previous: str | None = Field(
        None, description="cross_report findings: the writer's report of last year the finding was compared with"
    )


class FeedbackAnswer(BaseModel):
    """What ``POST /v1/feedback`` kept."""

    stored: bool = Field(description="false only when a more recent decision on the same finding is kept")
    review: Literal["confirmed", "dismissed"] = Field(description="the finding's `review` from now on")
    decision: FeedbackDecision


class FeedbackState(BaseModel):
    """Whether this server keeps reviewers' decisions (``GET /v1/config``)."""

    enabled: bool


class ConfigState(BaseModel):
    """The configuration every analysis of this server uses (``GET /v1/config``)."""

    hash: str = Field(description="16 hex digits; equal to `config.hash` of the results (null there: defaults)")
    file: str | None = Field(description="the configuration file's name (never its folder), or null: defaults")
    default: bool = Field(description="true when nothing changes the shipped behaviour")


class ServerConfig(BaseModel):
    """Answer of ``GET /v1/config``."""

    config: ConfigState
    feedback: FeedbackState


def config_state(config: Configuration) -> ServerConfig:
    """What the server tells clients about its configuration: the hash, the file's name, whether feedback is kept."""
    return ServerConfig(
        config=ConfigState(
            hash=config.config_hash, file=config.path.name if config.path else None, default=config.is_default
        ),
        feedback=FeedbackState(enabled=config.feedback_store is not None),
    )


def ensure_enabled(config: Configuration) -> None:
    """Refuse (``KD-A012``) when the configuration names no feedback store."""
    if config.feedback_store is None:
        raise FeedbackOffError()


def report_job(body: FeedbackRequest, limits: IngestLimits) -> Job:
    """The analysis of the report a decision is on (its ``others``, for a cross finding, are added by the caller)."""
    return Job(text=body.text, limits=limits)


async def keep_decision(body: FeedbackRequest, job: Job, config: Configuration, runner: Runner) -> FeedbackAnswer:
    """Analyse the report of ``job`` again with the server's ``config`` — compared with ``job.others`` when it has
    any, as ``/v1/compare`` does — build the decision on the named finding from that result (``KD-E013`` when it
    is not there) and keep it in the configuration's store."""
    store = config.feedback_store
    if store is None:
        raise FeedbackOffError()
    analysed = await runner.run(replace(job, config=config, reviews=False, output="json"))
    result = _result_of(analysed, compared=bool(job.others))
    try:
        decision = decision_for(result, body.finding, body.decision, note=body.note, config_hash=config.config_hash)
    except FeedbackDecisionError:
        detail = missing_reports_detail(body.finding.rule, {other.role for other in job.others})
        if detail is None:
            raise
        raise FeedbackDecisionError(detail) from None
    try:
        stored = await anyio.to_thread.run_sync(record, store, decision)
    except FeedbackStoreError as error:
        log.error("the feedback store cannot be written: %s", error.detail)  # a path and an SQLite error, no text
        raise FeedbackStoreError(hide_path(error.detail, store)) from None
    return FeedbackAnswer(stored=stored, review=REVIEW[decision.decision], decision=decision)


def _result_of(body: str, *, compared: bool) -> AnalysisResult:
    """The report's result in a job's answer (a comparison answers with the result inside)."""
    if not compared:
        return AnalysisResult.model_validate_json(body)
    from service.compare import CompareAnswer

    return CompareAnswer.model_validate_json(body).result


def request_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`FeedbackRequest` with its nested models inlined (for the OpenAPI document)."""
    schema = FeedbackRequest.model_json_schema()
    definitions = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                own = {key: value for key, value in node.items() if key != "$ref"}  # the field's description
                return {**inline(deepcopy(definitions[ref.removeprefix("#/$defs/")])), **own}
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    return inline(schema)
