"""Lesson 07, the final task: its code task's check, the brief's rubric and answer cells, the
claims offered, and the teacher edition."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

import kuril_teaching as kt
from kuril_teaching import content, editions, exercises

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "07_final_task.ipynb"
RUBRICS = ROOT / "docs" / "rubrics.md"
LESSON = "07_final_task"
TASK = "russia_primary_sources"


@pytest.fixture(scope="module")
def nb() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def _task() -> exercises.CodeTask:
    return content.lesson(LESSON).exercise(TASK)


# --------------------------------------------------------------------------- the code task


def test_the_solution_passes() -> None:
    solution = exercises.expected(_task())
    result = kt.check_code(TASK, solution.copy())
    assert result.correct, result.message


def test_the_solution_is_the_primary_sources_naming_russia() -> None:
    """Independent of the solution's code: every row is primary and names Russia, and no
    primary source naming Russia is left out."""
    got = set(exercises.expected(_task())["id"])
    sources = kt.sources()
    want = {r.id for r in sources.itertuples() if r.kind == "primary" and "Russia" in r.publisher}
    assert got == want
    assert "mid_lavrov_2019_05_10" in got and "kremlin_2000_statement_en" in got
    assert "ruwiki_iturup" not in got  # a secondary source whose publisher names Russian


def test_a_filter_without_the_kind_gets_the_extra_rows_message() -> None:
    sources = kt.sources()
    wrong = sources[sources["publisher"].str.contains("Russia")]  # forgot kind == "primary"
    result = kt.check_code(TASK, wrong)
    assert not result.correct
    assert "check the filter" in result.message
    assert "Rows that should not be there" in result.message
    assert "ruwiki_iturup" in result.message or "delfi_2008_07_21" in result.message


def test_a_filter_without_the_publisher_gets_the_row_count() -> None:
    sources = kt.sources()
    wrong = sources[sources["kind"] == "primary"]  # forgot the publisher filter
    result = kt.check_code(TASK, wrong)
    assert not result.correct
    # the answer: the primary sources a publisher names as Russia's (counted here by hand)
    own = [p for p in wrong["publisher"] if "Russia" in p]
    assert len(own) >= 10
    assert f"Your table has {len(wrong)} rows; the answer has {len(own)}" in result.message


def test_a_lower_case_word_misses_rows() -> None:
    sources = kt.sources()
    primary = sources[sources["kind"] == "primary"]
    wrong = primary[primary["publisher"].str.contains("russia")]  # capital letters count
    result = kt.check_code(TASK, wrong)
    assert not result.correct and "Rows missing" in result.message


def test_the_empty_scaffold_is_not_answered_yet() -> None:
    result = kt.check_code(TASK, ...)
    assert not result.correct
    assert result.message.startswith("Not answered yet")
    assert "`russia =`" in result.message


def test_the_scaffold_and_check_cells(nb: nbformat.NotebookNode) -> None:
    cells = editions.task_cells(nb)
    assert list(cells) == [TASK]
    scaffold, check = (nb.cells[i].source for i in cells[TASK])
    assert scaffold.rstrip().endswith("russia = ...")
    assert "____" in scaffold
    assert check.strip() == f'kt.check_code("{TASK}", russia)'


def test_the_teacher_edition_runs_the_solution(nb: nbformat.NotebookNode) -> None:
    teacher = editions.build("teacher", nb, NOTEBOOK.name)
    scaffold = teacher.cells[editions.task_cells(teacher)[TASK][0]].source
    assert scaffold == _task().solution.rstrip("\n")
    space: dict = {"kt": kt}
    exec(compile(scaffold, "<teacher cell>", "exec"), space)
    assert kt.check_code(TASK, space["russia"]).correct


# --------------------------------------------------------------------------- the brief


def _brief() -> exercises.FreeText:
    return content.lesson(LESSON).exercise("final_brief")


def _stated_total(doc: str) -> int:
    """The total the final-task rubric of docs/rubrics.md states ("Total: N points")."""
    section = doc.split("## The final task", 1)[1]
    return int(re.search(r"\*\*Total:\s*(\d+)\s*points\*\*", section).group(1))


def test_the_rubric_adds_up_to_the_stated_total(nb: nbformat.NotebookNode) -> None:
    brief = _brief()
    total = sum(points for _, points in brief.rubric)
    assert total == 15
    assert _stated_total(RUBRICS.read_text(encoding="utf-8")) == total
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert f"{total} points" in prose


def test_the_rubric_criteria_match_the_docs() -> None:
    section = RUBRICS.read_text(encoding="utf-8").split("## The final task", 1)[1]
    rows = dict(re.findall(r"^\|\s*\*\*(.+?)\*\*\s*\|.*\|\s*(\d+)\s*\|\s*$", section, flags=re.M))
    assert {c: p for c, p in _brief().rubric} == {c: int(p) for c, p in rows.items()}


def test_the_nbgrader_edition_gives_the_rubric_points_once(nb: nbformat.NotebookNode) -> None:
    graded = editions.build("nbgrader", nb, NOTEBOOK.name)
    answers = [c.metadata.nbgrader for c in graded.cells if "answer" in c.metadata.get("tags", [])]
    assert len({a["grade_id"] for a in answers}) == len(answers) == 4
    assert sum(a["points"] for a in answers) == 15


PARTS = ("Part 1. The claim", "Part 2. The sources", "Part 3. What the sources show",
         "Part 4. Your assessment")


def test_an_answer_cell_for_each_part(nb: nbformat.NotebookNode) -> None:
    answers = [c for c in nb.cells if "answer" in c.metadata.get("tags", [])]
    assert [next(p for p in PARTS if p in c.source) for c in answers] == list(PARTS)
    for cell in answers:
        assert cell.cell_type == "markdown"
        meta = cell.metadata["kuril_teaching"]
        assert meta["exercise"] == "final_brief" and meta["minutes"] > 0
        assert cell.source.rstrip().endswith("*…*"), "an answer cell holds no answer"
    first = nb.cells.index(answers[0])
    assert 'final.exercise("final_brief")' in nb.cells[first - 1].source


def test_the_checklist_asks_for_the_task_rules() -> None:
    checklist = " ".join(_brief().checklist)
    for rule in ("three sources", "primary", "each government's side", "attributed"):
        assert rule in checklist


# --------------------------------------------------------------------------- the claims and notebook


def test_the_claims_are_balanced() -> None:
    ids = content.lesson(LESSON).get("claims.positions")
    governments = kt.positions().set_index("id").loc[ids, "government"]
    assert (governments == "japan").sum() == (governments == "russia").sum() == 3


def test_the_student_notebook_holds_no_answers(nb: nbformat.NotebookNode) -> None:
    assert not [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert '.str.contains("Russia")' not in code
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "Answer:" not in prose and "Teacher's notes" not in prose


def test_the_teacher_edition_adds_the_notes(nb: nbformat.NotebookNode) -> None:
    teacher = editions.build("teacher", nb, NOTEBOOK.name)
    notes = [c for c in teacher.cells if c.get("id") == "f019a"]
    assert len(notes) == 1 and "what a strong brief contains" in notes[0].source
    ids = [c.get("id") for c in teacher.cells]
    assert ids.index("f019a") == ids.index("f019") + 1
    known = set(kt.sources()["id"]) | set(kt.positions()["id"])
    for ref in re.findall(r"`([a-z0-9_]+)`", notes[0].source):
        assert ref in known, f"teacher notes cite an unknown id {ref!r}"


def test_cell_ids_short_and_unique(nb: nbformat.NotebookNode) -> None:
    ids = [c.id for c in nb.cells]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"f\d{3}", i) for i in ids)


def test_stated_time_fits(nb: nbformat.NotebookNode) -> None:
    from kuril_teaching import timing

    teaching, exercise = timing.stated_minutes(nb)
    assert teaching + exercise <= 50
