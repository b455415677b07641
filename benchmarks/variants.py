"""The test suite under the CPU and threading variants other machines run it with: does it pass on any machine?

Usage: ``python benchmarks/variants.py [--subset numerics|all] [--only NAME …] [-- PYTEST ARGS]``

Each variant reruns pytest in a fresh interpreter with a few environment variables changed, so that numpy,
OpenBLAS and numba pick other kernels or thread counts and float64 round-off changes the way it does between
machines:

- ``as-is``: the environment as it is;
- ``numba-1-thread``: ``NUMBA_NUM_THREADS=1``;
- ``openblas-1-thread``: ``OPENBLAS_NUM_THREADS=1`` (one thread's summation order in BLAS);
- ``openblas-haswell``: ``OPENBLAS_CORETYPE=Haswell`` (AVX2 kernels);
- ``openblas-skylakex``: ``OPENBLAS_CORETYPE=SkylakeX`` (AVX-512 kernels; skipped without AVX-512);
- ``numpy-no-avx512``: ``NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL"`` (numpy's own loops without AVX-512; only
  the features this CPU has are named, numpy refuses to disable one it lacks).

Before each run it prints what the variant really selected (OpenBLAS' core and threads through threadpoolctl when
installed, numpy's SIMD extensions), then pytest's summary and the wall time. ``--subset numerics`` (the default,
for a shared machine) runs only the tests whose outcome depends on float64 round-off: the README/docs sessions and
the numerical tests; ``--subset all`` runs the whole suite (about 4 minutes per variant on 2 cores). Run by hand,
not by CI; exit status 1 if any variant fails.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMERICS = ["tests/test_readme.py", "tests/test_session_checker.py", "tests/test_numerics.py",
            "tests/test_stability.py", "tests/test_engine.py", "tests/test_approximation.py", "tests/test_mds.py",
            "tests/test_simulation.py", "tests/test_certificate.py", "tests/test_hierarchical.py"]
"""The tests whose outcome depends on float64 round-off (printed figures, tolerances, conditioning)."""
VARIANTS: dict[str, dict[str, str]] = {
    "as-is": {},
    "numba-1-thread": {"NUMBA_NUM_THREADS": "1"},
    "openblas-1-thread": {"OPENBLAS_NUM_THREADS": "1"},
    "openblas-haswell": {"OPENBLAS_CORETYPE": "Haswell"},
    "openblas-skylakex": {"OPENBLAS_CORETYPE": "SkylakeX"},
    "numpy-no-avx512": {"NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL"},
}
NEEDS_AVX512 = {"openblas-skylakex", "numpy-no-avx512"}
PROBE = """
import numpy
from numpy._core._multiarray_umath import __cpu_features__ as features
try:
    from threadpoolctl import threadpool_info
    blas = [f"{i.get('internal_api')} {i.get('architecture')} x{i.get('num_threads')}" for i in threadpool_info()
            if i.get('user_api') == 'blas']
except ImportError:
    blas = ['threadpoolctl not installed']
used = [name for name in ('X86_V3', 'X86_V4', 'AVX512_ICL', 'AVX512_SPR') if features.get(name)]
print('; '.join(blas) + '; numpy dispatches to ' + (' '.join(used) or 'its baseline'))
"""


def _avx512() -> bool:
    try:
        return " avx512f " in f" {Path('/proc/cpuinfo').read_text(encoding='ascii', errors='replace')} ".replace(
            "\n", " ")
    except OSError:  # pragma: no cover - not Linux
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subset", choices=["numerics", "all"], default="numerics")
    parser.add_argument("--only", nargs="*", choices=sorted(VARIANTS), help="these variants only")
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments (after --)")
    options = parser.parse_args()
    tests = NUMERICS if options.subset == "numerics" else ["tests"]
    failed: list[str] = []
    for name, change in VARIANTS.items():
        if options.only and name not in options.only:
            continue
        if name in NEEDS_AVX512 and not _avx512():
            print(f"{name}: skipped (no AVX-512 on this CPU)")
            continue
        env = {**os.environ, **change}
        probe = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=False)
        print(f"{name} ({' '.join(f'{k}={v!r}' for k, v in change.items()) or 'environment unchanged'}): "
              f"{(probe.stdout or probe.stderr).strip().splitlines()[-1] if (probe.stdout or probe.stderr) else '?'}",
              flush=True)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests,
                                 *options.pytest_args], cwd=ROOT, env=env, capture_output=True, text=True,
                                check=False)
        lines = result.stdout.strip().splitlines()
        failures = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
        print(f"  {lines[-1] if lines else result.stderr.strip()[-300:]}  [{time.perf_counter() - start:.0f} s]")
        for line in failures:
            print(f"  {line[:200]}")
        if result.returncode != 0:
            failed.append(name)
        sys.stdout.flush()
    print("all variants pass" if not failed else f"failing variants: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
