"""Renderers of an :class:`~nlp.schema.AnalysisResult`: a standalone HTML page and a rich terminal view.

>>> from nlp.render import render_html, render_terminal
>>> page = render_html(result)                 # Vietnamese; render_html(result, lang="en") for English
>>> render_terminal(result, rich.console.Console())

Each renderer is imported when first asked for, so the terminal view never loads the page's templates and the
page never loads rich.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nlp.render.html import render_html
    from nlp.render.terminal import render_terminal

__all__ = ["render_html", "render_terminal"]


def __getattr__(name: str):
    if name == "render_html":
        from nlp.render.html import render_html

        return render_html
    if name == "render_terminal":
        from nlp.render.terminal import render_terminal

        return render_terminal
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
