"""The organisation's configuration (``KIEMDIEM_CONFIG``) in the service: every analysis uses it, the result and
``GET /v1/config`` say which one, and an invalid file stops the server before it serves anything."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from service_support import ROOT, WEAK_REPORT, small_settings

from nlp import AnalysisResult, analyze
from nlp.config import ConfigError, read_config
from service import Settings, create_app

DISABLE_EVASIVE = "disable:\n  - evasive\n"


def _config(folder: Path, text: str) -> Path:
    path = folder / ".kiemdiem.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _analysed(client) -> AnalysisResult:
    response = client.post("/v1/analyze", json={"text": WEAK_REPORT})
    assert response.status_code == 200, response.text
    return AnalysisResult.model_validate(response.json())


def test_a_disabled_category_removes_its_findings_and_changes_the_scores(make_client, tmp_path):
    default = _analysed(make_client())
    assert any(f.category == "evasive" for f in default.findings)
    path = _config(tmp_path, DISABLE_EVASIVE)
    configured = _analysed(make_client(config=read_config(path)))
    assert not any(f.category == "evasive" for f in configured.findings)
    assert not any("evasive" in s.labels for s in configured.sentences)
    assert configured.scores != default.scores
    assert configured.scores.candor > default.scores.candor  # fewer evasive sentences, less candor penalty
    config = read_config(path)
    assert configured.config.hash == config.config_hash
    assert configured.config.file == ".kiemdiem.yaml"  # the file's name, never the server's folders
    assert default.config.hash is None and default.config.file is None


def test_the_api_gives_the_library_result_for_the_same_configuration(make_client, tmp_path):
    path = _config(tmp_path, "disable:\n  - generic.no_anchor\nseverity:\n  evasive.hedge: high\n")
    config = read_config(path)
    served = _analysed(make_client(config=config))
    library = analyze(WEAK_REPORT, config=config)
    assert served.findings == library.findings
    assert served.scores == library.scores and served.band == library.band
    assert not any(f.rule == "generic.no_anchor" for f in served.findings)
    assert all(f.severity == "high" for f in served.findings if f.rule == "evasive.hedge")


def test_html_report_and_upload_use_the_configuration_too(make_client, tmp_path):
    client = make_client(config=read_config(_config(tmp_path, DISABLE_EVASIVE)))
    upload = client.post("/v1/analyze", files={"file": ("bao-cao.txt", WEAK_REPORT.encode("utf-8"))})
    assert upload.status_code == 200
    assert not any(f["category"] == "evasive" for f in upload.json()["findings"])
    page = client.post("/v1/analyze?format=html", json={"text": WEAK_REPORT})
    assert page.status_code == 200
    default_page = make_client().post("/v1/analyze?format=html", json={"text": WEAK_REPORT})
    assert page.text != default_page.text


def test_config_endpoint_names_the_hash_and_whether_feedback_is_kept(make_client, tmp_path):
    default = make_client().get("/v1/config")
    assert default.status_code == 200
    assert default.headers["cache-control"] == "no-store"
    body = default.json()
    assert body["config"]["file"] is None and body["config"]["default"] is True
    assert body["feedback"] == {"enabled": False}

    (tmp_path / "kho").mkdir()
    path = _config(tmp_path, DISABLE_EVASIVE + "feedback: kho/phan-hoi.sqlite\n")
    body = make_client(config=read_config(path)).get("/v1/config").json()
    assert body == {
        "config": {"hash": read_config(path).config_hash, "file": ".kiemdiem.yaml", "default": False},
        "feedback": {"enabled": True},
    }
    assert str(tmp_path) not in str(body)  # neither the configuration's folder nor the store's path


def test_settings_read_the_configuration_from_the_environment_only(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _config(tmp_path, DISABLE_EVASIVE)  # in the current folder: a server never searches for it
    assert Settings.from_env({}).config.path is None
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    path = _config(elsewhere, DISABLE_EVASIVE)
    settings = Settings.from_env({"KIEMDIEM_CONFIG": str(path)})
    assert settings.config.path == path and settings.config.category_disabled("evasive")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("disable: [generic.nope]\n", "generic.nope"),
        ("colour: red\n", "unknown key"),
        ("bands: {adequate: 90, strong: 80}\n", "adequate"),
        ("disable: [\n", "not valid YAML"),
    ],
    ids=["unknown-rule", "unknown-key", "bands-out-of-order", "bad-yaml"],
)
def test_an_invalid_configuration_stops_the_app_factory(tmp_path, monkeypatch, content, problem):
    path = _config(tmp_path, content)
    monkeypatch.setenv("KIEMDIEM_CONFIG", str(path))
    with pytest.raises(ConfigError) as raised:
        create_app()
    assert raised.value.code == "KD-E012"
    assert problem in raised.value.detail


def test_a_missing_configuration_file_or_store_folder_stops_the_app_factory(tmp_path, monkeypatch):
    monkeypatch.setenv("KIEMDIEM_CONFIG", str(tmp_path / "khong-co.yaml"))
    with pytest.raises(ConfigError, match="file not found"):
        create_app()
    path = _config(tmp_path, "feedback: khong-co-thu-muc/phan-hoi.sqlite\n")
    monkeypatch.setenv("KIEMDIEM_CONFIG", str(path))
    with pytest.raises(ConfigError) as raised:
        create_app()
    assert "feedback.store" in raised.value.detail
    assert not (tmp_path / "khong-co-thu-muc").exists()


def test_kiemdiem_serve_refuses_to_start_with_an_invalid_configuration(tmp_path):
    path = _config(tmp_path, "severity:\n  generic.nope: high\n")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIEMDIEM_")}
    env["KIEMDIEM_CONFIG"] = str(path)
    done = subprocess.run(
        [sys.executable, "-m", "nlp.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == ConfigError.exit_code == 21
    assert "KD-E012" in done.stderr and "generic.nope" in done.stderr
    assert ConfigError.message_vi in done.stderr and ConfigError.message_en in done.stderr
    assert "http://" not in done.stderr  # it never announced an address


def test_the_pool_workers_use_the_configuration(tmp_path):
    from fastapi.testclient import TestClient

    config = read_config(_config(tmp_path, DISABLE_EVASIVE))
    with TestClient(create_app(small_settings(config=config, analysis_workers=1)), raise_server_exceptions=False) as c:
        pooled = _analysed(c)
    assert not any(f.category == "evasive" for f in pooled.findings)
    assert pooled.config.hash == config.config_hash
