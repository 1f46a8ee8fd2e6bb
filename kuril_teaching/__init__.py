"""kuril_teaching: data, geometry, offline maps and exercises for lessons on the
Kuril Islands / Northern Territories dispute between Japan and Russia.

``import kuril_teaching as kt`` is light: pandas, shapely, folium and ipywidgets
are imported when a function that needs them is first called. The names below are
visible to IDEs and type checkers through the ``TYPE_CHECKING`` block.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover - for IDEs and type checkers only
    from .content import lesson, text
    from .data import (
        DataFileError,
        documents,
        fact_checks,
        figure,
        figures,
        positions,
        resolve_island,
        sources,
        timeline,
        validate,
    )
    from .display import (
        confidence,
        details,
        events,
        live,
        quote,
        show,
        side_by_side,
        source_list,
        table,
    )
    from .exercises import (
        Choice,
        CodeTask,
        Feedback,
        FreeText,
        Numeric,
        Sorting,
        check,
        check_code,
        widget,
    )
    from .geo import (
        area_km2,
        disputed_area_km2,
        distance_km,
        equal_area_cut,
        geometry,
        islands,
        median_line,
        share_of_disputed_area,
    )
    from .i18n import language, set_language
    from .maps import Land, Line, island_map, lesson_map
    from .records import FOUR_ISLANDS, name, row, sources_of

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "DataFileError": "data",
    "sources": "data",
    "timeline": "data",
    "documents": "data",
    "positions": "data",
    "figures": "data",
    "figure": "data",
    "fact_checks": "data",
    "resolve_island": "data",
    "validate": "data",
    "FOUR_ISLANDS": "records",
    "name": "records",
    "row": "records",
    "sources_of": "records",
    "islands": "geo",
    "geometry": "geo",
    "area_km2": "geo",
    "distance_km": "geo",
    "disputed_area_km2": "geo",
    "share_of_disputed_area": "geo",
    "median_line": "geo",
    "equal_area_cut": "geo",
    "island_map": "maps",
    "lesson_map": "maps",
    "Land": "maps",
    "Line": "maps",
    "show": "display",
    "table": "display",
    "quote": "display",
    "side_by_side": "display",
    "events": "display",
    "confidence": "display",
    "details": "display",
    "live": "display",
    "source_list": "display",
    "Choice": "exercises",
    "Numeric": "exercises",
    "CodeTask": "exercises",
    "Sorting": "exercises",
    "FreeText": "exercises",
    "Feedback": "exercises",
    "check": "exercises",
    "check_code": "exercises",
    "widget": "exercises",
    "lesson": "content",
    "set_language": "i18n",
    "language": "i18n",
    "text": "content",
}

_SUBMODULES = (
    "data", "records", "content", "geo", "maps", "style", "display", "exercises", "history",
    "declaration", "preconditions", "chinese_model", "scenarios", "news", "explore",
    "editions", "handouts", "cli", "scenario_geo", "chinese_model_geo", "i18n", "timing",
)

__all__ = [
    "FOUR_ISLANDS",
    "Choice",
    "CodeTask",
    "DataFileError",
    "Feedback",
    "FreeText",
    "Land",
    "Line",
    "Numeric",
    "Sorting",
    "area_km2",
    "check",
    "check_code",
    "confidence",
    "details",
    "disputed_area_km2",
    "distance_km",
    "documents",
    "equal_area_cut",
    "events",
    "fact_checks",
    "figure",
    "figures",
    "geometry",
    "island_map",
    "islands",
    "language",
    "lesson",
    "lesson_map",
    "live",
    "median_line",
    "name",
    "positions",
    "quote",
    "resolve_island",
    "row",
    "set_language",
    "share_of_disputed_area",
    "show",
    "side_by_side",
    "source_list",
    "sources",
    "sources_of",
    "table",
    "text",
    "timeline",
    "validate",
    "widget",
]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kuril_teaching' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
