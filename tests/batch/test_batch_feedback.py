"""Reviewers' decisions in batch: a dismissal stored after a first run shows after ``--resume`` (per-report JSON and
page, workbook, CSV, JSONL), a withdrawn one goes again, and with no store configured nothing is written outside
the output folder."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest
from batch_corpus import build_tree
from openpyxl import load_workbook
from typer.testing import CliRunner

from nlp.batch import BatchOptions, run_batch
from nlp.batch.config import t
from nlp.batch.outputs import RESULTS_JSONL, SUMMARY_HTML, TABLE_CSV, WORKBOOK
from nlp.batch.worker import report_files
from nlp.cli import app
from nlp.config import load_config
from nlp.feedback import FeedbackStore, decision_for, report_hash
from nlp.schema import AnalysisResult

DISMISSED = 'class="f review-dismissed"'


def _rows(out: Path) -> dict[str, dict]:
    """The ranked sheet of the workbook, by file."""
    values = list(load_workbook(out / WORKBOOK, read_only=True)[t("sheets.ranked")].values)
    rows = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    return {row[t("columns.path")]: row for row in rows}


def _csv(out: Path) -> dict[str, dict]:
    rows = csv.DictReader((out / TABLE_CSV).read_text(encoding="utf-8-sig").splitlines())
    return {row[t("columns.path")]: row for row in rows}


def _result(out: Path, sha256: str) -> AnalysisResult:
    return AnalysisResult.model_validate_json((out / report_files(sha256)[0]).read_bytes())


def _page(out: Path, sha256: str) -> str:
    return (out / report_files(sha256)[1]).read_text(encoding="utf-8")


@pytest.fixture
def setup(tmp_path) -> tuple[Path, Path, Path]:
    """A small tree, and a configuration whose feedback store (not created yet) lies next to it."""
    tree = tmp_path / "bao-cao"
    build_tree(tree, 8, seed=3, broken=False, copy_groups=0, per_unit=4, formats=False)
    config = tmp_path / "huyen" / ".kiemdiem.yaml"
    config.parent.mkdir()
    config.write_text("feedback: phan-hoi.sqlite\n", encoding="utf-8")
    return tree, config, config.parent / "phan-hoi.sqlite"


def _target(out: Path) -> tuple[str, str, AnalysisResult, int]:
    """A report (path, sha256, result) and a content sentence labelled generic, with generic findings on it."""
    for line in (out / RESULTS_JSONL).read_text(encoding="utf-8").splitlines():
        facts = json.loads(line)
        result = _result(out, facts["sha256"])
        for finding in result.findings:
            on = finding.sentence
            if finding.category == "generic" and on is not None and "generic" in result.sentences[on].labels:
                return facts["path"], facts["sha256"], result, on
    raise AssertionError("no generic finding in the generated reports")


def test_a_dismissal_made_after_the_first_run_shows_after_resume(setup, tmp_path) -> None:
    tree, config_path, store_path = setup
    config = load_config(config_path)
    out = tmp_path / "ket-qua"
    options = {"jobs": 1, "timeout_s": 0, "config": config}
    first = run_batch([tree], out, BatchOptions(**options))
    assert first.feedback and first.reviewed == 0
    assert not store_path.exists()  # reading decisions never creates the store
    path, sha256, result, sentence = _target(out)
    before = _rows(out)[path]
    assert before[t("columns.dismissed")] == 0
    assert DISMISSED not in _page(out, sha256)

    # a reviewer dismisses every generic finding of one sentence (the page, the API or Python: the same store)
    chosen = [i for i, f in enumerate(result.findings) if f.sentence == sentence and f.category == "generic"]
    store = FeedbackStore(store_path)
    for index in chosen:
        store.add(decision_for(result, index, "dismiss", config_hash=config.config_hash))

    again = run_batch([tree], out, BatchOptions(resume=True, **options))
    assert again.analysed == 0  # nothing analysed again: the decisions are applied to the stored results
    assert again.reviewed == 1 and again.dismissed == len(chosen)
    reviewed = _result(out, sha256)
    assert [i for i, f in enumerate(reviewed.findings) if f.review == "dismissed"] == chosen
    assert reviewed.scores == result.scores  # scores and band stay the analysis's own
    assert _page(out, sha256).count(DISMISSED) >= len(chosen)
    for rows in (_rows(out), _csv(out)):
        after = rows[path]
        assert int(after[t("columns.dismissed")]) == len(chosen)
        assert int(after[t("columns.generic")]) == int(before[t("columns.generic")]) - 1
    lines = [json.loads(x) for x in (out / RESULTS_JSONL).read_text(encoding="utf-8").splitlines()]
    jsonl = next(line["result"] for line in lines if line["sha256"] == sha256)
    assert sum(f["review"] == "dismissed" for f in jsonl["findings"]) == len(chosen)
    summary = (out / SUMMARY_HTML).read_text(encoding="utf-8")
    assert t("info.feedback_on", reports=1, dismissed=len(chosen)) in summary

    # the reviewer withdraws the decisions: the next --resume shows the findings again
    assert store.remove(report_hash(result.text)) == len(chosen)
    withdrawn = run_batch([tree], out, BatchOptions(resume=True, **options))
    assert withdrawn.reviewed == 0
    assert all(f.review is None for f in _result(out, sha256).findings)
    assert DISMISSED not in _page(out, sha256)
    assert _rows(out)[path][t("columns.dismissed")] == 0
    assert _rows(out)[path][t("columns.generic")] == before[t("columns.generic")]


def test_the_cli_applies_the_store_of_the_configuration_it_finds(setup, tmp_path, monkeypatch) -> None:
    tree, config_path, store_path = setup
    out = tmp_path / "ket-qua"
    monkeypatch.chdir(config_path.parent)  # .kiemdiem.yaml found in the current folder
    monkeypatch.delenv("KIEMDIEM_CONFIG", raising=False)
    runner = CliRunner()
    assert runner.invoke(app, ["batch", str(tree), "-o", str(out), "-j", "1", "--timeout", "0", "-q"]).exit_code == 0
    _path, sha256, result, sentence = _target(out)
    index = next(i for i, f in enumerate(result.findings) if f.sentence == sentence)
    FeedbackStore(store_path).add(decision_for(result, index, "dismiss"))
    resumed = runner.invoke(app, ["batch", str(tree), "-o", str(out), "-j", "1", "--timeout", "0", "--resume"])
    assert resumed.exit_code == 0, resumed.output
    assert t("cli.reviews", reports=1, dismissed=1) in resumed.output
    assert _result(out, sha256).findings[index].review == "dismissed"


def test_an_unusable_feedback_store_stops_the_batch_before_anything_is_written(setup, tmp_path) -> None:
    tree, config_path, store_path = setup
    store_path.write_bytes(b"not an sqlite file, not a kiemdiem store" * 100)
    out = tmp_path / "ket-qua"
    result = CliRunner().invoke(app, ["batch", str(tree), "-o", str(out), "-j", "1", "--config", str(config_path)])
    assert result.exit_code == 23, result.output
    assert "KD-E014" in result.output
    assert not out.exists()


def _snapshot(folder: Path, out: Path) -> dict[str, float | None]:
    """Every file (with its modification time) and folder under ``folder``, except the output folder."""
    return {
        str(path): path.stat().st_mtime if path.is_file() else None
        for path in folder.rglob("*")
        if not path.is_relative_to(out)
    }


def test_with_no_store_nothing_is_written_outside_the_output_folder(tmp_path, monkeypatch) -> None:
    tree = tmp_path / "bao-cao"
    build_tree(tree, 6, seed=9, broken=False, copy_groups=0, per_unit=3, formats=False)
    home, work = tmp_path / "home", tmp_path / "lam-viec"
    home.mkdir()
    work.mkdir()
    (work / ".kiemdiem.yaml").write_text("disable: [evasive.harmony]\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("KIEMDIEM_CONFIG", raising=False)
    monkeypatch.chdir(work)
    out = work / "ket-qua"
    before = _snapshot(tmp_path, out)
    runner = CliRunner()
    args = ["batch", str(tree), "-o", str(out), "-j", "1", "--timeout", "0", "-q"]
    assert runner.invoke(app, args).exit_code == 0
    assert runner.invoke(app, [*args, "--resume"]).exit_code == 0
    assert _snapshot(tmp_path, out) == before  # the tree, HOME, the configuration's folder: untouched
    assert os.listdir(home) == []
    assert sorted(p.name for p in work.iterdir()) == [".kiemdiem.yaml", "ket-qua"]
    about = dict(list(load_workbook(out / WORKBOOK, read_only=True)[t("sheets.info")].values)[1:])
    assert about[t("info.feedback")] == t("info.feedback_off")
