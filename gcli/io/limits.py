"""Resource limits: how large a request gcli accepts before it allocates, searches or parses.

Every limit has a default sized for a machine with a few GB of memory and an environment variable that raises
(or lowers) it for one run, e.g. ``GCLI_MAX_FILE_BYTES=2000000000 gcli verify big.json``. A request beyond a
limit is refused with one line naming the limit, the requested size and the variable, before any memory is
allocated, so hostile or mistaken parameters cost milliseconds rather than gigabytes.

=========================  ==========================  =============================================================
limit                      default                     what it bounds
=========================  ==========================  =============================================================
``max_dense_entries``      20,000,000 (160 MB float64) n·k·m of a dense encoding matrix (sparse codes count nnz)
``max_nonzeros``           50,000,000                  non-zeros of a compressed-row (sparse) encoding
``max_workers``            1,000,000                   n, the number of workers (and of blocks, partitions, vertices)
``max_file_bytes``         67,108,864 (64 MiB)         size of a code, structure or generator file read by gcli
``max_json_depth``         32                          nesting depth of arrays/objects in a JSON file
``max_edges``              1,000,000                   edges of a graph file (``design graph --from``)
``max_layer_work``         100,000,000                 products that build the polynomial layers of a hierarchical
                                                       or universal code: Σ over layers of inputs × senders × roots
                                                       (a layer of 1,000 relays and 1,000 partitions takes 10⁹,
                                                       minutes over GF(q))
``max_real_layer``         400                         senders of one layer of a hierarchical or universal code over
                                                       the reals: the entries of a polynomial layer on more
                                                       Chebyshev points fall below 10⁻¹²⁰ (10⁻¹⁷⁵ at 600, where
                                                       LAPACK slows to subnormal arithmetic; zero beyond 1,000)
``max_search``             100,000                     ``--near N`` searches: largest N searched
``max_sample``             1,000,000                   ``verify``/``compare --sample``: surviving sets drawn
``max_iterations``         1,000,000                   ``simulate -T``, ``--repeats``, ``verify --simulate``
``max_jobs``               1,024                       ``--jobs``: local threads or processes
``dense_export_entries``   1,000,000                   not a refusal: the largest n·k·m whose encoding
                                                       ``--encoding auto`` writes as a plain matrix (JSON rows of
                                                       numbers, npz/mat arrays); larger codes are written as
                                                       compressed rows (JSON ``csr``, scipy.sparse npz, MATLAB
                                                       sparse) when that is smaller
=========================  ==========================  =============================================================

The surviving-set budget of exhaustive verification is :data:`gcli.defaults.DEFAULT_BUDGET` (``--budget``); it
also bounds the rows of work, sets × (n − s − 2a) ≤ budget × :data:`gcli.certification.verification.WORK_ROWS`, and
``max_dense_entries`` bounds a work unit (:func:`gcli.certification.verification.unit_sets`).
Dense codes (frc, crc, reed-solomon, mds, the layers of hierarchical codes) also keep n × n within
``max_dense_entries`` (their decoding systems), so n ≤ 4,472 by default; a ``--sample`` keeps N × (n − s − 2a)
within it too. ``--near N`` searches look at sizes within N·(1 ± 1/4) and at most 160 from N.

Example:
    >>> limit("max_workers")
    1000000
    >>> check("max_workers", 10**18, "n")
    Traceback (most recent call last):
    ...
    gcli.errors.OverLimit: n = 1000000000000000000 exceeds the limit of 1000000 (set GCLI_MAX_WORKERS to raise it)
"""

from __future__ import annotations

import os
from typing import Final

from gcli.errors import ImpossibleParameters, OverLimit

__all__ = ["DEFAULTS", "check", "check_entries", "limit"]

DEFAULTS: Final[dict[str, int]] = {
    "max_dense_entries": 20_000_000,
    "max_nonzeros": 50_000_000,
    "max_workers": 1_000_000,
    "max_file_bytes": 64 * 2**20,
    "max_json_depth": 32,
    "max_edges": 1_000_000,
    "max_real_layer": 400,
    "max_layer_work": 100_000_000,
    "max_search": 100_000,
    "max_sample": 1_000_000,
    "max_iterations": 1_000_000,
    "max_jobs": 1024,
    "dense_export_entries": 1_000_000,
}


def _variable(name: str) -> str:
    return "GCLI_" + name.upper()


def limit(name: str) -> int:
    """The current value of limit ``name``: its environment variable ``GCLI_<NAME>`` if set, else the default."""
    default = DEFAULTS[name]
    raw = os.environ.get(_variable(name))
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip().replace("_", ""))
    except ValueError:
        raise ImpossibleParameters(f"{_variable(name)} must be a positive integer, got {raw!r}") from None
    if value <= 0:
        raise ImpossibleParameters(f"{_variable(name)} must be a positive integer, got {raw!r}")
    return value


def check(name: str, value: int, what: str) -> int:
    """Refuse ``value`` (described as ``what``) if it exceeds limit ``name``; return it otherwise."""
    bound = limit(name)
    if value > bound:
        raise OverLimit(f"{what} = {value} exceeds the limit of {bound} (set {_variable(name)} to raise it)")
    return value


def check_entries(rows: int, columns: int, what: str = "the encoding matrix") -> None:
    """Refuse a dense ``rows × columns`` matrix beyond ``max_dense_entries`` (checked before allocating)."""
    bound = limit("max_dense_entries")
    if rows * columns > bound:
        raise OverLimit(f"{what} would have {rows} × {columns} = {rows * columns} entries, beyond the limit of "
                        f"{bound} ({_variable('max_dense_entries')} raises it)")
