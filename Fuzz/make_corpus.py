#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target into Fuzz/corpus/<target>/ (FUZZING.md).

- lexer-parser: every cell of the language's cell files, one file each.
- evaluator: the same cells, each followed by a 0 byte (the generator's choices come after it).
- wire: the messages the Python tests send (Tests/Python/wire.py's framing, signed with
  Python's hmac by the key the wire target uses) and their malformed ones
  (test_wire_robustness.GARBAGE): a flags byte, then the frames joined by 0xFF.
- connection-file: connection files as Tests/Python/connection.py writes them (tcp, ipc,
  CurveZMQ keys) and test_command_line.py's broken ones.

Rerun after changing the cell files or the tests' messages; libFuzzer adds the inputs it
finds to the same folders when `make fuzz` runs with FUZZ_MERGE=1.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "Tests" / "Python"))

import samples  # noqa: E402
from wire import DELIMITER, PROTOCOL_VERSION, Signer, pack  # noqa: E402

CORPUS = ROOT / "Fuzz" / "corpus"
# The key Fuzz/Targets/Sources/WireFuzzer signs with.
WIRE_KEY = "a0436f6c-1916-498b-8eb9-e81ab9368e84"
SIGNED, RESIGN = 1, 2


def write(target: str, name: str, data: bytes) -> None:
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(data).hexdigest()[:12]
    (folder / f"{name}-{digest}").write_bytes(data)


def cells() -> list[tuple[str, str]]:
    """(file stem, cell text) for every cell in Tests/ConvnetLanguageTests/Cells, split at #%% lines."""
    found = []
    for path in sorted((ROOT / "Tests" / "ConvnetLanguageTests" / "Cells").glob("*.cells")):
        current: list[str] = []
        for line in path.read_text().split("\n") + ["#%%"]:
            if line.startswith("#%%"):
                if any(l.strip() for l in current):
                    found.append((path.stem, "\n".join(current)))
                current = []
            else:
                current.append(line)
    return found


class FakeClient:
    """What test_wire_robustness.GARBAGE needs of wire.Client, without sockets."""

    def __init__(self) -> None:
        self.signer = Signer(WIRE_KEY)
        self.count = 0

    def header(self, msg_type) -> dict:
        self.count += 1
        return {
            "msg_id": f"{self.count:032x}", "session": "fuzz-corpus", "username": "test",
            "date": "2026-12-01T10:00:00.000000+00:00", "msg_type": msg_type, "version": PROTOCOL_VERSION,
        }

    def signed(self, parts: list[bytes]) -> list[bytes]:
        return [DELIMITER, self.signer.sign(parts), *parts]

    def frames(self, msg_type: str, content: dict | None = None, parent: dict | None = None) -> list[bytes]:
        return self.signed([pack(self.header(msg_type)), pack(parent or {}), pack({}), pack(content or {})])


def wire_messages(client: FakeClient) -> list[tuple[str, list[bytes]]]:
    parent = client.header("execute_request")
    codes = [v for k, v in vars(samples).items() if k.isupper() and isinstance(v, str)]
    messages = [(f"execute-{i}", client.frames("execute_request", {
        "code": code, "silent": False, "store_history": True, "user_expressions": {"x": "1 + 1"},
        "allow_stdin": True, "stop_on_error": True})) for i, code in enumerate(codes)]
    messages += [
        ("kernel-info", client.frames("kernel_info_request")),
        ("complete", client.frames("complete_request", {"code": "pri", "cursor_pos": 3})),
        ("inspect", client.frames("inspect_request", {"code": "conv(", "cursor_pos": 5, "detail_level": 1})),
        ("is-complete", client.frames("is_complete_request", {"code": "for i in range(3):"})),
        ("history", client.frames("history_request", {"hist_access_type": "tail", "n": 10, "output": False, "raw": True})),
        ("history-range", client.frames("history_request", {"hist_access_type": "range", "session": -1, "start": 1, "stop": 5})),
        ("history-search", client.frames("history_request", {"hist_access_type": "search", "pattern": "x*", "unique": True})),
        ("comm-info", client.frames("comm_info_request", {"target_name": "jupyter.widget"})),
        ("comm-open", client.frames("comm_open", {"comm_id": "c1", "target_name": "t", "data": {"a": [1, 2.5, None]}})),
        ("interrupt", client.frames("interrupt_request")),
        ("shutdown", client.frames("shutdown_request", {"restart": True})),
        ("input-reply", client.frames("input_reply", {"value": "héllo 👋"}, parent=parent)),
        ("unicode", client.frames("execute_request", {"code": 'print("é\\u00e9\\ud83d\\udc4b")'})),
        ("numbers", client.frames("execute_request", {"code": "1", "n": [0, -0.0, 1e300, 1.5e-300, 123456789012345678]})),
        ("buffers", client.frames("comm_msg", {"comm_id": "c1", "data": {}}) + [b"\x00\x01binary"]),
        ("identities", [b"client-1", b"\x00\x01"] + client.frames("kernel_info_request")),
    ]
    import test_wire_robustness  # noqa: E402  (its GARBAGE table: the tests' malformed messages)

    for case, make in test_wire_robustness.GARBAGE.items():
        frames = make(client)
        if sum(len(f) for f in frames) > 64 << 10:
            continue  # libFuzzer's inputs stay small; the huge cases are in the Python tests
        messages.append(("garbage-" + case.replace(" ", "-"), frames))
    messages.append(("deeply-nested", client.signed([pack(client.header("execute_request")), b"{}", b"{}", b"[" * 5000 + b"]" * 5000])))
    return messages


def connection_files() -> list[tuple[str, bytes]]:
    base = {
        "transport": "tcp", "ip": "127.0.0.1", "key": "a0436f6c1916498b8eb9e81ab9368e84",
        "signature_scheme": "hmac-sha256", "kernel_name": "convnet",
        "shell_port": 50001, "control_port": 50002, "stdin_port": 50003, "iopub_port": 50004, "hb_port": 50005,
    }
    curve = dict(base, curve_publickey="rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7",
                 curve_secretkey="JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6")
    files = [
        ("tcp", json.dumps(base, indent=2)),
        ("ipc", json.dumps(dict(base, transport="ipc", ip="/tmp/kernel-ipc", shell_port=1, control_port=2))),
        ("curve", json.dumps(curve)),
        ("ipv6", json.dumps(dict(base, ip="::1"))),
        ("any-port", json.dumps(dict(base, shell_port=0, ip="0.0.0.0"))),
        ("empty-key", json.dumps(dict(base, key=""))),
        ("minimal", json.dumps({k: base[k] for k in base if k.endswith("_port")})),
    ]
    broken = [b"{not json", b"", b"[1, 2]", b'"a string"', b'{"shell_port": 1', b"\xff\xfe garbage"]
    files += [(f"broken-{i}", b.decode("latin-1")) for i, b in enumerate(broken)]
    changes = [{"shell_port": None}, {"iopub_port": "five"}, {"hb_port": 70000}, {"transport": "carrier-pigeon"},
               {"curve_publickey": "too short", "curve_secretkey": "too short"}, {"signature_scheme": "hmac-md5"},
               {"hb_port": -1}, {"hb_port": 1.5}, {"curve_publickey": curve["curve_publickey"]}]
    for i, change in enumerate(changes):
        data = {k: v for k, v in dict(base, **change).items() if v is not None}
        files.append((f"invalid-{i}", json.dumps(data)))
    return [(name, text.encode("latin-1") if name.startswith("broken") else text.encode()) for name, text in files]


def main() -> None:
    for stem, cell in cells():
        write("lexer-parser", stem, cell.encode())
        write("evaluator", stem, cell.encode() + b"\x00")
    client = FakeClient()
    for name, frames in wire_messages(client):
        write("wire", name, bytes([SIGNED]) + b"\xff".join(frames))
    # The same first messages unsigned, and re-signed by the target.
    for name, frames in wire_messages(client)[:6]:
        write("wire", name + "-unsigned", bytes([0]) + b"\xff".join(frames))
        write("wire", name + "-resigned", bytes([SIGNED | RESIGN]) + b"\xff".join(frames))
    for name, data in connection_files():
        write("connection-file", name, data)
    for target in sorted(p.name for p in CORPUS.iterdir()):
        print(f"{target}: {len(list((CORPUS / target).iterdir()))} files")


if __name__ == "__main__":
    main()
