"""The linked sets of corpus/linked/ follow their README, and the splits hold distinct units and people."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
LINKED = ROOT / "corpus" / "linked"
sys.path.insert(0, str(ROOT / "corpus" / "scripts"))

import check_linked  # noqa: E402

SET_DIRS = sorted(p for p in LINKED.iterdir() if p.is_dir() and check_linked.SET_ID.match(p.name))


def _load(set_dir: Path) -> dict:
    return yaml.safe_load((set_dir / "set.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("set_dir", SET_DIRS, ids=lambda p: p.name)
def test_set_follows_the_format(set_dir):
    assert check_linked.check_set(set_dir) == []


def test_splits_hold_distinct_units_and_people():
    sets = {p.name: _load(p) for p in SET_DIRS}
    units: dict[str, str] = {}
    people: dict[str, tuple[str, str]] = {}
    for name, data in sets.items():
        unit = " ".join(data["unit"]["name"].split()).casefold()
        assert unit not in units, f"{name} and {units.get(unit)} are the same unit"
        units[unit] = name
        for person in {r["person"] for r in data["reports"] if r.get("person")}:
            other = people.get(person)
            assert other is None or other[1] == data["split"], f"{person} is in {other[0]} and {name}"
            people[person] = (name, data["split"])


def test_checker_reports_a_broken_set(tmp_path):
    """The checker is not vacuous: a quote that is not in the file and an unlisted file are both reported."""
    set_dir = tmp_path / "L01"
    (set_dir / "2025").mkdir(parents=True)
    (set_dir / "2025" / "tap-the.txt").write_text("CHI BỘ THÔN ĐÔNG\nChi bộ để 3 hộ nợ quỹ.\n", encoding="utf-8")
    (set_dir / "2025" / "le-van-an.txt").write_text("Họ và tên: Lê Văn An\nTôi nhận phần mình.\n", encoding="utf-8")
    (set_dir / "2025" / "thua.txt").write_text("không liệt kê\n", encoding="utf-8")
    data = {
        "id": "L01",
        "split": "train",
        "author": "test",
        "unit": {"name": "Chi bộ thôn Đông", "parent": "Đảng bộ xã An", "kind": "commune"},
        "reports": [
            {"file": "2025/tap-the.txt", "year": 2025, "form": "01", "guidance": "HD43-2025", "role": "collective"},
            {
                "file": "2025/le-van-an.txt",
                "year": 2025,
                "form": "2A",
                "guidance": "HD43-2025",
                "role": "leader",
                "person": "Lê Văn An",
                "party_post": "Bí thư chi bộ",
                "gov_post": None,
                "head": True,
            },
        ],
        "collective_shortcomings": [
            {
                "id": "c1",
                "quote": "Chi bộ để 3 hộ nợ quỹ.",
                "area": "quỹ",
                "area_named_in_text": False,
                "responsible": ["Lê Văn An"],
                "verdicts": {"Lê Văn An": {"verdict": "owned", "quote": "Tôi nhận 3 hộ nợ quỹ."}},
            }
        ],
        "previous_shortcomings": [],
    }
    (set_dir / "set.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    errors = check_linked.check_set(set_dir)
    assert any("not found" in e and "le-van-an" in e for e in errors)
    assert any("2025/thua.txt is not listed" in e for e in errors)
    (set_dir / "2025" / "thua.txt").unlink()
    data["collective_shortcomings"][0]["verdicts"]["Lê Văn An"]["quote"] = "Tôi nhận phần mình."
    (set_dir / "set.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert check_linked.check_set(set_dir) == []
    # a responsible person's posts are this year's, whatever order the years are listed in
    (set_dir / "2024").mkdir()
    (set_dir / "2025" / "tran-thi-binh.txt").write_text("Họ và tên: Trần Thị Bình\nTrưởng thôn.\n", encoding="utf-8")
    (set_dir / "2024" / "tran-thi-binh.txt").write_text("Họ và tên: Trần Thị Bình\nĐảng viên.\n", encoding="utf-8")
    binh = {**data["reports"][1], "file": "2025/tran-thi-binh.txt", "person": "Trần Thị Bình", "head": False}
    binh.update(party_post=None, gov_post="Trưởng thôn")
    last_year = {**binh, "file": "2024/tran-thi-binh.txt", "year": 2024, "form": "02A", "guidance": "HD25-2023"}
    data["reports"] += [binh, {**last_year, "role": "member", "gov_post": None}]
    data["collective_shortcomings"][0]["responsible"].append("Trần Thị Bình")
    data["collective_shortcomings"][0]["verdicts"]["Trần Thị Bình"] = {"verdict": "absent"}
    (set_dir / "set.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert not [e for e in check_linked.check_set(set_dir) if "holds no post" in e]


def test_linked_test_sets_are_frozen():
    """L07–L10, L13–L43 and L47–L150 are the frozen test part: their files may not change (corpus/scripts/linked_test_hash.py)."""
    import linked_test_hash

    frozen = [
        "L07",
        "L08",
        "L09",
        "L10",
        "L100",
        "L101",
        "L102",
        "L103",
        "L104",
        "L105",
        "L106",
        "L107",
        "L108",
        "L109",
        "L110",
        "L111",
        "L112",
        "L113",
        "L114",
        "L115",
        "L116",
        "L117",
        "L118",
        "L119",
        "L120",
        "L121",
        "L122",
        "L123",
        "L124",
        "L125",
        "L126",
        "L127",
        "L128",
        "L129",
        "L13",
        "L130",
        "L131",
        "L132",
        "L133",
        "L134",
        "L135",
        "L136",
        "L137",
        "L138",
        "L139",
        "L14",
        "L140",
        "L141",
        "L142",
        "L143",
        "L144",
        "L145",
        "L146",
        "L147",
        "L148",
        "L149",
        "L15",
        "L150",
        "L16",
        "L17",
        "L18",
        "L19",
        "L20",
        "L21",
        "L22",
        "L23",
        "L24",
        "L25",
        "L26",
        "L27",
        "L28",
        "L29",
        "L30",
        "L31",
        "L32",
        "L33",
        "L34",
        "L35",
        "L36",
        "L37",
        "L38",
        "L39",
        "L40",
        "L41",
        "L42",
        "L43",
        "L47",
        "L48",
        "L49",
        "L50",
        "L51",
        "L52",
        "L53",
        "L54",
        "L55",
        "L56",
        "L57",
        "L58",
        "L59",
        "L60",
        "L61",
        "L62",
        "L63",
        "L64",
        "L65",
        "L66",
        "L67",
        "L68",
        "L69",
        "L70",
        "L71",
        "L72",
        "L73",
        "L74",
        "L75",
        "L76",
        "L77",
        "L78",
        "L79",
        "L80",
        "L81",
        "L82",
        "L83",
        "L84",
        "L85",
        "L86",
        "L87",
        "L88",
        "L89",
        "L90",
        "L91",
        "L92",
        "L93",
        "L94",
        "L95",
        "L96",
        "L97",
        "L98",
        "L99",
    ]
    assert [p.name for p in linked_test_hash.test_sets()] == frozen
    assert linked_test_hash.test_hash() == (LINKED / "test.sha256").read_text(encoding="utf-8").strip()
