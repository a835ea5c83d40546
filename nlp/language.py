"""Is this text Vietnamese? A syllable check that tells Vietnamese typed without diacritics from English.

Vietnamese writes every syllable as its own word, and a syllable is an onset (b, ch, ngh, qu…) plus one of
about 150 rhymes (a, anh, uyên, ương…): a closed inventory. Three measures over the words decide:

- **syllables**: the share of words that are valid Vietnamese syllables, with or without diacritics. A
  Vietnamese report typed without them is 98–100% syllables ("ban kiem diem ca nhan"); an English, French or
  German paragraph 15–35% ("the", "can", "long" happen to spell syllables; "report", "and", "très" do not).
- **diacritics**: the share of words that are syllables carrying Vietnamese marks (ư, ơ, đ, ấ…). At 30% or more
  the text is Vietnamese whatever else it quotes; no other language gets near (Portuguese "não" ~10%).
- **Vietnamese spellings**: plain monosyllabic English can still be 70% "syllables" ("I am not sure that he
  can go to the bank"), but almost none of its words use the spellings Vietnamese is full of (nh-, ng-, kh-,
  tr-, ph-, ch-, gi-; -ng, -nh, -ch; ai, ao, oa, uy, ươ, iê…): 0–5%, against 45–70% for Vietnamese typed
  without diacritics. A short line such as "Ky, ghi ro ho ten" has none, and is 100% syllables.

So: Vietnamese when diacritics ≥ 30%, or syllables ≥ 90%, or syllables ≥ 60% with Vietnamese spellings ≥ 10%.
On the corpus (207 reports), the examples and the real samples, every report and every line of five words or
more, as written and folded to no diacritics, passes; the English paragraphs of this project's docs do not.

Neither dependency parses syllables: ``viparse`` offers a character-frequency score and a private
"alien letters / long words" test (both built to judge a legacy-font conversion, and the frequency score
cannot tell Vietnamese from other Latin languages, as its own notes say); ``underthesea``'s IPA ``Syllable``
accepts any consonant as a coda (so "bad", "is", "box" pass). The inventory below is the standard one of
Vietnamese orthography.

Words that are evidence of nothing are left out of the count: single letters, acronyms (ISO, COVID, UBND,
HĐND), e-mail addresses, URLs and codes (01-HD, KĐ.ĐG, COVID-19), CamelCase product names. Letters of other
scripts (Chinese, Japanese, Korean, Cyrillic…) count one word each and are never Vietnamese. Text typed with
a legacy font (TCVN3, VNI) and pasted without conversion is judged after conversion. Fewer than
:data:`MIN_WORDS` counted words is too little to judge, and is accepted.

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
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache

from nlp.errors import NotVietnameseError

#: Fewer counted words than this cannot be judged (a title, a name, "OK"): accepted.
MIN_WORDS = 5
#: Diacritics: this share of counted words being syllables with Vietnamese marks is Vietnamese, whatever else
#: the text quotes (no other language comes near: Portuguese "não", "só" ~10%; French "très", "été" are no syllables).
MIN_MARKED_SHARE = 0.3
#: Without diacritics: this share of syllables is Vietnamese on its own...
MIN_SYLLABLE_SHARE_ALONE = 0.9
#: ...and this share is, when at least MIN_DISTINCTIVE_SHARE of the words have a spelling only Vietnamese has much
#: use for (nh-, ng-, kh-, tr-, ph-, ch-, gi-; -ng, -nh, -ch; oa, uy, ươ, iê, ai, ao...). Simple English can be
#: 70% "syllables" (I am not sure that he can go to the bank) but has 0-5% such spellings; Vietnamese typed
#: without diacritics has 45-70% (a short line like "Ky, ghi ro ho ten" may have none, and is 100% syllables).
MIN_SYLLABLE_SHARE = 0.6
MIN_DISTINCTIVE_SHARE = 0.1

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

# Chunks (between spaces, and apart from the scripts written without spaces: Chinese, Japanese, Korean) that are
# e-mail addresses, URLs or codes: with "@", "://", "www.", a digit (01-HD, COVID-19, 9001:2015) or a dot between
# letters (KĐ.ĐG, TP.HCM, bao-cao.docx). What they spell is evidence of nothing.
# Text with no character of the scripts written without spaces (nearly every report) has plain \S runs for chunks:
# there the codes themselves are searched and the chunk around each found from it (back to the whitespace before, on
# to the whitespace after). The code pattern opens with the class of every code's first character (a dot between
# letters found at its dot), so the matcher skips straight to those characters; each branch then checks what that
# character was. Other text goes through one chunk pattern (wide classes, no IGNORECASE for that reason: about ten
# milliseconds to compile, so only for text that needs it).
_FIRST_SPACELESS = "\u2e80"
_CODE_PLAIN = re.compile(r"[@\d:wW.](?:(?<=[@\d])|(?<=:)//|(?<!\S[wW])(?<=[wW])[wW][wW]\.|(?<=[^\W\d_]\.)(?=[^\W\d_]))")
_CHUNK_REST = re.compile(r"\S*")


@cache
def _code_chunk_general() -> re.Pattern[str]:
    spaceless = r"\u2e80-\ud7ff\uf900-\ufaff\uff00-\uffef"
    chunk = rf"[^\s{spaceless}]"
    letter = rf"(?:(?![{spaceless}])[^\W\d_])"
    code = rf"(?:(?![{spaceless}])[@\d]|://|(?<!{chunk})[wW][wW][wW]\.|{letter}\.{letter})"
    return re.compile(rf"(?<!{chunk}){chunk}*?{code}{chunk}*")


def _drop_codes(text: str) -> str:
    """``text`` with every chunk that is an e-mail address, a URL or a code replaced by a space."""
    if text and max(text) >= _FIRST_SPACELESS:
        return _code_chunk_general().sub(" ", text)
    return _drop_plain_codes(text)


def _drop_plain_codes(text: str) -> str:
    r"""Each chunk (a run of non-space characters) of ``text`` that holds a code made one space, the chunk found from
    its first code: what the chunk pattern ``(?<!\S)\S*?(?:[@\d]|://|(?<!\S)[wW][wW][wW]\.|[^\W\d_]\.[^\W\d_])\S*``
    replaced by a space gives (``tests/test_fast_paths_warm.py``)."""
    parts: list[str] = []
    position = 0
    while (code := _CODE_PLAIN.search(text, position)) is not None:
        start = code.start()
        while start > position and not text[start - 1].isspace():
            start -= 1
        parts += (text[position:start], " ")
        position = _CHUNK_REST.match(text, code.end()).end()
    if not parts:
        return text
    parts.append(text[position:])
    return "".join(parts)


# CJK ideographs, kana and Hangul are written without spaces: each character counts as a word.
_OTHER_SCRIPT_RANGES = (("\u0370", "\u1dff"), ("\u2e80", "\ud7ff"), ("\uf900", "\ufaff"), ("\uff66", "\uffdc"))


def _has_other_script(text: str) -> bool:
    """Whether any character of ``text`` is of another script (checked on its distinct characters)."""
    return any(low <= char <= high for char in set(text) for low, high in _OTHER_SCRIPT_RANGES)


@cache
def _other_script_char() -> re.Pattern[str]:
    """The same ranges as a pattern (wide classes cost milliseconds to compile: only for text that has them)."""
    return re.compile("[" + "".join(rf"\u{ord(low):04x}-\u{ord(high):04x}" for low, high in _OTHER_SCRIPT_RANGES) + "]")


_WORD = re.compile(r"[^\W\d_]+")
_DISTINCTIVE = re.compile(
    r"^(?:ngh|ng|nh|kh|gi|tr|ph|ch)|ai|ao|au|ay|oa|oe|oi|ua|uy|ia|iu|eo|uo|ie|ye|ue|ui|uu|(?:ng|nh|ch)$"
)


@dataclass(frozen=True)
class LanguageCheck:
    """The verdict and the counts behind it (no text)."""

    is_vietnamese: bool
    share: float  # share of counted words that are Vietnamese syllables
    marked_share: float  # share of counted words that are syllables with Vietnamese diacritics
    distinctive_share: float  # share of counted words that are syllables with marks or a Vietnamese-only spelling
    words: int  # counted words
    detail: str  # the counts in words, fit for an error's detail

    @property
    def judged(self) -> bool:
        """Whether there were enough words to judge at all."""
        return self.words >= MIN_WORDS


_OPENING_CHARS = 3000


def detect_language(text: str) -> LanguageCheck:
    """Judge whether ``text`` is Vietnamese (with or without diacritics, or in a legacy font). A long text whose
    opening is plainly Vietnamese (diacritics on most words) is judged on its opening alone."""
    if len(text) > _OPENING_CHARS:
        opening = _check(text[:_OPENING_CHARS])
        if opening.is_vietnamese and opening.marked_share >= MIN_MARKED_SHARE:
            return opening
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
    text = _drop_codes(unicodedata.normalize("NFC", text))
    words = syllables = marked = distinctive = other_script = 0
    other_script_char = _other_script_char() if _has_other_script(text) else None
    for token, count in Counter(_WORD.findall(text)).items():  # each distinct word judged once
        foreign = len(other_script_char.findall(token)) if other_script_char else 0
        if foreign:
            other_script += foreign * count
            continue
        verdict = _classify(token)
        if verdict is None:
            continue
        words += count
        if verdict:
            syllables += count
            marked += count if verdict == "marked" else 0
            distinctive += count if verdict in ("marked", "distinctive") else 0
    words += other_script
    share = syllables / words if words else 1.0
    marked_share = marked / words if words else 0.0
    distinctive_share = distinctive / words if words else 0.0
    is_vietnamese = (
        words < MIN_WORDS
        or marked_share >= MIN_MARKED_SHARE
        or share >= MIN_SYLLABLE_SHARE_ALONE
        or (share >= MIN_SYLLABLE_SHARE and distinctive_share >= MIN_DISTINCTIVE_SHARE)
    )
    detail = (
        f"{words} words, {share:.0%} Vietnamese syllables, {marked_share:.0%} with Vietnamese diacritics, "
        f"{distinctive_share:.0%} with Vietnamese marks or spellings"
        + (f", {other_script} characters of another script" if other_script else "")
    )
    return LanguageCheck(
        is_vietnamese, round(share, 3), round(marked_share, 3), round(distinctive_share, 3), words, detail
    )


@lru_cache(maxsize=50000)
def _classify(token: str) -> str | bool | None:
    """``None`` for a word that is evidence of nothing, False for one that is not a Vietnamese syllable, else
    "marked" (a syllable with Vietnamese marks), "distinctive" (unmarked, Vietnamese-only spelling) or True."""
    if len(token) < 2:
        return None
    lower = token.lower()
    is_syllable, has_marks = _syllable(lower)
    if is_syllable:
        if has_marks:
            return "marked"
        return "distinctive" if _DISTINCTIVE.search(_fold(lower)) else True
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
