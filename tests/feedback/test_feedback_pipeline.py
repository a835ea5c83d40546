"""End to end on a real analysis: every finding of a sample report can be decided, stored, matched back to its
finding for ``--resume``, exported and read back by the corpus converter."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from nlp import analyze
from nlp.feedback import FeedbackStore, decision_for, report_hash
from nlp.feedback.export import corpus_records, render

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "corpus" / "scripts"))

import convert  # noqa: E402


def test_every_finding_of_a_real_report_round_trips(tmp_path):
    result = analyze((ROOT / "examples" / "02a-ngan-hang-yeu.txt").read_text(encoding="utf-8"))
    assert result.findings
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    for index in range(len(result.findings)):
        store.add(decision_for(result, index, "dismiss" if index % 3 == 0 else "confirm"))
    stored = store.decisions()
    assert len(stored) == len({(f.rule, f.start, f.end) for f in result.findings})
    for decision in stored:
        assert result.text[decision.sentence_start : decision.sentence_end] == decision.sentence
    dismissed = {(d.rule, d.start, d.end) for d in store.dismissed_for(report_hash(result.text))}
    expected = {(f.rule, f.start, f.end) for i, f in enumerate(result.findings) if i % 3 == 0}
    assert dismissed == expected
    records = corpus_records(stored)
    assert len(records) == 1 and records[0]["units"]
    back = convert.from_labelstudio(json.loads(render(stored, "label-studio")), records)
    assert [u["generic"] for u in back[0]["units"]] == [u["generic"] for u in records[0]["units"]]
    assert [u["evasion_kinds"] for u in back[0]["units"]] == [u["evasion_kinds"] for u in records[0]["units"]]
