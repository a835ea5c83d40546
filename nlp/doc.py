"""The internal document the pipeline stages fill in, in the spirit of spaCy's ``Doc``/``Span``.

Stages read and write this object; :mod:`nlp.pipeline` turns it into the public
:class:`nlp.schema.AnalysisResult`. Every offset indexes into ``Doc.text`` (the normalised text).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nlp.lexicon import Hit
from nlp.normalize import fold
from nlp.schema import Finding, Header


@dataclass(slots=True)
class Line:
    """One line of the text with its offsets and folded form."""

    start: int
    end: int
    text: str
    folded: str


@dataclass(slots=True)
class SectionSpan:
    """A section found by the segmenter."""

    id: str
    title: str
    start: int
    end: int
    heading_end: int
    level: int
    decided_by: str = "heading"  # "heading" (a heading in the text) or "inferred" (from what the units say)


@dataclass(slots=True)
class Unit:
    """A sentence unit: a sentence, a list item, or a structural line (heading, header, signature)."""

    start: int
    end: int
    section: str | None
    structural: bool
    kind: str  # "content" | "item" | "heading" | "header" | "field" | "signature" | "rating" | "prompt" | "page"
    text: str
    folded: str
    words: list[tuple[int, int]] = field(default_factory=list)  # word spans, absolute offsets
    hits: list[Hit] = field(default_factory=list)  # lexicon hits, offsets relative to the unit
    anchors: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # relative offsets
    generic: float = 0.0
    evasive: float = 0.0
    labels: list[str] = field(default_factory=list)

    def lexicon_hits(self, name: str) -> list[Hit]:
        """Hits of one lexicon in this unit."""
        return [h for h in self.hits if h.lexicon == name]

    def has(self, name: str) -> bool:
        """True if any phrase of lexicon ``name`` occurs in the unit."""
        return any(h.lexicon == name for h in self.hits)


@dataclass
class Doc:
    """The report being analysed."""

    text: str
    diacritics: bool = True
    folded: str = ""
    view: str = ""  # the text as the analysis reads it: line breaks and page marks as spaces (same length)
    view_folded: str = ""
    lines: list[Line] = field(default_factory=list)  # logical lines (nlp.layout), not physical ones
    sections: list[SectionSpan] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    header: Header = field(default_factory=Header.model_construct)
    form: str = "unknown"
    guidance: str | None = None
    role: str = "unknown"
    form_code_written: str | None = None
    self_rating: str | None = None
    self_rating_span: tuple[int, int] | None = None
    self_score: float | None = None
    self_score_parts: dict[str, float] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    scope: str = "report"  # "report" | "fragment": a whole report, or a paragraph or section pasted alone

    def __post_init__(self) -> None:
        if not self.folded:
            self.folded = fold(self.text)
        if not self.view:
            self.view, self.view_folded = self.text, self.folded

    def section_ids(self) -> set[str]:
        """Ids of the sections present."""
        return {s.id for s in self.sections}

    def units_in(self, *section_ids: str, content_only: bool = True) -> list[Unit]:
        """Units of the given sections (content units only unless told otherwise)."""
        return [u for u in self.units if u.section in section_ids and (not content_only or not u.structural)]

    @property
    def content_units(self) -> list[Unit]:
        """Every non-structural unit."""
        return [u for u in self.units if not u.structural]
