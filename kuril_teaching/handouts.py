"""Printable handouts: every lesson executed and saved as one self-contained HTML page.

A handout loads nothing from the network. The maps carry their own Leaflet (see
``maps.py``); nbconvert's links to require.js, MathJax, Mermaid and the widget manager
are left out. An exercise prints as a numbered worksheet item (the ``text/html`` its output
carries beside the widget: prompt, options or items, room for the answer; the teacher's
edition adds the answer); every other widget output is replaced by a short note, since a
control cannot work on paper or without a kernel. The kernel learns the edition being built
from :data:`~kuril_teaching.exercises.EDITION_VARIABLE`, never from the notebook.

With ``pdf=True`` each page is also printed to PDF by a headless Chromium (Playwright), once
its maps are drawn.

Everything is written into a hidden staging folder first and moved into place at the
end, so an interrupted or refused run leaves no half-written files behind.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    import nbformat

__all__ = [
    "PAPER_SIZES",
    "PDF_HINT",
    "WIDGET_NOTE",
    "HandoutResult",
    "OutputFolderError",
    "PdfUnavailableError",
    "check_output_folder",
    "check_pdf_printing",
    "execute_notebook",
    "find_chromium",
    "make_handouts",
    "move_into",
    "offline_html",
    "print_pdfs",
    "remote_resources",
    "staging_folder",
]

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = "interactive control: open the notebook to use it"
DEFAULT_TIMEOUT = 600  # seconds per cell; a lesson cell takes well under a minute
WORKSHEET_CLASS = "kt-worksheet"  # exercises.worksheet_html's outer element
ANSWER_TAG = "answer"  # editions.ANSWER_TAG: a markdown cell where the student writes
_NUMBER = re.compile(r'(<span class="kt-ws-number">)[^<]*</span>')
_EXERCISE = re.compile(r'data-kt-exercise="([^"]*)"')
_LABEL = re.compile(r"\s*(\*\*[^*\n]+\*\*)")

# The lab template without anything it would fetch from a CDN.
_TEMPLATE_NAME = "kuril_handout.html.j2"
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<style type="text/css">
.kt-widget-note {border: 1px dashed #888; border-radius: 4px; padding: 4px 8px; margin: 2px 0;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #444;
  background: #f6f6f6;}
.kt-widget-note code {font-size: 12px; color: #666;}
.kt-handout-footer {margin: 2em 0 1em; color: #595959; font-size: 12px;}
/* An exercise as a worksheet item: room to write, boxes to tick, blanks to fill. */
.kt-worksheet {border: 1px solid #555; border-radius: 4px; padding: 6px 12px; margin: 4px 0;
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111;
  background: #fff; max-width: 52em;}
.kt-worksheet p {margin: 4px 0;}
.kt-ws-number {display: inline-block; font-weight: bold; color: #fff; background: #333;
  border-radius: 3px; padding: 0 6px; margin-right: 4px;}
.kt-ws-options {margin: 4px 0; padding-left: 2em; list-style-type: upper-alpha !important;}
.kt-ws-options li {margin: 3px 0;}
.kt-ws-box {display: inline-block; width: 0.9em; height: 0.9em; border: 1.5px solid #222;
  vertical-align: -0.1em; margin-right: 4px;}
.kt-ws-blank {display: inline-block; min-width: 10em; border-bottom: 1.5px solid #222;
  height: 1.2em; vertical-align: bottom;}
.kt-ws-line {height: 1.9em; border-bottom: 1px solid #777;}
.kt-ws-lines {margin: 4px 0 8px;}
table.kt-ws-table {border-collapse: collapse; margin: 6px 0; width: 100%; table-layout: auto;}
table.kt-ws-table th, table.kt-ws-table td {border: 1px solid #777; padding: 4px 8px;
  text-align: left; vertical-align: top; white-space: normal;}
table.kt-ws-table td.kt-ws-fill {min-width: 9em; width: 25%;}
.kt-ws-answer {border-top: 2px dashed #555; margin-top: 8px; padding-top: 4px;}
.kt-ws-solution {white-space: pre-wrap; word-break: break-word; background: #f4f4f4;
  padding: 4px 8px; font-size: 12px;}
@page {margin: 12mm;}
@media print {
  body {font-size: 10pt;}
  .jp-InputPrompt, .jp-OutputPrompt {display: none !important;}
  .jp-OutputArea-output iframe, .kt-worksheet, tr, img {break-inside: avoid;}
  h1, h2, h3, h4 {break-after: avoid;}
  /* Wide tables wrap to the page (A4 or Letter) instead of running off it. */
  .kt-scroll, .jp-OutputArea-output, .jp-RenderedHTMLCommon {overflow: visible !important;
    max-width: 100% !important;}
  .jp-RenderedHTMLCommon table, table.kt-table, table.dataframe {width: 100% !important;
    max-width: 100% !important; table-layout: auto !important; font-size: 7.5pt !important;
    word-break: normal; overflow-wrap: anywhere;}
  /* A column is at least as wide as its heading's longest word; long values wrap inside it. */
  .jp-RenderedHTMLCommon thead th, table.kt-table thead th {overflow-wrap: normal;}
  /* Very wide tables (a dozen columns, or one the PDF printer found too wide): smaller still. */
  table:has(tr > :nth-child(12)), table.kt-tight {font-size: 6.5pt !important;}
  table.kt-tight thead th {overflow-wrap: anywhere;}
  .jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon td {padding: 2px 3px !important;
    white-space: normal !important;}
  pre, .jp-RenderedText pre, .highlight pre {white-space: pre-wrap !important;
    word-break: break-word;}
  .kt-worksheet {font-size: 10.5pt;}
  /* A worksheet's own table keeps its size: room to write in each blank. */
  .kt-worksheet table.kt-ws-table {font-size: 10pt !important; overflow-wrap: normal;}
  .kt-worksheet table.kt-ws-table th, .kt-worksheet table.kt-ws-table td {
    text-align: left !important; padding: 6px 8px !important;}
}
table.kt-ws-table th, table.kt-ws-table td {text-align: left !important;}
/* Readable by everyone (WCAG AA contrast, checked with axe-core): darker prompts and code
   colours, and links told apart from text by an underline, not by colour alone. */
.jp-InputPrompt, .jp-OutputPrompt {color: #595959 !important; opacity: 1 !important;}
.highlight .c, .highlight .c1, .highlight .cm, .highlight .ch, .highlight .cs,
.highlight .cp, .highlight .cpf {color: #2f5f5f !important;}
.highlight .mi, .highlight .mf, .highlight .m, .highlight .mh, .highlight .mo,
.highlight .il {color: #1d6b1d !important;}
main a, .jp-RenderedHTMLCommon a {text-decoration: underline !important;}
</style>
{%- endblock extra_css -%}
{%- block body_footer -%}
<p class="kt-handout-footer">{{ resources.kt_footer }}</p>
{{ super() }}
{%- endblock body_footer -%}
"""

# What a page could fetch from another host: a tag's src/href, or a CSS url().
_LOADING_TAG = re.compile(r"<(?:script|link|img|iframe|embed|source|audio|video)\b[^>]*>", re.I)
_REMOTE_ATTR = re.compile(r"\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", re.I)
_REMOTE_CSS = re.compile(r"(?:url\(|@import)\s*[\"']?\s*(?:https?:)?//[^\s\"')]*", re.I)
_SRCDOC = re.compile(r"\bsrcdoc\s*=\s*\"([^\"]*)\"", re.I)


class OutputFolderError(ValueError):
    """The output folder cannot be written."""


@dataclass(frozen=True)
class HandoutResult:
    """What became of one notebook: the handout (and PDF) written, or the error that stopped it."""

    notebook: Path
    handout: Path | None = None
    error: str | None = None
    pdf: Path | None = None

    @property
    def ok(self) -> bool:
        """True when the handout was written."""
        return self.error is None


def _nearest_existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path.cwd()


def check_output_folder(out_dir: str | Path) -> Path:
    """``out_dir`` as an absolute path, after checking files can be written there.

    The folder need not exist yet; its nearest existing ancestor must be a writable folder.
    Raises :class:`OutputFolderError` with a message naming the problem.
    """
    out = Path(out_dir).expanduser().absolute()
    existing = _nearest_existing(out)
    if not existing.is_dir():
        where = "it" if existing == out else f"{existing}"
        raise OutputFolderError(f"cannot write into {out}: {where} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputFolderError(f"cannot write into {out}: no permission to write in {existing}")
    try:  # os.access can be wrong (read-only mounts, some network drives): try for real
        probe = tempfile.TemporaryFile(dir=existing)
    except OSError as exc:
        raise OutputFolderError(f"cannot write into {out}: {exc.strerror or exc}") from exc
    probe.close()
    return out


@contextlib.contextmanager
def staging_folder(out_dir: str | Path) -> Iterator[Path]:
    """A hidden temporary folder beside ``out_dir`` (same disk), removed on exit."""
    out = check_output_folder(out_dir)
    with tempfile.TemporaryDirectory(prefix=".kuril-teaching-", dir=_nearest_existing(out)) as tmp:
        yield Path(tmp)


def move_into(files: Iterable[Path], out_dir: str | Path, base: Path | None = None) -> list[Path]:
    """Move ``files`` (from a staging folder) into ``out_dir``, replacing same-named files.

    With ``base`` (the staging folder) each file keeps its path below it.
    """
    files = list(files)
    if not files:  # nothing to move: do not leave an empty folder behind
        return []
    out = Path(out_dir).expanduser().absolute()
    out.mkdir(parents=True, exist_ok=True)
    moved = []
    for path in files:
        target = out / (path.relative_to(base) if base is not None else path.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        moved.append(target)
    return moved


def execute_notebook(path: str | Path, timeout: int = DEFAULT_TIMEOUT,
                     edition: str | None = None) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in a fresh Python kernel, from the notebook's folder.

    ``edition`` (``student`` or ``teacher``) tells the kernel which worksheets to print.

    Raises nbclient's ``CellExecutionError`` (or another exception) when a cell fails;
    the notebook object then holds the outputs up to the failing cell.
    """
    import nbformat
    from nbclient import NotebookClient

    from .exercises import EDITION_VARIABLE

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent.absolute())}})
    env = {k: v for k, v in os.environ.items() if k != EDITION_VARIABLE}
    if edition is not None:  # the worksheets the kernel prints: with answers for a teacher
        env[EDITION_VARIABLE] = edition
    # The kernel's own log (start-up warnings) would break the progress bar: keep it aside
    # and show its end only if the kernel dies.
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as log:
        try:
            client.execute(stderr=log, env=env)
        except Exception as exc:
            exc.kt_notebook = nb  # type: ignore[attr-defined]
            if type(exc).__name__ == "DeadKernelError":
                log.seek(0)
                exc.kt_kernel_log = log.read()[-2000:]  # type: ignore[attr-defined]
            raise
    return nb


def _widget_note(output: dict) -> None:
    """Replace a widget in ``output`` by a note and the widget's own text form."""
    data = output["data"]
    plain = data.get("text/plain", "")
    if isinstance(plain, list):
        plain = "".join(plain)
    detail = f" <code>{html.escape(plain.strip())}</code>" if plain.strip() else ""
    data.pop(WIDGET_MIME, None)
    data["text/html"] = f'<div class="kt-widget-note">{WIDGET_NOTE}.{detail}</div>'
    data["text/plain"] = f"[{WIDGET_NOTE}] {plain}".rstrip()


def _html_of(output: dict) -> str:
    value = output.get("data", {}).get("text/html", "")
    return "".join(value) if isinstance(value, list) else value


def _is_worksheet(output: dict) -> bool:
    return f'class="{WORKSHEET_CLASS}"' in _html_of(output)


def _code_worksheets(nb: nbformat.NotebookNode, edition: str) -> None:
    """Print each "Try it in code" task as a worksheet item under its check cell; on the
    student's page the check's "not answered yet" goes (paper has no kernel to run)."""
    import nbformat

    from .editions import task_cells
    from .exercises import find_task, worksheet_html

    try:
        tasks = task_cells(nb)
    except ValueError:  # a check without its code cell: nothing to print for it
        return
    for ident, (_task, check) in tasks.items():
        try:
            task = find_task(ident)
        except ValueError:  # a task of another course: the page shows its cells as they are
            continue
        cell = nb.cells[check]
        if edition == "student":
            cell.outputs = [o for o in cell.outputs if 'class="kt-feedback"' not in _html_of(o)]
        cell.outputs.append(nbformat.v4.new_output(
            "display_data", {"text/html": worksheet_html(task, edition), "text/plain": task.prompt}))


def _answer_cells(nb: nbformat.NotebookNode, printed: set[str]) -> None:
    """Answer cells ("double-click to write") become ruled room to write on; one whose
    exercise is already printed with lines goes."""
    from .content import text

    kept = []
    for cell in nb.cells:
        meta = cell.get("metadata", {})
        if cell.cell_type != "markdown" or ANSWER_TAG not in meta.get("tags", []):
            kept.append(cell)
            continue
        if meta.get("kuril_teaching", {}).get("exercise") in printed:
            continue
        label = _LABEL.match(cell.source)
        head = label.group(1) if label else f"**{text('worksheet.answer_here')}**"
        items = len(re.findall(r"^\s*\d+\.", cell.source, re.M))
        lines = '<div class="kt-ws-line"></div>' * max(6, 3 * items)
        cell.source = f'{head}\n\n<div class="kt-ws-lines">{lines}</div>'
        kept.append(cell)
    nb.cells = kept


def _number_worksheets(nb: nbformat.NotebookNode) -> int:
    from .content import text

    number = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if _is_worksheet(output):
                number += 1
                label = html.escape(text("worksheet.number", number=number))
                output["data"]["text/html"] = _NUMBER.sub(
                    lambda m, label=label: f"{m.group(1)}{label}</span>", _html_of(output), count=1)
    return number


def _for_paper(nb: nbformat.NotebookNode, edition: str = "student") -> nbformat.NotebookNode:
    import nbformat

    out = nbformat.from_dict(nb)
    out.metadata.pop("widgets", None)
    printed: set[str] = set()
    for cell in out.cells:
        for output in cell.get("outputs", []):
            if WIDGET_MIME not in output.get("data", {}):
                continue
            if _is_worksheet(output):  # an exercise: its worksheet item, not a note
                output["data"].pop(WIDGET_MIME)
                found = _EXERCISE.search(_html_of(output))
                if found and 'data-kt-kind="free_text"' in _html_of(output):
                    printed.add(html.unescape(found.group(1)))
            else:
                _widget_note(output)
    _code_worksheets(out, edition)
    _answer_cells(out, printed)
    _number_worksheets(out)
    return out


def offline_html(nb: nbformat.NotebookNode, title: str, edition: str = "student") -> str:
    """The executed notebook ``nb`` as one HTML page that loads nothing from the network.

    ``edition`` says which worksheets the code tasks print and what the footer says.
    """
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    from . import __version__
    from .content import text
    from .i18n import notebook_language, using

    code = notebook_language(nb)
    exporter = HTMLExporter(template_name="lab", template_file=_TEMPLATE_NAME,
                            extra_loaders=[DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
                            embed_images=True, exclude_anchor_links=True)
    with using(code):
        resources = {
            "metadata": {"name": title},
            "kt_footer": text("worksheet.footer", version=__version__) + " "
                         + text(f"worksheet.{edition}_edition"),
        }
        body, _ = exporter.from_notebook_node(_for_paper(nb, edition), resources=resources)
    body = re.sub(r"<html(\s[^>]*)?>", f'<html lang="{code}">', body, count=1)
    remote = remote_resources(body)
    if remote:  # a newer nbconvert template or an output brought a CDN link: refuse it
        raise ValueError(f"the page would load from the network: {remote[0]}")
    return body


def remote_resources(page: str) -> list[str]:
    """The tags and CSS rules in an HTML page (and its ``srcdoc`` frames) that load from
    another host. Links a reader may follow (``<a href>``) do not count."""
    found: list[str] = []
    frames = [html.unescape(m.group(1)) for m in _SRCDOC.finditer(page)]
    outer = _SRCDOC.sub('srcdoc=""', page)
    found += [m.group(0)[:200] for m in _LOADING_TAG.finditer(outer)
              if _REMOTE_ATTR.search(m.group(0))]
    found += [m.group(0) for m in _REMOTE_CSS.finditer(outer)]
    for frame in frames:
        found += remote_resources(frame)
    return found


def _failure(path: Path, exc: BaseException) -> str:
    """One line saying where and why a notebook failed."""
    nb = getattr(exc, "kt_notebook", None)
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if not ename:
        ename, evalue = type(exc).__name__, str(exc).strip().splitlines()[0] if str(exc) else ""
    where = ""
    if nb is not None:
        code_cells = [c for c in nb.cells if c.cell_type == "code"]
        for number, cell in enumerate(code_cells, start=1):
            if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
                first = next((ln for ln in cell.source.splitlines() if ln.strip()), "")
                where = f" in code cell {number} ({first.strip()[:60]})"
                break
    log = getattr(exc, "kt_kernel_log", "").strip()
    tail = f"\n  kernel log: {log.splitlines()[-1]}" if log else ""
    return f"{path.name} failed{where}: {ename}: {evalue}{tail}"


def make_handouts(
    notebooks: Iterable[str | Path],
    out_dir: str | Path,
    timeout: int = DEFAULT_TIMEOUT,
    progress: bool = True,
    stream: TextIO | None = None,
    edition: str = "student",
    pdf: bool = False,
    paper: str = "a4",
) -> list[HandoutResult]:
    """Execute each notebook and write ``NAME.html`` for it into ``out_dir``, plus an index.

    ``edition``: ``student`` (no solutions, the default) or ``teacher`` (with them).
    ``pdf``: also print each page to ``NAME.pdf`` (``paper``: ``a4`` or ``letter``) with a
    headless Chromium; :class:`PdfUnavailableError` before anything runs if it cannot.

    A notebook that fails is reported (on ``stream``, default stderr) and skipped; the
    others are still written. Nothing is written when ``out_dir`` is not writable
    (:class:`OutputFolderError`). One progress-bar step per notebook.
    """
    import nbformat
    from tqdm import tqdm

    from .editions import build

    stream = sys.stderr if stream is None else stream
    paths = [Path(p) for p in notebooks]
    if not paths:
        raise ValueError("no notebooks to turn into handouts")
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"no such notebook: {', '.join(missing)}")
    if edition not in ("student", "teacher"):
        raise ValueError(f"unknown edition {edition!r}; valid editions: student, teacher")
    if paper not in PAPER_SIZES:
        raise ValueError(f"unknown paper {paper!r}; valid sizes: {', '.join(PAPER_SIZES)}")
    chromium = check_pdf_printing() if pdf else None
    results: list[HandoutResult] = []
    with staging_folder(out_dir) as stage, tempfile.TemporaryDirectory() as books:
        bar = tqdm(paths, desc="handouts", unit="notebook", file=stream, disable=not progress,
                   dynamic_ncols=True)
        for path in bar:
            bar.set_postfix_str(path.name)
            try:
                source = Path(books) / path.name
                nbformat.write(build(edition, nbformat.read(path, as_version=4), path.name), source)
                executed = execute_notebook(source, timeout=timeout, edition=edition)
                page = offline_html(executed, title=path.stem, edition=edition)
            except Exception as exc:  # report it, keep going with the other notebooks
                message = _failure(path, exc)
                tqdm.write(f"kuril-teaching handouts: {message}", file=stream)
                results.append(HandoutResult(path, error=message))
                continue
            staged = stage / f"{path.stem}.html"
            staged.write_text(page, encoding="utf-8")
            results.append(HandoutResult(path, handout=staged))
        bar.close()
        if pdf:
            results = _with_pdfs(results, chromium, paper, progress, stream)
        written = [r for r in results if r.handout is not None]
        files = [f for r in written for f in (r.handout, r.pdf) if f is not None]
        if files:
            index = stage / "index.html"
            index.write_text(_index_page(written), encoding="utf-8")
            files.append(index)
        moved = {p.name: p for p in move_into(files, out_dir)}
    return [HandoutResult(r.notebook, moved[r.handout.name], r.error,
                          moved[r.pdf.name] if r.pdf is not None else None) if r.handout else r
            for r in results]


def _with_pdfs(results: list[HandoutResult], chromium: str | None, paper: str, progress: bool,
               stream: TextIO) -> list[HandoutResult]:
    """Each written page printed to PDF beside it; a page that cannot be printed is reported."""
    from tqdm import tqdm

    pages = [r.handout for r in results if r.handout is not None]
    if not pages:
        return results
    bar = tqdm(total=len(pages), desc="pdf", unit="page", file=stream, disable=not progress,
               dynamic_ncols=True)
    printed = print_pdfs(pages, chromium=chromium, paper=paper, step=lambda _p: bar.update())
    bar.close()
    out = []
    for r in results:
        done = printed.get(r.handout) if r.handout is not None else None
        if isinstance(done, Path):
            out.append(HandoutResult(r.notebook, r.handout, r.error, done))
        elif isinstance(done, str):
            message = f"{r.notebook.name}: the PDF could not be printed: {done}"
            tqdm.write(f"kuril-teaching handouts: {message}", file=stream)
            out.append(HandoutResult(r.notebook, r.handout, message))
        else:
            out.append(r)
    return out


# --------------------------------------------------------------------------- PDF

PDF_HINT = ("--pdf prints with a headless Chromium driven by Playwright: install Playwright "
            "with `pip install playwright` (it comes with `pip install -e '.[test]'`) and "
            "Chromium with `sudo apt-get install chromium` (Debian/Ubuntu), or point "
            "KURIL_TEACHING_CHROMIUM at a Chromium or Chrome binary (or run "
            "`python -m playwright install chromium`). Fonts for Japanese and Russian names: "
            "`sudo apt-get install fonts-noto-cjk`.")
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
# Paper for Playwright's page.pdf, and its width less the margins in CSS pixels (96 per inch):
# the page is laid out at that width, so the maps are drawn at the size they are printed.
PAPER_SIZES: dict[str, tuple[str, int]] = {"a4": ("A4", 703), "letter": ("Letter", 725)}
PDF_MARGIN = "12mm"
MAP_WAIT = 30.0  # seconds for a page's maps to draw

# Every folium map frame in view, with what Leaflet drew in it (as the browser tests count).
_MAPS_JS = """
() => Array.from(document.querySelectorAll('iframe'))
  .filter((f) => (f.getAttribute('srcdoc') || '').includes('L.map(')
                 && f.getBoundingClientRect().height > 0)
  .map((f) => {
    const doc = f.contentDocument;
    return {leaflet: !!(doc && doc.defaultView && doc.defaultView.L),
            containers: doc ? doc.querySelectorAll('.leaflet-container').length : 0,
            paths: doc ? doc.querySelectorAll('path.leaflet-interactive').length : 0};
  })
"""
# Tables still wider than the page after the print CSS: marked to wrap inside words.
_FIT_TABLES_JS = """
() => {
  const width = document.documentElement.clientWidth;
  let marked = 0;
  for (const table of document.querySelectorAll('table')) {
    if (table.getBoundingClientRect().right > width + 1) { table.classList.add('kt-tight'); marked++; }
  }
  return marked;
}
"""


class PdfUnavailableError(RuntimeError):
    """Playwright or Chromium, which ``--pdf`` needs, is missing."""


def find_chromium() -> str | None:
    """A Chromium binary: KURIL_TEACHING_CHROMIUM, else Debian's, else one on PATH."""
    given = os.environ.get("KURIL_TEACHING_CHROMIUM")
    if given:
        return given if Path(given).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def check_pdf_printing() -> str | None:
    """The Chromium to print with (``None``: Playwright's own); raises
    :class:`PdfUnavailableError` naming what to install when there is none."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise PdfUnavailableError(f"Playwright is not installed. {PDF_HINT}") from None
    chromium = find_chromium()
    if chromium is not None:
        return chromium
    with sync_playwright() as pw:  # Playwright's own Chromium, if it was downloaded
        if Path(pw.chromium.executable_path).is_file():
            return None
    raise PdfUnavailableError(f"no Chromium found. {PDF_HINT}")


def _wait_for_maps(page: Any, timeout: float = MAP_WAIT) -> None:
    """Wait until every map frame in view has Leaflet loaded and its shapes drawn (some, and
    none added for half a second); raise if one has not within ``timeout``."""
    deadline = time.monotonic() + timeout
    seen: list[int] = []
    steady = 0
    while True:
        maps = page.evaluate(_MAPS_JS)
        counts = [m["paths"] for m in maps]
        late = [n for n, m in enumerate(maps, 1) if not (m["leaflet"] and m["containers"] and m["paths"])]
        steady = steady + 1 if counts == seen else 0
        seen = counts
        if not late and steady >= 5:
            break
        if time.monotonic() > deadline:
            if late:
                raise RuntimeError(f"map {late[0]} of {len(maps)} was not drawn within {timeout:.0f} s")
            break
        page.wait_for_timeout(100)


def print_pdfs(pages: Iterable[Path], chromium: str | None = None, paper: str = "a4",
               step: Any = None) -> dict[Path, Path | str]:
    """Print each HTML page to a PDF beside it (``NAME.pdf``), maps drawn first.

    Returns, for each page, the PDF written or the reason it could not be. Nothing is
    fetched from the network: every request but a file's own goes to a closed port.
    """
    from playwright.sync_api import sync_playwright

    size, width = PAPER_SIZES[paper]
    done: dict[Path, Path | str] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": 1000},
                                          proxy={"server": "http://127.0.0.1:9"})
            page = context.new_page()
            page.emulate_media(media="print")  # laid out as printed: maps drawn at that size
            for source in pages:
                target = source.with_suffix(".pdf")
                try:
                    page.goto(source.as_uri(), wait_until="load")
                    page.evaluate(_FIT_TABLES_JS)
                    _wait_for_maps(page)
                    page.pdf(path=str(target), format=size, print_background=True,
                             margin={k: PDF_MARGIN for k in ("top", "right", "bottom", "left")})
                    done[source] = target
                except Exception as exc:  # report it, print the other pages
                    done[source] = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0]}"
                if step is not None:
                    step(source)
            context.close()
        finally:
            browser.close()
    return done


def _index_page(results: list[HandoutResult]) -> str:
    from .content import text
    from .i18n import language

    items = "\n".join(
        f'<li><a href="{html.escape(r.handout.name)}">{html.escape(r.notebook.stem)}</a>'
        + (f' (<a href="{html.escape(r.pdf.name)}">PDF</a>)' if r.pdf is not None else "")
        + "</li>"
        for r in results if r.handout is not None
    )
    e = html.escape
    return (
        f"<!DOCTYPE html>\n<html lang=\"{language()}\">\n<head><meta charset=\"utf-8\">"
        f"<title>{e(text('worksheet.index_title'))}</title>\n<style>body {{font: 16px/1.5 system-ui, "
        "sans-serif; max-width: 40em; margin: 2em auto; padding: 0 1em;}</style></head>\n"
        f"<body>\n<main>\n<h1>{e(text('worksheet.index_heading'))}</h1>\n"
        f"<p>{e(text('worksheet.index_intro'))}</p>\n"
        f"<ul>\n{items}\n</ul>\n</main>\n</body>\n</html>\n"
    )
