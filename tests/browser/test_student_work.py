"""A student's own work in JupyterLab, typed as a student types it: a code answer to each
lesson's "Try it in code" task gets its verdict, and a written answer survives saving,
closing and reopening the notebook."""

from __future__ import annotations

import shutil
import time
from typing import Any

import nbformat
import pytest

from kuril_teaching import editions, exercises

from . import interactions, lab
from .conftest import NOTEBOOKS

pytestmark = pytest.mark.browser

ANSWER = "Japan's government says the islands are its inherent territory; Russia's says they are Russian."


def _type_into(page: Any, index: int, text: str, markdown: bool = False) -> None:
    """Click into the cell's editor, select everything, type ``text``, run the cell."""
    node = f"#{interactions._cell_id(page, index)}"
    page.locator(node).scroll_into_view_if_needed()
    if markdown:
        page.locator(node).dblclick()
    editor = page.locator(f"{node} .cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)
    page.keyboard.press("Shift+Enter")


def _wait_for(page: Any, index: int, wanted: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    shown = ""
    while time.monotonic() < deadline:
        shown = interactions.shown(page, index)["text"]
        if wanted in shown:
            return shown
        time.sleep(0.2)
    raise AssertionError(f"cell {index} never showed {wanted!r}; it shows {shown[:400]!r}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_a_typed_code_answer_gets_its_verdict(lab_pages: dict[str, Any], path: Any) -> None:
    page = lab_pages["online"]
    nb = nbformat.read(path, as_version=4)
    ident, (task, check) = next(iter(editions.task_cells(nb).items()))
    solution = exercises.find_task(ident).solution
    lab.open_notebook(page, path.name)
    try:
        # Work down the lesson to the check, as a student does: the blank is not an answer.
        page.evaluate("(i) => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = i; }",
                      check + 1)
        page.evaluate("async () => { await window.jupyterapp.commands.execute("
                      "'notebook:run-all-above'); }")
        _wait_for(page, check, "Not answered yet", timeout=120)
        _type_into(page, task, solution)  # runs the task cell and moves to the check
        page.keyboard.press("Shift+Enter")
        shown = _wait_for(page, check, "Correct")
        assert "Not yet" not in shown
    finally:
        lab.close_notebook(page)


def test_a_written_answer_survives_save_and_reopen(lab_pages: dict[str, Any], lab_server: Any) -> None:
    page = lab_pages["online"]
    name = "my_copy_of_00.ipynb"
    shutil.copy2(NOTEBOOKS[0], lab_server.root / name)
    nb = nbformat.read(lab_server.root / name, as_version=4)
    index = next(n for n, c in enumerate(nb.cells) if editions.ANSWER_TAG in c.metadata.get("tags", []))
    lab.open_notebook(page, name)
    try:
        _type_into(page, index, ANSWER, markdown=True)
        page.keyboard.press("Control+s")
        deadline = time.monotonic() + 30
        while ANSWER not in (lab_server.root / name).read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "the answer was not saved"
            time.sleep(0.2)
    finally:
        lab.close_notebook(page)
    lab.open_notebook(page, name)  # reopen, as the student does next lesson
    try:
        cells = lab.page_state(page)["cells"]
        assert ANSWER in cells[index]["source"]
    finally:
        lab.close_notebook(page)
    saved = nbformat.read(lab_server.root / name, as_version=4).cells[index]
    assert saved.source == ANSWER and editions.ANSWER_TAG in saved.metadata["tags"]
