"""One record layer: any row of any table by id, one naming rule, island groups defined once.

Names come from one place, ``data/islands.csv``; the polygons in ``data/geo/`` carry ids only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import pandas as pd

from . import data

__all__ = [
    "CONTEXT_ADMIN",
    "FOUR_ISLANDS",
    "FROM_HOKKAIDO",
    "NAME_FORMS",
    "TABLES",
    "group",
    "members",
    "name",
    "resolve",
    "row",
    "rows",
    "sources_of",
    "table",
]

# The four disputed islands (the Habomai islets counted as one), north-east to south-west.
FOUR_ISLANDS: tuple[str, ...] = ("etorofu", "kunashiri", "shikotan", "habomai")
# The same four in order of distance from Hokkaido (nearest first).
FROM_HOKKAIDO: tuple[str, ...] = ("habomai", "shikotan", "kunashiri", "etorofu")
# Who administers each piece of context land today.
CONTEXT_ADMIN: dict[str, str] = {
    "hokkaido": "japan",
    "urup": "russia",
    "kuril_north": "russia",
    "kamchatka_south": "russia",
    "sakhalin": "russia",
}

TABLES: dict[str, Any] = {
    "sources": data.sources,
    "timeline": data.timeline,
    "positions": data.positions,
    "documents": data.documents,
    "figures": data.figures,
    "fact_checks": data.fact_checks,
    "islands": data.islands_table,
}
NAME_FORMS = ("local", "en", "ja", "ru", "short", "full")


def table(name: str) -> pd.DataFrame:
    """A whole table by name (a fresh copy); see :data:`TABLES`."""
    data._choice("table", name, TABLES)
    return TABLES[name]()


@cache
def _by_id(name: str, code: str) -> dict[str, dict[str, Any]]:
    """Every row of a table as a dict, by id, in language ``code`` (read once per language)."""
    return {str(r["id"]): r for r in table(name).to_dict("records")}


def row(table_name: str, ident: str) -> dict[str, Any]:
    """One row of a table as a dict (a copy); a ``ValueError`` names the valid ids."""
    data._choice("table", table_name, TABLES)
    from .i18n import language

    found = _by_id(table_name, language())
    if ident not in found:
        raise ValueError(f"unknown {table_name} id {ident!r}; valid ids: {', '.join(found)}")
    return dict(found[ident])


def rows(table_name: str, ids: Iterable[str]) -> list[dict[str, Any]]:
    """Rows of a table in the order of ``ids`` (copies)."""
    return [row(table_name, ident) for ident in ids]


_SOURCE_COLUMNS = {
    "islands": ("area_official_source_ids", "area_russian_source_ids", "population_source_ids",
                "population_1945_source_ids", "coord_source_ids"),
}


def sources_of(table_name: str, ids: Iterable[str], columns: Sequence[str] | None = None) -> list[str]:
    """Source ids behind a set of records, in order, each once.

    For the island table, ``columns`` picks which figures' sources (default: all of them).
    """
    valid = _SOURCE_COLUMNS.get(table_name, ("source_ids",))
    chosen = tuple(columns) if columns is not None else valid
    for column in chosen:
        data._choice("source column", column, valid)
    out: list[str] = []
    for record in rows(table_name, ids):
        for column in chosen:
            out += list(record.get(column) or ())
    return list(dict.fromkeys(out))


# --------------------------------------------------------------------------- features and names


def resolve(name_or_id: str, valid: Iterable[str] | None = None) -> str:
    """The feature id for an id or a Japanese or Russian name (``"Iturup"`` → ``"etorofu"``).

    ``valid`` limits the answer to these ids; a ``ValueError`` lists them.
    """
    return data.resolve_island(name_or_id, list(valid) if valid is not None else None)


def members(parent: str) -> tuple[str, ...]:
    """The features grouped under ``parent`` (the Habomai islets under ``"habomai"``)."""
    frame = data.islands_table()
    data._choice("feature", parent, list(frame["id"]))
    return tuple(frame.loc[frame["parent"] == parent, "id"])


def group(name: str) -> tuple[str, ...]:
    """Top-level features of a group: ``"disputed"``, ``"context"`` or ``"amur"``."""
    data._choice("group", name, data.GROUPS)
    frame = data.islands_table()
    return tuple(frame.loc[(frame["group"] == name) & (frame["parent"] == ""), "id"])


def _split(en: str) -> tuple[str, str]:
    first, _, second = en.partition(" / ")
    return first.strip(), second.strip()


def name(feature_id: str, form: str = "local") -> str:
    """A feature's name, the one rule every lesson uses.

    ``"local"`` (the default): both names, the current language's first: "Etorofu / Iturup" in
    English, "択捉島 / Iturup" in Japanese, "Итуруп / Etorofu" in Russian;
    ``"en"``: "Etorofu / Iturup" (Japanese then Russian form, as the English lessons write it);
    ``"short"``: "Etorofu"; ``"ja"``: "択捉島"; ``"ru"``: "Итуруп";
    ``"full"``: the local form with the names in the other scripts,
    "Etorofu / Iturup (択捉島 / Итуруп)".
    """
    from .i18n import language

    data._choice("name form", form, NAME_FORMS)
    record = row("islands", resolve(feature_id))
    en, ja, ru = str(record["name_en"]), str(record["name_ja"]), str(record["name_ru"])
    first, second = _split(en)
    code = language()
    if form == "en":
        return en
    if form == "short":
        return first
    if form == "ja":
        return ja
    if form == "ru":
        return ru
    # The other side's name beside the edition's own, where the English gives two names.
    if code == "ja" and ja:
        local = f"{ja} / {second}" if second else ja
    elif code == "ru" and ru:
        local = f"{ru} / {first}" if second else ru
    else:
        local = en
    if form == "local":
        return local
    if code == "ja" and ja:
        return f"{local} ({ru})" if ru else local
    if code == "ru" and ru:
        return f"{local} ({ja})" if ja else local
    local = " / ".join(x for x in (ja, ru) if x)
    return f"{en} ({local})" if local else en
