"""Coverage of gcli's structure constructions (the numbers quoted in the README).

* (v, k, 1) BIBDs with 3 ≤ k < v ≤ MAX_V passing divisibility: classified by the existence oracle; each one gcli
  claims is built and certified.
* Primitive SRGs with v ≤ MAX_V, up to complement: every feasible parameter set is classified; each one gcli
  claims is built and certified.
* Primitive SRGs with MAX_V < v ≤ BEYOND (default 300), up to complement: built / known to exist.

"Known to exist" for SRGs is A. E. Brouwer's table (rows with status "exists"), read at run time from
``--brouwer PATH`` (``brouwer_srg_database.json`` of the optional ``sagemath-data-graphs`` wheel) or from the
installed wheel; it is read, never copied. With ``--sage-python PATH`` (an interpreter with passagemath, default
``$GCLI_SAGE_PYTHON`` or /tmp/sagevenv/bin/python when it exists) the same parameter sets are also given to
``graphs.strongly_regular_graph`` (benchmarks/sage_srg_count.py, in a subprocess with a per-graph time limit) and
SageMath's count is printed next to gcli's.

Run: python benchmarks/structures_coverage.py [--brouwer PATH] [--max-v 100] [--beyond 300] [--sage-python PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from pathlib import Path

from gcli.bounds import srg_feasibility
from gcli.constructions import bibd, bibd_construction, bibd_exists, srg, srg_construction, srg_exists
from gcli.structures import admissible, srg_complement_params

Params = tuple[int, int, int, int]


def normal(params: Params) -> Params:
    """The smaller of a parameter set and its complement's."""
    return min(params, srg_complement_params(params))


def feasible_primitive(low: int, high: int) -> list[Params]:
    """Primitive feasible (v, k, λ, μ), low ≤ v ≤ high, up to complement (λ follows from k(k−λ−1) = (v−k−1)μ)."""
    out = set()
    for v in range(max(5, low), high + 1):
        for k in range(1, v - 1):
            for mu in range(1, k):
                rest = (v - k - 1) * mu
                if rest % k:
                    continue
                lam = k - 1 - rest // k
                if lam >= 0 and srg_feasibility(v, k, lam, mu) is None:
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


def gcli_builds(params: Params) -> str | None:
    """gcli's construction for the parameter set or its complement; the graph is built (certified) once."""
    for target in (params, srg_complement_params(params)):
        name = srg_construction(*target)
        if name is not None:
            assert srg(*target).params == target
            return name
    return None


def sage_counts(sage_python: str | None, params: list[Params], timeout: int) -> dict[Params, str] | None:
    if not sage_python or not Path(sage_python).exists():
        return None
    script = Path(__file__).with_name("sage_srg_count.py")
    done = subprocess.run([sage_python, str(script), "--timeout", str(timeout)], input=json.dumps(params),
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"  (SageMath run failed: {done.stderr.strip().splitlines()[-1:]})")
        return None
    return {tuple(map(int, key.split(","))): value for key, value in json.loads(done.stdout).items()}


def bibd_section(max_v: int) -> None:
    status: dict[bool | None, list[tuple[int, int]]] = {True: [], False: [], None: []}
    built = []
    for v in range(4, max_v + 1):
        for k in range(3, v):
            if admissible(v, k, 1) is None:
                continue
            status[bibd_exists(v, k, 1).exists].append((v, k))
            if bibd_construction(v, k, 1) is not None:
                design = bibd(v, k, 1)  # certified inside
                built.append((v, k, design.name))
    known = set(status[True])
    print(f"(v,k,1) BIBDs, 3 ≤ k < v ≤ {max_v}, passing divisibility: {sum(len(x) for x in status.values())}")
    print(f"  known to exist: {len(known)}; ruled out: {len(status[False])}; open/unknown: {len(status[None])}")
    print(f"  gcli builds: {len(built)}/{len(known)} of those known to exist")
    print(f"  known but not built: {sorted(known - {(v, k) for v, k, _ in built})}")
    print(f"  open/unknown: {sorted(status[None])}")


def srg_section(title: str, low: int, high: int, rows: list[list] | None, sage: dict[Params, str] | None,
                feasible: list[Params] | None) -> None:
    print(f"\nprimitive SRGs, {low} ≤ v ≤ {high}, up to complement:")
    if feasible is not None:
        classified = {p: srg_exists(*p).exists for p in feasible}
        counts = {answer: sum(1 for x in classified.values() if x is answer) for answer in (True, False, None)}
        print(f"  feasible parameter sets: {len(feasible)}; oracle: exists {counts[True]}, does not exist "
              f"{counts[False]}, unknown {counts[None]}")
    candidates = feasible if rows is None else None
    if rows is not None:
        exists = sorted({normal(tuple(r[:4])) for r in rows if low <= r[0] <= high and r[4] == "exists"})
        impossible = {normal(tuple(r[:4])) for r in rows if low <= r[0] <= high and r[4] == "impossible"}
        candidates = exists
    assert candidates is not None
    names = {p: gcli_builds(p) for p in candidates}
    built = [p for p in candidates if names[p] is not None]
    if rows is None:
        print(f"  gcli builds {len(built)} of the {len(candidates)} feasible sets (no table of known graphs given)")
        return
    print(f"  {title}: gcli builds {len(built)}/{len(exists)} of the sets Brouwer's table marks \"exists\"")
    print(f"  not built: {[p for p in exists if p not in built]}")
    if feasible is not None:
        wrong = sorted(p for p in impossible if classified.get(p) is True)
        print(f"  oracle says 'exists' for an impossible set: {wrong or 'never'}")
        wrong = sorted(p for p in exists if classified.get(p) is False)
        print(f"  oracle says 'does not exist' for an existing set: {wrong or 'never'}")
    if sage is not None:
        sage_built = [p for p in exists if sage.get(p) == "built"]
        print(f"  SageMath builds {len(sage_built)}/{len(exists)} (graphs.strongly_regular_graph, each within the "
              "time limit)")
        print(f"  gcli only: {[p for p in built if p not in sage_built]}")
        print(f"  SageMath only: {[p for p in sage_built if p not in built]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brouwer", help="path to brouwer_srg_database.json (optional)")
    parser.add_argument("--max-v", type=int, default=100)
    parser.add_argument("--beyond", type=int, default=300, help="upper end of the second SRG range (0: skip)")
    default_sage = os.environ.get("GCLI_SAGE_PYTHON", "/tmp/sagevenv/bin/python")
    parser.add_argument("--sage-python", default=default_sage if Path(default_sage).exists() else None)
    parser.add_argument("--sage-timeout", type=int, default=60, help="seconds SageMath gets per graph")
    args = parser.parse_args()
    start = time.perf_counter()
    rows = brouwer_rows(args.brouwer)
    if rows is not None and args.brouwer:
        os.environ.setdefault("GCLI_BROUWER_TABLE", args.brouwer)  # the oracle reads the same table

    bibd_section(args.max_v)
    top = max(args.max_v, args.beyond)
    sage = None
    if args.sage_python and rows is not None:
        wanted = sorted({normal(tuple(r[:4])) for r in rows if r[0] <= top and r[4] == "exists"})
        sage = sage_counts(args.sage_python, wanted, args.sage_timeout)
    srg_section(f"v ≤ {args.max_v}", 5, args.max_v, rows, sage,
                feasible_primitive(5, args.max_v))
    if args.beyond > args.max_v:
        srg_section(f"{args.max_v} < v ≤ {args.beyond}", args.max_v + 1, args.beyond, rows, sage, None)
    print(f"\n({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
