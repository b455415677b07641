"""Hierarchical bounds: hand-checked values, the closed forms, and exhaustive truth on tiny instances."""

from __future__ import annotations

import doctest
import importlib
import itertools
from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from gcli import InputError
from gcli.bounds import hierarchical_bound, hierarchical_bound_for_load, hierarchical_tradeoff
from gcli.bounds.hierarchical import (
    flat_reduction,
    min_integer_load,
    min_load_fraction,
    pareto_front,
    parse_fraction,
    worst_fault_weight,
)


def test_literature_item_9() -> None:
    # ℓ = 1200, r_1 = 4, s_r = 1, a_r = 0 ⇒ m_1 = 3; r_2 = 7, s_w = 1, a_w = 1 ⇒ m_2 = 4; K = 5, N = 10 ⇒ 0.56
    b = hierarchical_bound(5, 10, s_r=1, s_w=1, a_w=1, m_1=3, m_2=4)
    assert (b.r_1, b.r_2) == (4, (7,) * 5)
    assert b.C1 == sympy.Rational(1, 3) and b.C2 == (sympy.Rational(1, 12),) * 5
    assert 1200 * b.relay_load == 400 and 1200 * b.worker_loads[0] == 100
    assert b.min_load_fraction == sympy.Rational(14, 25) and float(b.load_fraction) == 0.56
    assert isinstance(b.C1, sympy.Rational) and isinstance(b.min_load_fraction, sympy.Rational)
    out = b.to_json()
    assert out["C1"] == "1/3" and out["C2"] == ["1/12"] * 5 and out["min_load_fraction"] == "14/25"
    assert set(out["alternatives"]) == {"forward", "flat"}


def test_tang_et_al_computation_only() -> None:
    # Tang et al., arXiv:2406.10831 [Tang2024]: s_e = s_w = 1, Σ m_i = 12 ⇒ D/K ≥ 1/3
    assert hierarchical_bound(3, 4, s_r=1, s_w=1).load_fraction == Fraction(1, 3)
    assert hierarchical_bound(2, 6, s_r=1, s_w=1).load_fraction == Fraction(1, 3)


@given(k=st.integers(1, 12), n=st.integers(1, 12), s_r=st.integers(0, 11), s_w=st.integers(0, 11))
def test_computation_only_closed_form(k: int, n: int, s_r: int, s_w: int) -> None:
    if s_r + 1 > k or s_w + 1 > n:
        with pytest.raises(InputError, match="infeasible"):
            hierarchical_bound(k, n, s_r=s_r, s_w=s_w)
        return
    b = hierarchical_bound(k, n, s_r=s_r, s_w=s_w)  # m_1 = m_2 = 1, a = 0
    assert b.load_fraction == Fraction((s_r + 1) * (s_w + 1), k * n)
    assert b.relay_load == 1 and b.worker_loads == (1,) * k


@given(k=st.integers(1, 8), n=st.integers(1, 10), s_r=st.integers(0, 3), a_r=st.integers(0, 2),
       s_w=st.integers(0, 3), a_w=st.integers(0, 2), m_1=st.integers(1, 4), m_2=st.integers(1, 4))
def test_equal_cluster_formula(k, n, s_r, a_r, s_w, a_w, m_1, m_2) -> None:
    r_1, r_2 = s_r + 2 * a_r + m_1, s_w + 2 * a_w + m_2
    if r_1 > k:
        with pytest.raises(InputError, match=r"r_1 = s_r \+ 2a_r \+ m_1 = .* r_1 ≤ K fails"):
            hierarchical_bound(k, n, s_r=s_r, a_r=a_r, s_w=s_w, a_w=a_w, m_1=m_1, m_2=m_2)
        return
    if r_2 > n:
        with pytest.raises(InputError, match=r"r_2 = s_w \+ 2a_w \+ m_2 = .* r_2 ≤ N fails"):
            hierarchical_bound(k, n, s_r=s_r, a_r=a_r, s_w=s_w, a_w=a_w, m_1=m_1, m_2=m_2)
        return
    b = hierarchical_bound(k, n, s_r=s_r, a_r=a_r, s_w=s_w, a_w=a_w, m_1=m_1, m_2=m_2)
    assert b.load_fraction == Fraction(r_1 * r_2, k * n)
    assert b.relay_load == Fraction(1, m_1) and b.worker_loads == (Fraction(1, m_1 * m_2),) * k
    assert b.server_load == Fraction(k - s_r, m_1)
    forward = b.alternative("forward")
    assert forward.server_load == Fraction((k - s_r) * (n - s_w), m_1 * m_2)
    assert forward.gain == Fraction(n - s_w, m_2)
    # a partition's r_1·r_2 holders lose (s_r + 2a_r)·r_2 to the faulty relays of its clusters and s_w + 2a_w in
    # each of the other r_1 − s_r − a_r: m = m_1·m_2 − a_r(s_w + 2a_w)
    flat = b.alternative("flat")
    m_flat = r_1 * r_2 - (s_r + 2 * a_r) * r_2 - (r_1 - s_r - a_r) * (s_w + 2 * a_w)
    assert m_flat == m_1 * m_2 - a_r * (s_w + 2 * a_w)
    if m_flat >= 1:
        assert flat.feasible and flat.m == m_flat
        assert flat.server_load == Fraction((k - s_r) * (n - s_w), flat.m)
        # the forwarding relays are one such one-layer code: the flat code never beats them, ties without liars
        assert flat.server_load >= forward.server_load
        assert (flat.server_load == forward.server_load) == (a_r == 0 or s_w + 2 * a_w == 0)
        # counting faults on the holders never needs more than counting them on all workers (the old W + m)
        old_m = r_1 * r_2 - worst_fault_weight([n] * k, s_r, a_r, [s_w] * k, [a_w] * k)
        assert flat.m >= old_m
    else:
        assert not flat.feasible


@given(sizes=st.lists(st.integers(1, 9), min_size=1, max_size=5), data=st.data())
def test_unequal_clusters_against_the_defining_inequality(sizes: list[int], data) -> None:
    k = len(sizes)
    r_1 = data.draw(st.integers(1, k))
    r_2 = [data.draw(st.integers(1, n)) for n in sizes]
    delta = min_load_fraction(r_1, sizes, r_2)

    def f(x: Fraction) -> Fraction:
        return sum((min(Fraction(1), x * n / r) for n, r in zip(sizes, r_2, strict=True)), Fraction(0))

    assert f(delta) >= r_1
    assert f(delta * Fraction(999_999, 1_000_000)) < r_1  # least: anything smaller fails
    assert delta >= Fraction(r_1, 1) / sum(Fraction(n, r) for n, r in zip(sizes, r_2, strict=True))
    if len(set(zip(sizes, r_2, strict=True))) == 1:
        assert delta == Fraction(r_1 * r_2[0], k * sizes[0])


def test_unequal_clusters_by_hand() -> None:
    # clusters 4, 5, 9 with r_2 = 2, 3, 5 and r_1 = 2: f(δ) = δ(2 + 5/3 + 9/5) = 2 ⇒ δ = 15/41 < 1/2 (no saturation)
    b = hierarchical_bound(3, [4, 5, 9], s_r=1, s_w=[1, 1, 2], m_1=1, m_2=[1, 2, 3], partitions=20)
    assert b.load_fraction == Fraction(15, 41) and b.r_2 == (2, 3, 5)
    assert b.worker_loads == (1, Fraction(1, 2), Fraction(1, 3))
    assert b.min_load == 8  # ⌈20·15/41⌉ = 8, and 16 + 13 + 14 ≥ 40 partitions can be hosted at d = 8
    # a 2-worker cluster must hold everything on both workers: δ = 1, though Σ N_i = 12 suggests 1/3
    assert hierarchical_bound(2, [2, 10], s_r=1, s_w=1).load_fraction == 1


def _feasible_placement_exists(k: int, n: int, parts: int, r_1: int, r_2: int, load: int) -> bool:
    """Exhaustive truth: some placement (every worker ≤ load partitions) puts every partition in ≥ r_1 clusters
    and, in every cluster holding it, on ≥ r_2 workers."""
    subsets = [s for size in range(load + 1) for s in itertools.combinations(range(parts), size)]
    clusters = []
    for rows in itertools.product(subsets, repeat=n):  # one cluster's options, deduplicated by content
        counts = [sum(j in row for row in rows) for j in range(parts)]
        if all(c == 0 or c >= r_2 for c in counts):
            clusters.append(frozenset(j for j in range(parts) if counts[j]))
    options = set(clusters)
    for pick in itertools.product(options, repeat=k):
        if all(sum(j in c for c in pick) >= r_1 for j in range(parts)):
            return True
    return False


@pytest.mark.parametrize(("k", "n", "parts", "r_1", "r_2"), [
    (2, 2, 2, 1, 1), (2, 2, 2, 2, 1), (2, 2, 3, 1, 2), (3, 2, 3, 2, 1), (2, 3, 3, 2, 2), (3, 2, 2, 2, 2),
])
def test_integer_load_is_exactly_the_least_feasible(k, n, parts, r_1, r_2) -> None:
    d = min_integer_load(parts, r_1, [n] * k, [r_2] * k)
    assert _feasible_placement_exists(k, n, parts, r_1, r_2, d)
    assert d == 1 or not _feasible_placement_exists(k, n, parts, r_1, r_2, d - 1)


def _worst_weight_brute(sizes, s_r, a_r, s_w, a_w) -> int:
    best = 0
    for roles in itertools.product("nsa", repeat=len(sizes)):
        if roles.count("a") != a_r or roles.count("s") != s_r:
            continue
        total = sum({"a": 2 * n, "s": n, "n": s + 2 * a}[r] for r, n, s, a in zip(roles, sizes, s_w, a_w,
                                                                                    strict=True))
        best = max(best, total)
    return best


@given(sizes=st.lists(st.integers(2, 9), min_size=2, max_size=5), data=st.data())
def test_worst_fault_weight_against_enumeration(sizes, data) -> None:
    k = len(sizes)
    a_r = data.draw(st.integers(0, (k - 1) // 2))
    s_r = data.draw(st.integers(0, k - 1 - 2 * a_r))
    s_w = [data.draw(st.integers(0, 1)) for _ in sizes]
    a_w = [0 if s_w[i] + 2 >= n else data.draw(st.integers(0, 1)) for i, n in enumerate(sizes)]
    assert worst_fault_weight(sizes, s_r, a_r, s_w, a_w) == _worst_weight_brute(sizes, s_r, a_r, s_w, a_w)


def _flat_reduction_brute(r_1, r_2, s_r, a_r, s_w, a_w) -> int:
    """Every placement of one partition on r_1 clusters (role "-": not a holder cluster) and every fault pattern:
    holders minus (erased + 2·corrupted holders), counted worker by worker."""
    best = None
    for roles in itertools.product("-nsa", repeat=len(r_2)):
        if roles.count("-") != len(r_2) - r_1 or roles.count("a") != a_r or roles.count("s") != s_r:
            continue
        holders = erased = corrupted = 0
        for role, r, s, a in zip(roles, r_2, s_w, a_w, strict=True):
            if role == "-":
                continue
            holders += r
            erased += {"s": r, "a": 0, "n": s}[role]
            corrupted += {"s": 0, "a": r, "n": a}[role]
        value = holders - erased - 2 * corrupted
        best = value if best is None else min(best, value)
    assert best is not None
    return best


@given(data=st.data())
def test_flat_reduction_against_enumeration(data) -> None:
    k = data.draw(st.integers(1, 5))
    s_w = [data.draw(st.integers(0, 2)) for _ in range(k)]
    a_w = [data.draw(st.integers(0, 1)) for _ in range(k)]
    r_2 = [s + 2 * a + data.draw(st.integers(1, 3)) for s, a in zip(s_w, a_w, strict=True)]
    a_r = data.draw(st.integers(0, (k - 1) // 2))
    s_r = data.draw(st.integers(0, k - 1 - 2 * a_r))
    r_1 = data.draw(st.integers(s_r + 2 * a_r + 1, k))
    assert flat_reduction(r_1, r_2, s_r, a_r, s_w, a_w) == _flat_reduction_brute(r_1, r_2, s_r, a_r, s_w, a_w)


def test_flat_alternative_of_the_worked_example_counts_faults_on_holders() -> None:
    """The corrected statement: flat is 3 (×9/4), the forwarding scheme's load. The old count (every partition on
    W + m workers, W = 22 over all 50 workers) gave m = 28 − 22 = 6 and a server load of 6 (×9/2); a one-layer code
    with m = 12 exists (the forwarding relays are one), so "flat: 6" was not what a flat code needs."""
    b = hierarchical_bound(5, 10, s_r=1, s_w=1, a_w=1, m_1=3, m_2=4)
    flat, forward = b.alternative("flat"), b.alternative("forward")
    assert flat.m == 12 and flat.server_load == 3 and flat.gain == Fraction(9, 4)
    assert forward.server_load == flat.server_load
    assert worst_fault_weight([10] * 5, 1, 0, [1] * 5, [1] * 5) == 22  # the old count: m = 28 − 22 = 6
    assert 28 - 22 < flat.m


def test_load_mode_picks_the_server_first_and_fits() -> None:
    b = hierarchical_bound_for_load(5, 10, "14/25", s_r=1, s_w=1, a_w=1)
    assert (b.m_1, b.m_2) == (4, (2,) * 5) and b.load_fraction <= Fraction(14, 25)
    surface = hierarchical_tradeoff(5, 10, s_r=1, s_w=1, a_w=1)
    fits = [x for x in surface if x.load_fraction <= Fraction(14, 25)]
    assert max(x.m_1 for x in fits) == b.m_1
    assert hierarchical_bound_for_load(5, 10, 1, s_r=1, s_w=1, a_w=1).m_1 == 4  # m_1 ≤ K − s_r − 2a_r
    with pytest.raises(InputError, match="below the minimum 4/25"):
        hierarchical_bound_for_load(5, 10, "0.1", s_r=1, s_w=1, a_w=1)
    for bad in ("0", "6/5", "x", "1/0"):
        with pytest.raises(InputError):
            parse_fraction(bad)


def test_pareto_front_is_the_non_dominated_set() -> None:
    surface = [b for b in hierarchical_tradeoff(5, 10, s_r=1, s_w=1, a_w=1) if b.load_fraction <= Fraction(14, 25)]
    front = pareto_front(surface)
    keys = {(b.m_1, b.m_2[0]) for b in front}
    for b in surface:  # brute force: b is on the front iff no other point has both loads ≤ and one <
        loads = (b.relay_load, b.worker_loads[0])
        dominated = any(
            (o.relay_load, o.worker_loads[0]) != loads
            and o.relay_load <= loads[0] and o.worker_loads[0] <= loads[1]
            for o in surface
        )
        assert ((b.m_1, b.m_2[0]) in keys) == (not dominated)
    assert keys == {(3, 4), (4, 2)}


@pytest.mark.parametrize(("args", "message"), [
    (dict(relays=0, workers=3), "at least one relay"),
    (dict(relays=2, workers=[3]), "1 values but there are K = 2"),
    (dict(relays=2, workers=3, s_r=-1), "s_r ≥ 0"),
    (dict(relays=2, workers=3, m_1=0), "m_1 = 0"),
    (dict(relays=2, workers=3, m_2=[1, 0]), "cluster 1: m_2 = 0"),
    (dict(relays=3, workers=[4, 2, 4], s_w=2), "infeasible in cluster 1: .* r_2 = s_w \\+ 2a_w \\+ m_2 = 3"),
    (dict(relays=3, workers=4, a_r=1, s_r=1), "r_1 = s_r \\+ 2a_r \\+ m_1 = 4 .* r_1 ≤ K fails"),
])
def test_infeasible_parameters_name_the_inequality(args, message) -> None:
    with pytest.raises(InputError, match=message):
        hierarchical_bound(**args)


def test_docstring_examples() -> None:
    module = importlib.import_module("gcli.bounds.hierarchical")
    assert doctest.testmod(module).failed == 0


@st.composite
def _load_models(draw: st.DrawFn) -> tuple[int, list[int], dict[str, object], Fraction]:
    relays = draw(st.integers(1, 5))
    sizes = draw(st.lists(st.integers(1, 7), min_size=relays, max_size=relays))
    faults = {"s_r": draw(st.integers(0, 2)), "a_r": draw(st.integers(0, 1)),
              "s_w": draw(st.lists(st.integers(0, 2), min_size=relays, max_size=relays)),
              "a_w": draw(st.lists(st.integers(0, 1), min_size=relays, max_size=relays))}
    return relays, sizes, faults, Fraction(draw(st.integers(1, 20)), 20)


@given(_load_models())
def test_load_front_is_the_pareto_front_of_the_whole_surface(model: tuple[int, list[int], dict[str, object],
                                                                          Fraction]) -> None:
    """The staircase walk (O(top_1 + top_2) evaluations) against the brute force over every (m_1, m_2)."""
    from gcli.bounds.hierarchical import load_front

    relays, sizes, faults, load = model
    try:
        surface = [b for b in hierarchical_tradeoff(relays, sizes, **faults) if b.load_fraction <= load]
    except InputError:
        with pytest.raises(InputError):
            load_front(relays, sizes, load, **faults)
        return
    if not surface:
        with pytest.raises(InputError, match="below the minimum"):
            load_front(relays, sizes, load, **faults)
        return
    expected = [(b.m_1, b.m_2[0], b.min_load_fraction) for b in pareto_front(surface)]
    assert load_front(relays, sizes, load, **faults) == expected
    best = max(surface, key=lambda b: (b.m_1, b.m_2[0]))
    chosen = hierarchical_bound_for_load(relays, sizes, load, **faults)
    assert (chosen.m_1, chosen.m_2) == (best.m_1, best.m_2)


def test_large_load_searches_evaluate_few_points(monkeypatch: pytest.MonkeyPatch) -> None:
    """300 relays × 300 workers: the search evaluates δ* O(K + N) times (a counter, not a clock)."""
    import gcli.bounds.hierarchical as module

    calls = []
    original = module.min_load_fraction

    def counting(*args: object) -> Fraction:
        calls.append(1)
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "min_load_fraction", counting)
    chosen = hierarchical_bound_for_load(300, 300, "1/2")
    assert (chosen.m_1, chosen.m_2[0]) == (300, 150)
    assert len(calls) <= 2 * (300 + 300)
