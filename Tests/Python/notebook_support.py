"""What the notebook, grading and browser tests share: the repo's paths and a
`convnet` kernelspec that points at the kernel binary under test."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO_ROOT / "notebooks"
KERNEL_BINARY = Path(os.environ.get("KERNEL_BINARY", REPO_ROOT / ".build/release/convnet-kernel")).resolve()


def convnet_kernelspec_dir() -> Path | None:
    """Where jupyter_client finds the `convnet` kernelspec now, or None."""
    from jupyter_client.kernelspec import KernelSpecManager

    found = KernelSpecManager().find_kernel_specs().get("convnet")
    return Path(found) if found else None


def ensure_convnet_kernelspec() -> Path:
    """Makes sure Jupyter finds the `convnet` kernelspec of the binary under test.

    When JUPYTER_PATH already leads to one (the Makefile installs it into the venv)
    it is used as it is; otherwise the binary installs one into a temporary prefix,
    which is put first on JUPYTER_PATH for this process and the tools it starts.
    """
    found = convnet_kernelspec_dir()
    if found is not None and "KERNEL_BINARY" not in os.environ:
        return found
    if not KERNEL_BINARY.is_file():
        raise RuntimeError(f"kernel binary not found at {KERNEL_BINARY}: build it (`swift build`) or set KERNEL_BINARY")
    prefix = tempfile.mkdtemp(prefix="convnet-kernelspec-")
    subprocess.run([str(KERNEL_BINARY), "install", "--prefix", prefix], check=True, capture_output=True, timeout=60)
    data_dir = str(Path(prefix) / "share" / "jupyter")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [data_dir, os.environ.get("JUPYTER_PATH")]))
    found = convnet_kernelspec_dir()
    assert found is not None, f"installed a kernelspec into {prefix} but Jupyter does not find it"
    return found


def code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))
