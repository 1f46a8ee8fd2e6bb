"""Reading the news: checking the claims of a January 2019 opinion piece against the record.

The claims are the project's own paraphrases (the fact-check table); the piece itself is never
quoted. The claim checker compares a verdict and a cited evidence row with the fact check and
shows the record behind it; the project's verdict comes only after two wrong tries or on "Show
the answer". Every sentence shown comes from ``data/lessons/06_reading_the_news.yaml``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from . import content, data, display, records
from .display import Html, long_date
from .exercises import REASONS_AFTER, Choice, Exercise, Feedback

__all__ = [
    "LESSON", "check_claim", "china_order", "claim_answer", "claim_checker", "claim_letter", "claims",
    "details", "evidence_rows", "exercise", "pitfalls", "record", "source_trail", "sources_used",
    "terms_table", "trail_questions",
]

LESSON = "06_reading_the_news"
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_EVIDENCE_TABLES = ("timeline", "positions", "documents")
# A sentence of a record's note that points to a fact check (by its id, in every language)
# states its verdict's reason.
_NAMES_A_CHECK = re.compile(r"\bfact check\b|\bfc_[a-z0-9_]+", re.IGNORECASE)


def _lesson() -> content.Lesson:
    return content.lesson(LESSON)


def _frame(rows: list[dict[str, Any]], name: str, columns: Sequence[str] | None) -> pd.DataFrame:
    """Rows as a table headed as the content file says; ``columns`` picks columns by key."""
    headers = _lesson().get(f"columns.{name}")
    chosen = list(headers) if columns is None else [data._choice("column", c, headers) for c in columns]
    return pd.DataFrame(rows, columns=list(headers))[chosen].rename(columns=headers)


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def _claim_ids() -> list[str]:
    return list(records.table("fact_checks")["id"])


def _claim(claim_id: str) -> dict[str, Any]:
    data._choice("claim id", claim_id, _claim_ids())
    return records.row("fact_checks", claim_id)


def claim_letter(claim_id: str) -> str:
    """The letter a claim carries in this lesson: ``(a)`` for the first fact check, and so on."""
    ids = _claim_ids()
    data._choice("claim id", claim_id, ids)
    return f"({_LETTERS[ids.index(claim_id)]})"


def claims(verdicts: bool = False) -> pd.DataFrame:
    """The checkable claims in the project's words, lettered; ``verdicts=True`` adds the key."""
    rows = [{"claim": f"({_LETTERS[n]})", "id": c["id"], "text": c["claim"], "verdict": c["verdict"],
             "why": c["explanation"], "evidence": ", ".join(c["evidence_ids"]),
             "confidence": c["confidence"]}
            for n, c in enumerate(records.table("fact_checks").to_dict("records"))]
    return _frame(rows, "claims", None if verdicts else ["claim", "id", "text"])


def _evidence() -> list[dict[str, Any]]:
    """Every row a fact check cites, by date: its table, date, title, sources, citing claims."""
    checks = records.table("fact_checks")
    cited: dict[str, list[str]] = {}
    for claim_id, ids in zip(checks["id"], checks["evidence_ids"], strict=True):
        for ident in ids:
            cited.setdefault(ident, []).append(claim_id)
    where = {i: t for t in _EVIDENCE_TABLES for i in records.table(t)["id"]}
    lesson = _lesson()
    out = []
    for ident, by in cited.items():
        table = where[ident]
        row = records.row(table, ident)
        title, date = row.get("title"), row.get("date")
        if table == "positions":
            title = lesson.text("evidence.position_title", speaker=row["speaker"], office=row["office"],
                                statement=row["statement"])
        elif table == "documents":
            date = records.row("timeline", row["event_id"])["date"]
        out.append({"id": ident, "table": table, "date": str(date), "title": str(title),
                    "confidence": row["confidence"], "sources": tuple(row["source_ids"]),
                    "cited_by": tuple(by)})
    return sorted(out, key=lambda r: (r["date"], r["id"]))


def evidence_rows(claim_id: str | None = None, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Every row any fact check rests on (the pool to cite from), by date; or one claim's."""
    rows = _evidence()
    if claim_id is not None:
        wanted = _claim(claim_id)["evidence_ids"]
        rows = [r for r in rows if r["id"] in wanted]
    shown = [{**r, "date": long_date(r["date"]), "sources": ", ".join(r["sources"]),
              "cited_by": ", ".join(claim_letter(c) for c in r["cited_by"])} for r in rows]
    return _frame(shown, "evidence", columns)


def _unjudged(note: Any) -> str:
    """A note without its sentences that point to a fact check (they give its verdict away)."""
    sentences = re.split(r"(?<=[.!?])\s+|(?<=。)", str(note or "").strip())
    return " ".join(s for s in sentences if s and not _NAMES_A_CHECK.search(s)).replace("。 ", "。")


def record(claim_id: str, judged: bool = True) -> Html:
    """The record behind one claim: timeline rows, positions, documents, each part oldest first.

    ``judged=False`` leaves out the sentences of notes that point to a fact check: the claim
    checker shows the record so before the student has the verdict."""
    claim = _claim(claim_id)
    lesson = _lesson()
    rows = [r for r in _evidence() if r["id"] in claim["evidence_ids"]]
    ids = {t: [r["id"] for r in rows if r["table"] == t] for t in _EVIDENCE_TABLES}
    docs = records.table("documents")
    quoted = [d for r in rows for d in ([r["id"]] if r["table"] == "documents"
                                        else list(docs.loc[docs["event_id"] == r["id"], "id"]))]
    head = lesson.text("checker.record_head", letter=claim_letter(claim_id), count=len(rows))
    parts = [f"<p><b>{html.escape(head)}</b></p>"]
    if ids["timeline"]:
        events = records.rows("timeline", ids["timeline"])
        if not judged:
            events = [{**e, "note": _unjudged(e["note"])} for e in events]
        parts.append(display.events(pd.DataFrame(events), notes=True).text)
    if ids["positions"]:
        parts.append(display.side_by_side(ids["positions"]).text)
        for pos in records.rows("positions", ids["positions"]):
            note = pos["note"] if judged else _unjudged(pos["note"])
            if note:
                who = lesson.text("checker.position_note", speaker=pos["speaker"],
                                  date=long_date(pos["date"]))
                parts.append(f"<p><small>{html.escape(who)}</small> "
                             f"{display.confidence(pos['confidence'], note).text}</p>")
    parts += [display.quote(d).text for d in dict.fromkeys(quoted)]
    return Html("".join(parts))


def check_claim(claim_id: str, verdict: str | None, evidence_id: str | None,
                tries: int = 0) -> Feedback:
    """Check a verdict on one claim and the cited row; ``tries`` counts the wrong checks before.

    A wrong verdict gets a hint that depends only on the verdict chosen; the project's verdict
    comes after ``REASONS_AFTER`` wrong tries. A row counts when the project's fact check of
    that claim rests on it; a row of another claim's check is named as such."""
    claim = _claim(claim_id)
    if verdict is not None:
        data._choice("verdict", verdict, data.VERDICTS)
    pool = {r["id"]: r for r in _evidence()}
    if evidence_id is not None:
        data._choice("evidence id", evidence_id, pool)
    lesson = _lesson()
    if verdict is None or evidence_id is None:
        missing = "both" if verdict is None and evidence_id is None else \
            "verdict" if verdict is None else "evidence"
        return Feedback(False, lesson.text(f"checker.missing.{missing}"))
    letter, right, labels = claim_letter(claim_id), claim["verdict"], lesson.get("checker.verdicts")
    if verdict == right:
        parts = [lesson.text("checker.verdict_right", letter=letter, verdict=labels[right],
                             confidence=claim["confidence"], explanation=claim["explanation"])]
    elif tries >= REASONS_AFTER:
        parts = [lesson.text("checker.verdict_revealed", verdict=labels[verdict], letter=letter,
                             right=labels[right], confidence=claim["confidence"],
                             explanation=claim["explanation"])]
    else:
        parts = [lesson.text("checker.verdict_wrong", verdict=labels[verdict], letter=letter,
                             hint=lesson.text(f"checker.hints.{verdict}"))]
    wanted = list(claim["evidence_ids"])
    title = _short(pool[evidence_id]["title"], 70)
    if evidence_id in wanted:
        parts.append(lesson.text("checker.evidence_right", row=evidence_id, title=title,
                                 count=len(wanted)))
    else:
        others = ", ".join(claim_letter(c) for c in pool[evidence_id]["cited_by"])
        parts.append(lesson.text("checker.evidence_wrong", row=evidence_id, title=title,
                                 others=others, letter=letter))
    return Feedback(verdict == right and evidence_id in wanted, " ".join(parts))


def claim_answer(claim_id: str) -> str:
    """What "Show the answer" says: the project's verdict, its reasons and the rows it rests on."""
    claim = _claim(claim_id)
    lesson = _lesson()
    return lesson.text("checker.answer", letter=claim_letter(claim_id),
                       verdict=lesson.get("checker.verdicts")[claim["verdict"]],
                       confidence=claim["confidence"], explanation=claim["explanation"],
                       rows=", ".join(claim["evidence_ids"]))


def claim_checker(start: str | None = None) -> Any:
    """A widget: choose a claim, a verdict and the row you cite, press Check; the record follows.

    The record leaves out notes that give the verdict away until the verdict is right, has been
    missed ``REASONS_AFTER`` times, or is shown by "Show the answer". Handles: ``claim``,
    ``verdict``, ``evidence``, ``button``, ``reveal``, ``feedback``."""
    import ipywidgets as w

    ids = _claim_ids()
    start = ids[0] if start is None else data._choice("claim id", start, ids)
    lesson = _lesson()
    texts = dict(zip(ids, records.table("fact_checks")["claim"], strict=True))
    verdicts = dict(zip(ids, records.table("fact_checks")["verdict"], strict=True))
    wide = w.Layout(width="720px")

    def claim_html(claim_id: str) -> str:
        line = lesson.text("checker.claim_text", letter=claim_letter(claim_id), text=texts[claim_id])
        return f"<div style='max-width:720px'>{html.escape(line)}</div>"

    claim = w.Dropdown(options=[(f"{claim_letter(i)} {_short(texts[i], 80)}", i) for i in ids],
                       value=start, description=lesson.text("checker.claim_label"), layout=wide)
    shown = w.HTML(claim_html(start))
    labels = lesson.get("checker.verdicts")
    verdict = w.RadioButtons(options=[(labels[v], v) for v in data.VERDICTS], value=None,
                             description=lesson.text("checker.verdict_label"))
    rows = [(f"{long_date(r['date'])} · {_short(r['title'], 70)} [{r['id']}]", r["id"])
            for r in _evidence()]
    evidence = w.Dropdown(options=[(lesson.text("checker.choose_row"), None), *rows], value=None,
                          description=lesson.text("checker.evidence_label"), layout=wide)
    button = w.Button(description=content.text("widget.check"), button_style="primary")
    reveal = w.Button(description=content.text("widget.show_answer"))
    feedback = w.HTML()
    tries = {i: 0 for i in ids}  # wrong checks of each claim

    def new_claim(change: Any) -> None:
        shown.value = claim_html(change["new"])
        verdict.value, evidence.value, feedback.value = None, None, ""

    def on_check(_b: Any = None) -> None:
        now = claim.value
        result = check_claim(now, verdict.value, evidence.value, tries[now])
        chosen = verdict.value is not None and evidence.value is not None
        judged = verdict.value == verdicts[now] or tries[now] >= REASONS_AFTER
        if chosen and not result.correct:
            tries[now] += 1
        feedback.value = result._repr_html_() + (record(now, judged=judged).text if chosen else "")

    def on_reveal(_b: Any = None) -> None:
        answer = html.escape(claim_answer(claim.value))
        feedback.value = (f'<div class="kt-feedback" style="border-left:4px solid #555;'
                          f'padding:4px 8px">{answer}</div>{record(claim.value).text}')

    claim.observe(new_claim, names="value")
    button.on_click(on_check)
    reveal.on_click(on_reveal)
    box = w.VBox([claim, shown, verdict, evidence, w.HBox([button, reveal]), feedback])
    box.claim, box.verdict, box.evidence = claim, verdict, evidence
    box.button, box.reveal, box.feedback = button, reveal, feedback
    return box


def china_order(columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The Russia-China border and treaty documents in date order, with sources."""
    frame = data.timeline(topic="china_russia")
    frame = frame[frame["kind"].isin(["treaty", "declaration"]) |
                  frame["id"].str.contains("transfer|ratification")]
    rows = [{"date": long_date(r["date"]), "what": r["title"], "type": r["kind"],
             "confidence": r["confidence"], "sources": ", ".join(r["source_ids"]), "id": r["id"]}
            for r in frame.to_dict("records")]
    return _frame(rows, "china", columns)


def terms_table() -> pd.DataFrame:
    """The four islands: names, official area, share of the land, and the 1956 terms."""
    lesson = _lesson()
    named = set(lesson.get("terms.named_1956.islands"))
    islands = records.rows("islands", records.FOUR_ISLANDS)
    total = sum(float(r["area_km2_official"]) for r in islands)
    rows = [{"name": records.name(r["id"]), "japanese": records.name(r["id"], "ja"),
             "russian": records.name(r["id"], "ru"), "area": float(r["area_km2_official"]),
             "share": f"{100 * float(r['area_km2_official']) / total:.1f} %",
             "named": lesson.text("terms.named" if r["id"] in named else "terms.not_named"),
             "sources": ", ".join(r["area_official_source_ids"])} for r in islands]
    return _frame(rows, "terms", None)


def source_trail(claim_id: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The sources of one fact check, primary first: who published it, where it was read."""
    lesson = _lesson()
    rows = [{"source": s["id"], "type": s["kind"], "publisher": s["publisher"],
             "date": long_date(s["date"]) if s["date"] else lesson.text("trail.not_dated"),
             "title": s["title"], "read_at": s["found_at"] or lesson.text("trail.read_at_url"),
             "note": s["note"]} for s in records.rows("sources", _claim(claim_id)["source_ids"])]
    rows.sort(key=lambda r: data.SOURCE_KINDS.index(r["type"]))
    return _frame(rows, "trail", columns)


def pitfalls(columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Dates and venues that are easy to get wrong, each with the record and where sources differ."""
    rows = []
    # The notes that speak of a date, found in the English source, shown as translated.
    frame = data._tables().frames["timeline"]
    english = dict(zip(frame["id"].astype(str), frame["note"].astype(str), strict=True))
    for item in _lesson().get("pitfalls"):
        events = records.rows("timeline", item["events"])
        rows.append({"text": item["text"],
                     "record": "; ".join(f"{long_date(e['date'])}: {e['title']}" for e in events),
                     "differ": " ".join(str(e["note"]) for e in events
                                        if "date" in english[str(e["id"])].lower()),
                     "rows": ", ".join(item["events"])})
    return _frame(rows, "pitfalls", columns)


def details(key: str, shown: Any) -> Html:
    """``shown`` (a table, a quote) in a closed section that opens on a click, with the lesson's
    ``details.<key>`` text as its summary: optional reading."""
    lesson = _lesson()
    data._choice("optional section", key, list(lesson.get("details")))
    return display.details(lesson.text(f"details.{key}"), shown)


def exercise(ident: str) -> Exercise:
    """An exercise of this lesson, with what it quotes from the data filled in."""
    lesson = _lesson()
    data._choice("exercise", ident, lesson.get("exercises"))
    spec = lesson.get(f"exercises.{ident}")
    if ident == "trail_unrealistic":
        suga = records.row("positions", spec["position"])
        cited = records.rows("sources", records.row("fact_checks", spec["fact_check"])["source_ids"])
        kyodo = [s["id"] for s in cited if "kyodo" in str(s["title"]).lower()]
        return lesson.exercise(ident, values={"suga_confidence": suga["confidence"],
                                              "kyodo": ", ".join(kyodo)})
    if ident == "trail_repost":
        repost = records.row("sources", spec["source_ids"][0])
        return lesson.exercise(ident, values={"repost_note": repost["note"]})
    return lesson.exercise(ident)


def trail_questions() -> list[Choice]:
    """The two questions on tracing a report back to its primary source."""
    return [exercise("trail_unrealistic"), exercise("trail_repost")]


def sources_used() -> list[str]:
    """Source ids of every row this lesson shows, in a stable order."""
    lesson = _lesson()
    ids = records.sources_of("fact_checks", _claim_ids())
    evidence = _evidence()
    for row in evidence:
        ids += records.sources_of(row["table"], [row["id"]])
    docs = records.table("documents")
    ids += records.sources_of("documents", [d for r in evidence
                                            for d in docs.loc[docs["event_id"] == r["id"], "id"]])
    ids += records.sources_of("timeline", [e for p in lesson.get("pitfalls") for e in p["events"]])
    ids += records.sources_of("timeline", data.timeline(topic="china_russia")["id"])
    ids += records.sources_of("positions", [lesson.get("exercises.trail_unrealistic.position")])
    ids += records.sources_of("islands", records.FOUR_ISLANDS,
                              ("area_official_source_ids", "population_source_ids"))
    return list(dict.fromkeys(ids))
