"""The checks' processes take the largest units first and the driver still receives the outcomes in unit order
(issue 13, session 13: a large unit taken last kept the other process idle while it ran)."""

from __future__ import annotations

import random
from pathlib import Path

from nlp.batch.cross_reports import _UnitJob, in_unit_order, largest_first


def _job(reports: int, old: int = 0) -> _UnitJob:
    rows = [{"path": f"u/{i}.txt"} for i in range(reports)]
    return _UnitJob(rows, [object()] * old, Path("out"), "vi", 3, (), None)  # type: ignore[list-item]


def test_the_largest_units_go_first_counting_last_years_reports():
    jobs = [_job(3), _job(12), _job(5, old=9), _job(1), _job(12)]
    assert largest_first(jobs) == [2, 1, 4, 0, 3]  # 14, 12, 12 (in their order), 3, 1


def test_outcomes_in_any_order_are_handed_on_in_unit_order_as_soon_as_each_is_due():
    order = list(range(40))
    random.Random(7).shuffle(order)
    handed, seen = [], []
    for outcome in in_unit_order((i, f"unit {i}") for i in order if not seen.append(i)):
        handed.append((outcome, len(seen)))
    assert [o for o, _ in handed] == [f"unit {i}" for i in range(40)]
    first_due = order.index(0) + 1
    assert handed[0][1] == first_due  # unit 0 handed on the moment it came, not at the end
