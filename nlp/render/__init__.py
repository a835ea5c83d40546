"""Renderers of an :class:`~nlp.schema.AnalysisResult`: a standalone HTML page and a rich terminal view.

>>> from nlp.render import render_html, render_terminal
>>> page = render_html(result)                 # Vietnamese; render_html(result, lang="en") for English
>>> render_terminal(result, rich.console.Console())
"""

from nlp.render.html import render_html
from nlp.render.terminal import render_terminal

__all__ = ["render_html", "render_terminal"]
