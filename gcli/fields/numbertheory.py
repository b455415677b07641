"""Integer number theory shared by fields, geometries, designs, graphs and bounds (the one home for it).

Pure Python on machine-size integers, so importing it costs nothing (no sympy, no galois):

* :func:`is_prime` — deterministic Miller–Rabin below 3.3·10²⁴ (the first 13 prime bases suffice there;
  Sorenson & Webster 2017), a strong probable-prime test with those bases above;
* :func:`factorint` — trial division by small primes, then Pollard's rho (Brent's variant);
* :func:`prime_power` / :func:`is_prime_power` — q = p^e with p prime;
* :func:`integer_root`, :func:`integer_log`, :func:`is_square` — exact roots and logarithms;
* :func:`legendre`, :func:`primitive_root`, :func:`is_sum_of_two_squares`.

Example:
    >>> prime_power(3**5), is_prime_power(12), integer_log(81, 3), legendre(2, 7)
    ((3, 5), False, 4, 1)
"""

from __future__ import annotations

import math
import random

__all__ = [
    "factorint",
    "integer_log",
    "integer_root",
    "is_prime",
    "is_prime_power",
    "is_square",
    "is_sum_of_two_squares",
    "legendre",
    "prime_factors",
    "prime_power",
    "primitive_root",
]

_SMALL_PRIMES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41)
_DETERMINISTIC_LIMIT = 3_317_044_064_679_887_385_961_981  # all 13 bases above decide primality below this


def is_prime(n: int) -> bool:
    """True when n is prime (deterministic for n < 3.3·10²⁴)."""
    if n < 2:
        return False
    for p in _SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    for a in _SMALL_PRIMES:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def _rho(n: int, rng: random.Random) -> int:
    """A non-trivial factor of the odd composite n (Pollard–Brent)."""
    while True:
        y, c, m = rng.randrange(1, n), rng.randrange(1, n), 128
        g, r, q = 1, 1, 1
        x = ys = y
        while g == 1:
            x = y
            for _ in range(r):
                y = (y * y + c) % n
            k = 0
            while k < r and g == 1:
                ys = y
                for _ in range(min(m, r - k)):
                    y = (y * y + c) % n
                    q = q * abs(x - y) % n
                g = math.gcd(q, n)
                k += m
            r *= 2
        if g == n:
            g = 1
            while g == 1:
                ys = (ys * ys + c) % n
                g = math.gcd(abs(x - ys), n)
        if g != n:
            return g


def factorint(n: int) -> dict[int, int]:
    """The prime factorisation {p: e} of n ≥ 1 (``{}`` for 1), primes in increasing order."""
    if n < 1:
        raise ValueError(f"factorint needs a positive integer (got {n})")
    factors: dict[int, int] = {}
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47):
        while n % p == 0:
            factors[p] = factors.get(p, 0) + 1
            n //= p
    rng = random.Random(0)  # deterministic: the factorisation does not depend on the draw, only the path
    stack = [n] if n > 1 else []
    while stack:
        m = stack.pop()
        if is_prime(m):
            factors[m] = factors.get(m, 0) + 1
            continue
        root = integer_root(m, 2)
        if root * root == m:
            stack.extend((root, root))
            continue
        f = _rho(m, rng)
        stack.extend((f, m // f))
    return dict(sorted(factors.items()))


def prime_factors(n: int) -> list[int]:
    """The distinct primes dividing n ≥ 1, increasing."""
    return list(factorint(n))


def integer_root(n: int, e: int) -> int:
    """⌊n^(1/e)⌋ for n ≥ 0, e ≥ 1, exactly (Newton's method on integers)."""
    if n < 0 or e < 1:
        raise ValueError(f"integer_root needs n ≥ 0 and e ≥ 1 (got n={n}, e={e})")
    if n < 2 or e == 1:
        return n
    if e == 2:
        return math.isqrt(n)
    x = 1 << -(-n.bit_length() // e)  # an upper bound
    while True:
        y = ((e - 1) * x + n // x ** (e - 1)) // e
        if y >= x:
            break
        x = y
    while x**e > n:
        x -= 1
    while (x + 1) ** e <= n:
        x += 1
    return x


def integer_log(n: int, base: int) -> int | None:
    """d ≥ 0 with base^d = n, or None when n is not a power of base (base ≥ 2)."""
    if base < 2 or n < 1:
        return None
    d = 0
    while n % base == 0:
        n //= base
        d += 1
    return d if n == 1 else None


def is_square(n: int) -> bool:
    """True when n is a perfect square (n ≥ 0)."""
    return n >= 0 and math.isqrt(n) ** 2 == n


def prime_power(q: int) -> tuple[int, int] | None:
    """(p, e) with q = p^e, p prime, e ≥ 1; None when q is not a prime power."""
    if q < 2:
        return None
    for e in range(q.bit_length(), 0, -1):
        p = integer_root(q, e)
        if p >= 2 and p**e == q and is_prime(p):
            return p, e
    return None


def is_prime_power(q: int) -> bool:
    """True when q = p^e for a prime p and e ≥ 1."""
    return prime_power(q) is not None


def legendre(a: int, p: int) -> int:
    """The Legendre symbol (a/p) ∈ {−1, 0, 1} for an odd prime p (Euler's criterion)."""
    value = pow(a % p, (p - 1) // 2, p)
    return -1 if value == p - 1 else value


def primitive_root(p: int) -> int:
    """The smallest generator of the multiplicative group of GF(p), p prime."""
    if p == 2:
        return 1
    order = p - 1
    cofactors = [order // f for f in prime_factors(order)]
    for g in range(2, p):
        if all(pow(g, c, p) != 1 for c in cofactors):
            return g
    raise ValueError(f"{p} is not prime")  # pragma: no cover


def is_sum_of_two_squares(n: int) -> bool:
    """True when n = x² + y² for integers x, y (every prime ≡ 3 mod 4 divides n to an even power)."""
    if n < 0:
        return False
    if n == 0:
        return True
    return all(e % 2 == 0 for p, e in factorint(n).items() if p % 4 == 3)
