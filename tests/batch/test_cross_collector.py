"""The driver's cyclic collector while it receives the cross-report checks' outcomes (issue 13's cost): calmed as in a
checks' process, and put back as it was afterwards, also when the checks fail."""

from __future__ import annotations

import gc

import pytest

from nlp.batch.cross_reports import CHECKS_GC_THRESHOLD, _calm_driver_collector


def test_the_collector_is_calmed_while_the_outcomes_come_and_put_back_after():
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    kept = [object() for _ in range(10)]
    with _calm_driver_collector():
        assert gc.get_threshold() == CHECKS_GC_THRESHOLD
        assert gc.get_freeze_count() > frozen  # what the driver held is no longer walked
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    assert len(kept) == 10


def test_the_collector_is_put_back_when_the_checks_fail():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), _calm_driver_collector():
        raise RuntimeError("a unit failed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
