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
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat

from .i18n import LANGUAGES, catalog, using

__all__ = ["Message", "catalog_path", "code_messages", "markdown_paragraphs", "messages",
           "notebook_catalog", "translate_code", "translate_markdown", "translated_notebook"]

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


def translate_markdown(source: str, lookup: Any) -> str:
    """``source`` with each paragraph (see :func:`markdown_paragraphs`) replaced by ``lookup(paragraph)``."""
    return "\n".join(lookup(run) if text else run for text, run in _segments(source))


def _prose(text: str, least: int = _MIN_WORDS) -> bool:
    """Whether ``text`` reads as words (``least`` of them), not as code or a name."""
    return " " in text.strip() and len(re.findall(r"[^\W\d_]{2,}", text)) >= least


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
                value = "".join(eval(t.string, {"__builtins__": {}}) for t in group)
            except Exception:
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
        if words and not _CODE_COMMENT.search(words) and _prose(words, 2):
            yield row - 1, lines[row - 1][:col], words


def code_messages(source: str) -> list[str]:
    """The translatable prose of a code cell: sentence comments and string literals."""
    return [w for _, _, w in _comments(source)] + [v for _, _, v in _string_groups(source)]


_WIDTH = 100  # code lines stay within the project's line length


def _width(text: str) -> int:
    """Columns ``text`` takes in a code editor: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _literal(text: str, indent: int, room: int) -> str:
    """``text`` as a string literal; a long one as adjacent literals, one per line."""
    whole = json.dumps(text, ensure_ascii=False)
    if _width(whole) <= room:
        return whole
    size = max(room - 4, 20)
    pieces: list[str] = []
    rest = text
    while rest:
        cut, used = 0, 0
        while cut < len(rest) and used + _width(rest[cut]) <= size:
            used += _width(rest[cut])
            cut += 1
        if cut < len(rest) and " " in rest[cut // 2:cut]:
            cut = rest.rindex(" ", cut // 2, cut) + 1
        pieces.append(rest[:cut])
        rest = rest[cut:]
    return ("\n" + " " * indent).join(json.dumps(p, ensure_ascii=False) for p in pieces)


def is_header(text: str, code: str | None = None) -> bool:
    """Whether ``text`` is a column header of a lesson's tables (a ``columns`` key of the
    content): tables keep those in English, so code that selects a column by it stays English."""
    from .content import is_headers
    from .i18n import language

    found = catalog(code or language())
    entry = found.get(text) if found is not None else None
    keys = entry.auto_comments if entry is not None else []
    return any(is_headers(k) for k in keys)


def translate_code(source: str, lookup: Any) -> str:
    """``source`` with its prose (see :func:`code_messages`) replaced by ``lookup(text)``;
    column headers (:func:`is_header`) stay as they are."""
    lines = source.split("\n")
    # String literals, last first so that earlier positions stay valid.
    for (r1, c1), (r2, c2), value in sorted(_string_groups(source), reverse=True):
        said = value if is_header(value) else lookup(value)
        if said == value:
            continue
        head, tail = lines[r1 - 1][:c1], lines[r2 - 1][c2:]
        room = _WIDTH - _width(head) - _width(tail)  # the last piece shares its line with the tail
        lines[r1 - 1:r2] = (head + _literal(said, len(head), max(room, 40)) + tail).split("\n")
    joined = "\n".join(lines)
    lines = joined.split("\n")
    for index, before, words in _comments(joined):
        said = lookup(words)
        if said == words:
            continue
        if _width(before) + _width(said) + 2 <= _WIDTH or not before.strip():
            lines[index] = f"{before}# {said}"
        else:  # a long comment after code moves above it, wrapped
            indent = " " * (len(before) - len(before.lstrip()))
            wrapped = _literal(said, 0, _WIDTH - len(indent) - 2).split("\n")
            comment = [f"{indent}# {json.loads(piece)}" for piece in wrapped]
            lines[index] = "\n".join([*comment, before.rstrip()])
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


def _after_imports(source: str, line: str) -> str:
    """``source`` with ``line`` after its block of imports (and a blank line between)."""
    lines = source.split("\n")
    last = max(n for n, text in enumerate(lines) if text.startswith(("import ", "from ")))
    rest = lines[last + 1:]
    while rest and not rest[0].strip():
        rest = rest[1:]
    return "\n".join([*lines[:last + 1], "", line, *rest])


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
            cell.source = translate_markdown(cell.source, lookup)
        elif cell.cell_type == "code":
            with using(code):  # headers are told apart by the edition's catalog
                source = translate_code(cell.source, lookup)
            if _IMPORT.search(source) and "set_language" not in source:
                source = _after_imports(source, f'kt.set_language("{code}")')
            cell.source = source
    out.metadata["language"] = code
    out.metadata.setdefault("kuril_teaching", {})["language"] = code
    return out, missing
