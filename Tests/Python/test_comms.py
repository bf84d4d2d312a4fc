"""Comms through jupyter_client acting as the front end: comm_info, the widget control
comm, comms opened from the front end, busy/idle around comm messages, bad input."""

from __future__ import annotations

import uuid
from typing import Iterator

import pytest

from widget_frontend import FrontEnd, comm_msgs, statuses


@pytest.fixture(scope="module")
def fe() -> Iterator[FrontEnd]:
    front_end = FrontEnd()
    yield front_end
    front_end.close()


def test_comm_info_lists_the_kernels_widgets_filtered_by_target(fe: FrontEnd) -> None:
    _, outputs = fe.execute("s = slider(0, 10)\ns")
    slider_id = fe.shown_model(outputs)
    everything = fe.shell_request("comm_info_request", {})["content"]
    assert everything["status"] == "ok"
    assert everything["comms"][slider_id] == {"target_name": "jupyter.widget"}
    widgets = fe.shell_request("comm_info_request", {"target_name": "jupyter.widget"})["content"]["comms"]
    assert slider_id in widgets
    assert fe.shell_request("comm_info_request", {"target_name": "nobody"})["content"]["comms"] == {}


def test_control_comm_request_states_answers_update_states(fe: FrontEnd) -> None:
    _, outputs = fe.execute("w = slider(0, 5, value: 3)\nw")
    slider_id = fe.shown_model(outputs)
    _, outputs = fe.execute("p = picture(kernel([[1, 0], [0, 1]]))\np")
    image_id = fe.shown_model(outputs)
    control = uuid.uuid4().hex
    open_id = fe.send_comm(
        "comm_open", {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}})
    assert not [m for m in fe.until_idle(open_id) if m["msg_type"] == "comm_close"], "the control target exists"
    answer = comm_msgs(fe.comm_msg(control, {"method": "request_states"}), control)
    assert len(answer) == 1
    data = answer[0]["content"]["data"]
    assert data["method"] == "update_states"
    state = data["states"][slider_id]
    assert state["model_name"] == "IntSliderModel"
    assert state["model_module"] == "@jupyter-widgets/controls"
    assert state["model_module_version"] == "2.0.0"
    assert state["state"]["value"] == 3
    # The image's bytes travel as a buffer, its path in buffer_paths.
    assert [image_id, "state", "value"] in data["buffer_paths"]
    index = data["buffer_paths"].index([image_id, "state", "value"])
    assert bytes(answer[0]["buffers"][index])[:4] == b"\x89PNG"


def test_comm_handlers_are_bracketed_by_busy_and_idle_with_the_comm_message_as_parent(fe: FrontEnd) -> None:
    _, outputs = fe.execute("b2 = slider(0, 10)\nb2")
    slider_id = fe.shown_model(outputs)
    msg_id = fe.send_comm("comm_msg", {"comm_id": slider_id, "data": {"method": "update", "state": {"value": 4}}})
    mine = fe.until_idle(msg_id)
    assert statuses(mine) == ["busy", "idle"]
    assert mine[0]["msg_type"] == "status" and mine[-1]["msg_type"] == "status"
    assert [m["content"]["data"]["method"] for m in mine if m["msg_type"] == "comm_msg"] == ["echo_update"]


def test_a_widget_opened_by_the_front_end_is_kept_and_synced(fe: FrontEnd) -> None:
    comm_id = uuid.uuid4().hex
    state = {"_model_name": "IntSliderModel", "_model_module": "@jupyter-widgets/controls",
             "_model_module_version": "2.0.0", "value": 2, "max": 9}
    open_id = fe.send_comm("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget",
                                         "data": {"state": state, "buffer_paths": []}})
    assert not [m for m in fe.until_idle(open_id) if m["msg_type"] == "comm_close"]
    listed = fe.shell_request("comm_info_request", {"target_name": "jupyter.widget"})["content"]["comms"]
    assert comm_id in listed
    echoed = comm_msgs(fe.update(comm_id, {"value": 50}), comm_id)
    assert [m["content"]["data"]["method"] for m in echoed] == ["update"], "clamped to max, sent as a plain update"
    assert echoed[0]["content"]["data"]["state"] == {"value": 9}
    closing = fe.send_comm("comm_close", {"comm_id": comm_id, "data": {}})
    fe.until_idle(closing)
    assert comm_id not in fe.shell_request("comm_info_request", {})["content"]["comms"]


def test_unknown_target_and_unknown_model_are_closed(fe: FrontEnd) -> None:
    for target, data in [("no.such.target", {}),
                         ("jupyter.widget", {"state": {"_model_name": "NopeModel", "_model_module": "x"}})]:
        comm_id = uuid.uuid4().hex
        msg_id = fe.send_comm("comm_open", {"comm_id": comm_id, "target_name": target, "data": data})
        closes = [m for m in fe.until_idle(msg_id) if m["msg_type"] == "comm_close"]
        assert [m["content"]["comm_id"] for m in closes] == [comm_id]
    fe.assert_alive()


BAD_COMM_MESSAGES = [
    ("comm_msg", {"comm_id": "not-a-comm", "data": {"method": "update", "state": {"value": 1}}}),
    ("comm_msg", {"data": {}}),
    ("comm_msg", {"comm_id": 12, "data": {}}),
    ("comm_msg", {"comm_id": None}),
    ("comm_close", {"comm_id": "not-a-comm"}),
    ("comm_open", {"comm_id": ["x"], "target_name": "jupyter.widget"}),
    ("comm_open", {"comm_id": "no-target"}),
    ("comm_info_request", {"target_name": 5}),
]


@pytest.mark.parametrize("msg_type,content", BAD_COMM_MESSAGES, ids=[f"{t}-{i}" for i, (t, _) in enumerate(BAD_COMM_MESSAGES)])
def test_bad_comm_messages_are_ignored_and_the_session_is_kept(fe: FrontEnd, msg_type: str, content: dict) -> None:
    fe.execute("kept = 41 + 1")
    msg_id = fe.send_comm(msg_type, content)
    mine = fe.until_idle(msg_id)
    assert statuses(mine) == ["busy", "idle"]
    fe.assert_alive("kept", "42")
