"""The GF(p) engine on Reed–Solomon codes over GF(65537): the quotient walk against the row walk, in one run.

Usage: ``python benchmarks/gf_walk_bench.py [--runs 3] [--baseline-gcli PATH] [--baseline-runs 1] [--quick]``

Cases: RS n = 24, s = 8 (735,471 surviving sets) and RS n = 28, s = 10 (13,123,110 sets), built with
``reed_solomon(n, s, field="GF(65537)")``. Three sections, each with its baseline measured in the same run:

1. *kernel CPU per set* (independent of the machine's load): ``time.process_time`` of one thread walking every set
   with the quotient walk (:func:`gcli.certification._kernels.quotient_range`, what GF(p) uses now) and with the
   row walk (:func:`~gcli.certification._kernels.check_range`, what GF(p) used before and GF(p^e) still uses; on
   RS 28 a window of ``--row-window`` sets in the middle of the order, extrapolated), in ns per set, and the ratio.
2. *threads*: ``verify(code, executor=local_executor(jobs))`` with every unit's thread CPU time recorded: the sum
   (the work) and the busiest thread's share (the critical path: the wall time on idle cores). Work / critical path
   is the speed-up ``--jobs`` gives when the cores are free, whatever the load of a shared machine does to the
   wall clock (printed too).
3. *whole process*: ``gcli verify FILE --force -q --jobs J`` for J = 1, 2: median wall time of ``--runs`` fresh
   processes and their median CPU time (user + system, from ``resource.getrusage(RUSAGE_CHILDREN)``); with
   ``--baseline-gcli`` (e.g. the ``gcli`` of an install of main before this change) the same commands with that
   executable, ``--baseline-runs`` times each, interleaved with ours.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from gcli import verify
from gcli.certification import _kernels
from gcli.certification.engine import _binomials, _quotient_matrix, unrank_combination
from gcli.certification.verification import _task
from gcli.constructions import reed_solomon
from gcli.io.json import dumps

CASES = [(24, 8), (28, 10)]


def kernel_cpu(n: int, s: int, row_window: int) -> None:
    code = reed_solomon(n, s, field="GF(65537)")
    r = n - s
    total = math.comb(n, r)
    task = _task(code, r, 1e-8, True, "auto")
    p = task.spec.characteristic
    binom = _binomials(n, r)
    matrix = _quotient_matrix(task)
    kind = 3  # the row walk's delayed reduction, as the engine chose it for GF(65537)
    tables = np.zeros(1, dtype=np.int64)

    def quotient(lo: int, count: int) -> tuple[int, int, int]:
        start = np.asarray(unrank_combination(lo, n, r), dtype=np.int64)
        return _kernels.quotient_range(p, matrix, n, task.target.shape[0], start, count, True, binom)

    def rows(lo: int, count: int) -> tuple[int, int, int]:
        start = np.asarray(unrank_combination(lo, n, r), dtype=np.int64)
        return _kernels.check_range(kind, p, p, task.encoding, task.target, start, count, True, binom, tables,
                                    tables)

    quotient(0, 64)
    rows(0, 64)  # compile or load both
    window = min(total, row_window)
    lo = (total - window) // 2
    figures = {}
    for label, fn, span in (("quotient walk", quotient, (0, total)), ("row walk", rows, (lo, window))):
        begin = time.process_time()
        done, first, _ = fn(*span)
        cpu = time.process_time() - begin
        assert done == span[1] and first < 0
        figures[label] = cpu / span[1] * 1e9
        what = "every set" if span[1] == total else f"{span[1]:,} sets mid-order"
        print(f"RS n={n}, s={s} ({total:,} sets) {label:14s} {figures[label]:8.1f} ns/set CPU  ({what}; "
              f"all sets ≈ {figures[label] * total / 1e9:6.2f} s CPU)")
    print(f"RS n={n}, s={s} row walk / quotient walk: {figures['row walk'] / figures['quotient walk']:.1f}×")


class _CountingPool(ThreadPoolExecutor):
    """A thread pool that adds each task's thread CPU time to its worker thread's account."""

    def __init__(self, workers: int) -> None:
        super().__init__(max_workers=workers)
        self.cpu: dict[int, float] = {}
        self._lock = threading.Lock()

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        def timed() -> Any:
            begin = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent = time.thread_time() - begin
                with self._lock:
                    key = threading.get_ident()
                    self.cpu[key] = self.cpu.get(key, 0.0) + spent

        return super().submit(timed)


def threads(n: int, s: int, jobs: int) -> dict[int, tuple[float, float, float]]:
    """Verify RS(n, s) over GF(65537) in-process on 1 and on ``jobs`` threads; prints and returns ``{threads: (work
    CPU s, busiest thread CPU s, wall s)}`` (work / busiest thread = the speed-up on free cores)."""
    code = reed_solomon(n, s, field="GF(65537)")
    figures: dict[int, tuple[float, float, float]] = {}
    verify(code, force=True, sample=10)
    for workers in (1, jobs):
        pool = _CountingPool(workers)
        with pool:
            begin = time.perf_counter()
            report = verify(code, force=True, executor=pool)
            wall = time.perf_counter() - begin
        assert report.decodable
        work, path = sum(pool.cpu.values()), max(pool.cpu.values())
        print(f"RS n={n}, s={s} threads {workers}: work {work:6.2f} s CPU, busiest thread {path:6.2f} s CPU, "
              f"work/critical path {work / path:4.2f}×, wall {wall:6.2f} s (the shared machine's load)")
        figures[workers] = (work, path, wall)
    return figures


def _run(command: list[str], cwd: str) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    begin = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - begin
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def whole_process(gcli: str, baseline: str | None, runs: int, baseline_runs: int, work: str,
                  cases: list[tuple[int, int]] | None = None) -> dict[tuple[int, int, int], tuple[float, float]]:
    """``gcli verify FILE --force -q --jobs J`` on the RS codes of ``cases`` (default :data:`CASES`), J = 1, 2: prints
    the table and returns ``{(n, s, J): (median wall s, median CPU s)}`` of ``gcli`` (the baseline is printed only)."""
    figures: dict[tuple[int, int, int], tuple[float, float]] = {}
    print("| case | --jobs | gcli wall (median) | gcli CPU | baseline wall | baseline CPU | wall ratio |")
    print("|---|---|---|---|---|---|---|")
    for n, s in cases or CASES:
        name = f"rs{n}.json"
        Path(work, name).write_text(dumps(reed_solomon(n, s, field="GF(65537)")))
        for jobs in (1, 2):
            command = ["verify", name, "--force", "-q", "--jobs", str(jobs)]
            ours: list[tuple[float, float]] = []
            theirs: list[tuple[float, float]] = []
            _run([gcli, *command], work)  # warm the numba cache
            for i in range(max(runs, baseline_runs if baseline else 0)):
                if i < runs:
                    ours.append(_run([gcli, *command], work))
                if baseline and i < baseline_runs:
                    theirs.append(_run([baseline, *command], work))
            wall = statistics.median(t for t, _ in ours)
            cpu = statistics.median(c for _, c in ours)
            figures[n, s, jobs] = (wall, cpu)
            row = f"| RS n={n}, s={s} | {jobs} | {wall:6.2f} s | {cpu:6.2f} s |"
            if theirs:
                bwall = statistics.median(t for t, _ in theirs)
                bcpu = statistics.median(c for _, c in theirs)
                row += f" {bwall:6.2f} s | {bcpu:6.2f} s | {bwall / wall:5.1f}× |"
            else:
                row += " | | |"
            print(row, flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-gcli", help="another gcli executable to compare with, e.g. main's install")
    parser.add_argument("--baseline-runs", type=int, default=1)
    parser.add_argument("--row-window", type=int, default=1_000_000,
                        help="sets the row walk checks on RS n = 28 (the whole space takes minutes)")
    parser.add_argument("--quick", action="store_true", help="skip the whole-process section")
    args = parser.parse_args()
    jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    print(f"# {jobs} cores, load average {os.getloadavg()[0]:.1f} at start")
    print("## kernel CPU per set (one thread)")
    for n, s in CASES:
        kernel_cpu(n, s, args.row_window)
    print(f"\n## threads (verify in-process, {max(jobs, 2)} threads)")
    for n, s in CASES:
        threads(n, s, max(jobs, 2))
    if args.quick:
        return
    print(f"\n## whole process: gcli verify --force -q (median of {args.runs})")
    gcli = shutil.which("gcli") or str(Path(sys.executable).with_name("gcli"))
    work = tempfile.mkdtemp(prefix="gcli-gfbench-")
    try:
        whole_process(gcli, args.baseline_gcli, args.runs, args.baseline_runs, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"# load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
