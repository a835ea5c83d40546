"""Reviewers' decisions in a batch's outputs: a finding dismissed in the feedback store shows as dismissed.

Workers never open the feedback store (a Dask worker may not even see the driver's disk): they write each report's
plain analysis. At the end of every run — the first, or one with ``--resume`` — the driver reads the decisions once
and, for each report that has some (matched by :func:`~nlp.feedback.model.report_hash`), or whose files carried
some last time (a decision withdrawn since), reloads the per-report JSON, sets every finding's ``review`` afresh
(:func:`~nlp.feedback.apply.apply_decisions`), writes the JSON and HTML page again and recomputes the report's
summary row, so that dismissed findings leave the workbook's counts and columns (:func:`~nlp.batch.worker.summarise`).
Reports without decisions are not touched. A cross-report finding (``--cross-check``) is matched by its evidence's
offsets too, so a decision taken on the page or through the API on the same comparison (the same report and the
same other report, hence the same offsets) shows here as well. With no store configured, the feedback store is neither read nor
written; only reports that still carry decisions from an earlier run are rewritten without them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from nlp.batch.store import Store
from nlp.batch.worker import summarise, write_atomic
from nlp.feedback.apply import apply_decisions
from nlp.feedback.model import FeedbackDecision, report_hash
from nlp.feedback.store import open_store

#: The summary-row fields that depend on reviewers' decisions.
REVIEWED_FIELDS = ("findings", "findings_by_category", "stock_phrases", "generic", "evasive", "dismissed")


@dataclass
class ReviewSummary:
    """What applying the decisions did in one run."""

    reports: int = 0  # distinct reports whose files carry decisions
    dismissed: int = 0  # findings dismissed in them


def check_store(path: Path | None) -> None:
    """Open the configured feedback store once before the batch starts, so that an unusable one (not a kiemdiem
    store, a newer version) stops it with KD-E014 before any file is read. Nothing is created."""
    store = open_store(path)
    if store is not None:
        store.stats()


def decisions_by_report(path: Path | None) -> dict[str, list[FeedbackDecision]]:
    """Every stored decision, by report hash (empty when feedback is off or the store does not exist yet)."""
    store = open_store(path)
    grouped: dict[str, list[FeedbackDecision]] = defaultdict(list)
    for decision in store.decisions() if store is not None else ():
        grouped[decision.report_hash].append(decision)
    return grouped


def apply_reviews(
    results: list[dict],
    out_dir: Path,
    store: Store,
    feedback: Path | None,
    lang: str,
    main_findings: int,
    stock_phrase_rules: tuple[str, ...],
) -> ReviewSummary:
    """Apply the decisions in the feedback store at ``feedback`` to the result rows of a run (updated in place)
    and to their per-report files; ``store`` remembers which reports carry decisions."""
    from nlp.render import render_html
    from nlp.schema import AnalysisResult

    decisions = decisions_by_report(feedback)
    marked = store.reviewed()
    if not decisions and not marked:
        return ReviewSummary()
    by_sha: dict[str, list[dict]] = defaultdict(list)
    for row in results:
        by_sha[row["sha256"]].append(row)
    summary = ReviewSummary()
    for sha256, rows in by_sha.items():
        key = rows[0].get("report_hash")
        if sha256 not in marked and (not decisions or (key is not None and key not in decisions)):
            continue
        path = out_dir / rows[0]["json"]
        try:
            result = AnalysisResult.model_validate_json(path.read_bytes())
        except (OSError, ValueError):
            continue  # the files went missing: the next --resume analyses the report again
        key = report_hash(result.text)
        plain = [f.model_copy(update={"review": None}) if f.review else f for f in result.findings]
        reviewed = apply_decisions(result.model_copy(update={"findings": plain}), decisions.get(key, ()))
        write_atomic(str(path), reviewed.model_dump_json().encode("utf-8"))
        write_atomic(str(out_dir / rows[0]["html"]), render_html(reviewed, lang=lang).encode("utf-8"))
        row = summarise(reviewed, main_findings, stock_phrase_rules)
        for target in rows:
            target.update({name: row[name] for name in REVIEWED_FIELDS})
        carries = any(f.review for f in reviewed.findings)
        store.set_reviewed(sha256, carries)
        if carries:
            summary.reports += 1
            summary.dismissed += row["dismissed"]
    store.commit()
    return summary
