"""The shipped table of ``--near`` search answers (constructions/search_table.json, written by
benchmarks/search_table.py) agrees with the live search, and searches within it compute nothing."""

from __future__ import annotations

import random

import pytest

from gcli.constructions import structure_codes
from gcli.constructions.structure_codes import (
    _bibd_entry,
    _srg_entries_of,
    bibd_search,
    search_table,
    srg_search,
    srg_search_entries,
)


def _sample(low: int, high: int, count: int, seed: int, always: tuple[int, ...]) -> list[int]:
    rng = random.Random(seed)
    return sorted({*always, *rng.sample(range(low, high + 1), count)})


def test_srg_table_agrees_with_the_live_catalog_on_a_sample() -> None:
    table = search_table()
    top = int(table["srg_v_max"])
    for v in _sample(5, top, 12, 21, (5, 10, 16, 121, 243, 256, top)):
        assert _srg_entries_of(v, table) == srg_search_entries(v), v


def test_bibd_table_agrees_with_the_live_catalog_on_a_sample() -> None:
    table = search_table()
    top = int(table["bibd_v_max"])
    for v in _sample(4, top, 6, 22, (7, 13, 121, top)):
        live = [(v, k, lam, r, b, name) for k in range(3, 65) for lam in range(1, 4) for r, b, name in
                _bibd_entry(v, k, lam)]
        assert sorted(tuple(row) for row in table["bibd"] if row[0] == v) == sorted(live), v


@pytest.mark.parametrize("workers", [8, 30, 57])
def test_searches_from_the_table_equal_the_live_searches(workers: int) -> None:
    assert srg_search(workers) == srg_search(workers, live=True)
    assert bibd_search(workers) == bibd_search(workers, live=True)
    assert bibd_search(workers, max_lambda=1, spread=0.1) == bibd_search(workers, max_lambda=1, spread=0.1, live=True)


def test_a_search_within_the_table_evaluates_no_family(monkeypatch: pytest.MonkeyPatch) -> None:
    """``gcli design srg --near 1000`` (the issue's 4.5 s cold search) reads the table: no family formula runs."""

    def boom(*args: object) -> None:
        raise AssertionError("the search computed what the table holds")

    monkeypatch.setattr(structure_codes, "srg_candidates", boom)
    monkeypatch.setattr(structure_codes, "bibd_construction", boom)
    lines = srg_search(1000)
    assert lines and all(line.startswith("srg --params ") for line in lines)
    assert bibd_search(1000)


def test_windows_beyond_the_table_are_searched_live(monkeypatch: pytest.MonkeyPatch) -> None:
    small = {**search_table(), "srg_v_max": 40, "bibd_v_max": 20}
    monkeypatch.setattr(structure_codes, "search_table", lambda: small)
    calls: list[int] = []
    live = structure_codes.srg_candidates

    def counted(v: int) -> object:
        calls.append(v)
        return live(v)

    monkeypatch.setattr(structure_codes, "srg_candidates", counted)
    from_table = srg_search(45)  # window [33, 57]: 33..40 from the table, 41..57 live
    assert calls == list(range(41, 58))
    assert from_table == srg_search(45, live=True)
    assert bibd_search(30) == bibd_search(30, live=True)
