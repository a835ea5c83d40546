"""The HTTP API and the reviewers' page: ``create_app()`` builds one FastAPI application.

    POST /v1/analyze          JSON {"text": ..., "lang": "vi"} or multipart with a "file" (.docx/.pdf/.txt)
                              -> the schema-v1 AnalysisResult; ?format=html gives the standalone HTML report
    POST /v1/compare          a report with its unit's collective report and/or last year's report (JSON texts or
                              multipart files) -> the report's result with the cross-report findings (issue 13)
    POST /v1/render           an AnalysisResult -> the standalone HTML report (the page's "download HTML")
    POST /v1/feedback         a reviewer's decision on a finding, kept where the configuration names a store
    GET  /v1/health, /v1/version, /v1/schema, /v1/labels, /v1/config
    GET  /                    the reviewers' page (every asset served from here, nothing from a CDN)
    GET  /docs                the OpenAPI docs (Swagger UI served from the swagger-ui-py package)

Nothing sent is stored: uploads are parsed in memory, results are returned and forgotten, answers carry
``Cache-Control: no-store``, and no log line holds report text (see :mod:`service.observe`). The one exception is
feedback, where the organisation's configuration (``KIEMDIEM_CONFIG``) names a store: a reviewer's decision keeps
the finding's sentence and the note there (:mod:`service.feedback`).
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import importlib.util
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from functools import cache, partial
from pathlib import Path
from typing import Annotated, Literal

import anyio.to_thread
from fastapi import FastAPI, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, Response
from fastapi.security import HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.datastructures import Headers, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.middleware.cors import CORSMiddleware
from starlette.staticfiles import StaticFiles

from nlp import SCHEMA_VERSION, AnalysisResult, InputError, __version__
from service.analysis import Runner, make_runner
from service.compare import PARTS, CompareAnswer, part_names
from service.config import Settings
from service.errors import (
    ApiError,
    InvalidRequestError,
    MalformedRequestError,
    MethodNotAllowedError,
    NotFoundError,
    NothingToCompareError,
    PartRefusal,
    SameFileTwiceError,
    UnsupportedMediaTypeError,
    error_response,
)
from service.feedback import (
    FeedbackAnswer,
    FeedbackRequest,
    ServerConfig,
    config_state,
    ensure_enabled,
    keep_decision,
    report_job,
    request_schema,
)
from service.limits import BodyLimitMiddleware
from service.observe import GuardMiddleware
from service.security import TokenAuthMiddleware
from service.worker import Job, Other

STATIC = Path(__file__).resolve().parent / "static"
#: Swagger UI files served from the swagger-ui-py package (Apache-2.0), nothing else from it.
SWAGGER_FILES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
    "LICENSE": "text/plain",
}
HTML_FILENAME = "kiemdiem-ket-qua.html"


class AnalyzeRequest(BaseModel):
    """JSON body of ``POST /v1/analyze``."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the report, as plain text")
    lang: Literal["vi", "en"] = Field("vi", description="language of messages and suggestions")


class CompareRequest(BaseModel):
    """JSON body of ``POST /v1/compare``: the report and at least one of the two others, as plain text."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the report checked, as plain text")
    collective: str | None = Field(None, description="the unit's collective report (Mẫu 01) of the same year")
    previous: str | None = Field(None, description="the same writer's report of the year before")
    lang: Literal["vi", "en"] = Field("vi", description="language of messages and suggestions")


class ErrorInfo(BaseModel):
    code: str = Field(description="stable code: KD-E0xx (input refused by the pipeline) or KD-A0xx (API)")
    status: int
    message_vi: str
    message_en: str
    detail: str = Field("", description="sizes, limits, field names; never report text")
    errors: list[dict] | None = Field(None, description="for KD-A004: the invalid fields (location and type)")
    part: str | None = Field(None, description="POST /v1/compare: the file refused (report, collective or previous)")


class ErrorEnvelope(BaseModel):
    error: ErrorInfo


class _InMemoryMultiPartParser(MultiPartParser):
    """Keep uploaded files in memory (the request size limit bounds them): nothing is spooled to disk."""

    spool_max_size = 1 << 62


_ERRORS = {status: {"model": ErrorEnvelope} for status in (400, 401, 408, 413, 415, 422, 503, 504)}
_FEEDBACK_ERRORS = {status: {"model": ErrorEnvelope} for status in (400, 401, 404, 413, 415, 422, 500, 503, 504)}
_bearer = HTTPBearer(auto_error=False, description="Only when the server sets KIEMDIEM_API_TOKEN.")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application (``uvicorn --factory service.app:create_app`` reads the settings from the env)."""
    settings = settings or Settings.from_env()
    runner = make_runner(
        settings.analysis_workers,
        settings.analysis_threads,
        settings.max_pending,
        settings.analysis_timeout_s,
        settings.perform,
        settings.config,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runner.start(settings.warmup)
        app.state.ready = True
        try:
            yield
        finally:
            await runner.stop()

    app = FastAPI(
        title="kiemdiem API",
        version=__version__,
        description=(
            "Phân tích bản kiểm điểm đảng viên / tập thể: câu chung chung, né tránh, thiếu nội dung, trách nhiệm "
            'cá nhân. / Analyse Party self-critique reports. Errors: `{"error": {code, status, message_vi, '
            "message_en, detail}}`. Nothing sent is stored, except reviewers' decisions (POST /v1/feedback) where "
            "the server's configuration names a feedback store (GET /v1/config says whether it does)."
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.runner = runner
    app.state.ready = not settings.warmup

    _install_error_handlers(app)
    _add_api_routes(app, settings, runner)
    _add_page_routes(app)

    # Outermost last: Guard -> CORS -> token -> body limits (size, time) -> routes.
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_request_bytes,
        timeout_s=settings.body_timeout_s,
        min_rate=settings.body_min_rate,
        grace_s=settings.body_grace_s,
        scaled={"/v1/compare": 1 + len(PARTS), "/v1/feedback": 1 + len(PARTS)},
    )
    if settings.api_token:
        app.add_middleware(TokenAuthMiddleware, token=settings.api_token)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        )
    app.add_middleware(GuardMiddleware)
    return app


# --------------------------------------------------------------------------- API


def _add_api_routes(app: FastAPI, settings: Settings, runner: Runner) -> None:
    security = [Security(_bearer)]

    @app.get("/v1/health", tags=["service"], dependencies=security, summary="Liveness and readiness")
    async def health(request: Request) -> dict:
        return {"status": "ok", "ready": bool(request.app.state.ready)}

    @app.get("/v1/version", tags=["service"], dependencies=security, summary="Versions of app, schema and models")
    async def version() -> dict:
        limits = settings.ingest_limits
        return {
            **_versions(),
            "limits": {
                "max_request_bytes": settings.max_request_bytes,
                "max_file_bytes": limits.max_file_bytes,
                "max_text_chars": limits.max_text_chars,
            },
        }

    @app.get("/v1/schema", tags=["service"], dependencies=security, summary="JSON Schema of the result (v1)")
    async def schema() -> dict:
        from nlp.schema import result_json_schema

        return result_json_schema()

    @app.get("/v1/labels", tags=["service"], dependencies=security, summary="Display names, Vietnamese and English")
    async def labels() -> dict:
        return _labels()

    @app.get(
        "/v1/config",
        tags=["service"],
        dependencies=security,
        summary="The configuration every analysis uses (its hash and file name) and whether feedback is kept",
        response_model=ServerConfig,
    )
    async def configuration() -> ServerConfig:
        return config_state(settings.config)

    @app.post(
        "/v1/analyze",
        tags=["analysis"],
        dependencies=security,
        summary="Analyse one report (pasted text or an uploaded .docx/.pdf/.txt)",
        response_model=AnalysisResult,
        responses={200: {"content": {"text/html": {"schema": {"type": "string"}}}}, **_ERRORS},
        openapi_extra={"requestBody": _analyze_body()},
    )
    async def analyze(
        request: Request,
        format: Annotated[Literal["json", "html"], Query(description="json: the result; html: the report page")] = (
            "json"
        ),
        lang: Annotated[Literal["vi", "en"] | None, Query(description="overrides the body's lang")] = None,
    ) -> Response:
        job, body_lang = await _read_analysis_input(request, settings)
        body = await runner.run(replace(job, lang=lang or body_lang, output=format, config=settings.config))
        if format == "html":
            return _html_page(body)
        return Response(body, media_type="application/json")

    @app.post(
        "/v1/compare",
        tags=["analysis"],
        dependencies=security,
        summary="Check a report against its unit's collective report and/or the writer's report of last year",
        response_model=CompareAnswer,
        responses=_ERRORS,
        openapi_extra={"requestBody": _compare_body(), "description": _COMPARE_DESCRIPTION},
    )
    async def compare(
        request: Request,
        lang: Annotated[Literal["vi", "en"] | None, Query(description="overrides the body's lang")] = None,
    ) -> Response:
        job, body_lang = await _read_compare_input(request, settings)
        body = await runner.run(replace(job, lang=lang or body_lang, output="json", config=settings.config))
        return Response(body, media_type="application/json")

    @app.post(
        "/v1/render",
        tags=["analysis"],
        dependencies=security,
        summary="Render an AnalysisResult as the standalone HTML report",
        response_class=Response,
        responses={200: {"content": {"text/html": {"schema": {"type": "string"}}}}, **_ERRORS},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AnalysisResult"}}},
            }
        },
    )
    async def render(
        request: Request,
        lang: Annotated[Literal["vi", "en"] | None, Query(description="page language (default: the result's)")] = None,
    ) -> Response:
        raw = await _json_body(request)
        try:
            result = AnalysisResult.model_validate_json(raw)
        except ValidationError as error:
            raise _validation_error(error.errors(include_input=False, include_url=False)) from None
        return await _html_response(result, lang or result.lang)

    @app.post(
        "/v1/feedback",
        tags=["feedback"],
        dependencies=security,
        summary="Confirm or dismiss a finding (kept only where the configuration names a feedback store)",
        status_code=201,
        response_model=FeedbackAnswer,
        responses=_FEEDBACK_ERRORS,
        openapi_extra={"requestBody": _feedback_body(), "description": _FEEDBACK_DESCRIPTION},
    )
    async def feedback(request: Request) -> Response:
        ensure_enabled(settings.config)  # before reading anything: with feedback off nothing is analysed or kept
        body, job = await _read_feedback_input(request, settings)
        answer = await keep_decision(body, job, settings.config, runner)
        return Response(answer.model_dump_json(), status_code=201, media_type="application/json")


async def _html_response(result: AnalysisResult, lang: str) -> Response:
    from nlp.render import render_html

    return _html_page(await anyio.to_thread.run_sync(partial(render_html, result, lang=lang)))


def _html_page(page: str) -> Response:
    return Response(
        page,
        media_type="text/html; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{HTML_FILENAME}"'},
    )


async def _read_analysis_input(request: Request, settings: Settings) -> tuple[Job, str]:
    """The analysis job for this request's body, and the body's ``lang``: JSON text or one uploaded file."""
    media = _media_type(request)
    if media == "application/json":
        raw = await _json_body(request)
        try:
            body = AnalyzeRequest.model_validate_json(raw)
        except ValidationError as error:
            raise _validation_error(error.errors(include_input=False, include_url=False)) from None
        return Job(text=body.text, limits=settings.ingest_limits), body.lang
    if media == "multipart/form-data":
        return await _read_upload(request, settings)
    raise UnsupportedMediaTypeError(f"Content-Type {media or '(none)'}")


async def _parse_form(request: Request, settings: Settings, max_files: int, max_fields: int):
    """The multipart body, parsed in memory within the request limits (``KD-A002`` when malformed)."""
    parser = _InMemoryMultiPartParser(
        Headers(scope=request.scope),
        request.stream(),
        max_files=max_files,
        max_fields=max_fields,
        max_part_size=settings.max_request_bytes,
    )
    try:
        return await parser.parse()
    except MultiPartException as error:
        raise MalformedRequestError(_multipart_detail(error.message)) from None


def _form_lang(form) -> str:
    lang = form.get("lang") or "vi"
    if lang not in {"vi", "en"}:
        raise InvalidRequestError("lang", extra={"errors": [{"loc": ["body", "lang"], "type": "literal_error"}]})
    return lang


async def _read_upload(request: Request, settings: Settings) -> tuple[Job, str]:
    form = await _parse_form(request, settings, max_files=1, max_fields=4)
    try:
        lang = _form_lang(form)
        upload = form.get("file")
        text = form.get("text")
        if isinstance(upload, UploadFile):
            data = await upload.read()
            hint = _extension_hint(upload.filename)
            return Job(data=data, hint=hint, limits=settings.ingest_limits), lang
        if isinstance(text, str):
            return Job(text=text, limits=settings.ingest_limits), lang
        loc = ["body", "file"]
        raise InvalidRequestError("file", extra={"errors": [{"loc": loc, "type": "missing"}]})
    finally:
        await form.close()


async def _read_compare_input(request: Request, settings: Settings) -> tuple[Job, str]:
    """The comparison job for this request's body (JSON texts, or multipart files / texts) and the body's ``lang``;
    refused without the collective and the previous report (``KD-A013``) or with two identical files (``KD-A014``)."""
    media = _media_type(request)
    if media == "application/json":
        raw = await _json_body(request)
        try:
            body = CompareRequest.model_validate_json(raw)
        except ValidationError as error:
            raise _validation_error(error.errors(include_input=False, include_url=False)) from None
        given = {role: getattr(body, role) for role in PARTS if getattr(body, role) is not None}
        report = Job(text=body.text, limits=settings.ingest_limits)
        return _compare_job(report, None, {role: (text, None) for role, text in given.items()}), body.lang
    if media != "multipart/form-data":
        raise UnsupportedMediaTypeError(f"Content-Type {media or '(none)'}")
    form = await _parse_form(request, settings, max_files=1 + len(PARTS), max_fields=6)
    try:
        lang = _form_lang(form)
        upload, text = form.get("file"), form.get("text")
        if isinstance(upload, UploadFile):
            report = Job(data=await upload.read(), hint=_extension_hint(upload.filename), limits=settings.ingest_limits)
            report_name = upload.filename
        elif isinstance(text, str):
            report, report_name = Job(text=text, limits=settings.ingest_limits), None
        else:
            raise InvalidRequestError("file", extra={"errors": [{"loc": ["body", "file"], "type": "missing"}]})
        given: dict[str, tuple[str | bytes, str | None]] = {}
        for role in PARTS:
            value = form.get(role)
            if isinstance(value, UploadFile) and (value.filename or value.size):
                given[role] = (await value.read(), value.filename)
            elif isinstance(value, str):
                given[role] = (value, None)
        return _compare_job(report, report_name, given), lang
    finally:
        await form.close()


async def _read_feedback_input(request: Request, settings: Settings) -> tuple[FeedbackRequest, Job]:
    """A decision's body and the job that analyses its report again: JSON, or a multipart form whose fields are the
    JSON's (``finding`` as JSON text) and whose ``collective`` / ``previous`` may be files. With a collective or
    previous report the job is the comparison ``/v1/compare`` would run on them (``KD-A014``: the same file twice)."""
    media = _media_type(request)
    if media == "application/json":
        raw = await _json_body(request)
        body = _feedback_request(lambda: FeedbackRequest.model_validate_json(raw))
        given = {role: (getattr(body, role), None) for role in PARTS if getattr(body, role) is not None}
    elif media == "multipart/form-data":
        form = await _parse_form(request, settings, max_files=len(PARTS), max_fields=8)
        try:
            fields = {key: form.get(key) for key in ("text", "decision", "note") if isinstance(form.get(key), str)}
            finding = form.get("finding")
            if isinstance(finding, str):
                try:
                    fields["finding"] = json.loads(finding)
                except ValueError:
                    loc = ["body", "finding"]
                    error = {"loc": loc, "type": "json_invalid"}
                    raise InvalidRequestError("finding", extra={"errors": [error]}) from None
            body = _feedback_request(lambda: FeedbackRequest.model_validate(fields))
            given = {}
            for role in PARTS:
                value = form.get(role)
                if isinstance(value, UploadFile) and (value.filename or value.size):
                    given[role] = (await value.read(), value.filename)
                elif isinstance(value, str):
                    given[role] = (value, None)
        finally:
            await form.close()
    else:
        raise UnsupportedMediaTypeError(f"Content-Type {media or '(none)'}")
    job = report_job(body, settings.ingest_limits)
    return body, (_compare_job(job, None, given) if given else job)


def _feedback_request(parse: Callable[[], FeedbackRequest]) -> FeedbackRequest:
    try:
        return parse()
    except ValidationError as error:
        raise _validation_error(error.errors(include_input=False, include_url=False)) from None


def _compare_job(report: Job, report_name: str | None, given: dict[str, tuple[str | bytes, str | None]]) -> Job:
    """``report`` with the other files given (role → pasted text or file bytes, and the file's name)."""
    if not given:
        raise NothingToCompareError("collective, previous")
    contents = {"report": report.data if report.data is not None else (report.text or "").encode()}
    for role, (content, _) in given.items():
        raw = content.encode() if isinstance(content, str) else content
        same = next((other for other, seen in contents.items() if seen == raw), None)
        if same is not None:
            raise SameFileTwiceError(f"{role} = {same}")
        contents[role] = raw
    name, names = part_names(report_name, {role: filename for role, (_, filename) in given.items()})
    others = tuple(
        Other(role=role, name=names[role], text=content)
        if isinstance(content, str)
        else Other(role=role, name=names[role], data=content, hint=_extension_hint(filename))
        for role, (content, filename) in given.items()
    )
    return replace(report, name=name, others=others)


async def _json_body(request: Request) -> bytes:
    media = _media_type(request)
    if media != "application/json":
        raise UnsupportedMediaTypeError(f"Content-Type {media or '(none)'}")
    raw = await request.body()
    try:
        json.loads(raw)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError
        raise MalformedRequestError("the body is not valid JSON") from None
    return raw


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _extension_hint(filename: str | None) -> str | None:
    """Only the extension of the uploaded name goes to the reader (a hint for the error message)."""
    if not filename:
        return None
    suffix = Path(filename.replace("\\", "/")).suffix.lower()
    return f"upload{suffix}" if suffix.isascii() and 1 < len(suffix) <= 6 else None


def _multipart_detail(message: str) -> str:
    known = ("Too many files", "Too many fields", "Part exceeded", "Field exceeded", "Missing boundary")
    return next((k for k in known if message.startswith(k)), "invalid multipart data")


def _validation_error(errors: list[dict]) -> ApiError:
    """422 listing the invalid fields by location and type only (never the input, which may be report text)."""
    if any(e.get("type") == "json_invalid" for e in errors):
        return MalformedRequestError("the body is not valid JSON")
    fields = [{"loc": [str(p) for p in e.get("loc", ())], "type": str(e.get("type", ""))} for e in errors][:20]
    names = ", ".join(".".join(f["loc"]) or "body" for f in fields)
    return InvalidRequestError(names[:200], extra={"errors": fields})


def _request_body(json_schema: dict, properties: dict, required: list[str] | None = None) -> dict:
    """An endpoint's request body for the OpenAPI document: the JSON form and the multipart form."""
    multipart: dict = {"type": "object", "properties": properties}
    if required:
        multipart["required"] = required
    return {
        "required": True,
        "content": {
            "application/json": {"schema": json_schema},
            "multipart/form-data": {"schema": multipart},
        },
    }


def _analyze_body() -> dict:
    return _request_body(
        AnalyzeRequest.model_json_schema(),
        {
            "file": {"type": "string", "format": "binary", "description": ".docx, .pdf or .txt"},
            "lang": {"type": "string", "enum": ["vi", "en"], "default": "vi"},
        },
        ["file"],
    )


_FEEDBACK_DESCRIPTION = (
    "The server analyses `text` again with its own configuration (a result sent by a client is never "
    "trusted), finds the finding (`rule`, `start`, `end`) in that result and keeps the decision with "
    "the finding's sentence, the note, the model and the configuration hash. A `cross_report` finding (from "
    "`/v1/compare`) is found only by comparing again: send the `collective` and/or `previous` report it was "
    "compared with (texts, or files in the multipart form, as `/v1/compare` takes them; the request may be up to "
    "three times `KIEMDIEM_MAX_REQUEST_MB`) and its `evidence_start` / `evidence_end` (the finding's "
    "`evidence.start` / `evidence.end`). The other reports are not stored. 422 `KD-E013`: no such finding (for a "
    "cross finding sent without its other report, the detail names the report to send); 404 `KD-A012`: this "
    "server keeps no feedback (nothing is written)."
)


def _either(description: str) -> dict:
    """A multipart field that is a file or a text (the other reports of /v1/compare and /v1/feedback)."""
    return {"description": description + ": a file (.docx, .pdf, .txt) or the text", "type": "string"}


def _feedback_body() -> dict:
    return _request_body(
        request_schema(),
        {
            "text": {"type": "string", "description": "the analysed report: the result's `text`"},
            "finding": {"type": "string", "description": "the JSON object `finding` of the JSON body"},
            "decision": {"type": "string", "enum": ["confirm", "dismiss"]},
            "note": {"type": "string", "description": "the reviewer's note (optional)"},
            "collective": _either("the collective report the cross finding was compared with"),
            "previous": _either("the report of last year the cross finding was compared with"),
        },
        ["text", "finding", "decision"],
    )


_COMPARE_DESCRIPTION = (
    "The report (`text`, or the multipart `file`) is checked against its unit's collective report (`collective`) "
    "and/or the same writer's report of last year (`previous`): at least one of the two (else 422 `KD-A013`; two "
    "identical files: 422 `KD-A014`). The caller's word links them (one unit; `previous` reviews the year before). "
    "In multipart, `collective` and `previous` are each a file or a text field. Each file has the limits and "
    "refusals of `/v1/analyze`; a refused file is named in `error.part`. The request may be up to three times "
    "`KIEMDIEM_MAX_REQUEST_MB`. The three analyses and the cross-check are one analysis under the time limit "
    "(504 `KD-A011`). The answer: the report's result with its `cross_report` findings applied (each finding's "
    "`evidence.file` is the other file's upload name, or `collective` / `previous` for a pasted text), the notes, "
    "the linkage (what was linked and what could not be) and the rows of both checks."
)


def _compare_body() -> dict:
    return _request_body(
        CompareRequest.model_json_schema(),
        {
            "file": {"type": "string", "format": "binary", "description": "the report checked"},
            "text": {"type": "string", "description": "the report checked, as text (without file)"},
            "collective": _either("the unit's collective report of the same year"),
            "previous": _either("the same writer's report of the year before"),
            "lang": {"type": "string", "enum": ["vi", "en"], "default": "vi"},
        },
    )


@cache
def _versions() -> dict:
    from nlp.classify import default_classifier

    def dist(name: str) -> str | None:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return None

    classifier = default_classifier().name
    return {
        "app": "kiemdiem",
        "version": __version__,
        "schema_version": SCHEMA_VERSION,
        "classifier": classifier,
        "models": {"classifier": classifier, "underthesea": dist("underthesea")},
        "api": "v1",
    }


@cache
def _labels() -> dict:
    from nlp.catalog import labels
    from nlp.lexicon import load_yaml
    from nlp.render.common import strings

    render = strings()
    keep = ("ui", "category_help", "band_symbol", "formats", "ratings")
    bands = load_yaml("scoring.yaml").get("bands", {})
    return {
        "labels": labels(),
        "render": {k: render[k] for k in keep if k in render},
        "score_cutoffs": {"adequate": float(bands.get("adequate", 50)), "strong": float(bands.get("strong", 80))},
    }


# --------------------------------------------------------------------------- errors


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> Response:
        return error_response(error)

    @app.exception_handler(InputError)
    async def input_error(request: Request, error: InputError) -> Response:
        return error_response(error)

    @app.exception_handler(PartRefusal)
    async def part_refusal(request: Request, error: PartRefusal) -> Response:
        return error_response(error)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        # never echo the input (FastAPI's default handler does): locations and types only
        return error_response(_validation_error([dict(e) for e in error.errors()]))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404:
            return error_response(NotFoundError())
        if error.status_code == 405:
            return error_response(MethodNotAllowedError())
        if error.status_code == 400:
            return error_response(MalformedRequestError())
        response = error_response(ApiError())
        response.status_code = error.status_code
        return response


# --------------------------------------------------------------------------- page


def _add_page_routes(app: FastAPI) -> None:
    swagger_dir = _swagger_dir()

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html", media_type="text/html; charset=utf-8")

    @app.get("/vendor/swagger-ui/{name}", include_in_schema=False)
    async def swagger_asset(name: str) -> FileResponse:
        if name not in SWAGGER_FILES or swagger_dir is None:
            raise NotFoundError()
        return FileResponse(swagger_dir / name, media_type=SWAGGER_FILES[name])

    @app.get("/static/palette.css", include_in_schema=False)
    async def palette() -> Response:
        # one palette for the standalone report and this page (no second copy under service/static)
        return Response(_palette_css(), media_type="text/css; charset=utf-8")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")


@cache
def _palette_css() -> str:
    return importlib.resources.files("nlp.render").joinpath("templates", "palette.css").read_text(encoding="utf-8")


def _swagger_dir() -> Path | None:
    spec = importlib.util.find_spec("swagger_ui")  # located, not imported
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "static"
    return folder if (folder / "swagger-ui-bundle.js").is_file() else None
