"""Time from SIGTERM (or SIGINT) to exit for long ``gcli verify`` runs, with and without the supervising parent.

Each workload is designed once into a scratch folder, then ``gcli verify`` starts, gets the signal after
``--after`` seconds, and the time until the process has exited is measured (a kill deadline of ``--deadline``
seconds ends a process that ignores the signal). Reported per run: the exit status, the latency, whether the
last stderr line is the error line (the progress bar never prints after it) and stray files left in the folder.

Rows:

* ``supervised``: the ``gcli`` script as shipped (:mod:`gcli.cli._supervisor`);
* ``in-process``: ``GCLI_SUPERVISOR=0``, the command in one process, as before the supervisor;
* ``--baseline DIR``: the same, with ``PYTHONPATH=DIR`` (e.g. an older checkout: its ``gcli`` package shadows
  this one; ``gcli.bounds`` and ``gcli.constructions`` still come from the installed tree).

The latency of the in-process rows depends on what the run is doing when the signal comes (a long LAPACK or
numba call, or still importing before gcli's handlers exist: status -15); the supervised row does not.

Workloads: exhaustive checks of a real MDS code (n = 30, s = 8), Reed-Solomon over GF(257) (n = 28, s = 10),
the approximate Paley(25) code (s = 7), a hierarchical code, and ``stuck``: a verify whose certification is
replaced by a C loop that holds the interpreter (``sum(range(10**13))``, what a long LAPACK, numba or galois call
looks like to Python's signal handling).

    python benchmarks/signals_bench.py --repeat 3 --baseline /work/main
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GCLI = str(Path(sys.executable).with_name("gcli"))

DESIGNS = {
    "mds": (["design", "mds", "-n", "30", "-s", "8"], ["--force"]),
    "rs-gf257": (["design", "reed-solomon", "-n", "28", "-s", "10", "--field", "GF(257)"], ["--force"]),
    "paley25": (["design", "srg", "--params", "25,12,5,6", "-s", "7"], ["--force"]),
    "hierarchical": (["design", "hierarchical", "--relays", "5", "--cluster-sizes", "12", "--sr", "1", "--sw", "3",
                      "-k", "10"], ["--force"]),
}

STUCK = """
import sys
import gcli.certification.certificate as certificate
def stuck(*args, **kwargs):
    return sum(range(10**13))
certificate.certify = stuck
from gcli.cli import main
sys.argv = ["gcli", "verify", sys.argv[1]]
main()
"""


def measure(command: list[str], env: dict[str, str], folder: Path, after: float, signum: int,
            deadline: float) -> tuple[int | None, float, bool, list[str]]:
    before = set(os.listdir(folder))
    process = subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(after)
    sent = time.perf_counter()
    process.send_signal(signum)
    try:
        process.wait(timeout=deadline)
        latency = time.perf_counter() - sent
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        latency = float("inf")
    err = process.stderr.read().decode(errors="replace") if process.stderr else ""
    lines = [line for line in err.replace("\r", "\n").splitlines() if line.strip()]
    last_is_error = bool(lines) and lines[-1].startswith("gcli: error:")
    stray = sorted(set(os.listdir(folder)) - before)
    for name in stray:
        path = folder / name
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return process.returncode, latency, last_is_error, stray


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--after", type=float, default=4.0, help="seconds before the signal")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--deadline", type=float, default=60.0)
    parser.add_argument("--signal", choices=["TERM", "INT"], default="TERM")
    parser.add_argument("--baseline", help="a source tree to compare with (PYTHONPATH)")
    parser.add_argument("--only", nargs="*", help="workloads to run")
    args = parser.parse_args()
    signum = int(getattr(signal, f"SIG{args.signal}"))
    folder = Path(tempfile.mkdtemp(prefix="gcli-signals-"))
    files: dict[str, tuple[Path, list[str]]] = {}
    for name, (design, options) in DESIGNS.items():
        if args.only and name not in args.only:
            continue
        target = folder / f"{name}.json"
        subprocess.run([GCLI, *design, "-o", str(target)], check=True, capture_output=True)
        files[name] = (target, options)
    rows = {"supervised": {}, "in-process": {"GCLI_SUPERVISOR": "0"}}
    if args.baseline:
        rows["baseline"] = {"GCLI_SUPERVISOR": "0", "PYTHONPATH": args.baseline}
    workloads = {name: [GCLI, "verify", str(path), *options] for name, (path, options) in files.items()}
    if not args.only or "stuck" in args.only:
        workloads["stuck"] = [sys.executable, "-c", STUCK, str(folder / "mds.json")]
    print(f"SIG{args.signal} after {args.after:g} s; latency = seconds from the signal to exit (median of "
          f"{args.repeat}); 'last' = the error line is the last stderr line")
    print(f"{'workload':14} {'row':11} {'status':>6} {'latency':>8} {'last':>5}  stray files")
    for name, command in workloads.items():
        for row, extra in rows.items():
            results = [measure(command, {**os.environ, **extra}, folder, args.after, signum, args.deadline)
                       for _ in range(args.repeat)]
            latency = statistics.median(r[1] for r in results)
            statuses = ",".join(sorted({str(r[0]) for r in results}))
            last = all(r[2] for r in results)
            stray = sorted({s for r in results for s in r[3]})
            shown = "killed" if latency == float("inf") else f"{latency:.2f}"
            print(f"{name:14} {row:11} {statuses:>6} {shown:>8} {last!s:>5}  {' '.join(stray) or '-'}",
                  flush=True)
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
