"""``gcli export FILE --format …``: write a code for another runtime."""

from __future__ import annotations

import json
from collections.abc import Callable

import click

__all__ = ["EXPORT_FORMATS", "export_command"]

EXPORT_FORMATS: dict[str, str] = {"json": "gcli.io:dumps_any"}
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
@click.option("--schema", type=click.Choice(["code", "hcode"]), is_flag=False, flag_value="code",
              help="print the JSON Schema of the code format (or of hierarchical codes: --schema hcode) and exit")
def export_command(file: str | None, fmt: str, output: str | None, schema: str | None) -> int:
    """Write the code in FILE for another runtime (validates it on the way)."""
    from gcli.io import load_any, write_atomic

    if schema is not None:
        if schema == "hcode":
            from gcli.hierarchy import hcode_schema as schema_of
        else:
            from gcli.io import code_schema as schema_of
        text: str | bytes = json.dumps(schema_of(), indent=2) + "\n"
    else:
        if file is None:
            raise click.UsageError("missing FILE (or use --schema)")
        text = _exporter(fmt)(load_any(file))
    if output and output != "-":
        write_atomic(output, text)
    elif isinstance(text, bytes):
        click.get_binary_stream("stdout").write(text)
    else:
        click.echo(text, nl=False)
    return 0
