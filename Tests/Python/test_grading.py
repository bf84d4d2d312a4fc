"""nbgrader grades problem set 1 on the convnet kernel: the scores of three sample
submissions (right, with mistakes, the untouched release stub), cell by cell."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from notebook_support import REPO_ROOT, ensure_convnet_kernelspec

sys.path.insert(0, str(REPO_ROOT / "grading"))
import demo  # noqa: E402

# Whole notebooks executed in the fixtures: longer than pytest.ini's 60 s per test.
pytestmark = pytest.mark.timeout(600)

# What each test cell must score, worked out from what the submissions wrote (see demo.SUBMISSIONS).
EXPECTED = {
    # every answer right, q2 computed with shape(...) instead of written out
    "right": {"q1-tests": 1, "q2-tests": 1, "q3-tests": 2, "q4-tests": 1, "q5-tests": 2},
    # q1: the chapter's 25x25x8 passes the visible test but not the hidden one; q3 forgets
    # the biases (hidden test); q5 never trains, so the net is near chance on held-out images
    "mistakes": {"q1-tests": 0, "q2-tests": 1, "q3-tests": 0, "q4-tests": 1, "q5-tests": 0},
    # todo() everywhere: every test cell fails on an unknown name
    "stub": {"q1-tests": 0, "q2-tests": 0, "q3-tests": 0, "q4-tests": 0, "q5-tests": 0},
}
MAX_SCORES = {"q1-tests": 1, "q2-tests": 1, "q3-tests": 2, "q4-tests": 1, "q5-tests": 2}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    ensure_convnet_kernelspec()
    course = tmp_path_factory.mktemp("grading") / "course"
    scores, log = demo.run(course)
    return course, scores, log


def test_source_matches_its_generator():
    done = subprocess.run([sys.executable, str(REPO_ROOT / "grading" / "build_source.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_release_has_stubs_and_no_solutions_or_hidden_tests(course):
    path, _, _ = course
    release = nbformat.read(path / "release" / "ps1" / "ps1.ipynb", as_version=4)
    sources = {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in release.cells}
    for question in ("q1", "q2", "q3", "q4", "q5"):
        assert sources[f"{question}-answer"].strip() == "todo()"
    everything = "\n".join(sources.values())
    assert "HIDDEN TESTS" not in everything and "BEGIN SOLUTION" not in everything
    assert "24x24x8" not in everything and "2960" not in everything


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_scores_cell_by_cell(course, student):
    _, scores, log = course
    got = {grade_id: score for grade_id, (score, _) in scores[student].items()}
    assert got == EXPECTED[student], f"{student}: {got}\nautograde log:\n{log[-4000:]}"
    assert {grade_id: most for grade_id, (_, most) in scores[student].items()} == MAX_SCORES


def test_demo_report_prints_each_score(course):
    import grade_demo

    _, scores, _ = course
    lines, ok = grade_demo.report(scores)
    assert ok
    assert {"right      7 / 7", "mistakes   2 / 7", "stub       0 / 7"} <= set(lines), lines
    assert "    q3-tests   0 / 2" in lines
