"""The first lesson's explorer: a fact card per island and a picker that redraws the map."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from . import data, geo, maps
from .quiz import Question

__all__ = [
    "etorofu_share_percent",
    "island_card",
    "island_explorer",
    "island_facts",
    "nearest_question",
    "official_positions",
]

# The position statements the first lesson sets side by side (ids in data/positions.csv).
OFFICIAL_POSITIONS = {
    "japan": ["jp_mofa_illegal_occupation", "jp_mofa_basic_policy"],
    "russia": ["ru_2018_islands_passed_legally", "ru_2019_sovereignty_not_discussed"],
}

_FACT_COLUMNS = {
    "name_en": "Island",
    "name_ja": "Japanese",
    "name_ru": "Russian",
    "area_km2_official": "Area, km² (Japanese government)",
    "area_km2_russian": "Area, km² (Russian sources)",
    "area_km2_computed": "Area, km² (map polygon)",
    "population": "Population",
    "population_year": "Year",
    "population_1945": "Japanese residents, 15 Aug 1945",
    "soviet_landing_date": "Soviet landing, 1945",
}


def island_facts() -> pd.DataFrame:
    """One row per disputed island (the Habomai islets as one group): names, areas, people.

    The text alternative to the island map.
    """
    table = geo.islands(group="disputed")
    table = table[table["id"].isin(geo.DISPUTED_ISLANDS)].set_index("id")
    table = table.loc[list(geo.DISPUTED_ISLANDS), list(_FACT_COLUMNS)]
    return table.rename(columns=_FACT_COLUMNS)


def _choices() -> list[tuple[str, str]]:
    table = data.islands_table()
    table = table[table["group"] == "disputed"]
    return [(f"{r.name_en} ({r.name_ja} / {r.name_ru})", r.id) for r in table.itertuples()]


def island_card(island: str) -> str:
    """An HTML card with one island's names, area, population and sources."""
    ident = data.resolve_island(island, [v for _, v in _choices()])
    row = geo.islands(group="disputed").set_index("id", drop=False).loc[ident].to_dict()
    note = str(row.get("note") or "")
    confidence = str(row.get("population_confidence") or row.get("confidence") or "")
    parts = [maps.popup_html(row)]
    if confidence and confidence != "high":
        parts.append(f"<i>Confidence of these figures: {html.escape(confidence)}.</i>")
    if note:
        parts.append(f"<small>{html.escape(note)}</small>")
    return "<div style='max-width:640px'>" + "<br>".join(parts) + "</div>"


def island_explorer(start: str = "shikotan") -> Any:
    """A dropdown of the islands; choosing one highlights it on the map and shows its card."""
    import ipywidgets as w

    picker = w.Dropdown(options=_choices(), value=data.resolve_island(start),
                        description="Island:", layout=w.Layout(width="520px"))
    card = w.HTML()
    shown = w.HTML()

    def update(ident: str) -> None:
        card.value = island_card(ident)
        fmap = maps.island_map(highlight=[ident], title="Where is it?", height=380)
        shown.value = fmap._repr_html_()

    picker.observe(lambda change: update(change["new"]), names="value")
    update(picker.value)
    box = w.VBox([picker, card, shown])
    box.picker, box.card, box.map_output = picker, card, shown
    return box


def nearest_question() -> Question:
    """Which disputed island lies nearest Hokkaido? Explanations use distances on the map polygons."""
    far = {i: geo.distance_km(i, "hokkaido_east") for i in geo.DISPUTED_ISLANDS}
    names = {r.id: r.name_en for r in data.islands_table().itertuples()}
    options = [names[i] for i in geo.DISPUTED_ISLANDS]
    nearest = min(far, key=far.__getitem__)
    why = {
        names[i]: (f"Yes: on the map its nearest islet is {far[i]:.1f} km from Hokkaido's coast, "
                   "closer than any other island." if i == nearest else
                   f"Not the nearest: it is {far[i]:.1f} km from Hokkaido at its closest point, "
                   f"farther than {names[nearest]} ({far[nearest]:.1f} km).")
        for i in geo.DISPUTED_ISLANDS
    }
    return Question("Which of the four disputed islands lies nearest to Hokkaido?", options,
                    names[nearest], why)


def etorofu_share_percent() -> float:
    """Etorofu's share of the four islands' land area, in %, from the official figures."""
    return 100 * geo.share_of_disputed_area(["etorofu"], basis="official")


def official_positions() -> pd.DataFrame:
    """Each government's core position, two statements each, with date, speaker and sources."""
    table = data.positions().set_index("id")
    ids = [i for side in OFFICIAL_POSITIONS.values() for i in side]
    return table.loc[ids, ["government", "date", "speaker", "statement", "source_ids"]]
