"""execute_request semantics: execution counts as ipykernel counts them, outputs, abort on error."""

from __future__ import annotations

import samples
from harness import RunningKernel
from wire import execute_content, is_busy, is_idle, outputs, result_text, stdout_text, summary


def test_outputs_are_bracketed_by_busy_and_idle(kernel: RunningKernel) -> None:
    reply, iopub = kernel.client.execute(samples.HELLO_WORLD)
    assert reply["content"]["status"] == "ok"
    assert is_busy(iopub[0]) and is_idle(iopub[-1]), summary(iopub)
    assert [m for m in iopub[1:-1] if m["msg_type"] == "status"] == []
    assert iopub[1]["msg_type"] == "execute_input", summary(iopub)
    assert "hello, world" in stdout_text(iopub)


def test_execution_count_counts_stored_cells(kernel: RunningKernel) -> None:
    """ipykernel: each cell run with store_history (and not silent) takes the next count;
    execute_input, execute_result and execute_reply all carry it."""
    client = kernel.client
    counts = []
    for _ in range(3):
        reply, iopub = client.execute(samples.ARITHMETIC)
        count = reply["content"]["execution_count"]
        (echo,) = outputs(iopub, "execute_input")
        (result,) = outputs(iopub, "execute_result")
        assert echo["content"]["execution_count"] == count
        assert echo["content"]["code"] == samples.ARITHMETIC
        assert result["content"]["execution_count"] == count
        counts.append(count)
    assert counts == [1, 2, 3]


def test_failed_cell_takes_a_count_too(kernel: RunningKernel) -> None:
    client = kernel.client
    first, _ = client.execute(samples.ARITHMETIC)
    failed, iopub = client.execute(samples.ERROR)
    assert failed["content"]["status"] == "error"
    assert failed["content"]["execution_count"] == first["content"]["execution_count"] + 1
    after, _ = client.execute(samples.ARITHMETIC)
    assert after["content"]["execution_count"] == first["content"]["execution_count"] + 2


def test_error_reply_and_error_output_agree(kernel: RunningKernel) -> None:
    reply, iopub = kernel.client.execute(samples.ERROR)
    content = reply["content"]
    assert content["status"] == "error"
    assert isinstance(content["ename"], str) and content["ename"]
    assert isinstance(content["evalue"], str)
    assert isinstance(content["traceback"], list) and all(isinstance(line, str) for line in content["traceback"])
    (error,) = outputs(iopub, "error")
    assert error["content"]["ename"] == content["ename"]
    assert error["content"]["evalue"] == content["evalue"]
    assert samples.ERROR_MENTIONS in content["evalue"] + "".join(content["traceback"])
    assert outputs(iopub, "execute_result") == []


def test_silent_cell_takes_no_count_and_echoes_nothing(kernel: RunningKernel) -> None:
    client = kernel.client
    before, _ = client.execute(samples.ARITHMETIC)
    silent, iopub = client.execute(samples.ARITHMETIC, silent=True, store_history=False)
    assert silent["content"]["status"] == "ok"
    assert outputs(iopub, "execute_input") == []
    assert outputs(iopub, "execute_result") == []
    after, _ = client.execute(samples.ARITHMETIC)
    assert after["content"]["execution_count"] == before["content"]["execution_count"] + 1


def test_cell_without_store_history_takes_no_count(kernel: RunningKernel) -> None:
    client = kernel.client
    before, _ = client.execute(samples.ARITHMETIC)
    unstored, iopub = client.execute(samples.ARITHMETIC, store_history=False)
    assert unstored["content"]["status"] == "ok"
    assert result_text(iopub) == samples.ARITHMETIC_RESULT
    after, _ = client.execute(samples.ARITHMETIC)
    assert after["content"]["execution_count"] == before["content"]["execution_count"] + 1


def test_user_expressions_are_answered(kernel: RunningKernel) -> None:
    """Every user expression gets an entry: its value as a mime bundle, as ipykernel answers."""
    reply, _ = kernel.client.execute(samples.ARITHMETIC, user_expressions={"a": samples.ARITHMETIC})
    expressions = reply["content"]["user_expressions"]
    assert expressions == {"a": {"status": "ok", "data": {"text/plain": samples.ARITHMETIC_RESULT}, "metadata": {}}}


def test_user_expressions_are_expressions_that_change_nothing(kernel: RunningKernel) -> None:
    """An assignment there is a SyntaxError and assigns nothing; a built-in that changes the
    session is refused; a failing expression is an error entry, and the cell still succeeds."""
    client = kernel.client
    reply, _ = client.execute("kept = 2", user_expressions={
        "sum": "kept + 1", "assign": "leaked = 5", "reset": "reset()", "missing": "nope",
    })
    assert reply["content"]["status"] == "ok"
    expressions = reply["content"]["user_expressions"]
    assert expressions["sum"]["data"]["text/plain"] == "3"
    assert (expressions["assign"]["status"], expressions["assign"]["ename"]) == ("error", "SyntaxError")
    assert (expressions["reset"]["status"], expressions["reset"]["ename"]) == ("error", "ValueError")
    assert expressions["missing"]["ename"] == "NameError"
    assert expressions["missing"]["evalue"] == "'nope' is not defined"
    assert expressions["missing"]["traceback"]
    leaked, _ = client.execute("leaked")
    assert (leaked["content"]["status"], leaked["content"]["ename"]) == ("error", "NameError")
    kept, iopub = client.execute("kept")
    assert result_text(iopub) == "2", "reset() in a user expression forgot the variables"


def test_stop_on_error_aborts_queued_requests(kernel: RunningKernel) -> None:
    """A failing cell with stop_on_error aborts the execute requests already queued behind it.

    The failing cell sleeps first, so the three requests behind it are surely queued
    when it fails.
    """
    client = kernel.client
    failing = client.send("shell", "execute_request", execute_content(samples.sleep_for(0.5) + "\n" + samples.ERROR))
    queued = [client.send("shell", "execute_request", execute_content(samples.print_line(f"queued {i}")))
              for i in range(3)]

    failed = client.reply(failing, timeout=10)
    assert failed is not None and failed["content"]["status"] == "error"
    count = failed["content"]["execution_count"]
    for msg_id in queued:
        reply = client.reply(msg_id, timeout=10)
        assert reply is not None, "no reply to an aborted request"
        assert reply["content"]["status"] == "aborted"
        assert isinstance(reply["content"].get("execution_count"), int), reply["content"]
        iopub = client.iopub_until_idle(msg_id)
        assert is_busy(iopub[0]) and is_idle(iopub[-1]), summary(iopub)
        assert outputs(iopub, "stream") == [], "an aborted cell ran"
        assert outputs(iopub, "execute_input") == []

    # The queue has been flushed: the next request runs, and aborted cells took no count.
    reply, iopub = client.execute(samples.print_line("runs again"))
    assert reply["content"]["status"] == "ok"
    assert "runs again" in stdout_text(iopub)
    assert reply["content"]["execution_count"] == count + 1
    kernel.assert_serving()


def test_without_stop_on_error_queued_requests_run(kernel: RunningKernel) -> None:
    client = kernel.client
    failing = client.send("shell", "execute_request",
                          execute_content(samples.sleep_for(0.3) + "\n" + samples.ERROR, stop_on_error=False))
    queued = client.send("shell", "execute_request", execute_content(samples.print_line("still runs")))
    assert client.reply(failing)["content"]["status"] == "error"
    reply = client.reply(queued)
    assert reply["content"]["status"] == "ok"
    assert "still runs" in stdout_text(client.iopub_until_idle(queued))


def test_non_execute_requests_are_not_aborted(kernel: RunningKernel) -> None:
    """Only execute requests are aborted (ipykernel): kernel_info queued behind a failure is answered."""
    client = kernel.client
    failing = client.send("shell", "execute_request", execute_content(samples.sleep_for(0.3) + "\n" + samples.ERROR))
    info = client.send("shell", "kernel_info_request")
    assert client.reply(failing)["content"]["status"] == "error"
    reply = client.reply(info)
    assert reply is not None and reply["content"]["status"] == "ok"


def test_stderr_stream(kernel: RunningKernel) -> None:
    reply, iopub = kernel.client.execute(samples.STDERR)
    assert reply["content"]["status"] == "ok"
    names = {m["content"]["name"] for m in outputs(iopub, "stream")}
    assert names == {"stderr"}


def test_clear_output(kernel: RunningKernel) -> None:
    reply, iopub = kernel.client.execute(samples.CLEAR_OUTPUT)
    assert reply["content"]["status"] == "ok"
    types = [m["msg_type"] for m in iopub]
    assert "clear_output" in types
    assert types.index("stream") < types.index("clear_output"), summary(iopub)
    assert isinstance(outputs(iopub, "clear_output")[0]["content"]["wait"], bool)


def test_statement_of_comments_has_no_result(kernel: RunningKernel) -> None:
    reply, iopub = kernel.client.execute("# only a comment")
    assert reply["content"]["status"] == "ok"
    assert outputs(iopub, "execute_result") == []
    reply, iopub = kernel.client.execute("")
    assert reply["content"]["status"] == "ok"
    assert outputs(iopub, "execute_result") == []


def test_request_sent_after_the_failed_cells_idle_is_not_aborted(kernel: RunningKernel) -> None:
    """Only requests queued before the failure ends are aborted: a client that waits for
    the failed cell's idle and then sends a cell at once must see it run. Repeated, since
    a kernel that drains its queue after publishing idle loses this race only sometimes."""
    client = kernel.client
    aborted = 0
    for _ in range(30):
        failed, _ = client.execute(samples.ERROR)
        assert failed["content"]["status"] == "error"
        reply, _ = client.execute(samples.ARITHMETIC)
        aborted += reply["content"]["status"] == "aborted"
    assert aborted == 0, f"{aborted} of 30 cells sent after an error's idle were aborted"
