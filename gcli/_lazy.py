"""Lazy package namespaces (PEP 562): public names imported from their modules on first use.

Each public package (``gcli``, ``gcli.structures``, ``gcli.constructions``, ``gcli.constructions.combinatorics``,
``gcli.bounds``) keeps one table, public name → module (absolute, or relative to the package), and installs the
module-level ``__getattr__`` and ``__dir__`` this function returns, so ``import gcli`` imports nothing heavy and
``gcli.verify`` loads only what ``verify`` needs.

Example:
    >>> namespace = {}
    >>> getattr_, dir_ = lazy_namespace("gcli", {"sqrt": "math"}, namespace)
    >>> getattr_("sqrt")(9.0), "sqrt" in namespace, dir_()
    (3.0, True, ['sqrt'])
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_namespace"]


def lazy_namespace(package: str, table: Mapping[str, str], namespace: dict[str, Any],
                   ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: a name of ``table`` is imported from its module on first
    access and cached in ``namespace`` (the package's ``globals()``); any other name is an AttributeError."""

    def __getattr__(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(table))

    return __getattr__, __dir__
