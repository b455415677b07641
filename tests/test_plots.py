"""Figures: every --plot option writes PNG and SVG, byte-identical for the same input; one-line errors."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from gcli import certify, dumps
from gcli.bounds import min_computation_load
from gcli.certification.stability import compare_rows
from gcli.cli import cli
from gcli.constructions import cyclic_repetition, graph_code, mds, reed_solomon
from gcli.errors import InputError
from gcli.plots import plot_certificate, plot_compare, plot_simulation, plot_tradeoff
from gcli.training.simulation import simulate

pytest.importorskip("matplotlib")


def run(args: list[str]):
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def _twice(draw, tmp_path: Path, suffix: str) -> bytes:
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    draw(first)
    draw(second)
    data = first.read_bytes()
    assert data == second.read_bytes() and len(data) > 1000
    assert data.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in data[:2000]
    return data


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_every_plot_is_deterministic(tmp_path: Path, suffix: str) -> None:
    cert = certify(reed_solomon(8, 2))
    assert cert.stability is not None and cert.stability.condition_samples.size == 28
    _twice(lambda p: plot_certificate(cert, p), tmp_path, suffix)
    rows = compare_rows([("rs", reed_solomon(8, 2)), ("mds", mds(8, 2, d=4, m=2, seed=0)),
                         ("gf", cyclic_repetition(6, 2, field="GF(7)"))])
    _twice(lambda p: plot_compare(rows, p), tmp_path, suffix)
    _twice(lambda p: plot_tradeoff(min_computation_load(12, 2, m=3, a=1), p), tmp_path, suffix)
    result = simulate(cyclic_repetition(6, 2), iterations=5, stragglers="fixed:2", seed=1)
    _twice(lambda p: plot_simulation(result, p), tmp_path, suffix)


def test_certificate_plot_takes_the_approximation_block(tmp_path: Path) -> None:
    cert = certify(graph_code("petersen", s=2))
    errors = np.linspace(0.1, 0.9, 45)
    with_errors = dataclasses.replace(cert, approximation={"decoder": "optimal", "error_samples": errors.tolist()})
    plot_certificate(with_errors, tmp_path / "approx.png")
    gf = certify(cyclic_repetition(6, 2, field="GF(7)"))
    with pytest.raises(InputError, match="decode exactly"):
        plot_certificate(gf, tmp_path / "gf.png")


def test_cli_plot_options(tmp_path: Path) -> None:
    rs, gf = tmp_path / "rs.json", tmp_path / "gf.json"
    rs.write_text(dumps(reed_solomon(8, 2)))
    gf.write_text(dumps(reed_solomon(8, 2, field="GF(11)")))
    for args in (["verify", str(rs), "-q"], ["verify", str(rs), "--sample", "10", "--json"],
                 ["compare", str(rs), str(gf)], ["bound", "tradeoff", "-n", "10", "-s", "3"],
                 ["simulate", str(rs), "-T", "3"]):
        out = tmp_path / f"{args[0]}.svg"
        result = run([*args, "--plot", str(out)])
        assert result.exit_code == 0, result.stderr
        assert out.stat().st_size > 1000 and f"wrote {out}" in result.stderr
    bad = run(["verify", str(gf), "--plot", str(tmp_path / "gf.png")])
    assert bad.exit_code == 2 and "decode exactly" in bad.stderr
    for name in ("plot.pdf", "missing/plot.png"):
        result = run(["bound", "tradeoff", "-n", "10", "-s", "3", "--plot", str(tmp_path / name)])
        assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1


def test_missing_matplotlib_is_one_line_exit_2(tmp_path: Path, monkeypatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name.split(".")[0] == "matplotlib" else real(name, *a))
    rs = tmp_path / "rs.json"
    rs.write_text(dumps(reed_solomon(6, 1)))
    for args in (["verify", str(rs)], ["compare", str(rs)], ["bound", "tradeoff", "-n", "6", "-s", "1"],
                 ["simulate", str(rs), "-T", "2"]):
        result = run([*args, "--plot", str(tmp_path / "x.png")])
        assert result.exit_code == 2, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "pip install 'gradcode[plots]'" in lines[0]
        assert not (tmp_path / "x.png").exists()
