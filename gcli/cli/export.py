"""``gcli export FILE --format …``: write a code (or its structure) for another runtime."""

from __future__ import annotations

import sys

import click

__all__ = ["CODE_FORMATS", "ENCODING_FORMS", "ENCODING_HELP", "EXPORT_FORMATS", "SCHEMA_PATH", "export_command"]

ENCODING_FORMS = ("auto", "dense", "csr")
"""The ``--encoding`` choices (:data:`gcli.io.json.ENCODINGS`, listed here so that ``--help`` imports nothing)."""
ENCODING_HELP = ("how the JSON file holds the encoding matrix: dense (rows of numbers, readable as a matrix by "
                 "any JSON reader), csr (compressed rows: shape, indptr, indices, data, as scipy.sparse), or auto: "
                 "dense up to 10^6 entries (GCLI_DENSE_EXPORT_ENTRIES), csr beyond when smaller")

SCHEMA_PATH = "io/schemas/code.schema.json"
"""The JSON Schema inside the package (``gcli/io/schemas/code.schema.json`` in the repository): printed verbatim.
Hierarchical codes have theirs next to it (``schemas/hcode.schema.json``)."""

CODE_FORMATS = ("json", "npz", "mat", "csv")
STRUCTURE_FORMATS = ("graph6", "sparse6", "edgelist")
EXPORT_FORMATS = CODE_FORMATS + STRUCTURE_FORMATS
"""The ``--format`` choices (the same as :data:`gcli.io.exports.EXPORT_FORMATS`, listed here so that ``--help``
imports nothing)."""


@click.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="json", show_default=True,
              help="json, npz (numpy), mat (MATLAB 5), csv (the encoding matrix after two comment lines); "
                   "graph6, sparse6 or edgelist: the graph or design behind the code")
@click.option("--encoding", "encoding_form", type=click.Choice(ENCODING_FORMS), default="auto", show_default=True,
              help="how json, npz and mat files hold the encoding matrix: dense (a plain matrix: rows of numbers, "
                   "numpy/MATLAB arrays), csr (compressed rows in json; scipy.sparse npz, read by "
                   "scipy.sparse.load_npz; MATLAB sparse), or auto: dense up to 10^6 entries "
                   "(GCLI_DENSE_EXPORT_ENTRIES), sparse beyond when smaller. csv is always dense rows")
@click.option("--decoders", is_flag=True,
              help="also write a decoding matrix for every surviving set (json, npz, mat; at most 5000 sets)")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="write here (atomically), not stdout")
@click.option("--schema", type=click.Choice(["code", "hcode"]), is_flag=False, flag_value="code",
              help="print the JSON Schema of the code format (--schema hcode: of hierarchical codes) and exit")
def export_command(file: str | None, fmt: str, encoding_form: str, decoders: bool, output: str | None,
                   schema: str | None) -> int:
    """Write the code in FILE for another runtime (validates it on the way).

    Every code format reads back with gcli (load_code) into the same code. The JSON Schema printed by --schema
    is the file gcli/io/schemas/code.schema.json (or hcode.schema.json) of the installed package and of the
    repository. Hierarchical codes export as JSON.
    """
    from gcli.code import Code
    from gcli.hierarchical.files import dumps_any, load_any
    from gcli.io.writing import write_atomic

    if schema is not None:
        from importlib.resources import files

        path = SCHEMA_PATH if schema == "code" else SCHEMA_PATH.replace("code.schema", "hcode.schema")
        data: str | bytes = files("gcli").joinpath(path).read_text(encoding="utf-8")
    else:
        if file is None:
            raise click.UsageError("missing FILE (or use --schema)")
        from gcli.errors import NotSupported
        from gcli.io.exports import export_code

        code = load_any(file)
        if isinstance(code, Code):
            data = export_code(code, fmt, decoders=decoders, encoding=encoding_form)
        elif fmt != "json" or decoders or encoding_form == "csr":
            raise NotSupported("hierarchical codes export as json (gcli.hcode, layers as dense rows), without "
                               "--decoders or --encoding csr")
        else:
            data = dumps_any(code)
    if output and output != "-":
        write_atomic(output, data)
    elif isinstance(data, bytes):
        stream = sys.stdout.buffer
        stream.write(data)
        stream.flush()
    else:
        click.echo(data, nl=False)
    return 0
