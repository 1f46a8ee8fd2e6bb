"""The 1956 Joint Declaration lesson's module: Article 9's texts, readings, areas, widgets."""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import NOTEBOOKS, answered, assert_offline_map, execute_notebook

import kuril_teaching as kt
from kuril_teaching import content, editions, exercises, timing
from kuril_teaching import declaration as dc

NOTEBOOK = NOTEBOOKS / "02_joint_declaration_1956.ipynb"
TASK = "readings_primary_sources"

ART9 = ("joint_declaration_1956_art9_en_un", "joint_declaration_1956_art9_en_nyt",
        "joint_declaration_1956_art9_fr", "joint_declaration_1956_art9_ja",
        "joint_declaration_1956_art9_ru")

# --------------------------------------------------------------------------- content file


def test_content_file_loads_and_has_the_exercises_and_the_code_task() -> None:
    lesson = kt.lesson(dc.LESSON)
    assert lesson.text("lesson.title") == "The 1956 Joint Declaration: what Article 9 says"
    assert set(lesson.get("exercises")) == {"timing_question", "wording_question", "share_quiz", TASK}
    assert content.code_tasks()[TASK] == dc.LESSON
    with pytest.raises(ValueError, match=r"no key 'exercises\.nope'.*timing_question"):
        dc.exercise("nope")


# --------------------------------------------------------------------------- Article 9


def test_article9_has_the_three_translations_with_their_origins() -> None:
    texts = dc.article9()
    assert tuple(texts["id"]) == ART9
    assert set(texts["event_id"]) == {"joint_declaration_1956"}
    assert (texts["translation"].str.len() > 0).all()
    joined = " ".join(texts["text"])
    assert "agrees to transfer" in joined
    assert "agrees to hand over" in joined
    assert "consent à remettre" in joined
    for text in texts["text"]:
        assert re.search(r"peace treaty|traité de paix|平和条約|Мирного Договора", text, flags=re.I), text


def test_options_name_language_key_word_and_origin() -> None:
    assert dc.translation_options() == [
        ("English “transfer” — text based on the UN Treaty Series registration", ART9[0]),
        ("English “hand over” — New York Times translation, 1956", ART9[1]),
        ("French “remettre” — text printed with the UN Treaty Series registration", ART9[2]),
        ("Japanese “引渡す” — authentic text, as quoted in Japan's memorandum of 6 February 1960",
         ART9[3]),
        ("Russian “передачу” — authentic text, part of it, as a compilation of quotations quotes it",
         ART9[4]),
    ]


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("agrees to transfer ... the actual transfer", "en", ["transfer", "transfer"]),
    ("agrees to hand over ... the actual changing over", "en", ["hand over", "changing over"]),
    ("consent à remettre ... la remise effective", "fr", ["remettre", "remise"]),
    ("Agrees to Transfer", "en", ["Transfer"]),
    ("transferred nothing", "en", []),
])
def test_key_words(text: str, language: str, expected: list[str]) -> None:
    assert dc.key_words(text, language) == expected


def test_bad_language_and_text_raise() -> None:
    with pytest.raises(ValueError, match=r"unknown language 'de'; valid languages: en, fr, ru, ja"):
        dc.key_words("x", "de")
    with pytest.raises(ValueError, match=r"unknown Article 9 text 'nope'; valid Article 9 texts: "
                                         r"joint_declaration_1956_art9_en_un"):
        dc.translation_card("nope")
    with pytest.raises(ValueError, match=r"unknown Article 9 text 'matsumoto_letter_1956_en'"):
        dc.translation_card("matsumoto_letter_1956_en")


def test_translation_card_shows_exact_text_marked_words_and_authentic_languages() -> None:
    marked = {ART9[0]: ["transfer", "transfer"], ART9[1]: ["hand over", "changing over"],
              ART9[2]: ["remettre", "remise"], ART9[3]: ["引渡す", "引渡され"],
              ART9[4]: ["передачу", "передача"]}
    for row in dc.article9().itertuples():
        card = dc.translation_card(row.id)
        assert re.findall(r"<mark>(.*?)</mark>", card) == marked[row.id]
        plain = re.sub(r"</?mark>", "", card)
        assert html.escape(row.text)[:200] in plain
        assert html.escape(row.translation)[:60] in plain
        authentic = row.language in ("ja", "ru")
        assert ("This is one of the two authentic texts" in card) == authentic
        assert ("only the Japanese and Russian texts of the declaration are authentic" in card) != authentic
    assert "Words for the act promised: “hand over”, “changing over”" in dc.translation_card(ART9[1])


def test_translation_explorer_updates_when_a_text_is_picked() -> None:
    widget = dc.translation_explorer()
    assert widget.dropdown.value == ART9[0]
    assert widget.display.value == dc.translation_card(ART9[0])
    widget.dropdown.value = ART9[2]
    assert "<mark>remettre</mark>" in widget.display.value
    assert "<mark>transfer</mark>" not in widget.display.value
    widget.dropdown.value = ART9[1]
    assert widget.display.value == dc.translation_card(ART9[1])
    # a fresh call gives fresh widgets: the old one keeps its own state
    assert dc.translation_explorer().dropdown.value == ART9[0]


# --------------------------------------------------------------------------- readings and dates


def test_readings_hold_both_governments_in_their_own_terms() -> None:
    rows = kt.records.rows("positions", dc.reading_ids())
    governments = [r["government"] for r in rows]
    assert set(governments) == {"japan", "russia"}
    assert governments == sorted(governments)  # Japan's first
    page = kt.side_by_side(dc.reading_ids()).text
    japan, russia = re.findall(r"<td>(.*?)</td>", page, flags=re.S)
    assert "Japan&#x27;s government holds that…" in page
    assert "Russia&#x27;s government holds that…" in page
    assert "Soviet territory" in russia and "Soviet territory" not in japan
    assert "&#x27;goodwill&#x27;" in russia
    assert "a final resolution" in russia
    assert "including the territorial issue" in japan


def test_follow_ups_are_the_five_dated_events_shown_in_full() -> None:
    rows = kt.records.rows("timeline", dc.FOLLOW_UP_IDS)
    assert [r["date"] for r in rows] == ["1956-10-19", "1960-01-27", "1993-10-13", "2001-03-25",
                                         "2018-11-14"]
    page = kt.events(dc.FOLLOW_UP_IDS).text
    longest = max((r["summary"] for r in rows), key=len)
    assert html.escape(longest) in page
    assert "19 October 1956" in page


def test_tokyo_declaration_text_names_the_four_islands() -> None:
    text = " ".join(kt.documents("tokyo_declaration_1993")["text"])
    for name in ("択捉島", "国後島", "色丹島", "歯舞群島"):
        assert name in text


def test_discussion_notes_keep_both_readings() -> None:
    notes = dc.discussion_notes()
    assert len(notes) == 5
    assert any(n.startswith("Japan's government reads") for n in notes)
    assert any(n.startswith("Russia's government reads") for n in notes)


# --------------------------------------------------------------------------- areas and shares


def test_two_islands_are_about_seven_percent_on_both_bases() -> None:
    s = dc.selection(["shikotan", "habomai"])
    official = kt.row("islands", "shikotan")["area_km2_official"] + \
        kt.row("islands", "habomai")["area_km2_official"]
    assert s["islands"] == ["shikotan", "habomai"]
    assert s["area_km2_official"] == pytest.approx(official)
    assert s["share_official_pct"] == pytest.approx(100 * official / kt.figure("four_island_area_total"))
    assert 6.0 < s["share_official_pct"] < 7.5
    assert 6.0 < s["share_computed_pct"] < 7.5


def test_complementary_selections_add_up_to_the_whole() -> None:
    small, large = dc.selection(dc.TWO_ISLANDS), dc.selection(["etorofu", "kunashiri"])
    assert small["share_computed_pct"] + large["share_computed_pct"] == pytest.approx(100, abs=0.01)
    # the official per-island figures are rounded, so their sum is close to the total, not equal
    assert small["share_official_pct"] + large["share_official_pct"] == pytest.approx(100, abs=0.5)
    assert dc.selection(dc.FOUR_ISLANDS)["share_computed_pct"] == pytest.approx(100)


def test_selection_accepts_russian_names_and_rejects_others() -> None:
    assert dc.selection(["Iturup", "Kunashir"])["islands"] == ["etorofu", "kunashiri"]
    assert dc.selection("habomai")["islands"] == ["habomai"]
    empty = dc.selection([])
    assert empty["share_official_pct"] == 0.0 and empty["area_km2_computed"] == 0.0
    with pytest.raises(ValueError, match=r"unknown island 'Urup'; valid islands: etorofu, "
                                         r"kunashiri, shikotan, habomai"):
        dc.selection(["Urup"])


def test_areas_agree_with_the_island_table_and_selection() -> None:
    table = dc.areas()
    assert list(table.index) == list(dc.FOUR_ISLANDS)
    assert table.loc["etorofu", "name_ru"] == "Итуруп"
    for ident in dc.FOUR_ISLANDS:
        assert table.loc[ident, "area_km2_official"] == kt.row("islands", ident)["area_km2_official"]
    assert table["share_computed_pct"].sum() == pytest.approx(100, abs=0.2)
    two = table.loc[list(dc.TWO_ISLANDS), "area_km2_official"].sum()
    assert two == pytest.approx(dc.selection(dc.TWO_ISLANDS)["area_km2_official"])
    page = dc.area_table().text
    assert "<th>Area, official (km²)</th>" in page and "<th>Share, computed (%)</th>" in page
    assert "<td>3,166.6</td>" in page and "<td>択捉島</td>" in page


def test_share_explorer_follows_the_ticks() -> None:
    widget = dc.share_explorer()
    assert [i for i, box in widget.checkboxes.items() if box.value] == ["shikotan", "habomai"]
    assert widget.display.value == dc.selection_html(dc.TWO_ISLANDS)
    assert "Official figures: 342.7 km² of 5,003.1 km² = <b>6.8</b> %" in widget.display.value
    for ident in dc.TWO_ISLANDS:
        widget.checkboxes[ident].value = False
    assert "No island ticked" in widget.display.value
    for ident in dc.FOUR_ISLANDS:
        widget.checkboxes[ident].value = True
    assert "Map polygons: " in widget.display.value
    assert re.search(r"Map polygons: [\d,.]+ km² of [\d,.]+ km² = <b>100\.0</b> %", widget.display.value)
    assert widget.checkboxes["etorofu"].description == "Etorofu / Iturup (択捉島 / Итуруп)"


def test_map_highlights_the_two_islands_and_stays_light() -> None:
    page = dc.article9_map().get_root().render()
    assert_offline_map(page)
    assert "The two islands named in Article 9 (1956)" in page
    assert "Named in Article 9: Shikotan, Habomai islands (disputed)" in page
    assert page.count("Named in Article 9 (1956)") == 2  # the popups of the two named islands
    assert page.count("#F0E442") >= 1
    for ident in (*dc.FOUR_ISLANDS, "hokkaido"):
        assert kt.name(ident, "full") in page


# --------------------------------------------------------------------------- exercises


def test_timing_question_explains_every_answer() -> None:
    q = dc.exercise("timing_question")
    assert q.answer == "After a peace treaty between the USSR and Japan is concluded"
    for option in q.options:
        feedback = kt.check(q, option)
        assert feedback.message == q.why[option]
        assert feedback.correct is (option == q.answer)
    assert "1960" in q.why["After all foreign troops have left Japan"]
    with pytest.raises(ValueError, match=r"unknown choice 'Never'; valid choices: On signature"):
        kt.check(q, "Never")


def test_wording_question_widget() -> None:
    box = kt.widget(dc.exercise("wording_question"))
    wrong = "The 'hand over' text names different islands"
    box.answer.value = wrong
    box.button.click()
    assert "✘ Not yet" in box.feedback.value
    assert html.escape("'Shikoton'") in box.feedback.value
    box.answer.value = box.exercise.answer
    box.button.click()
    assert "✔ Correct" in box.feedback.value


def test_share_quiz_accepts_the_share_and_rejects_a_wrong_one() -> None:
    q = dc.exercise("share_quiz")
    official = kt.row("islands", "shikotan")["area_km2_official"] + \
        kt.row("islands", "habomai")["area_km2_official"]
    assert q.expected == pytest.approx(100 * official / kt.figure("four_island_area_total"))
    assert kt.check(q, 6.8).correct and kt.check(q, 7.1).correct
    assert not kt.check(q, 7.3).correct
    box = answered(q, 50.0)
    assert "too high" in box.feedback.value and "Hint" not in box.feedback.value
    box.button.click()  # a second wrong try brings the hint
    assert "Hint: Add the official areas of Shikotan and Habomai" in box.feedback.value
    box.answer.value = round(q.expected, 1)
    box.button.click()
    assert "✔ Correct" in box.feedback.value


# --------------------------------------------------------------------------- sources


def test_sources_used_cover_every_row_shown() -> None:
    ids = dc.sources_used()
    assert len(ids) == len(set(ids))
    assert set(ids) <= set(kt.sources()["id"])
    shown = [*kt.sources_of("documents", ART9), *kt.sources_of("positions", dc.reading_ids()),
             *kt.sources_of("timeline", dc.FOLLOW_UP_IDS),
             *kt.sources_of("documents", ["tokyo_declaration_1993_para2_ja", "matsumoto_letter_1956_en"]),
             *kt.row("figures", "four_island_area_total")["source_ids"]]
    assert set(shown) <= set(ids)
    assert ids[0] == "wikipedia_joint_declaration_1956"
    early = dc.sources_used(["san_francisco_peace_treaty_1951"])
    assert set(kt.row("timeline", "san_francisco_peace_treaty_1951")["source_ids"]) <= set(early)
    assert len(kt.source_list(ids)) == len(ids)
    with pytest.raises(ValueError, match="unknown timeline id 'no_such_event'"):
        dc.sources_used(["no_such_event"])


def test_rows_the_lesson_prose_relies_on() -> None:
    events = kt.timeline(start=1951, end=1956, topic="kuril").set_index("id")
    assert events.loc["london_talks_1955", "date"] == "1955-06"
    assert "London" in events.loc["london_talks_1955", "summary"]
    assert "12 December 1956" in events.loc["joint_declaration_1956", "note"]
    assert "8 December 1956" in events.loc["joint_declaration_1956", "note"]
    readings = kt.records.rows("positions", dc.reading_ids())
    assert "a final resolution" in {r["quote"] for r in readings}
    assert any(r["speaker"] == "Yohei Kono" for r in readings)
    notes = " ".join(dc.article9()["note"])
    assert "authentic languages are Japanese and Russian" in notes


# --------------------------------------------------------------------------- optional reading


def test_details_close_a_quote_under_the_lessons_summary() -> None:
    shown = dc.details("dulles", kt.quote("dulles_shigemitsu_1956_en"), kt.quote("sf_1951_art26_en"))
    page = shown.text
    assert page.startswith('<details class="kt-details"><summary>')
    summary = re.search(r"<summary>(.*?)</summary>", page).group(1)
    assert summary == html.escape(kt.lesson(dc.LESSON).text("details.dulles"))
    for doc in ("dulles_shigemitsu_1956_en", "sf_1951_art26_en"):
        assert html.escape(kt.row("documents", doc)["text"])[:120] in page
    # closed: only the summary line counts towards the reading time
    words = timing._html_words(page)
    assert words == len(re.findall(r"[\w'’-]+", html.unescape(summary)))
    with pytest.raises(ValueError, match=r"unknown optional section 'nope'; valid optional sections: "
                                         r"timeline_1951_1956, dulles"):
        dc.details("nope", kt.quote("sf_1951_art26_en"))
    with pytest.raises(ValueError, match=r"shows tables or quotes.*got: int"):
        dc.details("dulles", 3)
    with pytest.raises(ValueError, match=r"got: nothing"):
        dc.details("dulles")


# --------------------------------------------------------------------------- the code task


def _primary_counts(kind: str = "primary", by: str = "id") -> pd.DataFrame:
    """The task's steps, as a student would write them (``kind`` and ``by`` are the blanks)."""
    links = kt.positions(topic="declaration_1956").explode("source_ids")
    kinds = kt.sources()[["id", "kind"]].rename(columns={"id": "source_ids"})
    links = links.merge(kinds, on="source_ids")
    links["primary"] = links["kind"] == kind
    return links.groupby(by, as_index=False)["primary"].sum()


def test_code_task_solution_counts_each_readings_primary_sources() -> None:
    task = exercises.find_task(TASK)
    right = exercises.expected(task).set_index("id")["primary"]
    kind = dict(zip(kt.sources()["id"], kt.sources()["kind"], strict=True))
    rows = kt.records.rows("positions", dc.reading_ids())
    assert sorted(right.index) == sorted(r["id"] for r in rows)
    for row in rows:  # counted here from the records, one source at a time
        assert right[row["id"]] == sum(kind[s] == "primary" for s in row["source_ids"]), row["id"]
    assert right["jp_1956_territorial_talks_continue"] == 2
    assert right["ru_2019_goodwill_gesture"] == 0
    assert (right > 0).sum() == 4  # what the explanation says
    feedback = kt.check_code(TASK, _primary_counts())
    assert feedback.correct
    assert feedback.message.startswith("Your code gives the expected result. Four of the eight readings")
    assert "Going further: Group by more columns" in feedback.message


def test_code_task_says_what_is_wrong() -> None:
    task = exercises.find_task(TASK)
    secondary = kt.check(task, _primary_counts(kind="secondary"))
    assert not secondary.correct
    assert secondary.message == ("The rows are right, but column primary is not: for "
                                 "jp_1956_territorial_talks_continue it is 0.")
    by_government = kt.check(task, _primary_counts(by="government")).message
    assert by_government.startswith("The table has no column id: check the spelling. It has: "
                                    "government, primary.")
    only_primary = _primary_counts()
    only_primary = only_primary[only_primary["primary"] > 0]
    filtered = kt.check(task, only_primary).message
    assert filtered.startswith("Your table has 4 rows; the answer has 8: check the filter. Rows missing: ")
    assert "ru_2019_goodwill_gesture" in filtered
    doubled = kt.check(task, pd.concat([_primary_counts(), _primary_counts()])).message
    assert doubled.startswith("Some rows appear twice (look at the id column)")
    series = kt.check(task, _primary_counts()["primary"]).message
    assert series.startswith("Your variable holds one column (primary), not a table")
    assert "Hint: Merge links with kinds" in kt.check(task, only_primary, tries=1).message
    assert "Hint" not in filtered


def test_code_task_unanswered_and_the_scaffold_filled_in() -> None:
    assert kt.check_code(TASK, ...).message.startswith("Not answered yet: replace the ... after "
                                                       "`primary_counts =`")
    assert kt.check_code(TASK, None).message.startswith("Not answered yet")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    task_at, check_at = editions.task_cells(nb)[TASK]
    scaffold = nb.cells[task_at].source
    assert nb.cells[check_at].source == f'kt.check_code("{TASK}", primary_counts)'
    assert scaffold.count("____") == 4 and scaffold.endswith("primary_counts = ...")
    # what the markdown above tells a student to do: uncomment, fill the blanks, use counts
    filled = re.sub(r"^# ", "", scaffold, flags=re.M).replace("primary_counts = ...",
                                                               "primary_counts = counts")
    for word in ("kinds", "source_ids", "primary", "id"):
        filled = filled.replace("____", word, 1)
    space: dict = {"kt": kt, "pd": pd}
    exec(compile(filled, "<filled scaffold>", "exec"), space)
    assert kt.check_code(TASK, space["primary_counts"]).correct
    untouched: dict = {"kt": kt, "pd": pd}
    exec(compile(scaffold, "<scaffold>", "exec"), untouched)
    assert untouched["primary_counts"] is Ellipsis


# --------------------------------------------------------------------------- the notebooks


def _cell(nb: nbformat.NotebookNode, ident: str) -> int:
    return [c.id for c in nb.cells].index(ident)


def test_student_notebook_holds_no_answer_and_has_answer_cells_and_an_exit_ticket() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    teacher = {c["id"] for c in kt.lesson(dc.LESSON).get("teacher")}
    assert not teacher & {c.id for c in nb.cells}
    assert not [c for c in nb.cells if editions.SOLUTION_TAG in c.metadata.get("tags", [])]
    text = "\n".join(c.source for c in nb.cells)
    assert "Answer:" not in text and "7 %" not in text and "6.8" not in text
    answers = [c for c in nb.cells if editions.ANSWER_TAG in c.metadata.get("tags", [])]
    assert [c.metadata["kuril_teaching"]["exercise"] for c in answers] == ["article9_discussion",
                                                                           "exit_ticket"]
    assert nb.cells[_cell(nb, "c032a") - 1].source.startswith("### Exercise 4: Discussion")
    assert answers[1].metadata["kuril_teaching"]["minutes"] == 3
    headings = [c.source.split("\n")[0] for c in nb.cells if c.source.startswith("## ")]
    assert headings[-3:] == ["## Exit ticket", "## Key points", "## Sources"]
    # the share explorer, which shows the two islands' share, comes after Exercise 3's check
    assert _cell(nb, "c028") > _cell(nb, "c030")
    # every teacher cell goes after a cell the notebook has
    ids = {c.id for c in nb.cells} | teacher
    assert all(c["after"] in ids for c in kt.lesson(dc.LESSON).get("teacher"))


def test_executed_lesson_fits_its_stated_time() -> None:
    nb = execute_notebook(NOTEBOOK)
    kinds = {k: v["kind"] for k, v in kt.lesson(dc.LESSON).raw["exercises"].items()}
    sections = timing.estimate(nb, kinds)
    teaching, doing = timing.stated_minutes(nb)
    assert teaching + doing <= 50
    assert sum(s.minutes for s in sections) <= teaching + doing
    check = nb.cells[_cell(nb, "c017c")].outputs[0]["data"]["text/html"]
    assert "Not answered yet" in check
    closed = [c.id for c in nb.cells for o in c.get("outputs", [])
              if '<details class="kt-details">' in o.get("data", {}).get("text/html", "")]
    assert closed == ["c005", "981a76f8", "159c8656", "c014", "c020", "c022"]


def test_teacher_edition_runs_with_the_solutions(tmp_path: Path) -> None:
    target = tmp_path / NOTEBOOK.name
    nbformat.write(editions.build("teacher", nbformat.read(NOTEBOOK, as_version=4), NOTEBOOK.name),
                   target)
    nb = execute_notebook(target)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors, errors[:1]

    def printed(ident: str) -> str:
        return "".join(o.get("text", "") for o in nb.cells[_cell(nb, ident)].outputs)

    assert "Answer: After a peace treaty between the USSR and Japan is concluded" in printed("c012")
    assert "mentions sovereignty: False" in printed("c018")
    assert "342.7 km² / 5,003.1 km² = 6.8 %" in printed("c031")
    assert printed("c033").count("\n- ") + 1 == len(dc.discussion_notes())
    assert _cell(nb, "c033") == _cell(nb, "c032a") + 1
    assert _cell(nb, "c033c") == _cell(nb, "c033b") + 1
    check = nb.cells[editions.task_cells(nb)[TASK][1]].outputs[0]["data"]["text/html"]
    assert "✔ Correct" in check
