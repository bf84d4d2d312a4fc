"""The chapter notebook in a real browser: JupyterLab in Debian's chromium, driven by
Playwright. Opens the notebook with the convnet kernel, clears its outputs, runs every
cell, and checks that the images rendered and that no cell shows an error; saves a
screenshot to out/browser-chapter.png. It fails on any browser console message about
widgets ("Wrong widget protocol", "not registered", "Class ... not found", "Error
displaying widget"), and when the chapter has its interactive demos
(notebooks/chapter_widgets.py), it presses pause while the watched net trains and checks
that the batch counter stops, and moves the convolution demo's x slider with the keyboard
and checks that its picture changed.

It takes about a minute and needs Debian's chromium and the playwright package (both
installed by `make setup`), so it runs when CONVNET_BROWSER_TEST=1, as `make test` and
`make browser-test` set it; a plain `pytest` skips it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from notebook_support import NOTEBOOKS, REPO_ROOT, ensure_convnet_kernelspec

pytestmark = [
    # JupyterLab running the whole chapter: far longer than pytest.ini's 60 s per test.
    pytest.mark.timeout(1200),
    pytest.mark.skipif(os.environ.get("CONVNET_BROWSER_TEST") != "1", reason="set CONVNET_BROWSER_TEST=1 (make test does)"),
]

CHROMIUM = "/usr/lib/chromium/chromium"
NOTEBOOK = "convolutional-neural-networks.ipynb"
TOKEN = "convnet-browser-test"
RUN_TIMEOUT_S = 900
VISIBLE_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
# What ipywidgets' front end logs when a kernel's widget messages are wrong (WIDGETS.md).
WIDGET_TROUBLE = re.compile(r"Wrong widget protocol|not registered|Class \S+ not found|Error displaying widget|"
                            r"widget model not found", re.I)
# The cells of the interactive demos, found by what they call.
CONVOLUTION_DEMO = "live(convolution_step(img, k.value, x.value, y.value))"
TRAINING_DEMO = "watch: img, controls: true"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a scratch copy of notebooks/, with fresh workspaces and
    settings (so no earlier session is restored) and every cell attached to the page."""
    ensure_convnet_kernelspec()
    root = tmp_path_factory.mktemp("lab")
    served = root / "notebooks"
    served.mkdir()
    shutil.copy(NOTEBOOKS / NOTEBOOK, served)
    settings = root / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Render every cell, not only those in view, so the checks see the whole notebook.
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    # No "get notified about Jupyter news?" toast over the screenshot.
    apputils = root / "settings" / "@jupyterlab" / "apputils-extension"
    apputils.mkdir(parents=True)
    (apputils / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    port = free_port()
    env = dict(os.environ,
               JUPYTERLAB_WORKSPACES_DIR=str(root / "workspaces"),
               JUPYTERLAB_SETTINGS_DIR=str(root / "settings"),
               JUPYTER_RUNTIME_DIR=str(root / "runtime"),
               JUPYTER_CONFIG_DIR=str(root / "config"))
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
               f"--ServerApp.token={TOKEN}", f"--ServerApp.root_dir={served}", "--allow-root"]
    log = open(root / "lab.log", "w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.time() > deadline:
                server.kill()
                pytest.fail(f"jupyter lab did not start:\n{(root / 'lab.log').read_text()}")
            time.sleep(0.5)
    yield url
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


def test_chapter_runs_in_jupyterlab(lab):
    assert Path(CHROMIUM).exists(), f"no chromium at {CHROMIUM}: apt-get install chromium (scripts/install-apt.sh does)"
    from playwright.sync_api import sync_playwright

    out = REPO_ROOT / "out"
    out.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        console = []
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
        page.goto(f"{lab}/lab/tree/{NOTEBOOK}?reset&token={TOKEN}")
        panel = page.locator(VISIBLE_PANEL)
        panel.locator(".jp-Cell").first.wait_for(timeout=60_000)
        wait_for_idle_kernel(page)

        # Clear outputs first, so prompts left from an earlier run cannot fake completion.
        run_menu_command(page, "Edit", "Clear Outputs of All Cells")
        assert panel.locator(".jp-OutputArea-output").count() == 0
        start_run_all(page, panel)

        code_cells = panel.locator(".jp-CodeCell")
        total = code_cells.count()
        training = panel.locator(".jp-CodeCell", has_text=TRAINING_DEMO)
        interactive = training.count() > 0 and panel.locator(".jp-CodeCell", has_text=CONVOLUTION_DEMO).count() > 0
        paused_checked = False
        deadline = time.time() + RUN_TIMEOUT_S
        while True:
            if interactive and not paused_checked:
                paused_checked = pause_stops_training(training.first)
            prompts = panel.locator(".jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
            busy = [p for p in prompts if "*" in p]
            numbered = [p for p in prompts if any(ch.isdigit() for ch in p)]
            if not busy and len(numbered) == total and kernel_status(page) == "idle":
                break
            if failed_outputs(panel).count() > 0 and not busy:
                break  # Run All stops at a failing cell; the assertion below reports it
            if time.time() > deadline:
                page.screenshot(path=str(out / "browser-chapter-timeout.png"))
                pytest.fail(f"still running after {RUN_TIMEOUT_S} s: {len(numbered)} of {total} cells done, "
                            f"kernel {kernel_status(page)}, prompts {prompts}")
            # Until the pause is checked, look often: the watched training lasts only seconds.
            time.sleep(0.1 if interactive and not paused_checked else 1)

        # The screenshot shows the deep net's activations, the chapter's biggest figure.
        panel.locator(".jp-CodeCell", has_text="activations(deep, img)").first.scroll_into_view_if_needed()
        page.screenshot(path=str(out / "browser-chapter.png"))

        errors = failed_outputs(panel)
        assert errors.count() == 0, "a cell shows an error or stderr:\n" + "\n---\n".join(errors.all_inner_texts())[:4000]

        if interactive:
            assert paused_checked, "the watched training ended before its pause button could be pressed"
            slider_redraws_the_picture(page, panel.locator(".jp-CodeCell", has_text=CONVOLUTION_DEMO).first)
        trouble = [line for line in console if WIDGET_TROUBLE.search(line)]
        assert not trouble, "the browser console reports widget trouble:\n" + "\n".join(trouble)

        images = panel.locator(".jp-OutputArea-output img")
        widths = images.evaluate_all("imgs => imgs.map(img => img.complete ? img.naturalWidth : 0)")
        assert len(widths) >= 10, f"expected the chapter's figures, found {len(widths)} images"
        assert all(width > 0 for width in widths), f"images that did not render: {widths}"
        browser.close()


def training_picture(cell) -> str:
    """The text of the watched training's picture: an SVG in an <img> data URL, whose lines
    say "batch 123/1875" and, while paused, "paused"."""
    sources = cell.locator(".jp-OutputArea-output img").evaluate_all("imgs => imgs.map(img => img.src)")
    return "\n".join(urllib.parse.unquote(source) for source in sources if "svg" in source)


def batch_counter(cell) -> tuple[int, int] | None:
    found = re.search(r"batch (\d+)/(\d+)", training_picture(cell))
    return (int(found.group(1)), int(found.group(2))) if found else None


def pause_stops_training(cell) -> bool:
    """While the watched net trains: press pause as soon as the button shows (its five epochs
    take a few seconds), wait for the picture to say "paused", check it stands
    still for three seconds, press resume and check training goes on. False until the button
    shows."""
    pause = cell.locator(".jupyter-widgets button", has_text="pause")
    if pause.count() == 0:
        return False
    pause.first.click()
    deadline = time.time() + 30
    while "paused" not in training_picture(cell):
        assert time.time() < deadline, f"the picture never said paused; it shows batch {batch_counter(cell)}"
        time.sleep(0.2)
    held = training_picture(cell)
    time.sleep(3.0)
    assert training_picture(cell) == held, f"training went on while paused (at {batch_counter(cell)})"
    cell.locator(".jupyter-widgets button", has_text="resume").first.click()
    deadline = time.time() + 30
    while training_picture(cell) == held:
        assert time.time() < deadline, f"training did not resume after batch {batch_counter(cell)}"
        time.sleep(0.2)
    return True


def slider_redraws_the_picture(page, cell) -> None:
    """Focus the first slider's handle (noUiSlider), press ArrowRight, and wait for the live
    picture (an Image widget) beside it to get new bytes."""
    picture = cell.locator(".widget-image").first
    picture.wait_for(timeout=30_000)
    before = picture.get_attribute("src")
    handle = cell.locator(".noUi-handle").first
    handle.focus()
    page.keyboard.press("ArrowRight")
    deadline = time.time() + 30
    while picture.get_attribute("src") == before:
        assert time.time() < deadline, "moving the convolution demo's slider did not change its picture"
        time.sleep(0.25)


def failed_outputs(panel):
    """Outputs JupyterLab renders as errors (an error output or a stderr stream)."""
    return panel.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')


def run_menu_command(page, menu: str, item: str) -> None:
    page.locator(f'.lm-MenuBar-itemLabel:text-is("{menu}")').click()
    page.locator(f'.lm-Menu-itemLabel:text-is("{item}")').click()


def start_run_all(page, panel, attempts: int = 3) -> None:
    """Run > Run All Cells, until a cell has started. On a loaded machine JupyterLab can show
    the kernel idle before its connection is ready; a Run All then sends nothing, and every
    prompt stays blank."""
    for attempt in range(1, attempts + 1):
        run_menu_command(page, "Run", "Run All Cells")
        deadline = time.time() + 30
        while time.time() < deadline:
            prompts = panel.locator(".jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
            if any("*" in p or any(ch.isdigit() for ch in p) for p in prompts):
                print(f"Run All Cells started on try {attempt}")
                return
            time.sleep(0.5)
    pytest.fail(f"Run All Cells started no cell in {attempts} tries (kernel {kernel_status(page)})")


def kernel_status(page) -> str:
    indicator = page.locator(f"{VISIBLE_PANEL} .jp-Notebook-ExecutionIndicator")
    if indicator.count() == 0:
        return "unknown"
    return indicator.first.get_attribute("data-status") or "unknown"


def wait_for_idle_kernel(page, timeout_s: float = 120) -> None:
    """Waits for the toolbar's execution indicator and the status bar to both say idle."""
    status_bar = page.locator(".jp-StatusBar-Widget", has_text="Convnet | Idle")
    deadline = time.time() + timeout_s
    while kernel_status(page) != "idle" or status_bar.count() == 0:
        assert time.time() < deadline, f"the convnet kernel did not become idle (status {kernel_status(page)})"
        time.sleep(0.5)
