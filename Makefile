# convnet-kernel: the two commands of the README are `make setup notebook` and `make setup test`.
SHELL := bash
VENV := .venv
PY := $(VENV)/bin/python
JUPYTER := $(VENV)/bin/jupyter
KERNEL ?= .build/release/convnet-kernel
export JUPYTER_PATH := $(CURDIR)/$(VENV)/share/jupyter
# The binary the Python tests and bench/kernel drive (they install its kernelspec themselves).
KERNEL_BINARY ?= $(abspath $(KERNEL))
export KERNEL_BINARY

.PHONY: setup apt venv build kernelspec test swift-test python-test notebook bench-kernel bench-train bench-layers bench-cell bench-language bench-widgets bench-class torch-venv grade-demo browser-test fuzz fuzz-test clean

setup: apt venv

apt:
	scripts/install-apt.sh

venv: $(VENV)/.installed
$(VENV)/.installed: requirements-test.txt python/convnet_jupyter/pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-test.txt
	touch $@

# One optimised build serves users and benchmarks alike: the notebooks, the installed
# kernelspec, `convnet-kernel run`, the protocol tests and bench/*. `swift test` alone
# builds the debug configuration (each configuration is built once).
build:
	swift build -c release

kernelspec: build
	$(KERNEL) install --prefix $(VENV)

test: swift-test static-build python-test hub-test fuzz-test

# Then the engine's tests again with the engine's own convolutions forced (oneDNN runs them by default).
swift-test:
	swift test
	CONVNET_CONV=engine swift test --skip-build --filter ConvnetTests

# CONVNET_BROWSER_TEST=1 includes the chapter in JupyterLab + chromium (about a minute).
python-test: kernelspec
	CONVNET_BROWSER_TEST=1 $(PY) -m pytest Tests/Python -q

# convnet-kernel against ipykernel from the same venv: cold start, round trip, RSS (BENCHMARKS.md).
bench-kernel: build venv
	bench/kernel

# A slider move to its new picture, against ipykernel + ipywidgets with numpy (BENCHMARKS.md).
bench-widgets: build venv
	bench/widgets

notebook: kernelspec
	mkdir -p out
	$(JUPYTER) nbconvert --to html --execute --ExecutePreprocessor.timeout=600 \
	  notebooks/convolutional-neural-networks.ipynb --output-dir out
	@echo "wrote out/convolutional-neural-networks.html"

# nbgrader on problem set 1: generate the release copy, grade three sample submissions
# (right, with mistakes, the untouched stub) in out/grading-work, print the scores.
grade-demo: kernelspec
	$(PY) grading/grade_demo.py --course out/grading-work

# JupyterLab in Debian's chromium, driven by Playwright: runs the chapter notebook,
# checks its images and that no cell failed, saves out/browser-chapter.png.
# Also part of `make test` (python-test); this runs it alone.
browser-test: kernelspec
	CONVNET_BROWSER_TEST=1 $(PY) -m pytest Tests/Python/test_browser.py -q

clean:
	rm -rf .build out

# libFuzzer targets (Fuzz/, FUZZING.md) built with ASan over the real modules in .build-fuzz:
# lexer-parser, evaluator, wire, connection-file, FUZZ_SECONDS each. `make test` runs each
# for 60 s and fails on a crash, a leak, a hang or a broken invariant.
FUZZ_SECONDS ?= 300
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) Fuzz/run

fuzz-test:
	FUZZ_SECONDS=60 Fuzz/run

# The language's benchmark: training through a cell vs the engine's own, loading, small cells.
bench-language: venv
	$(PY) bench/language --markdown

# A class of kernels (default 50, BENCH_CLASS_KERNELS=N) through jupyter_client: memory per
# kernel after the first cells and a training cell, shared cache against private copies
# and ipykernel with numpy, and the 300-student estimate (BENCHMARKS.md).
BENCH_CLASS_KERNELS ?= 50
bench-class: build venv
	bench/class --kernels $(BENCH_CLASS_KERNELS)

# The engine's training benchmark, side by side with PyTorch when .venv-torch exists.
bench-train: build
	bench/train --no-build

# Each conv layer's forward, dX and dW on oneDNN and on the engine's kernels, beside sgemm.
bench-layers: build
	bench/layers

# Net B trained one epoch by a cell of the installed kernel, beside PyTorch (BENCHMARKS.md).
bench-cell: kernelspec
	bench/train_cell

# PyTorch for the benchmark's reference run: a multi-GB download from PyPI, never in CI.
torch-venv: .venv-torch/.installed
.venv-torch/.installed:
	python3 -m venv .venv-torch
	.venv-torch/bin/pip install -q --upgrade pip
	.venv-torch/bin/pip install -q torch numpy
	touch $@

# A system-wide install for a class (docs/deploy.md): the kernel in PREFIX/bin and its
# kernelspec in PREFIX/share/jupyter/kernels/convnet, where every user's Jupyter finds it.
# The binary links Swift's runtime and Foundation statically, so it needs neither the
# toolchain nor this repository. DESTDIR stages the files for a package; kernel.json
# still names PREFIX/bin. Build as yourself first (`make static-build`), then
# `sudo make install` only copies.
PREFIX ?= /usr/local
# Its own build folder: static and dynamic linking in one folder recompile each other.
INSTALL_BUILD ?= .build/install
STATIC_KERNEL := $(INSTALL_BUILD)/release/convnet-kernel
INSTALLED_KERNEL := $(DESTDIR)$(PREFIX)/bin/convnet-kernel

.PHONY: static-build install uninstall

static-build:
	swift build -c release --static-swift-stdlib --scratch-path $(INSTALL_BUILD) --product convnet-kernel

# The new binary goes in by rename: kernels running the old one keep running.
install: static-build
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(STATIC_KERNEL) $(INSTALLED_KERNEL).new
	mv -f $(INSTALLED_KERNEL).new $(INSTALLED_KERNEL)
	$(INSTALLED_KERNEL) install --prefix $(DESTDIR)$(PREFIX) --binary $(PREFIX)/bin/convnet-kernel

uninstall:
	rm -f $(INSTALLED_KERNEL)
	rm -rf $(DESTDIR)$(PREFIX)/share/jupyter/kernels/convnet

# A class on a real JupyterHub on loopback (Tests/Python/test_hub.py): students at once
# (CONVNET_HUB_STUDENTS, default 10), each running the chapter's first cells and a short
# training in a kernel from `make install`; then every server stopped, no kernel left.
.PHONY: hub-test
hub-test: venv build static-build
	CONVNET_HUB_TEST=1 $(PY) -m pytest Tests/Python/test_hub.py -q -s
