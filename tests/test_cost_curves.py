"""benchmarks/cost_curves.py: the grid it lists covers every engine, and the shipped results
(docs/assets/cost_curves.json, shown by docs/performance.md) are a run of that same grid. Nothing is timed here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "cost_curves.py"
ENGINES = {"gf", "real", "approximation", "hierarchical", "orbit"}


def _listed(*flags: str) -> list[list[str]]:
    out = subprocess.run([sys.executable, str(SCRIPT), "--dry-run", *flags], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    return [line.split() for line in out.splitlines() if line.strip()]


def test_dry_run_lists_every_engine_in_both_grids() -> None:
    for flags in ((), ("--quick",)):
        rows = _listed(*flags)
        assert {row[0] for row in rows} == ENGINES, flags
        # a design command for each point, none repeated
        keys = [(row[0], row[1], row[2]) for row in rows]
        assert len(keys) == len(set(keys))
    assert len(_listed("--quick")) < len(_listed())


def test_shipped_results_are_the_full_grid() -> None:
    data = json.loads((ROOT / "docs" / "assets" / "cost_curves.json").read_text())
    assert data["quick"] is False
    listed = {(row[0], int(row[1].removeprefix("n=")), int(row[2].removeprefix("s="))) for row in _listed()}
    shipped = {(p["engine"], p["n"], p["s"]) for p in data["points"]}
    skipped_orbit = data["orbit"] is not None
    expected = {key for key in listed if not (skipped_orbit and key[0] == "orbit")}
    assert shipped == expected
    for p in data["points"]:
        assert "note" in p or (p["sets"] > 0 and p["sets_per_s"] > 0 and p["rss_mb"] > 0), p
    page = (ROOT / "docs" / "performance.md").read_text()
    assert "assets/cost_curves.png" in page and (ROOT / "docs" / "assets" / "cost_curves.png").is_file()
