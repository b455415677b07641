"""gcli's BCH codes (gcli.fields.cyclotomic, constructions.linear_codes.bch_generator_matrix) without galois' JIT:
held to galois.BCH and to an independent count of the minimum distance."""

from __future__ import annotations

import functools
import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcli.constructions.linear_codes import bch_generator_matrix, linear_code_generator
from gcli.errors import ImpossibleParameters
from gcli.fields import as_field
from gcli.fields._gfpoly import is_primitive, matlab_primitive_polynomial, primitive_polynomial
from gcli.fields.cyclotomic import (
    bch_dimensions,
    bch_generator_polynomial,
    cyclotomic_coset,
    minimal_polynomial,
    poly_mul,
)


@functools.cache
def _galois_extension(p: int, e: int) -> Any:  # a galois FieldArray class
    """The extension field galois.BCH builds by default (GF(p^e) on matlab_primitive_poly, α = x), in galois'
    python-calculate mode: the same arithmetic without numba compiling (seconds per field in a fresh process)."""
    import galois

    return galois.GF(p**e, irreducible_poly=galois.matlab_primitive_poly(p, e), compile="python-calculate")


def _galois_bch(n: int, k: int, e: int) -> Any:  # galois.BCH or None
    import galois

    try:
        return galois.BCH(n, k, extension_field=_galois_extension(2, e))
    except ValueError:
        return None


def test_matlab_primitive_polynomial_is_galois() -> None:
    import galois

    for e in range(2, 17):  # the binary degrees gcli builds BCH codes on (lengths up to 65535)
        assert matlab_primitive_polynomial(2, e) == int(galois.matlab_primitive_poly(2, e)), e


@pytest.mark.parametrize(("p", "e"), [(2, e) for e in range(1, 17)] + [(3, e) for e in range(1, 6)] + [(5, 3)])
def test_matlab_primitive_polynomial_is_primitive(p: int, e: int) -> None:
    """Independent of galois: primitive, and the smallest one outside MATLAB's three exceptions."""
    poly = matlab_primitive_polynomial(p, e)
    assert is_primitive(poly, p, e)
    assert (poly == primitive_polynomial(p, e)) == ((p, e) not in {(2, 7), (2, 14), (2, 16)})


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 6).flatmap(lambda e: st.tuples(st.just(e), st.integers(1, 2**e - 1))))
def test_bch_generator_matrix_is_galois(case: tuple[int, int]) -> None:
    e, k = case
    n = 2**e - 1
    ref = _galois_bch(n, k, e)
    if ref is None:  # no BCH code of this dimension: gcli refuses it too, in one line
        with pytest.raises(ImpossibleParameters, match=f"no binary BCH code of length {n} and dimension {k}"):
            bch_generator_matrix(n, k)
        return
    assert bch_generator_matrix(n, k).tolist() == ref.G.view(np.ndarray).tolist()
    delta, g = bch_dimensions(2, n)[k]
    assert g == [int(c) for c in ref.generator_poly.coeffs[::-1]]
    assert delta == ref.d  # galois' designed distance: the largest giving this dimension


@pytest.mark.parametrize(("p", "n"), [(2, 7), (2, 15), (2, 21), (3, 8), (3, 13)])
def test_minimal_polynomials_vanish_and_cover_x_n_minus_1(p: int, n: int) -> None:
    """Independent of galois: the minimal polynomials of the cosets are monic over GF(p), pairwise distinct, and
    their product is x^n − 1 (every n-th root of unity is a root of exactly one)."""
    product, seen, polys = [1], set(), []
    for s in range(n):
        if s in seen:
            continue
        coset = cyclotomic_coset(s, p, n)
        seen.update(coset)
        m = minimal_polynomial(p, n, s)
        assert len(m) == len(coset) + 1 and m[-1] == 1 and all(0 <= c < p for c in m)
        polys.append(m)
        product = poly_mul(product, m, p)
    assert len({tuple(m) for m in polys}) == len(polys)
    assert product == [p - 1] + [0] * (n - 1) + [1]  # x^n − 1


def _poly_mod(a: list[int], g: list[int]) -> list[int]:
    """a mod g over GF(2), lowest degree first."""
    a = list(a)
    for top in range(len(a) - 1, len(g) - 2, -1):
        if a[top]:
            for i, c in enumerate(g):
                a[top - len(g) + 1 + i] ^= c
    return a[: len(g) - 1]


@pytest.mark.parametrize(("n", "delta"), [(7, 3), (15, 3), (15, 5), (15, 7), (31, 7), (31, 11)])
def test_bch_codewords_are_multiples_with_the_designed_distance(n: int, delta: int) -> None:
    """Every codeword of gcli's matrix is a multiple of g (positions read as galois does, c_i the coefficient of
    x^(n−1−i)) and has weight ≥ δ, by enumerating all 2^k codewords; so does the shortened code gcli builds."""
    g = bch_generator_polynomial(2, n, delta)
    k = n - (len(g) - 1)
    gen = bch_generator_matrix(n, k)
    messages = np.array(list(itertools.product([0, 1], repeat=k)), dtype=np.int64)
    words = messages @ gen % 2
    weights = words[1:].sum(axis=1)
    assert weights.min() >= delta
    for word in words[:: max(1, len(words) // 64)]:
        assert not any(_poly_mod(word[::-1].tolist(), g))
    if k > 1:  # shortened by one: a sub-code of the same distance, the generator `--code bch` uses for d = n − 1
        field = as_field("GF(2)")
        short = linear_code_generator("bch", field, n - 1, k - 1).view(np.ndarray)
        assert short.tolist() == gen[1:, 1:].tolist()


def test_bch_refuses_odd_characteristic() -> None:
    from gcli.errors import NotSupported

    with pytest.raises(NotSupported):
        linear_code_generator("bch", as_field("GF(3)"), 7, 4)


# ---------------------------------------------------------------------------------------------------------
# field_matmul: galois-class products through gcli's tables (Code.encode, decoding), held to scalar arithmetic


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(["GF(2^8)", "GF(3^2)", "GF(7)", "GF(2^31-1)", "GF(4611686018427387847)"]),
       st.integers(1, 4), st.integers(0, 5), st.integers(1, 4), st.integers(0, 2**32))
def test_field_matmul_is_the_sum_of_products(name: str, rows: int, inner: int, cols: int, seed: int) -> None:
    from gcli.fields import _gfpoly
    from gcli.fields.arithmetic import field_matmul

    field = as_field(name.replace("2^31-1", str(2**31 - 1)))
    p, e, poly = int(field.characteristic), int(field.degree), int(field.irreducible_poly)
    rng = np.random.default_rng(seed)
    hi = min(field.order, 2**62)
    a = [[int(rng.integers(max(0, hi - 3), hi)) if seed % 2 else int(rng.integers(0, hi)) for _ in range(inner)]
         for _ in range(rows)]  # odd seeds: the largest elements (int64 overflow in a careless product)
    b = [[int(rng.integers(max(0, hi - 3), hi)) if seed % 2 else int(rng.integers(0, hi)) for _ in range(cols)]
         for _ in range(inner)]

    def mul(x: int, y: int) -> int:
        return x * y % p if e == 1 else _gfpoly.mul(x, y, p, e, poly)

    def add(x: int, y: int) -> int:
        if e == 1:
            return (x + y) % p
        return _gfpoly.value([(u + v) % p for u, v in zip(_gfpoly.digits(x, p, e), _gfpoly.digits(y, p, e),
                                                         strict=True)], p)

    expected = [[functools.reduce(add, (mul(a[i][t], b[t][j]) for t in range(inner)), 0) for j in range(cols)]
                for i in range(rows)]
    got = field_matmul(field, field(np.array(a, dtype=np.int64).reshape(rows, inner)),
                       field(np.array(b, dtype=np.int64).reshape(inner, cols)))
    assert isinstance(got, field)
    assert np.asarray(got.view(np.ndarray)).tolist() == expected


def test_table_matmul_does_not_overflow_near_two_to_the_31() -> None:
    """(p − 1)² ≈ 2^62 for p = 2^31 − 1: four such products overflow int64 if summed before reducing."""
    from gcli.fields.arithmetic import FieldArithmetic

    p = 2**31 - 1
    ops = FieldArithmetic(p, 1)
    a = np.full((1, 4), p - 1, dtype=np.int64)
    assert ops.matmul(a, a.T).tolist() == [[4 * (p - 1) ** 2 % p]]


@functools.cache
def _calculate_field(order: int) -> Any:
    """gcli's GF(order) (its polynomial) in galois' python-calculate mode: galois' own algorithms, no numba."""
    import galois

    field = as_field(f"GF({order})")
    if field.degree == 1:
        return field  # gcli's prime fields are galois' python-calculate classes already
    return galois.GF(order, irreducible_poly=field.irreducible_poly, compile="python-calculate")


@settings(max_examples=30, deadline=None)
@given(st.sampled_from([7, 2**8, 3**2, 2]), st.integers(1, 5), st.integers(1, 6), st.integers(0, 2**32),
       st.booleans())
def test_row_reduce_is_galois(order: int, rows: int, cols: int, seed: int, sparse: bool) -> None:
    from gcli.fields.linalg import row_reduce

    field = as_field(f"GF({order})")
    rng = np.random.default_rng(seed)
    m = rng.integers(0, order, size=(rows, cols))
    if sparse:  # rank-deficient and zero columns
        m[:, rng.integers(0, cols)] = 0
        m[rows // 2:] = m[: rows - rows // 2] if rows > 1 else m[rows // 2:]
    ncols = int(rng.integers(1, cols + 1))
    ref = _calculate_field(order)(m).row_reduce(ncols=ncols)
    got = row_reduce(field, field(m), ncols=ncols)
    assert isinstance(got, field)
    assert got.view(np.ndarray).tolist() == ref.view(np.ndarray).tolist()
