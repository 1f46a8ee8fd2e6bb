"""The historian's corrections (errors and imprecisions) stay fixed in the data, lessons and notes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import kuril_teaching as kt

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LESSONS = ROOT / "data" / "lessons"
TRANSLATORS = ("TASS", "Xinhua", "Reuters", "Interfax", "Kyodo", "Ministry of Foreign Affairs", "Kremlin")


def _markdown(name: str) -> str:
    cells = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def _all_text() -> str:
    parts = [_markdown(p.name) for p in sorted(NOTEBOOKS.glob("*.ipynb"))]
    parts += [p.read_text(encoding="utf-8") for p in sorted(LESSONS.glob("*.yaml"))]
    parts += [(ROOT / "docs" / "teacher_guide.md").read_text(encoding="utf-8")]
    return "\n".join(parts)


def test_1969_row_dates_the_unsigned_draft_to_the_1964_talks() -> None:
    row = kt.row("timeline", "sino_soviet_border_clashes_1969")
    assert "1965" not in row["summary"]
    assert "talks in 1964" in row["summary"]
    assert "russia_china_border_book_1964_talks" in row["source_ids"]
    assert "'drawn up in 1965'" in row["note"], "the disagreement with PA-X stays visible"


def test_1956_ratification_is_given_step_by_step_with_sources() -> None:
    row = kt.row("timeline", "joint_declaration_1956")
    for step in ("27 November 1956", "5 December", "7 December", "8 December 1956", "12 December 1956"):
        assert step in row["note"]
    assert {"kokkai_hor_1956_11_27", "kokkai_hoc_1956_12_05"} <= set(row["source_ids"])
    text = _markdown("02_joint_declaration_1956.ipynb") + _markdown("05_scenarios_lab.ipynb")
    assert "ratified it on 8 December" not in text
    assert "House of Councillors on 5 December" in _markdown("02_joint_declaration_1956.ipynb")


def test_putins_words_are_dated_15_november_2018_and_quoted() -> None:
    readout = kt.row("positions", "ru_2018_talks_on_1956_basis")
    assert readout["date"] == "2018-11-14" and "sovereignty" not in readout["statement"]
    words = kt.row("positions", "ru_2018_declaration_leaves_sovereignty_open")
    assert words["date"] == "2018-11-15" and words["speaker"] == "Vladimir Putin"
    assert "under what sovereignty these islands will remain" in words["quote"]
    assert "TASS English translation" in words["note"]
    assert "On 15 November 2018" in _markdown("03_lavrov_preconditions.ipynb")


def test_every_english_quote_of_a_russian_official_names_its_translator() -> None:
    frame = kt.positions()
    rows = frame[(frame["government"] == "russia") & (frame["quote"] != "")]
    assert len(rows) >= 10
    for _, row in rows.iterrows():
        in_russian = any("а" <= ch <= "я" for ch in row["quote"].lower())
        named = any(t in row["note"] for t in (*TRANSLATORS, "translat", "English as"))
        assert in_russian or named, f"{row['id']}: the note does not say who translated the quote"


def test_the_1956_translation_is_credited_to_the_new_york_times_only() -> None:
    assert "United Press" not in _all_text()
    doc = kt.row("documents", "joint_declaration_1956_art9_en_nyt")
    assert "United Press" not in doc["translation"] and "New York Times" in doc["translation"]


def test_portsmouth_says_the_french_text_prevails() -> None:
    doc = kt.row("documents", "portsmouth_1905_art9_en")
    assert "the French text prevails" in doc["translation"]
    assert "the French text shall prevail" in doc["note"]
    assert "new_far_east_1906_portsmouth_text" in doc["source_ids"]


def test_an_eez_gives_sovereign_rights() -> None:
    text = _all_text()
    assert "special rights" not in text
    assert "sovereign rights over the sea's resources" in _markdown("05_scenarios_lab.ipynb")


@pytest.mark.parametrize("wrong", ["Russia has administered the islands since 1945",
                                   "Administered by Russia since 1945", "Russia's 1945 acquisition",
                                   "Its 1945 acquisition", "From south-west to\nnorth-east", "to 2022"])
def test_nitpicks_stay_fixed(wrong: str) -> None:
    assert wrong not in _all_text()


def test_lesson_01_runs_to_the_last_year_of_the_data() -> None:
    last = max(kt.timeline()["date"])[:4]
    assert last == "2023"
    assert kt.lesson("01_history_1905_2023").text("lesson.title").endswith(f"to {last}")


def test_shikotans_main_settlement_has_its_japanese_era_name() -> None:
    row = kt.row("islands", "shikotan")
    assert row["settlement"] == "Malokurilskoye (Малокурильское); before 1945 Shakotan (斜古丹)"
    assert "jawiki_shikotan_island" in row["coord_source_ids"]


def test_lesson_06_names_the_inaccurate_claim() -> None:
    verdicts = {r["id"]: r["verdict"] for r in kt.records.rows("fact_checks", ["fc_g20_singapore",
                                                                           "fc_china_basic_treaty_1999"])}
    assert verdicts == {"fc_g20_singapore": "partly accurate", "fc_china_basic_treaty_1999": "inaccurate"}
    import nbformat

    from kuril_teaching import editions

    student = nbformat.read(NOTEBOOKS / "06_reading_the_news.ipynb", as_version=4)
    teacher = editions.build("teacher", student, "06_reading_the_news.ipynb")
    points = "\n".join(c.source for c in teacher.cells if c.cell_type == "markdown")
    assert "The inaccurate one" not in _markdown("06_reading_the_news.ipynb")  # the students' copy
    assert "The inaccurate one is the date of the Russia–China treaty" in points
    assert "The venue claim is only partly accurate" in points
