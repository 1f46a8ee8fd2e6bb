"""The first lesson's module: island facts, positions, the island explorer, the two self-checks."""

from __future__ import annotations

import math

import pytest
from conftest import answered

import kuril_teaching as kt
from kuril_teaching import content, explore

FOUR = ["etorofu", "kunashiri", "shikotan", "habomai"]
HABOMAI_ISLETS = ["suisho", "yuri", "akiyuri", "shibotsu", "taraku"]

# The sources list the lesson showed before its content moved to data/lessons/00_start_here.yaml.
OLD_SOURCES = [
    "mofa_northern_territories", "kuril_info_occupation", "betsukai_northern_territories_issue",
    "iwate_miyamoto_occupation", "japantimes_2005_01_24_commentary", "mofa_northern_territories_info",
    "nemuro_northern_territories_overview", "stv_expelled_residents",
    "yomiuri_2025_12_08_passenger_lists", "mainichi_2025_passenger_lists",
    "mofa_compendium_1992_period5", "wikisource_fr_joint_declaration_1956",
    "wikipedia_joint_declaration_1956", "nyt_1956_10_20_declaration_texts",
    "grips_joint_declaration_1956_zh", "grips_matsumoto_gromyko_letters", "tass_2018_12_17",
    "inkl_2018_11_abe_putin", "tass_2019_05_31", "tass_2018_09_05_ushakov",
    "mid_lavrov_2019_01_14_repost", "rt_2019_01_14", "hoppou_islands_area", "japantimes_2015_03_10",
    "ukwiki_iturup", "ruwiki_kurilsky_district", "hoppou_what_kind_of_place",
    "ruwiki_ru_yuzhno_kurilsk", "hoppou_blog_south_kuril_district", "cafepulsar_shikotan",
    "hoppo_fukki_domei_shiryo",
]


# --------------------------------------------------------------------------- content file


def test_content_file_loads_and_holds_the_exercises() -> None:
    lesson = content.lesson("00_start_here")
    assert lesson.text("lesson.title").startswith("Start here")
    assert set(lesson.get("exercises")) == {"nearest_island", "etorofu_share", "island_shares"}
    assert lesson.get("exercises.island_shares.kind") == "code"


# --------------------------------------------------------------------------- facts and positions


def test_key_events_are_the_three_of_1945_to_1956() -> None:
    assert explore.key_events() == ["soviet_occupation_four_islands_1945",
                                    "expulsion_of_japanese_residents_1947_1949",
                                    "joint_declaration_1956"]
    shown = kt.events(explore.key_events()).text
    assert "Soviet-Japanese Joint Declaration (Moscow)" in shown
    assert "19 October 1956" in shown


def test_island_facts_one_row_per_island_with_sourced_figures() -> None:
    facts = explore.island_facts()
    assert list(facts.index) == FOUR
    assert facts.index.name == "id"
    assert list(facts.columns) == [
        "Island", "Japanese", "Russian", "Area, km² (Japanese government)",
        "Area, km² (Russian sources)", "Area, km² (map polygon)", "Population", "Year",
        "Japanese residents, 15 Aug 1945", "Soviet landing, 1945"]
    etorofu = facts.loc["etorofu"]
    assert etorofu["Island"] == "Etorofu / Iturup"
    assert etorofu["Japanese"] == "択捉島"
    assert etorofu["Russian"] == "Итуруп"
    assert etorofu["Area, km² (Japanese government)"] == pytest.approx(3166.6)
    assert etorofu["Area, km² (Russian sources)"] == pytest.approx(3174.71)
    assert etorofu["Soviet landing, 1945"] == "1945-08-28"
    assert facts.loc["kunashiri", "Japanese residents, 15 Aug 1945"] == 7364
    assert facts.loc["habomai", "Population"] == 0
    assert math.isnan(facts.loc["habomai", "Area, km² (Russian sources)"])
    # the polygons agree with the official areas within about 3 %
    ratio = facts["Area, km² (map polygon)"] / facts["Area, km² (Japanese government)"]
    assert ((ratio > 0.97) & (ratio < 1.03)).all()


def test_island_facts_show_in_full_without_nan() -> None:
    shown = kt.show(explore.island_facts()).text
    assert "NaN" not in shown
    assert "<th>Area, km² (Russian sources)</th>" in shown
    assert "<td>3,166.6</td>" in shown


def test_official_positions_two_per_government() -> None:
    table = explore.official_positions()
    assert list(table.index) == ["jp_mofa_illegal_occupation", "jp_mofa_basic_policy",
                                 "ru_2018_islands_passed_legally", "ru_2019_sovereignty_not_discussed"]
    assert list(table.columns) == ["Government", "Date", "Speaker", "Statement", "Sources"]
    assert list(table["Government"]) == ["Japan", "Japan", "Russia", "Russia"]
    assert table.loc["ru_2019_sovereignty_not_discussed", "Speaker"] == "Sergey Lavrov"
    assert table.loc["ru_2019_sovereignty_not_discussed", "Date"] == "2019-01-14"
    assert list(table.loc["ru_2019_sovereignty_not_discussed", "Sources"]) == [
        "mid_lavrov_2019_01_14_repost", "rt_2019_01_14"]
    assert "inherent part of Japan's territory" in table.loc["jp_mofa_illegal_occupation", "Statement"]


# --------------------------------------------------------------------------- cards and the explorer


def test_explorer_offers_the_four_islands_then_the_named_habomai_islets() -> None:
    assert explore.explorer_islands() == FOUR + HABOMAI_ISLETS


def test_island_card_names_figures_confidence_and_note() -> None:
    card = explore.island_card("shikotan")
    for part in ("<b>Shikotan</b>", "色丹島 (Shikotan-tō)", "Шикотан",
                 "Area: 247.7 km² (Japanese government figure)", "Area in Russian sources: 252.8 km²",
                 "Population: 3,000 (2018;", "Japanese residents on 15 Aug 1945: 1,038",
                 "Soviet landing: 1945-09-01", "hoppou_islands_area",
                 "<i>Confidence of these figures: medium.</i>", "Russian 2010 census: 2,820"):
        assert part in card, part
    assert "Confidence of these figures: low." in explore.island_card("etorofu")


def test_island_card_accepts_russian_and_japanese_names() -> None:
    assert explore.island_card("Iturup") == explore.island_card("etorofu")
    assert explore.island_card("Tanfilyeva") == explore.island_card("suisho")


@pytest.mark.parametrize("bad", ["Atlantis", "urup", "kunashiri_islets"])
def test_island_card_rejects_islands_outside_the_explorer(bad: str) -> None:
    with pytest.raises(ValueError, match=rf"unknown island '{bad}'; valid islands: etorofu, "
                                         r"kunashiri, shikotan, habomai, suisho"):
        explore.island_card(bad)


def test_island_explorer_follows_the_picker() -> None:
    box = explore.island_explorer()
    labels = [label for label, _ in box.picker.options]
    assert [value for _, value in box.picker.options] == FOUR + HABOMAI_ISLETS
    assert labels[0] == "Etorofu / Iturup (択捉島 / Итуруп)"
    assert box.picker.description == "Island:"
    assert box.picker.value == "shikotan"
    assert "<b>Shikotan</b>" in box.card.value
    assert "Where is it?" in box.map_output.value
    before = box.map_output.value
    box.picker.value = "etorofu"
    assert box.card.value == explore.island_card("etorofu")
    assert "<b>Etorofu / Iturup</b>" in box.card.value
    assert box.map_output.value != before
    assert "Highlighted in this lesson" in box.map_output.value


def test_island_explorer_start_by_name_and_bad_start() -> None:
    assert explore.island_explorer("Kunashir").picker.value == "kunashiri"
    with pytest.raises(ValueError, match=r"unknown island 'Urup'; valid islands: etorofu"):
        explore.island_explorer("Urup")


# --------------------------------------------------------------------------- Exercise 1


def test_nearest_island_is_habomai_with_distances_in_the_feedback() -> None:
    ex = explore.exercise("nearest_island")
    assert isinstance(ex, kt.Choice)
    assert ex.prompt == "Which of the four disputed islands lies nearest to Hokkaido?"
    assert ex.options == ("Etorofu / Iturup", "Kunashiri / Kunashir", "Shikotan",
                          "Habomai Islands / Khabomai")
    assert ex.answer == "Habomai Islands / Khabomai"
    right = kt.check(ex, "Habomai Islands / Khabomai")
    habomai_km = round(kt.distance_km("habomai", "hokkaido_east"), 1)
    assert right.correct
    assert right.message == (f"Yes: on the map its nearest islet is {habomai_km:.1f} km from "
                             "Hokkaido's coast, closer than any other island.")
    wrong = kt.check(ex, "Kunashiri / Kunashir")
    assert not wrong.correct
    assert wrong.message == ("Not the nearest: it is 16.2 km from Hokkaido at its closest point, "
                             f"farther than Habomai Islands / Khabomai ({habomai_km:.1f} km).")
    assert not kt.check(ex, None).correct


def test_nearest_island_rejects_an_answer_that_is_not_an_option() -> None:
    with pytest.raises(ValueError, match=r"unknown choice 'Urup'; valid choices: Etorofu / Iturup"):
        kt.check(explore.exercise("nearest_island"), "Urup")


def test_nearest_island_widget() -> None:
    box = answered(explore.exercise("nearest_island"), "Etorofu / Iturup")
    assert "✘" in box.feedback.value
    assert "120.7 km" in box.feedback.value
    box.answer.value = "Habomai Islands / Khabomai"
    box.button.click()
    assert "✔" in box.feedback.value


# --------------------------------------------------------------------------- Exercise 2


def test_etorofu_share_uses_the_official_areas() -> None:
    ex = explore.exercise("etorofu_share")
    assert isinstance(ex, kt.Numeric)
    assert ex.unit == "%"
    assert ex.expected == pytest.approx(100 * 3166.6 / 5003.1)
    assert kt.check(ex, 63.3).correct
    assert not kt.check(ex, 50).correct


def test_etorofu_share_hint_after_one_wrong_try() -> None:
    ex = explore.exercise("etorofu_share")
    first = kt.check(ex, 50)
    assert first.message == "50 % is too low."
    again = kt.check(ex, 80, tries=1)
    assert again.message.startswith("80 % is too high.")
    assert "Divide Etorofu's official area by the four-island total" in again.message
    assert kt.check(ex, "lots").message == "'lots' is not a number."


def test_etorofu_share_widget() -> None:
    box = kt.widget(explore.exercise("etorofu_share"))
    assert box.answer.description == "%"
    box.answer.value = 40.0
    box.button.click()
    assert "✘" in box.feedback.value
    box.answer.value = 63.29
    box.button.click()
    assert "✔" in box.feedback.value


def test_exercise_rejects_an_unknown_id() -> None:
    with pytest.raises(ValueError, match=r"unknown exercise 'strait'; valid exercises: "
                                         r"nearest_island, etorofu_share"):
        explore.exercise("strait")


# --------------------------------------------------------------------------- sources


def test_sources_used_cover_the_old_list_in_the_same_order() -> None:
    used = explore.sources_used()
    assert len(used) == len(set(used))
    assert [s for s in used if s in OLD_SOURCES] == OLD_SOURCES
    assert set(used) <= set(kt.sources()["id"])


def test_sources_used_add_the_russian_area_sources_only() -> None:
    # sources added to the shown timeline rows since the old list was fixed are listed too
    shown_events = kt.records.sources_of("timeline", content.lesson(explore.LESSON).get("records.events"))
    extra = [s for s in explore.sources_used() if s not in OLD_SOURCES and s not in shown_events]
    # the facts table and the cards show Russian-source areas: their sources belong in the list
    assert extra == ["ruwiki_iturup", "fotoru_iturup", "deliciously_kunashir", "bewiki_kunashir",
                     "komanda_k_shikotan", "ruwiki_tanfilyeva", "ruwiki_yuriy", "ruwiki_yuriy_old",
                     "ruwiki_anuchina", "ruwiki_zelyony_old", "gustur_zelyony", "ruwiki_polonskogo_old"]
    # coordinates are not shown, so their sources are not listed
    assert "frwiki_kurilsk" not in explore.sources_used()
    added = [s for s in shown_events if s not in OLD_SOURCES]
    assert len(kt.source_list(explore.sources_used())) == len(OLD_SOURCES) + len(added) + len(extra)
