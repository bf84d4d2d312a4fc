"""The module graph as the design draws it: the language and the protocol link no sockets."""
import json
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _targets():
    swift = shutil.which("swift")
    if swift is None:
        pytest.skip("swift is not on PATH")
    out = subprocess.run([swift, "package", "describe", "--type", "json"], cwd=ROOT, check=True,
                         capture_output=True, text=True, timeout=300).stdout
    package = json.loads(out[out.index("{"):])
    return {t["name"]: t for t in package["targets"]}


def _reachable(targets, start):
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        for dep in targets.get(name, {}).get("target_dependencies") or []:
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


@pytest.mark.parametrize("module", ["ConvnetLanguage", "JupyterProtocol", "Convnet", "Pictures", "Exercises"])
def test_no_path_to_sockets_or_crypto(module):
    targets = _targets()
    assert module in targets
    reached = _reachable(targets, module)
    assert not reached & {"CZMQ", "CCrypto", "Jupyter"}, f"{module} reaches {sorted(reached & {'CZMQ', 'CCrypto', 'Jupyter'})}"


def test_the_server_is_built_on_the_protocol():
    targets = _targets()
    assert "JupyterProtocol" in targets["Jupyter"]["target_dependencies"]
    assert {"CZMQ", "CCrypto"} <= set(targets["Jupyter"]["target_dependencies"])
