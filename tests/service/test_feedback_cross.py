"""``POST /v1/feedback`` on cross-report findings (issue 13): sent with the other report(s) the finding was
computed with, the server compares again as ``/v1/compare`` does and keeps the decision; sent without them it is
refused (``KD-E013``) with a detail naming the report to send; a following ``/v1/compare`` shows the decision."""

from __future__ import annotations

import json
import os
import sqlite3

from service_support import ROOT

from nlp.feedback import FeedbackStore, report_hash

TREE = ROOT / "tests" / "cross" / "data" / "tree" / "dong-lac"
REPORT = (TREE / "2025" / "hoang-van-quy.txt").read_text(encoding="utf-8")
COLLECTIVE = (TREE / "2025" / "tap-the.txt").read_text(encoding="utf-8")
PREVIOUS = (TREE / "2024" / "hoang-van-quy.txt").read_text(encoding="utf-8")
NOT_OWNED = "cross.collective_fault_not_owned"
REPEATED = "cross.repeated_from_last_year"


def _compare(client, **others: str) -> dict:
    answer = client.post("/v1/compare", json={"text": REPORT, **others})
    assert answer.status_code == 200, answer.text
    return answer.json()["result"]


def _cross(result: dict, rule: str) -> list[dict]:
    return [f for f in result["findings"] if f["rule"] == rule]


def _ref(finding: dict, *, evidence: bool = True) -> dict:
    ref = {"rule": finding["rule"], "start": finding["start"], "end": finding["end"]}
    if evidence:
        ref |= {"evidence_start": finding["evidence"]["start"], "evidence_end": finding["evidence"]["end"]}
    return ref


def _body(result: dict, finding: dict, decision: str, **extra) -> dict:
    return {"text": result["text"], "finding": _ref(finding), "decision": decision, **extra}


def test_two_findings_on_one_sentence_are_confirmed_and_dismissed_apart(make_client, store_config):
    config, store_path = store_config
    client = make_client(config=config)
    result = _compare(client, collective=COLLECTIVE, previous=PREVIOUS)
    first, second = _cross(result, NOT_OWNED)
    # the test tree's head diffuses two of the collective's shortcomings in one sentence: same rule, same span
    assert (first["start"], first["end"]) == (second["start"], second["end"])
    assert first["evidence"]["start"] != second["evidence"]["start"]

    dismissed = client.post("/v1/feedback", json=_body(result, first, "dismiss", collective=COLLECTIVE, note="Khác"))
    assert dismissed.status_code == 201, dismissed.text
    assert dismissed.json()["review"] == "dismissed"
    confirmed = client.post("/v1/feedback", json=_body(result, second, "confirm", collective=COLLECTIVE))
    assert confirmed.status_code == 201, confirmed.text

    kept = {(d.evidence_start, d.evidence_end): d for d in FeedbackStore(store_path).decisions()}
    assert set(kept) == {(f["evidence"]["start"], f["evidence"]["end"]) for f in (first, second)}
    decision = kept[(first["evidence"]["start"], first["evidence"]["end"])]
    assert (decision.rule, decision.category, decision.decision, decision.note) == (
        NOT_OWNED,
        "cross_report",
        "dismiss",
        "Khác",
    )
    assert (decision.start, decision.end) == (first["start"], first["end"])
    assert decision.sentence == result["text"][decision.sentence_start : decision.sentence_end]
    assert decision.report_hash == report_hash(result["text"]) and decision.config_hash == config.config_hash
    # nothing of the collective report is kept: not its quote, not a line of it
    with sqlite3.connect(store_path) as connection:
        stored = " ".join(str(v) for row in connection.execute("SELECT * FROM decisions") for v in row)
    assert first["evidence"]["quote"] not in stored and second["evidence"]["quote"] not in stored

    again = _compare(client, collective=COLLECTIVE, previous=PREVIOUS)
    reviews = {f["evidence"]["start"]: f["review"] for f in _cross(again, NOT_OWNED)}
    assert reviews == {first["evidence"]["start"]: "dismissed", second["evidence"]["start"]: "confirmed"}
    assert [f["review"] for f in _cross(again, REPEATED)] == [None]
    # the report analysed alone has no cross finding, and its other findings carry no decision
    alone = client.post("/v1/analyze", json={"text": REPORT}).json()
    assert all(f["category"] != "cross_report" and f["review"] is None for f in alone["findings"])


def test_a_dismissed_finding_of_last_year_s_check_shows_on_the_next_comparison(make_client, store_config):
    config, store_path = store_config
    client = make_client(config=config)
    result = _compare(client, previous=PREVIOUS)
    (repeated,) = _cross(result, REPEATED)
    answer = client.post("/v1/feedback", json=_body(result, repeated, "dismiss", previous=PREVIOUS))
    assert answer.status_code == 201, answer.text
    assert answer.json()["decision"]["evidence_start"] == repeated["evidence"]["start"]
    both = _compare(client, collective=COLLECTIVE, previous=PREVIOUS)  # the same finding with the collective too
    assert [f["review"] for f in _cross(both, REPEATED)] == ["dismissed"]
    assert all(f["review"] is None for f in _cross(both, NOT_OWNED))
    assert len(FeedbackStore(store_path).decisions()) == 1


def test_uploaded_files_are_compared_again_as_compare_takes_them(make_client, store_config):
    config, store_path = store_config
    client = make_client(config=config)
    result = _compare(client, collective=COLLECTIVE)
    finding = _cross(result, NOT_OWNED)[0]
    form = {
        "text": (None, result["text"]),
        "finding": (None, json.dumps(_ref(finding))),
        "decision": (None, "dismiss"),
        "collective": ("tap-the.txt", COLLECTIVE.encode("utf-8"), "text/plain"),
    }
    answer = client.post("/v1/feedback", files=form)
    assert answer.status_code == 201, answer.text
    assert [d.evidence_start for d in FeedbackStore(store_path).decisions()] == [finding["evidence"]["start"]]
    bad = dict(form, finding=(None, "{not json"))
    refused = client.post("/v1/feedback", files=bad)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "KD-A004"


def test_without_the_other_report_a_cross_finding_is_refused_and_says_what_to_send(make_client, store_config):
    config, store_path = store_config
    client = make_client(config=config)
    result = _compare(client, collective=COLLECTIVE, previous=PREVIOUS)
    finding = _cross(result, NOT_OWNED)[0]
    for extra in ({}, {"previous": PREVIOUS}):
        refused = client.post("/v1/feedback", json=_body(result, finding, "dismiss", **extra))
        assert refused.status_code == 422, extra
        error = refused.json()["error"]
        assert error["code"] == "KD-E013"
        assert "báo cáo kiểm điểm tập thể" in error["detail"] and "collective report" in error["detail"]
        assert "«collective»" in error["detail"] and NOT_OWNED in error["detail"]
    (repeated,) = _cross(result, REPEATED)
    detail = client.post("/v1/feedback", json=_body(result, repeated, "confirm")).json()["error"]["detail"]
    assert "bản kiểm điểm năm trước" in detail and "last year" in detail and "«previous»" in detail
    # two findings share the rule and the span: without their evidence the reference names neither
    vague = _body(result, finding, "dismiss", collective=COLLECTIVE) | {"finding": _ref(finding, evidence=False)}
    ambiguous = client.post("/v1/feedback", json=vague).json()["error"]
    assert ambiguous["code"] == "KD-E013" and "evidence_start" in ambiguous["detail"]
    # with the texts but a wrong evidence offset: not found, the ordinary detail
    moved = _body(result, finding, "dismiss", collective=COLLECTIVE)
    moved["finding"]["evidence_start"] += 1
    plain = client.post("/v1/feedback", json=moved).json()["error"]
    assert plain["code"] == "KD-E013" and "no finding" in plain["detail"]
    # the same file twice is refused as /v1/compare refuses it
    twice = client.post("/v1/feedback", json=_body(result, finding, "dismiss", collective=result["text"]))
    assert twice.json()["error"]["code"] == "KD-A014"
    assert not store_path.exists()


def test_with_feedback_off_nothing_is_compared_or_stored(make_client, tmp_path, monkeypatch):
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    client = make_client()
    result = _compare(client, collective=COLLECTIVE)
    finding = _cross(result, NOT_OWNED)[0]
    answer = client.post("/v1/feedback", json=_body(result, finding, "dismiss", collective=COLLECTIVE))
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "KD-A012"
    assert os.listdir(home) == [] and os.listdir(work) == []


def test_the_other_reports_are_in_the_openapi_document(client):
    post = client.get("/openapi.json").json()["paths"]["/v1/feedback"]["post"]
    content = post["requestBody"]["content"]
    assert {"collective", "previous"} <= set(content["application/json"]["schema"]["properties"])
    finding = content["application/json"]["schema"]["properties"]["finding"]["properties"]
    assert {"evidence_start", "evidence_end"} <= set(finding)
    assert {"collective", "previous", "finding"} <= set(content["multipart/form-data"]["schema"]["properties"])
    assert "cross_report" in post["description"]
