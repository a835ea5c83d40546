"""Two-column lines with a hanging indent, drawn straight from rich ``Text``, for the terminal renderer.

The report view prints one small grid per sentence and per finding (a number or a ``▸`` in a narrow column, the
text wrapped beside it). rich's ``Table.grid`` measures, lays out and pads every such grid through several layers
of renderables; :class:`HangingBlock` lays out the same lines directly, column widths and padding as
``Table.grid(padding=(0, 1))`` with a fixed first column and a wrapping second one gives them, so the output reads
the same at a fraction of the cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from rich._wrap import divide_line
from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.text import Text


def _max_line_width(text: Text) -> int:
    lines = text.plain.splitlines()
    return max((cell_len(line) for line in lines), default=0)


@dataclass
class HangingBlock:
    """Rows of (``left``, ``right``): ``left`` in a column ``left_width`` wide (right-aligned when
    ``align_right``), then one space, then ``right`` wrapped to what the console's width leaves, after ``indent``
    blank columns. The right column is as wide as its widest row, at most the room left."""

    left_width: int
    indent: int = 0
    align_right: bool = False
    rows: list[tuple[Text, Text]] = field(default_factory=list)

    def add_row(self, left: Text | str, right: Text) -> None:
        """Add one row (a plain ``str`` on the left is unstyled)."""
        self.rows.append((Text(left) if isinstance(left, str) else left, right))

    def lines(self, console: Console, width: int) -> list[list[Segment]]:
        """The block's lines as segments, for a console ``width`` columns wide."""
        room = max(1, width - self.indent - self.left_width - 1)
        right_width = min(room, max((_max_line_width(right) for _, right in self.rows), default=0)) or 1
        pad = [Segment(" " * self.indent)] if self.indent else []
        gap = Segment(" ")
        blank_left = Segment(" " * self.left_width)
        out: list[list[Segment]] = []
        for left, right in self.rows:
            left_line = _cell(console, left, self.left_width, "right" if self.align_right else "left", no_wrap=True)
            if _plain(right):  # one style for the whole text: wrapped as a string, one segment a line
                style = console.get_style(right.style) if right.style else None
                right_lines = [[Segment(line, style)] for line in _wrap_plain(right.plain, right_width)]
            else:
                right_lines = [_render(console, line) for line in _wrap(console, right, right_width)]
            for number, line_segments in enumerate(right_lines):
                first = left_line if number == 0 else [blank_left]
                out.append([*pad, *first, gap, *line_segments])
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        new_line = Segment.line()
        for line in self.lines(console, options.max_width):
            yield from line
            yield new_line


def _fits(text: Text, width: int) -> bool:
    """One line, no tab, no wider than ``width``: rich's wrapping would leave it as it is."""
    plain = text.plain
    return "\n" not in plain and "\t" not in plain and cell_len(plain) <= width


def _plain(text: Text) -> bool:
    """No spans, no line break, no tab: rich would wrap it as a plain string."""
    plain = text.plain
    return not text.spans and "\n" not in plain and "\t" not in plain


_TRAILING_SPACE = re.compile(r"\s+$")


def _wrap_plain(plain: str, width: int) -> list[str]:
    """What ``Text.wrap(width, justify="left", overflow="fold")`` makes of a one-line text without spans, as
    strings: rich's own line breaking (``divide_line``), then, as ``Text.rstrip_end`` and ``Text.truncate`` do, the
    spaces beyond the width dropped, a longer line cut and a shorter one padded."""
    if cell_len(plain) <= width:
        return [plain + " " * (width - cell_len(plain))]
    offsets = [0, *divide_line(plain, width, fold=True), len(plain)]
    lines = []
    for start, end in pairwise(offsets):
        line = plain[start:end]
        if len(line) > width and (space := _TRAILING_SPACE.search(line)):
            line = line[: len(line) - min(len(space.group()), len(line) - width)]
        size = cell_len(line)
        lines.append(set_cell_size(line, width) if size > width else line + " " * (width - size))
    return lines


def _wrap(console: Console, text: Text, width: int) -> list[Text]:
    """``text`` wrapped to ``width`` and each line padded to it (rich's left-justified wrap)."""
    if _fits(text, width):
        line = text.copy()
        line.truncate(width, overflow="fold", pad=True)
        return [line]
    lines = text.wrap(console, width, justify="left", overflow="fold")
    for line in lines:
        line.truncate(width, overflow="fold", pad=True)
    return list(lines)


def _cell(console: Console, text: Text, width: int, justify: str, *, no_wrap: bool) -> list[Segment]:
    """The first line of ``text`` laid out in a cell ``width`` wide."""
    if not text.plain and not text.style:
        return [Segment(" " * width)]
    if justify == "right" and not text.spans and _fits(text, width):
        plain = text.plain.rstrip()
        return _render(console, Text(" " * (width - cell_len(plain)) + plain, style=text.style))
    lines = text.wrap(console, width, justify=justify, overflow="fold", no_wrap=no_wrap)
    line = lines[0] if lines else Text()
    line.truncate(width, overflow="fold", pad=True)
    return _render(console, line)


def _render(console: Console, line: Text) -> list[Segment]:
    """One laid-out line as segments; its base style becomes a span first, as rich does for a wrapped text (a line
    without spans is one segment in its base style)."""
    if not line.spans:
        return [Segment(line.plain, console.get_style(line.style) if line.style else None)]
    return list(Text("\n").join([line]).render(console))
