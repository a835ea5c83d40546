"""Property: whatever the bytes, read_bytes returns IngestedText or raises an InputError, nothing else."""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_builders import PARAGRAPHS, docx_bytes, numbering, para, pdf_bytes, table

from nlp.errors import InputError
from nlp.ingest import IngestedText, IngestLimits, read_bytes

MAGICS = [
    b"",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"%PDF-1.7\n",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\x89PNG\r\n\x1a\n",
]
NAMES = st.sampled_from([None, "a.txt", "a.docx", "a.pdf", "a", "a.DOCX"])
SMALL = IngestLimits(max_text_chars=5_000, max_file_bytes=50_000, max_unzipped_bytes=200_000, max_pdf_pages=5)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def _valid_documents() -> tuple[bytes, ...]:
    lists = numbering({0: [("upperRoman", "%1.")]}, {1: (0, None)})
    docx = docx_bytes(para("ƯU ĐIỂM", num=1) + table([["a", "b"]]) + para(PARAGRAPHS[0]), numbering_xml=lists)
    return docx, pdf_bytes(["Page one of a report.", "Page two."])


def _check(data: bytes, name: str | None) -> None:
    try:
        result = read_bytes(data, filename=name, limits=SMALL)
    except InputError as error:
        assert error.code.startswith("KD-E")
        assert error.detail != "the file could not be parsed"  # the reader's last-resort net stayed unused
    else:
        assert isinstance(result, IngestedText)
        assert isinstance(result.text, str) and result.text.strip()


@PROPERTY
@given(st.sampled_from(MAGICS), st.binary(max_size=3000), NAMES)
def test_random_bytes(magic: bytes, body: bytes, name: str | None) -> None:
    _check(magic + body, name)


@PROPERTY
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=500), st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_random_text(text: str, codec: str) -> None:
    _check(text.encode(codec, errors="replace"), "a.txt")


@PROPERTY
@given(st.integers(0, 1), st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_mutated_documents(which: int, edits: list[tuple[float, int]]) -> None:
    data = bytearray(_valid_documents()[which])
    for where, value in edits:
        data[min(int(where * len(data)), len(data) - 1)] = value
    _check(bytes(data), None)


@PROPERTY
@given(st.integers(0, 1), st.floats(0, 1))
def test_truncated_documents(which: int, cut: float) -> None:
    data = _valid_documents()[which]
    _check(data[: int(cut * len(data))], None)
