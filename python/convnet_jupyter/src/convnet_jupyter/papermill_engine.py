"""What papermill loads at start (the `papermill.engine` entry point): the translator, and an engine.

Importing this module imports the translator module, which registers itself. Nothing here
imports papermill.engines at import time, and the engine is defined before the
translator is imported: papermill loads this module while importing papermill.engines.
"""

from __future__ import annotations


class ConvnetEngine:
    """papermill's own nbclient engine under the name `convnet` (`--engine convnet`)."""

    @classmethod
    def execute_notebook(cls, *args, **kwargs):
        from papermill.engines import NBClientEngine

        return NBClientEngine.execute_notebook(*args, **kwargs)


# Last: importing it imports papermill, which loads this module's ConvnetEngine.
from . import papermill_translator  # noqa: F401  (registers the convnet translator)
