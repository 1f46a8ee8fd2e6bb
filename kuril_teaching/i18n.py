"""The language the library speaks: English (the source), Japanese or Russian.

Every sentence the library shows comes from ``data/lessons/`` in English and passes through
:func:`gettext`, which looks it up in the gettext catalog of the current language
(``locale/<lang>/LC_MESSAGES/kuril_teaching.po``). A string the catalog lacks, or marks
fuzzy, is shown in English. ``scripts/i18n.py`` extracts the strings and updates the catalogs.
"""

from __future__ import annotations

import os
import re
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from ._resources import _bundled

__all__ = ["DOMAIN", "LANGUAGES", "catalog", "gettext", "language", "ngettext", "notebook_language", "number",
           "set_language",
           "using", "watch"]

LANGUAGES = ("en", "ja", "ru")
DOMAIN = "kuril_teaching"
_ENV = "KURIL_TEACHING_LANG"
_current: dict[str, str] = {}


def _checked(code: str, where: str) -> str:
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}{where}; valid languages: {', '.join(LANGUAGES)}")
    return code


def language() -> str:
    """The current language: set by :func:`set_language`, else ``KURIL_TEACHING_LANG``, else English."""
    if "code" in _current:
        return _current["code"]
    given = os.environ.get(_ENV, "").strip()
    return _checked(given, f" in {_ENV}") if given else "en"


def set_language(code: str) -> str:
    """Show everything from now on in ``code`` (``"en"``, ``"ja"`` or ``"ru"``); returns it.

    Maps and widgets made after the call speak the new language; those shown with
    :func:`kuril_teaching.live` are redrawn in it at once.
    """
    before = language()
    _current["code"] = _checked(code, "")
    if code != before:
        for view in list(_LIVE):
            view.refresh()
    return code


# Views shown with ``kt.live``: redrawn when the language changes (held weakly).
_LIVE: weakref.WeakSet[Any] = weakref.WeakSet()


def watch(view: Any) -> None:
    """Redraw ``view`` (an object with a ``refresh()`` method) whenever the language changes."""
    _LIVE.add(view)


def ngettext(singular: str, plural: str, n: int, code: str | None = None) -> str:
    """The form of a plural message for ``n`` in the current language (or ``code``): the
    catalog's plural forms, chosen by the language's plural rule (English when untranslated)."""
    import gettext as _gettext

    code = language() if code is None else _checked(code, "")
    english = singular if n == 1 else plural
    found = catalog(code) if code != "en" else None
    entry = found.get(singular) if found is not None else None
    if entry is None or entry.fuzzy or not isinstance(entry.string, tuple) or not all(entry.string):
        return english
    index = _gettext.c2py(found.plural_expr)(n)
    return entry.string[min(index, len(entry.string) - 1)]


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")  # a number written the English way


def number(formatted: str, code: str | None = None) -> str:
    """A number formatted the English way ("5,003.1", "12.5%") in the current language's own
    symbols: Russian "5 003,1", Japanese as English."""
    code = language() if code is None else _checked(code, "")
    if code == "en" or not re.search(r"\d", formatted):
        return formatted
    from babel.numbers import get_decimal_symbol, get_group_symbol

    group, decimal = get_group_symbol(code), get_decimal_symbol(code)
    if (group, decimal) == (",", "."):
        return formatted
    return _NUMBER.sub(
                  lambda m: m.group(0).replace(",", "\0").replace(".", decimal).replace("\0", group),
                  formatted)


@contextmanager
def using(code: str) -> Iterator[str]:
    """Speak ``code`` inside a ``with`` block, then the language before it again."""
    before = _current.get("code")
    set_language(code)
    try:
        yield code
    finally:
        if before is None:
            _current.pop("code", None)
        else:
            _current["code"] = before


def notebook_language(nb: Mapping[str, Any]) -> str:
    """The language of a lesson notebook: its ``language`` metadata (the Japanese and Russian
    editions carry one), else English."""
    meta = nb.get("metadata", {})
    given = str(meta.get("kuril_teaching", {}).get("language") or meta.get("language") or "en")
    return _checked(given, " in the notebook's language metadata")


@lru_cache(maxsize=len(LANGUAGES))
def catalog(code: str) -> Any:
    """The Babel catalog of ``code`` (``None`` for English, or when the catalog is missing)."""
    _checked(code, "")
    if code == "en":
        return None
    from babel.messages.pofile import read_po

    entry = _bundled("locale") / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not entry.is_file():
        return None
    with entry.open("rb") as handle:
        return read_po(handle, locale=code, domain=DOMAIN)


def gettext(message: str, code: str | None = None) -> str:
    """``message`` in the current language, or in ``code`` (English when no translation is there)."""
    code = language() if code is None else _checked(code, "")
    if code == "en" or not message:
        return message
    found = catalog(code)
    entry = found.get(message) if found is not None else None
    if entry is None or entry.fuzzy or not entry.string:
        return message
    return entry.string
