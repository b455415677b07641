"""``gcli bound …``: information-theoretic bounds and existence answers, printed exactly (no sympy import)."""

from __future__ import annotations

import json
from typing import Any

import click

from gcli.cli._group import LazyGroup
from gcli.cli._types import IntRange

__all__ = ["bound"]


@click.group(cls=LazyGroup, lazy_subcommands={"hierarchical": "gcli.cli.hierarchical:bound_hierarchical"})
def bound() -> None:
    """Information-theoretic bounds (exact rationals) and existence of combinatorial structures."""


@bound.command("tradeoff")
@click.option("-n", "--workers", "n", type=int, help="workers n (required without --placement)")
@click.option("-k", "--partitions", "k", type=int, help="partitions k (default n, or the placement's)")
@click.option("-s", "--stragglers", "s", type=int, help="stragglers s (required without --placement; default 0 "
                                                        "with it)")
@click.option("-m", "--comm-reduction", "m", type=int, help="reduction m  [default: 1]")
@click.option("-a", "--adversaries", "a", type=int, default=0, show_default=True, help="adversaries a")
@click.option("--placement", "placement", type=click.Path(dir_okay=False), metavar="FILE",
              help="a given placement (JSON rows: the partitions each worker holds): print its optimal message "
                   "size 1/(r - s - 2a), r the least replication of a partition")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.option("--plot", "plot", type=click.Path(dir_okay=False), metavar="FILE",
              help="also draw the trade-off curves with this point marked into FILE (.png or .svg; needs "
                   "matplotlib)")
def bound_tradeoff(n: int | None, k: int | None, s: int | None, m: int | None, a: int, placement: str | None,
                   as_json: bool, plot: str | None) -> int:
    """Minimum computation load for exact recovery: d >= ceil(k(s + 2a + m)/n); with --placement FILE, the least
    message size on that placement: 1/(r - s - 2a), r the least number of workers holding a partition.

    Tandon et al. (ICML 2017) for m = 1; Ye and Abbe (ICML 2018) for m > 1; adversaries cost 2a and any
    placement reaches 1/(r - s - 2a) (Jahani-Nezhad and Maddah-Ali, JSAIT 2021).
    """
    from gcli.bounds._exact import text

    if placement is not None:
        return _placement_tradeoff(placement, n, k, s or 0, m, a, as_json, plot)
    from gcli.bounds.tradeoff import min_computation_load
    from gcli.errors import ImpossibleParameters

    if n is None or s is None:
        raise ImpossibleParameters("give -n and -s (or --placement FILE)")
    if plot is not None:
        from gcli.plots import check_plot_path

        check_plot_path(plot)
    result = min_computation_load(n, s, k=k, m=1 if m is None else m, a=a)
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


def _placement_tradeoff(path: str, n: int | None, k: int | None, s: int, m: int | None, a: int, as_json: bool,
                        plot: str | None) -> int:
    """``bound tradeoff --placement FILE``: the optimum 1/(r − s − 2a) of a given placement."""
    from gcli.bounds._exact import text
    from gcli.bounds.tradeoff import placement_tradeoff
    from gcli.errors import ImpossibleParameters, NotSupported
    from gcli.io.placements import placement_rows

    if plot is not None:
        raise NotSupported("--plot draws the curves of -n/-s; it does not apply to a --placement")
    rows, parts = placement_rows(path, k)
    if n is not None and n != len(rows):
        raise ImpossibleParameters(f"the placement has {len(rows)} workers, but -n says n = {n}")
    if s + 2 * a >= len(rows):
        raise ImpossibleParameters(f"s + 2a = {s + 2 * a} must be smaller than n = {len(rows)}")
    result = placement_tradeoff(rows, s, a, partitions=parts)
    if m is not None and m > result.m:
        raise ImpossibleParameters(
            f"m = {m} exceeds the optimum r − s − 2a = {result.m} of this placement (partition {result.witness} is "
            f"held by only r = {result.replication} workers)")
    if as_json:
        click.echo(json.dumps(result.to_json()))
    else:
        click.echo(
            f"n={result.n}, k={result.k}, s={result.s}, a={result.a}: the least replicated partition "
            f"({result.witness}) is on r = {result.replication} workers, so the least message size is "
            f"1/(r − s − 2a) = {text(result.communication)} of a gradient (m = {result.m}); "
            f"the placement's load is d = {result.load} partitions per worker"
        )
    return 0


@bound.group("exists", cls=LazyGroup)
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


@bound.group("approx", cls=LazyGroup)
def bound_approx() -> None:
    """Error bounds for approximate codes: closed forms, upper bounds from spectra, lower bounds for any scheme.

    Errors are |X B_F - T|_F^2 (k*m when nothing is recovered). Each table lists, per straggler count s, every
    bound that applies, as an exact fraction where it is rational.
    """


_S_HELP = "straggler counts: S, A-B or A,B,C (default 0 to replication + 2)"
_P_HELP = "failure probability p for the lower bound on unbiased decoders X0[:, F]/(1 - p)"


def _print_table(table: Any, as_json: bool) -> int:
    click.echo(json.dumps(table.to_json()) if as_json else table.text_table())
    return 0


@bound_approx.command("bibd")
@click.argument("v", type=int)
@click.argument("k", type=int)
@click.argument("lam", metavar="LAMBDA", type=int, default=1, required=False)
@click.option("-m", "--comm-reduction", "m", type=IntRange(min=1), default=1, show_default=True,
              help="communication reduction m")
@click.option("-s", "--stragglers", "stragglers", metavar="S", help=_S_HELP)
@click.option("-p", "--failure-prob", "failure_prob", metavar="P", help=_P_HELP)
@click.option("--transpose", is_flag=True, help="workers = points, partitions = blocks")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def bound_approx_bibd(v: int, k: int, lam: int, m: int, stragglers: str | None, failure_prob: str | None,
                      transpose: bool, as_json: bool) -> int:
    """Codes on a 2-(V, K, LAMBDA) design: exact error of symmetric designs (Kadhe et al.), Glasgow-Wootters
    upper bound, Eckart-Young lower bounds for any scheme with the same load, lower bound for unbiased decoders of
    the form X0[:, F]/(1 - p)."""
    from gcli.bounds.approximation import bibd_error_table

    return _print_table(bibd_error_table(v, k, lam, m=m, transpose=transpose, stragglers=stragglers,
                                   failure_prob=failure_prob), as_json)


@bound_approx.command("srg")
@click.argument("v", type=int)
@click.argument("k", type=int)
@click.argument("lam", metavar="LAMBDA", type=int)
@click.argument("mu", metavar="MU", type=int)
@click.option("-m", "--comm-reduction", "m", type=IntRange(min=1), default=1, show_default=True,
              help="communication reduction m")
@click.option("-s", "--stragglers", "stragglers", metavar="S", help=_S_HELP)
@click.option("-p", "--failure-prob", "failure_prob", metavar="P", help=_P_HELP)
@click.option("--loops", is_flag=True, help="worker i also holds partition i")
@click.option("--incidence", is_flag=True, help="workers are the edges, partitions the vertices")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def bound_approx_srg(v: int, k: int, lam: int, mu: int, m: int, stragglers: str | None, failure_prob: str | None,
                     loops: bool, incidence: bool, as_json: bool) -> int:
    """Codes on an srg(V, K, LAMBDA, MU): expander bound (Raviv et al.) from the exact spectrum, Glasgow-Wootters
    bound, Eckart-Young lower bounds for any scheme with the same load, lower bound for unbiased decoders of the
    form X0[:, F]/(1 - p)."""
    from gcli.bounds.approximation import srg_error_table

    return _print_table(srg_error_table(v, k, lam, mu, m=m, loops=loops, incidence=incidence, stragglers=stragglers,
                                  failure_prob=failure_prob), as_json)


@bound_approx.command("any")
@click.option("-n", "--workers", "n", type=int, required=True, help="workers n")
@click.option("-k", "--partitions", "k", type=int, help="partitions k (default n)")
@click.option("-d", "--load", "d", type=int, required=True, help="computation load d (partitions per worker)")
@click.option("-m", "--comm-reduction", "m", type=IntRange(min=1), default=1, show_default=True,
              help="communication reduction m")
@click.option("-s", "--stragglers", "stragglers", metavar="S", help=_S_HELP)
@click.option("-p", "--failure-prob", "failure_prob", metavar="P", help=_P_HELP)
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def bound_approx_any(n: int, k: int | None, d: int, m: int, stragglers: str | None, failure_prob: str | None,
                     as_json: bool) -> int:
    """Lower bounds on the error of every scheme with N workers, K partitions and load D (Eckart-Young over the
    straggler sets, minimised over supports). With -p, a lower bound on the expected error of every unbiased
    scheme whose decoder is X0[:, F]/(1 - p) for one fixed X0; a decoder that depends on who responds can do
    better."""
    from gcli.bounds.approximation import any_scheme_error_table

    return _print_table(any_scheme_error_table(n, n if k is None else k, d, m=m, stragglers=stragglers,
                                         failure_prob=failure_prob), as_json)
