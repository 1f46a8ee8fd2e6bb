"""Where the package's data lives, installed or in a source checkout."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def data_root() -> Traversable:
    """The folder holding the data tables and ``geo/``.

    An installed wheel carries it as ``kuril_teaching/data``; in an editable
    install of a source checkout it is the top-level ``data/`` folder.
    """
    packaged = resources.files("kuril_teaching") / "data"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "data"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        "kuril_teaching cannot find its data folder: reinstall the package "
        "(pip install kuril-teaching) or run from a source checkout"
    )


def leaflet_asset(name: str) -> str:
    """Text of a file of the pinned Leaflet copy (``leaflet.js`` or ``leaflet.css``)."""
    return (resources.files("kuril_teaching") / "_leaflet" / name).read_text(encoding="utf-8")
