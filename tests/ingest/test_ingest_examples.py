"""The built binary examples read back to their sources' text (modulo markup and layout spaces)."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from pathlib import Path

import pytest

from nlp.ingest import read_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SOURCES = EXAMPLES / "sources"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _squeeze(line: str) -> str:
    return " ".join(line.split())


def _markup_lines(markup: str) -> list[str]:
    """What a reader of the .docx should see for each markup line (blank lines dropped)."""
    lines: list[str] = []
    headings = 0
    for line in markup.split("\n"):
        if line.strip() in {"[header]", "[/header]"} or not line.strip():
            continue
        if "||" in line:
            lines.append(" | ".join(part.strip() for part in line.split("||")))
        elif line.startswith("# "):
            lines.append(f"{ROMAN[headings]}. {line[2:]}")
            headings += 1
        elif re.match(r"^\|.+\|\s*$", line):
            lines.append(" | ".join(cell.strip() for cell in line.strip().strip("|").split("|")))
        else:
            lines.append(line.strip())
    return [_nfc(line) for line in lines]


@pytest.mark.parametrize(
    ("example", "source", "encoding"),
    [("02a-tcvn3-giao-vien.txt", "02a-tcvn3.txt", "tcvn3"), ("02a-vni-cong-nhan.txt", "02a-vni.txt", "vni")],
)
def test_legacy_text_examples(example: str, source: str, encoding: str) -> None:
    raw = (EXAMPLES / example).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really 8-bit legacy bytes
    result = read_file(EXAMPLES / example)
    assert result.legacy_font == encoding
    assert result.text == _nfc((SOURCES / source).read_text(encoding="utf-8"))


def test_docx_example() -> None:
    result = read_file(EXAMPLES / "02b-truong-phong-bang-so-lieu.docx")
    assert result.format == "docx"
    got = [line.strip() for line in result.text.split("\n") if line.strip()]
    assert got == _markup_lines((SOURCES / "02b-leader-docx.md").read_text(encoding="utf-8"))
    assert "I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC" in got and "VII. TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG" in got
    assert any(line.startswith("d) Công tác phối hợp") for line in got)


def test_docx_example_numbers_come_from_word_numbering() -> None:
    import zipfile

    with zipfile.ZipFile(EXAMPLES / "02b-truong-phong-bang-so-lieu.docx") as package:
        document = package.read("word/document.xml").decode("utf-8")
    assert "<w:numPr>" in document
    assert ">I. " not in document and ">1. " not in document and ">a) " not in document


def test_pdf_example() -> None:
    result = read_file(EXAMPLES / "01-chi-bo-thon.pdf")
    assert result.format == "pdf"
    source = (SOURCES / "01-pdf.md").read_text(encoding="utf-8")
    # every word, in order; the lines as the PDF lays them out (the layout stage unwraps them, not ingest)
    assert _squeeze(_nfc(result.text).replace("\n", " ")) == _squeeze(_nfc(source).replace("\n", " "))
    lines = [line for line in result.text.split("\n") if line.strip()]
    assert len(lines) > len([line for line in source.split("\n") if line.strip()])  # wrapped lines kept apart


def test_builder_is_deterministic_and_outputs_are_current(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_binary_examples", EXAMPLES / "build_binary_examples.py")
    assert spec and spec.loader
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    try:
        builder.find_font()
    except SystemExit:
        pytest.skip("no DejaVu Sans on this machine")
    for path in builder.build(tmp_path):
        committed = EXAMPLES / path.name
        if path.suffix == ".txt":
            assert path.read_bytes() == committed.read_bytes(), path.name
        else:
            assert read_file(path).text == read_file(committed).text, path.name
