"""The news lesson's library: claims, the claim checker, the method exercises, the record."""

from __future__ import annotations

import html
from pathlib import Path

import nbformat
import pytest
from conftest import answered, execute_notebook, page_features

import kuril_teaching as kt
from kuril_teaching import content, editions, exercises, news

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "06_reading_the_news.ipynb"

VERDICTS = ("accurate", "partly accurate", "inaccurate", "cannot be checked")


def _text(value: object) -> str:
    return html.unescape(str(value))


def _lesson() -> content.Lesson:
    return content.lesson("06_reading_the_news")


# --------------------------------------------------------------------------- claims


def test_content_file_is_valid() -> None:
    assert list(_lesson().get("exercises")) == ["fact_or_interpretation", "trail_unrealistic",
                                                "trail_repost", "spot_the_slip",
                                                "primary_sources_per_claim",
                                                "interpretation_discussion"]
    assert _lesson().text("lesson.title").startswith("Reading the news")


def test_claims_are_the_fact_checks_in_the_projects_words() -> None:
    frame = news.claims()
    checks = kt.fact_checks()
    assert list(frame.columns) == ["claim", "id", "what the piece claims (project's paraphrase)"]
    assert list(frame["id"]) == list(checks["id"])
    assert list(frame["claim"]) == [f"({c})" for c in "abcdef"]
    assert list(frame.iloc[:, 2]) == list(checks["claim"])
    key = news.claims(verdicts=True)
    assert list(key.columns[3:]) == ["verdict", "why", "evidence rows", "confidence"]
    assert list(key["verdict"]) == list(checks["verdict"])
    assert list(key["why"]) == list(checks["explanation"])
    assert key.iloc[5]["evidence rows"] == \
        "moscow_declaration_1998, tokyo_statement_2000, tokyo_statement_2000_en"


def test_claim_letters() -> None:
    assert news.claim_letter("fc_g20_singapore") == "(a)"
    assert news.claim_letter("fc_border_commission") == "(f)"
    with pytest.raises(ValueError, match="unknown claim id 'fc_nope'; valid claim ids: fc_g20_singapore"):
        news.claim_letter("fc_nope")


def test_evidence_pool_is_every_cited_row_in_date_order() -> None:
    frame = news.evidence_rows()
    assert list(frame.columns) == ["id", "table", "date", "title", "confidence", "source_ids",
                                   "cited_by"]
    cited = {i for ids in kt.fact_checks()["evidence_ids"] for i in ids}
    assert set(frame["id"]) == cited and len(frame) == len(cited)
    record = {**kt.timeline().set_index("id")["date"].to_dict(),
              **kt.positions().set_index("id")["date"].to_dict()}
    dates = [record[i] for i in frame["id"] if i in record]
    assert dates == sorted(dates)
    bluebook = frame[frame["id"] == "diplomatic_bluebook_2019"].iloc[0]
    assert bluebook["cited_by"] == "(b), (d)" and bluebook["date"] == "23 April 2019"
    assert bluebook["table"] == "timeline"
    lavrov = frame[frame["id"] == "ru_2019_recognise_wwii_outcome"].iloc[0]
    assert lavrov["title"].startswith("Sergey Lavrov (Minister of Foreign Affairs): Russia holds")
    statement = frame[frame["id"] == "tokyo_statement_2000_en"].iloc[0]
    assert statement["table"] == "documents" and statement["date"] == "5 September 2000"


def test_evidence_rows_for_one_claim_and_chosen_columns() -> None:
    frame = news.evidence_rows("fc_lavrov_precondition", columns=["date", "id"])
    assert list(frame.columns) == ["date", "id"]
    assert set(frame["id"]) == {"lavrov_kono_talks_2019", "ru_2019_recognise_wwii_outcome",
                                "ru_2019_sovereignty_not_discussed", "moscow_summit_2019"}
    assert list(frame["date"])[-1] == "22 January 2019"
    with pytest.raises(ValueError, match="valid claim ids"):
        news.evidence_rows("lavrov")
    with pytest.raises(ValueError, match="unknown column 'speaker'; valid columns: id, table, date"):
        news.evidence_rows(columns=["speaker"])


def test_record_shows_dates_exact_quotes_sources_and_confidence() -> None:
    shown = _text(news.record("fc_lavrov_precondition"))
    assert "The record for claim (c) (4 rows, oldest first):" in shown
    lavrov = kt.positions().set_index("id").loc["ru_2019_recognise_wwii_outcome"]
    assert lavrov["quote"] in shown
    assert "14 January 2019" in shown and "22 January 2019" in shown
    assert "mid_lavrov_2019_01_14_repost" in shown
    assert "Sergey Lavrov, 14 January 2019:" in shown
    assert ("medium confidence: English translation published by Russia's Ministry of Foreign Affairs "
            "(its own English transcript) and read only in a repost") in shown
    assert "Russia's government holds that…" in shown


def test_record_shows_each_document_once() -> None:
    shown = _text(news.record("fc_border_commission"))
    doc = kt.documents().set_index("id").loc["tokyo_statement_2000_en"]
    assert shown.count(doc["text"].strip()) == 1
    assert doc["translation"] in shown
    assert "13 November 1998" in shown
    china = _text(news.record("fc_china_basic_treaty_1999"))  # a document filed under a row
    phrase = kt.documents().set_index("id").loc["sino_russian_1997_statement_phrase_en", "text"]
    assert phrase.strip() in china and "16 July 2001" in china


def test_record_rejects_unknown_claims() -> None:
    with pytest.raises(ValueError, match=r"valid claim ids: fc_g20_singapore"):
        news.record("treaty_of_shimoda_1855")


# --------------------------------------------------------------------------- check_claim


def test_right_verdict_and_row() -> None:
    feedback = news.check_claim("fc_g20_singapore", "partly accurate", "buenos_aires_meeting_2018")
    assert isinstance(feedback, kt.Feedback) and feedback.correct
    assert feedback.message.startswith(
        "Verdict: yes, the project rates claim (a) 'partly accurate' (high confidence).")
    assert "Buenos Aires on 1 December 2018" in feedback.message
    assert "Evidence: yes, buenos_aires_meeting_2018 (Abe-Putin meeting at the G20 Buenos Aires " \
           "summit sets the …) is one of the 4 rows this check rests on." in feedback.message


@pytest.mark.parametrize("claim_id", list(kt.fact_checks()["id"]))
def test_every_claim_has_a_right_answer(claim_id: str) -> None:
    check = kt.fact_checks().set_index("id").loc[claim_id]
    for row in check["evidence_ids"]:
        assert news.check_claim(claim_id, check["verdict"], row).correct
    other = next(v for v in VERDICTS if v != check["verdict"])
    assert not news.check_claim(claim_id, other, check["evidence_ids"][0]).correct


def test_wrong_verdict_gets_a_hint_not_the_answer() -> None:
    feedback = news.check_claim("fc_china_basic_treaty_1999", "accurate", "sino_russian_treaty_2001")
    assert not feedback.correct
    assert feedback.message.startswith("Verdict: 'accurate' is not what the record supports for "
                                       "claim (e). Does every detail match?")
    assert "Evidence: yes, sino_russian_treaty_2001" in feedback.message
    assert "16 July 2001" not in feedback.message  # the explanation comes with the right verdict
    assert "inaccurate" not in feedback.message


@pytest.mark.parametrize("claim_id", list(kt.fact_checks()["id"]))
def test_a_first_and_second_wrong_try_never_name_the_verdict(claim_id: str) -> None:
    check = kt.fact_checks().set_index("id").loc[claim_id]
    row = check["evidence_ids"][0]
    for chosen in (v for v in VERDICTS if v != check["verdict"]):
        for tries in (0, 1):
            message = news.check_claim(claim_id, chosen, row, tries).message
            assert f"'{check['verdict']}'" not in message and check["explanation"] not in message
            # the hint depends only on the verdict chosen: the same for every right verdict
            assert _lesson().text(f"checker.hints.{chosen}") in message


def test_the_verdict_comes_after_two_wrong_tries() -> None:
    check = kt.fact_checks().set_index("id").loc["fc_china_basic_treaty_1999"]
    message = news.check_claim("fc_china_basic_treaty_1999", "partly accurate",
                               "sino_russian_treaty_2001", tries=exercises.REASONS_AFTER).message
    assert message.startswith("Verdict: not 'partly accurate'. The project rates claim (e) "
                              "'inaccurate' (high confidence).")
    assert check["explanation"] in message


def test_every_wrong_verdict_has_its_own_hint() -> None:
    hints = _lesson().get("checker.hints")
    assert set(hints) == set(VERDICTS)
    assert len(set(hints.values())) == len(VERDICTS)
    message = news.check_claim("fc_lavrov_precondition", "cannot be checked", "moscow_summit_2019").message
    assert "The record does hold dated evidence on this claim" in message


def test_row_of_another_claim_is_named() -> None:
    feedback = news.check_claim("fc_border_commission", "accurate", "singapore_agreement_2018")
    assert not feedback.correct
    assert "Verdict: yes, the project rates claim (f) 'accurate'" in feedback.message
    assert "singapore_agreement_2018 (Abe-Putin meeting in Singapore: talks to be accelerated on " \
           "the basis …) is evidence for claim (a), not for (f). The record for (f) is below: " \
           "cite one of its rows." in feedback.message
    shared = news.check_claim("fc_g20_singapore", "partly accurate", "diplomatic_bluebook_2019")
    assert "is evidence for claim (b), (d), not for (a)" in shared.message


def test_show_the_answer_gives_verdict_reasons_and_rows() -> None:
    check = kt.fact_checks().set_index("id").loc["fc_border_commission"]
    answer = news.claim_answer("fc_border_commission")
    assert answer.startswith("The project rates claim (f) 'accurate' (high confidence).")
    assert check["explanation"] in answer
    assert answer.endswith("The check rests on the rows moscow_declaration_1998, "
                           "tokyo_statement_2000, tokyo_statement_2000_en.")


def test_record_before_the_verdict_leaves_out_notes_that_name_a_fact_check() -> None:
    note = kt.timeline().set_index("id").loc["singapore_agreement_2018", "note"]
    assert "Singapore was not a G20 summit (see fact check fc_g20_singapore)." in note
    judged = _text(news.record("fc_g20_singapore"))
    unjudged = _text(news.record("fc_g20_singapore", judged=False))
    assert "Singapore was not a G20 summit" in judged
    assert "Singapore was not a G20 summit" not in unjudged and "fact check" not in unjudged
    assert "The Kremlin's summary speaks of intensifying talks" in unjudged  # the rest of the note
    china = _text(news.record("fc_china_basic_treaty_1999", judged=False))
    assert "fact check" not in china and "Ratification dates" in china
    for claim_id in kt.fact_checks()["id"]:
        assert "fact check" not in _text(news.record(claim_id, judged=False))


def test_missing_choices_ask_for_them() -> None:
    both = news.check_claim("fc_g20_singapore", None, None)
    assert not both.correct and both.message == "Choose a verdict and an evidence row first."
    assert news.check_claim("fc_g20_singapore", "accurate", None).message == \
        "Choose an evidence row first."
    assert news.check_claim("fc_g20_singapore", None, "singapore_agreement_2018").message == \
        "Choose a verdict first."


@pytest.mark.parametrize(("args", "match"), [
    (("fc_x", "accurate", "singapore_agreement_2018"), "unknown claim id 'fc_x'; valid claim ids"),
    (("fc_g20_singapore", "true", "singapore_agreement_2018"),
     "unknown verdict 'true'; valid verdicts: accurate, partly accurate, inaccurate, cannot be checked"),
    (("fc_g20_singapore", "accurate", "no_such_row"),
     "unknown evidence id 'no_such_row'; valid evidence ids: .*singapore_agreement_2018"),
])
def test_check_claim_rejects_bad_input(args: tuple[str, str, str], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        news.check_claim(*args)


def test_feedback_html_and_record_of_claim_d() -> None:
    feedback = news.check_claim("fc_illegally_occupied", "partly accurate",
                                "jp_mofa_illegal_occupation")
    page = _text(feedback._repr_html_())
    assert "✔ Correct." in page and "2003 edition" in page
    quote = kt.positions().set_index("id").loc["jp_2022_bluebook_illegal_occupation", "quote"]
    shown = _text(news.record("fc_illegally_occupied"))
    assert quote in shown and "Japan's government holds that…" in shown


# --------------------------------------------------------------------------- the widget


def test_claim_checker_callbacks() -> None:
    box = news.claim_checker()
    assert box.claim.value == "fc_g20_singapore" and box.feedback.value == ""
    box.button.click()
    assert "Choose a verdict and an evidence row first." in box.feedback.value
    box.verdict.value = "accurate"
    box.button.click()
    assert "Choose an evidence row first." in box.feedback.value
    assert "The record for claim" not in box.feedback.value
    box.evidence.value = "singapore_agreement_2018"
    box.button.click()
    shown = _text(box.feedback.value)
    assert "✘ Not yet." in shown and "is not what the record supports" in shown
    assert "The record for claim (a) (4 rows, oldest first):" in shown
    assert "Abe-Putin meeting at the G20 Buenos Aires summit" in shown
    assert "Singapore was not a G20 summit" not in shown  # the note would give the verdict away
    box.verdict.value = "partly accurate"
    box.button.click()
    shown = _text(box.feedback.value)
    assert "✔ Correct." in shown and "Singapore was not a G20 summit" in shown


def test_claim_checker_gives_the_verdict_after_two_wrong_tries() -> None:
    box = news.claim_checker("fc_china_basic_treaty_1999")
    box.evidence.value = "sino_russian_treaty_2001"
    for verdict in ("accurate", "partly accurate"):
        box.verdict.value = verdict
        box.button.click()
        assert "The project rates" not in _text(box.feedback.value)
        assert "fact check" not in _text(box.feedback.value)
    box.button.click()
    shown = _text(box.feedback.value)
    assert "✘ Not yet." in shown and "The project rates claim (e) 'inaccurate'" in shown
    assert "relevant to fact check fc_china_basic_treaty_1999" in shown


def test_claim_checker_show_the_answer() -> None:
    box = news.claim_checker("fc_unrealistic_demand")
    assert box.reveal.description == "Show the answer"
    box.reveal.click()
    shown = _text(box.feedback.value)
    assert news.claim_answer("fc_unrealistic_demand") in shown
    assert "The record for claim (b) (4 rows, oldest first):" in shown
    box.claim.value = "fc_g20_singapore"  # a new claim starts again
    assert box.feedback.value == ""


def test_claim_checker_resets_on_a_new_claim() -> None:
    box = news.claim_checker("fc_border_commission")
    box.verdict.value, box.evidence.value = "accurate", "moscow_declaration_1998"
    box.button.click()
    assert "✔ Correct." in _text(box.feedback.value)
    box.claim.value = "fc_unrealistic_demand"
    assert box.verdict.value is None and box.evidence.value is None and box.feedback.value == ""
    assert "Claim (b) (the project's paraphrase):" in _text(box.children[1].value)
    assert "Kunashiri and Etorofu" in _text(box.children[1].value)
    with pytest.raises(ValueError, match="unknown claim id 'nope'; valid claim ids"):
        news.claim_checker("nope")


def test_claim_checker_offers_the_whole_pool() -> None:
    box = news.claim_checker()
    offered = [v for _, v in box.evidence.options if v is not None]
    assert offered == list(news.evidence_rows()["id"])
    assert box.evidence.options[0] == ("— choose the row you cite —", None)
    assert [v for _, v in box.verdict.options] == list(VERDICTS)
    assert box.verdict.description == "Verdict:" and box.button.description == "Check"


# --------------------------------------------------------------------------- the method


def test_fact_or_interpretation_key() -> None:
    ex = news.exercise("fact_or_interpretation")
    assert isinstance(ex, kt.Sorting) and len(ex.items) == 9
    assert ex.categories == ("fact claim (checkable)", "interpretation or opinion")
    facts = {k for k, v in ex.key.items() if v == ex.categories[0]}
    assert facts == {"A", "C", "E", "H"}
    items = {i["id"]: i for i in _lesson().get("exercises.fact_or_interpretation.items")}
    for k in facts:  # every fact claim names the timeline rows that settle it
        assert items[k]["events"]
        for event in items[k]["events"]:
            assert event in ex.reasons[k]
    assert not any(r.endswith(".") for r in ex.reasons.values())  # the feedback adds the full stop
    assert kt.check(ex, dict(ex.key)).message == "All 9 sorted correctly."
    assert set(ex.hints) == set(ex.items)  # a nudge for every sentence, never its category
    for hint in ex.hints.values():
        assert not any(c in hint.lower() for c in ("fact claim", "interpretation", "opinion"))


def test_fact_or_interpretation_widget() -> None:
    box = kt.widget(news.exercise("fact_or_interpretation"))
    key = box.exercise.key
    for k, drop in box.answer.items():
        drop.value = key[k]
    box.answer["B"].value = "fact claim (checkable)"
    box.button.click()
    assert "8 of 9" in box.feedback.value and "identity" not in box.feedback.value
    assert html.escape(box.exercise.hints["B"]) in box.feedback.value
    box.button.click()
    box.button.click()  # after two wrong tries the reason comes
    assert "B → interpretation or opinion (The identity argument" in _text(box.feedback.value)
    box.answer["B"].value = "interpretation or opinion"
    box.button.click()
    assert "✔" in box.feedback.value and "All 9 sorted correctly." in box.feedback.value


def test_exercise_rejects_unknown_ids() -> None:
    with pytest.raises(ValueError, match="unknown exercise 'slips'; valid exercises: "
                                         "fact_or_interpretation, trail_unrealistic"):
        news.exercise("slips")


def test_source_trail_reads_kind_and_found_at() -> None:
    trail = news.source_trail("fc_illegally_occupied")
    assert list(trail.columns) == ["source", "kind", "publisher", "date", "title", "read at", "note"]
    assert list(trail["kind"]) == sorted(trail["kind"], key=["primary", "secondary"].index)
    asahi = trail[trail["source"] == "asahi_2022_04_01"].iloc[0]
    assert asahi["read at"] == kt.sources().set_index("id").loc["asahi_2022_04_01", "found_at"]
    assert asahi["date"] == "1 April 2022"
    mofa = trail[trail["source"] == "mofa_northern_territories"].iloc[0]
    assert mofa["date"] == "not dated" and mofa["read at"] == "at the address given (url)"
    lavrov = news.source_trail("fc_lavrov_precondition", columns=["source", "type"])
    assert list(lavrov.columns) == ["source", "kind"]
    assert list(lavrov.iloc[0]) == ["mid_lavrov_2019_01_14_repost", "primary"]
    with pytest.raises(ValueError, match="valid claim ids"):
        news.source_trail("lavrov")


def test_trail_questions_explain_with_the_data() -> None:
    first, second = news.trail_questions()
    assert first.answer == ("A Kyodo news agency report citing unnamed government sources, read in "
                            "other outlets")
    assert "(urdupoint_sputnik_2019_01_21, uawire_2019_01_kyodo)" in first.why[first.answer]
    assert "Chief Cabinet Secretary's (low confidence)" in \
        first.why["A statement published by Japan's government"]
    assert kt.check(second, second.answer).correct
    note = kt.sources().set_index("id").loc["mid_lavrov_2019_01_14_repost", "note"]
    assert second.why[second.answer] == \
        f"Yes: {note} That is why the quotes carry medium confidence."
    wrong = kt.check(second, "On the Russian foreign ministry's own website")
    assert not wrong.correct and "not located" in wrong.message
    with pytest.raises(ValueError, match="unknown choice 'the web'"):
        kt.check(second, "the web")


def test_trail_question_widget() -> None:
    box = answered(news.trail_questions()[0], "A transcript of the 22 January 2019 summit")
    assert "✘" in box.feedback.value and "predates the summit" in box.feedback.value
    box.answer.value = box.exercise.answer
    box.button.click()
    assert "✔" in box.feedback.value


def test_pitfalls_come_from_the_timeline() -> None:
    frame = news.pitfalls()
    assert list(frame.columns) == ["easy to confuse", "the record", "where sources differ", "rows"]
    assert len(frame) == 6
    first = frame.iloc[0]
    assert "14 November 2018" in first["the record"] and "1 December 2018" in first["the record"]
    china = frame[frame["rows"].str.contains("sino_russian_treaty_2001")].iloc[0]
    assert "16 July 2001" in china["the record"] and "9 December 1999" in china["the record"]
    assert frame["where sources differ"].str.contains("3 September 2000").any()
    assert list(news.pitfalls(columns=["text", "record"]).columns) == ["easy to confuse", "the record"]


def test_slip_key_matches_the_record() -> None:
    ex = news.exercise("spot_the_slip")
    assert ex.categories == ("matches the record", "does not match the record")
    assert {k for k, v in ex.key.items() if v == "matches the record"} == {"B", "F"}
    timeline = kt.timeline().set_index("id")
    assert timeline.loc["sino_russian_treaty_2001", "date"] == "2001-07-16"
    assert ex.reasons["C"] == "The treaty was signed on 16 July 2001"
    assert timeline.loc["lavrov_kono_talks_2019", "date"] == "2019-01-14"
    assert "14 January 2019" in ex.reasons["D"]
    assert timeline.loc["sino_russian_border_protocols_1999", "date"] == "1999-12-09"
    assert "9 December 1999" in ex.reasons["B"]
    assert set(ex.hints) == set(ex.items)
    for hint in ex.hints.values():
        assert "match" not in hint.lower() and "slip" not in hint.lower()
    wrong = {**ex.key, "C": "matches the record"}
    first = kt.check(ex, wrong).message
    assert ex.hints["C"] in first and "16 July 2001" not in first
    assert "C → does not match the record (The treaty was signed on 16 July 2001)" in \
        kt.check(ex, wrong, tries=2).message
    box = kt.widget(ex)
    for k, drop in box.answer.items():
        drop.value = ex.key[k]
    box.button.click()
    assert "All 6 sorted correctly." in box.feedback.value


# --------------------------------------------------------------------------- map text, sources


def test_terms_table_matches_official_areas() -> None:
    frame = news.terms_table().set_index("island")
    islands = kt.islands(group="disputed").set_index("id")
    assert list(frame.index) == ["Etorofu / Iturup", "Kunashiri / Kunashir", "Shikotan",
                                 "Habomai Islands / Khabomai"]
    assert frame.loc["Shikotan", "area, km² (Japanese survey)"] == \
        islands.loc["shikotan", "area_km2_official"]
    assert frame.loc["Shikotan", "Russian"] == "Шикотан"
    assert list(frame["named in Article 9 of the 1956 Declaration"]) == ["no", "no", "yes", "yes"]
    two = kt.share_of_disputed_area(["shikotan", "habomai"], basis="official")
    shares = frame["share of the four islands' land"].str.rstrip(" %").astype(float)
    assert abs(shares.iloc[2:].sum() - 100 * two) < 0.15


def test_china_order_is_chronological() -> None:
    frame = news.china_order()
    ids = list(frame["id"])
    assert ids.index("sino_soviet_eastern_border_agreement_1991") < \
        ids.index("sino_russian_border_protocols_1999") < ids.index("sino_russian_treaty_2001")
    assert frame.iloc[0]["date"] == "16 May 1991"
    assert "sino_russian_island_transfer_2008" in ids and "sino_russian_ratification_2005" in ids
    chosen = news.china_order(columns=["date", "type", "id"])
    assert list(chosen.columns) == ["date", "kind", "id"]
    with pytest.raises(ValueError, match="unknown column 'kind'; valid columns: date, what, type"):
        news.china_order(columns=["kind"])


def test_sources_used_exist_and_cover_what_is_shown() -> None:
    ids = news.sources_used()
    assert len(ids) == len(set(ids))
    assert len(kt.source_list(ids)) == len(ids)
    for row in kt.fact_checks()["source_ids"]:
        assert set(row) <= set(ids)
    assert set(kt.positions().set_index("id").loc["ru_2019_recognise_wwii_outcome", "source_ids"]) \
        <= set(ids)
    islands = kt.islands(group="disputed").set_index("id")
    assert set(islands.loc["habomai", "area_official_source_ids"]) <= set(ids)


def test_the_lesson_map_highlights_the_1956_islands() -> None:
    fmap = kt.island_map(highlight=["shikotan", "habomai"],
                         title="The 1956 terms: Shikotan and the Habomai islets")
    page = fmap.get_root().render()
    assert len(fmap._repr_html_()) < 300_000
    colour = kt.style.COLOURS["highlight"]
    assert sum(f["properties"]["style"]["fillColor"] == colour for f in page_features(page)) >= 2
    assert "Shikotan" in page and "Шикотан" in page


# --------------------------------------------------------------------------- try it in code

TASK = "primary_sources_per_claim"


def _primary_counts() -> dict[str, int]:
    """Primary sources per fact check, counted here from the two tables without pandas joins."""
    kinds = dict(zip(kt.sources()["id"], kt.sources()["kind"], strict=True))
    return {c: sum(kinds[s] == "primary" for s in ids)
            for c, ids in zip(kt.fact_checks()["id"], kt.fact_checks()["source_ids"], strict=True)}


def _student_answer(kind: str) -> object:
    checks = kt.fact_checks()[["id", "source_ids"]].explode("source_ids")
    checks = checks.rename(columns=dict(source_ids="source"))
    kinds = kt.sources()[["id", "kind"]].rename(columns=dict(id="source"))
    both = checks.merge(kinds, on="source")
    both["primary"] = both["kind"] == kind
    return both.groupby("id")["primary"].sum()


def test_code_task_solution_passes_and_counts_primary_sources() -> None:
    exercises._TRIES.pop(TASK, None)
    task = exercises.find_task(TASK)
    right = exercises.expected(task).set_index("id")["primary"].to_dict()
    assert right == _primary_counts()
    assert right["fc_unrealistic_demand"] == 0  # what the explanation says about claim (b)
    feedback = kt.check_code(TASK, _student_answer("primary").reset_index())
    assert feedback.correct and "claim (b) cites no primary source" in feedback.message
    assert "Going further:" in feedback.message


def test_code_task_wrong_kind_gets_the_specific_message() -> None:
    exercises._TRIES.pop(TASK, None)
    wrong = _student_answer("secondary").reset_index()
    feedback = kt.check_code(TASK, wrong)
    first = sorted(_primary_counts())[0]  # the first row the check compares
    secondary = len(kt.fact_checks().set_index("id").loc[first, "source_ids"]) - \
        _primary_counts()[first]
    assert not feedback.correct
    assert feedback.message == (f"The rows are right, but column primary is not: for {first} it "
                                f"is {secondary}.")
    again = kt.check_code(TASK, wrong)
    assert "groupby" in again.message  # the hint comes with the second wrong check
    exercises._TRIES.pop(TASK, None)


def test_code_task_without_reset_index_or_unanswered() -> None:
    exercises._TRIES.pop(TASK, None)
    series = kt.check_code(TASK, _student_answer("primary"))
    assert not series.correct and "add .reset_index()" in series.message
    empty = kt.check_code(TASK, ...)
    assert not empty.correct and empty.message.startswith("Not answered yet")
    exercises._TRIES.pop(TASK, None)


# --------------------------------------------------------------------------- the notebook


def _student() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def test_student_notebook_gives_no_verdict_away() -> None:
    nb = _student()
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "The inaccurate one" not in markdown and "only partly accurate" not in markdown
    for why in kt.fact_checks()["explanation"]:
        assert why[:60] not in markdown
    sources = "\n".join(c.source for c in nb.cells)
    assert "verdicts=True" not in sources and "key[" not in sources
    teacher = editions.build("teacher", nb, NOTEBOOK.name)
    summing_up = next(c for c in teacher.cells if c.get("id") == "c040a")
    assert "The inaccurate one is the date of the Russia–China treaty" in summing_up.source


def test_student_notebook_has_answer_cells_and_an_exit_ticket() -> None:
    nb = _student()
    answers = [c for c in nb.cells if "answer" in c.metadata.get("tags", [])]
    assert [c.metadata["kuril_teaching"]["exercise"] for c in answers] == \
        ["interpretation_discussion", "exit_ticket"]
    ids = [c.get("id") for c in nb.cells]
    headings = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown"]
    assert headings.index("## Exit ticket") + 2 == headings.index("## Key points")
    assert ids.index("c038a") == ids.index("c038") + 1
    check = next(c for c in nb.cells if c.get("id") == "c032c")
    assert check.source == f'kt.check_code("{TASK}", per_claim)'
    assert editions.task_cells(nb)[TASK] == (ids.index("c032b"), ids.index("c032c"))


def test_teacher_edition_runs_with_the_solutions(tmp_path: Path) -> None:
    teacher = editions.build("teacher", _student(), NOTEBOOK.name)
    path = tmp_path / NOTEBOOK.name
    nbformat.write(teacher, path)
    ran = execute_notebook(path)
    out = {c.get("id"): c for c in ran.cells}
    task_out = "".join(o.get("data", {}).get("text/html", "") for o in out["c032c"].outputs)
    assert "✔ Correct." in html.unescape(task_out)
    key = "".join(o.get("text", "") for o in out["c014"].outputs)
    assert "(e) INACCURATE (high confidence)" in key
