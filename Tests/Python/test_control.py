"""The control channel and signals: interrupt, shutdown, kernel_info while a cell runs."""

from __future__ import annotations

import os
import signal
import statistics
import time

import pytest

import samples
from harness import RunningKernel
from wire import execute_content, is_busy, is_idle, outputs, result_text, stdout_text, summary

# An interrupted `sleep(30)` must end long before its 30 s: we time from sending the
# interrupt to its execute_reply, three times. The bound is about 100x the measured
# median (a few ms), so a loaded 2-core CI machine passes; the 100 ms target itself is
# measured against ipykernel by bench/kernel ("interrupt to reply", BENCHMARKS.md).
INTERRUPT_BOUND = 1.0
TRIALS = 3


def start_long_cell(kernel: RunningKernel, stop_on_error: bool = True) -> str:
    """Starts `sleep(30)` and returns once the kernel is running it."""
    client = kernel.client
    msg_id = client.send("shell", "execute_request", execute_content(samples.LONG_SLEEP, stop_on_error=stop_on_error))
    if client.wait_iopub(msg_id, "execute_input", timeout=10) is None:
        pytest.fail("the long cell never started")
    time.sleep(0.05)  # let the cell get into its sleep
    return msg_id


def interrupt_and_time(kernel: RunningKernel, how: str) -> float:
    client = kernel.client
    cell = start_long_cell(kernel)
    started = time.monotonic()
    if how == "message":
        interrupt = client.send("control", "interrupt_request")
    else:
        os.kill(kernel.process.pid, signal.SIGINT)
    reply = client.reply(cell, timeout=10)
    elapsed = time.monotonic() - started
    assert reply is not None, "the interrupted cell never replied"
    assert reply["content"]["status"] == "error", reply["content"]
    iopub = client.iopub_until_idle(cell)
    assert outputs(iopub, "error"), f"no error output for the interrupted cell: {summary(iopub)}"
    if how == "message":
        interrupt_reply = client.reply(interrupt, "control", timeout=5)
        assert interrupt_reply is not None and interrupt_reply["msg_type"] == "interrupt_reply"
        assert interrupt_reply["content"]["status"] == "ok"
    # The next cell runs normally.
    after, after_iopub = client.execute(samples.ARITHMETIC)
    assert after["content"]["status"] == "ok"
    assert result_text(after_iopub) == samples.ARITHMETIC_RESULT
    return elapsed


@pytest.mark.parametrize("how", ["message", "sigint"])
def test_interrupt_ends_the_running_cell_quickly(kernel: RunningKernel, how: str) -> None:
    times = [interrupt_and_time(kernel, how) for _ in range(TRIALS)]
    assert statistics.median(times) < INTERRUPT_BOUND, f"interrupt took {[round(t * 1000) for t in times]} ms"
    kernel.assert_serving()


def test_interrupt_when_idle_is_harmless(kernel: RunningKernel) -> None:
    client = kernel.client
    reply, _ = client.request("control", "interrupt_request")
    assert reply is not None and reply["content"]["status"] == "ok"
    os.kill(kernel.process.pid, signal.SIGINT)
    time.sleep(0.1)
    after, iopub = client.execute(samples.ARITHMETIC)
    assert after["content"]["status"] == "ok", "an interrupt sent while idle leaked into the next cell"
    kernel.assert_serving()


def test_interrupt_reaches_only_the_running_cell(kernel: RunningKernel) -> None:
    """An interrupted cell sent with stop_on_error false ends alone: the cell queued behind it runs."""
    client = kernel.client
    cell = start_long_cell(kernel, stop_on_error=False)
    queued = client.send("shell", "execute_request", execute_content(samples.print_line("queued")))
    client.send("control", "interrupt_request")
    assert client.reply(cell)["content"]["status"] == "error"
    reply = client.reply(queued)
    assert reply is not None, "the queued cell got no reply"
    assert reply["content"]["status"] == "ok", f"the queued cell did not run: {reply['content']}"
    assert "queued" in stdout_text(client.iopub_until_idle(queued)), "the queued cell ran but printed nothing"
    kernel.assert_serving()


def test_interrupt_with_stop_on_error_aborts_the_queue(kernel: RunningKernel) -> None:
    """As ipykernel does: an interrupted cell is an error, and with stop_on_error (the default)
    the execute requests queued behind it are aborted; the next one sent afterwards runs."""
    client = kernel.client
    cell = start_long_cell(kernel, stop_on_error=True)
    queued = client.send("shell", "execute_request", execute_content(samples.print_line("queued")))
    client.send("control", "interrupt_request")
    assert client.reply(cell)["content"]["status"] == "error"
    reply = client.reply(queued)
    assert reply is not None, "the queued cell got no reply"
    assert reply["content"]["status"] == "aborted", f"the queued cell was not aborted: {reply['content']}"
    assert "queued" not in stdout_text(client.iopub_until_idle(queued)), "an aborted cell printed"
    after, iopub = client.execute(samples.print_line("after"))
    assert after["content"]["status"] == "ok" and "after" in stdout_text(iopub)
    kernel.assert_serving()


def test_kernel_info_on_control_while_a_cell_runs(kernel: RunningKernel) -> None:
    client = kernel.client
    cell = start_long_cell(kernel)
    info = client.send("control", "kernel_info_request")
    # The cell sleeps 30 s: a reply within 10 s cannot have waited for it (measured: a few ms).
    reply = client.reply(info, "control", timeout=10)
    assert reply is not None, "kernel_info on control was not answered while a cell ran"
    assert reply["content"]["protocol_version"] == "5.5"
    # The control request is bracketed by its own busy/idle, parented to it.
    iopub = client.iopub_until_idle(info)
    assert is_busy(iopub[0]) and is_idle(iopub[-1])
    client.send("control", "interrupt_request")
    assert client.reply(cell, timeout=10)["content"]["status"] == "error", "the long cell ended on its own"
    kernel.assert_serving()


def test_heartbeat_answers_while_a_cell_runs(kernel: RunningKernel) -> None:
    client = kernel.client
    cell = start_long_cell(kernel)
    # The cell sleeps 30 s: an echo within 5 s did not wait for it (measured: under a ms).
    assert client.heartbeat(5), "heartbeat blocked by a running cell"
    client.send("control", "interrupt_request")
    assert client.reply(cell)["content"]["status"] == "error", "the long cell ended on its own"


@pytest.mark.parametrize("restart", [False, True])
def test_shutdown_request_replies_then_exits(kernel: RunningKernel, restart: bool) -> None:
    kernel.expect_exit = True
    client = kernel.client
    msg_id = client.send("control", "shutdown_request", {"restart": restart})
    reply = client.reply(msg_id, "control", timeout=5)
    assert reply is not None, "no shutdown_reply"
    assert reply["msg_type"] == "shutdown_reply"
    assert reply["content"]["restart"] is restart
    assert reply["content"]["status"] == "ok"
    # Measured: under 0.1 s; the bound only tells an exit from a hang, on a loaded CI machine.
    status = kernel.process.wait(timeout=10)
    assert status == 0, f"the kernel did not exit 0 within 10 s after shutdown (status {status})"


def test_shutdown_while_a_cell_runs(kernel: RunningKernel) -> None:
    kernel.expect_exit = True
    client = kernel.client
    start_long_cell(kernel)
    msg_id = client.send("control", "shutdown_request", {"restart": False})
    assert client.reply(msg_id, "control", timeout=5) is not None
    assert kernel.process.wait(timeout=10) == 0


def test_shutdown_on_shell_is_answered(kernel: RunningKernel) -> None:
    """Old clients send shutdown on shell; ipykernel honours it there too."""
    kernel.expect_exit = True
    msg_id = kernel.client.send("shell", "shutdown_request", {"restart": False})
    reply = kernel.client.reply(msg_id, "shell", timeout=5)
    assert reply is not None and reply["msg_type"] == "shutdown_reply"
    assert kernel.process.wait(timeout=10) == 0


def test_sigterm_exits(kernel: RunningKernel) -> None:
    kernel.expect_exit = True
    kernel.process.process.terminate()
    assert kernel.process.wait(timeout=10) is not None
