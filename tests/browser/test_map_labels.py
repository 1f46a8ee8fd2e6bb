"""Permanent map labels as a reader sees them in Chromium: the main islands named at the
opening zoom, no label over another label or over the title and legend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kuril_teaching as kt
from kuril_teaching import chinese_model, history

from . import lab

pytestmark = pytest.mark.browser

_BOXES_JS = """
() => {
  const frame = document.querySelector('.leaflet-container').getBoundingClientRect();
  const rect = (n) => { const r = n.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: n.textContent}; };
  return {
    frame: rect(document.querySelector('.leaflet-container')),
    labels: Array.from(document.querySelectorAll('.kt-label[data-kt-label=shown]')).map(rect),
    hidden: Array.from(document.querySelectorAll('.kt-label[data-kt-label=hidden]')).length,
    controls: Array.from(document.querySelectorAll('.leaflet-control')).map(rect),
  };
}
"""


@pytest.fixture(scope="module")
def page(playwright_browser: Any) -> Iterator[Any]:
    context = playwright_browser.new_context(viewport={"width": 1000, "height": 600},
                                             proxy=lab.FILE_OFFLINE_PROXY)
    yield context.new_page()
    context.close()


def _overlap(a: dict, b: dict) -> bool:
    return not (a["right"] <= b["left"] or b["right"] <= a["left"] or a["bottom"] <= b["top"]
                or b["bottom"] <= a["top"])


def _shown(page: Any, fmap: Any, target: Path) -> dict:
    fmap.save(str(target))
    page.goto(target.as_uri(), wait_until="load")
    page.wait_for_selector(".kt-label", state="attached", timeout=15000)
    return page.evaluate(_BOXES_JS)


@pytest.mark.parametrize("make", [kt.island_map, lambda: history.history_map(1905),
                                  lambda: chinese_model.amur_map("before")],
                         ids=["island_map", "history_1905", "amur_before"])
def test_labels_do_not_collide(page: Any, make: Any, tmp_path: Path) -> None:
    seen = _shown(page, make(), tmp_path / "map.html")
    labels, frame = seen["labels"], seen["frame"]
    assert len(labels) >= 4
    for n, a in enumerate(labels):
        assert frame["left"] <= a["left"] and a["right"] <= frame["right"], a["text"]
        for b in labels[n + 1:]:
            assert not _overlap(a, b), f"{a['text']} overlaps {b['text']}"
        for control in seen["controls"]:
            assert not _overlap(a, control), f"{a['text']} covers a map control"


def test_the_four_islands_are_named_at_the_opening_zoom(page: Any, tmp_path: Path) -> None:
    seen = _shown(page, kt.island_map(), tmp_path / "islands.html")
    names = {label["text"] for label in seen["labels"]}
    for ident in kt.FOUR_ISLANDS:
        assert kt.name(ident) in names, f"{kt.name(ident)} is not labelled"


def test_the_amur_map_names_the_islands_and_khabarovsk(page: Any, tmp_path: Path) -> None:
    seen = _shown(page, chinese_model.amur_map("after"), tmp_path / "amur.html")
    names = {label["text"] for label in seen["labels"]}
    for name in ("Tarabarov / Yinlong", "Bolshoy Ussuriysky / Heixiazi", "Khabarovsk"):
        assert name in names, f"{name} is not labelled"


def test_the_locator_rectangle_follows_the_map(page: Any, tmp_path: Path) -> None:
    _shown(page, kt.island_map(), tmp_path / "locator.html")
    box = page.evaluate("() => { const r = document.querySelector('.kt-locator-view');"
                        " return ['x', 'y', 'width', 'height'].map(k => +r.getAttribute(k)); }")
    assert box[2] > 7 and box[3] > 7  # the map's extent, drawn in the inset
    assert page.locator("svg.kt-locator-map[role=img] title").text_content() == kt.text("maps.locator.title")


@pytest.mark.parametrize("width", [900, 1280])
@pytest.mark.parametrize("make", [kt.island_map, lambda: chinese_model.amur_map("after")],
                         ids=["island_map", "amur_after"])
def test_map_controls_do_not_overlap(playwright_browser: Any, make: Any, width: int,
                                     tmp_path: Path) -> None:
    """Title, legend, locator, scale bar and credits each keep their own place on screen."""
    context = playwright_browser.new_context(viewport={"width": width, "height": 700},
                                             proxy=lab.FILE_OFFLINE_PROXY)
    try:
        seen = _shown(context.new_page(), make(), tmp_path / "map.html")
    finally:
        context.close()
    controls = [c for c in seen["controls"] if c["right"] > c["left"] and c["bottom"] > c["top"]]
    assert len(controls) >= 4  # title, legend, scale bar, credits (and the locator)
    for n, a in enumerate(controls):
        for b in controls[n + 1:]:
            assert not _overlap(a, b), f"{a['text'][:40]!r} overlaps {b['text'][:40]!r} at {width} px"
