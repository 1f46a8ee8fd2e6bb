"""The scenarios lesson: catalogue and provenance, figures per side, the shipped sea picture,
tables, map, explorer widget and exercises."""

from __future__ import annotations

import itertools
import re

import nbformat
import pytest
import shapely
from conftest import NOTEBOOKS, answered, assert_offline_map, page_features

import kuril_teaching as kt
from kuril_teaching import content, editions, exercises, geo, records, scenario_geo, scenarios

IDS = ["status_quo", "declaration_1956", "two_plus_alpha", "three_islands", "equal_area", "all_four"]


def share(ids: list[str]) -> float:
    return scenarios.outcome(scenarios.custom(ids))["land_share"]["japan"]


def island(ident: str, column: str) -> int:
    return int(kt.islands().set_index("id").loc[ident, column])


# --------------------------------------------------------------------------- catalogue


def test_catalogue_comes_from_the_content_file_with_sourced_provenance() -> None:
    cat = scenarios.catalogue()
    assert list(cat) == IDS
    known_sources = set(kt.sources()["id"])
    for s in cat.values():
        assert s.source_ids and set(s.source_ids) <= known_sources, s.id
        assert s.records, s.id
        for table, ident in s.records:
            assert ident in set(records.table(table)["id"]), (s.id, ident)
        assert s.proposed_by and s.date and s.what_kind and s.confidence in ("high", "medium", "low")
    assert cat["declaration_1956"].split.islands == ("habomai", "shikotan")
    assert cat["equal_area"].split.cut == "etorofu" and cat["equal_area"].split.cut_share == 0.5
    assert cat["all_four"].split.cut is None


def test_scenario_ids_are_defined_once_and_every_reference_resolves() -> None:
    lesson = content.lesson(scenarios.LESSON)
    assert set(lesson.get("sea_steps")) <= set(IDS)
    assert set(lesson.get("exercises.ranking.hints")) == set(IDS)
    for ident in scenarios.POSITION_QUESTIONS:
        spec = lesson.get(f"exercises.{ident}")
        assert spec["answer"] in IDS and set(spec["why"]) <= set(IDS)
    source = open(scenarios.__file__, encoding="utf-8").read()
    for ident in IDS:
        assert f'"{ident}"' not in source, f"{ident} is hard-coded in the module"


def test_sources_used_cover_scenarios_records_islands_and_figures() -> None:
    used = scenarios.sources_used()
    assert len(used) == len(set(used)) and set(used) <= set(kt.sources()["id"])
    for s in scenarios.catalogue().values():
        assert set(s.source_ids) <= set(used)
    assert {"ukwiki_iturup", "mofa_northern_territories_info"} <= set(used)  # people table
    assert set(kt.row("figures", "unclos_eez_limit")["source_ids"]) <= set(used)
    assert set(kt.row("positions", "ru_2018_talks_on_1956_basis")["source_ids"]) <= set(used)


def test_record_table_cites_every_scenario() -> None:
    table = scenarios.record_table()
    assert set(table["scenario"]) == set(IDS)
    assert "mori_three_islands_remark_2013" in set(table["id"])
    article = table.set_index("id").loc["joint_declaration_1956_art9_en_un", "record"]
    assert article.startswith("Joint Declaration") and "Habomai Islands" in article
    assert table.set_index("id").loc["ru_2019_sovereignty_not_discussed", "date"] == "14 January 2019"


def test_bad_input_raises_value_error_naming_the_choices() -> None:
    with pytest.raises(ValueError, match="unknown scenario 'five_islands'; valid scenarios: status_quo"):
        scenarios.outcome("five_islands")
    with pytest.raises(ValueError, match="unknown island 'urup'; valid islands: habomai"):
        scenarios.custom(["urup"])
    with pytest.raises(ValueError, match="valid islands"):
        scenarios.custom(["atlantis"])
    with pytest.raises(ValueError, match="unknown part 'air'; valid parts: all, land, people, sea"):
        scenarios.scenario_table("air")
    with pytest.raises(ValueError, match="unknown scenario 'nowhere'"):
        scenarios.scenario_explorer("nowhere")
    with pytest.raises(ValueError, match=r"unknown exercise 'ranking_2'; valid exercises: "
                                         r"terms_1956_by_side, ranking, sea_question, position_japan, "
                                         r"position_russia, "
                                         r"position_both, brief$"):
        scenarios.exercise("ranking_2")
    splits = {i: s.split for i, s in scenarios.catalogue().items()}
    with pytest.raises(ValueError, match="5 different land shares; valid: at most 4, one per rank"):
        scenario_geo.land_ranks(splits, 4)
    unshipped = re.escape("no sea zones shipped for 'habomai+shikotan:0.3'; valid splits: none,")
    with pytest.raises(ValueError, match=unshipped):
        scenario_geo.sea(scenario_geo.Split(("habomai",), cut_share=0.3))


def test_custom_accepts_russian_names_and_orders_from_hokkaido() -> None:
    mine = scenarios.custom(["Iturup", "Shikotan"])
    assert mine.split.islands == ("shikotan", "etorofu")
    assert mine.name == "Your choice: Shikotan, Etorofu / Iturup to Japan"
    assert scenarios.custom([]).name == "Your choice: no island to Japan"


# --------------------------------------------------------------------------- land


def test_status_quo_gives_japan_nothing_and_all_four_everything() -> None:
    status, four = scenarios.outcome("status_quo"), scenarios.outcome("all_four")
    assert status["land_share"]["japan"] == 0 and status["land_km2"]["japan"] == 0
    assert four["land_share"]["japan"] == pytest.approx(1.0)
    assert four["land_km2"]["japan"] == pytest.approx(status["land_km2"]["russia"])
    assert four["land_km2"]["japan"] == pytest.approx(geo.disputed_area_km2(), rel=0.002)


def test_complementary_scenarios_add_up_to_100_percent() -> None:
    islands = list(scenario_geo.ISLANDS)
    for n in range(len(islands) + 1):
        mine, rest = islands[:n], islands[n:]
        assert share(mine) + share(rest) == pytest.approx(1.0, abs=1e-9)


def test_moving_an_island_moves_its_area() -> None:
    before, after = scenarios.outcome("declaration_1956"), scenarios.outcome("three_islands")
    kunashiri = geo.area_km2(geo.geometry("kunashiri"))
    assert after["land_km2"]["japan"] - before["land_km2"]["japan"] == pytest.approx(kunashiri, rel=1e-6)
    assert before["land_km2"]["russia"] - after["land_km2"]["russia"] == pytest.approx(kunashiri, rel=1e-6)


def test_1956_share_matches_official_areas() -> None:
    o = scenarios.outcome("declaration_1956")
    official = kt.share_of_disputed_area(["habomai", "shikotan"], basis="official")
    # the island rows add up to a little less than the official total, which counts islets
    assert o["official_share"]["japan"] == pytest.approx(official, rel=0.002)
    assert o["land_share"]["japan"] == pytest.approx(official, rel=0.02)


def test_equal_division_gives_half_and_matches_lesson_04() -> None:
    o = scenarios.outcome("equal_area")
    assert o["land_share"]["japan"] == pytest.approx(0.5, abs=1e-6)
    from kuril_teaching import chinese_model

    assert o["land_km2"]["japan"] == pytest.approx(chinese_model.split_for_share(0.5)["japan_km2"],
                                                   rel=1e-6)


def test_two_plus_alpha_has_the_same_land_and_sea_as_1956() -> None:
    assert scenarios.outcome("declaration_1956") == scenarios.outcome("two_plus_alpha")


def test_coastline_adds_up_and_excludes_the_cut() -> None:
    total = scenarios.outcome("status_quo")["coastline_km"]["russia"]
    for ident in IDS:
        assert sum(scenarios.outcome(ident)["coastline_km"].values()) == pytest.approx(total, rel=0.005)
    assert 1000 < total < 1500


# --------------------------------------------------------------------------- people


def test_residents_follow_the_land() -> None:
    o = scenarios.outcome("declaration_1956")
    assert o["residents"]["japan"] == island("shikotan", "population")  # Habomai: nobody
    assert o["residents_1945"]["japan"] == island("shikotan", "population_1945") + island(
        "habomai", "population_1945")
    assert scenarios.outcome("all_four")["residents_1945"]["japan"] == kt.figure("japanese_residents_1945")
    assert scenarios.outcome("status_quo")["residents"]["japan"] == 0


def test_cut_etorofu_residents_go_with_the_main_settlement() -> None:
    # Kurilsk lies in the north-eastern part, so all of Etorofu's residents stay on Russia's side
    o = scenarios.outcome("equal_area")
    assert o["residents"]["russia"] == island("etorofu", "population")
    assert o["residents_1945"]["russia"] == island("etorofu", "population_1945")
    three = ("habomai", "shikotan", "kunashiri")
    assert o["residents"]["japan"] == sum(island(i, "population") for i in three)


# --------------------------------------------------------------------------- sea


@pytest.mark.parametrize("ident", IDS)
def test_zones_are_positive_and_cover_the_window(ident: str) -> None:
    o, sea = scenarios.outcome(ident), scenario_geo.sea(scenarios.catalogue()[ident].split)
    assert all(v > 0 for v in o["zone_km2"].values())
    assert sum(o["zone_km2"].values()) == pytest.approx(sea["window_sea_km2"], rel=0.01)
    assert sum(o["zone_share"].values()) == pytest.approx(1.0)
    assert not sea["median_line"].is_empty


def test_every_choice_of_whole_islands_is_shipped_and_nothing_is_computed_at_run_time(monkeypatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("equidistant_zones called at run time")

    monkeypatch.setattr(geo, "equidistant_zones", refuse)
    order = list(scenario_geo.ISLANDS)
    areas = [scenarios.outcome(scenarios.custom(order[:n]))["zone_km2"]["japan"] for n in range(5)]
    assert all(b >= a * 0.999 for a, b in itertools.pairwise(areas)), areas
    assert areas[-1] > areas[0]
    for combo in itertools.chain.from_iterable(itertools.combinations(order, n) for n in range(5)):
        assert scenario_geo.sea(scenario_geo.Split(combo))["zone_km2"]["japan"] > 0
    assert "L.map(" in scenarios.scenario_map("equal_area")._repr_html_()


@pytest.mark.parametrize("ident", ["three_islands", "equal_area"])
def test_shipped_zones_match_a_fresh_computation(ident: str) -> None:
    split = scenarios.catalogue()[ident].split
    fresh, shipped = scenario_geo.fresh_sea(split), scenario_geo.sea(split)
    for side in scenario_geo.SIDES:
        for layer in ("zone", "territorial_sea"):
            assert shipped[f"{layer}_km2"][side] == pytest.approx(geo.area_km2(fresh[layer][side]), rel=0.01)
        # the display outline is the zone with the side's own land filled in, simplified
        land = shapely.intersection(shapely.union_all(
            [*(scenario_geo.land(split, p) for p in split.pieces()[side]),
             *(geo.geometry(i) for i in scenario_geo.CONTEXT[side])]), scenario_geo.window())
        drawn = geo.area_km2(shipped["display"]["zone"][side])
        assert drawn == pytest.approx(geo.area_km2(fresh["zone"][side]) + geo.area_km2(land), rel=0.01)
    assert shipped["median_line"].length == pytest.approx(fresh["median_line"].length, rel=0.01)
    # points on the median line as shipped lie within 50 m of those on a fresh line
    again = scenario_geo.fresh_median_points(split, fresh["median_line"])
    assert len(again) == len(scenario_geo.MEDIAN_FRACTIONS) == len(scenario_geo.median_points(split))
    for old, new in zip(scenario_geo.median_points(split), again, strict=True):
        moved = geo.distance_km(shapely.Point(old["lon"], old["lat"]), shapely.Point(new["lon"], new["lat"]))
        assert moved < 0.05
        assert old["japan"] == pytest.approx(new["japan"], abs=0.1)
        assert old["russia"] == pytest.approx(new["russia"], abs=0.1)


SPLITS = [*IDS, ("kunashiri",), ("shikotan", "etorofu"), ("habomai", "kunashiri", "etorofu")]


@pytest.mark.parametrize("chosen", SPLITS, ids=str)
def test_shipped_land_coast_and_people_match_a_fresh_computation(chosen: str | tuple[str, ...]) -> None:
    scenario = scenarios.custom(chosen) if isinstance(chosen, tuple) else scenarios.catalogue()[chosen]
    fresh, shipped = scenario_geo.fresh_figures(scenario.split), scenarios.outcome(scenario)
    for side in scenario_geo.SIDES:  # shipped: land to 0.001 km², coast to 0.1 km, people whole
        assert shipped["land_km2"][side] == pytest.approx(fresh["land_km2"][side], abs=5.1e-4)
        assert shipped["official_km2"][side] == pytest.approx(fresh["official_km2"][side], abs=5.1e-4)
        assert shipped["coastline_km"][side] == pytest.approx(fresh["coastline_km"][side], abs=0.051)
        for m in ("residents", "residents_1945"):
            assert shipped[m][side] == fresh[m][side]


def test_equidistance_demo_shows_the_shipped_points_of_a_fresh_computation() -> None:
    split = scenarios.catalogue()["status_quo"].split
    fresh = scenario_geo.fresh_median_points(split, scenario_geo.sea(split)["median_line"])
    demo = scenarios.equidistance_demo()
    assert demo["point on the line"].tolist() == [f"{p['lat']:.2f}° N, {p['lon']:.2f}° E" for p in fresh]
    for side in scenario_geo.SIDES:
        column = f"to {side.capitalize()}'s nearest land (km)"
        assert demo[column].tolist() == pytest.approx([p[side] for p in fresh], abs=0.051)


def test_tables_exercises_and_demo_measure_nothing_at_run_time(monkeypatch) -> None:
    scenario_geo.figures.cache_clear()
    etorofu = f"{island('etorofu', 'population'):,}"  # the islands table, read before the guard
    for name in ("geometry", "area_km2", "project", "distance_km"):
        monkeypatch.setattr(geo, name, lambda *_a, _n=name, **_k: pytest.fail(f"geo.{_n} called at run time"))
    assert len(scenarios.scenario_table()) == len(IDS) and len(scenarios.equidistance_demo()) == 5
    residents = scenarios.outcome_table("equal_area").loc["Residents today", "Russia"]
    assert residents == etorofu
    for ident in ("ranking", "sea_question"):
        scenarios.exercise(ident)
    assert scenarios.outcome(scenarios.custom(["kunashiri"]))["coastline_km"]["japan"] > 0


def test_territorial_sea_follows_the_land() -> None:
    status = scenarios.outcome("status_quo")
    assert status["territorial_sea_km2"]["japan"] == 0 and status["territorial_sea_km2"]["russia"] > 0
    belt = kt.figure("unclos_territorial_sea_limit") * geo.NAUTICAL_MILE_KM
    # the belt cannot be larger than a ring of that width around all the coast
    assert status["territorial_sea_km2"]["russia"] < status["coastline_km"]["russia"] * belt


def test_median_line_is_equidistant() -> None:
    demo = scenarios.equidistance_demo()
    assert len(demo) == 5 and re.fullmatch(r"\d\d\.\d\d° N, \d{3}\.\d\d° E", demo.iloc[0, 0])
    diff = (demo["to Japan's nearest land (km)"] - demo["to Russia's nearest land (km)"]).abs()
    assert (diff <= 3.0).all(), demo


# --------------------------------------------------------------------------- tables and map


def test_tables() -> None:
    full = scenarios.scenario_table()
    assert len(full) == len(IDS) and full.shape[1] == 1 + 6 + 3 + 4
    assert full.loc[0, "Japan's share (map)"] == "0.0 %"
    assert full.loc[3, "Japan's share (map)"] == "36.6 %"
    assert full.loc[1, "residents today on land going to Japan"] == island("shikotan", "population")
    assert list(scenarios.scenario_table("people").columns) == [
        "scenario", "residents today on land going to Japan", "residents today on land staying Russian",
        "Japanese residents of 1945 of land going to Japan"]
    sides = scenarios.outcome_table("three_islands")
    assert list(sides.columns) == ["Japan", "Russia", "note"] and sides.index.name == "measure"
    assert sides.loc["Islands", "Japan"] == "Habomai Islands / Khabomai, Shikotan, Kunashiri / Kunashir"
    assert sides.loc["Share of the land (map)", "Japan"] == "36.6 %"
    cut = scenarios.outcome_table("equal_area")
    assert "Etorofu / Iturup, south-western part" in cut.loc["Islands", "Japan"]
    assert "Kurilsk" in cut.loc["Residents today", "note"]
    provenance = scenarios.provenance_table()
    assert len(provenance) == 6 and provenance.loc[0, "land to Japan"] == "none"
    assert provenance.loc[1, "date"] == "19 October 1956"
    compact = scenarios.provenance_table(compact=True)
    assert list(compact.columns) == ["scenario", "land to Japan", "what kind", "date"]
    assert list(compact["scenario"]) == [s.short for s in scenarios.catalogue().values()]
    assert list(compact["what kind"]) == list(provenance["what kind"])
    people = scenarios.people_table()
    assert people["residents today"].sum() == 18299
    assert "<table" in kt.show(people)._repr_html_()
    assert scenarios.brief_rubric()["points"].sum() == 10


@pytest.mark.parametrize("ident", IDS)
def test_map_is_light_offline_and_complete(ident: str) -> None:
    page = scenarios.scenario_map(ident).get_root().render()
    assert_offline_map(page)
    assert "Median line" in page and "Legend" in page and 'pane: "kt_sea"' in page
    assert scenarios.catalogue()[ident].name[-20:] in page  # the title
    assert len(page_features(page)) >= 6


def test_map_tooltips_give_the_figures_and_the_cut_only_when_etorofu_is_cut() -> None:
    page = scenarios.scenario_map("equal_area").get_root().render()
    assert "Straight cut across Etorofu" in page
    assert f"{scenarios.outcome('equal_area')['zone_km2']['japan']:,.0f} km²" in page
    assert "Straight cut" not in scenarios.scenario_map("all_four").get_root().render()


# --------------------------------------------------------------------------- widget and exercises


def test_explorer_callbacks_update_figures_and_map() -> None:
    box = scenarios.scenario_explorer()
    assert box.children[0] is box.picker and box.children[2] is box.view
    assert "Status quo" in box.view.value and "L.map(" in box.view.value
    assert not any(b.value for b in box.boxes.values())
    box.picker.value = "declaration_1956"
    assert "The 1956 terms" in box.view.value and "19 October 1956" in box.view.value
    assert [i for i, b in box.boxes.items() if b.value] == ["habomai", "shikotan"]
    assert box.picker.value == "declaration_1956"  # ticking the scenario's own boxes is no choice
    box.boxes["kunashiri"].value = True
    assert box.picker.value == "custom"
    assert "Your choice: Habomai Islands / Khabomai, Shikotan, Kunashiri / Kunashir" in box.view.value
    assert "36.6 %" in box.view.value
    box.boxes["habomai"].value = False  # in your own choice every tick redraws
    assert "Your choice: Shikotan, Kunashiri / Kunashir to Japan" in box.view.value
    box.picker.value = "equal_area"
    assert "50.0 %" in box.view.value and "Straight cut" in box.view.value
    assert box.boxes["etorofu"].value and "Etorofu is cut in this scenario" in box.view.value
    assert box.picker.value == "equal_area"
    box.picker.value = "status_quo"
    assert not any(b.value for b in box.boxes.values()) and box.picker.value == "status_quo"
    assert "Etorofu is cut" not in box.view.value


def _by_side(to_japan: list[str]) -> object:
    """The four islands' official areas, residents and 1945 residents added up per side."""
    four = kt.islands(group="disputed").query("parent == ''").copy()
    four["side"] = four["id"].map(lambda i: "Japan" if i in to_japan else "Russia")
    return four.groupby("side")[["area_km2_official", "population", "population_1945"]].sum()


def test_code_task_matches_the_lessons_own_figures() -> None:
    task = scenarios.exercise("terms_1956_by_side")
    assert exercises.find_task("terms_1956_by_side") == task
    expected = exercises.expected(task).reset_index().set_index("side")
    terms = scenarios.outcome("declaration_1956")
    japan = expected.loc["Japan"]
    assert japan["land_pct"] == pytest.approx(100 * terms["official_share"]["japan"], abs=0.01)
    assert japan["area_km2_official"] == pytest.approx(terms["official_km2"]["japan"], abs=0.1)
    assert expected.loc["Japan", "population"] == terms["residents"]["japan"]
    assert expected.loc["Russia", "population_1945"] == terms["residents_1945"]["russia"]
    assert f"about {expected.loc['Japan', 'land_pct']:.1f} %" in task.explanation
    assert f"{expected.loc['Japan', 'population_1945']:,}" in task.explanation
    assert set(task.columns) <= set(expected.columns) and task.key == "side"


def test_code_task_right_wrong_and_empty() -> None:
    ident = "terms_1956_by_side"
    mine = _by_side(["habomai", "shikotan"])  # written independently of the solution
    mine["land_pct"] = mine["area_km2_official"] / mine["area_km2_official"].sum() * 100
    right = kt.check_code(ident, mine)
    assert right.correct and "Going further" in right.message
    empty = kt.check_code(ident, ...)
    assert not empty.correct and empty.message.startswith("Not answered yet")
    fraction = mine.assign(land_pct=mine["land_pct"] / 100)  # forgot * 100
    wrong = kt.check_code(ident, fraction)
    assert not wrong.correct and "100 times too small" in wrong.message
    three = _by_side(["habomai", "shikotan", "kunashiri"])  # another scenario's list
    three["land_pct"] = three["area_km2_official"] / three["area_km2_official"].sum() * 100
    wrong = kt.check_code(ident, three)
    assert "column area_km2_official is not: for Japan it is 1832.0" in wrong.message
    by_island = _by_side(["habomai", "shikotan"]).rename_axis("id")  # grouped by the wrong column
    assert "no column side" in kt.check_code(ident, by_island).message
    assert "Hint:" in kt.check_code(ident, by_island).message  # a repeated wrong check brings the hint


def test_teacher_edition_runs_the_solution_and_its_checks(tmp_path) -> None:
    path = NOTEBOOKS / f"{scenarios.LESSON}.ipynb"
    student = nbformat.read(path, as_version=4)
    assert "by_side = ...\n" in next(c.source + "\n" for c in student.cells if c.get("id") == "c020b")
    teacher = editions.build("teacher", student, path.name)
    assert [c.id for c in teacher.cells if "solution" in c.metadata.get("tags", [])] == [
        "c020d", "c033a", "c041", "c044c", "c037", "c041b", "c044"]
    from nbclient import NotebookClient

    NotebookClient(teacher, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    out = {c.id: c for c in teacher.cells}
    errors = [o for c in teacher.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors, errors[:1]
    check = out["c020c"].outputs[0]["data"]["text/html"]
    assert "expected result" in check
    printed = "".join(o.get("text", "") for o in out["c020d"].outputs)
    assert "Japan's share, official areas of the four islands: 6.86 %" in printed


def test_answer_cells_follow_the_open_tasks_and_the_homework_is_marked() -> None:
    nb = nbformat.read(NOTEBOOKS / f"{scenarios.LESSON}.ipynb", as_version=4)
    ids = [c.id for c in nb.cells]
    answers = {c.metadata["kuril_teaching"]["exercise"]: ids.index(c.id) for c in nb.cells
               if "answer" in c.metadata.get("tags", [])}
    assert set(answers) == {"exit_ticket", "brief"}
    assert ids[answers["brief"] - 1] == "c043"  # the brief's widget, then where to write it
    headings = [c.source.splitlines()[0] for c in nb.cells if c.source.startswith("## ")]
    assert headings.index("## Exit ticket") + 1 == headings.index("## Key points")
    homework = next(h for h in headings if h.startswith("## Homework"))
    assert "not class time" in homework
    for ident in ("sea_question", "position_both", "brief"):  # every homework task sits below it
        cell = next(n for n, c in enumerate(nb.cells) if f'exercise("{ident}")' in c.source)
        assert cell > ids.index("c042")
    teacher = {t["id"]: t for t in content.lesson(scenarios.LESSON).get("teacher")}
    assert teacher["c044c"]["after"] == "c044b" and "Article 74" in teacher["c044c"]["source"]


def test_land_ranks_give_equal_land_one_rank_and_touched_islands_include_the_cut() -> None:
    cat = scenarios.catalogue()
    ranked = scenario_geo.land_ranks({i: s.split for i, s in cat.items()}, 5)
    assert ranked == {"status_quo": (0.0, 0), "declaration_1956": (0.068, 1), "two_plus_alpha": (0.068, 1),
                      "three_islands": (0.366, 2), "equal_area": (0.5, 3), "all_four": (1.0, 4)}
    assert cat["equal_area"].split.touched == ("habomai", "shikotan", "kunashiri", "etorofu")
    assert cat["three_islands"].split.touched == ("habomai", "shikotan", "kunashiri")
    assert cat["status_quo"].split.touched == ()


def test_ranking_key_comes_from_the_figures() -> None:
    ex = scenarios.exercise("ranking")
    letter = dict(zip(IDS, "ABCDEF", strict=True))
    assert ex.items[letter["three_islands"]] == scenarios.catalogue()["three_islands"].name
    assert ex.key[letter["status_quo"]] == "1 (least)"
    assert ex.key[letter["declaration_1956"]] == ex.key[letter["two_plus_alpha"]] == "2"
    assert ex.key[letter["three_islands"]] == "3" and ex.key[letter["equal_area"]] == "4"
    assert ex.key[letter["all_four"]] == "5 (most)"
    assert exercises.check(ex, dict(ex.key)).correct
    assert set(ex.hints) == set(ex.items)
    for item, hint in ex.hints.items():  # a nudge, never the rank
        assert not any(rank in hint for rank in ex.categories if rank[0] in "15"), hint
        assert ex.key[item] not in hint
    wrong = dict(ex.key, **{letter["all_four"]: "1 (least)"})
    first = exercises.check(ex, wrong).message  # how many, which one with its nudge; no rank
    assert first == f"5 of 6 right. 1 not yet right: F: {ex.hints['F']}"
    assert not exercises.check(ex, wrong).correct and "5 (most)" not in first
    second = exercises.check(ex, wrong, tries=1).message
    assert "Hint:" in second and "Japan's share (map)" in second and "100.0 %" not in second
    feedback = exercises.check(ex, wrong, tries=2)
    assert not feedback.correct and "Hint:" not in feedback.message
    assert "F → 5 (most) (Japan would hold 100.0 % of the land, so it ranks 5 (most))" in feedback.message
    with pytest.raises(ValueError, match="valid categories"):
        exercises.check(ex, {letter["all_four"]: "6"})
    box = kt.widget(ex)
    for item, drop in box.answer.items():
        drop.value = wrong[item]
    box.button.click()
    box.button.click()
    assert "Hint:" in box.feedback.value and "✔" not in box.feedback.value
    box.button.click()
    assert "Japan would hold 100.0 % of the land" in box.feedback.value
    for item, drop in box.answer.items():
        drop.value = ex.key[item]
    box.button.click()
    assert "✔" in box.feedback.value


def test_sea_question_key_comes_from_the_figures() -> None:
    steps = scenarios.sea_steps()
    assert steps["land moved to Japan (km²)"].sum() == pytest.approx(
        scenarios.outcome("all_four")["land_km2"]["japan"], abs=3)
    q = scenarios.exercise("sea_question")
    assert q.answer == "status quo → 1956 terms" == steps.iloc[0]["step"]
    assert q.options == tuple(steps["step"])
    assert exercises.check(q, q.answer).correct and q.why[q.answer].startswith("Yes")
    assert q.why[q.answer] == ("Yes: this step moves 342 km² of land and 16.1 percentage points of "
                               "the sea to Japan.")
    other = exercises.check(q, "1956 terms → three islands").message
    assert other.startswith("Not the most: this step moves 1,489 km² of land and 2.5 percentage")
    assert q.answer not in other and "16.1" not in other  # a wrong pick does not give the answer
    with pytest.raises(ValueError, match="valid choices"):
        exercises.check(q, "from nowhere")
    box = answered(q, q.answer)
    assert "✔" in box.feedback.value


def test_position_questions_are_grounded_in_positions() -> None:
    japan, russia, both = (scenarios.exercise(i) for i in scenarios.POSITION_QUESTIONS)
    cat = scenarios.catalogue()
    assert japan.answer == cat["all_four"].name
    # 14 January 2019: Lavrov reaffirmed work on the 1956 basis, beginning with recognition of Russian
    # sovereignty; the status quo's feedback quotes his "not subject to discussion" of the same day.
    assert russia.answer == cat["declaration_1956"].name
    assert both.answer == cat["declaration_1956"].name
    assert kt.row("positions", "ru_2019_recognise_wwii_outcome")["quote"] in russia.why[russia.answer]
    assert "(14 January 2019)" in russia.why[russia.answer]
    status = russia.why[cat["status_quo"].name]
    assert status.startswith("Not on that day.")
    assert kt.row("positions", "ru_2019_sovereignty_not_discussed")["quote"] in status
    assert kt.row("positions", "ru_2023_no_territorial_dispute")["quote"] in status
    assert "Kremlin" in both.why[both.answer]
    for q in (japan, russia, both):
        assert set(q.why) == set(q.options) == {s.name for s in cat.values()}
        wrong = next(o for o in q.options if o != q.answer)
        assert not exercises.check(q, wrong).correct
        for option in q.options:  # the feedback on a wrong option does not name the answer
            if option != q.answer:
                words = q.why[option].lower()
                assert q.answer.lower() not in words and "four-island" not in words, (q.id, option)
    assert "1956" not in russia.why[cat["status_quo"].name].replace("2019", "")
    assert "two islands" not in both.why[cat["all_four"].name]
    box = answered(japan, japan.answer)
    assert "✔" in box.feedback.value


def test_brief_is_an_open_task_with_a_checklist_and_rubric() -> None:
    ex = scenarios.exercise("brief")
    assert ex.prompt.startswith("OPEN TASK") and len(ex.checklist) == 6
    assert sum(points for _, points in ex.rubric) == 10
    assert exercises.check(ex, [True] * 6).correct
    partial = exercises.check(ex, [True] * 5 + [False])
    assert not partial.correct and "5 of 6" in partial.message
    with pytest.raises(ValueError, match="expected 6 ticks"):
        exercises.check(ex, [True])
    box = kt.widget(ex)
    for tick in box.answer:
        tick.value = True
    assert "✔" in box.feedback.value
