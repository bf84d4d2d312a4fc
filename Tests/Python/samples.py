"""Every piece of code the protocol tests send to the kernel, in one place.

The kernel's protocol tests must not depend on the language beyond these samples:
arithmetic, print, warn, clear, sleep, input, errors and one display. Adapt them
here when the language changes.
"""

KERNEL_NAME = "convnet"
LANGUAGE_NAME = "convnet"
FILE_EXTENSION = ".convnet"

# A cell that writes "hello, world" to stdout (jupyter_kernel_test looks for that text).
HELLO_WORLD = 'print("hello, world")'

# A cell that writes to stderr and succeeds.
STDERR = 'warn("careful")'

# A bare expression at the end of a cell: its value is the execute_result.
ARITHMETIC = "1 + 2 * 3"
ARITHMETIC_RESULT = "7"

# More cells with a result, for jupyter_kernel_test's execute_result and history tests.
EXECUTE_RESULTS = [
    {"code": "6 * 7", "result": "42"},
    {"code": "(1 + 2) * 3", "result": "9"},
    {"code": "10 / 4", "result": "2.5"},
]
# A pattern (history search, glob syntax) that matches one of the codes above.
HISTORY_PATTERN = "6 *"

# A cell that fails: an error output and an execute_reply with status "error".
# Division by zero is a ZeroDivisionError; its message (evalue or traceback)
# mentions ERROR_MENTIONS.
ERROR = "1 / 0"
ERROR_MENTIONS = "zero"

# A cell that sends clear_output.
CLEAR_OUTPUT = 'print("gone soon")\nclear()'

# A cell that displays an image (display_data with image/png): a 2x2 filter, shown.
DISPLAY_DATA = [{"code": "show(kernel([[0, 1], [1, 0]]))", "mime": "image/png"}]

# A cell that runs until interrupted.
LONG_SLEEP = "sleep(30)"


def sleep_for(seconds: float) -> str:
    """A cell that takes `seconds` to run."""
    return f"sleep({seconds})"


def print_line(text: str) -> str:
    """A cell that prints one line of text to stdout."""
    return f'print("{text}")'


# A comment of about `size` bytes: a very large cell that does nothing.
def big_comment(size: int) -> str:
    return "# " + "x" * (size - 2)


# Completion: built-in names by prefix (jupyter_kernel_test wants exactly these matches).
COMPLETION_SAMPLES = [
    {"text": "pri", "matches": {"print"}},
    {"text": "sle", "matches": {"sleep"}},
]

# is_complete samples.
COMPLETE_CODE = ["1 + 2", 'print("done")', "# a comment"]
INCOMPLETE_CODE = ["(1 + 2", 'print("open"', "((1 + 2) * 3"]
INVALID_CODE = ["1 + )", ")("]

# Inspection: a call the interpreter documents.
INSPECT = "print"

# A cell that asks for a line over stdin (input_request) with this prompt and prints
# what was typed.
INPUT_PROMPT = "Name? "
INPUT = f'print(input("{INPUT_PROMPT}"))'
