"""``gcli export FILE --format …``: write a code for another runtime."""

from __future__ import annotations

import json
from collections.abc import Callable

import click

__all__ = ["EXPORT_FORMATS", "export_command"]

EXPORT_FORMATS: dict[str, str] = {"json": "gcli.io:dumps"}
"""Format name → ``module:function`` turning a Code into text or bytes (imported when used)."""


def _exporter(fmt: str) -> Callable[..., str | bytes]:
    import importlib

    module, name = EXPORT_FORMATS[fmt].split(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


@click.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORT_FORMATS)), default="json", show_default=True,
              help="output format")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="write here (atomically), not stdout")
@click.option("--schema", is_flag=True, help="print the JSON Schema of the code format and exit")
def export_command(file: str | None, fmt: str, output: str | None, schema: bool) -> int:
    """Write the code in FILE for another runtime (validates it on the way)."""
    from gcli.io import code_schema, load_code, write_atomic

    if schema:
        text: str | bytes = json.dumps(code_schema(), indent=2) + "\n"
    else:
        if file is None:
            raise click.UsageError("missing FILE (or use --schema)")
        text = _exporter(fmt)(load_code(file))
    if output and output != "-":
        write_atomic(output, text)
    elif isinstance(text, bytes):
        click.get_binary_stream("stdout").write(text)
    else:
        click.echo(text, nl=False)
    return 0
