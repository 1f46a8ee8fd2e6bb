"""The Japan-Russia border from the first maps to 2022: periods, events, who held what, maps.

Plain functions that the history lesson and its widgets call: :func:`events` filters the
timeline by named period and kind, :func:`holders` says who held each piece of land at the
end of a year, :func:`history_map` draws that state with the treaty lines computed from the
island polygons, and :func:`timeline_explorer` / :func:`border_explorer` wrap them in
ipywidgets controls.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd
import shapely
import shapely.ops
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from . import data, geo, maps
from .display import long_date

__all__ = [
    "ALL_KINDS",
    "ALL_PERIODS",
    "FEATURES",
    "KEY_YEARS",
    "PERIODS",
    "STATUSES",
    "HtmlText",
    "Quote",
    "area_changed_km2",
    "area_to_japan_km2",
    "article_1875_question",
    "article_1875_quiz",
    "border_caption",
    "border_explorer",
    "changes",
    "changes_key",
    "changes_quiz",
    "check_area_1875",
    "discussion_checklist",
    "discussion_feedback",
    "events",
    "events_html",
    "format_date",
    "history_map",
    "holders",
    "holders_table",
    "landings",
    "lesson_source_ids",
    "line_1855",
    "line_1875",
    "line_1905",
    "positions_side_by_side",
    "quote",
    "strait_quiz",
    "timeline_explorer",
    "treaty_lines",
    "whose_words",
    "whose_words_quiz",
]

# Named periods of the lesson: label -> (first year, last year), both included.
PERIODS: dict[str, tuple[int, int]] = {
    "Before 1855": (1600, 1854),
    "1855-1904: two treaties": (1855, 1904),
    "1905-1945: war and occupation": (1905, 1945),
    "1946-1956": (1946, 1956),
    "1957-1991": (1957, 1991),
    "1992-2023": (1992, 2023),
}
ALL_PERIODS = "All periods"
ALL_KINDS = "All kinds"

# The years whose state the border map shows, each with the timeline event behind it.
KEY_YEARS: tuple[int, ...] = (1855, 1875, 1905, 1945, 1951)
KEY_EVENTS: dict[int, tuple[str, ...]] = {
    1855: ("treaty_of_shimoda_1855",),
    1875: ("treaty_of_st_petersburg_1875",),
    1905: ("treaty_of_portsmouth_1905",),
    1945: ("yalta_agreement_1945", "soviet_entry_into_war_1945",
           "soviet_occupation_four_islands_1945"),
    1951: ("gromyko_san_francisco_1951", "san_francisco_peace_treaty_1951"),
}
# The treaty article behind each key year: (timeline event id, article label as in documents).
KEY_ARTICLES: dict[int, tuple[str, str]] = {
    1855: ("treaty_of_shimoda_1855", "Article 2"),
    1875: ("treaty_of_st_petersburg_1875", "Article 2"),
    1905: ("treaty_of_portsmouth_1905", "Article IX"),
    1945: ("yalta_agreement_1945", "para. 3"),
    1951: ("san_francisco_peace_treaty_1951", "Article 2(c)"),
}

# Who held a piece of land, and the colour key of kuril_teaching.style drawing it.
STATUSES: dict[str, str] = {
    "japan": "Held by Japan",
    "russia": "Held by Russia / the USSR",
    "undivided": "Not divided: no boundary drawn (1855 treaty)",
    "disputed": "Occupied by the USSR in 1945, held by it and then Russia; claimed by Japan",
}
_COLOUR = {"japan": "japan", "russia": "russia", "undivided": "undivided", "disputed": "disputed"}

# The land the border map colours, south-west to north-east.
FEATURES: tuple[str, ...] = (
    "hokkaido_west", "hokkaido_east", "habomai", "shikotan", "kunashiri", "etorofu", "urup",
    "kuril_north", "kamchatka_south", "sakhalin_south", "sakhalin_north",
)
FOUR_ISLANDS: tuple[str, ...] = ("etorofu", "kunashiri", "shikotan", "habomai")
FIRST_YEAR = 1855  # the first treaty boundary (Treaty of Shimoda, 7 February 1855)

# How far the computed 1855 and 1875 lines run from the narrowest point of their strait (km).
# The map polygons put Etorofu and Urup 40 km apart, Shumshu and Kamchatka about 11 km.
STRAIT_1855_KM = 45.0
STRAIT_1875_KM = 25.0
# The border map's view (min lon, min lat, max lon, max lat); land is clipped to it.
VIEW: tuple[float, float, float, float] = (140.8, 41.9, 159.5, 54.2)
_NO_OUTLINE = ("hokkaido_west", "hokkaido_east", "sakhalin_south", "sakhalin_north",
               "kamchatka_south")  # clipped land: an outline would draw the clip edges
PARALLEL_1905 = 50.0  # Treaty of Portsmouth, Art. IX: "The fiftieth degree of north latitude"

class HtmlText(str):
    """A string of HTML that a notebook shows rendered."""

    def _repr_html_(self) -> str:
        return str(self)



# --------------------------------------------------------------------------- dates and events


def format_date(iso: str) -> str:
    """An ISO date as the lessons write it: ``"1956-10-19"`` → ``"19 October 1956"``."""
    return long_date(iso)


def _kinds(kinds: str | Sequence[str] | None) -> list[str] | None:
    if kinds is None or kinds == ALL_KINDS:
        return None
    chosen = [kinds] if isinstance(kinds, str) else list(kinds)
    for kind in chosen:
        if kind not in data.TIMELINE_KINDS:
            raise ValueError(f"unknown kind {kind!r}; valid kinds: "
                             f"{', '.join(data.TIMELINE_KINDS)}")
    return chosen


def events(period: str | None = None, kinds: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Kuril events of one named period (see :data:`PERIODS`) and kinds, in date order.

    Columns: id, date (as written in the lessons), year, title, kind, summary, confidence,
    sources (source ids joined by ``", "``), note.
    """
    frame = data.timeline(topic="kuril", kinds=_kinds(kinds))
    if period is not None and period != ALL_PERIODS:
        if period not in PERIODS:
            raise ValueError(f"unknown period {period!r}; valid periods: "
                             f"{', '.join([ALL_PERIODS, *PERIODS])}")
        first, last = PERIODS[period]
        frame = frame[(frame["year"] >= first) & (frame["year"] <= last)]
    out = pd.DataFrame({
        "id": frame["id"],
        "date": frame["date"].map(format_date),
        "year": frame["year"],
        "title": frame["title"],
        "kind": frame["kind"],
        "summary": frame["summary"],
        "confidence": frame["confidence"],
        "sources": frame["source_ids"].map(", ".join),
        "note": frame["note"],
    })
    return out.reset_index(drop=True)


def events_html(frame: pd.DataFrame, notes: bool = False) -> HtmlText:
    """An HTML table of :func:`events` rows (date, title, summary, confidence, sources)."""
    if frame.empty:
        return HtmlText("<p><i>No events match this choice.</i></p>")
    e = html.escape
    head = ["Date", "Event", "What happened", "Confidence", "Sources"] + (["Note"] if notes else [])
    rows = []
    for row in frame.itertuples():
        cells = [e(row.date), f"<b>{e(row.title)}</b><br><small>{e(row.kind)}</small>",
                 e(row.summary), e(row.confidence), f"<small>{e(row.sources)}</small>"]
        if notes:
            cells.append(f"<small>{e(row.note)}</small>")
        rows.append("<tr>" + "".join(f'<td style="text-align:left;vertical-align:top">{c}</td>'
                                     for c in cells) + "</tr>")
    header = "".join(f'<th style="text-align:left">{h}</th>' for h in head)
    return HtmlText(f'<table style="font-size:13px;border-collapse:collapse"><thead><tr>'
                    f"{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _explorer_summary(period: str, kind: str) -> str:
    frame = events(period, kind)
    what = "event" if len(frame) == 1 else "events"
    return (f"<p><b>{len(frame)} {what}</b> · {html.escape(period)} · "
            f"{html.escape(kind)}</p>" + events_html(frame))


def timeline_explorer() -> Any:
    """A widget: choose a period and a kind of event, see the matching events as a table."""
    import ipywidgets as w

    kinds = [k for k in data.TIMELINE_KINDS if k in set(data.timeline(topic="kuril")["kind"])]
    period = w.Dropdown(options=[ALL_PERIODS, *PERIODS], value=ALL_PERIODS,
                        description="Period", layout=w.Layout(width="340px"))
    kind = w.Dropdown(options=[ALL_KINDS, *kinds], value=ALL_KINDS, description="Kind")
    table = w.HTML(value=_explorer_summary(period.value, kind.value))

    def redraw(_change: Any = None) -> None:
        table.value = _explorer_summary(period.value, kind.value)

    period.observe(redraw, names="value")
    kind.observe(redraw, names="value")
    box = w.VBox([w.HBox([period, kind]), table])
    box.period, box.kind, box.table = period, kind, table  # for tests and notebooks
    return box


# --------------------------------------------------------------------------- who held what


def _check_year(year: int) -> int:
    last = int(data.timeline()["year"].max())
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= last:
        raise ValueError(f"year {year!r} is out of range; valid years: {FIRST_YEAR}..{last} "
                         "(the first treaty boundary dates from 1855)")
    return year


def holders(year: int) -> dict[str, str]:
    """Who held each feature of :data:`FEATURES` at the end of ``year`` (a :data:`STATUSES` key).

    1855 Shimoda: boundary between Etorofu and Urup, Sakhalin undivided; 1875 St Petersburg:
    all Kurils to Japan, Sakhalin to Russia; 1905 Portsmouth: Sakhalin south of 50° N to
    Japan; 1945: Soviet occupation (the four islands held by the USSR, later Russia, and
    claimed by Japan).
    """
    _check_year(year)
    held = {"hokkaido_west": "japan", "hokkaido_east": "japan", "kamchatka_south": "russia"}
    if year < 1875:
        held.update(dict.fromkeys(FOUR_ISLANDS, "japan"))
        held.update(urup="russia", kuril_north="russia", sakhalin_south="undivided",
                    sakhalin_north="undivided")
    elif year < 1945:
        held.update(dict.fromkeys((*FOUR_ISLANDS, "urup", "kuril_north"), "japan"))
        held.update(sakhalin_south="japan" if year >= 1905 else "russia",
                    sakhalin_north="russia")
    else:
        held.update(dict.fromkeys(FOUR_ISLANDS, "disputed"))
        held.update(urup="russia", kuril_north="russia", sakhalin_south="russia",
                    sakhalin_north="russia")
    return {k: held[k] for k in FEATURES}


def _names(feature_id: str) -> tuple[str, str, str]:
    table = data.islands_table().set_index("id")
    if feature_id in table.index:
        row = table.loc[feature_id]
        return str(row["name_en"]), str(row["name_ja"]), str(row["name_ru"])
    props = data.geo_features()[feature_id]["properties"]
    return str(props["name_en"]), str(props.get("name_ja", "")), str(props.get("name_ru", ""))


def _name(feature_id: str) -> str:
    en, ja, ru = _names(feature_id)
    return f"{en} ({ja} / {ru})"


def holders_table(year: int) -> pd.DataFrame:
    """Who held each piece of land at the end of ``year``: the text alternative of the map."""
    held = holders(year)
    names = [_names(k) for k in held]
    return pd.DataFrame({"land": [n[0] for n in names], "Japanese": [n[1] for n in names],
                         "Russian": [n[2] for n in names],
                         f"end of {year}": [STATUSES[v] for v in held.values()]})


def _short_name(feature_id: str) -> str:
    table = data.islands_table().set_index("id")
    if feature_id in table.index:
        return str(table.loc[feature_id, "name_en"])
    return str(data.geo_features()[feature_id]["properties"]["name_en"])


def changes(year: int) -> pd.DataFrame:
    """The features whose holder changed during ``year``: feature, name, before, after.

    For 1855, the first treaty boundary, every feature is listed with ``before`` empty.
    """
    after = holders(year)
    before = holders(year - 1) if year > FIRST_YEAR else dict.fromkeys(FEATURES, "")
    rows = [{"feature": k, "name": _name(k), "before": before[k], "after": after[k]}
            for k in FEATURES if before[k] != after[k]]
    return pd.DataFrame(rows, columns=["feature", "name", "before", "after"])


def area_changed_km2(year: int) -> float:
    """Land area (km², of the map polygons) of the features that changed holder in ``year``."""
    ids = list(changes(year)["feature"])
    if not ids:
        return 0.0
    return geo.area_km2(shapely.union_all([geo.geometry(i) for i in ids]))


def landings() -> pd.DataFrame:
    """The four islands with the date of the Soviet landing in 1945 and their 1945 population."""
    table = data.islands_table().set_index("id")
    rows = []
    for ident in FOUR_ISLANDS:
        row = table.loc[ident]
        rows.append({"Island": f"{row['name_en']} ({row['name_ja']} / {row['name_ru']})",
                     "Soviet landing": format_date(row["soviet_landing_date"]),
                     "Japanese residents, 15 August 1945": row["population_1945"],
                     "Source of the residents figure": ", ".join(
                         row["population_1945_source_ids"])})
    frame = pd.DataFrame(rows)
    order = [table.loc[i, "soviet_landing_date"] for i in FOUR_ISLANDS]
    return frame.iloc[sorted(range(len(order)), key=lambda i: order[i])].reset_index(drop=True)


# --------------------------------------------------------------------------- computed lines


def _strait_line(side_a: str, side_b: str, radius_km: float) -> BaseGeometry:
    """The median line of two features, kept within ``radius_km`` of their narrowest gap."""
    a, b = geo.geometry(side_a), geo.geometry(side_b)
    pa, pb = shapely.ops.nearest_points(a, b)
    centre = ((pa.x + pb.x) / 2, (pa.y + pb.y) / 2)
    disc = geo.project(shapely.Point(centre), centre, "dist").buffer(radius_km * 1e3)
    line = geo.median_line(side_a, side_b, within_km=radius_km * 2)
    return line.intersection(geo.unproject(disc, centre, "dist"))


@lru_cache(maxsize=1)
def line_1855() -> BaseGeometry:
    """The 1855 boundary between Etorofu and Urup: their median line across the strait.

    Schematic: the treaty names the islands on each side, not a line.
    """
    return _strait_line("etorofu", "urup", STRAIT_1855_KM)


@lru_cache(maxsize=1)
def line_1875() -> BaseGeometry:
    """The 1875 boundary in the strait between Shumshu and Cape Lopatka (median line).

    Schematic: the treaty says only that the boundary "shall pass through the Strait".
    """
    return _strait_line("kuril_north", "kamchatka_south", STRAIT_1875_KM)


@lru_cache(maxsize=1)
def line_1905() -> BaseGeometry:
    """The 50th parallel where it crosses Sakhalin (Treaty of Portsmouth, Art. IX)."""
    island = shapely.union(geo.geometry("sakhalin_south"), geo.geometry("sakhalin_north"))
    minx, _, maxx, _ = island.bounds
    across = LineString([(minx - 1, PARALLEL_1905), (maxx + 1, PARALLEL_1905)])
    on_land = across.intersection(island.buffer(1e-6))
    if on_land.is_empty:
        raise ValueError("the 50th parallel does not cross the Sakhalin polygons")
    lo, _, hi, _ = on_land.bounds
    pad = 0.05
    return LineString([(lo - pad, PARALLEL_1905), (hi + pad, PARALLEL_1905)])


def treaty_lines(year: int) -> list[tuple[BaseGeometry, str]]:
    """The computed boundary lines drawn for ``year``, each with its label."""
    _check_year(year)
    out = []
    if year < 1875:
        out.append((line_1855(), "1855 boundary between Etorofu and Urup (computed median "
                                 "line, schematic)"))
    elif year < 1945:
        out.append((line_1875(), "1875 boundary in the strait between Shumshu and Kamchatka "
                                 "(computed median line, schematic)"))
        if year >= 1905:
            out.append((line_1905(), "1905 boundary on Sakhalin: the 50th parallel north"))
    else:
        out.append((line_1855(), "The 1855 line (schematic): the four islands Japan claims "
                                 "lie south of it"))
    return out


# --------------------------------------------------------------------------- maps


def _simplified(geom: BaseGeometry, feature_id: str) -> BaseGeometry:
    tolerance = 0.002 if feature_id in FOUR_ISLANDS else 0.01
    clipped = geom.intersection(shapely.box(*VIEW))
    return clipped.simplify(tolerance, preserve_topology=True)


def _popup(feature_id: str, status: str, year: int) -> str:
    e = html.escape
    lines = [f"<b>{e(_name(feature_id))}</b>", f"End of {year}: {e(STATUSES[status])}"]
    table = data.islands_table().set_index("id")
    if year >= 1945 and feature_id in table.index and table.loc[feature_id, "soviet_landing_date"]:
        when = format_date(table.loc[feature_id, "soviet_landing_date"])
        lines.append(f"Soviet landing: {e(when)}")
    return "<br>".join(lines)


def history_map(year: int, height: int = 560) -> maps.OfflineMap:
    """Map of who held what at the end of ``year``, with the treaty lines of that time."""
    held = holders(year)
    shapes = {k: geo.geometry(k) for k in held}
    fmap = maps.base_map(VIEW, height=height)
    for ident, status in held.items():
        maps.add_land(fmap, _simplified(shapes[ident], ident), _COLOUR[status],
                      f"{_name(ident)}: {STATUSES[status]}", _popup(ident, status, year),
                      weight=0 if ident in _NO_OUTLINE else 0.8)
    for line, label in treaty_lines(year):
        maps.add_line(fmap, line, label, dashed=True, weight=3)
    title = _key_title(year)
    maps.add_title(fmap, f"Who held what at the end of {year}", title)
    legend = {_COLOUR[s]: STATUSES[s] for s in STATUSES if s in held.values()}
    legend["line"] = "Treaty line of the time (computed, schematic)" if year < 1945 else \
        "The 1855 line (schematic)"
    maps.add_legend(fmap, legend)
    return fmap


def _event(event_id: str) -> pd.Series:
    frame = data.timeline().set_index("id")
    data._choice("event id", event_id, frame.index)
    return frame.loc[event_id]


def _key_year(year: int) -> int:
    earlier = [y for y in KEY_YEARS if y <= year]
    if not earlier:
        raise ValueError(f"year {year!r} is before the first key year; valid years: "
                         f"{', '.join(map(str, KEY_YEARS))}")
    return earlier[-1]


def _key_title(year: int) -> str:
    row = _event(KEY_EVENTS[_key_year(year)][-1])
    title, year_signed = str(row["title"]), str(row["date"])[:4]
    return title if year_signed in title else f"{title} ({format_date(row['date'])})"


def _document(event_id: str, article: str) -> pd.Series | None:
    docs = data.documents()
    docs = docs[(docs["event_id"] == event_id) & (docs["language"] == "en")]
    exact = docs[docs["article"].astype(str).str.startswith(article)]
    if exact.empty:
        return None
    return exact.iloc[0]


def border_caption(year: int) -> HtmlText:
    """HTML caption for a key year: the events, what changed, and the treaty article behind it.

    It is also the map's text alternative: a table of the changes in holder.
    """
    if year not in KEY_YEARS:
        raise ValueError(f"unknown key year {year!r}; valid key years: "
                         f"{', '.join(map(str, KEY_YEARS))}")
    e = html.escape
    parts = [f"<h4 style='margin:4px 0'>{year}</h4>"]
    for ident in KEY_EVENTS[year]:
        row = _event(ident)
        parts.append(f"<p><b>{e(format_date(row['date']))}: {e(str(row['title']))}</b>. "
                     f"{e(str(row['summary']))} <small>(sources: {e(', '.join(row['source_ids']))};"
                     f" {e(str(row['confidence']))} confidence)</small></p>")
    changed = changes(year)
    if changed.empty:
        parts.append("<p><b>What changed on the map:</b> nothing: who held what was the same "
                     f"at the end of {year - 1}. What changed was on paper.</p>")
    else:
        cells = "".join(
            f"<tr><td>{e(_short_name(r.feature))}</td>"
            f"<td>{e(STATUSES.get(r.before, 'no treaty boundary'))}</td>"
            f"<td>{e(STATUSES[r.after])}</td></tr>" for r in changed.itertuples())
        parts.append("<p><b>What changed on the map</b> (at the end of the year):</p>"
                     "<table style='font-size:13px'><tr><th>Land</th><th>Before</th>"
                     f"<th>After</th></tr>{cells}</table>")
    if year == 1945:
        rows = "".join(f"<tr><td>{e(island)}</td><td>{e(day)}</td></tr>" for island, day in
                       landings()[["Island", "Soviet landing"]].itertuples(index=False))
        parts.append("<p><b>Soviet landings on the four islands:</b></p><table style="
                     f"'font-size:13px'><tr><th>Island</th><th>Landing</th></tr>{rows}</table>")
    event_id, article = KEY_ARTICLES[year]
    doc = _document(event_id, article)
    if doc is not None:
        parts.append(f"<p><b>The text behind it:</b> {e(str(doc['title']))}, "
                     f"{e(str(doc['article']))} (quoted in full in the lesson; translation: "
                     f"{e(str(doc['translation']))}).</p>")
    return HtmlText("".join(parts))


def _map_html(year: int) -> str:
    return history_map(year)._repr_html_()


def border_explorer() -> Any:
    """A widget: a slider over :data:`KEY_YEARS` that redraws the map and the caption."""
    import ipywidgets as w

    year = w.SelectionSlider(options=list(KEY_YEARS), value=KEY_YEARS[0], description="Year",
                             continuous_update=False, layout=w.Layout(width="420px"))
    fmap = w.HTML(value=_map_html(year.value), layout=w.Layout(width="100%"))
    caption = w.HTML(value=border_caption(year.value))

    def redraw(_change: Any = None) -> None:
        fmap.value = _map_html(year.value)
        caption.value = border_caption(year.value)

    year.observe(redraw, names="value")
    box = w.VBox([year, fmap, caption])
    box.year, box.map, box.caption = year, fmap, caption  # for tests and notebooks
    return box


# --------------------------------------------------------------------------- primary texts


@dataclass(frozen=True)
class Quote:
    """One excerpt of a primary text with where its wording comes from."""

    id: str
    title: str
    article: str
    language: str
    text: str
    translation: str
    sources: tuple[str, ...]
    confidence: str
    note: str

    def _repr_html_(self) -> str:
        e = html.escape
        note = f"<br><small>Note: {e(self.note)}</small>" if self.note else ""
        return (f"<div style='border-left:4px solid #888;padding:4px 10px;margin:6px 0'>"
                f"<b>{e(self.title)}</b>{' — ' + e(self.article) if self.article else ''}"
                f"<blockquote style='margin:6px 0 6px 10px;font-style:italic'>{e(self.text)}"
                f"</blockquote><small>Language: {e(self.language)} · Translation: "
                f"{e(self.translation)} · Sources: {e(', '.join(self.sources))} · "
                f"{e(self.confidence)} confidence</small>{note}</div>")

    def __str__(self) -> str:
        return f"{self.title}, {self.article}: \"{self.text}\" (translation: {self.translation})"


def quote(document_id: str) -> Quote:
    """The excerpt ``document_id`` of ``documents.yaml``, exactly as stored, ready to show."""
    docs = data.documents().set_index("id", drop=False)
    data._choice("document id", document_id, docs.index)
    row = docs.loc[document_id]
    return Quote(str(row["id"]), str(row["title"]), str(row["article"]), str(row["language"]),
                 str(row["text"]).strip(), str(row["translation"]), tuple(row["source_ids"]),
                 str(row["confidence"]), str(row["note"] or ""))


def positions_side_by_side(ids: Sequence[str]) -> HtmlText:
    """An HTML table: the chosen rows of ``positions.csv``, Japan's beside Russia's."""
    table = data.positions().set_index("id", drop=False)
    for ident in ids:
        data._choice("position id", ident, table.index)
    e = html.escape
    cols = {}
    for government in data.GOVERNMENTS:
        cells = []
        for ident in ids:
            row = table.loc[ident]
            if row["government"] != government:
                continue
            said = f"<br><i>“{e(str(row['quote']))}”</i>" if row["quote"] else ""
            cells.append(f"<p><b>{e(format_date(str(row['date'])))}, {e(str(row['speaker']))}"
                         f"</b>: {e(str(row['statement']))}{said}<br><small>sources: "
                         f"{e(', '.join(row['source_ids']))}; {e(str(row['confidence']))} "
                         "confidence</small></p>")
        cols[government] = "".join(cells) or "<p><i>none chosen</i></p>"
    return HtmlText("<table style='font-size:13px;border-collapse:collapse'><tr>"
            "<th style='text-align:left;width:50%'>Japan's government holds that…</th>"
            "<th style='text-align:left;width:50%'>Russia's government holds that…</th></tr>"
            f"<tr><td style='vertical-align:top;text-align:left'>{cols['japan']}</td>"
            f"<td style='vertical-align:top;text-align:left'>{cols['russia']}</td></tr></table>")



# --------------------------------------------------------------------------- exercises


def strait_quiz() -> Any:
    """Exercise widget: measure the gap between Etorofu and Urup (the 1855 strait)."""
    from . import quiz

    expected = round(geo.distance_km("etorofu", "urup"), 1)
    return quiz.number_quiz(
        "Shortest distance between Etorofu and Urup, in km (map polygons):", expected,
        tolerance=0.05, unit="km",
        hint="Measure it with kt.distance_km('etorofu', 'urup'): the gap between the two "
             "nearest points of the coasts, not between the islands' centres.")


ARTICLE_1875_DOCUMENT = "st_petersburg_1875_art2_en"
_ARTICLE_1875_OPTIONS = {
    "Etorofu": "Not in the list. Under Article 2 of the 1855 treaty Etorofu already belonged "
               "to Japan, so Russia had nothing to cede there.",
    "Kunashiri": "Not in the list. Kunashiri lies south-west of Etorofu and was Japanese under the "
                 "1855 treaty, so Russia had nothing to cede there.",
    "Shikotan": "Not in the list. Shikotan lies south of the 1855 line and was not Russia's "
                "to cede in 1875.",
    "Uruppu": "Right: '18) Uruppu' closes the list. The eighteen islands run from Shumushu, "
              "next to Kamchatka, south to Uruppu (Urup); no island south of Urup is named.",
}


def article_1875_question() -> Any:
    """Exercise question on the exact words of Article 2 of the 1875 treaty."""
    from . import quiz

    text = quote(ARTICLE_1875_DOCUMENT).text
    named = [name for name in _ARTICLE_1875_OPTIONS if name in text]
    if len(named) != 1:
        raise ValueError(f"expected exactly one of {', '.join(_ARTICLE_1875_OPTIONS)} in "
                         f"{ARTICLE_1875_DOCUMENT}; found {named}")
    return quiz.Question(
        "Which of these islands does Article 2 of the 1875 treaty name as one of the "
        "eighteen 'Kurile Islands'?", list(_ARTICLE_1875_OPTIONS), named[0],
        why=_ARTICLE_1875_OPTIONS)


def article_1875_quiz() -> Any:
    """Exercise widget for :func:`article_1875_question`."""
    from . import quiz

    return quiz.choice_quiz(article_1875_question())


CHANGED, UNCHANGED = "changed hands", "did not change"


def changes_key(year: int) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """For a sorting exercise on ``year``: (items, key, reasons), one item per feature."""
    before, after = holders(year - 1), holders(year)
    items, key, reasons = {}, {}, {}
    for ident in FEATURES:
        if ident.startswith("hokkaido") or ident == "kamchatka_south":
            continue
        label = _short_name(ident)
        items[label] = _name(ident)
        key[label] = CHANGED if before[ident] != after[ident] else UNCHANGED
        reasons[label] = (f"end of {year - 1}: {STATUSES[before[ident]].lower()}; end of "
                          f"{year}: {STATUSES[after[ident]].lower()}")
    return items, key, reasons


def changes_quiz(year: int = 1875) -> Any:
    """Exercise widget: sort the land by whether it changed hands in ``year``."""
    from . import quiz

    items, key, reasons = changes_key(year)
    return quiz.sorting_quiz(items, [CHANGED, UNCHANGED], key, reasons)


def area_to_japan_km2(year: int = 1875) -> float:
    """Land area (km², map polygons) of the features that passed to Japan in ``year``."""
    table = changes(year)
    ids = list(table.loc[table["after"] == "japan", "feature"])
    if not ids:
        return 0.0
    return geo.area_km2(shapely.union_all([geo.geometry(i) for i in ids]))


def check_area_1875(value: float | None) -> Any:
    """Self-check: the land area (km²) that passed to Japan under the 1875 treaty."""
    from . import quiz

    return quiz.check_number(
        value, round(area_to_japan_km2(1875), 0), tolerance=0.03, unit="km²",
        hint="Add up Urup and the Kuril Islands north of it: "
             "kt.area_km2(kt.geometry('urup')) + kt.area_km2(kt.geometry('kuril_north')).")


# Exact words from the data, to sort by whose position they express.
WHOSE_WORDS: dict[str, tuple[str, str]] = {
    "A": ("position", "jp_mofa_neutrality_pact_violation"),
    "B": ("position", "ru_2018_islands_passed_legally"),
    "C": ("document", "yalta_1945_para3_en"),
    "D": ("position", "ru_2019_sovereignty_not_discussed"),
    "E": ("position", "jp_mofa_illegal_occupation"),
    "F": ("document", "sf_1951_art2c_en"),
}
WHOSE_CATEGORIES = ("Japan's government", "Russia's government",
                    "Neither: the text of an agreement")


def whose_words() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The sorting exercise on :data:`WHOSE_WORDS`: (items, key, reasons) from the data."""
    table = data.positions().set_index("id")
    items, key, reasons = {}, {}, {}
    for label, (kind, ident) in WHOSE_WORDS.items():
        if kind == "position":
            row = table.loc[ident]
            items[label] = f"“{row['quote']}”"
            key[label] = WHOSE_CATEGORIES[0 if row["government"] == "japan" else 1]
            reasons[label] = (f"{row['speaker']} ({row['office']}), "
                              f"{format_date(str(row['date']))}")
        else:
            doc = quote(ident)
            items[label] = f"“{doc.text}”"
            key[label] = WHOSE_CATEGORIES[2]
            reasons[label] = (f"{doc.title}, {doc.article}: the words of the agreement itself, "
                              "not one government's reading of them")
    return items, key, reasons


def whose_words_quiz() -> Any:
    """Exercise widget: sort exact quotations by whose position they express."""
    from . import quiz

    items, key, reasons = whose_words()
    return quiz.sorting_quiz(items, list(WHOSE_CATEGORIES), key, reasons)


DISCUSSION_CHECKLIST = (
    "I quoted the exact words of at least one treaty text from this lesson.",
    "I stated Japan's reading and Russia's reading, each in that government's own terms.",
    "I pointed out where a text is silent (a term it does not define, a recipient it does "
    "not name, a party that did not sign).",
    "I said which extra evidence would help me weigh the two readings.",
    "I kept my own view separate from what each government holds.",
)


def discussion_feedback(ticked: Sequence[bool]) -> Any:
    """Self-check for the open discussion: how many points of the checklist an answer covers."""
    from . import quiz

    if len(ticked) != len(DISCUSSION_CHECKLIST):
        raise ValueError(f"expected {len(DISCUSSION_CHECKLIST)} ticks, got {len(ticked)}")
    done = sum(bool(t) for t in ticked)
    missing = [item for item, t in zip(DISCUSSION_CHECKLIST, ticked, strict=True) if not t]
    if not missing:
        return quiz.Feedback(True, "Your answer covers every point. There is no single right "
                                   "answer: compare yours with a classmate's.")
    return quiz.Feedback(False, f"{done} of {len(DISCUSSION_CHECKLIST)} points covered. Still "
                                f"to do: {missing[0]}")


def discussion_checklist() -> Any:
    """Self-check widget for the open discussion: tick what your answer does."""
    import ipywidgets as w

    boxes = [w.Checkbox(value=False, description=item, indent=False,
                        layout=w.Layout(width="auto")) for item in DISCUSSION_CHECKLIST]
    out = w.HTML(value=discussion_feedback([False] * len(boxes))._repr_html_())

    def update(_change: Any = None) -> None:
        out.value = discussion_feedback([b.value for b in boxes])._repr_html_()

    for box in boxes:
        box.observe(update, names="value")
    widget = w.VBox([*boxes, out])
    widget.checkboxes, widget.feedback = boxes, out
    return widget


# Rows of the data this lesson quotes or states in its prose (the explorer shows the rest).
LESSON_EVENTS: tuple[str, ...] = (
    "shoho_map_1644", "russian_exploration_1711_1713", "mogami_tokunai_survey_1785_1786",
    "mulovsky_instruction_1787", "kondo_juzo_marker_1798", "treaty_of_shimoda_1855",
    "treaty_of_st_petersburg_1875", "treaty_of_portsmouth_1905", "yalta_agreement_1945",
    "soviet_entry_into_war_1945", "soviet_occupation_four_islands_1945",
    "us_state_dept_view_1949", "gromyko_san_francisco_1951", "san_francisco_peace_treaty_1951",
    "russia_suspends_peace_talks_2022",
)
LESSON_DOCUMENTS: tuple[str, ...] = (
    "shimoda_1855_art2_en", "st_petersburg_1875_art2_en", "portsmouth_1905_art9_en",
    "yalta_1945_para3_en", "sf_1951_art2c_en",
)
LESSON_POSITIONS: tuple[str, ...] = (
    "jp_2006_yalta_not_binding", "ru_2011_sovereignty_lawful",
    "jp_sf_kuriles_exclude_four_islands", "ru_2019_un_charter_article_107",
    *(ident for kind, ident in WHOSE_WORDS.values() if kind == "position"),
)


def lesson_source_ids() -> list[str]:
    """Source ids of every event, text, position and island figure the history lesson uses."""
    timeline = data.timeline().set_index("id")
    documents = data.documents().set_index("id")
    positions = data.positions().set_index("id")
    islands = data.islands_table().set_index("id")
    ids: list[str] = []
    for ident in LESSON_EVENTS:
        ids += timeline.loc[ident, "source_ids"]
    later = events(kinds=["declaration", "statement"])
    for ident in later.loc[later["year"] > 1951, "id"]:
        ids += timeline.loc[ident, "source_ids"]
    for ident in LESSON_DOCUMENTS:
        ids += documents.loc[ident, "source_ids"]
    for ident in LESSON_POSITIONS:
        ids += positions.loc[ident, "source_ids"]
    for ident in FOUR_ISLANDS:
        ids += islands.loc[ident, "population_1945_source_ids"]
    ids += data.figures().set_index("id").loc["four_island_area_total", "source_ids"]
    return list(dict.fromkeys(ids))
