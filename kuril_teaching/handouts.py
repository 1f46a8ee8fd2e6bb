"""Printable handouts: every lesson executed and saved as one self-contained HTML page.

A handout loads nothing from the network. The maps carry their own Leaflet (see
``maps.py``); nbconvert's links to require.js, MathJax, Mermaid and the widget manager
are left out, and each widget output is replaced by a short note, since a control
cannot work on paper or without a kernel.

Everything is written into a hidden staging folder first and moved into place at the
end, so an interrupted or refused run leaves no half-written files behind.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import nbformat

__all__ = [
    "WIDGET_NOTE",
    "HandoutResult",
    "OutputFolderError",
    "check_output_folder",
    "execute_notebook",
    "make_handouts",
    "move_into",
    "offline_html",
    "remote_resources",
    "staging_folder",
]

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = "interactive control: open the notebook to use it"
DEFAULT_TIMEOUT = 600  # seconds per cell; a lesson cell takes well under a minute

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
@media print {.jp-OutputArea-output iframe {break-inside: avoid;}}
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
    """What became of one notebook: the handout written, or the error that stopped it."""

    notebook: Path
    handout: Path | None = None
    error: str | None = None

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


def execute_notebook(path: str | Path, timeout: int = DEFAULT_TIMEOUT) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in a fresh Python kernel, from the notebook's folder.

    Raises nbclient's ``CellExecutionError`` (or another exception) when a cell fails;
    the notebook object then holds the outputs up to the failing cell.
    """
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent.absolute())}})
    # The kernel's own log (start-up warnings) would break the progress bar: keep it aside
    # and show its end only if the kernel dies.
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as log:
        try:
            client.execute(stderr=log)
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


def _for_paper(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    import nbformat

    out = nbformat.from_dict(nb)
    out.metadata.pop("widgets", None)
    for cell in out.cells:
        for output in cell.get("outputs", []):
            if WIDGET_MIME in output.get("data", {}):
                _widget_note(output)
    return out


def offline_html(nb: nbformat.NotebookNode, title: str) -> str:
    """The executed notebook ``nb`` as one HTML page that loads nothing from the network."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    from . import __version__

    exporter = HTMLExporter(template_name="lab", template_file=_TEMPLATE_NAME,
                            extra_loaders=[DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
                            embed_images=True, exclude_anchor_links=True)
    resources = {
        "metadata": {"name": title},
        "kt_footer": f"Handout made with kuril-teaching {__version__}. Maps and interactive "
                     "controls work in the notebook; this page needs no internet.",
    }
    body, _ = exporter.from_notebook_node(_for_paper(nb), resources=resources)
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
) -> list[HandoutResult]:
    """Execute each notebook and write ``NAME.html`` for it into ``out_dir``, plus an index.

    ``edition``: ``student`` (no solutions, the default) or ``teacher`` (with them).

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
    results: list[HandoutResult] = []
    with staging_folder(out_dir) as stage, tempfile.TemporaryDirectory() as books:
        bar = tqdm(paths, desc="handouts", unit="notebook", file=stream, disable=not progress,
                   dynamic_ncols=True)
        for path in bar:
            bar.set_postfix_str(path.name)
            try:
                source = Path(books) / path.name
                nbformat.write(build(edition, nbformat.read(path, as_version=4), path.name), source)
                page = offline_html(execute_notebook(source, timeout=timeout), title=path.stem)
            except Exception as exc:  # report it, keep going with the other notebooks
                message = _failure(path, exc)
                tqdm.write(f"kuril-teaching handouts: {message}", file=stream)
                results.append(HandoutResult(path, error=message))
                continue
            staged = stage / f"{path.stem}.html"
            staged.write_text(page, encoding="utf-8")
            results.append(HandoutResult(path, handout=staged))
        bar.close()
        written = [r for r in results if r.ok]
        files = [r.handout for r in written if r.handout is not None]
        if files:
            index = stage / "index.html"
            index.write_text(_index_page(written), encoding="utf-8")
            files.append(index)
        moved = {p.name: p for p in move_into(files, out_dir)}
    return [HandoutResult(r.notebook, moved[r.handout.name], None) if r.handout else r
            for r in results]


def _index_page(results: list[HandoutResult]) -> str:
    items = "\n".join(
        f'<li><a href="{html.escape(r.handout.name)}">{html.escape(r.notebook.stem)}</a></li>'
        for r in results if r.handout is not None
    )
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
        "<title>kuril-teaching handouts</title>\n<style>body {font: 16px/1.5 system-ui, "
        "sans-serif; max-width: 40em; margin: 2em auto; padding: 0 1em;}</style></head>\n"
        "<body>\n<main>\n<h1>Kuril Islands / Northern Territories: lesson handouts</h1>\n"
        "<p>Each page is a lesson run from top to bottom. The maps work without internet; "
        "the interactive controls need the notebook itself.</p>\n"
        f"<ul>\n{items}\n</ul>\n</main>\n</body>\n</html>\n"
    )

