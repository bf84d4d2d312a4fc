#!/usr/bin/env python3
"""Writes grading/source/ps1/ps1.ipynb, the instructor's version of problem set 1.

Solution regions (### BEGIN SOLUTION / ### END SOLUTION) are replaced by todo() in
the released copy; hidden tests (### BEGIN HIDDEN TESTS / ### END HIDDEN TESTS) are
removed from it and run again at autograde time. Every marker line is a comment in
the convnet language, since autograde executes the lines between them.

    python grading/build_source.py          # rewrite the notebook
    python grading/build_source.py --check  # exit 1 when it is out of date
"""

import argparse
import pathlib
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = pathlib.Path(__file__).resolve().parent
TARGET = HERE / "source" / "ps1" / "ps1.ipynb"


def nbgrader(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def text(grade_id, source):
    return new_markdown_cell(source.strip("\n"), metadata=nbgrader(grade_id, locked=True))


def given(grade_id, source):
    """Code the student runs but does not change."""
    return new_code_cell(source.strip("\n"), metadata=nbgrader(grade_id, locked=True))


def solution(grade_id, source):
    return new_code_cell(source.strip("\n"), metadata=nbgrader(grade_id, solution=True))


def tests(grade_id, points, source):
    return new_code_cell(source.strip("\n"), metadata=nbgrader(grade_id, grade=True, locked=True, points=points))


CELLS = [
    text("intro", r"""
# Problem set 1: volumes, parameters and a first convnet

Replace each `todo()` with your answer and run the notebook top to bottom. The cells with
`check(...)` test your answers; some more tests run only when your notebook is graded.
"""),
    given("setup", r"""
data = dataset("fashion-mnist")
"""),
    text("q1-text", r"""
**Question 1 (1 point).** A conv layer of 8 filters of 5x5 (stride 1, no padding) takes a
28x28x1 image. Set `q1` to its output volume, written like `10x10x4`.
"""),
    solution("q1-answer", r"""
### BEGIN SOLUTION
q1 = 24x24x8
### END SOLUTION
"""),
    tests("q1-tests", 1, r"""
check(len(q1) == 3, "a volume has a width, a height and a depth")
### BEGIN HIDDEN TESTS
check(q1 == 24x24x8, "count the positions of a 5-wide filter in a 28-pixel row")
### END HIDDEN TESTS
"""),
    text("q2-text", r"""
**Question 2 (1 point).** A 32x32x3 colour image goes through 20 filters of 7x7x3 (stride 1,
no padding). Set `q2` to the output volume.
"""),
    solution("q2-answer", r"""
### BEGIN SOLUTION
q2 = 26x26x20
### END SOLUTION
"""),
    tests("q2-tests", 1, r"""
check(len(q2) == 3, "a volume has a width, a height and a depth")
check(q2.depth == 20, "the depth of a conv output is its number of filters")
### BEGIN HIDDEN TESTS
check(q2 == 26x26x20, "the width is (32 - 7) / 1 + 1")
### END HIDDEN TESTS
"""),
    text("q3-text", r"""
**Question 3 (2 points).** How many parameters (weights and biases) does the layer of
question 2 learn? Set `q3` to the number.
"""),
    solution("q3-answer", r"""
### BEGIN SOLUTION
q3 = 20 * (7 * 7 * 3 + 1)
### END SOLUTION
"""),
    tests("q3-tests", 2, r"""
check(q3 > 0, "q3 is a number of parameters")
### BEGIN HIDDEN TESTS
check(q3 != 20 * 7 * 7 * 3, "each filter also has a bias")
check(q3 == 2960, "each filter has 7 x 7 x 3 weights and a bias")
### END HIDDEN TESTS
"""),
    text("q4-text", r"""
**Question 4 (1 point).** Build `net`: input 28x28x1, a conv layer of 8 filters of 5x5 that
keeps the width and height at 28 (choose the padding), relu, a 2x2 max pool, then a dense
layer of 10 and a softmax.
"""),
    solution("q4-answer", r"""
### BEGIN SOLUTION
net = sequential(28x28x1, conv(8, 5x5, pad: 2), relu(), maxpool(2x2), dense(10), softmax())
### END SOLUTION
"""),
    tests("q4-tests", 1, r"""
check(shape(net, 1) == 28x28x8, "the first layer should keep 28x28: pad (5 - 1) / 2 on each side")
### BEGIN HIDDEN TESTS
check(shape(net, 3) == 14x14x8, "a 2x2 max pool after the conv layer")
### END HIDDEN TESTS
"""),
    text("q5-text", r"""
**Question 5 (2 points).** Train `net` on the first 3,000 training images for one epoch
(batch 32, SGD with learning rate 0.01 and momentum 0.9). It is tested on 500 test images
it has not seen and should reach at least 60% accuracy.
"""),
    solution("q5-answer", r"""
### BEGIN SOLUTION
train(net, data.train[0:3000], epochs: 1, batch: 32, optimizer: sgd(lr: 0.01, momentum: 0.9))
### END SOLUTION
"""),
    tests("q5-tests", 2, r"""
check(evaluate(net, data.test[0:500]).accuracy >= 0.6, "train the net before it is tested")
"""),
]


def build():
    nb = new_notebook(cells=CELLS)
    nb.metadata["kernelspec"] = {"name": "convnet", "display_name": "Convnet", "language": "convnet"}
    nb.metadata["language_info"] = {"name": "convnet", "file_extension": ".convnet", "mimetype": "text/x-convnet"}
    for index, cell in enumerate(nb.cells):
        cell["id"] = cell.metadata["nbgrader"]["grade_id"]
    return nbformat.writes(nb) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text_now = build()
    if args.check:
        if not TARGET.exists() or TARGET.read_text() != text_now:
            sys.exit("grading/source/ps1/ps1.ipynb is out of date: run grading/build_source.py")
        return
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text_now)
    print(f"wrote {TARGET.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
