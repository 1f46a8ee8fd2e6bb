"""One display layer: tables, quote cards, Japan | Russia side by side, events, confidence, sources.

Every lesson shows its records through these; each returns :class:`Html` (or a
:class:`SourceList`) that a notebook shows as it is. Tables are shown in full: no tuples,
no ``NaN``, no numeric index, no cut-off cells.
"""

from __future__ import annotations

import datetime as _dt
import html
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from . import data, records
from .content import text

__all__ = [
    "Html",
    "SourceList",
    "cell_text",
    "confidence",
    "details",
    "events",
    "linked",
    "long_date",
    "quote",
    "show",
    "side_by_side",
    "source_list",
    "table",
    "texts",
]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_MONTH_YEAR = {"ja": "y年M月", "ru": "LLLL y 'г'."}  # a month without a day, in each locale
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_STYLE = ("<style>.kt-table td, .kt-table th {text-align: left !important; vertical-align: top; "
          "white-space: normal; padding: 4px 8px;} .kt-quote {border-left: 4px solid #666; "
          "padding: 4px 10px; margin: 6px 0; max-width: 52em;} .kt-quote blockquote "
          "{margin: 6px 0 6px 10px;} .kt-badge {border: 1px solid #555; border-radius: 3px; "
          "padding: 0 4px; font-size: 90%;}</style>")


def long_date(iso: str) -> str:
    """``"2019-01-14"`` as ``"14 January 2019"`` (``"2019-04"`` as ``"April 2019"``)."""
    match = _ISO.match(str(iso))
    if not match:
        raise ValueError(f"{iso!r} is not an ISO date; valid forms: YYYY, YYYY-MM, YYYY-MM-DD")
    year, month, day = match.groups()
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        raise ValueError(f"{iso!r} has month {month}; valid months: 01..12")
    if day:
        try:
            _dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"{iso!r} is not a calendar date; valid forms: YYYY, YYYY-MM, "
                             "YYYY-MM-DD") from None
    from .i18n import language

    code = language()
    if code != "en":  # the locale's own long form: 1855年2月7日, 7 февраля 1855 г.
        from babel.dates import format_date

        when = _dt.date(int(year), int(month), int(day or 1))
        return format_date(when, format="long" if day else _MONTH_YEAR[code], locale=code)
    name = _MONTHS[int(month) - 1]
    return f"{int(day)} {name} {year}" if day else f"{name} {year}"


@dataclass(frozen=True)
class Html:
    """A block of (already escaped) HTML that a notebook shows as it is."""

    text: str

    def _repr_html_(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


# --------------------------------------------------------------------------- tables


def cell_text(value: Any) -> str:
    """How one table cell reads: lists joined with commas, blanks for missing values,
    whole numbers without decimals, other numbers to at most two decimals."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(cell_text(v) for v in value)
    if isinstance(value, bool):
        return text(f"display.booleans.{str(value).lower()}")
    from .i18n import number

    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) >= 1000:
            return number(f"{value:,.0f}")
        return number(f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) >= 1000 else f"{value:g}")
    if isinstance(value, int):
        return number(f"{value:,}") if abs(value) >= 10000 else str(value)
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


_LEVELS = ("high", "medium", "low")


def _cell(column: Any, value: Any) -> str:
    """A table cell as shown: a confidence level in words of the current language."""
    if isinstance(value, str) and value in _LEVELS and "confidence" in str(column):
        return text(f"display.levels.{value}")
    return cell_text(value)


def table(frame: pd.DataFrame, columns: Mapping[str, str] | Sequence[str] | None = None) -> Html:
    """A table shown in full; ``columns`` picks (and, as a mapping, renames) columns.

    The index is shown only if it has a name.
    """
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"expected a pandas DataFrame, got {type(frame).__name__}; "
                         "valid input: a table from this package")
    if columns is not None:
        wanted = list(columns)
        missing = [c for c in wanted if c not in frame.columns]
        if missing:
            raise ValueError(f"unknown columns {', '.join(map(repr, missing))}; valid columns: "
                             f"{', '.join(map(str, frame.columns))}")
        frame = frame[wanted]
        if isinstance(columns, Mapping):
            frame = frame.rename(columns=dict(columns))
    e = html.escape
    named = frame.index.name is not None
    from .i18n import gettext

    # Headers shown in the current language; the table itself keeps the names code selects.
    headers = [gettext(str(c)) for c in frame.columns]
    head = ([f"<th>{e(gettext(str(frame.index.name)))}</th>"] if named else []) + \
        [f"<th>{e(h)}</th>" for h in headers]
    body = []
    for index, values in zip(frame.index, frame.itertuples(index=False), strict=True):
        cells = ([f"<th>{e(cell_text(index))}</th>"] if named else []) + \
            [f"<td>{e(_cell(column, v))}</td>" for column, v in zip(frame.columns, values, strict=True)]
        body.append(f"<tr>{''.join(cells)}</tr>")
    return _scroll(f'<table class="dataframe kt-table"><thead><tr>{"".join(head)}</tr></thead>'
                   f"<tbody>{''.join(body)}</tbody></table>", headers)


def _scroll(table_html: str, columns: Sequence[str]) -> Html:
    """A table in its own scrolling box: a wide table scrolls sideways inside it, and the box
    can be reached and scrolled with the keyboard; its label names the columns."""
    label = text("display.table_label", columns=", ".join(columns[:4]) + (" …" if len(columns) > 4 else ""))
    return Html(f'{_STYLE}<div class="kt-scroll" role="region" tabindex="0" '
                f'aria-label="{html.escape(label)}" style="overflow-x:auto;max-width:100%">'
                f"{table_html}</div>")


def show(frame: pd.DataFrame | pd.Series) -> Html:
    """A table shown in full, text wrapped, none cut short (see :func:`table`)."""
    return table(frame)


# --------------------------------------------------------------------------- confidence


def confidence(level: str, note: str = "") -> Html:
    """A confidence badge in words (never colour alone), with the reason where there is one."""
    valid = data.CONFIDENCE
    if level not in valid:
        raise ValueError(f"unknown confidence {level!r}; valid levels: {', '.join(valid)}")
    word = text(f"display.levels.{level}")
    label = (text("display.confidence_note", level=word, note=note.strip()) if note.strip()
             else text("display.confidence", level=word))
    return Html(f'<span class="kt-badge kt-{level}">{html.escape(label)}</span>')


# --------------------------------------------------------------------------- quotes


def _language(code: str) -> str:
    from .content import LIBRARY, lesson

    names = lesson(LIBRARY).get("display.language_names")
    return str(names.get(code, code))


def _local_version(document_id: str) -> str | None:
    """In a Japanese or Russian edition, the stored version of ``document_id``'s passage in
    that language (an authentic one first), if ``document_id`` is in another language."""
    from .i18n import language

    code = language()
    doc = records.row("documents", document_id)
    if code == "en" or str(doc["language"]) == code:
        return None
    local = [r for r in data.versions(document_id).to_dict("records") if r["language"] == code]
    return str(local[0]["id"]) if local else None


def quote(document_id: str, marked: Iterable[str] = (), show_note: bool = True) -> Html:
    """An excerpt of a primary text exactly as stored: language, translation and its origin,
    sources and confidence. Words in ``marked`` are highlighted.

    In a Japanese or Russian edition, the passage's text in that language leads when the
    project holds one; ``document_id`` follows for comparison."""
    local = _local_version(document_id)
    if local is not None:
        first = _card(local, show_note)
        then = _one_quote(document_id, marked, show_note).text.replace(_STYLE, "", 1)
        return Html(f"{_STYLE}{first}<p><small>{html.escape(text('display.for_comparison'))}"
                    f"</small></p>{then}")
    return _one_quote(document_id, marked, show_note)


def _one_quote(document_id: str, marked: Iterable[str] = (), show_note: bool = True) -> Html:
    doc = records.row("documents", document_id)
    e = html.escape
    body = e(str(doc["text"]).strip())
    words = [w for w in marked if w]
    if words:
        pattern = re.compile("|".join(re.escape(e(w)) for w in sorted(words, key=len, reverse=True)),
                             re.IGNORECASE)
        body = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", body)
    translation = str(doc["translation"])
    origin = text("display.original") if translation == "original" else translation
    article = f" — {e(str(doc['article']))}" if doc.get("article") else ""
    status = "display.authentic_text" if doc["authentic"] else "display.translated_text"
    meta = " · ".join([
        e(text(status, language=_language(str(doc["language"])))),
        e(text("display.quote_translation", translation=origin)),
        e(text("display.quote_sources", sources=", ".join(doc["source_ids"]))),
        confidence(str(doc["confidence"])).text,
    ])
    note = (f"<br><small>{e(text('display.note', note=str(doc['note'])))}</small>"
            if show_note and doc.get("note") else "")
    lang = e(str(doc["language"]))
    return Html(f'{_STYLE}<div class="kt-quote"><b>{e(str(doc["title"]))}</b>{article}'
                f'<blockquote lang="{lang}">{body}</blockquote><small>{meta}</small>{note}</div>')


def _card(document_id: str, show_note: bool) -> str:
    return _one_quote(document_id, show_note=show_note).text.replace(_STYLE, "", 1)


def texts(document_id: str, others_only: bool = False, show_note: bool = True) -> Html:
    """A passage in its authentic language(s) beside its translations: every stored version of
    the passage of ``document_id`` (see :func:`kuril_teaching.data.versions`), each as a quote
    card naming its translator and copy. Where no authentic text is stored, the reason is shown
    in its place. ``others_only`` leaves out ``document_id`` itself (already quoted above)."""
    everything = data.versions(document_id).to_dict("records")
    itself = next(r for r in everything if r["id"] == document_id)
    rows = [r for r in everything if r["id"] != document_id] if others_only else everything
    e = html.escape
    authentic = [r for r in rows if r["authentic"]]
    translated = [r for r in rows if not r["authentic"]]
    if authentic:
        left = "".join(_card(r["id"], show_note) for r in authentic)
    elif others_only and itself["authentic"]:
        said = text("display.itself_authentic", language=_language(str(itself["language"])))
        left = f"<p><i>{e(said)}</i></p>"
    else:
        reasons = [str(r.get("no_authentic_text") or "").strip() for r in everything]
        reason = next((x for x in reasons if x), "") or text("display.none")
        left = f"<p><i>{e(text('display.no_authentic_stored', reason=reason))}</i></p>"
    right = "".join(_card(r["id"], show_note) for r in translated) or \
        f"<p><i>{e(text('display.none'))}</i></p>"
    languages = ", ".join(dict.fromkeys(_language(str(r["language"]))
                                        for r in everything if r["authentic"]))
    heading = text("display.other_versions" if others_only else "display.texts_heading",
                   title=str(itself["title"]), article=str(itself.get("article") or ""))
    summary = (f"<p><small>{e(text('display.authentic_texts', languages=languages))}</small></p>"
               if languages else "")
    head = "".join(f'<th style="width:50%">{e(text(f"display.{k}_column"))}</th>'
                   for k in ("authentic", "translation"))
    return Html(f"{_STYLE}<p><b>{e(heading)}</b></p>{summary}"
                f'<table class="kt-table kt-texts"><thead><tr>{head}</tr></thead>'
                f"<tbody><tr><td>{left}</td><td>{right}</td></tr></tbody></table>")


# --------------------------------------------------------------------------- side by side


def script_language(words: str) -> str:
    """The language a quotation is written in, told by its script: ``ja``, ``ru`` or ``en``
    (marked on the page, so that screen readers read it in its own language)."""
    if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", words):
        return "ja"
    return "ru" if re.search(r"[\u0400-\u04ff]", words) else "en"


def _position_cell(row: Mapping[str, Any]) -> str:
    e = html.escape
    who = str(row["speaker"]) + (f" ({row['office']})" if row.get("office") else "")
    said = text("display.said_by", date=long_date(str(row["date"])), speaker=who)
    parts = [f"<b>{e(said)}</b>: {e(str(row['statement']))}"]
    if row.get("quote"):
        quoted = str(row["quote"])
        parts.append(f'<blockquote lang="{script_language(quoted)}">“{e(quoted)}”</blockquote>')
        if row.get("translation"):
            parts.append(f"<small>{e(text('display.quote_translation', translation=row['translation']))}"
                         "</small><br>")
    level = str(row["confidence"])
    caveat = str(row.get("note") or "") if level != "high" else ""  # why it is less sure
    parts.append(f"<small>{e(text('display.quote_sources', sources=', '.join(row['source_ids'])))}"
                 f" · {confidence(level, caveat).text}</small>")
    return "<p>" + "".join(parts) + "</p>"


def side_by_side(position_ids: Sequence[str]) -> Html:
    """Chosen rows of the positions table in two columns: Japan's beside Russia's."""
    chosen = records.rows("positions", position_ids)
    columns = {}
    for government in data.GOVERNMENTS:
        cells = [_position_cell(r) for r in chosen if r["government"] == government]
        columns[government] = "".join(cells) or f"<p><i>{html.escape(text('display.nothing_chosen'))}</i></p>"
    head = "".join(f'<th style="width:50%">{html.escape(text(f"display.{g}_holds"))}</th>'
                   for g in data.GOVERNMENTS)
    body = "".join(f"<td>{columns[g]}</td>" for g in data.GOVERNMENTS)
    names = [text(f"display.{g}_holds") for g in data.GOVERNMENTS]
    return _scroll(f'<table class="kt-table kt-sides"><thead><tr>{head}</tr></thead>'
                   f"<tbody><tr>{body}</tr></tbody></table>", names)


# --------------------------------------------------------------------------- events


def events(frame: pd.DataFrame | Sequence[str], notes: bool = False) -> Html:
    """Timeline rows (a frame from :func:`kuril_teaching.timeline` or a list of event ids)
    as a table: date, event, what happened, confidence, sources (and notes)."""
    rows = (records.rows("timeline", frame) if not isinstance(frame, pd.DataFrame)
            else frame.to_dict("records"))
    if not rows:
        return Html(f"<p><i>{html.escape(text('display.no_events'))}</i></p>")
    e = html.escape
    keys = ["date", "title", "summary", "confidence", "sources"] + (["note"] if notes else [])
    head = "".join(f"<th>{e(text(f'display.events_header.{k}'))}</th>" for k in keys)
    body = []
    for row in rows:
        date = str(row["date"])
        kind = str(row["kind"])
        cells = [e(long_date(date) if _ISO.match(date) else date),
                 f"<b>{e(str(row['title']))}</b><br><small>{e(text(f'display.event_kinds.kind_{kind}'))}</small>",
                 e(str(row["summary"])), e(_cell("confidence", row["confidence"])),
                 f"<small>{e(cell_text(row.get('source_ids', row.get('sources', ''))))}</small>"]
        if notes:
            cells.append(f"<small>{e(cell_text(row.get('note', '')))}</small>")
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return _scroll(f'<table class="kt-table kt-events"><thead><tr>{head}</tr></thead>'
                   f"<tbody>{''.join(body)}</tbody></table>",
                   [text(f"display.events_header.{k}") for k in keys])


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class SourceList:
    """Sources shown as a linked list (HTML in a notebook, Markdown in an export)."""

    rows: tuple[dict[str, str], ...]

    def _line(self, row: dict[str, str], markdown: bool) -> str:
        kind = text(f"display.source_kinds.{row['kind']}")
        date = f", {row['date']}" if row["date"] else ""
        if markdown:
            return f"- [{row['title']}]({row['url']}) — {row['publisher']}{date} ({kind})"
        e = html.escape
        return (f'<li><a href="{e(row["url"])}" target="_blank" rel="noopener">{e(row["title"])}'
                f"</a> — {e(row['publisher'])}{e(date)} <small>({e(kind)}; "
                f"{e(text('display.source_id'))} <code>{e(row['id'])}</code>)</small></li>")

    def _repr_html_(self) -> str:
        items = "<ol>" + "".join(self._line(r, False) for r in self.rows) + "</ol>"
        summary = html.escape(text("display.sources_summary", count=len(self.rows)))
        return f'<details class="kt-sources"><summary>{summary}</summary>{items}</details>'

    def _repr_markdown_(self) -> str:
        return "\n".join(self._line(r, True) for r in self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def details(summary: str, shown: Any) -> Html:
    """``shown`` (a table, a quote, any object with HTML) in a closed section that opens on a
    click: optional reading, skipped when a class is short of time. ``summary`` says what is in it."""
    if isinstance(shown, str):
        inner = html.escape(shown)
    elif hasattr(shown, "_repr_html_"):
        inner = shown._repr_html_()
    else:
        raise ValueError(f"cannot show a {type(shown).__name__} in a details section; valid: text "
                         "or an object with HTML (a table, a quote, a source list)")
    return Html(f'<details class="kt-details"><summary>{html.escape(summary)}</summary>{inner}</details>')


def source_list(ids: Iterable[str]) -> SourceList:
    """The sources with these ids, in the order given (each once), ready to show."""
    wanted = list(dict.fromkeys(ids))
    return SourceList(tuple(records.rows("sources", wanted)))


# --------------------------------------------------------------------------- explorers


def linked(control: Any, render: Callable[[Any], str]) -> Any:
    """An explorer: ``control`` above an HTML view showing ``render(control.value)`` that
    follows every change. Handles: ``.control`` and ``.view``."""
    import ipywidgets as w

    view = w.HTML()

    def show(_change: Any = None) -> None:
        view.value = render(control.value)

    control.observe(show, names="value")
    show()
    box = w.VBox([control, view])
    box.control, box.view = control, view
    return box


# --------------------------------------------------------------------------- live views


class Live:
    """A map, table or widget that is drawn again, in place, when the language changes."""

    def __init__(self, build: Callable[[], Any]) -> None:
        if not callable(build):
            raise ValueError(f"live() needs a function that builds what to show, got "
                             f"{type(build).__name__}; valid input: e.g. kt.island_map")
        self._build = build
        self._handle: Any = None

    def _ipython_display_(self) -> None:
        from IPython.display import display

        from .i18n import watch

        self._handle = display(self._build(), display_id=True)
        watch(self)

    def refresh(self) -> None:
        """Draw the view again where it is shown (nothing if it was never shown)."""
        if self._handle is not None:
            self._handle.update(self._build())


def live(build: Callable[[], Any]) -> Live:
    """Show what ``build()`` returns (a map, a table, a widget) so that
    :func:`kuril_teaching.set_language` redraws it in the new language, in place."""
    return Live(build)
