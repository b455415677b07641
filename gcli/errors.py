"""Exceptions with a meaning for the command line.

:class:`InputError` is any problem with what the user asked for (impossible parameters, malformed files, the
wrong field); the CLI prints its message on one line and exits with status 2.
"""

from __future__ import annotations

__all__ = ["InputError"]


class InputError(ValueError):
    """Bad input: impossible parameters, a malformed or invalid file, an unsupported field."""
