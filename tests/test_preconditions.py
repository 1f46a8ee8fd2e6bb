"""The January 2019 lesson: tables, side by side, sorting key, analysis, exercises and the two views."""

from __future__ import annotations

import html
import json
import re

import nbformat
import pytest
from conftest import NOTEBOOKS, answered, page_features
from nbclient import NotebookClient

import kuril_teaching as kt
from kuril_teaching import content, editions, exercises, records
from kuril_teaching import preconditions as pc

NOTEBOOK = NOTEBOOKS / "03_lavrov_preconditions.ipynb"
LAVROV_WORDS = "sovereignty over all the islands of the South Kuril Ridge"
LAVROV_STEP = "ru_2019_recognise_wwii_outcome"
LAVROV_NOT_DISCUSSED = "ru_2019_sovereignty_not_discussed"
JAPAN_OCCUPATION = "jp_mofa_illegal_occupation"
RUSSIA_STATUS = "South Kurils: Russian territory, part of Sakhalin Oblast"
JAPAN_STATUS = "Northern Territories (北方領土): Japanese territory under illegal occupation"
LAVROV_ANSWER = ("Japan's full recognition of the outcome of World War II, including "
                 "Russian sovereignty over all the islands")
MAP_ANSWER = "The names and the legal status each government gives the same islands"
ON_THE_GROUND = "administered by the USSR and then Russia since 1945"
SORT_KEY = {"A": "Japan", "B": "Russia", "C": "Neither", "D": "Russia",
            "E": "Japan", "F": "Neither", "G": "Russia", "H": "Japan"}


def _position(ident: str) -> dict:
    return records.row("positions", ident)


def _text(markup: str) -> str:
    """What a reader sees of some HTML: tags dropped, entities decoded, spaces collapsed."""
    markup = re.sub(r"<style.*?</style>", " ", markup, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def _fills(page: str, colour_key: str) -> int:
    """How many shapes on a rendered map are filled with one palette colour."""
    style = kt.style.polygon_style(colour_key)  # a colour, or the hatch of a hatched meaning
    return sum(f["properties"]["style"]["fillColor"] == style["fillColor"]
               for f in page_features(page))


def _map_text(fmap: kt.maps.OfflineMap) -> tuple[str, list[str], list[str], list[str]]:
    """A rendered map page, its controls (title, legend), popups and tooltips, as plain text."""
    page = fmap.get_root().render()
    controls = [_text(json.loads(c)) for c in re.findall(r'div\.innerHTML = (".*?");', page)
                if "kt-locator-map" not in json.loads(c)]  # the locator inset has its own tests
    features = [f["properties"] for f in page_features(page)]
    popups = [_text(f["popup"]) for f in features if f["popup"]]
    tips = [_text(f["tooltip"]) for f in features]
    return page, controls, popups, tips


def test_content_file_loads_with_its_exercises() -> None:
    lesson = content.lesson("03_lavrov_preconditions")
    assert lesson.text("lesson.title") == "Preconditions: the Moscow talks of January 2019"
    assert set(lesson.get("exercises")) == {"lavrov", "whose_position", "follow_russia_premise",
                                            "follow_japan_premise", "sovereignty_statements", "map_views"}


def test_neutral_drops_the_attribution_only() -> None:
    assert pc.neutral("Russia's government holds that the islands are Russian.") == \
        "The islands are Russian."
    assert pc.neutral("Japan's government holds that talks must continue.") == \
        "Talks must continue."
    assert pc.neutral("Talks ran for four hours.") == "Talks ran for four hours."
    assert pc.neutral("The Kremlin holds that the islands passed lawfully, and that talks start "
                      "here.") == "The islands passed lawfully, and talks start here."
    assert pc.neutral("Russia's foreign minister said Russia has no disputes.") == \
        "Russia has no disputes."


# --------------------------------------------------------------------------- the road there


def test_events_cover_the_road_to_moscow_in_order() -> None:
    frame = pc.events()
    assert list(frame["date"]) == sorted(frame["date"])
    assert all("2018-09-01" <= d <= "2019-01-31" for d in frame["date"])
    road = ["putin_eef_proposal_2018", "singapore_agreement_2018", "buenos_aires_meeting_2018",
            "lavrov_kono_talks_2019", "moscow_summit_2019"]
    assert [i for i in frame["id"] if i in road] == road
    shown = _text(str(kt.events(frame)))
    assert "14 January 2019" in shown and "22 January 2019" in shown
    assert list(pc.events("2019-01-14", "2019-01-14")["id"]) == ["lavrov_kono_talks_2019"]


@pytest.mark.parametrize(("start", "end", "message"), [
    ("2019", "2019-01-31", "not a full date; valid form: YYYY-MM-DD"),
    ("2019-02-01", "2019-01-01", "is after end"),
    ("yesterday", "2019-01-31", "valid forms"),
    ("2019-01-01", "2019-02-30", "not a calendar date"),
])
def test_events_reject_bad_ranges(start: str, end: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        pc.events(start, end)


def test_quotes_are_exact_and_show_where_they_were_read() -> None:
    frame = pc.quotes("2019-01-14")
    assert list(frame.columns) == ["speaker", "quote", "translation", "confidence",
                                   "note on the wording", "where it was read"]
    assert set(frame["translation"]) == {
        "English transcript published by Russia's Ministry of Foreign Affairs"}
    assert set(frame.index) == {LAVROV_STEP, LAVROV_NOT_DISCUSSED}
    for ident, row in frame.iterrows():
        assert row["quote"] == _position(ident)["quote"]
        assert row["speaker"] == "Sergey Lavrov, Minister of Foreign Affairs, 14 January 2019"
        assert row["confidence"] == "medium"
    assert LAVROV_WORDS in frame.loc[LAVROV_STEP, "quote"]
    read_in = frame.loc[LAVROV_STEP, "where it was read"]
    assert read_in.startswith("mid_lavrov_2019_01_14_repost: Ministry of Foreign Affairs of the "
                              "Russian Federation (transcript reposted on thesaker.is) (")
    assert "read only in a repost" in read_in, "the transcript's caveat must stay visible"
    shown = _text(str(kt.table(frame)))
    assert LAVROV_WORDS in shown and "read only in a repost" in shown
    assert LAVROV_STEP not in shown, "the index of ids is not shown"
    summit = pc.quotes("2019-01-22")
    # both leaders' press statements of the summit day, each with its translator named
    assert set(summit["speaker"]) == {"Vladimir Putin, President of Russia, 22 January 2019",
                                      "Shinzo Abe, Prime Minister of Japan, 22 January 2019"}
    abe = summit.loc["jp_2019_solution_acceptable_to_both"]
    assert abe["quote"].startswith("President Putin and I reaffirmed our resolve")
    assert "Jiji Press's English translation" in abe["note on the wording"]
    assert "Reuters" in summit.loc["ru_2019_peoples_must_accept", "where it was read"]


def test_quotes_reject_a_day_without_quotes() -> None:
    with pytest.raises(ValueError, match=r"no quoted position on '2019-01-17'; valid dates: .*2019-01-14"):
        pc.quotes("2019-01-17")
    with pytest.raises(ValueError, match="valid forms"):
        pc.quotes("14 January")


def test_article_9_is_shown_with_its_origin() -> None:
    document = records.row("documents", "joint_declaration_1956_art9_en_un")
    shown = html.unescape(str(kt.quote("joint_declaration_1956_art9_en_un")))
    assert str(document["text"]).strip() in shown and document["translation"] in shown
    assert set(document["source_ids"]) <= set(pc.sources_used())


# --------------------------------------------------------------------------- side by side


def _columns(page: str) -> list[tuple[str, str]]:
    """The (Japan, Russia) cells of every side-by-side table on a page."""
    return re.findall(r"<tbody><tr><td>(.*?)</td><td>(.*?)</td></tr></tbody>", page, flags=re.S)


def test_side_by_side_puts_every_position_once_in_its_column() -> None:
    page = str(pc.side_by_side())
    tables = _columns(page)
    topics = [t for t in kt.data.POSITION_TOPICS if t in set(kt.positions()["topic"])]
    assert len(tables) == len(topics) == page.count("<h4>")
    japan = "".join(j for j, _ in tables)
    russia = "".join(r for _, r in tables)
    for row in kt.positions().to_dict("records"):
        statement = html.escape(row["statement"])
        mine, other = (japan, russia) if row["government"] == "japan" else (russia, japan)
        assert mine.count(statement) == 1, row["id"]
        assert statement not in other, row["id"]


def test_side_by_side_filters_by_topic_and_quotes_exactly() -> None:
    page = str(pc.side_by_side("sovereignty"))
    assert re.findall(r"<h4>(.*?)</h4>", page) == ["sovereignty"]
    shown = html.unescape(page)
    for row in kt.positions().to_dict("records"):
        if row["topic"] == "sovereignty":
            assert row["statement"] in shown
            assert not row["quote"] or f"“{row['quote']}”" in shown
        else:
            assert row["statement"] not in shown
    assert re.findall(r"<h4>(.*?)</h4>", str(pc.side_by_side("wwii_outcome"))) == \
        ["Second World War outcome"]


def test_side_by_side_rejects_unknown_topic() -> None:
    with pytest.raises(ValueError, match="unknown topic 'weather'; valid topics: sovereignty"):
        pc.side_by_side("weather")


def test_side_by_side_explorer_follows_the_dropdown() -> None:
    widget = pc.side_by_side_explorer()
    assert widget.dropdown.value == "all"
    assert widget.dropdown.options[0] == ("all topics", "all")
    assert widget.table.value == pc.side_by_side().text
    widget.dropdown.value = "security"
    assert widget.table.value == pc.side_by_side("security").text
    assert widget.table.value != pc.side_by_side().text
    assert pc.side_by_side_explorer("sovereignty").table.value == pc.side_by_side("sovereignty").text
    with pytest.raises(ValueError, match="valid topics"):
        pc.side_by_side_explorer("weather")


# --------------------------------------------------------------------------- sorting


def test_statements_give_no_attribution_away() -> None:
    exercise = pc.exercise("whose_position")
    assert list(exercise.items) == list("ABCDEFGH")
    assert exercise.categories == ("Japan", "Russia", "Neither")
    for text in exercise.items.values():
        assert not re.match(r"(Japan|Russia|the Kremlin)('s [a-z ]+)? (holds|says|said)", text, re.I), text
        assert text[:1].isupper()
    assert exercise.items["A"] == ("The USSR entered the war in violation of the Neutrality Pact still in "
                                   "force, and occupied the four islands after Japan had accepted the "
                                   "Potsdam Declaration.")
    assert exercise.items["F"] == "Habomai and Shikotan not part of the Kurils"


def test_answer_key_comes_from_the_data() -> None:
    exercise = pc.exercise("whose_position")
    assert dict(exercise.key) == SORT_KEY
    # the positions' governments agree with the key
    for letter, ident in (("A", "jp_mofa_neutrality_pact_violation"), ("B", "ru_2018_islands_passed_legally"),
                          ("D", LAVROV_STEP), ("H", JAPAN_OCCUPATION)):
        assert _position(ident)["government"].capitalize() == SORT_KEY[letter]


def test_sort_reasons_quote_the_record() -> None:
    reasons = pc.exercise("whose_position").reasons
    lavrov = _position(LAVROV_STEP)
    assert reasons["D"] == (f"this is Russia's government's position: Sergey Lavrov, 14 January 2019: "
                            f"\"{lavrov['quote']}\"")
    yalta = _position("jp_2006_yalta_not_binding")  # quoted in Japanese: the statement is used
    assert reasons["E"].endswith(f": {yalta['statement']}")
    assert reasons["E"].startswith("this is Japan's government's position: ")
    assert reasons["C"] == ("neither government stated this: it paraphrases a claim about Japan's government "
                            "made in a January 2019 opinion piece (lesson 06 checks such claims against the "
                            "record).")
    assert reasons["F"].startswith("neither government's position: US State Department legal view: "
                                   "Habomai and Shikotan not part of the Kurils (November 1949). ")


def test_no_feedback_gives_away_lesson_06s_check_of_a_claim() -> None:
    """Lesson 06 asks for the verdict on this claim and where its wording comes from."""
    exercise = pc.exercise("whose_position")
    claim = records.row("fact_checks", "fc_unrealistic_demand")
    shown = " ".join([*exercise.reasons.values(), *exercise.hints.values(), exercises.answer_text(exercise),
                      pc.solution("sorting")])
    assert f"verdict: {claim['verdict']}" not in shown and "verdict" not in shown
    assert "Kyodo" not in shown and claim["explanation"][:60] not in shown
    text = "\n".join(c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells)
    assert "fc_g20_singapore" not in text and "fc_unrealistic_demand" not in text
    assert "which it was not" not in text, "the G20 slip is lesson 06's claim (a) to check"


def test_every_statement_has_a_hint_that_names_no_category() -> None:
    exercise = pc.exercise("whose_position")
    assert set(exercise.hints) == set(exercise.items) and all(exercise.hints.values())
    for hint in exercise.hints.values():
        assert not re.search(r"\b(japan|russia|neither)\b", hint, re.I), hint


def test_check_sorting_gives_hints_then_explains_after_two_tries() -> None:
    exercise = pc.exercise("whose_position")
    right = kt.check(exercise, SORT_KEY)
    assert right.correct and right.message == "All 8 sorted correctly."
    answers = dict(SORT_KEY, C="Japan")
    first = kt.check(exercise, answers)
    assert not first.correct
    assert first.message == f"7 of 8 right. 1 not yet right: C: {exercise.hints['C']}"
    assert "Neither" not in first.message
    hinted = kt.check(exercise, answers, tries=1)
    assert "Hint: Neither is for a statement no government made" in hinted.message
    explained = kt.check(exercise, answers, tries=2)
    assert "C → Neither" in explained.message and exercise.reasons["C"] in explained.message
    partial = kt.check(exercise, {"A": "Japan"})
    assert not partial.correct and partial.message == "1 of 8 right. 7 still to sort."


def test_check_sorting_rejects_bad_input() -> None:
    exercise = pc.exercise("whose_position")
    with pytest.raises(ValueError, match="unknown category 'USA' for item 'A'; valid categories: "
                                         "Japan, Russia, Neither"):
        kt.check(exercise, {"A": "USA"})
    with pytest.raises(ValueError, match=r"unknown items .*Z.*; valid items: A, B, C, D, E, F, G, H"):
        kt.check(exercise, {"Z": "Japan"})


def test_sorting_widget_checks_the_dropdowns() -> None:
    box = kt.widget(pc.exercise("whose_position"))
    box.button.click()
    assert "8 still to sort." in box.feedback.value and "✘" in box.feedback.value
    for item, drop in box.answer.items():
        drop.value = SORT_KEY[item]
    box.button.click()
    assert "✔" in box.feedback.value and "All 8 sorted correctly." in box.feedback.value


def test_sorting_widget_gives_a_hint_then_the_reasons() -> None:
    exercise = pc.exercise("whose_position")
    box = kt.widget(exercise)
    for item, drop in box.answer.items():
        drop.value = "Japan" if item == "C" else SORT_KEY[item]
    box.button.click()
    assert "7 of 8 right. 1 not yet right: C: " in box.feedback.value and "Hint:" not in box.feedback.value
    box.button.click()
    assert "Hint: Neither is for a statement no government made" in box.feedback.value
    assert html.escape(exercise.reasons["C"]) not in box.feedback.value
    box.button.click()
    assert html.escape(exercise.reasons["C"]) in box.feedback.value
    assert "✘" in box.feedback.value


# --------------------------------------------------------------------------- analysis and questions


def test_analysis_quotes_both_premises() -> None:
    frame = pc.analysis()
    assert list(frame.columns) == ["If Japan accepted Russia's premise",
                                   "If Russia accepted Japan's premise"]
    assert frame.index.name == "step"
    assert list(frame.index) == ["the premise, in its own words", "all four islands would be",
                                 "a handover of Shikotan and Habomai would be",
                                 "Japan's claim to Etorofu / Iturup and Kunashiri / Kunashir would",
                                 "The USSR's 1945 acquisition, which Russia holds today, would"]
    russia, japan = frame.iloc[0]
    assert russia == f"\"{_position(LAVROV_STEP)['quote']}\" (Sergey Lavrov, 14 January 2019)"
    assert japan == (f"\"{_position(JAPAN_OCCUPATION)['quote']}\" "
                     "(Ministry of Foreign Affairs of Japan, 2024)")
    shown = _text(str(kt.table(frame)))
    assert shown.startswith("step If Japan accepted") and "all four islands would be" in shown


CHOICES = ("lavrov", "follow_russia_premise", "follow_japan_premise", "map_views")


def test_exercise_builds_each_exercise_of_the_content_file() -> None:
    assert {i: type(pc.exercise(i)) for i in content.lesson("03_lavrov_preconditions").get("exercises")} == {
        "lavrov": kt.Choice, "whose_position": kt.Sorting, "follow_russia_premise": kt.Choice,
        "follow_japan_premise": kt.Choice, "sovereignty_statements": kt.CodeTask, "map_views": kt.Choice}


def test_exercise_rejects_an_unknown_id() -> None:
    with pytest.raises(ValueError, match="unknown exercise 'quiz'; valid exercises: lavrov, whose_position, "
                                         "follow_russia_premise, follow_japan_premise, "
                                         "sovereignty_statements, map_views"):
        pc.exercise("quiz")


@pytest.mark.parametrize("ident", CHOICES)
def test_questions_explain_every_option(ident: str) -> None:
    question = pc.exercise(ident)
    assert set(question.why) == set(question.options)
    assert all(question.why.values())
    right = kt.check(question, question.answer)
    assert right.correct and right.message == question.why[question.answer]
    for wrong in (o for o in question.options if o != question.answer):
        feedback = kt.check(question, wrong)
        assert not feedback.correct and feedback.message == question.why[wrong]
    with pytest.raises(ValueError, match="valid choices"):
        kt.check(question, "none of these")
    assert kt.check(question, None).message == "Choose an answer first."


def test_lavrov_question_matches_his_words() -> None:
    question = pc.exercise("lavrov")
    quote = _position(LAVROV_STEP)["quote"]
    assert "the very first step" in quote and "outcome of World War II" in quote
    assert question.answer == LAVROV_ANSWER
    words = quote[quote.index("the immutability"):]
    assert question.why[question.answer] == f"Yes: he spoke of '{words}'"


def test_map_question_names_both_descriptions() -> None:
    question = pc.exercise("map_views")
    assert question.answer == MAP_ANSWER
    assert question.why[question.answer] == \
        f"Yes: '{RUSSIA_STATUS}' and '{JAPAN_STATUS}' describe the same land."


def test_choice_widget_gives_feedback() -> None:
    question = pc.exercise("lavrov")
    box = answered(question, question.answer)
    assert "✔ Correct." in box.feedback.value


def test_reasoning_widgets_give_feedback() -> None:
    first = answered(pc.exercise("follow_russia_premise"),
                     "A transfer by Russia of land Japan had just recognised as Russian")
    assert "✔ Correct." in first.feedback.value
    second = answered(pc.exercise("follow_japan_premise"), "Only Shikotan and Habomai would be affected")
    assert "✘ Not yet." in second.feedback.value
    assert html.escape("Japan's premise covers all four islands") in second.feedback.value


def test_solutions_give_the_answers() -> None:
    lavrov = pc.solution("lavrov")
    assert lavrov.startswith(f"Answer: {LAVROV_ANSWER}\nWhy: Yes: he spoke of ")
    assert lavrov.endswith(f"The sentence in full: {_position(LAVROV_STEP)['quote']}")
    sorting = pc.solution("sorting")
    assert sorting.count(" → ") == 8 and "\nH → Japan: The four islands" in sorting
    reasoning = pc.solution("reasoning")
    assert reasoning.count("Q: ") == 2 and "One possible sentence: each premise" in reasoning
    assert pc.solution("map").startswith(f"Answer: {MAP_ANSWER}\n")
    assert pc.solution("discussion").startswith("Points for the discussion (not a model answer):\n- ")
    with pytest.raises(ValueError, match="unknown solution 'quiz'; valid solutions: lavrov, sorting"):
        pc.solution("quiz")


# --------------------------------------------------------------------------- the two views


@pytest.mark.parametrize(("view", "name", "absent", "government"), [
    ("russia", "South Kurils", "Northern Territories", "Russia's government"),
    ("japan", "Northern Territories (北方領土)", "South Kurils", "Japan's government"),
])
def test_two_views_map_labels_each_view(view: str, name: str, absent: str, government: str) -> None:
    page, controls, popups, tips = _map_text(pc.two_views_map(view))
    assert len(page) < 300_000
    assert controls[0] == (f"Two views: as {government} describes the islands Same islands, same "
                           f"facts on the ground: {ON_THE_GROUND}.")
    for island in records.FOUR_ISLANDS:
        assert f"{records.name(island, 'full')} — {name}" in tips
    assert not any(absent in t for t in [*controls, *popups, *tips])
    # the four islands take the colour of the government whose view is shown
    assert _fills(page, view) >= 4 and _fills(page, "disputed") == 0
    quote = _position(pc.view_wording(view)["position"])["quote"]
    assert len(popups) == 4 and all(f"“{quote}”" in p and ON_THE_GROUND in p for p in popups)
    assert popups[0].startswith(records.name("etorofu", "full"))
    assert "Soviet landing 28 August 1945" in popups[0]
    other = "Administered by Russia" if view == "japan" else "Administered by Japan (Hokkaido)"
    assert controls[1].startswith("Legend ") and controls[1].endswith(other)
    assert not re.search(r"<(?:script|link)[^>]+(?:src|href)=\"https?:", page)


def test_view_wording_reads_the_positions_table() -> None:
    russia = pc.view_wording("russia")
    assert russia["position"] == LAVROV_NOT_DISCUSSED
    assert russia["quote"] == _position(LAVROV_NOT_DISCUSSED)["quote"]
    assert f"{russia['name']}: {russia['status']}" == RUSSIA_STATUS
    assert pc.view_wording("japan")["quote"] == _position(JAPAN_OCCUPATION)["quote"]


def test_two_views_reject_unknown_view() -> None:
    with pytest.raises(ValueError, match="unknown view 'china'; valid views: russia, japan"):
        pc.two_views_map("china")
    with pytest.raises(ValueError, match="valid views"):
        pc.two_views("china")


def test_two_views_widget_toggles_the_map() -> None:
    widget = pc.two_views()
    assert widget.toggle.options == (("Russia's view", "russia"), ("Japan's view", "japan"))
    first = html.unescape(widget.map.value)
    assert "South Kurils" in first and "Northern Territories" not in first
    widget.toggle.value = "japan"
    shown = html.unescape(widget.map.value)
    assert "Northern Territories" in shown and "South Kurils" not in shown


def test_ground_map_shows_both_descriptions_on_one_colour() -> None:
    page, controls, popups, tips = _map_text(pc.ground_map())
    assert len(page) < 300_000
    assert _fills(page, "disputed") == 4
    assert controls[0] == ("On the ground: the four islands today Administered by the USSR and then Russia "
                           "since 1945, claimed by Japan.")
    assert controls[1] == ("Legend The four islands: administered by Russia, claimed by Japan "
                           "Administered by Japan (Hokkaido) Administered by Russia")
    assert len(popups) == 4
    for popup in popups:
        assert "Russia's government: South Kurils, Russian territory, part of Sakhalin Oblast." in popup
        assert "Japan's government: Northern Territories (北方領土), Japanese territory under " \
               "illegal occupation." in popup
    assert {records.name(i, "full") for i in records.FOUR_ISLANDS} <= set(tips)
    assert records.name("hokkaido", "full") in tips


def test_two_views_table_is_a_text_alternative() -> None:
    frame = pc.two_views_table()
    assert list(frame.columns) == ["island (Japanese / Russian name)", "Russia's government",
                                   "Japan's government", "on the ground", "Soviet landing"]
    assert list(frame.iloc[:, 0]) == [records.name(i, "full") for i in records.FOUR_ISLANDS]
    assert frame.iloc[0, 0] == "Etorofu / Iturup (択捉島 / Итуруп)"
    assert set(frame["Russia's government"]) == {RUSSIA_STATUS}
    assert set(frame["Japan's government"]) == {JAPAN_STATUS}
    assert set(frame["on the ground"]) == {ON_THE_GROUND}
    assert list(frame["Soviet landing"]) == ["28 August 1945", "1 September 1945", "1 September 1945",
                                             "3 September 1945"]


# --------------------------------------------------------------------------- sources


def test_sources_used_exist_and_cover_what_is_shown() -> None:
    ids = pc.sources_used()
    assert len(ids) == len(set(ids))
    assert len(kt.source_list(ids)) == len(ids)
    assert "mid_lavrov_2019_01_14_repost" in ids
    shown = {"timeline": ["lavrov_kono_talks_2019", "soviet_occupation_four_islands_1945",
                          "soviet_annexation_decree_1946", "us_state_dept_view_1949"],
             "fact_checks": ["fc_unrealistic_demand"],
             "positions": list(kt.positions()["id"])}
    for table, idents in shown.items():
        for ident in idents:
            assert set(records.row(table, ident)["source_ids"]) <= set(ids), ident


# --------------------------------------------------------------------------- "Try it in code"


def _positions(**where: str):
    frame = kt.positions()
    for column, value in where.items():
        frame = frame[frame[column] == value]
    return frame[["id", "date", "government", "speaker"]]


def test_code_task_solution_is_the_sovereignty_statements_newest_first() -> None:
    task = pc.exercise("sovereignty_statements")
    right = exercises.expected(task)
    assert list(right["id"]) == ["jp_mofa_illegal_occupation", "ru_2023_no_territorial_dispute",
                                 "jp_2022_bluebook_illegal_occupation", "jp_2019_bluebook_softer_wording",
                                 "ru_2019_san_francisco_obligations", "jp_2019_legal_position_unchanged",
                                 LAVROV_NOT_DISCUSSED]
    feedback = kt.check(task, right)
    assert feedback.correct and feedback.message.startswith("Your code gives the expected result. Seven ")


def test_code_task_says_what_is_wrong() -> None:
    task = pc.exercise("sovereignty_statements")
    oldest_first = kt.check(task, _positions(topic="sovereignty").sort_values("date"))
    assert not oldest_first.correct
    assert oldest_first.message == ("The rows are right but not in the order asked: sort them (sort_values) "
                                    "as the task says.")
    unfiltered = kt.check(task, _positions().sort_values("date", ascending=False))
    assert unfiltered.message.startswith("Your table has 40 rows; the answer has 7: check the filter. ")
    one_side = kt.check(task, _positions(topic="sovereignty", government="japan"))
    assert one_side.message == ("Your table has 4 rows; the answer has 7: check the filter. Rows missing: "
                                "ru_2023_no_territorial_dispute, ru_2019_san_francisco_obligations, "
                                f"{LAVROV_NOT_DISCUSSED}.")
    no_government = kt.check(task, _positions(topic="sovereignty")[["id", "date"]])
    assert no_government.message.startswith("The table has no column government")
    empty = kt.check_code("sovereignty_statements", ...)
    assert not empty.correct and empty.message.startswith("Not answered yet")


def test_student_notebook_holds_the_scaffold_and_answer_cells_not_the_answers() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cells = {c.id: c for c in nb.cells}
    assert editions.task_cells(nb) == {"sovereignty_statements": (list(cells).index("c035b"),
                                                                  list(cells).index("c035c"))}
    assert cells["c035b"].source.splitlines()[-1] == "statements = ..."
    assert pc.exercise("sovereignty_statements").solution.strip() not in cells["c035b"].source
    answers = {c.metadata["kuril_teaching"]["exercise"]: c.metadata["kuril_teaching"]["minutes"]
               for c in nb.cells if "answer" in c.metadata.get("tags", [])}
    assert answers == {"premise_sentence": 2, "words_discussion": 4, "exit_ticket": 3}
    headings = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown"]
    assert headings.index("## Exit ticket") == headings.index("## Key points") - 2  # then its answer cell
    assert not any(c.metadata.get("tags") == ["solution"] for c in nb.cells)
    text = "\n".join(c.source for c in nb.cells)
    assert "Answer:" not in text and "solution(" not in text


def test_teacher_edition_runs_and_gives_the_solutions() -> None:
    nb = editions.build("teacher", nbformat.read(NOTEBOOK, as_version=4), NOTEBOOK.name)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    ids = [c.id for c in nb.cells]
    for teacher, after in (("c026", "c025c"), ("c037", "c036a"), ("c037c", "c037b"), ("c035", "c034")):
        assert ids.index(teacher) == ids.index(after) + 1, teacher
    check = nb.cells[ids.index("c035c")]
    shown = " ".join(o.get("data", {}).get("text/html", "") for o in check.outputs)
    assert "Your code gives the expected result." in html.unescape(shown)
    assert "ascending=False" in nb.cells[ids.index("c035b")].source
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors
