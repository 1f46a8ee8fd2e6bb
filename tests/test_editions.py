"""Three editions from one source: the student notebooks at the default path hold no answer,
the teacher edition adds them from the lessons' content files, and an nbgrader course built
from them grades a teacher's solutions full and an untouched copy zero (real nbgrader)."""

from __future__ import annotations

import re
from pathlib import Path

import folium
import nbformat
import pandas as pd
import pytest
from conftest import LESSONS, execute_notebook, graded_course, grades

import kuril_teaching as kt
from kuril_teaching import content, editions, exercises

LESSON_NAMES = [p.stem for p in LESSONS]


def _nb(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _teacher_cells(name: str) -> list[dict]:
    lesson = content.lesson(name)
    return lesson.get("teacher") if "teacher" in lesson.raw else []


def _tasks(name: str) -> list[str]:
    return [i for i, s in content.lesson(name).raw.get("exercises", {}).items() if s["kind"] == "code"]


# ----------------------------------------------------------------------------- student edition


@pytest.mark.parametrize("path", LESSONS, ids=LESSON_NAMES)
def test_default_path_notebook_holds_no_answer(path: Path) -> None:
    nb = _nb(path)
    assert not [c.id for c in nb.cells if editions.SOLUTION_TAG in c.metadata.get("tags", [])]
    ids = {c.id for c in nb.cells}
    teacher = _teacher_cells(path.stem)
    assert not ids & {t["id"] for t in teacher}, "a teacher cell is in the student notebook"
    shown = " ".join(" ".join(c.source.split()) for c in nb.cells)
    for cell in (t for t in teacher if t["cell_type"] == "markdown"):  # no model answer pasted in
        lines = [ln.strip() for ln in cell["source"].splitlines() if ln.strip()]
        for n in range(max(1, len(lines) - 2)):  # any three lines in a row
            passage = " ".join(" ".join(lines[n:n + 3]).split())
            assert passage not in shown, f"teacher cell {cell['id']} text found: {passage[:80]}"
    for ident, (task, _check) in editions.task_cells(nb).items():
        spec = exercises.find_task(ident)
        code = [ln for ln in nb.cells[task].source.splitlines() if not ln.lstrip().startswith("#")]
        assigned = [ln for ln in code if re.match(rf"\s*{spec.variable}\s*=", ln)]
        assert assigned == [f"{spec.variable} = ..."], f"task {ident} assigns more than the blank"
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert not re.search(r"^\s*(\*\*Solution\b|\**Answer\**\s*:\s*\S)", markdown, flags=re.M | re.I)


def test_student_edition_is_the_default_path(tmp_path: Path) -> None:
    written = editions.make_edition("student", tmp_path, LESSONS)
    for path, built in zip(LESSONS, written, strict=True):
        assert [c.source for c in _nb(built).cells] == [c.source for c in _nb(path).cells]
        assert _nb(built).metadata["kuril_teaching_edition"] == "student"


@pytest.mark.parametrize("path", LESSONS, ids=LESSON_NAMES)
def test_every_lesson_has_a_code_task_laid_out_for_students(path: Path) -> None:
    nb = _nb(path)
    tasks = editions.task_cells(nb)
    assert tasks, "no 'Try it in code' task"
    assert set(tasks) == set(_tasks(path.stem)), "tasks in the notebook and the content file differ"
    for ident, (task, check) in tasks.items():
        assert check == task + 1
        assert "____" in nb.cells[task].source, f"task {ident} has no fill-in-the-blanks scaffold"
        intro = next(c for c in reversed(nb.cells[:task]) if c.cell_type == "markdown")
        assert "Try it in code" in intro.source or "Try it in code" in "".join(
            c.source for c in nb.cells[max(0, task - 3):task])


# ----------------------------------------------------------------------------- code task checks

ALL_TASKS = sorted(content.code_tasks())


def _wrong(value: object) -> object:
    """A plausible wrong answer of the same kind as the right one."""
    if isinstance(value, pd.DataFrame):
        return value.iloc[1:]  # a filter that dropped a row
    if isinstance(value, folium.Map):
        return folium.Map(tiles=None)
    if isinstance(value, (list, tuple)):
        return list(value)[1:]
    return float(value) * 100 if float(value) else 1.0


@pytest.mark.parametrize("ident", ALL_TASKS)
def test_code_task_right_wrong_and_empty(ident: str) -> None:
    task = exercises.find_task(ident)
    right = exercises.expected(task)
    assert kt.check_code(ident, right).correct
    assert "Not answered yet" in kt.check_code(ident, ...).message
    wrong = kt.check_code(ident, _wrong(right))
    assert not wrong.correct and wrong.message
    assert "Not answered yet" not in wrong.message


def test_code_check_names_what_is_wrong() -> None:
    four = kt.islands().query("group == 'disputed' and parent == ''").copy()
    four["share_pct"] = four["area_km2_official"] / four["area_km2_official"].sum()
    fraction = kt.check_code("island_shares", four.sort_values("share_pct", ascending=False))
    assert "100 times too small" in fraction.message
    four["share_pct"] *= 100
    unsorted = kt.check_code("island_shares", four.sort_values("share_pct"))
    assert "not in the order asked" in unsorted.message
    assert "no column share_pct" in kt.check_code("island_shares", kt.islands()).message
    assert "one column (share_pct)" in kt.check_code("island_shares", four["share_pct"]).message
    extra = kt.check_code("island_shares", pd.concat([four, kt.islands().query("id == 'urup'")
                                                      .assign(share_pct=0.0)]))
    assert "Rows that should not be there: urup" in extra.message
    with pytest.raises(ValueError, match=r"unknown task .nope.; valid tasks: .*island_shares"):
        kt.check_code("nope", 1)


def test_repeated_wrong_checks_bring_the_hint() -> None:
    ident = "island_shares"
    exercises._TRIES.pop(ident, None)
    first = kt.check_code(ident, kt.islands())
    second = kt.check_code(ident, kt.islands())
    assert "Hint:" not in first.message and "Hint:" in second.message


# ----------------------------------------------------------------------------- teacher edition


@pytest.mark.parametrize("path", LESSONS, ids=LESSON_NAMES)
def test_teacher_edition_adds_every_answer_in_place(path: Path) -> None:
    nb = editions.build("teacher", _nb(path), path.name)
    ids = [c.id for c in nb.cells]
    for cell in _teacher_cells(path.stem):
        at = ids.index(cell["id"])
        assert editions.SOLUTION_TAG in nb.cells[at].metadata["tags"]
        before = [i for i in ids[:at] if i == cell["after"]]
        assert before, f"{cell['id']} is not after {cell['after']}"
    for ident, (task, _check) in editions.task_cells(nb).items():
        assert nb.cells[task].source == exercises.find_task(ident).solution.rstrip("\n")
    assert nb.metadata["kuril_teaching_edition"] == "teacher"


@pytest.mark.parametrize("path", LESSONS, ids=LESSON_NAMES)
def test_teacher_edition_runs_and_its_solutions_pass(path: Path, tmp_path: Path) -> None:
    target = tmp_path / path.name
    nbformat.write(editions.build("teacher", _nb(path), path.name), target)
    nb = execute_notebook(target)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors, f"{errors[0]['ename']}: {errors[0]['evalue']}" if errors else ""
    for ident, (_task, check) in editions.task_cells(nb).items():
        shown = " ".join(str(o.get("data", {}).get("text/html", "")) for o in nb.cells[check].outputs)
        assert "Correct" in shown, f"the teacher's solution of {ident} does not pass its check"


def test_unknown_edition_names_the_choices(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"'pupil'.*student, teacher, nbgrader"):
        editions.make_edition("pupil", tmp_path, LESSONS)


# ----------------------------------------------------------------------------- nbgrader


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every lesson's nbgrader course generated and two submissions autograded."""
    return graded_course(tmp_path_factory.mktemp("course"), LESSONS)


@pytest.mark.parametrize("name", LESSON_NAMES)
def test_nbgrader_release_hides_solutions_and_tests(course: Path, name: str) -> None:
    released = (course / "release" / name / f"{name}.ipynb").read_text(encoding="utf-8")
    for ident in _tasks(name):
        solution = exercises.find_task(ident).solution
        assert [ln for ln in solution.splitlines() if "=" in ln][-1] not in released
        assert f"assert kt.check_code({ident!r}" not in released
    assert "raise NotImplementedError()" in released


@pytest.mark.parametrize("name", LESSON_NAMES)
def test_nbgrader_grades_solutions_full_and_untouched_zero(course: Path, name: str) -> None:
    teacher, untouched = grades(course, name, "teacher"), grades(course, name, "untouched")
    auto = [g for g in teacher if g[1] == "code"]
    assert len(auto) == len(_tasks(name)) >= 1
    assert all(score == top > 0 for _n, _k, score, top, _m in auto), auto
    assert all(g[2] == 0 for g in untouched if g[1] == "code"), untouched
    manual = [g for g in teacher if g[1] == "markdown"]
    assert manual and all(m for *_rest, m in manual), "written answers are graded by hand"
