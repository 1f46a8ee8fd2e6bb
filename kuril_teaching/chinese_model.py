"""The "Chinese model": how Russia and China divided their last disputed river islands,
and what a division of the four Kuril islands "by halves" of land would look like.

Pure functions compute which land each side holds from the project's polygons; tables, maps
and widgets show what they return, in the words of ``data/lessons/04_chinese_model.yaml``.
The Amur island outlines are APPROXIMATE (see ``data/geo/SOURCES.md``), so their areas are too.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import pandas as pd
import shapely
from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import split

from . import content, data, display, exercises, geo, maps, records

__all__ = [
    "AMUR_ISLANDS", "BOUNDARY_LINES", "SHARE_STOPS", "TRANSFER_FIGURE", "amur_explorer", "amur_map",
    "china_share", "cumulative_shares", "exercise", "holdings", "holdings_table",
    "outline_comparison", "share_explorer", "sources_used", "split_for_share",
    "split_island", "split_map", "split_table", "state_label", "transfer_comparison",
    "transfer_evidence",
]

LESSON = "04_chinese_model"
STATES = ("before", "after")
SIDES = ("russia", "china")
AMUR_ISLANDS = ("tarabarov", "bolshoy_ussuriysky")
BOUNDARY_LINES = {"before": "cn_ru_boundary_pre2004", "after": "cn_ru_boundary_2004"}
# The box the Amur lines were clipped to (data/geo/SOURCES.md, step C). China lies in the
# south-west corner of it: south of the Amur and west of the Ussuri.
_AMUR_FRAME = (134.0, 48.0, 135.3, 48.6)
_CHINA_CORNER = Point(134.0 + 1e-3, 48.0 + 1e-3)
TRANSFER_FIGURE = "amur_transferred_area"  # the land Russia handed over in 2008, as reported
REPORTED_AREAS = {"tarabarov": ("tarabarov_area",),
                  "bolshoy_ussuriysky": ("bolshoy_ussuriysky_area_low", "bolshoy_ussuriysky_area_high")}
QUOTED_DOCUMENT = "sino_russian_1997_statement_phrase_en"
AREA_REMARK = "aso_area_split_remark_2006"  # the 2006 remark on dividing the land by area
SHARE_STOPS = (0.07, 0.25, 0.5, 0.75, 1.0)


def _t(key: str, **values: Any) -> str:
    return content.lesson(LESSON).text(key, **values)


def _frame(rows: list[dict[str, Any]], headers: str) -> pd.DataFrame:
    """Rows keyed as in the content file's ``headers`` block, shown under those headers."""
    return pd.DataFrame(rows).rename(columns=content.lesson(LESSON).get(headers))


def _area(geom: BaseGeometry) -> float:
    return 0.0 if geom.is_empty else round(geo.area_km2(geom), 1)


# --------------------------------------------------------------------------- the Amur islands


def state_label(state: str) -> str:
    """What ``"before"`` or ``"after"`` means, in a sentence."""
    return _t(f"amur.states.{data._choice('state', state, STATES)}")


def split_island(island: str, line_id: str = "cn_ru_boundary_2004") -> dict[str, BaseGeometry]:
    """An Amur island cut by a boundary line: ``{"china": ..., "russia": ...}`` land."""
    data._choice("Amur island", island, AMUR_ISLANDS)
    data._choice("line", line_id, BOUNDARY_LINES.values())
    faces = split(box(*_AMUR_FRAME), geo.geometry(line_id)).geoms
    side = next(face for face in faces if face.contains(_CHINA_CORNER))  # China's side of the line
    parts: dict[str, list[BaseGeometry]] = {"china": [], "russia": []}
    for piece in split(geo.geometry(island), geo.geometry(line_id)).geoms:
        parts["china" if side.contains(piece.representative_point()) else "russia"].append(piece)
    return {k: shapely.union_all(v) if v else shapely.Polygon() for k, v in parts.items()}


def holdings(state: str) -> dict[str, dict[str, BaseGeometry]]:
    """Land of each Amur island held by Russia and China: ``"before"`` 2004 Russia held both
    (China claimed them); ``"after"`` 2008 each is split by the line agreed in 2004."""
    data._choice("state", state, STATES)
    if state == "before":
        return {i: {"russia": geo.geometry(i), "china": shapely.Polygon()} for i in AMUR_ISLANDS}
    return {i: split_island(i, BOUNDARY_LINES["after"]) for i in AMUR_ISLANDS}


def holdings_table(state: str) -> pd.DataFrame:
    """Areas (km², of the APPROXIMATE outlines) each side holds in ``state``, with a total row."""
    rows = [{"name": records.name(i), "ru": records.name(i, "ru"),
             "zh": records.row("islands", i)["name_zh"], **{s: _area(p[s]) for s in SIDES}}
            for i, p in holdings(state).items()]
    total = {s: round(sum(r[s] for r in rows), 1) for s in SIDES}
    return _frame([*rows, {"name": _t("amur.both"), "ru": "", "zh": "", **total}], "amur.holdings_columns")


def china_share(island: str = "bolshoy_ussuriysky") -> float:
    """Fraction (0-1) of an island's APPROXIMATE outline on China's side of the 2004 line."""
    china = split_island(island)["china"]
    return 0.0 if china.is_empty else geo.area_km2(china) / geo.area_km2(geo.geometry(island))


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
    rows = []
    for island, ids in REPORTED_AREAS.items():
        figures = records.rows("figures", ids)
        rows.append({"name": records.name(island), "outline": _area(geo.geometry(island)),
                     "reported": "–".join(f"{float(f['value']):g}" for f in figures),
                     "source": "; ".join(sorted({s for f in figures for s in f["source_ids"]})),
                     "confidence": ", ".join(dict.fromkeys(f["confidence"] for f in figures))})
    return _frame(rows, "amur.outline_columns")


def amur_map(state: str = "after", height: int = 460) -> maps.OfflineMap:
    """Map of Tarabarov and Bolshoy Ussuriysky in ``state``, coloured by who holds the land."""
    held = holdings(state)
    approx, plural, when = _t("amur.approx"), _t("amur.approx_plural"), _t(f"amur.when.{state}")
    minx, miny, maxx, maxy = shapely.union_all([geo.geometry(i) for i in AMUR_ISLANDS]).bounds
    frame = box(minx - 0.15, miny - 0.12, maxx + 0.15, maxy + 0.12)
    layers: list[maps.Land | maps.Line] = []
    for island, parts in held.items():
        for side in (s for s in SIDES if not parts[s].is_empty):
            tip = _t("amur.tooltip", name=records.name(island), ru=records.name(island, "ru"),
                     zh=records.row("islands", island)["name_zh"], approx=approx, when=when,
                     holder=_t(f"amur.holders.{side}"))
            area = html.escape(_t("amur.popup_area", area=geo.area_km2(parts[side])))
            layers.append(maps.Land(shape=parts[side], meaning=side, label=tip,
                                    popup=f"<b>{html.escape(tip)}</b><br>{area}"))
    other = "after" if state == "before" else "before"
    layers += [maps.Line(geo.geometry(BOUNDARY_LINES[other]).intersection(frame), _t(
                   "amur.comparison", line=_t(f"amur.lines.{other}")), "context", False, 2),
               maps.Line(geo.geometry(BOUNDARY_LINES[state]).intersection(frame),
                         _t(f"amur.lines.{state}"), weight=3)]
    legend = {s: _t(f"amur.legend.{s}", approx=plural) for s in SIDES}
    legend |= {"line": _t(f"amur.lines.{state}"), "context": _t("amur.legend.context")}
    fmap = maps.lesson_map(layers, _t("amur.title", when=when, approx=plural), _t("amur.subtitle"),
                           legend=legend, view=(minx - 0.06, miny - 0.05, maxx + 0.06, maxy + 0.05),
                           context={}, height=height, credit=_t("amur.credit"))
    return fmap


def _explorer(control: Any, handle: str, render: Callable[[Any], str]) -> Any:
    """``control`` (handle ``box.<handle>``) above ``render(value)`` (handle ``box.shown``)."""
    import ipywidgets as w

    shown = w.HTML(render(control.value))
    control.observe(lambda change: setattr(shown, "value", render(change["new"])), names="value")
    box_ = w.VBox([control, shown])
    box_.shown = shown
    setattr(box_, handle, control)
    return box_


def _amur_panel(state: str) -> str:
    head = _t("amur.explorer_head", state=state_label(state), approx=_t("amur.approx_plural"))
    return (f"<b>{html.escape(head)}</b>{display.table(holdings_table(state))}"
            f"{amur_map(state, height=380)._repr_html_()}")


def amur_explorer() -> Any:
    """Toggle (``box.toggle``) between before and after: a table of areas and the map."""
    import ipywidgets as w

    toggle = w.ToggleButtons(options=[(_t(f"amur.toggle.{s}"), s) for s in STATES], value="before")
    return _explorer(toggle, "toggle", _amur_panel)


# --------------------------------------------------------------------------- the Kurils by shares


def split_for_share(share: float) -> Mapping[str, Any]:
    """Japan gets ``share`` (0-1) of the four islands' land: whole islands from Hokkaido outwards,
    then the island where the share runs out cut straight across (:func:`geo.equal_area_cut`).

    Computed once per share (``split_for_share(0.5)`` is the 50:50 cut other lessons reuse); a
    read-only mapping of ``japan``/``russia`` land, ``cut_island``, ``cut_line``, ``cut_japan``/
    ``cut_russia`` (the cut island's parts) or None, ``japan_km2``, ``russia_km2``, ``total_km2``,
    ``share`` (reached), ``areas_km2``, ``to_japan_km2``. An illustration, not a proposal."""
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
        raise ValueError(f"share {share!r} must be a number from 0 to 1 (e.g. 0.5 for half); "
                         f"suggested shares: {', '.join(map(str, SHARE_STOPS))}")
    return _split(float(share))


@lru_cache(maxsize=16)
def _split(share: float) -> Mapping[str, Any]:
    parts = geo.split_by_share(records.FROM_HOKKAIDO, share)
    areas, whole, cut = parts["areas_km2"], parts["japan_ids"], parts["cut_island"]
    given = {i: areas[i] if i in whole else 0.0 for i in records.FROM_HOKKAIDO}
    if cut:
        given[cut] = geo.area_km2(parts["cut_first"])
    rest = [i for i in records.FROM_HOKKAIDO if i not in whole and i != cut]
    land = {"japan": [geo.geometry(i) for i in whole] + ([parts["cut_first"]] if cut else []),
            "russia": ([parts["cut_rest"]] if cut else []) + [geo.geometry(i) for i in rest]}
    total = sum(areas.values())
    km2 = {"japan": sum(given.values()), "russia": total - sum(given.values())}
    return MappingProxyType({
        **{side: shapely.union_all(p) if p else shapely.Polygon() for side, p in land.items()},
        "cut_island": cut, "cut_line": parts["cut_line"], "cut_japan": parts["cut_first"],
        "cut_russia": parts["cut_rest"], "japan_km2": km2["japan"], "russia_km2": km2["russia"],
        "total_km2": total, "share": km2["japan"] / total, "areas_km2": MappingProxyType(areas),
        "to_japan_km2": MappingProxyType(given)})


def split_table(share: float) -> pd.DataFrame:
    """Text alternative of :func:`split_for_share`: who gets what, in km² of the map polygons."""
    result = split_for_share(share)
    area, given = result["areas_km2"], result["to_japan_km2"]
    rows = [{"name": records.name(i), "area": round(area[i], 1), "japan": round(given[i], 1),
             "russia": round(area[i] - given[i], 1),
             "cut": _t("kurils.cut_yes") if i == result["cut_island"] else ""}
            for i in records.FROM_HOKKAIDO]
    rows.append({"name": _t("kurils.all_four"), "area": round(result["total_km2"], 1),
                 "japan": round(result["japan_km2"], 1), "russia": round(result["russia_km2"], 1),
                 "cut": _t("kurils.japan_share", share=result["share"])})
    return _frame(rows, "kurils.split_columns")


def split_map(share: float = 0.5, height: int = 480) -> maps.OfflineMap:
    """Map of :func:`split_for_share`: Japan's and Russia's land and the cut line."""
    result = split_for_share(share)
    minx, miny, maxx, maxy = shapely.union_all([geo.geometry(i) for i in records.FROM_HOKKAIDO]).bounds
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
    """A slider (``box.slider``) for Japan's share of the land: the table and the map."""
    import ipywidgets as w

    slider = w.SelectionSlider(options=[(f"{s:.0%}", s) for s in SHARE_STOPS], value=0.5,
                               description=_t("kurils.slider"), continuous_update=False,
                               style={"description_width": "initial"})
    return _explorer(slider, "slider", lambda s: f"{display.table(split_table(s))}"
                                                 f"{split_map(s, height=400)._repr_html_()}")


def cumulative_shares() -> pd.DataFrame:
    """The islands from Hokkaido outwards with their share of the land, added up."""
    areas = split_for_share(0.5)["areas_km2"]
    total, running, rows = sum(areas.values()), 0.0, []
    for ident in records.FROM_HOKKAIDO:
        running += areas[ident]
        rows.append({"name": records.name(ident), "area": round(areas[ident], 1),
                     "share": f"{areas[ident] / total:.1%}", "upto": f"{running / total:.1%}"})
    return _frame(rows, "kurils.cumulative_columns")


# --------------------------------------------------------------------------- exercises


def _order() -> dict[str, Any]:
    """Items, key and reasons of the order exercise; the key comes from the timeline's dates."""
    lesson = content.lesson(LESSON)
    items, places = lesson.get("exercises.order.items"), lesson.get("exercises.order.categories")
    dates = {i["id"]: records.row("timeline", i["event"])["date"] for i in items}
    key = {ident: places[n] for n, ident in enumerate(sorted(dates, key=dates.__getitem__))}
    reasons = {i: _t("order_reason", date=display.long_date(d), place=key[i]) for i, d in dates.items()}
    return {"items": {i["id"]: i["text"] for i in items}, "key": key, "reasons": reasons}


def exercise(ident: str) -> exercises.Exercise:
    """Exercise ``ident`` of the lesson (``"order"``, ``"china_share"``, ``"halves_question"``,
    ``"discussion"``) with what the lesson computes filled in; it shows itself as a widget."""
    lesson = content.lesson(LESSON)
    data._choice("exercise", ident, lesson.get("exercises"))
    if ident == "order":
        return lesson.exercise(ident, **_order())
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


def _evidence() -> list[tuple[str, str, str]]:
    """(voice, table, id) of the records section 4 sets side by side."""
    return [(e["voice"], "timeline", e["event"]) if "event" in e else
            (e["voice"], "positions", e["position"]) for e in content.lesson(LESSON).get("evidence.rows")]


def transfer_evidence() -> pd.DataFrame:
    """The records the lesson weighs: the China case, Putin's reading, both governments' positions."""
    rows = []
    for voice, table, ident in _evidence():
        row = records.row(table, ident)
        rows.append({"voice": voice, "date": display.long_date(row["date"]),
                     "says": row["summary"] if table == "timeline" else row["statement"],
                     "words": row.get("quote") or "" if table == "positions" else "",
                     "confidence": row["confidence"], "id": ident})
    return _frame(rows, "evidence.columns")


def sources_used() -> list[str]:
    """Ids of every source behind the records this lesson shows, in first-use order."""
    ids = records.sources_of("timeline", data.timeline(topic="china_russia")["id"])
    ids += records.sources_of("documents", [QUOTED_DOCUMENT])
    ids += records.sources_of("figures", [TRANSFER_FIGURE, *(f for fs in REPORTED_AREAS.values()
                                                              for f in fs)])
    for _voice, table, ident in _evidence():
        ids += records.sources_of(table, [ident])
    return list(dict.fromkeys(ids + records.sources_of("timeline", [AREA_REMARK])))
