"""Geometry of the Chinese-model lesson: the Amur islands split by the boundary lines, and the
four Kuril islands' land divided by shares.

What the lesson's tables and maps show never changes for the shipped polygons: :func:`fresh_results`
computes it, ``scripts/build_derived.py`` ships it in ``data/derived/chinese_model.json`` and
:func:`shipped` reads it. :func:`split_island` (which students call) and shares other than
``SHARE_STOPS`` are computed on call. The Amur outlines are APPROXIMATE (``data/geo/SOURCES.md``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import split

from . import data, geo, records
from ._resources import data_root

AMUR_ISLANDS = ("tarabarov", "bolshoy_ussuriysky")
# What the Amur maps draw around the islands (data/geo/SOURCES.md, parts D and E): the mainland
# on each side, the Amur's water, the Ussuri and the side channels, Khabarovsk.
AMUR_SETTING = ("amur_bank_russia", "amur_bank_china", "amur_water", "ussuri", "amur_channels",
                "khabarovsk")
_SETTING_FILES = ("amur_banks.geojson", "amur_places.geojson")
BOUNDARY_LINES = {"before": "cn_ru_boundary_pre2004", "after": "cn_ru_boundary_2004"}
# The box the Amur lines were clipped to (data/geo/SOURCES.md, step C), and a point in its
# south-west corner, on China's side: south of the Amur and west of the Ussuri.
_AMUR_FRAME, _CHINA_CORNER = (134.0, 48.0, 135.3, 48.6), shapely.Point(134.001, 48.001)
SHARE_STOPS = (0.07, 0.25, 0.5, 0.75, 1.0)
_MAP_MARGIN = (-0.15, -0.12, 0.15, 0.12)  # around the Amur islands: the lines are clipped to it


def split_island(island: str, line_id: str = "cn_ru_boundary_2004") -> dict[str, BaseGeometry]:
    """An Amur island cut by a boundary line: ``{"china": ..., "russia": ...}`` land."""
    data._choice("Amur island", island, AMUR_ISLANDS)
    data._choice("line", line_id, BOUNDARY_LINES.values())
    faces = split(shapely.box(*_AMUR_FRAME), geo.geometry(line_id)).geoms
    china = next(face for face in faces if face.contains(_CHINA_CORNER))  # China's side of the line
    whole = geo.geometry(island)
    return {"china": whole.intersection(china), "russia": whole.difference(china)}


def amur_setting() -> dict[str, BaseGeometry]:
    """The land, water, rivers and town around the Amur islands, by id (:data:`AMUR_SETTING`):
    ``amur_bank_russia`` and ``amur_bank_china`` (mainland, APPROXIMATE like the islands),
    ``amur_water`` (the Amur), ``ussuri`` and ``amur_channels`` (centre-lines), ``khabarovsk``
    (a point)."""
    return dict(_setting())


@lru_cache(maxsize=1)
def _setting() -> Mapping[str, BaseGeometry]:
    shapes: dict[str, BaseGeometry] = {}
    for name in _SETTING_FILES:
        entry = data_root() / "geo" / name
        if not entry.is_file():
            raise data.DataFileError(f"geo/{name}", None, None,
                                     "file is missing: rebuild it with scripts/build_geodata.py --gshhg")
        for feature in json.loads(entry.read_text(encoding="utf-8"))["features"]:
            shapes[feature["properties"]["id"]] = shape(feature["geometry"])
    missing = [i for i in AMUR_SETTING if i not in shapes]
    if missing:
        raise data.DataFileError("geo/amur_banks.geojson", None, "id",
                                 f"no feature {', '.join(missing)}; expected {', '.join(AMUR_SETTING)}")
    return MappingProxyType(shapes)


def _km2(geom: BaseGeometry | None) -> float:
    return 0.0 if geom is None or geom.is_empty else geo.area_km2(geom)


def _rounded(geom: BaseGeometry | None) -> BaseGeometry | None:
    """Coordinates to 7 decimals (1 cm): the polygons' own vertices (5 decimals) stay as they are."""
    return None if geom is None else shapely.transform(geom, lambda xy: np.round(xy, 7))


def fresh_results() -> dict[str, Any]:
    """What the lesson's tables and maps show, computed from the polygons now (coordinates to 7
    decimals): ``amur`` (the islands' parts ``after`` 2008, the ``km2`` each side holds
    ``before``/``after``, both boundary lines clipped to the map, the islands' ``bounds``) and
    ``kurils`` (the four islands' ``bounds``, :func:`fresh_split` at each of ``SHARE_STOPS``)."""
    bounds = shapely.total_bounds([geo.geometry(i) for i in AMUR_ISLANDS]).tolist()
    frame = shapely.box(*np.add(bounds, _MAP_MARGIN))
    after = {i: {s: _rounded(p) for s, p in split_island(i).items()} for i in AMUR_ISLANDS}
    km2 = {"before": {i: {"russia": geo.area_km2(geo.geometry(i)), "china": 0.0} for i in AMUR_ISLANDS},
           "after": {i: {s: _km2(p) for s, p in parts.items()} for i, parts in after.items()}}
    lines = {s: _rounded(geo.geometry(line).intersection(frame)) for s, line in BOUNDARY_LINES.items()}
    kurils = shapely.total_bounds([geo.geometry(i) for i in records.FROM_HOKKAIDO]).tolist()
    return {"amur": {"bounds": bounds, "after": after, "km2": km2, "lines": lines},
            "kurils": {"bounds": kurils, "splits": {str(s): fresh_split(s) for s in SHARE_STOPS}}}


def fresh_split(share: float) -> dict[str, Any]:
    """:func:`geo.split_by_share` of the four islands from Hokkaido outwards, computed now
    (coordinates to 7 decimals), with the area of Japan's part of the cut island."""
    parts = geo.split_by_share(records.FROM_HOKKAIDO, share)
    cut = {k: _rounded(parts[f"cut_{k}"]) for k in ("first", "rest", "line")}
    return {"japan_ids": list(parts["japan_ids"]), "cut_island": parts["cut_island"],
            "cut_line": cut["line"], "cut_japan": cut["first"], "cut_russia": cut["rest"],
            "cut_japan_km2": _km2(cut["first"]), "areas_km2": dict(parts["areas_km2"])}


def _shapes(value: Any) -> Any:
    if isinstance(value, dict):  # GeoJSON geometries become shapes
        return shape(value) if "coordinates" in value else {k: _shapes(v) for k, v in value.items()}
    return value


@lru_cache(maxsize=1)
def shipped() -> dict[str, Any]:
    """:func:`fresh_results` as shipped in ``data/derived/chinese_model.json`` (one cached copy:
    read it, do not change it)."""
    return _shapes(data._derived("chinese_model"))


def split_for_share(share: float) -> Mapping[str, Any]:
    """Japan gets ``share`` (0-1) of the four islands' land: whole islands from Hokkaido outwards,
    then the island where the share runs out cut straight across (:func:`geo.equal_area_cut`).

    Shipped for ``SHARE_STOPS`` (0.5: the 50:50 cut other lessons reuse), computed for other shares;
    a read-only mapping of ``japan``/``russia`` land, ``cut_island``, ``cut_line``, ``cut_japan``/
    ``cut_russia`` (the cut island's parts) or None, ``japan_km2``, ``russia_km2``, ``total_km2``,
    ``share`` (reached), ``areas_km2``, ``to_japan_km2``. An illustration, not a proposal."""
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
        raise ValueError(f"share {share!r} must be a number from 0 to 1 (e.g. 0.5 for half); "
                         f"suggested shares: {', '.join(map(str, SHARE_STOPS))}")
    return _split(float(share))


@lru_cache(maxsize=16)
def _split(share: float) -> Mapping[str, Any]:
    parts = shipped()["kurils"]["splits"].get(str(share)) or fresh_split(share)
    areas, whole, cut = parts["areas_km2"], parts["japan_ids"], parts["cut_island"]
    given = {i: areas[i] if i in whole else parts["cut_japan_km2"] if i == cut else 0.0
             for i in records.FROM_HOKKAIDO}
    rest = [geo.geometry(i) for i in records.FROM_HOKKAIDO if i not in whole and i != cut]
    land = {"japan": [*map(geo.geometry, whole), parts["cut_japan"]], "russia": [parts["cut_russia"], *rest]}
    total, japan = sum(areas.values()), sum(given.values())
    return MappingProxyType({  # the islands never overlap: their polygons together are the land
        **{k: shapely.MultiPolygon([p for g in v if g is not None for p in shapely.get_parts(g)])
           for k, v in land.items()},
        "cut_island": cut, "cut_line": parts["cut_line"], "cut_japan": parts["cut_japan"],
        "cut_russia": parts["cut_russia"], "japan_km2": japan, "russia_km2": total - japan,
        "total_km2": total, "share": japan / total, "areas_km2": MappingProxyType(areas),
        "to_japan_km2": MappingProxyType(given)})
