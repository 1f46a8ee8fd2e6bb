"""Every lesson opened in JupyterLab in Chromium, as a student does: Run All, then look.

Each notebook runs twice: in a plain browser ("online") and in a browser whose every
request other than to the JupyterLab server goes to a closed port ("offline"). Kernels
run under a guard that refuses any connection outside loopback (see ``lab.NETWORK_GUARD``).
A screenshot of each notebook after Run All is kept in ``test-artifacts/screenshots``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import MEASURED

from . import axe, interactions, lab
from .conftest import NOTEBOOKS, PROBE, _missing, artifacts_dir

pytestmark = pytest.mark.browser

RUNS = [(mode, path) for mode in ("online", "offline") for path in NOTEBOOKS]


@dataclass
class Opened:
    """A notebook open in JupyterLab after Run All."""

    mode: str
    path: Path
    page: Any
    result: lab.RunResult
    state: dict[str, Any]


@pytest.fixture(scope="module", params=RUNS, ids=[f"{m}-{p.stem}" for m, p in RUNS])
def opened(request: pytest.FixtureRequest, lab_pages: dict[str, Any]) -> Iterator[Opened]:
    """Open the notebook in a fresh kernel, Run All, wait for maps and widgets, screenshot."""
    mode, path = request.param
    page = lab_pages[mode]
    page.outside.clear()
    lab.open_notebook(page, path.name)
    try:
        result = lab.wait_run_all(page)
        state = lab.wait_widgets(page)
        suffix = "" if mode == "online" else f".{mode}"
        lab.screenshot_notebook(page, artifacts_dir() / "screenshots" / f"{path.stem}{suffix}.png")
        yield Opened(mode, path, page, result, state)
    finally:
        lab.close_notebook(page)


def test_every_cell_ran_without_error(opened: Opened) -> None:
    assert not opened.result.errors(), "\n".join(opened.result.errors())
    code = opened.result.code_cells
    assert code, "the notebook has no code cell"
    counts = [c["count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), f"execution counts {counts}"


def test_lesson_content_passes_axe(opened: Opened) -> None:
    """What the lesson shows in JupyterLab (its prose and every output, maps and widgets
    included) has no serious or critical axe-core violation. JupyterLab's own frame is
    JupyterLab's to check."""
    script = axe.find_axe()
    if script is None:
        _missing(axe.INSTALL_HINT)
    problems = axe.violations(opened.page, script, include=[".jp-MarkdownOutput",
                                                           ".jp-OutputArea-output"])
    assert problems == [], "\n".join(problems)
    if opened.mode == "online":  # JupyterLab's own interface: listed at the end, not failed
        lab_own = axe.violations(opened.page, script, exclude=[".jp-MarkdownOutput",
                                                              ".jp-OutputArea-output"])
        MEASURED.extend(f"axe, JupyterLab's own interface ({opened.path.stem}): {v[:160]}"
                        for v in lab_own)


def test_a_quiet_start(opened: Opened) -> None:
    """No "Would you like to get notified about official Jupyter news?" over the lesson."""
    assert "Jupyter news" not in opened.page.inner_text("body")


def test_nothing_leaves_the_machine(opened: Opened) -> None:
    """Opening and running the lesson asks for nothing beyond the JupyterLab server."""
    assert not opened.page.outside, f"requests outside loopback: {opened.page.outside[:5]}"


WITHOUT_MAP = {"07_final_task"}  # the final task works with sources, not maps


def test_every_map_is_drawn(opened: Opened) -> None:
    maps = [m for m in opened.state["maps"] if m["isMap"]]
    if opened.path.stem in WITHOUT_MAP:
        assert maps == [], "a lesson listed as without maps shows one"
        return
    assert maps, "no map in the notebook"
    for shown in maps:
        where = f"map in cell {shown['cell']}"
        assert shown["leaflet"], f"{where}: Leaflet did not load"
        assert shown["containers"] == 1, f"{where}: {shown['containers']} Leaflet containers"
        assert shown["height"] > 100, f"{where}: the map is {shown['height']} px high"
        expected = lab.expected_paths(shown["srcdoc"])
        assert shown["paths"] == expected, f"{where}: {shown['paths']} of {expected} shapes drawn"
        assert not re.search(r"<(?:script|link)[^>]+(?:src|href)=[\"']?https?:", shown["srcdoc"])


def test_every_widget_is_shown(opened: Opened) -> None:
    wanted = sum(lab.widget_outputs(c) for c in opened.result.code_cells)
    assert wanted, "no widget in the notebook"
    assert not lab.widget_problems(opened.state), lab.widget_problems(opened.state)


def test_screenshot_kept(opened: Opened) -> None:
    suffix = "" if opened.mode == "online" else f".{opened.mode}"
    shot = artifacts_dir() / "screenshots" / f"{opened.path.stem}{suffix}.png"
    assert shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_first_map_screenshot(opened: Opened) -> None:
    """The lesson's first map as a student sees it, kept with the test artifacts."""
    if opened.mode != "online" or opened.path.stem in WITHOUT_MAP:
        return
    frame = opened.page.locator(".jp-OutputArea-output iframe").first
    frame.scroll_into_view_if_needed()
    shot = artifacts_dir() / "maps" / f"{opened.path.stem}.first-map.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    frame.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000  # a drawn map, not an empty frame
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_widgets_answer(opened: Opened) -> None:
    for action in interactions.for_notebook(opened.path.stem):
        try:
            before, after = interactions.perform(opened.page, opened.state, action)
        except LookupError as error:
            if action is interactions.GENERIC:
                pytest.skip(f"no widget control to try in {opened.path.name}: {error}")
            raise
        what = f"{action} in {opened.path.name}"
        assert after != before, f"nothing changed after {what}"
        if action.text is not None:
            assert not re.search(action.pattern(), before["text"]), f"{what}: shown before"
        if action.shows is not None:
            assert action.shown_text() not in before["text"], f"{what}: shown before"
        assert action.satisfied(before, after), (
            f"{what}: shows {after['text'][:400]!r} with "
            f"{[m['paths'] for m in after['maps']]} map shapes")


def test_browser_network_is_cut(lab_pages: dict[str, Any]) -> None:
    """The offline page reaches the JupyterLab server and nothing else."""
    page = lab_pages["offline"].context.new_page()
    try:
        with pytest.raises(Exception, match="ERR_PROXY_CONNECTION_FAILED"):
            page.goto("http://192.0.2.1/", timeout=10_000)
    finally:
        page.close()


def test_kernel_network_guard(lab_pages: dict[str, Any]) -> None:
    """A kernel of the test server cannot connect outside loopback or look a name up."""
    page = lab_pages["offline"]
    lab.open_notebook(page, PROBE)
    try:
        result = lab.wait_run_all(page)
    finally:
        lab.close_notebook(page)
    (cell,) = result.code_cells
    text = "".join("".join(o["text"]) for o in cell["outputs"] if o.get("name") == "stdout")
    assert "guard loaded: True" in text
    assert "blocked: 192.0.2.1 NetworkBlockedError" in text
    assert "blocked: example.org NetworkBlockedError" in text
    assert "reached" not in text
    assert "loopback: connected" in text
    errors = "".join("".join(o["text"]) for o in cell["outputs"] if o.get("name") == "stderr")
    assert "network access blocked" in errors, "the guard must say so, loudly"
