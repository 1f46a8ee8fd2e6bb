"""The Chinese-model lesson: Amur island holdings, the Kuril division by shares, widgets, exercises."""

from __future__ import annotations

import html
import json
import re

import folium
import nbformat
import pandas as pd
import pytest
import shapely
from conftest import NOTEBOOKS, answered, execute_notebook, page_features
from shapely.geometry import Point, shape

import kuril_teaching as kt
from kuril_teaching import chinese_model as cm
from kuril_teaching import chinese_model_geo, editions, exercises, geo

L = kt.lesson("04_chinese_model")
NOTEBOOK = NOTEBOOKS / "04_chinese_model.ipynb"


def _geojson_layers(fmap) -> int:
    """How many features (shapes and lines) a map draws."""
    return len(page_features(fmap.get_root().render()))


def _header(block: str, key: str) -> str:
    return L.text(f"{block}.{key}")


# --------------------------------------------------------------------------- Amur


def test_amur_features_exist() -> None:
    features = kt.data.geo_features()
    for ident in (*cm.AMUR_ISLANDS, *cm.BOUNDARY_LINES.values()):
        assert ident in features


def test_before_russia_holds_both_islands() -> None:
    held = cm.holdings("before")
    assert set(held) == set(cm.AMUR_ISLANDS)
    for island, parts in held.items():
        assert parts["china"].is_empty
        assert kt.area_km2(parts["russia"]) == pytest.approx(kt.area_km2(kt.geometry(island)))


def test_after_split_adds_up_and_tarabarov_goes_to_china() -> None:
    held = cm.holdings("after")
    for island, parts in held.items():
        whole = kt.area_km2(kt.geometry(island))
        pieces = sum(kt.area_km2(p) for p in parts.values() if not p.is_empty)
        assert pieces == pytest.approx(whole, rel=1e-3)
    assert held["tarabarov"]["russia"].is_empty
    bu = held["bolshoy_ussuriysky"]
    assert not bu["china"].is_empty and not bu["russia"].is_empty
    # China's part of Bolshoy Ussuriysky is its western part
    assert bu["china"].centroid.x < bu["russia"].centroid.x


def test_holdings_table_names_and_totals() -> None:
    table = cm.holdings_table("after")
    china, russia = _header("amur.holdings_columns", "china"), _header("amur.holdings_columns", "russia")
    assert list(table[_header("amur.holdings_columns", "name")]) == [
        "Tarabarov / Yinlong", "Bolshoy Ussuriysky / Heixiazi", "Both islands"]
    assert list(table[_header("amur.holdings_columns", "zh")])[:2] == ["银龙岛", "黑瞎子岛"]
    assert table[china].iloc[0] == pytest.approx(56.3, abs=0.5)  # all of Tarabarov (SOURCES.md)
    assert table[russia].iloc[0] == 0.0
    assert table[china].iloc[-1] == pytest.approx(table[china].iloc[0] + table[china].iloc[1], abs=0.11)
    before = cm.holdings_table("before")
    assert list(before[china]) == [0.0, 0.0, 0.0]


def test_china_side_computed_vs_reported() -> None:
    computed = cm.holdings_table("after").iloc[-1][_header("amur.holdings_columns", "china")]
    assert computed == pytest.approx(165.4, abs=2.0)  # geodata/SOURCES.md: 56.3 + 109.1
    reported = kt.figure(cm.TRANSFER_FIGURE)
    assert reported == pytest.approx(174, abs=1)
    comparison = cm.transfer_comparison()
    km2 = _header("amur.transfer_columns", "km2")
    assert comparison[km2].tolist() == [computed, reported, pytest.approx(computed - reported, abs=0.05)]
    source = _header("amur.transfer_columns", "source")
    assert "reuters_2008_07_21" in comparison[source].iloc[1]
    assert comparison[source].iloc[2] == "-5% of the reported figure"


def test_china_share_of_bolshoy_ussuriysky() -> None:
    share = cm.china_share("bolshoy_ussuriysky")
    parts = cm.split_island("bolshoy_ussuriysky")
    expected = kt.area_km2(parts["china"]) / kt.area_km2(kt.geometry("bolshoy_ussuriysky"))
    assert share == pytest.approx(expected)
    assert 0.3 < share < 0.5
    assert cm.china_share("tarabarov") == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize("call, bad, valid", [
    (lambda: cm.holdings("during"), "during", "before, after"),
    (lambda: cm.holdings_table("1991"), "1991", "before, after"),
    (lambda: cm.amur_map("now"), "now", "before, after"),
    (lambda: cm.state_label("later"), "later", "before, after"),
    (lambda: cm.split_island("etorofu"), "etorofu", "tarabarov, bolshoy_ussuriysky"),
    (lambda: cm.split_island("tarabarov", "cn_ru_boundary_1860"), "cn_ru_boundary_1860",
     "cn_ru_boundary_pre2004, cn_ru_boundary_2004"),
    (lambda: cm.exercise("essay"), "essay", "order, china_share, halves_question, discussion"),
])
def test_bad_input_names_the_value_and_the_choices(call, bad: str, valid: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(bad))) as info:
        call()
    assert "valid" in str(info.value) and valid in str(info.value)


def test_state_labels_come_from_the_content_file() -> None:
    assert cm.state_label("after") == "After the handover of 14 October 2008"
    assert cm.state_label("before").startswith("Before 2004")


@pytest.mark.parametrize("state, lands", [("before", 2), ("after", 3)])
def test_amur_map(state: str, lands: int) -> None:
    fmap = cm.amur_map(state)
    page = fmap.get_root().render()
    # the Amur's water, both banks, the island parts, the Ussuri and the channels, both boundary
    # lines and Khabarovsk; no Kuril context land
    assert _geojson_layers(fmap) == 1 + 2 + lands + 2 + 2 + 1
    assert page.count("APPROXIMATE OUTLINE") >= lands + 1  # tooltips and title
    assert "Held by China" in page and "Held by Russia" in page
    assert "银龙岛" in page and "Тарабаров" in page
    assert "GSHHG 2.3.7" in page and "GeoNames (CC BY 4.0)" in page  # the data credited
    assert "OpenStreetMap contributors" in page and "Land: ©" not in page  # no OSM land drawn
    assert "Hokkaido" not in page and "Grey line" not in page
    assert len(page.encode()) < 300_000


def _labels(page: str) -> list[str]:
    labels = json.loads(re.search(r"\}\)\(map_\w+, (\[.*?\])\);", page, re.S)[1])
    return [label["text"] for label in labels]


@pytest.mark.parametrize("state", cm.STATES)
def test_amur_map_draws_both_banks_rivers_khabarovsk_and_names_the_islands(state: str) -> None:
    page = cm.amur_map(state).get_root().render()
    features = page_features(page)
    tips = {f["properties"]["tooltip"]: f for f in features}
    setting = cm.amur_setting()
    for key, ident in (("bank_russia", "amur_bank_russia"), ("bank_china", "amur_bank_china"),
                       ("amur", "amur_water"), ("ussuri", "ussuri"), ("channels", "amur_channels"),
                       ("khabarovsk", "khabarovsk")):
        feature = tips[html.escape(L.text(f"amur.tooltips.{key}"))]
        assert shape(feature["geometry"]).equals_exact(setting[ident], 1e-4), ident
    banks = [f for f in features if f["properties"]["style"].get("fillOpacity") == 0.3]
    assert {b["properties"]["style"]["fillColor"] for b in banks} == {kt.style.COLOURS["russia"],
                                                                      kt.style.COLOURS["china"]}
    rivers = [f for f in features if f["properties"]["style"].get("color") == kt.style.COLOURS["river"]]
    lines = [f for f in rivers if "LineString" in f["geometry"]["type"]]  # the Ussuri, the channels
    assert len(rivers) == 3 and len(lines) == 2  # and the Amur's water
    assert all("dashArray" not in f["properties"]["style"] for f in lines)
    labels = _labels(page)
    assert labels[:3] == ["Tarabarov / Yinlong", "Bolshoy Ussuriysky / Heixiazi", "Khabarovsk"]
    assert {"RUSSIA", "CHINA", "Amur (Heilong)", "Ussuri (Wusuli)"} <= set(labels)
    # a legend that says what each mark is: pale mainland, a solid grey comparison line
    other = "after" if state == "before" else "before"
    assert L.text("amur.legend.comparison", line=L.text(f"amur.legend.line.{other}")) in page
    assert 'class=\\"kt-rule\\" style=\\"border-top-color:#BBBBBB' in page.replace("\\u003c", "<")
    assert L.text("amur.legend.bank_china") in page and L.text("amur.legend.khabarovsk") in page


def test_every_amur_view_is_fitted_to_the_islands() -> None:
    islands = shapely.union_all([kt.geometry(i) for i in cm.AMUR_ISLANDS])
    views = set()
    for state in cm.STATES:
        page = cm.amur_map(state).get_root().render()
        (south, west), (north, east) = json.loads(
            re.search(r"map_\w+\.fitBounds\(\s*(\[\[.*?\]\])", page, re.S)[1])
        views.add((west, south, east, north))
    assert views == {cm.amur_view()}  # the same view before and after
    west, south, east, north = cm.amur_view()
    minx, miny, maxx, maxy = islands.bounds
    assert west < minx and east > maxx and south < miny and north > maxy
    assert (maxx - minx) / (east - west) > 0.8  # the islands fill the view: not a dot
    assert (maxy - miny) / (north - south) > 0.45
    assert shapely.box(west, south, east, north).contains(cm.amur_setting()["khabarovsk"])


def test_amur_setting_puts_land_on_both_sides() -> None:
    setting = cm.amur_setting()
    assert set(setting) == set(cm.AMUR_SETTING)
    russia, china = setting["amur_bank_russia"], setting["amur_bank_china"]
    assert russia.contains(setting["khabarovsk"])  # Khabarovsk on Russia's right bank
    assert china.contains(Point(134.3, 48.2)) and russia.contains(Point(134.5, 48.5))
    assert not russia.intersects(china.buffer(-0.001))
    for island in cm.AMUR_ISLANDS:  # the banks lie around the islands, not over them
        whole = kt.area_km2(kt.geometry(island))
        for bank in (russia, china):
            overlap = kt.geometry(island).intersection(bank)
            assert overlap.is_empty or kt.area_km2(overlap) < 0.01 * whole
        assert kt.geometry(island).distance(setting["amur_water"]) < 1e-6  # the Amur runs past
    # the Ussuri ends at the Amur by Khabarovsk; the channels run along the islands
    ussuri = setting["ussuri"]
    assert kt.distance_km(Point(ussuri.coords[-1]), setting["khabarovsk"]) < 3
    assert setting["amur_channels"].distance(kt.geometry("bolshoy_ussuriysky")) < 1e-6
    props = {f["properties"]["id"]: f["properties"]
             for n in ("amur_banks", "amur_places")
             for f in json.loads((kt.data.data_root() / "geo" / f"{n}.geojson").read_text())["features"]}
    assert props["khabarovsk"]["license"] == "CC-BY-4.0" and "GeoNames" in props["khabarovsk"]["source"]
    assert all(props[i]["note"].startswith("APPROXIMATE") for i in ("amur_bank_russia", "amur_bank_china"))


def test_amur_explorer_toggles() -> None:
    box = cm.amur_explorer()
    before = box.shown.value
    assert "Before 2004" in before and "After the handover" not in before
    box.toggle.value = "after"
    after = box.shown.value
    assert after != before and cm.state_label("after") in after
    assert "165.7" in after and "L.map(" in after  # China's total and the map
    box.toggle.value = "before"
    assert "Before 2004" in box.shown.value and "After the handover" not in box.shown.value


def test_outline_comparison_uses_figures() -> None:
    col = L.get("amur.outline_columns")
    table = cm.outline_comparison().set_index(col["name"])
    bu = table.loc["Bolshoy Ussuriysky / Heixiazi"]
    low, high = kt.figure("bolshoy_ussuriysky_area_low"), kt.figure("bolshoy_ussuriysky_area_high")
    assert bu[col["reported"]] == f"{low:g}–{high:g}" == "327–350"
    assert bu[col["outline"]] < low  # the approximate outline is too small
    tara = table.loc["Tarabarov / Yinlong"]
    assert tara[col["confidence"]] == "low"
    assert tara[col["source"]] == "enwiki_yinlong_copy; ruwiki_tarabarov"


# --------------------------------------------------------------------------- Kurils by shares


@pytest.mark.parametrize("share", [*cm.SHARE_STOPS, 0.0, 0.01, 0.3])
def test_split_for_share_adds_up(share: float) -> None:
    result = cm.split_for_share(share)
    assert result["japan_km2"] + result["russia_km2"] == pytest.approx(result["total_km2"], rel=1e-4)
    assert result["share"] == pytest.approx(share, abs=0.005)
    assert result["total_km2"] == pytest.approx(kt.disputed_area_km2(), rel=1e-3)
    if not result["japan"].is_empty:
        assert kt.area_km2(result["japan"]) == pytest.approx(result["japan_km2"], rel=1e-3)


@pytest.mark.parametrize("share, cut", [(0.01, "habomai"), (0.07, "kunashiri"),
                                        (0.25, "kunashiri"), (0.5, "etorofu"),
                                        (0.75, "etorofu"), (1.0, None), (0.0, None)])
def test_split_for_share_cuts_the_right_island(share: float, cut: str | None) -> None:
    result = cm.split_for_share(share)
    assert result["cut_island"] == cut
    for key in ("cut_line", "cut_japan", "cut_russia"):
        assert (result[key] is None) == (cut is None)


def test_halves_give_japan_three_islands_and_part_of_etorofu() -> None:
    result = cm.split_for_share(0.5)
    given = result["to_japan_km2"]
    for ident in ("habomai", "shikotan", "kunashiri"):
        assert given[ident] == pytest.approx(result["areas_km2"][ident])
    part = given["etorofu"] / result["areas_km2"]["etorofu"]
    assert 0.15 < part < 0.3
    # Japan's part of Etorofu is the south-western end
    etorofu = kt.geometry("etorofu")
    jp, ru = result["japan"].intersection(etorofu), result["russia"].intersection(etorofu)
    assert jp.centroid.x < ru.centroid.x and jp.centroid.y < ru.centroid.y


def test_halves_cut_parts_make_up_etorofu() -> None:
    """The Etorofu cut other lessons reuse: two parts that together are the island."""
    result = cm.split_for_share(0.5)
    jp, ru = kt.area_km2(result["cut_japan"]), kt.area_km2(result["cut_russia"])
    assert jp == pytest.approx(result["to_japan_km2"]["etorofu"], rel=1e-6)
    assert jp + ru == pytest.approx(kt.area_km2(kt.geometry("etorofu")), rel=1e-3)
    assert result["cut_line"].intersects(kt.geometry("etorofu").buffer(0.01))


def test_split_for_share_is_read_only() -> None:
    result = cm.split_for_share(0.5)
    with pytest.raises(TypeError):
        result["share"] = 0.9  # type: ignore[index]
    with pytest.raises(TypeError):
        result["to_japan_km2"]["etorofu"] = 0.0  # type: ignore[index]
    assert cm.split_for_share(0.5)["share"] == pytest.approx(0.5, abs=0.005)


@pytest.mark.parametrize("bad", [-0.1, 1.5, 50, "half", None, True])
def test_split_for_share_bad_input(bad) -> None:
    with pytest.raises(ValueError, match="must be a number from 0 to 1") as info:
        cm.split_for_share(bad)
    assert repr(bad) in str(info.value) and "0.07, 0.25, 0.5, 0.75, 1.0" in str(info.value)


def test_split_table_is_a_text_alternative() -> None:
    col = L.get("kurils.split_columns")
    table = cm.split_table(0.5)
    assert list(table[col["cut"]]) == ["", "", "", "yes", "Japan's share: 50.0%"]
    assert table[col["name"]].iloc[-1] == "All four"
    body = table.iloc[:4]
    assert body[col["japan"]].sum() == pytest.approx(table.iloc[-1][col["japan"]], abs=0.3)
    assert (body[col["japan"]] + body[col["russia"]]).tolist() == \
        pytest.approx(body[col["area"]].tolist(), abs=0.11)


def test_cumulative_shares() -> None:
    col = L.get("kurils.cumulative_columns")
    table = cm.cumulative_shares()
    assert list(table[col["name"]]) == [kt.name(i) for i in ("habomai", "shikotan", "kunashiri",
                                                             "etorofu")]
    assert table[col["upto"]].iloc[-1] == "100.0%"
    # the first three islands together are under half the land (about 37 %)
    assert 30 < float(table[col["upto"]].iloc[2].rstrip("%")) < 45


@pytest.mark.parametrize("share, lands", [(0.5, 2), (1.0, 1), (0.0, 1)])
def test_split_map(share: float, lands: int) -> None:
    fmap = cm.split_map(share)
    page = fmap.get_root().render()
    line = 1 if 0 < share < 1 else 0
    # context land in view, coloured by who administers it: Hokkaido, Urup, the northern Kurils
    # and Sakhalin (Kamchatka lies beyond the view)
    assert _geojson_layers(fmap) == lands + line + 4
    assert "Hokkaido (北海道 / Хоккайдо)" in page and "Kamchatka" not in page
    assert "not part of the dispute" in page
    assert "not any government" in page and "Illustration only" in page
    assert ("Straight cut across Etorofu / Iturup" in page) == (share == 0.5)
    assert len(page.encode()) < 300_000


def test_share_explorer_moves_the_cut() -> None:
    box = cm.share_explorer()
    assert box.slider.value == 0.5
    assert "Etorofu" in box.shown.value and "Japan 50%" in box.shown.value
    box.slider.value = 0.07
    shown = box.shown.value
    assert "Japan 7%" in shown and "Japan 50%" not in shown
    table = cm.split_table(0.07)
    col = L.get("kurils.split_columns")
    assert table.loc[table[col["cut"]] == "yes", col["name"]].item().startswith("Kunashiri")


def test_lesson_views_read_the_shipped_results(monkeypatch) -> None:
    """Tables, maps, widgets and exercises measure and cut nothing; the students' calls still do."""
    def refuse(*args, **kwargs):
        raise AssertionError("geometry computed at run time")

    for name in ("area_km2", "split_by_share", "equal_area_cut"):
        monkeypatch.setattr(geo, name, refuse)
    monkeypatch.setattr(chinese_model_geo, "split", refuse)
    for state in ("before", "after"):
        cm.holdings_table(state)
    for table in (cm.transfer_comparison(), cm.outline_comparison(), cm.cumulative_shares()):
        assert len(table) >= 2
    assert "L.map(" in cm.amur_map("after")._repr_html_() and "L.map(" in cm.amur_explorer().shown.value
    for share in cm.SHARE_STOPS:
        cm.split_table(share)
    assert "L.map(" in cm.split_map(0.07)._repr_html_() and "L.map(" in cm.share_explorer().shown.value
    assert cm.china_share() == pytest.approx(0.379, abs=0.001)  # 109.4 of 288.7 km² (test above)
    for ident in ("order", "china_share", "halves_question"):
        cm.exercise(ident)
    with pytest.raises(AssertionError, match="computed at run time"):
        cm.split_island("bolshoy_ussuriysky")  # what the students compute in the exercise cell
    with pytest.raises(AssertionError, match="computed at run time"):
        cm.split_for_share(0.31)  # a share the explorer does not offer


# --------------------------------------------------------------------------- exercises


def test_order_exercise_key_follows_the_timeline() -> None:
    ex = cm.exercise("order")
    assert isinstance(ex, kt.Sorting) and ex.kind == "ordering"
    assert ex.categories == ("1st", "2nd", "3rd", "4th", "5th")
    events = kt.timeline(topic="china_russia").set_index("id")
    items = L.get("exercises.order.items")
    by_date = sorted(items, key=lambda i: events.loc[i["event"], "date"])
    assert [ex.key[i["id"]] for i in by_date] == list(ex.categories)
    # the 1991 agreement (B) is 1st, the 2001 basic treaty (A) 3rd, the 2008 handover (C) last
    assert (ex.key["B"], ex.key["A"], ex.key["C"]) == ("1st", "3rd", "5th")
    assert ex.reasons["A"] == "it is dated 16 July 2001, so it comes 3rd"


def test_order_exercise_check() -> None:
    ex = cm.exercise("order")
    assert kt.check(ex, dict(ex.key)).correct
    swapped = dict(ex.key, A=ex.key["B"], B=ex.key["A"])
    first = kt.check(ex, swapped)
    assert not first.correct and first.message.startswith("3 of 5 right. 2 not yet right: A: ")
    assert "it is dated" not in first.message  # no key given away at once
    assert ex.hint in kt.check(ex, swapped, tries=1).message
    assert ex.hints["A"] in first.message and ex.hints["B"] in first.message  # a nudge per item
    later = kt.check(ex, swapped, tries=2)
    assert "A → 3rd (it is dated 16 July 2001, so it comes 3rd)" in later.message  # after 2 tries
    partial = kt.check(ex, {"A": ex.key["A"]})
    assert not partial.correct and "4 still to sort" in partial.message
    with pytest.raises(ValueError, match="'Z'"):
        kt.check(ex, {"Z": "1st"})
    with pytest.raises(ValueError, match="'6th'"):
        kt.check(ex, {"A": "6th"})


def test_order_widget() -> None:
    ex = cm.exercise("order")
    box = kt.widget(ex)
    for item, drop in box.answer.items():
        drop.value = ex.key[item]
    box.button.click()
    assert "✔" in box.feedback.value and "All 5 sorted correctly" in box.feedback.value


def test_china_share_exercise() -> None:
    ex = cm.exercise("china_share")
    expected = round(100 * cm.china_share(), 1)
    assert ex.expected == expected and ex.unit == "%" and ex.tolerance == 0.03
    assert 30 < expected < 50
    assert kt.check(ex, expected * 1.02).correct
    high = kt.check(ex, 50)
    assert not high.correct and "too high" in high.message and ex.hint not in high.message
    assert ex.hint in kt.check(ex, 50, tries=1).message
    box = answered(ex, expected)
    assert "✔" in box.feedback.value
    box.answer.value = 20.0
    box.button.click()
    assert "too low" in box.feedback.value


def test_halves_question() -> None:
    ex = cm.exercise("halves_question")
    assert ex.options == tuple(kt.name(i) for i in ("habomai", "shikotan", "kunashiri", "etorofu"))
    assert ex.answer == "Etorofu / Iturup"
    right = kt.check(ex, ex.answer)
    assert right.correct and "Half lies inside it" in right.message
    wrong = kt.check(ex, "Kunashiri / Kunashir")
    assert not wrong.correct and "not yet half" in wrong.message and "36." in wrong.message
    with pytest.raises(ValueError, match="'Urup'"):
        kt.check(ex, "Urup")
    box = answered(ex, ex.answer)
    assert "✔ Correct" in box.feedback.value


ORDINALS = r"\b(1st|2nd|3rd|4th|5th|first|second|third|fourth|fifth)\b"


def test_order_hints_nudge_without_giving_the_place() -> None:
    ex = cm.exercise("order")
    assert set(ex.hints) == set(ex.items)  # every item has its own hint
    for item, hint in ex.hints.items():
        assert not re.search(ORDINALS, hint, flags=re.I), item
        date = kt.row("timeline", next(i["event"] for i in L.get("exercises.order.items")
                                       if i["id"] == item))["date"]
        assert date[:4] not in hint  # nor the item's own year


def test_discussion_is_open() -> None:
    ex = cm.exercise("discussion")
    assert isinstance(ex, kt.FreeText) and len(ex.checklist) == 3
    assert sum(points for _, points in ex.rubric) == 3  # graded notes: one point per checklist line
    assert kt.check(ex, [True, True, True]).correct
    partial = kt.check(ex, [True, False, True])
    assert not partial.correct and "2 of 3" in partial.message
    box = kt.widget(ex)
    assert box.reveal is None  # an open answer: nothing to reveal
    for tick in box.answer:
        tick.value = True
    assert "✔" in box.feedback.value


def test_solution_texts_fill_in() -> None:
    text = L.text("solutions.china_share", china=109.4, whole=288.7, percent=37.89, both=0.48)
    assert text.startswith("China's side: 109.4 km² of 288.7 km² = 37.9 %") and "48%" in text
    assert "21% of that island" in L.text("solutions.halves_question", part=0.21)
    assert L.text("solutions.order").startswith("The basic treaty is only 3rd")
    with pytest.raises(ValueError, match="'part'"):
        L.text("solutions.halves_question")


# --------------------------------------------------------------------------- records and sources


def test_transfer_evidence_side_by_side() -> None:
    col = L.get("evidence.columns")
    table = cm.transfer_evidence().set_index(col["id"])
    assert list(table.index) == [e.get("event", e.get("position")) for e in L.get("evidence.rows")]
    putin = table.loc["putin_china_example_statements"]
    assert putin[col["confidence"]] == "low" and "reported" in putin[col["voice"]]
    assert putin[col["date"]] == "December 2016"
    assert {"Japan's government", "Russia's government"} <= set(table[col["voice"]])
    positions = kt.positions(government="russia").set_index("id")
    russia = table.loc["ru_2019_sovereignty_not_discussed"]
    assert russia[col["words"]] == positions.loc["ru_2019_sovereignty_not_discussed", "quote"]
    assert russia[col["date"]] == "14 January 2019"
    assert table.loc["sino_russian_treaty_2001", col["words"]] == ""


def test_sources_used_are_known_and_cover_the_rows() -> None:
    ids = cm.sources_used()
    assert len(ids) == len(set(ids))
    assert len(kt.source_list(ids)) == len(ids)  # every id exists in sources.csv
    for ids_ in kt.timeline(topic="china_russia")["source_ids"]:
        assert set(ids_) <= set(ids)
    for entry in L.get("evidence.rows"):
        table, ident = ("timeline", entry["event"]) if "event" in entry else ("positions", entry["position"])
        assert set(kt.row(table, ident)["source_ids"]) <= set(ids)
    assert {"latimes_reuters_1997_11_10", "ria_2006_12_14_aso"} <= set(ids)  # the quote, the 2006 remark
    assert ids[0] == kt.timeline(topic="china_russia")["source_ids"].iloc[0][0]


# --------------------------------------------------------------------------- "Try it in code"


def _task_map(rows) -> folium.Map:
    """The halves map with one marker per row of ``rows`` (``[lat, lon]``, as folium wants)."""
    fmap = cm.split_map(0.5, height=380)
    for row in rows.itertuples():
        folium.Marker([row.lat, row.lon], tooltip=row.settlement).add_to(fmap)
    return fmap


def _four() -> pd.DataFrame:
    islands = kt.islands()
    return islands[(islands["group"] == "disputed") & (islands["parent"] == "")]


def test_settlements_task_solution_marks_the_inhabited_islands() -> None:
    task = exercises.find_task("halves_settlements")
    assert task.expect == "map" and task.variable == "settlements_map"
    right = exercises.expected(task)
    assert isinstance(right, folium.Map)
    four = _four()
    lived_in = four[four["population"] > 0]
    assert set(lived_in["id"]) == {"etorofu", "kunashiri", "shikotan"}  # Habomai: border posts only
    want = {(round(r.lat, 4), round(r.lon, 4)) for r in lived_in.itertuples()}
    assert {(round(a, 4), round(b, 4)) for a, b in exercises._markers(right)} == want
    result = kt.check_code("halves_settlements", _task_map(lived_in))
    assert result.correct and "Your code gives the expected result" in result.message
    assert "Going further" in result.message


def test_settlements_task_explanation_matches_the_halves_split() -> None:
    """The explanation says which settlement lies on which side: the split's land says so too."""
    half = cm.split_for_share(0.5)
    side = {r.id: ("japan" if half["japan"].distance(Point(r.lon, r.lat))
                   < half["russia"].distance(Point(r.lon, r.lat)) else "russia")
            for r in _four().itertuples() if r.population > 0}
    assert side == {"etorofu": "russia", "kunashiri": "japan", "shikotan": "japan"}
    text = L.get("exercises.halves_settlements.explanation")
    assert re.search(r"Yuzhno-Kurilsk .* and Malokurilskoye .* Japan would get, and Kurilsk .* "
                     r"Russia would keep", text, flags=re.S)


def test_settlements_task_diagnoses_wrong_answers() -> None:
    four = _four()
    unfiltered = kt.check_code("halves_settlements", _task_map(four))  # Habomai marked too
    assert not unfiltered.correct
    assert unfiltered.message.startswith("Your map has 4 markers; the task asks for 3.")
    wrong_place = four[four["id"].isin(["etorofu", "kunashiri", "habomai"])]  # not Shikotan
    far = kt.check_code("halves_settlements", _task_map(wrong_place))
    assert not far.correct and far.message.startswith("No marker near 43.87, 146.83")
    table = kt.check_code("halves_settlements", four)  # the table, not the map
    assert not table.correct and "Expected a folium map" in table.message
    task = exercises.find_task("halves_settlements")
    assert task.hint in kt.check_code("halves_settlements", _task_map(four)).message  # again: hint


def test_settlements_task_empty_is_not_answered() -> None:
    for empty in (..., None):
        result = kt.check_code("halves_settlements", empty)
        assert not result.correct and result.message.startswith("Not answered yet")


# --------------------------------------------------------------------------- the notebook


def test_student_notebook_holds_no_answers_and_an_answer_cell_per_open_exercise() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert not [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    ids = [c.id for c in nb.cells]
    assert not {t["id"] for t in L.get("teacher")} & set(ids)  # teacher cells only in that edition
    answers = {c.metadata["kuril_teaching"]["exercise"]: n for n, c in enumerate(nb.cells)
               if "answer" in c.metadata.get("tags", [])}
    assert set(answers) == {"discussion", "exit_ticket"}
    assert 'cm.exercise("discussion")' in nb.cells[answers["discussion"] - 1].source
    headings = [c.source.splitlines()[0] for c in nb.cells
                if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert headings.index("## Exit ticket") + 1 == headings.index("## Key points")
    task, check = editions.task_cells(nb)["halves_settlements"]
    assert nb.cells[task].source.rstrip().endswith("settlements_map = ...")
    assert nb.cells[check].source == 'kt.check_code("halves_settlements", settlements_map)'


def test_student_notebook_check_says_not_answered_yet() -> None:
    nb = execute_notebook(NOTEBOOK)
    _, check = editions.task_cells(nb)["halves_settlements"]
    shown = " ".join(o.get("data", {}).get("text/html", "") for o in nb.cells[check].outputs)
    assert "Not answered yet" in shown


def test_teacher_edition_runs_the_solutions(tmp_path) -> None:
    teacher = editions.build("teacher", nbformat.read(NOTEBOOK, as_version=4), NOTEBOOK.name)
    path = tmp_path / NOTEBOOK.name
    nbformat.write(teacher, path)
    ran = execute_notebook(path)
    outputs = {c.id: " ".join(o.get("text", "") + o.get("data", {}).get("text/html", "")
                              for o in c.get("outputs", [])) for c in ran.cells}
    assert not [o for c in ran.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert "Your code gives the expected result" in outputs["c038c"]
    assert "The basic treaty is only 3rd" in outputs["c012"]
    assert "China's side:" in outputs["c026"]
    assert "must cut Etorofu" in outputs["c038"]
    assert "Points a teacher might listen for" in outputs["c043"]
    ids = [c.id for c in ran.cells]
    assert ids.index("c043") == ids.index("c042b") + 1 and ids.index("c043c") == ids.index("c043b") + 1
