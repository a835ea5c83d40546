"""Plain-text bytes → str, by strict decoding in a fixed order; never a silent guess.

Order: BOM (UTF-8, UTF-32, UTF-16) → BOM-less UTF-16 by its NUL pattern → binary check → UTF-8 →
8-bit legacy font text (TCVN3/VNI, detected by score) → Windows-1258 when it reads as Vietnamese →
:class:`~nlp.errors.EncodingError`.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

from nlp.errors import BinaryInputError, EncodingError
from nlp.ingest import legacy

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
# Bytes that never occur in text: C0 controls other than \t \n \v \f \r, ESC is tolerated, and DEL.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_TEXT_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.02
_UTF16_SAMPLE = 8192
_UTF16_NUL_SHARE = 0.4

_VIETNAMESE_LETTERS = set(
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵfjwz"
)
_VIETNAMESE_LETTERS |= {c.upper() for c in _VIETNAMESE_LETTERS}
# Punctuation Windows-1258 offers and Vietnamese documents use.
_CP1258_PUNCT = set("\u00a0“”‘’–—…•«»°±×÷§©®·½¼¾₫€²³¹µ¶¡¿")
_MIN_VIETNAMESE_SHARE = 0.9


@dataclass
class DecodedText:
    """A decoded text and how it was obtained."""

    text: str
    encoding: str
    legacy_font: str | None = None
    notes: list[str] = field(default_factory=list)


def decode(data: bytes) -> DecodedText:
    """Decode plain-text bytes; raise BinaryInputError or EncodingError instead of guessing."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _finish(_strict(data[len(bom) :], codec, name), name)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _finish(_strict(data, utf16, "utf-16"), "utf-16", ["UTF-16 without byte order mark"])
    _refuse_binary(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _eight_bit(data)
    return _finish(text, "utf-8")


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise EncodingError(f"not valid {name}") from None


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NUL bytes sit on one parity only (ASCII-range text in UTF-16)."""
    sample = data[:_UTF16_SAMPLE]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul >= _UTF16_NUL_SHARE and even_nul < 0.05:
        return "utf-16-le"
    if even_nul >= _UTF16_NUL_SHARE and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _refuse_binary(data: bytes) -> None:
    """NUL bytes, or more than a trace of control bytes, mean binary data, not text."""
    if b"\x00" in data:
        raise BinaryInputError("NUL bytes in a text file")
    controls = len(data.translate(None, _TEXT_BYTES))
    if controls and controls > _MAX_CONTROL_SHARE * len(data):
        raise BinaryInputError(f"{controls} control bytes in {len(data)}")


def _eight_bit(data: bytes) -> DecodedText:
    """Not UTF-8: legacy font text (TCVN3/VNI), else Windows-1258 if it reads as Vietnamese."""
    surface = _latin_surface(data)
    font = legacy.detect(surface)
    if font:
        return _finish(surface, font, legacy_hint=font)
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        raise EncodingError("not UTF-8, UTF-16, TCVN3, VNI or Windows-1258") from None
    text = unicodedata.normalize("NFC", text)
    if not _reads_as_vietnamese(text):
        raise EncodingError("not UTF-8 and not plausibly Windows-1258 Vietnamese")
    return _finish(text, "windows-1258", ["decoded as windows-1258"], check_legacy=False)


def _latin_surface(data: bytes) -> str:
    """What a legacy font's bytes look like as characters (Windows-1252, Latin-1 where 1252 has holes)."""
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _reads_as_vietnamese(text: str) -> bool:
    """Non-ASCII characters of a Windows-1258 decoding must be (almost all) Vietnamese letters."""
    high = [c for c in text if ord(c) > 0x7F]
    if not high:
        return True
    good = sum(c in _VIETNAMESE_LETTERS or c in _CP1258_PUNCT for c in high)
    return good >= _MIN_VIETNAMESE_SHARE * len(high)


def _finish(
    text: str,
    encoding: str,
    notes: list[str] | None = None,
    *,
    legacy_hint: str | None = None,
    check_legacy: bool = True,
) -> DecodedText:
    """Unify line ends, refuse control-ridden text, convert legacy-font text when detected."""
    notes = list(notes or [])
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = len(_CONTROL_CHARS.findall(text))
    if controls and controls > _MAX_CONTROL_SHARE * len(text):
        raise BinaryInputError(f"{controls} control characters in {len(text)}")
    font = legacy_hint or (legacy.detect(text) if check_legacy else None)
    if font is None:
        return DecodedText(text, encoding, None, notes)
    text, lines = legacy.convert_lines(text, font)
    notes.append(f"converted from {legacy.label(font)} ({lines} lines)")
    if legacy_hint is None:
        notes.append(f"{legacy.label(font)} text stored as {encoding}")
    return DecodedText(text, encoding, font, notes)
