"""A class at once, on a real hub: several students log in, pull the lessons and run the
heaviest lesson in their own kernels at the same moment; then the idle culler frees the
memory. CI runs a small class (KURIL_TEACHING_HUB_CLASS, default 3); the full class of 30 is
``benchmarks/hub_load.py``, which writes ``benchmarks/hub.md``."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from conftest import MEASURED

from . import hubkit

pytestmark = pytest.mark.hub

CLASS_SIZE = int(os.environ.get("KURIL_TEACHING_HUB_CLASS", "3"))
CULL_AFTER = 20  # seconds of inactivity before the culler stops a server (a real hub: an hour)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, proxy: str) -> Iterator[hubkit.Hub]:
    running = hubkit.start_hub(tmp_path_factory.mktemp("hub"), proxy, cull_timeout=CULL_AFTER)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def figures(hub: hubkit.Hub, git_server: hubkit.GitServer) -> dict:
    return hubkit.run_class(hub, git_server.url, CLASS_SIZE)


def test_every_student_gets_every_map_without_a_failure(figures: dict) -> None:
    MEASURED.append(f"hub: {CLASS_SIZE} students on {figures['lesson']} at once: last map after "
                    f"{figures['last_map_median']:.1f} s (median), {figures['last_map_p95']:.1f} s "
                    f"(95th percentile); peak {figures['peak_kernel_mb']:.0f} MB per kernel, "
                    f"{figures['peak_total_mb']:.0f} MB for the whole hub; "
                    f"{figures['cpu_seconds']:.0f} CPU s in {figures['wall']:.0f} s")
    assert figures["failures"] == []
    assert len(figures["maps_each"]) == 1 and figures["maps_each"][0] >= 1  # the same maps for all
    assert figures["last_map_median"] <= figures["last_map_p95"]


def test_memory_is_measured_per_kernel_and_for_the_hub(figures: dict) -> None:
    assert 50 < figures["peak_kernel_mb"] < 2000
    assert figures["peak_total_mb"] > CLASS_SIZE * figures["peak_kernel_mb"] * 0.5


def test_idle_culling_frees_the_memory(hub: hubkit.Hub, figures: dict) -> None:
    culled = hubkit.wait_for_culling(hub, timeout=CULL_AFTER * 6)
    assert culled["running"] == [], f"still running after {culled['seconds']:.0f} s"
    after = culled["memory"]
    assert after["servers"] == 0 and after["kernels"] == 0
    assert after["total"] < figures["peak_total_mb"] / 2
    MEASURED.append(f"hub: idle servers culled after {culled['seconds']:.0f} s: "
                    f"{after['total']:.0f} MB left (hub and proxy)")
