"""``POST /v1/feedback``: a reviewer's decision is found in the server's own analysis and kept in the configured
store; refused when the finding is not there; nothing written anywhere when no store is configured."""

from __future__ import annotations

import logging
import os

import pytest
from service_support import CANARY, WEAK_REPORT

from nlp import AnalysisResult
from nlp.feedback import FeedbackStore, report_hash

DENIAL = "Nhìn chung bản thân không có khuyết điểm gì đáng kể"


def _result(client) -> AnalysisResult:
    return AnalysisResult.model_validate(client.post("/v1/analyze", json={"text": WEAK_REPORT}).json())


def _finding_on(result: AnalysisResult, fragment: str):
    return next(
        f
        for f in result.findings
        if f.sentence is not None
        and fragment in result.text[result.sentences[f.sentence].start : result.sentences[f.sentence].end]
    )


def _body(result: AnalysisResult, finding, decision: str, **extra) -> dict:
    ref = {"rule": finding.rule, "start": finding.start, "end": finding.end}
    return {"text": result.text, "finding": ref, "decision": decision, **extra}


def test_a_dismissal_lands_in_the_store_and_shows_on_the_next_analysis(make_client, store_config):
    config, store_path = store_config
    client = make_client(config=config)
    result = _result(client)
    finding = _finding_on(result, DENIAL)
    response = client.post("/v1/feedback", json=_body(result, finding, "dismiss", note="Câu này có ý tự nhận."))
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    answer = response.json()
    assert answer["stored"] is True and answer["review"] == "dismissed"

    kept = FeedbackStore(store_path).decisions()
    assert len(kept) == 1
    decision = kept[0]
    assert (decision.rule, decision.start, decision.end) == (finding.rule, finding.start, finding.end)
    assert decision.decision == "dismiss" and decision.note == "Câu này có ý tự nhận."
    assert DENIAL in decision.sentence and decision.sentence != result.text
    assert decision.report_hash == report_hash(result.text)
    assert decision.config_hash == config.config_hash and decision.model == result.classifier
    assert answer["decision"]["sentence"] == decision.sentence

    again = _result(client)
    reviewed = [f for f in again.findings if (f.rule, f.start, f.end) == (finding.rule, finding.start, finding.end)]
    assert [f.review for f in reviewed] == ["dismissed"]
    assert all(f.review is None for f in again.findings if f not in reviewed)


def test_a_reviewer_who_changes_their_mind_replaces_the_decision(make_client, store_config):
    config, store_path = store_config
    client = make_client(config=config)
    result = _result(client)
    finding = _finding_on(result, DENIAL)
    assert client.post("/v1/feedback", json=_body(result, finding, "dismiss")).status_code == 201
    response = client.post("/v1/feedback", json=_body(result, finding, "confirm"))
    assert response.status_code == 201 and response.json()["review"] == "confirmed"
    assert [d.decision for d in FeedbackStore(store_path).decisions()] == ["confirm"]
    assert {f.review for f in _result(client).findings} == {None, "confirmed"}


def test_the_original_text_names_the_same_report_as_the_results_text(make_client, store_config):
    config, store_path = store_config
    client = make_client(config=config)
    result = _result(client)
    finding = _finding_on(result, DENIAL)
    body = _body(result, finding, "confirm") | {"text": WEAK_REPORT}
    assert client.post("/v1/feedback", json=body).status_code == 201
    assert FeedbackStore(store_path).decisions()[0].report_hash == report_hash(result.text)


def test_a_decision_on_a_finding_not_in_the_result_is_refused(make_client, store_config):
    config, store_path = store_config
    client = make_client(config=config)
    result = _result(client)
    finding = _finding_on(result, DENIAL)
    moved = _body(result, finding, "dismiss")
    moved["finding"]["start"] += 1
    response = client.post("/v1/feedback", json=moved)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "KD-E013"
    other_text = _body(result, finding, "dismiss") | {"text": "Tôi hoàn thành 12 hồ sơ trước 30/6/2024."}
    assert client.post("/v1/feedback", json=other_text).json()["error"]["code"] == "KD-E013"
    assert not store_path.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"decision": "maybe"},
        {"note": "x" * 1001},
        {"finding": {"rule": "evasive.hedge", "start": -1, "end": 3}},
        {"sentence": "a client's own sentence"},
        {"text": None},
    ],
    ids=["decision", "note-too-long", "negative-offset", "extra-field", "no-text"],
)
def test_invalid_bodies_are_refused_with_their_fields(make_client, store_config, change):
    config, store_path = store_config
    client = make_client(config=config)
    result = _result(client)
    body = _body(result, _finding_on(result, DENIAL), "dismiss") | change
    response = client.post("/v1/feedback", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "KD-A004"
    assert not store_path.exists()


def test_only_json_is_taken(make_client, store_config):
    client = make_client(config=store_config[0])
    assert client.post("/v1/feedback", content=b"{", headers={"content-type": "application/json"}).status_code == 400
    response = client.post("/v1/feedback", data={"text": "x"})
    assert response.status_code == 415 and response.json()["error"]["code"] == "KD-A003"


def test_with_no_store_configured_nothing_is_written_anywhere(make_client, tmp_path, monkeypatch):
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    client = make_client()
    assert client.get("/v1/config").json()["feedback"] == {"enabled": False}
    result = _result(client)
    response = client.post("/v1/feedback", json=_body(result, _finding_on(result, DENIAL), "dismiss", note="x"))
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "KD-A012"
    assert "không lưu ý kiến phản hồi" in error["message_vi"] and "does not keep feedback" in error["message_en"]
    assert client.post("/v1/feedback", json={}).json()["error"]["code"] == "KD-A012"  # refused before reading
    assert os.listdir(home) == [] and os.listdir(work) == []
    assert all(f.review is None for f in _result(client).findings)


def test_a_configured_store_without_feedback_elsewhere_writes_only_the_store(make_client, store_config, monkeypatch):
    config, store_path = store_config
    monkeypatch.chdir(store_path.parent)
    client = make_client(config=config)
    result = _result(client)
    assert client.post("/v1/feedback", json=_body(result, _finding_on(result, DENIAL), "confirm")).status_code == 201
    assert sorted(p.name for p in store_path.parent.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        "phan-hoi.sqlite"
    ]


def test_sentence_and_note_are_never_logged(make_client, store_config, caplog):
    caplog.set_level(logging.DEBUG)
    config, _ = store_config
    client = make_client(config=config)
    report = WEAK_REPORT.replace("Nhìn chung bản thân", f"Nhìn chung {CANARY} bản thân")
    result = AnalysisResult.model_validate(client.post("/v1/analyze", json={"text": report}).json())
    finding = _finding_on(result, CANARY)
    assert client.post("/v1/feedback", json=_body(result, finding, "dismiss", note=CANARY)).status_code == 201
    refused = _body(result, finding, "dismiss", note=CANARY)
    refused["finding"]["end"] += 1
    response = client.post("/v1/feedback", json=refused)
    assert response.status_code == 422 and CANARY not in response.text
    assert client.post("/v1/feedback", json=_body(result, finding, "dismiss", note=CANARY * 100)).status_code == 422
    server = [r for r in caplog.records if not r.name.startswith("httpx")]
    assert any("/v1/feedback" in r.getMessage() for r in server)
    assert not any(CANARY in r.getMessage() for r in server)


def test_an_unusable_store_is_a_server_error_that_hides_its_path(make_client, store_config):
    config, store_path = store_config
    store_path.write_bytes(b"not an sqlite file at all" * 100)
    client = make_client(config=config)
    response = client.post("/v1/analyze", json={"text": WEAK_REPORT})
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "KD-E014"
    assert str(store_path.parent) not in response.text
    result = AnalysisResult.model_validate(make_client().post("/v1/analyze", json={"text": WEAK_REPORT}).json())
    answer = client.post("/v1/feedback", json=_body(result, _finding_on(result, DENIAL), "dismiss"))
    assert answer.status_code == 500 and answer.json()["error"]["code"] == "KD-E014"
    assert str(store_path.parent) not in answer.text


def test_feedback_is_in_the_openapi_document(client):
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/v1/feedback"]["post"]
    schema = post["requestBody"]["content"]["application/json"]["schema"]
    assert set(schema["required"]) == {"text", "finding", "decision"}
    assert schema["properties"]["decision"]["enum"] == ["confirm", "dismiss"]
    assert "$ref" not in str(schema)
    assert {"201", "404", "422"} <= set(post["responses"])
    assert "/v1/config" in spec["paths"]
