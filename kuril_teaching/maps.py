"""Folium maps that work with no internet.

Every map inlines a pinned copy of Leaflet (no CDN) and draws land from the
project's own polygons (no tile server). An online basemap can be added on request.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import folium
import numpy as np
import pandas as pd
import shapely
import shapely.ops
from branca.element import Element, MacroElement
from jinja2 import Template
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from . import data, geo, records
from ._resources import data_root, leaflet_asset
from .content import text
from .style import COLOURS, HATCHED, hatch_css, hatch_id, line_style, pale_css, polygon_style

__all__ = [
    "BASEMAPS",
    "LEGEND_MARKS",
    "LOCATOR_BOX",
    "Label",
    "Land",
    "Line",
    "OfflineMap",
    "Place",
    "Sea",
    "add_features",
    "add_legend",
    "add_title",
    "base_map",
    "context_view",
    "island_map",
    "land_feature",
    "lesson_map",
    "line_feature",
    "locator_svg",
    "map_features",
    "place_feature",
    "popup_html",
]

OSM_CREDIT = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors</a> (ODbL)'
OSM_ATTRIBUTION = f"Land: {OSM_CREDIT}"
BASEMAPS = ("openstreetmap",)
_COORD_DIGITS = 4  # about 11 m: finer than the polygons' 100 m simplification


class _Raw(Element):
    """Text placed into the page as it is (not read as a template)."""

    _template = Template("{{ this.text }}")

    def __init__(self, text: str):
        super().__init__()
        self.text = text


def _hatch(colour_key: str) -> str:
    return (f'<pattern id="{hatch_id(colour_key)}" patternUnits="userSpaceOnUse" width="8" height="8"'
            f' patternTransform="rotate(45)"><rect width="8" height="8" fill="{COLOURS[colour_key]}"/>'
            '<line x1="0" y1="0" x2="0" y2="8" stroke="#000" stroke-width="2.2" stroke-opacity="0.6"/>'
            "</pattern>")


# The SVG patterns of the hatched meanings, defined once in every map page.
_HATCHES = ('<svg aria-hidden="true" focusable="false" width="0" height="0" style="position:absolute">'
            f"<defs>{''.join(_hatch(k) for k in HATCHED)}</defs></svg>")


class OfflineMap(folium.Map):
    """A ``folium.Map`` whose Leaflet JS and CSS are inlined from the package."""

    default_js: ClassVar[list[tuple[str, str]]] = []
    default_css: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        root = self.get_root()
        root.header.add_child(_Raw(f"<style>{leaflet_asset('leaflet.css')}</style>"), name="leaflet_css")
        root.header.add_child(_Raw(f"<script>{leaflet_asset('leaflet.js')}</script>"), name="leaflet")
        root.html.add_child(_Raw(_HATCHES), name="kt_hatches")
        # the page's language, for screen readers: the language the library speaks now
        from .i18n import language

        root.header.add_child(_Raw(f"<script>document.documentElement.lang = "
                                   f"{json.dumps(language())};</script>"), name="kt_lang")
        self.kt_title: str | None = None

    def _repr_html_(self, **kwargs: Any) -> str:
        """The map in a frame that carries the map's title."""
        out = super()._repr_html_(**kwargs)
        if self.kt_title:
            out = out.replace("<iframe ", f'<iframe title="{html.escape(self.kt_title)}" ', 1)
        return out


class _Control(MacroElement):
    """A Leaflet control holding a block of (already escaped) HTML."""

    _template = Template(
        """
{% macro header(this, kwargs) %}
<style>
.kt-control {background: rgba(255,255,255,0.92); padding: 6px 9px; border-radius: 4px;
  font: 13px/1.35 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); max-width: 320px;}
.kt-control h4 {margin: 0; font-size: 15px;}
.kt-swatch {display: inline-block; width: 14px; height: 14px; margin-right: 6px;
  vertical-align: -2px; border: 1px solid #333;}
.kt-dash {display: inline-block; width: 22px; margin-right: 6px; vertical-align: 3px;
  border-top: 3px dashed #000;}
.kt-rule {display: inline-block; width: 22px; margin-right: 6px; vertical-align: 3px;
  border-top: 3px solid #000;}
.kt-dot {display: inline-block; width: 8px; height: 8px; margin: 0 10px 0 5px; border-radius: 50%;
  background: #fff; border: 2.5px solid #000; vertical-align: -1px;}
.kt-control.kt-locator {padding: 3px; line-height: 0;}
.leaflet-control-attribution {max-width: 55%; white-space: normal; text-align: right;}
</style>
{% endmacro %}
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
{{ this.get_name() }}.onAdd = function () {
    var div = L.DomUtil.create("div", "kt-control {{ this.css_class }}");
    div.innerHTML = {{ this.html|tojson }};
    L.DomEvent.disableClickPropagation(div);
    return div;
};
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, html_text: str, position: str, css_class: str):
        super().__init__()
        self._name = "KtControl"
        self.html, self.position, self.css_class = html_text, position, css_class


class _Attribution(MacroElement):
    _template = Template(
        """{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
{% endmacro %}"""
    )

    def __init__(self, text: str):
        super().__init__()
        self.text = text


def _rounded(geom: BaseGeometry) -> dict[str, Any]:
    return mapping(shapely.transform(geom, lambda xy: np.round(xy, _COORD_DIGITS)))


def base_map(
    bounds: Sequence[float] | None = None,
    basemap: str | None = None,
    height: int = 520,
    attribution: str = OSM_ATTRIBUTION,
) -> OfflineMap:
    """An empty offline map fitted to ``bounds`` (minx, miny, maxx, maxy) with a scale bar.

    ``basemap="openstreetmap"`` adds an online tile layer that can be switched off; it
    needs the internet, the rest of the map does not.
    """
    if basemap is not None and basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}; valid basemaps: None, {', '.join(BASEMAPS)}")
    fmap = OfflineMap(tiles=None, control_scale=True, height=height, prefer_canvas=False,
                      zoom_snap=0.25)
    fmap.get_root().header.add_child(
        _Raw(f"<style>.leaflet-container {{background: {COLOURS['sea']};}}</style>"), name="kt_sea"
    )
    fmap.add_child(_Attribution(attribution))
    if bounds is not None:
        minx, miny, maxx, maxy = bounds
        fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    if basemap == "openstreetmap":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)", overlay=True,
                         show=True, opacity=0.6).add_to(fmap)
        folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


class _Features(MacroElement):
    """Features of a map in one Leaflet GeoJSON layer, each with its own style, tooltip (escaped
    HTML), popup (escaped HTML) and, for land, a wider outline under the pointer."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJSON({{ this.collection }}, {
    {% if this.pane %}pane: {{ this.pane|tojson }},{% endif %}
    style: function (feature) { return feature.properties.style; },
    {% if this.points %}pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, feature.properties.style); },{% endif %}
    onEachFeature: function (feature, layer) {
        var p = feature.properties;
        layer.bindTooltip(p.tooltip, {sticky: true});
        if (p.popup) { layer.bindPopup(p.popup, {maxWidth: 340}); }
        if (p.highlight) {
            layer.on("mouseover", function () { layer.setStyle({weight: p.style.weight + 2}); });
            layer.on("mouseout", function () { layer.setStyle({weight: p.style.weight}); });
        }
    }
}).addTo({{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, features: Sequence[dict[str, Any]], pane: str | None = None):
        super().__init__()
        self._name = "KtFeatures"
        self.collection = _script_json({"type": "FeatureCollection", "features": list(features)})
        self.pane = pane
        self.points = any(f["geometry"]["type"] in ("Point", "MultiPoint") for f in features)


def _script_json(value: object) -> str:
    """JSON that is safe inside a <script> element and inside a Jinja template (branca renders
    an element's script as a template): names stay readable, not ``\\u``-escaped; ``<``, ``>``,
    ``&`` and ``'`` are escaped, and so is the second character of ``{{``, ``{%`` and ``{#``,
    which can only occur inside strings."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for old, new in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"),
                     ("{{", "{\\u007b"), ("{%", "{\\u0025"), ("{#", "{\\u0023")):
        text = text.replace(old, new)
    return text


class _Labels(MacroElement):
    """Permanent labels placed without collisions: in order of importance, each label sits
    inside its land where it fits, else beside it (right, left, above, below), and is left out
    (until the student zooms in) where every place would overlap a label, a control such as
    the title or legend, or the map's edge. Placed again after every zoom and move."""

    _template = Template(
        """{% macro header(this, kwargs) %}
<style>
.leaflet-tooltip.kt-label {background: rgba(255,255,255,0.85); border: 1px solid #555;
  border-radius: 3px; box-shadow: none; padding: 1px 4px; font: 600 12px/1.25 system-ui,
  -apple-system, "Segoe UI", sans-serif; color: #111; white-space: nowrap;}
.leaflet-tooltip.kt-label::before {display: none;}
</style>
{% endmacro %}
{% macro script(this, kwargs) %}
(function (map, labels) {
    var made = labels.map(function (l) {
        return {spec: l, tip: L.tooltip({permanent: true, direction: "center", interactive: false,
                                         className: "kt-label", opacity: 1})
                          .setLatLng(l.at).setContent(l.text)};
    });
    function overlaps(a, b) {
        return !(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top);
    }
    function box(x, y, w, h) {
        return {left: x - w / 2, right: x + w / 2, top: y - h / 2, bottom: y + h / 2};
    }
    function place() {
        var frame = map.getContainer().getBoundingClientRect();
        var placed = Array.from(map.getContainer().querySelectorAll(".leaflet-control")).map(
            function (c) { var r = c.getBoundingClientRect();
                           return {left: r.left - frame.left, right: r.right - frame.left,
                                   top: r.top - frame.top, bottom: r.bottom - frame.top}; });
        made.forEach(function (m) {
            m.tip.setLatLng(m.spec.at).addTo(map);
            var node = m.tip.getElement(), w = node.offsetWidth, h = node.offsetHeight;
            var sw = map.latLngToContainerPoint([m.spec.bounds[0], m.spec.bounds[1]]);
            var ne = map.latLngToContainerPoint([m.spec.bounds[2], m.spec.bounds[3]]);
            var at = map.latLngToContainerPoint(m.spec.at), done = false;
            var land = {left: sw.x, right: ne.x, top: ne.y, bottom: sw.y};
            // inside the land if it fits there, else beside it: right, left, above, below
            var spots = [];
            if (land.right - land.left > w + 8 && land.bottom - land.top > h + 4) {
                spots.push([at.x, at.y]);
            }
            // a wide land (a mainland) has more places inside it, and no name outside it
            (m.spec.more || []).forEach(function (ll) {
                var p = map.latLngToContainerPoint(ll); spots.push([p.x, p.y]); });
            if (!m.spec.inside) {
                spots.push([land.right + 4 + w / 2, at.y], [land.left - 4 - w / 2, at.y],
                           [at.x, land.top - 3 - h / 2], [at.x, land.bottom + 3 + h / 2]);
            }
            for (var i = 0; i < spots.length && !done; i++) {
                var b = box(spots[i][0], spots[i][1], w, h);
                var inside = b.left >= 0 && b.top >= 0 && b.right <= frame.width && b.bottom <= frame.height;
                if (inside && !placed.some(function (p) { return overlaps(p, b); })) {
                    m.tip.setLatLng(map.containerPointToLatLng(spots[i]));
                    placed.push(b);
                    done = true;
                }
            }
            if (!done) { m.tip.remove(); }
            node.setAttribute("data-kt-label", done ? "shown" : "hidden");
        });
    }
    map.whenReady(place);
    map.on("zoomend moveend resize", place);
})({{ this._parent.get_name() }}, {{ this.labels }});
{% endmacro %}"""
    )

    def __init__(self, labels: Sequence[dict[str, Any]]):
        super().__init__()
        self._name = "KtLabels"
        self.labels = _script_json(list(labels))


def _label_point(shape: BaseGeometry) -> list[float]:
    """Where a label sits: inside the largest part of ``shape`` (latitude, longitude)."""
    parts = list(getattr(shape, "geoms", [shape]))
    largest = max(parts, key=lambda g: g.area)
    point = shapely.ops.polylabel(largest, tolerance=0.005) if largest.geom_type == "Polygon" \
        else largest.representative_point()
    return [round(point.y, 4), round(point.x, 4)]


def _feature(geom: BaseGeometry, style: Mapping[str, object], tooltip: str,
             popup_html: str | None = None, highlight: bool = False) -> dict[str, Any]:
    props = {"style": dict(style), "tooltip": html.escape(tooltip), "popup": popup_html or "",
             "highlight": highlight}
    return {"type": "Feature", "properties": props, "geometry": _rounded(geom)}


def land_feature(geom: BaseGeometry, colour: str, tooltip: str, popup_html: str | None = None,
                 weight: float = 1.0) -> dict[str, Any]:
    """A land feature for :func:`add_features`; ``tooltip`` is plain text, ``popup_html``
    escaped HTML."""
    return _feature(geom, polygon_style(colour, weight), tooltip, popup_html, highlight=True)


def line_feature(geom: BaseGeometry, tooltip: str, colour: str = "line", dashed: bool = True,
                 weight: float = 2.5) -> dict[str, Any]:
    """A line feature (a boundary, a cut) for :func:`add_features`; ``tooltip`` is plain text."""
    return _feature(geom, line_style(colour, dashed, weight), tooltip)


def place_feature(point: BaseGeometry, tooltip: str) -> dict[str, Any]:
    """A town or city for :func:`add_features`: a dot (white, ringed in black); ``tooltip`` is
    plain text."""
    style = {"radius": 5, "color": COLOURS["line"], "weight": 2.5, "fillColor": "#ffffff",
             "fillOpacity": 1}
    return _feature(point, style, tooltip)


def add_features(fmap: folium.Map, features: Sequence[dict[str, Any]],
                 pane: str | None = None) -> None:
    """Draw features (from :func:`land_feature`, :func:`line_feature`) as one layer, in order."""
    if features:
        fmap.add_child(_Features(features, pane))


POSITIONS = ("topleft", "topright", "bottomleft", "bottomright")


def add_title(fmap: folium.Map, title: str, subtitle: str | None = None,
              position: str = "topright") -> None:
    """A title box in a corner of the map (plain text, escaped)."""
    if position not in POSITIONS:
        raise ValueError(f"unknown position {position!r}; valid positions: {', '.join(POSITIONS)}")
    text = f"<h4>{html.escape(title)}</h4>"
    if subtitle:
        text += f"<div>{html.escape(subtitle)}</div>"
    fmap.add_child(_Control(text, position, "kt-title"))
    # the page and the frame a notebook shows it in carry the title too (for screen readers)
    fmap.get_root().header.add_child(_Raw(f"<title>{html.escape(title)}</title>"), name="kt_title")
    if isinstance(fmap, OfflineMap):
        fmap.kt_title = title


# How a legend entry shows its colour: a filled swatch, a pale swatch, a solid or dashed line,
# a dot (a town).
LEGEND_MARKS = ("fill", "pale", "line", "dash", "dot")


def _legend_mark(key: str) -> str:
    """The mark of a legend key: ``"<colour>"`` or ``"<colour>:<mark>"`` (``"russia:pale"``,
    ``"context:line"``); ``"line"`` alone is a dashed line, any other colour alone a swatch."""
    colour, _, mark = key.partition(":")
    if colour not in COLOURS:
        raise ValueError(f"unknown colour {colour!r}; valid colours: {', '.join(COLOURS)}")
    mark = mark or ("dash" if colour == "line" else "fill")
    if mark not in LEGEND_MARKS:
        raise ValueError(f"unknown legend mark {mark!r} in {key!r}; valid marks: {', '.join(LEGEND_MARKS)}")
    if mark == "dash":
        return f'<span class="kt-dash" style="border-top-color:{COLOURS[colour]}"></span>'
    if mark == "line":
        return f'<span class="kt-rule" style="border-top-color:{COLOURS[colour]}"></span>'
    if mark == "dot":
        return f'<span class="kt-dot" style="border-color:{COLOURS[colour]}"></span>'
    background = pale_css(colour) if mark == "pale" else hatch_css(colour) if colour in HATCHED \
        else COLOURS[colour]
    return f'<span class="kt-swatch" style="background:{background}"></span>'


def add_legend(fmap: folium.Map, entries: Mapping[str, str] | Iterable[tuple[str, str]],
               title: str = "Legend") -> None:
    """A legend: ``entries`` maps colour keys of :data:`style.COLOURS` to labels. A key may name
    its mark after a colon, one of :data:`LEGEND_MARKS` (``"river:line"``, ``"russia:pale"``);
    ``"line"`` alone is a dashed line, any other colour alone a filled swatch."""
    items = entries.items() if isinstance(entries, Mapping) else entries
    rows = [f"<b>{html.escape(title)}</b>"]
    for key, label in items:
        rows.append(f"{_legend_mark(key)}{html.escape(label)}")
    fmap.add_child(_Control("<br>".join(rows), "bottomright", "kt-legend"))


# --------------------------------------------------------------------------- locator inset

# The region the locator shows (min lon, min lat, max lon, max lat): it must match the box the
# locator's land was clipped to (scripts/build_geodata.py, LOCATOR_BOX; data/geo/SOURCES.md, F).
LOCATOR_BOX = (100.0, 22.0, 162.0, 60.0)
_LOCATOR_WIDTH = 150  # pixels; the height follows from the projection (Web Mercator, as the map)
_LOCATOR_MIN_BOX = 7.0  # pixels: a smaller extent is drawn this size, centred where it is
_LOCATOR_FILLS = {"other": "context", "china": "china", "russia": "russia", "japan": "japan",
                  "disputed": "disputed"}


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _locator_scale() -> tuple[float, float]:
    """Pixels per radian of the inset and its height in pixels."""
    minx, miny, maxx, maxy = LOCATOR_BOX
    per_radian = _LOCATOR_WIDTH / math.radians(maxx - minx)
    return per_radian, round(per_radian * (_mercator_y(maxy) - _mercator_y(miny)), 1)


def _locator_xy(lon: float, lat: float) -> tuple[float, float]:
    per_radian, _ = _locator_scale()
    lat = min(max(lat, -85.0), 85.0)
    return (per_radian * math.radians(lon - LOCATOR_BOX[0]),
            per_radian * (_mercator_y(LOCATOR_BOX[3]) - _mercator_y(lat)))


_LOCATOR_DETAIL = 0.6  # pixels: finer detail of the inset's land is not drawn
_LOCATOR_SMALLEST = 1.5  # square pixels: smaller islands are left out (the disputed ones are kept)


def _svg_path(shape: BaseGeometry, keep_small: bool = False) -> str:
    """The shape in the inset's pixels as an SVG path, simplified to what the inset can show."""
    pixels = shapely.transform(shape, lambda xy: np.array([_locator_xy(x, y) for x, y in xy]))
    out = []
    for part in getattr(pixels, "geoms", [pixels]):
        if part.area < _LOCATOR_SMALLEST and not keep_small:
            continue
        ring = shapely.simplify(part, _LOCATOR_DETAIL).exterior.coords[:-1]
        out.append("M" + "L".join(f"{x:.0f} {y:.0f}" for x, y in ring) + "Z")  # whole pixels
    return "".join(out)


@lru_cache(maxsize=1)
def _locator_land() -> tuple[tuple[str, str, tuple[float, float] | None], ...]:
    """(colour key, SVG path, where its name sits or None) of each piece of the inset's land,
    from ``data/geo/locator.geojson`` (Natural Earth 1:50m, coarse)."""
    entry = data_root() / "geo" / "locator.geojson"
    if not entry.is_file():
        raise data.DataFileError("geo/locator.geojson", None, None,
                                 "file is missing: rebuild it with scripts/build_geodata.py")
    shapes = {f["properties"]["id"].removeprefix("locator_"): shapely.geometry.shape(f["geometry"])
              for f in json.loads(entry.read_text(encoding="utf-8"))["features"]}
    out = []
    for key, colour in _LOCATOR_FILLS.items():
        shape = shapes[key]
        named = key in ("japan", "russia", "china")
        at = _locator_xy(*_label_point(shape)[::-1]) if named else None
        out.append((colour, _svg_path(shape, keep_small=key == "disputed"), at))
    return tuple(out)


def _locator_rect(view: Sequence[float]) -> tuple[float, float, float, float]:
    """The view as a rectangle of the inset (x, y, width, height), at least a few pixels wide."""
    left, top = _locator_xy(view[0], view[3])
    right, bottom = _locator_xy(view[2], view[1])
    width, height = right - left, bottom - top
    if width < _LOCATOR_MIN_BOX:
        left, width = left + width / 2 - _LOCATOR_MIN_BOX / 2, _LOCATOR_MIN_BOX
    if height < _LOCATOR_MIN_BOX:
        top, height = top + height / 2 - _LOCATOR_MIN_BOX / 2, _LOCATOR_MIN_BOX
    return round(left, 1), round(top, 1), round(width, 1), round(height, 1)


def locator_svg(view: Sequence[float]) -> str:
    """The locator inset as inline SVG: Japan, Russia and China (named) and other land, coarse,
    with a rectangle where ``view`` (min lon, min lat, max lon, max lat) lies. An image with its
    own accessible title; drawn from the project's own polygons, no tiles."""
    _, height = _locator_scale()
    names = {"japan": text("maps.locator.countries.japan"), "russia": text("maps.locator.countries.russia"),
             "china": text("maps.locator.countries.china")}
    title = text("maps.locator.title")
    label = f"{title}. {text('maps.locator.description')}"
    parts = [f'<svg class="kt-locator-map" xmlns="http://www.w3.org/2000/svg" role="img" '
             f'aria-label="{html.escape(label)}" width="{_LOCATOR_WIDTH}" height="{height:g}" '
             f'viewBox="0 0 {_LOCATOR_WIDTH} {height:g}" style="background:{COLOURS["sea"]};display:block">'
             f"<title>{html.escape(title)}</title>"]
    labels = []
    for colour, path, at in _locator_land():
        fill = pale_css(colour) if colour == "disputed" else COLOURS[colour]
        parts.append(f'<path d="{path}" fill="{fill}" stroke="#555" stroke-width="0.4"/>')
        if at is not None:
            name = next(k for k, c in _LOCATOR_FILLS.items() if c == colour)
            labels.append(f'<text x="{at[0]:.0f}" y="{at[1]:.0f}">{html.escape(names[name])}</text>')
    parts.append('<g font-size="11" font-weight="600" text-anchor="middle" fill="#111" stroke="#fff" '
                 'stroke-width="2.5" paint-order="stroke" font-family="system-ui, sans-serif" '
                 f'aria-hidden="true">{"".join(labels)}</g>')
    x, y, w, h = _locator_rect(view)
    parts.append(f'<rect class="kt-locator-view" x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" '
                 'fill="none" stroke="#000" stroke-width="2"/>')
    parts.append("</svg>")
    return "".join(parts)


class _Locator(MacroElement):
    """The locator inset in a corner of the map; its rectangle follows the map as it moves."""

    _template = Template(
        """{% macro script(this, kwargs) %}
(function (map) {
    var control = L.control({position: "bottomleft"});
    control.onAdd = function () {
        var div = L.DomUtil.create("div", "kt-control kt-locator");
        div.innerHTML = {{ this.svg|tojson }};
        return div;
    };
    control.addTo(map);
    var rect = control.getContainer().querySelector(".kt-locator-view"), p = {{ this.projection }};
    function y(lat) { lat = Math.max(-85, Math.min(85, lat)) * Math.PI / 180;
                      return p.k * (p.top - Math.log(Math.tan(Math.PI / 4 + lat / 2))); }
    function x(lon) { return p.k * (lon - p.left) * Math.PI / 180; }
    function update() {
        var b = map.getBounds(), left = x(b.getWest()), top = y(b.getNorth());
        var w = x(b.getEast()) - left, h = y(b.getSouth()) - top;
        if (w < p.min) { left += w / 2 - p.min / 2; w = p.min; }
        if (h < p.min) { top += h / 2 - p.min / 2; h = p.min; }
        rect.setAttribute("x", left.toFixed(1)); rect.setAttribute("y", top.toFixed(1));
        rect.setAttribute("width", w.toFixed(1)); rect.setAttribute("height", h.toFixed(1));
    }
    map.whenReady(update);
    map.on("moveend zoomend resize", update);
})({{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, view: Sequence[float]):
        super().__init__()
        self._name = "KtLocator"
        self.svg = locator_svg(view)
        per_radian, _ = _locator_scale()
        self.projection = _script_json({"k": round(per_radian, 4), "left": LOCATOR_BOX[0],
                                        "top": round(_mercator_y(LOCATOR_BOX[3]), 6),
                                        "min": _LOCATOR_MIN_BOX})


# --------------------------------------------------------------------------- one map builder


def _fmt(value: Any, unit: str = "") -> str:
    if _isna(value):
        return text("maps.popup.not_known")
    from .i18n import number

    if isinstance(value, float):
        return number(f"{value:,.1f}") + unit
    return number(f"{value:,}") + unit if isinstance(value, int) else f"{value}{unit}"


def _isna(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == "") or bool(pd.isna(value))


def popup_html(row: Mapping[str, Any]) -> str:
    """Escaped HTML for an island row of :func:`kuril_teaching.islands`: names, area, people."""
    e = html.escape
    lines = [f"<b>{e(str(row['name_en']))}</b>"]
    if row.get("name_ja"):
        lines.append(e(text("maps.popup.japanese", name=row["name_ja"],
                            romaji=row.get("name_ja_romaji") or "")).replace(" ()", ""))
    lines.append(e(text("maps.popup.russian", name=row["name_ru"],
                        romanised=row.get("name_ru_romanised") or "")).replace(" ()", ""))
    if not _isna(row.get("area_km2_official")):
        lines.append(e(text("maps.popup.area_official", area=_fmt(row["area_km2_official"], " km²"))))
    if not _isna(row.get("area_km2_russian")):
        lines.append(e(text("maps.popup.area_russian", area=_fmt(row["area_km2_russian"], " km²"))))
    lines.append(e(text("maps.popup.area_polygon", area=_fmt(row["area_km2_computed"], " km²"))))
    if not _isna(row.get("population")):
        unit = str(row.get("population_unit") or "")
        lines.append(e(text("maps.popup.population", count=_fmt(int(row["population"])),
                            year=row["population_year"], unit=f"; {unit}" if unit else "")))
    if not _isna(row.get("population_1945")):
        lines.append(e(text("maps.popup.residents_1945", count=_fmt(int(row["population_1945"])))))
    if row.get("soviet_landing_date"):
        lines.append(e(text("maps.popup.landing", date=row["soviet_landing_date"])))
    sources = sorted({s for col in ("area_official_source_ids", "population_source_ids")
                      for s in row.get(col) or ()})
    if sources:
        lines.append(f"<small>{e(text('maps.popup.sources', sources=', '.join(sources)))}</small>")
    return "<br>".join(lines)


def _as_list(value: str | Iterable[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def map_features(islands: Iterable[str] | str | None = None) -> list[str]:
    """Ids of the disputed features drawn for ``islands`` (islands, ``"habomai"`` or islets)."""
    disputed = data.islands_table().query("group == 'disputed'")
    valid = list(disputed["id"])
    chosen = list(records.FOUR_ISLANDS) if islands is None else [
        records.resolve(i, valid) for i in _as_list(islands)]
    out: list[str] = []
    for ident in chosen:
        if ident in data.feature_properties():
            out.append(ident)
        else:  # a group drawn from its members (the Habomai islets)
            out += [m for m in records.members(ident)]
    return list(dict.fromkeys(out))




def context_view(view: Sequence[float], margin: float | None = None) -> tuple[float, float, float, float]:
    """``view`` widened on every side: the context land worth drawing. By default the margin is
    as wide as the view (at least 2 degrees), so that a wide screen shows no clipped edge."""
    minx, miny, maxx, maxy = view
    margin = max(2.0, maxx - minx) if margin is None else margin
    return (minx - margin, miny - margin / 1.5, maxx + margin, maxy + margin / 1.5)


@dataclass(frozen=True)
class Land:
    """Land on a lesson map: features by id, or a computed shape, in the colour of a meaning."""

    ids: tuple[str, ...] = ()
    meaning: str = "disputed"
    shape: BaseGeometry | None = None
    label: str | None = None
    popup: str | None = None
    weight: float = 1.2
    pale: bool = False  # the setting of the map (a mainland bank), filled lightly


@dataclass(frozen=True)
class Label:
    """A permanent name on a lesson map for a shape (an island, a river, a bank), placed like
    the names of the land drawn by id; nothing is drawn. An ``inside`` name (of a wide land
    such as a mainland) is only ever placed inside the shape, at one of several places."""

    text: str
    shape: BaseGeometry
    inside: bool = False


@dataclass(frozen=True)
class Place:
    """A town or city on a lesson map: a dot with its name beside it (``tooltip``: more words
    under the pointer, by default the name)."""

    shape: BaseGeometry
    label: str
    tooltip: str | None = None


@dataclass(frozen=True)
class Line:
    """A line on a lesson map (a boundary, a cut), dashed where schematic."""

    shape: BaseGeometry
    label: str
    colour: str = "line"
    dashed: bool = True
    weight: float = 2.5


# Detail kept on a map: a third of a pixel of the view at 1,000 pixels wide. Finer detail
# cannot be seen at the opening zoom and only makes the page heavier.
_DETAIL = 1 / 3_000


def _for_view(shape: BaseGeometry, frame: BaseGeometry) -> BaseGeometry:
    """``shape`` simplified to the detail the view can show (``frame``: the view's box)."""
    minx, _, maxx, _ = frame.bounds
    return shapely.simplify(shape, (maxx - minx) * _DETAIL, preserve_topology=True)


@dataclass(frozen=True)
class Sea:
    """Sea shaded lightly in the colour of a meaning, beneath the land (a zone of sea)."""

    shape: BaseGeometry
    meaning: str
    label: str
    opacity: float = 0.2


def _sea_features(layers: Sequence[Sea]) -> list[dict[str, Any]]:
    out = []
    for layer in layers:
        if not layer.shape.is_empty:
            colour = COLOURS[layer.meaning]
            style = {"color": colour, "weight": 0.6, "opacity": 0.6, "fillColor": colour,
                     "fillOpacity": layer.opacity}
            out.append(_feature(layer.shape, style, layer.label))
    return out


def _context_features(context: Mapping[str, str], view: Sequence[float]) -> list[dict[str, Any]]:
    """Context land coloured by meaning, clipped to a little more than the view."""
    frame, shown, out = shapely.box(*context_view(view)), shapely.box(*view), []
    for ident, meaning in context.items():
        shape = shapely.intersection(geo.geometry(ident), frame)
        if not shape.is_empty:
            out.append(land_feature(_for_view(geo.polygons_only(shape), shown), meaning,
                                    records.name(ident, "full"), weight=0.5))
    return out


def _land_features(layer: Land, rows: pd.DataFrame, frame: BaseGeometry,
                   shown: BaseGeometry) -> list[dict[str, Any]]:
    """One Land layer's features; land reaching far outside the view is clipped."""
    if layer.shape is not None:
        return [_feature(layer.shape, polygon_style(layer.meaning, layer.weight, layer.pale),
                         layer.label or "", layer.popup, highlight=not layer.pale)]
    out = []
    for ident in layer.ids:
        label = layer.label or records.name(ident, "full")
        if layer.popup is not None:
            popup = layer.popup
        elif ident in rows.index:
            popup = popup_html(rows.loc[ident].to_dict())
        else:
            area = _fmt(geo.shipped_area_km2(ident), " km²")
            popup = (f"<b>{html.escape(label)}</b><br>"
                     f"{html.escape(text('maps.popup.area_polygons', area=area))}")
        shape = geo.geometry(ident)
        if not frame.contains(shape):
            shape = geo.polygons_only(shapely.intersection(shape, frame))
        out.append(land_feature(_for_view(shape, shown), layer.meaning, label, popup,
                                layer.weight))
    return out


def _labels(layers: Sequence[Land | Line | Sea | Label | Place], context: Mapping[str, str],
            view: Sequence[float]) -> list[dict[str, Any]]:
    """The permanent labels of a map, most important first: the :class:`Label` and
    :class:`Place` layers in their order, the lands drawn by id (an islet group under its
    group's name), largest first, then the context land in view."""
    table = data.islands_table()
    parent = dict(zip(table["id"], table["parent"], strict=True))
    shown, units = shapely.box(*view), {}
    drawn = [i for layer in layers if isinstance(layer, Land) and layer.shape is None
             for i in layer.ids]
    for ident in drawn:
        group = parent.get(ident, "")
        unit = group if group and group not in data.feature_properties() else ident
        units.setdefault(unit, "lesson")
    for ident in context:
        if ident not in units and geo.geometry(ident).intersects(shown):
            units[ident] = "context"
    order = sorted(units, key=lambda u: (units[u] != "lesson", -geo.shipped_area_km2(u)))
    named = [(layer.text, layer.shape, layer.inside) if isinstance(layer, Label) else
             (layer.label, layer.shape, False) for layer in layers if isinstance(layer, (Label, Place))]
    out = []
    for name, shape, inside in [*named, *((records.name(u), geo.geometry(u), False) for u in order)]:
        land = shapely.intersection(shape, shown)
        if land.is_empty:
            continue
        minx, miny, maxx, maxy = land.bounds
        label = {"text": html.escape(name), "at": _label_point(land),
                 "bounds": [round(miny, 4), round(minx, 4), round(maxy, 4), round(maxx, 4)]}
        if inside:
            label |= {"inside": True, "more": _more_points(land, shown)}
        out.append(label)
    return out


def _more_points(land: BaseGeometry, shown: BaseGeometry) -> list[list[float]]:
    """Other places for the name of a wide land: inside its part in each ninth of the view,
    largest first; for a line (a river), points along its longest part in view (latitude,
    longitude)."""
    if land.geom_type in ("LineString", "MultiLineString"):
        longest = max(getattr(land, "geoms", [land]), key=lambda g: g.length)
        points = [longest.interpolate(f, normalized=True) for f in (0.5, 0.3, 0.7, 0.15, 0.85)]
        return [[round(p.y, 4), round(p.x, 4)] for p in points]
    minx, miny, maxx, maxy = shown.bounds
    width, height = (maxx - minx) / 3, (maxy - miny) / 3
    cells = [shapely.intersection(land, shapely.box(minx + i * width, miny + j * height,
                                                     minx + (i + 1) * width, miny + (j + 1) * height))
             for i in range(3) for j in range(3)]
    cells = sorted((c for c in cells if c.area > 0.02 * width * height), key=lambda c: -c.area)
    return [_label_point(geo.polygons_only(c)) for c in cells]


def _bounds(layers: Sequence[Land | Line]) -> tuple[float, float, float, float]:
    shapes = [layer.shape if layer.shape is not None else geo.geometry(i)
              for layer in layers for i in (layer.ids if isinstance(layer, Land) and
                                            layer.shape is None else ("",))]
    return shapely.union_all([s.envelope for s in shapes]).bounds


_LAYERS = (Land, Line, Sea, Label, Place)


def lesson_map(
    layers: Sequence[Land | Line | Sea | Label | Place],
    title: str,
    subtitle: str | None = None,
    legend: Mapping[str, str] | None = None,
    view: Sequence[float] | None = None,
    context: Mapping[str, str] | None = None,
    pad: float = 0.35,
    height: int = 520,
    basemap: str | None = None,
    credit: str | None = None,
    labels: bool = True,
    locator: bool = True,
    attribution: str = OSM_ATTRIBUTION,
) -> OfflineMap:
    """The one builder of every lesson map: land and lines over context land, with a title,
    a legend, a scale bar and the data credit.

    ``context`` maps context land ids to the meaning they are coloured by (default: who
    administers them today; ``{}`` for none). ``legend`` maps colour keys to labels (default:
    one entry per meaning drawn). ``view`` is (min lon, min lat, max lon, max lat); by default
    the layers' extent widened by ``pad`` degrees. ``credit`` names data other than
    OpenStreetMap that the map draws (``attribution``, HTML, replaces the credit of the land).
    ``labels`` puts a permanent name on each island (an islet group once), on each
    :class:`Label` and :class:`Place` and on the context land in view, placed without
    collisions. ``locator`` adds a small inset (:func:`locator_svg`) showing where ``view`` lies
    among Japan, Russia and China.
    """
    if not layers:
        raise ValueError("a map needs at least one layer (Land or Line)")
    for layer in layers:
        if not isinstance(layer, _LAYERS):
            raise ValueError(f"unknown layer {layer!r}; valid layers: "
                             f"{', '.join(t.__name__ for t in _LAYERS)}")
        if isinstance(layer, (Label, Place)):
            continue
        key = layer.colour if isinstance(layer, Line) else layer.meaning
        if key not in COLOURS:
            raise ValueError(f"unknown colour {key!r}; valid colours: {', '.join(COLOURS)}")
    if view is None:
        minx, miny, maxx, maxy = _bounds([x for x in layers if isinstance(x, (Land, Line))])
        view = (minx - pad, miny - pad, maxx + pad, maxy + pad)
    fmap = base_map(view, basemap=basemap, height=height, attribution=attribution)
    if credit:
        fmap.add_child(_Attribution(credit))
    seas = [layer for layer in layers if isinstance(layer, Sea)]
    if seas:  # a pane between the sea background and the land (Leaflet's overlay pane: 400)
        fmap.add_child(folium.map.CustomPane("kt_sea", z_index=350, pointer_events=True))
        add_features(fmap, _sea_features(seas), pane="kt_sea")
    ctx = dict(records.CONTEXT_ADMIN if context is None else context)
    rows = geo.islands(group="disputed").set_index("id", drop=False)
    frame, shown = shapely.box(*context_view(view)), shapely.box(*view)
    features = _context_features(ctx, view) if ctx else []
    for layer in layers:
        if isinstance(layer, Land):
            features += _land_features(layer, rows, frame, shown)
        elif isinstance(layer, Line):
            features.append(line_feature(layer.shape, layer.label, layer.colour, layer.dashed,
                                         layer.weight))
    features += [place_feature(layer.shape, layer.tooltip or layer.label) for layer in layers
                 if isinstance(layer, Place)]
    add_features(fmap, features)
    if locator:
        fmap.add_child(_Locator(view))
    add_title(fmap, title, subtitle)
    if legend is None:
        meanings = [layer.meaning for layer in layers if isinstance(layer, Land)] + list(ctx.values())
        legend = {m: text(f"maps.colours.{m}") for m in dict.fromkeys(meanings)}
        if any(isinstance(layer, Line) for layer in layers):
            legend["line"] = text("maps.colours.line")
    add_legend(fmap, legend, text("maps.legend"))
    if labels:  # last: the names keep clear of every control (title, legend, locator)
        fmap.add_child(_Labels(_labels(layers, ctx, view)))
    return fmap


def island_map(
    islands: Iterable[str] | str | None = None,
    highlight: Iterable[str] | str | None = None,
    title: str | None = None,
    basemap: str | None = None,
    height: int = 520,
) -> OfflineMap:
    """Map of the disputed islands with both names, areas and populations in each popup.

    ``islands`` picks which of Etorofu, Kunashiri, Shikotan and Habomai (or single Habomai
    islets) to draw (default: all four); ``highlight`` colours some of them yellow.
    Context land is coloured by who administers it today.
    """
    drawn = map_features(islands)
    lit = set(map_features(highlight)) if highlight is not None else set()
    layers = [Land(tuple(i for i in drawn if i in lit), "highlight"),
              Land(tuple(i for i in drawn if i not in lit), "disputed")]
    legend = {"disputed": text("maps.colours.disputed"),
              "japan": text("maps.administered_by_japan"),
              "russia": text("maps.administered_by_russia")}
    if lit:
        legend = {"highlight": text("maps.highlighted"), **legend}
    return lesson_map([layer for layer in layers if layer.ids],
                      title or text("maps.default_title"), text("maps.click_hint"),
                      legend=legend, basemap=basemap, height=height)
