"""The reviewers' page in a real browser (Debian chromium driven by playwright): a cross-report finding of a
comparison gets "Đúng" / "Không đúng", a click keeps the decision (the page sends the other reports again, a chosen
file as that file), and the same comparison run again shows it.

Skipped, with the reason, only when /usr/bin/chromium is absent (``.ci/install-browser.sh`` installs it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from live_server import live_server
from service_support import ROOT

import nlp
from nlp.feedback import FeedbackStore

CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is absent (run .ci/install-browser.sh)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (.ci/install-browser.sh)")

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
TREE = ROOT / "tests" / "cross" / "data" / "tree" / "dong-lac"
REPORT = TREE / "2025" / "hoang-van-quy.txt"
COLLECTIVE = TREE / "2025" / "tap-the.txt"
PREVIOUS = TREE / "2024" / "hoang-van-quy.txt"
NOT_OWNED = "cross.collective_fault_not_owned"


def _compare(tab) -> None:
    """Analyse the head's report against the collective report (a chosen file) and last year's (a pasted text)."""
    tab.click("#analyze-btn")
    tab.wait_for_selector("#results:not([hidden]) #card-compare")
    tab.wait_for_function("() => document.querySelector('#analyze-btn').disabled === false")


def _open_note_of(tab, rule: str):
    """The finding items of ``rule`` in the note of the first sentence that has one, the note opened."""
    note = tab.locator(".note", has=tab.locator(f'li.f[data-rule="{rule}"]')).first
    tab.click("#s-" + note.get_attribute("id").removeprefix("note-"))
    return note.locator(f'li.f[data-rule="{rule}"]')


def test_a_cross_finding_is_dismissed_on_the_page_and_stays_dismissed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("config")
    (folder / "kho").mkdir()
    config = folder / ".kiemdiem.yaml"
    config.write_text("feedback: kho/phan-hoi.sqlite\n", encoding="utf-8")
    store = FeedbackStore(folder / "kho" / "phan-hoi.sqlite")
    collective_text = nlp.analyze(COLLECTIVE.read_text(encoding="utf-8")).text
    with (
        live_server(tmp_path_factory.mktemp("serve"), {"KIEMDIEM_CONFIG": str(config)}) as server,
        sync_api.sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        tab = browser.new_page(viewport={"width": 1366, "height": 1000})
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(f"http://127.0.0.1:{server.port}/")
        tab.wait_for_selector("body[data-ready=true]")
        tab.fill("#report-text", REPORT.read_text(encoding="utf-8"))
        tab.click("#compare summary")
        tab.set_input_files("#cmp-collective-file", str(COLLECTIVE))
        tab.fill("#cmp-previous-text", PREVIOUS.read_text(encoding="utf-8"))
        _compare(tab)

        items = _open_note_of(tab, NOT_OWNED)
        assert items.count() == 2  # two of the collective's shortcomings, diffused in one sentence
        item = items.first
        index = item.get_attribute("data-f")
        quote = item.locator(".evidence-quote q").inner_text()
        dismiss = item.get_by_role("button", name="Không đúng")
        assert dismiss.get_attribute("aria-pressed") == "false"
        assert item.locator("button[data-review=confirm]").count() == 1
        item.locator(".fb-note").fill("Việc này không thuộc lĩnh vực của đồng chí.")
        dismiss.click()
        tab.wait_for_selector(f'li.f.review-dismissed[data-f="{index}"]')
        assert dismiss.get_attribute("aria-pressed") == "true"

        (kept,) = store.decisions()
        assert (kept.rule, kept.decision, kept.note) == (
            NOT_OWNED,
            "dismiss",
            "Việc này không thuộc lĩnh vực của đồng chí.",
        )
        assert collective_text[kept.evidence_start : kept.evidence_end] == quote

        # the same comparison again: the dismissed finding shows dismissed, its twin on the sentence does not
        _compare(tab)
        again = _open_note_of(tab, NOT_OWNED)
        states = {
            again.nth(i).locator(".evidence-quote q").inner_text(): "review-dismissed"
            in again.nth(i).get_attribute("class")
            for i in range(again.count())
        }
        assert states[quote] is True and list(states.values()).count(True) == 1
        browser.close()
        log = server.log()
    assert errors == []
    assert "POST /v1/feedback 201" in log
    assert quote not in log and "lĩnh vực của đồng chí" not in log
