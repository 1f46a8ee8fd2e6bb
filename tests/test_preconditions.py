"""The January 2019 lesson's library: tables, sorting key, analysis, widgets and the two-views map."""

from __future__ import annotations

import html
import re

import pytest

import kuril_teaching as kt
from kuril_teaching import preconditions as pc

LAVROV_WORDS = "sovereignty over all the islands of the South Kuril Ridge"


def _fills(page: str, colour_key: str) -> int:
    """How many shapes on a rendered map are filled with one palette colour."""
    return page.count(f'"fillColor": "{kt.style.COLOURS[colour_key]}"')


# --------------------------------------------------------------------------- helpers


def test_long_date_forms() -> None:
    assert pc.long_date("2019-01-14") == "14 January 2019"
    assert pc.long_date("2019-04") == "April 2019"
    assert pc.long_date("2024") == "2024"


@pytest.mark.parametrize("bad", ["14 Jan 2019", "2019-13", "2019-02-30", "", "19-01-14"])
def test_long_date_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError, match="valid"):
        pc.long_date(bad)


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
    ids = list(frame["id"])
    timeline = kt.timeline().set_index("id")
    for ident in ids:
        assert "2018-09-01" <= timeline.loc[ident, "date"] <= "2019-01-31"
    assert ids.index(pc.TALKS_EVENT) < ids.index(pc.SUMMIT_EVENT)
    talks = frame[frame["id"] == pc.TALKS_EVENT].iloc[0]
    assert talks["date"] == "14 January 2019"
    assert frame[frame["id"] == pc.SUMMIT_EVENT].iloc[0]["date"] == "22 January 2019"
    assert len(frame) >= 5


@pytest.mark.parametrize(("start", "end"), [("2019", "2019-01-31"), ("2019-02-01", "2019-01-01"),
                                            ("yesterday", "2019-01-31")])
def test_events_reject_bad_ranges(start: str, end: str) -> None:
    with pytest.raises(ValueError):
        pc.events(start, end)


def test_quotes_are_exact_and_show_their_origin() -> None:
    frame = pc.quotes()
    positions = kt.positions().set_index("id")
    assert set(frame["id"]) == {pc.RUSSIA_PRECONDITION, pc.RUSSIA_WORDING}
    for row in frame.itertuples():
        assert row.quote == positions.loc[row.id, "quote"]
        assert positions.loc[row.id, "confidence"] in row.confidence
    assert any(LAVROV_WORDS in q for q in frame["quote"])
    shown = html.unescape(str(pc.quotes_html()))
    assert LAVROV_WORDS in shown and "14 January 2019" in shown
    assert "repost" in shown, "the transcript's caveat must stay visible"
    summit = pc.quotes(pc.SUMMIT_DATE)
    assert list(summit["speaker"].str.startswith("Vladimir Putin")) == [True] * len(summit)


def test_quotes_reject_a_day_without_quotes() -> None:
    with pytest.raises(ValueError, match="valid dates"):
        pc.quotes("2019-01-15")
    with pytest.raises(ValueError, match="valid forms"):
        pc.quotes("14 January")


def test_document_html_shows_article_9_with_its_origin() -> None:
    row = kt.documents().set_index("id").loc[pc.ARTICLE_9]
    shown = html.unescape(str(pc.document_html()))
    assert row["text"] in shown and row["translation"] in shown
    with pytest.raises(ValueError, match="valid ids"):
        pc.document_html("no_such_document")


# --------------------------------------------------------------------------- side by side


def test_side_by_side_has_every_position_once_in_its_column() -> None:
    frame = pc.side_by_side()
    assert list(frame.columns) == ["topic", "Japan", "Russia"]
    positions = kt.positions()
    for government, column in (("japan", "Japan"), ("russia", "Russia")):
        cells = [c for c in frame[column] if c]
        assert len(cells) == (positions["government"] == government).sum()
        for cell in cells:
            assert re.search(r"\b(19|20)\d\d\b", cell) and "sources:" in cell


def test_side_by_side_quotes_exactly_and_filters_by_topic() -> None:
    frame = pc.side_by_side("sovereignty")
    assert set(frame["topic"]) == {"sovereignty"}
    russia = kt.positions("russia", "sovereignty")
    for quote in russia["quote"]:
        if quote:
            assert any(f'"{quote}"' in cell for cell in frame["Russia"])


def test_side_by_side_rejects_unknown_topic() -> None:
    with pytest.raises(ValueError, match="valid topics"):
        pc.side_by_side("weather")


def test_side_by_side_html_escapes_and_labels_columns() -> None:
    page = str(pc.side_by_side_html())
    assert "Japan&#x27;s government" in page or "Japan's government" in page
    assert page.count("<tr>") == len(pc.side_by_side()) + 1


def test_side_by_side_explorer_follows_the_dropdown() -> None:
    widget = pc.side_by_side_explorer()
    everything = widget.table.value
    widget.dropdown.value = "security"
    assert widget.table.value != everything
    assert widget.table.value == str(pc.side_by_side_html("security"))
    with pytest.raises(ValueError, match="valid topics"):
        pc.side_by_side_explorer("weather")


# --------------------------------------------------------------------------- sorting


def test_statements_give_no_attribution_away() -> None:
    frame = pc.statements()
    assert list(frame["item"]) == [chr(ord("A") + i) for i in range(len(pc.SORT_ITEMS))]
    for text in frame["statement"]:
        assert not re.match(r"(Japan|Russia)'s government", text), text


def test_answer_key_comes_from_the_data() -> None:
    key = pc.answer_key()
    positions = kt.positions().set_index("id")
    for item, (table, ident) in zip(key, pc.SORT_ITEMS, strict=True):
        if table == "positions":
            assert key[item] == positions.loc[ident, "government"].capitalize()
        else:
            assert key[item] == "Neither"
    assert set(key.values()) == set(pc.CATEGORIES), "every category should be used"


def test_check_sort_explains_each_misplacement() -> None:
    key = pc.answer_key()
    assert pc.check_sort(key).correct
    wrong_item = next(i for i, c in key.items() if c == "Neither")
    answers = dict(key, **{wrong_item: "Japan"})
    feedback = pc.check_sort(answers)
    assert not feedback.correct
    assert pc.sort_reasons()[wrong_item] in feedback.message


def test_check_sort_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="valid categories"):
        pc.check_sort({"A": "USA"})
    with pytest.raises(ValueError, match="valid items"):
        pc.check_sort({"Z": "Japan"})


def test_sorting_widget_checks_the_dropdowns() -> None:
    widget = pc.sorting_exercise()
    key = pc.answer_key()
    widget.button.click()
    assert "still to sort" in widget.feedback.value
    for item, drop in widget.dropdowns.items():
        drop.value = key[item]
    widget.button.click()
    assert "Correct" in widget.feedback.value


# --------------------------------------------------------------------------- analysis and quizzes


def test_analysis_quotes_both_premises() -> None:
    frame = pc.analysis()
    assert list(frame.columns) == ["If Japan accepted Russia's premise",
                                   "If Russia accepted Japan's premise"]
    premises = " ".join(frame.iloc[0])
    for ident in (pc.RUSSIA_PRECONDITION, pc.JAPAN_WORDING):
        row = kt.positions().set_index("id").loc[ident]
        assert (row["quote"] or row["statement"]) in premises


def test_questions_explain_every_option() -> None:
    questions = [pc.lavrov_question(), *pc.reasoning_questions(), pc.map_question()]
    for q in questions:
        assert set(q.why) == set(q.options)
        assert kt.check_choice(q, q.answer).correct
        wrong = next(o for o in q.options if o != q.answer)
        assert kt.check_choice(q, wrong).message == q.why[wrong]


def test_lavrov_question_matches_his_words() -> None:
    text = kt.positions().set_index("id").loc[pc.RUSSIA_PRECONDITION, "quote"]
    assert "the very first step" in text and "outcome of World War II" in text
    assert "outcome of World War II" in pc.lavrov_question().answer


def test_reasoning_widget_gives_feedback() -> None:
    widget = pc.reasoning_exercise()
    first = widget.quizzes[0]
    first.options.value = pc.reasoning_questions()[0].answer
    first.button.click()
    assert "Correct" in first.feedback.value


# --------------------------------------------------------------------------- the two views


@pytest.mark.parametrize(("view", "expect", "absent"), [
    ("russia", "South Kurils", "Northern Territories"),
    ("japan", "Northern Territories", "South Kurils"),
])
def test_two_views_map_labels_each_view(view: str, expect: str, absent: str) -> None:
    fmap = pc.two_views_map(view)
    page = fmap.get_root().render()
    assert len(page) < 300_000
    assert page.count("L.geoJson(") >= 4
    assert html.escape(expect) in page or expect in page
    assert absent not in page
    # the four islands take the colour of the government whose view is shown
    assert _fills(page, view) >= 4 and _fills(page, "disputed") == 0
    wording = pc.view_wording(view)
    fragment = wording["quote"][:40]
    assert fragment.encode("ascii", "ignore").decode() in page or fragment in page
    assert "administered by the USSR and then Russia since 1945" in page
    assert not re.search(r"<(?:script|link)[^>]+(?:src|href)=\"https?:", page)


def test_two_views_map_rejects_unknown_view() -> None:
    with pytest.raises(ValueError, match="valid views"):
        pc.two_views_map("china")


def test_two_views_widget_toggles_the_map() -> None:
    widget = pc.two_views()
    assert "South Kurils" in html.unescape(widget.map.value)
    widget.toggle.value = "japan"
    shown = html.unescape(widget.map.value)
    assert "Northern Territories" in shown and "South Kurils" not in shown


def test_ground_map_shows_both_descriptions_on_one_colour() -> None:
    page = pc.ground_map().get_root().render()
    assert len(page) < 300_000
    assert page.count("L.geoJson(") >= 5  # the four islands and Hokkaido
    assert _fills(page, "disputed") == 4
    for wording in (pc.view_wording("russia"), pc.view_wording("japan")):
        assert wording["status"] in page
    assert "On the ground" in page


def test_two_views_table_is_a_text_alternative() -> None:
    frame = pc.two_views_table()
    assert len(frame) == 4
    for ident, cell in zip(pc.ISLANDS, frame.iloc[:, 0], strict=True):
        row = kt.islands(group="disputed").set_index("id").loc[ident]
        assert row["name_ja"] in cell and row["name_ru"] in cell
    assert set(frame["on the ground"]) == {"administered by the USSR and then Russia since 1945"}


def test_used_sources_exist_and_include_the_transcript() -> None:
    ids = pc.used_source_ids()
    assert len(kt.source_list(ids)) == len(ids)
    assert "mid_lavrov_2019_01_14_repost" in ids
    for table, ident in pc.SORT_ITEMS:
        frame = {"positions": kt.positions, "timeline": kt.timeline,
                 "fact_checks": kt.fact_checks}[table]().set_index("id")
        assert set(frame.loc[ident, "source_ids"]) <= set(ids)


def test_show_prints_tables_in_full() -> None:
    frame = pc.side_by_side("sovereignty")
    page = html.unescape(str(pc.show(frame)))
    longest = max(frame["Russia"], key=len)
    assert longest in page and "kt-table" in page
    analysis = html.unescape(str(pc.show(pc.analysis())))
    assert "all four islands would be" in analysis, "the analysis keeps its step labels"
    with pytest.raises(ValueError, match="DataFrame"):
        pc.show("not a table")  # type: ignore[arg-type]
