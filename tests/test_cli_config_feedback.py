"""The command line with an organisation's configuration and reviewers' feedback: analyze --config, kiemdiem
config, kiemdiem feedback export, evaluate --feedback, train --feedback."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlp import analyze
from nlp.cli import app
from nlp.feedback.model import decision_for
from nlp.feedback.store import FeedbackStore

ROOT = Path(__file__).resolve().parent.parent
WEAK = ROOT / "examples" / "02a-ngan-hang-yeu.txt"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """A working folder with no configuration above it and no KIEMDIEM_CONFIG."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KIEMDIEM_CONFIG", raising=False)
    monkeypatch.setattr("nlp.config.find_config_file", lambda start=None: _nearest(tmp_path))
    return tmp_path


def _nearest(root: Path) -> Path | None:
    path = Path.cwd() / ".kiemdiem.yaml"
    return path.resolve() if path.is_file() and root in path.resolve().parents else None


def _json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_analyze_with_config_option_and_found_file(isolated):
    base = _json(run("analyze", str(WEAK), "--format", "json"))
    rule = next(f["rule"] for f in base["findings"] if f["category"] == "evasive")
    (isolated / "tat.yaml").write_text(f"disable: [{rule}]\n", encoding="utf-8")
    named = _json(run("analyze", str(WEAK), "--format", "json", "--config", str(isolated / "tat.yaml")))
    assert rule not in {f["rule"] for f in named["findings"]}
    assert named["config"]["file"].endswith("tat.yaml") and named["config"]["hash"]
    assert base["config"] == {"hash": None, "file": None}
    (isolated / ".kiemdiem.yaml").write_text("disable: [generic]\n", encoding="utf-8")
    found = _json(run("analyze", str(WEAK), "--format", "json"))
    assert not [f for f in found["findings"] if f["category"] == "generic"]
    assert found["scores"]["specificity"] > base["scores"]["specificity"]


def test_invalid_config_stops_before_analysing(isolated):
    (isolated / "sai.yaml").write_text("disable: [khong.co]\nmau: 1\n", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(WEAK), "--format", "json", "--config", str(isolated / "sai.yaml")])
    assert result.exit_code == 21
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "KD-E012" and "mau: unknown key" in error["detail"] and "«khong.co»" in error["detail"]
    assert "findings" not in result.stdout


def test_config_command_shows_values_and_sources(isolated):
    path = isolated / ".kiemdiem.yaml"
    path.write_text("severity: {evasive.hedge: high}\nbands: {strong: 85}\n", encoding="utf-8")
    shown = _json(run("config", "--json"))
    rows = {row["key"]: row for row in shown["settings"]}
    assert shown["file"] == str(path.resolve()) and shown["found_by"] == "search"
    assert rows["severity.evasive.hedge"]["value"] == "high" and rows["severity.evasive.hedge"]["source"] == str(
        path.resolve()
    )
    assert rows["bands.adequate"]["source"] == "default" and rows["bands.strong"]["value"] == 85
    assert isinstance(rows["thresholds.generic"]["value"], float)  # the default model's own threshold
    assert rows["thresholds.generic"]["source"].startswith("default (")
    text = run("config").stdout
    assert "evasive.hedge" in text and str(path.resolve()) in text
    rules = {row["rule"]: row for row in _json(run("config", "--rules", "--json"))}
    assert rules["evasive.hedge"]["severity"] == "high" and rules["evasive.hedge"]["shipped_severity"] != "high"
    assert run("config", "--config", str(isolated / "khong-co.yaml")).exit_code == 21


@pytest.fixture
def store(tmp_path):
    """A store with two dismissals and one confirmation of the weak example's findings."""
    result = analyze(WEAK.read_text(encoding="utf-8"))
    store = FeedbackStore(tmp_path / "fb.sqlite")
    evasive = [i for i, f in enumerate(result.findings) if f.category == "evasive" and f.sentence is not None]
    generic = [i for i, f in enumerate(result.findings) if f.category == "generic" and f.sentence is not None]
    store.add(decision_for(result, evasive[0], "dismiss", note="đây là lời nói thật"))
    store.add(decision_for(result, generic[0], "dismiss"))
    store.add(decision_for(result, generic[1], "confirm"))
    return store.path, result


def test_feedback_export_every_format(store, tmp_path):
    path, _ = store
    sys.path.insert(0, str(ROOT / "corpus" / "scripts"))
    import convert

    tasks = tmp_path / "tasks.json"
    assert run("feedback", "export", "--format", "label-studio", "--store", str(path), "-o", str(tasks)).exit_code == 0
    assert tasks.with_suffix(".config.xml").read_text(encoding="utf-8").startswith("<View")
    records = [
        json.loads(line)
        for line in run("feedback", "export", "--format", "corpus", "--store", str(path)).stdout.splitlines()
    ]
    assert len(convert.from_labelstudio(json.loads(tasks.read_text(encoding="utf-8")), records)) == len(records) == 1
    doccano = run("feedback", "export", "--format", "doccano", "--store", str(path))
    assert doccano.exit_code == 0 and all(json.loads(line)["text"] for line in doccano.stdout.splitlines())
    units = run("feedback", "export", "--format", "corpus", "--store", str(path))
    record = json.loads(units.stdout.splitlines()[0])
    assert record["provenance"]["source"] == "feedback"
    assert run("feedback", "export", "--store", str(tmp_path / "khong-co.sqlite")).exit_code == 2


def test_feedback_export_without_a_store_is_a_usage_error(isolated):
    result = runner.invoke(app, ["feedback", "export"])
    assert result.exit_code == 2 and not list(isolated.iterdir())


def test_evaluate_feedback_precision(store):
    path, _ = store
    shown = _json(run("evaluate", "--feedback", str(path), "--json"))
    assert shown["decisions"] == 3 and shown["reports"] == 1
    labels = {row["key"]: row for row in shown["labels"]}
    assert (labels["evasive"]["confirmed"], labels["evasive"]["dismissed"]) == (0, 1)
    assert labels["evasive"]["precision"] == 0.0
    rules = shown["rules"]
    assert sum(r["confirmed"] for r in rules) == 1 and sum(r["dismissed"] for r in rules) == 2
    assert rules[0]["dismissed"] >= rules[-1]["dismissed"]  # most dismissed first
    table = run("evaluate", "--feedback", str(path)).stdout
    assert "generic" in table and "evasive" in table


def test_train_with_feedback_adds_reviewed_reports(store, tmp_path):
    path, _ = store
    splits = tmp_path / "splits.json"
    splits.write_text(json.dumps({"train": ["b2-033", "b2-014"], "dev": ["b3-021"], "test": ["b2-039"]}))
    out = tmp_path / "model"
    args = ["train", "--variant", "linear", "--splits", str(splits), "--out-dir", str(out), "--name", "tiny"]
    result = run(*args, "--feedback", str(path))
    assert result.exit_code == 0, result.stdout
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["feedback_reports"] == 1 and metrics["train"]["reports"] == 2
    assert runner.invoke(app, [*args, "--feedback", str(tmp_path / "none.sqlite")]).exit_code == 2
    assert runner.invoke(app, ["train", "--variant", "sections", "--feedback", str(path)]).exit_code == 2


def test_serve_config_option_names_the_servers_file(tmp_path):
    """``kiemdiem serve --config`` is KIEMDIEM_CONFIG for every uvicorn worker: an invalid file stops the start."""
    import os
    import socket
    import subprocess

    path = tmp_path / "may-chu.yaml"
    path.write_text("disable: [khong.co]\n", encoding="utf-8")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIEMDIEM_")}
    done = subprocess.run(
        [sys.executable, "-m", "nlp.cli", "serve", "--port", str(port), "--config", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 21 and "«khong.co»" in done.stderr
