"""Benchmark: build, certify and write structures with v ≈ 1000, next to SageMath when it is installed.

The objects: Paley(997) = srg(997, 498, 248, 249), PG(2, 31) = 2-(993, 32, 1) and STS(999) = 2-(999, 3, 1) (a code
of 166,167 workers, written in compressed rows); and, at scale, the code of STS(777) (100,492 workers) designed,
verified over every surviving set and written, whole process under ``/usr/bin/time -v`` (wall time, peak memory).

- gcli, in process (after imports): the structure alone (built and certified by its builder), then the code path of
  ``gcli design``: build the code, certify it with ``gcli.structures.certify_structure`` (identity, assignment,
  encoding, spectrum), ``gcli.io.json.dumps``, write the file.
- gcli, whole process: a script that imports only what the library path needs (``gcli.io.json``, ``gcli.structures``,
  ``gcli.constructions.structure_codes``) and does build + certify + dumps + write; and the ``gcli design`` command.
  Also reported: the cost of ``import gcli`` alone, so the work can be told apart from the core's start-up.
- SageMath (passagemath), whole process, when an interpreter with it is given (``--sage-python``, default
  ``$GCLI_SAGE_PYTHON`` or /tmp/sagevenv/bin/python): the bare structure, ``graphs.strongly_regular_graph(997,
  498, 248, 249)``, ``designs.balanced_incomplete_block_design(993, 32, 1)`` and ``designs.steiner_triple_system(999)``.
  Ratios gcli / Sage, medians of ``--repeat`` runs (gcli's side also certifies and writes the code).
- Certification baselines in process: check_srg (float32 BLAS in row blocks) against numpy's integer A @ A, and
  check_bibd (one sparse N·Nᵀ) against a Python pair count.

- The catalog row of issue 21 item 5 (``--catalog``): whole-process ``gcli design`` of the builds that were slower
  than SageMath's (bibd(121,11) = AG(2,11), bibd(256,16) = AG(2,16), bibd(273,17) = PG(2,16), srg(243,22,1,2))
  and of anchors that were already faster (bibd(100,4), srg(280,36,8,4), srg(289,144,71,72), Paley(997),
  PG(2,31), STS(999)), interleaved round by round so the machine's load falls on all alike; each time is also
  given as a ratio to the anchors' median. ``--baseline-gcli PATH`` (e.g. main's install) times the same
  commands with another gcli in the same rounds: before/after in one run.

Run: python benchmarks/structures_bench.py [--repeat 5] [--sage-python PATH]
     python benchmarks/structures_bench.py --catalog [--baseline-gcli PATH] [--repeat 5]
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

from gcli.constructions import bibd, bibd_code, paley_graph, srg, srg_code
from gcli.io.json import dumps
from gcli.io.writing import write_atomic
from gcli.structures import certify_structure, check_bibd, check_srg

OBJECTS = {"Paley(997)": ("paley", "srg --vertices 997 --degree 498 --lambda 248 --mu 249"),
           "PG(2,31)": ("pg", "bibd -v 993 --block-size 32"),
           "STS(999)": ("sts", "bibd -v 999 --block-size 3")}

GCLI_SCRIPT = """
import sys, time
start = time.perf_counter()
from gcli.constructions.structure_codes import bibd_code, srg_code
from gcli.io.json import dumps
from gcli.io.writing import write_atomic
from gcli.structures import certify_structure
imported = time.perf_counter()
which = sys.argv[1]
code = (srg_code(997, 498, 248, 249) if which == "paley" else bibd_code(993, 32, 1) if which == "pg"
        else bibd_code(999, 3, 1))
assert certify_structure(code).certified
write_atomic(sys.argv[2], dumps(code))
print(f"{imported - start:.3f} {time.perf_counter() - imported:.3f}")
"""

SAGE_SCRIPT = """
import sys, time
start = time.perf_counter()
from sage.all__sagemath_graphs import designs, graphs
imported = time.perf_counter()
if sys.argv[1] == "paley":
    G = graphs.strongly_regular_graph(997, 498, 248, 249)
elif sys.argv[1] == "pg":
    D = designs.balanced_incomplete_block_design(993, 32, 1)
else:
    D = designs.steiner_triple_system(999)
print(f"{imported - start:.3f} {time.perf_counter() - imported:.3f}")
"""


def median_time(fn, repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def whole_process(command: list[str], repeat: int) -> tuple[float, float, float]:
    """Median wall time of a process, and the medians of the (import, work) seconds it prints (0 if none)."""
    walls, imports, works = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        walls.append(time.perf_counter() - start)
        fields = result.stdout.split()
        if len(fields) == 2:
            imports.append(float(fields[0]))
            works.append(float(fields[1]))
    return (statistics.median(walls), statistics.median(imports) if imports else 0.0,
            statistics.median(works) if works else 0.0)


def row(label: str, seconds: float, note: str = "") -> None:
    print(f"  {label:<74} {seconds:7.3f} s  {note}")


def in_process(repeat: int, folder: Path) -> None:
    print("gcli in process (medians; imports done):")
    paley_graph(13)  # warm-up
    for label, build_structure, build_code in (
        ("Paley(997)", lambda: srg(997, 498, 248, 249), lambda: srg_code(997, 498, 248, 249)),
        ("PG(2,31)", lambda: bibd(993, 32, 1), lambda: bibd_code(993, 32, 1)),
        ("STS(999)", lambda: bibd(999, 3, 1), lambda: bibd_code(999, 3, 1)),
    ):
        t_structure, _ = median_time(build_structure, repeat)
        t_code, code = median_time(build_code, repeat)
        t_cert, report = median_time(lambda code=code: certify_structure(code), repeat)
        t_dumps, text = median_time(lambda code=code: dumps(code), repeat)
        t_write, _ = median_time(lambda text=text: write_atomic(folder / "bench.json", text), repeat)
        assert report.certified  # type: ignore[union-attr]
        row(f"{label}: structure built and certified by its builder", t_structure)
        row(f"{label}: code built (structure included)", t_code)
        row(f"{label}: certify_structure (identity, assignment, encoding, spectrum)", t_cert)
        row(f"{label}: gcli.io.json.dumps ({len(text) / 1e6:.1f} MB)", t_dumps)  # type: ignore[arg-type]
        row(f"{label}: write", t_write)
        row(f"{label}: build + certify + dumps + write", t_code + t_cert + t_dumps + t_write)


def certification_baselines() -> None:
    print("certification against naive baselines (one run each):")
    graph = paley_graph(997)
    start = time.perf_counter()
    check_srg(graph.adjacency)
    t_check = time.perf_counter() - start
    dense = graph.adjacency.toarray().astype(np.int64)
    start = time.perf_counter()
    _ = dense @ dense
    t_base = time.perf_counter() - start
    row("check_srg Paley(997) (float32 BLAS in row blocks)", t_check, f"{t_base / t_check:5.1f}x faster than int A @ A")
    design = bibd(993, 32, 1)
    start = time.perf_counter()
    check_bibd(993, design.blocks, 32, 1)
    t_sparse = time.perf_counter() - start
    start = time.perf_counter()
    pairs = Counter(p for b in design.blocks for p in itertools.combinations(b, 2))
    assert len(pairs) == 993 * 992 // 2 and set(pairs.values()) == {1}
    t_pairs = time.perf_counter() - start
    row("check_bibd PG(2,31) (sparse N·Nᵀ)", t_sparse, f"{t_pairs / t_sparse:5.1f}x faster than a pair count")


SAGE_RATIO = {"bibd(121,11) AG(2,11)": 2.7, "bibd(256,16) AG(2,16)": 2.6, "bibd(273,17) PG(2,16)": 1.55,
              "srg(243,22,1,2)": 1.7}
"""gcli/Sage at c256ea3 (issue 21): with main's gcli as the baseline, Sage's time ≈ baseline / this ratio (an estimate
for machines without SageMath; ``benchmarks/sage_compare.py`` measures the ratios against a real SageMath)."""

SLOW = {"bibd(121,11) AG(2,11)": "bibd -v 121 --block-size 11", "bibd(256,16) AG(2,16)": "bibd -v 256 --block-size 16",
        "bibd(273,17) PG(2,16)": "bibd -v 273 --block-size 17", "srg(243,22,1,2)": "srg --params 243,22,1,2"}
"""The catalog builds that were slower than SageMath's at c256ea3 (×2.7, ×2.6, ×1.55, ×1.7)."""

ANCHORS = {"bibd(100,4)": "bibd -v 100 --block-size 4", "srg(280,36,8,4)": "srg --params 280,36,8,4",
           "srg(289,144,71,72)": "srg --params 289,144,71,72", "Paley(997)": "srg --params 997,498,248,249",
           "PG(2,31)": "bibd -v 993 --block-size 32", "STS(999)": "bibd -v 999 --block-size 3"}
"""Builds already faster than SageMath's (×0.36–0.65): the yardstick the slow ones are measured against."""


def catalog(repeat: int, folder: Path, baseline: str | None) -> None:
    """Whole-process ``gcli design`` of :data:`SLOW` and :data:`ANCHORS`, one round of every command (and every
    gcli) per repeat; medians, and ratios to the median of the anchors' medians (per gcli)."""
    gclis = {"gcli": str(Path(sys.executable).with_name("gcli"))}
    if baseline:
        gclis["baseline"] = baseline
    objects = {**SLOW, **ANCHORS}
    times: dict[tuple[str, str], list[float]] = {(g, o): [] for g in gclis for o in objects}
    for _ in range(repeat):
        for name, command in objects.items():
            for who, exe in gclis.items():
                start = time.perf_counter()
                subprocess.run([exe, "design", *command.split(), "-o", str(folder / "catalog.json")],
                               capture_output=True, check=True)
                times[who, name].append(time.perf_counter() - start)
    medians = {key: statistics.median(values) for key, values in times.items()}
    yardstick = {g: statistics.median(medians[g, o] for o in ANCHORS) for g in gclis}
    print(f"catalog: whole-process gcli design, medians of {repeat} interleaved rounds (ratio: to the anchors' "
          "median)")
    header = "".join(f"{who:>22}" for who in gclis) + ("   baseline/gcli" if baseline else "")
    print(f"  {'':<24}{header}")
    for name in objects:
        cells = "".join(f"{medians[g, name]:8.3f} s (×{medians[g, name] / yardstick[g]:5.2f})" for g in gclis)
        speedup = f"   ×{medians['baseline', name] / medians['gcli', name]:.2f}" if baseline else ""
        if baseline and name in SAGE_RATIO:
            sage = medians["baseline", name] / SAGE_RATIO[name]
            speedup += f"   est. gcli/Sage {medians['gcli', name] / sage:.2f}"
        tag = " *" if name in SLOW else ""
        print(f"  {name + tag:<24}{cells}{speedup}")
    print("  (* was slower than SageMath's build: ×2.7, ×2.6, ×1.55, ×1.7 at c256ea3, where the anchors were "
          "×0.36–0.65; est. gcli/Sage assumes the baseline is main without the fast structure paths)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sage-python", default=os.environ.get("GCLI_SAGE_PYTHON", "/tmp/sagevenv/bin/python"))
    parser.add_argument("--catalog", action="store_true", help="only the catalog rows (issue 21 item 5)")
    parser.add_argument("--baseline-gcli", default=None, help="another gcli to time in the same catalog rounds")
    args = parser.parse_args()
    if args.catalog:
        with tempfile.TemporaryDirectory() as tmp:
            catalog(args.repeat, Path(tmp), args.baseline_gcli)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        in_process(args.repeat, folder)
        certification_baselines()
        print(f"whole process (medians of {args.repeat}):")
        t_import, _, _ = whole_process([sys.executable, "-c", "import gcli"], args.repeat)
        row("python -c 'import gcli' (the core's start-up, not this benchmark's work)", t_import)
        sage = Path(args.sage_python)
        sage_ok = sage.exists() and subprocess.run([str(sage), "-c", "import sage.all__sagemath_graphs"],
                                                   capture_output=True).returncode == 0
        gcli_cmd = Path(sys.executable).with_name("gcli")
        for label, (which, design_args) in OBJECTS.items():
            out = str(folder / f"{which}.json")
            wall, imp, work = whole_process([sys.executable, "-c", GCLI_SCRIPT, which, out], args.repeat)
            row(f"{label}: gcli library script (build+certify+dumps+write)", wall,
                f"(imports {imp:.2f} s, work {work:.2f} s)")
            cli_wall, _, _ = whole_process([str(gcli_cmd), "design", *design_args.split(), "-o", out], args.repeat)
            row(f"{label}: gcli design {design_args} -o FILE", cli_wall)
            if sage_ok:
                s_wall, s_imp, s_work = whole_process([str(sage), "-c", SAGE_SCRIPT, which], args.repeat)
                row(f"{label}: SageMath build (bare structure)", s_wall,
                    f"(imports {s_imp:.2f} s, work {s_work:.2f} s)")
                print(f"  {label}: ratio gcli/Sage whole process: library {wall / s_wall:.2f}, command "
                      f"{cli_wall / s_wall:.2f}; work alone {work / s_work:.2f}")
        if not sage_ok:
            print(f"  (SageMath not found at {sage}: pass --sage-python PATH for the side-by-side ratios)")
        at_scale(folder, gcli_cmd)


def _time_v(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak resident MB) of one run under /usr/bin/time -v."""
    done = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True, check=True)
    fields = dict(line.strip().rsplit(": ", 1) for line in done.stderr.splitlines() if ": " in line)
    clock = fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")
    wall = sum(float(x) * 60**i for i, x in enumerate(reversed(clock)))
    return wall, int(fields["Maximum resident set size (kbytes)"]) / 1024


def at_scale(folder: Path, gcli_cmd: Path) -> None:
    """STS(777): 100,492 workers, designed, verified over all surviving sets (s = 1) and written."""
    if not Path("/usr/bin/time").exists():
        print("  (no /usr/bin/time: skipping the 10⁵-worker run)")
        return
    print("10⁵ workers, whole process under /usr/bin/time -v (one run each):")
    out = str(folder / "sts777.json")
    wall, peak = _time_v([str(gcli_cmd), "design", "bibd", "-v", "777", "--block-size", "3", "-o", out])
    size = Path(out).stat().st_size / 1e6
    row(f"gcli design bibd -v 777 --block-size 3 -o FILE (n = 100,492; {size:.1f} MB)", wall, f"peak {peak:.0f} MB")
    wall_v, peak_v = _time_v([str(gcli_cmd), "verify", out, "-q"])
    row("gcli verify FILE (all 100,492 surviving sets, fixed decoder; structure)", wall_v, f"peak {peak_v:.0f} MB")
    wall_s, peak_s = _time_v([str(gcli_cmd), "verify", out, "-q", "--sample", "1000"])
    row("gcli verify FILE --sample 1000", wall_s, f"peak {peak_s:.0f} MB")
    row("design + verify (all sets)", wall + wall_v, f"peak {max(peak, peak_v):.0f} MB")


if __name__ == "__main__":
    main()
