"""Abuse on the wire: bad signatures, replays, garbage frames, huge and pipelined requests.

After each abuse the kernel must still be alive, echo heartbeats and answer
kernel_info on shell and control (RunningKernel.assert_serving).
"""

from __future__ import annotations

import pytest

import samples
from harness import RunningKernel
from connection import ConnectionInfo
from wire import DELIMITER, Client, is_busy, is_idle, outputs, pack, result_text, stdout_text, summary

# How long we wait to be sure a message was dropped rather than slow to answer.
SILENCE = 1.0


def expect_no_reply(client: Client, msg_id: str, channel: str = "shell") -> None:
    reply = client.reply(msg_id, channel, timeout=SILENCE)
    assert reply is None, f"the kernel answered a message it should have dropped: {reply['msg_type']}"
    # Not even a busy status: the message never reached a handler.
    assert not [m for m in client.drain_iopub(0.1) if m["parent_id"] == msg_id]


def test_wrong_signature_is_dropped(kernel: RunningKernel) -> None:
    client = kernel.client
    header, frames = client.frames("execute_request", {"code": samples.HELLO_WORLD, "silent": False})
    frames[1] = b"0" * 64
    client.send_frames("shell", frames)
    expect_no_reply(client, header["msg_id"])
    assert client.heartbeat(), "heartbeat stopped after a wrong signature"
    kernel.assert_serving()


def test_missing_signature_is_dropped(kernel: RunningKernel) -> None:
    client = kernel.client
    header, frames = client.frames("kernel_info_request")
    frames[1] = b""
    client.send_frames("shell", frames)
    expect_no_reply(client, header["msg_id"])
    kernel.assert_serving()


def test_message_signed_with_another_key_is_dropped(kernel: RunningKernel) -> None:
    intruder = kernel.new_client(key="not-the-key")
    intruder.send("shell", "kernel_info_request")
    assert intruder.sockets["shell"].poll(int(SILENCE * 1000)) == 0, "a message signed with the wrong key was answered"
    kernel.assert_serving()


def test_signature_of_another_message_is_dropped(kernel: RunningKernel) -> None:
    """A valid signature copied onto different content must not verify."""
    client = kernel.client
    _, original = client.frames("kernel_info_request")
    header, tampered = client.frames("execute_request", {"code": samples.HELLO_WORLD})
    tampered[1] = original[1]
    client.send_frames("shell", tampered)
    expect_no_reply(client, header["msg_id"])
    kernel.assert_serving()


def test_replayed_message_is_dropped(kernel: RunningKernel) -> None:
    client = kernel.client
    header, frames = client.frames("execute_request", {"code": samples.print_line("once"), "silent": False})
    client.send_frames("shell", frames)
    first = client.reply(header["msg_id"], timeout=10)
    assert first is not None and first["content"]["status"] == "ok"
    client.iopub_until_idle(header["msg_id"])

    client.send_frames("shell", frames)  # the same bytes, signature included
    expect_no_reply(client, header["msg_id"])
    assert client.heartbeat(), "heartbeat stopped after a replay"
    kernel.assert_serving()
    # A new, correctly signed request is still served.
    reply, iopub = client.execute(samples.print_line("twice"))
    assert reply["content"]["status"] == "ok"
    assert "twice" in stdout_text(iopub)


def test_replay_on_control_is_dropped(kernel: RunningKernel) -> None:
    client = kernel.client
    header, frames = client.frames("kernel_info_request")
    client.send_frames("control", frames)
    assert client.reply(header["msg_id"], "control") is not None
    client.send_frames("control", frames)
    assert client.reply(header["msg_id"], "control", timeout=SILENCE) is None
    kernel.assert_serving()


GARBAGE = {
    "non-JSON header": lambda c: c.signed([b"not json", b"{}", b"{}", b"{}"]),
    "non-JSON content": lambda c: c.signed([pack(c.header("execute_request")), b"{}", b"{}", b"{\"code\": "]),
    "invalid UTF-8": lambda c: c.signed([b"\xff\xfe\xfd", b"{}", b"{}", b"{}"]),
    "header is a list": lambda c: c.signed([b"[1, 2, 3]", b"{}", b"{}", b"{}"]),
    "header is null": lambda c: c.signed([b"null", b"{}", b"{}", b"{}"]),
    "content is a string": lambda c: c.signed([pack(c.header("execute_request")), b"{}", b"{}", b'"1 + 1"']),
    "parent_header is a number": lambda c: c.signed([pack(c.header("kernel_info_request")), b"7", b"{}", b"{}"]),
    "too few parts": lambda c: [DELIMITER, b"", b"{}", b"{}"],
    "no delimiter": lambda c: [b"just", b"some", b"frames"],
    "delimiter only": lambda c: [DELIMITER],
    "empty frame": lambda c: [b""],
    "huge garbage frame": lambda c: [b"\x00" * (1 << 20)],
    "header fields missing": lambda c: c.signed([pack({"msg_type": "kernel_info_request"}), b"{}", b"{}", b"{}"]),
    "header without msg_type": lambda c: c.signed(
        [pack({k: v for k, v in c.header("kernel_info_request").items() if k != "msg_type"}), b"{}", b"{}", b"{}"]
    ),
    "header without msg_id": lambda c: c.signed(
        [pack({k: v for k, v in c.header("execute_request").items() if k != "msg_id"}), b"{}", b"{}", pack({"code": "1"})]
    ),
    "msg_type is a number": lambda c: c.signed([pack(c.header(42)), b"{}", b"{}", b"{}"]),
    "execute without code": lambda c: c.signed([pack(c.header("execute_request")), b"{}", b"{}", b"{}"]),
    "code is a number": lambda c: c.signed([pack(c.header("execute_request")), b"{}", b"{}", pack({"code": 12})]),
    "complete without cursor": lambda c: c.signed([pack(c.header("complete_request")), b"{}", b"{}", pack({"code": "pr"})]),
    "cursor out of range": lambda c: c.signed(
        [pack(c.header("complete_request")), b"{}", b"{}", pack({"code": "pr", "cursor_pos": 10_000})]
    ),
    "negative cursor": lambda c: c.signed(
        [pack(c.header("inspect_request")), b"{}", b"{}", pack({"code": "print", "cursor_pos": -5, "detail_level": 0})]
    ),
    "history with wrong types": lambda c: c.signed(
        [pack(c.header("history_request")), b"{}", b"{}", pack({"hist_access_type": "tail", "n": "lots"})]
    ),
    "deeply nested JSON": lambda c: c.signed([pack(c.header("execute_request")), b"{}", b"{}", b"[" * 100_000 + b"]" * 100_000]),
}


@pytest.mark.parametrize("channel", ["shell", "control"])
@pytest.mark.parametrize("case", list(GARBAGE))
def test_malformed_message_does_not_crash(kernel: RunningKernel, case: str, channel: str) -> None:
    kernel.client.send_frames(channel, GARBAGE[case](kernel.client))
    kernel.assert_serving()


def test_garbage_on_stdin_and_heartbeat_does_not_crash(kernel: RunningKernel) -> None:
    client = kernel.client
    client.send_frames("stdin", [DELIMITER, b"", b"nonsense"])
    client.send_frames("stdin", client.frames("input_reply", {"value": "unasked"})[1])
    assert client.heartbeat()
    kernel.assert_serving()


def test_unknown_msg_type_gets_busy_and_idle(kernel: RunningKernel) -> None:
    client = kernel.client
    msg_id = client.send("shell", "frobnicate_request", {"level": 11})
    iopub = client.iopub_until_idle(msg_id)
    assert is_busy(iopub[0]) and is_idle(iopub[-1]), summary(iopub)
    # Whatever the kernel answers (nothing, or an error reply), it is not a success.
    reply = client.reply(msg_id, timeout=0.3)
    if reply is not None:
        assert reply["content"].get("status") != "ok"
    kernel.assert_serving()


def test_unknown_msg_type_on_control(kernel: RunningKernel) -> None:
    msg_id = kernel.client.send("control", "frobnicate_request")
    iopub = kernel.client.iopub_until_idle(msg_id)
    assert is_busy(iopub[0]) and is_idle(iopub[-1]), summary(iopub)
    kernel.assert_serving()


def test_five_megabyte_execute_request(kernel: RunningKernel) -> None:
    code = samples.big_comment(5 * 1024 * 1024) + "\n" + samples.ARITHMETIC
    reply, iopub = kernel.client.execute(code, timeout=60)
    assert reply["content"]["status"] == "ok", reply["content"]
    assert result_text(iopub) == samples.ARITHMETIC_RESULT
    echoed = outputs(iopub, "execute_input")
    assert echoed and len(echoed[0]["content"]["code"]) == len(code)
    kernel.assert_serving()


def test_deeply_nested_parentheses_do_not_crash(kernel: RunningKernel) -> None:
    """A parser that recurses without a limit overflows its stack on this: it must fail cleanly."""
    depth = 100_000
    reply, iopub = kernel.client.execute("(" * depth + "1" + ")" * depth, timeout=20)
    assert reply["content"]["status"] == "error", "100,000 nested parentheses should be refused, not evaluated"
    kernel.assert_serving()


def test_two_hundred_pipelined_requests(kernel: RunningKernel) -> None:
    client = kernel.client
    count = 200
    msg_ids = [client.send("shell", "execute_request", {"code": f"{i} + 1", "silent": False,
                                                          "store_history": True, "user_expressions": {},
                                                          "allow_stdin": False, "stop_on_error": True})
               for i in range(count)]
    replies = [client.next("shell", timeout=30) for _ in range(count)]
    assert all(r is not None for r in replies), "fewer than 200 replies"
    assert [r["parent_id"] for r in replies] == msg_ids, "replies out of order"
    assert all(r["content"]["status"] == "ok" for r in replies)

    for i, msg_id in enumerate(msg_ids):
        iopub = client.iopub_until_idle(msg_id, timeout=30)
        assert is_busy(iopub[0]), f"request {i}: first message {summary(iopub)[0]}"
        assert result_text(iopub) == str(i + 1)
    # Each request is bracketed: its busy comes after the previous request's idle.
    statuses = [(m["parent_id"], m["content"]["execution_state"]) for m in client.iopub_log
                if m["msg_type"] == "status" and m["parent_id"] in set(msg_ids)]
    expected = [(msg_id, state) for msg_id in msg_ids for state in ("busy", "idle")]
    assert statuses == expected
    # Every output of a request lies between its own busy and idle.
    current = None
    for m in client.iopub_log:
        if m["parent_id"] not in set(msg_ids):
            continue
        if is_busy(m):
            current = m["parent_id"]
        assert m["parent_id"] == current, f"{m['msg_type']} of another request inside a busy/idle bracket"
        if is_idle(m):
            current = None
    kernel.assert_serving()


def test_every_reply_is_signed_and_parented(kernel: RunningKernel) -> None:
    """Replies carry the request as parent_header, the routing identity, and a fresh msg_id."""
    client = kernel.client
    msg_id = client.send("shell", "kernel_info_request")
    reply = client.reply(msg_id)
    assert reply is not None
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["parent_header"]["session"] == client.session
    assert reply["header"]["msg_id"] != msg_id
    assert reply["header"]["session"] != client.session
    assert reply["header"]["version"] == "5.5"
    assert "T" in reply["header"]["date"], "header date is not ISO 8601"
    iopub = client.iopub_until_idle(msg_id)
    ids = {reply["header"]["msg_id"]} | {m["header"]["msg_id"] for m in iopub}
    assert len(ids) == 1 + len(iopub), "msg_ids are not unique"
    kernel.assert_serving()


def test_empty_key_means_no_signing(start_kernel, tmp_path) -> None:

    kernel = start_kernel(ConnectionInfo.fresh(tmp_path, key=""))
    header, frames = kernel.client.frames("kernel_info_request")
    assert frames[1] == b""
    kernel.client.send_frames("shell", frames)
    reply = kernel.client.reply(header["msg_id"])
    assert reply is not None and reply["msg_type"] == "kernel_info_reply"
    kernel.assert_serving()


def test_ipc_transport(start_kernel, tmp_path) -> None:

    kernel = start_kernel(ConnectionInfo.fresh(tmp_path, transport="ipc"))
    reply, iopub = kernel.client.execute(samples.ARITHMETIC)
    assert reply["content"]["status"] == "ok"
    assert result_text(iopub) == samples.ARITHMETIC_RESULT
    kernel.assert_serving()


def test_unicode_survives_the_round_trip(kernel: RunningKernel) -> None:
    """Non-ASCII text goes in and comes back unchanged (UTF-8 JSON both ways)."""
    reply, iopub = kernel.client.execute(samples.print_line("é ✓ 卷积 🧠"))
    assert reply["content"]["status"] == "ok"
    assert "é ✓ 卷积 🧠" in stdout_text(iopub)


def test_dropped_messages_are_logged(kernel: RunningKernel) -> None:
    """A forged or replayed message leaves a trace on stderr (warnings are on by default)."""
    client = kernel.client
    before = kernel.process.stderr()
    header, frames = client.frames("kernel_info_request")
    frames[1] = b"f" * 64
    client.send_frames("shell", frames)
    expect_no_reply(client, header["msg_id"])
    logged = kernel.process.stderr()[len(before):]
    assert "signature" in logged.lower(), f"nothing about the bad signature on stderr: {logged!r}"


def test_debug_log_level_is_chosen_by_environment(start_kernel, tmp_path) -> None:
    import os

    quiet = start_kernel()
    quiet.client.execute(samples.ARITHMETIC)
    verbose = start_kernel(env={**os.environ, "CONVNET_KERNEL_LOG": "debug"})
    verbose.client.execute(samples.ARITHMETIC)
    assert len(verbose.process.stderr()) > len(quiet.process.stderr()), "CONVNET_KERNEL_LOG=debug logs nothing more"
