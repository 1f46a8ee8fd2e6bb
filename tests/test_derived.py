"""Results shipped in data/derived/ match a fresh computation from the data."""

from __future__ import annotations

import pytest
import shapely

from kuril_teaching import data, history


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
