"""Fixtures for the browser tests: one JupyterLab server per session, one Chromium per module.

Chromium is Debian's (or the one KURIL_TEACHING_CHROMIUM names); Playwright drives it
and never downloads a browser. Without Chromium or Playwright these tests are skipped,
except under CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import nbformat
import pytest

from . import lab

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = lab.lessons(ROOT / "notebooks")
PROBE = "network_probe.ipynb"
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
# Run in a kernel of the test server: is the guard loaded, does it stop a connection to
# TEST-NET-1 (192.0.2.1, never routed) before any packet is sent, and a name lookup,
# while loopback still works?
PROBE_SOURCE = """\
import socket
print("guard loaded:", getattr(socket, "kt_network_guard", False))
for target in [("192.0.2.1", 80), ("example.org", 443)]:
    try:
        socket.create_connection(target, timeout=1).close()
        print("reached:", target[0])
    except OSError as error:
        print("blocked:", target[0], type(error).__name__)
with socket.create_connection(("127.0.0.1", PORT), timeout=5):
    print("loopback: connected")
"""


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _missing(reason: str) -> None:
    """Skip, or under CI fail, because the browser tests cannot run here."""
    message = f"{reason}: {lab.INSTALL_HINT}"
    if _on_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def artifacts_dir() -> Path:
    """Where screenshots go: KURIL_TEACHING_ARTIFACTS, else test-artifacts/ in the repo."""
    given = os.environ.get("KURIL_TEACHING_ARTIFACTS")
    return Path(given) if given else ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of the Chromium binary (skip or fail if there is none, or no Playwright)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("Playwright is not installed (pip install -e '.[test]')")
    path = lab.find_chromium()
    if path is None:
        _missing("no Chromium found")
    return path


@pytest.fixture(scope="module")
def playwright_browser(chromium: str) -> Iterator[Any]:
    """A headless Chromium per test module: Playwright's sync API must be stopped before
    another module starts its own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = lab.launch_chromium(playwright, chromium)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def lab_server(chromium: str) -> Iterator[lab.LabServer]:
    """JupyterLab on 127.0.0.1 serving copies of the lessons and the network probe."""
    home = Path(tempfile.mkdtemp(prefix="kuril-lab-"))
    port = lab.free_port()
    server = None
    try:
        server = lab.start_lab(home, NOTEBOOKS, port=port, extra={PROBE: _probe(port)})
        yield server
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(home, ignore_errors=True)


def _probe(port: int) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(PROBE_SOURCE.replace("PORT", str(port)))]
    return nb


def _note_outside(url: str, seen: list[str]) -> None:
    host = urlsplit(url).hostname or ""
    if urlsplit(url).scheme in ("http", "https", "ws", "wss") and host not in LOOPBACK:
        seen.append(url)


def _context(browser: Any, offline: bool) -> Any:
    options: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
    if offline:
        options["proxy"] = lab.LAB_OFFLINE_PROXY
    return browser.new_context(**options)


@pytest.fixture(scope="module")
def lab_pages(playwright_browser: Any, lab_server: lab.LabServer) -> Iterator[dict[str, Any]]:
    """Two JupyterLab pages: "online" (a plain browser) and "offline" (every request but
    the ones to the JupyterLab server goes to a closed port)."""
    contexts = {mode: _context(playwright_browser, mode == "offline")
                for mode in ("online", "offline")}
    pages = {}
    for mode, context in contexts.items():
        pages[mode] = context.new_page()
        pages[mode].outside = []  # http(s) and websocket requests that leave loopback
        context.on("request", lambda r, seen=pages[mode].outside: _note_outside(r.url, seen))
        pages[mode].on("websocket", lambda w, seen=pages[mode].outside: _note_outside(w.url, seen))
        lab.open_lab(pages[mode], lab_server)
    yield pages
    for context in contexts.values():
        context.close()
