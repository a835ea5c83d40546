"""Sentence classification: the ``SentenceClassifier`` interface and its rule-based implementation.

A classifier gives, for every sentence unit of a report, the probability that it is *generic* and
that it is *evasive*; labels follow from its thresholds. The rules implementation combines the
candidates of :mod:`nlp.detect.sentence_rules` (noisy-OR of their weights) and lowers them by the
concrete anchors of the sentence. A trained model implements the same interface and replaces it
without touching callers (``analyze(text, classifier=...)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from nlp.catalog import rule_weight, rules
from nlp.detect.sentence_rules import Candidate
from nlp.doc import Doc, Unit
from nlp.features import anchor_kinds, is_first_person

GENERIC_RULES_CATEGORY = {"generic", "accountability"}


@dataclass(frozen=True, slots=True)
class SentenceScores:
    """Probabilities for one sentence unit."""

    generic: float
    evasive: float
    kinds: tuple[tuple[str, float], ...] = ()  # evasion sub-kinds a model recognises (above its thresholds)


@runtime_checkable
class SentenceClassifier(Protocol):
    """Interface of every sentence classifier (rules today, trained models later)."""

    name: str
    generic_threshold: float
    evasive_threshold: float

    def predict(self, doc: Doc, candidates: list[list[Candidate]]) -> list[SentenceScores]:
        """Scores for each unit of ``doc`` (0 for structural units), in unit order."""
        ...


class RuleSentenceClassifier:
    """Probabilities from rule evidence: noisy-OR of candidate weights, lowered by concrete anchors.

    Parameters
    ----------
    anchor_factor:
        Multiplier of the generic probability per distinct kind of anchor in the sentence.
    owned_factor:
        Multiplier of the evasive probability when the writer owns a specific incident
        (first person plus at least one anchor).
    """

    name = "rules-v1"

    def __init__(
        self,
        generic_threshold: float = 0.5,
        evasive_threshold: float = 0.5,
        anchor_factor: float = 0.45,
        owned_factor: float = 0.3,
    ) -> None:
        self.generic_threshold = generic_threshold
        self.evasive_threshold = evasive_threshold
        self.anchor_factor = anchor_factor
        self.owned_factor = owned_factor

    def predict(self, doc: Doc, candidates: list[list[Candidate]]) -> list[SentenceScores]:
        return [self._score(unit, found) for unit, found in zip(doc.units, candidates, strict=True)]

    def _score(self, unit: Unit, found: list[Candidate]) -> SentenceScores:
        if unit.structural or not found:
            return SentenceScores(0.0, 0.0)
        kinds = anchor_kinds(unit)
        generic_keep, evasive_keep = 1.0, 1.0
        for candidate in found:
            rule = rules()[candidate.rule]
            weight = rule_weight(candidate.rule) * candidate.strength
            if rule["category"] in GENERIC_RULES_CATEGORY:
                generic_keep *= 1.0 - weight
            else:
                if rule.get("anchors_reduce", True):
                    weight *= self._evasive_anchor_factor(unit, kinds)
                evasive_keep *= 1.0 - weight
        generic = (1.0 - generic_keep) * self.anchor_factor ** len(kinds)
        owner = is_first_person(unit) or unit.has("collective_subject")
        if owner and unit.has("subjective_cause"):
            generic *= 0.5
        elif is_first_person(unit) and unit.has("cause_marker"):
            generic *= 0.6
        return SentenceScores(round(generic, 3), round(1.0 - evasive_keep, 3))

    def _evasive_anchor_factor(self, unit: Unit, kinds: list[str]) -> float:
        specific = [k for k in kinds if k not in {"quoted", "person"}]
        if not specific:
            return 1.0
        if is_first_person(unit) or unit.has("subjective_cause"):
            return self.owned_factor
        return 0.65 if len(specific) == 1 else 0.45


def default_classifier() -> SentenceClassifier:
    """The classifier ``analyze`` uses when none is given: the shipped model named in ``models/DEFAULT``
    (loaded once per process), or the rules when no trained model is installed."""
    from nlp.model import default_model_name, load_classifier

    return load_classifier(default_model_name())
