"""The hostile-input fuzz of tests/test_limits.py with a large budget: invocations, time, memory, violations.

Usage: ``python benchmarks/fuzz_bench.py [--examples 200] [--seconds 60] [-k EXPR] [--seed S]``

Runs ``pytest tests/test_limits.py`` with ``GCLI_FUZZ_EXAMPLES`` examples per fuzz test (CI uses 8) and
``GCLI_FUZZ_LOG`` set, so every forked ``gcli`` invocation (a child of tests/fuzzrun.py's fork server, 500 MB
above the server, a wall limit of ``--seconds``) is recorded; then reports the number of invocations, their exit
statuses, the slowest ones, the largest peak resident memory (``ru_maxrss`` of the child, which includes the pages
it shares with the fork server; the test process's own size is printed alongside) and every contract violation
(exit 3, a signal, a traceback, more than one line for exit 2), with pytest's summary. The figures are absolute,
so compare runs on the same machine; the contract is the point: zero violations. The tests assert no time; the
times of the refusals of issue 14 are measured here: ``python benchmarks/fuzz_bench.py -k reproducers``.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="hypothesis examples per fuzz test")
    parser.add_argument("--seconds", type=int, default=60, help="wall limit per invocation (catches hangs)")
    parser.add_argument("-k", default="fuzz", help="pytest -k expression (default: the fuzz tests)")
    parser.add_argument("--seed", type=int, help="draw fresh examples from this hypothesis seed (default: CI's "
                                                 "derandomized examples)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "fuzz.jsonl"
        env = {**os.environ, "GCLI_FUZZ_EXAMPLES": str(options.examples), "GCLI_FUZZ_LOG": str(log),
               "GCLI_FUZZ_SECONDS": str(options.seconds)}
        seed = [] if options.seed is None else [f"--hypothesis-seed={options.seed}"]
        if options.seed is not None:
            env["GCLI_FUZZ_RANDOM"] = "1"
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(ROOT / "tests" / "test_limits.py"),
             "-k", options.k, *seed], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
    if not records:
        print(result.stdout[-3000:], result.stderr[-2000:])
        return 2
    statuses = collections.Counter(str(r["status"] if r["signal"] is None else f"signal {r['signal']}")
                                   for r in records)
    slowest = sorted(records, key=lambda r: -r["seconds"])[:5]
    biggest = max(records, key=lambda r: r["max_rss"])
    violations = [r for r in records if r["violation"]]
    parent = max(r.get("parent_rss", 0) for r in records)
    print(f"invocations: {len(records)} in {wall:.0f} s ({options.examples} examples per fuzz test, "
          f"wall limit {options.seconds} s, 500 MB above the fork server)")
    print("exit statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    print(f"max seconds: {slowest[0]['seconds']:.2f}  (gcli {' '.join(slowest[0]['args'])[:100]})")
    for r in slowest[1:]:
        print(f"             {r['seconds']:.2f}  (gcli {' '.join(r['args'])[:100]})")
    print(f"max memory (peak RSS of a child, shared pages included): {biggest['max_rss'] / 2**20:.0f} MB  "
          f"(gcli {' '.join(biggest['args'])[:100]}); the test process itself: {parent / 2**20:.0f} MB")
    print(f"contract violations: {len(violations)}")
    for r in violations[:20]:
        print(f"  gcli {' '.join(r['args'])[:120]} → {r['violation']}")
    print("pytest: " + (result.stdout.strip().splitlines() or ["?"])[-1])
    return 0 if not violations and result.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
