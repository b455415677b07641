"""``gcli run FILE``: coded gradient descent on a Dask cluster (a LocalCluster or an existing scheduler)."""

from __future__ import annotations

import json

import click

from gcli.cli._training import STRAGGLER_MODEL_HELP, training_options
from gcli.cli._types import FiniteFloat, IntRange, LimitedInt
from gcli.cli.options import AliasedOption

__all__ = ["run_command"]


@click.command("run")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@training_options(iterations=20)
@click.option("--scheduler", metavar="ADDRESS",
              help="use the existing Dask cluster of this scheduler, e.g. tcp://host:8786 (extra 'dask')")
@click.option("--local", type=LimitedInt("max_jobs", min=1), metavar="N",
              help="start a LocalCluster of N worker processes on this machine  [default: 2 when no "
                   "--scheduler is given]")
@click.option("--threads", type=LimitedInt("max_jobs", min=1), metavar="T",
              help="with --local: threads per process  [default: enough for every logical worker on it to "
                   "run at once, twice over]")
@click.option("--timeout", type=FiniteFloat(min=0, min_open=True), default=10.0, show_default=True,
              help="seconds to wait for the scheduler before giving up")
@click.option("--straggler-model", "delay_model", default="none", show_default=True, metavar="SPEC",
              cls=AliasedOption, renamed_from={"--delay-model": ""},
              help=STRAGGLER_MODEL_HELP + "; a worker sleeps slowdown x load x --delay-unit seconds")
@click.option("--delay-unit", type=FiniteFloat(min=0, max=3600), default=0.05, show_default=True,
              help="seconds of injected delay per unit of slowdown x load (load: the worker's samples over "
                   "N/n, 1 for an uncoded worker)")
@click.option("--decoder", default="auto", show_default=True,
              help="exact, optimal (least squares), fixed (the construction's documented decoder), unbiased; "
                   "auto: exact for exact codes, optimal otherwise")
@click.option("-p", "--failure-prob", type=FiniteFloat(min=0, max=1, max_open=True),
              help="p of the unbiased decoder  [default: 1 - W/n]")
@click.option("--wait", type=IntRange(min=1), metavar="W",
              help="approximate decoders: messages the server waits for  [default: n - s - 2a]")
@click.option("--deadline", type=FiniteFloat(min=0, min_open=True), metavar="SECONDS",
              help="approximate decoders and the ignore-stragglers baseline: decode from what arrived after "
                   "this many seconds (at least one message)")
@click.option("--clip", type=FiniteFloat(min=0, min_open=True),
              help="finite fields: clip gradient entries to +-C before quantising (as gcli simulate)")
@click.option("--seed", type=IntRange(min=0), default=0, show_default=True,
              help="seeds the data shuffle, synthetic data and injected delays (wall times are real)")
@click.option("--no-baselines", is_flag=True, help="run the code alone, without the uncoded baselines")
@click.option("--json", "as_json", is_flag=True,
              help="print one JSON object: per iteration loss, gradient_error, time, wall, waited_for, "
                   "bytes_received, and the same per baseline")
@click.option("--plot", metavar="FILE", type=click.Path(dir_okay=False),
              help="draw loss and gradient error against wall time into FILE (.png or .svg; needs matplotlib)")
def run_command(
    file: str, dataset: str, model: str, iterations: int, scheduler: str | None, local: int | None,
    threads: int | None, timeout: float, delay_model: str, delay_unit: float, decoder: str,
    failure_prob: float | None, wait: int | None, deadline: float | None, learning_rate: float | None,
    l2: float, clip: float | None, seed: int, no_baselines: bool, as_json: bool, plot: str | None,
) -> int:
    """Train a model by coded gradient descent with the code in FILE on a Dask cluster, against uncoded
    training that waits for every worker or ignores the slowest ones, with real processes and clocks.

    The n workers of the code are spread over the cluster's processes; each holds the data partitions of its
    row of the code, computes their gradients on the current parameters, encodes them and sends its message.
    The server decodes as soon as the messages that arrived suffice (exact codes), or after W messages or a
    deadline (approximate codes), steps, and starts the next round. Reported per iteration: the loss, the
    gradient error against the true gradient (computed off the clock), the wall time, the workers waited
    for and the bytes received. A worker whose process dies is reported; the run goes on while the code can
    decode without it. Hierarchical codes (gcli.hcode files) run with their relays as an intermediate tier:
    each relay task collects its cluster's messages, decodes its own message from the first decodable set and
    forwards it to the server. Exit status 1 when the coded run stopped early (too many workers died for the
    code to decode), with the reason on stderr.

    \b
    Examples:
      gcli run crc.json --local 2 --straggler-model shifted-exp:1,2
      gcli run crc.json --scheduler tcp://10.0.0.5:8786 --dataset digits -T 50 --plot run.png
    """
    from gcli.hierarchical.files import load_any
    from gcli.training.decoders import DECODERS
    from gcli.training.runtime import DelayModel, connect, run

    if plot is not None:
        from gcli.plots import check_plot_path

        check_plot_path(plot)
    if scheduler is not None and local is not None:
        raise click.UsageError("use either --scheduler or --local, not both")
    if threads is not None and scheduler is not None:
        raise click.UsageError("--threads applies to --local clusters only")
    if decoder != "auto" and decoder not in DECODERS:
        raise click.BadParameter(f"unknown decoder {decoder!r}: use auto, {', '.join(sorted(DECODERS))}",
                                 param_hint="--decoder")
    delays = DelayModel.parse(delay_model, delay_unit)  # one clear line before any work
    code = load_any(file)
    processes = local if local is not None else (None if scheduler is not None else 2)
    if processes is not None and threads is None:
        tasks = code.n if hasattr(code, "n") else sum(code.cluster_sizes) + code.relays
        threads = max(2, 2 * -(-tasks // processes))
    with connect(scheduler, processes, threads=threads, timeout=timeout) as client:
        result = run(
            code, client, dataset=dataset, model=model, iterations=iterations, delay_model=delays,
            decoder=decoder, failure_prob=failure_prob, wait=wait, deadline=deadline,
            learning_rate=learning_rate, l2=l2, clip=clip, seed=seed, baselines=not no_baselines,
        )
    if plot is not None:
        from gcli.plots import plot_simulation

        plot_simulation(result, plot, time_label="wall time (s)")
        click.echo(f"wrote {plot}", err=True)
    if as_json:
        click.echo(json.dumps(result.to_json(), allow_nan=False))
    else:
        click.echo(result.summary())
    stopped = getattr(result.coded, "stopped", None)
    if stopped:  # the coded run did not finish: say why, and fail like a failed verification
        click.echo(f"gcli: the coded run stopped after {len(result.coded.loss)} of {iterations} iterations: "
                   f"{stopped}", err=True)
        return 1
    return 0
