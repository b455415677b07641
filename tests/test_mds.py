"""Gradient codes from linear codes (Kadhe–Koyluoglu–Ramchandran ISIT 2020)."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import gcli
from gcli.bounds import min_computation_load
from gcli.cli import cli
from gcli.constructions import mds, mds_decoder, minimum_distance
from gcli.constructions.linear_codes import linear_code_generator
from gcli.fields import as_field


def _tight(code):
    """verify passes at the code's s and fails with one more straggler (so the reported s is exact)."""
    report = gcli.verify(code)
    assert report.decodable and report.exhaustive
    if code.s + 1 + 2 * code.a < code.n:
        assert not gcli.verify(code, stragglers=code.s + 1).decodable


def test_fact6_gaussian_3x6():
    code = mds(6, d=6, m=3, seed=0)
    assert code.s == 3 and code.construction["linear_code"]["mds"]
    gen = np.asarray(code.construction["generator"])
    minors = [np.linalg.det(gen[:, list(c)]) for c in itertools.combinations(range(6), 3)]
    assert len(minors) == 20 and min(abs(x) for x in minors) > 1e-6
    assert min_computation_load(6, code.s, m=3).min_load == code.d  # optimal
    _tight(code)


@pytest.mark.parametrize(
    ("n", "d", "m", "a", "field", "family"),
    [
        (6, 3, 2, 0, "real", "gaussian"),
        (12, 6, 3, 0, "real", "gaussian"),
        (8, 4, 1, 1, "real", "gaussian"),
        (6, 6, 3, 0, "GF(7)", "reed-solomon"),
        (10, 5, 2, 0, "GF(2^4)", "reed-solomon"),
        (8, 8, 3, 1, "GF(2^8)", "reed-solomon"),
        (9, 9, 4, 1, "GF(11)", "reed-solomon"),
    ],
)
def test_mds_families_optimal(n, d, m, a, field, family):
    code = mds(n, d=d, m=m, a=a, field=field, code=family)
    assert code.construction["linear_code"]["minimum_distance"] == d - m + 1
    assert code.s == d - m - 2 * a
    assert min_computation_load(n, code.s, m=m, a=a).min_load == code.d
    _tight(code)


def test_bch_hamming_is_not_mds_and_reports_s():
    code = mds(7, d=7, m=4, field="GF(2)", code="bch")
    lc = code.construction["linear_code"]
    assert lc["minimum_distance"] == 3 and not lc["mds"] and code.s == 2
    assert min_computation_load(7, code.s, m=4).min_load < code.d  # not optimal: d > s + m
    _tight(code)


def test_bch_15_7_over_gf256():
    code = mds(15, d=15, m=7, field="GF(2^8)", code="bch")
    assert code.construction["linear_code"]["minimum_distance"] == 5 and code.s == 4


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_random_gf_reports_achieved_s(seed):
    code = mds(6, d=6, m=3, field="GF(3)", code="random", seed=seed)
    lc = code.construction["linear_code"]
    assert code.s == lc["minimum_distance"] - 1
    _tight(code)


@given(
    q=st.sampled_from([2, 3, 4, 5, 7]),
    d=st.integers(2, 7),
    data=st.data(),
)
def test_minimum_distance_two_methods_agree(q, d, data):
    """Codeword enumeration and the column-rank criterion are independent computations of δ."""
    field = as_field(f"GF({q})")
    m = data.draw(st.integers(1, min(d, 3)))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    gen = field(rng.integers(0, q, size=(m, d)))
    if int(np.linalg.matrix_rank(gen)) < m:
        with pytest.raises(gcli.InputError):
            minimum_distance(field, gen)
        return
    delta = minimum_distance(field, gen, method="enumerate")
    assert delta == minimum_distance(field, gen, method="subsets")
    assert 1 <= delta <= d - m + 1  # Singleton


def test_user_generator_non_mds(tmp_path):
    gen = [[1, 1, 0, 0], [0, 0, 1, 1]]  # a [4, 2, 2] code: s = 1, where an MDS code would give 2
    path = tmp_path / "g.json"
    path.write_text(json.dumps(gen))
    code = mds(8, generator=str(path))
    assert (code.d, code.m, code.s) == (4, 2, 1)
    assert code.construction["linear_code"]["family"] == "user"
    _tight(code)
    npy = tmp_path / "g.npy"
    np.save(npy, np.array(gen, dtype=np.int64))
    again = mds(8, generator=str(npy), field="GF(5)")
    assert again.s == 1 and again.field_name == "GF(5)"
    _tight(again)


def test_claimed_s_cannot_exceed_achieved():
    with pytest.raises(gcli.InputError, match="at most s"):
        mds(6, 3, d=6, m=4)
    assert mds(6, 1, d=6, m=4).s == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n": 7, "d": 3, "m": 2, "placement": "groups"},
        {"n": 6, "d": 3, "m": 4},
        {"n": 6, "d": 6, "m": 2, "field": "GF(7)", "code": "gaussian"},
        {"n": 6, "d": 6, "m": 2, "code": "reed-solomon"},
        {"n": 8, "d": 8, "m": 2, "field": "GF(7)", "code": "reed-solomon"},
        {"n": 6, "d": 6, "m": 2, "field": "GF(7)", "code": "bch"},
        {"n": 6, "d": 6, "m": 2, "a": 3},
        {"n": 6, "d": 3, "m": 2, "k": 5, "placement": "groups"},
        {"n": 6, "d": 3, "m": 2, "field": "GF(7)", "code": "bch", "placement": "cyclic"},
        {"n": 6, "d": 3, "m": 2, "generator": [[1, 0, 1], [0, 1, 1]], "placement": "cyclic"},
    ],
)
def test_bad_parameters(kwargs):
    with pytest.raises(gcli.InputError):
        mds(**kwargs)


def test_rank_deficient_generator_rejected():
    with pytest.raises(gcli.InputError, match="dependent"):
        mds(4, generator=[[1, 2, 3, 4], [2, 4, 6, 8]])


@pytest.mark.parametrize(("field", "family"), [("real", "gaussian"), ("GF(2^4)", "reed-solomon"),
                                               ("GF(5)", "random")])
def test_group_decoder(field, family):
    code = mds(10, d=5, m=2, field=field, code=family, seed=4)
    rng = np.random.default_rng(0)
    if code.is_real:
        grads = rng.standard_normal((10, 6))
    else:
        grads = code.field(rng.integers(0, code.field.order, size=(10, 6)))
    sent = code.encode(grads)
    for surv in itertools.combinations(range(10), code.n - code.s):
        decoder = mds_decoder(code, surv)
        product = decoder @ code.encoding[list(surv)]
        estimate = (decoder @ sent[list(surv)]).reshape(-1)
        if code.is_real:
            assert np.abs(product - code.target).max() < 1e-9
            assert np.allclose(estimate, grads.sum(axis=0), atol=1e-9)
        else:
            assert np.array_equal(product, code.target)
            assert np.array_equal(estimate, grads.sum(axis=0))
    too_few = list(range(code.d - code.m + 1, code.n))  # group 0 keeps fewer than m workers
    with pytest.raises(gcli.InputError):
        mds_decoder(code, too_few)


@pytest.mark.parametrize(("field", "family"), [("real", "gaussian"), ("GF(2^8)", "reed-solomon"),
                                               ("GF(2)", "bch"), ("GF(7)", "random")])
def test_json_round_trip(field, family):
    d, m = (7, 4) if family == "bch" else (4, 2)
    code = mds(d * 2, d=d, m=m, field=field, code=family, seed=9)
    text = gcli.dumps(code)
    again = gcli.loads(text)
    assert again == code and gcli.dumps(again) == text
    gen = np.asarray(again.construction["generator"])
    assert gen.shape == (m, d)


def test_cli_seed_determinism_and_errors(tmp_path):
    runner = CliRunner()
    args = ["design", "mds", "-n", "12", "--load", "6", "-m", "3", "--code", "gaussian", "--seed", "5"]
    one = runner.invoke(cli, args)
    two = runner.invoke(cli, args)
    assert one.exit_code == 0 and one.output == two.output
    other = runner.invoke(cli, [*args[:-1], "6"])
    assert other.output != one.output
    path = tmp_path / "c.json"
    path.write_text(one.output)
    ok = runner.invoke(cli, ["verify", str(path)])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(cli, ["design", "mds", "-n", "6", "-d", "6", "-m", "4", "-s", "3"])
    assert bad.exit_code == 2 and bad.output.count("\n") == 1 and "at most s" in bad.output
    missing = runner.invoke(cli, ["design", "mds", "--generator", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "no such generator file" in missing.output


def test_generators_are_seeded():
    field = as_field("real")
    assert np.array_equal(linear_code_generator("gaussian", field, 5, 2, 3),
                          linear_code_generator("gaussian", field, 5, 2, 3))


def test_reed_solomon_generator_matches_galois():
    """For d = q − 1 our evaluation code is galois' narrow-sense Reed–Solomon code (galois lists codeword
    positions highest degree first, hence the reversal)."""
    import galois

    field = as_field("GF(7)")
    ours = linear_code_generator("reed-solomon", field, 6, 3)
    theirs = field(galois.ReedSolomon(6, 3, field=field).G.view(np.ndarray))
    assert int(np.linalg.matrix_rank(ours)) == 3
    assert int(np.linalg.matrix_rank(np.concatenate([ours, theirs[:, ::-1]]).view(field))) == 3


@settings(max_examples=15)
@given(q=st.sampled_from([2, 3, 5]), d=st.integers(2, 5), groups=st.integers(1, 2), data=st.data())
def test_property_any_generator_reports_tight_s(q, d, groups, data):
    """Any full-rank generator over GF(q): the code verifies at the reported s = δ − 1 and not at s + 1."""
    field = as_field(f"GF({q})")
    m = data.draw(st.integers(1, d))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    gen = rng.integers(0, q, size=(m, d))
    if int(np.linalg.matrix_rank(field(gen))) < m:
        return
    code = mds(d * groups, generator=gen.tolist(), field=field)
    delta = minimum_distance(field, field(gen), method="enumerate")
    assert code.s == delta - 1
    if code.s + 1 < code.n:
        _tight(code)
    else:
        assert gcli.verify(code).decodable


def test_cli_user_generator(tmp_path):
    gen = tmp_path / "hamming.json"
    gen.write_text(json.dumps([[1, 0, 0, 0, 1, 1, 0], [0, 1, 0, 0, 1, 0, 1], [0, 0, 1, 0, 0, 1, 1],
                               [0, 0, 0, 1, 1, 1, 1]]))
    runner = CliRunner()
    out = tmp_path / "code.json"
    result = runner.invoke(cli, ["design", "mds", "-n", "7", "--generator", str(gen), "--field", "GF(2)",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    code = gcli.load_code(out)
    assert (code.d, code.m, code.s) == (7, 4, 2)
    assert code.construction["linear_code"] == {"family": "user", "length": 7, "dimension": 4,
                                                "minimum_distance": 3, "mds": False, "achieved_s": 2}


@pytest.mark.parametrize(("n", "d", "m", "a"), [(5, 3, 1, 0), (7, 4, 2, 0), (9, 6, 2, 1), (10, 7, 3, 1),
                                                 (11, 5, 5, 0), (6, 6, 2, 2)])
def test_cyclic_gaussian_any_n(n, d, m, a):
    code = mds(n, d=d, m=m, a=a, placement="cyclic", seed=n)
    assert code.s == d - m - 2 * a
    assert min_computation_load(n, code.s, m=m, a=a).min_load == code.d
    assert all(row == tuple(sorted((w + t) % n for t in range(d))) for w, row in enumerate(code.assignment))
    _tight(code)
    rng = np.random.default_rng(n)
    grads = rng.standard_normal((n, 2 * m))
    sent = code.encode(grads)
    for surv in itertools.combinations(range(n), code.responders):
        decoder = mds_decoder(code, surv)
        assert np.allclose((decoder @ sent[list(surv)]).reshape(-1), grads.sum(axis=0), atol=1e-8)
    assert gcli.loads(gcli.dumps(code)) == code


def test_cyclic_gaussian_better_conditioned_than_vandermonde():
    """Kadhe et al.'s point: Gaussian instead of Vandermonde decoding systems (same n, s, m, d, placement)."""
    from gcli.constructions import reed_solomon

    for n in (12, 16):
        gauss = gcli.stability_report(mds(n, d=4, m=2, placement="cyclic", seed=0))
        cheb = gcli.stability_report(reed_solomon(n, 2, m=2))
        assert gauss.median_condition_number * 10 < cheb.median_condition_number
        assert gauss.worst_condition_number < cheb.worst_condition_number


def test_cyclic_rejects_other_families():
    with pytest.raises(gcli.InputError, match="cyclic"):
        mds(7, d=7, m=4, field="GF(2)", code="bch", placement="cyclic")
    with pytest.raises(gcli.InputError, match="at most s"):
        mds(7, 3, d=4, m=2, placement="cyclic")
