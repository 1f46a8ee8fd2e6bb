"""The "Chinese model": how Russia and China divided their last disputed river islands,
and what a division of the four Kuril islands "by halves" of land would look like.

Pure functions compute which land each side holds (from the project's polygons); the
map and widget functions only draw what those functions return. The Amur island
outlines are APPROXIMATE (see ``data/geo/SOURCES.md``), so their areas are too.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd
import shapely
from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import split

from . import data, geo, maps
from .display import long_date

__all__ = [
    "AMUR_ISLANDS",
    "APPROX",
    "BOUNDARY_LINES",
    "EVIDENCE",
    "KURIL_ORDER",
    "ORDER_ITEMS",
    "SHARE_STOPS",
    "STATES",
    "TRANSFER_FIGURE",
    "amur_explorer",
    "amur_map",
    "china_share",
    "china_share_quiz",
    "cumulative_shares",
    "format_date",
    "halves_question",
    "holdings",
    "holdings_table",
    "order_exercise",
    "outline_comparison",
    "share_explorer",
    "show_table",
    "sources_used",
    "split_for_share",
    "split_island",
    "split_map",
    "split_table",
    "transfer_comparison",
    "transfer_evidence",
]

# --------------------------------------------------------------------------- the Amur islands

STATES = ("before", "after")
STATE_LABELS = {
    "before": "Before 2004: both islands held by Russia, claimed by China",
    "after": "After the handover of 14 October 2008",
}
AMUR_ISLANDS = ("tarabarov", "bolshoy_ussuriysky")
BOUNDARY_LINES = {"before": "cn_ru_boundary_pre2004", "after": "cn_ru_boundary_2004"}
LINE_LABELS = {
    "before": "Boundary before 2004 (de facto line, as drawn in Natural Earth 4.1.0)",
    "after": "Boundary agreed in 2004, demarcated in 2008 (as mapped in OpenStreetMap)",
}
APPROX = "APPROXIMATE OUTLINE"
SIDES = ("russia", "china")
# The box the Amur lines were clipped to (data/geo/SOURCES.md, step C). China lies in the
# south-west corner of it: south of the Amur and west of the Ussuri.
_AMUR_FRAME = (134.0, 48.0, 135.3, 48.6)
_CHINA_CORNER = Point(134.0 + 1e-3, 48.0 + 1e-3)
# Figure id of the land Russia handed over in 2008, as reported (figures.csv).
TRANSFER_FIGURE = "amur_transferred_area"
# Reported island areas (figures.csv) to set beside the outlines' areas.
REPORTED_AREAS = {"tarabarov": ("tarabarov_area",),
                  "bolshoy_ussuriysky": ("bolshoy_ussuriysky_area_low",
                                         "bolshoy_ussuriysky_area_high")}


def _check_state(state: str) -> str:
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}; valid states: {', '.join(STATES)}")
    return state


def _check_island(island: str) -> str:
    if island not in AMUR_ISLANDS:
        raise ValueError(f"unknown Amur island {island!r}; valid islands: {', '.join(AMUR_ISLANDS)}")
    return island


def _china_side(line_id: str) -> BaseGeometry:
    """The part of the Amur frame on China's side of a boundary line."""
    line = geo.geometry(line_id)
    faces = split(box(*_AMUR_FRAME), line)
    for face in faces.geoms:
        if face.contains(_CHINA_CORNER):
            return face
    raise ValueError(f"line {line_id!r} does not cut the Amur frame into two sides")


def split_island(island: str, line_id: str = "cn_ru_boundary_2004") -> dict[str, BaseGeometry]:
    """An Amur island cut by a boundary line: ``{"china": ..., "russia": ...}`` land."""
    _check_island(island)
    if line_id not in BOUNDARY_LINES.values():
        raise ValueError(f"unknown line {line_id!r}; valid lines: "
                         f"{', '.join(BOUNDARY_LINES.values())}")
    shape = geo.geometry(island)
    side = _china_side(line_id)
    parts: dict[str, list[BaseGeometry]] = {"china": [], "russia": []}
    for piece in split(shape, geo.geometry(line_id)).geoms:
        owner = "china" if side.contains(piece.representative_point()) else "russia"
        parts[owner].append(piece)
    return {k: shapely.union_all(v) if v else shapely.Polygon() for k, v in parts.items()}


def holdings(state: str) -> dict[str, dict[str, BaseGeometry]]:
    """Which land of each Amur island Russia and China hold in ``state``.

    ``"before"``: Russia holds both islands (China claimed them). ``"after"``: each
    island is split by the line agreed in 2004 and demarcated in 2008.
    """
    _check_state(state)
    if state == "before":
        return {i: {"russia": geo.geometry(i), "china": shapely.Polygon()} for i in AMUR_ISLANDS}
    return {i: split_island(i, BOUNDARY_LINES["after"]) for i in AMUR_ISLANDS}


def _names(feature_id: str) -> dict[str, str]:
    props = data.geo_features()[feature_id]["properties"]
    return {k: str(props.get(k) or "") for k in ("name_en", "name_ru", "name_zh")}


def holdings_table(state: str) -> pd.DataFrame:
    """Areas (km², of the APPROXIMATE outlines) each side holds in ``state``, with a total row."""
    rows = []
    for island, parts in holdings(state).items():
        names = _names(island)
        rows.append({"island": names["name_en"], "Russian name": names["name_ru"],
                     "Chinese name": names["name_zh"],
                     "held by Russia (km²)": round(geo.area_km2(parts["russia"]), 1)
                     if not parts["russia"].is_empty else 0.0,
                     "held by China (km²)": round(geo.area_km2(parts["china"]), 1)
                     if not parts["china"].is_empty else 0.0})
    table = pd.DataFrame(rows)
    total = {"island": "Both islands", "Russian name": "", "Chinese name": "",
             "held by Russia (km²)": round(table["held by Russia (km²)"].sum(), 1),
             "held by China (km²)": round(table["held by China (km²)"].sum(), 1)}
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def china_share(island: str = "bolshoy_ussuriysky") -> float:
    """Fraction (0-1) of an island's APPROXIMATE outline on China's side of the 2004 line."""
    parts = split_island(island)
    whole = geo.area_km2(geo.geometry(island))
    return 0.0 if parts["china"].is_empty else geo.area_km2(parts["china"]) / whole


def transfer_comparison() -> pd.DataFrame:
    """Land on China's side after 2008: computed from the outlines vs the reported figure."""
    computed = holdings_table("after").iloc[-1]["held by China (km²)"]
    reported = data.figure(TRANSFER_FIGURE)
    row = data.figures().set_index("id").loc[TRANSFER_FIGURE]
    return pd.DataFrame([
        {"what": "Computed from the APPROXIMATE outlines, split by the 2004 line",
         "km²": float(computed), "source": "this lesson's calculation"},
        {"what": "Reported as handed over in 2008", "km²": reported,
         "source": f"{'; '.join(row['source_ids'])} ({row['confidence']} confidence)"},
        {"what": "Difference (computed − reported)", "km²": round(float(computed) - reported, 1),
         "source": f"{(float(computed) - reported) / reported:+.0%} of the reported figure"},
    ])


def outline_comparison() -> pd.DataFrame:
    """Area of each APPROXIMATE outline beside the areas reported for the island."""
    figures = data.figures().set_index("id")
    rows = []
    for island in AMUR_ISLANDS:
        ids = REPORTED_AREAS[island]
        values = [float(figures.loc[i, "value"]) for i in ids]
        reported = "–".join(f"{v:g}" for v in values)
        sources = sorted({s for i in ids for s in figures.loc[i, "source_ids"]})
        confidence = ", ".join(dict.fromkeys(figures.loc[i, "confidence"] for i in ids))
        rows.append({"island": _names(island)["name_en"],
                     "outline area (km²)": round(geo.area_km2(geo.geometry(island)), 1),
                     "reported area (km²)": reported, "source": "; ".join(sources),
                     "confidence": confidence})
    return pd.DataFrame(rows)


def _amur_tooltip(island: str, side: str, state: str) -> str:
    names = _names(island)
    holder = "Russia" if side == "russia" else "China"
    return (f"{names['name_en']} — {names['name_ru']} / {names['name_zh']} — {APPROX} — "
            f"held by {holder} ({'before 2004' if state == 'before' else 'after 2008'})")


def amur_map(state: str = "after", height: int = 460) -> maps.OfflineMap:
    """Map of Tarabarov and Bolshoy Ussuriysky in ``state``, coloured by who holds the land."""
    _check_state(state)
    held = holdings(state)
    bounds = shapely.union_all([geo.geometry(i) for i in AMUR_ISLANDS]).bounds
    fmap = maps.base_map((bounds[0] - 0.06, bounds[1] - 0.05, bounds[2] + 0.06, bounds[3] + 0.05),
                         height=height, attribution="Islands: GSHHG 2.3.7 (LGPL-3.0), APPROXIMATE; "
                         "lines: © OpenStreetMap contributors (ODbL) and Natural Earth")
    frame = box(bounds[0] - 0.15, bounds[1] - 0.12, bounds[2] + 0.15, bounds[3] + 0.12)
    for island, parts in held.items():
        for side in SIDES:
            if not parts[side].is_empty:
                tip = _amur_tooltip(island, side, state)
                popup = (f"<b>{html.escape(tip)}</b><br>Area of this part of the outline: "
                         f"{geo.area_km2(parts[side]):,.1f} km²")
                maps.add_land(fmap, parts[side], side, tip, popup, weight=1.2)
    other = "after" if state == "before" else "before"
    maps.add_line(fmap, geo.geometry(BOUNDARY_LINES[other]).intersection(frame),
                  f"{LINE_LABELS[other]} — for comparison", colour="context", dashed=False, weight=2)
    maps.add_line(fmap, geo.geometry(BOUNDARY_LINES[state]).intersection(frame),
                  LINE_LABELS[state], weight=3)
    maps.add_title(fmap, f"Amur–Ussuri islands, {'before 2004' if state == 'before' else 'after 2008'}"
                   f" ({APPROX}S)", "Only the two islands are drawn; the river banks around "
                   "them are not. Hover for names.")
    maps.add_legend(fmap, {"russia": f"Held by Russia ({APPROX}S)",
                           "china": f"Held by China ({APPROX}S)",
                           "line": LINE_LABELS[state],
                           "context": "Grey line: the boundary in the other state"})
    return fmap


def _frame_html(fmap: maps.OfflineMap) -> str:
    return fmap._repr_html_()


def amur_explorer() -> Any:
    """A widget: toggle between before and after; shows the map and a table of areas."""
    import ipywidgets as w

    toggle = w.ToggleButtons(options=[("Before 2004", "before"), ("After 2008", "after")],
                             value="before")
    shown = w.HTML()

    def show(state: str) -> None:
        table = show_table(holdings_table(state)).to_html()
        shown.value = (f"<b>{html.escape(STATE_LABELS[state])}</b> — areas of the "
                       f"{APPROX}S{table}{_frame_html(amur_map(state, height=380))}")

    toggle.observe(lambda change: show(change["new"]), names="value")
    show(toggle.value)
    box_ = w.VBox([toggle, shown])
    box_.toggle, box_.shown = toggle, shown  # for tests and notebooks
    return box_


# --------------------------------------------------------------------------- the Kurils by halves

KURIL_ORDER = ("habomai", "shikotan", "kunashiri", "etorofu")  # from Hokkaido outwards
SHARE_STOPS = (0.07, 0.25, 0.5, 0.75, 1.0)
_CONTEXT = ("hokkaido_east", "urup")


def _check_share(share: float) -> float:
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
        raise ValueError(f"share {share!r} must be a number from 0 to 1 (e.g. 0.5 for half); "
                         f"suggested shares: {', '.join(map(str, SHARE_STOPS))}")
    return float(share)


def split_for_share(share: float) -> dict[str, Any]:
    """Give Japan ``share`` (0-1) of the four islands' land, island by island from Hokkaido.

    Whole islands go to Japan in the order Habomai, Shikotan, Kunashiri, Etorofu; the island
    where the share runs out is cut by a straight line across its long axis
    (:func:`kuril_teaching.equal_area_cut`), its south-western part going to Japan.
    Returns the ``japan`` and ``russia`` land, the ``cut_line`` and ``cut_island`` (or None),
    ``japan_km2``, ``russia_km2``, ``total_km2``, ``cut_island_japan_km2``, ``share`` (the
    share reached) and, per island, ``areas_km2`` and ``to_japan_km2``.
    An illustration computed from the map polygons, not any government's proposal.
    """
    share = _check_share(share)
    shapes = {i: geo.geometry(i) for i in KURIL_ORDER}
    areas = {i: geo.area_km2(g) for i, g in shapes.items()}
    total = sum(areas.values())
    target = share * total
    japan: list[BaseGeometry] = []
    russia: list[BaseGeometry] = []
    cut_line, cut_island, cut_part = None, None, 0.0
    given = 0.0
    per_island: dict[str, float] = {}
    for ident in KURIL_ORDER:
        need = target - given
        if need >= areas[ident] - 1e-6:
            japan.append(shapes[ident])
            per_island[ident] = areas[ident]
        elif need <= 1e-6 or cut_island is not None:
            russia.append(shapes[ident])
            per_island[ident] = 0.0
        else:
            first, rest, cut_line = geo.equal_area_cut(shapes[ident], need)
            japan.append(geo.polygons_only(first))
            russia.append(geo.polygons_only(rest))
            cut_island, cut_part = ident, geo.area_km2(geo.polygons_only(first))
            per_island[ident] = cut_part
        given += per_island[ident]
    land_japan = shapely.union_all(japan) if japan else shapely.Polygon()
    land_russia = shapely.union_all(russia) if russia else shapely.Polygon()
    japan_km2 = sum(geo.area_km2(g) for g in japan)
    russia_km2 = sum(geo.area_km2(g) for g in russia)
    return {"japan": land_japan, "russia": land_russia, "cut_line": cut_line,
            "cut_island": cut_island, "japan_km2": japan_km2, "russia_km2": russia_km2,
            "total_km2": total, "cut_island_japan_km2": cut_part,
            "to_japan_km2": per_island, "areas_km2": areas, "share": japan_km2 / total}


def _island_name(ident: str) -> str:
    row = data.islands_table().set_index("id").loc[ident]
    return str(row["name_en"])


def split_table(share: float) -> pd.DataFrame:
    """Text alternative of :func:`split_for_share`: who gets what, in km² of the map polygons."""
    result = split_for_share(share)
    rows = []
    for ident in KURIL_ORDER:
        whole, to_japan = result["areas_km2"][ident], result["to_japan_km2"][ident]
        rows.append({"island": _island_name(ident), "area (km²)": round(whole, 1),
                     "to Japan (km²)": round(to_japan, 1),
                     "to Russia (km²)": round(whole - to_japan, 1),
                     "cut here?": "yes" if ident == result["cut_island"] else ""})
    table = pd.DataFrame(rows)
    table.loc[len(table)] = {"island": "All four", "area (km²)": round(result["total_km2"], 1),
                             "to Japan (km²)": round(result["japan_km2"], 1),
                             "to Russia (km²)": round(result["russia_km2"], 1),
                             "cut here?": f"Japan's share: {result['share']:.1%}"}
    return table


def split_map(share: float = 0.5, height: int = 480) -> maps.OfflineMap:
    """Map of :func:`split_for_share`: Japan's and Russia's land and the cut line."""
    result = split_for_share(share)
    land = shapely.union_all([geo.geometry(i) for i in KURIL_ORDER])
    minx, miny, maxx, maxy = land.bounds
    view = (minx - 0.25, miny - 0.2, maxx + 0.6, maxy + 0.45)  # room for the title box
    fmap = maps.base_map(view, height=height)
    features = data.geo_features()
    drawn = []
    for ident in _CONTEXT:
        if ident in features:
            props = features[ident]["properties"]
            clipped = geo.polygons_only(geo.geometry(ident).intersection(box(*view)))
            if not clipped.is_empty:
                maps.add_land(fmap, clipped, "context", f"{props['name_en']} — "
                              f"{props.get('name_ja', '')} / {props.get('name_ru', '')} "
                              "(not part of the dispute)", weight=0.5)
                drawn.append(str(props["name_en"]).split(" (")[0])
    label = f"Illustration only: Japan {result['share']:.0%} of the land"
    for side, name in (("japan", "Japan"), ("russia", "Russia")):
        if not result[side].is_empty:
            tip = f"{label} — this land would go to {name} ({result[f'{side}_km2']:,.0f} km²)"
            maps.add_land(fmap, result[side], side, tip, weight=1.2)
    legend = {"japan": "Land Japan would get in this illustration",
              "russia": "Land Russia would keep in this illustration",
              "context": f"Other land ({', '.join(drawn)}): not part of the dispute"}
    if result["cut_line"] is not None:
        name = _island_name(result["cut_island"])
        maps.add_line(fmap, result["cut_line"], f"Straight cut across {name}: an illustration, "
                      "not a proposed border")
        legend["line"] = f"Cut line across {name} (illustration)"
    maps.add_title(fmap, f"Dividing the land: Japan {result['share']:.0%}, Russia "
                   f"{1 - result['share']:.0%}", "An illustration computed in this lesson, "
                   "not any government's proposal.")
    maps.add_legend(fmap, legend)
    return fmap


def share_explorer() -> Any:
    """A widget: a slider for Japan's share of the land, showing the map and the table."""
    import ipywidgets as w

    slider = w.SelectionSlider(options=[(f"{s:.0%}", s) for s in SHARE_STOPS], value=0.5,
                               description="Japan's share", continuous_update=False,
                               style={"description_width": "initial"})
    shown = w.HTML()

    def show(share: float) -> None:
        table = show_table(split_table(share)).to_html()
        shown.value = table + _frame_html(split_map(share, height=400))

    slider.observe(lambda change: show(change["new"]), names="value")
    show(slider.value)
    box_ = w.VBox([slider, shown])
    box_.slider, box_.shown = slider, shown
    return box_


# --------------------------------------------------------------------------- exercises

ORDER_ITEMS: Mapping[str, str] = {
    "sino_russian_treaty_2001": "Treaty of Good-Neighbourliness, Friendship and Cooperation",
    "sino_soviet_eastern_border_agreement_1991": "Agreement on the eastern section of the border",
    "sino_russian_island_transfer_2008": "Handover of Tarabarov and part of Bolshoy Ussuriysky",
    "sino_russian_border_protocols_1999": "Protocols describing the demarcated border",
    "sino_russian_complementary_agreement_2004": "Complementary Agreement on the last islands",
}


def order_exercise() -> tuple[dict[str, str], list[str], dict[str, str], dict[str, str]]:
    """Items, categories, key and reasons for ``kt.sorting_quiz``: put five events in order.

    The key comes from the dates in the timeline, so it always matches the data.
    """
    events = data.timeline(topic="china_russia").set_index("id")
    missing = [i for i in ORDER_ITEMS if i not in events.index]
    if missing:
        raise ValueError(f"timeline ids missing: {', '.join(missing)}")
    letters = {ident: "ABCDE"[n] for n, ident in enumerate(ORDER_ITEMS)}
    ranked = sorted(ORDER_ITEMS, key=lambda i: events.loc[i, "date"])
    positions = ["1st", "2nd", "3rd", "4th", "5th"]
    key = {letters[i]: positions[n] for n, i in enumerate(ranked)}
    reasons = {letters[i]: f"it is dated {format_date(events.loc[i, 'date'])}, so it comes "
               f"{positions[n]}" for n, i in enumerate(ranked)}
    items = {letters[i]: text for i, text in ORDER_ITEMS.items()}
    return items, positions, key, reasons


def format_date(iso: str) -> str:
    """An ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) as "16 July 2001"."""
    return long_date(iso)


def china_share_quiz() -> Any:
    """A number self-check: the percentage of Bolshoy Ussuriysky's outline on China's side."""
    from .quiz import number_quiz

    return number_quiz("What percentage of the Bolshoy Ussuriysky outline lies on China's side "
                       "of the 2004 line?", round(100 * china_share(), 1), tolerance=0.03,
                       unit="%", hint="Divide the area of the 'china' part by the area of the "
                       "whole island outline, then multiply by 100.")


def cumulative_shares() -> pd.DataFrame:
    """The islands from Hokkaido outwards with their share of the land, added up."""
    areas = {i: geo.area_km2(geo.geometry(i)) for i in KURIL_ORDER}
    total = sum(areas.values())
    running = 0.0
    rows = []
    for ident, area in areas.items():
        running += area
        rows.append({"island": _island_name(ident), "area (km²)": round(area, 1),
                     "share of the land": f"{area / total:.1%}",
                     "share with the islands before it": f"{running / total:.1%}"})
    return pd.DataFrame(rows)


def halves_question() -> Any:
    """A :class:`kuril_teaching.Question`: which island would a division by halves cut?"""
    from .quiz import Question

    table = cumulative_shares().set_index("island")
    names = [_island_name(i) for i in KURIL_ORDER]
    upto = table["share with the islands before it"]
    cut = _island_name(split_for_share(0.5)["cut_island"])
    why = {}
    for name in names:
        if name == cut:
            why[name] = (f"Without it Japan would have {upto.iloc[names.index(name) - 1]} of "
                         f"the land; with all of it, {upto[name]}. Half lies inside it.")
        else:
            why[name] = (f"The islands up to and including {name} make only {upto[name]} "
                         "of the land: not yet half.")
    return Question("If the four islands' land were divided in half, starting from the islands "
                    "nearest Hokkaido, which island would the line have to cut?",
                    names, cut, why)


# --------------------------------------------------------------------------- does it transfer?

EVIDENCE: tuple[tuple[str, str, str], ...] = (
    # (voice, table, id): the rows the lesson sets side by side
    ("The China case: what the 2004 agreement did", "timeline",
     "sino_russian_complementary_agreement_2004"),
    ("The China case: the basic treaty", "timeline", "sino_russian_treaty_2001"),
    ("Russia's president (reported)", "timeline", "putin_china_example_statements"),
    ("Japan's government", "positions", "jp_mofa_illegal_occupation"),
    ("Russia's government", "positions", "ru_2019_sovereignty_not_discussed"),
    ("Russia's government", "positions", "ru_2023_no_territorial_dispute"),
)


def transfer_evidence() -> pd.DataFrame:
    """The records the lesson weighs: the China case, Putin's reading, both governments' positions."""
    tables = {"timeline": data.timeline().set_index("id"),
              "positions": data.positions().set_index("id")}
    rows = []
    for voice, table, ident in EVIDENCE:
        row = tables[table].loc[ident]
        text = row["summary"] if table == "timeline" else row["statement"]
        quote = row.get("quote", "") if table == "positions" else ""
        rows.append({"voice": voice, "date": format_date(row["date"]), "what the record says": text,
                     "exact words": quote, "confidence": row["confidence"], "id": ident})
    return pd.DataFrame(rows)


# Events outside the China strand that the lesson cites when present in the timeline.
EXTRA_EVENTS = ("aso_area_split_remark_2006",)
LESSON_FIGURES = (TRANSFER_FIGURE, "tarabarov_area", "bolshoy_ussuriysky_area_low",
                  "bolshoy_ussuriysky_area_high")


def sources_used() -> list[str]:
    """Ids of every source behind the rows this lesson shows, in first-use order."""
    ids: list[str] = []
    ids += [s for ids_ in data.timeline(topic="china_russia")["source_ids"] for s in ids_]
    ids += [s for ids_ in data.documents("sino_russian_demarcation_statement_1997")["source_ids"]
            for s in ids_]
    figures = data.figures().set_index("id")
    ids += [s for f in LESSON_FIGURES for s in figures.loc[f, "source_ids"]]
    timeline = data.timeline().set_index("id")
    positions = data.positions().set_index("id")
    for _voice, table, ident in EVIDENCE:
        frame = timeline if table == "timeline" else positions
        ids += list(frame.loc[ident, "source_ids"])
    ids += [s for i in EXTRA_EVENTS if i in timeline.index for s in timeline.loc[i, "source_ids"]]
    return list(dict.fromkeys(ids))



def show_table(frame: pd.DataFrame) -> Any:
    """A table for reading: no index, text aligned left, numbers to one decimal place."""
    return (frame.style.hide(axis="index").format(precision=1)
            .set_properties(**{"text-align": "left", "vertical-align": "top"})
            .set_table_styles([{"selector": "th", "props": [("text-align", "left")]}]))
