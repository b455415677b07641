"""Benchmark: the approximation engine against a per-set ``numpy.linalg.lstsq`` loop, whole processes, same run.

Codes with more than 10⁵ surviving sets (gcli's conventions: error = ‖X·B_F − T‖_F²):

* ``graph``: the expander code B = A/4 of a seeded random 4-regular graph on 22 vertices, s = 11
  (C(22, 11) = 705 432 sets of 11 responders), m = 1;
* ``nullspace``: the unbiased null-space code with m = 2 on a seeded random 4-regular bipartite support with
  22 workers, s = 11 (705 432 sets), B of shape 22 × 44.

Each side is a fresh Python process started from the shell (interpreter start, imports, loading the code from its
JSON file, the compiled kernels from numba's cache, and the computation), timed with ``time.perf_counter`` around
``subprocess.run``:

* **engine** — :func:`gcli.approximation_statistics`: worst and mean error over every set for the optimal
  (least-squares), fixed and unbiased decoders, in one pass of the compiled kernels (one thread);
* **baseline** — the obvious loop: for every set, ``numpy.linalg.lstsq(B_Fᵀ, Tᵀ)`` and the fixed decoder's error
  by a matrix product (the worst and mean of both);
* **verify** — the whole ``gcli verify FILE --json`` (for information: it also runs the QR stability pass, the
  expectation over the failure patterns, the exact straggler counts and the bounds).

Both sides agree on the worst and mean optimal errors to 1e-9 (checked). The ratio baseline/engine is printed per
repetition; the machine is shared, so read ranges, not single numbers.

Run: ``python benchmarks/approximation_bench.py [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENGINE = """
import json, sys
import gcli

code = gcli.load_code(sys.argv[1])
stats = gcli.approximation_statistics(code, stragglers=int(sys.argv[2]), failure_prob=0.25, force=True)
print(json.dumps({name: [d["worst_error"], d["mean_error"], d["sets"]] for name, d in stats.items()}))
"""

BASELINE = """
import itertools, json, sys
import numpy as np
obj = json.load(open(sys.argv[1]))
n, m, k = obj["n"], obj["m"], obj["k"]
enc = obj["encoding"]
if isinstance(enc, dict):  # compressed rows
    B = np.zeros(enc["shape"])
    B[np.repeat(np.arange(n), np.diff(enc["indptr"])), enc["indices"]] = enc["data"]
else:
    B = np.asarray(enc, dtype=float)
T = np.zeros((m, k * m))
for u in range(m):
    T[u, u::m] = 1.0
dec = obj["construction"]["decoder"]
X = np.asarray(dec["matrix"], dtype=float) if "matrix" in dec else np.ones((1, n))
s = int(sys.argv[2])
r = n - s
worst_opt = worst_fix = -1.0
total_opt = total_fix = 0.0
count = 0
for F in itertools.combinations(range(n), r):
    rows = list(F)
    BF = B[rows]
    Y = np.linalg.lstsq(BF.T, T.T, rcond=None)[0]
    e = float(np.sum((Y.T @ BF - T) ** 2))
    f = float(np.sum(((n / r) * X[:, rows] @ BF - T) ** 2))
    worst_opt, worst_fix = max(worst_opt, e), max(worst_fix, f)
    total_opt += e
    total_fix += f
    count += 1
print(json.dumps({"optimal": [worst_opt, total_opt / count, count], "fixed": [worst_fix, total_fix / count, count]}))
"""


def _timed(args: list[str], check: bool = True) -> tuple[float, str]:
    begin = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, check=check)
    return time.perf_counter() - begin, proc.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from gcli import dumps
    from gcli.constructions import graph_code

    codes = {
        "graph": (graph_code("random-regular", n=22, d=4, s=11, seed=1), 11),
        "nullspace": (graph_code("bipartite-regular", n=22, d=4, s=11, seed=1, m=2), 11),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, (code, s) in codes.items():
            path = Path(tmp) / f"{name}.json"
            path.write_text(dumps(code))
            print(f"{name}: {code!r}, s = {s}")
            for rep in range(args.repeat):
                t_engine, out_engine = _timed([sys.executable, "-c", ENGINE, str(path), str(s)])
                t_base, out_base = _timed([sys.executable, "-c", BASELINE, str(path), str(s)])
                cli = [sys.executable, "-c", "from gcli.cli import main; main()"]
                t_verify, _ = _timed([*cli, "verify", str(path), "--json", "-q"]) if rep == 0 else (math.nan, "")
                engine, base = json.loads(out_engine), json.loads(out_base)
                for key in ("optimal", "fixed"):
                    assert engine[key][2] == base[key][2] > 100_000
                    assert abs(engine[key][0] - base[key][0]) <= 1e-9 * max(1.0, base[key][0]), (key, engine, base)
                    assert abs(engine[key][1] - base[key][1]) <= 1e-9 * max(1.0, base[key][1]), (key, engine, base)
                verify = "" if rep else f"; whole gcli verify --json {t_verify:.2f} s"
                print(f"  run {rep + 1}: {engine['optimal'][2]:,} sets; engine {t_engine:.2f} s, lstsq loop "
                      f"{t_base:.2f} s: {t_base / t_engine:.1f}x{verify}")


if __name__ == "__main__":
    main()
