"""Legacy Vietnamese font encodings (TCVN3/ABC and VNI): detect with a score, then convert with viparse.

Text typed with a legacy font reaches us as Latin-1 look-alikes: TCVN3 ``B¶n kiÓm ®iÓm`` and VNI
``Baûn kieåm ñieåm`` are both "Bản kiểm điểm". Forcing a legacy table on genuine Unicode corrupts it
("cá nhân" → "cỏ nhõn"), so conversion only happens after :func:`detect` says so, and even then a line
that already holds letters only Unicode can spell (ạ, ư, đ, ...) is left alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

TCVN3 = "tcvn3"
VNI = "vni"

# Letters that only genuine Unicode Vietnamese can produce (no legacy byte decodes to them).
_UNICODE_ONLY = re.compile("[\u1ea0-\u1ef9ăĂđĐơƠưƯĩĨũŨ]")
# TCVN3 keeps ă â ê ô ơ ư đ and the toned a/ă in 0xA1-0xBE: punctuation-like symbols in Latin-1.
_TCVN3_MARKS = re.compile("[¡¢£¤¥¦§¨©ª«¬\u00ad®µ¶·¸¹»¼½¾]")
# VNI writes a toned vowel as a letter plus a mark that no Vietnamese word contains; đ is ñ, ư is ö.
_VNI_MARKS = re.compile("[A-Za-zôÔöÖ][øûïåäüëØÛÏÅÄÜË]|[ñÑ]")
# Latin-1 letters and symbols that are not Vietnamese; they should (nearly) vanish after conversion.
_FOREIGN = re.compile("[¡-¾ÄÅÆÇËÎÏÑÖ×ØÛÜÞßäåæçëîïñö÷øûüþ]")
_LETTERS = re.compile(r"[^\W\d_]|\u00ad")

_MIN_MARKS = 3
_MIN_SHARE = 0.01  # markers per letter
# VNI lacks ẳ in viparse's table (unobserved in its corpus); the VNI-Windows form is base + "ú".
_VNI_EXTRA = (("aú", "ẳ"), ("AÚ", "Ẳ"))


@dataclass(frozen=True)
class LegacyScore:
    """Counts behind a detection verdict (non-personal, fit for notes and tests)."""

    letters: int
    unicode_only: int
    tcvn3: int
    vni: int


def score(text: str) -> LegacyScore:
    """Count genuine Unicode Vietnamese letters and the characteristic TCVN3/VNI markers in ``text``."""
    text = unicodedata.normalize("NFC", text)
    return LegacyScore(
        letters=len(_LETTERS.findall(text)),
        unicode_only=len(_UNICODE_ONLY.findall(text)),
        tcvn3=len(_TCVN3_MARKS.findall(text)),
        vni=len(_VNI_MARKS.findall(text)),
    )


def detect(text: str) -> str | None:
    """Return ``"tcvn3"`` or ``"vni"`` when ``text`` reads as legacy-font text, else ``None``.

    A verdict needs enough markers (absolutely and per letter), more markers than genuine Unicode
    Vietnamese letters, and a conversion that actually turns the markers into Vietnamese letters.
    """
    counts = score(text)
    threshold = max(_MIN_MARKS, _MIN_SHARE * counts.letters)
    if counts.tcvn3 >= threshold and counts.tcvn3 >= counts.vni:
        candidate = TCVN3
        marks = counts.tcvn3
    elif counts.vni >= threshold and counts.tcvn3 * 4 < counts.vni:
        candidate = VNI
        marks = counts.vni
    else:
        return None
    if counts.unicode_only >= marks:
        return None
    return candidate if _plausible(text, candidate) else None


def _plausible(text: str, encoding: str) -> bool:
    """A real legacy text gains Unicode-only letters and loses most foreign characters when converted."""
    before = text
    after = convert(text, encoding)
    gained = len(_UNICODE_ONLY.findall(after)) - len(_UNICODE_ONLY.findall(unicodedata.normalize("NFC", before)))
    foreign_before = len(_FOREIGN.findall(before))
    foreign_after = len(_FOREIGN.findall(after))
    return gained >= _MIN_MARKS and foreign_after <= 0.1 * foreign_before


def convert(text: str, encoding: str) -> str:
    """Convert legacy-font ``text`` with viparse's explicit ``encoding`` table (layout kept), NFC."""
    from viparse.normalize.encodings import get_charmap  # viparse loads only for text in a legacy font
    from viparse.normalize.tables import convert as viparse_convert

    charmap = get_charmap(encoding)
    if charmap is None:  # pragma: no cover - only the two names above are used
        raise ValueError(f"unknown legacy encoding {encoding!r}")
    if encoding == VNI:
        for legacy, unicode in _VNI_EXTRA:
            text = text.replace(legacy, unicode)
    return viparse_convert(text, charmap, "NFC")


def convert_lines(text: str, encoding: str) -> tuple[str, int]:
    """Convert each line that holds no genuine Unicode Vietnamese letter; return the text and lines changed."""
    out: list[str] = []
    changed = 0
    for line in text.split("\n"):
        if _UNICODE_ONLY.search(unicodedata.normalize("NFC", line)):
            out.append(line)
            continue
        new = convert(line, encoding)
        changed += new != line
        out.append(new)
    return "\n".join(out), changed


@cache
def _encode_table(encoding: str) -> dict[str, str]:
    """Unicode → legacy surface characters: the inverse of viparse's conversion table."""
    from viparse.normalize.encodings import get_charmap  # viparse loads only for text in a legacy font

    charmap = get_charmap(encoding)
    if charmap is None:  # pragma: no cover
        raise ValueError(f"unknown legacy encoding {encoding!r}")
    table: dict[str, str] = {}
    for legacy, unicode in sorted(charmap.pairs, key=lambda pair: len(pair[0])):
        table.setdefault(unicode, legacy)
    if encoding == VNI:  # VNI-Windows writes ì í as themselves and ẳ as a + ú
        table.update({"ì": "ì", "í": "í", "Ì": "Ì", "Í": "Í"})
        table.update({unicode: legacy for legacy, unicode in _VNI_EXTRA})
    return table


def encodable(char: str, encoding: str) -> bool:
    """Whether a legacy font can store ``char`` (TCVN3 has no capital toned letters)."""
    return ord(char) <= 0x7F or char in _encode_table(encoding)


def encode(text: str, encoding: str) -> str:
    """Unicode Vietnamese as a legacy font stores it (the inverse of :func:`convert`); for fixtures, the corpus
    and tests. Raises ``ValueError`` on a character the font cannot store."""
    table = _encode_table(encoding)
    out = []
    for char in unicodedata.normalize("NFC", text):
        if not encodable(char, encoding):
            raise ValueError(f"{char!r} has no {encoding} form")
        out.append(table.get(char, char))
    return "".join(out)


def font_encoding(font: str | None) -> str | None:
    """Legacy encoding implied by a font name: ``.VnTime`` → TCVN3, ``VNI-Times`` → VNI, else ``None``."""
    if not font:
        return None
    name = re.sub(r"^[A-Z]{6}\+", "", font.strip()).upper()
    if name.startswith(".VN"):
        return TCVN3
    if name.startswith("VNI"):
        return VNI
    return None


def is_caps_font(font: str | None) -> bool:
    """TCVN3 ``H`` fonts (``.VnTimeH``, ``.VnArialH``) draw lowercase codes as capitals."""
    return bool(font) and font_encoding(font) == TCVN3 and font.strip().endswith("H")


def label(encoding: str) -> str:
    """Display name for notes: ``TCVN3`` or ``VNI``."""
    return encoding.upper()
