"""Few stragglers among many workers: the removed-side path and cyclic orbits against the normal engine.

Not a test (run it by hand): ``python benchmarks/orbit_bench.py [--repeat R] [--crc FILE] [--skip-large]
[--cli [--jobs J]]``.

* **Ratio on a size both can do** (the same run, medians of ``--repeat``): ``verify`` of real crc n = 101,
  s = 2 (5,050 sets of 99 × 101) by the removed side against the normal engine (``run_pass``), worst κ of both.
* **Orbits**: an exactly cyclic (integer circulant) real code, n = 60, s = 2 (full rank, so every set loses
  rank and goes to the engine: the orbits do the saving): with and without the verified cyclic group
  (group order, orbit count, Burnside count).
* **Target**: real crc n = 1000, s = 2 (499,500 sets of 998 × 1000), certified exhaustively by the removed side
  (decodability, residuals, worst κ), the worst κ cross-checked by one SVD of its set. ``--crc FILE`` reads the
  code from a gcli.code file (written on the first run); ``--skip-large`` skips it.
* **Whole processes** (``--cli``, issue 21's target of ≤ 10 s): ``gcli design crc -n 1000 -s 2 -o FILE`` once, then
  ``gcli verify FILE --quiet`` (with ``--jobs J`` when given) against the baseline ``gcli verify`` of the README's
  crc n = 8 code, interleaved, medians of ``--repeat``, with the load average of the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

from gcli.certification.orbits import burnside_count
from gcli.certification.removed import removed_side_verify
from gcli.certification.verification import report_from_pass, run_pass
from gcli.code import Code, assignment_from_support
from gcli.constructions import cyclic_repetition
from gcli.fields import REAL
from gcli.fields.linalg import batched_real_report


def _median(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def _circulant(n: int) -> Code:
    rng = np.random.default_rng(0)
    c = np.zeros(n)
    c[:3] = rng.integers(1, 5, size=3)
    enc = np.array([np.roll(c, i) for i in range(n)])
    return Code("circulant", REAL, n, n, 2, 1, 0, 3, assignment_from_support(enc, n, 1), enc)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--crc", default="/tmp/orbit_bench_crc1000.json")
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--cli", action="store_true", help="only the whole-process timings of gcli design / verify")
    ap.add_argument("--jobs", type=int, default=None, help="with --cli: gcli verify --jobs J")
    args = ap.parse_args()
    if args.cli:
        whole_processes(args.repeat, args.jobs)
        return

    code = cyclic_repetition(101, 2)
    t_rem, rem = _median(lambda: removed_side_verify(code), args.repeat)
    t_eng, eng = _median(lambda: report_from_pass(code, run_pass(code, all_failures=True), 1e-8, 0.99), args.repeat)
    print(f"crc n=101 s=2 real ({rem.patterns_total:,} sets): removed side {t_rem:.3f} s, engine {t_eng:.3f} s, "
          f"ratio engine/removed = {t_eng / t_rem:.1f}; worst κ {rem.worst_condition_number:.6g} vs "
          f"{eng.worst_condition_number:.6g}; verdicts {rem.decodable}/{eng.decodable}")

    circ = _circulant(60)
    t_plain, plain = _median(lambda: removed_side_verify(circ, use_symmetry=False), args.repeat)
    t_orb, orb = _median(lambda: removed_side_verify(circ), args.repeat)
    print(f"circulant n=60 s=2 real ({orb.patterns_total:,} sets): removed side {t_plain:.3f} s, with orbits "
          f"{t_orb:.3f} s (group order {orb.group_order}, {orb.orbits} orbits, Burnside "
          f"{burnside_count(60, 2)}), ratio {t_plain / t_orb:.1f}; worst κ {orb.worst_condition_number:.6g} vs "
          f"{plain.worst_condition_number:.6g}; failures {orb.failures}/{plain.failures}")

    if args.skip_large:
        return
    from gcli.io.files import load_code
    from gcli.io.json import dumps

    if os.path.exists(args.crc):
        big = load_code(args.crc)
    else:
        big = cyclic_repetition(1000, 2)
        with open(args.crc, "w") as fh:
            fh.write(dumps(big))
    t_big, rep = _median(lambda: removed_side_verify(big), 1)
    worst = np.array([rep.worst_condition_set])
    check = batched_real_report(np.asarray(big.encoding)[worst], big.target, method="svd").condition[0]
    print(f"crc n=1000 s=2 real ({rep.patterns_total:,} sets of 998 × 1000): removed side {t_big:.1f} s "
          f"({rep.path}, {rep.fallback_sets} sets by the engine); decodable {rep.decodable}; worst κ "
          f"{rep.worst_condition_number:.6g} (one SVD of that set: {check:.6g}); max residual {rep.max_residual:.3g}")


def _run(cmd: list[str]) -> float:
    """Wall seconds of one whole process (it must succeed)."""
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def whole_processes(repeat: int, jobs: int | None, n: int = 1000) -> dict[str, float]:
    """``gcli design crc -n 1000 -s 2`` (or ``-n n``) once, then ``gcli verify`` of it against the README's small
    code; prints and returns ``{"design", "verify", "baseline", "load"}`` (seconds, medians; the load average)."""
    gcli = shutil.which("gcli", path=os.path.dirname(sys.executable)) or "gcli"
    jobs_opt = [] if jobs is None else ["--jobs", str(jobs)]
    with tempfile.TemporaryDirectory() as tmp:
        big, small = os.path.join(tmp, "c.json"), os.path.join(tmp, "crc.json")
        load = os.getloadavg()[0]
        t_design = _run([gcli, "design", "crc", "-n", str(n), "-s", "2", "-o", big])
        _run([gcli, "design", "crc", "-n", "8", "-s", "2", "-o", small])
        t_big, t_small = [], []
        for _ in range(repeat):  # interleaved: both see the same load
            t_small.append(_run([gcli, "verify", small, "--quiet", *jobs_opt]))
            t_big.append(_run([gcli, "verify", big, "--quiet", *jobs_opt]))
        load = max(load, os.getloadavg()[0])
    big_t, small_t = statistics.median(t_big), statistics.median(t_small)
    how = " ".join(jobs_opt) or "default jobs"
    print(f"whole processes (load average up to {load:.1f}, {os.cpu_count()} cores, verify {how}):"
          f" gcli design crc -n {n} -s 2 {t_design:.1f} s; gcli verify of it ({n * (n - 1) // 2:,} sets, exhaustive) "
          f"{big_t:.2f} s (median of {repeat}), baseline gcli verify crc n = 8 {small_t:.2f} s, ratio "
          f"{big_t / small_t:.1f}; target ≤ 10 s")
    return {"design": t_design, "verify": big_t, "baseline": small_t, "load": load}


if __name__ == "__main__":
    main()
