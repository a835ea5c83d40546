"""Speed rewrites of the warm analysis (issue 12, fourth round) give what the versions they replaced gave.

Each rewrite is held against its reference: underthesea's own function, or the former, simpler code kept here.
Inputs: every corpus report and example, their lines, the reports re-laid (one line, wrapped) and hand-made edge
cases.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from underthesea import sent_tokenize
from underthesea.pipeline.word_tokenize import regex_tokenize

from nlp import language, layout, segment
from nlp.classify import SentenceScores, default_classifier
from nlp.detect import completeness
from nlp.detect.sentence_rules import sentence_candidates
from nlp.features import _anchor_rules, anchor_kinds, find_anchors
from nlp.layout import split_sentences
from nlp.model.features import _dense_index, dense_names, featurize, unit_dense
from nlp.model.linear_arrays import _TOKEN
from nlp.normalize import _SPACES, _VIETNAMESE_MARKED, _WORD, has_diacritics
from nlp.pipeline import prepare
from nlp.relayout import one_line, wrap

ROOT = Path(__file__).resolve().parents[1]

_SENTENCE_EDGE = [
    "",
    "   ",
    ".",
    "...",
    "a... B",
    "a ... b",
    "Xong...",
    "Xong.. Tiếp. ",
    "Sao vậy?! Thế à!? Được.",
    "Ông A. Nguyễn, TP. Hồ Chí Minh, Th.S Lê, e.g. này, v.v... và T. Bình.",
    "Số 1.500.000 đồng; ngày 15.12.2025. Mục II.3. Xong.",
    "Câu một.\nCâu hai.\r\nCâu ba.\tCâu bốn.   ",
    "...Mở đầu. Kết thúc....",
    "1. 2. 3.",
    "Hỏi? . ! ?",
]


def _reports() -> list[str]:
    texts = []
    for path in sorted((ROOT / "examples").glob("*.txt")):
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            continue  # legacy-font examples are bytes
    with (ROOT / "corpus" / "data" / "reports.jsonl").open(encoding="utf-8") as handle:
        texts += [json.loads(line)["text"] for line in handle if line.strip()]
    return texts


@pytest.fixture(scope="module")
def reports() -> list[str]:
    return _reports()


def test_sentence_split_is_underthesea_sent_tokenize(reports: list[str]) -> None:
    sent_tokenize("Khởi động.")  # the abbreviations loaded: split_sentences takes its own path from here on
    lines = [line for report in reports for line in report.splitlines() if line.strip()]
    relaid = [relaid(report) for report in reports[::7] for relaid in (one_line, wrap)]
    for text in [*lines, *relaid, *reports[::5], *_SENTENCE_EDGE]:
        assert split_sentences(text) == sent_tokenize(text), text


def test_diacritics_share_counted_word_by_word(reports: list[str]) -> None:
    def reference(text: str, min_words: int = 20, min_share: float = 0.05) -> bool:
        words = _WORD.findall(text)
        if len(words) < min_words:
            return True
        return sum(1 for w in words if _VIETNAMESE_MARKED.search(w)) / len(words) >= min_share

    folded = [one_line(report).encode("ascii", "ignore").decode() for report in reports[::9]]
    edge = ["", "a " * 19, "a " * 20, "Hoà " + "a " * 19, "Hoà " * 2 + "a " * 38, "Hoà " + "a " * 19 + "Đ"]
    for text in [*reports, *folded, *edge]:
        assert has_diacritics(text) == reference(text), text[:80]


def test_linear_scores_read_as_python_floats(reports: list[str]) -> None:
    classifier = default_classifier()
    if not hasattr(classifier, "_scores"):
        pytest.skip("the default classifier is not the linear model")

    def reference(doc, indexes, texts, dense) -> list[SentenceScores]:  # the former loop over numpy scalars
        probabilities = classifier.probabilities(texts, dense)
        scores = [SentenceScores(0.0, 0.0)] * len(doc.units)
        for row, index in enumerate(indexes):
            kinds = tuple(
                (kind, round(float(probabilities[f"kind:{kind}"][row]), 3))
                for kind, threshold in classifier.kind_thresholds.items()
                if probabilities[f"kind:{kind}"][row] >= threshold
            )
            scores[index] = SentenceScores(
                round(float(probabilities["generic"][row]), 3), round(float(probabilities["evasive"][row]), 3), kinds
            )
        return scores

    for text in [*reports[::4], one_line(reports[1]), wrap(reports[2])]:
        doc = prepare(text)
        features = featurize(doc, sentence_candidates(doc))
        assert classifier._scores(doc, *features) == reference(doc, *features)


# the chunk pattern the plain-text code search replaced
_CODE_CHUNK_PLAIN = re.compile(r"(?<!\S)\S*?(?:[@\d]|://|(?<!\S)[wW][wW][wW]\.|[^\W\d_]\.[^\W\d_])\S*")
_CODE_EDGE = [
    "www.a.vn và awww.b, WwW.x  www. y @ a@ @b 1 a1 1a x.y .x x. ..a. a..b",
    "  \t mã 01-HD, KĐ.ĐG, TP.HCM, bao-cao.docx, http://x.gov.vn/a?b=1\n\nwww.",
    "",
    " ",
    "không có mã nào ở đây",
    "9",
    "a.b",
    "\u00a0a.b\u2003c@d\u3000x",
]


def test_plain_code_chunks_found_from_their_codes(reports: list[str]) -> None:
    lines = [line for report in reports[:60] for line in report.splitlines()]
    for text in [*reports, *lines, *_CODE_EDGE]:
        if text and max(text) >= language._FIRST_SPACELESS:
            continue
        assert language._drop_plain_codes(text) == _CODE_CHUNK_PLAIN.sub(" ", text), text[:80]


def test_anchors_behind_one_alternation_of_every_folded_kind(reports: list[str]) -> None:
    rules = _anchor_rules()

    def reference(text: str, folded: str) -> dict[str, list[tuple[int, int]]]:  # each kind searched on its own
        found = {}
        for kind, rule in rules.folded.items():
            spans = [m.span() for p in rule.patterns for m in p.finditer(folded)]
            if spans:
                found[kind] = spans
        return found

    for text in [*reports[::3], one_line(reports[0]), wrap(reports[4])]:
        for unit in prepare(text).units:
            folded_kinds = {k: v for k, v in find_anchors(unit.text, unit.folded).items() if k in rules.folded}
            assert folded_kinds == reference(unit.text, unit.folded), unit.text


def test_word_tokens_by_split_are_the_vectorizer_tokens(reports: list[str]) -> None:
    for text in [*reports[::5], *_CODE_EDGE, "a\u2028b\x1fc\x85d\u200be"]:
        assert text.split() == _TOKEN.findall(text)


_CAPS_EDGE = [
    "",
    "A",
    "AB",
    "ABCD",
    "Abcd",
    "ABCd",
    "aBCDE",
    "Xⓐⓑⓒ",
    "ǅABC",
    "ǅabc",
    "1ABCD",
    "Ư Ơ Ô Ê",
    "Đảng ỦY",
    "ĐẢNG ỦY",
]


@pytest.mark.parametrize("check", [segment._is_all_caps, layout._is_caps])
def test_all_caps_answered_early_for_lines_without_capitals(reports: list[str], check) -> None:
    def reference(text: str) -> bool:
        letters = layout._LETTER.findall(text)
        return len(letters) >= 4 and sum(map(str.isupper, letters)) / len(letters) > 0.85

    lines = [line for report in reports for line in report.splitlines()]
    for text in [*lines, *(line.upper() for line in lines[::50]), *_CAPS_EDGE]:
        assert check(text) == reference(text), text


def test_placeholder_cues_are_in_every_placeholder(reports: list[str]) -> None:
    edge = ["……", "…", "....", "...", "____", "___", "nam 20..", "năm 20..", "[]", "[x" + "y" * 40 + "]", "xxx", "xx"]
    units = [unit.folded for text in reports[::4] for unit in prepare(text).units]
    lines = [line for report in reports for line in report.lower().splitlines()]
    for text in [*units, *lines, *edge, *(f"a {e} b" for e in edge)]:
        found = completeness._PLACEHOLDER.search(text)
        cued = any(cue in text for cue in completeness._PLACEHOLDER_CUES)
        assert found is None or cued, text


_TOKEN_EDGE = [
    "Th sau Th.S Ths. ThS. Thạc sĩ Th, s Thu Thuse Th\ts TH S th s",
    "http://a.vn https: http:x ftp ftps:// abc.vn/x a.b.c.d, xã.vn email a@b.vn e-mail NĐ-CP H&M T.Ư",
    "v.v... v.v. v.v, °C 3x4 43H-0530 4K 02/05/2014 10:20:50 1.600m-2.000m 60.542.000 4.123,2 100,000",
    "H'Mông N’Thôn Hạ Tp. Mr. Mrs. Ms. Dr. TP. Hồ Chí Minh UBND. ABC.",
    ":) =)) ♥‿♥ :D <3 ʺtừʺ ʺ a_b _x x_ ² ½ Ⅻ ١٢ 中文 abc中 tiếng-Việt từ--từ ==> -> >> =>",
    "việc, năm; (tổ) chức! sao? được: “trích” «dẫn» 'đơn' lẻ\u200bkhông\xa0cách\u3000rộng",
    "",
    "   ",
    "a",
    "Th",
    "Đảng",
]


def test_plain_words_are_the_token_pattern_matches(reports: list[str]) -> None:
    def reference(text: str) -> list[str]:
        return [m.group() for m in regex_tokenize.patterns.finditer(text)]

    lines = [line for report in reports for line in report.splitlines()]
    relaid = [one_line(report) for report in reports[::11]]
    for text in [*lines, *relaid, *_TOKEN_EDGE, *(t.upper() for t in _TOKEN_EDGE), *(t.lower() for t in _TOKEN_EDGE)]:
        assert segment._regex_tokens(text) == reference(text), text


def test_dense_features_as_set_one_by_one(reports: list[str]) -> None:
    def reference(doc, unit, found) -> np.ndarray:  # the former vector, each name looked up in turn
        index = _dense_index(dense_names())
        vector = np.zeros(len(index), dtype=np.float32)
        for candidate in found:
            column = index.get(f"rule:{candidate.rule}")
            if column is not None:
                vector[column] = max(vector[column], candidate.strength)
        for hit in unit.hits:
            column = index.get(f"lex:{hit.lexicon}")
            if column is not None:
                vector[column] += 1.0
        anchors = 0
        for kind, spans in unit.anchors.items():
            column = index.get(f"anchor:{kind}")
            if column is not None and spans:
                vector[column] = 1.0
                anchors += len(spans)
        for key in (f"section:{unit.section}", f"kind:{unit.kind}", f"role:{doc.role}"):
            if key in index:
                vector[index[key]] = 1.0
        vector[index["anchors:count"]] = math.log1p(anchors)
        vector[index["words:log"]] = math.log1p(len(unit.words) or len(unit.text.split()))
        vector[index["diacritics"]] = 1.0 if doc.diacritics else 0.0
        return vector

    for text in [*reports[::3], one_line(reports[5])]:
        doc = prepare(text)
        for unit, found in zip(doc.units, sentence_candidates(doc), strict=True):
            expected = reference(doc, unit, found)
            got = unit_dense(doc, unit, found)
            assert got.dtype == expected.dtype and got.tobytes() == expected.tobytes(), unit.text
            assert anchor_kinds(unit) == [
                k
                for k in ("number", "date", "document", "deadline", "case", "person", "named", "quoted")
                if unit.anchors.get(k)
            ]


def test_space_runs_replaced_only_where_not_one_space(reports: list[str]) -> None:
    every_run = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")  # the former pattern
    edge = ["", " ", "  ", "a b", "a  b", "a\tb", " \t ", "\u00a0", "a \u3000 b\u2009c", "\t", "x \n  y\u202f"]
    paths = sorted((ROOT / "examples").glob("*.txt"))
    raw = [path.read_bytes().decode("utf-8", "replace") for path in paths]
    for text in [*reports, *raw, *edge]:
        assert _SPACES.sub(" ", text) == every_run.sub(" ", text), text[:80]
