"""Lessons behave the same however often and in whatever order they are run.

Each lesson runs in a kernel of its own, from a folder holding copies of all lessons that
no other lesson has run in, last lesson first. In that one kernel session it runs top to
bottom, is restarted and runs again, and then every cell that shows a widget is run once
more, as a student does who re-runs a cell. Kernels load the offline guard
(``lab.NETWORK_GUARD``), so these runs also show that no lesson needs the network.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest
from conftest import execute_notebook

from . import lab
from .conftest import NOTEBOOKS

pytestmark = pytest.mark.reliability  # no browser needed: kernels only
LAST_FIRST = list(reversed(NOTEBOOKS))

# Every widget's handler count (trait observers, message and click callbacks), by model id.
HANDLERS_PROBE = """\
import json as _json
from ipywidgets.widgets import widget as _widget

def _kt_handlers(w):
    traits = sum(len(h) for kinds in w._trait_notifiers.values() for h in kinds.values())
    clicks = getattr(w, "_click_handlers", None)
    return (traits + len(w._msg_callbacks.callbacks)
            + (len(clicks.callbacks) if clicks is not None else 0))

print(_json.dumps({k: _kt_handlers(w) for k, w in list(_widget._instances.items())}))
"""

_NOISE = [
    (re.compile(r"_[0-9a-f]{32}"), "_<id>"),  # folium / branca element ids
    (re.compile(r" at 0x[0-9a-fA-F]+"), " at 0x<addr>"),  # default object reprs
    (re.compile(r"\b[0-9a-f]{32}\b"), "<model>"),  # widget model ids
    (re.compile(r"\bT_[0-9a-f]{5}(?=[_ \"'])"), "T_<uuid>"),  # pandas Styler table ids
]


def normalise(text: str) -> str:
    """``text`` without the ids and addresses that change from run to run."""
    for pattern, repl in _NOISE:
        text = pattern.sub(repl, text)
    return text


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "".join(value)


def shown_text(outputs: list[dict[str, Any]]) -> list[str]:
    """What a cell's outputs say as text: streams, plain text, HTML, errors (normalised)."""
    lines: list[str] = []
    stream = None  # the kernel may split one print's text over several stream messages
    for out in outputs:
        kind = out["output_type"]
        if kind == "stream" and stream == out["name"]:
            lines[-1] += _text(out["text"])
            continue
        stream = out["name"] if kind == "stream" else None
        if kind == "stream":
            lines.append(f"{out['name']}: {_text(out['text'])}")
        elif kind == "error":
            lines.append(f"error: {out['ename']}: {out['evalue']}")
        else:
            for mime in ("text/plain", "text/html"):
                if mime in out.get("data", {}):
                    lines.append(f"{mime}: {_text(out['data'][mime])}")
    return [normalise(line) for line in lines]


def notebook_text(nb: nbformat.NotebookNode) -> list[list[str]]:
    """:func:`shown_text` for every code cell."""
    return [shown_text(c.outputs) for c in nb.cells if c.cell_type == "code"]


@dataclass
class Runs:
    """What one lesson showed in each run of one kernel session."""

    first: list[list[str]]
    second: list[list[str]]
    widget_cells: list[int]
    rerun_before: list[list[str]]
    rerun_after: list[list[str]]
    handlers_before: dict[str, int]
    handlers_after: dict[str, int]


def _probe(client: Any, nb: nbformat.NotebookNode) -> dict[str, int]:
    cell = nbformat.v4.new_code_cell(HANDLERS_PROBE)
    nb.cells.append(cell)
    try:
        client.execute_cell(cell, len(nb.cells) - 1)
    finally:
        nb.cells.pop()
    text = "".join(_text(o["text"]) for o in cell.outputs if o["output_type"] == "stream"
                   and o["name"] == "stdout")
    return json.loads(text)


def _run_all(client: Any, nb: nbformat.NotebookNode) -> None:
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            client.execute_cell(cell, index)


def run_in_one_session(path: Path, folder: Path, env: dict[str, str]) -> Runs:
    """Run All, restart, Run All, re-run each widget cell: all in one kernel session."""
    from jupyter_core.utils import run_sync
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(folder)}})
    with client.setup_kernel(env=env):
        _run_all(client, nb)
        first = notebook_text(nb)
        run_sync(client.km.restart_kernel)()
        run_sync(client.kc.wait_for_ready)(timeout=120)
        _run_all(client, nb)
        second = notebook_text(nb)
        widget_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                        and any(lab.WIDGET_MIME in o.get("data", {}) for o in c.outputs)]
        before = [shown_text(nb.cells[i].outputs) for i in widget_cells]
        handlers_before = _probe(client, nb)
        for i in widget_cells:
            client.execute_cell(nb.cells[i], i)
        after = [shown_text(nb.cells[i].outputs) for i in widget_cells]
        handlers_after = _probe(client, nb)
    return Runs(first, second, widget_cells, before, after, handlers_before, handlers_after)


class Sessions:
    """Runs each lesson once, when a test first asks for it, in a shared scratch folder."""

    def __init__(self, folder: Path, env: dict[str, str]):
        self.folder, self.env = folder, env
        self._runs: dict[str, Runs] = {}

    def __getitem__(self, path: Path) -> Runs:
        if path.name not in self._runs:
            self._runs[path.name] = run_in_one_session(self.folder / path.name, self.folder,
                                                       self.env)
        return self._runs[path.name]


@pytest.fixture(scope="module")
def sessions() -> Iterator[Sessions]:
    """Copies of all lessons in a scratch folder, and kernels with the offline guard."""
    home = Path(tempfile.mkdtemp(prefix="kuril-runs-"))
    folder = home / "lessons"
    folder.mkdir()
    for path in NOTEBOOKS:
        shutil.copy2(path, folder / path.name)
    yield Sessions(folder, lab.isolated_env(home / "jupyter"))
    shutil.rmtree(home, ignore_errors=True)


@pytest.mark.parametrize("path", LAST_FIRST, ids=[p.stem for p in LAST_FIRST])
def test_runs_first_as_in_order(path: Path, sessions: Sessions) -> None:
    """Run before the lessons that precede it, offline, a lesson shows what it shows when
    the lessons run in order."""
    runs = sessions[path]
    errors = [line for cell in runs.first for line in cell if line.startswith("error:")]
    assert not errors, errors
    in_order = notebook_text(execute_notebook(path))
    for n, (alone, ordered) in enumerate(zip(runs.first, in_order, strict=True)):
        assert alone == ordered, f"code cell {n} differs when the lesson runs first"


@pytest.mark.parametrize("path", LAST_FIRST, ids=[p.stem for p in LAST_FIRST])
def test_restart_and_run_all_twice(path: Path, sessions: Sessions) -> None:
    runs = sessions[path]
    for n, (first, second) in enumerate(zip(runs.first, runs.second, strict=True)):
        assert first == second, f"code cell {n} shows something else after a restart"


@pytest.mark.parametrize("path", LAST_FIRST, ids=[p.stem for p in LAST_FIRST])
def test_rerunning_a_widget_cell(path: Path, sessions: Sessions) -> None:
    """Re-running a widget cell shows the same once more and adds no handler anywhere."""
    runs = sessions[path]
    assert runs.widget_cells, "no cell shows a widget"
    assert runs.rerun_after == runs.rerun_before
    grown = {k: (n, runs.handlers_after[k]) for k, n in runs.handlers_before.items()
             if runs.handlers_after.get(k, n) != n}
    assert not grown, f"handlers added to existing widgets (before, after): {grown}"
    assert len(runs.handlers_after) > len(runs.handlers_before), "re-running made no widget"
