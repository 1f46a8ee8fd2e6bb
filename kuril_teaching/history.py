"""The Japan-Russia border from the first maps to 2022: periods, who held what, lines, maps.

:func:`events` filters the timeline by named period and kind, :func:`holders` says who held
each piece of land at the end of a year, :func:`history_map` draws that state with the treaty
lines computed from the island polygons, and the explorers wrap them in widgets. The lesson's
words are in ``data/lessons/01_history.yaml``.
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

__all__ = [
    "FEATURES",
    "KEY_YEARS",
    "area_to_japan_km2",
    "border_caption",
    "border_explorer",
    "changes",
    "events",
    "exercise",
    "history_map",
    "holders",
    "holders_table",
    "landings",
    "line_1855",
    "line_1875",
    "line_1905",
    "periods",
    "sources_used",
    "status_label",
    "timeline_explorer",
    "treaty_lines",
]

LESSON = "01_history"
# The land the border map colours, south-west to north-east.
FEATURES: tuple[str, ...] = (
    "hokkaido_west", "hokkaido_east", "habomai", "shikotan", "kunashiri", "etorofu", "urup",
    "kuril_north", "kamchatka_south", "sakhalin_south", "sakhalin_north",
)
FIRST_YEAR = 1855  # the first treaty boundary (Treaty of Shimoda)
# How far the computed 1855 and 1875 lines run from the narrowest point of their strait (km).
STRAIT_1855_KM = 45.0
STRAIT_1875_KM = 25.0
PARALLEL_1905 = 50.0  # Treaty of Portsmouth, Art. IX: "The fiftieth degree of north latitude"
VIEW: tuple[float, float, float, float] = (140.8, 41.9, 159.5, 54.2)  # the border map's view
# Land cut by a straight edge (the view or a neighbour): an outline would draw the cut.
_NO_OUTLINE = ("hokkaido_west", "hokkaido_east", "sakhalin_south", "sakhalin_north",
               "kamchatka_south")


def _lesson() -> content.Lesson:
    return content.lesson(LESSON)


def __getattr__(name: str) -> Any:
    if name == "KEY_YEARS":  # the border explorer's stops, from the lesson's content file
        return tuple(entry["year"] for entry in _lesson().get("key_years"))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --------------------------------------------------------------------------- events


def periods() -> dict[str, tuple[int, int]]:
    """The named periods of the lesson: label -> (first year, last year), both included."""
    return {p["label"]: (p["first"], p["last"]) for p in _lesson().get("periods")}


def events(period: str | None = None, kinds: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Kuril rows of the timeline in one named period (see :func:`periods`) and kinds."""
    frame = data.timeline(topic="kuril", kinds=None if kinds == _all("kinds") else kinds)
    if period is not None and period != _all("periods"):
        named = periods()
        first, last = named[data._choice("period", period, [_all("periods"), *named])]
        frame = frame[frame["year"].between(first, last)]
    return frame.reset_index(drop=True)


def _all(what: str) -> str:
    return _lesson().text(f"explorer.all_{what}")


def _explorer_summary(period: str, kind: str) -> str:
    frame = events(period, kind)
    count = _lesson().text(f"explorer.count_{'one' if len(frame) == 1 else 'other'}", count=len(frame))
    e = html.escape
    return f"<p><b>{e(count)}</b> · {e(period)} · {e(kind)}</p>" + display.events(frame).text


def timeline_explorer() -> Any:
    """A widget: choose a period and a kind of event, see the matching events as a table."""
    import ipywidgets as w

    L = _lesson()
    kinds = [k for k in data.TIMELINE_KINDS if k in set(events()["kind"])]
    period = w.Dropdown(options=[_all("periods"), *periods()], value=_all("periods"),
                        description=L.text("explorer.period"), layout=w.Layout(width="340px"))
    kind = w.Dropdown(options=[_all("kinds"), *kinds], value=_all("kinds"),
                      description=L.text("explorer.kind"))
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
    """Who held each of :data:`FEATURES` at the end of ``year``: japan, russia, undivided, disputed.

    1855 Shimoda: boundary between Etorofu and Urup, Sakhalin undivided; 1875 St Petersburg:
    all Kurils to Japan, Sakhalin to Russia; 1905 Portsmouth: Sakhalin south of 50° N to
    Japan; 1945: Soviet occupation (the four islands held, and claimed by Japan).
    """
    _check_year(year)
    held = {"hokkaido_west": "japan", "hokkaido_east": "japan", "kamchatka_south": "russia"}
    if year < 1875:
        held.update(dict.fromkeys(records.FOUR_ISLANDS, "japan"))
        held.update(urup="russia", kuril_north="russia", sakhalin_south="undivided",
                    sakhalin_north="undivided")
    elif year < 1945:
        held.update(dict.fromkeys((*records.FOUR_ISLANDS, "urup", "kuril_north"), "japan"))
        held.update(sakhalin_south="japan" if year >= 1905 else "russia", sakhalin_north="russia")
    else:
        held.update(dict.fromkeys(records.FOUR_ISLANDS, "disputed"))
        held.update(urup="russia", kuril_north="russia", sakhalin_south="russia",
                    sakhalin_north="russia")
    return {k: held[k] for k in FEATURES}


def status_label(status: str, year: int) -> str:
    """How the lesson words a holder at the end of ``year`` (the USSR only from 1922 to 1991)."""
    labels = _lesson().get("statuses")
    label = labels[data._choice("status", status, labels)]
    if isinstance(label, str):
        return label
    for entry in label:
        if entry.get("first", year) <= year <= entry.get("last", year):
            return str(entry["label"])
    raise ValueError(f"no label for status {status!r} in {year}")


def holders_table(year: int) -> pd.DataFrame:
    """Who held each piece of land at the end of ``year``: the text alternative of the map."""
    head = _lesson().get("holders_table")
    held = holders(year)
    return pd.DataFrame({
        head["land"]: [records.name(k, "en") for k in held],
        head["japanese"]: [records.name(k, "ja") for k in held],
        head["russian"]: [records.name(k, "ru") for k in held],
        head["status"].format(year=year): [status_label(v, year) for v in held.values()],
    })


def changes(year: int) -> pd.DataFrame:
    """The features whose holder changed during ``year``: feature, name, before, after.

    For 1855, the first treaty boundary, every feature is listed with ``before`` empty.
    """
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
    head = _lesson().get("landings")
    rows = sorted(records.rows("islands", records.FOUR_ISLANDS), key=lambda r: r["soviet_landing_date"])
    return pd.DataFrame({
        head["island"]: [records.name(r["id"], "full") for r in rows],
        head["landing"]: [display.long_date(r["soviet_landing_date"]) for r in rows],
        head["residents"]: [r["population_1945"] for r in rows],
        head["source"]: [", ".join(r["population_1945_source_ids"]) for r in rows],
    })


# --------------------------------------------------------------------------- computed lines


def _strait_line(side_a: str, side_b: str, radius_km: float) -> BaseGeometry:
    """The median line of two features, kept within ``radius_km`` of their narrowest gap."""
    pa, pb = shapely.ops.nearest_points(geo.geometry(side_a), geo.geometry(side_b))
    centre = ((pa.x + pb.x) / 2, (pa.y + pb.y) / 2)
    disc = geo.project(shapely.Point(centre), centre, "dist").buffer(radius_km * 1e3)
    line = geo.median_line(side_a, side_b, within_km=radius_km * 2)
    return line.intersection(geo.unproject(disc, centre, "dist"))


@lru_cache(maxsize=1)
def line_1855() -> BaseGeometry:
    """The 1855 boundary: the median line of Etorofu and Urup (schematic; the treaty names
    the islands on each side, not a line)."""
    return _strait_line("etorofu", "urup", STRAIT_1855_KM)


@lru_cache(maxsize=1)
def line_1875() -> BaseGeometry:
    """The 1875 boundary: the median line of Shumshu and Cape Lopatka (schematic; the treaty
    says only that it "shall pass through the Strait")."""
    return _strait_line("kuril_north", "kamchatka_south", STRAIT_1875_KM)


@lru_cache(maxsize=1)
def line_1905() -> BaseGeometry:
    """The 50th parallel where it crosses Sakhalin (Treaty of Portsmouth, Art. IX)."""
    island = shapely.union(geo.geometry("sakhalin_south"), geo.geometry("sakhalin_north"))
    minx, _, maxx, _ = island.bounds
    on_land = LineString([(minx - 1, PARALLEL_1905), (maxx + 1, PARALLEL_1905)]).intersection(
        island.buffer(1e-6))
    if on_land.is_empty:
        raise ValueError("the 50th parallel does not cross the Sakhalin polygons")
    lo, _, hi, _ = on_land.bounds
    return LineString([(lo - 0.05, PARALLEL_1905), (hi + 0.05, PARALLEL_1905)])


def treaty_lines(year: int) -> list[tuple[BaseGeometry, str]]:
    """The computed boundary lines drawn for ``year``, each with its label."""
    _check_year(year)
    label = lambda key: _lesson().text(f"map.lines.{key}")  # noqa: E731
    if year < 1875:
        return [(line_1855(), label("shimoda"))]
    if year < 1945:
        out = [(line_1875(), label("st_petersburg"))]
        return out + [(line_1905(), label("portsmouth"))] if year >= 1905 else out
    return [(line_1855(), label("shimoda_after_1945"))]


# --------------------------------------------------------------------------- map and caption


def _key_year(year: int) -> dict[str, Any]:
    """The content entry of the last key year up to ``year``."""
    entries = [k for k in _lesson().get("key_years") if k["year"] <= year]
    if not entries:
        raise ValueError(f"year {year!r} is before the first key year; valid years: "
                         f"{', '.join(str(k['year']) for k in _lesson().get('key_years'))}")
    return entries[-1]


def _subtitle(year: int) -> str:
    row = records.row("timeline", _key_year(year)["events"][-1])
    title = str(row["title"])
    if str(row["date"])[:4] in title:
        return title
    return _lesson().text("map.subtitle_dated", title=title, date=display.long_date(row["date"]))


def _popup(ident: str, status: str, year: int) -> str:
    L, e = _lesson(), html.escape
    lines = [f"<b>{e(records.name(ident, 'full'))}</b>",
             e(L.text("map.popup_status", year=year, status=status_label(status, year)))]
    landing = records.row("islands", ident).get("soviet_landing_date")
    if year >= 1945 and landing:
        lines.append(e(L.text("map.popup_landing", date=display.long_date(landing))))
    return "<br>".join(lines)


def history_map(year: int, height: int = 560) -> maps.OfflineMap:
    """Map of who held what at the end of ``year``, with the treaty lines of that time."""
    L = _lesson()
    held = holders(year)
    land = [maps.Land(ids=(ident,), meaning=status, popup=_popup(ident, status, year),
                      label=L.text("map.tooltip", name=records.name(ident, "full"),
                                   status=status_label(status, year)),
                      weight=0 if ident in _NO_OUTLINE else 0.8)
            for ident, status in held.items()]
    lines = [maps.Line(shape, label) for shape, label in treaty_lines(year)]
    legend = {s: status_label(s, year) for s in dict.fromkeys(held.values())}
    legend["line"] = L.text("map.legend_line" if year < 1945 else "map.legend_line_after_1945")
    return maps.lesson_map([*land, *lines], L.text("map.title", year=year), _subtitle(year),
                           legend=legend, view=VIEW, context={}, height=height)


def border_caption(year: int) -> str:
    """HTML caption for a key year: its events, a table of what changed (the map's text
    alternative) and the treaty article behind it."""
    L, e = _lesson(), html.escape
    entry = {k["year"]: k for k in L.get("key_years")}.get(year)
    if entry is None:
        raise ValueError(f"unknown key year {year!r}; valid key years: "
                         f"{', '.join(map(str, __getattr__('KEY_YEARS')))}")
    cols = L.get("caption.columns")
    parts = [f"<h4 style='margin:4px 0'>{year}</h4>", display.events(entry["events"]).text]
    changed = changes(year)
    if changed.empty:
        parts.append(f"<p>{e(L.text('caption.nothing_changed', before_year=year - 1))}</p>")
    else:
        none = L.text("caption.no_boundary")
        frame = pd.DataFrame({
            cols["land"]: [records.name(k, "en") for k in changed["feature"]],
            cols["before"]: [status_label(s, year - 1) if s else none for s in changed["before"]],
            cols["after"]: [status_label(s, year) for s in changed["after"]]})
        parts += [f"<p><b>{e(L.text('caption.what_changed'))}</b></p>", display.table(frame).text]
    if entry.get("show_landings"):
        frame = landings().iloc[:, :2]
        frame.columns = [cols["island"], cols["landing"]]
        parts += [f"<p><b>{e(L.text('caption.landings'))}</b></p>", display.table(frame).text]
    doc = records.row("documents", entry["document"])
    parts.append("<p>" + e(L.text("caption.text_behind", title=doc["title"], article=doc["article"],
                                  translation=doc["translation"])) + "</p>")
    return "".join(parts)


def border_explorer() -> Any:
    """A widget: a slider over the key years that redraws the map and the caption."""
    import ipywidgets as w

    stops = list(__getattr__("KEY_YEARS"))
    year = w.SelectionSlider(options=stops, value=stops[0], continuous_update=False,
                             description=_lesson().text("explorer.year"),
                             layout=w.Layout(width="420px"))
    fmap = w.HTML(value=history_map(year.value)._repr_html_(), layout=w.Layout(width="100%"))
    caption = w.HTML(value=border_caption(year.value))

    def redraw(_change: Any = None) -> None:
        fmap.value = history_map(year.value)._repr_html_()
        caption.value = border_caption(year.value)

    year.observe(redraw, names="value")
    box = w.VBox([year, fmap, caption])
    box.year, box.map, box.caption = year, fmap, caption  # for tests and notebooks
    return box


# --------------------------------------------------------------------------- exercises


def _article_1875_answer(spec: dict[str, Any]) -> str:
    """The one option that Article 2 of the 1875 treaty names."""
    words = str(records.row("documents", spec["document"])["text"])
    named = [o["text"] for o in spec["options"] if o["text"] in words]
    if len(named) != 1:
        raise ValueError(f"expected exactly one option named in {spec['document']}; found {named}")
    return named[0]


def _changes_items(year: int) -> dict[str, dict[str, str]]:
    """Items, key and reasons of the sorting exercise on ``year``: one item per piece of land
    that a treaty could move (not Hokkaido or Kamchatka)."""
    spec = _lesson().get("exercises.changes_quiz")
    changed, unchanged = spec["categories"]
    before, after = holders(year - 1), holders(year)
    out: dict[str, dict[str, str]] = {"items": {}, "key": {}, "reasons": {}}
    for ident in (k for k in FEATURES if not k.startswith("hokkaido") and k != "kamchatka_south"):
        label = records.name(ident, "en")
        out["items"][label] = records.name(ident, "full")
        out["key"][label] = changed if before[ident] != after[ident] else unchanged
        out["reasons"][label] = spec["reason"].format(
            before_year=year - 1, before=status_label(before[ident], year - 1), year=year,
            after=status_label(after[ident], year))
    return out


def _whose_words() -> dict[str, dict[str, str]]:
    """Items, key and reasons of the sorting exercise on exact quotations, from the data."""
    spec = _lesson().get("exercises.whose_words_quiz")
    category = dict(zip((*data.GOVERNMENTS, "document"), spec["categories"], strict=True))
    out: dict[str, dict[str, str]] = {"items": {}, "key": {}, "reasons": {}}
    for quotation in spec["quotations"]:
        label = quotation["id"]
        if "position" in quotation:
            row = records.row("positions", quotation["position"])
            words, who = row["quote"], row["government"]
            reason = spec["reason_position"].format(speaker=row["speaker"], office=row["office"],
                                                    date=display.long_date(str(row["date"])))
        else:
            row = records.row("documents", quotation["document"])
            words, who = str(row["text"]).strip(), "document"
            reason = spec["reason_document"].format(title=row["title"], article=row["article"])
        out["items"][label] = spec["quoted"].format(words=words)
        out["key"][label], out["reasons"][label] = category[who], reason
    return out


def exercise(ident: str) -> Exercise:
    """The lesson's exercise ``ident``, from its content file with what the lesson computes."""
    L = _lesson()
    data._choice("exercise", ident, L.get("exercises"))
    if ident == "strait_quiz":
        return L.exercise(ident, expected=round(geo.distance_km("etorofu", "urup"), 1))
    if ident == "article_1875_quiz":
        return L.exercise(ident, answer=_article_1875_answer(L.get(f"exercises.{ident}")))
    if ident == "changes_quiz":
        return L.exercise(ident, values={"year": 1875}, **_changes_items(1875))
    if ident == "area_1875":
        return L.exercise(ident, expected=round(area_to_japan_km2(1875), 0))
    if ident == "whose_words_quiz":
        return L.exercise(ident, **_whose_words())
    return L.exercise(ident)


# --------------------------------------------------------------------------- sources


def sources_used() -> list[str]:
    """Source ids of every event, text, position and island figure the lesson uses."""
    used = _lesson().get("sources_used")
    later = events(kinds=["declaration", "statement"])
    quoted = [q["position"] for q in _lesson().get("exercises.whose_words_quiz.quotations")
              if "position" in q]
    ids = (records.sources_of("timeline", [*used["events"], *later.loc[later["year"] > 1951, "id"]])
           + records.sources_of("documents", used["documents"])
           + records.sources_of("positions", [*used["positions"], *quoted])
           + records.sources_of("islands", used["islands"], ["population_1945_source_ids"])
           + records.sources_of("figures", used["figures"]))
    return list(dict.fromkeys(ids))
