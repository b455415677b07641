"""Conditioning of real gradient codes by family, and what the numerical guarantees cost.

Not a test (run it by hand): ``python benchmarks/conditioning_bench.py [--seeds N] [--rates] [--sweep]
[--decoders]``.

* Default: for n ∈ {8, 12, 16, 20, 24, 30}, two settings — m = 1, s = 2 (load 3) and m = 2, s = 2 (load 4) —
  the worst condition number κ(B_F) over *all* surviving sets and the worst relative float64 decoding error
  of random N(0, 1) gradients (least-squares decoder, :func:`gcli.stability_report`, seed 0), for every real
  family gcli builds, as ratios against the best family at that n (1 = best). Families drawn at random
  (Tandon et al.'s crc, Gaussian mds) are shown as the median over ``--seeds`` seeds (default 10). The complex
  cyclic MDS code of Raviv et al. (not a real code: a reference) is listed for m = 1. Markdown, ready for the
  README.
* ``--rates``: certification throughput (surviving sets per second of ``verify`` on one thread) for codes up
  to n = 40, against the estimate of ``constructions._common.certification_plan`` (ratio measured/model < 1
  means the model is conservative), and the time ``design`` takes (build + certification).
* ``--sweep``: every real reed-solomon, crc and mds design for n ∈ {8, 10, …, 40}, s ≤ 4, m ≤ 4, a ≤ 1: how
  many are written and how many refused (with the condition numbers they would reach), each written code
  verified again (exhaustively up to 20 000 sets, else 2 000 sets of another seed).
* ``--decoders``: time per decode with the structured decoder against the generic least-squares / elimination
  decoder (ratio generic / structured), same responders, same messages.
"""

from __future__ import annotations

import argparse
import itertools
import math
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np

import gcli
from gcli.certification.stability import stability_report
from gcli.code import Code
from gcli.constructions import cyclic_repetition, fractional_repetition, mds, reed_solomon
from gcli.constructions._common import certification_cost, certification_plan
from gcli.errors import InputError

SIZES = (8, 12, 16, 20, 24, 30)


def _measure(code: Code) -> tuple[float, float]:
    report = stability_report(code, budget=10**7)
    return report.worst_condition_number, report.worst_relative_error


def _complex_cyclic(n: int, s: int) -> tuple[float, float]:
    """Raviv et al.'s circulant over ℂ (roots e^{2πij/n}, j = 1..s): worst κ and float64 error, exhaustive."""
    coeffs = np.array([1.0 + 0j])
    for j in range(1, s + 1):
        coeffs = np.convolve(coeffs, [1.0, -np.exp(2j * np.pi * j / n)])
    g = coeffs[::-1]
    b = np.zeros((n, n), dtype=complex)
    for i in range(n):
        b[i, [(i + t) % n for t in range(s + 1)]] = g
    rng = np.random.default_rng(0)
    grads = rng.standard_normal((n, 16))
    sent = b @ grads
    truth = grads.sum(axis=0)
    worst_k, worst_e = 0.0, 0.0
    for rows in itertools.combinations(range(n), n - s):
        sub = b[list(rows)]
        sv = np.linalg.svd(sub, compute_uv=False)
        worst_k = max(worst_k, sv[0] / sv[-1])
        decoder = np.ones((1, n)) @ np.linalg.pinv(sub)
        worst_e = max(worst_e, float(np.linalg.norm((decoder @ sent[list(rows)]).real - truth)
                                     / np.linalg.norm(truth)))
    return worst_k, worst_e


Family = tuple[str, Callable[[int, int], Code | None], bool]  # name, build(n, seed), seeded?


def _families(m: int) -> list[Family]:
    s = 2

    def frc(n: int, seed: int) -> Code | None:
        return fractional_repetition(n, s) if n % (s + 1) == 0 else None

    if m == 1:
        return [
            ("crc fourier (default)", lambda n, seed: cyclic_repetition(n, s), False),
            ("crc gaussian (Tandon et al.)", lambda n, seed: cyclic_repetition(n, s, code="gaussian", seed=seed),
             True),
            ("reed-solomon chebyshev", lambda n, seed: reed_solomon(n, s), False),
            ("reed-solomon equispaced", lambda n, seed: reed_solomon(n, s, points="equispaced"), False),
            ("frc (needs 3 | n)", frc, False),
        ]
    return [
        ("mds fourier, auto placement (default)", lambda n, seed: mds(n, s, m=m), False),
        ("mds fourier, cyclic", lambda n, seed: mds(n, s, m=m, placement="cyclic"), False),
        ("mds gaussian, groups (needs 4 | n)",
         lambda n, seed: mds(n, s, m=m, code="gaussian", seed=seed) if n % (s + m) == 0 else None, True),
        ("mds gaussian, cyclic", lambda n, seed: mds(n, s, m=m, code="gaussian", placement="cyclic", seed=seed),
         True),
        ("reed-solomon chebyshev", lambda n, seed: reed_solomon(n, s, m=m), False),
        ("reed-solomon equispaced", lambda n, seed: reed_solomon(n, s, m=m, points="equispaced"), False),
    ]


def conditioning_tables(seeds: int) -> None:
    for m in (1, 2):
        fams = _families(m)
        results: dict[str, dict[int, tuple[float, float] | str]] = {name: {} for name, _, _ in fams}
        if m == 1:
            results["complex cyclic MDS (Raviv et al.; reference, not real)"] = {}
        for n in SIZES:
            for name, build, seeded in fams:
                values = []
                for seed in range(seeds if seeded else 1):
                    try:
                        code = build(n, seed)
                    except InputError as exc:
                        values = [f"refused ({str(exc).split('condition number ')[-1].split(' ')[0]})"]
                        break
                    if code is None:
                        values = ["—"]
                        break
                    values.append(_measure(code))
                if isinstance(values[0], str):
                    results[name][n] = values[0]
                else:
                    results[name][n] = (statistics.median(v[0] for v in values),
                                        statistics.median(v[1] for v in values))
            if m == 1:
                results["complex cyclic MDS (Raviv et al.; reference, not real)"][n] = _complex_cyclic(n, 2)
        for column, label in ((0, "worst condition number κ(B_F)"), (1, "worst relative float64 decoding error")):
            print(f"\n### m = {m}, s = 2 (load {2 + m}): {label}, ratio to the best family at each n "
                  f"(absolute value of the best in the last row; seeded families: median of {seeds} seeds)\n")
            print("| family | " + " | ".join(f"n = {n}" for n in SIZES) + " |")
            print("|---|" + "---|" * len(SIZES))
            best = {}
            for n in SIZES:
                real = [v[column] for name, row in results.items() if "reference" not in name
                        for v in [row[n]] if not isinstance(v, str)]
                best[n] = min(real)
            for name, row in results.items():
                cells = []
                for n in SIZES:
                    v = row[n]
                    cells.append(v if isinstance(v, str) else f"{v[column] / best[n]:.3g}")
                print(f"| {name} | " + " | ".join(cells) + " |")
            print("| *best (absolute)* | " + " | ".join(f"{best[n]:.3g}" for n in SIZES) + " |")


def readme_claim(seeds: int) -> None:
    """Issue 11 item 7: n = 10, s = 2, m = 2, the families of the README's comparison."""
    print(f"\n### n = 10, s = 2, m = 2 (load 4), all 45 surviving sets; gaussian: {seeds} seeds\n")
    print("| code | worst κ | median κ | worst float64 error |")
    print("|---|---|---|---|")
    rows: list[tuple[str, list[Code]]] = [
        ("reed-solomon chebyshev", [reed_solomon(10, 2, m=2)]),
        ("reed-solomon equispaced", [reed_solomon(10, 2, m=2, points="equispaced")]),
        ("mds gaussian, cyclic", [mds(10, 2, m=2, code="gaussian", placement="cyclic", seed=i)
                                  for i in range(seeds)]),
        ("mds fourier, cyclic", [mds(10, 2, m=2, placement="cyclic")]),
    ]
    for name, codes in rows:
        reports = [stability_report(c) for c in codes]
        worst = [r.worst_condition_number for r in reports]
        median = [r.median_condition_number for r in reports]
        err = [r.worst_relative_error for r in reports]

        def fmt(values: list[float]) -> str:
            if len(values) == 1:
                return f"{values[0]:.3g}"
            return f"{statistics.median(values):.3g} ({min(values):.3g}–{max(values):.3g})"

        print(f"| {name} | {fmt(worst)} | {fmt(median)} | {fmt(err)} |")


def rates() -> None:
    from gcli import verify

    print("\n### certification throughput (one thread) and design time\n")
    print("| code | surviving sets | checked | sets/s measured | sets/s model | measured / model | design s |")
    print("|---|---|---|---|---|---|---|")
    cases: list[tuple[str, Callable[[], Code]]] = [
        ("crc n=20, s=5", lambda: cyclic_repetition(20, 5)),
        ("crc n=40, s=3", lambda: cyclic_repetition(40, 3)),
        ("mds n=20, s=5, m=4", lambda: mds(20, 5, m=4)),
        ("mds n=40, s=3, m=4", lambda: mds(40, 3, m=4)),
        ("mds n=40, s=3, m=8", lambda: mds(40, 3, m=8)),
        ("reed-solomon n=24, s=4", lambda: reed_solomon(24, 4)),
        ("reed-solomon GF(65537) n=20, s=5", lambda: reed_solomon(20, 5, field="GF(65537)")),
        ("mds GF(65537) n=40, s=4, m=2", lambda: mds(40, 4, m=2, field="GF(65537)")),
        ("mds GF(2^8) n=30, s=3, m=3", lambda: mds(30, 3, m=3, field="GF(2^8)")),
    ]
    for name, build in cases:
        build()  # warm-up: kernels, field tables
        begin = time.perf_counter()
        code = build()
        design = time.perf_counter() - begin
        total, count = certification_plan(code)
        probe = min(total, 3000)
        verify(code, sample=16, seed=5)
        begin = time.perf_counter()
        verify(code, sample=probe, seed=5)
        measured = probe / (time.perf_counter() - begin)
        model = 1 / certification_cost(code)
        print(f"| {name} | {total:,} | {count:,} | {measured:,.0f} | {model:,.0f} | {measured / model:.2f} "
              f"| {design:.2f} |")


def sweep() -> None:
    from gcli import verify

    written, refused, failed = 0, [], []
    begin = time.perf_counter()
    for n in range(8, 41, 2):
        for s, m, a in itertools.product(range(5), range(1, 5), range(2)):
            for scheme in ("reed-solomon", "crc", "mds"):
                if scheme == "crc" and (m > 1 or a > 0):
                    continue
                if s + 2 * a + m > n:
                    continue
                try:
                    if scheme == "reed-solomon":
                        code = reed_solomon(n, s, m=m, a=a)
                    elif scheme == "crc":
                        code = cyclic_repetition(n, s)
                    else:
                        code = mds(n, s, m=m, a=a)
                except InputError as exc:
                    kappa = str(exc).split("condition number ")[-1].split(" ")[0]
                    refused.append((scheme, n, s, m, a, kappa))
                    continue
                total = math.comb(n, n - s - 2 * a)
                report = verify(code, budget=total) if total <= 20_000 else verify(code, sample=2000, seed=12345)
                written += 1
                if not report.decodable:
                    failed.append((scheme, n, s, m, a))
    print(f"\n### sweep: {written} codes written and verified again, {len(failed)} failures, {len(refused)} "
          f"refused ({time.perf_counter() - begin:.0f} s)")
    for scheme in ("reed-solomon", "crc", "mds"):
        mine = [r for r in refused if r[0] == scheme]
        print(f"- {scheme}: {len(mine)} refused" + (f", smallest n {min(r[1] for r in mine)}" if mine else ""))
    for row in refused[:12]:
        print(f"  refused {row[0]} n={row[1]} s={row[2]} m={row[3]} a={row[4]}: κ {row[5]}")
    for row in failed:
        print(f"  FAILED {row}")


def decoders() -> None:
    print("\n### decoding time: structured decoder against the generic one (same responders, ℓ = 256)\n")
    print("| code | structured ms | generic ms | generic / structured |")
    print("|---|---|---|---|")
    cases: list[tuple[str, Callable[[], Code]]] = [
        ("mds fourier groups n=400, s=2, m=2", lambda: mds(400, 2, m=2)),
        ("mds fourier cyclic n=101, s=2, m=2", lambda: mds(101, 2, m=2)),
        ("crc fourier n=101, s=3", lambda: cyclic_repetition(101, 3)),
        ("reed-solomon real n=24, s=2, m=2", lambda: reed_solomon(24, 2, m=2)),
        ("reed-solomon GF(65537) n=200, s=4, m=2", lambda: reed_solomon(200, 4, m=2, field="GF(65537)")),
        ("mds GF(65537) groups n=400, s=2, m=2", lambda: mds(400, 2, m=2, field="GF(65537)")),
    ]
    for name, build in cases:
        code = build()
        rng = np.random.default_rng(0)
        ell = 256 * code.m
        grads = (rng.standard_normal((code.k, ell)) if code.is_real
                 else code.field(rng.integers(0, code.field.order, size=(code.k, ell))))
        sent = code.encode(grads)
        rows = sorted(rng.choice(code.n, code.responders, replace=False).tolist())
        times = {}
        for method in ("structured", "generic"):
            gcli.decode(code, rows, sent[rows], method=method)  # warm-up
            begin = time.perf_counter()
            repeats = 3
            for _ in range(repeats):
                got = gcli.decode(code, rows, sent[rows], method=method)
            times[method] = (time.perf_counter() - begin) / repeats * 1e3
            truth = grads.sum(axis=0)
            ok = np.allclose(got, truth, atol=1e-8 * np.abs(grads).sum()) if code.is_real else np.array_equal(got,
                                                                                                            truth)
            assert ok, (name, method)
        print(f"| {name} | {times['structured']:.2f} | {times['generic']:.1f} | "
              f"{times['generic'] / times['structured']:,.0f}× |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=10, help="seeds for the randomised families")
    parser.add_argument("--rates", action="store_true", help="certification throughput and design time")
    parser.add_argument("--sweep", action="store_true", help="every real design up to n = 40")
    parser.add_argument("--decoders", action="store_true", help="structured against generic decoding")
    parser.add_argument("--only", action="store_true", help="skip the conditioning tables")
    args = parser.parse_args()
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"numpy {np.__version__}")
    if not args.only:
        conditioning_tables(args.seeds)
        readme_claim(args.seeds)
    if args.rates:
        rates()
    if args.decoders:
        decoders()
    if args.sweep:
        sweep()


if __name__ == "__main__":
    main()
