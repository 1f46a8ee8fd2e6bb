"""The lesson notebooks in three editions, built from one source.

``notebooks/`` holds the student edition: it is what Binder, nbgitpuller and
``kuril-teaching lab`` open, and it holds no solution. The teacher edition inserts the cells
listed under ``teacher:`` in each lesson's content file (``data/lessons/``) and puts each
"Try it in code" task's solution in place of its scaffold. The nbgrader edition is a course
``source/`` folder: code tasks become autograded answers with hidden tests, the cells tagged
``answer`` become manually graded answers with their rubric's points.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import nbformat

from . import content
from ._resources import notebooks_root

__all__ = [
    "ANSWER_TAG",
    "EDITIONS",
    "SOLUTION_TAG",
    "build",
    "lesson_notebooks",
    "make_edition",
    "strip_solutions",
    "task_cells",
]

EDITIONS = ("student", "teacher", "nbgrader")
SOLUTION_TAG = "solution"  # a cell only the teacher edition has (added from the content file)
ANSWER_TAG = "answer"  # a markdown cell where the student writes an answer
_CHECK = re.compile(r"""kt\.check_code\(\s*["']([A-Za-z0-9_]+)["']""")
_DEFAULT_POINTS = {"task": 2, "answer": 2}


def lesson_notebooks(folder: str | Path | None = None) -> list[Path]:
    """The lesson notebooks in order (``NN_name.ipynb``), from ``folder`` or the package."""
    root = Path(str(notebooks_root())) if folder is None else Path(folder)
    return sorted(p for p in root.glob("[0-9][0-9]_*.ipynb") if p.is_file())


def strip_solutions(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without the cells tagged ``solution``."""
    out = nbformat.from_dict(nb)
    out.cells = [c for c in out.cells if SOLUTION_TAG not in c.get("metadata", {}).get("tags", [])]
    return out


def task_cells(nb: nbformat.NotebookNode) -> dict[str, tuple[int, int]]:
    """Each code task in ``nb``: task id -> (index of the scaffold cell, index of its check cell).

    The check cell calls ``kt.check_code("<id>", ...)``; the scaffold is the code cell before it.
    """
    found: dict[str, tuple[int, int]] = {}
    for n, cell in enumerate(nb.cells):
        match = _CHECK.search(cell.source) if cell.cell_type == "code" else None
        if not match:
            continue
        before = n - 1
        if before < 0 or nb.cells[before].cell_type != "code":
            raise ValueError(f"the check of task {match.group(1)!r} (cell {n}) needs the task's "
                             "code cell just before it")
        found[match.group(1)] = (before, n)
    return found


def _lesson_of(name: str) -> content.Lesson | None:
    stem = Path(name).stem
    return content.lesson(stem) if stem in content.lesson_names() else None


def _teacher_cells(lesson: content.Lesson | None) -> list[Mapping[str, Any]]:
    if lesson is None or "teacher" not in lesson.raw:
        return []
    return lesson.get("teacher")


def _new_cell(spec: Mapping[str, Any]) -> nbformat.NotebookNode:
    make = nbformat.v4.new_code_cell if spec["cell_type"] == "code" else nbformat.v4.new_markdown_cell
    cell = make(spec["source"].rstrip("\n"))
    cell.id = spec["id"]
    cell.metadata["tags"] = [SOLUTION_TAG]
    return cell


def _teacher(nb: nbformat.NotebookNode, lesson: content.Lesson | None) -> nbformat.NotebookNode:
    out = nbformat.from_dict(nb)
    present = {c.get("id") for c in out.cells}
    for ident, (task, _check) in task_cells(out).items():
        solution = lesson.exercise(ident) if lesson is not None else None
        if solution is None:
            raise ValueError(f"task {ident!r} has no entry in the lesson's content file")
        out.cells[task].source = solution.solution.rstrip("\n")
    cells = list(out.cells)
    ids = [c.get("id") for c in cells]
    for spec in _teacher_cells(lesson):
        if spec["id"] in present:
            continue  # already a teacher edition
        if spec["after"] not in ids:
            raise ValueError(f"{lesson.file if lesson else 'teacher'}: teacher cell {spec['id']!r} "
                             f"goes after cell {spec['after']!r}, which the notebook does not have")
        at = ids.index(spec["after"]) + 1
        while at < len(cells) and SOLUTION_TAG in cells[at].metadata.get("tags", []):
            at += 1  # several cells after the same one keep their order
        cells.insert(at, _new_cell(spec))
        ids.insert(at, spec["id"])
    out.cells = cells
    return out


def _nbgrader_meta(grade_id: str, *, solution: bool, grade: bool, points: int = 0,
                   locked: bool = False) -> dict[str, Any]:
    meta: dict[str, Any] = {"grade": grade, "grade_id": grade_id, "locked": locked,
                            "schema_version": 3, "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return meta


def _rubric_points(lesson: content.Lesson | None, ident: str | None) -> int:
    if lesson is None or not ident or ident not in lesson.raw.get("exercises", {}):
        return _DEFAULT_POINTS["answer"]
    spec = lesson.raw["exercises"][ident]
    if "points" in spec:
        return int(spec["points"])
    rubric = spec.get("rubric") or []
    return sum(int(r["points"]) for r in rubric) or _DEFAULT_POINTS["answer"]


def _nbgrader(nb: nbformat.NotebookNode, lesson: content.Lesson | None) -> nbformat.NotebookNode:
    out = nbformat.from_dict(nb)
    for ident, (task, check) in task_cells(out).items():
        spec = lesson.exercise(ident) if lesson is not None else None
        if spec is None:
            raise ValueError(f"task {ident!r} has no entry in the lesson's content file")
        scaffold = out.cells[task].source.rstrip("\n").split("\n")
        kept = [line for line in scaffold if not re.match(rf"\s*{spec.variable}\s*=\s*\.\.\.\s*$", line)]
        out.cells[task].source = "\n".join([*kept, "### BEGIN SOLUTION", spec.solution.rstrip("\n"),
                                            "### END SOLUTION"])
        out.cells[task].metadata["nbgrader"] = _nbgrader_meta(f"task_{ident}", solution=True,
                                                             grade=False)
        raw = lesson.raw["exercises"][ident] if lesson is not None else {}
        points = int(raw.get("points", _DEFAULT_POINTS["task"]))
        out.cells[check].source = "\n".join([
            out.cells[check].source.rstrip("\n"), "### BEGIN HIDDEN TESTS",
            f"assert kt.check_code({ident!r}, {spec.variable}).correct", "### END HIDDEN TESTS"])
        out.cells[check].metadata["nbgrader"] = _nbgrader_meta(f"check_{ident}", solution=False,
                                                              grade=True, points=points, locked=True)
    answers: dict[str, list[nbformat.NotebookNode]] = {}
    for n, cell in enumerate(out.cells):
        if cell.cell_type == "markdown" and ANSWER_TAG in cell.metadata.get("tags", []):
            exercise = cell.metadata.get("kuril_teaching", {}).get("exercise") or f"cell{n}"
            answers.setdefault(exercise, []).append(cell)
    for exercise, cells in answers.items():
        total = _rubric_points(lesson, exercise)
        share, extra = divmod(total, len(cells))  # one rubric over several cells: split it
        for number, cell in enumerate(cells, start=1):
            points = cell.metadata.get("kuril_teaching", {}).get("points")
            if points is None:
                points = share + (extra if number == len(cells) else 0)
            grade_id = f"answer_{exercise}" + (f"_{number}" if len(cells) > 1 else "")
            cell.metadata["nbgrader"] = _nbgrader_meta(grade_id, solution=True, grade=True,
                                                       points=int(points))
    return out


def _clear(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("widgets", None)
    return nb


def build(kind: str, nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The ``kind`` edition of the student notebook ``nb`` (file name ``name``), outputs cleared."""
    if kind not in EDITIONS:
        raise ValueError(f"unknown edition {kind!r}; valid editions: {', '.join(EDITIONS)}")
    from .i18n import notebook_language, using

    with using(notebook_language(nb)):  # the answers in the notebook's own language
        lesson = _lesson_of(name)
        if kind == "teacher":  # a folder that already has solution cells keeps them
            edition = _teacher(nb, lesson)
        elif kind == "nbgrader":
            edition = _nbgrader(strip_solutions(nb), lesson)
        else:
            edition = strip_solutions(nb)
    edition = _clear(edition)
    edition.metadata["kuril_teaching_edition"] = kind
    return edition


def make_edition(kind: str, out_dir: str | Path, notebooks: Iterable[str | Path] | None = None,
                 ) -> list[Path]:
    """Write the ``student``, ``teacher`` or ``nbgrader`` edition of the notebooks into ``out_dir``.

    The nbgrader edition is a course's ``source/<lesson>/<lesson>.ipynb`` folder tree.
    Returns the paths written. Nothing is written unless every notebook could be built.
    """
    if kind not in EDITIONS:
        raise ValueError(f"unknown edition {kind!r}; valid editions: {', '.join(EDITIONS)}")
    sources = [Path(p) for p in notebooks] if notebooks is not None else lesson_notebooks()
    if not sources:
        raise ValueError("no notebooks to write")
    books = [(p, build(kind, nbformat.read(p, as_version=4), p.name)) for p in sources]
    out = Path(out_dir)
    written = []
    for path, edition in books:
        target = out / "source" / path.stem / path.name if kind == "nbgrader" else out / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(edition, target)
        written.append(target)
    return written
