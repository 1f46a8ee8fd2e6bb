"""The ``kuril-teaching`` command, run end to end through its console entry point."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest
from conftest import NOTEBOOKS, ROOT
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from kuril_teaching.cli import REPO_URL, binder_link, nbgitpuller_link
from kuril_teaching.handouts import WIDGET_NOTE, remote_resources

CHROMIUM = "/usr/bin/chromium"
OFFLINE_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
]


def _entry_point() -> str:
    exe = Path(sys.executable).parent / "kuril-teaching"
    found = str(exe) if exe.exists() else shutil.which("kuril-teaching")
    if not found:
        pytest.fail("the kuril-teaching command is not installed: python -m pip install -e .")
    return found


@pytest.fixture(scope="module")
def jupyter_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment whose Jupyter and IPython folders are throw-away ones."""
    home = tmp_path_factory.mktemp("jupyter-home")
    env = dict(os.environ)
    for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                     ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython")):
        env[var] = str(home / sub)
    env.pop("PYTHONPATH", None)
    return env


def kt(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
       timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_entry_point(), *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=timeout)


def _lesson(path: Path, *cells: nbformat.NotebookNode) -> Path:
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


def _solution(source: str) -> nbformat.NotebookNode:
    cell = new_code_cell(source)
    cell.metadata["tags"] = ["solution"]
    return cell


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    """A folder of two small lessons with exercises and solution cells."""
    folder = tmp_path / "lessons"
    folder.mkdir()
    first = new_code_cell("1 + 1")
    first.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"},
                                            execution_count=1)]
    first.execution_count = 1
    _lesson(folder / "00_intro.ipynb", new_markdown_cell("# Intro\n\n## Exercise 1"), first,
            _solution("answer = 2"))
    _lesson(folder / "01_next.ipynb", new_markdown_cell("# Next"), new_code_cell("x = 3"),
            _solution("x * 2"), _solution("x * 3"))
    (folder / "notes.ipynb").write_text("not a lesson: no NN_ prefix", encoding="utf-8")
    return folder


# ------------------------------------------------------------------------- help and usage


@pytest.mark.parametrize("command", ["lab", "edition", "handouts", "links"])
def test_help_of_each_command(command: str) -> None:
    run = kt(command, "--help")
    assert run.returncode == 0
    assert run.stdout.startswith(f"usage: kuril-teaching {command}")
    assert run.stderr == ""


def test_no_command_is_a_usage_error() -> None:
    run = kt()
    assert run.returncode == 2
    assert run.stdout == ""
    assert "required: COMMAND" in run.stderr


def test_version() -> None:
    run = kt("--version")
    assert run.returncode == 0 and run.stdout.startswith("kuril-teaching 0.")


# ------------------------------------------------------------------------- links


def _query(url: str) -> dict[str, str]:
    values = parse_qs(urlsplit(url).query, keep_blank_values=True, strict_parsing=True)
    assert all(len(v) == 1 for v in values.values())
    return {k: v[0] for k, v in values.items()}


def test_nbgitpuller_link_has_the_documented_form() -> None:
    link = nbgitpuller_link("https://hub.example.edu", "notebooks/00_start_here.ipynb",
                            "https://github.com/someone/kuril-lessons", "main")
    assert link == (
        "https://hub.example.edu/hub/user-redirect/git-pull"
        "?repo=https%3A%2F%2Fgithub.com%2Fsomeone%2Fkuril-lessons"
        "&urlpath=lab%2Ftree%2Fkuril-lessons%2Fnotebooks%2F00_start_here.ipynb"
        "&branch=main"
    )


def test_nbgitpuller_link_encodes_every_value() -> None:
    link = nbgitpuller_link("https://example.edu/jupyter/hub/home", "notebooks/a b&c.ipynb",
                            "https://git.example.org/team/lessons.git", "spring/2027")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc) == ("https", "example.edu")
    assert parts.path == "/jupyter/hub/user-redirect/git-pull"  # the hub's prefix is kept
    assert "/" not in parts.query and " " not in parts.query
    # the clone folder is the address's last segment, exactly as nbgitpuller names it
    assert _query(link) == {"repo": "https://git.example.org/team/lessons.git",
                            "urlpath": "lab/tree/lessons.git/notebooks/a b&c.ipynb",
                            "branch": "spring/2027"}


def test_binder_link_has_the_documented_form() -> None:
    assert binder_link("notebooks/00_start_here.ipynb", "https://github.com/someone/lessons",
                       "main") == ("https://mybinder.org/v2/gh/someone/lessons/main"
                                   "?urlpath=lab/tree/notebooks/00_start_here.ipynb")
    other = binder_link("notebooks/x.ipynb", "https://git.example.org/team/lessons", "dev")
    assert other.startswith("https://mybinder.org/v2/git/"
                            "https%3A%2F%2Fgit.example.org%2Fteam%2Flessons/dev?")


def test_links_command_prints_sequence_and_each_lesson() -> None:
    run = kt("links", "--hub", "https://hub.example.edu/", "--repo",
             "https://github.com/someone/kuril-lessons", "--branch", "fall")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    hub = [ln.split(": ", 1)[1] for ln in lines if ln.strip().startswith("JupyterHub:")]
    binder = [ln.split(":", 1)[1].strip() for ln in lines if ln.strip().startswith("Binder:")]
    lessons = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert lines[0] == "whole sequence"
    assert [ln for ln in lines if not ln.startswith(" ")] == ["whole sequence", *lessons]
    assert len(hub) == len(binder) == 1 + len(lessons)
    for link in hub:
        assert link.startswith("https://hub.example.edu/hub/user-redirect/git-pull?")
        q = _query(link)
        assert q["repo"] == "https://github.com/someone/kuril-lessons"
        assert q["branch"] == "fall"
    assert _query(hub[0])["urlpath"] == "lab/tree/kuril-lessons/notebooks"
    for name, link in zip(lessons, hub[1:], strict=True):
        assert _query(link)["urlpath"] == f"lab/tree/kuril-lessons/notebooks/{name}"
    for name, link in zip(lessons, binder[1:], strict=True):
        assert link == f"https://mybinder.org/v2/gh/someone/kuril-lessons/fall" \
                       f"?urlpath=lab/tree/notebooks/{name}"


def test_links_default_repo_and_markdown() -> None:
    run = kt("links", "--markdown")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == (
        f"- whole sequence: [Binder]({binder_link('notebooks/00_start_here.ipynb', REPO_URL)})")
    assert "JupyterHub" not in run.stdout  # no --hub: Binder links only


@pytest.mark.parametrize("bad", ["hub.example.edu", "ftp://hub.example.edu", "https://"])
def test_links_rejects_a_bad_hub(bad: str) -> None:
    run = kt("links", "--hub", bad)
    assert run.returncode == 2
    assert run.stdout == ""
    assert "--hub must be a web address" in run.stderr


# ------------------------------------------------------------------------- edition


def test_student_edition_drops_solutions(lessons: Path, tmp_path: Path) -> None:
    out = tmp_path / "class" / "student"
    run = kt("edition", "student", str(out), "--from", str(lessons))
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["00_intro.ipynb", "01_next.ipynb"]
    assert run.stdout.split() == [str(out / "00_intro.ipynb"), str(out / "01_next.ipynb")]
    nb = nbformat.read(out / "01_next.ipynb", as_version=4)
    assert [c.source for c in nb.cells] == ["# Next", "x = 3"]
    intro = nbformat.read(out / "00_intro.ipynb", as_version=4)
    assert all(c.outputs == [] for c in intro.cells if c.cell_type == "code")
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")], "staging left over"


def test_teacher_edition_keeps_solutions(lessons: Path, tmp_path: Path) -> None:
    run = kt("edition", "teacher", str(tmp_path / "t"), "--from", str(lessons), "--only", "01")
    assert run.returncode == 0, run.stderr
    assert [p.name for p in (tmp_path / "t").iterdir()] == ["01_next.ipynb"]
    nb = nbformat.read(tmp_path / "t" / "01_next.ipynb", as_version=4)
    assert [c.source for c in nb.cells][-2:] == ["x * 2", "x * 3"]


WORKSHEET_LESSONS = ("00_start_here", "05_scenarios_lab")


@pytest.fixture(scope="module")
def lesson_pages(tmp_path_factory: pytest.TempPathFactory,
                 jupyter_env: dict[str, str]) -> dict[str, dict[str, str]]:
    """Lessons 00 and 05 printed in each edition: edition -> lesson -> page (unescaped)."""
    pages: dict[str, dict[str, str]] = {}
    for edition in ("student", "teacher"):
        out = tmp_path_factory.mktemp(f"{edition}-handouts")
        run = kt("handouts", str(out), "--only", "00", "--only", "05", "--edition", edition,
                 "--no-progress", env=jupyter_env, timeout=900)
        assert run.returncode == 0, run.stderr
        pages[edition] = {name: html.unescape((out / f"{name}.html").read_text(encoding="utf-8"))
                          for name in WORKSHEET_LESSONS}
    return pages


def test_lesson_handouts_in_both_editions(lesson_pages: dict[str, dict[str, str]]) -> None:
    """Lesson 00 printed for students holds no answer; the teacher's copy shows them worked."""
    pages = {edition: found["00_start_here"] for edition, found in lesson_pages.items()}
    marks = ("What to look for in the exit ticket", "Solution (notes for the discussion)",
             "Your code gives the expected result")
    for mark in marks:
        assert mark in pages["teacher"], mark
        assert mark not in pages["student"], mark
    assert "Etorofu: 63.3% of the four islands" in pages["teacher"]  # a worked solution, run
    # On paper the blank task is a worksheet item with lines, not a "not answered yet" check.
    assert "Not answered yet" not in pages["student"]
    assert WIDGET_NOTE in pages["student"]  # the island explorer cannot work on paper


def _lesson_exercises(name: str) -> list:
    """Every exercise of a lesson, as the lesson builds it (answers computed from the data)."""
    import importlib

    from kuril_teaching import content
    from kuril_teaching.exercises import find_task

    module = importlib.import_module({"00_start_here": "kuril_teaching.explore",
                                      "05_scenarios_lab": "kuril_teaching.scenarios"}[name])
    specs = content.lesson(name).raw["exercises"]
    return [find_task(i) if s["kind"] == "code" else module.exercise(i) for i, s in specs.items()]


def _secrets(exercise) -> list[str]:
    """What a student's page must not print and a teacher's must."""
    from kuril_teaching import exercises as ex

    if isinstance(exercise, ex.FreeText):
        return [*exercise.checklist, *(ex.worksheet_html(exercise, "teacher")
                                       .split('<div class="kt-ws-answer">')[1:2])]
    if isinstance(exercise, ex.CodeTask):
        return [html.escape(exercise.solution.rstrip())]
    return [html.escape(ex.answer_text(exercise))]


@pytest.mark.parametrize("name", WORKSHEET_LESSONS)
def test_handouts_print_every_exercise_as_a_worksheet(lesson_pages: dict[str, dict[str, str]],
                                                     name: str) -> None:
    exercises = _lesson_exercises(name)
    student, teacher = lesson_pages["student"][name], lesson_pages["teacher"][name]
    for page in (student, teacher):
        items = re.findall(r'data-kt-exercise="([^"]+)"', page)
        assert sorted(items) == sorted(e.id for e in exercises), items  # each one, once
        assert [f"Worksheet item {n}" in page for n in range(1, len(items) + 1)] == [True] * len(items)
        for exercise in exercises:
            assert f'<strong class="kt-ws-prompt">{exercise.prompt}</strong>' in page, exercise.id
    assert 'data-kt-edition="teacher"' not in student and 'class="kt-ws-answer"' not in student
    assert 'data-kt-edition="student"' not in teacher
    assert teacher.count('<div class="kt-ws-answer">') == len(exercises)
    for exercise in exercises:
        for secret in _secrets(exercise):
            assert html.unescape(secret) not in student, (exercise.id, secret[:80])
            assert html.unescape(secret) in teacher, (exercise.id, secret[:80])


def test_nbgrader_edition_writes_a_course_source_tree(tmp_path: Path) -> None:
    out = tmp_path / "course"
    run = kt("edition", "nbgrader", str(out), "--only", "00")
    assert run.returncode == 0, run.stderr
    target = out / "source" / "00_start_here" / "00_start_here.ipynb"
    assert run.stdout.split() == [str(target)]
    nb = nbformat.read(target, as_version=4)
    graded = {c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata}
    assert {"task_island_shares", "check_island_shares"} <= graded


@pytest.mark.parametrize("edition", ["student", "teacher"])
def test_handouts_by_edition(lessons: Path, tmp_path: Path, edition: str) -> None:
    out = tmp_path / edition
    run = kt("handouts", str(out), "--from", str(lessons), "--only", "01", "--edition", edition,
             "--no-progress")
    assert run.returncode == 0, run.stderr
    page = (out / "01_next.html").read_text(encoding="utf-8")
    shown = re.findall(r"<pre>(\d+)</pre>", page)
    assert shown == (["6", "9"] if edition == "teacher" else []), shown


def test_edition_of_the_package_lessons(tmp_path: Path) -> None:
    lessons = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if not lessons:
        pytest.skip("no lesson notebooks yet")
    run = kt("edition", "student", str(tmp_path / "s"))
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == lessons


def test_unknown_edition_is_refused(lessons: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = kt("edition", "answers", str(out), "--from", str(lessons))
    assert run.returncode == 2
    assert "invalid choice: 'answers'" in run.stderr and "student" in run.stderr
    assert not out.exists()


def test_unknown_lesson_is_refused(lessons: Path, tmp_path: Path) -> None:
    run = kt("edition", "student", str(tmp_path / "out"), "--from", str(lessons), "--only", "07")
    assert run.returncode == 2
    assert "--only 07: no such lesson" in run.stderr and "00_intro" in run.stderr
    assert not (tmp_path / "out").exists()


def test_edition_into_a_file_fails_cleanly(lessons: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "handed-in.txt"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    run = kt("edition", "student", str(blocker / "out"), "--from", str(lessons))
    assert run.returncode == 1
    assert run.stdout == ""
    assert "error: cannot write into" in run.stderr and "is a file, not a folder" in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handed-in.txt", "lessons"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="file permissions do not bind the root user")
def test_edition_into_a_read_only_folder_fails_cleanly(lessons: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        run = kt("edition", "student", str(locked / "out"), "--from", str(lessons))
        assert run.returncode == 1
        assert "cannot write into" in run.stderr
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


# ------------------------------------------------------------------------- handouts


@pytest.fixture(scope="module")
def handout_run(tmp_path_factory: pytest.TempPathFactory,
                jupyter_env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Handouts of a lesson with a map and a widget, and of a lesson that fails."""
    src = tmp_path_factory.mktemp("handout-lessons")
    _lesson(src / "00_map.ipynb",
            new_markdown_cell("# Map\n\nThe islands, offline."),
            new_code_cell("import folium\nfrom kuril_teaching.maps import OfflineMap\n"
                          "m = OfflineMap(location=[44.0, 146.5], zoom_start=6, tiles=None)\n"
                          "folium.CircleMarker([44.0, 146.5], radius=12).add_to(m)\nm"),
            new_code_cell("import ipywidgets as w\nw.IntSlider(value=1956, min=1855, max=2025)"))
    _lesson(src / "01_broken.ipynb", new_markdown_cell("# Broken"), new_code_cell("x = 1"),
            new_code_cell("x / 0"))
    out = tmp_path_factory.mktemp("handouts") / "out"
    return kt("handouts", str(out), "--from", str(src), env=jupyter_env), out


def test_handouts_keep_going_past_a_failing_notebook(
        handout_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    run, out = handout_run
    assert run.returncode == 1
    assert sorted(p.name for p in out.iterdir()) == ["00_map.html", "index.html"]
    assert run.stdout.split() == [str(out / "00_map.html")]
    assert ("01_broken.ipynb failed in code cell 2 (x / 0): ZeroDivisionError: division by zero"
            in run.stderr)
    assert "1 of 2 handout(s) written" in run.stderr
    assert "2/2" in run.stderr  # the progress bar, one step per notebook
    assert '<a href="00_map.html">00_map</a>' in (out / "index.html").read_text(encoding="utf-8")


def test_handout_loads_nothing_from_the_network(
        handout_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    page = (handout_run[1] / "00_map.html").read_text(encoding="utf-8")
    assert remote_resources(page) == []
    for cdn in ("require.min.js", "mathjax", "unpkg.com", "@jupyter-widgets/html-manager"):
        assert cdn not in page.lower()
    assert "L.map(" in html.unescape(page)
    assert WIDGET_NOTE in page and "IntSlider(value=1956" in page


def _open_offline(page_file: Path) -> tuple[int, int, list[str]]:
    """Open a saved page in Chromium with the network cut off.

    Returns the number of Leaflet shapes drawn in its first map frame, the number of widget
    notes shown, and the web addresses the page tried to load.
    """
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing under CI")
        pytest.skip("install Debian's chromium: sudo apt-get install chromium")
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=OFFLINE_ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            shapes = page.frame_locator("iframe").first.locator("path.leaflet-interactive")
            shapes.first.wait_for(state="attached", timeout=20_000)
            counts = shapes.count(), page.get_by_text(WIDGET_NOTE).count()
        finally:
            browser.close()
    return *counts, [u for u in requests if u.startswith(("http:", "https:"))]


def test_remote_resources_finds_cdn_loads_but_not_links() -> None:
    frame = html.escape('<script src="https://cdn.example.org/leaflet.js"></script>', quote=True)
    page = (
        '<link rel="stylesheet" href="//cdn.example.org/a.css">'
        '<style>@import url("https://fonts.example.org/x.css");</style>'
        '<a href="https://www.openstreetmap.org/copyright">OSM</a>'
        f'<iframe srcdoc="{frame}"></iframe><img src="data:image/png;base64,AAAA">'
    )
    found = remote_resources(page)
    assert len(found) == 3
    assert any("cdn.example.org/leaflet.js" in f for f in found)
    assert not any("openstreetmap" in f for f in found)


@pytest.mark.browser
def test_handout_shows_its_map_offline_in_chromium(
        handout_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    shapes, notes, remote = _open_offline(handout_run[1] / "00_map.html")
    assert shapes == 1  # the circle marker
    assert notes == 1  # the slider's note
    assert remote == []


@pytest.fixture(scope="module")
def start_handout(tmp_path_factory: pytest.TempPathFactory,
                  jupyter_env: dict[str, str]) -> Path:
    """The handout of the package's first lesson (a small, real end-to-end run)."""
    if not (NOTEBOOKS / "00_start_here.ipynb").exists():
        pytest.skip("00_start_here.ipynb is not written yet")
    out = tmp_path_factory.mktemp("start-handout")
    run = kt("handouts", str(out), "--only", "00_start_here", "--no-progress",
             env=jupyter_env, timeout=900)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["00_start_here.html", "index.html"]
    return out / "00_start_here.html"


def test_handout_of_the_start_notebook_is_offline(start_handout: Path) -> None:
    page = start_handout.read_text(encoding="utf-8")
    assert remote_resources(page) == []
    assert "L.map(" in html.unescape(page)


@pytest.mark.browser
def test_handout_of_the_start_notebook_shows_its_map(start_handout: Path) -> None:
    shapes, _, remote = _open_offline(start_handout)
    assert shapes >= 4  # at least the four disputed islands
    assert remote == []


def test_handouts_into_a_file_fail_before_running(lessons: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "printer"
    blocker.write_text("", encoding="utf-8")
    started = time.monotonic()
    run = kt("handouts", str(blocker), "--from", str(lessons))
    assert run.returncode == 1
    assert "cannot write into" in run.stderr and "is a file, not a folder" in run.stderr
    assert "notebook/s" not in run.stderr  # no progress bar: nothing was run
    assert time.monotonic() - started < 30
    assert blocker.read_text(encoding="utf-8") == ""


# ------------------------------------------------------------------------- lab


def test_lab_in_a_checkout_opens_the_notebooks_in_place() -> None:
    run = kt("lab", "--print-only", "--no-browser")
    assert run.returncode == 0, run.stderr
    assert "source checkout" in run.stderr
    cd, command = run.stdout.strip().split(" && ")
    assert Path(cd.removeprefix("cd ")) == NOTEBOOKS
    assert command.split()[1:4] == ["-m", "jupyterlab", "--no-browser"]
    assert command.endswith("00_start_here.ipynb") == (NOTEBOOKS / "00_start_here.ipynb").exists()


@pytest.fixture
def installed(tmp_path: Path, jupyter_env: dict[str, str]) -> dict[str, str]:
    """An environment importing kuril_teaching laid out as the wheel installs it."""
    site = tmp_path / "site"
    package = site / "kuril_teaching"
    shutil.copytree(ROOT / "kuril_teaching", package,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copytree(NOTEBOOKS, package / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (package / "notebooks" / "00_start_here.ipynb").touch()
    shutil.copytree(ROOT / "data", package / "data")
    return dict(jupyter_env, PYTHONPATH=str(site))


def test_lab_when_installed_copies_without_overwriting(installed: dict[str, str],
                                                       tmp_path: Path) -> None:
    classroom = tmp_path / "classroom"
    classroom.mkdir()
    first = kt("lab", "--print-only", env=installed, cwd=classroom)
    assert first.returncode == 0, first.stderr
    copy = classroom / "kuril-teaching-notebooks"
    assert (copy / "00_start_here.ipynb").is_file()
    assert "file(s) copied into" in first.stderr
    assert first.stdout.startswith(f"cd {copy} && ")
    assert first.stdout.strip().endswith("-m jupyterlab 00_start_here.ipynb")

    (copy / "00_start_here.ipynb").write_text("a student's work", encoding="utf-8")
    second = kt("lab", "--print-only", env=installed, cwd=classroom)
    assert second.returncode == 0, second.stderr
    assert "0 file(s) copied" in second.stderr and "were kept as they are" in second.stderr
    assert (copy / "00_start_here.ipynb").read_text(encoding="utf-8") == "a student's work"


def test_lab_refuses_a_folder_it_cannot_write(installed: dict[str, str], tmp_path: Path) -> None:
    blocker = tmp_path / "desk"
    blocker.write_text("", encoding="utf-8")
    run = kt("lab", "--print-only", "--dir", str(blocker / "lessons"), env=installed)
    assert run.returncode == 1
    assert "cannot write into" in run.stderr
    assert run.stdout == ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_lab_starts_jupyterlab_on_the_copy(tmp_path: Path, jupyter_env: dict[str, str]) -> None:
    port, token = _free_port(), "kuril-test-token"
    extra = ["--port", str(port), "--ip", "127.0.0.1", f"--IdentityProvider.token={token}",
             "--ServerApp.port_retries=0"]
    if os.name == "posix" and os.geteuid() == 0:
        extra.append("--allow-root")
    server = subprocess.Popen(
        [_entry_point(), "lab", "--no-browser", "--dir", str(tmp_path / "copy"), "--", *extra],
        env=jupyter_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/api/contents/{{}}?token={token}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url.format(""), timeout=2) as reply:
                    listing = reply.read().decode()
                break
            except OSError:
                assert server.poll() is None, "JupyterLab exited early"
                assert time.monotonic() < deadline, "JupyterLab did not answer within 60 s"
                time.sleep(0.3)
        names = {p.name for p in (tmp_path / "copy").glob("*.ipynb")}
        assert all(name in listing for name in names)  # the server's root is the copy
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# ------------------------------------------------------------------------- languages


@pytest.mark.parametrize("code", ["ja", "ru"])
def test_links_to_a_language_edition(code: str) -> None:
    run = kt("links", "--lang", code, "--hub", "https://hub.example.edu/")
    assert run.returncode == 0, run.stderr
    binder = [ln.split(":", 1)[1].strip() for ln in run.stdout.splitlines()
              if ln.strip().startswith("Binder:")]
    hub = [ln.split(": ", 1)[1] for ln in run.stdout.splitlines() if ln.strip().startswith("JupyterHub:")]
    lessons = sorted(p.name for p in (NOTEBOOKS / code).glob("[0-9][0-9]_*.ipynb"))
    assert lessons and len(binder) == 1 + len(lessons)
    assert binder[0].endswith(f"urlpath=lab/tree/notebooks/{code}/00_start_here.ipynb")
    for name, link in zip(lessons, binder[1:], strict=True):
        assert link.endswith(f"urlpath=lab/tree/notebooks/{code}/{name}")
        assert (NOTEBOOKS / code / name).is_file()
    assert _query(hub[0])["urlpath"].endswith(f"notebooks/{code}")


def test_lab_lang_sets_jupyterlab_language_and_opens_the_edition(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    settings = tmp_path / "settings"
    plugin = settings / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings"
    plugin.parent.mkdir(parents=True)
    plugin.write_text('{"stringsPrefix": "!"}', encoding="utf-8")  # another setting is kept
    from kuril_teaching.cli import set_lab_language

    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings)}
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(settings))
    assert set_lab_language("ru") == plugin
    assert json.loads(plugin.read_text(encoding="utf-8")) == {"stringsPrefix": "!", "locale": "ru_RU"}
    run = subprocess.run([sys.executable, "-m", "kuril_teaching.cli", "lab", "--lang", "ja", "--dir",
                          str(tmp_path / "class"), "--print-only"], capture_output=True, text=True,
                         env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith("ja/00_start_here.ipynb")
    assert (tmp_path / "class" / "ja" / "00_start_here.ipynb").is_file()
    assert (tmp_path / "class" / "ru" / "00_start_here.ipynb").is_file()
    with pytest.raises(ValueError, match="unknown language 'fr'; valid languages: en, ja, ru"):
        set_lab_language("fr")


def test_edition_and_handouts_take_a_language(tmp_path: Path) -> None:
    run = kt("edition", "teacher", str(tmp_path / "t"), "--lang", "ru", "--only", "00")
    assert run.returncode == 0, run.stderr
    nb = json.loads((tmp_path / "t" / "00_start_here.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["kuril_teaching"]["language"] == "ru"
    text = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "Итуруп" in text and 'kt.set_language("ru")' in "".join(
        "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    bad = kt("edition", "teacher", str(tmp_path / "x"), "--lang", "fr")
    assert bad.returncode == 2 and "invalid choice: 'fr'" in bad.stderr
