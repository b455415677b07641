"""The one-walk real certificate (:mod:`gcli.certification._real_kernels`) against the batched SVD reference.

* hypothesis: random small real codes (full rank, with repeated or combined rows, approximate) — the walk
  (``backend="auto"``) and the SVD route (``backend="numpy"``) give the same verdicts (failing sets, their number,
  the first one) and every per-set condition number, float64 decoding error and the worst residual within
  tolerances that fit backward-stable methods;
* ill-conditioned sets (κ beyond the walk's limit) are recomputed by the SVD: the same figures as the reference;
* one factorisation per set: on a well-conditioned approximate code the whole certificate never calls the batched
  SVD/QR report nor the separate approximation walk (spies).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcli.certification import engine
from gcli.certification.certificate import certify
from gcli.certification.options import CertifyOptions
from gcli.certification.stability import random_messages
from gcli.certification.verification import run_pass
from gcli.code import Code, assignment_from_support
from gcli.constructions import graph_code, reed_solomon
from gcli.fields import REAL


def _code(n: int, k: int, m: int, s: int, rows: np.ndarray) -> Code:
    assignment = assignment_from_support(rows, k, m)
    d = max(1, max(len(row) for row in assignment))
    return Code("random", REAL, n, k, s, m, 0, d, assignment, rows)


@pytest.fixture(autouse=True)
def _always_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small codes take the walk too (by default passes below WALK_THRESHOLD sets take the batched route)."""
    monkeypatch.setattr(engine, "WALK_THRESHOLD", 0)


def _both(code: Code, s: int) -> tuple[object, object, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    messages, truth = random_messages(code, 0)
    runs = [run_pass(code, CertifyOptions(stragglers=s, adversaries=0, all_failures=True, backend=backend,
                                          force=True), messages=messages, truth=truth, stride=1)
            for backend in ("auto", "numpy")]
    walk, ref = runs
    return (walk, ref, walk.samples("condition_samples"), ref.samples("condition_samples"),
            walk.samples("error_samples"), ref.samples("error_samples"))


@st.composite
def real_codes(draw: st.DrawFn) -> tuple[Code, int]:
    n = draw(st.integers(3, 8))
    m = draw(st.integers(1, 2))
    k = draw(st.integers(1, n))
    s = draw(st.integers(0, n - 1))
    seed = draw(st.integers(0, 2**16))
    kind = draw(st.sampled_from(["gaussian", "sparse", "repeated", "low-rank"]))
    rng = np.random.default_rng(seed)
    rows = rng.standard_normal((n, k * m))
    if kind == "sparse":
        rows *= rng.random((n, k * m)) < 0.5
    elif kind == "repeated":
        for i in range(1, n, 2):
            rows[i] = rows[i - 1] * draw(st.sampled_from([1.0, -2.0, 0.5]))
    elif kind == "low-rank":
        rank = draw(st.integers(1, max(1, min(n, k * m) - 1)))
        rows = rng.standard_normal((n, rank)) @ rng.standard_normal((rank, k * m))
    return _code(n, k, m, s, rows), s


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=real_codes())
def test_walk_matches_the_svd_route(case: tuple[Code, int]) -> None:
    code, s = case
    walk, ref, cond_w, cond_r, err_w, err_r = _both(code, s)
    assert walk.failures == ref.failures
    assert walk.first_failure == ref.first_failure
    assert walk.checked == ref.checked
    finite = np.isfinite(cond_r) & (cond_r < 1e6)
    assert np.array_equal(np.isfinite(cond_w), np.isfinite(cond_r))
    assert np.allclose(cond_w[finite], cond_r[finite], rtol=1e-7)
    # float64 decoding errors: equal to the round-off of backward-stable methods (ε·κ), relative to the error
    noise = 1e3 * np.finfo(float).eps * np.where(finite, cond_r, 1e6)
    assert np.all(np.abs(err_w - err_r) <= noise + 1e-9 * np.abs(err_r))
    res_w, _ = walk.extreme("max_residual", "max_residual_index")
    res_r, _ = ref.extreme("max_residual", "max_residual_index")
    assert math.isclose(res_w, res_r, rel_tol=1e-9, abs_tol=1e-10)


def test_ill_conditioned_sets_take_the_svd_route() -> None:
    code = reed_solomon(14, 3, field="real")  # κ up to ~1e5: beyond the walk's limit on many sets
    walk, ref, cond_w, cond_r, err_w, err_r = _both(code, code.s)
    assert cond_r.max() > engine.kappa_limit(code.n - code.s, code.k * code.m)
    assert walk.failures == ref.failures == 0
    assert np.allclose(cond_w, cond_r, rtol=1e-7)
    assert np.all(np.abs(err_w - err_r) <= 1e3 * np.finfo(float).eps * cond_r)


def test_one_factorisation_per_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """The certificate of a well-conditioned approximate code runs one walk per unit: no batched SVD/QR report, no
    second (approximation) walk."""
    import gcli.fields.linalg as linalg

    calls = {"report": 0, "approx": 0}
    report, approx = linalg.batched_real_report, engine._approx_unit

    def spy_report(*args: object, **kwargs: object) -> object:
        calls["report"] += 1
        return report(*args, **kwargs)  # type: ignore[arg-type]

    def spy_approx(*args: object, **kwargs: object) -> object:
        calls["approx"] += 1
        return approx(*args, **kwargs)  # type: ignore[arg-type]

    from gcli.certification.approximation import approx_spec, prepare

    code = graph_code("petersen", n=10, s=4)
    options = CertifyOptions(stragglers=4, adversaries=0, all_failures=True, force=True)
    messages, truth = random_messages(code, 0)
    _, decoders, p, _ = prepare(code, "optimal", None, 4)  # (finding the unbiased decoder runs its own pass)
    spec, _ = approx_spec(code, decoders, code.n - 4, p, 1e-8)
    monkeypatch.setattr(linalg, "batched_real_report", spy_report)
    monkeypatch.setattr(engine, "_approx_unit", spy_approx)
    run = run_pass(code, options, messages=messages, truth=truth, stride=1, approx=spec)
    assert calls == {"report": 0, "approx": 0}
    assert run.checked == 210 and all(r.approx is not None for r in run.results)
    assert run.failures == 210  # no set of 6 responders of the Petersen code decodes exactly
    cert = certify(code, decoder="optimal")
    assert cert.stability is not None and cert.stability.worst_condition_number < 10


@st.composite
def wide_codes(draw: st.DrawFn) -> tuple[Code, int]:
    """Codes with at least twice as many columns as rows (k·m ≥ 2n): the walk runs in row-space coordinates."""
    n = draw(st.integers(3, 8))
    m = draw(st.integers(2, 3))
    k = draw(st.integers(-(-2 * n // m), 2 * n))
    s = draw(st.integers(0, n - 1))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    kind = draw(st.sampled_from(["gaussian", "sparse", "repeated", "low-rank"]))
    rows = rng.standard_normal((n, k * m))
    if kind == "sparse":
        rows *= rng.random((n, k * m)) < 0.3
    elif kind == "repeated":
        rows[1::2] = rows[0:-1:2][: rows[1::2].shape[0]] * 2.0
    elif kind == "low-rank":
        rows = rng.standard_normal((n, n - 1)) @ rng.standard_normal((n - 1, k * m))
    return _code(n, k, m, s, rows), s


def _walk_figures(code: Code, s: int, ratio: float) -> dict[str, object]:
    """Every figure of one walk pass (messages, medians, the approximation tallies with the residual sum) with
    the row-space coordinates on (ratio 2) or off."""
    from gcli.certification.approximation import _decoders, approx_spec

    spec, _ = approx_spec(code, _decoders(code, 1e-8), code.n - s, 0.2, 1e-8, residual_sum=True)
    messages, truth = random_messages(code, 0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "ROW_SPACE_RATIO", ratio)
        patch.setattr(engine, "_ROW_SPACE", [])
        run = run_pass(code, CertifyOptions(stragglers=s, adversaries=0, all_failures=True, force=True),
                       messages=messages, truth=truth, stride=1, approx=spec)
    tallies = [r.approx for r in run.results]
    return {"run": run, "cond": run.samples("condition_samples"), "err": run.samples("error_samples"),
            "opt": np.array([t.optimal for t in tallies]), "dec": np.array([t.decoders for t in tallies]),
            "rsum": sum(t.residual_sum for t in tallies), "inexact": [t.inexact for t in tallies],
            "first": [t.first_inexact for t in tallies]}


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=wide_codes())
def test_row_space_walk_equals_the_walk_on_b(case: tuple[Code, int]) -> None:
    """A wide code (k·m ≥ 2n) walked in the coordinates of its row space gives the figures of the walk on B itself
    (verdicts, first failure, κ, float64 errors to round-off, the approximation tallies of every decoder: sums,
    sums of squares, worst errors and their sets, the residual sum) and of the SVD route."""
    code, s = case
    fast, slow = _walk_figures(code, s, 2), _walk_figures(code, s, math.inf)
    run_f, run_s = fast["run"], slow["run"]
    assert (run_f.failures, run_f.first_failure, run_f.checked) == (run_s.failures, run_s.first_failure,
                                                                    run_s.checked)
    assert fast["inexact"] == slow["inexact"] and fast["first"] == slow["first"]
    cond_f, cond_s = fast["cond"], slow["cond"]
    finite = np.isfinite(cond_s) & (cond_s < 1e6)
    assert np.array_equal(np.isfinite(cond_f), np.isfinite(cond_s))
    assert np.allclose(cond_f[finite], cond_s[finite], rtol=1e-7)
    noise = 1e3 * np.finfo(float).eps * np.where(finite, cond_s, 1e6)
    assert np.all(np.abs(fast["err"] - slow["err"]) <= noise + 1e-9 * np.abs(slow["err"]))
    scale = float(np.sum(np.asarray(code.target) ** 2))
    for key in ("opt", "dec"):
        got, want = fast[key], slow[key]
        assert np.allclose(got[..., :3], want[..., :3], rtol=1e-7, atol=1e-9 * scale * max(1, run_s.checked)), key
        assert np.array_equal(got[..., 3] >= 0, want[..., 3] >= 0)
    assert np.allclose(fast["rsum"], slow["rsum"], rtol=1e-7, atol=1e-9 * max(1, run_s.checked))
    res_f, _ = run_f.extreme("max_residual", "max_residual_index")
    res_s, _ = run_s.extreme("max_residual", "max_residual_index")
    assert math.isclose(res_f, res_s, rel_tol=1e-7, abs_tol=1e-10)
    _, ref, _, cond_r, _, _ = _both(code, s)  # and the batched SVD route on B
    assert run_f.failures == ref.failures and run_f.first_failure == ref.first_failure
    assert np.allclose(cond_f[finite], cond_r[finite], rtol=1e-7)


def test_row_space_walk_is_taken_and_rsum_is_in_bs_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk of a wide code calls the kernel with n columns (spy), and the residual sum it returns has B's."""
    from gcli.certification import _real_kernels

    rng = np.random.default_rng(5)
    code = _code(6, 8, 2, 2, rng.standard_normal((6, 16)))
    widths: list[int] = []
    real = _real_kernels.real_walk
    monkeypatch.setattr(_real_kernels, "real_walk", lambda b, *a: widths.append(b.shape[1]) or real(b, *a))
    figures = _walk_figures(code, 2, 2)
    assert widths and set(widths) == {6}
    assert figures["rsum"].shape == (2, 16)
