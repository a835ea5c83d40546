"""POST /v1/compare: one reviewer, two or three files. The API gives the cross findings of
``kiemdiem analyze X --collective C --previous P`` (rules, verdicts, quotes, offsets), names the other files as they
were uploaded, refuses what /v1/analyze refuses for each file (saying which), and runs under the pool's time limit."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from service_support import PNG, ROOT
from slow_jobs import SLOW, perform_slowly
from typer.testing import CliRunner

import nlp
from nlp.cli import app as cli
from service.compare import part_names

TREE = ROOT / "tests" / "cross" / "data" / "tree" / "dong-lac"
REPORT = TREE / "2025" / "hoang-van-quy.txt"
COLLECTIVE = TREE / "2025" / "tap-the.txt"
PREVIOUS = TREE / "2024" / "hoang-van-quy.txt"
EXPECTED = [
    ("cross.collective_fault_not_owned", "diffused"),
    ("cross.collective_fault_not_owned", "diffused"),
    ("cross.repeated_from_last_year", "repeated"),
]


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _cross(result: dict) -> list[dict]:
    return [f for f in result["findings"] if f["category"] == "cross_report"]


def _key(finding: dict, files: dict[str, str]) -> tuple:
    """A cross finding as both paths must agree on it; the other file by its role (``files``: name → role)."""
    evidence = finding["evidence"]
    where = (files[evidence["file"]], evidence["start"], evidence["end"], evidence["quote"], evidence["year"])
    return finding["rule"], evidence["verdict"], finding["start"], finding["end"], finding["sentence"], *where


@pytest.fixture(scope="module")
def cli_result() -> dict:
    """``kiemdiem analyze`` of the head's report with the collective report and his report of last year."""
    args = ["analyze", str(REPORT), "--format", "json", "--collective", str(COLLECTIVE), "--previous", str(PREVIOUS)]
    run = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert run.exit_code == 0, run.output
    return json.loads(run.stdout)


def _uploads() -> dict:
    return {
        "file": ("hoang-van-quy.txt", REPORT.read_bytes(), "text/plain"),
        "collective": ("tap-the.txt", COLLECTIVE.read_bytes(), "text/plain"),
        "previous": ("hoang-van-quy-2024.txt", PREVIOUS.read_bytes(), "text/plain"),
    }


def test_uploads_get_the_cli_s_cross_findings_named_by_their_files(client, cli_result, caplog):
    caplog.set_level(logging.DEBUG)
    answer = client.post("/v1/compare", files=_uploads())
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert body["files"] == {
        "report": "hoang-van-quy.txt",
        "collective": "tap-the.txt",
        "previous": "hoang-van-quy-2024.txt",
    }
    cross = _cross(body["result"])
    assert sorted((f["rule"], f["evidence"]["verdict"]) for f in cross) == EXPECTED
    # offsets into the other report's text as the analysis returns it
    texts = {
        "tap-the.txt": nlp.analyze(_text(COLLECTIVE)).text,
        "hoang-van-quy-2024.txt": nlp.analyze(_text(PREVIOUS)).text,
    }
    for finding in cross:
        evidence = finding["evidence"]
        assert texts[evidence["file"]][evidence["start"] : evidence["end"]] == evidence["quote"]
    by_role = {"tap-the.txt": "collective", "hoang-van-quy-2024.txt": "previous"}
    cli_roles = {str(COLLECTIVE): "collective", str(PREVIOUS): "previous"}
    assert sorted(_key(f, by_role) for f in cross) == sorted(_key(f, cli_roles) for f in _cross(cli_result))
    # the rest of the result too: the same scores, accountability and findings as the CLI's
    strip = ("findings", "config")
    assert {k: v for k, v in body["result"].items() if k not in strip} == {
        k: v for k, v in cli_result.items() if k not in strip
    }
    assert body["linkage"]["unlinked"] == []
    assert [p["previous"] for p in body["linkage"]["persons"]] == ["hoang-van-quy-2024.txt"]
    assert {r["verdict"] for r in body["collective_rows"]} >= {"diffused"}
    assert "repeated" in {r["verdict"] for r in body["previous_rows"]}
    # the logs hold neither the reports' text nor the files' names
    assert "POST /v1/compare 200" in caplog.text
    for secret in ("tap-the.txt", "hoang-van-quy", *(f["evidence"]["quote"][:30] for f in cross)):
        assert secret not in caplog.text


def test_pasted_texts_are_named_by_their_role_and_answer_in_english(client, cli_result):
    payload = {"text": _text(REPORT), "collective": _text(COLLECTIVE), "previous": _text(PREVIOUS)}
    answer = client.post("/v1/compare?lang=en", json=payload)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["files"] == {"report": "report", "collective": "collective", "previous": "previous"}
    cross = _cross(body["result"])
    roles = {"collective": "collective", "previous": "previous"}
    cli_roles = {str(COLLECTIVE): "collective", str(PREVIOUS): "previous"}
    assert sorted(_key(f, roles) for f in cross) == sorted(_key(f, cli_roles) for f in _cross(cli_result))
    assert body["result"]["lang"] == "en"
    vietnamese = {f["message"] for f in _cross(cli_result)}
    assert not vietnamese & {f["message"] for f in cross}


def test_one_other_report_is_enough_and_a_file_may_be_text_in_a_form(client):
    form = {"text": (None, _text(REPORT)), "previous": (None, _text(PREVIOUS))}  # parts without a file name
    answer = client.post("/v1/compare", files=form)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body["files"]) == {"report", "previous"}
    assert [(f["rule"], f["evidence"]["file"]) for f in _cross(body["result"])] == [
        ("cross.repeated_from_last_year", "previous")
    ]
    assert body["collective_rows"] == []


def test_a_collective_report_alone_leaves_no_unit_unlinked_and_a_wrong_one_gets_a_note(client):
    fine = client.post("/v1/compare", json={"text": _text(REPORT), "collective": _text(COLLECTIVE)}).json()
    assert fine["notes"] == [] and fine["linkage"]["unlinked"] == []
    swapped = client.post("/v1/compare", json={"text": _text(REPORT), "collective": _text(PREVIOUS)})
    assert swapped.status_code == 200
    assert any("Mẫu 01" in note for note in swapped.json()["notes"])


def test_without_a_second_file_it_is_refused(client):
    for kwargs in (
        {"json": {"text": _text(REPORT)}},
        {"files": {"file": ("bc.txt", REPORT.read_bytes())}},
        {"json": {"text": _text(REPORT), "collective": None}},
    ):
        refused = client.post("/v1/compare", **kwargs)
        assert refused.status_code == 422, kwargs
        assert refused.json()["error"]["code"] == "KD-A013"


def test_the_same_file_twice_is_refused(client):
    refused = client.post("/v1/compare", json={"text": _text(REPORT), "previous": _text(REPORT)})
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "KD-A014"
    assert refused.json()["error"]["detail"] == "previous = report"


def test_a_bad_upload_is_refused_with_its_part_named(client):
    uploads = _uploads()
    uploads["collective"] = ("tap-the.docx", PNG)
    refused = client.post("/v1/compare", files=uploads)
    assert refused.status_code == 415
    error = refused.json()["error"]
    assert (error["code"], error["part"]) == ("KD-E010", "collective")
    analyze = client.post("/v1/analyze", files={"file": ("tap-the.docx", PNG)}).json()["error"]
    assert {k: v for k, v in error.items() if k != "part"} == analyze  # the refusal /v1/analyze gives
    empty = client.post("/v1/compare", json={"text": "   ", "previous": _text(PREVIOUS)})
    assert empty.json()["error"]["part"] == "report"
    missing = client.post("/v1/compare", files={"previous": (None, _text(PREVIOUS))})
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "KD-A004"


def test_each_file_has_the_file_limit_and_the_request_three_times_the_request_limit(client):
    # small_settings: 64 KiB requests, 48 KiB files; one file of 50 KiB in a request of about 60 KiB
    uploads = _uploads()
    uploads["previous"] = ("cu.txt", b"a" * (50 * 1024))
    refused = client.post("/v1/compare", files=uploads)
    assert refused.status_code == 413
    assert (refused.json()["error"]["code"], refused.json()["error"]["part"]) == ("KD-E003", "previous")
    # a request over 64 KiB is not refused for its size here (up to 3 × 64 KiB), but is at /v1/analyze
    big = {"text": _text(REPORT), "collective": "x" * 40_000, "previous": "y" * 40_000}
    too_long = client.post("/v1/compare", json=big).json()["error"]
    assert (too_long["code"], too_long["part"]) == ("KD-E003", "collective")
    assert client.post("/v1/analyze", json={"text": "x" * 80_000}).json()["error"]["code"] == "KD-A001"
    huge = {"text": "x" * (200 * 1024), "collective": "y"}
    assert client.post("/v1/compare", json=huge).json()["error"]["code"] == "KD-A001"


def test_names_of_the_parts_are_distinct():
    assert part_names("a/bao-cao.docx", {"collective": "b/bao-cao.docx", "previous": "c\\bao-cao.docx"}) == (
        "bao-cao.docx",
        {"collective": "collective", "previous": "previous"},
    )
    assert part_names(None, {"collective": "report", "previous": None}) == (
        "report",
        {"collective": "collective", "previous": "previous"},
    )
    assert part_names("previous", {"collective": "previous-2", "previous": "collective"})[1] == {
        "collective": "previous-2",
        "previous": "collective",
    }


def test_in_the_pool_it_is_one_job_under_the_time_limit(make_client):
    pooled = make_client(analysis_workers=1, analysis_timeout_s=1.0, perform=perform_slowly, warmup=False)
    cut = pooled.post("/v1/compare", json={"text": SLOW + " " + _text(REPORT), "previous": _text(PREVIOUS)})
    assert cut.status_code == 504
    assert cut.json()["error"]["code"] == "KD-A011"
    roomy = make_client(analysis_workers=1, analysis_timeout_s=60.0, warmup=False)
    threaded = make_client()
    payload = {"text": _text(REPORT), "collective": _text(COLLECTIVE), "previous": _text(PREVIOUS)}
    answer = roomy.post("/v1/compare", json=payload)
    assert answer.status_code == 200
    assert answer.json() == threaded.post("/v1/compare", json=payload).json()
    refused = roomy.post("/v1/compare", json={"text": _text(REPORT), "collective": " "})
    assert refused.json()["error"]["part"] == "collective"


def test_compare_is_in_the_openapi_document(client):
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/v1/compare"]["post"]
    body = operation["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    assert {"file", "text", "collective", "previous", "lang"} <= set(
        body["multipart/form-data"]["schema"]["properties"]
    )
    assert "KD-A013" in operation["description"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CompareAnswer"
    }
