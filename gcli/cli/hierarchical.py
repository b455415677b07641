"""Command-line commands for hierarchical gradient coding (server, relays, clusters of workers).

* :data:`bound_hierarchical` — ``gcli bound hierarchical``: the optimal loads and the two alternatives;
* :data:`design_hierarchical` — ``gcli design hierarchical`` (the registry record ``hierarchical`` names it):
  build the two-layer code and write ``gcli.hcode`` JSON.

``gcli verify`` certifies ``gcli.hcode`` files through :func:`gcli.certify` like every other code. Bad input
raises :class:`gcli.errors.InputError` (one line, exit status 2).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

from gcli.cli._types import IntRange
from gcli.cli.options import AliasedOption
from gcli.errors import ImpossibleParameters

__all__ = ["bound_hierarchical", "design_hierarchical"]

F = TypeVar("F", bound=Callable[..., Any])


class IntOrList(click.ParamType):
    """An integer, or comma-separated integers (one per cluster)."""

    name = "N|N,N,…"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int | tuple[int, ...]:
        if isinstance(value, int | tuple):
            return value
        parts = [p.strip() for p in str(value).split(",")]
        try:
            numbers = tuple(int(p) for p in parts)
        except ValueError:
            self.fail(f"{value!r} is not an integer or a comma-separated list of integers", param, ctx)
        return numbers[0] if len(numbers) == 1 else numbers


INT_OR_LIST = IntOrList()


def _model_options(function: F) -> F:
    options = [
        click.option("--relays", "relays", type=IntRange(min=1), help="number of relays K"),
        click.option("--cluster-sizes", "cluster_sizes", type=INT_OR_LIST, cls=AliasedOption,
                     renamed_from={"--workers": "for the workers in every cluster"},
                     help="workers per cluster: one value for equal clusters, or one per cluster, e.g. 5,5,6"),
        click.option("--sr", "s_r", type=IntRange(min=0), default=0, show_default=True,
                     help="straggling relays tolerated"),
        click.option("--ar", "a_r", type=IntRange(min=0), default=0, show_default=True,
                     help="adversarial relays tolerated"),
        click.option("--sw", "s_w", type=INT_OR_LIST, default="0", show_default=True,
                     help="straggling workers tolerated per cluster (one value, or one per cluster)"),
        click.option("--aw", "a_w", type=INT_OR_LIST, default="0", show_default=True,
                     help="adversarial workers tolerated per cluster (one value, or one per cluster)"),
        click.option("--m1", "m_1", type=IntRange(min=1),
                     help="relay-level reduction: relays send 1/m1 of a gradient  [default: 1]"),
        click.option("--m2", "m_2", type=INT_OR_LIST,
                     help="worker-level reduction: workers send 1/(m1 m2) of a gradient (one value, or one per "
                          "cluster)  [default: 1]"),
        click.option("--load-fraction", "load", metavar="D", cls=AliasedOption,
                     renamed_from={"--load": "for the fraction of the data"},
                     help="instead of --m1/--m2: the fraction of the data a worker may hold (e.g. 3/5); the "
                          "largest m1, then the largest m2, that fit are used"),
        click.option("-k", "--partitions", "partitions", type=IntRange(min=1),
                     help="number of data partitions P"),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _sizes(relays: int | None, sizes: Any, *, required: bool = True) -> Any:
    if required and relays is None:
        if isinstance(sizes, tuple):
            return len(sizes), sizes
        raise ImpossibleParameters("--relays K is required")
    if required and sizes is None:
        raise ImpossibleParameters(
            "give the cluster sizes: --cluster-sizes N (equal clusters) or --cluster-sizes 5,5,6")
    if relays is None and isinstance(sizes, tuple):
        relays = len(sizes)
    return relays, sizes


def _emit(text: str, output: str | None) -> None:
    from gcli.io.writing import write_atomic

    if output and output != "-":
        write_atomic(output, text)
    else:
        click.echo(text, nl=False)


def _private_options(function: F) -> F:
    function = click.option("--colluding", type=IntRange(min=1), default=1, show_default=True,
                            help="with --private: any this many relays together learn nothing")(function)
    return click.option("--private", is_flag=True,
                        help="relays learn nothing about the partial gradients: the workers of a cluster add shared "
                             "random masks that the server removes (GF(q) only; needs m1 <= K - colluding - sr - "
                             "2ar)")(function)


def _check_colluding(private: bool, colluding: int) -> None:
    if colluding != 1 and not private:
        raise ImpossibleParameters("--colluding applies to private relays: add --private")


@click.command("hierarchical")
@_model_options
@_private_options
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def bound_hierarchical(
    relays: int | None, cluster_sizes: Any, s_r: int, a_r: int, s_w: Any, a_w: Any,
    m_1: int | None, m_2: Any, load: str | None, partitions: int | None, private: bool, colluding: int,
    as_json: bool,
) -> None:
    """Optimal loads with relays: C1 = 1/m1 per relay, C2 = 1/(m1 m2) per worker, minimum computation load.

    With r1 = sr + 2ar + m1 clusters holding each partition and r2 = sw + 2aw + m2 workers of a cluster holding
    each of its partitions, every worker holds at least (sr + 2ar + m1)(sw + 2aw + m2)/(K N) of the data (equal
    clusters). Also shows what the server would receive if the relays only forwarded, and with one flat code
    over all workers on the same placement that counts every fault on each partition's holders. With --private:
    the same loads as long as m1 <= K - colluding - sr - 2ar, and why no private code exists above. Gholami,
    Jahani-Nezhad, Wan and Caire (arXiv 2502.18251, 2025); Jahani-Nezhad and Maddah-Ali (JSAIT 2021).
    """
    from fractions import Fraction

    from gcli.bounds._exact import text
    from gcli.bounds.hierarchical import hierarchical_bound, hierarchical_bound_for_load, load_front, parse_fraction

    _check_colluding(private, colluding)
    relays, sizes = _sizes(relays, cluster_sizes)
    faults: dict[str, Any] = dict(s_r=s_r, a_r=a_r, s_w=s_w, a_w=a_w, partitions=partitions,
                                  private=colluding if private else 0)
    if load is not None:
        if m_1 is not None or m_2 is not None:
            raise ImpossibleParameters("give either --m1/--m2 or --load-fraction, not both")
        result = hierarchical_bound_for_load(relays, sizes, load, **faults)
    else:
        result = hierarchical_bound(relays, sizes, m_1=1 if m_1 is None else m_1, m_2=1 if m_2 is None else m_2,
                                    **faults)
    if as_json:
        out = result.to_json()
        if load is not None:
            limit = parse_fraction(load)
            out["load"] = text(limit)
            out["pareto"] = [
                {"m_1": m1, "m_2": m2, "C1": text(Fraction(1, m1)), "C2": text(Fraction(1, m1 * m2)),
                 "min_load_fraction": text(fraction)}
                for m1, m2, fraction in load_front(relays, sizes, limit, s_r=s_r, a_r=a_r, s_w=s_w, a_w=a_w,
                                                   private=colluding if private else 0)
            ]
        click.echo(json.dumps(out))
    else:
        click.echo(result.summary())


@click.command("hierarchical")
@_model_options
@click.option("--field", default="real", show_default=True, help="field: real (Chebyshev points) or GF(q)")
@click.option("--placement", type=click.Path(dir_okay=False),
              help="JSON file: clusters -> workers -> partitions (or {\"placement\": ..., \"partitions\": P}); "
                   "default: the balanced placement")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="write the code here (atomically); - or no -o: standard output")
@_private_options
def design_hierarchical(
    relays: int | None, cluster_sizes: Any, s_r: int, a_r: int, s_w: Any, a_w: Any,
    m_1: int | None, m_2: Any, load: str | None, partitions: int | None, field: str, placement: str | None,
    output: str | None, private: bool, colluding: int,
) -> None:
    """Two-layer polynomial code for relays: an outer code across the relays and, inside each cluster, an inner
    code that computes exactly the relay's message, meeting C1 = 1/m1 and C2 = 1/(m1 m2) at once.

    Any K - sr - 2ar relays give the server the sum of the gradients, and any N - sw - 2aw workers of a cluster
    give its relay the message it forwards; lying relays and workers are corrected by Berlekamp-Welch over GF(q).
    With --private (GF(q) only) the workers of each cluster add shared random masks: relays learn nothing about
    the partial gradients (any --colluding of them together), the server removes the masks, and the loads stay
    the same; the file records the randomness and gcli verify checks the privacy of every relay.
    Writes gcli.hcode JSON (check it with gcli verify). Gholami, Jahani-Nezhad, Wan and Caire (arXiv 2502.18251,
    2025), with the heterogeneous polynomial codes of Jahani-Nezhad and Maddah-Ali (JSAIT 2021).
    """
    from gcli.constructions.hierarchical_codes import hierarchical
    from gcli.hierarchical.codes import dumps_hcode

    _check_colluding(private, colluding)
    relays, sizes = _sizes(relays, cluster_sizes, required=placement is None)
    hcode = hierarchical(relays, sizes, s_r=s_r, a_r=a_r, s_w=s_w, a_w=a_w, m_1=m_1, m_2=m_2, load=load,
                         partitions=partitions, placement=placement, field=field,
                         private=colluding if private else 0)
    _emit(dumps_hcode(hcode), output)
    if output and output != "-":
        click.echo(f"wrote {output}: {hcode!r}", err=True)
