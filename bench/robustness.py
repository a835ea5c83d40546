"""Robustness to layout: the default model on the frozen test split, every report re-laid in every layout.

    python bench/robustness.py            # print the markdown table
    python bench/robustness.py --write    # and replace "## Robustness to layout" in docs/EVALUATION.md

Each report is re-laid without changing a word (:mod:`nlp.relayout`: as written, one line, one line per block,
wrapped at 70 characters with page numbers, no diacritics, .docx, .docx with soft line breaks, .pdf), analysed,
and its gold units are matched to the result by their words (``kiemdiem evaluate --layout``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.evaluate import evaluate_layout, layouts_table  # noqa: E402
from nlp.model.corpus import reports_in  # noqa: E402
from nlp.relayout import EXTRA_LAYOUTS, LAYOUTS  # noqa: E402

DOC = ROOT / "docs" / "EVALUATION.md"
HEADING = "## Robustness to layout"
COMMAND = "python bench/robustness.py --write"
MACHINE = "2-core dev machine"


def run(split: str = "test", layouts: tuple[str, ...] = LAYOUTS + EXTRA_LAYOUTS) -> tuple[dict[str, dict], float]:
    """The evaluation summary of the default classifier per layout, and the seconds it took."""
    from nlp.classify import default_classifier

    records = reports_in(split)
    classifier = default_classifier()
    started = time.perf_counter()
    summaries = {layout: evaluate_layout(records, layout, classifier).summary() for layout in layouts}
    return summaries, time.perf_counter() - started


def section(summaries: dict[str, dict], classifier: str, seconds: float, today: dt.date, note: str = "") -> str:
    """The markdown section written into docs/EVALUATION.md."""
    first = next(iter(summaries.values()))
    note = f"\n{note.strip()}\n" if note.strip() else ""
    return f"""{HEADING}

The default classifier (`{classifier}`) on the frozen test split
({first["reports"]} reports, {first["content_units"]} content units), each report re-laid without changing a word
before analysis; gold units are matched to the result by their words, ignoring whitespace (a gold unit that cannot
be placed counts as missed). In parentheses: the difference from `as_written`. Layouts: `one_line` every
whitespace run is one space; `blocks` one line per blank-line-separated block; `wrap70` lines hard-wrapped at 70
characters, blank lines dropped and a page number alone on a line every 45 lines, as PDF text extraction gives
them; `no_diacritics` typed without diacritics; `docx` a Word file with one paragraph per line; `docx_breaks` one
paragraph per block, its lines joined by soft line breaks; `pdf` an A4 PDF (fpdf2, DejaVu Sans 12 pt, justified,
page numbers in the footer) read back with pypdf.

{layouts_table(summaries)}

Measured {today.isoformat()} on a {MACHINE} ({seconds:.0f} s for all layouts) with `{COMMAND}`;
the same figures per layout, in full: `kiemdiem evaluate test --layout all`. Goal (issue 10): every layout within
0.03 of `as_written` in generic and evasive F1, within 0.05 in band and accountability accuracy, section F1 ≥ 0.90.
{note}"""


def write(text: str, doc: Path = DOC) -> None:
    """Replace the robustness section of ``doc`` (or add it before "## Limits", else at the end)."""
    content = doc.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    block = text.rstrip("\n") + "\n\n"
    if pattern.search(content):
        content = pattern.sub(lambda _: block, content, count=1)
    elif "\n## Limits" in content:
        content = content.replace("\n## Limits", "\n" + block + "## Limits", 1)
    else:
        content = content.rstrip("\n") + "\n\n" + block
    doc.write_text(content.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help=f"replace the section in {DOC.relative_to(ROOT)}")
    parser.add_argument("--split", default="test", help="corpus split (the recorded table is on test)")
    parser.add_argument("--note", default="", help="a sentence added under the table (what was measured)")
    args = parser.parse_args()
    from nlp.classify import default_classifier

    summaries, seconds = run(args.split)
    print(layouts_table(summaries))
    print(f"\n{seconds:.0f} s")
    if args.write:
        if args.split != "test":
            parser.error("--write records the test split only")
        today = dt.datetime.now(dt.UTC).date()
        write(section(summaries, default_classifier().name, seconds, today, args.note))
        print(f"written: {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
