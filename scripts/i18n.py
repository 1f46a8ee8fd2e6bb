"""Extract every sentence of the lesson content into the gettext template and update the
Japanese and Russian catalogs from it (English stays the single source).

    python scripts/i18n.py            # templates and catalogs, then the translated notebooks
    python scripts/i18n.py --check    # only say what is out of date or untranslated

Two kinds of catalog: ``kuril_teaching.po`` holds every sentence of the lesson content and the
prose columns of the data tables; ``notebooks/<lesson>.po`` holds one notebook's markdown
paragraphs and the prose in its code cells, each keyed by its cell's id. The Japanese and
Russian notebooks (``notebooks/ja/``, ``notebooks/ru/``) are built from the English notebooks
and the catalogs.

A message's id is its English text; its location is the content file and line, and its
comment the dotted key, so that a translator sees where it is used. New messages arrive
untranslated; changed ones come back fuzzy (Babel's update), and neither is shown until a
translator confirms it. tests/test_i18n.py fails when the template is out of date.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import nbformat  # noqa: E402
from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from kuril_teaching import content, data, localize  # noqa: E402
from kuril_teaching._resources import data_root  # noqa: E402
from kuril_teaching.editions import lesson_notebooks  # noqa: E402
from kuril_teaching.i18n import DOMAIN, LANGUAGES  # noqa: E402

HEADER = ("# The lesson content of kuril-teaching (data/lessons/), for translation.\n"
          "# Licensed like the content it translates: CC BY 4.0 (LICENSE-CONTENT.md).\n"
          "# Each government's terms stay attributed in every language (docs/glossary.md).")
LOCALE = ROOT / "locale"
TEMPLATE = LOCALE / f"{DOMAIN}.pot"


def _strings(value: Any, path: str, headers: bool = False) -> list[tuple[str, str]]:
    """(dotted key, text) of every translatable string under ``value``, as content shows them
    (``headers``: every string of a ``columns`` mapping, whatever its key)."""
    if isinstance(value, str):
        return [(path, value)]
    if content.is_plural(value):  # one message with its plural form
        return [(path, (value["one"], value["other"]))]  # type: ignore[list-item]
    if headers and isinstance(value, dict):
        return [found for key, item in value.items()
                for found in _strings(item, f"{path}.{key}", True)]
    if content.code_cell(value):
        return [(f"{path}.source", text) for text in localize.code_messages(str(value["source"]))]
    if isinstance(value, dict):
        return [found for key, item in value.items()
                if not content.is_code(key, item) or _headers(key, item)
                for found in _strings(item, f"{path}.{key}" if path else key, _headers(key, item))]
    if isinstance(value, list):
        return [found for n, item in enumerate(value) for found in _strings(item, f"{path}[{n}]")]
    return []


def _headers(key: str, value: Any) -> bool:
    """Column headers of a lesson's tables (a ``columns`` mapping): the tables keep them in
    English, as the code selects them, and the display layer shows them translated."""
    return content.is_headers(key) and (isinstance(value, dict) or (
        isinstance(value, list) and not all(str(v).isidentifier() for v in value)))


def _collect(pot: Catalog, text: Any, where: tuple[str, int], key: str) -> None:
    """Add ``text`` to the template, or note one more place that uses it."""
    existing = pot.get(text)
    if existing is None:
        pot.add(text, locations=[where], auto_comments=[key])
    else:
        existing.locations.append(where)
        existing.auto_comments.append(key)


def template() -> Catalog:
    """The template: every string of every content file, with where it is used."""
    pot = Catalog(project="kuril-teaching", domain=DOMAIN, fuzzy=False, header_comment=HEADER,
                  copyright_holder="kuril-teaching contributors",
                  msgid_bugs_address="https://github.com/kuril-teaching/kuril-teaching/issues")
    for name in content.lesson_names():
        lesson = content.lesson(name)
        for key, text in _strings(dict(lesson.raw), ""):
            if not (text[0] if isinstance(text, tuple) else text).strip():
                continue
            _collect(pot, text, (lesson.file, lesson.lines.get(key) or 0), key)
    root = data_root()
    for table, columns in data.TEXT_COLUMNS.items():
        spec = data._SPECS[table]
        for n, row in enumerate(data._records(root, spec), start=1):
            for column in columns:
                text = str(row.get(column) or "").strip()
                if not text:
                    continue
                _collect(pot, text, (f"data/{spec.file}", n), f"{table}.{row['id']}.{column}")
    return pot


def notebook_template(path: Path, shared: Catalog) -> Catalog:
    """One notebook's template: its paragraphs and code prose, keyed by cell id (prose in code
    that is already a sentence of ``shared``, the content template, is translated there)."""
    pot = Catalog(project="kuril-teaching", domain=path.stem, fuzzy=False, header_comment=HEADER,
                  copyright_holder="kuril-teaching contributors",
                  msgid_bugs_address="https://github.com/kuril-teaching/kuril-teaching/issues")
    nb = nbformat.read(path, as_version=4)
    code_cells = {c.get("id") for c in nb.cells if c.cell_type == "code"}
    for index, (ident, text) in enumerate(localize.messages(nb)):
        if ident in code_cells and shared.get(text) is not None:
            continue
        if pot.get(text, context=ident) is None:
            pot.add(text, context=ident, locations=[(f"notebooks/{path.name}", index + 1)])
    return pot


def _update(target: Path, pot: Catalog, code: str, domain: str) -> Catalog:
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_file():
        with target.open("rb") as handle:
            catalog = read_po(handle, locale=code, domain=domain)
        catalog.update(pot, update_header_comment=False)
    else:
        catalog = Catalog(locale=code, domain=domain, project="kuril-teaching", fuzzy=False,
                          header_comment=HEADER, copyright_holder="kuril-teaching contributors")
        catalog.update(pot)
    _write(target, render(catalog))
    return catalog


DOCS = ("quickstart.md", "teacher_guide.md")  # the documents translated (docs/<code>/<name>)
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$", re.M)


def docs_template(name: str) -> Catalog:
    """One document's template: its markdown paragraphs."""
    pot = Catalog(project="kuril-teaching", domain=Path(name).stem, fuzzy=False,
                  header_comment=HEADER, copyright_holder="kuril-teaching contributors",
                  msgid_bugs_address="https://github.com/kuril-teaching/kuril-teaching/issues")
    text = (ROOT / "docs" / name).read_text(encoding="utf-8")
    for index, paragraph in enumerate(localize.markdown_paragraphs(text)):
        if pot.get(paragraph) is None and paragraph.strip() != LESSON_LINKS:
            pot.add(paragraph, locations=[(f"docs/{name}", index + 1)])
    return pot


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


LESSON_LINKS = "<!-- lesson-links -->"


def _lesson_links(code: str) -> str:
    from kuril_teaching.cli import binder_link

    rows = []
    for path in lesson_notebooks(ROOT / "notebooks" / code):
        nb = nbformat.read(path, as_version=4)
        title = next((m.group(2) for c in nb.cells if c.cell_type == "markdown"
                      for m in [_HEADING.search(c.source)] if m and m.group(1) == "#"), path.stem)
        link = binder_link(f"notebooks/{code}/{path.name}")
        rows.append(f"- [{title}]({link}) (`notebooks/{code}/{path.name}`)")
    return "\n".join(rows)


def build_docs(code: str, write: bool = True) -> dict[str, tuple[str, list[str]]]:
    """Each document of :data:`DOCS` in ``code`` and its paragraphs still in English; written to
    ``docs/<code>/`` when ``write``."""
    built = {}
    for name in DOCS:
        source = (ROOT / "docs" / name).read_text(encoding="utf-8")
        path = LOCALE / code / "LC_MESSAGES" / "docs" / f"{Path(name).stem}.po"
        catalog = None
        if path.is_file():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=code)
        missing: list[str] = []

        def lookup(text: str, catalog: Any = catalog, missing: list[str] = missing) -> str:
            if text.strip() == LESSON_LINKS:
                return _lesson_links(code)
            entry = catalog.get(text) if catalog is not None else None
            if entry is None or not entry.string or entry.fuzzy:
                missing.append(text)
                return text
            return entry.string

        out = localize.translate_markdown(source, lookup).replace("--lang LANG", f"--lang {code}")
        # Anchors follow the translated headings; other relative links point back up a folder.
        anchors = {_slug(e[1]): _slug(t[1])
                   for e, t in zip(_HEADING.findall(source), _HEADING.findall(out), strict=False)}

        def relink(match: re.Match[str], anchors: dict[str, str] = anchors) -> str:
            target = match.group(1)
            if target.startswith("#"):
                return f"](#{anchors.get(target[1:], target[1:])})"
            if re.match(r"[a-z]+:", target):
                return match.group(0)
            return f"](../{target})"

        out = _LINK.sub(relink, out)
        built[name] = (out, missing)
        if write:
            target = ROOT / "docs" / code / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(out, encoding="utf-8")
    return built


README = ROOT / "README.md"


def readme_section(code: str, quickstart: str) -> str:
    """The README's section in ``code``: the translated quick start, one heading level down,
    links pointing from the top of the repository."""
    body = re.sub(r"^(#{1,5}) ", lambda m: "#" + m.group(1) + " ", quickstart, flags=re.M)
    body = body.replace("](../", "](")
    return f"<!-- quickstart:{code}:start -->\n{body.strip()}\n<!-- quickstart:{code}:end -->"


def build_readme(write: bool = True) -> str:
    """README.md with its Japanese and Russian sections rebuilt from docs/<code>/quickstart.md."""
    text = README.read_text(encoding="utf-8")
    for code in LANGUAGES[1:]:
        quickstart = build_docs(code, write=False)["quickstart.md"][0]
        section = readme_section(code, quickstart)
        pattern = re.compile(rf"<!-- quickstart:{code}:start -->.*?<!-- quickstart:{code}:end -->", re.S)
        if not pattern.search(text):
            raise ValueError(f"README.md has no <!-- quickstart:{code}:start --> ... end --> markers")
        text = pattern.sub(lambda _m, s=section: s, text)
    if write:
        README.write_text(text, encoding="utf-8")
    return text


def build_notebooks(code: str, write: bool = True) -> dict[str, tuple[nbformat.NotebookNode, list]]:
    """Each lesson notebook in ``code``, with the messages still in English; written to
    ``notebooks/<code>/`` when ``write``."""
    from kuril_teaching import i18n

    i18n.catalog.cache_clear()
    built = {}
    for path in lesson_notebooks(ROOT / "notebooks"):
        nb = nbformat.read(path, as_version=4)
        out, missing = localize.translated_notebook(nb, code, LOCALE, path.stem)
        built[path.name] = (out, missing)
        if write:
            target = ROOT / "notebooks" / code / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(out, target)
    return built


def render(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=False,
             ignore_obsolete=True, include_previous=True)
    return out.getvalue()


_STAMP = re.compile(rb'^"(?:POT-Creation-Date|PO-Revision-Date): [^"]*"\n', re.M)


def _write(path: Path, text: bytes) -> None:
    """Write a catalog unless only its date stamps would change (no churn on every run)."""
    if path.is_file() and _STAMP.sub(b"", path.read_bytes()) == _STAMP.sub(b"", text):
        return
    path.write_bytes(text)


def main() -> int:
    pot = template()
    LOCALE.mkdir(exist_ok=True)
    _write(TEMPLATE, render(pot))
    print(f"{TEMPLATE.relative_to(ROOT)}: {len(pot)} messages", file=sys.stderr)
    books = {p.stem: notebook_template(p, pot) for p in lesson_notebooks(ROOT / "notebooks")}
    for stem, book in books.items():
        (LOCALE / "notebooks").mkdir(exist_ok=True)
        _write(LOCALE / "notebooks" / f"{stem}.pot", render(book))
    docs = {name: docs_template(name) for name in DOCS}
    (LOCALE / "docs").mkdir(exist_ok=True)
    for name, doc in docs.items():
        _write(LOCALE / "docs" / f"{Path(name).stem}.pot", render(doc))
    for code in LANGUAGES[1:]:
        target = LOCALE / code / "LC_MESSAGES" / f"{DOMAIN}.po"
        catalog = _update(target, pot, code, DOMAIN)
        done = sum(1 for m in catalog if m.id and m.string and not m.fuzzy)
        print(f"{target.relative_to(ROOT)}: {done} of {len(pot)} translated", file=sys.stderr)
        for stem, book in books.items():
            target = localize.catalog_path(LOCALE, code, stem)
            catalog = _update(target, book, code, stem)
            done = sum(1 for m in catalog if m.id and m.string and not m.fuzzy)
            print(f"{target.relative_to(ROOT)}: {done} of {len(book)} translated", file=sys.stderr)
        left = sum(len(missing) for _, missing in build_notebooks(code).values())
        print(f"notebooks/{code}/: built, {left} message(s) still in English", file=sys.stderr)
        for name in DOCS:
            target = LOCALE / code / "LC_MESSAGES" / "docs" / f"{Path(name).stem}.po"
            _update(target, docs[name], code, Path(name).stem)
        left = sum(len(missing) for _, missing in build_docs(code).values())
        print(f"docs/{code}/: built, {left} paragraph(s) still in English", file=sys.stderr)
    build_readme()
    print("README.md: Japanese and Russian sections rebuilt", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
