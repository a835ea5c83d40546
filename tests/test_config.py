"""``.kiemdiem.yaml``: found, validated (every problem reported, nothing ignored), hashed, explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.config import FILE_NAME, ConfigError, Configuration, find_config_file, load_config, read_config

DISTRICT = """\
disable: [evasive.harmony, consistency]
severity:
  generic.vague_quantity: info
lexicons:
  stock: ["hoàn thành tốt nhiệm vụ chuyên môn được giao phó"]
  hedge:
    remove: ["đôi lúc"]
thresholds: {generic: 0.55}
bands: {adequate: 45}
feedback: kho/phan-hoi.sqlite
"""


def _write(folder: Path, text: str, name: str = FILE_NAME) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_found_in_a_parent_folder(tmp_path, monkeypatch):
    path = _write(tmp_path, DISTRICT)
    nested = tmp_path / "huyen" / "xa"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    monkeypatch.delenv("KIEMDIEM_CONFIG", raising=False)
    assert find_config_file() == path.resolve()
    config = load_config()
    assert config.path == path.resolve() and config.found_by == "search"
    assert config.is_disabled("evasive.harmony", "evasive")
    assert config.is_disabled("consistency.score_sum", "consistency")
    assert not config.is_disabled("evasive.hedge", "evasive")
    assert config.severity_of("generic.vague_quantity", "low") == "info"
    assert config.severity_of("evasive.hedge", "medium") == "medium"
    assert config.feedback_store == (tmp_path / "kho" / "phan-hoi.sqlite").resolve()


def test_option_beats_environment_beats_search(tmp_path, monkeypatch):
    searched = _write(tmp_path, "disable: [consistency]\n")
    by_env = _write(tmp_path, "disable: [input]\n", "env.yaml")
    by_option = _write(tmp_path, "disable: [specificity]\n", "option.yaml")
    monkeypatch.chdir(tmp_path)
    environ = {"KIEMDIEM_CONFIG": str(by_env)}
    assert load_config(by_option, environ=environ).path == by_option.resolve()
    assert load_config(environ=environ).path == by_env.resolve()
    assert load_config(environ={}).path == searched.resolve()
    assert load_config(environ={}, search=False).path is None  # the server reads only the environment


def test_no_file_means_the_shipped_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config(environ={}, search=False)
    assert config.is_default and config.path is None and config.feedback_store is None
    assert config.describe() == {"hash": Configuration().config_hash, "file": None}


def test_lexicon_changes_apply_to_the_shipped_lists(tmp_path):
    config = read_config(_write(tmp_path, DISTRICT))
    lists = config.lexicon_lists({"stock": ["luôn gương mẫu"], "hedge": ["đôi lúc", "có lúc"]})
    assert lists["stock"] == ["luôn gương mẫu", "hoàn thành tốt nhiệm vụ chuyên môn được giao phó"]
    assert lists["hedge"] == ["có lúc"]


def test_hash_follows_what_changes_an_analysis(tmp_path):
    first = read_config(_write(tmp_path, DISTRICT, "a.yaml"))
    reordered = read_config(
        _write(tmp_path, DISTRICT.replace("feedback: kho/phan-hoi.sqlite", "feedback: khac.db"), "b.yaml")
    )
    changed = read_config(_write(tmp_path, DISTRICT.replace("0.55", "0.6"), "c.yaml"))
    assert first.config_hash == reordered.config_hash  # where feedback is kept does not change a result
    assert first.config_hash != changed.config_hash
    assert not first.is_default


def test_provenance_names_file_or_default(tmp_path):
    config = read_config(_write(tmp_path, DISTRICT))
    rows = {key: (value, source) for key, value, source in config.provenance()}
    assert rows["thresholds.generic"] == (0.55, str(config.path))
    assert rows["thresholds.evasive"][1] == "default"
    assert rows["bands.adequate"] == (45, str(config.path))
    assert rows["bands.strong"] == (80, "default")
    assert rows["severity.generic.vague_quantity"] == ("info", str(config.path))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("disabel: [evasive.hedge]\n", "disabel: unknown key"),
        ("disable: [evasive.nope]\n", "«evasive.nope» is neither a rule id nor a category"),
        ("severity: {generic.nope: high}\n", "unknown rule id «generic.nope»"),
        ("severity: {evasive.hedge: urgent}\n", "severity.evasive.hedge"),
        ("lexicons: {nolex: [a]}\n", "unknown lexicon «nolex»"),
        ("lexicons: {hedge: {remove: [khong co cai nay]}}\n", "«khong co cai nay» is not a shipped phrase"),
        ("lexicons: {hedge: {add: ['  ']}}\n", "empty phrase"),
        ("thresholds: {generic: 1.5}\n", "thresholds.generic"),
        ("thresholds: {evasive: abc}\n", "thresholds.evasive"),
        ("bands: {adequate: 90}\n", "adequate (90) must be below strong (80)"),
        ("bands: {strong: 120}\n", "bands.strong"),
        ("- a list\n", "must hold a mapping"),
        ("disable: [a\n", "not valid YAML"),
    ],
)
def test_every_invalid_configuration_is_a_clear_error(tmp_path, text, expected):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    error = caught.value
    assert error.code == "KD-E012" and error.exit_code == 21
    assert expected in error.detail
    assert "cấu hình" in error.message("vi") and "configuration" in error.message("en")


def test_all_problems_are_reported_at_once(tmp_path):
    path = _write(
        tmp_path, "disabel: [x]\nseverity: {generic.nope: high, evasive.hedge: urgent}\nbands: {adequate: 95}\n"
    )
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    detail = caught.value.detail
    for part in ("disabel: unknown key", "evasive.hedge", "«generic.nope»", "adequate (95)"):
        assert part in detail


def test_missing_file_named_explicitly_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "khong-co.yaml")
    with pytest.raises(ConfigError, match="file not found"):
        load_config(environ={"KIEMDIEM_CONFIG": str(tmp_path / "khong-co.yaml")})


def test_empty_file_is_the_defaults(tmp_path):
    assert read_config(_write(tmp_path, "")).is_default


def test_the_documented_district_example_is_valid(tmp_path):
    doc = (Path(__file__).resolve().parent.parent / "docs" / "CONFIG.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    config = read_config(_write(tmp_path, example))
    assert config.is_disabled("evasive.harmony", "evasive")
    assert config.severity_of("accountability.stock_responsibility", "medium") == "high"
    assert config.feedback_store == (tmp_path / "phan-hoi" / "kiemdiem-feedback.sqlite").resolve()


# -- the configuration applied to an analysis ------------------------------------------------------------------
SHORT_REPORT = """CHI BỘ THÔN AN PHÚ
BẢN KIỂM ĐIỂM CÁ NHÂN
Năm 2025
Họ và tên: Trần Văn Bình
I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC
Bản thân luôn giữ gìn nếp sống văn minh nơi khu dân cư.
Năm 2025 tôi vận động 14 hộ đóng góp làm 300 m đường bê tông liên xóm.
II. HẠN CHẾ, KHUYẾT ĐIỂM
Tôi chậm nộp đảng phí quý III do đi làm xa.
"""
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "02a-ngan-hang-yeu.txt"


def _analysed(tmp_path, text: str, config_text: str | None):
    from nlp import analyze

    config = read_config(_write(tmp_path, config_text, "cfg.yaml")) if config_text is not None else None
    return analyze(text, config=config)


def test_default_result_records_no_configuration():
    from nlp import analyze

    assert analyze(SHORT_REPORT).config.model_dump() == {"hash": None, "file": None}


def test_disabled_rule_and_category_remove_findings_and_change_scores(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    base = _analysed(tmp_path, text, None)
    rule = next(f.rule for f in base.findings if f.category == "evasive")
    one_rule = _analysed(tmp_path, text, f"disable: [{rule}]\n")
    assert rule in {f.rule for f in base.findings} and rule not in {f.rule for f in one_rule.findings}
    assert one_rule.config.hash and one_rule.config.file.endswith("cfg.yaml")
    no_generic = _analysed(tmp_path, text, "disable: [generic]\n")
    assert not [f for f in no_generic.findings if f.category == "generic"]
    assert not [s for s in no_generic.sentences if "generic" in s.labels]
    assert no_generic.scores.specificity > base.scores.specificity
    no_accountability = _analysed(tmp_path, text, "disable: [accountability]\n")
    assert base.accountability.status == "missing"
    assert no_accountability.accountability.status == "not_applicable"
    assert not [f for f in no_accountability.findings if f.category == "accountability"]
    assert no_accountability.scores.overall != base.scores.overall


def test_severity_change_shows_in_the_result(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    base = _analysed(tmp_path, text, None)
    finding = next(f for f in base.findings if f.severity != "info" and f.category == "evasive")
    changed = _analysed(tmp_path, text, f"severity: {{{finding.rule}: info}}\n")
    assert {f.severity for f in changed.findings if f.rule == finding.rule} == {"info"}


def test_extra_stock_phrase_is_flagged(tmp_path):
    phrase = "giữ gìn nếp sống văn minh"
    base = _analysed(tmp_path, SHORT_REPORT, None)
    assert not [f for f in base.findings if f.rule == "generic.stock_phrase"]
    configured = _analysed(tmp_path, SHORT_REPORT, f"lexicons: {{stock: ['{phrase}']}}\n")
    flagged = [f for f in configured.findings if f.rule == "generic.stock_phrase"]
    assert [configured.text[f.start : f.end] for f in flagged] == [phrase]


def test_thresholds_and_bands_move_labels_and_band(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    base = _analysed(tmp_path, text, None)
    strict = _analysed(tmp_path, text, "thresholds: {generic: 0.99, evasive: 0.99}\n")
    assert sum("generic" in s.labels for s in strict.sentences) < sum("generic" in s.labels for s in base.sentences)
    assert base.band == "weak"
    lenient = _analysed(tmp_path, text, f"bands: {{adequate: {max(1, int(base.scores.overall) - 1)}}}\n")
    assert lenient.band == "adequate" and lenient.scores == base.scores
