"""``gcli advise``: which code should I use? Every registered family, certified and timed, on one Pareto table."""

from __future__ import annotations

import json

import click

from gcli.cli._types import FiniteFloat, IntRange

__all__ = ["advise_command"]


class _Sizes(click.ParamType):
    """Comma-separated cluster sizes (one value: every cluster)."""

    name = "N[,N,...]"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> tuple[int, ...]:
        if isinstance(value, tuple):
            return value
        try:
            sizes = tuple(int(part) for part in str(value).split(","))
        except ValueError:
            self.fail(f"{value!r} is not a comma-separated list of integers", param, ctx)
        if any(size < 1 for size in sizes):
            self.fail(f"{value!r}: every cluster needs at least one worker", param, ctx)
        return sizes


@click.command("advise")
@click.option("-n", "--workers", "n", type=IntRange(min=2),
              help="workers n (all of them, with relays); with --placement its number of rows, which -n may "
                   "repeat but not contradict")
@click.option("-s", "--stragglers", "s", type=IntRange(min=0), help="stragglers to tolerate (per cluster with relays)")
@click.option("-p", "--failure-prob", "p", type=FiniteFloat(min=0, max=1, min_open=True, max_open=True),
              help="failure rate instead of -s: exact codes are planned for s = ceil(p n), approximate codes are "
                   "scored on their expected error at p, and the delay model becomes bernoulli:P")
@click.option("-a", "--adversaries", "a", type=IntRange(min=0), default=0, show_default=True,
              help="adversarial workers to tolerate (per cluster with relays)")
@click.option("--placement", metavar="FILE", type=click.Path(dir_okay=False),
              help="your data placement, fixed (JSON rows: the partitions each worker holds): only codes on it are "
                   "listed, universal codes at every m up to the optimum r - s - 2a (r the least number of workers "
                   "holding a partition); the bound column is the least message 1/(r - s - 2a)")
@click.option("--max-load", type=IntRange(min=1), metavar="D", help="the most partitions a worker may compute")
@click.option("-m", "--comm-reduction", "m", type=IntRange(min=1), default=1, show_default=True,
              help="messages of at most 1/M of a gradient")
@click.option("--max-message", type=FiniteFloat(min=0, max=1, min_open=True), metavar="FRACTION",
              help="messages of at most this fraction of a gradient (another way to say -m)")
@click.option("--field", default="real", show_default=True,
              help="real, GF(q), or any (real and GF(q) with q the least prime above n)")
@click.option("--relays", type=IntRange(min=1), metavar="K", help="K relays between the workers and the server: "
                                                                   "hierarchical codes")
@click.option("--cluster-sizes", type=_Sizes(), help="workers behind each relay  [default: n/K each]")
@click.option("--delay-model", metavar="SPEC",
              help="the simulator's straggler model for the time column: fixed:S[,FACTOR], bernoulli:P[,FACTOR] "
                   "or shifted-exp:SHIFT,RATE  [default: fixed:S, or bernoulli:P with -p]")
@click.option("--exact-only", "approximate", flag_value=False, default=None,
              help="only exact codes  [default without -p]")
@click.option("--allow-approximate", "approximate", flag_value=True,
              help="also approximate codes  [default with -p]")
@click.option("--objective", type=click.Choice(["time", "load", "communication", "error"]), default="time",
              show_default=True, help="what ranks the table")
@click.option("--family", "families", multiple=True, metavar="SCHEME",
              help="only this family of gcli design (repeatable)  [default: every family]")
@click.option("--rounds", type=IntRange(min=1, max=100000), default=50, show_default=True,
              help="simulated iterations behind the time column")
@click.option("--compute-cost", type=FiniteFloat(min=0), default=1.0, show_default=True,
              help="simulated time per sample gradient")
@click.option("--comm-cost", type=FiniteFloat(min=0), default=1.0, show_default=True,
              help="simulated time per number sent")
@click.option("--seed", type=IntRange(min=0), default=0, show_default=True,
              help="seeds the sampled certificates, random constructions and simulated rounds (same seed, same "
                   "output)")
@click.option("--jobs", type=IntRange(min=1), help="candidates built and certified at once (threads)  [default: the "
                                                  "cores gcli may use]")
@click.option("--top", type=IntRange(min=1), metavar="T", help="show the best T rows")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.option("--plot", metavar="FILE", type=click.Path(dir_okay=False),
              help="draw the Pareto front into FILE (.png or .svg; needs matplotlib)")
@click.option("-o", "--output", metavar="BEST.json", type=click.Path(dir_okay=False),
              help="write the chosen code here (atomically)")
def advise_command(
    n: int | None, s: int | None, p: float | None, a: int, placement: str | None, max_load: int | None, m: int,
    max_message: float | None,
    field: str, relays: int | None, cluster_sizes: tuple[int, ...] | None, delay_model: str | None,
    approximate: bool | None, objective: str, families: tuple[str, ...], rounds: int, compute_cost: float,
    comm_cost: float, seed: int, jobs: int | None, top: int | None, as_json: bool, plot: str | None, output: str | None,
) -> int:
    """Which code should I use? Enumerate every family of gcli design for your cluster, prune with the bounds,
    build and certify what fits the budgets, and print one table: load and its gap to the trade-off bound,
    message size, error (exact, or the approximation error of an approximate code),
    worst condition number, expected time per iteration under the simulator's delay model, and how each code
    was checked. Rows marked * are on the Pareto front; the last column says why each row is there. With -o the
    chosen code (the first row) is written and gcli verify accepts it.

    With --placement FILE the data placement is yours and fixed: n is its number of workers, the load is the
    placement's, and only codes on that placement are listed (universal codes, every m up to the optimum
    r - s - 2a; the other families place data their own way and are counted as pruned).
    """
    from gcli.advice.advisor import advise

    if (s is None) == (p is None):
        raise click.UsageError("give exactly one of -s and -p")
    if n is None and placement is None:
        raise click.UsageError("give -n (or --placement FILE)")
    if plot is not None:
        from gcli.plots import check_plot_path

        check_plot_path(plot)
    if relays is not None and cluster_sizes is not None and len(cluster_sizes) == 1:
        cluster_sizes = cluster_sizes * relays
    advice = advise(
        n, s, placement=placement, p=p, a=a, max_load=max_load, m=m, max_message=max_message, field=field,
        relays=relays,
        cluster_sizes=cluster_sizes, delay_model=delay_model, approximate=approximate, objective=objective,
        seed=seed, rounds=rounds, compute_cost=compute_cost, comm_cost=comm_cost, families=families or None, jobs=jobs,
    )
    if output is not None:
        from gcli.hierarchical.files import dumps_any
        from gcli.io.writing import write_atomic

        write_atomic(output, dumps_any(advice.chosen.code))
        click.echo(f"wrote {output}: {advice.chosen.command}", err=True)
    if plot is not None:
        from gcli.plots import plot_advice

        plot_advice(advice, plot)
        click.echo(f"wrote {plot}", err=True)
    click.echo(json.dumps(advice.to_json(top), allow_nan=False) if as_json else advice.table(top))
    return 0
