"""jupyter_kernel_test's conformance suite, run through jupyter_client and the installed kernelspec.

Every attribute that applies is set; the samples come from samples.py. The pager
(code_page_something) is left empty: the kernel sends no payloads, so that test
skips.
"""

from __future__ import annotations

import jupyter_kernel_test

import samples


class ConvnetKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = samples.KERNEL_NAME
    language_name = samples.LANGUAGE_NAME
    file_extension = samples.FILE_EXTENSION

    code_hello_world = samples.HELLO_WORLD
    code_stderr = samples.STDERR

    completion_samples = [{"text": s["text"], "matches": s["matches"]} for s in samples.COMPLETION_SAMPLES]
    complete_code_samples = samples.COMPLETE_CODE
    incomplete_code_samples = samples.INCOMPLETE_CODE
    invalid_code_samples = samples.INVALID_CODE

    code_generate_error = samples.ERROR
    code_execute_result = samples.EXECUTE_RESULTS
    code_display_data = samples.DISPLAY_DATA
    code_clear_output = samples.CLEAR_OUTPUT
    code_inspect_sample = samples.INSPECT

    code_history_pattern = samples.HISTORY_PATTERN
    supported_history_operations = ("tail", "range", "search")


class ConvnetIopubWelcomeTests(jupyter_kernel_test.IopubWelcomeTests):
    kernel_name = samples.KERNEL_NAME
    support_iopub_welcome = True
