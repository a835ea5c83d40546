"""The cross-report checks' inputs prepared by the batch workers and kept in the batch store (issue 13): they read
back as the identities and passages built from the analysis, the batch gives the same findings, sheets and files
with them and without them (an output folder of an earlier version, last year's batch without them), and a stale or
broken one is not used."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from nlp.batch import BatchOptions, run_batch
from nlp.batch import cross_reports as batch_cross
from nlp.batch.cross_inputs import prepare, read
from nlp.batch.outputs import WORKBOOK
from nlp.batch.runner import _assign_units, _collect
from nlp.batch.store import STORE_NAME, Store, read_prepared
from nlp.cross.identity import identify
from nlp.cross.passages import passages
from nlp.pipeline import analyze_file

TREE = Path(__file__).resolve().parents[1] / "cross" / "data" / "tree"
SHEETS = ("Đối chiếu tập thể – cá nhân", "Đối chiếu năm trước")
DEPUTY = "dong-lac/2025/pham-thi-thu.txt"


def _year(base: Path, year: str) -> Path:
    """The test tree with only ``year``'s folders."""
    tree = base / f"tree-{year}"
    shutil.copytree(TREE, tree)
    for folder in [p for p in tree.glob("*/*") if p.is_dir() and p.name != year]:
        shutil.rmtree(folder)
    return tree


@pytest.fixture(scope="module")
def batches(tmp_path_factory) -> dict[str, Path]:
    """Last year's batch and this year's with ``--previous``, both with the checks on."""
    base = tmp_path_factory.mktemp("prepared")
    old, new = _year(base, "2024"), _year(base, "2025")
    run_batch([old], base / "old-out", BatchOptions(jobs=1, cross=True))
    options = BatchOptions(jobs=1, cross=True, previous=base / "old-out")
    run_batch([new], base / "new-out", options)
    return {"base": base, "old": old, "new": new, "old-out": base / "old-out", "new-out": base / "new-out"}


def _outputs(out: Path) -> dict[str, object]:
    """What the checks decide and write: the per-report files, the CSV and JSONL files, the two sheets of the
    workbook."""
    files = {p.name: p.read_bytes() for p in sorted((out / "bao-cao").iterdir())}
    tables = {p.name: p.read_bytes() for p in sorted(out.glob("*.csv")) if p.name.startswith("doi-chieu")}
    lines = (out / "ket-qua.jsonl").read_text(encoding="utf-8")
    book = load_workbook(out / WORKBOOK, read_only=True)
    sheets = {name: [list(r) for r in book[name].iter_rows(values_only=True)] for name in SHEETS}
    return {"files": files, "tables": tables, "lines": lines, "sheets": sheets}


def _prepared_rows(out: Path) -> dict[str, bytes]:
    """The prepared inputs the batch store of ``out`` keeps, by content hash."""
    with sqlite3.connect(out / STORE_NAME) as db:
        return dict(db.execute("SELECT sha256, data FROM prepared"))


def _rewrite_prepared(out: Path, change) -> None:
    """Replace each prepared row of the store of ``out`` by ``change(data)`` (None: drop it)."""
    db = sqlite3.connect(out / STORE_NAME)
    with db:
        for sha256, data in list(db.execute("SELECT sha256, data FROM prepared")):
            changed = change(data)
            if changed is None:
                db.execute("DELETE FROM prepared WHERE sha256 = ?", (sha256,))
            else:
                db.execute("UPDATE prepared SET data = ? WHERE sha256 = ?", (changed, sha256))
    db.close()


def test_the_workers_prepare_every_report_and_the_store_keeps_them(batches) -> None:
    for out in (batches["old-out"], batches["new-out"]):
        store = Store(out / STORE_NAME)
        run = store.runs()[-1]
        results, _ = _collect(store, run["id"], run["config"])
        store.close()
        kept = _prepared_rows(out)
        assert results and {row["sha256"] for row in results} <= set(kept)
        assert not list((out / "bao-cao").glob("*.cross"))  # one row in the store, no file a report
        for row in results:
            assert read(kept[row["sha256"]], row["path"]) is not None


def test_prepared_inputs_read_back_as_built_from_the_analysis() -> None:
    for path in sorted(TREE.rglob("*.txt")):
        result = analyze_file(path)
        kept = prepare(result)
        name = path.relative_to(TREE).as_posix()
        for report in (name, f"{batch_cross.PREVIOUS_PREFIX}/{name}", path.name):  # year folder, prefix, top level
            found = read(kept, report)
            assert found is not None
            assert found[0] == identify(report, result)
            assert found[1]() == passages(report, result)


def test_same_outputs_with_and_without_prepared_inputs(batches) -> None:
    base = batches["base"]
    runs = {}
    for kind in ("prepared", "built"):
        old_out, new_out = base / f"{kind}-old-out", base / f"{kind}-new-out"
        shutil.rmtree(old_out, ignore_errors=True)
        shutil.rmtree(new_out, ignore_errors=True)
        shutil.copytree(batches["old-out"], old_out)
        shutil.copytree(batches["new-out"], new_out)
        if kind == "built":  # as an output folder of an earlier version (and last year's batch) would be
            for out in (old_out, new_out):
                _rewrite_prepared(out, lambda data: None)
        options = BatchOptions(jobs=1, cross=True, resume=True, previous=old_out)
        report = run_batch([batches["new"]], new_out, options)
        assert report.analysed == 0  # every analysis reused: the checks ran again from the kept analyses
        assert report.cross is not None and report.cross.findings
        runs[kind] = _outputs(new_out)
    assert not _prepared_rows(base / "built-old-out")  # last year's batch still has none
    assert _prepared_rows(base / "built-new-out") == {}  # nothing analysed again: none prepared
    assert runs["prepared"] == runs["built"]
    assert runs["prepared"]["sheets"] == _outputs(batches["new-out"])["sheets"]


def test_stale_or_broken_prepared_inputs_are_not_read(batches) -> None:
    whole = next(iter(_prepared_rows(batches["new-out"]).values()))
    head, rows = whole.split(b"\n")
    data = json.loads(head)
    kept = read(whole, "x/2025/a.txt")
    assert kept is not None and kept[1]()
    stale = json.dumps({**data, "version": "another"}).encode("utf-8") + b"\n" + rows
    assert read(stale, "x/2025/a.txt") is None
    assert read(whole[:100], "x/2025/a.txt") is None
    assert read(b"", "x/2025/a.txt") is None
    altered = json.dumps({**data, "identity": {"role": 3}}).encode("utf-8") + b"\n" + rows  # not an identity
    assert read(altered, "x/2025/a.txt") is None
    cut = head + b"\n" + rows[: len(rows) // 2]  # the identity whole, the passages cut short: built instead
    kept = read(cut, "x/2025/a.txt")
    assert kept is not None and kept[0].file == "x/2025/a.txt" and kept[1]() is None


def test_prepared_inputs_of_another_configuration_are_not_read(batches, tmp_path) -> None:
    """The store keeps them by content hash and analyser configuration: another configuration's are not read."""
    out = tmp_path / "out"
    shutil.copytree(batches["new-out"], out)
    store = Store(out / STORE_NAME)
    run = store.runs()[-1]
    kept = read_prepared(out / STORE_NAME, run["config"], sorted(_prepared_rows(out)))
    assert kept == _prepared_rows(out)
    assert read_prepared(out / STORE_NAME, "another", sorted(kept)) == {}
    assert read_prepared(tmp_path / "missing.sqlite", run["config"], sorted(kept)) == {}
    store.keep_only("another")  # a run with another configuration drops them with the analyses
    store.close()
    assert _prepared_rows(out) == {}


def test_a_report_whose_analysis_went_missing_is_left_out(batches, tmp_path) -> None:
    """Its prepared inputs are there but its JSON is not readable: the unit is checked without it, no error."""
    out = tmp_path / "out"
    shutil.copytree(batches["new-out"], out)
    store = Store(out / STORE_NAME)
    run = store.runs()[-1]
    results, errors = _collect(store, run["id"], run["config"])
    _assign_units(results, errors)
    deputy = next(r for r in results if r["path"] == DEPUTY)
    for target in (out / deputy["json"], batch_cross.plain_path(out / deputy["json"])):
        target.write_text("{", encoding="utf-8")
    summary = batch_cross.run_cross_checks(results, out, store, None, "vi", 3, ())
    store.close()
    assert summary.checked is not None and DEPUTY not in summary.checked.findings
    assert summary.findings  # the unit's other reports were checked


def test_passages_that_cannot_be_read_back_are_built_from_the_analysis(batches, tmp_path) -> None:
    """A prepared row whose identity reads but whose passages do not (cut short, or left out) gives the same outputs:
    the checks build the passages from the analysis when they first read the report."""
    out = tmp_path / "identities-only"
    shutil.copytree(batches["new-out"], out)
    _rewrite_prepared(out, lambda data: data.split(b"\n")[0] + b"\nnull")
    report = run_batch(
        [batches["new"]], out, BatchOptions(jobs=1, cross=True, resume=True, previous=batches["old-out"])
    )
    assert report.analysed == 0 and report.cross is not None and report.cross.findings
    assert report.cross.cpu_seconds > 0  # measured where it is spent (bench/bench_batch.py prints it)
    assert _outputs(out) == _outputs(batches["new-out"])


def test_prepared_files_of_an_earlier_version_are_not_read_and_go_with_fresh(batches, tmp_path) -> None:
    """An output folder of an earlier version keeps the prepared inputs as ``bao-cao/<hash>.cross`` files: a resumed
    run does not read them (the same outputs), and ``--fresh`` removes them with the rest of the earlier batch."""
    out = tmp_path / "earlier"
    shutil.copytree(batches["new-out"], out)
    _rewrite_prepared(out, lambda data: None)
    for path in (out / "bao-cao").glob("*.json"):
        path.with_suffix(".cross").write_bytes(b'{"version": "an earlier one"}\n[]')
    options = BatchOptions(jobs=1, cross=True, resume=True, previous=batches["old-out"])
    report = run_batch([batches["new"]], out, options)
    assert report.analysed == 0 and report.cross is not None and report.cross.findings
    outputs = _outputs(out)
    outputs["files"] = {name: data for name, data in outputs["files"].items() if not name.endswith(".cross")}
    assert outputs == _outputs(batches["new-out"])
    run_batch([batches["new"]], out, BatchOptions(jobs=1, cross=True, fresh=True, previous=batches["old-out"]))
    assert not list((out / "bao-cao").glob("*.cross"))
    assert _outputs(out) == _outputs(batches["new-out"])


def test_a_fresh_analysis_drops_an_earlier_prepared_row_and_a_store_without_any_deletes_nothing(tmp_path) -> None:
    """``Store.put_prepared(…, None)`` drops the row an earlier analysis left (it would not match the new one); a store
    that never kept a prepared row is not asked to delete one for every analysis of a run without the checks."""
    kept = Store(tmp_path / "kept.sqlite")
    kept.put_prepared("a" * 64, "cfg", b"{}\n[]")
    kept.commit()
    kept.close()
    again = Store(tmp_path / "kept.sqlite")
    again.put_prepared("a" * 64, "cfg", None)  # analysed afresh without the checks
    again.commit()
    assert read_prepared(tmp_path / "kept.sqlite", "cfg", ["a" * 64]) == {}
    again.close()
    empty = Store(tmp_path / "empty.sqlite")
    statements: list[str] = []
    empty.db.set_trace_callback(statements.append)
    for name in "bc":
        empty.put_prepared(name * 64, "cfg", None)
    assert not [s for s in statements if s.startswith("DELETE")]
    empty.put_prepared("d" * 64, "cfg", b"{}\n[]")  # a row now: a later fresh analysis drops its own
    empty.put_prepared("d" * 64, "cfg", None)
    assert [s for s in statements if s.startswith("DELETE")]
    empty.close()
