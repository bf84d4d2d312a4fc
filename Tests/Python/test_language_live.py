"""The convnet language through jupyter_client against the built kernel: live training
displays, interrupting training, and failed cells leaving the session as it was.

Uses the kernelspec that conftest.py installs for the binary under test, and trains on
Fashion-MNIST from Debian's dataset-fashion-mnist (installed by scripts/install-apt.sh).
"""

from __future__ import annotations

import time
from typing import Any, Iterator

import pytest
from jupyter_client.manager import KernelManager

NET_B = """net = sequential(28x28x1,
  conv(8, 5x5, pad: 2), relu(), maxpool(2x2),
  conv(16, 5x5, pad: 2), relu(), maxpool(2x2),
  conv(32, 3x3, pad: 1), relu(), maxpool(2x2),
  dense(64), relu(),
  dense(10), softmax())"""


@pytest.fixture
def kc() -> Iterator[Any]:
    km = KernelManager(kernel_name="convnet")
    km.start_kernel()
    client = km.client()
    client.start_channels()
    client.wait_for_ready(timeout=30)
    client.km = km
    yield client
    client.stop_channels()
    km.shutdown_kernel(now=True)


def run(kc: Any, code: str, timeout: float = 60) -> tuple[dict, list[dict]]:
    """Executes `code`; returns the reply and the cell's iopub messages up to idle."""
    msg_id = kc.execute(code)
    messages = []
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    reply = kc.get_shell_msg(timeout=timeout)
    assert reply["parent_header"]["msg_id"] == msg_id
    return reply, messages


def of_type(messages: list[dict], msg_type: str) -> list[dict]:
    return [m for m in messages if m["msg_type"] == msg_type]


def result_text(messages: list[dict]) -> str | None:
    results = of_type(messages, "execute_result")
    return results[0]["content"]["data"]["text/plain"] if results else None


def test_training_updates_one_display_in_place(kc: Any) -> None:
    reply, _ = run(kc, 'data = dataset("fashion-mnist")\n' + NET_B)
    assert reply["content"]["status"] == "ok"
    reply, messages = run(kc, "history = train(net, data.train[0:6000], epochs: 1, batch: 32)")
    assert reply["content"]["status"] == "ok", reply["content"]
    shown = of_type(messages, "display_data")
    updates = of_type(messages, "update_display_data")
    assert len(shown) == 1, [m["msg_type"] for m in messages]
    display_id = shown[0]["content"]["transient"]["display_id"]
    assert updates, "no update_display_data while training"
    assert {m["content"]["transient"]["display_id"] for m in updates} == {display_id}
    assert "done" in updates[-1]["content"]["data"]["text/plain"]
    # A train statement sends no execute_result, and nothing goes to stderr.
    assert result_text(messages) is None
    assert not [m for m in of_type(messages, "stream") if m["content"]["name"] == "stderr"]
    # The history it returned shows as a chart.
    reply, messages = run(kc, "history")
    assert "image/svg+xml" in of_type(messages, "execute_result")[0]["content"]["data"]


def test_interrupt_stops_training_fast_and_keeps_the_net(kc: Any) -> None:
    run(kc, 'data = dataset("fashion-mnist")\n' + NET_B)
    msg_id = kc.execute("train(net, data.train, epochs: 20, batch: 32)")
    # Wait until training has really started (its first display update).
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        msg = kc.get_iopub_msg(timeout=30)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "update_display_data":
            break
    else:
        pytest.fail("training never showed its progress: it did not start")
    interrupted_at = time.monotonic()
    kc.km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=10)
    elapsed = time.monotonic() - interrupted_at
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    assert "interrupted after" in reply["content"]["evalue"]
    # 20 epochs take minutes; batches of 32 take milliseconds. The bound is generous for a loaded
    # CI machine; bench/kernel measures the interrupt latency itself.
    assert elapsed < 2.0, f"the cell ended {elapsed * 1000:.0f} ms after the interrupt"
    print(f"interrupt to error reply: {elapsed * 1000:.1f} ms")
    # As a front end does, wait for the cell's idle before the next request.
    while True:
        msg = kc.get_iopub_msg(timeout=10)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status" \
                and msg["content"]["execution_state"] == "idle":
            break
    # The net is still there, with the weights it learned: better than chance.
    reply, messages = run(kc, "evaluate(net, data.test[0:1000]).accuracy > 0.2")
    assert reply["content"]["status"] == "ok", reply["content"]
    assert result_text(messages) == "true"


def test_failed_cell_leaves_variables_untouched(kc: Any) -> None:
    run(kc, "x = 1\nsize = 24x24x8")
    reply, messages = run(kc, "x = 2\nsize = 5x5\ny = undefined_name")
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "NameError"
    errors = of_type(messages, "error")
    assert errors and any("^" in line for line in errors[0]["content"]["traceback"])
    _, messages = run(kc, "[x, size]")
    assert result_text(messages) == "[1, 24x24x8]"
    reply, _ = run(kc, "y")
    assert reply["content"]["status"] == "error"


def test_statements_send_no_result_and_check_fails_the_cell(kc: Any) -> None:
    _, messages = run(kc, 'check(shape(conv(8, 5x5), 28x28x1) == 24x24x8, "24x24x8")')
    assert result_text(messages) is None
    assert not of_type(messages, "stream")
    reply, messages = run(kc, 'check(1 == 2, "one is not two")')
    assert reply["content"]["status"] == "error"
    assert of_type(messages, "error")[0]["content"]["evalue"] == "one is not two"
    _, messages = run(kc, "shape(maxpool(2x2), 24x24x8)")
    assert result_text(messages) == "12x12x8"


def test_deep_nesting_is_an_error_not_a_crash(kc: Any) -> None:
    for code in ["(" * 99 + "1" + ")" * 99, "[" * 99 + "1" + "]" * 99, "-" * 99 + "1"]:
        reply, _ = run(kc, code)
        assert reply["content"]["status"] == "ok", (code[:10], reply["content"])
    for code in ["(" * 100_000 + "1" + ")" * 100_000, "x" + ".y" * 100_000, "1" + " + 1" * 100_000,
                 "x = []\nfor i in range(100000):\n    x = [x]"]:
        reply, _ = run(kc, code)
        assert reply["content"]["ename"] == "RecursionError", (code[:10], reply["content"])
    reply, messages = run(kc, "1 + 1")
    assert result_text(messages) == "2"


def test_run_command_runs_a_script_outside_jupyter(tmp_path) -> None:
    import subprocess
    from harness import KERNEL_BINARY

    script = tmp_path / "demo.convnet"
    script.write_text('x = 6 * 7\nprint("x is", x)\n#%%\nkernel([[1, 0], [0, 1]])\n#%%\nshape(conv(8, 5x5), 28x28x1)\n')
    done = subprocess.run([str(KERNEL_BINARY), "run", str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0] == "x is 42"
    assert lines[1] == "kernel 2x2x1"
    assert lines[-1] == "24x24x8"
    pictures = list((tmp_path / "demo-outputs").glob("*.png"))
    assert len(pictures) == 1 and pictures[0].read_bytes()[:4] == b"\x89PNG"
    # An error stops the script with status 1 and the traceback on stderr.
    script.write_text("y = 1\nz = y / 0\nprint(z)\n")
    done = subprocess.run([str(KERNEL_BINARY), "run", str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "ZeroDivisionError: division by zero" in done.stderr and "^" in done.stderr
