"""What both renderers share: interface strings, display names, and a view of a result by sentence.

:func:`build_view` groups the findings by sentence, orders the categories, numbers the marked sentences
(the number links a sentence to its note) and keeps the report-level findings apart.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache

from nlp.catalog import label
from nlp.data import load_data
from nlp.schema import AnalysisResult, Finding, Sentence

#: Categories in the order they are listed (legend, data-categories, summaries).
CATEGORY_ORDER: tuple[str, ...] = (
    "generic",
    "evasive",
    "accountability",
    "completeness",
    "consistency",
    "specificity",
    "input",
)
#: The category whose colour a sentence with several categories takes (most serious first).
CATEGORY_PRIORITY: tuple[str, ...] = (
    "consistency",
    "accountability",
    "evasive",
    "generic",
    "completeness",
    "input",
    "specificity",
)
#: The five problem categories a reviewer filters on; ``specificity`` marks good points.
MAIN_CATEGORIES: tuple[str, ...] = ("generic", "evasive", "accountability", "completeness", "consistency")
SCORE_ORDER: tuple[str, ...] = ("overall", "specificity", "candor", "accountability", "completeness")


@cache
def strings() -> dict:
    """The renderers' own interface strings (``nlp/render/strings.yaml``)."""
    return load_data("strings.yaml", __package__)


def t(key: str, lang: str = "vi", **values: object) -> str:
    """Interface string ``key`` in ``lang``, with ``{placeholders}`` filled."""
    entry = strings()["ui"][key]
    text = entry.get(lang) or entry["vi"]
    return text.format(**values) if values else text


def group_text(group: str, key: str, lang: str = "vi") -> str:
    """An entry of another group of ``strings.yaml`` (``category_help``, ``formats``…)."""
    entry = strings().get(group, {}).get(key)
    if entry is None:
        return key
    if isinstance(entry, str):
        return entry
    return entry.get(lang) or entry.get("vi", key)


def band_hint(band: str, lang: str = "vi") -> str:
    entry = strings()["ui"]["band_hint"].get(band, {})
    return entry.get(lang) or entry.get("vi", "")


def category_name(category: str, lang: str = "vi") -> str:
    return label("categories", category, lang)


def sort_categories(categories: set[str] | list[str]) -> list[str]:
    known = [c for c in CATEGORY_ORDER if c in categories]
    return known + sorted(c for c in set(categories) if c not in CATEGORY_ORDER)


def primary_category(categories: list[str]) -> str | None:
    for category in CATEGORY_PRIORITY:
        if category in categories:
            return category
    return categories[0] if categories else None


def form_text(result: AnalysisResult, lang: str = "vi") -> str:
    """``Mẫu 02A`` (HD 25) / ``Mẫu 2B`` (HD 43, written as that regime writes it) / not determined."""
    if result.form == "unknown":
        return t("form_unknown", lang)
    code = result.form
    if result.guidance == "HD43-2025" and code != "01":
        code = code.lstrip("0")
    return t("form_code", lang, code=code)


def regime_text(result: AnalysisResult, lang: str = "vi") -> str:
    if result.guidance is None:
        return t("regime_unknown", lang)
    return label("guidance", result.guidance, lang)


def rating_text(rating: str | None, lang: str = "vi") -> str | None:
    """The self-rating level for display (English adds the Vietnamese wording in brackets)."""
    if not rating:
        return None
    entry = strings().get("ratings", {}).get(rating)
    if not entry:
        return rating
    return entry["vi"] if lang == "vi" else f"{entry.get(lang, entry['vi'])} ({rating})"


def number(value: float | None) -> str:
    """A score or point count without a useless ``.0``; Vietnamese and English both shown with a point."""
    if value is None:
        return ""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def self_score_text(result: AnalysisResult, lang: str = "vi") -> str | None:
    if result.self_score is None:
        return None
    text = f"{number(result.self_score)}/100"
    parts = result.self_score_parts
    if "general" in parts and "tasks" in parts:
        text += " (" + t("self_score_parts", lang, general=number(parts["general"]), tasks=number(parts["tasks"])) + ")"
    return text


def source_notes(result: AnalysisResult, lang: str = "vi") -> list[str]:
    """Lines describing how the text was obtained (format, legacy font conversion, no diacritics, notes)."""
    source = result.source
    lines = [t("source_format", lang, fmt=group_text("formats", source.format, lang))]
    if source.encoding:
        lines.append(t("source_encoding", lang, enc=source.encoding))
    if source.legacy_font:
        lines.append(t("source_legacy_font", lang, font=source.legacy_font))
    if not source.diacritics:
        lines.append(t("source_no_diacritics", lang))
    lines.extend(translate_note(note, lang) for note in source.notes if note)
    return lines


def translate_note(note: str, lang: str) -> str:
    """Ingest notes are short English facts ("2 tables", "converted from TCVN3 (12 lines)"); say them in ``lang``
    by the patterns of ``strings.yaml`` (``notes``), or as they are when no pattern fits."""
    if lang == "en":
        return note
    for pattern, template in _note_patterns():
        match = pattern.fullmatch(note)
        if match:
            return template.format(*match.groups())
    return note


@cache
def _note_patterns() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(item["en"]), item["vi"]) for item in strings().get("notes", [])]


@dataclass
class SentenceView:
    """One sentence with its categories, its findings and, when marked, its note number."""

    index: int
    sentence: Sentence
    categories: list[str]
    findings: list[tuple[int, Finding]] = field(default_factory=list)
    number: int | None = None
    heading: bool = False

    @property
    def start(self) -> int:
        return self.sentence.start

    @property
    def end(self) -> int:
        return self.sentence.end

    @property
    def flagged(self) -> bool:
        return bool(self.categories)

    @property
    def primary(self) -> str | None:
        return primary_category(self.categories)

    @property
    def counted_categories(self) -> list[str]:
        """The categories that count: a category whose every finding here a reviewer dismissed does not (the
        sentence stays marked, its dismissed findings shown as dismissed)."""
        kept = {finding.category for _, finding in self.findings if finding.review != "dismissed"}
        dismissed = {finding.category for _, finding in self.findings if finding.review == "dismissed"} - kept
        return [category for category in self.categories if category not in dismissed]


@dataclass
class ReportView:
    result: AnalysisResult
    sentences: list[SentenceView]
    report_findings: list[tuple[int, Finding]]
    _starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._starts = [view.start for view in self.sentences]

    def sentence_at(self, offset: int) -> SentenceView | None:
        """The sentence containing ``offset``, else the first sentence after it (within 200 chars)."""
        position = bisect.bisect_right(self._starts, offset) - 1
        if position >= 0 and self.sentences[position].start <= offset < max(
            self.sentences[position].end, self.sentences[position].start + 1
        ):
            return self.sentences[position]
        following = position + 1
        if following < len(self.sentences) and self.sentences[following].start - offset <= 200:
            return self.sentences[following]
        return None

    def flagged(self) -> list[SentenceView]:
        return [view for view in self.sentences if view.flagged]

    def sentence_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for view in self.sentences:
            for category in view.counted_categories:
                counts[category] = counts.get(category, 0) + 1
        return counts

    def finding_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.result.findings:
            if finding.review != "dismissed":  # a reviewer's dismissal takes it out of the counts
                counts[finding.category] = counts.get(finding.category, 0) + 1
        return counts


def build_view(result: AnalysisResult) -> ReportView:
    """Sentences (in text order) with their categories and findings; findings without a sentence apart."""
    by_sentence: dict[int, list[tuple[int, Finding]]] = {}
    report_level: list[tuple[int, Finding]] = []
    count = len(result.sentences)
    for position, finding in enumerate(result.findings):
        if finding.sentence is not None and 0 <= finding.sentence < count:
            by_sentence.setdefault(finding.sentence, []).append((position, finding))
        else:
            report_level.append((position, finding))
    headings = {(section.start, section.heading_end or section.start) for section in result.sections}
    heading_ranges = [(start, end) for start, end in headings if end > start]
    views: list[SentenceView] = []
    for index, sentence in enumerate(result.sentences):
        found = by_sentence.get(index)
        if found:
            findings = sorted(found, key=lambda item: (item[1].start, item[0]))
            categories = sort_categories({*sentence.labels, *(finding.category for _, finding in findings)})
        else:  # most sentences: no finding, and few labels
            findings = []
            categories = sort_categories(sentence.labels) if sentence.labels else []
        heading = sentence.structural and any(start <= sentence.start < end for start, end in heading_ranges)
        views.append(SentenceView(index, sentence, categories, findings, heading=heading))
    views.sort(key=lambda view: (view.start, view.end, view.index))
    for n, view in enumerate((view for view in views if view.flagged), start=1):
        view.number = n
    return ReportView(result, views, report_level)
