"""Self-checks for the exercises: plain checking functions and the widgets that call them.

The checking functions return :class:`Feedback` and can be used without a browser;
the widgets only show what those functions say.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Feedback",
    "Question",
    "check_choice",
    "check_number",
    "check_sorting",
    "choice_quiz",
    "number_quiz",
    "sorting_quiz",
]


@dataclass(frozen=True)
class Feedback:
    """The result of a self-check: whether it was right, and why."""

    correct: bool
    message: str

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.correct else "#b35900"
        mark = "✔ Correct." if self.correct else "✘ Not yet."
        return (f'<div style="border-left:4px solid {colour};padding:4px 8px">'
                f"<b>{mark}</b> {html.escape(self.message)}</div>")


@dataclass(frozen=True)
class Question:
    """A multiple-choice question; ``why`` explains each option, right or wrong."""

    prompt: str
    options: Sequence[str]
    answer: str
    why: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.answer not in self.options:
            raise ValueError(f"answer {self.answer!r} is not one of the options: "
                             f"{', '.join(self.options)}")
        unknown = set(self.why) - set(self.options)
        if unknown:
            raise ValueError(f"explanations for unknown options: {', '.join(sorted(unknown))}")


def check_choice(question: Question, choice: str | None) -> Feedback:
    """Check one answer to a :class:`Question`."""
    if choice is None or choice == "":
        return Feedback(False, "Choose an answer first.")
    if choice not in question.options:
        raise ValueError(f"unknown choice {choice!r}; valid choices: {', '.join(question.options)}")
    correct = choice == question.answer
    message = question.why.get(choice, "")
    if not message:
        message = "That is the answer the sources support." if correct else "Look at the source again."
    return Feedback(correct, message)


def check_number(value: float | None, expected: float, tolerance: float = 0.02, unit: str = "",
                 hint: str = "") -> Feedback:
    """Check a computed number against ``expected`` within a relative ``tolerance``."""
    if value is None:
        return Feedback(False, "Enter a number first.")
    try:
        number = float(value)
    except (TypeError, ValueError):
        return Feedback(False, f"{value!r} is not a number.")
    suffix = f" {unit}" if unit else ""
    if expected == 0:
        ok = abs(number) <= tolerance
    else:
        ok = abs(number - expected) <= abs(expected) * tolerance
    if ok:
        return Feedback(True, f"{number:,.4g}{suffix} is within {tolerance:.0%} of {expected:,.4g}{suffix}.")
    direction = "high" if number > expected else "low"
    return Feedback(False, f"{number:,.4g}{suffix} is too {direction}. {hint}".strip())


def check_sorting(answers: Mapping[str, str], key: Mapping[str, str],
                  reasons: Mapping[str, str] | None = None) -> Feedback:
    """Check a sorting exercise: ``answers`` and ``key`` map item ids to categories."""
    unknown = set(answers) - set(key)
    if unknown:
        raise ValueError(f"unknown items {', '.join(sorted(unknown))}; valid items: "
                         f"{', '.join(key)}")
    missing = [k for k in key if not answers.get(k)]
    wrong = [k for k in key if answers.get(k) and answers[k] != key[k]]
    if not wrong and not missing:
        return Feedback(True, f"All {len(key)} sorted correctly.")
    parts = []
    if wrong:
        notes = [f"{k}: {reasons[k]}" if reasons and k in reasons else k for k in wrong]
        parts.append(f"{len(wrong)} not yet right — " + "; ".join(notes))
    if missing:
        parts.append(f"{len(missing)} still to sort")
    return Feedback(False, ". ".join(parts) + ".")


# --------------------------------------------------------------------------- widgets


def _feedback_widget() -> Any:
    import ipywidgets as w

    return w.HTML(value="")


def _show(out: Any, feedback: Feedback) -> None:
    out.value = feedback._repr_html_()


def choice_quiz(question: Question) -> Any:
    """A widget: the question, its options, a Check button and the feedback."""
    import ipywidgets as w

    options = w.RadioButtons(options=list(question.options), value=None,
                             layout=w.Layout(width="auto"))
    button = w.Button(description="Check", button_style="primary")
    out = _feedback_widget()
    button.on_click(lambda _b: _show(out, check_choice(question, options.value)))
    box = w.VBox([w.HTML(f"<b>{html.escape(question.prompt)}</b>"), options, button, out])
    box.options, box.button, box.feedback = options, button, out  # for tests and notebooks
    return box


def number_quiz(prompt: str, expected: float, tolerance: float = 0.02, unit: str = "",
                hint: str = "") -> Any:
    """A widget: a number box, a Check button and the feedback."""
    import ipywidgets as w

    entry = w.FloatText(value=None, description=unit or "Answer")
    button = w.Button(description="Check", button_style="primary")
    out = _feedback_widget()
    button.on_click(lambda _b: _show(out, check_number(entry.value, expected, tolerance, unit, hint)))
    box = w.VBox([w.HTML(f"<b>{html.escape(prompt)}</b>"), entry, button, out])
    box.entry, box.button, box.feedback = entry, button, out
    return box


def sorting_quiz(items: Mapping[str, str], categories: Sequence[str], key: Mapping[str, str],
                 reasons: Mapping[str, str] | None = None,
                 on_check: Callable[[Feedback], None] | None = None) -> Any:
    """A widget: one dropdown per statement (``items`` maps id to text), a Check button."""
    import ipywidgets as w

    drops = {k: w.Dropdown(options=[("— choose —", None), *[(c, c) for c in categories]],
                           value=None, layout=w.Layout(width="160px")) for k in items}
    rows = [w.HBox([drops[k], w.HTML(f"<b>{html.escape(k)}</b>: {html.escape(text)}",
                                     layout=w.Layout(width="auto"))])
            for k, text in items.items()]
    button = w.Button(description="Check", button_style="primary")
    out = _feedback_widget()

    def check(_b: Any) -> None:
        feedback = check_sorting({k: d.value for k, d in drops.items() if d.value}, key, reasons)
        _show(out, feedback)
        if on_check:
            on_check(feedback)

    button.on_click(check)
    box = w.VBox([*rows, button, out])
    box.dropdowns, box.button, box.feedback = drops, button, out
    return box
