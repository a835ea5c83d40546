"""Batch test fixtures: one generated district (a few hundred reports plus broken and system files),
analysed once per module with 2 worker processes and shared by the tests that read its outputs."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from batch_corpus import Manifest, build_tree  # noqa: E402

from nlp.batch import BatchOptions, BatchReport, run_batch  # noqa: E402

REPORTS = 240  # generated reports; with copies, the zip and broken files the tree holds about 290 files


@dataclass
class District:
    """A generated tree, what it should give, and one batch run over it."""

    tree: Path
    manifest: Manifest
    out: Path
    report: BatchReport


@pytest.fixture(scope="session")
def district(tmp_path_factory) -> District:
    """The district tree analysed once with 2 processes (shared by every module that reads outputs)."""
    base = tmp_path_factory.mktemp("district")
    manifest = build_tree(base / "bao-cao-huyen", REPORTS, seed=11, copy_groups=6)
    out = base / "ket-qua"
    report = run_batch([base / "bao-cao-huyen"], out, BatchOptions(jobs=2))
    return District(base / "bao-cao-huyen", manifest, out, report)


@pytest.fixture
def small_tree(tmp_path) -> tuple[Path, Manifest]:
    """A small plain-text tree (no broken files) for runs that must be quick."""
    tree = tmp_path / "nho"
    manifest = build_tree(tree, 24, seed=5, broken=False, copy_groups=2, per_unit=8, formats=False)
    return tree, manifest
