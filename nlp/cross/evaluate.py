"""Figures of the cross-report checks on the linked sets (``corpus/linked/*/set.yaml``): link precision/recall
(units, collective reports, persons across years, unlinked reports), responsibility precision/recall, and verdict
accuracy per verdict and per rule, for one split.

    python -m nlp.cross.evaluate --split dev            # a table
    python -m nlp.cross.evaluate --split dev --json     # the figures as JSON
    python -m nlp.cross.evaluate --split dev --errors   # every item the checks got wrong, with both sentences
    python -m nlp.cross.evaluate --split test --sets L13 L14   # only some sets of the split
    python -m nlp.cross.evaluate --split dev --matcher e5   # with another sentence encoder than the default
    python -m nlp.cross.evaluate --split dev --pairs        # each writer checked alone, as one reviewer does
    python -m nlp.cross.evaluate --split dev --layout one_line   # every report re-laid first (nlp.relayout)

All sets of the split are checked in one call (several units, as in a batch), with paths ``<set>/<year>/<file>``.
With ``--layout`` every report is re-laid without changing a word before it is analysed (pasted as one paragraph,
wrapped at 70 characters, written without diacritics, read back from a .docx or a .pdf: :mod:`nlp.relayout`); the
gold quotes are matched by their folded words, so the labels hold for any layout.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache as once
from itertools import combinations, pairwise
from pathlib import Path

import yaml

from nlp.cross.check import cross_check
from nlp.cross.config import matcher_names, settings
from nlp.cross.evaluate_pairs import pair_checks
from nlp.cross.match import Matcher
from nlp.cross.passages import flat_text
from nlp.cross.records import AnalysedReport, CollectiveRow, CrossResult, Quote
from nlp.normalize import fold, normalize
from nlp.relayout import EXTRA_LAYOUTS, LAYOUTS, relayout

LINKED = Path(__file__).resolve().parents[2] / "corpus" / "linked"


@dataclass
class Counts:
    """True positives, predicted and gold counts of one link kind."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def figures(self) -> dict[str, float | int | None]:
        precision = self.tp / self.predicted if self.predicted else None
        recall = self.tp / self.gold if self.gold else None
        return {"precision": precision, "recall": recall, "gold": self.gold, "predicted": self.predicted}


@dataclass
class Verdicts:
    """Gold and predicted verdicts of one check, item by item."""

    check: str
    items: list[tuple[str, str, dict]] = field(default_factory=list)  # (gold, predicted, detail)

    def figures(self) -> dict:
        rules = settings()["rules"][self.check]
        total = len(self.items)
        correct = sum(g == p for g, p, _ in self.items)
        per_verdict = {}
        for verdict in rules:
            gold = [(g, p) for g, p, _ in self.items if g == verdict]
            per_verdict[verdict] = {"n": len(gold), "accuracy": _share(sum(g == p for g, p in gold), len(gold))}
        per_rule = {}
        for rule in sorted({r for r in rules.values() if r}):
            gold = [rules.get(g) == rule for g, _, _ in self.items]
            predicted = [rules.get(p) == rule for _, p, _ in self.items]
            tp = sum(a and b for a, b in zip(gold, predicted, strict=True))
            per_rule[rule] = {
                "n": sum(gold),
                "accuracy": _share(sum(a == b for a, b in zip(gold, predicted, strict=True)), total),
                "precision": _share(tp, sum(predicted)),
                "recall": _share(tp, sum(gold)),
            }
        return {"n": total, "accuracy": _share(correct, total), "verdicts": per_verdict, "rules": per_rule}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def load_sets(split: str, root: Path = LINKED) -> list[tuple[Path, dict]]:
    """The linked sets of ``split``, in id order."""
    sets = []
    for path in sorted(root.glob("L*/set.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("split") == split:
            sets.append((path.parent, data))
    return sets


def analyse_sets(
    sets: list[tuple[Path, dict]], cache: Path | None = None, layout: str = "as_written"
) -> list[AnalysedReport]:
    """Every report of the sets, analysed, with paths ``<set>/<file>`` (results kept in ``cache`` by the hash of the
    text analysed, under the analyser's own key: a changed analysis is not read from an earlier run); ``layout``:
    each report re-laid first (:func:`nlp.relayout.relayout`)."""
    from nlp import analyze
    from nlp.schema import AnalysisResult

    reports = []
    for folder, data in sets:
        for entry in data["reports"]:
            text = relayout((folder / entry["file"]).read_text(encoding="utf-8"), layout)
            key = hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
            stored = cache / _analyser_key() / f"{key}.json" if cache else None
            if stored and stored.exists():
                result = AnalysisResult.model_validate_json(stored.read_text(encoding="utf-8"))
            else:
                result = analyze(text)
                if stored:
                    stored.parent.mkdir(parents=True, exist_ok=True)
                    stored.write_text(result.model_dump_json(), encoding="utf-8")
            reports.append(AnalysedReport(f"{folder.name}/{entry['file']}", result))
    return reports


# what the cross-report checks alone read: a change to them leaves every plain analysis as it was
_CHECKS_ONLY = ("nlp/cross/", "nlp/feedback/cross.py", "nlp/data/cross.yaml", "models/cross-")


def analyser_files() -> list[Path]:
    """The files a plain analysis reads: the package's code and data and the shipped models, less what only the
    cross-report checks read (``_CHECKS_ONLY``; the analysis imports none of nlp/cross)."""
    root = Path(__file__).resolve().parents[2]
    found = []
    for path in sorted(p for folder in ("nlp", "models") for p in (root / folder).rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        if path.suffix not in {".pyc", ".pyo"} and not relative.startswith(_CHECKS_ONLY):
            found.append(path)
    return found


@once
def _analyser_key() -> str:
    """A hash of what the analysis reads (:func:`analyser_files`): the cache's folder, so that a change to the checks
    alone does not analyse every report again."""
    root = Path(__file__).resolve().parents[2]
    digest = hashlib.sha256()
    for path in analyser_files():
        digest.update(path.relative_to(root).as_posix().encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_NUMBERING = re.compile(r"^\W*(?:\d+[.)]|[a-z][.)]|[-–•*+])\s*")


def _key(text: str) -> str:
    return _NUMBERING.sub("", " ".join(fold(normalize(flat_text(text))).split()))


_GLUED_NUMBER = re.compile(r"\n[ \t]*\d{1,3}[ \t]+(?=\w)")  # a PDF's page number glued to a line of the sentence


def _covers(quote: Quote, gold: str) -> bool:
    """The predicted sentence and the gold quote are the same sentence (one holds most of the other); a number that
    opens a line of the predicted sentence may be a page number the PDF glued there ("… được⏎1 một phần …")."""
    b = _key(gold)
    for a in {_key(quote.text), _key(_GLUED_NUMBER.sub("\n", quote.text))}:
        if a and b and (a in b or b in a) and _most_of(a, b):
            return True
    return False


def _most_of(a: str, b: str) -> bool:
    return min(len(a), len(b)) >= 0.5 * max(len(a), len(b)) or len(min(a, b, key=len)) >= 40


def evaluate(sets: list[tuple[Path, dict]], checked: CrossResult) -> tuple[dict, list[dict]]:
    """The figures, and the list of errors (gold vs predicted, with both sentences)."""
    errors: list[dict] = []
    figures: dict = {"sets": [folder.name for folder, _ in sets]}
    figures["links"] = _links(sets, checked, errors)
    figures.update(_verdict_figures(sets, checked, errors))
    return figures, errors


def evaluate_pairs(sets: list[tuple[Path, dict]], checked: CrossResult) -> tuple[dict, list[dict]]:
    """The figures of the pair checks (:mod:`nlp.cross.evaluate_pairs`): no link figure (the caller links the files),
    and last year's shortcomings of the collective report left out (a pair check is one writer's)."""
    errors: list[dict] = []
    own = [
        (
            folder,
            {
                **data,
                "previous_shortcomings": [
                    i for i in data.get("previous_shortcomings") or [] if i["person"] != "collective"
                ],
            },
        )
        for folder, data in sets
    ]
    figures: dict = {"sets": [folder.name for folder, _ in sets], "mode": "pairs"}
    figures.update(_verdict_figures(own, checked, errors))
    return figures, errors


def _verdict_figures(sets: list[tuple[Path, dict]], checked: CrossResult, errors: list[dict]) -> dict:
    """Responsibility, both checks' verdicts (with the outcome of reported items) and the goal flags."""
    figures: dict = {}
    figures["responsible"], collective = _collective(sets, checked, errors)
    figures["collective"] = collective.figures()
    previous = _previous(sets, checked, errors)
    figures["previous"] = previous.figures()
    outcomes = [d for g, p, d in previous.items if g == p == "reported" and d["gold_outcome"]]
    figures["previous"]["outcome_accuracy"] = _share(
        sum(d["gold_outcome"] == d["predicted_outcome"] for d in outcomes), len(outcomes)
    )
    figures["goal_flags"] = _goal_flags(sets, checked, errors)
    return figures


def _links(sets: list[tuple[Path, dict]], checked: CrossResult, errors: list[dict]) -> dict:
    linkage = checked.linkage
    unit_of = {}
    for unit in linkage.units:
        for file in [unit.collective, unit.previous_collective, *unit.individuals, *unit.previous]:
            if file:
                unit_of[file] = unit.key
    gold_unit = {f"{folder.name}/{r['file']}": folder.name for folder, data in sets for r in data["reports"]}
    pairs = Counts()
    for a, b in combinations(sorted(gold_unit), 2):
        same_gold = gold_unit[a] == gold_unit[b]
        same_pred = unit_of.get(a) is not None and unit_of.get(a) == unit_of.get(b)
        pairs.tp += same_gold and same_pred
        pairs.gold += same_gold
        pairs.predicted += same_pred
    collective = Counts()
    predicted_collectives = {u.collective for u in linkage.units if u.collective}
    gold_collectives = {
        f"{folder.name}/{r['file']}"
        for folder, data in sets
        for r in data["reports"]
        if r["role"] == "collective" and r["year"] == max(x["year"] for x in data["reports"])
    }
    collective.tp = len(predicted_collectives & gold_collectives)
    collective.predicted, collective.gold = len(predicted_collectives), len(gold_collectives)
    persons = Counts()
    gold_pairs = set()
    for folder, data in sets:
        by_person = defaultdict(dict)
        for r in data["reports"]:
            if r.get("person"):
                by_person[r["person"]][r["year"]] = f"{folder.name}/{r['file']}"
        for years in by_person.values():
            ordered = sorted(years)
            for old, new in pairwise(ordered):
                if new == old + 1:
                    gold_pairs.add((years[old], years[new]))
    predicted_pairs = {(p.previous, p.current) for p in linkage.persons}
    persons.tp = len(gold_pairs & predicted_pairs)
    persons.predicted, persons.gold = len(predicted_pairs), len(gold_pairs)
    for pair in gold_pairs ^ predicted_pairs:
        errors.append({"check": "person_link", "gold": pair in gold_pairs, "pair": list(pair)})
    unlinked = Counts()
    gold_unlinked = {f"{folder.name}/{u['file']}" for folder, data in sets for u in data.get("unlinked") or []}
    predicted_unlinked = {u.file for u in linkage.unlinked}
    unlinked.tp = len(gold_unlinked & predicted_unlinked)
    unlinked.predicted, unlinked.gold = len(predicted_unlinked), len(gold_unlinked)
    for file in gold_unlinked ^ predicted_unlinked:
        errors.append({"check": "unlinked", "gold": file in gold_unlinked, "file": file})
    return {
        "unit_pairs": pairs.figures(),
        "collective_reports": collective.figures(),
        "persons": persons.figures(),
        "unlinked": unlinked.figures(),
        "basis": dict(Counter(u.basis for u in linkage.units)),
    }


def _collective(sets: list[tuple[Path, dict]], checked: CrossResult, errors: list[dict]) -> tuple[dict, Verdicts]:
    verdicts = Verdicts("collective")
    responsible = Counts()
    names = {f"{folder.name}/{r['file']}": r.get("person") for folder, data in sets for r in data["reports"]}
    for folder, data in sets:
        rows = [r for r in checked.collective_rows if r.shortcoming.file.startswith(f"{folder.name}/")]
        predicted_pairs = {(id(r), names.get(r.file)) for r in rows}
        responsible.predicted += len(predicted_pairs)
        matched_rows: set[int] = set()
        for item in data.get("collective_shortcomings") or []:
            mine = [r for r in rows if _covers(r.shortcoming, item["quote"])]
            matched_rows.update(id(r) for r in mine)
            by_person: dict[str | None, CollectiveRow] = {}
            for row in mine:  # an item the checks read as two sentences: its first (lead) sentence's verdict
                by_person.setdefault(names.get(row.file), row)
            responsible.gold += len(item["responsible"])
            responsible.tp += sum(1 for p in item["responsible"] if p in by_person)
            for person, gold in (item.get("verdicts") or {}).items():
                row = by_person.get(person)
                predicted = row.verdict if row else "not_responsible"
                detail = {
                    "check": "collective",
                    "set": folder.name,
                    "item": item["id"],
                    "person": person,
                    "gold": gold["verdict"],
                    "predicted": predicted,
                    "gold_quote": gold.get("quote"),
                    "predicted_sentence": row.sentence.text if row and row.sentence else None,
                    "similarity": row.similarity if row else None,
                    "why": row.why if row else None,
                }
                verdicts.items.append((gold["verdict"], predicted, detail))
                if gold["verdict"] != predicted:
                    errors.append(detail)
        for row in rows:
            if id(row) not in matched_rows:
                errors.append(
                    {
                        "check": "collective_extra",
                        "set": folder.name,
                        "shortcoming": row.shortcoming.text,
                        "person": row.person,
                        "predicted": row.verdict,
                    }
                )
    return responsible.figures(), verdicts


def _previous(sets: list[tuple[Path, dict]], checked: CrossResult, errors: list[dict]) -> Verdicts:
    verdicts = Verdicts("previous")
    for folder, data in sets:
        rows = [r for r in checked.previous_rows if r.file.startswith(f"{folder.name}/")]
        for item in data.get("previous_shortcomings") or []:
            writer = item["person"]
            mine = [
                r
                for r in rows
                if (r.writer == writer or writer != "collective") and _covers(r.shortcoming, item["quote"])
            ]
            row = mine[0] if mine else None
            predicted = row.verdict if row else "not_linked"
            detail = {
                "check": "previous",
                "set": folder.name,
                "item": item["id"],
                "person": writer,
                "gold": item["verdict"],
                "predicted": predicted,
                "gold_outcome": item.get("outcome"),
                "predicted_outcome": row.outcome if row else None,
                "gold_quote": item.get("quote_current"),
                "predicted_sentence": row.sentence.text if row and row.sentence else None,
                "similarity": row.similarity if row else None,
            }
            verdicts.items.append((item["verdict"], predicted, detail))
            if item["verdict"] != predicted or (
                item.get("outcome") and item.get("outcome") != detail["predicted_outcome"]
            ):
                errors.append(detail)
    return verdicts


def _goal_flags(sets: list[tuple[Path, dict]], checked: CrossResult, errors: list[dict] | None = None) -> dict:
    """The issue's two hard goals: no flag on a leader who owns concretely, none on a member without a post."""
    without_post = {
        f"{folder.name}/{r['file']}"
        for folder, data in sets
        for r in data["reports"]
        if r.get("person") and not r.get("party_post") and not r.get("gov_post")
    }
    flagged_members = sum(1 for r in checked.collective_rows if r.file in without_post and r.rule)
    owned_flagged = 0
    for _, data in sets:
        for item in data.get("collective_shortcomings") or []:
            for person, gold in (item.get("verdicts") or {}).items():
                if gold["verdict"] != "owned":
                    continue
                owned_flagged += any(
                    r.rule and r.person == person and _covers(r.shortcoming, item["quote"])
                    for r in checked.collective_rows
                )
    names = {f"{folder.name}/{r['file']}": r.get("person") for folder, data in sets for r in data["reports"]}
    labelled = [
        (item["quote"], person)
        for _, data in sets
        for item in data.get("collective_shortcomings") or []
        for person in item.get("verdicts") or {}
    ]
    unlabelled_rows = [
        r
        for r in checked.collective_rows
        if r.rule and not any(p == names.get(r.file) and _covers(r.shortcoming, q) for q, p in labelled)
    ]
    unlabelled = len(unlabelled_rows)
    for row in unlabelled_rows if errors is not None else []:
        errors.append(
            {
                "check": "flag_without_gold",
                "person": row.person,
                "file": row.file,
                "why": row.why,
                "rule": row.rule,
                "shortcoming": row.shortcoming.text,
            }
        )
    return {
        "owned_but_flagged": owned_flagged,
        "member_without_post_flagged": flagged_members,
        "flags_on_unlabelled_pairs": unlabelled,
    }


def _table(figures: dict, split: str) -> str:
    mode = " — each writer checked alone (pairs)" if figures.get("mode") == "pairs" else ""
    mode += f", layout {figures['layout']}" if figures.get("layout", "as_written") != "as_written" else ""
    lines = [f"Cross-report checks, split {split}{mode} ({', '.join(figures['sets'])})", ""]
    for name, values in figures.get("links", {}).items():
        if name == "basis":
            lines.append(f"  units grouped by: {values}")
            continue
        lines.append(
            f"  link {name:<20} P {_f(values['precision'])}  R {_f(values['recall'])}  (gold {values['gold']})"
        )
    r = figures["responsible"]
    lines.append(f"  responsible pairs        P {_f(r['precision'])}  R {_f(r['recall'])}  (gold {r['gold']})")
    for check in ("collective", "previous"):
        data = figures[check]
        lines.append(f"  {check}: verdict accuracy {_f(data['accuracy'])} (n {data['n']})")
        if "outcome_accuracy" in data:
            lines.append(f"    outcome of reported items: accuracy {_f(data['outcome_accuracy'])}")
        for verdict, v in data["verdicts"].items():
            lines.append(f"    {verdict:<16} n {v['n']:>3}  accuracy {_f(v['accuracy'])}")
        for rule, v in data["rules"].items():
            lines.append(
                f"    {rule:<36} n {v['n']:>3}  accuracy {_f(v['accuracy'])}  P {_f(v['precision'])}  R {_f(v['recall'])}"
            )
    goals = figures["goal_flags"]
    lines.append(
        f"  flags on owned items: {goals['owned_but_flagged']}; on members without a post: "
        f"{goals['member_without_post_flagged']}; on pairs with no gold verdict (not responsible in the labels): "
        f"{goals['flags_on_unlabelled_pairs']}"
    )
    return "\n".join(lines)


def _f(value: float | None) -> str:
    return "  —  " if value is None else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.cross.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev", choices=["train", "dev", "test"])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--errors", action="store_true", help="also print every error")
    parser.add_argument(
        "--cache",
        type=Path,
        help="keep the analyses in this folder (by text hash, under the analyser's key) between runs",
    )
    parser.add_argument("--matcher", choices=matcher_names(), help="the sentence encoder (default: matching.default)")
    parser.add_argument(
        "--sets", nargs="*", metavar="L13", help="only these sets of the split (e.g. the newest test part)"
    )
    parser.add_argument(
        "--pairs",
        action="store_true",
        help="check each writer's report alone against the collective and last year's report, as one reviewer does",
    )
    parser.add_argument(
        "--layout",
        default="as_written",
        choices=[*LAYOUTS, *EXTRA_LAYOUTS],
        help="re-lay every report before it is analysed (one_line: pasted as one paragraph; pdf: read from a PDF …)",
    )
    args = parser.parse_args(argv)
    sets = [s for s in load_sets(args.split) if not args.sets or s[0].name in args.sets]
    if not sets:
        print(f"no linked sets of split {args.split} in {LINKED} (sets: {args.sets or 'all'})", file=sys.stderr)
        return 1
    reports = analyse_sets(sets, args.cache, args.layout)
    if args.pairs:
        figures, errors = evaluate_pairs(sets, pair_checks(sets, reports, Matcher(name=args.matcher)))
    else:
        figures, errors = evaluate(sets, cross_check(reports, matcher=Matcher(name=args.matcher)))
    if args.layout != "as_written":
        figures["layout"] = args.layout
    print(json.dumps(figures, ensure_ascii=False, indent=2) if args.json else _table(figures, args.split))
    if args.errors:
        for error in errors:
            print(json.dumps(error, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
