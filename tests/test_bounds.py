"""The trade-off bound: exact values, and against exhaustive truth on tiny instances."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from gcli import InputError
from gcli.bounds import min_computation_load


def test_literature_fact_1() -> None:
    # n = k = 8, s = 2, m = 2 ⇒ d = 4; n = 10, k = 20, s = 2, m = 3 ⇒ d ≥ 10
    assert min_computation_load(8, 2, m=2).min_load == 4
    assert min_computation_load(10, 2, k=20, m=3).min_load == 10
    assert min_computation_load(6, 2).min_load == 3  # Tandon, fact 2


@given(n=st.integers(1, 40), s=st.integers(0, 10), m=st.integers(1, 5), a=st.integers(0, 4),
       k=st.integers(1, 60))
def test_exact_rational_and_ceiling(n: int, s: int, m: int, a: int, k: int) -> None:
    if s + 2 * a + m > n:
        with pytest.raises(InputError, match="infeasible"):
            min_computation_load(n, s, k=k, m=m, a=a)
        return
    bound = min_computation_load(n, s, k=k, m=m, a=a)
    assert bound.min_load_fraction == sympy.Rational(s + 2 * a + m, n)
    assert isinstance(bound.min_load_fraction, sympy.Rational)
    assert bound.min_load * n >= k * (s + 2 * a + m) > (bound.min_load - 1) * n


@pytest.mark.parametrize("args", [dict(n=0, s=0), dict(n=5, s=-1), dict(n=5, s=1, m=0), dict(n=5, s=1, a=-1),
                                  dict(n=5, s=1, k=0)])
def test_bad_parameters(args: dict) -> None:
    with pytest.raises(InputError):
        min_computation_load(**args)


def _some_placement_tolerates(n: int, k: int, d: int, s: int) -> bool:
    """Exhaustive truth for m = 1 (support argument): is there a placement with load ≤ d in which every
    partition survives every s stragglers (i.e. is held by ≥ s+1 workers)?  Necessary for exact recovery,
    and sufficient over a large field (a random code on that support works)."""
    subsets = list(itertools.combinations(range(k), d))
    for rows in itertools.product(subsets, repeat=n):
        counts = np.zeros(k, dtype=int)
        for row in rows:
            counts[list(row)] += 1
        if counts.min() >= s + 1:
            return True
    return False


@pytest.mark.parametrize(("n", "k", "s"), [(3, 3, 1), (4, 2, 1), (3, 4, 1), (4, 4, 2), (3, 2, 2)])
def test_bound_is_tight_against_exhaustive_placements(n: int, k: int, s: int) -> None:
    d = min_computation_load(n, s, k=k).min_load
    assert _some_placement_tolerates(n, k, d, s)
    if d > 1:
        assert not _some_placement_tolerates(n, k, d - 1, s)
