"""Random placements through ``universal``: the message size against the bound, verify, and where the reals stop
(issue 23, item 4).

Not a test (run it by hand): ``python benchmarks/universal_placements.py [--trials T] [--seed S]``.

For each n, T random irregular placements (k = n partitions, partition j on a uniformly random set of
r_j ∈ [s + 2a + 1, n] workers) are built with ``-m auto`` over GF(65537) and over the reals. Per row: how many were
built, how many reach m = r − s − 2a of :func:`gcli.bounds.tradeoff.placement_tradeoff` (must be all that were
built), how many the certificate of the file as read back accepts (must be all), and over the reals how many were
refused at design time with their condition number, with the largest worst-case condition number among those built.
"""

from __future__ import annotations

import argparse

import numpy as np

from gcli import certify
from gcli.bounds.tradeoff import placement_tradeoff
from gcli.constructions import universal
from gcli.errors import InputError
from gcli.hierarchical.files import dumps_any
from gcli.io.json import loads


def random_placement(rng: np.random.Generator, n: int, k: int, need: int) -> list[list[int]]:
    rows: list[list[int]] = [[] for _ in range(n)]
    for j in range(k):
        for w in rng.permutation(n)[: rng.integers(need, n + 1)]:
            rows[int(w)].append(j)
    return [sorted(row) for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    print(f"{'n':>3} {'s':>2} {'a':>2} {'field':>11} {'built':>6} {'m=bound':>8} {'verified':>9} {'refused':>8} "
          f"{'worst cond':>11}")
    for n, s, a in [(6, 1, 0), (8, 2, 0), (8, 1, 1), (12, 2, 0), (16, 2, 1), (20, 3, 0)]:
        placements = [random_placement(rng, n, n, s + 2 * a + 1) for _ in range(args.trials)]
        for field in ("GF(65537)", "real"):
            built = optimal = verified = refused = 0
            worst = 0.0
            for rows in placements:
                try:
                    code = universal(rows, s, a=a, field=field)
                except InputError as exc:
                    assert "condition number" in str(exc), exc
                    refused += 1
                    continue
                built += 1
                optimal += code.m == placement_tradeoff(rows, s, a).m
                verified += certify(loads(dumps_any(code))).certified
                if field == "real":
                    worst = max(worst, float(code.construction["checked"]["worst_condition_number"]))
            cond = f"{worst:.3g}" if field == "real" and built else "-"
            print(f"{n:>3} {s:>2} {a:>2} {field:>11} {built:>6} {optimal:>8} {verified:>9} {refused:>8} {cond:>11}")


if __name__ == "__main__":
    main()
