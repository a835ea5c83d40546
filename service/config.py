"""Settings of the API, read from the environment so that every uvicorn worker builds the same app.

| Variable | Default | Meaning |
|---|---|---|
| ``KIEMDIEM_API_TOKEN`` | unset | when set, every ``/v1`` call needs ``Authorization: Bearer <token>`` |
| ``KIEMDIEM_CORS_ORIGINS`` | unset (CORS off) | comma-separated origins allowed to call the API from a browser |
| ``KIEMDIEM_MAX_REQUEST_MB`` | 21 | largest request body, counted while it streams in |
| ``KIEMDIEM_ANALYSIS_THREADS`` | 4 | analyses running at once in one worker (the rest wait) |
| ``KIEMDIEM_MAX_PENDING`` | 32 | analyses running or waiting in one worker before new ones get 503 |
| ``KIEMDIEM_WARMUP`` | 1 | analyse a tiny built-in text at start-up so the first reviewer does not wait |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from nlp.ingest import IngestLimits

MIB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """What one app instance enforces; build it with :meth:`from_env` or directly in tests."""

    api_token: str | None = None
    cors_origins: tuple[str, ...] = ()
    max_request_bytes: int = 21 * MIB  # one 20 MiB file plus the multipart envelope
    analysis_threads: int = 4
    max_pending: int = 32
    warmup: bool = True
    ingest_limits: IngestLimits = field(default_factory=IngestLimits)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Settings from ``KIEMDIEM_*`` environment variables (see the module docstring)."""
        env = os.environ if environ is None else environ
        token = env.get("KIEMDIEM_API_TOKEN", "").strip() or None
        origins = tuple(o.strip() for o in env.get("KIEMDIEM_CORS_ORIGINS", "").split(",") if o.strip())
        max_mb = float(env.get("KIEMDIEM_MAX_REQUEST_MB", "21"))
        return cls(
            api_token=token,
            cors_origins=origins,
            max_request_bytes=max(1, int(max_mb * MIB)),
            analysis_threads=max(1, int(env.get("KIEMDIEM_ANALYSIS_THREADS", "4"))),
            max_pending=max(1, int(env.get("KIEMDIEM_MAX_PENDING", "32"))),
            warmup=env.get("KIEMDIEM_WARMUP", "1").strip().lower() not in {"0", "false", "no", "off"},
        )
