"""Geometry against the official figures, and the geometric helpers' defining properties."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import Point

import kuril_teaching as kt
from kuril_teaching import geo


@pytest.fixture(scope="module")
def islands():
    return kt.islands(group="disputed").set_index("id")


@pytest.mark.parametrize("island", ["etorofu", "kunashiri", "shikotan"])
def test_computed_area_agrees_with_japanese_figure(islands, island: str) -> None:
    official = islands.loc[island, "area_km2_official"]
    computed = islands.loc[island, "area_km2_computed"]
    assert abs(computed - official) / official < 0.02


def test_four_island_total_agrees_with_japanese_figure() -> None:
    official = kt.disputed_area_km2("official")
    computed = kt.disputed_area_km2()
    assert abs(computed - official) / official < 0.02


def test_habomai_is_its_islets(islands) -> None:
    members = [i for i in islands.index if islands.loc[i, "parent"] == "habomai"]
    assert set(members) == {"suisho", "yuri", "akiyuri", "shibotsu", "taraku", "habomai_islets"}
    total = sum(islands.loc[m, "area_km2_computed"] for m in members)
    assert islands.loc["habomai", "area_km2_computed"] >= total - 0.5


def test_shares_of_complementary_sets_add_up() -> None:
    two = kt.share_of_disputed_area(["shikotan", "habomai"])
    other = kt.share_of_disputed_area(["etorofu", "kunashiri"])
    assert two + other == pytest.approx(1.0, abs=0.002)
    assert kt.share_of_disputed_area(["Iturup", "Kunashir", "Shikotan", "Habomai"]) == \
        pytest.approx(1.0, abs=0.002)
    official = kt.share_of_disputed_area(["shikotan", "habomai"], basis="official")
    assert official == pytest.approx((247.7 + 95) / 5003.1, rel=0.01)
    assert abs(two - official) < 0.01


def test_distance_matches_the_published_one() -> None:
    # hoppou.go.jp: Suisho lies 7.0 km from Cape Nosappu on Hokkaido (see islands.csv).
    assert kt.distance_km("suisho", "hokkaido_east") == pytest.approx(7.0, abs=1.5)
    assert kt.distance_km("etorofu", "etorofu") == 0


def test_area_of_a_known_square() -> None:
    # one degree of latitude by one of longitude at the equator: about 12,308 km²
    assert kt.area_km2(shapely.box(0, 0, 1, 1)) == pytest.approx(12308, rel=0.002)


def test_median_line_is_equidistant() -> None:
    line = kt.median_line("etorofu", "urup")
    assert not line.is_empty and line.length > 0
    a, b = kt.geometry("etorofu"), kt.geometry("urup")
    for fraction in (0.1, 0.3, 0.5, 0.7, 0.9):
        p = line.interpolate(fraction, normalized=True)
        da, db = kt.distance_km(Point(p), a), kt.distance_km(Point(p), b)
        assert da == pytest.approx(db, abs=1.5)
        assert da > 1


def test_equal_area_cut_halves_etorofu() -> None:
    total = kt.area_km2(kt.geometry("etorofu"))
    first, rest, cut = kt.equal_area_cut("etorofu", total / 2)
    assert kt.area_km2(first) == pytest.approx(total / 2, rel=0.005)
    assert kt.area_km2(first) + kt.area_km2(rest) == pytest.approx(total, rel=0.001)
    assert cut.intersects(kt.geometry("etorofu"))
    # the first part is the south-western end, nearer Kunashiri
    assert kt.distance_km(first, "kunashiri") < kt.distance_km(rest, "kunashiri")


@pytest.mark.parametrize(
    ("call", "bad"),
    [
        (lambda: kt.geometry("Honshu island"), "Honshu island"),
        (lambda: kt.share_of_disputed_area(["urup"]), "urup"),
        (lambda: kt.share_of_disputed_area(["shikotan"], basis="guess"), "guess"),
        (lambda: kt.disputed_area_km2("estimated"), "estimated"),
        (lambda: kt.islands(group="pacific"), "pacific"),
        (lambda: kt.equal_area_cut("shikotan", 10_000), "10000"),
    ],
)
def test_bad_input(call, bad: str) -> None:
    with pytest.raises(ValueError) as info:
        call()
    assert bad in str(info.value)


def test_project_round_trip() -> None:
    g = kt.geometry("shikotan")
    centre = (146.7, 43.8)
    back = geo.unproject(geo.project(g, centre), centre)
    assert shapely.equals_exact(g.normalize(), back.normalize(), tolerance=1e-7)


@pytest.mark.parametrize("ident", ["etorofu", "kunashiri", "shikotan", "habomai", "suisho", "urup",
                                   "hokkaido", "sakhalin", "tarabarov", "bolshoy_ussuriysky"])
def test_shipped_areas_match_a_fresh_computation(ident: str) -> None:
    fresh = kt.area_km2(kt.geometry(ident))
    assert geo.shipped_area_km2(ident) == pytest.approx(fresh, rel=2e-3)


def test_split_by_share_gives_whole_islands_then_cuts_one() -> None:
    order = ("habomai", "shikotan", "kunashiri", "etorofu")
    half = geo.split_by_share(order, 0.5)
    areas = half["areas_km2"]
    assert half["japan_ids"] == ("habomai", "shikotan", "kunashiri")
    assert half["cut_island"] == "etorofu"
    japan = sum(areas[i] for i in half["japan_ids"]) + kt.area_km2(half["cut_first"])
    assert japan == pytest.approx(sum(areas.values()) / 2, rel=1e-3)
    assert geo.split_by_share(order, 0.0)["japan_ids"] == ()
    assert geo.split_by_share(order, 1.0)["cut_island"] is None
    with pytest.raises(ValueError, match=r"1.5"):
        geo.split_by_share(order, 1.5)


def test_projection_pipeline_matches_the_crs_transformer() -> None:
    from pyproj import Transformer

    reference = Transformer.from_crs(
        "EPSG:4326", "+proj=aeqd +lat_0=44.5 +lon_0=146.0 +datum=WGS84 +units=m +no_defs",
        always_xy=True)
    point = shapely.Point(147.3, 45.2)
    x, y = reference.transform(147.3, 45.2)
    projected = geo.project(point, (146.0, 44.5), "dist")
    assert projected.x == pytest.approx(x, abs=1e-6) and projected.y == pytest.approx(y, abs=1e-6)
    back = geo.unproject(projected, (146.0, 44.5), "dist")
    assert back.x == pytest.approx(147.3, abs=1e-9) and back.y == pytest.approx(45.2, abs=1e-9)


@pytest.mark.parametrize("name", ["amur_banks", "amur_places", "locator"])
def test_map_setting_files_are_clean_and_credited(name: str) -> None:
    """The banks, Khabarovsk and the locator: valid, counter-clockwise land, on the 1e-5 grid,
    each feature with its source, licence and credit and no names (names live in data/)."""
    import json

    import numpy as np

    features = json.loads((kt.data.data_root() / "geo" / f"{name}.geojson").read_text())["features"]
    assert features
    for feature in features:
        props, geom = feature["properties"], shapely.geometry.shape(feature["geometry"])
        assert {"id", "group", "source", "license", "attribution"} <= set(props), props
        assert not {"name_en", "name_ja", "name_ru", "name_zh"} & set(props)
        assert geom.is_valid and not geom.is_empty, props["id"]
        coords = shapely.get_coordinates(geom)
        assert np.abs(coords * 1e5 - np.round(coords * 1e5)).max() < 1e-6, props["id"]
        for part in getattr(geom, "geoms", [geom]):
            if part.geom_type == "Polygon":
                assert part.exterior.is_ccw and not part.interiors, props["id"]
    licences = {f["properties"]["license"] for f in features}
    assert licences == {"amur_banks": {"LGPL-3.0-or-later"}, "amur_places": {"CC-BY-4.0"},
                        "locator": {"Public domain"}}[name]


def test_locator_land_holds_the_three_countries_and_the_islands() -> None:
    import json

    shapes = {f["properties"]["id"]: shapely.geometry.shape(f["geometry"]) for f in json.loads(
        (kt.data.data_root() / "geo" / "locator.geojson").read_text())["features"]}
    assert shapes["locator_japan"].contains(Point(139.7, 35.7))  # Tokyo
    assert shapes["locator_china"].contains(Point(116.4, 39.9))  # Beijing
    assert shapes["locator_russia"].contains(Point(135.1, 48.5))  # Khabarovsk
    assert shapes["locator_disputed"].intersects(kt.geometry("kunashiri"))
    assert shapes["locator_other"].contains(Point(127.0, 37.5))  # Seoul: other land, unnamed
    assert shapely.box(*kt.maps.LOCATOR_BOX).contains(shapely.union_all(list(shapes.values())).envelope)
