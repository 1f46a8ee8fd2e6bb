"""Binder: environment.yml agrees with pyproject.toml, resolves, and repo2docker uses it."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import LESSONS, ROOT
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from kuril_teaching.cli import START_NOTEBOOK, binder_link

ENVIRONMENT = ROOT / "environment.yml"
POSTBUILD = ROOT / "postBuild"
# conda-forge names that differ from the PyPI name (PyPI name -> conda-forge name)
CONDA_NAMES: dict[str, str] = {}
# conda packages the environment needs besides the package's own dependencies
NOT_FROM_PYPROJECT = {"python", "pip"}


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _conda_specs() -> dict[str, str]:
    """environment.yml's conda packages: name -> version spec ('' when unpinned)."""
    env = yaml.safe_load(ENVIRONMENT.read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"], "Binder should build from conda-forge only"
    specs = {}
    for entry in env["dependencies"]:
        assert isinstance(entry, str), "no pip: section; postBuild installs the package"
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(.*)", entry.strip())
        assert match, f"cannot read the conda spec {entry!r}"
        name, spec = match.groups()
        assert name not in specs, f"{name} listed twice"
        specs[canonicalize_name(name)] = spec.replace(" ", "")
    return specs


def _as_pip(name: str, spec: str) -> str:
    """A conda spec as a pip requirement (conda's ``=3.12`` means ``3.12.*``)."""
    if re.fullmatch(r"=[\d.]+", spec):
        return f"{name}=={spec[1:]}.*"
    return f"{name}{spec}"


def test_environment_matches_pyproject() -> None:
    project = _pyproject()
    wanted = {canonicalize_name(r.name): r for r in map(Requirement,
                                                          project["project"]["dependencies"])}
    wanted |= {canonicalize_name(r.name): r for r in map(Requirement,
                                                           project["build-system"]["requires"])}
    wanted |= {canonicalize_name(r.name): r for r in map(  # the hub's image: same environment
        Requirement, project["project"]["optional-dependencies"]["hub"])}
    conda = _conda_specs()
    by_pypi = {canonicalize_name(CONDA_NAMES.get(n, n)): n for n in wanted}
    missing = sorted(n for n, c in by_pypi.items() if c not in conda)
    assert not missing, f"in pyproject.toml but not in environment.yml: {missing}"
    extra = sorted(set(conda) - set(by_pypi.values()) - NOT_FROM_PYPROJECT)
    assert not extra, f"in environment.yml but not in pyproject.toml: {extra}"
    for pypi, conda_name in by_pypi.items():
        assert SpecifierSet(conda[conda_name]) == wanted[pypi].specifier, (
            f"{pypi}: pyproject.toml says {wanted[pypi].specifier or 'any'}, environment.yml "
            f"says {conda[conda_name] or 'any'}")


def test_environment_python_meets_requires_python() -> None:
    spec = _conda_specs()["python"]
    assert re.fullmatch(r"=3\.\d+", spec), "pin Binder's Python to a minor version, e.g. =3.12"
    requires = SpecifierSet(_pyproject()["project"]["requires-python"])
    assert spec[1:] + ".0" in requires


def test_environment_resolves_with_pip(tmp_path: Path) -> None:
    """Resolve the environment's packages with pip, offline, against this installation.

    conda-forge cannot be reached from the test machine and tests stay off the network,
    so pip resolves from what is installed (--no-index): every spec must be well formed
    and met by one consistent set of packages.
    """
    specs = [_as_pip(n, s) for n, s in _conda_specs().items() if n not in NOT_FROM_PYPROJECT]
    if importlib.util.find_spec("hatchling") is None:  # needed to build only: the test
        specs = [s for s in specs if not s.startswith("hatchling")]  # extra installs it
    report = tmp_path / "report.json"
    run = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--quiet",
         "--disable-pip-version-check", "--report", str(report), *specs],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, f"pip could not resolve environment.yml:\n{run.stderr}"
    assert json.loads(report.read_text(encoding="utf-8"))["install"] == [], \
        "pip wanted to install something: the installed packages do not meet environment.yml"


def test_postbuild_installs_the_package() -> None:
    assert os.access(POSTBUILD, os.X_OK), "postBuild must be executable"
    text = POSTBUILD.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/bash")
    assert "set -euo pipefail" in text
    commands = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    assert any(re.fullmatch(r"python -m pip install .*--no-deps.* \.", ln) for ln in commands)
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists(), \
        "a binder/ folder would hide environment.yml and postBuild from repo2docker"


def test_repo2docker_builds_from_our_files() -> None:
    exe = Path(sys.executable).parent / "repo2docker"
    if not exe.exists():
        exe = Path(shutil.which("repo2docker") or "")
    if not exe.is_file():
        pytest.fail("repo2docker not found: pip install jupyter-repo2docker")
    # --no-build only writes out the Dockerfile: no Docker and no network needed
    env = dict(os.environ, HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9")
    run = subprocess.run([str(exe), "--no-build", "--debug", str(ROOT)],
                         capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stderr
    dockerfile = run.stdout
    assert "Building conda environment for python=3.12" in run.stderr
    lines = [ln.strip() for ln in dockerfile.splitlines()]
    env_copy = lines.index("COPY --chown=0:0 src/environment.yml ${REPO_DIR}/environment.yml")
    env_update = next(i for i, ln in enumerate(lines)
                      if 'env update -p ${NB_PYTHON_PREFIX} --file "environment.yml"' in ln)
    repo_copy = lines.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    postbuild = lines.index("RUN ./postBuild")
    assert env_copy < env_update < repo_copy < postbuild


def _readme_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- classroom:start -->(.*)<!-- classroom:end -->", text, flags=re.S)
    assert match, "README.md lacks the classroom block"
    return match.group(1)


def test_readme_binder_badge_opens_the_start_notebook() -> None:
    start = binder_link(f"notebooks/{START_NOTEBOOK}")
    badge = f"[![Launch on Binder](https://mybinder.org/badge_logo.svg)]({start})"
    assert badge in _readme_block()


def test_readme_has_one_binder_link_per_lesson() -> None:
    block = _readme_block()
    linked = set(re.findall(r"urlpath=lab/tree/notebooks/([\w\-]+\.ipynb)\)", block))
    lessons = {p.name for p in LESSONS}
    expected = "\n".join(f"{name}: {binder_link('notebooks/' + name)}" for name in sorted(lessons))
    assert lessons <= linked, (
        f"README lacks Binder links for {sorted(lessons - linked)}; "
        f"`kuril-teaching links --markdown` prints them:\n{expected}")
    assert linked <= lessons, f"README links to lessons that do not exist: {linked - lessons}"
    for name in lessons:
        assert f"({binder_link('notebooks/' + name)})" in block
