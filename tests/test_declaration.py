"""The 1956 Joint Declaration lesson's module: Article 9's texts, readings, areas, widgets."""

from __future__ import annotations

import html
import re

import pytest

import kuril_teaching as kt
from kuril_teaching import declaration as dc

# --------------------------------------------------------------------------- Article 9


def test_article9_has_the_three_translations_with_their_origins() -> None:
    texts = dc.article9()
    assert set(texts["event_id"]) == {dc.EVENT_ID}
    assert {"en", "fr"} <= set(texts["language"])
    assert (texts["translation"].str.len() > 0).all()
    joined = " ".join(texts["text"])
    assert "agrees to transfer" in joined
    assert "agrees to hand over" in joined
    assert "consent à remettre" in joined
    for text in texts["text"]:
        assert re.search(r"peace treaty|traité de paix", text, flags=re.I), text


def test_options_cover_every_text_and_name_the_key_word() -> None:
    options = dc.translation_options()
    assert [i for _label, i in options] == list(dc.article9()["id"])
    labels = " ".join(label for label, _i in options)
    for word in ("transfer", "hand over", "remettre"):
        assert f"“{word}”" in labels


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("agrees to transfer ... the actual transfer", "en", ["transfer", "transfer"]),
    ("agrees to hand over ... the actual changing over", "en", ["hand over", "changing over"]),
    ("consent à remettre ... la remise effective", "fr", ["remettre", "remise"]),
    ("transferred nothing", "en", []),
])
def test_key_words(text: str, language: str, expected: list[str]) -> None:
    assert dc.key_words(text, language) == expected


def test_highlight_marks_words_and_escapes_the_rest() -> None:
    out = dc.highlight("l'<b> agrees to Transfer", "en")
    assert out == "l&#x27;&lt;b&gt; agrees to <mark>Transfer</mark>"


def test_bad_language_and_document_raise() -> None:
    with pytest.raises(ValueError, match=r"'de'.*valid languages: en"):
        dc.key_words("x", "de")
    with pytest.raises(ValueError, match="'de'"):
        dc.highlight("x", "de")
    with pytest.raises(ValueError, match="unknown Article 9 text 'nope'"):
        dc.translation_card("nope")
    with pytest.raises(ValueError, match="unknown document 'nope'"):
        dc.document_card("nope")


def test_translation_card_shows_exact_text_origin_and_authentic_languages() -> None:
    for row in dc.article9().itertuples():
        card = dc.translation_card(row.id)
        assert "<mark>" in card
        assert "Japanese and Russian" in card
        plain = re.sub(r"</?mark>", "", card)
        assert row.text.replace("'", "&#x27;")[:80] in plain
        assert row.translation.replace("'", "&#x27;")[:40] in plain


def test_translation_explorer_updates_when_a_text_is_picked() -> None:
    widget = dc.translation_explorer()
    ids = [i for _label, i in dc.translation_options()]
    assert widget.display.value == dc.translation_card(ids[0])
    for ident in reversed(ids):
        widget.dropdown.value = ident
        assert widget.display.value == dc.translation_card(ident)
    french = dc.article9().set_index("language").loc["fr", "id"]
    widget.dropdown.value = french
    assert "<mark>remettre</mark>" in widget.display.value
    # a fresh call gives fresh widgets: the old one keeps its own state
    assert dc.translation_explorer().dropdown.value == ids[0]


# --------------------------------------------------------------------------- readings and dates


def test_readings_hold_both_governments_in_their_own_terms() -> None:
    table = dc.readings()
    assert set(table["government"]) == {"japan", "russia"}
    assert list(table["government"]) == sorted(table["government"])  # Japan first
    page = dc.side_by_side()._repr_html_()
    assert "Japan's government" in page
    assert "Russia's government" in page
    russia = " ".join(table.loc[table["government"] == "russia", "quote"])
    assert "Soviet territory" in russia or "goodwill" in " ".join(table["statement"]).lower()


def test_follow_ups_are_the_five_dated_events() -> None:
    table = dc.follow_ups()
    assert list(table["date"]) == ["1956-10-19", "1960-01-27", "1993-10-13", "2001-03-25",
                                   "2018-11-14"]
    with pytest.raises(ValueError, match="no_such_event"):
        dc.follow_ups(["no_such_event"])


def test_tokyo_declaration_text_names_the_four_islands() -> None:
    docs = kt.documents("tokyo_declaration_1993")
    text = " ".join(docs["text"])
    for name in ("択捉島", "国後島", "色丹島", "歯舞群島"):
        assert name in text


def test_discussion_notes_keep_both_readings() -> None:
    notes = " ".join(dc.discussion_notes())
    assert "Japan's government" in notes and "Russia's government" in notes


# --------------------------------------------------------------------------- areas and shares


def test_two_islands_are_about_seven_percent_on_both_bases() -> None:
    s = dc.selection(["shikotan", "habomai"])
    assert 6.0 < s["share_official_pct"] < 7.5
    assert 6.0 < s["share_computed_pct"] < 7.5
    official = kt.data.islands_table().set_index("id")["area_km2_official"]
    assert s["area_km2_official"] == pytest.approx(official["shikotan"] + official["habomai"])
    assert s["share_official_pct"] == pytest.approx(
        100 * s["area_km2_official"] / kt.figure("four_island_area_total"))


def test_complementary_selections_add_up_to_the_whole() -> None:
    small, large = dc.selection(dc.TWO_ISLANDS), dc.selection(["etorofu", "kunashiri"])
    assert small["share_computed_pct"] + large["share_computed_pct"] == pytest.approx(100, abs=0.01)
    # the official per-island figures are rounded, so their sum is close to the total, not equal
    assert small["share_official_pct"] + large["share_official_pct"] == pytest.approx(100, abs=0.5)
    assert dc.selection(dc.FOUR_ISLANDS)["share_computed_pct"] == pytest.approx(100)


def test_selection_accepts_russian_names_and_rejects_others() -> None:
    assert dc.selection(["Iturup", "Kunashir"])["islands"] == ["etorofu", "kunashiri"]
    assert dc.selection([])["share_official_pct"] == 0.0
    with pytest.raises(ValueError, match=r"'Urup'.*valid islands: etorofu"):
        dc.selection(["Urup"])


def test_area_table_rows_agree_with_selection() -> None:
    table = dc.area_table()
    assert list(table.index) == list(dc.FOUR_ISLANDS)
    assert table["share_computed_pct"].sum() == pytest.approx(100, abs=0.2)
    two = table.loc[list(dc.TWO_ISLANDS), "area_km2_official"].sum()
    assert two == pytest.approx(dc.selection(dc.TWO_ISLANDS)["area_km2_official"])


def test_share_explorer_follows_the_ticks() -> None:
    widget = dc.share_explorer()
    assert widget.display.value == dc.selection_html(dc.TWO_ISLANDS)
    assert re.search(r"= <b>(6|7)\.\d %</b>", widget.display.value)
    for ident in dc.TWO_ISLANDS:
        widget.checkboxes[ident].value = False
    assert "No island ticked" in widget.display.value
    for ident in dc.FOUR_ISLANDS:
        widget.checkboxes[ident].value = True
    assert "100.0 %" in widget.display.value
    assert "Итуруп" in widget.checkboxes["etorofu"].description


def test_map_highlights_the_two_islands_and_stays_light() -> None:
    fmap = dc.article9_map()
    page = fmap.get_root().render()
    assert len(page) < 300_000
    assert "The two islands named in Article 9" in page
    assert "Named in Article 9: Shikotan, Habomai islands" in page
    assert "Шикотан" in page and "色丹島" in page and "Итуруп" in page
    assert page.count("#F0E442") >= 1
    layers = re.findall(r"var (geo_json_\w+) = L\.geoJson", page)
    assert len(layers) >= 5  # the four islands and at least Hokkaido
    names = kt.data.islands_table().set_index("id")["name_en"]
    for ident in dc.FOUR_ISLANDS:
        assert f"{names[ident]} — " in page


# --------------------------------------------------------------------------- self-checks


def test_timing_question_explains_every_wrong_answer() -> None:
    q = dc.timing_question()
    assert "peace treaty" in q.answer
    assert kt.check_choice(q, q.answer).correct
    for option in q.options:
        feedback = kt.check_choice(q, option)
        assert feedback.message == q.why[option]
        assert feedback.correct is (option == q.answer)
    assert "1960" in q.why["After all foreign troops have left Japan"]


def test_wording_question_and_widget() -> None:
    q = dc.wording_question()
    assert all(q.why.get(o) for o in q.options)
    box = kt.choice_quiz(q)
    box.options.value = q.options[1]
    box.button.click()
    assert "Not yet" in box.feedback.value
    box.options.value = q.answer
    box.button.click()
    assert "Correct" in box.feedback.value


def test_share_quiz_accepts_the_share_and_rejects_a_wrong_one() -> None:
    box = dc.share_quiz()
    box.entry.value = round(dc.selection(dc.TWO_ISLANDS)["share_official_pct"], 1)
    box.button.click()
    assert "Correct" in box.feedback.value
    box.entry.value = 50.0
    box.button.click()
    assert "too high" in box.feedback.value


def test_sources_used_cover_every_row_shown() -> None:
    ids = dc.sources_used()
    known = set(kt.sources()["id"])
    assert ids and set(ids) <= known
    for row in dc.article9().itertuples():
        assert set(row.source_ids) <= set(ids)
    assert len(kt.source_list(ids)) == len(ids)
    with pytest.raises(ValueError, match="no_such_event"):
        dc.sources_used(["no_such_event"])


def test_full_table_keeps_whole_summaries_and_escapes() -> None:
    events = dc.follow_ups()
    page = dc.full_table(events)._repr_html_()
    longest = max(events["summary"], key=len)
    assert html.escape(longest, quote=False)[:200] in page
    assert ", ".join(events.loc[0, "source_ids"]) in page
    assert "<script" not in dc.full_table(events.assign(title="<script>")).html


def test_rows_the_lesson_prose_relies_on() -> None:
    events = kt.timeline(start=1951, end=1956, topic="kuril").set_index("id")
    assert events.loc["london_talks_1955", "date"] == "1955-06"
    assert "London" in events.loc["london_talks_1955", "summary"]
    assert "12 December 1956" in events.loc["joint_declaration_1956", "note"]
    assert "8 December 1956" in events.loc["joint_declaration_1956", "note"]
    table = dc.readings()
    assert "a final resolution" in set(table["quote"])
    assert (table["speaker"] == "Yohei Kono").any()
    notes = " ".join(dc.article9()["note"])
    assert "authentic languages are Japanese and Russian" in notes
