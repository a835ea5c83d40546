"""Reviewers' feedback: confirm or dismiss a finding, keep it locally, export it, measure and learn from it.

- :mod:`nlp.feedback.model`: a decision (:class:`FeedbackDecision`) and :func:`decision_for`, which builds one
  from an analysis result, taking the sentence from the result;
- :mod:`nlp.feedback.store`: the SQLite store (:class:`FeedbackStore`; a ``None`` path means feedback is off);
- :mod:`nlp.feedback.export`: corpus units, Label Studio tasks, doccano JSONL;
- :mod:`nlp.feedback.evaluate`: precision per rule and per sentence label;
- :mod:`nlp.feedback.training`: decisions as training data for the train split.
- :mod:`nlp.feedback.cross`: decisions on cross-report findings (the other report they need).

What is stored, where, and how to export and retrain: ``docs/FEEDBACK.md``.
"""

from nlp.feedback.model import FeedbackDecision, FindingRef, decision_for, report_hash
from nlp.feedback.store import FeedbackStore, dismissed_for, open_store, record

__all__ = [
    "FeedbackDecision",
    "FeedbackStore",
    "FindingRef",
    "decision_for",
    "dismissed_for",
    "open_store",
    "record",
    "report_hash",
]
