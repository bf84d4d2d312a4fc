"""Widgets through jupyter_client acting as the widget front end: a slider moving a live
picture, a button click, controls of a running train, bad input, and nbclient's saved
widget state."""

from __future__ import annotations

import time
from typing import Iterator

import nbformat
import pytest
from nbclient import NotebookClient

import samples
from widget_frontend import FrontEnd, comm_msgs, statuses

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def fe() -> Iterator[FrontEnd]:
    front_end = FrontEnd()
    front_end.execute('k = [kernel([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]), kernel([[1, 1], [1, 1]]), kernel([[0, 1], [1, 0]])]')
    yield front_end
    front_end.close()


def live_view(fe: FrontEnd, code: str) -> tuple[str, str, str]:
    """Runs a cell ending in live(...): the ids of its box, image and label."""
    reply, outputs = fe.execute(code)
    assert reply["content"]["status"] == "ok", reply["content"]
    box = fe.shown_model(outputs)
    image, label = [c.removeprefix("IPY_MODEL_") for c in fe.models[box]["children"]]
    return box, image, label


def test_a_widget_is_shown_with_its_view_a_text_twin_and_opened_first(fe: FrontEnd) -> None:
    reply, outputs = fe.execute('x = slider(0, 23, description: "x")\nx')
    kinds = [m["msg_type"] for m in outputs]
    assert kinds.index("comm_open") < kinds.index("execute_result"), "the model exists before its view"
    opened = next(m for m in outputs if m["msg_type"] == "comm_open")
    assert opened["metadata"] == {"version": "2.1.0"}
    result = next(m for m in outputs if m["msg_type"] == "execute_result")
    view = result["content"]["data"]["application/vnd.jupyter.widget-view+json"]
    assert view == {"model_id": opened["content"]["comm_id"], "version_major": 2, "version_minor": 0}
    assert result["content"]["data"]["text/plain"].startswith("slider(0, 23")


def test_slider_move_redraws_the_live_picture_as_a_png_buffer(fe: FrontEnd) -> None:
    _, outputs = fe.execute("f = slider(0, 2)\nf")
    slider = fe.shown_model(outputs)
    _, image, _ = live_view(fe, "live(convolve(k[0], k[f.value], pad: 1))")
    first = fe.models[image]
    assert first["_model_name"] == "ImageModel" and first["format"] == "png"
    msg_id = fe.send_comm("comm_msg", {"comm_id": slider, "data": {"method": "update", "state": {"value": 2}, "buffer_paths": []}})
    mine = fe.until_idle(msg_id)
    assert statuses(mine) == ["busy", "idle"] and mine[0]["msg_type"] == "status" and mine[-1]["msg_type"] == "status"
    (picture,) = comm_msgs(mine, image, "update")
    assert picture["parent_header"]["msg_id"] == msg_id
    assert picture["content"]["data"]["buffer_paths"] == [["value"]]
    assert bytes(picture["buffers"][0]).startswith(PNG)
    assert [m["content"]["data"]["state"] for m in comm_msgs(mine, slider, "echo_update")] == [{"value": 2}]
    assert fe.value("f.value") == "2"


def test_button_click_redraws_what_reads_it(fe: FrontEnd) -> None:
    _, outputs = fe.execute('b = button("again")\nb')
    button = fe.shown_model(outputs)
    _, _, label = live_view(fe, 'live("clicked " + str(b.value))')
    mine = fe.comm_msg(button, {"method": "custom", "content": {"event": "click"}})
    texts = [m["content"]["data"]["state"].get("value") for m in comm_msgs(mine, label, "update")]
    assert "clicked 1" in texts
    assert fe.value("b.clicks") == "1"


def test_live_error_shows_in_place_and_the_view_recovers(fe: FrontEnd) -> None:
    _, outputs = fe.execute("i = slider(0, 5)\ni")
    slider = fe.shown_model(outputs)
    _, image, label = live_view(fe, "live(k[i.value])")
    mine = fe.update(slider, {"value": 4})
    (error,) = [m["content"]["data"]["state"]["value"] for m in comm_msgs(mine, label, "update")]
    assert "IndexError" in error or "index" in error, error
    mine = fe.update(slider, {"value": 1})
    assert comm_msgs(mine, image, "update"), "the picture is drawn again"
    assert [m["content"]["data"]["state"]["value"] for m in comm_msgs(mine, label, "update")] == [""]


def test_out_of_range_value_is_clamped_and_sent_as_a_plain_update(fe: FrontEnd) -> None:
    _, outputs = fe.execute("c = slider(0, 10)\nc")
    slider = fe.shown_model(outputs)
    mine = fe.update(slider, {"value": 1000})
    assert [m["content"]["data"]["state"] for m in comm_msgs(mine, slider, "update")] == [{"value": 10}]
    assert not comm_msgs(mine, slider, "echo_update")
    fe.assert_alive("c.value", "10")


def test_bad_updates_are_dropped_and_the_session_is_kept(fe: FrontEnd) -> None:
    _, outputs = fe.execute("d = slider(0, 10, value: 3)\nd")
    slider = fe.shown_model(outputs)
    bad = [
        {"method": "update", "state": {"value": "three"}},
        {"method": "update", "state": {"value": [1, 2]}},
        {"method": "update", "state": {"max": 1e9}},
        {"method": "update"},
        {"method": "update", "state": "value=3"},
        {"method": 7},
        {},
        {"method": "update", "state": {"description": "x" * (2 << 20)}},
        {"method": "update", "state": {f"k{n}": n for n in range(5000)}},
        {"method": "custom"},
        {"method": "request_state", "extra": [None] * 1000},
    ]
    for data in bad:
        mine = fe.comm_msg(slider, data)
        assert statuses(mine) == ["busy", "idle"]
    fe.assert_alive("d.value", "3")


def test_a_flood_of_updates_is_handled_and_the_last_wins(fe: FrontEnd) -> None:
    _, outputs = fe.execute("g = slider(0, 1000)\ng")
    slider = fe.shown_model(outputs)
    last = ""
    for n in range(300):
        last = fe.send_comm("comm_msg", {"comm_id": slider, "data": {"method": "update", "state": {"value": n}}})
    fe.until_idle(last)
    fe.assert_alive("g.value", "299")


def test_training_controls_act_at_the_next_batch_while_the_cell_runs(fe: FrontEnd) -> None:
    fe.execute('data = dataset("fashion-mnist")\nnet = sequential(28x28x1, conv(8, 5x5), relu(), maxpool(2x2), dense(10), softmax())')
    cell = fe.kc.execute("h = train(net, data.train, epochs: 20, batch: 8, optimizer: sgd(lr: 0.01), controls: true)\nh.batches")
    deadline = time.monotonic() + 30
    while True:
        opened = [m for m in fe.children(cell) if m["msg_type"] == "comm_open"]
        if len(opened) >= 4 and any(m["msg_type"] == "update_display_data" for m in fe.children(cell)):
            break
        assert time.monotonic() < deadline, "train showed no controls"
        fe.drain(0.2)
    by_model = {m["content"]["data"]["state"]["_model_name"]: m["content"]["comm_id"] for m in opened}
    pause, stop, rate = by_model["ToggleButtonModel"], by_model["ButtonModel"], by_model["FloatSliderModel"]

    def progress_updates() -> int:
        return sum(1 for m in fe.children(cell) if m["msg_type"] == "update_display_data")

    # Pause: handled mid-cell (its idle comes while the cell still runs), then the batches stop.
    mine = fe.update(pause, {"value": True})
    assert [m["content"]["data"]["state"]["description"] for m in comm_msgs(mine, pause, "update")] == ["resume"]
    fe.drain(0.5)
    paused_at = progress_updates()
    shown = [m["content"]["data"]["text/plain"] for m in fe.children(cell) if m["msg_type"] == "update_display_data"]
    assert "paused: press resume" in shown[-1], f"the display does not say it is paused: {shown[-1]!r}"
    fe.drain(1.5)
    assert progress_updates() <= paused_at + 1, "training went on while paused"
    assert not fe.kc.shell_channel.msg_ready(), "the cell ended"
    # The learning rate moves while paused; resume; progress comes again.
    assert comm_msgs(fe.update(rate, {"value": 0.05}), rate, "echo_update")
    fe.update(pause, {"value": False})
    fe.drain(2.0)
    assert progress_updates() > paused_at + 1, "training did not resume"
    # Stop: the cell ends without an error, having run part of its batches.
    clicked = time.monotonic()
    fe.comm_msg(stop, {"method": "custom", "content": {"event": "click"}})
    reply = fe.kc.get_shell_msg(timeout=30)
    while reply["parent_header"]["msg_id"] != cell:
        reply = fe.kc.get_shell_msg(timeout=30)
    assert reply["content"]["status"] == "ok", reply["content"]
    assert time.monotonic() - clicked < 10
    outputs = fe.until_idle(cell)
    result = next(m for m in outputs if m["msg_type"] == "execute_result")
    assert 0 < int(result["content"]["data"]["text/plain"]) < 20 * 60000 // 8
    fe.assert_alive("net.parameters > 0", "true")


def test_nbclient_saves_the_widget_state_in_the_notebook() -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": samples.KERNEL_NAME, "display_name": "Convnet", "language": "convnet"}
    nb.cells = [
        nbformat.v4.new_code_cell("x = slider(0, 9, value: 4)\nx"),
        nbformat.v4.new_code_cell("live(convolve(kernel([[1, 0], [0, 1]]), kernel([[x.value]])))"),
    ]
    NotebookClient(nb, kernel_name=samples.KERNEL_NAME, timeout=60, startup_timeout=30).execute()
    saved = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]
    states = saved["state"]
    slider_view = nb.cells[0].outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]
    assert states[slider_view["model_id"]]["model_name"] == "IntSliderModel"
    assert states[slider_view["model_id"]]["state"]["value"] == 4
    live_view_data = nb.cells[1].outputs[0]["data"]
    assert live_view_data["application/vnd.jupyter.widget-view+json"]["model_id"] in states
    assert "image/png" in live_view_data, "a still picture for exports without widgets"
    nbformat.validate(nb)


def test_the_widgets_module_is_built_on_the_protocol_alone() -> None:
    from test_architecture import _reachable, _targets

    targets = _targets()
    assert set(targets["Widgets"]["target_dependencies"]) == {"JupyterProtocol"}
    reached = _reachable(targets, "Widgets")
    assert not reached & {"CZMQ", "CCrypto", "Jupyter", "ConvnetLanguage", "Convnet"}, sorted(reached)
