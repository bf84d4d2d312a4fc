"""The grading demo: generate problem set 1, grade three sample submissions, read the scores.

Runs nbgrader 0.9.x from the same venv on a scratch copy of this folder, so runs never
dirty the tree. `grade_demo.py` prints the scores; Tests/Python/test_grading.py asserts them.
"""

import os
import pathlib
import shutil
import subprocess
import sys

import nbformat

HERE = pathlib.Path(__file__).resolve().parent
ASSIGNMENT = "ps1"

# What each sample student wrote in place of todo(), by the solution cell's grade_id.
# "stub" hands in the release copy untouched.
SUBMISSIONS = {
    "right": {
        "q1-answer": "q1 = 24x24x8",
        "q2-answer": "q2 = shape(conv(20, 7x7), 32x32x3)   # let the kernel count",
        "q3-answer": "q3 = 20 * (7 * 7 * 3 + 1)",
        "q4-answer": "net = sequential(28x28x1, conv(8, 5x5, pad: 2), relu(), maxpool(2x2), dense(10), softmax())",
        "q5-answer": "train(net, data.train[0:3000], epochs: 1, batch: 32, optimizer: sgd(lr: 0.01, momentum: 0.9))",
    },
    "mistakes": {
        "q1-answer": "q1 = 25x25x8   # the figure in the chapter's text",
        "q2-answer": "q2 = 26x26x20",
        "q3-answer": "q3 = 20 * 7 * 7 * 3   # forgot the biases",
        "q4-answer": "net = sequential(28x28x1, conv(8, 5x5, pad: 2), relu(), maxpool(2x2), dense(10), softmax())",
        "q5-answer": "# I will train it later",
    },
    "stub": {},
}

# The score each test cell should get, by student: what the test asserts.
EXPECTED_SCORES = {
    "right": {"q1-tests": 1, "q2-tests": 1, "q3-tests": 2, "q4-tests": 1, "q5-tests": 2},
    "mistakes": {"q1-tests": 0, "q2-tests": 1, "q3-tests": 0, "q4-tests": 1, "q5-tests": 0},
    "stub": {"q1-tests": 0, "q2-tests": 0, "q3-tests": 0, "q4-tests": 0, "q5-tests": 0},
}


def nbgrader(args, course):
    """Runs `nbgrader ARGS` in the course folder; returns its combined output, raising on failure."""
    command = [sys.executable, "-m", "nbgrader", *args]
    # nbgrader runs `alembic` (its database migrations) from PATH: put the venv's bin first.
    env = dict(os.environ, PATH=os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")]))
    result = subprocess.run(command, cwd=course, capture_output=True, text=True, env=env)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}):\n{output}")
    return output


def prepare_course(course):
    """A fresh course folder with the config and the source notebook."""
    course = pathlib.Path(course)
    if course.exists():
        shutil.rmtree(course)
    course.mkdir(parents=True)
    shutil.copy(HERE / "nbgrader_config.py", course)
    shutil.copytree(HERE / "source", course / "source")
    return course


def generate(course):
    """nbgrader generate_assignment: the release copy, with todo() stubs and no hidden tests."""
    output = nbgrader(["generate_assignment", ASSIGNMENT, "--force"], course)
    release = course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    if not release.exists():
        raise RuntimeError(f"generate_assignment wrote no {release}:\n{output}")
    return release


def make_submissions(course, release):
    """Writes submitted/STUDENT/ps1/ps1.ipynb for each sample student, from the release copy."""
    for student, answers in SUBMISSIONS.items():
        nb = nbformat.read(release, as_version=4)
        filled = set()
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in answers:
                if "todo()" not in cell.source:
                    raise RuntimeError(f"release cell {grade_id} has no todo() stub: {cell.source!r}")
                cell.source = answers[grade_id]
                filled.add(grade_id)
        missing = set(answers) - filled
        if missing:
            raise RuntimeError(f"no solution cells {sorted(missing)} in the release copy")
        target = course / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)


def autograde(course):
    return nbgrader(["autograde", ASSIGNMENT, "--force"], course)


def read_scores(course):
    """{student: {grade_id: (score, max_score)}} from the course's gradebook."""
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student in SUBMISSIONS:
            notebook = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
            scores[student] = {grade.name: (grade.score, grade.max_score) for grade in notebook.grades}
    return scores


def run(course):
    """The whole demo; returns (scores, autograde's log)."""
    course = prepare_course(course)
    release = generate(course)
    make_submissions(course, release)
    log = autograde(course)
    return read_scores(course), log
