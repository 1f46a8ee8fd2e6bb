"""Each side's own words where the lessons put a charge or a reading: the Neutrality Pact, the scope of
the renounced Kurile Islands, Article 107 of the UN Charter and the summit of 22 January 2019."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

import kuril_teaching as kt
from kuril_teaching import records

ROOT = Path(__file__).resolve().parents[1]


def _code(lesson: str) -> str:
    nb = nbformat.read(ROOT / "notebooks" / f"{lesson}.ipynb", as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize(("charge", "answers"), [
    ("jp_mofa_neutrality_pact_violation", ["ru_1945_pact_lost_its_sense", "ru_1945_allies_proposal"]),
    ("jp_2006_kurils_urup_and_north", ["ru_2019_san_francisco_obligations"]),
    ("jp_2019_legal_position_unchanged", ["ru_2019_un_charter_article_107"]),
])
def test_lesson_01_shows_each_charge_beside_the_answer(charge: str, answers: list[str]) -> None:
    code = _code("01_history_1905_2023")
    calls = [line for line in code.split("kt.side_by_side(")[1:] if charge in line.split(")")[0]]
    assert calls, f"{charge} is not shown side by side"
    assert any(all(a in call.split(")")[0] for a in answers) for call in calls)
    assert {records.row("positions", i)["government"] for i in answers} == {"russia"}
    assert records.row("positions", charge)["government"] == "japan"


def test_the_ussr_answers_the_neutrality_charge_in_its_own_words() -> None:
    denunciation = records.row("positions", "ru_1945_pact_lost_its_sense")
    assert denunciation["date"] == "1945-04-05" and "lost its sense" in denunciation["quote"]
    document = records.row("documents", "soviet_denunciation_1945_en")
    assert denunciation["quote"] in document["text"]
    assert "frus_1945_v05_d623" in document["source_ids"] and document["confidence"] == "high"
    war = records.row("positions", "ru_1945_allies_proposal")
    assert war["quote"] in records.row("documents", "soviet_declaration_of_war_1945_en")["text"]
    assert war["confidence"] == "medium", "the English copy names no translator"
    assert 'kt.quote("soviet_denunciation_1945_en")' in _code("01_history_1905_2023")


def test_japan_1951_and_from_1956_on_the_scope_of_the_kurils() -> None:
    nishimura = records.row("positions", "jp_1951_nishimura_chishima_scope")
    assert nishimura["date"] == "1951-10-19" and "北千島と南千島の両者を含む" in nishimura["quote"]
    assert nishimura["confidence"] == "medium", "read only as a 2006 Diet question quotes it"
    cabinet = records.row("positions", "jp_2006_kurils_urup_and_north")
    assert "ウルップ島以北の島々を指す" in cabinet["quote"] and "11 February 1956" in cabinet["statement"]
    assert list(cabinet["source_ids"]) == ["shugiin_2006_chishima_answer"]


def test_article_107_text_is_shown_as_the_un_prints_it() -> None:
    article = records.row("documents", "un_charter_1945_art107_en")
    assert article["text"].startswith("Nothing in the present Charter shall invalidate or preclude action")
    assert article["authentic"] and list(article["source_ids"]) == ["un_charter_art107_repertory"]
    assert 'kt.quote("un_charter_1945_art107_en")' in _code("01_history_1905_2023")


def test_lesson_03_quotes_both_leaders_on_22_january_2019() -> None:
    summit = kt.positions()
    day = summit[summit["date"] == "2019-01-22"]
    assert set(day["government"]) == {"japan", "russia"}
    assert "jp_2019_solution_acceptable_to_both" in _code("03_lavrov_preconditions")


def test_yoshida_1951_words_on_the_south_kuriles_are_shown_with_their_copy() -> None:
    speech = records.row("documents", "yoshida_1951_sf_speech_en")
    assert "two islands of Etorofu and Kunashiri of the South Kuriles" in speech["text"]
    assert speech["language"] == "en" and not speech["authentic"]
    assert "the translator is not named" in speech["translation"]
    assert list(speech["source_ids"]) == ["mofa_compendium_1992_period4", "grips_yoshida_1951_sf_speech"]
    assert speech["confidence"] == "medium", "read only in a private copy of MOFA's page"
    assert "South Chishima" in speech["note"] and "were not found in the copy read" in speech["note"]
    assert len(speech["no_authentic_text"]) > 40
    code = _code("01_history_1905_2023")
    call = code.split('kt.quote("yoshida_1951_sf_speech_en")')[0].rsplit("kt.details(", 1)[1]
    assert "Yoshida" in call and "7 September 1951" in call
