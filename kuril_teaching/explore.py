"""The first lesson: island facts, each government's position, an island explorer, two self-checks.

Every sentence it shows comes from ``data/lessons/00_start_here.yaml``.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from . import content, data, exercises, geo, maps, records

__all__ = [
    "exercise",
    "explorer_islands",
    "island_card",
    "island_explorer",
    "island_facts",
    "key_events",
    "official_positions",
    "sources_used",
]

LESSON = "00_start_here"
# Which figures the facts table and the cards show, by the island table's source columns.
_FIGURE_SOURCES = ("area_official_source_ids", "area_russian_source_ids", "population_source_ids",
                   "population_1945_source_ids")
_POSITION_COLUMNS = {"government": "government", "date": "date", "speaker": "speaker",
                     "statement": "statement", "source_ids": "sources"}


def _lesson() -> content.Lesson:
    return content.lesson(LESSON)


def key_events() -> list[str]:
    """Ids of the dated events the first page shows."""
    return list(_lesson().get("records.events"))


def explorer_islands() -> list[str]:
    """The islands the explorer offers: the four, then the named Habomai islets."""
    table = data.islands_table()
    chosen = table[(table["group"] == "disputed") & (table["feature_type"] != "islets")]
    return list(chosen["id"])


def island_facts() -> pd.DataFrame:
    """One row per disputed island (the Habomai islets as one group): names, areas, people.

    The text alternative to the island map; headers from the lesson's content file.
    """
    headers = _lesson().get("tables.facts")
    index_name = headers.pop("ids")
    frame = geo.islands(group="disputed").set_index("id").loc[list(records.FOUR_ISLANDS), list(headers)]
    frame.index.name = index_name
    return frame.rename(columns=headers)


def official_positions() -> pd.DataFrame:
    """Each government's core position, two statements each, with date, speaker and sources."""
    headers = _lesson().get("tables.positions")
    governments = _lesson().get("tables.governments")
    ids = _lesson().get("records.positions")
    frame = pd.DataFrame(records.rows("positions", ids)).set_index("id")
    frame = frame[list(_POSITION_COLUMNS)]
    frame["government"] = [governments[g] for g in frame["government"]]
    frame.index.name = headers["ids"]
    return frame.rename(columns={c: headers[k] for c, k in _POSITION_COLUMNS.items()})


# --------------------------------------------------------------------------- the island explorer


def island_card(island: str) -> str:
    """An HTML card with one island's names, area, population, sources, confidence and note."""
    ident = records.resolve(island, explorer_islands())
    row = geo.islands(group="disputed").set_index("id", drop=False).loc[ident].to_dict()
    level = str(row.get("population_confidence") or row.get("confidence") or "")
    parts = [maps.popup_html(row)]
    if level and level != "high":
        said = _lesson().text("explorer.card_confidence", level=content.text(f"display.levels.{level}"))
        parts.append(f"<i>{html.escape(said)}</i>")
    if row.get("note"):
        parts.append(f"<small>{html.escape(str(row['note']))}</small>")
    return "<div style='max-width:640px'>" + "<br>".join(parts) + "</div>"


def island_explorer(start: str = "shikotan") -> Any:
    """A dropdown of the islands; choosing one highlights it on the map and shows its card.

    Handles: ``box.picker`` (the dropdown), ``box.card`` and ``box.map_output`` (HTML).
    """
    import ipywidgets as w

    ids = explorer_islands()
    labels = _lesson()
    picker = w.Dropdown(options=[(records.name(i, "full"), i) for i in ids],
                        value=records.resolve(start, ids), description=labels.text("explorer.picker"),
                        layout=w.Layout(width="520px"))
    card, shown = w.HTML(), w.HTML()

    def update(ident: str) -> None:
        card.value = island_card(ident)
        fmap = maps.island_map(highlight=[ident], title=labels.text("explorer.map_title"), height=380)
        shown.value = fmap._repr_html_()

    picker.observe(lambda change: update(change["new"]), names="value")
    update(picker.value)
    box = w.VBox([picker, card, shown])
    box.picker, box.card, box.map_output = picker, card, shown
    return box


# --------------------------------------------------------------------------- exercises


def _nearest_island() -> exercises.Choice:
    """Which island lies nearest Hokkaido; the feedback gives distances on the map polygons."""
    lesson = _lesson()
    far = {i: geo.distance_km(i, "hokkaido_east") for i in records.FOUR_ISLANDS}
    nearest = min(far, key=far.__getitem__)
    options = []
    for ident in records.FOUR_ISLANDS:
        if ident == nearest:
            why = lesson.text("nearest_island_feedback.nearest", km=f"{far[ident]:.1f}")
        else:
            why = lesson.text("nearest_island_feedback.farther", km=f"{far[ident]:.1f}",
                              nearest=records.name(nearest), nearest_km=f"{far[nearest]:.1f}")
        options.append({"text": records.name(ident), "why": why})
    return lesson.exercise("nearest_island", options=options, answer=records.name(nearest))


def _etorofu_share() -> exercises.Numeric:
    """Etorofu's share (%) of the four islands' land area, from the official figures."""
    share = 100 * geo.share_of_disputed_area(["etorofu"], basis="official")
    return _lesson().exercise("etorofu_share", expected=share)


_EXERCISES = {"nearest_island": _nearest_island, "etorofu_share": _etorofu_share}


def exercise(ident: str) -> exercises.Choice | exercises.Numeric:
    """The lesson's exercise ``ident`` (``"nearest_island"`` or ``"etorofu_share"``)."""
    data._choice("exercise", ident, _EXERCISES)
    return _EXERCISES[ident]()


# --------------------------------------------------------------------------- sources


def sources_used() -> list[str]:
    """Source ids behind what the lesson shows: events, positions, the figures of every island
    in the explorer and the official total area, in that order, each once."""
    lesson = _lesson()
    found = [*records.sources_of("timeline", lesson.get("records.events")),
             *records.sources_of("positions", lesson.get("records.positions")),
             *records.sources_of("islands", explorer_islands(), _FIGURE_SOURCES),
             *records.sources_of("figures", lesson.get("records.figures"))]
    return list(dict.fromkeys(found))
