"""The catalog: can gcli build (v, k, λ) / (v, k, λ, μ), how, does it exist at all — and build it.

* :func:`bibd`, :func:`srg`: build (certified) with the first family that applies;
* :func:`bibd_construction`, :func:`srg_construction`, :func:`srg_candidates`: name the construction without
  building anything;
* :func:`bibd_exists`, :func:`srg_exists`: the tri-state existence answer (:class:`~gcli.bounds.Existence`)
  combining the necessary conditions of :mod:`gcli.bounds.existence`, the constructions and the published tables.

Example:
    >>> from gcli.constructions.combinatorics.catalog import bibd_exists, srg
    >>> srg(10, 3, 0, 1).name, bibd_exists(111, 11, 1).exists
    ('Petersen graph', False)
"""

from __future__ import annotations

from .builders import MAX_INCIDENCES, MAX_VERTICES, bibd, bibd_construction, srg, srg_candidates, srg_construction
from .existence import (
    BIBD_KNOWN,
    BIBD_NONEXISTENT,
    BIBD_OPEN,
    SRG_KNOWN,
    SRG_NONEXISTENT,
    SRG_OPEN,
    STEINER_6_UNDECIDED,
    bibd_exists,
    brouwer_table,
    not_buildable_message,
    srg_exists,
)

__all__ = [
    "BIBD_KNOWN",
    "BIBD_NONEXISTENT",
    "BIBD_OPEN",
    "MAX_INCIDENCES",
    "MAX_VERTICES",
    "SRG_KNOWN",
    "SRG_NONEXISTENT",
    "SRG_OPEN",
    "STEINER_6_UNDECIDED",
    "bibd",
    "bibd_construction",
    "bibd_exists",
    "brouwer_table",
    "not_buildable_message",
    "srg",
    "srg_candidates",
    "srg_construction",
    "srg_exists",
]
