"""Decisions on cross-report findings (issue 13): named by the evidence's offsets too, so that two findings of one
rule on one sentence are judged apart; kept in store version 2 (a version-1 store is read and upgraded); the detail
that names the other report to send; and a decision taken on a comparison (page, API) shown by batch ``--resume``."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from nlp.errors import FeedbackDecisionError
from nlp.feedback import FeedbackStore, FindingRef, decision_for
from nlp.feedback.apply import apply_decisions
from nlp.feedback.cross import cross_parts, missing_reports_detail
from nlp.feedback.model import finding_key
from nlp.feedback.store import STORE_VERSION
from nlp.schema import AnalysisResult, CrossEvidence, Finding

NOT_OWNED = "cross.collective_fault_not_owned"
TREE = Path(__file__).resolve().parents[1] / "cross" / "data" / "tree"
LEADER = "dong-lac/2025/hoang-van-quy.txt"


def _cross(result: AnalysisResult, quotes: tuple[tuple[int, int], ...]) -> AnalysisResult:
    """``result`` with one not-owned finding per evidence span, all on its second sentence."""
    sentence = result.sentences[1]
    findings = [
        Finding(
            rule=NOT_OWNED,
            category="cross_report",
            severity="high",
            start=sentence.start,
            end=sentence.end,
            message="m",
            sentence=1,
            section=sentence.section,
            evidence=CrossEvidence(
                file="tap-the.txt", start=s, end=e, quote="q" * (e - s), year=2025, verdict="absent"
            ),
        )
        for s, e in quotes
    ]
    return result.model_copy(update={"findings": [*result.findings, *findings]})


def _ref(finding: Finding, evidence: bool = True) -> FindingRef:
    extra = {"evidence_start": finding.evidence.start, "evidence_end": finding.evidence.end} if evidence else {}
    return FindingRef(rule=finding.rule, start=finding.start, end=finding.end, **extra)


def test_two_findings_on_one_sentence_are_decided_apart(result, tmp_path) -> None:
    crossed = _cross(result, ((10, 40), (55, 90)))
    first, second = crossed.findings[-2:]
    assert finding_key(first) != finding_key(second)
    assert finding_key(crossed.findings[0])[3:] == (None, None)  # a finding without evidence

    store = FeedbackStore(tmp_path / "kho.sqlite")
    store.add(decision_for(crossed, _ref(first), "dismiss"))
    store.add(decision_for(crossed, _ref(second), "confirm"))
    kept = store.decisions()
    assert sorted((d.evidence_start, d.evidence_end, d.decision) for d in kept) == [
        (10, 40, "dismiss"),
        (55, 90, "confirm"),
    ]
    reviewed = apply_decisions(crossed, kept)
    assert [f.review for f in reviewed.findings[-2:]] == ["dismissed", "confirmed"]
    assert all(f.review is None for f in reviewed.findings[:-2])
    # a later decision on the same finding replaces it; the other finding keeps its own
    store.add(decision_for(crossed, _ref(first), "confirm", at=kept[0].created_at.replace(year=2027)))
    assert sorted(d.decision for d in store.decisions()) == ["confirm", "confirm"]


def test_a_reference_without_evidence_must_name_one_finding(result) -> None:
    crossed = _cross(result, ((10, 40), (55, 90)))
    first = crossed.findings[-1]
    with pytest.raises(FeedbackDecisionError, match="evidence_start and evidence_end"):
        decision_for(crossed, _ref(first, evidence=False), "dismiss")
    single = _cross(result, ((10, 40),))
    decision = decision_for(single, _ref(single.findings[-1], evidence=False), "dismiss")
    assert (decision.evidence_start, decision.evidence_end) == (10, 40)  # taken from the one finding there
    moved = FindingRef(rule=NOT_OWNED, start=first.start, end=first.end, evidence_start=11, evidence_end=40)
    with pytest.raises(FeedbackDecisionError, match="evidence 11–40"):
        decision_for(crossed, moved, "dismiss")
    with pytest.raises(ValueError, match="go together"):
        FindingRef(rule=NOT_OWNED, start=0, end=1, evidence_start=3)


def test_a_version_1_store_is_read_and_upgraded_on_its_first_write(result, tmp_path, make_decision) -> None:
    path = tmp_path / "kho.sqlite"
    old = make_decision("Đôi lúc tôi còn nể nang trong phê bình.", "evasive.hedge", "dismiss", note="cũ")
    _version_1_store(path, old)
    store = FeedbackStore(path)
    assert store.stats().store_version == 1
    assert [(d.rule, d.note, d.evidence_start) for d in store.decisions()] == [("evasive.hedge", "cũ", None)]

    crossed = _cross(result, ((10, 40),))
    assert store.add(decision_for(crossed, _ref(crossed.findings[-1]), "dismiss"))
    assert store.stats().store_version == STORE_VERSION == 2
    assert sorted((d.rule, d.evidence_start) for d in store.decisions()) == [(NOT_OWNED, 10), ("evasive.hedge", None)]
    assert not store.add(old.model_copy(update={"created_at": old.created_at.replace(year=2020)})), "older: kept"
    with sqlite3.connect(path) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        indexes = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert tables == {"schema_version", "decisions"} and "decisions_rule" in indexes


def _version_1_store(path: Path, decision) -> None:
    """A store as kiemdiem's first feedback version wrote it (its schema, copied here), holding ``decision``."""
    with sqlite3.connect(path) as connection:
        connection.executescript(
            """CREATE TABLE schema_version (version INTEGER NOT NULL);
            INSERT INTO schema_version (version) VALUES (1);
            CREATE TABLE decisions (report_hash TEXT NOT NULL, rule TEXT NOT NULL, finding_start INTEGER NOT NULL,
                finding_end INTEGER NOT NULL, category TEXT NOT NULL, kind TEXT, sentence TEXT NOT NULL,
                sentence_start INTEGER NOT NULL, sentence_end INTEGER NOT NULL, section TEXT,
                decision TEXT NOT NULL CHECK (decision IN ('confirm', 'dismiss')), note TEXT, model TEXT NOT NULL,
                version TEXT NOT NULL, config_hash TEXT, schema_version INTEGER NOT NULL, created_at TEXT NOT NULL,
                PRIMARY KEY (report_hash, rule, finding_start, finding_end));
            CREATE INDEX decisions_rule ON decisions (rule, decision);"""
        )
        d = decision
        connection.execute(
            "INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (d.report_hash, d.rule, d.start, d.end, d.category, d.kind, d.sentence, d.sentence_start,
             d.sentence_end, d.section, d.decision, d.note, d.model, d.version, d.config_hash, 1,
             d.created_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")),
        )  # fmt: skip


def test_the_detail_names_the_report_to_send() -> None:
    assert cross_parts() == {
        "cross.collective_fault_not_owned": "collective",
        "cross.contradicts_collective": "collective",
        "cross.previous_fault_unreported": "previous",
        "cross.repeated_from_last_year": "previous",
    }
    detail = missing_reports_detail("cross.contradicts_collective", {"previous"})
    assert detail is not None
    vi, en = detail.split(" / ")
    assert "báo cáo kiểm điểm tập thể" in vi and "«collective»" in vi
    assert "collective report" in en and "“collective”" in en
    assert "năm trước" in missing_reports_detail("cross.repeated_from_last_year")
    assert missing_reports_detail("cross.repeated_from_last_year", {"previous"}) is None
    assert missing_reports_detail("evasive.hedge") is None


def test_a_decision_taken_on_a_comparison_shows_in_batch_after_resume(tmp_path) -> None:
    """The page and the API decide on the comparison's result; batch finds the same finding (same report, same
    collective report, hence the same offsets) and shows the decision when it runs again with --resume."""
    from nlp.batch import BatchOptions, run_batch
    from nlp.batch.outputs import RESULTS_JSONL
    from nlp.batch.worker import report_files
    from nlp.config import read_config
    from service.compare import CompareAnswer, perform_compare
    from service.worker import Job, Other

    tree = tmp_path / "tree"
    shutil.copytree(TREE, tree)
    config_path = tmp_path / ".kiemdiem.yaml"
    config_path.write_text("feedback: kho.sqlite\n", encoding="utf-8")
    config = read_config(config_path)
    out = tmp_path / "out"
    options = {"jobs": 1, "cross": True, "config": config}
    run_batch([tree], out, BatchOptions(**options))

    unit = tree / "dong-lac" / "2025"
    collective = Other(role="collective", name="collective", text=(unit / "tap-the.txt").read_text(encoding="utf-8"))
    job = Job(text=(unit / "hoang-van-quy.txt").read_text(encoding="utf-8"), others=(collective,), reviews=False)
    compared = CompareAnswer.model_validate_json(perform_compare(job).body).result
    chosen = next(f for f in compared.findings if f.rule == NOT_OWNED)
    FeedbackStore(tmp_path / "kho.sqlite").add(decision_for(compared, _ref(chosen), "dismiss"))

    again = run_batch([tree], out, BatchOptions(resume=True, **options))
    assert again.analysed == 0 and again.reviewed == 1 and again.dismissed == 1
    lines = [json.loads(line) for line in (out / RESULTS_JSONL).read_text(encoding="utf-8").splitlines()]
    sha256 = next(line["sha256"] for line in lines if line["path"] == LEADER)
    batch_result = AnalysisResult.model_validate_json((out / report_files(sha256)[0]).read_bytes())
    assert batch_result.text == compared.text
    reviews = {finding_key(f): f.review for f in batch_result.findings if f.category == "cross_report"}
    assert reviews[finding_key(chosen)] == "dismissed"
    assert sum(review == "dismissed" for review in reviews.values()) == 1 and len(reviews) > 1
