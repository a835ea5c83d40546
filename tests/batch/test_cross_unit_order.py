"""The checks' processes take the large units first and the driver still receives the outcomes in unit order
(issue 13, session 13: a large unit taken last kept the other process idle while it ran)."""

from __future__ import annotations

import random
from pathlib import Path

from nlp.batch.cross_reports import TAIL_SHARE, _UnitJob, in_unit_order, large_units_first


def _job(reports: int, old: int = 0) -> _UnitJob:
    rows = [{"path": f"u/{i}.txt"} for i in range(reports)]
    return _UnitJob(rows, [object()] * old, Path("out"), "vi", 3, (), None)  # type: ignore[list-item]


def test_the_large_units_go_first_the_largest_first_and_the_others_keep_their_order():
    small = [_job(10) for _ in range(TAIL_SHARE * 2)]  # 400 reports
    jobs = [*small[:5], _job(30), *small[5:20], _job(20, old=25), *small[20:]]  # a large unit counts last year's too
    order = large_units_first(jobs, processes=2)  # large: more than 475 / 40 reports
    assert order[:2] == [21, 5]  # 45, then 30
    assert order[2:] == [i for i in range(len(jobs)) if i not in (5, 21)]
    assert large_units_first([_job(3), _job(1), _job(2)], processes=2) == [0, 2, 1]  # a tiny batch: all large


def test_outcomes_in_any_order_are_handed_on_in_unit_order_as_soon_as_each_is_due():
    order = list(range(40))
    random.Random(7).shuffle(order)
    handed, seen = [], []
    for outcome in in_unit_order((i, f"unit {i}") for i in order if not seen.append(i)):
        handed.append((outcome, len(seen)))
    assert [o for o, _ in handed] == [f"unit {i}" for i in range(40)]
    first_due = order.index(0) + 1
    assert handed[0][1] == first_due  # unit 0 handed on the moment it came, not at the end
