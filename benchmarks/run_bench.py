"""``gcli run`` on a Dask LocalCluster: wall time per iteration of a code against the two uncoded baselines.

Usage: ``python benchmarks/run_bench.py [--iterations 30] [--processes 2] [--unit 0.05] [--plot docs/run.png]``

For a cyclic repetition code (crc, n = 8, s = 2, load d = 3), a Reed–Solomon code with communication
reduction (n = 8, s = 1, m = 2, d = 3) and a hierarchical code (2 relays with 4 workers each, one straggling
worker tolerated per cluster, 4 partitions: load 2 in units of N/8), on a LocalCluster of ``--processes``
processes (8 logical workers each way, plus the relays), logistic regression on synthetic data, with
injected delays

* ``shifted-exp:1,1`` — every worker's slowdown 1 + Exp(1) each iteration (Lee et al.'s model, the delay
  proportional to the load: a coded worker computes d partitions of N/n samples, an uncoded one one);
* ``fixed:2,8`` — two random workers 8 times slower each iteration;
* ``none`` — no injected delay: what a round costs on Dask itself (submit, compute, encode, send, decode).

Reported per scenario: seconds of wall time per iteration of each method (mean over the iterations; rounds
are timed from submit to step, the first untimed warm-up round loads the data), the ratios code / wait for
all and code / ignore stragglers (below 1: the code is faster), and the same ratios predicted by
:func:`gcli.simulate` with the same delays (``Timing(1, 0)``: time proportional to slowdown × load, no
communication cost) — the runtime against the simulator (which has no relay tier: "-" for the hierarchical
code; "msgs" counts the relays the server used). The crc run with shifted-exponential delays is
drawn to ``--plot`` (loss against wall time), the one with fixed slow workers next to it (``run_fixed_slow.png``).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from gcli import simulate
from gcli.constructions import cyclic_repetition, hierarchical, reed_solomon
from gcli.plots import plot_simulation
from gcli.training.runtime import connect, run
from gcli.training.simulation import StragglerModel, Timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--unit", type=float, default=0.05, help="seconds per unit of slowdown x load")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plot", default="docs/run.png")
    args = parser.parse_args()
    codes = {"crc n=8 s=2": cyclic_repetition(8, 2), "rs n=8 s=1 m=2": reed_solomon(8, 1, m=2),
             "hier 2 relays x 4 s_w=1": hierarchical(2, 4, s_w=1)}
    scenarios = ["shifted-exp:1,1", "fixed:2,8", "none"]
    rows = []
    start = time.perf_counter()
    with connect(local=args.processes, threads=8) as client:
        for delay in scenarios:
            for name, code in codes.items():
                result = run(code, client, iterations=args.iterations, delay_model=delay, delay_unit=args.unit,
                             seed=args.seed)
                assert max(result.coded.gradient_error) < 1e-9, "an exact code must decode the exact gradient"
                per = {key: float(np.mean(trace.wall)) for key, trace in
                       [("coded", result.coded), *result.baselines.items()]}
                predicted: dict[str, float] = {}
                if delay != "none" and not name.startswith("hier"):  # the simulator has no relay tier
                    sim = simulate(code, iterations=args.iterations, stragglers=StragglerModel.parse(delay),
                                   timing=Timing(1.0, 0.0), seed=args.seed)
                    predicted = {key: trace.time[-1] for key, trace in
                                 [("coded", sim.coded), *sim.baselines.items()]}
                rows.append((delay, name, per, predicted, float(np.mean(result.coded.responders))))
                if name.startswith("crc") and delay != "none" and args.plot:
                    target = Path(args.plot)
                    path = target if delay.startswith("shifted-exp") else \
                        target.with_name(f"{target.stem}_fixed_slow{target.suffix}")
                    plot_simulation(result, path, time_label="wall time (s)")
    total = time.perf_counter() - start
    print(f"gcli run on a LocalCluster of {args.processes} processes, {args.iterations} iterations, delay unit "
          f"{args.unit:g} s; logistic regression, synthetic data (512 x 16); seed {args.seed}")
    header = ("delays", "code", "code s/it", "all s/it", "ignore s/it", "code/all", "code/ignore",
              "sim code/all", "sim code/ignore", "msgs")
    lines = [header]
    for delay, name, per, predicted, msgs in rows:
        lines.append((
            delay, name, f"{per['coded']:.3f}", f"{per['wait_for_all']:.3f}", f"{per['ignore_stragglers']:.3f}",
            f"{per['coded'] / per['wait_for_all']:.2f}", f"{per['coded'] / per['ignore_stragglers']:.2f}",
            f"{predicted['coded'] / predicted['wait_for_all']:.2f}" if predicted else "-",
            f"{predicted['coded'] / predicted['ignore_stragglers']:.2f}" if predicted else "-",
            f"{msgs:.2f}",
        ))
    widths = [max(len(r[i]) for r in lines) for i in range(len(header))]
    for r in lines:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    print(f"(benchmark took {total:.0f} s; plots: {args.plot} and its _fixed_slow twin)")


if __name__ == "__main__":
    main()
