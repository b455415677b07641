"""Benchmark: build, certify and write structures with v ≈ 1000, next to SageMath when it is installed.

The two objects of the issue: Paley(997) = srg(997, 498, 248, 249) and PG(2, 31) = 2-(993, 32, 1).

- gcli, in process (after imports): the structure alone (built and certified by its builder), then the code path of
  ``gcli design``: build the code, certify it with ``gcli.structures.certify_structure`` (identity, assignment,
  encoding, spectrum), ``gcli.io.dumps``, write the file.
- gcli, whole process: a script that imports only what the library path needs (``gcli.io``, ``gcli.structures``,
  ``gcli.constructions.structure_codes``) and does build + certify + dumps + write; and the ``gcli design`` command.
  Also reported: the cost of ``import gcli`` alone, so the work can be told apart from the core's start-up.
- SageMath (passagemath), whole process, when an interpreter with it is given (``--sage-python``, default
  ``$GCLI_SAGE_PYTHON`` or /tmp/sagevenv/bin/python): ``graphs.strongly_regular_graph(997, 498, 248, 249)``, and
  ``designs.balanced_incomplete_block_design(993, 32, 1)`` + ``is_t_design``. Ratios gcli / Sage, medians of
  ``--repeat`` runs.
- Certification baselines in process: check_srg (float32 BLAS in row blocks) against numpy's integer A @ A, and
  check_bibd (one sparse N·Nᵀ) against a Python pair count.

Run: python benchmarks/structures_bench.py [--repeat 5] [--sage-python PATH]
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
from gcli.io import dumps, write_atomic
from gcli.structures import certify_structure, check_bibd, check_srg

OBJECTS = {"Paley(997)": ("paley", "srg -v 997 -k 498 --lambda 248 --mu 249"),
           "PG(2,31)": ("pg", "bibd -v 993 -k 32")}

GCLI_SCRIPT = """
import sys, time
start = time.perf_counter()
from gcli.constructions.structure_codes import bibd_code, srg_code
from gcli.io import dumps, write_atomic
from gcli.structures import certify_structure
imported = time.perf_counter()
code = srg_code(997, 498, 248, 249) if sys.argv[1] == "paley" else bibd_code(993, 32, 1)
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
else:
    D = designs.balanced_incomplete_block_design(993, 32, 1)
    assert D.is_t_design(2, 993, 32, 1)
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
        row(f"{label}: gcli.io.dumps ({len(text) / 1e6:.1f} MB)", t_dumps)  # type: ignore[arg-type]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sage-python", default=os.environ.get("GCLI_SAGE_PYTHON", "/tmp/sagevenv/bin/python"))
    args = parser.parse_args()
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
                row(f"{label}: SageMath build{' + is_t_design' if which == 'pg' else ''}", s_wall,
                    f"(imports {s_imp:.2f} s, work {s_work:.2f} s)")
                print(f"  {label}: ratio gcli/Sage whole process: library {wall / s_wall:.2f}, command "
                      f"{cli_wall / s_wall:.2f}; work alone {work / s_work:.2f}")
        if not sage_ok:
            print(f"  (SageMath not found at {sage}: pass --sage-python PATH for the side-by-side ratios)")


if __name__ == "__main__":
    main()
