"""The forms' own instructions: find the printed prompts and guide lead-ins left in a report.

Reports copied from a template or a published sample keep the form's italic prompts ("Liên hệ các biểu hiện
về suy thoái…", "Kiểm điểm rõ từng hạn chế, khuyết điểm…"), the guide's lead-ins ("Có thể dựa trên các tiêu
chí sau:", "Tự tìm ra nguyên nhân…"), the list of rating levels to choose from and the self-scoring blanks
("…/30"). :func:`find_prompts` returns where they are, so that a segmenter keeps them structural (and can use
an item prompt as a heading of its section) and :mod:`nlp.detect.form_instructions` reports them once.

The cues are data (``nlp/data/form_prompts.yaml``), matched on the accent-folded text (same length as the
text, so offsets carry over), tolerant of missing diacritics, punctuation differences and words run together.
A prompt may be followed by the writer's own content on the same line: a span ends where the prompt ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from nlp.data.patterns import compile as compiled
from nlp.lexicon import load_yaml
from nlp.normalize import fold

# A literal space in a pattern: any short run of non-letters (or none: words run together).
_GAP = r"[^a-z0-9]{0,8}"
#: Kinds that show the report still carries the form's instructions (items and bare dots do not).
INSTRUCTION_KINDS = frozenset({"instruction", "guide", "options", "blank"})
_MARKER_TAIL = re.compile(r"(?:\(?(?:[ivx]{1,4}|\d{1,2}|[a-h])[.)/:]|[-+*]|\()$")
_BEFORE_MARKER_OK = set('\n.;:!?…"”»)')
_CLOSERS = set("\"”»’'")


@dataclass(frozen=True, slots=True)
class PromptSpan:
    """Prompt text at ``[start, end)``: which prompt, the section it belongs to (or None) and its kind."""

    start: int
    end: int
    prompt_id: str
    section: str | None = None
    kind: str = "instruction"


@dataclass(frozen=True, slots=True)
class PromptInfo:
    """One entry of ``form_prompts.yaml``."""

    id: str
    kind: str
    section: str | None
    forms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Prompt:
    info: PromptInfo
    patterns: tuple[tuple[str, str], ...]  # (key, pattern): skip the pattern when key is absent
    before: str | None  # patterns are compiled on first use (most never are: their key is not in the text)


@cache
def _compile(pattern: str) -> re.Pattern[str]:
    return compiled(pattern.replace(" ", _GAP), re.DOTALL)


_LEADING_WORDS = re.compile(r"[a-z ]+")


def _key(pattern: str) -> str:
    """Up to three literal words a pattern starts with, spaces removed ('' when it starts otherwise): a cheap
    test on the text with its spaces removed tells whether the pattern can match at all."""
    match = _LEADING_WORDS.match(pattern)
    if not match:
        return ""
    literal = match.group()
    if pattern[match.end() : match.end() + 1] in {"?", "*", "{"}:
        literal = literal[:-1]
    return "".join(literal.split()[:3])


@cache
def _prompts() -> tuple[_Prompt, ...]:
    entries = load_yaml("form_prompts.yaml")["prompts"]
    return tuple(
        _Prompt(
            info=PromptInfo(e["id"], e["kind"], e.get("section"), tuple(e.get("forms", ()))),
            patterns=tuple((_key(p), p) for p in e["patterns"]),
            before=e.get("before") or None,
        )
        for e in entries
    )


def prompt_info(prompt_id: str) -> PromptInfo:
    """The catalogue entry of ``prompt_id`` (KeyError if unknown)."""
    for prompt in _prompts():
        if prompt.info.id == prompt_id:
            return prompt.info
    raise KeyError(prompt_id)


def all_prompts() -> list[PromptInfo]:
    """Every prompt of the catalogue, in file order."""
    return [p.info for p in _prompts()]


def find_prompts(text: str, folded: str | None = None) -> list[PromptSpan]:
    """Spans of the form's prompt text in ``text`` (``folded`` = ``fold(text)`` if precomputed), in order,
    not overlapping. A span covers the prompt only, not content written after it on the same line."""
    folded = fold(text) if folded is None else folded
    compact = folded.replace(" ", "")
    candidates: list[PromptSpan] = []
    for prompt in _prompts():
        for key, pattern in prompt.patterns:
            if key and key not in compact:
                continue
            compiled = _compile(pattern)
            pos = 0
            while True:
                match = compiled.search(folded, pos)
                if match is None:
                    break
                start, end = match.span()
                if end == start or (start > 0 and folded[start].isalnum() and folded[start - 1].isalnum()):
                    pos = start + 1
                    continue
                candidates.append(_widen(folded, start, end, prompt))
                pos = end
    candidates.sort(key=lambda s: (s.start, -(s.end - s.start)))
    spans: list[PromptSpan] = []
    for span in candidates:
        if spans and span.start < spans[-1].end:
            continue
        spans.append(span)
    return spans


def _widen(folded: str, start: int, end: int, prompt: _Prompt) -> PromptSpan:
    if prompt.before is not None:
        window = max(0, start - 90)
        match = _compile(prompt.before).search(folded, window, start)
        if match and match.end() == start and "\n" not in match.group() and any(c.isalnum() for c in match.group()):
            start = match.start()
            while start < end and not folded[start].isalnum():
                start += 1
    start = _widen_start(folded, start)
    end = _widen_end(folded, start, end)
    info = prompt.info
    return PromptSpan(start, end, info.id, info.section, info.kind)


def _widen_start(folded: str, start: int) -> int:
    """Take in a list marker right before the prompt ("1. ", "a) ", "- ", "(")."""
    j = start
    while j > 0 and folded[j - 1] in " \t":
        j -= 1
    window = max(0, j - 6)
    match = _MARKER_TAIL.search(folded, window, j)
    if not match:
        return start
    k = match.start()
    p = k
    while p > 0 and folded[p - 1] in " \t":
        p -= 1
    if p == 0 or folded[p - 1] in _BEFORE_MARKER_OK:
        return k
    return start


def _widen_end(folded: str, start: int, end: int) -> int:
    """Take in closing quotes and brackets, then one ':' / '.' / ';' (not the start of an ellipsis)."""
    n = len(folded)
    while end < n and (folded[end] in _CLOSERS or (folded[end] == ")" and _unclosed(folded, start, end))):
        end += 1
    if (end < n and folded[end] in ":;") or (end < n and folded[end] == "." and folded[end + 1 : end + 2] != "."):
        end += 1
    return end


def _unclosed(folded: str, start: int, end: int) -> bool:
    segment = folded[start:end]
    return segment.count("(") > segment.count(")")


def is_prompt(sentence: str) -> bool:
    """True when ``sentence`` (one unit) is the form's prompt text through and through: prompts cover all its
    words but for numbering and a few stray letters."""
    folded = fold(sentence)
    spans = find_prompts(sentence, folded)
    if not spans:
        return False
    covered = [False] * len(folded)
    for span in spans:
        for i in range(span.start, span.end):
            covered[i] = True
    total = sum(1 for c in folded if c.isalpha())
    outside = sum(1 for i, c in enumerate(folded) if c.isalpha() and not covered[i])
    return outside <= max(2, total // 10)
