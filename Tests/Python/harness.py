"""The kernel under test: where its binary is, how to run it, and a running kernel with a raw client."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from connection import ConnectionInfo, KernelProcess, default_kernel_env
from wire import Client

REPO_ROOT = Path(__file__).resolve().parents[2]
KERNEL_BINARY = Path(os.environ.get("KERNEL_BINARY", REPO_ROOT / ".build/release/convnet-kernel")).resolve()

# Generous but bounded: a debug build starts in well under a second on a quiet machine,
# but the CI machine is shared.
START_TIMEOUT = 20.0
REPLY_TIMEOUT = 10.0


def kernel_argv() -> list[str]:
    """The command that runs the kernel, as kernel.json's argv writes it."""
    return [str(KERNEL_BINARY), "--connection-file", "{connection_file}"]


class RunningKernel:
    """A kernel process plus a raw client connected to it."""

    def __init__(self, workdir: Path, info: ConnectionInfo | None = None, env: dict[str, str] | None = None):
        self.workdir = workdir
        self.info = info or ConnectionInfo.fresh(workdir)
        self.process = KernelProcess(kernel_argv(), workdir, self.info, env=env or default_kernel_env())
        self.client = Client(self.info)
        self.clients = [self.client]
        self.expect_exit = False

    def wait_ready(self) -> None:
        """Waits for kernel_info on shell and for iopub to be subscribed (its welcome)."""
        reply = self.client.kernel_info(timeout=START_TIMEOUT)
        assert reply is not None, f"kernel did not answer kernel_info within {START_TIMEOUT} s\n{self.process.stderr()}"
        # iopub_welcome tells us the subscription is live; after that, a request's
        # busy/idle can no longer be lost.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if any(m["msg_type"] == "iopub_welcome" for m in self.client.iopub_log):
                break
            self.client.next("iopub", 0.1)
        self.sync_iopub()

    def sync_iopub(self) -> None:
        """Sends a kernel_info and waits for its idle, so iopub holds nothing stale."""
        msg_id = self.client.send("shell", "kernel_info_request")
        assert self.client.reply(msg_id, timeout=REPLY_TIMEOUT) is not None
        self.client.iopub_until_idle(msg_id, REPLY_TIMEOUT)
        self.client.pending["iopub"].clear()
        self.client.pending["shell"].clear()

    def new_client(self, **kwargs: Any) -> Client:
        client = Client(self.info, **kwargs)
        self.clients.append(client)
        return client

    def assert_serving(self, client: Client | None = None) -> None:
        """The kernel is alive, its heartbeat echoes, and it answers kernel_info on shell and control."""
        client = client or self.client
        assert self.process.alive(), f"kernel died (status {self.process.process.returncode})\n{self.process.stderr()}"
        assert client.heartbeat(5), "heartbeat did not echo"
        for channel in ("shell", "control"):
            reply = client.kernel_info(channel, timeout=REPLY_TIMEOUT)
            assert reply is not None, f"no kernel_info_reply on {channel}\n{self.process.stderr()[-2000:]}"
            assert reply["msg_type"] == "kernel_info_reply"
            client.iopub_until_idle(reply["parent_id"], REPLY_TIMEOUT)

    def close(self) -> None:
        crashed = not self.expect_exit and not self.process.alive()
        status = self.process.process.returncode
        for client in self.clients:
            client.close()
        self.process.stop()
        assert not crashed, f"kernel exited during the test (status {status})\n{self.process.stderr()[-2000:]}"
