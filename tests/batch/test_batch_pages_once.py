"""With the cross-report checks on, a page is rendered once: the workers leave the pages of writers with a post (whom
the collective check may give findings) to the checks, which render them with the findings or without. Every page of
the batch is still byte-identical to a fresh render of the report's final result, and a run stopped before the checks
and resumed without them still gets every page."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from nlp.batch import BatchInterrupted, BatchOptions, run_batch
from nlp.batch.cross_inputs import page_after_checks, read
from nlp.batch.store import STORE_NAME
from nlp.batch.worker import Task, analyse
from nlp.render import render_html
from nlp.schema import AnalysisResult

TREE = Path(__file__).resolve().parents[1] / "cross" / "data" / "tree"


def _pages(out: Path, lang: str) -> dict[str, tuple[bytes, bytes]]:
    """Each report's page as written, and a fresh render of its final result (its per-report JSON)."""
    found = {}
    for json_path in sorted((out / "bao-cao").glob("*.json")):
        result = AnalysisResult.model_validate_json(json_path.read_bytes())
        page = json_path.with_suffix(".html")
        found[json_path.name] = (page.read_bytes(), render_html(result, lang=lang).encode("utf-8"))
    return found


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_page_is_a_fresh_render_of_the_final_result(tmp_path, lang) -> None:
    out = tmp_path / "out"
    run_batch([TREE], out, BatchOptions(jobs=1, cross=True, lang=lang))
    pages = _pages(out, lang)
    assert len(pages) == len(list(TREE.rglob("*.txt")))
    for name, (written, fresh) in pages.items():
        assert written == fresh, name
    with sqlite3.connect(out / STORE_NAME) as db:
        kept = [data for (data,) in db.execute("SELECT data FROM prepared")]
    deferred = [data for data in kept if page_after_checks(read(data, "x.txt")[0])]
    with_findings = list((out / "bao-cao").glob("*.json.plain"))
    assert deferred and with_findings  # pages left to the checks, and pages rewritten with findings, both checked
    assert len(deferred) < len(pages)  # and pages the workers wrote


def test_the_worker_leaves_the_page_of_a_writer_with_a_post_to_the_checks() -> None:
    pages = {}
    for path in sorted(TREE.rglob("*.txt")):
        outcome = analyse(Task("0" * 64, path.read_bytes(), path.name, cross=True))
        assert outcome.ok
        html = [name for name in outcome.files if name.endswith(".html")]
        assert bool(html) == outcome.page
        pages[path.relative_to(TREE).as_posix()] = outcome.page
        plain = analyse(Task("0" * 64, path.read_bytes(), path.name))  # checks off: every page by the worker
        assert plain.page and any(name.endswith(".html") for name in plain.files)
    assert not pages["dong-lac/2025/pham-thi-thu.txt"]  # a deputy secretary
    assert any(pages.values())


def test_a_run_stopped_before_the_checks_and_resumed_without_them_has_every_page(tmp_path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(TREE, tree)
    out = tmp_path / "out"
    with pytest.raises(BatchInterrupted):
        run_batch([tree], out, BatchOptions(jobs=1, cross=True, stop_after=len(list(tree.rglob("*.txt")))))
    assert len(list((out / "bao-cao").glob("*.html"))) < len(list((out / "bao-cao").glob("*.json")))
    run_batch([tree], out, BatchOptions(jobs=1, resume=True))
    for name, (written, fresh) in _pages(out, "vi").items():
        assert written == fresh, name


def test_the_batch_counts_the_pages_its_workers_render_and_what_they_cost(tmp_path) -> None:
    """``BatchReport.worker_pages`` and ``page_seconds``: every page with the checks off, fewer with them on (the
    others are left to the checks); the bench subtracts those from the checks' CPU (bench/bench_batch.py)."""
    files = len(list(TREE.rglob("*.txt")))
    off = run_batch([TREE], tmp_path / "off", BatchOptions(jobs=1))
    on = run_batch([TREE], tmp_path / "on", BatchOptions(jobs=1, cross=True))
    assert off.worker_pages == files and off.page_seconds > 0
    assert 0 < on.worker_pages < files and on.page_seconds > 0
    assert off.prepare_seconds == 0 and on.prepare_seconds > 0
