"""Speed and size of the lessons, each measured against a baseline taken in the same run.

Run by hand from the repository root (not part of the test suite)::

    .venv/bin/python benchmarks/run_benchmarks.py            # everything
    .venv/bin/python benchmarks/run_benchmarks.py --no-browser

It prints a table and writes it to ``benchmarks/results.md``. The browser part needs
Chromium (``sudo apt-get install chromium``) and Playwright, as the browser tests do.
Kernels run offline, with the same guard as the browser tests.
"""

from __future__ import annotations

import argparse
import html
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import lab  # noqa: E402  (the browser tests' JupyterLab and Chromium helpers)

KB = 1024
FLOOR_CODE = "import pandas, folium"


@dataclass
class Row:
    """One line of the results table; ``ratio`` and ``target`` are optional."""

    measure: str
    value: float
    unit: str
    baseline: float | None = None
    target: float | None = None
    target_text: str = ""
    ratio_target: bool = False

    @property
    def ratio(self) -> float | None:
        return None if not self.baseline else self.value / self.baseline

    @property
    def passed(self) -> bool | None:
        if self.target is None:
            return None
        measured = self.ratio if self.ratio_target else self.value
        return measured is not None and measured <= self.target


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "KB":
        return f"{value:,.1f} KB"
    if unit == "MB":
        return f"{value:,.0f} MB"
    return f"{value:,.2f} {unit}".strip()


def table(rows: Iterable[Row]) -> str:
    """The rows as a Markdown table."""
    lines = ["| measure | value | baseline | ratio | target | result |",
             "|---|---:|---:|---:|---|---|"]
    for r in rows:
        verdict = {None: "", True: "pass", False: "**miss**"}[r.passed]
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else ""
        lines.append(f"| {r.measure} | {_fmt(r.value, r.unit)} | {_fmt(r.baseline, r.unit)} | "
                     f"{ratio} | {r.target_text} | {verdict} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------- kernels


@dataclass
class KernelRun:
    """A notebook executed in a fresh kernel: wall time, the kernel's peak RSS, outputs."""

    seconds: float
    peak_mb: float
    nb: nbformat.NotebookNode


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of process ``pid``, in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / KB
    raise RuntimeError(f"no VmHWM for process {pid}")


def run_kernel(nb: nbformat.NotebookNode, folder: Path, env: dict[str, str]) -> KernelRun:
    """Start a kernel, run every code cell of ``nb`` in it, read its peak memory, stop it."""
    from nbclient import NotebookClient

    start = time.perf_counter()
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}})
    with client.setup_kernel(env=env):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
        peak = peak_rss_mb(client.km.provisioner.pid)
        client.set_widgets_metadata()  # maps shown inside widgets are measured too
    return KernelRun(time.perf_counter() - start, peak, nb)


def floor_notebook() -> nbformat.NotebookNode:
    """The least any lesson runs: one cell importing pandas and folium."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(FLOOR_CODE)]
    return nb


def kernel_measures(paths: list[Path], env: dict[str, str], repeat: int
                    ) -> tuple[list[Row], dict[Path, nbformat.NotebookNode]]:
    """Sequence time against the floor, and each kernel's peak memory against the floor's."""
    best: dict[Path, KernelRun] = {}
    floor: dict[Path, float] = {}  # best of the floor kernels run beside each lesson
    floors: list[KernelRun] = []
    for _ in range(repeat):
        for path in paths:  # lessons and floor kernels alternate: load affects both alike
            run = run_kernel(nbformat.read(path, as_version=4), path.parent, env)
            if path not in best or run.seconds < best[path].seconds:
                best[path] = run
            floors.append(run_kernel(floor_notebook(), path.parent, env))
            floor[path] = min(floor.get(path, float("inf")), floors[-1].seconds)
    # Each lesson and its floor are the best of the same number of runs, taken side by side:
    # the least of all floor runs would be the best of many more tries than any lesson gets.
    floor_peak = statistics.median(f.peak_mb for f in floors)
    rows = [Row(f"notebook sequence, {len(paths)} fresh kernels (s)",
                sum(best[p].seconds for p in paths), "s", sum(floor.values()), 1.5,
                "≤ 1.5× floor", ratio_target=True)]
    rows += [Row(f"  {p.stem} (s)", best[p].seconds, "s", floor[p], 1.8, "≤ 1.8× floor",
                 ratio_target=True) for p in paths]
    rows += [Row(f"kernel peak RSS after Run All: {p.stem}", best[p].peak_mb, "MB", floor_peak,
                 500, "< 500 MB") for p in paths]
    return rows, {p: best[p].nb for p in paths}


def language_measures(paths: list[Path], env: dict[str, str], repeat: int) -> list[Row]:
    """Each translated sequence (notebooks/ja, notebooks/ru) against the English one, run
    side by side in fresh kernels: what the catalogs cost a lesson."""
    codes = [c for c in ("ja", "ru") if all((p.parent / c / p.name).is_file() for p in paths)]
    best: dict[tuple[str, Path], float] = {}
    for _ in range(repeat):
        for path in paths:  # the three editions of a lesson run one after the other
            for code in ("en", *codes):
                source = path if code == "en" else path.parent / code / path.name
                run = run_kernel(nbformat.read(source, as_version=4), source.parent, env)
                key = (code, path)
                best[key] = min(best.get(key, float("inf")), run.seconds)
    english = sum(best[("en", p)] for p in paths)
    names = {"ja": "Japanese", "ru": "Russian"}
    return [Row(f"notebook sequence in {names[c]}, {len(paths)} fresh kernels (s)",
                sum(best[(c, p)] for p in paths), "s", english, 1.2, "≤ 1.2× English",
                ratio_target=True) for c in codes]


def catalog_measures(repeat: int) -> list[Row]:
    """Loading a language's catalogs and drawing the first map in it, against English."""
    statements = {
        "en": "import kuril_teaching as kt; kt.island_map()._repr_html_()",
        "ja": "import kuril_teaching as kt; kt.set_language('ja'); kt.island_map()._repr_html_()",
        "ru": "import kuril_teaching as kt; kt.set_language('ru'); kt.island_map()._repr_html_()",
    }
    med = median_seconds(statements, repeat)
    return [Row(f"import + set_language('{c}') + first island_map() HTML (s)", med[c], "s",
                med["en"], 1.3, "≤ 1.3× English", ratio_target=True) for c in ("ja", "ru")]


# --------------------------------------------------------------------------- imports


def import_seconds(statement: str) -> float:
    """Seconds ``statement`` takes in a fresh interpreter (interpreter start excluded)."""
    code = ("import time; t = time.perf_counter(); " + statement +
            "; print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def median_seconds(statements: dict[str, str], repeat: int) -> dict[str, float]:
    """Each statement's median time in fresh interpreters, the statements interleaved."""
    times: dict[str, list[float]] = {k: [] for k in statements}
    for _ in range(max(5, repeat)):
        for key, statement in statements.items():
            times[key].append(import_seconds(statement))
    return {k: statistics.median(v) for k, v in times.items()}


def import_measures(repeat: int) -> list[Row]:
    """``import kuril_teaching`` (lazy: it loads its modules on first use) against
    ``import pandas``, interleaved, medians; with the modules a lesson loads, for reference."""
    statements = {
        "pandas": "import pandas",
        "kt": "import kuril_teaching",
        "core": "import kuril_teaching.data, kuril_teaching.geo, kuril_teaching.maps, "
                "kuril_teaching.exercises, kuril_teaching.display",
        "floor": FLOOR_CODE,
        "first_map": "import kuril_teaching as kt; kt.island_map()._repr_html_()",
    }
    med = median_seconds(statements, repeat)
    return [
        Row("import kuril_teaching (s)", med["kt"], "s", med["pandas"], 1.2, "≤ 1.2× pandas",
            ratio_target=True),
        Row("import kuril_teaching's data, geo, maps, exercises and display modules (s), "
            "for reference",
            med["core"], "s", med["pandas"]),
        Row("import kuril_teaching + first island_map() HTML (s), for reference",
            med["first_map"], "s", med["floor"]),
    ]


# --------------------------------------------------------------------------- sizes


def _leaflet_assets() -> list[str]:
    folder = resources.files("kuril_teaching") / "_leaflet"
    return [(folder / name).read_text(encoding="utf-8") for name in ("leaflet.js", "leaflet.css")]


def _html_outputs(nb: nbformat.NotebookNode) -> Iterable[tuple[str, str]]:
    """(where, HTML) for every HTML output, also those inside Output and HTML widgets."""
    for n, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        for out in cell.get("outputs", []):
            if "text/html" in out.get("data", {}):
                yield f"code cell {n}", out["data"]["text/html"]
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    for model in state.get("state", {}).values():
        values = model.get("state", {})
        for out in values.get("outputs", []) or []:
            if "text/html" in out.get("data", {}):
                yield "in a widget", out["data"]["text/html"]
        if model.get("model_name") == "HTMLModel" and isinstance(values.get("value"), str):
            yield "in a widget", values["value"]


def map_pages(nb: nbformat.NotebookNode) -> list[tuple[str, str, int]]:
    """(where, the map's page, bytes of the output as the notebook stores it) per map."""
    found = []
    for where, text in _html_outputs(nb):
        text = text if isinstance(text, str) else "".join(text)
        for match in re.finditer(r'srcdoc="([^"]*)"', text):
            page = html.unescape(match.group(1))
            if "L.map(" in page:
                found.append((where, page, len(text.encode())))
    return found


def size_measures(executed: dict[Path, nbformat.NotebookNode]) -> list[Row]:
    """Each map's page: total, Leaflet's share, the project's own geometry and markup."""
    assets = _leaflet_assets()
    rows = []
    for path, nb in executed.items():
        for n, (where, page, stored) in enumerate(map_pages(nb), 1):
            total = len(page.encode())
            leaflet = sum(len(a.encode()) for a in assets if a in page)
            label = f"{path.stem} map {n} ({where})"
            rows.append(Row(f"map page: {label}", total / KB, "KB", None, 300, "< 300 KB"))
            rows.append(Row("  of which Leaflet JS+CSS", leaflet / KB, "KB"))
            rows.append(Row("  of which own geometry and markup", (total - leaflet) / KB, "KB",
                            None, 100, "< 100 KB"))
            rows.append(Row("  as stored in the notebook output (HTML-escaped)", stored / KB,
                            "KB"))
    return rows


# Explorers that redraw a map when a student changes their control: (module, function).
EXPLORERS = (("explore", "island_explorer"), ("history", "border_explorer"),
             ("chinese_model", "amur_explorer"), ("chinese_model", "share_explorer"),
             ("preconditions", "two_views"), ("scenarios", "scenario_explorer"))


def _widgets(root: Any) -> Iterable[Any]:
    yield root
    for child in getattr(root, "children", ()):
        yield from _widgets(child)


def explorer_redraw_rows() -> list[Row]:
    """Bytes an explorer sends to the browser when its first control moves one step: the new
    values of its HTML views, and how much of that is the inlined Leaflet."""
    import importlib

    import ipywidgets as w

    leaflet = sum(len(html.escape(a).encode()) for a in _leaflet_assets())
    rows = []
    for module, function in EXPLORERS:
        box = getattr(importlib.import_module(f"kuril_teaching.{module}"), function)()
        views = [x for x in _widgets(box) if isinstance(x, w.HTML)]
        control = next(x for x in _widgets(box) if hasattr(x, "options") and len(x.options) > 1)
        before = [v.value for v in views]
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        control.value = next(v for v in values if v != control.value)
        sent = [v.value for v, old in zip(views, before, strict=True) if v.value != old]
        size = sum(len(x.encode()) for x in sent)
        maps_sent = sum(1 for x in sent if "L.map(" in html.unescape(x))
        rows.append(Row(f"explorer redraw: {module}.{function}() ({maps_sent} map)", size / KB,
                        "KB"))
        rows.append(Row("  of which Leaflet JS+CSS (HTML-escaped, as the iframe carries it)",
                        maps_sent * leaflet / KB, "KB"))
    return rows


def tracked_files(*folders: str) -> list[Path]:
    """Files git tracks or would track (not ignored) in ``folders``; all files without git."""
    try:
        out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard",
                              "-z", "--", *folders], capture_output=True, check=True, cwd=ROOT)
        names = [n for n in out.stdout.decode().split("\0") if n]
        return [ROOT / n for n in names if (ROOT / n).is_file()]
    except (OSError, subprocess.CalledProcessError):
        return [p for f in folders for p in (ROOT / f).rglob("*") if p.is_file()]


def repo_size_rows() -> list[Row]:
    """Total size of the lesson notebooks and of the data, as committed."""
    rows = []
    for label, folder, pattern in (("lesson notebooks", "notebooks", r"\d\d_.*\.ipynb$"),
                                   ("data", "data", r".")):
        files = [p for p in tracked_files(folder) if re.search(pattern, p.name)]
        size = sum(p.stat().st_size for p in files)
        rows.append(Row(f"size of the {label} ({len(files)} files)", size / KB, "KB"))
    return rows


# --------------------------------------------------------------------------- browser


def browser_measures(paths: list[Path], repeat: int) -> list[Row]:
    """Run All to the last map drawn, per notebook, in JupyterLab in Chromium (offline)."""
    from playwright.sync_api import sync_playwright

    chromium = lab.find_chromium()
    if chromium is None:
        print(f"skipping the browser measures: {lab.INSTALL_HINT}", file=sys.stderr)
        return []
    floor_name = "floor_import_pandas_folium.ipynb"
    home = Path(tempfile.mkdtemp(prefix="kuril-bench-"))
    server = lab.start_lab(home, paths, extra={floor_name: floor_notebook()})
    best: dict[str, float] = {}
    try:
        with sync_playwright() as playwright:
            browser = lab.launch_chromium(playwright, chromium)
            context = browser.new_context(viewport={"width": 1280, "height": 900},
                                          proxy=lab.LAB_OFFLINE_PROXY)
            page = context.new_page()
            lab.open_lab(page, server)
            for _ in range(repeat):
                for name in [floor_name, *(p.name for p in paths)]:
                    lab.open_notebook(page, name)
                    result = lab.wait_run_all(page)
                    lab.close_notebook(page)
                    if result.errors():
                        raise RuntimeError(f"{name}: {result.errors()[0]}")
                    seconds = (result.seconds_to_last_map if result.maps
                               else result.seconds_to_cells_done)
                    best[name] = min(seconds, best.get(name, seconds))
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)
    floor = best[floor_name]
    return [Row(f"browser: Run All to last map drawn, {p.stem} (s)", best[p.name], "s", floor,
                5, "< 5 s") for p in paths]


# --------------------------------------------------------------------------- main


def _timed(label: str, make: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    print(f"measuring {label} ...", file=sys.stderr, flush=True)
    value = make()
    print(f"  done in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    return value


def report(rows: list[Row], paths: list[Path], repeat: int) -> str:
    """The results page: what was measured, on what, and the table."""
    missed = [r.measure.strip() for r in rows if r.passed is False]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join([
        "# Benchmark results",
        "",
        f"Written by `benchmarks/run_benchmarks.py` on {when}: {os.cpu_count()} CPU cores, "
        f"Python {platform.python_version()}, {platform.system()}; best of {repeat} "
        f"run(s) for times, median of at least 5 for imports. Lessons measured: "
        f"{', '.join(p.stem for p in paths)}.",
        "",
        "Each baseline is taken in the same run on the same machine: a fresh kernel that only "
        f"runs `{FLOOR_CODE}` (the floor every lesson pays), `import pandas`, or in the browser "
        "a notebook with that one cell.",
        "",
        table(rows),
        "",
        f"Targets missed: {', '.join(missed) if missed else 'none'}.",
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs of each timing (best kept)")
    parser.add_argument("--no-browser", action="store_true", help="skip the JupyterLab timings")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results.md")
    args = parser.parse_args(argv)

    paths = lab.lessons(ROOT / "notebooks")
    if not paths:
        parser.error("no lesson notebooks (notebooks/NN_*.ipynb) to measure")
    home = Path(tempfile.mkdtemp(prefix="kuril-bench-kernels-"))
    try:
        env = lab.isolated_env(home)
        kernel_rows, executed = _timed("lessons and floor kernels",
                                       lambda: kernel_measures(paths, env, args.repeat))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    rows = kernel_rows[:1 + len(paths)]
    home = Path(tempfile.mkdtemp(prefix="kuril-bench-languages-"))
    try:
        env = lab.isolated_env(home)
        rows += _timed("languages", lambda: language_measures(paths, env, args.repeat))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    rows += _timed("imports", lambda: import_measures(args.repeat) + catalog_measures(args.repeat))
    rows += size_measures(executed) + explorer_redraw_rows() + repo_size_rows()
    if not args.no_browser:
        rows += _timed("JupyterLab in Chromium", lambda: browser_measures(paths, args.repeat))
    rows += kernel_rows[1 + len(paths):]
    text = report(rows, paths, args.repeat)
    print(table(rows))
    args.output.write_text(text, encoding="utf-8")
    print(f"\nwritten to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
