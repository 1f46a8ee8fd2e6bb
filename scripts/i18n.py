"""Extract every sentence of the lesson content into the gettext template and update the
Japanese and Russian catalogs from it (English stays the single source).

    python scripts/i18n.py            # write locale/kuril_teaching.pot, update locale/*/LC_MESSAGES/*.po

A message's id is its English text; its location is the content file and line, and its
comment the dotted key, so that a translator sees where it is used. New messages arrive
untranslated; changed ones come back fuzzy (Babel's update), and neither is shown until a
translator confirms it. tests/test_i18n.py fails when the template is out of date.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from kuril_teaching import content  # noqa: E402
from kuril_teaching.i18n import DOMAIN, LANGUAGES  # noqa: E402

HEADER = ("# The lesson content of kuril-teaching (data/lessons/), for translation.\n"
          "# Licensed like the content it translates: CC BY 4.0 (LICENSE-CONTENT.md).\n"
          "# Each government's terms stay attributed in every language (docs/glossary.md).")
LOCALE = ROOT / "locale"
TEMPLATE = LOCALE / f"{DOMAIN}.pot"


def _strings(value: Any, path: str) -> list[tuple[str, str]]:
    """(dotted key, text) of every translatable string under ``value``, as content shows them."""
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [found for key, item in value.items()
                if not content.is_code(key, item)
                for found in _strings(item, f"{path}.{key}" if path else key)]
    if isinstance(value, list):
        return [found for n, item in enumerate(value) for found in _strings(item, f"{path}[{n}]")]
    return []


def template() -> Catalog:
    """The template: every string of every content file, with where it is used."""
    pot = Catalog(project="kuril-teaching", domain=DOMAIN, fuzzy=False, header_comment=HEADER,
                  copyright_holder="kuril-teaching contributors",
                  msgid_bugs_address="https://github.com/kuril-teaching/kuril-teaching/issues")
    for name in content.lesson_names():
        lesson = content.lesson(name)
        for key, text in _strings(dict(lesson.raw), ""):
            if not text.strip():
                continue
            where = (lesson.file, lesson.lines.get(key) or 0)
            existing = pot.get(text)
            if existing is None:
                pot.add(text, locations=[where], auto_comments=[key])
            else:
                existing.locations.append(where)
                existing.auto_comments.append(key)
    return pot


def render(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=False,
             ignore_obsolete=True, include_previous=True)
    return out.getvalue()


def main() -> int:
    pot = template()
    LOCALE.mkdir(exist_ok=True)
    TEMPLATE.write_bytes(render(pot))
    for code in LANGUAGES[1:]:
        target = LOCALE / code / "LC_MESSAGES" / f"{DOMAIN}.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_file():
            with target.open("rb") as handle:
                catalog = read_po(handle, locale=code, domain=DOMAIN)
            catalog.update(pot, update_header_comment=False)
        else:
            catalog = Catalog(locale=code, domain=DOMAIN, project="kuril-teaching", fuzzy=False,
                              header_comment=HEADER, copyright_holder="kuril-teaching contributors")
            catalog.update(pot)
        target.write_bytes(render(catalog))
        done = sum(1 for m in catalog if m.id and m.string and not m.fuzzy)
        print(f"{target.relative_to(ROOT)}: {done} of {len(pot)} translated", file=sys.stderr)
    print(f"{TEMPLATE.relative_to(ROOT)}: {len(pot)} messages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
