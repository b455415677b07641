"""``gcli export FILE --format …``: write a code (or its structure) for another runtime."""

from __future__ import annotations

import sys

import click

__all__ = ["CODE_FORMATS", "EXPORT_FORMATS", "SCHEMA_PATH", "export_command"]

SCHEMA_PATH = "schemas/code.schema.json"
"""The JSON Schema inside the package (``gcli/schemas/code.schema.json`` in the repository): printed verbatim."""

CODE_FORMATS = ("json", "npz", "mat", "csv")
STRUCTURE_FORMATS = ("graph6", "sparse6", "edgelist")
EXPORT_FORMATS = CODE_FORMATS + STRUCTURE_FORMATS
"""The ``--format`` choices (the same as :data:`gcli.formats.EXPORT_FORMATS`, listed here so that ``--help``
imports nothing)."""


@click.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="json", show_default=True,
              help="json, npz (numpy), mat (MATLAB 5), csv (the encoding matrix after two comment lines); "
                   "graph6, sparse6 or edgelist: the graph or design behind the code")
@click.option("--decoders", is_flag=True,
              help="also write a decoding matrix for every surviving set (json, npz, mat; at most 5000 sets)")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="write here (atomically), not stdout")
@click.option("--schema", is_flag=True, help="print the JSON Schema of the code format and exit")
def export_command(file: str | None, fmt: str, decoders: bool, output: str | None, schema: bool) -> int:
    """Write the code in FILE for another runtime (validates it on the way).

    Every code format reads back with gcli (load_code) into the same code. The JSON Schema printed by --schema
    is the file gcli/schemas/code.schema.json of the installed package and of the repository.
    """
    from gcli.io import load_code, write_atomic

    if schema:
        from importlib.resources import files

        data: str | bytes = files("gcli").joinpath(SCHEMA_PATH).read_text(encoding="utf-8")
    else:
        if file is None:
            raise click.UsageError("missing FILE (or use --schema)")
        from gcli.formats import export_code

        data = export_code(load_code(file), fmt, decoders=decoders)
    if output and output != "-":
        write_atomic(output, data)
    elif isinstance(data, bytes):
        stream = sys.stdout.buffer
        stream.write(data)
        stream.flush()
    else:
        click.echo(data, nl=False)
    return 0
