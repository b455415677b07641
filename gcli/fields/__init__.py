"""The finite-field layer: every field a code lives over and the arithmetic gcli does in it.

* :mod:`~gcli.fields.core` — the reals and GF(q): :func:`as_field`, :data:`REAL`, :class:`FieldInfo` (a field
  known by its numbers, no galois), the field policy, JSON of a field;
* :mod:`~gcli.fields.numbertheory` — primes, prime powers, factoring (integers only);
* :mod:`~gcli.fields._gfpoly` — polynomials over GF(p) on integers (irreducibility, primitive elements and
  polynomials, galois' polynomial of GF(p));
* :mod:`~gcli.fields.arithmetic` — the one implementation of element arithmetic on int64 arrays (mod p, exp/log
  tables for GF(p^e)) that verification, the compiled kernels' tables and the constructions use; galois only for
  fields beyond its limits and for users' FieldArrays;
* :mod:`~gcli.fields.linalg` — linear algebra over any of them: batched consistency, condition numbers;
* :mod:`~gcli.fields.distance` — minimum distance of a linear code;
* :mod:`~gcli.fields.cyclotomic` — cyclotomic cosets, minimal polynomials over GF(p), BCH generator polynomials.

The names of :mod:`~gcli.fields.core` are served from here on first use, so importing
:mod:`gcli.fields.numbertheory` (``gcli bound``) loads neither numpy nor galois.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gcli._lazy import lazy_namespace

if TYPE_CHECKING:
    from gcli.fields.core import (
        MAX_ORDER,
        REAL,
        Field,
        FieldInfo,
        RealField,
        as_array,
        as_field,
        check_order,
        field_from_json,
        field_info_from_json,
        field_name,
        field_to_json,
        gf,
        is_real,
    )

__all__ = [
    "MAX_ORDER",
    "REAL",
    "Field",
    "FieldInfo",
    "RealField",
    "as_array",
    "as_field",
    "check_order",
    "field_from_json",
    "field_info_from_json",
    "field_name",
    "field_to_json",
    "gf",
    "is_real",
]

__getattr__, __dir__ = lazy_namespace(__name__, dict.fromkeys(__all__, "gcli.fields.core"), globals())
