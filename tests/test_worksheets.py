"""Every exercise prints as a worksheet item: the student's without answers, the teacher's with
the answer, checklist and rubric; handouts print the items numbered, in place of the widgets."""

from __future__ import annotations

import html
import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kuril_teaching import exercises as ex
from kuril_teaching import handouts
from kuril_teaching.content import text

CHOICE = ex.Choice(id="c", prompt="Which island is nearest?", options=("Shikotan", "Etorofu"),
                   answer="Shikotan", why={"Shikotan": "It is 70 km away."}, hint="Measure.")
NUMBER = ex.Numeric(id="n", prompt="Etorofu's share, in %", expected=63.29, unit="%",
                    explanation="Official areas.")
SORT = ex.Sorting(id="s", prompt="Whose words?", items={"A": "Northern Territories", "B": "South Kurils"},
                  categories=("Japan", "Russia"), key={"A": "Japan", "B": "Russia"},
                  reasons={"A": "Japan's term", "B": "Russia's term"})
ORDER = ex.Sorting(id="o", prompt="Put in order.", items={"A": "1991 agreement", "B": "2004 agreement"},
                   categories=("1st", "2nd"), key={"A": "1st", "B": "2nd"}, kind="ordering")
CODE = ex.CodeTask(id="t", prompt="Each island's share, largest first.", variable="shares",
                   solution="shares = four.sort_values('share_pct')\n", key="id",
                   explanation="Etorofu is most of the land.")
OPEN = ex.FreeText(id="f", prompt="Write a brief of 150 words.",
                   checklist=("Recommends one scenario.", "Names a source."),
                   rubric=(("Evidence", 3), ("Clarity", 1)))
ALL = [CHOICE, NUMBER, SORT, ORDER, CODE, OPEN]


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _answers(exercise: ex.Exercise) -> list[str]:
    """What only a teacher's item may print."""
    found = [ex.answer_text(exercise).strip()]
    if isinstance(exercise, ex.Sorting):
        found = [f"{k} → {c}" for k, c in exercise.key.items()]
    if isinstance(exercise, ex.FreeText):
        found += list(exercise.checklist) + [c for c, _p in exercise.rubric]
    return found


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: type(e).__name__ + "_" + e.id)
def test_student_item_has_the_question_and_room_but_no_answer(exercise: ex.Exercise) -> None:
    page = ex.worksheet_html(exercise, "student", number=4)
    shown = _text(page)
    assert exercise.prompt in shown
    assert "Worksheet item 4" in shown
    assert 'data-kt-edition="student"' in page and "kt-ws-answer" not in page
    for answer in _answers(exercise):
        assert answer not in html.unescape(page), answer
    if isinstance(exercise, ex.Choice):
        assert all(o in shown for o in exercise.options) and page.count("kt-ws-box") == 2
        assert text("worksheet.choose_one") in shown
    elif isinstance(exercise, ex.Numeric):
        assert "kt-ws-blank" in page and "%" in shown
    elif isinstance(exercise, ex.Sorting):
        assert all(t in shown for t in exercise.items.values())
        assert all(c in shown for c in exercise.categories)
        assert page.count('class="kt-ws-fill"></td>') == len(exercise.items)  # blanks to fill
        assert text(f"worksheet.{exercise.kind}.instruction") in shown
    else:  # code and open answers: lines to write on
        assert page.count("kt-ws-line\"") >= 5


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: type(e).__name__ + "_" + e.id)
def test_teacher_item_adds_the_answer(exercise: ex.Exercise) -> None:
    student = ex.worksheet_html(exercise, "student")
    teacher = ex.worksheet_html(exercise, "teacher")
    assert teacher.startswith(student.replace('data-kt-edition="student"', 'data-kt-edition="teacher"')
                              .removesuffix("</div>")[:200])
    assert "kt-ws-answer" in teacher and text("worksheet.for_the_teacher") in _text(teacher)
    for answer in _answers(exercise):
        assert answer in html.unescape(teacher), answer
    if isinstance(exercise, ex.FreeText):
        assert text("worksheet.rubric", total=4) in _text(teacher)
        assert "Evidence: 3 pt" in _text(teacher)
    if isinstance(exercise, ex.Sorting):  # the blanks filled in
        assert teacher.count("kt-ws-key") == len(exercise.items)


def test_unknown_edition_is_refused() -> None:
    with pytest.raises(ValueError, match="valid editions: student, teacher"):
        ex.worksheet_html(CHOICE, "parent")


def test_the_widget_bundle_carries_the_worksheet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ex.EDITION_VARIABLE, raising=False)
    bundle = CHOICE._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle  # JupyterLab shows the widget
    assert bundle["text/html"] == ex.worksheet_html(CHOICE, "student")
    monkeypatch.setenv(ex.EDITION_VARIABLE, "teacher")  # only a teacher's handout kernel
    assert "It is 70 km away." in CHOICE._repr_mimebundle_()["text/html"]
    monkeypatch.setenv(ex.EDITION_VARIABLE, "anything else")
    assert "kt-ws-answer" not in CHOICE._repr_mimebundle_()["text/html"]


def _widget_output(data: dict) -> nbformat.NotebookNode:
    return new_output("display_data", data)


def _book(edition: str) -> nbformat.NotebookNode:
    widget = {"model_id": "x", "version_major": 2, "version_minor": 0}
    cells = [
        new_markdown_cell("# A lesson"),
        new_code_cell("explore.exercise('c')"),
        new_code_cell("explore.island_explorer()"),
        new_code_cell("scenarios.exercise('f')"),
        new_markdown_cell("**Your brief** (double-click to write; it is saved):\n\n*…*"),
        new_markdown_cell("**Your exit ticket** (double-click to write):\n\n1. *…*\n2. *…*\n3. *…*"),
    ]
    cells[1].outputs = [_widget_output({"text/plain": "VBox()", handouts.WIDGET_MIME: widget,
                                        "text/html": ex.worksheet_html(CHOICE, edition)})]
    cells[2].outputs = [_widget_output({"text/plain": "VBox(children=(Dropdown(),))",
                                        handouts.WIDGET_MIME: widget})]
    cells[3].outputs = [_widget_output({"text/plain": "VBox()", handouts.WIDGET_MIME: widget,
                                        "text/html": ex.worksheet_html(OPEN, edition)})]
    for cell, exercise in ((cells[4], "f"), (cells[5], "exit_ticket")):
        cell.metadata = {"tags": ["answer"], "kuril_teaching": {"exercise": exercise}}
    return new_notebook(cells=cells)


def test_a_handout_prints_exercises_as_numbered_items_and_other_widgets_as_notes() -> None:
    paper = handouts._for_paper(_book("student"))
    outputs = [o for c in paper.cells for o in c.get("outputs", [])]
    assert all(handouts.WIDGET_MIME not in o["data"] for o in outputs)
    pages = [o["data"]["text/html"] for o in outputs]
    assert "Worksheet item 1" in pages[0] and CHOICE.prompt in pages[0]
    assert handouts.WIDGET_NOTE in pages[1]  # an explorer keeps its note
    assert "Worksheet item 2" in pages[2] and OPEN.prompt in pages[2]
    answers = [c for c in paper.cells if "answer" in c.metadata.get("tags", [])]
    # The brief's answer cell goes (its item has lines); the exit ticket gets lines to write on.
    assert [c.source.split("\n")[0] for c in answers] == ["**Your exit ticket**"]
    assert answers[0].source.count('class="kt-ws-line"') == 9 and "double-click" not in answers[0].source


def test_offline_page_of_each_edition() -> None:
    student = html.unescape(handouts.offline_html(_book("student"), "lesson"))
    teacher = html.unescape(handouts.offline_html(_book("teacher"), "lesson", edition="teacher"))
    assert text("worksheet.student_edition") in student and "It is 70 km away." not in student
    assert text("worksheet.teacher_edition") in teacher and "It is 70 km away." in teacher
    assert "Recommends one scenario." in teacher and "Recommends one scenario." not in student
    for page in (student, teacher):
        assert "@page" in page and "@media print" in page  # fits A4 and Letter
        assert handouts.remote_resources(page) == []


def test_pdf_without_playwright_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "playwright", None)
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    with pytest.raises(handouts.PdfUnavailableError) as info:
        handouts.check_pdf_printing()
    message = str(info.value)
    assert "pip install playwright" in message and "apt-get install chromium" in message


def test_pdf_flag_without_playwright_fails_before_running(monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path, capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    import sys

    from kuril_teaching import cli

    monkeypatch.setitem(sys.modules, "playwright", None)
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    code = cli.main(["handouts", str(tmp_path / "out"), "--only", "00", "--pdf", "--no-progress"])
    assert code == 1
    err = capsys.readouterr().err
    assert "handouts: error: Playwright is not installed" in err and "pip install playwright" in err
    assert not (tmp_path / "out").exists()
