"""Scope: was a whole report given, or a fragment (a pasted paragraph, a single section)?

A fragment is analysed sentence by sentence as usual, but nothing is claimed about the parts it does not contain:
no missing sections, no band. Cues are data (``nlp/data/structure.yaml``, ``scope``).
"""

from __future__ import annotations

from functools import cache

from nlp.doc import Doc
from nlp.lexicon import load_yaml

ACHIEVEMENT_FAMILY = {"achievements", "ideology_ethics", "duties", "commitments"}


@cache
def _config() -> dict:
    return load_yaml("structure.yaml")["scope"]


def _group(section: str) -> str:
    return "achievements" if section in ACHIEVEMENT_FAMILY else section


def decide_scope(doc: Doc) -> str:
    """ "report" when the text shows a report's frame (header fields, title, signature, self-rating) or enough of
    its parts under headings; otherwise "fragment"."""
    config = _config()
    frame_kinds = {"field", "signature"}
    if any(u.kind in frame_kinds for u in doc.units) or doc.self_rating is not None:
        return "report"
    titles = " ".join(
        u.folded
        for u in doc.units
        if u.structural and u.start < config["title_window"] and len(u.folded.split()) <= config["title_max_words"]
    )
    if any(cue in titles for cue in config["title_cues"]):
        return "report"
    parts = {_group(s.id) for s in doc.sections if s.decided_by == "heading"} - {"header", "signature"}
    if len(parts) >= config["min_heading_parts"]:
        return "report"
    inferred = {_group(u.section) for u in doc.content_units if u.section} - {"header", "signature"}
    if len(doc.content_units) >= config["min_units_long"] and len(inferred) >= config["min_parts_long"]:
        return "report"
    return "fragment"
