"""Fixtures of the cross-report tests: the small linked tree analysed once, and one default matcher per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp import analyze
from nlp.cross import AnalysedReport
from nlp.cross.match import Matcher

TREE = Path(__file__).resolve().parent / "data" / "tree"


@pytest.fixture(scope="session")
def tree_reports() -> list[AnalysedReport]:
    """Every report of tests/cross/data/tree, analysed, named by its path inside the tree."""
    return [
        AnalysedReport(path.relative_to(TREE).as_posix(), analyze(path.read_text(encoding="utf-8")))
        for path in sorted(TREE.rglob("*.txt"))
    ]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    """The default matcher (the static encoder distilled from e5; it loads once)."""
    return Matcher()
