"""gcli.fields.numbertheory against sympy (an independent implementation)."""

import math

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from gcli.fields import numbertheory as nt


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-5, max_value=10**12))
def test_is_prime_matches_sympy(n):
    assert nt.is_prime(n) == bool(sympy.isprime(n))


@pytest.mark.parametrize("n", [2**61 - 1, 2**89 - 1, 10**18 + 9, 3_317_044_064_679_887_385_961_981 - 2])
def test_is_prime_large(n):
    assert nt.is_prime(n) == bool(sympy.isprime(n))


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=10**15))
def test_factorint_matches_sympy(n):
    assert nt.factorint(n) == {int(p): int(e) for p, e in sympy.factorint(n).items()}


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-3, max_value=10**6))
def test_prime_power_matches_sympy(q):
    expected = None
    if q >= 2:
        f = sympy.factorint(q)
        if len(f) == 1:
            ((p, e),) = f.items()
            expected = (int(p), int(e))
    assert nt.prime_power(q) == expected
    assert nt.is_prime_power(q) == (expected is not None)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**40), st.integers(min_value=1, max_value=12))
def test_integer_root(n, e):
    r = nt.integer_root(n, e)
    assert r**e <= n < (r + 1) ** e


def test_integer_log_and_square():
    assert nt.integer_log(3**7, 3) == 7
    assert nt.integer_log(1, 5) == 0
    assert nt.integer_log(12, 2) is None
    assert nt.is_square(144) and not nt.is_square(145) and not nt.is_square(-4)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([p for p in range(3, 2000) if sympy.isprime(p)]), st.integers(-10**6, 10**6))
def test_legendre_matches_sympy(p, a):
    expected = 0 if a % p == 0 else sympy.legendre_symbol(a % p, p)
    assert nt.legendre(a, p) == expected


@pytest.mark.parametrize("p", [2, 3, 5, 7, 31, 997, 65537, 2**31 - 1])
def test_primitive_root_is_smallest_generator(p):
    assert nt.primitive_root(p) == sympy.primitive_root(p)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=20000))
def test_sum_of_two_squares_by_search(n):
    found = any(math.isqrt(n - x * x) ** 2 == n - x * x for x in range(math.isqrt(n) + 1))
    assert nt.is_sum_of_two_squares(n) == found
