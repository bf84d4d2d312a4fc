"""A class of kernels through jupyter_client, and what each one costs the machine.

Shared by test_memory.py (the per-kernel private memory must stay small) and
bench/class (the same kernels, with the machine-wide figures and ipykernel beside them).
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyter_client.manager import KernelManager

MB = 1024 * 1024

# The chapter's first cells, as notebooks/chapter_cells.py writes them.
FIRST_CELLS = [
    'data = dataset("fashion-mnist")\ndata',
    "show(data.test[0:32])",
    "flat = sequential(28x28x1, dense(10), softmax())\nsummary(flat)",
]
TRAINING_CELL = (
    "train(flat, data.train, epochs: 1, batch: 32, optimizer: sgd(lr: 0.01, momentum: 0.9), l2: 0.01)\n"
    "evaluate(flat, data.test)"
)

# The same work for ipykernel: numpy reading the same gzip files into arrays.
NUMPY_FIRST_CELLS = [
    "import gzip, numpy as np\n"
    "def idx(path, offset):\n"
    "    with gzip.open(path) as f:\n"
    "        return np.frombuffer(f.read(), np.uint8, offset=offset)\n"
    "root = '/usr/share/datasets/fashion-mnist/'\n"
    "train_x = idx(root + 'train-images-idx3-ubyte.gz', 16).reshape(-1, 28, 28)\n"
    "train_y = idx(root + 'train-labels-idx1-ubyte.gz', 8)\n"
    "test_x = idx(root + 't10k-images-idx3-ubyte.gz', 16).reshape(-1, 28, 28)\n"
    "test_y = idx(root + 't10k-labels-idx1-ubyte.gz', 8)\n"
    "train_x.shape, test_x.shape",
    "grid = test_x[:32].reshape(4, 8, 28, 28).swapaxes(1, 2).reshape(112, 224)\ngrid.shape",
    "w = np.zeros((784, 10), np.float32)\nb = np.zeros(10, np.float32)\nw.shape",
]
NUMPY_TRAINING_CELL = (
    "x = train_x.reshape(-1, 784).astype(np.float32) / 255 - 0.5\n"
    "for i in range(0, len(x), 32):\n"
    "    xb, yb = x[i:i + 32], train_y[i:i + 32]\n"
    "    z = xb @ w + b\n"
    "    p = np.exp(z - z.max(1, keepdims=True)); p /= p.sum(1, keepdims=True)\n"
    "    p[np.arange(len(yb)), yb] -= 1\n"
    "    w -= 0.01 * xb.T @ p / len(yb); b -= 0.01 * p.mean(0)\n"
    "del x, xb, yb, z, p\n"
    "float(((test_x.reshape(-1, 784) / 255 - 0.5) @ w + b).argmax(1).__eq__(test_y).mean())"
)


@dataclass
class Memory:
    """One process's memory, from /proc/PID/smaps_rollup, in bytes."""

    rss: int
    pss: int
    private: int  # Private_Clean + Private_Dirty: pages no other process maps

    @staticmethod
    def of(pid: int) -> Memory:
        fields: dict[str, int] = {}
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            name, value = line.split(":", 1)
            fields[name] = int(value.split()[0]) * 1024
        return Memory(fields["Rss"], fields["Pss"], fields["Private_Clean"] + fields["Private_Dirty"])


def mem_available() -> int:
    """The machine's MemAvailable, in bytes."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no MemAvailable in /proc/meminfo")


class ClassKernel:
    """One student's kernel: a KernelManager and its blocking client."""

    def __init__(self, kernel_name: str, env: dict[str, str] | None = None, quiet: bool = False):
        self.manager = KernelManager(kernel_name=kernel_name)
        # quiet: the kernel's log goes nowhere (ipykernel warns about plain TCP at every start).
        extra = {"stderr": subprocess.DEVNULL} if quiet else {}
        self.manager.start_kernel(env=env or dict(os.environ), **extra)
        self.client = self.manager.client()
        self.client.start_channels()

    def wait_ready(self, timeout: float = 60) -> None:
        self.client.wait_for_ready(timeout=timeout)

    @property
    def pid(self) -> int:
        return self.manager.provisioner.process.pid

    def memory(self) -> Memory:
        return Memory.of(self.pid)

    def send(self, code: str) -> str:
        return self.client.execute(code)

    def finish(self, msg_id: str, timeout: float = 300) -> dict[str, Any]:
        """Waits for the reply to `msg_id` and drains iopub up to its idle; returns the reply."""
        deadline = time.monotonic() + timeout
        reply = self.client.get_shell_msg(timeout=timeout)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.client.get_shell_msg(timeout=max(1, deadline - time.monotonic()))
        while True:
            message = self.client.get_iopub_msg(timeout=max(1, deadline - time.monotonic()))
            if (message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "status"
                    and message["content"]["execution_state"] == "idle"):
                return reply

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def run_everywhere(kernels: list[ClassKernel], cells: list[str], timeout: float = 300) -> list[dict[str, Any]]:
    """Sends each cell to every kernel at once (a class pressing Shift-Enter together) and
    waits for all; returns the replies that were not ok."""
    failures = []
    for cell in cells:
        ids = [k.send(cell) for k in kernels]
        for kernel, msg_id in zip(kernels, ids):
            reply = kernel.finish(msg_id, timeout)
            if reply["content"]["status"] != "ok":
                failures.append(reply["content"])
    return failures
