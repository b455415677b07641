"""``gcli verify FILE``: parse the options, call :func:`gcli.certify`, print the certificate."""

from __future__ import annotations

import contextlib
import json

import click

from gcli.cli._types import FiniteFloat, IntRange, LimitedInt
from gcli.cli.options import AliasedOption
from gcli.defaults import DEFAULT_BUDGET, DEFAULT_TOLERANCE

__all__ = ["verify_command"]



@click.command("verify")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-s", "--stragglers", type=IntRange(min=0), help="stragglers (default: the code's s)")
@click.option("-a", "--adversaries", type=IntRange(min=0), help="adversaries (default: the code's a)")
@click.option("--sample", type=LimitedInt("max_sample", min=1), help="check N seeded random surviving sets")
@click.option("--seed", type=IntRange(min=0), default=0, show_default=True,
              help="seed for --sample and for the random gradients of the stability report")
@click.option("--budget", type=IntRange(min=1), default=DEFAULT_BUDGET, show_default=True,
              help="refuse exhaustive checks of more surviving sets than this")
@click.option("--force", is_flag=True, help="check exhaustively even above the budget")
@click.option("--tolerance", type=FiniteFloat(min=0), default=DEFAULT_TOLERANCE, show_default=True,
              help="reals: largest relative residual |X B_F - T|/|T| that counts as decoding")
@click.option("--all-failures", is_flag=True, help="do not stop at the first failing set; count them all")
@click.option("--jobs", "jobs", type=LimitedInt("max_jobs", min=1), cls=AliasedOption,
              renamed_from={"--workers-local": ""},
              help="check ranges of surviving sets on N local threads  [default: the available cores]")
@click.option("--processes", is_flag=True, help="with --jobs: use processes instead of threads")
@click.option("--scheduler", metavar="ADDRESS",
              help="run on a Dask distributed scheduler, e.g. tcp://host:8786 (needs the 'dask' extra)")
@click.option("--simulate", "trials", type=LimitedInt("max_iterations", min=1), metavar="TRIALS",
              help="hierarchical codes: also run TRIALS end-to-end trials with random stragglers and lying relays "
                   "and workers, decoded with error correction at both layers")
@click.option("--decoder", type=click.Choice(["auto", "exact", "optimal", "fixed", "unbiased"]),
              help="approximation errors of this decoder first: least squares, the construction's fixed decoder, or "
                   "the unbiased one (default optimal; asking also reports errors for exact real codes); the "
                   "values simulate and run accept: auto and exact certify exact decoding only")
@click.option("-p", "--failure-prob", "failure_prob", metavar="P",
              type=FiniteFloat(min=0, max=1, min_open=True, max_open=True),
              help="expected error, bias and variance when every worker fails independently with probability P "
                   "(default s/n)")
@click.option("--backend", type=click.Choice(["auto", "compiled", "numpy"]), default="auto", show_default=True,
              help="auto: compiled kernels, and for n >= 100 workers with s + 2a <= 3 the removed-side check "
                   "(every set from the few removed workers); compiled or numpy: the engine over every surviving "
                   "set (numpy: the batched reference implementation)")
@click.option("--privacy", is_flag=True,
              help="GF(q) codes: print only what each observer learns about the partial gradients - each worker's "
                   "message, and for hierarchical codes each relay's view - as the dimension of the combinations it "
                   "learns (0 = private), with a leaking combination")
@click.option("-q", "--quiet", is_flag=True, help="no progress display on stderr")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object (the same keys for every code)")
@click.option("--plot", "plot", type=click.Path(dir_okay=False), metavar="FILE",
              help="also draw the distribution of condition numbers over the surviving sets (real codes) into "
                   "FILE (.png or .svg; needs matplotlib)")
def verify_command(
    file: str, stragglers: int | None, adversaries: int | None, sample: int | None, seed: int,
    budget: int, force: bool, tolerance: float, all_failures: bool, jobs: int | None, processes: bool,
    scheduler: str | None, trials: int | None, decoder: str | None, failure_prob: float | None, quiet: bool,
    as_json: bool, plot: str | None, backend: str, privacy: bool,
) -> int:
    """Certify FILE (or - for stdin) over every set of n - s - 2a responders, in one pass.

    Reports exact decodability (with the first failing set), for real codes the condition numbers and the
    float64 decoding error, and for codes built on a design or a graph the structure certificate (the
    identity, the assignment and the encoding). Approximate codes also get their approximation errors: worst and
    mean error of the optimal, fixed and unbiased decoders over the sets, the expected error, bias and variance
    under independent failures, the straggler counts with exact recovery, and every applicable bound.
    Hierarchical codes (gcli.hcode files) are certified layer by layer: the relays and every cluster, and the
    loads against the bound; a private code (one with shared randomness) also gets PRIVATE or NOT PRIVATE per
    relay, naming the relay and a combination it learns, and every pattern is decoded through the masks.
    Exit status 1 when a code that claims exact recovery fails on some surviving set,
    when a structure or encoding does not hold, or when a measured error breaks a bound or a claim of the file.
    Runs longer than about two seconds show an estimate and a progress bar on stderr (not with --json or
    --quiet).
    """
    from gcli.certification.certificate import certify
    from gcli.certification.engine import blas_threads, dask_executor, default_jobs, local_executor
    from gcli.certification.verification import patterns_to_check
    from gcli.code import Code
    from gcli.hierarchical.files import load_any
    from gcli.progress import ProgressReporter

    if jobs is not None and scheduler:
        raise click.UsageError("use either --jobs or --scheduler, not both")
    code = load_any(file)
    layered = not isinstance(code, Code)
    if privacy:
        return _privacy(code, layered, as_json)
    if plot is not None:
        from gcli.plots import check_plot_path

        check_plot_path(plot)
        if layered or (not code.is_real and code.exact):
            raise click.UsageError(f"--plot draws condition numbers of real codes; codes over {code.field_name} "
                                   "decode exactly" if not layered else "--plot is for single-layer codes")
    if decoder in ("auto", "exact"):
        decoder = None  # the certificate always checks exact decoding (gcli.training.decoders.BUILTIN_DECODERS)
    reporter = None if (as_json or quiet or layered) else ProgressReporter()
    with contextlib.ExitStack() as stack:
        if scheduler:
            executor = stack.enter_context(dask_executor(scheduler))
        else:
            layers = (code.outer, *code.inner) if layered else (code,)
            count = max(patterns_to_check(c, stragglers=None if layered else stragglers,
                                          adversaries=None if layered else adversaries, sample=sample)
                        for c in layers)
            executor = stack.enter_context(local_executor(jobs or default_jobs(count), processes))
        # one BLAS thread per job thread: the --jobs threads are the parallelism, so the report does not depend on
        # --jobs (BLAS rounding varies with its thread count) and no BLAS threads spin on a loaded machine
        stack.enter_context(blas_threads(1))
        try:
            certificate = certify(
                code, stragglers=stragglers, adversaries=adversaries, budget=budget, sample=sample, seed=seed,
                force=force, tolerance=tolerance, all_failures=all_failures, executor=executor,
                progress=reporter, simulate=trials, decoder=decoder, failure_prob=failure_prob,
                backend=backend,
            )
        finally:
            if reporter is not None:
                reporter.close()
    if plot is not None:
        from gcli.plots import plot_certificate

        plot_certificate(certificate, plot)
        click.echo(f"wrote {plot}", err=True)
    click.echo(json.dumps(certificate.to_json()) if as_json else certificate.summary())
    return certificate.exit_status


def _privacy(code: object, layered: bool, as_json: bool) -> int:
    """``verify --privacy``: the leakage of every observer; exit 1 when the file's privacy claim fails."""
    if layered:
        from gcli.certification.hierarchical import privacy_report

        report = privacy_report(code, workers=True)  # type: ignore[arg-type]
        click.echo(json.dumps(report.to_json()) if as_json else report.leakage_table())
        return 0 if report.ok else 1
    from gcli.certification.privacy import code_leakage

    out = code_leakage(code)
    text = out.pop("text")
    click.echo(json.dumps(out) if as_json else text)
    return 0
