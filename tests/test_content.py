"""Lesson content as data: loaded, validated with file, line and key, filled in and translated."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kuril_teaching import content, data

ROOT = Path(__file__).resolve().parent.parent


def test_every_content_file_validates() -> None:
    counts = content.validate_lessons()
    assert counts["library"] == 0
    lessons = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert set(lessons) <= set(counts), "every lesson has its content file"
    assert all(counts[name] >= 1 for name in lessons), "every lesson has exercises"


def test_library_text_is_filled_in() -> None:
    assert content.text("feedback.too_high", value="12 km") == "12 km is too high."
    with pytest.raises(ValueError, match="value"):
        content.text("feedback.too_high")
    with pytest.raises(ValueError, match="no_such_key"):
        content.text("feedback.no_such_key")


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


def _write(root: Path, body: str) -> None:
    (root / "lessons" / "99_test.yaml").write_text(body, encoding="utf-8")


GOOD = """lesson:
  id: 99_test
  title: A test lesson
exercises:
  pick:
    kind: choice
    prompt: Which?
    options:
      - text: A
        why: Because.
      - text: B
        why: Not so.
    answer: A
"""


@pytest.mark.parametrize(("body", "line", "key", "problem"), [
    (GOOD.replace("kind: choice", "kind: essay"), 6, "exercises.pick.kind", "essay"),
    (GOOD.replace("answer: A", "answer: C"), 13, "exercises.pick.answer", "'C'"),
    (GOOD.replace("    prompt: Which?\n", ""), 5, "exercises.pick", "'prompt'"),
    (GOOD + "sources:\n  source_ids: [mofa_northern_territories, no_such_source]\n", 15,
     "sources.source_ids[1]", "no_such_source"),
    (GOOD + "map:\n  islands: [etorofu, atlantis]\n", 15, "map.islands[1]", "atlantis"),
    (GOOD + "quote:\n  document: not_a_document\n", 15, "quote.document", "not_a_document"),
    (GOOD.replace("id: 99_test", "id: 98_other"), 2, "lesson.id", "98_other"),
    (GOOD + "empty:\n", 14, "empty", "is empty"),
])
def test_errors_name_file_line_and_key(tmp_path: Path, body: str, line: int, key: str,
                                       problem: str) -> None:
    root = _copy(tmp_path)
    _write(root, body)
    with pytest.raises(data.DataFileError) as info:
        content.validate_lessons(root)
    message = str(info.value)
    assert message.startswith("data/lessons/99_test.yaml")
    assert f"line {line}" in message and f"key '{key}'" in message and problem in message


def test_bad_yaml_names_the_file(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _write(root, "lesson: [unclosed\n")
    with pytest.raises(data.DataFileError, match=r"99_test\.yaml.*not valid YAML"):
        content.validate_lessons(root)


def test_good_file_builds_its_exercise(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _write(root, GOOD)
    assert content.validate_lessons(root)["99_test"] == 1


def test_unknown_lesson_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError) as info:
        content.lesson("07_nothing")
    assert "07_nothing" in str(info.value) and "library" in str(info.value)


def test_data_validate_covers_lesson_content() -> None:
    counts = data.validate()
    assert counts["lessons"] >= 8  # library and seven lessons


def test_values_are_copies() -> None:
    lesson = content.lesson("01_history")
    first = lesson.get("treaty_lines")
    first["1855"]["islands"].append("changed")
    first["1855"]["within_km"] = 0
    again = lesson.get("treaty_lines")["1855"]
    assert "changed" not in again["islands"] and again["within_km"] != 0
