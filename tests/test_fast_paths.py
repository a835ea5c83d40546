"""Speed rewrites (issue 12, second round) give what the plain versions they replaced gave.

Each rewrite keeps its former, simpler version here as the reference: the code-chunk pattern of the language
check and its check for other scripts, the split-and-join tone normalisation, the anchor search behind one
alternation per kind, the form's cue lists as alternations, the model's row sums and word pairs, and the
terminal's hanging lines and string wrap drawn without rich tables; and the result objects built without
validation (``model_construct``), which must be what validating them gives; the word segmentation without
underthesea's per-call work. Inputs: every corpus report and example,
their lines, and hand-made edge cases (codes, URLs, fullwidth digits, other scripts, words wider than the line).
"""

from __future__ import annotations

import io
import json
import re
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from nlp import analyze, analyze_file, form, language, normalize
from nlp.config import read_config
from nlp.features import _anchor_rules, _is_common_name, find_anchors
from nlp.lexicon import load_yaml
from nlp.model.arrays import row_sums
from nlp.model.linear_arrays import word_ngrams
from nlp.render.hanging import HangingBlock, _wrap_plain
from nlp.schema import Accountability, AnalysisResult, Finding, Header, Scores, Sentence, SourceInfo, construct
from nlp.segment import segment_words

ROOT = Path(__file__).resolve().parents[1]

_CHUNK = re.compile(r"[^\s\u2e80-\ud7ff\uf900-\ufaff\uff00-\uffef]+")
_CODE = re.compile(r"[@\d]|://|^www\.|[^\W\d_]\.[^\W\d_]", re.IGNORECASE)
_EDGE = [
    "Xem www.example.vn và http://abc.gov.vn/x, gửi a@b.vn; mã 01-HD, KĐ.ĐG, TP.HCM, bao-cao.docx.",
    "Chữ Hán 中文１２３ abc１ WWW.X.COM awww.b 漢字.字 a.中 中.a x.y.z",
    "ISO 9001:2015 COVID-19 iPhone — năm 2024, 15/20; tab\there… «trích dẫn» “ngoặc”",
    "ＡＢＣ．ｄ fullwidth， ｗｗｗ．ｘ  a１b  ٣ digits ० and ²³",
    "",
    "   ",
    "@",
    "a.b",
    "Hoà, khoẻ, thuỷ, QUẢ, Hoá học, ÚY BAN, tuỳ, ĐỒNG CHÍ, Lê-nin",
]


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt")) if _utf8(p)]
    with (ROOT / "corpus" / "data" / "reports.jsonl").open(encoding="utf-8") as handle:
        texts += [json.loads(line)["text"] for line in handle if line.strip()]
    return texts + _EDGE


def _utf8(path: Path) -> bool:
    try:
        path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts()


def test_code_chunks_are_the_chunks_the_code_test_drops(texts: list[str]) -> None:
    def reference(text: str) -> str:
        return _CHUNK.sub(lambda m: " " if _CODE.search(m.group(0)) else m.group(0), text)

    lines = [line for report in texts[:40] for line in report.splitlines()]
    for text in texts + lines:
        assert language._drop_codes(text) == reference(text)
        assert language._code_chunk_general().sub(" ", text) == reference(text)


def test_word_normalisation_by_split_and_join(texts: list[str]) -> None:
    for text in texts:
        parts = normalize._WORD_SPLIT.split(text)
        parts[1::2] = map(normalize._normalized_word, parts[1::2])
        assert "".join(parts) == normalize._WORD.sub(lambda m: normalize._normalized_word(m.group(0)), text)


def test_anchor_spans_as_each_pattern_alone(texts: list[str]) -> None:
    rules = _anchor_rules()

    def reference(text: str, folded: str) -> dict[str, list[tuple[int, int]]]:
        found: dict[str, list[tuple[int, int]]] = {}
        for kind, rule in rules.folded.items():
            spans = [m.span() for p in rule.patterns for m in p.finditer(folded)]
            if spans:
                found[kind] = spans
        for kind, rule in rules.cased.items():
            spans = [
                m.span()
                for p in rule.patterns
                for m in p.finditer(text)
                if not (kind == "named" and _is_common_name(m.group(0).strip(), rules.not_named))
            ]
            if spans:
                found[kind] = spans
        return found

    lines = [line for text in texts for line in text.splitlines() if line.strip()]
    assert len(lines) > 1000
    for line in lines:
        folded = normalize.fold(line)
        assert find_anchors(line, folded) == reference(line, folded)


def _grid(rows: list[tuple[Text | str, Text]], width: int, indent: int, right: bool) -> Padding:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=width, no_wrap=True, justify="right" if right else "left")
    grid.add_column(ratio=1)
    for cell, body in rows:
        grid.add_row(cell, body)
    return Padding(grid, (0, 0, 0, indent), expand=False)


@pytest.mark.parametrize("console_width", [40, 61, 80, 100])
@pytest.mark.parametrize("colour", [False, True])
def test_hanging_block_draws_what_a_rich_grid_draws(console_width: int, colour: bool) -> None:
    long = "Chưa chủ động nghiên cứu, cập nhật kiến thức mới phục vụ công tác chuyên môn được giao. " * 2
    cases = [
        (4, 0, True, [(Text("[12]", style="bold red"), Text(long, style="red"))]),
        (4, 0, True, [("", Text("Ngắn.", style="dim"))]),
        (1, 7, False, [(Text("▸", style="cyan"), Text(long)), ("", Text("Gợi ý: " + long[:50], style="dim"))]),
        (1, 2, False, [(Text("▸"), Text("Một dòng\nhai dòng, dòng thứ hai dài hơn một chút")), ("", Text("x"))]),
        (3, 3, True, [(Text("[1]"), Text("a\tb " + "từ_rất_dài " * 3))]),
    ]
    for left_width, indent, right, rows in cases:
        block = HangingBlock(left_width=left_width, indent=indent, align_right=right)
        for cell, body in rows:
            block.add_row(cell, body.copy())
        outputs = []
        for renderable in (block, _grid([(c, b.copy()) for c, b in rows], left_width, indent, right)):
            buffer = io.StringIO()
            console = Console(file=buffer, width=console_width, force_terminal=colour, color_system="truecolor")
            console.print(renderable, highlight=False)
            outputs.append(buffer.getvalue())
        assert outputs[0] == outputs[1]


def test_a_word_wider_than_the_room_is_folded_not_cut() -> None:
    """Where rich's grid would cut an unbroken word with "…", the hanging lines fold it: no character is lost."""
    word = "https://example.gov.vn/van-ban/" + "rat-dai-" * 10
    block = HangingBlock(left_width=3, indent=3, align_right=True)
    block.add_row(Text("[1]"), Text(word))
    buffer = io.StringIO()
    Console(file=buffer, width=40).print(block)
    lines = buffer.getvalue().splitlines()
    assert lines[0].startswith("   [1] ") and all(line.startswith(" " * 7) for line in lines[1:])
    assert "".join(line[7:].rstrip() for line in lines) == word


@pytest.mark.parametrize("columns", [None, 1, 2, 12])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_row_sums_add_each_row_in_order(columns: int | None, dtype: type) -> None:
    """Row sums equal an accumulation term after term (bit for bit), whatever the shape and the dtype."""
    rng = np.random.default_rng(7)
    lengths = [0, 1, 2, 9, 40, 0, 300, 5]
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    shape = (int(indptr[-1]),) if columns is None else (int(indptr[-1]), columns)
    values = (rng.standard_normal(shape) * 10 ** rng.uniform(-6, 6, shape)).astype(dtype)
    expected = np.zeros((len(lengths), *shape[1:]), dtype=dtype)
    for row, (start, end) in enumerate(pairwise(indptr.tolist())):
        if end > start:
            expected[row] = np.add.accumulate(values[start:end], axis=0)[-1]
    assert np.array_equal(row_sums(values, indptr), expected)
    assert row_sums(values, indptr).dtype == dtype


def test_word_ngrams_as_slices_joined() -> None:
    def reference(tokens: list[str], low: int, high: int) -> list[str]:
        grams = list(tokens) if low == 1 else []
        for n in range(max(low, 2), min(high + 1, len(tokens) + 1)):
            grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        return grams

    for tokens in ([], ["a"], ["a", "b"], ["§none", "tôi", "chưa", "làm", "tốt", "tôi"]):
        for low, high in ((1, 1), (1, 2), (1, 3), (2, 2), (2, 4), (3, 3)):
            assert word_ngrams(tokens, low, high) == reference(tokens, low, high)


def test_other_script_check_on_distinct_characters(texts: list[str]) -> None:
    """The set-of-characters check agrees with the pattern it stands in for, and the pattern is that class."""
    reference = re.compile(r"[\u0370-\u1dff\u2e80-\ud7ff\uf900-\ufaff\uff66-\uffdc]")
    assert language._other_script_char().pattern == reference.pattern
    samples = [*texts, "Ωmega", "Привет", "中文", "ｦ", "ￜ", "￝", "\u1dff", "\u1e00", "\u036f", "\u2e7f", "\ud7ff"]
    for text in samples:
        assert language._has_other_script(text) == (reference.search(text) is not None)


@pytest.mark.parametrize("width", [1, 7, 30, 58, 94])
def test_plain_wrap_is_rich_wrap(texts: list[str], width: int) -> None:
    """A one-style line wrapped as a string gives the lines rich's ``Text.wrap`` gives (left, fold, padded)."""
    console = Console(width=120)
    lines = [line for report in texts[:30] for line in report.splitlines() if line.strip()]
    lines += [
        "word " * 40,
        "   leading and trailing   ",
        "từ_rất_dài_không_có_chỗ_ngắt_" * 5,
        "a" * 300,
        "全角文字" * 30,
    ]
    for line in lines:
        text = Text(line, style="dim")
        expected = []
        for wrapped in text.wrap(console, width, justify="left", overflow="fold"):
            wrapped.truncate(width, overflow="fold", pad=True)
            expected.append(wrapped.plain)
        assert _wrap_plain(line, width) == expected


def test_form_cue_alternations_find_what_any_cue_finds(texts: list[str]) -> None:
    """The form's cue lists searched as one alternation each: found exactly where one of the cues alone is."""
    data = load_yaml("structure.yaml")
    outside = data["outside_system_content"]
    lists = [
        (form._any_word(data["leader_posts"]), form._words(data["leader_posts"])),
        (form._any_word(data["outside_system_posts"]), form._words(data["outside_system_posts"])),
        (form._any_of(outside["self"]), [re.compile(p) for p in outside["self"]]),
        (form._any_of(outside["leader_self"]), [re.compile(p) for p in outside["leader_self"]]),
    ]
    samples = [normalize.fold(line) for report in texts for line in report.splitlines() if line.strip()]
    samples += [normalize.fold(report) for report in texts]
    for combined, patterns in lists:
        hits = 0
        for sample in samples:
            found = combined.search(sample) is not None
            assert found == any(p.search(sample) for p in patterns)
            hits += found
        assert hits  # each list occurs somewhere in the corpus


def _as_validated(result: AnalysisResult) -> None:
    """The result built with ``model_construct`` is what validation makes of it, in JSON and as Python values (an
    int where a float belongs, ``1`` instead of ``1.0``, shows in ``json.dumps`` of ``model_dump``)."""
    dumped = result.model_dump_json()
    assert AnalysisResult.model_validate_json(dumped).model_dump_json() == dumped
    python = result.model_dump()
    validated = AnalysisResult.model_validate(python)
    assert json.dumps(validated.model_dump(), ensure_ascii=False) == json.dumps(python, ensure_ascii=False)
    assert AnalysisResult.model_validate(python, strict=True).model_dump_json() == dumped


def test_constructed_results_are_what_validation_gives(texts: list[str], tmp_path: Path) -> None:
    for text in texts[::3]:
        try:
            result = analyze(text)
        except Exception:  # edge cases that are refused (empty, other scripts)
            continue
        _as_validated(result)
    for path in sorted((ROOT / "examples").iterdir()):
        if path.suffix in {".txt", ".pdf", ".docx"}:
            _as_validated(analyze_file(path, lang="en"))
    _as_validated(analyze("Tôi còn chậm đổi mới, chưa quyết liệt trong công việc do khách quan."))  # a fragment
    config = tmp_path / "cfg.yaml"
    config.write_text("disable: [generic]\nseverity: {evasive.hedge: high}\nbands: {strong: 90}\n", encoding="utf-8")
    _as_validated(analyze(texts[0], config=read_config(config)))


def test_word_segmentation_is_underthesea_word_tokenize(texts: list[str]) -> None:
    from underthesea import word_tokenize

    word_tokenize("khởi động")  # the model loaded: segment_words takes its own path from here on
    lines = [line for report in texts[::3] for line in report.splitlines() if line.strip()]
    for text in [*lines, *_EDGE, "Đ/c Nguyễn Văn A, email a.b@x.vn, ngày 12/3/2024, 15,5%, 1.200.000đ; v.v... :)"]:
        assert segment_words(text) == word_tokenize(text), text


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (Sentence, {"start": 0, "end": 4, "section": None, "structural": False, "generic": 0.5, "evasive": 0.0}),
        (
            Finding,
            {"rule": "generic.model", "category": "generic", "severity": "low", "start": 1, "end": 2, "message": "m"},
        ),
        (Header, {"name": "A", "year": 2025}),
        (Header, {}),
        (SourceInfo, {}),
        (
            AnalysisResult,
            {
                "text": "x",
                "accountability": Accountability.model_construct(status="missing"),
                "scores": Scores.model_construct(
                    specificity=1.0, candor=1.0, accountability=1.0, completeness=1.0, overall=1.0
                ),
                "band": None,
            },
        ),
        (Scores, {"specificity": 1.0, "candor": 2.0, "accountability": 3.0, "completeness": 4.0, "overall": 5.0}),
    ],
)
def test_construct_is_model_construct(model: type, values: dict) -> None:
    built, reference = construct(model, **values), model.model_construct(**values)
    assert list(built.__dict__.items()) == list(reference.__dict__.items())
    assert built.model_fields_set == reference.model_fields_set == set(values)
    assert built.__pydantic_extra__ is None and built.__pydantic_private__ is None
    assert built == reference and built.model_dump_json() == reference.model_dump_json()
