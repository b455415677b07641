"""The ``gcli`` command line: parse, call the library, print. No mathematics lives here.

Exit status: 0 success, 1 a verification that fails (the failing surviving set is printed), 2 bad usage or
input (one line on stderr, never a traceback).
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import re
import sys
import types
import typing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from typing import Any, Literal, NoReturn

import click

from gcli import bounds, constructions
from gcli._version import __version__
from gcli.bounds._exact import text as bounds_text
from gcli.code import Code
from gcli.constructions import CliFlags
from gcli.constructions.combinatorics.catalog import bibd_exists, srg_exists
from gcli.engine import default_jobs, local_executor
from gcli.errors import InputError
from gcli.io import code_schema, dumps, load_code, write_atomic
from gcli.progress import ProgressReporter
from gcli.stability import compare_rows, format_table, stability_report
from gcli.structures import certify_structure
from gcli.verify import DEFAULT_BUDGET, DEFAULT_TOLERANCE, patterns_to_check, verify

__all__ = ["cli", "main"]


def _fail(message: str, status: int = 2) -> NoReturn:
    click.echo(f"gcli: error: {' '.join(message.split())}", err=True)
    sys.exit(status)


class GcliGroup(click.Group):
    """Top-level group: every error becomes one line on stderr with exit status 2."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            result = super().main(
                args=args, prog_name=prog_name or "gcli", complete_var=complete_var,
                standalone_mode=False, **extra,
            )
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
            sys.exit(0)
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code if exc.exit_code else 2)
        except InputError as exc:
            _fail(str(exc))
        except click.Abort:
            _fail("aborted", 130)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as exc:  # a bug, not bad input: still one line, but say so
            if os.environ.get("GCLI_DEBUG"):
                raise
            _fail(f"internal error: {exc.__class__.__name__}: {exc} (set GCLI_DEBUG=1 for details)", 3)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=GcliGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, package_name="gradcode", prog_name="gcli")
def cli() -> None:
    """gcli — design, certify, bound and export gradient codes (real and GF(q))."""


main = cli


# ---------------------------------------------------------------------------------------------------------
# design: one subcommand per registry entry, generated from the construction's signature and docstring
# ---------------------------------------------------------------------------------------------------------
_COMMON: dict[str, tuple[list[str], str]] = {
    "n": (["-n", "--workers"], "number of workers n"),
    "k": (["-k", "--partitions"], "number of data partitions k"),
    "s": (["-s", "--stragglers"], "stragglers tolerated s"),
    "m": (["-m", "--comm-reduction"], "communication-reduction factor m (messages of length ℓ/m)"),
    "a": (["-a", "--adversaries"], "adversarial workers tolerated a"),
    "field": (["--field"], "field: real, GF(p) or GF(p^e)"),
    "seed": (["--seed"], "seed of the random generator (same seed, byte-identical output)"),
}


def _arg_help(doc: str) -> dict[str, str]:
    """Parse a Google-style ``Args:`` section into {name: help}."""
    helps: dict[str, str] = {}
    match = re.search(r"^\s*Args:\s*$(.*?)(?:^\s*\w[\w ]*:\s*$|\Z)", doc, re.M | re.S)
    if not match:
        return helps
    current = None
    for line in match.group(1).splitlines():
        item = re.match(r"^\s{4,8}([\w, ]+):\s*(.*)$", line)
        if item:
            names = [x.strip() for x in item.group(1).split(",")]
            for name in names:
                helps[name] = item.group(2)
            current = names
        elif current and line.strip():
            for name in current:
                helps[name] += " " + line.strip()
    return helps


def _option_for(name: str, param: inspect.Parameter, hint: Any, help_text: str) -> click.Option:
    default = None if param.default is inspect.Parameter.empty else param.default
    flags_override: CliFlags | None = None
    if typing.get_origin(hint) is typing.Annotated:
        hint, *meta = typing.get_args(hint)
        flags_override = next((x for x in meta if isinstance(x, CliFlags)), None)
    if flags_override is not None:
        opt_help = help_text or flags_override.help
        if typing.get_origin(hint) is Literal:
            choice: Any = click.Choice([str(a) for a in typing.get_args(hint)])
            return click.Option([*flags_override.flags, name], type=choice, default=default,
                                show_default=default is not None, help=opt_help)
        base = [a for a in typing.get_args(hint) if a is not type(None)] or [hint]
        return click.Option([*flags_override.flags, name], type={int: int, float: float}.get(base[0], str),
                            default=default, show_default=default is not None, help=opt_help,
                            required=param.default is inspect.Parameter.empty)
    if name in _COMMON:
        flags, common_help = _COMMON[name]
        opt_type: Any = str if name == "field" else int
        return click.Option(
            [*flags, name], type=opt_type, default=default, show_default=default is not None,
            help=help_text or common_help,
        )
    flag = "--" + name.replace("_", "-")
    origin = typing.get_origin(hint)
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if origin in (typing.Union, types.UnionType) and args and all(typing.get_origin(a) is Literal for a in args):
        origin, args = Literal, [v for a in args for v in typing.get_args(a)]  # Literal[...] | Literal[...]
    if origin is Literal:
        return click.Option([flag, name], type=click.Choice([str(a) for a in args]), default=default,
                            show_default=True, help=help_text)
    if hint is bool:
        return click.Option([f"{flag}/--no-{name.replace('_', '-')}", name], default=bool(default),
                            show_default=True, help=help_text)
    if origin in (typing.Union, types.UnionType) and args:
        hint = args[0]
    click_type = {int: int, float: float, str: str}.get(hint, str)
    return click.Option([flag, name], type=click_type, default=default, show_default=default is not None,
                        help=help_text)


def _design_command(name: str, function: Callable[..., Code]) -> click.Command:
    doc = inspect.getdoc(function) or ""
    helps = _arg_help(doc)
    hints = typing.get_type_hints(function, include_extras=True)
    params: list[click.Parameter] = []
    for pname, param in inspect.signature(function).parameters.items():
        params.append(_option_for(pname, param, hints.get(pname), helps.get(pname, "")))
    params.append(click.Option(["-o", "--output"], type=click.Path(dir_okay=False),
                               help="write the code here (atomically); - or no -o: standard output"))

    search: Callable[[int], list[str]] | None = getattr(function, "search", None)
    if search is not None:
        params.append(click.Option(["--workers", "search_workers"], type=int,
                                   help="list the structures gcli can build for about N workers, then exit"))

    def callback(output: str | None, search_workers: int | None = None, **kwargs: Any) -> int:
        if search is not None and search_workers is not None:
            lines = search(search_workers)
            click.echo("\n".join(lines) if lines else f"nothing buildable near {search_workers} workers")
            return 0
        code = function(**{k: v for k, v in kwargs.items() if v is not None})
        text = dumps(code)
        if output and output != "-":
            write_atomic(output, text)
            click.echo(f"wrote {output}: {code!r}", err=True)
        else:
            click.echo(text, nl=False)
        return 0

    summary = doc.split("\n\n", 1)[0].replace("\n", " ")
    body = re.sub(r"\n\s*Args:.*?(?=\n\s*References:|\Z)", "", doc, flags=re.S)
    body = body.replace("References:", "\b\nReferences:")
    return click.Command(name, params=params, callback=callback, help=body, short_help=summary)


@cli.group()
def design() -> None:
    """Build a gradient code and write it as gcli JSON (see `gcli design SCHEME --help`)."""


for _scheme, _function in constructions.SCHEMES.items():
    design.add_command(_design_command(_scheme, _function))


# ---------------------------------------------------------------------------------------------------------
# verify
# ---------------------------------------------------------------------------------------------------------
@cli.command("verify")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-s", "--stragglers", type=click.IntRange(min=0), help="stragglers (default: the code's s)")
@click.option("-a", "--adversaries", type=click.IntRange(min=0), help="adversaries (default: the code's a)")
@click.option("--sample", type=click.IntRange(min=1), help="check N seeded random surviving sets")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, help="seed for --sample")
@click.option("--budget", type=click.IntRange(min=1), default=DEFAULT_BUDGET, show_default=True,
              help="refuse exhaustive checks of more surviving sets than this")
@click.option("--force", is_flag=True, help="check exhaustively even above the budget")
@click.option("--tolerance", type=click.FloatRange(min=0), default=DEFAULT_TOLERANCE, show_default=True,
              help="reals: largest relative residual ‖X B_F − T‖/‖T‖ that counts as decoding")
@click.option("--all-failures", is_flag=True, help="do not stop at the first failing set; count them all")
@click.option("--jobs", "--workers-local", "jobs", type=click.IntRange(min=1),
              help="check ranges of surviving sets on N local threads  [default: the available cores]")
@click.option("--processes", is_flag=True, help="with --jobs: use processes instead of threads")
@click.option("--scheduler", metavar="ADDRESS",
              help="run on a Dask distributed scheduler, e.g. tcp://host:8786 (needs the 'dask' extra)")
@click.option("-q", "--quiet", is_flag=True, help="no progress display on stderr")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def verify_command(
    file: str, stragglers: int | None, adversaries: int | None, sample: int | None, seed: int,
    budget: int, force: bool, tolerance: float, all_failures: bool, jobs: int | None, processes: bool,
    scheduler: str | None,
    quiet: bool, as_json: bool,
) -> int:
    """Certify FILE (or - for stdin): exact decodability from every set of n − s − 2a responders.

    Exit status 1 when some surviving set cannot decode; that set is printed. Runs longer than about two
    seconds show an estimate and a progress bar on stderr (not with --json or --quiet).
    """
    code = load_code(file)
    structure = certify_structure(code)
    if structure is not None and not code.exact:
        # approximate codes: the certificate is the structure identity and its spectrum
        if as_json:
            click.echo(json.dumps({"exact": False, "structure": structure.to_json()}))
        else:
            click.echo(f"{code!r} is approximate (exact=false): exact decodability is not claimed")
            click.echo(structure.summary())
        return 0 if structure.certified else 1
    if jobs is not None and scheduler:
        raise click.UsageError("use either --jobs or --scheduler, not both")
    reporter = None if (as_json or quiet) else ProgressReporter()
    with contextlib.ExitStack() as stack:
        if scheduler:
            executor = stack.enter_context(_dask_executor(scheduler))
        else:
            count = patterns_to_check(code, stragglers=stragglers, adversaries=adversaries, sample=sample)
            executor = stack.enter_context(local_executor(jobs or default_jobs(count), processes))
        try:
            report = verify(code, stragglers=stragglers, adversaries=adversaries, budget=budget,
                            sample=sample, seed=seed, force=force, tolerance=tolerance,
                            all_failures=all_failures, executor=executor, progress=reporter)
        finally:
            if reporter is not None:
                reporter.close()
    # Real codes also get the stability report (gcli.stability): median κ and float64 decoding errors.
    extra = None
    if code.is_real:
        extra = stability_report(code, stragglers=stragglers, adversaries=adversaries, budget=budget,
                                 sample=sample, seed=seed, force=force)
    if as_json:
        out = report.to_json()
        if extra is not None:
            fields = extra.to_json()
            for key in ("median_condition_number", "worst_relative_error", "worst_relative_error_set",
                        "median_relative_error", "gradient_length", "gradient_seed"):
                out[key] = fields[key]
        if structure is not None:
            out["structure"] = structure.to_json()
        click.echo(json.dumps(out))
    else:
        click.echo(report.summary())
        if extra is not None:
            click.echo(extra.summary())
        if structure is not None:
            click.echo(structure.summary())
    return 0 if report.decodable and (structure is None or structure.certified) else 1


@contextlib.contextmanager
def _dask_executor(address: str) -> Iterator[Executor]:
    """A concurrent.futures view of a Dask distributed cluster."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError("--scheduler needs Dask: pip install 'gradcode[dask]'") from None
    try:
        client = Client(address, timeout=10)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        yield client.get_executor()
    finally:
        client.close()


@cli.command("compare")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--sample", type=click.IntRange(min=1), help="use N seeded random surviving sets per code")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="seed for --sample and the random gradients")
@click.option("--budget", type=click.IntRange(min=1), default=DEFAULT_BUDGET, show_default=True,
              help="refuse exhaustive checks of more surviving sets than this")
@click.option("--force", is_flag=True, help="check exhaustively even above the budget")
@click.option("--json", "as_json", is_flag=True, help="print one JSON list")
def compare_command(files: tuple[str, ...], sample: int | None, seed: int, budget: int, force: bool,
                    as_json: bool) -> int:
    """Compare the numerical stability of codes in one table (real codes; finite fields are exact).

    Columns: scheme, field, n, s, m, a, d, evaluation points or generator family, worst and median
    condition number of B_F over the surviving sets, worst relative error of float64 decoding.
    """
    codes = [(name, load_code(name)) for name in files]
    rows = compare_rows(codes, sample=sample, seed=seed, budget=budget, force=force)
    if as_json:
        click.echo(json.dumps(rows))
    else:
        click.echo(format_table(rows))
    return 0


# ---------------------------------------------------------------------------------------------------------
# bound
# ---------------------------------------------------------------------------------------------------------
@cli.group()
def bound() -> None:
    """Information-theoretic bounds (exact rationals)."""


@bound.command("tradeoff")
@click.option("-n", "--workers", "n", type=int, required=True, help="workers n")
@click.option("-k", "--partitions", "k", type=int, help="partitions k (default n)")
@click.option("-s", "--stragglers", "s", type=int, required=True, help="stragglers s")
@click.option("-m", "--comm-reduction", "m", type=int, default=1, show_default=True, help="reduction m")
@click.option("-a", "--adversaries", "a", type=int, default=0, show_default=True, help="adversaries a")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def bound_tradeoff(n: int, k: int | None, s: int, m: int, a: int, as_json: bool) -> int:
    """Minimum computation load for exact recovery: d ≥ ⌈k(s + 2a + m)/n⌉.

    Tandon et al. (ICML 2017) for m = 1; Ye and Abbe (ICML 2018) for m > 1; adversaries cost 2a
    (Jahani-Nezhad and Maddah-Ali, JSAIT 2021).
    """
    result = bounds.min_computation_load(n, s, k=k, m=m, a=a)
    if as_json:
        click.echo(json.dumps(result.to_json()))
    else:
        click.echo(
            f"n={result.n}, k={result.k}, s={result.s}, m={result.m}, a={result.a}: every partition on at least "
            f"s+2a+m = {result.min_replication} workers; d/k ≥ {bounds_text(result.load_fraction)}, so "
            f"d ≥ {result.min_load} partitions per worker, each sending "
            + ("a full gradient" if result.m == 1 else f"1/{result.m} of a gradient")
        )
    return 0


@bound.group("exists")
def bound_exists() -> None:
    """Does a combinatorial structure exist? exists / does not exist / unknown, with the reason."""


def _print_existence(result: bounds.Existence, as_json: bool) -> int:
    click.echo(json.dumps(result.to_json()) if as_json else result.summary())
    return 0


@bound_exists.command("bibd")
@click.argument("v", type=int)
@click.argument("k", type=int)
@click.argument("lam", metavar="LAMBDA", type=int, default=1, required=False)
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def bound_exists_bibd(v: int, k: int, lam: int, as_json: bool) -> int:
    """2-(V, K, LAMBDA) design (LAMBDA defaults to 1): divisibility, Fisher, Bruck–Ryser–Chowla, tables."""
    return _print_existence(bibd_exists(v, k, lam), as_json)


@bound_exists.command("srg")
@click.argument("v", type=int)
@click.argument("k", type=int)
@click.argument("lam", metavar="LAMBDA", type=int)
@click.argument("mu", metavar="MU", type=int)
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def bound_exists_srg(v: int, k: int, lam: int, mu: int, as_json: bool) -> int:
    """srg(V, K, LAMBDA, MU): feasibility (multiplicities, Krein, absolute, claw bounds) and known results."""
    return _print_existence(srg_exists(v, k, lam, mu), as_json)


# ---------------------------------------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------------------------------------
EXPORTERS: dict[str, Callable[[Code], str | bytes]] = {"json": dumps}


@cli.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORTERS)), default="json", show_default=True,
              help="output format")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="write here (atomically), not stdout")
@click.option("--schema", is_flag=True, help="print the JSON Schema of the code format and exit")
def export_command(file: str | None, fmt: str, output: str | None, schema: bool) -> int:
    """Write the code in FILE for another runtime (validates it on the way)."""
    if schema:
        text: str | bytes = json.dumps(code_schema(), indent=2) + "\n"
    else:
        if file is None:
            raise click.UsageError("missing FILE (or use --schema)")
        text = EXPORTERS[fmt](load_code(file))
    if output and output != "-":
        write_atomic(output, text)
    elif isinstance(text, bytes):
        click.get_binary_stream("stdout").write(text)
    else:
        click.echo(text, nl=False)
    return 0
