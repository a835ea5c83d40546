"""Cold start (issue 12): what analysing one report imports, and the cache of parsed data files.

The timing goal lives in ``bench/bench_cold.py`` and docs/BENCHMARKS.md (no test asserts a time); these tests
hold what makes the start fast: no scikit-learn or scipy for the default model, no renderer or service module a
format does not need, data files parsed once per content.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import nlp.data
from nlp.data import cache_dir, load_data, patterns
from nlp.normalize import fold

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "02a-ngan-hang-yeu.txt"
_CLI_MODULES = (
    "import atexit, json, sys\n"
    "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules)) + '\\n'))\n"
    "sys.argv = ['kiemdiem', *sys.argv[1:]]\n"
    "from nlp.cli import main\n"
    "main()\n"
)
NEVER = ("sklearn", "scipy", "openpyxl", "spacy", "torch", "transformers", "jinja2", "fastapi", "uvicorn", "service")


def _modules_after(tmp_path: Path, *args: str) -> tuple[set[str], str]:
    env = {k: v for k, v in os.environ.items() if k != "KIEMDIEM_MODEL"}
    env["KIEMDIEM_CACHE_DIR"] = str(tmp_path / "cache")
    done = subprocess.run(
        [sys.executable, "-c", _CLI_MODULES, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    line = next(line for line in done.stderr.splitlines() if line.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES "))), done.stdout


def _top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_json_analysis_imports_no_sklearn_scipy_rich_or_renderer(tmp_path):
    modules, stdout = _modules_after(tmp_path, "analyze", str(EXAMPLE), "--format", "json")
    assert json.loads(stdout)["classifier"] == "linear-v1"
    assert not _top_level(modules) & {*NEVER, "rich"}
    assert not {m for m in modules if m.startswith(("nlp.render", "nlp.model.train", "nlp.model.sections_train"))}


def test_terminal_analysis_imports_rich_but_not_the_page_or_the_models_libraries(tmp_path):
    modules, stdout = _modules_after(tmp_path, "analyze", str(EXAMPLE), "--width", "100")
    assert "02A" in stdout
    assert "rich" in _top_level(modules)
    assert not _top_level(modules) & set(NEVER)
    assert "nlp.render.terminal" in modules and "nlp.render.html" not in modules


_BUILT_MODELS = (
    "import atexit, json, sys\n"
    "import nlp.config, nlp.schema\n"
    "from pydantic import BaseModel\n"
    "def built():\n"
    "    modules = (nlp.schema, nlp.config)\n"
    "    models = [v for m in modules for v in vars(m).values() if isinstance(v, type) and issubclass(v, BaseModel)]\n"
    "    return sorted({m.__name__ for m in models if m.__pydantic_complete__ and m.model_fields})\n"
    "atexit.register(lambda: sys.stderr.write('\\nBUILT ' + json.dumps(built()) + '\\n'))\n"
    "sys.argv = ['kiemdiem', *sys.argv[1:]]\n"
    "from nlp.cli import main\n"
    "main()\n"
)


def _built_after(tmp_path: Path, *args: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"KIEMDIEM_MODEL", "KIEMDIEM_CONFIG"}}
    env["KIEMDIEM_CACHE_DIR"] = str(tmp_path / "cache")
    done = subprocess.run(
        [sys.executable, "-c", _BUILT_MODELS, *args], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    line = next(line for line in done.stderr.splitlines() if line.startswith("BUILT "))
    return json.loads(line.removeprefix("BUILT "))


def test_terminal_view_builds_no_pydantic_validator_and_json_output_builds_the_result(tmp_path):
    """Results are built with ``model_construct`` (nlp.schema._Model): the terminal view with the shipped
    configuration never builds a validator or serializer; JSON output builds the result's serializer."""
    assert _built_after(tmp_path, "analyze", str(EXAMPLE), "--width", "80") == []
    assert "AnalysisResult" in _built_after(tmp_path, "analyze", str(EXAMPLE), "--format", "json")


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "--help"],
        ["analyze"],
        ["analyze", str(EXAMPLE), "--format", "bad"],
        ["analyze", str(EXAMPLE), "--bogus"],
        ["analyze", "/nonexistent/report.txt"],
        ["analyze", str(EXAMPLE), "--width", "70", "--lang", "en"],
    ],
)
def test_analyze_alone_reads_a_command_line_as_the_whole_app_does(args):
    from typer.testing import CliRunner

    from nlp.cli import _analyze_only, app

    runner = CliRunner()
    whole = runner.invoke(app, args, env={"COLUMNS": "100"}, catch_exceptions=False)
    single = runner.invoke(_analyze_only(), args, env={"COLUMNS": "100"}, catch_exceptions=False)
    assert (single.exit_code, single.output) == (whole.exit_code, whole.output)


def test_main_builds_the_analyze_command_alone_for_an_analysis(monkeypatch, capsys):
    import nlp.cli

    single = nlp.cli._analyze_only()
    monkeypatch.setattr(nlp.cli, "_analyze_only", lambda: single)
    monkeypatch.setattr(nlp.cli, "app", None)  # the whole app is not called
    monkeypatch.setattr(sys, "argv", ["kiemdiem", "analyze", "--help"])
    with pytest.raises(SystemExit) as done:
        nlp.cli.main()
    assert done.value.code == 0 and "--format" in capsys.readouterr().out


def test_data_files_are_parsed_once_and_read_back_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KIEMDIEM_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(nlp.data, "_memory", {})
    parsed = load_data("rules.yaml")
    stored = list((tmp_path / "data").glob("*.marshal"))
    assert len(stored) == 1

    def no_parsing(source: bytes):
        raise AssertionError("parsed again")

    monkeypatch.setattr(nlp.data, "_memory", {})  # a new process: only the disk cache is left
    monkeypatch.setattr(nlp.data, "parse_yaml", no_parsing)
    assert load_data("rules.yaml") == parsed


def test_each_call_returns_a_fresh_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("KIEMDIEM_CACHE_DIR", str(tmp_path))
    first = load_data("scoring.yaml")
    first.clear()
    assert load_data("scoring.yaml")


def test_a_damaged_cache_file_is_parsed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("KIEMDIEM_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(nlp.data, "_memory", {})
    expected = load_data("labels.yaml")
    (stored,) = (tmp_path / "data").glob("*.marshal")
    stored.write_bytes(stored.read_bytes()[:-7] + b"garbage")
    monkeypatch.setattr(nlp.data, "_memory", {})
    assert load_data("labels.yaml") == expected


def test_a_cache_folder_that_cannot_be_written_is_ignored(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("KIEMDIEM_CACHE_DIR", str(blocker))  # its data/ subfolder can never be created
    monkeypatch.setattr(nlp.data, "_memory", {})
    assert load_data("anchors.yaml")["folded"]
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"XDG_CACHE_HOME": "/x/cache"}, Path("/x/cache/kiemdiem/data")),
        ({"KIEMDIEM_CACHE_DIR": "/y"}, Path("/y/data")),
        ({"KIEMDIEM_CACHE_DIR": ""}, None),
    ],
)
def test_cache_location(monkeypatch, environ, expected):
    monkeypatch.delenv("KIEMDIEM_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    assert cache_dir() == expected


def test_without_a_disk_cache_the_data_is_the_same(monkeypatch):
    expected = load_data("structure.yaml")
    monkeypatch.setenv("KIEMDIEM_CACHE_DIR", "")
    monkeypatch.setattr(nlp.data, "_memory", {})
    assert (
        load_data("structure.yaml")
        == expected
        == nlp.data.parse_yaml((ROOT / "nlp" / "data" / "structure.yaml").read_bytes())
    )


def _data_patterns() -> list[re.Pattern[str]]:
    """The compiled patterns of the data files that the pattern cache serves (anchors, structure, layout)."""
    from nlp import features, layout, segment

    anchors = features._anchor_rules()
    kinds = [*anchors.folded.values(), *anchors.cased.values()]
    found = [p for kind in kinds for p in (kind.any, *kind.patterns)]
    for rules in (segment._rules(), layout._rules()):
        for value in (
            vars(rules).values() if hasattr(rules, "__dict__") else [getattr(rules, n) for n in rules.__slots__]
        ):
            values = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
            found += [v[1] if isinstance(v, tuple) else v for v in values if isinstance(v, re.Pattern | tuple)]
    return [p for p in found if isinstance(p, re.Pattern)]


def _fresh_pattern_cache(monkeypatch) -> None:
    monkeypatch.setattr(patterns, "_programs", None)
    monkeypatch.setattr(patterns, "_learnt", False)


def test_patterns_read_back_from_the_cache_are_the_patterns_compiled(tmp_path, monkeypatch):
    monkeypatch.setenv("KIEMDIEM_CACHE_DIR", str(tmp_path))
    expected = _data_patterns()
    assert len(expected) > 50
    _fresh_pattern_cache(monkeypatch)
    for pattern in expected:
        patterns.compile(pattern.pattern, pattern.flags & ~re.UNICODE)
    patterns._write()
    assert list((tmp_path / "data").glob("patterns-*.marshal"))

    _fresh_pattern_cache(monkeypatch)  # a new process: only the file is left

    def not_again(pattern: str, flags: int):
        raise AssertionError(f"compiled again: {pattern[:60]}")

    monkeypatch.setattr(patterns, "_program", not_again)
    lines = [line for path in sorted((ROOT / "examples").glob("*.txt")) for line in _lines(path)]
    for pattern in expected:
        cached = patterns.compile(pattern.pattern, pattern.flags & ~re.UNICODE)
        assert (cached.pattern, cached.flags, cached.groups, cached.groupindex) == (
            pattern.pattern,
            pattern.flags,
            pattern.groups,
            pattern.groupindex,
        )
        for line in lines[::7]:
            assert [m.span() for m in cached.finditer(line)] == [m.span() for m in pattern.finditer(line)]
            assert [m.span() for m in cached.finditer(fold(line))] == [m.span() for m in pattern.finditer(fold(line))]


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        return []


def test_a_damaged_pattern_cache_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("KIEMDIEM_CACHE_DIR", str(tmp_path))
    _fresh_pattern_cache(monkeypatch)
    patterns.compile(r"(?P<year>\d{4})|x")
    patterns._write()
    (stored,) = (tmp_path / "data").glob("patterns-*.marshal")
    stored.write_bytes(stored.read_bytes()[:-9] + b"not-valid")
    _fresh_pattern_cache(monkeypatch)
    compiled = patterns.compile(r"(?P<year>\d{4})|x")
    assert compiled.search("năm 2024").group("year") == "2024"
    assert patterns._learnt  # learnt again from the pattern, the damaged file set aside


def test_without_a_cache_folder_patterns_are_compiled_as_re_does(monkeypatch):
    monkeypatch.setenv("KIEMDIEM_CACHE_DIR", "")
    _fresh_pattern_cache(monkeypatch)
    assert patterns.compile(r"\bthang\s+\d{1,2}\b") is re.compile(r"\bthang\s+\d{1,2}\b")
    assert not patterns._learnt
