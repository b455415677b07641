"""Griffe extension for the API pages: read gcli's docstrings as they are written.

gcli's docstrings are Google style with two habits the Google parser does not know: a singular ``Example:``
section (read as ``Examples:``, so ``>>>`` sessions render as code) and Sphinx roles such as ``:func:`certify```
(rendered as code).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_EXAMPLE = re.compile(r"^(\s*)Example( \([^\n]*\))?:$", re.MULTILINE)
_ROLE = re.compile(r":(?:func|class|mod|data|meth|attr|exc|obj):`~?([^`]+)`")


class GcliDocstrings(griffe.Extension):
    """Rewrite each docstring before it is parsed."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            text = _EXAMPLE.sub(lambda m: f"{m.group(1)}Examples:" + (
                f"\n{m.group(1)}    {m.group(2).strip()[1:-1]}:" if m.group(2) else ""), obj.docstring.value)
            obj.docstring.value = _ROLE.sub(r"`\1`", text)
