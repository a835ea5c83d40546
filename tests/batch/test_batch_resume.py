"""Interrupted batches resume where they stopped; re-runs analyse only new files; one bad file never stops
a batch (a failing and a crashing worker; a hanging one: test_timeout.py)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_corpus import build_tree
from batch_crash import crash_on_marker

from nlp.batch import BatchInterrupted, BatchOptions, OutputFolderError, run_batch
from nlp.batch.engines import PoolEngine
from nlp.batch.store import STORE_NAME
from nlp.batch.worker import Task


def _unique_contents(tree: Path) -> int:
    import hashlib

    return len({hashlib.sha256(p.read_bytes()).hexdigest() for p in tree.rglob("*") if p.is_file()})


def _stored(out: Path) -> int:
    with sqlite3.connect(out / STORE_NAME) as db:
        return db.execute("SELECT COUNT(*) FROM analyses").fetchone()[0]


def test_stop_in_the_middle_then_resume_analyses_only_the_rest(small_tree, tmp_path) -> None:
    tree, manifest = small_tree
    out = tmp_path / "out"
    with pytest.raises(BatchInterrupted) as stopped:
        run_batch([tree], out, BatchOptions(jobs=2, stop_after=10))
    assert stopped.value.report.interrupted
    assert _stored(out) == 10
    assert not (out / "ket-qua.xlsx").exists()  # no partial tables

    with pytest.raises(OutputFolderError) as refused:  # neither --resume nor --fresh
        run_batch([tree], out, BatchOptions(jobs=2))
    assert refused.value.reason == "exists"

    report = run_batch([tree], out, BatchOptions(jobs=2, resume=True))
    total = _unique_contents(tree)
    assert report.analysed == total - 10
    assert report.reused >= 10
    assert report.results == len(manifest.files)
    assert (out / "ket-qua.xlsx").is_file()

    again = run_batch([tree], out, BatchOptions(jobs=2, resume=True))
    assert again.analysed == 0 and again.results == report.results


def test_new_and_changed_files_only_are_analysed(small_tree, tmp_path) -> None:
    tree, _manifest = small_tree
    out = tmp_path / "out"
    first = run_batch([tree], out, BatchOptions(jobs=1))
    files = sorted(tree.rglob("*.txt"))
    changed, removed = files[0], files[-1]
    removed.unlink()
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\nBổ sung: tôi nộp muộn 2 báo cáo quý III.\n", encoding="utf-8"
    )
    (changed.parent / "moi-nop.txt").write_text(
        changed.read_text(encoding="utf-8") + "Bản nộp lại ngày 20/12.\n", encoding="utf-8"
    )
    second = run_batch([tree], out, BatchOptions(jobs=1, resume=True))
    assert second.analysed == 2
    assert second.results == first.results  # one added, one removed
    assert second.files == first.files


def test_fresh_starts_over_and_keeps_other_files(small_tree, tmp_path) -> None:
    tree, _ = small_tree
    out = tmp_path / "out"
    first = run_batch([tree], out, BatchOptions(jobs=1))
    (out / "ghi-chu-cua-toi.txt").write_text("của người dùng", encoding="utf-8")
    again = run_batch([tree], out, BatchOptions(jobs=1, fresh=True))
    assert again.analysed == first.analysed
    assert (out / "ghi-chu-cua-toi.txt").is_file()


def test_output_folder_that_is_not_ours_is_refused(small_tree, tmp_path) -> None:
    tree, _ = small_tree
    out = tmp_path / "out"
    out.mkdir()
    (out / "bao-cao-quan-trong.docx").write_bytes(b"x")
    with pytest.raises(OutputFolderError) as refused:
        run_batch([tree], out, BatchOptions(jobs=1, fresh=True))
    assert refused.value.reason == "not_empty"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_killed_process_resumes(tmp_path) -> None:
    """SIGKILL the whole `kiemdiem batch` (driver and workers) mid-run; --resume analyses only the rest."""
    tree = tmp_path / "tree"
    build_tree(tree, 90, seed=3, broken=False, copy_groups=1, formats=False)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "nlp.cli", "batch", str(tree), "-o", str(out), "-j", "2", "-q"]
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    done = 0
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
        try:
            done = _stored(out)
        except sqlite3.Error:
            continue
        if done >= 6:
            break
    assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    before = _stored(out)
    assert 6 <= before < _unique_contents(tree)

    report = run_batch([tree], out, BatchOptions(jobs=2, resume=True))
    assert report.analysed == _unique_contents(tree) - before
    assert report.results + report.errors + report.skipped == report.files


def test_a_failing_file_becomes_an_error_row(small_tree, tmp_path, monkeypatch) -> None:
    from nlp.batch import worker

    tree, manifest = small_tree
    target = sorted(tree.rglob("*.txt"))[3]
    marker = target.read_bytes()
    original = worker._analyse

    def flaky(task: Task):
        if task.data == marker:
            raise RuntimeError("Nguyên nhân chủ quan: a message quoting report text must never be shown")
        return original(task)

    monkeypatch.setattr(worker, "_analyse", flaky)
    # no time limit and one job: the analysis runs in this process, where the patch applies
    report = run_batch([tree], tmp_path / "out", BatchOptions(jobs=1, timeout_s=0))
    assert report.errors == 1 and report.results == len(manifest.files) - 1
    errors = (tmp_path / "out" / "tep-loi.csv").read_text(encoding="utf-8-sig")
    assert "internal" in errors and "RuntimeError" in errors
    assert "Nguyên nhân chủ quan" not in errors


def test_a_crashing_worker_costs_only_its_file() -> None:
    tasks = [
        Task(sha256=f"{i:064x}", data=b"CRASH" if i == 3 else f"Tệp số {i}".encode(), name="a.txt") for i in range(8)
    ]
    engine = PoolEngine(2, function=crash_on_marker)
    try:
        for task in tasks:
            engine.submit(task)
        outcomes = [engine.next_done() for _ in tasks]
    finally:
        engine.close()
    by_sha = {o.sha256: o for o in outcomes}
    assert len(by_sha) == len(tasks)
    assert by_sha[tasks[3].sha256].row["code"] == "crash"
    assert all(o.ok for sha, o in by_sha.items() if sha != tasks[3].sha256)
