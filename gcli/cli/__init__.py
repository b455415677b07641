"""The ``gcli`` command line: parse, call the library, print. No mathematics lives here.

Each command lives in its own module and is imported only when it runs (or when ``--help`` lists it), so
``gcli --version`` and ``gcli --help`` start without numpy, galois or sympy. Exit status: 0 success, 1 a
verification that fails (the failing surviving set is printed), 2 bad usage or input (one line on stderr,
never a traceback), 3 an internal error (a bug), 130 interrupted (Ctrl-C), 143 terminated (SIGTERM), 129 hung
up (SIGHUP); an interrupt never leaves a partial output file (:mod:`gcli.io.writing`).
"""

from __future__ import annotations

import click

from gcli._version import __version__
from gcli.cli._group import GcliGroup

__all__ = ["cli", "main"]

COMMANDS = {
    "design": "gcli.cli.design:design",
    "verify": "gcli.cli.verify:verify_command",
    "compare": "gcli.cli.compare:compare_command",
    "bound": "gcli.cli.bound:bound",
    "export": "gcli.cli.export:export_command",
    "simulate": "gcli.cli.simulate:simulate_command",
    "run": "gcli.cli.run:run_command",
    "advise": "gcli.cli.advise:advise_command",
}


@click.group(cls=GcliGroup, lazy_subcommands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, package_name="gradcode", prog_name="gcli")
def cli() -> None:
    """gcli: design, certify, bound and export gradient codes (real and GF(q))."""
    from gcli.io.writing import install_signal_handlers

    click.get_current_context().call_on_close(install_signal_handlers())


main = cli
