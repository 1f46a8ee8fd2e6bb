"""The library in Japanese and Russian: the catalogs follow the English source, the shared
library's sentences are all translated, and switching language changes what is shown."""

from __future__ import annotations

import html
import json
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import i18n_script, read_catalog

import kuril_teaching as kt
from kuril_teaching import content, display, i18n

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    yield
    i18n.set_language("en")


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_the_template_holds_every_sentence_of_the_content() -> None:
    fresh = i18n_script().template()
    committed = read_catalog(LOCALE / "kuril_teaching.pot")
    assert {m.id for m in fresh if m.id} == {m.id for m in committed if m.id}, \
        "locale/kuril_teaching.pot is out of date: run python scripts/i18n.py"
    assert len([m for m in fresh if m.id]) > 800


@pytest.mark.parametrize("code", ["ja", "ru"])
def test_each_catalog_follows_the_template(code: str) -> None:
    template = {m.id for m in read_catalog(LOCALE / "kuril_teaching.pot") if m.id}
    catalog = read_catalog(LOCALE / code / "LC_MESSAGES" / "kuril_teaching.po")
    assert {m.id for m in catalog if m.id} == template, "run python scripts/i18n.py"


def _library_entries(code: str) -> list:
    catalog = read_catalog(LOCALE / code / "LC_MESSAGES" / "kuril_teaching.po")
    return [m for m in catalog if m.id and any(f.endswith("library.yaml") for f, _ in m.locations)]


@pytest.mark.parametrize("code", ["ja", "ru"])
def test_the_shared_library_speaks_the_language(code: str) -> None:
    entries = _library_entries(code)
    assert len(entries) > 100
    missing = [m.id for m in entries if not m.string]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:3]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:3]}"
    for message in entries:
        assert _fields(message.string) == _fields(message.id), \
            f"placeholders differ: {message.id!r} -> {message.string!r}"


@pytest.mark.parametrize("code, script", [("ja", r"[\u3040-\u30ff\u4e00-\u9fff]"),
                                          ("ru", r"[\u0400-\u04ff]")])
def test_switching_language_changes_feedback_dates_and_headers(code: str, script: str) -> None:
    kt.set_language(code)
    assert kt.language() == code
    message = kt.check_code("island_shares", ...).message
    assert re.search(script, message), message
    assert re.search(script, content.text("widget.check"))
    assert re.search(script, display.long_date("1855-02-07"))
    kt.set_language("en")
    assert kt.check_code("island_shares", ...).message.startswith("Not answered yet")
    assert display.long_date("1855-02-07") == "7 February 1855"


def _legend_heading(page: str) -> list[str]:
    """The legend's heading as the map page writes it (JSON in a script, in an HTML frame)."""
    scripts = re.findall(r'kt-legend"\);\s*div\.innerHTML = ("(?:[^"\\]|\\.)*");', html.unescape(page))
    return [m for s in scripts for m in re.findall(r"<b>([^<]+)</b>", json.loads(s))][:1]


def test_a_map_made_after_switching_speaks_the_new_language() -> None:
    kt.set_language("ru")
    legend = content.text("maps.legend")
    assert legend != "Legend" and re.search(r"[\u0400-\u04ff]", legend)
    assert legend in _legend_heading(kt.island_map()._repr_html_())
    kt.set_language("en")
    assert _legend_heading(kt.island_map()._repr_html_()) == ["Legend"]
    kt.set_language("ja")
    assert 'documentElement.lang = "ja"' in html.unescape(kt.island_map()._repr_html_())


def test_unknown_language_names_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match=r"unknown language 'fr'; valid languages: en, ja, ru"):
        kt.set_language("fr")
    i18n._current.clear()
    monkeypatch.setenv("KURIL_TEACHING_LANG", "ru")
    assert kt.language() == "ru"
    monkeypatch.setenv("KURIL_TEACHING_LANG", "klingon")
    with pytest.raises(ValueError, match="in KURIL_TEACHING_LANG"):
        kt.language()
    monkeypatch.delenv("KURIL_TEACHING_LANG")
    assert kt.language() == "en"


def test_an_untranslated_or_fuzzy_message_shows_in_english(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    kt.set_language("ja")
    catalog = i18n.catalog("ja")
    entry = catalog.get("Check")
    assert entry is not None and entry.string
    monkeypatch.setattr(entry, "flags", {"fuzzy"})
    assert i18n.gettext("Check") == "Check"
    assert i18n.gettext("A sentence no catalog has.") == "A sentence no catalog has."


@pytest.mark.parametrize("code, forms", [
    ("en", {1: "1 event", 3: "3 events", 5: "5 events", 21: "21 events"}),
    ("ru", {1: "1 событие", 3: "3 события", 5: "5 событий", 11: "11 событий", 21: "21 событие",
            22: "22 события"}),
    ("ja", {1: "1件の出来事", 5: "5件の出来事"}),
])
def test_plural_forms_follow_the_language(code: str, forms: dict[int, str]) -> None:
    """Russian has three plural forms, chosen by the catalog's rule; Japanese one; English two."""
    kt.set_language(code)
    lesson = content.lesson("01_history")
    for n, expected in forms.items():
        assert lesson.plural("explorer.count", n, count=n) == expected
    with pytest.raises(ValueError, match="not a plural message"):
        lesson.plural("explorer.period", 2)


def test_numbers_in_tables_popups_and_sentences_follow_the_locale() -> None:
    from kuril_teaching import maps

    row = kt.islands().set_index("id").loc["etorofu"].to_dict()
    area = f"{row['area_km2_official']:,.1f}"  # the English form, e.g. 3,166.6
    kt.set_language("ru")
    russian = area.replace(",", "\u00a0").replace(".", ",")
    assert display.cell_text(row["area_km2_official"]) == russian.removesuffix(",0")
    assert russian in maps.popup_html(row)
    assert i18n.number("12.5%") == "12,5%" and i18n.number("5,003") == "5\u00a0003"
    kt.set_language("ja")
    assert display.cell_text(5003.1) == "5,003.1"  # Japanese writes numbers as English does
    kt.set_language("en")
    assert display.cell_text(5003.1) == "5,003.1" and area in maps.popup_html(row)


@pytest.mark.parametrize("code", ["ja", "ru"])
def test_the_editions_language_version_of_a_text_leads(code: str) -> None:
    """Quoting a passage in another language shows the edition's own version first (an
    authentic one where the project holds it), then the quoted one for comparison."""
    docs = kt.documents()
    passages = docs[docs["passage"] != ""].groupby("passage")
    checked = 0
    for _passage, rows in passages:
        own = rows[rows["language"] == code]
        others = rows[rows["language"] != code]
        if own.empty or others.empty:
            continue
        kt.set_language(code)
        page = kt.quote(str(others.iloc[0]["id"])).text
        langs = re.findall(r'<blockquote lang="(\w+)"', page)
        assert langs[0] == code and langs[-1] == str(others.iloc[0]["language"]), langs
        assert html.escape(content.text("display.for_comparison")) in page
        first_own = kt.row("documents", str(own.iloc[0]["id"]))
        assert first_own["authentic"] or not own["authentic"].any()  # an authentic text first
        ordered = list(kt.data.versions(str(others.iloc[0]["id"]))["language"])
        authentic = [lang for lang, a in zip(ordered, kt.data.versions(
            str(others.iloc[0]["id"]))["authentic"], strict=True) if a]
        if code in authentic:
            assert authentic[0] == code, authentic
        kt.set_language("en")
        assert re.findall(r'<blockquote lang="(\w+)"', kt.quote(str(others.iloc[0]["id"])).text) == \
            [str(others.iloc[0]["language"])]
        checked += 1
    assert checked >= 1, f"no passage has a {code} version"
