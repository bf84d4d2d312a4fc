"""A raw Jupyter client over pyzmq, for tests that must send what jupyter_client never would.

It writes its own connection file, launches the kernel binary, signs messages
with Python's hmac (never with jupyter_client's Session, so the kernel's signing
is checked against an independent implementation) and can send arbitrary frames:
wrong signatures, replays, non-JSON parts, headers with fields missing.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import os
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import zmq

DELIMITER = b"<IDS|MSG>"
PROTOCOL_VERSION = "5.5"
CHANNELS = ("shell", "control", "stdin", "iopub", "hb")


def free_tcp_ports(count: int) -> list[int]:
    """Ports the OS reports free right now (bound to port 0, then released)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def new_key() -> str:
    return uuid.uuid4().hex


@dataclass
class ConnectionInfo:
    """The contents of a connection file."""

    key: str = field(default_factory=new_key)
    transport: str = "tcp"
    ip: str = "127.0.0.1"
    signature_scheme: str = "hmac-sha256"
    ports: dict[str, int] = field(default_factory=dict)
    curve_publickey: str | None = None
    curve_secretkey: str | None = None

    @classmethod
    def fresh(cls, workdir: Path, transport: str = "tcp", **kwargs: Any) -> ConnectionInfo:
        info = cls(transport=transport, **kwargs)
        if transport == "tcp":
            info.ports = dict(zip(("shell", "control", "stdin", "iopub", "hb"), free_tcp_ports(5)))
        else:
            # ipc endpoints are "<ip>-<port>", the port being only a distinguishing suffix.
            info.ip = str(workdir / "kernel-ipc")
            info.ports = {name: i + 1 for i, name in enumerate(("shell", "control", "stdin", "iopub", "hb"))}
        return info

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "transport": self.transport,
            "ip": self.ip,
            "key": self.key,
            "signature_scheme": self.signature_scheme,
            "kernel_name": "convnet",
        }
        for name, port in self.ports.items():
            data[f"{name}_port"] = port
        if self.curve_publickey is not None:
            data["curve_publickey"] = self.curve_publickey
            data["curve_secretkey"] = self.curve_secretkey
        return data

    def write(self, path: Path) -> Path:
        path.write_text(json.dumps(self.as_json(), indent=2))
        return path

    def url(self, channel: str) -> str:
        port = self.ports[channel]
        if self.transport == "tcp":
            return f"tcp://{self.ip}:{port}"
        return f"ipc://{self.ip}-{port}"


class Signer:
    """HMAC-SHA256 over the four JSON parts, as messaging.rst's "The Wire Protocol" says."""

    def __init__(self, key: str | bytes):
        self.key = key.encode() if isinstance(key, str) else key

    def sign(self, parts: list[bytes]) -> bytes:
        if not self.key:
            return b""
        mac = hmac.new(self.key, digestmod=hashlib.sha256)
        for part in parts:
            mac.update(part)
        return mac.hexdigest().encode()


def reject_constant(name: str) -> None:
    raise ValueError(f"the kernel sent {name}, which is not JSON")


def now_iso() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


def pack(obj: Any) -> bytes:
    return json.dumps(obj).encode()


class Client:
    """Five raw sockets connected to one kernel, with a signer and a message log.

    Every message received from the kernel has its signature verified here: a
    kernel that signs wrongly fails every test loudly.
    """

    def __init__(
        self,
        info: ConnectionInfo,
        *,
        key: str | None = None,
        curve_serverkey: bytes | None = None,
        use_curve: bool | None = None,
    ):
        self.info = info
        self.signer = Signer(info.key if key is None else key)
        self.session = uuid.uuid4().hex
        self.context = zmq.Context()
        # Reconnect at once when the kernel has not bound its ports yet (MEASURED.md).
        self.context.setsockopt(zmq.RECONNECT_IVL, 10)
        self.context.setsockopt(zmq.LINGER, 0)
        if use_curve is None:
            use_curve = info.curve_publickey is not None
        if use_curve and curve_serverkey is None:
            curve_serverkey = info.curve_publickey.encode()
        self.sockets: dict[str, zmq.Socket] = {}
        types = {"shell": zmq.DEALER, "control": zmq.DEALER, "stdin": zmq.DEALER, "iopub": zmq.SUB, "hb": zmq.REQ}
        for name, kind in types.items():
            sock = self.context.socket(kind)
            if use_curve:
                public, secret = zmq.curve_keypair()
                sock.curve_publickey = public
                sock.curve_secretkey = secret
                sock.curve_serverkey = curve_serverkey
            if kind == zmq.DEALER:
                # One identity for shell, control and stdin, as jupyter_client does: the
                # kernel routes an input_request to the stdin socket of the cell's sender.
                sock.setsockopt(zmq.IDENTITY, self.session.encode())
            if kind == zmq.SUB:
                sock.setsockopt(zmq.SUBSCRIBE, b"")
            if kind == zmq.REQ:
                # A REQ socket whose peer never answers must not block a later send.
                sock.setsockopt(zmq.REQ_RELAXED, 1)
                sock.setsockopt(zmq.REQ_CORRELATE, 1)
            # A peer that never completes its handshake (a Curve server, to a plain
            # client) leaves nowhere to queue a message: give up on the send instead of blocking.
            sock.setsockopt(zmq.SNDTIMEO, 2000)
            sock.connect(info.url(name))
            self.sockets[name] = sock
        # Messages received but not yet asked for, per channel.
        self.pending: dict[str, list[dict[str, Any]]] = {name: [] for name in ("shell", "control", "stdin", "iopub")}
        # Every iopub message ever received, in order: the ordering tests read it.
        self.iopub_log: list[dict[str, Any]] = []

    # ------------------------------------------------------------------ sending

    def header(self, msg_type: str, **overrides: Any) -> dict[str, Any]:
        header = {
            "msg_id": uuid.uuid4().hex,
            "session": self.session,
            "username": "test",
            "date": now_iso(),
            "msg_type": msg_type,
            "version": PROTOCOL_VERSION,
        }
        header.update(overrides)
        return header

    def frames(
        self,
        msg_type: str,
        content: dict[str, Any] | None = None,
        *,
        header: dict[str, Any] | None = None,
        parent: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> tuple[dict[str, Any], list[bytes]]:
        """A signed message and its frames, ready for send_multipart."""
        header = header if header is not None else self.header(msg_type)
        parts = [pack(header), pack(parent or {}), pack(metadata or {}), pack(content or {})]
        return header, [DELIMITER, self.signer.sign(parts), *parts]

    def signed(self, parts: list[bytes]) -> list[bytes]:
        """Frames for four arbitrary (maybe not JSON) parts, correctly signed."""
        return [DELIMITER, self.signer.sign(parts), *parts]

    def send(self, channel: str, msg_type: str, content: dict[str, Any] | None = None, **kwargs: Any) -> str:
        """Sends a request and returns its msg_id (even when zmq could not send it: no reply will come)."""
        header, frames = self.frames(msg_type, content, **kwargs)
        self.send_frames(channel, frames)
        return header["msg_id"]

    def send_frames(self, channel: str, frames: list[bytes]) -> bool:
        """False when no peer took the message within the send timeout."""
        try:
            self.sockets[channel].send_multipart(frames)
            return True
        except zmq.Again:
            return False

    # ---------------------------------------------------------------- receiving

    def _parse(self, frames: list[bytes]) -> dict[str, Any]:
        index = frames.index(DELIMITER)
        signature, parts = frames[index + 1], frames[index + 2 : index + 6]
        expected = self.signer.sign(parts)
        assert hmac.compare_digest(signature, expected), f"kernel sent a bad signature: {signature!r}"
        header, parent, metadata, content = (json.loads(p, parse_constant=reject_constant) for p in parts)
        return {
            "identities": frames[:index],
            "header": header,
            "parent_header": parent,
            "metadata": metadata,
            "content": content,
            "buffers": frames[index + 6 :],
            "msg_type": header["msg_type"],
            "parent_id": parent.get("msg_id"),
        }

    def _receive(self, channel: str, timeout: float) -> dict[str, Any] | None:
        sock = self.sockets[channel]
        if not sock.poll(int(timeout * 1000)):
            return None
        msg = self._parse(sock.recv_multipart())
        if channel == "iopub":
            self.iopub_log.append(msg)
        return msg

    def next(self, channel: str, timeout: float = 10) -> dict[str, Any] | None:
        """The next message on a channel (pending ones first), or None after timeout."""
        if self.pending[channel]:
            return self.pending[channel].pop(0)
        return self._receive(channel, timeout)

    def reply(self, msg_id: str, channel: str = "shell", timeout: float = 10) -> dict[str, Any] | None:
        """The message on `channel` whose parent is `msg_id`; others stay pending."""
        for i, msg in enumerate(self.pending[channel]):
            if msg["parent_id"] == msg_id:
                return self.pending[channel].pop(i)
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            msg = self._receive(channel, left)
            if msg is None:
                return None
            if msg["parent_id"] == msg_id:
                return msg
            self.pending[channel].append(msg)
        return None

    def iopub_until_idle(self, msg_id: str, timeout: float = 10) -> list[dict[str, Any]]:
        """iopub messages with `msg_id` as parent, up to and including its idle status.

        Fails when the idle does not come within `timeout`.
        """
        collected = [m for m in self.pending["iopub"] if m["parent_id"] == msg_id]
        self.pending["iopub"] = [m for m in self.pending["iopub"] if m["parent_id"] != msg_id]
        deadline = time.monotonic() + timeout
        while not (collected and is_idle(collected[-1])):
            left = deadline - time.monotonic()
            msg = self._receive("iopub", left) if left > 0 else None
            assert msg is not None, f"no idle status for {msg_id} within {timeout} s; got {summary(collected)}"
            if msg["parent_id"] == msg_id:
                collected.append(msg)
            else:
                self.pending["iopub"].append(msg)
        return collected

    def wait_iopub(self, msg_id: str, msg_type: str, timeout: float = 10) -> dict[str, Any] | None:
        """Waits for an iopub message of `msg_type` with parent `msg_id`, leaving every message pending."""
        for msg in self.pending["iopub"]:
            if msg["parent_id"] == msg_id and msg["msg_type"] == msg_type:
                return msg
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            msg = self._receive("iopub", left)
            if msg is None:
                return None
            self.pending["iopub"].append(msg)
            if msg["parent_id"] == msg_id and msg["msg_type"] == msg_type:
                return msg
        return None

    def drain_iopub(self, quiet: float = 0.2) -> list[dict[str, Any]]:
        """Everything iopub sends until it has been quiet for `quiet` seconds."""
        messages = self.pending["iopub"]
        self.pending["iopub"] = []
        while (msg := self._receive("iopub", quiet)) is not None:
            messages.append(msg)
        return messages

    # ------------------------------------------------------------ conveniences

    def request(
        self, channel: str, msg_type: str, content: dict[str, Any] | None = None, timeout: float = 10, **kwargs: Any
    ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """Sends a request; returns its reply and its iopub messages (busy .. idle)."""
        msg_id = self.send(channel, msg_type, content, **kwargs)
        reply = self.reply(msg_id, channel, timeout)
        if reply is None:
            return None, []
        return reply, self.iopub_until_idle(msg_id, timeout)

    def execute(self, code: str, timeout: float = 10, **options: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        content = execute_content(code, **options)
        reply, iopub = self.request("shell", "execute_request", content, timeout)
        assert reply is not None, f"no execute_reply for {code[:60]!r} within {timeout} s"
        return reply, iopub

    def kernel_info(self, channel: str = "shell", timeout: float = 10) -> dict[str, Any] | None:
        return self.reply(self.send(channel, "kernel_info_request"), channel, timeout)

    def heartbeat(self, timeout: float = 2) -> bool:
        """True when the heartbeat echoes a ping within `timeout`."""
        hb = self.sockets["hb"]
        ping = uuid.uuid4().bytes
        try:
            hb.send(ping)
        except zmq.Again:
            return False
        if not hb.poll(int(timeout * 1000)):
            return False
        return hb.recv() == ping

    def close(self) -> None:
        for sock in self.sockets.values():
            sock.close(linger=0)
        self.context.term()


def execute_content(code: str, **options: Any) -> dict[str, Any]:
    content = {
        "code": code,
        "silent": False,
        "store_history": True,
        "user_expressions": {},
        "allow_stdin": False,
        "stop_on_error": True,
    }
    content.update(options)
    return content


def is_idle(msg: dict[str, Any]) -> bool:
    return msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle"


def is_busy(msg: dict[str, Any]) -> bool:
    return msg["msg_type"] == "status" and msg["content"]["execution_state"] == "busy"


def summary(messages: list[dict[str, Any]]) -> list[str]:
    """msg_types (with the status) of a list of messages, for failure messages."""
    out = []
    for m in messages:
        if m["msg_type"] == "status":
            out.append(f"status:{m['content']['execution_state']}")
        else:
            out.append(m["msg_type"])
    return out


def outputs(iopub: list[dict[str, Any]], msg_type: str) -> list[dict[str, Any]]:
    return [m for m in iopub if m["msg_type"] == msg_type]


def stdout_text(iopub: list[dict[str, Any]]) -> str:
    return "".join(m["content"]["text"] for m in outputs(iopub, "stream") if m["content"]["name"] == "stdout")


def result_text(iopub: list[dict[str, Any]]) -> str | None:
    results = outputs(iopub, "execute_result")
    return results[-1]["content"]["data"]["text/plain"] if results else None


class KernelProcess:
    """A kernel launched from a connection file, with its stderr kept in a file."""

    def __init__(self, argv: list[str], workdir: Path, info: ConnectionInfo, env: dict[str, str] | None = None):
        self.info = info
        self.workdir = workdir
        self.connection_file = info.write(workdir / f"kernel-{uuid.uuid4().hex[:8]}.json")
        self.stderr_path = workdir / (self.connection_file.stem + ".stderr")
        self._stderr = open(self.stderr_path, "wb")
        command = [part.replace("{connection_file}", str(self.connection_file)) for part in argv]
        self.process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._stderr, env=env
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait(self, timeout: float) -> int | None:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stderr(self) -> str:
        """What the kernel wrote to stderr so far (it writes the file directly)."""
        return self.stderr_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.alive():
            self.process.kill()
            self.process.wait(5)
        self._stderr.close()


def connection_with_curve(workdir: Path, transport: str = "tcp") -> ConnectionInfo:
    public, secret = zmq.curve_keypair()
    return ConnectionInfo.fresh(workdir, transport, curve_publickey=public.decode(), curve_secretkey=secret.decode())


def default_kernel_env() -> dict[str, str]:
    """The test's environment without CONVNET_KERNEL_LOG, so the kernel logs at its default level."""
    env = dict(os.environ)
    env.pop("CONVNET_KERNEL_LOG", None)
    return env
