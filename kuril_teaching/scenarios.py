"""What would each settlement mean? Six scenarios for the four islands, each with its provenance.

For every scenario the pure functions compute, from the project's polygons and tables, what
each side would hold: land (area and share), coastline, residents today and in 1945, and an
ILLUSTRATIVE maritime picture (territorial sea and a 200-nautical-mile window of sea divided
by equidistance). The maritime figures are not a legal delimitation. Results are cached per
scenario, so the explorer widget redraws quickly.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import folium
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from . import data, geo, maps, quiz
from .display import long_date, show
from .style import COLOURS

__all__ = [
    "BRIEF_PROMPT",
    "CUT_JAPAN",
    "CUT_RUSSIA",
    "ISLANDS",
    "SCENARIOS",
    "SIDES",
    "Outcome",
    "Scenario",
    "brief_rubric",
    "custom",
    "equidistance_demo",
    "get",
    "outcome",
    "outcome_table",
    "people_table",
    "position_questions",
    "positions_quiz",
    "provenance_table",
    "ranking_exercise",
    "ranking_quiz",
    "records",
    "scenario_explorer",
    "scenario_map",
    "scenario_table",
    "sea_question",
    "sea_steps",
    "share_1956_quiz",
    "show",
    "sources_used",
]

SIDES = ("japan", "russia")
SIDE_NAMES = {"japan": "Japan", "russia": "Russia"}
ISLANDS = ("habomai", "shikotan", "kunashiri", "etorofu")  # from Hokkaido outwards
# The two parts of Etorofu in the equal division of the land (the cut of lesson 04).
CUT_JAPAN = "etorofu_southwest"
CUT_RUSSIA = "etorofu_northeast"
_CUT_NAMES = {CUT_JAPAN: "Etorofu / Iturup, south-western part",
              CUT_RUSSIA: "Etorofu / Iturup, north-eastern part"}
# Land of each side around the islands, used for the median line (data/geo features).
CONTEXT_LAND = {
    "japan": ("hokkaido_east", "hokkaido_west"),
    "russia": ("urup", "kuril_north", "sakhalin_south", "sakhalin_north", "kamchatka_south"),
}
ZONE_DISPLAY_TOLERANCE_KM = 1.0  # zones are simplified this much for drawing only


# --------------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Scenario:
    """One possible settlement: which land goes to Japan, and who proposed or discussed it."""

    id: str
    name: str
    japan_islands: tuple[str, ...]
    description: str
    source_ids: tuple[str, ...]
    proposed_by: str
    date: str
    confidence: str
    kind: str = ""
    record_ids: tuple[str, ...] = ()


SCENARIOS: dict[str, Scenario] = {
    s.id: s for s in (
        Scenario(
            id="status_quo",
            name="Status quo: all four islands stay with Russia",
            japan_islands=(),
            description=("Russia keeps all four islands, which it has administered since 1945. "
                         "This is what Russia's government describes as the settled situation: it "
                         "holds that its sovereignty over the islands is not a subject of negotiation."),
            source_ids=("mid_lavrov_2019_01_14_repost", "rt_2019_01_14",
                        "japantoday_kyodo_2023_12_18", "yomiuri_jiji_2023_12_19"),
            proposed_by="Russia's government (Foreign Minister Sergey Lavrov, 14 January 2019 and "
                        "18 December 2023)",
            date="2019-01-14", confidence="medium", kind="a government's stated position",
            record_ids=("ru_2019_sovereignty_not_discussed", "ru_2023_no_territorial_dispute"),
        ),
        Scenario(
            id="declaration_1956",
            name="The 1956 terms: Habomai and Shikotan to Japan",
            japan_islands=("habomai", "shikotan"),
            description=("Article 9 of the Joint Declaration of 19 October 1956: the USSR agreed to "
                         "transfer the Habomai islets and Shikotan to Japan, the actual transfer to "
                         "follow a peace treaty. It says nothing about Kunashiri and Etorofu, and "
                         "nothing about whose territory the two are when they are transferred."),
            source_ids=("wikipedia_joint_declaration_1956", "mofa_compendium_1992_period5",
                        "nyt_1956_10_20_declaration_texts", "tass_2018_12_17"),
            proposed_by="The USSR and Japan: Joint Declaration, Article 9 (signed in Moscow, "
                        "ratified by both parliaments)",
            date="1956-10-19", confidence="medium", kind="a signed and ratified agreement",
            record_ids=("joint_declaration_1956", "joint_declaration_1956_art9_en_un"),
        ),
        Scenario(
            id="two_plus_alpha",
            name="'Two plus alpha': Habomai and Shikotan first, talks on the other two",
            japan_islands=("habomai", "shikotan"),
            description=("Habomai and Shikotan go to Japan first, as in 1956; Kunashiri and Etorofu "
                         "stay under Russian administration while 'something more' (the alpha) is "
                         "negotiated: talks on their sovereignty, or arrangements such as joint "
                         "economic activity. On a map of today it looks exactly like the 1956 terms; "
                         "the difference is what is promised for later, which a map cannot show."),
            source_ids=("japantimes_2012_05_06_two_first", "japantimes_2016_09_02_two_track",
                        "japantimes_2016_05_11_commentary", "mainichi_2018_11_23_two_plus_alpha",
                        "japantimes_2000_12_02", "peoples_daily_2001_05_15"),
            proposed_by="Japanese negotiators under Prime Minister Yoshiro Mori around the Irkutsk "
                        "summit, March 2001 (as reported later); the idea resurfaced under Prime "
                        "Minister Abe in 2016-2018",
            date="2001-03", confidence="medium", kind="a reported negotiating approach",
            record_ids=("two_track_proposal_2001", "jp_2000_two_islands_first",
                        "irkutsk_statement_2001"),
        ),
        Scenario(
            id="three_islands",
            name="Three islands: Habomai, Shikotan and Kunashiri to Japan",
            japan_islands=("habomai", "shikotan", "kunashiri"),
            description=("The border would run through the strait between Kunashiri and Etorofu. "
                         "Former Prime Minister Yoshiro Mori named this as one option on television "
                         "on 9 January 2013, speaking for himself; the next day Japan's government "
                         "restated its four-island policy. No government has proposed it."),
            source_ids=("chibanippo_kyodo_2013_01_10_mori", "japantimes_2013_01_11_mori"),
            proposed_by="Former Prime Minister Yoshiro Mori (a personal view, 9 January 2013)",
            date="2013-01-09", confidence="medium", kind="a former leader's personal remark",
            record_ids=("mori_three_islands_remark_2013",),
        ),
        Scenario(
            id="equal_area",
            name="Equal division of the land area",
            japan_islands=("habomai", "shikotan", "kunashiri", CUT_JAPAN),
            description=("The four islands' land is divided 50:50: Habomai, Shikotan and Kunashiri "
                         "go to Japan with the south-western part of Etorofu, cut off by a straight "
                         "line across the island (the same cut as in the lesson on the 'Chinese "
                         "model'). Foreign Minister Taro Aso spoke in the Diet in December 2006 of "
                         "splitting the total area in half, then said the government was not "
                         "considering it. Where the line runs is this lesson's illustration."),
            source_ids=("aljazeera_2006_12_aso", "pravda_2006_12_aso_denial", "ria_2006_12_14_aso"),
            proposed_by="Foreign Minister Taro Aso, remarks in the Diet (13 December 2006); "
                        "never an official proposal",
            date="2006-12-13", confidence="medium", kind="a minister's remark, not government policy",
            record_ids=("aso_area_split_remark_2006",),
        ),
        Scenario(
            id="all_four",
            name="All four islands to Japan",
            japan_islands=("habomai", "shikotan", "kunashiri", "etorofu"),
            description=("All four islands go to Japan. Japan's government holds that they are an "
                         "inherent part of Japan's territory under illegal occupation, and that to "
                         "which country they belong must be settled before a peace treaty."),
            source_ids=("mofa_northern_territories",),
            proposed_by="Japan's government (Ministry of Foreign Affairs, official website; "
                        "version read dated 2024)",
            date="2024", confidence="high", kind="a government's stated position",
            record_ids=("jp_mofa_illegal_occupation", "jp_mofa_basic_policy"),
        ),
    )
}


def _valid_pieces() -> list[str]:
    return [*ISLANDS, CUT_JAPAN]


def _check_islands(japan_islands: Iterable[str]) -> tuple[str, ...]:
    """Island ids (Japanese or Russian names accepted), in the order from Hokkaido outwards."""
    if isinstance(japan_islands, str):
        japan_islands = [japan_islands]
    chosen = set()
    for name in japan_islands:
        if name == CUT_JAPAN:
            chosen.add(CUT_JAPAN)
            continue
        try:
            chosen.add(data.resolve_island(name, list(ISLANDS)))
        except ValueError:
            raise ValueError(f"unknown island {name!r}; valid islands: "
                             f"{', '.join(_valid_pieces())}") from None
        if chosen - set(_valid_pieces()):
            raise ValueError(f"{name!r} is not one of the four islands; valid islands: "
                             f"{', '.join(_valid_pieces())}")
    if {CUT_JAPAN, "etorofu"} <= chosen:
        raise ValueError(f"choose either 'etorofu' or {CUT_JAPAN!r}, not both")
    return tuple(p for p in _valid_pieces() if p in chosen)


def custom(japan_islands: Iterable[str]) -> Scenario:
    """A scenario of your own: the listed islands go to Japan, the others stay with Russia."""
    ids = _check_islands(japan_islands)
    names = [_piece_name(i) for i in ids]
    label = ", ".join(names) if names else "no island"
    return Scenario(id="custom", name=f"Your choice: {label} to Japan", japan_islands=ids,
                    description="A combination chosen in this lesson; nobody's proposal.",
                    source_ids=(), proposed_by="(your choice)", date="", confidence="",
                    kind="a comparison case")


def get(scenario: Scenario | str) -> Scenario:
    """A scenario by id (or the scenario itself); an unknown id raises ValueError."""
    if isinstance(scenario, Scenario):
        _check_islands(scenario.japan_islands)
        return scenario
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; valid scenarios: {', '.join(SCENARIOS)}")
    return SCENARIOS[scenario]


# --------------------------------------------------------------------------- land pieces


def _piece_name(piece: str) -> str:
    if piece in _CUT_NAMES:
        return _CUT_NAMES[piece]
    return str(data.islands_table().set_index("id").loc[piece, "name_en"])


@lru_cache(maxsize=1)
def _cut() -> dict[str, BaseGeometry]:
    """Etorofu cut so that Japan's whole share of the land is exactly half (as in lesson 04)."""
    areas = {i: geo.area_km2(geo.geometry(i)) for i in ISLANDS}
    need = 0.5 * sum(areas.values()) - sum(areas[i] for i in ISLANDS if i != "etorofu")
    first, rest, line = geo.equal_area_cut("etorofu", need)
    return {CUT_JAPAN: geo.polygons_only(first), CUT_RUSSIA: geo.polygons_only(rest),
            "line": line}


def _pieces(japan_islands: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The land pieces of each side: island ids, or the two parts of a cut Etorofu."""
    japan = list(japan_islands)
    russia = [i for i in ISLANDS if i not in japan and not (i == "etorofu" and CUT_JAPAN in japan)]
    if CUT_JAPAN in japan:
        russia.append(CUT_RUSSIA)
    return {"japan": tuple(japan), "russia": tuple(russia)}


@lru_cache(maxsize=8)
def _piece_shape(piece: str) -> BaseGeometry:
    return _cut()[piece] if piece in _CUT_NAMES else geo.geometry(piece)


def _four_centre() -> tuple[float, float]:
    bounds = shapely.union_all([geo.geometry(i) for i in ISLANDS]).bounds
    return round((bounds[0] + bounds[2]) / 2, 1), round((bounds[1] + bounds[3]) / 2, 1)


@lru_cache(maxsize=8)
def _piece_area(piece: str) -> float:
    return geo.area_km2(_piece_shape(piece))


@lru_cache(maxsize=8)
def _piece_coast_km(piece: str) -> float:
    """Length of coast in km (the straight cut across Etorofu is not coast)."""
    centre = _four_centre()
    edge = geo.project(_piece_shape(piece), centre, "dist").boundary
    if piece in _CUT_NAMES:
        edge = edge.difference(geo.project(_cut()["line"], centre, "dist").buffer(5.0))
    return float(edge.length / 1e3)


@lru_cache(maxsize=1)
def _island_rows() -> dict[str, dict[str, Any]]:
    table = data.islands_table().set_index("id", drop=False)
    return {i: table.loc[i].to_dict() for i in ISLANDS}


def _settlement_piece() -> str:
    """Which part of a cut Etorofu holds its main settlement (islands.csv lat/lon)."""
    row = _island_rows()["etorofu"]
    town = Point(float(row["lon"]), float(row["lat"]))
    parts = {p: _piece_shape(p).distance(town) for p in _CUT_NAMES}
    return min(parts, key=parts.__getitem__)


def _people(piece: str) -> tuple[int, int]:
    """(residents today, Japanese residents on 15 August 1945) counted for a piece of land."""
    island = "etorofu" if piece in _CUT_NAMES else piece
    row = _island_rows()[island]
    if piece in _CUT_NAMES and piece != _settlement_piece():
        return 0, 0
    today = 0 if pd.isna(row["population"]) or row["population"] == "" else int(row["population"])
    past = 0 if pd.isna(row["population_1945"]) or row["population_1945"] == "" \
        else int(row["population_1945"])
    return today, past


def _official_area(piece: str) -> float:
    """Japanese official (GSI) area; a part of Etorofu gets its share of it by computed area."""
    if piece in _CUT_NAMES:
        whole = float(_island_rows()["etorofu"]["area_km2_official"])
        return whole * _piece_area(piece) / geo.area_km2(geo.geometry("etorofu"))
    return float(_island_rows()[piece]["area_km2_official"])


# --------------------------------------------------------------------------- the sea


def _nm_km(figure_id: str) -> float:
    return data.figure(figure_id) * geo.NAUTICAL_MILE_KM


@lru_cache(maxsize=1)
def _window() -> BaseGeometry:
    """The sea and land within 200 nautical miles of the four islands (an illustrative frame)."""
    land = shapely.union_all([geo.geometry(i) for i in ISLANDS])
    centre = _four_centre()
    ring = geo.project(land, centre, "dist").buffer(_nm_km("unclos_eez_limit") * 1e3, 24)
    return geo.unproject(ring, centre, "dist")


def _window_centre() -> tuple[float, float]:
    minx, miny, maxx, maxy = _window().bounds
    return round((minx + maxx) / 2, 1), round((miny + maxy) / 2, 1)


def _side_land(pieces: Sequence[str]) -> BaseGeometry:
    return shapely.union_all([_piece_shape(p) for p in pieces]) if pieces else Polygon()


@lru_cache(maxsize=8)
def _zone_shape(piece: str) -> BaseGeometry:
    """Land used to divide the sea: a part of a cut Etorofu keeps 100 m clear of the cut line,
    so that the two sides' coast points along the cut never coincide."""
    if piece not in _CUT_NAMES:
        return _piece_shape(piece)
    centre = _four_centre()
    gap = geo.project(_cut()["line"], centre, "dist").buffer(100.0)
    part = geo.project(_piece_shape(piece), centre, "dist").difference(gap)
    return geo.polygons_only(geo.unproject(part, centre, "dist"))


@lru_cache(maxsize=1)
def _all_land() -> BaseGeometry:
    ids = [*ISLANDS, *CONTEXT_LAND["japan"], *CONTEXT_LAND["russia"]]
    return shapely.union_all([geo.geometry(i) for i in ids])


@lru_cache(maxsize=32)
def _maritime(japan_pieces: tuple[str, ...], russia_pieces: tuple[str, ...]) -> dict[str, Any]:
    window, centre = _window(), _window_centre()
    own = {"japan": japan_pieces, "russia": russia_pieces}
    sides = {s: [*(_zone_shape(p) for p in own[s]), *CONTEXT_LAND[s]] for s in SIDES}
    zones = geo.equidistant_zones(sides, window)
    belt_km = _nm_km("unclos_territorial_sea_limit")
    projected = {s: geo.project(zones[s], centre, "dist") for s in SIDES}
    seas = {}
    for side in SIDES:
        land = _side_land(own[side])
        if land.is_empty:
            seas[side] = Polygon()
            continue
        belt = geo.project(land, centre, "dist").buffer(belt_km * 1e3, 16)
        seas[side] = geo.unproject(shapely.intersection(belt, projected[side]), centre, "dist")
    shared = shapely.intersection(projected["japan"].boundary, projected["russia"].buffer(50.0))
    rim = geo.project(window, centre, "dist").boundary.buffer(200.0)
    line = shapely.line_merge(shapely.difference(shared, rim)) if not shared.is_empty else shared
    median = geo.unproject(line.simplify(100.0), centre, "dist")
    sea_total = geo.area_km2(shapely.difference(window, _all_land()))
    return {"zones": zones, "territorial_seas": seas, "median_line": median,
            "window_sea_km2": sea_total}


# --------------------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class Outcome:
    """What a scenario would give each side (``"japan"``, ``"russia"``), computed from the data."""

    scenario: Scenario
    pieces: Mapping[str, tuple[str, ...]]
    land_km2: Mapping[str, float]
    land_share: Mapping[str, float]
    official_km2: Mapping[str, float]
    official_share: Mapping[str, float]
    coastline_km: Mapping[str, float]
    residents: Mapping[str, int]
    residents_1945: Mapping[str, int]
    territorial_sea_km2: Mapping[str, float]
    zone_km2: Mapping[str, float]
    zone_share: Mapping[str, float]
    window_sea_km2: float
    land: Mapping[str, BaseGeometry]
    zones: Mapping[str, BaseGeometry]
    territorial_seas: Mapping[str, BaseGeometry]
    median_line: BaseGeometry
    cut_line: BaseGeometry | None

    @property
    def residents_moving(self) -> int:
        """People living today on land that would pass from Russian to Japanese administration."""
        return self.residents["japan"]

    @property
    def former_residents_moving(self) -> int:
        """Japanese residents of 15 August 1945 of the land that would go to Japan."""
        return self.residents_1945["japan"]


@lru_cache(maxsize=32)
def _outcome(japan_islands: tuple[str, ...]) -> dict[str, Any]:
    pieces = _pieces(japan_islands)
    land = {s: sum(_piece_area(p) for p in pieces[s]) for s in SIDES}
    official = {s: sum(_official_area(p) for p in pieces[s]) for s in SIDES}
    total, total_official = sum(land.values()), sum(official.values())
    sea = _maritime(pieces["japan"], pieces["russia"])
    zone = {s: geo.area_km2(sea["zones"][s]) for s in SIDES}
    return {
        "pieces": pieces,
        "land_km2": land,
        "land_share": {s: land[s] / total for s in SIDES},
        "official_km2": official,
        "official_share": {s: official[s] / total_official for s in SIDES},
        "coastline_km": {s: sum(_piece_coast_km(p) for p in pieces[s]) for s in SIDES},
        "residents": {s: sum(_people(p)[0] for p in pieces[s]) for s in SIDES},
        "residents_1945": {s: sum(_people(p)[1] for p in pieces[s]) for s in SIDES},
        "territorial_sea_km2": {s: geo.area_km2(sea["territorial_seas"][s])
                                if not sea["territorial_seas"][s].is_empty else 0.0 for s in SIDES},
        "zone_km2": zone,
        "zone_share": {s: zone[s] / sum(zone.values()) for s in SIDES},
        "window_sea_km2": sea["window_sea_km2"],
        "land": {s: _side_land(pieces[s]) for s in SIDES},
        "zones": sea["zones"],
        "territorial_seas": sea["territorial_seas"],
        "median_line": sea["median_line"],
        "cut_line": _cut()["line"] if CUT_JAPAN in japan_islands else None,
    }


def outcome(scenario: Scenario | str) -> Outcome:
    """Land, coastline, people and the illustrative sea picture of a scenario, for each side."""
    chosen = get(scenario)
    return Outcome(scenario=chosen, **_outcome(_check_islands(chosen.japan_islands)))


# --------------------------------------------------------------------------- tables


def provenance_table() -> pd.DataFrame:
    """Who proposed or discussed each scenario, when, what kind of statement it is, and sources."""
    rows = [{"scenario": s.name, "land to Japan": _islands_text(s.japan_islands),
             "proposed or discussed by": s.proposed_by, "date": long_date(s.date),
             "what kind": s.kind, "confidence": s.confidence, "sources": ", ".join(s.source_ids)}
            for s in SCENARIOS.values()]
    return pd.DataFrame(rows)


def _islands_text(ids: Sequence[str]) -> str:
    return ", ".join(_piece_name(i) for i in ids) if ids else "none"


def records() -> pd.DataFrame:
    """The dated records (timeline, positions, documents) each scenario's provenance rests on."""
    tables = {"timeline": data.timeline().set_index("id"),
              "positions": data.positions().set_index("id"),
              "documents": data.documents().set_index("id")}
    rows = []
    for scenario in SCENARIOS.values():
        for ident in scenario.record_ids:
            table = next(t for t in tables if ident in tables[t].index)
            row = tables[table].loc[ident]
            if table == "documents":
                what, date = f"{row['title']}, {row['article']}: “{row['text']}”", ""
            else:
                what = row["summary"] if table == "timeline" else row["statement"]
                date = long_date(row["date"])
            rows.append({"scenario": scenario.id, "date": date, "record": what,
                         "confidence": row["confidence"], "sources": ", ".join(row["source_ids"]),
                         "id": ident})
    return pd.DataFrame(rows)


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


_PARTS = ("all", "land", "people", "sea")


def scenario_table(part: str = "all") -> pd.DataFrame:
    """One row per scenario with its figures (``part``: ``all``, ``land``, ``people`` or ``sea``)."""
    if part not in _PARTS:
        raise ValueError(f"unknown part {part!r}; valid parts: {', '.join(_PARTS)}")
    rows = []
    for scenario in SCENARIOS.values():
        o = outcome(scenario)
        row: dict[str, Any] = {"scenario": scenario.name}
        if part in ("all", "land"):
            row.update({
                "Japan's land (km², map)": round(o.land_km2["japan"], 1),
                "Russia's land (km², map)": round(o.land_km2["russia"], 1),
                "Japan's share (map)": _pct(o.land_share["japan"]),
                "Japan's share (official areas)": _pct(o.official_share["japan"]),
                "Japan's coastline (km)": round(o.coastline_km["japan"]),
                "Russia's coastline (km)": round(o.coastline_km["russia"]),
            })
        if part in ("all", "people"):
            row.update({
                "residents today on land going to Japan": o.residents_moving,
                "residents today on land staying Russian": o.residents["russia"],
                "Japanese residents of 1945 of land going to Japan": o.former_residents_moving,
            })
        if part in ("all", "sea"):
            row.update({
                "Japan's territorial sea around its islands (km²)":
                    round(o.territorial_sea_km2["japan"]),
                "Russia's territorial sea around its islands (km²)":
                    round(o.territorial_sea_km2["russia"]),
                "Japan's share of the 200-nmi window's sea": _pct(o.zone_share["japan"]),
                "Russia's share of the 200-nmi window's sea": _pct(o.zone_share["russia"]),
            })
        rows.append(row)
    return pd.DataFrame(rows)


def people_table() -> pd.DataFrame:
    """Residents of each island today and in 1945, with year, what the figure counts, confidence."""
    rows = []
    for row in _island_rows().values():
        rows.append({"island": row["name_en"],
                     "residents today": int(row["population"]),
                     "year": int(row["population_year"]),
                     "what the figure counts": row["population_unit"],
                     "confidence": row["population_confidence"],
                     "Japanese residents, 15 August 1945": int(row["population_1945"]),
                     "sources": ", ".join([*row["population_source_ids"],
                                           *row["population_1945_source_ids"]])})
    return pd.DataFrame(rows)


def outcome_table(scenario: Scenario | str) -> pd.DataFrame:
    """One scenario side by side: a row per measure, a column per side, and a note."""
    o = outcome(scenario)
    settlement = _island_rows()["etorofu"]["settlement"]
    cut_note = (f"Etorofu's residents are all counted on the side of its main settlement, "
                f"{settlement}." if o.cut_line is not None else "")
    rows = [
        ("Islands", *(_islands_text(o.pieces[s]) for s in SIDES), ""),
        ("Land, km² (map polygons)", *(f"{o.land_km2[s]:,.1f}" for s in SIDES),
         "Polygons simplified at 100 m."),
        ("Share of the land (map)", *(_pct(o.land_share[s]) for s in SIDES), ""),
        ("Land, km² (official areas)", *(f"{o.official_km2[s]:,.1f}" for s in SIDES),
         "Japanese government survey (GSI 2021)."),
        ("Coastline, km", *(f"{o.coastline_km[s]:,.0f}" for s in SIDES),
         "Measured on 100 m polygons: shorter than survey values."),
        ("Residents today", *(f"{o.residents[s]:,}" for s in SIDES),
         "Latest island figures, 2018-2021; see the people table. " + cut_note),
        ("Japanese residents on 15 August 1945", *(f"{o.residents_1945[s]:,}" for s in SIDES), ""),
        ("Territorial sea (12 nmi) around its part of the four islands, km²",
         *(f"{o.territorial_sea_km2[s]:,.0f}" for s in SIDES),
         "Illustrative: cut at the median line."),
        ("Sea nearer its land, within 200 nmi of the islands, km²",
         *(f"{o.zone_km2[s]:,.0f}" for s in SIDES), "Illustrative equidistance, not a legal line."),
        ("Share of that sea", *(_pct(o.zone_share[s]) for s in SIDES), ""),
    ]
    frame = pd.DataFrame(rows, columns=["measure", "Japan", "Russia", "note"])
    return frame.set_index("measure")


# --------------------------------------------------------------------------- map


def _light(fmap: folium.Map, geom: BaseGeometry, side: str, tooltip: str, opacity: float,
           outline: str | None = None) -> None:
    """An area filled lightly in a side's colour (sea zones, and land not in dispute)."""
    style = {"color": outline or COLOURS[side], "weight": 0.6, "opacity": 0.6,
             "fillColor": COLOURS[side], "fillOpacity": opacity}
    layer = folium.GeoJson(
        {"type": "Feature", "properties": {},
         "geometry": shapely.geometry.mapping(shapely.transform(geom, lambda xy: np.round(xy, 3)))},
        name=tooltip, style_function=lambda _f, s=style: s,
        tooltip=folium.Tooltip(html.escape(tooltip), sticky=True), control=False)
    layer.add_to(fmap)


def _for_display(geom: BaseGeometry, tolerance_km: float = ZONE_DISPLAY_TOLERANCE_KM) -> BaseGeometry:
    """``geom`` simplified by ``tolerance_km`` in an equidistant projection, for drawing only."""
    if geom.is_empty:
        return geom
    centre = _window_centre()
    simple = geo.project(geom, centre, "dist").simplify(tolerance_km * 1e3)
    return geo.polygons_only(geo.unproject(simple, centre, "dist").buffer(0))


def _land_label(piece: str, side: str) -> str:
    if piece in _CUT_NAMES:
        name = f"{_CUT_NAMES[piece]} — 択捉島 / Итуруп"
    else:
        row = _island_rows()[piece]
        name = f"{row['name_en']} — {row['name_ja']} / {row['name_ru']}"
    return f"{name}: to {SIDE_NAMES[side]} in this scenario"


# The view a scenario map opens on (zoom out to see the whole 200-nautical-mile window).
_VIEW = (143.6, 42.4, 151.4, 46.8)


def _context_units(ids: Sequence[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Context features drawn as the islands they are (the Hokkaido and Sakhalin pieces merged)."""
    units: list[tuple[str, tuple[str, ...]]] = []
    for ident in ids:
        if ident in ("hokkaido_west", "sakhalin_north"):
            continue
        merged = {"hokkaido_east": ("hokkaido_east", "hokkaido_west"),
                  "sakhalin_south": ("sakhalin_south", "sakhalin_north")}.get(ident, (ident,))
        props = data.geo_features()[ident]["properties"]
        name = str(props["name_en"]).split(" (")[0]
        if ident in maps.TODAY_UNITS:
            name = maps.TODAY_UNITS[ident][0]
        else:
            name = f"{name} — {props.get('name_ja', '')} / {props.get('name_ru', '')}"
        units.append((name, merged))
    return units


def scenario_map(scenario: Scenario | str = "status_quo", height: int = 520) -> maps.OfflineMap:
    """Map of a scenario: land coloured by side, the 200-nmi window divided at the median line."""
    o = outcome(scenario)
    window = _window()
    fmap = maps.base_map(_VIEW, height=height,
                         attribution=maps.OSM_ATTRIBUTION + "; sea zones: this lesson's illustration")
    for side in SIDES:
        zone = _for_display(shapely.union(o.zones[side], shapely.intersection(
            shapely.union_all([geo.geometry(i) for i in CONTEXT_LAND[side]]), window)))
        _light(fmap, zone, side, f"Sea nearer {SIDE_NAMES[side]}'s land (within 200 nmi of the "
               f"islands): {o.zone_km2[side]:,.0f} km² — illustrative", 0.18)
    for side in SIDES:
        if not o.territorial_seas[side].is_empty:
            _light(fmap, _for_display(o.territorial_seas[side], 0.5), side,
                   f"{SIDE_NAMES[side]}'s territorial sea (12 nmi) around its part of the islands: "
                   f"{o.territorial_sea_km2[side]:,.0f} km² — illustrative", 0.35)
    frame = shapely.box(*window.bounds)
    for side, ids in CONTEXT_LAND.items():
        for label, parts in _context_units(ids):
            shape = shapely.intersection(shapely.union_all([geo.geometry(i) for i in parts]), frame)
            if not shape.is_empty:
                _light(fmap, _for_display(shape, 0.5), side,
                       f"{label} ({SIDE_NAMES[side]}, not in dispute)", 0.5, outline="#333333")
    for side in SIDES:
        for piece in o.pieces[side]:
            maps.add_land(fmap, _piece_shape(piece), side, _land_label(piece, side), weight=1.2)
    if not o.median_line.is_empty:
        maps.add_line(fmap, o.median_line, "Median line: every point equally far from the nearest "
                      "land of each side (illustrative, not a legal boundary)", weight=2)
    if o.cut_line is not None:
        maps.add_line(fmap, o.cut_line, "Straight cut across Etorofu dividing the land 50:50 "
                      "(illustration)", dashed=False, weight=2)
    maps.add_title(fmap, o.scenario.name, "Land by side; pale shading: sea nearer each side's "
                   "land within 200 nmi of the islands. Illustrative, not a legal delimitation.")
    legend = {"japan": "Japan: the islands' land (dark); other land, territorial sea, nearer "
                       "sea (paler)",
              "russia": "Russia: the islands' land (dark); other land, territorial sea, nearer "
                        "sea (paler)",
              "line": "Median line (equidistance, illustrative)"}
    maps.add_legend(fmap, legend)
    return fmap


def equidistance_demo() -> pd.DataFrame:
    """Distances from points on the median line to the nearest land of each side (status quo)."""
    o = outcome("status_quo")
    line = o.median_line
    parts = list(getattr(line, "geoms", [line]))
    longest = max(parts, key=lambda g: g.length)
    land = {s: shapely.union_all([*(_piece_shape(p) for p in o.pieces[s]),
                                  *(geo.geometry(i) for i in CONTEXT_LAND[s])]) for s in SIDES}
    rows = []
    for fraction in (0.1, 0.3, 0.5, 0.7, 0.9):
        point = longest.interpolate(fraction, normalized=True)
        dist = {s: geo.distance_km(point, land[s]) for s in SIDES}
        rows.append({"point on the line": f"{point.y:.2f}° N, {point.x:.2f}° E",
                     "to Japan's nearest land (km)": round(dist["japan"], 1),
                     "to Russia's nearest land (km)": round(dist["russia"], 1)})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- explorer


def _figures_html(scenario: Scenario) -> str:
    e = html.escape
    head = (f"<p><b>{e(scenario.name)}</b><br>{e(scenario.description)}"
            + (f"<br><small>Proposed or discussed by: {e(scenario.proposed_by)}"
               f"{' (' + e(long_date(scenario.date)) + ')' if scenario.date else ''}; "
               f"confidence: {e(scenario.confidence)}</small>" if scenario.source_ids else "")
            + "</p>")
    return head + show(outcome_table(scenario).reset_index()).text


def scenario_explorer(start: str = "status_quo") -> Any:
    """A widget: pick a scenario, or toggle islands one by one; the figures and the map update."""
    import ipywidgets as w

    get(start)
    options = [(s.name, s.id) for s in SCENARIOS.values()] + [("Your own choice (tick islands)",
                                                                "custom")]
    picker = w.Dropdown(options=options, value=start, description="Scenario:",
                        layout=w.Layout(width="620px"), style={"description_width": "initial"})
    boxes = {i: w.Checkbox(value=False, description=_piece_name(i), indent=False,
                           layout=w.Layout(width="auto")) for i in ISLANDS}
    note = w.HTML()
    figures = w.HTML()
    shown = w.HTML()
    busy = {"on": False}

    def draw(scenario: Scenario) -> None:
        figures.value = _figures_html(scenario)
        shown.value = scenario_map(scenario, height=420)._repr_html_()

    def pick(ident: str) -> None:
        if ident == "custom":
            draw(custom([i for i, b in boxes.items() if b.value]))
            return
        scenario = SCENARIOS[ident]
        busy["on"] = True
        for island, box in boxes.items():
            box.value = island in scenario.japan_islands or (
                island == "etorofu" and CUT_JAPAN in scenario.japan_islands)
        busy["on"] = False
        note.value = ("<small>Etorofu is cut in this scenario; ticking a box switches to "
                      "your own choice of whole islands.</small>" if CUT_JAPAN in
                      scenario.japan_islands else "")
        draw(scenario)

    def toggle(_change: Any) -> None:
        if busy["on"]:
            return
        note.value = ""
        if picker.value != "custom":
            picker.value = "custom"  # fires pick("custom")
        else:
            pick("custom")

    picker.observe(lambda change: pick(change["new"]), names="value")
    for box in boxes.values():
        box.observe(toggle, names="value")
    pick(start)
    row = w.HBox([w.HTML("<b>To Japan:</b>&nbsp;"), *boxes.values()])
    widget = w.VBox([picker, row, note, figures, shown])
    widget.picker, widget.boxes, widget.figures, widget.map_output = picker, boxes, figures, shown
    return widget


# --------------------------------------------------------------------------- exercises


def share_1956_quiz() -> Any:
    """A number self-check: Japan's share (%) of the land under the 1956 terms, official areas."""
    expected = 100 * outcome("declaration_1956").official_share["japan"]
    return quiz.number_quiz(
        "Using the official areas (Japanese government survey), what percentage of the four "
        "islands' land would Japan hold under the 1956 terms?", round(expected, 2),
        tolerance=0.02, unit="%",
        hint="Add the official areas of Habomai and Shikotan, divide by the sum of the four "
             "islands' official areas, multiply by 100.")


_RANKS = ("1 (least)", "2", "3", "4", "5 (most)")


def ranking_exercise() -> tuple[dict[str, str], list[str], dict[str, str], dict[str, str]]:
    """Items, categories, key and reasons for ``kt.sorting_quiz``: rank by Japan's land share.

    Scenarios with the same land share the same rank; the key comes from :func:`outcome`.
    """
    shares = {i: round(outcome(i).land_share["japan"], 3) for i in SCENARIOS}
    levels = sorted(set(shares.values()))
    if len(levels) > len(_RANKS):
        raise ValueError(f"{len(levels)} different shares, only {len(_RANKS)} ranks")
    letters = {ident: "ABCDEF"[n] for n, ident in enumerate(SCENARIOS)}
    items = {letters[i]: s.name for i, s in SCENARIOS.items()}
    key = {letters[i]: _RANKS[levels.index(shares[i])] for i in SCENARIOS}
    reasons = {letters[i]: (f"Japan would hold {100 * shares[i]:.1f} % of the land, so it ranks "
                            f"{key[letters[i]]}") for i in SCENARIOS}
    return items, list(_RANKS), key, reasons


def ranking_quiz() -> Any:
    """The ranking exercise as a widget (one dropdown per scenario and a Check button)."""
    items, categories, key, reasons = ranking_exercise()
    return quiz.sorting_quiz(items, categories, key, reasons)


_STEPS = (("status_quo", "declaration_1956"), ("declaration_1956", "three_islands"),
          ("three_islands", "equal_area"), ("equal_area", "all_four"))


def sea_steps() -> pd.DataFrame:
    """Going from one scenario to the next: land and sea (share of the window) gained by Japan."""
    rows = []
    for a, b in _STEPS:
        oa, ob = outcome(a), outcome(b)
        rows.append({"step": f"{_short(a)} → {_short(b)}",
                     "land moved to Japan (km²)": round(ob.land_km2["japan"] - oa.land_km2["japan"]),
                     "Japan's land share gained (points)":
                         round(100 * (ob.land_share["japan"] - oa.land_share["japan"]), 1),
                     "Japan's sea share gained (points)":
                         round(100 * (ob.zone_share["japan"] - oa.zone_share["japan"]), 1)})
    return pd.DataFrame(rows)


def _short(ident: str) -> str:
    return {"status_quo": "status quo", "declaration_1956": "1956 terms",
            "three_islands": "three islands", "equal_area": "equal division",
            "all_four": "all four"}[ident]


def sea_question() -> quiz.Question:
    """Which step moves the most sea (share of the 200-nmi window) to Japan? Key from the figures."""
    table = sea_steps().set_index("step")
    gains = table["Japan's sea share gained (points)"]
    land = table["land moved to Japan (km²)"]
    best = str(gains.idxmax())
    why = {step: (f"{'Yes' if step == best else 'Not the most'}: this step moves {land[step]:,} km² "
                  f"of land and {gains[step]:.1f} percentage points of the sea to Japan"
                  + ("." if step == best else f", less than '{best}' ({gains[best]:.1f} points)."))
           for step in table.index}
    return quiz.Question("In this lesson's illustration, which step moves the largest share of "
                         "the sea to Japan?", list(table.index), best, why)


# The position rows each question rests on (data/positions.csv).
_POSITION_ROWS = {
    "japan": ("jp_mofa_basic_policy", "jp_mofa_illegal_occupation"),
    "russia": ("ru_2019_sovereignty_not_discussed", "ru_2023_no_territorial_dispute"),
    "both_2018": ("jp_2018_accelerate_on_1956_basis", "ru_2018_talks_on_1956_basis"),
}


def _quote(ident: str) -> str:
    row = data.positions().set_index("id").loc[ident]
    words = str(row["quote"]) or str(row["statement"])
    return f"{row['speaker']} ({long_date(row['date'])}): “{words}”"


def position_questions() -> list[quiz.Question]:
    """Three questions: which scenario is closest to each government's stated position."""
    names = {i: s.name for i, s in SCENARIOS.items()}
    options = list(names.values())
    generic = {
        "two_plus_alpha": "A negotiating approach reported in Japan in 2001 and 2016-2018, never "
                          "either government's published position.",
        "three_islands": "A former prime minister's personal remark of 2013; Japan's government "
                         "restated its four-island policy the next day.",
        "equal_area": "A foreign minister's remark of 2006 that he said was not under consideration.",
    }
    jp = _POSITION_ROWS["japan"]
    ru = _POSITION_ROWS["russia"]
    both = _POSITION_ROWS["both_2018"]
    japan_why = {names[k]: v for k, v in generic.items()}
    japan_why.update({
        names["all_four"]: f"Yes. {_quote(jp[0])}",
        names["status_quo"]: "That is the opposite: Russia keeping all four islands.",
        names["declaration_1956"]: "Japan treats the 1956 declaration as a starting point that "
                                   "leaves Kunashiri and Etorofu open; its stated aim is all four.",
    })
    russia_why = {names[k]: v for k, v in generic.items()}
    russia_why.update({
        names["status_quo"]: f"Yes. {_quote(ru[0])}",
        names["all_four"]: "That is Japan's stated position, not Russia's.",
        names["declaration_1956"]: "Russia has accepted the 1956 declaration as a basis for talks, "
                                   "but its stated position is that sovereignty over all the "
                                   "islands is not up for discussion.",
    })
    both_why = {names[k]: v for k, v in generic.items()}
    both_why.update({
        names["declaration_1956"]: f"Yes. {_quote(both[0])} Russia: {_quote(both[1])} Each side "
                                   "reads the declaration differently.",
        names["status_quo"]: "In 2018 both agreed on a basis for talks; keeping everything as it "
                             "is was not that basis.",
        names["all_four"]: "The agreed basis of 2018 was a document that names only two islands.",
    })
    return [
        quiz.Question("Which scenario is closest to the position stated by Japan's government "
                      "(Ministry of Foreign Affairs website)?", options, names["all_four"],
                      japan_why),
        quiz.Question("Which scenario is closest to the position stated by Russia's government "
                      "(Foreign Minister Lavrov, 14 January 2019)?", options, names["status_quo"],
                      russia_why),
        quiz.Question("In November-December 2018 both governments agreed to speed up talks on the "
                      "basis of one document. Which scenario matches that document's terms?",
                      options, names["declaration_1956"], both_why),
    ]


def positions_quiz() -> Any:
    """The three position questions as one widget."""
    import ipywidgets as w

    return w.VBox([quiz.choice_quiz(q) for q in position_questions()])


BRIEF_PROMPT = (
    "OPEN TASK (no single right answer). Write a policy brief of 150-250 words for a government "
    "or for an international organisation of your choice. Recommend ONE scenario or argue that "
    "none is realistic now. Use at least three figures from this lesson (land, people, sea), "
    "name the source and confidence of each, state one objection the other government would "
    "raise and answer it, and say what the maritime figures can and cannot show."
)


def brief_rubric() -> pd.DataFrame:
    """A teacher's rubric for the policy brief: criterion, what a strong brief does, points."""
    rows = [
        ("Evidence", "Uses three or more figures from the lesson's tables, each with its unit, "
                     "source and confidence (e.g. the residents' figures are estimates).", 3),
        ("Both perspectives", "States each government's position in its own terms and answers "
                              "one objection from the other side fairly.", 3),
        ("Limits of the data", "Says the sea zones are illustrative equidistance, not a legal "
                               "delimitation, and that coastline depends on the measuring scale.", 2),
        ("People", "Considers today's residents and the former residents of 1945, not only km².", 1),
        ("Clarity", "A clear recommendation in 150-250 words, written for its reader.", 1),
    ]
    return pd.DataFrame(rows, columns=["criterion", "a strong brief", "points"])


def sources_used() -> list[str]:
    """Ids of every source behind the scenarios, figures and rows this lesson shows."""
    ids: list[str] = []
    for scenario in SCENARIOS.values():
        ids += list(scenario.source_ids)
    ids += [s for ids_ in records()["sources"] for s in ids_.split(", ") if s]
    for row in _island_rows().values():
        for col in ("area_official_source_ids", "population_source_ids",
                    "population_1945_source_ids", "coord_source_ids"):
            ids += list(row[col] or ())
    figures = data.figures().set_index("id")
    for fig in ("four_island_area_total", "unclos_territorial_sea_limit", "unclos_eez_limit",
                "nautical_mile", "yuzhno_kurilsky_district_population",
                "kurilsky_district_population", "russian_residents_estimate",
                "japanese_residents_1945"):
        ids += list(figures.loc[fig, "source_ids"])
    for key in _POSITION_ROWS.values():
        for ident in key:
            ids += list(data.positions().set_index("id").loc[ident, "source_ids"])
    return list(dict.fromkeys(ids))
