"""Features of sentence units for trained classifiers: the words, and the rules' evidence as numbers.

A unit is described by two views that the models combine:

- ``texts``: the unit's words (underthesea segmentation, syllables of a word joined by "_"), lower-cased and
  accent-folded when the report has no diacritics, prefixed by its section (``§shortcomings``);
- ``dense``: what the rules saw — each rule's candidate strength, each lexicon's hit count, each anchor kind, the
  section, the unit kind, the length — so a model can weigh the rules' evidence instead of repeating it.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from nlp.catalog import rules
from nlp.detect.sentence_rules import Candidate
from nlp.doc import Doc, Unit
from nlp.features import ANCHOR_KINDS
from nlp.lexicon import default_lexicons
from nlp.schema import SECTION_IDS

UNIT_KINDS = ("content", "item")


@cache
def dense_names() -> tuple[str, ...]:
    """Names of the dense feature columns, in order (stable across runs: a saved model relies on it)."""
    sentence_rules = sorted(r for r, spec in rules().items() if spec["category"] in {"generic", "evasive"})
    lexicons = sorted(default_lexicons().lists)
    return (
        *(f"rule:{r}" for r in sentence_rules),
        *(f"lex:{name}" for name in lexicons),
        *(f"anchor:{kind}" for kind in ANCHOR_KINDS),
        *(f"section:{s}" for s in SECTION_IDS),
        *(f"kind:{k}" for k in UNIT_KINDS),
        "anchors:count",
        "words:log",
        "diacritics",
        "role:collective",
        "role:leader",
    )


def unit_text(doc: Doc, unit: Unit) -> str:
    """The unit as words for a bag-of-words model, with its section as a leading token."""
    words = [doc.text[start:end].lower().replace(" ", "_") for start, end in unit.words] or unit.text.lower().split()
    if not doc.diacritics:
        words = [_fold_word(w) for w in words]
    return " ".join([f"§{unit.section or 'none'}", *words])


def _fold_word(word: str) -> str:
    from nlp.normalize import fold

    return fold(word)


@cache
def _dense_index(names: tuple[str, ...]) -> dict[str, int]:
    return {name: i for i, name in enumerate(names)}


@cache
def _prefixed_columns(prefix: str) -> dict[str, int]:
    """Column of each ``<prefix><name>`` dense feature, by name (``rule:``, ``lex:``, ``anchor:``…)."""
    return {name[len(prefix) :]: i for name, i in _dense_index(dense_names()).items() if name.startswith(prefix)}


def unit_dense(doc: Doc, unit: Unit, found: list[Candidate]) -> np.ndarray:
    """The dense feature vector of one unit (see :func:`dense_names`)."""
    index = _dense_index(dense_names())
    vector = np.zeros(len(index), dtype=np.float32)
    rule_columns = _prefixed_columns("rule:")
    for candidate in found:
        column = rule_columns.get(candidate.rule)
        if column is not None:
            vector[column] = max(vector[column], candidate.strength)
    lexicon_columns = _prefixed_columns("lex:")
    hits: dict[int, int] = {}  # column → hits, each adding 1.0 to its column (exact in float32)
    for hit in unit.hits:
        column = lexicon_columns.get(hit.lexicon)
        if column is not None:
            hits[column] = hits.get(column, 0) + 1
    for column, count in hits.items():
        vector[column] = count
    anchors = 0
    anchor_columns = _prefixed_columns("anchor:")
    for kind, spans in unit.anchors.items():
        column = anchor_columns.get(kind)
        if column is not None and spans:
            vector[column] = 1.0
            anchors += len(spans)
    for key in (f"section:{unit.section}", f"kind:{unit.kind}", f"role:{doc.role}"):
        if key in index:
            vector[index[key]] = 1.0
    vector[index["anchors:count"]] = math.log1p(anchors)
    vector[index["words:log"]] = math.log1p(len(unit.words) or len(unit.text.split()))
    vector[index["diacritics"]] = 1.0 if doc.diacritics else 0.0
    return vector


def featurize(doc: Doc, candidates: list[list[Candidate]]) -> tuple[list[int], list[str], np.ndarray]:
    """(indexes of the content units, their texts, their dense matrix) for one report."""
    indexes, texts, rows = [], [], []
    for index, (unit, found) in enumerate(zip(doc.units, candidates, strict=True)):
        if unit.structural:
            continue
        indexes.append(index)
        texts.append(unit_text(doc, unit))
        rows.append(unit_dense(doc, unit, found))
    dense = np.vstack(rows) if rows else np.zeros((0, len(dense_names())), dtype=np.float32)
    return indexes, texts, dense


# -- context (an option of the linear variant: ``linear-context``) ------------------------------------------------

CONTEXT_SEPARATOR = "\x1f"  # between a unit's words and its context's words in one text (never in a unit's words)
CONTEXT_PREFIX = "prev:"
CONTEXT_START = "prev:<start>"  # the first content unit of its section
POSITION_NAMES = ("position:log", "position:first")


def context_dense_names() -> tuple[str, ...]:
    """Columns of :func:`featurize_context`'s dense matrix: the unit's own, its previous unit's, its position."""
    names = dense_names()
    return (*names, *(f"{CONTEXT_PREFIX}{name}" for name in names), *POSITION_NAMES)


def split_context(texts: list[str]) -> tuple[list[str], list[str]]:
    """The units' own texts and their context texts, from texts joined by :data:`CONTEXT_SEPARATOR`."""
    own, context = [], []
    for text in texts:
        head, _, tail = text.partition(CONTEXT_SEPARATOR)
        own.append(head)
        context.append(tail)
    return own, context


def featurize_context(doc: Doc, candidates: list[list[Candidate]]) -> tuple[list[int], list[str], np.ndarray]:
    """:func:`featurize` plus each content unit's context, computed from the segmented ``Doc`` alone (never gold):
    the previous content unit of the same section (its words prefixed ``prev:`` after
    :data:`CONTEXT_SEPARATOR`; its rule evidence as extra dense columns) and the unit's position in its section
    (see :func:`context_dense_names`)."""
    indexes, texts, dense = featurize(doc, candidates)
    width = len(dense_names())
    previous: dict[str | None, int] = {}  # section → row of its latest content unit
    seen: dict[str | None, int] = {}  # section → content units so far
    joined: list[str] = []
    rows = np.zeros((len(indexes), 2 * width + len(POSITION_NAMES)), dtype=np.float32)
    rows[:, :width] = dense
    for row, index in enumerate(indexes):
        section = doc.units[index].section
        before = previous.get(section)
        if before is None:
            context = CONTEXT_START
        else:
            context = " ".join(f"{CONTEXT_PREFIX}{word}" for word in texts[before].split()[1:])  # no § token
            rows[row, width : 2 * width] = dense[before]
        position = seen.get(section, 0)
        rows[row, 2 * width :] = (math.log1p(position), 1.0 if position == 0 else 0.0)
        joined.append(f"{texts[row]}{CONTEXT_SEPARATOR}{context}")
        previous[section] = row
        seen[section] = position + 1
    return indexes, joined, rows
