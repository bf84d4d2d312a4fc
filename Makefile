# convnet-kernel: the two commands of the README are `make setup notebook` and `make setup test`.
SHELL := bash
VENV := .venv
PY := $(VENV)/bin/python
JUPYTER := $(VENV)/bin/jupyter
KERNEL ?= .build/debug/convnet-kernel
export JUPYTER_PATH := $(CURDIR)/$(VENV)/share/jupyter
# The binary the Python tests and bench/kernel drive (they install its kernelspec themselves).
KERNEL_BINARY ?= $(abspath $(KERNEL))
export KERNEL_BINARY

.PHONY: setup apt venv build kernelspec test swift-test python-test notebook bench-kernel bench-train bench-language bench-class torch-venv grade-demo browser-test clean

setup: apt venv

apt:
	scripts/install-apt.sh

venv: $(VENV)/.installed
$(VENV)/.installed: requirements-test.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-test.txt
	touch $@

# One debug build serves the Swift tests, the protocol tests and the notebooks
# (the engine is optimised even in debug: see Package.swift).
build:
	swift build

kernelspec: build
	$(KERNEL) install --prefix $(VENV)

test: swift-test python-test

swift-test: build
	swift test

# CONVNET_BROWSER_TEST=1 includes the chapter in JupyterLab + chromium (about a minute).
python-test: kernelspec
	CONVNET_BROWSER_TEST=1 $(PY) -m pytest Tests/Python -q

# convnet-kernel against ipykernel from the same venv: cold start, round trip, RSS (BENCHMARKS.md).
bench-kernel: build venv
	bench/kernel

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
bench-train:
	bench/train

# PyTorch for the benchmark's reference run: a multi-GB download from PyPI, never in CI.
torch-venv: .venv-torch/.installed
.venv-torch/.installed:
	python3 -m venv .venv-torch
	.venv-torch/bin/pip install -q --upgrade pip
	.venv-torch/bin/pip install -q torch numpy
	touch $@
