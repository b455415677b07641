"""``gcli compare FILE…``: the numerical stability of several codes in one table."""

from __future__ import annotations

import json

import click

from gcli.cli._types import IntRange, LimitedInt
from gcli.defaults import DEFAULT_BUDGET

__all__ = ["compare_command"]


@click.command("compare")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--sample", type=LimitedInt("max_sample", min=1), help="use N seeded random surviving sets per code")
@click.option("--seed", type=IntRange(min=0), default=0, show_default=True,
              help="seed for --sample and the random gradients")
@click.option("--budget", type=IntRange(min=1), default=DEFAULT_BUDGET, show_default=True,
              help="refuse exhaustive checks of more surviving sets than this")
@click.option("--force", is_flag=True, help="check exhaustively even above the budget")
@click.option("--json", "as_json", is_flag=True, help="print one JSON list")
@click.option("--plot", "plot", type=click.Path(dir_okay=False), metavar="FILE",
              help="also draw worst and median condition numbers by family into FILE (.png or .svg; needs "
                   "matplotlib)")
def compare_command(files: tuple[str, ...], sample: int | None, seed: int, budget: int, force: bool,
                    as_json: bool, plot: str | None) -> int:
    """Compare the numerical stability of codes in one table (real codes; finite fields are exact).

    Columns: scheme, field, n, s, m, a, d, evaluation points or generator family, worst and median
    condition number of B_F over the surviving sets, worst relative error of float64 decoding.
    """
    from gcli.certification.stability import compare_rows, format_table
    from gcli.io.files import load_code

    if plot is not None:
        from gcli.plots import check_plot_path

        check_plot_path(plot)
    codes = [(name, load_code(name)) for name in files]
    rows = compare_rows(codes, sample=sample, seed=seed, budget=budget, force=force)
    if plot is not None:
        from gcli.plots import plot_compare

        plot_compare(rows, plot)
        click.echo(f"wrote {plot}", err=True)
    click.echo(json.dumps(rows) if as_json else format_table(rows))
    return 0
