"""Ingest test helpers: read the same input through both entry points."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from nlp.ingest import IngestedText, IngestLimits, read_bytes, read_file


@pytest.fixture(params=["file", "bytes"])
def read(request, tmp_path: Path) -> Callable[..., IngestedText]:
    """``read(data, name, limits)`` through read_file (written to tmp_path) or read_bytes."""

    def reader(data: bytes, name: str = "input.txt", limits: IngestLimits | None = None) -> IngestedText:
        if request.param == "bytes":
            return read_bytes(data, filename=name, limits=limits)
        path = tmp_path / name
        path.write_bytes(data)
        return read_file(path, limits=limits)

    return reader
