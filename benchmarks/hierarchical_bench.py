"""Hierarchical codes: the layered certificate at K = 20 relays of 20 workers, and layered against brute force.

Not a test (run it by hand): ``python benchmarks/hierarchical_bench.py [--quick] [--repeat R]``.

1. K = 20 relays, clusters of N = 20 workers, s_r = 2, a_r = 1, s_w = 2, a_w = 1, m_1 = 3, m_2 = 4 (P = 100
   partitions, d = 14): time to build and to certify with :func:`gcli.certification.hierarchical.verify_hierarchical` —
   21 layers of C(20, 16) = 4,845 surviving sets each, in place of 4,845^17 ≈ 4.47e62 combined patterns —
   over GF(65537) and over the reals, on one thread and on the machine's cores (threads).
2. Small instances where the brute force is feasible: :func:`gcli.certification.hierarchical.product_check` (every
   combined pattern, rank tests on composite matrices) against the layered certificate; the ratio
   brute / layered, measured in the same run.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

from gcli.certification.engine import default_jobs, local_executor
from gcli.certification.hierarchical import product_check, product_patterns, verify_hierarchical
from gcli.constructions import hierarchical

BIG = dict(s_r=2, a_r=1, s_w=2, a_w=1, m_1=3, m_2=4)
SMALL = [  # (K, N, s_r, s_w)
    (4, 4, 1, 1),
    (5, 5, 1, 1),
    (4, 6, 1, 2),
]


def _best(times: list[float]) -> str:
    return f"{min(times):.2f} s (median {statistics.median(times):.2f})"


def big(repeat: int, fields: list[str]) -> None:
    jobs = default_jobs()
    print(f"K = 20 relays of N = 20 workers, {BIG}; {jobs} core(s)")
    for field in fields:
        start = time.perf_counter()
        hcode = hierarchical(20, 20, field=field, **BIG)
        built = time.perf_counter() - start
        tolerance = 1e-6 if field == "real" else 1e-8
        verify_hierarchical(hcode, tolerance=tolerance, sample=8)  # warm-up: compile or load the kernels
        single, multi = [], []
        for _ in range(repeat):
            report = verify_hierarchical(hcode, tolerance=tolerance)
            single.append(report.seconds)
            with local_executor(jobs) as executor:
                multi.append(verify_hierarchical(hcode, tolerance=tolerance, executor=executor).seconds)
        strict = verify_hierarchical(hcode).certified if field == "real" else report.certified
        print(f"  {field:10s} build {built:.2f} s; certify {report.patterns_checked:,} sets: 1 thread "
              f"{_best(single)}, {jobs} threads {_best(multi)}; certified={report.certified} (tolerance "
              f"{tolerance:g}; at 1e-8: {strict})"
              + (f"; worst cond: relays {report.relay_layer.worst_condition_number:.3g}, clusters "
                 f"{max(r.worst_condition_number or 0 for r in report.cluster_layers):.3g}" if field == "real" else ""))


def small(repeat: int) -> None:
    print("layered certificate against the brute force over every combined pattern (same run)")
    for field in ("GF(65537)", "real"):
        for k, n, s_r, s_w in SMALL:
            hcode = hierarchical(k, n, s_r=s_r, s_w=s_w, m_2=1, field=field)
            verify_hierarchical(hcode)  # warm-up
            layered, brute = [], []
            for _ in range(repeat):
                start = time.perf_counter()
                assert verify_hierarchical(hcode).certified
                layered.append(time.perf_counter() - start)
                start = time.perf_counter()
                assert product_check(hcode).decodable
                brute.append(time.perf_counter() - start)
            ratio = min(brute) / min(layered)
            print(f"  {field:10s} K={k} N={n} s_r={s_r} s_w={s_w}: {product_patterns(hcode):,} combined patterns "
                  f"brute {min(brute) * 1e3:.1f} ms, layered {min(layered) * 1e3:.1f} ms: ratio {ratio:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="GF(65537) only at K = N = 20, one repetition")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}")
    repeat = 1 if args.quick else args.repeat
    big(repeat, ["GF(65537)"] if args.quick else ["GF(65537)", "real"])
    small(repeat)


if __name__ == "__main__":
    main()
