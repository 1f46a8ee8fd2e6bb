"""One exercise model: the kinds the lessons use, one plain checker, one widget renderer.

Each kind is a small dataclass. :func:`check` says whether an answer is right and why, and
works without a browser; :func:`widget` shows any exercise with the same handles
(``answer``, ``button``, ``feedback``) for tests and notebooks. A first wrong answer gets a
hint; the reasons come after further tries. An exercise shows itself as its widget, and
carries a printable worksheet (:func:`worksheet_html`) in the same output for handouts.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .content import text

__all__ = [
    "EDITION_VARIABLE",
    "Choice",
    "CodeTask",
    "Exercise",
    "Feedback",
    "FreeText",
    "Numeric",
    "Sorting",
    "answer_text",
    "check",
    "check_code",
    "expected",
    "find_task",
    "from_spec",
    "widget",
    "worksheet_html",
]

HINT_AFTER = 1  # wrong tries before the hint is shown
REASONS_AFTER = 2  # wrong tries before a sorting exercise explains each wrong item


@dataclass(frozen=True)
class Feedback:
    """The result of a self-check: whether it was right, and why."""

    correct: bool
    message: str

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.correct else "#9a4a00"
        mark = text("feedback.correct") if self.correct else text("feedback.not_yet")
        return (f'<div class="kt-feedback" style="border-left:4px solid {colour};padding:4px 8px">'
                f"<b>{html.escape(mark)}</b> {html.escape(self.message)}</div>")


class _Shown:
    """Mixin: an exercise displays itself as its widget, with its printable worksheet beside it.

    JupyterLab shows the widget; a page without a kernel (a handout) shows the ``text/html``
    worksheet. The worksheet holds answers only when the kernel runs for a teacher's handout
    (:data:`EDITION_VARIABLE` set to ``teacher``): never because of what a notebook holds.
    """

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = widget(self)._repr_mimebundle_(**kwargs)  # type: ignore[arg-type]
        data, meta = bundle if isinstance(bundle, tuple) else (bundle, None)
        data = {**data, "text/html": worksheet_html(self, _edition())}  # type: ignore[arg-type]
        return data if meta is None else (data, meta)


@dataclass(frozen=True)
class Choice(_Shown):
    """Multiple choice; ``why`` explains each option, right or wrong."""

    id: str
    prompt: str
    options: tuple[str, ...]
    answer: str
    why: Mapping[str, str] = field(default_factory=dict)
    hint: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", tuple(self.options))
        if self.answer not in self.options:
            raise ValueError(f"answer {self.answer!r} is not one of the options: "
                             f"{', '.join(self.options)}")
        unknown = set(self.why) - set(self.options)
        if unknown:
            raise ValueError(f"explanations for unknown options: {', '.join(sorted(unknown))}; "
                             f"valid options: {', '.join(self.options)}")


@dataclass(frozen=True)
class Numeric(_Shown):
    """A number to compute or measure, right within a relative ``tolerance``."""

    id: str
    prompt: str
    expected: float
    unit: str = ""
    tolerance: float = 0.02
    hint: str = ""
    explanation: str = ""


@dataclass(frozen=True)
class CodeTask:
    """"Try it in code": a few lines of pandas or folium that assign ``variable``.

    ``solution`` is the teacher's code; what it assigns is the expected value. ``expect`` says
    what kind of value that is: ``frame`` (rows told apart by the ``key`` column, compared on
    ``columns``), ``number``, ``list`` or ``map`` (a folium map, compared by its markers).
    """

    id: str
    prompt: str
    variable: str
    solution: str
    expect: str = "frame"
    key: str = ""
    columns: tuple[str, ...] = ()
    ordered: bool = False
    tolerance: float = 0.01
    unit: str = ""
    hint: str = ""
    explanation: str = ""
    going_further: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns))
        if self.expect not in CODE_EXPECT:
            raise ValueError(f"unknown expect {self.expect!r} for task {self.id!r}; valid: "
                             f"{', '.join(CODE_EXPECT)}")
        if self.expect == "frame" and not self.key:
            raise ValueError(f"task {self.id!r} expects a table: it needs a 'key' column")


CODE_EXPECT = ("frame", "number", "list", "map")


@dataclass(frozen=True)
class Sorting(_Shown):
    """Sort (or order, or match) items into ``categories``; ``key`` maps item id to category."""

    id: str
    prompt: str
    items: Mapping[str, str]
    categories: tuple[str, ...]
    key: Mapping[str, str]
    reasons: Mapping[str, str] = field(default_factory=dict)
    hint: str = ""
    kind: str = "sorting"
    hints: Mapping[str, str] = field(default_factory=dict)  # per item: a nudge, not the answer

    def __post_init__(self) -> None:
        object.__setattr__(self, "categories", tuple(self.categories))
        if set(self.key) != set(self.items):
            raise ValueError(f"the key must cover exactly the items {', '.join(self.items)}; "
                             f"it covers {', '.join(self.key)}")
        bad = sorted({c for c in self.key.values() if c not in self.categories})
        if bad:
            raise ValueError(f"unknown categories {', '.join(bad)}; valid categories: "
                             f"{', '.join(self.categories)}")


@dataclass(frozen=True)
class FreeText(_Shown):
    """An open answer, written by the student, checked against a checklist (no single answer)."""

    id: str
    prompt: str
    checklist: tuple[str, ...]
    rubric: tuple[tuple[str, int], ...] = ()
    hint: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "checklist", tuple(self.checklist))
        object.__setattr__(self, "rubric", tuple((str(c), int(p)) for c, p in self.rubric))


Exercise = Choice | Numeric | CodeTask | Sorting | FreeText


# --------------------------------------------------------------------------- from content


def from_spec(ident: str, spec: Mapping[str, Any]) -> Exercise:
    """An exercise from its entry in a lesson's content file (after the lesson filled it in)."""
    kind = spec["kind"]
    common = {"id": ident, "prompt": spec["prompt"], "hint": spec.get("hint", "")}
    if kind == "choice":
        options = spec["options"]
        if options and isinstance(options[0], Mapping):
            why = {o["text"]: o.get("why", "") for o in options}
            options = [o["text"] for o in options]
        else:
            why = dict(spec.get("why", {}))
        return Choice(options=tuple(options), answer=spec["answer"], why=why, **common)
    if kind == "numeric":
        return Numeric(expected=float(spec["expected"]), unit=spec.get("unit", ""),
                       tolerance=float(spec.get("tolerance", 0.02)),
                       explanation=spec.get("explanation", ""), **common)
    if kind == "code":
        return CodeTask(variable=spec["variable"], solution=spec["solution"],
                        expect=spec.get("expect", "frame"), key=spec.get("key", ""),
                        columns=tuple(spec.get("columns", ())), ordered=bool(spec.get("ordered", False)),
                        tolerance=float(spec.get("tolerance", 0.01)), unit=spec.get("unit", ""),
                        explanation=spec.get("explanation", ""),
                        going_further=spec.get("going_further", ""), **common)
    if kind in ("sorting", "ordering", "matching"):
        items = spec["items"]
        if isinstance(items, list):
            key = {str(i.get("id", n)): i["category"] for n, i in enumerate(items)}
            reasons = {str(i.get("id", n)): i.get("reason", "") for n, i in enumerate(items)}
            hints = {str(i.get("id", n)): i["hint"] for n, i in enumerate(items) if i.get("hint")}
            items = {str(i.get("id", n)): i["text"] for n, i in enumerate(items)}
        else:
            key, reasons = spec["key"], spec.get("reasons", {})
            hints = spec.get("hints", {})
        return Sorting(items=dict(items), categories=tuple(spec["categories"]), key=dict(key),
                       reasons=dict(reasons), hints=dict(hints), kind=kind, **common)
    if kind == "free_text":
        rubric = tuple((r["criterion"], r["points"]) for r in spec.get("rubric", ()))
        return FreeText(checklist=tuple(spec["checklist"]), rubric=rubric, **common)
    raise ValueError(f"unknown exercise kind {kind!r}; valid kinds: choice, numeric, code, "
                     "sorting, ordering, matching, free_text")


# --------------------------------------------------------------------------- checking


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _check_choice(ex: Choice, answer: Any, tries: int) -> Feedback:
    if answer is None or answer == "":
        return Feedback(False, text("feedback.choose_first"))
    if answer not in ex.options:
        raise ValueError(f"unknown choice {answer!r}; valid choices: {', '.join(ex.options)}")
    if answer == ex.answer:
        return Feedback(True, ex.why.get(answer) or text("feedback.supported"))
    message = ex.why.get(answer) or text("feedback.look_again")
    if ex.hint and tries >= HINT_AFTER:
        message = f"{message} {text('feedback.hint', hint=ex.hint)}"
    return Feedback(False, message)


def _check_numeric(ex: Numeric, answer: Any, tries: int) -> Feedback:
    if answer is None or answer == "":
        return Feedback(False, text("feedback.enter_number"))
    number = _number(answer)
    if number is None:
        return Feedback(False, text("feedback.not_a_number", value=repr(answer)))
    unit = f" {ex.unit}" if ex.unit else ""
    expected = ex.expected
    close = abs(number) <= ex.tolerance if expected == 0 else \
        abs(number - expected) <= abs(expected) * ex.tolerance
    if close:
        message = text("feedback.number_right", value=f"{number:,.4g}{unit}",
                       tolerance=f"{ex.tolerance:.0%}", expected=f"{expected:,.4g}{unit}")
        return Feedback(True, f"{message} {ex.explanation}".strip())
    key = "feedback.too_high" if number > expected else "feedback.too_low"
    message = text(key, value=f"{number:,.4g}{unit}")
    if ex.hint and tries >= HINT_AFTER:
        message = f"{message} {text('feedback.hint', hint=ex.hint)}"
    return Feedback(False, message)


def _check_sorting(ex: Sorting, answer: Any, tries: int) -> Feedback:
    answers = dict(answer or {})
    unknown = set(answers) - set(ex.items)
    if unknown:
        raise ValueError(f"unknown items {', '.join(map(repr, sorted(unknown)))}; valid items: "
                         f"{', '.join(ex.items)}")
    for item, category in answers.items():
        if category and category not in ex.categories:
            raise ValueError(f"unknown category {category!r} for item {item!r}; valid "
                             f"categories: {', '.join(ex.categories)}")
    missing = [k for k in ex.items if not answers.get(k)]
    wrong = [k for k in ex.items if answers.get(k) and answers[k] != ex.key[k]]
    if not wrong and not missing:
        return Feedback(True, text("feedback.all_sorted", count=len(ex.items)))
    right = len(ex.items) - len(wrong) - len(missing)
    parts = [text("feedback.sorted_count", right=right, total=len(ex.items))]
    if wrong:
        if tries >= REASONS_AFTER:
            notes = "; ".join(_answer_line(ex, k) for k in wrong)
            parts.append(_sentence(text("feedback.wrong_items_answer", count=len(wrong), items=notes)))
        else:
            notes = "; ".join(f"{k}: {ex.hints[k]}" if ex.hints.get(k) else k for k in wrong)
            parts.append(_sentence(text("feedback.wrong_items", count=len(wrong), items=notes)))
    if missing:
        parts.append(text("feedback.missing_items", count=len(missing)))
    message = " ".join(parts)
    if ex.hint and HINT_AFTER <= tries < REASONS_AFTER:
        message = f"{message} {text('feedback.hint', hint=ex.hint)}"
    return Feedback(False, message)


def _sentence(words: str) -> str:
    """End with one full stop: "… right?" stays, "… right" gets one."""
    words = words.rstrip()
    return words if words.endswith((".", "?", "!", "…", "。", "？", "！")) else f"{words}."


def _answer_line(ex: Sorting, item: str) -> str:
    reason = ex.reasons.get(item)
    line = text("feedback.item_answer", item=item, category=ex.key[item])
    return f"{line} ({reason})" if reason else line


def answer_text(exercise: Exercise) -> str:
    """The answer, in words: what "Show the answer" reveals."""
    if isinstance(exercise, Choice):
        why = exercise.why.get(exercise.answer, "")
        return f"{text('feedback.the_answer', answer=exercise.answer)} {why}".strip()
    if isinstance(exercise, Numeric):
        unit = f" {exercise.unit}" if exercise.unit else ""
        return f"{text('feedback.the_answer', answer=f'{exercise.expected:,.4g}{unit}')} " \
               f"{exercise.explanation}".strip()
    if isinstance(exercise, Sorting):
        return "; ".join(_answer_line(exercise, k) for k in exercise.items)
    if isinstance(exercise, CodeTask):
        return exercise.solution
    return text("feedback.no_single_answer")


def _check_free_text(ex: FreeText, answer: Any, tries: int) -> Feedback:
    ticked = list(answer or [])
    if len(ticked) != len(ex.checklist):
        raise ValueError(f"expected {len(ex.checklist)} ticks, one per checklist point; "
                         f"got {len(ticked)}")
    missing = [item for item, t in zip(ex.checklist, ticked, strict=True) if not t]
    if not missing:
        return Feedback(True, text("feedback.checklist_done"))
    return Feedback(False, text("feedback.checklist_partial", done=len(ex.checklist) - len(missing),
                                total=len(ex.checklist), next=missing[0]))


def check(exercise: Exercise, answer: Any, tries: int = 0) -> Feedback:
    """Check ``answer`` to ``exercise``; ``tries`` counts the wrong answers given before.

    Answers: an option's text (choice), a number (numeric), the value the student's code
    assigned (code), a mapping of item id to category (sorting), one tick per checklist point
    (free text).
    """
    if isinstance(exercise, Choice):
        return _check_choice(exercise, answer, tries)
    if isinstance(exercise, Numeric):
        return _check_numeric(exercise, answer, tries)
    if isinstance(exercise, CodeTask):
        return _check_code(exercise, answer, tries)
    if isinstance(exercise, Sorting):
        return _check_sorting(exercise, answer, tries)
    if isinstance(exercise, FreeText):
        return _check_free_text(exercise, answer, tries)
    raise ValueError(f"not an exercise: {type(exercise).__name__}; valid kinds: Choice, Numeric, "
                     "CodeTask, Sorting, FreeText")


# --------------------------------------------------------------------------- code tasks

_EXPECTED: dict[str, Any] = {}
_TRIES: dict[str, int] = {}


def expected(task: CodeTask) -> Any:
    """What the task's solution assigns (computed once per task)."""
    if task.id not in _EXPECTED:
        import folium
        import pandas as pd

        import kuril_teaching

        space: dict[str, Any] = {"kt": kuril_teaching, "pd": pd, "folium": folium}
        exec(compile(task.solution, f"<solution of {task.id}>", "exec"), space)
        if task.variable not in space:
            raise ValueError(f"the solution of task {task.id!r} does not assign {task.variable!r}")
        _EXPECTED[task.id] = space[task.variable]
    return _EXPECTED[task.id]


def _names(values: Any, limit: int = 5) -> str:
    values = [str(v) for v in values]
    more = len(values) - limit
    return ", ".join(values[:limit]) + (f" (+{more})" if more > 0 else "")


def _ratio_note(mine: float, right: float) -> str | None:
    """A units slip: a fraction for a percentage, metres for kilometres, and the like."""
    if not right or not mine:
        return None
    for factor, key in ((100, "code.units_percent"), (0.01, "code.units_fraction"),
                        (1000, "code.units_thousand"), (0.001, "code.units_thousand"),
                        (1e6, "code.units_million"), (1e-6, "code.units_million")):
        if abs(mine / right - factor) <= 0.02 * factor:
            return text(key)
    return None


def _close(mine: Any, right: Any, tolerance: float) -> bool:
    try:
        a, b = float(mine), float(right)
    except (TypeError, ValueError):
        return str(mine) == str(right)
    if b != b:  # NaN
        return a != a
    return abs(a - b) <= max(abs(b) * tolerance, 1e-9)


def _differences(mine: list[Any], right: list[Any], what: str) -> str | None:
    """How many ``what`` ("rows" of a table, "items" of a list) there are against the answer,
    and which should not be there or are missing; ``None`` when the two hold the same ones."""
    extra = [v for v in mine if v not in right]
    absent = [v for v in right if v not in mine]
    if not extra and not absent:
        return None
    count = "row_count" if what == "rows" else "item_count"
    parts = [text(f"code.{count}", mine=len(mine), right=len(right))]
    if extra:
        parts.append(text(f"code.extra_{what}", **{what: _names(extra)}))
    if absent:
        parts.append(text(f"code.missing_{what}", **{what: _names(absent)}))
    return " ".join(parts)


def _check_frame(task: CodeTask, mine: Any, right: Any) -> str | None:
    import pandas as pd

    if isinstance(mine, pd.Series) and not isinstance(right, pd.Series):
        if task.key in (mine.index.names or []):  # grouped, with the groups as the index
            return text("code.grouped_series", column=task.key)
        return text("code.series_not_table", name=mine.name or "")
    if not isinstance(mine, pd.DataFrame):
        return text("code.not_a_table", got=type(mine).__name__)
    mine = mine.reset_index() if task.key not in mine.columns and task.key in (mine.index.names or []) \
        else mine
    needed = [task.key, *task.columns]
    missing = [c for c in needed if c not in mine.columns]
    if missing:
        return text("code.missing_columns", columns=_names(missing),
                    have=_names(map(str, mine.columns), 12))
    right = right.reset_index() if task.key not in right.columns else right
    mine_keys, right_keys = list(mine[task.key]), list(right[task.key])
    different = _differences(mine_keys, right_keys, "rows")
    if different:
        return different
    if len(set(mine_keys)) != len(mine_keys):
        return text("code.duplicate_rows", column=task.key)
    for column in task.columns:
        a = mine.set_index(task.key)[column]
        b = right.set_index(task.key)[column]
        for k in right_keys:
            if not _close(a[k], b[k], task.tolerance):
                note = None
                try:
                    note = _ratio_note(float(a[k]), float(b[k]))
                except (TypeError, ValueError):
                    pass
                return text("code.wrong_value", column=column, row=k, mine=a[k]) + \
                    (f" {note}" if note else "")
    if task.ordered and mine_keys != right_keys:
        return text("code.wrong_order", column=task.key)
    return None


def _check_number(task: CodeTask, mine: Any, right: Any) -> str | None:
    if isinstance(mine, bool) or _number(mine) is None:
        return text("code.not_a_number", got=type(mine).__name__)
    number = float(mine)
    if _close(number, right, task.tolerance):
        return None
    unit = f" {task.unit}" if task.unit else ""
    note = _ratio_note(number, float(right))
    key = "feedback.too_high" if number > float(right) else "feedback.too_low"
    return note or text(key, value=f"{number:,.4g}{unit}")


def _check_list(task: CodeTask, mine: Any, right: Any) -> str | None:
    import pandas as pd

    if isinstance(mine, (pd.Series, pd.Index)):
        mine = list(mine)
    if not isinstance(mine, (list, tuple)):
        return text("code.not_a_list", got=type(mine).__name__)
    mine, right = [str(v) for v in mine], [str(v) for v in right]
    different = _differences(mine, right, "items")
    if different:
        return different
    if task.ordered and mine != right:
        return text("code.wrong_order_list")
    return None


def _markers(m: Any) -> list[tuple[float, float]]:
    import folium

    found: list[tuple[float, float]] = []

    def walk(element: Any) -> None:
        for child in getattr(element, "_children", {}).values():
            if isinstance(child, (folium.Marker, folium.CircleMarker, folium.Circle)):
                found.append((float(child.location[0]), float(child.location[1])))
            walk(child)

    walk(m)
    return found


def _check_map(task: CodeTask, mine: Any, right: Any) -> str | None:
    import folium

    if not isinstance(mine, folium.Map):
        return text("code.not_a_map", got=type(mine).__name__)
    have, want = _markers(mine), _markers(right)
    if len(have) != len(want):
        return text("code.marker_count", mine=len(have), right=len(want))
    if any(not -90 <= lat <= 90 for lat, _lon in have):
        return text("code.marker_swapped")
    for lat, lon in want:
        nearest = min(_great_circle_km(lat, lon, y, x) for y, x in have)
        if nearest > task.tolerance:
            return text("code.marker_far", lat=f"{lat:.2f}", lon=f"{lon:.2f}",
                        km=f"{nearest:,.0f}")
    return None


def _great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance on a sphere of the Earth's mean radius: enough to tell a marker's place."""
    import math

    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


_CODE_CHECKS = {"frame": _check_frame, "number": _check_number, "list": _check_list,
                "map": _check_map}


def _check_code(task: CodeTask, answer: Any, tries: int) -> Feedback:
    if answer is None or answer is Ellipsis:
        return Feedback(False, text("code.not_answered", variable=task.variable))
    problem = _CODE_CHECKS[task.expect](task, answer, expected(task))
    if problem is None:
        parts = [text("code.right"), task.explanation]
        if task.going_further:
            parts.append(text("code.going_further", task=task.going_further))
        return Feedback(True, " ".join(p for p in parts if p))
    if task.hint and tries >= HINT_AFTER:
        problem = f"{problem} {text('feedback.hint', hint=task.hint)}"
    return Feedback(False, problem)


def find_task(ident: str) -> CodeTask:
    """The code task ``ident``, from whichever lesson defines it."""
    from . import content

    tasks = content.code_tasks()
    if ident not in tasks:
        raise ValueError(f"unknown task {ident!r}; valid tasks: {', '.join(sorted(tasks))}")
    return content.lesson(tasks[ident]).exercise(ident)


def check_code(ident: str, value: Any = None) -> Feedback:
    """Check what a "Try it in code" task's cell assigned; say what is wrong if it is not right.

    Repeated wrong checks of the same task bring its hint.
    """
    task = find_task(ident)
    result = check(task, value, _TRIES.get(ident, 0))
    if not result.correct and value is not None and value is not Ellipsis:
        _TRIES[ident] = _TRIES.get(ident, 0) + 1
    return result


# --------------------------------------------------------------------------- one widget renderer


def _answer_control(ex: Exercise) -> Any:
    import ipywidgets as w

    if isinstance(ex, Choice):
        return w.RadioButtons(options=list(ex.options), value=None, layout=w.Layout(width="auto"))
    if isinstance(ex, Numeric):
        return w.FloatText(value=None, description=ex.unit or text("widget.answer"))
    if isinstance(ex, Sorting):
        choose = text("widget.choose")
        # Each list is named by its item's letter (its label, for a screen reader too).
        return {k: w.Dropdown(options=[(choose, None), *[(c, c) for c in ex.categories]],
                              value=None, description=k, tooltip=f"{k}: {t}",
                              style={"description_width": "2.5em"}, layout=w.Layout(width="230px"))
                for k, t in ex.items.items()}
    return [w.Checkbox(value=False, description=item, indent=False, layout=w.Layout(width="auto"))
            for item in ex.checklist]


def _value(ex: Exercise, control: Any) -> Any:
    if isinstance(ex, Sorting):
        return {k: d.value for k, d in control.items() if d.value}
    if isinstance(ex, FreeText):
        return [box.value for box in control]
    return control.value


def widget(exercise: Exercise) -> Any:
    """The exercise as an ipywidgets box: prompt, answer control, Check button, feedback.

    Handles: ``box.answer`` (the control: radio buttons, number box, a dict of dropdowns or a
    list of checkboxes), ``box.button``, ``box.feedback`` and ``box.reveal`` (the "Show the
    answer" button; none for open answers, which the student writes in the answer cell below).
    """
    import ipywidgets as w

    if not isinstance(exercise, (Choice, Numeric, Sorting, FreeText)):
        raise ValueError(f"not an exercise: {type(exercise).__name__}")
    control = _answer_control(exercise)
    button = w.Button(description=text("widget.check"), button_style="primary")
    feedback = w.HTML(value="")
    tries = {"wrong": 0}

    def on_check(_b: Any = None) -> None:
        result = check(exercise, _value(exercise, control), tries["wrong"])
        if not result.correct and _value(exercise, control) not in (None, {}, ""):
            tries["wrong"] += 1
        feedback.value = result._repr_html_()

    button.on_click(on_check)
    reveal = None
    if not isinstance(exercise, FreeText):
        reveal = w.Button(description=text("widget.show_answer"))

        def on_reveal(_b: Any = None) -> None:
            feedback.value = Feedback(False, answer_text(exercise))._repr_html_().replace(
                html.escape(text("feedback.not_yet")), "")

        reveal.on_click(on_reveal)
    head = [w.HTML(f"<b>{html.escape(exercise.prompt)}</b>")]
    if isinstance(exercise, Sorting):
        body: list[Any] = [w.HBox([control[k], w.HTML(html.escape(t))])
                           for k, t in exercise.items.items()]
    elif isinstance(exercise, FreeText):
        body = [w.HTML(f"<i>{html.escape(text('widget.write_below'))}</i>"),
                w.HTML(f"<i>{html.escape(text('widget.checklist'))}</i>"), *control]
        for box in control:
            box.observe(on_check, names="value")
    else:
        body = [control]
    buttons = [w.HBox([button, reveal])] if reveal is not None else []
    parts = [*head, *body] if isinstance(exercise, FreeText) else [*head, *body, *buttons]
    box = w.VBox([*parts, feedback])
    box.exercise, box.answer, box.button, box.feedback = exercise, control, button, feedback
    box.reveal = reveal
    if isinstance(exercise, FreeText):
        on_check()
    return box



# --------------------------------------------------------------------------- printable worksheet

# Set by ``kuril-teaching handouts --edition teacher`` for the kernel that runs the lessons.
EDITION_VARIABLE = "KURIL_TEACHING_HANDOUT_EDITION"
WORKSHEET_CLASS = "kt-worksheet"
_LINES = {"numeric": 0, "code": 5, "free_text": 10}


def _edition() -> str:
    return "teacher" if os.environ.get(EDITION_VARIABLE, "") == "teacher" else "student"


def _kind(exercise: Exercise) -> str:
    if isinstance(exercise, Choice):
        return "choice"
    if isinstance(exercise, Numeric):
        return "numeric"
    if isinstance(exercise, CodeTask):
        return "code"
    if isinstance(exercise, Sorting):
        return exercise.kind
    if isinstance(exercise, FreeText):
        return "free_text"
    raise ValueError(f"not an exercise: {type(exercise).__name__}; valid kinds: Choice, Numeric, "
                     "CodeTask, Sorting, FreeText")


def _lines(count: int) -> str:
    return '<div class="kt-ws-lines">' + '<div class="kt-ws-line"></div>' * count + "</div>"


def _p(key: str, **values: Any) -> str:
    return f'<p class="kt-ws-instruction">{html.escape(text(key, **values))}</p>'


def _sorting_table(ex: Sorting, teacher: bool) -> str:
    e = html.escape
    short = all(len(k) <= 3 for k in ex.items)  # letters: a column of their own
    head = ([f'<th scope="col">{e(text("worksheet.item_column"))}</th>'] if short else []) + \
        [f'<th scope="col">{e(text(f"worksheet.{ex.kind}.text_column"))}</th>',
         f'<th scope="col">{e(text(f"worksheet.{ex.kind}.blank_column"))}</th>']
    rows = []
    for k, t in ex.items.items():
        first = [f'<th scope="row">{e(k)}</th>'] if short else []
        blank = f'<strong class="kt-ws-key">{e(ex.key[k])}</strong>' if teacher else ""
        rows.append(f"<tr>{''.join(first)}<td>{e(t)}</td><td class=\"kt-ws-fill\">{blank}</td></tr>")
    return (f'<table class="kt-ws-table"><thead><tr>{"".join(head)}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _teacher_part(ex: Exercise) -> str:
    e = html.escape
    parts = [f'<p class="kt-ws-answer-head"><strong>{e(text("worksheet.for_the_teacher"))}</strong></p>']
    if isinstance(ex, CodeTask):
        parts.append(f"<p>{e(text('worksheet.solution_label'))}</p>"
                     f'<pre class="kt-ws-solution">{e(answer_text(ex).rstrip())}</pre>')
        if ex.explanation:
            parts.append(f"<p>{e(ex.explanation)}</p>")
    else:
        parts.append(f'<p class="kt-ws-answer-text">{e(answer_text(ex))}</p>')
    if isinstance(ex, FreeText):
        ticks = "".join(f"<li>{e(c)}</li>" for c in ex.checklist)
        parts.append(f"<p>{e(text('worksheet.checklist'))}</p><ul class=\"kt-ws-checklist\">{ticks}</ul>")
        if ex.rubric:
            total = sum(p for _c, p in ex.rubric)
            points = "".join(f"<li>{e(text('worksheet.criterion', criterion=c, points=p))}</li>"
                             for c, p in ex.rubric)
            parts.append(f"<p>{e(text('worksheet.rubric', total=total))}</p>"
                         f'<ul class="kt-ws-rubric">{points}</ul>')
    return f'<div class="kt-ws-answer">{"".join(parts)}</div>'


def worksheet_html(exercise: Exercise, edition: str = "student", number: int | None = None) -> str:
    """The exercise as a printable worksheet item: its prompt, what to choose from and room
    for the answer. ``edition="teacher"`` adds the answer (:func:`answer_text`) and, for an
    open answer, the checklist and rubric; the student's item holds no answer.

    ``number`` numbers the item; without it the item says only that it is a worksheet item
    (a handout numbers the items of a lesson in order).
    """
    if edition not in ("student", "teacher"):
        raise ValueError(f"unknown edition {edition!r}; valid editions: student, teacher")
    e = html.escape
    kind = _kind(exercise)
    label = text("worksheet.item") if number is None else text("worksheet.number", number=number)
    body = [f'<p class="kt-ws-head"><span class="kt-ws-number">{e(label)}</span> '
            f'<strong class="kt-ws-prompt">{e(exercise.prompt)}</strong></p>']
    if isinstance(exercise, Choice):
        options = "".join(f'<li><span class="kt-ws-box"></span> {e(o)}</li>' for o in exercise.options)
        body += [_p("worksheet.choose_one"), f'<ol class="kt-ws-options" type="A">{options}</ol>']
    elif isinstance(exercise, Numeric):
        unit = f" {e(exercise.unit)}" if exercise.unit else ""
        body.append(f'<p class="kt-ws-instruction">{e(text("worksheet.write_number"))} '
                    f'<span class="kt-ws-blank"></span>{unit}</p>')
    elif isinstance(exercise, Sorting):
        categories = " · ".join(exercise.categories)
        body += [_p(f"worksheet.{exercise.kind}.instruction"),
                 f'<p class="kt-ws-categories"><strong>{e(text(f"worksheet.{exercise.kind}.categories"))}'
                 f"</strong> {e(categories)}</p>",
                 _sorting_table(exercise, edition == "teacher")]
    elif isinstance(exercise, CodeTask):
        body += [_p("worksheet.code"), _lines(_LINES["code"])]
    else:
        body += [_p("worksheet.write_answer"), _lines(_LINES["free_text"])]
    if edition == "teacher":
        body.append(_teacher_part(exercise))
    return (f'<div class="{WORKSHEET_CLASS}" data-kt-exercise="{e(exercise.id)}" '
            f'data-kt-kind="{kind}" data-kt-edition="{edition}">{"".join(body)}</div>')
