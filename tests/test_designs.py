"""BIBD families: N·Nᵀ = (r−λ)I + λJ for every family over a range of parameters, checked by an
independent pair count, plus the BIBD gradient code against the Fano-plane error table (§7 fact 10)."""

from __future__ import annotations

import itertools
from collections import Counter
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcli import constructions as D
from gcli.errors import InputError
from gcli.io.json import dumps, loads
from gcli.structures import BlockDesign, check_bibd


def assert_bibd(design: BlockDesign, v: int, k: int, lam: int) -> None:
    """Independent of check_bibd: count every pair with a Counter."""
    assert (design.v, design.k, design.lam) == (v, k, lam)
    assert all(len(set(b)) == k and all(0 <= p < v for p in b) for b in design.blocks)
    pairs = Counter(pair for b in design.blocks for pair in itertools.combinations(sorted(b), 2))
    assert len(pairs) == v * (v - 1) // 2
    assert set(pairs.values()) == {lam}
    r = lam * (v - 1) // (k - 1)
    assert design.b * k == v * r


@pytest.mark.parametrize("q", [2, 3, 4, 5, 7, 8, 9])
def test_projective_planes(q):
    v = q * q + q + 1
    assert_bibd(D.projective_geometry_design(q, 2), v, q + 1, 1)
    assert_bibd(D.singer_difference_set(q, 2), v, q + 1, 1)


@pytest.mark.parametrize(("q", "d"), [(2, 3), (3, 3), (2, 4), (4, 3)])
def test_projective_spaces(q, d):
    v = (q ** (d + 1) - 1) // (q - 1)
    assert_bibd(D.projective_geometry_design(q, d, "lines"), v, q + 1, 1)
    k = (q**d - 1) // (q - 1)
    lam = (q ** (d - 1) - 1) // (q - 1)
    assert_bibd(D.projective_geometry_design(q, d, "hyperplanes"), v, k, lam)
    assert_bibd(D.singer_difference_set(q, d), v, k, lam)


@pytest.mark.parametrize(("q", "d"), [(2, 2), (3, 2), (4, 2), (5, 2), (7, 2), (2, 3), (3, 3), (2, 4), (4, 3)])
def test_affine_spaces(q, d):
    assert_bibd(D.affine_geometry_design(q, d, "lines"), q**d, q, 1)
    assert_bibd(D.affine_geometry_design(q, d, "hyperplanes"), q**d, q ** (d - 1),
        (q ** (d - 1) - 1) // (q - 1))


@pytest.mark.parametrize("v", [v for v in range(3, 64) if v % 6 in (1, 3)])
def test_steiner_triple_systems(v):
    design = D.steiner_triple_system(v)
    assert_bibd(design, v, 3, 1)
    assert design.name.startswith("Bose" if v % 6 == 3 else "Skolem")


@pytest.mark.parametrize("v", [0, 2, 5, 11, 17])
def test_steiner_triple_system_rejects_inadmissible(v):
    with pytest.raises(InputError):
        D.steiner_triple_system(v)


@pytest.mark.parametrize(("v", "k"), sorted(D.CYCLIC_DIFFERENCE_FAMILIES))
def test_difference_families(v, k):
    assert_bibd(D.cyclic_difference_family_design(v, k), v, k, 1)


@pytest.mark.parametrize(("v", "k"), sorted(D.GROUP_DIFFERENCE_FAMILIES))
def test_group_difference_families(v, k):
    assert_bibd(D.group_difference_family_design(v, k), v, k, 1)


@pytest.mark.parametrize(("v", "k"), sorted(D.ORBIT_FAMILIES))
def test_orbit_designs(v, k):
    assert_bibd(D.orbit_design(v, k), v, k, 1)


@pytest.mark.parametrize("q", [2, 3, 4])
def test_hermitian_unitals(q):
    assert_bibd(D.hermitian_unital(q), q**3 + 1, q + 1, 1)


@pytest.mark.parametrize("q", [7, 11, 19, 23, 27, 31, 43])
def test_paley_difference_sets(q):
    assert_bibd(D.paley_difference_set_design(q), q, (q - 1) // 2, (q - 3) // 4)


def test_quartic_residue_biplane():
    assert_bibd(D.biquadratic_residue_design(37), 37, 9, 2)
    with pytest.raises(InputError):
        D.biquadratic_residue_design(17)  # 17 = 4·2² + 1 with x even


@pytest.mark.parametrize("n", [8, 12, 16, 20, 24, 28, 36, 40, 44, 48])
def test_hadamard(n):
    h = D.hadamard_matrix(n)
    assert np.array_equal(h @ h.T, n * np.eye(n))
    assert_bibd(D.hadamard_design(n), n - 1, n // 2 - 1, n // 4 - 1)


def test_derived_residual_complement():
    plane = D.singer_difference_set(3, 2)  # (13, 4, 1)
    assert_bibd(D.residual_design(plane), 9, 3, 1)  # AG(2,3)
    assert_bibd(D.complementary_design(plane), 13, 9, 6)
    space = D.singer_difference_set(2, 3)  # (15, 7, 3)
    assert_bibd(D.derived_design(space), 7, 3, 2)
    assert_bibd(D.residual_design(space), 8, 4, 3)
    with pytest.raises(InputError):
        D.residual_design(D.steiner_triple_system(9))  # not symmetric


def test_check_bibd_detects_a_broken_design():
    design = D.steiner_triple_system(9)
    blocks = [list(b) for b in design.blocks]
    assert check_bibd(9, blocks, 3, 1) is None
    blocks[0][0], blocks[1][0] = blocks[1][0], blocks[0][0]
    assert check_bibd(9, blocks, 3, 1) is not None
    assert check_bibd(9, [(0, 1, 2)] * 12, 3, 1) is not None


def _pair_verdict(v: int, blocks, k: int, lam: int) -> bool:
    """Independent of check_bibd: k distinct points in 0..v−1 per block and every pair in exactly λ blocks."""
    if any(len(set(b)) != k or not all(0 <= p < v for p in b) for b in blocks):
        return False
    pairs = Counter(pair for b in blocks for pair in itertools.combinations(sorted(b), 2))
    return len(pairs) == v * (v - 1) // 2 and set(pairs.values()) == {lam}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([(7, 3, 1), (9, 3, 1), (13, 4, 1), (7, 3, 2), (16, 4, 1), (11, 5, 2)]),
       st.lists(st.tuples(st.booleans(), st.integers(0, 40), st.integers(0, 15), st.integers(0, 40),
                          st.integers(0, 15)), max_size=3))
def test_check_bibd_routes_agree_with_a_pair_count(params, edits):
    """check_bibd's verdict is a direct pair count's, on designs and on designs with points swapped or moved; its
    three routes (pairs counted in v² slots, sorted pair codes, one sparse N·Nᵀ) give the same answer and message."""
    from gcli.structures import designs as module

    v, k, lam = params
    blocks = [list(b) for b in D.bibd(v, k, lam).blocks]
    for swap, a, i, b, j in edits:  # a swap between blocks keeps every point's replication, a move does not
        a, i, b, j = a % len(blocks), i % k, b % len(blocks), j % k
        if swap:
            blocks[a][i], blocks[b][j] = blocks[b][j], blocks[a][i]
        else:
            blocks[a][i] = (b * k + j) % v
    verdict = check_bibd(v, blocks, k, lam)
    assert (verdict is None) == _pair_verdict(v, blocks, k, lam)
    ordered = np.sort(np.array(blocks), axis=1)
    if np.all(np.diff(ordered, axis=1) > 0):  # the routes take sorted rows of distinct points
        r = lam * (v - 1) // (k - 1)
        slots = module._BINCOUNT_SLOTS
        try:
            module._BINCOUNT_SLOTS = 0
            by_sorting = module._pair_count_problem(v, ordered, r, lam)
        finally:
            module._BINCOUNT_SLOTS = slots
        assert verdict == module._pair_count_problem(v, ordered, r, lam) == by_sorting
        assert verdict == module._sparse_problem(v, ordered, r, lam)


def test_dispatcher_builds_everything_it_claims_for_small_v():
    built = 0
    for v in range(4, 32):
        for k in range(3, v):
            for lam in (1, 2):
                name = D.bibd_construction(v, k, lam)
                if name is None:
                    continue
                design = D.bibd(v, k, lam)
                assert_bibd(design, v, k, lam)
                built += 1
    assert built >= 30


@pytest.mark.parametrize(("v", "k", "lam"), [(51, 6, 1), (8, 3, 1), (43, 7, 1), (16, 6, 1)])
def test_dispatcher_rejects(v, k, lam):
    with pytest.raises(InputError):
        D.bibd(v, k, lam)


# ---- the code --------------------------------------------------------------------------------------------
FANO = {1: (Fraction(3, 8), Fraction(1, 4)), 2: (Fraction(3, 7), Fraction(4, 7)), 3: (Fraction(1, 2),
    Fraction(1)),
        4: (Fraction(3, 5), Fraction(8, 5))}


@pytest.mark.parametrize("s", [1, 2, 3, 4])
def test_fano_error_table(s):
    """Literature §7 fact 10: least-squares coefficient and error for every straggler set of size s."""
    code = D.bibd_code(7, 3, 1, s=s)
    coefficient, error = FANO[s]
    assert Fraction(code.construction["coefficient"]) == coefficient
    assert Fraction(code.construction["error_for_every_F"]) == error
    b = np.asarray(code.encoding)
    assert set(np.unique(b)) == {0.0, float(coefficient)}
    for dead in itertools.combinations(range(7), s):
        alive = [i for i in range(7) if i not in dead]
        bf = b[alive]
        # plain summation is what the server does; it must equal the least-squares optimum
        summed = np.sum((bf.sum(axis=0) - 1) ** 2)
        x, *_ = np.linalg.lstsq(bf.T, np.ones(7), rcond=None)
        best = np.sum((bf.T @ x - 1) ** 2)
        assert summed == pytest.approx(float(error), abs=1e-12)
        assert best == pytest.approx(float(error), abs=1e-12)
        assert np.allclose(x, 1.0)


def test_bibd_code_json_and_determinism():
    code = D.bibd_code(13, 4, 1, s=2)
    text = dumps(code)
    assert text == dumps(D.bibd_code(13, 4, 1, s=2))
    again = loads(text)
    assert again.extras["design"]["kind"] == "bibd"
    assert {"v", "b", "r", "k", "lambda", "blocks"} <= set(again.extras["design"])
    assert again.exact is False and again.n == 13 and again.d == 4
    assert D.bibd_code(13, 4, 1, s=0).exact is True
    transposed = D.bibd_code(9, 3, 1, transpose=True)
    assert (transposed.n, transposed.k, transposed.d) == (9, 12, 4)


def test_pg_2_31_is_fast_and_correct():
    design = D.bibd(993, 32, 1)
    assert design.b == 993 and design.is_symmetric
    assert check_bibd(993, design.blocks, 32, 1) is None


@pytest.mark.parametrize(("q", "n"), [(3, 3)])
def test_singer_trace_in_plain_integers_matches_galois(q, n):
    """The prime-field Singer set (Newton's identities + the recurrence) against the trace computed in galois's
    GF(qⁿ) built on the same primitive polynomial: {i : Tr(α^i) = 0} must agree exactly."""
    import galois

    c = D.primitive_polynomial(q, n)
    big = galois.GF(q**n, irreducible_poly=galois.Poly([1, *c[::-1]], field=galois.GF(q)))
    alpha = big(q)  # x
    v = (q**n - 1) // (q - 1)
    powers = alpha ** np.arange(v)
    trace, term = powers.copy(), powers
    for _ in range(n - 1):
        term = term**q
        trace = trace + term
    base = tuple(np.flatnonzero(trace.view(np.ndarray) == 0).tolist())
    assert base in D.singer_difference_set(q, n - 1).blocks
