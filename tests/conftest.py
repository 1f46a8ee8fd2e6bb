"""Shared fixtures: the repository's paths, executed notebooks (run once per session) and the
one check that a map page is small and offline."""

from __future__ import annotations

import html
import json
import re
import socket
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))

_executed: dict[Path, nbformat.NotebookNode] = {}


def execute_notebook(path: Path, timeout: int = 300) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in a fresh kernel from its own folder (cached)."""
    if path not in _executed:
        from nbclient import NotebookClient

        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        _executed[path] = nb
    return _executed[path]


NETWORK_ASSET = re.compile(r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.I)
MAP_PAGE_LIMIT = 300 * 1024  # bytes; the benchmark target for one map page


def assert_offline_map(page: str, limit: int = MAP_PAGE_LIMIT) -> None:
    """A map page (or a notebook output holding one) draws a map, loads nothing from the
    network, brings its own Leaflet and stays under ``limit`` bytes."""
    inner = html.unescape(page)
    assert "L.map(" in inner, "no map in this page"
    assert not NETWORK_ASSET.search(inner), "a map loads a script or stylesheet from the network"
    assert "L.tileLayer(" not in inner, "a map asks a tile server"
    assert "window.L" in inner or "Leaflet" in inner, "Leaflet is not inlined"
    assert len(inner.encode()) < limit, f"map page is {len(inner.encode()) / 1024:.0f} KB"


def page_features(page: str) -> list[dict]:
    """Every feature a map page draws (land, lines, sea), in drawing order, as GeoJSON."""
    inner = html.unescape(page) if "L.map(" not in page else page
    decoder, found = json.JSONDecoder(), []
    for match in re.finditer(r"L\.geoJSON\(", inner):
        collection, _ = decoder.raw_decode(inner, match.end())
        found += collection["features"]
    return found


def page_tooltips(page: str) -> list[str]:
    """The text of every feature's tooltip on a map page (HTML entities decoded)."""
    return [html.unescape(f["properties"]["tooltip"]) for f in page_features(page)]


def answered(exercise: object, answer: object) -> object:
    """An exercise's widget after a student has given ``answer`` and pressed Check once."""
    from kuril_teaching import exercises

    box = exercises.widget(exercise)
    box.answer.value = answer
    box.button.click()
    return box


@pytest.fixture(params=LESSONS, ids=[p.name for p in LESSONS])
def lesson(request: pytest.FixtureRequest) -> Path:
    return request.param


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any socket connection that leaves this machine."""
    real = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else str(address)
        if isinstance(host, str) and not host.startswith(("127.", "::1", "localhost")) \
                and self.family in (socket.AF_INET, socket.AF_INET6):
            raise OSError(f"network access to {host} during a test")
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


# Figures a test measured (the hub tests' class at once), printed at the end of the run.
MEASURED: list[str] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if MEASURED:
        terminalreporter.section("measured")
        for line in MEASURED:
            terminalreporter.write_line(line)
