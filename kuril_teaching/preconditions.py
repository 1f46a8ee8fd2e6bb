"""January 2019: each government's stated conditions for a peace treaty, side by side.

Logic only: every sentence shown comes from ``data/lessons/03_lavrov_preconditions.yaml``.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pandas as pd

from . import content, data, display, exercises, maps, records
from .display import long_date

__all__ = [
    "analysis", "events", "exercise", "ground_map", "neutral", "quotes", "side_by_side",
    "side_by_side_explorer", "solution", "sources_used", "two_views", "two_views_map", "two_views_table",
    "view_wording",
]

LESSON = "03_lavrov_preconditions"
TALKS_DATE = "2019-01-14"
SUMMIT_DATE = "2019-01-22"

_FOREIGN = re.compile(r"[\u0400-\u04ff\u3040-\u30ff\u4e00-\u9fff]")  # Cyrillic, kana, kanji
_ATTRIBUTION = re.compile(
    r"^(?:the Kremlin|(?:Japan|Russia|Tokyo|Moscow|the USSR)(?:'s [A-Za-z ]{2,30}?)?) "
    r"(?:holds|held|says|said|states|stated|maintains|maintained|argues|argued|insists|"
    r"insisted|considers|considered)(?: that)? ",
    flags=re.I,
)


def _lesson() -> content.Lesson:
    return content.lesson(LESSON)


def neutral(statement: str) -> str:
    """A statement without its attribution ("Russia's government holds that ...")."""
    text = str(statement).strip()
    stripped = _ATTRIBUTION.sub("", text, count=1)
    if stripped != text:
        stripped = stripped.replace(", and that ", ", and ")
    return stripped[:1].upper() + stripped[1:]


def events(start: str = "2018-09-01", end: str = "2019-01-31") -> pd.DataFrame:
    """Timeline rows on the dispute between two full ISO dates (inclusive), in date order."""
    for label, value in (("start", start), ("end", end)):
        long_date(value)  # a ValueError for what is not a date
        if len(value) != 10:
            raise ValueError(f"{label} {value!r} is not a full date; valid form: YYYY-MM-DD")
    if start > end:
        raise ValueError(f"start {start} is after end {end}; valid ranges have start <= end")
    frame = data.timeline(topic="kuril")
    return frame[(frame["date"] >= start) & (frame["date"] <= end)].reset_index(drop=True)


def quotes(date: str = TALKS_DATE) -> pd.DataFrame:
    """Exact words from the positions table on one day, with where they were read; index: ids."""
    long_date(date)
    quoted = data.positions().query("quote != ''")
    day = quoted[quoted["date"] == date]
    if day.empty:
        raise ValueError(f"no quoted position on {date!r}; valid dates: "
                         f"{', '.join(sorted(set(quoted['date'])))}")
    L = _lesson()

    def read_in(ids: Any) -> str:
        return "; ".join(L.text("quotes.read_in_note" if s["note"] else "quotes.read_in",
                                source=s["id"], publisher=s["publisher"], note=s["note"])
                         for s in records.rows("sources", ids))

    rows = [[L.text("quotes.who", speaker=r["speaker"], office=r["office"], date=long_date(date)),
             r["quote"], r["translation"], r["confidence"], r["note"], read_in(r["source_ids"])]
            for r in day.to_dict("records")]
    return pd.DataFrame(rows, index=list(day["id"]), columns=list(L.get("quotes.columns").values()))


def side_by_side(topic: str | None = None) -> display.Html:
    """Both governments' positions, Japan | Russia, one table per topic (all topics by default)."""
    chosen = data.POSITION_TOPICS if topic is None else (
        data._choice("topic", topic, data.POSITION_TOPICS),)
    labels = _lesson().get("side_by_side.topics")
    frame = data.positions()
    parts = []
    for name in chosen:
        ids = list(frame.loc[frame["topic"] == name, "id"])
        if ids:
            # one side-by-side table per topic, each under its heading
            parts.append(f"<h4>{html.escape(labels[name])}</h4>{display.side_by_side(ids).text}")
    return display.Html("".join(parts))


def side_by_side_explorer(topic: str | None = None) -> Any:
    """A widget: pick a topic, see both governments' positions on it (handles ``dropdown``, ``table``)."""
    import ipywidgets as w

    L = _lesson()
    labels = L.get("side_by_side.topics")
    topics = [t for t in data.POSITION_TOPICS if t in set(data.positions()["topic"])]
    pick = w.Dropdown(options=[(L.text("side_by_side.all_topics"), "all"), *[(labels[t], t) for t in topics]],
                      value="all" if topic is None else data._choice("topic", topic, topics),
                      description=L.text("side_by_side.dropdown"))
    box = display.linked(pick, lambda value: side_by_side(None if value == "all" else value).text)
    box.dropdown, box.table = pick, box.view
    return box


def _sort_item(table: str, row: dict[str, Any]) -> tuple[str, str]:
    """A statement to sort, without its speaker, and why it belongs where it does."""
    L = _lesson()
    if table == "positions":
        quote = str(row["quote"])
        key = "quoted" if quote and not _FOREIGN.search(quote) else "stated"
        return neutral(row["statement"]), L.text(
            f"sorting.reason_{key}", government=view_wording(row["government"])["government"],
            speaker=row["speaker"], date=long_date(row["date"]), quote=quote, statement=row["statement"])
    if table == "fact_checks":
        # Lesson 06 asks for this claim's verdict and origin: neither is given away here.
        return str(row["claim"]), L.text("sorting.reason_fact_check")
    title = str(row["title"]).split(": ", 1)[-1]
    return title[:1].upper() + title[1:], L.text(
        "sorting.reason_event", title=row["title"], date=long_date(row["date"]), note=row["note"]).strip()


def _sorting(L: content.Lesson) -> exercises.Sorting:
    """Statements A, B, ... without their speaker; the key comes from the data."""
    category_of = L.get("sorting.category_of")
    items, key, reasons, hints = {}, {}, {}, {}
    for n, ref in enumerate(L.get("sorting.statements")):
        table, ident = _statement(ref)
        row = records.row(table, ident)
        letter = chr(ord("A") + n)
        items[letter], reasons[letter] = _sort_item(table, row)
        key[letter] = category_of[row["government"] if table == "positions" else "other"]
        hints[letter] = str(ref.get("hint", ""))
    return L.exercise("whose_position", items=items, key=key, reasons=reasons, hints=hints)


def _statement(ref: dict[str, Any]) -> tuple[str, str]:
    """The table and record id of one statement to sort (its ``hint`` aside)."""
    ((kind, ident),) = ((k, v) for k, v in ref.items() if k != "hint")
    return content.REFERENCE_KEYS[kind], ident


def exercise(ident: str) -> exercises.Exercise:
    """The lesson's exercise ``ident`` (``lavrov``, ``whose_position``, ``follow_russia_premise``,
    ``follow_japan_premise``, ``sovereignty_statements``, ``map_views``), with what it quotes
    from the data filled in."""
    L = _lesson()
    data._choice("exercise", ident, L.get("exercises"))
    if ident == "lavrov":
        spec = L.get("exercises.lavrov")
        quote = str(records.row("positions", spec["position"])["quote"])
        start = quote.find(spec["quote_from"])
        return L.exercise(ident, values={"words": quote[start:] if start >= 0 else quote})
    if ident == "whose_position":
        return _sorting(L)
    if ident == "map_views":
        return L.exercise(ident, values=_both_views())
    return L.exercise(ident)


def analysis() -> pd.DataFrame:
    """The lesson's analysis (not either government's): what would follow if one government
    accepted the other's premise, quoted in the first row."""
    L = _lesson()
    spec = L.get("analysis")
    premises = [L.text("analysis.premise", quote=r["quote"] or r["statement"], speaker=r["speaker"],
                       date=long_date(r["date"])) for r in records.rows("positions", spec["positions"])]
    steps = [spec["premise_step"], *[s["step"] for s in spec["steps"]]]
    cells = [premises, *[s["cells"] for s in spec["steps"]]]
    return pd.DataFrame(cells, index=pd.Index(steps, name=spec["index"]), columns=spec["columns"])


def view_wording(view: str) -> dict[str, Any]:
    """How one government (``"russia"`` or ``"japan"``) describes the four islands, with its
    exact words, speaker, date, confidence and sources from the positions table."""
    views = _lesson().get("views")
    words = views[data._choice("view", view, list(views))]
    row = records.row("positions", words["position"])
    return {**words, "quote": str(row["quote"] or row["statement"]), "speaker": row["speaker"],
            "date": long_date(row["date"]), "confidence": row["confidence"], "note": row["note"],
            "source_ids": list(row["source_ids"])}


def _both_views() -> dict[str, str]:
    """Both governments' wording as ``ru_name``, ``jp_status``, ... for the texts that compare them."""
    return {f"{p}_{k}": view_wording(v)[k] for p, v in (("ru", "russia"), ("jp", "japan"))
            for k in ("government", "name", "status")}


def _landing(ident: str) -> str:
    date = records.row("islands", ident)["soviet_landing_date"]
    return long_date(date) if date else ""


# A popup from lines of plain text (escaped, the first in bold), like maps.popup_html.
def _popup(key: str, ident: str, badge: display.Html | None = None, **values: Any) -> str:
    landing = _landing(ident) or _lesson().text("maps.landing_unknown")
    lines = [html.escape(line) for line in _lesson().text(
        key, island=records.name(ident, "full"), landing=landing, **values).split("\n")]
    lines[0] = f"<b>{lines[0]}</b>"
    return "<br>".join([*lines, badge.text] if badge is not None else lines)


def two_views_map(view: str = "russia", height: int = 460) -> maps.OfflineMap:
    """The four islands named and coloured as one government describes them."""
    words = view_wording(view)
    L = _lesson()
    badge = display.confidence(words["confidence"], words["note"])
    layers = [maps.Land((i,), view, label=L.text("maps.view_label", island=records.name(i, "full"),
                                                 name=words["name"]),
                        popup=_popup("maps.view_popup", i, badge, **words))
              for i in records.FOUR_ISLANDS]
    legend = {view: L.text("maps.view_legend", **words),
              **{k: v for k, v in L.get("maps.context").items() if k != view}}
    return maps.lesson_map(layers, L.text("maps.view_title", **words), L.text("maps.view_subtitle"),
                           legend=legend, height=height)


def ground_map(height: int = 460) -> maps.OfflineMap:
    """The four islands as administered today, each popup with both governments' words."""
    L = _lesson()
    layers = [maps.Land((i,), "disputed", label=records.name(i, "full"),
                        popup=_popup("maps.ground_popup", i, **_both_views())) for i in records.FOUR_ISLANDS]
    legend = {"disputed": L.text("maps.ground_legend"), **L.get("maps.context")}
    return maps.lesson_map(layers, L.text("maps.ground_title"), L.text("maps.ground_subtitle"),
                           legend=legend, height=height)


def two_views_table() -> pd.DataFrame:
    """Text alternative to the maps: each island as each government describes it."""
    L = _lesson()
    ru, jp = view_wording("russia"), view_wording("japan")
    rows = [[records.name(i, "full"), L.text("two_views.described", **ru),
             L.text("two_views.described", **jp), L.text("two_views.on_the_ground"), _landing(i)]
            for i in records.FOUR_ISLANDS]
    return pd.DataFrame(rows, columns=L.get("two_views.columns"))


def two_views(view: str = "russia") -> Any:
    """A widget: switch between Russia's and Japan's description (handles ``toggle``, ``map``)."""
    import ipywidgets as w

    L = _lesson()
    views = L.get("views")
    toggle = w.ToggleButtons(options=[(v["button"], k) for k, v in views.items()],
                             value=data._choice("view", view, list(views)),
                             description=L.text("two_views.toggle"))
    box = display.linked(toggle, lambda value: two_views_map(value)._repr_html_())
    box.toggle, box.map = toggle, box.view
    return box


def solution(name: str) -> str:
    """The text of a solution cell: ``"lavrov"``, ``"sorting"``, ``"reasoning"``, ``"map"``
    or ``"discussion"``."""
    L = _lesson()
    data._choice("solution", name, ("lavrov", "sorting", "reasoning", "map", "discussion"))
    if name in ("lavrov", "map"):
        q = exercise("lavrov" if name == "lavrov" else "map_views")
        text = L.text("solutions.answer", answer=q.answer, why=q.why[q.answer])
        if name == "lavrov":
            quote = records.row("positions", L.get("exercises.lavrov.position"))["quote"]
            text += "\n\n" + L.text("solutions.full_sentence", quote=quote)
        return text
    if name == "sorting":
        ex = exercise("whose_position")
        return "\n\n".join(L.text("solutions.sorted", item=k, category=ex.key[k], text=t,
                                  reason=ex.reasons[k]) for k, t in ex.items.items())
    if name == "reasoning":
        parts = [L.text("solutions.question", prompt=q.prompt, answer=q.answer, why=q.why[q.answer])
                 for q in map(exercise, ("follow_russia_premise", "follow_japan_premise"))]
        return "\n\n".join([*parts, L.text("solutions.reasoning_sentence")])
    return L.text("solutions.discussion")


def sources_used() -> list[str]:
    """Source ids of every record the lesson shows or cites, in a stable order, each once."""
    L = _lesson()
    ids = records.sources_of("timeline", events()["id"])
    ids += records.sources_of("positions", [*quotes(TALKS_DATE).index, *quotes(SUMMIT_DATE).index])
    for table, ident in map(_statement, L.get("sorting.statements")):
        ids += records.sources_of(table, [ident])
    ids += records.sources_of("documents", L.get("cited.documents"))
    ids += records.sources_of("timeline", L.get("cited.events"))
    ids += records.sources_of("positions", data.positions()["id"])  # the side-by-side explorer
    return list(dict.fromkeys(ids))
