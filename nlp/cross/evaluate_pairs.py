"""The verdicts as one reviewer gets them: each writer's report of this year checked alone against the unit's
collective report and the same writer's report of last year (``kiemdiem analyze X --collective C --previous P``,
``POST /v1/compare``), not within a whole unit as a batch checks it. The caller links the files, so there is no link
figure; responsibility is judged without the other writers of the unit (who holds which post, who heads the whole
unit), which is what a reviewer's pair check knows.

    python -m nlp.cross.evaluate --split test --pairs
"""

from __future__ import annotations

from pathlib import Path

from nlp.cross.match import Matcher
from nlp.cross.pair import check_pair
from nlp.cross.records import AnalysedReport, CollectiveRow, CrossResult, Linkage, PreviousRow


def pair_checks(sets: list[tuple[Path, dict]], reports: list[AnalysedReport], matcher: Matcher) -> CrossResult:
    """The rows of every labelled writer's pair check, gathered as one result (the writer's own rows only)."""
    by_path = {r.path: r for r in reports}
    collective_rows: list[CollectiveRow] = []
    previous_rows: list[PreviousRow] = []
    for folder, data in sets:
        entries = data["reports"]
        latest = max(e["year"] for e in entries)
        path = {id(e): f"{folder.name}/{e['file']}" for e in entries}
        collective = next((path[id(e)] for e in entries if e["role"] == "collective" and e["year"] == latest), None)
        earlier = {e["person"]: path[id(e)] for e in entries if e.get("person") and e["year"] == latest - 1}
        for entry in entries:
            if entry["year"] != latest or entry["role"] == "collective" or not entry.get("person"):
                continue
            own, previous = path[id(entry)], earlier.get(entry["person"])
            if collective is None and previous is None:
                continue
            checked = check_pair(
                by_path[own],
                collective=by_path[collective] if collective else None,
                previous=by_path[previous] if previous else None,
                matcher=matcher.name,
            ).checked
            collective_rows += [r for r in checked.collective_rows if r.file == own]
            previous_rows += [r for r in checked.previous_rows if r.writer != "collective"]
    return CrossResult(linkage=Linkage(), collective_rows=collective_rows, previous_rows=previous_rows)
