"""GF(p^e) in pure Python, without galois: polynomials over GF(p) and elements of GF(p)[x]/(f).

An element of GF(p^e) = GF(p)[x]/(f), f monic irreducible of degree e, is the integer Σ c_i p^i standing for the
residue Σ c_i x^i (galois' integer representation); f itself is Σ f_i p^i with f_e = 1, so p^e ≤ f < 2·p^e.
Polynomials are coefficient lists, lowest degree first, without trailing zeros ([] is 0).

What the command line needs before any arithmetic on matrices, at microsecond cost (e·log p ≤ 62 for every
field gcli supports, so every loop below is small):

* :func:`is_irreducible` — Rabin's test: f of degree e is irreducible over GF(p) iff x^(p^e) ≡ x (mod f) and
  gcd(x^(p^(e/r)) − x, f) = 1 for every prime r | e;
* :func:`smallest_primitive_element` — the least α (as an integer) with α^((q−1)/r) ≠ 1 for every prime
  r | q − 1, i.e. a generator of the cyclic group GF(q)*; for a Conway polynomial that is x (the integer p), the
  primitive element galois uses;
* :func:`mul`, :func:`power`, :func:`inverse` — element arithmetic (the reference the tests hold galois to;
  the compiled kernels and :mod:`gcli.fields.arithmetic` use exp/log tables built by
  :func:`gcli.fields.arithmetic.exp_log_tables`);
* :func:`primitive_polynomial` — the smallest monic polynomial of degree e whose root x generates GF(p^e)*;
  :func:`matlab_primitive_polynomial` — the textbook (MATLAB) default, which galois' BCH codes are built on.

Example:
    >>> is_irreducible(285, 2, 8), is_irreducible(9, 2, 3), smallest_primitive_element(2, 8, 285)
    (True, False, 2)
    >>> mul(2, 128, 2, 8, 285), inverse(2, 2, 8, 285)  # x·x^7 = x^8 = x^4 + x^3 + x^2 + 1 (285 = x^8 + …)
    (29, 142)
"""

from __future__ import annotations

from gcli.fields.numbertheory import prime_factors, primitive_root

__all__ = [
    "digits",
    "inverse",
    "is_irreducible",
    "is_primitive",
    "matlab_primitive_polynomial",
    "mul",
    "power",
    "prime_field_poly",
    "primitive_polynomial",
    "smallest_primitive_element",
    "value",
]

Poly = list[int]


def digits(number: int, p: int, length: int | None = None) -> Poly:
    """Σ c_i p^i → [c_0, c_1, …] (``length`` digits, else without trailing zeros)."""
    out: Poly = []
    while number if length is None else len(out) < length:
        number, digit = divmod(number, p)
        out.append(digit)
    return out


def value(poly: Poly, p: int) -> int:
    """[c_0, c_1, …] → Σ c_i p^i (the inverse of :func:`digits`)."""
    total = 0
    for c in reversed(poly):
        total = total * p + c
    return total


def _strip(poly: Poly) -> Poly:
    while poly and poly[-1] == 0:
        poly.pop()
    return poly


def _sub(a: Poly, b: Poly, p: int) -> Poly:
    out = [0] * max(len(a), len(b))
    for i, c in enumerate(a):
        out[i] = c
    for i, c in enumerate(b):
        out[i] = (out[i] - c) % p
    return _strip(out)


def _mod(a: Poly, f: Poly, p: int) -> Poly:
    """a mod f for f with an invertible leading coefficient."""
    a = list(a)
    _strip(a)
    lead_inv = pow(f[-1], -1, p)
    df = len(f) - 1
    while len(a) - 1 >= df:
        shift = len(a) - 1 - df
        factor = a[-1] * lead_inv % p
        for i, c in enumerate(f):
            a[shift + i] = (a[shift + i] - factor * c) % p
        _strip(a)
    return a


def _mulmod(a: Poly, b: Poly, f: Poly, p: int) -> Poly:
    if not a or not b:
        return []
    out = [0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                out[i + j] = (out[i + j] + x * y) % p
    return _mod(out, f, p)


def _powmod(a: Poly, exponent: int, f: Poly, p: int) -> Poly:
    result: Poly = [1]
    base = _mod(a, f, p)
    while exponent:
        if exponent & 1:
            result = _mulmod(result, base, f, p)
        exponent >>= 1
        if exponent:
            base = _mulmod(base, base, f, p)
    return result


def _gcd(a: Poly, b: Poly, p: int) -> Poly:
    a, b = _strip(list(a)), _strip(list(b))
    while b:
        a, b = b, _mod(a, b, p)
    return a


def is_irreducible(poly: int, p: int, e: int) -> bool:
    """Is the monic polynomial ``poly`` (integer representation, degree e ≥ 1) irreducible over GF(p)? (Rabin)"""
    f = digits(poly, p)
    if len(f) != e + 1 or f[-1] != 1:
        return False
    x = [0, 1]
    for r in prime_factors(e):
        h = _powmod(x, p ** (e // r), f, p)
        if len(_gcd(f, _sub(h, x, p), p)) > 1:  # a common factor of positive degree
            return False
    return _sub(_powmod(x, p**e, f, p), x, p) == [] if e > 1 else True


def mul(a: int, b: int, p: int, e: int, poly: int) -> int:
    """a·b in GF(p)[x]/(poly)."""
    return value(_mulmod(digits(a, p), digits(b, p), digits(poly, p), p), p)


def power(a: int, exponent: int, p: int, e: int, poly: int) -> int:
    """a^exponent (exponent ≥ 0) in GF(p)[x]/(poly)."""
    return value(_powmod(digits(a, p), exponent, digits(poly, p), p), p)


def inverse(a: int, p: int, e: int, poly: int) -> int:
    """a^(−1) = a^(q−2) for a ≠ 0 (Lagrange: a^(q−1) = 1 in GF(q)*, q = p^e)."""
    if a == 0:
        raise ZeroDivisionError("0 has no inverse in a field")
    return power(a, p**e - 2, p, e, poly)


def smallest_primitive_element(p: int, e: int, poly: int) -> int:
    """The least integer α generating GF(p^e)* modulo ``poly`` (irreducible, degree e ≥ 1; for e = 1 the smallest
    primitive root of p)."""
    if e == 1:
        return primitive_root(p)
    q = p**e
    f = digits(poly, p)
    cofactors = [(q - 1) // r for r in prime_factors(q - 1)]
    for candidate in range(p, q):  # the constants lie in GF(p)*, too small a group
        alpha = digits(candidate, p)
        if all(_powmod(alpha, c, f, p) != [1] for c in cofactors):
            return candidate
    raise AssertionError("unreachable: GF(q)* is cyclic")  # pragma: no cover


def prime_field_poly(p: int) -> int:
    """galois' irreducible polynomial of GF(p): x − g for the smallest primitive root g, as Σ f_i p^i."""
    return p + (p - primitive_root(p)) % p


def is_primitive(poly: int, p: int, e: int) -> bool:
    """Is the monic ``poly`` of degree e primitive over GF(p), i.e. is x of order p^e − 1 modulo it? (Then poly is
    irreducible and x generates GF(p^e)*: x^(q−1) ≡ 1 and x^((q−1)/r) ≢ 1 for every prime r | q − 1.)"""
    f = digits(poly, p)
    if len(f) != e + 1 or f[-1] != 1 or f[0] == 0:
        return False
    q = p**e
    x = [0, 1]
    if _powmod(x, q - 1, f, p) != [1]:
        return False
    return all(_powmod(x, (q - 1) // r, f, p) != [1] for r in prime_factors(q - 1))


def primitive_polynomial(p: int, e: int) -> int:
    """The smallest (in integer representation, i.e. lexicographically in c_{e−1}, …, c_0) monic primitive
    polynomial x^e + Σ c_i x^i of degree e ≥ 1 over GF(p)."""
    for candidate in range(p**e + 1, 2 * p**e):
        if is_primitive(candidate, p, e):
            return candidate
    raise AssertionError("unreachable: primitive polynomials exist in every degree")  # pragma: no cover


_MATLAB_EXCEPTIONS = {(2, 7): 0b10001001, (2, 14): 0b100010001000011, (2, 16): 0b10001000000001011}
"""The three degrees where MATLAB's (and galois') default is not the smallest primitive polynomial:
x^7 + x^3 + 1, x^14 + x^10 + x^6 + x + 1, x^16 + x^12 + x^3 + x + 1."""


def matlab_primitive_polynomial(p: int, e: int) -> int:
    """MATLAB's default primitive polynomial of degree e over GF(p), equal to ``galois.matlab_primitive_poly``: the
    smallest one (:func:`primitive_polynomial`) except in three binary degrees (7, 14, 16). galois builds the
    extension field of a BCH code on it.

    >>> matlab_primitive_polynomial(2, 6), matlab_primitive_polynomial(2, 7)  # x^6 + x + 1, x^7 + x^3 + 1
    (67, 137)
    """
    return _MATLAB_EXCEPTIONS.get((p, e)) or primitive_polynomial(p, e)
