"""The 1956 Soviet-Japanese Joint Declaration: Article 9 in its translations, the two
governments' readings of it, and the share of the four islands' land it names.

Plain functions return tables, HTML and numbers; the widgets only show what those
functions return. Every sentence shown comes from ``data/lessons/02_joint_declaration_1956.yaml``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from . import content, data, display, exercises, geo, maps, records

__all__ = [
    "EVENT_ID",
    "FOLLOW_UP_IDS",
    "FOUR_ISLANDS",
    "KEY_WORDS",
    "LESSON",
    "TWO_ISLANDS",
    "area_table",
    "areas",
    "article9",
    "article9_map",
    "details",
    "discussion_notes",
    "exercise",
    "key_words",
    "reading_ids",
    "selection",
    "selection_html",
    "share_explorer",
    "sources_used",
    "translation_card",
    "translation_explorer",
    "translation_options",
]

LESSON = "02_joint_declaration_1956"
EVENT_ID = "joint_declaration_1956"
# The declaration, the 1960 Soviet memoranda and the later documents that refer back to it.
FOLLOW_UP_IDS = (
    "joint_declaration_1956",
    "soviet_memoranda_1960",
    "tokyo_declaration_1993",
    "irkutsk_statement_2001",
    "singapore_agreement_2018",
)
TWO_ISLANDS = ("shikotan", "habomai")
FOUR_ISLANDS = records.FOUR_ISLANDS
# The words each language's text uses for the act Article 9 promises (verb and noun),
# exactly as they appear in the stored texts.
KEY_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("transfer", "hand over", "changing over"),
    "fr": ("remettre", "remise"),
    "ru": ("передать", "передачу", "передача"),
    "ja": ("引き渡す", "引渡し", "引渡す", "引渡され"),
}
# The declaration was signed in Japanese and Russian; no English or French text is authentic.
AUTHENTIC_LANGUAGES = ("ja", "ru")


def _lesson() -> content.Lesson:
    return content.lesson(LESSON)


# --------------------------------------------------------------------------- Article 9


def article9() -> pd.DataFrame:
    """Every stored text of Article 9 (one row per language or translation)."""
    docs = data.documents(EVENT_ID)
    ninth = docs["article"].map(lambda a: bool(re.search(r"(?<![0-9])9(?![0-9])", str(a))))
    return docs[ninth].reset_index(drop=True)


def _pattern(language: str) -> re.Pattern[str]:
    data._choice("language", language, KEY_WORDS)
    joined = "|".join(re.escape(w) for w in sorted(KEY_WORDS[language], key=len, reverse=True))
    return re.compile(rf"\b(?:{joined})\b", flags=re.I) if language in ("en", "fr") else re.compile(joined)


def key_words(text: str, language: str) -> list[str]:
    """The words for "transfer" (in ``language``) found in ``text``, in order."""
    return [m.group(0) for m in _pattern(language).finditer(text)]


def translation_options() -> list[tuple[str, str]]:
    """``(label, document id)`` for each text of Article 9, for a dropdown."""
    L = _lesson()
    names = content.lesson(content.LIBRARY).get("display.language_names")
    origins = {o["document"]: o["label"] for o in L.get("article9.origins")}
    out = []
    for r in article9().itertuples():
        found = key_words(r.text, r.language) if r.language in KEY_WORDS else []
        values = {"language": names.get(r.language, r.language),
                  "origin": origins.get(r.id, r.translation)}
        label = (L.text("article9.option", word=found[0].lower(), **values) if found
                 else L.text("article9.option_no_word", **values))
        out.append((label, r.id))
    return out


def translation_card(doc_id: str) -> str:
    """HTML for one text of Article 9: the quote card with the key words marked, the words
    found and a note on which texts are authentic."""
    data._choice("Article 9 text", doc_id, [i for _label, i in translation_options()])
    doc = records.row("documents", doc_id)
    language = str(doc["language"])
    found = key_words(str(doc["text"]), language)
    L = _lesson()
    words = ", ".join(f"“{w}”" for w in dict.fromkeys(x.lower() for x in found))
    words_line = L.text("article9.words_found", words=words or L.text("article9.no_words"))
    note = L.text("article9.authentic" if language in AUTHENTIC_LANGUAGES else "article9.translation")
    return (display.quote(doc_id, marked=KEY_WORDS.get(language, ())).text
            + f"<p>{html.escape(words_line)}<br><i>{html.escape(note)}</i></p>")


def translation_explorer() -> Any:
    """A widget: pick a text of Article 9 and read it with its key words marked.

    Handles: ``.dropdown`` (the menu) and ``.display`` (the card shown)."""
    import ipywidgets as w

    options = translation_options()
    pick = w.Dropdown(options=options, value=options[0][1], description=_lesson().text("article9.menu"),
                      layout=w.Layout(width="95%"))
    box = display.linked(pick, translation_card)
    box.dropdown, box.display = pick, box.view
    return box


# --------------------------------------------------------------------------- optional reading


def details(key: str, *shown: Any) -> display.Html:
    """``shown`` (tables or quotes, one after the other) in a closed section that opens on a
    click, with the lesson's ``details.<key>`` text as its summary: optional reading."""
    L = _lesson()
    data._choice("optional section", key, list(L.get("details")))
    if not shown or not all(hasattr(s, "_repr_html_") for s in shown):
        raise ValueError(f"the optional section {key!r} shows tables or quotes (objects with HTML); "
                         f"got: {', '.join(type(s).__name__ for s in shown) or 'nothing'}")
    return display.details(L.text(f"details.{key}"), display.Html("".join(s._repr_html_() for s in shown)))


# --------------------------------------------------------------------------- readings


def reading_ids(topic: str = "declaration_1956") -> list[str]:
    """Ids of each government's stated readings on ``topic`` (for ``kt.side_by_side``):
    Japan's, then Russia's, each by date."""
    frame = data.positions(topic=topic)
    return [i for g in data.GOVERNMENTS for i in frame.loc[frame["government"] == g, "id"]]


def discussion_notes() -> list[str]:
    """Points a teacher may draw out in the open discussion on Article 9's wording."""
    return list(_lesson().get("discussion_notes"))


# --------------------------------------------------------------------------- land areas


def _ids(islands: Iterable[str] | str) -> list[str]:
    chosen = {records.resolve(i, FOUR_ISLANDS) for i in ([islands] if isinstance(islands, str) else islands)}
    return [i for i in FOUR_ISLANDS if i in chosen]


def areas() -> pd.DataFrame:
    """The four islands (index: ids) with their names, official and computed areas (km²)
    and their shares (%) of the four islands' land on both bases."""
    rows = []
    for ident in FOUR_ISLANDS:
        rows.append({
            "name_en": records.name(ident, "en"), "name_ja": records.name(ident, "ja"),
            "name_ru": records.name(ident, "ru"),
            "area_km2_official": float(records.row("islands", ident)["area_km2_official"]),
            "area_km2_computed": round(geo.area_km2(geo.geometry(ident)), 1),
            "share_official_pct": round(100 * geo.share_of_disputed_area([ident], "official"), 1),
            "share_computed_pct": round(100 * geo.share_of_disputed_area([ident]), 1),
        })
    return pd.DataFrame(rows, index=list(FOUR_ISLANDS))


def area_table() -> display.Html:
    """:func:`areas` as a table with the lesson's column headers (a text version of the map)."""
    return display.table(areas(), _lesson().get("areas.columns"))


def selection(islands: Iterable[str] | str) -> dict[str, Any]:
    """Land area (km²) and share (%) of the four islands' total for the chosen islands,
    from the official survey figures and from the map polygons."""
    ids = _ids(islands)
    return {
        "islands": ids,
        "area_km2_official": sum(float(r["area_km2_official"]) for r in records.rows("islands", ids)),
        "area_km2_computed": sum(geo.area_km2(geo.geometry(i)) for i in ids),
        "share_official_pct": 100 * geo.share_of_disputed_area(ids, "official") if ids else 0.0,
        "share_computed_pct": 100 * geo.share_of_disputed_area(ids) if ids else 0.0,
        "total_km2_official": geo.disputed_area_km2("official"),
        "total_km2_computed": geo.disputed_area_km2(),
    }


def selection_html(islands: Iterable[str] | str) -> str:
    """One short HTML paragraph describing :func:`selection` (the share explorer's text)."""
    L = _lesson()
    s = selection(islands)
    if not s["islands"]:
        return f"<p>{html.escape(L.text('share.none'))}</p>"
    lines = [f"<b>{html.escape(', '.join(records.name(i) for i in s['islands']))}</b>"]
    for basis in ("official", "computed"):
        template = html.escape(L.get(f"share.{basis}"))  # filled below with markup
        lines.append(template.format(area=f"{s[f'area_km2_{basis}']:,.1f}",
                                     total=f"{s[f'total_km2_{basis}']:,.1f}",
                                     share=f"<b>{s[f'share_{basis}_pct']:.1f}</b>"))
    return "<p>" + "<br>".join(lines) + "</p>"


def share_explorer(ticked: Iterable[str] = TWO_ISLANDS) -> Any:
    """A widget: tick islands and see their land area and share of the four islands' total.

    Handles: ``.checkboxes`` (a dict of checkboxes by island id) and ``.display``."""
    import ipywidgets as w

    start = set(_ids(ticked))
    boxes = {i: w.Checkbox(value=i in start, indent=False, description=records.name(i, "full"))
             for i in FOUR_ISLANDS}
    shown = w.HTML(value=selection_html([i for i in FOUR_ISLANDS if boxes[i].value]))

    def update(_change: dict[str, Any]) -> None:
        shown.value = selection_html([i for i in FOUR_ISLANDS if boxes[i].value])

    for box in boxes.values():
        box.observe(update, names="value")
    widget = w.VBox([*boxes.values(), shown])
    widget.checkboxes, widget.display = boxes, shown
    return widget


def article9_map() -> maps.OfflineMap:
    """Map of the four islands with the two named in Article 9 highlighted."""
    import shapely

    L = _lesson()
    table = geo.islands(group="disputed").set_index("id", drop=False)
    layers = []
    for ident in FOUR_ISLANDS:
        named = ident in TWO_ISLANDS
        note = html.escape(L.text("map.named" if named else "map.not_named"))
        popup = f"{maps.popup_html(table.loc[ident].to_dict())}<br><i>{note}</i>"
        layers.append(maps.Land((ident,), "highlight" if named else "disputed", popup=popup))
    minx, miny, maxx, maxy = shapely.union_all([geo.geometry(i) for i in FOUR_ISLANDS]).bounds
    return maps.lesson_map(layers, L.text("map.title"), L.text("map.subtitle"),
                           legend=L.get("map.legend"),
                           view=(minx - 0.6, miny - 0.35, maxx + 0.35, maxy + 0.35))


# --------------------------------------------------------------------------- exercises


def exercise(ident: str) -> exercises.Exercise:
    """The lesson's exercise ``ident`` (``timing_question``, ``wording_question``,
    ``share_quiz``, the code task ``readings_primary_sources``), with the share computed from
    the official areas."""
    if ident == "share_quiz":
        expected = 100 * geo.share_of_disputed_area(TWO_ISLANDS, "official")
        return _lesson().exercise(ident, expected=expected)
    return _lesson().exercise(ident)


# --------------------------------------------------------------------------- sources


def sources_used(extra_events: Iterable[str] = ()) -> list[str]:
    """Source ids of every row this lesson shows: Article 9's texts, the readings, the
    follow-up events (plus ``extra_events``), their documents and the island areas."""
    events = list(dict.fromkeys([*FOLLOW_UP_IDS, *extra_events]))
    timeline = records.sources_of("timeline", events)
    docs = records.table("documents")
    return list(dict.fromkeys([
        *records.sources_of("documents", article9()["id"]),
        *records.sources_of("positions", reading_ids()),
        *records.sources_of("documents", docs.loc[docs["event_id"].isin(events), "id"]),
        *timeline,
        *records.sources_of("islands", FOUR_ISLANDS, ["area_official_source_ids"]),
        *records.sources_of("figures", ["four_island_area_total"]),
    ]))
