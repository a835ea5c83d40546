"""The batch's parts, each on its own: input discovery and archives, content sniffing, unit kinds, the quota
arithmetic, duplicate detection, and the store."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from nlp.batch.config import infer_kind, match_kind
from nlp.batch.dedup import find_copies, jaccard
from nlp.batch.discover import Reader, classify, discover, safe_member_parts
from nlp.batch.stats import DONE, EXCELLENT, GOOD, Quota, compute, unit_kind
from nlp.batch.store import Store
from nlp.errors import ArchiveLimitError, EncryptedFileError, InputTooLargeError, UnsupportedFormatError

# ---------------------------------------------------------------------------------------------- discovery


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_discover_lists_every_file_once_in_a_stable_order(tmp_path: Path) -> None:
    (tmp_path / "B" / "sub").mkdir(parents=True)
    (tmp_path / "A").mkdir()
    (tmp_path / "A" / "x.txt").write_text("x")
    (tmp_path / "B" / "sub" / "y.docx").write_bytes(b"y")
    (tmp_path / "B" / "~$y.docx").write_bytes(b"lock")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "a.txt").write_text("a")
    (tmp_path / ".hidden" / "b.txt").write_text("b")
    items = list(discover([tmp_path]))
    assert [i.path for i in items] == [".hidden/", "A/x.txt", "B/~$y.docx", "B/sub/y.docx"]
    assert items[0].skip == "hidden_dir" and items[0].detail == "2"
    assert items[2].skip == "temporary"
    assert items[3].folders == ("B", "sub") and items[3].unit == "B/sub"


def test_output_folder_inside_the_input_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "ket-qua" / "bao-cao").mkdir(parents=True)
    (tmp_path / "ket-qua" / "bao-cao" / "a.json").write_text("{}")
    (tmp_path / "r.txt").write_text("r")
    items = list(discover([tmp_path], exclude=[tmp_path / "ket-qua"]))
    assert [(i.path, i.skip) for i in items] == [("ket-qua/", "output_dir"), ("r.txt", None)]


def test_several_inputs_are_prefixed_with_their_names(tmp_path: Path) -> None:
    for name in ("xa-a", "xa-b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "r.txt").write_text(name)
    archive = tmp_path / "phuong-c.zip"
    archive.write_bytes(_zip({"chi-bo-1/r.txt": b"c"}))
    items = list(discover([tmp_path / "xa-a", tmp_path / "xa-b", archive]))
    assert [i.path for i in items] == ["xa-a/r.txt", "xa-b/r.txt", "phuong-c.zip/chi-bo-1/r.txt"]
    assert items[2].folders == ("phuong-c", "chi-bo-1")


def test_zip_members_are_read_without_extracting_and_unsafe_names_sanitised(tmp_path: Path) -> None:
    archive = tmp_path / "huyen.zip"
    archive.write_bytes(
        _zip(
            {
                "Dang bo A/Chi bo 1/a.txt": "Báo cáo A".encode(),
                "../../../etc/passwd.txt": b"root",
                "/abs/b.txt": b"b",
                "C:\\win\\c.txt": b"c",
                "__MACOSX/Dang bo A/._a.txt": b"\x00",
                "inner.zip": b"PK\x05\x06" + b"\x00" * 18,
            }
        )
    )
    items = {i.path: i for i in discover([archive])}
    assert set(items) == {
        "huyen.zip/Dang bo A/Chi bo 1/a.txt",
        "huyen.zip/etc/passwd.txt",
        "huyen.zip/abs/b.txt",
        "huyen.zip/win/c.txt",
        "huyen.zip/__MACOSX/Dang bo A/._a.txt",
        "huyen.zip/inner.zip",
    }
    assert items["huyen.zip/__MACOSX/Dang bo A/._a.txt"].skip == "system"
    assert items["huyen.zip/inner.zip"].skip == "nested_archive"
    reader = Reader(1_000_000)
    assert reader.read(items["huyen.zip/Dang bo A/Chi bo 1/a.txt"]).decode() == "Báo cáo A"
    assert reader.read(items["huyen.zip/etc/passwd.txt"]) == b"root"
    reader.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["huyen.zip"]  # nothing extracted
    assert safe_member_parts("a/./b/../c") == ("a", "b", "c")


def test_zip_bomb_members_and_oversized_archives_are_refused(tmp_path: Path, monkeypatch) -> None:
    from nlp.batch import config

    bomb = tmp_path / "bom.zip"
    bomb.write_bytes(_zip({"to.txt": b"a" * (4 << 20), "nho.txt": b"ok"}))
    items = {i.name: i for i in discover([bomb])}
    assert isinstance(items["to.txt"].error, ArchiveLimitError)  # ratio over 200 on a 4 MiB member
    assert items["nho.txt"].error is None

    limits = dict(config.rules()["archives"], max_members=1)
    monkeypatch.setitem(config.rules(), "archives", limits)
    (only,) = discover([bomb])
    assert only.path == "bom.zip" and isinstance(only.error, ArchiveLimitError)


def test_reader_limits_and_encrypted_members(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2000)
    (item,) = discover([big])
    with pytest.raises(InputTooLargeError):
        Reader(1000).read(item)
    archive = tmp_path / "a.zip"
    data = bytearray(_zip({"m.txt": b"secret text"}))
    data[6] |= 0x1  # local header: encrypted flag
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x1
    archive.write_bytes(bytes(data))
    (member,) = discover([archive])
    assert isinstance(member.error, EncryptedFileError)


INPUT_CASES = [
    ("a.txt", "Báo cáo".encode(), True),
    ("khong-duoi", b"plain text", True),
    ("a.md", b"# notes", False),
    ("a.csv", b"a,b", False),
    ("anh.jpg", b"\xff\xd8\xff\xe0rest", False),
    ("bang.xlsx", _zip({"xl/workbook.xml": b"<x/>"}), False),
    ("bao-cao-khong-duoi", _zip({"word/document.xml": b"<w/>"}), True),
    ("hong.docx", b"not a zip at all", True),  # named like a document: ingest says what is wrong
    ("bao-cao.pdf", b"%PDF-1.7", True),
    ("scan", b"%PDF-1.4 ...", True),
]


@pytest.mark.parametrize(("name", "data", "accepted"), INPUT_CASES, ids=[c[0] for c in INPUT_CASES])
def test_what_counts_as_an_input(name: str, data: bytes, accepted: bool) -> None:
    if accepted:
        classify(name, data)
    else:
        with pytest.raises(UnsupportedFormatError):
            classify(name, data)


# ---------------------------------------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Đảng bộ xã An Phú", "commune"),
        ("dang-bo-xa-an-phu", "commune"),
        ("Đảng bộ phường 3", "ward"),
        ("Đảng bộ thị trấn Yên Lạc", "town"),
        ("Chi bộ Trường THCS xã An Phú", "school"),
        ("Chi bộ Trường Mầm non Hoa Sen", "school"),
        ("Chi bộ Phòng Tài nguyên và Môi trường", "district_office"),
        ("Chi bộ Ban Tổ chức Huyện ủy", "district_office"),
        ("Chi bộ bản Nà Ngần", "residential"),
        ("Chi bộ khu phố 4", "residential"),
        ("Bệnh viện đa khoa huyện", "health"),
        ("Trạm Y tế xã Tân Lập", "health"),
        ("Phòng giao dịch Ngân hàng Chính sách", "enterprise"),
        ("Hợp tác xã nông nghiệp Hưng Lợi", "enterprise"),
        ("Công an huyện", "police_military"),
    ],
)
def test_unit_kind_lexicon(name: str, kind: str) -> None:
    found = match_kind(name)
    assert found is not None and found.id == kind


def test_unit_kind_falls_back_to_headers_then_parents() -> None:
    assert unit_kind(["Đảng bộ xã An Phú", "Nộp bài 2024"], ["Chi bộ thôn Đông", None]) == "residential"
    assert unit_kind(["Đảng bộ xã An Phú", "Nộp bài 2024"], [None]) == "commune"
    assert unit_kind(["abc"], []) == "other"
    assert infer_kind([None, "xyz"]).id == "other"


# ---------------------------------------------------------------------------------------------- quota


def test_quota_is_excellent_over_good_or_better_as_the_boards_compute_it() -> None:
    # seed 001: 847 excellent of 5,888 rated "tốt" or better = 14.39%; 13 of 67 = 19.4%; 54 of 274 = 19.71%
    for excellent, good_or_better, share in ((847, 5888, 0.1439), (13, 67, 0.194), (54, 274, 0.1971)):
        quota = Quota(Counter({EXCELLENT: excellent, GOOD: good_or_better - excellent, DONE: 4}))
        assert quota.good_or_better == good_or_better
        assert round(quota.share, 4) == pytest.approx(share, abs=5e-4)
        assert not quota.breached
    assert Quota(Counter({EXCELLENT: 3, GOOD: 9})).breached  # 25%
    assert not Quota(Counter({EXCELLENT: 2, GOOD: 8})).breached  # exactly 20%
    assert Quota(Counter({DONE: 3})).share is None


def _row(unit: str, band: str, overall: float, rating: str | None, role: str = "member", kind: str = "commune"):
    return {
        "unit": unit,
        "unit_kind": kind,
        "band": band,
        "role": role,
        "self_rating": rating,
        "stock_phrases": ["hoàn thành tốt nhiệm vụ"] if band == "weak" else [],
        **dict.fromkeys(("overall", "specificity", "candor", "accountability", "completeness"), overall),
    }


def test_unit_statistics_quota_flags_and_kind_ranking() -> None:
    rows = [
        *(_row("xa-a", "weak", 30, GOOD) for _ in range(4)),
        _row("xa-a", "weak", 35, EXCELLENT),
        _row("xa-a", "adequate", 60, EXCELLENT, role="collective"),
        *(_row("xa-b", "strong", 85, GOOD) for _ in range(4)),
        _row("xa-b", "adequate", 65, DONE),
        _row("truong-c", "strong", 90, EXCELLENT, kind="school"),
        _row("truong-c", "strong", 88, GOOD, kind="school"),
    ]
    errors = [{"unit": "xa-b", "status": "error"}, {"unit": "xa-b", "status": "skipped"}]
    stats = compute(rows, errors)
    units = {u.unit: u for u in stats.units}
    a, b, c = units["xa-a"], units["xa-b"], units["truong-c"]
    assert a.reports == 6 and a.bands["weak"] == 5
    assert a.individuals.share == pytest.approx(1 / 5) and not a.individuals.breached
    assert a.collectives.share == 1.0 and a.collectives.breached
    assert a.high_and_weak == 5 and a.flag_high_weak
    assert not b.flag_high_weak and b.errors == 1
    assert c.individuals.breached  # 1 of 2
    assert (a.kind_rank, b.kind_rank, a.kind_units) == (1, 2, 2)  # weakest first, among communes only
    assert c.kind_rank == 1 and c.kind_units == 1
    assert a.versus_kind == pytest.approx(a.means["overall"] - a.kind_mean)
    assert [u.unit for u in stats.units] == ["xa-a", "xa-b", "truong-c"]  # communes side by side
    assert stats.stock_phrases == [("hoàn thành tốt nhiệm vụ", 5)]
    assert stats.individuals.excellent == 2 and stats.collectives.excellent == 1


# ---------------------------------------------------------------------------------------------- copies


def test_jaccard() -> None:
    a = np.array([1, 2, 3, 4], dtype=np.uint32)
    b = np.array([3, 4, 5, 6], dtype=np.uint32)
    assert jaccard(a, b) == pytest.approx(2 / 6)
    assert jaccard(a, a) == 1.0


def _shingles(values) -> bytes:
    return np.unique(np.array(list(values), dtype=np.uint32)).tobytes()


def test_find_copies_ignores_boilerplate_and_verifies_candidates(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    store = Store(tmp_path / "s.sqlite")
    boilerplate = set(range(1, 200))  # shared by every report: the form's wording
    hashes = []
    for i in range(60):
        own = set(rng.integers(10_000, 2**32 - 1, size=120).tolist())
        store.put_analysis(f"{i:064x}", "c", True, {}, _shingles(boilerplate | own), 0.0, 1)
        hashes.append(f"{i:064x}")
        if i in (5, 9):  # a near copy of this report: 90% of its own shingles kept
            kept = set(list(own)[:108]) | set(rng.integers(10_000, 2**32 - 1, size=12).tolist())
            store.put_analysis(f"c{i:063x}", "c", True, {}, _shingles(boilerplate | kept), 0.0, 1)
            hashes.append(f"c{i:063x}")
    store.put_analysis("f" * 64, "c", True, {}, _shingles(boilerplate | {7, 8}), 0.0, 1)  # only boilerplate
    hashes.append("f" * 64)
    groups, stats = find_copies(store, "c", hashes)
    found = sorted(sorted(g.members) for g in groups)
    assert found == sorted([sorted([f"{i:064x}", f"c{i:063x}"]) for i in (5, 9)])
    for group in groups:
        assert all(0.75 < s <= 1.0 for s in group.similarities)
    assert stats.too_short == 1  # boilerplate removed, nothing left to compare
    assert stats.boilerplate_df == 5.0  # max(df_min, 5% of 63)
    assert stats.verified <= 4  # candidates are verified, not all pairs
    store.close()


# ---------------------------------------------------------------------------------------------- store


def test_store_round_trip_and_run_scoping(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    run = store.begin_run("cfg")
    store.put_analysis("a" * 64, "cfg", True, {"band": "weak"}, b"\x01\x00\x00\x00", 0.1, run)
    store.put_analysis("b" * 64, "cfg", False, {"code": "KD-E006"}, b"", 0.1, run)
    store.put_input("x/a.txt", ("x",), run, sha256="a" * 64, size=10)
    store.put_input("x/b.docx", ("x",), run, sha256="b" * 64, size=10)
    store.put_input("x/.DS_Store", ("x",), run, status="skipped", error={"code": "system"})
    store.finish_run(run)
    assert store.done("cfg") == {"a" * 64: True, "b" * 64: False}
    assert store.done("other-config") == {}
    later = store.begin_run("cfg")
    store.put_input("x/a.txt", ("x",), later, sha256="a" * 64, size=10)
    rows = list(store.run_inputs(later, "cfg"))
    assert [r["path"] for r in rows] == ["x/a.txt"] and rows[0]["row"] == {"band": "weak"}
    assert len(list(store.run_inputs(run, "cfg"))) == 2
    store.close()
    reopened = Store(tmp_path / "s.sqlite")
    assert [r["status"] for r in reopened.runs()] == ["done", "running"]
    reopened.close()
