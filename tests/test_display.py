"""The display layer: full tables, quote cards, side by side, events, confidence, sources."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

import kuril_teaching as kt
from kuril_teaching import display, records


def _text(block: display.Html) -> str:
    return html.unescape(re.sub(r"<style.*?</style>|<[^>]+>", " ", block.text, flags=re.S))


def test_table_shows_every_cell_in_full() -> None:
    long = "word " * 200
    frame = pd.DataFrame({"ids": [("a", "b")], "missing": [float("nan")], "area": [3166.6],
                          "people": [pd.NA], "text": [long]})
    shown = display.table(frame)
    cells = re.findall(r"<td>(.*?)</td>", shown.text, flags=re.S)
    assert cells == ["a, b", "", "3,166.6", "", html.escape(long)]
    assert "<th></th>" not in shown.text and "...</td>" not in shown.text
    assert "NaN" not in shown.text and "&lt;NA&gt;" not in shown.text


def test_table_index_only_when_named_and_columns_renamed() -> None:
    frame = pd.DataFrame({"x": [1, 2]}, index=pd.Index(["a", "b"], name="id"))
    assert "<th>a</th>" in display.table(frame).text
    plain = display.table(frame.reset_index(drop=True))
    assert "<th>0</th>" not in plain.text
    renamed = display.table(frame, {"x": "Count"})
    assert "<th>Count</th>" in renamed.text
    with pytest.raises(ValueError, match=r"'y'.*valid columns: x"):
        display.table(frame, ["y"])
    with pytest.raises(ValueError, match="DataFrame"):
        display.show([1, 2])


def test_quote_card_is_exact_and_names_its_translation() -> None:
    doc = records.row("documents", "shimoda_1855_art2_en")
    card = _text(display.quote("shimoda_1855_art2_en"))
    assert " ".join(str(doc["text"]).split()) in " ".join(card.split())
    assert f"Translation: {doc['translation']}" in card
    assert f"{doc['confidence']} confidence" in card
    assert "shimoda_treaty_en_repost" in card
    marked = display.quote("shimoda_1855_art2_en", marked=["urup"]).text
    assert "(<mark>Urup</mark>)" in marked  # case-insensitive, original case kept


def test_side_by_side_puts_each_government_in_its_column() -> None:
    ids = ["ru_2018_islands_passed_legally", "jp_mofa_illegal_occupation"]
    shown = display.side_by_side(ids).text
    japan, russia = re.findall(r"<td>(.*?)</td>", shown, flags=re.S)
    jp, ru = records.row("positions", ids[1]), records.row("positions", ids[0])
    assert html.escape(jp["statement"]) in japan and html.escape(jp["statement"]) not in russia
    assert html.escape(ru["statement"]) in russia
    assert "Japan&#x27;s government holds that" in shown or "Japan's government holds that" in shown
    only_japan = display.side_by_side(ids[1:]).text
    assert "none chosen" in only_japan


def test_events_table_in_date_order_with_long_dates() -> None:
    shown = _text(display.events(["joint_declaration_1956"]))
    assert "19 October 1956" in shown and "Date" in shown and "Confidence" in shown
    frame = kt.timeline(start=1855, end=1855)
    assert "7 February 1855" in _text(display.events(frame, notes=True))
    assert "No events match" in _text(display.events(frame.iloc[0:0]))


def test_confidence_is_said_in_words() -> None:
    assert _text(display.confidence("low", "read only in a repost")).strip() == \
        "low confidence: read only in a repost"
    with pytest.raises(ValueError, match=r"'certain'.*high, medium, low"):
        display.confidence("certain")


def test_source_list_links_each_source_once() -> None:
    listed = display.source_list(["mofa_northern_territories", "mofa_northern_territories"])
    assert len(listed) == 1
    url = records.row("sources", "mofa_northern_territories")["url"]
    assert f'href="{html.escape(url)}"' in listed._repr_html_()
    assert listed._repr_markdown_().startswith("- [")
    with pytest.raises(ValueError, match="no_such_source"):
        display.source_list(["no_such_source"])


@pytest.mark.parametrize(("iso", "expected"), [
    ("1956-10-19", "19 October 1956"), ("2019-04", "April 2019"), ("1855", "1855")])
def test_long_date(iso: str, expected: str) -> None:
    assert display.long_date(iso) == expected


@pytest.mark.parametrize("bad", ["1956-13", "1956-02-30", "19 Oct 1956"])
def test_long_date_refuses_bad_dates(bad: str) -> None:
    with pytest.raises(ValueError, match="valid"):
        display.long_date(bad)


def test_side_by_side_keeps_the_reason_of_a_lower_confidence_visible() -> None:
    row = records.row("positions", "ru_1960_troop_withdrawal_condition")
    shown = _text(display.side_by_side([row["id"]]))
    assert f"medium confidence: {row['note']}" in " ".join(shown.split())


def test_linked_view_follows_its_control() -> None:
    import ipywidgets as w

    pick = w.Dropdown(options=["a", "b"], value="a")
    box = display.linked(pick, lambda value: f"<b>{value}</b>")
    assert box.view.value == "<b>a</b>"
    pick.value = "b"
    assert box.view.value == "<b>b</b>" and box.control is pick


def test_side_by_side_names_the_translation_under_each_quote() -> None:
    row = records.row("positions", "ru_2018_islands_passed_legally")
    shown = " ".join(_text(display.side_by_side([row["id"]])).split())
    assert f"Translation: {row['translation']}" in shown and row["translation"] == \
        "TASS's English translation"
