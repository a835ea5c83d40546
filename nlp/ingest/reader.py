"""Dispatch: bytes → sniffed format → the right reader → one checked :class:`~nlp.ingest.IngestedText`.

The file name only shapes the error for unreadable binary data (a ``.docx``/``.pdf`` that is not one
is "corrupt", a ``.txt`` holding binary data is "binary"); the content always decides the format.
"""

from __future__ import annotations

import os
import stat
from pathlib import PurePath

from nlp.errors import (
    BinaryInputError,
    CorruptFileError,
    EmptyInputError,
    FileNotFoundInputError,
    InputError,
    InputTooLargeError,
    UnsupportedFormatError,
)
from nlp.ingest import IngestedText, IngestLimits, zipguard
from nlp.ingest.sniff import sniff

_DOCUMENT_EXTENSIONS = {".docx", ".docm", ".dotx", ".doc", ".pdf"}


def read_file(path: str | os.PathLike[str], limits: IngestLimits | None = None) -> IngestedText:
    """Read ``path`` (size checked with ``os.stat`` before reading) and extract its text."""
    limits = limits or IngestLimits()
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        raise FileNotFoundInputError("no such file") from None
    if not stat.S_ISREG(info.st_mode):
        raise FileNotFoundInputError("not a regular file")
    if info.st_size > limits.max_file_bytes:
        raise InputTooLargeError(f"{info.st_size} bytes > {limits.max_file_bytes}")
    try:
        with open(path, "rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
    except OSError:
        raise FileNotFoundInputError("file cannot be read") from None
    return read_bytes(data, filename=os.fspath(path), limits=limits)


def read_bytes(data: bytes, filename: str | None = None, limits: IngestLimits | None = None) -> IngestedText:
    """Extract the text of an uploaded file's bytes; the format is sniffed from the content."""
    limits = limits or IngestLimits()
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("read_bytes() takes bytes")
    data = bytes(data)
    if len(data) > limits.max_file_bytes:
        raise InputTooLargeError(f"{len(data)} bytes > {limits.max_file_bytes}")
    if not data:
        raise EmptyInputError("0 bytes")
    try:
        result = _extract(data, sniff(data), _extension(filename), limits)
    except InputError:
        raise
    except Exception:  # a parser failing in a way its reader did not foresee: still a refusal, not a crash
        raise CorruptFileError("the file could not be parsed") from None
    return _checked(result, limits)


def _extract(data: bytes, kind: str, extension: str, limits: IngestLimits) -> IngestedText:
    if kind == "pdf":
        from nlp.ingest.pdf import read_pdf

        pdf = read_pdf(data, limits)
        return IngestedText(pdf.text, "pdf", None, pdf.legacy_font, pdf.notes)
    if kind == "zip":
        return _zip(data, limits)
    if kind == "ole":
        from nlp.ingest.ole import refuse_ole

        refuse_ole(data)
    if kind.startswith("binary:"):
        raise UnsupportedFormatError(f"{kind.removeprefix('binary:')} data")
    return _text(data, extension)


def _zip(data: bytes, limits: IngestLimits) -> IngestedText:
    from nlp.ingest.docx import is_word_package, read_docx

    archive = zipguard.open_archive(data, limits)
    names = archive.names
    if not is_word_package(names):
        raise UnsupportedFormatError(f"ZIP package that is not a Word document ({_zip_kind(names)})")
    docx = read_docx(archive, limits)
    return IngestedText(docx.text, "docx", None, docx.legacy_font, docx.notes)


def _zip_kind(names: set[str]) -> str:
    if any(n.startswith("xl/") for n in names):
        return "spreadsheet"
    if any(n.startswith("ppt/") for n in names):
        return "presentation"
    if "mimetype" in names:
        return "OpenDocument"
    return "archive"


def _text(data: bytes, extension: str) -> IngestedText:
    from nlp.ingest.text import decode

    try:
        decoded = decode(data)
    except BinaryInputError:
        if extension in _DOCUMENT_EXTENSIONS:
            raise CorruptFileError(f"not a valid {extension} file") from None
        raise
    notes = list(decoded.notes)
    if extension in _DOCUMENT_EXTENSIONS:  # the content decides the format; the reader is told the name did not
        notes.append(f"named {extension} but holds plain text")
    return IngestedText(decoded.text, "txt", decoded.encoding, decoded.legacy_font, notes)


def _checked(result: IngestedText, limits: IngestLimits) -> IngestedText:
    """Refuse empty or oversized text; everything else passes through unchanged."""
    if len(result.text) > limits.max_text_chars:
        raise InputTooLargeError(f"{len(result.text)} characters > {limits.max_text_chars}")
    if not result.text.strip():
        raise EmptyInputError(f"no text in the {result.format} file")
    return result


def _extension(filename: str | None) -> str:
    return PurePath(filename).suffix.lower() if filename else ""
