"""The package version: the one place it is written (pyproject.toml reads it from here, statically).

A literal rather than ``importlib.metadata.version("gradcode")``: that lookup costs about 25 ms at start-up
(a third of ``gcli --version``); ``tests/test_packaging.py`` checks that the installed distribution's metadata
says the same.
"""

from __future__ import annotations

__version__ = "0.1.0"
