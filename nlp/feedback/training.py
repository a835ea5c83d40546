"""Reviewers' decisions as training data for the sentence classifiers — for the train split only.

:func:`training_reports` gives what :func:`nlp.model.corpus.content_targets` takes (one
:class:`~nlp.model.corpus.AlignedReport` per report, built from the corpus records of :mod:`nlp.feedback.export`),
so the trainer adds them to its train reports, each feedback report its own cross-validation group. Thresholds are
still chosen on dev and figures still measured on the frozen test split: a decision on a sentence of a dev or
test report (same text hash, or the same sentence text) is left out, so nothing the trainer is judged on is
learnt from. :func:`training_rows` gives the same data as plain (text, labels) rows, undecided labels ``None``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nlp.errors import InputError
from nlp.feedback.export import corpus_records
from nlp.feedback.model import FeedbackDecision
from nlp.feedback.verdicts import sentence_verdicts

if TYPE_CHECKING:
    from nlp.model.corpus import AlignedReport


@dataclass(frozen=True)
class TrainingRow:
    """One judged sentence: its text and section, the reviewers' labels (``None``: undecided), its report."""

    text: str
    section: str | None
    generic: bool | None
    evasive: bool | None
    evasion_kinds: tuple[str, ...]
    report_hash: str


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def without_held_out(decisions: Iterable[FeedbackDecision], held_out: Iterable[dict]) -> list[FeedbackDecision]:
    """The decisions on no report and no sentence of the ``held_out`` corpus records (dev and test)."""
    hashes: set[str] = set()
    sentences: set[str] = set()
    for record in held_out:
        text = record["text"]
        hashes.add(hashlib.sha256(text.encode("utf-8")).hexdigest())
        sentences.update(_squeeze(text[unit["start"] : unit["end"]]) for unit in record["units"])
    return [d for d in decisions if d.report_hash not in hashes and _squeeze(d.sentence) not in sentences]


def training_rows(decisions: Iterable[FeedbackDecision], held_out: Iterable[dict] = ()) -> list[TrainingRow]:
    """One row per judged sentence (generic / evasive decisions only), held-out sentences left out."""
    return [
        TrainingRow(v.text, v.section, v.generic, v.evasive, tuple(v.evasion_kinds), v.report_hash)
        for v in sentence_verdicts(without_held_out(decisions, held_out))
    ]


def training_reports(decisions: Iterable[FeedbackDecision], held_out: Iterable[dict] = ()) -> list[AlignedReport]:
    """The decisions as aligned reports for the trainer's train split (labels as in the corpus export: a label no
    decision spoke to is negative). Pass the dev and test records as ``held_out``."""
    from nlp.model.corpus import align

    reports = []
    for record in corpus_records(without_held_out(decisions, held_out)):
        try:
            reports.append(align(record))
        except InputError:
            continue  # too little text left to analyse (e.g. one short sentence in another language)
    return reports
