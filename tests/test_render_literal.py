"""The terminal view prints the report's own words as they are: brackets and colons in a header are not rich
markup or emoji codes (before, "[/b]" in a name stopped the view with a MarkupError)."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from nlp import analyze
from nlp.render import render_terminal

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "02a-ngan-hang-yeu.txt"


def test_header_values_are_printed_literally() -> None:
    name = "Phan [/b] Quốc [bold]Bảo :smile: Hà"
    text = EXAMPLE.read_text(encoding="utf-8").replace("Phan Quốc Bảo", name)
    result = analyze(text)
    assert result.header.name == name
    buffer = io.StringIO()
    render_terminal(result, Console(file=buffer, width=100, force_terminal=True))
    assert name in buffer.getvalue()
