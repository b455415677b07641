"""``gcli bound …``: information-theoretic bounds and existence answers, printed exactly (no sympy import)."""

from __future__ import annotations

import json
from typing import Any

import click

from gcli.cli._group import LazyGroup

__all__ = ["bound"]


@click.group(cls=LazyGroup, lazy_subcommands={"hierarchical": "gcli.cli.hierarchical:bound_hierarchical"})
def bound() -> None:
    """Information-theoretic bounds (exact rationals) and existence of combinatorial structures."""


@bound.command("tradeoff")
@click.option("-n", "--workers", "n", type=int, required=True, help="workers n")
@click.option("-k", "--partitions", "k", type=int, help="partitions k (default n)")
@click.option("-s", "--stragglers", "s", type=int, required=True, help="stragglers s")
@click.option("-m", "--comm-reduction", "m", type=int, default=1, show_default=True, help="reduction m")
@click.option("-a", "--adversaries", "a", type=int, default=0, show_default=True, help="adversaries a")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.option("--plot", "plot", type=click.Path(dir_okay=False), metavar="FILE",
              help="also draw the trade-off curves with this point marked into FILE (.png or .svg; needs "
                   "matplotlib)")
def bound_tradeoff(n: int, k: int | None, s: int, m: int, a: int, as_json: bool, plot: str | None) -> int:
    """Minimum computation load for exact recovery: d >= ceil(k(s + 2a + m)/n).

    Tandon et al. (ICML 2017) for m = 1; Ye and Abbe (ICML 2018) for m > 1; adversaries cost 2a
    (Jahani-Nezhad and Maddah-Ali, JSAIT 2021).
    """
    from gcli.bounds._exact import text
    from gcli.bounds.tradeoff import min_computation_load

    if plot is not None:
        from gcli.plots import check_plot_path

        check_plot_path(plot)
    result = min_computation_load(n, s, k=k, m=m, a=a)
    if plot is not None:
        from gcli.plots import plot_tradeoff

        plot_tradeoff(result, plot)
        click.echo(f"wrote {plot}", err=True)
    if as_json:
        click.echo(json.dumps(result.to_json()))
    else:
        click.echo(
            f"n={result.n}, k={result.k}, s={result.s}, m={result.m}, a={result.a}: every partition on at least "
            f"s+2a+m = {result.min_replication} workers; d/k ≥ {text(result.load_fraction)}, so "
            f"d ≥ {result.min_load} partitions per worker, each sending "
            + ("a full gradient" if result.m == 1 else f"1/{result.m} of a gradient")
        )
    return 0


@bound.group("exists")
def bound_exists() -> None:
    """Does a combinatorial structure exist? exists / does not exist / unknown, with the reason."""


def _print_existence(result: Any, as_json: bool) -> int:
    click.echo(json.dumps(result.to_json()) if as_json else result.summary())
    return 0


@bound_exists.command("bibd")
@click.argument("v", type=int)
@click.argument("k", type=int)
@click.argument("lam", metavar="LAMBDA", type=int, default=1, required=False)
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def bound_exists_bibd(v: int, k: int, lam: int, as_json: bool) -> int:
    """2-(V, K, LAMBDA) design (LAMBDA defaults to 1): divisibility, Fisher, Bruck-Ryser-Chowla, tables."""
    from gcli.constructions import bibd_exists

    return _print_existence(bibd_exists(v, k, lam), as_json)


@bound_exists.command("srg")
@click.argument("v", type=int)
@click.argument("k", type=int)
@click.argument("lam", metavar="LAMBDA", type=int)
@click.argument("mu", metavar="MU", type=int)
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def bound_exists_srg(v: int, k: int, lam: int, mu: int, as_json: bool) -> int:
    """srg(V, K, LAMBDA, MU): feasibility (multiplicities, Krein, absolute, claw bounds) and known results."""
    from gcli.constructions import srg_exists

    return _print_existence(srg_exists(v, k, lam, mu), as_json)
