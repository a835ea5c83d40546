"""Last year's reports in this year's batch (a unit folder with an earlier and a later year folder) get no cross
findings, so the workers render their pages themselves instead of leaving those of writers with a post to the
checks (which would load the analyses again only to render them); the pages are the same either way."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from nlp.batch import BatchOptions, run_batch, runner
from nlp.batch.cross_inputs import earlier_years
from nlp.batch.worker import Task, analyse
from nlp.render import render_html
from nlp.schema import AnalysisResult

TREE = Path(__file__).resolve().parents[1] / "cross" / "data" / "tree"
LAST_YEAR_SECRETARY = TREE / "dong-lac" / "2024" / "hoang-van-quy.txt"  # Bí thư chi bộ, in 2024


def test_earlier_years_are_the_year_folders_of_a_unit_that_has_a_later_one():
    paths = [
        "xa/dong-lac/2024/a.txt",
        "xa/dong-lac/2025/b.txt",
        "xa/dong-lac/2023/c.txt",
        "xa/xom-moi/2024/d.txt",  # its unit's latest year
        "xa/khac/e.txt",  # no year folder
        "2024/f.txt",  # the batch's own year folders, no unit folder above them
        "2025/g.txt",
    ]
    assert earlier_years(paths) == {"xa/dong-lac/2024/a.txt", "xa/dong-lac/2023/c.txt", "2024/f.txt"}


def test_a_worker_renders_the_page_of_last_years_post_holder():
    data = LAST_YEAR_SECRETARY.read_bytes()
    left = analyse(Task("0" * 64, data, LAST_YEAR_SECRETARY.name, cross=True))
    assert not left.page and not any(name.endswith(".html") for name in left.files)  # a post: left to the checks
    rendered = analyse(Task("0" * 64, data, LAST_YEAR_SECRETARY.name, cross=True, defer_page=False))
    assert rendered.page and any(name.endswith(".html") for name in rendered.files)


def test_the_batch_lets_the_workers_render_last_years_pages(tmp_path, monkeypatch):
    submitted: list[tuple[str, bool]] = []

    def task(**fields) -> Task:
        made = Task(**fields)
        submitted.append((made.name, made.defer_page))
        return made

    monkeypatch.setattr(runner, "Task", task)
    out = tmp_path / "out"
    run_batch([TREE], out, BatchOptions(jobs=1, cross=True))
    expected = [(path.name, "dong-lac/2024/" not in path.as_posix()) for path in TREE.rglob("*.txt")]
    assert Counter(submitted) == Counter(expected)  # dong-lac has 2025: its 2024 reports are last year's
    assert ("le-van-tuan.txt", False) in submitted and ("hoang-van-quy.txt", True) in submitted
    for json_path in sorted((out / "bao-cao").glob("*.json")):  # every page still a fresh render of its result
        result = AnalysisResult.model_validate_json(json_path.read_bytes())
        assert json_path.with_suffix(".html").read_bytes() == render_html(result).encode("utf-8")
