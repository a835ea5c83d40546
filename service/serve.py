"""``kiemdiem serve``: run the API and the page with uvicorn (logging without report text, JSON answers to
malformed HTTP, a time limit on request heads, no reload).

The configuration named by ``KIEMDIEM_CONFIG`` is read before uvicorn starts: an invalid one stops the command with
its ``KD-E012`` message (both languages) and exit code 21, so the server never runs with a half-read configuration."""

from __future__ import annotations

import os
import sys

from nlp.config import ConfigError
from service.config import server_config
from service.observe import LOG_CONFIG
from service.protocol import GuardedH11Protocol


def run(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    cors_origins: list[str] | None = None,
    analysis_workers: int | None = None,
) -> None:
    """Start uvicorn on ``host:port`` with ``workers`` processes, each with ``analysis_workers`` analysis processes
    (default: ``KIEMDIEM_ANALYSIS_WORKERS`` or min(2, cores)); other settings come from ``KIEMDIEM_*`` variables."""
    import uvicorn

    if cors_origins:  # the workers build their app from the environment
        os.environ["KIEMDIEM_CORS_ORIGINS"] = ",".join(cors_origins)
    if analysis_workers is not None:
        os.environ["KIEMDIEM_ANALYSIS_WORKERS"] = str(max(0, analysis_workers))
    shown = f"[{host}]" if ":" in host else host
    token = "on" if os.environ.get("KIEMDIEM_API_TOKEN", "").strip() else "off"
    try:
        config = server_config(os.environ)
    except ConfigError as error:
        print(f"kiemdiem: {error.code}: {error.message_vi} / {error.message_en}", file=sys.stderr)
        print(f"  {error.detail}", file=sys.stderr, flush=True)
        raise SystemExit(error.exit_code) from None
    configured = f"configuration {config.path.name} {config.config_hash}" if config.path else "default configuration"
    feedback = "kept" if config.feedback_store is not None else "off"
    print(
        f"kiemdiem: http://{shown}:{port}/  (API token {token}; {configured}; feedback {feedback}; docs at /docs;"
        " Ctrl+C to stop)",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=max(1, workers),
        reload=False,
        access_log=False,
        log_config=LOG_CONFIG,
        server_header=False,
        http=GuardedH11Protocol,  # JSON answers to malformed HTTP, a time limit on the request head
        timeout_keep_alive=5,  # seconds an idle keep-alive connection stays open
        h11_max_incomplete_event_size=16 * 1024,  # an unfinished request head buffered past it: 400
    )
