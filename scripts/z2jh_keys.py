"""Index the configuration keys of the Zero to JupyterHub Helm chart, for tests/hub.

Reads the chart's ``values.schema.yaml`` (BSD-3-Clause, Project Jupyter Contributors; from
https://github.com/jupyterhub/zero-to-jupyterhub-k8s, ``jupyterhub/values.schema.yaml``) and
writes ``tests/data/z2jh_values_keys.json``: every documented key path with its allowed JSON
types, and the paths under which any key is allowed (free-form blocks such as ``hub.config``).
Run by hand when the chart changes:

    python scripts/z2jh_keys.py path/to/values.schema.yaml CHART_COMMIT
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "z2jh_values_keys.json"


def _types(node: dict[str, Any]) -> list[str]:
    kind = node.get("type", [])
    return sorted(kind if isinstance(kind, list) else [kind])


def walk(node: dict[str, Any], path: str, keys: dict[str, list[str]], open_paths: list[str]) -> None:
    extra = node.get("additionalProperties", True if "properties" not in node else False)
    if path and (extra is True or isinstance(extra, dict) or "patternProperties" in node):
        if "object" in _types(node) or "properties" in node or not _types(node):
            open_paths.append(path)
    for name, child in (node.get("properties") or {}).items():
        where = f"{path}.{name}" if path else name
        keys[where] = _types(child)
        walk(child, where, keys, open_paths)


def main(schema_file: str, commit: str) -> None:
    schema = yaml.safe_load(Path(schema_file).read_text(encoding="utf-8"))
    keys: dict[str, list[str]] = {}
    open_paths: list[str] = []
    walk(schema, "", keys, open_paths)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({
        "source": "https://github.com/jupyterhub/zero-to-jupyterhub-k8s/blob/"
                  f"{commit}/jupyterhub/values.schema.yaml",
        "licence": "BSD-3-Clause, Copyright (c) 2017, Project Jupyter Contributors",
        "keys": dict(sorted(keys.items())),
        "open": sorted(open_paths),
    }, indent=1) + "\n", encoding="utf-8")
    print(f"{len(keys)} keys, {len(open_paths)} open blocks -> {OUT}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
