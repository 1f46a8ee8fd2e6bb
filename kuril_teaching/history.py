"""The Japan-Russia border from the first maps to 2023: periods, who held what, lines, maps.

The lesson has two notebooks: part 1 (``01_history``, to 1875, with the border map and explorers)
and part 2 (``01_history_1905_2023``). Their words are in ``data/lessons/01_history.yaml`` (part 1
and what the maps and explorers say) and ``data/lessons/01_history_1905_2023.yaml`` (part 2's
exercises and sources); this module holds the logic for both.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import pandas as pd
import shapely
import shapely.ops
from shapely.geometry.base import BaseGeometry

from . import content, data, display, geo, maps, records
from .exercises import Exercise

__all__ = [  # also KEY_YEARS, read from the content file when first asked for
    "FEATURES", "PARTS", "area_to_japan_km2", "border_caption", "border_explorer", "changes", "events",
    "exercise", "fresh_line", "history_map", "holders", "holders_table", "key_years", "landings", "line",
    "periods", "sources_used", "status_label", "timeline_explorer", "treaty_lines",
]

LESSON = "01_history"
# The lesson's two parts, in order: the content file (and notebook stem) of each.
PARTS: tuple[str, ...] = (LESSON, "01_history_1905_2023")
# The land the border map colours, from Hokkaido north-eastwards to Kamchatka and Sakhalin.
FEATURES: tuple[str, ...] = (
    "hokkaido_west", "hokkaido_east", "habomai", "shikotan", "kunashiri", "etorofu", "urup",
    "kuril_north", "kamchatka_south", "sakhalin_south", "sakhalin_north",
)


def _lesson(part: int = 1) -> content.Lesson:
    valid = range(1, len(PARTS) + 1)
    if isinstance(part, bool) or part not in valid:
        raise ValueError(f"unknown part {part!r}; valid parts: {', '.join(map(str, valid))}")
    return content.lesson(PARTS[part - 1])


def _defining(ident: str) -> content.Lesson:
    """The part whose content file defines the exercise ``ident``."""
    parts = [content.lesson(name) for name in PARTS]
    found = [les for les in parts if ident in les.raw.get("exercises", {})]
    if not found:
        data._choice("exercise", ident, [i for les in parts for i in les.raw.get("exercises", {})])
    return found[0]


def key_years() -> tuple[int, ...]:
    """The years the border explorer stops at (also ``KEY_YEARS``), from the first treaty on."""
    return tuple(entry["year"] for entry in _lesson().get("key_years"))


def __getattr__(name: str) -> Any:
    if name == "KEY_YEARS":
        return key_years()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def periods() -> dict[str, tuple[int, int]]:
    """The lesson's named periods: label -> (first year, last year), both included."""
    return {p["label"]: (p["first"], p["last"]) for p in _lesson().get("periods")}


def _period(label: str) -> tuple[int, int]:
    """The years of a period named in the current language or in English (as the code of
    every edition names them)."""
    english = {p["label"]: (p["first"], p["last"]) for p in _lesson().raw["periods"]}
    if label in english:
        return english[label]
    return periods()[data._choice("period", label, [_all("periods"), *periods()])]


def _all(what: str) -> str:
    return _lesson().text(f"explorer.all_{what}")


def events(period: str | None = None, kinds: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Kuril rows of the timeline in one named period (see :func:`periods`) and of some kinds."""
    frame = data.timeline(topic="kuril", kinds=None if kinds == _all("kinds") else kinds)
    if period is not None and period != _all("periods"):
        first, last = _period(period)
        frame = frame[frame["year"].between(first, last)]
    return frame.reset_index(drop=True)


def timeline_explorer() -> Any:
    """A widget: choose a period (``.period``) and a kind (``.kind``), see the events (``.table``)."""
    import ipywidgets as w

    L, e = _lesson(), html.escape
    kinds = [k for k in data.TIMELINE_KINDS if k in set(events()["kind"])]
    period = w.Dropdown(options=[_all("periods"), *periods()], description=L.text("explorer.period"),
                        layout=w.Layout(width="340px"))
    names = {k: content.text(f"display.event_kinds.kind_{k}") for k in kinds}  # shown; codes kept
    kind = w.Dropdown(options=[(_all("kinds"), _all("kinds")), *((names[k], k) for k in kinds)],
                      description=L.text("explorer.kind_label"))

    def shown(_value: Any = None) -> str:
        frame = events(period.value, kind.value)
        count = L.plural("explorer.count", len(frame), count=len(frame))
        chosen = names.get(kind.value, kind.value)
        return f"<p><b>{e(count)}</b> · {e(period.value)} · {e(chosen)}</p>{display.events(frame)}"

    box = display.linked(period, shown)
    kind.observe(lambda _change: setattr(box.view, "value", shown()), names="value")
    box.children = (w.HBox([period, kind]), box.view)
    box.period, box.kind, box.table = period, kind, box.view
    return box


def holders(year: int) -> dict[str, str]:
    """Who held each of :data:`FEATURES` at the end of ``year``: japan, russia, undivided or
    disputed. 1855 Shimoda: border between Etorofu and Urup, Sakhalin undivided; 1875 St
    Petersburg: the Kurils to Japan, Sakhalin to Russia; 1905 Portsmouth: Sakhalin south of
    50° N to Japan; 1945: Soviet occupation (the four islands held, and claimed by Japan)."""
    first, last = key_years()[0], int(data.timeline()["year"].max())
    if isinstance(year, bool) or not isinstance(year, int) or not first <= year <= last:
        raise ValueError(f"year {year!r} is out of range; valid years: {first}..{last} "
                         f"(the first treaty boundary dates from {first})")
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
        L.text("holders_table.land"): [records.name(k) for k in held],
        L.text("holders_table.japanese"): [records.name(k, "ja") for k in held],
        L.text("holders_table.russian"): [records.name(k, "ru") for k in held],
        L.text("holders_table.status", year=year): [status_label(v, year) for v in held.values()]})


def changes(year: int) -> pd.DataFrame:
    """The features whose holder changed during ``year``: feature, name, before, after
    (for the first treaty boundary, 1855, every feature, with ``before`` empty)."""
    after = holders(year)
    before = holders(year - 1) if year > key_years()[0] else dict.fromkeys(FEATURES, "")
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
    rows = sorted(records.rows("islands", records.FOUR_ISLANDS), key=lambda r: r["soviet_landing_date"])
    return pd.DataFrame([{"place": records.name(r["id"], "full"),
                          "landing": display.long_date(r["soviet_landing_date"]),
                          "residents": r["population_1945"],
                          "source": ", ".join(r["population_1945_source_ids"])} for r in rows]
                        ).rename(columns=_lesson().get("landings"))


def line(year: int) -> BaseGeometry:
    """The computed, schematic border of a treaty year (see :func:`fresh_line`), as shipped in
    ``data/derived/treaty_lines.json``."""
    shipped = data._derived("treaty_lines")
    return shapely.geometry.shape(shipped[str(data._choice("treaty year", year, map(int, shipped)))])


def fresh_line(year: int) -> BaseGeometry:
    """The border of a treaty year computed from the polygons. 1855 and 1875: the median line
    of the land on each side, kept to the strait (the treaties name islands and a strait, not a
    line); 1905: the 50th parallel where it crosses Sakhalin (Treaty of Portsmouth, Art. IX)."""
    specs = {int(k): v for k, v in _lesson().get("treaty_lines").items()}
    spec = specs[data._choice("treaty year", year, specs)]
    if "latitude" not in spec:
        side_a, side_b = spec["islands"]
        pa, pb = shapely.ops.nearest_points(geo.geometry(side_a), geo.geometry(side_b))
        centre = ((pa.x + pb.x) / 2, (pa.y + pb.y) / 2)
        disc = geo.unproject(shapely.Point(0, 0).buffer(spec["within_km"] * 1e3), centre, "dist")
        return geo.median_line(side_a, side_b, within_km=spec["within_km"] * 2).intersection(disc)
    island, lat = geo.geometry(spec["islands"][0]), spec["latitude"]
    minx, _, maxx, _ = island.bounds
    on_land = shapely.LineString([(minx - 1, lat), (maxx + 1, lat)]).intersection(island.buffer(1e-6))
    if on_land.is_empty:
        raise ValueError(f"the parallel {lat}° N does not cross {spec['islands'][0]}")
    lo, _, hi, _ = on_land.bounds
    return shapely.LineString([(lo - 0.05, lat), (hi + 0.05, lat)])


def treaty_lines(year: int) -> list[tuple[BaseGeometry, str]]:
    """The computed border lines drawn for the end of ``year``, each with its label."""
    holders(year)  # checks the year
    return [(line(x["line"]), str(x["label"])) for x in _lesson().get("map.lines") if _within(x, year)]


def history_map(year: int, height: int = 560) -> maps.OfflineMap:
    """Map of who held what at the end of ``year``, with the treaty lines of that time."""
    L, held, e = _lesson(), holders(year), html.escape
    bare, land = L.get("map.without_outline.islands"), []
    for k, status in held.items():
        name, label = records.name(k, "full"), status_label(status, year)
        popup = [f"<b>{e(name)}</b>", e(L.text("map.popup_status", year=year, status=label))]
        landing = records.row("islands", k)["soviet_landing_date"] if year >= 1945 else ""
        popup += [e(L.text("map.popup_landing", date=display.long_date(landing)))] if landing else []
        land.append(maps.Land((k,), status, label=L.text("map.tooltip", name=name, status=label),
                              popup="<br>".join(popup), weight=0 if k in bare else 0.8))
    # The subtitle: the last event of the last key year up to ``year``, dated if need be.
    last = records.row("timeline", [k for k in L.get("key_years") if k["year"] <= year][-1]["events"][-1])
    subtitle = (str(last["title"]) if str(last["date"])[:4] in str(last["title"]) else
                L.text("map.subtitle_dated", title=last["title"], date=display.long_date(last["date"])))
    lines = [maps.Line(shape, label) for shape, label in treaty_lines(year)]
    legend = {s: status_label(s, year) for s in dict.fromkeys(held.values())}
    legend["line"] = L.text("map.legend_line" if year < 1945 else "map.legend_line_after_1945")
    return maps.lesson_map([*land, *lines], L.text("map.title", year=year), subtitle,
                           legend=legend, view=L.get("map.view"), context={}, height=height)


def border_caption(year: int) -> str:
    """HTML caption for a key year: its events, a table of what changed on the map (the map's
    text alternative), the Soviet landings in 1945 and the treaty text behind it."""
    L, e = _lesson(), html.escape
    entry = {k["year"]: k for k in L.get("key_years")}.get(year)
    if entry is None:
        raise ValueError(f"unknown key year {year!r}; valid key years: {', '.join(map(str, key_years()))}")
    parts, changed = [f"<h4>{year}</h4>", display.events(entry["events"]).text], changes(year)
    if changed.empty:
        parts.append(f"<p>{e(L.text('caption.nothing_changed', before_year=year - 1))}</p>")
    else:
        changed = changed.assign(
            land=[records.name(k) for k in changed["feature"]],
            after=[status_label(s, year) for s in changed["after"]],
            before=[status_label(s, year - 1) if s else L.text("caption.no_boundary")
                    for s in changed["before"]])
        parts += [f"<p><b>{e(L.text('caption.what_changed'))}</b></p>",
                  display.table(changed, L.get("caption.columns")).text]
    if entry.get("show_landings"):
        frame = landings().iloc[:, :2].set_axis(L.get("caption.landing_columns"), axis=1)
        parts += [f"<p><b>{e(L.text('caption.landings'))}</b></p>", display.table(frame).text]
    doc = records.row("documents", entry["document"])
    behind = L.text("caption.text_behind", title=doc["title"], article=doc["article"],
                    translation=doc["translation"])
    return "".join([*parts, f"<p>{e(behind)}</p>"])


def border_explorer() -> Any:
    """A button per key year (``.year``) that redraws the map (``.map``) and the caption
    (``.caption``). Buttons, not a slider: each has its year as its name for a screen reader
    and the keyboard."""
    import ipywidgets as w

    years = key_years()
    year = w.ToggleButtons(options=[(str(y), y) for y in years], value=years[0],
                           description=_lesson().text("explorer.year"),
                           style={"button_width": "64px"})
    box = display.linked(year, lambda value: history_map(value)._repr_html_())
    caption = w.HTML(border_caption(year.value))
    year.observe(lambda change: setattr(caption, "value", border_caption(change["new"])), names="value")
    box.children, box.view.layout.width = (year, box.view, caption), "100%"
    box.year, box.map, box.caption = year, box.view, caption
    return box


def exercise(ident: str) -> Exercise:
    """The lesson's exercise ``ident`` (from either part): its content entry with what the lesson
    computes."""
    L = _defining(ident)
    spec = L.get(f"exercises.{data._choice('exercise', ident, L.get('exercises'))}")
    if ident == "strait_quiz":
        return L.exercise(ident, expected=round(geo.distance_km("etorofu", "urup"), 1))
    if ident == "article_1875_quiz":  # the answer: the one option the article's exact words name
        words = records.row("documents", spec["document"])["text"]
        named = [o["text"] for o in spec["options"] if o["text"] in words]
        if len(named) != 1:
            raise ValueError(f"expected one option named in {spec['document']}; found {named}")
        return L.exercise(ident, answer=named[0])
    if ident == "changes_quiz":  # the land a treaty could move, sorted by whether it did in 1875
        (changed, unchanged), before, after = spec["categories"], holders(1874), holders(1875)
        land = {records.name(k): k for k in spec["islands"]}
        reasons = {n: L.text("sorting.changed_reason", year=1875, before_year=1874, after=status_label(
            after[k], 1875), before=status_label(before[k], 1874)) for n, k in land.items()}
        hints = {n: spec["hints"][k] for n, k in land.items() if k in spec.get("hints", {})}
        return L.exercise(ident, values={"year": 1875}, reasons=reasons, hints=hints,
                          items={n: records.name(k, "full") for n, k in land.items()},
                          key={n: changed if before[k] != after[k] else unchanged for n, k in land.items()})
    if ident != "whose_words_quiz":
        return L.exercise(ident)
    # Whose words each quotation is: a government's stated position or the text of an agreement.
    category = dict(zip((*data.GOVERNMENTS, "document"), spec["categories"], strict=True))
    out: dict[str, dict[str, str]] = {"items": {}, "key": {}, "reasons": {}, "hints": {}}
    for quotation in spec["quotations"]:
        if "position" in quotation:
            row = records.row("positions", quotation["position"])
            words, who = row["quote"], row["government"]
            reason = L.text("sorting.position_reason", speaker=row["speaker"], office=row["office"],
                            date=display.long_date(str(row["date"])), translation=row["translation"])
        else:
            row = records.row("documents", quotation["document"])
            words, who = str(row["text"]).strip(), "document"
            reason = L.text("sorting.document_reason", title=row["title"], article=row["article"])
        label = quotation["id"]
        out["items"][label], out["key"][label] = L.text("sorting.quoted", words=words), category[who]
        out["reasons"][label] = reason
        if quotation.get("hint"):
            out["hints"][label] = quotation["hint"]
    return L.exercise(ident, **out)


def sources_used(part: int | None = None) -> list[str]:
    """Source ids of every event, text, position and island figure a part of the lesson uses
    (``part`` 1 or 2; ``None``: both parts). Part 1 adds what the border explorer's captions show;
    part 2 the declarations and statements after 1951 and the quotations of Exercise 4."""
    if part is None:
        return list(dict.fromkeys(i for n in range(1, len(PARTS) + 1) for i in sources_used(n)))
    L = _lesson(part)
    used = L.get("sources_used")
    events_, documents = list(used.get("events", [])), list(used.get("documents", []))
    positions = list(used.get("positions", []))
    if part == 1:  # the captions under the border map: each key year's events and treaty text
        for entry in L.get("key_years"):
            events_ += entry["events"]
            documents.append(entry["document"])
    else:
        later = events(kinds=["declaration", "statement"])
        events_ += list(later.loc[later["year"] > 1951, "id"])
        positions += [q["position"] for q in L.get("exercises.whose_words_quiz.quotations")
                      if "position" in q]
    ids = (records.sources_of("timeline", dict.fromkeys(events_))
           + records.sources_of("documents", dict.fromkeys(documents))
           + records.sources_of("positions", dict.fromkeys(positions))
           + records.sources_of("islands", used.get("islands", []), ["population_1945_source_ids"])
           + records.sources_of("figures", used.get("figures", [])))
    return list(dict.fromkeys(ids))
