"""A notebook executed by nbclient, as `jupyter nbconvert --execute` and papermill-style runs do."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

import samples


def notebook(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nb.metadata["kernelspec"] = {"name": samples.KERNEL_NAME, "display_name": "Convnet", "language": "convnet"}
    return nb


def run(nb: nbformat.NotebookNode, **options: object) -> nbformat.NotebookNode:
    return NotebookClient(nb, kernel_name=samples.KERNEL_NAME, timeout=30, startup_timeout=30, **options).execute()


def test_notebook_runs_top_to_bottom() -> None:
    nb = run(notebook(samples.HELLO_WORLD, samples.ARITHMETIC, samples.DISPLAY_DATA[0]["code"], samples.CLEAR_OUTPUT))
    hello, arithmetic, image, cleared = nb.cells
    assert hello.outputs[0]["output_type"] == "stream" and "hello, world" in hello.outputs[0]["text"]
    assert hello.execution_count == 1 and arithmetic.execution_count == 2
    (result,) = arithmetic.outputs
    assert result["output_type"] == "execute_result"
    assert result["data"]["text/plain"] == samples.ARITHMETIC_RESULT
    assert result["execution_count"] == 2
    assert samples.DISPLAY_DATA[0]["mime"] in image.outputs[0]["data"]
    assert cleared.outputs == [], "clear_output left the printed text in the cell"
    nbformat.validate(nb)


def test_failing_cell_stops_the_run() -> None:
    nb = notebook(samples.ARITHMETIC, samples.ERROR, samples.HELLO_WORLD)
    with pytest.raises(CellExecutionError) as failure:
        run(nb)
    assert samples.ERROR_MENTIONS in str(failure.value)
    assert nb.cells[2].outputs == [], "a cell after the failure ran"


def test_allow_errors_runs_every_cell() -> None:
    nb = run(notebook(samples.ERROR, samples.HELLO_WORLD), allow_errors=True)
    assert nb.cells[0].outputs[0]["output_type"] == "error"
    assert "hello, world" in nb.cells[1].outputs[0]["text"]
