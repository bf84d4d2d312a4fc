"""Every notebook in notebooks/ runs top to bottom on the convnet kernel with no error
and nothing on stderr, and every cell tagged "figure" shows a picture."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from notebook_support import NOTEBOOKS, code_cells, ensure_convnet_kernelspec, tags

# Whole notebooks executed in the fixtures: longer than pytest.ini's 60 s per test.
pytestmark = pytest.mark.timeout(600)

NOTEBOOK_PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
PICTURES = ("image/png", "image/svg+xml")


@pytest.fixture(scope="module", autouse=True)
def kernelspec():
    return ensure_convnet_kernelspec()


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Each notebook executed once (in a scratch folder, so nothing it writes lands in the repo)."""
    cache = {}

    def run(path):
        if path not in cache:
            nb = nbformat.read(path, as_version=4)
            workdir = tmp_path_factory.mktemp(path.stem)
            NotebookClient(nb, timeout=600, kernel_name="convnet", resources={"metadata": {"path": str(workdir)}}).execute()
            cache[path] = nb
        return cache[path]

    return run


def test_there_are_notebooks():
    names = {path.name for path in NOTEBOOK_PATHS}
    assert {"convolutional-neural-networks.ipynb", "exercises.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.name)
def test_committed_without_outputs_for_the_convnet_kernel(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec == {"name": "convnet", "display_name": "Convnet", "language": "convnet"}
    assert nb.metadata.language_info["name"] == "convnet"
    for cell in code_cells(nb):
        assert cell.outputs == [] and cell.execution_count is None, f"cell {cell.id} was committed with outputs"


def test_notebooks_match_their_generator():
    done = subprocess.run([sys.executable, str(NOTEBOOKS / "build_notebooks.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.name)
def test_runs_without_errors_or_stderr(path, executed):
    nb = executed(path)
    for cell in code_cells(nb):
        assert cell.execution_count is not None, f"cell {cell.id} did not run"
        for output in cell.outputs:
            assert output.output_type != "error", f"cell {cell.id}:\n{cell.source}\nfailed: {output.ename}: {output.evalue}"
            assert not (output.output_type == "stream" and output.name == "stderr"), (
                f"cell {cell.id} wrote to stderr: {output.text}")


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.name)
def test_figure_cells_show_pictures(path, executed):
    nb = executed(path)
    figures = [cell for cell in code_cells(nb) if "figure" in tags(cell)]
    for cell in figures:
        kinds = {kind for output in cell.outputs for kind in output.get("data", {})}
        assert kinds & set(PICTURES), f"figure cell {cell.id}:\n{cell.source}\nshowed only {sorted(kinds) or 'nothing'}"


def test_every_picture_has_its_text_as_alt_text(executed):
    """Screen readers and nbconvert's HTML read `metadata[mime]["alt"]`: every picture carries its text twin there."""
    nb = executed(NOTEBOOKS / "convolutional-neural-networks.ipynb")
    checked = 0
    for cell in code_cells(nb):
        for output in cell.outputs:
            for kind in PICTURES:
                if kind in output.get("data", {}):
                    alt = output.get("metadata", {}).get(kind, {}).get("alt")
                    assert alt, f"cell {cell.id}: {kind} without alt text"
                    # A live view's text twin names the widget; its still picture keeps the picture's own text as alt.
                    if "application/vnd.jupyter.widget-view+json" not in output["data"]:
                        assert alt == output["data"]["text/plain"], f"cell {cell.id}: {kind}'s alt is not its text twin"
                    checked += 1
    assert checked >= 10, f"only {checked} pictures in the chapter"


def test_chapter_has_a_figure_for_every_demo():
    nb = nbformat.read(NOTEBOOKS / "convolutional-neural-networks.ipynb", as_version=4)
    figure_sources = "\n".join(cell.source for cell in code_cells(nb) if "figure" in tags(cell))
    # DESIGN.md's demos: templates, one filter sliding, the 8 maps, pooling, the deep net's activations, confusion.
    for call in ("templates(", "convolve(", "convolution_step(", "filters(first", "layer_maps(first", "activations(first",
                 "maxpool(map1", "watch: img", "activations(deep", "confusion(", "confusion_examples("):
        assert call in figure_sources, f"no figure cell calls {call}"


def test_exercises_notebook_gives_hints_and_marks_progress(executed):
    nb = executed(NOTEBOOKS / "exercises.ipynb")
    text = "\n".join(
        str(output.get("text", "")) + str(output.get("data", {}).get("text/plain", ""))
        for cell in code_cells(nb) for output in cell.outputs)
    assert "Correct" in text
    last_listing = "".join(
        str(output.get("data", {}).get("text/plain", "")) + str(output.get("text", "")) for output in code_cells(nb)[-1].outputs)
    assert "[x] volume-cifar" in last_listing, last_listing
    assert "[x] train-fashion" in last_listing, last_listing
