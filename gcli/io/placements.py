"""Placement files: which partitions each worker holds, read from untrusted JSON within the limits.

A placement is a JSON list of rows — ``[[0, 1], [1, 2], [2, 0]]``: worker w holds the partitions of row w — or,
for a hierarchical code, a list of clusters, each such a list of rows. Either may be wrapped in an object
``{"placement": [...], "partitions": P}`` that fixes the number of partitions P (default: the largest partition
+ 1). The file is read by :func:`gcli.io.reading.read_json` (size, nesting depth and duplicate keys checked
before anything is allocated); the entries must be plain non-negative integers (no strings, floats or booleans
coerced) and the largest partition, like the number of rows, lies within the ``max_workers`` limit. Every
malformed input raises :class:`gcli.errors.ImpossibleParameters` with one line naming the row.

Example:
    >>> read_placement({"placement": [[0, 1], [1, 2], [2, 0]], "partitions": 3}, depth=2)
    ([[0, 1], [1, 2], [2, 0]], 3)
    >>> normalise_rows([[1, 0], [2, 1], [0, 2]], 3)
    ((0, 1), (1, 2), (0, 2))
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from numbers import Integral
from typing import Any

from gcli.errors import ImpossibleParameters
from gcli.io.limits import check

__all__ = ["inferred_partitions", "normalise_rows", "placement_rows", "read_placement", "unheld"]

_SHAPES = {2: "workers → partitions", 3: "clusters → workers → partitions"}


def read_placement(source: str | os.PathLike[str] | Any, *, depth: int = 2) -> tuple[Any, int | None]:
    """A placement from a JSON file (or an already parsed value): a list nested ``depth`` deep (2: rows of
    partitions; 3: clusters of rows), or an object ``{"placement": [...], "partitions": P}``.
    Returns (placement, P or None); the placement's entries are checked (module docstring), its shape is
    checked by :func:`normalise_rows`."""
    if isinstance(source, str | os.PathLike):
        from gcli.io.reading import read_json

        source = read_json(source, "placement file")  # size, depth, duplicate keys bounded
    shape = _SHAPES[depth]
    if isinstance(source, dict):
        if "placement" not in source:
            raise ImpossibleParameters(f'a placement object needs a "placement" key ({shape})')
        unknown = sorted(set(source) - {"placement", "partitions"})
        if unknown:
            raise ImpossibleParameters(f"placement object: unknown key {unknown[0]!r}")
        parts = source.get("partitions")
        if parts is not None and (isinstance(parts, bool) or not isinstance(parts, int) or parts < 1):
            raise ImpossibleParameters(f'placement object: "partitions" must be a positive integer, got {parts!r}')
        if parts is not None:
            check("max_workers", parts, "partitions")
        return _bounded(source["placement"], depth), parts
    return _bounded(source, depth), None


def _bounded(placement: Any, depth: int) -> Any:
    """The placement unchanged after checking that its partitions are plain non-negative integers and the largest
    one and the number of rows are within ``max_workers`` (shapes other than nested lists are left to
    :func:`normalise_rows`, which names the row)."""
    if not isinstance(placement, list):
        return placement
    rows: list[Any] = [placement]
    for _ in range(depth - 1):  # down to the rows: clusters → rows for depth 3
        rows = [item for outer in rows for item in outer if isinstance(outer, list)]
    check("max_workers", len(rows), "placement: workers")
    largest = -1
    for row in rows:
        for part in row if isinstance(row, list) else ():
            if type(part) is not int or part < 0:
                raise ImpossibleParameters(f"placement: partitions are non-negative integers, got {str(part)[:40]!r}")
            largest = max(largest, part)
    check("max_workers", largest + 1, "partitions")
    return placement


def normalise_rows(rows: Any, partitions: int, *, where: str = "", require_all: bool = True
                   ) -> tuple[tuple[int, ...], ...]:
    """The rows as sorted tuples; :class:`ImpossibleParameters` naming the row for a malformed one (not a list,
    a non-integer, a partition twice, one outside 0..P−1) and, with ``require_all``, for a partition no row
    holds. ``where`` is appended to "worker w" in the messages (e.g. " of cluster 2")."""
    if not isinstance(rows, Sequence) or isinstance(rows, str) or not rows:
        raise ImpossibleParameters("the placement must be a non-empty list of workers, each a list of partitions")
    out: list[tuple[int, ...]] = []
    for w, held in enumerate(rows):
        if not isinstance(held, Sequence) or isinstance(held, str):
            raise ImpossibleParameters(f"placement: worker {w}{where} must be a list of partitions")
        if any(isinstance(j, bool) or not isinstance(j, Integral) for j in held):
            raise ImpossibleParameters(f"placement: worker {w}{where} holds a non-integer partition")
        items = sorted(int(j) for j in held)
        if len(set(items)) != len(items):
            raise ImpossibleParameters(f"placement: worker {w}{where} holds a partition twice")
        outside = [j for j in items if not 0 <= j < partitions]
        if outside:
            raise ImpossibleParameters(
                f"placement: worker {w}{where} holds partition {outside[0]}, outside 0..{partitions - 1}")
        out.append(tuple(items))
    if require_all:
        missing = unheld(out, partitions)
        if missing is not None:
            raise ImpossibleParameters(
                f"placement: partition {missing} is held by no worker, so the sum cannot be recovered")
    return tuple(out)


def unheld(rows: Sequence[Sequence[int]], partitions: int) -> int | None:
    """The first partition of 0..P−1 that no row holds, or None."""
    held = {j for row in rows for j in row}
    return next((j for j in range(partitions) if j not in held), None)


def inferred_partitions(rows: Any) -> int:
    """P when the file does not say it: the largest partition held + 1 (0 when none; rows that are not lists of
    integers are skipped, :func:`normalise_rows` names them)."""
    if not isinstance(rows, list):
        return 0
    return 1 + max((j for row in rows if isinstance(row, list) for j in row
                    if isinstance(j, Integral) and not isinstance(j, bool)), default=-1)


def placement_rows(source: str | os.PathLike[str] | Any, k: int | None = None, *, what: str = ""
                   ) -> tuple[tuple[tuple[int, ...], ...], int]:
    """A single-layer placement (worker → partitions held) from a file or a parsed value, with its number of
    partitions P: ``k`` if given (it must agree with a file's ``"partitions"``), else the file's, else inferred
    (:func:`inferred_partitions`); rows checked by :func:`normalise_rows`. ImpossibleParameters for a
    disagreement or an empty placement.

    >>> placement_rows([[0, 1], [1, 2], [2, 0]])
    (((0, 1), (1, 2), (0, 2)), 3)
    """
    from gcli.errors import ImpossibleParameters

    raw, given = read_placement(source, depth=2)
    if k is not None and given is not None and k != given:
        raise ImpossibleParameters(f"the placement file says P = {given} partitions, not k = {k}")
    parts = k if k is not None else given
    if parts is None:
        parts = inferred_partitions(raw)
    if parts < 1:
        raise ImpossibleParameters("the placement holds no partition")
    if what:
        from gcli.io.limits import check

        check("max_workers", parts, what)
    return normalise_rows(raw, parts), parts
