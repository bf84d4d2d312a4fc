"""The shared data set cache across processes: the first loads of a class racing, a
truncated cache file, a cache folder that cannot be written, and a kernel that maps the
cache instead of holding a copy. Each compares what the learner sees (counts, labels,
the PNG of 32 images) with a private load (CONVNET_CACHE=off).

Uses Fashion-MNIST from Debian's dataset-fashion-mnist (scripts/install-apt.sh).
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from jupyter_client.manager import KernelManager

from harness import KERNEL_BINARY

FASHION = Path("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")
pytestmark = pytest.mark.skipif(not FASHION.exists(), reason="dataset-fashion-mnist is not installed")

SCRIPT = """data = dataset("fashion-mnist")
print(data.train.count, data.test.count, data.train.volume)
print(data.train.labels[0:12], data.train.labels[59988:60000], data.test.labels[9988:10000])
show(data.test[0:32])
show(data.train[59968:60000])
"""


def run_script(folder: Path, cache: str, name: str = "load") -> subprocess.Popen:
    """Starts `convnet-kernel run` on SCRIPT in `folder` with CONVNET_CACHE=cache."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.convnet").write_text(SCRIPT)
    env = dict(os.environ, CONVNET_CACHE=cache)
    return subprocess.Popen(
        [str(KERNEL_BINARY), "run", f"{name}.convnet"], cwd=folder, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen, timeout: float = 120) -> tuple[str, str]:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"exit {process.returncode}\n{out}\n{err}"
    return out, err


def seen(folder: Path, out: str, name: str = "load") -> tuple[str, bytes, bytes]:
    """What the learner sees: the printed lines and the two pictures' bytes."""
    pictures = folder / f"{name}-outputs"
    return out, (pictures / "1-1.png").read_bytes(), (pictures / "1-2.png").read_bytes()


@pytest.fixture(scope="module")
def private(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, bytes, bytes]:
    folder = tmp_path_factory.mktemp("private")
    out, _ = finish(run_script(folder, "off"))
    return seen(folder, out)


def cache_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.iterdir() if p.suffix == ".data")


def test_first_loads_racing_in_eight_processes_agree_and_leave_one_file_each(tmp_path: Path, private) -> None:
    cache = tmp_path / "cache"
    runs = [run_script(tmp_path / f"student{i}", str(cache)) for i in range(8)]
    for i, process in enumerate(runs):
        out, err = finish(process)
        assert seen(tmp_path / f"student{i}", out) == private, f"student {i} saw other data\n{err}"
    files = cache_files(cache)
    assert [f.name.rsplit("-", 1)[0] for f in files] == ["fashion-mnist-test", "fashion-mnist-train"]
    assert not [p for p in cache.iterdir() if p.name.endswith(".tmp")], "no temporary file is left behind"
    assert files[1].stat().st_size > 47_040_000


def test_truncated_cache_file_is_rebuilt_with_the_same_images(tmp_path: Path, private) -> None:
    cache = tmp_path / "cache"
    finish(run_script(tmp_path / "first", str(cache)))
    train = cache_files(cache)[1]
    full = train.stat().st_size
    os.truncate(train, full // 2)
    out, err = finish(run_script(tmp_path / "second", str(cache)))
    assert seen(tmp_path / "second", out) == private
    assert "cache" not in (out + err).lower(), "the learner is not told about the cache"
    assert train.stat().st_size == full, "the damaged file was rebuilt"


def test_cache_folder_that_cannot_be_made_falls_back_to_the_private_load(tmp_path: Path, private) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out, err = finish(run_script(tmp_path / "run", str(blocker / "cache")))
    assert seen(tmp_path / "run", out) == private
    assert err.strip() == "", err


def _mount_tmpfs(target: Path, options: str) -> bool:
    target.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True)
    return done.returncode == 0


@pytest.mark.parametrize("options", ["size=1m", "ro,size=64m"], ids=["full-disk", "read-only"])
def test_full_or_read_only_cache_filesystem_falls_back_to_the_private_load(tmp_path: Path, private, options: str) -> None:
    cache = tmp_path / "cache"
    if os.geteuid() != 0 or not _mount_tmpfs(cache, options):
        pytest.skip("needs root and tmpfs mounts to make a full or read-only filesystem")
    try:
        out, err = finish(run_script(tmp_path / "run", str(cache)))
        assert seen(tmp_path / "run", out) == private
        assert err.strip() == "", err
        assert cache_files(cache) == [], "nothing half-written is left"
        assert not [p for p in cache.iterdir() if p.name.endswith(".tmp")]
    finally:
        subprocess.run(["umount", str(cache)], check=False)


def test_kernel_maps_the_cache_file_read_only(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    km = KernelManager(kernel_name="convnet")
    km.start_kernel(env=dict(os.environ, CONVNET_CACHE=str(cache)))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=30)
        reply = kc.execute_interactive('data = dataset("fashion-mnist")\npart = data.train[0:1000]', timeout=60)
        assert reply["content"]["status"] == "ok"
        pid = km.provisioner.process.pid
        maps = Path(f"/proc/{pid}/maps").read_text().splitlines()
        mapped = [line for line in maps if str(cache) in line and line.endswith(".data")]
        assert len(mapped) == 2, "the train and test files are mapped\n" + "\n".join(maps[-20:])
        assert all(line.split()[1] == "r--s" for line in mapped), mapped
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
