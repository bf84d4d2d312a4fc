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


# --- The net memory cap under a real cgroup memory limit -------------------------------

CGROUP_LIMIT = 256 * MB
TOO_BIG_FOR_THE_CGROUP = "net = sequential(28x28x1, dense(100000), softmax())\nprint(\"built\")"  # about 1.5 GB


def _own_cgroup_folder() -> tuple[Path, str] | tuple[None, str]:
    """A new child of this process's own memory cgroup, with its limit file; or None and why not."""
    lines = Path("/proc/self/cgroup").read_text().splitlines()
    mounts = [line.split(" - ") for line in Path("/proc/self/mountinfo").read_text().splitlines()]
    for line in lines:
        _, controllers, path = line.split(":", 2)
        v2 = controllers == ""
        if not v2 and "memory" not in controllers.split(","):
            continue
        for before, after in mounts:
            fstype, _, options = after.split(" ")[:3]
            if (v2 and fstype == "cgroup2") or (not v2 and fstype == "cgroup" and "memory" in options.split(",")):
                mount_root, mount_point = before.split(" ")[3:5]
                if mount_root != "/" and not path.startswith(mount_root):
                    continue
                relative = path[len(mount_root):] if mount_root != "/" else path
                parent = Path(mount_point + relative.rstrip("/"))
                limit_file = "memory.max" if v2 else "memory.limit_in_bytes"
                child = parent / f"convnet-test-{os.getpid()}"
                try:
                    child.mkdir()
                except OSError as error:
                    return None, f"cannot create a cgroup under {parent}: {error.strerror}"
                if (child / limit_file).exists():
                    return child, limit_file
                child.rmdir()
                return None, f"{parent} does not delegate the memory controller to its children"
    return None, "no memory cgroup hierarchy is mounted"


@pytest.fixture
def memory_cgroup() -> Iterator[Path]:
    child, detail = _own_cgroup_folder()
    if child is None:
        pytest.skip(f"no cgroup with a memory limit can be made here: {detail}")
    try:
        (child / detail).write_text(str(CGROUP_LIMIT))
        yield child
    finally:
        for _ in range(50):  # the kernel leaves the cgroup when it exits
            try:
                child.rmdir()
                break
            except OSError:
                time.sleep(0.1)


@pytest.mark.timeout(120)
def test_under_a_cgroup_limit_a_too_big_net_is_a_memory_error_not_an_oom_kill(tmp_path: Path, memory_cgroup: Path) -> None:
    import subprocess

    from harness import KERNEL_BINARY

    (tmp_path / "big.convnet").write_text(
        'print("started")\n' + TOO_BIG_FOR_THE_CGROUP + "\n")
    (tmp_path / "small.convnet").write_text(
        "flat = sequential(28x28x1, dense(10), softmax())\nprint(flat.parameters)\n")
    env = {k: v for k, v in os.environ.items() if k != "CONVNET_MEMORY_LIMIT"}

    def in_cgroup(script: str) -> subprocess.CompletedProcess:
        # The shell joins the cgroup, then becomes the kernel: the kernel runs under the limit.
        command = f'echo $$ > {memory_cgroup}/cgroup.procs && exec "$0" run {script}'
        return subprocess.run(["sh", "-c", command, str(KERNEL_BINARY)], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=100)

    big = in_cgroup("big.convnet")
    assert big.returncode != -9, f"killed by the OOM killer\n{big.stdout}\n{big.stderr}"
    assert "started" in big.stdout and "built" not in big.stdout
    assert "MemoryError" in big.stderr and "128 MB" in big.stderr, big.stderr
    small = in_cgroup("small.convnet")
    assert small.returncode == 0, small.stderr
    assert "7850" in small.stdout
