"""Fields a gradient code lives over: the reals (float64) or a finite field GF(q) through galois.

A field is represented by either the :data:`REAL` singleton or a ``galois.FieldArray`` subclass, so encoding
matrices are always arrays: ``float64`` ndarrays over the reals, galois ``FieldArray`` s over GF(q).

galois is imported only when a finite field is asked for, so real codes never load it. Prime fields are built
in galois' ``python-calculate`` mode: creating the class is then instant instead of JIT-compiling lookup tables
(about a second per field and process), and gcli's hot paths over GF(p) (verification, elimination) run on
plain int64 arithmetic anyway. Call ``field.compile("auto")`` for galois' compiled ufuncs in heavy
interactive use. Extension fields GF(p^e) use galois' default (compiled lookup tables).

Example:
    >>> as_field("real") is REAL, field_name(as_field("GF(2^8)")), field_name(as_field("GF(65537)"))
    (True, 'GF(2^8)', 'GF(65537)')
"""

from __future__ import annotations

import functools
import re
import sys
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import numpy as np

from gcli.errors import InputError
from gcli.numbertheory import prime_power

if TYPE_CHECKING:
    import galois

__all__ = [
    "REAL",
    "Field",
    "RealField",
    "as_field",
    "field_from_json",
    "field_name",
    "field_to_json",
    "gf",
    "is_real",
]


class RealField:
    """The real numbers, computed in IEEE float64."""

    _instance: RealField | None = None

    def __new__(cls) -> RealField:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "REAL"

    def __reduce__(self) -> str:
        return "REAL"


REAL: Final = RealField()

if TYPE_CHECKING:
    Field: TypeAlias = RealField | type[galois.FieldArray]
else:  # the same alias without importing galois: evaluated by typing.get_type_hints for the CLI
    Field = RealField | type

_GF_RE = re.compile(r"^\s*GF\(\s*(\d+)\s*(?:(?:\^|\*\*)\s*(\d+))?\s*\)\s*$", re.IGNORECASE)


def _factor_prime_power(q: int) -> tuple[int, int]:
    """Return (p, e) with q = p**e, or raise InputError when q is not a prime power."""
    if q < 2:
        raise InputError(f"GF({q}) is not a field: the order must be a prime power ≥ 2")
    found = prime_power(q)
    if found is None:
        raise InputError(f"GF({q}) is not a field: {q} is not a prime power")
    return found


def _is_field_class(value: Any) -> bool:
    """True for a galois FieldArray subclass (without importing galois when nothing could be one)."""
    galois = sys.modules.get("galois")
    return galois is not None and isinstance(value, type) and issubclass(value, galois.FieldArray)


def _prime_field(p: int) -> type[galois.FieldArray]:
    """GF(p) without JIT compilation (module docstring); an existing class of the user's is returned as is."""
    import galois

    existing = getattr(getattr(galois, "_fields", None), "_factory", None)
    classes = getattr(getattr(existing, "_GF_prime", None), "_classes", None)
    if isinstance(classes, dict) and any(key[0] == p for key in classes):
        return galois.GF(p)
    return galois.GF(p, compile="python-calculate")


@functools.lru_cache(maxsize=64)
def gf(order: int, irreducible_poly: int | None = None) -> type[galois.FieldArray]:
    """The galois field class of the given order (cached), e.g. ``gf(7)``, ``gf(256)``."""
    import galois

    p, e = _factor_prime_power(order)
    if e == 1:
        field = _prime_field(p)
        if irreducible_poly is not None and int(field.irreducible_poly) != irreducible_poly:
            raise InputError(
                f"GF({order}): irreducible polynomial {irreducible_poly} does not match the field's "
                f"{int(field.irreducible_poly)}"
            )
        return field
    default = galois.GF(order)
    if irreducible_poly is None or int(default.irreducible_poly) == irreducible_poly:
        return default  # the usual case (files written by gcli): no irreducibility test to compile
    poly = galois.Poly.Int(irreducible_poly, field=galois.GF(p))
    if poly.degree != e or not poly.is_irreducible():
        raise InputError(f"GF({p}^{e}): {irreducible_poly} is not an irreducible polynomial of degree {e}")
    return galois.GF(order, irreducible_poly=poly)


def as_field(field: str | Field) -> Field:
    """Parse ``"real"``, ``"GF(7)"``, ``"GF(2^8)"`` / ``"GF(2**8)"`` / ``"GF(256)"``, or pass a field
    through."""
    if isinstance(field, RealField):
        return field
    if _is_field_class(field):
        return field  # type: ignore[return-value]
    if not isinstance(field, str):
        raise InputError(f"not a field: {field!r}")
    text = field.strip()
    if text.lower() in {"real", "reals", "r", "float", "float64"}:
        return REAL
    match = _GF_RE.match(text)
    if match is None:
        raise InputError(f"unknown field {field!r}: use 'real', 'GF(p)' or 'GF(p^e)'")
    base, exponent = int(match.group(1)), match.group(2)
    if exponent is not None:
        _, e = _factor_prime_power(base)
        if e != 1:
            raise InputError(f"GF({base}^{exponent}): the base {base} must be prime")
        order = base ** int(exponent)
    else:
        order = base
    if order > 2**62:
        raise InputError(f"GF({order}) is too large: gcli supports orders up to 2^62")
    return gf(order)


def is_real(field: Field) -> bool:
    """True for the reals."""
    return isinstance(field, RealField)


def field_name(field: Field) -> str:
    """Canonical text form: ``real``, ``GF(7)`` or ``GF(2^8)``."""
    if isinstance(field, RealField):
        return "real"
    if field.degree == 1:
        return f"GF({field.order})"
    return f"GF({field.characteristic}^{field.degree})"


def field_to_json(field: Field) -> dict[str, Any]:
    """The JSON contract's ``field`` object."""
    if isinstance(field, RealField):
        return {"kind": "real"}
    return {
        "kind": "gf",
        "order": int(field.order),
        "characteristic": int(field.characteristic),
        "degree": int(field.degree),
        "irreducible_poly": int(field.irreducible_poly),
    }


def field_from_json(obj: dict[str, Any]) -> Field:
    """Inverse of :func:`field_to_json`; checks the fields' internal consistency."""
    if obj.get("kind") == "real":
        return REAL
    if obj.get("kind") != "gf":
        raise InputError(f"unknown field kind {obj.get('kind')!r}")
    order, p, e = int(obj["order"]), int(obj["characteristic"]), int(obj["degree"])
    if p**e != order:
        raise InputError(f"field: order {order} ≠ characteristic^degree = {p}^{e}")
    return gf(order, int(obj["irreducible_poly"]))


def zeros(field: Field, shape: tuple[int, ...]) -> np.ndarray:
    """An all-zero matrix over the field."""
    if isinstance(field, RealField):
        return np.zeros(shape, dtype=np.float64)
    return field.Zeros(shape)


def ones(field: Field, shape: tuple[int, ...]) -> np.ndarray:
    """An all-one matrix over the field."""
    if isinstance(field, RealField):
        return np.ones(shape, dtype=np.float64)
    return field.Ones(shape)


def as_array(field: Field, values: Any) -> np.ndarray:
    """Coerce values (nested lists, ndarrays) to an array over the field."""
    if isinstance(field, RealField):
        return np.asarray(values, dtype=np.float64)
    arr = np.asarray(values)
    if _is_field_class(type(arr)):
        if type(arr) is not field:
            raise InputError(f"array is over {field_name(type(arr))}, expected {field_name(field)}")
        return arr
    if arr.size and (arr.dtype.kind not in "iu" or arr.min() < 0 or arr.max() >= field.order):
        raise InputError(f"entries over {field_name(field)} must be integers in [0, {field.order})")
    return field(arr.astype(np.int64))
