"""Geometry of the islands: areas, distances, shares, median lines and cuts.

Pure functions on shapely geometries in WGS 84 longitude/latitude. Measurements
are taken in a projection centred on the shapes measured: Lambert azimuthal
equal-area for areas, azimuthal equidistant for distances.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import shapely
import shapely.affinity
from shapely.geometry import LineString, MultiPolygon, Polygon, box, shape
from shapely.geometry.base import BaseGeometry

from . import data
from .records import FOUR_ISLANDS

__all__ = [
    "NAUTICAL_MILE_KM",
    "area_km2",
    "disputed_area_km2",
    "distance_km",
    "equal_area_cut",
    "equidistant_zones",
    "geometry",
    "islands",
    "median_line",
    "share_of_disputed_area",
    "shipped_area_km2",
    "split_by_share",
]

# 1 international nautical mile = 1852 m exactly (International Hydrographic
# Conference, 1929; the unit of UNCLOS Articles 3 and 57).
NAUTICAL_MILE_KM = 1.852


# --------------------------------------------------------------------------- projections


@lru_cache(maxsize=64)
def _transformer(lon: float, lat: float, kind: str) -> Any:
    """Longitude/latitude (WGS 84) to metres in a projection centred at ``lon``, ``lat``.

    Built as a PROJ pipeline on the WGS 84 ellipsoid: the same numbers as a CRS-to-CRS
    transformer from EPSG:4326, without its database look-ups (about 100 times faster to make).
    """
    from pyproj import Transformer  # loaded only where a lesson measures

    proj = "laea" if kind == "area" else "aeqd"
    return Transformer.from_pipeline(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
        f"+step +proj={proj} +lat_0={lat} +lon_0={lon} +ellps=WGS84")


def _centre(geom: BaseGeometry) -> tuple[float, float]:
    """The shape's centre rounded to half a degree, so nearby shapes share one projection.

    An equal-area projection is exact anywhere; an equidistant one centred within half a
    degree of the shapes measured errs by far less than the polygons' 100 m simplification.
    """
    minx, miny, maxx, maxy = geom.bounds
    return round(minx + maxx) / 2, round(miny + maxy) / 2


def project(geom: BaseGeometry, centre: tuple[float, float], kind: str = "area") -> BaseGeometry:
    """``geom`` in metres, in an equal-area (``"area"``) or equidistant projection at ``centre``."""
    forward = _transformer(*centre, kind)
    return shapely.transform(geom, lambda xy: np.column_stack(forward.transform(xy[:, 0], xy[:, 1])))


def unproject(geom: BaseGeometry, centre: tuple[float, float], kind: str = "area") -> BaseGeometry:
    """Inverse of :func:`project`."""
    back = _transformer(*centre, kind)
    return shapely.transform(geom, lambda xy: np.column_stack(
        back.transform(xy[:, 0], xy[:, 1], direction="INVERSE")))


# --------------------------------------------------------------------------- features


@lru_cache(maxsize=1)
def _shapes() -> dict[str, BaseGeometry]:
    return {k: shape(f["geometry"]) for k, f in data.geo_features().items()}


def geometry(feature_id: str) -> BaseGeometry:
    """The shape of an island, island group or map feature (Japanese or Russian names work).

    An island includes the islets grouped under it; ``"habomai"`` is the union of its islets.
    """
    return _geometry(feature_id)


@lru_cache(maxsize=256)
def _geometry(feature_id: str) -> BaseGeometry:  # shapes are immutable: one per feature
    shapes = _shapes()
    table = data.islands_table()
    parents = dict(zip(table["id"], table["parent"], strict=True))
    valid = sorted(set(shapes) | {p for p in parents.values() if p})
    ident = feature_id if feature_id in valid else data.resolve_island(feature_id, valid)
    parts = [shapes[ident]] if ident in shapes else []
    parts += [shapes[k] for k, p in parents.items() if p == ident]
    return shapely.union_all(parts)


def shipped_area_km2(feature_id: str) -> float:
    """Area in km² of a feature with its members, from the areas the polygon files ship
    (computed when they were built; ``tests/test_geo.py`` recomputes them)."""
    props = data.feature_properties()
    table = data.islands_table()
    parents = dict(zip(table["id"], table["parent"], strict=True))
    ident = data.resolve_island(feature_id, list(parents))
    parts = [k for k in props if k == ident or parents.get(k) == ident]
    return float(sum(props[k]["area_km2"] for k in parts))


def area_km2(geom: BaseGeometry) -> float:
    """Area in km² in an equal-area projection centred on the shape."""
    return float(project(geom, _centre(geom)).area / 1e6)


def distance_km(a: BaseGeometry | str, b: BaseGeometry | str) -> float:
    """Shortest distance in km between two shapes or features (0 if they touch)."""
    ga = geometry(a) if isinstance(a, str) else a
    gb = geometry(b) if isinstance(b, str) else b
    centre = _centre(shapely.union(ga.envelope, gb.envelope))
    return float(project(ga, centre, "dist").distance(project(gb, centre, "dist")) / 1e3)


def _disputed_union() -> BaseGeometry:
    props = data.feature_properties()
    parts = [_shapes()[k] for k, p in props.items() if p.get("group") == "disputed"]
    return shapely.union_all(parts)


def disputed_area_km2(basis: str = "computed") -> float:
    """Land area of the four disputed islands with their islets.

    ``basis="computed"`` measures the project's polygons; ``"official"`` returns
    the Japanese government's total from ``figures.csv``.
    """
    if basis == "official":
        return data.figure("four_island_area_total")
    if basis != "computed":
        raise ValueError(f"unknown basis {basis!r}; valid bases: computed, official")
    return area_km2(_disputed_union())


def share_of_disputed_area(island_ids: Iterable[str], basis: str = "computed") -> float:
    """Fraction (0-1) of the four islands' land area that the given islands make up."""
    ids = [data.resolve_island(i, FOUR_ISLANDS) for i in island_ids]
    if basis == "official":
        table = data.islands_table().set_index("id")
        part = sum(float(table.loc[i, "area_km2_official"]) for i in set(ids))
        return part / disputed_area_km2("official")
    if basis != "computed":
        raise ValueError(f"unknown basis {basis!r}; valid bases: computed, official")
    if not ids:
        return 0.0
    return area_km2(shapely.union_all([geometry(i) for i in ids])) / disputed_area_km2()


def islands(group: str | None = None) -> pd.DataFrame:
    """The island table with each feature's ``geometry`` and ``area_km2_computed``.

    ``group`` limits it to ``"disputed"``, ``"context"`` or ``"amur"``.
    """
    if group is not None:
        data._choice("group", group, data.GROUPS)
    return _islands(group).copy()


@lru_cache(maxsize=8)
def _islands(group: str | None) -> pd.DataFrame:
    table = data.islands_table()
    if group is not None:
        table = table[table["group"] == group].reset_index(drop=True)
    table["geometry"] = [geometry(i) for i in table["id"]]
    computed = [round(shipped_area_km2(i), 1) for i in table["id"]]
    position = table.columns.get_loc("area_km2_official") + 1
    table.insert(position, "area_km2_computed", computed)
    return table


# --------------------------------------------------------------------------- lines and cuts


def _as_geoms(side: BaseGeometry | str | Sequence[BaseGeometry | str]) -> BaseGeometry:
    if isinstance(side, (str, BaseGeometry)):
        side = [side]
    return shapely.union_all([geometry(s) if isinstance(s, str) else s for s in side])


def median_line(
    side_a: BaseGeometry | str | Sequence[BaseGeometry | str],
    side_b: BaseGeometry | str | Sequence[BaseGeometry | str],
    within_km: float | None = None,
    spacing_km: float = 1.0,
) -> BaseGeometry:
    """The line every point of which is equally far from the nearest land of each side.

    Built from a Voronoi diagram of points spaced ``spacing_km`` along both coasts; kept
    within ``within_km`` of both sides when given (e.g. 200 nautical miles), else within
    the gap between them. Schematic: real delimitations also weigh islets, baselines
    and negotiation.
    """
    a, b = _as_geoms(side_a), _as_geoms(side_b)
    centre = _centre(shapely.union(a.envelope, b.envelope))
    pa, pb = project(a, centre, "dist"), project(b, centre, "dist")
    step = spacing_km * 1e3
    pts_a = shapely.get_coordinates(shapely.segmentize(pa.boundary, step))
    pts_b = shapely.get_coordinates(shapely.segmentize(pb.boundary, step))
    reach = (within_km * 1e3) if within_km else pa.distance(pb) * 3 + 20e3
    frame = shapely.union(pa, pb).envelope.buffer(reach)
    cells = shapely.voronoi_polygons(
        shapely.multipoints(np.vstack([pts_a, pts_b])), extend_to=frame
    )
    cells_list = list(cells.geoms)
    owner = shapely.STRtree(cells_list)
    a_points = shapely.points(pts_a)
    idx_a = owner.query(a_points, predicate="within")[1]
    a_cells = shapely.union_all([cells_list[i] for i in np.unique(idx_a)])
    line = shapely.intersection(a_cells.boundary, frame.buffer(-1.0))
    line = shapely.intersection(line, shapely.intersection(pa.buffer(reach), pb.buffer(reach)))
    line = shapely.line_merge(line) if not line.is_empty else line
    return unproject(line, centre, "dist")


def equal_area_cut(
    geom: BaseGeometry | str,
    target_km2: float,
    bearing_deg: float | None = None,
) -> tuple[BaseGeometry, BaseGeometry, LineString]:
    """Cut a shape by a straight line so that the first part has ``target_km2`` of land.

    The cut runs perpendicular to ``bearing_deg`` (degrees clockwise from north; by
    default the shape's long axis) and the first part is the one at the low end of that
    axis. Returns ``(first_part, rest, cut_line)`` in longitude/latitude.
    """
    g = geometry(geom) if isinstance(geom, str) else geom
    total = area_km2(g)
    if not 0 < target_km2 < total:
        raise ValueError(f"target_km2 {target_km2!r} must lie between 0 and the shape's "
                         f"area {total:.1f} km²")
    centre = _centre(g)
    pg = project(g, centre)
    if bearing_deg is None:
        rect = pg.minimum_rotated_rectangle
        xy = np.asarray(rect.exterior.coords)[:3]
        sides = [xy[1] - xy[0], xy[2] - xy[1]]
        long = max(sides, key=lambda v: float(np.hypot(*v)))
        bearing_deg = float(np.degrees(np.arctan2(long[0], long[1]))) % 180
    rotated = shapely.affinity.rotate(pg, bearing_deg, origin=(0, 0))  # axis → +y
    minx, miny, maxx, maxy = rotated.bounds
    lo, hi = miny, maxy
    for _ in range(60):
        mid = (lo + hi) / 2
        part = rotated.intersection(box(minx - 1, miny - 1, maxx + 1, mid))
        if part.area / 1e6 < target_km2:
            lo = mid
        else:
            hi = mid
    cut_y = (lo + hi) / 2
    first = rotated.intersection(box(minx - 1, miny - 1, maxx + 1, cut_y))
    rest = rotated.intersection(box(minx - 1, cut_y, maxx + 1, maxy + 1))
    cut = LineString([(minx - 5e3, cut_y), (maxx + 5e3, cut_y)])
    back = [shapely.affinity.rotate(x, -bearing_deg, origin=(0, 0)) for x in (first, rest, cut)]
    return tuple(unproject(x, centre) for x in back)  # type: ignore[return-value]


def split_by_share(ids: Sequence[str], share: float) -> dict[str, object]:
    """Give one side ``share`` (0-1) of the land of ``ids``: whole features in the order given,
    then the feature where the share runs out cut straight across (:func:`equal_area_cut`).

    Returns ``japan_ids`` (whole features of the first side), ``cut_island`` (or ``None``),
    ``cut_first``/``cut_rest``/``cut_line`` (the cut's parts) and ``areas_km2`` per feature.
    """
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
        raise ValueError(f"share {share!r} must be a number from 0 to 1 (e.g. 0.5 for half)")
    return _split_by_share(tuple(ids), float(share))


@lru_cache(maxsize=32)
def _split_by_share(ids: tuple[str, ...], share: float) -> dict[str, object]:
    areas = {i: area_km2(geometry(i)) for i in ids}
    need = share * sum(areas.values())
    whole: list[str] = []
    out: dict[str, object] = {"cut_island": None, "cut_first": None, "cut_rest": None,
                              "cut_line": None, "areas_km2": areas}
    for ident in ids:
        if need >= areas[ident] - 1e-6:
            whole.append(ident)
            need -= areas[ident]
        elif need > 1e-6:
            first, rest, line = equal_area_cut(ident, need)
            out.update(cut_island=ident, cut_first=polygons_only(first),
                       cut_rest=polygons_only(rest), cut_line=line)
            break
        else:
            break
    out["japan_ids"] = tuple(whole)
    return out


def polygons_only(geom: BaseGeometry) -> BaseGeometry:
    """The polygonal part of a geometry (drops slivers of lines or points from a cut)."""
    parts = [p for p in getattr(geom, "geoms", [geom]) if isinstance(p, (Polygon, MultiPolygon))]
    return shapely.union_all(parts) if parts else Polygon()


def equidistant_zones(
    sides: dict[str, BaseGeometry | str | Sequence[BaseGeometry | str]],
    window: BaseGeometry,
    spacing_km: float = 2.0,
) -> dict[str, BaseGeometry]:
    """Split the sea inside ``window`` between ``sides``: each point goes to the side whose land is nearest.

    ``sides`` maps a side's name to its land. Returns each side's sea area in longitude/latitude
    (land removed). This is the equidistance principle in its simplest form, for illustration:
    real delimitations weigh baselines, small islands and negotiation.
    """
    if len(sides) < 2:
        raise ValueError(f"need at least two sides, got {len(sides)}: {', '.join(sides)}")
    land = {name: _as_geoms(geoms) for name, geoms in sides.items()}
    all_land = shapely.union_all(list(land.values()))
    centre = _centre(window)
    pwin = project(window, centre, "dist")
    step = spacing_km * 1e3
    reach = pwin.buffer(step * 5)
    names, points = [], []
    for name, geom in land.items():
        coast = shapely.intersection(project(geom, centre, "dist").boundary, reach)
        xy = shapely.get_coordinates(shapely.segmentize(coast, step))
        if len(xy) == 0:
            raise ValueError(f"side {name!r} has no coast inside the window")
        names += [name] * len(xy)
        points.append(xy)
    xy = np.vstack(points)
    cells = shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=reach)
    cell_list = np.asarray(cells.geoms)
    tree = shapely.STRtree(cell_list)
    point_idx, cell_idx = tree.query(shapely.points(xy), predicate="within")
    owner = np.empty(len(cell_list), dtype=object)
    owner[cell_idx] = np.asarray(names, dtype=object)[point_idx]
    sea = shapely.difference(pwin, project(all_land, centre, "dist"))
    zones = {}
    for name in land:
        mine = shapely.coverage_union_all(cell_list[owner == name])  # cells tile the plane
        zones[name] = unproject(shapely.intersection(sea, mine), centre, "dist")
    return zones
