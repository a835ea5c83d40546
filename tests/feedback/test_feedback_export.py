"""Exports: corpus units in the corpus's shape, and Label Studio / doccano files that convert.py reads back."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from nlp.catalog import evasion_kinds
from nlp.feedback.export import FORMATS, corpus_records, label_studio_config, record_id, render
from nlp.feedback.model import report_hash
from nlp.schema import SECTION_IDS

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "corpus" / "scripts"))

import convert  # noqa: E402

CORPUS_RECORD = json.loads((ROOT / "corpus" / "data" / "reports.jsonl").open(encoding="utf-8").readline())

WEAK = "Đôi lúc tôi còn nể nang trong phê bình."
CAUSE = "Việc chậm trễ là do khách quan."
STOCK = "Luôn hoàn thành tốt nhiệm vụ được giao."
MODEL = "Một số việc chưa được như mong muốn."


@pytest.fixture
def decisions(make_decision):
    """Report "a": a sentence confirmed evasive (hedge) with its generic finding dismissed; a cause confirmed
    evasive; a stock sentence whose two generic findings got one confirm and one dismiss; a sentence confirmed
    evasive by the model alone (no sub-kind); an accountability finding (no sentence label). Report "b": one
    dismissed generic finding."""
    return [
        make_decision(WEAK, "evasive.hedge", "confirm", at=100),
        make_decision(WEAK, "generic.stock_self_criticism", "dismiss", at=100),
        make_decision(CAUSE, "evasive.objective_cause", "confirm", at=150, section="causes"),
        make_decision(STOCK, "generic.stock_phrase", "confirm", at=20, section="duties"),
        make_decision(STOCK, "generic.no_anchor", "dismiss", at=20, section="duties"),
        make_decision(MODEL, "evasive.model", "confirm", at=200),
        make_decision("V. TRÁCH NHIỆM", "accountability.missing_personal", "confirm", at=300, section=None),
        make_decision(STOCK, "generic.stock_phrase", "dismiss", report="b", at=5, section="duties"),
    ]


def _labels(record: dict) -> list[tuple[str, bool, bool, tuple[str, ...], bool]]:
    text = record["text"]
    return [
        (text[u["start"] : u["end"]], u["generic"], u["evasive"], tuple(u["evasion_kinds"]), u["responsibility"])
        for u in record["units"]
    ]


def test_corpus_records_label_each_judged_sentence(decisions):
    records = {r["id"]: r for r in corpus_records(decisions)}
    assert set(records) == {record_id(report_hash("a")), record_id(report_hash("b"))}
    report_a = records[record_id(report_hash("a"))]
    assert _labels(report_a) == [
        (STOCK, True, False, (), False),
        (WEAK, False, True, ("hedge",), False),
        (CAUSE, False, True, ("objective_cause",), False),
        (MODEL, False, True, (), False),
    ]
    assert report_a["text"] == "\n".join([STOCK, WEAK, CAUSE, MODEL]), "only the judged sentences, in report order"
    assert "TRÁCH NHIỆM" not in report_a["text"], "rules that are not sentence labels give no unit"
    assert _labels(records[record_id(report_hash("b"))]) == [(STOCK, False, False, (), False)]
    assert [s["id"] for s in report_a["sections"]] == ["duties", "shortcomings", "causes", "shortcomings"]


def test_corpus_records_have_the_corpus_shape(decisions):
    for record in corpus_records(decisions):
        assert set(record) == set(CORPUS_RECORD)
        assert set(record["provenance"]) == set(CORPUS_RECORD["provenance"])
        assert record["provenance"]["source"] == "feedback"
        text, previous = record["text"], 0
        for unit in record["units"]:
            assert set(unit) == set(CORPUS_RECORD["units"][0])
            assert previous <= unit["start"] < unit["end"] <= len(text)
            previous = unit["end"]
            assert unit["section"] in SECTION_IDS
            assert not (unit["structural"] and (unit["generic"] or unit["evasive"]))
            assert set(unit["evasion_kinds"]) <= set(evasion_kinds())
            assert not unit["evasion_kinds"] or unit["evasive"]
        assert record["sections"][0]["start"] == 0 and record["sections"][-1]["end"] == len(text)
        for before, after in zip(record["sections"], record["sections"][1:], strict=False):
            assert before["end"] == after["start"]
        assert record["sections_present"] == sorted({s["id"] for s in record["sections"]} - {"header", "signature"})


def test_label_studio_export_round_trips_through_convert(decisions):
    records = corpus_records(decisions)
    tasks = json.loads(render(decisions, "label-studio"))
    back = convert.from_labelstudio(tasks, records)
    assert [_labels(r) for r in back] == [_labels(r) for r in records]
    used = {label for task in tasks for r in task["predictions"][0]["result"] for label in r["value"]["labels"]}
    offered = set(re.findall(r'value="([^"]+)"', label_studio_config())) - {"$text"}
    assert used <= offered
    assert set(re.findall(r'value="([^"]+)"', convert.label_config())) <= offered | {"$text"}


def test_doccano_export_round_trips_through_convert(decisions):
    records = corpus_records(decisions)
    items = [json.loads(line) for line in render(decisions, "doccano").splitlines()]
    assert convert.to_doccano(records) == items, "the same shape as the corpus converter writes"
    back = convert.from_doccano(items, records)
    assert [_labels(r) for r in back] == [_labels(r) for r in records]


def test_relabelling_an_export_in_a_tool_is_read_back(decisions):
    records = corpus_records(decisions)
    items = [json.loads(line) for line in render(decisions, "doccano").splitlines()]
    item = next(i for i in items if i["id"] == record_id(report_hash("a")))
    start = item["text"].index(MODEL)
    item["label"] = [s for s in item["label"] if s[2] != "evasive"] + [[start, start + len(MODEL), "evasive:hedge"]]
    back = {r["id"]: r for r in convert.from_doccano(items, records)}
    assert (MODEL, False, True, ("hedge",), False) in _labels(back[record_id(report_hash("a"))])


def test_corpus_export_is_json_lines_of_the_records(decisions):
    lines = render(decisions, "corpus").splitlines()
    assert [json.loads(line) for line in lines] == corpus_records(decisions)


def test_unknown_format_and_empty_store(decisions):
    assert FORMATS == ("label-studio", "doccano", "corpus")
    with pytest.raises(ValueError, match="unknown export format"):
        render(decisions, "excel")
    assert json.loads(render([], "label-studio")) == []
    assert render([], "corpus") == ""
