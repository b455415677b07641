"""Benchmark: the catalog objects of issue 21 item 5, built and checked by gcli and by SageMath, side by side.

Every object is built *and checked* by both:

- gcli, through its public API: ``gcli.constructions.bibd`` / ``srg`` (the catalog's builders, which certify what
  they build with ``check_bibd`` / ``check_srg`` before returning it), then the same check once more on the
  returned object (``gcli.structures.check_bibd`` / ``check_srg``), as a user of the library would: gcli's time
  counts its check twice;
- SageMath: ``designs.balanced_incomplete_block_design`` / ``graphs.strongly_regular_graph``, then Sage's own check
  (``designs_pyx.is_pairwise_balanced_design`` on the blocks, ``Graph.is_strongly_regular(parameters=True)``).

Each (object, side) runs in a fresh process, so every build is *cold*: lazy imports, Sage's lazily built
databases and any cache are paid by the object that needs them, as in a user's session. Each process reports
(i) its imports (``gcli.constructions`` and ``gcli.structures``; ``sage.all__sagemath_graphs``), (ii) the first
build + check after the imports (the compared figure, "in-process"), (iii) a second build + check in the same
process ("warm"); the parent measures (iv) the whole process's wall time. Rounds interleave every object and both
sides, ``--repeat`` rounds; the table gives medians, and the ratio gcli / Sage (≤ 1: gcli is not slower).

SageMath here is whatever ``--sage-python`` runs (default ``$GCLI_SAGE_PYTHON`` or /tmp/sagevenv/bin/python), e.g.
the modular passagemath distributions (passagemath-graphs, -combinat, …) rather than a full Sage install: objects
whose Sage construction needs a component that is not installed (GAP, for some polar-space graphs) are listed as
"n/a" with Sage's error. Without a working Sage, only gcli's side is timed (the script says so).

``--baseline-python PATH`` (an interpreter with another gcli installed, e.g. main's) times that gcli in the same
rounds too, and a second table gives before/after: both gcli's in-process times and their ratios to Sage.

Run: python benchmarks/sage_compare.py [--repeat 5] [--sage-python PATH] [--baseline-python PATH] [--only LABEL ...]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OBJECTS: dict[str, tuple[str, tuple[int, ...]]] = {
    "Paley(997)": ("srg", (997, 498, 248, 249)),
    "PG(2,31) = bibd(993,32)": ("bibd", (993, 32, 1)),
    "STS(999)": ("bibd", (999, 3, 1)),
    "bibd(100,4)": ("bibd", (100, 4, 1)),
    "bibd(125,5)": ("bibd", (125, 5, 1)),
    "bibd(243,3)": ("bibd", (243, 3, 1)),
    "srg(280,36,8,4)": ("srg", (280, 36, 8, 4)),
    "srg(280,117,44,52)": ("srg", (280, 117, 44, 52)),
    "srg(289,144,71,72)": ("srg", (289, 144, 71, 72)),
    "bibd(121,11)": ("bibd", (121, 11, 1)),
    "bibd(256,16)": ("bibd", (256, 16, 1)),
    "bibd(273,17)": ("bibd", (273, 17, 1)),
    "srg(243,22,1,2)": ("srg", (243, 22, 1, 2)),
    "srg(126,25,8,4)": ("srg", (126, 25, 8, 4)),
    "srg(126,45,12,18)": ("srg", (126, 45, 12, 18)),
    "srg(126,50,13,24)": ("srg", (126, 50, 13, 24)),
}
"""The objects of issue 21 item 5's table (srg(280), srg(243, …) and srg(126, …) with every parameter set gcli
builds there and the issue could have meant)."""

GCLI_SCRIPT = """
import json, sys, time
start = time.perf_counter()
from gcli.constructions import bibd, srg
from gcli.structures import check_bibd, check_srg
imported = time.perf_counter()
kind, params = sys.argv[1], tuple(int(x) for x in sys.argv[2].split(","))

def run():
    if kind == "bibd":
        design = bibd(*params)
        ok = check_bibd(params[0], design.blocks, params[1], params[2]) is None
    else:
        graph = srg(*params)
        ok = check_srg(graph.adjacency, params) == params
    assert ok, params

t0 = time.perf_counter()
run()
t1 = time.perf_counter()
run()
t2 = time.perf_counter()
print(json.dumps({"import": imported - start, "cold": t1 - t0, "warm": t2 - t1}))
"""

SAGE_SCRIPT = """
import json, sys, time
start = time.perf_counter()
from sage.all__sagemath_graphs import designs, graphs
from sage.combinat.designs.designs_pyx import is_pairwise_balanced_design
imported = time.perf_counter()
kind, params = sys.argv[1], tuple(int(x) for x in sys.argv[2].split(","))

def run():
    if kind == "bibd":
        v, k, lam = params
        design = designs.balanced_incomplete_block_design(v, k, lam)
        ok = is_pairwise_balanced_design(design._blocks, v, [k], lam)
    else:
        graph = graphs.strongly_regular_graph(*params)
        ok = graph.is_strongly_regular(parameters=True) == params
    assert ok, params

try:
    t0 = time.perf_counter()
    run()
    t1 = time.perf_counter()
    run()
    t2 = time.perf_counter()
except Exception as error:
    print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
else:
    print(json.dumps({"import": imported - start, "cold": t1 - t0, "warm": t2 - t1}))
"""


def run_once(python: str, script: str, kind: str, params: tuple[int, ...], folder: str) -> dict[str, float | str]:
    """One fresh process, started in ``folder`` (so no source tree in the working directory shadows the installed
    package): its printed figures, plus its whole wall time (``"wall"``)."""
    start = time.perf_counter()
    done = subprocess.run([python, "-c", script, kind, ",".join(map(str, params))], capture_output=True, text=True,
                          timeout=600, cwd=folder)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]}
    result: dict[str, float | str] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    return result


def sage_works(python: str) -> str | None:
    """None when ``python`` imports SageMath's graphs and designs, else why not."""
    if not Path(python).exists():
        return f"no interpreter at {python}"
    done = subprocess.run([python, "-c", "import sage.all__sagemath_graphs"], capture_output=True, text=True)
    return None if done.returncode == 0 else (done.stderr.strip().splitlines() or ["import failed"])[-1]


def sage_version(python: str) -> str:
    code = ("import importlib.metadata as m; print(', '.join(sorted(f\"{d.metadata['Name']} {d.version}\" for d in "
            "m.distributions() if d.metadata['Name'].startswith('passagemath-') and d.metadata['Name'] not in "
            "('passagemath-ppl',))) or 'sage ' + __import__('sage.version').version.version)")
    done = subprocess.run([python, "-c", code], capture_output=True, text=True)
    return done.stdout.strip() or "unknown version"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


Runs = dict[tuple[str, str], list[dict[str, float | str]]]


def measure(objects: dict[str, tuple[str, tuple[int, ...]]], sides: dict[str, tuple[str, str]],
            repeat: int) -> tuple[Runs, dict[tuple[str, str], str]]:
    """``repeat`` interleaved rounds: every object (label → (kind, params)) on every side (name → (python, script)),
    a fresh process each. Returns the figures of each (side, label)'s successful runs and the first error of each
    (side, label) that failed (not run again)."""
    runs: Runs = {(s, o): [] for s in sides for o in objects}
    errors: dict[tuple[str, str], str] = {}
    folder = tempfile.mkdtemp(prefix="sage_compare_")
    for round_ in range(repeat):
        for label, (kind, params) in objects.items():
            for side, (python, script) in sides.items():
                if (side, label) in errors:
                    continue
                result = run_once(python, script, kind, params, folder)
                if "error" in result:
                    errors[side, label] = str(result["error"])
                else:
                    runs[side, label].append(result)
        print(f"  round {round_ + 1}/{repeat} done", file=sys.stderr, flush=True)
    os.rmdir(folder)
    return runs, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds (medians)")
    parser.add_argument("--sage-python", default=os.environ.get("GCLI_SAGE_PYTHON", "/tmp/sagevenv/bin/python"))
    parser.add_argument("--baseline-python", default=None, help="an interpreter with another gcli, timed alongside")
    parser.add_argument("--only", nargs="*", default=None, help="labels (or substrings) of the objects to run")
    args = parser.parse_args()
    objects = {label: spec for label, spec in OBJECTS.items()
               if not args.only or any(part in label for part in args.only)}
    problem = sage_works(args.sage_python)
    sides = {"gcli": (sys.executable, GCLI_SCRIPT)}
    if args.baseline_python:
        sides["baseline"] = (args.baseline_python, GCLI_SCRIPT)
    if problem is None:
        sides["sage"] = (args.sage_python, SAGE_SCRIPT)
        print(f"SageMath: {args.sage_python} ({sage_version(args.sage_python)})")
    else:
        print(f"SageMath not available ({problem}): timing gcli only; pass --sage-python PATH")
    import gcli

    print(f"gcli {gcli.__version__} ({sys.executable}); {args.repeat} interleaved rounds, a fresh process per "
          "object and side; medians")
    runs, errors = measure(objects, sides, args.repeat)

    def figure(side: str, label: str, key: str) -> float:
        return median([float(r[key]) for r in runs[side, label]])

    print()
    print("in-process: the first build + check after the imports (cold); warm: the second in the same process; "
          "whole: the process's wall time")
    head = f"{'object':<26}{'Sage s':>9}{'gcli s':>9}{'ratio':>8}   {'warm S':>7}{'warm g':>8}{'ratio':>7}   " \
           f"{'whole S':>8}{'whole g':>8}{'ratio':>7}"
    print(head)
    print("-" * len(head))
    for label in objects:
        if ("gcli", label) in errors:
            print(f"{label:<26} gcli failed: {errors['gcli', label]}")
            continue
        g = {key: figure("gcli", label, key) for key in ("cold", "warm", "wall")}
        if "sage" not in sides:
            print(f"{label:<26}{'—':>9}{g['cold']:9.3f}{'':>8}   {'—':>7}{g['warm']:8.3f}{'':>7}   "
                  f"{'—':>8}{g['wall']:8.3f}")
            continue
        if ("sage", label) in errors:
            print(f"{label:<26}{'n/a':>9}{g['cold']:9.3f}{'':>8}   {'n/a':>7}{g['warm']:8.3f}{'':>7}   "
                  f"{'n/a':>8}{g['wall']:8.3f}   Sage: {errors['sage', label][:80]}")
            continue
        s = {key: figure("sage", label, key) for key in ("cold", "warm", "wall")}
        print(f"{label:<26}{s['cold']:9.3f}{g['cold']:9.3f}{g['cold'] / s['cold']:8.2f}   "
              f"{s['warm']:7.3f}{g['warm']:8.3f}{g['warm'] / s['warm']:7.2f}   "
              f"{s['wall']:8.3f}{g['wall']:8.3f}{g['wall'] / s['wall']:7.2f}")
    if "baseline" in sides:
        print()
        print(f"before/after, in-process cold: baseline = {args.baseline_python}")
        print(f"{'object':<26}{'base s':>9}{'gcli s':>9}{'base/gcli':>10}{'base/Sage':>10}{'gcli/Sage':>10}")
        for label in objects:
            if ("gcli", label) in errors or ("baseline", label) in errors:
                print(f"{label:<26} failed: {errors.get(('baseline', label)) or errors.get(('gcli', label))}")
                continue
            b, g = figure("baseline", label, "cold"), figure("gcli", label, "cold")
            s = figure("sage", label, "cold") if "sage" in sides and ("sage", label) not in errors else float("nan")
            print(f"{label:<26}{b:9.3f}{g:9.3f}{b / g:10.2f}{b / s:10.2f}{g / s:10.2f}")
    imports = {side: median([float(r["import"]) for label in objects for r in runs[side, label]]) for side in sides}
    print("imports (median over all processes): " + ", ".join(f"{side} {value:.3f} s" for side, value in
                                                              imports.items()))


if __name__ == "__main__":
    main()
