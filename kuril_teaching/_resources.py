"""Where the package's data lives, installed or in a source checkout."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def _bundled(name: str) -> Traversable:
    """A top-level folder of the project that the wheel carries inside the package.

    An installed wheel has it as ``kuril_teaching/<name>``; an editable install of a
    source checkout reads the checkout's top-level folder.
    """
    packaged = resources.files("kuril_teaching") / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"kuril_teaching cannot find its {name} folder: reinstall the package "
        "or run it from a source checkout"
    )


def data_root() -> Traversable:
    """The folder holding the data tables and ``geo/``."""
    return _bundled("data")


def notebooks_root() -> Traversable:
    """The folder holding the lesson notebooks."""
    return _bundled("notebooks")


def leaflet_asset(name: str) -> str:
    """Text of a file of the pinned Leaflet copy (``leaflet.js`` or ``leaflet.css``)."""
    return (resources.files("kuril_teaching") / "_leaflet" / name).read_text(encoding="utf-8")
