"""Every lesson's offline handout, and the index, pass axe-core with no serious or critical
violation (colour contrast, links told apart by more than colour, frames with titles, a
language and a title for each page, filled table headers)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import axe
from .conftest import NOTEBOOKS, _missing

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe_script() -> Path:
    found = axe.find_axe()
    if found is None:
        _missing(axe.INSTALL_HINT)
    return found


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("handouts")
    run = subprocess.run([sys.executable, "-m", "kuril_teaching.cli", "handouts", str(out),
                          "--no-progress"], capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stderr[-2000:]
    return out


@pytest.fixture(scope="module")
def page(playwright_browser: Any) -> Iterator[Any]:
    context = playwright_browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


PAGES = [f"{p.stem}.html" for p in NOTEBOOKS] + ["index.html"]


@pytest.mark.parametrize("name", PAGES)
def test_handout_passes_axe(handouts: Path, axe_script: Path, page: Any, name: str) -> None:
    page.goto((handouts / name).as_uri())
    problems = axe.violations(page, axe_script)
    assert problems == [], "\n".join(problems)
