"""The annotated corpus: well-formed, traceable, in sync with its sources, and convertible for annotation tools."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "corpus" / "scripts"))

import build_corpus  # noqa: E402
import convert  # noqa: E402

REPORTS = ROOT / "corpus" / "data" / "reports.jsonl"
RECORDS = [json.loads(line) for line in REPORTS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_source_file_is_in_the_built_corpus_unchanged():
    built = {}
    for path in build_corpus.source_files():
        record = build_corpus.build_record(path)
        built[record["id"]] = record
    committed = {r["id"]: r for r in RECORDS}
    assert set(built) == set(committed), "rebuild: python corpus/scripts/build_corpus.py"
    for report_id, record in built.items():
        assert record == committed[report_id], f"{report_id} changed; rebuild the corpus"


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r["id"])
def test_record_is_well_formed(record):
    text = record["text"]
    previous = 0
    for unit in record["units"]:
        assert previous <= unit["start"] < unit["end"] <= len(text)
        previous = unit["end"]
        assert not (unit["structural"] and (unit["generic"] or unit["evasive"]))
        assert unit["evasive"] == bool(unit["evasion_kinds"])
    assert record["sections"][0]["start"] == 0 and record["sections"][-1]["end"] == len(text)
    provenance = record["provenance"]
    assert provenance["file"] and provenance["source"] in {"authored", "derived"}
    if provenance["source"] == "derived":
        assert provenance["generated_by"] and provenance["seed"] is not None and provenance["derived_from"]
    else:
        assert provenance["author"]


def test_tags_are_parsed_strictly():
    with pytest.raises(build_corpus.TagError):
        build_corpus.parse_tag("E:unheard_of")
    with pytest.raises(build_corpus.TagError):
        build_corpus.parse_tag("S:nowhere")
    tag = build_corpus.parse_tag("G E:hedge,agentless R")
    assert tag.generic and tag.responsibility and tag.evasion == ["hedge", "agentless"]


def _labels(records):
    return [
        [(u["generic"], u["evasive"], tuple(u["evasion_kinds"]), u["responsibility"]) for u in r["units"]]
        for r in records
    ]


def test_doccano_round_trip_keeps_every_label():
    sample = RECORDS[:5]
    back = convert.from_doccano(convert.to_doccano(sample), sample)
    assert _labels(back) == _labels(sample)


def test_labelstudio_round_trip_keeps_every_label():
    sample = RECORDS[:5]
    back = convert.from_labelstudio(convert.to_labelstudio(sample), sample)
    assert _labels(back) == _labels(sample)
    assert "<Labels" in convert.label_config()


def test_relabelling_in_a_tool_changes_the_unit():
    record = RECORDS[0]
    item = convert.to_doccano([record])[0]
    target = next(u for u in record["units"] if not u["structural"] and not u["generic"])
    item["label"].append([target["start"], target["end"], "generic"])
    updated = convert.from_doccano([item], [record])[0]
    unit = next(u for u in updated["units"] if u["start"] == target["start"])
    assert unit["generic"]


def test_editing_the_text_in_a_tool_is_refused():
    item = convert.to_doccano(RECORDS[:1])[0]
    item["text"] = item["text"] + " "
    with pytest.raises(ValueError):
        convert.from_doccano([item], RECORDS[:1])


@pytest.mark.parametrize("record", [r for r in RECORDS if r["provenance"].get("raw_file")], ids=lambda r: r["id"])
def test_legacy_font_raw_files_read_back_as_the_gold_text(record):
    from nlp.ingest import read_file
    from nlp.normalize import normalize

    ingested = read_file(ROOT / record["provenance"]["raw_file"])
    assert ingested.legacy_font in {"tcvn3", "vni"}
    assert normalize(ingested.text) == record["text"]


import make_splits  # noqa: E402

SPLITS = json.loads((ROOT / "corpus" / "splits.json").read_text(encoding="utf-8"))


def test_test_split_is_frozen():
    """The test split's reports and texts are exactly those recorded when it was fixed."""
    assert make_splits.test_hash(RECORDS, SPLITS["test"]) == SPLITS["test_sha256"]


def test_every_report_is_in_exactly_one_split():
    placed = [i for name in ("train", "dev", "test") for i in SPLITS[name]]
    assert len(placed) == len(set(placed))
    assert set(placed) == {r["id"] for r in RECORDS}, "place new reports: python corpus/scripts/make_splits.py --extend"


def test_near_copies_stay_with_their_source():
    split_of = {i: name for name in ("train", "dev", "test") for i in SPLITS[name]}
    for record in RECORDS:
        group = make_splits.group_of(record)
        if group != record["id"]:
            assert split_of[record["id"]] == split_of[group], record["id"]
