"""Connection files the tests write, and the kernel processes launched from them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import zmq


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
