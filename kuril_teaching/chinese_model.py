"""The "Chinese model": how Russia and China divided their last disputed river islands,
and what a division of the four Kuril islands "by halves" of land would look like.

Tables, maps and widgets show what :mod:`kuril_teaching.chinese_model_geo` computed once and
shipped, in the words of ``data/lessons/04_chinese_model.yaml``. The Amur island outlines are
APPROXIMATE (see ``data/geo/SOURCES.md``), so their areas are too.
"""

from __future__ import annotations

import html
from itertools import accumulate
from typing import Any

import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from . import content, data, display, exercises, geo, maps, records
from .chinese_model_geo import (
    AMUR_ISLANDS,
    AMUR_SETTING,
    BOUNDARY_LINES,
    SHARE_STOPS,
    amur_setting,
    shipped,
    split_for_share,
    split_island,
)

__all__ = [
    "AMUR_ISLANDS", "AMUR_SETTING", "BOUNDARY_LINES", "SHARE_STOPS", "TRANSFER_FIGURE", "amur_explorer",
    "amur_map", "amur_setting", "amur_view",
    "china_share", "cumulative_shares", "exercise", "holdings", "holdings_table", "outline_comparison",
    "share_explorer", "sources_used", "split_for_share", "split_island", "split_map", "split_table",
    "state_label", "transfer_comparison", "transfer_evidence",
]

LESSON = "04_chinese_model"
STATES = ("before", "after")
SIDES = ("russia", "china")
TRANSFER_FIGURE = "amur_transferred_area"  # the land Russia handed over in 2008, as reported


def _t(key: str, **values: Any) -> str:
    return content.lesson(LESSON).text(key, **values)


def _frame(rows: list[dict[str, Any]] | pd.DataFrame, headers: str) -> pd.DataFrame:
    """Rows keyed as in the content file's ``headers`` block, shown under those headers."""
    return pd.DataFrame(rows).rename(columns=content.lesson(LESSON).get(headers))


# --------------------------------------------------------------------------- the Amur islands


def state_label(state: str) -> str:
    """What ``"before"`` or ``"after"`` means, in a sentence."""
    return _t(f"amur.states.{data._choice('state', state, STATES)}")


def holdings(state: str) -> dict[str, dict[str, BaseGeometry]]:
    """Land of each Amur island held by Russia and China: ``"before"`` 2004 Russia held both
    (China claimed them); ``"after"`` 2008 each is split by the line agreed in 2004."""
    if data._choice("state", state, STATES) == "before":
        return {i: {"russia": geo.geometry(i), "china": shapely.Polygon()} for i in AMUR_ISLANDS}
    return {i: dict(parts) for i, parts in shipped()["amur"]["after"].items()}


def holdings_table(state: str) -> pd.DataFrame:
    """Areas (km², of the APPROXIMATE outlines) each side holds in ``state``, with a total row."""
    rows = [{"name": records.name(i), "ru": records.name(i, "ru"),
             "zh": records.row("islands", i)["name_zh"], **{s: round(km2[s], 1) for s in SIDES}}
            for i, km2 in shipped()["amur"]["km2"][data._choice("state", state, STATES)].items()]
    total = {s: round(sum(r[s] for r in rows), 1) for s in SIDES}
    return _frame([*rows, {"name": _t("amur.both"), "ru": "", "zh": "", **total}], "amur.holdings_columns")


def china_share(island: str = "bolshoy_ussuriysky") -> float:
    """Fraction (0-1) of an island's APPROXIMATE outline on China's side of the 2004 line."""
    km2, island = shipped()["amur"]["km2"], data._choice("Amur island", island, AMUR_ISLANDS)
    return km2["after"][island]["china"] / km2["before"][island]["russia"]


def transfer_comparison() -> pd.DataFrame:
    """Land on China's side after 2008: computed from the outlines vs the reported figure."""
    computed = float(holdings_table("after").iloc[-1, -1])  # the total held by China
    figure = records.row("figures", TRANSFER_FIGURE)
    reported, sources = float(figure["value"]), "; ".join(figure["source_ids"])
    return _frame([
        {"what": _t("amur.rows.computed"), "km2": computed, "source": _t("amur.rows.computed_source")},
        {"what": _t("amur.rows.reported"), "km2": reported, "source": _t(
            "amur.rows.reported_source", sources=sources, confidence=figure["confidence"])},
        {"what": _t("amur.rows.difference"), "km2": round(computed - reported, 1), "source": _t(
            "amur.rows.difference_source", share=(computed - reported) / reported)},
    ], "amur.transfer_columns")


def outline_comparison() -> pd.DataFrame:
    """Area of each APPROXIMATE outline beside the areas reported for the island."""
    rows, whole = [], shipped()["amur"]["km2"]["before"]  # Russia held the whole islands
    for entry in content.lesson(LESSON).get("amur.reported_areas"):
        figures, ident = records.rows("figures", entry["figures"]), entry["island"]
        rows.append({"name": records.name(ident), "outline": round(whole[ident]["russia"], 1),
                     "reported": "–".join(f"{float(f['value']):g}" for f in figures),
                     "source": "; ".join(sorted({s for f in figures for s in f["source_ids"]})),
                     "confidence": ", ".join(dict.fromkeys(f["confidence"] for f in figures))})
    return _frame(rows, "amur.outline_columns")


# Degrees around the two islands in every Amur map (west, south, east, north): more to the south
# and north, where the legend, the locator and the title sit over the mainland.
AMUR_MARGIN = (0.06, 0.12, 0.06, 0.08)


def amur_view() -> tuple[float, float, float, float]:
    """The view of every Amur map (min lon, min lat, max lon, max lat): the two islands with
    :data:`AMUR_MARGIN` around them, the same before and after."""
    minx, miny, maxx, maxy = shipped()["amur"]["bounds"]
    west, south, east, north = AMUR_MARGIN
    return (round(minx - west, 5), round(miny - south, 5), round(maxx + east, 5), round(maxy + north, 5))


def amur_map(state: str = "after", height: int = 560) -> maps.OfflineMap:
    """Map of Tarabarov and Bolshoy Ussuriysky in ``state``, coloured by who holds the land, with
    the mainland on both sides (pale), the Amur and the Ussuri, Khabarovsk and both boundary lines,
    fitted to the islands."""
    held, amur, around = holdings(state), shipped()["amur"], amur_setting()
    km2 = amur["km2"][state]
    approx, plural, when = _t("amur.approx"), _t("amur.approx_plural"), _t(f"amur.when.{state}")
    layers: list[Any] = [
        maps.Sea(around["amur_water"], "river", _t("amur.tooltips.amur"), opacity=0.55),
        *(maps.Land(shape=around[f"amur_bank_{side}"], meaning=side, pale=True, weight=0.6,
                    label=_t(f"amur.tooltips.bank_{side}")) for side in ("russia", "china"))]
    for island, parts in held.items():
        for side in (s for s in SIDES if not parts[s].is_empty):
            tip = _t("amur.tooltip", name=records.name(island), ru=records.name(island, "ru"),
                     zh=records.row("islands", island)["name_zh"], approx=approx, when=when,
                     holder=_t(f"amur.holders.{side}"))
            area = html.escape(_t("amur.popup_area", area=km2[island][side]))
            layers.append(maps.Land(shape=parts[side], meaning=side, label=tip,
                                    popup=f"<b>{html.escape(tip)}</b><br>{area}"))
    other = "after" if state == "before" else "before"
    layers += [maps.Line(around["ussuri"], _t("amur.tooltips.ussuri"), "river", False, 3),
               maps.Line(around["amur_channels"], _t("amur.tooltips.channels"), "river", False, 2),
               maps.Line(amur["lines"][other], _t("amur.comparison", line=_t(f"amur.lines.{other}")),
                         "context", False, 2),
               maps.Line(amur["lines"][state], _t(f"amur.lines.{state}"), weight=3),
               *(maps.Label(records.name(i), geo.geometry(i)) for i in AMUR_ISLANDS),
               maps.Place(around["khabarovsk"], _t("amur.names.khabarovsk"), _t("amur.tooltips.khabarovsk")),
               *(maps.Label(_t(f"amur.names.bank_{side}"), around[f"amur_bank_{side}"], inside=True)
                 for side in ("russia", "china")),
               maps.Label(_t("amur.names.amur"), around["amur_water"], inside=True),
               maps.Label(_t("amur.names.ussuri"), around["ussuri"], inside=True)]
    legend = {s: _t(f"amur.legend.{s}", approx=plural) for s in SIDES}
    legend |= {f"{s}:pale": _t(f"amur.legend.bank_{s}") for s in SIDES}
    legend |= {"line": _t(f"amur.legend.line.{state}"),
               "context:line": _t("amur.legend.comparison", line=_t(f"amur.legend.line.{other}")),
               "river": _t("amur.legend.amur"), "river:line": _t("amur.legend.rivers"),
               "line:dot": _t("amur.legend.khabarovsk")}
    return maps.lesson_map(layers, _t("amur.title", when=when, approx=plural), _t("amur.subtitle"),
                           legend=legend, view=amur_view(), context={}, height=height,
                           credit=_t("amur.credit"), attribution=_t("amur.credit_lines", osm=maps.OSM_CREDIT))


def amur_explorer() -> Any:
    """Toggle (``box.toggle``) between before and after: a table of areas and the map (``box.shown``)."""
    import ipywidgets as w

    def panel(state: str) -> str:
        head = _t("amur.explorer_head", state=state_label(state), approx=_t("amur.approx_plural"))
        return (f"<b>{html.escape(head)}</b>{display.table(holdings_table(state))}"
                f"{amur_map(state, height=500)._repr_html_()}")

    toggle = w.ToggleButtons(options=[(_t(f"amur.toggle.{s}"), s) for s in STATES], value="before")
    box = display.linked(toggle, panel)
    box.toggle, box.shown = toggle, box.view
    return box


# --------------------------------------------------------------------------- the Kurils by shares


def split_table(share: float) -> pd.DataFrame:
    """Text alternative of :func:`split_for_share`: who gets what, in km² of the map polygons."""
    result = split_for_share(share)
    area, given = result["areas_km2"], result["to_japan_km2"]
    rows = [{"name": records.name(i), "area": area[i], "japan": given[i],
             "cut": _t("kurils.cut_yes") if i == result["cut_island"] else ""} for i in records.FROM_HOKKAIDO]
    rows.append({"name": _t("kurils.all_four"), "area": result["total_km2"], "japan": result["japan_km2"],
                 "cut": _t("kurils.japan_share", share=result["share"])})
    frame = pd.DataFrame(rows)
    frame.insert(3, "russia", frame["area"] - frame["japan"])
    return _frame(frame.round(1), "kurils.split_columns")


def split_map(share: float = 0.5, height: int = 480) -> maps.OfflineMap:
    """Map of :func:`split_for_share`: Japan's and Russia's land and the cut line."""
    result = split_for_share(share)
    minx, miny, maxx, maxy = shipped()["kurils"]["bounds"]
    label = _t("kurils.label", share=result["share"])
    layers: list[maps.Land | maps.Line] = [
        maps.Land(shape=result[side], meaning=side, label=_t(
            "kurils.tooltip", label=label, side=_t(f"kurils.sides.{side}"), km2=result[f"{side}_km2"]))
        for side in ("japan", "russia") if not result[side].is_empty]
    legend = {side: _t(f"kurils.legend.{side}") for side in ("japan", "russia")}
    if result["cut_line"] is not None:
        name = records.name(result["cut_island"])
        layers.append(maps.Line(result["cut_line"], _t("kurils.cut_line", island=name)))
        legend["line"] = _t("kurils.legend.line", island=name)
    return maps.lesson_map(layers, _t("kurils.title", japan=result["share"], russia=1 - result["share"]),
                           _t("kurils.subtitle"), legend=legend, height=height,
                           view=(minx - 0.25, miny - 0.2, maxx + 0.6, maxy + 0.45))  # room for the title


def share_explorer() -> Any:
    """A slider (``box.slider``) for Japan's share of the land: the table and the map (``box.shown``)."""
    import ipywidgets as w

    slider = w.ToggleButtons(options=[(f"{s:.0%}", s) for s in SHARE_STOPS], value=0.5,
                             description=_t("kurils.slider"),  # buttons: named for a screen reader
                             style={"description_width": "initial", "button_width": "56px"})
    box = display.linked(slider, lambda share: f"{display.table(split_table(share))}"
                                               f"{split_map(share, height=400)._repr_html_()}")
    box.slider, box.shown = slider, box.view
    return box


def cumulative_shares() -> pd.DataFrame:
    """The islands from Hokkaido outwards with their share of the land, added up."""
    areas = [split_for_share(0.5)["areas_km2"][i] for i in records.FROM_HOKKAIDO]
    return _frame([{"name": records.name(i), "area": round(area, 1), "share": f"{area / sum(areas):.1%}",
                    "upto": f"{upto / sum(areas):.1%}"}
                   for i, area, upto in zip(records.FROM_HOKKAIDO, areas, accumulate(areas), strict=True)],
                  "kurils.cumulative_columns")


# --------------------------------------------------------------------------- exercises


def exercise(ident: str) -> exercises.Exercise:
    """Exercise ``ident`` of the lesson (``"order"``, ``"china_share"``, ``"halves_question"``,
    ``"discussion"``) with what the lesson computes filled in; it shows itself as a widget."""
    lesson = content.lesson(LESSON)
    spec = lesson.get(f"exercises.{data._choice('exercise', ident, lesson.get('exercises'))}")
    if ident == "order":  # the key comes from the events' dates in the timeline
        dates = {i["id"]: records.row("timeline", i["event"])["date"] for i in spec["items"]}
        key = {i: spec["categories"][n] for n, i in enumerate(sorted(dates, key=dates.__getitem__))}
        return lesson.exercise(ident, key=key, items={i["id"]: i["text"] for i in spec["items"]},
                               reasons={i: _t("order_reason", date=display.long_date(d), place=key[i])
                                        for i, d in dates.items()},
                               hints={i["id"]: i["hint"] for i in spec["items"] if i.get("hint")})
    if ident == "china_share":
        return lesson.exercise(ident, expected=round(100 * china_share(), 1))
    if ident != "halves_question":
        return lesson.exercise(ident)
    upto, cut = list(cumulative_shares().iloc[:, -1]), split_for_share(0.5)["cut_island"]
    options = [{"text": records.name(i), "why": _t("kurils.halves.cut", before=upto[n - 1], upto=upto[n])
                if i == cut else _t("kurils.halves.short", name=records.name(i), upto=upto[n])}
               for n, i in enumerate(records.FROM_HOKKAIDO)]
    return lesson.exercise(ident, options=options, answer=records.name(cut))


# --------------------------------------------------------------------------- does it transfer?


def transfer_evidence() -> pd.DataFrame:
    """The records the lesson weighs: the China case, Putin's reading, both governments' positions."""
    rows = []
    for entry in content.lesson(LESSON).get("evidence.rows"):
        table, ident = ("timeline", entry["event"]) if "event" in entry else ("positions", entry["position"])
        row = records.row(table, ident)
        rows.append({"voice": entry["voice"], "date": display.long_date(row["date"]),
                     "says": row["summary"] if table == "timeline" else row["statement"],
                     "words": row.get("quote") or "",  # only positions quote exact words
                     "confidence": row["confidence"], "id": ident})
    return _frame(rows, "evidence.columns")


def sources_used() -> list[str]:
    """Ids of every source behind the records this lesson shows, in first-use order."""
    lesson = content.lesson(LESSON)
    used, reported = lesson.get("sources_used"), lesson.get("amur.reported_areas")
    ids = records.sources_of("timeline", data.timeline(topic="china_russia")["id"])
    ids += records.sources_of("documents", used["documents"])
    ids += records.sources_of("figures", [TRANSFER_FIGURE, *(f for r in reported for f in r["figures"])])
    for table, key in (("timeline", "event"), ("positions", "position")):  # the records weighed
        ids += records.sources_of(table, [r[key] for r in lesson.get("evidence.rows") if key in r])
    return list(dict.fromkeys(ids + records.sources_of("timeline", used["events"])))
