"""Reading a code with many workers normalises its assignment and checks B's support with array operations (issue 22,
n = 10⁶): the results must be those of the row-by-row reference below, kept here as the independent check."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcli.code import Code, normalise_assignment_arrays
from gcli.errors import ImpossibleParameters
from gcli.fields import REAL


def _reference_rows(assignment: list[list[Any]], k: int) -> tuple[tuple[int, ...], ...] | None:
    """The former per-row normalisation: sorted tuples of ints, None when a row repeats or leaves 0..k−1."""
    rows = []
    for row in assignment:
        items = sorted(int(j) for j in row)
        if len(set(items)) != len(items) or (items and (items[0] < 0 or items[-1] >= k)):
            return None
        rows.append(tuple(items))
    return tuple(rows)


def _reference_support_error(encoding: np.ndarray, rows: tuple[tuple[int, ...], ...], k: int, m: int) -> str | None:
    """The former per-row support check of a dense code: the first worker that encodes a partition it lacks."""
    support = np.asarray(encoding != 0).reshape(len(rows), k, m).any(axis=2)
    for i, row in enumerate(rows):
        used = set(np.flatnonzero(support[i]).tolist())
        if not used <= set(row):
            return f"worker {i} encodes partitions {sorted(used - set(row))} that it is not assigned"
    return None


entries = st.one_of(st.integers(-2, 7), st.sampled_from([np.int64(1), np.int32(3), True]))


@given(k=st.integers(1, 6), assignment=st.lists(st.lists(entries, max_size=5), min_size=1, max_size=12))
def test_array_normalisation_equals_the_per_row_one(k: int, assignment: list[list[Any]]) -> None:
    expected = _reference_rows(assignment, k)
    got = normalise_assignment_arrays(assignment, k)
    assert got == expected
    if got is not None:
        assert all(type(j) is int for row in got for j in row)
        assert all(type(row) is tuple for row in got) and type(got) is tuple


@st.composite
def _codes(draw: st.DrawFn) -> tuple[int, int, int, tuple[tuple[int, ...], ...], np.ndarray]:
    n, k, m = draw(st.integers(2, 8)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
    rows = tuple(tuple(sorted(draw(st.sets(st.integers(0, k - 1), max_size=k)))) for _ in range(n))
    held = np.zeros((n, k * m), dtype=bool)
    for i, row in enumerate(rows):
        for j in row:
            held[i, j * m : (j + 1) * m] = True
    stray = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, k * m - 1)), max_size=3))
    mask = held.copy()
    for i, c in stray:
        mask[i, c] = True
    if draw(st.booleans()):  # many strays, several in one row
        mask |= np.array(draw(st.lists(st.booleans(), min_size=n * k * m, max_size=n * k * m))).reshape(n, k * m)
    values = np.array(draw(st.lists(st.sampled_from([0.0, 1.0, -2.5]), min_size=n * k * m, max_size=n * k * m)))
    return n, k, m, rows, np.where(mask, values.reshape(n, k * m), 0.0)


@settings(max_examples=150)
@given(code=_codes(), sparse=st.booleans())
def test_vectorised_support_check_equals_the_per_row_one(code: tuple[Any, ...], sparse: bool) -> None:
    import scipy.sparse as sp

    n, k, m, rows, encoding = code
    expected = _reference_support_error(encoding, rows, k, m)
    d = max(map(len, rows))
    make = lambda: Code(scheme="frc", field=REAL, n=n, k=k, s=0, m=m, a=0, d=d, assignment=[list(r) for r in rows],  # noqa: E731
                        encoding=sp.csr_matrix(encoding) if sparse else encoding)
    if expected is None:
        assert make().assignment == rows
    else:
        with pytest.raises(ImpossibleParameters) as caught:
            make()
        assert str(caught.value) == expected


def test_many_workers_take_the_array_path_and_keep_tuples() -> None:
    n = 3000
    assignment = [[(i + 1) % 3, i % 3] for i in range(n)]
    encoding = np.zeros((n, 3))
    encoding[np.arange(n), np.arange(n) % 3] = 1.0
    code = Code(scheme="frc", field=REAL, n=n, k=3, s=1, m=1, a=0, d=2, assignment=assignment, encoding=encoding)
    assert code.assignment == tuple(tuple(sorted(row)) for row in assignment)
    assert all(type(row) is tuple for row in code.assignment)
    assignment[7] = [1, 1]
    with pytest.raises(ImpossibleParameters, match="worker 7 is assigned a partition twice"):
        Code(scheme="frc", field=REAL, n=n, k=3, s=1, m=1, a=0, d=2, assignment=assignment, encoding=encoding)
