"""Batch with an organisation's configuration (``--config``, ``.kiemdiem.yaml``): every output follows it, every row
records it, an invalid one stops the batch before anything is read or written, and ``--resume`` with another one
analyses the files again instead of mixing results."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from batch_corpus import build_tree
from openpyxl import load_workbook
from typer.testing import CliRunner

from nlp.batch import BatchOptions, run_batch
from nlp.batch.config import t
from nlp.batch.outputs import RESULTS_JSONL, SUMMARY_HTML, TABLE_CSV, WORKBOOK
from nlp.cli import app
from nlp.config import Configuration, load_config

RULE = "evasive.prompt_unanswered"  # high severity (a candor penalty), found in the generated reports
CONFIG = f"disable: [{RULE}]\n"


def _jsonl(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / RESULTS_JSONL).read_text(encoding="utf-8").splitlines()]


def _rules(out: Path) -> Counter:
    return Counter(f["rule"] for line in _jsonl(out) for f in line["result"]["findings"])


def _csv(out: Path) -> list[dict]:
    return list(csv.DictReader((out / TABLE_CSV).read_text(encoding="utf-8-sig").splitlines()))


def _sheet(out: Path, name: str = "ranked") -> list[dict]:
    values = list(load_workbook(out / WORKBOOK, read_only=True)[t(f"sheets.{name}")].values)
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def _by_path(rows: list[dict]) -> dict[str, dict]:
    return {row[t("columns.path")]: row for row in rows}


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cau-hinh") / "bao-cao"
    build_tree(root, 12, seed=5, broken=False, copy_groups=1, per_unit=6, formats=False)
    return root


@pytest.fixture(scope="module")
def config_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("huyen") / ".kiemdiem.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def runs(tree, config_file, tmp_path_factory) -> tuple[Path, Path]:
    """The same tree without a configuration (from Python, in this process) and with one (through ``kiemdiem batch
    --config``, in a pool of worker processes)."""
    base = tmp_path_factory.mktemp("ket-qua")
    plain, configured = base / "mac-dinh", base / "cau-hinh"
    run_batch([tree], plain, BatchOptions(jobs=1, timeout_s=0))
    result = CliRunner().invoke(
        app, ["batch", str(tree), "-o", str(configured), "-j", "2", "--config", str(config_file)]
    )
    assert result.exit_code == 0, result.output
    assert load_config(config_file).config_hash in result.output
    return plain, configured


def test_a_disabled_rule_leaves_every_output_and_the_scores_change(runs, config_file) -> None:
    plain, configured = runs
    assert _rules(plain)[RULE] > 0
    assert _rules(configured)[RULE] == 0
    for page in (configured / "bao-cao").glob("*.json"):  # the per-report results
        assert RULE not in {f["rule"] for f in json.loads(page.read_text(encoding="utf-8"))["findings"]}
    expected = load_config(config_file).config_hash
    assert {line["result"]["config"]["hash"] for line in _jsonl(configured)} == {expected}
    assert {line["result"]["config"]["file"] for line in _jsonl(configured)} == {str(config_file.resolve())}

    # its messages leave the main findings of the workbook and the CSV
    messages = {f["message"] for line in _jsonl(plain) for f in line["result"]["findings"] if f["rule"] == RULE}
    column = t("columns.findings")
    assert any(m in (row[column] or "") for row in _sheet(plain) for m in messages)
    for rows in (_sheet(configured), _csv(configured)):
        assert not any(m in (row[column] or "") for row in rows for m in messages)

    # scores: its candor penalty is gone
    before, after = _by_path(_csv(plain)), _by_path(_csv(configured))
    assert before.keys() == after.keys()
    candor = t("columns.candor")
    changed = [p for p in before if before[p][candor] != after[p][candor]]
    assert changed
    assert all(float(after[p][candor]) >= float(before[p][candor]) for p in before)
    assert _sheet(configured) != _sheet(plain)


def test_every_row_and_the_run_record_the_configuration(runs, config_file) -> None:
    plain, configured = runs
    expected = load_config(config_file).config_hash
    column = t("columns.config_hash")
    assert {row[column] for row in _sheet(configured)} == {expected}
    assert {row[column] for row in _csv(configured)} == {expected}
    assert {row[column] for row in _csv(plain)} == {Configuration().config_hash}
    about = dict(list(load_workbook(configured / WORKBOOK, read_only=True)[t("sheets.info")].values)[1:])
    assert about[t("info.config_hash")] == expected
    assert about[t("info.config_file")] == str(config_file.resolve())
    assert about[t("info.feedback")] == t("info.feedback_off")
    summary = (configured / SUMMARY_HTML).read_text(encoding="utf-8")
    assert expected in summary and config_file.name in summary


def test_an_invalid_configuration_stops_before_anything_is_read(tree, tmp_path, monkeypatch) -> None:
    import nlp.batch.runner as runner

    def no_walk(*_args, **_kwargs):
        raise AssertionError("the input folder was walked")

    monkeypatch.setattr(runner, "discover", no_walk)
    bad = tmp_path / "sai.yaml"
    bad.write_text("disable: [generic.khong-co]\nseverity: {generic.no_anchor: rat-cao}\n", encoding="utf-8")
    out = tmp_path / "ket-qua"
    result = CliRunner().invoke(app, ["batch", str(tree), "-o", str(out), "-j", "1", "--config", str(bad)])
    assert result.exit_code == 21, result.output
    assert "KD-E012" in result.output and "generic.khong-co" in result.output
    assert not out.exists()

    empty = tmp_path / "rong"
    empty.mkdir()
    monkeypatch.setenv("KIEMDIEM_CONFIG", str(bad))  # no --config: the environment variable is read
    result = CliRunner().invoke(app, ["batch", str(tree), "-o", str(empty), "-j", "1", "--lang", "en"])
    assert result.exit_code == 21 and "configuration file" in result.output
    assert list(empty.iterdir()) == []


def test_resume_with_another_configuration_analyses_again(tree, config_file, tmp_path) -> None:
    out = tmp_path / "ket-qua"
    options = {"jobs": 1, "timeout_s": 0}
    first = run_batch([tree], out, BatchOptions(**options))
    assert _rules(out)[RULE] > 0

    changed = run_batch([tree], out, BatchOptions(resume=True, config=load_config(config_file), **options))
    assert changed.reused < changed.results  # nothing of the first configuration is reused …
    assert changed.analysed == first.analysed  # … every distinct content is analysed again
    assert changed.previous_config_hash == Configuration().config_hash
    assert _rules(out)[RULE] == 0

    same = run_batch([tree], out, BatchOptions(resume=True, config=load_config(config_file), **options))
    assert same.analysed == 0 and same.previous_config_hash is None

    back = run_batch([tree], out, BatchOptions(resume=True, **options))  # and back: never the other one's files
    assert back.analysed == first.analysed
    assert _rules(out) == _rules_of_fresh_run(tree, tmp_path / "frais")
    assert {row[t("columns.config_hash")] for row in _csv(out)} == {Configuration().config_hash}


def _rules_of_fresh_run(tree: Path, out: Path) -> Counter:
    run_batch([tree], out, BatchOptions(jobs=1, timeout_s=0))
    return _rules(out)


def test_the_configuration_reaches_the_dask_workers(tree, config_file, tmp_path) -> None:
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as local,
        distributed.Client(local) as client,
    ):
        out = tmp_path / "dask"
        report = run_batch([tree], out, BatchOptions(engine="dask", scheduler=client, config=load_config(config_file)))
    assert report.results > 0
    assert _rules(out)[RULE] == 0
    expected = load_config(config_file).config_hash
    assert {line["result"]["config"]["hash"] for line in _jsonl(out)} == {expected}
    assert {row[t("columns.config_hash")] for row in _csv(out)} == {expected}
