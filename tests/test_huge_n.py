"""Issue 22: a code file with a huge number of workers and few stragglers must not hold verify hostage.

C(n, n − 1) = n surviving sets of n − 1 rows each are n² rows of work: the exhaustive check is refused before
anything is allocated (the budget bounds sets and rows), units never hold more than ``max_dense_entries`` entries
(down to one set per unit), and a set whose own system is beyond that limit is refused in one line.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fuzzrun import MEMORY, assert_well_behaved, run_forked
from hypothesis import given
from hypothesis import strategies as st

from gcli.certification import engine, verification
from gcli.certification.verification import WORK_ROWS, sampled_surviving_sets, unit_sets, verify
from gcli.code import Code
from gcli.constructions import cyclic_repetition, fractional_repetition
from gcli.errors import OverLimit
from gcli.fields import REAL

HUGE_N = 200_000  # C(n, n − 1) = 2·10⁵ sets, within the budget of sets; 4·10¹⁰ rows of work, far beyond


def _parity_code(path: Path, n: int) -> Path:
    """n workers, k = 2 partitions, worker i holds partition i mod 2 (compressed rows), s = 1: every set of n − 1
    responders holds both partitions, so the code decodes (X puts 1 on one holder of each)."""
    part = [i % 2 for i in range(n)]
    head = json.dumps({"format": "gcli.code", "format_version": 1, "scheme": "frc", "exact": True,
                       "field": {"kind": "real"}, "n": n, "k": 2, "s": 1, "m": 1, "a": 0, "d": 1})[:-1]
    encoding = {"format": "csr", "shape": [n, 2], "indptr": list(range(n + 1)), "indices": part, "data": [1.0] * n}
    path.write_text(head + ', "assignment": [' + ",".join(f"[{p}]" for p in part) + '], "encoding": '
                    + json.dumps(encoding) + ', "construction": {}, "provenance": {"gcli_version": "0.1.0"}}',
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def huge_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _parity_code(tmp_path_factory.mktemp("huge-n") / "parity.json", HUGE_N)


def test_the_exhaustive_check_of_a_huge_code_is_refused_in_one_line(huge_file: Path) -> None:
    outcome = run_forked(["verify", "-q", str(huge_file)], memory=MEMORY)
    assert_well_behaved(outcome, allowed=(2,))
    assert "rows of work" in outcome.stderr and "--budget" in outcome.stderr, outcome.describe()


def test_a_sample_of_a_huge_code_is_checked_within_the_memory_limit(huge_file: Path) -> None:
    outcome = run_forked(["verify", "-q", "--json", str(huge_file), "--sample", "5"], memory=MEMORY)
    assert_well_behaved(outcome, allowed=(0,))  # every set of n − 1 responders holds both partitions
    report = json.loads(outcome.stdout)
    assert report["decodable"] is True and report["patterns_checked"] == 5, outcome.describe()


def test_the_budget_is_checked_before_anything_is_allocated(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("allocated before the budget check")

    n = 2000  # the parity code: 2,000 sets of 1,999 rows, 3,998,000 rows of work
    code = Code(scheme="frc", field=REAL, n=n, k=2, s=1, m=1, a=0, d=1, assignment=[[i % 2] for i in range(n)],
                encoding=np.eye(2)[np.arange(n) % 2], exact=True, construction={})
    monkeypatch.setattr(verification, "_task", forbidden)
    monkeypatch.setattr(verification, "estimate_rate", forbidden)  # a probe of 4,096 sets would not fit a unit
    budget = 3_998_000 // WORK_ROWS - 1  # 3,997 ≥ 2,000 sets
    with pytest.raises(OverLimit, match="3,998,000 rows of work"):  # the engine's pass (verify() of so small a
        verification.run_pass(code, budget=budget)  # code takes the removed side, which costs C(n, s) small checks)
    with pytest.raises(OverLimit, match="rows of work"):
        verification.check_budget(code, verification.CertifyOptions(budget=budget))
    monkeypatch.setenv("GCLI_MAX_DENSE_ENTRIES", "4000000")  # no probe fits: the refusal names no rate
    with pytest.raises(OverLimit, match="2,000 surviving sets exceed the budget of 1,999: use --sample N"):
        verification.run_pass(code, budget=1999)


def test_a_set_beyond_the_dense_limit_is_refused_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    code = fractional_repetition(12, 2)  # sets of 10 rows × k = 12 columns: 120 entries
    monkeypatch.setenv("GCLI_MAX_DENSE_ENTRIES", "119")
    with pytest.raises(OverLimit, match="GCLI_MAX_DENSE_ENTRIES") as caught:
        verify(code, sample=3)
    assert "\n" not in str(caught.value)


@given(size=st.integers(1, 10**7), width=st.integers(1, 10**4), bound=st.integers(1, 10**9))
def test_unit_sizing_never_exceeds_the_limit(size: int, width: int, bound: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GCLI_MAX_DENSE_ENTRIES", str(bound))
        units = unit_sets(size, width)
    assert units >= 1
    assert units == 1 or units * size * (width + 1) <= bound
    assert (units + 1) * size * (width + 1) > bound  # and no smaller than the limit needs


@pytest.mark.parametrize(("code", "bound"), [(cyclic_repetition(9, 2), 400), (fractional_repetition(12, 2), 130),
                                             (cyclic_repetition(8, 3), 10)])
def test_units_hold_at_most_the_limit_and_give_the_same_report(code: Any, bound: int,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    reference = verify(code, stragglers=code.s + 1, all_failures=True)
    seen: list[int] = []
    original = engine.run_unit

    def spy(task: engine.Task, unit: engine.Unit) -> engine.UnitResult:
        seen.append(unit.count)
        return original(task, unit)

    monkeypatch.setattr(engine, "run_unit", spy)
    monkeypatch.setattr(verification, "run_unit", spy)
    monkeypatch.setenv("GCLI_MAX_DENSE_ENTRIES", str(bound))
    size = code.n - code.s - 1
    per_set = size * (code.k * code.m + 1)
    if size * code.k * code.m > bound:
        with pytest.raises(OverLimit, match="GCLI_MAX_DENSE_ENTRIES"):
            verify(code, stragglers=code.s + 1, all_failures=True)
        assert not seen
        return
    split = verify(code, stragglers=code.s + 1, all_failures=True)
    assert seen and all(count == 1 or count * per_set <= bound for count in seen)
    assert max(seen) < reference.patterns_total  # the limit did split the pass
    assert (split.decodable, split.failing_set, split.failures_found, split.patterns_checked) == (
        reference.decodable, reference.failing_set, reference.failures_found, reference.patterns_checked)


_DEFAULT_RNG = np.random.default_rng


class _TiedKeys:
    """A generator whose keys are rounded to one decimal: ties at the threshold are common."""

    def __init__(self, seed: int) -> None:
        self.rng = _DEFAULT_RNG(seed)

    def random(self, shape: tuple[int, int]) -> np.ndarray:
        return np.round(self.rng.random(shape), 1)


def _argsort_sets(n: int, size: int, count: int, seed: int, rng_type: Any) -> np.ndarray:
    """The reference: the stable argsort of every row of keys (what sampled_surviving_sets always drew)."""
    rng = rng_type(seed)
    step = max(1, (1 << 20) // n)
    rows = [np.sort(np.argsort(rng.random((min(step, count - lo), n)), axis=1)[:, :size], axis=1)
            for lo in range(0, count, step)]
    return np.concatenate(rows)


@given(n=st.integers(1, 60), data=st.data(), count=st.integers(1, 40), seed=st.integers(0, 2**32 - 1),
       tied=st.booleans())
def test_sampled_sets_are_those_of_the_argsort(n: int, data: st.DataObject, count: int, seed: int,
                                               tied: bool) -> None:
    size = data.draw(st.integers(1, n))
    rng_type = _TiedKeys if tied else _DEFAULT_RNG
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(np.random, "default_rng", rng_type)
        drawn = sampled_surviving_sets(n, size, count, seed)
    assert np.array_equal(drawn, _argsort_sets(n, size, count, seed, rng_type))
    assert math.comb(n, size) >= 1
