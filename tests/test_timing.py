"""Each lesson fits the time it states, by the estimate the teacher's guide explains."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import LESSONS, execute_notebook

from kuril_teaching import content, timing

LONGEST = 50  # minutes: one class period, the longest a lesson may state


def _kinds(name: str) -> dict[str, str]:
    return {k: v["kind"] for k, v in content.lesson(name).raw.get("exercises", {}).items()}


def _md(source: str, **meta: object) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source)
    if meta:
        cell.metadata.update(meta)
    return cell


def test_reading_time_skips_closed_details_and_counts_answers() -> None:
    words = " ".join(["word"] * timing.READING_WPM)  # one minute of reading
    nb = nbformat.v4.new_notebook(cells=[
        _md(f"## One\n\n{words}"),
        _md(f"<details><summary>More</summary>\n\n{words} {words}\n</details>"),
        _md("*…*", tags=["answer"], kuril_teaching={"minutes": 5}),
        _md(f"## Two\n\n<details open><summary>Open</summary>{words}</details>"),
    ])
    one, two = timing.estimate(nb)
    assert one.title == "One" and round(one.reading, 2) == 1.02  # "One" + 120 words + "More"
    assert one.doing == 5
    assert two.title == "Two" and two.reading > 1


def test_stated_minutes_are_read_from_before_you_start() -> None:
    nb = nbformat.v4.new_notebook(cells=[_md("- **Time:** Teaching: 20 minutes · Exercises: 25 minutes"
                                             " · Homework: 15 minutes."), _md("## Brief (homework)")])
    assert timing.stated_minutes(nb) == (20, 25)
    assert timing.stated_homework(nb) == 15
    assert [s.homework for s in timing.estimate(nb)] == [False, True]
    with pytest.raises(ValueError, match="states no time"):
        timing.stated_minutes(nbformat.v4.new_notebook(cells=[_md("no time here")]))


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_fits_its_stated_time(path: Path) -> None:
    nb = execute_notebook(path)
    teaching, exercises = timing.stated_minutes(nb)
    assert teaching + exercises <= LONGEST, f"states {teaching + exercises} minutes"
    sections = timing.estimate(nb, _kinds(path.stem))
    total = sum(s.minutes for s in sections if not s.homework)
    detail = "; ".join(f"{s.title}: {s.minutes:.1f}" for s in sections)
    stated = teaching + exercises
    assert total <= stated, f"estimate {total:.0f} min > stated {stated}: {detail}"
    homework = sum(s.minutes for s in sections if s.homework)
    assert homework <= timing.stated_homework(nb), f"homework {homework:.0f} min is not stated"
