"""Reading the annotated corpus (``corpus/data/reports.jsonl``) and its frozen splits for training and evaluation.

Gold units were made with the pipeline's own segmenter (corpus/scripts/build_corpus.py), so they normally line up
one to one with the units of :func:`nlp.pipeline.prepare`; if the segmenter has changed since, each unit takes the
labels of the gold unit it overlaps most.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp.catalog import evasion_kinds
from nlp.detect.sentence_rules import Candidate, sentence_candidates
from nlp.doc import Doc
from nlp.pipeline import prepare

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = ROOT / "corpus" / "data" / "reports.jsonl"
DEFAULT_SPLITS = ROOT / "corpus" / "splits.json"
SPLITS = ("train", "dev", "test")


@dataclass
class GoldUnit:
    """Gold labels of one pipeline unit."""

    structural: bool
    section: str
    generic: bool
    evasive: bool
    evasion_kinds: list[str]
    responsibility: bool


@dataclass
class AlignedReport:
    """A corpus report, its annotated ``Doc``, the rule candidates and the gold label of every unit."""

    record: dict
    doc: Doc
    candidates: list[list[Candidate]]
    gold: list[GoldUnit]


def read_reports(path: Path = DEFAULT_CORPUS) -> list[dict]:
    """All corpus records, in file order."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def read_splits(path: Path = DEFAULT_SPLITS) -> dict[str, list[str]]:
    """The frozen split: report ids per split."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: list(data[name]) for name in SPLITS}


def reports_in(split: str, corpus: Path = DEFAULT_CORPUS, splits: Path = DEFAULT_SPLITS) -> list[dict]:
    """The records of one split ("train", "dev", "test") or "all"."""
    records = read_reports(corpus)
    if split == "all":
        return records
    wanted = set(read_splits(splits)[split])
    return [r for r in records if r["id"] in wanted]


def align(record: dict) -> AlignedReport:
    """Prepare the record's text with the pipeline and attach gold labels to its units."""
    doc = prepare(record["text"])
    candidates = sentence_candidates(doc)
    gold_units = record["units"]
    by_span = {(u["start"], u["end"]): u for u in gold_units}
    gold = []
    for unit in doc.units:
        match = by_span.get((unit.start, unit.end)) or _most_overlapping(gold_units, unit.start, unit.end)
        if match is None:
            gold.append(GoldUnit(unit.structural, unit.section or "header", False, False, [], False))
            continue
        gold.append(
            GoldUnit(
                structural=match["structural"],
                section=match["section"],
                generic=match["generic"],
                evasive=match["evasive"],
                evasion_kinds=list(match["evasion_kinds"]),
                responsibility=match["responsibility"],
            )
        )
    return AlignedReport(record, doc, candidates, gold)


def _most_overlapping(units: list[dict], start: int, end: int) -> dict | None:
    best, best_overlap = None, 0
    for unit in units:
        overlap = min(end, unit["end"]) - max(start, unit["start"])
        if overlap > best_overlap:
            best, best_overlap = unit, overlap
    return best


def iter_aligned(records: list[dict]) -> Iterator[AlignedReport]:
    for record in records:
        yield align(record)


def content_targets(reports: list[AlignedReport]) -> tuple[list[str], np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """Texts, dense features, gold targets and report groups of every content unit (the model's rows)."""
    from nlp.model.features import featurize

    texts: list[str] = []
    dense_rows: list[np.ndarray] = []
    generic: list[bool] = []
    evasive: list[bool] = []
    kinds: list[list[str]] = []
    groups: list[int] = []
    for number, report in enumerate(reports):
        indexes, unit_texts, dense = featurize(report.doc, report.candidates)
        texts.extend(unit_texts)
        dense_rows.append(dense)
        for index in indexes:
            generic.append(report.gold[index].generic)
            evasive.append(report.gold[index].evasive)
            kinds.append(report.gold[index].evasion_kinds)
            groups.append(number)
    matrix = np.vstack(dense_rows) if dense_rows else np.zeros((0, 0), dtype=np.float32)
    targets = {"generic": np.array(generic, dtype=bool), "evasive": np.array(evasive, dtype=bool)}
    for kind in evasion_kinds():
        targets[f"kind:{kind}"] = np.array([kind in unit_kinds for unit_kinds in kinds], dtype=bool)
    return texts, matrix, targets, np.array(groups)
