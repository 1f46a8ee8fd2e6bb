"""The news lesson's library: claims, the claim checker, the method exercises, the record."""

from __future__ import annotations

import html

import pytest

import kuril_teaching as kt
from kuril_teaching import news


def _text(value: str) -> str:
    return html.unescape(value)


# --------------------------------------------------------------------------- claims


def test_claims_are_the_fact_checks_in_the_projects_words() -> None:
    frame = news.claims()
    checks = kt.fact_checks()
    assert list(frame["id"]) == list(checks["id"])
    assert list(frame["claim"]) == [f"({c})" for c in "abcdef"]
    assert list(frame.iloc[:, 2]) == list(checks["claim"])
    assert "verdict" not in frame.columns, "the student's table must not give the answer away"
    key = news.claims(verdicts=True)
    assert list(key["verdict"]) == list(checks["verdict"])
    assert list(key["why"]) == list(checks["explanation"])


def test_claim_letters() -> None:
    assert news.claim_letter("fc_g20_singapore") == "(a)"
    assert news.claim_letter("fc_border_commission") == "(f)"
    with pytest.raises(ValueError, match="valid claim ids: fc_g20_singapore"):
        news.claim_letter("fc_nope")


def test_evidence_pool_is_every_cited_row_in_date_order() -> None:
    frame = news.evidence_rows()
    cited = {i for ids in kt.fact_checks()["evidence_ids"] for i in ids}
    assert set(frame["id"]) == cited and len(frame) == len(cited)
    record = {**kt.timeline().set_index("id")["date"].to_dict(),
              **kt.positions().set_index("id")["date"].to_dict()}
    dates = [record.get(i) for i in frame["id"] if i in record]
    assert dates == sorted(dates)
    bluebook = frame[frame["id"] == "diplomatic_bluebook_2019"].iloc[0]
    assert bluebook["cited_by"] == "(b), (d)" and bluebook["date"] == "23 April 2019"


def test_evidence_rows_for_one_claim() -> None:
    frame = news.evidence_rows("fc_lavrov_precondition")
    assert set(frame["id"]) == set(kt.fact_checks().set_index("id").loc[
        "fc_lavrov_precondition", "evidence_ids"])
    with pytest.raises(ValueError, match="valid claim ids"):
        news.evidence_rows("lavrov")


def test_record_shows_dates_exact_quotes_sources_and_confidence() -> None:
    shown = _text(str(news.record_html("fc_lavrov_precondition")))
    lavrov = kt.positions().set_index("id").loc["ru_2019_recognise_wwii_outcome"]
    assert lavrov["quote"] in shown
    assert "14 January 2019" in shown and "22 January 2019" in shown
    assert "mid_lavrov_2019_01_14_repost" in shown
    assert "medium confidence — English MFA transcript read only in a repost" in shown


def test_record_shows_each_document_once() -> None:
    shown = _text(str(news.record_html("fc_border_commission")))
    doc = kt.documents().set_index("id").loc["tokyo_statement_2000_en"]
    assert shown.count(doc["text"]) == 1
    assert doc["translation"] in shown
    assert "13 November 1998" in shown


def test_evidence_html_rejects_unknown_rows() -> None:
    with pytest.raises(ValueError, match=r"valid evidence ids: .*singapore_agreement_2018"):
        news.evidence_html("treaty_of_shimoda_1855")


# --------------------------------------------------------------------------- check_claim


def test_right_verdict_and_row() -> None:
    feedback = news.check_claim("fc_g20_singapore", "partly accurate", "buenos_aires_meeting_2018")
    assert feedback.correct and feedback.verdict_ok and feedback.evidence_ok
    assert "Buenos Aires on 1 December 2018" in feedback.message
    assert "14 November 2018" in _text(feedback.record)


@pytest.mark.parametrize("claim_id", list(kt.fact_checks()["id"]))
def test_every_claim_has_a_right_answer(claim_id: str) -> None:
    check = kt.fact_checks().set_index("id").loc[claim_id]
    for row in check["evidence_ids"]:
        assert news.check_claim(claim_id, check["verdict"], row).correct


def test_wrong_verdict_gets_a_hint_not_the_answer() -> None:
    feedback = news.check_claim("fc_china_basic_treaty_1999", "accurate", "sino_russian_treaty_2001")
    assert not feedback.correct and not feedback.verdict_ok and feedback.evidence_ok
    assert "conflicts with the record" in feedback.message
    assert "16 July 2001" not in feedback.message  # the explanation comes with the right verdict
    assert "16 July 2001" in _text(feedback.record)  # but the record is shown


def test_row_of_another_claim_is_named() -> None:
    feedback = news.check_claim("fc_border_commission", "accurate", "singapore_agreement_2018")
    assert feedback.verdict_ok and not feedback.evidence_ok and not feedback.correct
    assert "evidence for claim (a), not for (f)" in feedback.message
    assert "moscow_declaration_1998" in feedback.message


def test_missing_choices_ask_for_them() -> None:
    feedback = news.check_claim("fc_g20_singapore", None, None)
    assert not feedback.correct
    assert feedback.message == "Choose a verdict and an evidence row first."
    assert news.check_claim("fc_g20_singapore", "accurate", None).message == \
        "Choose an evidence row first."


@pytest.mark.parametrize(("args", "match"), [
    (("fc_x", "accurate", "singapore_agreement_2018"), "valid claim ids"),
    (("fc_g20_singapore", "true", "singapore_agreement_2018"),
     "valid verdicts: accurate, partly accurate, inaccurate, cannot be checked"),
    (("fc_g20_singapore", "accurate", "no_such_row"), "valid evidence ids"),
])
def test_check_claim_rejects_bad_input(args: tuple[str, str, str], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        news.check_claim(*args)


def test_feedback_html_has_message_and_record() -> None:
    feedback = news.check_claim("fc_illegally_occupied", "partly accurate",
                                "jp_mofa_illegal_occupation")
    page = _text(feedback._repr_html_())
    assert "✔ Correct." in page and "2003 edition" in page
    quote = kt.positions().set_index("id").loc["jp_2022_bluebook_illegal_occupation", "quote"]
    assert quote in page


# --------------------------------------------------------------------------- the widget


def test_claim_checker_callbacks() -> None:
    box = news.claim_checker()
    assert box.claim.value == "fc_g20_singapore" and box.feedback.value == ""
    box.button.click()
    assert "Choose a verdict and an evidence row first." in box.feedback.value
    box.verdict.value = "accurate"
    box.evidence.value = "singapore_agreement_2018"
    box.button.click()
    shown = _text(box.feedback.value)
    assert "✘ Not yet." in shown and "does not match the record" in shown
    assert "Abe-Putin meeting at the G20 Buenos Aires summit" in shown
    box.verdict.value = "partly accurate"
    box.button.click()
    assert "✔ Correct." in _text(box.feedback.value)


def test_claim_checker_resets_on_a_new_claim() -> None:
    box = news.claim_checker("fc_border_commission")
    box.verdict.value, box.evidence.value = "accurate", "moscow_declaration_1998"
    box.button.click()
    assert "✔ Correct." in _text(box.feedback.value)
    box.claim.value = "fc_unrealistic_demand"
    assert box.verdict.value is None and box.evidence.value is None and box.feedback.value == ""
    assert "Kunashiri and Etorofu" in _text(box.children[1].value)
    with pytest.raises(ValueError, match="valid claim ids"):
        news.claim_checker("nope")


def test_claim_checker_offers_the_whole_pool() -> None:
    box = news.claim_checker()
    offered = [v for _, v in box.evidence.options if v is not None]
    assert offered == list(news.evidence_rows()["id"])
    assert list(box.verdict.options) == list(kt.data.VERDICTS)


# --------------------------------------------------------------------------- the method


def test_method_key_sorts_facts_from_interpretation() -> None:
    items, key, reasons = news.method_key()
    assert set(items) == set(key) == set(reasons)
    assert set(key.values()) == set(news.KIND_CATEGORIES)
    facts = [k for k, v in key.items() if v == news.KIND_CATEGORIES[0]]
    timeline = set(kt.timeline()["id"])
    for k in facts:  # every fact claim names a row of the record that settles it
        assert any(word.strip(".,()") in timeline for word in reasons[k].split())
    assert kt.check_sorting(key, key, reasons).correct


def test_method_exercise_widget() -> None:
    box = news.method_exercise()
    _, key, _ = news.method_key()
    for k, drop in box.dropdowns.items():
        drop.value = key[k]
    box.dropdowns["B"].value = news.KIND_CATEGORIES[0]
    box.button.click()
    assert "identity" in box.feedback.value and "1 not yet right" in box.feedback.value
    box.dropdowns["B"].value = news.KIND_CATEGORIES[1]
    box.button.click()
    assert "All 9 sorted correctly." in box.feedback.value


def test_source_trail_reads_kind_and_found_at() -> None:
    trail = news.source_trail("fc_illegally_occupied")
    assert list(trail["kind"]) == sorted(trail["kind"], key=["primary", "secondary"].index)
    asahi = trail[trail["source"] == "asahi_2022_04_01"].iloc[0]
    assert asahi["read at"] == kt.sources().set_index("id").loc["asahi_2022_04_01", "found_at"]
    lavrov = news.source_trail("fc_lavrov_precondition")
    assert lavrov.iloc[0]["kind"] == "primary"
    with pytest.raises(ValueError, match="valid claim ids"):
        news.source_trail("lavrov")


def test_trail_questions_explain_with_the_data() -> None:
    first, second = news.trail_questions()
    assert "Kyodo" in first.answer
    assert "uawire_2019_01_kyodo" in first.why[first.answer]
    assert kt.check_choice(second, second.answer).correct
    note = kt.sources().set_index("id").loc["mid_lavrov_2019_01_14_repost", "note"]
    assert note in second.why[second.answer]
    wrong = kt.check_choice(second, "On the Russian foreign ministry's own website")
    assert not wrong.correct and "not located" in wrong.message


def test_pitfalls_come_from_the_timeline() -> None:
    frame = news.pitfalls()
    assert len(frame) >= 5
    first = frame.iloc[0]
    assert "14 November 2018" in first["the record"] and "1 December 2018" in first["the record"]
    china = frame[frame["rows"].str.contains("sino_russian_treaty_2001")].iloc[0]
    assert "16 July 2001" in china["the record"] and "9 December 1999" in china["the record"]
    assert frame["where sources differ"].str.contains("3 September 2000").any()


def test_slip_key_matches_the_record() -> None:
    _items, key, reasons = news.slip_key()
    assert set(key.values()) == set(news.SLIP_CATEGORIES)
    assert key["C"] == "does not match the record" and "16 July 2001" in reasons["C"]
    timeline = kt.timeline().set_index("id")
    assert timeline.loc["sino_russian_treaty_2001", "date"] == "2001-07-16"
    assert timeline.loc["lavrov_kono_talks_2019", "date"] == "2019-01-14"
    box = news.slip_exercise()
    for k, drop in box.dropdowns.items():
        drop.value = key[k]
    box.button.click()
    assert "All 6 sorted correctly." in box.feedback.value


# --------------------------------------------------------------------------- map text, sources


def test_terms_table_matches_official_areas() -> None:
    frame = news.terms_table().set_index("island")
    islands = kt.islands(group="disputed").set_index("id")
    shikotan = islands.loc["shikotan", "name_en"]
    assert frame.loc[shikotan, "area, km² (Japanese survey)"] == islands.loc["shikotan",
                                                                              "area_km2_official"]
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


def test_used_sources_exist_and_cover_the_checks() -> None:
    ids = news.used_source_ids()
    assert len(ids) == len(set(ids))
    assert len(kt.source_list(ids)) == len(ids)
    for row in kt.fact_checks()["source_ids"]:
        assert set(row) <= set(ids)


def test_the_lesson_map_highlights_the_1956_islands() -> None:
    fmap = kt.island_map(highlight=["shikotan", "habomai"],
                         title="The 1956 terms: Shikotan and the Habomai islets")
    page = fmap.get_root().render()
    assert len(fmap._repr_html_()) < 300_000
    colour = kt.style.COLOURS["highlight"]
    assert page.count(f'"fillColor": "{colour}"') >= 2
    assert "Shikotan" in page and "Шикотан" in page
