"""Constants and files built at test time for the service tests (imported by the tests and by conftest.py; a module
of its own so that no test imports ``conftest``, whose name other test folders share)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from nlp.ingest import IngestLimits
from service import Settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
WEAK_REPORT = (EXAMPLES / "02a-ngan-hang-yeu.txt").read_text(encoding="utf-8")
# A string that must never leave the request: not in logs, not in error answers.
CANARY = "CHIMHOANGYEN-7Q3"
DOCX_EVASIVE = "Sẽ cố gắng khắc phục trong thời gian tới."
DOCX_FACT = "Tôi thẩm định và giải ngân 57 hồ sơ vay mới với tổng số tiền 9,4 tỷ đồng."


def small_settings(**changes) -> Settings:
    """Settings for tests: no warm-up, 64 KiB requests, 48 KiB files, 20,000 characters of text, analyses in
    threads of the test process (``analysis_workers=0``; the process pool has its own tests)."""
    values = {
        "warmup": False,
        "analysis_workers": 0,
        "max_request_bytes": 64 * 1024,
        "ingest_limits": IngestLimits(max_file_bytes=48 * 1024, max_text_chars=20_000),
    }
    values.update(changes)
    return Settings(**values)


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A real .docx written by python-docx."""
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def small_report_docx() -> bytes:
    return docx_bytes(
        [
            "BẢN KIỂM ĐIỂM CÁ NHÂN",
            "Năm 2024",
            "I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC",
            DOCX_FACT,
            "II. HẠN CHẾ, KHUYẾT ĐIỂM",
            "Nhìn chung bản thân không có khuyết điểm gì đáng kể.",
            "VI. PHƯƠNG HƯỚNG, BIỆN PHÁP KHẮC PHỤC",
            DOCX_EVASIVE,
        ]
    )


def zip_bomb_docx() -> bytes:
    """A small .docx whose document part inflates past the 50 MiB ingest limit."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b" " * (1024 * 1024)
            part.write(b"<w:document>")
            for _ in range(60):
                part.write(chunk)
            part.write(b"</w:document>")
    return buffer.getvalue()


def pdf_bytes(*, encrypted: bool = False) -> bytes:
    """A one-page PDF without a text layer (a "scan"), optionally password-protected."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if encrypted:
        writer.encrypt("mat-khau")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 2
STATIC_FILES = ("index.html", "app.js", "app.css", "palette.css", "i18n.json", "docs.html", "docs.js", "favicon.svg")
