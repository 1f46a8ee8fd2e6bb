"""The project's sourced tables, read and validated once, then cached.

Every public function returns a fresh copy, so a notebook may change what it gets
without affecting the next call.
"""

from __future__ import annotations

import copy
import csv
import datetime as _dt
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import pandas as pd

from ._resources import data_root

__all__ = [
    "DataFileError",
    "derived",
    "documents",
    "fact_checks",
    "figure",
    "figures",
    "geo_features",
    "islands_table",
    "positions",
    "resolve_island",
    "sources",
    "timeline",
    "validate",
    "versions",
]

CONFIDENCE = ("high", "medium", "low")
TIMELINE_KINDS = ("treaty", "declaration", "statement", "event", "position", "figure")
TOPICS = ("kuril", "china_russia")
GOVERNMENTS = ("japan", "russia")
POSITION_TOPICS = (
    "sovereignty",
    "wwii_outcome",
    "declaration_1956",
    "security",
    "negotiations",
    "legal_basis",
    "residents",
)
VERDICTS = ("accurate", "partly accurate", "inaccurate", "cannot be checked")
GROUPS = ("disputed", "context", "amur")
SOURCE_KINDS = ("primary", "secondary")
DOCUMENT_LANGUAGES = ("en", "ja", "ru", "fr", "es", "nl", "zh")
GEO_FILES = ("kuril.geojson", "amur_islands.geojson", "amur_boundary_2004.geojson",
             "amur_boundary_pre2004.geojson")

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class DataFileError(ValueError):
    """A data file breaks the data dictionary; names the file, row and column."""

    def __init__(self, file: str, row: int | str | None, column: str | None, problem: str,
                 label: str = "column"):
        self.file, self.row, self.column, self.problem = file, row, column, problem
        where = [f"data/{file}"]
        if row is not None:
            where.append(f"row {row}" if isinstance(row, int) or row == "header" else str(row))
        if column is not None:
            where.append(f"{label} '{column}'")
        super().__init__(", ".join(where) + f": {problem}")


# --------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class _Spec:
    file: str
    columns: tuple[str, ...]
    required: tuple[str, ...] = ()
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    dates: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    integers: tuple[str, ...] = ()
    source_lists: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()  # YAML keys that may be left out (read as "")
    booleans: tuple[str, ...] = ()  # YAML true / false
    ids: tuple[str, ...] = ()  # snake_case ids where given


_SPECS: dict[str, _Spec] = {
    "sources": _Spec(
        "sources.csv",
        ("id", "title", "publisher", "date", "url", "kind", "found_at", "note"),
        required=("id", "title", "url", "kind"),
        enums={"kind": SOURCE_KINDS},
        dates=("date",),
    ),
    "timeline": _Spec(
        "timeline.csv",
        ("id", "date", "title", "kind", "topic", "summary", "source_ids", "confidence", "note"),
        required=("id", "date", "title", "kind", "topic", "summary", "source_ids", "confidence"),
        enums={"kind": TIMELINE_KINDS, "topic": TOPICS, "confidence": CONFIDENCE},
        dates=("date",),
        source_lists=("source_ids",),
    ),
    "positions": _Spec(
        "positions.csv",
        ("id", "date", "government", "speaker", "office", "topic", "statement", "quote",
         "translation", "source_ids", "confidence", "note"),
        required=("id", "date", "government", "speaker", "topic", "statement", "source_ids",
                  "confidence"),
        enums={"government": GOVERNMENTS, "topic": POSITION_TOPICS, "confidence": CONFIDENCE},
        dates=("date",),
        source_lists=("source_ids",),
    ),
    "islands": _Spec(
        "islands.csv",
        ("id", "feature_type", "group", "parent", "name_en", "name_ja", "name_ja_romaji",
         "name_ru", "name_ru_romanised", "name_zh", "area_km2_official",
         "area_official_source_ids", "area_official_note", "area_km2_russian",
         "area_russian_source_ids", "area_russian_note", "population", "population_year",
         "population_unit", "population_source_ids", "population_confidence",
         "population_1945", "households_1945", "population_1945_source_ids",
         "soviet_landing_date", "settlement", "lat", "lon", "coord_source_ids", "confidence",
         "note"),
        required=("id", "feature_type", "group", "name_en", "name_ru", "confidence"),
        enums={"group": GROUPS, "confidence": CONFIDENCE, "population_confidence": CONFIDENCE},
        dates=("soviet_landing_date",),
        numbers=("area_km2_official", "area_km2_russian", "lat", "lon"),
        integers=("population", "population_year", "population_1945", "households_1945"),
        source_lists=("area_official_source_ids", "area_russian_source_ids",
                      "population_source_ids", "population_1945_source_ids",
                      "coord_source_ids"),
    ),
    "figures": _Spec(
        "figures.csv",
        ("id", "value", "unit", "year", "label", "source_ids", "confidence", "note"),
        required=("id", "value", "unit", "label", "source_ids", "confidence"),
        enums={"confidence": CONFIDENCE},
        numbers=("value",),
        dates=("year",),
        source_lists=("source_ids",),
    ),
    "documents": _Spec(
        "documents.yaml",
        ("id", "event_id", "title", "article", "language", "authentic", "text", "translation",
         "source_ids", "confidence", "note", "passage", "no_authentic_text"),
        required=("id", "event_id", "title", "language", "authentic", "text", "translation",
                  "source_ids", "confidence"),
        enums={"language": DOCUMENT_LANGUAGES, "confidence": CONFIDENCE},
        source_lists=("source_ids",),
        optional=("passage", "no_authentic_text"),
        booleans=("authentic",),
        ids=("passage",),
    ),
    "fact_checks": _Spec(
        "fact_checks.yaml",
        ("id", "claim", "verdict", "explanation", "evidence_ids", "source_ids", "confidence"),
        required=("id", "claim", "verdict", "explanation", "source_ids", "confidence"),
        enums={"verdict": VERDICTS, "confidence": CONFIDENCE},
        source_lists=("source_ids", "evidence_ids"),
    ),
}

# Columns of prose, shown in the current language (the other columns are ids, codes, numbers,
# names of sources or exact quotations, and stay as they are).
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "timeline": ("title", "summary", "note"),
    "positions": ("speaker", "office", "statement", "translation", "note"),
    "figures": ("label", "note"),
    "islands": ("area_official_note", "area_russian_note", "population_unit", "settlement", "note"),
    "documents": ("title", "article", "translation", "note"),
    "fact_checks": ("claim", "explanation"),
    "sources": ("note",),
}

_RANGES = {"lat": (-90.0, 90.0), "lon": (-180.0, 180.0)}


# --------------------------------------------------------------------------- parsing


def _records(root: Traversable, spec: _Spec) -> list[dict[str, Any]]:
    """Raw rows of one file as dicts of strings (YAML lists kept as lists)."""
    entry = root / spec.file
    if not entry.is_file():
        raise DataFileError(spec.file, None, None, "file is missing")
    text = entry.read_text(encoding="utf-8")
    if spec.file.endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text))
        header = reader.fieldnames or []
        missing = [c for c in spec.columns if c not in header]
        if missing:
            raise DataFileError(spec.file, "header", missing[0],
                                f"required column is missing (columns present: {', '.join(header)})")
        rows = []
        for n, row in enumerate(reader, start=1):
            if None in row:
                raise DataFileError(spec.file, n, None,
                                    f"has {len(header) + len(row[None])} cells, header has {len(header)}")
            rows.append({k: (v or "").strip() for k, v in row.items()})
        return rows
    import yaml

    try:
        loaded = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise DataFileError(spec.file, None, None, f"is not valid YAML ({exc})") from None
    if not isinstance(loaded, list):
        raise DataFileError(spec.file, None, None, "must be a list of entries")
    rows = []
    for n, item in enumerate(loaded, start=1):
        if not isinstance(item, dict):
            raise DataFileError(spec.file, n, None, "entry is not a mapping")
        for column in spec.columns:
            if column not in item and column not in spec.optional:
                raise DataFileError(spec.file, n, column, "required key is missing")
        row = {column: "" for column in spec.optional}
        row.update({k: ("" if v is None else v) for k, v in item.items()})
        rows.append(row)
    return rows


def _split_ids(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(";") if part.strip()]


def _check_date(spec: _Spec, n: int, column: str, value: str) -> None:
    match = _DATE.match(value)
    ok = bool(match)
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            _dt.date(year, month or 1, day or 1)
        except ValueError:
            ok = False
    if not ok:
        raise DataFileError(spec.file, n, column,
                            f"{value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")


def _check_rows(spec: _Spec, rows: list[dict[str, Any]]) -> None:
    seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        for column in spec.required:
            if row.get(column) in ("", None, []):
                raise DataFileError(spec.file, n, column, "is empty but required")
        ident = str(row["id"])
        if not _ID.match(ident):
            raise DataFileError(spec.file, n, "id", f"{ident!r} is not a lowercase snake_case id")
        if ident in seen:
            raise DataFileError(spec.file, n, "id", f"{ident!r} appears twice")
        seen.add(ident)
        for column in spec.booleans:
            if not isinstance(row.get(column), bool):
                raise DataFileError(spec.file, n, column,
                                    f"{row.get(column)!r} is not true or false")
        for column in spec.ids:
            value = row.get(column, "")
            if value != "" and not (isinstance(value, str) and _ID.match(value)):
                raise DataFileError(spec.file, n, column,
                                    f"{value!r} is not a lowercase snake_case id")
        for column, allowed in spec.enums.items():
            value = row.get(column, "")
            if value != "" and value not in allowed:
                raise DataFileError(spec.file, n, column,
                                    f"{value!r} is not one of: {', '.join(allowed)}")
        for column in spec.dates:
            value = str(row.get(column, ""))
            if value:
                _check_date(spec, n, column, value)
        for column in spec.numbers + spec.integers:
            value = str(row.get(column, ""))
            if not value:
                continue
            try:
                number = int(value) if column in spec.integers else float(value)
            except ValueError:
                kind = "a whole number" if column in spec.integers else "a number"
                raise DataFileError(spec.file, n, column, f"{value!r} is not {kind}") from None
            low, high = _RANGES.get(column, (0, float("inf")))
            if not low <= number <= high:
                raise DataFileError(spec.file, n, column, f"{value!r} is out of range {low}..{high}")


def _check_refs(spec: _Spec, rows: list[dict[str, Any]], column: str, known: set[str],
                what: str) -> None:
    for n, row in enumerate(rows, start=1):
        for ref in _split_ids(row.get(column, "")):
            if ref not in known:
                raise DataFileError(spec.file, n, column, f"unknown {what} {ref!r}")


def _check_passages(rows: list[dict[str, Any]]) -> None:
    """Documents: the language versions of one passage belong to one event; a reason why no
    authentic text is stored belongs only on a text that is not itself authentic."""
    events: dict[str, str] = {}
    for n, row in enumerate(rows, start=1):
        if row["authentic"] and str(row.get("no_authentic_text", "")).strip():
            raise DataFileError("documents.yaml", n, "no_authentic_text",
                                "is given, but this text is authentic (authentic: true)")
        passage = row.get("passage") or ""
        if passage and events.setdefault(passage, row["event_id"]) != row["event_id"]:
            raise DataFileError("documents.yaml", n, "passage",
                                f"{passage!r} belongs to event {events[passage]!r}, "
                                f"not {row['event_id']!r}")


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class _Tables:
    frames: dict[str, pd.DataFrame]
    geo: dict[str, dict[str, Any]]


def _load_geo(root: Traversable) -> dict[str, dict[str, Any]]:
    features: dict[str, dict[str, Any]] = {}
    geo = root / "geo"
    for name in GEO_FILES:
        entry = geo / name
        if not entry.is_file():
            raise DataFileError(f"geo/{name}", None, None, "file is missing")
        try:
            collection = json.loads(entry.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise DataFileError(f"geo/{name}", None, None, f"is not valid JSON ({exc})") from None
        for n, feature in enumerate(collection.get("features", []), start=1):
            props = feature.get("properties") or {}
            ident = props.get("id")
            if not isinstance(ident, str) or not _ID.match(ident):
                raise DataFileError(f"geo/{name}", f"feature {n}", "id",
                                    f"{ident!r} is not a lowercase snake_case id")
            if ident in features:
                raise DataFileError(f"geo/{name}", f"feature {n}", "id", f"{ident!r} appears twice")
            if not feature.get("geometry"):
                raise DataFileError(f"geo/{name}", f"feature {n}", "geometry", "is empty")
            features[ident] = {"file": f"geo/{name}", "n": n, **feature}
    return features


def _load(root: Traversable) -> _Tables:
    raw = {name: _records(root, spec) for name, spec in _SPECS.items()}
    for name, rows in raw.items():
        _check_rows(_SPECS[name], rows)
    source_ids = {row["id"] for row in raw["sources"]}
    for name, spec in _SPECS.items():
        for column in spec.source_lists:
            if column == "evidence_ids":
                continue
            _check_refs(spec, raw[name], column, source_ids, "source id")
    for n, row in enumerate(raw["positions"], start=1):
        if row["quote"] and not row["translation"]:
            raise DataFileError("positions.csv", n, "translation",
                                "is empty, but the row has a quote: say whose words it is in")
    _check_refs(_SPECS["documents"], raw["documents"], "event_id",
                {row["id"] for row in raw["timeline"]}, "timeline id")
    _check_passages(raw["documents"])
    evidence = {row["id"] for key in ("timeline", "documents", "positions") for row in raw[key]}
    _check_refs(_SPECS["fact_checks"], raw["fact_checks"], "evidence_ids", evidence,
                "timeline, document or position id")
    island_ids = {row["id"] for row in raw["islands"]}
    _check_refs(_SPECS["islands"], raw["islands"], "parent", island_ids, "island id")

    geo = _load_geo(root)
    for feature in geo.values():
        parent = (feature.get("properties") or {}).get("parent")
        if parent and parent not in island_ids:
            raise DataFileError(feature["file"], f"feature {feature['n']}", "parent",
                                f"unknown island id {parent!r}")
    parents = {row["parent"] for row in raw["islands"] if row["parent"]}
    for n, row in enumerate(raw["islands"], start=1):
        if row["id"] not in geo and row["id"] not in parents:
            raise DataFileError("islands.csv", n, "id",
                                f"{row['id']!r} has no geometry in data/geo/ and no member features")

    frames = {name: _frame(name, rows) for name, rows in raw.items()}
    return _Tables(frames, geo)


def _frame(name: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    spec = _SPECS[name]
    frame = pd.DataFrame(rows, columns=list(dict.fromkeys([*spec.columns, *(
        k for row in rows for k in row)])))
    for column in spec.numbers:
        frame[column] = pd.to_numeric(frame[column].replace("", None), errors="raise").astype(float)
    for column in spec.integers:
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
    for column in spec.source_lists:
        frame[column] = frame[column].map(lambda v: tuple(_split_ids(v)))
    if "date" in spec.required:
        frame.insert(frame.columns.get_loc("date") + 1, "year",
                     frame["date"].map(lambda d: int(str(d)[:4])).astype(int))
        # dated tables are kept in date order once, so no query has to sort them again
        frame = frame.sort_values(["date", "id"], kind="stable").reset_index(drop=True)
    return frame


@lru_cache(maxsize=4)
def _tables(root_key: str | None = None) -> _Tables:
    return _load(data_root() if root_key is None else Path(root_key))


def _frames() -> dict[str, pd.DataFrame]:
    """The package's tables with their prose columns (:data:`TEXT_COLUMNS`) in the current
    language."""
    from .i18n import catalog, language

    code = language()
    return _localized(code, id(catalog(code)) if code != "en" else 0)


@lru_cache(maxsize=6)
def _localized(code: str, _catalog_key: int) -> dict[str, pd.DataFrame]:
    frames = _tables().frames
    if code == "en":
        return frames
    from .i18n import gettext

    out = {}
    for name, frame in frames.items():
        frame = frame.copy()
        for column in TEXT_COLUMNS.get(name, ()):
            if column in frame.columns:
                frame[column] = frame[column].map(
                    lambda v: gettext(v.strip(), code) if isinstance(v, str) and v.strip() else v)
        out[name] = frame
    return out


def validate(path: str | Path | None = None) -> dict[str, int]:
    """Validate every data file (the package's own, or those in ``path``), lesson content
    included; return row counts.

    Raises :class:`DataFileError` naming the file, row and column of the first problem.
    """
    tables = _load(data_root() if path is None else Path(path))
    counts = {name: len(frame) for name, frame in tables.frames.items()}
    counts["geo_features"] = len(tables.geo)
    from .content import validate_lessons

    counts["lessons"] = len(validate_lessons(path, tables.frames))
    return counts


# --------------------------------------------------------------------------- public tables


def _choice(name: str, value: Any, valid: Iterable[Any]) -> Any:
    valid = list(valid)
    if value not in valid:
        raise ValueError(f"unknown {name} {value!r}; valid {name}s: {', '.join(map(str, valid))}")
    return value


def _choices(name: str, values: str | Sequence[str] | None, valid: Iterable[str]) -> list[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    return [_choice(name, v, valid) for v in values]


def sources() -> pd.DataFrame:
    """The sources table: every other table's ``source_ids`` point here."""
    return _frames()["sources"].copy()


def timeline(
    start: int | None = None,
    end: int | None = None,
    kinds: str | Sequence[str] | None = None,
    topic: str | None = None,
) -> pd.DataFrame:
    """Dated events in order, optionally limited to years ``start``..``end``, kinds and topic."""
    frame = _frames()["timeline"]
    first, last = int(frame["year"].min()), int(frame["year"].max())
    for label, year in (("start", start), ("end", end)):
        if year is not None and not (isinstance(year, int) and first <= year <= last):
            raise ValueError(f"{label} year {year!r} is out of range; valid years: {first}..{last}")
    if start is not None and end is not None and start > end:
        raise ValueError(f"start year {start} is after end year {end}")
    chosen = _choices("kind", kinds, TIMELINE_KINDS)
    if topic is not None:
        _choice("topic", topic, TOPICS)
    mask = pd.Series(True, index=frame.index)
    if start is not None:
        mask &= frame["year"] >= start
    if end is not None:
        mask &= frame["year"] <= end
    if chosen is not None:
        mask &= frame["kind"].isin(chosen)
    if topic is not None:
        mask &= frame["topic"] == topic
    return frame[mask].reset_index(drop=True)


def documents(event_id: str | None = None) -> pd.DataFrame:
    """Exact excerpts of primary texts, each with its translation's origin."""
    frame = _frames()["documents"]
    if event_id is not None:
        _choice("event id", event_id, sorted(set(frame["event_id"])))
        frame = frame[frame["event_id"] == event_id]
    return frame.reset_index(drop=True).copy()


def versions(document_id: str) -> pd.DataFrame:
    """The language versions of one passage (documents sharing the ``passage`` of
    ``document_id``; the document alone if it has none), authentic texts first, and among
    them the current language's first."""
    frame = _frames()["documents"]
    _choice("document id", document_id, list(frame["id"]))
    passage = frame.loc[frame["id"] == document_id, "passage"].iloc[0]
    chosen = frame[frame["passage"] == passage] if passage else frame[frame["id"] == document_id]
    from .i18n import language

    code = language()
    order = chosen.assign(_first=~chosen["authentic"].astype(bool),
                          _local=chosen["language"] != code).sort_values(["_first", "_local"], kind="stable")
    return order.drop(columns=["_first", "_local"]).reset_index(drop=True).copy()


def positions(government: str | None = None, topic: str | None = None) -> pd.DataFrame:
    """Statements of each government's position, by date, speaker and topic."""
    frame = _frames()["positions"]
    if government is not None:
        frame = frame[frame["government"] == _choice("government", government, GOVERNMENTS)]
    if topic is not None:
        frame = frame[frame["topic"] == _choice("topic", topic, POSITION_TOPICS)]
    return frame.reset_index(drop=True)


def figures() -> pd.DataFrame:
    """Single sourced figures (totals, populations) that the lessons quote."""
    return _frames()["figures"].copy()


def figure(figure_id: str) -> float:
    """The value of one figure from :func:`figures`."""
    frame = _frames()["figures"]
    _choice("figure id", figure_id, list(frame["id"]))
    return float(frame.loc[frame["id"] == figure_id, "value"].iloc[0])


def fact_checks() -> pd.DataFrame:
    """Claims of a January 2019 opinion piece, each checked against the record."""
    return _frames()["fact_checks"].copy()


def islands_table() -> pd.DataFrame:
    """The island table without geometry (see :func:`kuril_teaching.islands`)."""
    return _frames()["islands"].copy()


@lru_cache(maxsize=8)
def _derived(name: str) -> Any:
    entry = data_root() / "derived" / f"{name}.json"
    if not entry.is_file():
        raise DataFileError(f"derived/{name}.json", None, None,
                            "file is missing: rebuild it with scripts/build_derived.py")
    try:
        return json.loads(entry.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataFileError(f"derived/{name}.json", None, None, f"is not valid JSON ({exc})") from None


def derived(name: str) -> Any:
    """What ``scripts/build_derived.py`` computed once from the data (``data/derived/<name>.json``):
    results that never change, shipped so that no lesson computes them in front of students."""
    return copy.deepcopy(_derived(name))


def feature_properties() -> dict[str, dict[str, Any]]:
    """The properties of every feature in ``data/geo/``, by id (copies)."""
    return {k: dict(v.get("properties") or {}) for k, v in _tables().geo.items()}


def geo_features() -> dict[str, dict[str, Any]]:
    """GeoJSON features of every file in ``data/geo/``, by id."""
    return copy.deepcopy({k: {key: v[key] for key in ("type", "properties", "geometry")}
                          for k, v in _tables().geo.items()})


def _aliases() -> dict[str, str]:
    table = _frames()["islands"]
    out: dict[str, str] = {}
    for row in table.itertuples():
        names = [row.id, row.name_ja_romaji, row.name_ru_romanised, row.name_ja, row.name_ru,
                 *str(row.name_en).split("/")]
        for name in names:
            key = _normalise(str(name))
            if key:
                out.setdefault(key, row.id)
    return out


def _normalise(name: str) -> str:
    name = name.lower().replace("ō", "o").replace("ū", "u")
    name = re.sub(r"\b(island|islands|islet|ostrov|-tō|-to|-guntō|-shotō)\b", " ", name)
    name = re.sub(r"\(.*?\)", " ", name)
    return re.sub(r"[^\w]+", "", name)


def resolve_island(name: str, valid: Iterable[str] | None = None) -> str:
    """The island id for an id or a Japanese or Russian name (``"Iturup"`` → ``"etorofu"``).

    ``valid`` limits the answer to these ids; the error lists them.
    """
    ids = list(valid) if valid is not None else list(_frames()["islands"]["id"])
    if isinstance(name, str):
        found = name if name in ids else _aliases().get(_normalise(name))
        if found in ids:
            return found
    raise ValueError(f"unknown island {name!r}; valid islands: {', '.join(ids)}")
