"""The treaties in their authentic languages: every text a lesson quotes either has an
authentic-language version stored beside it or says why not; the flag is validated and shown."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

import kuril_teaching as kt
from kuril_teaching import data, display, records
from kuril_teaching._resources import data_root

ROOT = Path(__file__).resolve().parents[1]
_QUOTED = re.compile(r"""(?:quote|texts)\(\s*["']([a-z0-9_]+)["']"""
                     r"""|row\(\s*["']documents["']\s*,\s*["']([a-z0-9_]+)["']""")


def _ids_in(node: object, one: str, many: str) -> set[str]:
    """Ids under the content keys ``one`` / ``many`` (e.g. ``document`` / ``documents``)
    anywhere in a YAML tree."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == one and isinstance(value, str):
                found.add(value)
            elif key == many and isinstance(value, list):
                found.update(v for v in value if isinstance(v, str))
            else:
                found |= _ids_in(value, one, many)
    elif isinstance(node, list):
        for value in node:
            found |= _ids_in(value, one, many)
    return found


def quoted_documents() -> set[str]:
    """Every document a lesson shows: named in a lesson's content file, a text of an event the
    content file names, quoted in a notebook, or cited as evidence by a fact check (lesson 06
    quotes those)."""
    docs = kt.documents()
    known = set(docs["id"])
    ids: set[str] = set()
    for path in sorted((ROOT / "data" / "lessons").glob("0*.yaml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        ids |= _ids_in(content, "document", "documents")
        ids.update(docs.loc[docs["event_id"].isin(_ids_in(content, "event", "events")), "id"])
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                ids.update(a or b for a, b in _QUOTED.findall(cell.source))
    for evidence in kt.fact_checks()["evidence_ids"]:
        ids.update(i for i in evidence if i in known)
    return ids & known


def test_the_lessons_quote_the_treaties() -> None:
    quoted = quoted_documents()
    for doc in ("shimoda_1855_art2_en", "st_petersburg_1875_art2_en", "portsmouth_1905_art9_en",
                "sf_1951_art2c_en", "joint_declaration_1956_art9_en_un",
                "tokyo_declaration_1993_para2_ja", "irkutsk_2001_en"):
        assert doc in quoted


@pytest.mark.parametrize("document_id", sorted(quoted_documents()))
def test_quoted_document_has_authentic_text_or_a_reason(document_id: str) -> None:
    versions = data.versions(document_id)
    reasons = [r for r in versions["no_authentic_text"] if str(r).strip()]
    assert versions["authentic"].any() or reasons, (
        f"{document_id} is quoted by a lesson but has no authentic-language text in "
        "documents.yaml (same `passage`, `authentic: true`) and no `no_authentic_text` reason")
    for reason in reasons:
        assert len(reason) > 40, "a reason says what was searched and found"


def test_article9_has_an_authentic_text_in_an_authentic_language() -> None:
    versions = data.versions("joint_declaration_1956_art9_en_un")
    authentic = versions[versions["authentic"]]
    assert set(authentic["language"]) <= {"ja", "ru"} and len(authentic) >= 1
    assert "歯舞群島及び色丹島" in authentic["text"].iloc[0]
    assert not versions.loc[versions["language"].isin(["en", "fr"]), "authentic"].any()


def test_versions_share_one_passage_and_put_authentic_texts_first() -> None:
    versions = data.versions("st_petersburg_1875_art2_en")
    assert list(versions["id"]) == ["st_petersburg_1875_art2_fr", "st_petersburg_1875_art2_en"]
    assert list(versions["authentic"]) == [True, False]
    alone = data.versions("yalta_1945_para3_en")
    assert list(alone["id"]) == ["yalta_1945_para3_en"]
    with pytest.raises(ValueError, match="unknown document id 'no_such_text'"):
        data.versions("no_such_text")


def _text(block: display.Html) -> str:
    return html.unescape(re.sub(r"<style.*?</style>|<[^>]+>", " ", block.text, flags=re.S))


def test_quote_says_in_words_whether_a_text_is_authentic() -> None:
    authentic = _text(display.quote("st_petersburg_1875_art2_fr"))
    assert "Authentic text (French)" in authentic and "a translation" not in authentic
    translated = _text(display.quote("st_petersburg_1875_art2_en"))
    assert "English text: a translation, not an authentic text" in translated
    assert "Authentic text (" not in translated


def test_texts_shows_the_authentic_text_beside_the_named_translation() -> None:
    shown = display.texts("st_petersburg_1875_art2_en").text
    left, right = re.findall(r"<td>(.*?)</td>", shown.split("<tbody>")[1], flags=re.S)
    assert "Sa Majesté l&#x27;Empereur" in left and "His Majesty the Emperor" not in left
    assert "His Majesty the Emperor of All the Russias" in right
    translation = records.row("documents", "st_petersburg_1875_art2_en")["translation"]
    assert html.escape(translation) in right  # the translation and who made it
    assert shown.count("<style>") == 1


def test_texts_others_only_leaves_out_the_quote_above_and_gives_reasons() -> None:
    others = _text(display.texts("portsmouth_1905_art9_en", others_only=True))
    assert "Le Gouvernement Impérial de Russie" in others
    assert "The Imperial Russian Government cede" not in others
    itself = _text(display.texts("sf_1951_art2c_en", others_only=True))
    assert "The English text above is itself an authentic text." in itself
    reason = records.row("documents", "sino_russian_1997_statement_phrase_en")["no_authentic_text"]
    shown = _text(display.texts("sino_russian_1997_statement_phrase_en"))
    assert reason and f"No authentic-language text is stored: {reason}" in " ".join(shown.split())
    irkutsk = _text(display.texts("irkutsk_2001_en"))
    assert "クラスノヤルスク合意" in irkutsk and "Krasnoyarsk Agreement" in irkutsk


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(Path(str(data_root())), target)
    return target


def _edit(path: Path, entry: int, key: str, value: object) -> None:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    if value is None:
        items[entry - 1].pop(key, None)
    else:
        items[entry - 1][key] = value
    path.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(("key", "value", "problem"), [
    ("authentic", "yes", "is not true or false"),
    ("authentic", None, "required key is missing"),
    ("passage", "Shimoda 1855", "is not a lowercase snake_case id"),
    ("language", "de", "is not one of"),
])
def test_bad_authentic_fields_are_reported(copy: Path, key: str, value: object, problem: str) -> None:
    _edit(copy / "documents.yaml", 1, key, value)
    with pytest.raises(kt.DataFileError) as info:
        kt.validate(copy)
    assert (info.value.file, info.value.row, info.value.column) == ("documents.yaml", 1, key)
    assert problem in str(info.value)


def test_reason_on_an_authentic_text_and_mixed_passage_are_reported(copy: Path) -> None:
    path = copy / "documents.yaml"
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    first = next(n for n, d in enumerate(items, start=1) if d["authentic"])
    _edit(path, first, "no_authentic_text", "not needed")
    with pytest.raises(kt.DataFileError, match="this text is authentic") as info:
        kt.validate(copy)
    assert (info.value.row, info.value.column) == (first, "no_authentic_text")
    _edit(path, first, "no_authentic_text", None)
    other = next(n for n, d in enumerate(items, start=1)
                 if d["event_id"] != items[0]["event_id"])
    _edit(path, other, "passage", items[0].get("passage") or "shimoda_1855_art2")
    with pytest.raises(kt.DataFileError, match="belongs to event") as info:
        kt.validate(copy)
    assert info.value.column == "passage"


def test_yalta_para2a_stays_unsettled_and_names_the_copies_that_differ() -> None:
    para = records.row("documents", "yalta_1945_para2a_en")
    assert para["confidence"] == "low"
    assert para["text"] == ("(a) The southern part of Sakhalin as well as the islands adjacent to it "
                            "shall be returned to the Soviet Union;")
    copies = {"southfront_yalta_text", "flot3000_yalta_ru", "frus_1946_v06_kennan_tass"}
    assert copies <= set(para["source_ids"])
    assert "Executive Agreement Series 498" in para["note"] and "всех прилегающих" in para["note"]
    shown = "".join(c.source for path in sorted((ROOT / "notebooks").glob("*.ipynb"))
                    for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    assert "yalta_1945_para2a_en" not in shown, "not quoted before the State Department text is read"


def test_missing_authentic_texts_say_what_was_searched() -> None:
    art9 = records.row("documents", "joint_declaration_1956_art9_ja")["note"]
    assert "Pravda no. 294" in art9 and "docs.cntd.ru" in art9
    assert "передача" in records.row("documents", "joint_declaration_1956_art9_en_un")["note"]
    assert "lawmix_irkutsk_statement_ru" in records.row("documents", "irkutsk_2001_ja")["note"]
    sf = records.row("documents", "sf_1951_art2c_en")
    assert "vlex_unts_136_sf_treaty" in sf["source_ids"] and "Art. 2(e)" in sf["note"]
    assert not data.versions("sf_1951_art2c_en")["language"].isin(["fr", "es"]).any()
