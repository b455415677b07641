"""The registry of code families: one record per ``gcli design`` subcommand.

A :class:`Scheme` names its builder (a public function of :mod:`gcli.constructions`, imported only when the
scheme is used) and an optional search for ``--near N``; calling it builds a code. What the command line shows
for it (summary, description, per-parameter flags and help) is :data:`gcli.cli.schemes.HELP`, in the layer that
shows it. Importing this module imports nothing heavy.

Adding a family = a builder function in ``constructions/``, its public name in ``gcli.constructions``, one
record here, its help in :mod:`gcli.cli.schemes`, and tests (``tests/test_io.py`` requires a round-trip example
for every scheme; ``tests/test_cli_consistency.py`` a help record for every scheme).

Example:
    >>> SCHEMES["crc"].builder, SCHEMES["bibd"].search
    ('cyclic_repetition', 'bibd_search')
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from gcli.constructions._names import PUBLIC_NAMES

__all__ = ["SCHEMES", "Scheme"]



def _public(name: str) -> Any:
    """The public function ``name`` of :mod:`gcli.constructions`, imported from its own module."""
    return getattr(importlib.import_module(PUBLIC_NAMES[name], "gcli.constructions"), name)


@dataclass(frozen=True)
class Scheme:
    """One family of codes: its name, its builder and its optional ``--near`` search (public functions of
    :mod:`gcli.constructions`, imported on first use). Its command-line help is :data:`gcli.cli.schemes.HELP`."""

    name: str
    builder: str
    search: str | None = None

    def load(self) -> Callable[..., Any]:
        """The builder function (imports its module)."""
        return _public(self.builder)

    def load_search(self) -> Callable[[int], list[str]] | None:
        """The ``--near`` search function, if the scheme has one."""
        if self.search is None:
            return None
        return _public(self.search)

    def __call__(self, *, certify: bool = True, **kwargs: Any) -> Any:
        """Build a code: ``SCHEMES["crc"](n=8, s=2)``. ``certify=False``: an exact builder skips its own
        certification (:func:`gcli.constructions._common.deferred_certification`) — for a caller that certifies
        the code itself, once (``gcli advise``); the default is ``gcli design``'s behaviour."""
        if certify:
            return self.load()(**kwargs)
        from gcli.constructions._common import deferred_certification

        with deferred_certification():
            return self.load()(**kwargs)


_RECORDS = (
    Scheme(name="frc", builder="fractional_repetition"),
    Scheme(name="crc", builder="cyclic_repetition"),
    Scheme(name="reed-solomon", builder="reed_solomon"),
    Scheme(name="mds", builder="mds"),
    Scheme(name="universal", builder="universal"),
    Scheme(name="bibd", builder="bibd_code", search="bibd_search"),
    Scheme(name="srg", builder="srg_code", search="srg_search"),
    Scheme(name="graph", builder="graph_code"),
    Scheme(name="hierarchical", builder="hierarchical"),
)

SCHEMES: Mapping[str, Scheme] = MappingProxyType({record.name: record for record in _RECORDS})
"""Scheme name → record, in the order ``gcli design --help`` lists them."""
