"""Running the service on a LAN: token, CORS, logs without report text, analyses off the event loop, `serve`."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from service_support import CANARY, ROOT, WEAK_REPORT, small_report_docx
from typer.testing import CliRunner

import nlp
from service.config import Settings
from service.errors import errors_markdown

SMALL = "BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm 2024\nII. HẠN CHẾ\nTôi trả chậm 6 hồ sơ trong tháng 7/2024."


# ------------------------------------------------------------------ token


def test_token_is_required_on_every_v1_call(make_client):
    client = make_client(api_token="s3cret-token")
    for method, path in (("get", "/v1/health"), ("get", "/v1/version"), ("get", "/v1/labels"), ("post", "/v1/analyze")):
        response = getattr(client, method)(path)
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "KD-A005"
        assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header", ["Bearer wrong", "Basic s3cret-token", "s3cret-token", "Bearer ", "Bearer s3cret-tokenX"]
)
def test_wrong_token_is_refused(make_client, header):
    client = make_client(api_token="s3cret-token")
    assert client.get("/v1/health", headers={"Authorization": header}).status_code == 401


def test_right_token_is_accepted(make_client):
    client = make_client(api_token="s3cret-token")
    auth = {"Authorization": "Bearer s3cret-token"}
    assert client.get("/v1/health", headers=auth).status_code == 200
    assert client.post("/v1/analyze", json={"text": WEAK_REPORT}, headers=auth).json()["band"] == "weak"
    assert client.get("/v1/health", headers={"Authorization": "bearer s3cret-token"}).status_code == 200


def test_token_is_checked_before_the_body(make_client):
    client = make_client(api_token="s3cret-token")
    response = client.post("/v1/analyze", content=b"{}", headers={"content-length": str(10**9)})
    assert response.status_code == 401


def test_page_and_docs_stay_public_with_a_token(make_client):
    client = make_client(api_token="s3cret-token")
    for path in ("/", "/static/app.js", "/static/i18n.json", "/docs", "/openapi.json"):
        assert client.get(path).status_code == 200, path


def test_token_compare_is_constant_time(make_client, monkeypatch):
    import service.security

    calls = []
    real = service.security.hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(service.security.hmac, "compare_digest", spy)
    client = make_client(api_token="s3cret-token")
    client.get("/v1/health", headers={"Authorization": "Bearer guess"})
    assert calls == [(b"guess", b"s3cret-token")]


def test_settings_from_environment():
    settings = Settings.from_env(
        {
            "KIEMDIEM_API_TOKEN": "  abc  ",
            "KIEMDIEM_CORS_ORIGINS": "http://a.lan, http://b.lan:8080 ,",
            "KIEMDIEM_MAX_REQUEST_MB": "2",
            "KIEMDIEM_ANALYSIS_THREADS": "3",
            "KIEMDIEM_WARMUP": "0",
        }
    )
    assert settings.api_token == "abc"
    assert settings.cors_origins == ("http://a.lan", "http://b.lan:8080")
    assert settings.max_request_bytes == 2 * 1024 * 1024
    assert settings.analysis_threads == 3
    assert settings.warmup is False
    assert Settings.from_env({}).api_token is None
    assert Settings.from_env({}).cors_origins == ()


# ------------------------------------------------------------------ CORS


def test_cors_is_off_by_default(client):
    response = client.get("/v1/health", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options(
        "/v1/analyze", headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_for_given_origins(make_client):
    client = make_client(cors_origins=("http://intranet.lan",), api_token="s3cret-token")
    preflight = client.options(
        "/v1/analyze",
        headers={
            "Origin": "http://intranet.lan",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 200  # a preflight carries no token
    assert preflight.headers["access-control-allow-origin"] == "http://intranet.lan"
    auth = {"Authorization": "Bearer s3cret-token"}
    allowed = client.get("/v1/health", headers={"Origin": "http://intranet.lan", **auth})
    assert allowed.headers["access-control-allow-origin"] == "http://intranet.lan"
    other = client.get("/v1/health", headers={"Origin": "http://other.lan", **auth})
    assert "access-control-allow-origin" not in other.headers


# ------------------------------------------------------------------ logs


def test_no_report_text_in_logs(make_client, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    client = make_client()
    report = WEAK_REPORT.replace("Phan Quốc Bảo", CANARY)
    client.post(f"/v1/analyze?note={CANARY}", json={"text": report})
    client.post("/v1/analyze", files={"file": (f"{CANARY}.docx", small_report_docx())})
    client.post("/v1/analyze", content=("{" + CANARY).encode(), headers={"content-type": "application/json"})
    client.post("/v1/analyze", json={"text": 1, "x": CANARY})
    client.get(f"/v1/{CANARY}")
    client.post("/v1/analyze", content=CANARY.encode(), headers={"content-type": "text/plain"})

    def broken(*args, **kwargs):
        raise ValueError(f"cannot analyse {CANARY}")

    monkeypatch.setattr(nlp, "analyze", broken)
    response = client.post("/v1/analyze", json={"text": report})
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "KD-A009"
    assert CANARY not in response.text

    # everything the server side logged (the test client's own httpx logger prints the URL it was asked for)
    server = "\n".join(
        f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records if not r.name.startswith("httpx")
    )
    assert CANARY not in server
    assert "Phan Quốc Bảo" not in server
    access = [r.getMessage() for r in caplog.records if r.name == "kiemdiem.access"]
    assert any(line.startswith("POST /v1/analyze 200") for line in access)
    assert any(line.startswith("GET - 404") for line in access)  # the unknown path itself is not logged
    errors = [r.getMessage() for r in caplog.records if r.name == "kiemdiem.error"]
    assert errors == ["internal error ValueError on /v1/analyze"]


def test_uvicorn_access_log_is_replaced(monkeypatch):
    import uvicorn

    import service.serve

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: seen.update(kwargs, app=app))
    monkeypatch.delenv("KIEMDIEM_CORS_ORIGINS", raising=False)
    service.serve.run(host="0.0.0.0", port=9000, workers=2, cors_origins=["http://intranet.lan"])
    assert seen["app"] == "service.app:create_app" and seen["factory"] is True
    assert (seen["host"], seen["port"], seen["workers"]) == ("0.0.0.0", 9000, 2)
    assert seen["access_log"] is False and seen["reload"] is False
    from service.protocol import GuardedH11Protocol

    assert seen["http"] is GuardedH11Protocol  # JSON answers to malformed HTTP, a request-head time limit
    access = seen["log_config"]["loggers"]["uvicorn.access"]
    assert access["handlers"] == [] and access["propagate"] is False
    import os

    assert os.environ["KIEMDIEM_CORS_ORIGINS"] == "http://intranet.lan"
    monkeypatch.delenv("KIEMDIEM_CORS_ORIGINS")


def test_serve_command(monkeypatch):
    import service.serve
    from nlp.cli import app

    seen = {}
    monkeypatch.setattr(service.serve, "run", lambda **kwargs: seen.update(kwargs))
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "8123", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert seen == {"host": "0.0.0.0", "port": 8123, "workers": 2, "cors_origins": None, "analysis_workers": None}
    result = CliRunner().invoke(app, ["serve", "--analysis-workers", "3"])
    assert result.exit_code == 0, result.output
    assert seen["analysis_workers"] == 3


def test_serve_passes_the_pool_size_to_the_workers(monkeypatch):
    import uvicorn

    import service.serve

    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: None)
    monkeypatch.delenv("KIEMDIEM_ANALYSIS_WORKERS", raising=False)
    service.serve.run(analysis_workers=3)
    assert Settings.from_env().analysis_workers == 3
    monkeypatch.delenv("KIEMDIEM_ANALYSIS_WORKERS")


# ------------------------------------------------------------------ off the event loop


def _slow_analyze(gate: threading.Event, started: threading.Event):
    real = nlp.analyze

    def analyze(text, **kwargs):
        if text.startswith("CHẬM"):
            started.set()
            assert gate.wait(30), "the test never released the slow analysis"
            text = SMALL
        return real(text, **kwargs)

    return analyze


def test_a_slow_report_does_not_block_the_others(make_client, monkeypatch):
    gate, started = threading.Event(), threading.Event()
    monkeypatch.setattr(nlp, "analyze", _slow_analyze(gate, started))
    client = make_client()
    slow = {}
    worker = threading.Thread(target=lambda: slow.update(r=client.post("/v1/analyze", json={"text": "CHẬM " + SMALL})))
    worker.start()
    try:
        assert started.wait(30)
        assert client.get("/v1/health").status_code == 200
        fast = client.post("/v1/analyze", json={"text": WEAK_REPORT})
        assert fast.status_code == 200 and fast.json()["band"] == "weak"
        assert "r" not in slow  # still running while the others were served
    finally:
        gate.set()
        worker.join(30)
    assert slow["r"].status_code == 200


def test_too_many_waiting_analyses_get_503(make_client, monkeypatch):
    gate, started = threading.Event(), threading.Event()
    monkeypatch.setattr(nlp, "analyze", _slow_analyze(gate, started))
    client = make_client(max_pending=1)
    worker = threading.Thread(target=lambda: client.post("/v1/analyze", json={"text": "CHẬM " + SMALL}))
    worker.start()
    try:
        assert started.wait(30)
        busy = client.post("/v1/analyze", json={"text": WEAK_REPORT})
        assert busy.status_code == 503
        assert busy.json()["error"]["code"] == "KD-A008"
        assert busy.headers["retry-after"]
        assert client.get("/v1/health").status_code == 200
    finally:
        gate.set()
        worker.join(30)
    assert client.post("/v1/analyze", json={"text": WEAK_REPORT}).status_code == 200


def test_analysis_in_a_thread_past_its_time_limit_gets_504(make_client, monkeypatch):
    gate, started = threading.Event(), threading.Event()
    monkeypatch.setattr(nlp, "analyze", _slow_analyze(gate, started))
    client = make_client(analysis_timeout_s=0.2)
    try:
        late = client.post("/v1/analyze", json={"text": "CHẬM " + SMALL})
        assert late.status_code == 504
        assert late.json()["error"]["code"] == "KD-A011"
        assert client.get("/v1/health").status_code == 200
    finally:
        gate.set()
    assert client.post("/v1/analyze", json={"text": SMALL}).status_code == 200


def test_warm_up_at_start(make_client):
    client = make_client(warmup=True)
    assert client.get("/v1/health").json() == {"status": "ok", "ready": True}


# ------------------------------------------------------------------ docs


def test_service_doc_lists_every_api_error():
    text = (ROOT / "docs" / "SERVICE.md").read_text(encoding="utf-8")
    assert errors_markdown() in text, "regenerate the table: python -c 'from service.errors import errors_markdown...'"


def test_install_browser_script_exists():
    script = Path(ROOT / ".ci" / "install-browser.sh")
    assert script.exists() and script.stat().st_mode & 0o111
