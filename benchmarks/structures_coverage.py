"""Coverage of gcli's structure constructions for v ≤ 100 (the numbers quoted in the README).

BIBDs: every (v, k, 1) with 3 ≤ k < v ≤ 100 that passes divisibility is classified by the existence oracle,
and each one gcli claims to build is built and certified. SRGs: every primitive feasible parameter set with
v ≤ 100 (up to complement) is classified; each one gcli claims is built and certified. If Brouwer's table
is available (``--brouwer PATH`` to ``brouwer_srg_database.json`` from the ``sagemath-data-graphs`` wheel,
or the package installed), its "exists" rows are the denominator for SRGs; the table is read, never copied.

Run: python benchmarks/structures_coverage.py [--brouwer PATH] [--max-v 100]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from gcli.bounds import srg_feasibility
from gcli.constructions import bibd, bibd_construction, bibd_exists, srg, srg_construction, srg_exists
from gcli.structures import admissible


def normal(params: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    v, k, lam, mu = params
    comp = (v, v - k - 1, v - 2 * k + mu - 2, v - 2 * k + lam)
    return min(params, comp)


def feasible_primitive(max_v: int) -> list[tuple[int, int, int, int]]:
    out = set()
    for v in range(5, max_v + 1):
        for k in range(1, v - 1):
            for mu in range(1, k):
                for lam in range(0, k):
                    if k * (k - lam - 1) == (v - k - 1) * mu and srg_feasibility(v, k, lam, mu) is None:
                        out.add(normal((v, k, lam, mu)))
    return sorted(out)


def brouwer_rows(path: str | None) -> list[list] | None:
    if path:
        return json.loads(Path(path).read_text())
    try:
        from importlib.resources import files

        return json.loads(files("sage_data_graphs").joinpath("data/brouwer_srg_database.json").read_text())
    except (ModuleNotFoundError, FileNotFoundError):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brouwer", help="path to brouwer_srg_database.json (optional)")
    parser.add_argument("--max-v", type=int, default=100)
    args = parser.parse_args()
    start = time.perf_counter()

    # ---- BIBDs (v, k, 1) ----
    status = {True: [], False: [], None: []}
    built = []
    for v in range(4, args.max_v + 1):
        for k in range(3, v):
            if admissible(v, k, 1) is None:
                continue
            answer = bibd_exists(v, k, 1)
            status[answer.exists].append((v, k))
            if bibd_construction(v, k, 1) is not None:
                design = bibd(v, k, 1)  # certified inside
                built.append((v, k, design.name))
    known = set(status[True])
    print(f"(v,k,1) BIBDs, 3 ≤ k < v ≤ {args.max_v}, passing divisibility: "
          f"{sum(len(x) for x in status.values())}")
    print(f"  known to exist: {len(known)}; ruled out: {len(status[False])}; "
          f"open/unknown: {len(status[None])}")
    print(f"  gcli builds: {len(built)} of the {len(known)} known to exist")
    missing = sorted(known - {(v, k) for v, k, _ in built})
    print(f"  known but not built: {missing}")
    print(f"  open/unknown: {sorted(status[None])}")

    # ---- SRGs ----
    feasible = feasible_primitive(args.max_v)
    classified = {p: srg_exists(*p) for p in feasible}
    ours = {p for p in feasible if srg_construction(*p) is not None
            or srg_construction(*(p[0], p[0] - p[1] - 1, p[0] - 2 * p[1] + p[3] - 2, p[0] - 2 * p[1] + p[2]))}
    for p in sorted(ours):
        name = srg_construction(*p)
        target = p if name is not None else (p[0], p[0] - p[1] - 1, p[0] - 2 * p[1] + p[3] - 2,
            p[0] - 2 * p[1] + p[2])
        assert srg(*target).params == target
    print(f"\nprimitive feasible srg parameter sets, v ≤ {args.max_v}, up to complement: {len(feasible)}")
    counts = {True: 0, False: 0, None: 0}
    for answer in classified.values():
        counts[answer.exists] += 1
    print(f"  oracle: exists {counts[True]}, does not exist {counts[False]}, unknown {counts[None]}")
    print(f"  gcli builds: {len(ours)}")
    rows = brouwer_rows(args.brouwer)
    if rows is not None:
        exists = {normal(tuple(r[:4])) for r in rows if r[0] <= args.max_v and r[4] == "exists"}
        impossible = {normal(tuple(r[:4])) for r in rows if r[0] <= args.max_v and r[4] == "impossible"}
        print(f"  Brouwer's table, v ≤ {args.max_v}: {len(exists)} exist (up to complement), "
              f"{len(impossible)} impossible")
        print(f"  gcli builds {len(ours & exists)} of the {len(exists)} that exist")
        print(f"  not built: {sorted(exists - ours)}")
        wrong = [p for p in impossible if classified.get(p) and classified[p].exists is True]
        print(f"  oracle says 'exists' for an impossible set: {wrong or 'never'}")
        wrong = [p for p in exists if p in classified and classified[p].exists is False]
        print(f"  oracle says 'does not exist' for an existing set: {wrong or 'never'}")
    print(f"\n({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
