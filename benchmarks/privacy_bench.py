"""Private hierarchical codes on the full grid of issue 23, and what privacy buys.

Not a test (run it by hand): ``python benchmarks/privacy_bench.py [--quick] [--fields GF(11),GF(65537)]``.

For every K ≤ 6 relays, clusters of N ≤ 8 workers, s_r, s_w ≤ 2, m_1, m_2 ∈ {1, 2} (``--adversaries``: also a_r,
a_w ∈ {0, 1}) that the private construction accepts:

1. ``verify`` certifies the private code: every relay PRIVATE, every pattern decodable through the masks, the
   loads equal to the bound — and the loads (C1, C2) equal to those of the non-private code with the same
   parameters;
2. leakage: how many relays of the non-private code learn something, how many rebuild a whole partial gradient
   block, the largest leakage — and the same for the private code (0 everywhere);
3. cost of the check: verify time of the private code over the non-private one, as a ratio measured in the
   same run (medians).

``--simulate TRIALS``: instead, end-to-end simulations on a few designs with stragglers and lying workers and
relays (:func:`gcli.certification.hierarchical.simulate`): every trial of the private code must give the exact sum
(fresh masks per trial), and the time of the private simulation over the non-private one (same parameters, same
trials, interleaved, median of ``--repeat`` rounds) is the cost of decoding through the masks.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time

from gcli.certification.hierarchical import privacy_report, simulate, verify_hierarchical
from gcli.constructions import hierarchical
from gcli.errors import InputError


def grid(quick: bool, adversaries: bool) -> list[dict[str, int]]:
    ks = range(2, 5) if quick else range(2, 7)
    ns = range(1, 6) if quick else range(1, 9)
    faults = range(2) if quick else range(3)
    evil = (0, 1) if adversaries else (0,)
    return [dict(k=k, n=n, s_r=sr, s_w=sw, a_r=ar, a_w=aw, m_1=m1, m_2=m2)
            for k, n, sr, sw, ar, aw, m1, m2 in itertools.product(ks, ns, faults, faults, evil, evil, (1, 2), (1, 2))]


def run(field: str, quick: bool, adversaries: bool) -> None:
    designs = bad = 0
    leaky_relays = exposed_relays = relays = 0
    worst = 0
    ratios: list[float] = []
    failures: list[dict[str, int]] = []
    for p in grid(quick, adversaries):
        args = dict(s_r=p["s_r"], a_r=p["a_r"], s_w=p["s_w"], a_w=p["a_w"], m_1=p["m_1"], m_2=p["m_2"], field=field)
        try:
            private = hierarchical(p["k"], p["n"], private=True, **args)
        except InputError:
            continue
        plain = hierarchical(p["k"], p["n"], **args)
        designs += 1
        t0 = time.perf_counter()
        report = verify_hierarchical(private)
        t1 = time.perf_counter()
        plain_report = verify_hierarchical(plain)
        t2 = time.perf_counter()
        ratios.append((t1 - t0) / max(t2 - t1, 1e-9))
        ok = (report.certified and report.privacy is not None and report.privacy.private
              and report.privacy.decodable and report.loads == plain_report.loads)
        if not ok:
            bad += 1
            failures.append(p)
        leak = privacy_report(plain)
        relays += len(leak.relays)
        leaky_relays += sum(not r.private for r in leak.relays)
        exposed_relays += sum(bool(r.exposed) for r in leak.relays)
        worst = max([worst, *(r.dimension for r in leak.relays)])
    print(f"{field}: {designs} private designs; {designs - bad} certified PRIVATE + decodable with the loads of the "
          f"non-private code; failures: {failures[:5]}")
    print(f"  non-private codes: {leaky_relays} of {relays} relays learn something, {exposed_relays} rebuild a whole "
          f"partial-gradient block, largest leakage {worst}; private codes: 0 of {relays}")
    if ratios:
        print(f"  verify time, private / non-private (same run): median {statistics.median(ratios):.2f}, "
              f"max {max(ratios):.2f}")


SIMULATED = [  # (K, N, s_r, a_r, s_w, a_w, m_1, m_2)
    (3, 4, 1, 0, 1, 0, 1, 2),
    (4, 5, 1, 0, 1, 1, 1, 1),
    (5, 5, 1, 1, 1, 1, 1, 1),
    (5, 8, 1, 0, 2, 1, 2, 2),
    (6, 8, 2, 0, 2, 0, 2, 3),
]


def simulations(field: str, trials: int, repeat: int) -> None:
    for k, n, s_r, a_r, s_w, a_w, m_1, m_2 in SIMULATED:
        args = dict(s_r=s_r, a_r=a_r, s_w=s_w, a_w=a_w, m_1=m_1, m_2=m_2, field=field)
        private = hierarchical(k, n, private=True, **args)
        plain = hierarchical(k, n, **args)
        simulate(private, 1), simulate(plain, 1)  # build the masked layers and warm galois outside the timings
        times: dict[str, list[float]] = {"private": [], "plain": []}
        report = None
        for _ in range(repeat):
            for name, code in (("private", private), ("plain", plain)):
                t0 = time.perf_counter()
                out = simulate(code, trials, seed=1)
                times[name].append(time.perf_counter() - t0)
                if name == "private":
                    report = out
        assert report is not None
        ratio = statistics.median(times["private"]) / statistics.median(times["plain"])
        print(f"{field} K={k} N={n} s_r={s_r} a_r={a_r} s_w={s_w} a_w={a_w} m_1={m_1} m_2={m_2}: "
              f"{report.correct}/{report.trials} exact sums with {report.random_symbols} random symbols, decoders "
              f"{report.cluster_decoder}/{report.relay_decoder}, over budget wrong-and-exposed "
              f"{sum(v['wrong_exposed'] for v in report.over_budget.values())}; time private/non-private "
              f"{ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="K <= 4, N <= 5, s <= 1")
    parser.add_argument("--adversaries", action="store_true", help="also a_r, a_w in {0, 1}")
    parser.add_argument("--fields", default="GF(11),GF(65537)")
    parser.add_argument("--simulate", type=int, default=None, metavar="TRIALS",
                        help="end-to-end simulations of a few designs instead of the grid")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of --simulate timings (medians)")
    args = parser.parse_args()
    for field in args.fields.split(","):
        if args.simulate:
            simulations(field, args.simulate, args.repeat)
        else:
            run(field, args.quick, args.adversaries)


if __name__ == "__main__":
    main()
