"""Reading the news: checking the claims of a January 2019 opinion piece against the record.

The claims are the project's own paraphrases (``data/fact_checks.yaml``); the piece
itself is never quoted. A claim checker compares a student's verdict and cited evidence
row with the fact check and shows the record behind it: dates, titles, exact quotes,
sources and confidence. Further exercises separate fact claims from interpretation,
trace a report back to its primary source, and collect dates and venues easy to confuse.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from . import data, geo, quiz
from .display import Html, long_date, show

__all__ = [
    "KIND_CATEGORIES",
    "METHOD_ITEMS",
    "SLIP_CATEGORIES",
    "SLIP_ITEMS",
    "TRAILS",
    "VERDICTS",
    "ClaimFeedback",
    "check_claim",
    "china_order",
    "claim_checker",
    "claim_letter",
    "claims",
    "evidence_html",
    "evidence_rows",
    "method_exercise",
    "method_key",
    "pitfalls",
    "record_html",
    "show",
    "slip_exercise",
    "slip_key",
    "source_trail",
    "terms_table",
    "trail_questions",
    "used_source_ids",
]

VERDICTS: tuple[str, ...] = data.VERDICTS
KIND_CATEGORIES = ("fact claim (checkable)", "interpretation or opinion")
SLIP_CATEGORIES = ("matches the record", "does not match the record")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_TABLES = ("timeline", "positions", "documents")

# Hints when a verdict differs from the project's: (chosen, project's) -> what to look at.
_VERDICT_HINTS = {
    ("accurate", "partly accurate"):
        "The core of the claim holds, but one detail (a venue, a date, a word, who said it) "
        "does not match the record. Compare each detail of the claim with the rows below.",
    ("accurate", "inaccurate"):
        "The fact the claim rests on conflicts with the record. Compare its dates and the order "
        "of events with the rows below.",
    ("partly accurate", "accurate"):
        "Every checkable part of the claim matches the record; a difference of wording that "
        "leaves the substance unchanged does not make a claim only partly accurate.",
    ("partly accurate", "inaccurate"):
        "More than a detail is wrong here: the central fact of the claim conflicts with the "
        "record. Put the dated rows below in order.",
    ("inaccurate", "accurate"):
        "The record supports the claim: find the row whose date and content match it.",
    ("inaccurate", "partly accurate"):
        "The core of the claim is supported by the record; only part of it goes wrong. Which "
        "part holds, and which does not?",
    ("cannot be checked", "accurate"):
        "The record does hold dated evidence on this claim: read the rows below.",
    ("cannot be checked", "partly accurate"):
        "The record does hold dated evidence on this claim, and it supports part of it: read "
        "the rows below.",
    ("cannot be checked", "inaccurate"):
        "The record does hold dated evidence on this claim, and it conflicts with it: read the "
        "rows below.",
}


# --------------------------------------------------------------------------- small helpers


def _pick(name: str, value: Any, valid: Sequence[Any]) -> Any:
    if value not in valid:
        raise ValueError(f"unknown {name} {value!r}; valid {name}s: {', '.join(map(str, valid))}")
    return value


def _checks() -> pd.DataFrame:
    return data.fact_checks().set_index("id", drop=False)


def _claim_ids() -> list[str]:
    return list(data.fact_checks()["id"])


def claim_letter(claim_id: str) -> str:
    """The letter a claim carries in this lesson: ``(a)`` for the first fact check, and so on."""
    ids = _claim_ids()
    _pick("claim id", claim_id, ids)
    return f"({_LETTERS[ids.index(claim_id)]})"


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def _evidence_table() -> pd.DataFrame:
    """Every row the fact checks cite, with the table it comes from, its date and title."""
    checks = data.fact_checks()
    wanted = list(dict.fromkeys(i for ids in checks["evidence_ids"] for i in ids))
    timeline = data.timeline().set_index("id", drop=False)
    positions = data.positions().set_index("id", drop=False)
    documents = data.documents().set_index("id", drop=False)
    rows = []
    for ident in wanted:
        if ident in timeline.index:
            row = timeline.loc[ident]
            table, date, title = "timeline", row["date"], row["title"]
        elif ident in positions.index:
            row = positions.loc[ident]
            table, date = "positions", row["date"]
            title = f"{row['speaker']} ({row['office']}): {row['statement']}"
        else:
            row = documents.loc[ident]
            table, title = "documents", row["title"]
            date = timeline.loc[row["event_id"], "date"]
        cited_by = [c for c, ids in zip(checks["id"], checks["evidence_ids"], strict=True)
                    if ident in ids]
        rows.append({"id": ident, "table": table, "date": str(date), "title": str(title),
                     "confidence": str(row["confidence"]), "source_ids": tuple(row["source_ids"]),
                     "cited_by": tuple(cited_by)})
    frame = pd.DataFrame(rows)
    return frame.sort_values(["date", "id"], kind="stable").reset_index(drop=True)


def _evidence_ids() -> list[str]:
    return list(_evidence_table()["id"])


# --------------------------------------------------------------------------- the claims


def claims(verdicts: bool = False) -> pd.DataFrame:
    """The checkable claims of the opinion piece, in the project's words, lettered (a), (b), ...

    With ``verdicts=True`` the project's verdict, explanation and confidence are added
    (the answer key).
    """
    frame = data.fact_checks()
    out = pd.DataFrame({"claim": [claim_letter(i) for i in frame["id"]], "id": frame["id"],
                        "what the piece claims (project's paraphrase)": frame["claim"]})
    if verdicts:
        out["verdict"] = frame["verdict"]
        out["why"] = frame["explanation"]
        out["evidence rows"] = frame["evidence_ids"].map(", ".join)
        out["confidence"] = frame["confidence"]
    return out


def evidence_rows(claim_id: str | None = None) -> pd.DataFrame:
    """The rows of the record a student may cite, by date (only one claim's with ``claim_id``).

    The pool is every timeline, position and document row that any fact check rests on, so
    choosing the right row for a claim is part of the exercise.
    """
    frame = _evidence_table()
    if claim_id is not None:
        _pick("claim id", claim_id, _claim_ids())
        wanted = list(_checks().loc[claim_id, "evidence_ids"])
        frame = frame[frame["id"].isin(wanted)].reset_index(drop=True)
    out = frame.copy()
    out["date"] = out["date"].map(long_date)
    out["cited_by"] = out["cited_by"].map(lambda ids: ", ".join(claim_letter(i) for i in ids))
    out["source_ids"] = out["source_ids"].map(", ".join)
    return out[["id", "table", "date", "title", "confidence", "source_ids", "cited_by"]]


def _row(ident: str) -> tuple[str, dict[str, Any]]:
    frames = {"timeline": data.timeline, "positions": data.positions, "documents": data.documents}
    for table in _TABLES:
        frame = frames[table]()
        found = frame[frame["id"] == ident]
        if not found.empty:
            return table, found.iloc[0].to_dict()
    raise ValueError(f"unknown evidence id {ident!r}; valid evidence ids: "
                     f"{', '.join(_evidence_ids())}")


def _confidence(row: Mapping[str, Any]) -> str:
    level = str(row.get("confidence") or "")
    note = str(row.get("note") or "").strip()
    return f"{level} confidence" + (f" — {note}" if note else "")


def _document_block(doc: Mapping[str, Any]) -> str:
    e = html.escape
    return (f"<blockquote style='margin:4px 0 4px 12px'>“{e(str(doc['text']))}”<br>"
            f"<small>{e(str(doc['title']))}; text: {e(str(doc['translation']))}; sources: "
            f"{e(', '.join(doc['source_ids']))}; {e(str(doc['confidence']))} confidence</small>"
            "</blockquote>")


def evidence_html(evidence_id: str, skip_documents: Collection[str] = ()) -> str:
    """One row of the record as HTML: date, title, exact quote or text, sources, confidence.

    A timeline row shows the document excerpts filed under it, except ``skip_documents``.
    """
    _pick("evidence id", evidence_id, _evidence_ids())
    table, row = _row(evidence_id)
    e = html.escape
    parts: list[str] = []
    if table == "timeline":
        parts.append(f"<b>{e(long_date(row['date']))} — {e(row['title'])}</b> "
                     f"<small>(timeline <code>{e(evidence_id)}</code>)</small>")
        parts.append(e(str(row["summary"])))
        docs = data.documents()
        for doc in docs[docs["event_id"] == evidence_id].to_dict("records"):
            if doc["id"] not in skip_documents:
                parts.append(_document_block(doc))
    elif table == "positions":
        parts.append(f"<b>{e(long_date(row['date']))} — {e(row['speaker'])}, "
                     f"{e(row['office'])}</b> <small>({e(str(row['government']).capitalize())}'s position, "
                     f"<code>{e(evidence_id)}</code>)</small>")
        parts.append(e(str(row["statement"])))
        if row["quote"]:
            parts.append(f"<blockquote style='margin:4px 0 4px 12px'>In the speaker's words: "
                         f"“{e(str(row['quote']))}”</blockquote>")
    else:
        event = data.timeline().set_index("id").loc[row["event_id"]]
        parts.append(f"<b>{e(long_date(event['date']))} — {e(row['title'])}</b> "
                     f"<small>(document <code>{e(evidence_id)}</code>)</small>")
        parts.append(_document_block(row))
    parts.append(f"<small>Sources: {e(', '.join(row['source_ids']))}; "
                 f"{e(_confidence(row))}</small>")
    return ("<div style='margin:10px 0'>" + "".join(f"<div>{p}</div>" for p in parts)
            + "</div>")


def record_html(claim_id: str) -> Html:
    """The record behind one claim: every evidence row of its fact check, in date order."""
    _pick("claim id", claim_id, _claim_ids())
    ids = list(evidence_rows(claim_id)["id"])
    head = (f"<div style='margin-top:8px'><b>The record for claim {claim_letter(claim_id)}</b> "
            f"({len(ids)} rows, oldest first):</div>")
    return Html(head + "".join(evidence_html(i, skip_documents=ids) for i in ids))


# --------------------------------------------------------------------------- checking a claim


@dataclass(frozen=True)
class ClaimFeedback(quiz.Feedback):
    """Feedback on one checked claim; shows the record under the message."""

    verdict_ok: bool = False
    evidence_ok: bool = False
    record: str = ""

    def _repr_html_(self) -> str:
        return super()._repr_html_() + self.record


def check_claim(claim_id: str, verdict: str | None, evidence_id: str | None) -> ClaimFeedback:
    """Check a verdict on one claim and the evidence row cited for it.

    The rule for evidence: a cited row counts when it is one of the rows the project's
    fact check of that claim rests on (its ``evidence_ids``). A row that belongs to
    another claim's check is named as such. The answer is right when both the verdict
    and the cited row are.
    """
    _pick("claim id", claim_id, _claim_ids())
    if verdict is not None:
        _pick("verdict", verdict, VERDICTS)
    if evidence_id is not None:
        _pick("evidence id", evidence_id, _evidence_ids())
    check = _checks().loc[claim_id]
    letter = claim_letter(claim_id)
    record = str(record_html(claim_id))
    if verdict is None or evidence_id is None:
        missing = " and ".join(w for w, v in (("a verdict", verdict), ("an evidence row",
                                                                       evidence_id)) if v is None)
        return ClaimFeedback(False, f"Choose {missing} first.", record="")
    verdict_ok = verdict == check["verdict"]
    wanted = list(check["evidence_ids"])
    evidence_ok = evidence_id in wanted
    parts = []
    if verdict_ok:
        parts.append(f"Verdict: yes, the project rates claim {letter} '{check['verdict']}' "
                     f"({check['confidence']} confidence). {check['explanation']}")
    else:
        parts.append(f"Verdict: '{verdict}' is not what the record supports for claim {letter}. "
                     + _VERDICT_HINTS.get((verdict, check["verdict"]),
                                          "Read the rows below again, detail by detail."))
    title = str(_evidence_table().set_index("id").loc[evidence_id, "title"])
    if evidence_ok:
        parts.append(f"Evidence: yes, {evidence_id} ({_short(title, 70)}) is one of the "
                     f"{len(wanted)} rows this check rests on.")
    else:
        others = [claim_letter(c) for c in _evidence_table().set_index("id").loc[
            evidence_id, "cited_by"]]
        parts.append(f"Evidence: {evidence_id} ({_short(title, 70)}) is evidence for claim "
                     f"{', '.join(others)}, not for {letter}. The rows for {letter} are: "
                     f"{', '.join(wanted)}.")
    return ClaimFeedback(verdict_ok and evidence_ok, " ".join(parts), verdict_ok=verdict_ok,
                         evidence_ok=evidence_ok, record=record)


def _claim_options() -> list[tuple[str, str]]:
    frame = data.fact_checks()
    return [(f"{claim_letter(i)} {_short(c, 80)}", i) for i, c in zip(frame["id"], frame["claim"],
                                                                        strict=True)]


def _evidence_options() -> list[tuple[str, str | None]]:
    frame = _evidence_table()
    options: list[tuple[str, str | None]] = [("— choose the row you cite —", None)]
    for row in frame.itertuples():
        options.append((f"{long_date(row.date)} · {_short(row.title, 70)} [{row.id}]", row.id))
    return options


def _claim_html(claim_id: str) -> str:
    text = str(_checks().loc[claim_id, "claim"])
    return (f"<div style='max-width:720px'><b>Claim {claim_letter(claim_id)}</b> "
            f"(the project's paraphrase): {html.escape(text)}</div>")


def claim_checker(start: str | None = None) -> Any:
    """A widget: choose a claim, a verdict and the evidence row you cite, then press Check."""
    import ipywidgets as w

    ids = _claim_ids()
    start = ids[0] if start is None else _pick("claim id", start, ids)
    claim = w.Dropdown(options=_claim_options(), value=start, description="Claim:",
                       layout=w.Layout(width="720px"))
    text = w.HTML(_claim_html(start))
    verdict = w.RadioButtons(options=list(VERDICTS), value=None, description="Verdict:")
    evidence = w.Dropdown(options=_evidence_options(), value=None, description="Evidence:",
                          layout=w.Layout(width="720px"))
    button = w.Button(description="Check", button_style="primary")
    feedback = w.HTML()

    def new_claim(change: Any) -> None:
        text.value = _claim_html(change["new"])
        verdict.value, evidence.value, feedback.value = None, None, ""

    def check(_b: Any) -> None:
        feedback.value = check_claim(claim.value, verdict.value, evidence.value)._repr_html_()

    claim.observe(new_claim, names="value")
    button.on_click(check)
    box = w.VBox([claim, text, verdict, evidence, button, feedback])
    box.claim, box.verdict, box.evidence = claim, verdict, evidence  # for tests and notebooks
    box.button, box.feedback = button, feedback
    return box


# --------------------------------------------------------------------------- claim (e) in order


def china_order() -> pd.DataFrame:
    """The Russia-China border and treaty documents in date order, with sources."""
    frame = data.timeline(topic="china_russia")
    frame = frame[frame["kind"].isin(["treaty", "declaration"]) |
                  frame["id"].str.contains("transfer|ratification")]
    return pd.DataFrame({"date": frame["date"].map(long_date), "what": frame["title"],
                         "kind": frame["kind"], "confidence": frame["confidence"],
                         "sources": frame["source_ids"].map(", ".join),
                         "id": frame["id"]}).reset_index(drop=True)


# --------------------------------------------------------------------------- the map's text


def terms_table() -> pd.DataFrame:
    """The four islands: both names, official area, share of the land, and the 1956 terms."""
    table = geo.islands(group="disputed").set_index("id")
    ids = list(geo.DISPUTED_ISLANDS)
    total = float(table.loc[ids, "area_km2_official"].sum())
    named = {"shikotan", "habomai"}
    rows = []
    for ident in ids:
        row = table.loc[ident]
        area = float(row["area_km2_official"])
        rows.append({"island": row["name_en"], "Japanese": row["name_ja"],
                     "Russian": row["name_ru"], "area, km² (Japanese survey)": area,
                     "share of the four islands' land": f"{100 * area / total:.1f} %",
                     "named in Article 9 of the 1956 Declaration": "yes" if ident in named
                     else "no",
                     "area sources": ", ".join(row["area_official_source_ids"])})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- fact or interpretation

# Sentences that restate steps of the piece's argument in the project's words, each with
# its category and the reason. Fact claims name the record row that settles them.
METHOD_ITEMS: dict[str, tuple[str, str, str]] = {
    "A": ("In November 2018 Abe and Putin agreed to speed up the peace-treaty talks on the basis "
          "of the 1956 Joint Declaration.", KIND_CATEGORIES[0],
          "A dated event: timeline row singapore_agreement_2018 records it (14 November 2018)."),
    "B": ("For Japan, getting any island back matters because it would help the country leave "
          "behind its picture as the side that lost the war.", KIND_CATEGORIES[1],
          "The identity argument: a claim about what a nation feels and why. No document or "
          "date can confirm it; it is the author's reading of Japanese politics."),
    "C": ("Russia and China signed their basic treaty on relations before they settled their "
          "border.", KIND_CATEGORIES[0],
          "Checkable against dated treaties, and the record shows it is wrong: the border "
          "agreements of 1991 and 1994 (timeline row sino_soviet_eastern_border_agreement_1991 "
          "and the next) came before the 2001 treaty (sino_russian_treaty_2001). A fact claim can be false; "
          "it is still a fact claim."),
    "D": ("The islands should be taken out of the peace treaty and handled purely as a question "
          "of where the border runs.", KIND_CATEGORIES[1],
          "A recommendation: it says what should happen, and no record can show what should "
          "happen."),
    "E": ("The summit of 22 January 2019 ended without a breakthrough on the islands.",
          KIND_CATEGORIES[0],
          "Checkable against reports of the summit: timeline row moscow_summit_2019 says the "
          "leaders reported no breakthrough."),
    "F": ("The main purpose of the summit was to show the public that both leaders wanted to keep "
          "talking.", KIND_CATEGORIES[1],
          "A claim about intentions: the record shows what the leaders said, not what the "
          "meeting was really for."),
    "G": ("Because Russia sees itself as the victor of the Second World War, handing over any "
          "island would look like surrender to its public.", KIND_CATEGORIES[1],
          "The identity argument again, for Russia: a reading of national feeling that no dated "
          "row can settle, however plausible it sounds."),
    "H": ("More than twenty years before 2019, the two governments set up a body to work on "
          "demarcating the border.", KIND_CATEGORIES[0],
          "A dated decision: timeline row moscow_declaration_1998 records the sub-committee on "
          "border demarcation (November 1998)."),
    "I": ("The rise of China and a weaker American position in East Asia push Japan and Russia "
          "towards each other.", KIND_CATEGORIES[1],
          "A claim about causes and motives: one can check that talks went on, but not from the "
          "record why."),
}


def method_key() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The sorting exercise as (items, key, reasons), each keyed by letter."""
    items = {k: v[0] for k, v in METHOD_ITEMS.items()}
    key = {k: v[1] for k, v in METHOD_ITEMS.items()}
    reasons = {k: v[2].rstrip(".") for k, v in METHOD_ITEMS.items()}
    return items, key, reasons


def method_exercise() -> Any:
    """A widget: sort each sentence into fact claim or interpretation."""
    items, key, reasons = method_key()
    return quiz.sorting_quiz(items, KIND_CATEGORIES, key, reasons)


# --------------------------------------------------------------------------- source trails

# Fact checks whose sources the trail exercise follows.
TRAILS = ("fc_unrealistic_demand", "fc_lavrov_precondition")


def source_trail(claim_id: str) -> pd.DataFrame:
    """The sources of one fact check: primary or secondary, who published it, where it was read."""
    _pick("claim id", claim_id, _claim_ids())
    sources = data.sources().set_index("id")
    rows = []
    for ident in _checks().loc[claim_id, "source_ids"]:
        row = sources.loc[ident]
        read = row["found_at"] or "at the address given (url)"
        rows.append({"source": ident, "kind": row["kind"], "publisher": row["publisher"],
                     "date": long_date(row["date"]) if row["date"] else "not dated",
                     "title": row["title"], "read at": read, "note": row["note"]})
    frame = pd.DataFrame(rows)
    order = {"primary": 0, "secondary": 1}
    return frame.sort_values("kind", key=lambda s: s.map(order), kind="stable") \
        .reset_index(drop=True)


def trail_questions() -> list[quiz.Question]:
    """Two questions on tracing a report back to its primary source, built from the data."""
    sources = data.sources().set_index("id")
    suga = data.positions().set_index("id").loc["jp_2019_treaty_after_territory"]
    kyodo = [i for i in _checks().loc["fc_unrealistic_demand", "source_ids"]
             if "kyodo" in str(sources.loc[i, "title"]).lower()]
    first = quiz.Question(
        "Where does the word 'unrealistic' in claim (b) come from?",
        ["A statement published by Japan's government",
         "A Kyodo news agency report citing unnamed government sources, read in other outlets",
         "A transcript of the 22 January 2019 summit"],
        "A Kyodo news agency report citing unnamed government sources, read in other outlets",
        why={
            "A statement published by Japan's government":
                "No primary source in the record says it. The one on-record reaction is the "
                f"Chief Cabinet Secretary's ({suga['confidence']} confidence): he declined to "
                "comment and repeated that a treaty would follow a settlement.",
            "A Kyodo news agency report citing unnamed government sources, read in other outlets":
                f"Yes: the sources ({', '.join(kyodo)}) are secondary and cite Kyodo; the Kyodo "
                "report itself is not among the project's sources, and the officials it cites "
                "are not named.",
            "A transcript of the 22 January 2019 summit":
                "The report predates the summit, and the summit row records no such statement.",
        })
    repost = sources.loc["mid_lavrov_2019_01_14_repost"]
    second = quiz.Question(
        "Lavrov's words of 14 January 2019 are a primary source. Where did the project read them?",
        ["On the Russian foreign ministry's own website",
         "In a repost of the ministry's English transcript on a blog",
         "Only in RT's news report"],
        "In a repost of the ministry's English transcript on a blog",
        why={
            "On the Russian foreign ministry's own website":
                "Not this time: the note on the source says the mid.ru page was not located.",
            "In a repost of the ministry's English transcript on a blog":
                f"Yes: {repost['note']} That is why the quotes carry medium confidence.",
            "Only in RT's news report":
                "RT (a secondary source) carries the same statements and confirms them, but the "
                "exact transcript wording was read in the repost.",
        })
    return [first, second]


# --------------------------------------------------------------------------- easy to confuse

# Pairs of dates or venues that are easy to confuse: (what gets confused, rows that settle it).
_PITFALLS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Singapore is not the G20: the agreement to speed up talks came in Singapore, the G20 "
     "meeting that set the format came later, in Buenos Aires.",
     ("singapore_agreement_2018", "buenos_aires_meeting_2018")),
    ("Two meetings in Moscow, eight days apart: the foreign ministers first, then the leaders.",
     ("lavrov_kono_talks_2019", "moscow_summit_2019")),
    ("Border protocols are not the basic treaty: Russia and China signed border protocols in "
     "1999 and the treaty on relations in 2001.",
     ("sino_russian_border_protocols_1999", "sino_russian_treaty_2001")),
    ("Signed, in force, carried out: the last Russia-China border agreement has three dates.",
     ("sino_russian_complementary_agreement_2004", "sino_russian_ratification_2005",
      "sino_russian_island_transfer_2008")),
    ("A legal view and the words used in public can differ by year: check which Bluebook.",
     ("diplomatic_bluebook_2019", "diplomatic_bluebook_2022")),
    ("The border body of 1998 and the statement of 2000 that lists it are different documents; "
     "the 2000 statement itself carries two dates in its two language versions.",
     ("moscow_declaration_1998", "tokyo_statement_2000")),
)


def pitfalls() -> pd.DataFrame:
    """A checklist of dates and venues that are easy to get wrong, each with the record."""
    timeline = data.timeline().set_index("id")
    rows = []
    for text, ids in _PITFALLS:
        record = "; ".join(f"{long_date(timeline.loc[i, 'date'])}: {timeline.loc[i, 'title']}"
                           for i in ids)
        notes = " ".join(str(timeline.loc[i, "note"]) for i in ids
                         if "date" in str(timeline.loc[i, "note"]).lower())
        rows.append({"easy to confuse": text, "the record": record,
                     "where sources differ": notes, "rows": ", ".join(ids)})
    return pd.DataFrame(rows)


# Statements for the "spot the slip" exercise: (text, category, reason with the record).
SLIP_ITEMS: dict[str, tuple[str, str, str]] = {
    "A": ("The agreement to speed up talks on the 1956 basis was reached at the G20 summit in "
          "Buenos Aires.", SLIP_CATEGORIES[1],
          "Buenos Aires (1 December 2018) set the negotiating format; the agreement itself came "
          "in Singapore on 14 November 2018."),
    "B": ("Russia and China signed border protocols in December 1999.", SLIP_CATEGORIES[0],
          "Yes: protocols describing the eastern and western border, 9 December 1999."),
    "C": ("Russia and China signed their Treaty of Good-Neighbourliness in 1999.",
          SLIP_CATEGORIES[1], "The treaty was signed on 16 July 2001."),
    "D": ("Lavrov stated Russia's precondition at the Abe-Putin summit on 22 January 2019.",
          SLIP_CATEGORIES[1],
          "He said it after his talks with Kono on 14 January 2019, eight days before the "
          "summit."),
    "E": ("Japan's 2019 Diplomatic Bluebook called the islands illegally occupied.",
          SLIP_CATEGORIES[1],
          "The 2019 Bluebook softened the wording; 'illegally occupied' returned in 2022."),
    "F": ("The islands Russia agreed in 2004 to hand over to China changed hands in 2008.",
          SLIP_CATEGORIES[0], "Yes: signed 14 October 2004, in force 2005, handed over 14 October "
                              "2008."),
}


def slip_key() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The "spot the slip" exercise as (items, key, reasons), each keyed by letter."""
    items = {k: v[0] for k, v in SLIP_ITEMS.items()}
    key = {k: v[1] for k, v in SLIP_ITEMS.items()}
    reasons = {k: v[2].rstrip(".") for k, v in SLIP_ITEMS.items()}
    return items, key, reasons


def slip_exercise() -> Any:
    """A widget: does each statement match the record or not?"""
    items, key, reasons = slip_key()
    return quiz.sorting_quiz(items, SLIP_CATEGORIES, key, reasons)


# --------------------------------------------------------------------------- sources


def used_source_ids() -> list[str]:
    """Source ids of every row this lesson shows, in a stable order."""
    ids = [s for t in data.fact_checks()["source_ids"] for s in t]
    ids += [s for t in _evidence_table()["source_ids"] for s in t]
    docs = data.documents()
    for event in _evidence_table()["id"]:
        ids += [s for t in docs.loc[docs["event_id"] == event, "source_ids"] for s in t]
    timeline = data.timeline().set_index("id")
    for _, row_ids in _PITFALLS:
        ids += [s for i in row_ids for s in timeline.loc[i, "source_ids"]]
    ids += [s for t in data.timeline(topic="china_russia")["source_ids"] for s in t]
    ids += list(data.positions().set_index("id").loc["jp_2019_treaty_after_territory",
                                                      "source_ids"])
    table = geo.islands(group="disputed").set_index("id")
    for ident in geo.DISPUTED_ISLANDS:
        for column in ("area_official_source_ids", "population_source_ids"):
            ids += list(table.loc[ident, column])
    return list(dict.fromkeys(ids))
