"""Evaluation of the section tagger (:mod:`nlp.model.sections`) on the corpus: the records' units as
sequences, the evaluation cases (headings removed, bodies alone, fragments of one or two sections) and their
content-unit scores."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from nlp.model.sections import STRUCTURAL_BLOCKS, SectionTagger

ACHIEVEMENT_FAMILY = ("achievements", "ideology_ethics", "duties", "commitments")
ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = ROOT / "corpus" / "data" / "reports.jsonl"
DEFAULT_SPLITS = ROOT / "corpus" / "splits.json"
CASES = ("no_headings", "body_only", "fragment1", "fragment2")
Unit = tuple[str, str, bool]  # text, gold section, structural
Sequence_ = tuple[list[str], list[float], list[str]]  # texts, positions, sections


def read_split(split: str, corpus: Path = DEFAULT_CORPUS, splits: Path = DEFAULT_SPLITS) -> list[dict]:
    """The corpus records of one frozen split (read directly: no pipeline import)."""
    wanted = set(json.loads(splits.read_text(encoding="utf-8"))[split])
    with corpus.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [r for r in records if r["id"] in wanted]


def record_units(record: dict) -> list[Unit]:
    """The record's units as (text, section, structural)."""
    text = record["text"]
    return [(text[u["start"] : u["end"]], u["section"], bool(u["structural"])) for u in record["units"]]


def is_heading(unit: Unit) -> bool:
    """A structural unit inside the body (a heading or a form label), not the header or signature block."""
    return unit[2] and unit[1] not in STRUCTURAL_BLOCKS


def as_sequence(units: Sequence[Unit]) -> Sequence_:
    """Texts, relative positions (units joined by line breaks, as a pasted text) and gold sections."""
    positions, offset = [], 0
    total = sum(len(u[0]) + 1 for u in units) or 1
    for unit in units:
        positions.append(offset / total)
        offset += len(unit[0]) + 1
    return [u[0] for u in units], positions, [u[1] for u in units]


def section_runs(units: Sequence[Unit]) -> list[list[Unit]]:
    """The body's units (no header or signature) grouped into maximal runs of one section."""
    runs: list[list[Unit]] = []
    for unit in units:
        if unit[1] in STRUCTURAL_BLOCKS:
            continue
        if runs and runs[-1][0][1] == unit[1]:
            runs[-1].append(unit)
        else:
            runs.append([unit])
    return runs


def evaluation_cases(records: Sequence[dict], case: str) -> list[tuple[Sequence_, list[str | None], list[bool]]]:
    """(sequence, fixed, scored) per test case. ``case``: ``no_headings`` (whole report, headings removed,
    header and signature fixed), ``body_only`` (headings, header and signature removed, nothing fixed),
    ``fragment1`` / ``fragment2`` (every single section / every two adjacent sections, headings removed).
    Scored units are the content (non-structural) ones."""
    cases = []
    for record in records:
        units = [u for u in record_units(record) if not is_heading(u)]
        if case == "no_headings":
            groups = [units]
        elif case == "body_only":
            groups = [[u for u in units if u[1] not in STRUCTURAL_BLOCKS]]
        elif case in ("fragment1", "fragment2"):
            runs = section_runs(units)
            width = 1 if case == "fragment1" else 2
            groups = [[u for run in runs[i : i + width] for u in run] for i in range(len(runs) - width + 1)]
        else:
            raise ValueError(f"unknown case {case!r}")
        for group in groups:
            if not group:
                continue
            fixed = [u[1] if u[1] in STRUCTURAL_BLOCKS else None for u in group]
            cases.append((as_sequence(group), fixed, [not u[2] for u in group]))
    return cases


def _family(section: str) -> str:
    return "achievements" if section in ACHIEVEMENT_FAMILY else section


def score(gold: Sequence[str], predicted: Sequence[str]) -> dict:
    """Accuracy, macro-F1 over the gold sections, per-section F1, and the same with the achievements family
    (achievements, ideology_ethics, duties, commitments) merged."""
    from sklearn.metrics import f1_score

    def block(g: list[str], p: list[str]) -> dict:
        labels = sorted(set(g))
        per = f1_score(g, p, labels=labels, average=None, zero_division=0)
        rest = [v for label, v in zip(labels, per, strict=True) if label != "achievements"]
        return {
            "accuracy": round(float(np.mean([a == b for a, b in zip(g, p, strict=True)])), 4),
            "macro_f1": round(float(np.mean(per)), 4),
            "macro_f1_without_achievements": round(float(np.mean(rest)), 4) if rest else 0.0,
            "f1": {label: round(float(v), 4) for label, v in zip(labels, per, strict=True)},
        }

    result = block(list(gold), list(predicted))
    result["merged"] = block([_family(s) for s in gold], [_family(s) for s in predicted])
    result["units"] = len(gold)
    return result


def evaluate_tagger(tagger: SectionTagger, records: Sequence[dict], case: str) -> dict:
    """Content-unit scores of ``tagger`` on one evaluation case (see :func:`evaluation_cases`)."""
    gold, predicted = [], []
    for (texts, positions, sections), fixed, scored in evaluation_cases(records, case):
        output = tagger.predict(texts, positions, fixed)
        gold.extend(s for s, keep in zip(sections, scored, strict=True) if keep)
        predicted.extend(s for s, keep in zip(output, scored, strict=True) if keep)
    return score(gold, predicted)
