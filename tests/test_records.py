"""The record layer: rows by id, one naming rule, island groups defined once."""

from __future__ import annotations

import pytest

import kuril_teaching as kt
from kuril_teaching import data, records


def test_any_row_by_id() -> None:
    assert records.row("timeline", "joint_declaration_1956")["date"] == "1956-10-19"
    assert records.row("islands", "shikotan")["area_km2_official"] == 247.7
    assert [r["id"] for r in records.rows("positions", ["ru_2018_islands_passed_legally",
                                                        "jp_mofa_illegal_occupation"])] == [
        "ru_2018_islands_passed_legally", "jp_mofa_illegal_occupation"]


@pytest.mark.parametrize(("call", "bad"), [
    (lambda: records.row("timeline", "no_such_event"), "no_such_event"),
    (lambda: records.rows("documents", ["nope"]), "nope"),
    (lambda: records.table("tables"), "tables"),
    (lambda: records.name("etorofu", "latin"), "latin"),
    (lambda: records.name("atlantis"), "atlantis"),
    (lambda: records.group("pacific"), "pacific"),
    (lambda: records.members("nowhere"), "nowhere"),
    (lambda: records.sources_of("islands", ["etorofu"], ["url"]), "url"),
])
def test_bad_ids_name_the_value_and_the_choices(call, bad: str) -> None:
    with pytest.raises(ValueError) as info:
        call()
    assert bad in str(info.value) and "valid" in str(info.value)


def test_one_naming_rule() -> None:
    assert records.name("etorofu") == "Etorofu / Iturup"
    assert records.name("etorofu", "short") == "Etorofu"
    assert records.name("etorofu", "ja") == "択捉島"
    assert records.name("etorofu", "ru") == "Итуруп"
    assert records.name("etorofu", "full") == "Etorofu / Iturup (択捉島 / Итуруп)"
    assert records.name("Iturup", "short") == "Etorofu"  # names resolve to ids
    assert kt.name("hokkaido", "full") == "Hokkaido (北海道 / Хоккайдо)"


def test_groups_are_defined_by_the_table() -> None:
    assert records.group("disputed") == records.FOUR_ISLANDS
    assert set(records.FROM_HOKKAIDO) == set(records.FOUR_ISLANDS)
    assert records.members("habomai") == ("suisho", "yuri", "akiyuri", "shibotsu", "taraku",
                                          "habomai_islets")
    assert set(records.group("context")) == set(records.CONTEXT_ADMIN)
    assert records.group("amur") == ("tarabarov", "bolshoy_ussuriysky")


def test_names_live_only_in_the_island_table() -> None:
    table = data.islands_table().set_index("id")
    props = data.feature_properties()
    for ident, feature in props.items():
        if ident.startswith("cn_ru_boundary"):
            continue  # lines, not land: described, not named
        assert ident in table.index, f"{ident} has a polygon but no row in islands.csv"
        assert not {"name_en", "name_ja", "name_ru", "name_zh"} & set(feature), ident
    for ident in table.index:
        assert table.loc[ident, "name_en"] and table.loc[ident, "name_ru"]
        assert "clipped" not in table.loc[ident, "name_en"]


def test_sources_of_a_set_of_records() -> None:
    ids = records.sources_of("timeline", ["treaty_of_shimoda_1855", "joint_declaration_1956"])
    expected = [*records.row("timeline", "treaty_of_shimoda_1855")["source_ids"],
                *records.row("timeline", "joint_declaration_1956")["source_ids"]]
    assert ids == list(dict.fromkeys(expected))
    area = records.sources_of("islands", ["etorofu"], ["area_official_source_ids"])
    assert area == ["hoppou_islands_area", "mofa_northern_territories_info", "japantimes_2015_03_10"]


def test_feature_copies_do_not_change_the_cache() -> None:
    features = data.geo_features()
    features["etorofu"]["properties"]["group"] = "changed"
    features["etorofu"]["geometry"]["coordinates"].clear()
    again = data.geo_features()["etorofu"]
    assert again["properties"]["group"] == "disputed" and again["geometry"]["coordinates"]
