"""Costs of the coded gradient descent simulator and of exporting decoders, as ratios within one run.

Usage: ``python benchmarks/simulate_bench.py [--repeats 5]``

* one round: :meth:`gcli.training.simulation.CodedScheme.run_round` (encode, pick the responders, decode) for a real
  and a GF(65537) Reed–Solomon code (n = 10, s = 2, m = 2) on digits-sized gradients (k = 10 partitions,
  ℓ = 650), with warm decoder caches (a long run: 45 possible responding sets) and with empty ones (the
  decodability search and the decoder computed from scratch), against computing the partial gradients
  themselves (the model's work every scheme pays) — the simulator's overhead per round;
* a sweep of 4 seeds with :func:`gcli.simulate_many` on 2 threads against the same sweep in this thread;
* ``export --decoders`` for a real code with 1,001 surviving sets (n = 14, s = 4): one batched pseudo-inverse
  against a loop of ``numpy.linalg.pinv`` per set.

Every figure is the median of ``--repeats`` timings (after one warm-up run).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from collections.abc import Callable

import numpy as np

from gcli import local_executor, simulate_many
from gcli.constructions import reed_solomon
from gcli.io.exports import surviving_decoders
from gcli.training.datasets import load_dataset
from gcli.training.models import Model
from gcli.training.simulation import CodedScheme, Quantiser, StragglerModel, Timing, split_samples


def median_time(fn: Callable[[], object], repeats: int) -> float:
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    reps = args.repeats

    data = load_dataset("digits")
    risk = Model("logistic", data)
    parts = split_samples(data.samples, 10, "partitions")
    w = np.zeros(risk.parameters)
    rng = np.random.default_rng(0)
    model = StragglerModel.parse("shifted-exp:1,0.5")
    sizes = np.asarray([p.stop - p.start for p in parts], dtype=np.float64)
    grads = risk.partial_gradients(w, parts)
    gradient_cost = median_time(lambda: risk.partial_gradients(w, parts), reps * 4)
    print(f"partial gradients of digits (10 partitions, l = {risk.parameters}): {gradient_cost * 1e3:.2f} ms")
    for field in ("real", "GF(65537)"):
        code = reed_solomon(10, 2, m=2, field=field)
        quantiser = None if field == "real" else Quantiser.for_field(65537, 10, risk.gradient_bound(parts))
        scheme = CodedScheme(code, quantiser=quantiser)

        def one_round(scheme: CodedScheme = scheme) -> None:
            scheme.run_round(grads, sizes, model.slowdowns(10, rng), Timing(), rng.random(10))

        def cold_round(code: object = code, quantiser: Quantiser | None = quantiser) -> None:
            CodedScheme(code, quantiser=quantiser).run_round(grads, sizes, model.slowdowns(10, rng), Timing(),
                                                             rng.random(10))

        cold = median_time(cold_round, reps * 4)
        for _ in range(200):  # fill the decoder caches, as a long run does
            one_round()
        cost = median_time(one_round, reps * 4)
        print(f"coded round over {field:9s}: {cost * 1e3:.2f} ms warm ({cost / gradient_cost:.3f}x the partial "
              f"gradients), {cold * 1e3:.2f} ms with empty decoder caches ({cold / gradient_cost:.2f}x)")

    code = reed_solomon(10, 2)
    runs = [(code, {"seed": s, "iterations": 40, "dataset": "breast-cancer"}) for s in range(4)]
    sequential = median_time(lambda: simulate_many(runs), reps)

    def threaded() -> None:
        with local_executor(2) as pool:
            simulate_many(runs, executor=pool)

    parallel = median_time(threaded, reps)
    print(f"simulate_many, 4 seeds: sequential {sequential:.2f} s, 2 threads {parallel:.2f} s "
          f"(speed-up {sequential / parallel:.2f}x)")

    big = reed_solomon(14, 4)
    batched = median_time(lambda: surviving_decoders(big), reps)

    def loop() -> None:
        for rows in itertools.combinations(range(14), 10):
            big.target @ np.linalg.pinv(big.encoding[list(rows)])

    looped = median_time(loop, reps)
    print(f"decoders for 1,001 surviving sets: batched {batched * 1e3:.1f} ms, per-set loop {looped * 1e3:.1f} ms "
          f"({looped / batched:.2f}x)")


if __name__ == "__main__":
    main()
