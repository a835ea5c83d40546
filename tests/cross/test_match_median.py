"""``nlp.cross.match.median_of`` gives exactly what ``np.median`` gives (the matcher's decisions rest on it)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from nlp.cross.match import median_of


@pytest.mark.parametrize("size", [1, 2, 3, 4, 7, 8, 9, 16, 33])
def test_median_of_is_numpys_median(size: int) -> None:
    rng = random.Random(size)
    for _ in range(200):
        values = [rng.uniform(-1.0, 1.0) * rng.choice([1.0, 1e-3, 7.3]) for _ in range(size)]
        values += values[: rng.randint(0, size)]  # ties
        assert median_of(values) == float(np.median(np.array(values)))


def test_median_of_a_list_of_one_and_two() -> None:
    assert median_of([0.0]) == 0.0
    assert median_of([0.25, 0.75]) == 0.5
