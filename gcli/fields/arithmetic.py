"""Element arithmetic of GF(p^e) on int64 arrays, without galois: the one implementation gcli computes with.

An element of GF(p^e) = GF(p)[x]/(f) is the integer Σ c_i p^i standing for Σ c_i x^i (galois' integer
representation); f is the monic irreducible polynomial Σ f_i p^i of degree e and α a primitive element.

* :func:`element_powers` — α⁰, …, α^(count−1) by companion-matrix products (no per-element Python loop);
* :func:`exp_log_tables` — the exp table (length 2(q − 1): α^k for 0 ≤ k < 2(q − 1)) and log table of GF(q)*,
  the tables the compiled kernels and :class:`FieldArithmetic` multiply with (cached);
* :class:`FieldArithmetic` — add, sub, neg, mul, inv, power and sums on int64 arrays: modulo p for a prime
  p < 2^31 (products stay below 2^62), exp/log tables for GF(p^e) with q ≤ :data:`TABLE_ORDER_LIMIT`
  (a·b = α^(log a + log b), a⁻¹ = α^(−log a); a ± b digit by digit mod p, XOR for p = 2);
* :func:`field_ops` — the arithmetic for a field object: :class:`FieldArithmetic` when it applies, galois' ufuncs
  (:class:`GaloisArithmetic`) for fields beyond both limits;
* :func:`field_matmul` — a @ b for a galois field class's arrays through :class:`FieldArithmetic` (galois' product
  JIT-compiles a parallel kernel, seconds in every fresh process, numba cannot cache it).

Scalar polynomial helpers (irreducibility, primitive elements and polynomials) live in :mod:`gcli.fields._gfpoly`.

Example:
    >>> f = FieldArithmetic(2, 8, 285, 2)
    >>> int(f.mul(2, 128)), int(f.inv(2)), int(f.add(3, 1)), f.exp[:4].tolist()
    (29, 142, 2, [1, 2, 4, 8])
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from gcli.fields._gfpoly import prime_field_poly

if TYPE_CHECKING:
    import galois

__all__ = [
    "PRIME_LIMIT",
    "TABLE_ORDER_LIMIT",
    "FieldArithmetic",
    "GaloisArithmetic",
    "arithmetic",
    "element_powers",
    "exp_log_tables",
    "field_matmul",
    "field_ops",
    "raw",
]

PRIME_LIMIT = 2**31  # int64 arithmetic modulo p below this: products stay below 2^62
TABLE_ORDER_LIMIT = 1 << 20  # exp/log tables of at most this many entries


class Ops(Protocol):
    """What the batched linear algebra needs of a field's arithmetic."""

    def asarray(self, a: Any) -> np.ndarray: ...
    def mul(self, a: Any, b: Any) -> np.ndarray: ...
    def sub(self, a: Any, b: Any) -> np.ndarray: ...
    def inv(self, a: Any) -> np.ndarray: ...


def raw(a: Any) -> np.ndarray:
    """The plain integer ndarray behind a FieldArray (no copy)."""
    return a.view(np.ndarray) if type(a) is not np.ndarray and isinstance(a, np.ndarray) else a


def _digits(value: int, p: int, e: int) -> np.ndarray:
    return np.array([(value // p**i) % p for i in range(e)], dtype=np.int64)


def element_powers(p: int, e: int, irreducible_poly: int, element: int, count: int) -> np.ndarray:
    """α⁰, α¹, …, α^(count−1) in GF(p^e) as integers in galois' representation (Σ c_i p^i for Σ c_i x^i modulo
    the monic irreducible polynomial f, given by its integer representation), without galois.

    Multiplication by a fixed α is a linear map of GF(p)^e: M_x is the companion matrix of f and
    M_α = Σ a_i M_x^i. The first B ≈ √count powers come from repeated products with M_α, the rest block by block
    from M_α^B, so the work is O(√count) small matrix products instead of count Python steps. (For e = 1 the
    entries are reduced mod p at every step, so p must stay below 2^31.)
    """
    f = _digits(irreducible_poly, p, e + 1)  # f_0..f_e, f_e = 1
    companion = np.zeros((e, e), dtype=np.int64)
    companion[1:, :-1] = np.eye(e - 1, dtype=np.int64)  # x·x^i = x^(i+1)
    companion[:, -1] = (-f[:e]) % p  # x·x^(e−1) = x^e = −Σ f_i x^i
    digits = _digits(element, p, e)
    mult = np.zeros((e, e), dtype=np.int64)
    power = np.eye(e, dtype=np.int64)
    for a in digits:
        mult = (mult + a * power) % p
        power = (companion @ power) % p
    block = max(1, math.isqrt(max(count, 1)) + 1)
    first = np.zeros((e, block), dtype=np.int64)
    vec = np.zeros(e, dtype=np.int64)
    vec[0] = 1
    for t in range(block):
        first[:, t] = vec
        vec = (mult @ vec) % p
    step = np.eye(e, dtype=np.int64)
    for _ in range(block):
        step = (mult @ step) % p  # M_α^B
    columns = [first]
    current = first
    while sum(c.shape[1] for c in columns) < count:
        current = (step @ current) % p
        columns.append(current)
    vectors = np.concatenate(columns, axis=1)[:, :count]
    return (p ** np.arange(e, dtype=np.int64)) @ vectors


@functools.lru_cache(maxsize=16)
def exp_log_tables(p: int, e: int, irreducible_poly: int, primitive_element: int) -> tuple[np.ndarray, np.ndarray]:
    """exp (length 2(q − 1), exp[k] = α^k, so exp[log a + log b] needs no reduction) and log (length q,
    log[α^k] = k, log[0] = 0 unused) of GF(q)*, q = p^e, α the primitive element. Cached: do not write to them."""
    q = p**e
    powers = element_powers(p, e, irreducible_poly, primitive_element, q - 1)
    log = np.zeros(q, dtype=np.int64)
    log[powers] = np.arange(q - 1, dtype=np.int64)
    return np.concatenate([powers, powers]), log


class FieldArithmetic:
    """GF(p^e) on int64 arrays of element codes 0..q−1 (galois' integer representation).

    Prime fields (e = 1, p < 2^31): arithmetic modulo p, a⁻¹ = a^(p−2) (Fermat). Extension fields
    (q ≤ :data:`TABLE_ORDER_LIMIT`): a·b = α^(log a + log b), a^k = α^(k·log a), a⁻¹ = α^(q−1−log a) from
    :func:`exp_log_tables`; a ± b coefficient by coefficient mod p (XOR for p = 2). Inputs are anything
    ``np.asarray`` takes (ints, lists, FieldArrays); outputs are int64 arrays.
    """

    def __init__(self, p: int, e: int, irreducible_poly: int = 0, primitive_element: int = 0) -> None:
        """GF(p^e) on f = ``irreducible_poly`` with primitive element α (both may be omitted for a prime field)."""
        self.p, self.e, self.q = int(p), int(e), int(p) ** int(e)
        self.is_prime = self.e == 1
        if not arithmetic_applies(self.p, self.e):
            raise ValueError(f"GF({p}^{e}): int64 arithmetic needs p < 2^31, exp/log tables q ≤ {TABLE_ORDER_LIMIT}")
        if self.is_prime:  # galois' description of GF(p): f = x − g, α = g the smallest primitive root
            self.irreducible_poly = int(irreducible_poly) or prime_field_poly(self.p)
            self.primitive_element = (2 * self.p - self.irreducible_poly) % self.p  # f = x − g
        else:
            self.irreducible_poly, self.primitive_element = int(irreducible_poly), int(primitive_element)
        self._places = self.p ** np.arange(self.e, dtype=np.int64)

    @classmethod
    def of(cls, field: Any) -> FieldArithmetic:
        """The arithmetic of a field object with galois' attributes (a FieldArray class, a FieldInfo)."""
        e = int(field.degree)
        return cls(int(field.characteristic), e, int(field.irreducible_poly),
                   int(field.primitive_element) if e > 1 else 0)

    def __repr__(self) -> str:
        return f"FieldArithmetic(GF({self.p}^{self.e}))"

    @functools.cached_property
    def tables(self) -> tuple[np.ndarray, np.ndarray]:
        """(exp, log) of :func:`exp_log_tables` (for a prime field too, from its primitive element)."""
        return exp_log_tables(self.p, self.e, self.irreducible_poly, self.primitive_element)

    @property
    def exp(self) -> np.ndarray:
        return self.tables[0]

    @property
    def log(self) -> np.ndarray:
        return self.tables[1]

    def asarray(self, a: Any) -> np.ndarray:
        return np.asarray(raw(a), dtype=np.int64)

    def add(self, a: Any, b: Any) -> np.ndarray:
        """a + b elementwise."""
        a, b = self.asarray(a), self.asarray(b)
        if self.is_prime:
            return (a + b) % self.p
        if self.p == 2:
            return a ^ b
        return self._digitwise(a, b, 1)

    def sub(self, a: Any, b: Any) -> np.ndarray:
        """a − b elementwise."""
        a, b = self.asarray(a), self.asarray(b)
        if self.is_prime:
            return (a - b) % self.p
        if self.p == 2:
            return a ^ b
        return self._digitwise(a, b, -1)

    def _digitwise(self, a: np.ndarray, b: np.ndarray, sign: int) -> np.ndarray:
        a, b = np.broadcast_arrays(a, b)
        out = np.zeros(a.shape, dtype=np.int64)
        for place in self._places.tolist():
            out += ((a // place + sign * (b // place)) % self.p) * place
        return out

    def neg(self, a: Any) -> np.ndarray:
        """−a elementwise."""
        return self.sub(0, a)

    def mul(self, a: Any, b: Any) -> np.ndarray:
        """a · b elementwise."""
        a, b = self.asarray(a), self.asarray(b)
        if self.is_prime:
            return (a * b) % self.p
        exp, log = self.tables
        a, b = np.broadcast_arrays(a, b)
        return np.where((a == 0) | (b == 0), 0, exp[log[a] + log[b]])

    def power(self, a: Any, exponent: int) -> np.ndarray:
        """a^exponent elementwise (exponent ≥ 0; 0⁰ = 1)."""
        a = self.asarray(a)
        if self.is_prime:
            base = a % self.p
            result = np.ones_like(base)
            while exponent:
                if exponent & 1:
                    result = (result * base) % self.p
                base = (base * base) % self.p
                exponent >>= 1
            return result
        if exponent == 0:
            return np.ones_like(a)
        exp, log = self.tables
        return np.where(a == 0, 0, exp[(log[a] * (exponent % (self.q - 1))) % (self.q - 1)])

    def inv(self, a: Any) -> np.ndarray:
        """a⁻¹ elementwise (a ≠ 0; 0 maps to an arbitrary value)."""
        if self.is_prime:
            return self.power(a, self.p - 2)
        exp, log = self.tables
        return exp[(self.q - 1 - log[self.asarray(a)]) % (self.q - 1)]

    def sum(self, a: Any, axis: int) -> np.ndarray:
        """Σ a along an axis (coefficient sums mod p)."""
        a = self.asarray(a)
        if self.is_prime:
            return a.sum(axis=axis) % self.p
        if self.p == 2:
            return np.bitwise_xor.reduce(a, axis=axis)
        out = 0
        for place in self._places.tolist():
            out = out + ((a // place % self.p).sum(axis=axis) % self.p) * place
        return np.asarray(out, dtype=np.int64)

    def matmul(self, a: Any, b: Any) -> np.ndarray:
        """The matrix product a @ b (over GF(p) one int64 product when inner size · (p − 1)² < 2^63, else
        rank-1 terms reduced mod p one at a time)."""
        a, b = self.asarray(a), self.asarray(b)
        if self.is_prime and a.shape[-1] * (self.p - 1) ** 2 < 2**63:  # the int64 sums cannot overflow
            return (a @ b) % self.p
        out: np.ndarray | None = None
        for k in range(a.shape[-1]):  # one rank-1 term at a time: memory of the result only
            term = self.mul(a[..., k, None], b[..., k, :]) if b.ndim > 1 else self.mul(a[..., k], b[k])
            out = term if out is None else self.add(out, term)
        if out is None:
            return (a @ b) % self.p  # an empty inner dimension: zeros of the right shape
        return out


class GaloisArithmetic:
    """Arithmetic through galois FieldArray ufuncs: fields beyond :class:`FieldArithmetic`'s limits."""

    def __init__(self, field: type[galois.FieldArray]) -> None:
        self.field = field

    def asarray(self, a: Any) -> np.ndarray:
        return a if isinstance(a, self.field) else self.field(np.asarray(a))

    def mul(self, a: Any, b: Any) -> np.ndarray:
        return a * b

    def sub(self, a: Any, b: Any) -> np.ndarray:
        return a - b

    def inv(self, a: Any) -> np.ndarray:
        return np.reciprocal(a)


def arithmetic_applies(p: int, e: int) -> bool:
    """Does :class:`FieldArithmetic` handle GF(p^e)? (p < 2^31 for e = 1, p^e ≤ 2^20 otherwise)"""
    return p < PRIME_LIMIT if e == 1 else p**e <= TABLE_ORDER_LIMIT


def arithmetic(field: Any) -> FieldArithmetic:
    """The cached :class:`FieldArithmetic` of a field object (galois class or FieldInfo)."""
    e = int(field.degree)
    return _arithmetic(int(field.characteristic), e, int(field.irreducible_poly),
                       int(field.primitive_element) if e > 1 else 0)


@functools.lru_cache(maxsize=32)
def _arithmetic(p: int, e: int, poly: int, alpha: int) -> FieldArithmetic:
    return FieldArithmetic(p, e, poly, alpha)


def field_matmul(field: Any, a: Any, b: Any) -> Any:
    """a @ b over ``field`` (a galois FieldArray class), as an array of that class: by :meth:`FieldArithmetic.matmul`
    when it applies (p < 2^31 or q ≤ 2^20), otherwise galois' own product. The same values either way; no JIT
    compilation on the table path.

    >>> from gcli.fields import gf
    >>> F = gf(2**8)
    >>> field_matmul(F, F([[2, 3]]), F([[4], [5]])).tolist()  # 2·4 + 3·5 = 8 XOR 15
    [[7]]
    """
    p, e = int(field.characteristic), int(field.degree)
    if arithmetic_applies(p, e):
        return field(arithmetic(field).matmul(a, b))
    return a @ b


def field_ops(field: Any) -> Ops:
    """The arithmetic for this finite field (``asarray``, ``mul``, ``sub``, ``inv`` on its arrays): int64 mod p
    for primes below 2^31, exp/log tables for a :class:`gcli.fields.FieldInfo` extension field of order at most
    2^20, galois ufuncs otherwise (a galois class keeps its own arithmetic: its arrays stay FieldArrays)."""
    from gcli.fields.core import FieldInfo

    p, e = int(field.characteristic), int(field.degree)
    if (e == 1 or isinstance(field, FieldInfo)) and arithmetic_applies(p, e):
        return arithmetic(field)
    return GaloisArithmetic(field)
