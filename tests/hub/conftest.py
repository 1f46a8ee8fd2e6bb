"""Fixtures for the hub tests: configurable-http-proxy, a git server with the lessons, a hub.

Without configurable-http-proxy or git these tests are skipped, except under CI (``CI=true``),
where that is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from . import hubkit


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _missing(reason: str) -> None:
    if _on_ci():
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def proxy() -> str:
    found = hubkit.find_proxy()
    if found is None:
        _missing(hubkit.CHP_HINT)
    if shutil.which("git") is None:
        _missing("git is missing: `apt-get install git`")
    return str(found)


@pytest.fixture(scope="module")
def lessons() -> list[Path]:
    return sorted((hubkit.ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def git_server(tmp_path_factory: pytest.TempPathFactory, lessons: list[Path],
               ) -> Iterator[hubkit.GitServer]:
    server = hubkit.GitServer.start(tmp_path_factory.mktemp("git"), lessons)
    yield server
    server.stop()
