"""Every lesson notebook: its structure as committed, and what it shows when executed."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import nbformat
import pytest
from conftest import LESSONS, assert_offline_map, assert_ran_cleanly, code_outputs, execute_notebook

from kuril_teaching import content

WIDGET = "application/vnd.jupyter.widget-view+json"
WITHOUT_MAP = {"07_final_task"}  # the final task works with sources, not maps
REQUIRED_SECTIONS = ("overview", "before you start", "key points", "sources")


def _markdown(nb: nbformat.NotebookNode) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_there_are_lessons() -> None:
    assert [p.name for p in LESSONS][:1] == ["00_start_here.ipynb"]


def test_committed_clean(lesson: Path) -> None:
    raw = json.loads(lesson.read_text(encoding="utf-8"))
    assert raw["metadata"]["kernelspec"]["name"] == "python3"
    for cell in raw["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, "outputs not stripped"
    assert "widgets" not in raw["metadata"]


def test_structure(lesson: Path) -> None:
    nb = nbformat.read(lesson, as_version=4)
    text = _markdown(nb)
    h1 = re.findall(r"^# \S", text, flags=re.M)
    assert len(h1) == 1, f"expected one H1 title, found {len(h1)}"
    headings = [h.lower() for h in re.findall(r"^#{2,3} (.+)$", text, flags=re.M)]
    for section in REQUIRED_SECTIONS:
        assert any(section in h for h in headings), f"no '{section}' section"
    assert re.search(r"learning objectives", text, flags=re.I)
    assert re.search(r"\b\d+\s*(?:-|–|to)?\s*\d*\s*minutes\b", text), "no time estimate"
    exercises = [h for h in headings if h.startswith("exercise")]
    assert exercises, "no exercise section"
    lesson = content.lesson(lesson.stem)
    teacher = lesson.raw.get("teacher", [])  # the answers, for the teacher edition only
    assert len(teacher) >= len(exercises), "each exercise needs its answer in the content file"
    for cell in nb.cells:
        if cell.cell_type == "code":
            lines = [ln for ln in cell.source.splitlines() if ln.strip()]
            assert len(lines) <= 12, f"code cell too long:\n{cell.source}"
            assert "kuril_teaching._" not in cell.source, "notebooks use the public API only"
    for cell in teacher:
        lines = [ln for ln in cell["source"].splitlines() if ln.strip()]
        assert cell["cell_type"] == "markdown" or len(lines) <= 25, f"teacher cell too long: {cell['id']}"


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_executes_cleanly(path: Path) -> None:
    assert_ran_cleanly(execute_notebook(path))


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_shows_offline_map_and_widget(path: Path) -> None:
    nb = execute_notebook(path)
    htmls = [o["data"]["text/html"] for o in code_outputs(nb)
             if o["output_type"] in ("display_data", "execute_result") and "text/html" in o["data"]]
    maps = [h for h in htmls if "L.map(" in html.unescape(h)]
    assert maps or path.stem in WITHOUT_MAP, "no map shown"
    for page in maps:
        assert_offline_map(page)
    widgets = [o for o in code_outputs(nb) if WIDGET in o.get("data", {})]
    assert widgets, "no widget shown"


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_tables_show_no_internal_forms(path: Path) -> None:
    """What a lesson shows reads as text: no NaN, no Python tuples, no cut-off cells, no
    numeric row index, no processing labels of the geodata."""
    nb = execute_notebook(path)
    shown = [html.unescape(o["data"]["text/html"]) for o in code_outputs(nb)
             if o["output_type"] in ("display_data", "execute_result")
             and "text/html" in o["data"] and "L.map(" not in html.unescape(o["data"]["text/html"])]
    for page in shown:
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", page, flags=re.S)
        for cell in cells:
            text = cell.strip()
            assert text not in ("NaN", "nan", "<NA>", "None"), f"missing value shown as {text!r}"
            assert not re.match(r"^\('.*'\)?,?$", text), f"a tuple is shown: {text[:80]}"
            assert not text.endswith("..."), f"a cell is cut short: {text[-80:]}"
        assert "(clipped)" not in page and "切り抜き" not in page and "обрезано" not in page
        index = re.findall(r"<tbody>\s*<tr>\s*<th>(\d+)</th>", page)
        assert not index, "a numeric row index is shown"


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_every_map_is_followed_by_its_text_alternative(path: Path) -> None:
    """A map shown by a cell is followed by the same facts in words: the next code cell shows
    a table (a paragraph may introduce it), or a paragraph before it begins "In words"."""
    nb = execute_notebook(path)
    cells = nb.cells
    for n, cell in enumerate(cells):
        shown = [html.unescape(o["data"]["text/html"]) for o in cell.get("outputs", [])
                 if "text/html" in o.get("data", {})]
        if cell.cell_type != "code" or not any("L.map(" in page for page in shown):
            continue
        found = False
        for following in cells[n + 1:]:
            if following.cell_type == "markdown":
                if following.source.startswith("In words"):
                    found = True
                    break
                continue
            found = any("<table" in o.get("data", {}).get("text/html", "")
                        for o in following.get("outputs", []))
            break
        assert found, f"the map of code cell {n} is not followed by its text alternative"
