"""The Chinese-model lesson: Amur island holdings, the Kuril division by shares, widgets."""

from __future__ import annotations

import re

import pytest

import kuril_teaching as kt
from kuril_teaching import chinese_model as cm


def _geojson_layers(fmap) -> int:
    return len(re.findall(r"var geo_json_\w+ = L\.geoJson\(", fmap.get_root().render()))


# --------------------------------------------------------------------------- Amur


def test_amur_features_exist() -> None:
    features = kt.data.geo_features()
    for ident in (*cm.AMUR_ISLANDS, *cm.BOUNDARY_LINES.values()):
        assert ident in features


def test_before_russia_holds_both_islands() -> None:
    held = cm.holdings("before")
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


def test_china_side_computed_vs_reported() -> None:
    table = cm.holdings_table("after")
    computed = table.iloc[-1]["held by China (km²)"]
    assert computed == pytest.approx(165.4, abs=2.0)  # geodata/SOURCES.md: 56.3 + 109.1
    reported = kt.figure(cm.TRANSFER_FIGURE)
    assert reported == pytest.approx(174, abs=1)
    comparison = cm.transfer_comparison()
    assert comparison["km²"].tolist()[:2] == [computed, reported]
    assert abs(computed - reported) / reported < 0.1


def test_china_share_of_bolshoy_ussuriysky() -> None:
    share = cm.china_share("bolshoy_ussuriysky")
    parts = cm.split_island("bolshoy_ussuriysky")
    expected = kt.area_km2(parts["china"]) / kt.area_km2(kt.geometry("bolshoy_ussuriysky"))
    assert share == pytest.approx(expected)
    assert 0.3 < share < 0.5
    assert cm.china_share("tarabarov") == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize("call, bad", [
    (lambda: cm.holdings("during"), "during"),
    (lambda: cm.holdings_table("1991"), "1991"),
    (lambda: cm.amur_map("now"), "now"),
    (lambda: cm.split_island("etorofu"), "etorofu"),
    (lambda: cm.split_island("tarabarov", "cn_ru_boundary_1860"), "cn_ru_boundary_1860"),
])
def test_amur_bad_input(call, bad: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(bad))) as info:
        call()
    assert "valid" in str(info.value)


@pytest.mark.parametrize("state, lands", [("before", 2), ("after", 3)])
def test_amur_map(state: str, lands: int) -> None:
    fmap = cm.amur_map(state)
    page = fmap.get_root().render()
    assert _geojson_layers(fmap) == lands + 2  # island parts + both boundary lines
    assert page.count("APPROXIMATE OUTLINE") >= lands + 2  # tooltips, title, legend
    assert "Held by China" in page and "Held by Russia" in page
    assert "银龙岛" in page and "Тарабаров" in page
    assert len(page.encode()) < 300_000


def test_amur_explorer_toggles() -> None:
    box = cm.amur_explorer()
    before = box.shown.value
    assert "Before 2004" in before
    box.toggle.value = "after"
    after = box.shown.value
    assert after != before and "After the handover" in after
    china = cm.holdings_table("after").iloc[-1]["held by China (km²)"]
    assert f"{china}" in after
    box.toggle.value = "before"
    assert "Before 2004" in box.shown.value and "After the handover" not in box.shown.value


# --------------------------------------------------------------------------- Kurils by shares


@pytest.mark.parametrize("share", [*cm.SHARE_STOPS, 0.0, 0.01, 0.3])
def test_split_for_share_adds_up(share: float) -> None:
    result = cm.split_for_share(share)
    assert result["japan_km2"] + result["russia_km2"] == pytest.approx(result["total_km2"],
                                                                        rel=1e-4)
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
    assert (result["cut_line"] is None) == (cut is None)


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


@pytest.mark.parametrize("bad", [-0.1, 1.5, 50, "half", None, True])
def test_split_for_share_bad_input(bad) -> None:
    with pytest.raises(ValueError, match="must be a number from 0 to 1"):
        cm.split_for_share(bad)


def test_split_table_is_a_text_alternative() -> None:
    table = cm.split_table(0.5)
    assert list(table["cut here?"])[:4] == ["", "", "", "yes"]
    body = table.iloc[:4]
    assert body["to Japan (km²)"].sum() == pytest.approx(table.iloc[-1]["to Japan (km²)"], abs=0.3)
    assert (body["to Japan (km²)"] + body["to Russia (km²)"]).tolist() == \
        pytest.approx(body["area (km²)"].tolist(), abs=0.11)


def test_cumulative_shares_and_question() -> None:
    table = cm.cumulative_shares()
    assert table.iloc[-1]["share with the islands before it"] == "100.0%"
    question = cm.halves_question()
    assert question.answer.startswith("Etorofu")
    assert kt.check_choice(question, question.answer).correct
    wrong = kt.check_choice(question, question.options[2])
    assert not wrong.correct and "not yet half" in wrong.message


@pytest.mark.parametrize("share, lands", [(0.5, 2), (1.0, 1), (0.0, 1)])
def test_split_map(share: float, lands: int) -> None:
    fmap = cm.split_map(share)
    page = fmap.get_root().render()
    line = 1 if 0 < share < 1 else 0
    assert _geojson_layers(fmap) in (lands + line + 1, lands + line + 2)  # + context land
    assert "not part of the dispute" in page
    assert "not any government" in page and "Illustration only" in page
    assert len(page.encode()) < 300_000


def test_share_explorer_moves_the_cut() -> None:
    box = cm.share_explorer()
    assert "Etorofu" in box.shown.value and "50%" in box.shown.value
    box.slider.value = 0.07
    shown = box.shown.value
    assert "Japan 7%" in shown
    table = cm.split_table(0.07)
    assert table.loc[table["cut here?"] == "yes", "island"].item().startswith("Kunashiri")


# --------------------------------------------------------------------------- exercises


def test_order_exercise_matches_timeline() -> None:
    items, categories, key, reasons = cm.order_exercise()
    events = kt.timeline(topic="china_russia").set_index("id")
    by_text = {text: letter for letter, text in items.items()}
    ranked = sorted(cm.ORDER_ITEMS, key=lambda i: events.loc[i, "date"])
    assert [by_text[cm.ORDER_ITEMS[i]] for i in ranked] == \
        sorted(key, key=lambda letter: categories.index(key[letter]))
    # the 1991 agreement comes before the 2001 basic treaty
    assert categories.index(key[by_text[cm.ORDER_ITEMS["sino_soviet_eastern_border_agreement_1991"]]]) \
        < categories.index(key[by_text[cm.ORDER_ITEMS["sino_russian_treaty_2001"]]])
    assert kt.check_sorting(key, key, reasons).correct
    swapped = dict(key)
    first, second = sorted(key)[:2]
    swapped[first], swapped[second] = key[second], key[first]
    feedback = kt.check_sorting(swapped, key, reasons)
    assert not feedback.correct and "it is dated" in feedback.message


def test_order_quiz_widget() -> None:
    box = kt.sorting_quiz(*cm.order_exercise())
    _, _, key, _ = cm.order_exercise()
    for letter, drop in box.dropdowns.items():
        drop.value = key[letter]
    box.button.click()
    assert "All 5 sorted correctly" in box.feedback.value


def test_china_share_quiz() -> None:
    box = cm.china_share_quiz()
    box.entry.value = round(100 * cm.china_share(), 1)
    box.button.click()
    assert "Correct" in box.feedback.value
    box.entry.value = 50.0
    box.button.click()
    assert "too high" in box.feedback.value


@pytest.mark.parametrize("iso, text", [("2001-07-16", "16 July 2001"), ("2016-12", "December 2016"),
                                       ("1969", "1969")])
def test_format_date(iso: str, text: str) -> None:
    assert cm.format_date(iso) == text


def test_format_date_bad() -> None:
    with pytest.raises(ValueError, match="'16/07/2001'"):
        cm.format_date("16/07/2001")


# --------------------------------------------------------------------------- records and sources


def test_outline_comparison_uses_figures() -> None:
    table = cm.outline_comparison().set_index("island")
    bu = table.loc[table.index.str.startswith("Bolshoy")].iloc[0]
    low, high = kt.figure("bolshoy_ussuriysky_area_low"), kt.figure("bolshoy_ussuriysky_area_high")
    assert bu["reported area (km²)"] == f"{low:g}–{high:g}"
    assert bu["outline area (km²)"] < low  # the approximate outline is too small
    tara = table.loc[table.index.str.startswith("Tarabarov")].iloc[0]
    assert tara["confidence"] == "low"


def test_transfer_evidence_side_by_side() -> None:
    table = cm.transfer_evidence()
    assert set(table["id"]) == {i for _v, _t, i in cm.EVIDENCE}
    putin = table.set_index("id").loc["putin_china_example_statements"]
    assert putin["confidence"] == "low" and "reported" in putin["voice"]
    voices = set(table["voice"])
    assert {"Japan's government", "Russia's government"} <= voices
    russia = table.set_index("id").loc["ru_2019_sovereignty_not_discussed"]
    positions = kt.positions(government="russia").set_index("id")
    assert russia["exact words"] == positions.loc["ru_2019_sovereignty_not_discussed", "quote"]


def test_sources_used_are_known_and_cover_the_rows() -> None:
    ids = cm.sources_used()
    assert len(ids) == len(set(ids))
    assert len(kt.source_list(ids)) == len(ids)  # every id exists in sources.csv
    for ids_ in kt.timeline(topic="china_russia")["source_ids"]:
        assert set(ids_) <= set(ids)
    for _voice, table, ident in cm.EVIDENCE:
        frame = kt.timeline() if table == "timeline" else kt.positions()
        assert set(frame.set_index("id").loc[ident, "source_ids"]) <= set(ids)


def test_show_table_hides_index() -> None:
    html = cm.show_table(cm.transfer_comparison()).to_html()
    assert "text-align: left" in html and "174.0" in html
