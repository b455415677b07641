"""Stability report and comparison table (Gautschi's Vandermonde growth as expectations, not hard-coded constants)."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from click.testing import CliRunner

import gcli
from gcli.certification.stability import compare_rows, condition_numbers, format_table, subset_condition_numbers
from gcli.cli import cli
from gcli.constructions import mds, reed_solomon


def test_fact8_vandermonde_subsets():
    """Worst κ₂ over all 13-subsets of 15 nodes: ≈ 9.81e4 (Chebyshev) and ≈ 1.689e6 (x_t = −1 + 2t/15)."""
    cheb = np.cos((2 * np.arange(15) + 1) * np.pi / 30)
    equi = -1 + 2 * np.arange(1, 16) / 15
    worst_cheb = subset_condition_numbers(np.vander(cheb, 13, increasing=True), 13)[0].max()
    worst_equi = subset_condition_numbers(np.vander(equi, 13, increasing=True), 13)[0].max()
    assert worst_cheb == pytest.approx(9.81e4, rel=0.02)
    assert worst_equi == pytest.approx(1.689e6, rel=0.02)
    # our Chebyshev points are exactly these nodes
    ours = gcli.constructions.evaluation_points(gcli.REAL, 15, "chebyshev")
    assert np.allclose(np.sort(ours), np.sort(cheb))


def test_fact8_growth_and_gaussian_contrast():
    """Equispaced Vandermonde κ grows exponentially (≈ 4.6e3, 2.7e8, 1.8e13 at n = 10, 20, 30); Gaussian
    n × n matrices have median κ of tens."""
    conds = [condition_numbers(np.vander(np.linspace(-1, 1, n), increasing=True)[None])[0]
             for n in (10, 20, 30)]
    assert conds[0] == pytest.approx(4.6e3, rel=0.1)
    assert conds[1] == pytest.approx(2.7e8, rel=0.1)
    assert conds[2] == pytest.approx(1.8e13, rel=0.3)
    rng = np.random.default_rng(8)
    for n, expected in ((10, 30), (20, 70)):
        median = float(np.median(condition_numbers(rng.standard_normal((200, n, n)))))
        assert expected / 2 < median < expected * 2


def test_report_agrees_with_verify_and_with_direct_decoding():
    code = reed_solomon(8, 2, m=2)
    report = gcli.stability_report(code, seed=3)
    check = gcli.verify(code)
    assert report.exhaustive and report.patterns_checked == 28
    assert report.worst_condition_number == pytest.approx(check.worst_condition_number, rel=1e-6)
    # independent recomputation of the decoding errors, one pattern at a time with gcli.decode
    rng = np.random.default_rng(3)
    grads = rng.standard_normal((8, report.gradient_length))
    sent = code.encode(grads)
    truth = grads.sum(axis=0)
    errors, conds = [], []
    for surv in itertools.combinations(range(8), 6):
        rows = list(surv)
        estimate = gcli.decode(code, rows, sent[rows], method="generic")  # least squares, as the report
        errors.append(np.linalg.norm(estimate - truth) / np.linalg.norm(truth))
        conds.append(np.linalg.cond(code.encoding[rows]))
    # both are float64 rounding noise here (κ·ε ≈ 1e-13): agree at that level
    assert report.worst_relative_error == pytest.approx(max(errors), rel=1e-3, abs=1e-12)
    assert report.median_condition_number == pytest.approx(float(np.median(conds)), rel=1e-6)
    assert report.worst_relative_error < 1e-10


def test_decoding_errors_match_per_pattern_pseudoinverse():
    """Where the error is not rounding noise (a perturbed code), the one-pass QR/SVD decoding and a per-pattern
    numpy pinv decoder (an independent computation) give the same relative errors, set by set."""
    code = reed_solomon(7, 2)
    enc = np.asarray(code.encoding).copy()
    enc[3, 3] += 1e-4  # worker 3 holds partitions 3, 4, 5
    perturbed = code.with_encoding(enc)
    report = gcli.stability_report(perturbed, seed=2)
    rng = np.random.default_rng(2)
    grads = rng.standard_normal((7, report.gradient_length))
    sent = enc @ grads
    truth = grads.sum(axis=0)
    errors = []
    for surv in itertools.combinations(range(7), 5):
        rows = list(surv)
        estimate = np.ones((1, 7)) @ np.linalg.pinv(enc[rows]) @ sent[rows]
        errors.append(np.linalg.norm(estimate[0] - truth) / np.linalg.norm(truth))
    assert max(errors) > 1e-6
    assert report.worst_relative_error == pytest.approx(max(errors), rel=1e-6)
    assert report.median_relative_error == pytest.approx(float(np.median(errors)), rel=1e-6)


def test_broken_code_has_large_error():
    """Negative control: a code that cannot decode shows it in the error figure."""
    code = reed_solomon(6, 1, m=2)
    enc = np.asarray(code.encoding).copy()
    enc[0] = 0.0
    broken = code.with_encoding(enc)
    report = gcli.stability_report(broken)
    assert report.worst_relative_error > 1e-3


@pytest.mark.parametrize("n", [12, 16])
def test_chebyshev_equispaced_gaussian_ordering(n):
    """Expectations (not constants): equispaced worse than Chebyshev, Gaussian MDS far better than both."""
    cheb = gcli.stability_report(reed_solomon(n, 2, m=2, points="chebyshev"))
    equi = gcli.stability_report(reed_solomon(n, 2, m=2, points="equispaced"))
    gauss = gcli.stability_report(mds(n, d=4, m=2, code="gaussian", seed=1))
    assert equi.worst_condition_number > cheb.worst_condition_number
    assert gauss.worst_condition_number * 10 < cheb.worst_condition_number
    assert gauss.median_condition_number < cheb.median_condition_number


def test_polynomial_conditioning_grows_with_n():
    worst = [gcli.stability_report(reed_solomon(n, 2, m=2)).worst_condition_number for n in (6, 10, 14)]
    assert worst[0] < worst[1] < worst[2]
    assert worst[2] / worst[0] > 100  # exponential growth


def test_sampling_seed_and_budget():
    code = reed_solomon(14, 4, m=2)
    one = gcli.stability_report(code, sample=12, seed=5)
    two = gcli.stability_report(code, sample=12, seed=5)
    other = gcli.stability_report(code, sample=12, seed=6)
    assert one == two and not one.exhaustive and one.sample_seed == 5 and one.patterns_checked == 12
    assert other.worst_relative_error != one.worst_relative_error
    with pytest.raises(gcli.InputError, match="budget"):
        gcli.stability_report(code, budget=10)
    with pytest.raises(gcli.InputError, match="real codes"):
        gcli.stability_report(reed_solomon(6, 1, field="GF(7)"))
    with pytest.raises(gcli.InputError):
        gcli.stability_report(code, gradient_length=3)


def test_compare_table_rows():
    codes = [("a", reed_solomon(8, 2, m=2)), ("b", mds(8, d=4, m=2)),
             ("c", reed_solomon(8, 2, m=2, field="GF(11)"))]
    rows = compare_rows(codes)
    assert [r["points"] for r in rows] == ["chebyshev", "fourier, groups", "field elements"]
    assert rows[2]["worst_condition_number"] is None
    table = format_table(rows).splitlines()
    assert len(table) == 4 and table[0].split()[:3] == ["file", "scheme", "field"]
    assert "exact" in table[3]


def test_cli_verify_json_and_compare(tmp_path):
    runner = CliRunner()
    paths = {}
    for name, args in {
        "cheb": ["reed-solomon", "-n", "10", "-s", "2", "-m", "2"],
        "equi": ["reed-solomon", "-n", "10", "-s", "2", "-m", "2", "--nodes", "equispaced"],
        "gauss": ["mds", "-n", "10", "-d", "5", "-m", "2"],
        "gf": ["reed-solomon", "-n", "10", "-s", "2", "-m", "2", "--field", "GF(11)"],
    }.items():
        paths[name] = str(tmp_path / f"{name}.json")
        assert runner.invoke(cli, ["design", *args, "-o", paths[name]]).exit_code == 0
    real = json.loads(runner.invoke(cli, ["verify", "--json", paths["cheb"]]).output)
    for key in ("worst_condition_number", "median_condition_number", "worst_relative_error",
                "worst_relative_error_set"):
        assert key in real["stability"]
    assert real["stability"]["median_condition_number"] <= real["stability"]["worst_condition_number"]
    finite = json.loads(runner.invoke(cli, ["verify", "--json", paths["gf"]]).output)
    assert finite["stability"] is None and set(finite) == set(real)
    table = runner.invoke(cli, ["compare", *paths.values()])
    assert table.exit_code == 0 and len(table.output.strip().splitlines()) == 5
    again = runner.invoke(cli, ["compare", *paths.values()])
    assert again.output == table.output
    as_json = json.loads(runner.invoke(cli, ["compare", "--json", paths["cheb"], paths["gauss"]]).output)
    assert as_json[1]["worst_condition_number"] < as_json[0]["worst_condition_number"]
    missing = runner.invoke(cli, ["compare", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and missing.output.count("\n") == 1
