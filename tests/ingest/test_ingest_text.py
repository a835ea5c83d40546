"""Plain text: encodings decided by strict decoding in a fixed order; files and sizes; refusals."""

from __future__ import annotations

import codecs
import os
import unicodedata
from pathlib import Path

import pytest
from ingest_builders import REPORT, cp1258_bytes

from nlp.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    FileNotFoundInputError,
    InputError,
    InputTooLargeError,
)
from nlp.ingest import IngestLimits, read_bytes, read_file


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (REPORT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + REPORT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + REPORT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + REPORT.encode("utf-16-be"), "utf-16"),
        (REPORT.encode("utf-16-le"), "utf-16"),
        (REPORT.encode("utf-16-be"), "utf-16"),
        (codecs.BOM_UTF32_LE + REPORT.encode("utf-32-le"), "utf-32"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-nobom", "utf16be-nobom", "utf32-bom"],
)
def test_unicode_encodings(read, data: bytes, encoding: str) -> None:
    result = read(data)
    assert result.text == REPORT
    assert result.format == "txt"
    assert result.encoding == encoding
    assert result.legacy_font is None


def test_windows_1258_with_combining_tones(read) -> None:
    data = cp1258_bytes(REPORT)
    assert b"\xcc" in data or b"\xec" in data  # really uses combining tone marks
    result = read(data)
    assert result.encoding == "windows-1258"
    assert result.text == unicodedata.normalize("NFC", REPORT)
    assert "decoded as windows-1258" in result.notes


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_ends_are_unified(read, newline: str) -> None:
    result = read(newline.join(REPORT.split("\n")).encode("utf-8"))
    assert result.text == REPORT


def test_utf8_bom_is_not_part_of_the_text(read) -> None:
    assert not read(codecs.BOM_UTF8 + b"Chi b\xe1\xbb\x99").text.startswith("\ufeff")


def test_undecodable_bytes_raise_encoding_error(read) -> None:
    # Not UTF-8, not legacy, and a Windows-1258 reading is not Vietnamese (Cyrillic KOI8-R here).
    data = "Привет, это не вьетнамский текст, а совсем другой язык.".encode("koi8-r")
    with pytest.raises(EncodingError):
        read(data)


def test_utf16_with_broken_surrogate_raises_encoding_error(read) -> None:
    with pytest.raises(EncodingError):
        read(codecs.BOM_UTF16_LE + "Chi bộ".encode("utf-16-le") + b"\x00\xd8\x41\x00")


@pytest.mark.parametrize(
    "data",
    [
        b"Chi bo\x00\x00\x00\x01\x02binary\x00" * 20,
        bytes(range(0, 32)) * 10 + b"text",
        b"\x89\x01\x02\x03\x04\x05\x06\x07" * 50,
    ],
    ids=["nul", "controls", "junk"],
)
def test_binary_under_text_extension(read, data: bytes) -> None:
    with pytest.raises(BinaryInputError):
        read(data, "bao-cao.txt")


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8, "\u3000 \n".encode()], ids=["empty", "spaces", "bom", "wide"]
)
def test_empty_or_whitespace(read, data: bytes) -> None:
    with pytest.raises(EmptyInputError):
        read(data)


def test_file_over_max_bytes_is_refused_before_reading(read) -> None:
    limits = IngestLimits(max_file_bytes=100)
    with pytest.raises(InputTooLargeError) as info:
        read(b"a" * 101, limits=limits)
    assert "100" in info.value.detail


def test_text_over_max_chars(read) -> None:
    with pytest.raises(InputTooLargeError):
        read(("chi bộ " * 100).encode(), limits=IngestLimits(max_text_chars=200))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundInputError):
        read_file(tmp_path / "khong-co.txt")
    with pytest.raises(FileNotFoundInputError):
        read_file(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "khoa.txt"
    path.write_text("Chi bộ")
    path.chmod(0)
    with pytest.raises(FileNotFoundInputError):
        read_file(path)


def test_stat_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "lon.txt"
    path.write_bytes(b"x" * 50)

    def fail_open(*args, **kwargs):
        raise AssertionError("the file must not be opened")

    monkeypatch.setattr("builtins.open", fail_open)
    with pytest.raises(InputTooLargeError):
        read_file(path, limits=IngestLimits(max_file_bytes=10))


def test_errors_carry_no_text() -> None:
    secret = "Nguyễn Văn Bí Mật"
    inputs = [
        secret.encode("utf-8") + b"\x00" * 30,
        codecs.BOM_UTF16_LE + secret.encode("utf-16-le") + b"\x00",
        b"  ",
    ]
    for data in inputs:
        with pytest.raises(InputError) as info:
            read_bytes(data)
        assert "Bí" not in info.value.detail and "Nguy" not in info.value.detail
        assert "Nguy" not in str(info.value)


def test_read_bytes_accepts_bytearray_and_memoryview() -> None:
    data = REPORT.encode()
    assert read_bytes(bytearray(data)).text == REPORT
    assert read_bytes(memoryview(data)).text == REPORT


def test_read_file_accepts_str_path(tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.txt"
    path.write_text(REPORT, encoding="utf-8")
    assert read_file(str(path)).text == REPORT
