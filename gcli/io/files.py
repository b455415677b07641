"""Reading a code file by its content: ``gcli.code`` JSON (:mod:`gcli.io.json`) or an npz, mat or csv export
(:mod:`gcli.io.exports`). It sits above both formats, so neither imports the other to find its reader; files that
may also be hierarchical (``gcli.hcode``) are read by :func:`gcli.hierarchical.files.load_any`.
"""

from __future__ import annotations

import os

from gcli.code import Code
from gcli.io.json import _parse, code_from_dict

__all__ = ["EXPORT_MAGIC", "load_code", "read_bytes", "where"]

EXPORT_MAGIC = (b"PK\x03\x04", b"MATL", b"# gc")  # npz, mat and csv exports (gcli.io.exports)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a file (``-``: standard input), at most ``max_file_bytes`` of them
    (:func:`gcli.io.reading.read_bounded`); InputError when it cannot be read or is too large."""
    from gcli.io.reading import read_bounded

    return read_bounded(path)


def load_code(path: str | os.PathLike[str]) -> Code:
    """Read a code file (JSON, or an npz, mat or csv export of :mod:`gcli.io.exports`); ``-`` reads standard input."""
    data = read_bytes(path)
    if data[:4] in EXPORT_MAGIC:
        from gcli.io.exports import load_export

        return load_export(data)
    return code_from_dict(_parse(data, where(path)))


def where(path: str | os.PathLike[str]) -> str:
    return "standard input" if str(path) == "-" else os.fspath(path)  # type: ignore[return-value]
