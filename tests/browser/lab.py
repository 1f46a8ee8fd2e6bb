"""JupyterLab and Chromium for the browser tests and the benchmarks (no pytest in here).

A JupyterLab server runs on 127.0.0.1 with every Jupyter and IPython folder in one
temporary directory, so nothing is written to the user's settings or to the repository:
the notebooks are copied into that directory and opened from there. Kernels started by
the server load a startup file that makes any socket connection outside loopback fail.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# the one Chromium finder (the --pdf handouts use it too)
from kuril_teaching.handouts import find_chromium as find_chromium

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Everything the browser asks for goes to a closed port, except the JupyterLab server.
LAB_OFFLINE_PROXY = {"server": "http://127.0.0.1:9", "bypass": "127.0.0.1"}
# For saved pages (file://): every http(s) request, loopback included, goes nowhere.
FILE_OFFLINE_PROXY = {"server": "http://127.0.0.1:9"}
INSTALL_HINT = (
    "the browser tests need Chromium: install it with `sudo apt-get install chromium` "
    "(Debian/Ubuntu) or point KURIL_TEACHING_CHROMIUM at a Chromium or Chrome binary"
)
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# An IPython startup file: any connect/sendto to a non-loopback address, and any name
# lookup other than localhost, raises before a packet leaves the machine.
NETWORK_GUARD = '''\
"""Offline guard for the kuril-teaching browser tests: only loopback is reachable."""
import ipaddress as _ipaddress
import socket as _socket
import sys as _sys


class NetworkBlockedError(ConnectionRefusedError):
    """Raised for any attempt to reach an address outside loopback."""


def _kt_guard() -> None:
    real_connect = _socket.socket.connect
    real_connect_ex = _socket.socket.connect_ex
    real_sendto = _socket.socket.sendto
    real_getaddrinfo = _socket.getaddrinfo
    families = (_socket.AF_INET, _socket.AF_INET6)

    def loopback(host) -> bool:
        if isinstance(host, bytes):
            host = host.decode()
        if host in (None, "", "localhost"):
            return True
        try:
            return _ipaddress.ip_address(str(host).split("%")[0]).is_loopback
        except ValueError:
            return False

    def refuse(what: str, host) -> None:
        message = f"network access blocked in this test run: {what} {host!r}"
        print(message, file=_sys.stderr)
        raise NetworkBlockedError(message)

    def check(sock, address) -> None:
        if sock.family in families and isinstance(address, tuple) and not loopback(address[0]):
            refuse("connect to", address[0])

    def connect(self, address):
        check(self, address)
        return real_connect(self, address)

    def connect_ex(self, address):
        check(self, address)
        return real_connect_ex(self, address)

    def sendto(self, data, *args):
        if args:
            check(self, args[-1])
        return real_sendto(self, data, *args)

    def getaddrinfo(host, *args, **kwargs):
        if not loopback(host):
            try:
                _ipaddress.ip_address(str(host.decode() if isinstance(host, bytes) else host))
            except ValueError:
                refuse("name lookup of", host)
        return real_getaddrinfo(host, *args, **kwargs)

    _socket.socket.connect = connect
    _socket.socket.connect_ex = connect_ex
    _socket.socket.sendto = sendto
    _socket.getaddrinfo = getaddrinfo
    _socket.kt_network_guard = True


_kt_guard()
del _kt_guard
'''

# Settings a student never changes but a test needs: no autosave (outputs stay out of the
# copied notebooks), every cell attached to the DOM. No news prompt comes from the settings the
# package ships (jupyter-config/), which test_lab.test_a_quiet_start checks.
USER_SETTINGS: dict[str, dict[str, Any]] = {
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/extensionmanager-extension/plugin": {"enabled": False},
}
SERVER_CONFIG: dict[str, Any] = {
    "LabApp": {
        "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate",
        "expose_app_in_browser": True,
    },
    "ServerApp": {"open_browser": False, "port_retries": 0},
}


def lessons(folder: Path) -> list[Path]:
    """The lesson notebooks (``NN_*.ipynb``) in ``folder``, in order."""
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_env(home: Path) -> dict[str, str]:
    """Environment for Jupyter processes whose config, data, runtime and IPython folders
    live under ``home``; kernels started with it load :data:`NETWORK_GUARD`."""
    dirs = {
        "JUPYTER_CONFIG_DIR": home / "config",
        "JUPYTER_DATA_DIR": home / "data",
        "JUPYTER_RUNTIME_DIR": home / "runtime",
        "IPYTHONDIR": home / "ipython",
        "JUPYTERLAB_SETTINGS_DIR": home / "config" / "lab" / "user-settings",
        "JUPYTERLAB_WORKSPACES_DIR": home / "data" / "lab" / "workspaces",
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    startup = dirs["IPYTHONDIR"] / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-network-guard.py").write_text(NETWORK_GUARD, encoding="utf-8")
    for plugin, values in USER_SETTINGS.items():
        target = dirs["JUPYTERLAB_SETTINGS_DIR"] / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")
    (dirs["JUPYTER_CONFIG_DIR"] / "jupyter_server_config.json").write_text(
        json.dumps(SERVER_CONFIG), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
    env.update({k: str(v) for k, v in dirs.items()})
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


@dataclass
class LabServer:
    """A running JupyterLab server serving ``root``."""

    url: str
    token: str
    root: Path
    process: subprocess.Popen[bytes]
    log: Path

    def address(self, path: str) -> str:
        """A URL on the server, with the token."""
        sep = "&" if "?" in path else "?"
        return f"{self.url}{path}{sep}token={self.token}"

    def stop(self) -> None:
        """Shut the server (and its kernels) down."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_lab(home: Path, notebooks: Iterable[Path], port: int | None = None,
              extra: dict[str, Any] | None = None, timeout: float = 90,
              language: str | None = None) -> LabServer:
    """Copy ``notebooks`` into ``home/root`` and serve that folder with JupyterLab.

    ``extra`` maps file names to further notebooks (nbformat nodes) to write there.
    ``language``: start it with ``kuril-teaching lab --lang LANGUAGE`` instead, which copies
    every lesson (all languages) into the folder and sets JupyterLab's language.
    """
    import nbformat

    root = home / "root"
    root.mkdir(parents=True, exist_ok=True)
    for path in notebooks:
        shutil.copy2(path, root / path.name)
    for name, nb in (extra or {}).items():
        nbformat.write(nb, root / name)
    env = isolated_env(home)
    port, token = port or free_port(), secrets.token_hex(16)
    options = ["--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        options.append("--allow-root")
    if language is None:
        cmd = [sys.executable, "-m", "jupyterlab", *options]
    else:  # as a teacher starts it: the package's command, which copies the lessons and sets
        # JupyterLab's language (into this server's own settings folder)
        command = Path(sys.executable).with_name("kuril-teaching")
        cmd = [str(command), "lab", "--lang", language, "--dir", str(root), "--no-browser", "--",
               *[o for o in options if o != "--no-browser"]]
    log = home / "jupyterlab.log"
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, env=env, cwd=root, stdout=out, stderr=subprocess.STDOUT)
    server = LabServer(f"http://127.0.0.1:{port}/", token, root, process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited at start:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(server.address("api/status"), timeout=2) as reply:
                if reply.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


# --------------------------------------------------------------------------- maps


_GEOMETRY = re.compile(r'"type":\s*"(Polygon|MultiPolygon|LineString|MultiLineString)"')
_VECTOR_CALLS = re.compile(r"\bL\.(?:polygon|polyline|rectangle|circle|circleMarker)\(")


def expected_paths(page_html: str) -> int:
    """How many SVG paths Leaflet should draw for a folium page: one per line or polygon
    feature (a MultiPolygon is one path) and one per vector layer made in script."""
    return len(_GEOMETRY.findall(page_html)) + len(_VECTOR_CALLS.findall(page_html))


# --------------------------------------------------------------------------- JupyterLab page

# Everything the tests read from JupyterLab comes from this script: the notebook model
# (outputs, execution counts), the kernel's state, and what is drawn in the page.
_STATE_JS = """
() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.content || !panel.sessionContext) return {ready: false};
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = [];
  panel.content.widgets.forEach((cell, index) => {
    const model = cell.model;
    const item = {index, type: model.type, source: model.sharedModel.getSource()};
    if (model.type === 'code') {
      item.count = model.executionCount;
      item.prompt = cell.promptNode ? cell.promptNode.textContent : '';
      item.outputs = model.outputs.toJSON();
    }
    cells.push(item);
  });
  const root = panel.content.node;
  const maps = Array.from(root.querySelectorAll('iframe')).map((frame) => {
    let doc = null;
    try { doc = frame.contentDocument; } catch (e) { doc = null; }
    const srcdoc = frame.getAttribute('srcdoc') || '';
    const isMap = srcdoc.includes('L.map(');
    const cell = frame.closest('.jp-Cell');
    return {
      cell: cell ? Array.from(root.querySelectorAll('.jp-Cell')).indexOf(cell) : -1,
      isMap, srcdoc: isMap ? srcdoc : '',
      leaflet: !!(doc && doc.defaultView && doc.defaultView.L),
      paths: doc ? doc.querySelectorAll('path.leaflet-interactive').length : -1,
      containers: doc ? doc.querySelectorAll('.leaflet-container').length : -1,
      height: frame.getBoundingClientRect().height,
    };
  });
  const widgets = panel.content.widgets.map((cell, index) => {
    const views = Array.from(cell.node.querySelectorAll('.jp-OutputArea-output'))
      .filter((node) => !node.parentElement.closest('.widget-output'))
      .filter((node) => node.firstElementChild
                        && node.firstElementChild.classList.contains('jupyter-widgets'));
    const text = cell.node.querySelector('.jp-Cell-outputWrapper');
    const content = text ? text.textContent || '' : '';
    const problem = /Error displaying widget|Loading widget|model not found/.exec(content);
    return {cell: index, views: views.length, problem: problem ? problem[0] : ''};
  });
  return {
    ready: true,
    path: panel.context ? panel.context.path : '',
    kernel: kernel ? kernel.status : 'none',
    busy: panel.sessionContext.isBusy || panel.sessionContext.isRestarting,
    cells, maps, widgets,
  };
}
"""


@dataclass
class RunResult:
    """What a notebook showed after Run All, and when."""

    seconds_to_cells_done: float
    seconds_to_last_map: float
    state: dict[str, Any]

    @property
    def code_cells(self) -> list[dict[str, Any]]:
        return [c for c in self.state["cells"] if c["type"] == "code"]

    @property
    def maps(self) -> list[dict[str, Any]]:
        return [m for m in self.state["maps"] if m["isMap"]]

    def errors(self) -> list[str]:
        """Error outputs and stderr text, one string each."""
        found = []
        for cell in self.code_cells:
            for out in cell["outputs"]:
                if out["output_type"] == "error":
                    found.append(f"cell {cell['index']}: {out['ename']}: {out['evalue']}")
                elif out["output_type"] == "stream" and out.get("name") == "stderr":
                    text = out["text"] if isinstance(out["text"], str) else "".join(out["text"])
                    found.append(f"cell {cell['index']} stderr: {text[:500]}")
        return found


def page_state(page: Any) -> dict[str, Any]:
    """The notebook's model, kernel status, maps and widgets as the page has them now."""
    return page.evaluate(_STATE_JS)


def open_lab(page: Any, server: LabServer, timeout: float = 90) -> None:
    """Load JupyterLab in ``page`` with an empty workspace and wait until it has started."""
    page.goto(server.address("lab?reset"))
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell",
                           timeout=timeout * 1000)
    page.evaluate("async () => { await window.jupyterapp.restored; }")


def open_notebook(page: Any, name: str, timeout: float = 60) -> None:
    """Open ``name`` as a double click in the file browser does; wait for an idle kernel."""
    page.evaluate("async (path) => { await window.jupyterapp.commands.execute("
                  "'docmanager:open', {path}); }", name)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = page_state(page)
        if (state.get("ready") and state["path"] == name and state["kernel"] == "idle"
                and not state["busy"]):
            return
        time.sleep(0.1)
    raise TimeoutError(f"the kernel of {name} was not idle after {timeout} s")


def close_notebook(page: Any) -> None:
    """Shut down the current notebook's kernel and close it without saving."""
    page.evaluate("""async () => {
      const panel = window.jupyterapp.shell.currentWidget;
      if (!panel || !panel.sessionContext) return;
      await panel.sessionContext.shutdown();
      panel.dispose();
    }""")


def click_run_all(page: Any) -> None:
    """Run > Run All Cells, through the menu bar as a student does it (the Run menu found by
    what it holds, so that it is found in every interface language)."""
    run_all = page.locator("li[data-command='runmenu:run-all']")
    english = page.locator(".lm-MenuBar-itemLabel", has_text="Run")
    if english.count():
        english.first.click()
    else:
        items = page.locator(".lm-MenuBar-item")
        for n in range(items.count()):
            items.nth(n).click()
            if run_all.is_visible():
                break
            page.keyboard.press("Escape")
    run_all.click()


def _maps_drawn(maps: list[dict[str, Any]]) -> bool:
    return all(m["leaflet"] and m["paths"] >= expected_paths(m["srcdoc"]) > 0 for m in maps)


def wait_run_all(page: Any, timeout: float = 120, poll: float = 0.05) -> RunResult:
    """Click Run All, then wait until every code cell has finished and every map is drawn.

    Stops early on an error output (Run All stops there). The clock starts just before
    the click; times are from that moment.
    """
    start = time.perf_counter()
    click_run_all(page)
    cells_done = None
    deadline = start + timeout
    state: dict[str, Any] = {}
    while time.perf_counter() < deadline:
        state = page_state(page)
        code = [c for c in state["cells"] if c["type"] == "code"]
        errored = any(o["output_type"] == "error" for c in code for o in c["outputs"])
        finished = all(c["count"] is not None and "*" not in c["prompt"] for c in code)
        if cells_done is None and (errored or (finished and not state["busy"]
                                               and state["kernel"] == "idle")):
            cells_done = time.perf_counter() - start
        if cells_done is not None:
            maps = [m for m in state["maps"] if m["isMap"]]
            if errored or _maps_drawn(maps):
                return RunResult(cells_done, time.perf_counter() - start, state)
        time.sleep(poll)
    raise TimeoutError(f"Run All did not finish within {timeout} s: "
                       f"{[(c['index'], c.get('prompt')) for c in state.get('cells', [])]}")


def widget_outputs(cell: dict[str, Any]) -> int:
    """How many widget views a code cell's outputs (in the notebook model) ask for."""
    return sum(1 for out in cell.get("outputs", []) if WIDGET_MIME in out.get("data", {}))


def widget_problems(state: dict[str, Any]) -> list[str]:
    """Cells whose widgets are missing from the page or show an error instead."""
    problems = []
    for cell, shown in zip(state["cells"], state["widgets"], strict=True):
        wanted = widget_outputs(cell)
        if shown["problem"]:
            problems.append(f"cell {cell['index']}: {shown['problem']}")
        elif shown["views"] < wanted:
            problems.append(f"cell {cell['index']}: {shown['views']} of {wanted} widgets shown")
    return problems


def wait_widgets(page: Any, timeout: float = 30) -> dict[str, Any]:
    """Wait until every widget output in the model has a view in the page; the state."""
    deadline = time.monotonic() + timeout
    state = page_state(page)
    while widget_problems(state) and time.monotonic() < deadline:
        time.sleep(0.1)
        state = page_state(page)
    return state


def screenshot_notebook(page: Any, target: Path, tile: int = 8000) -> list[Path]:
    """Screenshots of the whole notebook: one tall viewport, scrolled through the notebook
    if it is taller than ``tile`` pixels (``<name>.png``, then ``<name>.part2.png`` ...)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f"{target.stem}.part*.png"):
        stale.unlink()
    size = page.viewport_size or {"width": 1280, "height": 900}
    scroller = ".jp-NotebookPanel .jp-WindowedPanel-outer"
    height = page.evaluate("(s) => { const n = document.querySelector(s);"
                           " return n ? n.scrollHeight : 0; }", scroller)
    page.set_viewport_size({"width": size["width"],
                            "height": min(tile, max(size["height"], int(height) + 200))})
    shots = []
    try:
        offset, part = 0, 1
        while True:
            seen = page.evaluate("([s, y]) => { const n = document.querySelector(s);"
                                 " if (!n) return 0; n.scrollTop = y; return n.clientHeight; }",
                                 [scroller, offset])
            page.wait_for_timeout(300)
            shot = target if part == 1 else target.with_name(f"{target.stem}.part{part}.png")
            page.screenshot(path=str(shot))
            shots.append(shot)
            offset, part = offset + max(seen, 1), part + 1
            if not seen or offset >= height:
                break
    finally:
        page.evaluate("(s) => { const n = document.querySelector(s); if (n) n.scrollTop = 0; }",
                      scroller)
        page.set_viewport_size(size)
    return shots


_PAGE_MAPS_JS = """
() => Array.from(document.querySelectorAll('iframe'))
  .filter((frame) => (frame.getAttribute('srcdoc') || '').includes('L.map('))
  .map((frame) => {
    const doc = frame.contentDocument;
    return {
      srcdoc: frame.getAttribute('srcdoc'),
      leaflet: !!(doc && doc.defaultView && doc.defaultView.L),
      paths: doc ? doc.querySelectorAll('path.leaflet-interactive').length : -1,
      containers: doc ? doc.querySelectorAll('.leaflet-container').length : -1,
      height: frame.getBoundingClientRect().height,
    };
  })
"""


def page_maps(page: Any) -> list[dict[str, Any]]:
    """The folium maps in an ordinary page (such as a saved HTML export), as drawn now."""
    return page.evaluate(_PAGE_MAPS_JS)


def wait_page_maps(page: Any, timeout: float = 30) -> list[dict[str, Any]]:
    """Wait until every folium map in the page has drawn all its shapes; the maps."""
    deadline = time.monotonic() + timeout
    maps = page_maps(page)
    while not _maps_drawn(maps) and time.monotonic() < deadline:
        time.sleep(0.1)
        maps = page_maps(page)
    return maps


def launch_chromium(playwright: Any, executable: str) -> Any:
    """Headless Chromium from ``executable`` (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=executable, headless=True,
                                      args=CHROMIUM_ARGS)
