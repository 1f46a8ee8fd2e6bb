"""The student, teacher and nbgrader editions in Japanese and Russian: the teacher edition of
each translated lesson puts its answers in place in the language and its solutions pass their
checks, and a real nbgrader grades each language's course like the English one."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from conftest import LESSONS, execute_notebook, graded_course, grades

from kuril_teaching import content, editions, i18n

ROOT = Path(__file__).resolve().parent.parent
CODES = ("ja", "ru")
SCRIPT = {"ja": re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]"), "ru": re.compile(r"[\u0400-\u04ff]")}
RUNS = [(code, p) for code in CODES for p in LESSONS]
IDS = [f"{code}-{p.stem}" for code, p in RUNS]


def _translated(code: str, path: Path) -> Path:
    return ROOT / "notebooks" / code / path.name


@pytest.mark.parametrize("code, path", RUNS, ids=IDS)
def test_student_edition_of_a_language_is_its_committed_notebooks(code: str, path: Path,
                                                                   tmp_path: Path) -> None:
    written = editions.make_edition("student", tmp_path, [_translated(code, path)])
    built = nbformat.read(written[0], as_version=4)
    committed = nbformat.read(_translated(code, path), as_version=4)
    assert [c.source for c in built.cells] == [c.source for c in committed.cells]


@pytest.mark.parametrize("code, path", RUNS, ids=IDS)
def test_teacher_edition_in_the_language_runs_and_its_solutions_pass(code: str, path: Path,
                                                                      tmp_path: Path) -> None:
    nb = editions.build("teacher", nbformat.read(_translated(code, path), as_version=4), path.name)
    added = [c for c in nb.cells if editions.SOLUTION_TAG in c.metadata.get("tags", [])]
    assert added, "no answer added"
    for cell in added:
        if cell.cell_type == "markdown":
            assert SCRIPT[code].search(cell.source), f"teacher note not in {code}: {cell.source[:80]}"
    target = tmp_path / path.name
    nbformat.write(nb, target)
    ran = execute_notebook(target)
    errors = [o for c in ran.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors, f"{errors[0]['ename']}: {errors[0]['evalue']}" if errors else ""
    with i18n.using(code):
        correct = content.text("feedback.correct")
    assert SCRIPT[code].search(correct)
    checks = editions.task_cells(ran)
    assert checks, "no code task"
    for ident, (_task, check) in checks.items():
        shown = " ".join(str(o.get("data", {}).get("text/html", "")) for o in ran.cells[check].outputs)
        assert correct in shown, f"the teacher's solution of {ident} does not pass its check in {code}"


# ----------------------------------------------------------------------------- nbgrader


@pytest.fixture(scope="module", params=CODES)
def course(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A course of one language: every lesson's assignment generated, the teacher's copy and
    an untouched copy autograded."""
    code = request.param
    root = tmp_path_factory.mktemp(f"course-{code}")
    return code, graded_course(root, [_translated(code, p) for p in LESSONS])


@pytest.mark.parametrize("name", [p.stem for p in LESSONS])
def test_nbgrader_grades_each_language_like_the_english(course: tuple[str, Path], name: str) -> None:
    code, root = course
    released = nbformat.read(root / "release" / name / f"{name}.ipynb", as_version=4)
    prose = "\n".join(c.source for c in released.cells if c.cell_type == "markdown")
    assert len(SCRIPT[code].findall(prose)) > 200, "the released assignment is not in its language"
    tasks = [i for i, lesson in content.code_tasks().items() if lesson == name]
    teacher, untouched = grades(root, name, "teacher"), grades(root, name, "untouched")
    auto = [g for g in teacher if g[1] == "code"]
    assert auto and all(score == top > 0 for _n, _k, score, top, _m in auto), auto
    assert len(auto) == len(tasks) >= 1
    assert all(g[2] == 0 for g in untouched if g[1] == "code"), untouched
    manual = [g for g in teacher if g[1] == "markdown"]
    assert manual and all(m for *_rest, m in manual)
    english = editions.build("nbgrader", nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4),
                             f"{name}.ipynb")
    points = sum(c.metadata.get("nbgrader", {}).get("points", 0) for c in english.cells)
    assert sum(top for *_a, top, _m in teacher) == points, "the same points as the English course"
