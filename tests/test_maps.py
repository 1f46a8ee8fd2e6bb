"""Maps: offline, complete, labelled in both languages, and safe with odd text."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
import shapely
from conftest import assert_offline_map, page_features, page_tooltips

import kuril_teaching as kt
from kuril_teaching import data, maps


@pytest.fixture(scope="module")
def page() -> str:
    return kt.island_map().get_root().render()


def test_no_script_or_stylesheet_from_the_network(page: str) -> None:
    assert_offline_map(page)


def test_every_island_drawn_with_both_names(page: str) -> None:
    drawn = maps.map_features()
    assert drawn == ["etorofu", "kunashiri", "shikotan", "suisho", "yuri", "akiyuri", "shibotsu",
                     "taraku", "habomai_islets"]
    for ident in drawn:
        assert kt.name(ident, "ja") in page and kt.name(ident, "ru") in page, ident
    context = ["hokkaido", "urup", "kuril_north", "kamchatka_south", "sakhalin"]
    # the island map's view reaches Hokkaido and Urup; far context land is clipped away
    tips = page_tooltips(page)
    assert len(tips) == len(set(tips)) >= len(drawn) + 2
    for ident in ("hokkaido", "urup", *drawn):
        assert kt.name(ident, "full") in tips
    assert all(ident in kt.records.CONTEXT_ADMIN for ident in context)
    assert "(clipped)" not in page and "切り抜き" not in page


def test_popups_carry_area_population_and_sources(page: str) -> None:
    popups = [f["properties"]["popup"] for f in page_features(page)]
    etorofu = next(p for p in popups if "Etorofu" in p)
    official = data.islands_table().set_index("id").loc["etorofu", "area_km2_official"]
    assert f"{official:,.1f} km²" in etorofu
    assert "Population:" in etorofu and "Sources:" in etorofu


def test_legend_scale_title_and_credit(page: str) -> None:
    assert "kt-legend" in page and "kt-title" in page
    assert "L.control.scale" in page
    assert "OpenStreetMap contributors" in page and "ODbL" in page


def test_saved_file_is_self_contained(tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    kt.island_map(islands=["shikotan", "habomai"]).save(str(target))
    text = target.read_text(encoding="utf-8")
    assert_offline_map(text)
    assert "色丹島" in text and "Shikotan" in text
    assert "択捉島" not in text  # only the islands asked for are drawn


def test_notebook_output_is_self_contained() -> None:
    output = kt.island_map()._repr_html_()
    assert "<iframe" in output
    assert_offline_map(output)


def test_online_basemap_only_on_request() -> None:
    online = kt.island_map(basemap="openstreetmap").get_root().render()
    assert "tile.openstreetmap.org" in online
    assert "tile.openstreetmap.org" not in kt.island_map().get_root().render()


@pytest.mark.parametrize(
    ("kwargs", "bad"),
    [
        ({"islands": ["Hokkaido"]}, "Hokkaido"),
        ({"islands": "atlantis"}, "atlantis"),
        ({"highlight": ["urup"]}, "urup"),
        ({"basemap": "google"}, "google"),
    ],
)
def test_bad_input_names_value_and_choices(kwargs: dict, bad: str) -> None:
    with pytest.raises(ValueError) as info:
        kt.island_map(**kwargs)
    assert bad in str(info.value) and "valid" in str(info.value)


def test_legend_refuses_unknown_colour() -> None:
    fmap = maps.base_map((145, 43, 146, 44))
    with pytest.raises(ValueError, match="purple"):
        maps.add_legend(fmap, {"purple": "nothing"})


def test_text_is_escaped() -> None:
    row = kt.islands(group="disputed").set_index("id").loc["shikotan"].to_dict()
    row["name_en"] = "<script>alert('x')</script>"
    popup = maps.popup_html(row)
    assert "<script>" not in popup and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in popup
    fmap = maps.lesson_map([maps.Land(("shikotan",), label="<b>bold</b>", popup=popup)],
                           title="<i>title</i>", context={})
    rendered = fmap.get_root().render()
    assert "\\u003ch4\\u003e\\u0026lt;i\\u0026gt;title\\u0026lt;/i\\u0026gt;" in rendered
    assert "<b>bold</b>" not in rendered
    feature = page_features(rendered)[0]["properties"]
    assert feature["tooltip"] == "&lt;b&gt;bold&lt;/b&gt;" and feature["popup"] == popup


def test_sea_layers_lie_beneath_the_land_and_credit_is_added() -> None:
    zone = shapely.box(146.0, 43.0, 147.0, 43.5)
    fmap = maps.lesson_map([maps.Land(("shikotan",)), maps.Sea(zone, "japan", "A zone", 0.3)],
                           title="Sea", context={}, credit="Zones: computed")
    page = fmap.get_root().render()
    assert re.search(r'createPane\(\s*"kt_sea"\);\s*\S+\.style\.zIndex = 350;', page)
    assert 'pane: "kt_sea"' in page  # 350: above the sea background, beneath the land (400)
    sea = [f for f in page_features(page) if f["properties"]["tooltip"] == "A zone"]
    assert len(sea) == 1 and sea[0]["properties"]["style"]["fillOpacity"] == 0.3
    assert "Zones: computed" in page and "OpenStreetMap contributors" in page
    with pytest.raises(ValueError, match="purple"):
        maps.lesson_map([maps.Sea(zone, "purple", "x")], title="Sea")


def test_frame_and_page_carry_the_title_and_language() -> None:
    fmap = kt.island_map(title="Where the islands are")
    assert '<iframe title="Where the islands are" ' in fmap._repr_html_()
    page = fmap.get_root().render()
    assert "<title>Where the islands are</title>" in page
    assert 'document.documentElement.lang = "en";' in page


# --------------------------------------------------------------------------- the locator inset

def _fitted_view(page: str) -> tuple[float, float, float, float]:
    """The view a page opens on (min lon, min lat, max lon, max lat), from its fitBounds call."""
    found = re.search(r"map_\w+\.fitBounds\(\s*(\[\[.*?\]\])", page, re.S)
    (south, west), (north, east) = json.loads(found[1])
    return west, south, east, north


def _locator_svg(page: str) -> str:
    """The locator's SVG as the page puts it into the map (a JSON string in a script)."""
    decoder = json.JSONDecoder()
    for match in re.finditer(r"div\.innerHTML = ", page):
        markup, _ = decoder.raw_decode(page, match.end())
        if "kt-locator-map" in markup:
            return markup
    raise AssertionError("no locator in this page")


def _locator_rect(page: str) -> dict[str, float]:
    rect = re.search(r'<rect class="kt-locator-view" x="([\d.-]+)" y="([\d.-]+)" '
                     r'width="([\d.]+)" height="([\d.]+)"', _locator_svg(page))
    return dict(zip(("x", "y", "width", "height"), map(float, rect.groups()), strict=True))


def _inset_xy(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator of the inset, written out here independently of the package."""
    minx, _, maxx, maxy = maps.LOCATOR_BOX
    k = 150 / math.radians(maxx - minx)
    merc = lambda phi: math.log(math.tan(math.pi / 4 + math.radians(phi) / 2))  # noqa: E731
    return k * math.radians(lon - minx), k * (merc(maxy) - merc(lat))


def _lesson_map_pages() -> dict[str, str]:
    from kuril_teaching import chinese_model, history
    return {"island_map": kt.island_map().get_root().render(),
            "history_1905": history.history_map(1905).get_root().render(),
            "split_map": chinese_model.split_map(0.5).get_root().render(),
            "amur_after": chinese_model.amur_map("after").get_root().render(),
            "amur_before": chinese_model.amur_map("before").get_root().render()}


@pytest.fixture(scope="module")
def lesson_pages() -> dict[str, str]:
    return _lesson_map_pages()


def test_every_lesson_map_has_a_named_offline_locator(lesson_pages: dict[str, str]) -> None:
    title, description = kt.text("maps.locator.title"), kt.text("maps.locator.description")
    for name, page in lesson_pages.items():
        svg = _locator_svg(page)
        assert 'role="img"' in svg and f'aria-label="{title}. {description}"' in svg, name
        assert f"<title>{title}</title>" in svg, name
        for country in ("japan", "russia", "china"):  # the three names, from library.yaml
            assert f">{kt.text(f'maps.locator.countries.{country}')}</text>" in svg, name
        assert "href" not in svg and "<image" not in svg  # drawn from own polygons, no tiles
        assert svg.count("<path ") == 5  # Japan, Russia, China, the disputed islands, other land


def test_locator_rectangle_matches_the_view(lesson_pages: dict[str, str]) -> None:
    for name in ("island_map", "history_1905", "split_map"):
        page = lesson_pages[name]
        west, south, east, north = _fitted_view(page)
        (left, top), (right, bottom) = _inset_xy(west, north), _inset_xy(east, south)
        rect = _locator_rect(page)
        assert rect["x"] == pytest.approx(left, abs=0.06) and rect["y"] == pytest.approx(top, abs=0.06)
        assert rect["width"] == pytest.approx(right - left, abs=0.1), name
        assert rect["height"] == pytest.approx(bottom - top, abs=0.1), name
    # the Amur view is smaller than the inset can show: a small box centred on it
    page = lesson_pages["amur_after"]
    west, south, east, north = _fitted_view(page)
    centre = _inset_xy((west + east) / 2, (south + north) / 2)
    rect = _locator_rect(page)
    assert rect["width"] == rect["height"] == 7
    assert rect["x"] + 3.5 == pytest.approx(centre[0], abs=0.1)
    assert rect["y"] + 3.5 == pytest.approx(centre[1], abs=0.1)
    assert "map.getBounds()" in page  # and it follows the map when the student moves it


def test_locator_only_on_request_and_pages_stay_small(lesson_pages: dict[str, str]) -> None:
    from kuril_teaching._resources import leaflet_asset

    leaflet = sum(len(leaflet_asset(n).encode()) for n in ("leaflet.js", "leaflet.css"))
    for name, page in lesson_pages.items():
        assert_offline_map(page)  # under 300 KB, nothing from the network
        assert len(page.encode()) - leaflet < 100 * 1024, name  # own geometry and markup
    plain = maps.lesson_map([maps.Land(("shikotan",))], title="No inset", locator=False)
    assert "kt-locator-map" not in plain.get_root().render()
    inset = maps.locator_svg((146.0, 43.0, 147.0, 44.0))
    assert len(inset.encode()) < 6 * 1024


def test_legend_marks_and_bad_marks() -> None:
    fmap = maps.base_map((145, 43, 146, 44))
    maps.add_legend(fmap, {"russia:pale": "mainland", "river:line": "a river", "line:dot": "a town",
                           "context:line": "another line", "line": "a boundary"})
    page = fmap.get_root().render()
    assert "kt-rule" in page and "kt-dot" in page and "kt-dash" in page
    assert "rgba(213,94,0,0.3)" in page  # the pale Russia swatch
    with pytest.raises(ValueError) as info:
        maps.add_legend(fmap, {"russia:dotted": "x"})
    assert "'dotted'" in str(info.value) and "valid marks: fill, pale, line, dash, dot" in str(info.value)


def test_places_and_labels_are_drawn_and_named() -> None:
    town = shapely.Point(145.59, 43.33)
    fmap = maps.lesson_map([maps.Land(("shikotan",)), maps.Place(town, "Nemuro <town>"),
                            maps.Label("A label", shapely.box(146.5, 43.7, 146.9, 43.9), inside=True)],
                           title="Places", context={}, view=(145.4, 43.2, 147.0, 44.0))
    page = fmap.get_root().render()
    point = next(f for f in page_features(page) if f["geometry"]["type"] == "Point")
    assert point["geometry"]["coordinates"] == [145.59, 43.33]
    assert point["properties"]["tooltip"] == "Nemuro &lt;town&gt;"
    assert "L.circleMarker(latlng" in page  # a dot, not Leaflet's marker image from the web
    labels = json.loads(re.search(r"\}\)\(map_\w+, (\[.*?\])\);", page, re.S)[1])
    assert [label["text"] for label in labels][:2] == ["Nemuro &lt;town&gt;", "A label"]
    assert labels[1]["inside"] and labels[1]["more"] and not labels[0].get("inside")
    with pytest.raises(ValueError, match="valid layers: Land, Line, Sea, Label, Place"):
        maps.lesson_map(["shikotan"], title="x")  # type: ignore[list-item]
