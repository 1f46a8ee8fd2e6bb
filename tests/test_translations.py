"""The Japanese and Russian editions: complete catalogs, committed notebooks that follow the
English source, lessons that run, prose in the edition's own script, the same numbers, dates
and ids as the English, and each government's terms attributed."""

from __future__ import annotations

import html
import re
import string
from collections import Counter
from functools import cache
from pathlib import Path

import nbformat
import pytest
from conftest import (
    LESSONS,
    MEASURED,
    assert_ran_cleanly,
    code_outputs,
    execute_notebook,
    i18n_script,
    read_catalog,
)

from kuril_teaching import localize

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
CODES = ("ja", "ru")
TRANSLATED = [(code, ROOT / "notebooks" / code / p.name) for code in CODES for p in LESSONS]
IDS = [f"{code}-{p.stem}" for code, p in TRANSLATED]
SCRIPT = {"ja": r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]", "ru": r"[\u0400-\u04ff]"}
# The most Latin script an edition's prose and outputs may hold, as a share of letters, once
# code, ids, URLs, names of people and places in Latin letters, source titles and quoted
# documents in other languages are set aside.
LATIN_LIMIT = {"prose": 0.05, "outputs": 0.08}


def _all_catalogs() -> list[tuple[str, Path]]:
    found = []
    for code in CODES:
        found.append((code, LOCALE / code / "LC_MESSAGES" / "kuril_teaching.po"))
        found += [(code, localize.catalog_path(LOCALE, code, p.stem)) for p in LESSONS]
        found += sorted((code, p) for p in (LOCALE / code / "LC_MESSAGES" / "docs").glob("*.po"))
    return found


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("code, path", _all_catalogs(),
                         ids=[f"{c}-{p.stem}" for c, p in _all_catalogs()])
def test_every_catalog_is_complete(code: str, path: Path) -> None:
    """No message untranslated, none fuzzy, every placeholder kept, the script the language's."""
    catalog = read_catalog(path)
    entries = [m for m in catalog if m.id]
    assert entries
    for message in entries:  # a plural message: every form the language has, each filled
        if isinstance(message.id, tuple):
            assert isinstance(message.string, tuple) and len(message.string) == catalog.num_plurals
            assert all(message.string), f"a plural form is empty: {message.id[0]!r}"
            for form in message.string:
                assert _fields(form) == _fields(message.id[0]) and re.search(SCRIPT[code], form)
    entries = [m for m in entries if not isinstance(m.id, tuple)]
    missing = [m.id for m in entries if not m.string]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert not missing, f"{len(missing)} untranslated in {path.name}, e.g. {missing[:2]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {path.name}, e.g. {fuzzy[:2]}"
    for message in entries:
        try:
            fields = _fields(message.id)
        except ValueError:  # a paragraph with a brace that is not a placeholder
            continue
        assert _fields(message.string) == fields, \
            f"placeholders differ: {message.id!r} -> {message.string!r}"
        kept = message.string == message.id and (
            re.fullmatch(r"[A-Z][a-z]+", message.id)  # a name an exercise matches in a treaty's text
            or all(c.endswith(".source") for c in message.auto_comments))  # a search string in code
        if not kept and re.search(r"[A-Za-z]{4,}", re.sub(r"<[^>]+>|`[^`]*`|\{[^}]*\}|https?://\S+", "",
                                                           message.id)):
            assert re.search(SCRIPT[code], message.string), \
                f"not translated into {code}: {message.id[:60]!r} -> {message.string[:60]!r}"


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_each_notebook_template_follows_its_notebook(lesson: Path) -> None:
    module = i18n_script()
    fresh = module.notebook_template(lesson, module.template())
    committed = read_catalog(LOCALE / "notebooks" / f"{lesson.stem}.pot")
    key = lambda cat: {(m.context, m.id) for m in cat if m.id}  # noqa: E731
    assert key(fresh) == key(committed), "run python scripts/i18n.py"
    for code in CODES:
        assert key(read_catalog(localize.catalog_path(LOCALE, code, lesson.stem))) == key(committed), \
            f"the {code} catalog of {lesson.stem} does not follow its template: run python scripts/i18n.py"


@pytest.mark.parametrize("code", CODES)
def test_the_committed_editions_are_up_to_date(code: str) -> None:
    """notebooks/<code>/ is what the English notebooks and the catalogs build, nothing left."""
    built = i18n_script().build_notebooks(code, write=False)
    assert sorted(built) == sorted(p.name for p in LESSONS)
    for name, (nb, missing) in built.items():
        assert not missing, f"{name}: {len(missing)} message(s) still in English, e.g. {missing[:2]}"
        committed = nbformat.read(ROOT / "notebooks" / code / name, as_version=4)
        assert [c.source for c in committed.cells] == [c.source for c in nb.cells], \
            f"notebooks/{code}/{name} is out of date: run python scripts/i18n.py"
        assert committed.metadata["kuril_teaching"]["language"] == code
        assert [c.get("id") for c in committed.cells] == [c.get("id") for c in nb.cells]


@pytest.mark.parametrize("code", CODES)
def test_the_translated_documents_are_up_to_date(code: str) -> None:
    """docs/<code>/ (quick start, teacher's guide) and the README's section in the language are
    what the English documents and the catalogs build, nothing left in English."""
    module = i18n_script()
    for name in module.DOCS:
        fresh = module.docs_template(name)
        committed = read_catalog(LOCALE / "docs" / f"{Path(name).stem}.pot")
        assert {m.id for m in fresh if m.id} == {m.id for m in committed if m.id}, \
            f"locale/docs/{Path(name).stem}.pot is out of date: run python scripts/i18n.py"
    for name, (text, missing) in module.build_docs(code, write=False).items():
        assert not missing, f"docs/{code}/{name}: {len(missing)} paragraph(s) in English"
        assert (ROOT / "docs" / code / name).read_text(encoding="utf-8") == text, \
            f"docs/{code}/{name} is out of date: run python scripts/i18n.py"
        assert len(re.findall(SCRIPT[code], text)) > 300
    assert module.build_readme(write=False) == (ROOT / "README.md").read_text(encoding="utf-8"), \
        "README.md's language sections are out of date: run python scripts/i18n.py"
    guide = (ROOT / "docs" / code / "teacher_guide.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#:\s]+)\)", guide):  # relative links still lead somewhere
        assert (ROOT / "docs" / code / target).resolve().exists(), target
    for anchor in re.findall(r"\]\(#([^)]+)\)", guide):  # and anchors to translated headings
        slugs = {module._slug(h) for _, h in module._HEADING.findall(guide)}
        assert anchor in slugs, anchor


# --------------------------------------------------------------------------- running


@pytest.mark.parametrize("code, path", TRANSLATED, ids=IDS)
def test_each_edition_runs_and_speaks_its_language(code: str, path: Path) -> None:
    outputs = assert_ran_cleanly(execute_notebook(path))
    pages = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    maps = [p for p in pages if "leaflet" in p.lower()]
    for page in maps:
        assert f'documentElement.lang = "{code}"' in html.unescape(page)
    shown = " ".join(_visible(p, code) for p in pages)
    assert len(re.findall(SCRIPT[code], shown)) > 200


# --------------------------------------------------------------------------- Latin script


@cache
def _names() -> frozenset[str]:
    """Words of proper names that an edition may keep in Latin letters: the islands' names,
    people, places and organisations the data spells in Latin."""
    import csv

    words: set[str] = set()
    with (ROOT / "data" / "islands.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for column in ("name_en", "name_ja_romaji", "name_ru_romanised", "settlement"):
                words |= set(re.findall(r"[A-Za-z][A-Za-z-]+", row[column] or ""))
    with (ROOT / "data" / "sources.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):  # publishers: TASS, Kyodo, MOFA, Jiji Press ...
            words |= set(re.findall(r"[A-Za-z][A-Za-z-]+", row["publisher"] or ""))
    return frozenset(w.lower() for w in words if w[:1].isupper() or w.isupper())


_SET_ASIDE = [
    re.compile(r"<(script|style|code|pre|kbd|svg|iframe)\b.*?</\1>", re.S | re.I),
    re.compile(r'<details class="kt-sources">.*?</details>', re.S),  # the source list: references
    re.compile(r"<a\b[^>]*>.*?</a>", re.S | re.I),  # links: source titles, URLs
    re.compile(r"<(\w+)[^>]*\blang=\"(?!{code})[^\"]*\"[^>]*>.*?</\1>", re.S),  # quoted texts
    re.compile(r"<small>[^<]*(?:sources?|источник|出典)[^<]*</small>", re.I),
]


_TITLE = re.compile(r'(<div class="kt-quote">)<b>.*?</b>', re.S)  # a document's own title
# A quotation in a language other than the edition's (no letter of the edition's script).
_QUOTED = [r"「[^」]*」", r"“[^”]*”", r"«[^»]*»", r"'[^']{12,}'", r'"[^"]{12,}"']


def _visible(page: str, code: str) -> str:
    """The words a reader sees in an HTML output, with what may stay in Latin set aside."""
    text = _TITLE.sub(r"\1", page)
    for pattern in _SET_ASIDE:
        text = re.compile(pattern.pattern.replace("{code}", code), pattern.flags).sub(" ", text)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return _unquoted(text, code)


def _unquoted(text: str, code: str) -> str:
    """``text`` without its quotations in another language (exact words, kept as written)."""
    for quoted in _QUOTED:
        text = re.sub(quoted, lambda m: m.group(0) if re.search(SCRIPT[code], m.group(0)) else " ", text)
    return text


def _markdown_prose(source: str) -> str:
    text = re.sub(r"```.*?```", " ", source, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return text


def _latin_share(text: str, code: str) -> tuple[float, Counter]:
    text = re.sub(r"https?://\S+|\b\w*_\w*\b|\b[A-Z]{2,}\b", " ", text)  # URLs, ids, acronyms
    latin = Counter()
    count = 0
    for word in re.findall(r"[A-Za-z][A-Za-z'’-]*", text):
        if word.lower() in _names():
            continue
        latin[word] += 1
        count += len(word)
    local = len(re.findall(SCRIPT[code], text))
    return (count / (count + local) if count + local else 0.0), latin


@pytest.mark.parametrize("code", CODES)
def test_little_latin_script_is_left(code: str) -> None:
    """The share of Latin letters in the edition's prose and outputs, with names, code, ids,
    URLs, source titles and quoted documents in other languages set aside."""
    prose, shown = [], []
    for lesson in LESSONS:
        nb = execute_notebook(ROOT / "notebooks" / code / lesson.name)
        prose += [_unquoted(_markdown_prose(c.source), code) for c in nb.cells if c.cell_type == "markdown"]
        shown += [_visible(o["data"]["text/html"], code) for o in code_outputs(nb)
                  if "text/html" in o.get("data", {}) and "leaflet" not in o["data"]["text/html"].lower()]
        shown += [o.get("text", "") for o in code_outputs(nb) if o["output_type"] == "stream"]
    for kind, texts in (("prose", prose), ("outputs", shown)):
        share, words = _latin_share("\n".join(texts), code)
        MEASURED.append(f"{code} edition, Latin script in {kind}: {share:.1%} of letters "
                        f"(limit {LATIN_LIMIT[kind]:.0%}); most frequent: "
                        + ", ".join(w for w, _ in words.most_common(8)))
        assert share <= LATIN_LIMIT[kind], \
            f"{share:.1%} of the {kind} is in Latin script; most frequent: {words.most_common(15)}"


# --------------------------------------------------------------------------- the same facts


_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_ID = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def _number(raw: str) -> str:
    """A figure of at least three digits written the English, Japanese or Russian way."""
    digits = raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if "," in digits and "." not in digits and re.fullmatch(r"\d{1,3}(,\d{3})+", digits):
        digits = digits.replace(",", "")
    elif "," in digits and "." not in digits:
        digits = digits.replace(",", ".")  # a Russian decimal comma
    else:
        digits = digits.replace(",", "")
    return digits


_FIGURE = re.compile(r"(?<![\d.,])\d{1,3}(?:(?:,|\u00a0|\u202f| )\d{3})+(?:[.,]\d+)?(?![\d])"
                     r"|(?<![\d.,])\d+[.,]\d+(?![\d])|(?<![\d.,])\d{3,}(?![\d])")


def _facts(text: str) -> tuple[set[str], set[str], set[str]]:
    """Years, figures (three digits or more, or with decimals; years among them) and ids in ``text``."""
    figures = {_number(m) for m in _FIGURE.findall(text)}
    years = {f for f in figures if _YEAR.fullmatch(f)} | set(_YEAR.findall(text))
    return years, figures | years, set(_ID.findall(text))


def _prose_facts(path: Path) -> tuple[set[str], set[str], set[str]]:
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    return _facts(text)


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_numbers_dates_and_ids_match_the_english(lesson: Path) -> None:
    english = _prose_facts(lesson)
    for code in CODES:
        translated = _prose_facts(ROOT / "notebooks" / code / lesson.name)
        for kind, want, got in zip(("years", "figures", "ids"), english, translated, strict=True):
            assert want == got, (f"{code}/{lesson.name}: {kind} differ from the English: "
                                 f"missing {sorted(want - got)}, added {sorted(got - want)}")


@pytest.mark.parametrize("code", CODES)
def test_content_sentences_keep_their_numbers(code: str) -> None:
    """Every translated sentence of the lesson content and data keeps the English's years,
    figures and ids (a translation may add a figure: 100万 for "a million")."""
    wrong = []
    for message in read_catalog(LOCALE / code / "LC_MESSAGES" / "kuril_teaching.po"):
        if not message.id or not message.string or message.fuzzy or isinstance(message.id, tuple):
            continue
        (years, figures, ids), (t_years, t_figures, t_ids) = _facts(message.id), _facts(message.string)
        if message.id in ids:  # a header that is itself an id: said in words
            continue
        if years != t_years or not figures <= t_figures or not ids <= t_ids:
            wrong.append((message.id[:70], sorted(years ^ t_years), sorted(figures - t_figures),
                          sorted(ids - t_ids)))
    assert not wrong, f"{len(wrong)} sentences changed a number, date or id, e.g. {wrong[:3]}"


# --------------------------------------------------------------------------- terms


def _glossary_rows() -> dict[str, str]:
    """The project's glossary (docs/glossary.md): each English term -> its table row."""
    rows = {}
    for line in (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 3:
            rows[cells[0]] = line
    return rows


# Each government's own name for the islands, as each edition writes it, and the words that
# attribute it to that government within the same sentence.
# Names of organisations that contain a government's term: names, not the narrator's words.
NAMED_BODIES = {"ja": ("北方領土問題対策協会", "北方領土復帰期成同盟", "北方領土の日"),
                "ru": ()}
# The two names side by side, as the lessons' titles pair them ("Kuril Islands / Northern
# Territories"): each name stands beside the other's.
PAIRED = {"ja": r"(クリル諸島|千島列島)\s*[／/]\s*北方領土|北方領土\s*[／/]\s*(クリル|南クリル)",
          "ru": r"Курил\w*\s+остров\w*\s*/\s*«?Северн|Северн\w*\s+территори\w*»?\s*/\s*(?:Южн|Курил)"}
GOVERNMENT_TERMS = {
    "ja": [(r"北方領土", r"日本|「|『|“"), (r"南クリル", r"ロシア|ソ連|「|『|“")],
    "ru": [(r"Северн\w* территори", r"Япон|«|„|\""), (r"Южн\w* Курил", r"Росси|СССР|советск|«|„|\"")],
}
# The islands' names each edition uses, from the glossary (stems, so Russian cases match).
ISLAND_FORMS = {
    "ja": {"etorofu": "択捉島", "kunashiri": "国後島", "shikotan": "色丹島", "habomai": "歯舞"},
    "ru": {"etorofu": "Итуруп", "kunashiri": "Кунашир", "shikotan": "Шикотан", "habomai": "Хабомаи"},
}
ENGLISH_FORMS = {"etorofu": "Etorofu", "kunashiri": "Kunashiri", "shikotan": "Shikotan",
                 "habomai": "Habomai"}


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。.!?！？])\s*|\n", text) if s.strip()]


@pytest.mark.parametrize("code", CODES)
def test_each_government_term_is_attributed(code: str) -> None:
    """The narrator never adopts a government's name for the islands: each use is quoted or
    names the government in the same sentence."""
    bare = []
    for lesson in LESSONS:
        nb = nbformat.read(ROOT / "notebooks" / code / lesson.name, as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        for sentence in _sentences(text):
            for body in NAMED_BODIES[code]:
                sentence = sentence.replace(body, "")
            sentence = re.sub(PAIRED[code], "", sentence)
            for term, owner in GOVERNMENT_TERMS[code]:
                if re.search(term, sentence) and not re.search(owner, sentence):
                    bare.append(f"{lesson.stem}: {sentence.strip()[:120]}")
    assert not bare, f"{len(bare)} unattributed: " + " | ".join(bare[:4])


@pytest.mark.parametrize("code", CODES)
def test_glossary_names_are_used_throughout(code: str) -> None:
    """Wherever the English lesson names an island, the edition uses the glossary's form of it."""
    rows = _glossary_rows()
    for ident, form in ISLAND_FORMS[code].items():  # the forms above are the glossary's
        row = next(r for term, r in rows.items() if term.startswith(ENGLISH_FORMS[ident]))
        assert form in row, (ident, row)
    for lesson in LESSONS:
        english = "\n".join(c.source for c in nbformat.read(lesson, as_version=4).cells
                            if c.cell_type == "markdown")
        nb = nbformat.read(ROOT / "notebooks" / code / lesson.name, as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        for ident, form in ISLAND_FORMS[code].items():
            if ENGLISH_FORMS[ident] in english:
                assert form in text, f"{code}/{lesson.name}: {ENGLISH_FORMS[ident]} is never {form}"


# One word for one thing in each edition: the form chosen, and the variants that crept in
# from several translators (the glossary's forms for places are checked above).
TERM_VARIANTS = {
    "ja": {"本教材": ["本プロジェクト"], "演習": ["練習問題"], "振り返りカード": ["エグジットチケット"],
           "日本固有の領土": ["日本の固有の領土"], "報告書": ["ブリーフ（報告書）"],
           "エクスプローラー": ["探索ツール"]},
    "ru": {"билет на выход": ["билет на выходе", "Билет на выходе"]},
}


def _edition_strings(code: str) -> list[tuple[str, str]]:
    found = []
    for path in [LOCALE / code / "LC_MESSAGES" / "kuril_teaching.po",
                 *sorted((LOCALE / code / "LC_MESSAGES").glob("*/*.po"))]:
        found += [(path.name, m.string) for m in read_catalog(path) if m.id and m.string]
    return found


@pytest.mark.parametrize("code", CODES)
def test_one_term_for_one_thing(code: str) -> None:
    strings = _edition_strings(code)
    for chosen, variants in TERM_VARIANTS[code].items():
        for variant in variants:
            hits = [(name, s[:80]) for name, s in strings if variant in s]
            assert not hits, f"{code}: '{variant}' where the edition says '{chosen}': {hits[:3]}"


@pytest.mark.parametrize("code", ("en", *CODES))
def test_emphasis_renders_in_every_edition(code: str) -> None:
    """No literal ** on the page: in Japanese, bold that ends in 、。： right before more text
    is not closed by CommonMark's rules, so the asterisks would show."""
    import mistune

    render = mistune.create_markdown()
    folder = ROOT / "notebooks" / ("" if code == "en" else code)
    broken = []
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                page = re.sub(r"<code>.*?</code>|<pre>.*?</pre>", "", render(cell.source), flags=re.S)
                broken += [f"{path.stem} {cell.get('id')}: "
                           f"…{html.unescape(page[max(0, m.start() - 30):m.end() + 10])}"
                           for m in re.finditer(r"\*\*", page)]
    assert not broken, f"{len(broken)} literal **: " + " | ".join(broken[:4])
