"""Reading and writing any code file: a flat code (every format :func:`gcli.io.files.load_code` reads) or a
hierarchical ``gcli.hcode`` file (:mod:`gcli.hierarchical.codes`), told apart by the file's ``format``."""

from __future__ import annotations

import os
from typing import Any

from gcli.code import Code
from gcli.io.files import EXPORT_MAGIC, read_bytes, where
from gcli.io.json import _parse, code_from_dict, dumps

__all__ = ["dumps_any", "load_any"]


def load_any(path: str | os.PathLike[str]) -> Any:
    """Read a code (any format :func:`gcli.io.files.load_code` reads) or a ``gcli.hcode`` file as a
    :class:`gcli.hierarchical.codes.HierarchicalCode` (by its ``format``)."""
    data = read_bytes(path)
    if data[:4] in EXPORT_MAGIC:
        from gcli.io.exports import load_export

        return load_export(data)
    obj = _parse(data, where(path))
    if isinstance(obj, dict) and obj.get("format") == "gcli.hcode":
        from gcli.hierarchical.codes import hcode_from_dict

        return hcode_from_dict(obj)
    return code_from_dict(obj)


def dumps_any(code: Any, encoding: str = "auto") -> str:
    """The canonical JSON text of a :class:`Code` (its encoding in the form ``encoding``, as in :func:`dumps`) or
    of a hierarchical code (its layers are dense codes, always written as rows)."""
    if isinstance(code, Code):
        return dumps(code, encoding)
    from gcli.hierarchical.codes import dumps_hcode

    return dumps_hcode(code)
