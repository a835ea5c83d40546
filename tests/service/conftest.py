"""Fixtures of the service tests: an app factory with small limits (constants and files: ``service_support``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from service_support import small_settings

from nlp.config import read_config
from service import create_app


@pytest.fixture
def make_client() -> Iterator[Callable[..., TestClient]]:
    """``make_client(**settings)``: a TestClient (lifespan started) on an app with :func:`small_settings`."""
    clients: list[TestClient] = []

    def factory(**changes) -> TestClient:
        client = TestClient(create_app(small_settings(**changes)), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()


@pytest.fixture
def store_config(tmp_path) -> tuple[object, Path]:
    """A configuration whose feedback store is ``tmp_path/kho/phan-hoi.sqlite`` (folder made, file not yet)."""
    (tmp_path / "kho").mkdir()
    path = tmp_path / ".kiemdiem.yaml"
    path.write_text("feedback: kho/phan-hoi.sqlite\n", encoding="utf-8")
    return read_config(path), tmp_path / "kho" / "phan-hoi.sqlite"
