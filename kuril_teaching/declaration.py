"""The 1956 Soviet-Japanese Joint Declaration: Article 9 in its translations, the two
governments' readings of it, and the share of the four islands' land it names.

Plain functions return tables, HTML and numbers; the widgets only show what those
functions return, so every control can be checked without a browser.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from . import data, geo, maps, quiz

__all__ = [
    "AUTHENTIC_LANGUAGES",
    "EVENT_ID",
    "FOLLOW_UP_IDS",
    "FOUR_ISLANDS",
    "KEY_WORDS",
    "TWO_ISLANDS",
    "Card",
    "SideBySide",
    "area_table",
    "article9",
    "article9_map",
    "discussion_notes",
    "document_card",
    "follow_ups",
    "full_table",
    "highlight",
    "key_words",
    "quote",
    "readings",
    "selection",
    "selection_html",
    "share_explorer",
    "share_quiz",
    "side_by_side",
    "sources_used",
    "timing_question",
    "translation_card",
    "translation_explorer",
    "translation_options",
    "wording_question",
]

EVENT_ID = "joint_declaration_1956"
# The timeline entries this lesson follows: the declaration, the 1960 Soviet memoranda and
# the later documents that refer back to it.
FOLLOW_UP_IDS = (
    "joint_declaration_1956",
    "soviet_memoranda_1960",
    "tokyo_declaration_1993",
    "irkutsk_statement_2001",
    "singapore_agreement_2018",
)
TWO_ISLANDS = ("shikotan", "habomai")
FOUR_ISLANDS = geo.DISPUTED_ISLANDS
# The words each language uses for the act Article 9 promises (verb and noun).
KEY_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("transfer", "hand over", "changing over"),
    "fr": ("remettre", "remise"),
    "ru": ("передать", "передача"),
    "ja": ("引き渡す", "引渡し"),
}
LANGUAGE_NAMES = {"en": "English", "fr": "French", "ru": "Russian", "ja": "Japanese"}
# The declaration was signed in Japanese and Russian; no English or French text is authentic.
AUTHENTIC_LANGUAGES = ("ja", "ru")


# --------------------------------------------------------------------------- Article 9


def _is_article9(article: Any) -> bool:
    return bool(re.search(r"\b9\b", str(article)))


def article9() -> pd.DataFrame:
    """Every stored text of Article 9 (one row per language or translation)."""
    docs = data.documents(EVENT_ID)
    return docs[docs["article"].map(_is_article9)].reset_index(drop=True)


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _origin(translation: str) -> str:
    """A short name for where a translation comes from, for menus."""
    if translation == "original" or translation.startswith("original"):
        return "authentic text"
    if "New York Times" in translation:
        return "New York Times / United Press translation, 1956"
    if "printed with the UN Treaty Series" in translation:
        return "text printed with the UN Treaty Series registration"
    if "UN Treaty Series" in translation:
        return "text based on the UN Treaty Series registration"
    return _short(translation, 50)


def translation_options() -> list[tuple[str, str]]:
    """``(label, document id)`` for each text of Article 9, for a dropdown."""
    out = []
    for r in article9().itertuples():
        found = key_words(r.text, r.language) if r.language in KEY_WORDS else []
        word = f" “{found[0].lower()}”" if found else ""
        origin = _origin(str(r.translation))
        out.append((f"{LANGUAGE_NAMES.get(r.language, r.language)}{word} — {origin}", r.id))
    return out


def key_words(text: str, language: str) -> list[str]:
    """The words for "transfer" (in ``language``) found in ``text``, in order."""
    if language not in KEY_WORDS:
        raise ValueError(f"unknown language {language!r}; valid languages: {', '.join(KEY_WORDS)}")
    return [m.group(0) for m in _pattern(language).finditer(text)]


def _pattern(language: str) -> re.Pattern[str]:
    words = sorted(KEY_WORDS[language], key=len, reverse=True)
    joined = "|".join(re.escape(w) for w in words)
    if language in ("en", "fr"):
        return re.compile(rf"\b(?:{joined})\b", flags=re.I)
    return re.compile(joined)


def highlight(text: str, language: str) -> str:
    """``text`` as escaped HTML with the words for "transfer" marked."""
    if language not in KEY_WORDS:
        raise ValueError(f"unknown language {language!r}; valid languages: {', '.join(KEY_WORDS)}")
    out, last = [], 0
    for match in _pattern(language).finditer(text):
        out.append(html.escape(text[last:match.start()]))
        out.append(f"<mark>{html.escape(match.group(0))}</mark>")
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _document(doc_id: str) -> dict[str, Any]:
    docs = data.documents()
    if doc_id not in set(docs["id"]):
        raise ValueError(f"unknown document {doc_id!r}; valid documents: {', '.join(docs['id'])}")
    return docs[docs["id"] == doc_id].iloc[0].to_dict()


def _authentic_note(language: str) -> str:
    names = " and ".join(LANGUAGE_NAMES[x] for x in AUTHENTIC_LANGUAGES)
    if language in AUTHENTIC_LANGUAGES:
        return f"This is one of the two authentic texts ({names})."
    return f"This is a translation: only the {names} texts of the declaration are authentic."


def document_card(doc_id: str) -> str:
    """HTML for one stored excerpt: its exact text, origin, sources and confidence."""
    doc = _document(doc_id)
    e = html.escape
    language = str(doc["language"])
    body = highlight(str(doc["text"]), language) if language in KEY_WORDS else e(str(doc["text"]))
    origin = "original text" if doc["translation"] == "original" else str(doc["translation"])
    lines = [f"<b>{e(str(doc['title']))}</b>, {e(str(doc['article']))} "
             f"({e(LANGUAGE_NAMES.get(language, language))})",
             f'<blockquote style="margin:6px 0 6px 12px">{body}</blockquote>',
             f"<small>Text: {e(origin)}. Sources: {e(', '.join(doc['source_ids']))}. "
             f"Confidence: {e(str(doc['confidence']))}.</small>"]
    if doc.get("note"):
        lines.append(f"<small>Note: {e(str(doc['note']))}</small>")
    return "<br>".join(lines)


@dataclass(frozen=True)
class Card:
    """A block of (already escaped) HTML that a notebook shows as it is."""

    html: str

    def _repr_html_(self) -> str:
        return f'<div style="max-width:52em">{self.html}</div>'


def full_table(frame: pd.DataFrame) -> Card:
    """A table shown with every cell's full text (no cut-off summaries); tuples of ids
    are joined with commas."""
    shown = frame.copy()
    for column in shown.columns:
        shown[column] = shown[column].map(lambda v: ", ".join(v) if isinstance(v, tuple) else v)
    table = shown.to_html(index=False, escape=True, border=0, float_format=lambda x: f"{x:,.1f}")
    style = ("<style>.kt-full td, .kt-full th {text-align:left; vertical-align:top; "
             "padding:3px 8px}</style>")
    return Card(f'{style}<div class="kt-full">{table}</div>')


def quote(doc_id: str) -> Card:
    """One stored excerpt, exactly as stored, with its origin, ready to show."""
    return Card(document_card(doc_id))


def translation_card(doc_id: str) -> str:
    """HTML for one text of Article 9: the text with the key words marked, its origin,
    the words found and a note on which texts are authentic."""
    valid = [i for _label, i in translation_options()]
    if doc_id not in valid:
        raise ValueError(f"unknown Article 9 text {doc_id!r}; valid texts: {', '.join(valid)}")
    doc = _document(doc_id)
    found = key_words(str(doc["text"]), str(doc["language"]))
    words = ", ".join(f"“{w}”" for w in dict.fromkeys(x.lower() for x in found)) or "none"
    return (document_card(doc_id)
            + f"<br><b>Words for the act promised:</b> {html.escape(words)}"
            + f"<br><i>{html.escape(_authentic_note(str(doc['language'])))}</i>")


def translation_explorer() -> Any:
    """A widget: pick a text of Article 9 and read it with its key words marked."""
    import ipywidgets as w

    options = translation_options()
    pick = w.Dropdown(options=options, value=options[0][1], description="Text:",
                      layout=w.Layout(width="95%"))
    shown = w.HTML(value=translation_card(pick.value))

    def update(change: dict[str, Any]) -> None:
        shown.value = translation_card(change["new"])

    pick.observe(update, names="value")
    box = w.VBox([pick, shown])
    box.dropdown, box.display = pick, shown  # for tests and notebooks
    return box


# --------------------------------------------------------------------------- readings


def readings(topic: str = "declaration_1956") -> pd.DataFrame:
    """Each government's stated reading on ``topic``: Japan's rows first, then Russia's."""
    frame = data.positions(topic=topic)
    order = {g: n for n, g in enumerate(data.GOVERNMENTS)}
    frame = frame.sort_values(["government", "date"], key=lambda s: s.map(order)
                              if s.name == "government" else s, kind="stable")
    columns = ["government", "date", "speaker", "office", "statement", "quote", "source_ids",
               "confidence"]
    return frame[columns].reset_index(drop=True)


@dataclass(frozen=True)
class SideBySide:
    """Two governments' statements in two columns (HTML in a notebook)."""

    frame: pd.DataFrame

    def _column(self, government: str) -> str:
        e = html.escape
        rows = self.frame[self.frame["government"] == government]
        items = []
        for r in rows.itertuples():
            who = e(f"{r.speaker}{', ' + r.office if r.office else ''} ({r.date})")
            quote = f"<br>“{e(r.quote)}”" if r.quote else ""
            items.append(f"<li><b>{who}</b>: {e(r.statement)}{quote}<br><small>Sources: "
                         f"{e(', '.join(r.source_ids))}; confidence {e(r.confidence)}</small></li>")
        name = {"japan": "Japan's government", "russia": "Russia's government"}[government]
        return (f'<td style="vertical-align:top;width:50%;text-align:left"><b>{name} holds that'
                f"…</b><ul>{''.join(items) or '<li>No statement stored.</li>'}</ul></td>")

    def _repr_html_(self) -> str:
        return (f"<table><tr>{self._column('japan')}{self._column('russia')}</tr></table>")


def side_by_side(topic: str = "declaration_1956") -> SideBySide:
    """Japan's and Russia's readings on ``topic`` in two columns."""
    return SideBySide(readings(topic))


def discussion_notes() -> list[str]:
    """Points a teacher may draw out in the open discussion on Article 9's wording."""
    return [
        "None of the stored texts of Article 9 uses the word 'sovereignty' or 'return': "
        "compare the marked words in each translation.",
        "Russia's government reads the wording as a transfer of Soviet territory, offered as a "
        "goodwill gesture (see Russia's column of the side-by-side table).",
        "Japan's government reads the transfer as a step within the negotiations on all four "
        "islands, not as their end (see Japan's column).",
        "The authentic texts are Japanese and Russian; English and French wordings are "
        "translations, so an argument built on one English verb is weak.",
        "A good answer says whose reading each claim is and which words of the text support it.",
    ]


# --------------------------------------------------------------------------- what followed


def follow_ups(ids: Sequence[str] = FOLLOW_UP_IDS) -> pd.DataFrame:
    """The timeline rows for ``ids`` (the declaration and what referred back to it)."""
    frame = data.timeline()
    missing = [i for i in ids if i not in set(frame["id"])]
    if missing:
        raise ValueError(f"unknown timeline ids {', '.join(map(repr, missing))}; the timeline has "
                         f"{len(frame)} events (see kuril_teaching.timeline())")
    chosen = frame[frame["id"].isin(list(ids))]
    return chosen[["date", "title", "summary", "confidence", "source_ids"]].reset_index(drop=True)


# --------------------------------------------------------------------------- land areas


def _ids(islands: Iterable[str]) -> list[str]:
    if isinstance(islands, str):
        islands = [islands]
    chosen = [data.resolve_island(i, FOUR_ISLANDS) for i in islands]
    return [i for i in FOUR_ISLANDS if i in chosen]


def area_table() -> pd.DataFrame:
    """The four islands with both names, official and computed areas, and their shares (%)."""
    table = geo.islands(group="disputed").set_index("id")
    rows = []
    for ident in FOUR_ISLANDS:
        row = table.loc[ident]
        rows.append({
            "island": row["name_en"], "Japanese": row["name_ja"], "Russian": row["name_ru"],
            "area_km2_official": float(row["area_km2_official"]),
            "area_km2_computed": float(row["area_km2_computed"]),
            "share_official_pct": round(100 * geo.share_of_disputed_area([ident], "official"), 1),
            "share_computed_pct": round(100 * geo.share_of_disputed_area([ident]), 1),
        })
    return pd.DataFrame(rows, index=pd.Index(FOUR_ISLANDS, name="id"))


def selection(islands: Iterable[str]) -> dict[str, Any]:
    """Land area (km²) and share (%) of the four islands' total for the chosen islands,
    from the official survey figures and from the map polygons."""
    ids = _ids(islands)
    table = data.islands_table().set_index("id")
    official = sum(float(table.loc[i, "area_km2_official"]) for i in ids)
    computed = sum(geo.area_km2(geo.geometry(i)) for i in ids)
    return {
        "islands": ids,
        "area_km2_official": official,
        "area_km2_computed": computed,
        "share_official_pct": 100 * geo.share_of_disputed_area(ids, "official") if ids else 0.0,
        "share_computed_pct": 100 * geo.share_of_disputed_area(ids) if ids else 0.0,
        "total_km2_official": geo.disputed_area_km2("official"),
        "total_km2_computed": geo.disputed_area_km2(),
    }


def selection_html(islands: Iterable[str]) -> str:
    """One short HTML paragraph describing :func:`selection`."""
    s = selection(islands)
    names = data.islands_table().set_index("id")["name_en"]
    if not s["islands"]:
        return "<p>No island ticked: 0 km², 0 % of the four islands' land.</p>"
    picked = ", ".join(str(names[i]) for i in s["islands"])
    return (f"<p><b>{html.escape(picked)}</b><br>"
            f"Official figures: {s['area_km2_official']:,.1f} km² of "
            f"{s['total_km2_official']:,.1f} km² = <b>{s['share_official_pct']:.1f} %</b><br>"
            f"Map polygons: {s['area_km2_computed']:,.1f} km² of "
            f"{s['total_km2_computed']:,.1f} km² = <b>{s['share_computed_pct']:.1f} %</b></p>")


def share_explorer(ticked: Sequence[str] = TWO_ISLANDS) -> Any:
    """A widget: tick islands and see their land area and share of the four islands' total."""
    import ipywidgets as w

    start = set(_ids(ticked))
    names = data.islands_table().set_index("id")
    boxes = {i: w.Checkbox(value=i in start, indent=False,
                           description=f"{names.loc[i, 'name_en']} ({names.loc[i, 'name_ja']} / "
                                       f"{names.loc[i, 'name_ru']})")
             for i in FOUR_ISLANDS}
    shown = w.HTML(value=selection_html([i for i in FOUR_ISLANDS if boxes[i].value]))

    def update(_change: dict[str, Any]) -> None:
        shown.value = selection_html([i for i in FOUR_ISLANDS if boxes[i].value])

    for box in boxes.values():
        box.observe(update, names="value")
    widget = w.VBox([*boxes.values(), shown])
    widget.checkboxes, widget.display = boxes, shown  # for tests and notebooks
    return widget


def _popup(row: dict[str, Any]) -> str:
    e = html.escape
    lines = [f"<b>{e(str(row['name_en']))}</b>",
             f"Japanese: {e(str(row['name_ja']))} ({e(str(row['name_ja_romaji']))})",
             f"Russian: {e(str(row['name_ru']))} ({e(str(row['name_ru_romanised']))})",
             f"Area: {float(row['area_km2_official']):,.1f} km² (Japanese government figure)",
             f"Area of the map polygon: {float(row['area_km2_computed']):,.1f} km²"]
    named = "Named in Article 9 (1956)" if row["id"] in TWO_ISLANDS else "Not named in Article 9"
    lines.append(f"<i>{named}</i>")
    return "<br>".join(lines)


# Who administers each context feature (the package table, plus western Hokkaido).
_ADMIN = {**maps.CONTEXT_ADMIN, "hokkaido_west": "japan"}


def article9_map() -> Any:
    """Map of the four islands with the two named in Article 9 highlighted; other land is
    clipped to the view to keep the page light."""
    import shapely
    from shapely.geometry import box

    table = geo.islands(group="disputed").set_index("id", drop=False)
    union = shapely.union_all([table.loc[i, "geometry"] for i in FOUR_ISLANDS])
    minx, miny, maxx, maxy = union.bounds
    view = (minx - 0.6, miny - 0.35, maxx + 0.35, maxy + 0.35)
    fmap = maps.base_map(view)
    frame = box(view[0] - 2.0, view[1] - 1.0, view[2] + 2.0, view[3] + 1.0)
    for ident, feature in data.geo_features().items():
        props = feature["properties"]
        if props.get("group") != "context":
            continue
        land = geo.polygons_only(geo.geometry(ident).intersection(frame))
        if not land.is_empty:
            label = f"{props['name_en']} — {props.get('name_ja', '')} / {props.get('name_ru', '')}"
            maps.add_land(fmap, land, _ADMIN.get(ident, "context"), label, weight=0.5)
    for ident in FOUR_ISLANDS:
        row = table.loc[ident].to_dict()
        colour = "highlight" if ident in TWO_ISLANDS else "disputed"
        tooltip = f"{row['name_en']} — {row['name_ja']} / {row['name_ru']}"
        maps.add_land(fmap, row["geometry"], colour, tooltip, _popup(row), weight=1.2)
    maps.add_title(fmap, "The two islands named in Article 9 (1956)",
                   "Click an island for its names and area.")
    maps.add_legend(fmap, {"highlight": "Named in Article 9: Shikotan, Habomai islands "
                                        "(disputed)",
                           "disputed": "Not named in Article 9: Etorofu, Kunashiri (disputed)",
                           "japan": "Administered by Japan", "russia": "Administered by Russia"})
    return fmap


# --------------------------------------------------------------------------- self-checks


def timing_question() -> quiz.Question:
    """Exercise: when does Article 9 say the transfer takes place?"""
    options = [
        "On signature, 19 October 1956",
        "When the declaration came into force, 12 December 1956",
        "After a peace treaty between the USSR and Japan is concluded",
        "After all foreign troops have left Japan",
    ]
    why = {
        options[0]: "The declaration ended the state of war and restored relations, but Article 9 puts the "
                    "actual transfer later: read the last clause again.",
        options[1]: "Entry into force made the promise binding, not the transfer itself: the last "
                    "clause ties the actual transfer to another event.",
        options[2]: "Every text says the actual transfer takes place after the conclusion of a peace "
                    "treaty, and none has been concluded.",
        options[3]: "This condition is not in Article 9: the Soviet memoranda of 1960 added it "
                    "later, and Japan's government rejected it.",
    }
    return quiz.Question("When, according to Article 9, does the actual transfer of the two islands "
                         "take place?", options, options[2], why)


def wording_question() -> quiz.Question:
    """Exercise: what differs between the "transfer" and "hand over" translations?"""
    options = [
        "Only the words for the act: 'transfer' and 'the actual transfer' against 'hand over' and "
        "'the actual changing over'",
        "The 'hand over' text says the islands return to Japanese sovereignty",
        "The 'hand over' text names different islands",
        "The 'hand over' text drops the peace-treaty condition",
    ]
    why = {
        options[0]: "The islands named and the condition (after a peace treaty) are the same; the "
                    "words for the act differ, and neither text speaks of sovereignty.",
        options[1]: "Neither translation uses 'sovereignty' or 'return': look for those words in "
                    "both texts.",
        options[2]: "Both name the Habomai islands and Shikotan (the UN-based text spells it "
                    "'Shikoton', an error marked [sic]).",
        options[3]: "Both keep it: 'after the conclusion of a peace treaty' appears in each.",
    }
    return quiz.Question("Compare the 'transfer' and 'hand over' translations of Article 9. What "
                         "changes between them?", options, options[0], why)


def share_quiz() -> Any:
    """Exercise widget: the share (%) of the four islands' land in Shikotan and Habomai."""
    expected = 100 * geo.share_of_disputed_area(TWO_ISLANDS, "official")
    return quiz.number_quiz(
        "What percentage of the four islands' land area do Shikotan and the Habomai islands make up?",
        expected, tolerance=0.05, unit="%",
        hint="Add the official areas of Shikotan and Habomai, divide by the total for the four "
             "islands, then multiply by 100.")


# --------------------------------------------------------------------------- sources


def sources_used(extra_events: Sequence[str] = ()) -> list[str]:
    """Source ids of every row this lesson shows: Article 9's texts, the readings, the
    follow-up events (plus ``extra_events``), their documents and the island areas."""
    ids: list[str] = []
    docs = data.documents()
    events = [*FOLLOW_UP_IDS, *extra_events]
    for frame in (article9(), readings(), docs[docs["event_id"].isin(events)]):
        for row in frame["source_ids"]:
            ids += list(row)
    timeline = data.timeline().set_index("id")
    unknown = [e for e in events if e not in timeline.index]
    if unknown:
        raise ValueError(f"unknown timeline ids {', '.join(map(repr, unknown))}; valid ids are "
                         "those of kuril_teaching.timeline()")
    for ident in events:
        ids += list(timeline.loc[ident, "source_ids"])
    islands = data.islands_table().set_index("id")
    for ident in FOUR_ISLANDS:
        ids += list(islands.loc[ident, "area_official_source_ids"])
    figures = data.figures().set_index("id")
    ids += list(figures.loc["four_island_area_total", "source_ids"])
    return list(dict.fromkeys(ids))
