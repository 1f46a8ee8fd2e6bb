"""The scenarios lesson: provenance, figures per side, the sea picture, map, widget and exercises."""

from __future__ import annotations

import itertools
import re

import pytest
import shapely

import kuril_teaching as kt
from kuril_teaching import geo, scenarios


def share(ids: list[str]) -> float:
    return scenarios.outcome(scenarios.custom(ids)).land_share["japan"]


# --------------------------------------------------------------------------- definitions


def test_scenarios_have_sourced_provenance() -> None:
    assert list(scenarios.SCENARIOS) == ["status_quo", "declaration_1956", "two_plus_alpha",
                                         "three_islands", "equal_area", "all_four"]
    known_sources = set(kt.sources()["id"])
    known_records = (set(kt.timeline()["id"]) | set(kt.positions()["id"])
                     | set(kt.documents()["id"]))
    for s in scenarios.SCENARIOS.values():
        assert s.source_ids and set(s.source_ids) <= known_sources, s.id
        assert s.record_ids and set(s.record_ids) <= known_records, s.id
        assert s.proposed_by and s.date and s.confidence in ("high", "medium", "low")
    assert set(scenarios.sources_used()) <= known_sources


def test_records_table_cites_every_scenario() -> None:
    table = scenarios.records()
    assert set(table["scenario"]) == set(scenarios.SCENARIOS)
    assert "mori_three_islands_remark_2013" in set(table["id"])


def test_bad_ids_raise_value_error_listing_choices() -> None:
    with pytest.raises(ValueError, match="valid scenarios: status_quo"):
        scenarios.outcome("five_islands")
    with pytest.raises(ValueError, match="valid islands: habomai"):
        scenarios.custom(["urup"])
    with pytest.raises(ValueError, match="valid islands"):
        scenarios.custom(["atlantis"])
    with pytest.raises(ValueError, match="valid parts"):
        scenarios.scenario_table("air")
    with pytest.raises(ValueError):
        scenarios.custom(["etorofu", scenarios.CUT_JAPAN])


def test_custom_accepts_russian_names() -> None:
    assert scenarios.custom(["Iturup", "Shikotan"]).japan_islands == ("shikotan", "etorofu")


# --------------------------------------------------------------------------- land


def test_status_quo_gives_japan_nothing_and_all_four_everything() -> None:
    status, four = scenarios.outcome("status_quo"), scenarios.outcome("all_four")
    assert status.land_share["japan"] == 0 and status.land_km2["japan"] == 0
    assert four.land_share["japan"] == pytest.approx(1.0)
    assert four.land_km2["japan"] == pytest.approx(status.land_km2["russia"])


def test_complementary_scenarios_add_up_to_100_percent() -> None:
    islands = list(scenarios.ISLANDS)
    for n in range(len(islands) + 1):
        mine, rest = islands[:n], islands[n:]
        assert share(mine) + share(rest) == pytest.approx(1.0, abs=1e-9)
        o = scenarios.outcome(scenarios.custom(mine))
        assert o.land_share["japan"] + o.land_share["russia"] == pytest.approx(1.0)


def test_moving_an_island_moves_its_area() -> None:
    before = scenarios.outcome("declaration_1956")
    after = scenarios.outcome("three_islands")
    kunashiri = geo.area_km2(geo.geometry("kunashiri"))
    assert after.land_km2["japan"] - before.land_km2["japan"] == pytest.approx(kunashiri, rel=1e-6)
    assert before.land_km2["russia"] - after.land_km2["russia"] == pytest.approx(kunashiri, rel=1e-6)


def test_1956_share_matches_official_areas_within_2_percent() -> None:
    o = scenarios.outcome("declaration_1956")
    official = kt.share_of_disputed_area(["habomai", "shikotan"], basis="official")
    # island rows (main islands) add up to a little less than the official total with islets
    assert o.official_share["japan"] == pytest.approx(official, rel=0.002)
    assert o.land_share["japan"] == pytest.approx(official, rel=0.02)


def test_equal_division_gives_half_and_matches_lesson_04() -> None:
    o = scenarios.outcome("equal_area")
    assert o.land_share["japan"] == pytest.approx(0.5, abs=0.005)
    assert o.cut_line is not None
    from kuril_teaching import chinese_model

    assert o.land_km2["japan"] == pytest.approx(chinese_model.split_for_share(0.5)["japan_km2"],
                                                rel=1e-6)


def test_two_plus_alpha_has_the_same_land_as_1956() -> None:
    a, b = scenarios.outcome("declaration_1956"), scenarios.outcome("two_plus_alpha")
    assert a.land_km2 == b.land_km2 and a.zone_km2 == b.zone_km2


def test_coastline_adds_up_and_excludes_the_cut() -> None:
    total = scenarios.outcome("status_quo").coastline_km["russia"]
    for ident in scenarios.SCENARIOS:
        o = scenarios.outcome(ident)
        assert sum(o.coastline_km.values()) == pytest.approx(total, rel=0.005), ident
    assert 1000 < total < 1500


# --------------------------------------------------------------------------- people


def test_residents_follow_the_land() -> None:
    table = kt.islands().set_index("id")
    o = scenarios.outcome("declaration_1956")
    assert o.residents_moving == int(table.loc["shikotan", "population"])  # Habomai: nobody
    assert o.former_residents_moving == int(table.loc["shikotan", "population_1945"]) + int(
        table.loc["habomai", "population_1945"])
    four = scenarios.outcome("all_four")
    assert four.former_residents_moving == int(kt.figure("japanese_residents_1945"))
    assert scenarios.outcome("status_quo").residents_moving == 0


def test_cut_etorofu_residents_go_with_the_main_settlement() -> None:
    o = scenarios.outcome("equal_area")
    etorofu = kt.islands().set_index("id").loc["etorofu"]
    owner = "japan" if scenarios._settlement_piece() == scenarios.CUT_JAPAN else "russia"
    other = "russia" if owner == "japan" else "japan"
    three = scenarios.outcome("three_islands")
    assert o.residents[owner] == three.residents[owner] + (
        int(etorofu["population"]) if owner == "japan" else 0)
    assert o.residents[other] + o.residents[owner] == sum(three.residents.values())


# --------------------------------------------------------------------------- sea


@pytest.mark.parametrize("ident", list(scenarios.SCENARIOS))
def test_zones_are_positive_and_cover_the_window(ident: str) -> None:
    o = scenarios.outcome(ident)
    assert all(v > 0 for v in o.zone_km2.values())
    assert sum(o.zone_km2.values()) == pytest.approx(o.window_sea_km2, rel=0.01)
    assert sum(o.zone_share.values()) == pytest.approx(1.0)
    assert not o.median_line.is_empty


def test_adding_islands_never_shrinks_japans_zone() -> None:
    order = ["habomai", "shikotan", "kunashiri", "etorofu"]
    areas = [scenarios.outcome(scenarios.custom(order[:n])).zone_km2["japan"] for n in range(5)]
    assert all(b >= a * 0.999 for a, b in itertools.pairwise(areas)), areas
    assert areas[-1] > areas[0]


def test_territorial_sea_follows_the_land() -> None:
    status = scenarios.outcome("status_quo")
    assert status.territorial_sea_km2["japan"] == 0 and status.territorial_sea_km2["russia"] > 0
    belt = kt.figure("unclos_territorial_sea_limit") * geo.NAUTICAL_MILE_KM
    # the belt cannot be larger than a ring of that width around all the coast
    coast = status.coastline_km["russia"]
    assert status.territorial_sea_km2["russia"] < coast * belt


def test_median_line_is_equidistant() -> None:
    demo = scenarios.equidistance_demo()
    diff = (demo["to Japan's nearest land (km)"] - demo["to Russia's nearest land (km)"]).abs()
    assert (diff <= 3.0).all(), demo


# --------------------------------------------------------------------------- tables and map


def test_tables() -> None:
    full = scenarios.scenario_table()
    assert len(full) == len(scenarios.SCENARIOS)
    assert full.loc[0, "Japan's share (map)"] == "0.0 %"
    assert "residents today on land going to Japan" in scenarios.scenario_table("people")
    sides = scenarios.outcome_table("three_islands")
    assert list(sides.columns) == ["Japan", "Russia", "note"]
    assert "Kunashiri" in sides.loc["Islands", "Japan"]
    assert len(scenarios.provenance_table()) == 6
    people = scenarios.people_table()
    assert people["residents today"].sum() == 18299
    assert "<table" in scenarios.show(people)._repr_html_()
    with pytest.raises(ValueError):
        scenarios.show("not a table")  # type: ignore[arg-type]


@pytest.mark.parametrize("ident", list(scenarios.SCENARIOS))
def test_map_is_light_offline_and_complete(ident: str) -> None:
    page = scenarios.scenario_map(ident).get_root().render()
    assert len(page.encode()) < 300_000
    assert not re.search(r"<(?:script|link)[^>]+(?:src|href)=\"https?:", page)
    assert "Median line" in page and "Legend" in page
    assert scenarios.SCENARIOS[ident].name[-20:] in page  # the title
    assert page.count("geo_json_") >= 6


def test_map_shows_the_cut_only_when_etorofu_is_cut() -> None:
    assert "Straight cut across Etorofu" in scenarios.scenario_map("equal_area").get_root().render()
    assert "Straight cut" not in scenarios.scenario_map("all_four").get_root().render()


# --------------------------------------------------------------------------- widget and exercises


def test_explorer_callbacks_update_figures_and_map() -> None:
    box = scenarios.scenario_explorer()
    assert "Status quo" in box.figures.value and "L.map(" in box.map_output.value
    assert not any(b.value for b in box.boxes.values())
    box.picker.value = "declaration_1956"
    assert "The 1956 terms" in box.figures.value
    assert box.boxes["shikotan"].value and not box.boxes["kunashiri"].value
    box.boxes["kunashiri"].value = True
    assert box.picker.value == "custom"
    assert "Your choice" in box.figures.value and "Kunashiri" in box.figures.value
    assert "36.6 %" in box.figures.value
    box.picker.value = "equal_area"
    assert "50.0 %" in box.figures.value and "Straight cut" in box.map_output.value
    with pytest.raises(ValueError):
        scenarios.scenario_explorer("nowhere")


def test_share_1956_quiz() -> None:
    box = scenarios.share_1956_quiz()
    box.entry.value = 100 * (95 + 247.7) / 5003.1
    box.button.click()
    assert "Correct" in box.feedback.value
    box.entry.value = 50.0
    box.button.click()
    assert "too high" in box.feedback.value


def test_ranking_key_comes_from_the_figures() -> None:
    items, categories, key, reasons = scenarios.ranking_exercise()
    assert len(items) == 6 and len(categories) == 5
    letters = dict(zip(scenarios.SCENARIOS, "ABCDEF", strict=True))
    assert key[letters["status_quo"]] == "1 (least)"
    assert key[letters["declaration_1956"]] == key[letters["two_plus_alpha"]] == "2"
    assert key[letters["all_four"]] == "5 (most)"
    assert kt.check_sorting(key, key, reasons).correct
    wrong = dict(key, **{letters["all_four"]: "1 (least)"})
    feedback = kt.check_sorting(wrong, key, reasons)
    assert not feedback.correct and "100.0 %" in feedback.message
    quiz = scenarios.ranking_quiz()
    for letter, drop in quiz.dropdowns.items():
        drop.value = key[letter]
    quiz.button.click()
    assert "Correct" in quiz.feedback.value


def test_position_questions_are_grounded_in_positions() -> None:
    japan, russia, both = scenarios.position_questions()
    assert japan.answer == scenarios.SCENARIOS["all_four"].name
    assert russia.answer == scenarios.SCENARIOS["status_quo"].name
    assert both.answer == scenarios.SCENARIOS["declaration_1956"].name
    quote = kt.positions().set_index("id").loc["ru_2019_sovereignty_not_discussed", "quote"]
    assert quote in russia.why[russia.answer]
    for q in (japan, russia, both):
        assert set(q.why) == set(q.options)
        wrong = next(o for o in q.options if o != q.answer)
        assert not kt.check_choice(q, wrong).correct
    widget = scenarios.positions_quiz()
    first = widget.children[0]
    first.options.value = japan.answer
    first.button.click()
    assert "Correct" in first.feedback.value


def test_brief_prompt_is_marked_open_and_rubric_adds_up() -> None:
    assert scenarios.BRIEF_PROMPT.startswith("OPEN TASK")
    assert scenarios.brief_rubric()["points"].sum() == 10


def test_outcome_is_cached() -> None:
    assert scenarios._outcome.cache_info().maxsize >= 16
    a = scenarios.outcome("three_islands")
    b = scenarios.outcome("three_islands")
    assert a.zones is b.zones
    assert isinstance(a.land["japan"], shapely.geometry.base.BaseGeometry)


def test_sea_question_key_comes_from_the_figures() -> None:
    steps = scenarios.sea_steps()
    assert steps["land moved to Japan (km²)"].sum() == pytest.approx(
        scenarios.outcome("all_four").land_km2["japan"], abs=3)
    q = scenarios.sea_question()
    best = steps.set_index("step")["Japan's sea share gained (points)"].idxmax()
    assert q.answer == best and kt.check_choice(q, best).correct
