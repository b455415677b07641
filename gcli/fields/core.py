"""Fields a gradient code lives over: the reals (float64) or a finite field GF(q) through galois.

A field is represented by either the :data:`REAL` singleton or a ``galois.FieldArray`` subclass, so encoding
matrices are always arrays: ``float64`` ndarrays over the reals, galois ``FieldArray`` s over GF(q).

galois is imported only when a finite field is asked for, so real codes never load it. Prime fields are built
in galois' ``python-calculate`` mode: creating the class is then instant instead of JIT-compiling lookup tables
(about a second per field and process), and gcli's hot paths over GF(p) (verification, elimination) run on
plain int64 arithmetic anyway. Call ``field.compile("auto")`` for galois' compiled ufuncs in heavy
interactive use. Extension fields GF(p^e) use galois' default (compiled lookup tables).

Reading a file needs no galois class at all: :func:`field_info_from_json` checks the ``field`` object with
integer arithmetic only (:mod:`gcli.fields._gfpoly`: Rabin's irreducibility test, the smallest primitive element) and
returns a :class:`FieldInfo`; a :class:`gcli.code.Code` over one keeps B as integers and builds the galois class
(for GF(2^8): importing galois and JIT-compiling, seconds) only when ``code.field`` or ``code.encoding`` is used.
``gcli verify`` uses neither: the compiled kernels take exp/log tables computed from the polynomial
(:func:`gcli.fields.arithmetic.exp_log_tables`).

**Field policy** (one check, :func:`check_order`, for ``--field`` text and for the ``field`` object of a file,
made before any factoring, primality test or table building):

* GF(q) for every prime power q = p^e ≤ 2^62 (:data:`MAX_ORDER`), so e ≤ 62; anything larger, a non-prime
  power, a degree or characteristic that does not match the order, or more than 19 digits is refused in one line.
* Prime fields GF(p): any prime p < 2^62. Verification runs the compiled kernels for p < 2^31 and galois'
  exact arithmetic (slower, object arrays) above.
* Extension fields GF(p^e), e ≥ 2: the Conway polynomial when galois' database has one (GF(2^8), GF(3^39)),
  otherwise the lexicographically smallest monic irreducible polynomial of degree e (GF(65537^2)); the file
  records the polynomial, and a file may name any irreducible polynomial of degree e. Verification uses
  compiled lookup tables for q ≤ 2^20 and galois' arithmetic above.
* A scheme may need more of the field than its order allows (Reed–Solomon points need q ≥ n): it says so.

Example:
    >>> as_field("real") is REAL, field_name(as_field("GF(2^8)")), field_name(as_field("GF(65537)"))
    (True, 'GF(2^8)', 'GF(65537)')
    >>> as_field("GF(2^521)")
    Traceback (most recent call last):
    ...
    gcli.errors.OverLimit: GF(2^521) is too large: gcli supports fields GF(p^e) of order at most 2^62
"""

from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import numpy as np

from gcli.errors import ImpossibleParameters, InputError, OverLimit
from gcli.fields._gfpoly import is_irreducible, prime_field_poly, smallest_primitive_element
from gcli.fields.numbertheory import prime_power

if TYPE_CHECKING:
    import galois

__all__ = [
    "MAX_ORDER",
    "REAL",
    "Field",
    "FieldInfo",
    "RealField",
    "as_field",
    "check_order",
    "field_from_json",
    "field_info_from_json",
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


MAX_ORDER: Final = 2**62
"""Largest field order gcli accepts (module docstring: the field policy)."""

_MAX_DEGREE: Final = 62  # 2^62 = MAX_ORDER: no larger degree fits


def _too_large(name: str) -> OverLimit:
    return OverLimit(f"{name} is too large: gcli supports fields GF(p^e) of order at most 2^62")


def check_order(order: int, characteristic: int | None = None, degree: int | None = None) -> tuple[int, int]:
    """The field policy (module docstring): (p, e) with order = p^e, or one line saying what is supported.

    Every bound is checked on the integers as given, before any primality test or power is computed, so
    ``"degree": 10000000000`` or a 58-digit order costs microseconds.

    >>> check_order(65537**2), check_order(8, 2, 3)
    ((65537, 2), (2, 3))
    >>> check_order(2**64)
    Traceback (most recent call last):
    ...
    gcli.errors.OverLimit: GF(18446744073709551616) is too large: gcli supports fields GF(p^e) of order at most 2^62
    """
    for name, value in (("order", order), ("characteristic", characteristic), ("degree", degree)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | np.integer)):
            raise ImpossibleParameters(f"field {name} must be an integer, got {value!r}")
    order = int(order)
    if order < 2:
        raise ImpossibleParameters(f"GF({order}) is not a field: the order must be a prime power ≥ 2")
    if order > MAX_ORDER:
        raise _too_large(f"GF({order})" if order.bit_length() <= 256 else f"a field of order ~2^{order.bit_length()}")
    if degree is not None and not 1 <= int(degree) <= _MAX_DEGREE:
        raise ImpossibleParameters(f"field degree {degree} is impossible for GF({order}): need 1 ≤ e ≤ {_MAX_DEGREE} "
                                   "(order at most 2^62)")
    if characteristic is not None and not 2 <= int(characteristic) <= order:
        raise InputError(f"field characteristic {characteristic} is impossible for GF({order})")
    if characteristic is not None and degree is not None and int(characteristic) ** int(degree) != order:
        raise InputError(f"field: order {order} ≠ characteristic^degree = {characteristic}^{degree}")
    found = prime_power(order)
    if found is None:
        raise InputError(f"GF({order}) is not a field: {order} is not a prime power")
    if characteristic is not None and found[0] != int(characteristic):
        raise InputError(f"field: GF({order}) has characteristic {found[0]}, not {characteristic}")
    return found


def _factor_prime_power(q: int) -> tuple[int, int]:
    """Return (p, e) with q = p**e under the field policy (:func:`check_order`), else InputError."""
    return check_order(q)


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

    p, e = _factor_prime_power(order)
    if e == 1:
        field = _prime_field(p)
        if irreducible_poly is not None and int(field.irreducible_poly) != irreducible_poly:
            raise InputError(
                f"GF({order}): irreducible polynomial {irreducible_poly} does not match the field's "
                f"{int(field.irreducible_poly)}"
            )
        return field
    default = _extension_field(p, e)
    if irreducible_poly is None or int(default.irreducible_poly) == irreducible_poly:
        return default  # the usual case (files written by gcli): no irreducibility test to compile
    if not order <= irreducible_poly < 2 * order or not is_irreducible(irreducible_poly, p, e):
        raise InputError(f"GF({p}^{e}): {irreducible_poly} is not an irreducible monic polynomial of degree {e}")
    return _on_polynomial(p, e, irreducible_poly)


def _on_polynomial(p: int, e: int, poly: int) -> type[galois.FieldArray]:
    """GF(p^e) modulo the irreducible ``poly`` (already tested), with its smallest primitive element: galois would
    otherwise test both with polynomial kernels it compiles first (about 10 s)."""
    import galois

    return galois.GF(p**e, irreducible_poly=galois.Poly.Int(poly, field=_prime_field(p)),
                     primitive_element=smallest_primitive_element(p, e, poly), verify=False)


def _extension_field(p: int, e: int) -> type[galois.FieldArray]:
    """GF(p^e) on the Conway polynomial when galois knows it, else on the smallest monic irreducible one.

    The prime subfield GF(p) is built first without JIT (:func:`_prime_field`): galois reuses it, instead of
    building its own and JIT-compiling a polynomial evaluation for it (seconds, the bulk of building GF(2^8))."""
    import galois

    _prime_field(p)
    try:
        return galois.GF(p**e)
    except LookupError:  # no Conway polynomial in galois' database (e.g. GF(65537^2))
        order = p**e
        for candidate in range(order, 2 * order):  # monic polynomials in increasing integer order
            if is_irreducible(candidate, p, e):  # about one in e is: a few tries
                return _on_polynomial(p, e, candidate)
        raise AssertionError("unreachable: every degree has an irreducible polynomial") from None  # pragma: no cover


@dataclass(frozen=True)
class FieldInfo:
    """GF(p^e) known by its numbers only: GF(p)[x]/(f), f the monic irreducible ``irreducible_poly`` of degree e
    (integer representation Σ f_i p^i; for e = 1, f = x − g with g the smallest primitive root, as galois
    records it), elements the integers Σ c_i p^i < q = p^e.

    Reading and verifying a code needs no galois class: the entries are integers in [0, q), the compiled kernels
    take exp/log tables built from f and a primitive element (:func:`gcli.fields.arithmetic.exp_log_tables`), and the
    output needs only the name. So :func:`field_info_from_json` checks a file's field with
    :mod:`gcli.fields._gfpoly` (Rabin's irreducibility test, microseconds) and returns one of these; :meth:`galois`
    builds the galois class (importing galois, JIT-compiling for GF(p^e)) only where galois arithmetic is
    needed. It has the attributes of a galois class that :func:`field_name`, :func:`field_to_json` and
    :func:`gcli.certification.engine.field_spec` read.

    >>> info = FieldInfo(256, 2, 8, 285)
    >>> field_name(info), info.primitive_element, field_to_json(info)["irreducible_poly"]
    ('GF(2^8)', 2, 285)
    """

    order: int
    characteristic: int
    degree: int
    irreducible_poly: int

    @functools.cached_property
    def primitive_element(self) -> int:
        """The smallest generator of GF(q)* (galois' choice too: x for a Conway polynomial, else the least)."""
        return smallest_primitive_element(self.characteristic, self.degree, self.irreducible_poly)

    def galois(self) -> type[galois.FieldArray]:
        """The galois class of this field (built on first call, then cached by :func:`gf`)."""
        return gf(self.order, self.irreducible_poly if self.degree > 1 else None)


def field_info_from_json(obj: dict[str, Any]) -> RealField | FieldInfo:
    """The JSON ``field`` object checked as :func:`field_from_json` checks it, without galois: REAL or a
    :class:`FieldInfo` (a prime field's polynomial must be x − g, g its smallest primitive root; an extension
    field's must be monic of degree e and irreducible)."""
    if obj.get("kind") == "real":
        return REAL
    if obj.get("kind") != "gf":
        raise InputError(f"unknown field kind {obj.get('kind')!r}")
    missing = [key for key in ("order", "characteristic", "degree", "irreducible_poly") if key not in obj]
    if missing:
        raise InputError(f"field: missing {', '.join(missing)}")
    order, poly = obj["order"], obj["irreducible_poly"]
    p, e = check_order(order, obj["characteristic"], obj["degree"])
    if isinstance(poly, bool) or not isinstance(poly, int | np.integer):
        raise ImpossibleParameters(f"field irreducible_poly must be an integer, got {poly!r}")
    order, poly = int(order), int(poly)
    if e == 1:
        expected = prime_field_poly(p)
        if poly != expected:
            raise InputError(f"GF({order}): irreducible polynomial {poly} does not match the field's {expected}")
    else:
        if not order <= poly < 2 * order or not is_irreducible(poly, p, e):
            raise InputError(f"GF({p}^{e}): {poly} is not an irreducible monic polynomial of degree {e}")
    return FieldInfo(order, p, e, poly)


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
    digits, exponent_digits = match.group(1), match.group(2)
    name = f"GF({digits}" + ("" if exponent_digits is None else f"^{exponent_digits}") + ")"
    if len(digits.lstrip("0")) > 19 or (exponent_digits is not None and len(exponent_digits.lstrip("0")) > 2):
        raise _too_large(name if len(name) < 80 else name[:60] + "…)")  # 2^62 has 19 digits; e ≤ 62
    base = int(digits)
    if exponent_digits is not None:
        exponent = int(exponent_digits)
        if base < 2 or exponent < 1:
            raise ImpossibleParameters(f"{name} is not a field: need a prime p ≥ 2 and e ≥ 1 in GF(p^e)")
        if base.bit_length() * exponent > 63 and base ** exponent > MAX_ORDER:
            raise _too_large(name)
        _, e = check_order(base)
        if e != 1:
            raise ImpossibleParameters(f"GF({base}^{exponent}): the base {base} must be prime")
        order = base**exponent
    else:
        order = base
    check_order(order)
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
    missing = [key for key in ("order", "characteristic", "degree", "irreducible_poly") if key not in obj]
    if missing:
        raise InputError(f"field: missing {', '.join(missing)}")
    order, poly = obj["order"], obj["irreducible_poly"]
    check_order(order, obj["characteristic"], obj["degree"])  # the same policy as --field, before any factoring
    if isinstance(poly, bool) or not isinstance(poly, int | np.integer):
        raise ImpossibleParameters(f"field irreducible_poly must be an integer, got {poly!r}")
    return gf(int(order), int(poly))


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
    if _is_field_class(type(values)):
        if type(values) is not field:
            raise InputError(f"array is over {field_name(type(values))}, expected {field_name(field)}")
        return values  # type: ignore[no-any-return]
    arr = np.asarray(values)
    if arr.size and arr.dtype.kind == "O":  # Python ints (galois keeps fields beyond 2^32 in object arrays)
        if not all(isinstance(x, int | np.integer) and not isinstance(x, bool) for x in arr.flat):
            raise ImpossibleParameters(f"entries over {field_name(field)} must be integers in [0, {field.order})")
        if min(arr.flat) < 0 or max(arr.flat) >= field.order:
            raise ImpossibleParameters(f"entries over {field_name(field)} must be integers in [0, {field.order})")
        return field(arr.astype(np.int64))
    if arr.size and (arr.dtype.kind not in "iu" or arr.min() < 0 or arr.max() >= field.order):
        raise ImpossibleParameters(f"entries over {field_name(field)} must be integers in [0, {field.order})")
    return field(arr.astype(np.int64))
