"""The standalone HTML summary of a batch: inline SVG charts and tables, no script, nothing fetched.

It opens offline in any browser (the charts are drawn here as SVG, not by a JavaScript library), and it
links to each report's own page in ``bao-cao/``.
"""

from __future__ import annotations

import datetime
from collections import Counter
from html import escape

from nlp.batch.config import kind_by_id, t
from nlp.batch.outputs import WORKBOOK, error_reason, feedback_text, quota_text, unit_flags
from nlp.batch.stats import BANDS, SCORES, DistrictStats
from nlp.catalog import label

COLOURS = {"weak": "#c9302c", "adequate": "#e6a23c", "strong": "#3c8d40"}
_CSS = """
body{font-family:"Noto Sans","Segoe UI",Arial,sans-serif;margin:0;color:#1f2328;background:#f6f7f9;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.6rem;margin:.2em 0}h2{font-size:1.2rem;margin:1.6em 0 .5em;border-bottom:2px solid #d0d7de;padding-bottom:.2em}
h3{font-size:1rem;margin:1em 0 .3em}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:8px 14px;min-width:120px}
.card b{display:block;font-size:1.4rem}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem;margin:.4em 0}
th,td{border:1px solid #d0d7de;padding:4px 6px;text-align:left;vertical-align:top}th{background:#eef2f6}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.band-weak{color:#c9302c;font-weight:600}.band-adequate{color:#9a6700;font-weight:600}.band-strong{color:#2f6f33;font-weight:600}
svg{background:#fff;border:1px solid #d0d7de;border-radius:6px;max-width:100%;height:auto}
svg text{font-family:inherit;font-size:12px;fill:#1f2328}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
.muted{color:#57606a;font-size:.9rem}.hist{display:flex;flex-wrap:wrap;gap:10px}
blockquote{margin:.2em 0;padding:.1em .6em;border-left:3px solid #d0d7de;color:#3d444d;font-size:.88rem}
footer{margin-top:2em;color:#57606a;font-size:.85rem}
@media print{body{background:#fff}main{padding:0}}
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _legend(lang: str) -> str:
    items = "".join(f'<span><i style="background:{COLOURS[b]}"></i>{_e(label("bands", b, lang))}</span>' for b in BANDS)
    return f'<p class="legend">{items}</p>'


def _stacked_bars(rows: list[tuple[str, Counter, bool]], lang: str, width: int = 1000) -> str:
    """Horizontal 100% bars of band counts; rows are (label, band counts, is_heading)."""
    label_w, bar_w, row_h = 330, width - 330 - 60, 20
    height = row_h * len(rows) + 10
    parts = [f'<svg role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}">']
    y = 5
    for text, counts, heading in rows:
        if heading:
            parts.append(f'<text x="4" y="{y + 14}" font-weight="bold">{_e(text)}</text>')
            y += row_h
            continue
        total = sum(counts[b] for b in BANDS)
        shown = text if len(text) <= 48 else "…" + text[-47:]
        parts.append(f'<text x="14" y="{y + 14}"><title>{_e(text)}</title>{_e(shown)}</text>')
        x = float(label_w)
        for band in BANDS:
            if total and counts[band]:
                w = bar_w * counts[band] / total
                tip = f"{label('bands', band, lang)}: {counts[band]}"
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{COLOURS[band]}">'
                    f"<title>{_e(tip)}</title></rect>"
                )
                if w > 18:
                    parts.append(
                        f'<text x="{x + w / 2:.1f}" y="{y + 14}" text-anchor="middle" style="fill:#fff">{counts[band]}</text>'
                    )
                x += w
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 14}">{total}</text>')
        y += row_h
    parts.append("</svg>")
    return "".join(parts)


def _histogram(values: list[float], title: str, width: int = 320, height: int = 170) -> str:
    """A 10-bin histogram of scores 0–100."""
    bins = [0] * 10
    for v in values:
        bins[min(9, max(0, int(v // 10)))] += 1
    top = max(bins) or 1
    left, bottom, plot_w, plot_h = 34, height - 24, width - 44, height - 52
    parts = [f'<svg role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}">']
    parts.append(f'<text x="{width / 2}" y="16" text-anchor="middle" font-weight="bold">{_e(title)}</text>')
    bar = plot_w / 10
    for i, n in enumerate(bins):
        h = plot_h * n / top
        x = left + i * bar
        colour = COLOURS["weak"] if i < 5 else COLOURS["adequate"] if i < 8 else COLOURS["strong"]
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{bottom - h:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" fill="{colour}">'
            f"<title>{i * 10}–{i * 10 + 10}: {n}</title></rect>"
        )
        if n:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{bottom - h - 3:.1f}" text-anchor="middle">{n}</text>')
    for tick in range(0, 101, 20):
        x = left + plot_w * tick / 100
        parts.append(f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle">{tick}</text>')
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{left + plot_w}" y2="{bottom}" stroke="#57606a"/>')
    parts.append("</svg>")
    return "".join(parts)


def _hbars(items: list[tuple[str, float]], width: int = 1000, unit: str = "", colour: str = "#4a6fa5") -> str:
    """Horizontal bars with labels (stock phrases, kind means)."""
    if not items:
        return ""
    label_w, row_h = 420, 20
    bar_w = width - label_w - 60
    top = max(v for _, v in items) or 1
    height = row_h * len(items) + 10
    parts = [f'<svg role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}">']
    for i, (text, value) in enumerate(items):
        y = 5 + i * row_h
        shown = text if len(text) <= 62 else text[:61] + "…"
        w = bar_w * value / top
        parts.append(f'<text x="4" y="{y + 14}"><title>{_e(text)}</title>{_e(shown)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{colour}"/>')
        shown_value = f"{value:.1f}" if isinstance(value, float) and not float(value).is_integer() else f"{value:g}"
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 14}">{shown_value}{_e(unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _cross_section(report, lang: str) -> list[str]:
    """The cross-report checks: links to the two sheets and CSV files, counts per verdict and per unit, and the
    reports that could not be linked, with why."""
    from nlp.batch.cross_reports import COLLECTIVE_CSV, PREVIOUS_CSV
    from nlp.cross.config import string

    s = lambda key, **kw: _e(t(f"summary.{key}", lang, **kw))  # noqa: E731
    out = [f"<h2 id='doi-chieu'>{s('cross')}</h2>"]
    summary = getattr(report, "cross", None)
    if summary is None or summary.checked is None:
        return [*out, f"<p class='muted'>{s('cross_off')}</p>"]
    checked = summary.checked
    collective_sheet, previous_sheet = list(summary.sheets)
    out.append(
        f"<p>{s('cross_files', collective=collective_sheet, previous=previous_sheet, workbook=WORKBOOK)} "
        f'<a href="{COLLECTIVE_CSV}">{COLLECTIVE_CSV}</a>, <a href="{PREVIOUS_CSV}">{PREVIOUS_CSV}</a>.</p>'
    )
    checks = (("cross_collective_rows", checked.collective_rows), ("cross_previous_rows", checked.previous_rows))
    out.append(f"<table><tr><th>{s('cross_check')}</th><th>{s('cross_verdict')}</th><th>{s('count')}</th></tr>")
    for key, rows in checks:
        for verdict, n in sorted(Counter(r.verdict for r in rows).items()):
            out.append(
                f"<tr><td>{s(key)}</td><td>{_e(string('verdicts', verdict, lang))}</td><td class='n'>{n}</td></tr>"
            )
    out.append("</table>")
    units: dict[str, list[int]] = {}
    for index, (_, rows) in enumerate(checks):
        for row in rows:
            counts = units.setdefault(row.unit, [0, 0, 0])
            counts[index] += 1
            counts[2] += row.rule is not None
    if units:
        out.append(
            f"<table><tr><th>{s('cross_unit')}</th><th>{s('cross_collective_rows')}</th>"
            f"<th>{s('cross_previous_rows')}</th><th>{s('cross_flagged')}</th></tr>"
        )
        for unit, (collective, previous, flagged) in sorted(units.items()):
            out.append(
                f"<tr><td>{_e(unit)}</td><td class='n'>{collective}</td><td class='n'>{previous}</td>"
                f"<td class='n'>{flagged}</td></tr>"
            )
        out.append("</table>")
    out.append(f"<h3>{s('cross_unlinked')}</h3>")
    if checked.linkage.unlinked:
        out.append(f"<p class='muted'>{s('cross_unlinked_help')}</p>")
        out.append(f"<table><tr><th>{s('cross_file')}</th><th>{s('cross_unit')}</th><th>{s('cross_reason')}</th></tr>")
        for item in sorted(checked.linkage.unlinked, key=lambda u: (u.reason, u.file)):
            out.append(
                f"<tr><td>{_e(item.file)}</td><td>{_e(item.unit or '—')}</td>"
                f"<td>{_e(string('unlinked', item.reason, lang))}</td></tr>"
            )
        out.append("</table>")
    else:
        out.append(f"<p>{s('cross_none')}</p>")
    return out


def render_summary(
    report,
    stats: DistrictStats,
    ranked: list[dict],
    errors: list[dict],
    groups: list[dict],
    lang: str = "vi",
) -> str:
    """The summary page."""
    from nlp import __version__

    s = lambda key, **kw: _e(t(f"summary.{key}", lang, **kw))  # noqa: E731
    c = lambda key: _e(t(f"columns.{key}", lang))  # noqa: E731
    out: list[str] = [
        f'<!DOCTYPE html><html lang="{_e(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{s('title')}</title><style>{_CSS}</style></head><body><main>",
        f"<h1>{s('title')}</h1>",
        f'<p class="muted">{_e(datetime.datetime.now().strftime("%d/%m/%Y %H:%M"))} · '
        f'<a href="{WORKBOOK}">{s("workbook", name=WORKBOOK)}</a></p>',
    ]
    cards = [
        (t("info.files", lang), report.files),
        (t("info.results", lang), report.results),
        *((label("bands", b, lang), stats.bands[b]) for b in BANDS),
        (t("info.errors", lang), report.errors),
        (t("info.skipped", lang), report.skipped),
        (t("info.copy_groups", lang), report.groups),
    ]
    out.append(f"<h2>{s('overview')}</h2><div class='cards'>")
    out.extend(f'<div class="card"><b>{_e(v)}</b>{_e(k)}</div>' for k, v in cards)
    out.append("</div>")
    out.append(
        f"<p>{_e(t('info.individual_quota', lang))}: <b>{_e(quota_text(stats.individuals, lang))}</b><br>"
        f"{_e(t('info.collective_quota', lang))}: <b>{_e(quota_text(stats.collectives, lang))}</b></p>"
    )
    config_file = report.config_file or t("info.config_default", lang)
    out.append(
        f'<p class="muted" id="config">{_e(t("info.config_hash", lang))}: <code>{_e(report.config_hash)}</code> · '
        f"{_e(t('info.config_file', lang))}: {_e(config_file)}<br>"
        f"{_e(t('info.feedback', lang))}: {_e(feedback_text(report, lang))}</p>"
    )

    # bands per unit, grouped by kind
    out.append(f"<h2>{s('bands_by_unit')}</h2>{_legend(lang)}")
    rows: list[tuple[str, Counter, bool]] = []
    current = None
    for unit in sorted(
        stats.units, key=lambda u: (kind_by_id(u.kind).label(lang), -(u.means.get("overall") or 0), u.unit)
    ):
        if not unit.reports:
            continue
        if unit.kind != current:
            current = unit.kind
            rows.append((kind_by_id(unit.kind).label(lang), Counter(), True))
        rows.append((unit.unit or "—", unit.bands, False))
    out.append(_stacked_bars(rows, lang) if rows else "")

    # kinds compared
    out.append(f"<h2>{s('kinds')}</h2>")
    kinds = [(kind_by_id(k.kind).label(lang), k) for k in stats.kinds if k.reports]
    out.append(_stacked_bars([(name, k.bands, False) for name, k in kinds], lang))
    out.append(
        _hbars([(f"{name} ({c('mean_overall')})", round(k.mean_overall or 0.0, 1)) for name, k in kinds], unit="")
    )

    # distributions
    out.append(f"<h2>{s('distributions')}</h2><div class='hist'>")
    for score in SCORES:
        out.append(_histogram([r[score] for r in ranked if r.get(score) is not None], label("scores", score, lang)))
    out.append("</div>")

    # stock phrases
    out.append(f"<h2>{s('phrases')}</h2><p class='muted'>{s('phrases_help')}</p>")
    out.append(_hbars([(p, n) for p, n in stats.stock_phrases]) or "<p>—</p>")

    # quota and flags
    out.append(f"<h2>{s('flags')}</h2>")
    flagged = [u for u in stats.units if unit_flags(u, lang)]
    if flagged:
        out.append(
            f"<table><tr><th>{c('kind')}</th><th>{c('unit')}</th><th>{c('reports')}</th><th>{c('quota_share')}</th>"
            f"<th>{c('high_share')}</th><th>{c('weak_share')}</th><th>{c('flag')}</th></tr>"
        )
        for u in flagged:
            high = f"{u.high_share:.0%}" if u.high_share is not None else "—"
            out.append(
                f"<tr><td>{_e(kind_by_id(u.kind).label(lang))}</td><td>{_e(u.unit or '—')}</td>"
                f'<td class="n">{u.reports}</td><td>{_e(quota_text(u.individuals, lang))}</td>'
                f'<td class="n">{high}</td><td class="n">{u.weak_share:.0%}</td><td>{_e(unit_flags(u, lang))}</td></tr>'
            )
        out.append("</table>")
    else:
        out.append(f"<p>{s('no_flags')}</p>")
    out.append(f'<p class="muted">{_e(t("quota.rule", lang))}</p>')

    # weakest reports
    out.append(f"<h2>{s('weakest')}</h2><table>")
    out.append(
        f"<tr><th>{c('rank')}</th><th>{c('band')}</th><th>{c('overall')}</th><th>{c('name')}</th>"
        f"<th>{c('unit')}</th><th>{c('self_rating')}</th><th>{c('html')}</th></tr>"
    )
    for row in ranked[:25]:
        out.append(
            f'<tr><td class="n">{row["rank"]}</td><td class="band-{_e(row["band"])}">{_e(label("bands", row["band"], lang))}</td>'
            f'<td class="n">{row["overall"]:.1f}</td><td>{_e(row.get("name") or "—")}</td><td>{_e(row["unit"] or "—")}</td>'
            f'<td>{_e(row.get("self_rating") or "—")}</td><td><a href="{_e(row["html"])}">{_e(t("open_page", lang))}</a></td></tr>'
        )
    out.append("</table>")

    # copies
    out.append(f"<h2>{s('copies')}</h2>")
    if groups:
        out.append(
            f"<table><tr><th>{c('copy_group')}</th><th>{c('path')}</th><th>{c('name')}</th>"
            f"<th>{c('copy_similarity')}</th><th>{c('passages')}</th></tr>"
        )
        for member in groups:
            passages = "".join(f"<blockquote>{_e(p)}</blockquote>" for p in member.get("passage_list") or [])
            link = (
                f'<a href="{_e(member["html"])}">{_e(member["path"])}</a>' if member.get("html") else _e(member["path"])
            )
            out.append(
                f"<tr><td>{_e(member['copy_group'])}</td><td>{link}</td><td>{_e(member.get('name') or '—')}</td>"
                f'<td class="n">{member["copy_similarity"]:.0%}</td><td>{passages}</td></tr>'
            )
        out.append("</table>")
    else:
        out.append(f"<p>{s('no_copies')}</p>")

    out.extend(_cross_section(report, lang))

    # errors
    out.append(f"<h2>{s('errors')}</h2>")
    if errors:
        counts = Counter((t(f"status.{e['status']}", lang), error_reason(e, lang)) for e in errors)
        out.append(f"<table><tr><th>{c('status')}</th><th>{c('reason')}</th><th>{s('count')}</th></tr>")
        for (status, reason), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f'<tr><td>{_e(status)}</td><td>{_e(reason)}</td><td class="n">{n}</td></tr>')
        out.append("</table>")
    else:
        out.append(f"<p>{s('no_errors')}</p>")
    out.append(f"<footer>{s('footer', version=__version__)}</footer></main></body></html>")
    return "\n".join(out)
