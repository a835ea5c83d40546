"""Generated documentation stays equal to what the code generates."""

from __future__ import annotations

import json
from pathlib import Path

from nlp.errors import errors_markdown
from nlp.schema import result_json_schema

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_errors_table_in_sync():
    assert (DOCS / "errors.md").read_text(encoding="utf-8") == errors_markdown(), (
        "run: kiemdiem errors --markdown > docs/errors.md"
    )


def test_json_schema_in_sync():
    committed = json.loads((DOCS / "result.schema.json").read_text(encoding="utf-8"))
    assert committed == result_json_schema(), "run: kiemdiem schema > docs/result.schema.json"


def test_schema_doc_names_every_field():
    text = (DOCS / "schema.md").read_text(encoding="utf-8")
    schema = result_json_schema()
    for name in schema["properties"]:
        assert f"`{name}`" in text, name
