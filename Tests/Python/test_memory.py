"""What a class of kernels costs: after the chapter's first cells a kernel holds at most
10 MB of its own above an idle kernel (the images are one shared mapping of the cache),
and a training cell gives its batch buffers back when it ends.

Private memory is Private_Clean + Private_Dirty from /proc/PID/smaps_rollup: the pages no
other process maps. The machine-wide figures (MemAvailable drop, PSS) are bench/class's.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Iterator

import pytest

from class_memory import FIRST_CELLS, MB, ClassKernel, run_everywhere

FASHION = Path("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")
pytestmark = pytest.mark.skipif(not FASHION.exists(), reason="dataset-fashion-mnist is not installed")

STUDENTS = 20
ALLOWANCE = 10 * MB

DEEP_NET = """deep = sequential(28x28x1,
  conv(8, 5x5, pad: 2), relu(), maxpool(2x2),
  conv(16, 5x5, pad: 2), relu(), maxpool(2x2),
  conv(32, 3x3, pad: 1), relu(), maxpool(2x2),
  dense(64), relu(),
  dense(10), softmax())"""


@pytest.fixture
def class_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a class sharing one fresh cache folder."""
    return dict(os.environ, CONVNET_CACHE=str(tmp_path / "cache"))


@pytest.fixture
def start(class_env: dict[str, str]) -> Iterator:
    started: list[ClassKernel] = []

    def start_kernels(count: int) -> list[ClassKernel]:
        kernels = [ClassKernel("convnet", class_env) for _ in range(count)]
        started.extend(kernels)
        for kernel in kernels:
            kernel.wait_ready(timeout=60)
        return kernels

    yield start_kernels
    for kernel in started:
        kernel.close()


def settle() -> None:
    """Lets replies' buffers be freed and iopub drain before reading /proc."""
    time.sleep(0.5)


@pytest.mark.timeout(240)
def test_twenty_kernels_after_the_first_cells_each_hold_at_most_10_mb_above_an_idle_one(start) -> None:
    idle, *students = start(STUDENTS + 1)
    failures = run_everywhere(students, FIRST_CELLS, timeout=180)
    assert failures == [], failures
    settle()
    baseline = idle.memory().private
    costs = sorted((k.memory().private - baseline) / MB for k in students)
    report = f"idle kernel {baseline / MB:.1f} MB private; students above it (MB): {[round(c, 1) for c in costs]}"
    print(report)
    assert costs[-1] <= ALLOWANCE / MB, report
    # The images really are shared: each student maps the cache rather than holding a copy.
    maps = Path(f"/proc/{students[0].pid}/maps").read_text()
    assert maps.count(".data\n") == 2, "the train and test cache files are mapped"


@pytest.mark.timeout(240)
def test_training_cell_gives_back_its_batch_buffers(start) -> None:
    (kernel,) = start(1)
    assert run_everywhere([kernel], FIRST_CELLS + [DEEP_NET], timeout=120) == []
    settle()
    before = kernel.memory().private
    # Batch 128 through the deep net: about 25 MB of activations, gradients and saved values.
    cell = "train(deep, data.train[0:3000], epochs: 1, batch: 128)\nevaluate(deep, data.test[0:2000])"
    assert run_everywhere([kernel], [cell], timeout=180) == []
    settle()
    after = kernel.memory().private
    assert after - before <= ALLOWANCE, f"held {before / MB:.1f} MB before training, {after / MB:.1f} MB after"
