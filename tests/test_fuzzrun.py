"""The fork server of tests/fuzzrun.py: single-threaded children, a wall limit that catches hangs, setups."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest
from fuzzrun import assert_well_behaved, run_forked


def _report_threads() -> None:
    """In the child: print this process's thread count (what it inherited from the server at the fork)."""
    with open("/proc/self/status", encoding="ascii") as status:
        threads = next(line for line in status if line.startswith("Threads:"))
    sys.stderr.write(f"gcli: error: {threads.strip()}\n")
    sys.stderr.flush()
    os._exit(2)


def test_children_are_forked_from_a_single_threaded_process() -> None:
    outcome = run_forked(["--version"], setup=_report_threads)
    assert_well_behaved(outcome)
    assert outcome.stderr.strip() == "gcli: error: Threads:\t1", outcome.describe()


def test_a_hang_is_killed_at_the_wall_limit() -> None:
    outcome = run_forked(["--version"], seconds=1, setup=time.sleep, setup_args=(600,))
    assert outcome.signal == signal.SIGKILL and "wall limit of 1 s" in outcome.stderr, outcome.describe()


def test_environment_folder_and_stdin_are_the_callers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GCLI_MAX_FILE_BYTES", "10")
    outcome = run_forked(["verify", "-"], stdin=b"{" * 100, cwd=str(tmp_path))
    assert outcome.status == 2 and "limit of 10 bytes" in outcome.stderr, outcome.describe()
