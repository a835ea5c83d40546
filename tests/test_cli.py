"""The ``kiemdiem`` command line as a user runs it: formats, stdin, and one exit code per refusal."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter
from typer.testing import CliRunner

from nlp import errors
from nlp.cli import app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
WEAK = EXAMPLES / "02a-ngan-hang-yeu.txt"
SECRET = "Nguyễn Văn Bí Mật"  # a name that must never appear in error output

runner = CliRunner()


def run(*args: str, stdin: bytes | None = None):
    return runner.invoke(app, list(args), input=stdin, catch_exceptions=False)


def test_json_result_on_stdout():
    result = run("analyze", str(WEAK), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    assert data["form"] == "02A" and data["band"] == "weak"
    assert data["source"]["format"] == "txt"


def test_stdin_dash_reads_standard_input():
    result = run("analyze", "-", "--format", "json", stdin=WEAK.read_bytes())
    assert result.exit_code == 0
    assert json.loads(result.stdout)["form"] == "02A"


def test_english_messages():
    from nlp.catalog import rules

    english = json.loads(run("analyze", str(WEAK), "--format", "json", "--lang", "en").stdout)
    vietnamese = json.loads(run("analyze", str(WEAK), "--format", "json").stdout)
    assert english["lang"] == "en"
    for en, vi in zip(english["findings"], vietnamese["findings"], strict=True):
        assert en["rule"] == vi["rule"]
        template = rules()[en["rule"]]["en"].split("{")[0]
        assert en["message"].startswith(template)
        assert en["message"] != vi["message"]


def test_terminal_view_fits_80_columns(tmp_path):
    out = tmp_path / "view.txt"
    result = run("analyze", str(WEAK), "--width", "80", "-o", str(out))
    assert result.exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and max(len(line) for line in lines) <= 80
    assert "\x1b[" not in out.read_text(encoding="utf-8")


def test_html_written_to_file(tmp_path):
    out = tmp_path / "bao-cao.html"
    result = run("analyze", str(WEAK), "--format", "html", "-o", str(out))
    assert result.exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html")
    assert "https://" not in page.split("<body", 1)[0]


def test_output_to_missing_folder_is_an_output_error(tmp_path):
    result = run("analyze", str(WEAK), "--format", "json", "-o", str(tmp_path / "no" / "such" / "dir.json"))
    assert result.exit_code == errors.EXIT_OUTPUT
    assert "Traceback" not in result.output


def test_usage_error_exit_code():
    assert run("analyze", str(WEAK), "--format", "yaml").exit_code == errors.EXIT_USAGE


def test_internal_error_has_no_traceback(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError(SECRET)

    monkeypatch.setattr("nlp.pipeline.analyze_file", explode)
    result = run("analyze", str(WEAK))
    assert result.exit_code == errors.EXIT_INTERNAL
    assert "Traceback" not in result.output and SECRET not in result.output


def _docx_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:p/>" * 12_000_000)  # 72 MB that compresses to ~70 KB
    return buffer.getvalue()


def _pdf(encrypted: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if encrypted:
        writer.encrypt("mat-khau")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


BAD_INPUTS = {
    "empty": ("rong.txt", b"", errors.EmptyInputError),
    "whitespace": ("trang.txt", b" \n\t\n ", errors.EmptyInputError),
    "too_large": ("dai.txt", ("Tôi tự kiểm điểm. " * 120_000).encode(), errors.InputTooLargeError),
    "binary": ("anh.txt", bytes(range(256)) * 64, errors.BinaryInputError),
    "encoding": ("ma.txt", b"Ki\x81m \x8d\x8f \x90i\x9d\x81m " * 40, errors.EncodingError),
    "corrupt_docx": ("hong.docx", b"PK\x03\x04" + b"\x00garbage" * 50, errors.CorruptFileError),
    "encrypted_pdf": ("khoa.pdf", _pdf(encrypted=True), errors.EncryptedFileError),
    "scanned_pdf": ("quet.pdf", _pdf(), errors.ScannedPdfError),
    "zip_bomb": ("bom.docx", _docx_bomb(), errors.ArchiveLimitError),
    "unsupported": ("anh.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, errors.UnsupportedFormatError),
}


@pytest.mark.parametrize("kind", sorted(BAD_INPUTS))
def test_each_refusal_has_its_exit_code_and_bilingual_message(tmp_path, kind):
    name, data, error_class = BAD_INPUTS[kind]
    path = tmp_path / name
    path.write_bytes(data)
    result = run("analyze", str(path))
    assert result.exit_code == error_class.exit_code, result.output
    assert error_class.message_vi.split(";")[0] in result.stderr
    assert error_class.message_en.split(";")[0] in result.stderr
    assert "Traceback" not in result.output


def test_missing_file(tmp_path):
    result = run("analyze", str(tmp_path / "khong-co.docx"))
    assert result.exit_code == errors.FileNotFoundInputError.exit_code


def test_json_error_object_on_stdout(tmp_path):
    path = tmp_path / "rong.txt"
    path.write_bytes(b"")
    result = run("analyze", str(path), "--format", "json")
    assert result.exit_code == errors.EmptyInputError.exit_code
    assert json.loads(result.stdout)["error"]["code"] == errors.EmptyInputError.code


def test_error_output_never_contains_report_text(tmp_path):
    path = tmp_path / "dai.txt"
    path.write_text(f"Họ và tên: {SECRET}\n" + "x" * 2_100_000, encoding="utf-8")
    result = run("analyze", str(path), "--format", "json")
    assert result.exit_code == errors.InputTooLargeError.exit_code
    assert SECRET not in result.output


def test_exit_codes_are_distinct():
    codes = [exit_code for exit_code, _, _ in errors.GENERAL_EXITS] + [e.exit_code for e in errors.INPUT_ERRORS]
    assert len(codes) == len(set(codes))
    assert len({e.code for e in errors.INPUT_ERRORS}) == len(errors.INPUT_ERRORS)


def test_version_and_schema_commands():
    assert run("version").stdout.startswith("kiemdiem ")
    assert "findings" in json.loads(run("schema").stdout)["properties"]
