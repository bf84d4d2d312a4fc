"""The command line: connection-file errors, --version, --help, and the kernelspec `install` writes."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import pytest

from harness import KERNEL_BINARY
from connection import ConnectionInfo

# A kernel that cannot start must say why in one line and exit with status 2, fast.
EXIT_TIMEOUT = 10


def run(*args: str, timeout: float = EXIT_TIMEOUT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KERNEL_BINARY), *args], capture_output=True, text=True, timeout=timeout)


def assert_one_line_error(done: subprocess.CompletedProcess[str], *expected_words: str) -> None:
    assert done.returncode == 2, f"exit status {done.returncode}, stderr: {done.stderr!r}"
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}: {done.stderr!r}"
    for word in expected_words:
        assert word.lower() in lines[0].lower(), f"{word!r} not in {lines[0]!r}"


def connection_file(tmp_path: Path, **changes: object) -> Path:
    data = ConnectionInfo.fresh(tmp_path).as_json()
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    path = tmp_path / "connection.json"
    path.write_text(json.dumps(data))
    return path


def test_missing_connection_file(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-file.json"
    assert_one_line_error(run("--connection-file", str(missing)), str(missing))


def test_connection_file_is_a_directory(tmp_path: Path) -> None:
    assert_one_line_error(run("--connection-file", str(tmp_path)))


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"", b"[1, 2]", b'"a string"', b'{"shell_port": 1', b"\xff\xfe garbage"],
    ids=["broken", "empty", "list", "string", "unterminated", "binary"],
)
def test_malformed_connection_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert_one_line_error(run("--connection-file", str(path)), str(path))


@pytest.mark.parametrize(
    "changes",
    [{"shell_port": None}, {"iopub_port": "five"}, {"hb_port": 70000}, {"transport": "carrier-pigeon"},
     {"curve_publickey": "too short", "curve_secretkey": "too short"}],
    ids=["missing-port", "port-not-a-number", "port-out-of-range", "unknown-transport", "bad-curve-key"],
)
def test_invalid_connection_fields(tmp_path: Path, changes: dict) -> None:
    assert_one_line_error(run("--connection-file", str(connection_file(tmp_path, **changes))))


def test_unknown_signature_scheme(tmp_path: Path) -> None:
    path = connection_file(tmp_path, signature_scheme="hmac-whirlpool-9000")
    assert_one_line_error(run("--connection-file", str(path)), "hmac-whirlpool-9000")


def test_port_in_use(tmp_path: Path) -> None:
    info = ConnectionInfo.fresh(tmp_path)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", info.ports["shell"]))
        taken.listen()
        path = info.write(tmp_path / "connection.json")
        assert_one_line_error(run("--connection-file", str(path)), str(info.ports["shell"]))


def test_no_arguments_at_all() -> None:
    """Run by hand without a connection file: say how Jupyter runs it, in one line."""
    assert_one_line_error(run(), "--connection-file")


def test_no_connection_file_argument() -> None:
    done = run("--connection-file")
    assert done.returncode != 0
    assert done.stderr.strip()


def test_version() -> None:
    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.strip() and any(c.isdigit() for c in done.stdout)


def test_help() -> None:
    done = run("--help")
    assert done.returncode == 0
    for word in ("--connection-file", "install"):
        assert word in done.stdout


def test_install_writes_the_kernelspec(tmp_path: Path) -> None:
    done = run("install", "--prefix", str(tmp_path))
    assert done.returncode == 0, done.stderr
    spec_dir = tmp_path / "share" / "jupyter" / "kernels" / "convnet"
    spec = json.loads((spec_dir / "kernel.json").read_text())
    assert spec["argv"][0] == str(KERNEL_BINARY), "kernel.json must name the binary by its absolute path"
    assert spec["argv"][1:] == ["--connection-file", "{connection_file}"]
    assert spec["language"] == "convnet"
    assert spec["display_name"]
    assert spec["interrupt_mode"] == "message"
    assert spec["kernel_protocol_version"] == "5.5"
    assert "curve" in spec["metadata"]["supported_encryption"]
    for logo, size in (("logo-32x32.png", 32), ("logo-64x64.png", 64)):
        data = (spec_dir / logo).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{logo} is not a PNG"
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == (size, size), f"{logo} is {width}x{height}"


def test_jupyter_lists_the_installed_kernelspec(tmp_path: Path) -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    assert run("install", "--prefix", str(tmp_path)).returncode == 0
    manager = KernelSpecManager(kernel_dirs=[str(tmp_path / "share" / "jupyter" / "kernels")])
    specs = manager.get_all_specs()
    assert "convnet" in specs
    assert specs["convnet"]["spec"]["language"] == "convnet"


def test_install_twice_overwrites(tmp_path: Path) -> None:
    assert run("install", "--prefix", str(tmp_path)).returncode == 0
    assert run("install", "--prefix", str(tmp_path)).returncode == 0
