"""Folium maps that work with no internet.

Every map inlines a pinned copy of Leaflet (no CDN) and draws land from the
project's own polygons (no tile server). An online basemap can be added on request.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

import folium
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from . import data, geo
from ._resources import leaflet_asset
from .style import COLOURS, LABELS, line_style, polygon_style

__all__ = [
    "BASEMAPS",
    "OfflineMap",
    "add_land",
    "add_legend",
    "add_line",
    "add_title",
    "base_map",
    "context_view",
    "island_map",
    "map_features",
    "popup_html",
]

OSM_ATTRIBUTION = (
    'Land: © <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors</a> '
    "(ODbL)"
)
BASEMAPS = ("openstreetmap",)
_COORD_DIGITS = 4  # about 11 m: finer than the polygons' 100 m simplification


class _Raw(Element):
    """Text placed into the page as it is (not read as a template)."""

    _template = Template("{{ this.text }}")

    def __init__(self, text: str):
        super().__init__()
        self.text = text


class OfflineMap(folium.Map):
    """A ``folium.Map`` whose Leaflet JS and CSS are inlined from the package."""

    default_js: ClassVar[list[tuple[str, str]]] = []
    default_css: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        header = self.get_root().header
        header.add_child(_Raw(f"<style>{leaflet_asset('leaflet.css')}</style>"), name="leaflet_css")
        header.add_child(_Raw(f"<script>{leaflet_asset('leaflet.js')}</script>"), name="leaflet")


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


class _Popup(MacroElement):
    """A popup of (already escaped) HTML bound to its parent layer; needs no jQuery."""

    _template = Template(
        """{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.bindPopup({{ this.html|tojson }}, {maxWidth: 340});
{% endmacro %}"""
    )

    def __init__(self, html_text: str):
        super().__init__()
        self.html = html_text


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


def add_land(
    fmap: folium.Map,
    geom: BaseGeometry,
    colour: str,
    tooltip: str,
    popup_html: str | None = None,
    name: str | None = None,
    weight: float = 1.0,
) -> folium.GeoJson:
    """Draw one land feature; ``tooltip`` is plain text, ``popup_html`` escaped HTML."""
    style = polygon_style(colour, weight)
    layer = folium.GeoJson(
        {"type": "Feature", "properties": {}, "geometry": _rounded(geom)},
        name=name or tooltip,
        style_function=lambda _f, s=style: s,
        highlight_function=lambda _f: {"weight": weight + 2},
        tooltip=folium.Tooltip(html.escape(tooltip), sticky=True),
        control=False,
    )
    if popup_html:
        layer.add_child(_Popup(popup_html))
    layer.add_to(fmap)
    return layer


def add_line(
    fmap: folium.Map,
    geom: BaseGeometry,
    tooltip: str,
    colour: str = "line",
    dashed: bool = True,
    weight: float = 2.5,
) -> folium.GeoJson:
    """Draw a boundary line; ``tooltip`` is plain text."""
    style = line_style(colour, dashed, weight)
    layer = folium.GeoJson(
        {"type": "Feature", "properties": {}, "geometry": _rounded(geom)},
        name=tooltip,
        style_function=lambda _f, s=style: s,
        tooltip=folium.Tooltip(html.escape(tooltip), sticky=True),
        control=False,
    )
    layer.add_to(fmap)
    return layer


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


def add_legend(fmap: folium.Map, entries: Mapping[str, str] | Iterable[tuple[str, str]],
               title: str = "Legend") -> None:
    """A legend: ``entries`` maps colour keys of :data:`style.COLOURS` (or ``"line"``) to labels."""
    items = entries.items() if isinstance(entries, Mapping) else entries
    rows = [f"<b>{html.escape(title)}</b>"]
    for key, label in items:
        if key not in COLOURS:
            raise ValueError(f"unknown colour {key!r}; valid colours: {', '.join(COLOURS)}")
        mark = ('<span class="kt-dash"></span>' if key == "line" else
                f'<span class="kt-swatch" style="background:{COLOURS[key]}"></span>')
        rows.append(f"{mark}{html.escape(label)}")
    fmap.add_child(_Control("<br>".join(rows), "bottomright", "kt-legend"))


# --------------------------------------------------------------------------- island map


def _fmt(value: Any, unit: str = "") -> str:
    if _isna(value):
        return "not known"
    if isinstance(value, float):
        return f"{value:,.1f}{unit}"
    return f"{value:,}{unit}" if isinstance(value, int) else f"{value}{unit}"


def popup_html(row: Mapping[str, Any]) -> str:
    """Escaped HTML for an island row of :func:`kuril_teaching.islands`: names, area, people."""
    e = html.escape
    names = (f"<b>{e(str(row['name_en']))}</b><br>"
             f"Japanese: {e(str(row['name_ja']))} ({e(str(row['name_ja_romaji']))})<br>"
             f"Russian: {e(str(row['name_ru']))} ({e(str(row['name_ru_romanised']))})")
    lines = [names]
    if not _isna(row.get("area_km2_official")):
        lines.append(f"Area: {_fmt(row['area_km2_official'], ' km²')} (Japanese government figure)")
    if not _isna(row.get("area_km2_russian")):
        lines.append(f"Area in Russian sources: {_fmt(row['area_km2_russian'], ' km²')}")
    lines.append(f"Area of the map polygon: {_fmt(row['area_km2_computed'], ' km²')}")
    if not _isna(row.get("population")):
        unit = str(row.get("population_unit") or "")
        lines.append(f"Population: {_fmt(int(row['population']))} ({e(str(row['population_year']))}"
                     f"{'; ' + e(unit) if unit else ''})")
    if not _isna(row.get("population_1945")):
        lines.append(f"Japanese residents on 15 Aug 1945: {_fmt(int(row['population_1945']))}")
    if row.get("soviet_landing_date"):
        lines.append(f"Soviet landing: {e(str(row['soviet_landing_date']))}")
    sources = sorted({s for col in ("area_official_source_ids", "population_source_ids")
                      for s in row.get(col) or ()})
    if sources:
        lines.append(f"<small>Sources: {e(', '.join(sources))}</small>")
    return "<br>".join(lines)


def _isna(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == "") or bool(pd.isna(value))


def _tooltip(row: Mapping[str, Any]) -> str:
    return f"{row['name_en']} — {row['name_ja']} / {row['name_ru']}"


def map_features(islands: Iterable[str] | None = None) -> list[str]:
    """Ids of the disputed features drawn for ``islands`` (islands or ``"habomai"``)."""
    table = data.islands_table()
    disputed = table[table["group"] == "disputed"]
    groups = set(disputed["parent"]) - {""}
    valid = list(disputed["id"])
    chosen = list(geo.DISPUTED_ISLANDS) if islands is None else [
        data.resolve_island(i, lambda: valid) for i in _as_list(islands)]
    out: list[str] = []
    for ident in chosen:
        if ident in groups:
            members = list(disputed.loc[disputed["parent"] == ident, "id"])
            extra = [k for k, f in data.geo_features().items()
                     if f["properties"].get("parent") == ident and k not in valid]
            out += members + extra
        else:
            out.append(ident)
    return list(dict.fromkeys(out))


def _as_list(value: str | Iterable[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


# Context land drawn as one shape on a map of today (the pieces are clips of one island).
TODAY_UNITS: dict[str, tuple[str, tuple[str, ...]]] = {
    "hokkaido_east": ("Hokkaido — 北海道 / Хоккайдо", ("hokkaido_east", "hokkaido_west")),
    "sakhalin_south": ("Sakhalin — サハリン（樺太） / Сахалин", ("sakhalin_south", "sakhalin_north")),
}


def _context(fmap: folium.Map, ids: Iterable[str], colour_for: Mapping[str, str],
             view: Sequence[float]) -> None:
    """Draw context land as it is today, clipped to ``view`` to keep the page light."""
    features = data.geo_features()
    frame = shapely.box(*view)
    merged = {part for _, parts in TODAY_UNITS.values() for part in parts}
    for ident in ids:
        if ident in TODAY_UNITS:
            label, parts = TODAY_UNITS[ident]
            shape = shapely.union_all([geo.geometry(p) for p in parts if p in features])
        elif ident in merged:
            continue
        else:
            props = features[ident]["properties"]
            label = f"{props['name_en']} — {props.get('name_ja', '')} / {props.get('name_ru', '')}"
            shape = geo.geometry(ident)
        shape = shapely.intersection(shape, frame)
        if not shape.is_empty:
            add_land(fmap, geo.polygons_only(shape), colour_for.get(ident, "context"), label,
                     weight=0.5)


def context_view(view: Sequence[float], margin: float = 2.0) -> tuple[float, float, float, float]:
    """``view`` widened by ``margin`` degrees on every side: the context land worth drawing."""
    minx, miny, maxx, maxy = view
    return (minx - margin, miny - margin / 1.5, maxx + margin, maxy + margin / 1.5)


CONTEXT_ADMIN = {
    "hokkaido_east": "japan",
    "hokkaido_west": "japan",
    "urup": "russia",
    "sakhalin_south": "russia",
    "sakhalin_north": "russia",
    "kuril_north": "russia",
    "kamchatka_south": "russia",
}


def island_map(
    islands: Iterable[str] | str | None = None,
    highlight: Iterable[str] | str | None = None,
    title: str = "The four disputed islands",
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
    table = geo.islands(group="disputed").set_index("id", drop=False)
    features = data.geo_features()
    bounds = shapely.union_all([geo.geometry(i) for i in drawn]).bounds
    pad = 0.35
    view = (bounds[0] - pad, bounds[1] - pad, bounds[2] + pad, bounds[3] + pad)
    fmap = base_map(view, basemap=basemap, height=height)
    context = [k for k, f in features.items() if f["properties"].get("group") == "context"]
    _context(fmap, context, CONTEXT_ADMIN, context_view(view))
    for ident in drawn:
        colour = "highlight" if ident in lit else "disputed"
        if ident in table.index:
            row = table.loc[ident].to_dict()
            add_land(fmap, row["geometry"], colour, _tooltip(row), popup_html(row), weight=1.2)
        else:
            props = features[ident]["properties"]
            label = f"{props['name_en']} — {props.get('name_ja', '')} / {props.get('name_ru', '')}"
            area = geo.area_km2(geo.geometry(ident))
            popup = f"<b>{html.escape(label)}</b><br>Area of the map polygons: {area:,.1f} km²"
            add_land(fmap, geo.geometry(ident), colour, label, popup, weight=1.2)
    add_title(fmap, title, "Click an island for its names, area and population.")
    legend = {"disputed": LABELS["disputed"], "japan": "Administered by Japan",
              "russia": "Administered by Russia"}
    if lit:
        legend = {"highlight": "Highlighted in this lesson", **legend}
    add_legend(fmap, legend)
    return fmap
