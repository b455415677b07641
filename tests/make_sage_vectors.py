"""Generate tests/data/sage_vectors.json: catalog ground truth computed by SageMath (passagemath), run once.

Two halves in one file:

* ``python tests/make_sage_vectors.py [--sage-python PATH]`` (gcli's environment): lists the catalog's parameter
  sets, exports gcli's own objects (blocks, edges) to a temporary file, runs the second half under SageMath, and
  writes the vectors;
* ``SAGE_PYTHON tests/make_sage_vectors.py --sage-side IN OUT`` (SageMath's interpreter, no gcli import): builds
  every object with SageMath — ``designs.balanced_incomplete_block_design`` and ``graphs.strongly_regular_graph`` —
  and records invariants of *SageMath's* object:

  - designs: v, b, r, k, λ; the number of block pairs meeting in i points (i = 0..k); for k = 3 the number of Pasch
    configurations; the automorphism group order (when SageMath finds it within the time limit);
  - SRGs: the parameters; the adjacency spectrum (eigenvalues rounded to 6 digits, with multiplicities); the number
    of triangles; the histogram of the number of triangles inside each vertex's neighbourhood (K4s through the
    vertex, an isomorphism invariant that separates e.g. L2(4) from the Shrikhande graph); the automorphism group
    order;
  - for both: whether SageMath finds gcli's object isomorphic to its own (``isomorphic_to_gcli``; null on
    timeout).

tests/test_sage_vectors.py compares gcli's objects against the file without SageMath: parameters, spectra and
intersection numbers always, the isomorphism-sensitive invariants where SageMath found the objects isomorphic.
Nothing of SageMath is imported by gcli.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUTPUT = Path(__file__).with_name("data") / "sage_vectors.json"
LAMBDA_DESIGNS = [(6, 3, 2), (8, 4, 3), (10, 4, 2), (11, 5, 2), (15, 7, 3), (16, 6, 2), (19, 9, 4), (23, 11, 5),
                  (31, 15, 7), (35, 17, 8), (36, 15, 6), (37, 9, 2), (40, 13, 4), (45, 12, 3), (56, 11, 2),
                  (64, 28, 12), (76, 16, 4)]


# ---------------------------------------------------------------------------------------------------------
# gcli's half
# ---------------------------------------------------------------------------------------------------------
def gcli_side(sage_python: str, max_v: int, beyond: int, timeout: int) -> None:
    from gcli.constructions import bibd, bibd_construction, srg_candidates
    from gcli.structures import admissible

    designs = [(v, k, 1) for v in range(7, max_v + 1) for k in range(3, v)
               if admissible(v, k, 1) and bibd_construction(v, k, 1)] + LAMBDA_DESIGNS
    graphs: dict[tuple[int, ...], list[list[int]]] = {}
    for v in range(5, beyond + 1):
        for params, _, build in srg_candidates(v):
            if params[3] in (0, params[1]) or params in graphs or 2 * params[1] > v - 1:
                continue  # imprimitive, seen, or the larger-degree member of a complementary pair
            graphs[params] = build().edges()
    payload = {
        "designs": [{"params": list(p), "blocks": [list(b) for b in bibd(*p).blocks]} for p in designs],
        "graphs": [{"params": list(p), "edges": [list(e) for e in edges]} for p, edges in sorted(graphs.items())],
        "timeout": timeout,
    }
    with tempfile.TemporaryDirectory() as folder:
        inp, out = Path(folder) / "in.json", Path(folder) / "out.json"
        inp.write_text(json.dumps(payload))
        start = time.perf_counter()
        subprocess.run([sage_python, __file__, "--sage-side", str(inp), str(out)], check=True)
        result = json.loads(out.read_text())
    result["generated_by"] = {
        "script": "tests/make_sage_vectors.py",
        "sage": result.pop("sage_version"),
        "functions": ["designs.balanced_incomplete_block_design", "graphs.strongly_regular_graph",
                      "IncidenceStructure.is_isomorphic / automorphism_group", "Graph.is_isomorphic / "
                      "automorphism_group / spectrum / triangles_count"],
        "seconds": round(time.perf_counter() - start, 1),
    }
    OUTPUT.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUTPUT}: {len(result['designs'])} designs, {len(result['graphs'])} graphs")


# ---------------------------------------------------------------------------------------------------------
# SageMath's half (runs in SageMath's interpreter)
# ---------------------------------------------------------------------------------------------------------
def sage_side(inp: str, out: str) -> None:  # pragma: no cover - needs SageMath
    import itertools
    import multiprocessing
    from collections import Counter

    import numpy as np
    from sage.all__sagemath_graphs import Graph, designs, graphs
    from sage.combinat.designs.incidence_structures import IncidenceStructure
    from sage.version import version

    payload = json.loads(Path(inp).read_text())
    timeout = int(payload["timeout"])

    context = multiprocessing.get_context("fork")

    def run(queue, function, args):
        queue.put(function(*args))

    def limited(function, *args):
        """function(*args) in a forked child, killed after the time limit (None then)."""
        queue = context.Queue()
        child = context.Process(target=run, args=(queue, function, args))
        child.start()
        child.join(timeout)
        if child.is_alive():
            child.kill()
            child.join()
            return None
        return queue.get() if not queue.empty() else None

    def pasch(blocks, v):
        third = {}
        for b in blocks:
            for x, y in itertools.permutations(b, 2):
                third[(x, y)] = next(z for z in b if z not in (x, y))
        count = 0
        for b1, b2 in itertools.combinations(blocks, 2):
            common = set(b1) & set(b2)
            if len(common) != 1:
                continue
            (a,) = common
            p, q = [x for x in b1 if x != a]
            r, s = [x for x in b2 if x != a]
            count += (third[(p, r)] == third[(q, s)]) + (third[(p, s)] == third[(q, r)])
        return count // 6

    design_rows = []
    for item in payload["designs"]:
        v, k, lam = item["params"]
        ours = designs.balanced_incomplete_block_design(v, k, lam)
        blocks = [sorted(b) for b in ours.blocks()]
        meets = Counter(len(set(x) & set(y)) for x, y in itertools.combinations(blocks, 2))
        gcli_design = IncidenceStructure(v, item["blocks"])
        row = {
            "params": [v, k, lam], "b": len(blocks), "r": lam * (v - 1) // (k - 1),
            "intersections": {str(i): meets.get(i, 0) for i in range(k + 1)},
            "automorphism_group_order": limited(lambda d: int(d.automorphism_group().order()), ours),
            "isomorphic_to_gcli": limited(lambda d, e: bool(d.is_isomorphic(e)), ours, gcli_design),
        }
        if k == 3 and lam == 1:
            row["pasch"] = pasch(blocks, v)
        design_rows.append(row)
        print("design", v, k, lam, row["isomorphic_to_gcli"], flush=True)

    graph_rows = []
    for item in payload["graphs"]:
        params = tuple(item["params"])
        ours = graphs.strongly_regular_graph(*params)
        name = str(ours.name())
        ours = Graph(ours.adjacency_matrix(vertices=ours.vertices(sort=True)))  # vertices 0..v−1, no attached data
        adjacency = np.array(ours.adjacency_matrix(), dtype=float)
        values = np.round(np.linalg.eigvalsh(adjacency), 6) + 0.0
        spectrum = Counter(float(x) for x in values)
        local = Counter()
        for vertex in ours.vertices(sort=True):
            local[ours.subgraph(ours.neighbors(vertex)).triangles_count()] += 1
        theirs = Graph([list(map(int, e)) for e in item["edges"]])
        graph_rows.append({
            "params": list(params), "name": name,
            "spectrum": {repr(x): m for x, m in sorted(spectrum.items())},
            "triangles": int(ours.triangles_count()),
            "k4_per_vertex": {str(c): m for c, m in sorted(local.items())},
            "automorphism_group_order": limited(lambda g: int(g.automorphism_group().order()), ours),
            "isomorphic_to_gcli": limited(lambda g, h: bool(g.is_isomorphic(h)), ours, theirs),
        })
        print("graph", params, graph_rows[-1]["isomorphic_to_gcli"], flush=True)
    Path(out).write_text(json.dumps({"designs": design_rows, "graphs": graph_rows, "sage_version": version}))


def main() -> None:
    if "--sage-side" in sys.argv:
        index = sys.argv.index("--sage-side")
        sage_side(sys.argv[index + 1], sys.argv[index + 2])
        return
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("GCLI_SAGE_PYTHON", "/tmp/sagevenv/bin/python")
    parser.add_argument("--sage-python", default=default)
    parser.add_argument("--max-v", type=int, default=100, help="designs with v up to this")
    parser.add_argument("--beyond", type=int, default=300, help="graphs with v up to this")
    parser.add_argument("--timeout", type=int, default=30, help="seconds per isomorphism / automorphism computation")
    args = parser.parse_args()
    gcli_side(args.sage_python, args.max_v, args.beyond, args.timeout)


if __name__ == "__main__":
    main()
