"""How the lessons show dates and tables: one place for the small formatting rules."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

import pandas as pd

__all__ = ["Html", "long_date", "show"]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def long_date(iso: str) -> str:
    """``"2019-01-14"`` as ``"14 January 2019"`` (``"2019-04"`` as ``"April 2019"``)."""
    match = _ISO.match(str(iso))
    if not match:
        raise ValueError(f"{iso!r} is not an ISO date; valid forms: YYYY, YYYY-MM, YYYY-MM-DD")
    year, month, day = match.groups()
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        raise ValueError(f"{iso!r} has month {month}; valid months: 01..12")
    if day:
        try:
            _dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"{iso!r} is not a calendar date; valid forms: YYYY, YYYY-MM, "
                             "YYYY-MM-DD") from None
    name = _MONTHS[int(month) - 1]
    return f"{int(day)} {name} {year}" if day else f"{name} {year}"


@dataclass(frozen=True)
class Html:
    """A block of (already escaped) HTML that a notebook shows as it is."""

    text: str

    def _repr_html_(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


def show(frame: pd.DataFrame) -> Html:
    """A table shown in full: text aligned left and wrapped, none cut short; the index only if named."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"expected a pandas DataFrame, got {type(frame).__name__}; "
                         "valid input: a table from this package")
    table = frame.to_html(index=frame.index.name is not None, escape=True, border=0)
    style = ("<style>.kt-table td, .kt-table th {text-align: left !important; "
             "vertical-align: top; white-space: normal; padding: 4px 8px;}</style>")
    return Html(style + table.replace('class="dataframe"', 'class="dataframe kt-table"', 1))
