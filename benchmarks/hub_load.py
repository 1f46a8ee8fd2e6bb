"""A class on a real JupyterHub, measured: writes benchmarks/hub.md.

Starts the test hub of ``tests/hub`` (JupyterHub, configurable-http-proxy, nbgitpuller, a git
server with the lessons, jupyterhub-idle-culler) and runs classes of growing size: every
student logs in, pulls the lessons and runs the heaviest lesson in their own kernel, all at
the same moment. Then the culler stops the idle servers. Run by hand (a few minutes):

    .venv/bin/python benchmarks/hub_load.py            # classes of 1, 10 and 30
    .venv/bin/python benchmarks/hub_load.py 1 5        # other sizes
"""

from __future__ import annotations

import math
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hub import hubkit  # noqa: E402

OUT = ROOT / "benchmarks" / "hub.md"
CULL_AFTER = 30  # seconds
TARGET = 30  # seconds a student may wait for a lesson's maps when the whole class starts at once


def _round_up(mb: float, step: int = 128) -> int:
    return int(math.ceil(mb / step) * step)


def main(sizes: list[int]) -> int:
    proxy = hubkit.find_proxy()
    if proxy is None:
        print(hubkit.CHP_HINT, file=sys.stderr)
        return 2
    lessons = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    rows, culls = [], []
    with tempfile.TemporaryDirectory(prefix="kuril-hub-") as tmp:
        git = hubkit.GitServer.start(Path(tmp) / "git", lessons)
        try:
            for size in sizes:
                hub = hubkit.start_hub(Path(tmp) / f"hub{size}", proxy, cull_timeout=CULL_AFTER)
                try:
                    print(f"class of {size} ...", file=sys.stderr)
                    figures = hubkit.run_class(hub, git.url, size)
                    culled = hubkit.wait_for_culling(hub, timeout=CULL_AFTER * 8)
                    rows.append(figures)
                    culls.append(culled)
                    print(f"  last map median {figures['last_map_median']:.1f} s, p95 "
                          f"{figures['last_map_p95']:.1f} s, peak {figures['peak_total_mb']:.0f} MB, "
                          f"failures {len(figures['failures'])}", file=sys.stderr)
                finally:
                    hub.stop()
        finally:
            git.stop()
    OUT.write_text(report(rows, culls), encoding="utf-8")
    print(OUT)
    return 1 if any(r["failures"] for r in rows) else 0


def report(rows: list[dict], culls: list[dict]) -> str:
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    cores = os.cpu_count()
    lines = [
        "# A class on one JupyterHub: measured",
        "",
        f"Written by `benchmarks/hub_load.py` on {when}: {cores} CPU cores, "
        f"{_memory_gb():.0f} GB of memory, Python {platform.python_version()}, {platform.system()}. "
        "JupyterHub with configurable-http-proxy, a shared-password login, one local process "
        "per student (SimpleLocalProcessSpawner), nbgitpuller pulling the lessons from a git "
        "server on the same machine, and jupyterhub-idle-culler. Every student logs in, pulls, "
        f"and runs `{rows[0]['lesson'] if rows else ''}` (the slowest lesson in one kernel) in "
        "their own kernel, all at the same moment. Times are from the login to the last map "
        "arriving in the student's kernel output.",
        "",
        "| students | failures | last map, median | last map, 95th percentile | login, median | "
        "pull, median | peak memory per kernel | peak memory, whole hub | CPU used | culled after | "
        "memory after culling |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row, cull in zip(rows, culls, strict=True):
        lines.append(
            f"| {row['students']} | {len(row['failures'])} | {row['last_map_median']:.1f} s | "
            f"{row['last_map_p95']:.1f} s | {row['login_median']:.1f} s | {row['pull_median']:.1f} s | "
            f"{row['peak_kernel_mb']:.0f} MB | {row['peak_total_mb']:.0f} MB | "
            f"{row['cpu_seconds']:.0f} CPU s in {row['wall']:.0f} s | {cull['seconds']:.0f} s | "
            f"{cull['memory']['total']:.0f} MB |")
    failures = [f for row in rows for f in row["failures"]]
    listed = "\n".join(f"- {f}" for f in failures)
    lines += ["", f"Failures:\n{listed}" if failures else "Failures: none."]
    if rows:
        big = rows[-1]
        per_student = (big["peak_total_mb"] - (culls[-1]["memory"]["total"] or 0)) / big["students"]
        guarantee = _round_up(per_student)
        limit = _round_up(max(2 * per_student, big["peak_kernel_mb"] + 512))
        cpu_per_student = big["cpu_seconds"] / big["students"]
        lines += [
            "",
            "## Sizing a class of 30",
            "",
            f"Each student used about {per_student:.0f} MB at the peak (their JupyterLab server and "
            f"one kernel; the hub and proxy add {culls[-1]['memory']['total']:.0f} MB once). Running "
            f"the lesson cost about {cpu_per_student:.1f} CPU seconds per student.",
            "",
            "| | per student | class of 30 |",
            "|---|---|---|",
            f"| memory guarantee | {guarantee} MB | {30 * guarantee / 1024:.1f} GB |",
            f"| memory limit (room for a second kernel or an edited lesson) | {limit} MB | – |",
            "| CPU guarantee | 0.1 core | 3 cores |",
            "| CPU limit | 1 core | – |",
            "",
            "When a whole class presses *Run All* at the same moment, the CPU decides how long "
            f"they wait: on this machine's {cores} cores a class of {big['students']} saw its last "
            f"map after {big['last_map_p95']:.0f} s (95th percentile). For every student of 30 to "
            f"see the lesson's maps within {TARGET} s of starting together, the class needs about "
            f"{math.ceil(30 * cpu_per_student / TARGET)} cores (30 × {cpu_per_student:.1f} CPU s "
            f"/ {TARGET} s); spread over Kubernetes nodes (Zero to JupyterHub, "
            "`docs/classroom.md`) the guarantee above is what to reserve per student.",
        ]
    return "\n".join(lines) + "\n"


def _memory_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return float("nan")


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [1, 10, 30]
    sys.exit(main(sizes))
