"""Turning a 0/1 worker × partition support (from a design or a graph) into an approximate gradient code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from gcli.code import Code
from gcli.errors import InputError
from gcli.fields import REAL

__all__ = ["structured_code"]


def structured_code(
    scheme: str,
    support: np.ndarray,
    weight: float,
    s: int,
    construction: Mapping[str, Any],
    extras: Mapping[str, Any],
) -> Code:
    """A real code with B = weight · support (n × k, m = 1), exact only when s = 0.

    With s = 0 every row of the support is used and the column sums are constant, so the all-weights decoder
    recovers Σg exactly; with s > 0 these codes are approximate (``exact=False``).
    """
    n, k = support.shape
    if s < 0 or s >= n:
        raise InputError(f"{scheme}: the planned straggler count s must satisfy 0 ≤ s < n = {n} (got {s})")
    assignment = [tuple(np.flatnonzero(row).tolist()) for row in support]
    encoding = weight * support.astype(np.float64)
    return Code(
        scheme=scheme,
        field=REAL,
        n=n,
        k=k,
        s=s,
        m=1,
        a=0,
        d=max(len(row) for row in assignment),
        assignment=assignment,
        encoding=encoding,
        exact=s == 0,
        construction=dict(construction),
        extras=dict(extras),
    )
