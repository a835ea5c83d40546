"""A standalone HTML page for a reviewer: summary on top, the report sentence by sentence below.

The page has no external assets (inline CSS and a small vanilla script read from ``templates/``) and
opens offline. Every piece of report text is escaped. Inside ``#report-text`` the text nodes outside
the note columns (``aside.notes``) concatenate back to ``result.text`` exactly: sentences are
``span.s`` elements with ``data-start``/``data-end``/``data-categories``; the text between them,
newlines included, is kept as it is; section names are drawn by CSS from ``data-label``.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import cache
from html import escape
from importlib import resources
from string import Template

from nlp.catalog import label
from nlp.render.common import (
    CATEGORY_ORDER,
    CATEGORY_PRIORITY,
    MAIN_CATEGORIES,
    SCORE_ORDER,
    ReportView,
    SentenceView,
    band_hint,
    build_view,
    category_name,
    form_text,
    group_text,
    number,
    rating_text,
    regime_text,
    self_score_text,
    sort_categories,
    source_notes,
    strings,
    t,
)
from nlp.schema import AnalysisResult, Finding

#: A phrase mark covering at least this share of its sentence is not drawn (the whole sentence is marked).
_WHOLE_SENTENCE_SHARE = 0.9


@cache
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("templates", name).read_text(encoding="utf-8")


def _e(value: object) -> str:
    """``value`` escaped for HTML text and attributes (a string with nothing to escape is returned as it is: most
    of a page's hundreds of short strings)."""
    text = value if type(value) is str else str(value)
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return escape(text, quote=True)
    return text


@cache
def _et(key: str, lang: str) -> str:
    """An interface string without placeholders, escaped (the same few on every page)."""
    return _e(t(key, lang))


@cache
def _el(group: str, key: str, lang: str) -> str:
    """A display label, escaped."""
    return _e(label(group, key, lang))


@cache
def _band_thresholds() -> tuple[float, float]:
    from nlp.lexicon import load_yaml

    bands = load_yaml("scoring.yaml").get("bands", {})
    return float(bands.get("adequate", 50)), float(bands.get("strong", 80))


def _band_class(value: float) -> str:
    """Colour class of a score bar, by the band thresholds of ``scoring.yaml``."""
    adequate, strong = _band_thresholds()
    return "strong" if value >= strong else "adequate" if value >= adequate else "weak"


def _snippet(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_html(result: AnalysisResult, *, lang: str | None = None) -> str:
    """The analysis as one standalone HTML page (Vietnamese by default, ``lang="en"`` for English)."""
    lang = lang or result.lang
    view = build_view(result)
    from nlp import __version__

    name = result.header.name
    title = t("page_title", lang) + (f": {name}" if name else "")
    values = {
        "lang": _e(lang),
        "version": _e(__version__),
        "title": _e(title),
        "css": _asset("palette.css") + _asset("report.css"),
        "js": _asset("report.js"),
        "skip": _et("skip", lang),
        "top": _top(view, lang),
        "toolbar": _toolbar(view, lang),
        "text_heading": _et("text_heading", lang),
        "text_help": _et("text_help", lang),
        "body": _report_body(view, lang),
        "footer": _e(t("generated_by", lang, classifier=result.classifier, schema=result.schema_version)),
    }
    return Template(_asset("report.html")).substitute(values)


# ---------------------------------------------------------------------------------------------- top


def _sentence_link(view: ReportView, offset: int, lang: str) -> str:
    target = view.sentence_at(offset)
    if target is None:
        return ""
    return f' <a class="goto" href="#s-{target.index}" data-goto="{target.index}">→ {_et("see_in_text", lang)}</a>'


def _finding_item(finding: Finding, lang: str, link: str = "") -> str:
    parts = [
        _finding_head(finding.category, finding.rule, finding.severity, finding.review, lang),
        f'<span class="msg">{_e(finding.message)}</span>{link}',
    ]
    if finding.suggestion:
        parts.append(
            f'<div class="sugg"><span class="sugg-label">{_et("suggestion", lang)}:</span> {_e(finding.suggestion)}</div>'
        )
    if finding.evidence is not None:  # a cross-report finding: the other report's sentence, quoted
        parts.append(_cross_evidence(finding.evidence, lang))
    parts.append("</li>")
    return "".join(parts)


@cache
def _finding_head(category: str, rule: str, severity: str, review: str | None, lang: str) -> str:
    """The start of a finding's item: its rule, category chip, severity and a reviewer's decision (the same for
    every finding of a rule)."""
    review_class = f" review-{review}" if review else ""
    head = (
        f'<li class="f{review_class}" data-category="{_e(category)}" data-rule="{_e(rule)}">'
        f'<span class="chip c-{_e(category)}">{_el("categories", category, lang)}</span>'
        f'<span class="sev sev-{_e(severity)}">{_el("severities", severity, lang)}</span> '
    )
    if review:  # a reviewer's decision from the feedback store (nlp.feedback.apply)
        head += f'<span class="review">{_e(t(f"review_{review}", lang))}</span> '
    return head


def _cross_evidence(evidence, lang: str) -> str:
    """The other report's sentence a cross-report finding rests on: its file (and year) and the sentence."""
    source = f"{evidence.file}, {evidence.year}" if evidence.year else evidence.file
    return (
        f'<blockquote class="cross-ev" data-file="{_e(evidence.file)}" data-start="{evidence.start}" '
        f'data-end="{evidence.end}"><span class="cross-ev-label">{_et("cross_evidence", lang)} '
        f"({_e(source)}):</span> {_e(evidence.quote)}</blockquote>"
    )


def _refs(view: ReportView, spans: list, lang: str) -> str:
    items = []
    seen: set[int] = set()
    for span in spans:
        target = view.sentence_at(span.start)
        if target is None or target.index in seen:
            continue
        seen.add(target.index)
        text = _snippet(view.result.text[target.start : target.end])
        number_html = f' <span class="ref-n">[{target.number}]</span>' if target.number is not None else ""
        items.append(
            f'<li><a href="#s-{target.index}" data-goto="{target.index}"><q>{_e(text)}</q></a>{number_html}</li>'
        )
    return f'<ul class="refs">{"".join(items)}</ul>' if items else ""


def _fact(name: str, value: str, extra: str = "", *, key: bool = False, none: bool = False) -> str:
    css = "fact key" if key else "fact"
    value_html = (
        f'<span class="none">{_e(value)}</span>' if none else (f"<strong>{_e(value)}</strong>" if key else _e(value))
    )
    extra_html = f'<span class="fact-sub">{_e(extra)}</span>' if extra else ""
    return f'<div class="{css}"><dt>{_e(name)}</dt><dd>{value_html}{extra_html}</dd></div>'


def _top(view: ReportView, lang: str) -> str:
    result = view.result
    header = result.header
    band = result.band or "fragment"
    symbol = strings().get("band_symbol", {}).get(band, "")
    who = header.name or header.branch or header.unit or t("page_title", lang)

    rating = rating_text(result.self_rating, lang)
    score_text = self_score_text(result, lang)
    facts = [
        _fact(t("form", lang), form_text(result, lang), regime_text(result, lang)),
        _fact(t("role", lang), label("roles", result.role, lang)),
        _fact(t("self_rating", lang), rating or t("self_rating_none", lang), key=True, none=not rating),
    ]
    if score_text:
        facts.append(_fact(t("self_score", lang), score_text, key=True))
    for key in ("party_position", "government_position", "unit", "branch", "place_date"):
        value = getattr(header, key)
        if value:
            facts.append(_fact(t(key, lang), value))
    if header.year and not header.place_date:
        facts.append(_fact(t("year", lang), str(header.year)))
    fact_items = "".join(facts)
    masthead = (
        '<header class="masthead">'
        f'<div class="who"><div class="kicker">{_et("page_title", lang)}</div>'
        f"<h1>{_e(who)}</h1></div>"
        f'<div class="verdict"><span class="band band-{_e(band)}">'
        f'<span class="sym" aria-hidden="true">{_e(symbol)}</span>'
        f"{_et('band', lang)}: {_el('bands', band, lang)}</span>"
        f'<span class="hint">{_e(band_hint(band, lang))}</span></div>'
        f'<dl class="facts" aria-label="{_et("report_info", lang)}">{fact_items}</dl>'
        "</header>"
    )

    explanations = {item.score: item.explanation for item in result.score_explanations}
    rows = []
    for score in SCORE_ORDER:
        value = float(getattr(result.scores, score))
        width = max(0.0, min(100.0, value))
        why = explanations.get(score, "")
        rows.append(
            f'<li class="score-row {score}"><span class="name" id="score-{score}">{_el("scores", score, lang)}</span>'
            f'<span class="bar" role="img" aria-labelledby="score-{score}" aria-label="{_e(number(value))}/100">'
            f'<span class="fill-{_band_class(value)}" style="width:{width:.1f}%"></span></span>'
            f'<span class="val">{_e(number(value))}</span>'
            + (f'<span class="why">{_e(why)}</span>' if why else "")
            + "</li>"
        )
    scores = f'<section class="card"><h2>{_et("scores", lang)}</h2><ul class="scores">{"".join(rows)}</ul></section>'

    acc = result.accountability
    icon = {"present": "✓", "missing": "✗", "not_applicable": "–"}.get(acc.status, "")
    acc_html = (
        f'<section class="card"><h2>{_et("accountability", lang)}</h2>'
        f'<div class="status status-{_e(acc.status)}"><span aria-hidden="true">{icon}</span>'
        f"{_el('accountability', acc.status, lang)}</div>"
    )
    if acc.explanation:
        acc_html += f"<p>{_e(acc.explanation)}</p>"
    if acc.head_responsibility is not None:
        head = t("head_yes", lang) if acc.head_responsibility else t("head_no", lang)
        acc_html += f"<p>{_et('head_responsibility', lang)}: <strong>{_e(head)}</strong></p>"
    evidence = _refs(view, acc.evidence, lang)
    if evidence:
        acc_html += f"<h3>{_et('evidence', lang)}</h3>{evidence}"
    collective = _refs(view, acc.collective_shortcomings, lang)
    if collective:
        acc_html += f"<h3>{_et('collective_shortcomings', lang)}</h3>{collective}"
    acc_html += "</section>"

    if result.missing_sections:
        missing_items = "".join(f"<li>{_el('sections', s, lang)}</li>" for s in result.missing_sections)
        missing = f'<ul class="plain">{missing_items}</ul>'
    else:
        none_key = "missing_fragment" if result.scope == "fragment" else "missing_none"
        missing = f'<p class="none">{_e(t(none_key, lang))}</p>'
    source_items = "".join(f"<li>{_e(line)}</li>" for line in source_notes(result, lang))
    parts_html = (
        f'<section class="card"><h2>{_et("missing_sections", lang)}</h2>{missing}'
        f'<h2 style="margin-top:.9rem">{_et("source", lang)}</h2><ul class="plain">{source_items}</ul></section>'
    )

    if view.report_findings:
        items = "".join(
            _finding_item(finding, lang, _sentence_link(view, finding.start, lang))
            for _, finding in sorted(
                view.report_findings,
                key=lambda item: (CATEGORY_ORDER.index(item[1].category), item[1].start),
            )
        )
        report_level = f'<ul class="findings">{items}</ul>'
    else:
        report_level = f'<p class="none">{_et("report_findings_none", lang)}</p>'
    summary = f'<section class="card wide" id="report-findings"><h2>{_et("report_findings", lang)}</h2>{report_level}</section>'

    return f'{masthead}<div class="cards">{scores}{acc_html}{parts_html}{summary}</div>'


def _toolbar(view: ReportView, lang: str) -> str:
    sentence_counts = view.sentence_counts()
    present = set(sentence_counts) | set(view.finding_counts())
    categories = [*MAIN_CATEGORIES, *(c for c in ("specificity", "input") if c in present)]
    items = []
    for category in categories:
        count = sentence_counts.get(category, 0)
        disabled = " disabled" if count == 0 else ""
        items.append(
            f'<label class="legend-item{disabled}" title="{_e(group_text("category_help", category, lang))}">'
            f'<input type="checkbox" data-filter="{_e(category)}" checked{disabled}>'
            f'<span class="swatch c-{_e(category)}" aria-hidden="true"></span>'
            f"{_el('categories', category, lang)} "
            f'<span class="count">({count})</span></label>'
        )
    items.append(
        f'<span class="legend-item"><span class="swatch structural" aria-hidden="true"></span>'
        f"{_et('structural_legend', lang)}</span>"
    )
    flagged = len(view.flagged())
    total = t("sentences_flagged", lang, n=flagged) if flagged else t("no_flags", lang)
    return (
        f'<nav class="toolbar" aria-label="{_et("filters", lang)}">'
        f'<span class="label">{_et("filters", lang)}:</span>{"".join(items)}'
        f'<span class="count">{_e(total)}</span></nav>'
    )


# --------------------------------------------------------------------------------------------- body


def _effective_spans(view: ReportView, length: int) -> dict[int, tuple[int, int]]:
    """Sentence ranges clipped to the text and to each other (defensive: the pipeline gives disjoint ones)."""
    spans: dict[int, tuple[int, int]] = {}
    previous_end = 0
    for sentence in view.sentences:
        start = min(max(sentence.start, previous_end), length)
        end = min(max(sentence.end, start), length)
        spans[sentence.index] = (start, end)
        previous_end = end
    return spans


def _regions(view: ReportView, spans: dict[int, tuple[int, int]], length: int) -> list[tuple[int, int, int | None]]:
    """Cover ``[0, length)`` with section regions and the gaps between them; no boundary cuts a sentence."""
    ranges = sorted(spans.values())
    starts = [start for start, _ in ranges]

    def snap(offset: int) -> int:
        """The start of the range that has ``offset`` strictly inside, else ``offset``: the ranges are disjoint and
        in order (:func:`_effective_spans`), so only the last one starting before ``offset`` can."""
        position = bisect_left(starts, offset) - 1
        if position >= 0 and offset < ranges[position][1]:
            return ranges[position][0]
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


def _marks(view: SentenceView, start: int, end: int) -> list[tuple[int, int, list[str]]]:
    """Merged phrase ranges of the sentence's findings (whole-sentence findings left out)."""
    length = max(end - start, 1)
    ranges = []
    for _, finding in view.findings:
        a, b = max(finding.start, start), min(finding.end, end)
        if b <= a or (b - a) / length >= _WHOLE_SENTENCE_SHARE:
            continue
        ranges.append((a, b, finding.category))
    ranges.sort()
    merged: list[tuple[int, int, list[str]]] = []
    for a, b, category in ranges:
        if merged and a <= merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], b), sort_categories({*last[2], category}))
        else:
            merged.append((a, b, [category]))
    return merged


def _sentence_html(view: SentenceView, start: int, end: int, text: str, lang: str) -> str:
    index, sentence, categories = view.index, view.sentence, view.categories
    classes = "s structural" if sentence.structural else "s"
    if view.heading:
        classes += " heading"
    attrs = (
        f'id="s-{index}" data-i="{index}" data-start="{start}" data-end="{end}" '
        f'data-categories="{_e(" ".join(categories))}"'
    )
    if sentence.section:
        attrs += f' data-section="{_e(sentence.section)}"'
    if categories:  # a flagged sentence
        classes += " flag" + "".join(f" cat-{c}" for c in categories)
        attrs += (
            f' data-show="{_e(view.primary)}" data-n="{view.number}" tabindex="0" role="button" aria-pressed="false"'
            f' aria-describedby="n-{index}"'
        )
    if not view.findings:  # no phrase marks
        return f'<span class="{classes}" {attrs}>{_e(text[start:end])}</span>'
    inner = []
    cursor = start
    for a, b, cats in _marks(view, start, end):
        inner.append(_e(text[cursor:a]))
        inner.append(f'<mark class="hit" data-categories="{_e(" ".join(cats))}">{_e(text[a:b])}</mark>')
        cursor = b
    inner.append(_e(text[cursor:end]))
    return f'<span class="{classes}" {attrs}>{"".join(inner)}</span>'


def _note_html(view: SentenceView, lang: str) -> str:
    items = [_finding_item(finding, lang) for _, finding in view.findings]
    finding_categories = {finding.category for _, finding in view.findings}
    for category in view.sentence.labels:
        if category in finding_categories:
            continue
        probability = round(100 * float(getattr(view.sentence, category, 0.0)))
        items.append(
            f'<li class="f" data-category="{_e(category)}"><span class="chip c-{_e(category)}">'
            f"{_el('categories', category, lang)}</span> "
            f'<span class="msg">{_e(t("label_only", lang, cat=category_name(category, lang), p=probability))}</span></li>'
        )
    return (
        f'<div class="note cat-{_e(view.primary)}" id="n-{view.index}" data-i="{view.index}" tabindex="-1" '
        f'data-categories="{_e(" ".join(view.categories))}">'
        f'<a class="num" href="#s-{view.index}" data-goto="{view.index}" '
        f'aria-label="{_e(t("note_for", lang, n=view.number))}">{view.number}</a>'
        f"<ul>{''.join(items)}</ul></div>"
    )


def _report_body(view: ReportView, lang: str) -> str:
    text = view.result.text
    length = len(text)
    spans = _effective_spans(view, length)
    by_start = sorted(view.sentences, key=lambda v: spans[v.index])
    out: list[str] = []
    first_section = True
    pointer = 0  # index into by_start
    for region_start, region_end, section_index in _regions(view, spans, length):
        if section_index is not None:
            section = view.result.sections[section_index]
            name = label("sections", section.id, lang)
            css = "sec first" if first_section else "sec"
            first_section = False
            out.append(
                f'<section class="{css}" id="sec-{section_index}" data-section="{_e(section.id)}" '
                f'data-label="{_e(name)}" aria-label="{_e(name)}">'
            )
        tokens: list[tuple[str, object]] = []
        cursor = region_start
        while pointer < len(by_start) and spans[by_start[pointer].index][0] < region_end:
            sentence = by_start[pointer]
            start, end = spans[sentence.index]
            if start > cursor:
                tokens.append(("text", text[cursor:start]))
            tokens.append(("sentence", sentence))
            cursor = max(cursor, end)
            pointer += 1
        if cursor < region_end:
            tokens.append(("text", text[cursor:region_end]))
        out.append(_rows(tokens, spans, text, lang))
        if section_index is not None:
            out.append("</section>")
    priority = " ".join(CATEGORY_PRIORITY)
    return f'<div class="report" id="report-text" lang="vi" data-priority="{priority}">{"".join(out)}</div>'


def _rows(tokens: list[tuple[str, object]], spans: dict[int, tuple[int, int]], text: str, lang: str) -> str:
    """Lay tokens out as rows (one per line or run of lines); newlines between rows stay as text nodes."""
    out: list[str] = []
    row: list[tuple[str, object]] = []
    gap_before = False

    def flush(separator: str) -> None:
        nonlocal row, gap_before
        if row and any(kind == "sentence" or str(value).strip() for kind, value in row):
            out.append(_row_html(row, spans, text, lang, gap_before))
        else:
            out.extend(_e(value) for _, value in row)
        row = []
        out.append(_e(separator))
        gap_before = separator.count("\n") > 1

    for kind, value in tokens:
        if kind == "sentence":
            row.append((kind, value))
            continue
        chunk = str(value)
        if "\n" not in chunk:
            row.append((kind, chunk))
            continue
        first, last = chunk.index("\n"), chunk.rindex("\n")
        if first:
            row.append(("text", chunk[:first]))
        flush(chunk[first : last + 1])
        if last + 1 < len(chunk):
            row.append(("text", chunk[last + 1 :]))
    if row:
        flush("")
    return "".join(out)


def _row_html(row: list[tuple[str, object]], spans: dict[int, tuple[int, int]], text: str, lang: str, gap: bool) -> str:
    line: list[str] = []
    notes: list[str] = []
    for kind, value in row:
        if kind == "text":
            line.append(_e(value))
            continue
        assert isinstance(value, SentenceView)
        start, end = spans[value.index]
        line.append(_sentence_html(value, start, end, text, lang))
        if value.flagged:
            notes.append(_note_html(value, lang))
    css = "row gap" if gap else "row"
    aside = f'<aside class="notes">{"".join(notes)}</aside>' if notes else ""
    return f'<div class="{css}"><div class="line">{"".join(line)}</div>{aside}</div>'
