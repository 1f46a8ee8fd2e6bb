"""One real interaction per notebook, done in the browser as a student would do it.

:data:`INTERACTIONS` maps a notebook's file stem to what to do and what must follow.
A notebook without an entry gets :data:`GENERIC`: change the first control (radio
buttons, dropdown, toggle buttons, slider, number box or checkbox) shown in it, press the button
next to it if there is one (a quiz's "Check"), and expect the cell's output to change.
"""

from __future__ import annotations

import functools
import html
import importlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CONTROLS = {
    "radio": ".widget-radio-box input[type=radio]",
    "dropdown": ".widget-dropdown select",
    "toggle": ".widget-toggle-buttons button.widget-toggle-button",
    "slider": ".widget-slider .noUi-handle",
    "number": ".widget-text input[type=number]",
    "checkbox": ".widget-checkbox input[type=checkbox]",
}


@dataclass(frozen=True)
class Interaction:
    """What a student does in one cell's widget and what the cell shows afterwards.

    ``cell``: text of the cell's source that picks the cell (``None``: the first cell
    with a control). ``control``: a key of :data:`CONTROLS` (``None``: the first control
    of any kind). ``choose``: the option label or number to set, or a function giving it
    (``None``: any other value). ``press``: the label of a button to click afterwards
    (``None``: the first button beside the control, if any; ``""``: none). ``text``: a
    regular expression the cell's output text (maps aside) must match afterwards and not
    before (``None``: the output must change somehow). ``shows``: a function giving the
    HTML the library would show for this choice; its text must appear in the cell
    afterwards and not before. ``map_changes``: a map in the cell must be redrawn with
    other content. ``paths``: how many Leaflet paths the cell's maps draw afterwards.
    ``nth``: which matching control in the cell, from 0.
    """

    cell: str | None = None
    control: str | None = None
    choose: str | Callable[[], str] | None = None
    press: str | None = None
    text: str | Callable[[], str] | None = None
    shows: Callable[[], str] | None = None
    map_changes: bool = False
    paths: int | None = None
    nth: int = 0

    def value(self) -> str | None:
        """The option label or number to set."""
        return self.choose() if callable(self.choose) else self.choose

    def pattern(self) -> str:
        """The regular expression of :attr:`text` (empty if none is given)."""
        return (self.text() if callable(self.text) else self.text) or ""

    def shown_text(self) -> str:
        """The text of what :attr:`shows` gives (empty if nothing is given)."""
        return "" if self.shows is None else _text_of(self.shows)

    def satisfied(self, before: dict[str, Any], after: dict[str, Any]) -> bool:
        """Whether ``after`` shows what this interaction should lead to."""
        if after == before or any(m["paths"] <= 0 for m in after["maps"]):
            return False
        if self.text is not None and not re.search(self.pattern(), after["text"]):
            return False
        if self.shows is not None and self.shown_text() not in after["text"]:
            return False
        if self.map_changes and _srcdocs(after) == _srcdocs(before):
            return False
        return self.paths is None or sum(m["paths"] for m in after["maps"]) == self.paths


def as_text(markup: str) -> str:
    """The text a browser shows for ``markup`` (tags dropped, spaces collapsed)."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", markup))).strip()


@functools.cache
def _text_of(make: Callable[[], str]) -> str:
    return as_text(make())


def _srcdocs(view: dict[str, Any]) -> list[str]:
    """The maps' pages without folium's element ids, which change at every redraw."""
    return [re.sub(r"_[0-9a-f]{32}", "_<id>", m["srcdoc"]) for m in view["maps"]]


GENERIC = Interaction()

CORRECT = "✔ Correct"


def _module(name: str) -> Callable[[], Any]:
    """A function importing ``kuril_teaching.<name>`` when an interaction first needs it."""
    return lambda: importlib.import_module(f"kuril_teaching.{name}")


_explore = _module("explore")
_declaration = _module("declaration")
_preconditions = _module("preconditions")
_history = _module("history")
_chinese_model = _module("chinese_model")
_scenarios = _module("scenarios")
_news = _module("news")


def _distance(a: str, b: str) -> float:
    from kuril_teaching import distance_km

    return round(float(distance_km(a, b)), 1)


def _first_sorted() -> tuple[str, str]:
    """The first statement of the sorting exercise and its right category."""
    key = _preconditions().exercise("whose_position").key
    first = next(iter(key))
    return first, key[first]


def _first_sorted_feedback() -> str:
    """The feedback shown when only the first statement is sorted (rightly)."""
    from kuril_teaching import check

    first, category = _first_sorted()
    return check(_preconditions().exercise("whose_position"), {first: category})._repr_html_()


def _two_island_share() -> float:
    """Shikotan and Habomai's share (%) of the four islands' land, official figures."""
    return float(_declaration().selection(["shikotan", "habomai"])["share_official_pct"])


def _two_islands_and(extra: str) -> list[str]:
    d = _declaration()
    return [i for i in d.FOUR_ISLANDS if i in {extra, *d.TWO_ISLANDS}]


INTERACTIONS: dict[str, list[Interaction]] = {
    "00_start_here": [
        # Choose Etorofu: its card replaces Shikotan's and the map is redrawn.
        Interaction(cell="island_explorer", control="dropdown", choose="Etorofu",
                    shows=lambda: _explore().island_card("etorofu"), map_changes=True),
        Interaction(cell='exercise("nearest_island")', control="radio",
                    choose=lambda: _explore().exercise("nearest_island").answer, text=CORRECT),
        Interaction(cell='exercise("etorofu_share")', control="number",
                    choose=lambda: f"{_explore().exercise('etorofu_share').expected:.2f}",
                    text=CORRECT),
    ],
    "01_history": [
        # Press the next year's button: the caption and the map follow the year.
        Interaction(cell="border_explorer", control="toggle",
                    choose=lambda: str(_history().KEY_YEARS[1]),
                    shows=lambda: _history().border_caption(_history().KEY_YEARS[1]),
                    map_changes=True),
        Interaction(cell="strait_quiz", control="number",
                    choose=lambda: f"{_distance('etorofu', 'urup'):.1f}", text=CORRECT),
    ],
    "01_history_1905_2023": [
        # Tick the first point of Exercise 5's checklist: the count of points covered follows.
        Interaction(cell='exercise("discussion")', control="checkbox", press="",
                    text=lambda: re.escape(f"1 of {len(_history().exercise('discussion').checklist)} "
                                           "points covered")),
    ],
    "02_joint_declaration_1956": [
        Interaction(cell="translation_explorer", control="dropdown",
                    choose=lambda: _declaration().translation_options()[1][0],
                    shows=lambda: _declaration().translation_card(
                        _declaration().translation_options()[1][1])),
        Interaction(cell="timing_question", control="radio",
                    choose=lambda: _declaration().exercise("timing_question").answer,
                    text=CORRECT),
        # Tick Etorofu beside Shikotan and Habomai: the area and share follow.
        Interaction(cell="share_explorer", control="checkbox", choose="Etorofu",
                    shows=lambda: _declaration().selection_html(_two_islands_and("etorofu"))),
        Interaction(cell="share_quiz", control="number",
                    choose=lambda: f"{_two_island_share():.2f}", text=CORRECT),
    ],
    "03_lavrov_preconditions": [
        Interaction(cell='exercise("lavrov")', control="radio",
                    choose=lambda: _preconditions().exercise("lavrov").answer, text=CORRECT),
        Interaction(cell="side_by_side_explorer", control="dropdown", choose="all topics",
                    shows=lambda: _preconditions().side_by_side(None).text),
        # Sort the first statement right and press Check: one done, the rest still to sort.
        Interaction(cell='exercise("whose_position")', control="dropdown",
                    choose=lambda: _first_sorted()[1], shows=_first_sorted_feedback),
        Interaction(cell='exercise("follow_russia_premise")', control="radio",
                    choose=lambda: _preconditions().exercise("follow_russia_premise").answer,
                    text=CORRECT),
        Interaction(cell='exercise("map_views")', control="radio",
                    choose=lambda: _preconditions().exercise("map_views").answer, text=CORRECT),
    ],
    "04_chinese_model": [
        Interaction(cell="halves_question", control="radio",
                    choose=lambda: _chinese_model().exercise("halves_question").answer,
                    text=CORRECT),
    ],
    "05_scenarios_lab": [
        # Pick the 1956 terms: the figures and the map switch from the status quo.
        Interaction(cell="scenario_explorer", control="dropdown", choose="The 1956 terms",
                    map_changes=True),
        Interaction(cell='exercise("sea_question")', control="radio",
                    choose=lambda: _scenarios().exercise("sea_question").answer, text=CORRECT),
    ],
    "06_reading_the_news": [
        # A verdict alone is not enough: the checker asks for the evidence row too.
        Interaction(cell="claim_checker", control="radio", nth=0, press="Check",
                    text=r"Choose an evidence row first"),
        Interaction(cell="trail_questions()[0]", control="radio",
                    choose=lambda: _news().trail_questions()[0].answer, text=CORRECT),
    ],
}


def for_notebook(stem: str) -> list[Interaction]:
    """The interactions to try in notebook ``stem`` (the generic one if none is listed)."""
    return INTERACTIONS.get(stem, [GENERIC])


# Marks the target control and returns its kind and its cell; the control is the first
# one (in page order) in the chosen cell, or in the whole notebook.
_FIND_JS = """
([cellIndex, selectors, nth]) => {
  const panel = window.jupyterapp.shell.currentWidget;
  document.querySelectorAll('[data-kt-target]').forEach(n => n.removeAttribute('data-kt-target'));
  const cells = cellIndex === null ? panel.content.widgets : [panel.content.widgets[cellIndex]];
  for (const cell of cells) {
    const found = Array.from(cell.node.querySelectorAll(Object.values(selectors).join(',')));
    if (found.length > nth) {
      const node = found[nth];
      node.setAttribute('data-kt-target', '1');
      const kind = Object.keys(selectors).find(k => node.matches(selectors[k]));
      let box = node.closest('.jupyter-widgets');
      let button = null;
      while (box && cell.node.contains(box) && !button) {
        button = box.querySelector('button.jupyter-button:not(.widget-toggle-button)');
        box = box.parentElement && box.parentElement.closest('.widget-container');
      }
      if (button) button.setAttribute('data-kt-target', 'button');
      return {cell: panel.content.widgets.indexOf(cell), kind, button: !!button};
    }
  }
  return null;
}
"""

# What a cell shows: its output text without the controls' own state, and its maps.
_SHOWN_JS = """
(cellIndex) => {
  const cell = window.jupyterapp.shell.currentWidget.content.widgets[cellIndex];
  const area = cell.node.querySelector('.jp-Cell-outputWrapper');
  const copy = area.cloneNode(true);
  copy.querySelectorAll('select, input, iframe, .widget-readout, .jp-OutputArea-prompt')
      .forEach(n => n.remove());
  const maps = Array.from(area.querySelectorAll('iframe')).map(f => {
    const doc = f.contentDocument;
    return {srcdoc: f.getAttribute('srcdoc') || '',
            paths: doc ? doc.querySelectorAll('path.leaflet-interactive').length : -1};
  });
  return {text: copy.textContent.replace(/\\s+/g, ' ').trim(), maps};
}
"""


def cell_index(state: dict[str, Any], text: str) -> int:
    """Index of the first cell whose source contains ``text``."""
    for cell in state["cells"]:
        if cell["type"] == "code" and text in cell["source"]:
            return cell["index"]
    raise LookupError(f"no code cell contains {text!r}")


def shown(page: Any, index: int) -> dict[str, Any]:
    """The text and maps a cell shows now."""
    return page.evaluate(_SHOWN_JS, index)


def _set_control(page: Any, cell: int, kind: str, choose: str | None) -> None:
    target = page.locator("[data-kt-target='1']")
    target.scroll_into_view_if_needed()
    if kind == "radio":
        group = target.locator("xpath=ancestor::div[contains(@class,'widget-radio-box')][1]")
        if choose is not None:
            labels = [t.strip() for t in group.locator("label").all_inner_texts()]
            found = [i for i, t in enumerate(labels) if t == choose] or [
                i for i, t in enumerate(labels) if choose in t]
            if not found:
                raise LookupError(f"no option {choose!r} in {labels}")
            options = group.locator("input[type=radio]").nth(found[0])
        else:
            options = group.locator("input[type=radio]:not(:checked)")
        options.first.check()
    elif kind == "dropdown":
        if choose is not None:
            labels = _labels(target.locator("option"))
            found = [i for i, t in enumerate(labels) if t == choose] or [
                i for i, t in enumerate(labels) if choose in t]
            if not found:
                raise LookupError(f"no option {choose!r} in {labels}")
            target.select_option(index=found[0])
        else:
            current = target.evaluate("s => s.selectedIndex")
            count = target.locator("option").count()
            target.select_option(index=(current + 1) % count)
    elif kind == "toggle":
        group = target.locator("xpath=ancestor::div[contains(@class,'widget-toggle-buttons')][1]")
        if choose is not None:
            group.locator("button", has_text=choose).first.click()
        else:
            group.locator("button:not(.mod-active)").first.click()
    elif kind == "slider":
        target.focus()
        if choose is not None:
            _slide_to(page, target, choose)
        else:
            target.press("ArrowRight")
    elif kind == "checkbox":
        if choose is not None:
            boxes = page.locator(f"#{_cell_id(page, cell)} .widget-checkbox")
            target = boxes.filter(has_text=choose).first.locator("input")
        target.click()
    elif kind == "number":
        target.fill(choose if choose is not None else "1")
        target.press("Enter")
    else:
        raise ValueError(f"unknown control kind {kind!r}")


def _labels(options: Any) -> list[str]:
    """The options' texts as written (ipywidgets shows spaces as no-break spaces)."""
    return [" ".join(t.replace("\xa0", " ").split()) for t in options.all_inner_texts()]


def _slide_to(page: Any, handle: Any, label: str, steps: int = 200) -> None:
    """Press arrow keys until the slider's readout shows ``label``."""
    slider = handle.locator("xpath=ancestor::div[contains(@class,'widget-slider')][1]")
    readout = slider.locator(".widget-readout")
    for key in ("Home", "End"):
        handle.press(key)
        for _ in range(steps):
            if readout.inner_text().strip() == label:
                return
            handle.press("ArrowRight" if key == "Home" else "ArrowLeft")
    raise LookupError(f"the slider has no value {label!r}")


def perform(page: Any, state: dict[str, Any], action: Interaction,
            timeout: float = 30) -> tuple[dict[str, Any], dict[str, Any]]:
    """Do ``action`` and wait for the cell's output to change; (before, after)."""
    index = None if action.cell is None else cell_index(state, action.cell)
    selectors = CONTROLS if action.control is None else {action.control: CONTROLS[action.control]}
    target = page.evaluate(_FIND_JS, [index, selectors, action.nth])
    if target is None:
        raise LookupError(f"no {action.control or 'widget control'} found"
                          + (f" in the cell with {action.cell!r}" if action.cell else ""))
    before = shown(page, target["cell"])
    _set_control(page, target["cell"], target["kind"], action.value())
    if action.press:
        page.locator(f"#{_cell_id(page, target['cell'])} button.jupyter-button",
                     has_text=action.press).first.click()
    elif action.press is None and target["button"]:
        page.locator("[data-kt-target='button']").click()
    deadline = time.monotonic() + timeout
    after = shown(page, target["cell"])
    while not action.satisfied(before, after) and time.monotonic() < deadline:
        time.sleep(0.1)
        after = shown(page, target["cell"])
    return before, after


def _cell_id(page: Any, index: int) -> str:
    """Give the cell's node an id the page locator can use."""
    return page.evaluate(
        "(i) => { const n = window.jupyterapp.shell.currentWidget.content.widgets[i].node;"
        " n.id = n.id || 'kt-cell-' + i; return n.id; }", index)
