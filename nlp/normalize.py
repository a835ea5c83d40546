"""Normalise: NFC, Vietnamese tone-mark placement, whitespace and bullets; plus an accent-folded key.

The normalised text is what the result returns and what every offset indexes into. The folded key
(:func:`fold`) has exactly the same length, so an offset found in it is an offset in the text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from underthesea.pipeline.text_normalize import token_normalize

_BULLETS = "•●▪▫◦‣⁃∙➢➣➤►▶❖◆◇■□✓✔❑○\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0a8"
_BULLET_LINE = re.compile(rf"^([ \t]*)[{re.escape(_BULLETS)}][ \t]*", re.MULTILINE)
_DASH_BULLET = re.compile(r"^([ \t]*)[–—−][ \t]+", re.MULTILINE)
# A run of spaces becomes one space: the runs that are not one space already (a space and more, or starting with
# another space character); a single space is left where it is instead of being replaced by itself.
_SPACES = re.compile(
    r"(?: [ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000])"
    r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]*"
)
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_WORD_SPLIT = re.compile(r"([^\W\d_]+)", re.UNICODE)  # the words at odd indexes, the text between at even ones
_VIETNAMESE_MARKED = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE)


def normalize(text: str) -> str:
    """Return the canonical form of ``text``: NFC, old-style tone placement, tidy whitespace and bullets.

    Line structure is kept (it carries headings and list items); runs of spaces collapse to one,
    line ends lose trailing spaces, more than one blank line collapses to one, bullet glyphs become "-".
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text)
    text = _BULLET_LINE.sub(r"\1- ", text)
    text = _DASH_BULLET.sub(r"\1- ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _MANY_BLANK_LINES.sub("\n\n", text)
    parts = _WORD_SPLIT.split(text)
    parts[1::2] = map(_normalized_word, parts[1::2])  # each word's tone placement (cached per distinct word)
    return "".join(parts).strip("\n ")


@lru_cache(maxsize=50000)
def _normalized_word(word: str) -> str:
    if not _VIETNAMESE_MARKED.search(word):
        return word
    fixed = _tone_normalize(word)
    # Keep the original case pattern of the word when underthesea lowercases nothing but the map differs.
    return fixed if len(fixed) == len(word) else word


@lru_cache(maxsize=20000)
def _tone_normalize(word: str) -> str:
    lower = word.lower()
    fixed = token_normalize(lower)
    if fixed == lower:
        return word
    if word.isupper():
        return fixed.upper()
    if word[:1].isupper():
        return fixed[:1].upper() + fixed[1:]
    return fixed


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)).lower()
    return base if len(base) == 1 else char.lower()[:1] or char


class _FoldTable(dict):
    """``str.translate`` table of :func:`_fold_char`, filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Accent-folded, lower-cased key of ``text`` with the same length (``đ`` → ``d``, ``Ấ`` → ``a``)."""
    return text.translate(_FOLD_TABLE)


def has_diacritics(text: str, min_words: int = 20, min_share: float = 0.05) -> bool:
    """True unless ``text`` is long enough to judge and almost no word carries a Vietnamese diacritic."""
    words = _WORD.findall(text)
    if len(words) < min_words:
        return True
    marked = sum(map(_is_marked, words))
    return marked / len(words) >= min_share


@lru_cache(maxsize=50000)
def _is_marked(word: str) -> bool:
    """Whether ``word`` carries a Vietnamese diacritic (remembered: the same syllables recur)."""
    return _VIETNAMESE_MARKED.search(word) is not None
