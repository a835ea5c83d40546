"""PDF: text per page, empty-password decryption, scans, damage and limits; pypdf stays silent."""

from __future__ import annotations

import io
import logging
import re

import pytest
from ingest_builders import PARAGRAPHS, dejavu_font, pdf_bytes

from nlp.errors import CorruptFileError, EncryptedFileError, InputTooLargeError, ScannedPdfError
from nlp.ingest import IngestLimits, read_bytes

ENGLISH = ["Annual self-assessment, page one: duties completed.", "Page two: shortcomings and remedies."]


def _encrypt(data: bytes, user: str, owner: str = "chu-so-huu", algorithm: str = "AES-128") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_text_per_page_joined_with_newlines(read) -> None:
    result = read(pdf_bytes(ENGLISH), "report.pdf")
    assert result.format == "pdf"
    assert result.text == "\n".join(ENGLISH)
    assert "2 pages" in result.notes


def test_vietnamese_pdf_extracts_exact_text() -> None:
    font = dejavu_font()
    if font is None:
        pytest.skip("no Unicode TTF font on this machine")
    result = read_bytes(pdf_bytes(PARAGRAPHS[:2], font=font))
    assert " ".join(result.text.split()) == " ".join(" ".join(PARAGRAPHS[:2]).split())
    assert result.legacy_font is None


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_password_protected_pdf(read, algorithm: str) -> None:
    with pytest.raises(EncryptedFileError):
        read(_encrypt(pdf_bytes(ENGLISH), "mat-khau", algorithm=algorithm), "khoa.pdf")


def test_owner_password_only_opens_with_empty_password(read) -> None:
    result = read(_encrypt(pdf_bytes(ENGLISH), ""), "han-che-in.pdf")
    assert result.text == "\n".join(ENGLISH)
    assert any("empty password" in note for note in result.notes)


@pytest.mark.parametrize(
    "pages",
    [
        pytest.param(pdf_bytes(["", ""], image_only=True), id="images"),
        pytest.param(pdf_bytes(["", "", ""]), id="blank"),
        pytest.param(pdf_bytes(["1", "2", "3"]), id="page-numbers-only"),
    ],
)
def test_scanned_pdf(read, pages: bytes) -> None:
    with pytest.raises(ScannedPdfError):
        read(pages, "scan.pdf")


@pytest.mark.parametrize("cut", [0.2, 0.5])
def test_truncated_pdf_is_corrupt(read, cut: float) -> None:
    data = pdf_bytes(ENGLISH * 5)
    with pytest.raises(CorruptFileError):
        read(data[: int(len(data) * cut)], "hong.pdf")


def test_pdf_header_with_garbage_is_corrupt(read) -> None:
    with pytest.raises(CorruptFileError):
        read(b"%PDF-1.7\n" + bytes(range(256)) * 4, "hong.pdf")


def test_page_limit(read) -> None:
    with pytest.raises(InputTooLargeError) as info:
        read(pdf_bytes(ENGLISH + ENGLISH), "dai.pdf", limits=IngestLimits(max_pdf_pages=3))
    assert "4 pages" in info.value.detail


def test_text_limit(read) -> None:
    with pytest.raises(InputTooLargeError):
        read(pdf_bytes(ENGLISH), "dai.pdf", limits=IngestLimits(max_text_chars=20))


def test_pdf_under_txt_extension_is_read_as_pdf(read) -> None:
    assert read(pdf_bytes(ENGLISH), "that-ra-la-pdf.txt").format == "pdf"


def test_pdf_extension_on_binary_junk_is_corrupt(read) -> None:
    with pytest.raises(CorruptFileError):
        read(b"\x00\x01\x02" * 100, "bao-cao.pdf")


def test_pypdf_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    data = pdf_bytes(ENGLISH * 3)
    damaged = re.sub(rb"startxref\s+(\d+)", b"startxref\n12", data)  # pypdf recovers, with warnings
    caplog.set_level(logging.DEBUG)
    assert read_bytes(damaged).text.startswith(ENGLISH[0])
    assert not [record for record in caplog.records if record.name.startswith("pypdf")]
