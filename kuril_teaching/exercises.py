"""One exercise model: the kinds the lessons use, one plain checker, one widget renderer.

Each kind is a small dataclass. :func:`check` says whether an answer is right and why, and
works without a browser; :func:`widget` shows any exercise with the same handles
(``answer``, ``button``, ``feedback``) for tests and notebooks. A first wrong answer gets a
hint; the reasons come after further tries. An exercise shows itself as its widget.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .content import text

__all__ = [
    "Choice",
    "CodeTask",
    "Exercise",
    "Feedback",
    "FreeText",
    "Numeric",
    "Sorting",
    "check",
    "from_spec",
    "widget",
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
    """Mixin: an exercise displays itself as its widget."""

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return widget(self)._repr_mimebundle_(**kwargs)  # type: ignore[arg-type]


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
class CodeTask(Numeric):
    """A few lines of code that end in a number; ``scaffold`` is the starting cell."""

    scaffold: str = ""


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
    if kind in ("numeric", "code"):
        extra = {"scaffold": spec["scaffold"]} if kind == "code" else {}
        cls = CodeTask if kind == "code" else Numeric
        return cls(expected=float(spec["expected"]), unit=spec.get("unit", ""),
                   tolerance=float(spec.get("tolerance", 0.02)),
                   explanation=spec.get("explanation", ""), **extra, **common)
    if kind in ("sorting", "ordering", "matching"):
        items = spec["items"]
        if isinstance(items, list):
            key = {str(i.get("id", n)): i["category"] for n, i in enumerate(items)}
            reasons = {str(i.get("id", n)): i.get("reason", "") for n, i in enumerate(items)}
            items = {str(i.get("id", n)): i["text"] for n, i in enumerate(items)}
        else:
            key, reasons = spec["key"], spec.get("reasons", {})
        return Sorting(items=dict(items), categories=tuple(spec["categories"]), key=dict(key),
                       reasons=dict(reasons), kind=kind, **common)
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
    parts = []
    if wrong:
        if tries >= REASONS_AFTER and ex.reasons:
            notes = "; ".join(f"{k}: {ex.reasons[k]}" if ex.reasons.get(k) else k for k in wrong)
        else:
            notes = ", ".join(wrong)
        parts.append(text("feedback.wrong_items", count=len(wrong), items=notes))
    if missing:
        parts.append(text("feedback.missing_items", count=len(missing)))
    message = " ".join(parts)
    if ex.hint and tries >= HINT_AFTER and tries < REASONS_AFTER:
        message = f"{message} {text('feedback.hint', hint=ex.hint)}"
    return Feedback(False, message)


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

    Answers: an option's text (choice), a number (numeric, code), a mapping of item id to
    category (sorting), one tick per checklist point (free text).
    """
    if isinstance(exercise, Choice):
        return _check_choice(exercise, answer, tries)
    if isinstance(exercise, Numeric):
        return _check_numeric(exercise, answer, tries)
    if isinstance(exercise, Sorting):
        return _check_sorting(exercise, answer, tries)
    if isinstance(exercise, FreeText):
        return _check_free_text(exercise, answer, tries)
    raise ValueError(f"not an exercise: {type(exercise).__name__}; valid kinds: Choice, Numeric, "
                     "CodeTask, Sorting, FreeText")


# --------------------------------------------------------------------------- one widget renderer


def _answer_control(ex: Exercise) -> Any:
    import ipywidgets as w

    if isinstance(ex, Choice):
        return w.RadioButtons(options=list(ex.options), value=None, layout=w.Layout(width="auto"))
    if isinstance(ex, Numeric):
        return w.FloatText(value=None, description=ex.unit or text("widget.answer"))
    if isinstance(ex, Sorting):
        choose = text("widget.choose")
        return {k: w.Dropdown(options=[(choose, None), *[(c, c) for c in ex.categories]],
                              value=None, layout=w.Layout(width="190px")) for k in ex.items}
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
    list of checkboxes), ``box.button``, ``box.feedback`` and, for open answers,
    ``box.notes`` (a text area for the student's own answer).
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
    head = [w.HTML(f"<b>{html.escape(exercise.prompt)}</b>")]
    notes = None
    if isinstance(exercise, Sorting):
        body: list[Any] = [w.HBox([control[k], w.HTML(f"<b>{html.escape(k)}</b>: "
                                                      f"{html.escape(t)}")])
                           for k, t in exercise.items.items()]
    elif isinstance(exercise, FreeText):
        notes = w.Textarea(placeholder=text("widget.write_here"),
                           layout=w.Layout(width="95%", height="120px"))
        body = [notes, w.HTML(f"<i>{html.escape(text('widget.checklist'))}</i>"), *control]
        for box in control:
            box.observe(on_check, names="value")
    else:
        body = [control]
    parts = [*head, *body] if isinstance(exercise, FreeText) else [*head, *body, button]
    box = w.VBox([*parts, feedback])
    box.exercise, box.answer, box.button, box.feedback = exercise, control, button, feedback
    box.notes = notes
    if isinstance(exercise, FreeText):
        on_check()
    return box

