"""Shared set-up for the protocol tests: the kernelspec of the binary under test, and running kernels.

KERNEL_BINARY names the kernel under test (default: the repo's release build, as `make build` makes it). At the
start of the session its kernelspec is installed into a temporary prefix with the
binary's own `install --prefix` command and put first on JUPYTER_PATH, so that
jupyter_client finds exactly this binary under the name "convnet", whatever else is
installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Callable, Iterator

import pytest

from harness import KERNEL_BINARY, RunningKernel
from connection import ConnectionInfo

_spec_prefix: str | None = None


def pytest_sessionstart(session: pytest.Session) -> None:
    global _spec_prefix
    if not KERNEL_BINARY.is_file():
        raise pytest.UsageError(
            f"kernel binary not found at {KERNEL_BINARY}: build it (`make build`) or set KERNEL_BINARY"
        )
    _spec_prefix = tempfile.mkdtemp(prefix="convnet-kernelspec-")
    done = subprocess.run(
        [str(KERNEL_BINARY), "install", "--prefix", _spec_prefix], capture_output=True, text=True, timeout=60
    )
    if done.returncode != 0:
        raise pytest.UsageError(f"`{KERNEL_BINARY} install --prefix` failed: {done.stderr.strip()}")
    data_dir = str(Path(_spec_prefix) / "share" / "jupyter")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [data_dir, os.environ.get("JUPYTER_PATH")]))
    # Connection files of the kernels jupyter_client starts go to the temporary prefix too,
    # not to the user's Jupyter runtime folder.
    os.environ["JUPYTER_RUNTIME_DIR"] = str(Path(_spec_prefix) / "runtime")
    # Exercise progress the kernels save goes there too, not to the user's home.
    os.environ.setdefault("CONVNET_PROGRESS", str(Path(_spec_prefix) / "progress.json"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _spec_prefix:
        shutil.rmtree(_spec_prefix, ignore_errors=True)


def pytest_report_header(config: pytest.Config) -> str:
    return f"kernel binary: {KERNEL_BINARY}"


@pytest.fixture
def start_kernel(tmp_path: Path) -> Iterator[Callable[..., RunningKernel]]:
    """A factory: start_kernel(info=None, env=None, ready=True) -> RunningKernel."""
    started: list[RunningKernel] = []

    def start(info: ConnectionInfo | None = None, env: dict[str, str] | None = None, ready: bool = True) -> RunningKernel:
        kernel = RunningKernel(tmp_path, info, env)
        started.append(kernel)
        if ready:
            kernel.wait_ready()
        return kernel

    yield start
    for kernel in started:
        kernel.close()


@pytest.fixture
def kernel(start_kernel: Callable[..., RunningKernel]) -> RunningKernel:
    """A fresh kernel, ready, with a raw client."""
    return start_kernel()
