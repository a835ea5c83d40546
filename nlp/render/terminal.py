"""The analysis in a terminal (rich): header panel, verdicts, then the report sentence by sentence.

Readable at 80 columns; every line is wrapped by rich to the console width. Colour is a help only: each
finding carries its category name in words, so the plain output (``force_terminal=False``, redirected
to a file) says the same thing.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from nlp.catalog import label
from nlp.render.common import (
    CATEGORY_ORDER,
    MAIN_CATEGORIES,
    SCORE_ORDER,
    ReportView,
    SentenceView,
    band_hint,
    build_view,
    category_name,
    form_text,
    number,
    rating_text,
    regime_text,
    self_score_text,
    source_notes,
    strings,
    t,
)
from nlp.render.hanging import HangingBlock
from nlp.schema import AnalysisResult, Finding

#: Colour of each category (foreground, readable on dark and light backgrounds).
STYLES: dict[str, str] = {
    "generic": "yellow",
    "evasive": "red",
    "accountability": "magenta",
    "completeness": "cyan",
    "consistency": "bright_red",
    "specificity": "green",
    "input": "blue",
}
BAND_STYLES = {
    "weak": "bold white on red",
    "adequate": "bold black on yellow",
    "strong": "bold white on green",
    "fragment": "bold black on white",
}
_BAR_WIDTH = 20


def _bar(value: float) -> Text:
    filled = round(max(0.0, min(100.0, value)) / 100 * _BAR_WIDTH)
    style = "red" if value < 50 else "yellow" if value < 80 else "green"
    bar = Text("█" * filled, style=style)
    bar.append("░" * (_BAR_WIDTH - filled), style="dim")
    return bar


def _header(view: ReportView, lang: str) -> Panel:
    result = view.result
    header = result.header
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=False, max_width=22)
    table.add_column(ratio=1)
    table.add_row(Text(t("form", lang)), Text(f"{form_text(result, lang)} · {regime_text(result, lang)}"))
    table.add_row(Text(t("role", lang)), Text(label("roles", result.role, lang)))
    for key in ("name", "position", "unit", "branch"):
        value = getattr(header, key)
        if value:
            table.add_row(Text(t(key, lang)), Text(value))  # the report's own words: never read as markup
    if header.year:
        table.add_row(Text(t("year", lang)), Text(str(header.year)))
    rating_value = rating_text(result.self_rating, lang)
    rating = Text(rating_value, style="bold") if rating_value else Text(t("self_rating_none", lang), style="italic dim")
    table.add_row(Text(t("self_rating", lang)), rating)
    score_text = self_score_text(result, lang)
    if score_text:
        table.add_row(Text(t("self_score", lang)), Text(score_text))
    band_key = result.band or "fragment"
    symbol = strings().get("band_symbol", {}).get(band_key, "")
    band = Text()
    band.append(f" {symbol} {label('bands', band_key, lang)} ", style=BAND_STYLES.get(band_key, "bold"))
    band.append("  ")
    band.append(band_hint(band_key, lang), style="italic")
    table.add_row(Text(t("band", lang)), band)
    if result.config.hash:  # an organisation's .kiemdiem.yaml changed the analysis: say which
        name = Path(result.config.file).name if result.config.file else "—"
        table.add_row(Text(t("config", lang)), Text(f"{name} · {result.config.hash}", style="dim"))

    scores = Table.grid(padding=(0, 1))
    scores.add_column(no_wrap=True, min_width=11)
    scores.add_column(no_wrap=True)
    scores.add_column(justify="right", no_wrap=True, min_width=5)
    for score in SCORE_ORDER:
        value = float(getattr(result.scores, score))
        name = Text(label("scores", score, lang), style="bold" if score == "overall" else "")
        scores.add_row(name, _bar(value), Text(number(value)))
    explanations = Table.grid(padding=(0, 1))
    explanations.add_column(no_wrap=True, min_width=11, style="dim")
    explanations.add_column(ratio=1, style="dim")
    by_score = {item.score: item.explanation for item in result.score_explanations if item.explanation}
    for score in SCORE_ORDER:
        if score in by_score:
            explanations.add_row(Text(label("scores", score, lang)), Text(by_score[score]))
    body = Group(table, Text(""), Text(t("scores", lang), style="bold underline"), scores, explanations)
    title = t("page_title", lang)
    return Panel(body, title=Text(title, style="bold"), title_align="left", border_style="blue", padding=(0, 1))


def _finding_lines(finding: Finding, lang: str, indent: int) -> HangingBlock:
    """``▸ [Category · severity] message`` with the suggestion dimmed below, both with a hanging indent."""
    style = STYLES.get(finding.category, "")
    line = Text(f"[{category_name(finding.category, lang)}", style=f"bold {style}")
    line.append(f" · {label('severities', finding.severity, lang)}]", style=style)
    line.append(" ")
    line.append(finding.message)
    block = HangingBlock(left_width=1, indent=indent)
    block.add_row(Text("▸", style=style), line)
    if finding.suggestion:
        block.add_row("", Text(f"{t('suggestion', lang)}: {finding.suggestion}", style="dim"))
    return block


def _verdicts(view: ReportView, lang: str) -> list:
    result = view.result
    out: list = []
    out.append(Text(t("missing_sections", lang), style="bold"))
    if result.missing_sections:
        for section in result.missing_sections:
            out.append(Padding(Text(f"✗ {label('sections', section, lang)}", style="red"), (0, 0, 0, 2), expand=False))
    else:
        none_key = "missing_fragment" if result.scope == "fragment" else "missing_none"
        out.append(Padding(Text(t(none_key, lang), style="dim"), (0, 0, 0, 2), expand=False))

    acc = result.accountability
    icon = {"present": "✓", "missing": "✗", "not_applicable": "–"}.get(acc.status, "")
    style = {"present": "green", "missing": "bold red"}.get(acc.status, "dim")
    heading = Text(f"{t('accountability', lang)}: ", style="bold")
    heading.append(f"{icon} {label('accountability', acc.status, lang)}", style=style)
    out.append(heading)
    if acc.explanation:
        out.append(Padding(Text(acc.explanation), (0, 0, 0, 2), expand=False))
    if acc.head_responsibility is not None:
        head = t("head_yes", lang) if acc.head_responsibility else t("head_no", lang)
        out.append(Padding(Text(f"{t('head_responsibility', lang)}: {head}"), (0, 0, 0, 2), expand=False))
    for key, spans in (("evidence", acc.evidence), ("collective_shortcomings", acc.collective_shortcomings)):
        lines: list[Text] = []
        seen: set[int] = set()
        for span in spans:
            target = view.sentence_at(span.start)
            if target is None or target.index in seen:
                continue
            seen.add(target.index)
            ref = f"[{target.number}] " if target.number is not None else ""
            lines.append(Text(f"• {ref}«{_snippet(result.text[target.start : target.end])}»", style="dim"))
        if lines:
            out.append(Padding(Group(Text(f"{t(key, lang)}:"), *lines), (0, 0, 0, 2), expand=False))

    notes = source_notes(result, lang)
    if len(notes) > 1 or not result.source.diacritics or result.source.legacy_font:
        out.append(Text(t("source", lang), style="bold"))
        for note in notes:
            out.append(Padding(Text(f"• {note}"), (0, 0, 0, 2), expand=False))

    if view.report_findings:
        out.append(Text(t("report_findings", lang), style="bold"))
        ordered = sorted(view.report_findings, key=lambda item: (_category_rank(item[1].category), item[1].start))
        for _, finding in ordered:
            out.append(_finding_lines(finding, lang, 2))
    return out


def _category_rank(category: str) -> int:
    return CATEGORY_ORDER.index(category) if category in CATEGORY_ORDER else len(CATEGORY_ORDER)


def _snippet(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _line_prefix(text: str, previous_end: int, start: int) -> str:
    """The bullet or numbering between the previous sentence and this one on the same line (``- ``, ``+ ``)."""
    gap = text[previous_end:start]
    tail = gap.rsplit("\n", 1)[-1].strip()
    return f"{tail} " if tail and len(tail) <= 4 else ""


def _gutter(text: Text | str, body: Text, width: int) -> HangingBlock:
    """The sentence beside its number, right-aligned in the gutter; wrapped lines hang under the sentence."""
    block = HangingBlock(left_width=width, align_right=True)
    block.add_row(text, body)
    return block


def _sentence_block(view: SentenceView, text: str, previous_end: int, lang: str, gutter: int) -> list:
    body = text[view.start : view.end]
    prefix = _line_prefix(text, previous_end, view.start)
    if not view.flagged:
        style = ("bold dim" if view.heading else "dim") if view.sentence.structural else ""
        return [_gutter("", Text(prefix + body, style=style), gutter)]
    style = STYLES.get(view.primary or "", "")
    line = Text(prefix)
    line.append(body, style=style)
    tags = ", ".join(category_name(c, lang) for c in view.categories)
    line.append(f"  ({tags})", style=f"italic {style}")
    out: list = [_gutter(Text(f"[{view.number}]", style=f"bold {style}"), line, gutter)]
    finding_categories = {finding.category for _, finding in view.findings}
    for _, finding in view.findings:
        out.append(_finding_lines(finding, lang, gutter + 3))
    for category in view.sentence.labels:
        if category not in finding_categories:
            probability = round(100 * float(getattr(view.sentence, category, 0.0)))
            message = t("label_only", lang, cat=category_name(category, lang), p=probability)
            block = HangingBlock(left_width=1, indent=gutter + 3)
            block.add_row(Text("▸", style=STYLES.get(category, "")), Text(message))
            out.append(block)
    return out


def _body(view: ReportView, lang: str, console: Console) -> None:
    text = view.result.text
    current: object = object()
    previous_end = 0
    flagged = view.flagged()
    gutter = len(f"[{flagged[-1].number}]") if flagged else 1
    parts: list = []
    for sentence in view.sentences:
        section = sentence.sentence.section
        if section != current:
            current = section
            name = label("sections", section, lang) if section else t("outside_sections", lang)
            parts.append(Rule(Text(name, style="bold blue"), align="left", style="blue"))
        parts.extend(_sentence_block(sentence, text, previous_end, lang, gutter))
        previous_end = sentence.end
    console.print(Group(*parts), highlight=False)  # one print: the sentences are laid out without rich tables


def _summary(view: ReportView, lang: str) -> Panel:
    sentence_counts = view.sentence_counts()
    finding_counts = view.finding_counts()
    table = Table.grid(padding=(0, 2))
    table.add_column()
    table.add_column(justify="right")
    table.add_column(justify="right")
    table.add_row(Text(""), Text(t("col_sentences", lang), style="dim"), Text(t("col_findings", lang), style="dim"))
    categories = [
        *MAIN_CATEGORIES,
        *(c for c in ("specificity", "input") if c in sentence_counts or c in finding_counts),
    ]
    for category in categories:
        style = STYLES.get(category, "")
        table.add_row(
            Text(category_name(category, lang), style=style),
            Text(str(sentence_counts.get(category, 0))),
            Text(str(finding_counts.get(category, 0))),
        )
    flagged = len(view.flagged())
    band_key = view.result.band or "fragment"
    symbol = strings().get("band_symbol", {}).get(band_key, "")
    verdict = Text(f"{t('band', lang)}: ", style="bold")
    verdict.append(f" {symbol} {label('bands', band_key, lang)} ", style=BAND_STYLES.get(band_key, "bold"))
    verdict.append(f"  {label('scores', 'overall', lang)} {number(view.result.scores.overall)}/100")
    total = Text(t("sentences_flagged", lang, n=flagged) if flagged else t("no_flags", lang), style="dim")
    return Panel(
        Group(table, Text(""), verdict, total),
        title=Text(t("summary", lang), style="bold"),
        title_align="left",
        border_style="blue",
    )


def render_terminal(result: AnalysisResult, console: Console, *, lang: str | None = None) -> None:
    """Print the analysis on ``console`` (Vietnamese by default, ``lang="en"`` for English labels)."""
    lang = lang or result.lang
    view = build_view(result)
    console.print(_header(view, lang), highlight=False)
    for renderable in _verdicts(view, lang):
        console.print(renderable, highlight=False)
    console.print()
    console.print(Text(t("text_heading", lang), style="bold underline"), highlight=False)
    _body(view, lang, console)
    console.print()
    console.print(_summary(view, lang), highlight=False)
