"""The cross-report checks' inputs prepared by the batch workers (``bao-cao/<hash>.cross``, issue 13): they read
back as the identities and passages built from the analysis, the batch gives the same findings, sheets and files
with them and without them (an output folder of an earlier version, last year's batch without them), and a stale or
broken one is not used."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from nlp.batch import BatchOptions, run_batch
from nlp.batch import cross_reports as batch_cross
from nlp.batch.cross_inputs import SUFFIX, prepare, read, sidecar_path
from nlp.batch.outputs import WORKBOOK
from nlp.batch.runner import _assign_units, _collect
from nlp.batch.store import STORE_NAME, Store
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
    """What the checks decide and write: the per-report files (prepared inputs left out), the CSV and JSONL files,
    the two sheets of the workbook."""
    files = {p.name: p.read_bytes() for p in sorted((out / "bao-cao").iterdir()) if p.suffix != SUFFIX}
    tables = {p.name: p.read_bytes() for p in sorted(out.glob("*.csv")) if p.name.startswith("doi-chieu")}
    lines = (out / "ket-qua.jsonl").read_text(encoding="utf-8")
    book = load_workbook(out / WORKBOOK, read_only=True)
    sheets = {name: [list(r) for r in book[name].iter_rows(values_only=True)] for name in SHEETS}
    return {"files": files, "tables": tables, "lines": lines, "sheets": sheets}


def test_the_workers_prepare_every_report(batches) -> None:
    for out in (batches["old-out"], batches["new-out"]):
        reports = sorted((out / "bao-cao").glob("*.json"))
        assert reports
        assert all(sidecar_path(p).is_file() for p in reports)


def test_prepared_inputs_read_back_as_built_from_the_analysis(tmp_path) -> None:
    kept = sidecar_path(tmp_path / "report.json")
    assert kept.name == f"report{SUFFIX}"
    for path in sorted(TREE.rglob("*.txt")):
        result = analyze_file(path)
        kept.write_bytes(prepare(result))
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
            for path in [*old_out.rglob(f"*{SUFFIX}"), *new_out.rglob(f"*{SUFFIX}")]:
                path.unlink()
        options = BatchOptions(jobs=1, cross=True, resume=True, previous=old_out)
        report = run_batch([batches["new"]], new_out, options)
        assert report.analysed == 0  # every analysis reused: the checks ran again from the kept analyses
        assert report.cross is not None and report.cross.findings
        runs[kind] = _outputs(new_out)
    assert not list((base / "built-new-out").rglob(f"*{SUFFIX}"))
    assert runs["prepared"] == runs["built"]
    assert runs["prepared"]["sheets"] == _outputs(batches["new-out"])["sheets"]


def test_stale_or_broken_prepared_inputs_are_not_read(batches, tmp_path) -> None:
    path = next((batches["new-out"] / "bao-cao").glob(f"*{SUFFIX}"))
    head, rows = path.read_bytes().split(b"\n")
    data = json.loads(head)
    kept = read(path, "x/2025/a.txt")
    assert kept is not None and kept[1]()
    stale = tmp_path / f"stale{SUFFIX}"
    stale.write_bytes(json.dumps({**data, "version": "another"}).encode("utf-8") + b"\n" + rows)
    assert read(stale, "x/2025/a.txt") is None
    broken = tmp_path / f"broken{SUFFIX}"
    broken.write_bytes(path.read_bytes()[:100])
    assert read(broken, "x/2025/a.txt") is None
    assert read(tmp_path / f"missing{SUFFIX}", "x/2025/a.txt") is None
    altered = tmp_path / f"altered{SUFFIX}"  # the right fingerprint over an identity that is not one
    altered.write_bytes(json.dumps({**data, "identity": {"role": 3}}).encode("utf-8") + b"\n" + rows)
    assert read(altered, "x/2025/a.txt") is None
    cut = tmp_path / f"cut{SUFFIX}"  # the identity whole, the passages cut short: read from the analysis instead
    cut.write_bytes(head + b"\n" + rows[: len(rows) // 2])
    kept = read(cut, "x/2025/a.txt")
    assert kept is not None and kept[0].file == "x/2025/a.txt" and kept[1]() is None


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
    """A prepared file whose identity reads but whose passages do not (cut short, or left out) gives the same outputs:
    the checks build the passages from the analysis when they first read the report."""
    out = tmp_path / "identities-only"
    shutil.copytree(batches["new-out"], out)
    for path in out.rglob(f"*{SUFFIX}"):
        path.write_bytes(path.read_bytes().split(b"\n")[0] + b"\nnull")
    report = run_batch(
        [batches["new"]], out, BatchOptions(jobs=1, cross=True, resume=True, previous=batches["old-out"])
    )
    assert report.analysed == 0 and report.cross is not None and report.cross.findings
    assert report.cross.cpu_seconds > 0  # measured where it is spent (bench/bench_batch.py prints it)
    assert _outputs(out) == _outputs(batches["new-out"])
