"""The exercise model: plain checks for every kind, hints before answers, one widget renderer."""

from __future__ import annotations

import pytest

from kuril_teaching import exercises as ex

CHOICE = ex.Choice("c", "Which island lies nearest Hokkaido?", ("Etorofu", "Habomai"), "Habomai",
                   {"Etorofu": "It is the farthest.", "Habomai": "Its islets are closest."},
                   hint="Measure to the nearest islet.")
NUMBER = ex.Numeric("n", "Gap in km?", 40.0, unit="km", tolerance=0.05, hint="Use distance_km.")
SORT = ex.Sorting("s", "Whose words?", {"A": "one", "B": "two"}, ("Japan", "Russia"),
                  {"A": "Japan", "B": "Russia"}, {"A": "MOFA page", "B": "Lavrov, 2019"},
                  hint="Look at the speaker.", hints={"A": "Who publishes this page?"})
OPEN = ex.FreeText("f", "Discuss.", ("I quoted a text.", "I named both readings."))


def test_choice_right_wrong_and_hint_after_a_try() -> None:
    assert ex.check(CHOICE, "Habomai") == ex.Feedback(True, "Its islets are closest.")
    first = ex.check(CHOICE, "Etorofu")
    assert not first.correct and first.message == "It is the farthest."
    again = ex.check(CHOICE, "Etorofu", tries=1)
    assert again.message == "It is the farthest. Hint: Measure to the nearest islet."
    assert ex.check(CHOICE, None).message == "Choose an answer first."
    with pytest.raises(ValueError, match=r"'Shikotan'.*valid choices: Etorofu, Habomai"):
        ex.check(CHOICE, "Shikotan")


def test_numeric_within_tolerance_and_direction() -> None:
    assert ex.check(NUMBER, 41).correct
    assert ex.check(NUMBER, 50).message == "50 km is too high."
    assert ex.check(NUMBER, 30, tries=1).message == "30 km is too low. Hint: Use distance_km."
    assert ex.check(NUMBER, "abc").message == "'abc' is not a number."
    assert not ex.check(NUMBER, None).correct


def test_sorting_counts_then_hints_per_item_then_the_answer() -> None:
    assert ex.check(SORT, {"A": "Japan", "B": "Russia"}).correct
    first = ex.check(SORT, {"A": "Russia"})
    assert first.message == "0 of 2 right. 1 not yet right: A: Who publishes this page? 1 still to sort."
    assert "MOFA page" not in first.message and "Japan" not in first.message
    hinted = ex.check(SORT, {"A": "Russia", "B": "Russia"}, tries=1)
    assert hinted.message.startswith("1 of 2 right.")
    assert hinted.message.endswith("Hint: Look at the speaker.")
    explained = ex.check(SORT, {"A": "Russia", "B": "Russia"}, tries=2)
    assert "The answer: A → Japan (MOFA page)." in explained.message
    assert "Hint" not in explained.message
    with pytest.raises(ValueError, match=r"'C'.*valid items: A, B"):
        ex.check(SORT, {"C": "Japan"})
    with pytest.raises(ValueError, match=r"'China'.*valid categories: Japan, Russia"):
        ex.check(SORT, {"A": "China"})


def test_show_the_answer_on_request() -> None:
    box = ex.widget(SORT)
    assert box.feedback.value == ""
    box.reveal.click()
    assert "A → Japan (MOFA page); B → Russia (Lavrov, 2019)" in box.feedback.value
    assert "Not yet" not in box.feedback.value
    number = ex.widget(NUMBER)
    number.reveal.click()
    assert "The answer: 40 km." in number.feedback.value
    assert ex.widget(OPEN).reveal is None  # an open answer has no single answer to show


def test_free_text_checklist() -> None:
    assert ex.check(OPEN, [True, True]).correct
    partial = ex.check(OPEN, [True, False])
    assert partial.message == "1 of 2 points covered. Still to do: I named both readings."
    with pytest.raises(ValueError, match="expected 2 ticks"):
        ex.check(OPEN, [True])


def test_models_refuse_inconsistent_content() -> None:
    with pytest.raises(ValueError, match="'Urup' is not one of the options"):
        ex.Choice("c", "?", ("A", "B"), "Urup")
    with pytest.raises(ValueError, match="unknown categories China"):
        ex.Sorting("s", "?", {"A": "x"}, ("Japan",), {"A": "China"})
    with pytest.raises(ValueError, match="cover exactly the items"):
        ex.Sorting("s", "?", {"A": "x", "B": "y"}, ("Japan",), {"A": "Japan"})
    with pytest.raises(ValueError, match="not an exercise"):
        ex.check("a string", "x")


def test_from_spec_builds_each_kind() -> None:
    choice = ex.from_spec("c", {"kind": "choice", "prompt": "?", "answer": "A",
                                "options": [{"text": "A", "why": "yes"}, {"text": "B"}]})
    assert choice.why == {"A": "yes", "B": ""}
    order = ex.from_spec("o", {"kind": "ordering", "prompt": "?", "categories": ["1st", "2nd"],
                               "items": [{"id": "x", "text": "X", "category": "2nd"},
                                         {"id": "y", "text": "Y", "category": "1st"}]})
    assert order.kind == "ordering" and order.key == {"x": "2nd", "y": "1st"}
    code = ex.from_spec("k", {"kind": "code", "prompt": "?", "variable": "x", "expect": "number",
                              "hint": "h", "solution": "x = 3 * 4\n"})
    assert isinstance(code, ex.CodeTask) and ex.check(code, 12).correct
    assert "100 times too big" in ex.check(code, 1200).message
    with pytest.raises(ValueError, match=r"unknown expect 'graph'.*frame, number, list, map"):
        ex.from_spec("g", {"kind": "code", "prompt": "?", "variable": "x", "expect": "graph",
                           "hint": "h", "solution": "x = 1"})
    with pytest.raises(ValueError, match="needs a 'key' column"):
        ex.from_spec("t", {"kind": "code", "prompt": "?", "variable": "x", "hint": "h",
                           "solution": "x = 1"})
    with pytest.raises(ValueError, match="'essay'"):
        ex.from_spec("e", {"kind": "essay", "prompt": "?"})


def test_one_widget_with_the_same_handles_for_every_kind() -> None:
    box = ex.widget(CHOICE)
    box.answer.value = "Etorofu"
    box.button.click()
    assert "✘ Not yet." in box.feedback.value and "Hint" not in box.feedback.value
    box.button.click()
    assert "Hint: Measure to the nearest islet." in box.feedback.value
    box.answer.value = "Habomai"
    box.button.click()
    assert "✔ Correct." in box.feedback.value

    number = ex.widget(NUMBER)
    number.answer.value = 40.5
    number.button.click()
    assert "✔ Correct." in number.feedback.value

    sort = ex.widget(SORT)
    sort.answer["A"].value, sort.answer["B"].value = "Japan", "Russia"
    sort.button.click()
    assert "All 2 sorted correctly." in sort.feedback.value

    free = ex.widget(OPEN)
    assert "0 of 2 points" in free.feedback.value
    assert "cell below" in free.children[1].value  # written answers go into the notebook
    for tick in free.answer:
        tick.value = True
    assert "covers every point" in free.feedback.value


def test_an_exercise_shows_itself_as_its_widget() -> None:
    bundle = CHOICE._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_map_task_names_a_swapped_or_misplaced_marker() -> None:
    import folium

    task = ex.from_spec("m", {"kind": "code", "prompt": "?", "variable": "m", "expect": "map",
                              "tolerance": 5, "hint": "h",
                              "solution": "m = folium.Map(tiles=None)\n"
                                          "folium.Marker([43.87, 146.83]).add_to(m)\n"})
    right = folium.Map(tiles=None)
    folium.Marker([43.88, 146.82]).add_to(right)
    assert ex.check(task, right).correct
    swapped = folium.Map(tiles=None)
    folium.Marker([146.83, 43.87]).add_to(swapped)
    assert "[latitude, longitude]" in ex.check(task, swapped).message
    far = folium.Map(tiles=None)
    folium.Marker([45.0, 148.0]).add_to(far)
    assert "No marker near 43.87, 146.83" in ex.check(task, far).message
    assert ex.check(task, folium.Map(tiles=None)).message == \
        "Your map has 0 markers; the task asks for 1."
