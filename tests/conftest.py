"""Shared test settings: hypothesis profiles sized for 2-core CI."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# The hostile-input fuzz (tests/fuzzrun.py) forks this process; numba's OpenMP threading layer terminates a forked
# child that runs a parallel kernel ("fork() called from a process already using GNU OpenMP"), while the workqueue
# layer is fork-safe. Set before anything imports numba; a user's gcli is a fresh process and never forks this way.
os.environ.setdefault("NUMBA_THREADING_LAYER", "workqueue")

settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.load_profile("ci")
