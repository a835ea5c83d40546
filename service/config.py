"""Settings of the API, read from the environment so that every uvicorn worker builds the same app.

| Variable | Default | Meaning |
|---|---|---|
| ``KIEMDIEM_API_TOKEN`` | unset | when set, every ``/v1`` call needs ``Authorization: Bearer <token>`` |
| ``KIEMDIEM_CORS_ORIGINS`` | unset (CORS off) | comma-separated origins allowed to call the API from a browser |
| ``KIEMDIEM_MAX_REQUEST_MB`` | 21 | largest request body, counted while it streams in |
| ``KIEMDIEM_BODY_TIMEOUT`` | 30 | seconds to receive a whole request body |
| ``KIEMDIEM_BODY_MIN_RATE`` | 1024 | bytes per second a body must average once ``KIEMDIEM_BODY_GRACE`` seconds have passed |
| ``KIEMDIEM_BODY_GRACE`` | 5 | seconds before the minimum rate applies |
| ``KIEMDIEM_HEADER_TIMEOUT`` | 10 | seconds to receive a request's line and headers (``kiemdiem serve`` only) |
| ``KIEMDIEM_ANALYSIS_WORKERS`` | min(2, cores) | analysis processes of one uvicorn worker; 0 analyses in threads of the server process |
| ``KIEMDIEM_ANALYSIS_TIMEOUT`` | 60 | seconds one analysis may take in its process before the process is killed (504) |
| ``KIEMDIEM_ANALYSIS_THREADS`` | 4 | with ``KIEMDIEM_ANALYSIS_WORKERS=0`` only: analyses running at once in threads |
| ``KIEMDIEM_MAX_PENDING`` | 32 | analyses running or waiting in one uvicorn worker before new ones get 503 |
| ``KIEMDIEM_WARMUP`` | 1 | load the models at start-up (in every analysis process) so the first reviewer does not wait |
| ``KIEMDIEM_CONFIG`` | unset | the organisation's ``.kiemdiem.yaml`` (``docs/CONFIG.md``); never searched for. An invalid file
  stops the server at start (``KD-E012``) |
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from nlp.config import ConfigError, Configuration, load_config
from nlp.ingest import IngestLimits
from service.worker import Job, Outcome, perform

MIB = 1024 * 1024


def default_analysis_workers() -> int:
    """Two analysis processes, or one on a single-core machine."""
    return min(2, os.cpu_count() or 1)


@dataclass(frozen=True)
class Settings:
    """What one app instance enforces; build it with :meth:`from_env` or directly in tests."""

    api_token: str | None = None
    cors_origins: tuple[str, ...] = ()
    max_request_bytes: int = 21 * MIB  # one 20 MiB file plus the multipart envelope
    body_timeout_s: float = 30.0
    body_min_rate: int = 1024
    body_grace_s: float = 5.0
    header_timeout_s: float = 10.0
    analysis_workers: int = field(default_factory=default_analysis_workers)
    analysis_timeout_s: float = 60.0
    analysis_threads: int = 4
    max_pending: int = 32
    warmup: bool = True
    ingest_limits: IngestLimits = field(default_factory=IngestLimits)
    #: the organisation's configuration, used by every analysis (default: the shipped behaviour, feedback off)
    config: Configuration = field(default_factory=Configuration)
    #: the function an analysis runs (tests replace it with a slow one; no input or variable reaches it)
    perform: Callable[[Job], Outcome] = perform

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Settings from ``KIEMDIEM_*`` environment variables (see the module docstring); raise
        :class:`~nlp.config.ConfigError` when ``KIEMDIEM_CONFIG`` names an unusable file."""
        env = os.environ if environ is None else environ
        token = env.get("KIEMDIEM_API_TOKEN", "").strip() or None
        origins = tuple(o.strip() for o in env.get("KIEMDIEM_CORS_ORIGINS", "").split(",") if o.strip())
        max_mb = float(env.get("KIEMDIEM_MAX_REQUEST_MB", "21"))
        workers = env.get("KIEMDIEM_ANALYSIS_WORKERS", "").strip()
        return cls(
            api_token=token,
            cors_origins=origins,
            max_request_bytes=max(1, int(max_mb * MIB)),
            body_timeout_s=_seconds(env, "KIEMDIEM_BODY_TIMEOUT", 30.0),
            body_min_rate=max(0, int(env.get("KIEMDIEM_BODY_MIN_RATE", "1024"))),
            body_grace_s=_seconds(env, "KIEMDIEM_BODY_GRACE", 5.0),
            header_timeout_s=_seconds(env, "KIEMDIEM_HEADER_TIMEOUT", 10.0),
            analysis_workers=max(0, int(workers)) if workers else default_analysis_workers(),
            analysis_timeout_s=_seconds(env, "KIEMDIEM_ANALYSIS_TIMEOUT", 60.0),
            analysis_threads=max(1, int(env.get("KIEMDIEM_ANALYSIS_THREADS", "4"))),
            max_pending=max(1, int(env.get("KIEMDIEM_MAX_PENDING", "32"))),
            warmup=env.get("KIEMDIEM_WARMUP", "1").strip().lower() not in {"0", "false", "no", "off"},
            config=server_config(env),
        )


def server_config(env: Mapping[str, str]) -> Configuration:
    """The configuration named by ``KIEMDIEM_CONFIG`` (never searched for), checked as a server needs it: a feedback
    store whose folder does not exist is an error at start, not at the first reviewer's click."""
    config = load_config(search=False, environ=dict(env))
    store = config.feedback_store
    if store is not None and not store.parent.is_dir():
        raise ConfigError(f"feedback.store: the folder of {store.name} does not exist ({store.parent})")
    return config


def _seconds(env, name: str, default: float) -> float:
    """A positive number of seconds from ``env[name]`` (at least 0.05 s), or ``default``."""
    raw = env.get(name, "").strip()
    return max(0.05, float(raw)) if raw else default
