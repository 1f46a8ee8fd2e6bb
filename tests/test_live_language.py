"""``kt.set_language`` redraws, in place, a map and a widget shown with ``kt.live``: run in a
real kernel, where the redraw arrives as an update of the earlier cell's output."""

from __future__ import annotations

import html
import json
import re

import nbformat
import pytest
from nbclient import NotebookClient

import kuril_teaching as kt

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
KANA_KANJI = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _run(cells: list[str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=True).execute()
    return nb


def _legend(page: str) -> str:
    found = re.findall(r'kt-legend"\);\s*div\.innerHTML = ("(?:[^"\\]|\\.)*");', html.unescape(page))
    return " ".join(re.findall(r"<b>([^<]+)</b>", json.loads(found[0]))) if found else ""


def _widget_texts(nb: nbformat.NotebookNode, model_id: str) -> str:
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    seen, todo, texts = set(), [model_id], []
    while todo:
        ident = todo.pop()
        if ident in seen or ident not in state:
            continue
        seen.add(ident)
        model = state[ident]["state"]
        texts += [str(model.get(k, "")) for k in ("description", "value", "placeholder")]
        texts += [str(o) for o in model.get("_options_labels", [])]
        todo += [c.removeprefix("IPY_MODEL_") for c in model.get("children", [])]
    return " ".join(texts)


def test_a_live_map_and_widget_are_redrawn_in_the_new_language() -> None:
    nb = _run([
        "import kuril_teaching as kt\nkt.set_language('en')",
        "kt.live(kt.island_map)",
        "from kuril_teaching import history\nkt.live(history.timeline_explorer)",
        "kt.set_language('ru')",
    ])
    map_out = nb.cells[1].outputs
    assert len(map_out) == 1, "the map is redrawn in place, not shown twice"
    legend = _legend(map_out[0]["data"]["text/html"])
    assert CYRILLIC.search(legend), legend
    assert 'documentElement.lang = "ru"' in html.unescape(map_out[0]["data"]["text/html"])
    widget_out = nb.cells[2].outputs
    assert len(widget_out) == 1
    model = widget_out[0]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
    assert CYRILLIC.search(_widget_texts(nb, model)), _widget_texts(nb, model)[:300]


def test_switching_back_and_forth_keeps_one_output_per_view() -> None:
    nb = _run([
        "import kuril_teaching as kt\nkt.set_language('ja')",
        "kt.live(kt.island_map)",
        "kt.set_language('en')",
        "kt.set_language('ja')",
    ])
    outputs = nb.cells[1].outputs
    assert len(outputs) == 1
    assert KANA_KANJI.search(_legend(outputs[0]["data"]["text/html"]))


def test_live_needs_something_that_builds() -> None:
    with pytest.raises(ValueError, match="live\\(\\) needs a function"):
        kt.live(kt.island_map())
