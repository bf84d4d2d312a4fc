"""A kernel ends with the process that started it (JPY_PARENT_PID), as ipykernel's does.

A notebook server stopped by JupyterHub, or one that crashes, does not shut its kernels
down; a kernel that outlives it holds its data set until someone kills it by hand. Each
test launches the kernel from a stand-in "server" process, kills that process with SIGKILL
(nothing is cleaned up), and checks that the kernel is gone within a few seconds and that
its log says why.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from connection import ConnectionInfo
from harness import KERNEL_BINARY
from wire import Client

# The kernel checks its parent every half second; the bound is generous for a loaded machine.
EXIT_TIMEOUT = 10.0
PR_SET_CHILD_SUBREAPER = 36

# The stand-in server: launches the kernel as jupyter_client does (JPY_PARENT_PID, a new
# session), prints the kernel's pid, then waits to be killed.
SERVER = r"""
import json, os, subprocess, sys, time
argv, stderr_path, set_variable = json.loads(sys.argv[1])
env = dict(os.environ)
env.pop("JPY_PARENT_PID", None)
if set_variable:
    env["JPY_PARENT_PID"] = str(os.getpid())
kernel = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=open(stderr_path, "wb"), start_new_session=True)
print(kernel.pid, flush=True)
time.sleep(600)
"""


def alive(pid: int) -> bool:
    """Whether pid names a live process (a zombie counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_gone(pid: int, timeout: float) -> float | None:
    """Seconds until pid is gone, or None if it is still alive after timeout."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if not alive(pid):
            return time.monotonic() - start
        time.sleep(0.05)
    return None


class Launched:
    """A stand-in server and the kernel it launched."""

    def __init__(self, tmp_path: Path, set_variable: bool = True, env: dict[str, str] | None = None):
        self.info = ConnectionInfo.fresh(tmp_path)
        connection = self.info.write(tmp_path / "connection.json")
        self.stderr_path = tmp_path / "kernel.stderr"
        argv = [str(KERNEL_BINARY), "--connection-file", str(connection)]
        self.server = subprocess.Popen(
            [sys.executable, "-c", SERVER, json.dumps([argv, str(self.stderr_path), set_variable])],
            stdout=subprocess.PIPE, text=True, env=env,
        )
        self.kernel_pid = int(self.server.stdout.readline())
        self.client = Client(self.info)

    def ready(self) -> None:
        assert self.client.kernel_info(timeout=20) is not None, f"kernel did not start\n{self.stderr()}"

    def kill_server(self) -> None:
        self.server.send_signal(signal.SIGKILL)
        self.server.wait(10)

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""

    def close(self) -> None:
        self.client.close()
        if self.server.poll() is None:
            self.server.kill()
            self.server.wait(10)
        if alive(self.kernel_pid):
            os.kill(self.kernel_pid, signal.SIGKILL)
            wait_gone(self.kernel_pid, 10)


@pytest.fixture
def launch(tmp_path: Path) -> Iterator:
    started: list[Launched] = []

    def start(**kwargs) -> Launched:
        launched = Launched(tmp_path, **kwargs)
        started.append(launched)
        return launched

    yield start
    for launched in started:
        launched.close()


@pytest.fixture
def subreaper() -> Iterator[None]:
    """Orphans of this test become this process's children (as under tini -s or systemd), not init's."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        pytest.skip("prctl(PR_SET_CHILD_SUBREAPER) not available")
    try:
        yield
    finally:
        libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)


def test_kernel_exits_when_its_server_is_killed(launch) -> None:
    launched = launch()
    launched.ready()
    launched.kill_server()
    took = wait_gone(launched.kernel_pid, EXIT_TIMEOUT)
    assert took is not None, f"kernel still running {EXIT_TIMEOUT} s after its parent died\n{launched.stderr()}"
    assert "parent process" in launched.stderr() and "exited" in launched.stderr(), launched.stderr()


def test_kernel_exits_while_a_cell_runs(launch) -> None:
    launched = launch()
    launched.ready()
    launched.client.send("shell", "execute_request", {"code": "sleep(60)", "silent": False})
    time.sleep(0.5)
    launched.kill_server()
    assert wait_gone(launched.kernel_pid, EXIT_TIMEOUT) is not None, launched.stderr()


def test_reparented_to_a_subreaper_is_noticed_too(launch, subreaper) -> None:
    """In a container with tini -s, or under systemd --user, the orphan's new parent is not pid 1."""
    launched = launch()
    launched.ready()
    launched.kill_server()
    # The kernel is now this process's child: reap it and read its exit status.
    deadline = time.monotonic() + EXIT_TIMEOUT
    status = None
    while time.monotonic() < deadline:
        pid, status = os.waitpid(launched.kernel_pid, os.WNOHANG)
        if pid:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"kernel still running {EXIT_TIMEOUT} s after its parent died\n{launched.stderr()}")
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, f"status {status}\n{launched.stderr()}"
    assert "parent process" in launched.stderr()


def test_started_by_hand_it_outlives_its_shell(launch) -> None:
    """No JPY_PARENT_PID (a kernel run from a terminal, then `jupyter console --existing`): no watch."""
    launched = launch(set_variable=False)
    launched.ready()
    launched.kill_server()
    time.sleep(2)
    assert alive(launched.kernel_pid), f"kernel exited without JPY_PARENT_PID\n{launched.stderr()}"
    assert launched.client.kernel_info(timeout=10) is not None


def test_a_live_parent_keeps_it_running(launch) -> None:
    launched = launch()
    launched.ready()
    time.sleep(2)
    assert alive(launched.kernel_pid)
    reply = launched.client.kernel_info(timeout=10)
    assert reply is not None and reply["content"]["status"] == "ok"
    assert "parent process" not in launched.stderr()


def test_jupyter_client_manager_killed(tmp_path: Path) -> None:
    """The real launcher: a KernelManager in a process that dies without shutting its kernel down."""
    script = tmp_path / "manager.py"
    script.write_text(
        "import time\n"
        "from jupyter_client.manager import KernelManager\n"
        "km = KernelManager(kernel_name='convnet')\n"
        "km.start_kernel()\n"
        "client = km.client(); client.start_channels(); client.wait_for_ready(timeout=30)\n"
        "print(km.provisioner.process.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    manager = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    kernel_pid = None
    try:
        kernel_pid = int(manager.stdout.readline())
        assert alive(kernel_pid)
        manager.kill()
        manager.wait(10)
        assert wait_gone(kernel_pid, EXIT_TIMEOUT) is not None, "kernel outlived its KernelManager's process"
    finally:
        if manager.poll() is None:
            manager.kill()
            manager.wait(10)
        if kernel_pid and alive(kernel_pid):
            os.kill(kernel_pid, signal.SIGKILL)
