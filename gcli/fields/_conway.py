"""The polynomials of gcli's extension fields GF(p^e), q = p^e ≤ 4096, shipped so that building one needs no galois.

:func:`gcli.fields.gf` builds GF(p^e) on the Conway polynomial from galois' database (x, the integer p, is then
the primitive element). Importing galois costs about 2 s, more than building and certifying a design over GF(16)
or GF(3^5); constructions that only need the field's arithmetic (:mod:`gcli.constructions._geometry`) read the
polynomial here instead. Each entry is the integer representation Σ f_i p^i of the monic polynomial; the table
equals ``int(gf(q).irreducible_poly)`` for every q it holds (tests/test_fields.py checks each one against galois).

>>> CONWAY[16], CONWAY[243]
(19, 250)
"""

from __future__ import annotations

__all__ = ["CONWAY", "CONWAY_LIMIT"]

CONWAY_LIMIT = 4096
"""Every prime power q = p^e ≤ this, e ≥ 2, is in :data:`CONWAY`."""

CONWAY: dict[int, int] = {
    4: 7,
    8: 11,
    9: 17,
    16: 19,
    25: 47,
    27: 34,
    32: 37,
    49: 94,
    64: 91,
    81: 137,
    121: 200,
    125: 143,
    128: 131,
    169: 327,
    243: 250,
    256: 285,
    289: 564,
    343: 641,
    361: 705,
    512: 529,
    529: 1017,
    625: 747,
    729: 908,
    841: 1539,
    961: 1863,
    1024: 1135,
    1331: 1362,
    1369: 2592,
    1681: 3245,
    1849: 3658,
    2048: 2053,
    2187: 2206,
    2197: 2234,
    2209: 4329,
    2401: 2677,
    2809: 5408,
    3125: 3148,
    3481: 6905,
    3721: 7383,
    4096: 4331,
}
"""q → the integer representation of the Conway polynomial gcli's GF(q) uses."""
