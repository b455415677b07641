"""Shared test settings: hypothesis profiles sized for 2-core CI; numba's fork-safe threading layer."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# tests.fuzzrun forks the test process: with numba's default GNU OpenMP layer, a child that runs a parallel kernel
# after the parent ran one is terminated by libgomp ("fork() called from a process already using GNU OpenMP").
# workqueue is numba's fork-safe layer; it must be chosen before numba is first imported, hence here.
os.environ.setdefault("NUMBA_THREADING_LAYER", "workqueue")

settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.load_profile("ci")

# The tests exercise the installed gcli. A child ``python -c …`` or ``python -m …`` would put its working folder
# first on sys.path, where the checkout's gcli/ folder (without constructions/ and bounds/ inside) would shadow the
# installed package; PYTHONSAFEPATH (Python ≥ 3.11, like ``-P``) keeps it off for every child interpreter.
os.environ["PYTHONSAFEPATH"] = "1"
