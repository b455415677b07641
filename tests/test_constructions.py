"""Every construction × field × a grid of (n, s): certified by verify and cross-checked end to end."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from oracles import first_failing_set

from gcli import Code, InputError, decode, verify
from gcli.bounds import min_computation_load
from gcli.constructions import SCHEMES, cyclic_repetition, fractional_repetition, reed_solomon

FIELDS = ["real", "GF(13)", "GF(2^4)", "GF(3^2)", "GF(65537)"]
GRID = [(4, 1), (5, 2), (6, 1), (6, 2), (7, 3), (8, 2), (9, 2), (10, 4)]


def _build(scheme: str, n: int, s: int, field: str) -> Code | None:
    if scheme == "frc" and n % (s + 1):
        return None
    return SCHEMES[scheme](n=n, s=s, field=field)


def _random_gradients(code: Code, rng: np.random.Generator, length: int) -> np.ndarray:
    if code.is_real:
        return rng.standard_normal((code.k, length))
    return code.field.Random((code.k, length), seed=int(rng.integers(2**31)))


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("scheme", ["frc", "crc", "reed-solomon"])
def test_certified_and_decodes_every_surviving_set(scheme: str, field: str) -> None:
    rng = np.random.default_rng(7)
    built = 0
    for n, s in GRID:
        try:
            code = _build(scheme, n, s, field)
        except InputError:
            continue  # e.g. q < n for the polynomial codes
        if code is None:
            continue
        built += 1
        report = verify(code)
        assert report.decodable and report.exhaustive
        assert report.patterns_checked == report.patterns_total == len(list(itertools.combinations(range(n), n - s)))
        assert code.d == min_computation_load(n, s).min_load  # optimal: meets the bound with equality
        # independent end-to-end check: encode random gradients, decode from every surviving set
        length = 3 * code.m
        grads = _random_gradients(code, rng, length)
        messages = code.encode(grads)
        truth = grads.sum(axis=0)
        for subset in itertools.combinations(range(n), n - s):
            got = decode(code, subset, messages[list(subset)])
            if code.is_real:
                np.testing.assert_allclose(got, truth, rtol=1e-7, atol=1e-7 * np.abs(grads).sum())
            else:
                assert np.array_equal(got, truth)
    assert built > 0


@pytest.mark.parametrize("field", ["real", "GF(11)", "GF(2^3)"])
def test_verify_agrees_with_per_pattern_oracle(field: str) -> None:
    for n, s in [(5, 2), (6, 2), (7, 3)]:
        code = cyclic_repetition(n, s, field=field, seed=3)
        assert first_failing_set(code) is None
        assert verify(code).failing_set is None


@given(
    scheme=st.sampled_from(["frc", "crc", "reed-solomon"]),
    field=st.sampled_from(["real", "GF(7)", "GF(2^3)"]),
    data=st.data(),
)
def test_corruption_is_caught_with_the_first_failing_set(scheme: str, field: str, data: st.DataObject) -> None:
    n, s = data.draw(st.sampled_from([(6, 1), (6, 2), (7, 2)] if scheme != "frc" else [(6, 1), (6, 2)]))
    code = SCHEMES[scheme](n=n, s=s, field=field)
    enc = np.array(code.encoding.view(np.ndarray), copy=True)
    i = data.draw(st.integers(0, n - 1))
    support = np.flatnonzero(enc[i])
    j = int(data.draw(st.sampled_from(support.tolist())))
    enc[i, j] = 0  # zero one coefficient: the assignment still holds
    corrupted = code.with_encoding(enc)
    expected = first_failing_set(corrupted)
    report = verify(corrupted)
    assert report.failing_set == expected
    assert report.decodable is (expected is None)
    if expected is not None:
        assert report.exhaustive
        ordered = list(itertools.combinations(range(n), n - s))
        assert report.patterns_checked == ordered.index(tuple(expected)) + 1


def test_frc_fixed_matrix_and_failure_example() -> None:
    # Tandon et al., ICML 2017, FRC: n = 6, s = 2: B = I_2 ⊗ 1_{3×3}, decodable from all 15 surviving sets
    code = fractional_repetition(6, 2)
    assert np.array_equal(code.encoding, np.kron(np.eye(2), np.ones((3, 3))))
    assert verify(code).patterns_checked == 15
    enc = np.array(code.encoding)
    enc[:, 0] = 0  # partition 0 is never encoded: every surviving set fails
    report = verify(code.with_encoding(enc))
    assert not report.decodable and report.failing_set == [0, 1, 2, 3] and report.patterns_checked == 1


def test_frc_rejects_indivisible() -> None:
    with pytest.raises(InputError, match="divide"):
        fractional_repetition(7, 2)


def test_crc_real_support_and_tandon_fact() -> None:
    # Tandon et al., ICML 2017, CRC: row weight exactly s+1, residual < 1e-8 for (5,2), (7,3), (10,4)
    for n, s in [(5, 2), (7, 3), (10, 4)]:
        code = cyclic_repetition(n, s, seed=0)
        assert all(np.count_nonzero(row) == s + 1 for row in code.encoding)
        report = verify(code)
        assert report.decodable and report.max_residual < 1e-8


def test_crc_gf_points_and_certification() -> None:
    cyclic = cyclic_repetition(6, 2, field="GF(7)")  # 6 | 7 - 1: roots of unity
    assert cyclic.construction["points"] == "cyclic" and cyclic.construction["checked"]["exhaustive"]
    omega = cyclic.field.primitive_element ** 1  # (7 − 1)/6 = 1
    assert cyclic.construction["evaluation_points"] == [int(omega**i) for i in range(6)]
    # issue 11: crc over GF(q) works whenever reed-solomon does for the same (n, s), e.g. GF(9), n = 9, s = 3
    distinct = cyclic_repetition(9, 3, field="GF(3^2)")
    assert distinct.construction["points"] == "distinct" and verify(distinct).decodable
    assert distinct.assignment == reed_solomon(9, 3, field="GF(3^2)").assignment
    with pytest.raises(InputError):
        cyclic_repetition(8, 2, field="GF(7)")  # fewer field elements than workers


def test_reed_solomon_fact_5_and_chebyshev_beats_equispaced() -> None:
    code = reed_solomon(7, 2)
    assert verify(code).decodable
    cheb = verify(reed_solomon(15, 2, points="chebyshev")).worst_condition_number
    equi = verify(reed_solomon(15, 2, points="equispaced")).worst_condition_number
    assert cheb < equi


def test_reed_solomon_polynomials_vanish_at_non_holders() -> None:
    code = reed_solomon(8, 2, m=2, field="GF(17)")
    enc = code.encoding.view(np.ndarray).reshape(8, 8, 2)
    for w, row in enumerate(code.assignment):
        for j in range(code.k):
            if j in row:
                assert enc[w, j, 0] != 0  # p_j^(1) is non-zero at every holder
            else:
                assert not enc[w, j].any()  # every p_j^(u) vanishes at the non-holders


def test_same_seed_same_code_different_seed_differs() -> None:
    assert cyclic_repetition(8, 3, seed=11) == cyclic_repetition(8, 3, seed=11)
    assert cyclic_repetition(8, 3, seed=11) != cyclic_repetition(8, 3, seed=12)
