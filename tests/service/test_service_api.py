"""The API's endpoints: what each answers for good input, in the library's own schema."""

from __future__ import annotations

import json
import re

from service_support import DOCX_EVASIVE, DOCX_FACT, EXAMPLES, STATIC_FILES, WEAK_REPORT, small_report_docx

from nlp import SCHEMA_VERSION, AnalysisResult, __version__, analyze
from nlp.schema import result_json_schema


def _sentence_labels(result: AnalysisResult, fragment: str) -> set[str]:
    matches = [i for i, s in enumerate(result.sentences) if fragment in result.text[s.start : s.end]]
    assert len(matches) == 1, fragment
    index = matches[0]
    found = {f.category for f in result.findings if f.sentence == index}
    return set(result.sentences[index].labels) | found


def test_health(client):
    response = client.get("/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "ready": True}


def test_version_names_app_schema_and_models(client):
    body = client.get("/v1/version").json()
    assert body["version"] == __version__
    assert body["schema_version"] == SCHEMA_VERSION
    from nlp.classify import default_classifier

    assert body["classifier"] == body["models"]["classifier"] == default_classifier().name
    assert body["models"]["underthesea"]
    assert body["limits"]["max_file_bytes"] == 48 * 1024


def test_schema_is_the_library_schema(client):
    assert client.get("/v1/schema").json() == json.loads(json.dumps(result_json_schema()))


def test_labels_serve_display_names_in_both_languages(client):
    body = client.get("/v1/labels").json()
    assert body["labels"]["categories"]["evasive"] == {"vi": "Né tránh", "en": "Evasive"}
    assert body["labels"]["bands"]["weak"]["vi"] == "Yếu"
    assert body["render"]["ui"]["suggestion"]["vi"]
    assert body["score_cutoffs"]["adequate"] < body["score_cutoffs"]["strong"]


def test_analyze_json_returns_the_library_result(client):
    response = client.post("/v1/analyze", json={"text": WEAK_REPORT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    result = AnalysisResult.model_validate(response.json())
    assert result == analyze(WEAK_REPORT)
    assert result.band == "weak"
    assert "evasive" in _sentence_labels(result, "Nhìn chung bản thân không có khuyết điểm gì đáng kể")
    assert "generic" in _sentence_labels(result, "Luôn hoàn thành tốt nhiệm vụ được giao")
    assert not {"generic", "evasive"} & _sentence_labels(result, "Dư nợ do tôi quản lý đến 30/11/2023")


def test_analyze_lang_from_body_or_query(client):
    english = client.post("/v1/analyze", json={"text": WEAK_REPORT, "lang": "en"}).json()
    assert english["lang"] == "en"
    overridden = client.post("/v1/analyze?lang=vi", json={"text": WEAK_REPORT, "lang": "en"}).json()
    assert overridden["lang"] == "vi"
    assert english["findings"][0]["message"] != overridden["findings"][0]["message"]


def test_analyze_docx_upload(client):
    data = small_report_docx()
    response = client.post(
        "/v1/analyze",
        files={
            "file": ("bao-cao.docx", data, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        },
    )
    assert response.status_code == 200, response.text
    result = AnalysisResult.model_validate(response.json())
    assert result.source.format == "docx"
    assert "evasive" in _sentence_labels(result, DOCX_EVASIVE)
    assert not {"generic", "evasive"} & _sentence_labels(result, DOCX_FACT)


def test_analyze_example_docx_and_pdf(make_client):
    from nlp.ingest import IngestLimits

    client = make_client(max_request_bytes=2 * 1024 * 1024, ingest_limits=IngestLimits(max_file_bytes=2 * 1024 * 1024))
    for name, fmt in (("02b-truong-phong-bang-so-lieu.docx", "docx"), ("01-chi-bo-thon.pdf", "pdf")):
        path = EXAMPLES / name
        if not path.exists():  # built by examples/build_binary_examples.py
            continue
        response = client.post("/v1/analyze", files={"file": (name, path.read_bytes())}, data={"lang": "en"})
        assert response.status_code == 200, (name, response.text)
        assert response.json()["source"]["format"] == fmt
        assert response.json()["lang"] == "en"


def test_analyze_pasted_text_as_form_field(client):
    response = client.post("/v1/analyze", data={"text": WEAK_REPORT}, files={"unused": ("", b"")})
    assert response.status_code == 200
    assert response.json()["band"] == "weak"


def test_analyze_html_format_is_the_standalone_report(client):
    response = client.post("/v1/analyze?format=html", json={"text": WEAK_REPORT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "attachment" in response.headers["content-disposition"]
    assert "Phan Quốc Bảo" in response.text
    assert not re.search(r"""(src|href)=["']https?://""", response.text)


def test_render_turns_a_result_into_the_html_report(client):
    result = client.post("/v1/analyze", json={"text": WEAK_REPORT}).json()
    response = client.post("/v1/render?lang=en", json=result)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="en"' in response.text
    assert "Dư nợ do tôi quản lý đến 30/11/2023" in response.text


def test_render_refuses_what_is_not_a_result(client):
    response = client.post("/v1/render", json={"text": "x"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "KD-A004"


def test_page_and_its_assets_are_served_and_local(client):
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="vi">' in page.text
    for name in STATIC_FILES:
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name
        # an XML namespace name is not a request
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", response.text), f"{name} refers to another site"
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_docs_are_served_offline(client):
    docs = client.get("/docs")
    assert docs.status_code == 200
    assets = re.findall(r"""(?:src|href)=["']([^"']+)""", docs.text)
    assert assets and all(a.startswith("/") for a in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert client.get("/vendor/swagger-ui/LICENSE").text.lstrip().startswith("Apache License")
    assert client.get("/vendor/swagger-ui/swagger-editor.js").status_code == 404  # only what the docs need
    spec = client.get("/openapi.json").json()
    assert {"/v1/analyze", "/v1/health", "/v1/version", "/v1/schema", "/v1/labels", "/v1/render"} <= set(spec["paths"])
    body = spec["paths"]["/v1/analyze"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(body)
    assert "AnalysisResult" in spec["components"]["schemas"]


def test_api_answers_are_not_cached_and_carry_security_headers(client):
    response = client.post("/v1/analyze", json={"text": WEAK_REPORT})
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_uploads_stay_in_memory():
    from service.app import _InMemoryMultiPartParser
    from service.config import Settings

    assert _InMemoryMultiPartParser.spool_max_size > Settings().max_request_bytes


def test_docx_example_text_is_in_the_result(client):
    response = client.post("/v1/analyze", files={"file": ("x.docx", small_report_docx())})
    assert DOCX_FACT in response.json()["text"]
