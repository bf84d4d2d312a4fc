"""CurveZMQ transport encryption, as jupyter_client 8.10 provisions it (transport_encryption="required").

The manager writes curve_publickey/curve_secretkey into the connection file; the
kernel makes every socket (heartbeat included) a Curve server with that pair, and
jupyter_client's sockets become Curve clients that know the server's public key.
A client without Curve, or with a wrong server key, gets nothing at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
import zmq
from jupyter_client.manager import KernelManager

import samples
from harness import REPLY_TIMEOUT, START_TIMEOUT, RunningKernel
from connection import ConnectionInfo, connection_with_curve
from wire import Client, result_text

pytestmark = pytest.mark.skipif(not zmq.has("curve"), reason="this libzmq has no CurveZMQ")

SILENCE = 1.5


@pytest.fixture
def manager() -> Iterator[KernelManager]:
    km = KernelManager(kernel_name=samples.KERNEL_NAME, transport_encryption="required")
    km.start_kernel()
    yield km
    km.shutdown_kernel(now=False)


def test_jupyter_client_with_curve_is_served(manager: KernelManager) -> None:
    info = manager.get_connection_info()
    assert info.get("curve_publickey") and info.get("curve_secretkey"), "jupyter_client provisioned no keys"
    kc = manager.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=START_TIMEOUT)
        reply = kc.execute_interactive(samples.ARITHMETIC, timeout=REPLY_TIMEOUT, output_hook=lambda msg: None)
        assert reply["content"]["status"] == "ok"
        assert kc.is_alive()
        assert kc.hb_channel.is_beating()
    finally:
        kc.stop_channels()


def raw_info(manager: KernelManager) -> ConnectionInfo:
    """The manager's connection file as our raw client reads it."""
    info = manager.get_connection_info()
    return ConnectionInfo(
        key=info["key"].decode() if isinstance(info["key"], bytes) else info["key"],
        transport=info["transport"],
        ip=info["ip"],
        signature_scheme=info["signature_scheme"],
        ports={name: info[f"{name}_port"] for name in ("shell", "control", "stdin", "iopub", "hb")},
        curve_publickey=_text(info["curve_publickey"]),
        curve_secretkey=_text(info["curve_secretkey"]),
    )


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


def assert_gets_nothing(client: Client) -> None:
    msg_id = client.send("shell", "kernel_info_request")
    assert client.reply(msg_id, timeout=SILENCE) is None, "shell answered a client without the right Curve key"
    assert client.reply(client.send("control", "kernel_info_request"), "control", timeout=0.2) is None
    assert not client.heartbeat(0.3), "the heartbeat echoed a client without the right Curve key"
    assert client.next("iopub", timeout=0.2) is None, "iopub published to a client without the right Curve key"


@pytest.mark.parametrize("intruder", ["plain", "wrong-server-key"])
def test_client_without_the_key_gets_nothing(manager: KernelManager, intruder: str) -> None:
    info = raw_info(manager)
    right = Client(info)
    if intruder == "plain":
        wrong = Client(info, use_curve=False)
    else:
        wrong_public, _ = zmq.curve_keypair()
        wrong = Client(info, curve_serverkey=wrong_public)
    try:
        assert right.kernel_info(timeout=START_TIMEOUT) is not None, "the right Curve client was not served"
        assert_gets_nothing(wrong)
        # The kernel keeps serving the right client after the intruder's attempts.
        reply, iopub = right.execute(samples.ARITHMETIC)
        assert reply["content"]["status"] == "ok"
        assert result_text(iopub) == samples.ARITHMETIC_RESULT
        assert right.heartbeat()
        assert manager.is_alive()
    finally:
        right.close()
        wrong.close()


def test_curve_keys_from_a_hand_written_connection_file(start_kernel, tmp_path: Path) -> None:
    """The same, without jupyter_client: keys from zmq.curve_keypair() written into the file."""
    kernel: RunningKernel = start_kernel(connection_with_curve(tmp_path))
    reply, iopub = kernel.client.execute(samples.ARITHMETIC)
    assert result_text(iopub) == samples.ARITHMETIC_RESULT
    assert any(m["msg_type"] == "iopub_welcome" for m in kernel.client.iopub_log), "no welcome over Curve"
    assert_gets_nothing(kernel.new_client(use_curve=False))
    kernel.assert_serving()


def test_plain_kernel_still_serves_plain_clients(kernel: RunningKernel) -> None:
    """Without keys in the connection file, plain TCP as before."""
    assert kernel.info.curve_publickey is None
    kernel.assert_serving()
