"""Maps: offline, complete, labelled in both languages, and safe with odd text."""

from __future__ import annotations

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
