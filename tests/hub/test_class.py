"""A class on a real JupyterHub: a student clicks the nbgitpuller link that
``kuril-teaching links --hub`` prints, the lessons arrive, lesson 00 runs in JupyterLab; the
teacher pushes a change and the student's own edits survive the next click; bad links and
bad hub addresses get readable errors."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time
import urllib.error
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from kuril_teaching.cli import clone_folder

from . import hubkit

pytestmark = pytest.mark.hub


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, proxy: str) -> Iterator[hubkit.Hub]:
    running = hubkit.start_hub(tmp_path_factory.mktemp("hub"), proxy)
    yield running
    running.stop()


def printed_links(hub: hubkit.Hub, repo: str) -> dict[str, str]:
    """The JupyterHub links ``kuril-teaching links`` prints, by lesson file (and "whole sequence")."""
    run = subprocess.run([sys.executable, "-m", "kuril_teaching.cli", "links", "--hub", hub.url,
                          "--repo", repo, "--branch", "main"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    links, heading = {}, ""
    for line in run.stdout.splitlines():
        if not line.startswith(" "):
            heading = line.strip()
        elif line.strip().startswith("JupyterHub:"):
            links[heading] = line.split("JupyterHub:", 1)[1].strip()
    return links


def _login(page: Any, hub: hubkit.Hub, name: str) -> None:
    page.goto(f"{hub.url}hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", hubkit.PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url("**/user/**", timeout=180_000)


def test_a_student_clicks_the_link_and_lesson_00_runs(hub: hubkit.Hub, git_server: hubkit.GitServer,
                                                      lessons: list[Path]) -> None:
    from browser import lab as labkit

    executable = labkit.find_chromium()
    if executable is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(labkit.INSTALL_HINT)
        pytest.skip(labkit.INSTALL_HINT)
    from playwright.sync_api import sync_playwright

    link = printed_links(hub, git_server.url)["00_start_here.ipynb"]
    with sync_playwright() as playwright:
        browser = labkit.launch_chromium(playwright, executable)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            _login(page, hub, "ada")
            page.goto(link)  # exactly the printed link: nbgitpuller pulls, then opens the lesson
            page.wait_for_url("**/lab/tree/**00_start_here.ipynb", timeout=180_000)
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell",
                                   timeout=120_000)
            page.evaluate("async () => { await window.jupyterapp.restored; }")
            folder = hub.home("ada") / clone_folder(git_server.url) / "notebooks"
            assert sorted(p.name for p in folder.glob("[0-9][0-9]_*.ipynb")) == \
                [p.name for p in lessons]
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                state = labkit.page_state(page)
                if state.get("ready") and state["path"].endswith("00_start_here.ipynb") \
                        and state["kernel"] == "idle":
                    break
                time.sleep(0.2)
            result = labkit.wait_run_all(page, timeout=180)
            assert not result.errors(), result.errors()
            drawn = [m for m in result.maps if m["isMap"]]
            assert drawn and all(m["paths"] > 0 for m in drawn), drawn
        finally:
            browser.close()


@pytest.fixture(scope="module")
def bea(hub: hubkit.Hub, git_server: hubkit.GitServer) -> hubkit.Student:
    student = hubkit.Student(hub, "bea")
    student.login()
    student.pull(git_server.url)
    return student


def test_the_link_pulls_the_student_edition(bea: hubkit.Student, git_server: hubkit.GitServer) -> None:
    from kuril_teaching import content, editions

    folder = bea.hub.home("bea") / clone_folder(git_server.url) / "notebooks"
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        assert not [c for c in nb.cells if editions.SOLUTION_TAG in c.metadata.get("tags", [])]
        teacher = content.lesson(path.stem).raw.get("teacher", [])
        assert not {c.id for c in nb.cells} & {t["id"] for t in teacher}, path.name


def test_a_teacher_change_arrives_and_the_student_edits_stay(bea: hubkit.Student,
                                                             git_server: hubkit.GitServer) -> None:
    folder = f"{clone_folder(git_server.url)}/notebooks"
    # The student writes in an answer cell of lesson 00 and in the first cell of lesson 02.
    mine = bea.read(f"{folder}/00_start_here.ipynb")["content"]
    answer = next(c for c in mine["cells"] if "answer" in c["metadata"].get("tags", []))
    answer["source"] = "My answer: the Habomai islets are nearest."
    bea.write_notebook(f"{folder}/00_start_here.ipynb", mine)
    theirs = bea.read(f"{folder}/02_joint_declaration_1956.ipynb")["content"]
    theirs["cells"][0]["source"] = "# My own title for lesson 02"
    bea.write_notebook(f"{folder}/02_joint_declaration_1956.ipynb", theirs)
    # The teacher changes the same first cell of lesson 02 (a conflict) and adds a notice.
    teacher = git_server.teacher / "notebooks"
    nb = json.loads((teacher / "02_joint_declaration_1956.ipynb").read_text(encoding="utf-8"))
    changed = copy.deepcopy(nb)
    changed["cells"][0]["source"] = "# The teacher's new title for lesson 02"
    (teacher / "02_joint_declaration_1956.ipynb").write_text(json.dumps(changed), encoding="utf-8")
    (teacher / "NOTICE.md").write_text("Homework for Friday: lesson 03.\n", encoding="utf-8")
    git_server.push("A notice and a new title")
    bea.pull(git_server.url)  # the student clicks the link again
    home = bea.hub.home("bea") / clone_folder(git_server.url)
    assert (home / "notebooks" / "NOTICE.md").read_text(encoding="utf-8").startswith("Homework")
    kept = nbformat.read(home / "notebooks" / "00_start_here.ipynb", as_version=4)
    assert any(c.source == "My answer: the Habomai islets are nearest." for c in kept.cells)
    conflict = nbformat.read(home / "notebooks" / "02_joint_declaration_1956.ipynb", as_version=4)
    assert conflict.cells[0].source == "# My own title for lesson 02"  # the student's edit wins


def test_a_link_to_a_missing_branch_says_so(bea: hubkit.Student, git_server: hubkit.GitServer) -> None:
    with pytest.raises(RuntimeError) as error:
        bea.pull(git_server.url, branch="no-such-branch", target="elsewhere")
    assert str(error.value) == "Branch does not exist"  # what nbgitpuller's page shows the student
    assert not (bea.hub.home("bea") / "elsewhere" / "notebooks").exists()
    # The lessons already pulled are untouched.
    assert (bea.hub.home("bea") / clone_folder(git_server.url) / "notebooks").is_dir()


def test_a_link_to_a_missing_repository_says_so(bea: hubkit.Student, git_server: hubkit.GitServer) -> None:
    missing = git_server.url.replace(hubkit.REPO_NAME, "no-such-lessons.git")
    with pytest.raises(RuntimeError) as error:
        bea.pull(missing)
    assert str(error.value) == "Remote content unavailable"
    assert not (bea.hub.home("bea") / "no-such-lessons.git").exists()


@pytest.mark.parametrize("address", ["http://127.0.0.1:1/hub/home?next=x", "ftp://hub.example.edu"])
def test_links_refuse_a_hub_address_with_a_query_or_another_scheme(address: str) -> None:
    run = subprocess.run([sys.executable, "-m", "kuril_teaching.cli", "links", "--hub", address],
                         capture_output=True, text=True)
    assert run.returncode == 2 and run.stdout == ""
    assert "--hub must" in run.stderr


def test_links_normalise_a_pasted_hub_page_address(hub: hubkit.Hub) -> None:
    pasted = f"{hub.url}hub/home"
    run = subprocess.run([sys.executable, "-m", "kuril_teaching.cli", "links", "--hub", pasted],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert f"{hub.url}hub/user-redirect/git-pull?" in run.stdout
    assert "hub/home/hub" not in run.stdout


def test_the_hub_refuses_a_wrong_password(hub: hubkit.Hub) -> None:
    with pytest.raises(urllib.error.HTTPError):
        hubkit.request("GET", f"{hub.url}hub/api/users", token="not-a-token")
