"""The Japanese and Russian lessons in JupyterLab in Chromium, started as a teacher starts them
(``kuril-teaching lab --lang ja|ru``): JupyterLab's own menus in the language, every lesson
run with Run All, its maps drawn, its widgets shown and labelled in the language, its content
free of serious axe-core violations, and lesson 00 kept as a screenshot for each language.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from . import axe, lab
from .conftest import NOTEBOOKS, _context, _missing, _note_outside, artifacts_dir

pytestmark = pytest.mark.browser

CODES = ("ja", "ru")
SCRIPT = {"ja": re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]"), "ru": re.compile(r"[\u0400-\u04ff]")}
# JupyterLab's own "File" menu, as its language packs name it.
FILE_MENU = {"ja": "ファイル", "ru": "Файл"}
RUNS = [(code, path) for code in CODES for path in NOTEBOOKS]
WITHOUT_MAP = {"07_final_task"}


@pytest.fixture(scope="module", params=CODES)
def lab_in(request: pytest.FixtureRequest, chromium: str,
           playwright_browser: Any) -> Iterator[tuple[str, Any]]:
    """JupyterLab started with ``kuril-teaching lab --lang CODE``, and a page open on it."""
    code = request.param
    home = Path(tempfile.mkdtemp(prefix=f"kuril-lab-{code}-"))
    server = None
    context = None
    try:
        server = lab.start_lab(home, [], port=lab.free_port(), language=code)
        context = _context(playwright_browser, offline=False)
        page = context.new_page()
        page.outside = []  # requests that leave loopback
        context.on("request", lambda r: _note_outside(r.url, page.outside))
        lab.open_lab(page, server)
        yield code, page
    finally:
        if context is not None:
            context.close()
        if server is not None:
            server.stop()
        shutil.rmtree(home, ignore_errors=True)
    # Stopping the command stops JupyterLab too: nothing answers on its port any more.
    assert server is not None and not _answers(server.url), "JupyterLab outlived kuril-teaching lab"


def _answers(url: str, wait: float = 20) -> bool:
    """Whether a server still answers at ``url`` after up to ``wait`` seconds."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "api/status", timeout=1).close()
        except urllib.error.HTTPError:  # it answered (without a token, with a refusal)
            pass
        except OSError:  # nothing listens any more
            return False
        time.sleep(0.3)
    return True


@dataclass
class Opened:
    code: str
    path: Path
    page: Any
    result: lab.RunResult
    state: dict[str, Any]


def _open(code: str, page: Any, path: Path) -> Opened:
    lab.open_notebook(page, f"{code}/{path.name}")
    result = lab.wait_run_all(page)
    state = lab.wait_widgets(page)
    return Opened(code, path, page, result, state)


def test_jupyterlab_itself_speaks_the_language(lab_in: tuple[str, Any]) -> None:
    """The command set JupyterLab's interface language: its menu bar is translated."""
    code, page = lab_in
    menus = page.locator("#jp-menu-panel, .lm-MenuBar-content").first.inner_text(timeout=30_000)
    assert FILE_MENU[code] in menus, menus[:200]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_each_lesson_runs_in_the_language(lab_in: tuple[str, Any], path: Path) -> None:
    code, page = lab_in
    opened = _open(code, page, path)
    try:
        assert not opened.result.errors(), "\n".join(opened.result.errors())
        counts = [c["count"] for c in opened.result.code_cells]
        assert counts == list(range(1, len(counts) + 1)), f"execution counts {counts}"
        assert not lab.widget_problems(opened.state), lab.widget_problems(opened.state)
        maps = [m for m in opened.state["maps"] if m["isMap"]]
        if path.stem not in WITHOUT_MAP:
            assert maps, "no map in the notebook"
            for shown in maps:
                assert shown["leaflet"] and shown["paths"] == lab.expected_paths(shown["srcdoc"])
                assert f'documentElement.lang = "{code}"' in shown["srcdoc"].replace("&quot;", '"')
        outputs = " ".join(page.locator(".jp-OutputArea-output").all_inner_texts())
        prose = " ".join(page.locator(".jp-MarkdownOutput").all_inner_texts())
        for shown_text in (outputs, prose):
            assert len(SCRIPT[code].findall(shown_text)) > 200, shown_text[:300]
        widgets = " ".join(page.locator(".jp-OutputArea-output .widget-label, "
                                        ".jp-OutputArea-output button").all_inner_texts())
        if re.search(r"[^\W\d_]", widgets):  # labels with words (some are blank spacers)
            assert SCRIPT[code].search(widgets), f"widget labels not in {code}: {widgets[:200]}"
        script = axe.find_axe()
        if script is None:
            _missing(axe.INSTALL_HINT)
        problems = axe.violations(page, script, include=[".jp-MarkdownOutput", ".jp-OutputArea-output"])
        assert problems == [], "\n".join(problems)
        if path.stem == "00_start_here":
            shot = artifacts_dir() / "screenshots" / f"00_start_here.{code}.png"
            lab.screenshot_notebook(page, shot)
            assert shot.stat().st_size > 10_000
        assert not page.outside, f"requests outside loopback: {page.outside[:5]}"
    finally:
        lab.close_notebook(page)
