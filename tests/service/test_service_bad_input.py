"""Every bad input gets a JSON error with a stable code, the right status and both languages, and no echo."""

from __future__ import annotations

import pytest
from service_support import CANARY, PNG, WEAK_REPORT, docx_bytes, pdf_bytes, small_report_docx, zip_bomb_docx

from nlp.ingest import IngestLimits

JSON = {"content-type": "application/json"}


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert error["status"] == status
    assert error["message_vi"] and error["message_en"] and error["message_vi"] != error["message_en"]
    assert CANARY not in response.text
    return error


class CountingBody:
    """A request body streamed in chunks (no Content-Length of its own), counting what was pulled."""

    def __init__(self, chunks: int, size: int = 4096, head: bytes = b'{"text": "') -> None:
        self.chunks, self.size, self.head, self.pulled = chunks, size, head, 0

    def __iter__(self):
        yield self.head
        for _ in range(self.chunks):
            self.pulled += 1
            yield CANARY.encode() + b"a" * (self.size - len(CANARY))
        yield b'"}'


# ------------------------------------------------------------------ size of the request


def test_declared_length_over_the_limit_is_refused_before_reading(client):
    body = CountingBody(chunks=4)
    response = client.post("/v1/analyze", content=body, headers={**JSON, "content-length": str(10**9)})
    assert_error(response, 413, "KD-A001")
    assert body.pulled == 0


def test_missing_length_chunked_body_is_cut_off_at_the_limit(client):
    body = CountingBody(chunks=200)  # 800 KiB against a 64 KiB limit
    response = client.post("/v1/analyze", content=body, headers=JSON)
    assert_error(response, 413, "KD-A001")  # that it stops reading early: test_service_limits.py


def test_body_longer_than_its_content_length_is_refused(client):
    body = b'{"text": "' + CANARY.encode() + b" " * 500 + b'"}'
    response = client.post("/v1/analyze", content=body, headers={**JSON, "content-length": "20"})
    assert_error(response, 400, "KD-A002")


def test_body_lying_small_about_a_huge_size_is_refused_as_too_large(client):
    body = CountingBody(chunks=200)
    response = client.post("/v1/analyze", content=body, headers={**JSON, "content-length": "100"})
    assert response.status_code in {400, 413}
    assert response.json()["error"]["code"] in {"KD-A001", "KD-A002"}


def test_body_shorter_than_its_content_length_is_refused(client):
    body = b'{"text": "abc"}'
    response = client.post("/v1/analyze", content=body, headers={**JSON, "content-length": "5000"})
    assert_error(response, 400, "KD-A002")


@pytest.mark.parametrize("value", ["abc", "-5", "1e3", "12 34"])
def test_content_length_that_is_not_a_number(client, value):
    response = client.post("/v1/analyze", content=b"{}", headers={**JSON, "content-length": value})
    assert_error(response, 400, "KD-A002")


def test_upload_over_the_request_limit(client):
    data = b"a" * (100 * 1024)
    response = client.post("/v1/analyze", files={"file": ("bao-cao.txt", data)})
    assert_error(response, 413, "KD-A001")


def test_file_over_the_ingest_file_limit(make_client):
    client = make_client(max_request_bytes=256 * 1024)
    data = ("Tôi hoàn thành nhiệm vụ. " * 3000).encode()  # 75 KB > 48 KiB
    response = client.post("/v1/analyze", files={"file": ("bao-cao.txt", data)})
    assert_error(response, 413, "KD-E003")


def test_text_over_the_character_limit(client):
    response = client.post("/v1/analyze", json={"text": "Tôi " * 6000})  # 24,000 > 20,000 characters
    assert_error(response, 413, "KD-E003")


# ------------------------------------------------------------------ JSON and media type


def test_bad_json(client):
    response = client.post("/v1/analyze", content=b'{"text": "' + CANARY.encode(), headers=JSON)
    assert_error(response, 400, "KD-A002")


def test_json_that_is_not_utf8(client):
    response = client.post("/v1/analyze", content='{"text": "Tôi"}'.encode("utf-16"), headers=JSON)
    assert_error(response, 400, "KD-A002")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"txt": CANARY}, "text"),
        ({"text": 12}, "text"),
        ({"text": CANARY, "lang": "fr"}, "lang"),
        ({"text": CANARY, "extra": CANARY}, "extra"),
        ([CANARY], ""),
    ],
)
def test_invalid_fields_are_named_but_never_echoed(client, body, field):
    response = client.post("/v1/analyze", json=body)
    error = assert_error(response, 422, "KD-A004")
    assert all(set(item) == {"loc", "type"} for item in error["errors"])
    if field:
        assert any(field in item["loc"] for item in error["errors"])


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml", None])
def test_unsupported_media_types(client, content_type):
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/v1/analyze", content=CANARY.encode(), headers=headers)
    assert_error(response, 415, "KD-A003")


def test_invalid_query_parameter_is_not_echoed(client):
    response = client.post(f"/v1/analyze?format={CANARY}", json={"text": WEAK_REPORT})
    assert_error(response, 422, "KD-A004")


def test_render_needs_json(client):
    response = client.post("/v1/render", content=CANARY.encode(), headers={"content-type": "text/plain"})
    assert_error(response, 415, "KD-A003")


# ------------------------------------------------------------------ empty input


@pytest.mark.parametrize("text", ["", "   \n\t  ", "123 456 ... ---"])
def test_empty_text(client, text):
    assert_error(client.post("/v1/analyze", json={"text": text}), 422, "KD-E002")


def test_empty_file(client):
    assert_error(client.post("/v1/analyze", files={"file": ("bao-cao.txt", b"")}), 422, "KD-E002")


# ------------------------------------------------------------------ multipart


def test_multipart_without_a_file(client):
    response = client.post("/v1/analyze", data={"lang": "vi"}, files={"other": ("x.txt", b"abc")})
    error = assert_error(response, 422, "KD-A004")
    assert error["errors"] == [{"loc": ["body", "file"], "type": "missing"}]


def test_multipart_with_two_files(client):
    files = [("file", ("a.txt", b"abc")), ("file", ("b.txt", b"def"))]
    assert_error(client.post("/v1/analyze", files=files), 400, "KD-A002")


def test_multipart_with_a_bad_lang(client):
    response = client.post("/v1/analyze", data={"lang": "xx"}, files={"file": ("a.docx", small_report_docx())})
    assert_error(response, 422, "KD-A004")


def test_malformed_multipart(client):
    headers = {"content-type": "multipart/form-data; boundary=XYZ"}
    response = client.post("/v1/analyze", content=b"--XYZ\r\nnot a header\r\n\r\n" + CANARY.encode(), headers=headers)
    assert response.status_code in {400, 422}
    assert CANARY not in response.text


def test_multipart_without_boundary(client):
    headers = {"content-type": "multipart/form-data"}
    assert_error(client.post("/v1/analyze", content=b"abc", headers=headers), 400, "KD-A002")


# ------------------------------------------------------------------ file content, sniffed not trusted


def test_docx_named_txt_is_read_as_docx(client):
    response = client.post("/v1/analyze", files={"file": ("bao-cao.txt", small_report_docx(), "text/plain")})
    assert response.status_code == 200
    assert response.json()["source"]["format"] == "docx"


def test_text_named_pdf_is_read_as_text(client):
    response = client.post("/v1/analyze", files={"file": ("bao-cao.pdf", WEAK_REPORT.encode(), "application/pdf")})
    assert response.status_code == 200
    assert response.json()["source"]["format"] == "txt"
    assert response.json()["source"]["notes"] == ["named .pdf but holds plain text"]  # the reviewer is told
    assert response.json()["band"] == "weak"


@pytest.mark.parametrize("name", ["bao-cao.txt", "bao-cao.docx", "bao-cao.pdf", "bao-cao"])
def test_image_under_any_name_is_refused(client, name):
    assert_error(client.post("/v1/analyze", files={"file": (name, PNG, "text/plain")}), 415, "KD-E010")


def test_binary_bytes_named_txt(client):
    data = bytes(range(256)) * 4
    assert_error(client.post("/v1/analyze", files={"file": ("bao-cao.txt", data)}), 415, "KD-E004")


def test_corrupt_docx(client):
    data = small_report_docx()[:2000]
    assert_error(client.post("/v1/analyze", files={"file": ("bao-cao.docx", data)}), 422, "KD-E006")


def test_zip_bomb(make_client):
    client = make_client(max_request_bytes=1024 * 1024, ingest_limits=IngestLimits(max_file_bytes=1024 * 1024))
    response = client.post("/v1/analyze", files={"file": ("bao-cao.docx", zip_bomb_docx())})
    assert_error(response, 413, "KD-E009")


def test_encrypted_pdf(client):
    assert_error(client.post("/v1/analyze", files={"file": ("a.pdf", pdf_bytes(encrypted=True))}), 422, "KD-E007")


def test_scanned_pdf(client):
    assert_error(client.post("/v1/analyze", files={"file": ("a.pdf", pdf_bytes())}), 422, "KD-E008")


def test_docx_without_text(client):
    assert_error(client.post("/v1/analyze", files={"file": ("a.docx", docx_bytes([]))}), 422, "KD-E002")


def test_legacy_word_doc(client):
    data = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(1024)
    response = client.post("/v1/analyze", files={"file": ("a.doc", data)})
    assert response.status_code in {415, 422}
    assert response.json()["error"]["code"].startswith("KD-E")


# ------------------------------------------------------------------ addresses and methods


def test_unknown_address(client):
    assert_error(client.get(f"/v1/{CANARY}"), 404, "KD-A006")


def test_wrong_method(client):
    assert_error(client.get("/v1/analyze"), 405, "KD-A007")
