"""PDF → text with pypdf: one page after another, joined with newlines.

Encrypted files are tried with the empty password (many "protected" PDFs only restrict printing);
pages without extractable text mean a scan. pypdf's log messages can quote document content, so its
loggers are silenced for the whole process.
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass, field

from nlp.errors import (
    CorruptFileError,
    EmptyInputError,
    EncryptedFileError,
    InputError,
    InputTooLargeError,
    ScannedPdfError,
)
from nlp.ingest import IngestLimits, legacy

logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)

_MIN_CHARS_PER_PAGE = 10  # fewer visible characters per page on average: a scan (or stray OCR marks)


@dataclass
class PdfText:
    """Text of a PDF and the facts worth noting."""

    text: str
    legacy_font: str | None = None
    notes: list[str] = field(default_factory=list)


def read_pdf(data: bytes, limits: IngestLimits) -> PdfText:
    """Extract the text layer of ``data``; refuse encrypted, oversized, scanned or broken PDFs."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _read(data, limits)
    except InputError:
        raise
    except Exception as error:  # pypdf raises many types on broken files; none may escape
        raise _classify(error) from None


def _read(data: bytes, limits: IngestLimits) -> PdfText:
    from pypdf import PasswordType, PdfReader

    reader = PdfReader(io.BytesIO(data))
    notes: list[str] = []
    if reader.is_encrypted:
        if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise EncryptedFileError("PDF needs a password")
        notes.append("encrypted PDF opened with an empty password")
    pages = len(reader.pages)
    if pages > limits.max_pdf_pages:
        raise InputTooLargeError(f"{_pages(pages)} > {limits.max_pdf_pages}")
    texts: list[str] = []
    chars = 0
    for page in reader.pages:
        text = (page.extract_text() or "").replace("\r\n", "\n").replace("\r", "\n")
        chars += len("".join(text.split()))
        if chars > limits.max_text_chars:
            raise InputTooLargeError(f"text over {limits.max_text_chars} characters")
        texts.append(text)
    if pages == 0:
        raise EmptyInputError("PDF without pages")
    if chars < _MIN_CHARS_PER_PAGE * pages:
        raise ScannedPdfError(f"{chars} text characters on {_pages(pages)}")
    notes.insert(0, _pages(pages))
    # the lines are left as the PDF lays them out: the layout stage unwraps them (nlp.layout), and joining some here
    # would hide that the text is hard-wrapped
    return _with_legacy("\n".join(texts), notes)


def _pages(count: int) -> str:
    return f"{count} page" if count == 1 else f"{count} pages"


def _with_legacy(text: str, notes: list[str]) -> PdfText:
    """Convert text drawn with legacy-font glyph codes (TCVN3/VNI) when the heuristic finds it."""
    font = legacy.detect(text)
    if font is None:
        return PdfText(text, None, notes)
    text, lines = legacy.convert_lines(text, font)
    notes.append(f"converted from {legacy.label(font)} ({lines} lines)")
    return PdfText(text, font, notes)


def _classify(error: Exception) -> InputError:
    """Map a pypdf exception to the documented error (no message text is carried over)."""
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, WrongPasswordError

    if isinstance(error, FileNotDecryptedError | WrongPasswordError | DependencyError):
        return EncryptedFileError("PDF cannot be decrypted")
    if isinstance(error, LimitReachedError):
        return InputTooLargeError("PDF stream over the decompression limit")
    if isinstance(error, RecursionError | MemoryError):
        return CorruptFileError("PDF structure too deep or too large")
    return CorruptFileError("PDF cannot be parsed")
