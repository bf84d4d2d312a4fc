"""`jupyter console --kernel convnet`, as the README tells a user to run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import samples

pytest.importorskip("jupyter_console")


def test_console_runs_cells_and_shows_results_and_errors() -> None:
    cells = [samples.EXECUTE_RESULTS[0]["code"], samples.HELLO_WORLD, samples.ERROR]
    jupyter = Path(sys.executable).with_name("jupyter")
    done = subprocess.run(
        [str(jupyter), "console", "--kernel", samples.KERNEL_NAME, "--simple-prompt"],
        input="\n".join(cells) + "\n", capture_output=True, text=True, timeout=60, env=dict(os.environ),
    )
    # End of input asks "Do you really want to exit?", and the next end of input says yes.
    assert done.returncode == 0, done.stderr
    out = done.stdout + done.stderr  # the console prints tracebacks on its stderr
    assert f"Out[1]: {samples.EXECUTE_RESULTS[0]['result']}" in out, out
    assert "hello, world" in out, out
    assert samples.ERROR_MENTIONS in out, out
    assert "In [4]:" in out, "the console did not come back to a prompt after the error"
