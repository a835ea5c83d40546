"""Sentence-level rules: candidate *generic* and *evasive* cues in each sentence unit, in context.

A candidate is evidence, not yet a finding: the :class:`~nlp.classify.SentenceClassifier` turns the
candidates and the sentence's anchors into probabilities, and only sentences whose label is set get
their candidates reported as findings. Legitimate uses (“một số” followed by the items, a hedge inside
an owned, dated incident, an objective cause next to a subjective one) are recognised here or lowered
by the anchors in the classifier.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from nlp.doc import Doc, Unit
from nlp.features import anchor_kinds, is_first_person
from nlp.lexicon import Hit
from nlp.schema import SECTION_IDS

SHORTCOMING_SECTIONS = {"shortcomings", "causes", "collective_responsibility", "suggested_issues"}
ANCHOR_EXPECTED = set(SECTION_IDS) - {"header", "self_rating", "signature"}
NOT_CLASSIFIED = {"header", "self_rating", "signature", None}
_ENUMERATION_AFTER = re.compile(r"^[^\.;]{0,40}?(?::\s*\S|\(\s*\S*\d|\bgom\b|\bla\b\s+\S+\s*,|\bnhu\b\s+\S+\s*,)")
_ACTIVITY = re.compile(r"^(?:luon |da )?(tham gia|tham du|du day du|hoc tap,? quan triet|quan triet)\b")
_INTRO = re.compile(r":\s*$")


@dataclass(frozen=True, slots=True)
class Candidate:
    """Evidence for one rule in one unit (offsets relative to the unit)."""

    rule: str
    start: int
    end: int
    phrase: str
    strength: float = 1.0  # < 1 where context makes the cue weaker (e.g. a subjective cause elsewhere)


@dataclass
class Context:
    """Report-level facts the sentence rules need."""

    causes_have_subjective: bool
    collective_faults: bool


def build_context(doc: Doc) -> Context:
    """Facts shared by the sentence rules of one report."""
    causes = doc.units_in("causes") or doc.units_in("shortcomings")
    subjective = any(u.has("subjective_cause") or _owned_cause(u) for u in causes)
    shortcomings = doc.units_in("shortcomings", "causes")
    collective = any(u.has("collective_subject") and u.has("shortcoming") for u in shortcomings)
    return Context(causes_have_subjective=subjective, collective_faults=collective)


def _owned_cause(unit: Unit) -> bool:
    return is_first_person(unit) and (unit.has("cause_marker") or unit.has("subjective_cause"))


def _first(unit: Unit, lexicon: str) -> Hit | None:
    hits = unit.lexicon_hits(lexicon)
    return max(hits, key=lambda h: h.end - h.start) if hits else None


def _candidate(rule: str, hit: Hit) -> Candidate:
    return Candidate(rule, hit.start, hit.end, hit.phrase)


def _whole(rule: str, unit: Unit, phrase: str = "") -> Candidate:
    return Candidate(rule, 0, len(unit.text), phrase)


def _enumerated_after(unit: Unit, hit: Hit) -> bool:
    return bool(_ENUMERATION_AFTER.search(unit.folded[hit.end :]))


def _in_shortcoming_context(unit: Unit) -> bool:
    return unit.section in SHORTCOMING_SECTIONS or (
        unit.section not in {"remedies", "previous_remediation"} and unit.has("shortcoming")
    )


# --- generic -------------------------------------------------------------------------------------


def stock_phrase(unit: Unit, ctx: Context) -> list[Candidate]:
    hit = _first(unit, "stock")
    return [_candidate("generic.stock_phrase", hit)] if hit else []


def stock_self_criticism(unit: Unit, ctx: Context) -> list[Candidate]:
    hit = _first(unit, "stock_self_criticism")
    if hit is None or unit.anchors.get("case") or unit.anchors.get("named"):
        return []
    return [_candidate("generic.stock_self_criticism", hit)]


def no_anchor(unit: Unit, ctx: Context) -> list[Candidate]:
    if unit.section not in ANCHOR_EXPECTED or anchor_kinds(unit) or _INTRO.search(unit.text):
        return []
    if len(unit.words or unit.text.split()) < 5:
        return []
    return [_whole("generic.no_anchor", unit)]


def vague_quantity(unit: Unit, ctx: Context) -> list[Candidate]:
    for hit in unit.lexicon_hits("vague_quantity"):
        if not _enumerated_after(unit, hit) and not unit.has("unnamed_agent"):
            return [_candidate("generic.vague_quantity", hit)]
    return []


def activity_without_outcome(unit: Unit, ctx: Context) -> list[Candidate]:
    if _ACTIVITY.search(unit.folded) and not anchor_kinds(unit):
        return [_whole("generic.activity_without_outcome", unit)]
    return []


def stock_responsibility(unit: Unit, ctx: Context) -> list[Candidate]:
    hit = _first(unit, "stock_responsibility")
    if hit is None or anchor_kinds(unit):
        return []
    return [_candidate("accountability.stock_responsibility", hit)]


# --- evasive -------------------------------------------------------------------------------------


def hedge(unit: Unit, ctx: Context) -> list[Candidate]:
    if not _in_shortcoming_context(unit):
        return []
    hit = _first(unit, "hedge")
    return [_candidate("evasive.hedge", hit)] if hit else []


def unnamed_agent(unit: Unit, ctx: Context) -> list[Candidate]:
    if unit.section in {"achievements", "ideology_ethics", "duties", "commitments"} and not unit.has("shortcoming"):
        return []
    for hit in unit.lexicon_hits("unnamed_agent"):
        if not _enumerated_after(unit, hit):
            return [_candidate("evasive.unnamed_agent", hit)]
    return []


def denial(unit: Unit, ctx: Context) -> list[Candidate]:
    if unit.section in {"previous_remediation", "suggested_issues", "remedies"}:
        return []
    if unit.section == "collective_responsibility" and not ctx.collective_faults:
        return []
    for hit in unit.lexicon_hits("denial"):
        if hit.phrase == "không có gì" and unit.section not in {"shortcomings", "causes"}:
            continue
        return [_candidate("evasive.denial", hit)]
    return []


def objective_cause(unit: Unit, ctx: Context) -> list[Candidate]:
    is_cause = unit.section == "causes" or (unit.has("cause_marker") and _in_shortcoming_context(unit))
    if not is_cause or unit.has("subjective_cause") or _owned_cause(unit):
        return []
    hit = _first(unit, "objective_cause")
    if hit is None:
        return []
    strength = 0.35 if unit.section == "causes" and ctx.causes_have_subjective else 1.0
    return [Candidate("evasive.objective_cause", hit.start, hit.end, hit.phrase, strength)]


def deflection(unit: Unit, ctx: Context) -> list[Candidate]:
    if not (_in_shortcoming_context(unit) or unit.section == "collective_responsibility"):
        return []
    hit = _first(unit, "deflection")
    return [_candidate("evasive.deflection", hit)] if hit else []


def agentless(unit: Unit, ctx: Context) -> list[Candidate]:
    if not _in_shortcoming_context(unit) or is_first_person(unit):
        return []
    hit = _first(unit, "agentless_problem")
    return [_candidate("evasive.agentless", hit)] if hit else []


def vague_remedy(unit: Unit, ctx: Context) -> list[Candidate]:
    if unit.section not in {"remedies", "previous_remediation"}:
        return []
    if unit.anchors.get("deadline") or unit.anchors.get("date") or unit.has("deadline"):
        return []
    hit = _first(unit, "vague_time") or _first(unit, "intent")
    if hit is None:
        return []
    if unit.anchors.get("number") or unit.anchors.get("document") or unit.anchors.get("case"):
        return [Candidate("evasive.vague_remedy", hit.start, hit.end, hit.phrase, 0.5)]
    return [_candidate("evasive.vague_remedy", hit)]


def harmony(unit: Unit, ctx: Context) -> list[Candidate]:
    hit = _first(unit, "harmony")
    return [_candidate("evasive.harmony", hit)] if hit else []


def deference(unit: Unit, ctx: Context) -> list[Candidate]:
    hit = _first(unit, "deference")
    return [_candidate("evasive.deference", hit)] if hit else []


def prompt_unanswered(unit: Unit, ctx: Context) -> list[Candidate]:
    if unit.section != "suggested_issues" and "goi y" not in unit.folded:
        return []
    hit = _first(unit, "prompt_acceptance")
    if hit is None or anchor_kinds(unit):
        return []
    return [_candidate("evasive.prompt_unanswered", hit)]


SENTENCE_RULES: tuple[Callable[[Unit, Context], list[Candidate]], ...] = (
    stock_phrase,
    stock_self_criticism,
    no_anchor,
    vague_quantity,
    activity_without_outcome,
    stock_responsibility,
    hedge,
    unnamed_agent,
    denial,
    objective_cause,
    deflection,
    agentless,
    vague_remedy,
    harmony,
    deference,
    prompt_unanswered,
)


def sentence_candidates(doc: Doc) -> list[list[Candidate]]:
    """Candidates of every unit (empty for structural and unclassified units), in unit order."""
    ctx = build_context(doc)
    result: list[list[Candidate]] = []
    for unit in doc.units:
        if unit.structural or unit.section in NOT_CLASSIFIED:
            result.append([])
            continue
        result.append([c for rule in SENTENCE_RULES for c in rule(unit, ctx)])
    return result
