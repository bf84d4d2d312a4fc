# nbgrader configuration of the demo course "convnets" (nbgrader 0.9.x).
# `make grade-demo` copies this folder to out/grading-work and runs there.
c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "convnets"

# nbgrader replaces each solution region with a stub that fails when run, as
# Python's `raise NotImplementedError()` does. In the convnet language that is
# todo(); the key is the notebook's kernelspec.language.
c.ClearSolutions.code_stub = {"convnet": "todo()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# The markers are matched anywhere in a line; written as `### BEGIN SOLUTION`
# they are comments in the convnet language, so autograde can run the lines.
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"

# Seconds per cell. A cell that times out is interrupted (SIGINT) and scores 0;
# the kernel must survive that and go on with the next cell. Graded training
# cells train small nets on slices, well inside this.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
