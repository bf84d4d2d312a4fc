"""Exercise progress kept in the learner's home (CONVNET_PROGRESS here): it survives a
kernel restart, and a damaged file is set aside with a note, never a failed cell."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterator

import pytest
from jupyter_client.manager import KernelManager


@pytest.fixture
def progress_path(tmp_path: Path) -> Path:
    return tmp_path / "home" / ".local" / "share" / "convnet-kernel" / "progress.json"


@pytest.fixture
def km(progress_path: Path) -> Iterator[KernelManager]:
    manager = KernelManager(kernel_name="convnet")
    manager.start_kernel(env=dict(os.environ, CONVNET_PROGRESS=str(progress_path)))
    yield manager
    manager.shutdown_kernel(now=True)


def run(km: KernelManager, code: str) -> tuple[dict[str, Any], str, str]:
    """Runs `code` in a fresh client; returns the reply, the text shown and what went to stderr."""
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=30)
        shown: list[str] = []
        errors: list[str] = []

        def hook(message: dict[str, Any]) -> None:
            content = message["content"]
            if message["msg_type"] == "stream":
                (errors if content["name"] == "stderr" else shown).append(content["text"])
            elif message["msg_type"] in ("execute_result", "display_data"):
                shown.append(content["data"].get("text/plain", ""))

        reply = client.execute_interactive(code, output_hook=hook, timeout=30)
        return reply, "".join(shown), "".join(errors)
    finally:
        client.stop_channels()


def test_progress_survives_a_kernel_restart(km: KernelManager, progress_path: Path) -> None:
    reply, shown, _ = run(km, 'answer("volume-cifar", 26x26x20)')
    assert reply["content"]["status"] == "ok" and "Correct" in shown
    run(km, 'answer("pad-same", 99)')
    saved = json.loads(progress_path.read_text())
    assert saved["exercises"]["volume-cifar"] == {"attempts": 1, "solved": True}
    km.restart_kernel(now=True)
    reply, shown, errors = run(km, "exercises()")
    assert reply["content"]["status"] == "ok"
    assert "[x] volume-cifar" in shown and "[~] pad-same" in shown, shown
    assert errors == ""


def test_damaged_progress_file_is_set_aside_with_a_note_and_the_cell_succeeds(km: KernelManager, progress_path: Path) -> None:
    progress_path.parent.mkdir(parents=True)
    progress_path.write_text('{"version": 1, "exercises": {"volume-cif')
    reply, shown, errors = run(km, "exercises()")
    assert reply["content"]["status"] == "ok", reply["content"]
    assert "[ ] volume-cifar" in shown
    assert "was damaged" in errors and "moved to" in errors, errors
    aside = [p for p in progress_path.parent.iterdir() if p.name.startswith("progress.json.damaged-")]
    assert len(aside) == 1 and aside[0].read_text().startswith('{"version": 1')
    reply, shown, errors = run(km, 'answer("volume-cifar", 26x26x20)')
    assert reply["content"]["status"] == "ok" and errors == "", errors
    assert json.loads(progress_path.read_text())["exercises"]["volume-cifar"]["solved"] is True
