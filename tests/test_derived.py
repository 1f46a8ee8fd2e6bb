"""Results shipped in data/derived/ match a fresh computation from the data."""

from __future__ import annotations

import pytest
import shapely

from kuril_teaching import chinese_model_geo, data, geo, history


@pytest.mark.parametrize("year", [1855, 1875, 1905])
def test_shipped_treaty_lines_match_a_fresh_computation(year: int) -> None:
    shipped, fresh = history.line(year), history.fresh_line(year)
    assert shipped.geom_type in ("LineString", "MultiLineString")
    # rounded to 4 decimals (about 11 m) when shipped
    assert shapely.hausdorff_distance(shipped, fresh) < 1e-3
    assert shipped.length == pytest.approx(fresh.length, rel=1e-3)


def test_unknown_treaty_year_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match=r"1904.*1855, 1875, 1905"):
        history.line(1904)


def test_missing_derived_file_says_how_to_rebuild() -> None:
    with pytest.raises(data.DataFileError, match=r"derived/nothing\.json.*build_derived\.py"):
        data.derived("nothing")


def test_derived_results_are_copies() -> None:
    first = data.derived("treaty_lines")
    first["1855"]["coordinates"].clear()
    assert data.derived("treaty_lines")["1855"]["coordinates"]


def _assert_same(shipped: object, fresh: object, where: str = "") -> None:
    """``shipped`` (as read from JSON) matches ``fresh`` (shapes, numbers, ids) everywhere."""
    if isinstance(fresh, shapely.Geometry):
        got = shapely.geometry.shape(shipped)
        assert (got.geom_type, got.is_empty) == (fresh.geom_type, fresh.is_empty), where
        assert got.is_empty or shapely.hausdorff_distance(got, fresh) < 1e-6, where
    elif isinstance(fresh, dict):
        assert list(shipped) == list(fresh), where
        for key, value in fresh.items():
            _assert_same(shipped[key], value, f"{where}/{key}")
    elif isinstance(fresh, list):
        assert len(shipped) == len(fresh), where
        for n, (got, value) in enumerate(zip(shipped, fresh, strict=True)):
            _assert_same(got, value, f"{where}[{n}]")
    elif isinstance(fresh, float):
        assert shipped == pytest.approx(fresh, rel=1e-6, abs=1e-9), where
    else:
        assert shipped == fresh, where


def test_shipped_chinese_model_results_match_a_fresh_computation() -> None:
    shipped, fresh = data.derived("chinese_model"), chinese_model_geo.fresh_results()
    _assert_same(shipped, fresh)
    assert list(shipped["kurils"]["splits"]) == [str(s) for s in chinese_model_geo.SHARE_STOPS]
    # the polygons' own vertices (5 decimals) are shipped as they are: no drift from rounding
    tarabarov = shapely.geometry.shape(shipped["amur"]["after"]["tarabarov"]["china"])
    assert tarabarov.normalize().equals_exact(geo.geometry("tarabarov").normalize(), 0)
