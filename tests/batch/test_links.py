"""Symbolic links never pull a file from outside the input folder into a batch (issue 12).

One tree holds every kind of link: to a file and to a folder, outside and inside the input folder, a chain,
a loop, a link whose path *looks* inside but resolves outside, a sibling folder sharing the root's name as a
prefix, and links stored in a .zip. The outside files carry a unique marker; it must appear nowhere in what
the batch writes (every file under the output folder, the workbook's parts and the SQLite store included).
"""

from __future__ import annotations

import csv
import os
import stat
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlp.batch import BatchOptions, run_batch
from nlp.batch.config import t
from nlp.batch.discover import Reader, discover
from nlp.batch.outputs import ERRORS_CSV, TABLE_CSV
from nlp.cli import app
from nlp.errors import FileNotFoundInputError

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX symbolic links")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MARKER = "NGOAI-THU-MUC-7f3a9c1e"  # only in files outside the input folder


@dataclass
class Tree:
    base: Path
    root: Path
    out: Path


def _report(name: str, extra: str = "") -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8") + extra


def _zip_link(archive: zipfile.ZipFile, name: str, target: str) -> None:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive.writestr(info, target)


def build(base: Path) -> Path:
    """The input folder ``base/vao`` with links of every kind, and the marked files outside it."""
    outside = base / "ngoai"
    (outside / "sau").mkdir(parents=True)
    secret = _report("02a-ngan-hang-yeu.txt", f"\nGhi chú {MARKER} số 1.\n")
    (outside / "bi-mat.txt").write_text(secret, encoding="utf-8")
    (outside / "sau" / "khac.txt").write_text(secret.replace("số 1", "số 2"), encoding="utf-8")
    sibling = base / "vao-khac"  # shares the root's name as a prefix: /base/vao-khac is not in /base/vao
    sibling.mkdir()
    (sibling / "tep.txt").write_text(secret.replace("số 1", "số 3"), encoding="utf-8")

    root = base / "vao"
    unit = root / "chi-bo-a"
    unit.mkdir(parents=True)
    (unit / "bao-cao-1.txt").write_text(_report("02a-benh-vien-dieu-duong-tot.txt"), encoding="utf-8")
    (unit / "bao-cao-2.txt").write_text(_report("01-chi-bo-truong-thcs-tot.txt"), encoding="utf-8")
    hidden = root / ".an"
    hidden.mkdir()
    (hidden / "bao-cao-an.txt").write_text(_report("02b-chu-tich-xa-tot.txt"), encoding="utf-8")

    links = {
        # file links that lead outside
        "chi-bo-a/ra-ngoai.txt": "../../ngoai/bi-mat.txt",
        "tuyet-doi.txt": str(outside / "bi-mat.txt"),
        "chuoi.txt": "chi-bo-a/ra-ngoai.txt",  # a chain: inside link → link → outside
        "tien-to.txt": "../vao-khac/tep.txt",
        "gia-ben-trong.txt": "sau/../bi-mat.txt",  # reads as vao/bi-mat.txt, but `sau` leads outside
        "sau": "../ngoai/sau",  # (a folder link outside, used by the line above)
        # folder links
        "thu-muc-ngoai": "../ngoai",
        "ban-sao-chi-bo": "chi-bo-a",  # inside: not followed, its files are counted once
        "tro-ve": ".",  # a loop through a folder
        # file links inside the input folder
        "lien-ket-trong.txt": "chi-bo-a/bao-cao-1.txt",  # the same file again: counted once
        "lien-ket-an.txt": ".an/bao-cao-an.txt",  # a file the walk does not reach: read as the file itself
        "mat-dich.txt": "chi-bo-a/da-xoa.txt",  # dangling, inside: an unreadable file
        # loops
        "vong-1.txt": "vong-2.txt",
        "vong-2.txt": "vong-1.txt",
    }
    for name, target in links.items():
        os.symlink(target, root / name)

    with zipfile.ZipFile(root / "nop-bo-sung.zip", "w") as archive:
        archive.writestr("bao-cao-3.txt", _report("02a-cong-an-khong-dau-vua.txt"))
        _zip_link(archive, "lien-ket-tuong-doi.txt", "../../ngoai/bi-mat.txt")
        _zip_link(archive, "lien-ket-tuyet-doi.txt", str(outside / "bi-mat.txt"))
        _zip_link(archive, "lien-ket-noi-bo.txt", "bao-cao-3.txt")
    return root


EXPECTED_SKIPS = {
    "chi-bo-a/ra-ngoai.txt": "symlink_outside",
    "tuyet-doi.txt": "symlink_outside",
    "chuoi.txt": "symlink_outside",
    "tien-to.txt": "symlink_outside",
    "gia-ben-trong.txt": "symlink_outside",
    "sau/": "symlink_outside",
    "thu-muc-ngoai/": "symlink_outside",
    "ban-sao-chi-bo/": "symlink_dir",
    "tro-ve/": "symlink_dir",
    "lien-ket-trong.txt": "symlink_duplicate",
    "vong-1.txt": "symlink_loop",
    "vong-2.txt": "symlink_loop",
    "nop-bo-sung.zip/lien-ket-tuong-doi.txt": "symlink_member",
    "nop-bo-sung.zip/lien-ket-tuyet-doi.txt": "symlink_member",
    "nop-bo-sung.zip/lien-ket-noi-bo.txt": "symlink_member",
    ".an/": "hidden_dir",
}
EXPECTED_RESULTS = {
    "chi-bo-a/bao-cao-1.txt",
    "chi-bo-a/bao-cao-2.txt",
    "lien-ket-an.txt",
    "nop-bo-sung.zip/bao-cao-3.txt",
}


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Tree:
    base = tmp_path_factory.mktemp("links")
    root = build(base)
    out = base / "ket-qua"
    result = CliRunner().invoke(app, ["batch", str(root), "-o", str(out), "-j", "1", "--timeout-per-file", "0", "-q"])
    assert result.exit_code == 0, result.output
    assert MARKER not in result.output
    return Tree(base, root, out)


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))


def _marker_in(out: Path, marker: str) -> list[str]:
    """The files under ``out`` (and the parts of every workbook) that contain ``marker``."""
    needle = marker.encode("utf-8")
    found = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if needle in data:
            found.append(str(path.relative_to(out)))
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as workbook:
                found += [f"{path.name}:{n}" for n in workbook.namelist() if needle in workbook.read(n)]
    return found


def test_every_link_gets_its_documented_row(tree: Tree) -> None:
    errors = {row[t("columns.path")]: row for row in _rows(tree.out / ERRORS_CSV)}
    for path, code in EXPECTED_SKIPS.items():
        assert path in errors, path
        row = errors[path]
        assert row[t("columns.status")] == t("status.skipped"), path
        detail = {"symlink_duplicate": "chi-bo-a/bao-cao-1.txt", "hidden_dir": "1"}.get(code, "0")
        assert row[t("columns.reason")] == t(f"reasons.{code}", detail=detail), path
    assert errors["tuyet-doi.txt"][t("columns.reason")] == "Bỏ qua: liên kết trỏ ra ngoài thư mục đầu vào."
    ranked = {row[t("columns.path")] for row in _rows(tree.out / TABLE_CSV)}
    assert ranked == EXPECTED_RESULTS
    dangling = errors.pop("mat-dich.txt")
    assert (dangling[t("columns.status")], dangling[t("columns.code")]) == (t("status.error"), "KD-E001")
    assert set(errors) == set(EXPECTED_SKIPS)  # one row per entry, nothing else


def test_no_outside_content_anywhere_in_the_outputs(tree: Tree) -> None:
    assert (tree.out / "ket-qua.xlsx").is_file() and (tree.out / "kiemdiem-batch.sqlite").is_file()
    assert _marker_in(tree.out, MARKER) == []


def test_the_marker_check_does_see_report_text(tmp_path) -> None:
    """Control: the same marked file placed inside the input folder does show up in the outputs."""
    root = tmp_path / "vao"
    root.mkdir()
    (root / "bi-mat.txt").write_text(_report("02a-ngan-hang-yeu.txt", f"\nGhi chú {MARKER} số 1.\n"), encoding="utf-8")
    run_batch([root], tmp_path / "out", BatchOptions(jobs=1, timeout_s=0))
    found = _marker_in(tmp_path / "out", MARKER)
    assert "ket-qua.jsonl" in found and any(f.startswith("bao-cao/") for f in found)


def test_english_reasons(tmp_path) -> None:
    root = build(tmp_path)
    out = tmp_path / "out"
    run_batch([root], out, BatchOptions(jobs=1, timeout_s=0, lang="en"))
    errors = {row["File"]: row for row in _rows(out / ERRORS_CSV)}
    assert errors["tuyet-doi.txt"]["Reason"] == "Skipped: link outside the input folder."
    assert errors["nop-bo-sung.zip/lien-ket-tuong-doi.txt"]["Reason"].startswith("Skipped: link stored")
    assert _marker_in(out, MARKER) == []


def test_a_linked_input_folder_and_a_linked_input_file_are_read(tmp_path) -> None:
    """What the user names on the command line is read even when it is itself a link."""
    root = build(tmp_path)
    os.symlink(root, tmp_path / "lien-ket-goc")
    os.symlink(root / "chi-bo-a" / "bao-cao-1.txt", tmp_path / "mot-tep.txt")
    items = {i.path: i for i in discover([tmp_path / "lien-ket-goc"])}
    assert {p for p, i in items.items() if i.skip is None and i.error is None} == EXPECTED_RESULTS
    assert items["tuyet-doi.txt"].skip == "symlink_outside"
    (single,) = discover([tmp_path / "mot-tep.txt"])
    assert single.skip is None
    assert Reader(1 << 20).read(single) == (root / "chi-bo-a" / "bao-cao-1.txt").read_bytes()


def test_a_file_swapped_for_a_link_after_the_walk_is_not_read(tmp_path) -> None:
    root = build(tmp_path)
    items = {i.path: i for i in discover([root])}
    target = root / "chi-bo-a" / "bao-cao-2.txt"
    target.unlink()
    os.symlink(tmp_path / "ngoai" / "bi-mat.txt", target)
    with pytest.raises(FileNotFoundInputError):
        Reader(1 << 20).read(items["chi-bo-a/bao-cao-2.txt"])
    folder = root / "chi-bo-a"  # a folder swapped for a link to a folder holding a file of the same name
    folder.rename(tmp_path / "cu")
    (tmp_path / "gia").mkdir()
    (tmp_path / "gia" / "bao-cao-1.txt").write_text(MARKER, encoding="utf-8")
    os.symlink(tmp_path / "gia", folder)
    with pytest.raises(FileNotFoundInputError):
        Reader(1 << 20).read(items["chi-bo-a/bao-cao-1.txt"])


def test_analyze_of_a_single_linked_file_is_unchanged(tmp_path) -> None:
    os.symlink(EXAMPLES / "02a-ngan-hang-yeu.txt", tmp_path / "bao-cao.txt")
    result = CliRunner().invoke(app, ["analyze", str(tmp_path / "bao-cao.txt"), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"band"' in result.output
