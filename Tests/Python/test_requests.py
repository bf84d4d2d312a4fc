"""The other requests: kernel_info, comms, history, completion, inspection, stdin, iopub welcome."""

from __future__ import annotations

import uuid


import samples
from connection import default_kernel_env
from harness import RunningKernel
from wire import Client, execute_content, is_busy, is_idle, outputs, stdout_text, summary


def test_kernel_info_content(kernel: RunningKernel) -> None:
    for channel in ("shell", "control"):
        reply = kernel.client.kernel_info(channel)
        assert reply is not None
        content = reply["content"]
        assert content["status"] == "ok"
        assert content["protocol_version"] == "5.5"
        assert content["implementation"] and content["implementation_version"]
        info = content["language_info"]
        assert info["name"] == samples.LANGUAGE_NAME
        assert info["file_extension"] == samples.FILE_EXTENSION
        for key in ("version", "mimetype", "pygments_lexer", "codemirror_mode"):
            assert key in info, f"language_info lacks {key}"
        assert isinstance(content["banner"], str) and content["banner"]
        assert isinstance(content["help_links"], list)
        for link in content["help_links"]:
            assert set(link) >= {"text", "url"}


def test_comm_info_is_empty(kernel: RunningKernel) -> None:
    reply, iopub = kernel.client.request("shell", "comm_info_request", {})
    assert reply is not None and reply["msg_type"] == "comm_info_reply"
    assert reply["content"]["status"] == "ok"
    assert reply["content"]["comms"] == {}
    reply, _ = kernel.client.request("shell", "comm_info_request", {"target_name": "jupyter.widget"})
    assert reply["content"]["comms"] == {}


def test_comm_open_for_unknown_target_is_closed(kernel: RunningKernel) -> None:
    comm_id = uuid.uuid4().hex
    msg_id = kernel.client.send("shell", "comm_open", {"comm_id": comm_id, "target_name": "no.such.target", "data": {}})
    iopub = kernel.client.iopub_until_idle(msg_id)
    closes = outputs(iopub, "comm_close")
    assert closes, f"no comm_close for an unknown target: {summary(iopub)}"
    assert closes[0]["content"]["comm_id"] == comm_id
    # comm_msg and comm_close for comms that do not exist are ignored without harm.
    # (They have no reply; each is still bracketed by busy and idle.)
    for msg_type in ("comm_msg", "comm_close"):
        msg_id = kernel.client.send("shell", msg_type, {"comm_id": comm_id, "data": {"x": 1}})
        iopub = kernel.client.iopub_until_idle(msg_id)
        assert is_busy(iopub[0]) and is_idle(iopub[-1]), summary(iopub)
    kernel.assert_serving()


def run_cells(client: Client, codes: list[str]) -> list[int]:
    counts = []
    for code in codes:
        reply, _ = client.execute(code)
        counts.append(reply["content"]["execution_count"])
    return counts


HISTORY_CELLS = ["1 + 1", "2 * 3", "# a note", samples.print_line("history"), "2 * 5"]


def test_history_tail(kernel: RunningKernel) -> None:
    client = kernel.client
    counts = run_cells(client, HISTORY_CELLS)
    reply, _ = client.request("shell", "history_request",
                              {"output": False, "raw": True, "hist_access_type": "tail", "n": 3})
    assert reply["content"]["status"] == "ok"
    history = reply["content"]["history"]
    assert [entry[2] for entry in history] == HISTORY_CELLS[-3:]
    assert [entry[1] for entry in history] == counts[-3:]


def test_history_range(kernel: RunningKernel) -> None:
    client = kernel.client
    counts = run_cells(client, HISTORY_CELLS)
    tail, _ = client.request("shell", "history_request",
                             {"output": False, "raw": True, "hist_access_type": "tail", "n": 1})
    session = tail["content"]["history"][0][0]
    reply, _ = client.request("shell", "history_request",
                              {"output": False, "raw": True, "hist_access_type": "range",
                               "session": session, "start": counts[1], "stop": counts[3]})
    history = reply["content"]["history"]
    # range's stop is exclusive, as in IPython's history manager.
    assert [(entry[1], entry[2]) for entry in history] == list(zip(counts[1:3], HISTORY_CELLS[1:3]))


def test_history_search(kernel: RunningKernel) -> None:
    client = kernel.client
    run_cells(client, HISTORY_CELLS)
    reply, _ = client.request("shell", "history_request",
                              {"output": False, "raw": True, "hist_access_type": "search",
                               "pattern": "2 *", "n": 10})
    found = [entry[2] for entry in reply["content"]["history"]]
    assert found == ["2 * 3", "2 * 5"]
    reply, _ = client.request("shell", "history_request",
                              {"output": False, "raw": True, "hist_access_type": "search",
                               "pattern": "no such cell*", "n": 10})
    assert reply["content"]["history"] == []


def test_history_with_output(kernel: RunningKernel) -> None:
    client = kernel.client
    run_cells(client, ["6 * 7"])
    reply, _ = client.request("shell", "history_request",
                              {"output": True, "raw": True, "hist_access_type": "tail", "n": 1})
    (entry,) = reply["content"]["history"]
    assert entry[2][0] == "6 * 7"
    # ipykernel sends [input, output] pairs; the output is the result's text or null.
    assert entry[2][1] in ("42", None)


def test_complete(kernel: RunningKernel) -> None:
    for sample in samples.COMPLETION_SAMPLES:
        text = sample["text"]
        reply, iopub = kernel.client.request("shell", "complete_request", {"code": text, "cursor_pos": len(text)})
        content = reply["content"]
        assert content["status"] == "ok"
        assert sample["matches"] <= set(content["matches"])
        assert content["cursor_end"] == len(text)
        assert 0 <= content["cursor_start"] <= content["cursor_end"]
        assert is_busy(iopub[0]) and is_idle(iopub[-1])


def test_complete_counts_code_points(kernel: RunningKernel) -> None:
    """cursor_pos counts Unicode code points (messaging.rst, "Notes"), not UTF-16 units or bytes."""
    text = '# 卷积 🧠\n' + samples.COMPLETION_SAMPLES[0]["text"]
    reply, _ = kernel.client.request("shell", "complete_request", {"code": text, "cursor_pos": len(text)})
    content = reply["content"]
    assert samples.COMPLETION_SAMPLES[0]["matches"] <= set(content["matches"])
    assert content["cursor_end"] == len(text)
    assert content["cursor_start"] == len(text) - len(samples.COMPLETION_SAMPLES[0]["text"])


def test_inspect(kernel: RunningKernel) -> None:
    code = samples.INSPECT
    reply, _ = kernel.client.request("shell", "inspect_request",
                                     {"code": code, "cursor_pos": len(code), "detail_level": 0})
    content = reply["content"]
    assert content["status"] == "ok"
    assert content["found"] is True
    assert content["data"]["text/plain"]
    reply, _ = kernel.client.request("shell", "inspect_request",
                                     {"code": "nothing_here_at_all", "cursor_pos": 5, "detail_level": 0})
    assert reply["content"]["status"] == "ok"
    assert reply["content"]["found"] is False


def test_is_complete(kernel: RunningKernel) -> None:
    def status(code: str) -> dict:
        reply, _ = kernel.client.request("shell", "is_complete_request", {"code": code})
        return reply["content"]

    for code in samples.COMPLETE_CODE:
        assert status(code)["status"] == "complete", code
    for code in samples.INCOMPLETE_CODE:
        content = status(code)
        assert content["status"] == "incomplete", code
        assert isinstance(content.get("indent"), str), "incomplete needs an indent"
    for code in samples.INVALID_CODE:
        assert status(code)["status"] == "invalid", code


def test_input_request_over_stdin(kernel: RunningKernel) -> None:
    client = kernel.client
    cell = client.send("shell", "execute_request", execute_content(samples.INPUT, allow_stdin=True))
    request = client.next("stdin", timeout=10)
    assert request is not None and request["msg_type"] == "input_request"
    assert request["parent_id"] == cell
    assert request["content"]["password"] is False
    assert request["content"]["prompt"] == samples.INPUT_PROMPT
    client.send("stdin", "input_reply", {"value": "typed by a test"}, parent=request["header"])
    reply = client.reply(cell)
    assert reply["content"]["status"] == "ok"
    iopub = client.iopub_until_idle(cell)
    assert "typed by a test" in stdout_text(iopub)


def test_input_without_allow_stdin_is_an_error(kernel: RunningKernel) -> None:
    reply, _ = kernel.client.execute(samples.INPUT, allow_stdin=False)
    assert reply["content"]["status"] == "error"
    kernel.assert_serving()


def test_input_request_interrupted(kernel: RunningKernel) -> None:
    """An interrupt while the kernel waits for input ends the cell; the kernel keeps serving."""
    client = kernel.client
    cell = client.send("shell", "execute_request", execute_content(samples.INPUT, allow_stdin=True))
    assert client.next("stdin", timeout=10) is not None
    client.request("control", "interrupt_request")
    reply = client.reply(cell, timeout=5)
    assert reply is not None and reply["content"]["status"] == "error"
    kernel.assert_serving()


def test_iopub_welcome_for_each_new_subscriber(kernel: RunningKernel) -> None:
    """Protocol 5.5: an XPUB iopub sends iopub_welcome to each subscriber as it subscribes.

    A second subscriber to the same topic reaches the kernel only if its XPUB sets
    ZMQ_XPUB_VERBOSE; without it libzmq passes on the first subscription alone.
    """
    assert any(m["msg_type"] == "iopub_welcome" for m in kernel.client.iopub_log), "the first client got no welcome"
    late = kernel.new_client()
    welcome = late.next("iopub", timeout=5)
    assert welcome is not None, "a new subscriber got no iopub_welcome"
    assert welcome["msg_type"] == "iopub_welcome"
    assert welcome["content"]["subscription"] == ""
    assert welcome["parent_header"] == {}
    # And the late subscriber then sees the traffic of other clients' requests.
    msg_id = kernel.client.send("shell", "kernel_info_request")
    seen = late.iopub_until_idle(msg_id)
    assert is_busy(seen[0]) and is_idle(seen[-1])


def test_status_starting_once_and_first(start_kernel) -> None:
    """status: starting goes out once, when the kernel comes up, before any request is handled.

    A subscriber may connect too late to see it (zmq drops what is published before a
    subscription arrives), so the kernel's debug log says what was sent; what iopub did
    deliver must agree: at most one starting, and before every other status.
    """
    kernel = start_kernel(env={**default_kernel_env(), "CONVNET_KERNEL_LOG": "debug"})
    client = kernel.client
    for _ in range(3):
        client.execute(samples.ARITHMETIC)
    client.request("control", "interrupt_request")
    client.drain_iopub(0.2)
    log = kernel.process.stderr().splitlines()
    sent = [i for i, line in enumerate(log) if "iopub: status starting" in line]
    assert len(sent) == 1, f"status starting was published {len(sent)} times:\n" + "\n".join(log)
    handled = [i for i, line in enumerate(log) if "shell: " in line or "control: " in line]
    assert handled, "the debug log shows no request handled:\n" + "\n".join(log)
    assert sent[0] < handled[0], "status starting was published after a request was handled:\n" + "\n".join(log)
    states = [m["content"]["execution_state"] for m in client.iopub_log if m["msg_type"] == "status"]
    assert states.count("starting") <= 1, states
    if "starting" in states:
        assert states[0] == "starting", states