"""The SQLite store: round trip, replacement, filters, several writers, refusals, and nothing at all when off."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from nlp.errors import FeedbackStoreError
from nlp.feedback.model import report_hash
from nlp.feedback.store import STORE_VERSION, FeedbackStore, dismissed_for, open_store, record

SENTENCE = "Đôi lúc tôi còn nể nang trong phê bình."


def test_round_trip_keeps_every_field(tmp_path, make_decision):
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    kept = [
        make_decision(SENTENCE, "evasive.hedge", "dismiss", at=10, note="Đã nêu rõ số lần."),
        make_decision("Việc chậm là do khách quan.", "evasive.objective_cause", "confirm", at=60, section="causes"),
        make_decision("Còn hạn chế.", "generic.stock_self_criticism", "confirm", report="b", section=None),
    ]
    for decision in kept:
        assert store.add(decision)
    assert sorted(store.decisions(), key=lambda d: d.key) == sorted(kept, key=lambda d: d.key)
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600


def test_a_later_decision_on_the_same_finding_replaces_the_earlier(tmp_path, make_decision):
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    store.add(make_decision(SENTENCE, "evasive.hedge", "confirm", minutes=0))
    assert store.add(make_decision(SENTENCE, "evasive.hedge", "dismiss", minutes=5, note="Nghĩ lại: không né tránh."))
    (only,) = store.decisions()
    assert (only.decision, only.note) == ("dismiss", "Nghĩ lại: không né tránh.")
    assert not store.add(make_decision(SENTENCE, "evasive.hedge", "confirm", minutes=1)), "an older decision"
    assert store.decisions()[0].decision == "dismiss"
    store.add(make_decision(SENTENCE, "generic.stock_self_criticism", "confirm", minutes=2))
    assert len(store.decisions()) == 2, "another rule on the same sentence is another finding"


def test_filters_dismissals_and_stats(tmp_path, make_decision):
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    store.add(make_decision(SENTENCE, "evasive.hedge", "dismiss", report="a"))
    store.add(make_decision(SENTENCE, "generic.stock_self_criticism", "confirm", report="a", minutes=3))
    store.add(make_decision(SENTENCE, "evasive.hedge", "confirm", report="b", minutes=7))
    assert [d.rule for d in store.decisions(report_hash=report_hash("a"))] == [
        "evasive.hedge",
        "generic.stock_self_criticism",
    ]
    assert [d.report_hash for d in store.decisions(rule="evasive.hedge", decision="confirm")] == [report_hash("b")]
    assert [d.key for d in store.dismissed_for(report_hash("a"))] == [
        (report_hash("a"), "evasive.hedge", 0, 39, None, None)
    ]
    assert store.dismissed_for(report_hash("b")) == []
    stats = store.stats()
    assert (stats.decisions, stats.confirmed, stats.dismissed, stats.reports, stats.rules) == (3, 2, 1, 2, 2)
    assert (stats.last - stats.first).total_seconds() == 7 * 60
    assert stats.store_version == STORE_VERSION
    assert store.remove(report_hash("a")) == 2
    assert [d.report_hash for d in store.decisions()] == [report_hash("b")]
    assert store.remove(report_hash("a")) == 0


def test_the_schema_version_table_is_written_on_first_write(tmp_path, make_decision):
    import sqlite3

    path = tmp_path / "feedback.sqlite"
    record(path, make_decision(SENTENCE, "evasive.hedge", "confirm"))
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version FROM schema_version").fetchall() == [(STORE_VERSION,)]
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


WRITER = textwrap.dedent(
    """
    import sys, time
    from datetime import UTC, datetime
    from pathlib import Path
    from nlp.feedback.model import FeedbackDecision, report_hash
    from nlp.feedback.store import FeedbackStore

    path, name, count, ready, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5])
    store = FeedbackStore(path)
    ready.write_text("ready")
    while not go.exists():
        time.sleep(0.01)
    for number in range(count):
        sentence = f"Câu {number} của {name}."
        store.add(FeedbackDecision(
            report_hash=report_hash(name), rule="generic.no_anchor", category="generic", start=number,
            end=number + len(sentence), sentence=sentence, sentence_start=number,
            sentence_end=number + len(sentence), decision="confirm" if number % 2 else "dismiss",
            model="linear-v1", version="0.1.0", created_at=datetime.now(UTC),
        ))
    """
)


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path, go, count = tmp_path / "feedback.sqlite", tmp_path / "go", 120
    writers = []
    for name in ("first", "second"):
        ready = tmp_path / f"{name}.ready"
        command = [sys.executable, "-c", WRITER, str(path), name, str(count), str(ready), str(go)]
        writers.append((subprocess.Popen(command, stderr=subprocess.PIPE, text=True), ready))
    deadline = time.monotonic() + 120
    while not all(ready.exists() for _, ready in writers) and time.monotonic() < deadline:
        time.sleep(0.05)
    go.write_text("go")
    for process, _ in writers:
        _, errors = process.communicate(timeout=180)
        assert process.returncode == 0, errors
    store = FeedbackStore(path)
    assert store.stats().decisions == 2 * count
    for name in ("first", "second"):
        assert len(store.decisions(report_hash=report_hash(name))) == count


def test_a_file_that_is_not_a_store_is_refused(tmp_path, make_decision):
    garbage = tmp_path / "notes.sqlite"
    garbage.write_bytes(b"not a database at all, just some bytes " * 40)
    with pytest.raises(FeedbackStoreError) as caught:
        FeedbackStore(garbage).add(make_decision(SENTENCE, "evasive.hedge", "confirm"))
    assert caught.value.code == "KD-E014"
    import sqlite3

    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE people (name TEXT)")
    with pytest.raises(FeedbackStoreError, match="not a kiemdiem feedback store"):
        FeedbackStore(other).decisions()


def test_a_newer_store_is_refused(tmp_path, make_decision):
    import sqlite3

    path = tmp_path / "feedback.sqlite"
    record(path, make_decision(SENTENCE, "evasive.hedge", "confirm"))
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE schema_version SET version = ?", (STORE_VERSION + 1,))
    with pytest.raises(FeedbackStoreError, match="newer"):
        FeedbackStore(path).stats()


def test_a_store_in_a_missing_folder_is_refused(tmp_path, make_decision):
    with pytest.raises(FeedbackStoreError, match="folder does not exist"):
        record(tmp_path / "nowhere" / "feedback.sqlite", make_decision(SENTENCE, "evasive.hedge", "confirm"))
    assert not (tmp_path / "nowhere").exists()


def test_reading_a_store_not_yet_written_creates_nothing(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    assert store.decisions() == [] and store.dismissed_for(report_hash("a")) == []
    assert store.stats().decisions == 0
    assert list(tmp_path.iterdir()) == []


def _files(*folders: Path) -> set[Path]:
    return {path for folder in folders for path in folder.rglob("*")}


def test_no_store_path_means_nothing_is_written_anywhere(tmp_path, monkeypatch, make_decision):
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    before = _files(home, work)
    assert open_store(None) is None and open_store("") is None
    assert record(None, make_decision(SENTENCE, "evasive.hedge", "dismiss", note="Ghi chú.")) is False
    assert dismissed_for(None, report_hash("a")) == []
    assert _files(home, work) == before == set()
