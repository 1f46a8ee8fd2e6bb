"""A real class JupyterHub on 127.0.0.1, for the hub tests and the hub benchmark.

Parts, all started here and stopped at the end: a git server (``git http-backend`` behind a
small HTTP server) holding a repository of the lessons, JupyterHub with
configurable-http-proxy, a shared-password authenticator, a local-process spawner that
gives every student a home folder, nbgitpuller in the single-user servers, and
jupyterhub-idle-culler. :class:`Student` drives one student through the hub's REST API:
log in, pull the lessons, run a lesson in their own kernel over the kernel websocket.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "kuril-class"  # the class's shared password (test hub only)
REPO_NAME = "kuril-teaching.git"
CHP_HINT = ("configurable-http-proxy is missing: `npm install --prefix .ci/node "
            "configurable-http-proxy@4` (the CI script does this) or put it on PATH")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_proxy() -> str | None:
    """configurable-http-proxy: KURIL_TEACHING_CHP, the CI's npm folder, or PATH."""
    given = os.environ.get("KURIL_TEACHING_CHP")
    if given:
        return given
    local = ROOT / ".ci" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    if local.is_file():
        return str(local)
    return shutil.which("configurable-http-proxy")


# --------------------------------------------------------------------------- git server


def git(*args: str, cwd: Path | None = None) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="Teacher", GIT_AUTHOR_EMAIL="teacher@example.org",
               GIT_COMMITTER_NAME="Teacher", GIT_COMMITTER_EMAIL="teacher@example.org")
    run = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {run.stderr.strip()}")
    return run.stdout


class _GitHandler(BaseHTTPRequestHandler):
    """Smart HTTP for git: each request runs ``git http-backend`` (CGI)."""

    root: Path

    def _backend(self) -> None:
        path, _, query = self.path.partition("?")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        env = dict(os.environ, GIT_PROJECT_ROOT=str(self.root), GIT_HTTP_EXPORT_ALL="1",
                   PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD=self.command,
                   CONTENT_TYPE=self.headers.get("Content-Type", ""),
                   CONTENT_LENGTH=str(len(body)), REMOTE_ADDR="127.0.0.1",
                   HTTP_CONTENT_ENCODING=self.headers.get("Content-Encoding", ""),
                   GIT_PROTOCOL=self.headers.get("Git-Protocol", ""))
        run = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True)
        head, _, payload = run.stdout.partition(b"\r\n\r\n")
        status, headers = 200, []
        for line in head.decode("latin-1").split("\r\n"):
            key, _, value = line.partition(":")
            if key.lower() == "status":
                status = int(value.strip().split()[0])
            elif key:
                headers.append((key, value.strip()))
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _backend

    def log_message(self, *args: Any) -> None:  # quiet
        pass


@dataclass
class GitServer:
    """A bare repository of the lessons served over smart HTTP, and a teacher's clone of it."""

    root: Path
    url: str
    teacher: Path
    server: ThreadingHTTPServer

    @classmethod
    def start(cls, base: Path, notebooks: list[Path]) -> GitServer:
        work = base / "teacher"
        (work / "notebooks").mkdir(parents=True)
        for path in notebooks:
            shutil.copy2(path, work / "notebooks" / path.name)
        (work / "README.md").write_text("# kuril-teaching lessons\n", encoding="utf-8")
        git("init", "-q", "-b", "main", cwd=work)
        git("add", "-A", cwd=work)
        git("commit", "-q", "-m", "The lessons", cwd=work)
        root = base / "served"
        root.mkdir()
        git("clone", "-q", "--bare", str(work), str(root / REPO_NAME))
        git("remote", "add", "class", str(root / REPO_NAME), cwd=work)
        handler = type("Handler", (_GitHandler,), {"root": root})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/{REPO_NAME}"
        return cls(root, url, work, server)

    def push(self, message: str) -> None:
        """Commit everything in the teacher's clone and push it to the class repository."""
        git("add", "-A", cwd=self.teacher)
        git("commit", "-q", "-m", message, cwd=self.teacher)
        git("push", "-q", "class", "main", cwd=self.teacher)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --------------------------------------------------------------------------- the hub


@dataclass
class Hub:
    """A running JupyterHub; ``api`` calls its REST API as the class's admin service."""

    url: str
    token: str
    base: Path
    process: subprocess.Popen[bytes]
    log: Path

    def api(self, method: str, path: str, body: Any = None, timeout: float = 30) -> Any:
        return request(method, f"{self.url}hub/api/{path}", self.token, body, timeout)

    def home(self, user: str) -> Path:
        return self.base / "home" / user

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        _kill_leftovers(self.base)


def request(method: str, url: str, token: str | None = None, body: Any = None,
            timeout: float = 30) -> Any:
    """One JSON request; returns the decoded reply (None when empty)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if token:
        req.add_header("Authorization", f"token {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=timeout) as reply:
        raw = reply.read()
    return json.loads(raw) if raw.strip() else None


HUB_CONFIG = """\
import sys
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.JupyterHub.db_url = "sqlite:///{base}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{base}/cookie_secret"
c.JupyterHub.last_activity_interval = 5
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{base}/home/{{username}}"
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.args = {args!r}
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.environment = {environment!r}
c.JupyterHub.services = [
    {{"name": "class-admin", "api_token": {token!r}}},
    {{"name": "idle-culler",
      "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                  "--timeout={cull_timeout}", "--cull-every={cull_every}"]}},
]
c.JupyterHub.load_roles = [
    {{"name": "class-admin", "services": ["class-admin"],
      "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "list:users", "read:hub"]}},
    {{"name": "idle-culler", "services": ["idle-culler"],
      "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]}},
]
"""

SINGLEUSER_CONFIG = {
    "LabApp": {"expose_app_in_browser": True,
               "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate"},
}


def start_hub(base: Path, proxy: str, cull_timeout: int = 3600, cull_every: int = 5,
              timeout: float = 120) -> Hub:
    """Start JupyterHub in ``base``: homes in ``base/home/<user>``, logs in ``base/hub.log``."""
    base.mkdir(parents=True, exist_ok=True)
    (base / "home").mkdir(exist_ok=True)
    config_dir = base / "jupyter-config"
    config_dir.mkdir(exist_ok=True)
    (config_dir / "jupyter_server_config.json").write_text(json.dumps(SINGLEUSER_CONFIG))
    port, token = free_port(), secrets.token_hex(16)
    args = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    environment = {"JUPYTER_CONFIG_DIR": str(config_dir), "JUPYTERHUB_ACTIVITY_INTERVAL": "5",
                   "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    config = base / "jupyterhub_config.py"
    config.write_text(HUB_CONFIG.format(
        port=port, hub_port=free_port(), proxy_api_port=free_port(), proxy=proxy, base=base,
        password=PASSWORD, args=args, environment=environment, token=token,
        cull_timeout=cull_timeout, cull_every=cull_every), encoding="utf-8")
    log = base / "hub.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
    env["PATH"] = environment["PATH"]
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)],
                                   cwd=base, env=env, stdout=out, stderr=subprocess.STDOUT)
    hub = Hub(f"http://127.0.0.1:{port}/", token, base, process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterHub exited at start:\n{log.read_text()[-3000:]}")
        try:
            hub.api("GET", "info", timeout=3)
            return hub
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.3)
    hub.stop()
    raise RuntimeError(f"JupyterHub did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


def _kill_leftovers(base: Path) -> None:
    """Stop single-user servers and kernels whose home is under ``base`` (if the hub left any)."""
    for pid, cwd, _cmd in processes():
        if str(base) in cwd and pid != os.getpid():
            try:
                os.kill(pid, 9)
            except OSError:
                pass


# --------------------------------------------------------------------------- memory


def processes() -> list[tuple[int, str, str]]:
    """(pid, working folder, command line) of every process this user can see."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        found.append((int(entry.name), cwd, cmd))
    return found


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _ours(hub: Hub, cwd: str, cmd: str) -> bool:
    return str(hub.base) in cwd or str(hub.base) in cmd


def hub_memory(hub: Hub) -> dict[str, float]:
    """Resident memory (MB) now: the hub with its proxy and culler, the single-user servers,
    the kernels (by kernel id), all under ``hub.base``."""
    out: dict[str, float] = {"hub": 0.0, "servers": 0.0, "kernels": 0.0}
    kernels: dict[str, float] = {}
    for pid, cwd, cmd in processes():
        if "ipykernel_launcher" in cmd and str(hub.base) in cwd:
            ident = cmd.split("kernel-")[-1].split(".json")[0] if "kernel-" in cmd else str(pid)
            kernels[ident] = rss_mb(pid)
        elif "jupyterhub.singleuser" in cmd and str(hub.base) in cwd:
            out["servers"] += rss_mb(pid)
        elif (str(hub.base) in cmd or str(hub.base) in cwd) and (
                "jupyterhub" in cmd or "configurable-http-proxy" in cmd):
            out["hub"] += rss_mb(pid)
    out["kernels"] = sum(kernels.values())
    out["total"] = out["hub"] + out["servers"] + out["kernels"]
    out["per_kernel"] = kernels  # type: ignore[assignment]
    return out


class MemorySampler:
    """Samples :func:`hub_memory` in a thread; keeps the peaks."""

    def __init__(self, hub: Hub, every: float = 0.25) -> None:
        self.hub, self.every = hub, every
        self.peak_total, self.peak_kernel = 0.0, 0.0
        self.cpu: dict[int, float] = {}  # pid -> CPU seconds last seen
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            now = hub_memory(self.hub)
            self.peak_total = max(self.peak_total, now["total"])
            kernels = now["per_kernel"]
            if kernels:
                self.peak_kernel = max(self.peak_kernel, max(kernels.values()))  # type: ignore[union-attr]
            for pid, cwd, cmd in processes():
                if _ours(self.hub, cwd, cmd):
                    self.cpu[pid] = max(self.cpu.get(pid, 0.0), cpu_seconds(pid))
            self._stop.wait(self.every)

    @property
    def cpu_total(self) -> float:
        """CPU seconds used by the hub's processes while sampled (from their start)."""
        return sum(self.cpu.values())

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


# --------------------------------------------------------------------------- a student


@dataclass
class Student:
    """One student on the hub, driven through its REST API."""

    hub: Hub
    name: str
    token: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def server(self) -> str:
        return f"{self.hub.url}user/{self.name}/"

    def login(self, timeout: float = 180) -> None:
        """Create the user, start their server, and get a token for it."""
        try:
            self.hub.api("POST", f"users/{self.name}")
        except urllib.error.HTTPError as error:
            if error.code != 409:  # 409: the user exists already
                raise
        self.token = self.hub.api("POST", f"users/{self.name}/tokens",
                                  {"note": "class test", "expires_in": 3600})["token"]
        try:
            self.hub.api("POST", f"users/{self.name}/server")
        except urllib.error.HTTPError as error:
            if error.code != 400:  # 400: already running
                raise
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            user = self.hub.api("GET", f"users/{self.name}")
            server = user.get("servers", {}).get("")
            if server and server.get("ready"):
                return
            time.sleep(0.3)
        raise TimeoutError(f"the server of {self.name} was not ready after {timeout} s")

    def call(self, method: str, path: str, body: Any = None, timeout: float = 60) -> Any:
        return request(method, f"{self.server}{path}", self.token, body, timeout)

    def pull(self, repo: str, branch: str = "main", target: str | None = None,
             timeout: float = 180) -> list[str]:
        """What nbgitpuller's page does after a link is clicked: stream the pull's progress.

        Returns the progress lines; raises ``RuntimeError`` with nbgitpuller's message on an error.
        """
        from kuril_teaching.cli import clone_folder

        folder = target or clone_folder(repo)  # the folder a clicked link clones into
        query = f"repo={quote(repo, safe='')}&branch={quote(branch, safe='')}&targetpath={quote(folder)}"
        req = urllib.request.Request(f"{self.server}git-pull/api?{query}")
        req.add_header("Authorization", f"token {self.token}")
        lines: list[str] = []
        with urllib.request.urlopen(req, timeout=timeout) as stream:
            for raw in stream:
                text = raw.decode(errors="replace").strip()
                if not text.startswith("data:"):
                    continue
                event = json.loads(text[5:])
                if event.get("phase") == "error":
                    raise RuntimeError(event.get("message") or event.get("output") or "error")
                if event.get("output"):
                    lines.append(event["output"])
                if event.get("phase") == "finished":
                    return lines
        raise RuntimeError("the pull stopped without finishing")

    def read(self, path: str) -> dict[str, Any]:
        return self.call("GET", f"api/contents/{quote(path)}")

    def write_notebook(self, path: str, nb: dict[str, Any]) -> None:
        self.call("PUT", f"api/contents/{quote(path)}", {"type": "notebook", "format": "json",
                                                         "content": nb})

    def run_notebook(self, path: str, timeout: float = 600) -> dict[str, Any]:
        """Run every code cell of ``path`` in a new kernel of this student's server, over the
        kernel websocket as JupyterLab does; time when each map arrived."""
        nb = self.read(path)["content"]
        return asyncio.run(_run_cells(self, [c for c in nb["cells"] if c["cell_type"] == "code"],
                                      timeout))


def _message(code: str, session: str) -> dict[str, Any]:
    return {"header": {"msg_id": uuid.uuid4().hex, "username": "student", "session": session,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}


async def _run_cells(student: Student, cells: list[dict[str, Any]], timeout: float) -> dict[str, Any]:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    kernel = student.call("POST", "api/kernels", {"name": "python3"})
    split = urlsplit(student.server)
    url = f"ws://{split.netloc}{split.path}api/kernels/{kernel['id']}/channels"
    conn = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {student.token}"}))
    start = time.monotonic()
    result: dict[str, Any] = {"kernel": kernel["id"], "maps": [], "errors": [], "cells": len(cells)}
    session = uuid.uuid4().hex
    try:
        for cell in cells:
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            msg = _message(source, session)
            await conn.write_message(json.dumps(msg))
            idle = False
            while not idle:
                raw = await asyncio.wait_for(conn.read_message(), timeout)
                if raw is None:
                    raise RuntimeError("the kernel's websocket closed")
                reply = json.loads(raw)
                if reply.get("parent_header", {}).get("msg_id") != msg["header"]["msg_id"]:
                    continue
                kind = reply["msg_type"]
                if kind in ("display_data", "execute_result", "comm_open", "comm_msg") \
                        and "L.map(" in raw:  # a map, shown directly or inside a widget
                    result["maps"].append(time.monotonic() - start)
                elif kind == "error":
                    result["errors"].append(f"{reply['content']['ename']}: {reply['content']['evalue']}")
                elif kind == "status" and reply["content"]["execution_state"] == "idle":
                    idle = True
    finally:
        conn.close()
    result["seconds"] = time.monotonic() - start
    return result


# --------------------------------------------------------------------------- a class at once

HEAVIEST = "04_chinese_model.ipynb"  # the slowest lesson in one kernel (benchmarks/results.md)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(share * (len(ordered) - 1))))
    return ordered[rank]


def run_class(hub: Hub, repo: str, size: int, lesson: str = HEAVIEST,
              prefix: str = "student") -> dict[str, Any]:
    """``size`` students at once: each logs in, pulls the lessons and runs ``lesson`` in
    their own kernel. Returns the figures: times (s) to the last map, memory (MB), failures."""
    from kuril_teaching.cli import clone_folder

    path = f"{clone_folder(repo)}/notebooks/{lesson}"
    students = [Student(hub, f"{prefix}{n:02d}") for n in range(size)]
    results: list[dict[str, Any]] = [{} for _ in students]

    def one(n: int) -> None:
        student, began = students[n], time.monotonic()
        try:
            student.login()
            logged_in = time.monotonic()
            student.pull(repo)
            pulled = time.monotonic()
            run = student.run_notebook(path)
            results[n] = {"login": logged_in - began, "pull": pulled - logged_in,
                          "run": run["seconds"], "maps": len(run["maps"]), "errors": run["errors"],
                          "last_map": (pulled - began) + (max(run["maps"]) if run["maps"] else float("nan"))}
        except Exception as error:  # a failure is a figure too
            results[n] = {"failure": f"{type(error).__name__}: {error}"}

    began = time.monotonic()
    with MemorySampler(hub) as memory:
        threads = [threading.Thread(target=one, args=(n,)) for n in range(size)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    done = [r for r in results if "failure" not in r]
    last_maps = [r["last_map"] for r in done if r["maps"]]
    return {
        "students": size, "lesson": lesson, "wall": time.monotonic() - began,
        "failures": [r["failure"] for r in results if "failure" in r]
        + [f"{students[n].name}: {e}" for n, r in enumerate(results) for e in r.get("errors", [])]
        + [f"{students[n].name}: no map" for n, r in enumerate(results) if "maps" in r and not r["maps"]],
        "last_map_median": _percentile(last_maps, 0.5), "last_map_p95": _percentile(last_maps, 0.95),
        "login_median": _percentile([r["login"] for r in done], 0.5),
        "pull_median": _percentile([r["pull"] for r in done], 0.5),
        "peak_kernel_mb": memory.peak_kernel, "peak_total_mb": memory.peak_total,
        "cpu_seconds": memory.cpu_total,
        "maps_each": sorted({r["maps"] for r in done}),
    }


def wait_for_culling(hub: Hub, timeout: float = 180) -> dict[str, Any]:
    """Wait until the idle culler has stopped every student's server; memory afterwards."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        users = hub.api("GET", "users")
        running = [u["name"] for u in users if u.get("servers")]
        memory = hub_memory(hub)
        if not running and memory["servers"] == 0 and memory["kernels"] == 0:
            return {"seconds": time.monotonic() - began, "memory": memory, "running": running}
        time.sleep(1)
    return {"seconds": time.monotonic() - began, "memory": hub_memory(hub), "running": running}
