"""Rebuild ``data/derived/scenario_zones.json``: the sea picture of every settlement scenario.

Run by hand from the repository root after the polygons, the figures or the scenario catalogue
(``data/lessons/05_scenarios_lab.yaml``) change::

    python scripts/build_scenario_zones.py

For every combination of whole islands (the scenario explorer lets students tick any) and every
scenario of the catalogue, it divides the sea within 200 nautical miles of the four islands by
equidistance (:func:`kuril_teaching.scenario_geo.fresh_sea`, about a second each) and writes the
zones, the territorial seas and the median line, simplified for display (zones 1 km, territorial
seas 0.5 km) with coordinates rounded to 4 decimals, and the areas measured on the full outlines.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kuril_teaching import scenario_geo, scenarios  # noqa: E402


def main() -> None:
    splits = {scenario_geo.Split(tuple(c)) for n in range(len(scenario_geo.ISLANDS) + 1)
              for c in itertools.combinations(scenario_geo.ISLANDS, n)}
    splits |= {s.split for s in scenarios.catalogue().values()}
    shipped = {}
    for split in sorted(splits, key=lambda s: (len(s.pieces()["japan"]), s.key)):
        shipped[split.key] = scenario_geo.shipped_entry(scenario_geo.fresh_sea(split))
        print(f"{split.key}: Japan's zone {shipped[split.key]['zone_km2']['japan']:,.0f} km²")
    out = REPO.joinpath("data", *scenario_geo.ZONES_FILE)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(shipped, ensure_ascii=False, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    print(f"wrote {out.relative_to(REPO)} ({out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
