"""The Japan-Russia border from the first maps to 2022: periods, who held what, lines, maps.

The lesson's words are in ``data/lessons/01_history.yaml``; this module holds the logic.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import pandas as pd
import shapely
import shapely.ops
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from . import content, data, display, geo, maps, records
from .exercises import Exercise

__all__ = [  # also KEY_YEARS, read from the content file when first asked for
    "FEATURES", "area_to_japan_km2", "border_caption", "border_explorer", "changes", "events",
    "exercise", "history_map", "holders", "holders_table", "key_years", "landings", "line",
    "periods", "sources_used", "status_label", "timeline_explorer", "treaty_lines",
]

LESSON = "01_history"
# The land the border map colours, south-west to north-east.
FEATURES: tuple[str, ...] = (
    "hokkaido_west", "hokkaido_east", "habomai", "shikotan", "kunashiri", "etorofu", "urup",
    "kuril_north", "kamchatka_south", "sakhalin_south", "sakhalin_north",
)
FIRST_YEAR = 1855  # the first treaty boundary (Treaty of Shimoda)
# The land each side of the 1855 and 1875 straits, and how far (km) their lines run from the strait.
STRAITS = {1855: ("etorofu", "urup", 45.0), 1875: ("kuril_north", "kamchatka_south", 25.0)}
PARALLEL_1905 = 50.0  # Treaty of Portsmouth, Art. IX: "The fiftieth degree of north latitude"
VIEW = (140.8, 41.9, 159.5, 54.2)  # the border map's view (min lon, min lat, max lon, max lat)
# Land cut by a straight edge (the data's clip or a neighbour): an outline would draw the cut.
_NO_OUTLINE = ("hokkaido_west", "hokkaido_east", "sakhalin_south", "sakhalin_north", "kamchatka_south")


def _lesson() -> content.Lesson:
    return content.lesson(LESSON)


def key_years() -> tuple[int, ...]:
    """The years the border explorer stops at (also ``KEY_YEARS``)."""
    return tuple(entry["year"] for entry in _lesson().get("key_years"))


def __getattr__(name: str) -> Any:
    if name == "KEY_YEARS":
        return key_years()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def periods() -> dict[str, tuple[int, int]]:
    """The lesson's named periods: label -> (first year, last year), both included."""
    return {p["label"]: (p["first"], p["last"]) for p in _lesson().get("periods")}


def _all(what: str) -> str:
    return _lesson().text(f"explorer.all_{what}")


def events(period: str | None = None, kinds: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Kuril rows of the timeline in one named period (see :func:`periods`) and of some kinds."""
    frame = data.timeline(topic="kuril", kinds=None if kinds == _all("kinds") else kinds)
    if period is not None and period != _all("periods"):
        first, last = periods()[data._choice("period", period, [_all("periods"), *periods()])]
        frame = frame[frame["year"].between(first, last)]
    return frame.reset_index(drop=True)


def timeline_explorer() -> Any:
    """A widget: choose a period and a kind of event, see the matching events as a table."""
    import ipywidgets as w

    kinds = [k for k in data.TIMELINE_KINDS if k in set(events()["kind"])]
    period = w.Dropdown(options=[_all("periods"), *periods()], value=_all("periods"),
                        description=_lesson().text("explorer.period"), layout=w.Layout(width="340px"))
    kind = w.Dropdown(options=[_all("kinds"), *kinds], value=_all("kinds"),
                      description=_lesson().text("explorer.kind"))
    table = w.HTML()

    def redraw(_change: Any = None) -> None:
        frame, e = events(period.value, kind.value), html.escape
        count = _lesson().text(f"explorer.count_{'one' if len(frame) == 1 else 'other'}", count=len(frame))
        table.value = (f"<p><b>{e(count)}</b> · {e(period.value)} · {e(kind.value)}</p>"
                       + display.events(frame).text)

    redraw()
    period.observe(redraw, names="value")
    kind.observe(redraw, names="value")
    box = w.VBox([w.HBox([period, kind]), table])
    box.period, box.kind, box.table = period, kind, table  # for tests and notebooks
    return box


def holders(year: int) -> dict[str, str]:
    """Who held each of :data:`FEATURES` at the end of ``year``: japan, russia, undivided or
    disputed. 1855 Shimoda: border between Etorofu and Urup, Sakhalin undivided; 1875 St
    Petersburg: the Kurils to Japan, Sakhalin to Russia; 1905 Portsmouth: Sakhalin south of
    50° N to Japan; 1945: Soviet occupation (the four islands held, and claimed by Japan)."""
    last = int(data.timeline()["year"].max())
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= last:
        raise ValueError(f"year {year!r} is out of range; valid years: {FIRST_YEAR}..{last} "
                         "(the first treaty boundary dates from 1855)")
    kurils = "japan" if 1875 <= year < 1945 else "russia"
    north = "undivided" if year < 1875 else "russia"
    south = "japan" if 1905 <= year < 1945 else north
    return {"hokkaido_west": "japan", "hokkaido_east": "japan",
            **dict.fromkeys(records.FROM_HOKKAIDO, "japan" if year < 1945 else "disputed"),
            "urup": kurils, "kuril_north": kurils, "kamchatka_south": "russia",
            "sakhalin_south": south, "sakhalin_north": north}


def status_label(status: str, year: int) -> str:
    """How the lesson words a holder at the end of ``year`` (the USSR only from 1922 to 1991)."""
    labels = _lesson().get("statuses")
    label = labels[data._choice("holder", status, labels)]
    return label if isinstance(label, str) else next(str(x["label"]) for x in label if _within(x, year))


def _within(entry: dict[str, Any], year: int) -> bool:
    """Whether ``year`` lies in an entry's years (``first`` and ``last`` included, either open)."""
    return bool(entry.get("first", year) <= year <= entry.get("last", year))


def holders_table(year: int) -> pd.DataFrame:
    """Who held each piece of land at the end of ``year``: the text alternative of the map."""
    L, held = _lesson(), holders(year)
    return pd.DataFrame({
        L.text("holders_table.land"): [records.name(k, "en") for k in held],
        L.text("holders_table.japanese"): [records.name(k, "ja") for k in held],
        L.text("holders_table.russian"): [records.name(k, "ru") for k in held],
        L.text("holders_table.status", year=year): [status_label(v, year) for v in held.values()]})


def changes(year: int) -> pd.DataFrame:
    """The features whose holder changed during ``year``: feature, name, before, after
    (for 1855, the first treaty boundary, every feature, with ``before`` empty)."""
    after = holders(year)
    before = holders(year - 1) if year > FIRST_YEAR else dict.fromkeys(FEATURES, "")
    rows = [{"feature": k, "name": records.name(k, "full"), "before": before[k], "after": after[k]}
            for k in FEATURES if before[k] != after[k]]
    return pd.DataFrame(rows, columns=["feature", "name", "before", "after"])


def area_to_japan_km2(year: int = 1875) -> float:
    """Land area (km², map polygons) of the features that passed to Japan in ``year``."""
    table = changes(year)
    ids = list(table.loc[table["after"] == "japan", "feature"])
    return geo.area_km2(shapely.union_all([geo.geometry(i) for i in ids])) if ids else 0.0


def landings() -> pd.DataFrame:
    """The four islands by date of the Soviet landing in 1945, with their 1945 population."""
    L = _lesson()
    rows = sorted(records.rows("islands", records.FOUR_ISLANDS), key=lambda r: r["soviet_landing_date"])
    return pd.DataFrame({
        L.text("landings.place"): [records.name(r["id"], "full") for r in rows],
        L.text("landings.landing"): [display.long_date(r["soviet_landing_date"]) for r in rows],
        L.text("landings.residents"): [r["population_1945"] for r in rows],
        L.text("landings.source"): [", ".join(r["population_1945_source_ids"]) for r in rows]})


@lru_cache(maxsize=3)
def line(year: int) -> BaseGeometry:
    """The computed, schematic border of a treaty year. 1855 and 1875: the median line of the
    land on each side, kept to the strait (the treaties name islands and a strait, not a line);
    1905: the 50th parallel where it crosses Sakhalin (Treaty of Portsmouth, Art. IX)."""
    data._choice("treaty year", year, STRAITS.keys() | {1905})
    if year in STRAITS:
        side_a, side_b, radius_km = STRAITS[year]
        pa, pb = shapely.ops.nearest_points(geo.geometry(side_a), geo.geometry(side_b))
        centre = ((pa.x + pb.x) / 2, (pa.y + pb.y) / 2)
        disc = geo.project(shapely.Point(centre), centre, "dist").buffer(radius_km * 1e3)
        median = geo.median_line(side_a, side_b, within_km=radius_km * 2)
        return median.intersection(geo.unproject(disc, centre, "dist"))
    island = shapely.union(geo.geometry("sakhalin_south"), geo.geometry("sakhalin_north"))
    minx, _, maxx, _ = island.bounds
    across = LineString([(minx - 1, PARALLEL_1905), (maxx + 1, PARALLEL_1905)])
    on_land = across.intersection(island.buffer(1e-6))
    if on_land.is_empty:
        raise ValueError("the 50th parallel does not cross the Sakhalin polygons")
    lo, _, hi, _ = on_land.bounds
    return LineString([(lo - 0.05, PARALLEL_1905), (hi + 0.05, PARALLEL_1905)])


def treaty_lines(year: int) -> list[tuple[BaseGeometry, str]]:
    """The computed border lines drawn for the end of ``year``, each with its label."""
    holders(year)  # checks the year
    return [(line(x["line"]), str(x["label"])) for x in _lesson().get("map.lines") if _within(x, year)]


def _subtitle(year: int) -> str:
    """The title of the last event of the last key year up to ``year``, dated if need be."""
    entry = [k for k in _lesson().get("key_years") if k["year"] <= year][-1]
    row = records.row("timeline", entry["events"][-1])
    if str(row["date"])[:4] in str(row["title"]):
        return str(row["title"])
    return _lesson().text("map.subtitle_dated", title=row["title"], date=display.long_date(row["date"]))


def _popup(ident: str, status: str, year: int) -> str:
    L, e = _lesson(), html.escape
    lines = [f"<b>{e(records.name(ident, 'full'))}</b>",
             e(L.text("map.popup_status", year=year, status=status_label(status, year)))]
    landing = records.row("islands", ident)["soviet_landing_date"]
    if year >= 1945 and landing:
        lines.append(e(L.text("map.popup_landing", date=display.long_date(landing))))
    return "<br>".join(lines)


def history_map(year: int, height: int = 560) -> maps.OfflineMap:
    """Map of who held what at the end of ``year``, with the treaty lines of that time."""
    L, held = _lesson(), holders(year)
    land = [maps.Land((k,), status, label=L.text("map.tooltip", name=records.name(k, "full"),
                                                  status=status_label(status, year)),
                      popup=_popup(k, status, year), weight=0 if k in _NO_OUTLINE else 0.8)
            for k, status in held.items()]
    lines = [maps.Line(shape, label) for shape, label in treaty_lines(year)]
    legend = {s: status_label(s, year) for s in dict.fromkeys(held.values())}
    legend["line"] = L.text("map.legend_line" if year < 1945 else "map.legend_line_after_1945")
    return maps.lesson_map([*land, *lines], L.text("map.title", year=year), _subtitle(year),
                           legend=legend, view=VIEW, context={}, height=height)


def border_caption(year: int) -> str:
    """HTML caption for a key year: its events, a table of what changed on the map (the map's
    text alternative), the Soviet landings in 1945 and the treaty text behind it."""
    L, e = _lesson(), html.escape
    entry = {k["year"]: k for k in L.get("key_years")}.get(year)
    if entry is None:
        raise ValueError(f"unknown key year {year!r}; valid key years: {', '.join(map(str, key_years()))}")
    parts, cols = [f"<h4>{year}</h4>", display.events(entry["events"]).text], L.get("caption.columns")
    changed = changes(year)
    if changed.empty:
        parts.append(f"<p>{e(L.text('caption.nothing_changed', before_year=year - 1))}</p>")
    else:
        frame = pd.DataFrame({
            cols["land"]: [records.name(k, "en") for k in changed["feature"]],
            cols["before"]: [status_label(s, year - 1) if s else L.text("caption.no_boundary")
                             for s in changed["before"]],
            cols["after"]: [status_label(s, year) for s in changed["after"]]})
        parts += [f"<p><b>{e(L.text('caption.what_changed'))}</b></p>", display.table(frame).text]
    if entry.get("show_landings"):
        frame = landings().iloc[:, :2].set_axis([cols["place"], cols["landing"]], axis=1)
        parts += [f"<p><b>{e(L.text('caption.landings'))}</b></p>", display.table(frame).text]
    doc = records.row("documents", entry["document"])
    behind = L.text("caption.text_behind", title=doc["title"], article=doc["article"],
                    translation=doc["translation"])
    return "".join([*parts, f"<p>{e(behind)}</p>"])


def border_explorer() -> Any:
    """A widget: a slider over the key years that redraws the map and the caption."""
    import ipywidgets as w

    stops = list(key_years())
    year = w.SelectionSlider(options=stops, value=stops[0], continuous_update=False,
                             description=_lesson().text("explorer.year"), layout=w.Layout(width="420px"))
    fmap = w.HTML(value=history_map(year.value)._repr_html_(), layout=w.Layout(width="100%"))
    caption = w.HTML(value=border_caption(year.value))

    def redraw(_change: Any = None) -> None:
        fmap.value = history_map(year.value)._repr_html_()
        caption.value = border_caption(year.value)

    year.observe(redraw, names="value")
    box = w.VBox([year, fmap, caption])
    box.year, box.map, box.caption = year, fmap, caption  # for tests and notebooks
    return box


def _changes_items(year: int) -> dict[str, dict[str, str]]:
    """Items, key and reasons for sorting the land a treaty could move by whether it did."""
    L = _lesson()
    changed, unchanged = L.get("exercises.changes_quiz.categories")
    before, after = holders(year - 1), holders(year)
    out: dict[str, dict[str, str]] = {"items": {}, "key": {}, "reasons": {}}
    for k in (k for k in FEATURES if not k.startswith("hokkaido") and k != "kamchatka_south"):
        label = records.name(k, "en")
        out["items"][label] = records.name(k, "full")
        out["key"][label] = changed if before[k] != after[k] else unchanged
        out["reasons"][label] = L.text("sorting.changed_reason", year=year, before_year=year - 1,
                                       before=status_label(before[k], year - 1),
                                       after=status_label(after[k], year))
    return out


def _whose_words() -> dict[str, dict[str, str]]:
    """Items, key and reasons for sorting exact quotations by whose words they are."""
    L = _lesson()
    spec = L.get("exercises.whose_words_quiz")
    category = dict(zip((*data.GOVERNMENTS, "document"), spec["categories"], strict=True))
    out: dict[str, dict[str, str]] = {"items": {}, "key": {}, "reasons": {}}
    for quotation in spec["quotations"]:
        label = quotation["id"]
        if "position" in quotation:
            row = records.row("positions", quotation["position"])
            words, who = row["quote"], row["government"]
            reason = L.text("sorting.position_reason", speaker=row["speaker"], office=row["office"],
                            date=display.long_date(str(row["date"])))
        else:
            row = records.row("documents", quotation["document"])
            words, who = str(row["text"]).strip(), "document"
            reason = L.text("sorting.document_reason", title=row["title"], article=row["article"])
        out["items"][label] = L.text("sorting.quoted", words=words)
        out["key"][label], out["reasons"][label] = category[who], reason
    return out


def exercise(ident: str) -> Exercise:
    """The lesson's exercise ``ident``: its content entry with what the lesson computes."""
    L = _lesson()
    data._choice("exercise", ident, L.get("exercises"))
    if ident == "strait_quiz":
        return L.exercise(ident, expected=round(geo.distance_km("etorofu", "urup"), 1))
    if ident == "article_1875_quiz":  # the answer: the one option the article's exact words name
        spec = L.get(f"exercises.{ident}")
        words = records.row("documents", spec["document"])["text"]
        named = [o["text"] for o in spec["options"] if o["text"] in words]
        if len(named) != 1:
            raise ValueError(f"expected one option named in {spec['document']}; found {named}")
        return L.exercise(ident, answer=named[0])
    if ident == "changes_quiz":
        return L.exercise(ident, values={"year": 1875}, **_changes_items(1875))
    if ident == "area_1875":
        return L.exercise(ident, expected=round(area_to_japan_km2(1875), 0))
    if ident == "whose_words_quiz":
        return L.exercise(ident, **_whose_words())
    return L.exercise(ident)


def sources_used() -> list[str]:
    """Source ids of every event, text, position and island figure the lesson uses."""
    L = _lesson()
    used = L.get("sources_used")
    later = events(kinds=["declaration", "statement"])
    quoted = [q["position"] for q in L.get("exercises.whose_words_quiz.quotations") if "position" in q]
    ids = (records.sources_of("timeline", [*used["events"], *later.loc[later["year"] > 1951, "id"]])
           + records.sources_of("documents", used["documents"])
           + records.sources_of("positions", [*used["positions"], *quoted])
           + records.sources_of("islands", used["islands"], ["population_1945_source_ids"])
           + records.sources_of("figures", used["figures"]))
    return list(dict.fromkeys(ids))
