"""How long a lesson takes a class: an estimate per section, from an executed student notebook.

The method (the teacher's guide explains it, with its sources): prose and shown tables are
read at ``READING_WPM`` words a minute, a second-language reader's pace; text inside a closed
``<details>`` section is optional and not counted; each code cell costs the time to run it and
look; each map the time to look at it; each exercise the minutes of its kind in ``MINUTES``
(an answer cell may state its own ``minutes`` in its ``kuril_teaching`` metadata).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import nbformat

__all__ = ["MINUTES", "READING_WPM", "Section", "estimate", "stated_homework", "stated_minutes"]

READING_WPM = 120  # a second-language reader of English non-fiction (see the teacher's guide)
MINUTES = {
    "choice": 2.0,
    "numeric": 3.0,
    "sorting": 4.0,
    "ordering": 4.0,
    "matching": 4.0,
    "free_text": 6.0,
    "code": 8.0,
    "answer": 4.0,  # writing a short answer in an answer cell
    "run_cell": 0.25,
    "map": 1.5,
    "control": 1.5,  # an explorer, slider or picker that is not an exercise
}
_EXERCISE_CALL = re.compile(r"""\.exercise\(\s*["']([A-Za-z0-9_]+)["']""")
_TASK_CALL = re.compile(r"""check_code\(\s*["']([A-Za-z0-9_]+)["']""")
_TIME = re.compile(r"Teaching:\s*(\d+)\s*minutes\s*·\s*Exercises:\s*(\d+)\s*minutes")
_HOMEWORK = re.compile(r"Homework:\s*(\d+)\s*minutes")
_WORD = re.compile(r"[\w'’-]+")


@dataclass
class Section:
    """One ``##`` section of a lesson and its estimated minutes; a heading that starts with
    "Homework" or ends in "(homework)" marks work set for home, outside the class's time."""

    title: str
    reading: float = 0.0
    doing: float = 0.0

    @property
    def homework(self) -> bool:
        title = self.title.lower().rstrip(" .")
        return title.endswith("(homework)") or title.startswith("homework")

    @property
    def minutes(self) -> float:
        return self.reading + self.doing


class _Visible(HTMLParser):
    """The words of an HTML output outside closed ``<details>`` and outside frames."""

    def __init__(self) -> None:
        super().__init__()
        self.words = 0
        self._hidden = 0  # depth inside closed <details> (minus its <summary>) or a frame
        self._summary = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "details" and not any(k == "open" for k, _ in attrs):
            self._hidden += 1
        elif tag in ("iframe", "script", "style"):
            self._hidden += 1
        elif tag == "summary":
            self._summary = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("details", "iframe", "script", "style") and self._hidden:
            self._hidden -= 1
        elif tag == "summary":
            self._summary = False

    def handle_data(self, data: str) -> None:
        if not self._hidden or self._summary:
            self.words += len(_WORD.findall(data))


def _html_words(markup: str) -> int:
    parser = _Visible()
    parser.feed(markup)
    return parser.words


def _markdown_words(source: str) -> int:
    # A closed <details> block is optional reading; its <summary> line is read.
    return _html_words(re.sub(r"`[^`]*`", "code", source))


def _is_map(output: dict[str, Any]) -> bool:
    markup = output.get("data", {}).get("text/html", "")
    return "<iframe" in markup and "leaflet" in markup.lower()


def _output_words(output: dict[str, Any]) -> int:
    data = output.get("data", {})
    if "application/vnd.jupyter.widget-view+json" in data:
        return 0
    if "text/html" in data:
        return _html_words(data["text/html"])
    if output.get("output_type") == "stream":
        return len(_WORD.findall(output.get("text", "")))
    return len(_WORD.findall(data.get("text/plain", "")))


def _exercise_kind(ident: str, kinds: dict[str, str]) -> str:
    return kinds.get(ident, "choice")


def estimate(nb: nbformat.NotebookNode, exercise_kinds: dict[str, str] | None = None,
             ) -> list[Section]:
    """Minutes per section of an executed notebook (``exercise_kinds``: exercise id -> kind)."""
    kinds = exercise_kinds or {}
    sections = [Section("(title)")]
    for cell in nb.cells:
        meta = cell.metadata.get("kuril_teaching", {})
        if cell.cell_type == "markdown":
            heading = re.match(r"##\s+(.*)", cell.source)
            if heading:
                sections.append(Section(heading.group(1).strip()))
            if "answer" in cell.metadata.get("tags", []):
                sections[-1].doing += float(meta.get("minutes", MINUTES["answer"]))
                continue
            sections[-1].reading += _markdown_words(cell.source) / READING_WPM
            continue
        if cell.cell_type != "code":
            continue
        here = sections[-1]
        here.doing += MINUTES["run_cell"]
        task = _TASK_CALL.search(cell.source)
        called = _EXERCISE_CALL.search(cell.source)
        widgets = any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                      for o in cell.get("outputs", []))
        if task:
            here.doing += MINUTES["code"]
        elif called and widgets:
            here.doing += MINUTES[_exercise_kind(called.group(1), kinds)]
        elif widgets:
            here.doing += MINUTES["control"]
        for output in cell.get("outputs", []):
            if _is_map(output):
                here.doing += MINUTES["map"]
            else:
                here.reading += _output_words(output) / READING_WPM
    return [s for s in sections if s.minutes > 0 or s.title != "(title)"]


def stated_homework(nb: nbformat.NotebookNode) -> int:
    """The homework minutes the lesson states ("Homework: N minutes"), 0 if none."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found = _HOMEWORK.search(cell.source)
            if found:
                return int(found.group(1))
    return 0


def stated_minutes(nb: nbformat.NotebookNode) -> tuple[int, int]:
    """The (teaching, exercise) minutes of class time the lesson's "Before you start" states."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found = _TIME.search(cell.source)
            if found:
                return int(found.group(1)), int(found.group(2))
    raise ValueError("the notebook states no time ('Teaching: N minutes · Exercises: M minutes')")
