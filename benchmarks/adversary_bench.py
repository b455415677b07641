"""Beyond the budget: what the hierarchical decoders do with one liar too many (issue 20, item 4).

Not a test (run it by hand): ``python benchmarks/adversary_bench.py [--trials T] [--seed S]``.

For each code and each layer (the relays' layer decoded by the server, one cluster's layer decoded by its relay)
every trial injects s stragglers and a + 1 liars into that layer (half the lies garbage in every coordinate,
half in one coordinate only; every other sender honest) and decodes end to end
(:func:`gcli.certification.hierarchical.over_budget_trial`). Counts per layer: decoded exactly, refused
(:class:`gcli.InconsistentMessages`), wrong sum, and wrong sum that an exhaustive consistency check of the received
words (:func:`gcli.certification.hierarchical.received_consistent`: every set of a senders set aside) would have exposed
—
the last must be 0. Wrong sums that remain are lies the received words cannot show (another codeword within a of
them: no decoder can tell), e.g. layers with no surplus (n − s = K).
"""

from __future__ import annotations

import argparse

import numpy as np

from gcli.certification.hierarchical import over_budget_trial
from gcli.constructions import hierarchical

CODES = [  # (label, hierarchical(...) keyword arguments)
    ("GF(5), K=4 N=5, a_r=a_w=1", dict(relays=4, workers=5, a_r=1, a_w=1, field="GF(5)")),
    ("GF(17), K=5 N=5, s=a=1 both layers", dict(relays=5, workers=5, s_r=1, a_r=1, s_w=1, a_w=1, field="GF(17)")),
    ("GF(17), K=5 N=6, m_1=2 m_2=2, a=1", dict(relays=5, workers=6, a_r=1, a_w=1, m_1=2, m_2=2, field="GF(17)")),
    ("GF(17), K=4 N=4, s=1 a=0 (surplus only)", dict(relays=4, workers=4, s_r=1, s_w=1, field="GF(17)")),
    ("real, K=5 N=5, s=a=1 both layers", dict(relays=5, workers=5, s_r=1, a_r=1, s_w=1, a_w=1, field="real")),
    ("real, K=4 N=4, s=1 a=0 (surplus only)", dict(relays=4, workers=4, s_r=1, s_w=1, field="real")),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200, help="over-budget trials per layer and code")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"{'code':42} {'layer':8} {'trials':>6} {'exact':>6} {'refused':>7} {'wrong':>6} {'exposed':>7}")
    exposed_total = 0
    for label, kwargs in CODES:
        hcode = hierarchical(**kwargs)  # type: ignore[arg-type]
        rng = np.random.default_rng(args.seed)
        for layer in ("relays", "clusters"):
            counts = dict(exact=0, refused=0, wrong=0, wrong_exposed=0)
            for _ in range(args.trials):
                outcome = over_budget_trial(hcode, rng, layer, 2 * hcode.block_size(), 1e-6).lstrip("+")
                counts[outcome] += 1
            wrong = counts["wrong"] + counts["wrong_exposed"]
            exposed_total += counts["wrong_exposed"]
            print(f"{label:42} {layer:8} {args.trials:>6} {counts['exact']:>6} {counts['refused']:>7} {wrong:>6} "
                  f"{counts['wrong_exposed']:>7}")
    print(f"wrong sums the received words expose: {exposed_total} (must be 0)")
    raise SystemExit(1 if exposed_total else 0)


if __name__ == "__main__":
    main()
