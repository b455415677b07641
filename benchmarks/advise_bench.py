"""gcli advise with default options: time per n, and how many candidates were built and pruned (issue 24).

Not a test (run it by hand): ``python benchmarks/advise_bench.py [--n 10 20 50 100] [--s 2] [--repeat R]
[--p P] [--m M]``; the realistic cluster of the "choosing a code" notebook is ``--n 100 --p 0.05 --m 4`` (100
workers failing with probability 0.05, messages of at most a quarter of a gradient). Each n runs in a fresh
process (imports counted, as a user's ``gcli advise`` pays them) ``--repeat`` times; the median wall time and CPU
time (user + system of the process) are printed with the counts of the last run. The target of the issue is
n ≤ 100 in ≤ 30 s on 2 cores; the machine's load changes wall seconds, so the CPU seconds are printed too, and
the same run times ``gcli design crc -n N -s S`` (one build and its certification) as a baseline: the ratio says
how many such builds advise costs.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time


def _timed(args: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system of the child) and standard output of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return seconds, cpu, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10, 20, 50, 100])
    parser.add_argument("--s", type=int, default=2)
    parser.add_argument("--p", type=float, help="a failure rate instead of s (also approximate codes)")
    parser.add_argument("--m", type=int, default=1, help="the least message reduction (gcli advise -m)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--baseline-python", help="also time advise with this interpreter (e.g. another checkout's "
                                                  "venv) in the same run, interleaved: the 'base' columns")
    args = parser.parse_args()
    gcli = [sys.executable, "-m", "gcli"]
    print(f"{'n':>5} {'advise s':>9} {'cpu s':>7} {'crc s':>7} {'ratio':>6} {'built':>6} {'pruned':>7} "
          f"{'refused':>8} {'rejected':>9} {'listed':>7}  chosen"
          + ("  | base s  base cpu  cpu ratio  base chosen" if args.baseline_python else ""))
    for n in args.n:
        wanted = ["-p", str(args.p)] if args.p is not None else ["-s", str(args.s)]
        wanted += ["-m", str(args.m)] if args.m != 1 else []
        advise_times, cpu_times, base_times, payload = [], [], [], {}
        old_times: list[float] = []
        old_cpu: list[float] = []
        old_payload: dict = {}
        for _ in range(args.repeat):
            if args.baseline_python:
                seconds, cpu, out = _timed([args.baseline_python, "-P", "-m", "gcli", "advise", "-n", str(n), *wanted,
                                            "--json"])
                old_times.append(seconds)
                old_cpu.append(cpu)
                old_payload = json.loads(out)
            seconds, cpu, out = _timed([*gcli, "advise", "-n", str(n), *wanted, "--json"])
            advise_times.append(seconds)
            cpu_times.append(cpu)
            payload = json.loads(out)
            base, _, _ = _timed([*gcli, "design", "crc", "-n", str(n), "-s", str(args.s), "-o", "/dev/null"])
            base_times.append(base)
        a, b, c = statistics.median(advise_times), statistics.median(base_times), statistics.median(cpu_times)
        counts = payload["counts"]
        chosen = payload["rows"][0]["command"] if payload["rows"] else "-"
        print(f"{n:>5} {a:>9.1f} {c:>7.1f} {b:>7.1f} {a / b:>6.1f} {counts['built']:>6} {counts['pruned']:>7} "
              f"{counts['refused']:>8} {counts['rejected']:>9} {counts['listed']:>7}  {chosen}"
              + (f"  | {statistics.median(old_times):>6.1f} {statistics.median(old_cpu):>9.1f} "
                 f"{statistics.median(old_cpu) / max(c, 1e-9):>10.1f}  {old_payload['rows'][0]['command']}"
                 if args.baseline_python else ""), flush=True)


if __name__ == "__main__":
    main()
