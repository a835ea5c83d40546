"""The form's own instructions left in a report: one ``input.form_instructions`` finding per report.

The segmenter marks the units that are the form's prompts as structural units with ``kind == "prompt"``
(found with :func:`nlp.prompts.find_prompts`). A numbered item title of the form (kind ``item`` in
``form_prompts.yaml``) is normal to keep and does not count; the italic instructions, the guide's lead-ins,
the rating options and the self-scoring blanks do. When no unit is marked as a prompt (a segmenter that does
not mark them), the prompts are looked up in the text itself.
"""

from __future__ import annotations

from nlp.catalog import make_finding
from nlp.doc import Doc, Unit
from nlp.prompts import INSTRUCTION_KINDS, PromptSpan, find_prompts
from nlp.schema import Finding

RULE = "input.form_instructions"


def _instructions(spans: list[PromptSpan]) -> list[PromptSpan]:
    return [s for s in spans if s.kind in INSTRUCTION_KINDS]


def form_instruction_findings(doc: Doc, lang: str = "vi", *, search_text: bool = True) -> list[Finding]:
    """One finding on the first prompt unit when the report carries the form's instructions, else none.
    ``search_text=False`` trusts the segmenter's marks (the pipeline's layout stage has already searched)."""
    marked = [(i, u) for i, u in enumerate(doc.units) if u.kind == "prompt"]
    if not marked and not search_text:
        return []
    if marked:
        hits = [(i, u) for i, u in marked if _instructions(find_prompts(u.text, u.folded))]
        if not hits:
            return []
        index, unit = hits[0]
        return [_finding(unit.start, unit.end, len(hits), lang, index, unit.section)]
    spans = _instructions(find_prompts(doc.text, doc.folded))
    if not spans:
        return []
    first = spans[0]
    index, unit = _unit_at(doc, first.start)
    return [_finding(first.start, first.end, len(spans), lang, index, unit.section if unit else first.section)]


def _unit_at(doc: Doc, offset: int) -> tuple[int | None, Unit | None]:
    for index, unit in enumerate(doc.units):
        if unit.start <= offset < unit.end:
            return index, unit
    return None, None


def _finding(start: int, end: int, count: int, lang: str, sentence: int | None, section: str | None) -> Finding:
    phrase = f"{count} đoạn" if lang == "vi" else (f"{count} passage" if count == 1 else f"{count} passages")
    return make_finding(RULE, start, end, lang=lang, phrase=phrase, sentence=sentence, section=section)
