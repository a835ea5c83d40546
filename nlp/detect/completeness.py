"""Completeness: the parts the detected form requires, empty parts, and template leftovers."""

from __future__ import annotations

import re
from functools import cache

from nlp.catalog import label, make_finding
from nlp.doc import Doc
from nlp.lexicon import load_yaml
from nlp.schema import SECTION_IDS, Finding

ACHIEVEMENT_FAMILY = {"achievements", "ideology_ethics", "duties", "commitments"}
SECTION_ORDER = SECTION_IDS
_PLACEHOLDER = re.compile(r"…{2,}|\.{4,}|_{4,}|\bnam 20\.\.|\[[^\]]{0,30}\]|\bx{3,}\b")
# Each branch of _PLACEHOLDER holds one of these: a unit with none of them has no placeholder (a few substring
# tests instead of the pattern tried at every character; tests/test_fast_paths_warm.py holds them together).
_PLACEHOLDER_CUES = ("…", "....", "____", "nam 20..", "[", "xxx")


@cache
def _required() -> dict[str, list[str]]:
    return load_yaml("structure.yaml")["required_sections"]


def missing_sections(doc: Doc) -> list[str]:
    """Required section ids that the report lacks (achievements is met by any of its sub-parts)."""
    present = doc.section_ids()
    if present & ACHIEVEMENT_FAMILY:
        present = present | {"achievements"}
    if "shortcomings" in present and "causes" not in present and _causes_inline(doc):
        present = present | {"causes"}
    return [s for s in _required().get(doc.role, _required()["unknown"]) if s not in present]


def _causes_inline(doc: Doc) -> bool:
    """Causes written inside the shortcomings part without a heading ("… do tôi …", "nguyên nhân là …")."""
    return any(u.has("cause_marker") for u in doc.units_in("shortcomings"))


def check_completeness(doc: Doc, lang: str = "vi") -> tuple[list[str], list[Finding]]:
    """Missing sections and the completeness findings."""
    missing = missing_sections(doc)
    findings = [_missing_finding(doc, section, lang) for section in missing]
    findings.extend(_empty_sections(doc, lang))
    findings.extend(_placeholders(doc, lang))
    if doc.self_rating is None and "self_rating" not in missing:
        span = next(((s.start, s.heading_end) for s in doc.sections if s.id == "self_rating"), (0, 0))
        findings.append(make_finding("completeness.no_self_rating", *span, lang=lang, section="self_rating"))
    return missing, findings


def _missing_finding(doc: Doc, section: str, lang: str) -> Finding:
    """Anchor a missing part where it should have been: the heading of the part before it."""
    position = SECTION_ORDER.index(section)
    previous = [s for s in doc.sections if SECTION_ORDER.index(s.id) < position]
    if previous:
        anchor = previous[-1]
        start, end = anchor.start, anchor.heading_end
    elif doc.lines:
        start, end = doc.lines[0].start, doc.lines[0].end
    else:
        start, end = 0, 0
    return make_finding("completeness.missing_section", start, end, lang=lang, phrase=label("sections", section, lang))


def _empty_sections(doc: Doc, lang: str) -> list[Finding]:
    findings = []
    required = set(_required().get(doc.role, _required()["unknown"]))
    for section in doc.sections:
        if section.id not in required or section.id in {"self_rating"}:
            continue
        units = [u for u in doc.units if section.start <= u.start < max(section.end, section.start + 1)]
        same_id_later = [s for s in doc.sections if s.id == section.id and s.start > section.start]
        if not [u for u in units if not u.structural] and not same_id_later and not _has_children(doc, section):
            findings.append(
                make_finding(
                    "completeness.empty_section",
                    section.start,
                    section.heading_end,
                    lang=lang,
                    phrase=label("sections", section.id, lang),
                    section=section.id,
                )
            )
    return findings


def _has_children(doc: Doc, section) -> bool:
    following = [s for s in doc.sections if s.start > section.start]
    return bool(following) and following[0].level > section.level


def _placeholders(doc: Doc, lang: str) -> list[Finding]:
    findings = []
    for index, unit in enumerate(doc.units):
        if unit.section == "signature":
            continue
        folded = unit.folded
        match = _PLACEHOLDER.search(folded) if any(cue in folded for cue in _PLACEHOLDER_CUES) else None
        leftover = unit.lexicon_hits("form_leftover")
        if match:
            start, end, phrase = match.start(), match.end(), unit.text[match.start() : match.end()]
        elif leftover:
            hit = leftover[0]
            start, end, phrase = hit.start, hit.end, unit.text[hit.start : hit.end]
        else:
            continue
        findings.append(
            make_finding(
                "completeness.placeholder",
                unit.start + start,
                unit.start + end,
                lang=lang,
                phrase=phrase,
                sentence=index,
                section=unit.section,
            )
        )
    return findings
