"""The polynomial-structure claims of real codes (``construction.points`` / ``construction.dimension``) are checked
in a well-conditioned form (:func:`gcli.decoding.polynomial.real_polynomial_misfit`): every real reed-solomon and
universal code gcli designs passes at every n it designs (a monomial least-squares fit rejected
``gcli design reed-solomon -n 40 -s 2``), while one entry changed by a relative 1e-6, two rows swapped, the other
family of points or a smaller dimension fail."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gcli.certification.claims import code_claims
from gcli.cli import cli as app
from gcli.code import Code
from gcli.constructions import reed_solomon, universal
from gcli.errors import ImpossibleParameters

KEYS = ("construction.points", "construction.dimension")


def _structure_ok(code: Code) -> bool:
    """The verdict of verify's structure claims on ``code`` (both must be present and agree)."""
    checks = [c for c in code_claims(code, None, None, None, None, exhaustive=False, decodable=True,
                                     stragglers=code.s, adversaries=code.a) if c.field in KEYS]
    assert {c.field for c in checks} == set(KEYS)
    return all(c.ok for c in checks)


def _with(code: Code, **changes: Any) -> Code:
    return dataclasses.replace(code, **changes)


def _design(scheme: str, n: int, s: int, m: int, a: int) -> Code:
    if scheme == "reed-solomon":
        return reed_solomon(n, s, m=m, a=a)
    r = s + 2 * a + m  # a cyclic placement with r holders per partition: m = r − s − 2a
    return universal([[(w + t) % n for t in range(r)] for w in range(n)], s, a=a)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scheme=st.sampled_from(["reed-solomon", "universal"]),
       n=st.one_of(st.integers(30, 60), st.integers(8, 100)),
       shape=st.sampled_from([(1, 1, 0), (2, 1, 0), (1, 2, 0), (0, 1, 1), (0, 2, 0)]),
       data=st.data())
def test_designed_real_polynomial_codes_pass_and_tampered_ones_fail(scheme: str, n: int, shape: tuple[int, int, int],
                                                                    data: st.DataObject) -> None:
    s, m, a = shape
    try:
        code = _design(scheme, n, s, m, a)
    except ImpossibleParameters:  # design refuses it (too ill-conditioned to certify): nothing written to verify
        event("refused by design")
        return
    event(f"designed, n {'30-60' if 30 <= n <= 60 else 'other'}")
    assert _structure_ok(code)
    enc = np.asarray(code.encoding, dtype=np.float64)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))
    j = int(rng.integers(enc.shape[1]))
    w = int(np.argmax(np.abs(enc[:, j])))
    moved = enc.copy()
    moved[w, j] *= 1 + 1e-6  # one entry, the column's largest, by a relative 1e-6
    assert not _structure_ok(code.with_encoding(moved))
    v = int(rng.integers(code.n - 1))
    v += v >= w
    swapped = enc.copy()
    swapped[[w, v]] = swapped[[v, w]]
    rows = [list(r) for r in code.assignment]
    rows[w], rows[v] = rows[v], rows[w]  # workers w and v trade rows (and the partitions they hold)
    assert not _structure_ok(_with(code, encoding=swapped, assignment=rows))
    assert not _structure_ok(_with(code, construction={**code.construction, "points": "equispaced"}))
    if code.construction["dimension"] > code.m:
        assert not _structure_ok(_with(code, construction={**code.construction,
                                                           "dimension": code.construction["dimension"] - 1}))


@pytest.mark.parametrize("n", [20, 30, 38])
def test_equispaced_designs_pass_and_relabelled_chebyshev_fails(n: int) -> None:
    code = reed_solomon(n, 2, points="equispaced")
    assert _structure_ok(code)
    assert not _structure_ok(_with(code, construction={**code.construction, "points": "chebyshev"}))


@pytest.mark.parametrize("n", [40, 60, 100])
def test_chebyshev_relabelled_equispaced_fails_where_equispaced_points_cannot_resolve(n: int) -> None:
    code = reed_solomon(n, 1)
    assert _structure_ok(code)
    assert not _structure_ok(_with(code, construction={**code.construction, "points": "equispaced"}))


def test_reed_solomon_n40_s2_file_verifies(tmp_path: Path) -> None:
    # the reported case: DECODABLE, but the claims construction.points / dimension were rejected
    path = tmp_path / "r.json"
    runner = CliRunner()
    assert runner.invoke(app, ["design", "reed-solomon", "-n", "40", "-s", "2", "-o", str(path)]).exit_code == 0
    result = runner.invoke(app, ["verify", str(path)])
    assert result.exit_code == 0, result.output
    assert "disagrees" not in result.output
