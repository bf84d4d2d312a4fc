#!/usr/bin/env python3
"""`make grade-demo`: generates problem set 1, autogrades three sample submissions
(right, with mistakes, and the untouched release stub) with nbgrader, and prints
each one's score, cell by cell. Works in out/grading-work (or the folder given)."""

import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import demo  # noqa: E402


def report(scores):
    """The printed table, and whether every cell scored as demo.EXPECTED_SCORES says."""
    lines = []
    ok = True
    for student, cells in scores.items():
        total = sum(score for score, _ in cells.values())
        maximum = sum(most for _, most in cells.values())
        lines.append(f"{student:10s} {total:g} / {maximum:g}")
        for grade_id, (score, most) in sorted(cells.items()):
            expected = demo.EXPECTED_SCORES[student].get(grade_id)
            ok = ok and expected == score
            mark = "" if expected == score else f"   (expected {expected})"
            lines.append(f"    {grade_id:10s} {score:g} / {most:g}{mark}")
    return lines, ok


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--course", default="out/grading-work", help="scratch course folder (recreated)")
    parser.add_argument("--log", action="store_true", help="print nbgrader autograde's log too")
    args = parser.parse_args()
    scores, log = demo.run(pathlib.Path(args.course).resolve())
    if args.log:
        print(log)
    lines, ok = report(scores)
    print("\n".join(lines))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
