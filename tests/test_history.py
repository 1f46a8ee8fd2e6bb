"""The history module: periods and events, who held what, computed lines, maps, widgets."""

from __future__ import annotations

import html
import re

import pytest
import shapely

import kuril_teaching as kt
from kuril_teaching import history

# --------------------------------------------------------------------------- events


def test_format_date() -> None:
    assert history.format_date("1956-10-19") == "19 October 1956"
    assert history.format_date("1787-04") == "April 1787"
    assert history.format_date("1644") == "1644"
    with pytest.raises(ValueError, match="not an ISO date"):
        history.format_date("19/10/1956")


def test_events_by_period_stay_in_the_period() -> None:
    total = 0
    for name, (first, last) in history.PERIODS.items():
        frame = history.events(name)
        assert frame["year"].between(first, last).all(), name
        total += len(frame)
    assert total == len(history.events()), "every event falls in exactly one period"
    assert list(history.events().columns) == ["id", "date", "year", "title", "kind", "summary",
                                              "confidence", "sources", "note"]


def test_events_match_the_timeline() -> None:
    frame = history.events("1855-1904: two treaties", kinds="treaty")
    assert list(frame["id"]) == ["treaty_of_shimoda_1855", "treaty_of_st_petersburg_1875"]
    assert frame.loc[0, "date"] == "7 February 1855"
    timeline = kt.timeline(topic="kuril").set_index("id")
    assert frame.loc[1, "summary"] == timeline.loc["treaty_of_st_petersburg_1875", "summary"]
    early = history.events("Before 1855")
    assert {"shoho_map_1644", "russian_exploration_1711_1713", "mogami_tokunai_survey_1785_1786",
            "kondo_juzo_marker_1798"} <= set(early["id"])
    assert (history.events(kinds=["treaty", "declaration"])["kind"]
            .isin(["treaty", "declaration"]).all())


def test_events_bad_input() -> None:
    with pytest.raises(ValueError, match=r"unknown period '1800s'.*Before 1855.*1992-2023"):
        history.events("1800s")
    with pytest.raises(ValueError, match=r"unknown kind 'war'.*treaty.*declaration"):
        history.events(kinds="war")


def test_events_html_escapes_and_lists_sources() -> None:
    frame = history.events("1855-1904: two treaties")
    text = history.events_html(frame)
    assert text.count("<tr>") == len(frame) + 1
    assert "shimoda_treaty_en_repost" in text
    assert "Sakhalin/Karafuto" in text
    assert "No events" in history.events_html(frame.iloc[0:0])
    assert history.events_html(frame)._repr_html_() == str(text)


def test_timeline_explorer_redraws_on_change() -> None:
    box = history.timeline_explorer()
    assert f"{len(history.events())} events" in box.table.value
    box.period.value = "Before 1855"
    assert f"<b>{len(history.events('Before 1855'))} events" in box.table.value
    assert "Shoho" in box.table.value and "Portsmouth" not in box.table.value
    box.kind.value = "statement"
    assert "Mulovsky" in box.table.value and "Shoho" not in box.table.value
    box.period.value = "1992-2023"
    box.kind.value = history.ALL_KINDS
    assert "Irkutsk" in box.table.value


# --------------------------------------------------------------------------- holders


def test_holders_1855_to_1874() -> None:
    for year in (1855, 1874):
        held = history.holders(year)
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


def test_holders_1945_to_2022() -> None:
    for year in (1945, 1951, 1956, 1991, 2022):
        held = history.holders(year)
        assert {held[i] for i in history.FOUR_ISLANDS} == {"disputed"}
        assert held["urup"] == held["kuril_north"] == held["sakhalin_south"] == "russia"
        assert held["hokkaido_east"] == "japan"
    assert set(history.holders(1990).values()) <= set(history.STATUSES)


def test_holders_bad_year() -> None:
    with pytest.raises(ValueError, match=r"year 1854 is out of range; valid years: 1855\.\."):
        history.holders(1854)
    with pytest.raises(ValueError, match="out of range"):
        history.holders("1900")  # type: ignore[arg-type]


def test_changes() -> None:
    assert set(history.changes(1875)["feature"]) == {"urup", "kuril_north", "sakhalin_south",
                                                      "sakhalin_north"}
    assert list(history.changes(1905)["feature"]) == ["sakhalin_south"]
    assert set(history.changes(1945)["feature"]) >= set(history.FOUR_ISLANDS)
    assert history.changes(1951).empty
    assert len(history.changes(1855)) == len(history.FEATURES)


def test_landings_come_from_islands_table() -> None:
    frame = history.landings()
    dates = dict(zip(frame["Island"].str.split(" ").str[0], frame["Soviet landing"], strict=True))
    assert dates == {"Etorofu": "28 August 1945", "Kunashiri": "1 September 1945",
                     "Shikotan": "1 September 1945", "Habomai": "3 September 1945"}
    table = kt.data.islands_table().set_index("id")
    assert frame["Japanese residents, 15 August 1945"].sum() == sum(
        table.loc[i, "population_1945"] for i in history.FOUR_ISLANDS)


def test_area_figures() -> None:
    sakhalin = kt.area_km2(kt.geometry("sakhalin_south"))
    assert history.area_changed_km2(1905) == pytest.approx(sakhalin)
    assert history.area_changed_km2(1951) == 0.0
    gained = kt.area_km2(shapely.union(kt.geometry("urup"), kt.geometry("kuril_north")))
    assert history.area_to_japan_km2(1875) == pytest.approx(gained)
    assert history.check_area_1875(gained).correct
    assert not history.check_area_1875(gained * 1.2).correct


# --------------------------------------------------------------------------- lines


def test_line_1855_runs_through_the_strait() -> None:
    line = history.line_1855()
    etorofu, urup = kt.geometry("etorofu"), kt.geometry("urup")
    assert not line.is_empty and not line.intersects(etorofu) and not line.intersects(urup)
    # every point of the line is (nearly) as far from Etorofu as from Urup
    for point in shapely.points(shapely.get_coordinates(line))[::5]:
        da, db = kt.distance_km(point, etorofu), kt.distance_km(point, urup)
        assert da == pytest.approx(db, abs=1.5)
    # the line crosses the shortest link between the two islands
    a, b = shapely.ops.nearest_points(etorofu, urup)
    assert line.intersects(shapely.LineString([a, b]).buffer(0.01))
    assert kt.distance_km("etorofu", "urup") == pytest.approx(40, abs=5)


def test_line_1875_runs_through_the_shumshu_strait() -> None:
    line = history.line_1875()
    north, kamchatka = kt.geometry("kuril_north"), kt.geometry("kamchatka_south")
    assert not line.is_empty and not line.intersects(north) and not line.intersects(kamchatka)
    a, b = shapely.ops.nearest_points(north, kamchatka)
    assert line.intersects(shapely.LineString([a, b]).buffer(0.01))
    assert shapely.length(line) < 1.5  # kept to the strait, in degrees


def test_line_1905_is_the_50th_parallel_across_sakhalin() -> None:
    line = history.line_1905()
    ys = {round(y, 9) for _, y in shapely.get_coordinates(line)}
    assert ys == {50.0}
    island = shapely.union(kt.geometry("sakhalin_south"), kt.geometry("sakhalin_north"))
    minx, _, maxx, _ = line.bounds
    assert island.bounds[0] - 0.1 <= minx and maxx <= island.bounds[2] + 0.1
    assert line.intersects(island)


# --------------------------------------------------------------------------- maps and captions


def _render(year: int) -> str:
    return history.history_map(year).get_root().render()


@pytest.mark.parametrize("year", history.KEY_YEARS)
def test_history_map_draws_every_feature_and_lines(year: int) -> None:
    page = _render(year)
    layers = len(re.findall(r"var geo_json_\w+ = L\.geoJson\(", page))
    assert layers == len(history.FEATURES) + len(history.treaty_lines(year))
    assert len(page.encode()) < 300_000
    assert not re.search(r"<(?:script|link)[^>]+(?:src|href)=\"https?:", page)
    assert f"Who held what at the end of {year}" in page
    assert "択捉島" in page and "Итуруп" in page


def test_history_map_legend_and_tooltips_follow_holders() -> None:
    page = _render(1855)
    assert "Not divided: no boundary drawn (1855 treaty)" in page
    assert "1855 boundary between Etorofu and Urup" in page
    later = _render(1945)
    assert "Soviet landing: 28 August 1945" in later
    assert "claimed by Japan" in later and "Not divided" not in later


def test_border_caption() -> None:
    text = history.border_caption(1945)
    for day in ("28 August 1945", "1 September 1945", "3 September 1945"):
        assert day in text
    assert "5 September" in text  # occupation completed, from the timeline summary
    assert "Yalta" in text and "para. 3" in text
    assert "nothing" in history.border_caption(1951)
    assert "did not sign" in history.border_caption(1951)
    assert "Article IX" in history.border_caption(1905)
    with pytest.raises(ValueError, match=r"unknown key year 1900.*1855, 1875"):
        history.border_caption(1900)


def test_border_explorer_redraws_map_and_caption() -> None:
    box = history.border_explorer()
    assert "end of 1855" in box.map.value and "Shimoda" in box.caption.value
    box.year.value = 1905
    assert "end of 1905" in box.map.value and "Portsmouth" in box.caption.value
    assert "end of 1855" not in box.map.value
    box.year.value = 1951
    assert "San Francisco" in box.caption.value


# --------------------------------------------------------------------------- texts


def test_quote_is_exact_and_names_its_translation() -> None:
    docs = kt.documents().set_index("id")
    for ident in ("shimoda_1855_art2_en", "st_petersburg_1875_art2_en",
                  "portsmouth_1905_art9_en", "yalta_1945_para3_en", "sf_1951_art2c_en"):
        q = history.quote(ident)
        assert q.text == str(docs.loc[ident, "text"]).strip()
        page = q._repr_html_()
        assert "Translation:" in page
        assert html.escape(str(docs.loc[ident, "translation"])) in page
    with pytest.raises(ValueError, match="unknown document id 'nope'"):
        history.quote("nope")


def test_positions_side_by_side() -> None:
    text = history.positions_side_by_side(["jp_sf_kuriles_exclude_four_islands",
                                           "ru_2019_un_charter_article_107"])
    left, right = text.split("</td>")[0], text.split("</td>")[1]
    assert "San Francisco" in left and "Article 107" in right
    with pytest.raises(ValueError, match="unknown position id"):
        history.positions_side_by_side(["nope"])


# --------------------------------------------------------------------------- exercises


def test_strait_quiz() -> None:
    box = history.strait_quiz()
    box.entry.value = round(kt.distance_km("etorofu", "urup"), 1)
    box.button.click()
    assert "Correct" in box.feedback.value
    box.entry.value = 120
    box.button.click()
    assert "too high" in box.feedback.value and "nearest points" in box.feedback.value


def test_article_1875_quiz_checks_the_exact_words() -> None:
    question = history.article_1875_question()
    text = history.quote(history.ARTICLE_1875_DOCUMENT).text
    assert question.answer == "Uruppu" and "18) Uruppu" in text
    assert "Etorofu" not in text and "Kunashiri" not in text
    wrong = kt.check_choice(question, "Etorofu")
    assert not wrong.correct and "1855" in wrong.message
    box = history.article_1875_quiz()
    box.options.value = "Uruppu"
    box.button.click()
    assert "Correct" in box.feedback.value


def test_changes_quiz_key_follows_holders() -> None:
    _items, key, reasons = history.changes_key(1875)
    changed = {k for k, v in key.items() if v == history.CHANGED}
    assert changed == {"Uruppu / Urup", "Kuril Islands north of Urup (Simushir to Shumshu)",
                       "Sakhalin south of 50° N (clipped)", "Sakhalin north of 50° N (clipped)"}
    assert "end of 1874" in reasons["Uruppu / Urup"]
    box = history.changes_quiz()
    for label, drop in box.dropdowns.items():
        drop.value = key[label]
    box.button.click()
    assert "Correct" in box.feedback.value
    box.dropdowns["Etorofu / Iturup"].value = history.CHANGED
    box.button.click()
    assert "Not yet" in box.feedback.value and "Etorofu" in box.feedback.value


def test_whose_words_come_from_the_data() -> None:
    items, key, _reasons = history.whose_words()
    positions = kt.positions().set_index("id")
    for label, (kind, ident) in history.WHOSE_WORDS.items():
        if kind == "position":
            assert positions.loc[ident, "quote"] in items[label]
            expected = "Japan" if positions.loc[ident, "government"] == "japan" else "Russia"
            assert key[label].startswith(expected)
        else:
            assert key[label].startswith("Neither")
    box = history.whose_words_quiz()
    for label, drop in box.dropdowns.items():
        drop.value = key[label]
    box.button.click()
    assert "Correct" in box.feedback.value


def test_discussion_checklist() -> None:
    box = history.discussion_checklist()
    assert "0 of 5" in box.feedback.value
    for check in box.checkboxes:
        check.value = True
    assert "Correct" in box.feedback.value
    with pytest.raises(ValueError, match="expected 5 ticks"):
        history.discussion_feedback([True])
