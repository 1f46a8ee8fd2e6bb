"""Student and teacher editions of the lesson notebooks.

The teacher edition keeps every cell; the student edition drops the cells
tagged ``solution``. Both are written with their outputs cleared.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import nbformat

from ._resources import notebooks_root

__all__ = ["EDITIONS", "SOLUTION_TAG", "lesson_notebooks", "make_edition", "strip_solutions"]

EDITIONS = ("student", "teacher")
SOLUTION_TAG = "solution"


def lesson_notebooks(folder: str | Path | None = None) -> list[Path]:
    """The lesson notebooks in order (``NN_name.ipynb``), from ``folder`` or the package."""
    root = Path(str(notebooks_root())) if folder is None else Path(folder)
    return sorted(p for p in root.glob("[0-9][0-9]_*.ipynb") if p.is_file())


def strip_solutions(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without the cells tagged ``solution``."""
    out = nbformat.from_dict(nb)
    out.cells = [c for c in out.cells if SOLUTION_TAG not in c.get("metadata", {}).get("tags", [])]
    return out


def _clear(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("widgets", None)
    return nb


def make_edition(kind: str, out_dir: str | Path, notebooks: Iterable[str | Path] | None = None,
                 ) -> list[Path]:
    """Write the ``student`` or ``teacher`` edition of the notebooks into ``out_dir``.

    Returns the paths written. Nothing is written unless every notebook could be read.
    """
    if kind not in EDITIONS:
        raise ValueError(f"unknown edition {kind!r}; valid editions: {', '.join(EDITIONS)}")
    sources = [Path(p) for p in notebooks] if notebooks is not None else lesson_notebooks()
    if not sources:
        raise ValueError("no notebooks to write")
    books = [(p.name, nbformat.read(p, as_version=4)) for p in sources]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, nb in books:
        edition = _clear(strip_solutions(nb) if kind == "student" else nbformat.from_dict(nb))
        edition.metadata["kuril_teaching_edition"] = kind
        target = out / name
        nbformat.write(edition, target)
        written.append(target)
    return written
