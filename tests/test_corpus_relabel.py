"""Relabel passes: tags are changed in the right slot of an authored file, derived copies follow, the frozen test
split is never touched, and the committed relabel record is what the authored files say."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "corpus" / "scripts"))

import build_corpus  # noqa: E402
import relabel  # noqa: E402

RECORD = ROOT / "corpus" / "second_pass" / "relabel-2026-12.jsonl"
SPLITS = json.loads((ROOT / "corpus" / "splits.json").read_text(encoding="utf-8"))
FRONT = """---
id: {id}
form: "02A"
guidance: HD25-2023
role: member
unit_kind: school
band: weak
self_rating: null
accountability: not_applicable
noise: []
author: writer-test
---
"""
BODY = """II. HẠN CHẾ ⟦S:shortcomings⟧
- Dự 12/12 kỳ sinh hoạt chi bộ. Tôi nộp muộn 2 báo cáo tháng 9. ⟦G⟧
- Việc cập nhật sổ điểm có lúc còn chậm. ⟦G E:agentless,hedge⟧
VI. BIỆN PHÁP ⟦S:remedies⟧
- Tiếp tục giữ gìn phẩm chất đạo đức. ⟦G E:vague_remedy⟧
"""


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    authored, derived = tmp_path / "authored", tmp_path / "derived"
    (authored / "t1").mkdir(parents=True)
    derived.mkdir()
    (authored / "t1" / "t1-001.txt").write_text(FRONT.format(id="t1-001") + BODY, encoding="utf-8")
    copy = FRONT.format(id="d-copy-t01").replace("---\n", "---\nderived_from: t1-001\n", 1)
    (derived / "d-copy-t01.txt").write_text(copy + BODY.replace("sổ điểm", "sổ điểm điện tử"), encoding="utf-8")
    monkeypatch.setattr(relabel, "AUTHORED", authored)
    monkeypatch.setattr(relabel, "DERIVED", derived)
    monkeypatch.setattr(build_corpus, "CORPUS", tmp_path / "corpus")  # provenance paths relative to tmp_path
    return authored / "t1" / "t1-001.txt", derived / "d-copy-t01.txt"


def _labels(path: Path) -> dict[str, tuple]:
    record = build_corpus.build_record(path)
    return {
        record["text"][u["start"] : u["end"]].strip("- "): (u["generic"], tuple(u["evasion_kinds"]))
        for u in record["units"]
        if not u["structural"]
    }


def test_an_untagged_sentence_sharing_a_tag_slot_gets_its_own_tag(corpus):
    source, _ = corpus
    change = {"id": "t1-001", "sentence": "Dự 12/12 kỳ sinh hoạt chi bộ.", "old": "-", "new": "G"}
    assert _labels(source)["Dự 12/12 kỳ sinh hoạt chi bộ."] == (False, ())  # the tag after it is the next one's
    relabel.apply_change(change)
    assert "chi bộ. ⟦G⟧ Tôi nộp" in source.read_text(encoding="utf-8")
    labels = _labels(source)
    assert labels["Dự 12/12 kỳ sinh hoạt chi bộ."] == (True, ())
    assert labels["Tôi nộp muộn 2 báo cáo tháng 9."] == (True, ())


def test_a_tag_is_replaced_in_the_source_and_its_derived_copy(corpus):
    source, copy = corpus
    change = {
        "id": "t1-001",
        "sentence": "Việc cập nhật sổ điểm có lúc còn chậm.",
        "old": "G E:hedge,agentless",  # any order
        "new": "G E:hedge",
    }
    done = relabel.apply_change(change)
    assert done == ["t1-001.txt: G E:agentless,hedge → G E:hedge", "d-copy-t01.txt: G E:agentless,hedge → G E:hedge"]
    assert _labels(source)["Việc cập nhật sổ điểm có lúc còn chậm."] == (True, ("hedge",))
    assert _labels(copy)["Việc cập nhật sổ điểm điện tử có lúc còn chậm."] == (True, ("hedge",))
    assert relabel.apply_change(change) == ["t1-001: already applied"]


def test_a_change_that_no_longer_matches_the_file_is_refused(corpus):
    source, _ = corpus
    before = source.read_text(encoding="utf-8")
    change = {"id": "t1-001", "sentence": "Tiếp tục giữ gìn phẩm chất đạo đức.", "old": "G", "new": "-"}
    with pytest.raises(relabel.RelabelError):
        relabel.apply_change(change)
    assert source.read_text(encoding="utf-8") == before


def test_check_writes_nothing_and_a_tag_can_be_removed(corpus):
    source, _ = corpus
    change = {"id": "t1-001", "sentence": "Tiếp tục giữ gìn phẩm chất đạo đức.", "old": "G E:vague_remedy", "new": "-"}
    before = source.read_text(encoding="utf-8")
    relabel.apply_change(change, check=True)
    assert source.read_text(encoding="utf-8") == before
    relabel.apply_change(change)
    assert _labels(source)["Tiếp tục giữ gìn phẩm chất đạo đức."] == (False, ())


def test_the_committed_relabel_record_is_applied_and_spares_the_test_split():
    changes = [json.loads(line) for line in RECORD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert changes and not {c["id"] for c in changes} & set(SPLITS["test"])
    for change in changes:
        assert relabel.canonical(change["old"]) != relabel.canonical(change.get("adjudicated") or change["new"])
        assert change["rule"]
        assert relabel.apply_change(change, check=True) == [f"{change['id']}: already applied"]
