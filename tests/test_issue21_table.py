"""benchmarks/issue21_table.py: its arguments, and the shipped table (docs/assets/issue21_table.md and .json, shown by
docs/performance.md) is a full run of every row. Nothing is measured or timed here."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "issue21_table.py"


def _module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("issue21_table", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    path = list(sys.path)
    sys.modules[spec.name] = module  # dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = path  # the script puts benchmarks/ first for its own imports
        del sys.modules[spec.name]
    return module


def test_only_selects_rows_in_table_order() -> None:
    table = _module()
    assert table.parse_only(None) == list(table.ROWS)
    assert table.parse_only("crc1000, startup") == ["startup", "crc1000"]
    with pytest.raises(ValueError, match="unknown row nope"):
        table.parse_only("startup,nope")


def test_unknown_row_is_one_error_line_exit_2() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), "--only", "nope"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("issue21_table.py: error: unknown row nope")
    assert "Traceback" not in done.stderr


def test_shipped_table_is_a_full_run_of_every_row() -> None:
    table = _module()
    data = json.loads((ROOT / "docs" / "assets" / "issue21_table.json").read_text(encoding="utf-8"))
    assert data["quick"] is False
    assert {row["row"] for row in data["rows"]} == set(table.ROWS)
    markdown = (ROOT / "docs" / "assets" / "issue21_table.md").read_text(encoding="utf-8")
    assert table.HEADER in markdown
    lines = [line for line in markdown.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(lines) == len(data["rows"]) + 1  # the header, then one line per row
    for row, line in zip(data["rows"], lines[1:], strict=True):
        assert line.startswith(f"| {row['work']} |")
        assert ("**yes**" in line) == (row["met"] is True)
    assert "assets/issue21_table.md" in (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
