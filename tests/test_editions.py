"""Student and teacher editions: what each keeps, and that the student edition still runs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import LESSONS

from kuril_teaching import editions


def _tags(nb: nbformat.NotebookNode) -> list[list[str]]:
    return [c.metadata.get("tags", []) for c in nb.cells]


@pytest.fixture(scope="module")
def student(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return editions.make_edition("student", tmp_path_factory.mktemp("student"), LESSONS)


def test_student_edition_has_no_solutions(student: list[Path]) -> None:
    assert [p.name for p in student] == [p.name for p in LESSONS]
    for path, original in zip(student, LESSONS, strict=True):
        nb, full = nbformat.read(path, as_version=4), nbformat.read(original, as_version=4)
        assert not any("solution" in tags for tags in _tags(nb))
        dropped = sum("solution" in tags for tags in _tags(full))
        assert dropped >= 1 and len(nb.cells) == len(full.cells) - dropped
        assert nb.metadata["kuril_teaching_edition"] == "student"


def test_teacher_edition_keeps_every_cell(tmp_path: Path) -> None:
    written = editions.make_edition("teacher", tmp_path, LESSONS)
    for path, original in zip(written, LESSONS, strict=True):
        nb, full = nbformat.read(path, as_version=4), nbformat.read(original, as_version=4)
        assert [c.source for c in nb.cells] == [c.source for c in full.cells]


@pytest.mark.parametrize("index", range(len(LESSONS)), ids=[p.name for p in LESSONS])
def test_student_edition_runs(student: list[Path], index: int) -> None:
    from nbclient import NotebookClient

    path = student[index]
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors


def test_unknown_edition_names_the_choices(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"'pupil'.*student, teacher"):
        editions.make_edition("pupil", tmp_path, LESSONS)
