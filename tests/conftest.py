"""Shared fixtures: the repository's paths, executed notebooks (run once per session) and the
one check that a map page is small and offline."""

from __future__ import annotations

import html
import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

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


def code_outputs(nb: nbformat.NotebookNode) -> list[dict]:
    """Every output of a notebook's code cells, in order."""
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def assert_ran_cleanly(nb: nbformat.NotebookNode) -> list[dict]:
    """No error and nothing on stderr among an executed notebook's outputs; the outputs."""
    outputs = code_outputs(nb)
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert not errors, f"error output: {errors[0].get('ename')}: {errors[0].get('evalue')}"
    stderr = [o["text"] for o in outputs if o["output_type"] == "stream" and o["name"] == "stderr"]
    assert not stderr, f"warning or stderr output: {stderr[0][:500]}"
    return outputs


@cache
def i18n_script() -> Any:
    """``scripts/i18n.py`` as a module (it builds the catalogs and the translated files)."""
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def read_catalog(path: Path) -> Any:
    """A gettext catalog (.po or .pot) read with Babel."""
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle)


def graded_course(root: Path, notebooks: list[Path]) -> Path:
    """A real nbgrader course in ``root``: the nbgrader edition of ``notebooks``, each lesson's
    assignment generated, then two submissions autograded: the teacher's (the source,
    solutions in) and an untouched student copy."""
    from kuril_teaching import editions

    editions.make_edition("nbgrader", root, notebooks)
    (root / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(root)!r}\n"
        "c.CourseDirectory.course_id = 'kuril'\n", encoding="utf-8")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    nbgrader = [sys.executable, "-m", "nbgrader"]
    for name in (p.stem for p in notebooks):
        run = subprocess.run([*nbgrader, "generate_assignment", name, "--force"], cwd=root, env=env,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr[-2000:]
        for student, origin in (("teacher", "source"), ("untouched", "release")):
            folder = root / "submitted" / student / name
            folder.mkdir(parents=True)
            (folder / f"{name}.ipynb").write_bytes((root / origin / name / f"{name}.ipynb").read_bytes())
        run = subprocess.run([*nbgrader, "autograde", name, "--force"], cwd=root, env=env,
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr[-2000:]
    return root


def grades(root: Path, name: str, student: str) -> list:
    """(name, cell type, score, top score, needs manual grade) of each graded cell of a submission."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook(name, name, student)
        return [(g.name, g.cell_type, g.auto_score, g.max_score, g.needs_manual_grade)
                for g in nb.grades]


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
