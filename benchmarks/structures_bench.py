"""Benchmark: build and certify structures with v ≈ 1000.

- srg: Paley(1009) (v = 1009, k = 504), certified by A² = kI + λA + μ(J − I − A) with float64 BLAS in row
chunks;
  baseline in the same process: the same product with numpy's integer matmul (no BLAS).
- bibd: PG(2,31) via the Singer difference set (v = b = 993, k = 32), certified by a sparse N·Nᵀ; baseline: a
  Python pair count over all blocks.
- the code path: ``gcli design srg`` / ``bibd`` objects certified again by ``gcli.structures`` after a JSON
round
  trip (what ``gcli verify`` does).

Run: python benchmarks/structures_bench.py
"""

from __future__ import annotations

import itertools
import time
from collections import Counter

import numpy as np

from gcli.constructions.designs import bibd, bibd_code, check_bibd
from gcli.constructions.graphs import srg_code
from gcli.constructions.srg import check_srg, paley_graph
from gcli.io import dumps, loads
from gcli.structures import certify_structure


def timed(label: str, fn):
    start = time.perf_counter()
    value = fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<58} {elapsed:8.3f} s")
    return value, elapsed


def main() -> None:
    paley_graph(13)  # warm up galois (JIT compilation is a one-off cost, measured separately below)
    graph, t_build = timed("srg: build + certify Paley(1009)", lambda: paley_graph(1009))
    _, t_check = timed("srg: certify again (check_srg, float64 BLAS chunks)",
        lambda: check_srg(graph.adjacency))
    dense = graph.adjacency.toarray().astype(np.int64)
    _, t_base = timed("srg: baseline integer A @ A (numpy int64, no BLAS)", lambda: dense @ dense)
    print(f"{'  certification speed-up over the integer baseline':<58} {t_base / t_check:8.1f} x")

    design, _ = timed("bibd: build + certify PG(2,31) (Singer, v = 993)", lambda: bibd(993, 32, 1))
    _, t_sparse = timed("bibd: certify again (sparse N·Nᵀ)", lambda: check_bibd(993, design.blocks, 32, 1))

    def pair_count() -> bool:
        pairs = Counter(p for b in design.blocks for p in itertools.combinations(b, 2))
        return len(pairs) == 993 * 992 // 2 and set(pairs.values()) == {1}

    _, t_pairs = timed("bibd: baseline Python pair count", pair_count)
    print(f"{'  certification speed-up over the pair count':<58} {t_pairs / t_sparse:8.1f} x")

    for label, build in (("bibd -v 993 -k 32", lambda: bibd_code(993, 32, 1, s=5)),
                         ("srg --params 1009,504,251,252", lambda: srg_code(params="1009,504,251,252"))):
        code, _ = timed(f"code: gcli design {label}", build)
        text, _ = timed("code: write JSON (gcli.io.dumps)", lambda code=code: dumps(code))
        loaded, _ = timed("code: read JSON (gcli.io.loads, schema-validated)", lambda text=text: loads(text))
        report, _ = timed("code: structure certificate (what verify adds)",
                          lambda loaded=loaded: certify_structure(loaded))
        assert report is not None and report.certified
    del t_build


if __name__ == "__main__":
    main()
