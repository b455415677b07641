"""The GF(p) quotient walk (:func:`gcli.certification._kernels.quotient_range`) against plain Python elimination.

Independent reference: F decodes iff rank [B_F; T] = rank B_F, each rank by textbook Gauss–Jordan elimination mod p
on Python integers (no numpy, no numba, no galois). Random small codes include rank-deficient sets (repeated, zero
and scaled rows, B of low rank), targets outside the row space of B, several target rows (m > 1), every unit
boundary (a unit may start and end anywhere in the lexicographic order, also inside a subtree the walk counts at
once), and both stopping modes; through :func:`gcli.verify` the first failing set must still be named
(``backend="compiled"``: ``auto`` checks codes this small by numpy elimination).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oracles import rank_mod_p

from gcli.certification import _kernels
from gcli.certification.engine import _binomials, rank_combination, unrank_combination
from gcli.certification.verification import verify
from gcli.code import Code, assignment_from_support
from gcli.fields import as_field

PRIMES = [2, 3, 5, 7, 13, 65537, 2_147_483_647]


def _decodes(b: list[list[int]], t: list[list[int]], rows: tuple[int, ...], p: int) -> bool:
    block = [b[i] for i in rows]
    return rank_mod_p(block + t, p) == rank_mod_p(block, p)


@st.composite
def _cases(draw: st.DrawFn) -> tuple[int, np.ndarray, np.ndarray, int]:
    p = draw(st.sampled_from(PRIMES))
    n = draw(st.integers(1, 8))
    k = draw(st.integers(1, 6))
    m = draw(st.integers(1, 2))
    r = draw(st.integers(1, n))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    shape = draw(st.sampled_from(["dense", "sparse", "low-rank", "repeated"]))
    b = rng.integers(0, p, size=(n, k))
    if shape == "sparse":
        b[rng.random((n, k)) < 0.6] = 0
    elif shape == "low-rank":
        inner = int(rng.integers(1, k + 1))
        b = (rng.integers(0, p, size=(n, inner)) @ rng.integers(0, p, size=(inner, k)) % p) if p < 2**20 else b
    elif shape == "repeated" and n > 1:
        b[rng.integers(n)] = b[0] * int(rng.integers(0, p)) % p
        b[rng.integers(n)] = 0
    target = rng.integers(0, 2, size=(m, k)) if draw(st.booleans()) else rng.integers(0, p, size=(m, k))
    return p, np.ascontiguousarray(b, dtype=np.int64), np.ascontiguousarray(target, dtype=np.int64), r


@settings(max_examples=150)
@given(case=_cases(), where=st.floats(0, 1), length=st.floats(0, 1), stop=st.booleans())
def test_quotient_walk_equals_python_elimination(
    case: tuple[int, np.ndarray, np.ndarray, int], where: float, length: float, stop: bool
) -> None:
    p, b, target, r = case
    n = b.shape[0]
    total = math.comb(n, r)
    lo = min(total - 1, int(where * total))
    count = max(1, int(length * (total - lo)))
    rows, t = b.tolist(), target.tolist()
    verdicts = [_decodes(rows, t, f, p) for f in itertools.islice(itertools.combinations(range(n), r), lo, lo + count)]
    fails = [i for i, ok in enumerate(verdicts) if not ok]
    start = np.asarray(unrank_combination(lo, n, r), dtype=np.int64)
    matrix = _kernels.quotient_start(p, b, target)
    assert matrix.shape[0] <= b.shape[1]
    assert rank_mod_p(matrix.tolist(), p) == matrix.shape[0]  # zero rows dropped, the rest independent
    got = tuple(int(v) for v in _kernels.quotient_range(
        p, matrix, n, target.shape[0], start, count, stop, _binomials(n, r)))
    if stop and fails:
        assert got == (fails[0] + 1, fails[0], 1)
    else:
        assert got == (count, fails[0] if fails else -1, len(fails))


def _code(field: str, enc: np.ndarray, s: int) -> Code:
    fld = as_field(field)
    n, k = enc.shape
    encoding = fld(enc % fld.order)
    assignment = assignment_from_support(encoding, k, 1)
    d = max(1, max(len(row) for row in assignment))
    return Code("random", fld, n, k, s, 1, 0, d, assignment, encoding)


@settings(max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), field=st.sampled_from(["GF(5)", "GF(13)", "GF(65537)"]),
       unit=st.integers(1, 40))
def test_verify_names_the_first_failing_set(seed: int, field: str, unit: int) -> None:
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(4, 9)), int(rng.integers(2, 6))
    s = int(rng.integers(0, n - 1))
    p = as_field(field).order
    enc = rng.integers(0, p, size=(n, k))
    enc[rng.random((n, k)) < 0.4] = 0
    enc[:, 0] = np.where(enc[:, 0] == 0, 1, enc[:, 0])  # every worker holds something
    code = _code(field, enc, s)
    rows, t = [[int(v) for v in row] for row in enc % p], [[1] * k]
    failing = [f for f in itertools.combinations(range(n), n - s) if not _decodes(rows, t, f, p)]
    for all_failures in (False, True):
        report = verify(code, force=True, all_failures=all_failures, unit_size=unit, backend="compiled")
        assert report.decodable == (not failing)
        if failing:
            assert report.failing_set == list(failing[0])
            assert report.failures_found == (len(failing) if all_failures else 1)
            expected = math.comb(n, n - s) if all_failures else rank_combination(failing[0], n) + 1
            assert report.patterns_checked == expected


def test_tasks_too_large_for_the_quotient_walk_take_the_row_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    from gcli.certification import engine

    rng = np.random.default_rng(7)
    enc = rng.integers(1, 13, size=(9, 5))
    enc[4] = enc[2]  # sets holding workers 2 and 4 lose a dimension
    bad = _code("GF(13)", enc, 5)
    walked = [verify(bad, force=True, all_failures=True, backend="compiled").to_json()]
    calls: list[int] = []
    row_walk = _kernels.check_range

    def spy(*args: object) -> object:
        calls.append(1)
        return row_walk(*args)

    monkeypatch.setattr(engine, "QUOTIENT_ENTRIES", 0)
    monkeypatch.setattr(_kernels, "check_range", spy)
    walked.append(verify(bad, force=True, all_failures=True, backend="compiled").to_json())
    assert calls
    reference = verify(bad, force=True, all_failures=True, backend="numpy").to_json()
    for report in (*walked, reference):
        report.pop("seconds")
    assert walked[0] == walked[1] == reference
    assert 0 < reference["failures_found"] < reference["patterns_checked"]
