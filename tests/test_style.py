"""The palette: colours told apart under colour-vision deficiencies, and no meaning on colour alone."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from colorspacious import cspace_convert, deltaE
from conftest import page_features

import kuril_teaching as kt
from kuril_teaching import style

# Colours that share a map (the line colour, black, is drawn as a dashed line, not a fill).
FILLS = [k for k in style.COLOURS if k != "line"]
# CAM02-UCS colour difference two fills must keep under each simulated deficiency. About 1 is
# the smallest difference a viewer notices side by side; 10 keeps neighbouring areas of a
# map clearly apart at a glance (the weakest pair of the palette, orange and reddish purple
# under tritanomaly, is at about 11).
MIN_DELTA_E = 10.0
DEFICIENCIES = ("deuteranomaly", "protanomaly", "tritanomaly")


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255


def _seen(hex_colour: str, deficiency: str) -> np.ndarray:
    space = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
    return np.clip(cspace_convert(_rgb(hex_colour), space, "sRGB1"), 0, 1)


@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_every_pair_of_fills_stays_apart(deficiency: str) -> None:
    close = []
    for a, b in itertools.combinations(FILLS, 2):
        difference = float(deltaE(_seen(style.COLOURS[a], deficiency),
                                  _seen(style.COLOURS[b], deficiency), input_space="sRGB1"))
        if difference < MIN_DELTA_E:
            close.append(f"{a}/{b}: {difference:.1f}")
    assert not close, f"too close under {deficiency}: {', '.join(close)}"


def test_disputed_land_is_hatched_and_outlined_not_only_coloured() -> None:
    page = kt.island_map().get_root().render()
    pattern = style.hatch_id("disputed")
    assert f'<pattern id="{pattern}"' in page
    disputed = [f["properties"]["style"] for f in page_features(page)
                if f["properties"]["style"]["fillColor"] == f"url(#{pattern})"]
    assert len(disputed) == len(kt.maps.map_features())
    others = [f["properties"]["style"] for f in page_features(page)
              if f["properties"]["style"] not in disputed]
    assert all(s["color"] == "#000000" for s in disputed)
    assert others and all(s["color"] != "#000000" for s in others)
    assert style.hatch_css("disputed") in page  # the legend shows the same hatch
