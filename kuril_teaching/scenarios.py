"""What would each settlement mean? Scenarios for the four islands, each with its provenance.

Catalogue and sentences: ``data/lessons/05_scenarios_lab.yaml``; figures per side (land, coast,
people, an ILLUSTRATIVE sea picture, not a legal delimitation): :mod:`.scenario_geo`.
"""

from __future__ import annotations

import html
import itertools
import string
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

import pandas as pd

from . import content, data, display, exercises, maps, records
from . import scenario_geo as sg

__all__ = [
    "LESSON", "POSITION_QUESTIONS", "brief_rubric", "catalogue", "custom", "equidistance_demo",
    "exercise", "outcome", "outcome_table", "people_table", "provenance_table", "record_table",
    "scenario_explorer", "scenario_map", "scenario_table", "sea_steps", "sources_used",
]

LESSON = "05_scenarios_lab"
VIEW = (143.6, 42.4, 151.4, 46.8)  # the map opens on the islands; zoom out for the 200-nmi frame
POSITION_QUESTIONS = ("position_japan", "position_russia", "position_both")
_TABLES = {"event": "timeline", "position": "positions", "document": "documents"}
_L = partial(content.lesson, LESSON)  # the lesson's content file (read once, then cached)


@dataclass(frozen=True)
class Scenario:
    """One possible settlement: the land it gives Japan, and who proposed or discussed it."""

    id: str
    name: str
    split: sg.Split
    short: str = ""
    description: str = ""
    proposed_by: str = ""
    date: str = ""
    what_kind: str = ""
    confidence: str = ""
    source_ids: tuple[str, ...] = ()
    records: tuple[tuple[str, str], ...] = ()  # (table, id) of the records behind it
    position_note: str = ""


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Scenario]:
    """The scenarios of the content file, by id, in its order."""
    out = {}
    for e in _L().get("scenarios"):
        split = sg.Split(tuple(e.pop("islands")), e.pop("cut_share", None))
        recs = tuple((_TABLES[k], v) for r in e.pop("records") for k, v in r.items())
        out[e["id"]] = Scenario(**e | {"source_ids": tuple(e["source_ids"])}, split=split, records=recs)
    return out


def _get(scenario: Scenario | str | None) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    cat = catalogue()
    return cat[data._choice("scenario", scenario, cat)] if scenario else next(iter(cat.values()))


def custom(japan_islands: Iterable[str]) -> Scenario:
    """A scenario of your own: these whole islands (ids, Japanese or Russian names) go to Japan."""
    chosen = [japan_islands] if isinstance(japan_islands, str) else list(japan_islands)
    split = sg.Split(tuple(records.resolve(i, sg.ISLANDS) for i in chosen))
    names = _names(split.islands) if split.islands else _L().text("strings.custom.no_island")
    return Scenario("custom", _L().text("strings.custom.name", islands=names), split,
                    **_L().get("strings.custom.scenario"))


def outcome(scenario: Scenario | str) -> dict[str, dict[str, float]]:
    """Measure → side → value (see :func:`kuril_teaching.scenario_geo.figures`)."""
    return sg.figures(_get(scenario).split)


def _names(pieces: Iterable[str], form: str = "en") -> str:
    """Names of land pieces (a cut island's part named as such), or "none"."""
    names = [_L().text(f"strings.cut_part.{side}", name=records.name(i, form)) if side else
             records.name(i, form) for i, _, side in (p.partition(":") for p in pieces)]
    return ", ".join(names) or _L().text("strings.no_island")


def _value(measure: str, x: float, as_text: bool = False) -> Any:
    """A figure as the tables show it: shares in %, areas of land to 0.1 km², others whole."""
    if measure.endswith("share"):
        return f"{100 * x:.1f} %"
    digits = 1 if measure in ("land_km2", "official_km2") else 0
    return f"{x:,.{digits}f}" if as_text else round(x, digits or None)


def _frame(rows: list[dict[str, Any]], table: str) -> pd.DataFrame:
    """Rows keyed as in the content file, under its column headers ``tables.<table>``."""
    headers = {k: v for k, v in _L().get(f"tables.{table}").items() if isinstance(v, str)}
    return pd.DataFrame(rows).rename(columns=headers)


def provenance_table(compact: bool = False) -> pd.DataFrame:
    """Who proposed or discussed each scenario, when, what kind of statement it is, and sources.

    ``compact``: only each scenario's short name, its land to Japan, what kind and date."""
    rows = [{"scenario": s.short if compact else s.name, "land": _names(s.split.pieces()["japan"]),
             "proposed_by": s.proposed_by, "date": display.long_date(s.date),
             "what_kind": s.what_kind, "confidence": s.confidence,
             "sources": list(s.source_ids)} for s in catalogue().values()]
    if compact:
        rows = [{k: r[k] for k in ("scenario", "land", "what_kind", "date")} for r in rows]
    return _frame(rows, "provenance")


def record_table() -> pd.DataFrame:
    """The dated records (timeline, positions, documents) each scenario's provenance rests on."""
    rows = []
    for s in catalogue().values():
        for table, ident in s.records:
            r = records.row(table, ident)  # a document has no date of its own
            rows.append({"scenario": s.id, "date": display.long_date(r["date"]) if "date" in r else "",
                         "record": _L().text(f"strings.record.in_{table}", **r),
                         "confidence": r["confidence"], "sources": list(r["source_ids"]), "id": ident})
    return _frame(rows, "records")


def scenario_table(part: str = "all") -> pd.DataFrame:
    """One row per scenario with its figures (``part``: ``all``, ``land``, ``people`` or ``sea``)."""
    groups = {k: v for k, v in _L().get("tables.scenarios").items() if isinstance(v, dict)}
    data._choice("part", part, ["all", *groups])
    columns = {k: h for g, cols in groups.items() if part in ("all", g) for k, h in cols.items()}
    rows = [{"scenario": s.name, **{h: _value(m, outcome(s)[m][side]) for m, side, h in
                                    ((*k.split("/"), h) for k, h in columns.items())}}
            for s in catalogue().values()]
    return _frame(rows, "scenarios")


def people_table() -> pd.DataFrame:
    """Residents of each island today and in 1945, with year, what the figure counts, confidence."""
    return _frame([{"name": records.name(r["id"]), "residents": r["population"], "year": r["population_year"],
                    "counts": r["population_unit"], "confidence": r["population_confidence"],
                    "residents_1945": r["population_1945"],
                    "sources": [*r["population_source_ids"], *r["population_1945_source_ids"]]}
                   for r in records.rows("islands", sg.ISLANDS)], "people")


def outcome_table(scenario: Scenario | str) -> pd.DataFrame:
    """One scenario side by side: a row per measure, a column per side, and a note."""
    s, spec = _get(scenario), _L().get("tables.outcome")
    o, pieces, cut = outcome(s), s.split.pieces(), s.split.cut
    rows = []
    for measure, row in spec["rows"].items():
        cells = {side: _names(pieces[side]) if measure == "pieces" else
                 _value(measure, o[measure][side], as_text=True) for side in sg.SIDES}
        note = row.get("note", "")
        if measure == "residents" and cut:
            note += " " + _L().text("strings.cut_residents", island=records.name(cut, "short"),
                                    settlement=records.row("islands", cut)["settlement"])
        rows.append({"measure": row["label"], **cells, "note": note})
    return _frame(rows, "outcome").set_index(spec["measure"])


def equidistance_demo() -> pd.DataFrame:
    """Distances from points on the median line (first scenario) to each side's nearest land."""
    return _frame([{"point": _L().text("strings.point", lat=p["lat"], lon=p["lon"]),
                    **{s: p[s] for s in sg.SIDES}} for p in sg.median_points(_get(None).split)], "demo")


def _steps() -> list[dict[str, Any]]:
    cat = catalogue()
    return [{"step": _L().text("strings.step", before=cat[a].short, after=cat[b].short),
             **sg.step_gains(cat[a].split, cat[b].split)}
            for a, b in itertools.pairwise(_L().get("sea_steps"))]


def sea_steps() -> pd.DataFrame:
    """Going from one scenario to the next: land and sea (share of the window) gained by Japan."""
    return _frame(_steps(), "steps")


def brief_rubric() -> pd.DataFrame:
    """The teacher's rubric for the policy brief: criterion, what a strong brief does, points."""
    return _frame(_L().get("exercises.brief.rubric"), "rubric")


def scenario_map(scenario: Scenario | str | None = None, height: int = 520) -> maps.OfflineMap:
    """Map of a scenario: land coloured by side, the 200-nmi window divided at the median line."""
    s, L = _get(scenario), _L()
    split, o, sea, sides = s.split, outcome(s), sg.sea(s.split), L.get("strings.sides")
    layers: list[maps.Land | maps.Line | maps.Sea] = []
    for side, pieces in split.pieces().items():
        for piece in pieces:
            label = L.text("map.land", name=_names([piece], "full"), side=sides[side])
            layers.append(maps.Land(meaning=side, shape=sg.land(split, piece), label=label)
                          if ":" in piece else maps.Land((piece,), side, label=label))
    if not sea["median_line"].is_empty:
        layers.append(maps.Line(sea["median_line"], L.text("map.median_line"), weight=2))
    if split.cut:
        layers.append(maps.Line(sg.cut_parts(split)["line"], L.text("map.cut_line"), dashed=False, weight=2))
    for layer, opacity in (("zone", 0.18), ("territorial_sea", 0.35)):
        for side in sg.SIDES:
            tip = L.text(f"map.{layer}", side=sides[side], km2=f"{o[layer + '_km2'][side]:,.0f}")
            layers.append(maps.Sea(sea["display"][layer][side], side, tip, opacity))
    return maps.lesson_map(layers, s.name, L.text("map.subtitle"), legend=L.get("map.legend"),
                           view=VIEW, height=height)


def _figures_html(s: Scenario) -> str:
    e, text = html.escape, _L().text
    parts = [f"<b>{e(s.name)}</b>", e(s.description)]
    if s.source_ids:
        who = text("explorer.proposed", who=s.proposed_by, date=display.long_date(s.date))
        parts.append(f"<small>{e(who)} · {display.confidence(s.confidence).text}</small>")
    if s.split.cut:
        note = text("explorer.cut_note", island=records.name(s.split.cut, "short"))
        parts.append(f"<small>{e(note)}</small>")
    return f"<p>{'<br>'.join(parts)}</p>{display.table(outcome_table(s)).text}"


def scenario_explorer(start: str | None = None) -> Any:
    """A widget: pick a scenario, or tick islands one by one; the figures and the map update.

    Handles: ``picker`` (dropdown), ``boxes`` (a checkbox per island), ``view`` (figures, map)."""
    import ipywidgets as w

    cat, text = catalogue(), _L().text
    options = [(s.name, s.id) for s in cat.values()] + [(text("explorer.custom"), "custom")]
    picker = w.Dropdown(options=options, value=_get(start).id, description=text("explorer.picker"),
                        layout=w.Layout(width="620px"), style={"description_width": "initial"})
    boxes = {i: w.Checkbox(description=records.name(i), indent=False, layout=w.Layout(width="auto"))
             for i in sg.ISLANDS}

    def render(value: str) -> str:
        chosen = custom(i for i, b in boxes.items() if b.value) if value == "custom" else cat[value]
        for island, box in boxes.items():  # a cut island is ticked too
            box.value = island in chosen.split.touched
        return _figures_html(chosen) + scenario_map(chosen, height=420)._repr_html_()

    def tick(island: str, ticked: bool) -> None:
        if picker.value == "custom":
            widget.view.value = render("custom")
        elif ticked != (island in cat[picker.value].split.touched):  # a tick of one's own
            picker.value = "custom"  # renders

    widget = display.linked(picker, render)
    for island, box in boxes.items():
        box.observe(lambda change, i=island: tick(i, change["new"]), names="value")
    label = w.HTML(f"<b>{html.escape(text('explorer.to_japan'))}</b>&nbsp;")
    widget.children = (picker, w.HBox([label, *boxes.values()]), widget.view)
    widget.picker, widget.boxes = picker, boxes
    return widget


def exercise(ident: str) -> exercises.Exercise:
    """The lesson's exercise ``ident`` (see the content file), its key computed from the figures."""
    L, cat = _L(), catalogue()
    data._choice("exercise", ident, L.get("exercises"))
    spec = L.get(f"exercises.{ident}")
    if ident == "ranking":  # items A, B, … ranked by Japan's land share; equal land, equal rank
        ranks = spec["categories"]
        ranked = sg.land_ranks({i: s.split for i, s in cat.items()}, len(ranks))
        letter = dict(zip(cat, string.ascii_uppercase, strict=False))
        reasons = {letter[i]: L.text("strings.rank_reason", share=_value("share", share), rank=ranks[r])
                   for i, (share, r) in ranked.items()}
        hints = {letter[i]: h for i, h in spec.get("hints", {}).items()}  # by scenario id in the file
        return L.exercise(ident, items={letter[i]: s.name for i, s in cat.items()}, reasons=reasons,
                          key={letter[i]: ranks[r] for i, (_, r) in ranked.items()}, hints=hints)
    if ident == "sea_question":  # the step of sea_steps() moving the most sea
        rows = _steps()
        best = max(rows, key=lambda r: r["sea_share"])
        why = {r["step"]: L.text(f"strings.sea_step_why.{'best' if r is best else 'other'}", **r,
                                 best=best["step"], best_sea=best["sea_share"]) for r in rows}
        return L.exercise(ident, options=[r["step"] for r in rows], answer=best["step"], why=why)
    if ident in POSITION_QUESTIONS:  # the scenario closest to what a government stated
        quotes = {f"quote_{n}": L.text("strings.quote", words=r["quote"] or r["statement"],
                                       speaker=r["speaker"], date=display.long_date(r["date"]))
                  for n, r in enumerate(records.rows("positions", spec["positions"]), 1)}
        why = {s.name: s.position_note for s in cat.values() if s.position_note}
        why |= {_get(k).name: L.text(f"exercises.{ident}.why.{k}", **quotes) for k in spec["why"]}
        return L.exercise(ident, options=[s.name for s in cat.values()], values=quotes,
                          answer=_get(spec["answer"]).name, why=why)
    return L.exercise(ident)


def sources_used() -> list[str]:
    """Ids of every source behind the scenarios, figures and records this lesson shows."""
    cat = catalogue().values()
    ids = [i for s in cat for i in s.source_ids]
    ids += [i for s in cat for table, r in s.records for i in records.sources_of(table, [r])]
    ids += records.sources_of("islands", sg.ISLANDS, ("area_official_source_ids", "population_source_ids",
                                                      "population_1945_source_ids", "coord_source_ids"))
    ids += records.sources_of("figures", _L().get("sources.figures"))
    ids += records.sources_of("positions", [p for q in POSITION_QUESTIONS
                                            for p in _L().get(f"exercises.{q}.positions")])
    return list(dict.fromkeys(ids))
