#!/usr/bin/env python3
"""Writes the project's notebooks from the cells listed here.

    python notebooks/build_notebooks.py           # rewrite notebooks/*.ipynb
    python notebooks/build_notebooks.py --check   # exit 1 when a notebook is out of date

The notebooks are committed without outputs; `make notebook` executes the chapter.
Cells that must show a picture carry the tag "figure": Tests/Python/test_notebooks.py
asserts an image/png or image/svg+xml output in each of them.
"""

import argparse
import pathlib
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = pathlib.Path(__file__).resolve().parent

KERNELSPEC = {"name": "convnet", "display_name": "Convnet", "language": "convnet"}
LANGUAGE_INFO = {"name": "convnet", "file_extension": ".convnet", "mimetype": "text/x-convnet"}


def md(text):
    return new_markdown_cell(text.strip("\n"))


def code(text, *tags):
    cell = new_code_cell(text.strip("\n"))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def figure(text):
    """A code cell whose output must include a picture."""
    return code(text, "figure")


def notebook(cells):
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    return nb


# Stable cell ids, so regenerating a notebook does not change every line of it.
def with_ids(nb, prefix):
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"{prefix}-{index:02d}"
    return nb


from chapter_cells import chapter_cells  # noqa: E402  (kept beside this script)
from exercise_cells import exercise_cells  # noqa: E402

NOTEBOOKS = {
    "convolutional-neural-networks.ipynb": lambda: with_ids(notebook(chapter_cells(md, code, figure)), "cnn"),
    "exercises.ipynb": lambda: with_ids(notebook(exercise_cells(md, code)), "ex"),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail when a committed notebook differs from its cells")
    args = parser.parse_args()
    stale = []
    for name, build in NOTEBOOKS.items():
        path = HERE / name
        text = nbformat.writes(build()) + "\n"
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
        else:
            path.write_text(text)
            print(f"wrote {path.relative_to(HERE.parent)}")
    if stale:
        print("out of date (run notebooks/build_notebooks.py):", ", ".join(stale), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
