"""Lesson content as data: every question, option, hint, feedback and sentence the library shows.

Each lesson has one file ``data/lessons/<lesson>.yaml``; ``data/lessons/library.yaml`` holds what
the shared layer prints. Files are validated when loaded: a missing key, an unknown exercise
kind or an id that no table has names the file, the line and the key. Every string a reader
sees passes through :func:`translate`, the one place a language can be plugged in.
"""

from __future__ import annotations

import copy
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from . import data
from ._resources import data_root

__all__ = [
    "EXERCISE_KINDS",
    "REFERENCE_KEYS",
    "Lesson",
    "code_tasks",
    "is_code",
    "lesson",
    "lesson_names",
    "text",
    "translate",
    "validate_lessons",
]

FOLDER = "lessons"
LIBRARY = "library"

# Exercise kinds and the keys each needs in its YAML entry (besides ``kind`` and ``prompt``).
EXERCISE_KINDS: dict[str, tuple[str, ...]] = {
    "choice": (),
    "numeric": ("unit", "hint"),
    "sorting": ("categories",),
    "ordering": ("categories",),
    "matching": ("categories",),
    "free_text": ("checklist",),
    "code": ("variable", "solution", "hint"),
}

# Keys whose values are code or names, never text to translate.
_UNTRANSLATED = frozenset({"id", "kind", "variable", "solution", "expect", "key", "columns", "after",
                           "cell_type", "quote_from"})
# A value that is an id (``status_quo``, ``declaration_1956``): code, whatever its key.
_IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")
# Keys whose values are codes only when they are one of these (a confidence level), text otherwise.
_CODES = {"confidence": frozenset({"high", "medium", "low"})}


def is_code(key: str, value: Any) -> bool:
    """Whether ``value`` under ``key`` is an id, code or name the content must not translate."""
    return (key in REFERENCE_KEYS or key in _UNTRANSLATED
            or (isinstance(value, str)
                and (value in _CODES.get(key, ()) or bool(_IDENTIFIER.fullmatch(value))))
            or (isinstance(value, list) and bool(value)
                and all(isinstance(v, str) and _IDENTIFIER.fullmatch(v) for v in value)))

# Keys whose values are ids of a table: checked against that table when a file is loaded.
REFERENCE_KEYS: dict[str, str] = {
    "source_ids": "sources",
    "island": "islands",
    "islands": "islands",
    "position": "positions",
    "positions": "positions",
    "document": "documents",
    "documents": "documents",
    "event": "timeline",
    "events": "timeline",
    "figure": "figures",
    "figures": "figures",
    "fact_check": "fact_checks",
}


def is_plural(value: Any) -> bool:
    """Whether ``value`` is a plural message: a mapping of exactly ``one`` and ``other``."""
    return isinstance(value, Mapping) and set(value) == {"one", "other"} and all(
        isinstance(v, str) for v in value.values())


def is_headers(key: str) -> bool:
    """Whether the dotted ``key`` holds a table's column headers (``columns``, ``*_columns``).

    Tables keep these in English, the names code selects columns by; the display layer shows
    them in the current language.
    """
    parts = [re.sub(r"\[\d+\]$", "", part) for part in key.split(".")]
    return any(part == "columns" or part.endswith("_columns") for part in parts)


def translate(message: str) -> str:
    """The text to show for an English source string, in the current language
    (:func:`kuril_teaching.i18n.set_language`); English where no translation exists."""
    from .i18n import gettext

    return gettext(message)


# --------------------------------------------------------------------------- loading with lines


def _scalar(node: Any) -> Any:
    import yaml

    tag = node.tag.rsplit(":", 1)[-1]
    value = node.value
    if tag == "int":
        return int(value.replace("_", ""), 0)
    if tag == "float":
        return float(value)
    if tag == "bool":
        return value.lower() in ("true", "yes", "on")
    if tag == "null":
        return None
    if tag != "str":
        raise yaml.YAMLError(f"unsupported value {value!r} (tag {node.tag})")
    return value


def _build(node: Any, path: str, lines: dict[str, int], file: str) -> Any:
    import yaml

    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(_scalar(key_node))
            where = f"{path}.{key}" if path else key
            if key in out:
                raise data.DataFileError(file, f"line {key_node.start_mark.line + 1}", where,
                                         "key appears twice", "key")
            out[key] = _build(value_node, where, lines, file)
            lines[where] = key_node.start_mark.line + 1  # a key's errors point at the key
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, f"{path}[{n}]", lines, file) for n, item in enumerate(node.value)]
    return _scalar(node)


def _parse(text: str, file: str) -> tuple[dict[str, Any], dict[str, int]]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise data.DataFileError(file, None, None, f"is not valid YAML ({exc})") from None
    lines: dict[str, int] = {}
    if root is None or not isinstance(root, yaml.MappingNode):
        raise data.DataFileError(file, "line 1", None, "must be a mapping of keys")
    return _build(root, "", lines, file), lines


# --------------------------------------------------------------------------- validation


@dataclass(frozen=True)
class _Known:
    ids: dict[str, frozenset[str]]


def _known(root: Traversable | None, frames: Mapping[str, Any] | None = None) -> _Known:
    """The ids of every table: the package's (read once), or those of ``frames`` or ``root``."""
    if frames is None and root is None:
        return _package_ids()
    frames = data._load(root).frames if frames is None else frames
    return _Known({name: frozenset(f["id"]) for name, f in frames.items()})


@lru_cache(maxsize=1)
def _package_ids() -> _Known:
    tables = data._tables()
    frames = tables.frames
    return _Known({name: frozenset(frames[name]["id"]) for name in frames})


def _walk(value: Any, path: str):
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _walk(item, f"{path}[{n}]")


def _fail(file: str, lines: Mapping[str, int], path: str, problem: str) -> None:
    line = lines.get(path)
    raise data.DataFileError(file, f"line {line}" if line else None, path or None, problem, "key")


def _check(name: str, doc: dict[str, Any], lines: Mapping[str, int], known: _Known) -> None:
    file = f"{FOLDER}/{name}.yaml"
    for path, value in _walk(doc, ""):
        if value is None:
            _fail(file, lines, path, "is empty")
        key = path.rsplit(".", 1)[-1].split("[", 1)[0]
        if key in REFERENCE_KEYS and not isinstance(value, dict):
            refs = value if isinstance(value, list) else [value]
            table = REFERENCE_KEYS[key]
            for n, ref in enumerate(refs):
                where = f"{path}[{n}]" if isinstance(value, list) else path
                if not isinstance(ref, str) or ref not in known.ids[table]:
                    _fail(file, lines, where, f"unknown {table} id {ref!r}")
    if name == LIBRARY:
        return
    head = doc.get("lesson")
    if not isinstance(head, dict):
        _fail(file, lines, "", "needs a 'lesson' mapping with 'id' and 'title'")
    for key in ("id", "title"):
        if not isinstance(head.get(key), str):
            _fail(file, lines, "lesson", f"required key 'lesson.{key}' is missing")
    if head["id"] != name:
        _fail(file, lines, "lesson.id", f"{head['id']!r} does not match the file name {name!r}")
    exercises = doc.get("exercises", {})
    if not isinstance(exercises, dict):
        _fail(file, lines, "exercises", "must be a mapping of exercise id to exercise")
    for ident, spec in exercises.items():
        where = f"exercises.{ident}"
        if not isinstance(spec, dict):
            _fail(file, lines, where, "must be a mapping")
        kind = spec.get("kind")
        if kind not in EXERCISE_KINDS:
            _fail(file, lines, f"{where}.kind" if "kind" in spec else where,
                  f"unknown exercise kind {kind!r}; valid kinds: {', '.join(EXERCISE_KINDS)}")
        for key in ("prompt", *EXERCISE_KINDS[kind]):
            if key not in spec:
                _fail(file, lines, where, f"required key '{key}' is missing for a {kind} exercise")
        if kind == "choice" and "options" in spec:
            options = spec["options"]
            if not isinstance(options, list) or not all(
                    isinstance(o, dict) and "text" in o for o in options):
                _fail(file, lines, f"{where}.options", "must be a list of entries with 'text'")
            texts = [o["text"] for o in options]
            if "answer" in spec and spec["answer"] not in texts:
                _fail(file, lines, f"{where}.answer",
                      f"{spec['answer']!r} is not one of the options: {', '.join(texts)}")
        if kind in ("sorting", "ordering", "matching") and "items" in spec:
            categories = spec["categories"]
            for n, item in enumerate(spec["items"]):
                if not isinstance(item, dict) or "text" not in item:
                    _fail(file, lines, f"{where}.items[{n}]", "needs 'text'")
                if "category" in item and item["category"] not in categories:
                    _fail(file, lines, f"{where}.items[{n}].category",
                          f"{item['category']!r} is not one of: {', '.join(categories)}")


# --------------------------------------------------------------------------- access


def code_cell(value: Any) -> bool:
    """Whether ``value`` is a code cell of the content (a teacher cell with ``cell_type: code``):
    only the prose in its comments and strings is translated, never the code."""
    return isinstance(value, dict) and value.get("cell_type") == "code" and "source" in value


def _translated(value: Any) -> Any:
    if isinstance(value, str):
        return translate(value)
    if code_cell(value):
        from .localize import translate_code

        return {**copy.deepcopy(value), "source": translate_code(str(value["source"]), translate)}
    if isinstance(value, dict):
        return {k: (copy.deepcopy(v) if is_code(k, v) else _translated(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_translated(v) for v in value]
    return value


class _LocaleFormatter(string.Formatter):
    """``str.format`` that writes numbers in the current language's own symbols."""

    def format_field(self, value: Any, format_spec: str) -> str:
        shown = super().format_field(value, format_spec)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            from .i18n import number

            return number(shown)
        return shown


_NUMBERS = _LocaleFormatter()


def _fill(template: str, values: Mapping[str, Any], where: str) -> str:
    if not values and "{" not in template:
        return template
    try:
        return _NUMBERS.vformat(template, (), values)
    except (KeyError, IndexError) as exc:
        needed = sorted({f for _, f, _, _ in string.Formatter().parse(template) if f})
        raise ValueError(f"{where}: no value for {exc.args[0]!r}; the text needs: "
                         f"{', '.join(needed)}") from None


@dataclass(frozen=True)
class Lesson:
    """One lesson's content file, validated; strings come out translated and filled in."""

    id: str
    file: str
    raw: Mapping[str, Any]
    lines: Mapping[str, int]

    def _lookup(self, key: str) -> Any:
        node: Any = self.raw
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                valid = ", ".join(node) if isinstance(node, dict) else "(none)"
                raise ValueError(f"{self.file} has no key {key!r}; valid keys at "
                                 f"{part!r}: {valid}")
            node = node[part]
        return node

    def get(self, key: str) -> Any:
        """The value at a dotted ``key`` (lists and mappings copied, strings translated)."""
        if is_headers(key):  # the names code selects columns by: shown translated by display
            return copy.deepcopy(self._lookup(key))
        return _translated(self._lookup(key))  # builds new lists and mappings all the way down

    def plural(self, key: str, n: int, **values: Any) -> str:
        """The plural message at ``key`` (a mapping with ``one`` and ``other``) in the form the
        current language uses for ``n`` (Russian: 1 событие, 3 события, 5 событий)."""
        from .i18n import ngettext

        forms = self._lookup(key)
        if not is_plural(forms):
            raise ValueError(f"{self.file}: {key!r} is not a plural message (a mapping with "
                             f"exactly the keys one and other)")
        return _fill(ngettext(forms["one"], forms["other"], n), values, f"{self.file}: {key}")

    def text(self, key: str, **values: Any) -> str:
        """The string at ``key``, translated, with ``{placeholders}`` filled from ``values``."""
        value = self._lookup(key)
        if not isinstance(value, str):
            raise ValueError(f"{self.file}: {key!r} is not a text but a {type(value).__name__}")
        return _fill(translate(value), values, f"{self.file}: {key}")

    def exercise(self, ident: str, **overrides: Any) -> Any:
        """The exercise ``ident`` as an :mod:`~kuril_teaching.exercises` object.

        ``overrides`` supply what the lesson computes (an answer, options, items); a
        ``values`` mapping fills ``{placeholders}`` in every text of the exercise.
        """
        from . import exercises

        spec = self.get(f"exercises.{ident}")
        values = overrides.pop("values", {})
        spec = _fill_all(spec, values, f"{self.file}: exercises.{ident}")
        spec.update(overrides)
        return exercises.from_spec(ident, spec)


def _fill_all(value: Any, values: Mapping[str, Any], where: str) -> Any:
    if isinstance(value, str):
        return _fill(value, values, where)
    if isinstance(value, dict):  # code and names are not templates
        return {k: v if k in _UNTRANSLATED else _fill_all(v, values, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill_all(v, values, where) for v in value]
    return value


def _folder(root: Traversable | None) -> Traversable:
    return (data_root() if root is None else root) / FOLDER


def lesson_names(root: str | Path | None = None) -> list[str]:
    """The content files present, without ``.yaml`` (``library`` first)."""
    folder = _folder(Path(root) if root is not None else None)
    if not folder.is_dir():
        raise data.DataFileError(FOLDER, None, None, "folder is missing")
    names = sorted(e.name[:-5] for e in folder.iterdir() if e.name.endswith(".yaml"))
    return sorted(names, key=lambda n: n != LIBRARY)


def _read(name: str, root: Traversable | None, known: _Known) -> Lesson:
    file = f"{FOLDER}/{name}.yaml"
    entry = _folder(root) / f"{name}.yaml"
    if not entry.is_file():
        valid = ", ".join(lesson_names(root))
        raise ValueError(f"unknown lesson {name!r}; valid lessons: {valid}")
    doc, lines = _parse(entry.read_text(encoding="utf-8"), file)
    _check(name, doc, lines, known)
    return Lesson(name, file, doc, lines)


@lru_cache(maxsize=16)
def lesson(name: str) -> Lesson:
    """The validated content of one lesson (``"01_history"``) or of ``"library"``."""
    return _read(name, None, _known(None))


def text(key: str, **values: Any) -> str:
    """A string the shared library shows, from ``data/lessons/library.yaml``."""
    return lesson(LIBRARY).text(key, **values)


@lru_cache(maxsize=1)
def code_tasks() -> dict[str, str]:
    """Every "Try it in code" task id, with the lesson that defines it."""
    return _code_tasks({name: lesson(name) for name in lesson_names() if name != LIBRARY})


def _code_tasks(lessons: Mapping[str, Lesson]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, les in lessons.items():
        for ident, spec in les.raw.get("exercises", {}).items():
            if spec.get("kind") == "code":
                if ident in found:
                    _fail(les.file, les.lines, f"exercises.{ident}",
                          f"task id {ident!r} is used by {found[ident]} too; task ids must be unique")
                found[ident] = name
    return found


def validate_lessons(root: str | Path | None = None,
                     frames: Mapping[str, Any] | None = None) -> dict[str, int]:
    """Validate every content file (the package's, or those under ``root``); count exercises.

    ``frames``: the tables of ``root`` if they are already read (so they are not read twice).
    """
    base = Path(root) if root is not None else None
    known = _known(base, frames)
    read = {name: _read(name, base, known) for name in lesson_names(base)}
    _code_tasks({n: les for n, les in read.items() if n != LIBRARY})
    return {name: len(les.raw.get("exercises", {})) for name, les in read.items()}
