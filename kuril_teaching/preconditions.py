"""January 2019: each government's stated conditions for a peace treaty, side by side.

Tables of the road to the Moscow talks and of both positions, a sorting exercise
whose answer key comes from the positions table, a guided analysis of what each
precondition would imply, and a map of the four islands as each government describes them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
import shapely
from shapely.geometry import box

from . import data, geo, maps, quiz
from .display import Html, long_date, show

__all__ = [
    "CATEGORIES",
    "SORT_ITEMS",
    "VIEWS",
    "Html",
    "analysis",
    "answer_key",
    "check_sort",
    "document_html",
    "events",
    "ground_map",
    "lavrov_question",
    "long_date",
    "map_question",
    "neutral",
    "quotes",
    "quotes_html",
    "reasoning_exercise",
    "reasoning_questions",
    "show",
    "side_by_side",
    "side_by_side_explorer",
    "side_by_side_html",
    "sort_reasons",
    "sorting_exercise",
    "statements",
    "two_views",
    "two_views_map",
    "two_views_table",
    "used_source_ids",
    "view_wording",
]

GOVERNMENT_LABELS = {"japan": "Japan", "russia": "Russia"}
CATEGORIES = ("Japan", "Russia", "Neither")
VIEWS = ("russia", "japan")
ISLANDS = ("etorofu", "kunashiri", "shikotan", "habomai")

# Rows of the project's tables this lesson reads by id.
TALKS_DATE = "2019-01-14"
SUMMIT_DATE = "2019-01-22"
TALKS_EVENT = "lavrov_kono_talks_2019"
SUMMIT_EVENT = "moscow_summit_2019"
RUSSIA_PRECONDITION = "ru_2019_recognise_wwii_outcome"
RUSSIA_WORDING = "ru_2019_sovereignty_not_discussed"
JAPAN_WORDING = "jp_mofa_illegal_occupation"
ARTICLE_9 = "joint_declaration_1956_art9_en_un"
OCCUPATION_EVENT = "soviet_occupation_four_islands_1945"
OBLAST_EVENT = "soviet_annexation_decree_1946"

# The sorting exercise: (table, row id); the letter shown is the position in this list.
SORT_ITEMS: tuple[tuple[str, str], ...] = (
    ("positions", "jp_mofa_neutrality_pact_violation"),
    ("positions", "ru_2018_islands_passed_legally"),
    ("fact_checks", "fc_unrealistic_demand"),
    ("positions", "ru_2019_recognise_wwii_outcome"),
    ("positions", "jp_2006_yalta_not_binding"),
    ("timeline", "us_state_dept_view_1949"),
    ("positions", "ru_2023_no_territorial_dispute"),
    ("positions", "jp_mofa_illegal_occupation"),
)

_FOREIGN = re.compile(r"[\u0400-\u04ff\u3040-\u30ff\u4e00-\u9fff]")  # Cyrillic, kana, kanji
_ATTRIBUTION = re.compile(
    r"^(?:the Kremlin|(?:Japan|Russia|Tokyo|Moscow|the USSR)(?:'s [A-Za-z ]{2,30}?)?) "
    r"(?:holds|held|says|said|states|stated|maintains|maintained|argues|argued|insists|"
    r"insisted|considers|considered)(?: that)? ",
    flags=re.I,
)


# --------------------------------------------------------------------------- small helpers


def neutral(statement: str) -> str:
    """A statement without its attribution ("Russia's government holds that ...")."""
    text = str(statement).strip()
    stripped = _ATTRIBUTION.sub("", text, count=1)
    if stripped != text:
        stripped = stripped.replace(", and that ", ", and ")
    return stripped[:1].upper() + stripped[1:]


def _pick(name: str, value: Any, valid: list[str] | tuple[str, ...]) -> Any:
    if value not in valid:
        raise ValueError(f"unknown {name} {value!r}; valid {name}s: {', '.join(map(str, valid))}")
    return value


def _row(table: str, ident: str) -> dict[str, Any]:
    frames = {
        "positions": data.positions,
        "timeline": data.timeline,
        "documents": data.documents,
        "fact_checks": data.fact_checks,
    }
    if table not in frames:
        raise ValueError(f"unknown table {table!r}; valid tables: {', '.join(frames)}")
    frame = frames[table]()
    found = frame[frame["id"] == ident]
    if found.empty:
        raise ValueError(f"unknown {table} id {ident!r}; valid ids: {', '.join(frame['id'])}")
    return found.iloc[0].to_dict()


def _confidence(row: Mapping[str, Any]) -> str:
    """'high confidence' or 'medium confidence: <note>', so caveats stay visible."""
    level = str(row.get("confidence") or "")
    note = str(row.get("note") or "").strip()
    return f"{level} confidence: {note}" if note else f"{level} confidence"


def _sources(row: Mapping[str, Any]) -> str:
    return ", ".join(row.get("source_ids") or ())


# --------------------------------------------------------------------------- the road there


def events(start: str = "2018-09-01", end: str = "2019-01-31") -> pd.DataFrame:
    """Dated events between two ISO dates (inclusive), with readable dates and sources."""
    for label, value in (("start", start), ("end", end)):
        long_date(value)  # raises ValueError for a bad date
        if len(value) != 10:
            raise ValueError(f"{label} {value!r} must be a full date (YYYY-MM-DD)")
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    frame = data.timeline(topic="kuril")
    frame = frame[(frame["date"] >= start) & (frame["date"] <= end)]
    out = pd.DataFrame({
        "date": frame["date"].map(long_date),
        "event": frame["title"],
        "what happened": frame["summary"],
        "sources": frame["source_ids"].map(", ".join),
        "confidence": frame["confidence"],
        "id": frame["id"],
    })
    return out.reset_index(drop=True)


def _source_notes(ids: Any) -> str:
    """Publisher and caveat of each source, e.g. where a transcript was actually read."""
    table = data.sources().set_index("id")
    parts = []
    for ident in ids:
        row = table.loc[ident]
        text = f"{ident}: {row['publisher']}"
        if row["note"]:
            text += f" ({row['note']})"
        parts.append(text)
    return "; ".join(parts)


def quotes(date: str = TALKS_DATE) -> pd.DataFrame:
    """Exact words from the positions table on one day, with where they were read."""
    long_date(date)
    frame = data.positions()
    frame = frame[(frame["date"] == date) & (frame["quote"] != "")]
    if frame.empty:
        dates = sorted(set(data.positions().query("quote != ''")["date"]))
        raise ValueError(f"no quoted position on {date!r}; valid dates: {', '.join(dates)}")
    return pd.DataFrame({
        "speaker": frame["speaker"] + ", " + frame["office"],
        "quote": frame["quote"],
        "confidence": [_confidence(r) for r in frame.to_dict("records")],
        "where it was read": frame["source_ids"].map(_source_notes),
        "id": frame["id"],
    }).reset_index(drop=True)


def _blockquote(text: str) -> str:
    return ('<blockquote style="margin:4px 0 4px 12px;border-left:3px solid #999;'
            f'padding-left:8px">“{html.escape(text)}”</blockquote>')


def quotes_html(date: str = TALKS_DATE) -> Html:
    """:func:`quotes` as block quotes, each with its confidence and where it was read."""
    e = html.escape
    blocks = [f"<p><b>{e(row['speaker'])}, {e(long_date(date))}</b></p>{_blockquote(row['quote'])}"
              f"<p><small>{e(row['confidence'].rstrip('.'))}. Read in: "
              f"{e(row['where it was read'])}"
              "</small></p>" for row in quotes(date).to_dict("records")]
    return Html("".join(blocks))


def document_html(document_id: str = ARTICLE_9) -> Html:
    """One excerpt of a primary text, with its translation's origin and confidence."""
    row = _row("documents", document_id)
    e = html.escape
    return Html(f"<p><b>{e(str(row['title']))}</b>, {e(str(row['article']))}</p>"
                f"{_blockquote(str(row['text']))}<p><small>Translation: "
                f"{e(str(row['translation']))} · Sources: {e(_sources(row))} · "
                f"{e(_confidence(row))}</small></p>")


def lavrov_question() -> quiz.Question:
    """A question on the exact words Lavrov used after the talks of 14 January 2019."""
    quote = str(_row("positions", RUSSIA_PRECONDITION)["quote"])
    words = quote[quote.find("the immutability"):] if "the immutability" in quote else quote
    return quiz.Question(
        "According to Lavrov's statement of 14 January 2019, what is 'the very first step' of "
        "work on the basis of the 1956 Declaration?",
        ["Handing Shikotan and Habomai over to Japan",
         "Japan's full recognition of the outcome of World War II, including Russian "
         "sovereignty over all the islands",
         "Signing a peace treaty first and discussing the islands later",
         "The withdrawal of foreign troops from Japan"],
        "Japan's full recognition of the outcome of World War II, including Russian "
        "sovereignty over all the islands",
        why={
            "Handing Shikotan and Habomai over to Japan":
                "The handover is what Article 9 of 1956 promises after a peace treaty; Lavrov "
                "named a different step as the first one.",
            "Japan's full recognition of the outcome of World War II, including Russian "
            "sovereignty over all the islands": f"Yes: he spoke of '{words}'",
            "Signing a peace treaty first and discussing the islands later":
                "That is close to Putin's proposal of September 2018 (a treaty 'without any "
                "preconditions'); it is not what Lavrov called the first step in January 2019.",
            "The withdrawal of foreign troops from Japan":
                "Lavrov's words of 14 January do not mention troops; security questions "
                "appear in other statements (see the side-by-side table).",
        })


# --------------------------------------------------------------------------- side by side


def _cell(row: Mapping[str, Any]) -> str:
    who = str(row["speaker"]) + (f" ({row['office']})" if row.get("office") else "")
    text = f"{long_date(row['date'])}, {who}: {row['statement']}"
    if row.get("quote"):
        text += f' Quote: "{row["quote"]}"'
    return text + f" [sources: {_sources(row)}; {_confidence(row)}]"


def _pairs(topic: str | None) -> list[tuple[str, dict | None, dict | None]]:
    frame = data.positions(topic=topic)
    out: list[tuple[str, dict | None, dict | None]] = []
    for name in data.POSITION_TOPICS:
        part = frame[frame["topic"] == name]
        if part.empty:
            continue
        japan = part[part["government"] == "japan"].to_dict("records")
        russia = part[part["government"] == "russia"].to_dict("records")
        for i in range(max(len(japan), len(russia))):
            out.append((name, japan[i] if i < len(japan) else None,
                        russia[i] if i < len(russia) else None))
    return out


def side_by_side(topic: str | None = None) -> pd.DataFrame:
    """Both governments' positions in two columns, Japan | Russia, one row per pair, by topic.

    Each cell is dated and attributed, with the exact quote where there is one, its
    sources and its confidence.
    """
    rows = [{"topic": name.replace("_", " "),
             "Japan": _cell(jp) if jp else "",
             "Russia": _cell(ru) if ru else ""} for name, jp, ru in _pairs(topic)]
    return pd.DataFrame(rows, columns=["topic", "Japan", "Russia"])


def _cell_html(row: Mapping[str, Any] | None) -> str:
    if row is None:
        return "<td></td>"
    e = html.escape
    who = e(str(row["speaker"])) + (f" ({e(str(row['office']))})" if row.get("office") else "")
    parts = [f"<b>{e(long_date(row['date']))}</b> · {who}", f"<div>{e(str(row['statement']))}</div>"]
    if row.get("quote"):
        parts.append('<blockquote style="margin:4px 0 4px 8px;border-left:3px solid #999;'
                     f'padding-left:6px">“{e(str(row["quote"]))}”</blockquote>')
    parts.append(f"<small>Sources: {e(_sources(row))} · {e(_confidence(row))}</small>")
    return '<td style="vertical-align:top;text-align:left">' + "".join(parts) + "</td>"


def side_by_side_html(topic: str | None = None) -> Html:
    """:func:`side_by_side` as a two-column HTML table (Japan | Russia)."""
    head = ('<tr><th style="width:12%">Topic</th><th style="width:44%;text-align:left">'
            "Japan's government</th><th style=\"width:44%;text-align:left\">"
            "Russia's government</th></tr>")
    body = "".join(
        f'<tr><td style="vertical-align:top"><i>{html.escape(name.replace("_", " "))}</i></td>'
        f"{_cell_html(jp)}{_cell_html(ru)}</tr>" for name, jp, ru in _pairs(topic))
    return Html(f'<table style="border-collapse:collapse;width:100%;line-height:1.4">'
                f"{head}{body}</table>")


def side_by_side_explorer(topic: str | None = None) -> Any:
    """A widget: pick a topic, see both governments' positions on it side by side."""
    import ipywidgets as w

    present = set(data.positions()["topic"])
    options = [("all topics", "all")] + [(t.replace("_", " "), t) for t in data.POSITION_TOPICS
                                         if t in present]
    start = "all" if topic is None else _pick("topic", topic, [v for _l, v in options])
    pick = w.Dropdown(options=options, value=start, description="Topic")
    table = w.HTML()

    def show(change: Any = None) -> None:
        chosen = None if pick.value == "all" else pick.value
        table.value = side_by_side_html(chosen).text

    pick.observe(show, names="value")
    show()
    box_ = w.VBox([pick, table])
    box_.dropdown, box_.table = pick, table
    return box_


# --------------------------------------------------------------------------- sorting exercise


def _letter(n: int) -> str:
    return chr(ord("A") + n)


def _item_text(table: str, row: Mapping[str, Any]) -> str:
    if table == "positions":
        return neutral(row["statement"])
    if table == "fact_checks":
        return str(row["claim"])
    if table == "timeline":
        title = str(row["title"]).split(": ", 1)[-1]
        return title[:1].upper() + title[1:]
    raise ValueError(f"unknown table {table!r}; valid tables: positions, fact_checks, timeline")


def statements() -> pd.DataFrame:
    """The statements to sort, labelled A, B, ..., without who said them."""
    rows = []
    for n, (table, ident) in enumerate(SORT_ITEMS):
        row = _row(table, ident)
        rows.append({"item": _letter(n), "statement": _item_text(table, row),
                     "table": table, "id": ident})
    return pd.DataFrame(rows)


def answer_key() -> dict[str, str]:
    """Item letter -> "Japan", "Russia" or "Neither", read from the data."""
    key = {}
    for n, (table, ident) in enumerate(SORT_ITEMS):
        row = _row(table, ident)
        key[_letter(n)] = GOVERNMENT_LABELS[row["government"]] if table == "positions" \
            else "Neither"
    return key


def _first_sentences(text: str, n: int = 2) -> str:
    parts = re.split(r"(?<=[.!?])\s+", str(text).strip())
    return " ".join(parts[:n])


def sort_reasons() -> dict[str, str]:
    """Item letter -> why it belongs where it does, quoting the data row."""
    reasons = {}
    for n, (table, ident) in enumerate(SORT_ITEMS):
        row = _row(table, ident)
        if table == "positions":
            who = GOVERNMENT_LABELS[row["government"]]
            quote = str(row.get("quote") or "")
            said = f'"{quote}"' if quote and not _FOREIGN.search(quote) else str(row["statement"])
            text = (f"this is {who}'s government's position: {row['speaker']}, "
                    f"{long_date(row['date'])}: {said}")
        elif table == "fact_checks":
            text = (f"neither government stated this; it is a claim checked against the record "
                    f"(verdict: {row['verdict']}). {_first_sentences(row['explanation'])}")
        else:
            text = (f"neither government's position: {row['title']} ({long_date(row['date'])}). "
                    f"{row['note']}").strip()
        reasons[_letter(n)] = text
    return reasons


def check_sort(answers: Mapping[str, str]) -> quiz.Feedback:
    """Check a sorting: ``answers`` maps item letters to "Japan", "Russia" or "Neither"."""
    for item, category in answers.items():
        if category not in CATEGORIES:
            raise ValueError(f"unknown category {category!r} for item {item!r}; "
                             f"valid categories: {', '.join(CATEGORIES)}")
    return quiz.check_sorting(answers, answer_key(), sort_reasons())


def sorting_exercise() -> Any:
    """The sorting widget: one dropdown per statement and a Check button."""
    items = dict(zip(statements()["item"], statements()["statement"], strict=True))
    return quiz.sorting_quiz(items, CATEGORIES, answer_key(), sort_reasons())


# --------------------------------------------------------------------------- the analysis


def analysis() -> pd.DataFrame:
    """What would follow if one government accepted the other's premise: an analysis.

    This is the lesson's reasoning from the two stated positions, not a statement of
    either government.
    """
    russia = _row("positions", RUSSIA_PRECONDITION)
    japan = _row("positions", JAPAN_WORDING)

    def premise(row: Mapping[str, Any]) -> str:
        return (f"\"{row['quote'] or row['statement']}\" ({row['speaker']}, "
                f"{long_date(row['date'])})")

    steps = {
        "the premise, in its own words": (premise(russia), premise(japan)),
        "all four islands would be": (
            "Russian territory, recognised as such by Japan",
            "Japanese territory, held by Russia without a legal title"),
        "a handover of Shikotan and Habomai would be": (
            "Russia giving away part of its own territory, not a return",
            "the end of an unlawful occupation of part of Japan, not a gift"),
        "Japan's claim to Etorofu / Iturup and Kunashiri / Kunashir would": (
            "lose its basis: Japan would have recognised them as Russian",
            "stand, as a claim to end an unlawful occupation"),
        "Russia's 1945 acquisition would": (
            "stand, confirmed by Japan",
            "lose its legal basis, for all four islands"),
    }
    return pd.DataFrame(
        [list(pair) for pair in steps.values()], index=pd.Index(list(steps), name="step"),
        columns=["If Japan accepted Russia's premise", "If Russia accepted Japan's premise"])


def reasoning_questions() -> list[quiz.Question]:
    """Two guided questions: follow each premise to what it implies."""
    first = quiz.Question(
        "Suppose Japan's government accepted Russia's stated premise: Russian sovereignty over "
        "all four islands as an outcome of World War II. What would a later handover of "
        "Shikotan and Habomai then be?",
        ["A return of Japanese territory to Japan",
         "A transfer by Russia of land Japan had just recognised as Russian",
         "Nothing would change: the handover means the same under either premise"],
        "A transfer by Russia of land Japan had just recognised as Russian",
        why={
            "A return of Japanese territory to Japan":
                "A 'return' presumes the islands were Japan's all along; under this premise "
                "Japan would already have recognised them as Russian.",
            "A transfer by Russia of land Japan had just recognised as Russian":
                "Yes: the handover becomes a transfer of Russian territory, and Japan's claim "
                "to Etorofu / Iturup and Kunashiri / Kunashir, resting on the same argument, "
                "would lose its basis.",
            "Nothing would change: the handover means the same under either premise":
                "The physical handover may look the same, but its legal meaning depends on "
                "whose territory is being handed over.",
        })
    second = quiz.Question(
        "Now suppose Russia's government accepted Japan's stated premise: the islands are "
        "Japanese territory under illegal occupation. What would happen to Russia's position?",
        ["Its 1945 acquisition of the islands would lose its legal basis",
         "Nothing: Russia could still keep all four islands lawfully",
         "Only Shikotan and Habomai would be affected"],
        "Its 1945 acquisition of the islands would lose its legal basis",
        why={
            "Its 1945 acquisition of the islands would lose its legal basis":
                "Yes: 'illegal occupation' means there was no lawful title, so Russia's "
                "argument that the islands became its territory as an outcome of the war "
                "would be given up.",
            "Nothing: Russia could still keep all four islands lawfully":
                "Under this premise the occupation itself is unlawful, so there would be no "
                "lawful basis for keeping any of the four.",
            "Only Shikotan and Habomai would be affected":
                "Japan's premise covers all four islands, not only the two named in 1956.",
        })
    return [first, second]


def reasoning_exercise() -> Any:
    """Both guided questions of :func:`reasoning_questions` as one widget."""
    import ipywidgets as w

    quizzes = [quiz.choice_quiz(q) for q in reasoning_questions()]
    box_ = w.VBox(quizzes)
    box_.quizzes = quizzes
    return box_


# --------------------------------------------------------------------------- the map


def _island_names(ident: str) -> dict[str, str]:
    table = data.islands_table().set_index("id")
    row = table.loc[ident]
    return {"ja": f"{row['name_ja_romaji']} ({row['name_ja']})",
            "ru": f"{row['name_ru_romanised']} ({row['name_ru']})",
            "landing": str(row["soviet_landing_date"] or "")}


_VIEW_WORDS = {
    "russia": (RUSSIA_WORDING, "Russia's government", "South Kurils",
               "Russian territory, part of Sakhalin Oblast"),
    "japan": (JAPAN_WORDING, "Japan's government", "Northern Territories (北方領土)",
              "Japanese territory under illegal occupation"),
}


def view_wording(view: str) -> dict[str, str]:
    """How one government describes the four islands, with its exact words from the data."""
    position, government, name, status = _VIEW_WORDS[_pick("view", view, VIEWS)]
    row = _row("positions", position)
    return {"government": government, "name": name, "status": status,
            "quote": str(row["quote"] or row["statement"]),
            "attribution": f"{row['speaker']}, {long_date(row['date'])}",
            "sources": _sources(row), "confidence": _confidence(row), "id": row["id"]}


def _popup(ident: str, wording: Mapping[str, str]) -> str:
    e = html.escape
    names = _island_names(ident)
    first, second = (names["ru"], names["ja"]) if wording["government"].startswith("Russia") \
        else (names["ja"], names["ru"])
    landing = long_date(names["landing"]) if names["landing"] else "1945"
    return (f"<b>{e(first)}</b><br>also: {e(second)}<br>"
            f"<i>{e(wording['government'])} calls it:</i> {e(wording['name'])}: "
            f"{e(wording['status'])}<br>"
            f"<i>In its words:</i> “{e(wording['quote'])}” "
            f"<small>({e(wording['attribution'])}; {e(wording['confidence'])})</small><br>"
            f"<i>On the ground:</i> administered by the USSR and then Russia since 1945 "
            f"<small>(Soviet landing {e(landing)})</small>")


def _frame_map(height: int) -> tuple[maps.OfflineMap, dict[str, Any], set[str]]:
    """A map fitted to the four islands with context land clipped to the view."""
    shapes = {i: geo.geometry(i) for i in ISLANDS}
    minx, miny, maxx, maxy = shapely.union_all(list(shapes.values())).bounds
    pad = 0.35
    frame = (minx - pad, miny - pad, maxx + pad, maxy + pad)
    fmap = maps.base_map(frame, height=height)
    view_box = box(*frame)
    drawn: set[str] = set()
    for ident, feature in data.geo_features().items():
        props = feature["properties"]
        if props.get("group") != "context":
            continue
        clipped = geo.geometry(ident).intersection(view_box)
        if clipped.is_empty:
            continue
        key = maps.CONTEXT_ADMIN.get(ident, "context")
        drawn.add(key)
        maps.add_land(fmap, clipped, key, f"{props['name_en']} — {props.get('name_ja', '')} / "
                      f"{props.get('name_ru', '')}", weight=0.5)
    return fmap, shapes, drawn


_CONTEXT_LABELS = {"japan": "Administered by Japan (Hokkaido)", "russia": "Administered by Russia",
                   "context": "Other land"}


def two_views_map(view: str = "russia", height: int = 460) -> maps.OfflineMap:
    """The four islands labelled and coloured as one government describes them."""
    wording = view_wording(view)
    colour = "russia" if view == "russia" else "japan"
    fmap, shapes, drawn = _frame_map(height)
    for ident, shape in shapes.items():
        names = _island_names(ident)
        label = names["ru"] if view == "russia" else names["ja"]
        other = names["ja"] if view == "russia" else names["ru"]
        maps.add_land(fmap, shape, colour, f"{label} / {other} — {wording['name']}",
                      _popup(ident, wording), weight=1.2)
    maps.add_title(fmap, f"Two views: as {wording['government']} describes the islands",
                   "Same islands, same facts on the ground: administered by the USSR and then "
                   "Russia since 1945.")
    legend = [(colour, f"{GOVERNMENT_LABELS[view]}, in {wording['government']}'s words, "
                       f"including the four islands: {wording['name']}, {wording['status']}")]
    legend += [(key, _CONTEXT_LABELS[key]) for key in ("japan", "russia", "context")
               if key in drawn and key != colour]
    maps.add_legend(fmap, legend)
    return fmap


def ground_map(height: int = 460) -> maps.OfflineMap:
    """The four islands as they are administered today, with both governments' words."""
    fmap, shapes, drawn = _frame_map(height)
    ru, jp = view_wording("russia"), view_wording("japan")
    e = html.escape
    for ident, shape in shapes.items():
        names = _island_names(ident)
        landing = long_date(names["landing"]) if names["landing"] else "1945"
        popup = (f"<b>{e(names['ja'])} / {e(names['ru'])}</b><br>"
                 f"Administered by Russia since 1945 (Soviet landing {e(landing)}); "
                 "claimed by Japan.<br>"
                 f"<i>{e(ru['government'])}:</i> {e(ru['name'])}, {e(ru['status'])}.<br>"
                 f"<i>{e(jp['government'])}:</i> {e(jp['name'])}, {e(jp['status'])}.")
        maps.add_land(fmap, shape, "disputed", f"{names['ja']} / {names['ru']}", popup,
                      weight=1.2)
    maps.add_title(fmap, "On the ground: the four islands today",
                   "Administered by Russia since 1945, claimed by Japan.")
    legend = [("disputed", "The four islands: administered by Russia, claimed by Japan")]
    legend += [(key, _CONTEXT_LABELS[key]) for key in ("japan", "russia", "context")
               if key in drawn]
    maps.add_legend(fmap, legend)
    return fmap


def two_views_table() -> pd.DataFrame:
    """Text alternative to the map: each island as each government describes it."""
    ru, jp = view_wording("russia"), view_wording("japan")
    rows = []
    for ident in ISLANDS:
        names = _island_names(ident)
        rows.append({"island (Japanese / Russian name)": f"{names['ja']} / {names['ru']}",
                     "Russia's government": f"{ru['name']}: {ru['status']}",
                     "Japan's government": f"{jp['name']}: {jp['status']}",
                     "on the ground": "administered by the USSR and then Russia since 1945",
                     "Soviet landing": long_date(names["landing"]) if names["landing"] else ""})
    return pd.DataFrame(rows)


def two_views(view: str = "russia") -> Any:
    """A widget: toggle between Russia's and Japan's description of the same four islands."""
    import ipywidgets as w

    view = _pick("view", view, VIEWS)
    toggle = w.ToggleButtons(options=[("Russia's view", "russia"), ("Japan's view", "japan")],
                             value=view, description="Show")
    shown = w.HTML()

    def show(change: Any = None) -> None:
        shown.value = two_views_map(toggle.value)._repr_html_()

    toggle.observe(show, names="value")
    show()
    box_ = w.VBox([toggle, shown])
    box_.toggle, box_.map = toggle, shown
    return box_


def map_question() -> quiz.Question:
    """A question on what differs between the two maps."""
    ru, jp = view_wording("russia"), view_wording("japan")
    return quiz.Question(
        "Compare the two views. What is different between them?",
        ["Who administers the islands today",
         "The names and the legal status each government gives the same islands",
         "The number and shape of the islands"],
        "The names and the legal status each government gives the same islands",
        why={
            "Who administers the islands today":
                "Both views state the same fact on the ground: Russia has administered the "
                "islands since 1945.",
            "The names and the legal status each government gives the same islands":
                f"Yes: '{ru['name']}: {ru['status']}' and '{jp['name']}: {jp['status']}' "
                "describe the same land.",
            "The number and shape of the islands":
                "The polygons are identical in both views; only labels and colours change.",
        })


# --------------------------------------------------------------------------- sources


def used_source_ids() -> list[str]:
    """Source ids of every row this module shows, in a stable order."""
    ids: list[str] = []
    for ident in events()["id"]:
        ids += list(_row("timeline", ident)["source_ids"])
    for date in (TALKS_DATE, SUMMIT_DATE):
        for ident in quotes(date)["id"]:
            ids += list(_row("positions", ident)["source_ids"])
    for table, ident in SORT_ITEMS:
        ids += list(_row(table, ident)["source_ids"])
    ids += list(_row("documents", ARTICLE_9)["source_ids"])
    for event in (OCCUPATION_EVENT, OBLAST_EVENT):
        ids += list(_row("timeline", event)["source_ids"])
    ids += [s for t in data.positions()["source_ids"] for s in t]
    islands = data.islands_table().set_index("id")
    for ident in ISLANDS:  # the island map's popups quote areas and populations
        for column in ("area_official_source_ids", "population_source_ids"):
            ids += list(islands.loc[ident, column])
    return list(dict.fromkeys(ids))
