"""papermill and nbconvert with the convnet language (the package in python/convnet_jupyter).

papermill needs a parameter translator for the notebook's language, and nbconvert a
Pygments lexer to highlight its code: the package registers both through entry points,
so the plain `papermill` and `jupyter nbconvert` commands find them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from harness import REPO_ROOT

CHAPTER = REPO_ROOT / "notebooks" / "convolutional-neural-networks.ipynb"
BIN = Path(sys.executable).parent
RUN_TIMEOUT = 600

pytestmark = pytest.mark.timeout(RUN_TIMEOUT + 60)


def papermill(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "papermill"), "--no-progress-bar", *args], capture_output=True, text=True, timeout=RUN_TIMEOUT
    )


def convnet_notebook(cells: list) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "convnet", "display_name": "Convnet", "language": "convnet"}
    nb.metadata["language_info"] = {"name": "convnet"}
    return nb


def stdout_of(cell: nbformat.NotebookNode) -> str:
    return "".join(out.get("text", "") for out in cell.outputs if out.get("name") == "stdout")


def test_the_chapter_is_parameterised(tmp_path: Path) -> None:
    """The command from the README, on the chapter itself (prepared, not run: the run is below)."""
    out = tmp_path / "out.ipynb"
    done = papermill(str(CHAPTER), str(out), "-p", "epochs", "2", "--prepare-only")
    assert done.returncode == 0, done.stderr
    cells = nbformat.read(out, as_version=4).cells
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])]
    injected = [i for i, c in enumerate(cells) if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and injected == [tagged[0] + 1]
    assert re.search(r"^epochs = 2$", cells[injected[0]].source, re.M), cells[injected[0]].source
    # Every training cell takes its passes from the parameter.
    trainings = [c.source for c in cells if c.cell_type == "code" and "train(" in c.source]
    assert trainings and all("epochs: epochs" in source for source in trainings), trainings


def test_help_notebook_lists_the_parameters() -> None:
    done = papermill("--help-notebook", str(CHAPTER))
    assert done.returncode == 0, done.stderr
    assert re.search(r"epochs: number \(default 1\)", done.stdout), done.stdout


def test_the_injected_epochs_are_the_ones_trained(tmp_path: Path) -> None:
    """The chapter's opening (data, a net, its first training) run by papermill with -p epochs 2."""
    chapter = nbformat.read(CHAPTER, as_version=4)
    opening = []
    for cell in chapter.cells:
        opening.append(cell)
        if cell.cell_type == "code" and "train(" in cell.source:
            break
    opening.append(new_code_cell("print(\"trained\", flat_history.epoch_loss.count, \"epochs\")"))
    # The training cell's history, kept for the check above.
    training = opening[-2]
    training.source = training.source.replace("train(", "flat_history = train(", 1)
    chapter.cells = opening
    source = tmp_path / "opening.ipynb"
    nbformat.write(chapter, source)

    out = tmp_path / "out.ipynb"
    done = papermill(str(source), str(out), "-p", "epochs", "2")
    assert done.returncode == 0, done.stderr[-3000:]
    executed = nbformat.read(out, as_version=4)
    assert stdout_of(executed.cells[-1]).strip() == "trained 2 epochs"
    assert executed.metadata["language_info"]["pygments_lexer"] == "convnet"


TRICKY = 'a "quoted" word, a back\\slash, \\n (not a newline), a tab\tand\na newline, \'single\' and ünïcödé ✓'


def test_values_reach_the_kernel_as_written(tmp_path: Path) -> None:
    """Strings are escaped as the language's lexer reads them; numbers, bools, none and lists translate."""
    nb = convnet_notebook([
        new_code_cell('text = "default"\nrate = 0\ncount = 0\nflag = false\nnothing = 1\nsizes = []\nhuge = 0',
                      metadata={"tags": ["parameters"]}),
        new_code_cell("print(text)"),
        new_code_cell('check(rate == -0.00125, "rate")\ncheck(count == 12345678901, "count")\n'
                      'check(flag == true, "flag")\ncheck(nothing == none, "nothing")\n'
                      'check(sizes == [28, "x", [1.5, true]], "sizes")\ncheck(huge > 1e308, "huge")\n'
                      'print("all checked")'),
    ])
    source = tmp_path / "values.ipynb"
    nbformat.write(nb, source)
    params = tmp_path / "params.json"
    params.write_text(json.dumps({
        "text": TRICKY, "rate": -0.00125, "count": 12345678901, "flag": True, "nothing": None,
        "sizes": [28, "x", [1.5, True]],
    }))
    out = tmp_path / "out.ipynb"
    # JSON has no infinity: it comes from the command line, which reads "inf" as a float.
    done = papermill(str(source), str(out), "-f", str(params), "-p", "huge", "inf")
    assert done.returncode == 0, done.stderr[-3000:]
    executed = nbformat.read(out, as_version=4)
    assert stdout_of(executed.cells[2]) == TRICKY + "\n"
    assert stdout_of(executed.cells[3]).strip() == "all checked"


@pytest.mark.parametrize(
    "args, message",
    [
        (["-y", "settings: {a: 1}"], "no dictionaries"),
        (["-y", 'text: "one\\rtwo"'], "carriage return"),
        (["-y", "for: 1"], "not a name"),
    ],
    ids=["dict", "carriage-return", "reserved-word"],
)
def test_values_the_language_cannot_write_are_refused_clearly(tmp_path: Path, args: list, message: str) -> None:
    nb = convnet_notebook([new_code_cell("x = 1", metadata={"tags": ["parameters"]})])
    source = tmp_path / "in.ipynb"
    nbformat.write(nb, source)
    done = papermill(str(source), str(tmp_path / "out.ipynb"), "--prepare-only", *args)
    assert done.returncode != 0
    assert message in done.stderr, done.stderr[-2000:]


def test_translator_unit() -> None:
    from convnet_jupyter.papermill_translator import ConvnetTranslator as T

    assert T.translate("say \"hi\"\n") == '"say \\"hi\\"\\n"'
    assert T.translate(r"C:\new") == r'"C:\\new"'
    assert T.translate(True) == "true" and T.translate(None) == "none"
    assert T.translate(3) == "3" and T.translate(0.1) == "0.1" and T.translate(-1e-7) == "-1e-07"
    assert T.translate(float("-inf")) == "-1e999"
    assert T.translate([1, [2, "a"]]) == '[1, [2, "a"]]'
    assert T.codify({"epochs": 2}) == "# Parameters\nepochs = 2\n"


def test_nbconvert_html_highlights_the_code(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(BIN / "jupyter"), "nbconvert", "--to", "html", str(CHAPTER), "--output-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=RUN_TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    assert "No lexer found" not in done.stderr, done.stderr
    html = (tmp_path / "convolutional-neural-networks.html").read_text()
    assert re.search(r'<span class="nb">dataset</span>', html), "built-ins are not highlighted"
    assert '<span class="m m-Volume">28x28x1</span>' in html, "volumes are not highlighted"
    assert '<span class="s2">"fashion-mnist"</span>' in html, "strings are not highlighted"


def test_lexer_reads_every_cell_of_the_notebooks_and_knows_every_builtin() -> None:
    from pygments.lexers import get_lexer_by_name
    from pygments.token import Error, Keyword, Name, Number, Operator

    from convnet_jupyter.lexer import BUILTINS

    lexer = get_lexer_by_name("convnet")
    for path in (REPO_ROOT / "notebooks").glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                tokens = list(lexer.get_tokens(cell.source))
                assert not [t for t in tokens if t[0] is Error], f"{path.name}: {cell.source!r}"
    documented = set(re.findall(r"^#### `(\w+)\(", (REPO_ROOT / "docs/language.md").read_text(), re.M))
    assert documented == set(BUILTINS), f"docs only: {documented - set(BUILTINS)}, lexer only: {set(BUILTINS) - documented}"
    kinds = {value: kind for kind, value in lexer.get_tokens("net = sequential(28x28x1, conv(8, 5x5, pad: 2))")}
    assert kinds["sequential"] is Name.Builtin and kinds["pad"] is Name.Attribute
    assert str(kinds["28x28x1"]).startswith("Token.Literal.Number")
    kinds = {value: kind for kind, value in lexer.get_tokens("for lr in [0.1, 1e-3]:\n    x = not true")}
    assert kinds["for"] is Keyword and kinds["in"] is Keyword and kinds["not"] is Operator.Word
    assert kinds["true"] is Keyword.Constant and kinds["x"] is Name and kinds["1e-3"] is Number.Float
