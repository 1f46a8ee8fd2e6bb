"""Each lesson saved as HTML with nbconvert and opened in Chromium with no network: the
maps still draw, from the Leaflet copy inlined in each map."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import execute_notebook

from . import lab
from .conftest import NOTEBOOKS, artifacts_dir

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def file_page(playwright_browser: Any) -> Iterator[Any]:
    """A page whose every http(s) request, loopback included, goes to a closed port."""
    context = playwright_browser.new_context(viewport={"width": 1280, "height": 900},
                                             proxy=lab.FILE_OFFLINE_PROXY)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_saved_html_shows_maps_offline(path: Path, file_page: Any, tmp_path: Path) -> None:
    from nbconvert import HTMLExporter

    nb = execute_notebook(path)
    body, _resources = HTMLExporter().from_notebook_node(nb)
    saved = tmp_path / f"{path.stem}.html"
    saved.write_text(body, encoding="utf-8")
    # Maps shown by a cell itself; those inside widgets need the widget manager (online).
    expected = sum("L.map(" in html.unescape(out.get("data", {}).get("text/html", ""))
                   for cell in nb.cells for out in cell.get("outputs", []))
    if path.stem == "07_final_task":  # the final task works with sources, not maps
        assert expected == 0
        return
    assert expected, "the notebook shows no map"

    from_maps: list[str] = []

    def note(request: Any) -> None:
        if request.frame != file_page.main_frame and not request.url.startswith(
                ("data:", "about:", "file:")):
            from_maps.append(request.url)

    file_page.on("request", note)
    try:
        file_page.goto(saved.as_uri(), wait_until="load")
        maps = lab.wait_page_maps(file_page)
        file_page.screenshot(path=str(artifacts_dir() / "screenshots" / f"{path.stem}.export.png"),
                             full_page=True)
    finally:
        file_page.remove_listener("request", note)
    assert len(maps) == expected, f"{len(maps)} of {expected} maps in the page"
    for n, shown in enumerate(maps, 1):
        assert shown["leaflet"], f"map {n}: Leaflet did not load"
        wanted = lab.expected_paths(shown["srcdoc"])
        assert shown["paths"] == wanted, f"map {n}: {shown['paths']} of {wanted} shapes drawn"
        assert shown["height"] > 100, f"map {n} is {shown['height']} px high"
    assert not from_maps, f"maps asked the network for {from_maps}"
