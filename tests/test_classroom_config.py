"""The Zero to JupyterHub configuration in docs/classroom.md: every key is one the chart
documents, every value of a type the chart's values schema allows, and the memory a student
gets is the one the hub benchmark measured (benchmarks/hub.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
KEYS = json.loads((ROOT / "tests" / "data" / "z2jh_values_keys.json").read_text(encoding="utf-8"))
_TYPES = {bool: {"boolean"}, int: {"integer", "number"}, float: {"number"}, str: {"string"},
          dict: {"object"}, list: {"array"}, type(None): {"null"}}


def _config() -> dict[str, Any]:
    text = (ROOT / "docs" / "classroom.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- z2jh-config -->\s*```yaml\n(.*?)```", text, flags=re.S)
    assert block, "docs/classroom.md has no Zero to JupyterHub config block"
    return yaml.safe_load(block.group(1))


def _leaves(node: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(node, dict):
        return [leaf for key, value in node.items() for leaf in _leaves(value, f"{path}.{key}".lstrip("."))]
    return [(path, node)]


def _open(path: str) -> bool:
    return any(path.startswith(f"{block}.") for block in KEYS["open"])


def test_every_key_is_in_the_charts_schema_with_a_type_it_allows() -> None:
    leaves = _leaves(_config())
    assert leaves
    for path, value in leaves:
        if _open(path):
            continue
        assert path in KEYS["keys"], f"{path} is not a key of the jupyterhub chart"
        allowed = set(KEYS["keys"][path])
        assert not allowed or _TYPES[type(value)] & allowed, f"{path}: {value!r} is not {allowed}"


def test_the_schema_index_knows_what_a_mistake_looks_like() -> None:
    assert "singleuser.memory.guarantee" in KEYS["keys"]
    assert "singleuser.memory.guarantees" not in KEYS["keys"]  # a typo would be caught
    assert not _open("singleuser.memory.guarantees")


def _mb(quantity: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)\s*([KMG]i?)?", str(quantity)).groups()
    scale = {"K": 1e3, "M": 1e6, "G": 1e9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, None: 1}[unit]
    return float(number) * scale / 2**20


def test_memory_comes_from_the_measured_figures() -> None:
    table = (ROOT / "benchmarks" / "hub.md").read_text(encoding="utf-8")
    guarantee = float(re.search(r"\| memory guarantee \| (\d+) MB", table).group(1))
    limit = float(re.search(r"\| memory limit [^|]*\| (\d+) MB", table).group(1))
    memory = _config()["singleuser"]["memory"]
    assert abs(_mb(memory["guarantee"]) - guarantee) <= 0.05 * guarantee
    assert abs(_mb(memory["limit"]) - limit) <= 0.05 * limit
    assert _config()["cull"]["enabled"] is True
