"""Last year's reports in this year's batch (a unit folder with an earlier and a later year folder) are read by the
checks only for their shortcomings: the workers prepare only that part of them, and the checks give the same
findings, sheets and files as with every passage prepared. A report prepared in part and read as this year's (the
same content filed in both years) has its passages built from its analysis."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from openpyxl import load_workbook

from nlp.batch import BatchOptions, run_batch, runner
from nlp.batch.cross_inputs import prepare, read
from nlp.batch.outputs import WORKBOOK
from nlp.batch.worker import Task
from nlp.cross import cross_check
from nlp.cross.passages import passages
from nlp.cross.records import AnalysedReport, PreparedReport
from nlp.cross.responsibility import SHORTCOMING_PARTS, shortcomings
from nlp.pipeline import analyze_file

TREE = Path(__file__).resolve().parents[1] / "cross" / "data" / "tree"
SHEETS = ("Đối chiếu tập thể – cá nhân", "Đối chiếu năm trước")


def test_last_years_report_is_prepared_for_its_shortcomings_only() -> None:
    for path in sorted((TREE / "dong-lac" / "2024").glob("*.txt")):
        result = analyze_file(path)
        whole, part = read(prepare(result), "x/2024/a.txt"), read(prepare(result, earlier=True), "x/2024/a.txt")
        assert whole is not None and part is not None
        assert whole[0] == part[0] and whole[2] is None and part[2] == SHORTCOMING_PARTS
        every, some = whole[1](), part[1]()
        assert {p.section for p in some} == {"shortcomings"} and len(some) < len(every)
        assert shortcomings(some) == shortcomings(every) and shortcomings(some)


def _outputs(out: Path) -> dict[str, object]:
    files = {p.name: p.read_bytes() for p in sorted((out / "bao-cao").iterdir())}
    tables = {p.name: p.read_bytes() for p in sorted(out.glob("doi-chieu*.csv"))}
    book = load_workbook(out / WORKBOOK, read_only=True)
    sheets = {name: [list(r) for r in book[name].iter_rows(values_only=True)] for name in SHEETS}
    return {"files": files, "tables": tables, "sheets": sheets}


def test_the_batch_gives_the_same_with_last_year_prepared_in_part(tmp_path, monkeypatch) -> None:
    submitted: list[tuple[str, bool]] = []
    every = {}
    for earlier in (True, False):

        def task(earlier_allowed=earlier, **fields) -> Task:
            made = Task(**{**fields, "earlier": fields["earlier"] and earlier_allowed})
            submitted.append((made.name, made.earlier))
            return made

        monkeypatch.setattr(runner, "Task", task)
        out = tmp_path / f"out-{earlier}"
        report = run_batch([TREE], out, BatchOptions(jobs=1, cross=True))
        assert report.cross is not None and report.cross.findings
        assert sorted(p.name for p in out.glob("kiemdiem-batch.sqlite*")) == ["kiemdiem-batch.sqlite"]  # no log left
        every[earlier] = _outputs(out)
    flagged = Counter(submitted[: len(submitted) // 2])
    expected = [(path.name, "dong-lac/2024/" in path.as_posix()) for path in TREE.rglob("*.txt")]
    assert flagged == Counter(expected)  # dong-lac has 2025: its 2024 reports are last year's
    assert every[True] == every[False]
    assert any(row[0] for row in every[True]["sheets"]["Đối chiếu năm trước"][1:])  # last year's check has rows


def test_a_report_prepared_in_part_read_as_this_years_is_built_whole() -> None:
    paths = sorted((TREE / "dong-lac" / "2025").glob("*.txt"))
    results = {f"dong-lac/2025/{p.name}": analyze_file(p) for p in paths}
    analysed = [AnalysedReport(name, result) for name, result in results.items()]
    prepared = []
    for name, result in results.items():
        identity, reader, sections = read(prepare(result, earlier=True), name)  # as if filed last year too
        assert sections == SHORTCOMING_PARTS and len(reader()) < len(passages(name, result))
        prepared.append(PreparedReport(name, identity, reader, lambda result=result: result, sections))
    expected, found = cross_check(analysed), cross_check(prepared)
    assert found.collective_rows == expected.collective_rows and found.collective_rows
    assert found.findings == expected.findings


def test_the_store_reader_is_kept_open_and_follows_a_replaced_store(tmp_path) -> None:
    from nlp.batch import store as store_module
    from nlp.batch.store import Store, read_by_keys

    def make(folder: Path, value: bytes) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / store_module.STORE_NAME
        store = Store(path)
        store.db.execute("CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v BLOB)")
        store.db.execute("INSERT OR REPLACE INTO kv VALUES ('a', ?)", (value,))
        store.commit()
        store.close()
        return path

    select = "SELECT k, v FROM kv WHERE k IN"
    path = make(tmp_path / "out", b"first")
    assert read_by_keys(path, select, ["a"]) == {"a": b"first"}
    assert read_by_keys(path, select, ["a"]) == {"a": b"first"}  # the same connection, read again
    kept = [db for key, db in store_module._readers.kept.items() if key[0] == str(path.resolve())]
    (tmp_path / "out" / store_module.STORE_NAME).unlink()
    make(tmp_path / "out", b"second")  # a new batch into the same folder
    assert read_by_keys(path, select, ["a"]) == {"a": b"second"}
    assert len(store_module._readers.kept) <= store_module.READERS_KEPT
    now = [db for key, db in store_module._readers.kept.items() if key[0] == str(path.resolve())]
    assert len(kept) == 1 and len(now) == 1 and now[0] is not kept[0]  # the replaced store's connection let go
    assert read_by_keys(tmp_path / "missing" / store_module.STORE_NAME, select, ["a"]) == {}
