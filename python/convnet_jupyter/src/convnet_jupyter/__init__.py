"""The convnet language in the Jupyter tools: papermill's parameters and Pygments' highlighting."""

__version__ = "0.1.0"
