"""The per-file time limit of a batch (issue 12): a file over the limit is cut by killing the process that
analyses it, becomes a "timeout" row, and the batch goes on; ``--resume`` tries it again.

The hanging file comes from ``batch_slow.analyse_or_hang`` (a test-only task function that replaces
``worker.analyse``): it records its process id and sleeps, deaf to SIGTERM, for far longer than the limit.
If the limit did not cut it, it would come back as a normal result after ``HANG_S`` seconds and the row
assertions would fail; the recorded process must be gone when the batch ends.
"""

from __future__ import annotations

import csv
import sqlite3
import sys
from pathlib import Path

import pytest
from batch_slow import alive, analyse_or_hang, hanging_file
from typer.testing import CliRunner

from nlp.batch import BatchOptions, run_batch, worker
from nlp.batch.config import t
from nlp.batch.engines import PoolEngine, SerialEngine, make_engine
from nlp.batch.outputs import ERRORS_CSV, TABLE_CSV
from nlp.batch.store import STORE_NAME
from nlp.cli import app

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes and signals")

LIMIT = 2


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))


def _plant(tree: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A hanging file in the tree (and a twin with the same content); returns it and its pid file."""
    pid_file = tmp_path / "pid"
    hanging = tree / "treo.txt"
    hanging.write_bytes(hanging_file(pid_file))
    (tree / "treo-ban-sao.txt").write_bytes(hanging_file(pid_file))
    return hanging, pid_file


def _check_cut(out: Path, results: int, pid_file: Path) -> None:
    errors = {row[t("columns.path")]: row for row in _rows(out / ERRORS_CSV)}
    for name in ("treo.txt", "treo-ban-sao.txt"):
        row = errors[name]
        assert row[t("columns.code")] == "timeout"
        assert row[t("columns.detail")] == str(LIMIT)
        assert row[t("columns.reason")] == t("reasons.timeout", detail=str(LIMIT))
        assert f"{LIMIT} giây" in row[t("columns.reason")]
    assert len(errors) == 2
    assert len(_rows(out / TABLE_CSV)) == results  # every other file has its row
    assert not alive(int(pid_file.read_text(encoding="utf-8")))  # killed, not abandoned


def _error_codes(out: Path) -> list[tuple[str, str]]:
    return sorted((row[t("columns.code")], row[t("columns.detail")]) for row in _rows(out / ERRORS_CSV))


def _stored_codes(out: Path) -> list[str]:
    with sqlite3.connect(out / STORE_NAME) as db:
        return [row for (row,) in db.execute("SELECT row FROM analyses WHERE ok = 0")]


def test_local_engine_cuts_the_file_and_goes_on_then_resume_retries_it(small_tree, tmp_path, monkeypatch) -> None:
    tree, manifest = small_tree
    _hanging, pid_file = _plant(tree, tmp_path)
    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        patch.setattr(worker, "analyse", analyse_or_hang)
        report = run_batch([tree], out, BatchOptions(jobs=2, timeout_s=LIMIT))
    assert report.results == len(manifest.files), _error_codes(out)
    assert report.errors == 2
    _check_cut(out, len(manifest.files), pid_file)
    assert _stored_codes(out) == []  # a timeout is not stored as done

    # --resume: the timed-out content is analysed again (once for both files), the rest is reused
    again = run_batch([tree], out, BatchOptions(jobs=2, timeout_s=LIMIT, resume=True))
    assert again.analysed == 1
    assert again.reused == report.results  # every other file comes from the store
    assert "timeout" not in (out / ERRORS_CSV).read_text(encoding="utf-8-sig")


def test_one_job_with_a_limit_still_runs_in_a_worker_process(small_tree, tmp_path, monkeypatch) -> None:
    tree, manifest = small_tree
    _hanging, pid_file = _plant(tree, tmp_path)
    monkeypatch.setattr(worker, "analyse", analyse_or_hang)
    report = run_batch([tree], tmp_path / "out", BatchOptions(jobs=1, timeout_s=LIMIT))
    assert report.results == len(manifest.files), _error_codes(tmp_path / "out")
    _check_cut(tmp_path / "out", len(manifest.files), pid_file)


def test_dask_engine_cuts_the_file_and_goes_on(small_tree, tmp_path, monkeypatch) -> None:
    distributed = pytest.importorskip("distributed")
    tree, manifest = small_tree
    _hanging, pid_file = _plant(tree, tmp_path)
    monkeypatch.setattr(worker, "analyse", analyse_or_hang)
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as local,
        distributed.Client(local) as client,
    ):
        report = run_batch([tree], tmp_path / "out", BatchOptions(engine="dask", scheduler=client, timeout_s=LIMIT))
    assert report.results == len(manifest.files), _error_codes(tmp_path / "out")
    _check_cut(tmp_path / "out", len(manifest.files), pid_file)


def test_dask_engine_on_its_own_cluster_cuts_the_file(small_tree, tmp_path, monkeypatch) -> None:
    """``--engine dask`` without a scheduler: Nanny workers are daemonic processes, the children still start."""
    pytest.importorskip("distributed")
    tree, manifest = small_tree
    _hanging, pid_file = _plant(tree, tmp_path)
    monkeypatch.setattr(worker, "analyse", analyse_or_hang)
    report = run_batch([tree], tmp_path / "out", BatchOptions(engine="dask", jobs=1, timeout_s=LIMIT))
    assert report.results == len(manifest.files), _error_codes(tmp_path / "out")
    _check_cut(tmp_path / "out", len(manifest.files), pid_file)


def test_engine_choice_follows_the_limit() -> None:
    unlimited = make_engine("local", 1, None, timeout_s=None)
    assert isinstance(unlimited, SerialEngine)
    limited = make_engine("local", 1, None, timeout_s=5)
    try:
        assert isinstance(limited, PoolEngine)
    finally:
        limited.close()


def test_cli_option(small_tree, tmp_path) -> None:
    tree, _ = small_tree
    runner = CliRunner()
    refused = runner.invoke(app, ["batch", str(tree), "-o", str(tmp_path / "a"), "--timeout-per-file", "-1"])
    assert refused.exit_code == 2
    off = runner.invoke(app, ["batch", str(tree), "-o", str(tmp_path / "b"), "-j", "1", "--timeout-per-file", "0"])
    assert off.exit_code == 0, off.output
    assert "--timeout-per-file" in runner.invoke(app, ["batch", "--help"]).output
