"""The ``kuril-teaching`` command: open the lessons, write editions and handouts, print links.

Exit codes: 0 success, 1 the work failed (a notebook failed, a folder could not be
written), 2 the command line was wrong. Messages for people go to stderr; results
(paths written, links) go to stdout.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import signal
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote, urlsplit

from . import __version__
from ._resources import notebooks_root

__all__ = [
    "BINDER_URL",
    "DEFAULT_BRANCH",
    "DEFAULT_LAB_DIR",
    "NOTEBOOKS_FOLDER",
    "REPO_URL",
    "START_NOTEBOOK",
    "binder_link",
    "clone_folder",
    "main",
    "nbgitpuller_link",
]

# Where the project's repository lives. A placeholder until the project is published:
# change it here (and in the README's Binder badge and links) when the address is known.
REPO_URL = "https://github.com/kuril-teaching/kuril-teaching"
DEFAULT_BRANCH = "main"
BINDER_URL = "https://mybinder.org"
NOTEBOOKS_FOLDER = "notebooks"  # the lessons' folder inside the repository
START_NOTEBOOK = "00_start_here.ipynb"
LANGUAGE_CHOICES = ("en", "ja", "ru")
DEFAULT_LAB_DIR = "kuril-teaching-notebooks"

PROG = "kuril-teaching"
_SKIPPED_PARTS = (".ipynb_checkpoints", "__pycache__")


class CommandError(Exception):
    """A failure to report in one line (exit code 1)."""


class _UsageError(Exception):
    """A wrong argument found after parsing (exit code 2)."""


# --------------------------------------------------------------------------- links


def _clean_url(url: str, what: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _UsageError(f"{what} must be a web address like https://example.org, not {url!r}")
    if parts.query or parts.fragment:
        raise _UsageError(f"{what} must not contain '?' or '#': {url!r}")
    return url.strip().rstrip("/")


def _hub_base(hub: str) -> str:
    """The hub's base address: ``https://hub.example.edu/hub/home`` -> ``https://hub.example.edu``."""
    base = _clean_url(hub, "--hub")
    scheme, netloc, path = urlsplit(base)[:3]
    segments = path.split("/")
    if "hub" in segments:  # a pasted address of a hub page: keep what comes before /hub/
        path = "/".join(segments[: segments.index("hub")])
    return f"{scheme}://{netloc}{path.rstrip('/')}"


def clone_folder(repo: str) -> str:
    """The folder nbgitpuller clones ``repo`` into: the last segment of its address."""
    return _clean_url(repo, "--repo").split("/")[-1]


def nbgitpuller_link(hub: str, path: str, repo: str = REPO_URL,
                     branch: str = DEFAULT_BRANCH) -> str:
    """An nbgitpuller link: clone or update ``repo`` on ``hub``, then open ``path`` in JupyterLab.

    ``path`` is relative to the repository (``notebooks/00_start_here.ipynb``); every query
    value is URL-encoded, as nbgitpuller's own link generator does.
    """
    repo = _clean_url(repo, "--repo")
    urlpath = f"lab/tree/{clone_folder(repo)}/{path.strip('/')}".rstrip("/")
    query = "&".join(f"{key}={quote(value, safe='')}"
                     for key, value in (("repo", repo), ("urlpath", urlpath), ("branch", branch)))
    return f"{_hub_base(hub)}/hub/user-redirect/git-pull?{query}"


def binder_link(path: str, repo: str = REPO_URL, branch: str = DEFAULT_BRANCH,
                binder: str = BINDER_URL) -> str:
    """A Binder launch link that opens ``path`` (relative to the repository) in JupyterLab."""
    repo = _clean_url(repo, "--repo")
    binder = _clean_url(binder, "--binder")
    parts = urlsplit(repo)
    owner_name = parts.path.strip("/").removesuffix(".git")
    ref = quote(branch, safe="")
    if parts.netloc == "github.com" and owner_name.count("/") == 1:
        spec = f"gh/{owner_name}/{ref}"
    elif parts.netloc == "gitlab.com":
        spec = f"gl/{quote(owner_name, safe='')}/{ref}"
    else:
        spec = f"git/{quote(repo, safe='')}/{ref}"
    urlpath = quote(f"lab/tree/{path.strip('/')}".rstrip("/"), safe="/")
    return f"{binder}/v2/{spec}?urlpath={urlpath}"


def _lesson_names() -> list[str]:
    root = Path(str(notebooks_root()))
    return sorted(p.name for p in root.glob("[0-9][0-9]_*.ipynb") if p.is_file())


def _links(args: argparse.Namespace) -> int:
    hub = _hub_base(args.hub) if args.hub else None
    _clean_url(args.repo, "--repo")
    folder = NOTEBOOKS_FOLDER if args.lang == "en" else f"{NOTEBOOKS_FOLDER}/{args.lang}"
    targets = [("whole sequence", folder)]
    targets += [(name, f"{folder}/{name}") for name in _lesson_names()]
    if len(targets) == 1:
        print(f"{PROG} links: no lesson notebooks found; printing the sequence link only",
              file=sys.stderr)
    rows = []
    for label, path in targets:
        # Binder opens the start notebook for the whole sequence: a fresh copy has nothing else.
        binder_path = f"{folder}/{START_NOTEBOOK}" if path == folder else path
        rows.append((label,
                     nbgitpuller_link(hub, path, args.repo, args.branch) if hub else None,
                     binder_link(binder_path, args.repo, args.branch, args.binder)))
    if args.markdown:
        for label, hub_link, binder in rows:
            cells = [f"[JupyterHub]({hub_link})"] if hub_link else []
            cells.append(f"[Binder]({binder})")
            print(f"- {label}: {' · '.join(cells)}")
        return 0
    for label, hub_link, binder in rows:
        print(label)
        if hub_link:
            print(f"  JupyterHub: {hub_link}")
        print(f"  Binder:     {binder}")
    return 0


# --------------------------------------------------------------------------- lab


def _inside_installation(folder: Path) -> bool:
    """True when ``folder`` belongs to an installed package (site-packages), not a checkout."""
    folder = folder.resolve()
    if folder.parent.name == "kuril_teaching":  # the wheel's layout: kuril_teaching/notebooks
        return True
    for key in ("purelib", "platlib"):
        site = Path(sysconfig.get_paths()[key]).resolve()
        if folder.is_relative_to(site):
            return True
    return False


def _copy_missing(src: Path, dst: Path) -> tuple[list[Path], list[Path]]:
    """Copy into ``dst`` the files of ``src`` it does not have yet; return (copied, kept)."""
    copied, kept = [], []
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if not path.is_file() or any(part in _SKIPPED_PARTS for part in rel.parts):
            continue
        target = dst / rel
        if target.exists():
            kept.append(target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        copied.append(target)
    return copied, kept


# JupyterLab's locale for each language of the lessons (its language packs are dependencies).
LAB_LOCALES = {"en": "en", "ja": "ja_JP", "ru": "ru_RU"}
_LAB_LANGUAGE_SETTING = Path("@jupyterlab") / "translation-extension" / "plugin.jupyterlab-settings"


def set_lab_language(code: str) -> Path:
    """Set JupyterLab's interface language to ``code`` in the user's settings (as Settings ▸
    Language does) and return the settings file; other settings in it are kept."""
    import json

    from jupyter_core.paths import jupyter_config_dir

    if code not in LAB_LOCALES:
        raise ValueError(f"unknown language {code!r}; valid languages: {', '.join(LAB_LOCALES)}")
    folder = os.environ.get("JUPYTERLAB_SETTINGS_DIR") or os.path.join(
        jupyter_config_dir(), "lab", "user-settings")
    path = Path(folder) / _LAB_LANGUAGE_SETTING
    settings: dict[str, object] = {}
    if path.is_file():
        try:
            settings = json.loads(path.read_text(encoding="utf-8") or "{}")
        except ValueError:  # a hand-edited file with comments: replaced by a clean one
            settings = {}
    settings["locale"] = LAB_LOCALES[code]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    return path


def _lab(args: argparse.Namespace, jupyter_args: list[str]) -> int:
    from .handouts import OutputFolderError, check_output_folder

    root = Path(str(notebooks_root()))
    if args.dir is None and not _inside_installation(root):
        folder = root
        print(f"{PROG} lab: opening the lessons of this source checkout in {folder}",
              file=sys.stderr)
    else:
        try:
            folder = check_output_folder(args.dir or DEFAULT_LAB_DIR)
        except OutputFolderError as exc:
            raise CommandError(str(exc)) from exc
        copied, kept = _copy_missing(root, folder)
        print(f"{PROG} lab: {len(copied)} file(s) copied into {folder}", file=sys.stderr)
        if kept:
            print(f"{PROG} lab: {len(kept)} file(s) already there were kept as they are "
                  "(your edits are safe; delete a file to get a fresh copy)", file=sys.stderr)
    start_name = START_NOTEBOOK if args.lang == "en" else f"{args.lang}/{START_NOTEBOOK}"
    start = folder / start_name
    if not args.print_only:
        where = set_lab_language(args.lang)
        print(f"{PROG} lab: JupyterLab's own menus set to {LAB_LOCALES[args.lang]} in {where}",
              file=sys.stderr)
    command = [sys.executable, "-m", "jupyterlab"]
    if args.no_browser:
        command.append("--no-browser")
    command += [*jupyter_args, *([start_name] if start.is_file() else [])]
    if args.print_only:
        print(f"cd {shlex.quote(str(folder))} && {shlex.join(command)}")
        return 0
    process = subprocess.Popen(command, cwd=folder)
    # A service manager or a hub stops the command with SIGTERM: pass it on, so that
    # JupyterLab shuts down with it instead of running on alone.
    previous = signal.signal(signal.SIGTERM, lambda signum, _frame: process.send_signal(signum))
    try:
        return 0 if process.wait() == 0 else 1
    except KeyboardInterrupt:  # JupyterLab got the same Ctrl-C and is shutting down
        return 0 if process.wait() == 0 else 1
    finally:
        signal.signal(signal.SIGTERM, previous)


# --------------------------------------------------------------------------- edition, handouts


def _notebooks(args: argparse.Namespace) -> list[Path]:
    """The notebooks a command works on: ``--from`` or the package's, narrowed by ``--only``."""
    from .editions import lesson_notebooks

    if args.source is not None and not Path(args.source).is_dir():
        raise _UsageError(f"--from {args.source}: no such folder")
    source = args.source
    if source is None and args.lang != "en":
        source = Path(str(notebooks_root())) / args.lang
    books = lesson_notebooks(source)
    where = args.source or ("the package" if args.lang == "en" else f"the package's {args.lang} edition")
    if not books:
        raise CommandError(f"no lesson notebooks (NN_name.ipynb) in {where}")
    if not args.only:
        return books
    chosen = []
    for wanted in args.only:
        key = wanted.removesuffix(".ipynb")
        matches = [p for p in books if p.stem == key or p.stem.split("_", 1)[0] == key]
        if not matches:
            names = ", ".join(p.stem for p in books)
            raise _UsageError(f"--only {wanted}: no such lesson in {where} (lessons: {names})")
        chosen += [p for p in matches if p not in chosen]
    return chosen


def _edition(args: argparse.Namespace) -> int:
    from .editions import make_edition
    from .handouts import OutputFolderError, move_into, staging_folder

    books = _notebooks(args)
    try:
        with staging_folder(args.out) as stage:
            written = move_into(make_edition(args.kind, stage, books), args.out, base=stage)
    except OutputFolderError as exc:
        raise CommandError(str(exc)) from exc
    for path in written:
        print(path)
    print(f"{PROG} edition: {args.kind} edition of {len(written)} notebook(s) written to "
          f"{Path(args.out).absolute()}", file=sys.stderr)
    return 0


def _handouts(args: argparse.Namespace) -> int:
    from .handouts import OutputFolderError, PdfUnavailableError, make_handouts

    books = _notebooks(args)
    try:
        results = make_handouts(books, args.out, timeout=args.timeout,
                                progress=not args.no_progress, edition=args.edition,
                                pdf=args.pdf, paper=args.paper)
    except (OutputFolderError, PdfUnavailableError) as exc:
        raise CommandError(str(exc)) from exc
    done = [r for r in results if r.ok]
    failed = [r for r in results if not r.ok]
    for result in results:
        for path in (result.handout, result.pdf):
            if path is not None:
                print(path)
    print(f"{PROG} handouts: {len(done)} of {len(results)} handout(s) written to "
          f"{Path(args.out).absolute()}", file=sys.stderr)
    if failed:
        names = ", ".join(r.notebook.name for r in failed)
        print(f"{PROG} handouts: {len(failed)} notebook(s) failed: {names}", file=sys.stderr)
        return 1
    return 0


# --------------------------------------------------------------------------- parser


def _parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Lessons on the Kuril Islands / Northern Territories dispute: open them in "
                    "JupyterLab, write student or teacher editions, print offline handouts, "
                    "and make links for Binder and a class JupyterHub.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    lab = commands.add_parser(
        "lab", help="open JupyterLab on the lessons",
        description="Open JupyterLab on the lessons. In a source checkout the lessons open in "
                    "place; an installed package first copies them into --dir, so that "
                    "students' edits never land inside the installation. Files already in "
                    "--dir are never overwritten. Arguments after '--' go to JupyterLab.",
        epilog=f"example: {PROG} lab --dir ~/kuril-lessons -- --port 8890")
    lab.add_argument("--dir", metavar="DIR",
                     help=f"folder for the students' copy (default for an installed package: "
                          f"./{DEFAULT_LAB_DIR}; giving it in a checkout makes a copy too)")
    lab.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    lab.add_argument("--lang", choices=LANGUAGE_CHOICES, default="en",
                     help="open the lessons in English, Japanese or Russian, and set "
                          "JupyterLab's own menus to that language (a user setting, as "
                          "Settings > Language sets it; default: en)")
    lab.add_argument("--print-only", action="store_true",
                     help="prepare the folder and print the JupyterLab command, without "
                          "starting it")

    def add_selection(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--from", dest="source", metavar="DIR",
                         help="take the notebooks from DIR (default: the package's lessons)")
        sub.add_argument("--lang", choices=LANGUAGE_CHOICES, default="en",
                         help="the lessons in English, Japanese or Russian (default: en)")
        sub.add_argument("--only", action="append", metavar="LESSON",
                         help="only this lesson, by name or number (00_start_here, 00); "
                              "repeat for more")

    edition = commands.add_parser(
        "edition", help="write the student, teacher or nbgrader edition of the notebooks",
        description="Write the notebooks into OUT, outputs cleared. student: as students "
                    "open them, without solutions. teacher: with the solutions, model answers "
                    "and notes from the lessons' content files. nbgrader: an nbgrader course "
                    "folder (OUT/source/<lesson>/<lesson>.ipynb) with code tasks as autograded "
                    "answers and written answers as manually graded cells. Same-named "
                    "notebooks in OUT are replaced; nothing is written if OUT cannot be written.",
        epilog=f"example: {PROG} edition teacher ~/teacher-notebooks")
    edition.add_argument("kind", choices=["student", "teacher", "nbgrader"], help="which edition")
    edition.add_argument("out", metavar="OUT", help="output folder (created if needed)")
    add_selection(edition)
    edition.set_defaults(handler=_edition)

    handouts = commands.add_parser(
        "handouts", help="execute the lessons and save them as offline HTML handouts",
        description="Execute every lesson in a fresh kernel and save it as a self-contained "
                    "HTML page (maps included) that needs no internet: for printing, a "
                    "projector, or a class without Python. Each exercise prints as a numbered "
                    "worksheet item with room for the answer; the teacher edition adds the "
                    "answers, checklists and rubrics. --pdf also prints each page to PDF "
                    "with a headless Chromium (needs Playwright: pip install playwright). A "
                    "notebook that fails is reported and skipped; the others are still "
                    "written, and the exit code is 1.",
        epilog=f"example: {PROG} handouts printouts/ --edition teacher --pdf --only 00")
    handouts.add_argument("out", metavar="OUT", help="output folder (created if needed)")
    add_selection(handouts)
    handouts.add_argument("--edition", choices=["student", "teacher"], default="student",
                          help="student: worksheets without answers (default); teacher: with "
                               "the solutions, answers and rubrics")
    handouts.add_argument("--pdf", action="store_true",
                          help="also print each handout to NAME.pdf (maps drawn, fonts "
                               "embedded) with a headless Chromium; needs Playwright")
    handouts.add_argument("--paper", choices=["a4", "letter"], default="a4",
                          help="paper size of the PDFs (default: a4)")
    handouts.add_argument("--timeout", type=int, default=600, metavar="SECONDS",
                          help="longest time one cell may run (default: 600)")
    handouts.add_argument("--no-progress", action="store_true", help="no progress bar")
    handouts.set_defaults(handler=_handouts)

    links = commands.add_parser(
        "links", help="print nbgitpuller (JupyterHub) and Binder links for the lessons",
        description="Print one link for the whole sequence and one per lesson: for your "
                    "JupyterHub with nbgitpuller (--hub), and for Binder. Share them with "
                    "students; a click clones or updates the lessons in their own space.",
        epilog=f"example: {PROG} links --hub https://hub.example.edu --branch main")
    links.add_argument("--hub", metavar="URL",
                       help="your JupyterHub's address (nbgitpuller must be installed there)")
    links.add_argument("--repo", default=REPO_URL, metavar="URL",
                       help=f"git repository with the lessons (default: {REPO_URL})")
    links.add_argument("--branch", default=DEFAULT_BRANCH, help="branch (default: main)")
    links.add_argument("--binder", default=BINDER_URL, metavar="URL",
                       help=f"BinderHub to use (default: {BINDER_URL})")
    links.add_argument("--lang", choices=LANGUAGE_CHOICES, default="en",
                       help="links to the lessons in English, Japanese or Russian (default: en)")
    links.add_argument("--markdown", action="store_true",
                       help="print a Markdown list (for a course page or README)")
    links.set_defaults(handler=_links)
    return parser, {"lab": lab, "edition": edition, "handouts": handouts, "links": links}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    passthrough: list[str] = []
    if argv[:1] == ["lab"] and "--" in argv:
        cut = argv.index("--")
        argv, passthrough = argv[:cut], argv[cut + 1:]
    parser, subparsers = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "lab":
            return _lab(args, passthrough)
        from .i18n import using

        with using(getattr(args, "lang", "en")):  # what the command writes speaks the lessons' language
            return args.handler(args)
    except _UsageError as exc:
        subparsers[args.command].error(str(exc))  # prints usage and the message, exits 2
    except CommandError as exc:
        print(f"{PROG} {args.command}: error: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted; nothing more was written", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
