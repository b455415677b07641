"""``gcli simulate FILE``: coded gradient descent with stragglers against the uncoded baselines."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import click

from gcli.cli._training import STRAGGLER_MODEL_HELP, training_options
from gcli.cli._types import FiniteFloat, IntRange, LimitedInt

__all__ = ["simulate_command"]


@click.command("simulate")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@training_options(iterations=100)
@click.option("--straggler-model", "stragglers", metavar="SPEC", help=STRAGGLER_MODEL_HELP
              + "  [default: fixed:S with the code's s]")
@click.option("--decoder", default="auto", show_default=True,
              help="exact, optimal (least squares), fixed (the construction's documented decoder), unbiased "
                   "(the full-set decoder divided by 1 - p); auto: exact for exact codes, optimal otherwise")
@click.option("-p", "--failure-prob", type=FiniteFloat(min=0, max=1, max_open=True),
              help="p of the unbiased decoder  [default: 1 - W/n, W the messages the server waits for]")
@click.option("--wait", type=IntRange(min=1), metavar="W",
              help="messages the server waits for  [default: the first decodable set for the exact decoder, "
                   "n - s - 2a otherwise]")
@click.option("--compute-cost", type=FiniteFloat(min=0), default=1.0, show_default=True,
              help="simulated time per sample gradient")
@click.option("--comm-cost", type=FiniteFloat(min=0), default=1.0, show_default=True,
              help="simulated time per number sent")
@click.option("--clip", type=FiniteFloat(min=0, min_open=True),
              help="finite fields: clip gradient entries to +-C before quantising  [default: a bound that never "
                   "clips for logistic models, twice the first gradient's largest entry for linear ones]")
@click.option("--seed", type=IntRange(min=0), default=0, show_default=True,
              help="seeds the data shuffle, synthetic data and stragglers (same seed, same output)")
@click.option("--repeats", type=LimitedInt("max_iterations", min=1), default=1, show_default=True,
              help="run seeds SEED, SEED+1, ... (on --jobs threads or processes, or a Dask --scheduler)")
@click.option("--jobs", type=LimitedInt("max_jobs", min=1), help="run repeats on N local threads")
@click.option("--processes", is_flag=True, help="with --jobs: processes instead of threads")
@click.option("--scheduler", metavar="ADDRESS", help="run repeats on a Dask scheduler (needs the 'dask' extra)")
@click.option("--json", "as_json", is_flag=True,
              help="print one JSON object: per-iteration loss, gradient_error, time, and the same per baseline")
@click.option("--plot", metavar="FILE", type=click.Path(dir_okay=False),
              help="draw loss and gradient error against simulated time into FILE (.png or .svg; needs "
                   "matplotlib)")
def simulate_command(
    file: str, dataset: str, model: str, iterations: int, stragglers: str | None, decoder: str,
    failure_prob: float | None, wait: int | None, learning_rate: float | None, l2: float, compute_cost: float,
    comm_cost: float, clip: float | None, seed: int, repeats: int, jobs: int | None, processes: bool,
    scheduler: str | None, as_json: bool, plot: str | None,
) -> int:
    """Train a model by gradient descent with the code in FILE while workers straggle, and compare it with
    uncoded training that waits for every worker or ignores the slowest ones.

    The data are split into the code's k partitions; each worker computes the gradients of its partitions and
    sends its encoded message; stragglers are drawn every iteration; the server decodes from the workers it
    waits for and steps. Reported per iteration: the loss, the gradient error against the true gradient, and
    the simulated time (slowest message used: compute time proportional to the worker's samples, plus
    communication proportional to the message length). Codes over GF(p) carry quantised gradients and recover
    their sum exactly.

    A hierarchical code file (gcli.hcode) is simulated with its relays: each relay decodes from the first of
    its workers' messages that suffice, the server from the first relays that suffice; relays are not slowed
    and decoding takes no time.
    """
    from gcli.hierarchical.files import load_any
    from gcli.training.decoders import DECODERS
    from gcli.training.simulation import StragglerModel, Timing, simulate, simulate_many

    if plot is not None:
        from gcli.plots import check_plot_path

        check_plot_path(plot)
    if decoder != "auto" and decoder not in DECODERS:
        raise click.BadParameter(f"unknown decoder {decoder!r}: use auto, {', '.join(sorted(DECODERS))}",
                                 param_hint="--decoder")
    if jobs is not None and scheduler:
        raise click.UsageError("use either --jobs or --scheduler, not both")
    straggler_model = None if stragglers is None else StragglerModel.parse(stragglers)  # one line before any work
    code = load_any(file)
    options: dict[str, Any] = dict(
        dataset=dataset, model=model, iterations=iterations, stragglers=straggler_model, decoder=decoder,
        failure_prob=failure_prob, wait=wait, learning_rate=learning_rate, l2=l2,
        timing=Timing(compute_cost, comm_cost), clip=clip,
    )
    if repeats == 1:
        results = [simulate(code, seed=seed, **options)]
    else:
        from gcli.certification.engine import dask_executor, local_executor

        with contextlib.ExitStack() as stack:
            executor = (stack.enter_context(dask_executor(scheduler)) if scheduler
                        else stack.enter_context(local_executor(jobs or 1, processes)))
            results = simulate_many([(code, {**options, "seed": seed + r}) for r in range(repeats)],
                                    executor=executor)
    if plot is not None:
        from gcli.plots import plot_simulation

        plot_simulation(results if len(results) > 1 else results[0], plot)
        click.echo(f"wrote {plot}", err=True)
    if as_json:
        payload: Any = results[0].to_json() if len(results) == 1 else {"runs": [r.to_json() for r in results]}
        click.echo(json.dumps(payload, allow_nan=False))
    else:
        click.echo("\n\n".join(r.summary() for r in results))
    return 0
