"""axe-core, the accessibility engine, run in a page: the violations of a given impact."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
INSTALL_HINT = ("axe-core is missing: `npm install --prefix .ci/node axe-core@4.10.3` (the CI "
                "script does this) or point KURIL_TEACHING_AXE at axe.min.js")
SERIOUS = ("serious", "critical")


def find_axe() -> Path | None:
    given = os.environ.get("KURIL_TEACHING_AXE")
    local = ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
    for path in (Path(given) if given else None, local):
        if path is not None and path.is_file():
            return path
    return None


def violations(page: Any, script: Path, include: list[str] | None = None,
               impacts: tuple[str, ...] = SERIOUS, exclude: list[str] | None = None) -> list[str]:
    """Run axe-core in ``page``, within the CSS selectors ``include`` (default: the whole
    page) and outside those of ``exclude``."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(script))
    context: dict[str, Any] | None = None
    if include or exclude:
        context = {"include": [[s] for s in include] if include else [["html"]]}
        if exclude:
            context["exclude"] = [[s] for s in exclude]
    found = page.evaluate(
        "async (context) => (await axe.run(context || document, {resultTypes: ['violations']}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' '))}))", context)
    return [f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][:3]})"
            for v in found if v["impact"] in impacts]
