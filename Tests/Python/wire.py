"""A raw Jupyter client over pyzmq, for tests that must send what jupyter_client never would.

It connects to a kernel from a ConnectionInfo (connection.py), signs messages
with Python's hmac (never with jupyter_client's Session, so the kernel's signing
is checked against an independent implementation) and can send arbitrary frames:
wrong signatures, replays, non-JSON parts, headers with fields missing.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import time
import uuid
from typing import Any

import zmq

from connection import ConnectionInfo

DELIMITER = b"<IDS|MSG>"
PROTOCOL_VERSION = "5.5"


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

    def parse(self, frames: list[bytes]) -> dict[str, Any]:
        """A message from its frames, its signature checked (an AssertionError if wrong)."""
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
        msg = self.parse(sock.recv_multipart())
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
