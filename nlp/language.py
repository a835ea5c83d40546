"""Is this text Vietnamese? A syllable check that tells Vietnamese typed without diacritics from English.

Vietnamese writes every syllable as its own word, and a syllable is an onset (b, ch, ngh, qu…) plus one of
about 150 rhymes (a, anh, uyên, ương…): a closed inventory. So the share of a text's words that are valid
Vietnamese syllables separates the languages even when the diacritics are missing: a Vietnamese report
typed without them is still ~95% syllables ("ban kiem diem ca nhan"), an English or French paragraph is
20–45% ("the", "can", "long" happen to spell syllables; "report", "and", "with", "très" do not). Diacritics
are a second, independent piece of evidence: a text whose words carry Vietnamese marks on valid syllables
(ư, ơ, đ, ấ…) is Vietnamese whatever else it quotes.

Neither dependency parses syllables: ``viparse`` offers a character-frequency score and a private
"alien letters / long words" test (both built to judge a legacy-font conversion, and the frequency score
cannot tell Vietnamese from other Latin languages, as its own notes say); ``underthesea``'s IPA ``Syllable``
accepts any consonant as a coda (so "bad", "is", "box" pass). The inventory below is the standard one of
Vietnamese orthography.

Words that are evidence of nothing are left out of the count: single letters, acronyms (ISO, COVID, UBND,
HĐND), words in e-mail addresses and URLs, CamelCase product names. Letters of other scripts (Chinese,
Japanese, Korean, Cyrillic…) count one word each and are never Vietnamese. Text typed with a legacy font
(TCVN3, VNI) and pasted without conversion is judged after conversion. Fewer than :data:`MIN_WORDS` counted
words is too little to judge, and is accepted.

Nothing here keeps or reports any of the text: :class:`LanguageCheck` holds counts only.

Why refuse rather than analyse with a warning: every stage after this one (lexicons, rules, the sentence
models, the section and form detectors) reads Vietnamese only. An English report would come out with a confident
band ("yếu", every section "missing") that means nothing, and in a batch it would sit at the top of the ranking
of weak reports, where a warning is easy to miss. A refusal (:class:`~nlp.errors.NotVietnameseError`, KD-E011)
says what is wrong in both languages, keeps the batch's one-row-per-file rule (an error row), and gives the API
HTTP 422 like the other "read, but nothing to analyse" refusal (KD-E002, empty): the request and the file format
were fine (415 is for formats and media types), the content is not something kiemdiem can analyse.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from nlp.errors import NotVietnameseError

#: Fewer counted words than this cannot be judged (a title, a name, "OK"): accepted.
MIN_WORDS = 5
#: Share of counted words that must be Vietnamese syllables (with or without diacritics).
MIN_SYLLABLE_SHARE = 0.6
#: ...or, failing that, share of counted words that are syllables carrying Vietnamese diacritics.
MIN_MARKED_SHARE = 0.3

_ONSET_SPELLINGS = "ngh ng nh ch gh gi kh ph qu th tr b c d đ g h k l m n p r s t v x"
_ONSETS = _ONSET_SPELLINGS.split()
_CODAS = {
    "a": "m n ng nh p t c ch",
    "ă": "m n ng p t c",
    "â": "m n ng p t c",
    "e": "m n ng p t c",
    "ê": "m n ng nh p t ch",
    "i": "m n nh p t ch",
    "o": "m n ng p t c",
    "oo": "ng c",
    "ô": "m n ng p t c",
    "ơ": "m n p t",
    "u": "m n ng p t c",
    "ư": "m n ng t c",
    "iê": "m n ng p t c u",
    "yê": "m n ng t u",
    "uô": "m n ng t c i",
    "ươ": "m n ng p t c i u",
    "oa": "m n ng nh p t c ch i y o",
    "oă": "m n ng t c",
    "oe": "m n t o",
    "uâ": "n ng t y",
    "uê": "nh ch",
    "uy": "n nh t ch p u",
    "uyê": "n t",
}
# Rhymes without a coda; the coda-bearing ones (including glides: iêu, ươi, oai…) come from _CODAS.
_OPEN_RHYMES = "a ai ao au ay âu ây e eo ê êu i ia iu o oi ô ôi ơ ơi u ua ui uơ uê uy uya ư ưa ưi ưu y oa oe"
_OPEN = _OPEN_RHYMES.split()
_RHYMES: frozenset[str] = frozenset(
    _OPEN + [nucleus + coda for nucleus, codas in _CODAS.items() for coda in codas.split()]
)
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_ALPHABET = frozenset("aăâbcdđeêghiklmnoôơpqrstuưvxy")
_MARKED = frozenset("ăâđêôơư")


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).replace("đ", "d")


_FOLDED_ONSETS = frozenset(_fold(o) for o in _ONSETS)
_FOLDED_RHYMES = frozenset(_fold(r) for r in _RHYMES)

_ADDRESS = re.compile(r"\S+@\S+|\b(?:https?://|www\.)\S+", re.IGNORECASE)
# CJK ideographs, kana and Hangul are written without spaces: each character counts as a word.
_OTHER_SCRIPT_CHAR = re.compile(r"[\u0370-\u1dff\u2e80-\ud7ff\uf900-\ufaff\uff66-\uffdc]")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class LanguageCheck:
    """The verdict and the counts behind it (no text)."""

    is_vietnamese: bool
    share: float  # share of counted words that are Vietnamese syllables
    marked_share: float  # share of counted words that are syllables with Vietnamese diacritics
    words: int  # counted words
    detail: str  # the counts in words, fit for an error's detail

    @property
    def judged(self) -> bool:
        """Whether there were enough words to judge at all."""
        return self.words >= MIN_WORDS


def detect_language(text: str) -> LanguageCheck:
    """Judge whether ``text`` is Vietnamese (with or without diacritics, or in a legacy font)."""
    check = _check(text)
    if not check.is_vietnamese:
        from nlp.ingest import legacy  # pasted TCVN3/VNI text is Vietnamese once converted

        encoding = legacy.detect(text)
        if encoding:
            converted = _check(legacy.convert(text, encoding))
            if converted.is_vietnamese:
                return converted
    return check


def _check(text: str) -> LanguageCheck:
    text = unicodedata.normalize("NFC", _ADDRESS.sub(" ", text))
    words = syllables = marked = other_script = 0
    for token in _WORD.findall(text):
        foreign = len(_OTHER_SCRIPT_CHAR.findall(token))
        if foreign:
            other_script += foreign
            continue
        verdict = _classify(token)
        if verdict is None:
            continue
        words += 1
        if verdict:
            syllables += 1
            marked += verdict == "marked"
    words += other_script
    share = syllables / words if words else 1.0
    marked_share = marked / words if words else 0.0
    is_vietnamese = words < MIN_WORDS or share >= MIN_SYLLABLE_SHARE or marked_share >= MIN_MARKED_SHARE
    detail = f"{words} words, {share:.0%} Vietnamese syllables, {marked_share:.0%} with Vietnamese diacritics" + (
        f", {other_script} characters of another script" if other_script else ""
    )
    return LanguageCheck(is_vietnamese, round(share, 3), round(marked_share, 3), words, detail)


@lru_cache(maxsize=50000)
def _classify(token: str) -> str | bool | None:
    """``None`` for a word that is evidence of nothing, else False, True or "marked" (a syllable with marks)."""
    if len(token) < 2:
        return None
    lower = token.lower()
    is_syllable, has_marks = _syllable(lower)
    if is_syllable:
        return "marked" if has_marks else True
    if token.isupper() and len(token) <= 6:  # an acronym: ISO, COVID, UBND, HĐND, ASEAN
        return None
    if any(c.isupper() for c in token[1:]) and not token.isupper():  # CamelCase: iPhone, PowerPoint
        return None
    return False


def _syllable(lower: str) -> tuple[bool, bool]:
    """Whether ``lower`` spells one Vietnamese syllable, and whether it carries Vietnamese diacritics."""
    if lower.isascii():
        folded = lower
        return any(_splits(folded, onset, _FOLDED_RHYMES) for onset in ("", *_FOLDED_ONSETS)), False
    decomposed = unicodedata.normalize("NFD", lower)
    tones = sum(1 for c in decomposed if c in _TONES)
    if tones > 1:
        return False, False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    if not set(base) <= _ALPHABET:
        return False, False
    ok = any(_splits(base, onset, _RHYMES) for onset in ("", *_ONSETS))
    return ok, ok and (tones > 0 or bool(_MARKED & set(base)))


def _splits(word: str, onset: str, rhymes: frozenset[str]) -> bool:
    if not word.startswith(onset):
        return False
    rhyme = word[len(onset) :]
    if rhyme in rhymes:
        return True
    # "gì", "gìn": the i of gi is the nucleus; "quy"/"quý" are qu + y, covered by the rhyme "y".
    return onset == "gi" and ("i" + rhyme) in rhymes


def require_vietnamese(text: str) -> LanguageCheck:
    """Return the check of ``text``; raise :class:`~nlp.errors.NotVietnameseError` when it is not Vietnamese."""
    check = detect_language(text)
    if not check.is_vietnamese:
        raise NotVietnameseError(check.detail)
    return check
