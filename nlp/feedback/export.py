"""Export reviewers' decisions as corpus units, Label Studio tasks or doccano JSONL.

The three formats share one view of the store: one record per report (per report hash), whose text is the
sentences reviewers judged, in their order in the report, joined by newlines (the store keeps nothing else of a
report), with one unit per sentence. The shapes are those of the corpus (``corpus/data/reports.jsonl``) and of
``corpus/scripts/convert.py``, so its ``from_labelstudio`` / ``from_doccano`` read an annotated export back
against the corpus records given here.

What becomes a label (see :mod:`nlp.feedback.verdicts`):

- a sentence with a confirmed ``generic.*`` finding is ``generic``; one whose generic findings were all dismissed
  is not;
- a sentence with a confirmed ``evasive.*`` finding is ``evasive``, with the sub-kinds of the confirmed findings;
  a confirmed ``evasive.model`` finding names no sub-kind, so such a unit is ``evasive`` with no
  ``evasion_kinds`` — the plain ``evasive`` label of the annotation tools; give it a kind there before the unit
  joins the corpus, whose build check requires one;
- the corpus shape has no "unknown": a label no decision spoke to is ``false`` (the tool's own judgement, which
  the reviewer left standing);
- rules that are not sentence labels (accountability, completeness, consistency, specificity, input) give no
  label and no unit; ``responsibility`` is always ``false`` and ``evidence`` empty;
- report-level fields (form, band, self-rating, accountability…) are ``null``: reviewers judged sentences, not
  reports. ``provenance.source`` is ``"feedback"``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Literal

from nlp.annotation_formats import doccano_items, label_studio_tasks
from nlp.annotation_formats import label_studio_config as _label_studio_config
from nlp.feedback.model import FeedbackDecision
from nlp.feedback.verdicts import SentenceVerdict, sentence_verdicts

ExportFormat = Literal["label-studio", "doccano", "corpus"]
FORMATS: tuple[ExportFormat, ...] = ("label-studio", "doccano", "corpus")
SEPARATOR = "\n"
NOT_SECTIONS = {"header", "signature"}


def _units(verdicts: list[SentenceVerdict]) -> tuple[str, list[dict]]:
    """The record text (sentences joined in report order) and one corpus unit per sentence."""
    pieces: list[str] = []
    units: list[dict] = []
    offset, previous_end = 0, -1
    for verdict in sorted(verdicts, key=lambda v: (v.start, v.end)):
        if verdict.start < previous_end or not verdict.text.strip():
            continue  # overlapping or empty spans cannot be units of one text
        previous_end = verdict.end
        if pieces:
            offset += len(SEPARATOR)
        pieces.append(verdict.text)
        evasive = bool(verdict.evasive)
        units.append(
            {
                "start": offset,
                "end": offset + len(verdict.text),
                "section": verdict.section,
                "structural": False,
                "generic": bool(verdict.generic),
                "evasive": evasive,
                "evasion_kinds": list(verdict.evasion_kinds) if evasive else [],
                "responsibility": False,
            }
        )
        offset += len(verdict.text)
    return SEPARATOR.join(pieces), units


def _sections(units: list[dict], length: int) -> list[dict]:
    """Gold sections as runs of units with the same section, stretched to cover the text from 0 to its end."""
    sections: list[dict] = []
    for unit in units:
        if unit["section"] is None:
            continue
        if sections and sections[-1]["id"] == unit["section"]:
            continue
        if sections:
            sections[-1]["end"] = unit["start"]
        sections.append({"id": unit["section"], "start": unit["start"] if sections else 0, "end": length})
    return sections


def record_id(report_hash: str) -> str:
    """The corpus id of the record exported for one report."""
    return f"feedback-{report_hash[:16]}"


def corpus_records(decisions: Iterable[FeedbackDecision]) -> list[dict]:
    """One corpus record per report with sentence decisions (see the module docstring for the labels)."""
    by_report: dict[str, list[SentenceVerdict]] = {}
    for verdict in sentence_verdicts(decisions):
        by_report.setdefault(verdict.report_hash, []).append(verdict)
    records = []
    for report, verdicts in by_report.items():
        text, units = _units(verdicts)
        if not units:
            continue
        sections = _sections(units, len(text))
        records.append(
            {
                "id": record_id(report),
                "text": text,
                "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                "form": None,
                "guidance": None,
                "role": None,
                "unit_kind": None,
                "band": None,
                "self_rating": None,
                "accountability": None,
                "noise": [],
                "copied_from": None,
                "sections_present": sorted({s["id"] for s in sections} - NOT_SECTIONS),
                "sections": sections,
                "units": units,
                "evidence": [],
                "provenance": {
                    "source": "feedback",
                    "author": None,
                    "file": None,
                    "generated_by": "nlp.feedback.export",
                    "seed": None,
                    "derived_from": None,
                    "raw_file": None,
                },
            }
        )
    return records


def label_studio_config() -> str:
    """The labelling interface for the tasks: the corpus's labels, and the plain ``evasive`` label (no sub-kind
    yet) that a confirmed ``evasive.model`` finding gives."""
    return _label_studio_config(plain_evasive=True)


def render(decisions: Iterable[FeedbackDecision], fmt: ExportFormat) -> str:
    """The export as file content: a JSON array for Label Studio, JSON lines for doccano and corpus."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    records = corpus_records(decisions)
    if fmt == "label-studio":
        return json.dumps(label_studio_tasks(records), ensure_ascii=False, indent=1) + "\n"
    items = doccano_items(records) if fmt == "doccano" else records
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
