"""jupyter_client playing the widget front end: comm messages sent on shell, the iopub
messages they cause collected by parent, and the widgets the kernel opened."""

from __future__ import annotations

import time
from typing import Any

from jupyter_client import BlockingKernelClient, KernelManager

import samples

TIMEOUT = 30.0


class FrontEnd:
    """One kernel started through jupyter_client, with every iopub message kept."""

    def __init__(self) -> None:
        self.km = KernelManager(kernel_name=samples.KERNEL_NAME)
        self.km.start_kernel()
        self.kc: BlockingKernelClient = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=TIMEOUT)
        self.iopub: list[dict[str, Any]] = []
        # comm id -> the state the kernel opened it with (updated by later updates)
        self.models: dict[str, dict[str, Any]] = {}

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    # -- iopub -------------------------------------------------------------------------

    def drain(self, until: float = 0.0) -> None:
        """Reads iopub for `until` seconds (0: what is already there)."""
        deadline = time.monotonic() + until
        while True:
            left = deadline - time.monotonic()
            try:
                msg = self.kc.get_iopub_msg(timeout=max(left, 0.01))
            except Exception:
                if time.monotonic() >= deadline:
                    return
                continue
            self._keep(msg)

    def _keep(self, msg: dict[str, Any]) -> None:
        self.iopub.append(msg)
        if msg["msg_type"] == "comm_open" and msg["content"].get("target_name") == "jupyter.widget":
            self.models[msg["content"]["comm_id"]] = dict(msg["content"]["data"]["state"])

    def until_idle(self, msg_id: str, timeout: float = TIMEOUT) -> list[dict[str, Any]]:
        """The iopub messages whose parent is `msg_id`, up to and including its idle."""
        deadline = time.monotonic() + timeout
        while True:
            mine = self.children(msg_id)
            if any(m["msg_type"] == "status" and m["content"]["execution_state"] == "idle" for m in mine):
                return mine
            assert time.monotonic() < deadline, f"no idle for {msg_id}; got {[m['msg_type'] for m in mine]}"
            try:
                self._keep(self.kc.get_iopub_msg(timeout=0.5))
            except Exception:
                pass

    def children(self, msg_id: str) -> list[dict[str, Any]]:
        return [m for m in self.iopub if m["parent_header"].get("msg_id") == msg_id]

    # -- shell -------------------------------------------------------------------------

    def execute(self, code: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        msg_id = self.kc.execute(code)
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        return reply, self.until_idle(msg_id)

    def value(self, code: str) -> str:
        reply, outputs = self.execute(code)
        assert reply["content"]["status"] == "ok", reply["content"]
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        assert results, f"{code!r} gave no result"
        return results[-1]["content"]["data"]["text/plain"]

    def send_comm(self, msg_type: str, content: dict[str, Any], buffers: list[bytes] | None = None) -> str:
        msg = self.kc.session.msg(msg_type, content)
        self.kc.session.send(self.kc.shell_channel.socket, msg, buffers=buffers)
        return msg["header"]["msg_id"]

    def comm_msg(self, comm_id: Any, data: Any, wait: bool = True) -> list[dict[str, Any]]:
        msg_id = self.send_comm("comm_msg", {"comm_id": comm_id, "data": data})
        return self.until_idle(msg_id) if wait else []

    def update(self, comm_id: str, state: dict[str, Any]) -> list[dict[str, Any]]:
        return self.comm_msg(comm_id, {"method": "update", "state": state, "buffer_paths": []})

    def shell_request(self, msg_type: str, content: dict[str, Any]) -> dict[str, Any]:
        msg = self.kc.session.msg(msg_type, content)
        self.kc.shell_channel.send(msg)
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        while reply["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.until_idle(msg["header"]["msg_id"])
        return reply

    # -- widgets -----------------------------------------------------------------------

    def shown_model(self, outputs: list[dict[str, Any]]) -> str:
        """The model id of the widget a cell showed (execute_result or display_data)."""
        for m in outputs:
            data = m["content"].get("data", {})
            if "application/vnd.jupyter.widget-view+json" in data:
                return data["application/vnd.jupyter.widget-view+json"]["model_id"]
        raise AssertionError(f"no widget shown in {[m['msg_type'] for m in outputs]}")

    def opened_with(self, model_name: str) -> list[str]:
        return [cid for cid, state in self.models.items() if state.get("_model_name") == model_name]

    def assert_alive(self, check: str = "", expected: str = "") -> None:
        """The kernel still answers, and a variable made before the bad input is kept."""
        assert self.km.is_alive(), "the kernel died"
        reply = self.kc.kernel_info(reply=True, timeout=TIMEOUT)
        assert reply["content"]["status"] == "ok"
        if check:
            assert self.value(check) == expected


def comm_msgs(messages: list[dict[str, Any]], comm_id: str, method: str | None = None) -> list[dict[str, Any]]:
    return [
        m for m in messages
        if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id
        and (method is None or m["content"]["data"].get("method") == method)
    ]


def statuses(messages: list[dict[str, Any]]) -> list[str]:
    return [m["content"]["execution_state"] for m in messages if m["msg_type"] == "status"]
