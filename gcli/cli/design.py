"""``gcli design SCHEME``: one subcommand per registry record, built from the builder's signature on demand."""

from __future__ import annotations

from typing import Any

import click

from gcli.cli._group import SuggestingGroup
from gcli.cli.export import ENCODING_FORMS, ENCODING_HELP
from gcli.cli.schemes import HELP
from gcli.constructions.registry import SCHEMES, Scheme

__all__ = ["design", "scheme_command"]



def scheme_command(record: Scheme) -> click.Command:
    """The ``gcli design NAME`` command of a registry record (its own command, or one generated from the
    builder's signature)."""
    text = HELP[record.name]
    if text.command is not None:
        import importlib

        module, attribute = text.command.split(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        command.help = text.description
        command.short_help = text.summary
        return command
    from gcli.cli.options import AliasedOption, builder_options

    builder = record.load()
    params: list[click.Parameter] = list(builder_options(builder, dict(text.options)))
    params.append(click.Option(["-o", "--output"], type=click.Path(dir_okay=False),
                               help="write the code here (atomically); - or no -o: standard output"))
    params.append(click.Option(["--encoding", "encoding_form"], type=click.Choice(ENCODING_FORMS),
                               default="auto", show_default=True, help=ENCODING_HELP))
    if record.search is not None:
        params.append(AliasedOption(["--near", "search_workers"], type=int, metavar="N",
                                    help=text.search_help or "list what gcli can build for about N workers",
                                    renamed_from={"--workers": "for the search"}))

    def callback(output: str | None, encoding_form: str = "auto", search_workers: int | None = None,
                 **kwargs: Any) -> int:
        from gcli.io.json import dumps
        from gcli.io.writing import write_atomic

        if search_workers is not None:
            search = record.load_search()
            assert search is not None
            from gcli.constructions.structure_codes import search_note

            lines = search(search_workers)
            click.echo("\n".join(lines) if lines else f"nothing buildable near {search_workers} workers")
            click.echo(search_note(record.name, search_workers), err=True)
            return 0
        from gcli.certification.engine import blas_threads
        from gcli.progress import ProgressReporter, reporting

        reporter = ProgressReporter(label="certify")  # long certifications (large fields) show a bar on stderr
        try:
            with reporting(reporter), blas_threads(1):  # as gcli verify: the same bytes on any number of cores
                code = builder(**{k: v for k, v in kwargs.items() if v is not None})
        finally:
            reporter.close()
        construction = code.construction if isinstance(code.construction, dict) else {}
        if construction.get("support") == "fallback":
            click.echo(f"note: {construction.get('fallback_reason', 'fallback support')}", err=True)
        text = dumps(code, encoding_form)
        if output and output != "-":
            write_atomic(output, text)
            click.echo(f"wrote {output}: {code!r}", err=True)
            checked = code.construction.get("checked") if hasattr(code, "construction") else None
            if isinstance(checked, dict) and not checked.get("exhaustive", True):
                click.echo(f"certified on a seeded sample of {checked.get('sets'):,} of "
                           f"{checked.get('of', 0):,} surviving sets (seed {checked.get('seed')}): "
                           "run gcli verify for the exhaustive check", err=True)
        else:
            click.echo(text, nl=False)
        return 0

    return click.Command(record.name, params=params, callback=callback, help=text.description,
                         short_help=text.summary)


class DesignGroup(SuggestingGroup):
    """Lists the schemes from the registry records alone; builds a scheme's command only when it is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(SCHEMES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        record = SCHEMES.get(cmd_name)
        return None if record is None else scheme_command(record)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, HELP[name].summary) for name in SCHEMES]
        with formatter.section("Schemes"):
            formatter.write_dl(rows)


@click.group(cls=DesignGroup)
def design() -> None:
    """Build a gradient code and write it as gcli JSON (gcli design SCHEME --help for its options)."""
