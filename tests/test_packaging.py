"""The project installs and runs as the README says, and the wheel carries what it needs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _readme_commands() -> list[str]:
    return re.findall(r"```bash\n(.+?)\n```", README, flags=re.S)


def test_readme_has_the_two_commands() -> None:
    commands = _readme_commands()
    assert len(commands) >= 2
    lab, test = commands[0], commands[1]
    assert lab.endswith("kuril-teaching lab") and "pytest" in test


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _readme_commands()[1] in ci
    assert "apt-get install" in ci and "chromium" in ci
    assert re.search(r'"\$status" -eq 5', ci), "pytest's 'no tests collected' must fail CI"


def test_readme_lab_command_points_at_real_files() -> None:
    lab = _readme_commands()[0]
    for path in re.findall(r"notebooks/\S+\.ipynb", lab):
        assert (ROOT / path).is_file(), path


def test_readme_links_resolve() -> None:
    for target in re.findall(r"\]\(((?!https?:)[^)#]+)\)", README):
        assert (ROOT / target).exists(), target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from hatchling.builders.wheel import WheelBuilder

    out = tmp_path_factory.mktemp("wheel")
    built = list(WheelBuilder(str(ROOT)).build(directory=str(out), versions=["standard"]))
    return Path(built[0])


def test_wheel_carries_data_notebooks_and_leaflet(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for table in ("sources.csv", "timeline.csv", "documents.yaml", "positions.csv",
                  "islands.csv", "figures.csv", "fact_checks.yaml", "geo/kuril.geojson",
                  "geo/SOURCES.md", "LICENSES.md"):
        assert f"kuril_teaching/data/{table}" in names, table
    assert "kuril_teaching/notebooks/00_start_here.ipynb" in names
    assert "kuril_teaching/_leaflet/leaflet.js" in names
    assert "kuril_teaching/_leaflet/LICENSE" in names
    quiet = [n for n in names if n.endswith("share/jupyter/lab/settings/overrides.d/kuril-teaching.json")]
    assert quiet, "the JupyterLab settings for a quiet start are not in the wheel"
    settings = json.loads(zipfile.ZipFile(wheel).read(quiet[0]))
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_installed_wheel_works_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import kuril_teaching as kt, kuril_teaching._resources as r, pathlib;"
        "print(pathlib.Path(kt.__file__).parent); print(r.data_root());"
        "print(kt.validate()['islands']); print(len(kt.island_map()._repr_html_()) > 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(site)},
                          check=True)
    package, data_dir, islands, mapped = done.stdout.split("\n")[:4]
    assert Path(package) == site / "kuril_teaching"
    assert Path(data_dir) == site / "kuril_teaching" / "data"
    assert int(islands) >= 12 and mapped == "True"


def test_import_is_light() -> None:
    code = ("import sys, kuril_teaching as kt; "
            "print(sorted(m for m in ('pandas', 'folium', 'shapely', 'ipywidgets', 'pyproj') "
            "if m in sys.modules)); print(kt.__version__)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    heavy, version = done.stdout.splitlines()
    assert heavy == "[]"
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)


def test_licences_and_citation() -> None:
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Attribution 4.0" in (ROOT / "LICENSE-CONTENT.md").read_text(encoding="utf-8")
    licences = (ROOT / "data" / "LICENSES.md").read_text(encoding="utf-8")
    assert "OpenStreetMap contributors" in licences and "ODbL" in licences
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"].startswith("1.2") and citation["title"]
    assert (ROOT / "kuril_teaching" / "_leaflet" / "LICENSE").is_file()
