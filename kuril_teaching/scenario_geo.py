"""Geometry of the settlement scenarios: land pieces, a cut island, coast, people and the sea.

Pure functions on the project's polygons. What never changes for the shipped data is computed
once by ``scripts/build_derived.py`` and shipped in ``data/derived/scenario_zones.json``, one entry
per split: the sea picture (each side's sea within 200 nautical miles of the four islands,
divided by equidistance; about a second per division), simplified for display, read by
:func:`sea` and recomputed by :func:`fresh_sea`; the land, coast and people figures
(:func:`figures`, :func:`fresh_figures`); points on the median line with their distances to
land (:func:`median_points`, :func:`fresh_median_points`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

from . import data, geo, records

SIDES = ("japan", "russia")
ISLANDS = records.FROM_HOKKAIDO
CONTEXT = {s: tuple(i for i, a in records.CONTEXT_ADMIN.items() if a == s) for s in SIDES}
DISPLAY_KM = {"zone": 1.0, "territorial_sea": 0.5}  # simplification for drawing only, km
# measures of land, coast and people, with the decimals shipped
LAND_MEASURES = {"land_km2": 3, "official_km2": 3, "coastline_km": 1, "residents": 0, "residents_1945": 0}
MEDIAN_FRACTIONS = (0.1, 0.3, 0.5, 0.7, 0.9)  # of the median line's longest piece


@dataclass(frozen=True)
class Split:
    """Land to Japan: whole ``islands`` and, with ``cut_share``, part of the next island from
    Hokkaido, cut by a straight line so that Japan holds that share of all the land."""

    islands: tuple[str, ...] = ()
    cut_share: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "islands", tuple(i for i in ISLANDS if i in self.islands))

    @property
    def cut(self) -> str | None:
        """The island cut in two (``None`` if every island goes whole)."""
        rest = [i for i in ISLANDS if i not in self.islands]
        return rest[0] if self.cut_share is not None and rest else None

    @property
    def key(self) -> str:
        """How the shipped sea picture names this split."""
        parts = [*self.islands, *([f"{self.cut}:{self.cut_share:g}"] if self.cut else [])]
        return "+".join(parts) or "none"

    @property
    def touched(self) -> tuple[str, ...]:
        """The islands Japan gets all or part of."""
        return tuple(i for i in ISLANDS if i in self.islands or i == self.cut)

    def pieces(self) -> dict[str, tuple[str, ...]]:
        """Each side's land pieces: island ids, and ``"<island>:japan"`` / ``":russia"`` parts."""
        cut = [f"{self.cut}:{s}" for s in SIDES] if self.cut else ["", ""]
        russia = [i for i in ISLANDS if i not in self.islands and i != self.cut]
        return {"japan": tuple(p for p in (*self.islands, cut[0]) if p),
                "russia": tuple(p for p in (*russia, cut[1]) if p)}


# --------------------------------------------------------------------------- land


@lru_cache(maxsize=1)
def _areas() -> dict[str, float]:
    return {i: geo.area_km2(geo.geometry(i)) for i in ISLANDS}


def cut_parts(split: Split) -> dict[str, BaseGeometry] | None:
    """The two parts of the cut island and the cut ``line`` (``None`` without a cut)."""
    if split.cut is None:
        return None
    parts = geo.split_by_share(ISLANDS, split.cut_share)
    if parts["cut_island"] != split.cut or parts["japan_ids"] != split.islands:
        raise ValueError(f"a share of {split.cut_share} cuts {parts['cut_island']!r}, not "
                         f"{split.cut!r}: whole islands go to Japan from Hokkaido outwards")
    return {"japan": parts["cut_first"], "russia": parts["cut_rest"], "line": parts["cut_line"]}


def land(split: Split, piece: str) -> BaseGeometry:
    """The shape of one land piece of ``split``."""
    island, _, side = piece.partition(":")
    return cut_parts(split)[side] if side else geo.geometry(island)


def _centre() -> tuple[float, float]:
    minx, miny, maxx, maxy = shapely.union_all([geo.geometry(i) for i in ISLANDS]).bounds
    return round((minx + maxx) / 2, 1), round((miny + maxy) / 2, 1)


def _settled(split: Split) -> str:
    """The side holding the cut island's main settlement (islands table position)."""
    row = records.row("islands", split.cut)
    town = Point(float(row["lon"]), float(row["lat"]))
    return min(SIDES, key=lambda s: cut_parts(split)[s].distance(town))


def fresh_figures(split: Split) -> dict[str, dict[str, float]]:
    """Measure → side → value, computed now: land (map polygons, official areas), coastline (not
    the cut), residents today and in 1945 (a cut island's all on its main settlement's side)."""
    out = {m: dict.fromkeys(SIDES, 0) for m in LAND_MEASURES}
    centre, parts = _centre(), cut_parts(split)
    for side, pieces in split.pieces().items():
        for piece in pieces:
            island, _, part = piece.partition(":")
            row, area = records.row("islands", island), geo.area_km2(land(split, piece))
            edge = geo.project(land(split, piece), centre, "dist").boundary
            if part:
                edge = edge.difference(geo.project(parts["line"], centre, "dist").buffer(5.0))
            settled = not part or part == _settled(split)
            out["land_km2"][side] += area
            out["official_km2"][side] += float(row["area_km2_official"]) * area / _areas()[island]
            out["coastline_km"][side] += edge.length / 1e3
            out["residents"][side] += int(row["population"]) if settled else 0
            out["residents_1945"][side] += int(row["population_1945"]) if settled else 0
    return out


@lru_cache(maxsize=32)
def figures(split: Split) -> dict[str, dict[str, float]]:
    """Measure → side → value, as shipped: the land, coast and people figures of
    :func:`fresh_figures`, territorial sea and sea zone (:func:`sea`), and the shares of the
    land (map polygons, official areas) and of the zone."""
    entry = _shipped(split)
    out = {k: dict(entry[k]) for k in ("territorial_sea_km2", "zone_km2")}
    out |= {m: dict(v) for m, v in entry["figures"].items()}
    for m in ("land_km2", "official_km2", "zone_km2"):
        out[m.replace("km2", "share")] = {s: out[m][s] / sum(out[m].values()) for s in SIDES}
    return out


def step_gains(before: Split, after: Split) -> dict[str, float]:
    """What Japan gains going from ``before`` to ``after``: ``land`` (km², whole), ``land_share``
    and ``sea_share`` (the zone's share of the window's sea), in percentage points to 0.1."""
    a, b = figures(before), figures(after)
    gain = {m: b[m]["japan"] - a[m]["japan"] for m in ("land_km2", "land_share", "zone_share")}
    return {"land": round(gain["land_km2"]), "land_share": round(100 * gain["land_share"], 1),
            "sea_share": round(100 * gain["zone_share"], 1)}


def land_ranks(splits: Mapping[str, Split], most: int) -> dict[str, tuple[float, int]]:
    """Japan's share of the land in each split (to 0.1 percentage point) and its rank from 0
    (least); equal land, equal rank; a ``ValueError`` if there are more than ``most`` ranks."""
    shares = {k: round(figures(s)["land_share"]["japan"], 3) for k, s in splits.items()}
    levels = sorted(set(shares.values()))
    if len(levels) > most:
        raise ValueError(f"{len(levels)} different land shares; valid: at most {most}, one per rank")
    return {k: (v, levels.index(v)) for k, v in shares.items()}


# --------------------------------------------------------------------------- the sea


def _nm_km(figure_id: str) -> float:
    return data.figure(figure_id) * geo.NAUTICAL_MILE_KM


@lru_cache(maxsize=1)
def window() -> BaseGeometry:
    """The sea and land within 200 nautical miles of the four islands (an illustrative frame)."""
    centre = _centre()
    four = geo.project(shapely.union_all([geo.geometry(i) for i in ISLANDS]), centre, "dist")
    return geo.unproject(four.buffer(_nm_km("unclos_eez_limit") * 1e3, 24), centre, "dist")


def _window_centre() -> tuple[float, float]:
    minx, miny, maxx, maxy = window().bounds
    return round((minx + maxx) / 2, 1), round((miny + maxy) / 2, 1)


def _zone_land(split: Split, piece: str) -> BaseGeometry:
    """Land dividing the sea; a cut part keeps 100 m clear of the cut so coasts never touch."""
    if ":" not in piece:
        return land(split, piece)
    centre = _centre()
    gap = geo.project(cut_parts(split)["line"], centre, "dist").buffer(100.0)
    part = geo.project(land(split, piece), centre, "dist").difference(gap)
    return geo.polygons_only(geo.unproject(part, centre, "dist"))


def fresh_sea(split: Split) -> dict[str, Any]:
    """The sea picture of ``split``, computed now: each side's ``zone`` and ``territorial_sea``
    (sea only) with their areas, the median line, and ``display`` outlines (zones and
    territorial seas with the side's own land filled in, simplified for drawing)."""
    win, centre, own = window(), _window_centre(), split.pieces()
    sides = {s: [*(_zone_land(split, p) for p in own[s]), *CONTEXT[s]] for s in SIDES}
    zones = geo.equidistant_zones(sides, win)
    belt_m = _nm_km("unclos_territorial_sea_limit") * 1e3
    seas, display = {}, {"zone": {}, "territorial_sea": {}}
    for side in SIDES:
        zone = geo.project(zones[side], centre, "dist")
        mine = [land(split, p) for p in own[side]]
        belt = geo.project(shapely.union_all(mine), centre, "dist").buffer(belt_m, 16) if mine \
            else Polygon()
        seas[side] = geo.unproject(shapely.intersection(belt, zone), centre, "dist")
        ground = shapely.intersection(shapely.union_all(
            [*mine, *(geo.geometry(i) for i in CONTEXT[side])]), win)
        cells = shapely.union(zone, geo.project(ground, centre, "dist")).buffer(20.0).buffer(-20.0)
        for layer, shape_m in (("zone", cells), ("territorial_sea", shapely.intersection(belt, cells))):
            simple = shape_m.simplify(DISPLAY_KM[layer] * 1e3)
            display[layer][side] = geo.polygons_only(geo.unproject(simple, centre, "dist").buffer(0))
    projected = {s: geo.project(zones[s], centre, "dist") for s in SIDES}
    shared = shapely.intersection(projected["japan"].boundary, projected["russia"].buffer(50.0))
    rim = geo.project(win, centre, "dist").boundary.buffer(200.0)
    line = shapely.line_merge(shapely.difference(shared, rim)) if not shared.is_empty else shared
    every = [geo.geometry(i) for i in (*ISLANDS, *CONTEXT["japan"], *CONTEXT["russia"])]
    return {"zone": zones, "territorial_sea": seas, "display": display,
            "median_line": geo.unproject(line.simplify(100.0), centre, "dist"),
            "zone_km2": {s: geo.area_km2(zones[s]) for s in SIDES},
            "territorial_sea_km2": {s: geo.area_km2(seas[s]) if not seas[s].is_empty else 0.0
                                    for s in SIDES},
            "window_sea_km2": geo.area_km2(shapely.difference(win, shapely.union_all(every)))}


def fresh_median_points(split: Split, line: BaseGeometry) -> list[dict[str, float]]:
    """Points (``lon``, ``lat``) at :data:`MEDIAN_FRACTIONS` along the longest piece of ``line``,
    the median line of ``split``, each with its distance (km) to each side's nearest land (its
    pieces and its context land), computed now; none if there is no line."""
    if line.is_empty:
        return []
    longest = max(getattr(line, "geoms", [line]), key=lambda g: g.length)
    ground = {s: shapely.union_all([*(land(split, p) for p in split.pieces()[s]),
                                    *(geo.geometry(i) for i in CONTEXT[s])]) for s in SIDES}
    points = [longest.interpolate(f, normalized=True) for f in MEDIAN_FRACTIONS]
    return [{"lon": p.x, "lat": p.y, **{s: geo.distance_km(p, ground[s]) for s in SIDES}} for p in points]


def median_points(split: Split) -> list[dict[str, float]]:
    """The shipped points of :func:`fresh_median_points` on the median line of ``split`` as drawn
    (copies)."""
    return [dict(p) for p in _shipped(split)["median_points"]]


def _rounded(geom: BaseGeometry) -> dict[str, Any]:
    return mapping(shapely.transform(geom, lambda xy: np.round(xy, 4)))


def shipped_entry(split: Split, fresh: dict[str, Any]) -> dict[str, Any]:
    """What the shipped file holds for ``split``, given its :func:`fresh_sea`: display outlines and
    median line (coordinates to 4 decimals), sea areas to 0.1 km², :func:`fresh_figures` (land to
    0.001 km², coast to 0.1 km), :func:`fresh_median_points` on the line as drawn (positions to 4
    decimals, distances to 0.1 km)."""
    line = _rounded(fresh["median_line"])
    points = [{k: round(v, 4 if k in ("lon", "lat") else 1) for k, v in p.items()}
              for p in fresh_median_points(split, shape(line))]
    land_figures = {m: {s: round(v, LAND_MEASURES[m] or None) for s, v in by_side.items()}
                    for m, by_side in fresh_figures(split).items()}
    return {"median_line": line,
            "display": {k: {s: _rounded(g) for s, g in v.items()} for k, v in fresh["display"].items()},
            **{k: {s: round(fresh[k][s], 1) for s in SIDES} for k in ("zone_km2", "territorial_sea_km2")},
            "window_sea_km2": round(fresh["window_sea_km2"], 1),
            "figures": land_figures, "median_points": points}


def _shipped(split: Split) -> dict[str, Any]:
    """The shipped entry of ``split`` (not a copy)."""
    shipped = data._derived("scenario_zones")
    if split.key not in shipped:  # a new scenario: run scripts/build_derived.py
        raise ValueError(f"no sea zones shipped for {split.key!r}; valid splits: {', '.join(shipped)}")
    return shipped[split.key]


@lru_cache(maxsize=32)
def sea(split: Split) -> dict[str, Any]:
    """The shipped sea picture of ``split``: as :func:`fresh_sea`, without the full outlines."""
    entry = _shipped(split)
    return {**entry, "median_line": shape(entry["median_line"]),
            "display": {k: {s: shape(g) for s, g in v.items()} for k, v in entry["display"].items()}}
