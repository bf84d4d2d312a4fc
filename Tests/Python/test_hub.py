"""A class on a real JupyterHub: `make hub-test` (CONVNET_HUB_TEST=1; skipped otherwise).

JupyterHub from PyPI (the venv's), its proxy from Debian's node-configurable-http-proxy,
the dummy authenticator and SimpleLocalProcessSpawner, all on loopback, with the kernel
installed as a teacher installs it (`make install` into a temporary prefix). A service
token plays the teacher: it creates the students, starts their servers through the hub's
REST API, and each student, all at once, starts a `convnet` kernel through their server's
REST API and runs the chapter's first cells and a short training over the kernel
websocket. Every reply and result is checked; spawn time, kernel start, cell times and
memory are printed per student. Then every server is stopped through the hub's API and no
kernel may outlive its server. Every process the test starts is killed at the end,
whatever happened.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import nbformat
import psutil
import pytest
import requests
import websocket

from connection import free_tcp_ports
from harness import REPO_ROOT

pytestmark = [
    pytest.mark.skipif(os.environ.get("CONVNET_HUB_TEST") != "1", reason="set CONVNET_HUB_TEST=1 (make hub-test)"),
    pytest.mark.timeout(1500),
]

STUDENTS = int(os.environ.get("CONVNET_HUB_STUDENTS", "10"))
PROXY = Path("/usr/bin/configurable-http-proxy")
BIN = Path(sys.executable).parent
CHAPTER = REPO_ROOT / "notebooks" / "convolutional-neural-networks.ipynb"
HUB_START_TIMEOUT = 90
SPAWN_TIMEOUT = 300  # ten servers importing jupyter_server at once on two shared cores
CELL_TIMEOUT = 300
STOP_TIMEOUT = 120
# The kernel checks its parent every half second; generous for a loaded machine.
KERNEL_EXIT_TIMEOUT = 15
HTTP_TIMEOUT = 60
# The short training each student runs after the chapter's first cells.
TRAINING = [
    "net = sequential(28x28x1, conv(8, 5x5, pad: 2), relu(), maxpool(2x2), dense(10), softmax())\n"
    "history = train(net, data.train[0:3000], epochs: 1, batch: 32, optimizer: sgd(lr: 0.01, momentum: 0.9))",
    "evaluate(net, data.test[0:1000]).accuracy",
]


def chapter_first_cells() -> list[str]:
    """The chapter's code cells before its first training cell (parameters, data, pictures, a net)."""
    cells = []
    for cell in nbformat.read(CHAPTER, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        if "train(" in cell.source:
            break
        cells.append(cell.source)
    return cells


@dataclass
class Student:
    name: str
    spawn_seconds: float = 0.0
    kernel_start_seconds: float = 0.0
    cell_seconds: list[float] = field(default_factory=list)
    results: list[str] = field(default_factory=list)
    server_pid: int = 0
    kernel_pid: int = 0
    kernel_memory: dict[str, float] = field(default_factory=dict)
    server_rss_mb: float = 0.0
    kernel_exit_after_server: float | None = None


class Hub:
    """A JupyterHub process with its config, and the REST calls the teacher's token makes."""

    def __init__(self, workdir: Path, jupyter_path: Path):
        self.workdir = workdir
        self.token = secrets.token_hex(32)
        public, api, hub = free_tcp_ports(3)
        self.url = f"http://127.0.0.1:{public}"
        environment = {"JUPYTER_PATH": str(jupyter_path)}
        environment.update({k: v for k, v in os.environ.items() if k.startswith("CONVNET_")})
        args = ["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []
        config = f"""
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {public}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api}"
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.ConfigurableHTTPProxy.pid_file = {str(workdir / "proxy.pid")!r}
c.JupyterHub.db_url = "sqlite:///" + {str(workdir / "hub.sqlite")!r}
c.JupyterHub.cookie_secret_file = {str(workdir / "cookie_secret")!r}
c.JupyterHub.pid_file = {str(workdir / "hub.pid")!r}
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(workdir / "homes" / "{username}")!r}
c.Spawner.cmd = [{str(BIN / "jupyterhub-singleuser")!r}]
c.Spawner.args = {args!r}
# The spawner passes only a few variables (PATH, LANG, VIRTUAL_ENV, ...) plus these.
c.Spawner.environment = {environment!r}
c.Spawner.start_timeout = {SPAWN_TIMEOUT}
c.Spawner.http_timeout = {SPAWN_TIMEOUT}
c.JupyterHub.services = [{{"name": "teacher", "api_token": {self.token!r}}}]
c.JupyterHub.load_roles = [{{
    "name": "teacher",
    "scopes": ["admin:users", "admin:servers", "admin:server_state", "access:servers", "list:users"],
    "services": ["teacher"],
}}]
"""
        (workdir / "jupyterhub_config.py").write_text(config)
        self.log_path = workdir / "hub.log"
        env = dict(os.environ, NODE_PATH="/usr/share/nodejs")
        self.process = subprocess.Popen(
            [str(BIN / "jupyterhub"), "-f", str(workdir / "jupyterhub_config.py")], cwd=workdir, env=env,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(self.log_path, "wb"),
            start_new_session=True,
        )
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {self.token}"

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.session.request(method, f"{self.url}/hub/api{path}", timeout=HTTP_TIMEOUT, **kwargs)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + HUB_START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"jupyterhub exited\n{self.log_tail()}"
            try:
                if self.api("GET", "/").status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"jupyterhub did not answer within {HUB_START_TIMEOUT} s\n{self.log_tail()}")

    def user(self, name: str) -> dict:
        response = self.api("GET", f"/users/{name}")
        assert response.status_code == 200, response.text
        return response.json()

    def log_tail(self, lines: int = 60) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


class KernelSocket:
    """A kernel's websocket through the hub's proxy and the student's server (JSON messages)."""

    def __init__(self, url: str, token: str):
        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(
            f"{url}?session_id={self.session}", header=[f"Authorization: token {token}"], timeout=HTTP_TIMEOUT
        )

    def request(self, msg_type: str, content: dict, timeout: float) -> tuple[dict, list[dict]]:
        """Sends a shell request; returns its reply and the iopub messages up to its idle."""
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": msg_type, "session": self.session, "username": "student",
                  "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        self.ws.send(json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content,
                                 "channel": "shell", "buffers": []}))
        reply, iopub, idle = None, [], False
        deadline = time.monotonic() + timeout
        while reply is None or not idle:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {'reply' if reply is None else 'idle'} to {msg_type} within {timeout} s"
            self.ws.settimeout(remaining)
            frame = self.ws.recv()
            if isinstance(frame, bytes):
                continue  # binary frames carry buffers (widgets), not these replies
            message = json.loads(frame)
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if message["channel"] == "shell":
                reply = message
            elif message["channel"] == "iopub":
                iopub.append(message)
                if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
                    idle = True
        return reply, iopub

    def close(self) -> None:
        self.ws.close()


def run_student(hub: Hub, student: Student, cells: list[str]) -> None:
    """One student: their server, a convnet kernel, the cells; every reply checked."""
    start = time.monotonic()
    response = hub.api("POST", f"/users/{student.name}/server")
    assert response.status_code in (201, 202), f"{student.name}: spawn {response.status_code} {response.text}"
    deadline = start + SPAWN_TIMEOUT
    while True:
        server = hub.user(student.name).get("servers", {}).get("")
        if server and server.get("ready"):
            break
        assert time.monotonic() < deadline, f"{student.name}: server not ready within {SPAWN_TIMEOUT} s"
        time.sleep(0.25)
    student.spawn_seconds = time.monotonic() - start
    student.server_pid = int(server["state"]["pid"])
    base = f"{hub.url}{server['url']}"

    start = time.monotonic()
    response = hub.session.post(f"{base}api/kernels", json={"name": "convnet"}, timeout=HTTP_TIMEOUT)
    assert response.status_code == 201, f"{student.name}: start kernel {response.status_code} {response.text}"
    kernel_id = response.json()["id"]
    socket = KernelSocket(f"ws{base[4:]}api/kernels/{kernel_id}/channels", hub.token)
    try:
        # Retried as a front end does: the first request can go out before iopub is connected.
        for _ in range(20):
            try:
                reply, _ = socket.request("kernel_info_request", {}, timeout=3)
                break
            except AssertionError:
                continue
        else:
            raise AssertionError(f"{student.name}: no kernel_info_reply")
        assert reply["content"]["status"] == "ok" and reply["content"]["language_info"]["name"] == "convnet"
        student.kernel_start_seconds = time.monotonic() - start
        kernels = [p for p in psutil.Process(student.server_pid).children() if "convnet-kernel" in " ".join(p.cmdline())]
        assert len(kernels) == 1, f"{student.name}: kernels under the server: {kernels}"
        student.kernel_pid = kernels[0].pid

        for code in cells:
            start = time.monotonic()
            reply, iopub = socket.request("execute_request", {"code": code, "silent": False, "store_history": True,
                                                              "user_expressions": {}, "allow_stdin": False,
                                                              "stop_on_error": True}, timeout=CELL_TIMEOUT)
            student.cell_seconds.append(time.monotonic() - start)
            content = reply["content"]
            assert content["status"] == "ok", f"{student.name}: {code!r} failed: {content}"
            errors = [m for m in iopub if m["msg_type"] == "error"]
            stderr = [m for m in iopub if m["msg_type"] == "stream" and m["content"]["name"] == "stderr"]
            assert not errors and not stderr, f"{student.name}: {code!r}: {errors or stderr}"
            shown = [m["content"]["data"] for m in iopub if m["msg_type"] in ("execute_result", "display_data")]
            if "show(" in code:
                assert any("image/png" in data for data in shown), f"{student.name}: {code!r} showed no picture"
            results = [m["content"]["data"]["text/plain"] for m in iopub if m["msg_type"] == "execute_result"]
            student.results.append(results[-1] if results else "")
        memory = psutil.Process(student.kernel_pid).memory_full_info()
        student.kernel_memory = {"rss": memory.rss / 2**20, "pss": memory.pss / 2**20, "uss": memory.uss / 2**20}
        student.server_rss_mb = psutil.Process(student.server_pid).memory_info().rss / 2**20
    finally:
        socket.close()


def stop_servers(hub: Hub, students: list[Student]) -> None:
    """Every server stopped through the hub's API, while a watcher times when each process goes."""
    gone: dict[int, float] = {}
    watched = {s.server_pid for s in students} | {s.kernel_pid for s in students if s.kernel_pid}
    done = threading.Event()

    def watch() -> None:
        while not done.is_set() and len(gone) < len(watched):
            for pid in watched - gone.keys():
                if not pid_alive(pid):
                    gone[pid] = time.monotonic()
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    for student in students:
        response = hub.api("DELETE", f"/users/{student.name}/server")
        assert response.status_code in (202, 204), f"{student.name}: stop {response.status_code} {response.text}"
    deadline = time.monotonic() + STOP_TIMEOUT
    for student in students:
        while hub.user(student.name).get("servers"):
            assert time.monotonic() < deadline, f"{student.name}: server not stopped within {STOP_TIMEOUT} s"
            time.sleep(0.25)
    deadline = time.monotonic() + KERNEL_EXIT_TIMEOUT
    while time.monotonic() < deadline and len(gone) < len(watched):
        time.sleep(0.1)
    done.set()
    watcher.join(5)
    for student in students:
        if student.kernel_pid in gone and student.server_pid in gone:
            student.kernel_exit_after_server = gone[student.kernel_pid] - gone[student.server_pid]


def pid_alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def report(students: list[Student], cells: list[str]) -> None:
    print(f"\n{len(students)} students at once on JupyterHub (kernel from `make install`)")
    names = [f"cell{i + 1}" for i in range(len(cells))]
    print(f"{'student':<10} {'spawn s':>8} {'kernel s':>8} " + " ".join(f"{n:>7}" for n in names)
          + f" {'kern RSS':>8} {'PSS':>6} {'USS':>6} {'server RSS':>10} {'kernel exit':>11}")
    for s in students:
        exit_text = f"{s.kernel_exit_after_server:+.2f} s" if s.kernel_exit_after_server is not None else "-"
        print(f"{s.name:<10} {s.spawn_seconds:8.2f} {s.kernel_start_seconds:8.2f} "
              + " ".join(f"{t:7.2f}" for t in s.cell_seconds)
              + f" {s.kernel_memory.get('rss', 0):6.1f}MB {s.kernel_memory.get('pss', 0):4.1f}MB"
              + f" {s.kernel_memory.get('uss', 0):4.1f}MB {s.server_rss_mb:8.1f}MB {exit_text:>11}")
    def median(values: list[float]) -> float:
        return statistics.median(values) if values else float("nan")
    print(f"median: spawn {median([s.spawn_seconds for s in students]):.2f} s, "
          f"kernel start {median([s.kernel_start_seconds for s in students]):.2f} s, "
          f"kernel PSS {median([s.kernel_memory.get('pss', 0) for s in students]):.1f} MB, "
          f"USS {median([s.kernel_memory.get('uss', 0) for s in students]):.1f} MB, "
          f"server RSS {median([s.server_rss_mb for s in students]):.1f} MB")
    print("cells: " + " | ".join(f"{n}: {c.splitlines()[0][:50]}" for n, c in zip(names, cells)))


class Reaper:
    """Every process the hub starts (proxy, servers, kernels), found while they run, killed at the end."""

    def __init__(self, hub: Hub):
        self.hub = hub
        self.seen: dict[int, psutil.Process] = {}

    def snapshot(self) -> None:
        try:
            root = psutil.Process(self.hub.process.pid)
            for process in [root, *root.children(recursive=True)]:
                self.seen.setdefault(process.pid, process)
        except psutil.NoSuchProcess:
            pass

    def add(self, pid: int) -> None:
        try:
            self.seen.setdefault(pid, psutil.Process(pid))
        except psutil.NoSuchProcess:
            pass

    def kill_all(self) -> list[str]:
        """Stops the hub (it stops its servers and proxy), then kills whatever is left; names the leftovers."""
        self.snapshot()
        if self.hub.process.poll() is None:
            self.hub.process.send_signal(signal.SIGTERM)
            try:
                self.hub.process.wait(30)
            except subprocess.TimeoutExpired:
                self.hub.process.kill()
                self.hub.process.wait(10)
        leftovers = []
        for process in self.seen.values():
            try:
                if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                    leftovers.append(f"{process.pid} {' '.join(process.cmdline())[:100]}")
                    process.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(list(self.seen.values()), timeout=10)
        return leftovers


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """JUPYTER_PATH of the kernel as `make install` puts it (the static release binary)."""
    prefix = tmp_path_factory.mktemp("hub-prefix")
    done = subprocess.run(["make", "-s", "-C", str(REPO_ROOT), "install", f"PREFIX={prefix}"],
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    return prefix / "share" / "jupyter"


@pytest.fixture
def hub(tmp_path: Path, installed: Path) -> Iterator[tuple[Hub, Reaper]]:
    assert PROXY.exists(), "Debian's node-configurable-http-proxy is not installed (scripts/install-apt.sh)"
    hub = Hub(tmp_path, installed)
    reaper = Reaper(hub)
    try:
        hub.wait_ready()
        reaper.snapshot()
        yield hub, reaper
    finally:
        leftovers = reaper.kill_all()
        if leftovers:
            print("killed after the hub stopped:", *leftovers, sep="\n  ")
        shutil.rmtree(tmp_path / "homes", ignore_errors=True)


def test_a_class_on_jupyterhub(hub: tuple[Hub, Reaper]) -> None:
    hub, reaper = hub
    cells = chapter_first_cells() + TRAINING
    assert any("dataset(" in c for c in cells) and any("show(" in c for c in cells)
    students = [Student(f"student{i:02d}") for i in range(STUDENTS)]
    response = hub.api("POST", "/users", json={"usernames": [s.name for s in students]})
    assert response.status_code == 201, response.text

    with ThreadPoolExecutor(max_workers=len(students)) as pool:
        futures = [pool.submit(run_student, hub, student, cells) for student in students]
        # Record every process while it runs, so the clean-up can kill it whatever happens next.
        while not all(f.done() for f in futures):
            reaper.snapshot()
            time.sleep(0.5)
        for pid in [s.server_pid for s in students] + [s.kernel_pid for s in students]:
            if pid:
                reaper.add(pid)
        failures = [f.exception() for f in futures if f.exception()]
    assert not failures, f"{len(failures)} of {len(students)} students failed: {failures[0]}\n{hub.log_tail()}"

    # Same binary, same seeds: every student trained the same net to the same accuracy.
    accuracies = {s.results[-1] for s in students}
    assert len(accuracies) == 1, f"students disagree: {accuracies}"
    accuracy = float(accuracies.pop())
    assert 0.3 < accuracy <= 1, f"accuracy {accuracy} after training on 3,000 images"
    data_cell = next(i for i, c in enumerate(cells) if "dataset(" in c)
    assert all("fashion" in s.results[data_cell].lower() for s in students), students[0].results[data_cell]

    stop_servers(hub, students)
    report(students, cells)
    # The kernels' stderr is the servers', which is the hub's: each says why it stopped.
    said = hub.log_tail(100000).count("parent process")
    print(f"kernels that logged their server's exit: {said} of {len(students)}")
    outlived = [s.name for s in students if pid_alive(s.kernel_pid)]
    assert not outlived, f"kernels outlived their servers: {outlived}"
    assert not any(pid_alive(s.server_pid) for s in students)
