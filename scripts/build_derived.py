"""Rebuild ``data/derived/``: results computed once from the data, shipped so that no lesson
computes them in front of students.

Run by hand from the repository root after the polygons, the island table, the figures or a
lesson's content file changes (``tests/test_derived.py`` and ``tests/test_scenarios.py``
recompute samples and fail when the shipped files are stale)::

    python scripts/build_derived.py

- ``treaty_lines.json``: the schematic 1855, 1875 and 1905 border lines of lesson 01
  (:func:`kuril_teaching.history.fresh_line`: median lines across the straits, the 50th
  parallel across Sakhalin), coordinates rounded to 4 decimals.
- ``chinese_model.json``: lesson 04's Amur islands split by the 2004 boundary (each side's part
  and the areas held before and after), both boundary lines clipped to the map, and the four
  islands' land split at each share of the share explorer
  (:func:`kuril_teaching.chinese_model_geo.fresh_results`), coordinates to 7 decimals.
- ``scenario_zones.json``: the sea picture of lesson 05 for every combination of whole islands
  (the scenario explorer lets students tick any) and every scenario of the catalogue: the sea
  within 200 nautical miles of the four islands divided by equidistance
  (:func:`kuril_teaching.scenario_geo.fresh_sea`, about a second each), territorial seas and the
  median line, simplified for display (zones 1 km, territorial seas 0.5 km), with the areas
  measured on the full outlines; with each split's land, coast and people figures
  (:func:`kuril_teaching.scenario_geo.fresh_figures`) and points on its median line with their
  distances to land (:func:`kuril_teaching.scenario_geo.fresh_median_points`), so that the
  lesson measures nothing at run time.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kuril_teaching import chinese_model_geo, history, scenario_geo, scenarios  # noqa: E402

OUT = REPO / "data" / "derived"


def _write(name: str, content: object) -> None:
    out = OUT / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(content, ensure_ascii=False, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    print(f"wrote {out.relative_to(REPO)} ({out.stat().st_size:,} bytes)")


def treaty_lines() -> dict[str, object]:
    years = [int(y) for y in history.content.lesson("01_history").get("treaty_lines")]
    return {str(y): mapping(shapely.transform(history.fresh_line(y), lambda xy: np.round(xy, 4)))
            for y in years}


def _geojson(value: object) -> object:
    """``value`` with every shape in it as a GeoJSON geometry."""
    if isinstance(value, shapely.Geometry):
        return mapping(value)
    return {k: _geojson(v) for k, v in value.items()} if isinstance(value, dict) else value


def chinese_model() -> object:
    return _geojson(chinese_model_geo.fresh_results())


def scenario_zones() -> dict[str, object]:
    splits = {scenario_geo.Split(tuple(c)) for n in range(len(scenario_geo.ISLANDS) + 1)
              for c in itertools.combinations(scenario_geo.ISLANDS, n)}
    splits |= {s.split for s in scenarios.catalogue().values()}
    shipped = {}
    for split in sorted(splits, key=lambda s: (len(s.pieces()["japan"]), s.key)):
        shipped[split.key] = scenario_geo.shipped_entry(split, scenario_geo.fresh_sea(split))
        print(f"{split.key}: Japan's zone {shipped[split.key]['zone_km2']['japan']:,.0f} km²")
    return shipped


def main() -> None:
    _write("treaty_lines", treaty_lines())
    _write("chinese_model", chinese_model())
    _write("scenario_zones", scenario_zones())


if __name__ == "__main__":
    main()
