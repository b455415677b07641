"""Shared test settings: hypothesis profiles sized for 2-core CI.

The test process is never forked (tests/fuzzrun.py forks a single-threaded server of its own), so no threading
layer workaround is needed here."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.load_profile("ci")

# The tests exercise the installed gcli. A child ``python -c …`` or ``python -m …`` would put its working folder
# first on sys.path, where the checkout's gcli/ folder (without constructions/ and bounds/ inside) would shadow the
# installed package; PYTHONSAFEPATH (Python ≥ 3.11, like ``-P``) keeps it off for every child interpreter.
os.environ["PYTHONSAFEPATH"] = "1"
