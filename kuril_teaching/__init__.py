"""kuril_teaching: data, geometry, offline maps and widgets for lessons on the
Kuril Islands / Northern Territories dispute between Japan and Russia.

``import kuril_teaching as kt`` is light: pandas, shapely, folium and ipywidgets
are imported when a function that needs them is first called.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

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
    "source_list": "data",
    "validate": "data",
    "islands": "geo",
    "geometry": "geo",
    "area_km2": "geo",
    "distance_km": "geo",
    "disputed_area_km2": "geo",
    "share_of_disputed_area": "geo",
    "median_line": "geo",
    "equal_area_cut": "geo",
    "island_map": "maps",
    "Question": "quiz",
    "Feedback": "quiz",
    "check_choice": "quiz",
    "check_number": "quiz",
    "check_sorting": "quiz",
    "choice_quiz": "quiz",
    "number_quiz": "quiz",
    "sorting_quiz": "quiz",
    "base_map": "maps",
}

_SUBMODULES = (
    "data", "geo", "maps", "style", "quiz", "history", "declaration", "preconditions",
    "chinese_model", "scenarios", "news", "explore", "editions", "handouts", "cli", "display",
)

__all__ = sorted(_EXPORTS)


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
