"""The page renderer's shortcuts (issue 13, the cost of the cross-checks) give what the plain code gave: escaping only
strings that need it, section boundaries snapped by bisection, and sentence views built without sorting what has
nothing to sort."""

from __future__ import annotations

import random
from html import escape
from types import SimpleNamespace

from nlp.render.common import build_view, sort_categories
from nlp.render.html import _e, _effective_spans, _regions
from nlp.schema import Finding
from tests.conftest import EXAMPLES

SPECIAL = "&<>\"'"


def test_escaping_is_html_escape_with_quotes():
    draw = random.Random(5)
    alphabet = "aăâđêôơư ÁẮẦĐỆỘỢỮ\n\t;#x" + SPECIAL
    values: list[object] = ["", "&amp;", "<script>", "\"'", "Đồng chí A & B", 12, 3.5, None, True]
    values += ["".join(draw.choice(alphabet) for _ in range(draw.randint(0, 30))) for _ in range(2000)]
    for value in values:
        assert _e(value) == escape(str(value), quote=True), value


def _reference_regions(view, spans: dict[int, tuple[int, int]], length: int) -> list[tuple[int, int, int | None]]:
    """The regions as the first version computed them (every range scanned for each section boundary)."""
    ranges = sorted(spans.values())

    def snap(offset: int) -> int:
        for start, end in ranges:
            if start < offset < end:
                return start
            if start >= offset:
                break
        return offset

    regions: list[tuple[int, int, int | None]] = []
    cursor = 0
    order = sorted(range(len(view.result.sections)), key=lambda i: view.result.sections[i].start)
    for position in order:
        section = view.result.sections[position]
        start = max(snap(min(section.start, length)), cursor)
        end = max(snap(min(section.end, length)), start)
        if end <= start:
            continue
        if start > cursor:
            regions.append((cursor, start, None))
        regions.append((start, end, position))
        cursor = end
    if cursor < length:
        regions.append((cursor, length, None))
    return regions


def test_section_regions_match_the_scan_on_random_layouts():
    draw = random.Random(11)
    for _ in range(3000):
        length = draw.randint(0, 120)
        sentences = []
        for index in range(draw.randint(0, 12)):  # overlapping, empty, past the end: clipped as the page does
            start = draw.randint(0, length + 10)
            sentences.append(SimpleNamespace(index=index, start=start, end=start + draw.randint(0, 30)))
        sentences.sort(key=lambda s: (s.start, s.end, s.index))
        sections = []
        for _ in range(draw.randint(0, 5)):
            start = draw.randint(0, length + 5)
            sections.append(SimpleNamespace(start=start, end=start + draw.randint(0, 60)))
        view = SimpleNamespace(sentences=sentences, result=SimpleNamespace(sections=sections))
        spans = _effective_spans(view, length)
        assert _regions(view, spans, length) == _reference_regions(view, spans, length)


def test_sentence_categories_are_ordered_the_same_with_or_without_findings():
    from nlp import analyze

    result = analyze((EXAMPLES / "02a-ngan-hang-yeu.txt").read_text(encoding="utf-8"))
    labelled = next(i for i, s in enumerate(result.sentences) if len(s.labels) >= 1)
    extra = Finding(
        rule="cross.collective_fault_not_owned",
        category="cross_report",
        severity="medium",
        start=result.sentences[labelled].start,
        end=result.sentences[labelled].end,
        message="m",
        sentence=labelled,
    )
    for checked in (result, result.model_copy(update={"findings": [*result.findings, extra]})):
        view = build_view(checked)
        for item in view.sentences:
            found = {finding.category for _, finding in item.findings}
            assert item.categories == sort_categories({*item.sentence.labels, *found})
            assert item.findings == sorted(item.findings, key=lambda pair: (pair[1].start, pair[0]))
