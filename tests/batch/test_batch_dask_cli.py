"""The same batch on Dask distributed (a LocalCluster), and the ``kiemdiem batch`` command's exit codes."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from nlp.batch import BatchOptions, run_batch
from nlp.batch.config import t
from nlp.batch.outputs import TABLE_CSV
from nlp.cli import app


def _table(out) -> list[list[str]]:
    return list(csv.reader((out / TABLE_CSV).read_text(encoding="utf-8-sig").splitlines()))


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as local,
        distributed.Client(local) as client,
    ):
        yield local, client


def test_dask_gives_the_same_table_as_the_process_pool(small_tree, tmp_path, cluster) -> None:
    tree, manifest = small_tree
    _local, client = cluster
    on_dask = run_batch([tree], tmp_path / "dask", BatchOptions(engine="dask", scheduler=client))
    on_pool = run_batch([tree], tmp_path / "pool", BatchOptions(jobs=2))
    assert on_dask.results == on_pool.results == len(manifest.files)
    assert _table(tmp_path / "dask") == _table(tmp_path / "pool")
    assert on_dask.groups == on_pool.groups == len(manifest.copies)
    # workers return the per-report files and the driver writes them
    assert len(list((tmp_path / "dask" / "bao-cao").glob("*.html"))) == on_dask.analysed


def test_dask_by_scheduler_address_and_resume(small_tree, tmp_path, cluster) -> None:
    tree, _ = small_tree
    local, _ = cluster
    out = tmp_path / "out"
    first = run_batch([tree], out, BatchOptions(engine="dask", scheduler=local.scheduler_address))
    again = run_batch([tree], out, BatchOptions(engine="dask", scheduler=local.scheduler_address, resume=True))
    assert first.analysed > 0 and again.analysed == 0 and again.results == first.results


# ---------------------------------------------------------------------------------------------- CLI


def test_cli_batch_runs_and_exits_0_even_with_unreadable_files(small_tree, tmp_path) -> None:
    tree, manifest = small_tree
    (tree / "hong.docx").write_bytes(b"PK\x03\x04 broken")
    result = CliRunner().invoke(app, ["batch", str(tree), "-o", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "1 tệp lỗi" in result.output
    assert len(_table(tmp_path / "out")) == len(manifest.files) + 1
    # report text is never printed
    assert "Họ và tên" not in result.output


def test_cli_exit_codes(small_tree, tmp_path) -> None:
    tree, _ = small_tree
    runner = CliRunner()
    out = tmp_path / "out"
    assert runner.invoke(app, ["batch", str(tmp_path / "khong-co"), "-o", str(out)]).exit_code == 2
    both = runner.invoke(app, ["batch", str(tree), "-o", str(out), "--resume", "--fresh"])
    assert both.exit_code == 2
    assert runner.invoke(app, ["batch", str(tree), "-o", str(out), "--scheduler", "tcp://x:1"]).exit_code == 2
    taken = tmp_path / "khac"
    taken.mkdir()
    (taken / "tai-lieu.docx").write_bytes(b"x")
    refused = runner.invoke(app, ["batch", str(tree), "-o", str(taken)])
    assert refused.exit_code == 3 and t("cli.not_empty") in refused.output
    assert runner.invoke(app, ["batch", str(tree), "-o", str(out), "-j", "1", "-q"]).exit_code == 0
    again = runner.invoke(app, ["batch", str(tree), "-o", str(out), "-q"])
    assert again.exit_code == 3 and "--resume" in again.output
    resumed = runner.invoke(app, ["batch", str(tree), "-o", str(out), "-j", "1", "--resume"])
    assert resumed.exit_code == 0 and "(0 tệp phân tích mới" in resumed.output
    english = runner.invoke(app, ["batch", str(tree), "-o", str(out), "-j", "1", "--fresh", "--lang", "en", "-q"])
    assert english.exit_code == 0 and "newly analysed" in english.output
    assert _table(out)[0][0] == "Rank"
