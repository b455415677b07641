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

``--crafted``: the crafted corpus of issue 22 (tests/crafted.py) instead, every case as a whole ``python -m gcli``
process (start-up included, the environment as a user has it, ``RLIMIT_DATA`` of ``--memory-guard`` MB so that a
runaway allocation cannot take the machine, killed after ``--seconds``, default 20 here): per case its exit status,
wall time, peak resident memory (``ru_maxrss`` from ``wait4``) and whether the outcome meets the case's
expectation (tests/crafted.py: a one-line refusal, not certified, or a verdict the independent check agrees with),
then issue 22's "Done when" line ``crafted corpus: N cases, 0 exit 3, 0 over 2 s, 0 over 500 MB, 0 wrong
verdicts`` with the real counts (a killed case counts as over 2 s; a refusal or answer that is not the expected
one — e.g. exit 0 where a refusal is due — is listed on a further line). ``--crafted -k NAME`` runs the cases whose
name contains NAME.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="hypothesis examples per fuzz test")
    parser.add_argument("--seconds", type=int, help="wall limit per invocation (catches hangs; default 60, "
                                                    "--crafted: 20)")
    parser.add_argument("-k", help="pytest -k expression (default: the fuzz tests); --crafted: a part of case names")
    parser.add_argument("--crafted", action="store_true", help="run issue 22's crafted corpus as whole processes")
    parser.add_argument("--memory-guard", type=int, default=2048,
                        help="--crafted: RLIMIT_DATA of each process in MB (protects the machine; default 2048)")
    parser.add_argument("--seed", type=int, help="draw fresh examples from this hypothesis seed (default: CI's "
                                                 "derandomized examples)")
    options = parser.parse_args()
    if options.crafted:
        return crafted(options.seconds or 20, options.k, options.memory_guard)
    options.seconds = options.seconds or 60
    options.k = options.k or "fuzz"
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


def _run_process(argv: list[str], env: dict[str, str], stdout: str, folder: Path, seconds: float,
                 memory: int) -> dict[str, Any]:
    """``python -m gcli ARGV`` as a whole process: (status, signal, seconds, peak RSS, stdout, stderr)."""
    out_path, err_path = folder / "stdout", folder / "stderr"

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
        if stdout == "closed":
            os.close(1)

    target = open("/dev/full", "wb") if stdout == "full" else open(out_path, "wb")
    with target, open(err_path, "wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-P", "-m", "gcli", *argv], stdin=subprocess.DEVNULL,
                                   stdout=target, stderr=err, env=env, preexec_fn=limits)
        killed = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > seconds and not killed:
                os.kill(process.pid, signal.SIGKILL)
                killed = True
            time.sleep(0.005)
        elapsed = time.perf_counter() - start
        process.returncode = 0  # reaped above
    text = out_path.read_text(encoding="utf-8", errors="replace") if stdout == "file" else ""
    return {"status": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None, "seconds": elapsed,
            "rss": usage.ru_maxrss * 1024, "stdout": text,
            "stderr": err_path.read_text(encoding="utf-8", errors="replace"), "killed": killed}


def crafted(seconds: float, only: str | None, memory_mb: int) -> int:
    """The crafted corpus of issue 22 as whole processes (module docstring); 0 when every case meets the "Done
    when" of the issue and its expectation."""
    sys.path.insert(0, str(ROOT / "tests"))
    import crafted as corpus

    cases = [case for case in corpus.CASES if not only or only in case.name]
    counts: collections.Counter[str] = collections.Counter()
    unmet: list[str] = []
    with tempfile.TemporaryDirectory() as work:
        files, scratch = Path(work) / "files", Path(work) / "scratch"
        scratch.mkdir()
        files.mkdir()
        corpus.base_design(files, "frc")
        # the baseline of this run on this machine: a whole process certifying a valid 4-worker code (start-up,
        # imports, a trivial certificate), median of 3, so that the times below can be read against it
        base = sorted(_run_process(["verify", "-q", str(files / "base-frc.json")], dict(os.environ), "file",
                                   scratch, seconds, memory_mb * 2**20)["seconds"] for _ in range(3))[1]
        print(f"baseline: gcli verify -q on a valid 4-worker code takes {base:.2f} s (median of 3, whole process)")
        print(f"{'case':32s} {'expect':8s} {'exit':>6s} {'seconds':>8s} {'peak MB':>8s}  verdict")
        for case in cases:
            invocation = corpus.build(case, files)
            env = {**os.environ, **invocation.env}
            r = _run_process(list(invocation.argv), env, invocation.stdout, scratch, seconds, memory_mb * 2**20)
            found = corpus.problems(case, invocation, r["status"], r["signal"], r["stdout"], r["stderr"])
            end = f"{r['status']}" if r["status"] is not None else ("killed" if r["killed"] else f"sig{r['signal']}")
            verdict = "as expected" if not found else "; ".join(found)
            print(f"{case.name:32s} {case.expect:8s} {end:>6s} {r['seconds']:8.2f} {r['rss'] / 2**20:8.0f}  {verdict}",
                  flush=True)
            counts["exit 3"] += r["status"] == 3
            counts["over 2 s"] += r["seconds"] > 2 or r["killed"]
            counts["over baseline + 2 s"] += r["seconds"] > base + 2 or r["killed"]
            counts["over 500 MB"] += r["rss"] > 500 * 2**20
            counts["wrong verdicts"] += corpus.wrong_verdict(found)
            if found and not corpus.wrong_verdict(found) and r["status"] != 3:
                unmet.append(case.name)
    print(f"crafted corpus: {len(cases)} cases, {counts['exit 3']} exit 3, {counts['over 2 s']} over 2 s, "
          f"{counts['over 500 MB']} over 500 MB, {counts['wrong verdicts']} wrong verdicts")
    print(f"other expectations not met: {len(unmet)}" + (f" ({', '.join(unmet)})" if unmet else ""))
    print(f"over the baseline + 2 s: {counts['over baseline + 2 s']} (whole processes, start-up included; killed "
          f"after {seconds:g} s; RLIMIT_DATA {memory_mb} MB)")
    return 0 if not unmet and not any(counts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
