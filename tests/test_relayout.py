"""Re-laid reports (nlp.relayout): every word kept, gold units carried over by their words, evaluation and
training with layouts (``kiemdiem evaluate --layout``, ``kiemdiem train --augment-layouts``)."""

from __future__ import annotations

import difflib
import hashlib
import io
import json
import re
import zipfile

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from nlp import analyze
from nlp.cli import app
from nlp.evaluate import Evaluation, add_report, analyse_records, evaluate, evaluate_layout
from nlp.ingest import read_bytes
from nlp.model import MODELS_DIR
from nlp.model.corpus import align, read_reports
from nlp.normalize import fold, normalize
from nlp.relayout import (
    EXTRA_LAYOUTS,
    LAYOUTS,
    blocks,
    one_line,
    parse_layouts,
    relaid_record,
    relayout,
    remap_record,
    render,
    strip_diacritics,
    to_docx,
    to_pdf,
    wrap,
)

IDS = ("b2-033", "b3-021", "b2-014", "b1-044")  # forms 01, 02B (typed without diacritics), 02A, 02B
ALL = LAYOUTS + EXTRA_LAYOUTS
PAGED = {"wrap70", "pdf"}  # layouts that add page numbers
runner = CliRunner()


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    wanted = set(IDS)
    return {r["id"]: r for r in read_reports() if r["id"] in wanted}


@pytest.fixture(scope="module")
def relaid(records) -> dict[tuple[str, str], str]:
    return {(rid, layout): relayout(records[rid]["text"], layout) for rid in IDS for layout in ALL}


def key(text: str) -> str:
    """Non-whitespace characters, accent-folded."""
    return "".join(fold(text).split())


def extra_characters(source: str, target: str) -> str:
    """Characters of ``target`` not in ``source``; fails if any character of ``source`` is lost or changed."""
    added = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, source, target, autojunk=False).get_opcodes():
        assert tag in {"equal", "insert"}, f"{tag}: {source[i1:i2]!r} -> {target[j1:j2]!r}"
        if tag == "insert":
            added.append(target[j1:j2])
    return "".join(added)


def test_layout_names_and_parsing():
    assert LAYOUTS == ("as_written", "one_line", "blocks", "wrap70", "no_diacritics", "docx", "pdf")
    assert parse_layouts("all") == LAYOUTS
    assert parse_layouts("one_line, wrap70") == ("one_line", "wrap70")
    with pytest.raises(ValueError):
        parse_layouts("one_line,sideways")


@pytest.mark.parametrize("layout", ALL)
def test_every_layout_keeps_every_word(records, relaid, layout):
    for rid in IDS:
        original, text = key(records[rid]["text"]), key(relaid[rid, layout])
        if layout in PAGED:
            assert extra_characters(original, text).isdigit()  # page numbers only
        else:
            assert text == original


def test_plain_layouts_change_only_the_whitespace(records, relaid):
    text = records["b2-014"]["text"]
    assert "\n" not in relaid["b2-014", "one_line"] and "  " not in relaid["b2-014", "one_line"]
    block_count = len([b for b in re.split(r"\n\s*\n", text) if b.strip()])
    assert "\n\n" not in relaid["b2-014", "blocks"] and relaid["b2-014", "blocks"].count("\n") == block_count - 1
    lines = relaid["b1-044", "wrap70"].split("\n")
    assert all(len(line) <= 70 or " " not in line for line in lines)
    assert sum(len(line) > 70 for line in text.split("\n")) > 0  # the report does have lines to wrap
    pages = [line for line in lines if line.isdigit()]
    assert pages == [str(n) for n in range(1, len(pages) + 1)] and len(pages) >= 2
    assert lines[45] == "1"


def test_wrap_and_blocks_on_a_small_text():
    text = "Dòng một\ndòng hai\n\nKhối hai " + "từ " * 40
    assert one_line(text) == "Dòng một dòng hai Khối hai " + ("từ " * 40).strip()
    assert blocks(text) == "Dòng một dòng hai\n" + ("Khối hai " + "từ " * 40).strip()
    wrapped = wrap(text, width=20, lines_per_page=3).split("\n")
    assert wrapped[3] == "1" and wrapped[-1].isdigit() and all(len(line) <= 20 for line in wrapped)


def test_no_diacritics_keeps_the_length_and_case():
    text = "Đảng viên Nguyễn Thị Ưng đã HOÀN THÀNH tốt nhiệm vụ được giao."
    stripped = strip_diacritics(text)
    assert stripped == "Dang vien Nguyen Thi Ung da HOAN THANH tot nhiem vu duoc giao."
    assert len(stripped) == len(text) and fold(stripped) == fold(text)


def test_fold_keeps_the_length_of_every_corpus_text():
    for record in read_reports():
        assert len(fold(record["text"])) == len(record["text"])


def test_docx_round_trip_one_paragraph_per_line():
    text = "BẢN KIỂM ĐIỂM CÁ NHÂN\n\nI. ƯU ĐIỂM\nHoàn thành 12/12 chỉ tiêu được giao.\n- Tham gia đầy đủ sinh hoạt."
    data = to_docx(text)
    assert data[:2] == b"PK"
    ingested = read_bytes(data, "x.docx")
    assert ingested.format == "docx" and ingested.text == text


def test_docx_round_trip_with_soft_line_breaks():
    text = "I. ƯU ĐIỂM\nHoàn thành 12/12 chỉ tiêu.\n\nII. HẠN CHẾ\nCòn chậm nộp báo cáo."
    data = to_docx(text, soft_breaks=True)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = package.read("word/document.xml").decode("utf-8")
    assert body.count("<w:br/>") == 2 and body.count("<w:p>") + body.count("<w:p ") == 2
    assert read_bytes(data, "x.docx").text == text.replace("\n\n", "\n")


def test_pdf_round_trip_wraps_pages_and_keeps_vietnamese(records):
    text = records["b1-044"]["text"]
    data = to_pdf(text)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    raw = "\n".join(page.extract_text() for page in reader.pages)
    assert "Đảng" in raw and "ư" in raw
    assert len(raw.split("\n")) > len(text.split("\n"))  # multi_cell wrapped long lines
    ingested = read_bytes(data, "x.pdf")
    assert ingested.format == "pdf"
    assert extra_characters(key(text), key(ingested.text)).isdigit()


@pytest.mark.parametrize("layout", ALL)
def test_gold_units_are_carried_over_by_their_words(records, layout):
    for rid in IDS:
        record = records[rid]
        moved = relaid_record(record, layout)
        new = moved.record
        assert moved.unmapped_units == []
        assert len(new["units"]) == len(record["units"])
        assert new["text"] == normalize(relayout(record["text"], layout))
        assert new["text_sha256"] == hashlib.sha256(new["text"].encode("utf-8")).hexdigest()
        assert list(new) == list(record)
        for old, unit in zip(record["units"], new["units"], strict=True):
            before, after = (
                key(record["text"][old["start"] : old["end"]]),
                key(new["text"][unit["start"] : unit["end"]]),
            )
            if layout in PAGED:
                assert extra_characters(before, after).isdigit() or before == after
            else:
                assert after == before
            assert {k: v for k, v in unit.items() if k not in {"start", "end"}} == {
                k: v for k, v in old.items() if k not in {"start", "end"}
            }
        assert [s["id"] for s in new["sections"]] == [s["id"] for s in record["sections"]]
        assert len(new["evidence"]) == len(record["evidence"])


def test_relaid_text_is_stable_under_normalisation(records):
    for layout in ALL:
        text = relaid_record(records["b2-014"], layout).record["text"]
        assert normalize(text) == text


def test_characters_changed_by_extraction_are_aligned_and_lost_units_reported():
    text = "Dòng đầu.\nCâu hai rất rõ.\nCâu ba bị mất."
    units = [
        {"start": 0, "end": 9, "section": "header"},
        {"start": 10, "end": 25, "section": "achievements"},
        {"start": 26, "end": 40, "section": "shortcomings"},
    ]
    record = {"id": "x", "text": text, "text_sha256": "0", "units": units, "sections": [], "evidence": []}
    moved = remap_record(record, "Dong dau. 7 Cau hai rat ro!")  # one character changed, a page number added
    assert [u["section"] for u in moved.record["units"]] == ["header", "achievements"]
    assert moved.record["text"][moved.record["units"][1]["start"] : moved.record["units"][1]["end"]] == "Cau hai rat ro"
    assert [u["section"] for u in moved.unmapped_units] == ["shortcomings"] and not moved.exact


def test_training_alignment_reads_relaid_records(records):
    record = records["b2-014"]
    plain, copy = align(record), align(relaid_record(record, "as_written").record)
    assert [g.generic for g in copy.gold] == [g.generic for g in plain.gold]
    one_line_copy = align(relaid_record(record, "one_line").record)
    assert one_line_copy.record["text"].count("\n") == 0 and any(g.evasive or g.generic for g in one_line_copy.gold)


def test_evaluate_as_written_gives_the_figures_of_plain_evaluation(records):
    chosen = [records["b2-033"], records["b2-014"]]
    plain = evaluate(chosen, analyse_records(chosen)).summary()
    laid = evaluate_layout(chosen, "as_written").summary()
    assert laid.pop("layout") == "as_written" and laid.pop("unmapped_gold_units") == 0
    assert laid == plain
    assert "layout" not in plain


def test_unplaced_gold_units_count_as_missed(records):
    record = records["b2-033"]
    result = json.loads(analyze(record["text"]).model_dump_json())
    base, missing = Evaluation(layout="x"), Evaluation(layout="x")
    add_report(base, record, result)
    content = next(u for u in record["units"] if u["generic"])
    add_report(missing, record, result, [{**content, "start": 0, "end": 0}])
    assert missing.units == base.units + 1
    assert missing.labels["generic"].fn == base.labels["generic"].fn + 1


def _tiny_splits(tmp_path, train=("b2-033", "b2-014"), dev=("b3-021",), test=("b2-033", "b1-044")):
    path = tmp_path / "splits.json"
    path.write_text(json.dumps({"train": list(train), "dev": list(dev), "test": list(test)}), encoding="utf-8")
    return path


def test_cli_evaluate_layout(tmp_path):
    splits = _tiny_splits(tmp_path)
    common = ["evaluate", "test", "--splits", str(splits), "--json", "--errors", str(tmp_path / "e.jsonl")]
    plain = runner.invoke(app, common, catch_exceptions=False)
    laid = runner.invoke(app, [*common, "--layout", "as_written"], catch_exceptions=False)
    assert plain.exit_code == 0 and laid.exit_code == 0
    figures = json.loads(laid.stdout)
    assert figures.pop("layout") == "as_written" and figures.pop("unmapped_gold_units") == 0
    assert figures == json.loads(plain.stdout)
    several = runner.invoke(app, [*common, "--layout", "one_line,pdf"], catch_exceptions=False)
    assert several.exit_code == 0 and set(json.loads(several.stdout)) == {"one_line", "pdf"}
    text = runner.invoke(app, [*common[:-3], "--errors", str(tmp_path / "e.jsonl"), "--layout", "blocks,wrap70"])
    assert text.exit_code == 0 and "| `wrap70` |" in text.stdout and "layout blocks" in text.stdout
    assert runner.invoke(app, [*common, "--layout", "sideways"]).exit_code == 2
    assert runner.invoke(app, [*common, "--layout", "pdf", "--results", str(tmp_path)]).exit_code == 2


def test_augmented_copies_come_from_train_records_and_share_their_group(records):
    from nlp.model.train import augmented

    reports, origins, unplaced = augmented([records["b2-033"], records["b2-014"]], ("one_line", "no_diacritics"))
    assert origins == [0, 0, 0, 1, 1, 1] and unplaced == 0
    assert reports[0].record is records["b2-033"]
    assert reports[1].record["text"] == normalize(one_line(records["b2-033"]["text"]))
    assert reports[5].record["text"] == normalize(strip_diacritics(records["b2-014"]["text"]))


def test_cli_train_with_augmented_layouts_writes_elsewhere(tmp_path):
    splits = _tiny_splits(tmp_path, train=("b2-033", "b2-014", "b1-044"), dev=("b3-021",), test=("b2-039",))
    shipped = {p: p.stat().st_mtime_ns for p in (MODELS_DIR / "linear-v1").iterdir()}
    out = tmp_path / "model"
    args = ["train", "--variant", "linear", "--splits", str(splits), "--out-dir", str(out), "--name", "tiny"]
    result = runner.invoke(app, [*args, "--augment-layouts", "one_line"], catch_exceptions=False)
    assert result.exit_code == 0, result.stdout
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["augment_layouts"] == ["one_line"] and metrics["augment_copies"] == 3
    assert metrics["train"]["reports"] == 3 and metrics["dev"]["reports"] == 1 and metrics["test"]["reports"] == 1
    assert "--augment-layouts one_line" in (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert {p: p.stat().st_mtime_ns for p in (MODELS_DIR / "linear-v1").iterdir()} == shipped
    assert not (MODELS_DIR / "tiny").exists()
    assert runner.invoke(app, [*args, "--augment-layouts", "sideways"]).exit_code == 2


def test_files_are_the_same_bytes_on_every_run():
    text = "BẢN KIỂM ĐIỂM\n\nHoàn thành tốt nhiệm vụ."
    for layout in ("docx", "docx_breaks", "pdf"):
        assert render(text, layout) == render(text, layout)
