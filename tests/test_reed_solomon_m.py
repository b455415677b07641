"""Ye–Abbe / Halbawi polynomial gradient codes with m ≥ 1 and a ≥ 0 (Ye & Abbe, ICML 2018; Halbawi et al., ISIT
2018)."""

from __future__ import annotations

import itertools

import galois
import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import gcli
from gcli.bounds import min_computation_load
from gcli.cli import cli
from gcli.constructions import reed_solomon
from gcli.constructions.polynomial_codes import ye_abbe_encoding
from gcli.decoding.polynomial import code_points, polynomial_decoder

GRID = [  # (n, s, m, a)
    (4, 1, 2, 0),
    (5, 1, 1, 1),
    (6, 2, 2, 0),
    (7, 0, 3, 1),
    (8, 2, 2, 0),
    (8, 1, 2, 1),
    (9, 2, 3, 1),
    (10, 3, 4, 0),
]
FIELDS = ["GF(13)", "GF(2^8)", "real"]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize(("n", "s", "m", "a"), GRID)
def test_grid_exhaustively_decodable_and_optimal(n, s, m, a, field):
    code = reed_solomon(n, s, m=m, a=a, field=field)
    assert code.d == s + 2 * a + m
    assert min_computation_load(n, s, m=m, a=a).min_load == code.d  # optimal: the bound holds with equality
    report = gcli.verify(code)
    assert report.decodable and report.exhaustive
    assert report.patterns_checked == report.patterns_total
    if code.is_real:
        assert report.max_residual < 1e-9
    # one more straggler than designed must break it (negative control: the check can fail)
    worse = gcli.verify(code, stragglers=s + 1)
    assert not worse.decodable


def test_fact1_bound_values():
    assert reed_solomon(8, 2, m=2).d == min_computation_load(8, 2, m=2).min_load == 4
    assert min_computation_load(10, 2, k=20, m=3).min_load == 10


FACT4_THETA = np.array([1, 1.5, 2, 2.5, -1, -1.5, -2, -2.5])


def test_fact4_third_party_points():
    """n = 8, d = 4, s = 2, m = 2, third-party points: zeros, e_u invariant, decoding, conditioning."""
    n, d, m = 8, 4, 2
    enc = ye_abbe_encoding(gcli.REAL, FACT4_THETA, d, m)
    # p_i^(u) vanishes at θ_{i+1..i+4}
    for i, u in itertools.product(range(n), range(m)):
        for t in range(1, n - d + 1):
            assert abs(enc[(i + t) % n, i * m + u]) < 1e-9
    # coefficients at degrees n−d..n−d+m−1 form e_u: interpolate each column (independent Vandermonde solve)
    vander = np.vander(FACT4_THETA, n, increasing=True)
    coeffs = np.linalg.solve(vander, enc)  # (n, n·m): column = coefficients of p_i^(u)
    for i, u in itertools.product(range(n), range(m)):
        col = coeffs[:, i * m + u]
        assert np.allclose(col[n - d : n - d + m], np.eye(m)[u], atol=1e-9)
        assert np.allclose(col[n - d + u + 1 :], 0, atol=1e-9)  # degree n−d+u
    # all 28 survivor sets recover Σg with ℓ = 6
    rng = np.random.default_rng(4)
    grads = rng.standard_normal((n, 6))
    blocks = grads.reshape(n * m, 3)
    sent = enc @ blocks
    worst_err, worst_cond = 0.0, 0.0
    for surv in itertools.combinations(range(n), n - 2):
        rows = list(surv)
        v = vander[rows][:, : n - 2]
        worst_cond = max(worst_cond, np.linalg.cond(v))
        sol = np.linalg.solve(v, sent[rows])
        estimate = sol[n - d : n - d + m].reshape(-1)
        worst_err = max(worst_err, np.abs(estimate - grads.sum(axis=0)).max())
    assert worst_err < 1e-9
    assert 1.5e3 < worst_cond < 3e3  # ≈ 2.1e3 for these points


def test_fact5_halbawi_m1_gf():
    """m = 1, n = 7, s = 2 over GF(11): every 5-subset reads Σg from the x^{n−s−1} coefficient."""
    code = reed_solomon(7, 2, m=1, field="GF(11)")
    field = code.field
    rng = np.random.default_rng(5)
    grads = field(rng.integers(0, 11, size=(7, 4)))
    sent = code.encode(grads)
    theta = code_points(code)
    for surv in itertools.combinations(range(7), 5):
        rows = list(surv)
        vander = field(np.stack([np.asarray(theta[rows] ** t) for t in range(5)], axis=1))
        coeffs = np.linalg.solve(vander, sent[rows])
        assert np.array_equal(coeffs[4], grads.sum(axis=0))


@pytest.mark.parametrize("field", ["GF(11)", "GF(2^4)", "real"])
def test_structured_decoder_matches_target(field):
    code = reed_solomon(9, 2, m=3, a=1, field=field)
    for surv in itertools.combinations(range(9), code.responders + 1):
        decoder = polynomial_decoder(code, surv)
        product = decoder @ code.encoding[list(surv)]
        if code.is_real:
            assert np.abs(product - code.target).max() < 1e-9
        else:
            assert np.array_equal(product, code.target)


@given(
    p=st.sampled_from([11, 13, 17]),
    n=st.integers(3, 10),
    data=st.data(),
)
def test_property_gf_end_to_end(p, n, data):
    """Random feasible (n, s, m, a) over GF(p): the structured decoder recovers Σg from random survivors."""
    a = data.draw(st.integers(0, (n - 1) // 2))
    m = data.draw(st.integers(1, n - 2 * a))
    s = data.draw(st.integers(0, n - 2 * a - m))
    code = reed_solomon(n, s, m=m, a=a, field=f"GF({p})")
    field = code.field
    ell = m * data.draw(st.integers(1, 3))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    grads = field(rng.integers(0, p, size=(n, ell)))
    surv = sorted(rng.choice(n, size=code.responders, replace=False).tolist())
    sent = code.encode(grads)[surv]
    decoder = polynomial_decoder(code, surv)
    assert np.array_equal((decoder @ sent).reshape(-1), grads.sum(axis=0))
    assert np.array_equal(gcli.decode(code, surv, sent), grads.sum(axis=0))


@pytest.mark.parametrize("field", ["GF(13)", "GF(2^8)", "real"])
def test_json_round_trip(field):
    code = reed_solomon(8, 1, m=3, a=1, field=field)
    text = gcli.dumps(code)
    again = gcli.loads(text)
    assert again == code
    assert gcli.dumps(again) == text


def test_cli_design_and_verify(tmp_path):
    runner = CliRunner()
    out = tmp_path / "rs.json"
    args = ["design", "reed-solomon", "-n", "8", "-s", "2", "-m", "2", "--field", "GF(2^8)", "-o", str(out)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["verify", str(out)])
    assert result.exit_code == 0 and "DECODABLE" in result.output
    bad = runner.invoke(cli, ["design", "reed-solomon", "-n", "4", "-s", "2", "-m", "3"])
    assert bad.exit_code == 2
    assert "exceeds n" in bad.output and bad.output.count("\n") == 1


def test_gf_points_need_large_field():
    with pytest.raises(gcli.InputError):
        reed_solomon(8, 2, m=2, field="GF(7)")


def test_galois_types():
    code = reed_solomon(6, 1, m=2, field="GF(2^8)")
    assert isinstance(code.encoding, galois.FieldArray)
