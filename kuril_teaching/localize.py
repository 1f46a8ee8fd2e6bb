"""The lesson notebooks in Japanese and Russian, built from the English notebooks and gettext
catalogs.

Each lesson has its own catalog, ``locale/<lang>/LC_MESSAGES/notebooks/<lesson>.po``. Its
messages are the paragraphs of the notebook's markdown cells, each with the cell's id as its
context, and the prose inside code cells: comments that are sentences and string literals of
three words or more (a ``kt.details`` summary, a chosen column). A code literal that is also a
sentence of the lesson content takes that sentence's translation, so a column chosen by name
matches the column the library shows. :func:`translated_notebook` builds one edition; a message
without a confirmed translation stays English, and the tests fail on it.
"""

from __future__ import annotations

import io
import json
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat

from .i18n import LANGUAGES, catalog

__all__ = ["Message", "code_messages", "markdown_paragraphs", "messages", "notebook_catalog",
           "translated_notebook"]

Message = tuple[str, str]  # (context: the cell id, English text)

_FENCE = re.compile(r"^\s*(```|~~~)")
# A comment is code (a scaffold's hint), not a sentence, when it assigns, indexes or calls.
_CODE_COMMENT = re.compile(r"[=\[\]]|\w\(|^\s*(noqa|type:)")
_MIN_WORDS = 3
# Arguments whose strings are searched for in a document's own text: never translated.
_KEPT_ARGUMENTS = ("marked",)


def _segments(source: str) -> list[tuple[bool, str]]:
    """A markdown cell cut into runs of lines: (is a paragraph, text); blank runs between."""
    runs: list[tuple[bool, list[str]]] = []
    fenced = False
    for line in source.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        text = bool(line.strip()) or fenced
        if runs and runs[-1][0] == text:
            runs[-1][1].append(line)
        else:
            runs.append((text, [line]))
    return [(text, "\n".join(lines)) for text, lines in runs]


def markdown_paragraphs(source: str) -> list[str]:
    """The paragraphs of a markdown cell: blocks between blank lines, fenced code kept whole."""
    return [run for text, run in _segments(source) if text]


def _translate_markdown(source: str, lookup: Any) -> str:
    return "\n".join(lookup(run) if text else run for text, run in _segments(source))


def _prose(text: str) -> bool:
    return " " in text.strip() and len(re.findall(r"[^\W\d_]{2,}", text)) >= _MIN_WORDS


def _string_groups(source: str) -> Iterator[tuple[tuple[int, int], tuple[int, int], str]]:
    """Each run of adjacent string literals in ``source`` worth translating:
    (start, end, value), positions as (line, column)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return
    depth_kept: list[int] = []  # bracket depths at which a kept argument's list opened
    depth = 0
    n = 0
    while n < len(tokens):
        token = tokens[n]
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
            if (n >= 2 and tokens[n - 1].string == "=" and tokens[n - 2].string in _KEPT_ARGUMENTS):
                depth_kept.append(depth)
        elif token.type == tokenize.OP and token.string in ")]}":
            if depth_kept and depth_kept[-1] == depth:
                depth_kept.pop()
            depth -= 1
        if token.type == tokenize.STRING:
            group = [token]
            m = n + 1
            while m < len(tokens) and tokens[m].type in (tokenize.STRING, tokenize.NL):
                if tokens[m].type == tokenize.STRING:
                    group.append(tokens[m])
                m += 1
            n = m
            if depth_kept or any(t.string[:1].lower() in "fbr" for t in group):
                continue
            try:
                value = "".join(eval(t.string, {"__builtins__": {}}) for t in group)  # noqa: S307
            except Exception:  # noqa: BLE001 - not a plain literal: left alone
                continue
            if _prose(value):
                yield group[0].start, group[-1].end, value
            continue
        n += 1


def _comments(source: str) -> Iterator[tuple[int, str, str]]:
    """Each comment that is a sentence: (line index, the text before it, the comment's words)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return
    lines = source.split("\n")
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        row, col = token.start
        words = token.string[1:].strip()
        if words and not _CODE_COMMENT.search(words) and _prose(words):
            yield row - 1, lines[row - 1][:col], words


def code_messages(source: str) -> list[str]:
    """The translatable prose of a code cell: sentence comments and string literals."""
    return [w for _, _, w in _comments(source)] + [v for _, _, v in _string_groups(source)]


def _translate_code(source: str, lookup: Any) -> str:
    lines = source.split("\n")
    # String literals, last first so that earlier positions stay valid.
    for (r1, c1), (r2, c2), value in sorted(_string_groups(source), reverse=True):
        said = lookup(value)
        if said == value:
            continue
        literal = json.dumps(said, ensure_ascii=False)
        head, tail = lines[r1 - 1][:c1], lines[r2 - 1][c2:]
        lines[r1 - 1:r2] = [head + literal + tail]
    joined = "\n".join(lines)
    lines = joined.split("\n")
    for index, before, words in _comments(joined):
        said = lookup(words)
        if said != words:
            lines[index] = f"{before}# {said}"
    return "\n".join(lines)


def messages(nb: nbformat.NotebookNode) -> list[Message]:
    """Every message of a notebook, in order: (cell id, English text)."""
    found: list[Message] = []
    for cell in nb.cells:
        texts = (markdown_paragraphs(cell.source) if cell.cell_type == "markdown"
                 else code_messages(cell.source) if cell.cell_type == "code" else [])
        found += [(cell.get("id", ""), t) for t in texts if t.strip()]
    return found


def catalog_path(root: Path, code: str, lesson: str) -> Path:
    """Where a lesson's notebook catalog for ``code`` lives under the ``locale`` folder ``root``."""
    return root / code / "LC_MESSAGES" / "notebooks" / f"{lesson}.po"


def notebook_catalog(root: Path, code: str, lesson: str) -> Any:
    """The Babel catalog of one lesson's notebook in ``code`` (``None`` if there is none)."""
    from babel.messages.pofile import read_po

    path = catalog_path(root, code, lesson)
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=code)


def _confirmed(entry: Any) -> str | None:
    return entry.string if entry is not None and entry.string and not entry.fuzzy else None


# The cell that imports the library also sets the edition's language.
_IMPORT = re.compile(r"^import kuril_teaching as kt[^\n]*$", re.MULTILINE)


def translated_notebook(nb: nbformat.NotebookNode, code: str, root: Path,
                        lesson: str) -> tuple[nbformat.NotebookNode, list[Message]]:
    """``nb`` in language ``code`` and the messages left in English (no confirmed translation)."""
    if code not in LANGUAGES[1:]:
        raise ValueError(f"unknown language {code!r}; valid languages: {', '.join(LANGUAGES[1:])}")
    book = notebook_catalog(root, code, lesson)
    shared = catalog(code)
    missing: list[Message] = []
    out = nbformat.from_dict(json.loads(json.dumps(nb)))

    for cell in out.cells:
        ident = cell.get("id", "")

        def lookup(text: str, ident: str = ident, markdown: bool = cell.cell_type == "markdown") -> str:
            found = None if markdown or shared is None else _confirmed(shared.get(text))
            if found is None and book is not None:
                found = _confirmed(book.get(text, context=ident))
            if found is None:
                missing.append((ident, text))
                return text
            return found

        if cell.cell_type == "markdown":
            cell.source = _translate_markdown(cell.source, lookup)
        elif cell.cell_type == "code":
            source = _translate_code(cell.source, lookup)
            if _IMPORT.search(source) and "set_language" not in source:
                source = _IMPORT.sub(lambda m: f'{m.group(0)}\nkt.set_language("{code}")', source, count=1)
            cell.source = source
    out.metadata["language"] = code
    out.metadata.setdefault("kuril_teaching", {})["language"] = code
    return out, missing
