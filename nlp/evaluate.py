"""Evaluation of analysis results against the annotated corpus.

Any system can be evaluated: its results only need the schema-v1 fields (``text``, ``sentences`` with spans and
``labels``, ``findings`` with ``rule`` and spans, ``band``, ``accountability.status``). Results are matched to
corpus reports by the sha256 of their text (or by id), and sentences to gold units by their spans.

With a layout (:func:`evaluate_layout`, ``kiemdiem evaluate --layout``) every report is re-laid first
(:mod:`nlp.relayout`) and its gold units are moved onto the text the pipeline returns by their words, ignoring
whitespace; gold units that cannot be placed count as missed and are reported.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from nlp.catalog import evasion_kinds

if TYPE_CHECKING:
    from nlp.relayout import Remapped

BANDS = ("weak", "adequate", "strong")
ACCOUNTABILITY = ("present", "missing", "not_applicable")
SENTENCE_LABELS = ("generic", "evasive")
EVASION_KINDS = evasion_kinds()


@dataclass
class Counts:
    """True/false positives and false negatives of one binary decision."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, gold: bool, predicted: bool) -> None:
        if gold and predicted:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "support": self.tp + self.fn,
        }


@dataclass
class Evaluation:
    """Everything ``kiemdiem evaluate`` reports."""

    reports: int = 0
    units: int = 0
    labels: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in SENTENCE_LABELS})
    kinds: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in EVASION_KINDS})
    band_pairs: list[tuple[str, str]] = field(default_factory=list)
    accountability_pairs: list[tuple[str, str]] = field(default_factory=list)
    section_pairs: list[tuple[str, str]] = field(default_factory=list)
    calibration: dict[str, list[tuple[float, bool]]] = field(default_factory=lambda: {k: [] for k in SENTENCE_LABELS})
    errors: list[dict] = field(default_factory=list)
    unmatched: int = 0
    layout: str | None = None
    unmapped_units: int = 0

    def summary(self) -> dict:
        """The figures as a JSON-ready dict."""
        figures = {
            "reports": self.reports,
            "content_units": self.units,
            "sentence": {k: c.as_dict() for k, c in self.labels.items()},
            "evasion_kinds": {k: c.as_dict() for k, c in self.kinds.items() if c.tp + c.fn + c.fp},
            "band_accuracy": _accuracy(self.band_pairs),
            "band_confusion": confusion(self.band_pairs, BANDS),
            "accountability_accuracy": _accuracy(self.accountability_pairs),
            "accountability_confusion": confusion(self.accountability_pairs, ACCOUNTABILITY),
            "section_f1": section_f1(self.section_pairs),
            "calibration_error": {k: round(expected_calibration_error(v), 3) for k, v in self.calibration.items()},
            "unmatched_results": self.unmatched,
        }
        if self.layout is not None:
            figures |= {"layout": self.layout, "unmapped_gold_units": self.unmapped_units}
        return figures


def _accuracy(pairs: list[tuple[str, str]]) -> float:
    return round(sum(g == p for g, p in pairs) / len(pairs), 3) if pairs else 0.0


def confusion(pairs: list[tuple[str, str]], classes: Iterable[str]) -> dict[str, dict[str, int]]:
    """Gold class → predicted class → count."""
    table = {g: dict.fromkeys(classes, 0) for g in classes}
    for gold, predicted in pairs:
        table.setdefault(gold, {}).setdefault(predicted, 0)
        table[gold][predicted] += 1
    return table


def section_f1(pairs: list[tuple[str, str]]) -> dict[str, float]:
    """Micro (= accuracy) and macro F1 of the section assigned to each unit."""
    if not pairs:
        return {"micro": 0.0, "macro": 0.0}
    per = defaultdict(Counts)
    for gold, predicted in pairs:
        if gold == predicted:
            per[gold].tp += 1
        else:
            per[gold].fn += 1
            per[predicted].fp += 1
    macro = sum(c.f1 for c in per.values()) / len(per)
    return {"micro": _accuracy(pairs), "macro": round(macro, 3)}


def expected_calibration_error(points: list[tuple[float, bool]], bins: int = 10) -> float:
    """ECE: the mean gap between predicted probability and observed frequency, over equal-width bins."""
    if not points:
        return 0.0
    buckets: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for probability, outcome in points:
        buckets[min(int(probability * bins), bins - 1)].append((probability, outcome))
    total = len(points)
    return sum(
        len(b) / total * abs(sum(p for p, _ in b) / len(b) - sum(o for _, o in b) / len(b)) for b in buckets.values()
    )


def _kinds_in(result: dict, start: int, end: int) -> set[str]:
    kinds = set()
    for finding in result["findings"]:
        rule = finding["rule"]
        if rule.startswith("evasive.") and start <= finding["start"] < end:
            kinds.add(finding.get("kind") or rule.split(".", 1)[1])
    return kinds


def _match(result: dict, start: int, end: int) -> dict | None:
    best, best_overlap = None, 0
    for sentence in result["sentences"]:
        overlap = min(end, sentence["end"]) - max(start, sentence["start"])
        if overlap > best_overlap:
            best, best_overlap = sentence, overlap
    return best


def add_report(evaluation: Evaluation, record: dict, result: dict, unplaced: Iterable[dict] = ()) -> None:
    """Compare one result with its gold record; ``unplaced`` gold units (no span in the result) count as missed."""
    evaluation.reports += 1
    evaluation.band_pairs.append((record["band"], result["band"]))
    evaluation.accountability_pairs.append((record["accountability"], result["accountability"]["status"]))
    for unit in record["units"]:
        _add_unit(evaluation, record, result, unit, _match(result, unit["start"], unit["end"]))
    for unit in unplaced:
        _add_unit(evaluation, record, result, unit, None)


def _add_unit(evaluation: Evaluation, record: dict, result: dict, unit: dict, predicted: dict | None) -> None:
    evaluation.section_pairs.append((unit["section"], predicted["section"] if predicted else "none"))
    if unit["structural"]:
        return
    evaluation.units += 1
    labels = set(predicted["labels"]) if predicted else set()
    wrong = []
    for label in SENTENCE_LABELS:
        gold = bool(unit[label])
        evaluation.labels[label].add(gold, label in labels)
        if predicted:
            evaluation.calibration[label].append((float(predicted[label]), gold))
        if gold != (label in labels):
            wrong.append(label)
    predicted_kinds = _kinds_in(result, unit["start"], unit["end"]) if "evasive" in labels else set()
    for kind in EVASION_KINDS:
        evaluation.kinds[kind].add(kind in unit["evasion_kinds"], kind in predicted_kinds)
    if wrong:
        error = {
            "report": record["id"],
            "start": unit["start"],
            "end": unit["end"],
            "section": unit["section"],
            "text": record["text"][unit["start"] : unit["end"]],
            "gold": [k for k in SENTENCE_LABELS if unit[k]] + [f"E:{k}" for k in unit["evasion_kinds"]],
            "predicted": sorted(labels),
            "generic": predicted["generic"] if predicted else None,
            "evasive": predicted["evasive"] if predicted else None,
            "wrong": wrong,
        }
        if evaluation.layout is not None:
            error["layout"] = evaluation.layout
        evaluation.errors.append(error)


def evaluate(records: list[dict], results: Iterable[dict]) -> Evaluation:
    """Evaluate result dicts (schema v1) against corpus records, matched by text hash or id."""
    by_hash = {r["text_sha256"]: r for r in records}
    by_id = {r["id"]: r for r in records}
    evaluation = Evaluation()
    for result in results:
        digest = hashlib.sha256(result["text"].encode("utf-8")).hexdigest()
        record = by_hash.get(digest) or by_id.get(result.get("id", ""))
        if record is None:
            evaluation.unmatched += 1
            continue
        add_report(evaluation, record, result)
    return evaluation


def analyse_records(records: list[dict], classifier=None) -> Iterable[dict]:
    """Results of kiemdiem's own pipeline for the corpus texts (with a chosen classifier)."""
    from nlp import analyze

    for record in records:
        yield json.loads(analyze(record["text"], classifier=classifier).model_dump_json())


def analyse_relaid(records: list[dict], layout: str, classifier=None) -> Iterator[tuple[Remapped, dict]]:
    """Each record re-laid in ``layout`` and analysed (docx/pdf as files), with its gold moved onto the result."""
    from nlp import analyze
    from nlp.pipeline import analyze_bytes
    from nlp.relayout import file_name, remap_record, render

    for record in records:
        rendered = render(record["text"], layout)
        if isinstance(rendered, bytes):
            result = analyze_bytes(rendered, file_name(layout), classifier=classifier)
        else:
            result = analyze(rendered, classifier=classifier)
        data = json.loads(result.model_dump_json())
        yield remap_record(record, data["text"]), data


def evaluate_layout(records: list[dict], layout: str, classifier=None) -> Evaluation:
    """Evaluate the pipeline on the records re-laid in ``layout``, gold units matched by their words."""
    from nlp.relayout import check_layout

    evaluation = Evaluation(layout=check_layout(layout))
    for remapped, result in analyse_relaid(records, layout, classifier):
        evaluation.unmapped_units += len(remapped.unmapped_units)
        unplaced = [{**unit, "start": 0, "end": 0} for unit in remapped.unmapped_units]
        add_report(evaluation, remapped.record, result, unplaced)
    return evaluation


def read_results(folder: Path) -> Iterable[dict]:
    """Result JSON files of any system (``*.json`` in a folder, or one ``.jsonl``)."""
    if folder.is_file():
        with folder.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)
        return
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data.setdefault("id", path.stem)
        yield data


def format_report(summary: dict, title: str = "") -> str:
    """A plain-text table of the summary, for the terminal and the model card."""
    lines = [title] if title else []
    lines.append(f"reports {summary['reports']}, content units {summary['content_units']}")
    if "layout" in summary:
        lines.append(f"layout {summary['layout']}, gold units not placed {summary['unmapped_gold_units']}")
    lines.append(f"{'label':<22}{'P':>7}{'R':>7}{'F1':>7}{'support':>9}")
    for name, row in summary["sentence"].items():
        lines.append(f"{name:<22}{row['precision']:>7.3f}{row['recall']:>7.3f}{row['f1']:>7.3f}{row['support']:>9}")
    for name, row in summary["evasion_kinds"].items():
        lines.append(f"  E:{name:<18}{row['precision']:>7.3f}{row['recall']:>7.3f}{row['f1']:>7.3f}{row['support']:>9}")
    lines.append(f"band accuracy            {summary['band_accuracy']:.3f}")
    lines.append(f"accountability accuracy  {summary['accountability_accuracy']:.3f}")
    lines.append(
        f"section F1 micro/macro   {summary['section_f1']['micro']:.3f} / {summary['section_f1']['macro']:.3f}"
    )
    cal = summary["calibration_error"]
    lines.append(f"calibration error (ECE)  generic {cal['generic']:.3f}, evasive {cal['evasive']:.3f}")
    lines.append("band confusion (rows gold, columns predicted):")
    lines.append("            " + "".join(f"{b:>10}" for b in BANDS))
    for gold in BANDS:
        row = summary["band_confusion"].get(gold, {})
        lines.append(f"{gold:<12}" + "".join(f"{row.get(b, 0):>10}" for b in BANDS))
    return "\n".join(lines)


def split_figures(dev: dict, test: dict, dev_note: str) -> str:
    """The dev and test figures of a model card: dev (where choices were made, ``dev_note`` says which) and the
    frozen test split, each as :func:`format_report` tables."""
    return f"""Dev split ({dev_note}):

```
{format_report(dev)}
```

Test split (frozen, never used for a choice):

```
{format_report(test)}
```"""


def top_errors(errors: list[dict], n: int = 20) -> list[tuple[str, int]]:
    """The sections where errors concentrate (for a quick error analysis)."""
    return Counter(e["section"] for e in errors).most_common(n)


LAYOUT_COLUMNS = (
    ("generic F1", lambda s: s["sentence"]["generic"]["f1"]),
    ("evasive F1", lambda s: s["sentence"]["evasive"]["f1"]),
    ("band accuracy", lambda s: s["band_accuracy"]),
    ("accountability accuracy", lambda s: s["accountability_accuracy"]),
    ("section F1 micro", lambda s: s["section_f1"]["micro"]),
)


def layouts_table(summaries: dict[str, dict]) -> str:
    """A markdown table, one row per layout; differences from ``as_written`` in parentheses when it is there."""
    base = summaries.get("as_written")
    header = ["layout", *(name for name, _ in LAYOUT_COLUMNS), "gold units not placed"]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    for layout, summary in summaries.items():
        cells = [f"`{layout}`"]
        for _, value in LAYOUT_COLUMNS:
            cell = f"{value(summary):.3f}"
            if base is not None and layout != "as_written":
                cell += f" ({value(summary) - value(base):+.3f})".replace("-", "−")
            cells.append(cell)
        cells.append(str(summary.get("unmapped_gold_units", 0)))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
