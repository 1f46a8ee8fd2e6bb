"""The history lesson in two parts: periods and events, who held what, computed lines, maps, widgets,
exercises (each found in the part that defines it), sources per part, the two notebooks."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import nbformat
import pytest
import shapely
import shapely.ops
from conftest import answered, assert_offline_map, page_features

import kuril_teaching as kt
from kuril_teaching import editions, history

LESSON = kt.lesson("01_history")
PART_2 = kt.lesson("01_history_1905_2023")
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "01_history.ipynb"
NOTEBOOK_2 = NOTEBOOK.with_name("01_history_1905_2023.ipynb")
CORRECT = "✔ Correct"
PERIODS = {"Before 1855": (1600, 1854), "1855-1904: two treaties": (1855, 1904),
           "1905-1945: war and occupation": (1905, 1945), "1946-1956": (1946, 1956),
           "1957-1991": (1957, 1991), "1992-2023": (1992, 2023)}

# --------------------------------------------------------------------------- events


def test_periods_come_from_the_content_file() -> None:
    assert history.periods() == PERIODS


def test_events_by_period_stay_in_the_period() -> None:
    total = 0
    for name, (first, last) in PERIODS.items():
        frame = history.events(name)
        assert frame["year"].between(first, last).all(), name
        total += len(frame)
    assert total == len(history.events()) == len(kt.timeline(topic="kuril"))
    assert history.events("All periods", "All kinds").equals(history.events())


def test_events_match_the_timeline() -> None:
    frame = history.events("1855-1904: two treaties", kinds="treaty")
    assert list(frame["id"]) == ["treaty_of_shimoda_1855", "treaty_of_st_petersburg_1875"]
    assert frame.loc[0, "date"] == "1855-02-07"
    timeline = kt.timeline(topic="kuril").set_index("id")
    assert frame.loc[1, "summary"] == timeline.loc["treaty_of_st_petersburg_1875", "summary"]
    early = history.events("Before 1855")
    assert {"shoho_map_1644", "russian_exploration_1711_1713", "mogami_tokunai_survey_1785_1786",
            "kondo_juzo_marker_1798"} <= set(early["id"])
    chosen = history.events(kinds=["treaty", "declaration"])
    assert set(chosen["kind"]) == {"treaty", "declaration"}


def test_events_bad_input() -> None:
    with pytest.raises(ValueError, match=r"unknown period '1800s'; valid periods: All periods, "
                                         r"Before 1855, .*1992-2023"):
        history.events("1800s")
    with pytest.raises(ValueError, match=r"unknown kind 'war'.*treaty.*declaration"):
        history.events(kinds="war")


def test_events_table_lists_dates_and_sources() -> None:
    page = kt.events(history.events("1855-1904: two treaties")).text
    assert page.count("<tr>") == 2 + 1
    assert "7 February 1855" in page and "shimoda_treaty_en_repost" in page
    assert "Sakhalin/Karafuto" in page


def test_timeline_explorer_redraws_on_change() -> None:
    box = history.timeline_explorer()
    assert box.period.value == "All periods" and box.kind.value == "All kinds"
    assert f"{len(history.events())} events" in box.table.value
    box.period.value = "Before 1855"
    assert f"<b>{len(history.events('Before 1855'))} events" in box.table.value
    assert "Shoho" in box.table.value and "Portsmouth" not in box.table.value
    box.kind.value = "statement"
    assert "<b>1 event</b>" in box.table.value
    assert "Mulovsky" in box.table.value and "Shoho" not in box.table.value
    box.period.value, box.kind.value = "1992-2023", "All kinds"
    assert "Irkutsk" in box.table.value
    box.period.value, box.kind.value = "Before 1855", "treaty"
    assert "No events match this choice." in box.table.value


# --------------------------------------------------------------------------- holders


def test_holders_1855_to_1874() -> None:
    for year in (1855, 1874):
        held = history.holders(year)
        assert list(held) == list(history.FEATURES)
        assert {held[i] for i in ("etorofu", "kunashiri", "shikotan", "habomai")} == {"japan"}
        assert held["urup"] == held["kuril_north"] == "russia"
        assert held["sakhalin_south"] == held["sakhalin_north"] == "undivided"


def test_holders_1875_to_1904() -> None:
    for year in (1875, 1904):
        held = history.holders(year)
        assert held["urup"] == held["kuril_north"] == held["etorofu"] == "japan"
        assert held["sakhalin_south"] == held["sakhalin_north"] == "russia"
        assert held["kamchatka_south"] == "russia"


def test_holders_1905_to_1944() -> None:
    held = history.holders(1905)
    assert held["sakhalin_south"] == "japan" and held["sakhalin_north"] == "russia"
    assert history.holders(1944) == held


def test_holders_1945_to_2023() -> None:
    for year in (1945, 1951, 1956, 1991, 2023):
        held = history.holders(year)
        assert {held[i] for i in ("etorofu", "kunashiri", "shikotan", "habomai")} == {"disputed"}
        assert held["urup"] == held["kuril_north"] == held["sakhalin_south"] == "russia"
        assert held["hokkaido_east"] == held["hokkaido_west"] == "japan"


def test_holders_bad_year() -> None:
    with pytest.raises(ValueError, match=r"year 1854 is out of range; valid years: 1855\.\.2023"):
        history.holders(1854)
    with pytest.raises(ValueError, match=r"year '1900' is out of range"):
        history.holders("1900")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="out of range"):
        history.treaty_lines(2024)


def test_status_labels_follow_the_year() -> None:
    # No USSR before 1922 or after 1991: the label says who held the land at the time.
    assert history.status_label("russia", 1855) == "Held by the Russian Empire"
    assert history.status_label("russia", 1916) == "Held by the Russian Empire"
    assert history.status_label("russia", 1917) == "Held by Russia"
    assert history.status_label("russia", 1921) == "Held by Russia"
    assert history.status_label("russia", 1922) == "Held by the USSR"
    assert history.status_label("russia", 1951) == "Held by the USSR"
    assert history.status_label("russia", 1991) == "Held by the USSR"
    assert history.status_label("russia", 1992) == "Held by Russia"
    assert "then Russia" not in history.status_label("disputed", 1951)
    assert history.status_label("disputed", 2023) == ("Occupied by the USSR in 1945, held by it and "
                                                      "then Russia; claimed by Japan")
    assert history.status_label("japan", 1999) == "Held by Japan"
    with pytest.raises(ValueError, match=r"unknown holder 'china'; valid holders: japan, russia"):
        history.status_label("china", 1900)


def test_holders_table_is_the_map_in_words() -> None:
    frame = history.holders_table(1855)
    assert list(frame.columns) == ["Land", "Japanese", "Russian", "end of 1855"]
    rows = frame.set_index("Land")
    assert rows.loc["Uruppu / Urup", "end of 1855"] == "Held by the Russian Empire"
    assert rows.loc["Uruppu / Urup", "Japanese"] == "得撫島"
    assert rows.loc["Etorofu / Iturup", "Russian"] == "Итуруп"
    assert rows.loc["Sakhalin south of 50° N", "end of 1855"].startswith("Not divided")
    assert "Held by the USSR" in set(history.holders_table(1951)["end of 1951"])


def test_changes() -> None:
    assert set(history.changes(1875)["feature"]) == {"urup", "kuril_north", "sakhalin_south",
                                                      "sakhalin_north"}
    assert list(history.changes(1905)["feature"]) == ["sakhalin_south"]
    assert set(history.changes(1945)["feature"]) == {"etorofu", "kunashiri", "shikotan", "habomai",
                                                      "urup", "kuril_north", "sakhalin_south"}
    assert history.changes(1951).empty
    first = history.changes(1855)
    assert len(first) == len(history.FEATURES) and set(first["before"]) == {""}
    assert history.changes(1875).set_index("feature").loc["urup", "name"] == "Uruppu / Urup (得撫島 / Уруп)"


def test_landings_come_from_the_island_table() -> None:
    frame = history.landings()
    assert list(frame.columns) == ["Island", "Soviet landing", "Japanese residents, 15 August 1945",
                                   "Source of the residents figure"]
    dates = dict(zip(frame["Island"].str.split(" ").str[0], frame["Soviet landing"], strict=True))
    assert dates == {"Etorofu": "28 August 1945", "Kunashiri": "1 September 1945",
                     "Shikotan": "1 September 1945", "Habomai": "3 September 1945"}
    assert list(frame["Island"].str.split(" ").str[0]) == ["Etorofu", "Kunashiri", "Shikotan", "Habomai"]
    table = kt.data.islands_table().set_index("id")
    assert frame["Japanese residents, 15 August 1945"].sum() == sum(
        table.loc[i, "population_1945"] for i in ("etorofu", "kunashiri", "shikotan", "habomai"))


def test_area_to_japan() -> None:
    gained = kt.area_km2(shapely.union(kt.geometry("urup"), kt.geometry("kuril_north")))
    assert history.area_to_japan_km2(1875) == pytest.approx(gained)
    assert history.area_to_japan_km2(1905) == pytest.approx(kt.area_km2(kt.geometry("sakhalin_south")))
    assert history.area_to_japan_km2(1951) == 0.0


# --------------------------------------------------------------------------- lines


def test_line_1855_runs_through_the_strait() -> None:
    line = history.line(1855)
    etorofu, urup = kt.geometry("etorofu"), kt.geometry("urup")
    assert not line.is_empty and not line.intersects(etorofu) and not line.intersects(urup)
    # every point of the line is (nearly) as far from Etorofu as from Urup
    for point in shapely.points(shapely.get_coordinates(line))[::5]:
        da, db = kt.distance_km(point, etorofu), kt.distance_km(point, urup)
        assert da == pytest.approx(db, abs=1.5)
    a, b = shapely.ops.nearest_points(etorofu, urup)
    assert line.intersects(shapely.LineString([a, b]).buffer(0.01))
    assert kt.distance_km("etorofu", "urup") == pytest.approx(40, abs=5)


def test_line_1875_runs_through_the_shumshu_strait() -> None:
    line = history.line(1875)
    north, kamchatka = kt.geometry("kuril_north"), kt.geometry("kamchatka_south")
    assert not line.is_empty and not line.intersects(north) and not line.intersects(kamchatka)
    a, b = shapely.ops.nearest_points(north, kamchatka)
    assert line.intersects(shapely.LineString([a, b]).buffer(0.01))
    assert shapely.length(line) < 1.5  # kept to the strait, in degrees


def test_line_1905_is_the_50th_parallel_across_sakhalin() -> None:
    line = history.line(1905)
    assert {round(y, 9) for _, y in shapely.get_coordinates(line)} == {50.0}
    island = shapely.union(kt.geometry("sakhalin_south"), kt.geometry("sakhalin_north"))
    minx, _, maxx, _ = line.bounds
    assert island.bounds[0] - 0.1 <= minx and maxx <= island.bounds[2] + 0.1
    assert line.intersects(island)
    with pytest.raises(ValueError, match=r"unknown treaty year 1945; valid treaty years: .*1855"):
        history.line(1945)


def test_treaty_lines_by_year() -> None:
    def labels(year: int) -> list[str]:
        return [label.split(" ")[0] for _, label in history.treaty_lines(year)]

    assert labels(1855) == labels(1874) == ["1855"]
    assert labels(1875) == labels(1904) == ["1875"]
    assert labels(1905) == labels(1944) == ["1875", "1905"]
    assert labels(1945) == labels(2023) == ["The"]
    assert history.treaty_lines(1951)[0][0].equals(history.line(1855))


# --------------------------------------------------------------------------- maps and captions


def _render(year: int) -> str:
    return history.history_map(year).get_root().render()


@pytest.mark.parametrize("year", (1855, 1875, 1905, 1945, 1951))
def test_history_map_draws_every_feature_and_lines(year: int) -> None:
    page = _render(year)
    assert_offline_map(page)
    layers = len(page_features(page))
    assert layers == len(history.FEATURES) + len(history.treaty_lines(year))
    assert f"Who held what at the end of {year}" in page
    assert "択捉島" in page and "Итуруп" in page


def test_history_map_legend_and_tooltips_follow_holders() -> None:
    page = _render(1855)
    assert "Not divided: no boundary drawn (1855 treaty)" in page
    assert "1855 boundary between Etorofu and Urup" in page
    assert "Uruppu / Urup (得撫島 / Уруп): Held by the Russian Empire" in page
    assert "USSR" not in page  # no USSR in 1855
    assert "Treaty of Shimoda) (7 February 1855)" in page  # the subtitle, dated
    later = _render(1945)
    assert "Soviet landing: 28 August 1945" in later and "End of 1945: Held by the USSR" in later
    assert "claimed by Japan" in later and "Not divided" not in later
    assert "The 1855 line (schematic)" in later
    assert "Soviet landing" not in _render(1905)


def test_border_caption() -> None:
    text = history.border_caption(1945)
    for day in ("28 August 1945", "1 September 1945", "3 September 1945"):
        assert day in text
    assert "5 September" in text  # occupation completed, from the timeline summary
    assert "Yalta" in text and "para. 3" in text
    assert "<td>Uruppu / Urup</td><td>Held by Japan</td><td>Held by the USSR</td>" in text
    quiet = history.border_caption(1951)
    assert "nothing: who held what was the same at the end of 1950" in quiet
    assert "did not sign" in quiet and "Article 2(c)" in quiet
    assert "Article IX" in history.border_caption(1905)
    first = history.border_caption(1855)
    assert "<td>Uruppu / Urup</td><td>no treaty boundary</td><td>Held by the Russian Empire</td>" in first
    with pytest.raises(ValueError, match=r"unknown key year 1900; valid key years: 1855, 1875, "
                                         r"1905, 1945, 1951"):
        history.border_caption(1900)


def test_key_years() -> None:
    assert history.key_years() == history.KEY_YEARS == (1855, 1875, 1905, 1945, 1951)
    with pytest.raises(AttributeError, match="no attribute 'PERIODS'"):
        _ = history.PERIODS


def test_border_explorer_redraws_map_and_caption() -> None:
    box = history.border_explorer()
    assert [value for _label, value in box.year.options] == [1855, 1875, 1905, 1945, 1951]
    assert "end of 1855" in box.map.value and "Shimoda" in box.caption.value
    box.year.value = 1905
    assert "end of 1905" in box.map.value and "Portsmouth" in box.caption.value
    assert "end of 1855" not in box.map.value
    assert box.caption.value == history.border_caption(1905)
    box.year.value = 1951
    assert "San Francisco" in box.caption.value


# --------------------------------------------------------------------------- exercises


def test_strait_quiz() -> None:
    quiz = history.exercise("strait_quiz")
    gap = round(kt.distance_km("etorofu", "urup"), 1)
    assert quiz.expected == gap and quiz.unit == "km"
    assert kt.check(quiz, gap).correct
    assert not kt.check(quiz, gap * 1.1).correct
    box = answered(quiz, 120)
    assert "too high" in box.feedback.value and "nearest points" not in box.feedback.value
    box.button.click()  # a second wrong try brings the hint
    assert "nearest points" in box.feedback.value
    box.answer.value = gap
    box.button.click()
    assert CORRECT in box.feedback.value


def test_article_1875_quiz_checks_the_exact_words() -> None:
    quiz = history.exercise("article_1875_quiz")
    text = kt.row("documents", "st_petersburg_1875_art2_en")["text"]
    assert quiz.answer == "Uruppu" and "18) Uruppu" in text
    assert "Etorofu" not in text and "Kunashiri" not in text and "Shikotan" not in text
    wrong = kt.check(quiz, "Etorofu")
    assert not wrong.correct and "1855" in wrong.message
    with pytest.raises(ValueError, match=r"unknown choice 'Urup'; valid choices: Etorofu"):
        kt.check(quiz, "Urup")
    box = answered(quiz, "Uruppu")
    assert CORRECT in box.feedback.value and "18) Uruppu" in box.feedback.value


def test_changes_quiz_key_follows_holders() -> None:
    quiz = history.exercise("changes_quiz")
    assert quiz.prompt == "Sort each piece of land: did it change hands in 1875?"
    changed = {k for k, v in quiz.key.items() if v == "changed hands"}
    assert changed == {"Uruppu / Urup", "Kuril Islands north of Urup", "Sakhalin south of 50° N",
                       "Sakhalin north of 50° N"}
    assert len(quiz.items) == 8 and "Hokkaido, western part" not in quiz.items
    assert quiz.reasons["Uruppu / Urup"] == ("end of 1874: Held by the Russian Empire; end of 1875: "
                                            "Held by Japan")
    box = kt.widget(quiz)
    for label, drop in box.answer.items():
        drop.value = quiz.key[label]
    box.button.click()
    assert CORRECT in box.feedback.value


def test_changes_quiz_gives_the_item_hint_first_and_the_answer_after_two_tries() -> None:
    quiz = history.exercise("changes_quiz")
    hint = html.escape(quiz.hints["Etorofu / Iturup"])
    box = kt.widget(quiz)
    for label, drop in box.answer.items():
        drop.value = quiz.key[label]
    box.answer["Etorofu / Iturup"].value = "changed hands"
    box.button.click()
    assert "7 of 8 right" in box.feedback.value and hint in box.feedback.value
    assert "end of 1874" not in box.feedback.value and "did not change" not in box.feedback.value
    box.button.click()
    assert "end of 1874" not in box.feedback.value  # the reasons only after two wrong tries
    box.button.click()
    assert "Etorofu / Iturup → did not change (end of 1874: Held by Japan" in box.feedback.value


def _assert_hints_keep_the_category(quiz: object) -> None:
    """Every item has a hint, and no hint names a category: it nudges, it does not tell."""
    assert set(quiz.hints) == set(quiz.items)
    for label, hint in quiz.hints.items():
        for category in quiz.categories:
            assert category.lower() not in hint.lower(), (label, category)


def test_every_sorting_item_has_a_hint_that_does_not_give_the_category() -> None:
    _assert_hints_keep_the_category(history.exercise("changes_quiz"))
    _assert_hints_keep_the_category(history.exercise("whose_words_quiz"))


def test_code_task_land_to_japan_1875() -> None:
    task = kt.exercises.find_task("land_to_japan_1875")
    right = kt.exercises.expected(task)
    # The land whose holder became Japan in 1875, with the island table's areas from the map.
    assert set(right["feature"]) == {k for k, v in history.holders(1875).items()
                                     if v == "japan" and history.holders(1874)[k] != "japan"}
    areas = kt.islands().set_index("id")["area_km2_computed"]
    assert list(right["area_km2_computed"]) == [areas[k] for k in right["feature"]]
    assert right["area_km2_computed"].sum() == pytest.approx(history.area_to_japan_km2(1875), rel=0.001)
    result = kt.check_code("land_to_japan_1875", right.copy())
    assert result.correct and "Your code gives the expected result." in result.message


def test_code_task_land_to_japan_1875_says_what_is_wrong() -> None:
    assert kt.check_code("land_to_japan_1875", ...).message.startswith("Not answered yet")
    changed = history.changes(1875)
    joined = changed.merge(kt.islands()[["id", "area_km2_computed"]], left_on="feature", right_on="id")
    unfiltered = kt.check_code("land_to_japan_1875", joined)  # the filter forgotten
    assert not unfiltered.correct
    assert "Your table has 4 rows; the answer has 2" in unfiltered.message
    assert "sakhalin_south" in unfiltered.message and "sakhalin_north" in unfiltered.message
    to_japan = joined[joined["after"] == "japan"]
    assert "not a table" in kt.check_code("land_to_japan_1875", to_japan["area_km2_computed"]).message
    renamed = to_japan.rename(columns={"area_km2_computed": "area"})
    assert "no column area_km2_computed" in kt.check_code("land_to_japan_1875", renamed).message
    in_metres = to_japan.assign(area_km2_computed=to_japan["area_km2_computed"] * 1e6)
    message = kt.check_code("land_to_japan_1875", in_metres).message
    assert "column area_km2_computed is not" in message and "factor of a million" in message


def test_code_task_kuril_events_per_decade() -> None:
    task = kt.exercises.find_task("kuril_events_per_decade")
    right = kt.exercises.expected(task)
    # Every Kuril event after 1951, each counted once, in the decade of its year, oldest first.
    later = kt.timeline(topic="kuril")
    later = later[later["year"] > 1951]
    assert right["events"].sum() == len(later)
    assert list(right["decade"]) == sorted({y - y % 10 for y in later["year"]})
    for decade, count in zip(right["decade"], right["events"], strict=True):
        assert count == later["year"].between(decade, decade + 9).sum(), decade
    # what the explanation says: the 2010s have the most, most of them 2016-2019; none in the 1980s
    counts = right.set_index("decade")["events"]
    assert counts.idxmax() == 2010 and 1980 not in counts.index
    assert later["year"].between(2016, 2019).sum() > counts[2010] / 2
    assert "2010s have the most events" in task.explanation and "1980s" in task.explanation
    result = kt.check_code("kuril_events_per_decade", right.copy())
    assert result.correct and "Your code gives the expected result." in result.message


def test_code_task_kuril_events_per_decade_says_what_is_wrong() -> None:
    ident = "kuril_events_per_decade"
    assert kt.check_code(ident, ...).message.startswith("Not answered yet")
    events = history.events()
    every = events.assign(decade=events["year"] // 10 * 10)
    unfiltered = kt.check_code(ident, every.groupby("decade").size().reset_index(name="events"))
    assert not unfiltered.correct and "Rows that should not be there: 1640, 1710" in unfiltered.message
    later = every[every["year"] > 1951]
    by_year = kt.check_code(ident, later.groupby("year").size().reset_index(name="events"))
    assert "no column decade" in by_year.message  # grouped on the year, not the decade
    series = kt.check_code(ident, later.groupby("decade").size())
    assert "Your groups are in the index" in series.message and ".reset_index()" in series.message
    unnamed = kt.check_code(ident, later.groupby("decade").size().reset_index())
    assert "no column events" in unnamed.message
    right = later.groupby("decade").size().reset_index(name="events")
    by_count = kt.check_code(ident, right.sort_values("events", ascending=False))
    assert "not in the order asked" in by_count.message


def test_whose_words_come_from_the_data() -> None:
    quiz = history.exercise("whose_words_quiz")
    positions = kt.positions().set_index("id")
    expected = {"A": ("jp_mofa_neutrality_pact_violation", "Japan's government"),
                "B": ("ru_2018_islands_passed_legally", "Russia's government"),
                "D": ("ru_2019_sovereignty_not_discussed", "Russia's government"),
                "E": ("jp_mofa_illegal_occupation", "Japan's government")}
    for label, (ident, category) in expected.items():
        assert quiz.items[label] == f"“{positions.loc[ident, 'quote']}”"
        assert quiz.key[label] == category
    assert quiz.key["C"] == quiz.key["F"] == "Neither: the text of an agreement"
    assert quiz.items["C"] == "“The Kuril islands shall be handed over to the Soviet Union.”"
    assert quiz.reasons["B"] == ("Yuri Ushakov (Presidential aide), 5 September 2018; text: TASS's English "
                                 "translation")
    assert quiz.reasons["F"].startswith("Treaty of Peace with Japan (San Francisco, 8 September 1951), "
                                        "Article 2(c): the words of the agreement itself")
    box = kt.widget(quiz)
    for label, drop in box.answer.items():
        drop.value = quiz.key[label]
    box.button.click()
    assert CORRECT in box.feedback.value and "All 6 sorted correctly." in box.feedback.value


def test_whose_words_feedback_gives_hints_then_the_speakers() -> None:
    # As the notebook says: a hint for each wrong item at once, who said it after two wrong checks.
    quiz = history.exercise("whose_words_quiz")
    assert quiz.hint.startswith("The text of an agreement states what its parties agree to")
    hint, item_hint = html.escape(quiz.hint), html.escape(quiz.hints["B"])
    box = kt.widget(quiz)
    for label, drop in box.answer.items():
        drop.value = quiz.key[label]
    box.answer["B"].value = "Japan's government"
    box.button.click()
    assert "5 of 6 right" in box.feedback.value and f"1 not yet right: B: {item_hint}" in box.feedback.value
    assert hint not in box.feedback.value and "Ushakov" not in box.feedback.value
    box.button.click()
    assert hint in box.feedback.value and "Ushakov" not in box.feedback.value
    box.button.click()
    assert ("B → Russia&#x27;s government (Yuri Ushakov (Presidential aide), 5 September 2018; text: "
            "TASS&#x27;s English" in box.feedback.value)
    assert hint not in box.feedback.value


def test_discussion_checklist() -> None:
    quiz = history.exercise("discussion")
    assert len(quiz.checklist) == 5
    box = kt.widget(quiz)
    assert "0 of 5 points covered" in box.feedback.value
    for check in box.answer:
        check.value = True
    assert CORRECT in box.feedback.value
    with pytest.raises(ValueError, match="expected 5 ticks"):
        kt.check(quiz, [True])


def test_unknown_exercise() -> None:
    with pytest.raises(ValueError, match=r"unknown exercise 'nope'; valid exercises: strait_quiz, "
                                         r"article_1875_quiz.*whose_words_quiz, discussion"):
        history.exercise("nope")


def test_each_exercise_comes_from_the_part_that_defines_it() -> None:
    first, second = set(LESSON.raw["exercises"]), set(PART_2.raw["exercises"])
    assert first == {"strait_quiz", "article_1875_quiz", "changes_quiz", "land_to_japan_1875"}
    assert second == {"whose_words_quiz", "discussion", "kuril_events_per_decade"}
    assert history.exercise("discussion").prompt == PART_2.get("exercises.discussion.prompt")
    assert history.exercise("strait_quiz").prompt == LESSON.get("exercises.strait_quiz.prompt")
    assert kt.content.code_tasks()["kuril_events_per_decade"] == "01_history_1905_2023"
    assert kt.content.code_tasks()["land_to_japan_1875"] == "01_history"


# --------------------------------------------------------------------------- sources


def test_sources_used_cover_what_the_lesson_quotes() -> None:
    used = history.sources_used()
    assert len(used) == len(set(used))
    valid = set(kt.sources()["id"])
    assert set(used) <= valid
    for ident in ("shimoda_treaty_en_repost", "mofa_compendium_1992_period2", "frus_1949_v07p2_d106",
                  "mofa_northern_territories_info", "tass_2018_09_05_ushakov", "shugiin_2006_yalta_answer"):
        assert ident in used, ident
    # the declarations and statements after 1951, shown in the lesson's last table
    later = kt.timeline(topic="kuril", kinds=["declaration", "statement"])
    for ident in later.loc[later["year"] > 1951, "source_ids"].iloc[0]:
        assert ident in used
    assert used[0] == "mofa_compendium_1992_period1"  # the first event's first source
    assert used == list(dict.fromkeys([*history.sources_used(part=1), *history.sources_used(part=2)]))


def _sources_of(table: str, ids: list[str]) -> set[str]:
    return set(kt.records.sources_of(table, ids))


def test_each_part_lists_its_own_sources() -> None:
    first, second = history.sources_used(part=1), history.sources_used(part=2)
    assert len(first) == len(set(first)) and len(second) == len(set(second))
    # part 1: the early events and the 1855 and 1875 texts, and what the border map's captions show
    assert first[0] == "mofa_compendium_1992_period1"
    assert _sources_of("timeline", ["shoho_map_1644", "treaty_of_shimoda_1855"]) <= set(first)
    assert _sources_of("documents", ["st_petersburg_1875_art2_en"]) <= set(first)
    for entry in LESSON.get("key_years"):
        assert _sources_of("timeline", entry["events"]) <= set(first), entry["year"]
    assert "tass_2018_09_05_ushakov" not in first  # Exercise 4 is in part 2
    # part 2: its texts, the positions it quotes, the 1945 residents and the events after 1951
    for ident in ("frus_1949_v07p2_d106", "tass_2018_09_05_ushakov", "shugiin_2006_yalta_answer",
                  "shugiin_2006_chishima_answer", "un_charter_art107_repertory", "frus_1945_v05_d623"):
        assert ident in second, ident
    residents = kt.records.sources_of("islands", ["etorofu", "kunashiri", "shikotan", "habomai"],
                                      ["population_1945_source_ids"])
    assert residents and set(residents) <= set(second)  # the landings table's residents
    later = kt.timeline(topic="kuril", kinds=["declaration", "statement"])
    assert _sources_of("timeline", list(later.loc[later["year"] > 1951, "id"])) <= set(second)
    assert "mofa_compendium_1992_period1" not in second  # the events before 1855 are part 1's
    with pytest.raises(ValueError, match=r"unknown part 3; valid parts: 1, 2"):
        history.sources_used(part=3)


@pytest.mark.parametrize(("path", "part"), [(NOTEBOOK, 1), (NOTEBOOK_2, 2)])
def test_each_notebook_lists_its_part_s_sources(path: Path, part: int) -> None:
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[-1].source == f"kt.source_list(history.sources_used(part={part}))"


@pytest.mark.parametrize(("year", "holder"), [(1855, "the Russian Empire"), (1875, "the Russian Empire"),
                                              (1905, "the Russian Empire"), (1945, "the USSR"),
                                              (1951, "the USSR")])
def test_each_map_year_names_the_state_of_its_time(year: int, holder: str) -> None:
    page = history.history_map(year).get_root().render()
    legend = next(json.loads(c) for c in re.findall(r'div\.innerHTML = (".*?");', page) if "Legend" in c)
    entries = [e.strip() for e in re.sub(r"<[^>]+>", "\n", legend).split("\n") if e.strip()]
    russian = [e for e in entries if e.startswith("Held by") and "Japan" not in e]
    assert russian == [f"Held by {holder}"]


# --------------------------------------------------------------------------- the notebook


def _answer_cells(nb: nbformat.NotebookNode) -> dict[str, int]:
    ids = [c.id for c in nb.cells]
    return {c.metadata["kuril_teaching"]["exercise"]: ids.index(c.id) for c in nb.cells
            if "answer" in c.metadata.get("tags", [])}


def _headings(nb: nbformat.NotebookNode) -> list[str]:
    return [c.source.splitlines()[0] for c in nb.cells
            if c.cell_type == "markdown" and c.source.startswith("## ")]


def test_part_1_has_an_exit_ticket_and_keeps_answers_out() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    ids = [c.id for c in nb.cells]
    answers = _answer_cells(nb)
    assert set(answers) == {"history_early_exit_ticket"}
    assert _headings(nb)[-3:] == ["## Exit ticket", "## Key points", "## Sources"]
    assert answers["history_early_exit_ticket"] == ids.index("history-064") - 1
    # The note under Article 2 of 1875 names the end of its list: it opens only after Exercises 2-3.
    shown_first = nb.cells[ids.index("history-026")].source
    assert "show_note=False" in shown_first
    full = ids.index("history-texts-st-petersburg-1875-art2")
    assert full > ids.index("history-031") and "kt.details(" in nb.cells[full].source
    teacher = editions.build("teacher", nb, NOTEBOOK.name)
    after = [c.id for c in teacher.cells]
    assert after.index("history-063") == after.index("history-062") + 1
    # the exit ticket's claims are checked against the rows the model answer quotes
    notes = history.events("1855-1904: two treaties").set_index("id")["note"]
    assert "7 August 1856" in notes["treaty_of_shimoda_1855"]
    assert "25 November / 7 December 1856" in notes["treaty_of_shimoda_1855"]
    early = history.events("Before 1855").set_index("id")
    assert "earliest map that names the four islands" in early.loc["shoho_map_1644", "summary"]
    assert "1635" in early.loc["shoho_map_1644", "note"] and "1643" in early.loc["shoho_map_1644", "note"]


def test_part_2_has_answer_cells_an_exit_ticket_and_keeps_answers_out() -> None:
    nb = nbformat.read(NOTEBOOK_2, as_version=4)
    ids = [c.id for c in nb.cells]
    answers = _answer_cells(nb)
    assert set(answers) == {"discussion", "history_exit_ticket"}
    widget = next(n for n, c in enumerate(nb.cells) if 'exercise("discussion")' in c.source)
    assert answers["discussion"] == widget + 1  # the open exercise is written just below it
    assert _headings(nb)[-3:] == ["## Exit ticket", "## Key points", "## Sources"]
    assert answers["history_exit_ticket"] == ids.index("history-058") - 1
    teacher = editions.build("teacher", nb, NOTEBOOK_2.name)
    after = [c.id for c in teacher.cells]
    assert after.index("history-057f") == after.index("history-057e") + 1
    assert after.index("history-052") == after.index("history-051") + 1


def test_the_two_parts_share_out_the_lesson_s_cells() -> None:
    first, second = (nbformat.read(p, as_version=4) for p in (NOTEBOOK, NOTEBOOK_2))
    one, two = [c.id for c in first.cells], [c.id for c in second.cells]
    assert not set(one) & set(two), "a cell id is in both parts"
    assert {"history-015", "history-023", "history-032b"} <= set(one)  # the 1855 map, the slider, 1875
    assert {"history-037", "history-045", "history-051", "history-056"} <= set(two)  # Yalta, 1951, Ex 4-5
    for nb in (first, second):
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert text.count("\n# ") + text.startswith("# ") == 1, "one H1 title"
    maps = [c for c in second.cells if c.source == "history.history_map(1945)"]
    assert len(maps) == 1  # part 2 shows the end of 1945 on its own map
