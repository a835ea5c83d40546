"""The cross-report checks in a batch (issue 13): findings in the per-report outputs with evidence that points at
the other report's sentence, the two sheets and CSV files, ``--previous`` with an earlier batch's output, the
unlinked reports in the summary, ``--resume`` and the Dask engine."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from nlp.batch import BatchOptions, run_batch
from nlp.batch.cross_reports import COLLECTIVE_CSV, PREVIOUS_CSV, PreviousFolderError, plain_path
from nlp.batch.outputs import RESULTS_JSONL, SUMMARY_HTML, WORKBOOK

TREE = Path(__file__).resolve().parents[1] / "cross" / "data" / "tree"
COLLECTIVE_SHEET, PREVIOUS_SHEET = "Đối chiếu tập thể – cá nhân", "Đối chiếu năm trước"
LEADER, DEPUTY = "dong-lac/2025/hoang-van-quy.txt", "dong-lac/2025/pham-thi-thu.txt"


def _copy(tmp_path: Path, keep_years: set[str] | None = None) -> Path:
    """The linked tree copied into ``tmp_path`` (only the year folders in ``keep_years``, when given)."""
    tree = tmp_path / "tree"
    shutil.copytree(TREE, tree)
    if keep_years is not None:
        for year_dir in [p for p in tree.glob("*/*") if p.is_dir() and p.name not in keep_years]:
            shutil.rmtree(year_dir)
    return tree


def _lines(out: Path) -> dict[str, dict]:
    """The jsonl lines by path."""
    lines = (out / RESULTS_JSONL).read_text(encoding="utf-8").splitlines()
    return {line["path"]: line for line in map(json.loads, lines)}


def _cross(line: dict) -> list[dict]:
    return [f for f in line["result"]["findings"] if f["category"] == "cross_report"]


def _shape(out: Path) -> dict[str, list[tuple[str, str, int, int]]]:
    """Every cross finding of the batch: path → (rule, evidence file, evidence offsets), in order."""
    return {
        path: [(f["rule"], f["evidence"]["file"], f["evidence"]["start"], f["evidence"]["end"]) for f in _cross(line)]
        for path, line in sorted(_lines(out).items())
    }


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    """The linked tree (both years) analysed once in a batch."""
    base = tmp_path_factory.mktemp("cross")
    run_batch([_copy(base)], base / "out", BatchOptions(jobs=1, cross=True))
    return base / "out"


def test_findings_in_the_outputs_quote_the_collective_report(batch) -> None:
    lines = _lines(batch)
    leader, deputy = _cross(lines[LEADER]), _cross(lines[DEPUTY])
    assert {f["rule"] for f in deputy} == {"cross.contradicts_collective"}
    assert "cross.collective_fault_not_owned" in {f["rule"] for f in leader}
    assert lines[DEPUTY]["result"]["accountability"]["status"] == "missing"
    for finding in [*leader, *deputy]:
        evidence = finding["evidence"]
        other = lines[evidence["file"]]["result"]["text"]
        assert other[evidence["start"] : evidence["end"]] == evidence["quote"]
        assert finding["message"] and finding["suggestion"]
    # the per-report JSON and page carry them too; the analysis as the worker wrote it is kept beside them
    document = json.loads((batch / _row_json(batch, DEPUTY)).read_text(encoding="utf-8"))
    assert {f["rule"] for f in document["findings"] if f["category"] == "cross_report"} == {
        "cross.contradicts_collective"
    }
    plain = json.loads(plain_path(batch / _row_json(batch, DEPUTY)).read_text(encoding="utf-8"))
    assert not [f for f in plain["findings"] if f["category"] == "cross_report"]
    page = (batch / _row_json(batch, DEPUTY).replace(".json", ".html")).read_text(encoding="utf-8")
    assert 'class="cross-ev"' in page and "dong-lac/2025/tap-the.txt" in page
    # a report without cross findings is left as it was analysed
    assert not _cross(lines["dong-lac/2025/dinh-van-loc.txt"])
    assert not plain_path(batch / _row_json(batch, "dong-lac/2025/dinh-van-loc.txt")).exists()


def _row_json(out: Path, path: str) -> str:
    """The per-report JSON of ``path`` (relative to the output folder)."""
    return f"bao-cao/{_lines(out)[path]['sha256'][:16]}.json"


def test_the_two_sheets_and_csv_files(batch) -> None:
    workbook = load_workbook(batch / WORKBOOK, read_only=True)
    assert {COLLECTIVE_SHEET, PREVIOUS_SHEET} <= set(workbook.sheetnames)
    collective = [list(r) for r in workbook[COLLECTIVE_SHEET].iter_rows(values_only=True)]
    previous = [list(r) for r in workbook[PREVIOUS_SHEET].iter_rows(values_only=True)]
    assert collective[0][:2] == ["Đơn vị", "Hạn chế của tập thể"]
    verdicts = {(row[6], row[7], row[10]) for row in collective[1:]}
    assert (DEPUTY, "Phủ nhận", "cross.contradicts_collective") in verdicts
    assert {row[6] for row in collective[1:]} <= {LEADER, DEPUTY, "dong-lac/2025/dinh-van-loc.txt"}
    assert len(previous) > 1 and {row[4] for row in previous[1:]} == {LEADER}
    with (batch / COLLECTIVE_CSV).open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert [row[:9] for row in rows] == [["" if v is None else str(v) for v in row[:9]] for row in collective]
    with (batch / PREVIOUS_CSV).open(encoding="utf-8-sig") as handle:
        assert len(list(csv.reader(handle))) == len(previous)


def test_unlinked_reports_are_listed_not_errors(batch) -> None:
    page = (batch / SUMMARY_HTML).read_text(encoding="utf-8")
    assert "Không đối chiếu được" in page
    assert "xom-moi/2025/vu-thi-hoa.txt" in page and "Đơn vị không có báo cáo kiểm điểm tập thể" in page
    assert "dong-lac/2024/le-van-tuan.txt" in page and "Chỉ có báo cáo của một năm" in page
    assert COLLECTIVE_CSV in page and PREVIOUS_CSV in page
    assert "vu-thi-hoa" not in (batch / "tep-loi.csv").read_text(encoding="utf-8-sig")
    assert not _cross(_lines(batch)["xom-moi/2025/vu-thi-hoa.txt"])


def test_resume_gives_the_same_findings_and_a_changed_unit_is_checked_again(tmp_path) -> None:
    tree = _copy(tmp_path)
    collective = tree / "dong-lac" / "2025" / "tap-the.txt"
    text = collective.read_bytes()
    collective.unlink()
    out = tmp_path / "out"
    run_batch([tree], out, BatchOptions(jobs=1, cross=True))
    assert not any(rule.startswith("cross.co") for found in _shape(out).values() for rule, *_ in found)

    collective.write_bytes(text)  # the unit's collective report arrives: its members are checked against it
    run_batch([tree], out, BatchOptions(jobs=1, resume=True, cross=True))
    first = _shape(out)
    assert {rule for rule, *_ in first[DEPUTY]} == {"cross.contradicts_collective"}

    again = run_batch([tree], out, BatchOptions(jobs=1, resume=True, cross=True))
    assert again.analysed == 0 and again.cross is not None and again.cross.driver_embedded == 0
    assert _shape(out) == first


def test_previous_batch_output_gives_last_years_reports(tmp_path) -> None:
    last_year = run_batch([_copy(tmp_path / "a", {"2024"})], tmp_path / "out-2024", BatchOptions(jobs=1, cross=True))
    assert last_year.cross is not None and not last_year.cross.findings
    this_year = _copy(tmp_path / "b", {"2025"})
    report = run_batch(
        [this_year], tmp_path / "out-2025", BatchOptions(jobs=1, cross=True, previous=tmp_path / "out-2024")
    )
    assert report.cross is not None
    lines = _lines(tmp_path / "out-2025")
    repeated = [f for f in _cross(lines[LEADER]) if f["rule"] == "cross.repeated_from_last_year"]
    assert repeated
    old = _lines(tmp_path / "out-2024")
    for finding in repeated:
        evidence = finding["evidence"]
        assert evidence["file"] == "nam-truoc/dong-lac/2024/hoang-van-quy.txt" and evidence["year"] == 2024
        text = old[evidence["file"].removeprefix("nam-truoc/")]["result"]["text"]
        assert text[evidence["start"] : evidence["end"]] == evidence["quote"]
    workbook = load_workbook(tmp_path / "out-2025" / WORKBOOK, read_only=True)
    previous = list(workbook[PREVIOUS_SHEET].iter_rows(values_only=True))[1:]
    assert {row[2] for row in previous} == {"nam-truoc/dong-lac/2024/hoang-van-quy.txt"}
    page = (tmp_path / "out-2025" / SUMMARY_HTML).read_text(encoding="utf-8")
    assert "nam-truoc/dong-lac/2024/le-van-tuan.txt" in page  # found in last year only: listed, not an error


def test_an_unusable_previous_folder_stops_before_anything_is_analysed(tmp_path) -> None:
    tree = _copy(tmp_path, {"2025"})
    inputs = tmp_path / "inputs-not-outputs"
    inputs.mkdir()
    for previous, reason in ((tmp_path / "none", "not_folder"), (tree, "no_store"), (inputs, "no_store")):
        with pytest.raises(PreviousFolderError) as refused:
            run_batch([tree], tmp_path / "out", BatchOptions(jobs=1, cross=True, previous=previous))
        assert refused.value.reason == reason
        assert not (tmp_path / "out").exists()


def test_cli_refuses_an_unusable_previous_folder_with_exit_code_2(tmp_path) -> None:
    from typer.testing import CliRunner

    from nlp.cli import app

    tree = _copy(tmp_path, {"2025"})
    out = tmp_path / "out"
    refused = CliRunner().invoke(app, ["batch", str(tree), "-o", str(out), "-q", "--previous", str(tree)])
    assert refused.exit_code == 2 and "--previous" in refused.output and "kiemdiem-batch.sqlite" in refused.output
    assert not out.exists()


def test_cross_checks_can_be_turned_off(tmp_path) -> None:
    out = tmp_path / "out"
    report = run_batch([_copy(tmp_path)], out, BatchOptions(jobs=1, cross=False))
    assert report.cross is None
    assert not any(_shape(out).values())
    assert not (out / COLLECTIVE_CSV).exists()
    assert COLLECTIVE_SHEET not in load_workbook(out / WORKBOOK, read_only=True).sheetnames


def test_dask_gives_the_same_rows(batch, tmp_path) -> None:
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as local,
        distributed.Client(local) as client,
    ):
        run_batch([_copy(tmp_path)], tmp_path / "dask", BatchOptions(engine="dask", scheduler=client, cross=True))
    for name in (COLLECTIVE_CSV, PREVIOUS_CSV):
        assert (tmp_path / "dask" / name).read_bytes() == (batch / name).read_bytes()
    assert _shape(tmp_path / "dask") == _shape(batch)


def test_cross_checks_are_opt_in(tmp_path) -> None:
    """Off by default (they cost far more than the analyses until the encoder is cheaper), on with --cross-check."""
    from typer.testing import CliRunner

    from nlp.cli import app

    assert BatchOptions().cross is False
    tree = _copy(tmp_path, {"2025"})
    plain = CliRunner().invoke(app, ["batch", str(tree), "-o", str(tmp_path / "plain"), "-q", "-j", "1"])
    assert plain.exit_code == 0, plain.output
    assert not (tmp_path / "plain" / COLLECTIVE_CSV).exists()
    checked = CliRunner().invoke(
        app, ["batch", str(tree), "-o", str(tmp_path / "on"), "-q", "-j", "1", "--cross-check"]
    )
    assert checked.exit_code == 0, checked.output
    assert (tmp_path / "on" / COLLECTIVE_CSV).exists()
