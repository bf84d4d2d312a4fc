"""`make install`: a release binary that needs neither the toolchain nor the repository.

The install a teacher makes for a class: `make install PREFIX=...` puts the binary in
PREFIX/bin and its kernelspec in PREFIX/share/jupyter/kernels/convnet. These tests install
into temporary prefixes and check the layout, that the binary links no Swift runtime from
the toolchain, that it writes its own kernelspec with nothing beside it, and that the
kernel Jupyter starts from the installed kernelspec runs the chapter's first cells while
the repository (with its build folders) and the toolchain are hidden from it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from harness import REPO_ROOT

KERNELSPEC_SOURCE = REPO_ROOT / "Sources" / "convnet-kernel" / "Kernelspec"
CHAPTER = REPO_ROOT / "notebooks" / "convolutional-neural-networks.ipynb"
TOOLCHAIN = Path("/opt/swift")
BIN = Path(sys.executable).parent
# The first run builds the static release binary (minutes on a shared 2-core machine);
# `make test` builds it before the tests, so there make only copies.
MAKE_TIMEOUT = 1800

pytestmark = pytest.mark.timeout(MAKE_TIMEOUT + 300)


def make(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        ["make", "-s", "-C", str(REPO_ROOT), *args], capture_output=True, text=True, timeout=MAKE_TIMEOUT,
        env={**os.environ, **env},
    )
    assert done.returncode == 0, f"make {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def prefix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A prefix the kernel was installed into with `make install PREFIX=...`."""
    prefix = tmp_path_factory.mktemp("prefix")
    make("install", f"PREFIX={prefix}")
    return prefix


def spec_of(prefix: Path) -> dict:
    return json.loads((prefix / "share/jupyter/kernels/convnet/kernel.json").read_text())


def test_install_layout_and_kernel_json_names_the_installed_binary(prefix: Path) -> None:
    binary = prefix / "bin" / "convnet-kernel"
    assert binary.is_file() and os.access(binary, os.X_OK)
    spec = spec_of(prefix)
    assert spec["argv"] == [str(binary), "--connection-file", "{connection_file}"]
    assert spec["language"] == "convnet"
    folder = prefix / "share/jupyter/kernels/convnet"
    assert sorted(p.name for p in folder.iterdir()) == ["kernel.json", "logo-32x32.png", "logo-64x64.png"]
    for path in folder.iterdir():
        assert path.stat().st_mode & 0o444 == 0o444, f"{path} is not readable by every user"


def recipe() -> str:
    return (REPO_ROOT / "deploy" / "Dockerfile").read_text()


def test_destdir_stages_files_as_the_container_recipe_does(tmp_path: Path) -> None:
    """deploy/Dockerfile's build stage: make install into a staging folder, kernel.json naming PREFIX."""
    match = re.search(r"^RUN make install PREFIX=(\S+) DESTDIR=(\S+)$", recipe(), re.M)
    assert match, "deploy/Dockerfile no longer runs `make install PREFIX=... DESTDIR=...`"
    prefix = match.group(1)
    stage = tmp_path / "staging"
    make("install", f"DESTDIR={stage}", f"PREFIX={prefix}")
    staged = stage / prefix.lstrip("/")
    binary = staged / "bin/convnet-kernel"
    assert binary.is_file()
    assert spec_of(staged)["argv"][0] == f"{prefix}/bin/convnet-kernel"
    # The image's last step: the kernel runs and Jupyter lists its kernelspec.
    assert subprocess.run([str(binary), "--version"], capture_output=True, timeout=30).returncode == 0
    listed = subprocess.run(
        [str(BIN / "jupyter"), "kernelspec", "list"], capture_output=True, text=True, timeout=60,
        env={**os.environ, "JUPYTER_PATH": str(staged / "share/jupyter")},
    )
    assert re.search(r"^ *convnet +" + re.escape(str(staged / "share/jupyter/kernels/convnet")), listed.stdout, re.M), listed.stdout
    make("uninstall", f"DESTDIR={stage}", f"PREFIX={prefix}")
    assert not binary.exists()
    assert not (staged / "share/jupyter/kernels/convnet").exists()


def test_container_recipe_installs_what_the_binary_links(prefix: Path) -> None:
    """The notebook image's apt line holds the package of every library the binary needs (the names
    are Debian's and Ubuntu's alike); the C and C++ runtimes are in every base image."""
    text = recipe()
    base = re.search(r"^FROM quay\.io/jupyter/minimal-notebook:(\S+)$", text, re.M)
    assert base and base.group(1) != "latest" and re.match(r"\d{4}-\d{2}-\d{2}$|[\w.-]+-\d", base.group(1)), "pin the tag"
    runtime = text[base.end():]
    installed = set(re.findall(r"[a-z0-9][a-z0-9.+-]+", runtime.split("apt-get install", 1)[1].split("&&", 1)[0]))
    assert "dataset-fashion-mnist" in installed
    dynamic = subprocess.run(["readelf", "-d", str(prefix / "bin/convnet-kernel")], capture_output=True, text=True,
                             timeout=30).stdout
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", dynamic)
    assert needed
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, timeout=30).stdout
    missing = {}
    for library in needed:
        path = re.search(rf"^\s+{re.escape(library)} \(.*x86-64.*\) => (\S+)$", cache, re.M)
        assert path, f"{library} is not on this machine"
        owner = package_of(path.group(1))
        if owner not in installed | {"libc6", "libstdc++6", "libgcc-s1"}:
            missing[library] = owner
    assert not missing, f"deploy/Dockerfile does not install the packages of {missing}"


def package_of(path: str) -> str:
    """The Debian package that owns a library file (following links; /lib and /usr/lib are one folder)."""
    real = os.path.realpath(path)
    for candidate in (path, real, real.removeprefix("/usr"), "/usr" + path):
        owner = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True, timeout=30)
        if owner.returncode == 0:
            return owner.stdout.split(":")[0]
    return f"(no package owns {path})"


def test_z2jh_values_set_the_image_and_memory() -> None:
    import yaml

    values = yaml.safe_load((REPO_ROOT / "deploy" / "z2jh-values.yaml").read_text())
    user = values["singleuser"]
    assert user["image"]["name"] and user["image"]["tag"]
    units = {"M": 2**20, "G": 2**30}
    guarantee, limit = (int(user["memory"][k][:-1]) * units[user["memory"][k][-1]] for k in ("guarantee", "limit"))
    assert 0 < guarantee <= limit
    cap = user["extraEnv"]["CONVNET_MEMORY_LIMIT"]
    assert int(cap[:-2]) * units[cap[-2]] < limit, "the nets' cap must sit below the pod's limit"


def test_the_binary_links_no_swift_runtime(prefix: Path) -> None:
    binary = prefix / "bin" / "convnet-kernel"
    libraries = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, timeout=30).stdout
    assert "not found" not in libraries, libraries
    assert "libswift" not in libraries and "Foundation" not in libraries, libraries
    assert str(TOOLCHAIN) not in libraries, libraries
    dynamic = subprocess.run(["readelf", "-d", str(binary)], capture_output=True, text=True, timeout=30).stdout
    paths = [line for line in dynamic.splitlines() if "RUNPATH" in line or "RPATH" in line]
    assert not any(str(TOOLCHAIN) in line or str(REPO_ROOT) in line for line in paths), paths


def test_installed_binary_writes_its_own_kernelspec_with_nothing_beside_it(prefix: Path, tmp_path: Path) -> None:
    lonely = tmp_path / "elsewhere" / "convnet-kernel"
    lonely.parent.mkdir()
    shutil.copy2(prefix / "bin" / "convnet-kernel", lonely)
    target = tmp_path / "env"
    done = subprocess.run(
        [str(lonely), "install", "--sys-prefix"], capture_output=True, text=True, timeout=30, cwd=lonely.parent,
        env={"PATH": "/usr/bin:/bin", "VIRTUAL_ENV": str(target)},
    )
    assert done.returncode == 0, done.stderr
    spec = spec_of(target)
    assert spec["argv"][0] == str(lonely)
    # The kernelspec built into the binary is the repository's, byte for byte (logos) and field for field.
    folder = target / "share/jupyter/kernels/convnet"
    for logo in ("logo-32x32.png", "logo-64x64.png"):
        assert (folder / logo).read_bytes() == (KERNELSPEC_SOURCE / logo).read_bytes(), logo
    template = json.loads((KERNELSPEC_SOURCE / "kernel.json").read_text())
    assert {k: v for k, v in spec.items() if k != "argv"} == {k: v for k, v in template.items() if k != "argv"}
    assert spec["argv"][1:] == template["argv"][1:]


def test_sys_prefix_uses_conda_when_no_venv_is_active(prefix: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(prefix / "bin/convnet-kernel"), "install", "--sys-prefix"], capture_output=True, text=True, timeout=30,
        env={"PATH": "/usr/bin:/bin", "CONDA_PREFIX": str(tmp_path / "conda")},
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "conda/share/jupyter/kernels/convnet/kernel.json").is_file()


def test_sys_prefix_without_an_environment_says_so(prefix: Path) -> None:
    done = subprocess.run(
        [str(prefix / "bin/convnet-kernel"), "install", "--sys-prefix"], capture_output=True, text=True, timeout=30,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 2
    assert "VIRTUAL_ENV" in done.stderr and "CONDA_PREFIX" in done.stderr


def can_hide_folders() -> bool:
    """Whether this process may make a private mount namespace (root, or a kernel allowing it)."""
    try:
        done = subprocess.run(
            ["unshare", "--mount", "--propagation", "private", "true"], capture_output=True, timeout=10
        )
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def chapter_opening() -> nbformat.NotebookNode:
    """The chapter's cells up to and including its first training cell."""
    notebook = nbformat.read(CHAPTER, as_version=4)
    kept = []
    for cell in notebook.cells:
        kept.append(cell)
        if cell.cell_type == "code" and "train(" in cell.source:
            break
    notebook.cells = kept
    return notebook


def test_installed_kernel_runs_the_chapter_with_the_repository_and_toolchain_hidden(
    prefix: Path, tmp_path: Path
) -> None:
    spec = spec_of(prefix)
    argv = spec["argv"]
    hidden: list[Path] = []
    if can_hide_folders():
        # A private mount namespace in which empty folders cover the repository (its .build
        # folders, its kernelspec sources) and the Swift toolchain: only the kernel sees it.
        hidden = [REPO_ROOT] + ([TOOLCHAIN] if TOOLCHAIN.is_dir() else [])
        covers = " && ".join(f"mount -t tmpfs none '{folder}'" for folder in hidden)
        argv = ["unshare", "--mount", "--propagation", "private", "sh", "-c", f'{covers} && exec "$0" "$@"', *argv]
    else:
        # At least a copy of the prefix, far from the build, with the toolchain off the PATH.
        copy = tmp_path / "copied-prefix"
        shutil.copytree(prefix, copy, symlinks=True)
        argv = [str(copy / "bin/convnet-kernel"), *argv[1:]]
    masked = dict(spec, argv=argv, display_name="Convnet (installed, build hidden)")
    kernels = tmp_path / "jupyter" / "kernels" / "convnet-installed"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps(masked))

    env_before = dict(os.environ)
    os.environ["JUPYTER_PATH"] = str(tmp_path / "jupyter")
    os.environ["PATH"] = ":".join(p for p in os.environ["PATH"].split(":") if not p.startswith(str(TOOLCHAIN)))
    os.environ.pop("LD_LIBRARY_PATH", None)
    try:
        notebook = chapter_opening()
        client = NotebookClient(notebook, kernel_name="convnet-installed", timeout=600, startup_timeout=60)
        client.execute(cwd=str(tmp_path))
    finally:
        os.environ.clear()
        os.environ.update(env_before)

    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert any("dataset(" in cell.source for cell in code) and any("train(" in cell.source for cell in code)
    for cell in code:
        errors = [out for out in cell.outputs if out.output_type == "error"]
        assert not errors, f"{cell.source!r} failed: {errors}"
        assert not [o for o in cell.outputs if o.get("name") == "stderr"], f"{cell.source!r} wrote to stderr"
    pictures = [cell for cell in code if "figure" in cell.metadata.get("tags", [])]
    assert pictures and all(any("image/png" in out.get("data", {}) for out in cell.outputs) for cell in pictures)
    evaluated = code[-1].outputs[-1]["data"]["text/plain"]
    assert "accuracy" in evaluated.lower(), evaluated
    if hidden:
        # The namespace really hid the build: the kernel's process saw an empty repository.
        probe = subprocess.run(
            [*argv[:7], "ls", str(REPO_ROOT)], capture_output=True, text=True, timeout=30
        )
        assert probe.returncode == 0 and probe.stdout.strip() == "", probe
