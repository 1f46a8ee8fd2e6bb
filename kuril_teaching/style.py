"""One palette and set of map styles for the whole package.

Colours are from the Okabe-Ito palette (Okabe & Ito, "Color Universal Design",
2008), chosen to stay distinguishable for the common forms of colour blindness.
Each colour has one meaning everywhere in the package; the words for each meaning are in
``data/lessons/library.yaml`` (``maps.colours``).
"""

from __future__ import annotations

COLOURS: dict[str, str] = {
    "japan": "#0072B2",  # blue: held or administered by Japan
    "russia": "#D55E00",  # vermilion: held or administered by Russia / the USSR
    "disputed": "#E69F00",  # orange: the four islands, administered by Russia, claimed by Japan
    "highlight": "#F0E442",  # yellow: the islands a lesson is pointing at
    "china": "#009E73",  # bluish green: China
    "undivided": "#CC79A7",  # reddish purple: land no treaty divided (Sakhalin 1855-1875)
    "line": "#000000",  # black: boundary lines (dashed where schematic)
    "context": "#BBBBBB",  # grey: other land
    "river": "#56B4E9",  # sky blue: rivers (their water, and centre-lines where only those exist)
    "sea": "#DCEBF5",  # pale blue map background
}


# Meanings drawn with a pattern as well as a colour, so that none rests on colour alone: the
# disputed islands are hatched and outlined in black (the pattern is defined in each map page).
HATCHED: tuple[str, ...] = ("disputed",)


# Land drawn pale, beside land of the same meaning drawn in full: the mainland around the river
# islands (the islands are the subject, the banks their setting).
PALE_OPACITY = 0.3
FULL_OPACITY = 0.75


def hatch_id(colour_key: str) -> str:
    """The id of the SVG pattern that fills land of a hatched meaning."""
    return f"kt-hatch-{colour_key}"


def polygon_style(colour_key: str, weight: float = 1.0, pale: bool = False) -> dict[str, object]:
    """Leaflet path style for land drawn in the colour (and, if hatched, the pattern) that
    ``colour_key`` stands for; ``pale`` land is filled lightly and outlined in grey."""
    colour = COLOURS[colour_key]
    if colour_key in HATCHED:
        return {"color": "#000000", "weight": weight + 0.6, "fillColor": f"url(#{hatch_id(colour_key)})",
                "fillOpacity": 0.9}
    if pale:
        return {"color": "#777777", "weight": weight, "fillColor": colour, "fillOpacity": PALE_OPACITY}
    return {"color": "#333333", "weight": weight, "fillColor": colour, "fillOpacity": FULL_OPACITY}


def pale_css(colour_key: str) -> str:
    """CSS colour of land of ``colour_key`` drawn pale (for a legend swatch)."""
    hex_colour = COLOURS[colour_key]
    red, green, blue = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{PALE_OPACITY})"


def hatch_css(colour_key: str) -> str:
    """CSS background that draws the same hatch in a legend swatch."""
    return (f"repeating-linear-gradient(45deg, {COLOURS[colour_key]} 0 4px, "
            "rgba(0,0,0,0.6) 4px 6px)")


def line_style(colour_key: str = "line", dashed: bool = True, weight: float = 2.5) -> dict[str, object]:
    """Leaflet path style for a boundary line."""
    style: dict[str, object] = {"color": COLOURS[colour_key], "weight": weight, "opacity": 0.9}
    if dashed:
        style["dashArray"] = "8 6"
    return style
