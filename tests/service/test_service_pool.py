"""Analyses in worker processes: the same answers as in-process, a time limit that kills and replaces the
process, a crash that costs only its own request, and the queue limit."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time

import pytest
from service_support import WEAK_REPORT, small_report_docx
from slow_jobs import CRASH, SLOW, perform_slowly

import nlp
from service.config import Settings

SMALL = "BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm 2024\nII. HẠN CHẾ\nTôi trả chậm 6 hồ sơ trong tháng 7/2024."


def pool_pids() -> set[int]:
    return {p.pid for p in multiprocessing.active_children() if p.name == "pebble_pool_worker"}


@pytest.fixture
def pooled(make_client):
    """A client whose app analyses in one worker process with a 1 s time limit and the test hook."""
    return make_client(analysis_workers=1, analysis_timeout_s=1.0, perform=perform_slowly, warmup=True)


def test_process_answers_are_the_library_s(pooled, make_client):
    threaded = make_client()
    for kwargs in ({"json": {"text": WEAK_REPORT}}, {"files": {"file": ("bc.docx", small_report_docx())}}):
        answer = pooled.post("/v1/analyze?lang=en", **kwargs)
        assert answer.status_code == 200
        assert answer.content == threaded.post("/v1/analyze?lang=en", **kwargs).content
    assert pooled.post("/v1/analyze", json={"text": WEAK_REPORT}).json() == nlp.analyze(WEAK_REPORT).model_dump(
        mode="json"
    )
    page = pooled.post("/v1/analyze?format=html", json={"text": WEAK_REPORT})
    assert page.headers["content-type"].startswith("text/html")
    assert page.content == threaded.post("/v1/analyze?format=html", json={"text": WEAK_REPORT}).content


def test_refusals_cross_the_process_boundary_with_their_code(pooled, make_client):
    threaded = make_client()
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    for kwargs in ({"json": {"text": "   "}}, {"files": {"file": ("x.txt", png)}}):
        refused, expected = pooled.post("/v1/analyze", **kwargs), threaded.post("/v1/analyze", **kwargs)
        assert refused.status_code == expected.status_code >= 400
        assert refused.json() == expected.json()
        assert refused.json()["error"]["code"].startswith("KD-E")


def test_analysis_over_its_time_limit_is_cut_and_its_process_replaced(pooled, caplog):
    caplog.set_level(logging.INFO)
    before = pool_pids()
    assert len(before) == 1
    cut = pooled.post("/v1/analyze", json={"text": SLOW + " " + SMALL})  # would sleep 60 s
    assert cut.status_code == 504
    assert cut.json()["error"]["code"] == "KD-A011"
    assert not before & pool_pids()  # the stuck process is gone
    assert pooled.get("/v1/health").status_code == 200
    assert pooled.post("/v1/analyze", json={"text": SMALL}).status_code == 200  # a fresh process analyses it
    warnings = [r.getMessage() for r in caplog.records if r.name == "kiemdiem.analysis"]
    assert warnings == ["analysis over its time limit (1 s): its process was stopped and replaced"]


def test_a_crashed_process_costs_only_its_request(pooled, caplog):
    crashed = pooled.post("/v1/analyze", json={"text": CRASH + " " + SMALL})
    assert crashed.status_code == 500
    assert crashed.json()["error"]["code"] == "KD-A009"
    assert pooled.post("/v1/analyze", json={"text": SMALL}).status_code == 200
    errors = [r.getMessage() for r in caplog.records if r.name == "kiemdiem.error"]
    assert errors == ["internal error ProcessExpired on /v1/analyze"]


def test_a_process_killed_while_idle_does_not_cost_a_request(pooled):
    (pid,) = pool_pids()
    os.kill(pid, signal.SIGKILL)  # the OOM killer or an operator; pebble then stops the whole pool
    assert pooled.post("/v1/analyze", json={"text": SMALL}).status_code == 200
    time.sleep(0.3)  # the pool's manager notices within 0.1 s
    assert pooled.post("/v1/analyze", json={"text": SMALL}).status_code == 200
    assert pid not in pool_pids()


def test_too_many_waiting_analyses_get_503(make_client):
    client = make_client(analysis_workers=1, analysis_timeout_s=1.0, perform=perform_slowly, max_pending=1)
    worker = threading.Thread(target=lambda: client.post("/v1/analyze", json={"text": SLOW + " " + SMALL}))
    worker.start()
    try:
        deadline = time.monotonic() + 10
        while client.app.state.runner.pending < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        busy = client.post("/v1/analyze", json={"text": SMALL})
        assert busy.status_code == 503 and busy.json()["error"]["code"] == "KD-A008"
    finally:
        worker.join(30)
    assert client.post("/v1/analyze", json={"text": SMALL}).status_code == 200


def test_settings_of_the_pool_from_environment():
    settings = Settings.from_env(
        {"KIEMDIEM_ANALYSIS_WORKERS": "3", "KIEMDIEM_ANALYSIS_TIMEOUT": "12.5", "KIEMDIEM_BODY_TIMEOUT": "7"}
    )
    assert (settings.analysis_workers, settings.analysis_timeout_s, settings.body_timeout_s) == (3, 12.5, 7.0)
    assert Settings.from_env({"KIEMDIEM_ANALYSIS_WORKERS": "0"}).analysis_workers == 0
    assert 1 <= Settings.from_env({}).analysis_workers <= 2
