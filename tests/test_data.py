"""The data tables: valid as shipped, and every kind of corruption caught with file, row, column."""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

import kuril_teaching as kt
from kuril_teaching import data
from kuril_teaching._resources import data_root

DATA = Path(str(data_root()))


def test_shipped_data_is_valid() -> None:
    counts = kt.validate()
    assert counts["timeline"] >= 40
    assert counts["sources"] >= 30
    assert counts["documents"] >= 10
    assert counts["positions"] >= 16
    assert counts["fact_checks"] >= 6


def test_every_source_is_used() -> None:
    used: set[str] = set()
    for frame in (kt.timeline(), kt.documents(), kt.positions(), kt.figures(), kt.fact_checks()):
        used.update(s for ids in frame["source_ids"] for s in ids)
    table = data.islands_table()
    for column in [c for c in table.columns if c.endswith("source_ids")]:
        used.update(s for ids in table[column] for s in ids)
    unused = set(kt.sources()["id"]) - used
    assert not unused, f"sources listed but never cited: {sorted(unused)}"


def test_sources_have_links_and_kinds() -> None:
    table = kt.sources()
    assert table["url"].str.match(r"^https?://").all()
    assert set(table["kind"]) <= {"primary", "secondary"}
    assert (table["kind"] == "primary").sum() >= 10


def test_timeline_spans_the_history_in_order() -> None:
    events = kt.timeline()
    assert events["year"].min() <= 1644 and events["year"].max() >= 2022
    assert list(events["date"]) == sorted(events["date"])
    for date in events["date"]:
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date)
    assert (events["year"] == events["date"].str[:4].astype(int)).all()


def test_timeline_filters() -> None:
    treaties = kt.timeline(kinds="treaty")
    assert set(treaties["kind"]) == {"treaty"}
    window = kt.timeline(start=1945, end=1956)
    assert window["year"].between(1945, 1956).all() and len(window) >= 5
    china = kt.timeline(topic="china_russia")
    assert set(china["topic"]) == {"china_russia"}
    assert len(china) + len(kt.timeline(topic="kuril")) == len(kt.timeline())


@pytest.mark.parametrize(
    ("call", "bad"),
    [
        (lambda: kt.timeline(start=1500), "1500"),
        (lambda: kt.timeline(end=2200), "2200"),
        (lambda: kt.timeline(kinds=["battle"]), "battle"),
        (lambda: kt.timeline(topic="korea"), "korea"),
        (lambda: kt.positions(government="china"), "china"),
        (lambda: kt.positions(topic="fishing"), "fishing"),
        (lambda: kt.documents(event_id="treaty_of_nowhere"), "treaty_of_nowhere"),
        (lambda: kt.figure("moon_area"), "moon_area"),
        (lambda: kt.source_list(["no_such_source"]), "no_such_source"),
        (lambda: kt.resolve_island("Honshu"), "Honshu"),
    ],
)
def test_bad_input_names_value_and_choices(call: Callable[[], object], bad: str) -> None:
    with pytest.raises(ValueError) as info:
        call()
    message = str(info.value)
    assert bad in message
    assert "valid" in message


def test_start_after_end_is_refused() -> None:
    with pytest.raises(ValueError, match="after"):
        kt.timeline(start=1990, end=1950)


def test_island_names_resolve_in_both_languages() -> None:
    assert kt.resolve_island("Iturup") == "etorofu"
    assert kt.resolve_island("Etorofu") == "etorofu"
    assert kt.resolve_island("択捉島") == "etorofu"
    assert kt.resolve_island("Kunashir") == "kunashiri"
    assert kt.resolve_island("Шикотан") == "shikotan"
    assert kt.resolve_island("shibotsu") == "shibotsu"


def test_positions_balance_both_governments() -> None:
    table = kt.positions()
    counts = table["government"].value_counts()
    assert counts["japan"] >= 8 and counts["russia"] >= 8
    assert table["statement"].str.len().min() > 20


def test_documents_say_where_each_translation_comes_from() -> None:
    docs = kt.documents()
    assert docs["translation"].str.len().min() > 5
    art9 = docs[(docs["event_id"] == "joint_declaration_1956") & docs["article"].str.contains("9")]
    island = {"en": "Shikot", "fr": "Shikot", "ja": "色丹", "ru": "котан"}
    assert all(island[r.language] in r.text for r in art9.itertuples())
    assert len(art9) >= 2, "Article 9 in more than one translation"


def test_source_list_renders_links() -> None:
    ids = list(kt.sources()["id"][:3])
    shown = kt.source_list(ids)
    assert len(shown) == 3
    page = shown._repr_html_()
    assert page.count("<li>") == 3 and 'href="http' in page
    assert shown._repr_markdown_().count("\n- ") == 2


# --------------------------------------------------------------------------- corrupted copies


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def _edit_csv(path: Path, row: int, column: str, value: str | None) -> None:
    """Set (or with ``value=None`` drop) a cell; ``row`` counts data rows from 1."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    if value is None:
        fields.remove(column)
        for r in rows:
            r.pop(column)
    else:
        rows[row - 1][column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def _edit_yaml(path: Path, entry: int, key: str, value: object) -> None:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    if value is None:
        items[entry - 1].pop(key)
    else:
        items[entry - 1][key] = value
    path.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")


CSV_CORRUPTIONS = [
    ("timeline.csv", 3, "date", "1855-13-40", "not an ISO date"),
    ("timeline.csv", 2, "source_ids", "no_such_source", "unknown source id"),
    ("timeline.csv", 4, "kind", "battle", "not one of"),
    ("timeline.csv", 1, "source_ids", None, "required column is missing"),
    ("sources.csv", 2, "kind", "tertiary", "not one of"),
    ("sources.csv", 1, "url", None, "required column is missing"),
    ("positions.csv", 2, "government", "china", "not one of"),
    ("positions.csv", 3, "date", "January 2019", "not an ISO date"),
    ("positions.csv", 1, "source_ids", "missing_source", "unknown source id"),
    ("islands.csv", 2, "parent", "atlantis", "unknown island id"),
    ("islands.csv", 1, "area_km2_official", "about 3000", "is not a number"),
    ("islands.csv", 1, "lat", "145.0", "out of range"),
    ("islands.csv", 3, "population", "2,820", "is not a whole number"),
    ("islands.csv", 1, "id", "Etorofu Island", "snake_case"),
    ("figures.csv", 1, "value", "", "is empty but required"),
]


@pytest.mark.parametrize(("file", "row", "column", "value", "problem"), CSV_CORRUPTIONS)
def test_corrupted_csv_is_reported(copy: Path, file: str, row: int, column: str,
                                   value: str | None, problem: str) -> None:
    _edit_csv(copy / file, row, column, value)
    with pytest.raises(kt.DataFileError) as info:
        kt.validate(copy)
    err = info.value
    assert err.file == file and err.column == column
    assert err.row == ("header" if value is None else row)
    assert problem in str(err) and f"data/{file}" in str(err)


YAML_CORRUPTIONS = [
    ("documents.yaml", 2, "event_id", "treaty_of_nowhere", "unknown timeline id"),
    ("documents.yaml", 1, "text", "", "is empty but required"),
    ("documents.yaml", 3, "translation", None, "required key is missing"),
    ("fact_checks.yaml", 1, "verdict", "mostly true", "not one of"),
    ("fact_checks.yaml", 2, "evidence_ids", ["no_such_row"], "unknown timeline, document"),
]


@pytest.mark.parametrize(("file", "entry", "key", "value", "problem"), YAML_CORRUPTIONS)
def test_corrupted_yaml_is_reported(copy: Path, file: str, entry: int, key: str,
                                    value: object, problem: str) -> None:
    _edit_yaml(copy / file, entry, key, value)
    with pytest.raises(kt.DataFileError) as info:
        kt.validate(copy)
    assert (info.value.file, info.value.row, info.value.column) == (file, entry, key)
    assert problem in str(info.value)


def test_duplicate_id_is_reported(copy: Path) -> None:
    first = kt.timeline()["id"].iloc[0]
    _edit_csv(copy / "timeline.csv", 5, "id", first)
    with pytest.raises(kt.DataFileError, match="appears twice"):
        kt.validate(copy)


def test_missing_file_and_bad_geojson_are_reported(copy: Path) -> None:
    (copy / "geo" / "kuril.geojson").write_text("{not json", encoding="utf-8")
    with pytest.raises(kt.DataFileError, match=r"data/geo/kuril.geojson: is not valid JSON"):
        kt.validate(copy)
    (copy / "positions.csv").unlink()
    with pytest.raises(kt.DataFileError, match=r"data/positions.csv: file is missing"):
        kt.validate(copy)


def test_geo_feature_with_unknown_parent_is_reported(copy: Path) -> None:
    path = copy / "geo" / "kuril.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    member = next(f for f in collection["features"] if f["properties"].get("parent") == "habomai")
    member["properties"]["parent"] = "habomaii"
    path.write_text(json.dumps(collection), encoding="utf-8")
    with pytest.raises(kt.DataFileError) as info:
        kt.validate(copy)
    assert info.value.file == "geo/kuril.geojson" and info.value.column == "parent"
    assert "habomaii" in str(info.value)


def test_ragged_csv_row_is_reported(copy: Path) -> None:
    path = copy / "figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] += ",extra,cells"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(kt.DataFileError, match=r"figures.csv, row 2: has \d+ cells"):
        kt.validate(copy)


def test_tables_are_copies() -> None:
    first = kt.timeline()
    first.loc[0, "title"] = "changed"
    assert kt.timeline().loc[0, "title"] != "changed"


def test_a_quote_without_its_translation_is_refused(tmp_path: Path) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    path = tmp_path / "data" / "positions.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("TASS's English translation", "", 1), encoding="utf-8")
    with pytest.raises(kt.DataFileError, match=r"positions\.csv, row \d+, column 'translation'"):
        kt.validate(tmp_path / "data")
